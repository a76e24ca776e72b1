"""Public tracking codes: ``SG-`` and six characters nobody misreads over the phone (no 0/O, 1/I/L)."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "SG-"
LENGTH = 6


def new_tracking_code() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_for_number(number: int) -> str:
    """A deterministic code for ``number`` (distinct numbers, distinct codes): for bulk synthetic data."""
    chars = []
    for _ in range(LENGTH):
        number, rem = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[rem])
    return PREFIX + "".join(reversed(chars))
