"""A Devanagari name in Latin letters the way people write it: ``खंडेलवाल`` → "Khandelwal".

``core.names.to_latin`` gives the stored, searchable Latin form (``khandelaval``), one letter group per
Devanagari letter; changing it would move every stored ``name_latin`` and its search index. This module
only displays: it reads the name syllable by syllable and applies what a Hindi speaker hears and writes:

* the inherent vowel (schwa) is silent at the end of a word (राम → Ram), except after a conjunct
  (नरेन्द्र → Narendra) or in the last syllable of ``-iya`` (मालवीय → Malviya);
* a medial schwa is silent between a vowel-and-consonant and a consonant-and-vowel (VC_CV), working from
  the end of the word (कमलेश → Kamlesh, जगदीश → Jagdish); never after a conjunct (सरस्वती → Saraswati);
* common name endings are read as words of their own (अग्र+वाल, अमर+नाथ), so the rule does not
  swallow the vowel at the seam (Agrawal, Amarnath, Ramcharan);
* व is "w" after d, t, s, sh, j (Dwivedi, Swami, Vishwas, Jwala) and in the ending वाल (Khandelwal),
  "v" elsewhere (Vijay, Yadav, Digvijay);
* a small table holds the surnames whose usual spelling no rule gives (सिंह → Singh, वर्मा → Verma).
"""

import re
import unicodedata
from functools import lru_cache

from sangathan.core.names import clean_name, has_devanagari

_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh",
    "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d",
    "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r",
    "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s", "ह": "h", "ळ": "l",
}
_NUKTA_FORMS = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f", "य": "y"}
_VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e", "ऐ": "ai",
    "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e",
}
_SIGNS = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o",
    "ौ": "au", "ॉ": "o", "ॅ": "e",
}
_VIRAMA, _NUKTA, _ANUSVARA, _CHANDRABINDU, _VISARGA = "\u094d", "\u093c", "\u0902", "\u0901", "\u0903"
_LABIALS = ("p", "b", "m")
_W_AFTER = {"d", "t", "s", "sh", "j"}

# Endings that are words of their own in a compound name; the part before must keep two letters.
_ENDINGS = ("वाल", "नाथ", "चंद", "चन्द", "लाल", "प्रकाश", "नारायण", "शंकर", "चरण", "कांत", "कान्त",
            "दास", "पाल", "देव", "राम", "सिंह")
# Usual spellings that no rule gives (long ee/oo, -ey, old anglicised forms).
EXCEPTIONS = {
    "सिंह": "Singh", "वर्मा": "Verma", "पांडे": "Pandey", "पाण्डे": "Pandey", "पांडेय": "Pandey",
    "पाण्डेय": "Pandey", "दुबे": "Dubey", "चौबे": "Choubey", "चौधरी": "Chaudhary", "तिवारी": "Tiwari",
    "जायसवाल": "Jaiswal", "राठौर": "Rathore", "राठौड़": "Rathore", "सिंधिया": "Scindia", "राय": "Rai",
    "मोहम्मद": "Mohammad", "मुहम्मद": "Muhammad", "दीपक": "Deepak", "प्रदीप": "Pradeep",
    "संदीप": "Sandeep", "नवीन": "Naveen", "प्रवीण": "Praveen", "पूजा": "Pooja", "सीमा": "Seema",
    "नीरज": "Neeraj", "गीता": "Geeta", "नीतू": "Neetu", "श्री": "Shri", "श्रीमती": "Shrimati",
}


class _Syllable:
    __slots__ = ("consonant", "vowel", "schwa", "nasal", "after_virama")

    def __init__(self, consonant: str, vowel: str, *, schwa: bool = False, after_virama: bool = False):
        self.consonant, self.vowel, self.schwa = consonant, vowel, schwa
        self.nasal, self.after_virama = "", after_virama


def _syllables(word: str) -> list[_Syllable]:
    chars = unicodedata.normalize("NFD", word)
    out: list[_Syllable] = []
    index = 0
    while index < len(chars):
        char = chars[index]
        if char in _CONSONANTS:
            latin = _CONSONANTS[char]
            if index + 1 < len(chars) and chars[index + 1] == _NUKTA:
                latin = _NUKTA_FORMS.get(char, latin)
                index += 1
            after_virama = bool(out) and out[-1].vowel == "" and not out[-1].schwa and out[-1].consonant != ""
            out.append(_Syllable(latin, "a", schwa=True, after_virama=after_virama))
        elif char in _VOWELS:
            out.append(_Syllable("", _VOWELS[char]))
        elif char in _SIGNS and out:
            out[-1].vowel, out[-1].schwa = _SIGNS[char], False
        elif char == _VIRAMA and out:
            out[-1].vowel, out[-1].schwa = "", False
        elif char in (_ANUSVARA, _CHANDRABINDU) and out:
            out[-1].nasal, out[-1].schwa = "n", False
        elif char == _VISARGA and out:
            out[-1].nasal, out[-1].schwa = "h", False
        index += 1
    return out


def _delete_schwas(sylls: list[_Syllable]) -> None:
    last = len(sylls) - 1
    for index in range(last, 0, -1):
        syll = sylls[index]
        if not syll.schwa or not syll.consonant:
            continue
        if index == last:
            keep = syll.after_virama or (syll.consonant == "y" and sylls[index - 1].vowel == "i")
        else:
            before, after = sylls[index - 1], sylls[index + 1]
            keep = not (before.vowel and after.consonant and after.vowel)
        if not keep:
            syll.vowel, syll.schwa = "", False


def _render(sylls: list[_Syllable]) -> str:
    parts: list[str] = []
    for index, syll in enumerate(sylls):
        consonant = syll.consonant
        if consonant == "v" and index and not sylls[index - 1].vowel and sylls[index - 1].consonant in _W_AFTER:
            consonant = "w"
        nasal = syll.nasal
        if nasal == "n" and index + 1 < len(sylls) and sylls[index + 1].consonant.startswith(_LABIALS):
            nasal = "m"
        parts.append(consonant + syll.vowel + nasal)
    return "".join(parts)


def _part_to_latin(part: str) -> str:
    if part in EXCEPTIONS:
        return EXCEPTIONS[part].lower()
    sylls = _syllables(part)
    if len(sylls) > 1:
        _delete_schwas(sylls)
    return _render(sylls)


@lru_cache(maxsize=65536)
def word_display_latin(word: str) -> str:
    """One word of a name, capitalised, as it is usually written in Latin letters."""
    if not has_devanagari(word):
        return word[:1].upper() + word[1:] if word.islower() else word
    word = unicodedata.normalize("NFC", word)
    if word in EXCEPTIONS:
        return EXCEPTIONS[word]
    for ending in _ENDINGS:
        head = word[: -len(ending)]
        if word.endswith(ending) and len(head) >= 2 and head[-1] not in (_VIRAMA, _NUKTA):
            latin = _part_to_latin(head) + ("wal" if ending == "वाल" else _part_to_latin(ending))
            break
    else:
        latin = _part_to_latin(word)
    latin = re.sub(r"[^a-z]", "", latin)
    return latin[:1].upper() + latin[1:]


_DEVANAGARI_RUN = re.compile(r"[\u0900-\u0963\u0971-\u097f]+")


def display_latin(text: str) -> str:
    """A name in Latin letters for display: "सुरेश कुमार खंडेलवाल" → "Suresh Kumar Khandelwal". Punctuation
    and Latin words stay as entered (initials "आर.के." → "Ar.Ke.")."""
    words = (_DEVANAGARI_RUN.sub(lambda run: word_display_latin(run.group()), word) if has_devanagari(word)
             else word_display_latin(word) for word in clean_name(text).split())
    return " ".join(word for word in words if word)
