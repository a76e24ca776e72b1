"""How fast the registry's search box answers at state size, against a plain indexed equality lookup.

On PostgreSQL with the mp demo (≥ ``--min-people`` people), it times the search exactly as the API and the
search page run it — ``person_list(scope=…, q=…)`` then ``search_page`` (a page of 50 ids with the total
in one query, then those rows) — for a state-wide reader (the state admin's scope) and a district
president's reader (the largest district's scope):

* name, Latin query for Devanagari names (a common surname, a full name, a 3-letter first name, a
  misspelt surname that only the trigram tier finds);
* name, Devanagari query, which must also find names stored in Latin letters: for the run, one person in
  50 of the district has their name rewritten in Latin letters (``Ramesh Yadav``), restored at the end;
* mobile: a full number typed the Indian way (``98260 12345``), and its last 5 and last 4 digits.

The baseline, timed in the same run through the same ORM path, is a plain indexed equality lookup: one
person by their exact (unique, btree-indexed) mobile. The executed plans of the name and last-digits
searches are printed.
"""

import json
import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import connection

from benchmarks import Timing, figure, summarize
from sangathan.access.scope import Scope, ScopeRoot
from sangathan.core.phones import display_mobile
from sangathan.org.enums import Grant
from sangathan.org.models import Unit
from sangathan.people.models import Person
from sangathan.people.search import page_ids_sql, search_page
from sangathan.people.selectors import person_list

NAMES_TABLE = "bench_search_names"
LATIN_SHARE = 50  # one person in this many gets a Latin-letter name for the run
PAGE = 50
WARMUP = 5
TARGET_P95_MS = 50  # issue 15: every query kind, at state and at district scope


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("people_search measures PostgreSQL's trigram and expression indexes: run it with "
                           "DATABASE_URL=postgres://… (the database in use is SQLite).")
    people = Person.objects.count()
    if people < min_people:
        raise CommandError(f"Only {people:,} people: load `sangathan demo --scale mp --members {min_people}` first.")
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    district = max(Unit.objects.filter(level="district"),
                   key=lambda unit: Person.objects.filter(unit_path__startswith=unit.path).count())
    scopes = [("state", Scope.build([ScopeRoot(state.pk, state.path, Grant.WRITE)])),
              (f"district {district.code}", Scope.build([ScopeRoot(district.pk, district.path, Grant.WRITE)]))]
    sample = Person.objects.filter(unit_path__startswith=district.path).order_by("pk")[1000]
    surname_latin = sample.name_latin.split()[-1]
    surname = sample.name.split()[-1]
    first_name = sample.name_latin.split()[0][:3]
    misspelt = surname_latin[:2] + surname_latin[3] + surname_latin[2] + surname_latin[4:]  # two letters swapped
    mobile = sample.mobile
    queries = [
        ("name: Latin surname", surname_latin),
        ("name: Latin full name", sample.name_latin),
        ("name: Latin first 3 letters", first_name),
        ("name: misspelt surname", misspelt),
        ("name: Devanagari surname", surname),
        ("mobile: full, spaced", display_mobile(mobile)),
        ("mobile: last 5 digits", mobile[-5:]),
        ("mobile: last 4 digits", mobile[-4:]),
    ]
    out(f"people_search: {people:,} people; district {district.code} ({district.name_en}); {repeat} timed runs each")
    _latin_names(out, district.path)
    try:
        with connection.cursor() as cursor:
            # As autovacuum leaves a table a minute after a bulk change (here: the renaming above).
            cursor.execute("VACUUM ANALYZE people_person")
        baseline = _time(lambda: list(Person.objects.select_related("unit").filter(mobile=mobile)), repeat)
        out(f"  {'query':<30} {'q':<24} {'scope':<18} {'matches':>8} {'p50':>8} {'p95':>8} {'mean':>8}  ratio")
        out(f"  {'baseline: person by mobile':<30} {mobile:<24} {'-':<18} {1:>8} {baseline}  1.0x")
        for label, q in queries:
            for scope_label, scope in scopes:
                matches = search_page(person_list(scope=scope, q=q), 0, PAGE)[1]
                timing = _time(lambda q=q, scope=scope: search_page(person_list(scope=scope, q=q), 0, PAGE),
                               repeat)
                out(f"  {label:<30} {q:<24} {scope_label:<18} {matches:>8} {timing}  "
                    f"{timing.p50 / baseline.p50:.1f}x")
                figure("people_search", f"{label}, {scope_label.split()[0]} p95 (baseline: person by mobile)",
                       timing.p95, "ms", target=f"p95 ≤ {TARGET_P95_MS} ms", met=timing.p95 <= TARGET_P95_MS,
                       baseline=baseline.p95)
        for label, q in (queries[0], queries[3], queries[6]):
            for scope_label, scope in scopes:
                out(f"  plan {label}, {scope_label}: {_plan(person_list(scope=scope, q=q))}")
    finally:
        _restore_names(out)


def _time(action: Callable[[], object], repeat: int) -> Timing:
    for _ in range(WARMUP):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def _latin_names(out: Callable[[str], None], path: str) -> None:
    """One person in LATIN_SHARE of the measured district gets their name in Latin letters (``Ramesh
    Yadav``); the keys stay as they are, since both spellings give the same key. The originals wait in a
    side table. (Only the district: at 15M a state-wide share is 300,000 updates of a 15-index table.)"""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NAMES_TABLE}")
        cursor.execute(f"CREATE TABLE {NAMES_TABLE} AS SELECT id, name FROM people_person "
                       f"WHERE id %% {LATIN_SHARE} = 0 AND name_latin <> '' AND unit_path LIKE %s", [path + "%"])
        cursor.execute(f"UPDATE people_person p SET name = initcap(p.name_latin) FROM {NAMES_TABLE} b "
                       "WHERE p.id = b.id")
        out(f"  {cursor.rowcount:,} people renamed in Latin letters for the run")


def _restore_names(out: Callable[[str], None]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE people_person p SET name = b.name FROM {NAMES_TABLE} b WHERE p.id = b.id")
        restored = cursor.rowcount
        cursor.execute(f"DROP TABLE IF EXISTS {NAMES_TABLE}")
    out(f"  {restored:,} names restored")


def _plan(queryset) -> str:
    """The executed plan of the query ``search_page`` runs for the page's ids, as one line: the walk of the
    ranked names for a name search (``people.search.page_ids_sql``), else the page of ids with its count."""
    sql, params = page_ids_sql(queryset, 0, PAGE)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan)[0] if isinstance(plan, str) else plan[0]
    nodes = []

    def walk(node: dict) -> None:
        label = node["Node Type"]
        if "Index Name" in node:
            label += f" using {node['Index Name']}"
        nodes.append(f"{label} (rows={node['Actual Rows']})")
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan["Plan"])
    return f"{' > '.join(nodes)}; buffers hit={plan['Plan'].get('Shared Hit Blocks', 0)}; {plan['Execution Time']:.2f} ms"
