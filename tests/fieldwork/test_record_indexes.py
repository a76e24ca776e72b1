"""Field records have no index of their own on the drive or the vistarak (migration ``fieldwork.0002``): the
reads that start from either still use an index on PostgreSQL, and the table holds no index another one
begins with."""

import pytest
from django.db import connection

from sangathan.fieldwork.models import FieldRecord
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
