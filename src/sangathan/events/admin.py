"""Admin of events for staff repairs. Rows are read-only here: events, series, tours and plans change
through the pages and the API (actions with scope and history). The one repair is resuming a message send
that a worker left half done: it queues the same chunked task, which starts after the send's cursor."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from sangathan.core.admin import ScopedAdminMixin
from sangathan.events.enums import DispatchStatus
from sangathan.events.models import Dispatch, Event, EventHistory, Series, Tour, Venue, ViewingLocation
from sangathan.events.tasks import dispatch_queue


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(ReadOnlyMixin, admin.TabularInline):
    model = EventHistory
    extra = 0
    fields = ["at", "action", "actor", "channel", "detail"]
    readonly_fields = fields


class DispatchInline(ReadOnlyMixin, admin.TabularInline):
    model = Dispatch
    extra = 0
    fields = ["purpose", "status", "total", "done", "queued", "created_at", "finished_at"]
    readonly_fields = fields


class LocationInline(ReadOnlyMixin, admin.TabularInline):
    model = ViewingLocation
    extra = 0
    fields = ["name", "host", "unit_path"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "unit", "starts_at", "period"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "unit__name_hi", "unit__code"]
    list_select_related = ["unit"]
    date_hierarchy = "starts_at"
    inlines = [DispatchInline, LocationInline, HistoryInline]


@admin.register(Series)
class SeriesAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "unit", "level", "starts_on", "months", "is_active"]
    list_select_related = ["unit"]


@admin.register(Tour)
class TourAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "leader", "unit", "starts_on", "ends_on"]
    list_select_related = ["leader", "unit"]


@admin.register(Venue)
class VenueAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "capacity"]
    list_select_related = ["unit"]


@admin.register(Dispatch)
class DispatchAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_path_field = "event__unit_path"
    list_display = ["event", "purpose", "status", "total", "done", "queued", "created_at", "finished_at"]
    list_filter = ["purpose", "status"]
    list_select_related = ["event"]
    actions = ["resume"]

    @admin.action(description=_("Resume the send from where it stopped"))
    def resume(self, request, queryset):
        ids = list(queryset.exclude(status=DispatchStatus.DONE).values_list("pk", flat=True))
        for dispatch_id in ids:
            dispatch_queue(dispatch_id)
        messages.success(request, _("%(count)s sends queued again.") % {"count": len(ids)})
