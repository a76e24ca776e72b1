"""The review pack (seeds 003, 004): one page per unit for a review meeting — campaign progress against
target, how much of it was verified and how far it was off, booth contact compliance and what booth
presidents said (from ``outreach``), and the needs still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr

from sangathan.access.scope import Scope
from sangathan.campaigns.enums import VerificationStatus
from sangathan.campaigns.models import Campaign, Verification
from sangathan.campaigns.selectors import UnitProgress, campaign_progress
from sangathan.core import clock
from sangathan.core.tree import SEGMENT, subtree_q
from sangathan.org.models import Unit
from sangathan.outreach.selectors import booth_contact_compliance, booth_feedback, followups_open

MAX_UNITS = 40
OPEN_NEEDS_SHOWN = 8


@dataclass
class ReviewPage:
    unit: Unit
    progress: UnitProgress
    sampled: int
    checked: int
    mismatched: int
    compliance: dict
    feedback: dict
    open_needs: list

    @property
    def verified_share(self) -> float | None:
        """Share of the unit's reports whose figures were checked by a call that got an answer."""
        return self.checked / self.progress.reports if self.progress.reports else None


def review_window(campaign: Campaign) -> tuple[date, date]:
    """From the campaign's start to today (or its end, if over)."""
    return campaign.start_date, min(clock.today(), campaign.end_date)


def review_pages(*, scope: Scope, campaign: Campaign, unit: Unit) -> tuple[UnitProgress, list[ReviewPage]]:
    """``unit``'s total and one page per unit below it (at most ``MAX_UNITS``); at a reporting unit, one
    page for the unit itself."""
    total, rows = campaign_progress(scope=scope, campaign=campaign, unit=unit)
    rows = rows[:MAX_UNITS] or [total]
    start, end = review_window(campaign)
    prefix_len = len(unit.path) + (SEGMENT if rows[0].unit != unit else 0)
    counts = {row["prefix"]: row for row in Verification.objects.filter(
        subtree_q("unit_path", unit.path), campaign=campaign).annotate(prefix=Substr("unit_path", 1, prefix_len))
        .values("prefix").annotate(
            sampled=Count("id"),
            checked=Count("id", filter=Q(discrepancy__isnull=False)),
            mismatched=Count("id", filter=Q(status=VerificationStatus.MISMATCHED)))}
    pages = []
    for row in rows:
        figures = counts.get(row.unit.path, {})
        pages.append(ReviewPage(
            unit=row.unit, progress=row, sampled=figures.get("sampled", 0), checked=figures.get("checked", 0),
            mismatched=figures.get("mismatched", 0),
            compliance=booth_contact_compliance(scope=scope, unit=row.unit, start=start, end=end),
            feedback=booth_feedback(scope=scope, unit=row.unit, start=start, end=end),
            open_needs=list(followups_open(scope=scope, unit=row.unit)[:OPEN_NEEDS_SHOWN]),
        ))
    return total, pages
