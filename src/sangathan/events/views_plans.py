"""Pages of workshop plans (dates × venues, districts assigned, the check and the suggestion, sending the
invitations) and of tours (required parts: planned, held, missing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError
from sangathan.core.forms import add_domain_errors
from sangathan.events import planfile, reports, selectors
from sangathan.events.enums import PART_LABELS
from sangathan.events.forms import PlanForm, SlotForm, TourForm, VenueForm
from sangathan.events.models import PlanSlot
from sangathan.events.plan_state import plan_state
from sangathan.events.policies import may_organize
from sangathan.events.services import (
    assignment_set,
    plan_create,
    plan_import,
    plan_send_invitations,
    plan_suggest,
    slot_add,
    tour_create,
    venue_create,
)
from sangathan.events.web import http_errors, reader_unit
from sangathan.org.models import Position
from sangathan.people.models import Person

MAX_UPLOAD = 2 * 1024 * 1024


@login_required
@http_errors
def plans_index(request):
    scope = scope_for_request(request)
    unit = reader_unit(request, scope)
    if unit is None:
        return render(request, "events/no_unit.html")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(scope=scope, unit=unit, title=form.cleaned_data["title"],
                               per_district=form.cleaned_data["per_district"] or 0)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            return redirect("events:plan", plan.pk)
    return render(request, "events/plans.html", {"unit": unit, "plans": selectors.plans_list(scope), "form": form,
                                                 "may_organize": may_organize(scope, unit.path)})


def _plan_post(request, scope, plan, venues):
    op = request.POST.get("op")
    if op == "venue":
        form = VenueForm(request.POST)
        if form.is_valid():
            venue_create(scope=scope, unit=plan.unit, **form.cleaned_data)
            return _("Venue saved.")
        raise DomainError(_("Enter the venue's name and capacity."), field="name")
    if op == "slot":
        form = SlotForm(request.POST, venues=venues)
        if not form.is_valid():
            raise DomainError(_("Choose a date and a venue."), field="date")
        venue = next(v for v in venues if v.pk == form.cleaned_data["venue"])
        slot_add(scope=scope, plan=plan, date=form.cleaned_data["date"], venue=venue)
        return _("Date and venue added.")
    if op == "assign":
        state = plan_state(plan)
        district = state.units.get(int(request.POST.get("district") or 0))
        if district is None:
            raise DomainError(_("Choose a district of this plan."), field="district")
        slot = PlanSlot.objects.filter(plan=plan, pk=request.POST.get("slot") or 0).first()
        assignment_set(scope=scope, plan=plan, district=district, slot=slot)
        return _("Assignment changed.")
    if op == "import":
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_UPLOAD:
            raise DomainError(_("Choose a CSV or Excel file (at most 2 MB)."), field="file")
        rows = planfile.plan_rows(plan.unit, planfile.read_rows(upload.name, upload.read()))
        count = plan_import(scope=scope, plan=plan, rows=rows)
        return _("%(count)s rows of the file put into the plan.") % {"count": count}
    if op == "suggest":
        left = plan_suggest(scope=scope, plan=plan)
        return _("Suggestion made.") if not left else _("Suggestion made; %(n)s districts fit nowhere.") % {"n": len(left)}
    if op == "send":
        plan_send_invitations(scope=scope, plan=plan)
        return _("The invitations are being sent; each workshop shows their progress.")
    raise DomainError(_("Unknown request."), field="op")


@login_required
@http_errors
def plan_view(request, plan_id: int):
    scope = scope_for_request(request)
    plan = selectors.plan_get_for_actor(scope, plan_id, for_write=request.method == "POST")
    venues = list(selectors.venues_list(scope))
    if request.method == "POST":
        try:
            messages.success(request, _plan_post(request, scope, plan, venues))
        except DomainError as error:
            messages.error(request, error.message)
            for where, problems in list((error.errors or {}).items())[:20]:
                if where not in ("file", "op", error.field):
                    messages.error(request, f"{where}: {' '.join(str(p) for p in problems)}")
        return redirect("events:plan", plan.pk)
    state = plan_state(plan)
    slots = list(plan.slots.select_related("venue", "event"))
    by_slot = {s.pk: [] for s in slots}
    sizes = {d.id: d.size for d in state.districts}
    for district_id, slot_id in state.assignment.items():
        by_slot.setdefault(slot_id, []).append(state.units.get(district_id))
    rows = [{"slot": s, "districts": [d for d in by_slot[s.pk] if d], "load": state.load(s.pk),
             "over": s.pk in state.check.over} for s in slots]
    missing = [state.units[d] for d in state.check.missing]
    districts = [(u, sizes.get(pk, 0), state.assignment.get(pk)) for pk, u in state.units.items()]
    return render(request, "events/plan.html", {
        "plan": plan, "rows": rows, "missing": missing, "check": state.check, "districts": districts,
        "slots": slots, "venue_form": VenueForm(), "slot_form": SlotForm(venues=venues),
        "may_organize": may_organize(scope, plan.unit_path)})


@login_required
@http_errors
def tours_index(request):
    scope = scope_for_request(request)
    unit = reader_unit(request, scope)
    if unit is None:
        return render(request, "events/no_unit.html")
    leader_ids = Position.objects.current().filter(unit__path__startswith=unit.path).values("person_id")
    leaders = scope.filter(Person.objects.filter(pk__in=leader_ids), "unit_path").order_by("name")[:300]
    form = TourForm(request.POST or None, leaders=leaders)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tour = tour_create(scope=scope, unit=unit, kind=data["kind"], title=data["title"],
                               leader=next(p for p in leaders if p.pk == data["leader"]), starts_on=data["starts_on"],
                               ends_on=data["ends_on"], allow_clash=data["allow_clash"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            return redirect("events:tour", tour.pk)
    return render(request, "events/tours.html", {"unit": unit, "tours": selectors.tours_list(scope), "form": form,
                                                 "may_organize": may_organize(scope, unit.path)})


@login_required
@http_errors
def tour_view(request, tour_id: int):
    scope = scope_for_request(request)
    tour = selectors.tour_get_for_actor(scope, tour_id)
    parts = [(p, PART_LABELS.get(p.code, p.code)) for p in reports.tour_parts(tour)]
    events = selectors.with_participants(list(tour.events.select_related("venue", "unit").order_by("starts_at")))
    return render(request, "events/tour.html", {"tour": tour, "parts": parts, "events": events,
                                                "visited": tour.units_visited.all()})
