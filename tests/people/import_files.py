"""Building people files for the import tests: CSV and XLSX, Hindi or English headers."""

import csv
from pathlib import Path

from openpyxl import Workbook

ENGLISH = ["name", "mobile", "unit code", "relative name", "relation", "gender", "birth year", "epic",
           "membership no", "alternate mobile", "email", "address", "occupation", "education", "skills",
           "joined on", "consent", "consent for", "source"]
HINDI = ["नाम", "मोबाइल", "इकाई कोड", "पिता का नाम", "संबंध", "लिंग", "जन्म वर्ष", "मतदाता पहचान पत्र",
         "सदस्यता क्रमांक", "दूसरा मोबाइल", "ईमेल", "पता", "व्यवसाय", "शिक्षा", "कौशल", "जुड़ने की तारीख",
         "सहमति", "सहमति किस लिए", "स्रोत"]
KEYS = ["name", "mobile", "unit", "relative_name", "relation", "gender", "birth_year", "epic", "membership_no",
        "alt_mobile", "email", "address", "occupation", "education", "tags", "joined_on", "consent",
        "consent_for", "source"]


def person_row(**values) -> list:
    return [values.get(key, "") for key in KEYS]


def write_csv(path: Path, rows: list[list], *, header=ENGLISH) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], *, header=HINDI) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def mobile(n: int) -> str:
    """A valid Indian mobile number, different for each n < 10⁸."""
    return f"97{n:08d}"
