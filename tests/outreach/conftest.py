import datetime
from dataclasses import dataclass, field

import pytest

from sangathan.access.scope import Scope
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.outreach.services import outreach_seed_defaults, program_create
from tests.factories import PersonFactory, make_user

# A Monday after the positions start (they start on the real today): the tests' days are working days.
_next_monday = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())
MONDAY = datetime.datetime.combine(_next_monday, datetime.time(10, 0))
BOOTHS = ["d1a1b1", "d1a1b2", "d1a2b1", "d1a2b2", "d2a1b1", "d2a1b2", "d2a2b1"]  # d2a2b2 has no president


@dataclass
class Contact:
    tree: object
    program: object
    presidents: dict = field(default_factory=dict)   # booth key → person
    callers: dict = field(default_factory=dict)      # key → person
    users: dict = field(default_factory=dict)


def build_contact(tree, *, per_day: int = 2, seed: int = 7) -> Contact:
    outreach_seed_defaults()
    president = Post.objects.get(code="president")
    incharge = Post.objects.get(code="incharge")
    secretary = Post.objects.get(code="general_secretary")
    contact = Contact(tree=tree, program=None)
    contact.presidents["d1a1b1"] = tree.people["booth_president"]
    for key in BOOTHS[1:]:
        person = PersonFactory(unit=tree[key])
        position_assign(scope=Scope.system(), person=person, post=president, unit=tree[key])
        contact.presidents[key] = person
    # District in-charges live in a booth of their district: d1's in-charge in d1a1b2, whose president they
    # must never be given.
    for key, district, home in (("d1_incharge", "d1", "d1a1b2"), ("d2_incharge", "d2", "d2a1b1")):
        person = PersonFactory(unit=tree[home])
        position_assign(scope=Scope.system(), person=person, post=incharge, unit=tree[district])
        contact.callers[key] = person
        contact.users[key] = make_user(person)
    person = PersonFactory(unit=tree["state"])
    position_assign(scope=Scope.system(), person=person, post=secretary, unit=tree["state"])
    contact.callers["state_secretary"] = person
    contact.users["state_secretary"] = make_user(person)
    contact.program = program_create(
        scope=Scope.system(), code="booth-daily", name_hi="बूथ संपर्क", name_en="Booth contact", target_root=tree["state"],
        target_post=president, per_caller_per_day=per_day, seed=seed,
        caller_posts=[(secretary, "state"), (incharge, "district")])
    return contact


@pytest.fixture
def contact(tree, clock):
    clock.set(MONDAY)
    return build_contact(tree)
