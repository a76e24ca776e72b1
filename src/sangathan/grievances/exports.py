"""The grievance register as Excel or PDF (``core.exports``): the register's own queryset, read from the
database in chunks, so ten thousand grievances never sit in memory at once (docs/PERFORMANCE.md)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.exports import Sheet
from sangathan.grievances.register import with_assignees

CHUNK = 2_000


def _when(value) -> str:
    return f"{timezone.localtime(value):%d.%m.%Y %H:%M}" if value else ""


def header(*, with_mobile: bool) -> list[str]:
    columns = [_("Tracking code"), _("Taken on"), _("Subject"), _("Complainant")]
    if with_mobile:
        columns.append(_("Mobile number"))
    return columns + [_("Unit"), _("District"), _("Category"), _("Level"), _("Status"), _("Department"),
                      _("Assigned to"), _("Due by"), _("Overdue")]


def rows(grievances, *, with_mobile: bool) -> Iterator[list]:
    """One list of cells per grievance of ``grievances`` (the register's queryset, already scoped)."""
    now = clock.now()
    for g in with_assignees(grievances).iterator(chunk_size=CHUNK):
        row = [g.tracking_code, _when(g.created_at), g.subject, g.complainant_name]
        if with_mobile:
            row.append(g.complainant_mobile)
        row += [g.unit.name, g.district.name, g.get_kind_display(), g.get_level_display(), g.get_status_display(),
                g.department.name if g.department_id else "",
                ", ".join(a.person.name for a in g.active_assignees), _when(g.due_at),
                _("Yes") if g.due_at is not None and g.due_at < now and g.status == "open" else ""]
        yield row


def register_sheet(grievances, *, fmt: str) -> Sheet:
    """The register as one sheet; the printed PDF leaves out the complainants' mobile numbers."""
    with_mobile = fmt != "pdf"
    widths = None if with_mobile else [9, 9, 22, 11, 11, 9, 8, 6, 10, 9, 11, 9, 5]
    return Sheet(title=_("Grievance register"), header=header(with_mobile=with_mobile),
                 rows=rows(grievances, with_mobile=with_mobile), widths=widths)
