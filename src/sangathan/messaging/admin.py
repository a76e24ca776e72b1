from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from sangathan.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedAdminMixin, ServiceAdminMixin
from sangathan.core.errors import DomainError
from sangathan.messaging.models import DeliveryEvent, Message, OptOut, Template
from sangathan.messaging.services import TEMPLATE_FIELDS, TemplateCreate, TemplateUpdate, opt_in


@admin.register(Template)
class TemplateAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Saved through ``TemplateCreate`` / ``TemplateUpdate``, which derive the variables, check them and
    leave an audit row."""

    list_display = ("code", "name", "kind", "dlt_template_id", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    fields = (*TEMPLATE_FIELDS, "variables", "created_at", "updated_at")
    readonly_fields = ("variables", "created_at", "updated_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def action_create(self, request, data):
        return TemplateCreate(scope=request.scope, **{name: data.get(name) for name in TEMPLATE_FIELDS})

    def action_update(self, request, obj, data, changed):
        return TemplateUpdate(scope=request.scope, template=obj,
                              changes={name: data.get(name) for name in changed if name in TEMPLATE_FIELDS})


class DeliveryEventInline(ReadOnlyInline):
    model = DeliveryEvent
    fields = ("at", "status", "raw")
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """The outbox as sent: nobody edits a message by hand."""

    list_display = ("id", "channel", "kind", "to_address", "status", "attempts", "send_at", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("to_address", "provider_message_id", "idempotency_key")
    list_select_related = ("template",)
    raw_id_fields = ("person", "broadcast")
    inlines = [DeliveryEventInline]
    show_full_result_count = False


@admin.register(OptOut)
class OptOutAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("person", "channel", "source", "created_at", "revoked_at")
    list_filter = ("channel", "source")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    scope_path_field = "person__unit_path"
    actions = ["revoke"]

    @admin.action(description=_("Reverse the selected opt-outs"))
    def revoke(self, request, queryset):
        for record in queryset.filter(revoked_at__isnull=True).select_related("person"):
            try:
                opt_in(scope=request.scope, person=record.person, channel=record.channel)
            except DomainError as error:
                self.message_user(request, f"{record.person}: {error.message}", messages.ERROR)
