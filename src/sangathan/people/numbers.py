"""Membership numbers (सदस्यता क्रमांक).

Imported numbers are kept as given (upper-cased, spaces removed): a district's old register has its own
numbering and people know their number. A record without one gets ``<STATE>-<ten digits><check digit>``:
the code of the root unit of the person's tree (``MP``), a hyphen, the record's id scrambled by a keyed
permutation, and a Luhn check digit (``MP-48213907561``).

* **Not sequential.** The ten digits are a six-round Feistel permutation of ``[0, 10¹⁰)`` whose round
  function is keyed BLAKE2b with the installation's secret (``NumberingKey``, made once by migration). Without
  the key, one number says nothing about the next: ids 41 and 42 give unrelated numbers, and with 20 million
  members fewer than one in 500 guesses is a number at all, so the rate-limited public cross-check cannot
  walk the register.
* **Unique by construction.** A permutation never maps two ids to one number, so no retry and no lookup is
  needed (the import's COPY path allots them in bulk); an imported number that happens to have the same
  shape is caught by the unique constraint like any other clash.
* **A check digit** (Luhn) catches a mistyped digit and most swapped neighbours before any lookup.
* **Existing numbers are unchanged**: records numbered ``MP-00012345`` (id padded to eight digits, before
  migration ``people.0011``) keep their number; the shapes differ in length, so old and new never clash.
"""

import hashlib
import re
import secrets

from django.db import connection
from django.utils.translation import gettext_lazy as _

from sangathan.core.digits import ascii_digits
from sangathan.core.errors import DomainError
from sangathan.core.tree import SEGMENT

MEMBERSHIP_NO_RE = re.compile(r"^[A-Z0-9][A-Z0-9/-]{0,19}$")
PREFIX_MAX = 8


def normalize_membership_no(raw) -> str:
    """Upper-cased number without spaces; empty when none given; DomainError when malformed."""
    text = re.sub(r"\s+", "", ascii_digits(str(raw or ""))).upper()
    if not text:
        return ""
    if not MEMBERSHIP_NO_RE.match(text):
        raise DomainError(_("A membership number has at most 20 letters, digits, '-' or '/'."),
                          code="invalid_membership_no", field="membership_no")
    return text


def membership_prefix(root_code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (root_code or "").upper())[:PREFIX_MAX] or "S"


NUMBER_DIGITS = 10
_HALF = 10 ** (NUMBER_DIGITS // 2)
_ROUNDS = 6
_key_cache: dict[str, bytes] = {}
_round_cache: dict[bytes, list] = {}


def numbering_key() -> bytes:
    """The installation's numbering secret (one row, read once per process)."""
    if "key" not in _key_cache:
        from sangathan.people.models import NumberingKey  # noqa: PLC0415 — importable before the app registry (migrations use this module)

        row = NumberingKey.objects.order_by("pk").first()
        if row is None:  # only a flushed test database lacks the migration's row
            row, _ = NumberingKey.objects.get_or_create(pk=1, defaults={"key": secrets.token_hex(32)})
        _key_cache["key"] = bytes.fromhex(row.key)
    return _key_cache["key"]


def _round_hashes(key: bytes) -> list:
    """The six rounds' keyed BLAKE2b states before any data, made once per key: copying a keyed state is
    several times cheaper than keying a new one (the importer numbers thousands of records a second)."""
    states = _round_cache.get(key)
    if states is None:
        states = [hashlib.blake2b(key=key, digest_size=8, salt=round_no.to_bytes(16, "big"))
                  for round_no in range(_ROUNDS)]
        _round_cache[key] = states
    return states


def scramble(number: int, key: bytes) -> int:
    """A keyed permutation of ``[0, 10¹⁰)``: a balanced Feistel network on two five-digit halves."""
    if not 0 <= number < _HALF * _HALF:
        raise ValueError(f"{number} is outside the numbering range")
    left, right = divmod(number, _HALF)
    for state in _round_hashes(key):
        digest = state.copy()
        digest.update(right.to_bytes(4, "big"))
        left, right = right, (left + int.from_bytes(digest.digest(), "big")) % _HALF
    return left * _HALF + right


def luhn_digit(digits: str) -> str:
    """The Luhn check digit to append to ``digits``."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def check_digit_valid(number: str) -> bool:
    """Whether the digits after the last hyphen of a generated-shape number end in their Luhn digit."""
    digits = number.rsplit("-", 1)[-1]
    return digits.isdigit() and len(digits) > 1 and luhn_digit(digits[:-1]) == digits[-1]


def membership_number(prefix: str, person_id: int, key: bytes | None = None) -> str:
    """The generated number of record ``person_id`` (see the module docstring)."""
    digits = f"{scramble(person_id, key or numbering_key()):0{NUMBER_DIGITS}d}"
    return f"{prefix}-{digits}{luhn_digit(digits)}"


class PrefixCache:
    """Root-unit prefixes by the first path segment, fetched once per root."""

    def __init__(self):
        self._by_root: dict[str, str] = {}

    def seed(self, root_path: str, code: str | None) -> None:
        """The root's code, read by the caller with its own units (no lookup of its own)."""
        self._by_root[root_path[:SEGMENT]] = membership_prefix(code or "")

    def for_path(self, unit_path: str) -> str:
        root = unit_path[:SEGMENT]
        if root not in self._by_root:
            from sangathan.org.models import Unit  # noqa: PLC0415 — org is below people; avoid import cycles

            code = Unit.objects.filter(path=root).values_list("code", flat=True).first() or ""
            self._by_root[root] = membership_prefix(code)
        return self._by_root[root]


def membership_backfill_sql() -> str:
    """One UPDATE giving every record without a number its generated one (used by the migration)."""
    if connection.vendor == "postgresql":
        number = "lpad(people_person.id::text, greatest(8, length(people_person.id::text)), '0')"
        prefix = "coalesce(nullif(left(regexp_replace(upper(r.code), '[^A-Z0-9]', '', 'g'), 8), ''), 'S')"
    else:
        number = ("CASE WHEN length(people_person.id) >= 8 THEN people_person.id "
                  "ELSE substr('00000000' || people_person.id, -8, 8) END")
        prefix = "coalesce(nullif(substr(upper(replace(replace(r.code, '-', ''), '_', '')), 1, 8), ''), 'S')"
    return (
        f"UPDATE people_person SET membership_no = {prefix} || '-' || {number} "  # noqa: S608
        f"FROM org_unit r WHERE r.path = substr(people_person.unit_path, 1, {SEGMENT}) "
        "AND people_person.membership_no = ''"
    )
