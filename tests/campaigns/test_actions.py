"""Every campaigns write is an action on a required scope, leaves its history or audit row, and answers the
same on the web and the API for the same actor and the same object."""

import dataclasses
import inspect
import io

import pytest
from django.test import Client

from sangathan.access.models import AuditLog, ScopeGrant
from sangathan.access.scope import Scope
from sangathan.campaigns import services
from sangathan.campaigns.models import Report, ReportRevision
from sangathan.campaigns.services import (
    booth_task_complete,
    booth_task_create,
    campaign_close,
    report_submit,
    target_set,
    verification_record,
    verification_sample,
)
from sangathan.campaigns.services.verification import sample_candidates
from sangathan.core.actions import Action
from sangathan.org.enums import Grant
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.api_client import ApiClient
from tests.campaigns.conftest import START, scope_of
from tests.campaigns.test_services import PNG
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

WRITES = [services.booth_task_complete, services.booth_task_create, services.campaign_close,
          services.campaign_create, services.report_submit, services.target_set, services.verification_record,
          services.verification_sample, sample_candidates]


def _parameters(write) -> dict:
    action = getattr(write, "__self__", None)
    if isinstance(action, type) and issubclass(action, Action):
        return {f.name: f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                for f in dataclasses.fields(action)}
    return {name: p.default is inspect.Parameter.empty for name, p in inspect.signature(write).parameters.items()}


def _rows(code: str):
    return AuditLog.objects.filter(action=code)


def _reader(tree, unit_key: str):
    """A user who may read ``unit_key``'s subtree but write nothing (a read grant)."""
    user = tree.users["nobody"]
    ScopeGrant.objects.create(user=user, unit=tree[unit_key], grant=Grant.READ, reason="reviewer")
    return user


def _login(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_write_needs_a_scope():
    for write in WRITES:
        parameters = _parameters(write)
        assert parameters.get("scope") is True, write
        assert "actor" not in parameters, write


def test_every_write_leaves_its_row(tree, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    president = tree.users["state_president"]
    state = scope_of(tree, "state_president")
    assert _rows("campaigns.create").get().actor == president
    homes = campaign.metrics.get(code="homes")
    target_set(scope=state, campaign=campaign, metric=homes, unit=tree["d1"], value=100)
    target_set(scope=state, campaign=campaign, metric=homes, unit=tree["d1"], value=60)
    assert [r.detail["before"] for r in _rows("campaigns.target_set").order_by("id")] == [0, 100]
    mandal = scope_of(tree, "mandal_president")
    report = report_submit(scope=mandal, campaign=campaign, unit=tree["d1a1m"], day=START, values={"homes": 5})
    assert ReportRevision.objects.get(report=report).actor == tree.users["mandal_president"]
    task = booth_task_create(scope=mandal, campaign=campaign, unit=tree["d1a1b1"], kind="wall_writing")
    assert _rows("campaigns.task_create").get().target_id == task.pk
    booth_task_complete(scope=scope_of(tree, "booth_president"), task=task, photo=io.BytesIO(PNG))
    row = _rows("campaigns.task_complete").get()
    assert row.actor == tree.users["booth_president"] and row.detail["photo"] is True
    position_assign(scope=Scope.system(), person=PersonFactory(unit=tree["d1a1m"]),
                    post=Post.objects.get(code="president"), unit=tree["d1a1m"])
    drawn = verification_sample(scope=state, campaign=campaign, n=1, seed=3, since=START)
    assert _rows("campaigns.verification_sample").get().detail["reports"] == [report.pk]
    verification_record(scope=Scope.system(), verification=drawn[0], reached=False, answers=[])
    assert _rows("campaigns.verification_record").get().detail["status"] == "unreached"
    campaign_close(scope=state, campaign=campaign)
    assert _rows("campaigns.close").get().target_id == campaign.pk


def test_report_submit_parity(tree, campaign):
    """Same actor, same unit: saved on both (redirect ↔ 201); outside the scope 404 on both; visible but
    not writable 403 on both. Nothing is written by a refusal."""
    web_url = f"/campaigns/{campaign.pk}/report/"
    api_path = f"/campaigns/{campaign.pk}/reports"
    mandal = tree.users["mandal_president"]
    web, api = _login(mandal), ApiClient.login(mandal)
    body = {"unit": tree["d1a1m"].pk, "period": str(START), "value_homes": "12"}
    assert web.post(web_url, body).status_code == 302
    assert api.post(api_path, {"unit": tree["d1a1m"].pk, "day": str(START), "values": {"homes": 13}}
                    ).status_code == 201
    report = Report.objects.get()
    assert [r.actor for r in report.revisions.order_by("number")] == [mandal, mandal]

    outside = tree["d1a2m"]
    assert web.post(f"{web_url}?unit={outside.pk}", {**body, "unit": outside.pk}).status_code == 404
    assert api.post(api_path, {"unit": outside.pk, "values": {"homes": 1}}).status_code == 404

    reader = _reader(tree, "d1")
    web, api = _login(reader), ApiClient.login(reader)
    assert web.post(f"{web_url}?unit={outside.pk}", {**body, "unit": outside.pk}).status_code == 403
    assert api.post(api_path, {"unit": outside.pk, "values": {"homes": 1}}).status_code == 403
    assert Report.objects.count() == 1


def test_booth_task_pages_refuse_by_scope(tree, campaign):
    mandal = scope_of(tree, "mandal_president")
    task = booth_task_create(scope=mandal, campaign=campaign, unit=tree["d1a1b1"], kind="meeting")
    reader = _login(_reader(tree, "d1"))
    assert reader.post(f"/campaigns/{campaign.pk}/tasks/?unit={tree['d1a1b1'].pk}",
                       {"unit": tree["d1a1b1"].pk, "kind": "meeting"}).status_code == 403
    assert reader.post(f"/campaigns/tasks/{task.pk}/", {"attendance_count": "5"}).status_code == 403
    outsider = _login(tree.users["district_president"])
    d2_task = booth_task_create(scope=Scope.system(), campaign=campaign, unit=tree["d2a1b1"], kind="meeting")
    assert outsider.post(f"/campaigns/tasks/{d2_task.pk}/", {"attendance_count": "5"}).status_code == 404
    assert _rows("campaigns.task_complete").count() == 0 and _rows("campaigns.task_create").count() == 2


def test_api_writes_refuse_by_scope(tree, campaign):
    base = f"/campaigns/{campaign.pk}"
    api = ApiClient.login(_reader(tree, "state"))
    put = api._send("put", f"{base}/targets", {"unit": tree["d1"].pk, "metric": "homes", "value": 5}, raw=False)
    assert put.status_code == 403
    assert api.post(f"{base}/verifications/sample", {"sample": 1, "seed": 1}).status_code == 403
    body = {"unit": tree["d1"].pk, "code": "x", "name_hi": "अ", "report_level": "mandal", "start_date": str(START),
            "end_date": str(START), "metrics": [{"code": "homes", "label_hi": "घर"}]}
    assert api.post("/campaigns", body).status_code == 403
    assert not _rows("campaigns.target_set").exists() and _rows("campaigns.create").count() == 1
