"""Every sign of a fake, each with a planted case and a clean one."""

import random
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import DeviceUse, FieldRecord
from sangathan.fieldwork.services import records_sync, vistarak_assign
from sangathan.fieldwork.services.flags import MIN_GAP, MOBILE_REPEATS, records_flags
from tests.factories import PersonFactory
from tests.fieldwork.conftest import record, scope_of, vscope

pytestmark = pytest.mark.django_db


def flags_of(user, drive, *items):
    return [answer["flags"] for answer in records_sync(scope=vscope(user), drive=drive, records=list(items))]


def gps(lat, lng, accuracy=12.0):
    return {"consent": True, "gps_consent": True, "gps": {"lat": lat, "lng": lng, "accuracy": accuracy}}


def test_far_from_the_booth(tree, drive, vistarak):
    near, far = flags_of(vistarak, drive, record(tree, **gps(23.2610, 77.4130)), record(tree, **gps(23.40, 77.41)))
    assert "far_from_booth" not in near and "far_from_booth" in far


def test_gps_without_consent_is_not_kept(tree, drive, vistarak):
    item = record(tree, **gps(23.40, 77.41))
    item["gps_consent"] = False
    [flags] = flags_of(vistarak, drive, item)
    assert "far_from_booth" not in flags


def test_mock_location(tree, drive, vistarak):
    clean, mocked = flags_of(vistarak, drive, record(tree, **gps(23.26, 77.41, 8.5)),
                             record(tree, **gps(23.26, 77.41, 0.0)))
    assert "mock_location" not in clean and "mock_location" in mocked


def test_burst_too_fast(tree, drive, vistarak):
    first = record(tree, minutes=50)
    apart = record(tree, minutes=51)  # ten minutes later: a real visit
    burst = {**record(tree), "captured_at": first["captured_at"] + timedelta(seconds=20)}
    a, b, c = flags_of(vistarak, drive, first, apart, burst)
    # Records of a batch are taken in UUID order: whichever of the pair comes second carries the flag.
    assert "burst" not in b and ("burst" in a) != ("burst" in c)


def test_one_mobile_on_many_records(tree, drive, vistarak):
    clean = flags_of(vistarak, drive, record(tree, mobile="9826033333"))
    assert "mobile_reused" not in clean[0]
    flags_of(vistarak, drive, record(tree, mobile="9826044444", consent=False),
             record(tree, mobile="9826044444", consent=False))  # rejected, yet on record
    flags = flags_of(vistarak, drive, record(tree, mobile="9826044444"))
    assert "mobile_reused" in flags[0]
    own = flags_of(vistarak, drive, record(tree, mobile=vistarak.mobile))
    assert "mobile_reused" in own[0]


def test_voter_id_already_used(tree, drive, vistarak):
    clean = flags_of(vistarak, drive, record(tree, epic="XYZ7654321"))
    again = flags_of(vistarak, drive, record(tree, epic="XYZ7654321"))
    assert "epic_used" not in clean[0] and "epic_used" in again[0]


def test_one_device_for_many_vistaraks(tree, drive, vistarak):
    other = vistarak_assign(scope=scope_of(tree, "district_president"), drive=drive,
                            vistarak=PersonFactory(unit=tree["d1a1m"]), unit=tree["d1a1b1"]).user
    mine = flags_of(vistarak, drive, record(tree, device_id="dev-1"), record(tree, device_id="dev-1"))
    assert all("shared_device" not in f for f in mine)
    theirs = flags_of(other, drive, record(tree, device_id="dev-1"))
    own_device = flags_of(other, drive, record(tree, device_id="dev-2"))
    assert "shared_device" in theirs[0] and "shared_device" not in own_device[0]
    # One row per drive, device and vistarak, however many records: the sign reads these, not the records.
    assert sorted(DeviceUse.objects.filter(drive=drive).values_list("device_id", "user_id")) == [
        ("dev-1", vistarak.pk), ("dev-1", other.pk), ("dev-2", other.pk)]


def test_a_rejected_record_still_marks_its_device(tree, drive, vistarak):
    other = vistarak_assign(scope=scope_of(tree, "district_president"), drive=drive,
                            vistarak=PersonFactory(unit=tree["d1a1m"]), unit=tree["d1a1b1"]).user
    [rejected] = flags_of(vistarak, drive, record(tree, device_id="dev-r", consent=False))
    assert rejected == []
    [theirs] = flags_of(other, drive, record(tree, device_id="dev-r"))
    assert "shared_device" in theirs


def test_the_stored_signs_are_one_query(tree, drive, vistarak):
    """Mobiles, voter IDs, devices and capture times of a batch are looked up together; the booths' places
    only for records with a place."""
    flags_of(vistarak, drive, record(tree, mobile="9826055555", epic="SGN1234567", device_id="dev-s"))
    stored = list(FieldRecord.objects.filter(drive=drive))
    with CaptureQueriesContext(connection) as queries:
        records_flags(stored, own_mobile="")
    assert len(queries) == 1
    assert "fieldwork_fieldrecord" in queries.captured_queries[0]["sql"]


def test_the_batch_comparisons_match_the_pairwise_rule(tree, drive, vistarak):
    """Bursts, repeated mobiles and voter IDs inside a batch (kept sorted and counted as the batch goes)
    flag exactly the records that comparing each with every earlier one flags."""
    rng = random.Random(7)
    start = timezone.now() - timedelta(hours=5)
    records = [FieldRecord(pk=10_000_000 + n, drive=drive, user_id=vistarak.pk, booth=tree["d1a1b1"],
                           unit_path=tree["d1a1b1"].path, client_uuid=uuid.uuid4(),
                           outcome=rng.choice([Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.REJECTED]),
                           captured_at=start + timedelta(seconds=rng.choice([0, 30, 59, 60, 61, 90, 600]) * n // 3),
                           mobile=rng.choice(["", "9826011111", "9826022222", "9826033333"]),
                           epic=rng.choice(["", "EPC0000001", "EPC0000002"]), device_id="")
               for n in range(60)]
    found = records_flags(records, own_mobile="")
    for index, one in enumerate(records):
        if one.outcome == Outcome.REJECTED:
            assert one.pk not in found
            continue
        earlier = records[:index]
        burst = any(abs(r.captured_at - one.captured_at) < MIN_GAP for r in earlier)
        mobiles = sum(r.mobile == one.mobile for r in earlier) + 1
        epic = bool(one.epic) and any(r.epic == one.epic for r in earlier)
        assert ("burst" in found[one.pk]) == burst, index
        assert ("mobile_reused" in found[one.pk]) == (bool(one.mobile) and mobiles >= MOBILE_REPEATS), index
        if one.mobile and mobiles >= MOBILE_REPEATS:
            assert found[one.pk]["mobile_reused"]["records"] == mobiles
        assert ("epic_used" in found[one.pk]) == epic, index
