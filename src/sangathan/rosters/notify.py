"""Messages of hearings: the token, the reminder for the slot, a direction to its owner.

Templates are created idempotently (``rosters_templates_seed``, also on first use). A complainant in the
registry gets the message in their language on their channel; a walk-in not in the registry a Hindi SMS.
Each message is an outbox row written in the caller's transaction, with an idempotency key, and a
``message`` event on the grievance's timeline.
"""

from __future__ import annotations

from sangathan.access.scope import Scope
from sangathan.grievances.enums import EventKind
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.notify import status_url
from sangathan.messaging.models import Channel, Language, Message, MessageKind, Template
from sangathan.messaging.services import (
    message_enqueue,
    message_send_templated,
    template_active,
    template_render,
    templates_ensure,
)

# code → (name, Hindi body, English body); both bodies use the same variables.
TEMPLATES = {
    "hearing_token": (
        "Hearing token",
        "सहयोग सेल: {date} को {office} में सुनवाई के लिए आपका टोकन नंबर {token} है, लगभग {time} बजे बुलाया "
        "जाएगा। शिकायत {code}।",
        "Sahyog Cell: your token for the hearing at {office} on {date} is {token}; you will be called at about "
        "{time}. Grievance {code}.",
    ),
    "hearing_reminder": (
        "Hearing reminder",
        "सहयोग सेल: याद दिलाना — {date} को {office} में आपकी सुनवाई है, टोकन {token}, लगभग {time} बजे। "
        "शिकायत {code}।",
        "Sahyog Cell: reminder — your hearing at {office} is on {date}, token {token}, at about {time}. "
        "Grievance {code}.",
    ),
    "hearing_direction": (
        "Direction from a hearing",
        "सहयोग सेल: सुनवाई में आपको निर्देश — शिकायत {code}: {text} समय-सीमा {deadline}।",
        "Sahyog Cell: a direction for you from a hearing — grievance {code}: {text} Deadline {deadline}.",
    ),
}


def rosters_templates_seed() -> None:
    """Create the hearing templates that are missing; edited ones are left as they are."""
    templates_ensure(TEMPLATES, scope=Scope.system())


def _template(code: str) -> Template:
    return template_active(code, TEMPLATES)


def _event(grievance, message, template_code: str, scope: Scope, recipient: str) -> None:
    data = {"template": template_code, "recipient": recipient}
    if message is None:
        data["skipped"] = "opted out"
    else:
        data.update(message=message.pk, channel=message.channel)
    event_add(scope=scope, grievance=grievance, kind=EventKind.MESSAGE, data=data)


def notify_complainant_at(*, grievance, template_code: str, context: dict, key: str, send_at=None,
                          expires_at=None, scope: Scope) -> Message | None:
    """Queue a message to the grievance's complainant, to leave at ``send_at`` (now when None), with its
    ``message`` event by the scope's actor; ``{status_url}`` is there for a template that names the status
    page."""
    context = {"code": grievance.tracking_code, "status_url": status_url(), **context}
    template = _template(template_code)
    if grievance.complainant_id:
        message = message_send_templated(person=grievance.complainant, template_code=template.code, context=context,
                                         idempotency_key=key, send_at=send_at, expires_at=expires_at,
                                         scope=Scope.system())
    else:
        rendered = template_render(template=template, language=Language.HINDI, context=context)
        message = message_enqueue(channel=Channel.SMS, to_address=grievance.complainant_mobile, body=rendered.body,
                                  kind=MessageKind.TRANSACTIONAL, idempotency_key=key, template=template,
                                  unit_path=grievance.unit_path, context=context, send_at=send_at,
                                  expires_at=expires_at, scope=scope)
    _event(grievance, message, template_code, scope, "complainant")
    return message


def notify_owner(*, direction, scope: Scope) -> Message | None:
    """Tell a direction's owner what to do by when."""
    template = _template("hearing_direction")
    context = {"code": direction.grievance.tracking_code, "text": direction.text[:120],
               "deadline": f"{direction.deadline:%d-%m-%Y}"}
    message = message_send_templated(person=direction.owner, template_code=template.code, context=context,
                                     idempotency_key=f"hearing-direction:{direction.pk}", scope=scope)
    _event(direction.grievance, message, "hearing_direction", scope, direction.owner.name)
    return message
