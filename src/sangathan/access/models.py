"""Accounts, API tokens, explicit grants and the audit log of reads."""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangathan.org.enums import Grant


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, mobile, password=None, **extra):
        user = self.model(mobile=mobile, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, mobile, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(mobile, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Users log in with their mobile number; ``person`` ties them to the registry."""

    mobile = models.CharField(_("mobile"), max_length=16, unique=True)
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user",
        verbose_name=_("person"),
    )
    display_name = models.CharField(max_length=150, blank=True, verbose_name=_("display name"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    is_staff = models.BooleanField(default=False, verbose_name=_("staff status"))
    date_joined = models.DateTimeField(default=timezone.now, verbose_name=_("date joined"))

    objects = UserManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.mobile


class ScopeGrant(models.Model):
    """An explicit grant for staff: a district data operator, a state administrator.

    It covers the subtree of ``unit`` (or of every assembly of ``overlay``) until ``expires_at``.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scope_grants", verbose_name=_("user"))
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("unit"))
    overlay = models.ForeignKey("org.Overlay", null=True, blank=True, on_delete=models.CASCADE,
                                verbose_name=_("area group"))
    grant = models.CharField(max_length=10, choices=Grant.choices, default=Grant.READ, verbose_name=_("access"))
    reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason"))
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("granted by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires at"))
    # A grant is revoked, never deleted, so who had access when stays known.
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("revoked by"))
    revoke_reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason for revoking"))

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, overlay__isnull=True)
                    | models.Q(unit__isnull=True, overlay__isnull=False)
                ),
                name="access_scopegrant_unit_xor_overlay",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.unit or self.overlay} ({self.grant})"


class ApiToken(models.Model):
    """A bearer token for integrations. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key hash"))
    prefix = models.CharField(max_length=8, verbose_name=_("key prefix"))
    name = models.CharField(max_length=100, blank=True, verbose_name=_("token name"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditLog(models.Model):
    """Reads of personal data and other sensitive actions: who, what, whom, when, from where.

    ``action`` is a code from ``AuditLog.Action`` or one an app registers with ``audit_actions_register``
    (so a new action needs no migration); its label comes from ``audit_action_label``.
    """

    class Action(models.TextChoices):
        PERSON_VIEW = "person.view", _("Viewed a person's record")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login.failed", _("Failed login")
        TOKEN_ISSUED = "token.issued", _("API token issued")
        EXPORT = "export", _("Exported")
        BROADCAST_SEND = "broadcast.send", _("Sent a broadcast")
        IMPORT = "import", _("Imported")
        PERSON_MERGE = "person.merge", _("Merged two records")
        PERSON_ERASE = "person.erase", _("Erased a person's data")
        PERSON_DATA_EXPORT = "person.data_export", _("Exported a person's own data")
        VERIFY_QUERY = "verify.query", _("Public cross-check")
        GRIEVANCE_VIEW = "grievance.view", _("Viewed a grievance")
        CALL_LIST_VIEW = "calls.view", _("Viewed a call list")

    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("done by"))
    action = models.CharField(max_length=40, verbose_name=_("action"))
    target_type = models.CharField(max_length=40, blank=True, verbose_name=_("record type"))
    target_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("record ID"))
    unit_path = models.CharField(max_length=64, blank=True, verbose_name=_("unit path"))
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("time"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    user_agent = models.CharField(max_length=300, blank=True, verbose_name=_("browser"))
    channel = models.CharField(max_length=10, blank=True, verbose_name=_("channel"))  # web, api, cli
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="access_audit_target"),
            models.Index(fields=["actor", "at"], name="access_audit_actor"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type} {self.target_id or ''}".rstrip()


_AUDIT_LABELS: dict[str, object] = {}


def audit_actions_register(labels: dict[str, object]) -> None:
    """Apps declare the audit codes their actions write, with a (lazy) label: ``{"broadcast.pause": _("…")}``."""
    _AUDIT_LABELS.update(labels)


def audit_action_label(code: str):
    for value, label in AuditLog.Action.choices:
        if value == code:
            return label
    return _AUDIT_LABELS.get(code, code)


def audit_action_codes() -> list[str]:
    return [*AuditLog.Action.values, *_AUDIT_LABELS]


class LoginCode(models.Model):
    """A one-time code to set a password: sent when the office creates or resets a login, or asked for by
    the user ("forgot password"). Only a hash is kept. Every request is a row, also for a number with no
    login (``user`` empty, nothing sent): the rate limits count rows, so they hold across processes and
    answer a known and an unknown number alike."""

    class Purpose(models.TextChoices):
        SETUP = "setup", _("New login")
        RESET = "reset", _("Password reset by the office")
        SELF = "self", _("Forgotten password")

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="login_codes")
    mobile = models.CharField(max_length=16)  # as asked for (normalized); the code went there if ``user``
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["mobile", "created_at"], name="access_logincode_mobile"),
            models.Index(fields=["ip", "created_at"], name="access_logincode_ip"),
        ]

    def __str__(self):
        return f"{self.mobile} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
