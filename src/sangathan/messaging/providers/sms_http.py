"""An Indian SMS aggregator's HTTP API: POST with an API key, DLT entity and template ids, a sender id.

Field names, the encoding (JSON or form) and where the answer keeps the message id are configuration
(``SANGATHAN_SMS_HTTP``, see ``messaging.conf``), because every aggregator names them its own way.
"""

from sangathan.messaging.conf import setting
from sangathan.messaging.providers import http
from sangathan.messaging.providers.base import PermanentError, Provider, ProviderResult


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
        headers = {}
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
