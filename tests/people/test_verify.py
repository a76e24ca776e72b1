"""The public cross-check: what it answers, what it never says, its rate limits and its log."""

import json

import pytest
from django.test import Client, override_settings

from sangathan.access.scope import Scope
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Person, VerifyQuery
from sangathan.people.services import person_create, person_update
from sangathan.people.verify import RateLimited, verify_lookup

pytestmark = pytest.mark.django_db

PUBLIC_KEYS = {"active", "message", "name", "district", "mandal", "posts"}


@pytest.fixture
def worker(tree):
    person = person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"], epic="ABC1234567",
                           relative_name="श्याम खंडेलवाल")
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="secretary"), unit=tree["d1a1m"])
    Person.objects.filter(pk=person.pk).update(membership_no="MP-000777", address="12, गांधी नगर",
                                               alt_mobile="+919111122222")
    return person


def api(client, **params):
    return client.get("/api/v1/verify", params, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="test-agent")


def test_active_worker_answer_carries_only_public_facts(tree, worker, client):
    for params in ({"mobile": "+91 98260 12345"}, {"mobile": "098260-12345"}, {"membership_no": "mp-000777"}):
        response = api(client, **params)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == PUBLIC_KEYS
        assert body["active"] is True and body["name"] == "राम खंडेलवाल"
        assert body["district"] == tree["d1"].name_hi and body["mandal"] == tree["d1a1m"].name_hi
        assert body["posts"] == [{"post": "मंत्री", "wing": None, "place": tree["d1a1m"].name_hi}]
    # Read as text, not JSON-escaped bytes: an id like 948 must not match the escape of "है" (\u0948).
    text = json.dumps(response.json(), ensure_ascii=False)
    for secret in ("गांधी", "9111122222", "श्याम", "ABC1234567", tree["d1a1b1"].path):
        assert secret not in text
    assert worker.pk not in _numbers(response.json())


@pytest.mark.parametrize("status", [PersonStatus.EXPELLED, PersonStatus.INACTIVE, PersonStatus.DECEASED])
def test_not_active_answers_exactly_like_unknown(worker, client, status):
    unknown = api(client, mobile="9826099999").json()
    person_update(scope=Scope.system(), person=worker, status=status)
    known = api(client, mobile="9826012345").json()
    assert known == unknown == {"active": False, "message": known["message"], "name": None, "district": None,
                                "mandal": None, "posts": []}


def test_same_queries_for_known_and_unknown(worker, django_assert_num_queries):
    with django_assert_num_queries(8) as known:  # savepoint, 2 counts, find, units, posts, log, release
        verify_lookup(mobile="9826012345", ip="203.0.113.8")
    with django_assert_num_queries(len(known.captured_queries)):
        verify_lookup(mobile="9826099999", ip="203.0.113.8")


def test_every_question_is_logged(worker, client):
    api(client, mobile="9826012345")
    api(client, mobile="12")
    logged = list(VerifyQuery.objects.order_by("id").values_list("kind", "value", "result", "ip", "user_agent",
                                                                  "channel"))
    assert logged == [("mobile", "+919826012345", "active", "203.0.113.7", "test-agent", "api"),
                      ("mobile", "12", "invalid", "203.0.113.7", "test-agent", "api")]
    assert VerifyQuery.objects.order_by("id").first().person_id == worker.pk


def test_bad_input_is_a_400_with_the_field(client):
    assert api(client, mobile="12").status_code == 400
    assert set(api(client, mobile="12").json()["errors"]) == {"mobile"}
    assert api(client).status_code == 400
    assert api(client, mobile="9826012345", membership_no="X1").status_code == 400
    assert api(client, mobile="98260\x0012345").status_code in (400, 422)


@override_settings(SANGATHAN_VERIFY_PER_IP=3, SANGATHAN_VERIFY_PER_NUMBER=100)
def test_rate_limit_per_client_address(worker, client):
    for number in ("9826011111", "9826011112", "9826011113"):
        assert api(client, mobile=number).status_code == 200
    refused = api(client, mobile="9826012345")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert VerifyQuery.objects.filter(result="limited").count() == 1
    # Another address is not affected.
    assert client.get("/api/v1/verify", {"mobile": "9826012345"}, REMOTE_ADDR="198.51.100.1").status_code == 200


@override_settings(SANGATHAN_VERIFY_PER_IP=100, SANGATHAN_VERIFY_PER_NUMBER=2)
def test_rate_limit_per_number_across_addresses(worker, clock):
    for ip in ("198.51.100.1", "198.51.100.2"):
        verify_lookup(mobile="9826012345", ip=ip)
    with pytest.raises(RateLimited):
        verify_lookup(mobile="+919826012345", ip="198.51.100.3")
    clock.advance(hours=1, minutes=1)
    assert verify_lookup(mobile="9826012345", ip="198.51.100.3").active


def test_public_page_in_hindi_with_csrf(worker):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/verify/")
    assert page.status_code == 200 and 'lang="hi"' in page.content.decode()
    assert client.post("/verify/", {"number": "9826012345"}).status_code == 403
    token = page.cookies["csrftoken"].value
    answer = client.post("/verify/", {"number": "98260 12345", "csrfmiddlewaretoken": token})
    html = answer.content.decode()
    assert answer.status_code == 200 and "राम खंडेलवाल" in html and "गांधी" not in html
    by_membership = client.post("/verify/", {"number": "MP-000777", "csrfmiddlewaretoken": token})
    assert "राम खंडेलवाल" in by_membership.content.decode()


@override_settings(SANGATHAN_VERIFY_PER_IP=1)
def test_public_page_says_429_clearly(worker):
    client = Client()
    client.post("/verify/", {"number": "9826012345"})
    refused = client.post("/verify/", {"number": "9826012345"})
    assert refused.status_code == 429 and "role=\"alert\"" in refused.content.decode()


def _numbers(value) -> set:
    """Every integer anywhere in a JSON answer (ids would show as numbers)."""
    if isinstance(value, dict):
        return set().union(*(_numbers(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_numbers(v) for v in value)) if value else set()
    return {value} if isinstance(value, int) and not isinstance(value, bool) else set()
