"""The API's cross-cutting contract: one shape per OpenAPI component name, no-store caching, 401 for bad tokens."""

from collections import defaultdict

import pytest
from django.test import Client
from ninja import Schema

from sangathan.access.scope import Scope
from sangathan.access.services import api_token_revoke
from sangathan.api import api
from tests.api_client import ApiClient, declared_statuses


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_schema_name_stands_for_one_shape():
    # ninja names a component after its class: two classes of one name would share one component.
    api.get_openapi_schema()  # imports every router's schemas
    modules = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("sangathan."):
            modules[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}


def test_the_named_components_are_distinct():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(components["VerifiedPostOut"]["properties"]) == {"post", "wing", "place"}
    assert {"queued", "total"} <= set(components["BroadcastCountsOut"]["properties"])
    assert "questions" in components["ReportVerificationOut"]["properties"]
    assert "mobile" in components["PersonContactRef"]["properties"]
    assert "mobile" not in components["PersonRef"]["properties"]


@pytest.mark.django_db
def test_personal_answers_are_not_cached(tree, client):
    api_client = ApiClient.login(tree.users["district_president"])
    assert "no-store" in api_client.get("/people").headers["Cache-Control"]
    assert "no-store" in api_client.get("/people/999999999").headers["Cache-Control"]
    client.force_login(tree.users["district_president"])
    for path in ("/", "/people/", f"/people/{tree.people['d1a1b1p0'].pk}/"):
        response = client.get(path)
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"], path
    client.logout()
    assert "no-store" in client.get("/verify/").headers["Cache-Control"]  # public, but names workers


@pytest.mark.django_db
def test_a_revoked_or_unknown_token_is_401_on_every_method(tree):
    api_client = ApiClient.login(tree.users["district_president"])
    person = tree.people["d1a1b1p0"]
    api_token_revoke(scope=Scope.system(), key=api_client.token)
    for token in (api_client.token, "sgt_nonsense", "x"):
        caller = ApiClient(token, client=Client(enforce_csrf_checks=True))  # as a real server checks CSRF
        assert caller.get(f"/people/{person.pk}").status_code == 401
        response = caller.patch(f"/people/{person.pk}", {"occupation": "किसान"})
        assert response.status_code == 401 and response.json()["detail"] == "Authentication required."
        assert caller.post("/broadcasts", {}).status_code == 401
    person.refresh_from_db()
    assert person.occupation != "किसान"


@pytest.mark.django_db
def test_a_browser_session_still_needs_its_csrf_token(tree):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(tree.users["district_president"])
    person = tree.people["d1a1b1p0"]
    response = browser.patch(f"/api/v1/people/{person.pk}", '{"occupation": "किसान"}', content_type="application/json")
    assert response.status_code == 403


def test_every_operation_declares_the_errors_any_operation_can_answer():
    # Found by the fuzzing (tests/fuzz): a 422 for a bad id and a 401 for a bad token were answered but not
    # declared, so a client generated from the schema could not read them.
    for path, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            declared = {int(code) for code in operation["responses"]}
            assert 422 in declared, f"{method} {path}"
            if operation.get("security"):  # the public ones (token, webhooks, verify) never ask who calls
                assert 401 in declared, f"{method} {path}"


@pytest.mark.django_db
def test_an_id_out_of_range_is_a_declared_field_level_422(tree):
    response = ApiClient.login(tree.users["state_admin"]).get("/units/0")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"unit_id"}
    assert 422 in declared_statuses("get", "/units/{unit_id}")
