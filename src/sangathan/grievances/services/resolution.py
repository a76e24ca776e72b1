"""Resolving and closing: the resolution note and evidence, the complainant's confirmation (SMS reply,
status page or staff), reopening on "not satisfied", closure after silence, forced closure by approval."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.phones import try_normalize_mobile
from sangathan.grievances.codes import ALPHABET, PREFIX
from sangathan.grievances.enums import (
    ApprovalAction,
    ClosureKind,
    EventKind,
    Feedback,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import Grievance
from sangathan.grievances.services.common import (
    _save_grievance,
    lock_for_write,
    move_to_state,
    request_approval,
    require_open,
    require_text,
)
from sangathan.grievances.services.config import cell_settings
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.intake import attachments_check, attachments_store
from sangathan.grievances.services.notify import notify_complainant
from sangathan.grievances.services.sla import sla_start

RESOLVABLE = (GrievanceStatus.OPEN, GrievanceStatus.FORWARDED, GrievanceStatus.SCHEDULED,
              GrievanceStatus.AWAITING_COMPLAINANT)
# How the answer came: a reply, the status page, staff on the phone, the API, or in person at a hearing.
CONFIRM_CHANNELS = ("sms", "whatsapp", "web", "staff", "api", "hearing")
YES_WORDS = {"1", "yes", "y", "हाँ", "हां", "हा", "haan", "ha", "han", "संतुष्ट"}
NO_WORDS = {"2", "no", "n", "नहीं", "नही", "nahin", "nahi", "असंतुष्ट"}
CODE_RE = re.compile(rf"\bSG-?([{ALPHABET}]{{6}})\b", re.IGNORECASE)


@transaction.atomic
def grievance_resolve(*, scope: Scope, grievance: Grievance, note: str, evidence=None) -> Grievance:
    """Record the solution; the complainant is asked to confirm (reply 1/2 or the status page)."""
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=RESOLVABLE)
    note = require_text(note, "note", _("Write how it was resolved."))
    evidence = evidence if isinstance(evidence, list | tuple) else ([evidence] if evidence is not None else [])
    checked = attachments_check(evidence, field="evidence")
    now = clock.now()
    grievance.status = GrievanceStatus.RESOLVED
    grievance.resolved_at = now
    grievance.resolution_note = note
    grievance.due_at = None
    grievance.paused_days = None
    grievance.feedback = ""
    grievance.feedback_at = None
    _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.RESOLVED, public=True, text=note)
    attachments_store(grievance=grievance, checked=checked, scope=scope, is_evidence=True)
    notify_complainant(grievance=grievance, template_code="grievance_resolved", context={"note": note[:140]},
                       key=f"resolved:{grievance.reopened_count}", scope=scope)
    return grievance


@transaction.atomic
def grievance_confirm(*, scope: Scope, grievance: Grievance, satisfied: bool, channel: str) -> Grievance:
    """The complainant's answer to a resolution. Satisfied: closed. Not satisfied: reopened one level up
    (district → state cell; at the state or minister level it stays there with a fresh clock).

    ``scope`` is the staff member recording the answer (checked like any action), or ``Scope.system()``
    when the complainant answered themselves (SMS reply, status page: the code and mobile were matched).
    """
    if channel not in CONFIRM_CHANNELS:
        raise DomainError(_("Unknown channel."), field="channel")
    grievance = lock_for_write(grievance, scope)
    if grievance.status != GrievanceStatus.RESOLVED:
        raise DomainError(_("This grievance is not waiting for your confirmation."), code="invalid_status",
                          field="status")
    now = clock.now()
    grievance.feedback = Feedback.SATISFIED if satisfied else Feedback.NOT_SATISFIED
    grievance.feedback_at = now
    event_add(scope=scope, grievance=grievance, kind=EventKind.FEEDBACK, public=True,
              data={"satisfied": satisfied, "channel": channel})
    if satisfied:
        grievance.status = GrievanceStatus.CLOSED
        grievance.closure = ClosureKind.CONFIRMED
        grievance.closed_at = now
        _save_grievance(grievance)
        event_add(scope=scope, grievance=grievance, kind=EventKind.CLOSED, public=True,
                  data={"closure": ClosureKind.CONFIRMED})
        notify_complainant(grievance=grievance, template_code="grievance_closed", context={},
                           key=f"closed:{grievance.reopened_count}", scope=scope)
        return grievance
    grievance.reopened_count += 1
    grievance.resolved_at = None
    if grievance.level == GrievanceLevel.DISTRICT:
        grievance.save()
        move_to_state(grievance, scope=scope)
    else:
        grievance.status = GrievanceStatus.OPEN
        sla_start(grievance, grievance.level)
        _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.REOPENED, public=True, data={"channel": channel})
    return grievance


@transaction.atomic
def grievance_request_forced_close(*, scope: Scope, grievance: Grievance, reason: str) -> Grievance:
    """Ask to close without the complainant's confirmation: needs the state convener's approval."""
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=(*RESOLVABLE, GrievanceStatus.RESOLVED))
    reason = require_text(reason, "reason", _("Give the reason for closing without confirmation."))
    request_approval(grievance, scope=scope, action=ApprovalAction.FORCE_CLOSE, reason=reason, payload={})
    return grievance


@transaction.atomic
def grievances_close_silent(*, scope: Scope, batch_size: int = 2000) -> int:
    """Close resolved grievances whose complainant did not answer within ``confirmation_days`` (a job:
    ``scope`` is the system's); each gets its ``closed`` event."""
    if not (scope.is_system or scope.is_superuser):
        raise PermissionDenied(_("Only the system closes grievances after silence."))
    settings = cell_settings()
    cutoff = clock.now() - timedelta(days=settings.confirmation_days)
    closed = 0
    ids = list(Grievance.objects.filter(status=GrievanceStatus.RESOLVED, resolved_at__lt=cutoff)
               .order_by("resolved_at").values_list("pk", flat=True)[:batch_size])
    for grievance in Grievance.objects.select_for_update().filter(pk__in=ids, status=GrievanceStatus.RESOLVED):
        now = clock.now()
        grievance.status = GrievanceStatus.CLOSED
        grievance.closure = ClosureKind.SILENCE
        grievance.closed_at = now
        _save_grievance(grievance)
        event_add(scope=scope, grievance=grievance, kind=EventKind.CLOSED, public=True,
                  data={"closure": ClosureKind.SILENCE})
        closed += 1
    return closed


def reply_meaning(body: str) -> bool | None:
    """True for "satisfied", False for "not satisfied", None when the reply says neither."""
    words = re.sub(CODE_RE, " ", body or "").casefold().replace(".", " ").replace(",", " ").split()
    if not words:
        return None
    if words[0] in YES_WORDS:
        return True
    if words[0] in NO_WORDS:
        return False
    return None


@transaction.atomic
def grievance_reply_received(*, scope: Scope, channel: str, from_address: str, body: str) -> Grievance | None:
    """An SMS/WhatsApp reply that is not STOP/START: the complainant's confirmation when it is one.

    Matches the grievance named by a tracking code in the reply (if its mobile is the sender's), else the
    sender's latest resolved grievance awaiting confirmation. Returns it when recorded, else None.
    """
    satisfied = reply_meaning(body)
    mobile = try_normalize_mobile(from_address if from_address.startswith("+") else "+" + from_address.lstrip("0"))
    mobile = mobile or try_normalize_mobile(from_address)
    if satisfied is None or mobile is None:
        return None
    waiting = Grievance.objects.filter(complainant_mobile=mobile, status=GrievanceStatus.RESOLVED)
    match = CODE_RE.search((body or "").upper())
    if match:
        waiting = waiting.filter(tracking_code=PREFIX + match.group(1).upper())
    grievance = waiting.order_by("-resolved_at", "-id").first()
    if grievance is None:
        return None
    return grievance_confirm(scope=scope, grievance=grievance, satisfied=satisfied,
                             channel="whatsapp" if channel == "whatsapp" else "sms")
