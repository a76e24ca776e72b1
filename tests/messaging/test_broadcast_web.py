"""Broadcast pages and API: who may compose, preview, send, progress (and its query count), sent messages."""

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from sangathan.access.scope import Scope
from sangathan.messaging.models import Broadcast, BroadcastStatus, Message, MessageKind
from sangathan.messaging.services import template_create
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(db):
    return template_create(scope=Scope.system(), code="live", name="Live address", body_hi="{name} जी, प्रधानमंत्री का संबोधन: {link}",
                           channels=["sms", "whatsapp"], kind=MessageKind.BULK)


@pytest.fixture
def booth_presidents(tree):
    president = Post.objects.get(code="president")
    for key in ("d1a1b2", "d1a2b1", "d2a1b1"):
        position_assign(scope=Scope.system(), person=tree.people[f"{key}p0"], post=president, unit=tree[key])


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def compose_data(tree, unit="d1", **extra):
    return {"template": "live", "unit": tree[unit].pk, "posts": ["president"], "levels": ["booth"],
            "channels": ["sms"], "var_link": "https://live.example/pm", **extra}


def test_compose_preview_send_progress_and_sent_messages(tree, template, booth_presidents):
    client = web(tree.users["district_president"])
    assert "messaging/broadcasts/" in client.get("/").content.decode()  # the header link
    page = client.get("/messaging/broadcasts/new/")
    assert page.status_code == 200 and "live" in page.content.decode()
    page = client.get("/messaging/broadcasts/new/?template=live")
    assert "var_link" in page.content.decode()
    response = client.post("/messaging/broadcasts/new/", compose_data(tree))
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messaging/broadcasts/{broadcast.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert 'id="preview-people">3<' in preview and 'data-channel="sms">3<' in preview
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/messaging/broadcasts/{broadcast.pk}/send/")
    assert response.status_code == 302
    assert Message.objects.filter(broadcast=broadcast).count() == 3
    progress = client.get(f"/messaging/broadcasts/{broadcast.pk}/").content.decode()
    assert 'data-count="queued">3<' in progress and "js/broadcast-progress.js" in progress
    assert "<script>" not in progress and "style=" not in progress
    data = client.get(f"/messaging/broadcasts/{broadcast.pk}/progress/").json()
    assert data["status"] == "done" and data["counts"]["queued"] == 3 and data["percent"] == 0
    sent = client.get("/messaging/sent/", {"broadcast": broadcast.pk, "channel": "sms"}).content.decode()
    assert tree.people["d1a1b2p0"].name in sent and "https://live.example/pm" in sent
    listing = client.get("/messaging/broadcasts/").content.decode()
    assert "Live address" in listing


def test_compose_refuses_a_missing_variable_with_a_form_error(tree, template):
    client = web(tree.users["district_president"])
    response = client.post("/messaging/broadcasts/new/", compose_data(tree, var_link=""))
    assert response.status_code == 200 and "link" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_booth_president_may_not_compose(tree, template):
    client = web(tree.users["booth_president"])
    assert client.get("/messaging/broadcasts/new/").status_code == 403
    assert "messaging/broadcasts/" not in client.get("/").content.decode()


def test_other_district_cannot_see_or_act(tree, template, booth_presidents):
    web(tree.users["district_president"]).post("/messaging/broadcasts/new/", compose_data(tree))
    broadcast = Broadcast.objects.get()
    outsider = web(tree.users["nobody"])
    assert outsider.get(f"/messaging/broadcasts/{broadcast.pk}/").status_code == 404
    assert outsider.get(f"/messaging/broadcasts/{broadcast.pk}/progress/").status_code == 404
    assert outsider.post(f"/messaging/broadcasts/{broadcast.pk}/send/").status_code == 404
    mandal = web(tree.users["mandal_president"])  # reads district 1's mandal only: the audience is wider
    assert mandal.get(f"/messaging/broadcasts/{broadcast.pk}/").status_code == 404
    assert Broadcast.objects.get().status == BroadcastStatus.DRAFT


def test_progress_endpoint_query_count(tree, template, booth_presidents):
    client = web(tree.users["district_president"])
    client.post("/messaging/broadcasts/new/", compose_data(tree))
    broadcast = Broadcast.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/messaging/broadcasts/{broadcast.pk}/send/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/messaging/broadcasts/{broadcast.pk}/progress/").status_code == 200
    # session, user, scope (positions, grants), the broadcast, one grouped count.
    assert len(queries.captured_queries) <= 6, [q["sql"] for q in queries.captured_queries]


def test_api_create_preview_send_and_read(tree, template, booth_presidents):
    api = ApiClient.login(tree.users["district_president"])
    body = {"unit": tree["d1"].pk, "template": "live", "channels": ["sms", "whatsapp"],
            "filters": {"posts": ["president"], "levels": ["booth"]}, "context": {"link": "https://x.example"}}
    created = api.post("/broadcasts", body)
    assert created.status_code == 201, created.content
    broadcast_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    preview = api.post(f"/broadcasts/{broadcast_id}/preview").json()
    assert preview == {"people": 3, "no_mobile": 0, "channels": {"sms": {"opted_out": 0, "recipients": 3},
                                                                  "whatsapp": {"opted_out": 0, "recipients": 3}}}
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = api.post(f"/broadcasts/{broadcast_id}/send")
    assert sent.status_code == 200
    read = api.get(f"/broadcasts/{broadcast_id}").json()
    assert read["status"] == "done" and read["counts"]["queued"] == 6 and read["counts"]["total"] == 6
    listing = api.get("/broadcasts").json()
    assert [item["id"] for item in listing["items"]] == [broadcast_id]
    again = api.post(f"/broadcasts/{broadcast_id}/send")
    assert again.status_code == 400 and list(again.json()["errors"]) == ["status"]
    cancelled = api.post(f"/broadcasts/{broadcast_id}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["counts"]["cancelled"] == 6


def test_api_errors_are_field_level(tree, template):
    api = ApiClient.login(tree.users["district_president"])
    base = {"unit": tree["d1"].pk, "template": "live", "channels": ["sms"], "context": {"link": "x"}}
    cases = [
        ({**base, "unit": tree["d2"].pk}, 404, "unit"),
        ({**base, "template": "nope"}, 400, "template"),
        ({**base, "context": {}}, 400, "context"),
        ({**base, "channels": ["email"]}, 400, "channels"),
        ({**base, "filters": {"posts": ["pope"]}}, 400, "filters.posts"),
        ({**base, "channels": []}, 422, "channels"),
    ]
    for body, status, field in cases:
        response = api.post("/broadcasts", body)
        assert response.status_code == status, (body, response.content)
        assert field in response.json()["errors"], response.json()
    booth = ApiClient.login(tree.users["booth_president"])
    response = booth.post("/broadcasts", {**base, "unit": tree["d1a1b1"].pk})
    assert response.status_code == 403 and "unit" in response.json()["errors"]
    assert booth.get("/broadcasts").json()["count"] == 0


def test_a_lone_surrogate_in_the_context_is_a_field_error(tree, template):
    api = ApiClient.login(tree.users["district_president"])
    body = {"unit": tree["d1"].pk, "template": "live", "channels": ["sms"], "context": {"link": "x\ud800"}}
    response = api.post("/broadcasts", body)
    assert response.status_code == 422 and list(response.json()["errors"]) == ["context.link"]
    assert not Broadcast.objects.exists()


def test_a_broken_byte_sequence_in_the_compose_form_does_not_fail(tree, template, booth_presidents):
    # Form bodies are decoded with replacement characters: a lone surrogate's bytes never reach the database raw.
    client = web(tree.users["district_president"])
    body = "template=live&unit={}&posts=president&levels=booth&channels=sms&var_link=%ED%A0%80".format(tree["d1"].pk)
    response = client.post("/messaging/broadcasts/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302)
    if Broadcast.objects.exists():
        assert "\ud800" not in Broadcast.objects.get().context["link"]
