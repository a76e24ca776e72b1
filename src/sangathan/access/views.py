from axes.helpers import get_cool_off
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from sangathan.access.forms import LoginForm
from sangathan.access.models import AuditLog
from sangathan.access.services import audit_record
from sangathan.core import ratelimit


def login_blocked_minutes(request) -> int | None:
    """Minutes until this address may try again, when its failed logins used up ``login.ip``; else None."""
    if not ratelimit.exceeded("login.ip", ratelimit.client_ip(request) or "-"):
        return None
    return max(1, -(-ratelimit.retry_after("login.ip") // 60))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "access/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        minutes = login_blocked_minutes(request)
        if minutes is not None:
            return render(request, "access/locked_out.html", {"minutes": minutes, "by_address": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.get_user(), action=AuditLog.Action.LOGIN, request=self.request, channel="web")
        return response

    def form_invalid(self, form):
        if form.has_error("__all__", "invalid_login"):
            audit_record(actor=None, action=AuditLog.Action.LOGIN_FAILED, request=self.request, channel="web",
                         detail={"mobile": form.cleaned_data.get("mobile", "")})
        return super().form_invalid(form)


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """django-axes calls this once a number has failed too often from one address."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "access/locked_out.html", {"minutes": minutes}, status=429)
