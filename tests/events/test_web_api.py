"""The pages and the API run the same actions: a meeting made, invitations sent, attendance marked on the
phone list and by code, a tiffin meeting recorded leaving the "not held" list; the feed and the tracked link."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from sangathan.events.codes import event_code, ical_token, open_token
from sangathan.events.models import Event, Invitation
from sangathan.events.services import series_create
from sangathan.events.services.series import month_start
from tests.api_client import ApiClient
from tests.events.conftest import scope_of
from tests.factories.events import at

pytestmark = pytest.mark.django_db


def login(user, language="hi"):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_meeting_on_the_web(etree, django_capture_on_commit_callbacks):
    client = login(etree.users["district_president"])
    d1 = etree["d1"]
    assert client.get(f"/events/?unit={d1.pk}").status_code == 200
    response = client.post(f"/events/new/?unit={d1.pk}", {
        "kind": "meeting", "title": "मंडल बैठक", "starts_at": at(2).strftime("%Y-%m-%dT%H:%M"),
        "posts": ["president"], "levels": ["mandal"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="मंडल बैठक")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/events/{event.pk}/invite/").status_code == 302
    invitation = Invitation.objects.get(event=event)
    page = client.get(f"/events/{event.pk}/attendance/").content.decode()
    assert invitation.person.name in page and "उपस्थित" in page
    for _ in range(2):  # the same tap sent twice
        client.post(f"/events/{event.pk}/attendance/", {"invitation": invitation.pk, "nonce": "tap-1"})
    invitation.refresh_from_db()
    assert invitation.attended and invitation.checkins.count() == 1
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert event_code(event) in page
    # Bad input: field-level errors in Hindi, not a 500.
    response = client.post(f"/events/new/?unit={d1.pk}", {"kind": "meeting", "title": ""})
    assert response.status_code == 200 and "field__error" in response.content.decode()


def test_self_check_in_on_the_web(etree, django_capture_on_commit_callbacks):
    client = login(etree.users["district_president"])
    event_id = Event.objects.create(kind="meeting", title="x", unit=etree["d1"], unit_path=etree["d1"].path,
                                    starts_at=at(1), ends_at=at(1, 13), invite_rule={"posts": ["president"],
                                                                                    "levels": ["mandal"]}).pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event_id}/invite/")
    member = login(etree.users["mandal_president"])
    page = member.get(f"/events/{event_id}/").content.decode()
    assert "data-checkin" in page and event_code(Event.objects.get(pk=event_id)) not in page
    member.post(f"/events/{event_id}/check-in/", {"code": event_code(Event.objects.get(pk=event_id)), "nonce": "a1"})
    assert Invitation.objects.get(event_id=event_id).attended


def test_tiffin_meeting_leaves_the_not_held_list(etree):
    series = series_create(scope=scope_of(etree, "state_president"), kind="tiffin", title="टिफिन बैठक",
                           unit=etree["state"], level="mandal", starts_on=month_start(datetime.date.today()), months=1)
    district = login(etree.users["district_president"])
    page = district.get(f"/events/series/{series.pk}/?unit={etree['d1'].pk}").content.decode()
    assert page.count('data-unit="D1A1M"') == 1
    occurrence = Event.objects.get(series=series, unit=etree["d1a1m"])
    mandal = login(etree.users["mandal_president"])
    response = mandal.post(f"/events/{occurrence.pk}/held/", {"held_on": datetime.date.today().isoformat(),
                                                               "attendance_count": "30"})
    assert response.status_code == 302
    page = district.get(f"/events/series/{series.pk}/?unit={etree['d1'].pk}").content.decode()
    assert 'data-unit="D1A1M"' not in page and 'data-unit="D1A2M"' in page
    state = login(etree.users["state_president"])
    assert state.get(f"/events/series/{series.pk}/").status_code == 200
    export = state.get(f"/events/series/{series.pk}/not-held.xlsx")
    assert export.status_code == 200 and b"".join(export.streaming_content)[:2] == b"PK"


def test_api_event_check_in_and_errors(etree, django_capture_on_commit_callbacks):
    api = ApiClient.login(etree.users["district_president"])
    response = api.post("/events", {"unit": etree["d1"].pk, "kind": "meeting", "title": "API बैठक",
                                    "starts_at": at(3).isoformat(),
                                    "invite_rule": {"posts": ["president"], "levels": ["mandal"]}})
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"/events/{event_id}/invitations", {})
    assert sent.status_code == 202 and sent.json()["purpose"] == "invite"
    assert api.get(f"/events/{event_id}/sends").json()[0] | {"id": 0} == {
        "id": 0, "purpose": "invite", "status": "done", "total": 1, "done": 1, "queued": 1, "percent": 100}
    bad = api.post("/events", {"unit": etree["d1"].pk, "kind": "party", "title": "", "starts_at": at(3).isoformat()})
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"kind", "title"}
    member = ApiClient.login(etree.users["mandal_president"])
    code = event_code(Event.objects.get(pk=event_id))
    body = {"code": code, "nonce": "phone-1"}
    assert member.post(f"/events/{event_id}/check-in", body).json() == {"counted": True}
    assert member.post(f"/events/{event_id}/check-in", body).json() == {"counted": False}
    wrong = member.post(f"/events/{event_id}/check-in", {"code": "NOPE", "nonce": "phone-2"})
    assert wrong.status_code == 400 and "code" in wrong.json()["errors"]
    assert api.get(f"/events/{event_id}").json()["attended"] == 1
    assert ApiClient.login(etree.users["booth_president"]).get(f"/events/{event_id}").status_code == 404


def test_ical_feed_and_tracked_link(etree):
    event = Event.objects.create(kind="meeting", title="कैलेंडर बैठक", unit=etree["d1"], unit_path=etree["d1"].path,
                                 starts_at=at(2), ends_at=at(2, 13), link="https://example.org/live")
    invitation = Invitation.objects.create(event=event, person=etree.people["mandal_president"],
                                           unit_path=etree.people["mandal_president"].unit_path)
    feed = Client().get(f"/events/ical/{ical_token(etree.users['mandal_president'].pk)}.ics")
    assert feed.status_code == 200 and "SUMMARY:कैलेंडर बैठक" in feed.content.decode()
    assert Client().get("/events/ical/1:forged.ics").status_code == 404
    response = Client().get(f"/e/{open_token(invitation.pk)}")
    assert response.status_code == 302 and response.url == "https://example.org/live"
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    assert Client().get(f"/e/{open_token(invitation.pk)}x").status_code == 404


def test_pages_render_in_hindi(etree):
    client = login(etree.users["state_president"])
    for url in ("/events/", "/events/series/", "/events/plans/", "/events/tours/", "/events/new/"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_plan_import_on_the_web_reports_lines(etree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sangathan.events.models import PlanAssignment
    from sangathan.events.services import plan_create

    plan = plan_create(scope=scope_of(etree, "state_president"), title="योजना", unit=etree["state"])
    client = login(etree.users["state_president"])
    day = (datetime.date.today() + datetime.timedelta(days=9)).isoformat()
    bad = SimpleUploadedFile("plan.csv", f"date,venue,capacity,district\n{day},हॉल,9,D77\n".encode())
    page = client.post(f"/events/plans/{plan.pk}/", {"op": "import", "file": bad}, follow=True).content.decode()
    assert "line 2" in page and not PlanAssignment.objects.exists()
    good = SimpleUploadedFile("plan.csv", f"date,venue,capacity,district\n{day},हॉल,9,D1\n".encode())
    client.post(f"/events/plans/{plan.pk}/", {"op": "import", "file": good})
    assert PlanAssignment.objects.get().district == etree["d1"]


def test_edit_and_cancel_pages_show_errors_in_hindi_and_write_nothing(etree):
    from sangathan.events.services import event_create

    event = event_create(scope=scope_of(etree, "district_president"), kind="meeting", title="बैठक", unit=etree["d1"],
                         starts_at=at(3), invite_rule={"posts": ["president"]})
    before = (event.updated_at, event.history.count())
    client = login(etree.users["district_president"], "hi")
    response = client.post(f"/events/{event.pk}/edit/", {"title": "", "starts_at": "कल"})
    page = response.content.decode()
    assert response.status_code == 200 and "field__error" in page and "ज़रूरी" in page, page[:2000]
    response = client.post(f"/events/{event.pk}/cancel/", {"reason": "   "})
    page = response.content.decode()
    assert response.status_code == 200 and "field__error" in page and 'lang="hi"' in page
    event.refresh_from_db()
    assert event.status == "planned" and (event.updated_at, event.history.count()) == before
