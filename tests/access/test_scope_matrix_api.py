"""The scope rule through the API (DESIGN invariant 2): every user × every endpoint × every unit and person.

Expectations come from the database by path prefix: a user may see exactly what lies under their roots.
"""

import pytest

from sangathan.org.models import Unit
from sangathan.people.models import Person
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

# Where each user's scope starts: the units their positions (or superuser status) cover.
ROOTS = {
    "booth_president": ["d1a1b1"],
    "mandal_president": ["d1a1m"],
    "district_president": ["d1"],
    "lok_sabha_incharge": ["d1a1", "d1a2", "d2a1"],
    "state_president": ["state"],
    "state_admin": ["state"],
    "nobody": [],
}
USERS = list(ROOTS)


def root_paths(tree, user_key: str) -> tuple[str, ...]:
    return tuple(tree[key].path for key in ROOTS[user_key])


def inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path.startswith(root) for root in roots)


def all_items(api, path: str, params: dict | None = None) -> dict:
    response = api.get(path, {**(params or {}), "page_size": 200})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["pages"] == 1  # the small tree fits on one page
    return body


@pytest.mark.parametrize("user_key", USERS)
def test_unit_detail_and_children(tree, user_key):
    api, roots = ApiClient.login(tree.users[user_key]), root_paths(tree, user_key)
    for unit in Unit.objects.all():
        expected = 200 if inside(unit.path, roots) else 404
        detail = api.get(f"/units/{unit.pk}")
        assert detail.status_code == expected, (user_key, unit.code)
        children = api.get(f"/units/{unit.pk}/children")
        assert children.status_code == expected, (user_key, unit.code)
        if expected == 404:
            assert detail.json()["errors"] == {} and "detail" in detail.json()
            continue
        expected_children = {c.pk for c in unit.children.all()}
        assert {item["unit"]["id"] for item in children.json()["items"]} == expected_children
        expected_people = Person.objects.filter(unit_path__startswith=unit.path).count()
        assert detail.json()["counts"]["people"] == expected_people


@pytest.mark.parametrize("user_key", USERS)
def test_unit_search_lists_exactly_the_scope(tree, user_key):
    api, roots = ApiClient.login(tree.users[user_key]), root_paths(tree, user_key)
    body = all_items(api, "/units")
    expected = {u.pk for u in Unit.objects.all() if inside(u.path, roots)}
    assert {item["id"] for item in body["items"]} == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize("user_key", USERS)
def test_people_list_holds_exactly_the_scope(tree, user_key):
    api, roots = ApiClient.login(tree.users[user_key]), root_paths(tree, user_key)
    body = all_items(api, "/people")
    expected = {p.pk for p in Person.objects.all() if inside(p.unit_path, roots)}
    assert {item["id"] for item in body["items"]} == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize("user_key", USERS)
def test_people_list_by_unit(tree, user_key):
    api, roots = ApiClient.login(tree.users[user_key]), root_paths(tree, user_key)
    for unit in Unit.objects.all():
        response = api.get("/people", {"unit": unit.pk, "page_size": 200})
        if not inside(unit.path, roots):
            assert response.status_code == 404, (user_key, unit.code)
            continue
        expected = {p.pk for p in Person.objects.filter(unit_path__startswith=unit.path)}
        assert response.status_code == 200
        assert {item["id"] for item in response.json()["items"]} == expected
        assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("user_key", USERS)
def test_person_detail(tree, user_key):
    api, roots = ApiClient.login(tree.users[user_key]), root_paths(tree, user_key)
    for person in Person.objects.all():
        response = api.get(f"/people/{person.pk}")
        assert response.status_code == (200 if inside(person.unit_path, roots) else 404), (user_key, person.pk)


def test_booth_president_gets_nothing_of_the_sibling_booth(tree):
    api = ApiClient.login(tree.users["booth_president"])
    sibling = tree["d1a1b2"]
    assert api.get(f"/units/{sibling.pk}").status_code == 404
    assert api.get(f"/units/{sibling.pk}/children").status_code == 404
    assert api.get("/people", {"unit": sibling.pk}).status_code == 404
    assert api.get(f"/people/{tree.people['d1a1b2p0'].pk}").status_code == 404
    body = api.get("/people").json()
    own = Person.objects.filter(unit_path__startswith=tree["d1a1b1"].path)
    assert {item["id"] for item in body["items"]} == set(own.values_list("pk", flat=True))
    assert body["count"] == own.count()


def test_mandal_president_sees_its_booths_and_not_the_next_assembly(tree):
    api = ApiClient.login(tree.users["mandal_president"])
    for key in ("d1a1b1", "d1a1b2"):
        assert api.get(f"/units/{tree[key].pk}").status_code == 200
    assert api.get(f"/units/{tree['d1a2'].pk}").status_code == 404
    assert api.get(f"/units/{tree['d1a1'].pk}").status_code == 404


def test_lok_sabha_incharge_sees_its_three_assemblies_only(tree):
    api = ApiClient.login(tree.users["lok_sabha_incharge"])
    for key in ("d1a1", "d1a2", "d2a1"):
        assert api.get(f"/units/{tree[key].pk}").status_code == 200
    for key in ("d1", "d2", "d2a2", "state"):
        assert api.get(f"/units/{tree[key].pk}").status_code == 404
    paths = [tree[key].path for key in ("d1a1", "d1a2", "d2a1")]
    expected = sum(Person.objects.filter(unit_path__startswith=p).count() for p in paths)
    assert api.get("/people").json()["count"] == expected


def test_member_without_post_sees_nothing(tree):
    api = ApiClient.login(tree.users["nobody"])
    assert api.get("/people").json()["count"] == 0
    assert api.get("/units").json()["count"] == 0
    assert api.get(f"/units/{tree['d2a2b2'].pk}").status_code == 404
    assert api.get(f"/people/{tree.users['nobody'].person_id}").status_code == 404
