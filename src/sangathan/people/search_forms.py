"""The registry's search and filter form, shared by the search page and its export buttons."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.core.errors import NotFound
from sangathan.org.models import Post, Wing
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Tag

SEARCH_MAX_LENGTH = 100
VERIFIED_CHOICES = [("", _("All")), ("yes", _("Verified")), ("no", _("Not verified"))]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search workers"), max_length=SEARCH_MAX_LENGTH, required=False, strip=True)
    unit = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(PersonStatus.choices))
    post = forms.ChoiceField(label=_("Post"), required=False)
    wing = forms.ChoiceField(label=_("Wing"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    verified = forms.ChoiceField(label=_("Verification"), required=False, choices=VERIFIED_CHOICES)

    def __init__(self, data, *, scope):
        super().__init__(data)
        self.scope = scope
        everything = [("", _("All"))]
        self.fields["post"].choices = everything + [(p.code, p.label) for p in Post.objects.order_by("rank", "code")]
        self.fields["wing"].choices = everything + [(w.code, w.label) for w in Wing.objects.order_by("code")]
        self.fields["tag"].choices = everything + [(t.code, t.label) for t in Tag.objects.order_by("code")]
        self.unit = None

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "")

    def clean_unit(self):
        unit_id = self.cleaned_data.get("unit")
        if unit_id:
            try:
                self.unit = unit_get_for_actor(unit_id, self.scope)
            except NotFound:
                raise forms.ValidationError(_("No such unit.")) from None
        return unit_id

    def filters(self) -> dict:
        """Keyword arguments of ``person_list`` (valid fields only: a bad value is left out, not an error)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        verified = {"yes": True, "no": False}.get(data.get("verified") or "")
        return {"unit": self.unit, "q": data.get("q", ""), "status": data.get("status", ""),
                "post": data.get("post") or None, "wing": data.get("wing") or None, "tag": data.get("tag") or None,
                "verified": verified}

    @property
    def has_filters(self) -> bool:
        filters = self.filters()
        return any(filters[name] not in (None, "") for name in ("status", "post", "wing", "tag", "verified"))
