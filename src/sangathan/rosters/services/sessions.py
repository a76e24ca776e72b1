"""Hearing sessions: who sits where on which day, the session of a sitting (opened on first use), the next
session a case can be carried to, and the tokens and slots of a session's list."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.rosters.enums import SLOT_MINUTES, OfficeKind
from sangathan.rosters.models import HearingSession, Office, RosterDay, SittingDay
from sangathan.rosters.policies import may_run_hearing

# A district office-bearer's next sitting is at most a week away.
SEARCH_DAYS = 7


def check_run(scope: Scope, session: HearingSession) -> None:
    if not may_run_hearing(scope=scope, session=session):
        raise PermissionDenied(_("Only the sitting official, the office's managers and the state support cell "
                                 "run this hearing."))


def _hours_for(office: Office, on: date, person) -> tuple | None:
    """(starts_at, ends_at, roster day) when ``person`` sits at ``office`` on ``on``, else None."""
    day = RosterDay.objects.filter(office=office, date=on, person=person).first()
    if day is not None:
        return day.starts_at, day.ends_at, day
    sitting = SittingDay.objects.filter(office=office, person=person, weekday=on.weekday()).first()
    if sitting is not None:
        return sitting.starts_at, sitting.ends_at, None
    return None


def _session_get_or_create(office: Office, on: date, person, hours: tuple) -> HearingSession:
    starts_at, ends_at, roster_day = hours
    session, _created = HearingSession.objects.get_or_create(
        office=office, date=on, person=person,
        defaults={"unit_path": office.unit_path, "starts_at": starts_at, "ends_at": ends_at,
                  "roster_day": roster_day})
    return session


@transaction.atomic
def hearing_session_open(*, scope: Scope, office: Office, on: date, person=None) -> HearingSession:
    """The session of ``person`` at ``office`` on ``on`` (created the first time), at the hours of their
    roster day or sitting day. ``person`` defaults to the roster's minister of the day at the state office,
    to the first office-bearer sitting that day at a district office."""
    if on is None:
        raise DomainError(_("Give the date."), code="required", field="on")
    if person is None and office.kind == OfficeKind.STATE:
        day = RosterDay.objects.filter(office=office, date=on).select_related("person").first()
        person = day.person if day else None
    elif person is None:
        sitting = (SittingDay.objects.filter(office=office, weekday=on.weekday()).select_related("person")
                   .order_by("starts_at", "id").first())
        person = sitting.person if sitting else None
    if person is None:
        raise DomainError(_("Choose who sits at the hearing."), code="required", field="person")
    hours = _hours_for(office, on, person)
    if hours is None:
        raise DomainError(_("This person does not sit at this office on that day."), code="not_sitting",
                          field="person")
    existing = HearingSession.objects.filter(office=office, date=on, person=person).first()
    probe = existing or HearingSession(office=office, unit_path=office.unit_path, date=on, person=person)
    check_run(scope, probe)
    if existing is not None:
        return existing
    if on < clock.today():
        raise DomainError(_("A hearing cannot be opened for a past day."), code="past", field="on")
    return _session_get_or_create(office, on, person, hours)


def next_session_for(*, office: Office, person, after: date, any_person: bool = True) -> HearingSession | None:
    """The next session at ``office`` after ``after``: ``person``'s next roster or sitting day, else (when
    ``any_person``) whoever sits there next. Created when missing; None when nobody sits in sight."""
    if office.kind == OfficeKind.STATE:
        days = RosterDay.objects.filter(office=office, date__gt=after).order_by("date")
        day = days.filter(person=person).first() or (days.first() if any_person else None)
        if day is None:
            return None
        return _session_get_or_create(office, day.date, day.person, (day.starts_at, day.ends_at, day))
    sittings = list(SittingDay.objects.filter(office=office).select_related("person"))
    for offset in range(1, SEARCH_DAYS + 1):
        on = after + timedelta(days=offset)
        mine = [s for s in sittings if s.weekday == on.weekday() and s.person_id == person.pk]
        if mine:
            return _session_get_or_create(office, on, person, (mine[0].starts_at, mine[0].ends_at, None))
    if any_person:
        for offset in range(1, SEARCH_DAYS + 1):
            on = after + timedelta(days=offset)
            theirs = sorted((s for s in sittings if s.weekday == on.weekday()), key=lambda s: s.starts_at)
            if theirs:
                first = theirs[0]
                return _session_get_or_create(office, on, first.person, (first.starts_at, first.ends_at, None))
    return None


def slot_at_for(session: HearingSession, token: int) -> datetime:
    start = timezone.make_aware(datetime.combine(session.date, session.starts_at))
    return start + timedelta(minutes=SLOT_MINUTES * (token - 1))


def _next_token(session: HearingSession) -> int:
    HearingSession.objects.filter(pk=session.pk).update(last_token=F("last_token") + 1)
    return HearingSession.objects.values_list("last_token", flat=True).get(pk=session.pk)


def hearing_label(session: HearingSession, token: int, slot_at: datetime) -> str:
    # Data in the complainant's SMS (Hindi, like the message it goes into), not an interface string.
    local = timezone.localtime(slot_at)
    return (f"{session.office.name}, {session.person.name} — टोकन {token}, लगभग {local:%H:%M} बजे")[:200]
