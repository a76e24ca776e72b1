"""Forms of booth contact: the short form after a call, and a program's settings for the state office."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sangathan.messaging.models import Channel
from sangathan.org.models import Level, Post
from sangathan.outreach.enums import WEEKDAYS, CallOutcome, NeedCategory, WellBeing

SCORE_CHOICES = [("1", _("1 — very weak")), ("2", _("2 — weak")), ("3", _("3 — even")), ("4", _("4 — strong")),
                 ("5", _("5 — very strong"))]
ANSWER_PREFIX = "answer_"


class CallLogForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Did the call get through?"), choices=CallOutcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Say whether the call got through.")})
    wellbeing_self = forms.ChoiceField(label=_("Their own well-being"), choices=WellBeing.choices, required=False,
                                       widget=forms.RadioSelect)
    wellbeing_family = forms.ChoiceField(label=_("Their family's well-being"), choices=WellBeing.choices,
                                         required=False, widget=forms.RadioSelect)
    position_score = forms.ChoiceField(label=_("The party's position in the booth"), choices=SCORE_CHOICES,
                                       required=False, widget=forms.RadioSelect)
    position_note = forms.CharField(label=_("What they said about it"), required=False, max_length=500)
    needs = forms.MultipleChoiceField(label=_("What the booth needs"), choices=NeedCategory.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    needs_note = forms.CharField(label=_("Needs in their words"), required=False, max_length=500)
    followup_wanted = forms.BooleanField(label=_("The district should follow this up"), required=False)
    followup_note = forms.CharField(label=_("What should be followed up"), required=False, max_length=500)
    notes = forms.CharField(label=_("Notes for the next caller"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions):
            self.fields[f"{ANSWER_PREFIX}{number}"] = forms.CharField(label=question, required=False, max_length=500)

    def answer_fields(self):
        return [self[name] for name in self.fields if name.startswith(ANSWER_PREFIX)]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        answers = [data.pop(f"{ANSWER_PREFIX}{number}", "") for number in range(len(self.questions))]
        return data | {"answers": answers}

    @classmethod
    def initial_from(cls, log) -> dict:
        initial = {name: getattr(log, name) for name in (
            "outcome", "wellbeing_self", "wellbeing_family", "position_note", "needs", "needs_note",
            "followup_wanted", "followup_note", "notes")}
        initial["position_score"] = str(log.position_score) if log.position_score else ""
        for number, answer in enumerate(log.answers or []):
            initial[f"{ANSWER_PREFIX}{number}"] = answer
        return initial


class ProgramForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_hi = forms.CharField(label=_("Name (Hindi)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    target_root = forms.TypedChoiceField(label=_("Booths under"), coerce=int)
    target_post = forms.ChoiceField(label=_("Who is called"))
    caller_rules = forms.MultipleChoiceField(label=_("Who calls (post at level)"), widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": _("Name at least one post whose holders call.")})
    pairing_level = forms.ChoiceField(label=_("Callers at or below this level call only within it"), required=False)
    per_caller_per_day = forms.IntegerField(label=_("Calls per caller per day"), min_value=1, max_value=50)
    working_days = forms.TypedMultipleChoiceField(label=_("Working days"), choices=WEEKDAYS, coerce=int,
                                                  widget=forms.CheckboxSelectMultiple)
    send_time = forms.TimeField(label=_("List sent at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    reminder_time = forms.TimeField(label=_("Reminder at"),
                                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    channel = forms.ChoiceField(label=_("Send lists by"), choices=[(Channel.SMS, Channel.SMS.label),
                                                                   (Channel.WHATSAPP, Channel.WHATSAPP.label)])
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, roots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_root"].choices = [(unit.pk, unit.name) for unit in roots]
        posts = list(Post.objects.all())
        levels = list(Level.objects.all())
        self.fields["target_post"].choices = [(post.code, post.label) for post in posts]
        self.fields["caller_rules"].choices = [(f"{post.code}@{level.code}", f"{post.label} · {level.label}")
                                               for level in levels[:5] for post in posts[:4]]
        self.fields["pairing_level"].choices = [("", _("No limit"))] + [(lv.code, lv.label) for lv in levels]

    @staticmethod
    def initial_from(program) -> dict:
        return {
            "code": program.code, "name_hi": program.name_hi, "name_en": program.name_en,
            "target_root": program.target_root_id, "target_post": program.target_post.code,
            "caller_rules": [f"{rule.post.code}@{rule.level}" for rule in program.caller_posts.select_related("post")],
            "pairing_level": program.pairing_level, "per_caller_per_day": program.per_caller_per_day,
            "working_days": program.working_days, "send_time": program.send_time,
            "reminder_time": program.reminder_time, "channel": program.channel, "is_active": program.is_active,
        }

    def service_arguments(self) -> dict:
        from sangathan.org.models import Unit

        data = self.cleaned_data
        posts = {post.code: post for post in Post.objects.all()}
        rules = []
        for rule in data["caller_rules"]:
            post_code, level = rule.split("@", 1)
            rules.append((posts[post_code], level))
        return {
            "code": data["code"], "name_hi": data["name_hi"], "name_en": data["name_en"],
            "target_root": Unit.objects.get(pk=data["target_root"]), "target_post": posts[data["target_post"]],
            "caller_posts": rules, "pairing_level": data["pairing_level"],
            "per_caller_per_day": data["per_caller_per_day"], "working_days": data["working_days"],
            "send_time": data["send_time"], "reminder_time": data["reminder_time"], "channel": data["channel"],
            "is_active": data["is_active"],
        }
