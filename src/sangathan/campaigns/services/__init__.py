"""Writes of the campaigns app: campaigns and targets, reports and booth tasks, verification. Each write is
an action (``core.actions.Action``) taking a required ``scope``; the function forms run it at once."""

from sangathan.campaigns.services.campaigns import (
    CampaignClose,
    CampaignCreate,
    MetricSpec,
    TargetSet,
    campaign_close,
    campaign_create,
    reporting_units,
    split_largest_remainder,
    target_set,
)
from sangathan.campaigns.services.reports import (
    BoothTaskComplete,
    BoothTaskCreate,
    ReportSubmit,
    booth_task_complete,
    booth_task_create,
    report_submit,
)
from sangathan.campaigns.services.verification import (
    VerificationSample,
    report_id_from_source,
    report_source,
    verification_record,
    verification_sample,
)

__all__ = [
    "BoothTaskComplete", "BoothTaskCreate", "CampaignClose", "CampaignCreate", "MetricSpec", "ReportSubmit",
    "TargetSet", "VerificationSample", "booth_task_complete", "booth_task_create", "campaign_close",
    "campaign_create", "report_id_from_source", "report_source", "report_submit", "reporting_units",
    "split_largest_remainder", "target_set", "verification_record", "verification_sample",
]
