"""Per-provider token buckets shared by every worker: one ``ProviderBucket`` row per provider.

The bucket holds at most ``rate`` tokens (one second's worth) and refills at ``rate`` a second. Workers
take tokens inside their claim transaction under ``select_for_update``, so two workers never spend the
same token; on SQLite the claim transaction is already the only writer.
"""

from django.db import transaction

from sangathan.messaging.conf import setting
from sangathan.messaging.models import ProviderBucket


def provider_rate(provider: str) -> float:
    return float(setting("SANGATHAN_MESSAGING_RATE_LIMITS").get(provider, 0)) or float("inf")


def tokens_take(*, provider: str, wanted: int, now) -> int:
    """Take up to ``wanted`` tokens from ``provider``'s bucket; returns how many were granted."""
    rate = provider_rate(provider)
    if rate == float("inf"):
        return wanted
    with transaction.atomic():
        bucket, created = ProviderBucket.objects.select_for_update().get_or_create(
            provider=provider, defaults={"tokens": rate, "updated_at": now}
        )
        elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
        available = min(rate, bucket.tokens + elapsed * rate)
        granted = min(wanted, int(available))
        bucket.tokens = available - granted
        # Never move the clock back: a worker passing an older ``now`` must not mint tokens twice.
        bucket.updated_at = max(now, bucket.updated_at)
        bucket.save(update_fields=["tokens", "updated_at"])
    return granted
