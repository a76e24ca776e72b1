"""Checking one synced record as the import checks a row (``people.imports.rows.RowChecker``: the same
field readers, every reason at once), plus what only a drive asks: consent, its extra questions, the
capture time and the capture code. Answers field-level errors keyed by the record's own field names."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.people.imports.rows import RowChecker

FUTURE_SLACK = timedelta(minutes=10)  # a phone's clock a little ahead is no reason to refuse a record
# Names read by this process's syncs (a name's forms depend on nothing else): a state's names repeat a lot.
NAMES: dict = {}


def row_checker(drive) -> tuple[RowChecker, list[str]]:
    """A checker whose columns are the drive's form fields; its messages start with the field's key."""
    keys = ["name", "mobile", "unit_code", *drive.person_fields]
    checker = RowChecker(positions={key: index for index, key in enumerate(keys)}, header=keys, tags={},
                         now=clock.now(), names=NAMES)
    return checker, keys


def check_fields(checker: RowChecker, keys: list[str], fields: dict, booth_code: str) -> tuple[dict, dict]:
    """(values, errors) of the person fields: ``errors`` is {field: [messages]}."""
    cells = [booth_code if key == "unit_code" else str(fields.get(key) or "") for key in keys]
    row, problems = checker.check(0, cells)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        key, _sep, message = problem.partition(": ")
        errors.setdefault(key, []).append(message)
    unknown = set(fields) - set(keys)
    for key in sorted(unknown):
        errors.setdefault(key, []).append(_("This drive's form does not ask this."))
    return row.values, errors


def check_answers(drive, answers: dict, errors: dict) -> dict:
    """The extra questions' answers, typed; every missing required or malformed one in ``errors``."""
    clean = {}
    for question in drive.questions:
        code = question["code"]
        raw = answers.get(code)
        field = f"answers.{code}"
        if raw in (None, ""):
            if question.get("required"):
                errors.setdefault(field, []).append(_("Answer this question."))
            continue
        kind = question.get("kind", "text")
        if kind == "number":
            try:
                clean[code] = int(str(raw).strip())
            except ValueError:
                errors.setdefault(field, []).append(_("Give a whole number."))
        elif kind == "yes_no":
            if not isinstance(raw, bool):
                errors.setdefault(field, []).append(_("Answer yes or no."))
            else:
                clean[code] = raw
        else:
            text = str(raw).strip()
            if len(text) > 500:
                errors.setdefault(field, []).append(_("Keep the answer under 500 characters."))
            clean[code] = text[:500]
    for code in sorted(set(answers) - {q["code"] for q in drive.questions}):
        errors.setdefault(f"answers.{code}", []).append(_("This drive's form does not ask this."))
    return clean


def check_capture_time(drive, captured_at: datetime, errors: dict) -> None:
    now = clock.now()
    if captured_at > now + FUTURE_SLACK:
        errors.setdefault("captured_at", []).append(_("The capture time is in the future: check the phone's clock."))
    elif captured_at.date() < drive.starts_on - timedelta(days=1):
        errors.setdefault("captured_at", []).append(_("Captured before the drive began."))
