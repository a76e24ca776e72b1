"""Writes of the campaigns app: campaigns and targets, reports and booth tasks, verification."""

from sangathan.campaigns.services.campaigns import (
    MetricSpec,
    campaign_close,
    campaign_create,
    reporting_units,
    split_largest_remainder,
    target_set,
)
from sangathan.campaigns.services.reports import booth_task_complete, booth_task_create, report_submit
from sangathan.campaigns.services.verification import (
    report_id_from_source,
    report_source,
    verification_record,
    verification_sample,
)

__all__ = [
    "MetricSpec", "campaign_close", "campaign_create", "reporting_units", "split_largest_remainder", "target_set",
    "booth_task_complete", "booth_task_create", "report_submit",
    "report_id_from_source", "report_source", "verification_record", "verification_sample",
]
