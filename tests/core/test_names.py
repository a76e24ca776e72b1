"""Names entered in Devanagari and in Latin letters must meet in one search key."""

import pytest

from sangathan.core.names import clean_name, has_devanagari, name_key, to_latin

SAME_NAME = [
    ("khandelwal", "खंडेलवाल"),
    ("ram", "राम"),
    ("Sharma", "शर्मा"),
    ("Verma", "वर्मा"),
    ("Suresh Yadav", "सुरेश यादव"),
    ("Chauhan", "चौहान"),
    ("Laxmi", "लक्ष्मी"),
    ("Lakshmi", "लक्ष्मी"),
    ("Shivraj Singh Chouhan", "शिवराज सिंह चौहान"),
    ("Krishna", "कृष्ण"),
    ("Srivastava", "श्रीवास्तव"),
    ("Jyotiraditya Scindia", "ज्योतिरादित्य सिंधिया"),
    ("Kamla", "कमला"),
    ("Pandey", "पांडे"),
    ("Pandey", "पाण्डेय"),
    ("Choudhary", "चौधरी"),
    ("Dubey", "दुबे"),
    ("Anand", "आनन्द"),
    ("Anand", "आनंद"),
    ("Ishwar", "ईश्वर"),
    ("Narendra Modi", "नरेंद्र मोदी"),
]


@pytest.mark.parametrize(("latin", "devanagari"), SAME_NAME)
def test_latin_and_devanagari_spellings_share_a_key(latin, devanagari):
    assert name_key(latin) == name_key(devanagari)


@pytest.mark.parametrize(("one", "other"), [("Ramesh", "Suresh"), ("Sharma", "Verma"), ("Gupta", "Jain")])
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


def test_readable_latin_drops_the_final_inherent_vowel():
    assert to_latin("राम") == "ram"
    assert to_latin("मोहन यादव") == "mohan yadav"
    assert to_latin("Mohan  YADAV") == "mohan yadav"


def test_clean_name_folds_white_space_and_normalizes_unicode():
    assert clean_name("  राम   कुमार ") == "राम कुमार"
    assert clean_name("Cafe\u0301") == "Café"


def test_script_detection():
    assert has_devanagari("राम")
    assert not has_devanagari("Ram")


def test_empty_and_symbol_only_names():
    assert name_key("") == ""
    assert name_key("--- ...") == ""


@pytest.mark.parametrize("raw, expected", [
    ("\u200bराम\u200b", None), ("\ufeffRam", None), ("क्\u200dष", None), ("", None),
    ("\u200b\u200c\u200d", "no_letters"), ("\u00ad", None), ("12 34", "no_letters"),
    ("\u202e", "direction"), ("Ram\u202elaM", "direction"), ("\u2067राम", "direction"),
    ("Ra\x07m", "control"), ("\x1b[31m", "control"),
])
def test_names_made_of_nothing_readable_are_refused(raw, expected):
    from sangathan.core.names import name_problem

    assert name_problem(clean_name(raw)) == expected


def test_clean_name_drops_invisible_format_characters_but_keeps_joiners():
    assert clean_name("\u200bराम\u00ad \ufeffलाल") == "राम लाल"
    assert clean_name("क्\u200dष") == "क्\u200dष"
