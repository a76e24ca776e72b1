"""Accounts: created and changed through actions, each leaving an audit row."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangathan.access.models import User
from sangathan.access.services.audit import audit_log
from sangathan.access.services.permissions import require_superuser, require_write_at_account
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile

# The flags and relations that decide what an account may do: only a superuser changes them.
SUPERUSER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")
USER_FIELDS = ("display_name", "person", "is_active", *SUPERUSER_FIELDS)


@dataclass(kw_only=True)
class UserCreate(Action):
    """An account for ``person`` (write access at their unit) or a staff account (a superuser only);
    ``password`` None leaves it unusable. Audit row "user.create"."""

    mobile: str
    password: str | None
    person: object = None  # people.Person
    is_staff: bool = False
    is_superuser: bool = False
    display_name: str = ""

    name = "user.create"

    def check(self) -> None:
        if self.is_staff or self.is_superuser or self.person is None:
            require_superuser(self.scope)
        if self.person is not None:
            self.scope.require(self.person.unit_path, write=True)
        mobile = normalize_mobile(self.mobile)
        if User.objects.filter(mobile=mobile).exists():
            raise DomainError(_("An account with this mobile number exists."), code="duplicate", field="mobile")

    def perform(self) -> User:
        person = self.person
        user = User(mobile=normalize_mobile(self.mobile), person=person, is_staff=self.is_staff,
                    is_superuser=self.is_superuser, display_name=self.display_name or (person.name if person else ""))
        if self.password:
            user.set_password(self.password)
        else:
            user.set_unusable_password()
        user.save()
        return user

    def log(self, user: User) -> None:
        audit_log(scope=self.scope, action=self.name, target=user,
                  unit_path=self.person.unit_path if self.person is not None else "",
                  detail={"person_id": user.person_id, "is_staff": user.is_staff, "is_superuser": user.is_superuser})


def _user_values(user: User, fields) -> dict:
    values = {}
    for name in fields:
        if name in ("groups", "user_permissions"):
            values[name] = sorted(getattr(user, name).values_list("pk", flat=True))
        elif name == "person":
            values[name] = user.person_id
        else:
            values[name] = getattr(user, name)
    return values


@dataclass(kw_only=True)
class UserUpdate(Action):
    """Change an account: ``changes`` maps fields of ``USER_FIELDS`` to new values (``groups`` and
    ``user_permissions`` to their complete new sets). Flags and permissions are a superuser's; the rest
    is for whoever may write the account's person. Audit row "user.update" with before and after."""

    user: User
    changes: dict

    name = "user.update"

    def check(self) -> None:
        unknown = sorted(set(self.changes) - set(USER_FIELDS))
        if unknown:
            raise DomainError(_("This field cannot be changed."), code="read_only", field=unknown[0])
        current = User.objects.select_related("person").get(pk=self.user.pk)
        require_write_at_account(self.scope, current)
        if any(name in SUPERUSER_FIELDS for name in self.changes):
            require_superuser(self.scope)
        person = self.changes.get("person")
        if person is not None and person.pk != current.person_id:
            self.scope.require(person.unit_path, write=True)
            if User.objects.filter(person=person).exclude(pk=current.pk).exists():
                raise DomainError(_("This person already has an account."), code="duplicate", field="person")
        if current.pk == self.scope.user_id and self.changes.get("is_active") is False:
            raise DomainError(_("You cannot deactivate your own account."), code="invalid", field="is_active")

    def perform(self) -> User:
        user = User.objects.select_for_update().get(pk=self.user.pk)
        self._before = _user_values(user, self.changes)
        simple = [name for name in self.changes if name not in ("groups", "user_permissions")]
        for name in simple:
            setattr(user, name, self.changes[name])
        if simple:
            user.save(update_fields=simple)
        for name in ("groups", "user_permissions"):
            if name in self.changes:
                getattr(user, name).set(self.changes[name])
        return user

    def log(self, user: User) -> None:
        audit_log(scope=self.scope, action=self.name, target=user,
                  unit_path=user.person.unit_path if user.person_id else "",
                  detail={"before": self._before, "after": _user_values(user, self.changes)})


user_create = UserCreate.run
user_update = UserUpdate.run
