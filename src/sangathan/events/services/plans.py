"""Workshop plans, batched meetings and one-to-one slots: plans that check themselves (``planning``) and
become events with invitations. Each action needs the organizer's rule at the plan's unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, FieldErrors
from sangathan.events import clashes, planning
from sangathan.events.enums import EventKind
from sangathan.events.models import Event, PlanAssignment, PlanSlot, Venue, WorkshopPlan
from sangathan.events.plan_state import plan_state
from sangathan.events.policies import require_organize
from sangathan.events.services.events import EventCreate, InvitationsSend
from sangathan.org.models import Unit
from sangathan.people.models import Person


def _audit(scope, plan, what: str, **detail) -> None:
    audit_log(scope=scope, action="events.plan", target=plan, unit_path=plan.unit_path, detail={"what": what, **detail})


def _at(day: date, clock_time: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock_time))


@dataclass(kw_only=True)
class VenueCreate(Action):
    name: str
    unit: Unit
    capacity: int = 0
    address: str = ""

    def check(self) -> None:
        require_organize(self.scope, self.unit.path)
        errors = FieldErrors()
        if not self.name.strip():
            errors.add("name", _("This field is required."), code="required")
        if self.capacity is None or self.capacity < 0:
            errors.add("capacity", _("Enter a whole number of 0 or more."))
        errors.raise_if_any()

    def perform(self) -> Venue:
        return Venue.objects.create(name=self.name.strip(), unit=self.unit, unit_path=self.unit.path,
                                    capacity=self.capacity, address=self.address.strip())

    def log(self, venue: Venue) -> None:
        audit_log(scope=self.scope, action="events.plan", target=venue, unit_path=venue.unit_path,
                  detail={"what": "venue", "capacity": venue.capacity})


venue_create = VenueCreate.run


@dataclass(kw_only=True)
class PlanCreate(Action):
    title: str
    unit: Unit
    posts: list = field(default_factory=lambda: ["president"])
    per_district: int = 0

    def check(self) -> None:
        require_organize(self.scope, self.unit.path)
        if not self.title.strip():
            raise DomainError(_("This field is required."), code="required", field="title")

    def perform(self) -> WorkshopPlan:
        return WorkshopPlan.objects.create(title=self.title.strip(), unit=self.unit, unit_path=self.unit.path,
                                           posts=list(self.posts), per_district=self.per_district or 0)

    def log(self, plan: WorkshopPlan) -> None:
        _audit(self.scope, plan, "create")


plan_create = PlanCreate.run


@dataclass(kw_only=True)
class SlotAdd(Action):
    plan: WorkshopPlan
    date: date
    venue: Venue

    def check(self) -> None:
        require_organize(self.scope, self.plan.unit_path)
        if not self.scope.can_read_path(self.venue.unit_path):
            raise DomainError(_("Not found."), code="not_found", field="venue")
        if self.date is None:
            raise DomainError(_("This field is required."), code="required", field="date")
        if PlanSlot.objects.filter(plan=self.plan, date=self.date, venue=self.venue).exists():
            raise DomainError(_("This venue is already in the plan on this date."), code="duplicate", field="venue")

    def perform(self) -> PlanSlot:
        return PlanSlot.objects.create(plan=self.plan, date=self.date, venue=self.venue)

    def log(self, slot: PlanSlot) -> None:
        _audit(self.scope, self.plan, "slot", slot=slot.pk, date=self.date.isoformat(), venue=self.venue.pk)


slot_add = SlotAdd.run


@dataclass(kw_only=True)
class AssignmentSet(Action):
    """Put ``district`` at ``slot`` (None: take it out). A district is at one slot at most."""

    plan: WorkshopPlan
    district: Unit
    slot: PlanSlot | None

    def check(self) -> None:
        require_organize(self.scope, self.plan.unit_path)
        if self.district.level != "district" or not self.district.path.startswith(self.plan.unit_path):
            raise DomainError(_("Choose a district of this plan."), code="invalid", field="district")
        if self.slot is not None and self.slot.plan_id != self.plan.pk:
            raise DomainError(_("Choose a date and venue of this plan."), code="invalid", field="slot")

    def perform(self) -> PlanAssignment | None:
        PlanAssignment.objects.filter(plan=self.plan, district=self.district).delete()
        if self.slot is None:
            return None
        return PlanAssignment.objects.create(plan=self.plan, slot=self.slot, district=self.district)

    def log(self, assignment) -> None:
        _audit(self.scope, self.plan, "assign", district=self.district.pk, slot=self.slot.pk if self.slot else None)


assignment_set = AssignmentSet.run


@dataclass(kw_only=True)
class PlanSuggest(Action):
    """Replace the plan's assignment with the suggestion (divisions together, within capacity); returns the
    districts that fit nowhere."""

    plan: WorkshopPlan

    def check(self) -> None:
        require_organize(self.scope, self.plan.unit_path)
        if not self.plan.slots.exists():
            raise DomainError(_("Add dates and venues first."), code="no_slots", field="slots")

    def perform(self) -> list[int]:
        state = plan_state(self.plan)
        assignment, left = planning.plan_suggest(state.districts, state.slots)
        PlanAssignment.objects.filter(plan=self.plan).delete()
        PlanAssignment.objects.bulk_create([PlanAssignment(plan=self.plan, slot_id=slot_id, district_id=district_id)
                                            for district_id, slot_id in assignment.items()])
        return left

    def log(self, left: list[int]) -> None:
        _audit(self.scope, self.plan, "suggest", left=left)


plan_suggest = PlanSuggest.run


@dataclass(kw_only=True)
class PlanSendInvitations(Action):
    """Only a plan that checks out (every district exactly once, capacities kept) becomes events: one
    workshop per date and venue, inviting the plan's posts of its districts."""

    plan: WorkshopPlan
    starts: time = time(10, 0)
    hours: int = 6

    def check(self) -> None:
        require_organize(self.scope, self.plan.unit_path)
        state = plan_state(self.plan)
        if not state.check.ok:
            raise DomainError(_("The plan does not check out yet: every district exactly once, within capacity."),
                              code="plan_invalid", field="plan")
        self.state = state

    def perform(self) -> int:
        """Returns how many workshops send invitations (the worker writes them after commit)."""
        self.dispatches = []
        for slot in self.plan.slots.select_related("venue", "event"):
            districts = [a.district_id for a in slot.assignments.all()]
            if not districts:
                continue
            event = slot.event
            if event is None:
                start = _at(slot.date, self.starts)
                event = EventCreate(scope=self.scope, kind=EventKind.WORKSHOP, title=self.plan.title,
                                    unit=self.plan.unit, venue=slot.venue, starts_at=start,
                                    ends_at=start + timedelta(hours=self.hours), allow_clash=True,
                                    invite_rule={"units": districts, "posts": self.plan.posts}).execute()
                PlanSlot.objects.filter(pk=slot.pk).update(event=event)
            self.dispatches.append(InvitationsSend(scope=self.scope, event=event).execute().pk)
        return len(self.dispatches)

    def log(self, events: int) -> None:
        _audit(self.scope, self.plan, "send", events=events, dispatches=self.dispatches)


plan_send_invitations = PlanSendInvitations.run


@dataclass(kw_only=True)
class BatchedMeetingsCreate(Action):
    """N days, K divisions a day: one meeting a day of those divisions' district presidents (seed 002).
    Returns the events and the divisions left unscheduled."""

    unit: Unit
    title: str
    days: list
    per_day: int
    starts: time = time(11, 0)
    hours: int = 4
    venue: Venue | None = None
    posts: list = field(default_factory=lambda: ["president"])

    def check(self) -> None:
        require_organize(self.scope, self.unit.path)
        errors = FieldErrors()
        if not self.days:
            errors.add("days", _("This field is required."), code="required")
        if not self.per_day or self.per_day < 1:
            errors.add("per_day", _("Enter a whole number of 1 or more."))
        errors.raise_if_any()

    def perform(self) -> tuple[list[Event], list[Unit]]:
        divisions = list(Unit.objects.filter(parent=self.unit, level="division", is_active=True).order_by("path"))
        schedule, left = planning.batch_schedule(divisions, sorted(self.days), self.per_day)
        events = []
        for day, groups in schedule.items():
            start = _at(day, self.starts)
            events.append(EventCreate(
                scope=self.scope, kind=EventKind.MEETING, title=self.title, unit=self.unit, venue=self.venue,
                starts_at=start, ends_at=start + timedelta(hours=self.hours), allow_clash=True,
                invite_rule={"units": [g.pk for g in groups], "posts": self.posts, "levels": ["district"]}).execute())
        self.left = left
        return events, left

    def log(self, result) -> None:
        audit_log(scope=self.scope, action="events.plan", target=self.unit, unit_path=self.unit.path,
                  detail={"what": "batched", "events": [e.pk for e in result[0]],
                          "unscheduled": [u.pk for u in result[1]]})


batched_meetings_create = BatchedMeetingsCreate.run


@dataclass(kw_only=True)
class OneToOneSlotsCreate(Action):
    """One slot each for ``people`` with ``leader``: back to back, so none overlap, and refused whole when
    any of them (or the leader, or the venue) is elsewhere at that time."""

    unit: Unit
    title: str
    leader: Person
    people: list
    start: datetime
    minutes: int = 20
    venue: Venue | None = None

    def check(self) -> None:
        require_organize(self.scope, self.unit.path)
        if not self.people:
            raise DomainError(_("This field is required."), code="required", field="people")
        if len({p.pk for p in self.people}) != len(self.people):
            raise DomainError(_("A person can have one slot only."), code="duplicate", field="people")
        self.slots, _left = planning.one_to_one_slots(self.people, start=self.start, minutes=self.minutes)
        for person, starts_at, ends_at in self.slots:
            found = clashes.event_clashes(starts_at=starts_at, ends_at=ends_at, venue=self.venue,
                                          people=[person.pk, self.leader.pk])
            if found:
                raise DomainError(clashes.describe(found[0]), code="clash", field="start")

    def perform(self) -> list[Event]:
        events = []
        for person, starts_at, ends_at in self.slots:
            event = EventCreate(scope=self.scope, kind=EventKind.ONE_TO_ONE, title=self.title, unit=self.unit,
                                venue=self.venue, starts_at=starts_at, ends_at=ends_at, organizer=self.leader,
                                invite_rule={"people": [person.pk]}).execute()
            InvitationsSend(scope=self.scope, event=event).execute()
            events.append(event)
        return events

    def log(self, events) -> None:
        audit_log(scope=self.scope, action="events.plan", target=self.unit, unit_path=self.unit.path,
                  detail={"what": "one_to_one", "events": [e.pk for e in events]})


one_to_one_slots_create = OneToOneSlotsCreate.run


@dataclass(kw_only=True)
class PlanImport(Action):
    """Put a file's rows (``planfile.plan_rows``, already checked) into the plan: venues under the plan's unit
    by name (made when new, capacity updated), the dates and venues, and each district's place. Importing the
    same file again changes nothing."""

    plan: WorkshopPlan
    rows: list

    def check(self) -> None:
        require_organize(self.scope, self.plan.unit_path)
        if not self.rows:
            raise DomainError(_("The file has no rows."), code="empty", field="file")

    def perform(self) -> int:
        venues = {v.name: v for v in Venue.objects.filter(unit=self.plan.unit)}
        for row in self.rows:
            venue = venues.get(row.venue)
            if venue is None:
                venue = venues[row.venue] = Venue.objects.create(name=row.venue, unit=self.plan.unit,
                                                                 unit_path=self.plan.unit_path, capacity=row.capacity)
            elif row.capacity and venue.capacity != row.capacity:
                Venue.objects.filter(pk=venue.pk).update(capacity=row.capacity)
            slot, _created = PlanSlot.objects.get_or_create(plan=self.plan, date=row.date, venue=venue)
            PlanAssignment.objects.update_or_create(plan=self.plan, district=row.district, defaults={"slot": slot})
        return len(self.rows)

    def log(self, count: int) -> None:
        _audit(self.scope, self.plan, "import", rows=count)


plan_import = PlanImport.run
