"""The dashboard (per scope, per day), the app shell, its service worker and manifest."""

import pytest
from django.test import Client

from sangathan.fieldwork.dashboard import drive_figures
from sangathan.fieldwork.services import records_sync
from tests.fieldwork.conftest import record, scope_of, vscope

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_figures_per_day_and_scope(tree, drive, vistarak):
    records_sync(scope=vscope(vistarak), drive=drive, records=[
        record(tree), record(tree), record(tree, mobile="1"), record(tree, accuracy=0.0, **{
            "gps_consent": True, "gps": {"lat": 23.26, "lng": 77.41, "accuracy": 0.0}})])
    figures = drive_figures(scope=scope_of(tree, "district_president"), drive=drive)
    assert figures.total.collected == 4 and figures.total.accepted == 3 and figures.total.rejected == 1
    assert figures.total.flagged == 1 and figures.flags == {"mock_location": 1}
    assert (figures.booths_covered, figures.booths_target, figures.target) == (1, 1, 30)
    assert figures.vistaraks[0]["records"] == 4 and figures.vistaraks[0]["registered"] == 3
    # The other district's president sees none of it.
    elsewhere = drive_figures(scope=scope_of(tree, "mandal_president"), drive=drive, unit=tree["d1a2m"])
    assert elsewhere.total.collected == 0


def test_dashboard_page_with_charts(tree, drive, vistarak, django_assert_max_num_queries):
    records_sync(scope=vscope(vistarak), drive=drive, records=[record(tree), record(tree)])
    client = _client(tree.users["district_president"])
    with django_assert_max_num_queries(40):
        response = client.get(f"/fieldwork/drives/{drive.pk}/")
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    assert client.get("/fieldwork/").status_code == 200


def test_app_shell_worker_and_manifest(tree, drive, vistarak):
    client = _client(vistarak)
    shell = client.get(f"/fieldwork/app/?drive={drive.pk}")
    assert shell.status_code == 200 and "csrftoken" in shell.cookies
    html = shell.content.decode()
    assert "vendor/dexie/dexie.min.js" in html and "<script>" not in html  # no inline script (CSP)
    worker = client.get("/fieldwork/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert "fieldwork-shell-v1" in worker.content.decode()
    assert client.get("/fieldwork/manifest.webmanifest").json()["start_url"] == "/fieldwork/app/"
