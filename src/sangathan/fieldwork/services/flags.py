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
* one device for many vistaraks: the same device id sent by another vistarak's records (``DeviceUse``, a
  row per drive, device and vistarak, noted by ``devices_note``).
"""

from __future__ import annotations

import bisect
import math
from datetime import timedelta

from django.db import connection
from django.db.models import BigIntegerField, CharField, DateTimeField, Value

from sangathan.core.lookups import text_array
from sangathan.fieldwork.enums import FlagKind, Outcome
from sangathan.fieldwork.models import BoothTarget, DeviceUse, FieldRecord, RecordFlag
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


def records_flags(records: list[FieldRecord], *, own_mobile: str) -> dict[int, dict[str, dict]]:
    """Flag kind → detail for each of one vistarak's ``records`` of one drive (saved, in the order they were
    taken: a record is compared with the stored records and the batch's earlier ones), keyed by record id.
    Rejected records get none, yet count for the others. Two queries whatever the number of records: the
    booths' places (only for records with a place), and ``_stored_signs``. ``record.epic_on_person``: its
    voter ID is on a registered person (other than its own)."""
    if not records:
        return {}
    drive_id, user_id = records[0].drive_id, records[0].user_id
    ids = [record.pk for record in records]
    judged = [record for record in records if record.outcome != Outcome.REJECTED]
    places = {booth: (lat, lng) for booth, lat, lng in BoothTarget.objects.filter(
        drive_id=drive_id, booth_id__in={r.booth_id for r in judged if r.lat is not None and r.lng is not None},
        lat__isnull=False).values_list("booth_id", "lat", "lng")}
    near, repeats, epics_used, shared, noted = _stored_signs(judged, ids, drive_id=drive_id, user_id=user_id)
    for record in records:
        record.device_noted = record.device_id in noted  # ``devices_note`` need not write it again
    # The batch's earlier records (rejected ones too), kept as the loop goes: capture times sorted, mobiles
    # counted, voter IDs seen — each record is compared in O(log n), not with every earlier one.
    earlier_times: list = []
    earlier_mobiles: dict[str, int] = {}
    earlier_epics: set[str] = set()
    out: dict[int, dict[str, dict]] = {}
    for record in records:
        if record.outcome != Outcome.REJECTED:
            out[record.pk] = _record_flags(record, places, own_mobile=own_mobile, near=near, repeats=repeats,
                                           epics_used=epics_used, shared=shared, earlier_times=earlier_times,
                                           earlier_mobiles=earlier_mobiles, earlier_epics=earlier_epics)
        bisect.insort(earlier_times, record.captured_at)
        earlier_mobiles[record.mobile] = earlier_mobiles.get(record.mobile, 0) + 1
        earlier_epics.add(record.epic)
    return out


def _record_flags(record: FieldRecord, places: dict, *, own_mobile: str, near: list, repeats: dict,
                  epics_used: set, shared: set, earlier_times: list, earlier_mobiles: dict,
                  earlier_epics: set) -> dict[str, dict]:
    found: dict[str, dict] = {}
    place = places.get(record.booth_id)
    if place is not None and record.lat is not None and record.lng is not None:
        metres = distance_m(record.lat, record.lng, place[0], place[1])
        if metres > FAR_METRES:
            found[FlagKind.FAR] = {"metres": round(metres)}
    if record.accuracy is not None and record.accuracy == 0:
        found[FlagKind.MOCK_LOCATION] = {"accuracy": 0}
    if _within_gap(near, record.captured_at) or _within_gap(earlier_times, record.captured_at):
        found[FlagKind.BURST] = {"seconds": int(MIN_GAP.total_seconds())}
    if record.mobile:
        count = repeats.get(record.mobile, 0) + earlier_mobiles.get(record.mobile, 0) + 1
        if count >= MOBILE_REPEATS or record.mobile == own_mobile:
            found[FlagKind.MOBILE_REUSED] = {"records": count, "vistarak_own": record.mobile == own_mobile}
    if record.epic and (getattr(record, "epic_on_person", False) or record.epic in epics_used
                        or record.epic in earlier_epics):
        found[FlagKind.EPIC_USED] = {}
    if record.device_id in shared:
        found[FlagKind.SHARED_DEVICE] = {}
    return found


def _within_gap(times: list, at) -> bool:
    """Whether a time of ``times`` (sorted) lies less than ``MIN_GAP`` from ``at``: only its two
    neighbours in the order can."""
    index = bisect.bisect_left(times, at)
    return (index > 0 and at - times[index - 1] < MIN_GAP) or (index < len(times) and times[index] - at < MIN_GAP)


def _stored_signs(judged: list[FieldRecord], ids: list[int], *, drive_id: int, user_id: int | None):
    """What the stored records say of ``judged``, in one query (``signs_rows``): (capture times near,
    sorted; mobile → records; voter IDs used; devices shared; devices the vistarak's own already noted)."""
    mobiles = {r.mobile for r in judged if r.mobile}
    epics = {r.epic for r in judged if r.epic}
    devices = {r.device_id for r in judged if r.device_id}
    times = [r.captured_at for r in judged]
    near: list = []
    repeats: dict[str, int] = {}
    epics_used: set[str] = set()
    shared: set[str] = set()
    noted: set[str] = set()
    if not (mobiles or epics or devices or times):
        return near, repeats, epics_used, shared, noted
    low, high = (min(times) - MIN_GAP, max(times) + MIN_GAP) if times else (None, None)
    mine = set(ids)
    for pk, drive, user, mobile, epic, device, at in signs_rows(
            drive_id=drive_id, user_id=user_id, mobiles=mobiles, epics=epics, devices=devices, between=(low, high)):
        if pk is None:  # a ``DeviceUse`` row
            (shared if user != user_id else noted).add(device)
            continue
        if pk in mine:
            continue
        if times and user == user_id and low < at < high:
            near.append(at)
        if drive != drive_id:
            continue
        if mobile and mobile in mobiles:
            repeats[mobile] = repeats.get(mobile, 0) + 1
        if epic and epic in epics:
            epics_used.add(epic)
    return sorted(near), repeats, epics_used, shared, noted


SIGN_COLUMNS = ("id", "drive_id", "user_id", "mobile", "epic", "device_id", "captured_at")


def signs_rows(*, drive_id: int, user_id: int | None, mobiles, epics, devices, between) -> list[tuple]:
    """The stored records ``_stored_signs`` reads (``SIGN_COLUMNS``): the drive's records with any of
    ``mobiles`` or ``epics`` (on PostgreSQL, other drives' too), a row per vistarak of the drive who used
    one of ``devices`` (from ``DeviceUse``, the asking vistarak included: no id, number or time), and the
    vistarak's records captured strictly ``between`` (low, high; either None: none)."""
    if connection.vendor == "postgresql":
        sql, params = signs_sql(drive_id=drive_id, user_id=user_id, mobiles=mobiles, epics=epics, devices=devices,
                                between=between)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    columns = FieldRecord.objects.values_list(*SIGN_COLUMNS)
    arms = [columns.filter(drive_id=drive_id, mobile__in=mobiles), columns.filter(drive_id=drive_id, epic__in=epics)]
    if None not in between:
        arms.append(columns.filter(user_id=user_id, captured_at__gt=between[0], captured_at__lt=between[1]))
    none = {"id": Value(None, BigIntegerField()), "mobile": Value(None, CharField()),
            "epic": Value(None, CharField()), "captured_at": Value(None, DateTimeField())}
    arms.append(DeviceUse.objects.filter(drive_id=drive_id, device_id__in=devices).values_list(
        *(none.get(column, column) for column in SIGN_COLUMNS)))
    return list(arms[0].union(*arms[1:]))  # UNION: a row answering two questions comes once


def signs_sql(*, drive_id: int, user_id: int | None, mobiles, epics, devices, between) -> tuple[str, list]:
    """``signs_rows``'s statement on PostgreSQL: one UNION arm per question, each a lookup in its own index,
    one per value (a LATERAL subquery the planner cannot flatten), whatever the table's statistics say.

    The number arms name no drive (the caller drops other drives' rows): their indexes begin with the value,
    and no other index can serve them. Written as ``drive_id = … AND mobile = ANY(…)`` over indexes that
    began with the drive, a drive younger than its table's last ANALYZE looked empty to the planner, which
    then read the drive's records by any index beginning with it and filtered them (15 ms a batch at 20,000
    records, growing with the drive). The device arm reads ``DeviceUse``: the records' own rows for a device
    would be every record the vistarak had sent from it, read again at each batch."""
    table = FieldRecord._meta.db_table
    listed = ", ".join(SIGN_COLUMNS)

    def by_value(column: str) -> str:
        return (f"SELECT r.* FROM unnest(%s::text[]) AS q(value) CROSS JOIN LATERAL "  # noqa: S608 — names only
                f"(SELECT {listed} FROM {table} WHERE {column} = q.value OFFSET 0) AS r")

    devices_sql = (f"SELECT NULL, r.drive_id, r.user_id, NULL, NULL, r.device_id, NULL FROM unnest(%s::text[]) "  # noqa: S608
                   f"AS q(value) CROSS JOIN LATERAL (SELECT drive_id, user_id, device_id FROM "
                   f"{DeviceUse._meta.db_table} WHERE drive_id = %s AND device_id = q.value OFFSET 0) AS r")
    sql = " UNION ".join((
        by_value("mobile"), by_value("epic"),
        f"SELECT {listed} FROM {table} WHERE user_id = %s AND captured_at > %s AND captured_at < %s",  # noqa: S608
        devices_sql))
    params = [text_array(mobiles), text_array(epics), user_id, between[0], between[1], text_array(devices), drive_id]
    return sql, params


def devices_note(records: list[FieldRecord]) -> None:
    """Note the devices of one vistarak's ``records`` of one drive in ``DeviceUse`` (a pair seen before is
    left as it is; none written when ``records_flags`` found them all noted): the syncing vistarak's action
    decided."""
    first: dict[tuple, object] = {}
    for record in records:
        key = (record.drive_id, record.device_id, record.user_id)
        if record.device_id and not getattr(record, "device_noted", False) and (
                key not in first or record.captured_at < first[key]):
            first[key] = record.captured_at
    if first:
        DeviceUse.objects.bulk_create([DeviceUse(drive_id=drive, device_id=device, user_id=user, first_at=at)
                                       for (drive, device, user), at in first.items()], ignore_conflicts=True)


def flags_write(*, records: list[FieldRecord], found: dict[int, dict[str, dict]]) -> None:
    """Replace the records' flags with ``found`` (a corrected record is judged afresh): one DELETE for the
    records processed before (``record.fresh`` false), one INSERT. The syncing vistarak's action decided."""
    again = [record.pk for record in records if not getattr(record, "fresh", False)]
    if again:
        RecordFlag.objects.filter(record_id__in=again).delete()
    rows = [RecordFlag(record=record, drive_id=record.drive_id, unit_path=record.unit_path, kind=kind, detail=detail)
            for record in records for kind, detail in found.get(record.pk, {}).items()]
    if rows:
        RecordFlag.objects.bulk_create(rows)


def epic_registered(epic: str, exclude_person_id: int | None) -> bool:
    return bool(epic) and Person.objects.filter(epic=epic).exclude(pk=exclude_person_id).exists()
