"""Forms of the committee pages: seat a member, name the convener, an election office's details."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MemberForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Worker"), coerce=int)
    post = forms.ChoiceField(label=_("Post in the committee"), required=False)
    wing = forms.ChoiceField(label=_("Wing (optional)"), required=False)

    def __init__(self, *args, people, posts, wings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—")] + [(p.pk, f"{p.name} · {p.unit.name}")
                                                      for p in people]
        self.fields["post"].choices = [("", _("Member"))] + [(p.code, p.label) for p in posts]
        self.fields["wing"].choices = [("", "—")] + [(w.code, w.label) for w in wings]


class OfficeForm(forms.Form):
    address = forms.CharField(label=_("Office address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Office phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    active_since = forms.DateField(label=_("Active since"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))


def form_error(form, error) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
