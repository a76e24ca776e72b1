"""People through the API: the scoped list, the audited record, writes, and the bad-input contract."""

import pytest

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Person, PersonHistory
from sangathan.people.services import person_update
from sangathan.people.timeline import timeline_sources
from tests.api_client import ApiClient
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(tree):
    """The president of district d1: may read and write its subtree."""
    return ApiClient.login(tree.users["district_president"])


def new_person(tree, **overrides) -> dict:
    return {"name": "रामेश्वर खंडेलवाल", "mobile": "098260-12345", "unit": tree["d1a1b1"].pk, **overrides}


def test_list_items(tree, district):
    body = district.get("/people", {"unit": tree["d1a1b1"].pk}).json()
    expected = Person.objects.filter(unit_path__startswith=tree["d1a1b1"].path).order_by("name_latin", "id")
    assert [item["id"] for item in body["items"]] == [p.pk for p in expected]
    person = expected[0]
    assert body["items"][0] == {
        "id": person.pk, "name": person.name, "name_latin": person.name_latin, "status": "active",
        "mobile": person.mobile, "mobile_masked": False,
        "unit": {"id": tree["d1a1b1"].pk, "code": "D1A1B1", "level": "booth", "name_hi": tree["d1a1b1"].name_hi,
                 "name_en": tree["d1a1b1"].name_en},
    }
    assert {k: body[k] for k in ("count", "page", "pages", "page_size")} == {
        "count": expected.count(), "page": 1, "pages": 1, "page_size": 50}


def test_list_search_and_status(tree, district):
    person = tree.people["d1a2b1p1"]
    by_mobile = district.get("/people", {"q": person.mobile.removeprefix("+91")}).json()
    assert [item["id"] for item in by_mobile["items"]] == [person.pk]
    person_update(scope=Scope.system(), person=person, status=PersonStatus.INACTIVE)
    inactive = district.get("/people", {"status": "inactive"}).json()
    assert [item["id"] for item in inactive["items"]] == [person.pk]
    # Search stays inside the scope: a person of district 2 is not found even by exact mobile.
    outsider = tree.people["d2a1b1p0"]
    assert district.get("/people", {"q": outsider.mobile}).json()["count"] == 0


def test_list_pages(tree, district):
    first = district.get("/people", {"page_size": 3}).json()
    total = Person.objects.filter(unit_path__startswith=tree["d1"].path).count()
    assert first["count"] == total and first["pages"] == -(-total // 3) and len(first["items"]) == 3
    last = district.get("/people", {"page_size": 3, "page": first["pages"]}).json()
    assert len(last["items"]) == total - 3 * (first["pages"] - 1)


def test_detail_is_the_full_record_and_is_audited(tree, district):
    person = tree.people["booth_president"]
    response = district.get(f"/people/{person.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == person.pk and body["mobile"] == person.mobile and body["epic"] == ""
    assert body["relation"] == "father" and body["birth_year"] is None
    assert body["unit"]["id"] == tree["d1a1b1"].pk
    assert [(c["code"], c["id"]) for c in body["unit_breadcrumbs"]] == [
        ("MP", None), ("DIV-BPL", None), ("D1", tree["d1"].pk), ("D1A1", tree["d1a1"].pk),
        ("D1A1M", tree["d1a1m"].pk), ("D1A1S", tree["d1a1s"].pk),
    ]
    [position] = body["positions"]
    assert position["post"]["code"] == "president" and position["unit_id"] == tree["d1a1b1"].pk

    [row] = AuditLog.objects.filter(action=AuditLog.Action.PERSON_VIEW)
    assert row.actor == tree.users["district_president"]
    assert (row.target_type, row.target_id) == ("person", person.pk)
    assert row.channel == "api" and row.unit_path == person.unit_path


def test_list_and_hidden_records_are_not_audited(tree, district):
    district.get("/people")
    district.get("/people", {"unit": tree["d1a1"].pk})
    assert district.get(f"/people/{tree.people['d2a1b1p0'].pk}").status_code == 404
    assert not AuditLog.objects.filter(action=AuditLog.Action.PERSON_VIEW).exists()


def test_create(tree, district):
    response = district.post("/people", new_person(tree, epic="abc 1234567", birth_year=1980, gender="m"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mobile"] == "+919826012345" and body["epic"] == "ABC1234567"
    assert body["name_latin"] and body["unit"]["id"] == tree["d1a1b1"].pk and body["positions"] == []
    person = Person.objects.get(pk=body["id"])
    assert person.unit_path == tree["d1a1b1"].path
    assert person.history.get().actor == tree.users["district_president"]


@pytest.mark.parametrize("overrides, status, field", [
    ({"mobile": "12345"}, 400, "mobile"),
    ({"mobile": ""}, 400, "mobile"),
    ({"epic": "NOT-AN-EPIC"}, 400, "epic"),
    ({"name": "   "}, 400, "name"),
    ({"name": "क" * 151}, 422, "name"),
    ({"gender": "x"}, 400, "gender"),
    ({"relation": "uncle"}, 400, "relation"),
    ({"birth_year": 1850}, 422, "birth_year"),
    ({"birth_year": "soon"}, 422, "birth_year"),
    ({"unit": "d1"}, 422, "unit"),
    ({"unit": 99999999999999999999}, 422, "unit"),
    ({"unit": 9_000_000}, 404, "unit"),
    ({"mobile": None}, 422, "mobile"),
])
def test_create_with_bad_input(tree, district, overrides, status, field):
    before = Person.objects.count()
    response = district.post("/people", new_person(tree, **overrides))
    assert response.status_code == status, response.content
    assert field in response.json()["errors"]
    assert Person.objects.count() == before


def test_create_reports_every_bad_field_at_once(tree, district):
    response = district.post("/people", new_person(tree, mobile="12", epic="x", gender="q"))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"mobile", "epic", "gender"}


def test_create_with_a_taken_mobile_is_409(tree, district):
    taken = tree.people["d1a1b2p0"].mobile
    response = district.post("/people", new_person(tree, mobile=taken.removeprefix("+91")))
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate" and "mobile" in response.json()["errors"]


def test_create_outside_write_scope(tree):
    # A convener at d1 may read the district but not add people to it.
    person = PersonFactory(unit=tree["d1"])
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="convener"), unit=tree["d1"])
    reader = ApiClient.login(make_user(person))
    response = reader.post("/people", new_person(tree))
    assert response.status_code == 403 and "unit" in response.json()["errors"]
    # Outside the read scope the unit does not exist at all.
    booth = ApiClient.login(tree.users["booth_president"])
    response = booth.post("/people", new_person(tree, unit=tree["d1a1b2"].pk))
    assert response.status_code == 404 and "unit" in response.json()["errors"]
    assert not Person.objects.filter(mobile="+919826012345").exists()


def test_update(tree, district):
    person = tree.people["d1a1b1p0"]
    response = district.patch(f"/people/{person.pk}", {"name": "Suresh Patel", "unit": tree["d1a2b1"].pk})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Suresh Patel" and response.json()["unit"]["id"] == tree["d1a2b1"].pk
    person.refresh_from_db()
    assert person.unit_path == tree["d1a2b1"].path
    assert set(person.history.filter(action=PersonHistory.Action.UPDATED).get().changes) == {"name", "unit"}


def test_update_with_bad_input(tree, district):
    person = tree.people["d1a1b1p0"]
    assert district.patch(f"/people/{person.pk}", {"mobile": "12"}).json()["errors"].keys() == {"mobile"}
    assert district.patch(f"/people/{person.pk}", {"name": None}).status_code == 400
    assert district.patch(f"/people/{person.pk}", {"unit": None}).status_code == 400
    assert district.patch(f"/people/{person.pk}", {"unit": tree["d2a1b1"].pk}).status_code == 404
    assert district.patch(f"/people/{person.pk}", {"status": "retired"}).status_code == 400
    assert district.patch(f"/people/{person.pk}", {"name": "x" * 151}).status_code == 422
    unknown = district.patch(f"/people/{person.pk}", {"nmae": "Typo"})
    assert unknown.status_code == 422 and set(unknown.json()["errors"]) == {"nmae"}
    assert district.patch(f"/people/{tree.people['d2a1b1p0'].pk}", {"name": "X"}).status_code == 404
    person.refresh_from_db()
    assert person.history.count() == 1  # only the creation


def test_update_by_a_reader_is_403(tree):
    person = PersonFactory(unit=tree["d1"])
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="convener"), unit=tree["d1"])
    reader = ApiClient.login(make_user(person))
    response = reader.patch(f"/people/{tree.people['d1a1b1p0'].pk}", {"name": "Changed"})
    assert response.status_code == 403


@pytest.mark.parametrize("params, field", [
    ({"page": "abc"}, "page"),
    ({"page": -1}, "page"),
    ({"page_size": 1000}, "page_size"),
    ({"page_size": 0}, "page_size"),
    ({"q": "क" * 101}, "q"),
    ({"status": "retired"}, "status"),
    ({"unit": "abc"}, "unit"),
    ({"unit": "99999999999999999999"}, "unit"),
])
def test_bad_list_input_is_422(tree, district, params, field):
    response = district.get("/people", params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_unknown_unit_is_404(tree, district):
    response = district.get("/people", {"unit": 9_000_000})
    assert response.status_code == 404
    assert response.json() == {"detail": "No such unit.", "code": "not_found", "errors": {}}


def test_bad_input_never_answers_500(tree, district):
    """Walk the awkward inputs an integration might send: never a 500, and every 4xx has the error shape."""
    person = tree.people["d1a1b1p0"].pk
    calls = [
        ("get", "/people", {"unit": ""}), ("get", "/people", {"page": "1e9"}), ("get", "/people", {"q": "\x00"}),
        ("get", "/people", {"q": "%"}), ("get", "/people", {"q": "' OR 1=1 --"}), ("get", "/people", {"q": "_"}),
        ("get", "/units", {"q": "%\x00"}), ("get", "/people?q=%FF%FE%00", None),
        ("get", "/people/0", None), ("get", "/people/-5", None), ("get", "/people/abc", None),
        ("get", "/people/99999999999999999999", None), ("get", "/units/1e3", None),
        ("post", "/people", "not json"), ("post", "/people", "[1, 2]"), ("post", "/people", "null"),
        ("post", "/people", '{"name": 5, "mobile": [], "unit": {}}'),
        ("post", "/people", '{"name": "A", "mobile": "9826012345", "unit": 1, "birth_year": 1e40}'),
        ("patch", f"/people/{person}", '{"epic": "' + "A" * 40 + '"}'),
        ("patch", f"/people/{person}", '{"unknown_field": 1}'),
        ("patch", "/people/99999999999999999999", "{}"),
        ("post", "/people", '{"name": "A\\u0000B", "mobile": "9826012345", "unit": 1}'),
        ("post", "/people", b'{"name": "\xff\xfe"}'),
        ("post", "/auth/token", '{"mobile": "\\u0000", "password": "x"}'),
    ]
    for method, path, data in calls:
        if method == "get":
            response = district.get(path, data)
        else:
            response = getattr(district, method)(path, data, raw=True)
        assert response.status_code < 500, (method, path, data, response.status_code)
        if response.status_code >= 400:
            assert {"detail", "errors"} <= set(response.json()), (method, path, data)


@pytest.mark.parametrize("params", [{"q": "ab\x00"}, {"status": "\x00"}])
def test_nul_characters_are_422(tree, district, params):
    response = district.get("/people", params)
    assert response.status_code == 422 and set(response.json()["errors"]) == set(params)


def test_nul_in_a_body_is_422(tree, district):
    response = district.post("/people", new_person(tree, name="Ram\x00"))
    assert response.status_code == 422 and set(response.json()["errors"]) == {"name"}


def test_list_and_detail_do_not_query_per_row(tree, district, django_assert_max_num_queries):
    for _ in range(30):
        PersonFactory(unit=tree["d1a1b2"])
    with django_assert_max_num_queries(9):
        body = district.get("/people", {"page_size": 200}).json()
    assert body["count"] > 30
    with django_assert_max_num_queries(9):
        district.get("/people", {"unit": tree["d1a1"].pk, "q": "a"})
    # The record, its posts and tags, and a timeline merged from every source (a query each; the Sahyog
    # Cell's also reads the reader's posts, for recusal).
    with django_assert_max_num_queries(10 + len(timeline_sources())):
        assert district.get(f"/people/{tree.people['booth_president'].pk}").status_code == 200


@pytest.mark.parametrize("body, field", [({"name": "Ram\ud800"}, "name"), ({"address": "\udc00"}, "address"),
                                         ({"social": {"x": "\ud83d"}}, "social.x")])
def test_a_lone_surrogate_is_a_field_error_and_changes_nothing(tree, district, body, field):
    person = tree.people["d1a1b1p0"]
    before = person.name
    response = district.patch(f"/people/{person.pk}", body)
    assert response.status_code == 422 and list(response.json()["errors"]) == [field]
    person.refresh_from_db()
    assert person.name == before


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e", "\u202eKamla", "\x07\x07", "\u2066\u2069"])
def test_a_name_of_invisible_or_control_characters_is_refused(tree, district, name):
    response = district.post("/people", new_person(tree, name=name))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["name"]
    assert not Person.objects.filter(mobile="+919826012345").exists()
    person = tree.people["d1a1b1p0"]
    response = district.patch(f"/people/{person.pk}", {"relative_name": name})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["relative_name"]


def test_list_and_search_reads_are_audited_once_each_with_query_and_count(tree, district):
    district.get("/people", {"unit": tree["d1a1"].pk})
    row = AuditLog.objects.get(action="people.list")
    expected = Person.objects.filter(unit_path__startswith=tree["d1a1"].path).count()
    assert row.actor == tree.users["district_president"] and row.channel == "api"
    assert row.detail == {"q": "", "filters": {"unit": tree["d1a1"].code}, "count": expected, "count_capped": False}
    district.get("/people", {"q": "khandelwal"})
    search = AuditLog.objects.get(action="people.search")
    assert search.detail["q"] == "khandelwal" and search.detail["count"] >= 0
    assert district.get("/people", {"unit": tree["d2"].pk}).status_code == 404
    assert AuditLog.objects.filter(action__in=("people.list", "people.search")).count() == 2
