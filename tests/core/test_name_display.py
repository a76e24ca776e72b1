"""Devanagari names shown in Latin letters the way people write them, while the stored search forms stay."""

import pytest

from sangathan.core.name_display import display_latin
from sangathan.core.names import name_key, to_latin

NAMES = [
    ("खंडेलवाल", "Khandelwal"),
    ("अग्रवाल", "Agrawal"),
    ("जायसवाल", "Jaiswal"),
    ("शर्मा", "Sharma"),
    ("राजेश", "Rajesh"),
    ("कमल", "Kamal"),
    ("सुरेश कुमार", "Suresh Kumar"),
    ("कमलेश", "Kamlesh"),
    ("जगदीश", "Jagdish"),
    ("अरविंद", "Arvind"),
    ("नरेन्द्र", "Narendra"),
    ("महेंद्र सिंह तोमर", "Mahendra Singh Tomar"),
    ("लक्ष्मण", "Lakshman"),
    ("अमरनाथ", "Amarnath"),
    ("रामचरण", "Ramcharan"),
    ("राजकुमार", "Rajkumar"),
    ("शिवराज सिंह चौहान", "Shivraj Singh Chauhan"),
    ("विजय", "Vijay"),
    ("दिग्विजय", "Digvijay"),
    ("द्विवेदी", "Dwivedi"),
    ("विश्वास", "Vishwas"),
    ("यादव", "Yadav"),
    ("भरत", "Bharat"),
    ("प्रकाश", "Prakash"),
    ("मालवीय", "Malviya"),
    ("गोविंद", "Govind"),
    ("संतोष", "Santosh"),
    ("शंभू", "Shambhu"),
    ("कविता वर्मा", "Kavita Verma"),
    ("लक्ष्मी", "Lakshmi"),
    ("श्रीवास्तव", "Shrivastav"),
    ("ज्योतिरादित्य सिंधिया", "Jyotiraditya Scindia"),
    ("उमेश पांडे", "Umesh Pandey"),
    ("सुनीता देवी", "Sunita Devi"),
    ("ज़ाकिर ख़ान", "Zakir Khan"),
    ("मोहनलाल", "Mohanlal"),
    ("सरस्वती", "Saraswati"),
    ("ईश्वर", "Ishwar"),
]


@pytest.mark.parametrize(("name", "latin"), NAMES, ids=[latin for _, latin in NAMES])
def test_names_read_as_people_write_them(name, latin):
    assert display_latin(name) == latin


def test_latin_names_and_punctuation_stay_as_entered():
    assert display_latin("R.K. Sharma") == "R.K. Sharma"
    assert display_latin("khandelwal") == "Khandelwal"
    assert display_latin("आर.के. शर्मा") == "Ar.Ke. Sharma"
    assert display_latin("  ") == ""


def test_display_does_not_change_the_stored_search_forms():
    # name_latin and name_key are stored and indexed; the readable display is worked out only when shown.
    assert to_latin("खंडेलवाल") == "khandelaval"
    assert name_key("खंडेलवाल") == name_key("Khandelwal") == "kndlwl"
