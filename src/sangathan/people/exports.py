"""Export of a filtered, scoped list of people to CSV or XLSX, streamed so a district's lakhs of rows never
sit in memory.

The rows are those of ``selectors.person_list`` (same scope, filters and search as the list), read with
``.iterator(chunk_size=…)`` and their current posts fetched per chunk. The mobile column follows the
masking rule of ``people.privacy``. CSV is produced row by row into the response; XLSX is written by
openpyxl's write-only workbook to a temporary file, which is then streamed back and removed. Every
export writes an ``AuditLog.Action.EXPORT`` row (filters and row count) once the last row is out.
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.services import audit_log
from sangathan.core.cells import csv_writer, xlsx_append
from sangathan.core.errors import DomainError
from sangathan.core.exports import TemporaryFileStream
from sangathan.org.models import Position
from sangathan.people.privacy import mobile_for_reader

CHUNK = 2_000
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class ExportSpec:
    """What to export: the reader's scope and the list's filters (as ``person_list`` takes them)."""

    scope: object
    filters: dict  # unit, q, status, post, wing, tag, verified
    fmt: str = "csv"

    def describe(self) -> dict:
        """The filters as the audit log records them (codes, not objects)."""
        out = {}
        for name, value in self.filters.items():
            if value in (None, ""):
                continue
            out[name] = getattr(value, "code", value)
        return out


def columns() -> list[str]:
    return [_("Id"), _("Name"), _("Name (Latin)"), _("Father's or husband's name"), _("Relation"), _("Gender"),
            _("Year of birth"), _("Mobile number"), _("Voter ID (EPIC)"), _("Membership number"), _("Unit code"),
            _("Unit"), _("Status"), _("Current posts")]


def _queryset(spec: ExportSpec):
    from sangathan.people.selectors import person_list

    today = timezone.localdate()
    current = Position.objects.current(today).select_related("post", "wing", "unit", "overlay")
    return person_list(scope=spec.scope, **spec.filters).prefetch_related(
        Prefetch("positions", queryset=current, to_attr="current_positions"))


def _post_text(position) -> str:
    place = position.unit or position.overlay
    wing = f" · {position.wing.label}" if position.wing_id else ""
    return f"{position.post.label}{wing} ({place.name})" if place is not None else position.post.label


def export_rows(spec: ExportSpec) -> Iterator[list]:
    """The header, then one list of cell values per person."""
    yield columns()
    for person in _queryset(spec).iterator(chunk_size=CHUNK):
        yield [
            person.pk, person.name, person.name_latin, person.relative_name, person.get_relation_display(),
            person.get_gender_display(), person.birth_year or "", mobile_for_reader(scope=spec.scope, person=person),
            person.epic, person.membership_no, person.unit.code, person.unit.name, person.get_status_display(),
            "; ".join(_post_text(position) for position in person.current_positions),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audited(rows: Iterable[list], *, spec: ExportSpec, on_done: Callable[[int], None] | None = None) -> Iterator[list]:
    """``rows`` passed through; when the last one is out, the audit row (filters, row count), written with
    the actor, channel and address of the spec's scope."""
    count = -1  # the header is not a person
    for row in rows:
        count += 1
        yield row
    audit_log(scope=spec.scope, action=AuditLog.Action.EXPORT,
              detail={"what": "people", "format": spec.fmt, "filters": spec.describe(), "rows": max(count, 0)})
    if on_done is not None:
        on_done(max(count, 0))


def csv_chunks(spec: ExportSpec) -> Iterator[str]:
    """The CSV, a line at a time (UTF-8 with a byte-order mark, so Excel shows Hindi correctly)."""
    writer = csv_writer(_Echo())
    yield "\ufeff"
    for row in _audited(export_rows(spec), spec=spec):
        yield writer.writerow(row)


def xlsx_file(spec: ExportSpec, *, on_done: Callable[[int], None] | None = None) -> str:
    """Write the XLSX to a temporary file (openpyxl write-only: rows go to disk as they come) and return its
    path; the caller streams it and deletes it."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Workers"))[:31])
    for row in _audited(export_rows(spec), spec=spec, on_done=on_done):
        xlsx_append(sheet, row)
    handle, path = tempfile.mkstemp(prefix="sangathan-export-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
    except BaseException:
        os.unlink(path)
        raise
    return path


def filename(spec: ExportSpec) -> str:
    unit = spec.filters.get("unit")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"workers-{getattr(unit, 'code', 'all')}-{stamp}.{spec.fmt}"


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DomainError(_("Choose CSV or XLSX."), field="format")
    return fmt


def export_response(spec: ExportSpec):
    """An HTTP response streaming the export: CSV as it is produced, XLSX from its temporary file."""
    from django.http import StreamingHttpResponse

    check_format(spec.fmt)
    if spec.fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(spec),
                                         content_type=CONTENT_TYPES["csv"])
    else:
        path = xlsx_file(spec)
        response = StreamingHttpResponse(TemporaryFileStream(path), content_type=CONTENT_TYPES["xlsx"])
        response["Content-Length"] = str(os.path.getsize(path))
    response["Content-Disposition"] = f'attachment; filename="{filename(spec)}"'
    response["Cache-Control"] = "no-store"
    return response


def export_to_file(spec: ExportSpec, *, out: str) -> int:
    """Write the export to ``out`` (the CLI); returns the number of people written."""
    check_format(spec.fmt)
    written = []
    if spec.fmt == "csv":
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.write("\ufeff")
            writer = csv_writer(handle)
            for row in _audited(export_rows(spec), spec=spec, on_done=written.append):
                writer.writerow(row)
        return written[0]
    path = xlsx_file(spec, on_done=written.append)
    shutil.move(path, out)
    return written[0]
