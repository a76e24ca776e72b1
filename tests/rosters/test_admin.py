"""The rosters admin is for looking: every page opens, nothing can be added, changed or deleted there."""

import pytest
from django.test import Client

from sangathan.access.scope import scope_for_user
from sangathan.rosters.services import hearing_schedule, hearing_session_open
from tests.rosters.helpers import state_grievance

pytestmark = pytest.mark.django_db


def test_admin_pages_open_and_are_read_only(cell, state_office):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=state_office.roster_days
                                   .order_by("date").first().date)
    hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=state_grievance(cell))
    client = Client()
    client.force_login(cell["state_admin"])
    for model in ("office", "rosterday", "rosterchange", "hearingsession", "hearingdirection"):
        assert client.get(f"/admin/rosters/{model}/").status_code == 200, model
        assert client.get(f"/admin/rosters/{model}/add/").status_code == 403, model
    assert client.get(f"/admin/rosters/office/{state_office.pk}/change/").status_code == 200
    assert client.get(f"/admin/rosters/hearingsession/{session.pk}/change/").status_code == 200
    response = client.post(f"/admin/rosters/office/{state_office.pk}/change/", {"name": "x"})
    assert response.status_code == 403
