"""Resolving and closing: the resolution note and evidence, the complainant's confirmation (SMS reply,
status page or staff), reopening on "not satisfied", closure after silence, forced closure by approval."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.errors import DomainError
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
from sangathan.grievances.services.config import cell_settings
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.intake import attachments_check, attachments_store
from sangathan.grievances.services.notify import notify_complainant
from sangathan.grievances.services.sla import sla_start
from sangathan.grievances.services.workflow import (
    _end_assignees,
    _move_to_state,
    _request_approval,
    _require_open,
    _require_text,
    _save,
    lock_for_write,
)

RESOLVABLE = (GrievanceStatus.OPEN, GrievanceStatus.FORWARDED, GrievanceStatus.SCHEDULED,
              GrievanceStatus.AWAITING_COMPLAINANT)
# How the answer came: a reply, the status page, staff on the phone, the API, or in person at a hearing.
CONFIRM_CHANNELS = ("sms", "whatsapp", "web", "staff", "api", "hearing")
YES_WORDS = {"1", "yes", "y", "हाँ", "हां", "हा", "haan", "ha", "han", "संतुष्ट"}
NO_WORDS = {"2", "no", "n", "नहीं", "नही", "nahin", "nahi", "असंतुष्ट"}
CODE_RE = re.compile(rf"\bSG-?([{ALPHABET}]{{6}})\b", re.IGNORECASE)


@transaction.atomic
def grievance_resolve(*, actor, grievance: Grievance, note: str, evidence=None) -> Grievance:
    """Record the solution; the complainant is asked to confirm (reply 1/2 or the status page)."""
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=RESOLVABLE)
    note = _require_text(note, "note", _("Write how it was resolved."))
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
    _save(grievance)
    event_add(grievance=grievance, kind=EventKind.RESOLVED, actor=actor, public=True, text=note)
    attachments_store(grievance=grievance, checked=checked, actor=actor, is_evidence=True)
    notify_complainant(grievance=grievance, template_code="grievance_resolved", context={"note": note[:140]},
                       key=f"resolved:{grievance.reopened_count}", actor=actor)
    return grievance


@transaction.atomic
def grievance_confirm(*, grievance: Grievance, satisfied: bool, channel: str, actor=None) -> Grievance:
    """The complainant's answer to a resolution. Satisfied: closed. Not satisfied: reopened one level up
    (district → state cell; at the state or minister level it stays there with a fresh clock).

    ``actor`` is the staff member recording the answer (checked like any action); None when the
    complainant answered themselves (SMS reply, status page).
    """
    if channel not in CONFIRM_CHANNELS:
        raise DomainError(_("Unknown channel."), field="channel")
    if getattr(actor, "is_authenticated", False):
        grievance = lock_for_write(grievance, actor)
    else:
        grievance = Grievance.objects.select_for_update().get(pk=grievance.pk)
    if grievance.status != GrievanceStatus.RESOLVED:
        raise DomainError(_("This grievance is not waiting for your confirmation."), code="invalid_status",
                          field="status")
    now = clock.now()
    grievance.feedback = Feedback.SATISFIED if satisfied else Feedback.NOT_SATISFIED
    grievance.feedback_at = now
    event_add(grievance=grievance, kind=EventKind.FEEDBACK, actor=actor, public=True,
              data={"satisfied": satisfied, "channel": channel})
    if satisfied:
        grievance.status = GrievanceStatus.CLOSED
        grievance.closure = ClosureKind.CONFIRMED
        grievance.closed_at = now
        _save(grievance)
        event_add(grievance=grievance, kind=EventKind.CLOSED, actor=actor, public=True,
                  data={"closure": ClosureKind.CONFIRMED})
        notify_complainant(grievance=grievance, template_code="grievance_closed", context={},
                           key=f"closed:{grievance.reopened_count}", actor=actor)
        return grievance
    grievance.reopened_count += 1
    grievance.resolved_at = None
    if grievance.level == GrievanceLevel.DISTRICT:
        grievance.save()
        _move_to_state(grievance, actor=actor)
    else:
        grievance.status = GrievanceStatus.OPEN
        sla_start(grievance, grievance.level)
        _save(grievance)
    event_add(grievance=grievance, kind=EventKind.REOPENED, actor=actor, public=True, data={"channel": channel})
    return grievance


@transaction.atomic
def grievance_request_forced_close(*, actor, grievance: Grievance, reason: str) -> Grievance:
    """Ask to close without the complainant's confirmation: needs the state convener's approval."""
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=(*RESOLVABLE, GrievanceStatus.RESOLVED))
    reason = _require_text(reason, "reason", _("Give the reason for closing without confirmation."))
    _request_approval(grievance, actor=actor, action=ApprovalAction.FORCE_CLOSE, reason=reason, payload={})
    return grievance


def close_forced(grievance: Grievance, *, actor, reason: str) -> None:
    """Carry out an approved forced closure (called by ``grievance_decide_approval``)."""
    now = clock.now()
    _end_assignees(grievance)
    grievance.status = GrievanceStatus.CLOSED
    grievance.closure = ClosureKind.FORCED
    grievance.closed_at = now
    grievance.due_at = None
    _save(grievance)
    event_add(grievance=grievance, kind=EventKind.CLOSED, actor=actor, public=True,
              data={"closure": ClosureKind.FORCED, "reason": reason})
    notify_complainant(grievance=grievance, template_code="grievance_closed", context={},
                       key=f"closed:{grievance.reopened_count}", actor=actor)


@transaction.atomic
def grievances_close_silent(*, batch_size: int = 2000) -> int:
    """Close resolved grievances whose complainant did not answer within ``confirmation_days``."""
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
        _save(grievance)
        event_add(grievance=grievance, kind=EventKind.CLOSED, public=True, data={"closure": ClosureKind.SILENCE})
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
def grievance_reply_received(*, channel: str, from_address: str, body: str) -> Grievance | None:
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
    return grievance_confirm(grievance=grievance, satisfied=satisfied,
                             channel="whatsapp" if channel == "whatsapp" else "sms")
