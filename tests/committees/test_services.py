import pytest

from sangathan.access.scope import Scope
from sangathan.committees.enums import CommitteeStatus, HistoryAction
from sangathan.committees.models import Committee, CommitteeMember
from sangathan.committees.services import (
    committee_dissolve,
    committee_form,
    committee_types_seed,
    convener_name,
    member_add,
    member_remove,
    office_update,
    seat_warnings,
)
from sangathan.core import clock as core_clock
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.org.models import Post, Wing
from tests.committees.conftest import ctype, full_booth_committee, scope_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def reasons(committee):
    committee.refresh_from_db()
    return [r["code"] for r in committee.reasons]


def test_seed_is_idempotent(ctree):
    count = len(ctype("booth").__class__.objects.all())
    assert committee_types_seed(scope=Scope.system()) == 0
    assert ctype("booth").min_members == 12 and ctype("booth").max_members == 21
    assert count == 7


def test_complete_booth_committee(ctree):
    committee = full_booth_committee(ctree)
    assert committee.is_complete, committee.reasons
    assert committee.member_count == 12


def test_below_size_is_incomplete_with_reason(ctree):
    committee = full_booth_committee(ctree, size=11)
    assert not committee.is_complete
    assert committee.reasons == [{"code": "below_size", "size": 11, "min": 12}]


def test_missing_required_post(ctree):
    committee = full_booth_committee(ctree, size=13)
    seat = committee.seats.get(post__code="bla")
    member_remove(scope=scope_of(ctree, "mandal_president"), seat=seat)
    assert reasons(committee) == ["missing_post"]
    assert {"code": "missing_post", "post": "bla"} in Committee.objects.get(pk=committee.pk).reasons


def test_broken_composition_rules(ctree):
    scope = scope_of(ctree, "mandal_president")
    booth = ctree["d1a1b1"]
    committee = committee_form(scope=scope, unit=booth, type=ctype("booth"))
    posts = {p.code: p for p in Post.objects.filter(code__in=["president", "secretary", "bla"])}
    for index in range(12):
        post = ["president", "secretary", "bla"][index] if index < 3 else None
        member_add(scope=scope, committee=committee, person=PersonFactory(unit=booth, gender="m", birth_year=1960),
                   post=posts.get(post), wing=Wing.objects.get(code="mahila") if index == 5 else None)
    committee.refresh_from_db()
    assert not committee.is_complete
    codes = {r["code"]: r for r in committee.reasons}
    assert codes["min_women"] == {"code": "min_women", "n": 3, "have": 0}
    assert codes["wings"] == {"code": "wings", "missing": ["yuva"]}
    assert codes["min_young_share"]["have"] == 0


def test_member_outside_subtree_refused(ctree):
    scope = scope_of(ctree, "mandal_president")
    committee = committee_form(scope=scope, unit=ctree["d1a1b1"], type=ctype("booth"))
    with pytest.raises(DomainError) as error:
        member_add(scope=scope, committee=committee, person=ctree.people["d1a1b2p0"])
    assert error.value.field == "person"
    assert not CommitteeMember.objects.filter(committee=committee).exists()


def test_member_from_below_is_warned_and_too_many_roles_flagged(ctree):
    scope = scope_of(ctree, "mandal_president")
    person = ctree.people["d1a1b1p0"]
    kendra = committee_form(scope=scope, unit=ctree["d1a1s"], type=ctype("shakti_kendra"))
    assert seat_warnings(person, ctree["d1a1s"]) == ["not_from_unit"]
    member_add(scope=scope, committee=kendra, person=person)
    history = kendra.history.get(action=HistoryAction.MEMBER_ADDED)
    assert history.detail["warnings"] == ["not_from_unit"]
    booth = committee_form(scope=scope, unit=ctree["d1a1b1"], type=ctype("booth"))
    member_add(scope=scope, committee=booth, person=person)
    mandal_mgmt = committee_form(scope=scope_of(ctree, "district_president"), unit=ctree["d1a1"],
                                 type=ctype("assembly_management"))
    member_add(scope=scope_of(ctree, "district_president"), committee=mandal_mgmt, person=person)
    assert "too_many_roles" in seat_warnings(person, ctree["d1a1b1"])


def test_management_committee_needs_convener(ctree):
    scope = scope_of(ctree, "district_president")
    committee = committee_form(scope=scope, unit=ctree["d1a1"], type=ctype("assembly_management"))
    co = Post.objects.get(code="co_convener")
    people = [PersonFactory(unit=ctree["d1a1"]) for _ in range(3)]
    for person in people:
        member_add(scope=scope, committee=committee, person=person, post=co if person is people[1] else None)
    assert {"code": "missing_post", "post": "convener"} in Committee.objects.get(pk=committee.pk).reasons
    convener_name(scope=scope, committee=committee, person=people[0])
    committee.refresh_from_db()
    assert committee.is_complete and committee.convener == people[0]
    with pytest.raises(DomainError):
        convener_name(scope=scope, committee=committee, person=PersonFactory(unit=ctree["d1a1"]))


def test_election_office_inactive_until_active_since(ctree, clock):
    scope = scope_of(ctree, "district_president")
    office = committee_form(scope=scope, unit=ctree["d1a1"], type=ctype("assembly_office"))
    member_add(scope=scope, committee=office, person=PersonFactory(unit=ctree["d1a1"]),
               post=Post.objects.get(code="incharge"))
    assert set(reasons(office)) == {"office_address", "office_phone", "office_inactive"}
    today = core_clock.today()
    office_update(scope=scope, committee=office, address="स्टेशन रोड, कोरबा", phone="9826012345",
                  active_since=today + __import__("datetime").timedelta(days=3))
    assert reasons(office) == ["office_inactive"]
    office_update(scope=scope, committee=office, address="स्टेशन रोड, कोरबा", phone="9826012345", active_since=today)
    office.refresh_from_db()
    assert office.is_complete and office.phone == "+919826012345"
    with pytest.raises(DomainError) as error:
        office_update(scope=scope, committee=office, phone="12", active_since=today)
    assert error.value.field == "phone"


def test_history_kept_through_dissolve_and_reform(ctree):
    scope = scope_of(ctree, "mandal_president")
    committee = full_booth_committee(ctree)
    committee_dissolve(scope=scope, committee=committee, reason="पुनर्गठन")
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.DISSOLVED and not committee.is_complete
    assert not committee.seats.current().exists() and committee.seats.count() == 12
    again = committee_form(scope=scope, unit=ctree["d1a1b1"], type=ctype("booth"))
    assert again.pk != committee.pk
    actions = list(committee.history.values_list("action", flat=True))
    assert actions[0] == HistoryAction.FORMED and actions[-1] == HistoryAction.DISSOLVED
    assert actions.count(HistoryAction.MEMBER_ADDED) == 12
    assert committee.history.last().actor == ctree.users["mandal_president"]
    with pytest.raises(DomainError):
        member_add(scope=scope, committee=committee, person=ctree.people["d1a1b1p0"])


def test_one_active_committee_per_unit_and_level_checked(ctree):
    scope = scope_of(ctree, "mandal_president")
    committee_form(scope=scope, unit=ctree["d1a1b1"], type=ctype("booth"))
    with pytest.raises(DomainError):
        committee_form(scope=scope, unit=ctree["d1a1b1"], type=ctype("booth"))
    with pytest.raises(DomainError):
        committee_form(scope=scope, unit=ctree["d1a1s"], type=ctype("booth"))


def test_scope_outside_404_read_only_403(ctree):
    with pytest.raises(NotFound):
        committee_form(scope=scope_of(ctree, "mandal_president"), unit=ctree["d2a1b1"], type=ctype("booth"))
    committee = committee_form(scope=scope_of(ctree, "mandal_president"), unit=ctree["d1a1b1"], type=ctype("booth"))
    with pytest.raises(NotFound):
        member_add(scope=scope_of(ctree, "nobody"), committee=committee, person=ctree.people["d1a1b1p0"])
    # The Lok Sabha in-charge reads d1a1 but the in-charge post writes: use a read grant instead.
    from sangathan.access.models import ScopeGrant
    from sangathan.access.scope import scope_for_user
    from sangathan.org.enums import Grant
    from tests.factories import make_user

    reader = make_user()
    ScopeGrant.objects.create(user=reader, unit=ctree["d1"], grant=Grant.READ, reason="test")
    with pytest.raises(PermissionDenied):
        member_add(scope=scope_for_user(reader), committee=committee, person=ctree.people["d1a1b1p0"])


def test_page_incharge_is_a_worker_of_the_booth(ctree):
    from sangathan.committees.services import PageCount, pages_create
    from sangathan.org.models import Unit

    scope = scope_of(ctree, "mandal_president")
    pages_create(scope=scope, counts=[PageCount(ctree["d1a1b1"], 1)])
    page = Unit.objects.get(parent=ctree["d1a1b1"], level="page")
    committee = committee_form(scope=scope, unit=page, type=ctype("page"))
    worker = ctree.people["d1a1b1p0"]
    assert seat_warnings(worker, page) == []
    member_add(scope=scope, committee=committee, person=worker, post=Post.objects.get(code="page_incharge"))
    committee.refresh_from_db()
    assert committee.is_complete
    with pytest.raises(DomainError):
        member_add(scope=scope, committee=committee, person=ctree.people["d1a1b2p0"])
