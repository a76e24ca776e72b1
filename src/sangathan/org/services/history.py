"""The history row every write of the tree and its vocabulary leaves (``org.OrgChange``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sangathan.org.models import OrgChange

if TYPE_CHECKING:
    from sangathan.access.scope import Scope


def snapshot(instance: models.Model, fields) -> dict:
    """The JSON-safe values of ``fields`` of ``instance``: foreign keys as their ids."""
    return {name: _plain(getattr(instance, instance._meta.get_field(name).attname)) for name in fields}


def _plain(value):
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def org_change_record(*, scope: Scope, target: models.Model, action: str, before: dict | None = None,
                      after: dict | None = None, reason: str = "") -> OrgChange:
    """Write one ``OrgChange`` row for ``scope``'s actor (None when the system acts). One INSERT."""
    row = org_change_row(scope=scope, target=target, action=action, before=before, after=after, reason=reason)
    row.save(force_insert=True)
    return row


def org_change_row(*, scope: Scope, target: models.Model, action: str, before: dict | None = None,
                   after: dict | None = None, reason: str = "") -> OrgChange:
    """The unsaved ``OrgChange`` row ``org_change_record`` writes, for ``bulk_create``."""
    return OrgChange(
        entity=target._meta.model_name, entity_id=target.pk, action=action, actor_id=scope.user_id,
        channel=scope.context.channel, before=before or {}, after=after or {}, reason=(reason or "")[:300])
