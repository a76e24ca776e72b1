from django.contrib import admin

from sangathan.core.admin import ReadOnlyAdmin, ScopedAdminMixin, ServiceAdminMixin
from sangathan.outreach.models import (
    CallAssignment,
    CallerAbsence,
    CallLog,
    ContactProgram,
    FollowUp,
    ProgramCaller,
)
from sangathan.outreach.services import (
    CallerAbsenceCreate,
    ProgramCallerSet,
    ProgramCreate,
    ProgramUpdate,
    program_caller_remove,
)

PROGRAM_ADMIN_FIELDS = ("code", "name_hi", "name_en", "target_root", "target_level", "target_post", "pairing_level",
                        "per_caller_per_day", "working_days", "send_time", "reminder_time", "channel", "seed",
                        "is_active")


@admin.register(ContactProgram)
class ContactProgramAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Saved through ``ProgramCreate`` / ``ProgramUpdate``; caller rules are kept on the web form (a new
    program made here starts with the state's office-bearers and district in-charges as callers)."""

    list_display = ("code", "name_hi", "target_root", "per_caller_per_day", "send_time", "channel", "is_active")
    list_filter = ("is_active", "channel")
    fields = PROGRAM_ADMIN_FIELDS
    raw_id_fields = ("target_root",)
    scope_path_field = "target_path"

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        from sangathan.org.models import Post

        posts = {post.code: post for post in Post.objects.filter(code__in=["president", "general_secretary",
                                                                            "incharge"])}
        rules = [(posts[code], "state") for code in posts] + ([(posts["incharge"], "district")]
                                                               if "incharge" in posts else [])
        return ProgramCreate(scope=request.scope, caller_posts=rules,
                             **{name: data.get(name) for name in PROGRAM_ADMIN_FIELDS})

    def action_update(self, request, obj, data, changed):
        return ProgramUpdate(scope=request.scope, program=obj,
                             changes={name: data.get(name) for name in changed if name in PROGRAM_ADMIN_FIELDS})


@admin.register(CallerAbsence)
class CallerAbsenceAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("person", "start_on", "end_on", "reason")
    raw_id_fields = ("person",)
    fields = ("person", "start_on", "end_on", "reason")
    scope_path_field = "person__unit_path"

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def action_create(self, request, data):
        return CallerAbsenceCreate(scope=request.scope, person=data["person"], start_on=data["start_on"],
                                   end_on=data["end_on"], reason=data.get("reason", ""))


@admin.register(CallAssignment)
class CallAssignmentAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("day", "kind", "caller", "target", "target_unit", "status", "source")
    list_filter = ("kind", "status")
    raw_id_fields = ("caller", "target", "target_unit", "program")
    list_select_related = ("caller", "target", "target_unit")
    show_full_result_count = False


@admin.register(CallLog)
class CallLogAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("day", "caller", "target", "outcome", "position_score", "followup_wanted")
    list_filter = ("outcome", "followup_wanted")
    raw_id_fields = ("assignment", "caller", "target")
    list_select_related = ("caller", "target")
    show_full_result_count = False


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("created_at", "district", "note", "status", "closed_at")
    list_filter = ("status",)
    raw_id_fields = ("call_log", "district")


@admin.register(ProgramCaller)
class ProgramCallerAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Named callers of a program and regions assigned to callers, saved through ``ProgramCallerSet``."""

    list_display = ("program", "person", "region")
    list_select_related = ("program", "person", "region")
    raw_id_fields = ("person", "region")
    fields = ("program", "person", "region")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else request.scope.filter(queryset, "program__target_path")

    def get_readonly_fields(self, request, obj=None):
        # Once named, only the region changes: another program or person is another row.
        return ("program", "person") if obj is not None else ()

    def action_create(self, request, data):
        return ProgramCallerSet(scope=request.scope, program=data["program"], person=data["person"],
                                region=data.get("region"))

    def action_update(self, request, obj, data, changed):
        return ProgramCallerSet(scope=request.scope, program=obj.program, person=obj.person,
                                region=data.get("region"))

    def delete_model(self, request, obj):
        program_caller_remove(scope=request.scope, program=obj.program, person=obj.person)

    def delete_queryset(self, request, queryset):
        for caller in queryset.select_related("program", "person"):
            self.delete_model(request, caller)
