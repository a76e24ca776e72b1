"""Email through Django's mail backend (SMTP with settings.EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER …)."""

import hashlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from sangathan.messaging.providers.base import PermanentError, Provider, ProviderResult, TransientError


class SmtpEmailProvider(Provider):
    name = "smtp"

    def send(self, message) -> ProviderResult:
        # Derived from the idempotency key: a repeat of the same message has the same Message-ID, which mail
        # systems use to drop duplicates.
        message_id = f"<{hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:40]}@sangathan>"
        email = EmailMessage(
            subject=message.subject or message.body.splitlines()[0][:80],
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers={"Message-ID": message_id},
            connection=get_connection(fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 20),
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = next(iter(error.recipients.values()))
            raise (PermanentError if code >= 500 else TransientError)(f"SMTP {code}: {reason!r}") from None
        except smtplib.SMTPResponseException as error:
            reason = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
            raise (PermanentError if error.smtp_code >= 500 else TransientError)(reason) from None
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise TransientError(f"SMTP: {error}") from None
        return ProviderResult(provider_message_id=message_id.strip("<>"))
