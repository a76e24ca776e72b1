"""The public "who sits today" pages are counted per address, so walking the office numbers is slowed."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_today_pages_answer_429_in_hindi_over_the_limit(settings, offices):
    settings.SANGATHAN_RATE_LIMITS = {"today.ip": (3, 600)}
    client = Client(REMOTE_ADDR="10.3.3.3")
    answers = [client.get("/today/").status_code, client.get(f"/today/{offices['d1'].pk}/").status_code,
               client.get("/today/999999/").status_code]
    assert answers == [200, 200, 404]
    refused = client.get(f"/today/{offices['state'].pk}/")
    assert refused.status_code == 429
    assert "बहुत अधिक प्रयास" in refused.content.decode() and int(refused["Retry-After"]) <= 600
    assert Client(REMOTE_ADDR="10.3.3.4").get("/today/").status_code == 200
