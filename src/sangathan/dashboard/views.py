from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from sangathan.access.scope import scope_for_request
from sangathan.core.db_router import reading_from_replica
from sangathan.core.errors import NotFound
from sangathan.core.pagination import TwoStepPaginator
from sangathan.dashboard.today import Today, today_work
from sangathan.org.selectors import (
    OFFICE_BEARER_ROW,
    level_labels,
    scope_root_units,
    unit_breadcrumbs,
    unit_get_for_actor,
    unit_office_bearers,
)
from sangathan.people.search import SearchPaginator
from sangathan.people.selectors import (
    person_list,
    unit_children_with_counts,
    unit_headcount,
    units_with_counts,
)

# Longer queries find nothing more and only cost the database work.
SEARCH_MAX_LENGTH = 100
# What a row of the unit page's people list shows (dashboard/unit_detail.html): 50 rows of the whole person
# and unit cost more to read and build than the rest of the list.
PEOPLE_ROW_FIELDS = ("name", "name_latin", "name_key", "relative_name", "status", "unit", "unit__name_hi",
                     "unit__name_en")


@login_required
@reading_from_replica()
def home(request):
    """What waits for the reader today ("आज का काम"), then their part of the tree: their one unit directly,
    or a list when they hold several; a reader whose posts give no unit (a minister) gets today's work."""
    scope = scope_for_request(request)
    roots = scope_root_units(scope)
    today = today_work(scope, roots=roots)
    if len(roots) == 1:
        return _unit_page(request, roots[0], scope, is_home=True, today=today)
    return render(request, "dashboard/home.html", {"roots": units_with_counts(roots, scope),
                                                   "levels": level_labels(today.token),
                                                   "may_add": scope.writes_all or bool(scope.write_paths),
                                                   "today": today.sections, "has_posts": bool(scope.roles)})


@login_required
@reading_from_replica()
def unit_detail(request, unit_id: int):
    scope = scope_for_request(request)
    try:
        unit = unit_get_for_actor(unit_id, scope)
    except NotFound:
        raise Http404 from None
    return _unit_page(request, unit, scope)


def _marker(value) -> int | None:
    """A person id from the pager's link; None for anything else (a bad one only means page numbers)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _unit_page(request, unit, scope, *, is_home: bool = False, today: Today | None = None):
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    headcount = unit_headcount(unit, scope)
    people = person_list(scope=scope, unit=unit, q=q, audit=bool(q))  # a search of the unit is audited
    # get_page turns a malformed or out-of-range ?page= into the first or last page instead of an error.
    if q:  # a search reads its page and its total in one query
        page = SearchPaginator(people, settings.SANGATHAN_PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        paginator = TwoStepPaginator(people.only(*PEOPLE_ROW_FIELDS), settings.SANGATHAN_PAGE_SIZE,
                                     count=headcount.people)
        after, before = _marker(request.GET.get("after")), _marker(request.GET.get("before"))
        if after is None and before is None:
            page = paginator.get_page(request.GET.get("page"))
        else:  # the pager's links: from the row the page follows (or precedes), however deep
            page = paginator.page_beside(request.GET.get("page"), key="name_latin", after=after, before=before)
    children = unit_children_with_counts(unit, scope)
    context = {
        "unit": unit,
        "is_home": is_home,
        # The home read the reference token with its counts: the process's levels serve while it holds.
        "levels": level_labels(today.token if today else None),
        "crumbs": unit_breadcrumbs(unit, scope),
        "office_bearers": unit_office_bearers(unit, only=OFFICE_BEARER_ROW),
        "children": children,
        "booth_count": sum(child.booths for child in children),
        "page": page,
        "q": q,
        "people_total": headcount.people,
        "scope": scope,
        "today": today.sections if today else None,
    }
    return render(request, "dashboard/unit_detail.html", context)
