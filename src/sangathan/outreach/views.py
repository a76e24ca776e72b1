"""Pages of booth contact: today's calls, the form after a call, compliance, booth health, programs."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.core import clock
from sangathan.core.charts import bar_chart, column_chart, percent
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.org.selectors import scope_root_units, unit_breadcrumbs, unit_get_for_actor
from sangathan.outreach import selectors
from sangathan.outreach.forms import CallLogForm, ProgramForm
from sangathan.outreach.services import (
    assignment_get_for_caller,
    call_log_save,
    followup_close,
    program_create,
    program_update,
)

PERIODS = {"today": 1, "week": 7, "month": 30}
LIST_SHOWN = 100


def _form_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def today(request):
    """The caller's calls of today: one card per booth president with a one-tap call button."""
    scope = scope_for_request(request)
    day = clock.today()
    calls = selectors.call_list_get_for_actor(scope, day=day)
    last_logs = selectors.last_logs_for(calls)
    context = {
        "day": day,
        "calls": [(call, last_logs.get(call.target_id)) for call in calls],
        "left": sum(1 for call in calls if call.status == "pending"),
        "done": sum(1 for call in calls if call.status == "logged"),
        "can_review": not scope.is_empty,
    }
    return render(request, "outreach/today.html", context)


@login_required
def call_log(request, assignment_id: int):
    """The short form after a call (and its correction the same day)."""
    scope = scope_for_request(request)
    try:
        assignment = assignment_get_for_caller(assignment_id, scope)
    except NotFound:
        raise Http404 from None
    existing = getattr(assignment, "log", None)
    editable = assignment.is_callable(clock.today())
    if request.method == "POST" and editable:
        form = CallLogForm(request.POST, questions=assignment.questions)
        if form.is_valid():
            try:
                call_log_save(scope=scope, assignment=assignment, **form.service_arguments())
            except PermissionDenied:
                raise Forbidden from None
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Call logged. Thank you."))
                return redirect("outreach:today")
    else:
        initial = CallLogForm.initial_from(existing) if existing else {}
        form = CallLogForm(initial=initial, questions=assignment.questions)
    context = {"assignment": assignment, "form": form, "log": existing, "editable": editable}
    return render(request, "outreach/call_log.html", context)


def _period(request) -> tuple[str, datetime.date, datetime.date]:
    period = request.GET.get("period", "week")
    if period not in PERIODS:
        period = "week"
    end = clock.today()
    return period, end - datetime.timedelta(days=PERIODS[period] - 1), end


def _unit_for(request, scope):
    """The unit asked for (404 outside the scope), else the reader's first unit; None for a reader who holds
    no unit (a minister, a post on an overlay that grants nothing): the page says so instead of a 404."""
    unit_id = request.GET.get("unit")
    if unit_id:
        try:
            return unit_get_for_actor(unit_id, scope)
        except NotFound:
            raise Http404 from None
    roots = scope_root_units(scope)
    return roots[0] if roots else None


def _no_unit(request, active: str):
    return render(request, "outreach/no_unit.html", {"active": active})


def _tone(value, _target=None) -> str:
    return "ok" if value >= 80 else "warn" if value >= 50 else "bad"


@login_required
def compliance(request):
    """Who made their calls: figures for a unit (a district sees its own, the state all), per day, per
    child unit, per caller; vacant booths and open follow-ups."""
    scope = scope_for_request(request)
    unit = _unit_for(request, scope)
    if unit is None:
        return _no_unit(request, "compliance")
    period, start, end = _period(request)
    figures = selectors.booth_contact_compliance(scope=scope, unit=unit, start=start, end=end)
    children = selectors.compliance_by_child(scope=scope, unit=unit, start=start, end=end)
    callers = selectors.compliance_by_caller(scope=scope, unit=unit, start=start, end=end)
    days = selectors.compliance_by_day(scope=scope, unit=unit, start=start, end=end)
    program = selectors.program_for_unit(unit)
    vacant = list(selectors.vacant_units(scope=scope, unit=unit, program=program)[:LIST_SHOWN]) if program else []
    context = {
        "unit": unit, "period": period, "start": start, "end": end, "figures": figures,
        "crumbs": unit_breadcrumbs(unit, scope),
        "called_percent": round(100 * figures["called_share"]),
        "reached_percent": round(100 * figures["reached_share"]),
        "day_chart": column_chart([(row.label, row.called_same_day) for row in days],
                                  title=_("Calls made the same day, per day")),
        "child_chart": bar_chart([(row.label, 100 * row.called_share, None, f"?unit={row.unit.pk}&period={period}")
                                  for row in children], title=_("Calls made, by unit"), fmt=percent, tone=_tone),
        "children": children,
        "callers": callers[:LIST_SHOWN],
        "vacant": vacant,
        "followups": list(selectors.followups_open(scope=scope, unit=unit)[:LIST_SHOWN]),
        "periods": [("today", _("Today")), ("week", _("7 days")), ("month", _("30 days"))],
        "can_write": scope.can_write_path(unit.path),
    }
    return render(request, "outreach/compliance.html", context)


@login_required
def booths(request):
    """Booth health: when each booth president was last reached, what they said, what is open."""
    scope = scope_for_request(request)
    unit = _unit_for(request, scope)
    if unit is None:
        return _no_unit(request, "booths")
    program = selectors.program_for_unit(unit)
    rows = list(selectors.booth_health(scope=scope, unit=unit, program=program)[:LIST_SHOWN]) if program else []
    period, start, end = _period(request)
    feedback = selectors.booth_feedback(scope=scope, unit=unit, start=start, end=end)
    context = {
        "unit": unit, "program": program, "rows": rows, "feedback": feedback, "period": period,
        "crumbs": unit_breadcrumbs(unit, scope),
        "score_chart": bar_chart([(str(score), count) for score, count in feedback["scores"].items()],
                                 title=_("Party's position (1 weak – 5 strong)")),
        "needs_chart": bar_chart([(label, count) for _code, label, count in feedback["needs"]],
                                 title=_("What booths need"), tone=lambda v, t: "warn"),
        "vacant": list(selectors.vacant_units(scope=scope, unit=unit, program=program)[:LIST_SHOWN])
        if program else [],
        "periods": [("week", _("7 days")), ("month", _("30 days"))],
    }
    return render(request, "outreach/booths.html", context)


@login_required
@require_POST
def followup_done(request, followup_id: int):
    scope = scope_for_request(request)
    try:
        followup = selectors.followup_get_for_actor(followup_id, scope, for_write=True)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise Forbidden from None
    try:
        followup_close(scope=scope, followup=followup, resolution=request.POST.get("resolution", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Follow-up closed."))
    return redirect(f"{reverse('outreach:compliance')}?unit={followup.district_id}")


@login_required
def programs(request):
    scope = scope_for_request(request)
    visible = list(selectors.programs_visible(scope))
    context = {"programs": visible, "can_create": any(scope.can_write_path(u.path) for u in scope_root_units(scope))}
    return render(request, "outreach/programs.html", context)


@login_required
def program_edit(request, program_id: int | None = None):
    """Create or change a contact program: only an office with write scope over its unit (the state office)."""
    scope = scope_for_request(request)
    program = None
    if program_id is not None:
        try:
            program = selectors.program_get_for_actor(program_id, scope, for_write=True)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise Forbidden from None
    roots = [unit for unit in scope_root_units(scope) if scope.can_write_path(unit.path)]
    if program is not None and program.target_root not in roots:
        roots.insert(0, program.target_root)
    if not roots:
        raise Http404
    if request.method == "POST":
        form = ProgramForm(request.POST, roots=roots)
        if form.is_valid():
            arguments = form.service_arguments()
            try:
                if program is None:
                    program = program_create(scope=scope, **arguments)
                else:
                    program = program_update(scope=scope, program=program, **arguments)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Program saved."))
                return redirect("outreach:programs")
    else:
        form = ProgramForm(initial=ProgramForm.initial_from(program) if program else {
            "per_caller_per_day": 2, "working_days": [0, 1, 2, 3, 4, 5], "send_time": "09:00",
            "reminder_time": "18:00", "channel": "sms", "is_active": True, "pairing_level": "district",
            "target_post": "president"}, roots=roots)
    return render(request, "outreach/program_form.html", {"form": form, "program": program})


