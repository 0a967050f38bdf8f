"""`genco interview`: a mock interview in the terminal. Parses options, calls the application layer's
interview use cases (app/interviews.py) step by step, renders with views/interview.py; the answers are read
as `genco practice` reads them (cli_answer.py), so a typed answer is never lost."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from . import cli_answer
from .app.history import check_history
from .app.interviews import (
    INTERVIEW_QUESTIONS,
    InterviewNotKept,
    delete_interview,
    finish_interview,
    interview_report,
    interview_reports,
    interview_rubric,
    kept_interview,
    plan_interview,
    start_interview,
)
from .app.workbench import Workbench
from .cli_answer import ask_until_answered, kept_as_draft
from .cli_history import DB_OPTION
from .cli_support import (
    BACKEND_OPTION,
    MODEL_OPTION,
    emit,
    format_spelling,
    lower_case,
    make_console,
    no_save_option,
    prompt_console,
    say_error,
)
from .cli_usage import Command
from .interrupts import held

if TYPE_CHECKING:
    from rich.console import Console

    from .interview.mock import InterviewReport, InterviewSession


@click.command(cls=Command, short_help="A mock interview: timed questions, follow-ups, a report.")
@click.option("--count", "-n", type=click.IntRange(1, 20), default=INTERVIEW_QUESTIONS, show_default=True,
              help="How many questions.")
@click.option("--tag", metavar="TAG", help="Questions drawn at random among this tag's (see `genco rubric list`).")
@click.option("--depth", "-d", metavar="DEPTH", callback=lower_case, help="Ask every question at this depth (default: the scheduler's, or random).")
@click.option("--seed", type=int, metavar="N", help="Draw the questions at random, repeatably.")
@click.option("--editor", is_flag=True, help="Write each answer in $EDITOR instead of the terminal.")
@click.option("--json", "as_json", is_flag=True, help="The final report (or --list, --show) as JSON on stdout; "
              "the questions go to stderr.")
@click.option("--list", "list_kept", is_flag=True, help="List the kept interview reports instead of interviewing.")
@click.option("--show", "show_number", metavar="N", help="Show kept interview report N (or 'last') again.")
@click.option("--delete", "delete_number", metavar="N", help="Delete kept interview report N (or 'last'); its "
              "answers stay in your history. A terminal asks first.")
@click.option("--yes", "-y", is_flag=True, help="With --delete: do not ask for confirmation.")
@MODEL_OPTION
@BACKEND_OPTION
@DB_OPTION
@no_save_option("this interview (its answers and its report)")
@format_spelling
def interview(count: int, tag: str | None, depth: str | None, seed: int | None, editor: bool, as_json: bool,
              list_kept: bool, show_number: str | None, delete_number: str | None, yes: bool, model: str | None,
              backend: str | None, db: str | None, no_save: bool) -> None:
    """A mock interview: N questions under their time budgets, each with a follow-up, then a report.

    The questions are what your history says is due (as `genco next` picks), or with --tag or
    --seed drawn at random. After each answer you see a compact score and the interviewer's
    follow-up probe for your weakest concept; answer it too. The report (per question and
    overall, what to practise next) is kept in your history unless --no-save, and each answer
    counts as a practice attempt. Ctrl-C keeps the answer you were typing as a draft, and the
    report of the questions answered so far.
    Each reply ends with two empty lines (also when the replies are piped in).

    \b
    Examples:
      genco interview
      genco interview --count 2 --tag asyncio --depth detailed
      genco interview --seed 7 --json > report.json
      genco interview --list
      genco interview --show last
      genco interview --delete 3
    """
    console = make_console()
    if list_kept or show_number is not None or delete_number is not None:
        _kept_reports(console, list_kept, show_number, delete_number, yes, as_json, db)
        return
    if yes:
        raise click.UsageError("--yes means nothing without --delete, which asks before it deletes a kept report")
    from .views.interview import fewer_questions_line

    plan = plan_interview(db, count, tag, depth, seed)
    if not no_save:  # a history that cannot keep the replies is said before the first one is typed
        check_history(db)
    if (fewer := fewer_questions_line(plan, count, tag, depth)) is not None:
        say_error(fewer)
    session = start_interview(plan, save=not no_save)
    talk = make_console(err=True) if as_json else prompt_console(console)
    with _kept_if_cut_short(db, session, console, as_json):
        _run(talk, Workbench(model, backend, db), session, editor)
    _finish(console, db, session, as_json)


def _finish(console: Console, db: str | None, session: InterviewSession, as_json: bool) -> None:
    """Keep the report, then show it; a history that cannot take it shows it all the same (it is in the
    recovery file), then the error that says where. An interrupt while a kept report prints says where
    it is kept."""
    from .views.interview import cut_short_line, render_kept

    try:
        report = finish_interview(db, session)
    except InterviewNotKept as exc:
        emit("interview", "json" if as_json else "text", exc.report, db, console=console)
        raise
    try:
        emit("interview", "json" if as_json else "text", report, db, console=console)
        if report.number is not None and not as_json:
            render_kept(console, report.number, db)
    except KeyboardInterrupt:
        if report.number is None:
            raise
        cli_answer.interrupted(f"interrupted; {cut_short_line(report, db=db)}")


@contextmanager
def _kept_if_cut_short(db: str | None, session: InterviewSession, console: Console, as_json: bool) -> Iterator[None]:
    """An interview that stops before its end (Ctrl-C, SIGTERM, a closed terminal, a failure) keeps
    the report of the questions answered so far and says so in one line on stderr; with --json that
    report is printed on stdout too, so a tool reads JSON either way, and with --no-save it is
    printed (it is kept nowhere else). Then the interrupt ends the command with exit 130 (the reply
    being typed is kept as a draft by cli_answer, which has said so already), and a failure goes on
    to its own one-line error."""
    try:
        yield
    except BaseException as exc:
        report, said = _keep_what_was_answered(db, session)
        if report is not None and (as_json or (report.answered and not session.save)):
            with held(), suppress(OSError):  # a reader gone or a second signal must not cut the report short
                emit("interview", "json" if as_json else "text", report, db, console=console)
        if isinstance(exc, KeyboardInterrupt):
            cli_answer.interrupted(f"interrupted; {said}" if said else "interrupted")
        if said:
            _tell(said)
        raise


def _keep_what_was_answered(db: str | None, session: InterviewSession) -> tuple[InterviewReport | None, str | None]:
    """Keep the report of an interview cut short, held against a second interrupt: the report (as far
    as it went, nothing answered perhaps; None only after a second interrupt), and the line that says
    where it is kept (the history, or the recovery file when the history failed, or nowhere with
    --no-save), None when nothing was answered."""
    from .views.interview import cut_short_line

    report, problem = None, None
    try:
        with held():
            report = finish_interview(db, session)
    except InterviewNotKept as exc:
        report, problem = exc.report, str(exc)
    except KeyboardInterrupt:  # a second interrupt while the report was kept: it is kept, the command ends anyway
        pass
    if report is None or not report.answered:
        return report, None
    return report, cut_short_line(report, problem, db)


def _drafts_of(kind: str) -> AbstractContextManager[None]:
    """A main answer's draft says how to score it; a follow-up reply's only where it is."""
    return cli_answer.replying_to_a_probe() if kind != "answer" else nullcontext()


def _tell(line: str) -> None:
    try:
        click.echo(f"genco: {line}", err=True)
    except OSError:  # the terminal that would show it is gone (SIGHUP)
        pass


KEPT_REPORT_OPTIONS = ("list_kept", "show_number", "delete_number", "as_json", "fmt", "db")
"""The options --list, --show and --delete take (--delete --yes too); every other one plans, asks or scores an
interview."""


def _kept_reports(console: Console, list_kept: bool, show_number: str | None, delete_number: str | None,
                  yes: bool, as_json: bool, db: str | None) -> None:
    """--list (every kept interview), --show N (one kept report) or --delete N, one of them; loads no model."""
    given = [name for name, value in (("--list", list_kept or None), ("--show", show_number), ("--delete", delete_number))
             if value is not None]  # "--show ''" is given too: it names no report
    if len(given) > 1:
        raise click.UsageError(f"give one of --list, --show and --delete, not {' and '.join(given)}")
    reading = {"--list": "--list, which lists the kept reports", "--show": "--show, which shows a kept report",
               "--delete": "--delete, which deletes a kept report"}[given[0]]
    _refuse_interview_options(reading, also_taken=("yes",) if delete_number is not None else ())
    fmt = "json" if as_json else "text"
    if list_kept:
        emit("interviews", fmt, interview_reports(db), db, console=console)
    elif show_number is not None:
        emit("interview", fmt, interview_report(db, show_number), db, console=console)
    else:
        _delete_kept(delete_number, yes, as_json, db)


def _delete_kept(number: str, yes: bool, as_json: bool, db: str | None) -> None:
    """Delete one kept report, named and asked about first at a terminal (as `history delete` does); a
    "no" keeps it and exits 0."""
    from .cli_history import confirmed
    from .views.interview import deleted_interview_json, deleted_interview_line

    found = kept_interview(db, number)
    if not yes and cli_answer.on_terminal() and not confirmed(
            f"Delete {deleted_interview_line(found, asked=True)}? This cannot be undone"):
        click.echo(deleted_interview_json(None) if as_json else f"nothing deleted: interview report {found.id} kept")
        return
    gone = delete_interview(db, found.id)
    click.echo(deleted_interview_json(gone) if as_json else deleted_interview_line(gone))


def _refuse_interview_options(reading: str, also_taken: tuple[str, ...] = ()) -> None:
    """An option that shapes a new interview (--count, --tag, --model...) given with --list, --show or --delete
    (or --yes with the first two) would be ignored without a word, so the person would think it did something:
    a usage error naming it. Only what was typed counts: GENCO_MODEL and the like in the environment are fine."""
    ctx = click.get_current_context()
    given = [param.opts[0] for param in ctx.command.params
             if param.name not in (*KEPT_REPORT_OPTIONS, *also_taken)
             and ctx.get_parameter_source(param.name) == ParameterSource.COMMANDLINE]
    if given:
        raise click.UsageError(f"{' and '.join(given)} {'means' if len(given) == 1 else 'mean'} nothing with {reading}")


def _run(console: Console, bench: Workbench, session: InterviewSession, editor: bool) -> None:
    """Ask every step the session has, in order: each question, then its follow-up probe."""
    from rich.text import Text

    from .views.interview import render_good_answer, render_planned, render_probe, render_reply, render_turn

    total = len(session.records)
    while (step := session.next_step()) is not None:
        index, kind = step
        record = session.records[index]
        rubric, depth = interview_rubric(record.planned), record.planned.depth
        if kind == "answer":
            render_planned(console, index + 1, total, record.planned)
        else:
            probe = record.answer.probe
            render_probe(console, probe, rubric.concept(probe.weakest).name,
                         [rubric.concept(c).name for c in probe.passed_over])
            depth = probe.depth
        started = time.monotonic()
        answered = any(r.answer is not None for r in session.records)
        with _drafts_of(kind):
            answer = ask_until_answered(console, rubric, depth, editor, separated=True, end_allowed=answered,
                                        asked=None if kind == "answer" else record.answer.probe.ask)
        if not answer:  # piped replies ran out: the report covers what was answered
            console.print(Text(f"The replies ended here, before the interview did; the report covers the "
                               f"{sum(r.answer is not None for r in session.records)} of {total} questions answered.",
                               style="yellow"))
            return
        piped = not editor and not cli_answer.on_terminal()
        if piped:
            render_reply(console, answer)
        # A piped answer arrives at once: its time says nothing about the person, so none is kept.
        elapsed = None if piped else time.monotonic() - started
        with _drafts_of(kind), kept_as_draft(answer, rubric.id, depth), console.status("Scoring…"):
            answer_step = bench.answer_turn if kind == "answer" else bench.answer_follow_up
            turn = answer_step(session, index, answer, elapsed)
        render_turn(console, turn)
        if kind != "answer":
            render_good_answer(console, record.answer.probe)
