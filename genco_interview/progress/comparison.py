"""Candidates side by side: each graded candidate's latest grade per question and depth.

An interviewer who graded several people on one question decides between them from one table:
who covered which concept, how sure the machine was, where the interviewer overrode it. A
progress report is the wrong shape for that (its trend across different people means nothing).
Pure aggregation of stored attempts: nothing here embeds text or reads a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from ..rubric import Rubric
from .attempt import Attempt, kept_grade_text, kept_title, marked_by_interviewer, name_key
from .reports import depth_order, rubrics_of


@dataclass(frozen=True)
class ConceptColumn:
    """One concept of a question's depth, as a column of the comparison."""

    id: str
    name: str


@dataclass(frozen=True)
class CandidateRow:
    """One candidate's latest grade on a question at a depth.

    `marks` maps concept id to the final status (covered, partial, missing, contradicted), the
    interviewer's override where there is one; `overridden` names the concepts the interviewer marked
    (or, in a grade kept before overrides were, whose final mark is not the machine's). `score` is 0-100 after overrides, `machine_score` the scorer's own (None for
    a grade kept without it). `grades` counts this candidate's grades here, each of another transcript
    (a transcript graded again replaces its grade): only the latest interview is compared.
    """

    candidate: str | None
    """The name graded under (`genco grade --candidate`), None when graded without one."""
    attempt: int | None
    graded_at: str
    score: float
    machine_score: float | None
    band: str | None
    uncertain: bool
    marks: dict[str, str]
    overridden: tuple[str, ...]
    red_flags: int
    grades: int
    note: str | None = None
    """The interviewer's note kept with the grade (`genco grade --note`), None without one."""
    red_flags_dismissed: int = 0
    """How many red flags the interviewer dismissed (`genco grade --dismiss-red-flags`): `red_flags` counts
    those that stand, so a dismissal showed as "0" beside a candidate the machine had flagged."""


@dataclass(frozen=True)
class ComparisonSection:
    """The candidates graded on one question at one depth, best score first."""

    question: str
    title: str
    depth: str
    concepts: list[ConceptColumn]
    rows: list[CandidateRow]


@dataclass
class Comparison:
    generated_at: str
    source: str
    """The history file the grades come from."""
    sections: list[ComparisonSection] = field(default_factory=list)
    question: str | None = None
    since: str | None = None
    """The time (stored UTC, ISO 8601) from which grades count, or None for all of them."""
    names: tuple[str, ...] = ()
    """The candidates asked for, as their grades keep their names; none: everyone graded."""
    left_out: list[int] = field(default_factory=list)
    """The numbers of the grades it leaves out, their stored score or date damaged by hand (app.history's
    scored_and_dated): `genco candidates` says so."""

    @property
    def candidates(self) -> list[str]:
        """Every name compared, sorted; those graded without a name are not among them."""
        return sorted({row.candidate for s in self.sections for row in s.rows if row.candidate is not None})

    @property
    def grades(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def _person(attempt: Attempt) -> str:
    """Who a grade is of, as grades are grouped: a name as names are compared (name_key); a grade kept
    without a name is a person of its own (nothing says two unnamed grades are one candidate)."""
    return f"\0unnamed {attempt.uid}" if attempt.candidate is None else name_key(attempt.candidate)


class Latest(NamedTuple):
    """A candidate's latest grade on a question at a depth, with the name they were first graded under
    (a later "ada lovelace" is still "Ada Lovelace") and how many grades it stands for."""

    attempt: Attempt
    name: str | None
    grades: int


def latest_grades(attempts: Sequence[Attempt]) -> list[Latest]:
    """Each candidate's latest grade per question and depth among interviewer `attempts` (in time order)."""
    latest: dict[tuple[str, str, str], Latest] = {}
    for attempt in attempts:
        key = (attempt.question, attempt.depth, _person(attempt))
        earlier = latest.get(key)
        latest[key] = Latest(attempt, earlier.name if earlier else attempt.candidate, earlier.grades + 1 if earlier else 1)
    return list(latest.values())


def _columns(rubric: Rubric | None, depth: str, rows: Sequence[Attempt]) -> list[ConceptColumn]:
    """The depth's concepts in the rubric's order; a rubric gone or changed since leaves the concepts
    the grades hold, in the order first met."""
    if rubric is not None and depth in rubric.depth_names:
        return [ConceptColumn(cid, rubric.concept(cid).name) for cid, _ in rubric.depth(depth).concepts]
    seen: dict[str, str] = {}
    for attempt in rows:
        for concept in attempt.concepts:
            seen.setdefault(concept["id"], concept.get("name") or concept["id"])
    return [ConceptColumn(cid, name) for cid, name in seen.items()]


def _row(latest: Latest, rubric: Rubric | None) -> CandidateRow:
    attempt = latest.attempt
    grade = attempt.grade or {}
    marks = {c["id"]: str(c["status"]) for c in attempt.concepts}
    marked = marked_by_interviewer(grade, marks)
    machine_score = grade.get("machine_score")
    return CandidateRow(
        candidate=latest.name, attempt=attempt.id, graded_at=attempt.created_at, score=attempt.score,
        machine_score=float(machine_score) if isinstance(machine_score, int | float) else None,
        band=rubric.band(attempt.score).label if rubric is not None else kept_grade_text(grade, "band"),
        uncertain=attempt.uncertain,
        marks=marks, overridden=tuple(cid for cid in marks if cid in marked),
        red_flags=len(attempt.misconceptions), grades=latest.grades, note=grade.get("note"),
        red_flags_dismissed=len((grade.get("red_flags_dismissed") or {}).get("flags", [])))


def build_comparison(latest: Sequence[Latest], find_rubric: Callable[[str], Rubric | None], source: str = "",
                     question: str | None = None, since: str | None = None, now: datetime | None = None,
                     names: Sequence[str] = ()) -> Comparison:
    """One section per question and depth (questions by id, depths in the rubric's order) of the `latest`
    grades (latest_grades, their attempts with concept rows); rows best score first, named candidates
    before unnamed ones on a tie, then by name. A question whose rubric is gone (`find_rubric` gives
    None or raises UnknownName) keeps its scores and marks, without bands. `names` are the candidates asked
    for (none: everyone), which an empty comparison names."""
    groups: dict[tuple[str, str], list[Latest]] = {}
    for grade in latest:
        groups.setdefault((grade.attempt.question, grade.attempt.depth), []).append(grade)
    rubrics = rubrics_of([asked for asked, _ in groups], find_rubric)
    sections = []
    for asked, depth in sorted(groups, key=lambda key: (key[0], depth_order(rubrics[key[0]], key[1]))):
        rubric = rubrics[asked]
        rows = sorted((_row(grade, rubric) for grade in groups[(asked, depth)]),
                      key=lambda r: (-r.score, r.candidate is None, (r.candidate or "").casefold()))
        title = rubric.title if rubric else kept_title([g.attempt for g in groups[(asked, depth)]], asked)
        sections.append(ComparisonSection(asked, title, depth,
                                          _columns(rubric, depth, [g.attempt for g in groups[(asked, depth)]]), rows))
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return Comparison(generated_at=stamp, source=source, sections=sections, question=question, since=since,
                      names=tuple(names))
