"""Web and API run the same broadcast actions: the same actor on the same broadcast gets the same answer.

Web answers are mapped onto the API's: a redirect (done) ↔ 200/201, the detail page with an error (400)
↔ 400, 403 ↔ 403, 404 ↔ 404. Each case runs on two broadcasts built alike, one per channel, and the two
must also end in the same status.
"""

import pytest
from django.test import Client

from sangathan.access.models import ScopeGrant
from sangathan.access.scope import Scope
from sangathan.messaging.broadcasts.actions import broadcast_create
from sangathan.messaging.models import Broadcast, BroadcastStatus, MessageKind
from sangathan.messaging.services import template_create
from sangathan.org.enums import Grant
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

ACTIONS = ("send", "pause", "resume", "cancel")
STATUSES = (BroadcastStatus.DRAFT, BroadcastStatus.SENDING, BroadcastStatus.PAUSED, BroadcastStatus.CANCELLED)
# Who acts: the sending office's president, a superuser, a reader of the audience who may not write at
# the office (a read grant on the district), a member elsewhere with no scope on it.
ACTORS = ("district_president", "state_admin", "reader", "nobody", "mandal_president")


@pytest.fixture
def template(db):
    return template_create(scope=Scope.system(), code="live", name="Live", body_hi="{name} जी: {link}",
                           channels=["sms"], kind=MessageKind.BULK)


@pytest.fixture
def clients(tree):
    reader = tree.users["nobody"].__class__.objects.create_user(mobile="+919826099999", password="x-pass-123")
    ScopeGrant.objects.create(user=reader, unit=tree["d1"], grant=Grant.READ)
    users = {**{name: tree.users[name] for name in ACTORS if name != "reader"}, "reader": reader}
    result = {}
    for name, user in users.items():
        web = Client()
        web.force_login(user)
        api = ApiClient.login(user, password="x-pass-123") if name == "reader" else ApiClient.login(user)
        result[name] = (web, api)
    return result


def _broadcast(tree, template, status) -> Broadcast:
    broadcast = broadcast_create(scope=Scope.system(), unit_id=tree["d1"].pk, template=template,
                                 channels=["sms"], context={"link": "https://live.example"})
    # The system's scope sends from the highest office: make it district 1's, as its president would.
    Broadcast.objects.filter(pk=broadcast.pk).update(sender_unit=tree["d1"], status=status)
    return broadcast


def _web_outcome(response) -> int:
    return {302: 200}.get(response.status_code, response.status_code)


def _api_outcome(response) -> int:
    return {201: 200}.get(response.status_code, response.status_code)


def test_every_broadcast_action_answers_alike_on_web_and_api(tree, template, clients):
    outcomes = set()
    for action in ACTIONS:
        for status in STATUSES:
            for actor in ACTORS:
                web, api = clients[actor]
                on_web, on_api = _broadcast(tree, template, status), _broadcast(tree, template, status)
                web_answer = _web_outcome(web.post(f"/messaging/broadcasts/{on_web.pk}/{action}/"))
                api_answer = _api_outcome(api.post(f"/broadcasts/{on_api.pk}/{action}"))
                case = (action, status, actor)
                assert web_answer == api_answer, case
                on_web.refresh_from_db()
                on_api.refresh_from_db()
                assert on_web.status == on_api.status, case
                outcomes.add(web_answer)
    assert outcomes == {200, 400, 403, 404}  # every kind of answer was compared


def test_create_answers_alike_on_web_and_api(tree, template, clients):
    base = {"channels": ["sms"], "context": {"link": "https://live.example"}}
    for actor in ACTORS:
        web, api = clients[actor]
        for unit in ("d1", "d1a1", "d2"):
            before = Broadcast.objects.count()
            web_response = web.post("/messaging/broadcasts/new/", {
                "template": "live", "unit": tree[unit].pk, "channels": ["sms"], "var_link": "https://live.example"})
            web_created = Broadcast.objects.count() - before
            api_response = api.post("/broadcasts", {**base, "unit": tree[unit].pk, "template": "live"})
            api_created = Broadcast.objects.count() - before - web_created
            case = (actor, unit)
            assert web_created == api_created, case
            if web_response.status_code in (403, 404):
                assert web_response.status_code == api_response.status_code, case
            elif web_created:
                assert (web_response.status_code, api_response.status_code) == (302, 201), case
            else:
                # The web form offers only units the actor may send to; the API names the refusal.
                assert web_response.status_code == 200 and api_response.status_code in (403, 404), case
