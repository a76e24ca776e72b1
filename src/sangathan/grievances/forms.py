"""The intake form district office staff fill on a phone, and the public status form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.access.scope import Scope
from sangathan.core.tree import subtrees_q
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind, GrievancePriority
from sangathan.grievances.models import Department
from sangathan.grievances.policies import grievance_scope
from sangathan.org.models import Unit

# Units offered in the intake form: the district and what lies a level or two below, not every booth.
INTAKE_LEVELS_DISTRICT = ("district", "assembly", "mandal")
INTAKE_LEVELS_STATE = ("district",)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type by its first bytes, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def intake_units(scope: Scope):
    """Units the actor may take grievances for, in tree order."""
    reach = grievance_scope(scope)
    if reach.writes_all:
        return Unit.objects.filter(level__in=INTAKE_LEVELS_STATE).order_by("path")
    if not reach.write_paths:
        return Unit.objects.none()
    return Unit.objects.filter(subtrees_q("path", reach.write_paths), level__in=INTAKE_LEVELS_DISTRICT).order_by("path")


class IntakeForm(forms.Form):
    complainant_name = forms.CharField(label=_("Complainant's name"), max_length=150)
    complainant_mobile = forms.CharField(label=_("Complainant's mobile number"), max_length=32,
                                         widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    unit = forms.TypedChoiceField(label=_("Unit (district, assembly or mandal)"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of problem"), choices=GrievanceKind.choices, widget=forms.RadioSelect)
    department = forms.ChoiceField(label=_("Government department (for administrative problems)"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Details"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    channel = forms.ChoiceField(label=_("Taken at"), choices=GrievanceChannel.choices,
                                initial=GrievanceChannel.DISTRICT_OFFICE)
    priority = forms.ChoiceField(label=_("Priority"), choices=GrievancePriority.choices,
                                 initial=GrievancePriority.NORMAL, widget=forms.RadioSelect)
    named_mobile = forms.CharField(label=_("If the complaint is about an office-bearer: their mobile number"),
                                   required=False, max_length=32,
                                   widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    attachments = MultipleFileField(label=_("Documents or photos (PDF, JPEG, PNG)"), required=False)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, f"{u.name} ({u.code})") for u in intake_units(scope)]
        self.fields["department"].choices = [("", _("— none —"))] + [
            (d.code, d.name) for d in Department.objects.filter(is_active=True).order_by("name_hi")]
        self.fields["channel"].choices = [c for c in GrievanceChannel.choices if c[0] != GrievanceChannel.API]


class StatusForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=20,
                                    widget=forms.TextInput(attrs={"autocapitalize": "characters",
                                                                  "autocomplete": "off", "placeholder": "SG-7K3Q9P"}))
    mobile = forms.CharField(label=_("Your mobile number"), max_length=32,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
