import pytest
from django.conf import settings
from django.test import Client

from sangathan.committees.models import Committee
from sangathan.org.models import Post
from tests.api_client import ApiClient
from tests.committees.conftest import ctype, full_booth_committee
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def login(user, language="hi"):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_unit_page_drills_down_to_missing_items(ctree):
    full_booth_committee(ctree, "d1a1b2", size=11)
    client = login(ctree.users["district_president"])
    response = client.get(f"/committees/units/{ctree['d1'].pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "बूथ समिति" in text and "0/4" in text
    assert "11 सदस्य, कम से कम 12 चाहिए" in text  # the exact reason, in Hindi
    assert "बूथ समिति: कुल इकाइयों में से पूर्ण" in text  # the chart of the assemblies
    assert client.get("/committees/").url == f"/committees/units/{ctree['d1'].pk}/"
    csv = b"".join(client.get(f"/committees/units/{ctree['d1'].pk}/missing.csv").streaming_content).decode()
    assert "D1A1B2" in csv and "D1A2B1" in csv
    # header + booths 4 + shakti kendras 2 + assembly management 2 + Lok Sabha management 1 + offices 2 + 1
    assert csv.count("\n") == 1 + 4 + 2 + 2 + 1 + 2 + 1


def test_form_and_add_members_on_the_web(ctree):
    client = login(ctree.users["mandal_president"])
    booth = ctree["d1a1b1"]
    response = client.post(f"/committees/units/{booth.pk}/form/", {"type": "booth"})
    committee = Committee.objects.get(unit=booth)
    assert response.url == f"/committees/{committee.pk}/"
    person = PersonFactory(unit=booth, gender="f")
    response = client.post(f"/committees/{committee.pk}/", {"op": "add", "person": person.pk, "post": "president",
                                                             "wing": "mahila"})
    assert response.status_code == 302
    assert committee.seats.get().post.code == "president"
    outsider = ctree.people["d1a1b2p0"]
    response = client.post(f"/committees/{committee.pk}/", {"op": "add", "person": outsider.pk})
    assert response.status_code == 200 and committee.seats.count() == 1  # not a choice: a form error
    seat = committee.seats.get()
    client.post(f"/committees/{committee.pk}/", {"op": "remove", "seat": seat.pk})
    assert not committee.seats.current().exists()
    page = client.get(f"/committees/{committee.pk}/").content.decode()
    assert "इतिहास" in page


def test_web_scope(ctree):
    committee = full_booth_committee(ctree, "d1a1b1")
    assert login(ctree.users["nobody"]).get(f"/committees/{committee.pk}/").status_code == 404
    assert login(ctree.users["nobody"]).get(f"/committees/units/{ctree['d1'].pk}/").status_code == 404
    # The booth president writes the booth; a member without a post of d1a1b1 only reads nothing.
    reader = login(ctree.users["booth_president"])
    assert reader.get(f"/committees/{committee.pk}/").status_code == 200


def test_api_completeness_form_and_seats(ctree):
    api = ApiClient.login(ctree.users["mandal_president"])
    booth = ctree["d1a1b1"]
    response = api.post("/committees", {"unit": booth.pk, "type": "booth"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reasons"][0]["code"] == "below_size"
    person = PersonFactory(unit=booth)
    response = api.post(f"/committees/{body['id']}/members", {"person": person.pk, "post": "president"})
    assert response.status_code == 201 and response.json()["seats"][0]["post"] == "president"
    response = api.post(f"/committees/{body['id']}/members", {"person": ctree.people["d1a1b2p0"].pk})
    assert response.status_code == 400 and "person" in response.json()["errors"]
    response = api.post(f"/committees/{body['id']}/members", {"person": person.pk, "post": "nope"})
    assert response.status_code == 400 and "post" in response.json()["errors"]
    figures = api.get("/committees/completeness", {"unit": ctree["d1a1m"].pk}).json()
    booth_figure = next(f for f in figures["figures"] if f["type"] == "booth")
    assert booth_figure == {"type": "booth", "units": 2, "formed": 1, "complete": 0, "missing": 2, "percent": 0}
    missing = api.get("/committees/missing", {"unit": ctree["d1a1m"].pk, "type": "booth"}).json()
    assert missing["count"] == 2 and missing["items"][0]["reasons"][0]["code"] == "below_size"
    assert api.get("/committees/missing", {"type": "zz"}).status_code == 400
    seat_id = api.get(f"/committees/{body['id']}").json()["seats"][0]["id"]
    assert api.post(f"/committees/{body['id']}/members/{seat_id}/remove", {"reason": "x"}).status_code == 200
    assert api.post(f"/committees/{body['id']}/dissolve", {}).json()["status"] == "dissolved"


def test_api_office_and_convener(ctree):
    api = ApiClient.login(ctree.users["district_president"])
    office = api.post("/committees", {"unit": ctree["d1a1"].pk, "type": "assembly_office"}).json()
    person = PersonFactory(unit=ctree["d1a1"])
    api.post(f"/committees/{office['id']}/members", {"person": person.pk, "post": "incharge"})
    response = api.client.put(f"/api/v1/committees/{office['id']}/office",
                              '{"address": "कोरबा", "phone": "9826012345", "active_since": "2020-01-01"}',
                              content_type="application/json", headers=api._headers())
    assert response.status_code == 200 and response.json()["is_complete"], response.content
    mgmt = api.post("/committees", {"unit": ctree["d1a1"].pk, "type": "assembly_management"}).json()
    assert api.post(f"/committees/{mgmt['id']}/convener", {"person": person.pk}).status_code == 400


def test_api_scope(ctree):
    committee = full_booth_committee(ctree, "d1a1b1")
    nobody = ApiClient.login(ctree.users["nobody"])
    assert nobody.get(f"/committees/{committee.pk}").status_code == 404
    assert nobody.get("/committees/completeness", {"unit": ctree["d1"].pk}).status_code == 404
    assert nobody.post("/committees", {"unit": ctree["d1a1b2"].pk, "type": "booth"}).status_code == 404
    assert Post.objects.filter(code="bla").exists() and ctype("booth")
