"""Demo data for campaigns: a महाजनसंपर्क अभियान over the state, reported weekly by the mandals of the
first district, with targets, three weeks of reports (one mandal clearly over-reporting), wall-writing
and meeting tasks with evidence, and verification calls already made — so ``make run`` shows progress,
charts and a flagged unit to the demo district president.
"""

import random
import struct
import zlib
from datetime import datetime, time, timedelta
from io import BytesIO

from django.db import transaction

from sangathan.access.scope import Scope
from sangathan.campaigns.enums import TaskKind
from sangathan.campaigns.models import Campaign, Verification
from sangathan.campaigns.services import (
    MetricSpec,
    booth_task_complete,
    booth_task_create,
    campaign_create,
    report_submit,
    target_set,
    verification_sample,
)
from sangathan.core import clock
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit

CODE = "mahajansampark"
METRICS = [
    MetricSpec(code="homes", label_hi="घर-घर संपर्क", label_en="Homes contacted", measure_hi="घर", measure_en="homes"),
    MetricSpec(code="members", label_hi="नए सदस्य", label_en="Members enrolled", measure_hi="सदस्य",
               measure_en="members"),
    MetricSpec(code="meetings", label_hi="बैठकें", label_en="Meetings held", measure_hi="बैठक", measure_en="meetings",
               task_kind=TaskKind.MEETING),
    MetricSpec(code="walls", label_hi="दीवार लेखन", label_en="Walls written", measure_hi="दीवारें", measure_en="walls",
               task_kind=TaskKind.WALL_WRITING),
]
# Targets per mandal over the campaign; set at the state and split down by booths.
TARGETS_PER_MANDAL = {"homes": 1200, "members": 150, "meetings": 16, "walls": 60}
WEEKS_REPORTED = 3
# The over-reporting mandal's weeks: round, jumping, far above its peers — and not what its president says.
INFLATED = [{"homes": 300, "members": 50, "meetings": 5, "walls": 20},
            {"homes": 700, "members": 100, "meetings": 10, "walls": 50},
            {"homes": 900, "members": 150, "meetings": 10, "walls": 50}]


def demo_has_data() -> bool:
    return Campaign.objects.filter(code=CODE).exists()


def demo_logins() -> list:
    return []


def _png(width: int = 96, height: int = 64) -> bytes:
    """A small saffron-and-white picture standing in for a photo of a painted wall."""
    rows = []
    for y in range(height):
        colour = b"\xff\xff\xff" if height // 3 <= y < 2 * height // 3 else b"\xf2\x8c\x28"
        rows.append(b"\x00" + colour * width)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + \
        chunk(b"IEND", b"")


def demo_load(*, scale: str, seed: int, log) -> list:
    """Add the campaign (seconds at any scale: only the first district reports)."""
    if demo_has_data():
        return []
    rng = random.Random(seed)
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    district = Unit.objects.filter(level="district").order_by("path").first()
    if state is None or district is None:
        log("campaigns: no organization to run a campaign in")
        return []
    scope = Scope.system(channel="cli")
    today = clock.today()
    start = today - timedelta(days=7 * WEEKS_REPORTED + today.weekday())
    with transaction.atomic():
        campaign = campaign_create(scope=scope, unit=state, code=CODE, name_hi="महाजनसंपर्क अभियान",
                                   name_en="Mass contact campaign (Mahajansampark)",
                                   description="हर बूथ तक संपर्क: घर-घर संपर्क, नए सदस्य, बैठकें और दीवार लेखन।",
                                   report_level="mandal", start_date=start, end_date=start + timedelta(weeks=10),
                                   metrics=METRICS)
        mandals = list(Unit.objects.filter(subtree_q("path", district.path), level="mandal").order_by("path"))
        metrics = {m.code: m for m in campaign.metrics.all()}
        for code, per_mandal in TARGETS_PER_MANDAL.items():
            target_set(scope=scope, campaign=campaign, metric=metrics[code], unit=district,
                       value=per_mandal * len(mandals))
        inflated = mandals[1] if len(mandals) > 1 else None
        _tasks(campaign, district, scope, rng)
    for week in range(WEEKS_REPORTED):
        for mandal in mandals:
            values = INFLATED[week] if mandal == inflated else {
                "homes": rng.randint(90, 170), "members": rng.randint(6, 22), "meetings": rng.randint(1, 3),
                "walls": rng.randint(2, 7)}
            report_submit(scope=scope, campaign=campaign, unit=mandal,
                          day=start + timedelta(weeks=week, days=5), values=values)
        if start + timedelta(weeks=week + 1) < today:  # a Monday that is today is left to the weekly task
            _verify(scope, campaign, inflated, rng, week=week + 1)
    log(f"campaigns: {campaign.name_hi} with {len(mandals)} reporting mandals, "
        f"{Verification.objects.filter(campaign=campaign).count()} verification calls")
    return []


def _tasks(campaign, district, scope, rng) -> None:
    booths = list(Unit.objects.filter(subtree_q("path", district.path), level="booth").order_by("path")[:6])
    for index, booth in enumerate(booths):
        wall = booth_task_create(scope=scope, campaign=campaign, unit=booth, kind=TaskKind.WALL_WRITING,
                                 title="दीवार लेखन: “एक बार फिर मोदी सरकार”",
                                 due_date=clock.today() + timedelta(days=7))
        if index < 3:
            booth_task_complete(scope=scope, task=wall, photo=BytesIO(_png()),
                                note="मुख्य चौराहे की दीवार पर")
    if booths:
        meeting = booth_task_create(scope=scope, campaign=campaign, unit=booths[0], kind=TaskKind.MEETING,
                                    title="बूथ समिति बैठक")
        booth_task_complete(scope=scope, task=meeting, attendance_count=rng.randint(14, 25),
                            attendance_names="रामेश्वर पटेल\nसुनीता यादव\nमोहन लाल शर्मा")


def _verify(scope, campaign, inflated, rng, *, week: int) -> None:
    """Replay the Monday after a reported week: the district's new reports are sampled and the callers
    ring the mandal presidents that day (the clock is moved back for it, as in the tests), so today's
    call lists stay as the booth-contact program made them. Only the first district reports, so the
    system's sample is the district's."""
    from sangathan.outreach.enums import CallOutcome
    from sangathan.outreach.services import call_log_save

    controlled = clock.ControlledClock()
    try:
        controlled.set(datetime.combine(campaign.start_date + timedelta(weeks=week), time(10, 30)))
        drawn = verification_sample(scope=scope, campaign=campaign, n=10, seed=2026 + week,
                                    since=campaign.start_date)
        for verification in drawn:
            if verification.call is None:
                continue
            honest = verification.report.unit_id != getattr(inflated, "pk", None)
            if week == 2 and honest and rng.random() < 0.5:
                call_log_save(scope=scope, assignment=verification.call, outcome=CallOutcome.SWITCHED_OFF)
                continue
            answers = ["हाँ"]
            for question in verification.questions[1:]:
                reported = verification.report.values.get(metric__code=question["metric"]).value
                share = rng.uniform(0.85, 1.05) if honest else rng.uniform(0.2, 0.35)
                answers.append(f"लगभग {round(reported * share)}")
            call_log_save(scope=scope, assignment=verification.call, outcome=CallOutcome.REACHED, answers=answers,
                          position_score=rng.randint(3, 5), notes="अभियान की जानकारी ली")
    finally:
        controlled.release()
