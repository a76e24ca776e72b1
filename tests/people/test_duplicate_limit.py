""""Already registered" tells that a number exists somewhere, also outside the asker's area: each actor gets a
limited number of such answers (``duplicate.actor``), then every create or change is refused (429) for the
rest of the window, on the API and at the counter alike. The system (imports, jobs) is not limited."""

import pytest
from django.test import Client

from sangathan.access.scope import Scope
from sangathan.core.errors import DomainError
from sangathan.core.models import RateCounter
from sangathan.people.services import person_create
from tests.api_client import ApiClient, declared_statuses

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_answers(settings):
    settings.SANGATHAN_RATE_LIMITS = {"duplicate.actor": (2, 3600)}


def add(api, unit, mobile, name="नया कार्यकर्ता"):
    return api.post("/people", {"name": name, "mobile": mobile, "unit": unit.pk})


def test_api_duplicate_answers_are_limited_per_actor(tree, two_answers):
    president = tree.users["district_president"]
    api = ApiClient.login(president)
    outside = tree.people["d2a1b1p0"]           # in another district: not the president's to see
    booth = tree["d1a2b1"]
    assert [add(api, booth, outside.mobile).status_code for _ in range(2)] == [409, 409]
    refused = add(api, booth, outside.mobile)
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) <= 3600
    # Over the limit, a fresh number is refused too: the answer must not depend on whether it exists.
    assert add(api, booth, "9826055501").status_code == 429
    assert RateCounter.objects.get(key=f"duplicate.actor:{president.pk}").hits == 2
    # Another actor is not affected.
    other = ApiClient.login(tree.users["state_admin"])
    assert add(other, booth, "9826055502").status_code == 201


def test_counter_preview_counts_and_refuses_alike(tree, two_answers):
    outside = tree.people["d2a1b1p0"]
    client = Client()
    client.force_login(tree.users["district_president"])
    form = {"name": "सुरेश पटेल", "relation": "father", "relative_name": "रमेश पटेल", "mobile": outside.mobile,
            "unit": tree["d1a2b1"].pk}
    assert [client.post("/people/add/", form).status_code for _ in range(2)] == [200, 200]
    refused = client.post("/people/add/", form)
    assert refused.status_code == 429 and refused.context["matches"] == []
    assert "बहुत अधिक प्रयास" in refused.content.decode()


def test_the_system_is_not_limited(tree, two_answers):
    existing = tree.people["d1a2b1p0"]
    for _ in range(4):
        with pytest.raises(DomainError) as error:
            person_create(scope=Scope.system(), name="दोहराव", mobile=existing.mobile, unit=tree["d1a2b1"])
        assert error.value.code == "duplicate"
    assert not RateCounter.objects.exists()


def test_the_429_is_declared_for_create_and_change():
    assert 429 in declared_statuses("post", "/people")
    assert 429 in declared_statuses("patch", "/people/{person_id}")
