"""Appointments from the office: only a unit above appoints (a configurable rule); relieve with a reason;
hand over in one action; the unit's posts and the vacancies under it (list, count, CSV)."""

import pytest
from django.test import Client, override_settings

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.org.models import Position, PositionHistory, Post
from sangathan.people.appointments import (
    appointment_handover,
    appointment_make,
    appointment_relieve,
    vacancies,
)
from sangathan.people.services import person_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def president():
    return Post.objects.get(code="president")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_a_unit_above_appoints(tree, president):
    worker = tree.people["d1a1b1p0"]
    with pytest.raises(PermissionDenied):  # the booth's own president
        appointment_make(scope=scope_for_user(tree.users["booth_president"]), person=worker, post=president,
                         unit=tree["d1a1b1"])
    position = appointment_make(scope=scope_for_user(tree.users["mandal_president"]), person=worker,
                                post=president, unit=tree["d1a1b1"], note="बूथ समिति की बैठक")
    history = PositionHistory.objects.get(position=position)
    assert (history.action, history.actor, history.note) == ("assigned", tree.users["mandal_president"],
                                                             "बूथ समिति की बैठक")
    with pytest.raises(PermissionDenied):  # the mandal president does not appoint at the mandal itself
        appointment_make(scope=scope_for_user(tree.users["mandal_president"]), person=worker, post=president,
                         unit=tree["d1a1m"])
    with pytest.raises(NotFound):
        appointment_make(scope=scope_for_user(tree.users["district_president"]), person=tree.people["d2a1b1p0"],
                         post=president, unit=tree["d2a1b1"])


@override_settings(SANGATHAN_APPOINT_LEVELS_ABOVE_BY_POST={"president": 3})
def test_the_rule_is_configurable_per_post(tree, president):
    worker = tree.people["d1a1b1p0"]
    with pytest.raises(PermissionDenied):  # the mandal is two levels above the booth
        appointment_make(scope=scope_for_user(tree.users["mandal_president"]), person=worker, post=president,
                         unit=tree["d1a1b1"])
    appointment_make(scope=scope_for_user(tree.users["district_president"]), person=worker, post=president,
                     unit=tree["d1a1b1"])


def test_appointing_needs_an_active_worker_and_no_double_post(tree, president):
    worker = tree.people["d1a1b2p0"]
    office = scope_for_user(tree.users["district_president"])
    appointment_make(scope=office, person=worker, post=president, unit=tree["d1a1b2"])
    with pytest.raises(DomainError) as error:
        appointment_make(scope=office, person=worker, post=president, unit=tree["d1a1b2"])
    assert error.value.code == "duplicate"
    person_update(scope=Scope.system(), person=tree.people["d1a1b2p1"], status="expelled")
    with pytest.raises(DomainError) as error:
        appointment_make(scope=office, person=tree.people["d1a1b2p1"], post=president, unit=tree["d1a1b2"])
    assert error.value.field == "person"


def test_relieve_needs_a_reason_and_keeps_the_history(tree, president):
    office = scope_for_user(tree.users["district_president"])
    position = appointment_make(scope=office, person=tree.people["d1a1b2p0"], post=president, unit=tree["d1a1b2"])
    with pytest.raises(DomainError) as error:
        appointment_relieve(scope=office, position=position, reason=" ")
    assert error.value.field == "reason"
    with pytest.raises(PermissionDenied):
        appointment_relieve(scope=scope_for_user(tree.users["booth_president"]),
                            position=Position.objects.get(person=tree.people["booth_president"]), reason="x")
    appointment_relieve(scope=office, position=position, reason="कार्यकाल पूरा")
    position.refresh_from_db()
    assert position.end_date is not None and position.end_reason == "कार्यकाल पूरा"
    assert list(position.history.values_list("action", "note")) == [("assigned", ""), ("ended", "कार्यकाल पूरा")]


def test_hand_over_ends_one_and_starts_the_other_in_one_action(tree, president):
    office = scope_for_user(tree.users["district_president"])
    old = appointment_make(scope=office, person=tree.people["d1a1b2p0"], post=president, unit=tree["d1a1b2"])
    with pytest.raises(DomainError):
        appointment_handover(scope=office, position=old, person=tree.people["d1a1b2p0"])
    new = appointment_handover(scope=office, position=old, person=tree.people["d1a1b2p1"], reason="बदलाव")
    old.refresh_from_db()
    assert old.end_date == new.start_date and (new.post, new.unit) == (president, tree["d1a1b2"])
    assert new.person == tree.people["d1a1b2p1"] and new.history.get().note == "बदलाव"
    # A failing second half leaves the first undone too.
    expelled = tree.people["d1a1b1p1"]
    person_update(scope=Scope.system(), person=expelled, status="expelled")
    with pytest.raises(DomainError):
        appointment_handover(scope=office, position=new, person=expelled)
    new.refresh_from_db()
    assert new.end_date is None


def test_unit_posts_and_vacancies(tree, president):
    office = scope_for_user(tree.users["district_president"])
    rows = list(vacancies(office, tree["d1a1"]))
    booth_vacancies = [unit.code for unit, post in rows if unit.level == "booth"]
    assert booth_vacancies == ["D1A1B2"]  # booth d1a1b1 has its president
    appointment_make(scope=office, person=tree.people["d1a1b2p0"], post=president, unit=tree["d1a1b2"])
    assert len(list(vacancies(office, tree["d1a1"]))) == len(rows) - 1

    client = _client(tree.users["district_president"])
    page = client.get(f"/people/units/{tree['d1a1b1'].pk}/posts/").content.decode()
    assert tree.people["booth_president"].name in page
    listing = client.get(f"/people/units/{tree['d1a1'].pk}/vacancies/")
    assert listing.context["total"] == len(rows) - 1
    csv = b"".join(client.get(f"/people/units/{tree['d1a1'].pk}/vacancies.csv").streaming_content).decode()
    lines = csv.strip().splitlines()
    assert len(lines) == len(rows) and lines[0].startswith("\ufeff") and "D1A1B2" not in csv
    assert client.get(f"/people/units/{tree['d2a1'].pk}/vacancies/").status_code == 404


def test_the_appoint_page_offers_only_units_where_the_actor_may(tree):
    worker = tree.people["d1a1b1p0"]
    page = _client(tree.users["mandal_president"]).get(f"/people/{worker.pk}/appoint/")
    offered = [label for _value, label in page.context["form"].fields["unit"].choices if _value]
    assert offered == [f"{tree['d1a1b1'].name_hi} (बूथ)", f"{tree['d1a1s'].name_hi} (शक्ति केंद्र)"]
    assert _client(tree.users["booth_president"]).get(f"/people/{worker.pk}/appoint/").status_code == 404


def test_relieve_and_handover_pages(tree, president):
    office = scope_for_user(tree.users["district_president"])
    position = appointment_make(scope=office, person=tree.people["d1a1b2p0"], post=president, unit=tree["d1a1b2"])
    client = _client(tree.users["district_president"])
    found = client.get(f"/people/posts/{position.pk}/handover/", {"q": tree.people["d1a1b2p1"].name})
    assert tree.people["d1a1b2p1"].pk in [v for v, _label in found.context["form"].fields["person"].choices]
    response = client.post(f"/people/posts/{position.pk}/handover/", {
        "q": tree.people["d1a1b2p1"].name, "person": tree.people["d1a1b2p1"].pk, "on": "2026-01-01"})
    assert response.status_code == 200 and response.context["form"].errors  # before the start date
    response = client.post(f"/people/posts/{position.pk}/relieve/", {"end_date": position.start_date.isoformat(),
                                                                     "reason": "त्यागपत्र"})
    assert response.status_code == 302
    assert Position.objects.current().filter(unit=tree["d1a1b2"], post=president).count() == 0
