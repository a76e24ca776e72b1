"""Merging two records: every reference moves, collisions are settled, the merge can be explained later."""

import pytest
from django.test import Client

from sangathan.access.models import AuditLog, User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.committees.models import Committee, CommitteeMember, CommitteeType
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.messaging.models import ContactPreference, Message, OptOut
from sangathan.messaging.services import contact_preference_set, message_enqueue, opt_out
from sangathan.org.enums import Grant
from sangathan.org.models import Position, Post
from sangathan.org.services import position_assign
from sangathan.people.enums import FlagKind
from sangathan.people.merge import person_merge
from sangathan.people.models import DuplicateCandidate, Person, PersonFlag, PersonHistory, PersonMerge, Tag
from sangathan.people.selectors import PersonMergedAway, person_get_for_actor
from sangathan.people.services import person_create, person_flag_raise, person_update
from tests.api_client import ApiClient
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(tree):
    survivor = person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"],
                             relative_name="श्याम खंडेलवाल")
    merged = person_create(scope=Scope.system(), name="Ram Khandelwal", mobile="9826012399", unit=tree["d1a1b1"],
                           relative_name="Shyam Khandelwal", epic="ABC1234567", birth_year=1980)
    return survivor, merged


def test_merge_keeps_every_reference(tree, pair):
    survivor, merged = pair
    actor = tree.users["district_president"]
    secretary = Post.objects.get(code="secretary")
    position = position_assign(scope=Scope.system(), person=merged, post=secretary, unit=tree["d1a1b1"])
    person_update(scope=Scope.system(), person=merged, relative_name="Shyam Lal Khandelwal")
    merged_history = set(merged.history.values_list("pk", flat=True))
    flag = person_flag_raise(scope=Scope.system(), person=merged, kind=FlagKind.UNREACHABLE, note="never picks up")
    message = message_enqueue(scope=Scope.system(), channel="sms", to_address=merged.mobile, body="नमस्ते", kind="transactional",
                              idempotency_key="merge-test-1", person=merged)
    opted = opt_out(scope=Scope.system(), person=merged, channel="whatsapp", source="stop_reply")
    preference = contact_preference_set(scope=Scope.system(), person=merged, language="en")
    login = make_user(merged)
    booth_type = CommitteeType.objects.create(code="booth", name_hi="बूथ समिति", name_en="Booth committee",
                                              level="booth")
    committee = Committee.objects.create(unit=tree["d1a1b1"], unit_path=tree["d1a1b1"].path, type=booth_type)
    CommitteeMember.objects.create(committee=committee, person=merged, unit_path=committee.unit_path)
    tag = Tag.objects.create(code="tech", name_hi="तकनीक", name_en="Tech")
    merged.tags.add(tag)
    candidate = DuplicateCandidate.objects.create(person_a=survivor, person_b=merged, path_a=survivor.unit_path,
                                                  path_b=merged.unit_path, reasons=["name"], score=90)

    merge = person_merge(scope=scope_for_user(actor), survivor=survivor, merged=merged)

    assert not Person.objects.filter(pk=merged.pk).exists()
    position.refresh_from_db()
    assert position.person_id == survivor.pk
    assert merged_history <= set(survivor.history.values_list("pk", flat=True))
    assert PersonFlag.objects.get(pk=flag.pk).person_id == survivor.pk
    assert Message.objects.get(pk=message.pk).person_id == survivor.pk
    assert OptOut.objects.get(pk=opted.pk).person_id == survivor.pk
    assert ContactPreference.objects.get(pk=preference.pk).person_id == survivor.pk
    assert User.objects.get(pk=login.pk).person_id == survivor.pk
    assert [seat.person for seat in committee.seats.all()] == [survivor]
    assert list(survivor.tags.all()) == [tag]

    survivor.refresh_from_db()
    # The merged record's mobile became the alternate; its voter ID and birth year filled the gaps.
    assert survivor.mobile == "+919826012345" and survivor.alt_mobile == "+919826012399"
    assert survivor.epic == "ABC1234567" and survivor.birth_year == 1980
    assert survivor.name == "राम खंडेलवाल"

    assert merge.survivor == survivor and merge.merged_id == merged.pk and merge.actor == actor
    assert merge.snapshot["name"] == "Ram Khandelwal" and merge.snapshot["mobile"] == "+919826012399"
    assert merge.snapshot["tags"] == ["tech"]
    assert merge.references["org.position.person"]["moved"] == [position.pk]
    assert merge.references["messaging.message.person"]["moved"] == [message.pk]
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED and candidate.merge == merge
    entry = survivor.history.get(action=PersonHistory.Action.MERGED)
    assert entry.actor == actor and entry.changes["alt_mobile"] == ["", "+919826012399"]
    audit = AuditLog.objects.get(action=AuditLog.Action.PERSON_MERGE)
    assert (audit.target_id, audit.detail["merged_id"], audit.actor) == (survivor.pk, merged.pk, actor)


def test_collisions_keep_the_survivors_rows_and_record_the_others(tree, pair):
    survivor, merged = pair
    contact_preference_set(scope=Scope.system(), person=survivor, language="hi")
    dropped_preference = contact_preference_set(scope=Scope.system(), person=merged, language="en")
    opt_out(scope=Scope.system(), person=survivor, channel="sms", source="stop_reply")
    opt_out(scope=Scope.system(), person=merged, channel="sms", source="stop_reply")
    person_flag_raise(scope=Scope.system(), person=survivor, kind=FlagKind.WRONG_MOBILE)
    their_flag = person_flag_raise(scope=Scope.system(), person=merged, kind=FlagKind.WRONG_MOBILE)
    survivor_login, merged_login = make_user(survivor), make_user(merged)

    merge = person_merge(scope=Scope.system(), survivor=survivor, merged=merged)

    assert ContactPreference.objects.get(person=survivor).language == "hi"
    assert not ContactPreference.objects.filter(pk=dropped_preference.pk).exists()
    [dropped] = merge.references["messaging.contactpreference.person"]["dropped"]
    assert dropped["fields"]["language"] == "en"
    assert OptOut.objects.filter(person=survivor, channel="sms", revoked_at__isnull=True).count() == 1
    their_flag.refresh_from_db()
    assert their_flag.person_id == survivor.pk and their_flag.resolved_at is not None
    assert PersonFlag.objects.filter(person=survivor, resolved_at__isnull=True).count() == 1
    # The second login is kept, unlinked from the registry, and the merge says so.
    assert User.objects.get(pk=survivor_login.pk).person_id == survivor.pk
    assert User.objects.get(pk=merged_login.pk).person_id is None
    assert merge.references["access.user.person"]["detached"] == [merged_login.pk]


def test_field_choices_and_mobile_choice(tree, pair):
    survivor, merged = pair
    other = tree["d1a1b2"]
    person_update(scope=Scope.system(), person=merged, unit=other)
    person_merge(scope=Scope.system(), survivor=survivor, merged=merged,
                 field_choices={"name": "merged", "unit": "merged", "mobile": "merged"})
    survivor.refresh_from_db()
    assert survivor.name == "Ram Khandelwal" and survivor.name_latin == "ram khandelwal"
    assert survivor.unit == other and survivor.unit_path == other.path
    assert survivor.mobile == "+919826012399" and survivor.alt_mobile == "+919826012345"


def test_merge_needs_write_access_to_both_and_valid_choices(tree, pair):
    survivor, merged = pair
    person_update(scope=Scope.system(), person=merged, unit=tree["d1a1b2"])
    with pytest.raises(NotFound):  # the other booth's record does not exist for this booth's president
        person_merge(scope=scope_for_user(tree.users["booth_president"]), survivor=survivor, merged=merged)
    reader = make_user()
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=reader, unit=tree["d1"], grant=Grant.READ)
    with pytest.raises(PermissionDenied):  # both visible, neither writable
        person_merge(scope=scope_for_user(reader), survivor=survivor, merged=merged)
    with pytest.raises(DomainError):
        person_merge(scope=Scope.system(), survivor=survivor, merged=survivor)
    with pytest.raises(DomainError) as error:
        person_merge(scope=Scope.system(), survivor=survivor, merged=merged, field_choices={"name": "both"})
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        person_merge(scope=Scope.system(), survivor=survivor, merged=merged, field_choices={"unit_path": "merged"})
    assert Person.objects.filter(pk=merged.pk).exists() and not PersonMerge.objects.exists()


def test_old_id_leads_to_the_survivor(tree, pair, client: Client):
    survivor, merged = pair
    person_merge(scope=Scope.system(), survivor=survivor, merged=merged)
    district = scope_for_user(tree.users["district_president"])
    with pytest.raises(PersonMergedAway) as error:
        person_get_for_actor(merged.pk, district)
    assert error.value.survivor_id == survivor.pk
    client.force_login(tree.users["district_president"])
    response = client.get(f"/people/{merged.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/people/{survivor.pk}/"
    api = ApiClient.login(tree.users["district_president"], PASSWORD)
    body = api.get(f"/people/{merged.pk}").json()
    assert body["code"] == "merged" and body["merged_into"] == survivor.pk
    # Someone who cannot see the survivor learns nothing.
    client.force_login(tree.users["nobody"])
    assert client.get(f"/people/{merged.pk}/").status_code == 404
    outsider = ApiClient.login(tree.users["nobody"], PASSWORD)
    assert outsider.get(f"/people/{merged.pk}").json()["code"] == "not_found"


def test_a_chain_of_merges_leads_to_the_last_survivor(tree, pair):
    survivor, merged = pair
    third = person_create(scope=Scope.system(), name="राम खण्डेलवाल", mobile="9826012398", unit=tree["d1a1b1"])
    person_merge(scope=Scope.system(), survivor=survivor, merged=merged)
    person_merge(scope=Scope.system(), survivor=third, merged=survivor)
    with pytest.raises(PersonMergedAway) as error:
        person_get_for_actor(merged.pk, scope_for_user(tree.users["district_president"]))
    assert error.value.survivor_id == third.pk
    assert Position.objects.filter(person_id__in=[merged.pk, survivor.pk]).count() == 0
