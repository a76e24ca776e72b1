"""Public tracking codes: ``SG-`` and six characters nobody misreads over the phone (no 0/O, 1/I/L)."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "SG-"
LENGTH = 6


def new_tracking_code() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))

