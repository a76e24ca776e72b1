"""The arithmetic of verification: each outlier signal, the seeded weighted sample, answers, scores."""

from collections import Counter

import pytest

from sangathan.campaigns import checks


class TestSignals:
    def test_jump_against_the_units_own_median(self):
        history = {"homes": [100, 120, 80]}
        assert checks.jump_signal({"homes": 250}, history)        # 250 > 2 × 100
        assert not checks.jump_signal({"homes": 200}, history)    # exactly 2× is no jump
        assert not checks.jump_signal({"homes": 900}, {})         # no history, nothing to jump from
        assert not checks.jump_signal({"homes": 900}, {"homes": [0, 0]})

    def test_round_numbers(self):
        assert checks.round_signal({"homes": 500, "members": 100})
        assert checks.round_signal({"homes": 150, "members": 0})
        assert not checks.round_signal({"homes": 500, "members": 37})
        assert not checks.round_signal({"homes": 50})              # round but small
        assert not checks.round_signal({"homes": 0})

    def test_far_above_peers(self):
        peers = {"homes": [100, 110, 90, 0]}
        assert checks.peer_signal({"homes": 300}, peers)           # > 2.5 × 100
        assert not checks.peer_signal({"homes": 240}, peers)
        assert not checks.peer_signal({"homes": 900}, {"homes": [100]})  # one peer is not a crowd

    def test_claims_not_backed_by_evidence(self):
        assert checks.unbacked_signal({"walls": 10}, {"walls": 2})     # 10 > 2 × 3
        assert not checks.unbacked_signal({"walls": 6}, {"walls": 2})
        assert not checks.unbacked_signal({"walls": 10}, {})

    def test_report_signals_and_weight(self):
        signals = checks.report_signals(values={"homes": 500}, history={"homes": [100]}, peers={"homes": [90, 110]},
                                        evidenced={})
        assert signals == ["jump", "round", "peer"]
        assert checks.signal_weight(signals) == 1 + 2 + 1 + 2
        assert checks.signal_weight([]) == 1


class TestSample:
    def test_same_seed_same_sample(self):
        weights = {i: 1.0 + (i % 3) for i in range(1, 200)}
        assert checks.weighted_sample(weights, 10, seed=7) == checks.weighted_sample(dict(reversed(weights.items())),
                                                                                      10, seed=7)
        assert checks.weighted_sample(weights, 10, seed=7) != checks.weighted_sample(weights, 10, seed=8)

    def test_without_replacement_and_bounded(self):
        sample = checks.weighted_sample({1: 1.0, 2: 1.0, 3: 1.0}, 10, seed=1)
        assert sorted(sample) == [1, 2, 3]
        assert checks.weighted_sample({1: 1.0}, 0, seed=1) == []

    def test_heavier_reports_are_drawn_more_often(self):
        # One report of weight 6 among 20 of weight 1: over many seeds it is drawn first ~6/25 of the time.
        weights = {i: 1.0 for i in range(1, 21)} | {99: 6.0}
        firsts = Counter(checks.weighted_sample(weights, 1, seed=seed)[0] for seed in range(2000))
        share = firsts[99] / 2000
        assert 0.18 < share < 0.30
        assert max(firsts[i] for i in range(1, 21)) < firsts[99] / 3


class TestAnswers:
    @pytest.mark.parametrize(("answer", "expected"), [
        ("हाँ", True), ("हां", True), ("Yes", True), (True, True), ("जी हाँ", True),
        ("नहीं", False), ("no", False), ("नहीं।", False), (False, False), ("पता नहीं", None), ("", None),
    ])
    def test_yes_no(self, answer, expected):
        assert checks.parse_yes_no(answer) is expected

    @pytest.mark.parametrize(("answer", "expected"), [
        ("लगभग ३०० घर", 300), ("about 1,200", 1200), (45, 45), ("कुछ नहीं", None), (None, None), (True, None),
    ])
    def test_numbers(self, answer, expected):
        assert checks.parse_number(answer) == expected


class TestDiscrepancy:
    def test_shortfall_allows_for_estimates(self):
        assert checks.shortfall(100, 90) == 0.0       # within the 20 % tolerance
        assert checks.shortfall(100, 100) == 0.0
        assert checks.shortfall(100, 150) == 0.0      # hearing more is no discrepancy
        assert checks.shortfall(500, 100) == 0.75     # (0.8 − 0.2) / 0.8
        assert checks.shortfall(100, 0) == 1.0
        assert checks.shortfall(0, 10) == 0.0

    def test_report_discrepancy(self):
        reported = {"homes": 500, "members": 40}
        assert checks.report_discrepancy(happened=False, reported=reported, heard={}) == 1.0
        assert checks.report_discrepancy(happened=False, reported={"homes": 0}, heard={}) == 0.0
        assert checks.report_discrepancy(happened=True, reported=reported, heard={"homes": 480, "members": 38}) == 0
        assert checks.report_discrepancy(happened=True, reported=reported, heard={"homes": 100}) == 0.75
        assert checks.report_discrepancy(happened=True, reported=reported, heard={}) == 0.0
        assert checks.report_discrepancy(happened=None, reported=reported, heard={}) is None

    def test_confidence_grows_with_checked_reports(self):
        assert [checks.confidence(n) for n in (0, 1, 2, 4, 8)] == [0.0, 0.3333, 0.5, 0.6667, 0.8]

    def test_flag_needs_a_bad_score_and_two_checks(self):
        assert not checks.unit_score([1.0]).flagged                 # one bad call is not enough
        assert checks.unit_score([1.0, 0.75]).flagged
        assert not checks.unit_score([0.0, 0.1, 0.0]).flagged
        score = checks.unit_score([0.75, 0.25])
        assert (score.checked, score.score, score.confidence, score.flagged) == (2, 0.5, 0.5, True)
        assert checks.unit_score([]) == checks.UnitScore(0, 0.0, 0.0, False)
