"""Every write of the people app takes a required scope and leaves its history or audit row; web and API
give the same answer for the same actor."""

import inspect

import pytest
from django.test import Client
from django.urls import reverse

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.org.enums import Grant
from sangathan.people import dedup, erasure, merge, verification
from sangathan.people import services as people_services
from sangathan.people.enums import FlagKind
from sangathan.people.imports import jobs as import_jobs
from sangathan.people.imports import uploads as import_uploads
from sangathan.people.models import DuplicateCandidate, Person, PersonHistory, Tag
from sangathan.people.selectors import person_get_for_actor
from sangathan.people.services import (
    person_create,
    person_flag_raise,
    person_flag_resolve,
    person_update,
    tag_create,
    tag_update,
)
from sangathan.people.services.duplicates import duplicates_find_queue
from tests.api_client import ApiClient
from tests.factories import make_user

pytestmark = pytest.mark.django_db

WRITES = [
    people_services.person_create, people_services.person_update, people_services.person_flag_raise,
    people_services.person_flag_resolve, people_services.tag_update, people_services.tags_seed_defaults,
    people_services.headcounts_refresh, duplicates_find_queue, merge.person_merge, erasure.person_erase,
    erasure.person_data_export, verification.person_consent_record, verification.person_verify,
    verification.person_verification_code_send, verification.person_verification_code_confirm,
    dedup.duplicates_find, dedup.duplicate_dismiss, import_jobs.import_prepare, import_jobs.import_run,
    import_uploads.import_start,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda fn: fn.__name__)
def test_every_write_takes_a_required_scope_and_no_actor(write):
    parameters = inspect.signature(write).parameters
    assert "actor" not in parameters
    scope = parameters["scope"]
    assert scope.kind == inspect.Parameter.KEYWORD_ONLY and scope.default is inspect.Parameter.empty
    with pytest.raises(TypeError):
        write()


@pytest.mark.parametrize("action", [people_services.PersonCreate, people_services.PersonUpdate,
                                    people_services.TagCreate, people_services.TagUpdate])
def test_actions_need_a_scope(action):
    with pytest.raises(TypeError):
        action()


def reader(tree, unit="d1"):
    """A staff reader with a read grant: sees the unit's people, may change none."""
    user = make_user()
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=user, unit=tree[unit], grant=Grant.READ)
    return user


def actor_for(tree, who: str):
    """The district's president (writes d1), a reader of d1, or a reader of d2 only (d1 is not there)."""
    return {"reader": lambda: reader(tree), "outsider": lambda: reader(tree, "d2")}.get(
        who, lambda: tree.users[who])()


def audit(action: str) -> AuditLog:
    return AuditLog.objects.filter(action=action).latest("id")


def test_create_update_and_flags_leave_their_rows(tree):
    actor = tree.users["district_president"]
    scope = scope_for_user(actor)
    person = person_create(scope=scope, name="राम", mobile="9826012345", unit=tree["d1a1b1"])
    assert person.history.get().action == PersonHistory.Action.CREATED and person.history.get().actor == actor
    person_update(scope=scope, person=person, occupation="किसान")
    assert person.history.first().changes == {"occupation": ["", "किसान"]}
    flag = person_flag_raise(scope=scope, person=person, kind=FlagKind.WRONG_MOBILE)
    assert flag.raised_by == actor
    person_flag_resolve(scope=scope, flag=flag, resolution="सही किया")
    row = audit("person.flag_resolve")
    assert (row.actor, row.target_id, row.unit_path) == (actor, flag.pk, person.unit_path)


def test_the_admins_check_writes_nothing(tree):
    action = people_services.PersonCreate(scope=scope_for_user(tree.users["district_president"]),
                                          data={"name": "राम", "mobile": "9826012345", "unit": tree["d1a1b1"]})
    action.check()
    assert not Person.objects.filter(mobile="+919826012345").exists()
    taken = people_services.PersonCreate(scope=Scope.system(), data={
        "name": "राम", "mobile": tree.people["d1a1b1p0"].mobile, "unit": tree["d1a1b1"]})
    with pytest.raises(Exception) as error:
        taken.check()
    assert "mobile" in error.value.errors


def test_the_fetch_writes_the_read_audit_with_the_scopes_channel(tree):
    person = tree.people["d1a1b1p0"]
    scope = scope_for_user(tree.users["district_president"]).with_context(channel="api", ip="10.0.0.9")
    person_get_for_actor(person.pk, scope)
    row = audit(AuditLog.Action.PERSON_VIEW)
    assert (row.actor, row.target_id, row.channel, row.ip) == (tree.users["district_president"], person.pk,
                                                                "api", "10.0.0.9")
    before = AuditLog.objects.count()
    person_get_for_actor(person.pk, scope, for_write=True)
    assert AuditLog.objects.count() == before           # a fetch for a write is recorded by the write
    with pytest.raises(PermissionDenied):
        person_get_for_actor(person.pk, scope_for_user(reader(tree)), for_write=True)
    with pytest.raises(NotFound):
        person_get_for_actor(tree.people["d2a1b1p0"].pk, scope)


def test_tags_are_kept_by_state_administrators_with_history(tree):
    with pytest.raises(PermissionDenied):
        tag_create(scope=scope_for_user(tree.users["district_president"]), code="doctor", name_hi="डॉक्टर",
                   name_en="Doctor")
    admin = scope_for_user(tree.users["state_admin"])
    tag = tag_create(scope=admin, code="doctor", name_hi="डॉक्टर", name_en="Doctor")
    assert audit("tag.create").detail == {"code": "doctor", "name_hi": [None, "डॉक्टर"], "name_en": [None, "Doctor"]}
    tag_update(scope=admin, tag=tag, name_en="Physician")
    assert Tag.objects.get(code="doctor").name_en == "Physician"
    assert audit("tag.update").detail == {"code": "doctor", "name_en": ["Doctor", "Physician"]}


def test_the_tag_admin_goes_through_the_actions(client, tree):
    client.force_login(tree.users["state_admin"])
    response = client.post(reverse("admin:people_tag_add"), {"code": "doctor", "name_hi": "डॉक्टर",
                                                               "name_en": "Doctor"})
    assert response.status_code == 302
    assert audit("tag.create").actor == tree.users["state_admin"]


@pytest.fixture
def pair(tree):
    system = Scope.system()
    a = person_create(scope=system, name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"],
                      relative_name="श्याम खंडेलवाल")
    b = person_create(scope=system, name="Ram Khandelwal", mobile="9826012399", unit=tree["d1a1b1"],
                      relative_name="Shyam Khandelwal")
    return DuplicateCandidate.objects.create(person_a=a, person_b=b, path_a=a.unit_path, path_b=b.unit_path,
                                             reasons=["name"], score=90)


def web_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def web_outcome(response, pair) -> str:
    """What the web answered: written, refused (403, or an error shown on the pair's page), or absent."""
    if response.status_code in (403, 404):
        return str(response.status_code)
    pair.refresh_from_db()
    return "written" if pair.status != DuplicateCandidate.Status.OPEN else "403"


def api_outcome(response) -> str:
    return "written" if response.status_code == 200 else str(response.status_code)


@pytest.mark.parametrize(("who", "expected"), [("district_president", "written"), ("reader", "403"),
                                               ("outsider", "404")])
@pytest.mark.parametrize("decision", ["dismiss", "merge"])
def test_web_and_api_decide_a_pair_alike(tree, pair, who, expected, decision):
    user = actor_for(tree, who)
    web = web_client(user).post(reverse("people:duplicate_decide", args=[pair.pk]),
                                {"action": decision, "keep": "a"})
    web_answer = web_outcome(web, pair)
    # The same decision again through the API, on a fresh pair in the same state.
    DuplicateCandidate.objects.filter(pk=pair.pk).delete()
    if decision == "merge" and web_answer == "written":
        survivor = Person.objects.get(mobile="+919826012345")
        other = person_create(scope=Scope.system(), name="Ram Khandelwal", mobile="9826012398", unit=tree["d1a1b1"])
        pair = DuplicateCandidate.objects.create(person_a=survivor, person_b=other, path_a=survivor.unit_path,
                                                 path_b=other.unit_path, reasons=["name"], score=90)
    else:
        pair = DuplicateCandidate.objects.create(person_a=pair.person_a, person_b=pair.person_b,
                                                 path_a=pair.path_a, path_b=pair.path_b, reasons=["name"], score=90)
    api = ApiClient.login(user)
    path = f"/people/duplicates/{pair.pk}/{decision}"
    response = api.post(path, {"survivor": pair.person_a_id} if decision == "merge" else {})
    assert (web_answer, api_outcome(response)) == (expected, expected)
    if expected == "written":
        action = "person.duplicate_dismiss" if decision == "dismiss" else AuditLog.Action.PERSON_MERGE
        assert list(AuditLog.objects.filter(action=action).order_by("id").values_list("channel", flat=True)) == [
            "web", "api"]


@pytest.mark.parametrize(("who", "expected"), [("district_president", 200), ("reader", 403), ("outsider", 404)])
def test_api_and_admin_change_a_person_alike(tree, who, expected):
    """PATCH and the admin's change form (which validates with the action's ``check()``) run the same
    ``PersonUpdate``: the same actor gets the same answer."""
    person = tree.people["d1a1b1p0"]
    user = actor_for(tree, who)
    response = ApiClient.login(user).patch(f"/people/{person.pk}", {"occupation": "शिक्षक"})
    assert response.status_code == expected
    action = people_services.PersonUpdate(scope=scope_for_user(user), person=person, changes={"occupation": "वकील"})
    if expected == 200:
        action.check()
    else:
        with pytest.raises(NotFound if expected == 404 else PermissionDenied):
            action.check()


def test_erasure_and_data_export_are_recorded(tree):
    person = tree.people["d1a1b1p0"]
    admin = scope_for_user(tree.users["state_admin"]).with_context(channel="web")
    with pytest.raises(PermissionDenied):
        erasure.person_erase(scope=scope_for_user(tree.users["district_president"]), person=person, reason="x")
    erasure.person_data_export(scope=admin, person=person)
    assert audit(AuditLog.Action.PERSON_DATA_EXPORT).target_id == person.pk
    erasure.person_erase(scope=admin, person=person, reason="लिखित अनुरोध")
    assert audit(AuditLog.Action.PERSON_ERASE).detail == {"reason": "लिखित अनुरोध"}
    assert person.history.first().action == PersonHistory.Action.ERASED


def test_dismissal_and_the_search_for_duplicates_are_recorded(tree, pair):
    scope = scope_for_user(tree.users["district_president"])
    dedup.duplicate_dismiss(scope=scope, candidate=pair)
    row = audit("person.duplicate_dismiss")
    assert (row.actor, row.target_id) == (tree.users["district_president"], pair.pk)
    duplicates_find_queue(scope=scope, unit=tree["d1"])
    assert audit("person.duplicates_find").target_id == tree["d1"].pk
    with pytest.raises(NotFound):
        duplicates_find_queue(scope=scope, unit=tree["d2"])
