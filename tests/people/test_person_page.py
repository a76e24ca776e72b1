"""The person page's record, timeline of posts, consent and verification (staff and OTP), and the
person's own data: export and erasure."""

import json
import re

import pytest
from django.urls import reverse

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.messaging.models import Message
from sangathan.org.enums import Grant
from sangathan.org.models import Position, Post
from sangathan.org.services import position_assign
from sangathan.people.erasure import REMOVED_NAME, person_data, person_erase
from sangathan.people.models import Person, PersonHistory, VerificationCode
from sangathan.people.services import person_flag_raise, person_update
from sangathan.people.timeline import person_timeline
from sangathan.people.verification import (
    MAX_ATTEMPTS,
    person_verification_code_confirm,
    person_verification_code_send,
    person_verify,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(tree):
    return tree.people["d1a1b1p0"]


def sent_code(person) -> str:
    message = Message.objects.filter(person=person).latest("id")
    assert message.kind == "transactional" and message.channel == "sms" and message.to_address == person.mobile
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_otp_verification(tree, member):
    scope_user = tree.users["district_president"]
    from sangathan.access.scope import scope_for_user

    scope = scope_for_user(scope_user)
    person_verification_code_send(scope=scope, person=member)
    code = sent_code(member)
    assert VerificationCode.objects.get().code_hash != code          # only a hash is kept
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(DomainError) as error:
        person_verification_code_confirm(scope=scope, person=member, code=wrong)
    assert error.value.code == "wrong_code"
    assert VerificationCode.objects.get().attempts == 1               # the wrong try was counted
    person_verification_code_confirm(scope=scope, person=member, code=code[:3] + " " + code[3:])
    member.refresh_from_db()
    assert (member.verified_method, member.verified_by) == ("otp", scope_user)
    assert member.history.filter(changes__has_key="verified_method").exists()
    with pytest.raises(DomainError):  # used once
        person_verification_code_confirm(scope=scope, person=member, code=code)


def test_otp_attempt_limit_expiry_and_rate(tree, member, clock):
    from datetime import UTC, datetime

    clock.set(datetime(2026, 11, 1, 10, 0, tzinfo=UTC))
    person_verification_code_send(scope=Scope.system(), person=member)
    code = sent_code(member)
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(DomainError):
            person_verification_code_confirm(scope=Scope.system(), person=member, code="99999x")
    with pytest.raises(DomainError) as error:
        person_verification_code_confirm(scope=Scope.system(), person=member, code=code)
    assert error.value.code == "locked"
    person_verification_code_send(scope=Scope.system(), person=member)
    code = sent_code(member)
    clock.advance(minutes=11)
    with pytest.raises(DomainError) as error:
        person_verification_code_confirm(scope=Scope.system(), person=member, code=code)
    assert error.value.code == "expired"
    person_verification_code_send(scope=Scope.system(), person=member)
    with pytest.raises(DomainError) as error:
        person_verification_code_send(scope=Scope.system(), person=member)
    assert error.value.code == "rate_limited"


def test_staff_verification_needs_a_write_scope(tree, member):
    from sangathan.access.scope import scope_for_user

    with pytest.raises(NotFound):
        person_verify(scope=scope_for_user(tree.users["nobody"]), person=member, method="document")
    person_verify(scope=scope_for_user(tree.users["booth_president"]),
                  person=member, method="in_person")
    assert Person.objects.get(pk=member.pk).verified_method == "in_person"


def test_page_forms_consent_verify_and_code(client, tree, member):
    client.force_login(tree.users["booth_president"])
    url = reverse("people:person", args=[member.pk])
    page = client.get(url).content.decode()
    assert reverse("people:consent", args=[member.pk]) in page and reverse("people:erase", args=[member.pk]) \
        not in page
    response = client.post(reverse("people:consent", args=[member.pk]),
                           {"method": "verbal", "purposes": ["records", "events"]})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.consent_method, member.consent_purposes) == ("verbal", ["records", "events"])
    client.post(reverse("people:verify_code", args=[member.pk]))
    code = sent_code(member)
    client.post(reverse("people:verify_confirm", args=[member.pk]), {"code": code})
    member.refresh_from_db()
    assert member.verified_method == "otp"
    page = client.get(url).content.decode()
    assert "अपने मोबाइल पर OTP" in page or "OTP" in page


def test_page_masks_the_mobile_for_read_only_readers_and_shows_flags(client, tree, member):
    person_flag_raise(scope=Scope.system(), person=member, kind="wrong_mobile", note="कॉल पर गलत नंबर")
    observer = make_user()
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=observer, unit=tree["d1"], grant=Grant.READ)
    client.force_login(observer)
    page = client.get(reverse("people:person", args=[member.pk])).content.decode()
    national = member.mobile[-10:]
    assert national[:2] + "xxxxxx" + national[-2:] in page
    assert f"tel:{member.mobile}" not in page
    assert "कॉल पर गलत नंबर" in page
    assert reverse("people:consent", args=[member.pk]) not in page


def test_timeline_shows_posts_given_and_ended(tree, member):
    from sangathan.access.scope import scope_for_user
    from sangathan.org.services import position_end

    position = position_assign(scope=Scope.system(), person=member, post=Post.objects.get(code="president"), unit=tree["d1a1b1"])
    position_end(scope=Scope.system(), position=position, reason="कार्यकाल पूरा")
    entries = [entry for entry in person_timeline(person=member, scope=scope_for_user(tree.users["state_admin"]))
               if entry.kind == "position"]
    assert len(entries) == 2
    assert all(tree["d1a1b1"].name_hi in entry.title for entry in entries)


def test_data_export_and_audit(client, tree, member):
    person_update(scope=Scope.system(), person=member, occupation="किसान")
    client.force_login(tree.users["district_president"])
    assert client.get(reverse("people:data", args=[member.pk, "json"])).status_code == 403
    client.force_login(tree.users["state_admin"])
    data = json.loads(client.get(reverse("people:data", args=[member.pk, "json"])).content)
    assert data["record"]["mobile"] == member.mobile and data["record"]["occupation"] == "किसान"
    assert set(data) >= {"record", "positions", "history", "flags", "messaging.messages"}
    text = client.get(reverse("people:data", args=[member.pk, "csv"])).content.decode("utf-8-sig")
    assert text.startswith("section,row,field,value") and "किसान" in text
    assert AuditLog.objects.filter(action=AuditLog.Action.PERSON_DATA_EXPORT, target_id=member.pk).count() == 2


def test_erasure_keeps_positions_and_scrubs_everything_else(tree):
    person = tree.people["booth_president"]
    person_update(scope=Scope.system(), person=person, email="bp@example.in", address="गली 5")
    person_verification_code_send(scope=Scope.system(), person=person)
    with pytest.raises(PermissionDenied):
        person_erase(scope=scope_for_user(tree.users["district_president"]), person=person, reason="अनुरोध")
    with pytest.raises(DomainError):
        person_erase(scope=scope_for_user(tree.users["state_admin"]), person=person, reason=" ")
    mobile = person.mobile
    person_erase(scope=scope_for_user(tree.users["state_admin"]), person=person, reason="लिखित अनुरोध 12/2026")
    person.refresh_from_db()
    assert person.name == REMOVED_NAME and person.mobile == f"+000{person.pk:012d}"
    assert (person.email, person.address, person.relative_name, person.membership_no) == ("", "", "", "")
    assert person.erased_at is not None
    assert Position.objects.filter(person=person).count() == 1            # the post stays
    assert not VerificationCode.objects.filter(person=person).exists()
    assert all(set(sum(entry.changes.values(), [])) <= {"—"} for entry in person.history.all())
    assert person.history.filter(action=PersonHistory.Action.ERASED).exists()
    message = Message.objects.get(person=person)
    assert (message.to_address, message.body, message.status) == ("", "", "cancelled")
    audit = AuditLog.objects.get(action=AuditLog.Action.PERSON_ERASE)
    assert audit.detail == {"reason": "लिखित अनुरोध 12/2026"}
    assert mobile not in json.dumps(person_data(person), ensure_ascii=False)
    with pytest.raises(DomainError):
        person_erase(scope=scope_for_user(tree.users["state_admin"]), person=person, reason="again")


def test_erase_from_the_page(client, tree, member):
    client.force_login(tree.users["state_admin"])
    response = client.post(reverse("people:erase", args=[member.pk]), {"reason": "व्यक्ति का अनुरोध"})
    assert response.status_code == 302
    assert Person.objects.get(pk=member.pk).name == REMOVED_NAME
