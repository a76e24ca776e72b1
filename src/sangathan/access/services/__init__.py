"""Writes of the access app: accounts, tokens, grants, and the audit log.

Every write takes the acting ``scope`` (required) and leaves an audit row in its transaction.
"""

from sangathan.access.scope import client_ip  # re-exported: callers import it from here
from sangathan.access.services.accounts import USER_FIELDS, UserCreate, UserUpdate, user_create, user_update
from sangathan.access.services.audit import (
    AUDIT_RETENTION_DAYS,
    TOKEN_RETENTION_DAYS,
    access_records_prune,
    audit_log,
    audit_record,
)
from sangathan.access.services.grants import (
    ScopeGrantCreate,
    ScopeGrantRevoke,
    scope_grant_create,
    scope_grant_revoke,
)
from sangathan.access.services.logins import (
    LoginCreate,
    LoginDisable,
    LoginReset,
    PasswordCodeRequest,
    PasswordSetWithCode,
    login_create,
    login_disable,
    login_reset,
    password_code_request,
    password_set_with_code,
)
from sangathan.access.services.tokens import TOKEN_PREFIX, api_token_issue, api_token_revoke, api_token_user

__all__ = [
    "AUDIT_RETENTION_DAYS", "TOKEN_PREFIX", "USER_FIELDS", "TOKEN_RETENTION_DAYS", "ScopeGrantCreate", "ScopeGrantRevoke",
    "UserCreate", "UserUpdate", "access_records_prune", "api_token_issue", "api_token_revoke", "api_token_user",
    "LoginCreate", "LoginDisable", "LoginReset", "PasswordCodeRequest", "PasswordSetWithCode", "login_create",
    "login_disable", "login_reset", "password_code_request", "password_set_with_code", "audit_log", "audit_record", "client_ip", "scope_grant_create", "scope_grant_revoke", "user_create", "user_update",
]
