"""Mock interviews: planned from what is due, run question by question, kept in the history and read
back.

A front end runs one in steps: plan_interview, start_interview, then for each question
Workbench.answer_turn and (when it chose a probe) Workbench.answer_follow_up, in the order
InterviewSession.next_step gives, then finish_interview. The session's to_dict/from_dict keeps it
between requests. interview_reports, kept_interview and interview_report read kept reports back;
delete_interview deletes one.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING

from ..progress.database import HistoryError
from ..rubric import (
    Rubric,
    UnknownName,
    askable,
    pick_random,
    practice_order,
)
from .questions import resolve

if TYPE_CHECKING:
    from ..interview.mock import InterviewPlan, InterviewReport, InterviewSession, PlannedQuestion
    from ..progress.rows import StoredInterview



INTERVIEW_QUESTIONS = 3



def plan_interview(db: str | None, count: int = INTERVIEW_QUESTIONS, tag: str | None = None,
                   depth: str | None = None, seed: int | None = None) -> InterviewPlan:
    """`count` different questions, each holding its rubric as loaded now (`interview_rubric`). With no
    `tag` and no `seed`: the scheduler's picks from the learner's history at `db` (what `genco next`
    would suggest, most due first, each at its suggested depth unless `depth` is given). With a `tag`
    or a `seed`: drawn at random from the bank (only `tag`'s questions), at `depth` or a random one,
    the same for the same seed. Fewer than `count` when the bank has fewer. Raises UnknownName for a
    tag or depth no question has, InputError for count < 1."""
    from ..answers import InputError
    from ..interview.mock import InterviewPlan, planned

    if count < 1:
        raise InputError(f"an interview needs at least one question, not {count}")
    pool = askable()
    if tag is None and seed is None:
        from ..progress.schedule import REPLAY, suggest_many
        from ..progress.store import open_history

        having = [r for r in practice_order(pool) if depth is None or depth in r.depth_names]  # as `next` plans
        if not having:
            depths = dict.fromkeys(d for r in pool for d in r.depth_names)
            raise UnknownName(f"no question has depth {depth!r}; depths: {', '.join(depths)}")
        with open_history(db, create=False) as store:
            attempts = store.attempts(evidence=False, concepts_of_latest=REPLAY, source="learner")
        by_id = {r.id: r for r in having}
        return InterviewPlan(tuple(planned(by_id[s.question], depth or s.depth, "due")
                                   for s in suggest_many(attempts, having, count)))
    rng = random.Random(seed)
    questions = []
    while len(questions) < count:
        try:
            rubric, depth_name = pick_random(pool, tag, depth, rng)
        except UnknownName:
            if questions:  # the bank ran out of matching questions
                break
            raise
        questions.append(planned(rubric, depth_name, "tag" if tag else "random"))
        pool = [r for r in pool if r is not rubric]
    return InterviewPlan(tuple(questions))



def interview_rubric(question: PlannedQuestion) -> Rubric:
    """The rubric a planned question is asked and scored with: the one loaded when the interview was
    planned, so a rubric of the user's edited, broken or removed while the interview runs cannot
    make an answer already typed unscorable. A question read back from JSON holds none; its rubric
    is found on the search path again (raises UnknownName when it is gone)."""
    if question.rubric is not None:
        return question.rubric
    return resolve(question.question, question.depth)[0]



def start_interview(plan: InterviewPlan, save: bool = True) -> InterviewSession:
    """A session ready for its first answer; `save` False keeps nothing in the history (--no-save)."""
    from ..interview.mock import InterviewSession

    return InterviewSession.start(plan, save)



class InterviewNotKept(HistoryError):
    """The history could not take an interview's report: the report went to the recovery file (the
    message says where) and is still at hand as `report` (not numbered), for the front end to show."""

    def __init__(self, message: str, report: InterviewReport) -> None:
        super().__init__(message)
        self.report = report



def finish_interview(db: str | None, session: InterviewSession) -> InterviewReport:
    """The session report (per question and overall, what to practise next), kept in the history at `db`
    unless the session does not save or nothing was answered; then `number` is what
    `interview_report` takes and `created_at` is now. A session cut short is reported as far as it
    went. Raises InterviewNotKept (a HistoryError) when the history cannot be written: the report is
    in the recovery file then, and the answers were kept as they were scored."""
    from ..interview.mock import build_report
    from ..progress.store import keep_interview

    report = build_report(session)
    if not session.save or not report.answered:
        return report
    try:
        kept = keep_interview(db, report.to_dict(), report.answered, report.score or 0.0)
    except HistoryError as exc:
        raise InterviewNotKept(str(exc), report) from None
    return replace(report, number=kept.id, created_at=kept.created_at)



def interview_reports(db: str | None) -> list[StoredInterview]:
    """Every kept interview, newest first: number, time, how many questions were answered, and score
    (`interview_report` reads one whole). A missing history is an empty list."""
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        return store.interviews()



def kept_interview(db: str | None, number: str) -> StoredInterview:
    """One kept interview by its number (or "last") as `interview_reports` lists it, its report unread (what a
    deletion names before it asks). Raises InputError when there is none."""
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        return store.interview_entry(number)


def delete_interview(db: str | None, number: int) -> StoredInterview:
    """Delete kept interview report `number`; its answers stay in the history as attempts. What it was, its
    report unread; InputError when there is none (or another genco deleted it meanwhile)."""
    from ..progress.store import open_history

    with open_history(db, create=False, write=True) as store:
        return store.delete_interview(str(number))


def interview_report(db: str | None, number: str) -> InterviewReport:
    """One kept interview report by its number (or "last"), each question's `attempt` None once that attempt
    was deleted (`genco show` of it said there was none, and the web page's link led nowhere; numbers are
    never given again). Raises InputError when there is none, HistoryError when its report is damaged."""
    from ..interview.mock import InterviewReport
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        kept = store.interview(number)
        try:
            report = InterviewReport.from_dict(kept.report)
        except (KeyError, TypeError, ValueError, AttributeError):  # a report edited by hand
            raise HistoryError(f"interview {kept.id}'s kept report is damaged (not the JSON genco wrote); "
                               "its answers are intact: see `genco history`") from None
        held = store.held_numbers([q.attempt for q in report.questions if q.attempt is not None])
    questions = tuple(q if q.attempt in held else replace(q, attempt=None) for q in report.questions)
    return replace(report, number=kept.id, created_at=kept.created_at, questions=questions)

