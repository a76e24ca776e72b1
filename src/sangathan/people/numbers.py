"""Membership numbers (सदस्यता क्रमांक).

Imported numbers are kept as given (upper-cased, spaces removed): a district's old register has its own
numbering and people know their number. A record without one gets ``<STATE>-<id>``: the code of the root
unit of the person's tree (``MP``), a hyphen and the record's id padded to eight digits
(``MP-00012345``). Ids never repeat, so generated numbers never do; an imported number that happens to
have the same shape is caught by the unique constraint like any other clash.
"""

import re

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


def membership_number(prefix: str, person_id: int) -> str:
    return f"{prefix}-{person_id:08d}"


class PrefixCache:
    """Root-unit prefixes by the first path segment, fetched once per root."""

    def __init__(self):
        self._by_root: dict[str, str] = {}

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
