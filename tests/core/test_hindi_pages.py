"""In Hindi mode the main pages show no English: every Latin-letter word on a page (outside tags, scripts
and styles) is a name, a code or an allowed abbreviation."""

import html
import re

import pytest
from django.urls import reverse

from sangathan.core.name_display import display_latin
from sangathan.people.models import Person

pytestmark = pytest.mark.django_db

PAGES = ["dashboard:home", "people:search", "grievances:queue", "rosters:offices", "outreach:today",
         "campaigns:list", "committees:home", "messaging:broadcasts"]
# Words that are right in a Hindi page: abbreviations people use as they are, and product names.
ALLOWED = {"SMS", "EPIC", "OTP", "CSV", "XLSX", "PDF", "API", "ID", "WhatsApp", "Sangathan", "PWA", "URL", "OK",
           "PIN", "QR", "MB", "KB", "AM", "PM", "Email", "email",
           "Excel", "English"}  # a file format; the language switch names English in English
HIDDEN = re.compile(r"<(script|style|svg|template)\b.*?</\1>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'’]{2,}\b")


def _latin_words(page: str, data_words: set[str]) -> set[str]:
    text = html.unescape(TAG.sub(" ", HIDDEN.sub(" ", page)))
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED and word.lower() not in data_words}


@pytest.mark.parametrize("name", PAGES)
def test_main_pages_have_no_english_in_hindi(client, tree, name):
    client.force_login(tree.users["state_president"])
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="hi", follow=True)
    assert response.status_code == 200
    # The tree's own codes and Latin names are data, not interface.
    data_words = {word.lower() for unit in tree.units.values() for word in re.findall(r"[A-Za-z]+",
                                                                                     f"{unit.code} {unit.name_en}")}
    # People's names and relatives' names in every Latin form a page may show, split as the check splits.
    names = " ".join(f"{p.name_display_latin} {p.name_latin} {display_latin(p.relative_name)}"
                     for p in Person.objects.all())
    data_words |= {word.lower() for word in LATIN_WORD.findall(names)} | {
        part.lower() for part in re.findall(r"[A-Za-z]+", names)}
    assert _latin_words(response.content.decode(), data_words) == set()
