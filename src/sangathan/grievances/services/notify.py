"""Messages of the Sahyog Cell: its templates and the one way a grievance message is queued.

Every message is an outbox row written in the transaction of the change that causes it, with an
idempotency key derived from the grievance and the change, and a ``message`` event on the timeline.
A complainant in the registry gets the message in their language on their channel (opt-out rule of
``messaging.services``); a walk-in not in the registry gets a Hindi SMS.
"""

from __future__ import annotations

from django.urls import reverse

from sangathan.access.scope import Scope
from sangathan.core.public import public_url
from sangathan.grievances.enums import EventKind
from sangathan.grievances.models import Grievance
from sangathan.messaging.models import Channel, Language, Message, MessageKind, Template
from sangathan.messaging.services import (
    message_enqueue,
    message_send_templated,
    template_active,
    template_render,
    templates_ensure,
)

# code → (name, Hindi body, English body). Variables in braces; both bodies use the same ones.
TEMPLATES = {
    "grievance_ack": (
        "Grievance acknowledgement",
        "सहयोग सेल: आपकी शिकायत \"{subject}\" दर्ज हो गई है। ट्रैकिंग कोड {code}। स्थिति {status_url} पर कोड "
        "और मोबाइल नंबर से देखें।",
        "Sahyog Cell: your grievance \"{subject}\" is registered. Tracking code {code}. See its status at "
        "{status_url} with the code and your mobile number.",
    ),
    "grievance_escalated": (
        "Grievance escalated",
        "सहयोग सेल: शिकायत {code} अब {level} के पास है।",
        "Sahyog Cell: grievance {code} is now with the {level}.",
    ),
    "grievance_forwarded": (
        "Grievance forwarded to a department",
        "सहयोग सेल: शिकायत {code} {department} को भेजी गई है (संदर्भ {reference})।",
        "Sahyog Cell: grievance {code} has been forwarded to {department} (reference {reference}).",
    ),
    "grievance_waiting": (
        "Grievance needs the complainant",
        "सहयोग सेल: शिकायत {code} के लिए आपसे जानकारी चाहिए: {question}",
        "Sahyog Cell: we need information from you on grievance {code}: {question}",
    ),
    "grievance_hearing": (
        "Grievance scheduled for a hearing",
        "सहयोग सेल: शिकायत {code} की सुनवाई {date} को होगी: {label}।",
        "Sahyog Cell: grievance {code} will be heard on {date}: {label}.",
    ),
    "grievance_resolved": (
        "Grievance resolved",
        "सहयोग सेल: शिकायत {code} का समाधान: {note} संतुष्ट हैं तो 1, नहीं तो 2 लिखकर भेजें, या {status_url} पर "
        "बताएं।",
        "Sahyog Cell: grievance {code} resolved: {note} Reply 1 if satisfied, 2 if not, or tell us at {status_url}.",
    ),
    "grievance_closed": (
        "Grievance closed",
        "सहयोग सेल: शिकायत {code} बंद कर दी गई है। धन्यवाद।",
        "Sahyog Cell: grievance {code} is closed. Thank you.",
    ),
    "grievance_assigned": (
        "Grievance assigned to you",
        "सहयोग सेल: शिकायत {code} ({subject}) आपको सौंपी गई है। समय-सीमा {due}।",
        "Sahyog Cell: grievance {code} ({subject}) is assigned to you. Due {due}.",
    ),
    "grievance_reminder": (
        "Grievance due soon",
        "सहयोग सेल: याद दिलाना — शिकायत {code} ({subject}) की समय-सीमा {due} है।",
        "Sahyog Cell: reminder — grievance {code} ({subject}) is due {due}.",
    ),
}


def status_url() -> str:
    """The public status page's full address, for a message that leaves the app."""
    return public_url(reverse("status:lookup"))


def templates_seed(*, scope: Scope) -> None:
    """Create the cell's templates that are missing; edited templates are left as they are."""
    templates_ensure(TEMPLATES, scope=scope)


def _template(code: str) -> Template:
    return template_active(code, TEMPLATES)


def notify_complainant(*, grievance: Grievance, template_code: str, context: dict, key: str,
                       scope: Scope) -> Message | None:
    """Queue a message to the complainant and record it on the timeline (internal).

    Every message to a complainant may name the public status page: ``{status_url}`` is its full address
    on the configured public host (``SANGATHAN_PUBLIC_URL``), since an SMS cannot carry a relative link.
    """
    context = {"code": grievance.tracking_code, "status_url": status_url(), **context}
    template = _template(template_code)
    idempotency_key = f"grievance:{grievance.pk}:{key}"
    if grievance.complainant_id:
        message = message_send_templated(person=grievance.complainant, template_code=template.code,
                                         context=context, idempotency_key=idempotency_key, scope=Scope.system())
    else:
        rendered = template_render(template=template, language=Language.HINDI, context=context)
        message = message_enqueue(channel=Channel.SMS, to_address=grievance.complainant_mobile, body=rendered.body,
                                  kind=MessageKind.TRANSACTIONAL, idempotency_key=idempotency_key,
                                  template=template, unit_path=grievance.unit_path, context=context, scope=scope)
    _message_event(grievance, message, template_code, scope, recipient="complainant")
    return message


def notify_person(*, grievance: Grievance, person, template_code: str, context: dict, key: str,
                  scope: Scope) -> Message | None:
    """Queue a message to an office-bearer about ``grievance`` (assignment, reminder)."""
    context = {"code": grievance.tracking_code, "subject": grievance.subject[:60], **context}
    template = _template(template_code)
    message = message_send_templated(person=person, template_code=template.code, context=context,
                                     idempotency_key=f"grievance:{grievance.pk}:{key}:{person.pk}", scope=scope)
    _message_event(grievance, message, template_code, scope, recipient=person.name)
    return message


def _message_event(grievance, message, template_code, scope: Scope, *, recipient: str) -> None:
    from sangathan.grievances.services.events import event_add

    data = {"template": template_code, "recipient": recipient}
    if message is None:
        data["skipped"] = "opted out"
    else:
        data.update(message=message.pk, channel=message.channel)
    event_add(scope=scope, grievance=grievance, kind=EventKind.MESSAGE, data=data)


def message_body(template: Template, context: dict) -> str:
    """The Hindi body of ``template`` filled with ``context`` (bulk paths render once per row)."""
    return template_render(template=template, language=Language.HINDI, context=context).body


__all__ = ["TEMPLATES", "notify_complainant", "notify_person", "templates_seed",
           "message_body"]
