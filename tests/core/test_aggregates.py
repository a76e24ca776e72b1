"""Counts of several apps read in one statement (``core.aggregates``), and counts that stop at a cap."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from sangathan.core.aggregates import capped_count, counts_joined, counts_query, read_together
from sangathan.org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_capped_count_stops_at_its_cap_and_reads_with_the_others_in_one_statement(tree):
    units = Unit.objects.count()
    assert units > 3
    with CaptureQueriesContext(connection) as queries:
        capped, exact, small = read_together([
            capped_count(Unit.objects.all(), "n", 3, dict),
            counts_query(Unit.objects.all(), dict, n=Count("pk")),
            capped_count(Unit.objects.filter(level="state"), "n", 3, dict)])
    assert (capped, exact, small) == ({"n": 3}, {"n": units}, {"n": 1})
    assert len(queries) == 1 and "LIMIT 3" in queries.captured_queries[0]["sql"]


def test_a_capped_count_django_proves_empty_is_zero_without_a_query(tree):
    with CaptureQueriesContext(connection) as queries:
        answer = counts_joined(lambda row: row, capped_count(Unit.objects.filter(pk__in=[]), "none", 3, dict)).read()
    assert answer == {"none": 0} and not queries
