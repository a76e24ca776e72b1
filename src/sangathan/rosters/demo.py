"""Demo data of the rosters app, loaded by ``sangathan demo`` after the organization and the Sahyog Cell.

The state office (प्रदेश कार्यालय) with the ministers of the cell's departments in rotation and the roster
drawn up for the coming four weeks (the revenue minister sits first, so the demo's minister login has a
hearing today); a district office for each demo district with its office-bearers' sitting days; today's
hearing at the state office (or the next roster day at a weekend) with a few grievances on its list.
"""

from datetime import time, timedelta

from django.db import transaction

from sangathan.access.models import User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core import clock
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind
from sangathan.grievances.models import Department
from sangathan.grievances.services import grievance_create, grievance_escalate
from sangathan.org.models import Position, Unit
from sangathan.people.demo import DemoLogin
from sangathan.rosters.enums import MINISTER_DAYS
from sangathan.rosters.models import HearingSession, Office
from sangathan.rosters.notify import rosters_templates_seed
from sangathan.rosters.services import (
    hearing_schedule,
    hearing_session_open,
    office_create,
    roster_generate,
    roster_rotation_set,
    sitting_day_add,
)

ROSTER_WEEKS = 4
# (post code, weekday, from, to): who sits at a district office when (पदाधिकारियों के बैठने के दिन).
SITTINGS = [
    ("president", 0, time(11), time(14)),
    ("general_secretary", 1, time(11), time(14)),
    ("incharge", 2, time(12), time(15)),
    ("president", 3, time(11), time(14)),
    ("general_secretary", 4, time(11), time(14)),
    ("convener", 0, time(11), time(16)),
    ("convener", 3, time(11), time(16)),
]
HEARING_CASES = [
    ("वरिष्ठ कार्यकर्ता की पेंशन का प्रकरण दो वर्ष से लंबित", "बाबूलाल विश्वकर्मा", "+916000000401"),
    ("राजस्व अभिलेख में भूमि का गलत रकबा दर्ज", "शांति बाई पटेल", "+916000000402"),
    ("सीमांकन के लिए तीन बार आवेदन, कार्यवाही नहीं", "गोविंद सिंह ठाकुर", "+916000000403"),
]


def demo_has_data() -> bool:
    return Office.objects.exists()


def _state_convener() -> User | None:
    position = (Position.objects.current().filter(post__code="convener", wing__code="sahyog", unit__parent__isnull=True)
                .select_related("person").first())
    return User.objects.filter(person_id=position.person_id).first() if position else None


@transaction.atomic
def demo_load(*, scale: str, seed: int, log) -> list[DemoLogin]:
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if state is None:
        log("Rosters: no organization to add to.")
        return []
    rosters_templates_seed()
    system = Scope.system(channel="cli")
    state_office = office_create(scope=system, unit=state, name="प्रदेश कार्यालय, भोपाल",
                                 address="दीनदयाल परिसर, ई-2 अरेरा कॉलोनी, भोपाल")
    districts = list(Unit.objects.filter(level="district").order_by("path")[:8])
    sittings = 0
    for district in districts:
        office = office_create(scope=system, unit=district, name=f"जिला कार्यालय, {district.name_hi}",
                               address=f"{district.name_hi} नगर, मुख्य मार्ग")
        holders = {}
        for position in Position.objects.current().filter(unit=district).select_related("post"):
            holders.setdefault(position.post.code, position.person)
        for post, weekday, starts_at, ends_at in SITTINGS:
            if post in holders:
                sitting_day_add(scope=system, office=office, person=holders[post], weekday=weekday, starts_at=starts_at,
                                ends_at=ends_at)
                sittings += 1
    ministers = list(Department.objects.filter(minister__isnull=False, is_active=True).select_related("minister")
                     .order_by("id"))
    first_day = clock.today()
    while first_day.weekday() not in MINISTER_DAYS:
        first_day += timedelta(days=1)
    hearing_cases = 0
    if ministers:
        roster_rotation_set(scope=system, office=state_office, members=[(d.minister, f"मंत्री, {d.name_hi}") for d in ministers])
        roster_generate(scope=system, office=state_office, start=first_day, end=first_day + timedelta(weeks=ROSTER_WEEKS))
        hearing_cases = _hearing(state_office, ministers[0], first_day)
    log(f"Rosters: {len(districts) + 1} offices, {sittings} sitting days, "
        f"{len(ministers)} ministers in rotation, {hearing_cases} cases on the hearing of {first_day:%d-%m-%Y}.")
    return []


def _hearing(office: Office, department: Department, on) -> int:
    """The first roster day's hearing with the first department's grievances from district 1 on its list."""
    convener = _state_convener()
    district_convener = (Position.objects.current().filter(post__code="convener", wing__code="sahyog",
                                                           unit__level="district").first())
    if convener is None or district_convener is None:
        return 0
    # The demo's office-bearers act under their own scope, so the timeline shows who did what.
    district_user = scope_for_user(User.objects.filter(person_id=district_convener.person_id).first()
                                   ).with_context(channel="cli")
    convener = scope_for_user(convener).with_context(channel="cli")
    district = district_convener.unit
    session = hearing_session_open(scope=convener, office=office, on=on)
    for subject, name, mobile in HEARING_CASES:
        grievance = grievance_create(scope=district_user, unit=district, channel=GrievanceChannel.DISTRICT_OFFICE,
                                     kind=GrievanceKind.ADMINISTRATIVE, department=department, subject=subject,
                                     description="", complainant_name=name, complainant_mobile=mobile)
        grievance = grievance_escalate(scope=district_user, grievance=grievance,
                                       reason="जिला स्तर पर तहसील से समाधान नहीं हुआ।")
        hearing_schedule(scope=convener, session=session, grievance=grievance)
    return HearingSession.objects.get(pk=session.pk).cases.count()


def demo_logins() -> list[DemoLogin]:
    # The minister sitting at the demo hearing is the Sahyog Cell's ``minister_revenue`` login.
    return []


__all__ = ["demo_has_data", "demo_load", "demo_logins"]
