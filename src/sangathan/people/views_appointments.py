"""Appointments from the office: a unit's posts (held and vacant), appoint a worker, relieve, hand over;
vacancies under a unit (list, count, CSV). The rule "only a unit above appoints" is
``people.policies.require_appoint_at``, applied by the actions in ``people.appointments``."""

import io
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_request
from sangathan.access.services import audit_log
from sangathan.core.cells import csv_writer
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.exports import FORMATS, Sheet, export_response
from sangathan.core.forms import add_domain_errors
from sangathan.core.tree import SEGMENT
from sangathan.org.models import Position, Unit
from sangathan.org.policies import is_state_admin
from sangathan.org.selectors import level_labels, unit_breadcrumbs, unit_get_for_actor
from sangathan.people.appointments import (
    appointment_handover,
    appointment_make,
    appointment_relieve,
    people_for_choice,
    unit_post_slots,
    vacancies,
    vacancy_header,
    vacancy_row,
)
from sangathan.people.forms_counter import AppointForm, HandoverForm, RelieveForm
from sangathan.people.policies import may_appoint_at
from sangathan.people.privacy import mobile_for_reader
from sangathan.people.selectors import person_get_for_actor

VACANCIES_SHOWN = 200


def _unit_or_404(unit_id: int, scope) -> Unit:
    try:
        return unit_get_for_actor(unit_id, scope)
    except NotFound:
        raise Http404 from None


@login_required
def unit_posts(request, unit_id: int):
    scope = scope_for_request(request)
    unit = _unit_or_404(unit_id, scope)
    slots, others = unit_post_slots(unit)
    may_appoint = {slot.post.code: may_appoint_at(scope, unit.path, slot.post.code) for slot in slots}
    context = {
        "unit": unit, "levels": level_labels(), "crumbs": unit_breadcrumbs(unit, scope),
        "slots": [(slot, may_appoint[slot.post.code]) for slot in slots],
        "others": [(position, may_appoint_at(scope, unit.path, position.post.code)) for position in others],
        "vacant": sum(1 for slot in slots if slot.vacant),
    }
    return render(request, "people/unit_posts.html", context)


@login_required
def unit_vacancies(request, unit_id: int):
    scope = scope_for_request(request)
    unit = _unit_or_404(unit_id, scope)
    rows = vacancies(scope, unit)
    shown = list(itertools.islice(rows, VACANCIES_SHOWN))
    total = len(shown) + sum(1 for _row in rows)
    return render(request, "people/vacancies.html", {
        "unit": unit, "levels": level_labels(), "crumbs": unit_breadcrumbs(unit, scope), "rows": shown,
        "total": total, "more": total - len(shown)})


@login_required
def unit_vacancies_csv(request, unit_id: int):
    scope = scope_for_request(request)
    unit = _unit_or_404(unit_id, scope)
    rows = vacancies(scope, unit)

    def lines():
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        buffer.write("\ufeff")  # so that Excel reads the Hindi as UTF-8
        writer.writerow(vacancy_header())
        for count, (each, post) in enumerate(rows, start=1):
            writer.writerow(vacancy_row(each, post))
            if count % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vacancies-{unit.code}.csv"'
    return response


@login_required
def unit_vacancies_export(request, unit_id: int, fmt: str):
    """The vacancies under a unit as Excel (every row, streamed from a temporary file) or PDF."""
    if fmt not in FORMATS:
        raise Http404
    scope = scope_for_request(request)
    unit = _unit_or_404(unit_id, scope)
    sheet = Sheet(title=_("Vacancies"), header=vacancy_header(),
                  rows=(vacancy_row(each, post) for each, post in vacancies(scope, unit)), widths=[2, 4, 2, 3])

    def audit(count: int) -> None:
        audit_log(scope=scope, action=AuditLog.Action.EXPORT, unit_path=unit.path,
                  detail={"what": "vacancies", "format": fmt, "unit": unit.code, "rows": count})

    return export_response(fmt, [sheet], title=_("Vacant posts") + f" · {unit.name}", stem=f"vacancies-{unit.code}",
                           on_done=audit, landscape=False)


def _person_or_404(request, person_id: int):
    scope = scope_for_request(request)
    try:
        return scope, person_get_for_actor(person_id, scope, audit=False)
    except NotFound:
        raise Http404 from None


def _appoint_units(scope, person) -> list[tuple[int, str]]:
    """The person's unit and the units above it where the actor may appoint (by the default rule; a post
    with its own rule is checked by the action)."""
    levels = level_labels()
    paths = [person.unit_path[:end] for end in range(SEGMENT, len(person.unit_path) + 1, SEGMENT)]
    units = Unit.objects.filter(path__in=paths).order_by("-path")
    return [(unit.pk, f"{unit.name} ({levels[unit.level].label if unit.level in levels else unit.level})")
            for unit in units if scope.can_read_path(unit.path) and may_appoint_at(scope, unit.path, "")]


@login_required
def person_appoint(request, person_id: int):
    scope, person = _person_or_404(request, person_id)
    choices = _appoint_units(scope, person)
    overlays = is_state_admin(scope)
    if not choices and not overlays:
        raise Http404
    form = AppointForm(request.POST or None, unit_choices=choices, overlays=overlays,
                       initial={"start_date": timezone.localdate(), "post": "president",
                                "unit": choices[0][0] if choices else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = Unit.objects.get(pk=data["unit"]) if data.get("unit") else None
        try:
            appointment_make(scope=scope, person=person, post=data["post"], unit=unit,
                             overlay=None if unit else data.get("overlay"), wing=data.get("wing"),
                             start_date=data["start_date"], note=data.get("note", ""))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Appointed."))
            return redirect("people:person", person_id=person.pk)
    return render(request, "people/appoint.html", {"form": form, "person": person})


def _position_or_404(request, position_id: int):
    scope = scope_for_request(request)
    position = Position.objects.select_related("person", "post", "unit", "overlay", "wing").filter(
        pk=position_id).first()
    if position is None:
        raise Http404
    place_path = position.unit.path if position.unit_id else ""
    readable = scope.can_read_path(place_path) if place_path else scope.can_read_path(position.person.unit_path)
    if not readable:
        raise Http404
    return scope, position


def _back(position):
    if position.unit_id:
        return redirect("people:unit_posts", unit_id=position.unit_id)
    return redirect("people:person", person_id=position.person_id)


@login_required
def position_relieve(request, position_id: int):
    scope, position = _position_or_404(request, position_id)
    form = RelieveForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            appointment_relieve(scope=scope, position=position, end_date=form.cleaned_data["end_date"],
                                reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Relieved."))
            return _back(position)
    return render(request, "people/relieve.html", {"form": form, "position": position})


@login_required
def position_handover(request, position_id: int):
    scope, position = _position_or_404(request, position_id)
    q = (request.GET.get("q") or request.POST.get("q") or "").strip()[:100]
    candidates = [p for p in people_for_choice(scope, q) if p.pk != position.person_id] if q else []
    chosen = request.POST.get("person", "")
    if chosen.isdigit() and int(chosen) not in {p.pk for p in candidates}:
        try:
            candidates.append(person_get_for_actor(int(chosen), scope, audit=False))
        except NotFound:
            pass
    choice_list = [(p.pk, f"{p.name} · {p.unit.name} · {mobile_for_reader(scope=scope, person=p)}") for p in candidates]
    form = HandoverForm(request.POST or None, person_choices=choice_list, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        person = next(p for p in candidates if p.pk == form.cleaned_data["person"])
        try:
            appointment_handover(scope=scope, position=position, person=person, on=form.cleaned_data["on"],
                                 reason=form.cleaned_data.get("reason", ""))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Handed over."))
            return _back(position)
    return render(request, "people/handover.html", {"form": form, "position": position, "q": q,
                                                    "searched": bool(q)})
