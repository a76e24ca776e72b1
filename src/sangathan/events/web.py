"""Helpers of the events pages: service errors to HTTP answers, the reader's unit, a month."""

from __future__ import annotations

import functools
from datetime import date

from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404

from sangathan.core import clock
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.org.models import Unit
from sangathan.org.selectors import unit_get_for_actor


def http_errors(view):
    """NotFound → 404 (as if absent), PermissionDenied → 403, whatever the view called."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise Forbidden from None

    return wrapped


def reader_unit(request, scope) -> Unit | None:
    """``?unit=`` inside the scope (404 outside), else the reader's top unit, else None."""
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if unit_id:
        try:
            return unit_get_for_actor(int(unit_id), scope)
        except (ValueError, TypeError):
            raise Http404 from None
    if scope.sees_all:
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    paths = sorted(scope.read_paths)
    return Unit.objects.filter(path=paths[0]).first() if paths else None


def month_of(request) -> date:
    """``?month=YYYY-MM`` or this month."""
    raw = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return clock.today().replace(day=1)


def mark_from_list(request, invitations, mark) -> None:
    """The POST of a phone list (the organizer's, or a viewing place's host's): the tapped invitation among
    ``invitations`` is marked present by ``mark(invitation, nonce)`` (an action); the outcome as a message."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from sangathan.core.errors import DomainError

    invitation = invitations.filter(pk=request.POST.get("invitation") or 0).first()
    if invitation is None:
        messages.error(request, _("Choose a name from the list."))
        return
    try:
        mark(invitation, request.POST.get("nonce", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s marked present.") % {"name": invitation.person.name})
