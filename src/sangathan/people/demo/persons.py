"""Person rows for the demo: Hindi names from Faker's pools, keys computed once per name part."""

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from faker.providers.person.hi_IN import Provider as HindiNames

from sangathan.core.names import clean_name, name_key, to_latin
from sangathan.people.demo.bulk import adapt_date
from sangathan.people.demo.plan import Node
from sangathan.people.numbers import membership_number

# Surnames common in Madhya Pradesh, added to Faker's all-India pool.
_MP_SURNAMES = ["यादव", "पटेल", "चौहान", "तिवारी", "मिश्रा", "ठाकुर", "राजपूत", "लोधी", "कुशवाहा", "मालवीय",
                "अहिरवार", "मीणा", "गुर्जर", "धाकड़", "रघुवंशी", "पाटीदार", "दांगी", "मरावी", "उइके", "धुर्वे",
                "साहू", "नामदेव", "विश्वकर्मा", "प्रजापति", "सोनी", "राठौर", "तोमर", "भदौरिया", "दुबे", "त्रिपाठी"]


@dataclass(frozen=True, slots=True)
class NamePart:
    text: str
    latin: str
    key: str


PERSON_FIELDS = ("id", "created_at", "updated_at", "name", "name_latin", "name_key", "relative_name",
                 "relative_name_key", "relation", "gender", "birth_year", "mobile", "epic", "unit", "unit_path",
                 "status", "photo", "alt_mobile", "email", "address", "occupation", "education", "social",
                 "joined_on", "membership_no", "source", "consent_at", "consent_method", "consent_purposes",
                 "verified_at", "verified_method")
# What demo members do for a living and how far they studied (drawn with these weights).
_OCCUPATIONS = [("किसान", 30), ("व्यापारी", 15), ("शिक्षक", 6), ("अधिवक्ता", 3), ("छात्र", 12),
                ("मजदूर", 14), ("गृहिणी", 12), ("सरकारी सेवा से सेवानिवृत्त", 4), ("", 20)]
_EDUCATION = [("दसवीं", 25), ("बारहवीं", 25), ("स्नातक", 20), ("स्नातकोत्तर", 8), ("आठवीं", 12), ("", 10)]
# Sources, consent and how many are verified, as in a registry fed by district sheets and field drives.
_SOURCES = [("import", 55), ("field_drive", 25), ("manual", 15), ("self", 5)]
_CONSENT = [(("form", '["records","messages","events"]'), 30), (("verbal", '["records"]'), 25),
            (("sms", '["records","messages"]'), 10), (("", "[]"), 35)]
# Multiplying by a number prime to 10 permutes 0 … 10⁹-1: unique, deterministic, not sequential numbers.
_MOBILE_SPACE = 10**9
_MOBILE_STEP = 7_654_321


def _name_pool(names: Iterable[str]) -> list[NamePart]:
    """Distinct names with their Latin form and key computed once; a full name joins its parts'.

    Faker's pools hold a few malformed entries (starting with a vowel sign), which are left out.
    """
    pool = {}
    for raw in names:
        text = clean_name(raw)
        if text and unicodedata.category(text[0]) == "Lo" and text not in pool:
            pool[text] = NamePart(text, to_latin(text), name_key(text))
    return list(pool.values())


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


class PersonMaker:
    """Person rows with Hindi names from Faker's pools and mobile numbers valid in India (+91 9XXXXXXXXX)."""

    def __init__(self, *, rng: random.Random, first_id: int, now, membership_prefix: str = "MP"):
        self.rng = rng
        self.next_id = first_id
        self.now = now
        self.prefix = membership_prefix
        # Weighted draws as flat lists: one rng.choice per field instead of rng.choices' bookkeeping.
        self._occupations = _flat(_OCCUPATIONS)
        self._education = _flat(_EDUCATION)
        self._sources = _flat(_SOURCES)
        self._consent = _flat(_CONSENT)
        today = timezone.localdate()
        self._joined = [adapt_date(today.replace(year=year, month=month, day=1))
                        for year in range(today.year - 15, today.year) for month in (1, 4, 7, 10)]
        self.male = _name_pool(HindiNames.first_names_male)
        self.female = _name_pool(HindiNames.first_names_female)
        self.last = _name_pool([*HindiNames.last_names, *_MP_SURNAMES])
        self._mobile_offset = rng.randrange(_MOBILE_SPACE)
        self._this_year = timezone.localdate().year

    def mobile(self, number: int) -> str:
        return f"+919{(number * _MOBILE_STEP + self._mobile_offset) % _MOBILE_SPACE:09d}"

    def row(self, *, unit: Node, female_share: float) -> tuple:
        rng = self.rng
        female = rng.random() < female_share
        first = rng.choice(self.female if female else self.male)
        last = rng.choice(self.last)
        relative = rng.choice(self.male)
        relation = "husband" if female and rng.random() < 0.7 else "father"
        person_id = self.next_id
        self.next_id += 1
        source = rng.choice(self._sources)
        method, purposes = rng.choice(self._consent)
        return (
            person_id, self.now, self.now,
            f"{first.text} {last.text}", _join(first.latin, last.latin), _join(first.key, last.key),
            f"{relative.text} {last.text}", _join(relative.key, last.key),
            relation, "f" if female else "m", self._this_year - rng.randint(20, 75),
            self.mobile(person_id), "", unit.id, unit.path, "active",
            "", "", "", "", rng.choice(self._occupations), rng.choice(self._education), "{}",
            rng.choice(self._joined), membership_number(self.prefix, person_id), source,
            self.now if method else None, method, purposes, None, "",
        )


def _flat(weighted: list[tuple]) -> list:
    return [value for value, weight in weighted for _ in range(weight)]


