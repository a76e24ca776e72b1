"""The timeline on a grievance's page says each event's level in words and leaves no stray "·" where a
part is empty."""

import re

from django.test import Client

from sangathan.grievances.display import joined, timeline_rows
from sangathan.grievances.enums import EventKind
from sangathan.grievances.models import GrievanceEvent
from tests.grievances.helpers import take


def _timeline(html: str) -> str:
    return html[html.index('id="timeline"'):html.index("</ol>", html.index('id="timeline"'))]


def test_timeline_names_the_level_and_has_no_dangling_separator(cell):
    grievance = take(cell)
    client = Client()
    client.force_login(cell["district_convener"])
    client.post(f"/grievances/{grievance.pk}/escalate/", {"reason": "जिले में हल नहीं"})
    timeline = _timeline(client.get(f"/grievances/{grievance.pk}/").content.decode())
    assert "प्रदेश सहयोग सेल" in timeline and "जिला सेल" in timeline
    text = re.sub(r"<[^>]+>", "|", timeline)
    assert not re.search(r"·\s*\|", text), "a separator with nothing after it"
    assert "· ·" not in text and "·  ·" not in text


def test_events_with_missing_data_leave_no_separator(cell):
    grievance = take(cell)
    bare = [GrievanceEvent.objects.create(grievance=grievance, kind=kind, data=data) for kind, data in (
        (EventKind.ASSIGNED, {"person": 10**9}), (EventKind.ESCALATED, {"auto": True}),
        (EventKind.MESSAGE, {"skipped": "opted out"}))]
    details = [row.detail for row in timeline_rows(bare)]
    assert all(detail and not detail.startswith("·") and not detail.endswith("·") for detail in details[1:])
    assert details[0] == ""
    assert joined("क", "", None, False, "ख") == "क · ख"
