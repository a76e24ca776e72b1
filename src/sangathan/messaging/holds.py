"""When a queued message must wait: quiet hours and the election silence window.

Quiet hours (``SANGATHAN_MESSAGING_QUIET_HOURS``, local time of settings.TIME_ZONE, default 21:00–08:00)
hold non-urgent SMS and WhatsApp until they end. The election silence (``SANGATHAN_ELECTION_SILENCE``, a
list of (start, end, unit path prefix) with "" for the whole installation) holds bulk messages to people
under the prefix until it ends: the law bars political bulk SMS in the last 48 hours before polling.
Transactional messages are not held by the silence. A held message stays queued with
``next_attempt_at`` at the end of the hold.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sangathan.messaging.conf import setting
from sangathan.messaging.models import Channel, MessageKind

QUIET_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _aware(value) -> datetime:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        raise ValueError(f"not a date and time: {value!r}")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def quiet_hours_end(now: datetime) -> datetime | None:
    """The end of the quiet hours ``now`` falls in, or None outside them."""
    window = setting("SANGATHAN_MESSAGING_QUIET_HOURS")
    if not window:
        return None
    start, end = _clock(window[0]), _clock(window[1])
    local = timezone.localtime(now)
    clock = local.time()
    if start <= end:
        inside = start <= clock < end
        end_day = local.date()
    else:  # the window crosses midnight
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return timezone.make_aware(datetime.combine(end_day, end), local.tzinfo)


def silence_windows() -> list[tuple[datetime, datetime, str]]:
    return [(_aware(start), _aware(end), prefix or "") for start, end, prefix in setting("SANGATHAN_ELECTION_SILENCE")]


def hold_until(message, now: datetime, *, windows=None) -> datetime | None:
    """When ``message`` may go if it must wait now, else None."""
    until = None
    if message.kind == MessageKind.BULK:
        for start, end, prefix in silence_windows() if windows is None else windows:
            if start <= now < end and message.unit_path.startswith(prefix):
                until = max(until or end, end)
    if not message.urgent and message.channel in QUIET_CHANNELS:
        quiet_end = quiet_hours_end(now)
        if quiet_end is not None:
            until = max(until or quiet_end, quiet_end)
    return until


def broadcast_holds(*, unit_path: str, channels, at: datetime) -> dict:
    """What would hold a broadcast's bulk messages to the subtree ``unit_path`` sent at ``at``: the quiet hours
    (their window and when this one ends) and the election silence windows covering some of its recipients
    (each with its end, and whether it covers the whole audience or a part). Empty values when nothing."""
    quiet = None
    window = setting("SANGATHAN_MESSAGING_QUIET_HOURS")
    if window and set(channels) & set(QUIET_CHANNELS):
        end = quiet_hours_end(at)
        if end is not None:
            quiet = {"start": window[0], "end": window[1], "until": end}
    silences = []
    for start, end, prefix in silence_windows():
        if end <= at:
            continue
        if unit_path.startswith(prefix) or prefix.startswith(unit_path):
            silences.append({"start": start, "until": end, "now": start <= at,
                             "whole": unit_path.startswith(prefix)})
    return {"quiet": quiet, "silences": silences}
