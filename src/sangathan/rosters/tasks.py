"""Jobs of the rosters app and the Sahyog Cell's weekly digest (when they run: ``sangathan.schedule``).

The digest's service is ``grievances.digest.digest_send_weekly``, idempotent per ISO week.
"""

from sangathan.access.scope import Scope
from sangathan.grievances.digest import digest_send_weekly
from sangathan.rosters.services import hearings_carry_over


def carry_over_hearings():
    """Close today's hearings and carry the cases not heard to the next session."""
    hearings_carry_over(scope=Scope.system(channel="task"))


def send_weekly_digest():
    digest_send_weekly(scope=Scope.system(channel="task"))
