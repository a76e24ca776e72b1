"""Help pages: one per section, in Hindi by default and in English, linked from every page's header."""

import pytest
from django.conf import settings
from django.urls import reverse

from sangathan.dashboard.help import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, tree):
    client.force_login(tree.users["district_president"])
    return client


def test_help_index_lists_every_section_in_hindi(office):
    response = office.get(reverse("help:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "मदद" in html
    for slug in SECTIONS:
        assert reverse("help:section", args=[slug]) in html


@pytest.mark.parametrize("slug", list(SECTIONS))
def test_each_section_answers_in_hindi_with_its_steps(office, slug):
    response = office.get(reverse("help:section", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-help="{slug}"' in html
    for heading in ("यह किसलिए है", "रोज़ का काम", "आम गलतियाँ"):
        assert heading in html


@pytest.mark.parametrize("slug", list(SECTIONS))
def test_each_section_answers_in_english(office, slug):
    office.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = office.get(reverse("help:section", args=[slug])).content.decode()
    for heading in ("What it is for", "Daily steps", "Common mistakes"):
        assert heading in html


def test_unknown_section_is_404_and_help_needs_a_login(client, office):
    assert office.get("/help/nothing-here/").status_code == 404
    client.logout()
    assert client.get(reverse("help:index")).status_code == 302


@pytest.mark.parametrize(("url", "section"), [
    ("/people/", "people"), ("/people/import/", "imports"), ("/calls/", "calls"), ("/calls/compliance/", "calls"),
    ("/grievances/", "grievances"), ("/rosters/hearings/", "rosters"), ("/campaigns/", "campaigns"),
    ("/messaging/broadcasts/", "messaging"), ("/help/committees/", "committees"),
])
def test_header_links_to_the_help_of_the_current_section(office, url, section):
    response = office.get(url, follow=True)
    assert response.status_code == 200
    assert f'href="/help/{section}/" title="मदद"' in response.content.decode()


def test_header_on_the_home_links_to_the_help_index(office, tree):
    response = office.get("/")
    assert 'href="/help/" title="मदद"' in response.content.decode()
    appoint = office.get(reverse("people:unit_posts", args=[tree["d1"].pk]))
    assert 'href="/help/appointments/"' in appoint.content.decode()
