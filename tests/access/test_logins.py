"""Logins for office-bearers: created, reset and disabled by the office with SMS codes through the outbox;
a password set from a code (wrong tries counted, expiry); "forgot password" rate-limited by rows and the
same for unknown numbers; a login ends with its person's last post."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sangathan.access.models import AuditLog, LoginCode, User
from sangathan.access.scope import AuditContext, Scope, scope_for_user
from sangathan.access.services import (
    login_create,
    login_disable,
    login_reset,
    password_code_request,
    password_set_with_code,
)
from sangathan.access.services.logins import CODES_PER_IP_PER_HOUR, CODES_PER_MOBILE_PER_HOUR, MAX_ATTEMPTS
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.messaging.models import Message
from sangathan.org.models import Position, Post
from sangathan.org.services import position_assign, position_end
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
NEW = "fresh-pass-8812"


def _login_works(mobile: str, password: str) -> bool:
    user = User.objects.get(mobile=mobile)
    return user.is_active and user.check_password(password)


def _public(ip="203.0.113.7") -> Scope:
    return Scope.empty().with_context(channel="web", ip=ip)


def _code_sent_to(mobile: str) -> str:
    message = Message.objects.filter(to_address=mobile).order_by("-id").first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


@pytest.fixture
def bearer(tree):
    """A worker of booth d1a2b1 appointed its president by the system: no login yet."""
    person = tree.people["d1a2b1p0"]
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="president"),
                    unit=tree["d1a2b1"])
    return person


def test_the_office_creates_a_login_and_the_person_sets_a_password_from_the_sms(tree, bearer):
    office = tree.users["district_president"]
    user = login_create(scope=scope_for_user(office), person=bearer)
    assert user.person == bearer and user.is_active and not user.has_usable_password()
    code = _code_sent_to(bearer.mobile)
    message = Message.objects.get(to_address=bearer.mobile)
    assert message.kind == "transactional" and message.person == bearer
    row = LoginCode.objects.get(user=user)
    assert row.purpose == "setup" and code not in row.code_hash
    audit = AuditLog.objects.get(action="login.create")
    assert (audit.actor, audit.target_id, audit.unit_path) == (office, user.pk, bearer.unit_path)

    password_set_with_code(scope=_public(), mobile=bearer.mobile, code=code, password=NEW)
    assert _login_works(bearer.mobile, NEW)
    assert AuditLog.objects.filter(action="login.password_set", target_id=user.pk).exists()
    with pytest.raises(DomainError) as error:  # a code works once
        password_set_with_code(scope=_public(), mobile=bearer.mobile, code=code, password="another-pass-1")
    assert error.value.code == "wrong_code"


def test_a_login_only_for_an_office_bearer_inside_the_writers_scope(tree, bearer):
    with pytest.raises(DomainError) as error:
        login_create(scope=scope_for_user(tree.users["district_president"]), person=tree.people["d1a2b2p0"])
    assert error.value.code == "no_post"
    with pytest.raises(NotFound):
        login_create(scope=scope_for_user(tree.users["district_president"]), person=tree.people["d2a1b1p0"])
    with pytest.raises(NotFound):
        login_create(scope=scope_for_user(tree.users["booth_president"]), person=bearer)
    reader = tree.people["d1a2b2p1"]  # a vice-president of the assembly reads it and writes nothing
    position_assign(scope=Scope.system(), person=reader, post=Post.objects.get(code="vice_president"),
                    unit=tree["d1a2"])
    with pytest.raises(PermissionDenied):
        login_create(scope=scope_for_user(make_user(reader)), person=bearer)
    login_create(scope=Scope.system(), person=bearer)
    with pytest.raises(DomainError) as error:
        login_create(scope=Scope.system(), person=bearer)
    assert error.value.code == "duplicate"
    assert User.objects.filter(person=bearer).count() == 1


def test_wrong_codes_are_counted_and_end_the_code(tree, bearer):
    login_create(scope=Scope.system(), person=bearer)
    code = _code_sent_to(bearer.mobile)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(DomainError):
            password_set_with_code(scope=_public(), mobile=bearer.mobile, code=wrong, password=NEW)
    assert LoginCode.objects.get(mobile=bearer.mobile).attempts == MAX_ATTEMPTS
    with pytest.raises(DomainError) as error:  # the right code is refused once the tries are used up
        password_set_with_code(scope=_public(), mobile=bearer.mobile, code=code, password=NEW)
    assert error.value.code == "wrong_code"


def test_a_code_expires_and_a_weak_password_is_a_field_error(tree, bearer, clock):
    login_create(scope=Scope.system(), person=bearer)
    code = _code_sent_to(bearer.mobile)
    with pytest.raises(DomainError) as error:
        password_set_with_code(scope=_public(), mobile=bearer.mobile, code=code, password="12345678")
    assert error.value.field == "password"
    clock.advance(hours=25)
    with pytest.raises(DomainError) as error:
        password_set_with_code(scope=_public(), mobile=bearer.mobile, code=code, password=NEW)
    assert error.value.code == "wrong_code"


def test_forgot_password_answers_an_unknown_number_like_a_known_one(tree):
    known = tree.users["booth_president"]
    unknown = "+919876500001"
    sent = password_code_request(scope=_public(), mobile=known.mobile)
    silent = password_code_request(scope=_public(), mobile=unknown)
    assert type(sent) is type(silent) and sent.mobile == known.mobile and silent.mobile == unknown
    assert Message.objects.filter(to_address=known.mobile).count() == 1
    assert not Message.objects.filter(to_address=unknown).exists()
    audits = AuditLog.objects.filter(action="login.code_request").order_by("id")
    assert [a.detail["sent"] for a in audits] == [True, False] and audits[0].ip == "203.0.113.7"
    # The self-service code sets the password; the old one stops working.
    password_set_with_code(scope=_public(), mobile=known.mobile, code=_code_sent_to(known.mobile), password=NEW)
    assert not _login_works(known.mobile, PASSWORD)
    assert _login_works(known.mobile, NEW)
    with pytest.raises(DomainError) as wrong_known:
        password_set_with_code(scope=_public(), mobile=known.mobile, code="000000", password=NEW)
    with pytest.raises(DomainError) as wrong_unknown:
        password_set_with_code(scope=_public(), mobile=unknown, code="000000", password=NEW)
    assert str(wrong_known.value) == str(wrong_unknown.value)


@pytest.mark.parametrize("known", [True, False])
def test_forgot_password_is_rate_limited_per_number_alike(tree, known):
    mobile = tree.users["booth_president"].mobile if known else "+919876500002"
    for number in range(CODES_PER_MOBILE_PER_HOUR):
        password_code_request(scope=_public(ip=f"198.51.100.{number}"), mobile=mobile)
    with pytest.raises(DomainError) as error:
        password_code_request(scope=_public(ip="198.51.100.99"), mobile=mobile)
    assert error.value.code == "rate_limited"
    assert LoginCode.objects.filter(mobile=mobile).count() == CODES_PER_MOBILE_PER_HOUR


def test_forgot_password_is_rate_limited_per_address_and_frees_after_an_hour(tree, clock):
    for number in range(CODES_PER_IP_PER_HOUR):
        password_code_request(scope=_public(), mobile=f"+91987650{number:04d}")
    with pytest.raises(DomainError) as error:
        password_code_request(scope=_public(), mobile="+919876509999")
    assert error.value.code == "rate_limited"
    clock.advance(hours=1, minutes=1)
    password_code_request(scope=_public(), mobile="+919876509999")


def test_the_forgot_password_page_says_the_same_for_any_number(tree):
    client = Client()
    answers = []
    for mobile in (tree.users["booth_president"].mobile, "+919876500003"):
        response = client.post("/accounts/password/", {"mobile": mobile}, follow=True)
        answers.append((response.status_code, [str(m) for m in response.context["messages"]],
                        response.redirect_chain[0][0].split("?")[0]))
    assert answers[0] == answers[1]
    assert answers[0][2] == "/accounts/password/set/"
    login_page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/"' in login_page


def test_reset_and_disable_by_the_office(tree):
    office = scope_for_user(tree.users["district_president"])
    user = tree.users["mandal_president"]
    login_reset(scope=office, user=user)
    assert not _login_works(user.mobile, PASSWORD)
    assert LoginCode.objects.get(user=user).purpose == "reset"
    password_set_with_code(scope=_public(), mobile=user.mobile, code=_code_sent_to(user.mobile), password=NEW)
    login_disable(scope=office, user=user, reason="left the party")
    user.refresh_from_db()
    assert not user.is_active and not _login_works(user.mobile, NEW)
    assert AuditLog.objects.get(action="login.disable").detail == {"reason": "left the party"}
    with pytest.raises(NotFound):
        login_reset(scope=scope_for_user(tree.users["district_president"]), user=tree.users["nobody"])
    with pytest.raises(DomainError):
        login_disable(scope=office, user=tree.users["district_president"])


def test_a_login_ends_with_the_last_post_only(tree, bearer):
    office = scope_for_user(tree.users["district_president"])
    user = login_create(scope=office, person=bearer)
    secretary = position_assign(scope=Scope.system(), person=bearer, post=Post.objects.get(code="secretary"),
                                unit=tree["d1a2b1"])
    president = Position.objects.get(person=bearer, post__code="president")
    position_end(scope=office, position=president, reason="term over")
    user.refresh_from_db()
    assert user.is_active  # still the booth's secretary
    position_end(scope=office, position=secretary, reason="term over")
    user.refresh_from_db()
    assert not user.is_active
    audit = AuditLog.objects.get(action="login.end")
    assert (audit.actor, audit.target_id) == (tree.users["district_president"], user.pk)


def test_a_relief_dated_later_keeps_the_login_until_then(tree, bearer):
    user = login_create(scope=Scope.system(), person=bearer)
    position = Position.objects.get(person=bearer)
    position_end(scope=Scope.system(), position=position, end_date=timezone.localdate() + timedelta(days=3), reason="x")
    user.refresh_from_db()
    assert user.is_active


def test_a_public_scope_carries_no_actor():
    scope = _public()
    assert scope.actor is None and scope.context == AuditContext(channel="web", ip="203.0.113.7")


def test_the_set_password_page_says_every_mistake_at_once(client):
    response = client.post("/accounts/password/set/", {"mobile": "12", "code": "123456", "password": "12345678",
                                                       "password_again": "12345679"})
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"mobile", "password", "password_again"} <= set(errors)
    service = client.post("/accounts/password/set/", {"mobile": "12", "code": "123456", "password": "12345678",
                                                      "password_again": "12345678"})
    assert {"mobile", "password"} <= set(service.context["form"].errors)
