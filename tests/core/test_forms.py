"""FieldErrors collects every field's error into one DomainError; add_domain_errors puts them on a form."""

import pytest
from django import forms

from sangathan.core.errors import DomainError, FieldErrors, NotFound
from sangathan.core.forms import add_domain_errors
from sangathan.core.phones import normalize_mobile


class _Form(forms.Form):
    mobile = forms.CharField(required=False)
    subject = forms.CharField(required=False)
    text = forms.CharField(required=False)


def test_field_errors_are_raised_together_with_the_first_field_and_code():
    errors = FieldErrors()
    errors.add("subject", "Enter the subject.", code="required")
    with errors.collect():
        normalize_mobile("12")
    with errors.collect("mobile"):
        raise DomainError("again")
    assert "mobile" in errors and bool(errors)
    with pytest.raises(DomainError) as caught:
        errors.raise_if_any()
    assert (caught.value.field, caught.value.code) == ("subject", "required")
    assert caught.value.as_dict()["errors"] == {"subject": ["Enter the subject."],
                                                "mobile": ["यह सही मोबाइल नंबर नहीं है।", "again"]}


def test_nothing_collected_raises_nothing_and_not_found_is_not_collected():
    errors = FieldErrors()
    errors.raise_if_any()
    with pytest.raises(NotFound), errors.collect():
        raise NotFound()
    assert not errors


def test_add_domain_errors_puts_each_message_on_its_field():
    form = _Form({"mobile": "1", "subject": "", "text": ""})
    assert form.is_valid()
    add_domain_errors(form, DomainError("x", field="mobile", errors={
        "mobile": ["bad mobile"], "subject": ["no subject"], "directions.0.text": ["no text"], "other": ["other"]}))
    assert form.errors == {"mobile": ["bad mobile"], "subject": ["no subject"], "text": ["no text"],
                           "__all__": ["other"]}


def test_a_field_the_form_refused_keeps_only_its_own_message():
    form = _Form({"mobile": "1"})
    form.is_valid()
    form.add_error("mobile", "form says no")
    add_domain_errors(form, DomainError("y", errors={"mobile": ["service says no"], "subject": ["s"]}),
                      skip_fields_with_errors=True)
    assert form.errors["mobile"] == ["form says no"] and form.errors["subject"] == ["s"]
