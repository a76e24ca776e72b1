"""The registry's search: names across scripts, mobiles in any format, identifiers, filters, relevance, scope."""

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.org.models import Post, Wing
from sangathan.org.services import position_assign
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Person
from sangathan.people.search import parse_query, search_page
from sangathan.people.selectors import person_list
from sangathan.people.services import person_create, person_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(tree):
    # Names Faker's hi_IN pool (which the factories draw from) does not contain, so no random match.
    tree.people["ram_dev"] = person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"],
                                           epic="ABC1234567", relative_name="श्याम खंडेलवाल")
    tree.people["vimal"] = person_create(scope=Scope.system(), name="Vimal Jhunjhunwala", mobile="9826012346", unit=tree["d1a1b1"])
    tree.people["ram_other_booth"] = person_create(scope=Scope.system(), name="Ram Khandelwal", mobile="9826012347", unit=tree["d1a1b2"])
    tree.people["sita_ram"] = person_create(scope=Scope.system(), name="सीता राम खंडेलवाल", mobile="9826012348", unit=tree["d1a2b1"])
    tree.people["rameshwar"] = person_create(scope=Scope.system(), name="रामेश्वर झुनझुनवाला", mobile="9826012349", unit=tree["d1a2b1"])
    tree.people["outsider"] = person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012350", unit=tree["d2a1b1"])
    return tree


def names(people) -> list[str]:
    return [person.name for person in people]


def ids(people) -> list[int]:
    return [person.pk for person in people]


def test_latin_query_finds_devanagari_names_and_back(named):
    scope = scope_for_user(named.users["district_president"])
    assert set(ids(person_list(scope=scope, q="khandelwal"))) == {
        named.people[k].pk for k in ("ram_dev", "ram_other_booth", "sita_ram")}
    assert set(ids(person_list(scope=scope, q="खंडेलवाल"))) == {
        named.people[k].pk for k in ("ram_dev", "ram_other_booth", "sita_ram")}
    assert set(ids(person_list(scope=scope, q="झुनझुनवाला"))) == {named.people["vimal"].pk, named.people["rameshwar"].pk}
    assert names(person_list(scope=scope, q="vimal jhunjhunwala")) == ["Vimal Jhunjhunwala"]


def test_ram_finds_ram_in_both_scripts_exact_before_prefix(named):
    scope = scope_for_user(named.users["district_president"])
    found = ids(person_list(scope=scope, q="ram khandelwal"))
    # Exact names (either script) first, then names with a word starting so.
    assert set(found[:2]) == {named.people["ram_dev"].pk, named.people["ram_other_booth"].pk}
    assert found[2:] == [named.people["sita_ram"].pk]
    by_devanagari = ids(person_list(scope=scope, q="राम"))
    assert named.people["rameshwar"].pk in by_devanagari and named.people["sita_ram"].pk in by_devanagari
    assert set(by_devanagari) >= {named.people["ram_dev"].pk, named.people["ram_other_booth"].pk}


def test_fuzzy_tier_finds_a_misspelt_name_last(named, is_postgres):
    scope = scope_for_user(named.users["district_president"])
    found = ids(person_list(scope=scope, q="khandelwa"))  # a letter short: still a word prefix
    assert named.people["ram_dev"].pk in found
    if is_postgres:
        # pg_trgm: a misspelling in the middle ("khandewal") is still similar enough.
        assert named.people["ram_dev"].pk in ids(person_list(scope=scope, q="khandelwaal"))


@pytest.mark.parametrize("q", ["+91 98260 12345", "098260-12345", "9826012345", "+919826012345",
                               "91-98260-12345", "12345", "2345", "6012345", "abc1234567", "ABC 1234567"])
def test_mobile_in_any_format_last_digits_and_epic(named, q):
    scope = scope_for_user(named.users["district_president"])
    assert ids(person_list(scope=scope, q=q)) == [named.people["ram_dev"].pk]


def test_alternate_mobile_and_membership_number(named):
    person = named.people["vimal"]
    Person.objects.filter(pk=person.pk).update(alt_mobile="+919111122222", membership_no="MP-000123")
    scope = scope_for_user(named.users["district_president"])
    assert ids(person_list(scope=scope, q="91111 22222")) == [person.pk]
    assert ids(person_list(scope=scope, q="MP-000123")) == [person.pk]
    assert ids(person_list(scope=scope, q="mp-000123")) == [person.pk]


def test_queries_that_can_match_nothing(named):
    scope = scope_for_user(named.users["district_president"])
    for q in ("123", "!!", "—", "12 34"):
        assert person_list(scope=scope, q=q).count() == 0, q
    assert parse_query("   ").kind == ""


def test_filters_post_wing_status(named):
    scope = scope_for_user(named.users["state_president"])
    president = Post.objects.get(code="president")
    yuva = Wing.objects.get(code="yuva")
    position_assign(scope=Scope.system(), person=named.people["vimal"], post=president, unit=named["d1a1b1"], wing=yuva)
    with_post = ids(person_list(scope=scope, post="president"))
    assert named.people["vimal"].pk in with_post and named.people["booth_president"].pk in with_post
    assert named.people["ram_dev"].pk not in with_post
    assert ids(person_list(scope=scope, wing="yuva")) == [named.people["vimal"].pk]
    assert ids(person_list(scope=scope, wing=yuva, q="jhunjhunwala")) == [named.people["vimal"].pk]
    person_update(scope=Scope.system(), person=named.people["ram_dev"], status=PersonStatus.EXPELLED)
    assert ids(person_list(scope=scope, status="expelled")) == [named.people["ram_dev"].pk]
    assert ids(person_list(scope=scope, status="expelled", q="sita")) == []


def test_search_page_returns_page_and_total_in_one_query(named, django_assert_num_queries):
    scope = scope_for_user(named.users["district_president"])
    people = person_list(scope=scope, q="khandelwal")
    with django_assert_num_queries(2):  # ids with the total, then the rows
        rows, total = search_page(people, 0, 2)
    assert total == 3 and len(rows) == 2
    rows, total = search_page(people, 2, 2)
    assert total == 3 and len(rows) == 1
    assert search_page(people, 10, 2) == ([], 3)


@pytest.mark.parametrize("user, visible", [
    ("booth_president", {"ram_dev"}),
    ("mandal_president", {"ram_dev", "ram_other_booth"}),
    ("district_president", {"ram_dev", "ram_other_booth", "sita_ram"}),
    ("lok_sabha_incharge", {"ram_dev", "ram_other_booth", "sita_ram", "outsider"}),
    ("state_president", {"ram_dev", "ram_other_booth", "sita_ram", "outsider"}),
    ("nobody", set()),
])
def test_search_never_leaves_the_scope(named, user, visible):
    scope = scope_for_user(named.users[user])
    assert set(ids(person_list(scope=scope, q="khandelwal"))) == {named.people[k].pk for k in visible}
    # Not even an exact mobile or voter ID finds a person outside the scope.
    outsider_mobile = person_list(scope=scope, q="9826012350").count()
    assert outsider_mobile == (1 if "outsider" in visible else 0)
