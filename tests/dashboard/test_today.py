"""The home's "आज का काम": each demo role sees what waits for them, each item a link to where it is done;
empty states say what to do next; a minister or an overlay-only post gets a real home and calls pages; the
whole home stays a small, fixed number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.campaigns.models import Campaign, Metric, Report
from sangathan.campaigns.services import campaign_close
from sangathan.committees.models import CommitteeType
from sangathan.core import clock
from sangathan.grievances.models import Grievance, GrievanceAssignment
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.outreach.models import CallAssignment, ContactProgram
from sangathan.people.models import ImportJob, PersonFlag
from sangathan.rosters.models import HearingSession, Office
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

HOME = "/"


def _grievance(tree, person, *, code: str, unit_key: str = "d1a1b1", due_in_hours: float = -5):
    unit = tree[unit_key]
    district = tree["d1"] if unit_key.startswith("d1") else tree["d2"]
    grievance = Grievance.objects.create(
        tracking_code=code, unit=unit, unit_path=unit.path, district=district, kind="organizational",
        channel="district_office", subject=f"Subject {code}", description="विवरण", complainant_name="शिकायतकर्ता",
        complainant_mobile="+919999911111", due_at=timezone.now() + datetime.timedelta(hours=due_in_hours))
    if person is not None:
        GrievanceAssignment.objects.create(grievance=grievance, person=person, level="district")
    return grievance


def _no_grant_person(tree, *, overlay=None):
    """A minister (a member's post at the state, which grants nothing) or, with ``overlay``, a member's post
    on a Lok Sabha seat: posts, and no unit."""
    person = PersonFactory(unit=tree["state"])
    member = Post.objects.get(code="member")
    position_assign(scope=Scope.system(), person=person, post=member,
                    unit=None if overlay is not None else tree["state"], overlay=overlay)
    return person, make_user(person)


def _sections(response) -> dict[str, str]:
    """The home's today sections by key, each with its HTML."""
    html = response.content.decode()
    assert "data-today" in html
    html = html[html.index("data-today"):]
    html = html[:html.index("</section>")]  # the today block only, not the unit page below it
    parts = re.split(r'(?=<div class="card today__section" data-today-section=")', html)
    return {re.match(r'<div class="card today__section" data-today-section="(\w+)"', part).group(1): part
            for part in parts[1:]}


def _home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_district_president_sees_grievances_assigned_overdue_and_in_the_district(client, tree):
    _grievance(tree, tree.people["district_president"], code="G-MINE-LATE")
    _grievance(tree, tree.people["district_president"], code="G-MINE-TODAY", due_in_hours=0.01)
    _grievance(tree, None, code="G-AREA-LATE", unit_key="d1a2b1")
    _grievance(tree, None, code="G-D2-LATE", unit_key="d2a1b1")  # another district: not counted
    sections = _sections(_home(client, tree.users["district_president"]))
    grievances = sections["grievances"]
    assert "आपको सौंपी गई" in grievances
    assert 'href="/grievances/?tab=mine"' in grievances
    assert 'href="/grievances/?tab=overdue"' in grievances
    badges = re.findall(r'<span class="badge[^"]*">(\d+)</span>', grievances)
    assert badges[:1] == ["2"]  # assigned to them
    assert "3" not in badges  # the other district's late grievance is not theirs


def test_booth_president_has_no_grievance_section_but_gets_registry_and_committees(client, tree):
    flagged = tree.people["d1a1b1p0"]
    PersonFlag.objects.create(person=flagged, kind="wrong_mobile", unit_path=flagged.unit_path)
    other = tree.people["d2a2b2p0"]
    PersonFlag.objects.create(person=other, kind="wrong_mobile", unit_path=other.unit_path)
    CommitteeType.objects.get_or_create(code="booth", defaults={
        "name_hi": "बूथ समिति", "name_en": "Booth committee", "level": "booth", "min_members": 12,
        "max_members": 21, "required_posts": ["president"]})
    sections = _sections(_home(client, tree.users["booth_president"]))
    assert "grievances" not in sections
    assert f'href="/people/{flagged.pk}/"' in sections["registry"]
    assert f'href="/people/{other.pk}/"' not in sections["registry"]
    assert "बूथ समिति" in sections["committees"]
    assert reverse("committees:unit", args=[tree["d1a1b1"].pk]) in sections["committees"]


def test_empty_sections_say_what_to_do_next(client, tree):
    sections = _sections(_home(client, tree.users["booth_president"]))
    assert "आज आपके लिए कोई कॉल नहीं" in sections["calls"]
    assert "कॉल" in sections["calls"] and "कार्यक्रम" in sections["calls"]  # how calls come
    assert "आयात" in sections["registry"]  # what to do: import a file


def _campaign(tree, unit_key="d1"):
    unit = tree[unit_key]
    today = clock.today()
    campaign = Campaign.objects.create(code="home-drive", name_hi="घर घर अभियान", name_en="Home drive", unit=unit,
                                       unit_path=unit.path, report_level="mandal", start_date=today - datetime.timedelta(days=3),
                                       end_date=today + datetime.timedelta(days=30))
    Metric.objects.create(campaign=campaign, code="homes", label_hi="घर", label_en="Homes")
    return campaign


def test_mandal_and_district_presidents_see_campaign_reports_due(client, tree):
    campaign = _campaign(tree)
    sections = _sections(_home(client, tree.users["district_president"]))
    assert "घर घर अभियान" in sections["campaigns"]
    assert re.search(r'badge--warn">2</span>', sections["campaigns"])  # d1's two mandals, none reported
    mandal = tree["d1a1m"]
    Report.objects.create(campaign=campaign, unit=mandal, unit_path=mandal.path,
                          period_start=campaign.start_date, period_end=campaign.start_date + datetime.timedelta(days=6),
                          submitted_at=timezone.now())
    sections = _sections(_home(client, tree.users["mandal_president"]))
    assert "घर घर अभियान" in sections["campaigns"]
    assert reverse("campaigns:detail", args=[campaign.pk]) in sections["campaigns"]  # every report is in
    sections = _sections(_home(client, tree.users["district_president"]))
    assert re.search(r'badge--warn">1</span>', sections["campaigns"])


def test_the_campaigns_are_read_once_per_process_and_a_new_or_closed_one_shows_on_the_next_home(client, tree):
    """The home keeps the active campaigns while the reference token holds: no campaign query on a visit,
    and a campaign started or closed (which changes the token) shows or goes on the very next home."""
    _home(client, tree.users["district_president"])
    with CaptureQueriesContext(connection) as queries:
        sections = _sections(_home(client, tree.users["district_president"]))
    assert "campaigns" not in sections
    assert not [q["sql"] for q in queries if 'FROM "campaigns_campaign"' in q["sql"]]
    campaign = _campaign(tree)
    sections = _sections(_home(client, tree.users["district_president"]))
    assert "घर घर अभियान" in sections["campaigns"]
    with CaptureQueriesContext(connection) as queries:
        _home(client, tree.users["district_president"])
    assert not [q["sql"] for q in queries if 'FROM "campaigns_campaign"' in q["sql"]]
    campaign_close(scope=scope_for_user(tree.users["state_admin"]), campaign=campaign)
    assert "campaigns" not in _sections(_home(client, tree.users["district_president"]))


def test_caller_sees_calls_to_make_today(client, tree):
    caller = tree.people["district_president"]
    president = Post.objects.get(code="president")
    program = ContactProgram.objects.create(code="home-calls", name_hi="बूथ संपर्क", target_root=tree["d1"],
                                            target_path=tree["d1"].path, target_post=president)
    for key in ("d1a1b1p0", "d1a1b2p0"):
        target = tree.people[key]
        CallAssignment.objects.create(program=program, day=clock.today(), caller=caller, target=target,
                                      target_unit=target.unit, unit_path=target.unit_path, caller_path=tree["d1"].path)
    calls = _sections(_home(client, tree.users["district_president"]))["calls"]
    assert 'href="/calls/"' in calls
    assert re.search(r'badge--warn">2</span>', calls)


def test_state_admin_sees_imports_and_flags_of_the_whole_state(client, tree):
    admin = tree.users["state_admin"]
    ImportJob.objects.create(file_name="list.csv", file_hash="1" * 64, file_format="csv", importer=admin,
                             status=ImportJob.Status.FAILED)
    other = tree.people["d2a2b2p0"]
    PersonFlag.objects.create(person=other, kind="unreachable", unit_path=other.unit_path)
    _grievance(tree, None, code="G-STATE", unit_key="d2a1b1")
    sections = _sections(_home(client, admin))
    assert 'href="/people/import/"' in sections["registry"]
    assert f'href="/people/{other.pk}/"' in sections["registry"]
    assert 'href="/grievances/?tab=overdue"' in sections["grievances"]


@pytest.mark.parametrize("overlay_only", [False, True])
def test_minister_and_overlay_only_post_get_a_real_home(client, tree, overlay_only):
    person, user = _no_grant_person(tree, overlay=tree.overlays["ls1"] if overlay_only else None)
    _grievance(tree, person, code="G-MINISTER")
    office = Office.objects.create(unit=tree["state"], unit_path=tree["state"].path, name="प्रदेश कार्यालय")
    HearingSession.objects.create(office=office, unit_path=office.unit_path, date=clock.today(), person=person,
                                  starts_at=datetime.time(13), ends_at=datetime.time(15))
    response = _home(client, user)
    html = response.content.decode()
    assert "आपको अभी कोई इकाई नहीं सौंपी गई है" not in html
    assert "data-no-unit" in html
    sections = _sections(response)
    assert 'href="/grievances/?tab=mine"' in sections["grievances"]
    assert "प्रदेश कार्यालय" in sections["hearings"]
    assert "calls" in sections


@pytest.mark.parametrize("overlay_only", [False, True])
def test_minister_calls_and_committees_pages_answer_with_a_message(client, tree, overlay_only):
    _person, user = _no_grant_person(tree, overlay=tree.overlays["ls1"] if overlay_only else None)
    client.force_login(user)
    today = client.get(reverse("outreach:today"))
    assert today.status_code == 200
    assert "आज आपके लिए कोई कॉल नहीं" in today.content.decode()
    for name in ("outreach:compliance", "outreach:booths", "committees:home"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "data-no-unit" in response.content.decode()
        assert "इकाई" in response.content.decode()
    assert client.get(reverse("outreach:programs")).status_code == 200


def test_user_without_any_post_keeps_the_friendly_message(client, tree):
    html = _home(client, tree.users["nobody"]).content.decode()
    assert "आपको अभी कोई इकाई नहीं सौंपी गई है" in html
    assert "data-no-unit" not in html


@pytest.mark.parametrize("user_key", ["state_admin", "district_president", "mandal_president", "booth_president",
                                      "lok_sabha_incharge"])
def test_home_query_count_is_small_and_fixed(client, tree, user_key, django_assert_max_num_queries):
    _campaign(tree)
    _grievance(tree, tree.people["district_president"], code="G-Q")
    client.force_login(tree.users[user_key])
    client.get(HOME)  # warm the caches of levels and labels
    with django_assert_max_num_queries(32):
        assert client.get(HOME).status_code == 200
