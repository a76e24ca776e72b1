"""The capture code through the outbox, resumable photos, and the re-verification sample."""

import io
import uuid

import pytest
from PIL import Image

from sangathan.core.errors import DomainError
from sangathan.fieldwork.models import FieldRecord
from sangathan.fieldwork.services import (
    capture_code_send,
    photo_upload_append,
    photo_upload_start,
    records_sync,
)
from sangathan.fieldwork.services.photos import OffsetMismatch
from sangathan.fieldwork.services.review import verification_sample
from sangathan.messaging.models import Message
from sangathan.outreach.models import CallAssignment
from tests.fieldwork.conftest import record, scope_of, vscope

pytestmark = pytest.mark.django_db


def _code_from_outbox(mobile):
    body = Message.objects.filter(to_address=mobile).latest("pk").body
    return body.split()[0]


def test_capture_code_is_sent_through_the_outbox_and_checked(tree, drive, vistarak):
    item = record(tree, mobile="9826055555")
    capture_code_send(scope=vscope(vistarak), drive=drive, booth=tree["d1a1b1"],
                      client_uuid=uuid.UUID(item["client_uuid"]), mobile="9826055555")
    code = _code_from_outbox("+919826055555")
    [wrong] = records_sync(scope=vscope(vistarak), drive=drive, records=[{**item, "otp": "000000"
                                                                           if code != "000000" else "111111"}])
    assert wrong["status"] == "rejected" and list(wrong["errors"]) == ["otp"]
    [right] = records_sync(scope=vscope(vistarak), drive=drive, records=[{**item, "version": 2, "otp": code}])
    assert right["status"] == "accepted"
    assert FieldRecord.objects.get(client_uuid=item["client_uuid"]).otp_verified


def test_capture_code_only_for_assigned_booths(tree, drive, vistarak):
    with pytest.raises(DomainError):
        capture_code_send(scope=vscope(vistarak), drive=drive, booth=tree["d1a1b2"], client_uuid=uuid.uuid4(),
                          mobile="9826055556")


def test_drive_requiring_the_code_rejects_a_record_without_it(tree, drive, vistarak):
    drive.otp_required = True
    drive.save()
    [answer] = records_sync(scope=vscope(vistarak), drive=drive, records=[record(tree)])
    assert answer["status"] == "rejected" and "otp" in answer["errors"]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def test_photo_uploads_resume_from_the_servers_offset(tree, drive, vistarak):
    item = record(tree)
    [answer] = records_sync(scope=vscope(vistarak), drive=drive, records=[item])
    data = _jpeg()
    scope = vscope(vistarak)
    upload = photo_upload_start(scope=scope, drive=drive, client_uuid=uuid.UUID(item["client_uuid"]), size=len(data))
    half = len(data) // 2
    upload = photo_upload_append(scope=scope, upload=upload, offset=0, chunk=data[:half])
    with pytest.raises(OffsetMismatch) as caught:  # the connection broke; the phone resends from 0
        photo_upload_append(scope=scope, upload=upload, offset=0, chunk=data[:half])
    assert caught.value.offset == half
    again = photo_upload_start(scope=scope, drive=drive, client_uuid=uuid.UUID(item["client_uuid"]), size=len(data))
    assert again.pk == upload.pk and again.offset == half
    done = photo_upload_append(scope=scope, upload=again, offset=half, chunk=data[half:])
    assert done.done
    stored = FieldRecord.objects.get(client_uuid=item["client_uuid"])
    assert stored.photo.name.endswith(".jpg") and stored.person.photo


def test_verification_sample_feeds_the_verification_calls(tree, drive, vistarak):
    answers = records_sync(scope=vscope(vistarak), drive=drive, records=[record(tree) for _ in range(4)])
    assert {a["status"] for a in answers} == {"accepted"}
    drawn = verification_sample(scope=scope_of(tree, "district_president"), drive=drive, unit=tree["d1"], n=2,
                                seed=3)
    assert len(drawn) == 2
    calls = CallAssignment.objects.filter(source__startswith="fieldwork.record:")
    assert calls.count() == 2 and {c.kind for c in calls} == {"verification"}
    # Drawn records are not drawn again.
    more = verification_sample(scope=scope_of(tree, "district_president"), drive=drive, unit=tree["d1"], n=5,
                               seed=4)
    assert set(more).isdisjoint(drawn) and len(more) == 2
