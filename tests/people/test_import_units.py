"""The importer's ``any_of`` lookup: one array literal on PostgreSQL, built without psycopg's per-value dumper,
finds exactly the rows whose values it names, awkward characters included."""

import pytest
from django.db import connection
from django.db.models import Q

from sangathan.core.lookups import text_array
from sangathan.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
AWKWARD = ['MP-1', 'a "quoted" one', "back\\slash", "comma,brace{}", "  spaced  ", "NULL", "राम-१", "end\\"]


def test_the_array_literal_quotes_and_escapes_every_element():
    assert text_array(["a", 'b"c', "d\\e", ""]) == '{"a","b\\"c","d\\\\e",""}'


def test_any_of_finds_exactly_the_named_values(tree):
    people = [PersonFactory(unit=tree["d1a1b1"]) for _number in [*AWKWARD, "not-named"]]
    for person, number in zip(people, [*AWKWARD, "not-named"], strict=True):  # past the form's checks
        Person.objects.filter(pk=person.pk).update(membership_no=number)
    people.pop()
    found = set(Person.objects.filter(membership_no__any_of=[*AWKWARD, "nobody's"]).values_list("pk", flat=True))
    assert found == {person.pk for person in people}
    assert set(Person.objects.filter(membership_no__any_of=AWKWARD).values_list("membership_no", flat=True)) \
        == set(AWKWARD)


def test_the_importers_lookup_uses_the_unique_indexes(tree):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN of PostgreSQL's planner")
    query = Person.objects.filter(Q(mobile__any_of=["+919000000001", "+919000000002"])
                                  | Q(membership_no__any_of=["MP-1"]) | Q(epic__any_of=["ABC1234567"]))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask whether an index *can* serve
        plan = query.explain()
    for index in ("people_person_mobile_key", "people_person_membership_unique", "people_person_epic_unique"):
        assert index in plan
