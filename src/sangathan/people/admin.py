from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sangathan.core.admin import ReadOnlyInline, ScopedAdminMixin, ServiceAdminMixin
from sangathan.org.models import Position
from sangathan.people.display import FIELD_LABELS
from sangathan.people.models import Person, PersonHistory, Tag
from sangathan.people.selectors import person_list
from sangathan.people.services import EDITABLE_FIELDS, PersonCreate, PersonUpdate, TagCreate, TagUpdate


class PersonHistoryInline(ReadOnlyInline):
    model = PersonHistory
    fields = ("at", "action", "actor", "changes")
    readonly_fields = fields
    ordering = ("-at", "-id")


class PositionInline(ReadOnlyInline):
    model = Position
    fk_name = "person"
    fields = ("post", "wing", "unit", "overlay", "start_date", "end_date")
    readonly_fields = fields


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Every add and edit goes through ``PersonCreate`` / ``PersonUpdate``: validated by their ``check()``,
    normalized, scoped, recorded."""

    list_display = ("name", "name_latin", "mobile", "unit", "status")
    list_filter = ("status", "gender")
    # Searching is the registry's own search (either script, mobile in any format, voter ID), see below.
    search_fields = ("name_latin",)
    autocomplete_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("name", "relative_name", "relation", "gender", "birth_year", "mobile", "epic", "unit",
                           "status", "membership_no", "source", "joined_on")}),
        (_("Contact and work"), {"fields": ("photo", "alt_mobile", "email", "address", "occupation", "education",
                                             "tags", "social")}),
        (_("Consent and verification"), {"fields": ("consent_at", "consent_method", "consent_purposes",
                                                      "verified_at", "verified_by", "verified_method")}),
        (_("Record"), {"fields": ("name_latin", "unit_path", "created_at", "updated_at")}),
    )
    readonly_fields = ("name_latin", "unit_path", "created_at", "updated_at", "verified_at", "verified_by",
                       "verified_method")
    filter_horizontal = ("tags",)
    list_select_related = ("unit",)
    inlines = [PositionInline, PersonHistoryInline]
    show_full_result_count = False

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", FIELD_LABELS)
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # By id: the search's relevance order and annotations cannot be combined with the changelist's query.
        matches = person_list(scope=request.scope, q=search_term).order_by().values("pk")
        return queryset.filter(pk__in=matches), False

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        values = _service_values(data, [field for field in EDITABLE_FIELDS if field in data])
        return PersonCreate(scope=request.scope, data=values)

    def action_update(self, request, obj, data, changed):
        changes = _service_values(data, [field for field in changed if field in EDITABLE_FIELDS])
        return PersonUpdate(scope=request.scope, person=obj, changes=changes)


def _service_values(data: dict, fields: list[str]) -> dict:
    """Form values as the services take them: tags as a list, a cleared photo as empty."""
    values = {field: data.get(field) for field in fields}
    if "tags" in values:
        values["tags"] = list(values["tags"] or [])
    if values.get("photo") is False:
        values["photo"] = ""
    for field in ("social", "consent_purposes"):
        if field in values and values[field] is None:
            values.pop(field)
    return values


@admin.register(Tag)
class TagAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Tags through ``TagCreate`` / ``TagUpdate``: state administrators only, each change audited. The code
    stays once created (imports and filters name tags by it)."""

    list_display = ("code", "name_hi", "name_en")
    search_fields = ("code", "name_hi", "name_en")
    fields = ("code", "name_hi", "name_en")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return TagCreate(scope=request.scope, code=data.get("code") or "", name_hi=data.get("name_hi") or "",
                         name_en=data.get("name_en") or "")

    def action_update(self, request, obj, data, changed):
        return TagUpdate(scope=request.scope, tag=obj, changes={name: data[name] for name in changed
                                                                if name in ("name_hi", "name_en")})
