"""Mixins every Sangathan admin uses.

``ScopedAdminMixin`` limits a staff member's lists to their scope (``request.scope``, set by
``access.middleware.ScopeMiddleware``; superusers see everything). ``ServiceAdminMixin`` sends writes
through the app's services, so the admin validates, records history and checks scope exactly as the web
UI and the API do.
"""

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from sangathan.core.errors import DomainError


class ScopedAdminMixin:
    """Rows outside the staff member's scope do not exist for them; ``scope_path_field`` names the path."""

    scope_path_field = "unit_path"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return request.scope.filter(queryset, self.scope_path_field)


class _DryRun(Exception):
    """Raised inside a savepoint to roll back a service call made only to validate the form."""


class ServiceAdminMixin:
    """Admin writes through services.

    The form's ``clean()`` runs the service inside a savepoint that is always rolled back, so a
    ``DomainError`` shows as field errors on the form; ``save_model`` then runs it for real. Subclasses
    implement ``service_create`` and ``service_update`` (which return the saved object); objects without an
    update service show every field read-only once created.
    """

    def service_create(self, request, data: dict):
        raise ImproperlyConfigured(f"{type(self).__name__} must define service_create().")

    def service_update(self, request, obj, data: dict, changed: list[str]):
        raise ImproperlyConfigured(f"{type(self).__name__} must define service_update().")

    def _run_service(self, request, obj, form):
        if obj is None or obj.pk is None:
            return self.service_create(request, form.cleaned_data)
        if not form.changed_data:
            return obj
        return self.service_update(request, obj, form.cleaned_data, form.changed_data)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                if not self.errors:
                    model_admin._validate_with_service(request, obj, self)
                return cleaned_data

        return ServiceForm

    def _validate_with_service(self, request, obj, form) -> None:
        try:
            with transaction.atomic():
                self._run_service(request, obj, form)
                raise _DryRun
        except _DryRun:
            pass
        except DomainError as error:
            errors = error.errors or {None: [error.message]}
            for field, messages in errors.items():
                form.add_error(field if field in form.fields else None, [str(m) for m in messages])

    def save_model(self, request, obj, form, change):
        saved = self._run_service(request, obj if change else None, form)
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
