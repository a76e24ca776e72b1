"""Admin for the tree, its vocabulary and office-bearers. Units and people tables are huge: every foreign
key is an autocomplete, never a select of all rows, and no list counts its full result."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sangathan.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin, ServiceAdminMixin
from sangathan.org.models import (
    Level,
    OrgChange,
    Overlay,
    Position,
    PositionHistory,
    Post,
    Unit,
    Wing,
)
from sangathan.org.services import (
    LevelCreate,
    LevelUpdate,
    OverlayCreate,
    PositionAssign,
    PositionEnd,
    PostCreate,
    PostUpdate,
    UnitCreate,
    WingCreate,
    WingUpdate,
)


class VocabularyAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Levels, posts and wings through their actions (state administrators only, with ``OrgChange``
    history). The code is fixed once created: code and policies name terms by it. Never deleted: units
    and positions refer to them."""

    create_action = update_action = None  # the term's action classes

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        extra = {name: data[name] for name in self.fields if name not in ("code", "name_hi", "name_en")}
        return self.create_action(scope=request.scope, code=data["code"], name_hi=data["name_hi"],
                                  name_en=data["name_en"], **extra)

    def action_update(self, request, obj, data, changed):
        return self.update_action(scope=request.scope, term=obj,
                                  changes={name: data[name] for name in changed})


@admin.register(Level)
class LevelAdmin(VocabularyAdmin):
    list_display = ("rank", "code", "name_hi", "name_en")
    fields = ("code", "name_hi", "name_en", "rank")
    ordering = ("rank",)
    create_action, update_action = LevelCreate, LevelUpdate


@admin.register(Post)
class PostAdmin(VocabularyAdmin):
    list_display = ("rank", "code", "name_hi", "name_en", "grant")
    list_filter = ("grant",)
    search_fields = ("code", "name_hi", "name_en")
    fields = ("code", "name_hi", "name_en", "grant", "rank")
    ordering = ("rank", "code")
    create_action, update_action = PostCreate, PostUpdate


@admin.register(Wing)
class WingAdmin(VocabularyAdmin):
    list_display = ("code", "name_hi", "name_en", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_hi", "name_en")
    fields = ("code", "name_hi", "name_en", "kind")
    create_action, update_action = WingCreate, WingUpdate


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Units are added through ``UnitCreate`` (it allots the path); there is no service to move or rename."""

    scope_path_field = "path"
    list_display = ("name_hi", "name_en", "code", "level", "depth", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("^code", "name_hi", "name_en")
    autocomplete_fields = ("parent",)
    fields = ("parent", "level", "code", "name_hi", "name_en", "path", "depth", "is_active", "created_at")
    readonly_fields = ("path", "depth", "is_active", "created_at")
    ordering = ("path",)
    list_select_related = ("parent",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return UnitCreate(scope=request.scope, parent=data.get("parent"), level=data["level"], code=data["code"],
                          name_hi=data["name_hi"], name_en=data.get("name_en", ""))


@admin.register(Overlay)
class OverlayAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """A Lok Sabha seat or a cluster, created through ``OverlayCreate``; read-only afterwards."""

    list_display = ("name_hi", "name_en", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("^code", "name_hi", "name_en")
    autocomplete_fields = ("units", "members")
    fields = ("kind", "code", "name_hi", "name_en", "units", "members")

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return OverlayCreate(scope=request.scope, kind=data["kind"], code=data["code"], name_hi=data["name_hi"],
                             name_en=data.get("name_en", ""), units=list(data.get("units") or ()),
                             members=list(data.get("members") or ()))


class PositionHistoryInline(ReadOnlyInline):
    model = PositionHistory
    fields = ("at", "action", "actor", "note")
    readonly_fields = fields


class CurrentFilter(admin.SimpleListFilter):
    title = _("current")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return (("yes", _("Current")), ("no", _("Ended")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.exclude(pk__in=Position.objects.current().values("pk"))
        return queryset


@admin.register(Position)
class PositionAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Appointments through ``PositionAssign``; an existing position can only be ended (``PositionEnd``)."""

    list_display = ("person", "post", "wing", "unit", "overlay", "start_date", "end_date")
    list_filter = (CurrentFilter, "post", "wing")
    search_fields = ("^person__name_latin", "=person__mobile", "^unit__code", "^overlay__code")
    autocomplete_fields = ("person", "unit", "overlay")
    fields = ("person", "post", "wing", "unit", "overlay", "start_date", "end_date", "end_reason")
    list_select_related = ("person", "post", "wing", "unit", "overlay")
    inlines = [PositionHistoryInline]
    show_full_result_count = False

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("end_date", "end_reason")
        if obj.end_date is not None:
            return self.fields
        return ("person", "post", "wing", "unit", "overlay", "start_date")

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return PositionAssign(scope=request.scope, person=data["person"], post=data["post"],
                              unit=data.get("unit"), overlay=data.get("overlay"), wing=data.get("wing"),
                              start_date=data.get("start_date"))

    def action_update(self, request, obj, data, changed):
        if data.get("end_date") is None:
            return None
        return PositionEnd(scope=request.scope, position=obj, end_date=data["end_date"],
                           reason=data.get("end_reason", ""))


@admin.register(OrgChange)
class OrgChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "entity", "entity_id", "action", "actor", "channel", "reason")
    list_filter = ("entity", "action", "channel")
    search_fields = ("=entity_id", "actor__mobile")
    list_select_related = ("actor",)
    show_full_result_count = False
