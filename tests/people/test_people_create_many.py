"""Registering many people at once (``PeopleCreate``) and the duplicate search for many records
(``duplicates_before_saving_many``): the same answers as one at a time, in a fixed number of statements."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.people import fields
from sangathan.people.dedup import duplicates_before_saving, duplicates_before_saving_many
from sangathan.people.models import Person, PersonHistory
from sangathan.people.numbers import check_digit_valid
from sangathan.people.services import people_create, person_create
from tests.factories import PersonFactory, next_mobile

pytestmark = pytest.mark.django_db


def _values(unit, name, mobile="", epic="", relative_name=""):
    return {"mobile": mobile, "epic": epic, "unit": unit, "name": name, "relative_name": relative_name,
            "name_key": fields.person_name(name)[2]}


def test_many_answers_as_one_at_a_time(tree):
    booth = tree["d1a1b1"]
    PersonFactory(unit=booth, name="सुरेश पटेल", relative_name="रामलाल पटेल", mobile="+919826050001")
    PersonFactory(unit=tree["d1a1b2"], name="कमला देवी", epic="MNY1234567", alt_mobile="+919826050003")
    PersonFactory(unit=booth, name="गोपाल दास", relative_name="हरि दास")
    items = [_values(booth, "सुरेश पटेल", "+919826050001", relative_name="रामलाल पटेल"),
             _values(booth, "नई सदस्य", next_mobile(), epic="MNY1234567"),
             _values(booth, "अजय सिंह", "+919826050003"),
             _values(booth, "Gopal Das", next_mobile(), relative_name="Hari Das"),
             _values(booth, "बिलकुल नया", next_mobile())]
    with CaptureQueriesContext(connection) as queries:
        many = duplicates_before_saving_many(items=items)
    # The two searches, the units of the people matched by a number (a lookup of its own: joined in, the
    # search hashed the whole unit table), and the whole record of the one person found by a name alike
    # alone (the name blocks are read with the compared columns only).
    assert len(queries) == 4
    assert "org_unit" not in queries.captured_queries[0]["sql"]
    assert all(not p.get_deferred_fields() for found in many for p, _r in found)
    one_by_one = [duplicates_before_saving(values=values) for values in items]
    assert [[(p.pk, r) for p, r in found] for found in many] == [[(p.pk, r) for p, r in found] for found in one_by_one]
    assert [sorted({r for _p, rs in found for r in rs}) for found in many] == [
        ["mobile", "name"], ["epic"], ["alt_mobile"], ["name"], []]


def test_people_create_registers_each_with_number_and_history(tree):
    scope = Scope.system()
    taken = PersonFactory(unit=tree["d1a1b1"])
    data = [{"name": "रमेश कुमार", "mobile": "9826060001", "unit": tree["d1a1b1"], "epic": "PCM1234567"},
            {"name": "सुनीता देवी", "mobile": taken.mobile, "unit": tree["d1a1b1"]},
            {"name": "अजय सिंह", "mobile": "9826060001", "unit": tree["d1a1b2"]},
            {"name": "", "mobile": "9826060004", "unit": tree["d1a1b2"]},
            {"name": "प्रिया शर्मा", "mobile": "9826060005", "unit": tree["d1a1b2"], "relative_name": "राम शर्मा"}]
    results = people_create(scope=scope, data=data)
    made = [r for r in results if isinstance(r, Person)]
    assert [type(r) for r in results] == [Person, DomainError, DomainError, DomainError, Person]
    assert "mobile" in results[1].errors and "mobile" in results[2].errors and "name" in results[3].errors
    for person in made:
        person.refresh_from_db()
        assert check_digit_valid(person.membership_no)
        history = PersonHistory.objects.get(person=person)
        assert history.action == "created" and history.changes["name"] == [None, person.name]
    assert Person.objects.filter(mobile="+919826060001").count() == 1


def test_people_create_refuses_units_outside_the_write_scope(tree):
    scope = scope_for_user(tree.users["booth_president"])
    [result] = people_create(scope=scope, data=[{"name": "रमेश कुमार", "mobile": next_mobile(),
                                                  "unit": tree["d2"]}])
    assert isinstance(result, PermissionDenied)
    assert not Person.objects.filter(unit=tree["d2"], name="रमेश कुमार").exists()


def test_people_create_history_rows_are_those_of_person_create(tree):
    """The CREATED rows COPY'd from tuples hold what ``PersonCreate``'s row holds: actor, changes (consent
    time, unit and tags included), an empty reason."""
    user = tree.users["district_president"]
    scope = scope_for_user(user)
    when = timezone.now() - timedelta(hours=2)
    item = {"name": "रमेश कुमार", "relative_name": "सुरेश कुमार", "unit": tree["d1a1b1"], "epic": "HSC1234567",
            "consent_method": "app", "consent_at": when, "consent_purposes": ["records"], "source": "field_drive"}
    [many] = people_create(scope=scope, data=[{**item, "mobile": "9826070001"}])
    one = person_create(scope=scope, **{**item, "mobile": "9826070002", "epic": "HSC7654321"})
    rows = {p.pk: PersonHistory.objects.get(person=p) for p in (many, one)}
    assert rows[many.pk].actor_id == rows[one.pk].actor_id == user.pk
    assert rows[many.pk].reason == rows[one.pk].reason == ""
    assert abs(rows[many.pk].at - timezone.now()) < timedelta(minutes=1)
    expected = {**rows[one.pk].changes, "mobile": [None, many.mobile], "epic": [None, "HSC1234567"],
                "membership_no": [None, many.membership_no]}
    assert rows[many.pk].changes == expected
    assert rows[many.pk].changes["consent_at"] == [None, when.isoformat()]


def test_people_create_does_not_look_up_again_what_the_caller_searched(tree):
    """``searched`` keys are not looked up (the sync's duplicate search just did): no statement for them,
    yet a repeat among the items is still refused and a membership number still looked up."""
    scope = Scope.system()
    taken = PersonFactory(unit=tree["d1a1b1"])
    data = [{"name": "रमेश कुमार", "mobile": "9826080001", "unit": tree["d1a1b1"], "epic": "SRC1234567"},
            {"name": "अजय सिंह", "mobile": "9826080001", "unit": tree["d1a1b2"]},
            {"name": "प्रिया शर्मा", "mobile": "9826080003", "unit": tree["d1a1b2"], "epic": "SRC1234567"}]
    with CaptureQueriesContext(connection) as queries:
        results = people_create(scope=scope, data=data, searched=("mobile", "epic"))
    assert not any("membership_no" in q["sql"] and "IN" in q["sql"] and q["sql"].lstrip().startswith("SELECT")
                   for q in queries.captured_queries)
    assert [type(r) for r in results] == [Person, DomainError, DomainError]
    assert "mobile" in results[1].errors and "epic" in results[2].errors
    [refused] = people_create(scope=scope, searched=("mobile", "epic"), data=[
        {"name": "सुनीता देवी", "mobile": "9826080004", "unit": tree["d1a1b1"], "membership_no": taken.membership_no}])
    assert isinstance(refused, DomainError) and "membership_no" in refused.errors


def test_the_number_search_reads_the_three_number_indexes(tree):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN of PostgreSQL's planner")
    items = [_values(tree["d1a1b1"], "सुरेश पटेल", "+919826050001", epic="MNY1234567"),
             _values(tree["d1a1b1"], "कमला देवी", "+919826050002")]
    with CaptureQueriesContext(connection) as queries:
        duplicates_before_saving_many(items=items)
    search = queries.captured_queries[0]["sql"]
    assert "= ANY(" in search and "IN (" not in search  # one array each, not a placeholder per number
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask whether an index *can* serve
        cursor.execute("EXPLAIN " + search)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("people_person_mobile_key", "people_person_alt_mobile", "people_person_epic_unique"):
        assert index in plan


def test_a_search_of_many_numbers_asks_at_most_100_at_a_time(tree):
    # PostgreSQL proves a partial index (the alternate mobile's, the voter ID's) usable for an array of at most
    # 100 values; past that the search reads every person (the test above shows the indexes read at 2 values).
    if connection.vendor != "postgresql":
        pytest.skip("the arrays of PostgreSQL's statement")
    items = [_values(tree["d1a1b1"], "सुरेश पटेल", f"+9198260{n:05d}", epic=f"MNY{n:07d}") for n in range(150)]
    with CaptureQueriesContext(connection) as queries:
        found = duplicates_before_saving_many(items=items)
    assert found == [[] for _item in items]
    searches = [query["sql"] for query in queries.captured_queries if "alt_mobile\" = ANY(" in query["sql"]]
    assert len(searches) == 2
    for search in searches:
        arrays = re.findall(r"ANY\('\{([^}]*)\}'", search)
        assert len(arrays) == 3 and all(len(array.split(",")) <= 100 for array in arrays)
    assert sum(len(re.findall(r"\+9198260", search)) for search in searches) == 2 * 150  # mobile and alt_mobile
