"""Phone-friendly forms of the rosters pages. Services validate; forms only parse and offer choices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.core.tree import ancestor_paths
from sangathan.org.models import Position
from sangathan.rosters.enums import Weekday

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ladder_office_bearers(office) -> list[tuple[int, str]]:
    """(person id, "name — post") of the current office-bearers of the office's unit and the units above it."""
    positions = (Position.objects.current()
                 .filter(unit__path__in=[*ancestor_paths(office.unit_path), office.unit_path])
                 .select_related("person", "post", "unit", "wing").order_by("-unit__depth", "post__rank", "id"))
    seen, choices = set(), []
    for position in positions:
        if position.person_id in seen:
            continue
        seen.add(position.person_id)
        wing = f" ({position.wing.label})" if position.wing_id else ""
        choices.append((position.person_id, f"{position.person.name} — {position.post.label}{wing}, "
                                             f"{position.unit.name}"))
    return choices


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
