"""The audit log: one row per sensitive read or write, and its retention."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sangathan.access.models import ApiToken, AuditLog
from sangathan.access.scope import Scope, client_ip
from sangathan.core.errors import PermissionDenied


def audit_record(*, actor, action: str, request=None, target=None, unit_path: str = "", channel: str = "",
                 detail: dict | None = None) -> AuditLog:
    """Write one audit row for an event without a scope (a login, a failed login).
    Everything else writes through ``audit_log(scope=…)``."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=target.pk if target is not None else None,
        unit_path=unit_path,
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
        channel=channel,
        detail=detail or {},
    )


def audit_log(*, scope: Scope, action: str, target=None, target_type: str = "", target_id: int | None = None,
              unit_path: str = "", detail: dict | None = None) -> AuditLog:
    """One audit row for what ``scope``'s actor did or read, with the channel and address the scope carries.
    Cheap (one INSERT, no lookups): reads of personal records write one each."""
    context = scope.context
    return AuditLog.objects.create(
        actor_id=scope.user_id,
        action=action,
        target_type=target._meta.model_name if target is not None else target_type,
        target_id=target.pk if target is not None else target_id,
        unit_path=unit_path or getattr(target, "unit_path", "") or "",
        ip=context.ip,
        user_agent=context.user_agent,
        channel=context.channel,
        detail=detail or {},
    )


AUDIT_RETENTION_DAYS = 365 * 3
TOKEN_RETENTION_DAYS = 30


@transaction.atomic
def access_records_prune(*, scope: Scope, now=None) -> dict[str, int]:
    """Delete tokens expired or revoked a month ago, stale login-failure records, and audit rows older
    than the retention period (the system or a superuser only). Returns how many rows of each kind went,
    and records the counts in an "access.prune" audit row."""
    from axes.models import AccessAttempt

    if not (scope.is_system or scope.is_superuser):
        raise PermissionDenied()
    now = now or timezone.now()
    token_cutoff = now - timedelta(days=TOKEN_RETENTION_DAYS)
    tokens, _ = ApiToken.objects.filter(expires_at__lt=token_cutoff).delete()
    revoked, _ = ApiToken.objects.filter(revoked_at__lt=token_cutoff).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - timedelta(hours=settings.AXES_COOLOFF_TIME * 4)
    ).delete()
    audits, _ = AuditLog.objects.filter(at__lt=now - timedelta(days=AUDIT_RETENTION_DAYS)).delete()
    removed = {"tokens": tokens + revoked, "login_attempts": attempts, "audit": audits}
    audit_log(scope=scope, action="access.prune", detail=removed)
    return removed
