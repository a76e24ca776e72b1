"""The weekly digest of the Sahyog Cell to its conveners, through the outbox.

The state convener gets the state's figures, each district convener their district's (positions of the
convener post in the Sahyog Cell wing: seed 000's प्रदेश संयोजक and जिला संयोजक). One SMS/WhatsApp each,
idempotent per ISO week: the key ``sahyog-digest:<year>-W<week>:<person>`` makes a second run in the same
week (a retried task, a second worker) send nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import PermissionDenied
from sangathan.core.tree import subtree_q
from sangathan.grievances.models import Grievance
from sangathan.grievances.policies import CONVENER_POST, SAHYOG_WING
from sangathan.grievances.reports import SahyogReport, sahyog_report
from sangathan.messaging.models import Channel, Message, MessageKind, Template
from sangathan.messaging.services import message_send_templated, template_create
from sangathan.org.models import Position, Unit
from sangathan.people.models import Person

TEMPLATE_CODE = "sahyog_weekly_digest"
TEMPLATE = (
    "Sahyog Cell weekly digest",
    "सहयोग सेल साप्ताहिक सार ({area}, सप्ताह {week}): खुली {open}, समय-सीमा पार {overdue}। इस सप्ताह नई {taken}, "
    "समाधान {resolved} (समय पर {in_time})। समाधान में औसतन {median} दिन। {attention}",
    "Sahyog Cell weekly digest ({area}, week {week}): open {open}, overdue {overdue}. This week new {taken}, "
    "resolved {resolved} ({in_time} in time). Median {median} days to resolve. {attention}",
)
DIGEST_LEVELS = ("state", "district")


@dataclass(frozen=True)
class DigestRecipient:
    person_id: int
    unit: Unit


def digest_template_seed() -> Template:
    """The digest's template, created the first time (an edited one is left as it is)."""
    template = Template.objects.filter(code=TEMPLATE_CODE).first()
    if template is None:
        name, body_hi, body_en = TEMPLATE
        template = template_create(code=TEMPLATE_CODE, name=name, body_hi=body_hi, body_en=body_en,
                                   channels=[Channel.WHATSAPP, Channel.SMS], kind=MessageKind.TRANSACTIONAL,
                                   scope=Scope.system())
    return template


def digest_recipients() -> list[DigestRecipient]:
    """The cell's conveners at the state and in the districts, with the unit their digest covers."""
    positions = (Position.objects.current().filter(post__code=CONVENER_POST, wing__code=SAHYOG_WING,
                                                   unit__level__in=DIGEST_LEVELS)
                 .select_related("unit").order_by("unit__path", "id"))
    seen, recipients = set(), []
    for position in positions:
        if (position.person_id, position.unit_id) not in seen:
            seen.add((position.person_id, position.unit_id))
            recipients.append(DigestRecipient(person_id=position.person_id, unit=position.unit))
    return recipients


def digest_context(report: SahyogReport, *, area: str, week: str) -> dict:
    late = sorted((row for row in report.districts if row.overdue), key=lambda row: -row.overdue)[:3]
    attention = ("ध्यान दें: " + ", ".join(f"{row.name} {row.overdue}" for row in late) + "।") if late else ""
    return {
        "area": area, "week": week, "open": report.open, "overdue": report.overdue, "taken": report.taken,
        "resolved": report.resolved,
        "in_time": f"{report.within_sla_percent:.0f}%" if report.within_sla_percent is not None else "—",
        "median": f"{report.median_days:.1f}" if report.median_days is not None else "—",
        "attention": attention or "—",
    }


@transaction.atomic
def digest_send_weekly(*, scope: Scope, now=None) -> list[Message]:
    """Queue this week's digest to every convener (idempotent per ISO week; a job, ``scope`` is the
    system's). Returns the messages written or found; a convener opted out of every channel gets none."""
    if not (scope.is_system or scope.is_superuser):
        raise PermissionDenied(_("Only the system sends the weekly digest."))
    now = now or clock.now()
    digest_template_seed()
    year, week, _weekday = timezone.localdate(now).isocalendar()
    label = f"{year}-W{week:02d}"
    messages = []
    people = {}
    for recipient in digest_recipients():
        unit = recipient.unit
        grievances = Grievance.objects.all() if unit.parent_id is None else Grievance.objects.filter(
            subtree_q("unit_path", unit.path))
        report = sahyog_report(grievances, since_days=7, now=now, by_district=unit.parent_id is None)
        context = digest_context(report, area=unit.name_hi, week=label)
        if recipient.person_id not in people:
            people[recipient.person_id] = Person.objects.get(pk=recipient.person_id)
        message = message_send_templated(
            person=people[recipient.person_id], template_code=TEMPLATE_CODE, context=context,
            idempotency_key=f"sahyog-digest:{label}:{recipient.person_id}:{unit.pk}", scope=Scope.system(channel="task"))
        if message is not None:
            messages.append(message)
    return messages
