"""Rubric loading and validation.

Rubrics are data written by people, so every error names the file, the field path and the
line, and loading never imports numpy or torch: `genco rubric show` must stay instant.
"""

from __future__ import annotations

import math
import os
import random
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from ..errors import GencoError, UsageProblem
from ..text.segment import content_words, segment

SCHEMA_VERSION = 1
RUBRIC_LIMIT = 4 * 1024 * 1024
"""Bytes read for one rubric file: the shipped ones are under 100 kB."""
RUBRIC_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CONCEPT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RUBRICS_ENV = "GENCO_RUBRICS"
PLACEHOLDER = "TODO"
"""Text values starting with this are unfilled skeleton entries and fail validation."""


class UnknownName(UsageProblem, LookupError):
    """A question or depth the user named that does not exist; the message lists the valid ones."""


class RubricError(GencoError, ValueError):
    """A rubric that cannot be used; the message is one line: file:line: field: problem."""


@dataclass(frozen=True)
class ScoringConfig:
    """Similarity thresholds; data so that calibration can rewrite them without code changes.

    The defaults are the values every shipped rubric is scored with, so the concept rules of a
    rubric nobody calibrated read answers the way the combination's weights were fitted on.
    """

    covered: float = 0.70
    partial: float = 0.59
    full: float = 0.76
    margin: float = 0.02
    swap_margin: float = 0.02
    reversed_answer: tuple[float, float] = (0.10, 3.0)
    """(ratio, points): an answer whose role-exchanged reading scores above its own score x
    (1 + ratio) + points has the roles backwards as a whole. Both guard against noise: the two
    readings of a correct answer that barely names a role differ by a point or two."""
    negation_margin: float = 0.05
    misconception: float = 0.62
    question_echo: float = 0.85
    short_unit_words: int = 4
    short_unit_factor: float = 0.8
    role_swaps: tuple[tuple[str, str], ...] = ()
    lexical_weight: float = 0.2
    alignment_weight: float = 0.0
    alignment_floor: float = 0.0


REFERENCE_SCORING = ScoringConfig(covered=0.62, partial=0.48, full=0.74, misconception=0.66, role_swaps=(),
                                  alignment_weight=0.85)
"""Defaults of a reference-answer rubric; chosen on SciEntsBank's train split, never on Mohler (see docs/scoring.md)."""
REFERENCE_EXEMPLARS = 1
"""A derived key point is one clause of the model answer: one phrasing is all there is."""
CONCEPT_EXEMPLARS = 3


@dataclass(frozen=True)
class Concept:
    id: str
    name: str
    description: str
    exemplars: tuple[str, ...]
    contradictions: tuple[str, ...] = ()
    covered: float | None = None
    partial: float | None = None

    def thresholds(self, config: ScoringConfig) -> tuple[float, float]:
        """(partial, covered) in force: the concept's own where it sets them, else the rubric's."""
        return (config.partial if self.partial is None else self.partial,
                config.covered if self.covered is None else self.covered)


@dataclass(frozen=True)
class Misconception:
    id: str
    description: str
    correction: str
    penalty: float
    exemplars: tuple[str, ...]


@dataclass(frozen=True)
class FollowUp:
    ask: str
    good_answer: str
    concepts: tuple[str, ...] = ()
    """Concept ids the probe explores: `genco grade` suggests it when the candidate missed one."""


@dataclass(frozen=True)
class ScoreBand:
    """What a score from `lower` up to the next band's lower bound means, in an interviewer's words."""

    lower: float
    label: str
    meaning: str


DEFAULT_SCORE_BANDS = (
    ScoreBand(0, "weak", "Misses most key concepts or states them wrongly; the basics need work."),
    ScoreBand(40, "partial", "Knows part of the picture: some key concepts are missing or vague; "
                             "probe them with the follow-ups."),
    ScoreBand(70, "strong", "States the key concepts correctly, in their own words; ready for the next depth."),
)


@dataclass(frozen=True)
class Depth:
    name: str
    question: str
    time_budget_minutes: float
    concepts: tuple[tuple[str, float], ...]
    model_answer: str
    follow_ups: tuple[FollowUp, ...] = ()


def piecewise_linear(points: Sequence[tuple[float, float]], x: float) -> float:
    """The line through sorted (x, y) points at x, flat beyond the first and last (numpy-free for `rubric show`)."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 > x0 else y1
    return points[-1][1]


@dataclass(frozen=True)
class Calibration:
    """Fitted by `genco calibrate` from human grades; lives in its own file so re-fitting never edits the rubric.

    `thresholds` replace the concepts' partial/covered similarities; `grade_map` turns a 0-100
    score into the graders' scale (piecewise linear, non-decreasing), which `genco eval` uses.
    """

    path: str
    scale: float
    thresholds: tuple[tuple[str, float, float], ...]
    grade_map: tuple[tuple[float, float], ...]
    fitted_on: dict[str, Any] = field(default_factory=dict, compare=False)
    cross_validation: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_grade(self, score: float) -> float:
        """Where a 0-100 score lands on the graders' scale; flat beyond the fitted range."""
        return piecewise_linear(self.grade_map, score)


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    tags: tuple[str, ...]
    depths: tuple[Depth, ...]
    concepts: tuple[Concept, ...]
    misconceptions: tuple[Misconception, ...]
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    path: str = ""
    calibration: Calibration | None = None
    reference_mode: bool = False
    score_bands: tuple[ScoreBand, ...] = DEFAULT_SCORE_BANDS

    def band(self, score: float) -> ScoreBand:
        """The band a 0-100 score falls in (bands are sorted and the first starts at 0)."""
        return [b for b in self.score_bands if b.lower <= score][-1]

    def depth(self, name: str) -> Depth:
        for depth in self.depths:
            if depth.name == name:
                return depth
        raise KeyError(name)

    @property
    def depth_names(self) -> list[str]:
        return [d.name for d in self.depths]

    def concept(self, concept_id: str) -> Concept:
        return next(c for c in self.concepts if c.id == concept_id)


class _Node:
    """A YAML node with the path that reached it, so errors can say where they are."""

    def __init__(self, source: str, node: yaml.Node, path: str) -> None:
        self.source = source
        self.node = node
        self.path = path

    def fail(self, message: str) -> RubricError:
        line = self.node.start_mark.line + 1
        where = f"{self.path}: " if self.path else ""
        return RubricError(f"{self.source}:{line}: {where}{message}")

    def mapping(self) -> dict[str, _Node]:
        if not isinstance(self.node, yaml.MappingNode):
            raise self.fail("expected a mapping (key: value lines)")
        out: dict[str, _Node] = {}
        for key, value in self.node.value:
            name = str(key.value)
            if name in out:
                raise _Node(self.source, key, self._child(name)).fail("duplicate key")
            out[name] = _Node(self.source, value, self._child(name))
        return out

    def items(self) -> list[_Node]:
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.fail("expected a list")
        return [_Node(self.source, v, f"{self.path}[{i}]") for i, v in enumerate(self.node.value)]

    def scalar(self) -> str:
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.fail("expected a single value")
        return str(self.node.value)

    def text(self) -> str:
        value = self.scalar().strip()
        if not value:
            raise self.fail("must not be empty")
        if value.startswith(PLACEHOLDER):
            raise self.fail(f"still a placeholder from `genco rubric new`: {value[:60]!r}")
        return value

    def number(self, minimum: float | None = None, maximum: float | None = None) -> float:
        raw = self.scalar()
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(f"expected a number, got {raw!r}") from None
        if not math.isfinite(value):
            raise self.fail(f"expected a finite number, got {raw!r}")
        if minimum is not None and value < minimum:
            raise self.fail(f"must be at least {minimum:g}, got {value:g}")
        if maximum is not None and value > maximum:
            raise self.fail(f"must be at most {maximum:g}, got {value:g}")
        return value

    def texts(self, min_items: int = 0) -> tuple[str, ...]:
        values = tuple(item.text() for item in self.items())
        if len(values) < min_items:
            raise self.fail(f"needs at least {min_items} entries, has {len(values)}")
        return values

    def _child(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name


class _Fields:
    """The keys of one mapping: required, optional, and a complaint about unknown ones."""

    def __init__(self, node: _Node, allowed: Iterable[str]) -> None:
        self.owner = node
        self.values = node.mapping()
        unknown = sorted(set(self.values) - set(allowed))
        if unknown:
            raise self.values[unknown[0]].fail(
                f"unknown field (allowed: {', '.join(sorted(allowed))})"
            )

    def required(self, name: str) -> _Node:
        if name not in self.values:
            raise self.owner.fail(f"missing required field '{name}'")
        return self.values[name]

    def optional(self, name: str) -> _Node | None:
        return self.values.get(name)

    def get(self, name: str, read: Callable[[_Node], Any], default: Any) -> Any:
        node = self.values.get(name)
        return default if node is None else read(node)


def _matching_id(node: _Node, pattern: re.Pattern[str], kind: str) -> str:
    value = node.text()
    if not pattern.match(value):
        raise node.fail(f"{kind} id {value!r} must match {pattern.pattern}")
    return value


def _unique(nodes: list[_Node], ids: list[str], kind: str) -> None:
    seen: set[str] = set()
    for node, ident in zip(nodes, ids):
        if ident in seen:
            raise node.fail(f"duplicate {kind} id {ident!r}")
        seen.add(ident)


def _read_tags(node: _Node) -> tuple[str, ...]:
    """Tags are typed on the command line (`--tag asyncio`), so they follow the id rules and repeat nothing."""
    items = node.items()
    tags = [_matching_id(item, TAG, "tag") for item in items]
    _unique(items, tags, "tag")
    return tuple(tags)


def _read_concept(node: _Node, min_exemplars: int) -> Concept:
    f = _Fields(node, {"id", "name", "description", "exemplars", "contradictions", "covered", "partial"})
    return Concept(
        id=_matching_id(f.required("id"), CONCEPT_ID, "concept"),
        name=f.required("name").text(),
        description=f.required("description").text(),
        exemplars=f.required("exemplars").texts(min_items=min_exemplars),
        contradictions=f.get("contradictions", lambda n: n.texts(), ()),
        covered=f.get("covered", lambda n: n.number(0, 1), None),
        partial=f.get("partial", lambda n: n.number(0, 1), None),
    )


def _read_misconception(node: _Node) -> Misconception:
    f = _Fields(node, {"id", "description", "correction", "penalty", "exemplars"})
    return Misconception(
        id=_matching_id(f.required("id"), CONCEPT_ID, "misconception"),
        description=f.required("description").text(),
        correction=f.required("correction").text(),
        penalty=f.required("penalty").number(0, 100),
        exemplars=f.required("exemplars").texts(min_items=CONCEPT_EXEMPLARS),
    )


def _read_follow_up(node: _Node, concept_ids: set[str]) -> FollowUp:
    f = _Fields(node, {"ask", "good_answer", "concepts"})
    linked = f.optional("concepts")
    return FollowUp(ask=f.required("ask").text(), good_answer=f.required("good_answer").text(),
                    concepts=() if linked is None else _known_ids(linked, concept_ids))


def _known_ids(node: _Node, concept_ids: set[str]) -> tuple[str, ...]:
    """A list of concept ids, each defined in the rubric."""
    ids = []
    for item in node.items():
        value = item.text()
        if value not in concept_ids:
            raise item.fail(f"unknown concept {value!r} (defined: {', '.join(sorted(concept_ids))})")
        ids.append(value)
    return tuple(ids)


def _read_score_bands(node: _Node) -> tuple[ScoreBand, ...]:
    """Bands in increasing order from 0, so every score 0-100 falls in exactly one."""
    bands = []
    for item in node.items():
        f = _Fields(item, {"from", "label", "meaning"})
        lower_node = f.required("from")
        lower = lower_node.number(0, 99)
        if not bands and lower != 0:
            raise lower_node.fail(f"the first band must start at 0, got {lower:g}")
        if bands and lower <= bands[-1].lower:
            raise lower_node.fail(f"bands must increase: {lower:g} is not above {bands[-1].lower:g}")
        bands.append(ScoreBand(lower, f.required("label").text(), f.required("meaning").text()))
    if not bands:
        raise node.fail("needs at least one band")
    return tuple(bands)


def key_points(model_answer: str) -> list[str]:
    """The clauses of a model answer that state something; each becomes one derived concept.

    Leaves of the segmentation (a clause, or a sentence that has none), so that "X, whereas Y"
    gives two points an answer can cover separately; an answer with no content words is one point.
    """
    leaves = [u.text for u in segment(model_answer).units
              if u.kind in ("sentence", "clause") and not u.parts and content_words(u.text)]
    return list(dict.fromkeys(leaves)) or [model_answer.strip()]


def _point_name(text: str, max_words: int = 6) -> str:
    words = text.rstrip(" .").split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


MAX_WEIGHT = 100.0
"""A concept's weight is relative, so 100 is room enough; the bound keeps a score's arithmetic finite
(1e308 overflowed it to NaN) and matches what a history import accepts, so every export restores."""


def derive_concepts(model_answer: str, first_number: int = 1) -> list[tuple[Concept, float]]:
    """Concepts and weights from a model answer: one per key point, weighted by its content words.

    Weighting by content words makes a long clause count for more than "as a rule"; equal weights
    measured no better on SciEntsBank train (CHANGELOG.md, reference-answer scoring).
    """
    out = []
    for number, text in enumerate(key_points(model_answer), start=first_number):
        concept = Concept(id=f"point_{number}", name=_point_name(text), description=text, exemplars=(text,))
        out.append((concept, float(min(max(len(content_words(text)), 1), MAX_WEIGHT))))
    return out


def _read_weights(node: _Node, concept_ids: set[str]) -> tuple[tuple[str, float], ...]:
    weights = []
    for concept_id, weight in node.mapping().items():
        if concept_id not in concept_ids:
            raise weight.fail(f"unknown concept {concept_id!r} (defined: {', '.join(sorted(concept_ids))})")
        weights.append((concept_id, weight.number(minimum=0.000001, maximum=MAX_WEIGHT)))
    if not weights:
        raise node.fail("a depth needs at least one concept")
    return tuple(weights)


def _read_depth(name: str, node: _Node, concept_ids: set[str], derived: list[Concept] | None) -> Depth:
    """`derived` collects concepts made from the model answer when a reference rubric's depth lists none."""
    f = _Fields(node, {"question", "time_budget_minutes", "concepts", "model_answer", "follow_ups"})
    weights_node = f.optional("concepts")
    if weights_node is None and derived is not None:
        points = derive_concepts(f.required("model_answer").text(), first_number=len(derived) + 1)
        derived += [concept for concept, _ in points]
        weights = tuple((concept.id, weight) for concept, weight in points)
    else:
        weights = _read_weights(f.required("concepts"), concept_ids)
    return Depth(
        name=name,
        question=f.required("question").text(),
        time_budget_minutes=f.required("time_budget_minutes").number(0.5, 120),
        concepts=weights,
        model_answer=f.required("model_answer").text(),
        follow_ups=f.get("follow_ups", lambda n: tuple(_read_follow_up(i, concept_ids) for i in n.items()), ()),
    )


def _read_role_swaps(node: _Node) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in node.items():
        terms = item.texts()
        if len(terms) != 2:
            raise item.fail("a role swap is a pair of two terms")
        pairs.append((terms[0], terms[1]))
    return tuple(pairs)


def _read_reversed_answer(node: _Node) -> tuple[float, float]:
    items = node.items()
    if len(items) != 2:
        raise node.fail("reversed_answer is [ratio, points], e.g. [0.10, 3]")
    return items[0].number(0, 10), items[1].number(0, 100)


def _read_scoring(node: _Node, defaults: ScoringConfig) -> ScoringConfig:
    f = _Fields(node, set(ScoringConfig.__dataclass_fields__))
    unit = lambda n: n.number(0, 1)  # noqa: E731 - a reader, named for the table below
    config = ScoringConfig(
        covered=f.get("covered", unit, defaults.covered),
        partial=f.get("partial", unit, defaults.partial),
        full=f.get("full", unit, defaults.full),
        margin=f.get("margin", unit, defaults.margin),
        swap_margin=f.get("swap_margin", unit, defaults.swap_margin),
        reversed_answer=f.get("reversed_answer", _read_reversed_answer, defaults.reversed_answer),
        negation_margin=f.get("negation_margin", unit, defaults.negation_margin),
        misconception=f.get("misconception", unit, defaults.misconception),
        question_echo=f.get("question_echo", unit, defaults.question_echo),
        short_unit_words=int(f.get("short_unit_words", lambda n: n.number(0, 50), defaults.short_unit_words)),
        short_unit_factor=f.get("short_unit_factor", unit, defaults.short_unit_factor),
        role_swaps=f.get("role_swaps", _read_role_swaps, defaults.role_swaps),
        lexical_weight=f.get("lexical_weight", unit, defaults.lexical_weight),
        alignment_weight=f.get("alignment_weight", unit, defaults.alignment_weight),
        alignment_floor=f.get("alignment_floor", lambda n: n.number(0, 0.99), defaults.alignment_floor),
    )
    if not config.partial < config.covered <= config.full:
        culprit = f.optional("partial") if config.partial >= config.covered else f.optional("full")
        raise (culprit or f.optional("covered") or node).fail(
            f"thresholds must satisfy partial < covered <= full "
            f"(partial {config.partial:g}, covered {config.covered:g}, full {config.full:g})"
        )
    return config


def _check_concept_thresholds(nodes: list[_Node], concepts: list[Concept], config: ScoringConfig) -> None:
    """A concept's own covered/partial, merged with the rubric's, must still be in order."""
    for node, concept in zip(nodes, concepts):
        if concept.covered is None and concept.partial is None:
            continue
        partial, covered = concept.thresholds(config)
        if not partial < covered:
            fields = node.mapping()
            culprit = fields.get("partial") or fields["covered"]
            raise culprit.fail(f"thresholds must satisfy partial < covered (partial {partial:g}, covered {covered:g})")


def _read_flag(node: _Node) -> bool:
    value = node.scalar().lower()
    if value not in ("true", "false"):
        raise node.fail(f"expected true or false, got {node.scalar()!r}")
    return value == "true"


def _read_rubric(root: _Node) -> Rubric:
    f = _Fields(root, {"schema_version", "id", "title", "tags", "depths", "concepts", "misconceptions", "scoring",
                       "calibration", "score_bands", "reference_mode"})
    version = f.required("schema_version")
    if version.scalar() != str(SCHEMA_VERSION):
        raise version.fail(f"unsupported schema_version {version.scalar()!r} (this genco reads {SCHEMA_VERSION})")
    reference_mode = f.get("reference_mode", _read_flag, f.optional("concepts") is None)
    concept_nodes = f.required("concepts").items() if not reference_mode else f.get("concepts", lambda n: n.items(), [])
    min_exemplars = REFERENCE_EXEMPLARS if reference_mode else CONCEPT_EXEMPLARS
    concepts = [_read_concept(n, min_exemplars) for n in concept_nodes]
    misconception_nodes = f.get("misconceptions", lambda n: n.items(), [])
    misconceptions = [_read_misconception(n) for n in misconception_nodes]
    _unique(misconception_nodes, [m.id for m in misconceptions], "misconception")
    concept_ids = {c.id for c in concepts}
    depths_node = f.required("depths")
    derived: list[Concept] | None = [] if reference_mode else None
    depths = tuple(_read_depth(name, n, concept_ids, derived) for name, n in depths_node.mapping().items())
    if not depths:
        raise depths_node.fail("a rubric needs at least one depth")
    concepts += derived or []
    _unique(concept_nodes + [depths_node] * len(derived or []), [c.id for c in concepts], "concept")
    scoring = f.get("scoring", lambda n: _read_scoring(n, _default_scoring(reference_mode)),
                    _default_scoring(reference_mode))
    _check_concept_thresholds(concept_nodes, concepts, scoring)
    rubric_id = _matching_id(f.required("id"), RUBRIC_ID, "rubric")
    calibration = f.get("calibration", lambda n: _load_calibration(n, rubric_id, {c.id for c in concepts}), None)
    return Rubric(
        id=rubric_id,
        title=f.required("title").text(),
        tags=f.get("tags", _read_tags, ()),
        depths=depths,
        concepts=tuple(concepts),
        misconceptions=tuple(misconceptions),
        scoring=scoring,
        calibration=calibration,
        reference_mode=reference_mode,
        score_bands=f.get("score_bands", _read_score_bands, DEFAULT_SCORE_BANDS),
    )


def _load_calibration(ref: _Node, rubric_id: str, concept_ids: set[str]) -> Calibration:
    """Follow the rubric's `calibration:` path (relative to the rubric file) and validate what it holds."""
    from ..answers import InputError, read_text

    path = Path(ref.source).parent / ref.text()
    try:
        text = read_text(str(path), limit=RUBRIC_LIMIT)
    except InputError as exc:
        raise ref.fail(f"cannot read calibration file {str(path)!r} ({str(exc).split(': ', 1)[-1]})") from None
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RubricError(f"{path}:{mark.line + 1 if mark else ''}: invalid YAML") from None
    if root is None:
        raise RubricError(f"{path}: the calibration file is empty")
    return _read_calibration(_Node(str(path), root, ""), rubric_id, concept_ids)


def _read_calibration(node: _Node, rubric_id: str, concept_ids: set[str]) -> Calibration:
    f = _Fields(node, {"rubric", "scale", "thresholds", "grade_map", "fitted_on", "cross_validation"})
    named = f.required("rubric")
    if named.text() != rubric_id:
        raise named.fail(f"this calibration is for {named.text()!r}, not {rubric_id!r}")
    thresholds = []
    for concept_id, pair in f.required("thresholds").mapping().items():
        if concept_id not in concept_ids:
            raise pair.fail(f"unknown concept {concept_id!r} (defined: {', '.join(sorted(concept_ids))})")
        g = _Fields(pair, {"partial", "covered"})
        partial, covered = g.required("partial").number(0, 1), g.required("covered").number(0, 1)
        if not partial < covered:
            raise pair.fail(f"thresholds must satisfy partial < covered (partial {partial:g}, covered {covered:g})")
        thresholds.append((concept_id, partial, covered))
    points = []
    for item in f.required("grade_map").items():
        pair = item.items()
        if len(pair) != 2:
            raise item.fail("a grade_map point is [score, grade]")
        points.append((pair[0].number(0, 100), pair[1].number()))
    grade_map = f.required("grade_map")
    if not points:
        raise grade_map.fail("needs at least one [score, grade] point")
    if any(b[0] < a[0] or b[1] < a[1] for a, b in zip(points, points[1:])):
        raise grade_map.fail("points must be sorted by score with grades that never decrease")
    return Calibration(
        path=node.source,
        scale=f.required("scale").number(minimum=1),
        thresholds=tuple(thresholds),
        grade_map=tuple(points),
        fitted_on=f.get("fitted_on", _plain, {}),
        cross_validation=f.get("cross_validation", _plain, {}),
    )


def _plain(node: _Node) -> dict[str, Any]:
    """A free-form record (provenance, cross-validation figures): kept as plain data, shown, not interpreted."""
    data = yaml.constructor.SafeConstructor().construct_document(node.node)
    if not isinstance(data, dict):
        raise node.fail("expected a mapping (key: value lines)")
    return data


def calibrated(rubric: Rubric) -> Rubric:
    """The rubric with its calibration's thresholds in place of the concepts' own."""
    if rubric.calibration is None:
        return rubric
    fitted = {cid: (partial, covered) for cid, partial, covered in rubric.calibration.thresholds}
    concepts = tuple(
        replace(c, partial=fitted[c.id][0], covered=fitted[c.id][1]) if c.id in fitted else c
        for c in rubric.concepts
    )
    return replace(rubric, concepts=concepts)


def uncalibrated(rubric: Rubric) -> Rubric:
    """The rubric as written, which is where `genco calibrate` starts from."""
    return replace(rubric, calibration=None)


def _default_scoring(reference_mode: bool) -> ScoringConfig:
    return REFERENCE_SCORING if reference_mode else ScoringConfig()


def parse_rubric(text: str, source: str) -> Rubric:
    """Parse and validate rubric YAML; raise RubricError naming file, line and field."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RubricError(f"{source}:{line} invalid YAML: {problem}") from None
    if root is None:
        raise RubricError(f"{source}: the file is empty")
    _refuse_placeholders(root, source)
    rubric = _read_rubric(_Node(source, root, ""))
    return Rubric(**{**rubric.__dict__, "path": source})


def _placeholders(node: yaml.Node, path: str = "", seen: set[int] | None = None) -> Iterator[tuple[int, str]]:
    """(line, field path) of every value still starting with the skeleton's placeholder.

    Each node is visited once: YAML aliases share nodes, and following every alias again would let
    a small file of nested aliases (an alias bomb) take exponential time.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if str(node.value).strip().startswith(PLACEHOLDER):
            block = node.style in ("|", ">")  # the text starts on the line after the indicator
            yield node.start_mark.line + 1 + block, path
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _placeholders(value, f"{path}.{key.value}" if path else str(key.value), seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _placeholders(item, f"{path}[{index}]", seen)


def _refuse_placeholders(root: yaml.Node, source: str) -> None:
    """Name every placeholder left at once, so filling in a skeleton is not one run per TODO."""
    left = list(_placeholders(root))
    if left:
        where = ", ".join(f"{path} (line {line})" for line, path in left)
        raise RubricError(f"{source}:{left[0][0]}: {len(left)} placeholder(s) from `genco rubric new` "
                          f"still to fill: {where}")


def load_rubric(path: str | Path) -> Rubric:
    """Read one rubric file; unreadable files become RubricError too."""
    from ..answers import InputError, read_text

    path = Path(path)
    try:
        text = read_text(str(path), limit=RUBRIC_LIMIT)  # bounded: /dev/zero or a named pipe must not hang
    except InputError as exc:
        raise RubricError(str(exc)) from None
    return parse_rubric(text, str(path))


def rubric_dirs() -> list[Path]:
    """Directories searched for rubrics: $GENCO_RUBRICS (os.pathsep-separated), then the shipped ones."""
    extra = [Path(p) for p in os.environ.get(RUBRICS_ENV, "").split(os.pathsep) if p]
    return [*extra, *shipped_dirs()]


def shipped_dirs() -> list[Path]:
    """Where the shipped rubrics are on disk.

    The wheel maps the top-level rubrics/ to genco_interview.rubrics, a package without an
    __init__.py: importlib.resources hands such a namespace package back as a MultiplexedPath,
    whose str() is not a path, so each directory it spans is taken from its entries instead.
    A source tree without the mapping has the folder beside the package.
    """
    try:
        found = resources.files("genco_interview.rubrics")
    except ModuleNotFoundError:
        return [Path(__file__).resolve().parents[2] / "rubrics"]
    return _directories_of(found)


def _directories_of(tree: Traversable) -> list[Path]:
    """The real directories behind a resources tree: itself when it is one, else its entries' parents."""
    if isinstance(tree, Path):
        return [tree]
    parents = dict.fromkeys(Path(str(entry)).parent for entry in tree.iterdir() if isinstance(entry, Path))
    return list(parents)


def _shipped_dir() -> Path:
    """The directory holding the shipped rubric files (the first one, should the package span several)."""
    return shipped_dirs()[0]


_told: set[str] = set()


def forget_notices() -> None:
    """A new command tells its notices afresh (tests run many commands in one process)."""
    _told.clear()


def _notice_once(message: str) -> None:
    """One line on stderr per problem and command: a command may search the rubrics several times."""
    if message not in _told:
        _told.add(message)
        print(f"genco: {message}", file=sys.stderr, flush=True)


def _scan() -> tuple[list[Rubric], list[tuple[Path, RubricError]]]:
    """Every rubric on the search path (first definition of an id wins, sorted by id), and the
    user's rubric files that do not load, each with its error.

    A user's unfinished rubric (a fresh `rubric new` skeleton is one) must not stop every command
    for every other question, so it is set aside with a warning; a shipped rubric that does not
    load is a broken install and still fails. A user's rubric with a shipped rubric's id wins,
    and says so.
    """
    found: dict[str, Rubric] = {}
    broken: list[tuple[Path, RubricError]] = []
    shipped = set(shipped_dirs())
    for directory in rubric_dirs():
        if directory not in shipped:
            _check_user_dir(directory)
        for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
            try:
                rubric = load_rubric(path)
            except RubricError as exc:
                if directory in shipped:
                    raise
                broken.append((path, exc))
                continue
            if rubric.id in found and directory in shipped:
                _notice_once(f"{found[rubric.id].path} replaces the shipped rubric {rubric.id!r}")
            found.setdefault(rubric.id, rubric)
    return [found[k] for k in sorted(found)], broken


def _check_user_dir(directory: Path) -> None:
    """A mistyped $GENCO_RUBRICS entry must not look like a rubric that silently vanished."""
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        _notice_once(f"{RUBRICS_ENV} names {directory}, which {what}; no rubrics are read from it")


def discover() -> list[Rubric]:
    """All rubrics that load, first definition of an id wins, sorted by id (see _scan)."""
    rubrics, broken = _scan()
    _warn_skipped(broken)
    return rubrics


def _warn_skipped(broken: list[tuple[Path, RubricError]]) -> None:
    for _, error in broken:
        _notice_once(f"skipping a rubric that does not load: {error}")


def _claimed_id(path: Path) -> str | None:
    """The id a rubric file that does not load says it has, if a plain read can tell."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return str(data.get("id")) if isinstance(data, dict) and data.get("id") is not None else None


def with_tag(rubrics: list[Rubric], tag: str | None) -> list[Rubric]:
    """The rubrics carrying `tag` (all of them for None), in the order given."""
    return [r for r in rubrics if tag is None or tag in r.tags]


def pick_random(rubrics: list[Rubric], tag: str | None, depth: str | None, rng: random.Random) -> tuple[Rubric, str]:
    """A random question from the bank (optionally one tag), and a random depth unless one is asked for.

    Only rubrics that have the requested depth are candidates, so `--random --depth deep` never
    lands on a question without a deep version. The RNG is a parameter so a seed reproduces a pick.
    """
    pool = [r for r in with_tag(rubrics, tag) if depth is None or depth in r.depth_names]
    if not pool:
        tags = sorted({t for r in rubrics for t in r.tags})
        wanted = " and ".join(filter(None, [tag and f"tag {tag!r}", depth and f"depth {depth!r}"]))
        raise UnknownName(f"no question has {wanted or 'a depth'}; tags: {', '.join(tags) or 'none'}")
    rubric = rng.choice(pool)
    return rubric, depth if depth is not None else rng.choice(rubric.depth_names)


def find(question: str | None) -> Rubric:
    """Resolve a QUESTION argument (id, or None for the first rubric) with a helpful error.

    A question whose rubric file does not load reports that file's error, not "unknown question".
    """
    rubrics, broken = _scan()
    for path, error in broken:
        if question is not None and question in (path.stem, _claimed_id(path)):
            raise error
    _warn_skipped(broken)
    if not rubrics:
        raise UnknownName("no rubrics found (searched: " + ", ".join(map(str, rubric_dirs())) + ")")
    if question is None:
        return rubrics[0]
    for rubric in rubrics:
        if rubric.id == question:
            return rubric
    raise UnknownName(f"unknown question {question!r}; valid: {', '.join(r.id for r in rubrics)}")


def slug(text: str, max_words: int = 6) -> str:
    """A rubric id from free text ("What is a variable?" -> "what-is-a-variable")."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:max_words]
    return "-".join(words) or "question"


def reference_rubric_yaml(rubric_id: str, question: str, model_answer: str, title: str | None = None,
                          depth: str = "answer", minutes: float = 3) -> str:
    """A reference-answer rubric as YAML, its derived key points written out for an interviewer to refine.

    The text is parsed back before it is returned, so what is written always loads.
    """
    points = derive_concepts(model_answer)
    config = REFERENCE_SCORING
    document = {
        "schema_version": SCHEMA_VERSION,
        "id": rubric_id,
        "title": title or _point_name(question, max_words=10),
        "tags": ["reference"],
        "reference_mode": True,
        "depths": {depth: {
            "question": question.strip(),
            "time_budget_minutes": minutes,
            "model_answer": model_answer.strip(),
            "concepts": {concept.id: weight for concept, weight in points},
        }},
        "concepts": [{"id": c.id, "name": c.name, "description": c.description, "exemplars": list(c.exemplars)}
                     for c, _ in points],
        "scoring": {name: getattr(config, name) for name in ("partial", "covered", "full", "lexical_weight",
                                                             "alignment_weight", "alignment_floor")}
                   | {"role_swaps": []},
    }
    header = ("# Reference-answer rubric written by `genco rubric from-answer`.\n"
              "# Each key point of the model answer became a concept (weight = its content words).\n"
              "# Refine it: rename points, add phrasings to `exemplars`, add `contradictions`,\n"
              "# change weights, or add `role_swaps` pairs whose exchange reverses a claim.\n")
    text = header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    parse_rubric(text, f"<{rubric_id}>")
    return text
