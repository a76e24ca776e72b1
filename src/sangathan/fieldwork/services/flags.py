"""Signs that a record may be made up (the household drive filled from public voter rolls): each is a
``RecordFlag`` on the record, counted on the dashboard and weighting the re-verification sample. A flag
never refuses a record — the district decides, and the verification calls check on the ground.

* far from the booth: the capture place (GPS, with consent) farther than ``FAR_METRES`` from the booth's
  place set on its ``BoothTarget``;
* too fast: another record of the same vistarak captured within ``MIN_GAP`` (a real visit takes minutes);
* one mobile on many records: the mobile is on ``MOBILE_REPEATS`` or more records of the drive, or is the
  vistarak's own;
* voter ID already used: on a registered person or another record of the drive;
* mock location: an accuracy of exactly 0 m, which only a mocked position reports;
* one device for many vistaraks: the same device id sent by another vistarak's records.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sangathan.fieldwork.enums import FlagKind
from sangathan.fieldwork.models import BoothTarget, FieldRecord, RecordFlag
from sangathan.people.models import Person

FAR_METRES = 2000
MIN_GAP = timedelta(seconds=60)
MOBILE_REPEATS = 3
EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def record_flags(record: FieldRecord, *, own_mobile: str, epic_on_person: bool) -> dict[str, dict]:
    """Flag kind → detail for ``record`` (saved, so the queries may exclude it by id)."""
    found: dict[str, dict] = {}
    others = FieldRecord.objects.filter(drive_id=record.drive_id).exclude(pk=record.pk)
    if record.lat is not None and record.lng is not None:
        place = (BoothTarget.objects.filter(drive_id=record.drive_id, booth_id=record.booth_id,
                                            lat__isnull=False).values_list("lat", "lng").first())
        if place is not None:
            metres = distance_m(record.lat, record.lng, place[0], place[1])
            if metres > FAR_METRES:
                found[FlagKind.FAR] = {"metres": round(metres)}
    if record.accuracy is not None and record.accuracy == 0:
        found[FlagKind.MOCK_LOCATION] = {"accuracy": 0}
    near = FieldRecord.objects.filter(user_id=record.user_id, captured_at__gt=record.captured_at - MIN_GAP,
                                      captured_at__lt=record.captured_at + MIN_GAP).exclude(pk=record.pk)
    if near.exists():
        found[FlagKind.BURST] = {"seconds": int(MIN_GAP.total_seconds())}
    if record.mobile:
        repeats = others.filter(mobile=record.mobile).count() + 1
        if repeats >= MOBILE_REPEATS or record.mobile == own_mobile:
            found[FlagKind.MOBILE_REUSED] = {"records": repeats, "vistarak_own": record.mobile == own_mobile}
    if record.epic and (epic_on_person or others.filter(epic=record.epic).exists()):
        found[FlagKind.EPIC_USED] = {}
    if record.device_id and others.filter(device_id=record.device_id).exclude(user_id=record.user_id).exists():
        found[FlagKind.SHARED_DEVICE] = {}
    return found


def flags_write(*, scope, record: FieldRecord, found: dict[str, dict], fresh: bool = False) -> None:
    """Replace the record's flags with ``found`` (a corrected record is judged afresh); ``fresh``: the
    record was just made and has none. ``scope`` is the syncing vistarak's, whose action decided."""
    have = set()
    if not fresh:
        RecordFlag.objects.filter(record=record).exclude(kind__in=list(found)).delete()
        have = set(RecordFlag.objects.filter(record=record).values_list("kind", flat=True))
    if not found:
        return
    RecordFlag.objects.bulk_create([
        RecordFlag(record=record, drive_id=record.drive_id, unit_path=record.unit_path, kind=kind, detail=detail)
        for kind, detail in found.items() if kind not in have])


def epic_registered(epic: str, exclude_person_id: int | None) -> bool:
    return bool(epic) and Person.objects.filter(epic=epic).exclude(pk=exclude_person_id).exists()
