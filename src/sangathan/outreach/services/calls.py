"""Writes about single calls: one-off call tasks, the call log and the follow-ups it raises."""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, NotFound, PermissionDenied, check_length
from sangathan.core.tree import SEGMENT
from sangathan.org.models import Position, Unit
from sangathan.outreach.enums import (
    AssignmentStatus,
    CallKind,
    CallOutcome,
    FollowUpStatus,
    NeedCategory,
    WellBeing,
)
from sangathan.outreach.models import CallAssignment, CallLog, ContactState, FollowUp
from sangathan.outreach.signals import call_logged
from sangathan.people.enums import FlagKind
from sangathan.people.models import Person
from sangathan.people.services import person_flag_raise

QUESTIONS_MAX = 10
QUESTION_MAX_LENGTH = 300
ANSWER_MAX_LENGTH = 500
AUDIT_CALL_TASK = "outreach.call_task_create"
AUDIT_CALL_LOG = "outreach.call_log"
AUDIT_FOLLOWUP_CLOSE = "outreach.followup_close"


def _caller_path(caller: Person, day: date) -> str:
    """The unit the caller calls for: their shallowest current post's unit, else their own unit."""
    paths = list(Position.objects.current(on=day).filter(person=caller, unit__isnull=False)
                 .values_list("unit_path", flat=True))
    return min(paths, key=len) if paths else caller.unit_path


@dataclass(kw_only=True)
class CallTaskCreate(Action):
    """A one-off call for ``caller`` to make on ``day`` (a verification or follow-up call), with
    ``questions`` shown on the log form and answered into ``CallLog.answers``. Needs write scope over the
    target's unit (the task is about their booth).

    Idempotent on ``source`` (e.g. "campaigns.verification:17"): a second call with the same source returns
    the first task unchanged and records nothing.
    """

    name = AUDIT_CALL_TASK
    caller: Person
    target: Person
    kind: str
    day: date
    questions: list
    source: str

    def check(self) -> None:
        self.source = (self.source or "").strip()
        if not self.source:
            raise DomainError(_("A call task needs a source."), code="required", field="source")
        check_length(self.source, field="source", max_length=120)
        self.scope.require(self.target.unit_path, message=_("No such person."))
        if self.kind not in CallKind.values:
            raise DomainError(_("Unknown kind of call."), field="kind")
        if self.caller.pk == self.target.pk:
            raise DomainError(_("A caller cannot be asked to call themselves."), field="target")
        questions = [str(q).strip() for q in (self.questions or [])]
        if len(questions) > QUESTIONS_MAX or any(not q or len(q) > QUESTION_MAX_LENGTH for q in questions):
            raise DomainError(_("Give at most %(n)d questions, each one line.") % {"n": QUESTIONS_MAX},
                              field="questions")
        self.questions = questions
        if self.day < clock.today() and not CallAssignment.objects.filter(source=self.source).exists():
            raise DomainError(_("Calls cannot be assigned for a day that has passed."), field="day")

    def perform(self) -> CallAssignment:
        self.created = False
        existing = CallAssignment.objects.filter(source=self.source).first()
        if existing is not None:
            return existing
        taken = CallAssignment.objects.filter(caller=self.caller, day=self.day).values_list("rank", flat=True)
        try:
            with transaction.atomic():
                task = CallAssignment.objects.create(
                    program=None, kind=self.kind, day=self.day, caller=self.caller, target=self.target,
                    target_unit_id=self.target.unit_id, unit_path=self.target.unit_path,
                    caller_path=_caller_path(self.caller, self.day), rank=max(taken, default=0) + 1,
                    questions=self.questions, source=self.source, created_at=clock.now(), created_by=self.actor)
        except IntegrityError:  # the same source created at the same moment elsewhere
            return CallAssignment.objects.get(source=self.source)
        self.created = True
        return task

    def log(self, task: CallAssignment) -> None:
        if self.created:
            audit_log(scope=self.scope, action=self.name, target=task, unit_path=task.unit_path,
                      detail={"kind": task.kind, "day": task.day.isoformat(), "caller": task.caller_id,
                              "target": task.target_id, "source": task.source})


call_task_create = CallTaskCreate.run


def _clean_log(assignment: CallAssignment, data: dict) -> dict:
    outcome = data.get("outcome")
    if outcome not in CallOutcome.values:
        raise DomainError(_("Say whether the call got through."), code="required", field="outcome")
    reached = outcome == CallOutcome.REACHED
    clean = {"outcome": outcome, "reached": reached}
    for name in ("wellbeing_self", "wellbeing_family"):
        value = data.get(name) or ""
        if value not in WellBeing.values:
            raise DomainError(_("Unknown answer."), field=name)
        clean[name] = value if reached else ""
    score = data.get("position_score")
    if score in ("", None):
        score = None
    else:
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise DomainError(_("Rate the party's position from 1 to 5."), field="position_score")
    clean["position_score"] = score if reached else None
    needs = list(dict.fromkeys(data.get("needs") or []))
    if any(need not in NeedCategory.values for need in needs):
        raise DomainError(_("Unknown kind of need."), field="needs")
    clean["needs"] = needs if reached else []
    for name, limit in (("position_note", 500), ("needs_note", 500), ("followup_note", 500), ("notes", 1000)):
        value = (data.get(name) or "").strip()
        check_length(value, field=name, max_length=limit)
        clean[name] = value
    clean["followup_wanted"] = bool(data.get("followup_wanted")) and reached
    if clean["followup_wanted"] and not (clean["followup_note"] or clean["needs_note"] or clean["needs"]):
        raise DomainError(_("Say what should be followed up."), code="required", field="followup_note")
    answers = [str(a or "").strip() for a in (data.get("answers") or [])]
    if len(answers) > len(assignment.questions):
        raise DomainError(_("More answers than questions."), field="answers")
    if any(len(answer) > ANSWER_MAX_LENGTH for answer in answers):
        raise DomainError(_("An answer is too long."), code="too_long", field="answers")
    clean["answers"] = answers + [""] * (len(assignment.questions) - len(answers))
    return clean


def assignment_get_for_caller(assignment_id, scope: Scope, *, for_write: bool = False) -> CallAssignment:
    """The assignment if ``scope``'s actor is its caller (anyone else: NotFound, as if it did not exist)."""
    queryset = CallAssignment.objects.select_related("target", "target_unit", "program")
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    person_id = scope.person_id
    assignment = queryset.filter(pk=assignment_id, caller_id=person_id).first() if person_id else None
    if assignment is None:
        raise NotFound(_("No such call."))
    return assignment


def _district_of(path: str) -> Unit | None:
    depth = Unit.objects.filter(level="district").values_list("depth", flat=True).first()
    if depth is None or len(path) < depth * SEGMENT:
        return None
    return Unit.objects.filter(path=path[:depth * SEGMENT]).first()


@dataclass(kw_only=True)
class CallLogSave(Action):
    """Log (or, the same day, correct) what the call found; only the assigned caller may (or the system),
    only on its day. ``data`` holds the form's fields (outcome, well-being, score, needs, notes, answers).

    Side effects, in the same transaction: the assignment becomes "called"; the target's contact state is
    updated; a wrong number raises a registry flag (``people.person_flag_raise``); a follow-up wanted
    opens a ``FollowUp`` for the booth's district (withdrawn if the caller unticks it the same day); an
    audit row. After commit, ``signals.call_logged`` is sent.
    """

    name = AUDIT_CALL_LOG
    assignment: CallAssignment
    data: dict = field(default_factory=dict)

    def check(self) -> None:
        queryset = CallAssignment.objects.select_related("target")
        if transaction.get_connection().in_atomic_block:
            queryset = queryset.select_for_update(of=("self",))
        assignment = self.assignment = queryset.get(pk=self.assignment.pk)
        if not self.scope.is_system and self.scope.person_id != assignment.caller_id:
            raise PermissionDenied(_("Only the assigned caller may log this call."))
        if assignment.day != clock.today() or assignment.status not in (AssignmentStatus.PENDING,
                                                                         AssignmentStatus.LOGGED):
            raise DomainError(_("A call can be logged or corrected only on its own day."), code="expired")
        self.clean = _clean_log(assignment, self.data)
        if self.clean["followup_wanted"] and _district_of(assignment.unit_path) is None:
            raise DomainError(_("This booth belongs to no district to follow up."), field="followup_wanted")

    def perform(self) -> CallLog:
        assignment, clean = self.assignment, self.clean
        now = clock.now()
        log = CallLog.objects.filter(assignment=assignment).first()
        self.created = created = log is None
        if created:
            log = CallLog(assignment=assignment, day=assignment.day, caller_id=assignment.caller_id,
                          target_id=assignment.target_id, unit_path=assignment.unit_path, logged_at=now,
                          logged_by=self.actor)
        for name, value in clean.items():
            setattr(log, name, value)
        log.updated_at = now
        log.save()
        if created:
            CallAssignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.LOGGED)
        _state_record(assignment, log, created=created)
        if clean["outcome"] == CallOutcome.WRONG_NUMBER:
            person_flag_raise(scope=self.scope, person=assignment.target, kind=FlagKind.WRONG_MOBILE,
                              note=clean["notes"][:500], source=f"outreach.calllog:{log.pk}")
        _followup_sync(log, clean, self.actor)
        transaction.on_commit(lambda: call_logged.send(sender=CallLog, call_log=log))
        return log

    def log(self, log: CallLog) -> None:
        audit_log(scope=self.scope, action=self.name, target=log, unit_path=log.unit_path,
                  detail={"assignment": log.assignment_id, "outcome": log.outcome, "corrected": not self.created})


def call_log_save(*, scope: Scope, assignment: CallAssignment, **data) -> CallLog:
    """``CallLogSave`` run at once, with the log's fields as keywords."""
    return CallLogSave(scope=scope, assignment=assignment, data=data).execute()


def _state_record(assignment: CallAssignment, log: CallLog, *, created: bool) -> None:
    if assignment.program_id is None:
        return
    state, _created = ContactState.objects.get_or_create(
        program_id=assignment.program_id, target_id=assignment.target_id,
        defaults={"last_assigned_on": assignment.day, "assigned_count": 1, "target_unit_id": assignment.target_unit_id,
                  "unit_path": assignment.unit_path})
    changes = {"last_called_on": assignment.day, "last_log_id": log.pk}
    if log.reached:
        changes["last_reached_on"] = assignment.day
    elif state.last_reached_on == assignment.day:
        # Corrected from reached to not reached the same day: the last reach is no longer today.
        previous = (CallLog.objects.filter(assignment__program_id=assignment.program_id, target_id=assignment.target_id,
                                           reached=True, day__lt=assignment.day)
                    .order_by("-day").values_list("day", flat=True).first())
        changes["last_reached_on"] = previous
    if created:
        changes["called_count"] = F("called_count") + 1
    ContactState.objects.filter(pk=state.pk).update(**changes)


def _followup_sync(log: CallLog, clean: dict, actor) -> None:
    existing = FollowUp.objects.filter(call_log=log).first()
    note = clean["followup_note"] or clean["needs_note"] or ", ".join(
        str(NeedCategory(need).label) for need in clean["needs"])
    if clean["followup_wanted"]:
        district = _district_of(log.unit_path)  # CallLogSave.check made sure there is one
        if existing is None:
            FollowUp.objects.create(call_log=log, district=district, unit_path=log.unit_path, note=note[:500])
        else:
            FollowUp.objects.filter(pk=existing.pk).update(note=note[:500], status=FollowUpStatus.OPEN,
                                                           closed_at=None, closed_by=None, resolution="",
                                                           updated_at=timezone.now())
    elif existing is not None and existing.status == FollowUpStatus.OPEN:
        FollowUp.objects.filter(pk=existing.pk).update(
            status=FollowUpStatus.DONE, closed_at=timezone.now(), closed_by=actor,
            resolution=_("Withdrawn by the caller."), updated_at=timezone.now())


@dataclass(kw_only=True)
class FollowUpClose(Action):
    """Close a follow-up with what was done; the district (write scope over the booth) does it."""

    name = AUDIT_FOLLOWUP_CLOSE
    followup: FollowUp
    resolution: str

    def check(self) -> None:
        queryset = FollowUp.objects.all()
        if transaction.get_connection().in_atomic_block:
            queryset = queryset.select_for_update()
        followup = self.followup = queryset.get(pk=self.followup.pk)
        if not self.scope.can_read_path(followup.unit_path):
            raise NotFound(_("No such follow-up."))
        if not self.scope.can_write_path(followup.unit_path):
            raise PermissionDenied(_("Only the district may close this follow-up."))
        if followup.status != FollowUpStatus.OPEN:
            raise DomainError(_("This follow-up is already closed."), code="closed")
        self.resolution = (self.resolution or "").strip()
        if not self.resolution:
            raise DomainError(_("Say what was done."), code="required", field="resolution")
        check_length(self.resolution, field="resolution", max_length=500)

    def perform(self) -> FollowUp:
        followup = self.followup
        followup.status = FollowUpStatus.DONE
        followup.resolution = self.resolution
        followup.closed_at = timezone.now()
        followup.closed_by = self.actor
        followup.save()
        return followup

    def log(self, followup: FollowUp) -> None:
        audit_log(scope=self.scope, action=self.name, target=followup, unit_path=followup.unit_path,
                  detail={"resolution": followup.resolution})


followup_close = FollowUpClose.run
