"""Fitting a rubric's thresholds and grade map to human grades (`genco calibrate`).

The answers are embedded once; every candidate threshold is then tried by re-running the
pure scoring step on the stored evidence, so a fit costs seconds. Thresholds move only a
little from what the rubric's author wrote, and each move must buy agreement (a penalty per
unit moved), because a few dozen graded answers per concept can flatter almost any setting.
Agreement is reported out of fold: rows are never judged by a fit that saw them.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from .. import __version__
from ..card import Status
from ..rubric import Rubric, piecewise_linear
from ..text.escapes import CONTROL_CHARACTER
from ..text.reading import normalise_answer
from .metrics import LabeledAnswer, agreement, linear_grade, prf, same_answer

if TYPE_CHECKING:
    from ..card import ScoreCard
    from ..scoring import Scorer, UnitEvidence

SHIFTS = tuple(round(0.01 * step, 2) for step in range(-8, 9))
PENALTY = 1.0  # agreement a move must buy per unit of similarity it moves away from the author's threshold
MIN_EACH_SIDE = 5  # fewer positive or negative labels than this: keep the author's threshold
LEVEL = {Status.COVERED: 2, Status.PARTIAL: 1}


@dataclass(frozen=True)
class Graded:
    """A labeled answer with what the model saw in it, ready to be re-scored under any thresholds."""

    row: LabeledAnswer
    depth: str
    evidence: UnitEvidence
    notes: list[str]
    alignment: float = 0.0
    text: str = ""
    """The answer as the scorer reads it (normalise_answer): its terms and length are signals too."""


def graded_items(scorer: Scorer, rows: Sequence[LabeledAnswer], depths: Sequence[str]) -> list[Graded]:
    """Embed every labeled answer once (parts, and token alignment for reference rubrics)."""
    evidence = scorer.evidence_many([r.answer for r in rows])
    alignment = [0.0] * len(rows)
    for depth in set(depths):
        indexes = [i for i, d in enumerate(depths) if d == depth]
        values = scorer.alignments([rows[i].answer for i in indexes], scorer.rubric.depth(depth))
        for i, value in zip(indexes, values):
            alignment[i] = value
    return [Graded(row, d, e, notes, a, normalise_answer(row.answer))
            for row, d, (e, notes), a in zip(rows, depths, evidence, alignment)]


@dataclass(frozen=True)
class Fit:
    thresholds: dict[str, tuple[float, float]]
    grade_map: list[tuple[float, float]]

    def to_grade(self, score: float) -> float:
        return piecewise_linear(self.grade_map, score)


def written_thresholds(rubric: Rubric) -> dict[str, tuple[float, float]]:
    """Each concept's (partial, covered) as the author wrote it, falling back to the rubric's defaults."""
    return {c.id: c.thresholds(rubric.scoring) for c in rubric.concepts}


def with_thresholds(rubric: Rubric, thresholds: dict[str, tuple[float, float]]) -> Rubric:
    concepts = tuple(replace(c, partial=thresholds[c.id][0], covered=thresholds[c.id][1]) for c in rubric.concepts)
    return replace(rubric, concepts=concepts, calibration=None)


def score_graded(rubric: Rubric, items: Sequence[Graded], scorer: Scorer) -> list[ScoreCard]:
    """The concept rules' cards of stored answers under `rubric`'s thresholds (no model run)."""
    from ..scoring import score_evidence

    return [score_evidence(rubric, rubric.depth(g.depth), g.evidence, scorer.bank, scorer.embedder.name, g.notes,
                           g.alignment if g.evidence.units else 0.0) for g in items]


def final_cards(rubric: Rubric, items: Sequence[Graded], scorer: Scorer) -> list[ScoreCard]:
    """The cards a user would see under `rubric`'s thresholds: the rules' cards combined with the
    other signals as `genco score` combines them (Scorer.final), so what calibration reports and
    fits its grade line on is the score `genco score` and `genco eval` give."""
    return [scorer.final(scorer.reread(card, g.evidence, g.text, g.depth))
            for card, g in zip(score_graded(rubric, items, scorer), items)]


def _labels(items: Sequence[Graded], cards: Sequence[ScoreCard], concept_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Human grade (0/1/2) and machine level (0/1/2) for one concept, over the rows that grade it."""
    human, machine = [], []
    for item, card in zip(items, cards):
        if concept_id in item.row.concepts:
            status = next((c.status for c in card.concepts if c.id == concept_id), None)
            if status is not None:
                human.append(item.row.concepts[concept_id])
                machine.append(LEVEL.get(status, 0))
    return np.array(human, int), np.array(machine, int)


def _credited_f1(human: np.ndarray, machine: np.ndarray) -> float:
    said, credited = human > 0, machine > 0
    return prf(int((said & credited).sum()), int((~said & credited).sum()), int((said & ~credited).sum()))["f1"]


def _level_error(human: np.ndarray, machine: np.ndarray) -> float:
    return float(np.abs(human - machine).mean()) if len(human) else 0.0


def _sweep(rubric: Rubric, items: Sequence[Graded], scorer: Scorer,
           candidates: Callable[[float], dict[str, tuple[float, float]]],
           objective: Callable[[np.ndarray, np.ndarray], float]) -> dict[str, float]:
    """Try every shift for all concepts at once (a concept's status depends only on its own
    thresholds) and keep, per concept, the shift whose agreement minus the move penalty is best."""
    best: dict[str, tuple[float, float]] = {}
    for shift in SHIFTS:
        cards = score_graded(with_thresholds(rubric, candidates(shift)), items, scorer)
        for concept in rubric.concepts:
            human, machine = _labels(items, cards, concept.id)
            if min((human > 0).sum(), (human == 0).sum()) < MIN_EACH_SIDE:
                continue
            value = objective(human, machine) - PENALTY * abs(shift)
            if concept.id not in best or value > best[concept.id][0] + 1e-9:
                best[concept.id] = (value, shift)
    return {cid: shift for cid, (_, shift) in best.items()}


def fit_thresholds(rubric: Rubric, items: Sequence[Graded], scorer: Scorer) -> dict[str, tuple[float, float]]:
    """The concept rules' thresholds, each matched to the concept grades through the rules' own marks:
    partial first (it decides credited or not: F1), then covered (how well levels 1/2 match)."""
    written = written_thresholds(rubric)

    def partial_moved(shift: float) -> dict[str, tuple[float, float]]:
        return {cid: (p + shift, max(c, p + shift + 0.01)) for cid, (p, c) in written.items()}

    partial_shift = _sweep(rubric, items, scorer, partial_moved, _credited_f1)
    partials = {cid: round(float(p + partial_shift.get(cid, 0.0)), 3) for cid, (p, _) in written.items()}

    def covered_moved(shift: float) -> dict[str, tuple[float, float]]:
        return {cid: (partials[cid], max(c + shift, partials[cid] + 0.01)) for cid, (_, c) in written.items()}

    covered_shift = _sweep(rubric, items, scorer, covered_moved, lambda h, m: -_level_error(h, m))
    return {cid: (partials[cid], round(float(max(c + covered_shift.get(cid, 0.0), partials[cid] + 0.01)), 3))
            for cid, (_, c) in written.items()}


def grade_line(scores: Sequence[float], grades: Sequence[float], scale: float | None = None) -> list[tuple[float, float]]:
    """Least-squares line from score to grade, as points on 0-100 (never decreasing), held within
    0..`scale` when given: where the line leaves the scale it is flat, so a score of 100 never maps
    past the top grade (a dozen answers scored up to 88 and graded 10 drew it to 13.9).

    A line, not a monotone step fit: with a few hundred graded answers the step fit chased
    noise and did worse out of fold (QWK 0.737 against 0.755 on the flagship set).
    """
    x, y = np.asarray(scores, float), np.asarray(grades, float)
    slope = max(float(np.polyfit(x, y, 1)[0]), 0.0) if np.ptp(x) > 0 else 0.0
    intercept = float(y.mean() - slope * x.mean())
    points = [(0.0, intercept), (100.0, intercept + 100 * slope)]
    if scale is not None:
        meets = (-intercept / slope, (scale - intercept) / slope) if slope > 0 else ()  # where it meets 0 and the top
        points = sorted([*points, *((float(x), intercept + slope * x) for x in meets if 0 < x < 100)])
        points = [(score, min(max(grade, 0.0), float(scale))) for score, grade in points]
    return [(round(score, 3), round(grade, 3)) for score, grade in points]


def fit(rubric: Rubric, items: Sequence[Graded], scorer: Scorer, move_thresholds: bool = True,
        scale: float | None = None) -> Fit:
    """Thresholds (moved, or as written) and the grade line fitted to the final scores they give,
    within 0..`scale`."""
    thresholds = fit_thresholds(rubric, items, scorer) if move_thresholds else written_thresholds(rubric)
    cards = final_cards(with_thresholds(rubric, thresholds), items, scorer)
    return Fit(thresholds, grade_line([c.score for c in cards], [g.row.overall for g in items], scale))


def folds(keys: Sequence[Hashable], k: int, seed: int = 0) -> list[np.ndarray]:
    """Shuffled, near-equal folds of row indices (one row per key given), the rows of one key in one fold
    (metrics.same_answer: an answer labeled twice), so no row is judged by a fit that saw its copy; seeded
    so a report can be reproduced. With every key distinct, the folds of a shuffle of the rows."""
    groups: dict[Hashable, list[int]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(key, []).append(index)
    members = list(groups.values())
    split = np.array_split(np.random.default_rng(seed).permutation(len(members)), k)
    return [np.array([i for g in part.tolist() for i in members[g]], dtype=int) for part in split]


def cross_validate(rubric: Rubric, items: Sequence[Graded], scorer: Scorer, scale: int, k: int = 5) -> dict[str, dict]:
    """Agreement of the written rubric's final scores (linear grade map, as `genco eval` reports them)
    versus a fit judged only on rows it did not see."""
    rows = [g.row for g in items]
    plain = final_cards(with_thresholds(rubric, written_thresholds(rubric)), items, scorer)
    to_scale = linear_grade(scale)
    before = agreement(rows, plain, [to_scale(c.score) for c in plain], scale)
    held_out_cards: list = [None] * len(items)
    held_out_grades = [0.0] * len(items)
    for test in folds([same_answer(g.row, g.depth) for g in items], k):
        held = set(test.tolist())
        train = [item for i, item in enumerate(items) if i not in held]
        fitted = fit(rubric, train, scorer, scale=scale)
        cards = final_cards(with_thresholds(rubric, fitted.thresholds), [items[i] for i in test], scorer)
        for i, card in zip(test, cards):
            held_out_cards[i], held_out_grades[i] = card, fitted.to_grade(card.score)
    after = agreement(rows, held_out_cards, held_out_grades, scale)
    return {"folds": k, "uncalibrated": summary(before), "calibrated": summary(after)}


def thresholds_win(report: dict[str, dict]) -> bool:
    """Moved thresholds are adopted only if they rank answers at least as well out of fold as the
    author's; otherwise the calibration keeps the written ones and fits only the grade line."""
    after, before = report["calibrated"]["spearman"], report["uncalibrated"]["spearman"]
    return after is not None and before is not None and after >= before  # unknown (constant grades): keep the author's


def summary(figures: dict) -> dict[str, object]:
    """The headline figures worth recording in a calibration file; one that cannot be computed (every
    grade the same, no concept labelled) is None, written as null, never as YAML's .nan."""
    return {
        "spearman": _figure(figures["spearman"]),
        "pearson": _figure(figures["pearson"]),
        "qwk": _figure(figures["qwk"]),
        "mae": _figure(figures["mae"]),
        "concept_f1": {cid: _figure(m["f1"]) for cid, m in figures["concepts"].items()},
    }


def _figure(value: float) -> float | None:
    """`value` to 3 decimals, or None when it is NaN or infinite."""
    return round(float(value), 3) if math.isfinite(value) else None


CALIBRATION_HEAD = "# Written by `genco calibrate "
"""How a calibration file starts: calibrate replaces a file starting so, any other only with --force
(CALIBRATION_START)."""
CALIBRATION_START = re.compile(re.escape(CALIBRATION_HEAD))


def calibration_yaml(rubric: Rubric, fitted: Fit, scale: int, data_file: Path, data_text: str, rows: int,
                     model: str, report: dict) -> str:
    """The calibration file: thresholds, grade map, and what it was fitted on, for a reader to audit:
    `data_file` as named ("-" for stdin) and the SHA-256 of `data_text`, the graded answers as read
    (UTF-8), so a later check finds the very answers even when they came through a pipe. The file's name is
    kept without control characters and line breaks: a rubric's files may hold none, and a name with a bell
    made the calibration file, and so its rubric, refuse to load after `calibrate` said it was written."""
    named = CONTROL_CHARACTER.sub("", data_file.as_posix()).replace("\n", " ")  # a line break would end the comment
    document = {
        "rubric": rubric.id,
        "scale": scale,
        "thresholds": {cid: {"partial": p, "covered": c} for cid, (p, c) in fitted.thresholds.items()},
        "grade_map": [[x, y] for x, y in fitted.grade_map],
        "fitted_on": {
            "file": named,
            "sha256": hashlib.sha256(data_text.encode("utf-8", "surrogateescape")).hexdigest(),
            "answers": rows,
            "date": date.today().isoformat(),
            "model": model,
            "genco_version": __version__,
        },
        "cross_validation": report,
    }
    header = (f"{CALIBRATION_HEAD}{rubric.id} {named}`; re-run it rather than editing.\n"
              "# thresholds replace the concepts' partial/covered similarities; grade_map turns a 0-100\n"
              f"# score into the graders' 0-{scale} scale. cross_validation is measured out of fold.\n")
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
