"""The compose form of a broadcast. Choices come from the actor's scope and the configured vocabulary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.messaging.broadcasts.actions import BROADCAST_CHANNELS
from sangathan.messaging.broadcasts.fanout import PERSON_VARIABLES
from sangathan.messaging.broadcasts.policies import audience_unit_by_code, broadcast_audience_units
from sangathan.messaging.models import Channel, MessageKind, Template
from sangathan.org.models import Level, Post, Wing

VARIABLE_PREFIX = "var_"


def broadcast_templates():
    """Active bulk templates that may go out on a broadcast channel."""
    return [t for t in Template.objects.filter(is_active=True, kind=MessageKind.BULK).order_by("name")
            if set(t.channels or []) & set(BROADCAST_CHANNELS)]


class BroadcastForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Send to the workers of"), coerce=int, required=False, empty_value=None)
    unit_code = forms.CharField(label=_("Or the code of a booth or shakti kendra"), required=False, max_length=40,
                                help_text=_("For example the code shown on the booth's page; it replaces the "
                                            "choice above."))
    posts = forms.MultipleChoiceField(label=_("Only holders of these posts"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("Posts at these levels"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    wings = forms.MultipleChoiceField(label=_("Only in these wings"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    channels = forms.MultipleChoiceField(label=_("Send by"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Choose at least one channel.")})
    send_at = forms.DateTimeField(label=_("Send at (leave empty to send now)"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                             format="%Y-%m-%dT%H:%M"),
                                  input_formats=["%Y-%m-%dT%H:%M"])

    def __init__(self, *args, scope, template: Template, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.scope = scope
        self.fields["unit"].choices = [("", _("— choose —")), *((u.pk, f"{u.name} ({u.code})")
                                                                for u in broadcast_audience_units(scope))]
        self.fields["posts"].choices = [(p.code, p.label) for p in Post.objects.all()]
        self.fields["levels"].choices = [(level.code, level.label) for level in Level.objects.all()]
        self.fields["wings"].choices = [(w.code, w.label) for w in Wing.objects.all()]
        self.fields["channels"].choices = [(c, Channel(c).label) for c in BROADCAST_CHANNELS
                                           if c in (template.channels or [])]
        for name in template.variables or []:
            if name not in PERSON_VARIABLES:
                self.fields[VARIABLE_PREFIX + name] = forms.CharField(label="{" + name + "}", required=False,
                                                                          max_length=500)

    def clean(self):
        data = super().clean()
        code = (data.get("unit_code") or "").strip()
        if code:
            unit = audience_unit_by_code(self.scope, code)
            if unit is None:
                self.add_error("unit_code", _("No booth or unit has this code."))
            else:
                data["unit"] = unit.pk
        elif not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("Choose whose workers to send to, or enter a booth or shakti kendra code."))
        return data

    def variable_fields(self):
        return [self[name] for name in self.fields if name.startswith(VARIABLE_PREFIX)]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "channels": data["channels"],
            "filters": {key: data[key] for key in ("posts", "levels", "wings") if data.get(key)},
            "context": {name[len(VARIABLE_PREFIX):]: value for name, value in data.items()
                        if name.startswith(VARIABLE_PREFIX)},
            "send_at": data.get("send_at"),
        }
