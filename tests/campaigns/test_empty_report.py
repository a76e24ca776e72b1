"""An empty progress report (no figure filled in) is refused: by the service, the web form (in Hindi) and
the API (field-level JSON); nothing is written."""

import pytest

from sangathan.campaigns.models import Report
from sangathan.campaigns.services import report_submit
from sangathan.core.errors import DomainError
from tests.api_client import ApiClient
from tests.campaigns.conftest import START, WEEK, scope_of
from tests.campaigns.test_views import login

pytestmark = pytest.mark.django_db


def test_service_refuses_a_report_with_no_figure(tree, campaign):
    for values in ({}, {"homes": None}, {"homes": "", "members": "  "}):
        with pytest.raises(DomainError) as caught:
            report_submit(scope=scope_of(tree, "mandal_president"), campaign=campaign, unit=tree["d1a1m"],
                          values=values)
        assert caught.value.code == "empty_report" and "values" in caught.value.errors
    assert not Report.objects.exists()
    # A zero written in is a figure: "nothing was done" is a report.
    report = report_submit(scope=scope_of(tree, "mandal_president"), campaign=campaign, unit=tree["d1a1m"],
                           values={"walls": 0})
    assert report.values.count() == 3


def test_web_form_shows_the_hindi_error(tree, campaign):
    client = login(tree.users["mandal_president"])
    page = client.post(f"/campaigns/{campaign.pk}/report/", {"unit": tree["d1a1m"].pk,
                                                             "period": str(START + 2 * WEEK), "value_homes": ""})
    text = page.content.decode()
    assert page.status_code == 200 and 'role="alert"' in text
    assert "रिपोर्ट खाली है" in text
    assert not Report.objects.exists()


def test_api_answers_with_a_field_error(tree, campaign):
    api = ApiClient.login(tree.users["mandal_president"])
    response = api.post(f"/campaigns/{campaign.pk}/reports", {"unit": tree["d1a1m"].pk, "values": {}})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "empty_report" and body["errors"]["values"]
    assert not Report.objects.exists()
