"""Agreement between genco's scores and human grades: the numbers behind `genco eval` and `genco calibrate`.

Pure numpy over plain data so every metric can be checked against hand-computed values. The
metrics are the ones short-answer grading papers report (Pearson, Spearman, quadratic weighted
kappa, MAE), plus per-concept precision/recall, because a score is only useful if each mark
on the card can be trusted too.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..answers import SPELLED_KEYS, InputError, answer_id, jsonl_records, lower_name, not_an_object, refuse_near_misses
from ..card import Status
from ..errors import cut, quoted

if TYPE_CHECKING:
    from ..card import ScoreCard
    from ..rubric import Rubric

CREDITED = (Status.COVERED, Status.PARTIAL)
LABELED_KEYS = ("id", "answer", "question", "depth", "overall", "concepts", "misconceptions", "kind")
"""A labeled row's fields. A row may carry others (a grader's note, a source), which the figures
leave out; but one that is a label field with other capitals, or one letter off it
(`misconception`, `overal`), is refused: its labels would be silently lost."""
LABEL_FIELDS = ("overall", "concepts", "misconceptions")


@dataclass(frozen=True)
class LabeledAnswer:
    """One human-graded answer; concepts map concept id -> 0 (absent/wrong), 1 (partial), 2 (clear)."""

    id: str
    answer: str
    overall: float
    question: str | None = None
    depth: str | None = None
    kind: str | None = None
    concepts: dict[str, int] = field(default_factory=dict)
    misconceptions: tuple[str, ...] = ()
    misconceptions_labelled: bool = False
    """Whether the row says which misconceptions it holds (an empty list says none): a row without the
    field counts in no misconception figure."""
    where: str = ""
    """The file and line the row was read from ("graded.jsonl:7"): what a message about it names."""


def same_answer(row: LabeledAnswer, depth: str) -> tuple[str, str]:
    """What makes two rows one answer graded twice: the same depth and the same text as the scorer reads
    it (normalise_answer: whitespace, invisible characters, an "Answer:" label aside), as in files
    concatenated or a folder holding a copy. The same answer at another depth is another grade."""
    from ..text.reading import normalise_answer

    return depth, " ".join(normalise_answer(row.answer).split())


def _field(record: dict, key: str, kind: type | tuple[type, ...], where: str, default: object = None,
           required: bool = False) -> object:
    """record[key] if it is of `kind`, else `default` when absent (or null, unless `required`); InputError otherwise."""
    value = record.get(key, default)
    if (required or value is not default) and not isinstance(value, kind):
        names = " or ".join(_JSON_KINDS[k] for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise InputError(f"{where}: field '{key}' must be {names}, got {json.dumps(value)[:40]}")
    return value


_JSON_KINDS = {dict: "an object", list: "a list", str: "a text"}
"""What a Python type is called in a JSON file, for messages about a row's fields."""


def _finite(value: int | float) -> bool:
    """Whether a JSON number is a finite float: an integer of hundreds of digits overflows one."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _labeled(record: object, where: str, number: int) -> LabeledAnswer:
    if not isinstance(record, dict):
        raise InputError(f"{where}: {not_an_object(record, 'a labeled answer object')}")
    refuse_near_misses(record, where, LABELED_KEYS, LABEL_FIELDS + SPELLED_KEYS)  # a labeled file is a batch too
    if "answer" not in record or "overall" not in record:
        missing = "answer" if "answer" not in record else "overall"
        raise InputError(f"{where}: missing field '{missing}' (a labeled answer needs 'answer' and 'overall')")
    overall = record["overall"]
    if isinstance(overall, bool) or not isinstance(overall, (int, float)) or not _finite(overall):
        raise InputError(f"{where}: field 'overall' must be a finite number, got {json.dumps(overall)[:40]}")
    concepts = _field(record, "concepts", dict, where, {}) or {}
    for concept_id, grade in concepts.items():
        if grade not in (0, 1, 2) or isinstance(grade, bool):
            raise InputError(f"{where}: concepts.{cut(concept_id)} must be 0, 1 or 2 (got {cut(json.dumps(grade))})")
    misconceptions = _field(record, "misconceptions", list, where, []) or []
    if not all(isinstance(m, str) for m in misconceptions):
        raise InputError(f"{where}: field 'misconceptions' must be a list of misconception ids, got "
                         f"{json.dumps(misconceptions)[:40]}")
    return LabeledAnswer(
        id=answer_id(record, where, number),  # as a batch reads it: "id": null is no id, the line's number is
        answer=_field(record, "answer", str, where, required=True),
        overall=float(overall),
        question=lower_name(_field(record, "question", str, where)),
        depth=lower_name(_field(record, "depth", str, where)),
        kind=_field(record, "kind", str, where),
        concepts=dict(concepts),
        misconceptions=tuple(str(m) for m in misconceptions),
        misconceptions_labelled="misconceptions" in record,
        where=where,
    )


def parse_labeled(text: str, name: str) -> list[LabeledAnswer]:
    """Labeled JSON Lines; each problem names the file and line, blank lines are skipped."""
    rows = [_labeled(record, f"{name}:{number}", number) for number, record in jsonl_records(text, name)]
    if not rows:
        raise InputError(f"{name}: no labeled answers in the file")
    return rows


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Linear correlation; NaN when either side is constant (there is nothing to correlate)."""
    a, b = np.asarray(x, float), np.asarray(y, float)
    a, b = a - a.mean(), b - b.mean()
    denom = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denom) if denom else float("nan")


def ranks(values: Sequence[float]) -> np.ndarray:
    """1-based ranks with ties sharing their average rank, as Spearman's rho defines them."""
    v = np.asarray(values, float)
    order = np.argsort(v, kind="mergesort")
    out = np.empty(len(v))
    sorted_v = v[order]
    start = 0
    for end in range(1, len(v) + 1):
        if end == len(v) or sorted_v[end] != sorted_v[start]:
            out[order[start:end]] = (start + end + 1) / 2
            start = end
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    return pearson(ranks(x), ranks(y))


def quadratic_weighted_kappa(human: Sequence[int], machine: Sequence[int], low: int, high: int) -> float:
    """Cohen's kappa with squared-distance weights: agreement beyond chance on an ordinal scale
    (Cohen 1968, weighted kappa). NaN when either side gives one grade throughout: chance then
    predicts every pair, so the formula's 0 would read as "no agreement" where nothing was measured."""
    if len(set(human)) < 2 or len(set(machine)) < 2:
        return float("nan")
    n_levels = high - low + 1
    observed = np.zeros((n_levels, n_levels))
    for h, m in zip(human, machine):
        observed[h - low, m - low] += 1
    idx = np.arange(n_levels)
    weights = (idx[:, None] - idx[None, :]) ** 2 / max((n_levels - 1) ** 2, 1)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / max(observed.sum(), 1)
    denom = float((weights * expected).sum())
    return 1.0 - float((weights * observed).sum()) / denom if denom else float("nan")


def grade_level(grade: float) -> int:
    """A grade on its scale as the whole level QWK counts it in, halves rounded up (8.5 is 9, as 9.5 is 10):
    Python's round() takes halves to the even level, 8.5 to 8 and 9.5 to 10."""
    return math.floor(grade + 0.5)


def mean_absolute_error(human: Sequence[float], machine: Sequence[float]) -> float:
    return float(np.mean(np.abs(np.asarray(human, float) - np.asarray(machine, float))))


def linear_grade(scale: float) -> Callable[[float], float]:
    """The uncalibrated map from a 0-100 score onto a 0..scale human grade."""
    return lambda score: score / 100.0 * scale


def _ratio(part: float, whole: float) -> float:
    """part / whole, NaN when whole is 0: a figure with nothing to measure is unknown, not 0."""
    return part / whole if whole else float("nan")


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1; each is NaN when nothing could be counted for it (nothing
    found, nothing labelled, or neither), so a reader sees n/a rather than a failing 0; with how many
    the graders labelled (`support`) and the machine named (`named`)."""
    return {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
            "f1": _ratio(2 * tp, 2 * tp + fp + fn), "support": tp + fn, "named": tp + fp}


def concept_agreement(rows: Sequence[LabeledAnswer], cards: Sequence[ScoreCard]) -> dict[str, dict[str, float]]:
    """Per concept: does "covered or partial" on the card match "the grader gave 1 or 2"? Keyed by concept id,
    or "question:id" for an id that two of the questions use (a rubric copied under a new id keeps its
    concepts' ids): their answers were pooled into one row that belonged to neither."""
    questions: dict[str, set[str]] = defaultdict(set)
    for card in cards:
        for concept in card.concepts:
            questions[concept.id].add(card.question)
    counts: dict[str, Counter] = defaultdict(Counter)
    for row, card in zip(rows, cards):
        for concept in card.concepts:
            if concept.id in row.concepts:
                key = concept.id if len(questions[concept.id]) == 1 else f"{card.question}:{concept.id}"
                counts[key][(row.concepts[concept.id] > 0, concept.status in CREDITED)] += 1
    return {cid: prf(c[(True, True)], c[(False, True)], c[(True, False)]) for cid, c in counts.items()}


MARK_LEVEL = {Status.COVERED: 2, Status.PARTIAL: 1}
"""A card's concept mark on the graders' 0-2 concept scale (missing and contradicted are 0)."""


def concept_mark_qwk(rows: Sequence[LabeledAnswer], cards: Sequence[ScoreCard]) -> float:
    """Quadratic weighted kappa of the cards' concept marks (MARK_LEVEL) against the graders' 0-2 concept
    grades, over every concept a row grades: how well the marks agree beyond chance, partial against
    clearly stated included (NaN with none graded)."""
    pairs = [(grade_level(row.concepts[c.id]), MARK_LEVEL.get(c.status, 0))
             for row, card in zip(rows, cards) for c in card.concepts if c.id in row.concepts]
    if not pairs:
        return float("nan")
    return quadratic_weighted_kappa([h for h, _ in pairs], [m for _, m in pairs], 0, 2)


def misconception_agreement(rows: Sequence[LabeledAnswer], cards: Sequence[ScoreCard]) -> dict[str, float]:
    """Precision, recall and F1 of the misconceptions the cards name against the labels (prf), over the
    rows that label misconceptions (how many: `rows`): with none, every figure is n/a, not a precision of 0."""
    tp = fp = fn = counted = 0
    for row, card in zip(rows, cards):
        if not row.misconceptions_labelled:
            continue
        found, labelled = {m.id for m in card.misconceptions}, set(row.misconceptions)
        tp, fp, fn = tp + len(found & labelled), fp + len(found - labelled), fn + len(labelled - found)
        counted += 1
    return {**prf(tp, fp, fn), "rows": counted}


def kind_means(rows: Sequence[LabeledAnswer], cards: Sequence[ScoreCard]) -> dict[str, dict[str, float]]:
    """Mean score (0-100) and mean human grade (on the file's scale) per answer kind: the quickest
    way to see adversarial answers slipping through, beside how low the graders put them."""
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row, card in zip(rows, cards):
        if row.kind:
            by_kind[row.kind].append((card.score, row.overall))
    return {k: {"n": len(v), "mean_score": float(np.mean([s for s, _ in v])), "mean_grade": float(np.mean([g for _, g in v]))}
            for k, v in sorted(by_kind.items())}


def agreement(rows: Sequence[LabeledAnswer], cards: Sequence[ScoreCard],
              grades: Sequence[float], scale: int) -> dict[str, object]:
    """Every `genco eval` figure for scored answers against their labels, as plain data.

    `grades` are the cards' scores already mapped onto the human scale (calibrated or linear).
    """
    human = [r.overall for r in rows]
    scores = [c.score for c in cards]
    mapped = [min(max(g, 0.0), scale) for g in grades]
    return {
        "answers": len(rows),
        "pearson": pearson(human, scores),
        "spearman": spearman(human, scores),
        "qwk": quadratic_weighted_kappa([grade_level(h) for h in human], [grade_level(m) for m in mapped], 0, scale),
        "mae": mean_absolute_error(human, mapped),
        "scale": scale,
        "concepts": concept_agreement(rows, cards),
        "concept_qwk": concept_mark_qwk(rows, cards),
        "misconceptions": misconception_agreement(rows, cards),
        "kinds": kind_means(rows, cards),
    }


def check_labels(rows: Sequence[LabeledAnswer], depths: Sequence[str], rubric: Rubric, scale: int) -> None:
    """Labels that cannot be compared are mistakes in the file; name the file and line of the first
    before scoring anything. `depths` is, per row, the depth of `rubric` it is scored at."""
    known = {m.id for m in rubric.misconceptions}
    for row, depth in zip(rows, depths):
        if not 0 <= row.overall <= scale:
            raise InputError(f"{row.where}: overall {row.overall:g} is outside 0-{scale} (see --scale)")
        graded = {c for c, _ in rubric.depth(depth).concepts}
        unknown = sorted(set(row.concepts) - graded)
        if unknown:
            raise InputError(f"{row.where}: concept {quoted(unknown[0])} is not graded at depth {depth} of {rubric.id} "
                             f"(expected: {', '.join(sorted(graded))})")
        strange = [m for m in row.misconceptions if m not in known]
        if strange:
            raise InputError(f"{row.where}: unknown misconception {quoted(strange[0])} for {rubric.id}; "
                             f"valid: {', '.join(sorted(known)) or 'none (the rubric lists no misconceptions)'}")


GROSS_ERROR_POINTS = 40.0
"""A score this far (0-100) from ten times the human grade is a gross error: a reader would act on it wrongly."""


def gross_error_rate(human: Sequence[float], scores: Sequence[float], scale: float) -> float:
    """Share of answers whose 0-100 score is GROSS_ERROR_POINTS or more from the grade scaled to 0-100."""
    h = np.asarray(human, float) * (100.0 / scale)
    return float(np.mean(np.abs(h - np.asarray(scores, float)) >= GROSS_ERROR_POINTS)) if len(h) else float("nan")


def kind_ratios(kinds: dict[str, dict[str, float]], reference: str = "good", field: str = "mean_score") -> dict[str, float]:
    """Each kind's mean score over the `reference` kind's: 0.5 means half the score of a good answer.
    With `field="mean_grade"`, the same ratio of the graders' grades: what the score's ratio is read against."""
    base = kinds.get(reference, {}).get(field)
    if not base:
        return {}
    return {k: v[field] / base for k, v in kinds.items()}


def confident_agreement(rows: Sequence[LabeledAnswer], cards: Sequence[ScoreCard], scale: int) -> dict[str, float]:
    """Share of cards marked uncertain, Spearman on the rest (what a reader who trusts only confident
    scores gets), and the mean error in score points (|score - grade x 100 / scale|) of each group: a
    flag worth heeding marks answers with larger errors. NaN for a group with no answer."""
    sure = [(r.overall, c.score) for r, c in zip(rows, cards) if not c.uncertain]
    error = {flag: [abs(c.score - r.overall * 100.0 / scale) for r, c in zip(rows, cards) if c.uncertain is flag]
             for flag in (True, False)}
    return {"uncertain_share": 1 - len(sure) / max(len(rows), 1),
            "spearman_confident": spearman([h for h, _ in sure], [s for _, s in sure]) if len(sure) > 2 else float("nan"),
            "error_uncertain": float(np.mean(error[True])) if error[True] else float("nan"),
            "error_confident": float(np.mean(error[False])) if error[False] else float("nan")}


def independent_figures(rows: Sequence[LabeledAnswer], cards: Sequence[ScoreCard], scale: int) -> dict[str, object]:
    """`agreement` plus gross errors, kind ratios and confidence: the figures a graded set is judged by."""
    result = agreement(rows, cards, [c.score / 100.0 * scale for c in cards], scale)
    result["gross_errors"] = gross_error_rate([r.overall for r in rows], [c.score for c in cards], scale)
    result["kind_ratios"] = kind_ratios(result["kinds"])
    result["graded_kind_ratios"] = kind_ratios(result["kinds"], field="mean_grade")
    result["high_grade_floor"] = min((c.score for r, c in zip(rows, cards) if r.overall >= 0.8 * scale), default=float("nan"))
    result.update(confident_agreement(rows, cards, scale))
    return result
