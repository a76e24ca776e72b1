"""Codes of an event, made with the event's own key (``Event.secret``) so a phone that has the key can
check them without the network:

* the event's check-in code (shown at the venue, typed or scanned by attendees);
* a group viewing location's own code, under the location's key, so each host's phone checks it offline;
* an attendee's pass (shown on the attendee's phone, checked by the organizer's phone list);
* the tracked link of an invitation (``/e/<token>``), signed with the site's key.
"""

import base64
import hashlib
import hmac

from django.core import signing

OPEN_SALT = "events.open"
ICAL_SALT = "events.ical"


def _mac(keyed, message: str, length: int) -> str:
    digest = hmac.new(keyed.secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:length]


def event_code(event) -> str:
    return _mac(event, f"event:{event.pk}", 8)


def location_code(location) -> str:
    return _mac(location, f"location:{location.event_id}:{location.pk}", 8)


def pass_code(event, person_id: int) -> str:
    return _mac(event, f"pass:{event.pk}:{person_id}", 6)


def code_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected, (given or "").strip().upper().replace(" ", ""))


def open_token(invitation_id: int) -> str:
    return signing.Signer(salt=OPEN_SALT).sign(format(invitation_id, "x"))


def open_token_read(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=OPEN_SALT).unsign(token), 16)
    except (signing.BadSignature, ValueError):
        return None


def ical_token(user_id: int) -> str:
    return signing.Signer(salt=ICAL_SALT).sign(str(user_id))


def ical_token_read(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=ICAL_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
