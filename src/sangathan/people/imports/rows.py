"""Checking one row of a people file and turning it into the values stored.

Every check of ``people.services`` applies (names, mobile numbers, voter IDs, years, emails …), written for
speed: a state's registry is millions of rows. The common ways of writing an Indian mobile number are
read with one regular expression and checked against the same numbering plan ``phonenumbers`` uses
(its metadata's mobile pattern for India), anything else goes through ``normalize_mobile``; names repeat
a lot, so each distinct name is normalized once. A row is either wholly valid or rejected with every
reason at once.
"""

import re
from datetime import date, datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.epic import EPIC_RE
from sangathan.core.errors import DomainError
from sangathan.core.names import name_forms
from sangathan.core.phones import normalize_mobile
from sangathan.people.enums import ConsentMethod, ConsentPurpose, Gender, PersonSource, RelationKind
from sangathan.people.imports.columns import BY_KEY
from sangathan.people.models import MEMBERSHIP_NO_MAX_LENGTH, NAME_MAX_LENGTH
from sangathan.people.numbers import MEMBERSHIP_NO_RE
from sangathan.people.services import ADDRESS_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH

# +91 98260 12345, 91-9826012345, 098260-12345, 9826012345, (+91) 98260-12345 …
_COMMON_MOBILE_RE = re.compile(r"^\(?(?:\+?91\)?[\s-]?|0)?(\d{5})[\s-]?(\d{5})$")
_INDIA_MOBILE_RE = re.compile(
    phonenumbers.PhoneMetadata.metadata_for_region("IN").mobile.national_number_pattern)
_SPACES_RE = re.compile(r"\s+")
_LETTERS_RE = re.compile(r"[^\W\d_]")
_LIST_SPLIT_RE = re.compile(r"\s*[;,|]\s*")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
NAME_CACHE_MAX = 200_000

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
PURPOSES = {
    "records": ConsentPurpose.RECORDS, "रिकॉर्ड": ConsentPurpose.RECORDS,
    "messages": ConsentPurpose.MESSAGES, "संदेश": ConsentPurpose.MESSAGES,
    "events": ConsentPurpose.EVENTS, "कार्यक्रम": ConsentPurpose.EVENTS,
}
SOURCES = {"import": PersonSource.IMPORT, "field_drive": PersonSource.FIELD_DRIVE,
           "field drive": PersonSource.FIELD_DRIVE, "self": PersonSource.SELF, "manual": PersonSource.MANUAL,
           "आयात": PersonSource.IMPORT, "क्षेत्र अभियान": PersonSource.FIELD_DRIVE}


def fast_mobile(raw: str) -> str | None:
    """E.164 of a mobile number written in a common Indian way, None when it needs the full parser."""
    match = _COMMON_MOBILE_RE.match(raw)
    if match is None:
        return None
    national = match.group(1) + match.group(2)
    return "+91" + national if _INDIA_MOBILE_RE.fullmatch(national) else ""


def mobile_or_error(raw: str) -> tuple[str, str]:
    """(E.164, "") or ("", message)."""
    raw = raw.strip()
    fast = fast_mobile(raw)
    if fast:
        return fast, ""
    if fast == "" or _LETTERS_RE.search(raw):  # phonenumbers reads letters as keypad digits
        return "", _("This is not a valid mobile number.")
    try:
        return normalize_mobile(raw), ""
    except DomainError as error:
        return "", str(error)


class Row:
    """A checked row: the values to store (``values``) and which optional cells were given (``given``)."""

    __slots__ = ("line", "cells", "values", "given", "tag_ids", "unit_code")

    def __init__(self, line, cells, values, given, tag_ids, unit_code):
        self.line = line
        self.cells = cells
        self.values = values
        self.given = given
        self.tag_ids = tag_ids
        self.unit_code = unit_code


class RowChecker:
    """Checks rows of one file; ``positions`` maps column keys to cell positions (``columns.map_header``)."""

    def __init__(self, *, positions: dict[str, int], header: list[str], tags: dict[str, int], now: datetime,
                 tag_codes: dict[int, str] | None = None):
        self.positions = positions
        self.tag_codes = tag_codes or {}
        self.labels = {key: (header[index].strip() or BY_KEY[key].names[0]) for key, index in positions.items()}
        self.tags = tags  # code, English and Hindi names (lower-cased) → tag id
        self.now = now
        self.this_year = clock.today().year
        self.today = clock.today()
        self._names: dict[str, tuple[str, str, str] | None] = {}
        self._dates: dict[str, date | None] = {}
        self.optional = [key for key in ("relative_name", "relation", "gender", "birth_year", "epic",
                                         "membership_no", "alt_mobile", "email", "address", "occupation",
                                         "education", "tags", "joined_on", "consent", "consent_for", "source")
                         if key in positions]

    def _name(self, raw: str):
        """(name, latin, key) of a name, cached; None when too long."""
        cached = self._names.get(raw)
        if cached is None and raw not in self._names:
            name, latin, key = name_forms(raw)
            cached = None if len(name) > NAME_MAX_LENGTH else (name, latin[:200], key[:200])
            if len(self._names) >= NAME_CACHE_MAX:
                self._names.clear()
            self._names[raw] = cached
        return cached

    def _date(self, raw: str):
        if raw in self._dates:
            return self._dates[raw]
        parsed = None
        text = raw.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", raw.strip()) else raw.strip()
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar date
                break
            except ValueError:
                continue
        self._dates[raw] = parsed
        return parsed

    def check(self, line: int, cells: list[str]) -> tuple[Row, list[str]]:
        """The checked row and every reason to reject it (none when it is good).

        With reasons, ``row.values`` holds what could be read (later checks may add reasons to the list).
        """
        positions = self.positions
        labels = self.labels
        errors: list[str] = []
        size = len(cells)

        def cell(key: str) -> str:
            index = positions[key]
            return cells[index].strip() if index < size else ""

        def fail(key: str, message) -> None:
            errors.append(f"{labels[key]}: {message}")

        values: dict = {}
        given: set[str] = set()
        raw_name = cell("name")
        if not raw_name:
            fail("name", _("Enter a name."))
        else:
            name = self._name(raw_name)
            if name is None:
                fail("name", _("A name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
            else:
                values["name"], values["name_latin"], values["name_key"] = name
        raw_mobile = cell("mobile")
        if not raw_mobile:
            fail("mobile", _("Enter a mobile number."))
        else:
            mobile, problem = mobile_or_error(raw_mobile)
            if problem:
                fail("mobile", problem)
            values["mobile"] = mobile
        unit_code = cell("unit_code")
        if not unit_code:
            fail("unit_code", _("Enter the unit code."))
        tag_ids: list[int] = []
        for key in self.optional:
            raw = cell(key)
            if not raw:
                continue
            given.add(key)
            if key == "relative_name":
                name = self._name(raw)
                if name is None:
                    fail(key, _("A name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
                else:
                    values["relative_name"], _latin, values["relative_name_key"] = name
            elif key == "relation":
                relation = RELATIONS.get(raw.lower())
                if relation is None:
                    fail(key, _("Unknown relation."))
                values["relation"] = relation
            elif key == "gender":
                gender = GENDERS.get(raw.lower())
                if gender is None:
                    fail(key, _("Unknown gender."))
                values["gender"] = gender
            elif key == "birth_year":
                try:
                    year = int(float(raw))
                except ValueError:
                    year = -1
                if not 1900 <= year <= self.this_year - 14:
                    fail(key, _("Enter a real year of birth."))
                values["birth_year"] = year
            elif key == "epic":
                epic = _SPACES_RE.sub("", raw).upper()
                if not EPIC_RE.match(epic):
                    fail(key, _("A voter ID has three letters and seven digits, e.g. ABC1234567."))
                values["epic"] = epic
            elif key == "membership_no":
                number = _SPACES_RE.sub("", raw).upper()
                if len(number) > MEMBERSHIP_NO_MAX_LENGTH or not MEMBERSHIP_NO_RE.match(number):
                    fail(key, _("A membership number has at most 20 letters, digits, '-' or '/'."))
                values["membership_no"] = number
            elif key == "alt_mobile":
                mobile, problem = mobile_or_error(raw)
                if problem:
                    fail(key, problem)
                values["alt_mobile"] = mobile
            elif key == "email":
                email = raw.lower()
                try:
                    validate_email(email)
                except ValidationError:
                    fail(key, _("Enter a valid email address."))
                values["email"] = email
            elif key == "address":
                if len(raw) > ADDRESS_MAX_LENGTH:
                    fail(key, _("The address can have at most %(max)d characters.") % {"max": ADDRESS_MAX_LENGTH})
                values["address"] = raw
            elif key in ("occupation", "education"):
                text = " ".join(raw.split())
                if len(text) > SHORT_TEXT_MAX_LENGTH:
                    fail(key, _("At most %(max)d characters.") % {"max": SHORT_TEXT_MAX_LENGTH})
                values[key] = text
            elif key == "tags":
                for part in _LIST_SPLIT_RE.split(raw):
                    if not part:
                        continue
                    tag_id = self.tags.get(part.lower())
                    if tag_id is None:
                        fail(key, _("Unknown tag: %(tag)s.") % {"tag": part})
                    elif tag_id not in tag_ids:
                        tag_ids.append(tag_id)
            elif key == "joined_on":
                joined = self._date(raw)
                if joined is None or not date(1950, 1, 1) <= joined <= self.today:
                    fail(key, _("Enter a real date of joining, not in the future."))
                values["joined_on"] = joined
            elif key == "consent":
                lowered = raw.lower()
                if lowered in CONSENT_NONE:
                    given.discard(key)
                    continue
                method = CONSENT_METHODS.get(lowered)
                if method is None:
                    fail(key, _("Unknown way of giving consent."))
                values["consent_method"] = method
                values["consent_at"] = self.now
            elif key == "consent_for":
                purposes = set()
                for part in _LIST_SPLIT_RE.split(raw):
                    if part:
                        purpose = PURPOSES.get(part.lower())
                        if purpose is None:
                            fail(key, _("Unknown purpose: %(purpose)s.") % {"purpose": part})
                        purposes.add(purpose)
                values["consent_purposes"] = [p for p in ConsentPurpose.values if p in purposes]
            elif key == "source":
                source = SOURCES.get(raw.lower())
                if source is None:
                    fail(key, _("Unknown source."))
                values["source"] = source
        if "consent_purposes" in values and "consent_method" not in values:
            fail("consent_for", _("Say how consent was given (the consent column)."))
        elif "consent_method" in values and "consent_purposes" not in values:
            values["consent_purposes"] = [ConsentPurpose.RECORDS.value]
        return Row(line, cells, values, given, tag_ids, unit_code), errors

    def label(self, key: str) -> str:
        return self.labels.get(key) or str(BY_KEY[key].names[0])
