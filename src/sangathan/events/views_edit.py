"""Pages that change a planned event: edit (time, venue, who is invited), cancel with a reason, and the
places of a group viewing with their hosts' own codes and phone lists. Thin: the actions check and write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError
from sangathan.core.forms import add_domain_errors
from sangathan.events import selectors
from sangathan.events.codes import location_code
from sangathan.events.forms import CancelForm, EventEditForm, LocationForm
from sangathan.events.models import Invitation
from sangathan.events.services import event_cancel, event_update, location_add, location_attendance_mark
from sangathan.events.web import http_errors, mark_from_list
from sangathan.org.models import Level, Post
from sangathan.people.models import Person


@login_required
@http_errors
def event_edit(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    venues = list(selectors.venues_list(scope))
    form = EventEditForm(request.POST or None, event=event, venues=venues, posts=Post.objects.order_by("rank"),
                         levels=Level.objects.order_by("rank"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rule = {k: v for k, v in {**(event.invite_rule or {}), "posts": data["posts"], "levels": data["levels"],
                                  "everyone": data["everyone"]}.items() if v}
        try:
            event_update(scope=scope, event=event, title=data["title"], starts_at=data["starts_at"],
                         ends_at=data["ends_at"], venue=next((v for v in venues if v.pk == data["venue"]), None),
                         invite_rule=rule, link=data["link"], phone_in=data["phone_in"],
                         allow_clash=data["allow_clash"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Event changed; the invitees are told."))
            return redirect("events:event", event.pk)
    return render(request, "events/event_edit.html", {"event": event, "form": form, "cancel_form": CancelForm()})


@require_POST
@login_required
@http_errors
def event_cancel_view(request, event_id: int):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            event_cancel(scope=scope, event=event, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Event cancelled; the invitees are told."))
            return redirect("events:event", event.pk)
    # Bad input: the change page again, with the reason's error under its field.
    venues = list(selectors.venues_list(scope))
    edit_form = EventEditForm(None, event=event, venues=venues, posts=Post.objects.order_by("rank"),
                              levels=Level.objects.order_by("rank"))
    return render(request, "events/event_edit.html", {"event": event, "form": edit_form, "cancel_form": form})


@login_required
@http_errors
def locations(request, event_id: int):
    """The organizer's list of viewing places: add one with its host, see each place's code and count."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    people = scope.filter(Person.objects.all(), "unit_path")
    form = LocationForm(request.POST or None, people=people.filter(pk=request.POST.get("host") or 0)
                        if request.method == "POST" else people.order_by("name")[:300])
    if request.method == "POST" and form.is_valid():
        try:
            location_add(scope=scope, event=event, place=form.cleaned_data["name"],
                         host=people.get(pk=form.cleaned_data["host"]))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Place added; its host marks attendance there."))
            return redirect("events:locations", event.pk)
    places = [(loc, location_code(loc), loc.checkins.count()) for loc in event.locations.select_related("host")]
    return render(request, "events/locations.html", {"event": event, "form": form, "places": places})


@login_required
@http_errors
def location_attendance(request, event_id: int, location_id: int):
    """The host's phone list at their place: invitees under the host's unit, a nonce per tap."""
    scope = scope_for_request(request)
    location = selectors.location_get_for_actor(scope, event_id, location_id)
    if request.method == "POST":
        mark_from_list(request, Invitation.objects.filter(event_id=event_id),
                       lambda invitation, nonce: location_attendance_mark(scope=scope, location=location,
                                                                          invitation=invitation, nonce=nonce))
        return redirect("events:location_attendance", event_id, location.pk)
    invitations = (Invitation.objects.counted().filter(event_id=event_id, unit_path__startswith=location.unit_path)
                   .select_related("person").order_by("attended", "person__name")[:500])
    return render(request, "events/location_attendance.html", {
        "event": location.event, "location": location, "code": location_code(location),
        "invitations": invitations, "location_nonce": f"loc{location.pk}"})
