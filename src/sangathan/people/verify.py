"""The public cross-check (क्रॉस चेक): is this mobile number (or membership number) a registered, active worker?

Anyone may ask, without logging in, so that people who threaten others "in the party's name" can be
exposed. The answer carries only: active worker or not, and if so the name, the district and mandal
names, and the current posts (title, wing, the unit's name). Never an address, family, another number,
a unit path or id.

* **Same answer for "unknown" and "not active".** An expelled, inactive or deceased worker and a number
  never registered both answer ``{"active": false}`` with the same message: the status of someone who
  is not an active worker is not the public's to know, and the difference would leak who once was one.
* **No enumeration.** Every question runs the same queries whatever the answer (unknown numbers look up
  an impossible person), and is written to ``VerifyQuery`` (address, browser, what was asked, the
  result). Questions are limited per client address (``PER_IP`` per ``WINDOW``, setting ``SANGATHAN_VERIFY_PER_IP``) and
  per number asked (``PER_NUMBER``, ``SANGATHAN_VERIFY_PER_NUMBER``), counted over a sliding window on that table, so the limit holds across web
  processes. Over a limit: HTTP 429 with a clear message; the refused question is logged too.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangathan.core import clock
from sangathan.core.digits import ascii_digits
from sangathan.core.errors import DomainError
from sangathan.core.phones import try_normalize_mobile
from sangathan.core.tree import ancestor_paths
from sangathan.org.models import Position, Unit
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Person, VerifyQuery

WINDOW = timedelta(hours=1)
# Defaults of the settings SANGATHAN_VERIFY_PER_IP and SANGATHAN_VERIFY_PER_NUMBER (questions per WINDOW).
PER_IP = 30
PER_NUMBER = 5
MEMBERSHIP_MAX_LENGTH = 32

ACTIVE_MESSAGE = gettext_lazy("This is a registered, active worker of the party.")
NOT_ACTIVE_MESSAGE = gettext_lazy("This is not an active worker of the party.")


class RateLimited(DomainError):
    """Too many questions from this address, or about this number, in the last hour."""

    def __init__(self):
        super().__init__(_("Too many checks in a short time. Please try again after an hour."), code="rate_limited")


@dataclass
class VerifyAnswer:
    active: bool
    name: str = ""
    district: str = ""
    mandal: str = ""
    posts: list[dict] = field(default_factory=list)

    @property
    def message(self) -> str:
        return str(ACTIVE_MESSAGE if self.active else NOT_ACTIVE_MESSAGE)

    def as_dict(self) -> dict:
        return {"active": self.active, "message": self.message, "name": self.name or None,
                "district": self.district or None, "mandal": self.mandal or None, "posts": self.posts}


def _question(mobile: str, membership_no: str) -> tuple[str, str]:
    """(kind, normalized value) of the question, or DomainError."""
    mobile, membership_no = ascii_digits(mobile or "").strip(), ascii_digits(membership_no or "").strip()
    if bool(mobile) == bool(membership_no):
        raise DomainError(_("Enter a mobile number or a membership number."), code="required", field="mobile")
    if mobile:
        normalized = try_normalize_mobile(mobile[:32])
        if not normalized:
            raise DomainError(_("This is not a valid mobile number."), code="invalid_mobile", field="mobile")
        return "mobile", normalized
    if len(membership_no) > MEMBERSHIP_MAX_LENGTH or "\x00" in membership_no:
        raise DomainError(_("This is not a valid membership number."), code="invalid", field="membership_no")
    return "membership_no", membership_no.upper()


def _limited(ip: str | None, value: str, now) -> bool:
    since = now - WINDOW
    by_ip = VerifyQuery.objects.filter(ip=ip, at__gte=since).count() if ip else 0
    by_number = VerifyQuery.objects.filter(value=value, at__gte=since).count() if value else 0
    return (by_ip >= getattr(settings, "SANGATHAN_VERIFY_PER_IP", PER_IP)
            or by_number >= getattr(settings, "SANGATHAN_VERIFY_PER_NUMBER", PER_NUMBER))


def _find(kind: str, value: str) -> Person | None:
    people = Person.objects.filter(mobile=value) if kind == "mobile" else Person.objects.filter(membership_no=value)
    return people.select_related("unit").first()


def _answer(person: Person | None) -> VerifyAnswer:
    """The answer for ``person`` (None: unknown). The same two queries run either way."""
    active = person is not None and person.status == PersonStatus.ACTIVE
    path = person.unit_path if active else ""
    ancestors = {unit.level: unit.name for unit in Unit.objects.filter(
        path__in=[*ancestor_paths(path), path] if path else ["-"], level__in=("district", "mandal"))}
    positions = list(Position.objects.current().filter(person_id=person.pk if active else 0)
                     .select_related("post", "wing", "unit", "overlay").order_by("post__rank", "start_date"))
    if not active:
        return VerifyAnswer(active=False)
    return VerifyAnswer(
        active=True, name=person.name, district=ancestors.get("district", ""), mandal=ancestors.get("mandal", ""),
        posts=[{"post": position.post.label, "wing": position.wing.label if position.wing_id else None,
                "place": position.place.name if position.place is not None else None} for position in positions],
    )


def verify_lookup(*, mobile: str = "", membership_no: str = "", ip: str | None, user_agent: str = "",
                  channel: str = "web") -> VerifyAnswer:
    """Answer one public question (see the module docstring); every question is logged, refused ones too.

    Raises ``RateLimited`` over a limit and ``DomainError`` (with the field) for malformed input.
    """
    now = clock.now()
    log = {"at": now, "ip": ip, "user_agent": (user_agent or "")[:300], "channel": channel}
    try:
        kind, value = _question(mobile, membership_no)
    except DomainError:
        asked = (mobile or membership_no or "")[:64].replace("\x00", "")
        with transaction.atomic():
            limited = _limited(ip, "", now)
            VerifyQuery.objects.create(**log, kind="mobile" if mobile else "membership_no", value=asked,
                                       result=VerifyQuery.Result.LIMITED if limited else VerifyQuery.Result.INVALID)
        if limited:
            raise RateLimited() from None
        raise
    with transaction.atomic():
        limited = _limited(ip, value, now)
        if limited:
            VerifyQuery.objects.create(**log, kind=kind, value=value, result=VerifyQuery.Result.LIMITED)
        else:
            person = _find(kind, value)
            answer = _answer(person)
            VerifyQuery.objects.create(**log, kind=kind, value=value, person=person,
                                       result=VerifyQuery.Result.ACTIVE if answer.active
                                       else VerifyQuery.Result.NOT_ACTIVE)
    if limited:
        raise RateLimited()
    return answer
