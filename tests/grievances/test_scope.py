"""Who sees which grievance: the district cell its district, the state cell all, a minister what is
assigned to them, the named office-bearer never; 404 outside, 403 read-only."""

import pytest

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.grievances.enums import GrievanceKind
from sangathan.grievances.selectors import grievance_get_for_actor, grievances_visible
from sangathan.grievances.services import grievance_add_note, grievance_assign, grievance_escalate
from sangathan.people.timeline import person_timeline
from tests.api_client import ApiClient
from tests.grievances.helpers import take


def visible(cell, key):
    return set(grievances_visible(scope_for_user(cell[key])).values_list("pk", flat=True))


@pytest.fixture
def cases(cell):
    d1 = take(cell, subject="जिला 1 की समस्या")
    d2 = take(cell, actor="district2_convener", unit="d2a1b1", subject="जिला 2 की समस्या", mobile="9826012346")
    return {"d1": d1.pk, "d2": d2.pk}


def test_a_district_cell_sees_only_its_district(cell, cases):
    for key in ("district_convener", "district_president", "district_incharge", "district_vice_president"):
        assert visible(cell, key) == {cases["d1"]}, key
    assert visible(cell, "district2_convener") == {cases["d2"]}


def test_the_state_cell_and_superusers_see_all(cell, cases):
    for key in ("state_convener", "state_member", "state_admin"):
        assert visible(cell, key) == set(cases.values()), key


def test_below_the_district_and_outside_the_organization_nothing(cell, cases):
    # A mandal president reads the mandal's people, not the district cell's grievances.
    assert visible(cell, "mandal_president") == set()
    assert visible(cell, "revenue_minister") == set()
    assert grievances_visible(Scope.empty()).count() == 0      # no user: nothing (deny by default)


def test_a_minister_sees_what_is_assigned_to_them(cell, cases):
    grievance = grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=grievance_get_for_actor(
        cases["d1"], scope_for_user(cell["district_convener"])), reason="जिले में हल नहीं हुआ")
    grievance_assign(scope=scope_for_user(cell["state_convener"]), grievance=grievance, to_person=cell.people["health_minister"])
    assert visible(cell, "health_minister") == {cases["d1"]}
    assert visible(cell, "revenue_minister") == set()
    # The minister may act on it; the district vice-president may only read it.
    grievance_add_note(scope=scope_for_user(cell["health_minister"]), grievance=grievance, text="विभाग से बात की")
    with pytest.raises(PermissionDenied):
        grievance_get_for_actor(cases["d1"], scope_for_user(cell["district_vice_president"]), for_write=True)


def test_outside_is_404_and_read_only_is_403(cell, cases):
    with pytest.raises(NotFound):
        grievance_get_for_actor(cases["d2"], scope_for_user(cell["district_convener"]))
    with pytest.raises(NotFound):
        grievance_get_for_actor(999_999, scope_for_user(cell["state_convener"]))
    with pytest.raises(PermissionDenied):
        grievance_add_note(scope=scope_for_user(cell["district_vice_president"]), grievance=grievance_get_for_actor(
            cases["d1"], scope_for_user(cell["district_vice_president"])), text="x")
    assert grievance_get_for_actor(cases["d1"], scope_for_user(cell["district_convener"]), for_write=True).pk == cases["d1"]


def test_the_named_office_bearer_never_sees_the_grievance(cell, cases):
    president = cell.people["district_president"]
    complainant = cell.tree.people["d1a1b1p0"]
    named = take(cell, named_person=president, complainant=complainant, name="", mobile="",
                 subject="जिला अध्यक्ष ने धमकाया")
    assert named.pk not in visible(cell, "district_president")
    assert named.pk in visible(cell, "district_convener") and named.pk in visible(cell, "state_convener")
    with pytest.raises(NotFound):
        grievance_get_for_actor(named.pk, scope_for_user(cell["district_president"]))
    with pytest.raises(Exception) as raised:
        grievance_assign(scope=scope_for_user(cell["district_convener"]), grievance=named, to_person=president)
    assert getattr(raised.value, "code", "") == "recused"
    # Not on the complainant's timeline for them either, but on the convener's.
    president_view = person_timeline(person=complainant, scope=scope_for_user(cell["district_president"]))
    convener_view = person_timeline(person=complainant, scope=scope_for_user(cell["district_convener"]))
    assert not [e for e in president_view if e.kind == "grievance"]
    assert [named.tracking_code in e.title for e in convener_view if e.kind == "grievance"] == [True]


def test_api_scope_and_audit(cell, cases):
    api = ApiClient.login(cell["district_convener"])
    listed = api.get("/grievances").json()
    assert [item["id"] for item in listed["items"]] == [cases["d1"]] and listed["count"] == 1
    assert api.get(f"/grievances/{cases['d2']}").status_code == 404
    response = api.get(f"/grievances/{cases['d1']}")
    assert response.status_code == 200 and response.json()["events"]
    assert AuditLog.objects.filter(action=AuditLog.Action.GRIEVANCE_VIEW, target_id=cases["d1"],
                                   actor=cell["district_convener"]).count() == 1
    reader = ApiClient.login(cell["district_vice_president"])
    forbidden = reader.post(f"/grievances/{cases['d1']}/notes", {"text": "नोट"})
    assert forbidden.status_code == 403 and forbidden.json()["detail"]
    assert reader.post(f"/grievances/{cases['d2']}/notes", {"text": "नोट"}).status_code == 404


def test_ministers_kind_filter_and_unknown_department_in_the_list(cell, cases):
    api = ApiClient.login(cell["state_convener"])
    assert api.get("/grievances", {"kind": GrievanceKind.ADMINISTRATIVE}).json()["count"] == 0
    bad = api.get("/grievances", {"department": "nope"})
    assert bad.status_code == 400 and "department" in bad.json()["errors"]
