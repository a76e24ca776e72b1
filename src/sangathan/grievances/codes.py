"""Public tracking codes: ``SG-`` and six characters nobody misreads over the phone (no 0/O, 1/I/L)."""

import secrets

from sangathan.core.digits import ascii_digits

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "SG-"
LENGTH = 6


def new_tracking_code() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))



def normalize_tracking_code(text: str) -> str:
    """A tracking code as typed (``sg 7k3q9p``, ``7K3Q9P``, Devanagari digits ``SG-७K३Q९P``) in its stored form;
    other text comes back upper-cased, spaces removed."""
    code = ascii_digits(text or "").strip().upper().replace(" ", "")
    if code and not code.startswith(PREFIX) and len(code) == LENGTH:
        code = PREFIX + code
    return code
