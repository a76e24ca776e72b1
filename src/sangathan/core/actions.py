"""The shape of every write (DESIGN invariant 3): ``check()`` → ``execute()`` → ``log()``.

Wagtail's ``actions/base.py`` with Zulip's acting user. An action is a keyword-only dataclass whose first
field is the required ``scope`` (an ``access.Scope``: who acts, where they may act, and from which
channel). ``check()`` validates and decides permission without writing, so a form or the admin can call
it to show errors; ``execute()`` runs ``check()`` again, then ``perform()`` and ``log()`` in one
transaction, so the history row commits with the change or not at all. Web views, API handlers, the
admin, commands and tasks all run the same class, so they cannot disagree.

    @dataclass(kw_only=True)
    class TagCreate(Action):
        code: str
        name_hi: str

        def check(self):
            require_state_admin(self.scope)
            if Tag.objects.filter(code=self.code).exists():
                raise DomainError(_("This code is taken."), field="code")

        def perform(self):
            return Tag.objects.create(code=self.code, name_hi=self.name_hi)

        def log(self, tag):
            VocabularyHistory.objects.create(...)

    tag_create = TagCreate.run     # tag_create(scope=scope, code="doctor", name_hi="डॉक्टर")

Lives in ``core`` (not ``access``) because ``org`` sits below ``access`` and its writes are actions too;
the scope is duck-typed here and defined in ``access.scope``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import transaction

if TYPE_CHECKING:
    from sangathan.access.scope import Scope


@dataclass(kw_only=True)
class Action:
    scope: Scope

    # The action's name in logs and audit rows, e.g. "broadcast.pause".
    name: ClassVar[str] = ""

    def check(self) -> None:
        """Validation and permission; raise ``DomainError`` (``NotFound``, ``PermissionDenied``). No writes."""

    def perform(self) -> Any:
        raise NotImplementedError

    def log(self, result: Any) -> None:
        """Write the history or audit row for ``result``; runs in the transaction of ``perform``."""
        raise NotImplementedError(f"{type(self).__name__} must record its history.")

    def execute(self) -> Any:
        with transaction.atomic():
            self.check()
            result = self.perform()
            self.log(result)
        return result

    @classmethod
    def run(cls, **params) -> Any:
        """``cls(**params).execute()``: the function form services export (``tag_create = TagCreate.run``)."""
        return cls(**params).execute()

    @property
    def actor(self):
        """The acting user, or None when the system acts (a job, a command)."""
        return self.scope.actor
