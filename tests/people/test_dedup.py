"""Probable duplicates: found across scripts and by alternate mobile, kept for review, scoped."""

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.org.enums import Grant
from sangathan.people.dedup import duplicate_candidates, duplicate_dismiss, duplicates_find, name_score
from sangathan.people.models import DuplicateCandidate, Person
from sangathan.people.services import person_create, person_update
from sangathan.people.tasks import find_duplicates
from tests.api_client import ApiClient
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def reader_of_both(tree):
    """A staff reader of the whole state (a read grant): sees every pair, may decide none."""
    reader = make_user()
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=reader, unit=tree["state"], grant=Grant.READ)
    return scope_for_user(reader)


@pytest.fixture
def twins(tree):
    hindi = person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"],
                          relative_name="श्याम लाल खंडेलवाल")
    latin = person_create(scope=Scope.system(), name="Ram Khandelwal", mobile="9826012346", unit=tree["d1a1b1"],
                          relative_name="Shyam Lal Khandelwal")
    # Same name, different father: two people.
    person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012347", unit=tree["d1a1b1"], relative_name="मोहन प्रसाद")
    # Same name and father at another booth: not blocked together.
    person_create(scope=Scope.system(), name="Ram Khandelwal", mobile="9826012348", unit=tree["d1a1b2"],
                  relative_name="Shyam Lal Khandelwal")
    return hindi, latin


def pairs() -> set[tuple[int, int]]:
    return set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id"))


def test_hindi_and_latin_spellings_of_one_person_are_candidates(tree, twins):
    hindi, latin = twins
    assert duplicates_find(scope=Scope.system(), unit=tree["state"]) == 1
    [candidate] = DuplicateCandidate.objects.all()
    assert (candidate.person_a, candidate.person_b) == (hindi, latin)
    assert candidate.reasons == ["name"] and candidate.score >= 85
    assert (candidate.path_a, candidate.path_b) == (hindi.unit_path, latin.unit_path)


def test_alternate_mobile_equal_to_another_mobile(tree, twins):
    hindi, _latin = twins
    other = tree.people["d2a1b1p0"]
    Person.objects.filter(pk=other.pk).update(alt_mobile=hindi.mobile)
    find_duplicates(tree["state"].pk)  # the Huey task (immediate in tests)
    candidate = DuplicateCandidate.objects.get(person_a=min(hindi, other, key=lambda p: p.pk),
                                               person_b=max(hindi, other, key=lambda p: p.pk))
    assert candidate.reasons == ["mobile"] and candidate.score == 95


def test_runs_are_idempotent_dismissed_stays_dismissed_stale_open_goes(tree, twins):
    hindi, latin = twins
    duplicates_find(scope=Scope.system(), unit=tree["state"])
    duplicates_find(scope=Scope.system(), unit=tree["state"])
    assert DuplicateCandidate.objects.count() == 1
    candidate = DuplicateCandidate.objects.get()
    duplicate_dismiss(scope=scope_for_user(tree.users["district_president"]),
                      candidate=candidate)
    duplicates_find(scope=Scope.system(), unit=tree["state"])
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISMISSED
    candidate.delete()
    duplicates_find(scope=Scope.system(), unit=tree["state"])
    # Corrected: the record's name no longer looks alike, so the open pair goes on the next run.
    person_update(scope=Scope.system(), person=latin, name="Vimal Jhunjhunwala")
    duplicates_find(scope=Scope.system(), unit=tree["state"])
    assert pairs() == set()


def test_name_score_across_scripts():
    assert name_score("राम खंडेलवाल", "श्याम खंडेलवाल", "Ram Khandelwal", "Shyam Khandelwal") >= 85
    assert name_score("राम खंडेलवाल", "श्याम खंडेलवाल", "राम खंडेलवाल", "मोहन प्रसाद") < 85
    assert name_score("सुनीता यादव", "", "Sunita Yadav", "") >= 85


def test_review_list_is_scoped_and_dismissal_needs_write_on_both(tree, twins):
    hindi, latin = twins
    duplicates_find(scope=Scope.system(), unit=tree["state"])
    candidate = DuplicateCandidate.objects.get()
    assert list(duplicate_candidates(scope=scope_for_user(tree.users["booth_president"]))) == [candidate]
    assert list(duplicate_candidates(scope=scope_for_user(tree.users["nobody"]))) == []
    # One record moved to another district: only a reader who sees both districts gets the pair.
    Person.objects.filter(pk=latin.pk).update(unit=tree["d2a1b1"], unit_path=tree["d2a1b1"].path)
    DuplicateCandidate.objects.filter(pk=candidate.pk).update(path_b=tree["d2a1b1"].path)
    assert list(duplicate_candidates(scope=scope_for_user(tree.users["district_president"]))) == []
    assert list(duplicate_candidates(scope=scope_for_user(tree.users["state_president"]))) == [candidate]
    with pytest.raises(NotFound):  # one of the two records is outside the district: the pair does not exist
        duplicate_dismiss(scope=scope_for_user(tree.users["district_president"]), candidate=candidate)
    with pytest.raises(PermissionDenied):  # both visible, neither writable
        duplicate_dismiss(scope=reader_of_both(tree), candidate=candidate)


def test_api_review_and_merge(tree, twins):
    hindi, latin = twins
    duplicates_find(scope=Scope.system(), unit=tree["state"])
    api = ApiClient.login(tree.users["district_president"])
    body = api.get("/people/duplicates").json()
    [item] = body["items"]
    assert {item["person_a"]["id"], item["person_b"]["id"]} == {hindi.pk, latin.pk}
    assert item["person_a"]["mobile"] == hindi.mobile
    bad = api.post(f"/people/duplicates/{item['id']}/merge", {"survivor": tree.people["d1a1b1p0"].pk})
    assert bad.status_code == 400 and "survivor" in bad.json()["errors"]
    response = api.post(f"/people/duplicates/{item['id']}/merge",
                        {"survivor": hindi.pk, "field_choices": {"relative_name": "merged"}})
    assert response.status_code == 200, response.content
    assert response.json()["merged_id"] == latin.pk
    hindi.refresh_from_db()
    assert hindi.relative_name == "Shyam Lal Khandelwal" and hindi.alt_mobile == latin.mobile
    assert api.get("/people/duplicates").json()["count"] == 0
    again = api.post(f"/people/duplicates/{item['id']}/merge", {"survivor": hindi.pk})
    assert again.status_code in (400, 404)


def test_api_find_and_dismiss(tree, twins):
    api = ApiClient.login(tree.users["district_president"])
    assert api.post("/people/duplicates/find", {"unit": tree["d2"].pk}).status_code == 404
    assert api.post("/people/duplicates/find", {"unit": tree["d1"].pk}).status_code == 202
    [item] = api.get("/people/duplicates", {"unit": tree["d1a1"].pk}).json()["items"]
    reader = ApiClient.login(tree.users["lok_sabha_incharge"])
    assert reader.post(f"/people/duplicates/{item['id']}/dismiss").status_code == 200
    assert DuplicateCandidate.objects.get(pk=item["id"]).status == "dismissed"


def test_opening_a_pair_is_audited_on_the_web_and_the_api(tree, twins, client):
    from sangathan.access.models import AuditLog

    duplicates_find(scope=Scope.system(), unit=tree["state"])
    pair = DuplicateCandidate.objects.get()
    api = ApiClient.login(tree.users["district_president"])
    assert api.get(f"/people/duplicates/{pair.pk}").status_code == 200
    client.force_login(tree.users["district_president"])
    assert client.get(f"/people/duplicates/{pair.pk}/").status_code == 200
    rows = AuditLog.objects.filter(action="person.duplicate_view").order_by("id")
    assert [(row.channel, row.target_id) for row in rows] == [("api", pair.pk), ("web", pair.pk)]
    assert sorted(rows[0].detail["people"]) == sorted(twins_ids := [p.pk for p in twins]) and twins_ids
    outsider = ApiClient.login(tree.users["nobody"])
    assert outsider.get(f"/people/duplicates/{pair.pk}").status_code == 404
    assert rows.count() == 2
