"""The unit pages and office-bearers' homes do a fixed amount of database work, whatever lies below them.

Counts come from the headcount and ``Unit.booth_count`` (kept current by the writers), never from counting
people or units on the view; the people list filters on the unit's path once, so PostgreSQL estimates it
right and walks the name index (docs/PERFORMANCE.md "Whole pages").
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sangathan.org.models import Unit
from sangathan.people.models import UnitHeadcount
from tests.factories import PersonFactory, make_unit

pytestmark = pytest.mark.django_db

HOMES = {"state_president": "state", "district_president": "d1", "mandal_president": "d1a1m",
         "booth_president": "d1a1b1"}


def page_sql(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


def grow(tree) -> None:
    """More booths under district 1's first shakti kendra and more people in each (and in the booth)."""
    for number in range(3, 9):
        booth = make_unit(tree["d1a1s"], "booth", f"D1A1B{number}", f"बूथ {number}")
        for _ in range(4):
            PersonFactory(unit=booth)
    for _ in range(5):
        PersonFactory(unit=tree["d1a1b1"])


def counts_people(sql: str) -> bool:
    return "COUNT(" in sql.upper() and 'FROM "people_person"' in sql


@pytest.mark.parametrize("user_key", sorted(HOMES))
def test_homes_do_the_same_queries_whatever_lies_below(client, tree, user_key):
    client.force_login(tree.users[user_key])
    home = reverse("dashboard:home")
    client.get(home)  # the process reads the reference rows once (core.reference), then keeps them
    before = page_sql(client, home)
    grow(tree)
    after = page_sql(client, home)
    assert len(after) == len(before)
    assert not [sql for sql in after if counts_people(sql)]


@pytest.mark.parametrize("key", ["state", "div", "d1", "d1a1s", "d1a1b1"])
def test_unit_pages_never_count_people_or_booths_on_the_view(client, tree, key):
    client.force_login(tree.users["state_admin"])
    url = reverse("dashboard:unit", args=[tree[key].pk])
    before = page_sql(client, url)
    grow(tree)
    after = page_sql(client, url)
    assert len(after) == len(before) <= 14
    assert not [sql for sql in after if counts_people(sql) or "GROUP BY" in sql.upper()]


def test_the_people_list_filters_on_the_unit_path_once(client, tree):
    client.force_login(tree.users["district_president"])
    listing = [sql for sql in page_sql(client, reverse("dashboard:home"))
               if sql.startswith('SELECT "people_person"."id" AS "pk" FROM "people_person"')]
    assert len(listing) == 1
    conditions = 1 if connection.vendor == "postgresql" else 2  # LIKE 'prefix%', or the range >= and <
    assert len(re.findall(r'"people_person"\."unit_path"', listing[0].split("ORDER BY")[0])) == conditions


def test_the_people_rows_read_only_what_a_row_shows(client, tree):
    """The page's 50 rows come with the columns the list shows, not the whole person and unit; the keyset
    pager's pages too. Every row still renders its name, relative's name, unit and status."""
    booth = tree["d1a1b1"]
    for number in range(3):
        PersonFactory(unit=booth, relative_name=f"पिता {number}", status="inactive" if number == 0 else "active")
    client.force_login(tree.users["district_president"])
    first = page_sql(client, reverse("dashboard:home"))
    response = client.get(reverse("dashboard:home"))
    marker = response.context["page"].object_list[0].pk
    deep = page_sql(client, reverse("dashboard:unit", args=[tree["d1"].pk]) + f"?page=2&after={marker}")
    for sql in (first, deep):
        rows = [q for q in sql if q.startswith('SELECT "people_person"."id", ') and ' IN (' in q]
        assert len(rows) == 1, sql
        for column in ('"people_person"."relative_name"', '"people_person"."status"', '"org_unit"."name_hi"'):
            assert column in rows[0]
        for column in ('"people_person"."address"', '"people_person"."consent_purposes"', '"org_unit"."path"'):
            assert column not in rows[0]
    page = response.content.decode()
    assert "पिता 0" in page and "पिता 2" in page and booth.name in page


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        return json.dumps(json.loads(queryset.explain(format="json")))
    return queryset.explain()


def test_headcount_and_children_reads_are_index_lookups(tree):
    headcount = _plan(UnitHeadcount.objects.filter(unit=tree["d1"]).values_list("people"))
    children = _plan(Unit.objects.filter(parent=tree["d1"]).values_list("pk", "booth_count"))
    if connection.vendor == "postgresql":
        assert '"Index Name": "people_unitheadcount_pkey"' in headcount, headcount
        assert "Seq Scan" not in headcount and "Seq Scan" not in children
        assert re.search(r'"Index Name": "org_unit_parent_id_[0-9a-f]+"', children), children
    else:
        assert "SEARCH people_unitheadcount USING" in headcount and "(unit_id=?)" in headcount, headcount
        assert re.search(r"SEARCH org_unit USING INDEX org_unit_parent_id_[0-9a-f]+", children), children


def _ids(response) -> list[int]:
    return [person.pk for person in response.context["page"].object_list]


def _link(response, rel: str) -> str:
    found = re.search(rf'href="([^"]*)" rel="{rel}"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else ""


def test_pager_links_read_each_page_from_the_row_before_it(client, tree):
    booth = tree["d2a2b1"]
    for number in range(120):
        PersonFactory(unit=booth, name=["राम कुमार", "सीता देवी", "अजय"][number % 3])  # many equal names
    client.force_login(tree.users["state_admin"])
    url = reverse("dashboard:unit", args=[booth.pk])
    by_number = [_ids(client.get(url, {"page": number})) for number in (1, 2, 3)]
    response, forward = client.get(url), []
    while True:
        forward.append(_ids(response))
        after = _link(response, "next")
        if not after:
            break
        assert "after=" in after
        response = client.get(url + after)
    assert forward == by_number
    backward = [_ids(response)]
    while before := _link(response, "prev"):
        assert "before=" in before
        response = client.get(url + before)
        backward.append(_ids(response))
    assert backward[::-1] == by_number
    assert response.context["page"].number == 1


@pytest.mark.parametrize("marker", ["abc", "-5", "0", "9" * 40, "999999999"])
def test_a_bad_or_stale_pager_marker_falls_back_to_page_numbers(client, tree, marker):
    client.force_login(tree.users["state_admin"])
    url = reverse("dashboard:unit", args=[tree["d1"].pk])
    expected = _ids(client.get(url, {"page": 1}))
    assert _ids(client.get(url, {"page": 1, "after": marker})) == expected


# Queries of each home in the small tree, reference rows already in the process (issue 15 item 4: 21 / 22 /
# 25 / 25 before today's counts were read in one statement and levels and committee types kept per process;
# 15 / 16 / 18 / 18 before the header's "sits or owes" and "may broadcast" were read with them).
# The scope's positions serve the header too, and today's hearings are counted with the other counts (the
# sessions are read only when there are some): two queries fewer than before. The active campaigns are kept
# per process while the reference token holds: one fewer again.
HOME_QUERIES = {"state_president": 11, "district_president": 12, "mandal_president": 13, "booth_president": 13}


@pytest.mark.parametrize("user_key", sorted(HOME_QUERIES))
def test_home_query_counts_are_fixed_and_todays_counts_are_one_query(client, tree, user_key):
    client.force_login(tree.users[user_key])
    home = reverse("dashboard:home")
    client.get(home)
    before = page_sql(client, home)
    grow(tree)
    after = page_sql(client, home)
    assert len(before) == len(after) == HOME_QUERIES[user_key]
    counts = [sql for sql in after if "grievances_grievance" in sql and "COUNT(" in sql]  # or its assignments
    assert len(counts) == 1
    for table in ("rosters_hearingdirection", "outreach_callassignment", "people_importjob", "people_personflag",
                  "core_referencestamp", "rosters_sittingday", "rosters_rosterday", "rosters_hearingsession"):
        assert f'"{table}"' in counts[0]
    assert not [sql for sql in after if 'FROM "org_level"' in sql or 'FROM "committees_committeetype"' in sql]
    own_positions = [sql for sql in after if re.search(r'"org_position"\."person_id" = \d', sql)]
    assert len(own_positions) == 1  # the scope's roles and the header's posts
    assert not [sql for sql in after if sql.startswith('SELECT "rosters_hearingsession"')]  # none today


def test_a_renamed_level_shows_on_the_next_home(client, tree):
    """The process keeps the levels, but a change (any process's) gives a new token: never a stale label."""
    from sangathan.access.scope import Scope
    from sangathan.org.models import Level
    from sangathan.org.services import level_update

    client.force_login(tree.users["district_president"])
    home = reverse("dashboard:home")
    assert client.get(home).status_code == 200
    level = Level.objects.get(code="district")
    level_update(scope=Scope.system(), term=level, changes={"name_hi": "नया ज़िला नाम"})
    assert "नया ज़िला नाम" in client.get(home).content.decode()
