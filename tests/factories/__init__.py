"""factory_boy factories and the small real tree most tests start from."""

import itertools
from dataclasses import dataclass, field

import factory

from sangathan.access.models import User
from sangathan.access.scope import Scope
from sangathan.org.enums import OverlayKind
from sangathan.org.models import Overlay, Post, Unit
from sangathan.org.services import org_seed_defaults, overlay_create, position_assign, unit_create
from sangathan.people.models import Person
from sangathan.people.services import person_create

_mobiles = itertools.count(9_000_000_001)
PASSWORD = "test-pass-9281"


def next_mobile() -> str:
    return f"+91{next(_mobiles)}"


class PersonFactory(factory.django.DjangoModelFactory):
    """Builds through the service, so normalized names and history are as in production."""

    class Meta:
        model = Person

    name = factory.Faker("name", locale="hi_IN")
    mobile = factory.LazyFunction(next_mobile)
    unit = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return person_create(scope=Scope.system(), **kwargs)


def make_user(person: Person | None = None, *, superuser: bool = False, password: str = PASSWORD) -> User:
    mobile = person.mobile if person else next_mobile()
    return User.objects.create_user(mobile=mobile, password=password, person=person, is_superuser=superuser,
                                    is_staff=superuser, display_name=person.name if person else "admin")


def make_unit(parent: Unit | None, level: str, code: str, name_hi: str, name_en: str = "") -> Unit:
    return unit_create(scope=Scope.system(), parent=parent, level=level, code=code, name_hi=name_hi,
                       name_en=name_en or code)


@dataclass
class Tree:
    """State → 1 division → 2 districts → 2 assemblies each → 1 mandal each → 1 shakti kendra → 2 booths.

    Names follow the pattern d1 (district 1), d1a1 (its first assembly), d1a1m (mandal), d1a1b1 (booth 1).
    """

    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    overlays: dict[str, Overlay] = field(default_factory=dict)

    def __getitem__(self, code: str) -> Unit:
        return self.units[code]


def build_tree(*, members_per_booth: int = 2) -> Tree:
    system = Scope.system()
    org_seed_defaults(scope=system)
    tree = Tree()
    u = tree.units
    u["state"] = make_unit(None, "state", "MP", "मध्य प्रदेश", "Madhya Pradesh")
    u["div"] = make_unit(u["state"], "division", "DIV-BPL", "भोपाल संभाग", "Bhopal division")
    for d in (1, 2):
        dk = f"d{d}"
        u[dk] = make_unit(u["div"], "district", f"D{d}", f"जिला {d}", f"District {d}")
        for a in (1, 2):
            ak = f"{dk}a{a}"
            u[ak] = make_unit(u[dk], "assembly", ak.upper(), f"विधानसभा {ak}", f"Assembly {ak}")
            u[f"{ak}m"] = make_unit(u[ak], "mandal", f"{ak}M".upper(), f"मंडल {ak}", f"Mandal {ak}")
            u[f"{ak}s"] = make_unit(u[f"{ak}m"], "shakti_kendra", f"{ak}S".upper(), f"शक्ति केंद्र {ak}")
            for b in (1, 2):
                bk = f"{ak}b{b}"
                u[bk] = make_unit(u[f"{ak}s"], "booth", bk.upper(), f"बूथ {bk}", f"Booth {bk}")
                for i in range(members_per_booth):
                    tree.people[f"{bk}p{i}"] = PersonFactory(unit=u[bk])
    # Lok Sabha seat LS1 = the two assemblies of district 1 plus the first of district 2.
    tree.overlays["ls1"] = overlay_create(scope=system, kind=OverlayKind.LOK_SABHA, code="LS1", name_hi="लोकसभा 1",
                                          name_en="Lok Sabha 1", units=[u["d1a1"], u["d1a2"], u["d2a1"]])
    tree.overlays["cl1"] = overlay_create(scope=system, kind=OverlayKind.CLUSTER, code="CL1", name_hi="क्लस्टर 1",
                                          name_en="Cluster 1", members=[tree.overlays["ls1"]])
    president = Post.objects.get(code="president")
    incharge = Post.objects.get(code="incharge")

    def office_bearer(key: str, post: Post, *, unit=None, overlay=None) -> None:
        home = unit if unit is not None else u["state"]
        person = PersonFactory(unit=home)
        position_assign(scope=system, person=person, post=post, unit=unit if overlay is None else None,
                        overlay=overlay)
        tree.people[key] = person
        tree.users[key] = make_user(person)

    office_bearer("state_president", president, unit=u["state"])
    office_bearer("district_president", president, unit=u["d1"])
    office_bearer("mandal_president", president, unit=u["d1a1m"])
    office_bearer("booth_president", president, unit=u["d1a1b1"])
    office_bearer("lok_sabha_incharge", incharge, overlay=tree.overlays["ls1"])
    tree.users["state_admin"] = make_user(superuser=True)
    tree.users["nobody"] = make_user(PersonFactory(unit=u["d2a2b2"]))
    return tree
