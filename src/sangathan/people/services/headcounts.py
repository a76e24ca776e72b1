"""The periodic headcount of every unit's subtree (a derived table: no history)."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sangathan.core.errors import PermissionDenied
from sangathan.core.tree import SEGMENT
from sangathan.org.models import Unit
from sangathan.people.models import Person, UnitHeadcount


def headcounts_refresh(*, scope, now=None) -> int:
    """Recount the people in every unit's subtree into ``UnitHeadcount``; returns the rows written.

    The system's job (``Scope.system()``): the counts cover the whole tree. One grouped scan of the people
    table (per home unit), rolled up every ancestor in Python, then the table replaced in one transaction
    so readers see either the old counts or the new ones.
    """
    if not scope.writes_all:
        raise PermissionDenied()
    now = now or timezone.now()
    totals: dict[str, int] = defaultdict(int)
    per_unit = Person.objects.order_by().values_list("unit_path").annotate(n=Count("*"))
    for path, people in per_unit.iterator(chunk_size=10_000):
        for end in range(SEGMENT, len(path) + 1, SEGMENT):
            totals[path[:end]] += people
    rows = [
        UnitHeadcount(unit_id=unit_id, people=totals[path], computed_at=now)
        for unit_id, path in Unit.objects.values_list("id", "path").iterator(chunk_size=10_000)
        if path in totals
    ]
    with transaction.atomic():
        UnitHeadcount.objects.all().delete()
        UnitHeadcount.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
