"""Acceptance: thirty days of one district on a controlled clock.

Every working day the booth-contact program assigns calls to the district's callers; they log some
(reached or not) and miss others, and the compliance figures come out exactly as the simulation kept
them. Meanwhile two mandals report a mass-contact campaign every Saturday: one honestly, one inflating
its figures. Every Monday the weekly task samples the past week's reports into verification calls from
district officials; the calls are logged with what the mandal presidents really say. At the end the
inflating mandal is flagged with the evidence (reported against heard, who called when), the honest one
is not.
"""

import datetime
from collections import Counter

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.campaigns.enums import VerificationStatus
from sangathan.campaigns.models import Verification
from sangathan.campaigns.review import review_pages
from sangathan.campaigns.selectors import discrepancy_scores, flagged_units, verification_comparison
from sangathan.campaigns.services import report_submit
from sangathan.campaigns.tasks import campaigns_verify_weekly
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.outreach.enums import CallKind, CallOutcome
from sangathan.outreach.selectors import booth_contact_compliance, calls_for_caller, compliance_by_day
from sangathan.outreach.services import (
    assignments_assign,
    call_log_save,
    outreach_seed_defaults,
    program_create,
)
from tests.campaigns.conftest import METRICS, make_campaign
from tests.factories import PersonFactory, make_user

DAYS = 30
# A Monday after the positions start (they start on the real today).
MONDAY = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())
HONEST_HOMES = [118, 131, 124, 140]      # what the honest mandal did and reported, week by week
TRUE_HOMES = [95, 110, 102, 99]          # what the inflating mandal really did …
INFLATED_HOMES = [300, 500, 600, 700]    # … and what it reported


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(MONDAY + datetime.timedelta(days=day), datetime.time(hour))


@pytest.fixture
def district(tree, clock):
    """District 1: presidents at three of its four booths (d1a2b2 is vacant) and at both mandals; an
    in-charge (living in d1a2b2) and a general secretary call booth presidents; one campaign."""
    clock.set(at(0, 8))
    outreach_seed_defaults()
    president = Post.objects.get(code="president")
    presidents = {"d1a1b1": tree.people["booth_president"], "d1a1m": tree.people["mandal_president"]}
    for key in ("d1a1b2", "d1a2b1", "d1a2m"):
        presidents[key] = PersonFactory(unit=tree[key])
        position_assign(scope=Scope.system(), person=presidents[key], post=president, unit=tree[key])
    callers = {}
    for key, post, home in (("incharge", "incharge", "d1a2b2"), ("secretary", "general_secretary", "d1")):
        person = PersonFactory(unit=tree[home])
        position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code=post), unit=tree["d1"])
        callers[key] = person
        tree.users[key] = make_user(person)
    program = program_create(scope=Scope.system(), code="d1-daily", name_hi="जिला 1 बूथ संपर्क", target_root=tree["d1"],
                             target_post=president, per_caller_per_day=2, seed=3,
                             caller_posts=[(Post.objects.get(code="incharge"), "district"),
                                           (Post.objects.get(code="general_secretary"), "district")])
    campaign = make_campaign(tree, unit=tree["d1"], code="mahajansampark-d1", start_date=MONDAY,
                             end_date=MONDAY + datetime.timedelta(days=41), metrics=METRICS)
    return program, campaign, presidents, callers


def users_by_person(tree) -> dict:
    return {user.person_id: user for user in tree.users.values() if user.person_id}


def test_thirty_days_of_a_district(tree, district, clock, django_capture_on_commit_callbacks):
    program, campaign, presidents, callers = district
    users = users_by_person(tree)
    state = scope_for_user(tree.users["state_president"])
    expected = Counter()
    daily_per_caller: Counter = Counter()
    heard_unreached = False

    for day in range(DAYS):
        clock.set(at(day))
        today = at(day).date()
        if today.weekday() == 0 and day > 0:
            # Monday: last week's reports are sampled; the callers ring the mandal presidents the same day.
            campaigns_verify_weekly()
            for verification in Verification.objects.filter(call__day=today).select_related("call", "report"):
                week = (verification.report.period_start - MONDAY).days // 7
                honest = verification.unit_path == tree["d1a1m"].path
                with django_capture_on_commit_callbacks(execute=True):
                    if honest and week == 1 and not heard_unreached:
                        heard_unreached = True
                        call_log_save(scope=scope_for_user(users[verification.caller_id]), assignment=verification.call,
                                      outcome=CallOutcome.SWITCHED_OFF)
                        continue
                    homes = HONEST_HOMES[week] if honest else TRUE_HOMES[week]
                    answers = ["हाँ"] + [f"लगभग {homes}" if q["metric"] == "homes" else "" for q in
                                         verification.questions[1:]]
                    call_log_save(scope=scope_for_user(users[verification.caller_id]), assignment=verification.call,
                                  outcome=CallOutcome.REACHED, answers=answers, position_score=4)

        result = assignments_assign(scope=Scope.system(), program=program, day=today)
        assert result.skipped == ("not a working day" if today.weekday() == 6 else "")
        for index, caller in enumerate(callers.values()):
            calls = [c for c in calls_for_caller(person=caller, day=today) if c.kind == CallKind.DAILY]
            assert len(calls) <= 2 and len({c.target_id for c in calls}) == len(calls)
            assert all(c.target.unit_path.startswith(tree["d1"].path) for c in calls)
            daily_per_caller[caller.pk] += len(calls)
            for call in calls:
                expected["assigned"] += 1
                fate = (day + call.rank + index) % 4
                if fate == 0:                                  # not called that day
                    expected["pending" if day == DAYS - 1 else "overdue"] += 1
                    continue
                reached = fate != 1
                call_log_save(scope=scope_for_user(users[caller.pk]), assignment=call,
                              outcome=CallOutcome.REACHED if reached else CallOutcome.BUSY,
                              position_score=4 if reached else None, needs=["material"] if reached else [])
                expected["called_same_day"] += 1
                expected["reached"] += reached

        if today.weekday() == 5:
            # Saturday: both mandals report the week.
            week = day // 7
            report_submit(scope=scope_for_user(tree.users["mandal_president"]),
                          campaign=campaign, unit=tree["d1a1m"], values={"homes": HONEST_HOMES[week], "members": 6})
            report_submit(scope=state, campaign=campaign, unit=tree["d1a2m"],
                          values={"homes": INFLATED_HOMES[week], "members": 50})

    # --- Compliance, exactly as the simulation kept it ---------------------------------------------
    start, end = MONDAY, MONDAY + datetime.timedelta(days=DAYS - 1)
    figures = booth_contact_compliance(scope=state, unit=tree["d1"], start=start, end=end)
    assert {name: figures[name] for name in ("assigned", "called_same_day", "reached", "overdue", "pending")} == {
        name: expected[name] for name in ("assigned", "called_same_day", "reached", "overdue", "pending")}
    working_days = sum(1 for d in range(DAYS) if (MONDAY + datetime.timedelta(days=d)).weekday() != 6)
    # Three booth presidents, each called at most once a day: three calls every working day.
    assert expected["assigned"] == 3 * working_days == 78
    assert 0 < expected["overdue"] < expected["called_same_day"] and expected["pending"] >= 0
    assert figures["called_share"] == pytest.approx(expected["called_same_day"] / expected["assigned"])
    assert sum(row.assigned for row in compliance_by_day(scope=state, unit=tree["d1"], start=start, end=end)) == 78
    assert all(n > 0 for n in daily_per_caller.values())

    # --- Verification: the inflating mandal is flagged with the evidence, the honest one is not ----
    verifications = Verification.objects.filter(campaign=campaign)
    assert verifications.count() == 8            # every report of the four weeks, sampled the next Monday
    assert set(verifications.values_list("call__kind", flat=True)) == {CallKind.VERIFICATION}
    flagged = flagged_units(scope=state, campaign=campaign, unit=tree["d1"])
    assert [item.unit for item in flagged] == [tree["d1a2m"]]
    item = flagged[0]
    assert item.score.checked == 4 and item.score.confidence == pytest.approx(0.6667, abs=1e-4)
    assert item.score.score >= 0.6
    assert all(v.status == VerificationStatus.MISMATCHED for v in item.verifications)
    assert all(not v.caller.unit_path.startswith(tree["d1a2m"].path) for v in item.verifications)
    assert all(v.target == presidents["d1a2m"] and v.checked_at for v in item.verifications)
    evidence = verification_comparison(item.verifications[1])
    assert [(row.reported, row.heard, row.matches) for row in evidence][:2] == [("✓", "✓", True),
                                                                                ("500", "110", False)]
    scores = discrepancy_scores(scope=state, campaign=campaign, unit=tree["d1"])
    honest = scores[tree["d1a1m"].path]
    assert (honest.checked, honest.score, honest.flagged) == (3, 0.0, False)   # one call went unanswered
    assert verifications.filter(unit_path=tree["d1a1m"].path, status=VerificationStatus.UNREACHED).count() == 1

    # --- The review pack puts it together per mandal ----------------------------------------------
    total, pages = review_pages(scope=state, campaign=campaign, unit=tree["d1a2"])
    (page,) = pages
    assert page.unit == tree["d1a2m"] and page.checked == 4 and page.mismatched == 4
    assert page.progress.score.flagged and page.progress.main.reported == sum(INFLATED_HOMES)
    assert page.compliance["assigned"] == booth_contact_compliance(
        scope=state, unit=tree["d1a2m"], start=start, end=at(DAYS - 1).date())["assigned"]
