"""The scope test generated from the routes (issue 10, DESIGN invariant 2).

Every django-ninja operation and every web URL pattern is collected. Each one that carries an object id
(in its path or its body) is called, for each demo role, on an object of a subtree the role cannot see: a
read and a write must answer 404, exactly like an id that exists nowhere (a refusal that is the same for
both, 403 or 405, reveals nothing and passes). Each list or count, plain or filtered by the sibling unit,
must never hold a sibling object. A route in none of the tables of ``tests.access.route_cases`` fails
``test_every_route_has_a_case`` until it is given a case (or declared, with a reason, as having no id).

The objects are built once per module; each test runs in a savepoint rolled back after it.
"""

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from sangathan.api import api
from tests.access.route_cases import (
    API_CASES,
    API_EXEMPT,
    API_LISTS,
    CONTROL,
    MARKERS,
    MISSING,
    ROLES,
    WEB_CASES,
    WEB_EXEMPT,
    WEB_LISTS,
    build_world,
)
from tests.api_client import BASE, ApiClient

pytestmark = pytest.mark.django_db

WEB_SKIP = ("admin/", "api/v1/", "static/", "media/")


def api_routes() -> dict[tuple[str, str], dict]:
    """(method, path under /api/v1) → {"path": [names], "query": [names]} from the OpenAPI document."""
    routes = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            routes[(method.upper(), path.removeprefix(BASE))] = {
                kind: [p["name"] for p in params if p["in"] == kind] for kind in ("path", "query")}
    return routes


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def api_urls_outside_schema() -> list[str]:
    """API URL patterns the OpenAPI walk would miss (an operation hidden from the schema)."""
    documented = {re.sub(r"\{(?:\w+:)?(\w+)\}", r"<\1>", path.removeprefix(BASE).lstrip("/"))
                  for _, path in api_routes()}
    found = {re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route.removeprefix("api/v1/"))
             for route in _patterns(get_resolver().url_patterns) if route.startswith("api/v1/")}
    return sorted(found - documented - {"", "openapi.json", "docs"})


def web_routes() -> list[str]:
    return sorted({route for route in _patterns(get_resolver().url_patterns) if not route.startswith(WEB_SKIP)})


API_ROUTES = api_routes()
WEB_ROUTES = web_routes()


# ---------------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.api = {role: ApiClient.login(user) for role, user in built.users.items()}
        built.web = {}
        for role, user in built.users.items():
            client = Client()
            client.force_login(user)
            built.web[role] = client
        yield built
        transaction.set_rollback(True)


def _ref(world, probe: bool, case=None):
    keep = case.visible if case is not None else ()
    return lambda key: MISSING if probe and key not in keep else world.id(key)


def _fill(template: str, case, ref, pattern: str) -> str:
    values = {**{name: ref(key) for name, key in case.params.items()}, **case.fixed}
    return re.sub(pattern, lambda m: str(values[m.group(1)]), template)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="ignore")
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="ignore")


def api_call(world, role, method, template, case, probe=False):
    ref = _ref(world, probe, case)
    url = BASE + _fill(template, case, ref, r"\{(?:\w+:)?(\w+)\}")
    client, headers = world.api[role].client, {"Authorization": f"Bearer {world.api[role].token}"}
    query = case.query(ref) if case.query else {}
    if method == "GET":
        return client.get(url, query, headers=headers)
    if case.files:
        from django.core.files.uploadedfile import SimpleUploadedFile
        upload = SimpleUploadedFile("zq.pdf", b"%PDF-1.4 zq", content_type="application/pdf")
        return client.post(url, {"file": upload}, headers=headers)
    body = json.dumps(case.body(ref) if case.body else {})
    return client.generic(method, url, body, content_type="application/json", headers=headers)


def web_call(world, role, method, route, case, probe=False):
    ref = _ref(world, probe, case)
    url = "/" + (getattr(case, "url", "") or _fill(route, case, ref, r"<(?:\w+:)?(\w+)>"))
    client = world.web[role]
    if method == "GET":
        return client.get(url, case.query(ref) if case.query else {})
    return client.post(url, case.body(ref) if case.body else {})


def leak(response, probe_call) -> str | None:
    """None when the answer tells nothing: a 404, or the very refusal an absent id gets (a blanket 401, 403
    or 405, a 400/422 on the body, or a form shown again with its error and no sibling data in it)."""
    status = response.status_code
    if status == 404:
        return None
    probe = probe_call().status_code
    if status == probe and status in (400, 401, 403, 405, 422):
        return None
    if status == probe == 200 and response.get("Content-Type", "").startswith("text/html") and not _markers(response):
        return None
    return f"{status} (absent id: {probe})"


def _markers(response) -> list[str]:
    text = _text(response).lower()
    return [marker for marker in MARKERS if marker.lower() in text]


def uncovered() -> list[str]:
    missing = []
    for key, params in sorted(API_ROUTES.items()):
        if key not in API_CASES and key not in API_LISTS and key not in API_EXEMPT:
            missing.append(f"API {key[0]} {key[1]}")
        elif "unit" in params["query"] and key not in API_LISTS:
            missing.append(f"API {key[0]} {key[1]}: filters by unit but has no list case")
    for route in WEB_ROUTES:
        if route in WEB_CASES or route in WEB_LISTS or route in WEB_EXEMPT:
            continue
        missing.append(f"WEB {route}")
    stale = [f"API {m} {p}" for m, p in (*API_CASES, *API_LISTS, *API_EXEMPT) if (m, p) not in API_ROUTES]
    stale += [f"WEB {r}" for r in (*WEB_CASES, *WEB_LISTS, *WEB_EXEMPT) if r not in WEB_ROUTES]
    return missing + [f"{name} (a case for a route that no longer exists)" for name in stale]


def test_every_route_has_a_case():
    """A new route fails here until route_cases gives it a case, a list case or a reason to need none."""
    missing = uncovered() + [f"API {route} (not in the OpenAPI document)" for route in api_urls_outside_schema()]
    assert not missing, "Routes the scope test cannot cover:\n  " + "\n  ".join(missing)


# ---------------------------------------------------------------------------------------------------- id routes

@pytest.mark.parametrize("key", sorted(API_CASES), ids=lambda key: f"{key[0]} {key[1]}")
def test_api_route_hides_the_sibling_object(world, key):
    method, template = key
    failures = []
    for number, case in enumerate(API_CASES[key]):
        for role in ROLES:
            response = api_call(world, role, method, template, case)
            found = leak(response, lambda role=role, case=case: api_call(world, role, method, template, case, probe=True))
            if found:
                failures.append(f"{role} (case {number}): {found}")
        if method == "GET" and case.control:
            control = api_call(world, case.control, method, template, case)
            if control.status_code != 200:
                failures.append(f"case {number} is vacuous: the superuser got {control.status_code}")
    assert not failures, f"{method} {template} leaks:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("route", sorted(WEB_CASES))
def test_web_route_hides_the_sibling_object(world, route):
    failures = []
    for number, case in enumerate(WEB_CASES[route]):
        for method in case.methods:
            for role in ROLES:
                response = web_call(world, role, method, route, case)
                found = leak(response, lambda role=role, method=method, case=case: web_call(world, role, method, route, case,
                                                                                          probe=True))
                if found:
                    failures.append(f"{method} {role} (case {number}): {found}")
        if "GET" in case.methods and case.control:
            control = web_call(world, case.control, "GET", route, case)
            if control.status_code != 200:
                failures.append(f"case {number} is vacuous: the superuser got {control.status_code}")
    assert not failures, f"/{route} leaks:\n  " + "\n  ".join(failures)


# ---------------------------------------------------------------------------------------------------- lists

def _list_failures(world, call, cases) -> list[str]:
    failures = []
    for number, case in enumerate(cases):
        for role in ROLES:
            response = call(world, role, case)
            status = response.status_code
            if status in (403, 404):
                continue
            if status != 200:
                failures.append(f"{role} (case {number}): {status}")
                continue
            shown = _markers(response)
            if shown:
                failures.append(f"{role} (case {number}): shows {shown}")
        if case.shows:
            control = call(world, CONTROL, case)
            if control.status_code != 200 or case.shows.lower() not in _text(control).lower():
                failures.append(f"case {number}: the superuser's answer ({control.status_code}) lacks "
                                f"{case.shows!r}, so the list hides what it should show or the case proves nothing")
    return failures


@pytest.mark.parametrize("key", sorted(API_LISTS), ids=lambda key: f"{key[0]} {key[1]}")
def test_api_list_never_holds_the_sibling_object(world, key):
    method, template = key

    def call(world, role, case):
        return api_call(world, role, method, template, case)

    failures = _list_failures(world, call, API_LISTS[key])
    assert not failures, f"{method} {template} leaks:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("route", sorted(WEB_LISTS))
def test_web_list_never_holds_the_sibling_object(world, route):
    def call(world, role, case):
        return web_call(world, role, "GET", route, case)

    failures = _list_failures(world, call, WEB_LISTS[route])
    assert not failures, f"/{route} leaks:\n  " + "\n  ".join(failures)


def test_summary_routes_times_roles():
    """Reports the coverage: every id-bearing route and every list, for every role."""
    id_bearing = {("API", *key) for key, params in API_ROUTES.items() if params["path"] and key not in API_EXEMPT}
    id_bearing |= {("WEB", route) for route in WEB_ROUTES
                   if "<" in route and route not in WEB_EXEMPT and route not in WEB_LISTS}
    covered = {("API", *key) for key in API_CASES} | {("WEB", route) for route in WEB_CASES}
    lists = len(API_LISTS) + len(WEB_LISTS)
    print(f"\nroute scope: {len(covered)} id routes ({len(id_bearing)} with an id in the path) × {len(ROLES)} roles"
          f" = {len(covered) * len(ROLES)}; {lists} lists × {len(ROLES)} roles = {lists * len(ROLES)}")
    assert id_bearing <= covered, sorted(id_bearing - covered)


@pytest.mark.parametrize("route", sorted(WEB_LISTS))
def test_web_list_answers_404_for_a_unit_outside_the_scope(world, route):
    """``?unit=`` naming the sibling's booth, a unit nowhere or no number: 404 for every role, never the
    role's own subtree instead; the superuser, who sees the sibling, is not refused."""
    case = WEB_LISTS[route][0]
    url = "/" + (case.url or _fill(route, case, _ref(world, False, case), r"<(?:\w+:)?(\w+)>"))
    base = {key: value for key, value in (case.query(_ref(world, False, case)) if case.query else {}).items()
            if key != "unit"}
    failures = []
    for unit in (world.id("booth"), MISSING, "abc"):
        for role in ROLES:
            status = world.web[role].get(url, {**base, "unit": unit}).status_code
            if status != 404:
                failures.append(f"{role} ?unit={unit}: {status}")
    control = world.web[CONTROL].get(url, {**base, "unit": world.id("booth")}).status_code
    if control == 404:
        failures.append(f"the superuser got 404 for a unit it sees ({url})")
    assert not failures, f"{url}:\n  " + "\n  ".join(failures)
