"""An Indian SMS aggregator's HTTP API: POST with an API key, DLT entity and template ids, a sender id.

The message's idempotency key goes as the ``Idempotency-Key`` header and, when the gateway has a client
reference field (``fields["reference"]``, ``SANGATHAN_SMS_HTTP_REFERENCE_FIELD``), in it. Field names, the encoding (JSON or form) and where the answer keeps the message id are configuration
(``SANGATHAN_SMS_HTTP``, see ``messaging.conf``), because every aggregator names them its own way.
"""

from sangathan.messaging.conf import setting
from sangathan.messaging.providers import http
from sangathan.messaging.providers.base import PermanentError, Provider, ProviderResult, idempotency_header


class HttpSmsProvider(Provider):
    name = "sms_http"

    def send(self, message) -> ProviderResult:
        config = setting("SANGATHAN_SMS_HTTP")
        fields = config["fields"]
        template_id = message.template.dlt_template_id if message.template_id else ""
        payload = {
            fields["to"]: message.to_address.removeprefix("+"),
            fields["text"]: message.body,
            fields["sender"]: config["sender_id"],
            fields["entity_id"]: config["dlt_entity_id"],
            fields["template_id"]: template_id,
            # Devanagari needs the Unicode (UCS-2) encoding; most gateways want to be told.
            fields["unicode"]: 0 if message.body.isascii() else 1,
        }
        if fields.get("reference"):  # the gateway's own dedup / client reference field, when it has one
            payload[fields["reference"]] = message.idempotency_key
        # A gateway that honours it delivers a repeat of the same message once (see messaging.outbox).
        headers = {"Idempotency-Key": idempotency_header(message)}
        if config["api_key"]:
            headers[config["auth_header"]] = config["auth_prefix"] + config["api_key"]
        answer = http.post(config["url"], payload=payload, headers=headers, timeout=config["timeout"],
                           encoding=config["encoding"])
        message_id = http.dig(answer, config["message_id_path"])
        if message_id in (None, ""):
            # Accepted without an id: delivery reports cannot be matched, but the message did go.
            return ProviderResult(provider_message_id="")
        if isinstance(message_id, dict | list):
            raise PermanentError(f"unexpected answer: {answer!r}"[:500])
        return ProviderResult(provider_message_id=str(message_id))
