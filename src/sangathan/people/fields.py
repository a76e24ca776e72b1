"""The one reading of a person's fields, shared by the services (forms, API, admin) and the importer.

Each function takes a value as typed (a form field, a JSON value, a spreadsheet cell) and returns the value
stored, or raises ``FieldError`` with the message shown for that field. The services and
``imports.rows`` call these and nothing else, so a value accepted (or refused) on one path is accepted
(or refused) the same way on the other; ``tests/people/test_fields.py`` feeds both the same values.

Written for the importer's speed: a state's registry is millions of rows. The common ways of writing an
Indian mobile number are read with one regular expression and checked against the numbering plan
``phonenumbers`` uses (its metadata's mobile pattern for India); anything else goes through
``normalize_mobile``.
"""

import re
from datetime import date, datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.digits import ascii_digits
from sangathan.core.epic import normalize_epic
from sangathan.core.errors import DomainError
from sangathan.core.names import NameProblem, name_forms, name_problem
from sangathan.core.phones import normalize_mobile
from sangathan.people.enums import ConsentMethod, ConsentPurpose, Gender, PersonSource, RelationKind
from sangathan.people.models import NAME_MAX_LENGTH
from sangathan.people.numbers import normalize_membership_no

ADDRESS_MAX_LENGTH = 500
SHORT_TEXT_MAX_LENGTH = 100
EARLIEST_JOINING = date(1950, 1, 1)
EARLIEST_BIRTH_YEAR = 1900
MINIMUM_AGE = 14

# +91 98260 12345, 91-9826012345, 098260-12345, 9826012345, (+91) 98260-12345 …
_COMMON_MOBILE_RE = re.compile(r"^\(?(?:\+?91\)?[\s-]?|0)?(\d{5})[\s-]?(\d{5})$")
_INDIA_MOBILE_RE = re.compile(
    phonenumbers.PhoneMetadata.metadata_for_region("IN").mobile.national_number_pattern)
_LETTERS_RE = re.compile(r"[^\W\d_]")
_ISO_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]")
LIST_SPLIT_RE = re.compile(r"\s*[;,|]\s*")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")

# Codes, and the words people write in a sheet (Hindi and English), lower-cased.
GENDERS = {
    "m": Gender.MALE, "male": Gender.MALE, "पुरुष": Gender.MALE, "पु": Gender.MALE,
    "f": Gender.FEMALE, "female": Gender.FEMALE, "महिला": Gender.FEMALE, "स्त्री": Gender.FEMALE, "म": Gender.FEMALE,
    "o": Gender.OTHER, "other": Gender.OTHER, "अन्य": Gender.OTHER,
}
RELATIONS = {
    "father": RelationKind.FATHER, "पिता": RelationKind.FATHER, "f": RelationKind.FATHER,
    "husband": RelationKind.HUSBAND, "पति": RelationKind.HUSBAND, "h": RelationKind.HUSBAND,
    "mother": RelationKind.MOTHER, "माता": RelationKind.MOTHER, "मां": RelationKind.MOTHER, "m": RelationKind.MOTHER,
}
CONSENT_METHODS = {
    "form": ConsentMethod.FORM, "फ़ॉर्म": ConsentMethod.FORM, "फॉर्म": ConsentMethod.FORM, "yes": ConsentMethod.FORM,
    "हाँ": ConsentMethod.FORM, "हां": ConsentMethod.FORM,
    "sms": ConsentMethod.SMS, "एसएमएस": ConsentMethod.SMS,
    "verbal": ConsentMethod.VERBAL, "मौखिक": ConsentMethod.VERBAL,
    "app": ConsentMethod.APP, "ऐप": ConsentMethod.APP,
}
CONSENT_NONE = {"no", "नहीं", "none"}
_PURPOSE_ORDER = tuple(ConsentPurpose.values)  # ``Choices.values`` builds its list anew on every read
PURPOSES = {
    "records": ConsentPurpose.RECORDS, "रिकॉर्ड": ConsentPurpose.RECORDS,
    "messages": ConsentPurpose.MESSAGES, "संदेश": ConsentPurpose.MESSAGES,
    "events": ConsentPurpose.EVENTS, "कार्यक्रम": ConsentPurpose.EVENTS,
}
SOURCES = {"import": PersonSource.IMPORT, "field_drive": PersonSource.FIELD_DRIVE,
           "field drive": PersonSource.FIELD_DRIVE, "self": PersonSource.SELF, "manual": PersonSource.MANUAL,
           "आयात": PersonSource.IMPORT, "क्षेत्र अभियान": PersonSource.FIELD_DRIVE}


class FieldError(ValueError):
    """The value cannot be stored; ``str(error)`` is the message for the field."""


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _number_text(value) -> str:
    """``_text`` with Devanagari digits read as ASCII ones (a phone's Hindi keyboard types ``९८२६…``)."""
    return ascii_digits(_text(value))


def person_name(value, *, required: bool = True) -> tuple[str, str, str]:
    """(name, Latin form, phonetic key) of a name; empty forms for an empty optional name."""
    raw = _text(value)
    name, latin, key = name_forms(raw)
    problem = name_problem(name)
    if problem == NameProblem.DIRECTION:
        raise FieldError(_("A name cannot contain right-to-left or other direction-control characters."))
    if problem == NameProblem.CONTROL:
        raise FieldError(_("A name cannot contain control characters."))
    if problem == NameProblem.NO_LETTERS or (raw and not name):
        raise FieldError(_("A name needs letters: this one has only invisible characters, digits or signs."))
    if not name and required:
        raise FieldError(_("Enter a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise FieldError(_("A name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    return name, latin[:200], key[:200]


def fast_mobile(raw: str) -> str | None:
    """E.164 of a mobile number written in a common Indian way; "" when that way is not a mobile number;
    None when it needs the full parser."""
    match = _COMMON_MOBILE_RE.match(raw)
    if match is None:
        return None
    national = match.group(1) + match.group(2)
    return "+91" + national if _INDIA_MOBILE_RE.fullmatch(national) else ""


def mobile(value, *, required: bool = True) -> str:
    """E.164 of a mobile number; "" for an empty optional one."""
    raw = _number_text(value)
    if not raw:
        if required:
            raise FieldError(_("Enter a mobile number."))
        return ""
    fast = fast_mobile(raw)
    if fast:
        return fast
    if fast == "" or _LETTERS_RE.search(raw):  # phonenumbers reads letters as keypad digits
        raise FieldError(_("This is not a valid mobile number."))
    try:
        return normalize_mobile(raw)
    except DomainError as error:
        raise FieldError(str(error)) from None


def epic(value) -> str:
    try:
        return normalize_epic(_number_text(value))
    except DomainError as error:
        raise FieldError(str(error)) from None


def membership_no(value) -> str:
    try:
        return normalize_membership_no(_number_text(value))
    except DomainError as error:
        raise FieldError(str(error)) from None


def birth_year(value, *, this_year: int | None = None) -> int | None:
    """A year between 1900 and 14 years ago; "1975.0" (a number cell of a sheet) reads as 1975."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
        year = int(number)
        if number != year or isinstance(value, bool):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        year = -1
    this_year = this_year or clock.today().year
    if not EARLIEST_BIRTH_YEAR <= year <= this_year - MINIMUM_AGE:
        raise FieldError(_("Enter a real year of birth."))
    return year


def as_date(value) -> date | None:
    """A calendar date from a date, a datetime or text in one of ``DATE_FORMATS`` (an ISO date and time
    reads as its date); None when empty; FieldError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = ascii_digits(str(value).strip())
    if _ISO_DATETIME_RE.match(text):
        text = text[:10]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar date
        except ValueError:
            continue
    raise FieldError(_("Enter a date."))


def joined_on(value, *, today: date | None = None) -> date | None:
    message = _("Enter a real date of joining, not in the future.")
    try:
        joined = as_date(value)
    except FieldError:
        raise FieldError(message) from None
    if joined is not None and not EARLIEST_JOINING <= joined <= (today or clock.today()):
        raise FieldError(message)
    return joined


def email(value) -> str:
    text = _text(value).lower()
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise FieldError(_("Enter a valid email address.")) from None
    return text


def address(value) -> str:
    text = _text(value)
    if len(text) > ADDRESS_MAX_LENGTH:
        raise FieldError(_("The address can have at most %(max)d characters.") % {"max": ADDRESS_MAX_LENGTH})
    return text


def short_text(value) -> str:
    """Occupation, education: one line, runs of spaces folded."""
    text = " ".join(_text(value).split())
    if len(text) > SHORT_TEXT_MAX_LENGTH:
        raise FieldError(_("At most %(max)d characters.") % {"max": SHORT_TEXT_MAX_LENGTH})
    return text


def gender(value) -> str:
    """A gender code from its code or a word for it; "" when not given."""
    text = _text(value).lower()
    if not text:
        return Gender.UNKNOWN.value
    found = GENDERS.get(text)
    if found is None:
        raise FieldError(_("Unknown gender."))
    return found.value


def relation(value) -> str:
    found = RELATIONS.get(_text(value).lower())
    if found is None:
        raise FieldError(_("Unknown relation."))
    return found.value


def source(value) -> str:
    found = SOURCES.get(_text(value).lower())
    if found is None:
        raise FieldError(_("Unknown source."))
    return found.value


def consent_method(value) -> str:
    """A consent method from its code or a word for it; "" when none given (or "no")."""
    text = _text(value).lower()
    if not text or text in CONSENT_NONE:
        return ""
    found = CONSENT_METHODS.get(text)
    if found is None:
        raise FieldError(_("Unknown way of giving consent."))
    return found.value


def consent_purposes(value) -> list[str]:
    """Purposes from a list or a text ("records; messages"), in the order of ``ConsentPurpose``."""
    parts = LIST_SPLIT_RE.split(value) if isinstance(value, str) else list(value or [])
    purposes, unknown = set(), []
    for part in parts:
        text = _text(part)
        if not text:
            continue
        found = PURPOSES.get(text.lower())
        if found is None:
            unknown.append(text)
        else:
            purposes.add(found.value)
    if unknown:
        raise FieldError(_("Unknown purpose: %(purpose)s.") % {"purpose": ", ".join(unknown)})
    return [purpose for purpose in _PURPOSE_ORDER if purpose in purposes]
