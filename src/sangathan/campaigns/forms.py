"""Forms of the campaign pages: a progress report (one number per metric) and a booth task's evidence."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sangathan.campaigns.models import MAX_VALUE
from sangathan.campaigns.services.reports import ATTENDANCE_MAX, NAMES_MAX_LENGTH

VALUE_PREFIX = "value_"


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Reporting unit"), coerce=int)
    period = forms.ChoiceField(label=_("Period"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign, units, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["unit"].choices = [(u.pk, f"{u.name} ({u.code})") for u in units]
        self.fields["period"].choices = [
            (p.start.isoformat(), f"{date_format(p.start, 'j M')} – {date_format(p.end, 'j M Y')}")
            for p in reversed(periods)]
        for metric in campaign.metrics.all():
            label = f"{metric.label} ({metric.measure})" if metric.measure else metric.label
            self.fields[VALUE_PREFIX + metric.code] = forms.IntegerField(
                label=label, min_value=0, max_value=MAX_VALUE, required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_VALUE}))

    def value_fields(self):
        return [self[name] for name in self.fields if name.startswith(VALUE_PREFIX)]

    def values(self) -> dict[str, int]:
        """Metric code → figure; None for a box left empty (the service counts it 0, and refuses a report
        with every box empty)."""
        return {name[len(VALUE_PREFIX):]: value for name, value in self.cleaned_data.items()
                if name.startswith(VALUE_PREFIX)}


class TaskEvidenceForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                                   "capture": "environment"}))
    attendance_count = forms.IntegerField(label=_("People present"), required=False, min_value=0,
                                          max_value=ATTENDANCE_MAX,
                                          widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    attendance_names = forms.CharField(label=_("Names of those present (one per line)"), required=False,
                                       max_length=NAMES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class TaskCreateForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Booth"), coerce=int)
    kind = forms.ChoiceField(label=_("Task"))
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=200)
    due_date = forms.DateField(label=_("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, booths, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, f"{u.name} ({u.code})") for u in booths]
        self.fields["kind"].choices = kinds


def form_error(form, error) -> None:
    """Put a service's DomainError on the form field it names (``values.homes`` → ``value_homes``)."""
    field = error.field or ""
    if field.startswith("values."):
        field = VALUE_PREFIX + field.split(".", 1)[1]
    form.add_error(field if field in form.fields else None, error.message)
