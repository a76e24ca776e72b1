"""Booth contact demo data: a daily program (state office-bearers and district in-charges call booth
presidents, two a day), a week of calls already made and logged, today's lists, and a login for a
district in-charge. Found by ``sangathan demo`` (see ``people.demo.demo_extensions``).

Past days are played with the controllable clock, through the same services the worker uses, so the
compliance and booth-health pages have a week of history. Big scales (mp, up) get the program only: their
calls are assigned by the worker or ``sangathan calls assign``.
"""

import datetime
import random

from django.db import transaction

from sangathan.access.models import User
from sangathan.access.scope import Scope
from sangathan.access.services import user_create
from sangathan.core import clock
from sangathan.org.models import Position, Post, Unit
from sangathan.outreach.enums import AssignmentStatus, CallOutcome, NeedCategory, WellBeing
from sangathan.outreach.models import CallAssignment, ContactProgram
from sangathan.outreach.services import (
    assignments_assign,
    call_log_save,
    outreach_seed_defaults,
    program_create,
)
from sangathan.people.demo import PASSWORD, DemoLogin

PROGRAM_CODE = "booth-samvad"
HISTORY_DAYS = 6
ROLE = "district_incharge"
NOTES = [
    "बूथ समिति पूरी है, पन्ना प्रमुख सक्रिय हैं।",
    "परिवार में सब कुशल है, बेटे की शादी की तैयारी चल रही है।",
    "दीवार लेखन के लिए पेंट और ब्रश चाहिए।",
    "पिछले महीने की टिफिन बैठक में 30 कार्यकर्ता आए।",
    "मतदाता सूची में नए नाम जुड़वाने हैं, बीएलओ से बात करनी है।",
    "गांव में सड़क की समस्या है, लोग नाराज हैं।",
    "युवा कार्यकर्ता कम हैं, प्रशिक्षण चाहिए।",
    "स्थिति अच्छी है, महाजनसंपर्क अभियान में 120 घर हुए।",
]
FOLLOWUPS = ["जिला अध्यक्ष जी का प्रवास करवाना है।", "हैंडपंप खराब है, तहसील में आवेदन दिया है।"]


def demo_has_data() -> bool:
    return ContactProgram.objects.filter(code=PROGRAM_CODE).exists()


def _first_district() -> Unit | None:
    booth = Unit.objects.filter(level="booth").order_by("path").first()
    if booth is None:
        return None
    depth = Unit.objects.filter(level="district").values_list("depth", flat=True).first()
    return Unit.objects.filter(path=booth.path[:depth * 4]).first() if depth else None


def _incharge_of(district: Unit) -> Position | None:
    return (Position.objects.current().filter(unit=district, post__code="incharge")
            .select_related("person").first())


def demo_load(*, scale: str, seed: int, log) -> list[DemoLogin]:
    """Add the program; on the small and district scales, a week of logged calls and today's lists."""
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if state is None:
        return []
    outreach_seed_defaults()
    scope = Scope.system(channel="cli")
    posts = {post.code: post for post in Post.objects.all()}
    program = program_create(
        scope=scope,
        code=PROGRAM_CODE, name_hi="बूथ अध्यक्ष संवाद", name_en="Booth president contact", target_root=state,
        target_post=posts["president"], per_caller_per_day=2, working_days=list(range(7)), seed=seed,
        caller_posts=[(posts["president"], "state"), (posts["general_secretary"], "state"),
                      (posts["incharge"], "state"), (posts["incharge"], "district")])
    log(f"outreach: program “{program.name_hi}” (state office-bearers and district in-charges, 2 calls a day)")
    if scale not in ("small", "district"):
        return []
    rng = random.Random(seed)
    district = _first_district()
    incharge = _incharge_of(district) if district else None
    today = clock.today()
    calls = 0
    try:
        for back in range(HISTORY_DAYS, 0, -1):
            day = today - datetime.timedelta(days=back)
            clock.ControlledClock().set(datetime.datetime.combine(day, datetime.time(19, 0)))
            with transaction.atomic():
                assignments_assign(scope=scope, program=program, day=day)
                calls += _log_some(scope, program, day, rng, share=0.75)
    finally:
        clock.ControlledClock().release()
    with transaction.atomic():
        result = assignments_assign(scope=scope, program=program, day=today)
        spared = incharge.person_id if incharge else None
        calls += _log_some(scope, program, today, rng, share=0.3, spare=spared)
    log(f"outreach: {HISTORY_DAYS} days of calls played, {calls} calls logged, today {result.assigned} calls assigned")
    if incharge is None:
        return []
    person = incharge.person
    if not User.objects.filter(person=person).exists():
        user_create(scope=Scope.system(channel="cli"), mobile=person.mobile, password=PASSWORD, person=person)
    return [DemoLogin(ROLE, person.mobile.removeprefix("+91"), PASSWORD)]


def _log_some(scope, program, day, rng: random.Random, *, share: float, spare: int | None = None) -> int:
    logged = 0
    for assignment in CallAssignment.objects.filter(program=program, day=day, status=AssignmentStatus.PENDING):
        if assignment.caller_id == spare or rng.random() > share:
            continue
        roll = rng.random()
        outcome = (CallOutcome.REACHED if roll < 0.8 else CallOutcome.BUSY if roll < 0.9
                   else CallOutcome.SWITCHED_OFF if roll < 0.97 else CallOutcome.WRONG_NUMBER)
        data = {"outcome": outcome, "notes": ""}
        if outcome == CallOutcome.REACHED:
            needs = rng.sample([c for c in NeedCategory.values if c != "other"], k=rng.choice([0, 1, 1, 2]))
            followup = bool(needs) and rng.random() < 0.25
            data |= {
                "wellbeing_self": WellBeing.GOOD if rng.random() < 0.9 else WellBeing.UNWELL,
                "wellbeing_family": WellBeing.GOOD if rng.random() < 0.9 else WellBeing.UNWELL,
                "position_score": rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 5, 3])[0],
                "needs": needs, "notes": rng.choice(NOTES),
                "followup_wanted": followup, "followup_note": rng.choice(FOLLOWUPS) if followup else "",
            }
        call_log_save(scope=scope, assignment=assignment, **data)
        logged += 1
    return logged


def demo_logins() -> list[DemoLogin]:
    district = _first_district()
    incharge = _incharge_of(district) if district else None
    if incharge is None:
        return []
    user = User.objects.filter(person_id=incharge.person_id).first()
    if user is None or not user.is_active or not user.check_password(PASSWORD):
        return []
    return [DemoLogin(ROLE, user.mobile.removeprefix("+91"), PASSWORD)]
