"""Setting a password from a one-time SMS code: after the office created or reset the login, or after
"forgot password". Public pages; the answers never tell whether a number has a login."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sangathan.access.forms import PasswordCodeForm, PasswordSetForm
from sangathan.access.scope import Scope, client_ip
from sangathan.access.services import PasswordSetWithCode, password_code_request
from sangathan.core.errors import DomainError
from sangathan.core.forms import add_domain_errors
from sangathan.core.ratelimit import request_limited


def _public_scope(request) -> Scope:
    """No actor; the channel and address go into the audit rows and the per-address limit."""
    return Scope.empty().with_context(channel="web", ip=client_ip(request),
                                      user_agent=request.META.get("HTTP_USER_AGENT", ""))


def password_forgot(request):
    form = PasswordCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = password_code_request(scope=_public_scope(request), mobile=form.cleaned_data["mobile"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.info(request, _("If this number has a login, a code was sent to it by SMS."))
            return redirect(f"{reverse('access:password_set')}?{urlencode({'mobile': row.mobile})}")
    return render(request, "access/password_forgot.html", {"form": form})


def password_set(request):
    form = PasswordSetForm(request.POST or None, initial={"mobile": request.GET.get("mobile", "")[:32]})
    if request.method == "POST":
        valid = form.is_valid()
        data = form.cleaned_data
        # Codes typed from one address are counted whatever the number, so codes cannot be tried
        # across many numbers (each code also allows only a few wrong tries).
        if limited := request_limited("password_code.ip", request):
            form.add_error(None, limited.message)
            return render(request, "access/password_set.html", {"form": form}, status=429)
        action = PasswordSetWithCode(scope=_public_scope(request), mobile=data.get("mobile", ""),
                                     code=data.get("code", ""), password=data.get("password", ""))
        try:
            if valid:
                action.execute()
            elif data.get("mobile") and data.get("password"):
                action.check()  # the service's errors too, beside the form's own: every mistake at once
        except DomainError as error:
            add_domain_errors(form, error, skip_fields_with_errors=True)
        else:
            if valid:
                messages.success(request, _("Your password is set. Log in with it."))
                return redirect("access:login")
    return render(request, "access/password_set.html", {"form": form})
