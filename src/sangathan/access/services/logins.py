"""Logins for office-bearers: the office creates, resets and disables them; the user sets a password with
a one-time code sent by SMS (through ``signals.login_code_issued``, which the messaging app turns into an
outbox row). A login ends when its person's last position ends (``receivers``).

The "forgot password" request answers a number with no login exactly as one with a login: a row is
written either way (so the rate limits count both alike), a code is sent only to a real login.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.models import LoginCode, User
from sangathan.access.services.accounts import UserCreate
from sangathan.access.services.audit import audit_log
from sangathan.access.services.permissions import require_write_at_account
from sangathan.access.signals import login_code_issued
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, FieldErrors
from sangathan.core.phones import normalize_mobile
from sangathan.org.models import Position

CODE_DIGITS = 6
OFFICE_CODE_TTL = timedelta(hours=24)  # a new login's code: the person may read the SMS later in the day
SELF_CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5
CODES_PER_MOBILE_PER_HOUR = 3
CODES_PER_IP_PER_HOUR = 10


def _hash(mobile: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"login:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _issue(*, scope, user: User, purpose: str) -> LoginCode:
    """A new code for ``user`` (earlier open ones stop working), handed to the SMS receiver."""
    now = clock.now()
    LoginCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    ttl = SELF_CODE_TTL if purpose == LoginCode.Purpose.SELF else OFFICE_CODE_TTL
    row = LoginCode.objects.create(user=user, mobile=user.mobile, purpose=purpose, code_hash=_hash(user.mobile, code),
                                   ip=scope.context.ip, created_by_id=scope.user_id, created_at=now,
                                   expires_at=now + ttl)
    responses = login_code_issued.send(sender=User, user=user, code=code, purpose=purpose,
                                       idempotency_key=f"access.login_code:{row.pk}")
    if not any(response for _receiver, response in responses):
        raise DomainError(_("No way to send messages is set up."), code="no_channel")
    return row


def _holds_a_post(person) -> bool:
    return Position.objects.current().filter(person=person).exists()


@dataclass(kw_only=True)
class LoginCreate(Action):
    """A login for ``person`` (an office-bearer whose record the actor may write), or the re-opening of
    their disabled one, with a set-up code by SMS. Audit row "login.create"."""

    person: object  # people.Person

    name = "login.create"

    def check(self) -> None:
        self.scope.require(self.person.unit_path, write=True)
        if not _holds_a_post(self.person):
            raise DomainError(_("Only an office-bearer gets a login: appoint the person to a post first."),
                              code="no_post", field="person")
        existing = User.objects.filter(person=self.person).first()
        if existing is not None and existing.is_active:
            raise DomainError(_("This person already has a login."), code="duplicate", field="person")
        taken = User.objects.filter(mobile=self.person.mobile).exclude(person=self.person)
        if taken.exists():
            raise DomainError(_("An account with this mobile number exists."), code="duplicate", field="mobile")

    def perform(self) -> User:
        user = User.objects.select_for_update().filter(person=self.person).first()
        if user is None:
            user = UserCreate(scope=self.scope, mobile=self.person.mobile, password=None, person=self.person).execute()
        else:
            user.is_active = True
            user.mobile = self.person.mobile
            user.set_unusable_password()
            user.save(update_fields=["is_active", "mobile", "password"])
        _issue(scope=self.scope, user=user, purpose=LoginCode.Purpose.SETUP)
        return user

    def log(self, user: User) -> None:
        audit_log(scope=self.scope, action=self.name, target=user, unit_path=self.person.unit_path,
                  detail={"person_id": self.person.pk})


@dataclass(kw_only=True)
class LoginReset(Action):
    """The office resets a password: the old one stops working and a new code goes by SMS. Audit
    "login.reset"."""

    user: User

    name = "login.reset"

    def check(self) -> None:
        current = User.objects.select_related("person").get(pk=self.user.pk)
        require_write_at_account(self.scope, current)
        if not current.is_active:
            raise DomainError(_("This login is disabled: create it again."), code="inactive", field="user")

    def perform(self) -> User:
        user = User.objects.select_for_update().get(pk=self.user.pk)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        _issue(scope=self.scope, user=user, purpose=LoginCode.Purpose.RESET)
        return user

    def log(self, user: User) -> None:
        audit_log(scope=self.scope, action=self.name, target=user,
                  unit_path=user.person.unit_path if user.person_id else "")


@dataclass(kw_only=True)
class LoginDisable(Action):
    """Disable a login (its sessions stop at the next request). Audit "login.disable" with the reason."""

    user: User
    reason: str = ""

    name = "login.disable"

    def check(self) -> None:
        current = User.objects.select_related("person").get(pk=self.user.pk)
        require_write_at_account(self.scope, current)
        if current.pk == self.scope.user_id:
            raise DomainError(_("You cannot deactivate your own account."), code="invalid", field="user")
        if not current.is_active:
            raise DomainError(_("This login is already disabled."), code="inactive", field="user")

    def perform(self) -> User:
        user = User.objects.select_for_update().get(pk=self.user.pk)
        user.is_active = False
        user.save(update_fields=["is_active"])
        LoginCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=clock.now())
        return user

    def log(self, user: User) -> None:
        audit_log(scope=self.scope, action=self.name, target=user,
                  unit_path=user.person.unit_path if user.person_id else "", detail={"reason": self.reason[:200]})


@dataclass(kw_only=True)
class LoginEndWithPosts(Action):
    """End ``user``'s login because their person's last position ended (called by the ``position_ended``
    receiver in the relieving action's transaction). Staff accounts and holders of a live grant keep
    theirs. Returns the user when the login ended, else None. Audit "login.end"."""

    user: User

    name = "login.end"

    def check(self) -> None:
        """No permission of its own: it follows a relief the scope was allowed to make."""

    def perform(self) -> User | None:
        user = User.objects.select_for_update().get(pk=self.user.pk)
        now = clock.now()
        if (not user.is_active or user.is_staff or user.is_superuser or user.person_id is None
                or _holds_a_post(user.person)
                or user.scope_grants.filter(revoked_at__isnull=True).exclude(expires_at__lte=now).exists()):
            return None
        user.is_active = False
        user.save(update_fields=["is_active"])
        LoginCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        return user

    def log(self, user: User | None) -> None:
        if user is not None:
            audit_log(scope=self.scope, action=self.name, target=user, unit_path=user.person.unit_path,
                      detail={"reason": "last position ended"})


def _since_an_hour():
    return clock.now() - timedelta(hours=1)


@dataclass(kw_only=True)
class PasswordCodeRequest(Action):
    """"Forgot password": a code to the login with this mobile, if there is one. The answer never tells
    whether there is: the row is written, counted and audited alike. ``scope`` is the (anonymous) request's.
    """

    mobile: str

    name = "login.code_request"

    def check(self) -> None:
        self._mobile = normalize_mobile(self.mobile)
        # Only requests of this page count: the office's set-up and reset codes do not use them up.
        asked = LoginCode.objects.filter(purpose=LoginCode.Purpose.SELF, created_at__gte=_since_an_hour())
        limited = asked.filter(mobile=self._mobile).count() >= CODES_PER_MOBILE_PER_HOUR
        ip = self.scope.context.ip
        if ip and asked.filter(ip=ip).count() >= CODES_PER_IP_PER_HOUR:
            limited = True
        if limited:
            raise DomainError(_("Too many codes asked for. Try again in an hour."), code="rate_limited",
                              field="mobile")

    def perform(self) -> LoginCode:
        user = User.objects.filter(mobile=self._mobile, is_active=True, person__isnull=False).first()
        if user is not None:
            return _issue(scope=self.scope, user=user, purpose=LoginCode.Purpose.SELF)
        now = clock.now()
        return LoginCode.objects.create(mobile=self._mobile, purpose=LoginCode.Purpose.SELF, ip=self.scope.context.ip,
                                        created_at=now, expires_at=now)

    def log(self, row: LoginCode) -> None:
        audit_log(scope=self.scope, action=self.name, target_type="user", target_id=row.user_id,
                  detail={"mobile": self._mobile, "sent": row.user_id is not None})


@dataclass(kw_only=True)
class PasswordSetWithCode(Action):
    """Set the password of the login with ``mobile`` from the code it received. A wrong code counts
    against the code (``MAX_ATTEMPTS``); an unknown number, a disabled login, an expired, used or wrong
    code all get the same answer. Audit "login.password_set"."""

    mobile: str
    code: str
    password: str

    name = "login.password_set"

    def check(self) -> None:
        """The number and the new password, both errors at once (the code is tried only after)."""
        errors = FieldErrors()
        self._mobile = ""
        with errors.collect("mobile"):
            self._mobile = normalize_mobile(self.mobile)
        if not self.password:
            errors.add("password", _("Enter the new password."), code="required")
        else:
            try:
                validate_password(self.password)
            except ValidationError as error:
                for message in error.messages:
                    errors.add("password", message, code="weak")
        errors.raise_if_any()

    def execute(self) -> User:
        """Like ``Action.execute``, except that a wrong try is committed before its error is raised."""
        code = "".join((self.code or "").split())
        with transaction.atomic():
            self.check()
            row = (LoginCode.objects.select_for_update().select_related("user")
                   .filter(mobile=self._mobile, user__isnull=False, user__is_active=True, used_at__isnull=True,
                           expires_at__gt=clock.now()).order_by("-created_at").first())
            if row is not None and row.attempts < MAX_ATTEMPTS and hmac.compare_digest(
                    row.code_hash, _hash(self._mobile, code)):
                self._row = row
                user = self.perform()
                self.log(user)
                return user
            if row is not None:
                row.attempts += 1
                row.save(update_fields=["attempts"])
        raise DomainError(_("The code is wrong or has expired. Ask for a new one."), code="wrong_code", field="code")

    def perform(self) -> User:
        user = User.objects.select_for_update().get(pk=self._row.user_id)
        user.set_password(self.password)
        user.save(update_fields=["password"])
        now = clock.now()
        self._row.used_at = now
        self._row.save(update_fields=["used_at"])
        LoginCode.objects.filter(user=user, used_at__isnull=True).exclude(pk=self._row.pk).update(expires_at=now)
        return user

    def log(self, user: User) -> None:
        audit_log(scope=self.scope, action=self.name, target=user,
                  unit_path=user.person.unit_path if user.person_id else "",
                  detail={"purpose": self._row.purpose})


login_create = LoginCreate.run
login_reset = LoginReset.run
login_disable = LoginDisable.run
login_end_with_posts = LoginEndWithPosts.run
password_code_request = PasswordCodeRequest.run
password_set_with_code = PasswordSetWithCode.run
