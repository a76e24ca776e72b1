from django.contrib import admin

from sangathan.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin, ServiceAdminMixin
from sangathan.grievances.models import (
    CellSettings,
    Department,
    Grievance,
    GrievanceEvent,
    Holiday,
    RoutingRule,
)
from sangathan.grievances.services import (
    CellSettingsUpdate,
    DepartmentCreate,
    DepartmentUpdate,
    HolidayAdd,
    RoutingRuleCreate,
    RoutingRuleSetActive,
)
from sangathan.grievances.services.config import SETTINGS_FIELDS

DEPARTMENT_FIELDS = ("code", "name_hi", "name_en", "external_system", "external_days", "minister", "is_active")


@admin.register(Department)
class DepartmentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Departments and their ministers, saved through the ``DepartmentCreate`` / ``DepartmentUpdate`` actions."""

    list_display = ("code", "name_hi", "name_en", "external_system", "external_days", "minister", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_hi", "name_en")
    raw_id_fields = ("minister",)
    fields = DEPARTMENT_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return DepartmentCreate(scope=request.scope,
                                **{k: data.get(k) for k in DEPARTMENT_FIELDS if k != "is_active"})

    def action_update(self, request, obj, data, changed):
        return DepartmentUpdate(scope=request.scope, department=obj,
                                changes={k: data.get(k) for k in changed if k in DEPARTMENT_FIELDS and k != "code"})


@admin.register(RoutingRule)
class RoutingRuleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Rules are added and switched on or off; a changed rule is a new rule."""

    list_display = ("kind", "department", "unit_level", "post", "wing", "role", "order", "is_active")
    list_filter = ("kind", "is_active")
    fields = ("kind", "department", "unit_level", "post", "wing", "role", "order", "is_active")

    def get_readonly_fields(self, request, obj=None):
        return ("kind", "department", "unit_level", "post", "wing", "role", "order") if obj else ("is_active",)

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return RoutingRuleCreate(scope=request.scope, kind=data["kind"], post=data["post"],
                                 unit_level=data["unit_level"], wing=data.get("wing"),
                                 department=data.get("department"), role=data["role"], order=data["order"])

    def action_update(self, request, obj, data, changed):
        return RoutingRuleSetActive(scope=request.scope, rule=obj, is_active=data["is_active"])


@admin.register(Holiday)
class HolidayAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("date", "name_hi", "name_en")
    fields = ("date", "name_hi", "name_en")

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else ()

    def action_create(self, request, data):
        return HolidayAdd(scope=request.scope, on=data["date"], name_hi=data["name_hi"],
                          name_en=data.get("name_en", ""))


@admin.register(CellSettings)
class CellSettingsAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("district_days", "state_days", "minister_days", "confirmation_days", "state_assignment")
    fields = SETTINGS_FIELDS

    def has_add_permission(self, request):
        return not CellSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return CellSettingsUpdate(scope=request.scope, changes={k: data[k] for k in SETTINGS_FIELDS})

    def action_update(self, request, obj, data, changed):
        return CellSettingsUpdate(scope=request.scope, changes={k: data[k] for k in changed if k in SETTINGS_FIELDS})


class EventInline(ReadOnlyInline):
    model = GrievanceEvent
    fields = ("at", "kind", "actor", "public", "text", "status", "level")
    readonly_fields = fields


@admin.register(Grievance)
class GrievanceAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Grievances are changed on the cell's pages and through the API, never by hand here."""

    list_display = ("tracking_code", "subject", "status", "level", "kind", "department", "due_at", "created_at")
    list_filter = ("status", "level", "kind")
    search_fields = ("tracking_code", "complainant_mobile")
    list_select_related = ("department",)
    raw_id_fields = ("complainant", "named_person", "unit", "district", "duplicate_of")
    inlines = [EventInline]
    show_full_result_count = False
