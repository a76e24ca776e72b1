"""The importer's COPY text (``imports.copytext``): values that need escaping are escaped and read back as
written, those that need none are passed through, and a new person's tail is what the general path makes."""

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from sangathan.people.enums import ConsentMethod, PersonSource, PersonStatus, RelationKind
from sangathan.people.imports.copytext import (
    TAIL_COLUMNS,
    copy_line,
    copy_rows,
    copy_value,
    person_copy_tail,
    suffixed,
)

AWKWARD = ["plain", "tab\there", "new\nline", "back\\slash", "cr\rhere", "\\N", "राम \t कुमार\\", ""]


def test_copy_value_escapes_only_what_copy_reads_specially():
    assert copy_value(None) == "\\N"
    assert copy_value("plain") == "plain"
    assert copy_value("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert copy_value("\\N") == "\\\\N"  # a text that looks like NULL stays text
    assert copy_value(1987) == "1987"
    assert copy_value(date(2026, 1, 20)) == "2026-01-20"
    assert copy_value(PersonStatus.ACTIVE) == PersonStatus.ACTIVE.value  # a choice (a str subclass)
    assert copy_line(("a\tb", None, 7)) == "a\\tb\t\\N\t7\n"


@pytest.mark.django_db(transaction=True)
def test_awkward_values_read_back_as_written():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copytext_probe (n integer, t text, at date)")
        try:
            copy_rows("copytext_probe", ("n", "t", "at"),
                      [(index, text, date(2026, 1, index + 1)) for index, text in enumerate(AWKWARD)] + [(99, None, None)])
            cursor.execute("SELECT n, t FROM copytext_probe ORDER BY n")
            assert cursor.fetchall() == [*enumerate(AWKWARD), (99, None)]
        finally:
            cursor.execute("DROP TABLE copytext_probe")


def reference_tail(values: dict, *, created: str, now: str) -> str:
    """The tail as built before its fast path: every column through ``str.translate``."""
    get = values.get
    escapes = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
    columns = (created, now, get("name"), get("name_latin"), get("name_key"), get("relative_name", ""),
               get("relative_name_key", ""), get("relation") or RelationKind.FATHER.value, get("gender", ""),
               get("birth_year"), get("mobile"), get("epic", ""), PersonStatus.ACTIVE.value, "",
               get("alt_mobile", ""), get("email", ""), get("address", ""), get("occupation", ""),
               get("education", ""), "{}", get("joined_on"), get("source") or PersonSource.IMPORT.value,
               get("consent_at"), get("consent_method", ""), json.dumps(get("consent_purposes") or []), None, "")
    return "\t".join("\\N" if value is None else str(value).translate(escapes) for value in columns)


@pytest.mark.parametrize("values", [
    {"name": "राम कुमार", "name_latin": "ram kumar", "name_key": "RMKMR", "mobile": "+919812345678"},
    {"name": "सीता", "name_latin": "sita", "name_key": "ST", "mobile": "+919812345679", "relative_name": "राम",
     "relative_name_key": "RM", "relation": "husband", "gender": "f", "birth_year": 1970, "epic": "ABC1234567",
     "alt_mobile": "+919812345670", "email": "a@b.in", "address": "गली 4\nवार्ड\t7 \\ पीछे", "occupation": "किसान",
     "education": "", "joined_on": date(2020, 5, 1), "source": "drive", "consent_at": datetime(2026, 1, 1, tzinfo=UTC),
     "consent_method": ConsentMethod.FORM, "consent_purposes": ["records", "messages"]},
    {"name": "x", "name_latin": "x", "name_key": "X", "mobile": "+919812345600", "consent_purposes": []},
])
def test_person_tail_matches_the_general_path(values):
    made = person_copy_tail(values, created="2026-12-07 01:00:00+00:00", now="2026-12-07 01:00:01+00:00")
    assert made == reference_tail(values, created="2026-12-07 01:00:00+00:00", now="2026-12-07 01:00:01+00:00")
    assert len(made.split("\t")) == len(TAIL_COLUMNS)


def test_taken_membership_numbers_are_suffixed_in_the_copy_bytes():
    lines = ["1\t5\t001\tGEN-1\tराम\t\\N\n", "2\t5\t001\tTAKEN-1\tसीता\\tदेवी\tGEN-1\n", "3\t5\t001\tGEN-3\tx\n"]
    data = "".join(lines).encode()
    assert suffixed(data, {"TAKEN-1", "GEN-3"}).decode().splitlines() == [
        "1\t5\t001\tGEN-1\tराम\t\\N", "2\t5\t001\tTAKEN-1/2\tसीता\\tदेवी\tGEN-1", "3\t5\t001\tGEN-3/2\tx"]
    assert suffixed(data, set()) == data
