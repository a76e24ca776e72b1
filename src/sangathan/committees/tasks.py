from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sangathan.access.scope import Scope
from sangathan.committees.digest import digest_send_weekly


@db_periodic_task(crontab(day_of_week="1", hour="9", minute="0"))
def committees_digest_weekly():
    """Monday morning: each district president's list of what is missing (idempotent per ISO week)."""
    digest_send_weekly(scope=Scope.system(channel="task"))
