"""The Hindi catalog is complete and compiled: the committed .mo files match their .po sources."""

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from sangathan.core.catalogs import catalogs, stale_catalogs
from sangathan.people.enums import PersonStatus


def test_compiled_catalogs_are_current():
    assert stale_catalogs() == []


@pytest.mark.parametrize("path", catalogs("hi"), ids=lambda path: path.parent.parent.parent.parent.name)
def test_every_hindi_string_is_translated_and_none_is_fuzzy(path):
    catalog = polib.pofile(str(path))
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    assert not catalog.metadata_is_fuzzy


@pytest.mark.parametrize(
    ("english", "hindi"),
    [
        ("Log in", "लॉग इन करें"),
        ("Workers", "कार्यकर्ता"),
        ("Office-bearers", "पदाधिकारी"),
        ("Page not found", "पृष्ठ नहीं मिला"),
        ("The mobile number or the password is wrong.", "मोबाइल नंबर या पासवर्ड गलत है।"),
        ("This is not a valid mobile number.", "यह सही मोबाइल नंबर नहीं है।"),
        ("A person with this mobile number is already registered.", "इस मोबाइल नंबर से एक कार्यकर्ता पहले से दर्ज है।"),
        ("Lok Sabha", "लोकसभा"),
    ],
)
def test_strings_translate_to_hindi(english, hindi):
    with translation.override("hi"):
        assert gettext(english) == hindi
    with translation.override("en"):
        assert gettext(english) == english


def test_lazy_choices_and_plurals_translate():
    with translation.override("hi"):
        assert str(PersonStatus.EXPELLED.label) == "निष्कासित"
        assert ngettext("%(counter)s booth", "%(counter)s booths", 3) % {"counter": 3} == "3 बूथ"
