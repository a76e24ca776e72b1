"""The public "who sits today" pages: no login, Hindi by default, nothing but names, posts and hours."""

from django.http import Http404
from django.shortcuts import render

from sangathan.core import clock
from sangathan.core.errors import NotFound
from sangathan.core.ratelimit import request_limited
from sangathan.core.views import too_many_requests
from sangathan.rosters.selectors import office_days, office_get_public, offices_public

DAYS_AHEAD = 7


def today_index(request):
    """Every open office with who sits there today."""
    if limited := request_limited("today.ip", request):
        return too_many_requests(request, limited)
    today = clock.today()
    offices = list(offices_public())
    return render(request, "rosters/public_index.html", {"offices": offices, "today": today})


def today_office(request, office_id: int):
    """One office: who sits today and the next days. Counted per address (``today.ip``) like the index,
    so walking the office numbers is slowed."""
    if limited := request_limited("today.ip", request):
        return too_many_requests(request, limited)
    try:
        office = office_get_public(office_id)
    except NotFound:
        raise Http404 from None
    today = clock.today()
    days = office_days(office, today, days=DAYS_AHEAD)
    return render(request, "rosters/public_office.html", {
        "office": office, "today": today, "today_sittings": days[0].sittings, "next_days": days[1:],
    })
