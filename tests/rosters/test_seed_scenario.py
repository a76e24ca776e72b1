"""Seed 000 end to end (acceptance): a worker walks into the district office on its sitting day; the
organizational problem goes to the district president and the district in-charge; nobody solves it in
time and the sweep sends it to the state support cell, which gives it to the minister of the department;
it is scheduled into that minister's roster day at the state office, heard and resolved there; the
complainant is told and answers by SMS that they are satisfied. Time moves by the controllable clock.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.grievances.enums import (
    AssignmentRole,
    EventKind,
    Feedback,
    GrievanceChannel,
    GrievanceKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import Grievance
from sangathan.grievances.selectors import grievances_visible
from sangathan.grievances.services import (
    grievance_assign,
    grievance_reply_received,
    grievances_escalate_overdue,
)
from sangathan.messaging.models import Message
from sangathan.rosters.enums import CaseOutcome, CaseSource
from sangathan.rosters.models import RosterDay
from sangathan.rosters.selectors import who_sits
from sangathan.rosters.services import (
    DirectionIn,
    hearing_case_record,
    hearing_schedule,
    hearing_session_open,
    hearing_walk_in,
    next_session_for,
    office_create,
    roster_generate,
    sitting_day_add,
)
from tests.grievances.cell import MONDAY

pytestmark = pytest.mark.django_db

COMPLAINANT_MOBILE = "+919826012345"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Local time in Bhopal, handed to the clock in UTC as ``timezone.now()`` gives it (the escalation
    sweep's raw SQL compares the stored UTC text with its parameter on SQLite)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute))).astimezone(UTC)


def test_seed_000_whole_path(cell, state_office, clock):
    tree, people, users = cell.tree, cell.people, cell.users
    monday = MONDAY.date()

    # The district office of district 1: its president sits on Mondays, 11 to 2, with the cell's convener.
    office = office_create(scope=scope_for_user(users["district_convener"]), unit=tree["d1"], name="जिला कार्यालय, जिला 1",
                           address="स्टेशन रोड")
    sitting_day_add(scope=scope_for_user(users["district_convener"]), office=office, person=people["district_president"],
                    weekday=0, starts_at=time(11), ends_at=time(14))
    sitting_day_add(scope=scope_for_user(users["district_convener"]), office=office, person=people["district_convener"],
                    weekday=0, starts_at=time(11, 30), ends_at=time(14), note="सहयोग सेल जिला संयोजक")
    clock.set(at(monday, 11, 20))
    assert [s.person_id for s in who_sits(office, monday)] == [people["district_president"].pk,
                                                              people["district_convener"].pk]

    # 1. A walk-in on the sitting day, taken by the district convener at the district president's session.
    session = hearing_session_open(scope=scope_for_user(users["district_convener"]), office=office, on=monday)
    assert session.person == people["district_president"]
    case = hearing_walk_in(
        scope=scope_for_user(users["district_convener"]), session=session, unit=tree["d1a1b1"], kind=GrievanceKind.ORGANIZATIONAL,
        department=cell.departments["revenue"], subject="मंडल अध्यक्ष ने बूथ समिति से नाम हटाया",
        description="बिना सूचना के बूथ समिति से मेरा नाम हटा दिया गया।", complainant_name="रामलाल अहिरवार",
        complainant_mobile=COMPLAINANT_MOBILE)
    grievance = case.grievance
    assert (case.source, case.token, grievance.channel) == (CaseSource.WALK_IN, 1, GrievanceChannel.DISTRICT_OFFICE)
    assert Message.objects.filter(idempotency_key=f"grievance:{grievance.pk}:ack",
                                  to_address=COMPLAINANT_MOBILE).exists()
    assert Message.objects.filter(idempotency_key=f"hearing:{case.pk}:token").exists()

    # 2. Organizational: the district president and the district in-charge are assigned.
    assignees = set(grievance.assignments.filter(role=AssignmentRole.ASSIGNEE, ended_at__isnull=True)
                    .values_list("person_id", flat=True))
    assert assignees == {people["district_president"].pk, people["district_incharge"].pk}
    assert (grievance.level, grievance.status) == (GrievanceLevel.DISTRICT, GrievanceStatus.OPEN)
    # The president hears it and directs the in-charge, who does not manage in time.
    clock.set(at(monday, 11, 45))
    hearing_case_record(scope=scope_for_user(users["district_president"]), case=case, outcome=CaseOutcome.DIRECTIONS,
                        directions=[DirectionIn(owner=people["district_incharge"], text="मंडल अध्यक्ष से बात करें",
                                                deadline=monday + timedelta(days=3))])

    # 3. Overdue: seven working days (Sundays off) end on Tuesday week at 11:20; the sweep then escalates it.
    clock.set(at(monday + timedelta(days=8), 11))
    assert grievances_escalate_overdue(scope=Scope.system()) == 0
    clock.set(at(monday + timedelta(days=8), 11, 30))
    assert grievances_escalate_overdue(scope=Scope.system()) == 1
    grievance.refresh_from_db()
    assert (grievance.level, grievance.escalation_count) == (GrievanceLevel.STATE, 1)
    assert grievance.events.filter(kind=EventKind.ESCALATED, data__auto=True).exists()
    assert grievances_visible(scope_for_user(users["state_convener"])).filter(pk=grievance.pk).exists()

    # 4. The state cell gives it to the minister of the department.
    minister = cell.departments["revenue"].minister
    grievance = grievance_assign(scope=scope_for_user(users["state_convener"]), grievance=grievance, to_person=minister,
                                 note="राजस्व मंत्री जी की सुनवाई में रखें")
    assert grievance.level == GrievanceLevel.MINISTER
    assert grievances_visible(scope_for_user(users["revenue_minister"])).filter(pk=grievance.pk).exists()

    # 5. Scheduled into that minister's roster day at the state office (the roster is drawn up further).
    today = monday + timedelta(days=8)
    roster_generate(scope=scope_for_user(users["state_convener"]), office=state_office, start=today,
                    end=today + timedelta(days=20))
    hearing = next_session_for(office=state_office, person=minister, after=today, any_person=False)
    assert hearing.person == minister and hearing.date > today
    assert RosterDay.objects.get(office=state_office, date=hearing.date).person == minister
    heard = hearing_schedule(scope=scope_for_user(users["state_convener"]), session=hearing, grievance=grievance)
    grievance.refresh_from_db()
    assert (grievance.status, grievance.hearing_on, grievance.due_at) == (GrievanceStatus.SCHEDULED, hearing.date,
                                                                         None)
    told = Message.objects.get(idempotency_key=f"grievance:{grievance.pk}:hearing:{hearing.date.isoformat()}")
    assert told.to_address == COMPLAINANT_MOBILE and f"टोकन {heard.token}" in told.body

    # 6. Resolved in the hearing: the minister records it on the phone at 1:05 PM.
    clock.set(at(hearing.date, 13, 5))
    hearing_case_record(scope=scope_for_user(users["revenue_minister"]), case=heard, outcome=CaseOutcome.RESOLVED,
                        note="जिला अध्यक्ष को नाम दोबारा जोड़ने के निर्देश; सूची संशोधित हुई।")
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.RESOLVED

    # 7. The complainant is told, with the tracking code.
    resolved = Message.objects.filter(to_address=COMPLAINANT_MOBILE, idempotency_key__contains=":resolved")
    assert resolved.count() == 1 and grievance.tracking_code in resolved.get().body

    # 8. They answer "1" by SMS: satisfied, and the grievance closes.
    clock.advance(hours=3)
    assert grievance_reply_received(scope=Scope.system(), channel="sms", from_address=COMPLAINANT_MOBILE, body="1") is not None
    grievance = Grievance.objects.get(pk=grievance.pk)
    assert (grievance.status, grievance.feedback) == (GrievanceStatus.CLOSED, Feedback.SATISFIED)

    kinds = list(grievance.events.exclude(kind=EventKind.MESSAGE).values_list("kind", flat=True))
    for step in (EventKind.CREATED, EventKind.ASSIGNED, EventKind.NOTE, EventKind.ESCALATED, EventKind.SCHEDULED,
                 EventKind.RESOLVED, EventKind.FEEDBACK, EventKind.CLOSED):
        assert step in kinds, step
    assert kinds.index(EventKind.ESCALATED) < kinds.index(EventKind.SCHEDULED) < kinds.index(EventKind.RESOLVED)
