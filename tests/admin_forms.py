"""Helpers for tests that drive the Django admin's forms."""

from django import forms


def form_data(response) -> dict:
    """What the browser would post back: the form's initial values and every inline's management form."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):  # a browser posts a file only when one is chosen
            continue
        value = form.initial.get(name, field.initial)
        if isinstance(field, (forms.ModelMultipleChoiceField, forms.JSONField)):
            value = field.prepare_value(value)
        data[name] = "" if value is None else getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
    return data
