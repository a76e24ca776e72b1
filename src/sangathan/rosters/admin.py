from django.contrib import admin

from sangathan.rosters.models import Office, RosterChange, RosterDay, RosterMember, SittingDay


class SittingDayInline(admin.TabularInline):
    model = SittingDay
    extra = 0
    raw_id_fields = ["person"]


class RosterMemberInline(admin.TabularInline):
    model = RosterMember
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__name_hi", "unit__code"]
    raw_id_fields = ["unit"]
    readonly_fields = ["unit_path"]
    inlines = [SittingDayInline, RosterMemberInline]


@admin.register(RosterDay)
class RosterDayAdmin(admin.ModelAdmin):
    list_display = ["date", "office", "person", "scheduled_person", "starts_at", "ends_at"]
    list_filter = ["office"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "scheduled_person"]


@admin.register(RosterChange)
class RosterChangeAdmin(admin.ModelAdmin):
    """History: read only."""

    list_display = ["at", "office", "kind", "date", "from_person", "to_person", "actor", "reason"]
    list_filter = ["kind", "office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
