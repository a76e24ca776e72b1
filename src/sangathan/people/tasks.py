"""Periodic work of the people app (run by `sangathan worker`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sangathan.people.services import headcounts_refresh


@db_periodic_task(crontab(minute="*/15"))
def refresh_headcounts():
    headcounts_refresh()
