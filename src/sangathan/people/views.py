from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.tree import SEGMENT
from sangathan.org.selectors import level_labels, person_positions, unit_breadcrumbs
from sangathan.people.display import purposes_display, social_display
from sangathan.people.enums import ConsentMethod, ConsentPurpose, VerificationMethod
from sangathan.people.erasure import may_handle_personal_data, person_data_export, person_erase
from sangathan.people.policies import may_appoint_at
from sangathan.people.privacy import can_see_mobile, mobile_for_reader
from sangathan.people.selectors import PersonMergedAway, person_flags_open, person_get_for_actor
from sangathan.people.timeline import person_timeline
from sangathan.people.verification import (
    STAFF_METHODS,
    person_consent_record,
    person_verification_code_confirm,
    person_verification_code_send,
    person_verify,
)

TIMELINE_SHOWN = 50


class ConsentForm(forms.Form):
    method = forms.ChoiceField(label=_("Consent given by"), choices=ConsentMethod.choices)
    purposes = forms.MultipleChoiceField(label=_("Consent given for"), choices=ConsentPurpose.choices,
                                         widget=forms.CheckboxSelectMultiple)


class VerifyForm(forms.Form):
    method = forms.ChoiceField(label=_("Verified by way of"),
                               choices=[(m.value, m.label) for m in STAFF_METHODS], widget=forms.RadioSelect)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code the person received"), max_length=12)


class EraseForm(forms.Form):
    reason = forms.CharField(label=_("Reason (e.g. the person's written request)"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


def _person_or_404(request, person_id):
    """The person a write (or the data export) is about; the action records itself, so no read audit."""
    try:
        return person_get_for_actor(person_id, scope_for_request(request), audit=False)
    except NotFound:
        raise Http404 from None


@login_required
def person_detail(request, person_id: int):
    """A worker's full record (कुंडली). Every reading is written to the audit log (by the fetch)."""
    scope = scope_for_request(request)
    try:
        person = person_get_for_actor(person_id, scope)
    except PersonMergedAway as merged:
        # An old link (a bookmark, a message) to a record merged into another: go where it lives now.
        messages.info(request, str(merged))
        return redirect("people:person", person_id=merged.survivor_id)
    except NotFound:
        raise Http404 from None
    positions = list(person_positions(person))
    may_write = scope.can_write_path(person.unit_path)
    context = {
        "person": person,
        "scope": scope,
        "levels": level_labels(),
        "crumbs": unit_breadcrumbs(person.unit, scope),
        "mobile_shown": mobile_for_reader(scope=scope, person=person),
        "alt_mobile_shown": (mobile_for_reader(scope=scope, person=type(person)(mobile=person.alt_mobile,
                                                                                unit_path=person.unit_path))
                             if person.alt_mobile else ""),
        "may_call": can_see_mobile(scope=scope, person_path=person.unit_path) and person.erased_at is None,
        "tags": list(person.tags.order_by("code")),
        "purposes": purposes_display(person.consent_purposes),
        "social": social_display(person.social),
        "current_positions": [position for position in positions if position.is_current()],
        "relievable": {position.pk for position in positions if position.is_current() and position.unit_id
                       and may_appoint_at(scope, position.unit.path, position.post.code)},
        "past_positions": [position for position in positions if not position.is_current()],
        "flags": list(person_flags_open(scope=scope).filter(person=person)),
        "timeline": person_timeline(person=person, scope=scope, limit=TIMELINE_SHOWN),
        "may_write": may_write and person.erased_at is None,
        "may_appoint": person.erased_at is None and person.status == "active" and any(
            may_appoint_at(scope, person.unit_path[:end], "") for end in range(SEGMENT, len(person.unit_path) + 1,
                                                                             SEGMENT)),
        "may_handle_data": may_handle_personal_data(scope, person) and person.erased_at is None,
        "consent_form": ConsentForm(initial={"method": person.consent_method or ConsentMethod.FORM,
                                             "purposes": person.consent_purposes or [ConsentPurpose.RECORDS]}),
        "verify_form": VerifyForm(initial={"method": VerificationMethod.IN_PERSON}),
        "code_form": CodeForm(),
        "erase_form": EraseForm(),
    }
    return render(request, "people/person_detail.html", context)


def _done(request, person, message):
    messages.success(request, message)
    return redirect("people:person", person_id=person.pk)


def _failed(request, person, error: DomainError):
    messages.error(request, str(error))
    return redirect("people:person", person_id=person.pk)


@require_POST
@login_required
def person_consent(request, person_id: int):
    person = _person_or_404(request, person_id)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how consent was given and what it covers."))
        return redirect("people:person", person_id=person.pk)
    try:
        person_consent_record(scope=scope_for_request(request), person=person,
                              method=form.cleaned_data["method"], purposes=form.cleaned_data["purposes"])
    except DomainError as error:
        return _failed(request, person, error)
    return _done(request, person, _("Consent recorded."))


@require_POST
@login_required
def person_verify_staff(request, person_id: int):
    person = _person_or_404(request, person_id)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose in person or document."))
        return redirect("people:person", person_id=person.pk)
    try:
        person_verify(scope=scope_for_request(request), person=person,
                      method=form.cleaned_data["method"])
    except DomainError as error:
        return _failed(request, person, error)
    return _done(request, person, _("Record verified."))


@require_POST
@login_required
def person_code_send(request, person_id: int):
    person = _person_or_404(request, person_id)
    try:
        person_verification_code_send(scope=scope_for_request(request), person=person)
    except DomainError as error:
        return _failed(request, person, error)
    return _done(request, person, _("A code was sent to the person's mobile. Ask them for it and enter it below."))


@require_POST
@login_required
def person_code_confirm(request, person_id: int):
    person = _person_or_404(request, person_id)
    form = CodeForm(request.POST)
    try:
        person_verification_code_confirm(scope=scope_for_request(request), person=person,
                                         code=form.data.get("code", ""))
    except DomainError as error:
        return _failed(request, person, error)
    return _done(request, person, _("Mobile number verified."))


@login_required
def person_data_download(request, person_id: int, file_format: str):
    """The person's own data (JSON or CSV), for handing to them: state admins only, audited."""
    if file_format not in ("json", "csv"):
        raise Http404
    person = _person_or_404(request, person_id)
    try:
        body = person_data_export(scope=scope_for_request(request), person=person, file_format=file_format)
    except PermissionDenied:
        raise Forbidden from None
    content_type = "application/json" if file_format == "json" else "text/csv"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.{file_format}"'
    return response


@require_POST
@login_required
def person_erase_view(request, person_id: int):
    person = _person_or_404(request, person_id)
    try:
        person_erase(scope=scope_for_request(request), person=person, reason=request.POST.get("reason", ""))
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        return _failed(request, person, error)
    return _done(request, person, _("The person's details were erased. Their posts remain as 'removed person'."))
