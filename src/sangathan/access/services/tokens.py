"""API bearer tokens: issued to the acting user, stored hashed, revoked (the row stays)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone

from sangathan.access.models import ApiToken, AuditLog, User
from sangathan.access.scope import Scope
from sangathan.access.services.audit import audit_log
from sangathan.core.db_router import note_write
from sangathan.core.errors import PermissionDenied

TOKEN_PREFIX = "sgt_"  # noqa: S105 — a public marker that tells tokens apart, not a secret


@transaction.atomic
def api_token_issue(*, scope: Scope, name: str = "") -> str:
    """Create a token for the scope's actor and return it; only its hash is kept, so it cannot be shown
    again. Audit row "token.issued"."""
    if scope.actor is None:
        raise PermissionDenied()
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=scope.actor, key_hash=ApiToken.hash_key(key), prefix=key[len(TOKEN_PREFIX):][:8], name=name[:100],
        expires_at=timezone.now() + timedelta(days=settings.SANGATHAN_API_TOKEN_DAYS),
    )
    audit_log(scope=scope, action=AuditLog.Action.TOKEN_ISSUED, target=token, detail={"name": token.name})
    return key


def api_token_user(key: str) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired). Touches the token's
    ``last_used_at`` at most once a minute (a token used in a loop should not write on every call); on
    PostgreSQL the lookup, the user and the touch are one statement (every API request pays it)."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 128:
        return None
    now = timezone.now()
    key_hash = ApiToken.hash_key(key)
    if connection.vendor == "postgresql":
        found = list(User.objects.db_manager(DEFAULT_DB_ALIAS).raw(
            _USER_OF_TOKEN_SQL, [key_hash, now, now, now - TOUCH_EVERY]))
        if not found:
            return None
        user = found[0]
        if user.__dict__.pop("token_touched"):
            note_write(ApiToken)  # a write, as the ORM's UPDATE tells the router: this request reads the primary
        return user
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked_at__isnull=True).first()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


TOUCH_EVERY = timedelta(minutes=1)
# The live token's user, and its touch when the last one is older than TOUCH_EVERY (a data-modifying WITH
# runs once whatever the outer query reads). Parameters: key hash, now (expiry), now (touch), now - TOUCH_EVERY.
_USER_OF_TOKEN_SQL = """
WITH token AS (
    SELECT t.id, t.user_id, t.last_used_at FROM access_apitoken t JOIN access_user u ON u.id = t.user_id
    WHERE t.key_hash = %s AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > %s) AND u.is_active
), touched AS (
    UPDATE access_apitoken SET last_used_at = %s FROM token
    WHERE access_apitoken.id = token.id AND (token.last_used_at IS NULL OR token.last_used_at < %s)
    RETURNING access_apitoken.id
)
SELECT u.*, EXISTS (SELECT 1 FROM touched) AS token_touched FROM access_user u JOIN token ON token.user_id = u.id
"""  # noqa: S105 — SQL, not a secret


@transaction.atomic
def api_token_revoke(*, scope: Scope, key: str) -> bool:
    """Revoke a live token of the scope's actor (any user's for a superuser or the system) at once; True
    when it was live. The row stays, so its use can still be traced. Audit row "token.revoked"."""
    tokens = ApiToken.objects.select_for_update().filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
    if not (scope.is_superuser or scope.is_system):
        tokens = tokens.filter(user_id=scope.user_id)
    token = tokens.first()
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(scope=scope, action="token.revoked", target=token, detail={"user_id": token.user_id})
    return True
