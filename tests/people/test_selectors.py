import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import NotFound
from sangathan.people.models import Person
from sangathan.people.selectors import person_get_for_actor, person_list, unit_children_with_counts
from sangathan.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(tree):
    # Surnames Faker's hi_IN pool (which the factories draw from) does not contain, so no random match.
    person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"], epic="ABC1234567")
    person_create(scope=Scope.system(), name="Vimal Jhunjhunwala", mobile="9826012346", unit=tree["d1a1b1"])
    person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012347", unit=tree["d1a2b1"])
    return tree


def names(people) -> list[str]:
    return [p.name for p in people]


def test_latin_query_finds_devanagari_name_and_back(named):
    scope = scope_for_user(named.users["mandal_president"])
    assert names(person_list(scope=scope, q="khandelwal")) == ["राम खंडेलवाल"]
    assert names(person_list(scope=scope, q="झुनझुनवाला")) == ["Vimal Jhunjhunwala"]
    assert names(person_list(scope=scope, q="ram khandelwal")) == ["राम खंडेलवाल"]
    assert names(person_list(scope=scope, q="vimal jhunjhunwala")) == ["Vimal Jhunjhunwala"]


@pytest.mark.parametrize("q", ["+91 98260 12345", "098260-12345", "9826012345", "12345", "abc1234567"])
def test_mobile_in_any_format_last_digits_and_epic(named, q):
    scope = scope_for_user(named.users["mandal_president"])
    assert names(person_list(scope=scope, q=q)) == ["राम खंडेलवाल"]


def test_search_never_leaves_the_scope(named):
    booth = scope_for_user(named.users["booth_president"])
    district = scope_for_user(named.users["district_president"])
    assert len(person_list(scope=booth, q="khandelwal")) == 1
    assert len(person_list(scope=district, q="khandelwal")) == 2
    assert person_list(scope=scope_for_user(named.users["nobody"]), q="khandelwal").count() == 0


def test_person_outside_scope_is_not_found(named):
    scope = scope_for_user(named.users["booth_president"])
    outsider = named.people["d1a1b2p0"]
    with pytest.raises(NotFound):
        person_get_for_actor(outsider.pk, scope)
    for bad in ("abc", None, 10**30):
        with pytest.raises(NotFound):
            person_get_for_actor(bad, scope)


def test_children_counts_cover_each_subtree(tree, django_assert_max_num_queries):
    scope = scope_for_user(tree.users["state_admin"])
    with django_assert_max_num_queries(4):  # children, headcount check, people, booths
        summary = unit_children_with_counts(tree["div"], scope)
    by_code = {row.unit.code: (row.people, row.booths) for row in summary}
    expected = {
        code: (Person.objects.filter(unit_path__startswith=tree[key].path).count(), 4)
        for code, key in (("D1", "d1"), ("D2", "d2"))
    }
    assert by_code == expected
    assert expected["D1"][0] >= 4 * 2  # at least the members of its four booths


def test_children_hidden_outside_scope(tree):
    scope = scope_for_user(tree.users["lok_sabha_incharge"])
    # The in-charge may not see district 1 itself, so its children listing is for assemblies only.
    assert [row.unit.code for row in unit_children_with_counts(tree["d2"], scope)] == ["D2A1"]
