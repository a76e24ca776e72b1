"""How fast "the people under this district" is with the materialized path, against plain id columns.

On PostgreSQL, for the districts with the most, the median and the fewest people, it times the queries
the app sends:

* page ids / page rows: the first 50 people under the district ordered by (name_latin, id), via the
  path-prefix filter: (id, name_latin) only, and whole rows with their unit as the app reads a page
  (``core.pagination.fetch_page``: the page's ids, then those rows);
* count: the number of people under the district;
* per assembly: people counted per child unit with the path-prefix group-by (``people_count_by_prefix``);

and, as baselines, the same questions on ``bench_person_flat``: (id, name_latin) with the district's and
the assembly's ids in plain btree-indexed columns, i.e. the denormalized design the path replaces.
The side table is built at the start of each run (so it always matches the data) and dropped at the end.
"""

from collections.abc import Callable

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Substr
from django.test.utils import CaptureQueriesContext

from benchmarks import Timing, time_sql
from sangathan.core.pagination import fetch_page
from sangathan.core.tree import SEGMENT, subtree_q
from sangathan.org.models import Unit
from sangathan.people.models import Person
from sangathan.people.selectors import people_count_by_prefix

FLAT_TABLE = "bench_person_flat"
PAGE_SIZE = 50


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("people_subtree measures PostgreSQL's plans: run it with "
                           "DATABASE_URL=postgres://… (the database in use is SQLite).")
    people = _ensure_people(out=out, min_people=min_people, build=build)
    districts = _districts_to_measure()
    out(f"people_subtree: {people:,} people; {repeat} timed runs of each query")
    with connection.cursor() as cursor:
        _create_flat_table(cursor, district_length=len(districts[0][1].path), out=out)
        try:
            for label, district, district_people in districts:
                out(f"{label} district: {district.name_en} ({district.code}, path {district.path}), "
                    f"{district_people:,} people in {district.children.count()} assemblies")
                _measure(cursor, district, repeat=repeat, out=out)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {FLAT_TABLE}")


def _measure(cursor, district: Unit, *, repeat: int, out: Callable[[str], None]) -> None:
    out(f"  {'query':<13} {'path prefix (ms)':>26}   {'district_id baseline (ms)':>26}   {'ratio':>6}")
    out(f"  {'':<13} {'p50':>8} {'p95':>8} {'mean':>8}   {'p50':>8} {'p95':>8} {'mean':>8}   {'p50':>6}")
    plans = []
    for label, app_sql, baseline_sql in _queries(district):
        app = time_sql(cursor, app_sql, repeat=repeat)
        baseline = time_sql(cursor, baseline_sql, repeat=repeat)
        out(f"  {label:<13} {app}   {baseline}   {_ratio(app, baseline):>6}")
        plans.append((label, _plan_summary(cursor, app_sql), _plan_summary(cursor, baseline_sql)))
    for label, app_plan, baseline_plan in plans:
        out(f"  plan {label}, path prefix: {app_plan}")
        out(f"  plan {label}, baseline:    {baseline_plan}")


def _ensure_people(*, out: Callable[[str], None], min_people: int, build: bool) -> int:
    people = Person.objects.count()
    if people >= min_people:
        return people
    empty = not Unit.objects.exists()
    if build and empty:
        out(f"Loading the mp demo with {min_people:,} members (--build) …")
        call_command("demo", scale="mp", members=min_people)
        return Person.objects.count()
    load = (f"`sangathan demo --scale mp --members {min_people}` (or pass --build)" if empty
            else f"`sangathan demo --scale mp --members {min_people} --reset` (this empties the database)")
    raise CommandError(f"The database holds {people:,} people; this benchmark needs at least {min_people:,}. "
                       f"Load them with {load}, or lower --min-people.")


def _districts_to_measure() -> list[tuple[str, Unit, int]]:
    """The districts with the most, the median and the fewest people: the planner answers a first page
    differently by the share of all people a subtree holds, so one size alone would mislead."""
    districts = {unit.path: unit for unit in Unit.objects.filter(level="district")}
    if not districts:
        raise CommandError("The database has no districts: load the demo first.")
    length = len(next(iter(districts)))
    counts = (Person.objects.annotate(prefix=Substr("unit_path", 1, length)).values("prefix")
              .annotate(n=Count("id")).values_list("prefix", "n"))
    ranked = sorted(((n, path) for path, n in counts if path in districts), reverse=True)
    picks = {"largest": ranked[0], "median": ranked[len(ranked) // 2], "smallest": ranked[-1]}
    return [(label, districts[path], n) for label, (n, path) in picks.items()]


def _create_flat_table(cursor, *, district_length: int, out: Callable[[str], None]) -> None:
    """The baseline: person id and name with the district's and assembly's ids as plain columns."""
    cursor.execute(f"DROP TABLE IF EXISTS {FLAT_TABLE}")
    cursor.execute(
        f"CREATE TABLE {FLAT_TABLE} AS"
        " SELECT p.id, p.name_latin, d.id AS district_id, a.id AS assembly_id FROM people_person p"
        " LEFT JOIN org_unit d ON d.path = left(p.unit_path, %s)"
        " LEFT JOIN org_unit a ON a.path = left(p.unit_path, %s)",
        [district_length, district_length + SEGMENT],
    )
    cursor.execute(f"CREATE INDEX {FLAT_TABLE}_district ON {FLAT_TABLE} (district_id)")
    cursor.execute(f"CREATE INDEX {FLAT_TABLE}_district_name ON {FLAT_TABLE} (district_id, name_latin, id)")
    cursor.execute(f"CREATE INDEX {FLAT_TABLE}_assembly ON {FLAT_TABLE} (assembly_id)")
    # Both tables vacuumed and analyzed alike: fresh statistics and visibility maps (index-only scans).
    cursor.execute(f"VACUUM ANALYZE {FLAT_TABLE}")
    cursor.execute("VACUUM ANALYZE people_person")
    out(f"baseline table {FLAT_TABLE} built; both tables vacuumed and analyzed")


def _captured_sql(action: Callable[[], object]) -> str | tuple[str, ...]:
    """The exact SQL the ORM sends for ``action`` (parameters bound), so both sides are timed the same way;
    several statements when the app reads in several queries."""
    with CaptureQueriesContext(connection) as context:
        action()
    statements = tuple(query["sql"] for query in context.captured_queries)
    return statements[0] if len(statements) == 1 else statements


def _queries(district: Unit) -> list[tuple[str, str, str]]:
    under = Person.objects.filter(subtree_q("unit_path", district.path)).order_by("name_latin", "id")
    page_ids = _captured_sql(lambda: list(under.values_list("id", "name_latin")[:PAGE_SIZE]))
    # As the app reads a page (core.pagination.fetch_page): the page's ids, then those rows with their unit.
    page_rows = _captured_sql(lambda: fetch_page(under.select_related("unit"), 0, PAGE_SIZE))
    count = _captured_sql(under.count)
    per_assembly = _captured_sql(lambda: people_count_by_prefix(district.path, len(district.path) + SEGMENT))
    where = f"WHERE district_id = {int(district.pk)}"
    first_ids = f"SELECT id FROM {FLAT_TABLE} {where} ORDER BY name_latin, id LIMIT {PAGE_SIZE}"
    return [
        ("page ids", page_ids,
         f"SELECT id, name_latin FROM {FLAT_TABLE} {where} ORDER BY name_latin, id LIMIT {PAGE_SIZE}"),
        # The baseline reads whole rows as if district_id were a column of people: 50 ids from its index,
        # then 50 rows by primary key.
        ("page rows", page_rows,
         "SELECT p.*, u.* FROM people_person p JOIN org_unit u ON u.id = p.unit_id"
         f" WHERE p.id IN ({first_ids}) ORDER BY p.name_latin, p.id"),
        ("count", count, f"SELECT COUNT(*) FROM {FLAT_TABLE} {where}"),
        ("per assembly", per_assembly,
         f"SELECT assembly_id, COUNT(*) FROM {FLAT_TABLE} {where} GROUP BY assembly_id"),
    ]


def _ratio(app: Timing, baseline: Timing) -> str:
    return f"{app.p50 / baseline.p50:.1f}x" if baseline.p50 else "-"


def _plan_summary(cursor, sql: str | tuple[str, ...]) -> str:
    """The executed plan as one line: node types, index names and actual rows, and the buffers touched."""
    if not isinstance(sql, str):
        return " then ".join(_plan_summary(cursor, statement) for statement in sql)
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
    plan = cursor.fetchone()[0][0]
    nodes = []

    def walk(node: dict) -> None:
        label = node["Node Type"]
        if "Index Name" in node:
            label += f" using {node['Index Name']}"
        nodes.append(f"{label} (rows={node['Actual Rows']})")
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan["Plan"])
    top = plan["Plan"]
    return (f"{' > '.join(nodes)}; buffers hit={top.get('Shared Hit Blocks', 0)} "
            f"read={top.get('Shared Read Blocks', 0)}; {plan['Execution Time']:.2f} ms")
