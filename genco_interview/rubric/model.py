"""The rubric as data: questions at several depths, concepts with exemplars, misconceptions,
score bands, scoring settings and a calibration. Reading it from YAML is loader.py's job,
finding it on the search path bank.py's; nothing here imports numpy or torch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import GencoError, UsageProblem, quoted

SCHEMA_VERSION = 1
RUBRIC_LIMIT = 4 * 1024 * 1024
"""Bytes read for one rubric file: the shipped ones are under 100 kB."""
MAX_NESTING = 50
"""Levels of lists and mappings inside one another a rubric or calibration file may have: a rubric needs
fewer than ten, and a file nested hundreds deep would exhaust the stack of every reader that walks it."""
MAX_NODES = 50_000
"""Values (texts, numbers, lists, mappings) a rubric or calibration file may stand for once its aliases
are followed: the shipped rubrics have under 700, while a list of 200,000 aliases to one concept, a
1.4 MB file, kept every command that reads the folder busy for seconds."""
MAX_TEXTS = 100
"""Exemplars or contradictions of one concept or misconception: the shipped rubrics have at most 18, and
every one is embedded to score, so a list of aliases to one text (`[&a "...", *a, *a, ...]`, a few bytes
each) would make a small file cost minutes."""
MAX_ENTRIES = 100
"""Concepts, or misconceptions, of one rubric: the shipped rubrics have at most 10 and 5, and `rubric validate`
compares every concept with every other: 3,000 of them took seven minutes, 2.7 GB and 1.3 million warnings."""
MAX_TEXT_CHARS = 20_000
"""Characters of one text in a rubric: the longest shipped one, a model answer, has under 5,000, and an
answer is scored on its first 20,000 (text.segment.MAX_CHARS)."""
MAX_ID_CHARS = 64
"""Characters of a rubric id or depth name: it names files (the rubric, its calibration, drafts of
answers to it), and a file name longer than 255 bytes cannot be written."""
RUBRIC_ID = re.compile(rf"^(?=.{{1,{MAX_ID_CHARS}}}$)[a-z0-9]+(-[a-z0-9]+)*$")
CONCEPT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_RULES = {RUBRIC_ID.pattern: f"lowercase letters and digits, words joined by single dashes, at most {MAX_ID_CHARS} "
                               "characters (e.g. my-question)",
            CONCEPT_ID.pattern: "a lowercase letter, then lowercase letters, digits or underscores (e.g. lazy_values)"}
"""What each id pattern asks for, in words: a rubric's author reads these, not the regular expression."""


def id_problem(value: str, pattern: re.Pattern[str] = RUBRIC_ID, kind: str = "rubric id") -> str | None:
    """Why `value` is no id of `pattern` ("rubric id 'A b' must be ...", the value `quoted`); None when
    it is one."""
    if pattern.fullmatch(value):
        return None
    return f"{kind} {quoted(value)} must be {ID_RULES.get(pattern.pattern, pattern.pattern)}"


DEPTH_NAME = RUBRIC_ID
"""A depth name is typed (`--depth deep`) and is a part of a web address (/practice/ID/DEPTH), as an id is."""
RUBRICS_ENV = "GENCO_RUBRICS"
PLACEHOLDER = "TODO:"
"""Text values starting with this are unfilled skeleton entries and fail validation."""


class UnknownName(UsageProblem, LookupError):
    """A question or depth the user named that does not exist; the message lists the valid ones."""


class RubricError(GencoError, ValueError):
    """A rubric that cannot be used; the message is one line: file:line: field: problem.

    `line` is that line (None when the problem has none, an unreadable file say); `located` holds
    every problem found in the file as (line, message), in line order, the message being the first
    of them (`rubric validate` shows them all; other commands the first)."""

    def __init__(self, message: str, line: int | None = None,
                 located: tuple[tuple[int | None, str], ...] = ()) -> None:
        super().__init__(message)
        self.line = line
        self.located = located or ((line, message),)

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem's message, in line order."""
        return tuple(message for _, message in self.located)


class UnreadableRubric(RubricError):
    """A rubric file that could not be read at all (no such file, a directory, not UTF-8, too large):
    a one-line input error of the command, not a problem inside the file."""


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
    ScoreBand(40, "partial", "Knows part of the picture: some key concepts are missing, vague or loosely "
                             "stated; check the concept marks and probe with the follow-ups."),
    ScoreBand(70, "strong", "States the key concepts correctly, in their own words; ready for a harder question."),
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
    score into the graders' scale (piecewise linear, non-decreasing), which the calibration's own
    out-of-fold figures use.
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


MAX_WEIGHT = 100.0
"""A concept's weight is relative, so 100 is room enough; the bound keeps a score's arithmetic finite
(1e308 overflowed it to NaN) and matches what a history import accepts, so every export restores."""


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
