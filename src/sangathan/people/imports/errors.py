"""The error file of an import: every rejected row with its line number, its reasons and its cells."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from sangathan.core.cells import csv_writer
from sangathan.people.imports.columns import header_labels
from sangathan.people.models import ImportJob, ImportRowError

ROWS_SHOWN = 50


class _Echo:
    def write(self, value):
        return value


def error_header(job: ImportJob) -> list[str]:
    return [str(_("line")), str(_("reason")), *job.header]


def error_lines(job: ImportJob) -> Iterator[str]:
    """CSV text, a line at a time (for a streamed download): header, then one line per rejected row."""
    writer = csv_writer(_Echo())
    yield "\ufeff" + writer.writerow(error_header(job))  # the BOM makes Excel read UTF-8
    rows = ImportRowError.objects.filter(job=job).order_by("line").values_list("line", "reasons", "values")
    for line, reasons, values in rows.iterator(chunk_size=2000):
        yield writer.writerow([line, "; ".join(reasons), *values])


def write_error_file(job: ImportJob, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for text in error_lines(job):
            handle.write(text)


def error_rows(job: ImportJob, *, limit: int = ROWS_SHOWN) -> list[dict]:
    """The first ``limit`` rejected rows for the job's page: line, reasons, and each non-empty cell with
    its column's label (Hindi on a Hindi page)."""
    labels = header_labels(job.header)
    rows = ImportRowError.objects.filter(job=job).order_by("line").values_list("line", "reasons", "values")[:limit]
    return [{"line": line, "reasons": reasons,
             "cells": [(labels[index] if index < len(labels) else "", value)
                       for index, value in enumerate(values) if str(value).strip()]}
            for line, reasons, values in rows]
