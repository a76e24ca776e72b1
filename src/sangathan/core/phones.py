"""Mobile numbers: everything is stored in E.164 (``+919826012345``)."""

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sangathan.core.digits import ascii_digits
from sangathan.core.errors import DomainError

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_mobile(raw: str, *, region: str | None = None) -> str:
    """E.164 form of a mobile number typed in any common Indian way, or DomainError.

    Accepts ``+91 98260 12345``, ``098260-12345``, ``9826012345``, ``91-9826012345``, and the same in
    Devanagari digits (``९८२६०१२३४५``).
    """
    text = ascii_digits(raw or "").strip()
    if not text:
        raise DomainError(_("Enter a mobile number."), code="required", field="mobile")
    if len(text) > 32:
        raise DomainError(_("This mobile number is too long."), code="invalid_mobile", field="mobile")
    try:
        number = phonenumbers.parse(text, region or settings.SANGATHAN_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise DomainError(_("This is not a valid mobile number."), code="invalid_mobile", field="mobile") from None
    # ``number_type`` is UNKNOWN for an invalid number, so it is the validity check too (``is_valid_number``
    # runs the same pattern match again: a fifth of the cost, paid per recipient of every bulk list).
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise DomainError(_("This is not a valid mobile number."), code="invalid_mobile", field="mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_mobile(raw: str) -> str | None:
    try:
        return normalize_mobile(raw)
    except DomainError:
        return None


def display_mobile(e164: str) -> str:
    """``+919826012345`` → ``98260 12345`` for Indian numbers, international format otherwise."""
    if not e164:
        return ""
    if len(e164) == 13 and e164.startswith("+91") and e164[3:].isdigit() and e164[3] != "0":
        # What the parse below gives for a stored Indian number, without its ~90 µs (a state's morning
        # call lists format 20,000 of them).
        return f"{e164[3:8]} {e164[8:]}"
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 91:
        national = str(number.national_number)
        return f"{national[:5]} {national[5:]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def mask_mobile(e164: str) -> str:
    """``+919826012345`` → ``98xxxxxx45``: enough to recognise, not enough to call."""
    digits = e164[-10:] if e164 else ""
    if len(digits) < 4:
        return ""
    return digits[:2] + "x" * (len(digits) - 4) + digits[-2:]
