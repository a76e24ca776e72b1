"""Reading PostgreSQL plans in tests: the indexes a query uses, and the tables it reads."""

import json

from django.db import connection


def plan_nodes(queryset, *, seqscan: bool = True) -> list[dict]:
    """Every node of ``queryset``'s plan (``EXPLAIN (FORMAT JSON)``). ``seqscan=False`` turns sequential
    scans off for the test's transaction, so a tiny table still shows the index a big one would use."""
    if not seqscan:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    nodes, pending = [], [json.loads(queryset.explain(format="json"))[0]["Plan"]]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", ()))
    return nodes


def sql_plan_nodes(sql: str, params) -> list[dict]:
    """``plan_nodes`` of a raw statement (sequential scans allowed)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        pending = [cursor.fetchone()[0][0]["Plan"]]
    nodes = []
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", ()))
    return nodes


def index_names(queryset) -> set[str]:
    """The indexes ``queryset`` reads, sequential scans off."""
    return {node["Index Name"] for node in plan_nodes(queryset, seqscan=False) if "Index Name" in node}


def relation_names(queryset) -> set[str]:
    """The tables ``queryset`` reads (directly or through an index)."""
    return {node["Relation Name"] for node in plan_nodes(queryset) if "Relation Name" in node}
