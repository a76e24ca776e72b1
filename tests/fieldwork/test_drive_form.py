"""The office's web form to start and change a drive (Hindi, on a phone): through the drive actions, errors
in Hindi, nothing written on bad input, refused outside the office's area."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sangathan.core import clock
from sangathan.fieldwork.models import Assignment, BoothTarget, Drive

pytestmark = pytest.mark.django_db
HINDI = {"HTTP_ACCEPT_LANGUAGE": "hi"}


def _hindi(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text)


@pytest.fixture
def office(client, tree):
    client.force_login(tree.users["district_president"])
    return client


def _post(tree, **extra):
    today = clock.today()
    return {"name": "बूथ विस्तारक योजना", "unit": tree["d1"].pk, "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=10)).isoformat(), "person_fields": ["relative_name", "epic"],
            "questions": "family | परिवार में सदस्य | number\nfarmer | क्या किसान हैं? | yes_no | 1",
            "consent_text": "मैं अपनी जानकारी देने को सहमत हूँ।", "otp_required": "on",
            "targets": f"{tree['d1a1b1'].code}: 40", "vistaraks": f"{tree.people['d1a1b1p1'].mobile}: {tree['d1a1b1'].code}",
            **extra}


def test_a_drive_is_started_with_its_form_targets_and_vistaraks(office, tree):
    page = office.get(reverse("fieldwork:new"), **HINDI)
    assert page.status_code == 200 and _hindi(page.content.decode())
    assert 'name="viewport"' in page.content.decode()
    response = office.post(reverse("fieldwork:new"), _post(tree), **HINDI)
    assert response.status_code == 302, response.context["form"].errors
    drive = Drive.objects.get(name="बूथ विस्तारक योजना")
    assert drive.person_fields == ["relative_name", "epic"] and drive.otp_required
    assert drive.questions[1] == {"code": "farmer", "label": "क्या किसान हैं?", "kind": "yes_no", "required": True}
    assert BoothTarget.objects.get(drive=drive).target == 40
    assert Assignment.objects.get(drive=drive).vistarak == tree.people["d1a1b1p1"]


def test_the_drive_is_changed_on_its_edit_page(office, tree):
    office.post(reverse("fieldwork:new"), _post(tree, targets="", vistaraks=""))
    drive = Drive.objects.get(name="बूथ विस्तारक योजना")
    url = reverse("fieldwork:edit", args=[drive.pk])
    assert office.get(url, **HINDI).status_code == 200
    response = office.post(url, {**_post(tree, targets="", vistaraks=""), "name": "विस्तारक योजना २",
                                 "otp_required": ""})
    assert response.status_code == 302
    drive.refresh_from_db()
    assert drive.name == "विस्तारक योजना २" and not drive.otp_required and drive.unit == tree["d1"]


def test_bad_input_comes_back_in_hindi_and_writes_nothing(office, tree):
    today = clock.today()
    response = office.post(reverse("fieldwork:new"), _post(
        tree, ends_on=(today - timedelta(days=3)).isoformat(), consent_text=" ", questions="only-a-code",
        targets="D1A1B1: many"), **HINDI)
    assert response.status_code == 200 and not Drive.objects.exists()
    errors = response.context["form"].errors
    assert {"consent_text", "questions", "targets"} <= set(errors)
    assert all(_hindi(" ".join(errors[name])) for name in ("consent_text", "questions", "targets"))
    # The action's own checks (the period) in Hindi, and a vistarak line that cannot be done undoes it all.
    response = office.post(reverse("fieldwork:new"), _post(tree, ends_on=(today - timedelta(days=3)).isoformat()),
                           **HINDI)
    assert _hindi(" ".join(response.context["form"].errors["ends_on"])) and not Drive.objects.exists()
    response = office.post(reverse("fieldwork:new"), _post(tree, vistaraks="9000000001: D1A1B1"), **HINDI)
    assert "vistaraks" in response.context["form"].errors and not Drive.objects.exists()
    assert not BoothTarget.objects.exists()


def test_outside_the_offices_area_is_refused(office, client, tree):
    response = office.post(reverse("fieldwork:new"), _post(tree, unit=tree["d2"].pk, targets="", vistaraks=""),
                           **HINDI)
    assert response.status_code == 200 and not Drive.objects.exists()
    assert _hindi(" ".join(response.context["form"].errors["unit"]))
    # A booth of another district as a target: refused by the target's action, nothing kept.
    response = office.post(reverse("fieldwork:new"), _post(tree, targets=f"{tree['d2a2b1'].code}: 5", vistaraks=""))
    assert response.status_code == 200 and not Drive.objects.exists()
    # Another district's drive cannot be opened for change.
    office.post(reverse("fieldwork:new"), _post(tree, targets="", vistaraks=""))
    drive = Drive.objects.get()
    client.force_login(tree.users["nobody"])
    assert client.get(reverse("fieldwork:edit", args=[drive.pk])).status_code == 404
