"""Field records have no index of their own on the drive or the vistarak (migration ``fieldwork.0002``): the
reads that start from either still use an index on PostgreSQL, and the table holds no index another one
begins with."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import DeviceUse, FieldRecord
from sangathan.fieldwork.services.flags import devices_note, signs_rows, signs_sql
from tests.factories import PersonFactory, make_user
from tests.plans import index_names, sql_plan_nodes

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL plans")]


def test_reads_by_drive_vistarak_and_reviewer_use_an_index():
    records = FieldRecord.objects.all()
    for query in (records.filter(drive_id=1), records.filter(drive_id=1, unit_path__startswith="0001")):
        assert index_names(query) == {"fieldwork_record_path"}
    assert index_names(records.filter(user_id=1)) == {"fieldwork_record_user_time"}
    assert index_names(records.filter(reviewed_by_id=1)) == {"fieldwork_record_reviewer"}


def test_no_index_is_a_prefix_of_another():
    with connection.cursor() as cursor:
        columns = {name: tuple(keys) for name, keys in (
            (index, info["columns"]) for index, info in
            connection.introspection.get_constraints(cursor, FieldRecord._meta.db_table).items()
            if info["index"] and not info["unique"] and not info["primary_key"])}
    for name, keys in columns.items():
        longer = [other for other, more in columns.items() if other != name and more[:len(keys)] == keys]
        assert not longer, f"{name} {keys} is a prefix of {longer}"


def test_the_flags_read_asks_each_question_of_its_own_index_whatever_the_statistics(drive, vistarak, tree):
    # The statistics of empty tables, then a drive of thousands of records, each with its own mobile, voter
    # ID and device: the young drive looks small to the planner (as between two ANALYZEs), which then read
    # ``drive_id = … AND mobile = ANY(…)`` as all the drive's records, filtered.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {FieldRecord._meta.db_table}")
        cursor.execute(f"ANALYZE {DeviceUse._meta.db_table}")
    start = timezone.now() - timedelta(days=10)  # the last 3.4 days before now hold none
    booth = tree["d1a1b1"]
    records = FieldRecord.objects.bulk_create(
        FieldRecord(drive=drive, user_id=vistarak.pk, booth=booth, unit_path=booth.path, client_uuid=uuid.uuid4(),
                    outcome=Outcome.ACCEPTED, captured_at=start + timedelta(seconds=97 * n),
                    mobile=f"98{n:08d}", epic=f"EPC{n:07d}", device_id=f"phone-{n}")
        for n in range(3000))
    devices_note(records)
    other = make_user(PersonFactory(unit=booth))
    devices_note([FieldRecord(drive=drive, user=other, device_id="phone-5", captured_at=start)])
    now = timezone.now()
    asked = {"drive_id": drive.pk, "user_id": vistarak.pk, "mobiles": {f"98{n:08d}" for n in range(1, 51)},
             "epics": {"EPC0000003"}, "devices": {"phone-4", "phone-5"}, "between": (now - timedelta(minutes=5), now)}
    nodes = sql_plan_nodes(*signs_sql(**asked))
    assert {node["Index Name"] for node in nodes if "Index Name" in node} == {
        "fieldwork_record_mobile", "fieldwork_record_epic", "fieldwork_record_user_time", "fieldwork_device_use"}
    assert not [node for node in nodes if node["Node Type"] == "Seq Scan"]
    rows = signs_rows(**asked)
    assert {row[0] for row in rows if row[0]} == set(FieldRecord.objects.filter(
        mobile__in=asked["mobiles"]).values_list("pk", flat=True)) | set(FieldRecord.objects.filter(
            epic="EPC0000003").values_list("pk", flat=True))
    # phone-4 is the vistarak's own device; phone-5 another vistarak's too
    assert sorted((row[2], row[5]) for row in rows if row[0] is None) == sorted(
        [(vistarak.pk, "phone-4"), (vistarak.pk, "phone-5"), (other.pk, "phone-5")])
    assert signs_rows(drive_id=drive.pk, user_id=vistarak.pk, mobiles=set(), epics=set(), devices=set(),
                      between=(None, None)) == []
