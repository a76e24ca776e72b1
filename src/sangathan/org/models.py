"""The organization: its tree of units, overlays across the tree, and who holds which post where."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangathan.core.models import BilingualNameMixin, LabelledModel, TimeStampedModel
from sangathan.core.tree import depth_of
from sangathan.org.enums import Grant, OverlayKind, WingKind


class Level(LabelledModel):
    """A level of the tree (state … booth, page). ``rank`` orders them from the root."""

    rank = models.PositiveSmallIntegerField(unique=True, verbose_name=_("order"))

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["rank"]


class Unit(BilingualNameMixin, TimeStampedModel):
    """A node of the tree. ``path`` is the materialized path; a subtree is a path prefix."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent unit"))
    # unique=True also gives PostgreSQL a varchar_pattern_ops index, which serves the prefix scans.
    path = models.CharField(max_length=64, unique=True, verbose_name=_("path"))
    depth = models.PositiveSmallIntegerField(verbose_name=_("depth"))
    level = models.CharField(max_length=40, db_index=True, verbose_name=_("level"))
    code = models.CharField(max_length=40, unique=True, help_text=_("Stable code used by imports and APIs."),
                            verbose_name=_("code"))
    name_hi = models.CharField(max_length=200, verbose_name=_("name in Hindi"))
    name_en = models.CharField(max_length=200, blank=True, verbose_name=_("name in English"))
    # Children allotted so far: the next child's path segment. Kept on the row so adding a child is O(1).
    child_counter = models.PositiveIntegerField(default=0, verbose_name=_("child counter"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    # Booths in the subtree (itself included): kept by ``UnitCreate``, rebuilt by ``unit_booths_recount``,
    # so a page lists its children with their booths without grouping thousands of units per view.
    booth_count = models.PositiveIntegerField(default=0, db_default=0, verbose_name=_("booths below"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["level", "path"], name="org_unit_level_path"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.depth = depth_of(self.path)
        super().save(*args, **kwargs)


class Overlay(BilingualNameMixin, TimeStampedModel):
    """A set of units across the tree: a Lok Sabha seat (assemblies) or a cluster (Lok Sabha seats)."""

    kind = models.CharField(max_length=20, choices=OverlayKind.choices, verbose_name=_("kind"))
    code = models.CharField(max_length=40, unique=True, verbose_name=_("code"))
    name_hi = models.CharField(max_length=200, verbose_name=_("name in Hindi"))
    name_en = models.CharField(max_length=200, blank=True, verbose_name=_("name in English"))
    units = models.ManyToManyField(Unit, blank=True, related_name="overlays", verbose_name=_("units"))
    members = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="clusters",
                                     verbose_name=_("member area groups"))

    class Meta:
        verbose_name = _("area group")
        verbose_name_plural = _("area groups")
        ordering = ["kind", "code"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Wing(LabelledModel):
    kind = models.CharField(max_length=10, choices=WingKind.choices, default=WingKind.MORCHA,
                            verbose_name=_("kind"))

    class Meta:
        verbose_name = _("wing or cell")
        verbose_name_plural = _("wings and cells")


class Post(LabelledModel):
    """A post title (अध्यक्ष, प्रभारी …). ``grant`` decides what holding it gives over the unit's subtree."""

    grant = models.CharField(max_length=10, choices=Grant.choices, default=Grant.READ, verbose_name=_("access"))
    rank = models.PositiveSmallIntegerField(default=100, verbose_name=_("order"))

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["rank", "code"]


# The key under which a request's scope keeps its user's current positions (``PositionQuerySet.held_now``):
# one query gives the scope its roles and the page header its posts (``org_tags.current_positions``).
POSITIONS_MEMO = "org.current_positions"


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=day), start_date__lte=day)

    def held_now(self, person_id: int):
        """The person's current positions with their post, unit, area group and wing, latest first."""
        return (self.current().filter(person_id=person_id).select_related("post", "unit", "overlay", "wing")
                .order_by("-start_date"))


class Position(TimeStampedModel):
    """Person × post × unit (or overlay) × optional wing, for a period. Ended positions stay as history."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="positions",
                               verbose_name=_("person"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="positions", verbose_name=_("post"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="positions",
                             verbose_name=_("unit"))
    overlay = models.ForeignKey(
        Overlay, null=True, blank=True, on_delete=models.PROTECT, related_name="positions",
        verbose_name=_("area group")
    )
    wing = models.ForeignKey(Wing, null=True, blank=True, on_delete=models.PROTECT, related_name="positions",
                             verbose_name=_("wing or cell"))
    # The unit's path, copied so "office-bearers under this district" is one range scan.
    unit_path = models.CharField(max_length=64, blank=True, default="", verbose_name=_("unit path"))
    start_date = models.DateField(default=timezone.localdate, verbose_name=_("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    end_reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason for ending"))

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("office-bearer")
        verbose_name_plural = _("office-bearers")
        ordering = ["post__rank", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, overlay__isnull=True) | Q(unit__isnull=True, overlay__isnull=False)),
                name="org_position_unit_xor_overlay",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="org_position_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_path"], name="org_position_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["person", "end_date"], name="org_position_person_end"),
            models.Index(fields=["unit", "end_date"], name="org_position_unit_end"),
        ]

    def __str__(self):
        return f"{self.person} — {self.post} — {self.unit or self.overlay}"

    @property
    def place(self):
        return self.unit or self.overlay

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


class PositionHistory(models.Model):
    """Who appointed or relieved whom, when: one row per change to a position."""

    class Action(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        ENDED = "ended", _("Ended")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="history",
                                 verbose_name=_("office-bearer"))
    action = models.CharField(max_length=20, choices=Action.choices, verbose_name=_("action"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("done by"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("time"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("office-bearer history entry")
        verbose_name_plural = _("office-bearer history")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class OrgChange(models.Model):
    """History of the tree and its vocabulary: who created or changed a unit, an overlay, a level, a post or a
    wing, when, from which channel, with the values before and after. Positions keep ``PositionHistory``."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Changed")

    entity = models.CharField(max_length=20,
                              verbose_name=_("record type"))  # the model name: unit, overlay, level, post, wing
    entity_id = models.BigIntegerField(verbose_name=_("record ID"))
    action = models.CharField(max_length=20, choices=Action.choices, verbose_name=_("action"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+",
                              verbose_name=_("done by"))  # None: the system (a command, the demo loader)
    channel = models.CharField(max_length=10, blank=True, verbose_name=_("channel"))  # web, api, cli, task
    at = models.DateTimeField(default=timezone.now, verbose_name=_("time"))
    before = models.JSONField(default=dict, blank=True, verbose_name=_("before"))
    after = models.JSONField(default=dict, blank=True, verbose_name=_("after"))
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))

    class Meta:
        verbose_name = _("organization change")
        verbose_name_plural = _("organization changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["entity", "entity_id", "at"], name="org_change_entity")]

    def __str__(self):
        return f"{self.get_action_display()} {self.entity} {self.entity_id} {self.at:%Y-%m-%d}"
