"""Progress reports of reporting units, and booth tasks completed with evidence: actions, each with its
history (a report revision) or audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.campaigns import tally
from sangathan.campaigns.enums import CampaignStatus, TaskKind, TaskStatus
from sangathan.campaigns.models import MAX_VALUE, BoothTask, Campaign, Report, ReportRevision, ReportValue
from sangathan.campaigns.periods import period_of
from sangathan.campaigns.policies import require_write
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, check_length
from sangathan.core.uploads import IMAGE_KINDS, check_upload
from sangathan.org.models import Unit

PHOTO_MAX_BYTES = 5 * 1024 * 1024
ATTENDANCE_MAX = 100_000
NAMES_MAX_LENGTH = 5000
AUDIT_TASK_CREATE = "campaigns.task_create"
AUDIT_TASK_COMPLETE = "campaigns.task_complete"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_values(campaign: Campaign, values: dict) -> dict[str, int]:
    """Every metric's figure (a metric left out counts 0); an empty report (no figure given at all) is
    refused, so a unit cannot look as if it reported without saying anything."""
    metrics = {m.code: m for m in campaign.metrics.all()}
    unknown = [code for code in values if code not in metrics]
    if unknown:
        raise DomainError(_("Unknown metric: %(code)s.") % {"code": ", ".join(sorted(unknown))},
                          field=f"values.{sorted(unknown)[0]}")
    if all(_blank(values.get(code)) for code in metrics):
        message = _("The report is empty: fill in at least one figure (write 0 where nothing was done).")
        raise DomainError(message, code="empty_report", field="values")
    checked = {}
    for code in metrics:
        value = values.get(code, 0)
        if _blank(value):
            value = 0
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
            raise DomainError(_("Give a whole number from 0 to %(max)s.") % {"max": f"{MAX_VALUE:,}"},
                              field=f"values.{code}")
        checked[code] = value
    return checked


@dataclass(kw_only=True)
class ReportSubmit(Action):
    """Submit (or correct) ``unit``'s report for the period containing ``day`` (default: today). Needs
    write scope over the reporting unit.

    A second submission for the same period is a correction: the figures are replaced and a new
    revision row (the report's history) keeps what was submitted each time, by whom, when. A correction of
    a report already verified keeps the verification (it checked the figures then on record; the review
    shows both).
    """

    name = "campaigns.report_submit"
    campaign: Campaign
    unit: Unit
    day: date | None = None
    values: dict
    note: str = ""

    def check(self) -> None:
        campaign, unit = self.campaign, self.unit
        require_write(self.scope, unit.path, _("You may not report for this unit."))
        if not Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.ACTIVE).exists():
            raise DomainError(_("This campaign is closed: no more reports are taken."), code="closed")
        if unit.level != campaign.report_level or not unit.path.startswith(campaign.unit_path):
            raise DomainError(_("This unit does not report for this campaign."), field="unit")
        today = clock.today()
        self.day = self.day or today
        if self.day > today:
            raise DomainError(_("A report cannot be for a period that has not begun."), field="period")
        self.period = period_of(campaign, self.day)
        if self.period is None:
            raise DomainError(_("This day is outside the campaign."), field="period")
        self.note = (self.note or "").strip()
        check_length(self.note, field="note", max_length=500)
        self.checked = _check_values(campaign, self.values)

    def perform(self) -> Report:
        campaign, unit, period, note = self.campaign, self.unit, self.period, self.note
        now = clock.now()
        user = self.actor
        report = Report.objects.select_for_update().filter(campaign=campaign, unit=unit,
                                                           period_start=period.start).first()
        if report is None:
            try:
                with transaction.atomic():
                    report = Report.objects.create(campaign=campaign, unit=unit, unit_path=unit.path,
                                                   period_start=period.start, period_end=period.end,
                                                   submitted_by=user, submitted_at=now, revision=0, note=note)
            except IntegrityError:  # the same unit reported the same period at the same moment
                report = Report.objects.select_for_update().get(campaign=campaign, unit=unit,
                                                                period_start=period.start)
        is_new = report.revision == 0
        report.revision, report.submitted_by, report.submitted_at, report.note = report.revision + 1, user, now, note
        report.save(update_fields=["revision", "submitted_by", "submitted_at", "note", "updated_at"])
        metrics = {m.code: m for m in campaign.metrics.all()}
        # What the tally must change by: the new figures minus the ones they replace (the report row is
        # locked, so no other correction of it runs in between).
        deltas = {metric_id: -value for metric_id, value in
                  ReportValue.objects.filter(report=report).values_list("metric_id", "value")}
        ReportValue.objects.filter(report=report).delete()
        ReportValue.objects.bulk_create([
            ReportValue(report=report, campaign=campaign, metric=metrics[code], unit_path=unit.path,
                        period_start=period.start, value=value)
            for code, value in self.checked.items()
        ])
        for code, value in self.checked.items():
            deltas[metrics[code].pk] = deltas.get(metrics[code].pk, 0) + value
        deltas[tally.REPORTS] = 1 if is_new else 0
        tally.tally_add(campaign_id=campaign.pk, period_start=period.start, report_path=unit.path, deltas=deltas)
        return report

    def log(self, report: Report) -> None:
        ReportRevision.objects.create(report=report, number=report.revision, values=self.checked, note=self.note,
                                      actor=self.actor, at=report.submitted_at)


@dataclass(kw_only=True)
class BoothTaskCreate(Action):
    """A task for a booth (wall writing, a meeting). Needs write scope over the booth."""

    name = AUDIT_TASK_CREATE
    campaign: Campaign
    unit: Unit
    kind: str
    title: str = ""
    due_date: date | None = None

    def check(self) -> None:
        unit = self.unit
        require_write(self.scope, unit.path, _("You may not give tasks to this booth."))
        if unit.level != "booth" or not unit.path.startswith(self.campaign.unit_path):
            raise DomainError(_("Tasks go to booths inside the campaign."), field="unit")
        if self.kind not in TaskKind.values:
            raise DomainError(_("Unknown kind of task."), field="kind")
        self.title = (self.title or "").strip() or str(TaskKind(self.kind).label)
        check_length(self.title, field="title", max_length=200)

    def perform(self) -> BoothTask:
        return BoothTask.objects.create(campaign=self.campaign, unit=self.unit, unit_path=self.unit.path,
                                        kind=self.kind, title=self.title, due_date=self.due_date,
                                        created_by=self.actor)

    def log(self, task: BoothTask) -> None:
        audit_log(scope=self.scope, action=self.name, target=task,
                  detail={"campaign": self.campaign.pk, "kind": task.kind, "title": task.title})


@dataclass(kw_only=True)
class BoothTaskComplete(Action):
    """Mark a booth task done with its evidence: a photo (JPEG, PNG or WebP, at most 5 MB) and/or a
    meeting's attendance (a count, names typed in, or registry persons of the booth's subtree). Needs
    write scope over the booth.

    Wall writing needs a photo; a meeting needs its attendance. The photo is stored under MEDIA_ROOT.
    """

    name = AUDIT_TASK_COMPLETE
    task: BoothTask
    photo: object = None
    attendance_count: int | None = None
    attendance_names: str = ""
    attendees: list | tuple = ()
    note: str = ""

    def check(self) -> None:
        task = self.task
        require_write(self.scope, task.unit_path, _("You may not complete this booth's tasks."))
        if task.status == TaskStatus.DONE:
            raise DomainError(_("This task is done already."), code="done")
        photo = self.photo
        self.checked = checked = check_upload(photo, kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES,
                                              field="photo") if photo else None
        self.attendees = attendees = list(self.attendees)
        if any(not self.scope.can_read_path(person.unit_path) for person in attendees):
            raise DomainError(_("Attendees must be workers you can see."), field="attendees")
        self.attendance_names = names = (self.attendance_names or "").strip()
        check_length(names, field="attendance_names", max_length=NAMES_MAX_LENGTH)
        listed = len([line for line in names.splitlines() if line.strip()]) + len(attendees)
        attendance_count = self.attendance_count
        if attendance_count is not None and (isinstance(attendance_count, bool) or not 0 <= attendance_count
                                             <= ATTENDANCE_MAX):
            raise DomainError(_("Give a whole number from 0 to %(max)s.") % {"max": f"{ATTENDANCE_MAX:,}"},
                              field="attendance_count")
        self.count = count = attendance_count if attendance_count is not None else (listed or None)
        if count is not None and listed > count:
            raise DomainError(_("More names are listed than the count of people present."),
                              field="attendance_count")
        if task.kind == TaskKind.WALL_WRITING and checked is None:
            raise DomainError(_("Add a photo of the wall writing."), code="required", field="photo")
        if task.kind == TaskKind.MEETING and not count:
            raise DomainError(_("Give the number of people present or their names."), code="required",
                              field="attendance_count")
        if checked is None and not count:
            raise DomainError(_("Add a photo or the attendance as evidence."), code="required", field="photo")
        self.note = (self.note or "").strip()
        check_length(self.note, field="note", max_length=500)

    def perform(self) -> BoothTask:
        task = BoothTask.objects.select_for_update().get(pk=self.task.pk)
        if task.status == TaskStatus.DONE:  # done meanwhile
            raise DomainError(_("This task is done already."), code="done")
        if self.checked is not None:
            self.photo.seek(0)
            task.photo.save(f"{task.unit.code}.{self.checked.extension}", ContentFile(self.photo.read()),
                            save=False)
        task.status = TaskStatus.DONE
        task.done_on = clock.today()
        task.done_by = self.actor
        task.attendance_count = self.count
        task.attendance_names = self.attendance_names
        task.note = self.note
        task.save()
        if self.attendees:
            task.attendees.set(self.attendees)
        return task

    def log(self, task: BoothTask) -> None:
        audit_log(scope=self.scope, action=self.name, target=task,
                  detail={"photo": bool(task.photo), "attendance_count": task.attendance_count,
                          "attendees": [person.pk for person in self.attendees]})


report_submit = ReportSubmit.run
booth_task_create = BoothTaskCreate.run
booth_task_complete = BoothTaskComplete.run
