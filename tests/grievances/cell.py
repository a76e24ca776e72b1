"""The Sahyog Cell on the small tree (``tests.factories.build_tree``): cell members at the state and district 1,
departments with ministers. ``build_cell(tree)`` is shared by the unit, browser and rosters tests."""

from dataclasses import dataclass
from datetime import datetime

from sangathan.access.scope import Scope
from sangathan.grievances.services import department_create, grievances_seed_defaults
from sangathan.org.models import Post, Wing
from sangathan.org.services import position_assign
from tests.factories import PersonFactory, Tree, make_user

# A Monday morning in Bhopal; the tests move the clock from here.
MONDAY = datetime(2026, 2, 2, 10, 0)


@dataclass
class Cell:
    tree: Tree
    departments: dict
    people: dict
    users: dict

    def __getitem__(self, key):
        return self.users[key]


def build_cell(tree: Tree) -> Cell:
    grievances_seed_defaults(scope=Scope.system())
    u = tree.units
    posts = {post.code: post for post in Post.objects.all()}
    sahyog = Wing.objects.get(code="sahyog")
    people, users = {}, {}

    def bearer(key, post, unit, wing=None):
        person = PersonFactory(unit=unit)
        position_assign(scope=Scope.system(), person=person, post=posts[post], unit=unit, wing=wing)
        people[key] = person
        users[key] = make_user(person)

    bearer("state_convener", "convener", u["state"], sahyog)
    bearer("state_member", "co_convener", u["state"], sahyog)
    bearer("state_secretary", "general_secretary", u["state"])
    bearer("district_convener", "convener", u["d1"], sahyog)
    bearer("district_incharge", "incharge", u["d1"])
    bearer("district_vice_president", "vice_president", u["d1"])
    bearer("district2_convener", "convener", u["d2"], sahyog)
    people["district_president"] = tree.people["district_president"]
    users["district_president"] = tree.users["district_president"]
    users["state_admin"] = tree.users["state_admin"]
    users["mandal_president"] = tree.users["mandal_president"]
    for key in ("revenue_minister", "health_minister"):
        person = PersonFactory(unit=u["state"])
        people[key] = person
        users[key] = make_user(person)
    departments = {
        "revenue": department_create(scope=Scope.system(), code="revenue", name_hi="राजस्व विभाग", name_en="Revenue",
                                     external_system="CM Helpline 181", external_days=30,
                                     minister=people["revenue_minister"]),
        "health": department_create(scope=Scope.system(), code="health", name_hi="लोक स्वास्थ्य एवं परिवार कल्याण विभाग",
                                    name_en="Public Health and Family Welfare", external_system="CPGRAMS",
                                    external_days=21, minister=people["health_minister"]),
    }
    return Cell(tree=tree, departments=departments, people=people, users=users)


