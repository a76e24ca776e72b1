"""The registry's one search box: what a user typed, turned into a filter and a relevance order.

A query is read as one of:

* a **mobile number** in any common Indian spelling (``+91 98260 12345``, ``098260-12345``,
  ``9826012345``) — the person's own or alternate mobile, exactly;
* the **last digits** of a mobile (4 to 9 digits) — PostgreSQL answers from an index on the reversed
  number (``people_person_mobile_rev``), so "ends with 12345" is an index range scan;
* a **voter ID** (EPIC) or a **membership number**, exactly;
* otherwise a **name** in either script. Names are compared by their phonetic key (``core.names``), where
  ``khandelwal`` and ``खंडेलवाल`` meet, and by their Latin form. Relevance tiers, best first:

  0. exact: the whole name's key (or Latin form) equals the query's;
  1. prefix: some word of the name starts with the query's key (``ram`` finds ``रामेश्वर खंडेलवाल`` and
     ``सीता राम``; ``ram khan`` finds ``राम खंडेलवाल``);
  2. fuzzy (queries of 4 letters or more): on PostgreSQL, trigram word similarity of the Latin forms
     (``pg_trgm``: misspellings such as ``khandewal``), ordered by that similarity; on SQLite, the key
     anywhere inside the name's key.

  Within a tier, people are ordered by Latin name, then id.

On PostgreSQL a name query first finds the matching *names* in ``people_searchname`` (the distinct
(Latin form, key) pairs of the registry, kept by triggers: ``people.search_names``), through its btree
(exact, first-word prefix) and GiST trigram indexes (inner-word prefix, similarity; people.0015); then the people who
carry those names through ``people_person_name_path`` (Latin form, id; path and key included), which
checks the scope and computes the rank without visiting the table (migration ``people.0013``). A page
(``search_page``) ranks the *names* instead and walks them in order, each name's people by one index
probe, stopping after the page and ``COUNT_CAP + 1`` people: the count is capped ("1,000+"), so a common
surname costs what its first thousand people cost, not all of them.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Case, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.aggregates import Count
from django.db.models.expressions import RawSQL
from django.db.models.functions import Reverse
from django.db.models.lookups import Lookup, StartsWith
from django.db.models.sql import Query

from sangathan.core.digits import ascii_digits
from sangathan.core.epic import EPIC_RE
from sangathan.core.names import has_devanagari, name_key, to_latin
from sangathan.core.phones import try_normalize_mobile

# Shorter names make the fuzzy tier match half the registry.
FUZZY_MIN_LENGTH = 4
LAST_DIGITS_MIN = 4
RANK = "search_rank"
# A search counts its matches up to this many; more are shown as "1,000+" and paged up to it.
COUNT_CAP = 1000
SIMILARITY = "search_similarity"

_PHONE_CHARS = re.compile(r"[\s\-+().]")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9/\-]+$")


@dataclass(frozen=True)
class ParsedQuery:
    kind: str  # "mobile", "digits", "identifier", "name" or "" (nothing to search)
    text: str
    mobile: str = ""  # E.164, for kind "mobile"
    digits: str = ""
    key: str = ""
    latin: str = ""


def parse_query(q: str) -> ParsedQuery:
    """What the text of the search box asks for (see the module's docstring)."""
    text = " ".join(ascii_digits(q or "").split())
    if not text:
        return ParsedQuery("", "")
    compact = _PHONE_CHARS.sub("", text)
    if compact.isdigit() and not has_devanagari(text):
        mobile = try_normalize_mobile(text) if len(compact) >= 10 else None
        if mobile:
            return ParsedQuery("mobile", text, mobile=mobile, digits=compact)
        if len(compact) >= LAST_DIGITS_MIN:
            return ParsedQuery("digits", text, digits=compact[-10:])
        return ParsedQuery("identifier", text)
    joined = text.replace(" ", "")
    if EPIC_RE.match(joined.upper()) or (_IDENTIFIER.match(joined) and any(ch.isdigit() for ch in joined)
                                         and " " not in text):
        return ParsedQuery("identifier", joined)
    key = name_key(text)
    latin = to_latin(text)
    if not key and not latin:
        return ParsedQuery("", text)
    return ParsedQuery("name", text, key=key, latin=latin)


class WordSimilar(Lookup):
    """``name %> 'query'`` (pg_trgm): some word of the name is similar to the query, as a lookup the GiST
    trigram index serves, without installing ``django.contrib.postgres``."""

    lookup_name = "sangathan_word_similar"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %%> {rhs}", (*lhs_params, *rhs_params)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _identifier_q(parsed: ParsedQuery) -> Q:
    upper = parsed.text.replace(" ", "").upper()
    query = Q(membership_no=parsed.text) | Q(membership_no=upper)
    if EPIC_RE.match(upper):
        query |= Q(epic=upper)
    return query


def _last_digits_q(digits: str) -> Q:
    if _postgres():
        # Served by the index on reverse(mobile): a suffix becomes a prefix.
        return Q(StartsWith(Reverse("mobile"), digits[::-1]))
    return Q(mobile__endswith=digits)


def _word_prefix_q(field: str, value: str) -> Q:
    return Q(**{f"{field}__startswith": value}) | Q(**{f"{field}__contains": " " + value})


def _name_tiers(parsed: ParsedQuery) -> tuple[Q, Q, Q | None]:
    """(exact, prefix, fuzzy) conditions of a name query; fuzzy is None for short queries."""
    exact = Q(pk__in=[])
    prefix = Q(pk__in=[])
    if parsed.key:
        exact |= Q(name_key=parsed.key)
        prefix |= _word_prefix_q("name_key", parsed.key)
    if parsed.latin:
        exact |= Q(name_latin=parsed.latin)
        prefix |= _word_prefix_q("name_latin", parsed.latin) if not parsed.key else Q(pk__in=[])
    fuzzy = None
    if len(parsed.latin.replace(" ", "")) >= FUZZY_MIN_LENGTH:
        if _postgres():
            fuzzy = Q(WordSimilar(F("name_latin"), Value(parsed.latin)))
        elif parsed.key:
            fuzzy = Q(name_key__contains=parsed.key)
    return exact, prefix, fuzzy


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_conditions(parsed: ParsedQuery) -> tuple[tuple[str, list], tuple[str, list], tuple[str, list] | None]:
    """(exact, prefix, fuzzy) of ``_name_tiers`` as SQL on the columns name_latin and name_key, with their
    parameters; fuzzy is None for short queries. The conditions are fixed text; what the user typed goes in
    as parameters."""
    exact, exact_params, prefix, prefix_params = [], [], [], []
    if parsed.key:
        exact.append("name_key = %s")
        exact_params.append(parsed.key)
        prefix += ["name_key LIKE %s", "name_key LIKE %s"]
        prefix_params += [_like(parsed.key) + "%", "% " + _like(parsed.key) + "%"]
    if parsed.latin:
        exact.append("name_latin = %s")
        exact_params.append(parsed.latin)
        if not parsed.key:
            prefix += ["name_latin LIKE %s", "name_latin LIKE %s"]
            prefix_params += [_like(parsed.latin) + "%", "% " + _like(parsed.latin) + "%"]
    fuzzy = None
    if len(parsed.latin.replace(" ", "")) >= FUZZY_MIN_LENGTH:
        fuzzy = ("name_latin %%> %s", [parsed.latin])
    return (" OR ".join(exact), exact_params), (" OR ".join(prefix), prefix_params), fuzzy


def _matching_names(parsed: ParsedQuery) -> RawSQL:
    """The Latin forms of the distinct names (``people_searchname``) that meet the tiers of ``_name_tiers``,
    the same conditions on the same two columns. A person matches only if their (Latin form, key) pair
    does, and the table holds every pair in use (see people.0013), so restricting people to these Latin
    forms changes no result; it lets PostgreSQL find a few hundred names in a small table, then their
    people through ``people_person_name_path`` (Latin form, id; path and key included) without visiting a row."""
    tiers = [tier for tier in _name_conditions(parsed) if tier is not None]
    return RawSQL(f"SELECT name_latin FROM people_searchname WHERE {' OR '.join(sql for sql, _ in tiers)}",  # noqa: S608, S611
                  [param for _sql, params in tiers for param in params])


def _ranked_names(parsed: ParsedQuery) -> tuple[str, list]:
    """The matching names, one row per (tier, similarity, Latin form) in the search's order, with the keys
    that share them: ``tier`` 0 exact, 1 prefix, 2 fuzzy; ``sim`` the fuzzy tier's similarity (1 for the
    others, as in ``search``). Every condition is one of the name's two columns, so a person's rank is
    their name's: walking these rows in order, and each row's people by id, is the search's order."""
    (exact, exact_params), (prefix, prefix_params), fuzzy = _name_conditions(parsed)
    where, where_params = f"({exact}) OR ({prefix})", [*exact_params, *prefix_params]
    similarity, similarity_params = "1.0::float8", []
    if fuzzy is not None:
        where, where_params = f"{where} OR ({fuzzy[0]})", [*where_params, *fuzzy[1]]
        similarity = f"CASE WHEN ({exact}) OR ({prefix}) THEN 1.0::float8 ELSE word_similarity(%s, name_latin)::float8 END"
        similarity_params = [*exact_params, *prefix_params, parsed.latin]
    sql = (f"SELECT tier, sim, name_latin, array_agg(name_key) AS keys FROM (SELECT name_latin, name_key, "  # noqa: S608
           f"CASE WHEN ({exact}) THEN 0 WHEN ({prefix}) THEN 1 ELSE 2 END AS tier, {similarity} AS sim "
           f"FROM people_searchname WHERE {where}) m GROUP BY tier, sim, name_latin ORDER BY {_names_order(fuzzy, '')}")
    return sql, [*exact_params, *prefix_params, *similarity_params, *where_params]


def _names_order(fuzzy, alias: str) -> str:
    """The ranked names' order. Without a fuzzy tier the similarity is a constant, left out: PostgreSQL
    cannot match a constant's sort key, so the walk's incremental sort would take a whole tier (635 names
    of 331 people each for "mad" at 15M) as one group and read it all before its first row."""
    columns = ("tier", "sim DESC", "name_latin") if fuzzy is not None else ("tier", "name_latin")
    return ", ".join(alias + column for column in columns)


def search(people: QuerySet, q: str) -> QuerySet:
    """``people`` narrowed to what ``q`` asks for and ordered by relevance, then Latin name and id.

    An empty query leaves the queryset as it is (in name order); a query that can match nothing (a
    3-digit number, punctuation) returns no one.
    """
    parsed = parse_query(q)
    if parsed.kind == "":
        return people.none() if parsed.text else people.order_by("name_latin", "id")
    if parsed.kind == "mobile":
        match = Q(mobile=parsed.mobile) | Q(alt_mobile=parsed.mobile) | Q(membership_no=parsed.digits)
        return people.filter(match).order_by("name_latin", "id")
    if parsed.kind == "digits":
        return people.filter(_last_digits_q(parsed.digits) | Q(membership_no=parsed.digits)).order_by(
            "name_latin", "id")
    if parsed.kind == "identifier":
        return people.filter(_identifier_q(parsed)).order_by("name_latin", "id")

    base = people
    exact, prefix, fuzzy = _name_tiers(parsed)
    rank = Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2),
                output_field=IntegerField())
    people = people.filter(exact | prefix | fuzzy if fuzzy is not None else exact | prefix)
    if _postgres():
        people = people.filter(name_latin__in=_matching_names(parsed))
    people = people.annotate(**{RANK: rank})
    if fuzzy is not None and _postgres():
        from django.contrib.postgres.search import TrigramWordSimilarity

        # Similarity only orders the fuzzy tier; the others skip computing it.
        similarity = Case(When(exact | prefix, then=Value(1.0)),
                          default=TrigramWordSimilarity(Value(parsed.latin), "name_latin"))
        searched = people.annotate(**{SIMILARITY: similarity}).order_by(RANK, F(SIMILARITY).desc(), "name_latin", "id")
    else:
        searched = people.order_by(RANK, "name_latin", "id")
    if _postgres():
        # What search_page needs to walk the names instead (kept on the query, which every clone copies):
        # the query, and the filters before the name's, valid while no filter is added after this one.
        searched.query.sangathan_name_search = _NameSearch(parsed, base.query.chain(), len(searched.query.where))
    return searched


@dataclass(frozen=True)
class _NameSearch:
    parsed: ParsedQuery
    base: Query  # the people before the name's filter (scope, unit, filters)
    where_size: int  # the searched query's filters then: another filter since makes the walk inapplicable


def _name_search(queryset: QuerySet) -> _NameSearch | None:
    found = getattr(queryset.query, "sangathan_name_search", None)
    if found is None or len(queryset.query.where) != found.where_size or queryset.query.is_sliced:
        return None
    return found


def _walk_names(found: _NameSearch, want: int, *, ordered: bool) -> tuple[str, list]:
    """SQL for up to ``want`` ids of the people a name search finds, in the search's order when ``ordered``.

    The names are ranked first (``_ranked_names``); then each name's people come from one index probe
    (LATERAL: the Latin form, the keys of that rank, the base query's scope and filters, by id), and
    the walk stops once ``want`` people are found: a common surname no longer reads every one of its
    120,000 people at 15 million members (``people_person_name_path``: Latin form, id; path and key
    included)."""
    names_sql, names_params = _ranked_names(found.parsed)
    people = found.base.model._base_manager.all()
    people.query = found.base.chain()
    table = connection.ops.quote_name(people.model._meta.db_table)
    people = people.filter(RawSQL(f"{table}.name_latin = n.name_latin AND {table}.name_key = ANY(n.keys)", [],  # noqa: S611
                                  output_field=BooleanField()))
    people_sql, people_params = people.order_by("pk").values_list("pk")[:want].query.sql_with_params()
    fuzzy = _name_conditions(found.parsed)[2]
    order = f" ORDER BY {_names_order(fuzzy, 'n.')}, p.id" if ordered else ""
    sql = f"SELECT p.id FROM ({names_sql}) n CROSS JOIN LATERAL ({people_sql}) p (id){order} LIMIT %s"  # noqa: S608
    return sql, [*names_params, *people_params, want]


def _walk_ids(found: _NameSearch, want: int) -> list[int]:
    try:
        sql, params = _walk_names(found, want, ordered=True)
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def count_capped(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """How many people ``queryset`` holds, counted up to ``cap + 1`` (``cap + 1`` means "more than
    ``cap``"): a bounded count, cheap on any registry. A name search on PostgreSQL walks its names and
    stops (``_walk_names``)."""
    found = _name_search(queryset)
    if found is None:
        return queryset.order_by()[: cap + 1].count()
    try:
        sql, params = _walk_names(found, cap + 1, ordered=False)
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) c", params)  # noqa: S608
        return cursor.fetchone()[0]


def _counted_page(queryset: QuerySet, offset: int, limit: int) -> QuerySet:
    return queryset.annotate(search_total=Window(Count("*"))).values_list("pk", "search_total")[offset : offset + limit]


def page_ids_sql(queryset: QuerySet, offset: int, limit: int) -> tuple[str, list]:
    """The SQL and parameters of the query ``search_page`` runs for its ids (to EXPLAIN it): the walk of the
    ranked names for a name search on PostgreSQL, else the page of ids with the total."""
    found = _name_search(queryset)
    if found is not None:
        return _walk_names(found, max(offset + limit, COUNT_CAP + 1), ordered=True)
    sql, params = _counted_page(queryset, offset, limit).query.sql_with_params()
    return sql, list(params)


def search_page(queryset: QuerySet, offset: int, limit: int) -> tuple[list, int]:
    """Rows ``offset`` to ``offset + limit`` of a (searched) queryset and the number of matches, counted
    up to ``COUNT_CAP + 1`` (``COUNT_CAP + 1``: more than ``COUNT_CAP``, shown as "1,000+").

    The page's ids and the count come from one query: a name search on PostgreSQL walks its ranked names
    (``_walk_names``) for the first ``max(offset + limit, COUNT_CAP + 1)`` people, whose first part is the
    page; any other search reads its page with ``COUNT(*) OVER ()``. The rows are then read by primary key
    with the queryset's joins, as ``core.pagination.fetch_page`` does. A page past the end is counted on
    its own.
    """
    found = _name_search(queryset)
    if found is not None:
        walked = _walk_ids(found, max(offset + limit, COUNT_CAP + 1))
        ids, total = walked[offset : offset + limit], min(len(walked), COUNT_CAP + 1)
    else:
        pairs = list(_counted_page(queryset, offset, limit))
        ids = [pk for pk, _total in pairs]
        total = min(pairs[0][1], COUNT_CAP + 1) if pairs else (count_capped(queryset) if offset else 0)
    if not ids:
        return [], total
    rows_query = queryset.model._base_manager.filter(pk__in=ids)
    rows_query.query.select_related = queryset.query.select_related
    rows_query._prefetch_related_lookups = queryset._prefetch_related_lookups
    rows = {row.pk: row for row in rows_query}
    return [rows[pk] for pk in ids if pk in rows], total


class SearchPaginator(Paginator):
    """Pages of a search: each page and the count in one query (``people.search.search_page``). The count
    stops at ``COUNT_CAP`` (``capped``: there are more, shown as "1,000+"), and so do the pages."""

    capped = False

    def page(self, number):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        rows, total = search_page(self.object_list, (number - 1) * self.per_page, self.per_page)
        self.capped = total > COUNT_CAP
        self.__dict__["count"] = min(total, COUNT_CAP)
        if number > 1 and (not rows or number > self.num_pages):
            number = self.num_pages
            rows, _total = search_page(self.object_list, (number - 1) * self.per_page, self.per_page)
        return self._get_page(rows, number, self)

    get_page = page


__all__ = ["COUNT_CAP", "ParsedQuery", "SearchPaginator", "count_capped", "page_ids_sql", "parse_query", "search",
           "search_page"]
