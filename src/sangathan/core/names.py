"""Names in Devanagari and Latin letters: a readable Latin form and a phonetic search key.

Workers' names are entered in either script and spelt many ways ("Khandelwal", "खंडेलवाल",
"Khandelval"). We store the name as entered plus:

* ``to_latin`` — a readable lowercase Latin spelling (``खंडेलवाल`` → ``khandelaval``), for display in
  English and trigram search;
* ``name_key`` — a coarse phonetic key in which both scripts meet (``kndlwl`` for both spellings above):
  aspiration, vowel length and the inherent vowel are dropped, so the differences that come from
  transliteration vanish while the consonant skeleton that tells names apart stays.
"""

import re
import unicodedata
from functools import lru_cache

from indic_transliteration import sanscript

DEVANAGARI_RE = re.compile(r"[\u0900-\u097F]")
_ITRANS_TOKEN_END = re.compile(r"(?<=[bcdfghjklmnpqrstvwxyzDNTSRL])a\b")
# ITRANS → plain lowercase Latin, longest first.
_ITRANS_PLAIN = [
    ("RRi", "ri"), ("RRI", "ri"), ("LLi", "li"), ("~N", "n"), ("~n", "n"), ("N^", "n"),
    ("chh", "chh"), ("Ch", "chh"), ("kSh", "ksh"), ("x", "ksh"), ("GY", "gy"), ("j~n", "gy"),
    ("Sh", "sh"), ("sh", "sh"), ("aa", "a"), ("A", "a"), ("ii", "i"), ("I", "i"), ("uu", "u"), ("U", "u"),
    ("M", "n"), (".n", "n"), (".N", "n"), ("H", "h"), (".h", ""), (".a", ""), ("^", ""), ("{}", ""),
    ("T", "t"), ("D", "d"), ("N", "n"), ("R", "r"), ("L", "l"), ("Y", "y"), ("~", ""), (".", ""),
]
_VOWELS = set("aeiou")


def has_devanagari(text: str) -> bool:
    return bool(DEVANAGARI_RE.search(text or ""))


# Characters that reorder text around them (LRE…RLO, LRI…PDI, the marks): in a name they only disguise it.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
# Zero-width joiner and non-joiner shape Devanagari conjuncts (क्‍ष): kept. Other invisible format
# characters (zero-width space, soft hyphen, byte-order mark from a pasted cell…) are dropped.
_JOINERS = frozenset("\u200c\u200d")


def clean_name(text: str) -> str:
    """Name as entered, with Unicode normalized, invisible format characters dropped and runs of white space
    folded. ``name_problem`` says whether what is left may be stored."""
    text = unicodedata.normalize("NFC", text or "")
    if not text.isascii():
        text = "".join(c for c in text if c in _JOINERS or c in _BIDI_CONTROLS
                       or unicodedata.category(c) != "Cf")
    return " ".join(text.split())


class NameProblem:
    """Why a name cannot be stored (codes; ``people.fields`` words them for the user)."""

    CONTROL = "control"        # a control character (a bell, an escape …)
    DIRECTION = "direction"    # a right-to-left override or another direction control
    NO_LETTERS = "no_letters"  # nothing readable: only invisible characters, digits or punctuation


def name_problem(cleaned: str) -> str | None:
    """A ``NameProblem`` code for a name already through ``clean_name``, or None when it may be stored."""
    if not cleaned:
        return None  # empty: required or not is the caller's rule
    if any(c in _BIDI_CONTROLS for c in cleaned):
        return NameProblem.DIRECTION
    if any(unicodedata.category(c) == "Cc" for c in cleaned):
        return NameProblem.CONTROL
    if not any(c.isalpha() for c in cleaned):
        return NameProblem.NO_LETTERS
    return None


@lru_cache(maxsize=65536)
def _word_to_latin(word: str) -> str:
    if not has_devanagari(word):
        ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z]", "", ascii_word.lower())
    itrans = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.ITRANS)
    # Schwa deletion at the end of a word: राम is "ram", not "rama" (but ना stays "na").
    if len(itrans) > 2:
        itrans = _ITRANS_TOKEN_END.sub("", itrans)
    for source, target in _ITRANS_PLAIN:
        itrans = itrans.replace(source, target)
    return re.sub(r"[^a-z]", "", itrans.lower())


def to_latin(text: str) -> str:
    """Readable lowercase Latin spelling of a name in either script."""
    words = re.split(r"[\s\-_.,/]+", clean_name(text))
    return " ".join(latin for latin in (_word_to_latin(word) for word in words if word) if latin)


@lru_cache(maxsize=65536)
def _word_key(latin_word: str) -> str:
    # A final y is a Latin way of writing a vowel (Pandey / पांडे, Choudhary / चौधरी); "sc" before i/e
    # is an English way of writing s (Scindia / सिंधिया).
    word = latin_word[:-1] if len(latin_word) > 2 and latin_word.endswith("a") else latin_word
    word = word[:-1] if len(word) > 2 and word.endswith("y") else word
    word = re.sub(r"sc(?=[ie])", "s", word)
    word = word.replace("x", "ks").replace("q", "k").replace("z", "j").replace("f", "p")
    word = word.replace("v", "w").replace("ck", "k").replace("ng", "n")
    out: list[str] = []
    for index, char in enumerate(word):
        previous = word[index - 1] if index else ""
        if char == "h" and previous and previous not in _VOWELS:
            continue  # aspiration: kh→k, sh→s, singh→sin
        if char in _VOWELS:
            if index == 0:
                out.append("a")  # initial vowels vary the most (Ishwar / Eshwar)
            continue
        if char == "y" and 0 < index < len(word) - 1 and previous in _VOWELS:
            continue  # glide between vowels: "Sahaya" / "Sahay"
        if out and out[-1] == char:
            continue
        out.append(char)
    return "".join(out)


def name_key(text: str) -> str:
    """Phonetic key in which Devanagari and Latin spellings of one name coincide."""
    return " ".join(key for key in (_word_key(word) for word in to_latin(text).split()) if key)


_SPLIT_RE = re.compile(r"[\s\-_.,/]+")


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> tuple[str, str]:
    latin = _word_to_latin(word)
    return latin, (_word_key(latin) if latin else "")


def name_forms(text: str) -> tuple[str, str, str]:
    """``(clean_name(text), to_latin(text), name_key(text))`` in one pass, each word worked out once per
    process: for bulk imports, where a few thousand distinct words make up millions of names."""
    name = clean_name(text)
    latins, keys = [], []
    for word in _SPLIT_RE.split(name):
        if word:
            latin, key = _word_forms(word)
            if latin:
                latins.append(latin)
                if key:
                    keys.append(key)
    return name, " ".join(latins), " ".join(keys)
