"""Providers per channel, chosen by settings (``SANGATHAN_SMS_PROVIDER`` …, see ``messaging.conf``)."""

from sangathan.messaging.conf import setting
from sangathan.messaging.models import Channel
from sangathan.messaging.providers.base import (
    PermanentError,
    Provider,
    ProviderError,
    ProviderResult,
    TransientError,
)
from sangathan.messaging.providers.console import ConsoleProvider, InAppProvider
from sangathan.messaging.providers.email import SmtpEmailProvider
from sangathan.messaging.providers.sms_http import HttpSmsProvider
from sangathan.messaging.providers.whatsapp import WhatsAppCloudProvider

__all__ = ["PermanentError", "Provider", "ProviderError", "ProviderResult", "TransientError", "provider_for"]

CHOICES = {
    Channel.SMS: ("SANGATHAN_SMS_PROVIDER", {"console": ConsoleProvider, "http": HttpSmsProvider}),
    Channel.WHATSAPP: ("SANGATHAN_WHATSAPP_PROVIDER", {"console": ConsoleProvider, "cloud": WhatsAppCloudProvider}),
    Channel.EMAIL: ("SANGATHAN_EMAIL_PROVIDER", {"console": ConsoleProvider, "smtp": SmtpEmailProvider}),
}


def provider_for(channel: str) -> Provider:
    if channel == Channel.IN_APP:
        return InAppProvider()
    setting_name, classes = CHOICES[channel]
    choice = setting(setting_name)
    if choice not in classes:
        raise ValueError(f"{setting_name}={choice!r}: choose one of {', '.join(classes)}")
    return classes[choice]()
