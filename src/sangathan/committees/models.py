"""Committees of units and what makes them complete (issue 12).

A ``CommitteeType`` is data: the level it belongs to, its size range, the posts it must fill and its
composition rules (``enums.RuleKind``). A ``Committee`` is one body of a unit; its members are seats
(``CommitteeMember``) that end rather than disappear, and every change leaves a ``CommitteeHistory`` row.
``is_complete`` and ``reasons`` are recomputed by every action, so completeness over a subtree is a
``GROUP BY`` on ``unit_path`` and never a per-unit check. Pages of a booth are units (``level="page"``);
``Page`` holds their voter-list number and voter count.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangathan.committees.enums import Category, CommitteeStatus, HistoryAction
from sangathan.core.models import LabelledModel, TimeStampedModel
from sangathan.core.tree import SEGMENT


class CommitteeType(LabelledModel):
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.COMMITTEE,
                                verbose_name=_("category"))
    level = models.CharField(max_length=40, help_text=_("The unit level this committee belongs to."),
                             verbose_name=_("level"))
    min_members = models.PositiveSmallIntegerField(default=1, verbose_name=_("minimum members"))
    max_members = models.PositiveSmallIntegerField(default=50, verbose_name=_("maximum members"))
    required_posts = models.JSONField(default=list, blank=True, verbose_name=_("required posts"))  # post codes
    rules = models.JSONField(default=list, blank=True,
                             verbose_name=_("rules"))  # [{"kind": "min_women", "n": 3}, ...]
    rank = models.PositiveSmallIntegerField(default=100, verbose_name=_("order"))

    class Meta:
        verbose_name = _("committee type")
        verbose_name_plural = _("committee types")
        ordering = ["rank", "code"]


class Committee(TimeStampedModel):
    """A committee of a unit (a booth committee, a page's in-charge and committee, a management committee,
    an election office). At most one active committee of a type per unit; a dissolved one stays as history."""

    type = models.ForeignKey(CommitteeType, on_delete=models.PROTECT, related_name="committees",
                             verbose_name=_("committee type"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="committees",
                             verbose_name=_("unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    status = models.CharField(max_length=10, choices=CommitteeStatus.choices, default=CommitteeStatus.ACTIVE,
                              verbose_name=_("status"))
    formed_on = models.DateField(default=timezone.localdate, verbose_name=_("formed on"))
    dissolved_on = models.DateField(null=True, blank=True, verbose_name=_("dissolved on"))
    convener = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="convened_committees", verbose_name=_("convener"))
    # Election offices.
    address = models.CharField(max_length=300, blank=True, verbose_name=_("address"))
    phone = models.CharField(max_length=16, blank=True, verbose_name=_("phone number"))
    active_since = models.DateField(null=True, blank=True, verbose_name=_("active since"))
    # Kept by every action: the current verdict and why (reason codes with parameters).
    member_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("number of members"))
    is_complete = models.BooleanField(default=False, verbose_name=_("complete"))
    reasons = models.JSONField(default=list, blank=True, verbose_name=_("reasons"))

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["unit_path", "type__rank"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "type"], condition=Q(status="active"),
                                    name="committees_one_active_per_unit_type"),
        ]
        indexes = [
            models.Index(fields=["unit_path"], name="committees_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["type", "status", "unit_path"], name="committees_type_status_path"),
        ]

    def __str__(self):
        return f"{self.type.name_hi} — {self.unit.name_hi}"

    @property
    def is_active(self) -> bool:
        return self.status == CommitteeStatus.ACTIVE

    @property
    def members_path(self) -> str:
        """Where its members must be registered: the unit's subtree, or for a page the booth's (voters and
        workers are registered at the booth, not at a page of its list)."""
        if self.type.category == Category.PAGE:
            return self.unit_path[:-SEGMENT]
        return self.unit_path


class CommitteeMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


class CommitteeMember(TimeStampedModel):
    """A seat: a person on a committee, with the post they hold there (or plain member) and the wing they
    come from. Removing ends the seat; the row stays."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats",
                                  verbose_name=_("committee"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="committee_seats",
                               verbose_name=_("person"))
    post = models.ForeignKey("org.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("post"))
    wing = models.ForeignKey("org.Wing", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("wing or cell"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    start_date = models.DateField(default=timezone.localdate, verbose_name=_("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["post__rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], condition=Q(end_date__isnull=True),
                                    name="committees_one_current_seat"),
        ]
        indexes = [models.Index(fields=["person", "end_date"], name="committees_seat_person")]

    def __str__(self):
        return f"{self.person} — {self.committee}"


class CommitteeHistory(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="history",
                                  verbose_name=_("committee"))
    action = models.CharField(max_length=20, choices=HistoryAction.choices, verbose_name=_("action"))
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("person"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("done by"))
    channel = models.CharField(max_length=10, blank=True, verbose_name=_("channel"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("time"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("committee history entry")
        verbose_name_plural = _("committee history")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class Page(models.Model):
    """A voter-list page of a booth: the page unit's number and voter count."""

    unit = models.OneToOneField("org.Unit", primary_key=True, on_delete=models.CASCADE, related_name="page")
    booth = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    voters = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["booth", "number"]
        constraints = [models.UniqueConstraint(fields=["booth", "number"], name="committees_page_number")]

    def __str__(self):
        return f"{self.booth_id}/{self.number}"


class PageCheck(TimeStampedModel):
    """A verification call to a page in-charge: is the page committee working for real? The answers
    score the page committee (``status``); the share of working ones is a completeness figure."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Call pending")
        WORKING = "working", _("Working")
        NOT_WORKING = "not_working", _("Not working")
        UNREACHED = "unreached", _("Not reached")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="checks")
    incharge = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    caller = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    call = models.OneToOneField("outreach.CallAssignment", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="page_check")
    unit_path = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    answers = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("page check")
        verbose_name_plural = _("page checks")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["unit_path"], name="committees_check_path",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.committee_id} {self.status}"


class PageTally(models.Model):
    """Per booth and page-level committee type: its pages, the committees formed on them and how many are
    complete. Pages are ~30 a booth (2 million in a state), so the state's completeness reads ~65,000 of
    these rows instead of every page and page committee. Kept by the committee actions and ``pages_create``
    (``committees.tally``) and rebuilt in full by a nightly job (which also catches pages deactivated by hand)."""

    booth = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    booth_path = models.CharField(max_length=64)
    type = models.ForeignKey(CommitteeType, on_delete=models.CASCADE, related_name="+")
    pages = models.PositiveIntegerField(default=0)
    formed = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booth", "type"], name="committees_tally_booth_type")]
        indexes = [models.Index(fields=["booth_path"], name="committees_tally_path",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.booth_path} {self.type_id}: {self.complete}/{self.formed}/{self.pages}"
