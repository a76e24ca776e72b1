"""``people_searchname`` (PostgreSQL): every writer of people leaves in it every name in use, so a name
search that starts there finds what it found before; a rebuild makes it equal to the names in use; and
the hot name queries are answered by its indexes and an index-only scan of ``people_person_name_path``."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from sangathan.access.scope import Scope
from sangathan.people import search_names
from sangathan.people.erasure import person_erase
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.merge import person_merge
from sangathan.people.models import Person
from sangathan.people.search import search, search_page
from sangathan.people.services import person_create, person_update
from tests.people.import_files import mobile, person_row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("people_searchname is PostgreSQL schema")


def table() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_latin, name_key FROM people_searchname")
        return set(cursor.fetchall())


def in_use() -> set[tuple[str, str]]:
    return set(Person.objects.values_list("name_latin", "name_key").distinct())


def assert_rebuild_equal(left_over: set[tuple[str, str]] = frozenset()) -> None:
    """The table is a full rebuild plus, at most, names the writer took out of use; a rebuild removes those."""
    before = table()
    assert before - in_use() <= set(left_over), before - in_use()
    assert in_use() <= before, in_use() - before
    search_names.rebuild()
    assert table() == in_use()


def pair(person: Person) -> tuple[str, str]:
    person.refresh_from_db()
    return person.name_latin, person.name_key


def test_services_create_update_and_move(tree):
    assert_rebuild_equal()
    person = person_create(scope=Scope.system(), name="कुसुम तिवारी", mobile="9826011111", unit=tree["d1a1b1"])
    assert pair(person) in table()
    old = pair(person)
    person_update(scope=Scope.system(), person=person, name="Kusum Shukla")
    assert pair(person) in table()
    person_update(scope=Scope.system(), person=person, unit=tree["d1a2b1"])  # a move keeps the name
    assert_rebuild_equal({old})


def test_a_raw_update_is_caught_by_the_trigger(tree):
    person = tree.people["d1a1b1p0"]
    old = pair(person)
    Person.objects.filter(pk=person.pk).update(name_latin="zzz qqq", name_key="zz kk")
    assert ("zzz qqq", "zz kk") in table()
    assert_rebuild_equal({old})


def test_import_copy_path(tree, tmp_path):
    rows = [person_row(name=name, mobile=mobile(i), unit=tree["d1a1b1"].code)
            for i, name in enumerate(["ज्ञानेश्वर पाठक", "Gyaneshwar Pathak", "दामोदर भार्गव"], start=1)]
    rows.append(person_row(name="Renamed By Import", mobile=tree.people["d1a1b1p0"].mobile, unit=tree["d1a1b1"].code))
    old = pair(tree.people["d1a1b1p0"])
    path = write_csv(tmp_path / "p.csv", rows)
    scope = Scope.system(channel="cli")
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name, on_match="update")
    job = import_run(scope=scope, job=job, path=str(path))
    assert (job.created, job.updated) == (3, 1)
    assert_rebuild_equal({old})


def test_merge_and_erasure(tree):
    survivor, merged = tree.people["d1a1b1p0"], tree.people["d1a1b1p1"]
    survivor_name, merged_name = pair(survivor), pair(merged)
    person_merge(scope=Scope.system(), survivor=survivor, merged=merged, field_choices={"name": "merged"})
    assert pair(survivor) in table()
    erased = tree.people["d1a1b2p0"]
    erased_name = pair(erased)
    person_erase(scope=Scope.system(), person=erased, reason="अनुरोध")
    assert pair(erased) in table()
    assert_rebuild_equal({survivor_name, merged_name, erased_name})


def test_demo_loader():
    call_command("demo", "--scale", "small", "--members", "30", "--seed", "3", stdout=io.StringIO())
    assert Person.objects.count() > 30
    assert_rebuild_equal()


def test_command_reports_and_rebuilds(tree):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_searchname")
    out = io.StringIO()
    call_command("search_names", "--rebuild", stdout=out)
    assert "0 in use but missing, 0 no longer in use" in out.getvalue()
    assert table() == in_use()


def test_a_stale_name_changes_no_result(tree):
    person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"])
    with connection.cursor() as cursor:
        # A left-over pair with the Latin form of a real name but another key: the search still checks people.
        cursor.execute("INSERT INTO people_searchname VALUES ('ram khandelaval', 'xx')")
    people = Person.objects.all()
    assert [p.name for p in search_page(search(people, "khandelwal"), 0, 50)[0]] == ["राम खंडेलवाल"]
    assert search_page(search(people, "xx"), 0, 50) == ([], 0)


def plan_nodes(queryset) -> list[dict]:
    """The plan with only index-only scans allowed: a test table is never marked all-visible (no VACUUM in
    a transaction), so the planner would rather read a few rows; if people_person is still read through an
    index-only scan, the query needs nothing the index does not carry."""
    with connection.cursor() as cursor:
        for kind in ("seqscan", "bitmapscan", "indexscan"):
            cursor.execute(f"SET LOCAL enable_{kind} = off")
    ids = queryset.values_list("pk", flat=True)[:50]
    plan = json.loads(ids.explain(format="json"))[0]["Plan"]
    nodes, pending = [], [plan]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", ()))
    return nodes


@pytest.mark.parametrize("q", ["khandelwal", "ram khandelwal", "ram", "khandelwaal", "खंडेलवाल"])
def test_name_queries_rank_from_an_index_only_scan(tree, q):
    person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"])
    nodes = plan_nodes(search(Person.objects.filter(unit_path__startswith=tree["d1"].path), q))
    people_scans = [node for node in nodes if node.get("Relation Name") == "people_person"]
    assert [node["Node Type"] for node in people_scans] == ["Index Only Scan"], people_scans
    assert people_scans[0]["Index Name"] == "people_person_name_path"
    assert any(node.get("Relation Name") == "people_searchname" for node in nodes), nodes
