"""The optional capture code: sent through the outbox to the worker's own mobile while the vistarak is with
them, typed into the phone and sent with the record, so the record shows the number is theirs."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.fieldwork.models import CaptureCode, Drive
from sangathan.fieldwork.policies import require_booth_assigned
from sangathan.fieldwork.selectors import assigned_paths
from sangathan.messaging.models import Channel, MessageKind
from sangathan.messaging.services import message_enqueue
from sangathan.people import fields

CODE_TTL = timedelta(hours=12)  # the phone may be offline when the code arrives; the vistarak types it later
MAX_TRIES = 5
CODES_PER_RECORD = 3


def _hash(client_uuid, mobile: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"fieldwork:{client_uuid}:{mobile}:{code}".encode(),
                    hashlib.sha256).hexdigest()


@dataclass(kw_only=True)
class CaptureCodeSend(Action):
    """A code by SMS to ``mobile`` for the record ``client_uuid`` at ``booth`` (one of the vistarak's)."""

    drive: Drive
    booth: object
    client_uuid: uuid.UUID
    mobile: str

    def check(self) -> None:
        require_booth_assigned(self.scope, self.booth.path, assigned_paths(self.drive, self.scope))
        try:
            self._mobile = fields.mobile(self.mobile)
        except fields.FieldError as error:
            raise DomainError(str(error), field="mobile") from None
        if CaptureCode.objects.filter(client_uuid=self.client_uuid).count() >= CODES_PER_RECORD:
            raise DomainError(_("Too many codes for this record."), code="rate_limited", field="mobile")

    def perform(self) -> CaptureCode:
        code = f"{secrets.randbelow(10 ** 6):06d}"
        row = CaptureCode.objects.create(drive=self.drive, client_uuid=self.client_uuid, mobile=self._mobile,
                                         code_hash=_hash(self.client_uuid, self._mobile, code),
                                         expires_at=clock.now() + CODE_TTL)
        body = _("%(code)s is your code for the party's worker record (%(drive)s). Give it only to the "
                 "vistarak who is with you.") % {"code": code, "drive": self.drive.name}
        message_enqueue(scope=self.scope, channel=Channel.SMS, to_address=self._mobile, body=body,
                        kind=MessageKind.TRANSACTIONAL, urgent=True, unit_path=self.booth.path,
                        idempotency_key=f"fieldwork.code:{row.pk}")
        return row

    def log(self, row: CaptureCode) -> None:
        audit_log(scope=self.scope, action="fieldwork.otp_send", target=row, unit_path=self.booth.path,
                  detail={"drive_id": self.drive.pk})


capture_code_send = CaptureCodeSend.run


def capture_code_matches(*, scope, client_uuid, mobile: str, code: str) -> bool:
    """True when ``code`` is a live code sent for this record to ``mobile``; each try counts. ``scope`` is
    the syncing vistarak's."""
    now = clock.now()
    rows = list(CaptureCode.objects.filter(client_uuid=client_uuid, mobile=mobile, expires_at__gt=now,
                                           tries__lt=MAX_TRIES))
    wanted = _hash(client_uuid, mobile, code.strip())
    for row in rows:
        if hmac.compare_digest(row.code_hash, wanted):
            return True
    CaptureCode.objects.filter(pk__in=[row.pk for row in rows]).update(tries=F("tries") + 1)
    return False
