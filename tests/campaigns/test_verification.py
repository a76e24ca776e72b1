"""Verification: a seeded, outlier-weighted sample of reports becomes verification calls (outreach's call
tasks) from an official outside the unit to its president; the logged answers score the report."""

from datetime import timedelta

import pytest

from sangathan.access.scope import Scope
from sangathan.campaigns.enums import VerificationStatus
from sangathan.campaigns.models import Verification
from sangathan.campaigns.selectors import discrepancy_scores, flagged_units, verification_comparison
from sangathan.campaigns.services import report_submit, verification_record, verification_sample
from sangathan.campaigns.services.verification import candidate_signals, sample_candidates
from sangathan.core.errors import DomainError, NotFound
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.outreach.enums import CallKind
from sangathan.outreach.models import CallAssignment
from sangathan.outreach.selectors import calls_for_caller
from sangathan.outreach.services import call_log_save
from tests.campaigns.conftest import START, TODAY, WEEK, scope_of
from tests.factories import PersonFactory, make_user

MANDALS = ["d1a1m", "d1a2m", "d2a1m", "d2a2m"]


@pytest.fixture
def presidents(tree, campaign):
    """A president at every mandal (d1a1m's is the tree's mandal_president) and district 2."""
    post = Post.objects.get(code="president")
    people = {"d1a1m": tree.people["mandal_president"]}
    for key in ["d1a2m", "d2a1m", "d2a2m", "d2"]:
        people[key] = PersonFactory(unit=tree[key])
        position_assign(scope=Scope.system(), person=people[key], post=post, unit=tree[key])
    return people


def submit(tree, campaign, key, week, **values):
    return report_submit(scope=scope_of(tree, "state_president"), campaign=campaign, unit=tree[key],
                         day=START + week * WEEK, values=values)


@pytest.fixture
def reports(tree, campaign, presidents):
    """Two weeks of reports; d1a2m jumps to a round, peer-beating figure in week 2."""
    rows = {}
    for key, week0, week1 in (("d1a1m", 120, 131), ("d1a2m", 110, 900), ("d2a1m", 95, 104), ("d2a2m", 130, 118)):
        rows[(key, 0)] = submit(tree, campaign, key, 0, homes=week0, members=4)
        rows[(key, 1)] = submit(tree, campaign, key, 1, homes=week1, members=50 if week1 == 900 else 5)
    return rows


def test_signals_point_at_the_outlier(tree, campaign, reports):
    signals = candidate_signals(campaign, list(sample_candidates(scope=Scope.system(), campaign=campaign)))
    assert signals[reports[("d1a2m", 1)].pk] == ["jump", "round", "peer"]
    assert signals[reports[("d1a1m", 1)].pk] == []
    assert all(signals[reports[(key, 0)].pk] == [] for key in MANDALS)


def test_sample_makes_verification_calls(tree, campaign, reports):
    chosen = verification_sample(scope=scope_of(tree, "state_president"),
                                 campaign=campaign, n=3, seed=11)
    assert len(chosen) == 3 and len({v.report_id for v in chosen}) == 3
    for verification in chosen:
        call = verification.call
        assert call.kind == CallKind.VERIFICATION and call.source == f"campaigns.report:{verification.report_id}"
        assert call.target == verification.target and call.caller == verification.caller
        assert call.questions == [q["text"] for q in verification.questions] and call.day == TODAY
        # The caller is a district office-bearer outside the mandal; the target is the mandal's president.
        assert not verification.caller.unit_path.startswith(verification.unit_path)
        assert verification.caller != verification.target
    d1 = [v for v in chosen if v.unit_path.startswith(tree["d1"].path)]
    assert all(v.caller == tree.people["district_president"] for v in d1)
    # The caller sees it in today's list.
    assert any(a.source.startswith("campaigns.report:")
               for a in calls_for_caller(person=tree.people["district_president"], day=TODAY)) or not d1
    questions = chosen[0].questions
    assert questions[0]["kind"] == "happened" and "हाँ / नहीं" in questions[0]["text"]
    assert [q["metric"] for q in questions[1:]] == ["homes", "members"]


def test_same_seed_same_sample_and_reports_are_sampled_once(tree, campaign, reports):
    scope = scope_of(tree, "state_president")
    first = [v.report_id for v in verification_sample(scope=scope, campaign=campaign, n=3, seed=5)]
    Verification.objects.all().delete()
    CallAssignment.objects.all().delete()
    again = [v.report_id for v in verification_sample(scope=scope, campaign=campaign, n=3, seed=5)]
    assert first == again
    more = [v.report_id for v in verification_sample(scope=scope, campaign=campaign, n=100, seed=5)]
    assert len(more) == 5 and not set(more) & set(first)


def test_outlier_is_sampled_far_more_often(tree, campaign, reports):
    outlier = reports[("d1a2m", 1)].pk
    candidates = list(sample_candidates(scope=Scope.system(), campaign=campaign))
    from sangathan.campaigns import checks

    signals = candidate_signals(campaign, candidates)
    weights = {r.pk: checks.signal_weight(signals[r.pk]) for r in candidates}
    drawn = sum(checks.weighted_sample(weights, 1, seed=seed)[0] == outlier for seed in range(500))
    assert drawn > 500 / len(candidates) * 3


def test_sampling_needs_write_scope_and_a_sane_size(tree, campaign, reports):
    with pytest.raises(NotFound):  # outside the actor's scope: as if absent
        verification_sample(scope=scope_of(tree, "nobody"), campaign=campaign, n=2, seed=1)
    with pytest.raises(DomainError) as caught:
        verification_sample(scope=scope_of(tree, "state_president"), campaign=campaign, n=0, seed=1)
    assert "sample" in caught.value.errors
    assert not Verification.objects.exists()


def test_a_district_samples_only_its_own_reports(tree, campaign, reports):
    chosen = verification_sample(scope=scope_of(tree, "district_president"), campaign=campaign, n=100, seed=3)
    assert len(chosen) == 4 and all(v.unit_path.startswith(tree["d1"].path) for v in chosen)


def test_vacant_president_gets_no_call(tree, campaign, reports, presidents):
    from sangathan.org.models import Position
    from sangathan.org.services import position_end

    position_end(scope=Scope.system(), position=Position.objects.get(person=presidents["d2a2m"]), end_date=TODAY)
    chosen = verification_sample(scope=scope_of(tree, "state_president"), campaign=campaign, n=100, seed=3)
    vacant = [v for v in chosen if v.unit_path == tree["d2a2m"].path]
    assert len(vacant) == 2 and all(v.status == VerificationStatus.NO_TARGET and v.call is None for v in vacant)


def test_logged_call_scores_the_report(tree, campaign, reports, django_capture_on_commit_callbacks):
    chosen = verification_sample(scope=scope_of(tree, "state_president"), campaign=campaign, n=100, seed=3)
    by_report = {v.report_id: v for v in chosen}
    honest = by_report[reports[("d1a1m", 1)].pk]
    inflated = by_report[reports[("d1a2m", 1)].pk]
    unreached = by_report[reports[("d2a1m", 1)].pk]
    with django_capture_on_commit_callbacks(execute=True):
        call_log_save(scope=Scope.system(), assignment=honest.call, outcome="reached", answers=["हाँ", "लगभग १२५", "5"])
    with django_capture_on_commit_callbacks(execute=True):
        call_log_save(scope=Scope.system(), assignment=inflated.call, outcome="reached", answers=["हाँ", "150 के आसपास", ""])
    with django_capture_on_commit_callbacks(execute=True):
        call_log_save(scope=Scope.system(), assignment=unreached.call, outcome="switched_off")
    honest.refresh_from_db(), inflated.refresh_from_db(), unreached.refresh_from_db()
    assert (honest.status, honest.discrepancy) == (VerificationStatus.MATCHED, 0.0)
    assert honest.heard == {"happened": True, "figures": {"homes": 125, "members": 5}}
    assert inflated.status == VerificationStatus.MISMATCHED and inflated.discrepancy == pytest.approx(0.7917, 1e-3)
    assert unreached.status == VerificationStatus.UNREACHED and unreached.discrepancy is None
    rows = verification_comparison(inflated)
    assert [(r.reported, r.heard, r.matches) for r in rows] == [("✓", "✓", True), ("900", "150", False),
                                                                 ("50", "", None)]


def test_unit_flagged_after_two_mismatches(tree, campaign, reports):
    chosen = verification_sample(scope=scope_of(tree, "state_president"), campaign=campaign, n=100, seed=3)
    by_report = {v.report_id: v for v in chosen}
    verification_record(scope=Scope.system(), verification=by_report[reports[("d1a2m", 0)].pk], reached=True, answers=["नहीं"])
    scope = scope_of(tree, "state_president")
    assert flagged_units(scope=scope, campaign=campaign) == []           # one mismatch: not yet
    verification_record(scope=Scope.system(), verification=by_report[reports[("d1a2m", 1)].pk], reached=True,
                        answers=["हाँ", "200", "5"])
    verification_record(scope=Scope.system(), verification=by_report[reports[("d1a1m", 1)].pk], reached=True,
                        answers=["हाँ", "130", "5"])
    verification_record(scope=Scope.system(), verification=by_report[reports[("d1a1m", 0)].pk], reached=True,
                        answers=["हाँ", "110", "4"])
    flagged = flagged_units(scope=scope, campaign=campaign)
    assert [f.unit for f in flagged] == [tree["d1a2m"]]
    assert flagged[0].score.checked == 2 and flagged[0].score.confidence == 0.5
    assert len(flagged[0].verifications) == 2
    scores = discrepancy_scores(scope=scope, campaign=campaign)
    assert scores[tree["d1a1m"].path].score == 0 and not scores[tree["d1a1m"].path].flagged
    # Another district's reader sees neither the flag nor the scores.
    other = make_user(PersonFactory(unit=tree["d2"]))
    position_assign(scope=Scope.system(), person=other.person, post=Post.objects.get(code="incharge"), unit=tree["d2"])
    from sangathan.access.scope import scope_for_user

    assert flagged_units(scope=scope_for_user(other), campaign=campaign) == []
    assert tree["d1a2m"].path not in discrepancy_scores(scope=scope_for_user(other), campaign=campaign)


def test_recording_again_recomputes(tree, campaign, reports):
    verification = verification_sample(scope=scope_of(tree, "state_president"), campaign=campaign, n=1, seed=3)[0]
    verification_record(scope=Scope.system(), verification=verification, reached=True, answers=["नहीं"])
    verification.refresh_from_db()
    assert verification.discrepancy == 1.0
    verification_record(scope=Scope.system(), verification=verification, reached=True, answers=["हाँ"])
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.MATCHED and verification.discrepancy == 0.0
    verification_record(scope=Scope.system(), verification=verification, reached=True, answers=["पता नहीं"])
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.PENDING and verification.discrepancy is None


def test_old_reports_are_left_out(tree, campaign, reports, clock):
    clock.advance(days=60)
    assert list(sample_candidates(scope=Scope.system(), campaign=campaign)) == []
    assert len(list(sample_candidates(scope=Scope.system(), campaign=campaign, since=START - timedelta(days=1)))) == 8
