"""The registry of workers (कार्यकर्ता)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangathan.core.models import LabelledModel, TimeStampedModel
from sangathan.core.name_display import display_latin
from sangathan.people.enums import (
    ConsentMethod,
    FlagKind,
    Gender,
    PersonSource,
    PersonStatus,
    RelationKind,
    VerificationMethod,
)

NAME_MAX_LENGTH = 150
MEMBERSHIP_NO_MAX_LENGTH = 20


class Tag(LabelledModel):
    """A skill or interest a worker can be found by (computer, social media, legal, …)."""

    class Meta:
        ordering = ["code"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")


def photo_upload_to(instance, filename: str) -> str:
    """``people/photos/<yyyy>/<mm>/<random>.<ext>``: never the sender's file name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    now = timezone.now()
    return f"people/photos/{now:%Y/%m}/{secrets.token_hex(12)}.{extension}"


class Person(TimeStampedModel):
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, help_text=_("As entered, in either script."))
    name_latin = models.CharField(max_length=200, blank=True, verbose_name=_("name in Latin script"))
    name_key = models.CharField(max_length=200, blank=True, verbose_name=_("search key of the name"))
    relative_name = models.CharField(_("father's or husband's name"), max_length=NAME_MAX_LENGTH, blank=True)
    relative_name_key = models.CharField(max_length=200, blank=True,
                                         verbose_name=_("search key of the relative's name"))
    relation = models.CharField(max_length=10, choices=RelationKind.choices, default=RelationKind.FATHER,
                                verbose_name=_("relation"))
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True, default="",
                              verbose_name=_("gender"))
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("year of birth"))
    mobile = models.CharField(max_length=16, unique=True, help_text=_("E.164, e.g. +919826012345."),
                              verbose_name=_("mobile number"))
    epic = models.CharField(_("voter ID (EPIC)"), max_length=20, blank=True, default="")
    # No index of its own: (unit, status) below serves every lookup by unit (people.0013).
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="people", verbose_name=_("unit"),
                             db_index=False)
    # Copy of unit.path: every scoped read filters on it with one index range scan.
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    status = models.CharField(max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE,
                              verbose_name=_("status"))

    photo = models.FileField(_("photo"), upload_to=photo_upload_to, blank=True, max_length=200)
    alt_mobile = models.CharField(_("alternate mobile"), max_length=16, blank=True, default="")
    email = models.EmailField(_("email"), blank=True, default="")
    address = models.TextField(_("address"), blank=True, default="")
    occupation = models.CharField(_("occupation"), max_length=100, blank=True, default="")
    education = models.CharField(_("education"), max_length=100, blank=True, default="")
    tags = models.ManyToManyField(Tag, blank=True, related_name="people", verbose_name=_("skills and interests"))
    social = models.JSONField(_("social media"), default=dict, blank=True)  # {"facebook": "…", "x": "…"}
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    membership_no = models.CharField(_("membership number"), max_length=MEMBERSHIP_NO_MAX_LENGTH, blank=True,
                                     default="")
    source = models.CharField(_("source"), max_length=12, choices=PersonSource.choices,
                              default=PersonSource.MANUAL)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(_("consent given by"), max_length=10, choices=ConsentMethod.choices,
                                      blank=True, default="")
    consent_purposes = models.JSONField(_("consent given for"), default=list, blank=True)  # ["records", …]
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Indexed only where set (below): a full index over millions of NULLs would slow every insert.
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("verified by"), db_index=False)
    verified_method = models.CharField(_("verified by way of"), max_length=10, choices=VerificationMethod.choices,
                                       blank=True, default="")
    # Set when the person's details were erased on their request (people.erasure); the row stays for positions.
    erased_at = models.DateTimeField(null=True, blank=True, verbose_name=_("erased at"))

    class Meta:
        ordering = ["name_latin", "id"]
        indexes = [
            # A subtree's people in name order: the prefix filter and the sort key in one index (it also
            # serves every plain prefix filter on the path, so there is no index on the path alone).
            models.Index(fields=["unit_path", "name_latin", "id"], name="people_person_path_name",
                         opclasses=["varchar_pattern_ops", "", ""]),
            # A name search (people.search: the names found in people_searchname, then each name's people)
            # probes one name within a scope: the name, then the path prefix, so a district reads only its
            # own carriers of the name (people.0016). Big subtrees (a state, a division) are listed by
            # walking names in order, the ids of a name sorted as they come. The name key rides along so
            # that the search ranks from this index alone, without visiting the table.
            models.Index(fields=["name_latin", "unit_path", "id"], include=["name_key"],
                         name="people_person_name_path", opclasses=["", "varchar_pattern_ops", ""]),
            models.Index(fields=["unit", "status"], name="people_person_unit_status"),
            # "Verified people in this subtree": the prefix filter over the (few) verified rows only.
            models.Index(fields=["unit_path"], condition=Q(verified_at__isnull=False), name="people_person_verified",
                         opclasses=["varchar_pattern_ops"]),
            # Search and dedup look people up by their alternate mobile too (the few rows that have one).
            models.Index(fields=["alt_mobile"], condition=~Q(alt_mobile=""), name="people_person_alt_mobile"),
            models.Index(fields=["verified_by"], condition=Q(verified_by__isnull=False),
                         name="people_person_verified_by"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["epic"], condition=~Q(epic=""), name="people_person_epic_unique"),
            # Also the index for looking a member up by number (imports match on it).
            models.UniqueConstraint(fields=["membership_no"], condition=~Q(membership_no=""),
                                    name="people_person_membership_unique"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    @property
    def name_display_latin(self) -> str:
        """The name in Latin letters as people write it ("Khandelwal"); ``name_latin`` is the search form
        ("khandelaval"). A removed person has no key and keeps the stored placeholder."""
        return display_latin(self.name) if self.name_key else self.name_latin


class PersonHistory(models.Model):
    """One row per change to a person: who changed what, when, and the values before and after."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        STATUS = "status", _("Status changed")
        MERGED = "merged", _("Merged with another record")
        ERASED = "erased", _("Personal details erased")

    # No database constraint on the keys (migration 0018 says why); Django still cascades and nulls on delete.
    person = models.ForeignKey(Person, models.CASCADE, related_name="history", verbose_name=_("person"), db_constraint=False)
    action = models.CharField(max_length=20, choices=Action.choices, verbose_name=_("action"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("done by"), db_constraint=False)
    at = models.DateTimeField(default=timezone.now, verbose_name=_("time"))
    changes = models.JSONField(default=dict, blank=True, verbose_name=_("changes"))  # {field: [before, after]}
    # db_default too: the import writes history rows by COPY, naming its columns.
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("person history entry")
        verbose_name_plural = _("person history")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class PersonFlag(models.Model):
    """Something about a record that someone must look at: a wrong number reported by a caller, a
    suspected duplicate. At most one open flag of a kind per person; resolving keeps the row."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    note = models.CharField(max_length=500, blank=True)
    # What raised it, as "<app>.<model>:<id>" (e.g. "outreach.calllog:42"), so the flag can be explained.
    source = models.CharField(max_length=100, blank=True)
    # Copy of the person's unit_path: review lists are scoped like every other people read.
    unit_path = models.CharField(max_length=64)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path"], condition=Q(resolved_at__isnull=True), name="people_flag_open_path",
                         opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], condition=Q(resolved_at__isnull=True),
                                    name="people_flag_one_open_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class UnitHeadcount(models.Model):
    """People in each unit's subtree, kept current by every writer that adds, removes or moves people
    (``services.headcounts.headcount_add``) and recounted in full by ``headcounts_refresh``.

    Unit pages read these instead of counting the subtree's people on every view (docs/PERFORMANCE.md).
    ``computed_at``: the last full recount. Signed: writers add changes, which may be negative.
    """

    unit = models.OneToOneField("org.Unit", primary_key=True, on_delete=models.CASCADE, related_name="+")
    people = models.IntegerField()
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.unit_id}: {self.people}"


class PendingHeadcount(models.Model):
    """A change to the headcounts that an import's chunk committed but has not yet added to ``UnitHeadcount``.

    Adding to the headcount of every unit and ancestor a chunk touches costs more than its COPY of people
    once the chunk spans thousands of booths; the import writes its changes here instead, in the chunk's
    transaction, and folds them in every few chunks and at its end (``headcounts.headcounts_fold``), so no
    change is lost by a crash. ``headcounts_refresh`` counts the people and drops these rows together.
    """

    job = models.ForeignKey("people.ImportJob", on_delete=models.CASCADE, related_name="+", db_index=False)
    unit_path = models.CharField(max_length=64)
    people = models.IntegerField()

    def __str__(self):
        return f"{self.unit_path}: {self.people:+d}"


class DuplicateCandidate(models.Model):
    """A pair of records that probably describe one person, found by ``people.dedup``, for review.

    ``person_a`` has the lower id. ``reasons`` lists why (``mobile``: one's alternate mobile is the other's
    mobile; ``name``: same booth, similar name and father's/husband's name); ``score`` is 0–100.
    Dismissed pairs stay dismissed when the finder runs again; merged ones keep the merge that closed them.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Not the same person")
        MERGED = "merged", _("Merged")

    person_a = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    person_b = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    # Copies of both records' unit paths: a reviewer sees a pair only when their scope covers both.
    path_a = models.CharField(max_length=64)
    path_b = models.CharField(max_length=64)
    reasons = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    merge = models.ForeignKey("PersonMerge", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="people_dup_pair_unique"),
        ]
        indexes = [
            models.Index(fields=["path_a"], condition=Q(status="open"), name="people_dup_open_path",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score})"


class PersonMerge(models.Model):
    """One merge of two records: who merged, when, which record survived, and everything needed to explain
    it later (the merged record as it was, and which rows were moved, detached or dropped)."""

    survivor = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="merges")
    merged_id = models.BigIntegerField(db_index=True)
    merged_name = models.CharField(max_length=NAME_MAX_LENGTH)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(default=dict)  # the merged record's fields
    field_choices = models.JSONField(default=dict)  # {field: "survivor" | "merged"}
    references = models.JSONField(default=dict)  # {"app.model.field": {"moved": [ids], "detached": …, "dropped": …}}

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.merged_id} → {self.survivor_id}"


class VerifyQuery(models.Model):
    """One question to the public cross-check: who asked (address, browser), what, and the answer.

    The rate limits count these rows over a sliding window, so they hold across web processes.
    """

    class Result(models.TextChoices):
        ACTIVE = "active", _("Active worker")
        NOT_ACTIVE = "not_active", _("Not an active worker")
        INVALID = "invalid", _("Invalid question")
        LIMITED = "limited", _("Refused: too many questions")

    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=10)  # web, api
    kind = models.CharField(max_length=20)  # mobile, membership_no
    value = models.CharField(max_length=64)  # as normalized (E.164 for a mobile)
    result = models.CharField(max_length=12, choices=Result.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["ip", "at"], name="people_verify_ip_at"),
            models.Index(fields=["value", "at"], name="people_verify_value_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.result}"

def import_upload_to(instance, filename: str) -> str:
    return f"people/imports/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.{filename.rsplit('.', 1)[-1].lower()}"


class ImportJob(models.Model):
    """One import of a people file (CSV or XLSX): who, which file, how, how far, and what came of it.

    Rows are applied in chunks; each chunk's rows and this job's ``checkpoint`` (the data rows done so
    far) and counters are committed in one transaction, so a crash loses at most the chunk in progress
    and running the same file again (same hash, importer and mode) resumes after the checkpoint.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class OnMatch(models.TextChoices):
        UPDATE = "update", _("Update the existing record")
        SKIP = "skip", _("Leave the existing record")
        FLAG = "flag", _("Flag as a possible duplicate")

    class Channel(models.TextChoices):
        CLI = "cli", _("Command line")
        WEB = "web", _("Web")
        API = "api", _("API")

    file = models.FileField(upload_to=import_upload_to, blank=True, max_length=200)
    file_name = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64)   # sha256 of the bytes
    file_size = models.PositiveBigIntegerField(default=0)
    file_format = models.CharField(max_length=4)  # csv, xlsx
    header = models.JSONField(default=list, blank=True)  # the file's first row, for the error file
    importer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    on_match = models.CharField(max_length=10, choices=OnMatch.choices, default=OnMatch.UPDATE)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.CLI)
    # Limits the writes to a subtree when given (the console's --unit-root); else the importer's scope.
    unit_root = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    checkpoint = models.PositiveIntegerField(default=0)  # data rows fully applied (the next run starts after)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)  # time spent applying rows, over all runs

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["file_hash", "importer"], name="people_import_file")]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def done(self) -> int:
        return self.checkpoint

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.checkpoint * 100 // self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportRowError(models.Model):
    """A rejected row of an import: its line in the file, its cells, and every reason."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveIntegerField()  # line (CSV) or row (XLSX) number, the header being line 1
    values = models.JSONField(default=list)
    reasons = models.JSONField(default=list)  # ["mobile: This is not a valid mobile number.", …]

    class Meta:
        ordering = ["job", "line"]
        constraints = [models.UniqueConstraint(fields=["job", "line"], name="people_import_error_line")]

    def __str__(self):
        return f"{self.job_id}:{self.line}"


class VerificationCode(models.Model):
    """A one-time code sent to a person's own mobile to verify it. Only a hash is kept; a code is good for
    ``people.verification.CODE_TTL``, for ``MAX_ATTEMPTS`` tries, once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="verification_codes")
    code_hash = models.CharField(max_length=64)
    mobile = models.CharField(max_length=16)  # the number it was sent to (the record may change meanwhile)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"], name="people_vcode_person")]

    def __str__(self):
        return f"{self.person_id} {self.created_at:%Y-%m-%d %H:%M}"


class NumberingKey(models.Model):
    """The secret that scrambles generated membership numbers (``people.numbers``). Written once by
    migration ``people.0011_membership_numbering_key`` and never changed: every process reads the same row,
    and a new key could give a new record a number an older record already has."""

    key = models.CharField(max_length=64)

    def __str__(self):
        return "membership numbering key"
