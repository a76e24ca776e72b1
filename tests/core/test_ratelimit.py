"""core.ratelimit: a fixed window counted in a shared store, and the client address behind trusted proxies."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, RequestFactory

from sangathan.core import ratelimit
from sangathan.core.models import RateCounter
from sangathan.core.ratelimit import client_ip

STATUS = "/api/v1/grievances/status"
WRONG = {"tracking_code": "SG-ZZZZZZ", "mobile": "9826012345"}
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def post(client, **headers):
    return client.post(STATUS, json.dumps(WRONG), content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_two_clients_share_one_counter_in_the_database(settings):
    settings.SANGATHAN_RATE_LIMITS = {"status.ip": (3, 600)}
    first, second = Client(REMOTE_ADDR="10.1.1.1"), Client(REMOTE_ADDR="10.1.1.1")
    assert [post(first).status_code, post(second).status_code, post(first).status_code] == [400, 400, 400]
    refused = post(second)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and int(refused["Retry-After"]) <= 600
    # The count is a database row, not process memory: another process reads the same row.
    row = RateCounter.objects.get(key="status.ip:10.1.1.1")
    assert row.hits == 4
    assert post(Client(REMOTE_ADDR="10.1.1.2")).status_code == 400


@pytest.mark.django_db
def test_fixed_window_opens_again_and_old_windows_are_pruned(settings, clock):
    settings.SANGATHAN_RATE_LIMITS = {"test.key": (2, 60)}
    clock.set(NOON)
    assert [ratelimit.hit("test.key", "a") for _ in range(3)] == [True, True, False]
    assert ratelimit.exceeded("test.key", "a") and not ratelimit.exceeded("test.key", "b")
    with pytest.raises(ratelimit.RateLimited) as error:
        ratelimit.require("test.key", "a")
    assert error.value.code == "rate_limited" and 0 < error.value.retry_after <= 60
    clock.advance(seconds=61)
    assert ratelimit.hit("test.key", "a")
    assert RateCounter.objects.filter(key="test.key:a").count() == 2
    assert ratelimit.prune() == 1                    # the ended window only
    assert list(RateCounter.objects.values_list("hits", flat=True)) == [1]


@pytest.mark.django_db
def test_cache_store_counts_the_same_way(settings):
    settings.SANGATHAN_RATE_LIMIT_STORE = "cache"
    settings.SANGATHAN_RATE_LIMITS = {"test.cache": (2, 600)}
    from django.core.cache import cache

    cache.clear()
    assert [ratelimit.hit("test.cache", "x") for _ in range(3)] == [True, True, False]
    assert ratelimit.exceeded("test.cache", "x")
    assert not RateCounter.objects.exists()


def test_limits_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("SANGATHAN_RATE_LIMITS", "status.ip=4/60, today.ip=7/120")
    assert ratelimit.limit_for("status.ip") == ratelimit.Limit(4, 60)
    assert ratelimit.limit_for("today.ip") == ratelimit.Limit(7, 120)
    assert ratelimit.limit_for("login.ip") == ratelimit.LIMITS["login.ip"]


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_ip_takes_the_nth_address_from_the_right(settings):
    chain = "6.6.6.6, 203.0.113.7, 10.0.0.2"
    settings.SANGATHAN_TRUSTED_PROXIES = 0
    assert client_ip(request_from("10.0.0.1", chain)) == "10.0.0.1"          # no proxy: the header is ignored
    settings.SANGATHAN_TRUSTED_PROXIES = 1
    assert client_ip(request_from("10.0.0.1", chain)) == "10.0.0.2"
    settings.SANGATHAN_TRUSTED_PROXIES = 2
    assert client_ip(request_from("10.0.0.1", chain)) == "203.0.113.7"      # never the client-written 6.6.6.6
    assert client_ip(request_from("10.0.0.1", "203.0.113.7")) == "10.0.0.1"  # fewer hops than proxies
    settings.SANGATHAN_TRUSTED_PROXIES = 1
    assert client_ip(request_from("10.0.0.1", "1.2.3.4, not-an-address")) == "10.0.0.1"
    assert client_ip(request_from("10.0.0.1", "2001:db8::1")) == "2001:db8::1"
    assert client_ip(None) is None


@pytest.mark.django_db
def test_forged_forwarded_for_does_not_escape_the_limit(settings):
    settings.SANGATHAN_TRUSTED_PROXIES = 1
    settings.SANGATHAN_RATE_LIMITS = {"status.ip": (3, 600)}
    proxy = Client(REMOTE_ADDR="10.0.0.1")   # every request arrives from the proxy
    answers = [post(proxy, **{"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.7"}).status_code for n in range(5)]
    assert answers == [400, 400, 400, 429, 429]
    assert post(proxy, **{"X-Forwarded-For": "203.0.113.8"}).status_code == 400
    assert set(RateCounter.objects.values_list("key", flat=True)) == {"status.ip:203.0.113.7",
                                                                       "status.ip:203.0.113.8"}


@pytest.mark.django_db
def test_public_status_page_answers_429_in_hindi(settings):
    settings.SANGATHAN_RATE_LIMITS = {"status.ip": (1, 600)}
    client = Client(REMOTE_ADDR="10.2.2.2")
    client.post("/status/", WRONG)
    refused = client.post("/status/", WRONG)
    assert refused.status_code == 429
    assert "बहुत अधिक प्रयास" in refused.content.decode()


def test_rate_limited_message_names_the_minutes():
    assert ratelimit.RateLimited(61).retry_after == 61
    assert "2" in ratelimit.RateLimited(61).message
    assert timedelta(seconds=ratelimit.LIMITS["login.ip"].seconds) == timedelta(minutes=15)
