"""Jobs of the committees app (when they run: ``sangathan.schedule``)."""

from datetime import timedelta

from django.db.models import Count

from sangathan.access.scope import Scope
from sangathan.committees.digest import digest_send_weekly
from sangathan.committees.enums import CommitteeStatus
from sangathan.committees.models import Committee, PageCheck
from sangathan.committees.services.verification import page_check_sample
from sangathan.committees.tally import tally_rebuild
from sangathan.core import clock
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit

# Each week a district's page in-charges are sampled: 2 % of those not yet checked, at least 5, at most 50
# (about what a district's callers can make beside their own lists).
CHECK_SHARE = 0.02
CHECK_MIN = 5
CHECK_MAX = 50


def committees_digest_weekly():
    """Each district president's list of what is missing (idempotent per ISO week)."""
    digest_send_weekly(scope=Scope.system(channel="task"))


def page_tally_nightly() -> int:
    """Recount every booth's pages and page committees (catches pages changed outside the actions)."""
    return tally_rebuild()


def weekly_seed(unit_id: int, day) -> int:
    year, week, _weekday = day.isocalendar()
    return unit_id * 1_000_000 + year * 100 + week


def check_size(candidates: int) -> int:
    return min(CHECK_MAX, candidates, max(CHECK_MIN, round(candidates * CHECK_SHARE)))


def page_checks_weekly() -> int:
    """Put a sample of each district's page in-charges into this week's verification calls.

    A district already sampled this ISO week is skipped, so a re-run (or a retried task) draws nothing twice.
    Returns how many checks were drawn."""
    scope = Scope.system(channel="task")
    today = clock.today()
    week_start = today - timedelta(days=today.weekday())
    drawn = 0
    for district in Unit.objects.filter(level="district").order_by("path"):
        if PageCheck.objects.filter(subtree_q("unit_path", district.path),
                                    created_at__date__gte=week_start).exists():
            continue
        candidates = (Committee.objects.filter(subtree_q("unit_path", district.path), type__code="page",
                                               status=CommitteeStatus.ACTIVE, is_complete=True)
                      .exclude(checks__isnull=False).aggregate(n=Count("pk"))["n"])
        if not candidates:
            continue
        drawn += len(page_check_sample(scope=scope, unit=district, n=check_size(candidates),
                                       seed=weekly_seed(district.pk, today)))
    return drawn
