"""Voter ID (EPIC) numbers issued by the Election Commission of India."""

import re

from django.utils.translation import gettext_lazy as _

from sangathan.core.errors import DomainError

# Current cards: three letters and seven digits (ABC1234567). Older state-issued cards: MP/12/345/123456.
EPIC_RE = re.compile(r"^(?:[A-Z]{3}\d{7}|[A-Z]{2}/\d{2}/\d{3}/\d{6})$")


def normalize_epic(raw: str | None) -> str:
    """Upper-cased EPIC without spaces; empty when none given; DomainError when malformed."""
    text = re.sub(r"\s+", "", (raw or "")).upper()
    if not text:
        return ""
    if not EPIC_RE.match(text):
        raise DomainError(
            _("A voter ID has three letters and seven digits, e.g. ABC1234567."), code="invalid_epic", field="epic"
        )
    return text
