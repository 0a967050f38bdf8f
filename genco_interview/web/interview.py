"""The mock interview in the browser: /interview (the form), /interview/ID (the step the interview is
at), /interview/ID/turn/N/KIND (a reply's compact score), /interview/ID/finish (end it early),
/interviews and /interviews/N (kept reports).

A thin front end over app/interviews.py's use cases, as cli_interview.py is for the terminal. Each
running interview's state stays in this process (`Running`: an unguessable id -> the session, at
most MAX_RUNNING, the oldest dropped); the browser only ever sends the reply's text and which step
it answers, so no score (nor the time a reply took) comes from the client. A reply posted for a
step the interview is not at (sent twice, an old tab) is refused with 409 and the text it
carried, never scored twice. The report is kept in the history the moment the last reply is scored
(or the interview is ended, a reply typed in the box scored first), never again after.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..answers import InputError, nothing_to_score
from ..app.history import check_history
from ..app.interviews import (
    INTERVIEW_QUESTIONS,
    InterviewNotKept,
    finish_interview,
    interview_report,
    interview_reports,
    interview_rubric,
    plan_interview,
    start_interview,
)
from ..app.workbench import Workbench
from ..card import UNCERTAIN_NOTE
from ..errors import quoted
from ..interview.mock import ANSWER, InterviewStepError
from ..progress.database import HistoryError
from ..rubric import askable
from ..views.interview import fewer_questions_line
from .drafts import INTERVIEW, draft_name
from .guard import READING

if TYPE_CHECKING:
    from ..interview.mock import InterviewReport, InterviewSession, Turn

MAX_RUNNING = 32
"""Interviews kept running at once; starting one more forgets the oldest (a tab long abandoned)."""
MAX_QUESTIONS = 10
"""Most questions the form offers; the terminal's --count allows more, a browser tab rarely wants them."""
T = TypeVar("T")


class Site(Protocol):
    """What these pages use of server.Site: the workbench, rendering, the form check, scoring in a worker."""

    bench: Workbench

    def page(self, request: Request, name: str, status_code: int = 200, **context: Any) -> Response: ...
    def shown(self, message: str) -> str: ...
    async def form(self, request: Request) -> dict[str, str]: ...
    async def scoring(self, work: Callable[..., T], *args: Any) -> T: ...
    async def history(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...


@dataclass
class Interview:
    """One running interview: its session, when each step was first shown (`monotonic()` by step
    name: the time a reply took is measured here, not by the browser, and a reload does not reset
    it), and, once finished, its report, with why it is not in the history when keeping it failed
    (`not_kept`: the error, which says which recovery file holds it)."""

    session: InterviewSession
    fewer: str | None = None
    """Why it asks fewer questions than the form wanted (`fewer_questions_line`), said on its first question."""
    shown: dict[str, float] = field(default_factory=dict)
    report: InterviewReport | None = None
    not_kept: str | None = None
    ending: threading.Lock = field(default_factory=threading.Lock)
    """Held while the report is made and kept: two requests ending the interview at once keep one."""

    def step(self) -> tuple[int, str] | None:
        """The step to answer now; None once every step is answered or the interview was ended."""
        return None if self.report is not None else self.session.next_step()

    def end(self, db: str | None) -> InterviewReport:
        """The report, made and kept once (called again, the same one): dated when the interview
        ended, whenever its page is opened. A history that cannot take it leaves it here, in the
        recovery file, and in `not_kept`; it is not tried again, so it is never kept twice."""
        with self.ending:
            if self.report is None:
                try:
                    self.report = finish_interview(db, self.session)
                except InterviewNotKept as exc:
                    self.report, self.not_kept = exc.report, str(exc)
            return self.report


class Running:
    """The running interviews, by an unguessable id, at most `limit` (oldest forgotten first)."""

    def __init__(self, limit: int = MAX_RUNNING) -> None:
        self.limit = limit
        self.items: OrderedDict[str, Interview] = OrderedDict()

    def add(self, session: InterviewSession, fewer: str | None = None) -> str:
        key = secrets.token_urlsafe(16)
        self.items[key] = Interview(session, fewer)
        while len(self.items) > self.limit:
            self.items.popitem(last=False)
        return key

    def get(self, key: str, typed: str = "") -> Interview:
        """The interview `key`; 404 when there is none (never started, or forgotten), showing `typed`,
        the reply a form carried to it, so a restart of genco does not lose it."""
        found = self.items.get(key)
        if found is None:
            gone = HTTPException(404, "no such interview here: it was never started, or genco was restarted "
                                      "or began newer ones since; start a new one"
                                      + (" (your reply is below: copy it first)" if typed.strip() else ""))
            gone.typed = typed  # type: ignore[attr-defined]  # the error page shows it (server.Site.http_error)
            raise gone
        return found


def _step_name(index: int, kind: str) -> str:
    return f"{index}:{kind}"


class InterviewPages:
    """The interview pages' handlers, over the site's workbench, form check and templates."""

    def __init__(self, site: Site, limit: int = MAX_RUNNING) -> None:
        self.site = site
        self.running = Running(limit)

    async def start(self, request: Request) -> Response:
        """GET: the form (how many questions, tag, depth). POST: plan the interview and go to its first step."""
        bank = askable()
        if request.method in READING:
            return self.site.page(request, "interview_start.html", tags=sorted({t for r in bank for t in r.tags}),
                                  depths=list(dict.fromkeys(d.name for r in bank for d in r.depths)),
                                  counts=range(1, MAX_QUESTIONS + 1), default=INTERVIEW_QUESTIONS)
        fields = await self.site.form(request)
        given = fields.get("count") or str(INTERVIEW_QUESTIONS)
        # int() takes " 2" and "٣" too, and refuses 4,301 digits with a ValueError; the form's menu sends 1 to MAX_QUESTIONS
        if not (given.isascii() and given.isdigit() and len(given) < 10):
            raise InputError(f"the number of questions must be a whole number from 1 to {MAX_QUESTIONS}, not {quoted(given)}")
        count = int(given)
        if not 1 <= count <= MAX_QUESTIONS:
            raise InputError(f"an interview here has 1 to {MAX_QUESTIONS} questions, not {count}")
        await self.site.history(check_history, self.site.bench.db)  # an unusable history is said now, not after a reply
        tag, depth = fields.get("tag") or None, fields.get("depth") or None
        plan = await self.site.history(plan_interview, self.site.bench.db, count, tag, depth)
        key = self.running.add(start_interview(plan), fewer_questions_line(plan, count, tag, depth))
        return RedirectResponse(f"/interview/{key}", 303)

    async def step(self, request: Request) -> Response:
        """GET: the step the interview is at (a question with the time left of its budget, or its
        follow-up probe), or, when every step is answered, the report (kept in the history).
        POST: score the reply to that step."""
        key = request.path_params["key"]
        interview, fields = await self.running_posted(request, key)
        if request.method == "POST":
            return await self.answer(request, key, interview, fields)
        step = interview.step()
        if step is None:
            return await self.finished(request, interview)
        return self.step_page(request, key, interview, *step)

    def step_page(self, request: Request, key: str, interview: Interview, index: int, kind: str,
                  status: int = 200, error: str | None = None) -> Response:
        """The page of step (`index`, `kind`): its question or probe, with the time left of its budget
        (counted from when it was first shown); `error` says why a reply sent to it was not scored."""
        name = _step_name(index, kind)
        record = interview.session.records[index]
        rubric = interview_rubric(record.planned)
        probe = record.answer.probe if record.answer else None
        taken = monotonic() - interview.shown.setdefault(name, monotonic())
        return self.site.page(request, "interview_step.html", status, key=key, index=index, kind=kind,
                              total=len(interview.session.records), planned=record.planned, probe=probe,
                              weakest=rubric.concept(probe.weakest).name if probe else None,
                              passed_over=[rubric.concept(c).name for c in probe.passed_over] if probe else [],
                              left=max(0.0, record.planned.budget_seconds - taken), step=name,
                              draft=draft_name(INTERVIEW, key, name), error=error,
                              fewer=interview.fewer if (index, kind) == (0, ANSWER) else None)

    async def running_posted(self, request: Request, key: str) -> tuple[Interview, dict[str, str]]:
        """The running interview `key` and the fields of the form posted to it (none for a GET). A
        reply to an interview that is gone (genco restarted: its form token is stale too) is a 404
        showing the reply, not a 403 whose "send it again" leads nowhere."""
        if request.method != "POST":
            return self.running.get(key), {}
        typed = (await request.form()).get("answer", "")  # shown back to its sender only: read before the token check
        interview = self.running.get(key, typed.replace("\r\n", "\n") if isinstance(typed, str) else "")
        return interview, await self.site.form(request)

    async def answer(self, request: Request, key: str, interview: Interview, fields: dict[str, str]) -> Response:
        step = interview.step()
        try:
            refused = await self.score_posted(request, key, interview, fields, required=True)
        except HistoryError as exc:  # the reply is scored and in the interview's report; only its attempt is not kept
            return self.turn_page(request, key, interview, *step, warning=self.site.shown(str(exc)))
        return refused or RedirectResponse(f"/interview/{key}/turn/{step[0]}/{step[1]}", 303)

    async def score_posted(self, request: Request, key: str, interview: Interview, fields: dict[str, str],
                           required: bool) -> Response | None:
        """Score the reply a form carries for the step the interview is at (None once scored). A reply
        for another step is a 409 page with its text; an empty one is the step's page again (400) when
        `required`, else nothing to score (None)."""
        answer = fields.get("answer", "").replace("\r\n", "\n")
        if nothing_to_score(answer) and not required:
            return None
        step = interview.step()
        if step is None or fields.get("step") != _step_name(*step):
            return self.out_of_turn(request, key, interview, answer)
        if nothing_to_score(answer):  # as practice has it: invisible characters only are no answer; asked again
            return self.step_page(request, key, interview, *step, status=400,
                                  error="The reply has no words: write one before sending it.")
        try:
            await self.site.scoring(self.score_step, interview, *step, answer)
        except InterviewStepError:  # the same step sent twice at once: the other one was scored first
            return self.out_of_turn(request, key, interview, answer)
        finally:  # the last reply keeps the report at once, outside the scoring lock (a locked history waits)
            if interview.session.next_step() is None:
                await self.site.history(interview.end, self.site.bench.db)
        return None

    def score_step(self, interview: Interview, index: int, kind: str, answer: str) -> None:
        """Score the reply to step (index, kind), timed from when that step was first shown. Scored while
        no report is being made (`Interview.ending`): a reply sent as the interview is ended from another
        tab was scored, shown as scored, and left out of the report made meanwhile; now it is in the
        report, or refused (InterviewStepError: its text comes back) when the report came first."""
        shown = interview.shown.get(_step_name(index, kind))
        seconds = round(monotonic() - shown, 1) if shown is not None else None
        work = self.site.bench.answer_turn if kind == ANSWER else self.site.bench.answer_follow_up
        with interview.ending:
            if interview.report is not None:
                raise InterviewStepError("the interview was ended meanwhile")
            work(interview.session, index, answer, seconds)

    def out_of_turn(self, request: Request, key: str, interview: Interview, answer: str) -> Response:
        """409: the reply is not scored; the page shows the text it carried, so nothing typed is lost."""
        return self.site.page(request, "interview_out_of_turn.html", 409, key=key, answer=answer,
                              done=interview.step() is None)

    async def finish(self, request: Request) -> Response:
        """POST: end the interview now. A reply typed in the box (the form carries it) is scored and
        counted first; the report covers the questions answered."""
        key = request.path_params["key"]
        interview, fields = await self.running_posted(request, key)
        try:
            refused = await self.score_posted(request, key, interview, fields, required=False)
        except HistoryError:  # the reply is in the report all the same, which says why it is not kept
            refused = None
        return refused or await self.finished(request, interview)

    async def finished(self, request: Request, interview: Interview) -> Response:
        """The interview's report (`Interview.end`: kept once, a reload shows the same one): its kept
        page, or, when it is not in the history (nothing answered, or the history failed), the report
        right here. It is made once any reply being scored is done (so that reply is in it), outside
        the scoring lock (keeping it may wait on a locked history, which must not hold up anyone's
        scoring); two requests at once keep one report (`Interview.ending`)."""
        await self.site.scoring(lambda: None)  # wait for a reply still being scored
        report = await self.site.history(interview.end, self.site.bench.db)
        if report.number is not None:
            return RedirectResponse(f"/interviews/{report.number}", 303)
        not_kept = self.site.shown(interview.not_kept) if interview.not_kept else None
        return self.site.page(request, "interview_report.html", report=report, not_kept=not_kept)

    async def turn(self, request: Request) -> Response:
        """A reply's compact score (and, after a follow-up, what a good reply says), then on to the next step."""
        key = request.path_params["key"]
        return self.turn_page(request, key, self.running.get(key), request.path_params["index"],
                              request.path_params["kind"])

    def turn_page(self, request: Request, key: str, interview: Interview, index: int, kind: str,
                  warning: str | None = None) -> Response:
        """The page of a scored reply; `warning` says why its attempt is not in the history."""
        session = interview.session
        record = session.records[index] if 0 <= index < len(session.records) else None
        turn: Turn | None = None
        if record is not None and kind in ("answer", "follow_up"):
            turn = record.answer if kind == "answer" else record.follow_up
        if turn is None:
            raise HTTPException(404, "that step of the interview has not been answered")
        following = interview.step()
        return self.site.page(request, "interview_turn.html", key=key, turn=turn, total=len(session.records),
                              planned=record.planned, probe=record.answer.probe if kind == "follow_up" else None,
                              draft=draft_name(INTERVIEW, key, _step_name(index, kind)), following=following,
                              warning=warning, uncertain_note=UNCERTAIN_NOTE)

    async def reports(self, request: Request) -> Response:
        return self.site.page(request, "interviews.html", kept=await self.site.history(interview_reports, self.site.bench.db))

    async def report(self, request: Request) -> Response:
        try:
            report = await self.site.history(interview_report, self.site.bench.db, request.path_params["ref"])
        except InputError:  # the history's words name a terminal command and the file
            raise HTTPException(404, f"no interview report {quoted(request.path_params['ref'])} in the history; "
                                     "Interview lists the reports kept") from None
        return self.site.page(request, "interview_report.html", report=report)


def clock(seconds: Any) -> str:
    """Seconds as m:ss (a Jinja filter)."""
    minutes, rest = divmod(int(round(float(seconds))), 60)
    return f"{minutes}:{rest:02d}"
