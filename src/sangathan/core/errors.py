"""Errors raised by services and turned into field-level answers by the API, forms and CLI."""

from contextlib import contextmanager

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


class FieldErrors:
    """Every field error of one input, collected and raised together, so a form shows all its mistakes at
    once instead of one per submit.

        errors = FieldErrors()
        if not subject:
            errors.add("subject", _("Enter the subject."), code="required")
        with errors.collect():          # a check that raises DomainError adds its errors and goes on
            mobile = normalize_mobile(raw)
        errors.raise_if_any()           # one DomainError: every field's messages; field and code of the first

    NotFound and PermissionDenied are not collected: they end the action at once.
    """

    def __init__(self):
        self.errors: dict[str, list] = {}
        self._first: tuple[str, str, object] | None = None

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def add(self, field: str, message, *, code: str = "invalid") -> None:
        self.errors.setdefault(field, []).append(message)
        if self._first is None:
            self._first = (field, code, message)

    def add_error(self, error: DomainError) -> None:
        for field, messages in (error.errors or {error.field or "": [error.message]}).items():
            for message in messages:
                self.add(field, message, code=error.code)

    @contextmanager
    def collect(self, field: str | None = None):
        """Run the block; a DomainError it raises is added (under ``field`` when given) instead of raised."""
        try:
            yield
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            if field is not None:
                self.add(field, error.message, code=error.code)
            else:
                self.add_error(error)

    def raise_if_any(self) -> None:
        if self._first is not None:
            field, code, message = self._first
            raise DomainError(message, code=code, field=field or None,
                              errors={name: messages for name, messages in self.errors.items() if name})
