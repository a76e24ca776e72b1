"""Errors raised by services and turned into field-level answers by the API, forms and CLI."""

from django.utils.encoding import force_str


class DomainError(Exception):
    """Bad input or a forbidden transition; ``field`` names the input at fault when there is one."""

    def __init__(self, message, *, code: str = "invalid", field: str | None = None, errors: dict | None = None):
        super().__init__(force_str(message))
        self.message = message
        self.code = code
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})

    def as_dict(self) -> dict:
        return {
            "detail": force_str(self.message),
            "code": self.code,
            "errors": {field: [force_str(m) for m in messages] for field, messages in self.errors.items()},
        }


class NotFound(DomainError):
    """The object does not exist or lies outside the actor's scope: the two are indistinguishable."""

    def __init__(self, message="Not found.", **kwargs):
        super().__init__(message, code="not_found", **kwargs)


class PermissionDenied(DomainError):
    """The object is visible to the actor but the action is not allowed."""

    def __init__(self, message="You may not do this here.", **kwargs):
        super().__init__(message, code="forbidden", **kwargs)


def check_length(value: str, *, field: str, max_length: int, label=None) -> None:
    from django.utils.translation import gettext as _

    if value and len(value) > max_length:
        raise DomainError(
            _("%(label)s is too long (at most %(max)d characters).") % {"label": label or field, "max": max_length},
            code="too_long",
            field=field,
        )
