"""A mock interview: a few questions, each under its time budget, each followed by a probe of the
weakest concept, and a report at the end. Pure data and rules: no I/O, no model.

A front end drives it step by step (a web request per answer): the application layer
(`app.plan_interview`, `Workbench.answer_turn`, `Workbench.answer_follow_up`, `finish_interview`)
scores each answer and records it here. Every object has `to_dict`/`from_dict`, so a web page can
keep the session between requests as JSON.

Shapes: an `InterviewPlan` holds `PlannedQuestion`s; an `InterviewSession` holds the plan and one
`QuestionRecord` per question (its answer `Turn`, the `Probe` chosen from it, the follow-up
`Turn`); `build_report` turns a session into an `InterviewReport`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..card import MAX_SECONDS, ScoreCard, Status
from ..errors import UsageProblem
from ..rubric import Concept, FollowUp, Rubric
from ..text.segment import content_words

ANSWER = "answer"
FOLLOW_UP = "follow_up"


class InterviewStepError(UsageProblem, ValueError):
    """An answer given out of turn (a question answered twice, a follow-up before its question, an index
    out of range) or a kept state that is not an interview's: a usage error, the front end asked
    for a step the interview is not at."""


@dataclass(frozen=True)
class PlannedQuestion:
    """One question of the plan: the rubric id and title, the depth, the question as asked, its budget,
    and why it was chosen ("due": the scheduler's pick, "tag"/"random": drawn from the bank).

    `rubric` is the rubric as it was when the interview was planned: its answers are scored with it,
    so a rubric file edited or removed while the interview runs cannot lose an answer typed for it.
    It is not part of the JSON shape (a rubric is not the session's to keep): a question read back
    from JSON has None, and the application layer finds its rubric on the search path again."""

    question: str
    title: str
    depth: str
    prompt: str
    time_budget_minutes: float
    reason: str
    rubric: Rubric | None = field(default=None, repr=False, compare=False)

    @property
    def budget_seconds(self) -> float:
        return self.time_budget_minutes * 60.0

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rubric"}


@dataclass(frozen=True)
class InterviewPlan:
    questions: tuple[PlannedQuestion, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"questions": [q.to_dict() for q in self.questions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewPlan:
        return cls(tuple(PlannedQuestion(**q) for q in data["questions"]))


def planned(rubric: Rubric, depth: str, reason: str) -> PlannedQuestion:
    spec = rubric.depth(depth)
    return PlannedQuestion(rubric.id, rubric.title, depth, spec.question, spec.time_budget_minutes, reason, rubric)


@dataclass(frozen=True)
class Probe:
    """The interviewer's follow-up: the probe's text and what a good reply says, the concepts it explores,
    the weakest concept it was chosen for, the depth its reply is scored at (the depth that
    holds every concept of the probe), and the weaker concepts not fully covered that no probe
    explores, passed over for this one (so the screen can say why it probes another)."""

    ask: str
    good_answer: str
    concepts: tuple[str, ...]
    weakest: str
    depth: str
    passed_over: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Probe:
        return cls(**{**data, "concepts": tuple(data["concepts"]), "passed_over": tuple(data.get("passed_over", ()))})


@dataclass(frozen=True)
class ConceptMark:
    """One concept's result in a turn: id, name, status and credit (0-1)."""

    id: str
    name: str
    status: str
    score: float


@dataclass(frozen=True)
class Turn:
    """One scored reply. `kind` is "answer" (the main answer, scored at the question's depth over all its
    concepts: `score` is the card's) or "follow_up" (`score` counts only the probe's concepts, see
    `probe_score`). `card` is the full ScoreCard's JSON shape (`ScoreCard.to_dict`), `attempt` the
    history number of a kept main answer, `probe` the follow-up chosen after a main answer."""

    index: int
    kind: str
    question: str
    depth: str
    answer: str
    seconds: float | None
    budget_seconds: float
    score: float
    concepts: tuple[ConceptMark, ...]
    card: dict[str, Any]
    probe: Probe | None = None
    attempt: int | None = None

    @property
    def over_time(self) -> bool:
        """Over the budget by a second or more, as its time is shown (to the second): 180.1 s of 180 read
        "3:00 of 3:00 (over time)"."""
        return self.seconds is not None and round(self.seconds) > self.budget_seconds

    @property
    def red_flags(self) -> tuple[str, ...]:
        """The descriptions of the misconceptions its card names."""
        return tuple(str(hit.get("description", "")) for hit in self.card.get("misconceptions", [])
                     if isinstance(hit, dict))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["over_time"] = self.over_time
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        data = {k: v for k, v in data.items() if k != "over_time"}
        return cls(**{**data, "concepts": tuple(ConceptMark(**c) for c in data["concepts"]),
                      "probe": Probe.from_dict(data["probe"]) if data.get("probe") else None})


@dataclass
class QuestionRecord:
    planned: PlannedQuestion
    answer: Turn | None = None
    follow_up: Turn | None = None

    @property
    def done(self) -> bool:
        """Answered, and its probe answered too (a rubric without probes has none to answer)."""
        return self.answer is not None and (self.answer.probe is None or self.follow_up is not None)


@dataclass
class InterviewSession:
    """The state between steps: the plan and what has been answered. `save` says whether answers go to
    the history (False: --no-save)."""

    plan: InterviewPlan
    records: list[QuestionRecord] = field(default_factory=list)
    save: bool = True

    @classmethod
    def start(cls, plan: InterviewPlan, save: bool = True) -> InterviewSession:
        return cls(plan, [QuestionRecord(q) for q in plan.questions], save)

    @property
    def done(self) -> bool:
        return all(r.done for r in self.records)

    def next_step(self) -> tuple[int, str] | None:
        """What to ask now: (question index, "answer" or "follow_up"), or None when every step is done."""
        for index, record in enumerate(self.records):
            if record.answer is None:
                return index, ANSWER
            if not record.done:
                return index, FOLLOW_UP
        return None

    def record(self, index: int) -> QuestionRecord:
        if not 0 <= index < len(self.records):
            raise InterviewStepError(f"no question {index} in this interview (it has {len(self.records)})")
        return self.records[index]

    def expect(self, index: int, kind: str) -> QuestionRecord:
        """The record `index`, checked to be waiting for a reply of `kind`; InterviewStepError otherwise."""
        record = self.record(index)
        if kind == ANSWER and record.answer is not None:
            raise InterviewStepError(f"question {index} is already answered")
        if kind == FOLLOW_UP:
            if record.answer is None:
                raise InterviewStepError(f"question {index} has no answer yet, so no follow-up")
            if record.answer.probe is None:
                raise InterviewStepError(f"question {index} has no follow-up (its rubric has no probes)")
            if record.follow_up is not None:
                raise InterviewStepError(f"the follow-up of question {index} is already answered")
        return record

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan.to_dict(), "save": self.save,
                "records": [{"answer": r.answer.to_dict() if r.answer else None,
                             "follow_up": r.follow_up.to_dict() if r.follow_up else None} for r in self.records]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewSession:
        """The state `to_dict` gave; InterviewStepError when `data` is not that shape."""
        try:
            plan = InterviewPlan.from_dict(data["plan"])
            records = [QuestionRecord(q, Turn.from_dict(r["answer"]) if r["answer"] else None,
                                      Turn.from_dict(r["follow_up"]) if r["follow_up"] else None)
                       for q, r in zip(plan.questions, data["records"], strict=True)]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InterviewStepError(f"not the state of an interview ({type(exc).__name__}: {exc})") from None
        return cls(plan, records, bool(data.get("save", True)))


def marks(card: ScoreCard, only: Sequence[str] | None = None) -> tuple[ConceptMark, ...]:
    return tuple(ConceptMark(c.id, c.name, str(c.status), round(c.score, 3)) for c in card.concepts
                 if only is None or c.id in only)


def weakest_first(card: ScoreCard) -> list[str]:
    """The card's concept ids, weakest first: least credit, then the heavier concept, then rubric order."""
    order = {c.id: i for i, c in enumerate(card.concepts)}
    return [c.id for c in sorted(card.concepts, key=lambda c: (c.score, -c.weight, order[c.id]))]


def choose_probe(rubric: Rubric, card: ScoreCard) -> Probe | None:
    """The follow-up for the weakest concept, from the rubric's probes.

    A probe that names its concepts (`FollowUp.concepts`) is matched to them: the weakest concept
    that such a probe explores gets it, the answered depth's probes first, then other depths' (as
    `genco grade` suggests them). When no linked probe fits, the weakest concept gets the
    answered depth's probe (else any depth's) that shares the most content words with it (name,
    description, exemplars); the reply is then scored on that concept alone. An interviewer probes
    even a strong answer, so a fully covered card gets the probe of its least-credited concept.
    None only when the rubric has no probes at all.
    """
    here = rubric.depth(card.depth).follow_ups
    elsewhere = [f for d in rubric.depths if d.name != card.depth for f in d.follow_ups]
    order = weakest_first(card)
    uncovered = {c.id for c in card.concepts if c.status != Status.COVERED}
    for rank, concept_id in enumerate(order):
        for follow_up in (*here, *elsewhere):
            if concept_id in follow_up.concepts:
                depth = probe_depth(rubric, follow_up, card.depth)
                if depth is not None:
                    passed_over = tuple(c for c in order[:rank] if c in uncovered)
                    return Probe(follow_up.ask, follow_up.good_answer, tuple(follow_up.concepts), concept_id, depth,
                                 passed_over)
    unlinked = [f for f in here if not f.concepts] or [f for f in elsewhere if not f.concepts]
    if not unlinked or not order:
        return None
    weakest = rubric.concept(order[0])
    about = content_words(" ".join((weakest.name, weakest.description, *weakest.exemplars)))
    best = max(unlinked, key=lambda f: len(about & content_words(f"{f.ask} {f.good_answer}")))
    return Probe(best.ask, best.good_answer, (weakest.id,), weakest.id, card.depth)


def probe_depth(rubric: Rubric, follow_up: FollowUp, preferred: str) -> str | None:
    """The depth a reply to `follow_up` is scored at: `preferred` when it holds every concept of the probe,
    else the first depth that does; None when no depth holds them all."""
    wanted = set(follow_up.concepts)
    names = [preferred, *(d.name for d in rubric.depths if d.name != preferred)]
    return next((n for n in names if wanted <= set(dict(rubric.depth(n).concepts))), None)


def linked_probes(rubric: Rubric) -> list[Probe]:
    """Every probe of the rubric that names its concepts, as an interview asks it after an answer at its
    own depth (chosen for its first concept); those no depth can score are left out."""
    found = []
    for depth in rubric.depths:
        for follow_up in depth.follow_ups:
            scored_at = probe_depth(rubric, follow_up, depth.name) if follow_up.concepts else None
            if scored_at is not None:
                found.append(Probe(follow_up.ask, follow_up.good_answer, tuple(follow_up.concepts),
                                   follow_up.concepts[0], scored_at))
    return found


def probe_rubric(rubric: Rubric, probe: Probe) -> Rubric:
    """The rubric a follow-up reply is scored against: the probe's good answer is the description of each
    concept it explores, and one more of its exemplars. The good answer is the rubric author's own
    statement of what the reply should say, and the concept's own texts speak of the main question, not
    of the detail the probe asks about: as an exemplar alone, that very text typed as the reply scored
    36-100 (72 on average over the shipped probes), for a concept's credit leans on its description and
    key terms, which a one-sentence reply to a narrow probe shares little of (bench/probes.py)."""
    from dataclasses import replace

    def probed(concept: Concept) -> Concept:
        exemplars = concept.exemplars if probe.good_answer in concept.exemplars else (*concept.exemplars, probe.good_answer)
        return replace(concept, description=probe.good_answer, exemplars=exemplars)

    return replace(rubric, concepts=tuple(probed(c) if c.id in probe.concepts else c for c in rubric.concepts))


def probe_score(card: ScoreCard, probe: Probe) -> float:
    """A follow-up's score, 0-100: the weighted credit of the probe's concepts only, as the reply's card at
    the probe's depth marks them (the other concepts of that depth, which the probe did not ask for,
    do not count, nor does the card's overall score)."""
    asked = [c for c in card.concepts if c.id in probe.concepts]
    total = sum(c.weight for c in asked)
    if not total:
        return 0.0
    return round(100.0 * sum(c.weight * c.score for c in asked) / total, 1)


@dataclass(frozen=True)
class QuestionReport:
    """One question's outcome: the main answer's score and the follow-up's, time against budget, the
    concepts still missing after the follow-up, and those missed first but shown when probed."""

    question: str
    title: str
    depth: str
    score: float | None
    follow_up_score: float | None
    probe: str | None
    seconds: float | None
    budget_seconds: float
    over_time: bool
    missed: tuple[str, ...]
    recovered: tuple[str, ...]
    attempt: int | None
    follow_up_reply: str | None = None
    """What was replied to the probe, as typed (its score alone would leave nothing to read again;
    the reply is no attempt of the history). None when unanswered, and in reports kept before it was."""
    uncertain: bool = False
    """The main answer's card asked for a person to check its score, as `genco history` marks the attempt
    ("37.2?"); False in reports kept before it was."""
    red_flags: tuple[str, ...] = ()
    """The misconceptions the main answer's card and the follow-up reply's name (their descriptions, each once):
    the interview said only the score, and a confident mistake went unmentioned until `genco show`. Empty in
    reports kept before it was."""
    undone: tuple[str, ...] = ()
    """Of `missed`, the concepts the main answer covered and the follow-up reply did not: the reply is the last
    word on what it probes, and the report says so (the answer's card said "covered", the report "not fully
    covered", and two testers read it as a mistake). Empty in reports kept before it was."""


@dataclass(frozen=True)
class PracticeItem:
    """What to practise next: a question and depth, and the concepts (names) to work on there."""

    question: str
    depth: str
    concepts: tuple[str, ...]


@dataclass(frozen=True)
class InterviewReport:
    """The session report. `score` is the mean main-answer score over answered questions and
    `follow_up_score` the mean follow-up score (each None when nothing was answered); `practise`
    lists questions with concepts still missing, weakest question first. `number` is its number
    in the history once kept."""

    questions: tuple[QuestionReport, ...]
    score: float | None
    follow_up_score: float | None
    over_time: int
    practise: tuple[PracticeItem, ...]
    number: int | None = None
    created_at: str | None = None

    @property
    def answered(self) -> int:
        """How many questions were answered (the others are listed without a score)."""
        return sum(q.score is not None for q in self.questions)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewReport:
        """The report kept as `to_dict` wrote it; ValueError (or KeyError, TypeError) for one edited into
        anything else, every field checked: a NaN or an object as `over_time` was printed, and "no" as
        `uncertain` read as true."""
        questions = tuple(_question_from_dict(q) for q in data["questions"])
        return cls(
            questions=questions,
            score=_figure(data["score"], "score", 100.0, missing=True),
            follow_up_score=_figure(data["follow_up_score"], "follow_up_score", 100.0, missing=True),
            over_time=_count(data["over_time"], "over_time", len(questions)),
            practise=tuple(PracticeItem(_text(p["question"], "question"), _text(p["depth"], "depth"),
                                        _texts(p["concepts"], "concepts")) for p in data["practise"]),
            number=data.get("number"), created_at=data.get("created_at"))


def _question_from_dict(q: dict[str, Any]) -> QuestionReport:
    """One question of a kept report, each field checked (InterviewReport.from_dict)."""
    return QuestionReport(**{
        **q, **{name: _texts(q[name], name) for name in ("missed", "recovered")},
        **{name: _texts(q.get(name, []), name) for name in ("red_flags", "undone")},
        **{name: _text(q[name], name) for name in ("question", "title", "depth")},
        **{name: _text(q.get(name), name, missing=True) for name in ("probe", "follow_up_reply")},
        **{name: _figure(q[name], name, most, missing=True)
           for name, most in (("score", 100.0), ("follow_up_score", 100.0), ("seconds", MAX_SECONDS))},
        "budget_seconds": _figure(q["budget_seconds"], "budget_seconds", MAX_SECONDS),
        "over_time": _yes_or_no(q["over_time"], "over_time"),
        "uncertain": _yes_or_no(q.get("uncertain", False), "uncertain"),
        "attempt": None if q["attempt"] is None else _count(q["attempt"], "attempt", None, least=1)})


def _yes_or_no(value: Any, name: str) -> bool:
    """A kept true or false; ValueError for anything else ("no" read as true)."""
    if not isinstance(value, bool):
        raise ValueError(f"'{name}' must be true or false")
    return value


def _count(value: Any, name: str, most: int | None, least: int = 0) -> int:
    """A kept whole number from `least` to `most` (None: no limit); ValueError for anything else."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least or (most is not None and value > most):
        raise ValueError(f"'{name}' must be a whole number from {least}" + (f" to {most}" if most is not None else ""))
    return value


def _figure(value: Any, name: str, most: float, missing: bool = False) -> float | None:
    """A kept score or time from 0 to `most` (None where `missing` allows it); ValueError for anything else
    (a report edited by hand: "abc" stopped `--show` with a traceback, and a score of 1e308 was printed as
    309 digits that pushed every column of the table off the screen)."""
    if missing and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= most:
        raise ValueError(f"'{name}' must be a number from 0 to {most:g}")
    return value


def _text(value: Any, name: str, missing: bool = False) -> str | None:
    """A kept text (None where `missing` allows it); ValueError for anything else (a report edited by hand:
    a question id of 5 stopped `--show` with a traceback where the table drew it)."""
    if missing and value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{name}' must be a text")
    return value


def _texts(value: Any, name: str) -> tuple[str, ...]:
    """A kept list of texts; ValueError for anything else (a report edited by hand: "abc" read as three flags)."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(text, str) for text in value):
        raise ValueError(f"'{name}' must be a list of texts")
    return tuple(value)


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def question_report(record: QuestionRecord) -> QuestionReport:
    answer, follow_up, plan = record.answer, record.follow_up, record.planned
    first = {c.id: c for c in answer.concepts} if answer else {}
    probed = {c.id: c for c in follow_up.concepts} if follow_up else {}
    names = {cid: c.name for cid, c in {**probed, **first}.items()}
    first_missed = [cid for cid, c in first.items() if c.status != Status.COVERED]
    shown_later = {cid for cid, c in probed.items() if c.status == Status.COVERED}
    # the reply to the probe is the last word on what it probes: a probe failed is still to work on, though the
    # main answer covered that concept or its depth has none of it ("throw() raises inside it", 10 at the probe)
    final = {**{cid: c.status for cid, c in first.items()}, **{cid: c.status for cid, c in probed.items()}}
    return QuestionReport(
        question=plan.question, title=plan.title, depth=plan.depth,
        score=answer.score if answer else None, follow_up_score=follow_up.score if follow_up else None,
        probe=answer.probe.ask if answer and answer.probe else None,
        seconds=answer.seconds if answer else None, budget_seconds=plan.budget_seconds,
        over_time=bool(answer and answer.over_time),
        missed=tuple(names[c] for c, status in final.items() if status != Status.COVERED),
        recovered=tuple(names[c] for c in first_missed if c in shown_later),
        attempt=answer.attempt if answer else None, follow_up_reply=follow_up.answer if follow_up else None,
        uncertain=bool(answer and answer.card.get("uncertain")),
        red_flags=tuple(dict.fromkeys(flag for turn in (answer, follow_up) if turn for flag in turn.red_flags)),
        undone=tuple(names[c] for c, mark in probed.items()
                     if mark.status != Status.COVERED and c in first and first[c].status == Status.COVERED))


def practise_items(record: QuestionRecord, report: QuestionReport) -> tuple[PracticeItem, ...]:
    """What to practise after one answered question: its concepts still to work on, each under a depth that
    grades it. A probe may explore a concept the answered depth does not grade (its reply is scored at
    `Probe.depth`); listed under the answered depth, `genco practice -d` there never asked for it."""
    graded_here = {c.name for c in record.answer.concepts}
    here = tuple(name for name in (*report.missed, *report.recovered) if name in graded_here)
    elsewhere = tuple(name for name in report.missed if name not in graded_here)
    items = [PracticeItem(report.question, report.depth, here)] if here else []
    if elsewhere:
        items.append(PracticeItem(report.question, record.follow_up.depth, elsewhere))
    return tuple(items)


def build_report(session: InterviewSession) -> InterviewReport:
    """The report of a session, finished or cut short (unanswered questions are listed without scores)."""
    questions = tuple(question_report(r) for r in session.records)
    answered = [q for q in questions if q.score is not None]
    weakest = sorted((q.score, i) for i, q in enumerate(questions) if q.score is not None)
    practise = tuple(item for _, i in weakest for item in practise_items(session.records[i], questions[i]))
    return InterviewReport(
        questions=questions, score=_mean([q.score for q in answered]),
        follow_up_score=_mean([q.follow_up_score for q in questions if q.follow_up_score is not None]),
        over_time=sum(q.over_time for q in questions), practise=practise)
