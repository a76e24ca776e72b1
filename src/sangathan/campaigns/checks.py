"""The arithmetic of verification, free of the database: outlier signals, the weighted sample, answers
parsed, and the discrepancy of a report and of a unit with its confidence.

Signals (each documented here and tested in ``tests/campaigns/test_checks.py``) raise a report's chance
of being sampled; none of them alone says a report is false:

* ``jump`` — a figure is more than ``JUMP_FACTOR`` times the median of the same unit's earlier reports
  of that metric (needs at least one earlier report with a non-zero figure).
* ``round`` — every non-zero figure of the report is a multiple of ``ROUND_STEP`` and at least one is
  ``ROUND_MIN`` or more: counted work rarely lands on round numbers, estimates do.
* ``peer`` — a figure is more than ``PEER_FACTOR`` times the median of the same metric over the other
  units reporting for the same period (needs ``PEER_MIN`` peers with a non-zero figure).
* ``unbacked`` — a metric tied to booth tasks (walls written ↔ wall-writing tasks) claims more than
  ``UNBACKED_FACTOR`` times the tasks done with evidence in the unit during the period (plus one).

A report's weight is ``1 + Σ SIGNAL_WEIGHTS[signal]``. The sample is drawn without replacement by the
Efraimidis–Spirakis method: each report gets the key ``u ** (1 / weight)`` with ``u`` from a
``random.Random(seed)`` walked in report-id order, and the ``n`` largest keys win — the same seed and
the same reports give the same sample, and a report of weight 4 is about four times as likely as one of
weight 1 to be drawn first.

Discrepancy of one checked report (0 = matches, 1 = nothing of it happened): if the unit's president
says the work did not happen while the report claims any, 1. Otherwise the largest relative shortfall
over the figures asked, ``(reported − heard) / reported``, less ``TOLERANCE`` (people on the phone
estimate), scaled back to 0…1. Hearing more than was reported is no discrepancy.

A unit's score is the mean discrepancy of its checked reports; its confidence ``n / (n + CONFIDENCE_K)``
grows with the number ``n`` of checked reports (1 → 0.33, 2 → 0.5, 4 → 0.67, 8 → 0.8). A unit is
flagged when its score is at least ``FLAG_SCORE`` and its confidence at least ``FLAG_CONFIDENCE``
(two checked reports): one unlucky call does not brand a unit.
"""

from __future__ import annotations

import random
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

JUMP_FACTOR = 2.0
ROUND_STEP = 50
ROUND_MIN = 100
PEER_FACTOR = 2.5
PEER_MIN = 2
UNBACKED_FACTOR = 2.0
SIGNAL_WEIGHTS = {"jump": 2.0, "round": 1.0, "peer": 2.0, "unbacked": 1.5}
SIGNALS = tuple(SIGNAL_WEIGHTS)

TOLERANCE = 0.2
MATCH_BELOW = 0.25
CONFIDENCE_K = 2
FLAG_SCORE = 0.4
FLAG_CONFIDENCE = 0.5


# --- Signals ---------------------------------------------------------------------------------------------

def jump_signal(values: Mapping[str, int], history: Mapping[str, Sequence[int]]) -> bool:
    """Some figure is above ``JUMP_FACTOR`` × the median of the unit's own earlier figures of that metric."""
    for code, value in values.items():
        earlier = [v for v in history.get(code, ()) if v > 0]
        if earlier and value > JUMP_FACTOR * statistics.median(earlier):
            return True
    return False


def round_signal(values: Mapping[str, int]) -> bool:
    """Every non-zero figure is a multiple of ``ROUND_STEP`` and at least one is ``ROUND_MIN`` or more."""
    figures = [v for v in values.values() if v > 0]
    return bool(figures) and all(v % ROUND_STEP == 0 for v in figures) and max(figures) >= ROUND_MIN


def peer_signal(values: Mapping[str, int], peers: Mapping[str, Sequence[int]]) -> bool:
    """Some figure is above ``PEER_FACTOR`` × the median of the other units' figures for the same period."""
    for code, value in values.items():
        others = [v for v in peers.get(code, ()) if v > 0]
        if len(others) >= PEER_MIN and value > PEER_FACTOR * statistics.median(others):
            return True
    return False


def unbacked_signal(values: Mapping[str, int], evidenced: Mapping[str, int]) -> bool:
    """A task-backed figure claims more than ``UNBACKED_FACTOR`` × (evidenced tasks + 1)."""
    return any(values.get(code, 0) > UNBACKED_FACTOR * (count + 1) for code, count in evidenced.items())


def report_signals(*, values: Mapping[str, int], history: Mapping[str, Sequence[int]],
                   peers: Mapping[str, Sequence[int]], evidenced: Mapping[str, int] | None = None) -> list[str]:
    """The signals a report raises, in ``SIGNALS`` order."""
    raised = {
        "jump": jump_signal(values, history),
        "round": round_signal(values),
        "peer": peer_signal(values, peers),
        "unbacked": unbacked_signal(values, evidenced or {}),
    }
    return [name for name in SIGNALS if raised[name]]


def signal_weight(signals: Iterable[str]) -> float:
    return 1.0 + sum(SIGNAL_WEIGHTS[name] for name in signals)


# --- The sample --------------------------------------------------------------------------------------------

def weighted_sample(weights: Mapping[int, float], n: int, seed: int) -> list[int]:
    """``n`` ids drawn without replacement, likelier the heavier; the same seed gives the same ids.

    Ids are returned in the order drawn (largest key first).
    """
    rng = random.Random(seed)
    keyed = []
    for item in sorted(weights):
        weight = weights[item]
        u = rng.random()
        keyed.append(((u ** (1.0 / weight)) if weight > 0 else 0.0, item))
    keyed.sort(reverse=True)
    return [item for _key, item in keyed[:max(n, 0)]]


# --- Answers ---------------------------------------------------------------------------------------------

_YES = {"yes", "y", "haan", "han", "ha", "haa", "हाँ", "हां", "हा", "जी", "जी हाँ", "जी हां", "1", "true"}
_NO = {"no", "n", "nahin", "nahi", "nhi", "नहीं", "नही", "ना", "जी नहीं", "0", "false"}
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_NUMBER = re.compile(r"\d+")


def parse_yes_no(answer) -> bool | None:
    if isinstance(answer, bool):
        return answer
    text = str(answer or "").strip().lower().rstrip("।.!")
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def parse_number(answer) -> int | None:
    """The first whole number in an answer ("लगभग ३०० घर" → 300), or None."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return int(answer)
    match = _NUMBER.search(str(answer or "").translate(_DEVANAGARI_DIGITS).replace(",", ""))
    return int(match.group()) if match else None


# --- Discrepancy -----------------------------------------------------------------------------------------

def shortfall(reported: int, heard: int) -> float:
    """How far ``heard`` falls short of ``reported``, past the tolerance, on 0…1."""
    if reported <= 0:
        return 0.0
    short = max(0.0, (reported - heard) / reported)
    return round(max(0.0, short - TOLERANCE) / (1 - TOLERANCE), 4)


def report_discrepancy(*, happened: bool | None, reported: Mapping[str, int],
                       heard: Mapping[str, int]) -> float | None:
    """Discrepancy of one checked report, or None when nothing usable was heard."""
    claims_work = any(v > 0 for v in reported.values())
    if happened is False:
        return 1.0 if claims_work else 0.0
    gaps = [shortfall(reported.get(code, 0), value) for code, value in heard.items()]
    if not gaps:
        return None if happened is None else 0.0
    return max(gaps)


@dataclass(frozen=True)
class UnitScore:
    checked: int
    score: float        # mean discrepancy, 0…1
    confidence: float   # n / (n + CONFIDENCE_K)
    flagged: bool


def confidence(checked: int) -> float:
    return round(checked / (checked + CONFIDENCE_K), 4) if checked > 0 else 0.0


def unit_score(discrepancies: Sequence[float]) -> UnitScore:
    checked = len(discrepancies)
    score = round(sum(discrepancies) / checked, 4) if checked else 0.0
    sure = confidence(checked)
    return UnitScore(checked=checked, score=score, confidence=sure,
                     flagged=checked > 0 and score >= FLAG_SCORE and sure >= FLAG_CONFIDENCE)
