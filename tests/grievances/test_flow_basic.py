"""The organizational path at a glance: intake routes by the rules, the sweep escalates, the state cell
hands it to the minister of the department, who then sees it."""

from sangathan.access.scope import Scope, scope_for_user
from sangathan.grievances.enums import (
    AssignmentRole,
    EventKind,
    GrievanceChannel,
    GrievanceKind,
    GrievanceLevel,
)
from sangathan.grievances.selectors import grievances_visible
from sangathan.grievances.services import grievance_assign, grievance_create, grievances_escalate_overdue


def test_intake_routing_sweep_and_minister(cell, clock):
    tree = cell.tree
    grievance = grievance_create(
        scope=scope_for_user(cell["district_convener"]), unit=tree["d1a1b1"], channel=GrievanceChannel.DISTRICT_OFFICE,
        kind=GrievanceKind.ORGANIZATIONAL, subject="मंडल में बैठक की सूचना नहीं मिलती", description="",
        complainant_name="रामलाल", complainant_mobile="9826012345", department=cell.departments["revenue"])
    assignees = set(grievance.assignments.values_list("person_id", "role"))
    assert assignees == {
        (cell.people["district_president"].pk, AssignmentRole.ASSIGNEE),
        (cell.people["district_incharge"].pk, AssignmentRole.ASSIGNEE),
        (cell.people["district_convener"].pk, AssignmentRole.WATCHER),
    }
    clock.advance(days=12)
    assert grievances_escalate_overdue(scope=Scope.system()) == 1
    grievance.refresh_from_db()
    assert grievance.level == GrievanceLevel.STATE
    assert EventKind.ESCALATED in set(grievance.events.values_list("kind", flat=True))
    grievance = grievance_assign(scope=scope_for_user(cell["state_member"]), grievance=grievance,
                                 to_person=cell.people["revenue_minister"])
    assert grievance.level == GrievanceLevel.MINISTER
    assert grievances_visible(scope_for_user(cell["revenue_minister"])).filter(pk=grievance.pk).exists()
    assert not grievances_visible(scope_for_user(cell["health_minister"])).filter(pk=grievance.pk).exists()
