"""Periodic work of the rosters app, and the Sahyog Cell's weekly digest.

Huey reads these crontabs in UTC (its default): 14:00 UTC is 19:30 in India, after every office has
closed; Monday 02:30 UTC is Monday 08:00 in India. The digest is declared here rather than in
``grievances.tasks`` so the periodic jobs of issue 5's second half live in one place; its service is
``grievances.digest.digest_send_weekly`` and it is idempotent per ISO week.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sangathan.access.scope import Scope
from sangathan.grievances.digest import digest_send_weekly
from sangathan.rosters.services import hearings_carry_over


@db_periodic_task(crontab(hour="14", minute="0"))
def carry_over_hearings():
    """Close today's hearings and carry the cases not heard to the next session."""
    hearings_carry_over(scope=Scope.system(channel="task"))


@db_periodic_task(crontab(day_of_week="1", hour="2", minute="30"))
def send_weekly_digest():
    digest_send_weekly(scope=Scope.system(channel="task"))
