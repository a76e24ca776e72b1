import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangathan.access.scope import Scope
from sangathan.committees.models import Page
from sangathan.committees.selectors import MissingSequence, booth_pages, completeness, missing_items
from sangathan.committees.services import PageCount, committee_form, member_add, pages_create
from sangathan.core.errors import NotFound
from sangathan.core.tree import decode_segment
from sangathan.org.models import Post, Unit
from tests.committees.conftest import ctype, full_booth_committee, scope_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def figure(total, code):
    return next(f for f in total.figures if f.type.code == code)


def test_booth_completeness_rolls_up_with_reasons(ctree):
    full_booth_committee(ctree, "d1a1b1")
    full_booth_committee(ctree, "d1a1b2", size=11)
    scope = scope_of(ctree, "district_president")
    with CaptureQueriesContext(connection) as queries:
        total, rows = completeness(scope=scope, unit=ctree["d1"])
    assert len(queries) == 6  # types, children, units, committees, page tally, checks: whatever the size
    booth = figure(total, "booth")
    assert (booth.units, booth.formed, booth.complete, booth.missing) == (4, 2, 1, 3)
    assert booth.percent == 25
    a1 = next(r for r in rows if r.unit == ctree["d1a1"])
    assert (figure(a1, "booth").complete, figure(a1, "booth").units) == (1, 2)
    items = list(missing_items(scope=scope_of(ctree, "district_president"), unit=ctree["d1"], ctype=ctype("booth")))
    by_unit = {item.unit_code: item for item in items}
    assert by_unit["D1A1B2"].reasons == [{"code": "below_size", "size": 11, "min": 12}]
    assert by_unit["D1A2B1"].reasons == [{"code": "missing"}] and by_unit["D1A2B1"].committee_id is None
    assert "D1A1B1" not in by_unit


def test_page_coverage_and_bulk_pages(ctree):
    booth = ctree["d1a1b1"]
    scope = scope_of(ctree, "mandal_president")
    created = pages_create(scope=scope, counts=[PageCount(booth, 3, [30, 28, 31]), PageCount(ctree["d1a1b2"], 2)])
    assert created == 5
    assert pages_create(scope=scope, counts=[PageCount(booth, 4)]) == 1  # idempotent: only the new page
    pages = list(Unit.objects.filter(parent=booth, level="page").order_by("path"))
    assert [decode_segment(p.path[-4:]) for p in pages] == [1, 2, 3, 4]
    booth.refresh_from_db()
    assert booth.child_counter == 4
    assert Page.objects.get(unit=pages[0]).voters == 30
    incharge = Post.objects.get(code="page_incharge")
    for page in pages[:2]:
        committee = committee_form(scope=scope, unit=page, type=ctype("page"))
        member_add(scope=scope, committee=committee, person=PersonFactory(unit=page), post=incharge)
    total, _rows = completeness(scope=scope, unit=ctree["d1a1m"])
    page = figure(total, "page")
    assert (page.units, page.complete) == (6, 2)
    rows = booth_pages(scope=scope, booth=booth)
    assert [bool(r.incharge) for r in rows] == [True, True, False, False]
    assert rows[0].voters == 30


def test_pages_refused_outside_scope(ctree):
    with pytest.raises(NotFound):
        pages_create(scope=scope_of(ctree, "mandal_president"), counts=[PageCount(ctree["d2a1b1"], 3)])


def test_management_and_office_figures(ctree):
    scope = scope_of(ctree, "district_president")
    committee_form(scope=scope, unit=ctree["d1a1"], type=ctype("assembly_management"))
    total, _ = completeness(scope=scope, unit=ctree["d1"])
    management = figure(total, "assembly_management")
    assert (management.units, management.formed, management.complete) == (2, 1, 0)
    items = list(missing_items(scope=scope, unit=ctree["d1"], ctype=ctype("assembly_management")))
    assert {"code": "missing_post", "post": "convener"} in items[0].reasons
    office = figure(total, "assembly_office")
    assert (office.units, office.complete) == (2, 0)


def test_missing_sequence_pages_through_every_type(ctree):
    full_booth_committee(ctree, "d1a1b2", size=11)
    sequence = MissingSequence(scope=Scope.system(), unit=ctree["d1"], types=[ctype("booth"), ctype("shakti_kendra")])
    assert len(sequence) == 4 + 2
    everything = sequence[0:len(sequence)]
    assert [i.unit_code for i in sequence[1:3]] == [i.unit_code for i in everything[1:3]]
    assert everything[0].committee_id is not None  # incomplete committees first, then the units without one


def test_completeness_scope(ctree):
    with pytest.raises(NotFound):
        completeness(scope=scope_of(ctree, "mandal_president"), unit=ctree["d1"])


def test_page_tally_follows_every_change_and_matches_a_full_recount(ctree):
    from sangathan.committees.models import PageTally
    from sangathan.committees.services import committee_dissolve
    from sangathan.committees.tally import tally_rebuild

    def tally():
        return sorted(PageTally.objects.values_list("booth_id", "type__code", "pages", "formed", "complete"))

    scope = scope_of(ctree, "mandal_president")
    booth = ctree["d1a1b1"]
    pages_create(scope=scope, counts=[PageCount(booth, 3)])
    incharge = Post.objects.get(code="page_incharge")
    pages = list(Unit.objects.filter(parent=booth, level="page").order_by("path"))
    first = committee_form(scope=scope, unit=pages[0], type=ctype("page"))
    member_add(scope=scope, committee=first, person=PersonFactory(unit=booth), post=incharge)
    committee_form(scope=scope, unit=pages[1], type=ctype("page"))
    assert ("page", 3, 2, 1) in [row[1:] for row in tally() if row[0] == booth.pk]
    committee_dissolve(scope=scope, committee=first, reason="फिर से बनेगी")
    assert ("page", 3, 1, 0) in [row[1:] for row in tally() if row[0] == booth.pk]
    kept = tally()
    tally_rebuild()
    assert tally() == kept  # what the actions kept is what a full recount finds
    # Above the booth the figures come from the tally, at the booth from the pages themselves: the same.
    district = figure(completeness(scope=scope_of(ctree, "district_president"), unit=ctree["d1"])[0], "page")
    at_booth = figure(completeness(scope=scope, unit=booth)[0], "page")
    assert (district.units, district.formed, district.complete) == (at_booth.units, at_booth.formed,
                                                                     at_booth.complete) == (3, 1, 0)
