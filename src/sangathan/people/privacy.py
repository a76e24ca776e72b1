"""Who sees a worker's mobile number in full.

The rule: a reader sees a number in full when their scope lets them *write* where the person belongs
(the office-bearers responsible for that person, and staff with a write grant there): they are the ones
who call. Readers with a read-only grant there (observers, analysts) see it masked (``98xxxxxx10``),
enough to recognise a number, not to call it. Other apps that hand a number to someone by assignment
(a caller's list of booth presidents) decide for themselves and show it in full to the assignee.
The public cross-check never shows a number.
"""

from sangathan.core.phones import display_mobile, mask_mobile


def can_see_mobile(*, scope, person_path: str) -> bool:
    return scope.can_write_path(person_path)


def mobile_for_reader(*, scope, person) -> str:
    """The person's mobile as this reader may see it: ``98260 12345`` or ``98xxxxxx45``."""
    if can_see_mobile(scope=scope, person_path=person.unit_path):
        return display_mobile(person.mobile)
    return mask_mobile(person.mobile)
