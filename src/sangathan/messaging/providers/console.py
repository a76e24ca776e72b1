"""The embedded default: messages are appended to ``var/messages.log``; the outbox row is the record."""

import json
import threading

from django.conf import settings
from django.utils import timezone

from sangathan.messaging.providers.base import Provider, ProviderResult

_lock = threading.Lock()


class ConsoleProvider(Provider):
    name = "console"

    def send(self, message) -> ProviderResult:
        line = json.dumps({
            "at": timezone.now().isoformat(), "id": message.pk, "channel": message.channel,
            "to": message.to_address, "subject": message.subject, "body": message.body,
        }, ensure_ascii=False)
        path = settings.VAR_DIR / "messages.log"
        with _lock, path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return ProviderResult(provider_message_id=f"console-{message.pk}")


class InAppProvider(Provider):
    """In-app messages are read from the outbox itself: sending only marks them sent."""

    name = "in_app"

    def send(self, message) -> ProviderResult:
        return ProviderResult(provider_message_id=f"in_app-{message.pk}")
