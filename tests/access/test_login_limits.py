"""One password sprayed over many numbers from one address is stopped (axes counts per number only), on the
login page and the token API alike; the code-entry page is limited per address too."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from sangathan.core.models import RateCounter
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SPRAY = 5


@pytest.fixture
def spray_limit(settings):
    settings.SANGATHAN_RATE_LIMITS = {"login.ip": (SPRAY, 900), "password_code.ip": (3, 3600)}


def numbers(count: int) -> list[str]:
    return [f"98260{n:05d}" for n in range(count)]


def test_password_spraying_from_one_address_is_stopped(tree, spray_limit):
    client = Client(REMOTE_ADDR="10.9.9.9")
    for mobile in numbers(SPRAY):
        assert client.post(reverse("access:login"), {"mobile": mobile, "password": "Summer@2026"}).status_code == 200
    user = tree.users["booth_president"]
    refused = client.post(reverse("access:login"), {"mobile": user.mobile, "password": PASSWORD})
    assert refused.status_code == 429
    assert "इस नेटवर्क से" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert RateCounter.objects.get(key="login.ip:10.9.9.9").hits == SPRAY
    # Another address logs in as usual.
    other = Client(REMOTE_ADDR="10.9.9.10")
    assert other.post(reverse("access:login"), {"mobile": user.mobile, "password": PASSWORD}).status_code == 302


def test_token_api_shares_the_address_count(tree, spray_limit):
    client = Client(REMOTE_ADDR="10.9.9.11")

    def token(mobile, password):
        return client.post("/api/v1/auth/token", json.dumps({"mobile": mobile, "password": password}),
                           content_type="application/json")

    for mobile in numbers(SPRAY - 1):
        assert token(mobile, "Summer@2026").status_code == 401
    assert client.post(reverse("access:login"), {"mobile": numbers(SPRAY)[-1], "password": "x"}).status_code == 200
    refused = token(tree.users["booth_president"].mobile, PASSWORD)
    assert refused.status_code == 429 and "from this address" in refused.json()["detail"]


def test_code_entry_is_limited_per_address(tree, spray_limit):
    client = Client(REMOTE_ADDR="10.9.9.12")
    answers = [client.post(reverse("access:password_set"), {
        "mobile": mobile, "code": "123456", "password": "a-long-new-pass-1", "password_again": "a-long-new-pass-1",
    }).status_code for mobile in numbers(4)]
    assert answers[:3] == [200, 200, 200] and answers[3] == 429
