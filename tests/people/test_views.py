"""The person page (कुंडली): the full record, posts, history, and one audit row per reading."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.org.models import Post
from sangathan.org.services import position_assign, position_end
from sangathan.people.enums import Gender, PersonStatus, RelationKind
from sangathan.people.services import person_create, person_update
from sangathan.people.timeline import timeline_sources
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def person_url(person) -> str:
    return reverse("people:person", args=[person.pk])


@pytest.fixture
def kamla(tree):
    return person_create(scope=Scope.system(), name="कमला देवी", mobile="98260 12345", unit=tree["d1a1b1"], relative_name="रामलाल",
                         relation=RelationKind.HUSBAND, gender=Gender.FEMALE, birth_year=1975, epic="abc1234567")


def test_person_page_shows_the_full_record(client, tree, kamla):
    client.force_login(tree.users["booth_president"])
    response = client.get(person_url(kamla))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("कमला देवी", "Kamla Devi", "पति का नाम", "रामलाल", "महिला", "1975", "98260 12345",
                 'href="tel:+919826012345"', "ABC1234567", "बूथ d1a1b1", "सक्रिय"):
        assert text in html, text
    # The home unit's ancestors outside the booth president's scope are named, not linked.
    assert tree["d1a1m"].name_hi in html
    assert reverse("dashboard:unit", args=[tree["d1a1m"].pk]) not in html
    assert reverse("dashboard:unit", args=[tree["d1a1b1"].pk]) in html


def test_person_page_in_english(client, tree, kamla):
    client.force_login(tree.users["booth_president"])
    client.cookies["sangathan_language"] = "en"
    html = client.get(person_url(kamla)).content.decode()
    for text in ("Husband's name", "Female", "Voter ID (EPIC)", "Booth d1a1b1", "Active", "Record"):
        assert text in html, text


def test_reading_a_record_writes_exactly_one_audit_row(client, tree, kamla):
    viewer = tree.users["mandal_president"]
    client.force_login(viewer)
    before = AuditLog.objects.count()
    client.get(person_url(kamla), HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10)")
    assert AuditLog.objects.count() == before + 1
    log = AuditLog.objects.latest("id")
    assert log.action == AuditLog.Action.PERSON_VIEW
    assert log.actor == viewer
    assert (log.target_type, log.target_id) == ("person", kamla.pk)
    assert log.unit_path == kamla.unit_path
    assert log.channel == "web"
    assert log.ip == "127.0.0.1"


def test_refused_reading_writes_no_audit_row(client, tree, kamla):
    client.force_login(tree.users["lok_sabha_incharge"])
    outside = PersonFactory(unit=tree["d2a2b1"], name="गुप्तेश्वर रामप्रसाद")
    before = AuditLog.objects.count()
    response = client.get(person_url(outside))
    assert response.status_code == 404
    assert outside.name not in response.content.decode()
    assert AuditLog.objects.count() == before


def test_booth_president_cannot_open_a_person_of_the_sibling_booth(client, tree):
    other = PersonFactory(unit=tree["d1a1b2"], name="गुप्तेश्वर रामप्रसाद")
    client.force_login(tree.users["booth_president"])
    response = client.get(person_url(other))
    assert response.status_code == 404
    assert other.name not in response.content.decode()
    assert other.mobile not in response.content.decode()


@pytest.mark.parametrize("person_id", ["0", "999999", "99999999999999999999999"])
def test_unknown_person_is_404(client, tree, person_id):
    client.force_login(tree.users["state_admin"])
    assert client.get(f"/people/{person_id}/").status_code == 404


def test_current_and_past_posts(client, tree, kamla):
    convener = Post.objects.get(code="convener")
    president = Post.objects.get(code="president")
    old = position_assign(scope=Scope.system(), person=kamla, post=convener, unit=tree["d1a1b1"],
                          start_date=timezone.localdate().replace(year=2020))
    position_end(scope=Scope.system(), position=old, reason="कार्यकाल पूरा")
    position_assign(scope=Scope.system(), person=kamla, post=president, unit=tree["d1a1b1"])
    client.force_login(tree.users["booth_president"])
    response = client.get(person_url(kamla))
    assert [p.post.code for p in response.context["current_positions"]] == ["president"]
    assert [p.post.code for p in response.context["past_positions"]] == ["convener"]
    html = response.content.decode()
    assert "संयोजक" in html
    assert "कार्यकाल पूरा" in html


def test_history_shows_what_changed(client, tree, kamla):
    person_update(scope=scope_for_user(tree.users["state_admin"]), person=kamla, mobile="98260 54321", unit=tree["d1a1b2"])
    person_update(scope=Scope.system(), person=kamla, status=PersonStatus.INACTIVE)
    client.force_login(tree.users["mandal_president"])
    response = client.get(person_url(kamla))
    entries = [entry for entry in response.context["timeline"] if entry.kind == "edit"]
    assert len(entries) == 3
    html = response.content.decode()
    assert "98260 12345" in html and "98260 54321" in html
    assert tree["d1a1b1"].name_hi in html and tree["d1a1b2"].name_hi in html
    assert "निष्क्रिय" in html


def test_person_page_queries_are_bounded(client, tree, kamla, django_assert_max_num_queries):
    for year in range(1960, 1990):
        person_update(scope=Scope.system(), person=kamla, birth_year=year)
    client.force_login(tree.users["district_president"])
    # Record, posts, open flags, tags, and a query per timeline source (each app above people may add one;
    # the Sahyog Cell's also reads the reader and their posts, for recusal): bounded, whatever the history.
    with django_assert_max_num_queries(15 + len(timeline_sources())):
        assert client.get(person_url(kamla)).status_code == 200


def test_the_search_page_and_a_unit_search_are_audited(client, tree):
    client.force_login(tree.users["district_president"])
    assert client.get("/people/", {"q": "राम"}).status_code == 200
    row = AuditLog.objects.get(action="people.search")
    assert (row.channel, row.detail["q"]) == ("web", "राम") and "count" in row.detail
    client.get("/people/")
    assert AuditLog.objects.filter(action="people.list").count() == 1
    client.get(f"/units/{tree['d1'].pk}/", {"q": "राम"})
    assert AuditLog.objects.filter(action="people.search").count() == 2
