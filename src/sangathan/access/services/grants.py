"""Explicit grants for staff (``ScopeGrant``): given within the giver's own write scope, revoked, never
deleted, so who could see what, when, stays known. Each leaves an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.models import ScopeGrant, User
from sangathan.access.services.audit import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.org.enums import Grant
from sangathan.org.policies import require_write_at_place


def _place_path(grant: ScopeGrant) -> str:
    return grant.unit.path if grant.unit_id else ""


@dataclass(kw_only=True)
class ScopeGrantCreate(Action):
    """Give ``user`` read or write over the subtree of ``unit`` (or every assembly of ``overlay``). The
    actor must write there, so nobody grants more than they hold. Audit row "scope_grant.create"."""

    user: User
    unit: object = None  # org.Unit
    overlay: object = None  # org.Overlay
    grant: str = Grant.READ
    reason: str = ""
    expires_at: datetime | None = None

    name = "scope_grant.create"

    def check(self) -> None:
        if (self.unit is None) == (self.overlay is None):
            raise DomainError(_("Give exactly one of unit or overlay."), code="invalid", field="unit")
        require_write_at_place(self.scope, unit=self.unit, overlay=self.overlay)
        if self.grant not in Grant.values:
            raise DomainError(_("Unknown grant."), code="invalid", field="grant")
        if self.expires_at is not None and self.expires_at <= timezone.now():
            raise DomainError(_("The expiry is in the past."), code="invalid", field="expires_at")

    def perform(self) -> ScopeGrant:
        return ScopeGrant.objects.create(user=self.user, unit=self.unit, overlay=self.overlay, grant=self.grant,
                                         reason=(self.reason or "")[:200], granted_by_id=self.scope.user_id,
                                         expires_at=self.expires_at)

    def log(self, grant: ScopeGrant) -> None:
        audit_log(scope=self.scope, action=self.name, target=grant, unit_path=_place_path(grant), detail={
            "user_id": grant.user_id, "unit_id": grant.unit_id, "overlay_id": grant.overlay_id, "grant": grant.grant,
            "reason": grant.reason, "expires_at": grant.expires_at.isoformat() if grant.expires_at else None})


@dataclass(kw_only=True)
class ScopeGrantRevoke(Action):
    """End a live grant now, with the reason; the row stays. The actor must write where it applies.
    Audit row "scope_grant.revoke"."""

    grant: ScopeGrant
    reason: str

    name = "scope_grant.revoke"

    def check(self) -> None:
        current = ScopeGrant.objects.select_related("unit", "overlay").get(pk=self.grant.pk)
        require_write_at_place(self.scope, unit=current.unit, overlay=current.overlay)
        if current.revoked_at is not None:
            raise DomainError(_("This grant has already been revoked."), code="already_revoked")
        if not (self.reason or "").strip():
            raise DomainError(_("Say why the grant is revoked."), code="required", field="revoke_reason")

    def perform(self) -> ScopeGrant:
        grant = ScopeGrant.objects.select_for_update(of=("self",)).select_related("unit").get(pk=self.grant.pk)
        grant.revoked_at = timezone.now()
        grant.revoked_by_id = self.scope.user_id
        grant.revoke_reason = self.reason.strip()[:200]
        grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        return grant

    def log(self, grant: ScopeGrant) -> None:
        audit_log(scope=self.scope, action=self.name, target=grant, unit_path=_place_path(grant),
                  detail={"user_id": grant.user_id, "reason": grant.revoke_reason})


scope_grant_create = ScopeGrantCreate.run
scope_grant_revoke = ScopeGrantRevoke.run
