"""The demo organization: the real map of Madhya Pradesh, a well-formed tree, and logins that work."""

import csv
import io
import re
from importlib import resources

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.test import RequestFactory

from sangathan.access.models import User
from sangathan.core.names import name_key, to_latin
from sangathan.core.phones import normalize_mobile
from sangathan.org.enums import OverlayKind
from sangathan.org.models import Overlay, Position, Unit
from sangathan.people.demo import LOGIN_ROLES, PASSWORD, DemoLogin
from sangathan.people.models import Person

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"^login: (\w+) (\d{10}) (\S+)$")


@pytest.fixture(autouse=True)
def organization_only(monkeypatch):
    """These tests are about the organization's loader; the apps' demo extensions have their own tests."""
    monkeypatch.setattr("sangathan.people.management.commands.demo.demo_extensions", lambda: [])


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def login_lines(output: str) -> list[tuple[str, str, str]]:
    lines = [line for line in output.splitlines() if line.startswith("login:")]
    matches = [LOGIN_LINE.match(line) for line in lines]
    assert all(matches), lines
    return [match.groups() for match in matches]


def president_unit(user: User) -> Unit:
    return Position.objects.current().get(person=user.person, post__code="president").unit


def test_small_scale_has_the_real_divisions_and_districts():
    run_demo("--scale", "small")
    source = resources.files("sangathan") / "data" / "mp_divisions_districts.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    state = Unit.objects.get(level="state")
    assert (state.code, state.name_hi, state.name_en) == ("MP", "मध्य प्रदेश", "Madhya Pradesh")
    divisions = Unit.objects.filter(level="division")
    assert divisions.count() == 10
    assert set(divisions.values_list("name_hi", flat=True)) == {f"{row['division_hi']} संभाग" for row in rows}
    districts = Unit.objects.filter(level="district").select_related("parent")
    assert districts.count() == 55
    assert {(d.parent.name_hi, d.name_hi, d.name_en) for d in districts} == {
        (f"{row['division_hi']} संभाग", row["district_hi"], row["district_en"]) for row in rows
    }


def test_small_scale_tree_is_well_formed():
    run_demo("--scale", "small")
    units = Unit.objects.annotate(n_children=Count("children"))
    assert not units.exclude(child_counter=F("n_children")).exists()
    assert all(unit.depth == len(unit.path) // 4 for unit in units)
    assert not Unit.objects.filter(parent__isnull=False).exclude(path__startswith=F("parent__path")).exists()
    assert len(set(Unit.objects.values_list("code", flat=True))) == Unit.objects.count()
    kendras = units.filter(level="shakti_kendra")
    assert kendras.exists()
    assert not kendras.filter(Q(n_children__lt=4) | Q(n_children__gt=6)).exists()
    booths = Unit.objects.filter(level="booth")
    presided = set(Position.objects.current().filter(post__code="president", unit__level="booth")
                   .values_list("unit_id", flat=True))
    assert presided == set(booths.values_list("id", flat=True))
    assert not Position.objects.exclude(unit_path=F("unit__path")).filter(unit__isnull=False).exists()
    assert Overlay.objects.filter(kind=OverlayKind.LOK_SABHA).count() == 29
    seats_in_clusters = Overlay.members.through.objects.values_list("to_overlay_id", flat=True)
    assert set(seats_in_clusters) == set(Overlay.objects.filter(kind=OverlayKind.LOK_SABHA).values_list("id", flat=True))
    for level in ("state", "division", "district"):
        for post in ("general_secretary", "incharge"):
            assert Position.objects.filter(unit__level=level, post__code=post).count() == \
                Unit.objects.filter(level=level).count()


def test_people_have_consistent_names_mobiles_and_paths():
    run_demo("--scale", "small")
    people = list(Person.objects.select_related("unit"))
    assert len(people) > Unit.objects.filter(level="booth").count() * 2
    for person in people:
        assert person.name_latin == to_latin(person.name) and person.name_latin
        assert person.name_key == name_key(person.name) and person.name_key
        assert person.relative_name_key == name_key(person.relative_name)
        assert normalize_mobile(person.mobile[3:]) == person.mobile
        assert person.unit_path == person.unit.path
        assert person.status == "active" and person.gender in ("m", "f")
    assert len({person.mobile for person in people}) == len(people)


def test_logins_are_printed_work_and_nest():
    output = run_demo("--scale", "small")
    # People's own logins; the apps above people print theirs after them.
    logins = [login for login in login_lines(output) if login[0] in LOGIN_ROLES]
    assert [role for role, _, _ in logins] == list(LOGIN_ROLES)
    request = RequestFactory().post("/login/")
    users = {}
    for role, mobile, password in logins:
        assert password == PASSWORD
        user = authenticate(request, mobile=mobile, password=password)
        assert user is not None, role
        assert user.person.mobile == f"+91{mobile}"
        users[role] = user
    assert users["state_admin"].is_superuser and users["state_admin"].is_staff
    district, mandal, booth = (president_unit(users[f"{level}_president"]) for level in ("district", "mandal", "booth"))
    assert (district.level, mandal.level, booth.level) == ("district", "mandal", "booth")
    assert mandal.path.startswith(district.path) and booth.path.startswith(mandal.path)
    assert Person.objects.filter(unit=booth).exists()
    seat = Position.objects.get(person=users["lok_sabha_incharge"].person, post__code="incharge").overlay
    assert seat.kind == OverlayKind.LOK_SABHA
    assert seat.units.filter(path=booth.path[:len(district.path) + 4]).exists()


def test_if_empty_skips_and_a_second_load_is_refused():
    run_demo("--scale", "small")
    counts = (Unit.objects.count(), Person.objects.count(), User.objects.count())
    assert "not loaded" in run_demo("--scale", "small", "--if-empty")
    with pytest.raises(CommandError, match="already holds units"):
        run_demo("--scale", "small")
    assert (Unit.objects.count(), Person.objects.count(), User.objects.count()) == counts


def test_a_skipped_load_prints_the_logins_that_still_work():
    first = login_lines(run_demo("--scale", "small"))
    assert login_lines(run_demo("--scale", "small", "--if-empty")) == first
    booth_mobile = next(mobile for role, mobile, _ in first if role == "booth_president")
    user = User.objects.get(mobile=normalize_mobile(booth_mobile))
    user.set_password("changed-by-the-user-77")
    user.save()
    again = login_lines(run_demo("--scale", "small", "--if-empty"))
    # Apps above people add their own demo logins (sangathan demo runs their extensions); these are people's.
    assert [role for role, _, _ in again if role in LOGIN_ROLES] == [
        role for role in LOGIN_ROLES if role != "booth_president"]


def test_members_and_pages_options():
    run_demo("--scale", "small", "--members", "7", "--pages", "--seed", "5")
    booths = Unit.objects.filter(level="booth").annotate(pages=Count("children"))
    assert all(30 <= booth.pages <= 40 for booth in booths)
    pages = Unit.objects.filter(level="page")
    assert pages.count() == sum(booth.pages for booth in booths)
    assert Position.objects.filter(post__code="page_incharge", unit__level="page").count() == pages.count()
    office_bearers = Position.objects.values("person").distinct().count()
    assert Person.objects.count() == office_bearers + 7


def test_bad_member_count_is_a_clear_error():
    with pytest.raises(CommandError, match="--members"):
        run_demo("--members", "-1")


class _Extension:
    """An app's demo module, as ``demo_extensions`` finds them."""

    def __init__(self):
        self.loaded = []

    def demo_has_data(self):
        return bool(self.loaded)

    def demo_load(self, *, scale, seed, log):
        self.loaded.append((scale, seed))
        log("extension loaded")
        return [DemoLogin("state_convener", "9111111111", PASSWORD)]

    def demo_logins(self):
        return [DemoLogin("state_convener", "9111111111", PASSWORD)] if self.loaded else []


def test_apps_above_people_add_their_demo_data_and_logins(db, monkeypatch):
    extension = _Extension()
    monkeypatch.setattr("sangathan.people.management.commands.demo.demo_extensions", lambda: [extension])
    output = run_demo("--scale", "small")
    assert extension.loaded == [("small", 1)]
    assert "extension loaded" in output and f"login: state_convener 9111111111 {PASSWORD}" in output
    # --if-empty on a loaded database loads nothing again but still prints the extension's logins.
    output = run_demo("--scale", "small", "--if-empty")
    assert extension.loaded == [("small", 1)]
    assert "login: state_convener" in output


def test_if_empty_loads_an_extension_whose_data_is_missing(db, monkeypatch):
    run_demo("--scale", "small")
    extension = _Extension()
    monkeypatch.setattr("sangathan.people.management.commands.demo.demo_extensions", lambda: [extension])
    run_demo("--scale", "small", "--if-empty")
    assert extension.loaded == [("small", 1)]
