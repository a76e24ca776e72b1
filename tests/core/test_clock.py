from datetime import datetime, timedelta

from django.utils import timezone

from sangathan.core import clock as sangathan_clock


def test_the_clock_follows_real_time_until_set(clock):
    assert abs(sangathan_clock.now() - timezone.now()) < timedelta(seconds=5)
    at = clock.set(datetime(2026, 1, 20, 10, 30))
    assert sangathan_clock.now() == at and timezone.is_aware(at)
    clock.advance(days=8, hours=15)
    assert sangathan_clock.today().isoformat() == "2026-01-29"


def test_frozen_restores_real_time():
    with sangathan_clock.frozen(timezone.make_aware(datetime(2025, 5, 1, 9))):
        assert sangathan_clock.today().isoformat() == "2025-05-01"
    assert sangathan_clock.today() == timezone.localdate()
