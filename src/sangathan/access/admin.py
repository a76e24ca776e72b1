"""Admin for accounts, grants, tokens and the audit log."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _

from sangathan.access.models import ApiToken, AuditLog, ScopeGrant, User
from sangathan.access.services import USER_FIELDS, ScopeGrantCreate, ScopeGrantRevoke, UserCreate, UserUpdate
from sangathan.core.admin import ReadOnlyAdmin, ScopedAdminMixin, ServiceAdminMixin
from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile

admin.site.site_header = _("Sangathan administration")
admin.site.site_title = _("Sangathan administration")
admin.site.index_title = _("Records and settings")


class UserAddForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("mobile", "display_name", "person", "is_staff", "is_superuser")
        field_classes = {}

    def clean_mobile(self) -> str:
        try:
            mobile = normalize_mobile(self.cleaned_data["mobile"])
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        if User.objects.filter(mobile=mobile).exists():
            raise forms.ValidationError(_("An account with this mobile number exists."), code="duplicate")
        return mobile


class UserChangeForm(BaseUserChangeForm):
    class Meta(BaseUserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {}


@admin.register(User)
class UserAdmin(ScopedAdminMixin, ServiceAdminMixin, BaseUserAdmin):
    """Accounts through ``UserCreate`` and ``UserUpdate``: flags, groups and permissions are a superuser's,
    and every change leaves an audit row with the values before and after."""

    scope_path_field = "person__unit_path"
    form = UserChangeForm
    add_form = UserAddForm
    fieldsets = (
        (None, {"fields": ("mobile", "password", "display_name", "person")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("mobile", "display_name", "person", "usable_password",
                                                 "password1", "password2", "is_staff", "is_superuser")}),
    )
    list_display = ("mobile", "display_name", "person", "is_active", "is_staff", "is_superuser", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("mobile", "display_name")
    ordering = ("mobile",)
    raw_id_fields = ("person",)
    readonly_fields = ("last_login", "date_joined")
    list_select_related = ("person",)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "mobile") if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: audit rows and history name the account

    def action_create(self, request, data):
        usable = data.get("usable_password", True) not in (False, "false")
        return UserCreate(scope=request.scope, mobile=data["mobile"],
                          password=data.get("password1") if usable else None, person=data.get("person"),
                          display_name=data.get("display_name", ""), is_staff=data.get("is_staff", False),
                          is_superuser=data.get("is_superuser", False))

    def action_update(self, request, obj, data, changed):
        return UserUpdate(scope=request.scope, user=obj,
                          changes={name: data[name] for name in changed if name in USER_FIELDS})

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were set by UserUpdate; the form must not write them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ScopeGrantRevokeForm(forms.ModelForm):
    """A live grant's page: tick "revoke" and say why."""

    revoke = forms.BooleanField(label=_("Revoke this grant"), required=False)

    class Meta:
        model = ScopeGrant
        fields = ("revoke_reason",)


@admin.register(ScopeGrant)
class ScopeGrantAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Grants through ``ScopeGrantCreate``; a live grant can only be revoked (tick "revoke", say why), never
    changed or deleted, so who had access when stays on record."""

    scope_path_field = "unit__path"  # overlay grants: superusers only
    list_display = ("user", "unit", "overlay", "grant", "reason", "granted_by", "created_at", "expires_at",
                    "revoked_at")
    list_filter = ("grant", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("user__mobile", "user__display_name", "unit__code", "overlay__code")
    autocomplete_fields = ("user", "unit", "overlay")
    list_select_related = ("user", "unit", "overlay", "granted_by")
    add_fields = ("user", "unit", "overlay", "grant", "reason", "expires_at")
    record_fields = (*add_fields, "granted_by", "created_at", "revoked_at", "revoked_by", "revoke_reason")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return self.record_fields if obj.revoked_at else (*self.record_fields, "revoke")

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and obj.revoked_at is None:
            kwargs["form"] = ScopeGrantRevokeForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.revoked_at:
            return self.record_fields
        return tuple(name for name in self.record_fields if name != "revoke_reason")

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return ScopeGrantCreate(scope=request.scope, user=data["user"], unit=data.get("unit"),
                                overlay=data.get("overlay"), grant=data["grant"], reason=data.get("reason", ""),
                                expires_at=data.get("expires_at"))

    def action_update(self, request, obj, data, changed):
        if not data.get("revoke"):
            raise DomainError(_("A grant cannot be changed: tick “Revoke this grant” to end it."),
                              field="revoke")
        return ScopeGrantRevoke(scope=request.scope, grant=obj, reason=data.get("revoke_reason", ""))


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "expires_at", "revoked_at")
    search_fields = ("prefix", "user__mobile")
    list_select_related = ("user",)
    exclude = ("key_hash",)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id", "unit_path", "channel", "ip")
    list_filter = ("action", "channel")
    search_fields = ("=target_id", "actor__mobile")
    list_select_related = ("actor",)
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        # Who read whose record is itself sensitive: superusers only.
        return request.user.is_active and request.user.is_superuser
