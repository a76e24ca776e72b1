"""Demo data for committees: the default types, voter-list pages for the booths of the first mandal
(when the organization was loaded without ``--pages``), and committees in several states of completeness
— complete and incomplete booth committees, page in-charges on some pages, a shakti kendra committee,
an assembly management committee without a convener and an election office not yet active — so the
demo district president sees figures and the exact missing items."""

import random

from django.db import transaction
from django.db.models import Count

from sangathan.access.scope import Scope
from sangathan.committees.models import Committee, CommitteeType
from sangathan.committees.services import (
    PageCount,
    committee_form,
    committee_types_seed,
    convener_name,
    member_add,
    pages_create,
)
from sangathan.core import clock
from sangathan.core.tree import subtree_q
from sangathan.org.models import Post, Unit, Wing
from sangathan.people.models import Person


def demo_has_data() -> bool:
    return Committee.objects.exists()


def demo_logins() -> list:
    return []


def demo_load(*, scale: str, seed: int, log) -> list:
    scope = Scope.system(channel="cli")
    committee_types_seed(scope=scope)
    if demo_has_data():
        return []
    rng = random.Random(seed)
    mandal = Unit.objects.filter(level="mandal").order_by("path").first()
    if mandal is None:
        log("committees: no organization to form committees in")
        return []
    types = {t.code: t for t in CommitteeType.objects.all()}
    posts = {p.code: p for p in Post.objects.all()}
    wings = {w.code: w for w in Wing.objects.filter(code__in=["mahila", "yuva"])}
    booths = list(Unit.objects.filter(subtree_q("path", mandal.path), level="booth")
                  .annotate(workers=Count("people")).order_by("-workers", "path")[:8])
    with transaction.atomic():
        need_pages = [b for b in booths if not Unit.objects.filter(parent=b, level="page").exists()]
        pages = pages_create(scope=scope, counts=[PageCount(b, rng.randint(30, 40),
                                                            [rng.randint(25, 35) for _ in range(40)])
                                                  for b in need_pages])
        if booths:
            _recruit(scope, booths[0], rng)
        formed = 0
        for index, booth in enumerate(booths):
            people = _balanced(list(Person.objects.filter(subtree_q("unit_path", booth.path), status="active")
                                    .order_by("id")[:60]))[:21]
            if len(people) < 3 or index % 4 == 3:
                continue  # some booths have no committee yet
            committee = committee_form(scope=scope, unit=booth, type=types["booth"])
            size = len(people) if index % 4 == 0 else min(len(people), rng.randint(6, 11))
            plan = ["president", "secretary", "bla"]
            for seat, person in enumerate(people[:size]):
                wing = wings.get("mahila") if seat == 3 else wings.get("yuva") if seat == 4 else None
                member_add(scope=scope, committee=committee, person=person,
                           post=posts.get(plan[seat]) if seat < len(plan) else None, wing=wing)
            formed += 1
            for page in Unit.objects.filter(parent=booth, level="page").order_by("path")[:rng.randint(5, 20)]:
                holder = people[rng.randrange(len(people))]
                page_committee = committee_form(scope=scope, unit=page, type=types["page"])
                member_add(scope=scope, committee=page_committee, person=holder, post=posts["page_incharge"])
        kendra = Unit.objects.filter(subtree_q("path", mandal.path), level="shakti_kendra").order_by("path").first()
        if kendra is not None:
            workers = list(Person.objects.filter(subtree_q("unit_path", kendra.path), status="active")
                           .order_by("id")[:6])
            if workers:
                committee = committee_form(scope=scope, unit=kendra, type=types["shakti_kendra"])
                for seat, person in enumerate(workers):
                    member_add(scope=scope, committee=committee, person=person,
                               post=posts["co_convener"] if seat == 1 else None)
                convener_name(scope=scope, committee=committee, person=workers[0])
        assembly = mandal.parent
        if assembly is not None and assembly.level == "assembly":
            workers = list(Person.objects.filter(subtree_q("unit_path", assembly.path), status="active")
                           .order_by("-id")[:4])
            management = committee_form(scope=scope, unit=assembly, type=types["assembly_management"])
            office = committee_form(scope=scope, unit=assembly, type=types["assembly_office"])
            for person in workers:
                member_add(scope=scope, committee=management, person=person)
            if workers:
                member_add(scope=scope, committee=office, person=workers[0], post=posts["incharge"])
    log(f"committees: {formed} booth committees, {pages} pages under {mandal.name_hi}")
    return []


def _balanced(people: list) -> list:
    """Officers first, then women and workers under 35 early enough that a full committee keeps the
    composition rules (three women, a quarter under 35)."""
    year = clock.today().year
    women = [p for p in people if p.gender == "f"]
    young = [p for p in people if p.birth_year and year - p.birth_year < 35 and p not in women]
    rest = [p for p in people if p not in women and p not in young]
    ordered = rest[:3] + women[:1] + young[:1] + women[1:3] + young[1:5] + women[3:] + young[5:] + rest[3:]
    return ordered


FIRST_NAMES = [("f", "सुनीता"), ("m", "रमेश"), ("f", "कविता"), ("m", "मनोज"), ("f", "पूजा"), ("m", "अजय"),
               ("m", "दिनेश"), ("f", "रेखा"), ("m", "संजय"), ("m", "राहुल"), ("f", "अंजलि"), ("m", "विकास"),
               ("m", "प्रकाश"), ("f", "ममता")]
SURNAMES = ["पटेल", "यादव", "शर्मा", "वर्मा", "साहू", "कुशवाहा", "तिवारी"]


def _recruit(scope, booth, rng) -> None:
    """Enough workers registered at the first booth for one full booth committee."""
    from sangathan.people.services import person_create

    have = Person.objects.filter(unit=booth).count()
    year = clock.today().year
    for index, (gender, first) in enumerate(FIRST_NAMES[:max(0, 18 - have)]):
        mobile = f"+9198{rng.randint(10_000_000, 99_999_999)}"
        if Person.objects.filter(mobile=mobile).exists():
            continue
        person_create(scope=scope, name=f"{first} {rng.choice(SURNAMES)}", mobile=mobile, unit=booth,
                      gender=gender, birth_year=year - (rng.randint(22, 33) if index % 2 == 0 else rng.randint(36, 65)))
