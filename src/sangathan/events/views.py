"""Pages of events (mobile first, Hindi by default): the calendar, an event with its invitations, the
phone list for attendance, self check-in, minutes and decisions, the live address's funnel. Thin: actions
write, selectors read, both with the reader's scope."""

from __future__ import annotations

import calendar
import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError
from sangathan.core.forms import add_domain_errors
from sangathan.events import reports, selectors
from sangathan.events.codes import event_code, ical_token
from sangathan.events.enums import EventKind, EventStatus
from sangathan.events.forms import CheckInForm, DecisionForm, EventForm, HeldForm, RsvpForm
from sangathan.events.models import Invitation
from sangathan.events.policies import may_organize
from sangathan.events.services import (
    attendance_mark,
    check_in_by_code,
    decision_add,
    event_create,
    event_record_held,
    invitations_send,
    rsvp_set,
)
from sangathan.events.web import http_errors, mark_from_list, month_of, reader_unit
from sangathan.org.models import Level, Post
from sangathan.people.models import Person


@login_required
@http_errors
def home(request):
    """The month's events under the reader's unit, as a month grid and a list, clashes highlighted."""
    scope = scope_for_request(request)
    unit = reader_unit(request, scope)
    if unit is None:
        return render(request, "events/no_unit.html")
    month = month_of(request)
    events = selectors.calendar_month(scope, unit=unit, year=month.year, month=month.month)
    by_day: dict[int, list] = {}
    for event in events:
        by_day.setdefault(event.starts_at.astimezone().day, []).append(event)
    weeks = [[(day, by_day.get(day, [])) if day else (None, []) for day in week]
             for week in calendar.Calendar().monthdayscalendar(month.year, month.month)]
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    feed = request.build_absolute_uri(reverse("events:ical", args=[ical_token(request.user.pk)]))
    return render(request, "events/home.html", {
        "unit": unit, "month": month, "weeks": weeks, "events": events, "previous": previous,
        "following": following, "may_organize": may_organize(scope, unit.path), "feed": feed,
        "clashes": sum(1 for e in events if e.clash)})


@login_required
@http_errors
def event_new(request):
    scope = scope_for_request(request)
    unit = reader_unit(request, scope)
    if unit is None:
        return render(request, "events/no_unit.html")
    tour_id = request.GET.get("tour", "")
    tour = selectors.tour_get_for_actor(scope, int(tour_id)) if tour_id.isdigit() else None
    venues = list(selectors.venues_list(scope))
    options = {"venues": venues, "posts": Post.objects.order_by("rank"), "levels": Level.objects.order_by("rank")}
    form = EventForm(request.POST or None, **options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rule = {"posts": data["posts"], "levels": data["levels"], "everyone": data["everyone"]}
        venue = next((v for v in venues if v.pk == data["venue"]), None)
        try:
            event = event_create(scope=scope, kind=data["kind"], title=data["title"], unit=unit,
                                 starts_at=data["starts_at"], ends_at=data["ends_at"], venue=venue,
                                 invite_rule={k: v for k, v in rule.items() if v}, link=data["link"],
                                 phone_in=data["phone_in"], allow_clash=data["allow_clash"], tour=tour)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Event saved. Now send the invitations."))
            return redirect("events:event", event.pk)
    return render(request, "events/event_new.html", {"unit": unit, "form": form, "tour": tour})


@login_required
@http_errors
def event_view(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id)
    organizer = may_organize(scope, event.unit_path)
    own = (Invitation.objects.current().filter(event=event, person_id=scope.person_id).first()
           if scope.person_id else None)
    invited = (Person.objects.filter(invitations__event=event, invitations__withdrawn_at__isnull=True)
               .order_by("name")[:300] if organizer else [])
    context = {
        "event": event, "organizer": organizer, "own": own, "counts": selectors.invitation_counts(event),
        "code": event_code(event) if organizer else "", "decisions": event.decisions.select_related("owner"),
        "photos": event.photos.all(), "history": event.history.select_related("actor")[:30],
        "held_form": HeldForm(), "decision_form": DecisionForm(people=invited),
        "checkin_form": CheckInForm(initial={"nonce": secrets.token_hex(12)}), "rsvp_form": RsvpForm(), "is_live": event.kind == EventKind.LIVE,
        "is_planned": event.status == EventStatus.PLANNED,
        "has_places": organizer and event.kind in (EventKind.LIVE, EventKind.VIEWING),
        "dispatches": event.dispatches.all()[:5] if organizer else [],
    }
    return render(request, "events/event.html", context)


def _back(event):
    return redirect("events:event", event.pk)


@require_POST
@login_required
@http_errors
def event_invite(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    try:
        invitations_send(scope=scope, event=event)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitations are being sent; their progress shows below."))
    return _back(event)


@require_POST
@login_required
@http_errors
def event_held(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    form = HeldForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            event_record_held(scope=scope, event=event, photo=form.cleaned_data["photo"],
                              **{k: form.cleaned_data[k] for k in ("held_on", "attendance_count", "minutes")})
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Recorded as held."))
            return _back(event)
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}")
    return _back(event)


@require_POST
@login_required
@http_errors
def event_decision(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    people = scope.filter(Person.objects.all(), "unit_path")
    form = DecisionForm(request.POST, people=people.filter(pk=request.POST.get("owner") or 0))
    if form.is_valid():
        try:
            decision_add(scope=scope, event=event, text=form.cleaned_data["text"],
                         owner=people.get(pk=form.cleaned_data["owner"]), deadline=form.cleaned_data["deadline"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Decision saved; its owner is told."))
            return _back(event)
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}")
    return _back(event)


@require_POST
@login_required
@http_errors
def event_rsvp(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id)
    own = (Invitation.objects.current().filter(event=event, person_id=scope.person_id)
           .values_list("pk", flat=True).first())
    invitation = selectors.invitation_get_for_actor(scope, own or 0)
    form = RsvpForm(request.POST)
    if form.is_valid():
        rsvp_set(scope=scope, invitation=invitation, answer=form.cleaned_data["answer"])
        messages.success(request, _("Thank you, your answer is saved."))
    return _back(event)


@require_POST
@login_required
@http_errors
def event_check_in(request, event_id: int):
    """Self check-in with the event's code; the nonce comes from the phone (``static/js/events-checkin.js``)."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            counted = check_in_by_code(scope=scope, event=event, code=form.cleaned_data["code"],
                                       nonce=form.cleaned_data["nonce"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You are checked in.") if counted else _("You were already checked in."))
    else:
        messages.error(request, _("Enter the event's code."))
    return _back(event)


@login_required
@http_errors
def attendance(request, event_id: int):
    """The organizer's phone list: tap a name to mark them present (a nonce per tap, so a retry counts once)."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    if request.method == "POST":
        mark_from_list(request, Invitation.objects.filter(event=event),
                       lambda invitation, nonce: attendance_mark(scope=scope, invitation=invitation, nonce=nonce))
        return redirect("events:attendance", event.pk)
    invitations = (Invitation.objects.counted().filter(event=event).select_related("person", "person__unit")
                   .order_by("attended", "person__name")[:1000])
    return render(request, "events/attendance.html", {
        "event": event, "invitations": invitations, "counts": selectors.invitation_counts(event),
        "page_nonce": secrets.token_hex(8)})


@login_required
@http_errors
def funnel(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id)
    unit = reader_unit(request, scope)
    total, rows = reports.funnel(scope=scope, event=event, unit=unit)
    return render(request, "events/funnel.html", {"event": event, "unit": unit, "total": total, "rows": rows,
                                                  "note": reports.LOWER_BOUND_NOTE})
