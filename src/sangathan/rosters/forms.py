"""Phone-friendly forms of the rosters pages. Services validate; forms only parse and offer choices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.rosters.enums import Weekday
from sangathan.rosters.selectors import direction_owners, ladder_office_bearers

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfficeForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    name = forms.CharField(label=_("Name of the office"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class SittingDayForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Office-bearer"), coerce=int)
    weekday = forms.TypedChoiceField(label=_("Day of the week"), coerce=int, choices=Weekday.choices)
    starts_at = forms.TimeField(label=_("From"), widget=TIME_WIDGET, input_formats=["%H:%M"])
    ends_at = forms.TimeField(label=_("To"), widget=TIME_WIDGET, input_formats=["%H:%M"])
    note = forms.CharField(label=_("Shown as (optional)"), max_length=200, required=False,
                           help_text=_("For example: District president. Left empty, the current post is shown."))

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = ladder_office_bearers(office)


class RosterGenerateForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    end = forms.DateField(label=_("To"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])


class RosterSwapForm(forms.Form):
    first = forms.DateField(label=_("First day"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    second = forms.DateField(label=_("Second day"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RosterAbsenceForm(forms.Form):
    on = forms.DateField(label=_("Day"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    substitute = forms.TypedChoiceField(label=_("Substitute"), coerce=int, required=False, empty_value=None,
                                        help_text=_("Left empty, the next minister of the rotation sits."))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].choices = [("", "—")] + [(m.person_id, m.person.name) for m in members]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("resolved", "resolved"), ("directions", "directions"),
                                         ("adjourned", "adjourned")])
    note = forms.CharField(label=_("What was decided"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=2000)
    owner = forms.TypedChoiceField(label=_("Direction for"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(label=_("Direction"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("By"), required=False, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])

    def __init__(self, *args, grievance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + direction_owners(grievance)


class ScheduleForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=12,
                                    widget=forms.TextInput(attrs={"autocapitalize": "characters",
                                                                  "placeholder": "SG-XXXXXX"}))


class WalkInForm(forms.Form):
    complainant_name = forms.CharField(label=_("Name"), max_length=150)
    complainant_mobile = forms.CharField(label=_("Mobile number"), max_length=32,
                                         widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    unit = forms.TypedChoiceField(label=_("District"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of problem"))
    department = forms.TypedChoiceField(label=_("Department (administrative problems)"), coerce=int,
                                        required=False, empty_value=None)
    subject = forms.CharField(label=_("Problem in short"), max_length=200)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=5000)

    def __init__(self, *args, units, kinds, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["kind"].choices = kinds
        self.fields["department"].choices = [("", "—")] + [(d.pk, d.name) for d in departments]


class DirectionDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
