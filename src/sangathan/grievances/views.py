"""Pages of the Sahyog Cell: the queue, the intake form, a grievance with its actions, the public status
page. Thin: selectors read through the actor's reach, services write; a DomainError shows on the page."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sangathan.access.scope import Scope, scope_for_request
from sangathan.core import clock
from sangathan.core.errors import DomainError, FieldErrors, NotFound, PermissionDenied
from sangathan.core.forms import add_domain_errors
from sangathan.core.pagination import TwoStepPaginator
from sangathan.core.phones import try_normalize_mobile
from sangathan.core.ratelimit import request_limited
from sangathan.grievances.display import timeline_rows
from sangathan.grievances.enums import OPEN_STATUSES, GrievanceKind, GrievanceLevel, GrievanceStatus
from sangathan.grievances.forms import IntakeForm, StatusForm
from sangathan.grievances.models import ApprovalRequest, GrievanceAttachment
from sangathan.grievances.policies import is_state_cell, may_approve
from sangathan.grievances.selectors import (
    assign_candidates,
    grievance_assignees,
    grievance_by_code_and_mobile,
    grievance_events,
    grievance_get_for_actor,
    grievance_list,
    grievances_visible,
    latest_public_event,
    may_see_any,
    may_take,
    may_write,
)
from sangathan.grievances.services import (
    grievance_add_note,
    grievance_assign,
    grievance_confirm,
    grievance_create,
    grievance_decide_approval,
    grievance_escalate,
    grievance_forward,
    grievance_request_forced_close,
    grievance_resolve,
    grievance_resume,
    grievance_schedule_hearing,
    grievance_send_back,
    grievance_wait_for_complainant,
)
from sangathan.grievances.services.intake import intake_check
from sangathan.org.models import Unit
from sangathan.people.models import Person

PER_PAGE = 25
TABS = ("open", "overdue", "state", "mine", "resolved", "all")


def _grievance_or_404(grievance_id, scope: Scope, *, for_write: bool = False):
    """The grievance (a read writes its audit row); 404 outside the scope exactly as when missing."""
    try:
        return grievance_get_for_actor(grievance_id, scope, for_write=for_write)
    except NotFound:
        raise Http404 from None
    except PermissionDenied as error:
        raise Forbidden(error.message) from None


@login_required
def queue(request):
    """The cell's work list: open, overdue, the state cell's, mine, awaiting confirmation, all."""
    scope = scope_for_request(request)
    if not may_see_any(scope):
        raise Forbidden
    state_cell = is_state_cell(scope)
    tab = request.GET.get("tab") or ("state" if state_cell else "open")
    if tab not in TABS:
        tab = "open"
    filters = {
        "open": {"open_only": True},
        "overdue": {"overdue": True},
        "state": {"open_only": True, "level": GrievanceLevel.STATE},
        "mine": {"open_only": True, "assigned_to_me": True},
        "resolved": {"status": GrievanceStatus.RESOLVED},
        "all": {},
    }[tab]
    q = (request.GET.get("q") or "").strip()[:100]
    grievances = grievance_list(scope=scope, q=q, **filters).select_related("unit", "department")
    page = TwoStepPaginator(grievances, PER_PAGE).get_page(request.GET.get("page"))
    visible = grievances_visible(scope)
    stats = {
        "open": visible.filter(status__in=OPEN_STATUSES).count(),
        "overdue": visible.filter(status=GrievanceStatus.OPEN, due_at__lt=clock.now()).count(),
        "resolved": visible.filter(status=GrievanceStatus.RESOLVED).count(),
    }
    return render(request, "grievances/queue.html", {
        "page": page, "tab": tab, "tabs": TABS, "q": q, "stats": stats, "now": clock.now(),
        "may_take": may_take(scope),
        "pending_approvals": ApprovalRequest.objects.filter(status="pending").count() if may_approve(scope) else 0,
    })


def _attachments(request) -> list:
    return [f for f in request.FILES.getlist("attachments") if f]


@login_required
def intake(request):
    """Take a walk-in's or a caller's grievance; the form is made for a phone at the district office."""
    scope = scope_for_request(request)
    if not may_take(scope):
        raise Forbidden
    form = IntakeForm(request.POST or None, request.FILES or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {"unit": Unit.objects.filter(pk=data["unit"]).first(), "channel": data["channel"],
                  "kind": data["kind"], "subject": data["subject"], "description": data["description"],
                  "complainant_name": data["complainant_name"],
                  "complainant_mobile": data["complainant_mobile"], "department": data["department"] or None,
                  "priority": data["priority"], "attachments": _attachments(request)}
        try:
            named = None
            if data["named_mobile"]:
                mobile = try_normalize_mobile(data["named_mobile"])
                named = Person.objects.filter(mobile=mobile).first() if mobile else None
                if named is None:
                    # Said together with whatever else is wrong on the form.
                    errors = FieldErrors()
                    errors.add("named_mobile", _("No one in the registry has this mobile number."))
                    intake_check(scope=scope, errors=errors, **values)
            grievance = grievance_create(scope=scope, named_person=named, **values)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            return redirect(f"{grievance_url(grievance)}?new=1")
    return render(request, "grievances/intake.html", {"form": form}, status=400 if form.errors else 200)


def grievance_url(grievance) -> str:
    from django.urls import reverse

    return reverse("grievances:detail", args=[grievance.pk])


def _detail_context(request, grievance, *, error: str = "", failed_action: str = "") -> dict:
    scope = scope_for_request(request)
    writable = may_write(scope, grievance)
    return {
        "grievance": grievance,
        "timeline": timeline_rows(grievance_events(grievance)),
        "assignees": grievance_assignees(grievance, active_only=False),
        "attachments": grievance.attachments.all(),
        "writable": writable,
        "state_cell": is_state_cell(scope),
        "may_approve": may_approve(scope),
        "candidates": assign_candidates(grievance, scope) if writable else [],
        "pending_approval": grievance.approvals.filter(status="pending").first(),
        "is_open": grievance.status in OPEN_STATUSES,
        "statuses": GrievanceStatus,
        "levels": GrievanceLevel,
        "kinds": GrievanceKind,
        "today": clock.today(),
        "error": error,
        "failed_action": failed_action,
        "just_taken": request.GET.get("new") == "1",
    }


@login_required
def detail(request, grievance_id: int):
    """A grievance, its people, files and timeline, and what the reader may do next. Audited."""
    grievance = _grievance_or_404(grievance_id, scope_for_request(request))
    return render(request, "grievances/detail.html", _detail_context(request, grievance))


@login_required
def attachment(request, grievance_id: int, attachment_id: int):
    grievance = _grievance_or_404(grievance_id, scope_for_request(request))
    item = get_object_or_404(GrievanceAttachment, pk=attachment_id, grievance=grievance)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name or None)


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("Enter a valid date."), field=field) from None


def _person_id(value: str) -> int | None:
    return int(value) if (value or "").isdigit() and len(value) < 19 else None


def _run_action(request, grievance: int, action: str):
    """The one action the form names, with ``request``'s scope; every rule is the service's."""
    post, scope = request.POST, scope_for_request(request)
    if action == "assign":
        return grievance_assign(scope=scope, grievance=grievance, to_person=_person_id(post.get("person", "")),
                                note=post.get("note", ""))
    if action == "forward":
        return grievance_forward(scope=scope, grievance=grievance, office=post.get("office", ""),
                                 reference=post.get("reference", ""),
                                 forwarded_on=_date(post.get("forwarded_on", ""), "forwarded_on"))
    if action == "escalate":
        return grievance_escalate(scope=scope, grievance=grievance, reason=post.get("reason", ""))
    if action == "send-back":
        return grievance_send_back(scope=scope, grievance=grievance, directions=post.get("directions", ""))
    if action == "wait":
        return grievance_wait_for_complainant(scope=scope, grievance=grievance, question=post.get("question", ""))
    if action == "resume":
        return grievance_resume(scope=scope, grievance=grievance, note=post.get("note", ""))
    if action == "hearing":
        return grievance_schedule_hearing(scope=scope, grievance=grievance, on=_date(post.get("on", ""), "on"),
                                          label=post.get("label", ""))
    if action == "note":
        return grievance_add_note(scope=scope, grievance=grievance, text=post.get("text", ""),
                                  public=post.get("public") == "1")
    if action == "resolve":
        return grievance_resolve(scope=scope, grievance=grievance, note=post.get("note", ""),
                                 evidence=[f for f in request.FILES.getlist("evidence") if f])
    if action == "confirm":
        return grievance_confirm(scope=scope, grievance=grievance, satisfied=post.get("satisfied") == "1",
                                 channel="staff")
    if action == "close":
        return grievance_request_forced_close(scope=scope, grievance=grievance, reason=post.get("reason", ""))
    if action == "approve":
        return grievance_decide_approval(scope=scope, grievance=grievance, approve=post.get("approve") == "1",
                                         note=post.get("note", ""))
    raise Http404


@login_required
@require_POST
def action(request, grievance_id: int, action: str):
    """Run one action on the grievance: 404 outside the scope, 403 when refused, the page again on a
    validation error."""
    scope = scope_for_request(request)
    try:
        _run_action(request, grievance_id, action)
    except PermissionDenied as error:
        raise Forbidden(error.message) from None
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        grievance = _grievance_or_404(grievance_id, scope)
        return render(request, "grievances/detail.html",
                      _detail_context(request, grievance, error=error.message, failed_action=action), status=400)
    if not grievances_visible(scope).filter(pk=grievance_id).exists():
        # Handed on beyond the actor's reach (e.g. a minister sent it back): the queue, not a 404.
        return redirect("grievances:queue")
    return redirect("grievances:detail", grievance_id=grievance_id)


def _status_context(grievance) -> dict:
    note = latest_public_event(grievance)
    return {"grievance": grievance, "note": note, "awaiting": grievance.status == GrievanceStatus.RESOLVED}


@never_cache
def public_status(request):
    """Tracking code + mobile → status and the latest public note; the same error for any mismatch."""
    form = StatusForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        if limited := request_limited("status.ip", request):
            context["error"], status = limited.message, 429
        else:
            try:
                grievance = grievance_by_code_and_mobile(tracking_code=form.cleaned_data["tracking_code"],
                                                         mobile=form.cleaned_data["mobile"])
            except DomainError as error:
                context["error"] = error.message
                status = 400
            else:
                context.update(_status_context(grievance), mobile=form.cleaned_data["mobile"])
    elif request.method == "POST":
        status = 400
    return render(request, "grievances/status.html", context, status=status)


@never_cache
@require_POST
def public_confirm(request):
    """The complainant's satisfied / not satisfied, from the status page."""
    form = StatusForm(request.POST)
    context = {"form": form}
    if not form.is_valid():
        return render(request, "grievances/status.html", context, status=400)
    if limited := request_limited("status.ip", request):
        context["error"] = limited.message
        return render(request, "grievances/status.html", context, status=429)
    try:
        grievance = grievance_by_code_and_mobile(tracking_code=form.cleaned_data["tracking_code"],
                                                 mobile=form.cleaned_data["mobile"])
        # The code and mobile matched: the system records the complainant's own answer.
        grievance = grievance_confirm(scope=Scope.system(channel="web"), grievance=grievance,
                                      satisfied=request.POST.get("satisfied") == "1", channel="web")
    except DomainError as error:
        context["error"] = error.message
        return render(request, "grievances/status.html", context, status=400)
    context.update(_status_context(grievance), mobile=form.cleaned_data["mobile"], thanked=True)
    return render(request, "grievances/status.html", context)
