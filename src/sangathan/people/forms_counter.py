"""The forms of the office counter: add a worker, edit, move, change status, appoint, relieve, hand over.

Fields are only read here; validation is the services' (``people.fields`` through ``clean_fields``, the
org actions), whose errors come back onto these forms all at once (``add_domain_errors``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.org.models import Overlay, Post, Unit, Wing
from sangathan.org.selectors import level_labels
from sangathan.people.enums import Gender, PersonStatus, RelationKind

UNIT_CHOICES_MAX = 1000
REASON_MAX = 300


def unit_choices(scope, root: Unit | None, *, write: bool = True) -> list[tuple[int, str]]:
    """Units the actor may write, under ``root`` (itself included) or under their own roots, in tree order,
    at most ``UNIT_CHOICES_MAX``, each labelled with its level and indented by depth."""
    units = Unit.objects.filter(is_active=True)
    if root is not None:
        units = units.filter(path__startswith=root.path)
    units = scope.filter(units, "path", for_write=write).order_by("path")[:UNIT_CHOICES_MAX]
    levels = level_labels()
    base = min((unit.depth for unit in units), default=0)
    return [(unit.pk, f"{'· ' * (unit.depth - base)}{unit.name} ({levels[unit.level].label if unit.level in levels else unit.level})")
            for unit in units]


class PersonFieldsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    relation = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices, initial=RelationKind.FATHER)
    relative_name = forms.CharField(label=_("Father's or husband's name"), max_length=150, required=False)
    mobile = forms.CharField(label=_("Mobile number"), max_length=32,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birth_year = forms.CharField(label=_("Year of birth"), max_length=4, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    epic = forms.CharField(label=_("Voter ID (EPIC)"), max_length=20, required=False)
    alt_mobile = forms.CharField(label=_("Alternate mobile"), max_length=32, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)
    photo = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def values(self) -> dict:
        """The service's fields: empty optional ones left out on create (the service's defaults apply)."""
        data = {name: value for name, value in self.cleaned_data.items() if name in self.PERSON_FIELDS}
        if not data.get("photo"):
            data.pop("photo", None)
        return data

    PERSON_FIELDS = ("name", "relation", "relative_name", "mobile", "gender", "birth_year", "epic", "alt_mobile",
                     "address", "occupation", "photo")


class PersonAddForm(PersonFieldsForm):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    same_name_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["name", "relation", "relative_name", "mobile", "unit"]

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices


class PersonEditForm(PersonFieldsForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=REASON_MAX,
                             error_messages={"required": _("Say why the record is changed.")})


class PersonMoveForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("New unit"), coerce=int)
    reason = forms.CharField(label=_("Reason for the move"), max_length=REASON_MAX,
                             error_messages={"required": _("Say why the worker moves.")})

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices


class PersonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PersonStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX,
                             error_messages={"required": _("Say why the status changes.")})


class AppointForm(forms.Form):
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.all(), to_field_name="code")
    unit = forms.TypedChoiceField(label=_("At unit"), coerce=int, required=False)
    overlay = forms.ModelChoiceField(label=_("Or at a Lok Sabha seat or cluster"), queryset=Overlay.objects.all(),
                                     required=False)
    wing = forms.ModelChoiceField(label=_("Wing (optional)"), queryset=Wing.objects.all(), to_field_name="code",
                                  required=False)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note (optional)"), max_length=REASON_MAX, required=False)

    def __init__(self, *args, unit_choices=(), overlays: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *unit_choices]
        if not overlays:
            del self.fields["overlay"]

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("overlay"):
            self.add_error("unit", _("Choose the unit."))
        return data


class RelieveForm(forms.Form):
    end_date = forms.DateField(label=_("Relieved on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             error_messages={"required": _("Say why the holder is relieved.")})


class HandoverForm(forms.Form):
    person = forms.TypedChoiceField(label=_("New holder"), coerce=int, widget=forms.RadioSelect,
                                    error_messages={"required": _("Choose the new holder.")})
    on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)

    def __init__(self, *args, person_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = person_choices
