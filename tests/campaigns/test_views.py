"""Campaign pages: progress with drill-down, the report form (Hindi errors, corrections), booth tasks with
evidence and their scoped photos, verification review, the printable review pack, the CLI and the task."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from sangathan.access.scope import Scope
from sangathan.campaigns.models import BoothTask, Report, Verification
from sangathan.campaigns.services import (
    booth_task_create,
    report_submit,
    verification_record,
    verification_sample,
)
from sangathan.campaigns.tasks import campaigns_verify_weekly, sample_size, weekly_seed
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.campaigns.conftest import START, WEEK, scope_of
from tests.campaigns.test_services import PNG
from tests.factories import PersonFactory


def login(user, language="hi"):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def reported(tree, campaign):
    state = scope_of(tree, "state_president")
    for key, homes in (("d1a1m", 140), ("d1a2m", 90), ("d2a1m", 60)):
        report_submit(scope=state, campaign=campaign, unit=tree[key], day=START, values={"homes": homes})
    return campaign


def test_list_and_progress_drill_down(tree, reported):
    client = login(tree.users["district_president"])
    page = client.get("/campaigns/").content.decode()
    assert "महाजनसंपर्क अभियान" in page and "अभियान" in page
    detail = client.get(f"/campaigns/{reported.pk}/")
    text = detail.content.decode()
    assert detail.status_code == 200 and tree["d1"].name_hi in text
    assert tree["d1a1"].name_hi in text and tree["d2"].name_hi not in text.split("</nav>", 1)[1]
    assert "230" in text                                    # 140 + 90 under district 1
    assert 'href="/static/css/campaigns.css"' in text and "<svg" in text
    drill = client.get(f"/campaigns/{reported.pk}/", {"unit": tree["d1a1"].pk, "period": str(START)})
    assert drill.status_code == 200 and tree["d1a1m"].name_hi in drill.content.decode()
    assert client.get(f"/campaigns/{reported.pk}/", {"unit": tree["d2"].pk}).status_code == 404
    assert client.get(f"/campaigns/{reported.pk}/", {"unit": "x"}).status_code == 404
    assert login(tree.users["nobody"]).get(f"/campaigns/{reported.pk}/").status_code == 404


def test_report_form_submits_and_corrects(tree, campaign):
    client = login(tree.users["mandal_president"])
    form = client.get(f"/campaigns/{campaign.pk}/report/")
    assert form.status_code == 200 and "प्रगति रिपोर्ट" in form.content.decode()
    bad = client.post(f"/campaigns/{campaign.pk}/report/", {"unit": tree["d1a1m"].pk,
                                                            "period": str(START + 2 * WEEK), "value_homes": "-3"})
    assert bad.status_code == 200 and not Report.objects.exists()
    assert "field--error" in bad.content.decode()
    ok = client.post(f"/campaigns/{campaign.pk}/report/", {"unit": tree["d1a1m"].pk, "period": str(START + 2 * WEEK),
                                                           "value_homes": "120", "value_members": "7"})
    assert ok.status_code == 302
    again = client.post(f"/campaigns/{campaign.pk}/report/", {"unit": tree["d1a1m"].pk,
                                                              "period": str(START + 2 * WEEK), "value_homes": "110",
                                                              "note": "दोबारा गिना"}, follow=True)
    report = Report.objects.get()
    assert report.revision == 2 and report.revisions.count() == 2
    assert "सुधारी" in again.content.decode() or "correct" in again.content.decode().lower()
    # The form shows the figures on record for correction.
    assert 'value="110"' in client.get(f"/campaigns/{campaign.pk}/report/").content.decode()
    # Someone with nothing to report is refused the form.
    assert login(tree.users["booth_president"]).get(f"/campaigns/{campaign.pk}/report/").status_code == 403


def test_booth_task_evidence_and_scoped_photo(tree, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # noqa: F811 — pytest-django's settings fixture
    client = login(tree.users["booth_president"])
    task = booth_task_create(scope=scope_of(tree, "mandal_president"), campaign=campaign,
                             unit=tree["d1a1b1"], kind="wall_writing")
    page = client.get(f"/campaigns/tasks/{task.pk}/")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    wrong = client.post(f"/campaigns/tasks/{task.pk}/", {"photo": io.BytesIO(b"not an image at all")})
    assert wrong.status_code == 200 and BoothTask.objects.get().status == "open"
    photo = io.BytesIO(PNG)
    photo.name = "wall.png"
    done = client.post(f"/campaigns/tasks/{task.pk}/", {"photo": photo})
    assert done.status_code == 302
    served = client.get(f"/campaigns/tasks/{task.pk}/photo")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    assert login(tree.users["nobody"]).get(f"/campaigns/tasks/{task.pk}/photo").status_code == 404
    listing = login(tree.users["mandal_president"]).get(f"/campaigns/{campaign.pk}/tasks/")
    assert listing.status_code == 200 and task.title in listing.content.decode()


def test_mandal_gives_a_task(tree, campaign):
    client = login(tree.users["mandal_president"])
    response = client.post(f"/campaigns/{campaign.pk}/tasks/", {"unit": tree["d1a1b2"].pk, "kind": "meeting",
                                                               "title": "बूथ बैठक"})
    assert response.status_code == 302 and BoothTask.objects.get().unit == tree["d1a1b2"]


@pytest.fixture
def verified(tree, reported):
    post = Post.objects.get(code="president")
    position_assign(scope=Scope.system(), person=PersonFactory(unit=tree["d1a2m"]), post=post, unit=tree["d1a2m"])
    state = scope_of(tree, "state_president")
    report_submit(scope=state, campaign=reported, unit=tree["d1a2m"], day=START + WEEK,
                  values={"homes": 800})
    drawn = verification_sample(scope=scope_of(tree, "district_president"), campaign=reported, n=10, seed=1)
    for verification in drawn:
        if verification.unit_path == tree["d1a2m"].path:
            verification_record(scope=Scope.system(), verification=verification, reached=True, answers=["नहीं"])
        else:
            verification_record(scope=Scope.system(), verification=verification, reached=True, answers=["हाँ", "140"])
    return reported


def test_verification_review_shows_the_evidence(tree, verified):
    client = login(tree.users["district_president"])
    page = client.get(f"/campaigns/{verified.pk}/verification/").content.decode()
    assert tree["d1a2m"].name_hi in page and "compare--bad" in page and "800" in page
    assert tree.people["district_president"].name in page
    assert login(tree.users["mandal_president"]).get(
        f"/campaigns/{verified.pk}/verification/").content.decode().count("compare--bad") == 0


def test_review_pack_one_page_per_unit(tree, verified):
    client = login(tree.users["district_president"])
    response = client.get(f"/campaigns/{verified.pk}/review/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="card pack-unit"') == 2 and "<script" not in page
    assert tree["d1a1"].name_hi in page and tree["d1a2"].name_hi in page
    css = open(__import__("sangathan").__path__[0] + "/static/css/campaigns.css").read()
    assert "@media print" in css and "break-after: page" in css
    mandal = client.get(f"/campaigns/{verified.pk}/review/", {"unit": tree["d1a2m"].pk}).content.decode()
    assert mandal.count('class="card pack-unit"') == 1


def test_english_is_one_tap_away(tree, reported):
    page = login(tree.users["district_president"], "en").get(f"/campaigns/{reported.pk}/").content.decode()
    assert "Submit progress report" in page and "Homes contacted" in page


def test_cli_verify(tree, reported, capsys):
    post = Post.objects.get(code="president")
    position_assign(scope=Scope.system(), person=PersonFactory(unit=tree["d1a2m"]), post=post, unit=tree["d1a2m"])
    call_command("campaigns", "verify", "--campaign", reported.code, "--sample", "2", "--seed", "9")
    out = capsys.readouterr().out
    assert "2 reports sampled" in out and Verification.objects.count() == 2
    call_command("campaigns", "list")
    assert reported.code in capsys.readouterr().out
    with pytest.raises(CommandError, match="No campaign"):
        call_command("campaigns", "verify", "--campaign", "nope", "--sample", "2", "--seed", "9")
    with pytest.raises(CommandError):
        call_command("campaigns", "verify", "--campaign", str(reported.pk), "--sample", "0", "--seed", "9")


def test_weekly_task(tree, reported, clock):
    assert sample_size(3) == 5 and sample_size(1000) == 50 and sample_size(10**6) == 1000
    assert weekly_seed(7, START) == weekly_seed(7, START + timedelta(days=6)) != weekly_seed(7, START + WEEK)
    campaigns_verify_weekly()
    assert Verification.objects.count() == 3
    campaigns_verify_weekly()
    assert Verification.objects.count() == 3
