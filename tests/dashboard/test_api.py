"""Units through the API: detail, children, search; ids that cannot be followed; the docs pages."""

import pytest
from django.test import Client

from sangathan.org.models import Unit
from sangathan.people.models import Person
from tests.api_client import BASE, ApiClient

pytestmark = pytest.mark.django_db


def people_under(unit) -> int:
    return Person.objects.filter(unit_path__startswith=unit.path).count()


def booths_under(unit) -> int:
    return Unit.objects.filter(path__startswith=unit.path, level="booth").count()


def test_unit_detail(tree):
    body = ApiClient.login(tree.users["district_president"]).get(f"/units/{tree['d1a1b1'].pk}").json()
    booth = tree["d1a1b1"]
    assert {k: body[k] for k in ("id", "code", "level", "name_hi", "name_en", "path", "depth")} == {
        "id": booth.pk, "code": "D1A1B1", "level": "booth", "name_hi": booth.name_hi, "name_en": booth.name_en,
        "path": booth.path, "depth": booth.depth,
    }
    assert body["parent_id"] == tree["d1a1s"].pk
    # State and division lie above the district president's scope: named, not linked.
    assert [(c["code"], c["visible"], c["id"]) for c in body["breadcrumbs"]] == [
        ("MP", False, None), ("DIV-BPL", False, None), ("D1", True, tree["d1"].pk),
        ("D1A1", True, tree["d1a1"].pk), ("D1A1M", True, tree["d1a1m"].pk), ("D1A1S", True, tree["d1a1s"].pk),
    ]
    [bearer] = body["office_bearers"]
    assert bearer["person"] == {"id": tree.people["booth_president"].pk, "name": tree.people["booth_president"].name}
    assert bearer["post"]["code"] == "president" and bearer["unit_id"] == booth.pk
    assert body["counts"] == {"people": people_under(booth), "booths": 1}


def test_scope_root_has_no_parent_id(tree):
    body = ApiClient.login(tree.users["district_president"]).get(f"/units/{tree['d1'].pk}").json()
    assert body["parent_id"] is None
    assert body["counts"] == {"people": people_under(tree["d1"]), "booths": booths_under(tree["d1"])}
    assert [c["visible"] for c in body["breadcrumbs"]] == [False, False]


def test_state_detail_for_the_admin(tree):
    body = ApiClient.login(tree.users["state_admin"]).get(f"/units/{tree['state'].pk}").json()
    assert body["breadcrumbs"] == [] and body["parent_id"] is None
    assert body["counts"] == {"people": Person.objects.count(), "booths": 8}
    assert [b["person"]["id"] for b in body["office_bearers"]] == [tree.people["state_president"].pk]


def test_children_with_counts_and_pages(tree):
    api = ApiClient.login(tree.users["district_president"])
    body = api.get(f"/units/{tree['d1'].pk}/children").json()
    assert body["count"] == 2 and body["page"] == 1 and body["pages"] == 1 and body["page_size"] == 50
    assert [item["unit"]["code"] for item in body["items"]] == ["D1A1", "D1A2"]
    for item in body["items"]:
        unit = Unit.objects.get(pk=item["unit"]["id"])
        assert item["people"] == people_under(unit) and item["booths"] == booths_under(unit)
    second = api.get(f"/units/{tree['d1'].pk}/children", {"page": 2, "page_size": 1}).json()
    assert second["pages"] == 2 and [i["unit"]["code"] for i in second["items"]] == ["D1A2"]
    beyond = api.get(f"/units/{tree['d1'].pk}/children", {"page": 9}).json()
    assert beyond["items"] == [] and beyond["count"] == 2


def test_booth_children_are_empty(tree):
    body = ApiClient.login(tree.users["booth_president"]).get(f"/units/{tree['d1a1b1'].pk}/children").json()
    assert body["items"] == [] and body["count"] == 0


def test_unit_search(tree):
    api = ApiClient.login(tree.users["state_admin"])
    booths = api.get("/units", {"level": "booth", "page_size": 200}).json()
    assert booths["count"] == Unit.objects.filter(level="booth").count()
    assert {i["level"] for i in booths["items"]} == {"booth"}
    by_code = api.get("/units", {"q": "d1a1"}).json()
    assert [i["code"] for i in by_code["items"]] == ["D1A1", "D1A1M", "D1A1S", "D1A1B1", "D1A1B2"]
    by_name = api.get("/units", {"q": "भोपाल"}).json()
    assert [i["code"] for i in by_name["items"]] == ["DIV-BPL"]
    scoped = ApiClient.login(tree.users["mandal_president"]).get("/units", {"level": "booth"}).json()
    assert [i["code"] for i in scoped["items"]] == ["D1A1B1", "D1A1B2"]


@pytest.mark.parametrize("path, statuses", [
    ("/units/99999999999999999999", {404, 422}),
    ("/units/9223372036854775807", {404}),
    ("/units/9223372036854775808/children", {404, 422}),
    ("/units/0", {404, 422}),
    ("/units/-1", {404, 422}),
    ("/units/abc", {404, 422}),
    ("/units/1.5/children", {404, 422}),
])
def test_unfollowable_ids_are_4xx(tree, path, statuses):
    response = ApiClient.login(tree.users["state_admin"]).get(path)
    assert response.status_code in statuses, response.content
    assert set(response.json()) >= {"detail", "errors"}


@pytest.mark.parametrize("params, field", [
    ({"q": "x" * 101}, "q"),
    ({"level": "x" * 41}, "level"),
    ({"page": "two"}, "page"),
    ({"page": 0}, "page"),
    ({"page_size": 1000}, "page_size"),
])
def test_bad_search_input_is_422(tree, params, field):
    response = ApiClient.login(tree.users["state_admin"]).get("/units", params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_openapi_and_docs(tree):
    schema = Client().get(BASE + "/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/auth/token", "/api/v1/me", "/api/v1/units", "/api/v1/units/{unit_id}",
                 "/api/v1/units/{unit_id}/children", "/api/v1/people", "/api/v1/people/{person_id}"):
        assert path in paths
    docs = Client().get(BASE + "/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self';" in policy  # no inline script needed
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert Client().get(f"/static/ninja/{asset}").status_code == 200
