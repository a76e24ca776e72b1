"""A person's login, managed by the office: create it (a set-up code goes by SMS), reset the password (a
new code), disable it. The actions are access's (``login_create`` …); this page is where the office finds
them, from the person's record."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangathan.access.models import LoginCode, User
from sangathan.access.scope import scope_for_request
from sangathan.access.services import login_create, login_disable, login_reset
from sangathan.core.errors import DomainError, NotFound
from sangathan.org.selectors import person_positions
from sangathan.people.selectors import person_get_for_actor


class DisableForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


@login_required
def person_login(request, person_id: int):
    scope = scope_for_request(request)
    try:
        person = person_get_for_actor(person_id, scope, audit=False)
    except NotFound:
        raise Http404 from None
    user = User.objects.filter(person=person).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                login_create(scope=scope, person=person)
                messages.success(request, _("Login created. A set-up code was sent by SMS to %(mobile)s.")
                                 % {"mobile": person.mobile})
            elif action == "reset" and user is not None:
                login_reset(scope=scope, user=user)
                messages.success(request, _("Password reset. A code was sent by SMS."))
            elif action == "disable" and user is not None:
                login_disable(scope=scope, user=user, reason=request.POST.get("reason", "")[:200])
                messages.success(request, _("Login disabled."))
            else:
                messages.error(request, _("Choose what to do."))
        except DomainError as error:
            messages.error(request, str(error))
        return redirect("people:login", person_id=person.pk)
    context = {
        "person": person,
        "user_account": user,
        "may_write": scope.can_write_path(person.unit_path),
        "holds_post": any(position.is_current() for position in person_positions(person)),
        "last_code": LoginCode.objects.filter(user=user).first() if user is not None else None,
        "disable_form": DisableForm(),
    }
    return render(request, "people/person_login.html", context)
