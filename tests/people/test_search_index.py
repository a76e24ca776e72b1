"""On PostgreSQL the search is served by indexes: trigram (GiST) for names, the reversed mobile for last
digits, the unique mobile index for a full number. Sequential scans are switched off, so the planner shows
whether an index can serve the query at all, whatever the table's size (see test_subtree_index.py)."""

import json

import pytest
from django.db import connection

from sangathan.access.scope import Scope, scope_for_user
from sangathan.people.models import Person
from sangathan.people.search import search
from sangathan.people.selectors import person_list
from sangathan.people.services import person_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL plans")


def plan_nodes(queryset) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    ids = queryset.values_list("pk", flat=True)[:50]
    plan = json.loads(ids.explain(format="json"))[0]["Plan"]
    nodes, pending = [], [plan]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", ()))
    return nodes


def index_names(queryset) -> set[str]:
    nodes = plan_nodes(queryset)
    assert not [node for node in nodes if node["Node Type"] == "Seq Scan"], nodes
    return {node["Index Name"] for node in nodes if "Index Name" in node}


@pytest.fixture
def people(tree):
    person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"])
    return Person.objects.all()


def bitmaps_only():
    """A test's people_searchname is a few rows, which the planner would rather read whole through its
    primary key; bitmap scans only show which indexes serve the conditions (test_search_names.py checks
    the index-only scan of the people)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")


def test_name_search_uses_the_trigram_indexes_of_the_names(people):
    # The search's own condition (without a scope's path filter, which a small table would rather use):
    # the matching names from people_searchname (people.0013), then their people by name.
    bitmaps_only()
    used = index_names(search(people, "khandelwal"))
    assert {"people_searchname_key_trgm", "people_searchname_latin_trgm"} <= used, used
    # Their people through an index on the name: (name, id) or, on a small table, (path, name, id).
    assert used & {"people_person_name_path", "people_person_path_name"}, used


def test_short_name_search_uses_the_key_indexes_only(people):
    bitmaps_only()
    searched = search(people, "ram")
    used = index_names(searched)
    assert "people_searchname_key_trgm" in used, used
    # No similarity tier below 4 letters (GiST also serves the Latin form's equality, so the index may show).
    assert "%>" not in str(searched.query)


def test_last_digits_use_the_reversed_mobile_index(people):
    assert "people_person_mobile_rev" in index_names(search(people, "12345"))


def test_full_mobile_uses_the_unique_and_alternate_indexes(people):
    used = index_names(search(people, "098260-12345"))
    assert "people_person_alt_mobile" in used and any("mobile" in name for name in used - {
        "people_person_alt_mobile"}), used


def test_scoped_search_is_served_by_indexes_too(tree, people):
    scope = scope_for_user(tree.users["district_president"])
    for q in ("khandelwal", "ram", "12345", "9826012345"):
        index_names(person_list(scope=scope, q=q))  # no sequential scan


def test_indexes_exist_with_their_definitions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes "
                       "WHERE tablename IN ('people_person', 'people_searchname')")
        definitions = dict(cursor.fetchall())
    # people.0015: GiST, which the planner chooses for the similarity operator on its own (with GIN it read
    # every name instead; `sangathan bench people_search` prints the plans at 1M and 15M people).
    assert "USING gist (name_key gist_trgm_ops (siglen='64'))" in definitions["people_searchname_key_trgm"]
    assert "USING gist (name_latin gist_trgm_ops (siglen='64'))" in definitions["people_searchname_latin_trgm"]
    assert "reverse" in definitions["people_person_mobile_rev"]
    assert "(name_latin, unit_path varchar_pattern_ops, id) INCLUDE (name_key)" in definitions[
        "people_person_name_path"]
    # people.0013: prefixes of another index, a LIKE copy of the unique mobile index, and the trigram
    # indexes the search no longer reads (test_redundant_indexes_are_not_needed shows their queries).
    # people.0016: the key's own index, which nothing reads.
    gone = {"people_person_path_like", "people_person_key_trgm", "people_person_latin_trgm", "people_person_name_key"}
    assert not gone & set(definitions), definitions
    assert not [name for name in definitions if name.startswith(("people_person_unit_id", "people_person_mobile_"))
                and name != "people_person_mobile_rev" and name != "people_person_mobile_key"], definitions


def test_redundant_indexes_are_not_needed(tree, people):
    """What the dropped indexes served is served by the ones that remain: a subtree (path prefix) by
    people_person_path_name, a unit's people by people_person_unit_status, a mobile by its unique index."""
    unit = tree["d1a1b1"]
    assert "people_person_path_name" in index_names(Person.objects.filter(unit_path__startswith=unit.path))
    assert "people_person_unit_status" in index_names(Person.objects.filter(unit=unit))
    assert "people_person_unit_status" in index_names(unit.people.all())
    assert "people_person_mobile_key" in index_names(Person.objects.filter(mobile="+919826012345"))


def test_a_subtree_in_name_order_can_walk_the_name_index(tree, people):
    """people.0016 put the path inside people_person_name_path: a big subtree's first page in name order
    still walks it in name order (ids sorted per name as they come, never the whole subtree sorted). A
    test's table is small, so the path index, which the planner would rather use, is dropped (rolled back)."""
    from sangathan.core.tree import subtree_q

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX people_person_path_name")
        cursor.execute("SET LOCAL enable_sort = off")  # a few rows: sorting them all would be as cheap
    listing = Person.objects.filter(subtree_q("unit_path", tree["state"].path)).order_by("name_latin", "id")
    nodes = plan_nodes(listing)
    assert "people_person_name_path" in {node.get("Index Name") for node in nodes}, nodes
    assert "Sort" not in {node["Node Type"] for node in nodes}, nodes  # an Incremental Sort at most
