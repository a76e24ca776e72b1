"""Django's own words in Hindi come from our catalog: months and weekdays spelt right, natural form errors."""

import datetime
import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import dates, translation
from django.utils.translation import gettext

from sangathan.core import django_messages

FRIDAY_IN_DECEMBER = datetime.date(2026, 12, 4)
HINDI_MONTHS = ["जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर",
                "नवंबर", "दिसंबर"]
# What Django's stock Hindi says; none of it may reach a page.
STOCK_MISSPELLINGS = {"सितमबर", "नवमबर", "दिसमबर", "दिस्", "मा", "गुरूवार", "सोम\u200cवार", "जनवरी.", "फ़रवरी."}
HINDI_WORD = re.compile(r"^[\u0900-\u097F]+$")


def _date(value, fmt: str) -> str:
    with translation.override("hi"):
        return Template("{{ value|date:fmt }}").render(Context({"value": value, "fmt": fmt}))


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ("j F Y", "4 दिसंबर 2026"),
        ("j M", "4 दिस॰"),
        ("d M Y", "04 दिस॰ 2026"),
        ("l, j F Y", "शुक्रवार, 4 दिसंबर 2026"),
        ("D j M", "शुक्र 4 दिस॰"),
        ("N", "दिस॰"),
        ("E", "दिसंबर"),
    ],
)
def test_the_date_filter_writes_december_in_hindi(fmt, shown):
    assert _date(FRIDAY_IN_DECEMBER, fmt) == shown


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_is_spelt_right(month):
    day = datetime.date(2026, month, 1)
    assert _date(day, "F") == HINDI_MONTHS[month - 1]
    assert _date(day, "E") == HINDI_MONTHS[month - 1]
    assert HINDI_WORD.match(_date(day, "M").removesuffix("॰"))


def test_every_date_word_comes_from_our_catalog():
    tables = (dates.MONTHS, dates.MONTHS_3, dates.MONTHS_AP, dates.MONTHS_ALT, dates.WEEKDAYS,
              dates.WEEKDAYS_ABBR)
    with translation.override("hi"):
        words = [str(word) for table in tables for word in table.values()]
    assert len(words) == 12 * 4 + 7 * 2
    for word in words:
        assert HINDI_WORD.match(word.removesuffix("॰")), word
        assert word not in STOCK_MISSPELLINGS
    assert "\u200c" not in "".join(words)


class _PersonForm(forms.Form):
    name = forms.CharField(max_length=5)
    age = forms.IntegerField(max_value=120)
    joined = forms.DateField()
    email = forms.EmailField(required=False)


def _errors(data: dict) -> dict:
    with translation.override("hi"):
        form = _PersonForm(data=data)
        return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def test_a_required_field_says_so_in_plain_hindi():
    errors = _errors({})
    assert errors["name"] == ["यह भरना ज़रूरी है।"]
    assert errors["joined"] == ["यह भरना ज़रूरी है।"]


def test_form_errors_of_django_fields_are_hindi():
    errors = _errors({"name": "अ" * 9, "age": "500", "joined": "kal", "email": "x@"})
    assert errors == {
        "name": ["अधिकतम 5 अक्षर लिखें (अभी 9 हैं)।"],
        "age": ["यह मान 120 या उससे कम होना चाहिए।"],
        "joined": ["सही तारीख लिखें।"],
        "email": ["सही ईमेल पता लिखें।"],
    }


def test_every_listed_message_is_one_django_uses_and_ours_in_both_languages():
    for message in (*django_messages.FORM_ERRORS, *django_messages.MONTHS, *django_messages.WEEKDAYS):
        with translation.override("hi"):
            assert re.search(r"[\u0900-\u097F]", gettext(message)), message
        with translation.override("en"):
            assert gettext(message) == message
    with translation.override("en"):
        assert str(forms.Field.default_error_messages["required"]) in django_messages.FORM_ERRORS
