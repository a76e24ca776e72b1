"""Resumable photo upload (tus-like): the phone announces the size, asks the offset after a broken
connection, and PATCHes the rest from there. A chunk at the wrong offset is refused with the server's offset
(409), so bytes are never written twice or out of order. The photo was resized on the phone (at most
1280 px, JPEG); when the last byte arrives it is checked for what it is and given to the record — and to the
person it made, when that person has no photo yet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.uploads import IMAGE_KINDS, check_upload
from sangathan.fieldwork.models import Drive, FieldRecord, PhotoUpload
from sangathan.people.services import PHOTO_MAX_BYTES, PersonUpdate


class OffsetMismatch(DomainError):
    def __init__(self, offset: int):
        super().__init__(_("The upload is at another offset."), code="offset", field="offset")
        self.offset = offset


def _record(drive: Drive, scope, client_uuid) -> FieldRecord:
    record = FieldRecord.objects.filter(client_uuid=client_uuid, drive=drive, user_id=scope.user_id).first()
    if record is None or not scope.can_write_path(record.unit_path):
        raise NotFound(_("Sync the record before its photo."), field="client_uuid")
    return record


@dataclass(kw_only=True)
class PhotoUploadStart(Action):
    """Open (or find again) the upload of the photo of the actor's record ``client_uuid``."""

    drive: Drive
    client_uuid: uuid.UUID
    size: int

    def check(self) -> None:
        self._record = _record(self.drive, self.scope, self.client_uuid)
        if not 1 <= self.size <= PHOTO_MAX_BYTES:
            raise DomainError(_("The photo is too large; the app resizes it first."), field="size")

    def perform(self) -> PhotoUpload:
        upload, _created = PhotoUpload.objects.get_or_create(
            client_uuid=self.client_uuid,
            defaults={"user_id": self.scope.user_id, "drive": self.drive, "unit_path": self._record.unit_path,
                      "size": self.size})
        return upload

    def log(self, upload: PhotoUpload) -> None:
        """The audit row is written once, when the photo is complete (``PhotoUploadAppend``)."""


@dataclass(kw_only=True)
class PhotoUploadAppend(Action):
    """Append ``chunk`` at ``offset``; on the last byte, check the photo and store it on the record."""

    upload: PhotoUpload
    offset: int
    chunk: bytes

    def check(self) -> None:
        if self.upload.user_id != self.scope.user_id or not self.scope.can_write_path(self.upload.unit_path):
            raise NotFound(_("No such upload."))

    def perform(self) -> PhotoUpload:
        upload = PhotoUpload.objects.select_for_update().get(pk=self.upload.pk)
        if upload.done or self.offset != upload.offset:
            raise OffsetMismatch(upload.offset)
        if upload.offset + len(self.chunk) > upload.size:
            raise DomainError(_("More bytes than announced."), field="size")
        upload.data = bytes(upload.data) + self.chunk
        upload.offset += len(self.chunk)
        if upload.offset == upload.size:
            self._finish(upload)
        upload.save(update_fields=["data", "offset", "done", "updated_at"])
        return upload

    def _finish(self, upload: PhotoUpload) -> None:
        photo = ContentFile(bytes(upload.data), name="photo")
        checked = check_upload(photo, kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES, field="photo")
        record = FieldRecord.objects.select_for_update().get(client_uuid=upload.client_uuid)
        record.photo.save(f"{upload.client_uuid}.{checked.extension}", photo, save=False)
        record.save(update_fields=["photo", "updated_at"])
        if record.person is not None and not record.person.photo:
            photo.seek(0)
            photo.name = f"photo.{checked.extension}"
            PersonUpdate(scope=self.scope, person=record.person, changes={"photo": photo},
                         reason=f"fieldwork:{record.drive_id}").execute()
        upload.data = b""  # the bytes live in the stored file now
        upload.done = True

    def log(self, upload: PhotoUpload) -> None:
        if upload.done:
            audit_log(scope=self.scope, action="fieldwork.photo", target=upload, unit_path=upload.unit_path,
                      detail={"client_uuid": str(upload.client_uuid), "size": upload.size})


photo_upload_start = PhotoUploadStart.run
photo_upload_append = PhotoUploadAppend.run
