"""Jobs of the committees app (when they run: ``sangathan.schedule``)."""

from sangathan.access.scope import Scope
from sangathan.committees.digest import digest_send_weekly


def committees_digest_weekly():
    """Each district president's list of what is missing (idempotent per ISO week)."""
    digest_send_weekly(scope=Scope.system(channel="task"))
