"""Mixins every Sangathan admin uses.

``ScopedAdminMixin`` limits a staff member's lists to their scope (``request.scope``, set by
``access.middleware.ScopeMiddleware``; superusers see everything). ``ServiceAdminMixin`` sends writes
through the app's actions, so the admin validates (``check()``), records history and checks scope exactly
as the web UI and the API do.
"""

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured

from sangathan.core.errors import DomainError


class ScopedAdminMixin:
    """Rows outside the staff member's scope do not exist for them; ``scope_path_field`` names the path."""

    scope_path_field = "unit_path"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return request.scope.filter(queryset, self.scope_path_field)


class ServiceAdminMixin:
    """Admin writes through actions (``core.actions.Action``).

    Subclasses implement ``action_create(request, data)`` and ``action_update(request, obj, data, changed)``,
    returning the action *unexecuted*; the form's ``clean()`` calls its ``check()`` (validation and
    permission, no writes), so a ``DomainError`` shows as field errors, and ``save_model`` executes it.
    Objects without an update action show every field read-only once created. The actor is the request's
    scope (``request.scope``, which carries the user and the channel).
    """

    def action_create(self, request, data: dict):
        raise ImproperlyConfigured(f"{type(self).__name__} must define action_create().")

    def action_update(self, request, obj, data: dict, changed: list[str]):
        raise ImproperlyConfigured(f"{type(self).__name__} must define action_update().")

    def _action(self, request, obj, form):
        if obj is None or obj.pk is None:
            return self.action_create(request, form.cleaned_data)
        if not form.changed_data:
            return None
        return self.action_update(request, obj, form.cleaned_data, form.changed_data)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        model_admin = self

        class ActionForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                if not self.errors:
                    model_admin._check(request, obj, self)
                return cleaned_data

        return ActionForm

    def _check(self, request, obj, form) -> None:
        try:
            action = self._action(request, obj, form)
            if action is not None:
                action.check()
        except DomainError as error:
            errors = error.errors or {None: [error.message]}
            for field, messages in errors.items():
                form.add_error(field if field in form.fields else None, [str(m) for m in messages])

    def save_model(self, request, obj, form, change):
        action = self._action(request, obj if change else None, form)
        if action is None:
            return
        saved = action.execute()
        # The admin goes on with ``obj`` (log entry, redirect, related objects): give it the saved row.
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records nobody edits by hand: history, audit, tokens."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
