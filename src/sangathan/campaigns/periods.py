"""Reporting periods: consecutive blocks of the campaign's period length from its start date."""

from dataclasses import dataclass
from datetime import date, timedelta

from sangathan.campaigns.enums import PERIOD_DAYS


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def period_length(campaign) -> int:
    return PERIOD_DAYS[campaign.period]


def period_of(campaign, day: date) -> Period | None:
    """The period containing ``day``, or None outside the campaign."""
    if day < campaign.start_date or day > campaign.end_date:
        return None
    days = period_length(campaign)
    start = campaign.start_date + timedelta(days=(day - campaign.start_date).days // days * days)
    return Period(start, min(start + timedelta(days=days - 1), campaign.end_date))


def periods_until(campaign, day: date) -> list[Period]:
    """Every period that has begun by ``day``, oldest first."""
    periods = []
    start = campaign.start_date
    days = period_length(campaign)
    while start <= min(day, campaign.end_date):
        periods.append(Period(start, min(start + timedelta(days=days - 1), campaign.end_date)))
        start += timedelta(days=days)
    return periods
