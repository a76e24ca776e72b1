"""Field records have no index of their own on the drive or the vistarak (migration ``fieldwork.0002``): the
reads that start from either still use an index on PostgreSQL, and the table holds no index another one
begins with."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import FieldRecord
from sangathan.fieldwork.services.flags import signs_query
from tests.plans import index_names

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL plans")]


def test_reads_by_drive_vistarak_and_reviewer_use_an_index():
    records = FieldRecord.objects.all()
    by_drive = {"fieldwork_record_path", "fieldwork_record_mobile", "fieldwork_record_epic", "fieldwork_record_device"}
    for query in (records.filter(drive_id=1), records.filter(drive_id=1, unit_path__startswith="0001")):
        used = index_names(query)
        assert used and used <= by_drive
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


def test_the_flags_read_asks_each_question_of_its_own_index(drive, vistarak, tree):
    # A few thousand records, each with its own mobile, voter ID and device, analyzed: on an empty table
    # the planner has no reason to prefer one index over another of the same leading column.
    start = timezone.now() - timedelta(days=10)  # the last 3.4 days before now hold none
    booth = tree["d1a1b1"]
    FieldRecord.objects.bulk_create(
        FieldRecord(drive=drive, user_id=vistarak.pk, booth=booth, unit_path=booth.path, client_uuid=uuid.uuid4(),
                    outcome=Outcome.ACCEPTED, captured_at=start + timedelta(seconds=97 * n),
                    mobile=f"98{n:08d}", epic=f"EPC{n:07d}", device_id=f"phone-{n}")
        for n in range(3000))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {FieldRecord._meta.db_table}")
    now = timezone.now()
    query = signs_query(drive_id=drive.pk, user_id=vistarak.pk, mobiles={"9800000001", "9800000002"},
                        epics={"EPC0000003"}, devices={"phone-4"}, between=(now - timedelta(minutes=5), now))
    assert index_names(query) == {"fieldwork_record_mobile", "fieldwork_record_epic", "fieldwork_record_device",
                                  "fieldwork_record_user_time"}
    assert {row[0] for row in query} == set(FieldRecord.objects.filter(
        mobile__in=["9800000001", "9800000002"]).values_list("pk", flat=True)) | set(FieldRecord.objects.filter(
            epic="EPC0000003").values_list("pk", flat=True))  # phone-4 is the vistarak's own device
    assert signs_query(drive_id=1, user_id=2, mobiles=set(), epics=set(), devices=set(), between=None) is None
