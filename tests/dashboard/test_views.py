"""The home and unit pages: what each office-bearer sees, the counts, paging and search, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sangathan.people.models import Person
from tests.factories import PersonFactory, make_unit

pytestmark = pytest.mark.django_db

USERS = ["booth_president", "mandal_president", "district_president", "lok_sabha_incharge", "state_president",
         "state_admin", "nobody"]


def visible(tree, user_key: str) -> set[str]:
    """The units each user's scope covers: the scope rule spelt out for the tree of tests.factories."""
    return {
        "booth_president": {"d1a1b1"},
        "mandal_president": {"d1a1m", "d1a1s", "d1a1b1", "d1a1b2"},
        "district_president": {key for key in tree.units if key.startswith("d1")},
        "lok_sabha_incharge": {key for key in tree.units if key.startswith(("d1a1", "d1a2", "d2a1"))},
        "state_president": set(tree.units),
        "state_admin": set(tree.units),
        "nobody": set(),
    }[user_key]


def unit_url(tree, key: str) -> str:
    return reverse("dashboard:unit", args=[tree[key].pk])


def people_under(tree, key: str):
    return Person.objects.filter(unit_path__startswith=tree[key].path)


@pytest.mark.parametrize("user_key", USERS)
def test_unit_page_scope_matrix(client, tree, user_key):
    client.force_login(tree.users[user_key])
    seen = visible(tree, user_key)
    for unit_key in tree.units:
        response = client.get(unit_url(tree, unit_key))
        expected = 200 if unit_key in seen else 404
        assert response.status_code == expected, (user_key, unit_key)


@pytest.mark.parametrize("user_key", USERS)
def test_person_page_scope_matrix(client, tree, user_key):
    client.force_login(tree.users[user_key])
    seen = visible(tree, user_key)
    unit_keys = {unit.pk: key for key, unit in tree.units.items()}
    for person_key, person in tree.people.items():
        response = client.get(reverse("people:person", args=[person.pk]))
        expected = 200 if unit_keys[person.unit_id] in seen else 404
        assert response.status_code == expected, (user_key, person_key)


def test_booth_president_is_refused_the_sibling_booth_without_a_leak(client, tree):
    secret = PersonFactory(unit=tree["d1a1b2"], name="गुप्तेश्वर रामप्रसाद")
    client.force_login(tree.users["booth_president"])
    response = client.get(unit_url(tree, "d1a1b2"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "पृष्ठ नहीं मिला" in html
    assert secret.name not in html
    own = client.get(unit_url(tree, "d1a1b1")).content.decode()
    assert secret.name not in own and secret.mobile not in own
    assert secret.name not in client.get(unit_url(tree, "d1a1b1"), {"q": "रामप्रसाद"}).content.decode()


def test_booth_president_home_is_the_booth(client, tree):
    client.force_login(tree.users["booth_president"])
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert response.context["unit"] == tree["d1a1b1"]
    html = response.content.decode()
    assert f"नमस्ते, {tree.users['booth_president'].display_name}" in html
    assert "अध्यक्ष · बूथ d1a1b1" in html
    for person in people_under(tree, "d1a1b1"):
        assert person.name in html


def test_ancestors_outside_scope_are_named_but_not_linked(client, tree):
    client.force_login(tree.users["booth_president"])
    html = client.get(unit_url(tree, "d1a1b1")).content.decode()
    assert tree["d1"].name_hi in html
    assert unit_url(tree, "d1") not in html
    client.force_login(tree.users["district_president"])
    html = client.get(unit_url(tree, "d1a1b1")).content.decode()
    assert unit_url(tree, "d1") in html
    assert unit_url(tree, "div") not in html


def test_mandal_president_sees_all_booths_of_the_mandal(client, tree):
    client.force_login(tree.users["mandal_president"])
    response = client.get(reverse("dashboard:home"))
    assert response.context["unit"] == tree["d1a1m"]
    response = client.get(unit_url(tree, "d1a1s"))
    children = {summary.unit for summary in response.context["children"]}
    assert children == {tree["d1a1b1"], tree["d1a1b2"]}
    listed = {person.pk for person in response.context["page"].object_list}
    assert listed == set(people_under(tree, "d1a1s").values_list("pk", flat=True))


def test_lok_sabha_incharge_home_lists_exactly_its_assemblies(client, tree):
    client.force_login(tree.users["lok_sabha_incharge"])
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    roots = response.context["roots"]
    assert [summary.unit for summary in roots] == [tree["d1a1"], tree["d1a2"], tree["d2a1"]]
    for summary, key in zip(roots, ("d1a1", "d1a2", "d2a1"), strict=True):
        assert summary.people == people_under(tree, key).count()
        assert summary.booths == 2
    html = response.content.decode()
    assert unit_url(tree, "d2a2") not in html
    assert client.get(unit_url(tree, "d2a2")).status_code == 404
    assert client.get(unit_url(tree, "d1")).status_code == 404


def test_state_admin_sees_everything_from_the_state(client, tree):
    client.force_login(tree.users["state_admin"])
    response = client.get(reverse("dashboard:home"))
    assert response.context["unit"] == tree["state"]
    assert response.context["people_total"] == Person.objects.count()
    for key in tree.units:
        assert client.get(unit_url(tree, key)).status_code == 200


def test_user_without_a_post_gets_a_friendly_message(client, tree):
    client.force_login(tree.users["nobody"])
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert "आपको अभी कोई इकाई नहीं सौंपी गई है" in response.content.decode()


def test_unit_page_counts(client, tree):
    client.force_login(tree.users["district_president"])
    response = client.get(unit_url(tree, "d1"))
    children = {summary.unit: summary for summary in response.context["children"]}
    assert set(children) == {tree["d1a1"], tree["d1a2"]}
    for key in ("d1a1", "d1a2"):
        assert children[tree[key]].people == people_under(tree, key).count()
        assert children[tree[key]].booths == 2
    # d1a1 also holds the mandal and booth presidents: the counts must differ.
    assert children[tree["d1a1"]].people == children[tree["d1a2"]].people + 2
    assert response.context["people_total"] == people_under(tree, "d1").count()
    assert response.context["booth_count"] == 4
    html = response.content.decode()
    assert "पदाधिकारी" in html
    assert tree.people["district_president"].name in html


def test_office_bearers_are_listed_with_a_call_link(client, tree):
    client.force_login(tree.users["mandal_president"])
    html = client.get(unit_url(tree, "d1a1b1")).content.decode()
    president = tree.people["booth_president"]
    assert president.name in html
    assert f'href="tel:{president.mobile}"' in html


def test_pages_of_fifty(client, tree):
    booth = tree["d2a2b1"]
    for _ in range(120):
        PersonFactory(unit=booth)
    client.force_login(tree.users["state_admin"])
    url = reverse("dashboard:unit", args=[booth.pk])
    total = people_under(tree, "d2a2b1").count()
    first = client.get(url)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 3
    assert "पृष्ठ 1 / 3" in first.content.decode()
    last = client.get(url, {"page": 3})
    assert len(last.context["page"].object_list) == total - 100
    seen = set()
    for number in (1, 2, 3):
        seen |= {p.pk for p in client.get(url, {"page": number}).context["page"].object_list}
    assert len(seen) == total


@pytest.mark.parametrize("page", ["abc", "999999", "-1", "0", "1.5", "9" * 40, ""])
def test_bad_page_numbers_fall_back_to_a_real_page(client, tree, page):
    client.force_login(tree.users["state_admin"])
    response = client.get(unit_url(tree, "d1"), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number in (1, response.context["page"].paginator.num_pages)


def test_search_finds_by_name_in_either_script_and_by_mobile(client, tree):
    booth = tree["d1a1b1"]
    PersonFactory(unit=booth, name="रमेश खंडेलवाल")
    client.force_login(tree.users["mandal_president"])
    url = unit_url(tree, "d1a1m")
    for q in ("khandelwal", "खंडेलवाल", "Ramesh"):
        response = client.get(url, {"q": q})
        assert [p.name for p in response.context["page"].object_list] == ["रमेश खंडेलवाल"], q
    target = tree.people["d1a1b2p0"]
    response = client.get(url, {"q": f"{target.mobile[3:8]} {target.mobile[8:]}"})
    assert list(response.context["page"].object_list) == [target]
    assert response.context["people_total"] == people_under(tree, "d1a1m").count()


def test_search_never_reaches_outside_the_scope(client, tree):
    outsider = PersonFactory(unit=tree["d2a1b1"], name="सुरेश खंडेलवाल")
    client.force_login(tree.users["mandal_president"])
    response = client.get(unit_url(tree, "d1a1m"), {"q": "khandelwal"})
    assert outsider.name not in response.content.decode()
    assert "आपकी खोज से यहाँ कोई नहीं मिला।" in response.content.decode()


@pytest.mark.parametrize("q", ["क" * 300, "x" * 300, "9" * 300, "%_'\"<script>", "   "])
def test_odd_searches_do_not_fail(client, tree, q):
    client.force_login(tree.users["state_admin"])
    response = client.get(unit_url(tree, "state"), {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("unit_id", ["0", "999999", "99999999999999999999999"])
def test_unknown_unit_is_404(client, tree, unit_id):
    client.force_login(tree.users["state_admin"])
    assert client.get(f"/units/{unit_id}/").status_code == 404


def test_non_numeric_unit_is_404(client, tree):
    client.force_login(tree.users["state_admin"])
    assert client.get("/units/abc/").status_code == 404


def _unit_page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_unit_page_queries_do_not_grow_with_children_or_people(client, tree, django_assert_max_num_queries):
    client.force_login(tree.users["state_admin"])
    url = unit_url(tree, "d1a1s")
    with django_assert_max_num_queries(16):
        client.get(url)
    before = _unit_page_queries(client, url)
    client.get(reverse("dashboard:home"))  # the process reads the reference rows once, then keeps them
    home_before = _unit_page_queries(client, reverse("dashboard:home"))
    for number in range(3, 13):
        booth = make_unit(tree["d1a1s"], "booth", f"D1A1B{number}", f"बूथ {number}")
        for _ in range(6):
            PersonFactory(unit=booth)
    assert _unit_page_queries(client, url) == before
    # The home is the state's unit page plus today's work (tests/dashboard/test_today.py holds its budget).
    assert _unit_page_queries(client, reverse("dashboard:home")) == home_before
