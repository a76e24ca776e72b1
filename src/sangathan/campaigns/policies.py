"""Who may do what with campaigns: derived from the actor's ``access.Scope`` only (no reach of its own).
Scope inheritance down the tree lives in ``access``; these say which path an action needs.

* Create a campaign, set targets, create booth tasks, draw a verification sample: write scope over the unit
  concerned (the campaign's unit, the unit a target is set at, the booth).
* Submit or correct a report: write scope over the reporting unit — its own office-bearers with a
  writing post, or a writing office-bearer above it (a district data operator entering a mandal's paper
  report); ``submitted_by`` and the revisions record who.
* Complete a booth task: write scope over the booth.
* Read a campaign: anyone whose scope overlaps its subtree (a booth president sees the state's campaign,
  and only their booth's part of it); figures are always limited to the reader's scope.
"""

from django.utils.translation import gettext as _

from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.core.tree import ancestor_paths


def require_write(scope, path: str, message) -> None:
    """The one rule of ``Scope.require`` with the action's own words: outside the readable scope NotFound
    (as if absent), readable but not writable PermissionDenied(``message``)."""
    if not scope.can_read_path(path):
        raise NotFound(_("Not found."))
    if not scope.can_write_path(path):
        raise PermissionDenied(message)


def may_read_campaign(scope, campaign) -> bool:
    if scope.can_read_path(campaign.unit_path):
        return True
    return any(path.startswith(campaign.unit_path) for path in scope.read_paths)


def campaign_paths_for(scope) -> set[str]:
    """Paths a campaign's unit may have for the reader to see it: their roots and every ancestor."""
    paths = set()
    for root in scope.read_paths:
        paths.add(root)
        paths.update(ancestor_paths(root))
    return paths
