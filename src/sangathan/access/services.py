"""Writes of the access app: accounts, tokens, grants, and the audit log."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sangathan.access.models import ApiToken, AuditLog, ScopeGrant, User
from sangathan.access.scope import Scope, client_ip
from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile
from sangathan.org.enums import Grant

TOKEN_PREFIX = "sgt_"  # noqa: S105 — a public marker that tells tokens apart, not a secret


@transaction.atomic
def user_create(*, mobile: str, password: str | None, person=None, is_staff: bool = False,
                is_superuser: bool = False, display_name: str = "") -> User:
    mobile = normalize_mobile(mobile)
    if User.objects.filter(mobile=mobile).exists():
        raise DomainError("An account with this mobile number exists.", code="duplicate", field="mobile")
    user = User(mobile=mobile, person=person, is_staff=is_staff, is_superuser=is_superuser,
                display_name=display_name or (person.name if person else ""))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def scope_grant_create(*, actor, user: User, unit=None, overlay=None, grant: str = Grant.READ,
                       reason: str = "", expires_at=None) -> ScopeGrant:
    if (unit is None) == (overlay is None):
        raise DomainError("Give exactly one of unit or overlay.", code="invalid", field="unit")
    if grant not in Grant.values:
        raise DomainError("Unknown grant.", code="invalid", field="grant")
    return ScopeGrant.objects.create(user=user, unit=unit, overlay=overlay, grant=grant, reason=reason,
                                     granted_by=actor, expires_at=expires_at)


@transaction.atomic
def api_token_issue(*, user: User, name: str = "", request=None) -> str:
    """Create a token for ``user`` and return it; only its hash is kept, so it cannot be shown again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash_key(key), prefix=key[len(TOKEN_PREFIX):][:8], name=name[:100],
        expires_at=timezone.now() + timedelta(days=settings.SANGATHAN_API_TOKEN_DAYS),
    )
    audit_record(actor=user, action=AuditLog.Action.TOKEN_ISSUED, request=request, channel="api")
    return key


def api_token_user(key: str) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired)."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 128:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    # Touch at most once a minute: a token used in a loop should not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, key: str) -> bool:
    """Revoke a token at once; True when it was live. The row stays, so its use can still be traced."""
    revoked = ApiToken.objects.filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return revoked > 0


def audit_record(*, actor, action: str, request=None, target=None, unit_path: str = "", channel: str = "",
                 detail: dict | None = None) -> AuditLog:
    """Write one audit row for an event without a scope (a login, a failed login, a token issued).
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
def access_records_prune(*, now=None) -> dict[str, int]:
    """Delete tokens expired or revoked a month ago, stale login-failure records, and audit rows older
    than the retention period. Returns how many rows of each kind went."""
    from axes.models import AccessAttempt

    now = now or timezone.now()
    token_cutoff = now - timedelta(days=TOKEN_RETENTION_DAYS)
    tokens, _ = ApiToken.objects.filter(expires_at__lt=token_cutoff).delete()
    revoked, _ = ApiToken.objects.filter(revoked_at__lt=token_cutoff).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - timedelta(hours=settings.AXES_COOLOFF_TIME * 4)
    ).delete()
    audits, _ = AuditLog.objects.filter(at__lt=now - timedelta(days=AUDIT_RETENTION_DAYS)).delete()
    return {"tokens": tokens + revoked, "login_attempts": attempts, "audit": audits}
