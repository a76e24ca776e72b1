"""Forming and changing committees. Every write is an action that needs write scope at the committee's
unit, recomputes the committee's verdict (``checks.evaluate``) and leaves a ``CommitteeHistory`` row in
the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from sangathan.committees import checks
from sangathan.committees.enums import MAX_SEATS, Category, CommitteeStatus, HistoryAction
from sangathan.committees.models import Committee, CommitteeHistory, CommitteeMember, CommitteeType
from sangathan.committees.tally import tally_refresh_committee
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile
from sangathan.org.models import Post, Unit, Wing
from sangathan.people.models import Person


def history_record(*, scope, committee: Committee, action: str, person=None, **detail) -> CommitteeHistory:
    return CommitteeHistory.objects.create(committee=committee, action=action, person=person, actor=scope.actor,
                                           channel=scope.context.channel, detail=detail)


def _committee_refresh(committee: Committee) -> Committee:
    """Recompute the committee's size and verdict from its current seats (no permission: part of an action)."""
    seats = list(committee.seats.current().select_related("person", "post", "wing"))
    reasons = checks.evaluate(committee, seats) if committee.is_active else []
    committee.member_count = len(seats)
    committee.reasons = reasons
    committee.is_complete = committee.is_active and not reasons
    Committee.objects.filter(pk=committee.pk).update(member_count=committee.member_count, reasons=reasons,
                                                     is_complete=committee.is_complete)
    tally_refresh_committee(committee)
    return committee


def seat_warnings(person: Person, unit: Unit) -> list[str]:
    """What a former should know about seating ``person`` at ``unit``: not from the unit itself (for a
    page, its booth), or already holding too many seats."""
    warnings = []
    if person.unit_id != unit.pk and not (unit.level == "page" and person.unit_id == unit.parent_id):
        warnings.append("not_from_unit")
    seats = CommitteeMember.objects.current().filter(person=person, committee__status=CommitteeStatus.ACTIVE).count()
    if seats >= MAX_SEATS:
        warnings.append("too_many_roles")
    return warnings


def _require_active(committee: Committee) -> None:
    if not committee.is_active:
        raise DomainError(_("This committee is dissolved."), code="dissolved")


@dataclass(kw_only=True)
class CommitteeForm(Action):
    """Form a committee of ``type`` at ``unit`` (a unit of the type's level), or re-form one after it was
    dissolved."""

    unit: Unit
    type: CommitteeType
    formed_on: date | None = None

    name = "committee.form"

    def check(self) -> None:
        self.scope.require(self.unit.path, write=True)
        if self.unit.level != self.type.level:
            raise DomainError(_("This committee belongs to another level."), code="invalid_level", field="type")
        if Committee.objects.filter(unit=self.unit, type=self.type, status=CommitteeStatus.ACTIVE).exists():
            raise DomainError(_("This unit already has this committee."), code="duplicate", field="type")

    def perform(self) -> Committee:
        committee = Committee.objects.create(type=self.type, unit=self.unit, unit_path=self.unit.path,
                                             formed_on=self.formed_on or clock.today())
        return _committee_refresh(committee)

    def log(self, committee: Committee) -> None:
        history_record(scope=self.scope, committee=committee, action=HistoryAction.FORMED, type=self.type.code)


@dataclass(kw_only=True)
class MemberAdd(Action):
    """Seat ``person`` (a registered worker of the unit's subtree) on the committee, with a post and wing."""

    committee: Committee
    person: Person
    post: Post | None = None
    wing: Wing | None = None

    name = "committee.member_add"

    def check(self) -> None:
        self.scope.require(self.committee.unit_path, write=True)
        _require_active(self.committee)
        if self.person.status != "active" or not self.person.unit_path.startswith(self.committee.members_path):
            raise DomainError(_("A member must be a registered worker of this unit or below it."),
                              code="outside", field="person")
        if CommitteeMember.objects.current().filter(committee=self.committee, person=self.person).exists():
            raise DomainError(_("Already a member of this committee."), code="duplicate", field="person")
        if self.committee.member_count >= self.committee.type.max_members:
            raise DomainError(_("The committee is full."), code="full", field="person")

    def perform(self) -> CommitteeMember:
        self.warnings = seat_warnings(self.person, self.committee.unit)
        seat = CommitteeMember.objects.create(committee=self.committee, person=self.person, post=self.post,
                                              wing=self.wing, unit_path=self.committee.unit_path,
                                              start_date=clock.today())
        _committee_refresh(self.committee)
        return seat

    def log(self, seat: CommitteeMember) -> None:
        history_record(scope=self.scope, committee=self.committee, action=HistoryAction.MEMBER_ADDED, person=self.person,
                       post=self.post.code if self.post else "", wing=self.wing.code if self.wing else "",
                       warnings=self.warnings)


@dataclass(kw_only=True)
class MemberRemove(Action):
    seat: CommitteeMember
    reason: str = ""

    name = "committee.member_remove"

    def check(self) -> None:
        self.scope.require(self.seat.committee.unit_path, write=True)
        _require_active(self.seat.committee)
        if self.seat.end_date is not None:
            raise DomainError(_("This seat has already ended."), code="ended")

    def perform(self) -> CommitteeMember:
        committee = self.seat.committee
        self.seat.end_date = clock.today()
        self.seat.save(update_fields=["end_date", "updated_at"])
        if committee.convener_id == self.seat.person_id:
            committee.convener = None
            committee.save(update_fields=["convener", "updated_at"])
        _committee_refresh(committee)
        return self.seat

    def log(self, seat: CommitteeMember) -> None:
        history_record(scope=self.scope, committee=seat.committee, action=HistoryAction.MEMBER_REMOVED, person=seat.person,
                       reason=self.reason[:300])


@dataclass(kw_only=True)
class ConvenerName(Action):
    """Name the convener (संयोजक): a current member of the committee."""

    committee: Committee
    person: Person

    name = "committee.convener_name"

    def check(self) -> None:
        self.scope.require(self.committee.unit_path, write=True)
        _require_active(self.committee)
        if not CommitteeMember.objects.current().filter(committee=self.committee, person=self.person).exists():
            raise DomainError(_("The convener must be a member of the committee."), code="not_member",
                              field="person")

    def perform(self) -> Committee:
        self.committee.convener = self.person
        self.committee.save(update_fields=["convener", "updated_at"])
        return _committee_refresh(self.committee)

    def log(self, committee: Committee) -> None:
        history_record(scope=self.scope, committee=committee, action=HistoryAction.CONVENER_NAMED, person=self.person)


@dataclass(kw_only=True)
class OfficeUpdate(Action):
    """An election office's address, phone and the day it became active."""

    committee: Committee
    address: str = ""
    phone: str = ""
    active_since: date | None = None

    name = "committee.office_update"

    def check(self) -> None:
        self.scope.require(self.committee.unit_path, write=True)
        _require_active(self.committee)
        if self.committee.type.category != Category.OFFICE:
            raise DomainError(_("Only an election office has an address and phone."), code="invalid")
        self.address = (self.address or "").strip()
        if len(self.address) > 300:
            raise DomainError(_("Too long."), code="invalid", field="address")
        if self.phone:
            try:
                self.phone = normalize_mobile(self.phone)
            except (ValueError, DomainError):
                raise DomainError(_("Enter a valid mobile number."), code="invalid", field="phone") from None

    def perform(self) -> Committee:
        self.before = {"address": self.committee.address, "phone": self.committee.phone,
                       "active_since": str(self.committee.active_since or "")}
        self.committee.address, self.committee.phone = self.address, self.phone
        self.committee.active_since = self.active_since
        self.committee.save(update_fields=["address", "phone", "active_since", "updated_at"])
        return _committee_refresh(self.committee)

    def log(self, committee: Committee) -> None:
        history_record(scope=self.scope, committee=committee, action=HistoryAction.OFFICE_UPDATED, before=self.before,
                       after={"address": self.address, "phone": self.phone,
                              "active_since": str(self.active_since or "")})


@dataclass(kw_only=True)
class CommitteeDissolve(Action):
    """Dissolve the committee: its seats end, it stays as history, and the unit may form a new one."""

    committee: Committee
    reason: str = ""

    name = "committee.dissolve"

    def check(self) -> None:
        self.scope.require(self.committee.unit_path, write=True)
        _require_active(self.committee)

    def perform(self) -> Committee:
        today = clock.today()
        self.committee.seats.current().update(end_date=today)
        self.committee.status = CommitteeStatus.DISSOLVED
        self.committee.dissolved_on = today
        self.committee.save(update_fields=["status", "dissolved_on", "updated_at"])
        return _committee_refresh(self.committee)

    def log(self, committee: Committee) -> None:
        history_record(scope=self.scope, committee=committee, action=HistoryAction.DISSOLVED, reason=self.reason[:300])


committee_form = CommitteeForm.run
member_add = MemberAdd.run
member_remove = MemberRemove.run
convener_name = ConvenerName.run
office_update = OfficeUpdate.run
committee_dissolve = CommitteeDissolve.run
