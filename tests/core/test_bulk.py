"""``core.bulk.insert_objects`` writes what ``bulk_create`` would: JSON (nested, Hindi, empty, NULL) and times
(aware, naive in the project's zone) read back the same on both databases."""

import warnings
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sangathan.core.bulk import allocate_ids, insert_objects
from sangathan.people.models import Person, PersonHistory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_insert_objects_reads_back_as_bulk_create(tree):
    person = PersonFactory(unit=tree["d1a1b1"])
    PersonHistory.objects.filter(person=person).delete()  # the factory's own row
    aware = timezone.now() - timedelta(days=3)
    naive = datetime(2026, 1, 20, 10, 30)  # noqa: DTZ001 — a naive time is made aware, as Django does
    values = [({"name": [None, "सुरेश \\t पटेल\n"], "tags": [None, ["a", "b"]], "n": [None, 3.5]}, aware),
              ({}, naive), ({"x": {"y": [1, None, True]}}, aware)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # Django's warning about the naive time
        insert_objects([PersonHistory(person=person, action="created", changes=changes, at=at)
                        for changes, at in values], ids=False)
        PersonHistory.objects.bulk_create([PersonHistory(person=person, action="updated", changes=changes, at=at)
                                           for changes, at in values])
    copied = list(PersonHistory.objects.filter(person=person, action="created").order_by("id").values_list("changes", "at",
                                                                                               "reason"))
    created = list(PersonHistory.objects.filter(person=person, action="updated").order_by("id").values_list("changes", "at",
                                                                                                "reason"))
    assert copied == created
    assert copied[0][0]["name"] == [None, "सुरेश \\t पटेल\n"] and copied[0][1] == aware
    assert copied[1][1] == timezone.make_aware(naive)


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_new_instances_are_what_the_constructor_makes(tree):
    from sangathan.core.bulk import new_instances
    from sangathan.fieldwork.models import FieldRecord
    from sangathan.people.models import Person

    booth = tree["d1a1b1"]
    values = {"name": "सुरेश पटेल", "mobile": "+919826000001", "unit": booth, "unit_path": booth.path,
              "consent_purposes": ["records"], "birth_year": 1980}
    fast, slow = new_instances(Person, [values])[0], Person(**values)
    assert _fields(fast) == _fields(slow)
    assert fast.unit is booth and fast._state.adding and fast._state.db is None  # cached: no query
    # Callable defaults are called for each instance, as the constructor does: nothing shared.
    first, second = new_instances(FieldRecord, [{"booth": booth, "unit_path": booth.path}] * 2)
    assert first.data == {} and first.data is not second.data
    assert _fields(first) == _fields(FieldRecord(booth=booth, unit_path=booth.path))
    by_id = new_instances(Person, [{"unit_id": booth.pk, "name": "x"}])[0]
    assert by_id.unit_id == booth.pk
    with pytest.raises(TypeError):
        new_instances(Person, [{"no_such_field": 1}])
    with pytest.raises(ValueError):
        new_instances(Person, [{"unit": tree.people["d1a1b1p0"]}])


def test_new_instances_call_init_receivers_connected_at_any_time(tree):
    from django.db.models.signals import post_init

    from sangathan.core.bulk import new_instances
    from sangathan.people.models import Tag

    new_instances(Tag, [{"code": "a"}])  # the builder exists before the receiver connects
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Tag)
    try:
        made = new_instances(Tag, [{"code": "b"}])
    finally:
        post_init.disconnect(receiver, sender=Tag)
    assert seen == made and made[0].code == "b"


def test_allocate_ids_reserves_fresh_ids_the_table_then_continues_after(tree):
    before = PersonFactory(unit=tree["d1a1b1"])
    assert allocate_ids(Person._meta.db_table, 0) == []
    ids = allocate_ids(Person._meta.db_table, 500)
    assert len(set(ids)) == 500 and min(ids) > before.pk and ids == sorted(ids)
    if connection.vendor == "postgresql":  # the sequence moved on: the next row's id is after the reserved ones
        assert PersonFactory(unit=tree["d1a1b1"]).pk > max(ids)
