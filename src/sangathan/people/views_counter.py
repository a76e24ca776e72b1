"""The office counter: add a worker (with possible duplicates shown before saving), edit with a reason,
move to another unit, mark inactive / deceased / expelled and restore. Every write is ``person_create`` /
``person_update``: the import's rule set, the history row with who and why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.forms import add_domain_errors
from sangathan.core.ratelimit import RateLimited
from sangathan.org.models import Unit
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.dedup import duplicates_before_saving
from sangathan.people.enums import PersonSource
from sangathan.people.forms_counter import (
    PersonAddForm,
    PersonEditForm,
    PersonMoveForm,
    PersonStatusForm,
    unit_choices,
)
from sangathan.people.selectors import person_get_for_actor
from sangathan.people.services import clean_fields, person_create, person_update
from sangathan.people.services.person import duplicate_answer_given, duplicate_answers_left

REASON_LABELS = {"mobile": gettext_lazy("same mobile number"), "epic": gettext_lazy("same voter ID"),
                 "alt_mobile": gettext_lazy("this mobile number is their alternate number"),
                 "name": gettext_lazy("similar name and father's/husband's name in the same unit")}


def _start_unit(request, scope) -> Unit | None:
    unit_id = request.GET.get("unit") or request.POST.get("start_unit")
    if not unit_id or not str(unit_id).isdigit():
        return None
    try:
        return unit_get_for_actor(int(unit_id), scope)
    except NotFound:
        raise Http404 from None


def _matches(scope, values: dict, exclude_pk=None) -> list[dict]:
    """Possible duplicates as the reader may see them: a readable record with its link, another only as
    "a record outside your area" (no name, no number)."""
    shown = []
    for person, reasons in duplicates_before_saving(values=values, exclude_pk=exclude_pk):
        readable = scope.can_read_path(person.unit_path)
        shown.append({"person": person if readable else None, "reasons": ", ".join(
            str(REASON_LABELS[r]) for r in dict.fromkeys(reasons)), "codes": set(reasons),
            "blocking": bool({"mobile", "epic"} & set(reasons))})
    return shown


@login_required
def person_add(request):
    scope = scope_for_request(request)
    start = _start_unit(request, scope)
    choices = unit_choices(scope, start)
    if not choices:
        raise Http404
    initial = {"unit": start.pk} if start is not None else {}
    form = PersonAddForm(request.POST or None, request.FILES or None, unit_choices=choices, initial=initial)
    matches = []
    if request.method == "POST" and form.is_valid():
        values = form.values()
        unit = Unit.objects.get(pk=form.cleaned_data["unit"])
        try:
            cleaned = clean_fields({**{k: v for k, v in values.items() if k != "photo"}, "unit": unit})
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            try:
                duplicate_answers_left(scope=scope)
            except RateLimited as error:
                form.add_error(None, error.message)
                return render(request, "people/counter_add.html", {"form": form, "matches": [], "start": start,
                                                                   "blocking": False}, status=429)
            matches = _matches(scope, cleaned)
            if any(match["blocking"] for match in matches):
                duplicate_answer_given(scope=scope)
            # Same mobile or voter ID: the record exists (the service would refuse it). A similar name: shown
            # once; "save anyway" sends the form again with the names unchanged.
            checked = form.cleaned_data.get("same_name_checked") and request.POST.get("confirm") == "new"
            blocking = _blocking_errors(form, matches)
            if not matches or (checked and not blocking):
                try:
                    person = person_create(scope=scope, unit=unit, source=PersonSource.MANUAL,
                                           **{k: v for k, v in values.items() if v not in (None, "")})
                except DomainError as error:
                    add_domain_errors(form, error)
                else:
                    messages.success(request, _("Worker added."))
                    return redirect("people:person", person_id=person.pk)
            form.data = form.data.copy()
            form.data["same_name_checked"] = "1"
    elif request.method == "POST":
        _service_errors_too(form)
    return render(request, "people/counter_add.html", {
        "form": form, "matches": matches, "start": start, "blocking": any(m["blocking"] for m in matches)})


def _service_errors_too(form) -> None:
    """When the form itself refused something, the service's rules still speak about the other fields (a bad
    mobile number beside a missing name): every mistake at once, not one per submit."""
    data = {name: value for name, value in form.cleaned_data.items()
            if name in form.PERSON_FIELDS and name != "photo" and name not in form.errors}
    try:
        clean_fields(data)
    except DomainError as error:
        add_domain_errors(form, error, skip_fields_with_errors=True)


def _blocking_errors(form, matches) -> bool:
    """A registered mobile or voter ID is an error on its field (the record exists: open it instead)."""
    reasons = {reason for match in matches if match["blocking"] for reason in match["codes"]}
    if "mobile" in reasons:
        form.add_error("mobile", _("A person with this mobile number is already registered."))
    if "epic" in reasons:
        form.add_error("epic", _("A person with this voter ID is already registered."))
    return bool(reasons & {"mobile", "epic"})


def _writable_person(request, person_id: int):
    scope = scope_for_request(request)
    try:
        person = person_get_for_actor(person_id, scope, audit=False)
    except NotFound:
        raise Http404 from None
    if not scope.can_write_path(person.unit_path) or person.erased_at is not None:
        raise Forbidden
    return scope, person


@login_required
def person_edit(request, person_id: int):
    scope, person = _writable_person(request, person_id)
    initial = {name: getattr(person, name) for name in PersonEditForm.PERSON_FIELDS if name != "photo"}
    initial["birth_year"] = person.birth_year or ""
    form = PersonEditForm(request.POST or None, request.FILES or None, initial=initial)
    matches = []
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.values().items()
                   if name == "photo" or str(value or "") != str(initial.get(name) or "")}
        if not changes:
            form.add_error(None, _("Nothing was changed."))
            return render(request, "people/counter_edit.html", {"form": form, "person": person, "matches": []})
        try:
            cleaned = clean_fields({k: v for k, v in changes.items() if k != "photo"})
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            matches = [m for m in _matches(scope, {**cleaned, "unit": person.unit}, exclude_pk=person.pk)
                       if m["blocking"]] if {"mobile", "epic"} & set(changes) else []
            if not matches:
                try:
                    person_update(scope=scope, person=person, reason=form.cleaned_data["reason"], **changes)
                except DomainError as error:
                    add_domain_errors(form, error)
                else:
                    messages.success(request, _("Record saved."))
                    return redirect("people:person", person_id=person.pk)
    elif request.method == "POST":
        _service_errors_too(form)
    return render(request, "people/counter_edit.html", {"form": form, "person": person, "matches": matches})


@login_required
def person_move(request, person_id: int):
    scope, person = _writable_person(request, person_id)
    start = _start_unit(request, scope)
    choices = [c for c in unit_choices(scope, start) if c[0] != person.unit_id]
    form = PersonMoveForm(request.POST or None, unit_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(scope=scope, person=person, unit=Unit.objects.get(pk=form.cleaned_data["unit"]),
                          reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Worker moved."))
            return redirect("people:person", person_id=person.pk)
    return render(request, "people/counter_move.html", {"form": form, "person": person, "start": start})


@login_required
def person_status(request, person_id: int):
    scope, person = _writable_person(request, person_id)
    form = PersonStatusForm(request.POST or None, initial={"status": person.status})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["status"] == person.status:
            form.add_error("status", _("Choose a status other than the present one."))
        else:
            try:
                person_update(scope=scope, person=person, status=form.cleaned_data["status"],
                              reason=form.cleaned_data["reason"])
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Status changed."))
                return redirect("people:person", person_id=person.pk)
    return render(request, "people/counter_status.html", {"form": form, "person": person})
