"""Pages of campaigns. Thin: services write, selectors read, both take the reader's scope."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sangathan.access.scope import scope_for_request
from sangathan.campaigns.enums import TaskKind, TaskStatus, VerificationStatus
from sangathan.campaigns.forms import VALUE_PREFIX, ReportForm, TaskCreateForm, TaskEvidenceForm, form_error
from sangathan.campaigns.models import Campaign
from sangathan.campaigns.periods import periods_until
from sangathan.campaigns.review import review_pages, review_window
from sangathan.campaigns.selectors import (
    campaign_get_for_actor,
    campaign_home_unit,
    campaign_progress,
    campaign_series,
    campaign_unit_for_actor,
    campaigns_visible,
    flagged_units,
    report_figures,
    reports_visible,
    task_get_for_actor,
    tasks_visible,
    verifications_visible,
)
from sangathan.campaigns.services import (
    booth_task_complete,
    booth_task_create,
    report_submit,
    reporting_units,
)
from sangathan.core import clock
from sangathan.core.charts import bar_chart, column_chart
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.pagination import TwoStepPaginator
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit
from sangathan.org.selectors import level_labels, unit_breadcrumbs

CHOICES_SHOWN = 300
TASKS_PER_PAGE = 30
VERIFICATIONS_PER_PAGE = 30


def _campaign_or_404(campaign_id, scope) -> Campaign:
    try:
        return campaign_get_for_actor(campaign_id, scope)
    except NotFound:
        raise Http404 from None


def _unit_or_home(request, campaign, scope):
    unit_id = request.GET.get("unit") or request.POST.get("view_unit")
    try:
        if unit_id:
            return campaign_unit_for_actor(campaign, unit_id, scope)
        return campaign_home_unit(campaign, scope)
    except NotFound:
        raise Http404 from None


def _period(request, campaign):
    periods = periods_until(campaign, clock.today())
    wanted = request.GET.get("period", "")
    return periods, next((p for p in periods if p.start.isoformat() == wanted), None)


def _tone(value, target):
    if not target:
        return "brand"
    share = value / target
    return "ok" if share >= 0.75 else "warn" if share >= 0.4 else "bad"


def writable_reporting_units(campaign, unit, scope) -> list:
    return list(reporting_units(campaign, unit).filter(scope.q("path", for_write=True))[:CHOICES_SHOWN])


@login_required
def campaign_list(request):
    """Campaigns the reader takes part in, each opening at the reader's own part of it. No figures here:
    a state's roll-up reads millions of figures, once, on the campaign's own page."""
    scope = scope_for_request(request)
    rows = [(campaign, campaign_home_unit(campaign, scope)) for campaign in campaigns_visible(scope)[:50]]
    return render(request, "campaigns/campaign_list.html", {"rows": rows})


@login_required
def campaign_detail(request, campaign_id: int):
    """Target vs reported for a unit of the campaign and each unit below it, with charts; drill down by
    tapping a unit; one period or the whole campaign."""
    scope = scope_for_request(request)
    campaign = _campaign_or_404(campaign_id, scope)
    unit = _unit_or_home(request, campaign, scope)
    periods, period = _period(request, campaign)
    total, rows = campaign_progress(scope=scope, campaign=campaign, unit=unit,
                                    period_start=period.start if period else None)
    base = reverse("campaigns:detail", args=[campaign.pk])
    suffix = f"&period={period.start.isoformat()}" if period else ""
    charts = []
    for index, progress in enumerate(total.metrics):
        charts.append(bar_chart(
            [(row.unit.name, row.metrics[index].reported, row.metrics[index].target or None,
              f"{base}?unit={row.unit.pk}{suffix}") for row in rows],
            title=_("%(metric)s: reported against target") % {"metric": progress.metric.label}, tone=_tone))
    main = total.main
    series = column_chart(
        [(date_label(start), value) for start, value in
         campaign_series(scope=scope, campaign=campaign, unit=unit, metric=main.metric)],
        title=_("%(metric)s per period") % {"metric": main.metric.label}) if main else None
    context = {
        "campaign": campaign, "unit": unit, "total": total, "rows": rows, "charts": charts if rows else [],
        "series": series, "periods": list(reversed(periods)), "period": period, "levels": level_labels(),
        "crumbs": [c for c in unit_breadcrumbs(unit, scope) if c.unit.path.startswith(campaign.unit_path)],
        "may_report": bool(writable_reporting_units(campaign, unit, scope)),
        "flagged": flagged_units(scope=scope, campaign=campaign, unit=unit),
        "recent": list(reports_visible(scope=scope, campaign=campaign, unit=unit)[:10]),
        "open_tasks": tasks_visible(scope=scope, campaign=campaign, unit=unit, status=TaskStatus.OPEN).count(),
    }
    return render(request, "campaigns/campaign_detail.html", context)


def date_label(day: date) -> str:
    return f"{day:%d.%m}"


@login_required
def report_submit_view(request, campaign_id: int):
    """The progress report form: one number per metric, for a reporting unit the reader may write, for
    this period or an earlier one. Submitting again for the same period corrects it (history is kept)."""
    scope = scope_for_request(request)
    campaign = _campaign_or_404(campaign_id, scope)
    unit = _unit_or_home(request, campaign, scope)
    units = writable_reporting_units(campaign, unit, scope)
    if not units:
        raise Forbidden
    periods = periods_until(campaign, clock.today())
    if not periods:
        messages.error(request, _("The campaign has not begun yet."))
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    initial = {"unit": units[0].pk, "period": periods[-1].start.isoformat()}
    previous = {}
    if len(units) == 1:
        existing = reports_visible(scope=scope, campaign=campaign, unit=units[0],
                                   period_start=periods[-1].start).first()
        previous = report_figures(existing) if existing else {}
        initial.update({VALUE_PREFIX + code: value for code, value in previous.items()})
    form = ReportForm(request.POST or None, campaign=campaign, units=units, periods=periods, initial=initial)
    if request.method == "POST" and form.is_valid():
        report_unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        try:
            report = report_submit(scope=scope, campaign=campaign, unit=report_unit,
                                   day=date.fromisoformat(form.cleaned_data["period"]), values=form.values(),
                                   note=form.cleaned_data["note"])
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise Forbidden from None
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Report saved for %(unit)s.") % {"unit": report_unit.name}
                             if report.revision == 1 else
                             _("Report corrected for %(unit)s (correction %(n)s).") % {"unit": report_unit.name,
                                                                                      "n": report.revision - 1})
            return redirect(f"{reverse('campaigns:detail', args=[campaign.pk])}?unit={unit.pk}")
    return render(request, "campaigns/report_form.html", {"campaign": campaign, "unit": unit, "form": form,
                                                          "previous": previous})


@login_required
def task_list(request, campaign_id: int):
    """Booth tasks of the campaign under a unit, open first; booth office-bearers complete them here."""
    scope = scope_for_request(request)
    campaign = _campaign_or_404(campaign_id, scope)
    unit = _unit_or_home(request, campaign, scope)
    status = request.GET.get("status", "")
    status = status if status in TaskStatus.values else ""
    page = TwoStepPaginator(tasks_visible(scope=scope, campaign=campaign, unit=unit, status=status),
                            TASKS_PER_PAGE).get_page(request.GET.get("page"))
    booths = list(reporting_units_booths(campaign, unit, scope))
    form = TaskCreateForm(request.POST or None, booths=booths, kinds=TaskKind.choices) if booths else None
    if request.method == "POST" and form is None:
        raise Forbidden  # no booth here the reader may give tasks to
    if request.method == "POST" and form.is_valid():
        booth = next(b for b in booths if b.pk == form.cleaned_data["unit"])
        try:
            booth_task_create(scope=scope, campaign=campaign, unit=booth,
                              kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
                              due_date=form.cleaned_data["due_date"])
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise Forbidden from None
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Task given to %(booth)s.") % {"booth": booth.name})
            return redirect(f"{reverse('campaigns:tasks', args=[campaign.pk])}?unit={unit.pk}")
    return render(request, "campaigns/task_list.html", {"campaign": campaign, "unit": unit, "page": page,
                                                        "status": status, "form": form, "statuses": TaskStatus})


def reporting_units_booths(campaign, unit, scope):
    return Unit.objects.filter(subtree_q("path", unit.path), level="booth", is_active=True).filter(
        scope.q("path", for_write=True)).order_by("path")[:CHOICES_SHOWN]


@login_required
def task_detail(request, task_id: int):
    """A booth task, and for those who may write the booth, the form to complete it with evidence."""
    scope = scope_for_request(request)
    try:
        task = task_get_for_actor(task_id, scope)
    except NotFound:
        raise Http404 from None
    may_complete = task.status == TaskStatus.OPEN and scope.can_write_path(task.unit_path)
    form = TaskEvidenceForm(request.POST or None, request.FILES or None) if may_complete else None
    if request.method == "POST":
        if form is None:
            raise Forbidden
        if form.is_valid():
            data = form.cleaned_data
            try:
                booth_task_complete(scope=scope, task=task, photo=data["photo"],
                                    attendance_count=data["attendance_count"],
                                    attendance_names=data["attendance_names"], note=data["note"])
            except NotFound:
                raise Http404 from None
            except PermissionDenied:
                raise Forbidden from None
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Task marked done with its evidence."))
                return redirect("campaigns:task", task_id=task.pk)
    return render(request, "campaigns/task_detail.html", {"task": task, "form": form,
                                                          "attendees": list(task.attendees.all())})


@login_required
def task_photo(request, task_id: int):
    """The evidence photo, only to readers of the booth (never a public media URL)."""
    scope = scope_for_request(request)
    try:
        task = task_get_for_actor(task_id, scope)
    except NotFound:
        raise Http404 from None
    if not task.photo:
        raise Http404
    try:
        handle = task.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=_content_type(task.photo.name))
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension, "application/octet-stream")


@login_required
def verification_review(request, campaign_id: int):
    """Units whose reports do not match what their presidents said, with the evidence, and every
    verification call under the unit."""
    scope = scope_for_request(request)
    campaign = _campaign_or_404(campaign_id, scope)
    unit = _unit_or_home(request, campaign, scope)
    status = request.GET.get("status", "")
    status = status if status in VerificationStatus.values else ""
    page = TwoStepPaginator(verifications_visible(scope=scope, campaign=campaign, unit=unit, status=status),
                            VERIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/verification_review.html", {
        "campaign": campaign, "unit": unit, "flagged": flagged_units(scope=scope, campaign=campaign, unit=unit),
        "page": page, "status": status, "statuses": VerificationStatus,
        "may_sample": scope.can_write_path(unit.path),
    })


@login_required
def review_pack(request, campaign_id: int):
    """One printable page per unit under the chosen unit for a review meeting (print: one unit a sheet)."""
    scope = scope_for_request(request)
    campaign = _campaign_or_404(campaign_id, scope)
    unit = _unit_or_home(request, campaign, scope)
    total, pages = review_pages(scope=scope, campaign=campaign, unit=unit)
    start, end = review_window(campaign)
    return render(request, "campaigns/review_pack.html", {
        "campaign": campaign, "unit": unit, "total": total, "pages": pages, "start": start, "end": end,
        "levels": level_labels(), "printed_at": clock.now(),
    })
