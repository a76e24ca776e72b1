"""Demo data of events, loaded by ``sangathan demo`` after the organization (``people.demo_extensions``).

A few meetings this week and next (a state review meeting, a district meeting inviting its mandal
presidents, a live address), a state president's assembly tour with two big meetings planned and its rally
still missing, and a monthly tiffin series in the mandals of one district with last month's occurrences
partly recorded as held, so ``make run`` shows the calendar, a tour's parts and a "not held" list.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.events.models import Event, Series
from sangathan.events.services import event_create, event_record_held, series_create, tour_create
from sangathan.events.services.series import month_start
from sangathan.org.models import Position, Unit


def demo_has_data() -> bool:
    return Series.objects.exists()


def _at(days: int, hour: int) -> datetime:
    day = clock.today() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _president(unit: Unit):
    position = Position.objects.current().filter(unit=unit, post__code="president").select_related("person").first()
    return position.person if position else None


def demo_load(*, scale: str, seed: int, log) -> list:
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    district = Unit.objects.filter(level="district").order_by("path").first()
    if state is None or district is None:
        return []
    scope = Scope.system(channel="demo")
    with transaction.atomic():
        event_create(scope=scope, kind="review", title="प्रदेश पदाधिकारियों की समीक्षा बैठक", unit=state,
                     starts_at=_at(2, 11), organizer=_president(state), invite_rule={"levels": ["state"]},
                     allow_clash=True)
        event_create(scope=scope, kind="meeting", title=f"{district.name_hi}: मंडल अध्यक्षों की बैठक", unit=district,
                     starts_at=_at(4, 12), organizer=_president(district),
                     invite_rule={"posts": ["president"], "levels": ["mandal"]}, allow_clash=True)
        event_create(scope=scope, kind="live", title="मन की बात: सामूहिक श्रवण", unit=state, starts_at=_at(6, 11),
                     link="https://example.org/live", phone_in="1800-000-000", invite_rule={"everyone": True},
                     allow_clash=True)
        leader = _president(state)
        if leader is not None:
            tour = tour_create(scope=scope, kind="assembly", title="विधानसभा प्रवास", unit=district, leader=leader,
                               starts_on=clock.today() + timedelta(days=8), ends_on=clock.today() + timedelta(days=9),
                               allow_clash=True)
            for hour, title in ((11, "कार्यकर्ता बैठक"), (16, "प्रबुद्धजन बैठक")):
                event_create(scope=scope, kind="meeting", title=title, unit=district, starts_at=_at(8, hour),
                             tour=tour, allow_clash=True)
        first = month_start(clock.today().replace(day=1) - timedelta(days=1))
        series = series_create(scope=scope, kind="tiffin", title="टिफिन बैठक", unit=district, level="mandal",
                               starts_on=first, months=3)
        for occurrence in Event.objects.filter(series=series, period=first).order_by("unit_path")[::2]:
            event_record_held(scope=scope, event=occurrence, held_on=first + timedelta(days=14), attendance_count=25)
    log("Events: meetings, a live address, an assembly tour and a monthly tiffin series.")
    return []


def demo_logins() -> list:
    return []
