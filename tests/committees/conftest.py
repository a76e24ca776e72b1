import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.committees.models import CommitteeType
from sangathan.committees.services import committee_form, committee_types_seed, member_add
from sangathan.org.models import Post, Wing
from tests.factories import PersonFactory

CURRENT_YEAR = __import__("datetime").date.today().year


@pytest.fixture
def ctree(tree):
    committee_types_seed(scope=Scope.system())
    return tree


def scope_of(tree, key):
    return scope_for_user(tree.users[key])


def ctype(code):
    return CommitteeType.objects.get(code=code)


def full_booth_committee(tree, booth_key="d1a1b1", *, scope=None, size=12):
    """A complete booth committee: 12 members, president, secretary, BLA, 3 women, mahila and yuva wings,
    a quarter under 35."""
    scope = scope or scope_of(tree, "mandal_president")
    booth = tree[booth_key]
    committee = committee_form(scope=scope, unit=booth, type=ctype("booth"))
    posts = {p.code: p for p in Post.objects.filter(code__in=["president", "secretary", "bla"])}
    wings = {w.code: w for w in Wing.objects.filter(code__in=["mahila", "yuva"])}
    plan = [("president", None, "m", 1970), ("secretary", None, "m", 1975), ("bla", None, "m", 1965),
            (None, "mahila", "f", 1980), (None, "yuva", "m", 2000), (None, None, "f", 1998), (None, None, "f", 1960), (None, None, "m", 1999)]
    plan += [(None, None, "m", 1965)] * (size - len(plan))
    for post, wing, gender, born in plan:
        person = PersonFactory(unit=booth, gender=gender, birth_year=born)
        member_add(scope=scope, committee=committee, person=person, post=posts.get(post), wing=wings.get(wing))
    committee.refresh_from_db()
    return committee
