"""Where an access write may happen: the rules the account and grant actions share."""

from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.errors import PermissionDenied


def require_superuser(scope: Scope) -> None:
    """Staff and superuser flags, Django permissions, accounts without a person: the whole system's keys."""
    if not (scope.is_superuser or scope.is_system):
        raise PermissionDenied(_("Only a superuser may do this."))


def require_write_at_account(scope: Scope, user) -> None:
    """An account is managed by whoever may write its person's record; staff, superuser and person-less
    accounts only by a superuser (a staff member must not lock out or take over a colleague)."""
    if user.is_superuser or user.is_staff or user.person_id is None:
        require_superuser(scope)
        return
    scope.require(user.person.unit_path, write=True)
