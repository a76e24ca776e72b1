"""The services and the importer read a person's fields the same way (``people.fields``): the same value
typed in a form or the API and in a sheet's cell is stored alike, or refused with the same message."""

from datetime import datetime

import pytest
from django.utils import timezone

from sangathan.core.errors import DomainError
from sangathan.people.imports.rows import RowChecker
from sangathan.people.models import NAME_MAX_LENGTH
from sangathan.people.services import clean_fields

# Service field → (import column, the stored fields compared).
FIELDS = {
    "name": ("name", ("name", "name_latin", "name_key")),
    "relative_name": ("relative_name", ("relative_name", "relative_name_key")),
    "mobile": ("mobile", ("mobile",)),
    "alt_mobile": ("alt_mobile", ("alt_mobile",)),
    "gender": ("gender", ("gender",)),
    "relation": ("relation", ("relation",)),
    "birth_year": ("birth_year", ("birth_year",)),
    "epic": ("epic", ("epic",)),
    "membership_no": ("membership_no", ("membership_no",)),
    "email": ("email", ("email",)),
    "address": ("address", ("address",)),
    "occupation": ("occupation", ("occupation",)),
    "education": ("education", ("education",)),
    "joined_on": ("joined_on", ("joined_on",)),
    "source": ("source", ("source",)),
    "consent_purposes": ("consent_for", ("consent_purposes",)),
}
year = timezone.localdate().year
VALUES = {
    "name": ["  राम   खंडेलवाल ", "Ram Khandelwal", "x" * (NAME_MAX_LENGTH + 1), "\u200b\u200d", "\u202eRam",
             "Ra\x07m", "\ufeffराम"],
    "relative_name": ["श्याम लाल", "y" * (NAME_MAX_LENGTH + 1), "\u200b", "\u202e"],
    "mobile": ["98260 12345", "+91-98260-12345", "09826012345", "(+91) 98260-12345", "12345", "98260ABCDE",
               "+1 415 555 0100", "5555512345"],
    "alt_mobile": ["9826012399", "123"],
    "gender": ["m", "F", "महिला", "other", "x"],
    "relation": ["father", "पति", "h", "Mother", "uncle"],
    "birth_year": ["1975", "1975.0", " 1980 ", "1975.5", "abc", "1850", str(year), str(year - 14), "nan"],
    "epic": ["abc 1234567", "MP/12/345/123456", "AB123"],
    "membership_no": ["mp-123", "x" * 21, "a b/1", "-12"],
    "email": ["A@B.IN", "not-an-email"],
    "address": ["  Main road  ", "x" * 501],
    "occupation": ["  farmer   and  teacher ", "x" * 101],
    "education": ["स्नातक", "y" * 101],
    "joined_on": ["2020-05-17", "17-05-2020", "17/05/2020", "17.05.2020", "2020/05/17", "2020-05-17 10:00:00",
                  "2099-01-01", "1949-12-31", "not a date", "31/02/2020"],
    "source": ["import", "field drive", "आयात", "manual", "alien"],
    "consent_purposes": ["records; messages", "संदेश", "records, spam", "events|records"],
}


def through_services(field: str, raw) -> tuple[dict | None, str | None]:
    try:
        out = clean_fields({field: raw})
    except DomainError as error:
        return None, error.errors[field][0]
    return {name: out[name] for name in FIELDS[field][1]}, None


def through_importer(field: str, raw) -> tuple[dict | None, str | None]:
    column, stored = FIELDS[field]
    header = ["name", "mobile", "unit code", "consent", column]
    positions = {"name": 0, "mobile": 1, "unit_code": 2, "consent": 3}
    cells = ["राम", "9826012345", "B1", "form", raw]
    if column in positions:  # the field under test is itself a required column
        header, cells = header[:4], cells[:4]
        cells[positions[column]] = raw
    else:
        positions[column] = 4
    checker = RowChecker(positions=positions, header=header, tags={}, now=datetime.now(tz=timezone.get_current_timezone()))
    row, errors = checker.check(2, cells)
    label = header[positions[column]]
    mine = [error.removeprefix(f"{label}: ") for error in errors if error.startswith(f"{label}: ")]
    if mine:
        return None, mine[0]
    return {name: row.values[name] for name in stored}, None


@pytest.mark.parametrize(("field", "raw"), [(field, raw) for field, values in VALUES.items() for raw in values])
def test_services_and_importer_agree(db, field, raw):
    assert through_services(field, raw) == through_importer(field, raw)


def test_the_values_cover_both_outcomes():
    """Every field is tried with a value it accepts and one it refuses (so the parity means something)."""
    for field, values in VALUES.items():
        outcomes = {through_services(field, raw)[1] is None for raw in values}
        assert outcomes == {True, False}, field
