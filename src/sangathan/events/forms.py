"""Forms of the events pages. They only parse; the actions validate and their field errors are put back
on the form (``core.forms.add_domain_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangathan.events.enums import EventKind, Rsvp, TourKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=pgettext_lazy("events", "Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME, input_formats=DATETIME_FORMATS,
                                  required=False)
    venue = forms.TypedChoiceField(label=_("Venue"), coerce=int, required=False, empty_value=None)
    posts = forms.MultipleChoiceField(label=_("Invite holders of these posts"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("at units of these levels"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    everyone = forms.BooleanField(label=_("Invite every worker of the unit (a live address)"), required=False)
    link = forms.URLField(label=_("Link (live address)"), required=False, assume_scheme="https")
    phone_in = forms.CharField(label=_("Phone-in number"), max_length=20, required=False)
    allow_clash = forms.BooleanField(label=_("Save even if it clashes"), required=False)

    def __init__(self, *args, venues, posts, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = [("", "—")] + [(v.pk, f"{v.name} ({v.capacity})") for v in venues]
        self.fields["posts"].choices = [(p.code, p.label) for p in posts]
        self.fields["levels"].choices = [(level.code, level.label) for level in levels]


class EventEditForm(EventForm):
    """The same fields as a new event, without its kind; starts filled with the event as it is."""

    def __init__(self, *args, event, **kwargs):
        rule = event.invite_rule or {}
        initial = {"title": event.title, "starts_at": event.starts_at, "ends_at": event.ends_at,
                   "venue": event.venue_id, "posts": rule.get("posts", []), "levels": rule.get("levels", []),
                   "everyone": rule.get("everyone", False), "link": event.link, "phone_in": event.phone_in}
        super().__init__(*args, initial=initial, **kwargs)
        del self.fields["kind"]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Place"), max_length=200)
    host = forms.TypedChoiceField(label=_("Host"), coerce=int)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = [("", "—")] + [(p.pk, p.name) for p in people]


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    attendance_count = forms.IntegerField(label=_("How many attended"), min_value=0, required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=500)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + [(p.pk, p.name) for p in people]


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("The event's code"), max_length=20)
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=[c for c in Rsvp.choices if c[0] != Rsvp.PENDING])


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, initial=EventKind.TIFFIN)
    title = forms.CharField(label=pgettext_lazy("events", "Title"), max_length=200)
    level = forms.ChoiceField(label=_("In every unit of this level"))
    starts_on = forms.DateField(label=_("First month"), widget=DATE)
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, initial=12)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.code, level.label) for level in levels]


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Venue"), max_length=200)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class PlanForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("events", "Title"), max_length=200)
    per_district = forms.IntegerField(label=_("Expected per district (0: count the invited posts)"), min_value=0,
                                      initial=0, required=False)


class SlotForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    venue = forms.TypedChoiceField(label=_("Venue"), coerce=int)

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = [("", "—")] + [(v.pk, f"{v.name} ({v.capacity})") for v in venues]


class TourForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TourKind.choices)
    title = forms.CharField(label=pgettext_lazy("events", "Title"), max_length=200)
    leader = forms.TypedChoiceField(label=_("Visiting leader"), coerce=int)
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)
    ends_on = forms.DateField(label=_("End date"), widget=DATE)
    allow_clash = forms.BooleanField(label=_("Save even if it clashes"), required=False)

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [("", "—")] + [(p.pk, p.name) for p in leaders]
