"""``PageTally``: the pages of each booth and the page committees on them, counted per booth.

Not an action: part of the committee actions and of ``pages_create`` (which hold the permission and write
the history), and of the nightly rebuild. Every function recounts from the tables, so running one twice,
or after a missed call, leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from sangathan.committees.enums import CommitteeStatus
from sangathan.committees.models import Committee, CommitteeType, Page, PageTally
from sangathan.org.models import Unit

PAGE = "page"
BATCH = 2000


def page_types() -> list[int]:
    return list(CommitteeType.objects.filter(level=PAGE).values_list("pk", flat=True))


def _counts(booth_ids: Iterable[int] | None, types: list[int]) -> list[PageTally]:
    pages = Page.objects.filter(unit__is_active=True)
    committees = Committee.objects.filter(type_id__in=types, status=CommitteeStatus.ACTIVE, unit__level=PAGE)
    booths = Unit.objects.filter(level="booth")
    if booth_ids is not None:
        pages = pages.filter(booth_id__in=booth_ids)
        committees = committees.filter(unit__parent_id__in=booth_ids)
        booths = booths.filter(pk__in=booth_ids)
    paged = dict(pages.values("booth_id").order_by().annotate(n=Count("*")).values_list("booth_id", "n"))
    formed = {(b, t): (n, c) for b, t, n, c in committees.values("unit__parent_id", "type_id").order_by()
              .annotate(n=Count("*"), c=Count("pk", filter=Q(is_complete=True)))
              .values_list("unit__parent_id", "type_id", "n", "c")}
    wanted = set(paged) | {b for b, _t in formed}
    paths = dict(booths.values_list("pk", "path")) if wanted else {}
    rows = []
    for booth_id in sorted(wanted):
        for type_id in types:
            n, c = formed.get((booth_id, type_id), (0, 0))
            if paged.get(booth_id, 0) or n:
                rows.append(PageTally(booth_id=booth_id, booth_path=paths[booth_id], type_id=type_id,
                                      pages=paged.get(booth_id, 0), formed=n, complete=c))
    return rows


def tally_refresh(booth_ids: Iterable[int]) -> int:
    """Recount the given booths (inside the caller's transaction); returns the rows kept."""
    booth_ids = sorted(set(booth_ids))
    types = page_types()
    if not booth_ids or not types:
        return 0
    kept = 0
    for start in range(0, len(booth_ids), BATCH):
        chunk = booth_ids[start:start + BATCH]
        rows = _counts(chunk, types)
        # Delete then upsert: a concurrent recount of the same booth waits on the delete and then, reading
        # after this one committed, overwrites the same rows rather than failing on the unique key.
        PageTally.objects.filter(booth_id__in=chunk).delete()
        PageTally.objects.bulk_create(rows, batch_size=BATCH, update_conflicts=True,
                                      unique_fields=["booth", "type"],
                                      update_fields=["booth_path", "pages", "formed", "complete"])
        kept += len(rows)
    return kept


def tally_refresh_committee(committee: Committee) -> None:
    """After an action changed a committee: recount its booth if it sits on a page."""
    if committee.type.level == PAGE and committee.unit.parent_id:
        tally_refresh([committee.unit.parent_id])


def tally_rebuild() -> int:
    """Recount every booth (the nightly job, the demo and the benchmark after set-based writes)."""
    types = page_types()
    with transaction.atomic():
        PageTally.objects.all().delete()
        rows = _counts(None, types) if types else []
        PageTally.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
