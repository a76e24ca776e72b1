"""The WhatsApp Cloud API: POST {graph_url}/{phone_number_id}/messages with a Bearer token.

A message from a template goes as a WhatsApp template message (the template's code is its approved name,
its variables the body parameters in order); one without a template as plain text, which Meta accepts only
within 24 hours of the person's last message.
"""

from sangathan.messaging.conf import setting
from sangathan.messaging.providers import http
from sangathan.messaging.providers.base import PermanentError, Provider, ProviderResult, idempotency_header


def cloud_payload(message) -> dict:
    payload = {"messaging_product": "whatsapp", "recipient_type": "individual",
               "to": message.to_address.removeprefix("+"),
               # Meta keeps no idempotency key; this reference comes back in the status webhooks.
               "biz_opaque_callback_data": message.idempotency_key}
    if message.template_id:
        parameters = [{"type": "text", "text": str(message.context.get(name, ""))}
                      for name in message.template.variables]
        template = {"name": message.template.code, "language": {"code": message.language}}
        if parameters:
            template["components"] = [{"type": "body", "parameters": parameters}]
        payload |= {"type": "template", "template": template}
    else:
        payload |= {"type": "text", "text": {"preview_url": True, "body": message.body}}
    return payload


class WhatsAppCloudProvider(Provider):
    name = "whatsapp_cloud"

    def send(self, message) -> ProviderResult:
        config = setting("SANGATHAN_WHATSAPP")
        url = f"{config['graph_url'].rstrip('/')}/{config['phone_number_id']}/messages"
        answer = http.post(url, payload=cloud_payload(message), headers={"Authorization": f"Bearer {config['token']}",
                                                                      "Idempotency-Key": idempotency_header(message)},
                           timeout=config["timeout"])
        message_id = http.dig(answer, "messages.0.id")
        if not message_id:
            raise PermanentError(f"no message id in the answer: {answer!r}"[:500])
        return ProviderResult(provider_message_id=str(message_id))
