"""A subtree query is an index range scan (DESIGN invariant 1), on people and on units alike.

On PostgreSQL sequential scans are switched off for the test, so the planner shows whether an index can
serve the filter at all, whatever the table's size: if none can, it still falls back to a Seq Scan.
On SQLite the query plan must show an index SEARCH on the path range.
"""

import json

import pytest
from django.db import connection

from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit
from sangathan.people.models import Person

pytestmark = pytest.mark.django_db


def leading_column_indexes(table: str, column: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, info in constraints.items() if info["index"] and info["columns"][:1] == [column]}


def plan_nodes(queryset) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = json.loads(queryset.explain(format="json"))[0]["Plan"]
    nodes, pending = [], [plan]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", ()))
    return nodes


def assert_uses_path_index(queryset, table: str, column: str) -> None:
    if connection.vendor == "postgresql":
        nodes = plan_nodes(queryset)
        assert not [node for node in nodes if node["Node Type"] == "Seq Scan"], nodes
        indexes = leading_column_indexes(table, column)
        # A range condition on the path, not merely a full walk of some index that starts with it.
        served = [node for node in nodes
                  if node.get("Index Name") in indexes and column in node.get("Index Cond", "")]
        assert served, nodes
    else:
        # SQLite names the index of a unique column itself (sqlite_autoindex_…): check the range search.
        plan = queryset.explain()
        assert f"SEARCH {table} USING" in plan and "INDEX" in plan and f"({column}>? AND {column}<?)" in plan, plan


def test_people_subtree_query_uses_the_path_index(tree):
    queryset = Person.objects.filter(subtree_q("unit_path", tree["d1"].path))
    assert queryset.count() > 0
    assert_uses_path_index(queryset, "people_person", "unit_path")


def test_unit_subtree_query_uses_the_path_index(tree):
    queryset = Unit.objects.filter(subtree_q("path", tree["d1a1"].path))
    assert queryset.count() > 1
    assert_uses_path_index(queryset, "org_unit", "path")
