"""Numbers typed with Devanagari digits: the registry's search, the counter's mobile field, the public
cross-check by mobile or membership number."""

import pytest
from django.test import Client

from sangathan.access.scope import Scope, scope_for_user
from sangathan.people import fields
from sangathan.people.models import Person
from sangathan.people.selectors import person_list
from sangathan.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ram(tree):
    person = person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"])
    Person.objects.filter(pk=person.pk).update(membership_no="MP-000777")
    return person


def test_fields_read_devanagari_digits():
    assert fields.mobile("९८२६० १२३४५") == "+919826012345"
    assert fields.membership_no("mp-०००७७७") == "MP-000777"
    assert fields.birth_year("१९७५", this_year=2026) == 1975
    assert fields.as_date("०१-०४-२०१९").isoformat() == "2019-04-01"


@pytest.mark.parametrize("q", ["९८२६०१२३४५", "९८२६० १२३४५", "१२३४५", "MP-०००७७७"])
def test_search_by_number_in_devanagari_digits(tree, ram, q):
    scope = scope_for_user(tree.users["district_president"])
    assert [p.pk for p in person_list(scope=scope, q=q)] == [ram.pk]


def test_search_page_with_devanagari_digits(tree, ram):
    client = Client()
    client.force_login(tree.users["district_president"])
    page = client.get("/people/", {"q": "९८२६०१२३४५"})
    assert page.status_code == 200 and "राम खंडेलवाल" in page.content.decode()


def test_counter_add_takes_a_devanagari_mobile(tree):
    client = Client()
    client.force_login(tree.users["district_president"])
    response = client.post("/people/add/", {"name": "सीता देवी", "relation": "husband", "relative_name": "मोहन लाल",
                                            "mobile": "९८२६० ५४३२१", "unit": tree["d1a1b1"].pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get(name="सीता देवी").mobile == "+919826054321"


def test_verify_page_by_devanagari_mobile_and_membership_number(ram):
    client = Client()
    for number in ("९८२६०१२३४५", "MP-०००७७७"):
        answer = client.post("/verify/", {"number": number})
        assert answer.status_code == 200 and "राम खंडेलवाल" in answer.content.decode()
