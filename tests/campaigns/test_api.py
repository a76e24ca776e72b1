"""/api/v1/campaigns: create, targets, reports and corrections, roll-up, verification; scoped, errors by field."""

from datetime import timedelta

import pytest

from sangathan.access.scope import Scope
from sangathan.campaigns.models import Campaign
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.api_client import ApiClient
from tests.campaigns.conftest import START, TODAY, WEEK
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def put(api, path, data):
    return api._send("put", path, data, raw=False)


def test_create_campaign(tree, clock):
    from tests.campaigns.conftest import NOW

    clock.set(NOW)
    api = ApiClient.login(tree.users["state_president"])
    body = {"unit": tree["state"].pk, "code": "srijan", "name_hi": "संगठन सृजन अभियान", "name_en": "Sangathan Srijan",
            "report_level": "booth", "start_date": str(START), "end_date": str(START + 4 * WEEK),
            "metrics": [{"code": "meetings", "label_hi": "बैठकें", "measure_hi": "बैठक"}]}
    response = api.post("/campaigns", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["metrics"][0]["code"] == "meetings" and data["unit"]["code"] == "MP" and data["period"] == "weekly"
    again = api.post("/campaigns", body)
    assert again.status_code == 409 and "code" in again.json()["errors"]
    bad = api.post("/campaigns", {**body, "code": "x2", "metrics": [{"code": "A B", "label_hi": "क"}]})
    assert bad.status_code == 400 and "metrics.0.code" in bad.json()["errors"]
    unknown = api.post("/campaigns", {**body, "code": "x3", "colour": "red"})
    assert unknown.status_code == 422
    district = ApiClient.login(tree.users["district_president"])
    assert district.post("/campaigns", {**body, "code": "x4"}).status_code == 404   # the state is out of sight
    assert district.post("/campaigns", {**body, "code": "x5", "unit": tree["d2"].pk}).status_code == 404
    assert Campaign.objects.count() == 1


def test_targets_reports_rollup(tree, campaign):
    state = ApiClient.login(tree.users["state_president"])
    mandal = ApiClient.login(tree.users["mandal_president"])
    base = f"/campaigns/{campaign.pk}"
    response = put(state, f"{base}/targets", {"unit": tree["d1"].pk, "metric": "homes", "value": 1000})
    assert response.status_code == 200 and response.json() == {"written": 2}
    unknown = put(state, f"{base}/targets", {"unit": tree["d1"].pk, "metric": "voters", "value": 1})
    assert unknown.status_code == 400 and "metric" in unknown.json()["errors"]
    assert put(mandal, f"{base}/targets", {"unit": tree["d1"].pk, "metric": "homes", "value": 1}).status_code == 404
    targets = mandal.get(f"{base}/targets").json()
    assert [(t["unit"]["code"], t["metric"], t["value"]) for t in targets["items"]] == [("D1A1M", "homes", 500)]

    first = mandal.post(f"{base}/reports", {"unit": tree["d1a1m"].pk, "values": {"homes": 140, "members": 9}})
    assert first.status_code == 201, first.content
    corrected = mandal.post(f"{base}/reports", {"unit": tree["d1a1m"].pk, "values": {"homes": 130}, "note": "सुधार"})
    data = corrected.json()
    assert data["id"] == first.json()["id"] and data["revision"] == 2
    assert data["values"] == {"homes": 130, "members": 0, "walls": 0}
    assert [r["values"]["homes"] for r in data["revisions"]] == [130, 140]
    older = mandal.post(f"{base}/reports", {"unit": tree["d1a1m"].pk, "day": str(START), "values": {"homes": 50}})
    assert older.json()["period_start"] == str(START)

    bad = mandal.post(f"{base}/reports", {"unit": tree["d1a1m"].pk, "values": {"homes": -5}})
    assert bad.status_code == 400 and "values.homes" in bad.json()["errors"]
    future = mandal.post(f"{base}/reports", {"unit": tree["d1a1m"].pk, "day": str(TODAY + WEEK), "values": {}})
    assert future.status_code == 400 and "period" in future.json()["errors"]
    assert mandal.post(f"{base}/reports", {"unit": tree["d1a2m"].pk, "values": {"homes": 1}}).status_code == 404
    district = ApiClient.login(tree.users["district_president"])
    assert district.post(f"{base}/reports", {"unit": tree["d2a1m"].pk, "values": {"homes": 1}}).status_code == 404

    listed = state.get(f"{base}/reports", {"unit": tree["d1"].pk}).json()
    assert listed["count"] == 2 and listed["items"][0]["values"]["homes"] == 130
    assert state.get(f"{base}/reports/{first.json()['id']}").status_code == 200
    assert ApiClient.login(tree.users["nobody"]).get(f"{base}/reports/{first.json()['id']}").status_code == 404

    rollup = state.get(f"{base}/rollup", {"unit": tree["div"].pk}).json()
    assert rollup["total"]["metrics"][0] == {"metric": "homes", "reported": 180, "target": 1000, "percent": 18}
    assert [(c["unit"]["code"], c["metrics"][0]["reported"]) for c in rollup["children"]] == [("D1", 180), ("D2", 0)]
    week = state.get(f"{base}/rollup", {"unit": tree["d1"].pk, "period": str(START)}).json()
    assert week["total"]["metrics"][0]["reported"] == 50 and week["period"] == str(START)
    assert mandal.get(f"{base}/rollup").json()["total"]["unit"]["code"] == "D1A1M"
    assert mandal.get(f"{base}/rollup", {"unit": tree["d1"].pk}).status_code == 404
    assert ApiClient.login(tree.users["nobody"]).get(f"{base}/rollup").status_code == 404


def test_verification_endpoints(tree, campaign):
    post = Post.objects.get(code="president")
    position_assign(scope=Scope.system(), person=PersonFactory(unit=tree["d1a2m"]), post=post, unit=tree["d1a2m"])
    state = ApiClient.login(tree.users["state_president"])
    base = f"/campaigns/{campaign.pk}"
    for key, homes in (("d1a1m", 120), ("d1a2m", 500)):
        for week in (0, 1):
            state.post(f"{base}/reports", {"unit": tree[key].pk, "day": str(START + week * WEEK + timedelta(days=1)),
                                           "values": {"homes": homes}})
    drawn = state.post(f"{base}/verifications/sample", {"sample": 3, "seed": 42})
    assert drawn.status_code == 201, drawn.content
    items = drawn.json()
    assert len(items) == 3 and all(item["call"] and item["status"] == "pending" for item in items)
    assert items[0]["questions"][0]["kind"] == "happened"
    same = state.get(f"{base}/verifications").json()
    assert same["count"] == 3
    assert state.post(f"{base}/verifications/sample", {"sample": 0, "seed": 1}).status_code == 422
    mandal = ApiClient.login(tree.users["mandal_president"])
    assert mandal.post(f"{base}/verifications/sample", {"sample": 1, "seed": 1}).status_code == 201
    assert state.get(f"{base}/discrepancies").json() == []
    assert mandal.get(f"{base}/verifications").json()["count"] <= 2
