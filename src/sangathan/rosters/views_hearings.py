"""Hearing pages, made for the sitting official's phone: today's list by token, one tap per outcome,
walk-ins and scheduling at the desk, and each owner's directions."""

from datetime import timedelta

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
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.grievances.codes import normalize_tracking_code
from sangathan.grievances.enums import GrievanceKind
from sangathan.grievances.models import Department, Grievance
from sangathan.grievances.selectors import grievances_visible
from sangathan.org.models import Unit
from sangathan.rosters.enums import CaseOutcome, HearingStatus, OfficeKind
from sangathan.rosters.forms import DirectionDoneForm, OutcomeForm, ScheduleForm, WalkInForm
from sangathan.rosters.models import HearingSession
from sangathan.rosters.policies import may_run_hearing
from sangathan.rosters.selectors import (
    direction_get_for_actor,
    direction_owner_get,
    directions_for_owner,
    hearing_case_get_for_actor,
    hearing_cases,
    hearing_session_get_for_actor,
    hearings_for,
    office_get_for_actor,
)
from sangathan.rosters.services import (
    DirectionIn,
    hearing_case_record,
    hearing_direction_complete,
    hearing_schedule,
    hearing_session_open,
    hearing_walk_in,
)
from sangathan.rosters.views import form_error

DAYS_AHEAD = 7


def _session_or_404(request, session_id) -> HearingSession:
    try:
        return hearing_session_get_for_actor(session_id, scope_for_request(request))
    except NotFound:
        raise Http404 from None


@login_required
def hearing_list(request):
    """Today's and the coming week's hearings the reader sits at or runs."""
    today = clock.today()
    sessions = list(hearings_for(scope_for_request(request), today, today + timedelta(days=DAYS_AHEAD)))
    return render(request, "rosters/hearing_list.html", {
        "today": today, "today_sessions": [s for s in sessions if s.date == today],
        "later_sessions": [s for s in sessions if s.date > today],
        "directions": list(directions_for_owner(request.user.person_id)[:5]) if request.user.person_id else [],
    })


@login_required
@require_POST
def hearing_open(request, office_id: int):
    """Open (or find) today's hearing at an office, for whoever sits there first today."""
    scope = scope_for_request(request)
    try:
        office = office_get_for_actor(office_id, scope)
    except NotFound:
        raise Http404 from None
    try:
        session = hearing_session_open(scope=scope, office=office, on=clock.today())
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("rosters:office", office_id=office.pk)
    return redirect("rosters:hearing", session_id=session.pk)


def _walk_in_form(session, data=None):
    if session.office.kind == OfficeKind.STATE:
        units = Unit.objects.filter(level="district", is_active=True).order_by("name_hi")
    else:
        units = [session.office.unit]
    return WalkInForm(data, units=units, kinds=GrievanceKind.choices,
                      departments=Department.objects.filter(is_active=True))


def _session_page(request, session, *, status=200, outcome_forms=None, schedule_form=None, walk_in_form=None):
    may_run = may_run_hearing(scope=scope_for_request(request), session=session)
    cases = hearing_cases(session)
    open_today = session.status == HearingStatus.OPEN and session.date >= clock.today()
    rows = []
    for case in cases:
        form = None
        if may_run and case.is_waiting and session.date <= clock.today():
            form = (outcome_forms or {}).get(case.pk) or OutcomeForm(grievance=case.grievance,
                                                                     prefix=f"case{case.pk}")
        rows.append((case, form))
    context = {
        "session": session,
        "rows": rows,
        "may_run": may_run,
        "waiting": sum(1 for case in cases if case.is_waiting),
        "heard": sum(1 for case in cases if case.outcome in (CaseOutcome.RESOLVED, CaseOutcome.DIRECTIONS)),
        "outcomes": CaseOutcome,
        "is_today": session.date == clock.today(),
    }
    if may_run and open_today:
        context["schedule_form"] = schedule_form or ScheduleForm()
        if session.date == clock.today():
            context["walk_in_form"] = walk_in_form or _walk_in_form(session)
    return render(request, "rosters/hearing_detail.html", context, status=status)


@login_required
def hearing_detail(request, session_id: int):
    return _session_page(request, _session_or_404(request, session_id))


@login_required
@require_POST
def case_record(request, session_id: int, case_id: int):
    session = _session_or_404(request, session_id)
    try:
        case = hearing_case_get_for_actor(session, case_id)
    except NotFound:
        raise Http404 from None
    form = OutcomeForm(request.POST, grievance=case.grievance, prefix=f"case{case.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            directions = []
            if data["outcome"] == CaseOutcome.DIRECTIONS:
                owner = direction_owner_get(case.grievance, data["owner"]) if data["owner"] else None
                directions = [DirectionIn(owner=owner, text=data["text"], deadline=data["deadline"])]
            hearing_case_record(scope=scope_for_request(request), case=case, outcome=data["outcome"], note=data["note"],
                                directions=directions)
        except PermissionDenied:
            raise Forbidden from None
        except DomainError as error:
            field = (error.field or "").split(".")[-1]
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, _("Token %(token)s: recorded.") % {"token": case.token})
            return redirect(reverse("rosters:hearing", args=[session.pk]) + f"#case-{case.pk}")
    return _session_page(request, session, status=400, outcome_forms={case.pk: form})


def _grievance_by_code(request, code: str) -> Grievance:
    code = normalize_tracking_code(code)
    if code and not code.startswith("SG-"):
        code = f"SG-{code.removeprefix('SG')}"
    grievance = grievances_visible(scope_for_request(request)).filter(tracking_code=code).first()
    if grievance is None:
        raise NotFound(_("No grievance with this tracking code."), field="tracking_code")
    return grievance


@login_required
@require_POST
def case_schedule(request, session_id: int):
    session = _session_or_404(request, session_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            grievance = _grievance_by_code(request, form.cleaned_data["tracking_code"])
            case = hearing_schedule(scope=scope_for_request(request), session=session, grievance=grievance)
        except PermissionDenied as error:
            form.add_error(None, error.message)
        except DomainError as error:
            form_error(form, error) if error.field in form.fields else form.add_error(
                "tracking_code", error.message)
        else:
            messages.success(request, _("Added with token %(token)s.") % {"token": case.token})
            return redirect("rosters:hearing", session_id=session.pk)
    return _session_page(request, session, status=400, schedule_form=form)


@login_required
@require_POST
def case_walk_in(request, session_id: int):
    session = _session_or_404(request, session_id)
    form = _walk_in_form(session, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        unit = Unit.objects.filter(pk=data["unit"]).first()
        try:
            case = hearing_walk_in(scope=scope_for_request(request), session=session, unit=unit, kind=data["kind"],
                                   department=data["department"], subject=data["subject"],
                                   description=data["description"], complainant_name=data["complainant_name"],
                                   complainant_mobile=data["complainant_mobile"])
        except PermissionDenied as error:
            form.add_error(None, error.message)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Taken with token %(token)s; tracking code %(code)s.")
                             % {"token": case.token, "code": case.grievance.tracking_code})
            return redirect("rosters:hearing", session_id=session.pk)
    return _session_page(request, session, status=400, walk_in_form=form)


@login_required
def direction_list(request):
    """The directions given to the reader at hearings, open ones first."""
    person_id = request.user.person_id
    directions = list(directions_for_owner(person_id, open_only=False)[:100]) if person_id else []
    return render(request, "rosters/direction_list.html", {"directions": directions, "form": DirectionDoneForm(),
                                                           "today": clock.today()})


@login_required
@require_POST
def direction_done(request, direction_id: int):
    scope = scope_for_request(request)
    try:
        direction = direction_get_for_actor(direction_id, scope)
    except NotFound:
        raise Http404 from None
    form = DirectionDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        hearing_direction_complete(scope=scope, direction=direction, note=note)
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked done."))
    return redirect("rosters:directions")
