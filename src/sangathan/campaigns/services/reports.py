"""Progress reports of reporting units, and booth tasks completed with evidence."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sangathan.campaigns.enums import CampaignStatus, TaskKind, TaskStatus
from sangathan.campaigns.models import MAX_VALUE, BoothTask, Campaign, Report, ReportRevision, ReportValue
from sangathan.campaigns.periods import period_of
from sangathan.campaigns.policies import may_write_unit
from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.core.uploads import IMAGE_KINDS, check_upload
from sangathan.org.models import Unit

PHOTO_MAX_BYTES = 5 * 1024 * 1024
ATTENDANCE_MAX = 100_000
NAMES_MAX_LENGTH = 5000


def _check_values(campaign: Campaign, values: dict) -> dict[str, int]:
    metrics = {m.code: m for m in campaign.metrics.all()}
    unknown = [code for code in values if code not in metrics]
    if unknown:
        raise DomainError(_("Unknown metric: %(code)s.") % {"code": ", ".join(sorted(unknown))},
                          field=f"values.{sorted(unknown)[0]}")
    checked = {}
    for code in metrics:
        value = values.get(code, 0)
        if value is None or value == "":
            value = 0
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
            raise DomainError(_("Give a whole number from 0 to %(max)s.") % {"max": f"{MAX_VALUE:,}"},
                              field=f"values.{code}")
        checked[code] = value
    return checked


@transaction.atomic
def report_submit(*, actor, scope, campaign: Campaign, unit: Unit, day: date | None = None, values: dict,
                  note: str = "") -> Report:
    """Submit (or correct) ``unit``'s report for the period containing ``day`` (default: today).

    A second submission for the same period is a correction: the figures are replaced and a new
    revision row keeps what was submitted each time, by whom, when. A correction of a report already
    verified keeps the verification (it checked the figures then on record; the review shows both).
    """
    if not may_write_unit(scope, unit):
        raise PermissionDenied(_("You may not report for this unit."))
    if not Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.ACTIVE).exists():
        raise DomainError(_("This campaign is closed: no more reports are taken."), code="closed")
    if unit.level != campaign.report_level or not unit.path.startswith(campaign.unit_path):
        raise DomainError(_("This unit does not report for this campaign."), field="unit")
    today = clock.today()
    day = day or today
    if day > today:
        raise DomainError(_("A report cannot be for a period that has not begun."), field="period")
    period = period_of(campaign, day)
    if period is None:
        raise DomainError(_("This day is outside the campaign."), field="period")
    note = (note or "").strip()
    check_length(note, field="note", max_length=500)
    checked = _check_values(campaign, values)
    now = clock.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    report = Report.objects.select_for_update().filter(campaign=campaign, unit=unit,
                                                       period_start=period.start).first()
    if report is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(campaign=campaign, unit=unit, unit_path=unit.path,
                                               period_start=period.start, period_end=period.end,
                                               submitted_by=user, submitted_at=now, revision=0, note=note)
        except IntegrityError:  # the same unit reported the same period at the same moment
            report = Report.objects.select_for_update().get(campaign=campaign, unit=unit, period_start=period.start)
    number = report.revision + 1
    report.revision, report.submitted_by, report.submitted_at, report.note = number, user, now, note
    report.save(update_fields=["revision", "submitted_by", "submitted_at", "note", "updated_at"])
    ReportRevision.objects.create(report=report, number=number, values=checked, note=note, actor=user, at=now)
    metrics = {m.code: m for m in campaign.metrics.all()}
    ReportValue.objects.filter(report=report).delete()
    ReportValue.objects.bulk_create([
        ReportValue(report=report, campaign=campaign, metric=metrics[code], unit_path=unit.path,
                    period_start=period.start, value=value)
        for code, value in checked.items()
    ])
    return report


@transaction.atomic
def booth_task_create(*, actor, scope, campaign: Campaign, unit: Unit, kind: str, title: str = "",
                      due_date: date | None = None) -> BoothTask:
    """A task for a booth (wall writing, a meeting). Needs write scope over the booth."""
    if not may_write_unit(scope, unit):
        raise PermissionDenied(_("You may not give tasks to this booth."))
    if unit.level != "booth" or not unit.path.startswith(campaign.unit_path):
        raise DomainError(_("Tasks go to booths inside the campaign."), field="unit")
    if kind not in TaskKind.values:
        raise DomainError(_("Unknown kind of task."), field="kind")
    title = (title or "").strip() or str(TaskKind(kind).label)
    check_length(title, field="title", max_length=200)
    return BoothTask.objects.create(campaign=campaign, unit=unit, unit_path=unit.path, kind=kind, title=title,
                                    due_date=due_date, created_by=actor if getattr(actor, "is_authenticated", False)
                                    else None)


@transaction.atomic
def booth_task_complete(*, actor, scope, task: BoothTask, photo=None, attendance_count: int | None = None,
                        attendance_names: str = "", attendees=(), note: str = "") -> BoothTask:
    """Mark a booth task done with its evidence: a photo (JPEG, PNG or WebP, at most 5 MB) and/or a
    meeting's attendance (a count, names typed in, or registry persons of the booth's subtree).

    Wall writing needs a photo; a meeting needs its attendance. The photo is stored under MEDIA_ROOT.
    """
    task = BoothTask.objects.select_for_update().get(pk=task.pk)
    if not scope.can_write_path(task.unit_path):
        raise PermissionDenied(_("You may not complete this booth's tasks."))
    if task.status == TaskStatus.DONE:
        raise DomainError(_("This task is done already."), code="done")
    checked = check_upload(photo, kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES, field="photo") if photo else None
    attendees = list(attendees)
    if any(not scope.can_read_path(person.unit_path) for person in attendees):
        raise DomainError(_("Attendees must be workers you can see."), field="attendees")
    names = (attendance_names or "").strip()
    check_length(names, field="attendance_names", max_length=NAMES_MAX_LENGTH)
    listed = len([line for line in names.splitlines() if line.strip()]) + len(attendees)
    if attendance_count is not None and (isinstance(attendance_count, bool) or not 0 <= attendance_count
                                         <= ATTENDANCE_MAX):
        raise DomainError(_("Give a whole number from 0 to %(max)s.") % {"max": f"{ATTENDANCE_MAX:,}"},
                          field="attendance_count")
    count = attendance_count if attendance_count is not None else (listed or None)
    if count is not None and listed > count:
        raise DomainError(_("More names are listed than the count of people present."), field="attendance_count")
    if task.kind == TaskKind.WALL_WRITING and checked is None:
        raise DomainError(_("Add a photo of the wall writing."), code="required", field="photo")
    if task.kind == TaskKind.MEETING and not count:
        raise DomainError(_("Give the number of people present or their names."), code="required",
                          field="attendance_count")
    if checked is None and not count:
        raise DomainError(_("Add a photo or the attendance as evidence."), code="required", field="photo")
    note = (note or "").strip()
    check_length(note, field="note", max_length=500)
    if checked is not None:
        photo.seek(0)
        task.photo.save(f"{task.unit.code}.{checked.extension}", ContentFile(photo.read()), save=False)
    task.status = TaskStatus.DONE
    task.done_on = clock.today()
    task.done_by = actor if getattr(actor, "is_authenticated", False) else None
    task.attendance_count = count
    task.attendance_names = names
    task.note = note
    task.save()
    if attendees:
        task.attendees.set(attendees)
    return task
