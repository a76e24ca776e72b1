"""Committees in the admin: read-only (they change through the committee pages and the API, whose actions
keep the verdict and the history)."""

from django.contrib import admin

from sangathan.committees.models import Committee, CommitteeHistory, CommitteeMember, CommitteeType
from sangathan.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin


@admin.register(CommitteeType)
class CommitteeTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_hi", "category", "level", "min_members", "max_members", "rank")


class SeatInline(ReadOnlyInline):
    model = CommitteeMember
    fields = ("person", "post", "wing", "start_date", "end_date")
    raw_id_fields = ("person",)


@admin.register(Committee)
class CommitteeAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("type", "unit", "status", "member_count", "is_complete", "convener")
    list_filter = ("type", "status", "is_complete")
    search_fields = ("^unit__code", "unit__name_hi")
    list_select_related = ("type", "unit", "convener")
    raw_id_fields = ("unit", "convener")
    inlines = [SeatInline]
    show_full_result_count = False


@admin.register(CommitteeHistory)
class CommitteeHistoryAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    scope_path_field = "committee__unit_path"
    list_display = ("at", "committee", "action", "person", "actor", "channel")
    list_filter = ("action", "channel")
    list_select_related = ("committee__type", "committee__unit", "person", "actor")
    raw_id_fields = ("committee", "person", "actor")
    show_full_result_count = False
