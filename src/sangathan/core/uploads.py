"""Checks for uploaded files (photos, attachments, evidence): the real type by its first bytes, and size.

A file's name and the browser's content type are what the sender claims; the first bytes are what it is.
Only the kinds a caller allows pass, and nothing over ``max_bytes`` is read into memory or stored.
"""

import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError

# kind → (magic prefix, offset, extension, content type)
_SIGNATURES = {
    "jpeg": (b"\xff\xd8\xff", 0, "jpg", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", 0, "png", "image/png"),
    "webp": (b"WEBP", 8, "webp", "image/webp"),
    "pdf": (b"%PDF-", 0, "pdf", "application/pdf"),
    "xlsx": (b"PK\x03\x04", 0, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # old Office files: .xls, .doc, .ppt
SNIFF_BYTES = 4096
IMAGE_KINDS = ("jpeg", "png", "webp")
DOCUMENT_KINDS = (*IMAGE_KINDS, "pdf")


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    extension: str
    content_type: str
    size: int


def detect_kind(head: bytes) -> str | None:
    for kind, (magic, offset, _ext, _type) in _SIGNATURES.items():
        if head[offset:offset + len(magic)] == magic and (kind != "webp" or head[:4] == b"RIFF"):
            return kind
    return None


def check_upload(upload, *, kinds=DOCUMENT_KINDS, max_bytes: int, field: str = "file") -> CheckedUpload:
    """The checked type of ``upload`` (a Django UploadedFile or any binary file object), or DomainError.

    The file is left positioned at its start, ready to be stored.
    """
    if upload is None:
        raise DomainError(_("Choose a file."), code="required", field=field)
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise DomainError(_("The file is empty."), code="empty_file", field=field)
    if size > max_bytes:
        raise DomainError(_("The file is too large (at most %(max)s MB).") % {"max": _megabytes(max_bytes)},
                          code="file_too_large", field=field)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = detect_kind(head)
    if kind not in kinds:
        allowed = ", ".join(_SIGNATURES[k][2].upper() for k in kinds)
        raise DomainError(_("This type of file is not accepted. Accepted: %(kinds)s.") % {"kinds": allowed},
                          code="file_type", field=field)
    _magic, _offset, extension, content_type = _SIGNATURES[kind]
    return CheckedUpload(kind=kind, extension=extension, content_type=content_type, size=size)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def check_sheet_upload(upload, *, max_bytes: int, field: str = "file") -> CheckedUpload:
    """A CSV or XLSX sheet (kind ``csv`` / ``xlsx``), or DomainError saying in an office worker's words what
    the file is instead (a PDF, a Word document, a photo, an old .xls …) and what to upload.

    An XLSX is a zip holding a workbook; a Word or PowerPoint file is a zip too, so the zip's contents
    decide. A CSV is text: no NUL byte in its first bytes unless it is UTF-16 with its byte-order mark.
    """
    if upload is None:
        raise DomainError(_("Choose a file."), code="required", field=field)
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise DomainError(_("The file is empty."), code="empty_file", field=field)
    if size > max_bytes:
        raise DomainError(_("The file is too large (at most %(max)s MB).") % {"max": _megabytes(max_bytes)},
                          code="file_too_large", field=field)
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = _sheet_kind(upload, head)
    upload.seek(0)
    if kind not in ("csv", "xlsx"):
        raise DomainError(_not_a_sheet(kind), code="file_type", field=field)
    content_type = "text/csv" if kind == "csv" else _SIGNATURES["xlsx"][3]
    return CheckedUpload(kind=kind, extension=kind, content_type=content_type, size=size)


def _sheet_kind(upload, head: bytes) -> str:
    kind = detect_kind(head)
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        for prefix, found in (("xl/", "xlsx"), ("word/", "docx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                return found
        return "ods" if "content.xml" in names else "zip"
    if kind is not None:
        return kind
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "csv"


def _not_a_sheet(kind: str) -> str:
    how = _("Save the list from Excel as “Excel Workbook (.xlsx)” or “CSV UTF-8 (.csv)” and upload that file.")
    what = {
        "pdf": _("This is a PDF file; a list of people cannot be read from a PDF."),
        "docx": _("This is a Word document, not a sheet. Copy its table into Excel first."),
        "pptx": _("This is a PowerPoint file, not a sheet."),
        "jpeg": _("This is a photo, not a sheet; a list cannot be read from a photo."),
        "png": _("This is a picture, not a sheet; a list cannot be read from a picture."),
        "webp": _("This is a picture, not a sheet; a list cannot be read from a picture."),
        "ole2": _("This is an old Excel (.xls) or Word (.doc) file. Open it in Excel and save it again."),
        "ods": _("This is a LibreOffice sheet (.ods). Open it and save it again."),
    }.get(kind, _("This file is not a CSV or Excel (XLSX) sheet."))
    return f"{what} {how}"
