"""The office's form to start or change a drive: its name, period, unit, the form vistaraks fill, booth
targets and vistaraks. Fields are only read here; the actions (``services.drives``) validate and decide
permission, and their errors come back onto the form (``core.forms.add_domain_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.fieldwork.services.drives import FORM_FIELDS, QUESTION_KINDS
from sangathan.people.display import FIELD_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES_MAX = 500


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DriveForm(forms.Form):
    name = forms.CharField(label=_("Name of the drive"), max_length=200)
    unit = forms.TypedChoiceField(label=_("Area of the drive"), coerce=int)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    person_fields = forms.MultipleChoiceField(
        label=_("Details asked besides name and mobile"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name, FIELD_LABELS.get(name, name)) for name in FORM_FIELDS])
    questions = forms.CharField(
        label=_("Extra questions"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: code | question | text, number or yes_no | required (optional)."))
    consent_text = forms.CharField(label=_("Consent text the worker agrees to"),
                                   widget=forms.Textarea(attrs={"rows": 3}))
    otp_required = forms.BooleanField(label=_("Code to the worker's mobile required"), required=False)
    targets = forms.CharField(label=_("Booth targets"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One a line: booth code: number of workers."))
    vistaraks = forms.CharField(label=_("Vistaraks"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("One a line: the vistarak's mobile number: mandal or booth code."))

    def __init__(self, *args, unit_choices=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]  # a drive keeps its area: its vistaraks and records hang under it
        else:
            self.fields["unit"].choices = unit_choices

    def clean_questions(self) -> list[dict]:
        questions = []
        for number, line in enumerate(_lines(self.cleaned_data["questions"])[:LINES_MAX], start=1):
            parts = [part.strip() for part in line.split("|")]
            kind = parts[2] if len(parts) > 2 and parts[2] else "text"
            if len(parts) < 2 or not parts[0] or not parts[1] or kind not in QUESTION_KINDS:
                raise forms.ValidationError(_("Line %(line)d: write code | question | text, number or yes_no.")
                                            % {"line": number})
            questions.append({"code": parts[0], "label": parts[1], "kind": kind,
                              "required": len(parts) > 3 and bool(parts[3])})
        return questions

    def _pairs(self, name: str, message) -> list[tuple[str, str]]:
        pairs = []
        for number, line in enumerate(_lines(self.cleaned_data[name])[:LINES_MAX], start=1):
            left, sep, right = line.rpartition(":")
            if not sep or not left.strip() or not right.strip():
                raise forms.ValidationError(message % {"line": number})
            pairs.append((left.strip(), right.strip()))
        return pairs

    def clean_targets(self) -> list[tuple[str, int]]:
        pairs = self._pairs("targets", _("Line %(line)d: write booth code: number."))
        out = []
        for number, (code, target) in enumerate(pairs, start=1):
            if not target.isdigit():
                raise forms.ValidationError(_("Line %(line)d: write booth code: number.") % {"line": number})
            out.append((code, int(target)))
        return out

    def clean_vistaraks(self) -> list[tuple[str, str]]:
        return self._pairs("vistaraks", _("Line %(line)d: write mobile number: unit code."))

    def drive_values(self) -> dict:
        data = self.cleaned_data
        return {"title": data["name"], "starts_on": data["starts_on"], "ends_on": data["ends_on"],
                "consent_text": data["consent_text"], "person_fields": list(data["person_fields"]),
                "questions": data["questions"], "otp_required": data["otp_required"]}

    @staticmethod
    def initial_for(drive) -> dict:
        return {"name": drive.name, "starts_on": drive.starts_on, "ends_on": drive.ends_on,
                "person_fields": drive.person_fields, "consent_text": drive.consent_text,
                "otp_required": drive.otp_required,
                "questions": "\n".join(f"{q['code']} | {q['label']} | {q.get('kind', 'text')}"
                                       + (" | 1" if q.get("required") else "") for q in drive.questions)}
