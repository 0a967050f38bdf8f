"""Progress over many attempts: pure aggregation of stored attempts into a report.

One section per question and depth, because scores at different depths are not comparable
(a deep question expects ten concepts, a quick one three). Mastery is the *recent* average
per concept, so old mistakes that were fixed stop dragging it down. Nothing here embeds text:
"what the model answer says" about a weak concept is picked from the rubric by word overlap,
so a report over thousands of attempts never loads the model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..rubric import Rubric, UnknownName
from ..text.lexicon import stopwords
from ..text.segment import segment
from .attempt import Attempt, kept_title, name_key

RECENT = 5
"""Attempts per concept that make up its mastery (the recent average)."""
TREND_WINDOW = 10
HEAT_COLUMNS = 20
CONCEPT_ROWS_NEEDED = max(RECENT, HEAT_COLUMNS)
"""Concept results older than the latest this-many attempts of a question and depth change nothing
in a report, so the CLI loads only those (history.attempts(concepts_of_latest=...))."""
WEAKEST = 3
WEAK_MASTERY = 0.5
"""Recent mastery under which a concept is a weak spot even when the latest attempt covered it."""
STEADY = 1.0
"""A trend within ±1 point per attempt is steady."""
CLEAR_TREND_T = 2.0
"""How many standard errors a trend must be from zero to be called improving or declining (about
95 % two-sided for many points, more lenient for few): scores that jump up and down around a line
with a small slope have no clear trend, whatever the slope's sign."""
TREND_MIN_ATTEMPTS = 3
"""Scores a trend needs before it can be clear: a line through two fits them exactly, noise and all."""


@dataclass
class ConceptMastery:
    id: str
    name: str
    mastery: float
    latest_status: str
    description: str
    model_answer_says: str | None = None


@dataclass
class MisconceptionSeen:
    id: str
    description: str
    correction: str
    count: int
    last_seen: str


@dataclass
class ScorePoint:
    attempt: int | None
    when: str
    score: float
    uncertain: bool = False
    """Its card asked for a person to check the score (Attempt.uncertain)."""


@dataclass
class HeatColumn:
    """One attempt's column of the concept-by-attempt heat map: concept id -> (status, score)."""

    attempt: int | None
    when: str
    cells: dict[str, tuple[str, float]]


@dataclass
class SectionReport:
    """Progress on one question at one depth."""

    question: str
    title: str
    depth: str
    attempts: int
    first: float
    best: float
    latest: float
    trend: float | None
    trend_clear: bool
    seconds: float
    timed_attempts: int
    concepts: list[ConceptMastery]
    weakest: list[ConceptMastery]
    misconceptions: list[MisconceptionSeen]
    timeline: list[ScorePoint]
    heat: list[HeatColumn]
    latest_answer: str
    latest_attempt: int | None

    @property
    def uncertain_attempts(self) -> int:
        """How many of its attempts' scores are marked uncertain: its figures and trend count them all."""
        return sum(point.uncertain for point in self.timeline)

    def marked(self, figure: str) -> bool:
        """Whether the attempt behind "first", "best" or "latest" was marked uncertain (the first attempt
        with the best score for "best")."""
        points = {"first": self.timeline[:1], "latest": self.timeline[-1:],
                  "best": [max(self.timeline, key=lambda p: p.score)] if self.timeline else []}[figure]
        return any(point.uncertain for point in points)

    @property
    def to_work_on(self) -> int:
        """How many concepts need work (_needs_work); `weakest` lists the WEAKEST of them."""
        return sum(map(_needs_work, self.concepts))

    @property
    def trend_word(self) -> str:
        if self.trend is None:
            return "one attempt so far"
        if self.attempts < TREND_MIN_ATTEMPTS:
            return "too few attempts for a trend"
        if not self.trend_clear:
            return "no clear trend: the scores vary more than that"
        if self.trend > STEADY:
            return "improving"
        if self.trend < -STEADY:
            return "declining"
        return "steady"


@dataclass
class Report:
    generated_at: str
    source: str
    sections: list[SectionReport] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    """Whose attempts it counts: "you" for the learner's own, a candidate's name, or "unnamed"
    for candidates graded without one; more than one person makes its trends meaningless."""
    question: str | None = None
    """The one question it was asked about, or None for all."""
    depth: str | None = None
    """The one depth it was asked about, or None for all."""
    since: str | None = None
    """The time (stored UTC, ISO 8601) from which it counts attempts, or None for all of them."""
    source_filter: str | None = "learner"
    """Whose attempts it was asked for: "learner" (your own), "interviewer" (candidates graded), None (all)."""
    graded_apart: int = 0
    """Candidates' attempts the history holds where a report of your own holds none: an empty report of an
    interviewer's history said only "run genco practice"."""
    left_out: list[int] = field(default_factory=list)
    """The numbers of the attempts it leaves out, their stored score or date damaged by hand (app.history's
    scored_and_dated): `genco report` says so."""

    @property
    def attempts(self) -> int:
        return sum(s.attempts for s in self.sections)

    @property
    def overview(self) -> list[SectionReport]:
        """Its sections weakest first (by the latest score, then by the concepts to work on): what to study,
        at the top of a report of several questions, which lists them in the bank's order. Empty for one
        section, which says it all itself."""
        if len(self.sections) < 2:
            return []
        return sorted(self.sections, key=lambda s: (s.latest, -s.to_work_on, s.question, s.depth))

    @property
    def whose(self) -> str:
        """Whose attempts, for the report's header: "" for the learner's own, else the candidate's name
        or, when it mixes people, how many and who (its trends then mean little)."""
        if self.people in ([], ["you"]):
            return ""
        if len(self.people) == 1:
            return f"attempts of {self.people[0]}"
        return f"mixes the attempts of {len(self.people)} people: {', '.join(self.people)}"


def slope(values: Sequence[float]) -> float | None:
    """Least-squares change per attempt; None with fewer than two points."""
    n = len(values)
    if n < 2:
        return None
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den


def trend_is_clear(values: Sequence[float]) -> bool:
    """Whether the least-squares slope stands CLEAR_TREND_T standard errors from zero (the t statistic of
    a simple linear regression: slope / sqrt(residual variance / sum of squared x deviations)).

    Fewer than TREND_MIN_ATTEMPTS points have no residual to measure noise with, so no trend is clear: one
    score of 80 then one of 5 was "declining" at -75 an attempt. A perfect line is clear whatever its slope."""
    n = len(values)
    rise = slope(values)
    if rise is None or n < TREND_MIN_ATTEMPTS:
        return False
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    residual = sum((v - (mean_y + rise * (i - mean_x))) ** 2 for i, v in enumerate(values))
    spread = sum((i - mean_x) ** 2 for i in range(n))
    standard_error = (residual / (n - 2) / spread) ** 0.5
    return standard_error == 0 or abs(rise) >= CLEAR_TREND_T * standard_error


_WORD = re.compile(r"[a-z][a-z0-9_]{3,}")


def _words(text: str) -> frozenset[str]:
    """Words of four letters or more minus stopwords: enough to match a sentence to a concept,
    without importing the scorer (and numpy) into a report."""
    return frozenset(_WORD.findall(text.lower())) - stopwords()


def model_answer_sentence(rubric: Rubric, depth: str, concept_id: str) -> str | None:
    """The model-answer sentence that says most of the concept: the content words it shares with the
    concept's description and exemplars, each weighted by how few of the rubric's concepts use it
    (inverse document frequency), over the fourth root of the sentence's length. A raw count picked
    long sentences full of the topic's common words ("coroutine", "await") over the one that states
    the point; a square root picked fragments. Lexical only: history commands never load the model."""
    texts = {c.id: _words(" ".join((c.description, *c.exemplars))) for c in rubric.concepts}
    target = texts[concept_id]
    rarity = {word: math.log(1 + len(texts) / sum(word in words for words in texts.values())) for word in target}
    best, best_weight = None, 0.0
    for unit in segment(rubric.depth(depth).model_answer).units:
        if unit.kind != "sentence":
            continue
        said = _words(unit.text)
        weight = sum(rarity[word] for word in said & target) / max(len(said), 1) ** 0.25
        if weight > best_weight:
            best, best_weight = unit.text, weight
    return best


def _mastery(attempts: Sequence[Attempt], rubric: Rubric | None, depth: str) -> list[ConceptMastery]:
    """Recent average per concept, in the order the concepts appear on a score card."""
    history: dict[str, list[dict]] = {}
    for attempt in attempts:
        for concept in attempt.concepts:
            history.setdefault(concept["id"], []).append(concept)
    rows = []
    for concept_id, seen in history.items():
        recent = seen[-RECENT:]
        description = seen[-1].get("description", "")
        if rubric is not None and _has_concept(rubric, concept_id):
            description = rubric.concept(concept_id).description
        rows.append(ConceptMastery(id=concept_id, name=seen[-1]["name"],
                                   mastery=sum(c["score"] for c in recent) / len(recent),
                                   latest_status=seen[-1]["status"], description=description))
    return rows


def _has_concept(rubric: Rubric, concept_id: str) -> bool:
    return any(c.id == concept_id for c in rubric.concepts)


def _needs_work(concept: ConceptMastery) -> bool:
    """Not covered the last time, or under half over the recent attempts: a concept covered at 93 % is
    not a weak spot, even when it is the lowest of a strong learner's."""
    return concept.latest_status != "covered" or concept.mastery < WEAK_MASTERY


def _weakest(concepts: list[ConceptMastery], rubric: Rubric | None, depth: str) -> list[ConceptMastery]:
    weakest = sorted(filter(_needs_work, concepts), key=lambda c: (c.mastery, c.id))[:WEAKEST]
    if rubric is not None and depth in rubric.depth_names:
        for concept in weakest:
            if _has_concept(rubric, concept.id):
                concept.model_answer_says = model_answer_sentence(rubric, depth, concept.id)
    return weakest


def _misconceptions(attempts: Sequence[Attempt]) -> list[MisconceptionSeen]:
    seen: dict[str, MisconceptionSeen] = {}
    for attempt in attempts:
        for hit in attempt.misconceptions:
            entry = seen.setdefault(hit["id"], MisconceptionSeen(hit["id"], hit["description"], hit["correction"], 0, ""))
            entry.count += 1
            entry.last_seen = attempt.created_at
    return sorted(seen.values(), key=lambda m: (-m.count, m.id))


def section(question: str, depth: str, attempts: Sequence[Attempt], rubric: Rubric | None) -> SectionReport:
    """Aggregate one question+depth; `attempts` are in time order and not empty."""
    scores = [a.score for a in attempts]
    concepts = _mastery(attempts, rubric, depth)
    timed = [a.seconds for a in attempts if a.seconds is not None]
    return SectionReport(
        question=question, title=rubric.title if rubric else kept_title(attempts, question), depth=depth, attempts=len(attempts),
        first=scores[0], best=max(scores), latest=scores[-1], trend=slope(scores[-TREND_WINDOW:]),
        trend_clear=trend_is_clear(scores[-TREND_WINDOW:]),
        seconds=sum(timed), timed_attempts=len(timed),
        concepts=concepts, weakest=_weakest(concepts, rubric, depth), misconceptions=_misconceptions(attempts),
        timeline=[ScorePoint(a.id, a.created_at, a.score, a.uncertain) for a in attempts],
        heat=[HeatColumn(a.id, a.created_at, {c["id"]: (c["status"], c["score"]) for c in a.concepts})
              for a in attempts[-HEAT_COLUMNS:]],
        latest_answer=attempts[-1].answer, latest_attempt=attempts[-1].id,
    )


def depth_order(rubric: Rubric | None, depth: str) -> tuple[int, str]:
    """A sort key putting `depth` in its rubric's order (quick before deep), unknown depths last by name."""
    names = rubric.depth_names if rubric else []
    return (names.index(depth) if depth in names else len(names), depth)


def rubrics_of(questions: Iterable[str], find_rubric: Callable[[str], Rubric | None]) -> dict[str, Rubric | None]:
    """Each question's rubric by `find_rubric`, None for one gone (it gives None or raises UnknownName):
    a report keeps the numbers of a question whose rubric was removed."""
    rubrics: dict[str, Rubric | None] = {}
    for question in questions:
        if question not in rubrics:
            try:
                rubrics[question] = find_rubric(question)
            except UnknownName:
                rubrics[question] = None
    return rubrics


def build_report(attempts: Sequence[Attempt], find_rubric: Callable[[str], Rubric | None], source: str = "",
                 now: datetime | None = None, question: str | None = None, since: str | None = None,
                 candidate: str | None = None, source_filter: str | None = "learner",
                 depth: str | None = None) -> Report:
    """Group attempts by question and depth; a question whose rubric is gone (`find_rubric` gives None
    or raises UnknownName) still gets its numbers. `question` names the one question the attempts were
    picked for (None: all), `depth` the one depth (None: all), `since` the time they were picked from
    (None: all), `candidate` the one person they were picked for (None: anyone), whom an empty report still names, `source_filter` whose attempts
    they are (Report.source_filter)."""
    groups: dict[tuple[str, str], list[Attempt]] = {}
    for attempt in attempts:
        groups.setdefault((attempt.question, attempt.depth), []).append(attempt)
    rubrics = rubrics_of([asked for asked, _ in groups], find_rubric)  # not `question`: the one asked for
    keys = sorted(groups, key=lambda k: (k[0], depth_order(rubrics[k[0]], k[1])))
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return Report(generated_at=stamp, source=source,
                  sections=[section(q, d, groups[(q, d)], rubrics[q]) for q, d in keys],
                  people=people(attempts) or ([candidate] if candidate else []), question=question, depth=depth,
                  since=since,
                  source_filter="interviewer" if candidate else source_filter)


def people(attempts: Sequence[Attempt]) -> list[str]:
    """Whose attempts these are (Report.people), sorted: each name as first kept, one person whatever its
    case and spacing ("ada  lovelace" is the "Ada Lovelace" graded before), as --candidate finds them."""
    first: dict[str, str] = {}
    for attempt in attempts:
        name = "you" if attempt.source == "learner" else attempt.candidate or "unnamed"
        first.setdefault(name_key(name), name)
    return sorted(first.values())
