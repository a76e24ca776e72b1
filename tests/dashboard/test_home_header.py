"""The header's links to the hearings and the broadcasts are decided on the home from its one counts query
(``dashboard.today``) and on every other page by their own queries: both ways give the same links."""

from datetime import time

import pytest
from django.urls import reverse

from sangathan.access.scope import Scope
from sangathan.rosters.enums import Weekday
from sangathan.rosters.services import office_create, sitting_day_add

pytestmark = pytest.mark.django_db
HEARINGS, BROADCASTS = reverse("rosters:hearings"), reverse("messaging:broadcasts")


def _links(client, url) -> set[str]:
    page = client.get(url).content.decode()
    return {link for link in (HEARINGS, BROADCASTS) if f'href="{link}"' in page}


def _links_on_home_and_elsewhere(client, user) -> tuple[set[str], set[str]]:
    client.force_login(user)
    return _links(client, reverse("dashboard:home")), _links(client, reverse("people:search"))


@pytest.mark.parametrize(("user_key", "links"), [
    ("state_president", {HEARINGS, BROADCASTS}),
    ("district_president", {HEARINGS, BROADCASTS}),
    ("mandal_president", set()),
    ("booth_president", set()),
])
def test_home_shows_the_header_links_every_other_page_shows(client, tree, user_key, links):
    home, elsewhere = _links_on_home_and_elsewhere(client, tree.users[user_key])
    assert home == elsewhere == links


def test_a_booth_president_who_sits_at_an_office_gets_the_hearings_on_the_home_too(client, tree):
    office = office_create(scope=Scope.system(), unit=tree["d1"], name="जिला कार्यालय 1", address="स्टेशन रोड")
    booth_president = tree.users["booth_president"]
    sitting_day_add(scope=Scope.system(), office=office, person=booth_president.person, weekday=Weekday.MONDAY,
                    starts_at=time(11), ends_at=time(14))
    home, elsewhere = _links_on_home_and_elsewhere(client, booth_president)
    assert home == elsewhere == {HEARINGS}
