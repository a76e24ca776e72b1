"""The Sahyog Cell's reach is a narrowing of the one Scope: ScopeGrants and overlays count, recusal holds,
office-bearers below the district see nothing, reads are audited by the fetch, and every write leaves its
timeline event or audit row."""

from datetime import timedelta

import pytest
from django.test import Client

from sangathan.access.models import AuditLog, ScopeGrant
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core import clock
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.grievances.enums import EventKind, GrievanceKind, GrievanceStatus
from sangathan.grievances.models import GrievanceEvent, Holiday
from sangathan.grievances.policies import STATE_CELL, STATE_CONVENER, grievance_scope
from sangathan.grievances.selectors import assign_candidates, grievance_get_for_actor, grievances_visible
from sangathan.grievances.services import (
    cell_settings_update,
    department_update,
    grievance_add_note,
    grievance_assign,
    grievance_escalate,
    grievances_escalate_overdue,
    holiday_add,
    holiday_remove,
)
from sangathan.org.enums import Grant
from tests.api_client import ApiClient
from tests.factories import PersonFactory, make_user
from tests.grievances.helpers import take


def staff_with_grant(cell, unit_key: str, grant=Grant.WRITE):
    """A staff user with no position at all, only a ScopeGrant on ``unit_key``'s subtree."""
    user = make_user(PersonFactory(unit=cell.tree[unit_key]))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    ScopeGrant.objects.create(user=user, unit=cell.tree[unit_key], grant=grant, reason="data desk")
    return user


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_scope_grant_holder_sees_and_handles_the_districts_grievances(cell):
    staff = staff_with_grant(cell, "d2")
    d2 = take(cell, actor="district2_convener", unit="d2a1b1", mobile="9826012399")
    d1 = take(cell)
    scope = scope_for_user(staff)
    assert set(grievances_visible(scope).values_list("pk", flat=True)) == {d2.pk}
    grievance_add_note(scope=scope, grievance=d2, text="कागज़ मिल गए")
    assert GrievanceEvent.objects.filter(grievance=d2, kind=EventKind.NOTE, actor=staff).exists()
    with pytest.raises(NotFound):
        grievance_get_for_actor(d1.pk, scope)
    api = ApiClient.login(staff)
    assert [item["id"] for item in api.get("/grievances").json()["items"]] == [d2.pk]
    assert api.post(f"/grievances/{d2.pk}/notes", {"text": "फ़ोन किया"}).status_code == 200
    assert api.get(f"/grievances/{d1.pk}").status_code == 404
    page = web(staff).get("/grievances/")
    assert page.status_code == 200 and d2.tracking_code in page.content.decode()


def test_a_read_grant_reads_but_does_not_act(cell):
    staff = staff_with_grant(cell, "d1", grant=Grant.READ)
    grievance = take(cell)
    scope = scope_for_user(staff)
    assert grievance_get_for_actor(grievance.pk, scope) == grievance
    with pytest.raises(PermissionDenied):
        grievance_add_note(scope=scope, grievance=grievance, text="x")
    assert ApiClient.login(staff).post(f"/grievances/{grievance.pk}/notes", {"text": "x"}).status_code == 403


def test_a_revoked_grant_gives_nothing(cell):
    staff = staff_with_grant(cell, "d1")
    grievance = take(cell)
    ScopeGrant.objects.filter(user=staff).update(revoked_at=grievance.created_at)
    assert not grievances_visible(scope_for_user(staff)).exists()


def test_recusal_hides_the_grievance_from_the_person_it_names_whatever_they_hold(cell):
    named = cell.people["district_president"]
    grievance = take(cell, named_person=named)
    president = cell["district_president"]
    ScopeGrant.objects.create(user=president, unit=cell.tree["d1"], grant=Grant.WRITE, reason="also staff")
    scope = scope_for_user(president)
    assert not grievances_visible(scope).filter(pk=grievance.pk).exists()
    with pytest.raises(NotFound):
        grievance_get_for_actor(grievance.pk, scope)
    assert ApiClient.login(president).get(f"/grievances/{grievance.pk}").status_code == 404
    assert web(president).get(f"/grievances/{grievance.pk}/").status_code == 404
    assert named.pk not in dict(assign_candidates(grievance, scope_for_user(cell["district_convener"])))


def test_a_booth_president_sees_no_grievances(cell):
    grievance = take(cell)
    booth = cell.tree.users["booth_president"]
    scope = scope_for_user(booth)
    assert not grievances_visible(scope).exists()
    assert ApiClient.login(booth).get("/grievances").json()["count"] == 0
    assert ApiClient.login(booth).get(f"/grievances/{grievance.pk}").status_code == 404
    assert web(booth).get("/grievances/").status_code == 403
    assert web(booth).get(f"/grievances/{grievance.pk}/").status_code == 404


def test_the_narrowing_reads_only_the_scope_and_marks_the_state_cell(cell, django_assert_num_queries):
    scope = scope_for_user(cell["state_convener"])
    with django_assert_num_queries(0):
        narrowed = grievance_scope(scope)
    assert narrowed.sees_all and narrowed.writes_all and {STATE_CELL, STATE_CONVENER} <= narrowed.flags
    assert grievance_scope(scope) is narrowed and grievance_scope(narrowed) is narrowed
    member = grievance_scope(scope_for_user(cell["state_member"]))
    assert member.sees_all and STATE_CONVENER not in member.flags
    district = grievance_scope(scope_for_user(cell["district_convener"]))
    assert not district.sees_all and district.write_paths == (cell.tree["d1"].path,)


def test_a_detail_read_is_audited_by_the_fetch_and_a_write_fetch_is_not(cell):
    grievance = take(cell)
    scope = scope_for_user(cell["district_convener"]).with_context(channel="api")
    grievance_get_for_actor(grievance.pk, scope)
    grievance_get_for_actor(grievance.pk, scope, for_write=True)
    rows = AuditLog.objects.filter(action=AuditLog.Action.GRIEVANCE_VIEW, target_id=grievance.pk)
    assert rows.count() == 1 and rows.get().actor == cell["district_convener"]


def test_only_the_offered_people_can_be_assigned_whatever_the_channel(cell):
    grievance = take(cell)
    scope = scope_for_user(cell["district_convener"])
    with pytest.raises(PermissionDenied):
        grievance_assign(scope=scope, grievance=grievance, to_person=cell.tree.people["booth_president"])
    with pytest.raises(PermissionDenied):
        grievance_assign(scope=scope, grievance=grievance, to_person=cell.people["revenue_minister"])
    grievance_assign(scope=scope, grievance=grievance, to_person=cell.people["district_incharge"].pk)
    assert GrievanceEvent.objects.filter(grievance=grievance, kind=EventKind.ASSIGNED,
                                         data__person=cell.people["district_incharge"].pk).exists()


def test_every_workflow_write_leaves_its_event(cell):
    convener = scope_for_user(cell["district_convener"])
    grievance = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["revenue"])
    assert GrievanceEvent.objects.filter(grievance=grievance, kind=EventKind.CREATED).exists()
    before = GrievanceEvent.objects.count()
    grievance_add_note(scope=convener, grievance=grievance, text="नोट")
    grievance = grievance_escalate(scope=convener, grievance=grievance, reason="कारण")
    assert grievance.status == GrievanceStatus.OPEN
    kinds = list(GrievanceEvent.objects.order_by("id").values_list("kind", flat=True)[before:])
    assert kinds[0] == EventKind.NOTE and EventKind.ESCALATED in kinds


def test_configuration_changes_are_the_state_conveners_and_audited(cell):
    convener = scope_for_user(cell["state_convener"])
    day = clock.today() + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        holiday_add(scope=scope_for_user(cell["district_convener"]), on=day, name_hi="होली")
    holiday_add(scope=convener, on=day, name_hi="होली")
    holiday_remove(scope=convener, on=day)
    cell_settings_update(scope=convener, reminder_days=2)
    department_update(scope=convener, department=cell.departments["health"], external_days=15)
    codes = set(AuditLog.objects.filter(actor=cell["state_convener"]).values_list("action", flat=True))
    assert {"grievances.holiday_add", "grievances.holiday_remove", "grievances.settings_update",
            "grievances.department_update"} <= codes
    assert not Holiday.objects.filter(date=day).exists()


def test_the_sweeps_are_the_systems(cell):
    take(cell)
    with pytest.raises(PermissionDenied):
        grievances_escalate_overdue(scope=scope_for_user(cell["district_convener"]))
    assert grievances_escalate_overdue(scope=Scope.system()) == 0
    assert grievances_visible(Scope.system()).count() == 1
