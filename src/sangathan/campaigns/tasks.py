"""The nightly recount of the roll-ups' tally (``report_tally_nightly``), and weekly verification sampling: every Monday morning each active campaign's reports of the past weeks
are sampled (``SAMPLE_SHARE`` of them, at least ``SAMPLE_MIN``) and turned into verification calls.

The seed is the campaign's id and the ISO week, so a re-run of the same week draws the same reports
(already-sampled reports are skipped, so nothing is doubled).
"""

from huey.contrib.djhuey import db_task

from sangathan.access.scope import Scope
from sangathan.campaigns.enums import CampaignStatus
from sangathan.campaigns.models import Campaign
from sangathan.campaigns.services import verification_sample
from sangathan.campaigns.services.verification import sample_candidates
from sangathan.campaigns.tally import tally_rebuild
from sangathan.core import clock

SAMPLE_SHARE = 0.05
SAMPLE_MIN = 5
SAMPLE_MAX = 1000


def weekly_seed(campaign_id: int, day) -> int:
    year, week, _weekday = day.isocalendar()
    return campaign_id * 1_000_000 + year * 100 + week


def sample_size(candidates: int) -> int:
    return min(SAMPLE_MAX, max(SAMPLE_MIN, round(candidates * SAMPLE_SHARE)))


@db_task()
def campaign_verify(campaign_id: int) -> int:
    """Sample one campaign's recent reports for verification calls; returns how many were drawn."""
    campaign = Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.ACTIVE).first()
    if campaign is None:
        return 0
    scope = Scope.system(channel="task")
    candidates = sample_candidates(campaign=campaign, scope=scope).count()
    if not candidates:
        return 0
    today = clock.today()
    return len(verification_sample(scope=scope, campaign=campaign, n=sample_size(candidates),
                                   seed=weekly_seed(campaign.pk, today)))


def campaigns_verify_weekly():
    today = clock.today()
    for campaign_id in Campaign.objects.filter(status=CampaignStatus.ACTIVE, start_date__lte=today).values_list(
            "id", flat=True):
        campaign_verify(campaign_id)


def report_tally_nightly() -> int:
    """Recount every campaign's tally by period and mandal from its reports: the actions keep it current,
    this repairs anything written around them (a restore, a fix by hand)."""
    return tally_rebuild()
