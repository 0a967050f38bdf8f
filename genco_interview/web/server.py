"""The web app: routes, each a thin page over app/, rendered with Jinja2 (autoescape on).

`create_app(workbench)` builds it around one `Workbench`, so the model is loaded once (or handed
over warm by a test) and every page scores warm. Scoring runs in a worker thread under a lock:
the model is shared, and the event loop stays free to serve other pages meanwhile.

Pages: / (questions), /practice/ID/DEPTH, /attempts/N (a result), /progress, the mock interview
(/interview, /interviews: interview.py), /interviewer and /interviewer/ID/DEPTH; JSON: POST
/api/score, GET /api/questions. What keeps it safe is in guard.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..answers import SPELLED_KEYS, InputError, decode_json, nothing_to_score, only_points_to_a_page, refuse_near_misses
from ..app.history import candidate_comparison, find_attempt, next_plan, progress_report, recent_attempts
from ..app.questions import resolve
from ..app.workbench import Workbench
from ..card import UNCERTAIN_NOTE, ScoreCard
from ..errors import GencoError, UsageProblem, quoted
from ..interview.grading import (
    CANDIDATE_NAME_LIMIT,
    OVERRIDE_CREDIT,
    candidate_name_problem,
    dismissed_red_flags,
    red_flags_cost,
    red_flags_heading,
)
from ..output import clean, one_line
from ..paths import genco_home
from ..progress.database import HistoryError, default_path
from ..progress.store import AttemptReplaced
from ..rubric import Rubric, RubricError, UnknownName, askable, rubric_dirs
from ..views.comparison import candidate_name, legend, mark_of, red_flags_cell
from ..views.formats import get_writer
from ..views.markup import (
    DAMAGED,
    DAMAGED_DATE,
    UNDONE_NOTE,
    against_budget,
    counted,
    fuller_hint,
    html_inline,
    html_paragraphs,
    missed_heading,
    named_and_described,
    why_to_add,
)
from ..views.report import attempt_score, who
from ..views.report_html import readable_time, report_body, report_html
from ..views.sheet import sheet_sections
from .drafts import INTERVIEWER, draft_name
from .evidence import pieces
from .guard import BODY_LIMIT, READING, BodyLimit, CsrfToken, HostCheck, SecurityHeaders
from .interview import InterviewPages, clock

HERE = Path(__file__).parent
NAV = (("/", "Questions", ("",)), ("/interview", "Interview", ("interview", "interviews")),
       ("/progress", "Progress", ("progress",)), ("/interviewer", "Interviewer", ("interviewer",)))
"""The site's sections in the header: link, name, and the first path segments of the pages it is current on."""
HISTORY_ROWS = 100
"""Newest attempts the progress page lists; `genco history --limit 0` shows them all."""
MAX_SECONDS = 24 * 3600.0
"""A practice time the page reports beyond this (a tab left open for days) is not kept."""
T = TypeVar("T")
ABSOLUTE_PATH = re.compile(r"(?<![^\s(`'\"])(?:/|~[/\\]|[A-Za-z]:\\)(?:[^\s/\\`'\"]+[/\\])+(?=[^\s/\\`'\"])")
"""The folders of an absolute path in a message (POSIX or Windows): a page shows only the file's name."""


def create_app(workbench: Workbench, db: str | None = None, host: str = "127.0.0.1",
               secret: bytes | None = None, body_limit: int = BODY_LIMIT) -> Starlette:
    """The app around `workbench` (whose model it scores with), keeping attempts in `db` (None:
    the workbench's own file). Only Host headers naming `host` (guard.HostCheck) are served."""
    if db is not None:
        workbench.db = db
    # the form parser's warnings on a malformed post (its page already says 400) are not the user's concern
    # either: with no handler of its own, Python printed them raw on the server's terminal
    parser_log = logging.getLogger("python_multipart")
    if not parser_log.handlers:
        parser_log.addHandler(logging.NullHandler())
    site = Site(workbench, CsrfToken(secret))
    interviews = InterviewPages(site)
    routes = [
        Route("/", site.questions),
        Route("/practice/{question}", first_depth("practice")),
        Route("/practice/{question}/{depth}", site.practice, methods=["GET", "POST"]),
        Route("/attempts/{ref}", site.attempt),
        Route("/progress", site.progress),
        Route("/progress/report", site.report),
        Route("/interview", interviews.start, methods=["GET", "POST"]),
        Route("/interview/{key}", interviews.step, methods=["GET", "POST"]),
        Route("/interview/{key}/turn/{index:int}/{kind}", interviews.turn),
        Route("/interview/{key}/finish", interviews.finish, methods=["POST"]),
        Route("/interviews", interviews.reports),
        Route("/interviews/{ref}", interviews.report),
        Route("/interviewer", site.interviewer_index),
        Route("/interviewer/{question}", first_depth("interviewer")),
        Route("/interviewer/{question}/{depth}", site.interviewer, methods=["GET", "POST"]),
        Route("/interviewer/{question}/{depth}/sheet", site.sheet),
        Route("/api/score", site.api_score, methods=["POST"]),
        Route("/api/questions", site.api_questions),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(HostCheck, host=host), Middleware(BodyLimit, limit=body_limit)]
    return _Guarded(routes=routes, middleware=middleware,
                    exception_handlers={GencoError: site.genco_error, HTTPException: site.http_error,
                                        Exception: site.server_error})


class _Guarded(Starlette):
    """Starlette with SecurityHeaders outside everything, so even its own 500 response (sent by
    the outermost ServerErrorMiddleware, outside the `middleware` list) carries the headers."""

    def build_middleware_stack(self) -> Any:
        return SecurityHeaders(super().build_middleware_stack())


def _learners_report(db: str | None, written: Callable[..., str]) -> str:
    """The learner's progress report of `db` as `written` (report_body, report_html) gives it, without the
    source column: read and written together in a worker thread, since on a long history writing it takes
    seconds (40,000 attempts), which on the event loop held up every other page."""
    return written(progress_report(db), show_source=False)


class Site:
    """The pages' handlers, sharing the workbench, the form token and the templates."""

    def __init__(self, workbench: Workbench, token: CsrfToken) -> None:
        self.bench = workbench
        self.token = token
        self.lock = threading.Lock()
        self.folders = known_folders(workbench.db)
        env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True, finalize=_printable)
        env.globals.update(nav=NAV, csrf=token.value, draft_name=draft_name, INTERVIEWER=INTERVIEWER,
                           red_flags_cost=red_flags_cost, red_flags_heading=red_flags_heading,
                           dismissed_red_flags=dismissed_red_flags, mark_of=mark_of, candidate_name=candidate_name,
                           red_flags_cell=red_flags_cell, uncertain_note=UNCERTAIN_NOTE, undone_note=UNDONE_NOTE,
                           comparison_legend=legend, named_and_described=named_and_described,
                           why_to_add=why_to_add, missed_heading=missed_heading)
        env.filters["clock"] = clock
        env.filters["counted"] = counted
        env.filters["prose"] = prose
        env.filters["inline"] = lambda text: Markup(html_inline(text))  # one line of rubric text, `code` kept
        env.filters["when"] = readable_time
        env.filters["who"] = who
        env.filters["score"] = attempt_score  # "damaged" for a stored score edited by hand, as `genco history` says
        env.globals["damaged"], env.globals["damaged_date"] = DAMAGED, DAMAGED_DATE
        self.templates = Jinja2Templates(env=env)

    def page(self, request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    async def scoring(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` in a worker thread, one at a time (the model and scorers are shared)."""
        def locked() -> T:
            with self.lock:
                return work(*args)
        return await run_in_threadpool(locked)

    async def history(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work(*args, **kwargs)`, which reads or writes the history, in a worker thread: a history
        locked by another process makes a write wait up to its busy timeout, and the event loop must
        keep serving every other page meanwhile."""
        return await run_in_threadpool(work, *args, **kwargs)

    def shown(self, message: str) -> str:
        """`message` as a page shows it (`shown`), this site's history folder cut whole. A message whose
        paths were cut goes whole to the terminal running the server, the user's own: where a recovery
        file is, say, must be findable without the page giving it away."""
        page = shown(message, self.folders)
        if page != " ".join(message.split()):
            print(f"genco serve: {one_line(message)}", file=sys.stderr, flush=True)
        return page

    async def form(self, request: Request) -> dict[str, str]:
        """The posted form's text fields, after checking its CSRF token (403 without the right one;
        the error page then shows what was typed, so it survives without the browser's draft)."""
        data = await request.form()
        fields = _text_fields(data)
        if not self.token.matches(data.get("csrf")):
            raise FormRejected(typed_text(fields))
        if (twice := _typed_twice(data)) is not None:
            raise FormRejected(twice, 400, "this form sent one typed field twice, each time with other text; "
                                           "genco keeps neither, to lose neither: send one")
        if (name := _chosen_twice(data)) is not None:
            raise FormRejected(typed_text(fields), 400, f"this form sent '{name}' more than once, with other values: "
                                                        "send one")
        return fields

    @staticmethod
    async def typed_in(request: Request) -> str:
        """What a posted form that failed holds typed (TYPED_FIELDS), to show back on the error page: a
        question renamed while its page was open must not take the answer with it. Empty for anything
        but a browser form, or when the form cannot be read (any more)."""
        if request.method != "POST" or request.url.path.startswith("/api/"):
            return ""
        try:
            data = await request.form()
        except (RuntimeError, ClientDisconnect, MultiPartException):  # a body already read, cut off or malformed
            return ""
        return typed_text(_text_fields(data))

    # errors

    async def genco_error(self, request: Request, exc: Exception) -> Response:
        """The error page with the error's status (status_of), and what a refused form held typed."""
        typed = await self.typed_in(request)
        message = str(exc) + (COPY_IT_FIRST if typed else "")
        return self.error(request, status_of(exc), message, typed)

    async def server_error(self, request: Request, exc: Exception) -> Response:
        """A bug: a short page (or JSON on /api/) instead of Starlette's bare text; uvicorn logs the traceback."""
        return self.error(request, 500, "genco hit an unexpected error; the terminal running genco serve shows it")

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return self.error(request, exc.status_code, exc.detail, getattr(exc, "typed", ""))

    def error(self, request: Request, status: int, message: str, typed: str = "") -> Response:
        """The error as {"error": message} on /api/, else the error page, with `typed` (what the refused
        form held) shown to copy back; absolute paths show as file names."""
        message = self.shown(message)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return self.page(request, "error.html", status, message=message, status=status, typed=typed)

    # learner pages

    async def questions(self, request: Request) -> Response:
        bank = askable()
        tag = request.query_params.get("tag") or None
        tags = sorted({t for r in bank for t in r.tags})
        listed = [r for r in bank if tag is None or tag in r.tags]
        try:  # the attempts a damaged score or date left out of the plan are said, as `genco next` says them
            (suggestion, _, left_out), warning = await self.history(next_plan, self.bench.db), None
        except HistoryError as exc:  # the bank stays usable without the history
            suggestion, left_out, warning = None, [], self.shown(f"No suggestion of what to practise next: {exc}")
        return self.page(request, "questions.html", bank=listed, tags=tags, tag=tag, suggestion=suggestion,
                         left_out=left_out, warning=warning)

    async def practice(self, request: Request) -> Response:
        rubric, depth = resolve(request.path_params["question"], request.path_params["depth"])
        if request.method in READING:
            return self.page(request, "practice.html", rubric=rubric, depth=rubric.depth(depth))
        fields = await self.form(request)
        answer = fields.get("answer", "").replace("\r\n", "\n")
        if nothing_to_score(answer):  # as the terminal does: nothing to score is asked again, never kept as a 0
            said = ("is empty" if not answer.strip() else "only points to a page: say what it explains in your words"
                    if only_points_to_a_page(answer) else "has no words to score (only another speaker's lines, or none)")
            return self.page(request, "practice.html", 400, rubric=rubric, depth=rubric.depth(depth), typed=answer,
                             error=f"The answer {said}: type your answer, then send it.")
        card = await self.scoring(self.bench.score, rubric, depth, answer)
        try:
            saved = await self.history(self.bench.save, [card], [answer], seconds=_seconds(fields.get("seconds")))
        except GencoError as exc:  # the history is unusable: show the result anyway, with why it was not kept
            return self.result(request, rubric, card, answer, None, warning=self.shown(str(exc)))
        return RedirectResponse(f"/attempts/{saved.numbers[0]}?scored=1", 303)

    async def attempt(self, request: Request) -> Response:
        try:
            found, card, rubric = await self.history(find_attempt, self.bench.db, request.path_params["ref"])
        except AttemptReplaced as exc:  # an old link to a regraded transcript: its current grade, which says so
            return RedirectResponse(f"/attempts/{exc.by}", 303)
        except InputError:  # the history's words name a terminal command and the file
            raise HTTPException(404, f"no attempt {quoted(request.path_params['ref'])} in the history; Progress "
                                     "lists the attempts kept") from None
        # Only the page a submission lands on clears that answer's draft: an old attempt opened later must not.
        owner = (INTERVIEWER,) if found.source == "interviewer" else ()
        landed = request.query_params.get("scored") == "1"
        draft = draft_name(*owner, found.question, found.depth) if landed else None
        kept_at = self._kept_at(request)
        return self.result(request, rubric, card, found.answer, found.id, kept_grade=found.grade, draft=draft,
                           candidate=found.source == "interviewer", seconds=found.seconds, score_damaged=found.score_damaged,
                           scored_at=kept_at if landed and kept_at else _epoch_ms(found.created_at))

    def _landing(self, number: int, replaced: int | None) -> str:
        """The address a kept grade's page opens at. A regrade keeps the replaced grade's time, older
        than the draft the page must clear, so its address says when it was kept, sealed: a link made
        elsewhere with a later time would clear a draft typed since."""
        if replaced is None:
            return f"/attempts/{number}?scored=1"
        at = round(datetime.now().timestamp() * 1000)
        return f"/attempts/{number}?scored=1&at={at}&seal={self.token.seal(f'{number}:{at}')}"

    def _kept_at(self, request: Request) -> int | None:
        """When the attempt was kept, as `_landing` wrote it (ms since the epoch); None unsealed."""
        at = _number(request.query_params.get("at"))
        sealed = at is not None and self.token.sealed(f"{request.path_params['ref']}:{at}", request.query_params.get("seal"))
        return at if sealed else None

    def result(self, request: Request, rubric: Rubric | None, card: ScoreCard, answer: str, number: int | None,
               warning: str | None = None, kept_grade: dict[str, Any] | None = None, draft: str | None = None,
               candidate: bool = False, scored_at: int | None = None, seconds: float | None = None,
               score_damaged: bool = False) -> Response:
        """A score card on its page; `draft` names the kept draft the page clears (the answer it scored,
        kept at `scored_at`, ms since the epoch: genco.js leaves a draft sent after that alone),
        `candidate` says the answer is a candidate's, not the reader's, `seconds` how long it took (as the
        terminal's card says it, against the depth's budget), `score_damaged` that a kept card's score stands
        in for one damaged by hand (Attempt.score_damaged): shown as damaged, with no band."""
        depth = rubric.depth(card.depth) if rubric and card.depth in rubric.depth_names else None
        taken = None if seconds is None or depth is None else against_budget(seconds, depth.time_budget_minutes)
        return self.page(request, "result.html", rubric=rubric, depth=depth, card=card, number=number, kept_grade=kept_grade,
                         draft=draft, scored_at=scored_at, candidate=candidate, taken=taken, score_damaged=score_damaged,
                         pieces=pieces(answer, card), warning=warning, uncertain=UNCERTAIN_NOTE in card.notes,
                         notes=[n for n in card.notes if n != UNCERTAIN_NOTE], band=rubric.band(card.score) if rubric else None,
                         fuller_hint=fuller_hint(candidate))

    async def progress(self, request: Request) -> Response:
        attempts, total = await self.history(recent_attempts, self.bench.db, HISTORY_ROWS)
        report = Markup(await self.history(_learners_report, self.bench.db, report_body))
        return self.page(request, "progress.html", attempts=attempts, total=total, report=report,
                         uncertain_note=UNCERTAIN_NOTE)

    async def report(self, request: Request) -> Response:
        return HTMLResponse(await self.history(_learners_report, self.bench.db, report_html))

    # interviewer pages

    async def interviewer_index(self, request: Request) -> Response:
        """The bank to grade from, then the candidates graded so far side by side (`genco candidates`); a
        history that cannot be read leaves the comparison out with why, never the page."""
        try:
            compared, unread = await self.history(candidate_comparison, self.bench.db), None
        except HistoryError as exc:
            compared, unread = None, self.shown(f"Your candidates cannot be compared: {exc}")
        return self.page(request, "interviewer_index.html", bank=askable(), compared=compared, unread=unread)

    async def sheet(self, request: Request) -> Response:
        rubric, depth = resolve(request.path_params["question"], request.path_params["depth"])
        return HTMLResponse(get_writer("sheet", "html")(None, rubric, depth))

    async def interviewer(self, request: Request) -> Response:
        rubric, depth = resolve(request.path_params["question"], request.path_params["depth"])
        context: dict[str, Any] = {"rubric": rubric, "depth": rubric.depth(depth), "statuses": list(OVERRIDE_CREDIT),
                                   "grade": None, "fields": {}, "name_limit": CANDIDATE_NAME_LIMIT,
                                   "sheet": Markup(sheet_sections(rubric, depth))}
        if request.method in READING:
            return self.page(request, "interviewer.html", **context)
        fields = await self.form(request)
        context["fields"] = fields
        transcript = fields.get("transcript", "").replace("\r\n", "\n")
        concepts = [cid for cid, _ in rubric.depth(depth).concepts]
        marks = posted_marks(fields)
        candidate = _posted_text(fields.get("candidate"))
        if (problem := candidate_name_problem(candidate)) is not None:
            return self.page(request, "interviewer.html", 400, **context, error=f"The candidate's name {problem}.")
        if nothing_to_score(transcript, candidate, transcript=True):
            return self.page(request, "interviewer.html", 400, **context,
                             error="The transcript has no words from the candidate: paste their answer, then grade it.")
        problem = _override_problem(marks, concepts)
        if problem:  # the form's selects cannot send one; a hand-made post gets the form back, transcript kept
            return self.page(request, "interviewer.html", 400, **context, error=problem)
        shown = _posted_number(fields.get("shown-judgement"))  # the grade whose judgement the form showed
        grade = await self.scoring(self.bench.grade, rubric, depth, transcript,
                                   [f"{cid}={status}" for cid, status in marks.items()],
                                   candidate, _posted_text(fields.get("note")),
                                   bool(fields.get("dismiss-red-flags")),
                                   False, False, shown)  # not adding, not starting over: the form's is the whole judgement
        status = 200
        if fields.get("action") == "keep" and shown is not None and grade.regrades not in (None, shown):
            # Replaced since the form showed it: kept, the form's whole judgement would drop what was added there
            # unseen, and added to it, what the form took away would come back. The form keeps what it holds.
            context["error"] = (f"Not kept: this transcript's grade was kept again since this form showed it (by "
                                f"another window or the command line; it is attempt {grade.regrades} now), so the form "
                                "may lack what was added there. Check that grade, then keep this form again to replace "
                                "it with what the form holds.")
            status = 409
        elif fields.get("action") == "keep":  # then to the kept attempt, so a reload cannot keep it twice
            try:
                kept = await self.history(self.bench.keep_grade, grade, transcript)
                return RedirectResponse(self._landing(kept.numbers[0], kept.replaced), 303)
            except GencoError as exc:  # a note too long (400), an unusable history: the grade and the transcript stay
                context["error"] = self.shown(f"Not kept in your history: {exc}")
                status = 400 if status_of(exc) == 400 else 200  # the grade itself is shown, as the practice page shows a result
        context.update(grade=grade, pieces=pieces(transcript, grade.card), uncertain=UNCERTAIN_NOTE in grade.card.notes,
                       notes=[n for n in grade.card.notes if n != UNCERTAIN_NOTE])  # whose lines were scored, as the CLI says
        return self.page(request, "interviewer.html", status, **context)

    # JSON

    async def api_score(self, request: Request) -> Response:
        """{"question", "depth", "answer", "save"?} -> exactly what `genco score --format json` prints."""
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise HTTPException(415, "send the request as Content-Type: application/json")
        try:
            body = decode_json((await request.body()).decode("utf-8-sig"))  # a leading byte order mark is no error
        except UnicodeDecodeError:
            raise HTTPException(400, "the body is not JSON: it is not UTF-8 text") from None
        except ValueError as exc:  # malformed, nested too deeply, a lone surrogate: one line each
            raise HTTPException(400, f"the body is not JSON: {exc}") from None
        try:  # "Answer" or "deph" would count for nothing without a word, as in a batch; said before what is missing
            if isinstance(body, dict):
                refuse_near_misses(body, "the body", API_KEYS, SPELLED_KEYS)
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None
        if not isinstance(body, dict) or not isinstance(body.get("answer"), str):
            raise HTTPException(400, 'send a JSON object with "answer" (text) and optionally "question", "depth", "save"')
        names = [body.get("question"), body.get("depth")]
        if any(n is not None and not isinstance(n, str) for n in names) or not isinstance(body.get("save", True), bool):
            raise HTTPException(400, '"question" and "depth" must be text and "save" true or false')
        rubric, depth = resolve(*names)
        card = await self.scoring(self.bench.score, rubric, depth, body["answer"])
        attempt, unkept = None, None
        if body.get("save", True) and not nothing_to_score(body["answer"]):
            try:
                attempt = (await self.history(self.bench.save, [card], [body["answer"]])).numbers[0]
            except HistoryError as exc:  # the attempt went to the recovery file; the score is not lost with it
                unkept = exc
        text = clean(get_writer("card", "json")(None, card, rubric, attempt))  # the attempt it was kept as, or null
        if unkept is not None:
            return JSONResponse({"error": self.shown(str(unkept)), "card": json.loads(text)}, status_code=503)
        return Response(text + ("" if text.endswith("\n") else "\n"), media_type="application/json")

    async def api_questions(self, request: Request) -> Response:
        return JSONResponse([_question_json(r) for r in askable()])


API_KEYS = ("question", "depth", "answer", "save")
"""The fields of a POST to /api/score."""


def first_depth(page: str) -> Callable[[Request], Awaitable[Response]]:
    """A route that sends /PAGE/QUESTION to the question's first depth, /PAGE/QUESTION/DEPTH."""
    async def redirect(request: Request) -> Response:
        rubric, depth = resolve(request.path_params["question"], None)
        return RedirectResponse(f"/{page}/{rubric.id}/{depth}", 303)
    return redirect


def status_of(exc: Exception) -> int:
    """The HTTP status of a GencoError: a name that does not exist is 404, bad input 400, an unusable
    history file or rubric file 503 (the pages that need it cannot work until it is moved aside or mended: a
    `rubric new` skeleton with a shipped question's id on GENCO_RUBRICS), anything else 500 (a bug)."""
    return (404 if isinstance(exc, UnknownName) else 400 if isinstance(exc, InputError | UsageProblem)
            else 503 if isinstance(exc, HistoryError | RubricError) else 500)


def _posted_text(value: str | None) -> str | None:
    """A form's candidate name or note, None when blank or only invisible characters (a zero-width space): the
    field left empty, as the command's option left out. Read as given, a name "   " or a note of one line
    break replaced Yuki's grade on the transcript, note and override lost, where an empty field kept them."""
    from ..text.reading import strip_invisible

    return value if value is not None and strip_invisible(value).strip() else None


def _posted_number(value: str | None) -> int | None:
    """A hidden field's attempt number (the grade whose judgement the form showed), None when absent or not one."""
    return int(value) if value is not None and value.isascii() and value.isdigit() and len(value) < 19 else None


TYPED_FIELDS = ("candidate", "answer", "transcript", "note")
"""Form fields a person typed: a refused form shows them back (the candidate's name too, beside the transcript)."""

OVERRIDE_FIELD = "override-"
"""The interviewer form's field for a concept's mark starts so, its concept's id follows."""


COPY_IT_FIRST = " (what you typed is below: copy it first)"
"""What an error page adds to its message when it shows a refused form's text."""


def posted_marks(fields: Mapping[str, str]) -> dict[str, str]:
    """The interviewer's marks in a posted form, {concept id: mark}; a select left blank is no mark."""
    return {name.removeprefix(OVERRIDE_FIELD): value for name, value in fields.items()
            if name.startswith(OVERRIDE_FIELD) and value}


def _override_problem(posted: Mapping[str, str], concepts: Iterable[str]) -> str | None:
    """Why the posted concept marks ({concept id: mark}, posted_marks) cannot be used, or None: a mark no
    select offers, or a concept the depth has not (a hand-made post; `genco grade --override` refuses
    both, so the page does too)."""
    unknown = sorted(set(posted) - set(concepts))
    if unknown:
        return f"unknown concept {', '.join(unknown)} at this depth: mark only the concepts on the form"
    twice = next((cid for cid, status in sorted(posted.items()) if MARKED_TWICE in status), None)
    if twice is not None:
        return f"{twice} is marked both {posted[twice]}: mark each concept once"
    statuses = sorted({status for status in posted.values() if status not in OVERRIDE_CREDIT})
    if statuses:
        return f"unknown mark {', '.join(statuses)}: choose one of {', '.join(OVERRIDE_CREDIT)}"
    return None


def _text_fields(data: FormData) -> dict[str, str]:
    """A posted form's text fields (an uploaded file is none); a concept's mark sent twice, differently (a
    hand-made post), keeps both, joined by MARKED_TWICE, for _override_problem to refuse as `genco grade` does."""
    fields = {k: v for k, v in data.items() if isinstance(v, str)}
    for name in fields:
        marks = list(dict.fromkeys(v for v in data.getlist(name) if isinstance(v, str) and v))
        if name.startswith(OVERRIDE_FIELD) and len(marks) > 1:
            fields[name] = MARKED_TWICE.join(marks)
    return fields


MARKED_TWICE = " and "
"""How a concept's two marks posted at once are joined (_text_fields)."""


def _typed_twice(data: FormData) -> str | None:
    """The texts of a typed field (TYPED_FIELDS) a form sent more than once, not all alike, that hold
    anything, one paragraph each ("" when none does), else None. A browser sends each once; a hand-made
    post that sends two answers kept only the last, and the first was lost without a word (the JSON API
    refuses a key given twice), also when the last was empty."""
    for name in TYPED_FIELDS:
        if sent := _unlike_copies(data, name):
            return "\n\n".join(dict.fromkeys(text for text in sent if text.strip()))
    return None


def _unlike_copies(data: FormData, name: str) -> list[str]:
    """The texts a form sent under `name` when it sent more than one, not all alike, else []."""
    sent = [v for v in data.getlist(name) if isinstance(v, str)]
    return sent if len(set(sent)) > 1 else []


def _chosen_twice(data: FormData) -> str | None:
    """The first field other than a typed one or a concept's mark (refused with their own messages) that a form
    sent more than once, not all alike, else None. A browser sends each once; a hand-made post of the
    interview form with count=1 and count=5 started 5 questions without a word."""
    for name in dict.fromkeys(data.keys()):
        if name not in TYPED_FIELDS and not name.startswith(OVERRIDE_FIELD) and _unlike_copies(data, name):
            return name
    return None


def typed_text(fields: dict[str, str]) -> str:
    """The typed fields of a form (TYPED_FIELDS) that hold anything, one paragraph each."""
    return "\n\n".join(fields[k] for k in TYPED_FIELDS if fields.get(k, "").strip())


EXPIRED_FORM = "this form has expired or did not come from genco: reload the page and send it again"


class FormRejected(HTTPException):
    """A form refused before anything is done with it (403 without the right CSRF token), carrying what
    was typed in it, which its error page shows back."""

    def __init__(self, typed: str, status: int = 403, message: str = EXPIRED_FORM) -> None:
        super().__init__(status, message + (COPY_IT_FIRST if typed else ""))
        self.typed = typed


def prose(text: str, lead: str = "") -> Markup:
    """Rubric prose as paragraphs with its `code` spans (views/markup.html_paragraphs); `lead` (plain
    text, escaped) opens the first paragraph, e.g. "Good reply: "."""
    paragraphs = html_paragraphs(text)
    return Markup(paragraphs.replace("<p>", f"<p>{escape(lead)}", 1) if lead else paragraphs)


def shown(message: str, folders: Sequence[str] = ()) -> str:
    """`message` as a page shows it: one line, control characters cleaned, and every absolute
    path cut to its file name (a page may be read over someone's shoulder or on the network).

    `folders` are ones genco knows its files are in (the history's, genco's home): they are cut
    whole first, since the pattern for paths it does not know stops at a space in a folder's name
    ("/home/Jane Doe/genco/history.sqlite3")."""
    text = " ".join(message.split())
    for folder in sorted(folders, key=len, reverse=True):  # only where a path starts: "a/" must not cut "data/"
        text = re.sub(r"(?<![^\s(`'\"])" + re.escape(folder.rstrip("/\\") + os.sep), "", text)
    return clean(ABSOLUTE_PATH.sub("", text))


def known_folders(db: str | None) -> tuple[str, ...]:
    """The folders a message about genco's own files names: the history's (as given, relative or not,
    and resolved), the rubric folders, genco's home and the user's home."""
    history = Path(db) if db else default_path()
    candidates = {history.parent, history.expanduser().resolve().parent, genco_home(), Path.home(), *rubric_dirs()}
    return tuple(str(folder) for folder in candidates if str(folder) not in (".", folder.anchor))


def _printable(value: Any) -> Any:
    """Every value a template prints, text without control characters (`output.clean`): a name or
    answer kept with a NUL or an ESC in it is shown without them, as the terminal shows it."""
    if isinstance(value, Markup):
        return Markup(clean(value))
    return clean(value) if isinstance(value, str) else value


def _question_json(rubric: Rubric) -> dict[str, Any]:
    return {"id": rubric.id, "title": rubric.title, "tags": list(rubric.tags),
            "depths": [{"name": d.name, "question": d.question, "time_budget_minutes": d.time_budget_minutes}
                       for d in rubric.depths]}


def _seconds(raw: str | None) -> float | None:
    """The practice time the page measured, when it is a plausible number of seconds written as the page
    writes one (ASCII: float() also reads "٣" and "1_0")."""
    if not raw or not raw.isascii() or "_" in raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 < value <= MAX_SECONDS else None


def run(app: Starlette, sock: socket.socket) -> None:
    """Serve `app` with uvicorn on an already listening socket until interrupted. uvicorn shuts
    down gracefully on Ctrl-C (waiting at most SHUTDOWN_WAIT seconds for the requests under way) and then
    raises it again, so the command exits like any other."""
    import uvicorn

    # "error": uvicorn's warnings (a malformed request another program sent) are not the user's concern
    config = uvicorn.Config(app, log_level="error", lifespan="off", timeout_graceful_shutdown=SHUTDOWN_WAIT)
    logging.getLogger("uvicorn.error").addFilter(_left_at_shutdown)  # after Config, which sets uvicorn's logging up
    _server(uvicorn.Server)(config).run(sockets=[sock])


def _server(base: type) -> type:
    """uvicorn's Server, shutting down gracefully on every signal genco stops on (interrupts.SIGNALS), not only
    SIGINT and SIGTERM. SIGHUP and SIGQUIT (Ctrl+backslash) reached genco's own handler, which raised its
    interrupt inside whatever request was running: the answers under way got a 500 and were not kept, or the
    interrupt was swallowed and the server went on. Once stopped, the signals are raised again, as uvicorn
    does, so the command ends as on Ctrl-C (exit 130)."""
    from ..interrupts import SIGNALS

    class Server(base):  # type: ignore[misc, valid-type]
        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            original = {number: signal.signal(number, self.handle_exit) for number in SIGNALS}
            try:
                yield
            finally:
                for number, handler in original.items():
                    signal.signal(number, handler)
            for number in reversed(self._captured_signals):
                signal.raise_signal(number)

    return Server


def _left_at_shutdown(record: logging.LogRecord) -> bool:
    """uvicorn's log without what stopping after SHUTDOWN_WAIT writes: that it cancels the requests still under
    way, and each one's CancelledError as "Exception in ASGI application" with a traceback. Ctrl-C asked for it."""
    cancelled = record.exc_info is not None and isinstance(record.exc_info[1], asyncio.CancelledError)
    return not cancelled and "graceful shutdown exceeded" not in record.getMessage()


SHUTDOWN_WAIT = 10
"""Seconds Ctrl-C waits for the requests under way before the server stops (an answer is scored and kept in well
under one); uvicorn waited for ever on a client that had sent half a body and nothing since."""


def _number(raw: str | None) -> int | None:
    """A query parameter's whole number, None for one missing or not a number."""
    return int(raw) if raw is not None and raw.isascii() and raw.isdigit() and len(raw) < 16 else None  # "²" is a digit


def _epoch_ms(stamp: str) -> int | None:
    """An attempt's ISO 8601 time as milliseconds since the epoch (what a browser's Date.now() counts);
    None for a damaged one."""
    try:
        return round(datetime.fromisoformat(stamp).timestamp() * 1000)
    except (TypeError, ValueError):
        return None
