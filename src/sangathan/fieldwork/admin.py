"""Staff repairs of field data drives. Drives, booth targets, assignments and plans are written through the
app's actions (``services.drives``), so the admin validates, checks scope and audits as the pages and the
API do; records, flags, capture codes and uploads are what phones sent: read-only, scoped."""

from django.contrib import admin

from sangathan.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin, ServiceAdminMixin
from sangathan.fieldwork.models import (
    Assignment,
    BoothTarget,
    CaptureCode,
    DailyPlan,
    Drive,
    FieldRecord,
    PhotoUpload,
    RecordFlag,
)
from sangathan.fieldwork.services import BoothTargetSet, DriveCreate, DriveUpdate, PlanSet, VistarakAssign

DRIVE_FIELDS = ("name", "unit", "starts_on", "ends_on", "consent_text", "person_fields", "questions", "otp_required")
# Admin form field → the action's parameter.
DRIVE_PARAMS = {"name": "title", "starts_on": "starts_on", "ends_on": "ends_on", "consent_text": "consent_text",
                "person_fields": "person_fields", "questions": "questions", "otp_required": "otp_required"}


@admin.register(Drive)
class DriveAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Started with ``DriveCreate``, changed with ``DriveUpdate``; its unit stays once started."""

    list_display = ("name", "unit", "starts_on", "ends_on", "status", "otp_required")
    list_filter = ("status", "otp_required")
    search_fields = ("name",)
    autocomplete_fields = ("unit",)
    fields = DRIVE_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return ("unit",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return DriveCreate(scope=request.scope, unit=data["unit"],
                           **{param: data.get(name) for name, param in DRIVE_PARAMS.items()})

    def action_update(self, request, obj, data, changed):
        return DriveUpdate(scope=request.scope, drive=obj,
                           changes={DRIVE_PARAMS[k]: data.get(k) for k in changed if k in DRIVE_PARAMS})


@admin.register(BoothTarget)
class BoothTargetAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("drive", "booth", "target", "lat", "lng")
    list_select_related = ("drive", "booth")
    autocomplete_fields = ("booth",)
    fields = ("drive", "booth", "target", "lat", "lng")

    def get_readonly_fields(self, request, obj=None):
        return ("drive", "booth") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return BoothTargetSet(scope=request.scope, drive=data["drive"], booth=data["booth"], target=data["target"],
                              lat=data.get("lat"), lng=data.get("lng"))

    def action_update(self, request, obj, data, changed):
        return BoothTargetSet(scope=request.scope, drive=obj.drive, booth=obj.booth, target=data["target"],
                              lat=data.get("lat"), lng=data.get("lng"))


class DailyPlanInline(ReadOnlyInline):
    model = DailyPlan
    fields = ("day", "booth", "planned")
    readonly_fields = fields


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Made with ``VistarakAssign`` (their login and write grant come with it); not edited afterwards."""

    list_display = ("drive", "vistarak", "unit", "user")
    list_select_related = ("drive", "vistarak", "unit", "user")
    autocomplete_fields = ("unit", "vistarak")
    fields = ("drive", "vistarak", "unit")
    inlines = (DailyPlanInline,)

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return VistarakAssign(scope=request.scope, drive=data["drive"], vistarak=data["vistarak"], unit=data["unit"])


@admin.register(DailyPlan)
class DailyPlanAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("assignment", "day", "booth", "planned")
    autocomplete_fields = ("booth",)
    fields = ("assignment", "day", "booth", "planned")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else request.scope.filter(queryset, "assignment__unit_path")

    def get_readonly_fields(self, request, obj=None):
        return ("assignment", "day", "booth") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return PlanSet(scope=request.scope, assignment=data["assignment"], day=data["day"], booth=data["booth"],
                       planned=data["planned"])

    def action_update(self, request, obj, data, changed):
        return PlanSet(scope=request.scope, assignment=obj.assignment, day=obj.day, booth=obj.booth,
                       planned=data["planned"])


class RecordFlagInline(ReadOnlyInline):
    model = RecordFlag
    fields = ("kind", "detail")
    readonly_fields = fields


@admin.register(FieldRecord)
class FieldRecordAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """What a phone sent and what became of it; the district decides waiting records on the drive's pages."""

    list_display = ("client_uuid", "drive", "booth", "outcome", "captured_at", "person")
    list_filter = ("outcome",)
    list_select_related = ("drive", "booth", "person")
    search_fields = ("=client_uuid", "=mobile", "=epic")
    exclude = ("photo",)
    inlines = (RecordFlagInline,)


@admin.register(RecordFlag)
class RecordFlagAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("record", "kind", "drive")
    list_filter = ("kind",)
    list_select_related = ("record", "drive")


@admin.register(CaptureCode)
class CaptureCodeAdmin(ReadOnlyAdmin):
    """Codes sent to workers' mobiles: only their hash is kept, and not shown."""

    list_display = ("client_uuid", "drive", "expires_at", "tries")
    exclude = ("code_hash", "mobile")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else request.scope.filter(queryset, "drive__unit_path")


@admin.register(PhotoUpload)
class PhotoUploadAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("client_uuid", "drive", "offset", "size", "done")
    list_filter = ("done",)
    exclude = ("data",)
