"""Pages of committees (mobile-first, Hindi by default). Thin: actions write, selectors read, both take
the reader's scope. Completeness opens at the reader's own unit; tapping a child drills down, and each
page lists exactly what is missing under it."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.committees import checks
from sangathan.committees.enums import Category, HistoryAction
from sangathan.committees.forms import MemberForm, OfficeForm, form_error
from sangathan.committees.models import CommitteeType
from sangathan.committees.selectors import (
    booth_pages,
    candidates,
    committee_get_for_actor,
    committee_seats,
    committee_types,
    completeness,
    labels,
    missing_items,
    seat_get_for_actor,
)
from sangathan.committees.services import (
    committee_dissolve,
    committee_form,
    convener_name,
    member_add,
    member_remove,
    office_update,
    seat_warnings,
)
from sangathan.core.charts import bar_chart
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.org.models import Post, Unit, Wing
from sangathan.org.selectors import level_labels, unit_breadcrumbs, unit_get_for_actor

MISSING_SHOWN = 30
SEAT_POSTS = ("president", "vice_president", "general_secretary", "secretary", "convener", "co_convener",
              "incharge", "bla", "page_incharge")


def _unit(unit_id, scope) -> Unit:
    try:
        return unit_get_for_actor(unit_id, scope)
    except NotFound:
        raise Http404 from None


@login_required
def home(request):
    scope = scope_for_request(request)
    if scope.sees_all:
        unit = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    else:
        paths = sorted(scope.read_paths)
        unit = Unit.objects.filter(path=paths[0]).first() if paths else None
    if unit is None:  # a minister, a post that gives no unit: say so rather than answer 404
        return render(request, "committees/no_unit.html")
    return redirect("committees:unit", unit.pk)


@login_required
def unit_view(request, unit_id: int):
    """Completeness of the unit's subtree and of each child, the unit's own committees (or the button to
    form one), the exact missing items under it, and at a booth its pages with their in-charges."""
    scope = scope_for_request(request)
    unit = _unit(unit_id, scope)
    types = committee_types()
    total, rows = completeness(scope=scope, unit=unit, types=types)
    names = labels()
    missing = []
    for figure in total.shown:
        if figure.missing:
            items = list(missing_items(scope=scope, unit=unit, ctype=figure.type, limit=MISSING_SHOWN))
            missing.append((figure, [(item, item.text(names)) for item in items[:MISSING_SHOWN]]))
    charts = [bar_chart([(row.unit.name, fig.complete, fig.units, reverse("committees:unit", args=[row.unit.pk]))
                         for row in rows for fig in row.figures if fig.type.pk == figure.type.pk],
                        title=_("%(committee)s: complete out of units") % {"committee": figure.type.label},
                        tone=_tone)
              for figure in total.shown[:2]] if rows else []
    own = [t for t in types if t.level == unit.level]
    committees = {c.type_id: c for c in unit.committees.filter(status="active").select_related("type")}
    context = {
        "unit": unit, "total": total, "rows": rows, "missing": missing, "levels": level_labels(), "charts": charts,
        "crumbs": unit_breadcrumbs(unit, scope), "may_write": scope.can_write_path(unit.path),
        "own": [(t, committees.get(t.pk), checks_text(committees.get(t.pk), names)) for t in own],
        "pages": booth_pages(scope=scope, booth=unit) if unit.level == "booth" else None,
    }
    return render(request, "committees/unit.html", context)


def _tone(value, target):
    if not target:
        return "brand"
    share = value / target
    return "ok" if share >= 0.75 else "warn" if share >= 0.4 else "bad"


def checks_text(committee, names) -> list[str]:
    if committee is None:
        return []
    return [checks.reason_text(r, names) for r in committee.reasons]


@login_required
def missing_csv(request, unit_id: int):
    """Every missing or incomplete committee under the unit, one row each with the reasons."""
    scope = scope_for_request(request)
    unit = _unit(unit_id, scope)
    names = labels()

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def rows():
        yield "\ufeff" + writer.writerow([_("Unit code"), _("Unit"), _("Committee"), _("Status"), _("Reasons")])
        for ctype in committee_types():
            for item in missing_items(scope=scope, unit=unit, ctype=ctype):
                status = _("Not formed") if item.committee_id is None else _("Incomplete")
                yield writer.writerow([item.unit_code, item.unit_name, ctype.label, status, item.text(names)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="committees-missing-{unit.code}.csv"'
    return response


@login_required
@require_POST
def form_view(request, unit_id: int):
    scope = scope_for_request(request)
    unit = _unit(unit_id, scope)
    ctype = CommitteeType.objects.filter(code=request.POST.get("type", "")).first()
    if ctype is None:
        messages.error(request, _("Choose a committee."))
        return redirect("committees:unit", unit.pk)
    try:
        committee = committee_form(scope=scope, unit=unit, type=ctype)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("committees:unit", unit.pk)
    messages.success(request, _("%(committee)s formed. Now add its members.") % {"committee": ctype.label})
    return redirect("committees:committee", committee.pk)


@login_required
def committee_view(request, committee_id: int):
    """A committee: verdict and reasons, members, and for those who write the unit the forms to add and
    remove members, name the convener, set an office's details, or dissolve it. One POST route with ``op``."""
    scope = scope_for_request(request)
    try:
        committee = committee_get_for_actor(committee_id, scope)
    except NotFound:
        raise Http404 from None
    may_write = committee.is_active and scope.can_write_path(committee.unit_path)
    posts = list(Post.objects.filter(code__in=SEAT_POSTS))
    wings = list(Wing.objects.all())
    people = candidates(committee) if may_write else []
    member_form = MemberForm(request.POST if request.POST.get("op") == "add" else None, people=people, posts=posts,
                             wings=wings)
    office_form = OfficeForm(request.POST if request.POST.get("op") == "office" else None, initial={
        "address": committee.address, "phone": committee.phone, "active_since": committee.active_since})
    if request.method == "POST":
        if not scope.can_write_path(committee.unit_path):
            raise Forbidden
        try:
            done = _post(request, scope, committee, member_form, office_form, people, posts, wings)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise Forbidden from None
        except DomainError as error:
            form = office_form if request.POST.get("op") == "office" else member_form
            form_error(form, error)
            if request.POST.get("op") not in ("add", "office"):
                messages.error(request, error.message)
            done = False
        if done:
            return redirect("committees:committee", committee.pk)
    names = labels()
    seats = committee_seats(committee)
    for seat in seats:
        seat.flags = seat_warnings(seat.person, committee.unit)
    context = {
        "committee": committee, "unit": committee.unit, "seats": seats, "may_write": may_write,
        "reasons": [checks.reason_text(r, names) for r in committee.reasons],
        "member_form": member_form, "office_form": office_form, "is_office": committee.type.category == Category.OFFICE,
        "crumbs": unit_breadcrumbs(committee.unit, scope), "levels": level_labels(),
        "history": list(committee.history.select_related("person").order_by("-at", "-id")[:20]),
        "unit_url": reverse("committees:unit", args=[committee.unit_id]), "actions": HistoryAction,
    }
    return render(request, "committees/committee.html", context)


def _post(request, scope, committee, member_form, office_form, people, posts, wings) -> bool:
    op = request.POST.get("op")
    if op == "add":
        if not member_form.is_valid():
            return False
        data = member_form.cleaned_data
        person = next((p for p in people if p.pk == data["person"]), None)
        if person is None:
            member_form.add_error("person", _("Choose a worker of this unit."))
            return False
        member_add(scope=scope, committee=committee, person=person,
                   post=next((p for p in posts if p.code == data["post"]), None),
                   wing=next((w for w in wings if w.code == data["wing"]), None))
        committee.refresh_from_db()
        messages.success(request, _("%(name)s added.") % {"name": person.name})
        if committee.is_complete:
            messages.success(request, _("The committee is complete."))
        return True
    if op == "remove":
        seat = seat_get_for_actor(committee, request.POST.get("seat"))
        member_remove(scope=scope, seat=seat, reason=request.POST.get("reason", ""))
        messages.success(request, _("%(name)s removed.") % {"name": seat.person.name})
        return True
    if op == "convener":
        seat = seat_get_for_actor(committee, request.POST.get("seat"))
        convener_name(scope=scope, committee=committee, person=seat.person)
        messages.success(request, _("%(name)s named convener.") % {"name": seat.person.name})
        return True
    if op == "office":
        if not office_form.is_valid():
            return False
        office_update(scope=scope, committee=committee, **office_form.cleaned_data)
        messages.success(request, _("Office details saved."))
        return True
    if op == "dissolve":
        committee_dissolve(scope=scope, committee=committee, reason=request.POST.get("reason", ""))
        messages.success(request, _("Committee dissolved. A new one can be formed."))
        return True
    raise DomainError(_("Unknown request."))


