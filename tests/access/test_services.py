from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangathan.access.models import ApiToken, AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import (
    access_records_prune,
    api_token_issue,
    api_token_revoke,
    api_token_user,
    audit_record,
)
from sangathan.core.db_router import request_routing
from sangathan.core.errors import PermissionDenied
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_resolves_to_its_user():
    user = make_user()
    key = api_token_issue(scope=scope_for_user(user).with_context(channel="api"), name="district sync")
    token = ApiToken.objects.get()
    assert key.startswith("sgt_") and key not in token.key_hash
    assert api_token_user(key) == user
    audit = AuditLog.objects.get(action=AuditLog.Action.TOKEN_ISSUED, actor=user)
    assert (audit.target_id, audit.channel) == (token.pk, "api")


def test_the_system_has_no_token_to_issue():
    with pytest.raises(PermissionDenied):
        api_token_issue(scope=Scope.system())


@pytest.mark.parametrize("key", ["", "sgt_", "sgt_unknown", "Bearer x", "x" * 500])
def test_unknown_tokens_resolve_to_nobody(key):
    assert api_token_user(key) is None


def test_expired_revoked_and_inactive_tokens_resolve_to_nobody():
    user = make_user()
    key = api_token_issue(scope=scope_for_user(user))
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_user(key) is None
    ApiToken.objects.update(expires_at=None, revoked_at=timezone.now())
    assert api_token_user(key) is None
    ApiToken.objects.update(revoked_at=None)
    user.is_active = False
    user.save()
    assert api_token_user(key) is None


def test_only_the_owner_revokes_a_token_and_the_revocation_is_audited():
    owner, other = make_user(), make_user()
    key = api_token_issue(scope=scope_for_user(owner))
    assert api_token_revoke(scope=scope_for_user(other), key=key) is False
    assert api_token_user(key) == owner
    assert api_token_revoke(scope=scope_for_user(owner), key=key) is True
    assert api_token_user(key) is None
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1  # the row stays
    assert AuditLog.objects.filter(action="token.revoked", actor=owner).count() == 1
    assert api_token_revoke(scope=scope_for_user(owner), key=key) is False


def test_prune_keeps_what_is_recent():
    user = make_user()
    api_token_issue(scope=scope_for_user(user))
    old = api_token_issue(scope=scope_for_user(user))
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(old)).update(
        expires_at=timezone.now() - timedelta(days=40)
    )
    audit_record(actor=user, action=AuditLog.Action.LOGIN)
    AuditLog.objects.create(actor=user, action=AuditLog.Action.LOGIN, at=timezone.now() - timedelta(days=4000))
    removed = access_records_prune(scope=Scope.system())
    assert removed["tokens"] == 1 and removed["audit"] == 1
    assert ApiToken.objects.count() == 1
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGIN).count() == 1
    assert AuditLog.objects.get(action="access.prune").detail == removed


def test_prune_is_for_the_system():
    with pytest.raises(PermissionDenied):
        access_records_prune(scope=scope_for_user(make_user()))


def test_a_token_use_touches_last_used_at_once_a_minute(is_postgres):
    user = make_user()
    key = api_token_issue(scope=scope_for_user(user))
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    with CaptureQueriesContext(connection) as queries:
        assert api_token_user(key) == user
    assert len(queries) == (1 if is_postgres else 2)  # the lookup with its user, the touch: one on PostgreSQL
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and abs(timezone.now() - first) < timedelta(seconds=10)
    assert api_token_user(key) == user  # within the minute: no write
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    assert api_token_user(key) == user
    token.refresh_from_db()
    assert token.last_used_at > first
    # The touch is a write for the replica router (the request then reads the primary); a lookup is not.
    with request_routing(pinned=False) as state:
        api_token_user(key)
    assert not state.wrote
    ApiToken.objects.update(last_used_at=None)
    with request_routing(pinned=False) as state:
        api_token_user(key)
    assert state.wrote
    ApiToken.objects.update(last_used_at=None, expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_user(key) is None  # an expired (or revoked, or inactive user's) token is not touched
    token.refresh_from_db()
    assert token.last_used_at is None
