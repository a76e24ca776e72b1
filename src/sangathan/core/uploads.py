"""Checks for uploaded files (photos, attachments, evidence): the real type by its first bytes, and size.

A file's name and the browser's content type are what the sender claims; the first bytes are what it is.
Only the kinds a caller allows pass, and nothing over ``max_bytes`` is read into memory or stored.
"""

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
