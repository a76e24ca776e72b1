"""Webhooks of the messaging providers under /api/v1/messaging/webhooks/.

They carry no user login (``auth=None``): the SMS gateway proves itself with the shared secret
(``SANGATHAN_SMS_WEBHOOK_SECRET`` in the ``X-Webhook-Secret`` header or a ``secret`` query parameter),
Meta with the ``X-Hub-Signature-256`` HMAC of the raw body under the app secret. A request that fails the
check is answered 401/403 and writes nothing.

SMS gateway body (JSON or form; a JSON list for several): a delivery report
``{"message_id", "status", "at" (ISO or epoch seconds, optional), "error" (optional)}`` or an inbound reply
``{"from", "text"}``.
"""

import hashlib
import hmac
from datetime import UTC, datetime

from django.http import HttpResponse, QueryDict
from django.utils.dateparse import parse_datetime
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from sangathan.access.api_auth import api_auth
from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import json_loads_text
from sangathan.messaging.conf import setting
from sangathan.messaging.models import Channel
from sangathan.messaging.providers import provider_for
from sangathan.messaging.reports import delivery_report_record, inbound_reply_record
from sangathan.messaging.selectors import opt_out_list

router = Router(tags=["messaging"])


def _error(status: int, detail: str):
    return Status(status, {"detail": detail, "errors": {}})


def _moment(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float) or str(value).isdigit():
        return datetime.fromtimestamp(int(value), tz=UTC)
    moment = parse_datetime(str(value))
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _sms_items(request) -> list[dict] | None:
    content_type = request.content_type or ""
    if content_type.startswith("application/json"):
        try:
            data = json_loads_text(request.body or b"null")
        except ValueError:
            return None
    else:
        data = QueryDict(request.body.decode("utf-8", "replace")).dict() if request.body else request.GET.dict()
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return None
    return data


@router.post("/webhooks/sms/{provider}", auth=None, response={200: dict, 400: dict, 401: dict, 403: dict})
def sms_webhook(request, provider: str):
    secret = setting("SANGATHAN_SMS_WEBHOOK_SECRET")
    given = request.headers.get("X-Webhook-Secret") or request.GET.get("secret", "")
    if not secret:
        return _error(403, "Webhooks are not configured.")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return _error(401, "Bad webhook secret.")
    items = _sms_items(request)
    if items is None:
        return _error(400, "Not a delivery report.")
    provider_name = provider_for(Channel.SMS).name if provider == "default" else provider
    recorded = opted_out = 0
    for item in items:
        if item.get("from") and "text" in item:
            opted_out += inbound_reply_record(scope=Scope.system(channel="api"), channel=Channel.SMS,
                                              from_address=str(item["from"]), text=str(item["text"]))
        elif item.get("message_id"):
            event = delivery_report_record(
                provider=provider_name, provider_message_id=str(item["message_id"]), status=str(item.get("status", "")),
                at=_moment(item.get("at")), error=str(item.get("error", "")), raw=item,
            )
            recorded += event is not None
    return {"recorded": recorded, "opted_out": opted_out}


def _whatsapp_signature_ok(request) -> bool:
    secret = setting("SANGATHAN_WHATSAPP")["app_secret"]
    given = request.headers.get("X-Hub-Signature-256", "")
    if not secret or not given.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(given.removeprefix("sha256="), expected)


@router.get("/webhooks/whatsapp", auth=None, response={403: dict})
def whatsapp_verify(request):
    """Meta's subscription check: echo ``hub.challenge`` when ``hub.verify_token`` is ours."""
    token = setting("SANGATHAN_WHATSAPP")["verify_token"]
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") != "subscribe" or not token or not hmac.compare_digest(given, token):
        return _error(403, "Bad verify token.")
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


@router.post("/webhooks/whatsapp", auth=None, response={200: dict, 400: dict, 401: dict})
def whatsapp_webhook(request):
    if not _whatsapp_signature_ok(request):
        return _error(401, "Bad signature.")
    try:
        data = json_loads_text(request.body or b"null")
    except ValueError:
        return _error(400, "Not JSON.")
    if not isinstance(data, dict):
        return _error(400, "Not a WhatsApp notification.")
    recorded = opted_out = 0
    for entry in data.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for status in value.get("statuses") or []:
                errors = status.get("errors") or []
                event = delivery_report_record(
                    provider="whatsapp_cloud", provider_message_id=str(status.get("id", "")),
                    status=str(status.get("status", "")), at=_moment(status.get("timestamp")),
                    error="; ".join(str(e.get("title") or e.get("message") or e) for e in errors), raw=status,
                )
                recorded += event is not None
            for message in value.get("messages") or []:
                if message.get("type") == "text":
                    text = str((message.get("text") or {}).get("body", ""))
                    opted_out += inbound_reply_record(scope=Scope.system(channel="api"), channel=Channel.WHATSAPP,
                                                      from_address=str(message.get("from", "")), text=text)
    return {"recorded": recorded, "opted_out": opted_out}


class OptOutOut(Schema):
    id: int
    person_id: int
    person_name: str
    mobile: str
    channel: str
    source: str
    created_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def resolve_person_name(opt_out) -> str:
        return opt_out.person.name

    @staticmethod
    def resolve_mobile(opt_out) -> str:
        return opt_out.person.mobile


class OptOutFilters(Schema):
    include_reversed: bool = False


@router.get("/opt-outs", auth=api_auth, response=list[OptOutOut])
@paginate(PagePagination)
def opt_out_export(request, filters: Query[OptOutFilters]):
    """Opt-outs of people inside the caller's scope (reversed ones too with ``include_reversed``).

    Each call is written to the audit log as an export, with its filter.
    """
    audit_log(scope=request.scope, action=AuditLog.Action.EXPORT,
              detail={"what": "opt-outs", "include_reversed": filters.include_reversed})
    return opt_out_list(scope=request.scope, active=not filters.include_reversed)
