"""The person page and the search list show the Latin name as people write it; search still finds it."""

import pytest
from django.urls import reverse

from sangathan.access.scope import Scope
from sangathan.people.erasure import REMOVED_NAME_LATIN
from sangathan.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def khandelwal(tree):
    return person_create(scope=Scope.system(), name="सुरेश खंडेलवाल", mobile="+919826099001",
                         unit=tree.units["d1a1b1"])


def test_person_page_and_search_show_the_readable_latin_name(client, tree, khandelwal):
    assert khandelwal.name_latin == "suresh khandelaval"  # the stored search form is unchanged
    assert khandelwal.name_display_latin == "Suresh Khandelwal"
    client.force_login(tree.users["district_president"])
    page = client.get(reverse("people:person", args=[khandelwal.pk])).content.decode()
    assert "Suresh Khandelwal" in page
    results = client.get(reverse("people:search"), {"q": "khandelwal"}).content.decode()
    assert "Suresh Khandelwal" in results and "khandelaval" not in results


def test_a_removed_person_keeps_the_placeholder(khandelwal):
    khandelwal.name_key, khandelwal.name_latin = "", REMOVED_NAME_LATIN
    assert khandelwal.name_display_latin == REMOVED_NAME_LATIN
