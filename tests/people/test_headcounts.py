"""Big subtrees show a periodic headcount instead of counting millions of rows on every page view."""

import pytest
from django.urls import reverse

from sangathan.access.scope import Scope, scope_for_user
from sangathan.people import selectors
from sangathan.people.models import Person, UnitHeadcount
from sangathan.people.selectors import unit_children_with_counts, unit_headcount, units_with_counts
from sangathan.people.services import headcounts_refresh, person_create

pytestmark = pytest.mark.django_db


def live(unit) -> int:
    return Person.objects.filter(unit_path__startswith=unit.path).count()


def test_refresh_counts_every_subtree_exactly(tree):
    written = headcounts_refresh(scope=Scope.system())
    counts = dict(UnitHeadcount.objects.values_list("unit__code", "people"))
    assert written == len(counts)
    for unit in tree.units.values():
        assert counts.get(unit.code, 0) == live(unit), unit.code


def test_refresh_replaces_the_previous_counts(tree):
    headcounts_refresh(scope=Scope.system())
    person_create(scope=Scope.system(), name="नया कार्यकर्ता", mobile="9826012345", unit=tree["d2a2b2"])
    headcounts_refresh(scope=Scope.system())
    assert UnitHeadcount.objects.get(unit=tree["state"]).people == live(tree["state"])


def test_small_subtrees_are_counted_live_even_with_a_headcount(tree):
    headcounts_refresh(scope=Scope.system())
    person_create(scope=Scope.system(), name="नया कार्यकर्ता", mobile="9826012345", unit=tree["d1a1b1"])
    scope = scope_for_user(tree.users["state_admin"])
    count = unit_headcount(tree["state"], scope)
    assert (count.people, count.as_of) == (live(tree["state"]), None)


def test_big_subtrees_read_the_headcount(tree, monkeypatch):
    monkeypatch.setattr(selectors, "LIVE_COUNT_LIMIT", 3)
    headcounts_refresh(scope=Scope.system())
    before = live(tree["state"])
    person_create(scope=Scope.system(), name="नया कार्यकर्ता", mobile="9826012345", unit=tree["d1a1b1"])
    scope = scope_for_user(tree.users["state_admin"])
    count = unit_headcount(tree["state"], scope)
    assert count.people == before and count.as_of is not None  # as of the last refresh
    children = {row.unit.code: row.people for row in unit_children_with_counts(tree["div"], scope)}
    assert children["D1"] == live(tree["d1"]) - 1
    [root] = units_with_counts([tree["state"]], scope)
    assert root.people == before


def test_headcount_never_answers_outside_the_scope(tree):
    headcounts_refresh(scope=Scope.system())
    scope = scope_for_user(tree.users["booth_president"])
    assert unit_headcount(tree["d2"], scope).people == 0


def test_unit_page_says_how_old_a_headcount_is(tree, client, monkeypatch):
    monkeypatch.setattr(selectors, "LIVE_COUNT_LIMIT", 3)
    headcounts_refresh(scope=Scope.system())
    client.force_login(tree.users["state_admin"])
    client.cookies["sangathan_language"] = "en"
    page = client.get(reverse("dashboard:unit", args=[tree["state"].pk]))
    assert "Counts as of" in page.content.decode()
    small = client.get(reverse("dashboard:unit", args=[tree["d1a1b1"].pk]))
    assert "Counts as of" not in small.content.decode()
