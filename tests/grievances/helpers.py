"""Shortcuts the Sahyog Cell tests share."""

import io

from sangathan.access.scope import scope_for_user
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind
from sangathan.grievances.services import grievance_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(content: bytes, name: str = "file.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def take(cell, *, actor="district_convener", unit="d1a1b1", kind=GrievanceKind.ORGANIZATIONAL,
         subject="मंडल में बैठक की सूचना नहीं मिलती", mobile="9826012345", name="रामलाल", **fields):
    """A walk-in grievance at the district office of district 1 (by default)."""
    fields.setdefault("channel", GrievanceChannel.DISTRICT_OFFICE)
    fields.setdefault("description", "")
    return grievance_create(scope=scope_for_user(cell[actor]), unit=cell.tree[unit], kind=kind, subject=subject,
                            complainant_name=name, complainant_mobile=mobile, **fields)


def bytes_file(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)
