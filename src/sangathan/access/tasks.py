"""Periodic housekeeping of the access app (run by `sangathan worker`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sangathan.access.scope import Scope
from sangathan.access.services import access_records_prune


@db_periodic_task(crontab(minute="17", hour="3"))
def prune_access_records():
    access_records_prune(scope=Scope.system(channel="task"))
