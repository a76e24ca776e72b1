"""Digits as typed on a Hindi keyboard: ``०१२३४५६७८९`` read as ``0123456789``.

A phone set to Hindi types Devanagari digits in number boxes; every cleaner that reads a number (mobile,
membership number, tracking code, year, search box) passes the text through ``ascii_digits`` first, so
``९८२६०१२३४५`` and ``9826012345`` are one number.
"""

DEVANAGARI_DIGITS = "०१२३४५६७८९"
_TO_ASCII = str.maketrans(DEVANAGARI_DIGITS, "0123456789")


def ascii_digits(text):
    """``text`` with Devanagari digits replaced by ASCII ones; anything not a string comes back as it is."""
    return text.translate(_TO_ASCII) if isinstance(text, str) else text
