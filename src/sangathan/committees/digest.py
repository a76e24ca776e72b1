"""The weekly digest to district presidents of what is missing in their district, through the outbox.

One message per district president (a current ``president`` position at a district unit): per committee
type, complete out of units, and the first missing items. Idempotent per ISO week: the key
``committees-digest:<year>-W<week>:<person>:<unit>`` makes a second run in the same week send nothing more.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.committees.selectors import committee_types, completeness
from sangathan.core import clock
from sangathan.core.errors import PermissionDenied
from sangathan.messaging.models import Channel, Message, MessageKind, Template
from sangathan.messaging.services import message_send_templated, template_create
from sangathan.org.models import Position

TEMPLATE_CODE = "committees_weekly_digest"
TEMPLATE = (
    "Committees weekly digest",
    "समितियाँ ({area}, सप्ताह {week}): {figures}। सबसे अधिक कमी: {worst}।",
    "Committees ({area}, week {week}): {figures}. Most missing: {worst}.",
)


def digest_template_seed() -> Template:
    template = Template.objects.filter(code=TEMPLATE_CODE).first()
    if template is None:
        name, body_hi, body_en = TEMPLATE
        template = template_create(code=TEMPLATE_CODE, name=name, body_hi=body_hi, body_en=body_en,
                                   channels=[Channel.WHATSAPP, Channel.SMS], kind=MessageKind.TRANSACTIONAL,
                                   scope=Scope.system())
    return template


def digest_context(total, rows, *, area: str, week: str) -> dict:
    figures = ", ".join(f"{f.type.name_hi} {f.complete}/{f.units}" for f in total.shown)
    worst = sorted(((sum(f.missing for f in row.figures), row.unit.name_hi) for row in rows), reverse=True)[:3]
    return {"area": area, "week": week, "figures": figures or "—",
            "worst": ", ".join(f"{name} {n}" for n, name in worst if n) or "—"}


@transaction.atomic
def digest_send_weekly(*, scope: Scope, now=None) -> list[Message]:
    """Queue this week's digest to every district president (a job: ``scope`` is the system's)."""
    if not (scope.is_system or scope.is_superuser):
        raise PermissionDenied(_("Only the system sends the weekly digest."))
    now = now or clock.now()
    digest_template_seed()
    year, week, _weekday = timezone.localdate(now).isocalendar()
    label = f"{year}-W{week:02d}"
    types = committee_types()
    positions = (Position.objects.current().filter(post__code="president", unit__level="district")
                 .select_related("unit", "person").order_by("unit__path", "id"))
    messages, seen = [], set()
    for position in positions:
        if (position.person_id, position.unit_id) in seen:
            continue
        seen.add((position.person_id, position.unit_id))
        total, rows = completeness(scope=scope, unit=position.unit, types=types)
        message = message_send_templated(
            person=position.person, template_code=TEMPLATE_CODE,
            context=digest_context(total, rows, area=position.unit.name_hi, week=label),
            idempotency_key=f"committees-digest:{label}:{position.person_id}:{position.unit_id}",
            scope=Scope.system(channel="task"))
        if message is not None:
            messages.append(message)
    audit_log(scope=scope, action="committees.digest", detail={"week": label, "messages": len(messages)})
    return messages
