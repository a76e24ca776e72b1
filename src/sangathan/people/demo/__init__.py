"""Demo data: Madhya Pradesh's real divisions and districts with a synthetic organization below them.

``mp`` is the state at full size (~230 assemblies, ~1,300 mandals, ~11,000 shakti kendras, ~65,000 booths),
``district`` one full district, ``small`` a handful of units (what ``make run`` loads). Everything follows
from ``seed``: two runs with the same arguments build the same organization.

Millions of rows cannot go through the services one at a time, so units, people and positions are written
in bulk: ids and paths are allotted here, rows are streamed with COPY on PostgreSQL and batched INSERTs on
SQLite, and the id sequences are moved past them at the end. Overlays and logins go through the services.
People get no history rows; their positions get one "assigned" row each, as ``position_assign`` writes.
"""

import importlib
import importlib.util
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from types import ModuleType

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from sangathan.access.scope import Scope
from sangathan.access.services import user_create
from sangathan.core.errors import DomainError
from sangathan.core.tree import SEGMENT, child_path
from sangathan.org.enums import OverlayKind
from sangathan.org.models import Overlay, Position, PositionHistory, Post, Unit
from sangathan.org.services import org_seed_defaults, overlay_create
from sangathan.people import search_names
from sangathan.people.demo.bulk import BulkWriter, adapt_date, next_id
from sangathan.people.demo.persons import PERSON_FIELDS, PersonMaker
from sangathan.people.demo.plan import (
    SCALES,
    UNIT_FIELDS,
    Node,
    Tree,
    iter_pages,
    page_rows,
    plan_tree,
    seats_and_clusters,
    unit_row,
)
from sangathan.people.models import Person
from sangathan.people.numbers import membership_prefix
from sangathan.people.services import headcounts_refresh, tags_seed_defaults

# Printed with the logins on every load: demo accounts are public by design.
PASSWORD = "demo-sangathan-2026"  # noqa: S105
LOGIN_ROLES = ("state_admin", "district_president", "mandal_president", "booth_president", "lok_sabha_incharge")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    mobile: str  # 10 digits, as a user types it
    password: str


@dataclass
class DemoResult:
    units: int = 0
    people: int = 0
    positions: int = 0
    seconds: float = 0.0
    logins: list[DemoLogin] = field(default_factory=list)


def demo_has_data() -> bool:
    return Unit.objects.exists()


def demo_build(*, scale: str, members: int | None = None, pages: bool = False, seed: int = 1,
               log: Callable[[str], None] = print) -> DemoResult:
    """Load the demo organization into a database that holds no units; return its size and logins.

    Writes units, overlays, people, positions and position history in one transaction, then five user
    accounts (see ``LOGIN_ROLES``) with the password ``PASSWORD``.
    """
    spec = SCALES[scale]
    if demo_has_data():
        raise DomainError("The database already holds units: demo data goes into an empty database.",
                          code="not_empty")
    rng = random.Random(seed)
    started = time.perf_counter()
    result = DemoResult()
    with transaction.atomic():
        org_seed_defaults(scope=Scope.system(channel="cli"))
        posts = dict(Post.objects.values_list("code", "id"))
        tree = Tree(first_id=next_id(Unit))
        plan_tree(tree, spec, rng)
        page_counts = [rng.randint(30, 40) if pages else 0 for _ in tree.booths]
        for booth, count in zip(tree.booths, page_counts, strict=True):
            booth.children = count
        first_page = tree.next_id
        writer = BulkWriter(log=log)
        result.units = writer.write(Unit, UNIT_FIELDS, (unit_row(node, writer.now) for node in tree.nodes),
                                    label="units")
        result.units += writer.write(Unit, UNIT_FIELDS, page_rows(tree.booths, page_counts, first_page, writer.now),
                                     label="pages")

        seats, clusters = _create_overlays(tree, spec)
        offices = _office_bearers(tree, seats, clusters, posts, rng, senior=set(spec.senior_levels))
        people = PersonMaker(rng=rng, first_id=next_id(Person), now=writer.now,
                             membership_prefix=membership_prefix(tree.nodes[0].code))
        bearer_rows = [people.row(unit=home, female_share=0.15) for _, _, _, home in offices]
        first_page_holder = people.next_id
        page_holders = (people.row(unit=booth, female_share=0.3)
                        for _, booth, _ in iter_pages(tree.booths, page_counts, first_page))
        member_count = spec.members_per_booth * len(tree.booths) if members is None else members
        members_rows = (people.row(unit=rng.choice(tree.booths), female_share=0.35) for _ in range(member_count))
        with writer.indexes_deferred(Person), search_names.deferred():
            result.people = writer.write(Person, PERSON_FIELDS, bearer_rows, label="office-bearers")
            result.people += writer.write(Person, PERSON_FIELDS, page_holders, label="page in-charges")
            result.people += writer.write(Person, PERSON_FIELDS, members_rows, label="members")
        writer.write(Person.tags.through, ("person", "tag"),
                     _tag_rows(tags_seed_defaults(scope=Scope.system(channel="cli")), first_id=people.next_id - result.people,
                               last_id=people.next_id, rng=rng), label="skills and interests")

        first_position = next_id(Position)
        position_rows = _position_rows(
            offices=offices, bearer_rows=bearer_rows, booths=tree.booths, page_counts=page_counts,
            first_page=first_page, first_page_holder=first_page_holder, page_post=posts["page_incharge"],
            first_id=first_position, now=writer.now, rng=rng,
        )
        result.positions = writer.write(Position, _POSITION_FIELDS, position_rows, label="positions")
        first_history = next_id(PositionHistory)
        history_rows = ((first_history + offset, first_position + offset, PositionHistory.Action.ASSIGNED, None,
                         writer.now, "demo data") for offset in range(result.positions))
        writer.write(PositionHistory, ("id", "position", "action", "actor", "at", "note"), history_rows,
                     label="position history")
        writer.reset_sequences([Unit, Person, Position, PositionHistory])
        result.logins = _create_logins(tree, offices, bearer_rows)
    writer.analyze([Unit, Person, Position])
    counted = time.perf_counter()
    headcounts = headcounts_refresh(scope=Scope.system(channel="cli"))
    log(f"headcounts: {headcounts:,} units in {time.perf_counter() - counted:.1f} s")
    if scale != "mp":  # a few planted duplicates for the review list (the finder over a state is the nightly task's)
        from sangathan.people.demo.duplicates import demo_duplicates

        demo_duplicates(rng=rng, log=log)
    result.seconds = time.perf_counter() - started
    rows = result.units + result.people + 2 * result.positions
    log(f"loaded {result.units:,} units, {result.people:,} people, {result.positions:,} positions "
        f"in {result.seconds:.1f} s ({rows / result.seconds:,.0f} rows/s)")
    return result


# --- Overlays and office-bearers --------------------------------------------------------------------------

TAGGED_SHARE = 0.08


def _tag_rows(tags, *, first_id: int, last_id: int, rng: random.Random) -> Iterator[tuple]:
    """One or two skills for about one person in twelve."""
    tag_ids = [tag.pk for tag in tags]
    for person_id in range(first_id, last_id):
        if rng.random() < TAGGED_SHARE:
            for tag_id in rng.sample(tag_ids, rng.choice((1, 1, 2))):
                yield person_id, tag_id


def _create_overlays(tree: Tree, spec) -> tuple[list[tuple[Overlay, list[Node], Node]], list[tuple[Overlay, Node]]]:
    """The 29 Lok Sabha seats (with whichever of their assemblies were built) and the clusters.

    Returns (seat, its assemblies, its first district) and (cluster, its first district).
    """
    districts = {node.name_en: node for node in tree.nodes if node.level == "district"}
    by_district: dict[int, list[Node]] = {}
    for node in tree.nodes:
        if node.level == "assembly":
            by_district.setdefault(node.parent_id, []).append(node)
    units = Unit.objects.in_bulk([node.id for nodes in by_district.values() for node in nodes])
    system = Scope.system(channel="cli")
    seats = []
    seat_plan, cluster_plan = seats_and_clusters(spec)
    for number, (en, hi, district_names, _) in enumerate(seat_plan, start=1):
        assemblies = [node for name in district_names for node in by_district.get(districts[name].id, [])]
        seat = overlay_create(scope=system, kind=OverlayKind.LOK_SABHA, code=f"{spec.state}-LS{number:02d}",
                              name_hi=f"{hi} लोकसभा", name_en=f"{en} Lok Sabha",
                              units=[units[node.id] for node in assemblies])
        seats.append((seat, assemblies, districts[district_names[0]]))
    clusters = []
    start = 0
    for number, (en, hi, size) in enumerate(cluster_plan, start=1):
        members = seats[start:start + size]
        cluster = overlay_create(scope=system, kind=OverlayKind.CLUSTER, code=f"{spec.state}-CL{number}",
                                 name_hi=f"{hi} क्लस्टर", name_en=f"{en} cluster",
                                 members=[seat for seat, _, _ in members])
        clusters.append((cluster, members[0][2]))
        start += size
    return seats, clusters


# (post id, unit node or None, overlay or None, home unit of the holder)
Office = tuple[int, Node | None, Overlay | None, Node]


def _office_bearers(tree: Tree, seats, clusters, posts: dict[str, int], rng: random.Random,
                    senior: set[str] = frozenset({"state", "division", "district"})) -> list[Office]:
    """A president at every unit down to the booth, a general secretary and an in-charge at every unit of the
    ``senior`` levels (district and above; down to the mandal at the up scale), an in-charge at every Lok
    Sabha seat and cluster."""
    offices: list[Office] = []
    for node in tree.nodes:
        home = node if node.level == "booth" else tree.home(node, rng)
        offices.append((posts["president"], node, None, home))
        if node.level in senior:
            offices.append((posts["general_secretary"], node, None, tree.home(node, rng)))
            offices.append((posts["incharge"], node, None, tree.home(node, rng)))
    for seat, assemblies, district in seats:
        home = tree.home(rng.choice(assemblies), rng) if assemblies else tree.home(district, rng)
        offices.append((posts["incharge"], None, seat, home))
    for cluster, district in clusters:
        offices.append((posts["incharge"], None, cluster, tree.home(district, rng)))
    return offices


_POSITION_FIELDS = ("id", "created_at", "updated_at", "person", "post", "unit", "overlay", "wing", "unit_path",
                    "start_date", "end_date", "end_reason")


def _position_rows(*, offices: list[Office], bearer_rows: list[tuple], booths: list[Node], page_counts: list[int],
                   first_page: int, first_page_holder: int, page_post: int, first_id: int, now,
                   rng: random.Random) -> Iterator[tuple]:
    """Office-bearers' positions, then one page in-charge per page (the page in-charges' person ids run
    in page order)."""
    today = timezone.localdate()
    position_id = first_id
    for (post_id, node, overlay, _), person in zip(offices, bearer_rows, strict=True):
        start = adapt_date(today - timedelta(days=rng.randrange(30, 1500)))
        yield (position_id, now, now, person[0], post_id, node.id if node else None, overlay.pk if overlay else None,
               None, node.path if node else "", start, None, "")
        position_id += 1
    for offset, (page_id, booth, number) in enumerate(iter_pages(booths, page_counts, first_page)):
        start = adapt_date(today - timedelta(days=rng.randrange(30, 700)))
        yield (position_id, now, now, first_page_holder + offset, page_post, page_id, None, None,
               child_path(booth.path, number), start, None, "")
        position_id += 1


# --- Logins -----------------------------------------------------------------------------------------------

def _create_logins(tree: Tree, offices: list[Office], bearer_rows: list[tuple]) -> list[DemoLogin]:
    """Accounts for five office-bearers nested in one another: state, district, mandal, booth, Lok Sabha."""
    holders: dict[tuple[int | None, int | None, str], int] = {}
    post_codes = dict(Post.objects.values_list("id", "code"))
    for (post_id, node, overlay, _), person in zip(offices, bearer_rows, strict=True):
        holders[(node.id if node else None, overlay.pk if overlay else None, post_codes[post_id])] = person[0]
    state = tree.nodes[0]
    booth = tree.booths[0]
    district, mandal = (_ancestor(tree, booth, level) for level in ("district", "mandal"))
    seat = Overlay.objects.get(kind=OverlayKind.LOK_SABHA, units__path=booth.path[:len(district.path) + SEGMENT])
    chosen = [
        ("state_admin", holders[(state.id, None, "president")]),
        ("district_president", holders[(district.id, None, "president")]),
        ("mandal_president", holders[(mandal.id, None, "president")]),
        ("booth_president", holders[(booth.id, None, "president")]),
        ("lok_sabha_incharge", holders[(None, seat.pk, "incharge")]),
    ]
    people = Person.objects.in_bulk([person_id for _, person_id in chosen])
    logins = []
    for role, person_id in chosen:
        person = people[person_id]
        admin = role == "state_admin"
        user_create(scope=Scope.system(channel="cli"), mobile=person.mobile, password=PASSWORD, person=person,
                    is_staff=admin, is_superuser=admin)
        logins.append(DemoLogin(role, person.mobile.removeprefix("+91"), PASSWORD))
    return logins


def demo_logins() -> list[DemoLogin]:
    """The demo accounts of a database the demo was loaded into, found as the loader chose them (the
    first booth, its district and mandal, its Lok Sabha seat, the state); only those whose password is
    still the demo password, so a changed password is never printed as if it worked."""
    from sangathan.access.models import User

    booth = Unit.objects.filter(level="booth").order_by("path").first()
    if booth is None:
        return []
    units = {unit.level: unit for unit in Unit.objects.filter(path__in=[booth.path[:end] for end in
                                                                         range(SEGMENT, len(booth.path) + 1, SEGMENT)])}
    wanted = {"state_admin": ("state", "president"), "district_president": ("district", "president"),
              "mandal_president": ("mandal", "president"), "booth_president": ("booth", "president")}
    holders = {}
    for role, (level, post) in wanted.items():
        if level in units:
            holders[role] = Position.objects.current().filter(unit=units[level], post__code=post).first()
    if "assembly" in units:
        holders["lok_sabha_incharge"] = (
            Position.objects.current()
            .filter(overlay__kind=OverlayKind.LOK_SABHA, overlay__units=units["assembly"], post__code="incharge")
            .first()
        )
    users = {user.person_id: user for user in User.objects.filter(
        person_id__in=[h.person_id for h in holders.values() if h is not None])}
    logins = []
    for role in LOGIN_ROLES:
        user = users.get(holders[role].person_id) if holders.get(role) else None
        if user is not None and user.is_active and user.check_password(PASSWORD):
            logins.append(DemoLogin(role, user.mobile.removeprefix("+91"), PASSWORD))
    return logins


def _ancestor(tree: Tree, node: Node, level: str) -> Node:
    return next(other for other in tree.nodes if other.level == level and node.path.startswith(other.path))




def demo_extensions() -> list[ModuleType]:
    """The ``demo`` modules of the apps above ``people``, in INSTALLED_APPS order.

    An app adds demo data on top of the organization by shipping ``sangathan/<app>/demo.py`` with::

        def demo_has_data() -> bool: ...                       # this app's demo rows are there already
        def demo_load(*, scale: str, seed: int, log) -> list[DemoLogin]: ...   # add them; new logins
        def demo_logins() -> list[DemoLogin]: ...              # its logins that still work (may be [])

    ``people`` cannot import those apps (DESIGN: arrows point down), so they are found by name here.
    ``sangathan demo`` loads each after the organization, and ``--if-empty`` on a loaded database still
    loads an extension whose data is missing, so ``make run`` on an older database gains new features' data.
    """
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("sangathan.") or config.label in {"people", "core", "org", "access"}:
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules
