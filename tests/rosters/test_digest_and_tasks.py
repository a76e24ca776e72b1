"""The weekly digest to the cell's conveners (idempotent per week) and the periodic tasks."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.clock import today
from sangathan.grievances.digest import digest_recipients, digest_send_weekly
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind
from sangathan.grievances.services import grievance_create
from sangathan.messaging.models import Message
from sangathan.messaging.services import opt_out
from sangathan.rosters import tasks
from sangathan.rosters.enums import HearingStatus
from sangathan.rosters.models import HearingSession
from sangathan.rosters.services import hearing_session_open

pytestmark = pytest.mark.django_db


def take(cell, unit, subject, mobile):
    return grievance_create(scope=scope_for_user(cell["state_member"]), unit=cell.tree[unit], channel=GrievanceChannel.PHONE,
                            kind=GrievanceKind.ORGANIZATIONAL, subject=subject, description="",
                            complainant_name="x", complainant_mobile=mobile)


def test_digest_goes_to_each_convener_once_a_week(cell, clock):
    take(cell, "d1a1b1", "बैठक की सूचना नहीं", "9826011111")
    take(cell, "d1a2b1", "सदस्यता रसीद नहीं मिली", "9826022222")
    take(cell, "d2a1b1", "मंडल अध्यक्ष का व्यवहार", "9826033333")
    people = {r.person_id: r.unit.code for r in digest_recipients()}
    assert people == {cell.people["state_convener"].pk: "MP", cell.people["district_convener"].pk: "D1",
                      cell.people["district2_convener"].pk: "D2"}
    clock.advance(days=9)                                   # district 1's two are overdue by now
    messages = digest_send_weekly(scope=Scope.system())
    assert len(messages) == 3
    by_person = {m.person_id: m.body for m in messages}
    state = by_person[cell.people["state_convener"].pk]
    assert "मध्य प्रदेश" in state and "खुली 3" in state and "समय-सीमा पार 3" in state
    assert "जिला 1 2" in state                                # the districts needing attention
    d1 = by_person[cell.people["district_convener"].pk]
    assert "जिला 1" in d1 and "खुली 2" in d1 and "जिला 2" not in d1
    assert digest_send_weekly(scope=Scope.system()) == messages                 # the same week: the same rows, nothing new
    assert Message.objects.filter(idempotency_key__startswith="sahyog-digest:").count() == 3
    clock.advance(days=7)
    assert len(digest_send_weekly(scope=Scope.system())) == 3
    assert Message.objects.filter(idempotency_key__startswith="sahyog-digest:").count() == 6


def test_a_convener_opted_out_of_every_channel_gets_none(cell):
    for channel in ("sms", "whatsapp"):
        opt_out(scope=Scope.system(), person=cell.people["district2_convener"], channel=channel, source="stop_reply")
    assert len(digest_send_weekly(scope=Scope.system())) == 2


def test_periodic_tasks_call_their_services(cell, state_office, clock):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=today())
    clock.set(timezone.make_aware(datetime.combine(session.date, datetime.min.time())) + timedelta(hours=20))
    tasks.carry_over_hearings()
    assert HearingSession.objects.get(pk=session.pk).status == HearingStatus.CLOSED
    tasks.send_weekly_digest()
    assert Message.objects.filter(idempotency_key__startswith="sahyog-digest:").count() == 3
