"""Pages where conveners and office staff keep the sitting days and the minister roster. Thin: services
write, selectors read, both take the scope."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.core import clock
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.forms import add_domain_errors
from sangathan.org.models import Unit
from sangathan.rosters.enums import OfficeKind
from sangathan.rosters.forms import (
    OfficeForm,
    RosterAbsenceForm,
    RosterGenerateForm,
    RosterSwapForm,
    SittingDayForm,
)
from sangathan.rosters.models import SittingDay
from sangathan.rosters.policies import may_manage_office
from sangathan.rosters.selectors import (
    office_bearer_get,
    office_days,
    office_get_for_actor,
    offices_visible,
    roster_changes,
    roster_days,
    roster_member_list,
)
from sangathan.rosters.services import (
    office_create,
    roster_absence,
    roster_generate,
    roster_swap,
    sitting_day_add,
    sitting_day_remove,
)

ROSTER_WEEKS_SHOWN = 4


def form_error(form, error: DomainError) -> None:
    """Every field error of the service on the form at once (``core.forms.add_domain_errors``)."""
    add_domain_errors(form, error)


def _office_or_404(request, office_id):
    try:
        return office_get_for_actor(office_id, scope_for_request(request))
    except NotFound:
        raise Http404 from None


def _manageable_units(scope):
    """Districts and the state the reader may open offices for."""
    return list(scope.filter(Unit.objects.filter(level__in=["state", "district"]), "path")[:200])


@login_required
def office_list(request):
    scope = scope_for_request(request)
    offices = list(offices_visible(scope))
    units = [u for u in _manageable_units(scope) if may_manage_office(scope=scope, unit_path=u.path)]
    form = OfficeForm(request.POST or None, units=units)
    if request.method == "POST":
        if form.is_valid():
            unit = next((u for u in units if u.pk == form.cleaned_data["unit"]), None)
            try:
                office = office_create(scope=scope, unit=unit, name=form.cleaned_data["name"],
                                       address=form.cleaned_data["address"])
            except DomainError as error:
                form_error(form, error)
            else:
                return redirect("rosters:office", office_id=office.pk)
    return render(request, "rosters/office_list.html", {"offices": offices, "form": form if units else None},
                  status=400 if form.errors else 200)


def _office_context(request, office, **forms):
    scope = scope_for_request(request)
    today = clock.today()
    may_manage = may_manage_office(scope=scope, unit_path=office.unit_path)
    context = {
        "office": office,
        "today": today,
        "may_manage": may_manage,
        "week": office_days(office, today, days=7),
        "sitting_days": SittingDay.objects.filter(office=office).select_related("person"),
        "changes": roster_changes(office),
        "is_state": office.kind == OfficeKind.STATE,
    }
    if may_manage:
        context["sitting_form"] = forms.get("sitting_form") or SittingDayForm(office=office)
    if office.kind == OfficeKind.STATE:
        members = list(roster_member_list(office))
        context["members"] = members
        context["roster"] = roster_days(office, today, today + timedelta(weeks=ROSTER_WEEKS_SHOWN))
        if may_manage:
            context["generate_form"] = forms.get("generate_form") or RosterGenerateForm(initial={
                "start": today, "end": today + timedelta(weeks=ROSTER_WEEKS_SHOWN)})
            context["swap_form"] = forms.get("swap_form") or RosterSwapForm()
            context["absence_form"] = forms.get("absence_form") or RosterAbsenceForm(members=members)
    return context


@login_required
def office_detail(request, office_id: int):
    office = _office_or_404(request, office_id)
    return render(request, "rosters/office_detail.html", _office_context(request, office))


def _handle(request, office, form_name, form, call):
    """Run ``call(cleaned_data)`` for a valid form; on any error show the office page again with it."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except PermissionDenied:
            raise Forbidden from None
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rosters:office", office_id=office.pk)
    return render(request, "rosters/office_detail.html", _office_context(request, office, **{form_name: form}),
                  status=400)


@login_required
@require_POST
def sitting_add(request, office_id: int):
    office = _office_or_404(request, office_id)
    scope = scope_for_request(request)
    form = SittingDayForm(request.POST, office=office)
    return _handle(request, office, "sitting_form", form, lambda data: sitting_day_add(
        scope=scope, office=office, person=office_bearer_get(office, data["person"]),
        weekday=data["weekday"], starts_at=data["starts_at"], ends_at=data["ends_at"], note=data["note"]))


@login_required
@require_POST
def sitting_remove(request, office_id: int, sitting_id: int):
    office = _office_or_404(request, office_id)
    sitting = SittingDay.objects.filter(office=office, pk=sitting_id).select_related("office", "person").first()
    if sitting is None:
        raise Http404
    try:
        sitting_day_remove(scope=scope_for_request(request), sitting_day=sitting,
                           reason=request.POST.get("reason", "")[:300])
    except PermissionDenied:
        raise Forbidden from None
    messages.success(request, _("Removed."))
    return redirect("rosters:office", office_id=office.pk)


@login_required
@require_POST
def roster_generate_view(request, office_id: int):
    office = _office_or_404(request, office_id)
    scope = scope_for_request(request)
    form = RosterGenerateForm(request.POST)
    return _handle(request, office, "generate_form", form, lambda data: roster_generate(
        scope=scope, office=office, start=data["start"], end=data["end"]))


@login_required
@require_POST
def roster_swap_view(request, office_id: int):
    office = _office_or_404(request, office_id)
    scope = scope_for_request(request)
    form = RosterSwapForm(request.POST)
    return _handle(request, office, "swap_form", form, lambda data: roster_swap(
        scope=scope, office=office, first=data["first"], second=data["second"],
        reason=data["reason"]))


@login_required
@require_POST
def roster_absence_view(request, office_id: int):
    office = _office_or_404(request, office_id)
    scope = scope_for_request(request)
    members = list(roster_member_list(office))
    form = RosterAbsenceForm(request.POST, members=members)
    people = {m.person_id: m.person for m in members}
    return _handle(request, office, "absence_form", form, lambda data: roster_absence(
        scope=scope, office=office, on=data["on"], reason=data["reason"],
        substitute=people.get(data["substitute"])))
