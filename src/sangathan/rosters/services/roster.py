"""The state office's minister roster: Monday to Friday, 1 to 3 PM, one minister a day, in rotation.

``roster_generate`` draws up the days of a period in rotation order, continuing from the last day drawn
up before it, so consecutive periods keep the rotation fair (over any stretch each member sits ⌊n/m⌋ or
⌈n/m⌉ of n days). Holidays come from the office calendar (``roster_holidays``); weekends are never roster
days. A swap exchanges two days' ministers; an absence hands a day to a named substitute or to the next
member of the rotation. Each is a ``RosterChange`` row with the actor and the reason.
"""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError, NotFound, check_length
from sangathan.grievances.models import Holiday
from sangathan.rosters.enums import (
    MINISTER_DAYS,
    MINISTER_ENDS_AT,
    MINISTER_STARTS_AT,
    OfficeKind,
    RosterChangeKind,
)
from sangathan.rosters.models import Office, RosterDay, RosterMember
from sangathan.rosters.services.common import check_manage, record_change

# A roster is drawn up for weeks or months ahead, never years: a typo in a year is refused, not obeyed.
MAX_PERIOD_DAYS = 366


def _check_state_office(office: Office) -> None:
    if office.kind != OfficeKind.STATE:
        raise DomainError(_("Only the state office has a minister roster."), code="not_state_office",
                          field="office")


def roster_holidays(start: date, end: date) -> set[date]:
    """Holidays between ``start`` and ``end`` (inclusive) on the office calendar (the Sahyog Cell's)."""
    return set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


@transaction.atomic
def roster_rotation_set(*, scope: Scope, office: Office, members: list[tuple]) -> list[RosterMember]:
    """Set the rotation: ``members`` is ``[(person, title), …]`` in order. People left out stay as inactive
    rows (their past days keep pointing at them)."""
    check_manage(scope=scope, unit_path=office.unit_path)
    _check_state_office(office)
    if not members:
        raise DomainError(_("Name at least one minister for the rotation."), code="required", field="members")
    person_ids = [person.pk for person, _title in members]
    if len(set(person_ids)) != len(person_ids):
        raise DomainError(_("A minister appears twice in the rotation."), code="duplicate", field="members")
    for _person, title in members:
        check_length(title or "", field="members", max_length=200, label=_("Title"))
    Office.objects.select_for_update().filter(pk=office.pk).first()
    RosterMember.objects.filter(office=office).exclude(person_id__in=person_ids).update(is_active=False)
    kept = []
    for order, (person, title) in enumerate(members, start=1):
        member, _created = RosterMember.objects.update_or_create(
            office=office, person=person, defaults={"order": order, "title": (title or "").strip(), "is_active": True})
        kept.append(member)
    record_change(office=office, kind=RosterChangeKind.ROTATION_SET, scope=scope,
                  detail={"people": person_ids})
    return kept


def _roster_dates(start: date, end: date) -> list[date]:
    holidays = roster_holidays(start, end)
    days = []
    day = start
    while day <= end:
        if day.weekday() in MINISTER_DAYS and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


@transaction.atomic
def roster_generate(*, scope: Scope, office: Office, start: date, end: date,
                    starts_at: time = MINISTER_STARTS_AT, ends_at: time = MINISTER_ENDS_AT) -> list[RosterDay]:
    """Draw up the roster days from ``start`` to ``end`` (inclusive) that are not drawn up yet.

    Each new day goes to the member after the one scheduled on the day before it (rotation order), starting
    from the first member when nothing was ever drawn up. Days already drawn up are kept as they are.
    Returns the new days, in date order.
    """
    check_manage(scope=scope, unit_path=office.unit_path)
    _check_state_office(office)
    if start is None or end is None:
        raise DomainError(_("Give the first and last date."), code="required", field="start" if start is None else "end")
    if end < start:
        raise DomainError(_("The last date is before the first."), code="invalid", field="end")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise DomainError(_("Draw up at most a year at a time."), code="too_long", field="end")
    if ends_at <= starts_at:
        raise DomainError(_("The sitting must end after it starts."), code="invalid", field="ends_at")
    # One writer at a time per office: two concurrent runs would both continue the same rotation.
    Office.objects.select_for_update().filter(pk=office.pk).first()
    rotation = list(RosterMember.objects.filter(office=office, is_active=True).values_list("person_id", flat=True))
    if not rotation:
        raise DomainError(_("Set the rotation of ministers first."), code="no_rotation", field="office")
    existing = dict(RosterDay.objects.filter(office=office, date__gte=start, date__lte=end)
                    .values_list("date", "scheduled_person_id"))
    before = (RosterDay.objects.filter(office=office, date__lt=start).order_by("-date")
              .values_list("scheduled_person_id", flat=True).first())
    position = rotation.index(before) if before in rotation else -1
    created = []
    for day in _roster_dates(start, end):
        if day in existing:
            if existing[day] in rotation:
                position = rotation.index(existing[day])
            continue
        position = (position + 1) % len(rotation)
        person_id = rotation[position]
        created.append(RosterDay(office=office, date=day, person_id=person_id, scheduled_person_id=person_id,
                                 starts_at=starts_at, ends_at=ends_at))
    RosterDay.objects.bulk_create(created)
    record_change(office=office, kind=RosterChangeKind.GENERATED, scope=scope, date=start, other_date=end,
                  detail={"days": len(created)})
    return created


def _day(office: Office, on: date, field: str) -> RosterDay:
    if on is None:
        raise DomainError(_("Give the date."), code="required", field=field)
    day = RosterDay.objects.select_for_update().filter(office=office, date=on).first()
    if day is None:
        raise NotFound(_("No minister is on the roster that day."), field=field)
    if on < clock.today():
        raise DomainError(_("A past day of the roster cannot be changed."), code="past", field=field)
    return day


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the roster changes."), code="required", field="reason")
    check_length(reason, field="reason", max_length=300, label=_("Reason"))
    return reason


@transaction.atomic
def roster_swap(*, scope: Scope, office: Office, first: date, second: date,
                reason: str) -> tuple[RosterDay, RosterDay]:
    """Exchange the ministers of two roster days (each keeps the other's hours of that day)."""
    check_manage(scope=scope, unit_path=office.unit_path)
    reason = _reason(reason)
    if first == second:
        raise DomainError(_("Choose two different days."), code="invalid", field="second")
    one, two = _day(office, first, "first"), _day(office, second, "second")
    if one.person_id == two.person_id:
        raise DomainError(_("The same minister sits on both days."), code="invalid", field="second")
    one.person_id, two.person_id = two.person_id, one.person_id
    one.save(update_fields=["person", "updated_at"])
    two.save(update_fields=["person", "updated_at"])
    record_change(office=office, kind=RosterChangeKind.SWAP, scope=scope, reason=reason, date=first,
                  other_date=second, from_person_id=two.person_id, to_person_id=one.person_id)
    return one, two


@transaction.atomic
def roster_absence(*, scope: Scope, office: Office, on: date, reason: str,
                   substitute=None) -> RosterDay:
    """The minister of ``on`` cannot sit: ``substitute`` sits instead, or else the next member of the rotation
    after the absent one. Returns the changed day."""
    check_manage(scope=scope, unit_path=office.unit_path)
    reason = _reason(reason)
    day = _day(office, on, "on")
    absent_id = day.person_id
    if substitute is not None:
        if substitute.pk == absent_id:
            raise DomainError(_("The substitute is the absent minister."), code="invalid", field="substitute")
        substitute_id = substitute.pk
    else:
        rotation = list(RosterMember.objects.filter(office=office, is_active=True)
                        .values_list("person_id", flat=True))
        others = [pid for pid in rotation if pid != absent_id]
        if not others:
            raise DomainError(_("Nobody else is in the rotation: name a substitute."), code="required",
                              field="substitute")
        at = rotation.index(absent_id) if absent_id in rotation else -1
        substitute_id = next(rotation[(at + step) % len(rotation)] for step in range(1, len(rotation) + 1)
                             if rotation[(at + step) % len(rotation)] != absent_id)
    day.person_id = substitute_id
    day.save(update_fields=["person", "updated_at"])
    record_change(office=office, kind=RosterChangeKind.ABSENCE, scope=scope, reason=reason, date=on,
                  from_person_id=absent_id, to_person_id=substitute_id)
    return day
