"""Read-only admin of the rosters app: offices, sitting days, the roster, hearings and directions are
changed through the pages and the API (services, with scope and history), never by editing rows here."""

from django.contrib import admin

from sangathan.rosters.models import (
    HearingCase,
    HearingDirection,
    HearingSession,
    Office,
    RosterChange,
    RosterDay,
    RosterMember,
    SittingDay,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SittingDayInline(ReadOnlyMixin, admin.TabularInline):
    model = SittingDay
    extra = 0
    fields = ["person", "weekday", "starts_at", "ends_at", "note"]


class RosterMemberInline(ReadOnlyMixin, admin.TabularInline):
    model = RosterMember
    extra = 0
    fields = ["order", "person", "title", "is_active"]


class HearingCaseInline(ReadOnlyMixin, admin.TabularInline):
    model = HearingCase
    extra = 0
    fields = ["token", "grievance", "source", "outcome", "slot_at", "recorded_at"]


@admin.register(Office)
class OfficeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__name_hi", "unit__code"]
    list_select_related = ["unit"]
    inlines = [SittingDayInline, RosterMemberInline]


@admin.register(RosterDay)
class RosterDayAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["date", "office", "person", "scheduled_person", "starts_at", "ends_at"]
    list_filter = ["office"]
    date_hierarchy = "date"
    list_select_related = ["office", "person", "scheduled_person"]


@admin.register(RosterChange)
class RosterChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "office", "kind", "date", "from_person", "to_person", "actor", "reason"]
    list_filter = ["kind", "office"]
    list_select_related = ["office", "from_person", "to_person", "actor"]


@admin.register(HearingSession)
class HearingSessionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["date", "office", "person", "starts_at", "ends_at", "status"]
    list_filter = ["status", "office"]
    date_hierarchy = "date"
    list_select_related = ["office", "person"]
    inlines = [HearingCaseInline]


@admin.register(HearingDirection)
class HearingDirectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["deadline", "owner", "grievance", "status", "done_at"]
    list_filter = ["status"]
    list_select_related = ["owner", "grievance"]
