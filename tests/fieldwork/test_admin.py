"""Staff repairs of drives in the admin go through the app's actions (validated, audited); what phones sent
is read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sangathan.access.models import AuditLog
from sangathan.core import clock
from sangathan.fieldwork.models import Drive, FieldRecord
from sangathan.fieldwork.services import records_sync
from tests.admin_forms import form_data
from tests.fieldwork.conftest import record, vscope

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tree):
    client.force_login(tree.users["state_admin"])
    return client


def _drive_post(tree, **extra):
    today = clock.today()
    return {"name": "सदस्यता अभियान", "unit": tree["d1"].pk, "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=9)).isoformat(), "consent_text": "मैं सहमत हूँ।",
            "person_fields": '["epic"]', "questions": "[]", **extra}


def test_a_drive_is_started_and_changed_through_its_actions(admin_client, tree):
    response = admin_client.post(reverse("admin:fieldwork_drive_add"), _drive_post(tree))
    assert response.status_code == 302, response.context["adminform"].form.errors
    drive = Drive.objects.get(name="सदस्यता अभियान")
    assert drive.unit_path == tree["d1"].path and drive.person_fields == ["epic"]
    assert AuditLog.objects.filter(action="fieldwork.drive_create", target_id=drive.pk).exists()
    url = reverse("admin:fieldwork_drive_change", args=[drive.pk])
    data = {**form_data(admin_client.get(url)), "name": "सदस्यता अभियान २"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    drive.refresh_from_db()
    assert drive.name == "सदस्यता अभियान २"
    update = AuditLog.objects.get(action="fieldwork.drive_update", target_id=drive.pk)
    assert update.detail["changes"]["title"] == ["सदस्यता अभियान", "सदस्यता अभियान २"]


def test_a_drive_ending_before_it_starts_is_refused_in_hindi(admin_client, tree):
    today = clock.today()
    response = admin_client.post(reverse("admin:fieldwork_drive_add"),
                                 _drive_post(tree, ends_on=(today - timedelta(days=1)).isoformat()),
                                 HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 200 and not Drive.objects.filter(name="सदस्यता अभियान").exists()
    errors = " ".join(str(e) for e in response.context["adminform"].form.errors.get("ends_on", []))
    assert errors and any("\u0900" <= ch <= "\u097f" for ch in errors)


def test_every_fieldwork_admin_page_opens_and_records_are_read_only(admin_client, tree, drive, vistarak):
    records_sync(scope=vscope(vistarak), drive=drive, records=[record(tree)])
    stored = FieldRecord.objects.get()
    for model in ("drive", "boothtarget", "assignment", "dailyplan", "fieldrecord", "recordflag", "capturecode",
                  "photoupload"):
        assert admin_client.get(reverse(f"admin:fieldwork_{model}_changelist")).status_code == 200, model
    page = admin_client.get(reverse("admin:fieldwork_fieldrecord_change", args=[stored.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert admin_client.get(reverse("admin:fieldwork_fieldrecord_add")).status_code == 403
