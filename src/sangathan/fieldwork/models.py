"""Field data drives (बूथ विस्तारक योजना): a drive's form, vistaraks' booths, targets and plans, and the
records phones send — each kept under its client UUID so a re-send never creates anything twice.

Every hot table carries the path of its booth (``unit_path``), so "everything under this district" is one
range scan, as elsewhere.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangathan.core.models import TimeStampedModel
from sangathan.fieldwork.enums import DriveStatus, FlagKind, Outcome


class Drive(TimeStampedModel):
    """A drive run by ``unit`` over its subtree between two dates, with the form its vistaraks fill."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="drives", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    starts_on = models.DateField(verbose_name=_("start date"))
    ends_on = models.DateField(verbose_name=_("end date"))
    # Which person fields the form asks (besides name and mobile, always asked), and extra questions
    # ({"code", "label", "kind": text|number|yes_no, "required"}), answered into FieldRecord.answers.
    person_fields = models.JSONField(default=list, blank=True, verbose_name=_("person fields"))
    questions = models.JSONField(default=list, blank=True, verbose_name=_("extra questions"))
    consent_text = models.TextField(verbose_name=_("consent text"))
    otp_required = models.BooleanField(default=False, verbose_name=_("code to the worker's mobile required"))
    status = models.CharField(max_length=10, choices=DriveStatus.choices, default=DriveStatus.ACTIVE,
                              verbose_name=_("status"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("field data drive")
        verbose_name_plural = _("field data drives")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["unit_path"], name="fieldwork_drive_path_like",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="fieldwork_drive_end_after_start")]

    def __str__(self):
        return self.name


class BoothTarget(TimeStampedModel):
    """How many workers a drive should record at one booth, and where the booth is (org.Unit has no
    coordinates), for the "far from the booth" check."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="booth_targets",
                              verbose_name=_("drive"))
    booth = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("booth"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    target = models.PositiveIntegerField(default=0, verbose_name=_("target"))
    lat = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    lng = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))

    class Meta:
        verbose_name = _("booth target")
        verbose_name_plural = _("booth targets")
        constraints = [models.UniqueConstraint(fields=["drive", "booth"], name="fieldwork_target_unique")]
        indexes = [models.Index(fields=["drive", "unit_path"], name="fieldwork_target_path",
                                opclasses=["", "varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.booth_id}: {self.target}"


class Assignment(TimeStampedModel):
    """A vistarak sent to a mandal or a booth for a drive; they write only under the assigned units."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("drive"))
    vistarak = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("vistarak"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("login"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    grant = models.ForeignKey("access.ScopeGrant", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("access grant"))

    class Meta:
        verbose_name = _("vistarak assignment")
        verbose_name_plural = _("vistarak assignments")
        constraints = [models.UniqueConstraint(fields=["drive", "user", "unit"], name="fieldwork_assignment_unique")]
        indexes = [models.Index(fields=["drive", "user"], name="fieldwork_assignment_user")]

    def __str__(self):
        return f"{self.vistarak_id} @ {self.unit_id}"


class DailyPlan(TimeStampedModel):
    """Which booth a vistarak means to cover on which day, and how many workers."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="plans",
                                   verbose_name=_("assignment"))
    day = models.DateField(verbose_name=_("day"))
    booth = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("booth"))
    planned = models.PositiveIntegerField(default=0, verbose_name=_("planned workers"))

    class Meta:
        verbose_name = _("daily plan")
        verbose_name_plural = _("daily plans")
        constraints = [models.UniqueConstraint(fields=["assignment", "day", "booth"], name="fieldwork_plan_unique")]

    def __str__(self):
        return f"{self.day} {self.booth_id}: {self.planned}"


class FieldRecord(TimeStampedModel):
    """One record a phone sent, under its client UUID (unique: a re-send or a concurrent copy finds this row).

    ``version`` is the phone's edit counter: the same version again is a re-send and gets the stored
    answer; a higher one is a correction or an edit and is processed again.
    """

    client_uuid = models.UUIDField(unique=True, verbose_name=_("client ID"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    # No index of their own: every index below starts with the drive or the vistarak (a record costs an entry
    # in each index, and a phone's batch writes fifty).
    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="records", verbose_name=_("drive"),
                              db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("vistarak"), db_index=False)
    booth = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("booth"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="field_records", verbose_name=_("person"))
    outcome = models.CharField(max_length=10, choices=Outcome.choices, verbose_name=_("outcome"))
    errors = models.JSONField(default=dict, blank=True, verbose_name=_("errors"))
    data = models.JSONField(default=dict, verbose_name=_("fields as sent"))
    answers = models.JSONField(default=dict, blank=True, verbose_name=_("answers"))
    mobile = models.CharField(max_length=20, blank=True, verbose_name=_("mobile"))
    epic = models.CharField(max_length=20, blank=True, verbose_name=_("voter ID"))
    captured_at = models.DateTimeField(verbose_name=_("captured at"))
    consent = models.BooleanField(default=False, verbose_name=_("consent given"))
    lat = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    lng = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))
    accuracy = models.FloatField(null=True, blank=True, verbose_name=_("accuracy (m)"))
    device_id = models.CharField(max_length=64, blank=True, verbose_name=_("device"))
    otp_verified = models.BooleanField(default=False, verbose_name=_("code checked"))
    photo = models.ImageField(upload_to="fieldwork/%Y/%m/", blank=True, verbose_name=_("photo"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("reviewed by"), db_index=False)

    class Meta:
        verbose_name = _("field record")
        verbose_name_plural = _("field records")
        indexes = [
            models.Index(fields=["drive", "unit_path"], name="fieldwork_record_path",
                         opclasses=["", "varchar_pattern_ops"]),
            # The value first: the flags look each value up alone (``services.flags.signs_sql``).
            models.Index(fields=["mobile", "drive"], name="fieldwork_record_mobile"),
            models.Index(fields=["epic", "drive"], name="fieldwork_record_epic"),
            models.Index(fields=["user", "captured_at"], name="fieldwork_record_user_time"),
            # Only the few reviewed records (a removed login's reviews are looked up by it).
            models.Index(fields=["reviewed_by"], condition=models.Q(reviewed_by__isnull=False),
                         name="fieldwork_record_reviewer"),
        ]

    def __str__(self):
        return str(self.client_uuid)


class DeviceUse(models.Model):
    """Which vistaraks' records came from a device in a drive: one row per (drive, device, vistarak), written
    by the sync. The "one device for many vistaraks" sign asks this table for the device's other vistaraks:
    a few rows, where the records' own rows would be every record the vistarak ever sent from it."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="+", verbose_name=_("drive"),
                              db_index=False)  # the unique index begins with it
    device_id = models.CharField(max_length=64, verbose_name=_("device"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("vistarak"), db_index=False)
    first_at = models.DateTimeField(verbose_name=_("first record at"))

    class Meta:
        verbose_name = _("device use")
        verbose_name_plural = _("device uses")
        constraints = [models.UniqueConstraint(fields=["drive", "device_id", "user"], name="fieldwork_device_use")]

    def __str__(self):
        return f"{self.device_id}: {self.user_id}"


class RecordFlag(models.Model):
    """A sign that a record may be fake; counted on the dashboard, weighting the re-verification sample."""

    record = models.ForeignKey(FieldRecord, on_delete=models.CASCADE, related_name="flags", verbose_name=_("record"))
    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="+", verbose_name=_("drive"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    kind = models.CharField(max_length=20, choices=FlagKind.choices, verbose_name=_("kind"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    class Meta:
        verbose_name = _("record flag")
        verbose_name_plural = _("record flags")
        constraints = [models.UniqueConstraint(fields=["record", "kind"], name="fieldwork_flag_unique")]

    def __str__(self):
        return f"{self.record_id}: {self.kind}"


class CaptureCode(models.Model):
    """A one-time code sent (through the outbox) to the worker's own mobile while the vistarak records them."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="+", verbose_name=_("drive"))
    client_uuid = models.UUIDField(verbose_name=_("client ID"))
    mobile = models.CharField(max_length=20, verbose_name=_("mobile"))
    code_hash = models.CharField(max_length=64, verbose_name=_("code hash"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    tries = models.PositiveSmallIntegerField(default=0, verbose_name=_("tries"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("capture code")
        verbose_name_plural = _("capture codes")
        indexes = [models.Index(fields=["client_uuid"], name="fieldwork_code_client")]

    def __str__(self):
        return f"{self.client_uuid}"


class PhotoUpload(TimeStampedModel):
    """A resumable upload (tus-like: the client asks the offset and PATCHes the rest) of a record's photo."""

    client_uuid = models.UUIDField(verbose_name=_("record's client ID"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("vistarak"))
    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="+", verbose_name=_("drive"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    offset = models.PositiveIntegerField(default=0, verbose_name=_("received"))
    data = models.BinaryField(default=b"", verbose_name=_("bytes so far"))
    done = models.BooleanField(default=False, verbose_name=_("done"))

    class Meta:
        verbose_name = _("photo upload")
        verbose_name_plural = _("photo uploads")
        constraints = [models.UniqueConstraint(fields=["client_uuid"], name="fieldwork_upload_once")]

    def __str__(self):
        return f"{self.client_uuid} {self.offset}/{self.size}"
