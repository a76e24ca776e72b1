"""Whole unit pages as the state admin gets them, against a bare logged-in page in the same run.

On PostgreSQL with the mp demo (≥ ``--min-people`` people), it refreshes the headcounts (timed: that is the
periodic task's cost), then requests the unit pages of the state, a division, the largest district and a
booth through Django's full stack (middleware, session, scope, templates) and times them. The baseline is
a bare page behind the same login and layout, with no unit data: what Django and the layout cost alone.
The ratio says how much the page's own work adds.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.shortcuts import render
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from benchmarks import Timing, summarize
from sangathan.access.models import User
from sangathan.access.scope import Scope
from sangathan.org.models import Unit
from sangathan.people.models import Person
from sangathan.people.services import headcounts_refresh
from sangathan.urls import urlpatterns as app_urlpatterns

BARE_URL = "/bench/bare/"
WARMUP = 3


@login_required
def bare_page(request):
    return render(request, "base.html", {})


# Used as ROOT_URLCONF during the run: the application's URLs plus the bare page.
urlpatterns = [path(BARE_URL.strip("/") + "/", bare_page), *app_urlpatterns]


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("unit_pages measures the PostgreSQL deployment: run it with DATABASE_URL=postgres://…")
    people = Person.objects.count()
    if people < min_people:
        raise CommandError(f"Only {people:,} people: load `sangathan demo --scale mp --members {min_people}` first.")
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        raise CommandError("No active superuser: the mp demo creates one (login state_admin).")
    started = time.perf_counter()
    refreshed = headcounts_refresh(scope=Scope.system(channel="cli"))
    out(f"unit_pages: {people:,} people; headcounts_refresh: {refreshed:,} units in "
        f"{time.perf_counter() - started:.2f} s")

    repeat = min(repeat, 50)  # whole pages: fewer runs than single queries give as steady a median
    pages = _pages()
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        client = Client()
        client.force_login(admin)
        baseline, baseline_queries = _time_page(client, BARE_URL, repeat)
        out(f"  {'page':<34} {'p50':>8} {'p95':>8} {'mean':>8}  queries  ratio to bare page (p50)")
        out(f"  {'bare page (baseline)':<34} {baseline}  {baseline_queries:>7}")
        for label, url in pages:
            timing, queries = _time_page(client, url, repeat)
            out(f"  {label:<34} {timing}  {queries:>7}  {timing.p50 / baseline.p50:.1f}x")


def _pages() -> list[tuple[str, str]]:
    state = Unit.objects.get(parent__isnull=True)
    division = state.children.order_by("path").first()
    district = max(Unit.objects.filter(level="district"), key=lambda unit: Person.objects.filter(
        unit_path__startswith=unit.path).count())
    booth = (Unit.objects.filter(level="booth", path__startswith=district.path)
             .annotate(n=Count("people")).order_by("-n").first())
    return [
        (f"state {state.code}", f"/units/{state.pk}/"),
        (f"state {state.code}, people page 2", f"/units/{state.pk}/?page=2"),
        (f"division {division.code}", f"/units/{division.pk}/"),
        (f"largest district {district.code}", f"/units/{district.pk}/"),
        (f"district {district.code}, search", f"/units/{district.pk}/?q=kumar"),
        (f"booth {booth.code}", f"/units/{booth.pk}/"),
    ]


def _time_page(client: Client, url: str, repeat: int) -> tuple[Timing, int]:
    for _ in range(WARMUP):
        _get(client, url)
    with override_settings(DEBUG=True), CaptureQueriesContext(connection) as context:
        _get(client, url)
    queries = len(context.captured_queries)  # now: the next request clears the connection's log
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        _get(client, url)
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples), queries


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}.")
