"""Checking one row of a people file and turning it into the values stored.

Every field is read by ``people.fields``, the same functions the services use (names, mobile numbers,
voter IDs, years, dates, emails …), so a value is accepted or refused alike on both paths. Names and
dates repeat a lot in a state's registry, so each distinct one is read once. A row is either wholly
valid or rejected with every reason at once.
"""

import pickle
from datetime import date, datetime

from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.people import fields
from sangathan.people.enums import ConsentPurpose
from sangathan.people.fields import CONSENT_NONE, LIST_SPLIT_RE, FieldError, fast_mobile
from sangathan.people.imports.columns import BY_KEY

NAME_CACHE_MAX = 200_000
_FAILED = object()

__all__ = ["KEYS", "Row", "RowChecker", "fast_mobile", "identifiers", "mobile_or_error"]


def mobile_or_error(raw: str) -> tuple[str, str]:
    """(E.164, "") or ("", message)."""
    try:
        return fields.mobile(raw), ""
    except FieldError as error:
        return "", str(error)


KEYS = ("mobile", "membership_no", "epic")  # what identifies a person in a file


def identifiers(values: dict) -> tuple[tuple[str, str], ...]:
    """The (key, value) pairs of ``KEYS`` that ``values`` gives."""
    return tuple([(key, values[key]) for key in KEYS if values.get(key)])


class Row:
    """A checked row: the cells as read, the values to store and the identifiers they give (``keys``).

    A row checked in a worker process carries its values pickled (``blob``), opened on first use: a new
    person needs only its identifiers, unit and COPY tail, so most rows of a big import are never opened
    (unpickling every row's values was a quarter of the importer's work)."""

    __slots__ = ("line", "cells", "_values", "blob", "tag_ids", "unit_code", "tail", "keys", "unit")

    def __init__(self, line, cells, values, tag_ids, unit_code, tail=None, keys=None, *, blob=None):
        self.line = line
        self.cells = cells
        self._values = values
        self.blob = blob
        self.tag_ids = tag_ids
        self.unit_code = unit_code
        self.tail = tail  # a good row's COPY text but the writer's columns (RowChecker.copy_tail)
        self.keys = identifiers(values) if keys is None else keys
        self.unit: tuple[int, str] | None = None  # (id, path), once resolved

    @property
    def values(self) -> dict:
        values = self._values
        if values is None:
            values = self._values = pickle.loads(self.blob)  # noqa: S301 — pickled by our own checking worker
            self.blob = None
            if self.unit is not None:
                values["unit_id"], values["unit_path"] = self.unit
        return values

    def set_unit(self, unit: tuple[int, str]) -> None:
        self.unit = unit
        if self._values is not None:
            self._values["unit_id"], self._values["unit_path"] = unit

    def unit_of(self) -> tuple[int, str]:
        """(unit id, unit path) of a good row."""
        return self.unit if self.unit is not None else (self.values["unit_id"], self.values["unit_path"])

    def ident(self, key: str) -> str | None:
        """The row's mobile, membership number or voter ID (one of ``KEYS``), if given."""
        for name, value in self.keys:
            if name == key:
                return value
        return None


class RowChecker:
    """Checks rows of one file; ``positions`` maps column keys to cell positions (``columns.map_header``)."""

    def __init__(self, *, positions: dict[str, int], header: list[str], tags: dict[str, int], now: datetime,
                 tag_codes: dict[int, str] | None = None, names: dict | None = None):
        self.positions = positions
        self.tag_codes = tag_codes or {}
        self.labels = {key: (header[index].strip() or BY_KEY[key].names[0]) for key, index in positions.items()}
        self.tags = tags  # code, English and Hindi names (lower-cased) → tag id
        self.now = now
        self.this_year = clock.today().year
        self.today = clock.today()
        # ``names``: a cache shared by many checkers (the sync's, one per request): it keeps only names read,
        # not refusals, whose messages are in the language of the request that met them.
        self._names: dict[str, tuple[str, str, str] | str] = {} if names is None else names
        self._keep_refusals = names is None
        self._dates: dict[str, date | str | None] = {}
        # Set by the writer (imports.apply) on PostgreSQL: values → the row's COPY text, built here, by the
        # checking process, for every good row (the writer only adds id, unit and number).
        self.copy_tail = None
        self.optional = [key for key in ("relative_name", "relation", "gender", "birth_year", "epic",
                                         "membership_no", "alt_mobile", "email", "address", "occupation",
                                         "education", "tags", "joined_on", "consent", "consent_for", "source")
                         if key in positions]

    def _name(self, raw: str):
        """(name, latin, key) of a name, cached; the FieldError's message when it cannot be stored."""
        cached = self._names.get(raw)
        if cached is None:
            try:
                cached = fields.person_name(raw)
            except FieldError as error:
                cached = str(error)
                if not self._keep_refusals:
                    return cached
            if len(self._names) >= NAME_CACHE_MAX:
                self._names.clear()
            self._names[raw] = cached
        return cached

    def _joined_on(self, raw: str):
        cached = self._dates.get(raw, _FAILED)
        if cached is _FAILED:
            try:
                cached = fields.joined_on(raw, today=self.today)
            except FieldError as error:
                cached = str(error)
            self._dates[raw] = cached
        return cached

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
        name = self._name(cell("name"))
        if isinstance(name, str):
            fail("name", name)
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
            if key == "relative_name":
                name = self._name(raw)
                if isinstance(name, str):
                    fail(key, name)
                else:
                    values["relative_name"], _latin, values["relative_name_key"] = name
            elif key == "joined_on":
                joined = self._joined_on(raw)
                if isinstance(joined, str):
                    fail(key, joined)
                    joined = None
                values["joined_on"] = joined
            elif key in _READERS:
                try:
                    values[_READERS[key][0]] = _READERS[key][1](raw, self)
                except FieldError as error:
                    fail(key, str(error))
                    values.setdefault(_READERS[key][0], None)
            elif key == "tags":
                for part in LIST_SPLIT_RE.split(raw):
                    if not part:
                        continue
                    tag_id = self.tags.get(part.lower())
                    if tag_id is None:
                        fail(key, _("Unknown tag: %(tag)s.") % {"tag": part})
                    elif tag_id not in tag_ids:
                        tag_ids.append(tag_id)
            elif key == "consent":
                if raw.lower() in CONSENT_NONE:
                    continue
                try:
                    values["consent_method"] = fields.consent_method(raw)
                except FieldError as error:
                    fail(key, str(error))
                    values["consent_method"] = None
                values["consent_at"] = self.now
        if "consent_purposes" in values and "consent_method" not in values:
            fail("consent_for", _("Say how consent was given (the consent column)."))
        elif "consent_method" in values and "consent_purposes" not in values:
            values["consent_purposes"] = [ConsentPurpose.RECORDS.value]
        tail = self.copy_tail(values) if self.copy_tail is not None and not errors else None
        return Row(line, cells, values, tag_ids, unit_code, tail), errors

    def label(self, key: str) -> str:
        return self.labels.get(key) or str(BY_KEY[key].names[0])


# Column key → (stored field, reader): the cells read by one function of ``people.fields`` each.
_READERS = {
    "relation": ("relation", lambda raw, checker: fields.relation(raw)),
    "gender": ("gender", lambda raw, checker: fields.gender(raw)),
    "birth_year": ("birth_year", lambda raw, checker: fields.birth_year(raw, this_year=checker.this_year)),
    "epic": ("epic", lambda raw, checker: fields.epic(raw)),
    "membership_no": ("membership_no", lambda raw, checker: fields.membership_no(raw)),
    "alt_mobile": ("alt_mobile", lambda raw, checker: fields.mobile(raw)),
    "email": ("email", lambda raw, checker: fields.email(raw)),
    "address": ("address", lambda raw, checker: fields.address(raw)),
    "occupation": ("occupation", lambda raw, checker: fields.short_text(raw)),
    "education": ("education", lambda raw, checker: fields.short_text(raw)),
    "consent_for": ("consent_purposes", lambda raw, checker: fields.consent_purposes(raw)),
    "source": ("source", lambda raw, checker: fields.source(raw)),
}
