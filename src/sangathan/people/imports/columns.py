"""The columns of a people file, by their English or Hindi names.

A header cell is matched after folding case, spaces, underscores, dots and hyphens, so ``Mobile No.``,
``mobile_no`` and ``MOBILE NO`` are one column. Every column and its accepted names is listed in
README.md ("Importing people"); the template files (``/people/import/template.csv`` / ``.xlsx``) carry
the first English name of each.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    names: tuple[str, ...]      # English names first (the template uses names[0]), then Hindi
    required: bool = False
    help: str = ""
    example: str = ""


COLUMNS = (
    Column("name", ("name", "full name", "नाम", "पूरा नाम"), True, _("Full name in Hindi or English."),
           "रामेश्वर खंडेलवाल"),
    Column("mobile", ("mobile", "mobile no", "mobile number", "phone", "phone number", "मोबाइल", "मोबाइल नंबर", "मोबाइल नं"), True,
           _("Any common Indian way: +91 98260 12345, 098260-12345, 9826012345."), "98260 12345"),
    Column("unit_code", ("unit code", "unit", "booth code", "इकाई कोड", "इकाई", "बूथ कोड"), True,
           _("Code of the unit (usually the booth) the person belongs to."), "D1A1B1"),
    Column("relative_name", ("relative name", "father or husband name", "father name", "husband name",
                             "पिता पति का नाम", "पिता का नाम", "पति का नाम"), False,
           _("Father's or husband's name."), "गोपाल खंडेलवाल"),
    Column("relation", ("relation", "संबंध", "रिश्ता"), False,
           _("father, husband or mother (पिता, पति, माता); father when empty."), "father"),
    Column("gender", ("gender", "sex", "लिंग"), False, _("m / f / o, male / female / other, पुरुष / महिला / अन्य."),
           "m"),
    Column("birth_year", ("birth year", "year of birth", "जन्म वर्ष"), False, _("Four digits, e.g. 1975."),
           "1975"),
    Column("epic", ("epic", "epic no", "voter id", "मतदाता पहचान पत्र", "वोटर आईडी", "ईपिक"), False,
           _("Voter ID: three letters and seven digits."), "ABC1234567"),
    Column("membership_no", ("membership no", "membership number", "सदस्यता क्रमांक", "सदस्यता संख्या"), False,
           _("Kept as given; generated when empty."), ""),
    Column("alt_mobile", ("alternate mobile", "alt mobile", "other mobile", "दूसरा मोबाइल", "वैकल्पिक मोबाइल"),
           False, _("A second mobile number."), ""),
    Column("email", ("email", "e mail", "ईमेल"), False, "", ""),
    Column("address", ("address", "पता"), False, "", "वार्ड 4, सीहोर"),
    Column("occupation", ("occupation", "profession", "व्यवसाय", "पेशा"), False, "", "किसान"),
    Column("education", ("education", "qualification", "शिक्षा", "योग्यता"), False, "", "स्नातक"),
    Column("tags", ("skills", "tags", "interests", "कौशल", "रुचियाँ", "कौशल रुचियाँ"), False,
           _("Tag codes or names, separated by ; or ,"), "computer; social_media"),
    Column("joined_on", ("joined on", "joining date", "जुड़ने की तारीख", "सदस्यता तिथि"), False,
           _("2019-04-01 or 01-04-2019 (day first)."), "2019-04-01"),
    Column("consent", ("consent", "सहमति"), False,
           _("How consent was given: form, sms, verbal, app (फ़ॉर्म, एसएमएस, मौखिक, ऐप)."), "form"),
    Column("consent_for", ("consent for", "सहमति किस लिए"), False,
           _("records, messages, events, separated by ; or , (records only when consent is given and this is "
             "empty)."), "records; messages"),
    Column("source", ("source", "स्रोत"), False, _("import (default), field_drive, self or manual."), ""),
)
# What each column is called on the pages (the error list of an import), in the reader's language.
LABELS = {
    "name": _("Name"), "mobile": _("Mobile"), "unit_code": _("Unit code"),
    "relative_name": _("Father's or husband's name"), "relation": _("Relation"), "gender": _("Gender"),
    "birth_year": _("Year of birth"), "epic": _("Voter ID (EPIC)"), "membership_no": _("Membership no."),
    "alt_mobile": _("Alternate mobile"), "email": _("Email"), "address": _("Address"),
    "occupation": _("Occupation"), "education": _("Education"), "tags": _("Skills and interests"),
    "joined_on": _("Joined on"), "consent": _("Consent"), "consent_for": _("Consent for"), "source": _("Source"),
}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
BY_KEY = {column.key: column for column in COLUMNS}

_FOLD_RE = re.compile(r"[\s_.\-/'’()]+")


def fold(header: str) -> str:
    return _FOLD_RE.sub(" ", str(header or "").strip().lower().replace("\ufeff", "")).strip()


_BY_NAME = {fold(name): column.key for column in COLUMNS for name in column.names}


@dataclass
class HeaderProblem:
    unknown: list[str]
    missing: list[str]
    repeated: list[str]

    def __bool__(self):
        return bool(self.unknown or self.missing or self.repeated)

    def message(self) -> str:
        parts = []
        if self.missing:
            parts.append(str(_("Missing columns: %(names)s.")) % {"names": ", ".join(self.missing)})
        if self.unknown:
            parts.append(str(_("Unknown columns: %(names)s.")) % {"names": ", ".join(self.unknown)})
        if self.repeated:
            parts.append(str(_("Columns given twice: %(names)s.")) % {"names": ", ".join(self.repeated)})
        parts.append(str(_("See the template for the column names.")))
        return " ".join(parts)


def map_header(cells: list) -> tuple[dict[str, int], HeaderProblem]:
    """Column key → position in the row, and what is wrong with the header (empty cells are ignored)."""
    positions: dict[str, int] = {}
    unknown, repeated = [], []
    for index, cell in enumerate(cells):
        text = fold(cell)
        if not text:
            continue
        key = _BY_NAME.get(text)
        if key is None:
            unknown.append(str(cell).strip())
        elif key in positions:
            repeated.append(str(cell).strip())
        else:
            positions[key] = index
    missing = [BY_KEY[key].names[0] for key in REQUIRED if key not in positions]
    return positions, HeaderProblem(unknown, missing, repeated)


def template_header(*, hindi: bool = False) -> list[str]:
    """The template's first row: each column's first English (or Hindi) name."""
    header = []
    for column in COLUMNS:
        names = [name for name in column.names if _is_hindi(name)] if hindi else []
        header.append(names[0] if names else column.names[0])
    return header


def template_example() -> list[str]:
    return [column.example for column in COLUMNS]


def _is_hindi(text: str) -> bool:
    return any("\u0900" <= char <= "\u097f" for char in text)


def header_labels(header: list) -> list[str]:
    """Each header cell of a file as the page names it: a known column by its label in the active language,
    any other cell as it was written."""
    return [str(LABELS[_BY_NAME[fold(cell)]]) if fold(cell) in _BY_NAME else str(cell or "").strip()
            for cell in header]
