from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


def in_language(name_hi: str, name_en: str) -> str:
    """The English name when the active language is English and one exists, else the Hindi name."""
    return name_en if (get_language() or "hi").startswith("en") and name_en else name_hi


class BilingualNameMixin:
    """``name`` of a model with ``name_hi`` and ``name_en``, in the reader's language."""

    @property
    def name(self) -> str:
        return in_language(self.name_hi, self.name_en)


class LabelledModel(models.Model):
    """Configurable vocabulary (levels, posts, wings): a stable code plus Hindi and English labels."""

    code = models.SlugField(max_length=40, unique=True, verbose_name=_("code"))
    name_hi = models.CharField(max_length=120, verbose_name=_("name in Hindi"))
    name_en = models.CharField(max_length=120, verbose_name=_("name in English"))

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name_hi, self.name_en)


class RateCounter(models.Model):
    """One fixed window of one rate limit (``core.ratelimit``): hits counted by an atomic upsert, so every
    web process shares the count. Windows past ``expires_at`` are deleted by the ``prune_rate_counters`` job."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField(help_text="Start of the window, in seconds since the epoch.")
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="core_ratecounter_window")]
        indexes = [models.Index(fields=["expires_at"], name="core_ratecounter_expires")]

    def __str__(self):
        return f"{self.key} @{self.window_start}: {self.hits}"


class ReferenceStamp(models.Model):
    """One row (``pk=1``) whose ``token`` changes, to a new random value, in the same transaction as every
    change of a reference table a process keeps in memory (levels, committee types: ``core.reference``).
    A process compares it with the token its copy was read at, so no process serves a copy older than the
    last committed change; random rather than counted, so a rolled-back change never reuses a token."""

    token = models.BigIntegerField(default=0)

    def __str__(self):
        return f"reference stamp {self.token}"
