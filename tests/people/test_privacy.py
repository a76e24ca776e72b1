import pytest

from sangathan.access.scope import Scope, ScopeRoot, scope_for_user
from sangathan.org.enums import Grant
from sangathan.people.privacy import can_see_mobile, mobile_for_reader

pytestmark = pytest.mark.django_db


def test_writers_see_numbers_in_full_and_read_only_readers_masked(tree):
    person = tree.people["d1a1b1p0"]
    digits = person.mobile[-10:]
    district = scope_for_user(tree.users["district_president"])
    assert mobile_for_reader(scope=district, person=person) == f"{digits[:5]} {digits[5:]}"
    observer = Scope.build([ScopeRoot(tree["d1"].pk, tree["d1"].path, Grant.READ)])
    assert mobile_for_reader(scope=observer, person=person) == digits[:2] + "xxxxxx" + digits[-2:]
    assert not can_see_mobile(scope=Scope.empty(), person_path=person.unit_path)
