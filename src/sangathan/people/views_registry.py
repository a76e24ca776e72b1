"""Pages of the registry: the search page with its export buttons, and the review of probable duplicates.

Thin: the form reads the filters, selectors read (scoped), services write.
"""

from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.pagination import TwoStepPaginator
from sangathan.org.selectors import level_labels, scope_root_units, unit_get_for_actor
from sangathan.people.dedup import duplicate_candidates, duplicate_dismiss, duplicate_get_for_actor
from sangathan.people.display import FIELD_LABELS
from sangathan.people.exports import ExportSpec, export_response
from sangathan.people.imports.uploads import may_import
from sangathan.people.merge import MERGED, SURVIVOR, merge_fields, person_merge
from sangathan.people.models import DuplicateCandidate, Person
from sangathan.people.privacy import mobile_for_reader
from sangathan.people.search import SearchPaginator
from sangathan.people.search_forms import PeopleFilterForm
from sangathan.people.selectors import person_list
from sangathan.people.services.duplicates import duplicates_find_queue

DUPLICATES_PER_PAGE = 20


def _rows(people, scope) -> list[tuple[Person, str]]:
    return [(person, mobile_for_reader(scope=scope, person=person)) for person in people]


@login_required
def people_search(request):
    """One search box over the reader's part of the registry (name in either script, mobile, voter ID,
    membership number) with filters, and the filtered list's export."""
    scope = scope_for_request(request)
    form = PeopleFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    people = person_list(scope=scope, **filters, audit=True)
    paginator_class = SearchPaginator if filters["q"] else TwoStepPaginator
    page = paginator_class(people, settings.SANGATHAN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "filters": filters, "page": page, "rows": _rows(page.object_list, scope),
        "unit": filters["unit"], "levels": level_labels(), "scope": scope,
        "roots": scope_root_units(scope) if filters["unit"] is None else [],
        "may_import": may_import(scope),
        "may_add": (scope.can_write_path(filters["unit"].path) if filters["unit"] is not None
                    else scope.writes_all or bool(scope.write_paths)),
    }
    return render(request, "people/search.html", context)


@login_required
def people_export(request, fmt: str):
    """The search page's list (same filters) as CSV or XLSX, streamed; audited when the last row is out."""
    scope = scope_for_request(request)
    form = PeopleFilterForm(request.GET or None, scope=scope)
    if form.is_bound and "unit" in form.errors:
        raise Http404
    spec = ExportSpec(scope=scope, filters=form.filters(), fmt=fmt)
    return export_response(spec)


@login_required
def duplicate_list(request):
    """Probable duplicates the reader may review (both records in scope), best first."""
    scope = scope_for_request(request)
    unit = None
    if request.GET.get("unit"):
        try:
            unit = unit_get_for_actor(request.GET["unit"], scope)
        except NotFound:
            raise Http404 from None
    pairs = duplicate_candidates(scope=scope, unit=unit)
    page = TwoStepPaginator(pairs, DUPLICATES_PER_PAGE).get_page(request.GET.get("page"))
    roots = [root for root in scope_root_units(scope) if scope.can_write_path(root.path)]
    return render(request, "people/duplicate_list.html",
                  {"page": page, "unit": unit, "roots": roots, "scope": scope})


@login_required
@require_POST
def duplicate_find(request):
    """Queue a search for duplicates under a unit the reader may write to."""
    scope = scope_for_request(request)
    try:
        unit = unit_get_for_actor(request.POST.get("unit"), scope)
    except NotFound:
        raise Http404 from None
    try:
        duplicates_find_queue(scope=scope, unit=unit)
    except PermissionDenied:
        raise Forbidden from None
    messages.info(request, _("The search for duplicates under %(unit)s has started; "
                             "new pairs appear here when it is done.") % {"unit": unit.name})
    return redirect(reverse("people:duplicates") + f"?unit={unit.pk}")


def _pair_or_404(candidate_id, scope, *, audit: bool = True) -> DuplicateCandidate:
    try:
        pair = duplicate_get_for_actor(candidate_id, scope, audit=audit)
    except NotFound:
        raise Http404 from None
    if pair.person_a is None or pair.person_b is None:
        raise Http404
    return pair


def _shown(person: Person, field) -> str:
    """A field's value as the reviewer reads it."""
    value = getattr(person, field.name)
    if field.name == "unit":
        return person.unit.name
    if field.choices:
        return person._get_FIELD_display(field) or "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items()) or "—"
    if isinstance(value, FieldFile):
        return value.name.rsplit("/", 1)[-1] if value else "—"
    return str(value) if value not in (None, "") else "—"


def _comparison(pair: DuplicateCandidate, scope) -> list[dict]:
    """Side-by-side rows: each field's label and both values, and whether they differ."""
    a, b = pair.person_a, pair.person_b
    rows = [{"name": "mobile", "label": FIELD_LABELS["mobile"], "a": mobile_for_reader(scope=scope, person=a),
             "b": mobile_for_reader(scope=scope, person=b), "differs": a.mobile != b.mobile}]
    for name in merge_fields():
        field = Person._meta.get_field(name)
        if field.is_relation and name != "unit":
            continue
        differs = getattr(a, field.attname) != getattr(b, field.attname)
        shown_a, shown_b = _shown(a, field), _shown(b, field)
        if not differs and shown_a == "—":
            continue
        rows.append({"name": name, "label": FIELD_LABELS.get(name, field.verbose_name), "a": shown_a, "b": shown_b,
                     "differs": differs})
    return rows


@login_required
def duplicate_detail(request, candidate_id: int):
    """The two records side by side; merge (choosing, per differing field, which value stays) or dismiss."""
    scope = scope_for_request(request)
    pair = _pair_or_404(candidate_id, scope)
    may_decide = scope.can_write_path(pair.path_a) and scope.can_write_path(pair.path_b)
    context = {"pair": pair, "rows": _comparison(pair, scope), "may_decide": may_decide,
               "is_open": pair.status == DuplicateCandidate.Status.OPEN}
    return render(request, "people/duplicate_detail.html", context)


@login_required
@require_POST
def duplicate_decide(request, candidate_id: int):
    """Merge the pair (``action=merge``, ``keep=a|b``, ``choice_<field>=a|b``) or dismiss it."""
    scope = scope_for_request(request)
    pair = _pair_or_404(candidate_id, scope, audit=False)  # the decision writes its own audit row
    try:
        if request.POST.get("action") == "dismiss":
            duplicate_dismiss(scope=scope, candidate=pair)
            messages.success(request, _("Marked as two different people."))
            return redirect("people:duplicates")
        if pair.status != DuplicateCandidate.Status.OPEN:
            raise DomainError(_("This pair has already been decided."), code="decided")
        keep_b = request.POST.get("keep") == "b"
        survivor, merged = (pair.person_b, pair.person_a) if keep_b else (pair.person_a, pair.person_b)
        choices = {}
        for name in ["mobile", *merge_fields()]:
            side = request.POST.get(f"choice_{name}")
            if side in ("a", "b"):
                chose_survivor = (side == "b") == keep_b
                choices[name] = SURVIVOR if chose_survivor else MERGED
        person_merge(scope=scope, survivor=survivor, merged=merged, field_choices=choices)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("people:duplicate", candidate_id=pair.pk)
    messages.success(request, _("The two records are now one."))
    return redirect("people:person", person_id=survivor.pk)
