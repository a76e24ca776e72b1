"""The office's pages to start and change a drive (``forms.DriveForm``). Thin: the actions of
``services.drives`` validate and decide permission; a unit or vistarak is looked up only to hand it to them."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.forms import add_domain_errors
from sangathan.fieldwork.forms import DriveForm
from sangathan.fieldwork.selectors import drive_get_for_actor
from sangathan.fieldwork.services import booth_target_set, drive_create, drive_update, vistarak_assign
from sangathan.org.models import Unit
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people import fields as person_fields
from sangathan.people.forms_counter import unit_choices
from sangathan.people.models import Person

# The actions' field names → the form's.
FORM_NAMES = {"title": "name", "unit": "unit", "booth": "targets", "target": "targets", "lat": "targets"}


@login_required
def drive_new(request):
    scope = scope_for_request(request)
    form = DriveForm(request.POST or None, unit_choices=unit_choices(scope, None))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                unit = unit_get_for_actor(form.cleaned_data["unit"], scope)
                drive = drive_create(scope=scope, unit=unit, **form.drive_values())
                _targets_and_vistaraks(scope, drive, form)
        except DomainError as error:
            add_domain_errors(form, error, fields=FORM_NAMES)
        else:
            return redirect("fieldwork:dashboard", drive.pk)
    return render(request, "fieldwork/drive_form.html", {"form": form, "drive": None})


@login_required
def drive_edit(request, drive_id: int):
    scope = scope_for_request(request)
    try:
        drive = drive_get_for_actor(drive_id, scope)
    except NotFound:
        raise Http404 from None
    form = DriveForm(request.POST or None, editing=True, initial=DriveForm.initial_for(drive))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                drive_update(scope=scope, drive=drive, changes=form.drive_values())
                _targets_and_vistaraks(scope, drive, form)
        except DomainError as error:
            add_domain_errors(form, error, fields=FORM_NAMES)
        else:
            return redirect("fieldwork:dashboard", drive.pk)
    return render(request, "fieldwork/drive_form.html", {"form": form, "drive": drive})


def _targets_and_vistaraks(scope, drive, form) -> None:
    """Each line through its action (``BoothTargetSet``, ``VistarakAssign``); a line that cannot be done
    refuses the whole form (the caller's transaction)."""
    codes = {code for code, _target in form.cleaned_data["targets"]} | {
        code for _mobile, code in form.cleaned_data["vistaraks"]}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)} if codes else {}
    for code, target in form.cleaned_data["targets"]:
        booth = units.get(code)
        if booth is None:
            raise DomainError(_("No unit has the code %(code)s.") % {"code": code}, field="targets")
        booth_target_set(scope=scope, drive=drive, booth=booth, target=target)
    for mobile, code in form.cleaned_data["vistaraks"]:
        unit = units.get(code)
        if unit is None:
            raise DomainError(_("No unit has the code %(code)s.") % {"code": code}, field="vistaraks")
        try:
            person = Person.objects.filter(mobile=person_fields.mobile(mobile)).first()
        except person_fields.FieldError as error:
            raise DomainError(str(error), field="vistaraks") from None
        if person is None:
            raise DomainError(_("No worker is registered with the mobile %(mobile)s.") % {"mobile": mobile},
                              field="vistaraks")
        try:
            vistarak_assign(scope=scope, drive=drive, vistarak=person, unit=unit)
        except DomainError as error:
            raise DomainError(f"{mobile}: {error.message}", field="vistaraks") from None
