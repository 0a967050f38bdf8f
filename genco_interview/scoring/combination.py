"""The combination: weights that turn signals into concept credit, a grade and a confidence.

Two ridge regressions on standardised signals (Hoerl & Kennard, 1970), fitted across questions
so that they hold for a rubric nobody calibrated:

1. concept credit (0-2, the graders' concept scale) from each concept's signals;
2. the grade (0-10) from the weighted mean concept credit and the answer's own signals.

A third, one-signal regression (the grade from the model answer's terms alone) is the second opinion.
A fourth predicts how far off a score is likely to be (points, 0-100) from how much the two opinions
disagree (`disagreement`: a combined grade under the lowest the terms alone can give is no
disagreement) and how near the score is to the middle of the scale (errors are bounded at its ends):
where that expected error passes `uncertain_error`, the card says the score is uncertain. A misconception the rules flag is shown on the card only when its sentence is
closer to it than to any correct claim by `misconception_margin`, the cut that best agrees with the
graders' misconception labels (F1): a near tie is as often a correct sentence on the same topic. Shipped weights live in `combination.yaml` beside this file; `genco eval
--leave-one-question-out` refits them without each question it reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import numpy as np
import yaml

from ..card import MisconceptionHit
from ..datafile import SAFE_LOADER
from ..errors import GencoError
from .signals import ANSWER_SIGNALS, CONCEPT_SIGNALS, AnswerSignals, without_misconceptions

GRADE_SCALE = 10.0
"""The combination predicts grades on 0-10; a score is that grade x 10."""
RIDGE_ALPHA = 1.0
"""Ridge penalty on standardised signals: small, it only steadies correlated signals."""
CONCEPT_SIGNS = (1,) * len(CONCEPT_SIGNALS)
"""Every concept signal may only raise a concept's credit (a contradiction lowers rule_status itself)."""
ANSWER_SIGNS = (1, 1, 1, -1, 1)
"""Directions the grade may move with each answer signal: credit, the model answer's terms, length and code only
raise it, a misconception only lowers it."""
UNCERTAINTY_SIGNALS = ("disagreement", "closeness_to_middle")
"""What the expected error is read from: grade points between the two opinions, and score points from the
nearer end of the 0-100 scale (50 - |score - 50|). Both may only raise it."""
UNCERTAIN_SHARE = 0.2
"""Share of the training answers with the largest expected errors that the fitted `uncertain_error` marks
uncertain (keyword lists, answers taken back and reversed readings are marked too: about a quarter of the
independent graded answers in all, out of question; docs/scoring.md has the figures)."""


class CombinationError(GencoError, ValueError):
    """A combination file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Linear:
    """y = intercept + sum(weight * (x - mean) / scale): a ridge fit on standardised signals, each
    signal held inside the range [low, high] the fit saw."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    low: tuple[float, ...] | None = None
    high: tuple[float, ...] | None = None
    """Per signal, the smallest and largest value among the training answers (None: unbounded). A
    straight line says nothing past the data it was fitted on: a signal far outside it (a
    misconception's lead over a sentence no correct claim could be read in) would move a grade by
    any amount, so it is held at the edge."""

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions for rows of `x` ((n, len(names)) -> (n,))."""
        x = np.asarray(x, float)
        if self.low is not None and self.high is not None:
            x = np.clip(x, self.low, self.high)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.intercept

    def to_dict(self) -> dict[str, Any]:
        low = self.low if self.low is not None else (-math.inf,) * len(self.names)
        high = self.high if self.high is not None else (math.inf,) * len(self.names)
        return {"intercept": round(self.intercept, 6),
                "signals": {n: {"mean": round(m, 6), "scale": round(s, 6), "weight": round(w, 6),
                                "low": round(lo, 6), "high": round(hi, 6)}
                            for n, m, s, w, lo, hi in zip(self.names, self.mean, self.scale, self.weights, low, high)}}


def fit_linear(names: Sequence[str], x: np.ndarray, y: np.ndarray, alpha: float = RIDGE_ALPHA,
               signs: Sequence[int] | None = None) -> Linear:
    """Ridge regression of y on standardised x; the intercept is not penalised.

    x is (n, len(names)), y is (n,). A constant column gets scale 1 and weight ~0. `signs`
    (+1, -1 or 0 per signal) constrains a weight's direction: a signal whose fitted weight
    points the wrong way is dropped (weight 0) and the rest refitted, so an answer far outside
    the training range (a one-line "I don't know") cannot gain from a signal that should only
    ever cost it.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = (x - mean) / scale
    keep = list(range(len(names)))
    while True:
        design = np.c_[z[:, keep], np.ones(len(z))]
        penalty = alpha * np.eye(design.shape[1])
        penalty[-1, -1] = 0.0
        solution = np.linalg.solve(design.T @ design + penalty, design.T @ y)
        wrong = [k for k, w in zip(keep, solution[:-1]) if signs is not None and signs[k] * w < 0]
        if not wrong:
            break
        keep.remove(wrong[0])
    weights = np.zeros(len(names))
    weights[keep] = solution[:-1]
    return Linear(tuple(names), tuple(map(float, mean)), tuple(map(float, scale)),
                  tuple(map(float, weights)), float(solution[-1]),
                  tuple(map(float, x.min(axis=0))), tuple(map(float, x.max(axis=0))))


@dataclass(frozen=True)
class Combination:
    concept: Linear
    overall: Linear
    reference_only: Linear
    partial: float
    """Concept credit from which a concept counts as partly stated (0-2 scale)."""
    covered: float
    """Concept credit from which a concept counts as clearly stated."""
    uncertainty: Linear
    """Expected error (score points) from UNCERTAINTY_SIGNALS."""
    uncertain_error: float
    """Expected error (score points) past which a score is uncertain."""
    misconception_margin: float = 0.0
    """Similarity points by which a flagged misconception must beat every correct claim to be shown on the card."""

    @property
    def points_per_credit(self) -> float:
        """Score points (0-100) one unit of weighted mean concept share (0-1) is worth: the slope of the grade fit."""
        return 2.0 * 10.0 * self.overall.weights[0] / self.overall.scale[0]

    def concept_credit(self, signals: AnswerSignals) -> np.ndarray:
        """Credit per concept, clipped to the graders' 0-2 scale."""
        if len(signals.concepts) == 0:
            return np.zeros(0)
        return np.clip(self.concept.predict(signals.concepts), 0.0, 2.0)

    def unheard(self, signals: AnswerSignals, credit: np.ndarray) -> tuple[AnswerSignals, np.ndarray]:
        """The signals and concept credit of the answer with no misconception flagged (without_misconceptions)."""
        quiet = without_misconceptions(signals)
        return quiet, (credit if signals.unheard is None else self.concept_credit(quiet))

    def grades(self, signals: AnswerSignals, credit: np.ndarray, named: bool = False) -> tuple[float, float]:
        """(combined grade, reference-only grade), each clipped to 0-10.

        With `named` (the card names a misconception) its cost is taken off after the clip at 10: an
        answer whose other signals grade it past the top would otherwise show 100 beside the
        misconception the card names. A misconception the card does not show costs nothing past it."""
        raw = float(self.overall.predict(answer_row(signals, credit)[None, :])[0])
        unheard = float(self.overall.predict(answer_row(*self.unheard(signals, credit))[None, :])[0])
        top = min(unheard, GRADE_SCALE) if named else unheard
        combined = float(np.clip(top - (unheard - raw), 0.0, GRADE_SCALE))
        alone = float(np.clip(self.reference_only.predict(signals.answer[None, :1])[0], 0.0, GRADE_SCALE))
        return combined, alone

    def disagreement(self, combined: float | np.ndarray, alone: float | np.ndarray) -> float | np.ndarray:
        """Grade points (0-10) between the combined grade and the reference-only one (`grades`).

        The reference terms alone cannot grade below what they give an answer that uses none of the
        model answer's words (about 2 of 10): a combined grade under that floor agrees with it (an "I
        don't know" is no disagreement), so it is raised to the floor before the two are compared."""
        floor = float(np.clip(self.reference_only.predict(np.zeros((1, 1)))[0], 0.0, GRADE_SCALE))
        return np.abs(np.maximum(combined, floor) - alone)

    def uncertainty_rows(self, combined: float | np.ndarray, alone: float | np.ndarray) -> np.ndarray:
        """UNCERTAINTY_SIGNALS of grades (n,) or one grade: (n, 2), what `uncertainty` reads."""
        return np.c_[np.atleast_1d(self.disagreement(combined, alone)), np.atleast_1d(closeness_to_middle(combined))]

    def expected_error(self, combined: float, alone: float) -> float:
        """Score points (0-100) a score of grade `combined` is expected to be off by, with `alone` the
        reference-only grade (`grades`)."""
        return float(self.uncertainty.predict(self.uncertainty_rows(combined, alone))[0])

    def confidence(self, expected: float) -> float:
        """0-1 from the expected error: 1 at the least this combination can expect (no disagreement, a
        score at an end of the scale), 0.5 at `uncertain_error`, 0 at twice as far."""
        least = float(self.uncertainty.predict(np.zeros((1, len(UNCERTAINTY_SIGNALS))))[0])
        if self.uncertain_error <= least:
            return 1.0 if expected <= self.uncertain_error else 0.0
        return float(np.clip(1.0 - (expected - least) / (2 * (self.uncertain_error - least)), 0.0, 1.0))

    def shown(self, hits: Sequence[MisconceptionHit]) -> list[MisconceptionHit]:
        """The flagged misconceptions a card states: those clear of every correct claim by the fitted margin."""
        return [hit for hit in hits if hit.margin >= self.misconception_margin]

    def to_dict(self) -> dict[str, Any]:
        return {"partial": round(self.partial, 4), "covered": round(self.covered, 4),
                "uncertain_error": round(self.uncertain_error, 4), "misconception_margin": round(self.misconception_margin, 4),
                "concept": self.concept.to_dict(), "overall": self.overall.to_dict(),
                "reference_only": self.reference_only.to_dict(), "uncertainty": self.uncertainty.to_dict()}


def closeness_to_middle(grade: float | np.ndarray) -> float | np.ndarray:
    """Score points (0-50) from the nearer end of the 0-100 scale, for a grade on 0-10."""
    return 50.0 - np.abs(np.asarray(grade, float) * 100.0 / GRADE_SCALE - 50.0)


def answer_row(signals: AnswerSignals, credit: np.ndarray) -> np.ndarray:
    """ANSWER_SIGNALS of one answer: weighted mean concept credit, then the answer's own signals."""
    weights = np.asarray(signals.weights, float)
    mean_credit = float(credit @ weights / weights.sum()) if len(credit) else 0.0
    return np.r_[mean_credit, signals.answer]


@dataclass(frozen=True)
class TrainingAnswer:
    """One graded answer's signals and its human grades (overall already on 0-10)."""

    signals: AnswerSignals
    concept_grades: tuple[float, ...]
    """Per concept of `signals.concept_ids`, 0-2; NaN where the grader did not grade it."""
    grade: float
    question: str
    flagged: tuple[tuple[str, float], ...] = ()
    """The misconceptions the rules flagged, each with its margin (MisconceptionHit.margin)."""
    misconceptions: frozenset[str] = frozenset()
    """The misconceptions the grader says the answer asserts."""


def _best_threshold(credit: np.ndarray, truth: np.ndarray) -> float:
    """The credit cut at which the marks agree most with truth (bool) beyond chance: Cohen's kappa
    (Cohen, 1960), the smallest of equally good cuts.

    Not F1: graders find four of five concepts at least partly stated, and F1, blind to the concepts
    both call absent, rewards marking nearly every concept present (out of question, 60 % of the
    concepts the graders call absent were marked present at the F1 cut, 36 % at this one)."""
    best, best_kappa = 1.0, -np.inf
    for cut in np.linspace(0.2, 1.8, 33):
        agreement = _kappa(credit >= cut, truth)
        if agreement > best_kappa:
            best, best_kappa = float(cut), agreement
    return best


def _kappa(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Cohen's kappa of two boolean markings of the same items: 1 in full agreement, 0 when chance
    explains all of it (and for no items)."""
    if not len(truth):
        return 0.0
    p, t = float(predicted.mean()), float(truth.mean())
    by_chance = p * t + (1 - p) * (1 - t)
    return 0.0 if by_chance >= 1 else (float((predicted == truth).mean()) - by_chance) / (1 - by_chance)


MARGIN_GRID = tuple(np.round(np.arange(0.0, 0.205, 0.02), 2))
"""Candidate misconception margins (similarity points); the smallest of equally good ones wins."""


def best_margin(answers: Sequence[TrainingAnswer]) -> float:
    """The margin whose shown misconceptions agree best (F1) with the graders' labels; 0 with nothing to agree on."""
    def f1(margin: float) -> float:
        tp = fp = fn = 0
        for answer in answers:
            shown = {mid for mid, m in answer.flagged if m >= margin}
            tp += len(shown & answer.misconceptions)
            fp += len(shown - answer.misconceptions)
            fn += len(answer.misconceptions - shown)
        return 2 * tp / max(2 * tp + fp + fn, 1)

    return float(max(MARGIN_GRID, key=f1))


def fit_combination(answers: Sequence[TrainingAnswer], alpha: float = RIDGE_ALPHA,
                    uncertain_share: float = UNCERTAIN_SHARE) -> Combination:
    """Fit every weight and threshold of a combination on graded answers.

    The expected error is fitted on the training answers' own errors (the grades before the clip a
    named misconception's cost moves, a detail at the top of the scale); `uncertain_share` of them,
    those expected to be furthest off, set `uncertain_error`.
    """
    rows = [(a.signals.concepts[i], g) for a in answers for i, g in enumerate(a.concept_grades) if not np.isnan(g)]
    concept = fit_linear(CONCEPT_SIGNALS, np.array([r for r, _ in rows]), np.array([g for _, g in rows]), alpha,
                         CONCEPT_SIGNS)
    credit = np.clip(concept.predict(np.array([r for r, _ in rows])), 0, 2)
    truth = np.array([g for _, g in rows])
    partial = _best_threshold(credit, truth >= 1)
    covered = max(_best_threshold(credit, truth >= 2), partial + 0.05)
    answer_rows = np.array([answer_row(a.signals, np.clip(concept.predict(a.signals.concepts), 0, 2)) for a in answers])
    grades = np.array([a.grade for a in answers])
    overall = fit_linear(ANSWER_SIGNALS, answer_rows, grades, alpha, ANSWER_SIGNS)
    alone = fit_linear(ANSWER_SIGNALS[1:2], answer_rows[:, 1:2], grades, alpha, ANSWER_SIGNS[1:2])
    unsure = Combination(concept, overall, alone, partial, covered, _NO_UNCERTAINTY, 0.0, best_margin(answers))
    combined = np.clip(overall.predict(answer_rows), 0, GRADE_SCALE)
    signals = unsure.uncertainty_rows(combined, np.clip(alone.predict(answer_rows[:, 1:2]), 0, GRADE_SCALE))
    errors = np.abs(combined - grades) * 100.0 / GRADE_SCALE
    uncertainty = fit_linear(UNCERTAINTY_SIGNALS, signals, errors, alpha, (1,) * len(UNCERTAINTY_SIGNALS))
    cut = float(np.quantile(uncertainty.predict(signals), 1 - uncertain_share)) if len(signals) else 100.0
    return replace(unsure, uncertainty=uncertainty, uncertain_error=cut)


_NO_UNCERTAINTY = Linear(UNCERTAINTY_SIGNALS, (0.0, 0.0), (1.0, 1.0), (0.0, 0.0), 0.0)
"""A placeholder until the expected error is fitted (it needs the combination's own grades)."""


def _read_linear(node: Any, names: Sequence[str], where: str) -> Linear:
    if not isinstance(node, dict) or not isinstance(node.get("signals"), dict):
        raise CombinationError(f"{where}: expected 'intercept' and 'signals'")
    signals = node["signals"]
    if list(signals) != list(names):
        raise CombinationError(f"{where}.signals: expected {', '.join(names)} in that order, got {', '.join(signals)}")
    try:
        values = [(float(s["mean"]), float(s["scale"]), float(s["weight"]), float(s.get("low", -math.inf)),
                   float(s.get("high", math.inf))) for s in signals.values()]
        intercept = float(node["intercept"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CombinationError(f"{where}: every signal needs numeric mean, scale and weight ({exc})") from None
    if any(v[1] <= 0 for v in values):
        raise CombinationError(f"{where}: a signal's scale must be positive")
    if any(v[3] > v[4] for v in values):
        raise CombinationError(f"{where}: a signal's low must not be above its high")
    mean, scale, weights, low, high = (tuple(v[i] for v in values) for i in range(5))
    return Linear(tuple(names), mean, scale, weights, intercept, low, high)


def parse_combination(text: str, source: str) -> Combination:
    """Read a combination file; raise CombinationError naming the file and field."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise CombinationError(f"{source}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CombinationError(f"{source}: expected a mapping")
    try:
        numbers = {k: float(data[k]) for k in ("partial", "covered", "uncertain_error", "misconception_margin")}
    except (KeyError, TypeError, ValueError):
        raise CombinationError(f"{source}: partial, covered, uncertain_error and misconception_margin must be numbers") from None
    return Combination(
        concept=_read_linear(data.get("concept"), CONCEPT_SIGNALS, f"{source}: concept"),
        overall=_read_linear(data.get("overall"), ANSWER_SIGNALS, f"{source}: overall"),
        reference_only=_read_linear(data.get("reference_only"), ANSWER_SIGNALS[1:2], f"{source}: reference_only"),
        uncertainty=_read_linear(data.get("uncertainty"), UNCERTAINTY_SIGNALS, f"{source}: uncertainty"),
        **numbers,
    )


def shipped_combination() -> Combination:
    """The combination fitted across every graded question (see docs/scoring.md)."""
    path = resources.files(__package__).joinpath("combination.yaml")
    return parse_combination(path.read_text(encoding="utf-8"), "combination.yaml")


def combination_yaml(combination: Combination, fitted_on: str) -> str:
    """The file `shipped_combination` reads, with a header saying where the weights came from."""
    header = (f"# Signal weights of genco's scorer, fitted across questions on {fitted_on}.\n"
              "# Rewritten by bench/fit_combination.py; see docs/scoring.md.\n")
    return header + yaml.safe_dump(combination.to_dict(), sort_keys=False)
