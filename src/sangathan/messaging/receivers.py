"""Messaging's part in other apps' events (connected in ``MessagingConfig.ready``)."""

from django.dispatch import receiver
from django.urls import reverse

from sangathan.access.scope import Scope
from sangathan.access.signals import login_code_issued
from sangathan.core.public import public_url
from sangathan.messaging.models import Channel, Message, MessageKind, MessageStatus
from sangathan.messaging.services import message_enqueue
from sangathan.people.erasure import person_data_section
from sangathan.people.signals import person_erased, verification_code_issued

# {url} is the full public address of the page where the code sets the password (an SMS needs no relative link).
LOGIN_TEXTS = {
    "setup": "संगठन: आपका लॉगिन बना दिया गया है। पासवर्ड बनाने का कोड {code} है। {url} पर मोबाइल नंबर और "
             "यह कोड डालकर पासवर्ड बनाएं। इसे किसी को न बताएं।",
    "reset": "संगठन: आपका पासवर्ड रीसेट किया गया। नया पासवर्ड बनाने का कोड {code} है, {url} पर डालें। "
             "इसे किसी को न बताएं।",
    "self": "संगठन: पासवर्ड बदलने का कोड {code} है। यह 15 मिनट तक मान्य है। इसे किसी को न बताएं।",
}
VERIFICATION_TEXT = "संगठन: आपका सत्यापन कोड {code} है। यह 10 मिनट तक मान्य है। इसे किसी को न बताएं।"


@receiver(verification_code_issued)
def send_verification_code(sender, *, person, code: str, idempotency_key: str, **kwargs):
    """The code to the person's own mobile, as a transactional SMS (opt-outs do not apply)."""
    return message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address=person.mobile,
                           body=VERIFICATION_TEXT.format(code=code), kind=MessageKind.TRANSACTIONAL,
                           idempotency_key=idempotency_key, person=person)


@receiver(login_code_issued)
def send_login_code(sender, *, user, code: str, purpose: str, idempotency_key: str, **kwargs):
    """A password code to the login's own mobile, as a transactional SMS (opt-outs do not apply)."""
    body = LOGIN_TEXTS[purpose].format(code=code, url=public_url(reverse("access:password_set")))
    return message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address=user.mobile, body=body,
                           kind=MessageKind.TRANSACTIONAL, idempotency_key=idempotency_key, person=user.person)


@receiver(person_erased)
def scrub_erased_person(sender, *, person_id: int, **kwargs):
    """Messages to an erased person keep their counts but lose the address and the text; those not yet
    sent are cancelled."""
    messages = Message.objects.filter(person_id=person_id)
    messages.filter(status=MessageStatus.QUEUED).update(status=MessageStatus.CANCELLED)
    return messages.update(to_address="", body="", subject="")


@person_data_section("messaging.messages")
def messages_for_export(person):
    """Messages sent to the person, for their data export."""
    return Message.objects.filter(person=person).order_by("created_at", "id").values(
        "created_at", "channel", "kind", "status", "to_address", "subject", "body")
