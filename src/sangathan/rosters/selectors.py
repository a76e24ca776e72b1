"""Reads of the rosters app: offices within a scope, and who sits where when (also for the public page)."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.aggregates import CountsQuery, counts_joined, counts_query, nothing
from sangathan.core.errors import NotFound
from sangathan.core.tree import ancestor_paths
from sangathan.org.models import Position
from sangathan.rosters.enums import DirectionStatus, OfficeKind
from sangathan.rosters.models import (
    HearingDirection,
    Office,
    RosterChange,
    RosterDay,
    RosterMember,
    SittingDay,
)


@dataclass(frozen=True)
class Sitting:
    """One person sitting at an office on one date."""

    person_id: int
    name: str
    title: str
    starts_at: time
    ends_at: time
    is_minister: bool = False
    sitting_day_id: int | None = None
    roster_day_id: int | None = None
    changed: bool = False  # a swap or an absence put this person here


@dataclass(frozen=True)
class OfficeDay:
    date: date
    sittings: list[Sitting]


def offices_visible(scope: Scope):
    return scope.filter(Office.objects.select_related("unit"), "unit_path")


def office_get_for_actor(office_id, scope: Scope) -> Office:
    office = offices_visible(scope).filter(pk=office_id).first()
    if office is None:
        raise NotFound()
    return office


def offices_public():
    """Every open office, for the public "who sits today" pages."""
    return Office.objects.filter(is_active=True).select_related("unit").order_by("kind", "unit_path", "name")


def office_get_public(office_id) -> Office:
    office = offices_public().filter(pk=office_id).first()
    if office is None:
        raise NotFound()
    return office


def _post_titles(office: Office, person_ids: set[int]) -> dict[int, str]:
    """Each person's most senior current post on the office unit's ladder, as "post, unit".

    Current as of the real date, as ``access.scope`` reads positions."""
    if not person_ids:
        return {}
    positions = (Position.objects.current().filter(person_id__in=person_ids)
                 .filter(Q(unit__path__in=[*ancestor_paths(office.unit_path), office.unit_path]))
                 .select_related("post", "unit", "wing").order_by("-unit__depth", "post__rank"))
    titles: dict[int, str] = {}
    for position in positions:
        if position.person_id not in titles:
            wing = f" ({position.wing.label})" if position.wing_id else ""
            titles[position.person_id] = f"{position.post.label}{wing}, {position.unit.name}"
    return titles


def office_days(office: Office, start: date, days: int = 7) -> list[OfficeDay]:
    """Who sits at ``office`` on each of ``days`` dates from ``start``: weekly sitting days and roster days.

    Four queries whatever the number of days: sitting days, roster days, rotation titles, post titles.
    """
    end = start + timedelta(days=days - 1)
    weekly = list(SittingDay.objects.filter(office=office).select_related("person"))
    roster = list(RosterDay.objects.filter(office=office, date__gte=start, date__lte=end).select_related("person"))
    member_titles = {}
    if roster:
        member_titles = dict(RosterMember.objects.filter(office=office, person_id__in={d.person_id for d in roster})
                             .values_list("person_id", "title"))
    needing_titles = {s.person_id for s in weekly if not s.note}
    needing_titles |= {d.person_id for d in roster if not member_titles.get(d.person_id)}
    titles = _post_titles(office, needing_titles)
    by_date = {d.date: d for d in roster}
    result = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        sittings = []
        if day in by_date:
            entry = by_date[day]
            sittings.append(Sitting(
                person_id=entry.person_id, name=entry.person.name,
                title=member_titles.get(entry.person_id) or titles.get(entry.person_id, ""),
                starts_at=entry.starts_at, ends_at=entry.ends_at, is_minister=office.kind == OfficeKind.STATE,
                roster_day_id=entry.pk, changed=entry.person_id != entry.scheduled_person_id))
        for sitting in weekly:
            if sitting.weekday == day.weekday():
                sittings.append(Sitting(
                    person_id=sitting.person_id, name=sitting.person.name,
                    title=sitting.note or titles.get(sitting.person_id, ""), starts_at=sitting.starts_at,
                    ends_at=sitting.ends_at, sitting_day_id=sitting.pk))
        sittings.sort(key=lambda s: (not s.is_minister, s.starts_at, s.name))
        result.append(OfficeDay(date=day, sittings=sittings))
    return result


def who_sits(office: Office, on: date) -> list[Sitting]:
    return office_days(office, on, days=1)[0].sittings


def roster_days(office: Office, start: date, end: date):
    return (RosterDay.objects.filter(office=office, date__gte=start, date__lte=end)
            .select_related("person", "scheduled_person").order_by("date"))


def roster_member_list(office: Office, *, active_only: bool = True):
    members = RosterMember.objects.filter(office=office).select_related("person")
    return members.filter(is_active=True) if active_only else members


def roster_changes(office: Office, limit: int = 20) -> list[RosterChange]:
    return list(RosterChange.objects.filter(office=office)
                .select_related("actor", "from_person", "to_person")[:limit])


# --- Hearings ---------------------------------------------------------------------------------------------

def hearings_for(scope: Scope, start: date, end: date):
    """Sessions from ``start`` to ``end`` the actor sits at, manages (offices in scope) or, for the state
    support cell, all of them."""
    from sangathan.grievances.policies import is_state_cell
    from sangathan.rosters.models import HearingSession

    sessions = HearingSession.objects.filter(date__gte=start, date__lte=end)
    if not is_state_cell(scope):
        mine = Q(person_id=scope.person_id or 0)
        sessions = sessions.filter(mine | scope.q("unit_path")) if not scope.is_empty else sessions.filter(mine)
    return sessions.select_related("office", "person").order_by("date", "starts_at", "office__name")


def hearing_session_get_for_actor(session_id, scope: Scope):
    """A hearing the actor runs or whose office is in their scope; NotFound otherwise, as if it did not exist."""
    from sangathan.rosters.models import HearingSession
    from sangathan.rosters.policies import may_run_hearing

    try:
        session_id = int(session_id)
    except (TypeError, ValueError, OverflowError):
        raise NotFound() from None
    session = (HearingSession.objects.select_related("office", "office__unit", "person")
               .filter(pk=session_id).first())
    if session is None or not (may_run_hearing(scope=scope, session=session)
                               or scope.can_read_path(session.unit_path)):
        raise NotFound()
    return session


def hearing_case_get_for_actor(session, case_id):
    """A case on ``session``'s list (a session already fetched for the actor); NotFound otherwise."""
    from sangathan.rosters.models import HearingCase

    case = (HearingCase.objects.select_related("grievance", "grievance__district")
            .filter(session=session, pk=case_id).first())
    if case is None:
        raise NotFound()
    return case


def direction_get_for_actor(direction_id, scope: Scope):
    """A direction given to the actor, or of a hearing they run or see; NotFound otherwise."""
    from sangathan.rosters.models import HearingDirection

    direction = (HearingDirection.objects.select_related("case__session__office", "case__session__person",
                                                         "grievance", "owner")
                 .filter(pk=direction_id).first())
    if direction is None:
        raise NotFound()
    if scope.person_id and direction.owner_id == scope.person_id:
        return direction
    hearing_session_get_for_actor(direction.case.session_id, scope)
    return direction


def direction_owners(grievance) -> list[tuple[int, str]]:
    """Office-bearers who can be given a direction about ``grievance``: the current office-bearers of its
    unit's district, division and state (the ladder above the grievance), as (person id, label)."""
    paths = [path for path in ancestor_paths(grievance.unit_path) if len(path) <= len(grievance.district.path)]
    return _labelled(Position.objects.current().filter(unit__path__in=paths))


def direction_owner_get(grievance, person_id):
    """One of ``direction_owners``; anyone else NotFound, exactly like a missing id."""
    from sangathan.people.models import Person

    if person_id not in {pid for pid, _label in direction_owners(grievance)}:
        raise NotFound(_("No such person."))
    return Person.objects.get(pk=person_id)


def ladder_office_bearers(office) -> list[tuple[int, str]]:
    """(person id, "name — post") of the current office-bearers of the office's unit and the units above it."""
    return _labelled(Position.objects.current().filter(
        unit__path__in=[*ancestor_paths(office.unit_path), office.unit_path]))


def office_bearer_get(office, person_id):
    """A person holding a current post on the office unit's ladder (the people sitting days are for);
    anyone else NotFound, exactly like a missing id."""
    from sangathan.people.models import Person
    from sangathan.rosters.services.offices import holds_post_on_ladder

    person = Person.objects.filter(pk=person_id).first()
    if person is None or not holds_post_on_ladder(person, office.unit_path):
        raise NotFound(_("No such person."))
    return person


def roster_member_get(office, person_id):
    """An active member of the office's rotation (a substitute for an absent minister); NotFound otherwise."""
    member = roster_member_list(office).filter(person_id=person_id).first()
    if member is None:
        raise NotFound(_("No such person."))
    return member.person


def _labelled(positions) -> list[tuple[int, str]]:
    positions = positions.select_related("person", "post", "unit", "wing").order_by("-unit__depth", "post__rank", "id")
    seen, choices = set(), []
    for position in positions:
        if position.person_id in seen:
            continue
        seen.add(position.person_id)
        wing = f" ({position.wing.label})" if position.wing_id else ""
        choices.append((position.person_id, f"{position.person.name} — {position.post.label}{wing}, "
                                             f"{position.unit.name}"))
    return choices


def hearing_cases(session):
    """The session's list in token order, with each grievance (two queries with the directions)."""
    from sangathan.rosters.models import HearingCase

    return list(HearingCase.objects.filter(session=session).select_related("grievance", "grievance__department")
                .prefetch_related("directions__owner").order_by("token"))


def directions_for_owner(person_id: int, *, open_only: bool = True):
    from sangathan.rosters.enums import DirectionStatus
    from sangathan.rosters.models import HearingDirection

    directions = (HearingDirection.objects.filter(owner_id=person_id)
                  .select_related("grievance", "case__session__office", "case__session__person"))
    if open_only:
        directions = directions.filter(status=DirectionStatus.OPEN)
    return directions.order_by("status", "deadline", "id")


def hearing_today(scope: Scope, *, day: date, limit: int = 5):
    """The actor's hearings of ``day`` (as ``hearings_for``: sat at, managed, or all for the state cell),
    the first ``limit`` with their case counts, in one query."""
    # Only what the home shows of each (its office, times and the person sitting): the whole rows of the three
    # tables cost more to build than the query.
    return list(hearings_for(scope, day, day).only("date", "starts_at", "ends_at", "office__name", "person__name")
                .annotate(case_count=Count("cases"))[:limit])


def hearing_today_count_query(scope: Scope, *, day: date) -> CountsQuery[int]:
    """How many of the actor's hearings ``day`` holds (``hearings_for``), to read with the home's other counts:
    the home fetches the sessions themselves (``hearing_today``) only when there are some."""
    return counts_query(hearings_for(scope, day, day), lambda row: row["sessions"], sessions=Count("pk"))


def directions_open_counts(person_id: int | None, *, day: date) -> dict[str, int]:
    """The open hearing directions the person owns: how many, and how many past their deadline."""
    return directions_open_counts_query(person_id, day=day).read()


SITS_OR_OWES = "rosters.sits_or_owes"  # the scope's memo of ``sits_or_owes``


def sits_or_owes(scope: Scope) -> bool:
    """Whether the actor sits at an office (sitting days, the minister roster) or owes a direction from a
    hearing: the header's link to the hearings (``roster_tags.may_see_hearings``). Memoized on the scope;
    the home reads it with its other counts (``sits_or_owes_query``)."""
    return scope.memo(SITS_OR_OWES, lambda s: sits_or_owes_query(s).read())


def sits_or_owes_query(scope: Scope) -> CountsQuery[bool]:
    """``sits_or_owes`` as a query not yet read; reading it memoizes the answer on ``scope``."""
    person_id = scope.person_id
    if not person_id:
        return nothing(scope.memo(SITS_OR_OWES, lambda s: False))

    def finish(row: dict) -> bool:
        return scope.memo(SITS_OR_OWES, lambda s: bool(row["sitting"] or row["roster"] or row["owed"]))

    return counts_joined(
        finish,
        counts_query(SittingDay.objects.filter(person_id=person_id), dict, sitting=Count("pk")),
        counts_query(RosterDay.objects.filter(person_id=person_id), dict, roster=Count("pk")),
        counts_query(HearingDirection.objects.filter(owner_id=person_id, status=DirectionStatus.OPEN), dict,
                     owed=Count("pk")))


def directions_open_counts_query(person_id: int | None, *, day: date) -> CountsQuery[dict[str, int]]:
    """``directions_open_counts`` as a query not yet read, to read with the home's other counts."""
    from sangathan.rosters.enums import DirectionStatus
    from sangathan.rosters.models import HearingDirection

    if not person_id:
        return nothing({"open": 0, "late": 0})
    return counts_query(HearingDirection.objects.filter(owner_id=person_id, status=DirectionStatus.OPEN), dict,
                        open=Count("pk"), late=Count("pk", filter=Q(deadline__lt=day)))
