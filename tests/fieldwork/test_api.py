"""The sync API over HTTP: per-record answers, re-sends, concurrent copies (PostgreSQL), field errors."""

import json
import threading
import uuid

import pytest
from django.db import connection

from sangathan.fieldwork.models import FieldRecord
from sangathan.people.models import Person
from tests.api_client import ApiClient
from tests.factories import PASSWORD
from tests.fieldwork.conftest import record


def _login(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return ApiClient.login(user)


def _jsonable(item):
    return {**item, "captured_at": item["captured_at"].isoformat()}


@pytest.mark.django_db
def test_sync_answers_each_record(tree, drive, vistarak):
    api = _login(vistarak)
    good, bad = record(tree), record(tree, mobile="123")
    response = api.post(f"/fieldwork/drives/{drive.pk}/sync", {"records": [_jsonable(good), _jsonable(bad)]})
    assert response.status_code == 200, response.content
    answers = response.json()["answers"]
    assert [a["status"] for a in answers] == ["accepted", "rejected"]
    assert list(answers[1]["errors"]) == ["mobile"]
    start = api.get(f"/fieldwork/drives/{drive.pk}/start").json()
    assert [b["code"] for b in start["booths"]] == ["D1A1B1"] and start["booths"][0]["target"] == 30
    assert any(w["id"] == answers[0]["person_id"] for w in start["workers"])


@pytest.mark.django_db
def test_sync_body_errors_are_field_level(tree, drive, vistarak):
    api = _login(vistarak)
    response = api.post(f"/fieldwork/drives/{drive.pk}/sync", {"records": [{"client_uuid": "nope"}]})
    assert response.status_code == 422
    assert any(key.startswith("records.0") for key in response.json()["errors"])


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_copies_of_a_batch_create_each_person_once(tree, drive, vistarak, is_postgres):
    if not is_postgres:
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises every write)")
    api_user = vistarak
    _login(api_user)
    batch = {"records": [_jsonable(record(tree)) for _ in range(5)]}
    body = json.dumps(batch)
    barrier = threading.Barrier(3)
    results = []

    def send():
        from django.test import Client

        client = Client()
        token = ApiClient.login(api_user).token
        barrier.wait()
        try:
            response = client.post(f"/api/v1/fieldwork/drives/{drive.pk}/sync", body,
                                   content_type="application/json", headers={"Authorization": f"Bearer {token}"})
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _body in results] == [200, 200, 200]
    answers = [sorted((a["client_uuid"], a["status"], a["person_id"]) for a in body["answers"])
               for _status, body in results]
    assert answers[0] == answers[1] == answers[2]
    assert {status for _uuid, status, _pid in answers[0]} == {"accepted"}
    uuids = [uuid.UUID(r["client_uuid"]) for r in batch["records"]]
    assert FieldRecord.objects.filter(client_uuid__in=uuids).count() == 5
    mobiles = [r["fields"]["mobile"] for r in batch["records"]]
    assert Person.objects.filter(mobile__in=mobiles).count() == 5
