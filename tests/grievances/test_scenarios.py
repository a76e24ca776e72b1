"""The seed's paths end to end on a controllable clock (both databases).

Administrative: taken at the district office → forwarded to the department with its CM Helpline number →
the department's 30 days run out → the sweep chases and escalates to the state cell → resolved →
complainant notified with the tracking code → replies "1" by SMS → closed as confirmed.

Organizational: walk-in at the district office → district president and in-charge assigned, convener
watching → 7 working days pass → the sweep escalates to the state cell → the state cell assigns it to
the minister of the department (the rosters app takes it on to the hearing).
"""

import json

from django.test import Client

from sangathan.access.scope import Scope, scope_for_user
from sangathan.grievances.enums import (
    AssignmentRole,
    ClosureKind,
    EventKind,
    Feedback,
    GrievanceKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.selectors import grievance_by_code_and_mobile, grievances_visible
from sangathan.grievances.services import (
    grievance_assign,
    grievance_forward,
    grievance_resolve,
    grievances_chase_external,
    grievances_escalate_overdue,
)
from sangathan.messaging.models import Message
from tests.grievances.helpers import take

SMS_URL = "/api/v1/messaging/webhooks/sms/sms_http"


def events(grievance) -> list[str]:
    return list(grievance.events.order_by("at", "id").values_list("kind", flat=True))


def test_administrative_forwarding_to_a_department(cell, clock, settings):
    settings.SANGATHAN_SMS_WEBHOOK_SECRET = "gw-secret"
    convener = cell["district_convener"]
    revenue = cell.departments["revenue"]
    grievance = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=revenue,
                     subject="नामांतरण का प्रकरण छह महीने से लंबित", mobile="9826099999", name="हरिशंकर लोधी")
    clock.advance(days=2)
    grievance = grievance_forward(scope=scope_for_user(convener), grievance=grievance, office="तहसील कार्यालय हुजूर",
                                  reference="CMH-2026-118342")
    assert grievance.status == GrievanceStatus.FORWARDED and grievance.due_at is None
    assert grievance.paused_days == 5  # of the district's 7 working days, two (Tue, Wed) were used
    assert grievance.external_due_at.date().isoformat() == "2026-03-06"  # 4 Feb + 30 days

    # While the department's clock runs, neither sweep touches it.
    clock.advance(days=20)
    assert grievances_escalate_overdue(scope=Scope.system()) == 0 and grievances_chase_external(scope=Scope.system()) == 0
    clock.advance(days=11)
    assert grievances_chase_external(scope=Scope.system()) == 1
    grievance.refresh_from_db()
    assert (grievance.status, grievance.level) == (GrievanceStatus.OPEN, GrievanceLevel.STATE)
    assert grievance.due_at is not None and grievance.escalation_count == 1
    assert events(grievance)[-4:] == [EventKind.EXTERNAL_OVERDUE, EventKind.ESCALATED, EventKind.ASSIGNED,
                                      EventKind.MESSAGE]
    state_assignee = grievance.assignments.get(ended_at__isnull=True, role=AssignmentRole.ASSIGNEE).person
    assert state_assignee in (cell.people["state_member"], cell.people["state_convener"])
    # The district cell still sees and owns it.
    assert grievances_visible(scope_for_user(convener)).filter(pk=grievance.pk).exists()

    grievance = grievance_resolve(scope=scope_for_user(cell["state_convener"]), grievance=grievance,
                                  note="तहसीलदार से बात हुई, नामांतरण आदेश जारी हो गया है।")
    notice = Message.objects.get(idempotency_key=f"grievance:{grievance.pk}:resolved:0")
    assert grievance.tracking_code in notice.body and notice.to_address == "+919826099999"

    reply = {"from": "919826099999", "text": f"1 {grievance.tracking_code}"}
    response = Client().post(SMS_URL, json.dumps(reply), content_type="application/json",
                             headers={"X-Webhook-Secret": "gw-secret"})
    assert response.status_code == 200
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.CLOSED and grievance.closure == ClosureKind.CONFIRMED
    assert grievance.feedback == Feedback.SATISFIED
    assert grievance_by_code_and_mobile(tracking_code=grievance.tracking_code, mobile="98260 99999") == grievance


def test_organizational_path_to_the_minister_of_the_department(cell, clock):
    grievance = take(cell, subject="मंडल अध्यक्ष बैठकों की सूचना नहीं देते", department=cell.departments["health"])
    roles = dict(grievance.assignments.values_list("person_id", "role"))
    assert roles == {cell.people["district_president"].pk: AssignmentRole.ASSIGNEE,
                     cell.people["district_incharge"].pk: AssignmentRole.ASSIGNEE,
                     cell.people["district_convener"].pk: AssignmentRole.WATCHER}

    clock.advance(days=7)  # Monday 9 Feb: due Tuesday 10 Feb at 10:00
    assert grievances_escalate_overdue(scope=Scope.system()) == 0
    clock.advance(days=1, minutes=1)
    assert grievances_escalate_overdue(scope=Scope.system()) == 1
    assert grievances_escalate_overdue(scope=Scope.system()) == 0  # a second run finds nothing
    grievance.refresh_from_db()
    assert grievance.level == GrievanceLevel.STATE and grievance.status == GrievanceStatus.OPEN
    active = grievance.assignments.filter(ended_at__isnull=True, role=AssignmentRole.ASSIGNEE)
    assert [a.level for a in active] == [GrievanceLevel.STATE]
    assert Message.objects.filter(idempotency_key=f"grievance:{grievance.pk}:escalated:state:1").exists()

    grievance = grievance_assign(scope=scope_for_user(cell["state_convener"]), grievance=grievance,
                                 to_person=cell.people["health_minister"], note="मंत्री जी देखें")
    assert grievance.level == GrievanceLevel.MINISTER
    assert list(grievance.assignments.filter(ended_at__isnull=True, role=AssignmentRole.ASSIGNEE)
                .values_list("person_id", flat=True)) == [cell.people["health_minister"].pk]
    assert grievances_visible(scope_for_user(cell["health_minister"])).filter(pk=grievance.pk).exists()
    assert Message.objects.filter(person=cell.people["health_minister"], template__code="grievance_assigned").exists()
