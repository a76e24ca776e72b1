"""The form of a message template. It only carries the input: every rule (required texts, the code, the
variables, the channels) is the service's (``TemplateCreate`` / ``TemplateUpdate``), which reports all the
faults at once; ``template_form_errors`` puts them on the form's fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.core.errors import DomainError
from sangathan.messaging.models import Channel, MessageKind, Template
from sangathan.messaging.services import TEMPLATE_FIELDS

SAMPLE_PREFIX = "sample_"


class TemplateForm(forms.Form):
    code = forms.CharField(label=_("Code (English letters, digits and hyphens)"), required=False)
    name = forms.CharField(label=_("Name"), required=False)
    body_hi = forms.CharField(label=_("Hindi text"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Write a variable in braces, for example {name} or {link}."))
    body_en = forms.CharField(label=_("English text"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Optional; it must use the same variables as the Hindi text."))
    subject_hi = forms.CharField(label=_("Hindi email subject"), required=False)
    subject_en = forms.CharField(label=_("English email subject"), required=False)
    channels = forms.MultipleChoiceField(label=_("Channels it may go out on"), required=False,
                                         choices=Channel.choices, widget=forms.CheckboxSelectMultiple)
    dlt_template_id = forms.CharField(label=_("DLT template id"), required=False,
                                      help_text=_("The id of this text in the DLT registry: gateways refuse "
                                                  "bulk SMS without it."))
    kind = forms.ChoiceField(label=_("Kind of message"), choices=MessageKind.choices, widget=forms.RadioSelect,
                             initial=MessageKind.BULK)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, template: Template | None = None, **kwargs):
        if template is not None:
            kwargs.setdefault("initial", {name: getattr(template, name) for name in TEMPLATE_FIELDS})
        super().__init__(*args, **kwargs)
        if template is not None:
            # Apps find their own templates by code (``template_active``): a code is kept for good.
            self.fields["code"].disabled = True

    def service_fields(self) -> dict:
        """The cleaned input as the actions take it (the code left out once it is fixed)."""
        return {name: value for name, value in self.cleaned_data.items()
                if not (name == "code" and self.fields["code"].disabled)}


def template_form_errors(form: forms.Form, error: DomainError) -> None:
    """Every fault the service found, on its field (or above the form when it has none there)."""
    errors = error.errors or {None: [error.message]}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def sample_values(variables: list[str], data) -> dict[str, str]:
    """The sample value of each variable from ``data`` (a query or a POST), ``[name]`` where none was given."""
    return {name: (data.get(SAMPLE_PREFIX + name) or "").strip()[:500] or f"[{name}]" for name in variables}
