"""Service errors onto Django forms: every field's messages at once (``core.errors.FieldErrors``)."""

from django import forms

from sangathan.core.errors import DomainError


def add_domain_errors(form: forms.Form, error: DomainError, *, fields: dict[str, str] | None = None,
                      skip_fields_with_errors: bool = False) -> None:
    """Put every field error of ``error`` on its field (or on the form when the field is not on it).

    A service's field ``directions.0.text`` lands on the form's ``text``; ``fields`` renames service fields
    to form fields where they differ (``{"values.homes": "value_homes"}``). ``skip_fields_with_errors``: a
    field the form itself already refused keeps only the form's message (no second word on one mistake).
    """
    errors = error.errors or {error.field or "": [error.message]}
    if error.field and error.field not in errors:
        errors = {error.field: [error.message], **errors}
    for field, messages in errors.items():
        name = (fields or {}).get(field, field)
        if name not in form.fields:
            name = name.split(".")[-1]
        name = name if name in form.fields else None
        if skip_fields_with_errors and name in form.errors:
            continue
        for message in messages:
            form.add_error(name, str(message))
