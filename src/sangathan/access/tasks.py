"""Housekeeping of the access app; when it runs is declared in ``sangathan.schedule``."""

from sangathan.access.scope import Scope
from sangathan.access.services import access_records_prune


def prune_access_records():
    access_records_prune(scope=Scope.system(channel="task"))
