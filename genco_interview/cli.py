"""The `genco` command: parses options, calls the core, renders. No scoring logic lives here."""

from __future__ import annotations

import errno
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__, cli_answer
from .answers import InputError, nothing_to_score, only_points_to_a_page, read_text
from .app.calibration import calibrate_rubric
from .app.evaluation import evaluate_files
from .app.model import export_model, remove_exports, stale_exports
from .app.questions import pick_question, resolve, resolve_batch, rubric_named
from .app.rubrics import check_meaning, draft_rubric_from_answer, read_rubric_files, validation_exit, write_new_rubric
from .app.workbench import Saved, Workbench, interviewer_marks
from .cli_answer import (
    ask_until_answered,
    go_on_with_draft,
    going_on_with,
    interrupted,
    kept_as_draft,
    kept_if_read_from_stdin,
    let_go_of_resumed_draft,
    offer_waiting_drafts,
    piped_in,
    read_answer_file,
    resumed_draft,
    say_interrupted,
    undecodable_at,
)
from .cli_history import DB_OPTION, candidates, confirmed, history, next_command, report, show
from .cli_interview import interview
from .cli_support import (
    BACKEND_OPTION,
    DEPTH_OPTION,
    FILE_PATH,
    MODEL_OPTION,
    NO_SAVE_OPTION,
    echo_in_pieces,
    emit,
    error_ending,
    file_text,
    format_spelling,
    friendly_errors,
    json_shorthand,
    lower_case,
    output_and_format,
    prompt_console,
    say_error,
)
from .cli_support import make_console as _console
from .cli_usage import Group, show_usage_error, usage_errors_on_one_line
from .cli_web import serve
from .errors import GencoError, command_of, mark_command
from .interrupts import caught_interrupts, end_the_process_with_the_block, held, interrupt_raised
from .outfile import refuse_a_foreign_file, same_file, write_file
from .output import dumps, genco_command, one_line, path_shown, shell_word
from .rubric import (
    RUBRIC_ID,
    RUBRICS_ENV,
    Rubric,
    askable,
    forget_notices,
    is_shipped,
    tagged,
)
from .views.formats import formats

if TYPE_CHECKING:
    from rich.console import Console

    from .card import ScoreCard

FORMATS = click.Choice(formats("card"))


@contextmanager
def _status(message: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr for slow steps, only when stderr is a terminal; yields what changes its text."""
    err = _console(err=True)
    if not err.is_terminal:
        yield lambda text: None
        return
    with err.status(message) as status:
        yield status.update


class _Genco(Group):
    """The top-level group. Arguments are checked to be text before any command sees them, every
    command runs with SIGTERM and SIGHUP raised like Ctrl-C, so an interrupt exits 130, and a usage
    error anywhere (parsing genco's own options, then everything below it) is one line, exit 2.

    click's own handling turns Ctrl-C into "Aborted!" and exit 1; commands that have something
    to keep (a typed answer, a batch's finished chunks) catch the interrupt first.
    """

    group_class = Group

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: object) -> click.Context:
        try:
            with usage_errors_on_one_line(), friendly_errors():
                return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:  # click's own handling would say "Aborted!" and exit 1
            interrupted()
        except BrokenPipeError:  # `genco --help | head`: help and --version print while the arguments are read
            _reader_left()

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            for arg in args:
                _check_text_argument(arg)
        except click.ClickException as exc:  # every argument is checked here, so name the command they are for
            mark_command(exc, _command_named(self, args))
            raise
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        forget_notices()
        try:
            with usage_errors_on_one_line(), caught_interrupts(), friendly_errors():
                return super().invoke(ctx)
        except KeyboardInterrupt:
            interrupted()
        except BrokenPipeError:
            _reader_left()

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands in the order of SECTIONS (who uses them), then any not placed, alphabetically."""
        placed = [name for _, names in SECTIONS for name in names if name in self.commands]
        return placed + sorted(set(self.commands) - set(placed))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`genco --help` lists the commands by who uses them: a learner, an interviewer, a rubric's author."""
        width = formatter.width - 6 - max(map(len, self.commands))
        for title, names in SECTIONS:
            rows = [(name, self.commands[name].get_short_help_str(width)) for name in names if name in self.commands]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


SECTIONS = (
    ("Practise (learners)", ("practice", "interview", "next", "score", "history", "show", "report", "serve")),
    ("Interview (interviewers)", ("grade", "candidates")),
    ("Write and check rubrics (authors)", ("rubric", "eval", "calibrate")),
    ("The model", ("model",)),
)
"""How `genco --help` and the README's command table group the commands."""


def _command_named(group: click.Group, args: list[str]) -> str:
    """The command `args` run ("genco history export"), read before or without click's parsing: what
    a failure's line starts with when no command has marked it."""
    path, current = ["genco"], group
    for arg in args:
        if isinstance(current, click.Group) and arg in current.commands:
            path.append(arg)
            current = current.commands[arg]
    return " ".join(path)


def _check_text_argument(arg: str) -> None:
    """Refuse an argument that is not UTF-8, but for the name of a file that exists (_argument_as_utf8)."""
    bad = undecodable_at(arg)
    if bad is not None and not _existing_path(arg):
        shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        byte = len(arg[:bad].encode("utf-8", "surrogateescape")) + 1  # counted from 1, in bytes, as a file's are
        raise click.ClickException(one_line(f"argument '{shown[:60]}' is not valid UTF-8 (byte {byte}); "
                                            "pass text in UTF-8"))


@click.group(cls=_Genco, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="genco")
def cli() -> None:
    """Practise a technical interview question and get a concept-by-concept score.

    \b
    Examples (start here):
      genco practice                          answer the question at quick depth
      genco practice --depth deep             the hardest version
      genco score -d detailed --answer-file my.txt --format json
      genco rubric show coroutine-vs-generator
      genco history                           your past attempts; genco report for progress
      genco grade -d detailed --answer-file transcript.txt --candidate "A. Lovelace"
      genco eval graded.jsonl                 agreement with human graders

    Scores come from sentence-embedding similarity between your answer and the rubric's
    concepts, computed offline with a bundled model. Colour is used only on a terminal;
    NO_COLOR=1 turns it off.

    Exit codes: 0 success, 1 bad input, 2 usage error (also an unknown question or depth),
    3 warnings with `rubric validate --strict`, 130 interrupted, 141 the reader of the output
    left early; an error is one line on stderr.
    """


@cli.command()
@click.argument("question", required=False)
@DEPTH_OPTION
@click.option("--random", "at_random", is_flag=True, help="A random question from the bank (and a random depth unless --depth).")
@click.option("--tag", metavar="TAG", help="With --random: only questions with this tag (see `genco rubric list`).")
@click.option("--seed", type=int, metavar="N", help="With --random: make the pick repeatable.")
@click.option("--editor", is_flag=True, help="Write the answer in $EDITOR instead of the terminal.")
@click.option("--no-model-answer", is_flag=True, help="Hide the model answer after the score.")
@MODEL_OPTION
@BACKEND_OPTION
@DB_OPTION
@NO_SAVE_OPTION
def practice(question: str | None, depth: str | None, at_random: bool, tag: str | None, seed: int | None,
             editor: bool, no_model_answer: bool, model: str | None, backend: str | None, db: str | None,
             no_save: bool) -> None:
    """Ask QUESTION at a depth, read your answer, and score it.

    QUESTION is a question's id (`genco rubric list`) or a rubric file's path. The model loads in
    the background while you type, so the score appears as soon as you finish. An empty answer asks again; Ctrl-C keeps your draft in a file and says where,
    and the next practice of that question and depth offers to go on with it.
    Each attempt is kept in your history (see `genco history`) unless --no-save, and the
    card ends with what to practise next.

    \b
    Examples:
      genco practice
      genco practice coroutine-vs-generator --depth detailed
      genco practice --depth deep --editor
      genco practice --no-save
      genco practice --random --tag asyncio     any asyncio question, any depth
    """
    from .embedding import BackgroundLoader, resolve_model

    console = _console()
    rubric, depth_name = _choose_question(question, depth, at_random, tag, seed)
    if not no_save:  # a history that cannot be one is said before the answer is typed, not after
        from .progress.database import check_history_path

        check_history_path(db)
    resolve_model(model)
    bench = Workbench(model, backend, db)
    loader = BackgroundLoader(model, backend=backend, warm=partial(bench.warm, rubric=rubric),
                              on_error=_say_the_model_failed, hold_notices=True)
    with _leaving_the_loader_behind(loader), going_on_with():
        answer, elapsed = _take_answer(prompt_console(console), rubric, depth_name, editor, db)
        show = partial(_show_practice_result, console, rubric=rubric, elapsed=elapsed, db=db,
                       show_model_answer=not no_model_answer)
        card, number = _score_and_keep(console, bench, loader, rubric, depth_name, answer, elapsed, no_save, show, db)
        _let_the_taken_draft_go(answer, kept=number is not None, no_save=no_save)
    # an interrupt as the card prints: the attempt kept says where it is; an answer kept nowhere (--no-save) is
    # kept as a draft, as it is while scoring (it was lost with "genco: interrupted")
    with _saved_if_interrupted(lambda: number, db) if number is not None else kept_as_draft(answer, rubric.id, depth_name):
        show(card, number=number)


@contextmanager
def _saved_if_interrupted(saved: Callable[[], int | None], db: str | None,
                          failed: Callable[[], GencoError | None] = lambda: None) -> Iterator[None]:
    """An interrupt once the attempt is kept (`saved` gives its number then) says the attempt is safe
    and how to see it again: while its card prints, or while the save it waited for finished. One that
    waited for a save the history refused (`failed` gives its HistoryError then) says where the attempt
    went instead: "interrupted" alone left it in a recovery file nobody was told of."""
    try:
        yield
    except KeyboardInterrupt:
        from .progress.database import HistoryError

        number, problem = saved(), failed()
        if number is None and isinstance(problem, HistoryError) and problem.recovery is not None:
            _exit_now(say_interrupted(f"interrupted; {problem}"))
        if number is None:
            raise
        _exit_now(say_interrupted(f"interrupted; the attempt was saved as attempt {number}: "
                                    f"{genco_command(f'show {number}', db)}"))


def _score_and_keep(console: Console, bench: Workbench, loader: object, rubric: Rubric, depth: str, answer: str,
                    elapsed: float | None, no_save: bool, show: Callable[..., None],
                    db: str | None) -> tuple[ScoreCard, int | None]:
    """Score the typed answer and keep it, both under a draft that keeps the answer if either fails.
    Kept before anything is shown: an interrupt while the card prints loses nothing; a history that
    cannot be written shows the card first (the attempt is in the recovery file), then its error."""
    number: int | None = None
    # An interrupt during the save waits for it, and is then no reason for a draft: scored again, the
    # draft would be a second copy of the attempt.
    with _saved_if_interrupted(lambda: number, db), kept_as_draft(answer, rubric.id, depth,
                                                                  kept=lambda: number is not None):
        getattr(loader, "release_notices", lambda: None)()  # held while the answer was typed
        with console.status("Scoring…"):
            bench.use(loader.get())
            card = bench.score(rubric, depth, answer)
            if no_save:
                return card, None
            with held():
                try:
                    number = bench.save([card], [answer], seconds=elapsed).numbers[0]
                except GencoError:
                    show(card, number=None)
                    raise
    return card, number


def _take_answer(console: Console, rubric: Rubric, depth: str, editor: bool, db: str | None) -> tuple[str, float | None]:
    """Show the question, offer a waiting draft of it typed for the history `db` (go_on_with_draft), read the
    answer (going on from the draft when taken up); with the seconds it took, or None for a piped answer (it
    arrives at once: its time says nothing about the learner, so none is kept)."""
    from .views.terminal import render_question

    render_question(console, rubric, rubric.depth(depth))
    offer = go_on_with_draft(rubric.id, depth, db)
    started = time.monotonic()
    answer = ask_until_answered(console, rubric, depth, editor, so_far=offer.resumed.text if offer.resumed else offer.typed,
                                shown=offer.resumed is not None)
    return answer, (time.monotonic() - started if editor or cli_answer.on_terminal() else None)


def _let_the_taken_draft_go(answer: str, kept: bool, no_save: bool) -> None:
    """The draft a practice took up is removed once its answer is kept in the history, or scored with --no-save
    when it was typed with --no-save too (as `score` does with it); one left waiting says so, once."""
    from .answers import draft_history

    taken = resumed_draft()
    if taken is None:
        return
    if kept or (no_save and draft_history(taken.path).no_save):
        let_go_of_resumed_draft(answer)
    if resumed_draft() is not None:  # not kept with this answer, or changed meanwhile
        click.echo(one_line(f"genco: the draft {path_shown(str(taken.path))} you went on with still waits "
                            "(delete it to let it go)"), err=True)


def _show_practice_result(console: Console, card: ScoreCard, rubric: Rubric, elapsed: float | None,
                          number: int | None, db: str | None, show_model_answer: bool) -> None:
    """The card, the time against the depth's budget, and (when it was kept) where and what next."""
    from rich.text import Text

    from .views.markup import against_budget
    from .views.terminal import render_card

    render_card(console, card, rubric, show_model_answer=show_model_answer)
    if elapsed is not None:
        budget = rubric.depth(card.depth).time_budget_minutes
        console.print(Text(f"answered in {against_budget(elapsed, budget)}", style="dim"))
    if number is not None:
        from .cli_history import show_saved_and_next

        show_saved_and_next(console, db, number)


def _say_the_model_failed(exc: BaseException) -> None:
    """Runs on the loader's thread: tell a person typing at once that scoring will fail, not after the answer.

    Without a terminal nobody reads it in time, and the error after the answer says it all.
    """
    from .embedding import ModelError

    if not cli_answer.on_terminal():
        return
    problem = str(exc) if isinstance(exc, ModelError) else f"{type(exc).__name__}: {exc}"
    click.echo(f"genco: the model cannot load ({problem}); finish your answer and it will be kept as a draft",
               err=True)


@contextmanager
def _leaving_the_loader_behind(loader: object) -> Iterator[None]:
    """Ends the process at once when practice stops while the model is loading, or once it has loaded.

    Interpreter shutdown with a thread inside torch's or onnxruntime's import aborts in C++
    ("terminate called without an active exception", exit 134) instead of exiting with the
    documented code; os._exit skips that shutdown once the output is flushed.
    """
    try:
        yield
    except KeyboardInterrupt:
        if _still_loading(loader) or _runtime_loaded():
            _exit_now(say_interrupted())
        raise
    except SystemExit as exc:
        if exc.code not in (0, None) and (_still_loading(loader) or _runtime_loaded()):
            _exit_now(exc.code if isinstance(exc.code, int) else 1)
        raise
    except click.ClickException as exc:
        if _still_loading(loader):
            if isinstance(exc, click.UsageError):
                show_usage_error(exc)
            else:
                say_error(exc.format_message(), command_of(exc))
            _exit_now(exc.exit_code)
        raise
    except GencoError as exc:
        if _still_loading(loader) or _runtime_loaded():
            message, code = error_ending(exc)
            say_error(message, command_of(exc))
            _exit_now(code)
        raise


def _still_loading(loader: object) -> bool:
    return bool(getattr(loader, "busy", lambda: False)())


def _runtime_loaded() -> bool:
    """Whether onnxruntime or torch is in the process. Their worker threads can outlive a scoring that
    an interrupt cut short, and interpreter shutdown then aborts as it does mid-load; a practice that
    stops after the model loaded (its draft already kept) leaves the same way."""
    return "onnxruntime" in sys.modules or "torch" in sys.modules


def _exit_now(code: int) -> None:
    """Flush what was printed and leave without interpreter shutdown (a seam for tests)."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when the command was started with that descriptor closed (2>&-)
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _choose_question(question: str | None, depth: str | None, at_random: bool, tag: str | None,
                     seed: int | None) -> tuple[Rubric, str]:
    """The named question, or with --random one drawn from the bank; --tag/--seed only make sense with --random."""
    if at_random and question is not None:
        raise click.UsageError("give either QUESTION or --random, not both")
    if not at_random and (tag is not None or seed is not None):
        raise click.UsageError("--tag and --seed choose among questions; use them with --random")
    return resolve(question, depth, files=True) if not at_random else pick_question(tag, depth, seed)


ONE_SOURCE = "give exactly one of --answer, --answer-file (`--answer-file -` reads stdin) or --input, or pipe the answer in"
"""`genco score`'s usage error when it has no answer, or more than one."""
MODEL_ANSWER_SOURCE = "give one of --answer or --answer-file (`--answer-file -` reads stdin), or pipe the model answer in"
"""`genco rubric from-answer`'s usage error when it has no model answer, or more than one."""
GRADE_SOURCE = "give one of --answer or --answer-file (`--answer-file -` reads stdin), or pipe the transcript in"
"""`genco grade`'s usage error when it has no transcript, or more than one."""


def _answer_source(answer_text: str | None, answer_file: str | None, input_file: str | None,
                   usage: str) -> tuple[str | None, bool]:
    """The answer file to read ('-' for stdin) and whether the answer is piped in with no option
    naming it (`echo "..." | genco score`); a usage error (`usage`) unless exactly one source is given."""
    given = [value for value in (answer_text, answer_file, input_file) if value is not None]
    piped = not given and piped_in()
    if len(given) != 1 and not piped:
        raise click.UsageError(usage)
    return ("-" if piped else answer_file), piped


def _refuse_an_empty_pipe(piped: bool, answer: str, what: str, pipe: str) -> None:
    """A usage error when the `what` was to come piped in (_answer_source) but nothing was, or only blank lines
    (a script's closed stdin): no answer was given, which scoring would take for an empty one."""
    if piped and not answer.strip():
        raise click.UsageError(f"standard input holds no {what} (nothing was piped in, or only blank lines); "
                               f"pipe {pipe} in, or give --answer or --answer-file")


@cli.command(short_help="A score for an answer, without the prompt (scripts, CI).")
@click.argument("question", required=False)
@DEPTH_OPTION
@click.option("--answer", "answer_text", metavar="TEXT", help="The answer itself.")
@click.option("--answer-file", type=FILE_PATH, metavar="PATH", help="A file holding the answer ('-' reads stdin).")
@click.option("--input", "input_file", type=FILE_PATH, metavar="FILE.jsonl",
              help='Batch: one {"id": ..., "answer": ...} per line; a row\'s own "depth" overrides --depth.')
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="text for people; json: one object (a batch: one array); jsonl: one object per line.")
@MODEL_OPTION
@BACKEND_OPTION
@DB_OPTION
@NO_SAVE_OPTION
@click.option("--no-model-answer", is_flag=True, help="Text format: hide the model answer after the score.")
@json_shorthand
def score(question: str | None, depth: str | None, answer_text: str | None, answer_file: str | None,
          input_file: str | None, fmt: str, model: str | None, backend: str | None, db: str | None,
          no_save: bool, no_model_answer: bool) -> None:
    """Score your own answer without the interactive prompt (for scripts and CI).

    QUESTION is a question's id or a rubric file's path. Give exactly one of --answer, --answer-file
    or --input; with none, an answer piped in is read from stdin (nothing piped in is a usage error, exit 2).
    An empty --answer or --answer-file scores 0 with a note and is not kept; every other answer (each one of a batch too) is kept in your own history, in
    your progress, unless --no-save (a single answer's number is said on stderr; `genco history`
    lists a batch's). A candidate's answer is
    `genco grade`'s: it is kept apart, as an interviewer attempt.
    A batch is printed and saved a chunk at a time as it is scored; Ctrl-C keeps every
    finished chunk (printed and saved), says the line of the file where the rest start, and
    exits 130.

    \b
    Examples:
      genco score --depth quick --answer "Both suspend; a generator yields many values..."
      genco score -d detailed --answer-file answer.md --format json
      cat answer.txt | genco score -d quick
      genco score -d quick --input answers.jsonl --format jsonl > scores.jsonl
      genco score -d quick --answer "..." --no-save
    """
    rubric, depth_name = resolve(question, depth, files=True) if input_file is None else \
        resolve_batch(question, depth, input_file)
    answer_file, piped = _answer_source(answer_text, answer_file, input_file, ONE_SOURCE)
    if not no_save:  # a history that cannot take the attempt is said before scoring, not after
        from .progress.database import check_history_path

        check_history_path(db)
    bench = Workbench(model, backend, db)
    if input_file is not None:
        _score_input(bench, rubric, depth_name, input_file, fmt, save=not no_save)
        return
    answer = answer_text if answer_text is not None else read_answer_file(answer_file, "answer", rubric.id, depth_name)
    _refuse_an_empty_pipe(piped, answer, "answer", "the answer's text")
    offer_waiting_drafts(rubric.id, depth_name, besides=answer_file)  # after the answer is read: an error stays one line
    with kept_if_read_from_stdin(answer_file, answer, rubric.id, depth_name):
        card = bench.score(rubric, depth_name, answer)

    def show(saved: Saved | None) -> None:
        if fmt == "text" and no_model_answer:
            from .views.terminal import render_card

            render_card(_console(), card, rubric, show_model_answer=False)
        elif fmt == "text":
            emit("card", fmt, card, rubric)
        else:
            emit("card", fmt, card, rubric, saved.numbers[0] if saved else None)

    saved = _save_then_show(lambda: None if no_save or nothing_to_score(answer) else bench.save([card], [answer]), show,
                            db, kept=None if answer_file is None else lambda where: _drop_scored_draft(answer_file, answer, where,
                                                                                               rubric.id, depth_name))
    if no_save and answer_file is not None:
        _drop_draft_kept_nowhere(answer_file, answer, rubric.id, depth_name)
    if saved is not None:  # on stderr, as `grade` says it: a card or JSON sent to a file stays the card alone
        from .cli_history import saved_line

        click.echo(saved_line(db, saved.numbers[0]), err=True)  # plain: a JSON one-shot never imports rich
    elif not no_save and nothing_to_score(answer):  # kept answers are said to be: one left out says so too
        said = "only points to a page" if only_points_to_a_page(answer) else "has no words"
        click.echo(f"genco: not kept in the history: the answer {said}", err=True)


def _drop_scored_draft(path: str, answer: str, where: str, question: str, depth: str) -> None:
    """A draft genco kept, once scored for the question and depth it answers (`question`, `depth`) and kept
    `where` (in the history, or with its attempt in the recovery file when the history could not take it),
    has done its job: it is removed (and said so), so the drafts folder holds only answers still waiting to
    be scored, and the answer is not kept twice (scoring the draft again, then importing the recovery file).
    Scored for another question, it still waits for its own."""
    from .answers import kept_draft, remove_scored_draft

    draft = kept_draft(path, question, depth)
    if draft is not None and remove_scored_draft(draft, answer):
        click.echo(one_line(f"genco: the draft {draft} is kept {where}, so it is removed"), err=True)


def _drop_draft_kept_nowhere(path: str, answer: str, question: str, depth: str) -> None:
    """A draft of an answer typed with --no-save, scored with --no-save for its question and depth as its offer
    says, has done its job as well: it is removed (and said so); kept, every later command of its question
    offered it again."""
    from .answers import draft_history, kept_draft, remove_scored_draft

    draft = kept_draft(path, question, depth)
    if draft is not None and draft_history(draft).no_save and remove_scored_draft(draft, answer):
        click.echo(one_line(f"genco: the draft {draft} is scored without keeping it, as it was typed, so it is removed"),
                   err=True)


_SAFE_BEFORE_OUTPUT: ContextVar[str | None] = ContextVar("safe_before_output", default=None)
"""What the command kept before its output failed, said beside that failure (_output_failed)."""
_READER_LEFT_NOTE: ContextVar[str | None] = ContextVar("reader_left_note", default=None)
"""What a batch finished before the reader of its output left, said then (_reader_left); other commands leave silently."""


def _save_then_show(save: Callable[[], Saved | None], show: Callable[[Saved | None], object], db: str | None,
                    kept: Callable[[str], object] | None = None) -> Saved | None:
    """Keep a result, then show it (`show` hears where it was kept, None when it was not): a reader that
    stops early (`| head`) costs no attempt, and a history that cannot be written (the attempt is in the
    recovery file) still shows the result before its one-line error. `kept` hears where the result is
    kept ("in your history as attempt 7 (...)", or "with its attempt in the recovery file ...") once it
    is, before it is shown (the scored draft is removed then: a reader that stops early must not leave
    it to be scored again). An output that then fails (a full disk) says the attempt is safe, so it is
    not scored twice; so does an interrupt, which waits for the save and the draft's removal: "genco:
    interrupted" alone, with the attempt kept, had the user score it again."""
    from .progress.database import HistoryError

    saved: Saved | None = None
    failed: GencoError | None = None
    with _saved_if_interrupted(lambda: saved.numbers[0] if saved else None, db, lambda: failed):
        with held():
            try:
                saved = save()
            except GencoError as exc:
                if isinstance(exc, HistoryError) and exc.recovered and kept is not None:
                    kept(f"with its attempt in the recovery file {exc.recovery}")
                failed = exc
                show(None)  # held too: an interrupt that waited for the refused save printed no card (an empty JSON)
            else:
                if saved is not None:
                    shown = genco_command(f"show {saved.numbers[0]}", db)
                    _SAFE_BEFORE_OUTPUT.set(f"the attempt is saved as attempt {saved.numbers[0]}: {shown}")
                    if kept is not None:
                        kept(f"in your history as attempt {saved.numbers[0]} ({shown})")
        if failed is None:
            show(saved)
    if failed is not None:
        raise failed
    return saved


def _score_input(bench: Workbench, rubric: Rubric, depth: str, path: str, fmt: str, save: bool) -> None:
    """A batch, streamed: results appear chunk by chunk, and an interrupt keeps every finished chunk."""
    from .batch import Output, open_batch, score_batch
    from .progress.database import HistoryError

    output = Output(fmt, _console(), rubric)
    count: int | None = None
    numbers: list[int] = []

    def save_chunk(cards: Sequence[ScoreCard], answers: Sequence[str]) -> Sequence[int]:
        """Keep a chunk, and say what is kept should the output then fail (a full disk): a rerun saves it again."""
        kept = bench.save(cards, answers).numbers
        numbers.extend(kept)
        _SAFE_BEFORE_OUTPUT.set(f"{len(numbers)} of {count} answers were saved in the history first, as attempts "
                                f"{numbers[0]}-{numbers[-1]} ({genco_command('history', bench.db)} lists them)"
                                f"{batch.rest(len(numbers), kept=True) if batch is not None else ''}")
        return kept

    batch = None
    try:
        with open_batch(path, rubric) as batch:
            count = batch.count
            scorer = bench.scorer(rubric)
            with _batch_progress(count) as progress:
                score_batch(scorer, batch, depth, output, save_chunk if save else None, progress)
    except BrokenPipeError:  # the reader left (`| head`): the answers it never read are not scored
        if batch is not None and numbers:  # what was kept is said: a rerun of the whole file keeps it twice
            _READER_LEFT_NOTE.set(f"the output's reader left after {len(numbers)} of {count} answers were saved"
                                  f"{batch.rest(len(numbers), kept=True)}")
        raise
    except KeyboardInterrupt:
        with held():  # what stdout holds stays valid JSON, even when the batch never began
            output.close()
        if count is None or batch is None:
            raise  # stopped while the batch file was read: nothing was scored
        kept = "scored and printed" + (f", {_saved_of(len(numbers), output.printed)}" if save else "")
        interrupted(f"interrupted; {output.printed} of {count} answers were {kept}{batch.rest(output.printed, save)}")
    except HistoryError as exc:  # the failed chunk is printed and in the recovery file; the rest not scored
        empty = output.printed - len(numbers) - exc.recovered  # printed with their 0, never kept
        held_nothing = f", {empty} held nothing to score" if empty else ""
        rest = batch.rest(output.printed, kept=True) if batch is not None else ""
        raise HistoryError(f"{exc}; {output.printed} of {count} answers were scored and printed: {len(numbers)} "
                           f"saved in the history, {exc.recovered} in {exc.recovery}{held_nothing}, "
                           f"{(count or 0) - output.printed} not scored (score them again){rest}") from None


def _saved_of(saved: int, printed: int) -> str:
    """How many of a batch's printed answers are in the history: a row with nothing to score is printed, never kept."""
    return "all saved" if saved == printed else f"{saved} saved (the others held nothing to score)"


@contextmanager
def _batch_progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr, advanced per chunk, only when stderr is a terminal."""
    err = _console(err=True)
    if not err.is_terminal:
        yield lambda done: None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Scoring answers", total=total)
        yield lambda done: bar.update(task, completed=done)


@contextmanager
def _reading_progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr naming the question being read, only when stderr is a terminal."""
    err = _console(err=True)
    if not err.is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Reading graded answers", total=None)
        yield lambda question, done, total: bar.update(task, description=f"Reading {question}", completed=done, total=total)


@cli.command("eval", short_help="Measure agreement with human graders on labeled answers.")
@click.argument("labeled", metavar="LABELED...", nargs=-1, required=True)
@click.option("--question", "-q", metavar="ID", callback=lower_case,
              help="Rubric for rows without a 'question' field (default: the one the file is named after).")
@click.option("--depth", "-d", metavar="DEPTH", callback=lower_case, help="Depth for rows without a 'depth' field (default: the rubric's first).")
@click.option("--scale", type=click.IntRange(1, 100), default=10, show_default=True, metavar="N",
              help="Top of the human grade scale, 0..N.")
@click.option("--leave-one-question-out", "loqo", is_flag=True,
              help="Judge each question by weights refitted without it: how a rubric nobody calibrated scores.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@MODEL_OPTION
@BACKEND_OPTION
@json_shorthand
def eval_command(labeled: tuple[str, ...], question: str | None, depth: str | None, scale: int, loqo: bool,
                 fmt: str, model: str | None, backend: str | None) -> None:
    """Measure how well genco agrees with human graders on labeled answer files.

    LABELED is a .jsonl file, a folder of them, or - for stdin. Each line holds "answer" and
    the human "overall" grade, and optionally "id", "question", "depth", "kind", "concepts"
    ({concept id: 0, 1 or 2}) and "misconceptions" (ids). A file named after a rubric is
    scored against it. Prints, per question and pooled: Spearman and Pearson with the grade,
    quadratic weighted kappa and MAE after the grade map (score / 100 x N), the share of gross
    errors (40+ points from the grade x 100 / N), the mean score per answer kind and its
    ratio to good answers, per-concept F1 and the concept marks' quadratic weighted kappa against
    the 0-2 concept grades, and the share marked uncertain with Spearman on the rest.

    \b
    Examples:
      genco eval coroutine-vs-generator.jsonl       rows of one question (named by the file)
      genco eval graded/ --leave-one-question-out
      genco eval graded.jsonl --question coroutine-vs-generator --depth quick --format json
    """
    from .evaluation.quality import json_ready
    from .views.terminal import render_evaluation

    with _reading_progress() as progress:
        result = evaluate_files(Workbench(model, backend), labeled, question, depth, scale, loqo, _warn, progress)
    if fmt == "json":
        echo_in_pieces(dumps(json_ready(result), indent=2))
    else:
        render_evaluation(_console(), result, ", ".join(labeled))


def _warn(message: str) -> None:
    """A result worth having but worth doubting: one line on stderr, and the command goes on."""
    click.echo(f"genco: {one_line(message)}", err=True)


@cli.command(short_help="Fit a rubric's thresholds to human grades.")
@click.argument("rubric_name", metavar="RUBRIC")
@click.argument("labeled", metavar="LABELED.jsonl")
@click.option("--depth", "-d", metavar="DEPTH", callback=lower_case, help="Depth for rows without a 'depth' field (default: the rubric's first).")
@click.option("--scale", type=click.IntRange(1, 100), default=10, show_default=True, metavar="N",
              help="Top of the human grade scale, 0..N.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Cross-validation folds.")
@click.option("--out", type=FILE_PATH, metavar="FILE",  # a folder is bad input (exit 1), as for every other --out
              help="Where to write the calibration (default: calibration/ID.yaml beside the rubric).")
@click.option("--force", is_flag=True, help="Overwrite --out even if it is not a calibration genco wrote, and write a grade map that gives every score one grade.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@MODEL_OPTION
@BACKEND_OPTION
@json_shorthand
def calibrate(rubric_name: str, labeled: str, depth: str | None, scale: int, folds: int, out: str | None,
              force: bool, fmt: str, model: str | None, backend: str | None) -> None:
    """Fit a rubric's thresholds and grade map to human grades, and report honest agreement.

    Per concept, the similarity at which an answer earns partial credit is moved (a little,
    and only when it buys agreement) to match the graders' 1-2 marks, then the one that earns
    full credit to match their 1-vs-2; finally a line from the 0-100 score onto the graders'
    scale is fitted. Agreement is measured by k-fold cross-validation (each row is judged by a
    fit that never saw it), and the moved thresholds are kept only if they rank answers at
    least as well out of fold as the written ones. The file records what it was fitted on.

    RUBRIC is an id or a path to a rubric file; it is edited once, to add a `calibration:`
    line, unless it already has one or --out names the file (then it says which line to set).
    Rows whose "question" names another rubric are skipped. A shipped rubric is not written to:
    calibrate a copy on $GENCO_RUBRICS, or give --out.

    \b
    Examples:
      genco calibrate my-rubrics/yield-vs-await.yaml graded.jsonl
      genco calibrate my-rubric.yaml graded.jsonl --folds 10 --format json
    """
    from .evaluation.quality import json_ready
    from .outfile import output_path
    from .views.terminal import render_calibration

    target = None if out is None else output_path(out)
    run = calibrate_rubric(Workbench(model, backend), rubric_named(rubric_name, calibrated=False), labeled, depth, scale, folds,
                           target, stage=_status, warn=_warn, force=force)
    if fmt == "json":
        echo_in_pieces(dumps(json_ready(run.result), indent=2))
    else:
        render_calibration(_console(), run.result, run.rubric)


@cli.group(short_help="List, show, write and validate rubrics.")
def rubric() -> None:
    """List, show, write and validate rubrics (the YAML files that define questions and concepts).

    \b
    Examples:
      genco rubric list
      genco rubric show coroutine-vs-generator --depth quick --format html > sheet.html
      genco rubric new yield-vs-await
      genco rubric validate rubrics/*.yaml
      genco rubric guide
    """


@rubric.command("list")
@click.option("--tag", metavar="TAG", help="Only rubrics with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@format_spelling
def rubric_list(tag: str | None, as_json: bool) -> None:
    """List the available questions.

    \b
    Example:
      genco rubric list --tag asyncio
    """
    from .views.terminal import render_rubric_list

    rubrics = tagged(askable(), tag)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "title": r.title, "depths": r.depth_names, "tags": list(r.tags)}
                               for r in rubrics], indent=2))
    else:
        render_rubric_list(_console(), rubrics)


@rubric.command("show", short_help="The interviewer sheet: what to ask, what to listen for.")
@click.argument("question", required=False)
@click.option("--depth", "-d", metavar="DEPTH", callback=lower_case, help="Only this depth of the rubric (the shipped ones have quick, detailed and deep; default: every depth).")
@click.option("--format", "fmt", type=click.Choice(formats("sheet")), default="text", show_default=True,
              help="text for the terminal; markdown for notes; html is a self-contained page to print; json for tools.")
@click.option("--out", "-o", type=FILE_PATH, metavar="FILE",
              help="Write the sheet to FILE instead of stdout ('-': stdout), in the format its extension names "
                   "(.html, .md, .json, .txt) unless --format says; an earlier sheet there is replaced, any "
                   "other file only with --force.")
@click.option("--force", is_flag=True, help="Overwrite --out even if it is not a sheet genco wrote.")
@json_shorthand
def rubric_show(question: str | None, depth: str | None, fmt: str, out: str | None, force: bool) -> None:
    """The interviewer sheet: per depth, what to ask, the time budget, a checklist of concepts with
    weights and what a strong answer says, follow-up probes with good replies, red flags and
    what the score bands mean. Without --depth, every depth (one printed page each in HTML).

    \b
    Examples:
      genco rubric show coroutine-vs-generator --depth deep
      genco rubric show coroutine-vs-generator --format markdown > sheet.md
      genco rubric show coroutine-vs-generator --out sheet.html   # open, then print
      genco rubric show my-rubrics/my-question.yaml    # a file of yours, wherever it is
    """
    out, fmt = output_and_format("sheet", fmt, out)
    found, depth_name = resolve(question, depth, files=True)
    if out is None:
        emit("sheet", fmt, found, depth_name if depth else None)
        return
    if same_file(Path(out), Path(found.path)):  # --force is for an old sheet, never the rubric it is drawn from
        raise InputError(f"{out}: is the rubric file of {found.id}; choose another output file")
    from .views.sheet import SHEET_HEADS

    refuse_a_foreign_file(out, SHEET_HEADS, "sheet", force)
    write_file(out, [file_text("sheet", fmt, found, depth_name if depth else None)], private=False)
    click.echo(one_line(f"wrote the {fmt} sheet to {path_shown(out)}"), err=True)


@rubric.command("validate", short_help="Check rubric files: the schema, then what they mean.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--schema-only", is_flag=True, help="Only the schema check: no model, instant.")
@click.option("--strict", is_flag=True, help="Exit 3 when a meaning check warns (for CI).")
@click.option("--json", "as_json", is_flag=True, help="One JSON list of files with their error or findings.")
@MODEL_OPTION
@BACKEND_OPTION
@format_spelling
def rubric_validate(paths: tuple[str, ...], schema_only: bool, strict: bool, as_json: bool, model: str | None,
                    backend: str | None) -> None:
    """Check rubric files: the schema (file:line: field: problem), then what they mean to the scorer.

    The meaning checks load the embedding model and warn about concepts whose exemplars sit
    nearer another concept's, contradictions a correct paraphrase would match, misconceptions a
    model answer triggers, and model answers that do not earn every concept of their depth
    (and at least 75). Each warning names the entries, the similarity and a fix; see
    `genco rubric guide`.

    Exit codes: 0 valid (warnings are shown), 1 a file is invalid, 2 a usage error, 3 warnings with --strict.

    \b
    Examples:
      genco rubric validate my-rubrics/            # every *.yaml of the folder
      genco rubric validate --strict my-question.yaml
      genco rubric validate --schema-only rubrics/*.yaml
    """
    from .views.terminal import finding_lines, meaning_lines, schema_lines

    checks = read_rubric_files(paths)
    for check in [] if as_json else checks:
        if check.unreadable:  # no file to speak of: the command's one-line error, as elsewhere
            say_error(check.problems[0])
            continue
        for line in schema_lines(check):
            click.echo(line, err=check.rubric is None)
    if not schema_only and any(check.rubric is not None for check in checks):
        with _console(err=True).status("Loading the model and checking meaning…"):
            check_meaning(Workbench(model, backend), checks)
        for line in [] if as_json else meaning_lines(checks):
            click.echo(line)
    elif not as_json:
        for line in finding_lines(checks):  # two files of one id: said without the meaning checks too
            click.echo(line)
    if as_json:
        click.echo(json.dumps([check.to_dict() for check in checks], ensure_ascii=False, indent=2))
    sys.exit(validation_exit(checks, strict))


@rubric.command("guide", short_help="How to write a rubric that scores well.")
@click.option("--fields", is_flag=True, help="The field reference (every field and its default) instead.")
def rubric_guide(fields: bool) -> None:
    """How to write a rubric the scorer understands: concepts, exemplars, contradictions,
    misconceptions, role pairs, and what each warning of `genco rubric validate` means and how to
    fix it. Markdown, shown through a pager at a terminal.

    \b
    Examples:
      genco rubric guide
      genco rubric guide --fields > rubric-format.md
    """
    from .guides import guide_text

    text = guide_text("fields" if fields else "writing")
    if sys.stdout.isatty():
        click.echo_via_pager(text)
    else:
        click.echo(text, nl=False)


@rubric.command("new")
@click.argument("rubric_id", metavar="ID")
@click.option("--out", "out_dir", default=".", show_default=True, type=FILE_PATH, metavar="DIR",
              help="Directory to write ID.yaml in (created if missing).")
def rubric_new(rubric_id: str, out_dir: str) -> None:
    """Write a commented rubric skeleton, ID.yaml, to fill in. Never overwrites a file.

    Every value to write starts with TODO; `genco rubric validate` names each one left.
    Try it by its path (`genco score my-rubrics/ID.yaml ...`), then add the directory to GENCO_RUBRICS to
    practise or grade with it by its id.

    \b
    Examples:
      genco rubric new yield-vs-await
      genco rubric new yield-vs-await --out my-rubrics
      GENCO_RUBRICS=my-rubrics genco rubric show yield-vs-await
    """
    from .rubric.skeleton import write_skeleton

    path = write_skeleton(rubric_id, out_dir)
    click.echo(one_line(f"wrote {path_shown(str(path))}; fill in every TODO, then: genco rubric validate {shell_word(str(path))}"))
    _tell_if_it_replaces_a_shipped_rubric(rubric_id, path)


def _tell_if_it_replaces_a_shipped_rubric(rubric_id: str, path: Path) -> None:
    """A new rubric file with a shipped rubric's id takes that question over once its folder is on
    GENCO_RUBRICS (and, until it validates, asking for the question shows its errors): said when
    the file is written, not first discovered as a notice on some later command."""
    if is_shipped(rubric_id):
        click.echo(one_line(f"genco: {rubric_id} is the id of a shipped rubric: with {path.parent} on {RUBRICS_ENV}, "
                            f"{path} replaces that question in every command (and until it validates, asking "
                            f"for it shows its errors); give another id to add a question of your own"), err=True)


def _named(value: str | None, option: str) -> str | None:
    """A name option's value; a blank one, or one of invisible characters only (a zero-width space), is
    a usage error: it named nobody, listed as a name no one can read, and hid the note a grade without
    a name gives when several speakers are scored. So is one too long for a name (candidate_name_problem)."""
    from .interview.grading import candidate_name_problem
    from .text.reading import strip_invisible

    if value is not None and not strip_invisible(value).strip():
        raise click.BadParameter("is blank (or only invisible characters); give a name, or leave the option out",
                                 param_hint=f"'{option}'")
    if (problem := candidate_name_problem(value)) is not None:
        raise click.BadParameter(problem, param_hint=f"'{option}'")
    return value


@cli.command("grade", short_help="A candidate's scorecard, for the interviewer.")
@click.argument("question", required=False)
@DEPTH_OPTION
@click.option("--answer", "answer_text", metavar="TEXT", help="The candidate's answer itself.")
@click.option("--answer-file", type=FILE_PATH, metavar="TRANSCRIPT", help="The candidate's answer ('-' reads stdin).")
@click.option("--candidate", metavar="NAME", callback=lambda ctx, param, value: _named(value, "--candidate"),
              help="Who answered; shown on the scorecard.")
@click.option("--override", "overrides", metavar="CONCEPT=STATUS", multiple=True,
              help="Your mark for a concept (its id, shown on the scorecard and the sheet, or its name): "
                   "covered, partial or missing (repeatable); on a regrade, machine takes your earlier mark of it "
                   "back. The score is recomputed.")
@click.option("--note", "notes", metavar="TEXT", multiple=True,
              help="Your note, kept on the scorecard (repeatable: each --note is a line of it).")
@click.option("--dismiss-red-flags", is_flag=True,
              help="You heard no misconception: the score gets back the points the machine's red flags took, "
                   "and the grade keeps none of them.")
@click.option("--start-over", is_flag=True,
              help="A regrade keeps none of the earlier grade's overrides, note or dismissal: only what you "
                   "give now (to take one mark or a dismissal back).")
@click.option("--format", "fmt", type=click.Choice(formats("grade")), default="text", show_default=True,
              help="text for the terminal; markdown for interview notes; json for tools.")
@MODEL_OPTION
@BACKEND_OPTION
@DB_OPTION
@NO_SAVE_OPTION
@json_shorthand
def grade_command(question: str | None, depth: str | None, answer_text: str | None, answer_file: str | None,
                  candidate: str | None,
                  overrides: tuple[str, ...], notes: tuple[str, ...], dismiss_red_flags: bool, start_over: bool, fmt: str,
                  model: str | None, backend: str | None, db: str | None, no_save: bool) -> None:
    """Score a candidate's answer for the interviewer: evidence per concept, red flags heard,
    follow-ups worth asking for what was missed, and your overrides beside the machine's marks.

    QUESTION is a question's id or a rubric file's path. Give one of --answer or --answer-file; with
    neither, a transcript piped in is read from stdin. An override earns fixed credit (covered 1.0,
    partial 0.5, missing 0) and the score is
    recomputed with the scorer's own formula; both scores are shown. A red flag is a
    misconception the machine heard: the scorecard says how many points the flags took, and
    --dismiss-red-flags gives them back when you heard none. The grade, with your marks, is
    kept in the history as an interviewer attempt unless --no-save: the same grade again (say as
    --json after the text) is not kept twice, and the same transcript of the same candidate graded
    again otherwise replaces the earlier grade, keeping its overrides, note and dismissal with what
    you give now added (an override replaces the earlier one of its concept); with --start-over it
    keeps only what you give now.

    A transcript may carry speaker labels: the interviewer's lines ("Interviewer:", "Q:", "Me:",
    "Bob (interviewer):") earn nothing; the candidate's ("Candidate:", "A:", the --candidate name
    in full, its first word or its last, or no label at all) are scored without their labels; your
    own notes under "Verdict:", "Feedback:", "Assessment:" or "Interviewer notes:" (to the next
    speaker) are not; lines under "Summary:" or "Concerns:", which either of you may write, are scored
    as the candidate's, and the scorecard says so. A
    --candidate that no label names, beside other speakers' labels, is said on the scorecard.

    \b
    Examples:
      genco grade -d detailed --answer-file transcript.txt --candidate "A. Lovelace"
      genco grade -d quick --answer-file t.txt --override driver=covered --note "said it aloud"
      genco grade -d quick --answer-file t.txt --override "Who drives it=partial"   a concept's name works too
      genco grade -d quick --answer-file t.txt --dismiss-red-flags
      genco grade -d quick --answer-file t.txt --override driver=machine   a regrade taking one mark back
      genco grade -d quick --answer-file t.txt --start-over --note "second look"   a regrade, marks set aside
      genco grade -d deep --answer-file t.txt --format markdown > scorecard.md
      pbpaste | genco grade -d quick --candidate "A. Lovelace"
    """
    from .progress.attempt import check_grade_texts
    from .progress.database import check_history_path

    rubric, depth_name = resolve(question, depth, files=True)
    answer_file, piped = _answer_source(answer_text, answer_file, None, GRADE_SOURCE)
    note = "\n".join(n for n in notes if n.strip()) or None  # a blank --note adds no empty line
    if not no_save:
        check_grade_texts(candidate, note)
        check_history_path(db)
    interviewer_marks(rubric, depth_name, overrides)  # a mistyped override is said before a transcript is pasted
    bench = Workbench(model, backend, db)
    answer = answer_text if answer_text is not None else read_answer_file(answer_file, "transcript", rubric.id, depth_name)
    _refuse_an_empty_pipe(piped, answer, "transcript", "the transcript")
    with kept_if_read_from_stdin(answer_file, answer, rubric.id, depth_name):
        scorecard = bench.grade(rubric, depth_name, answer, overrides, candidate, note, dismiss_red_flags, adding=True,
                                start_over=start_over)
    unkept = no_save or nothing_to_score(answer, candidate, transcript=True)

    def show(saved: Saved | None) -> None:
        if fmt == "json":  # names the attempt kept, for a tool to find it again
            emit("grade", fmt, scorecard, rubric, saved.numbers[0] if saved else None)
        else:
            emit("grade", fmt, scorecard, rubric)

    saved = _save_then_show(lambda: None if unkept else bench.keep_grade(scorecard, answer), show, db,
                            kept=None if answer_file is None else lambda where: _drop_scored_draft(answer_file, answer, where,
                                                                                               rubric.id, depth_name))
    if unkept and not no_save:
        click.echo("genco: not kept in the history: the transcript holds no words of the candidate's to keep "
                   "(only the interviewer's lines, or no words at all)", err=True)
    if saved is not None:
        kept = "already kept as" if saved.already else "saved as"
        then = ("; what you added to it carried over" if scorecard.carried_over else
                "; its marks and note set aside" if start_over else "")
        replacing = f", replacing attempt {saved.replaced} (this transcript graded before{then})" \
            if saved.replaced is not None else ""
        click.echo(f"{kept} attempt {saved.numbers[0]} (an interviewer attempt){replacing} · "
                   f"{genco_command(f'show {saved.numbers[0]}', db)}", err=True)
        if saved.others:
            click.echo(_other_grades_note(scorecard.candidate, saved.others, db), err=True)


def _other_grades_note(candidate: str | None, others: Sequence[int], db: str | None) -> str:
    """What `grade` says when the candidate has other grades of this question and depth, of another transcript
    (one edited, or their answer graded twice): both are kept, and `candidates` compares the latest only."""
    numbers = ", ".join(map(str, sorted(others)))
    grades = ("another grade", "another transcript", "attempt") if len(others) == 1 else (
        f"{len(others)} other grades", "other transcripts", "attempts")
    return (f"note: {one_line(candidate or '')} has {grades[0]} of this question at this depth, of {grades[1]} "
            f"({grades[2]} {numbers}); {genco_command('candidates', db)} compares the latest, and "
            f"{genco_command(f'history delete {min(others)}', db)} removes one you no longer want")


for _command in (history, show, report, next_command, candidates):
    cli.add_command(_command)
cli.add_command(interview)
cli.add_command(serve)


@cli.group(short_help="Build and inspect the model's backends (ONNX, torch).")
def model() -> None:
    """Build and inspect the embedding model's backends (the fast ONNX export, torch).

    \b
    Examples:
      genco model info                   which model and backend scoring uses, and why
      genco model export                 build the ONNX export once (make run does this)
      genco model export --quantize      also the int8 variant (--backend onnx-int8)
    """


@model.command("info", short_help="Show the model, its backend and its ONNX export.")
@MODEL_OPTION
@BACKEND_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@json_shorthand
def model_info(model: str | None, backend: str | None, fmt: str) -> None:
    """Show the model, its fingerprint, the backend scoring would use, and the state of its ONNX export.

    Loads no model, so it answers instantly.

    \b
    Examples:
      genco model info
      genco model info --format json
      GENCO_BACKEND=torch genco model info
    """
    from .embedding import describe_backends
    from .views.terminal import render_model_info

    info = describe_backends(model, backend)
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
    else:
        render_model_info(_console(), info)


@model.command("export", short_help="Export the model to ONNX: a fast start without torch.")
@MODEL_OPTION
@click.option("--quantize", is_flag=True, help="Also build the int8 variant (smaller and faster, less exact).")
@click.option("--force", is_flag=True, help="Rebuild even when a valid export exists.")
def model_export(model: str | None, quantize: bool, force: bool) -> None:
    """Export the model to ONNX once, so scoring starts in a fraction of a second without torch.

    The export is verified against sentence-transformers before it is kept, stored in the
    cache directory under the model's fingerprint, and rebuilt whenever it is stale or corrupt.
    Nothing is done when a valid one exists (unless --force).

    \b
    Examples:
      genco model export
      genco model export --quantize
      genco model export --model ./my-model --force
    """
    with _status("Checking the ONNX export…") as update:
        done = export_model(model, quantize, force, progress=update)
    click.echo(one_line(done.summary()))


@model.command("prune", short_help="Delete the ONNX exports this install no longer uses.")
@MODEL_OPTION
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
def model_prune(model: str | None, yes: bool) -> None:
    """Delete the model's ONNX exports in the cache folder that this install does not use.

    An export is kept under a fingerprint of the model's files, so each virtual environment or
    checkout builds its own (90 MB, 140 MB with its int8 variant). A rebuild removes the export it
    replaces and those of environments that no longer exist; the exports of other environments
    stay. This deletes every export of the model but this install's: another environment whose
    export goes rebuilds it on its next score (about 45 s). Asks first; with no terminal to ask,
    pass --yes.

    \b
    Examples:
      genco model prune
      genco model prune --yes
    """
    from .views.markup import counted

    found = stale_exports(model)
    if not found.stale:
        click.echo(one_line(f"{found.model}: no other ONNX export in {found.kept.parent}; nothing to delete"))
        return
    for export in found.stale:  # each named, with the model folder it serves: `--model COPY` lists the bundled one's
        click.echo(one_line(f"  {export.folder.name}  {_megabytes(export.size)}  built from "
                            f"{export.built_from or 'a model folder its manifest does not name'}"))
    held = f"{counted(len(found.stale), 'other ONNX export')} of {found.model} ({_megabytes(found.size)})"
    if not yes and not confirmed(f"Delete {held} in {found.kept.parent}? This install's export is kept"):
        click.echo(one_line(f"nothing deleted: {held} kept"))
        return
    remove_exports(found)
    kept = f"kept {found.kept.name}" if found.kept.is_dir() else "this install's is built on its next score"
    click.echo(one_line(f"deleted {held}; {kept}"))


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{max(size // 1024, 1)} KB"


@rubric.command("from-answer", short_help="Write a rubric from a question and one model answer.")
@click.option("--question", "question_text", required=True, metavar="TEXT", help="The question, as it is asked.")
@click.option("--answer", "answer_text", metavar="TEXT", help="The model answer.")
@click.option("--answer-file", type=FILE_PATH, metavar="PATH", help="A file holding the model answer ('-' reads stdin).")
@click.option("--id", "rubric_id", metavar="ID",
              help="Rubric id (lowercase, digits, dashes; default: the --out file's name, else from the question).")
@click.option("--title", metavar="TEXT", help="Title shown in lists (default: the question, up to its first ten words).")
@click.option("--out", type=FILE_PATH, metavar="FILE.yaml",
              help="Write here instead of stdout ('-' is stdout); an existing file needs --force.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def rubric_from_answer(question_text: str, answer_text: str | None, answer_file: str | None, rubric_id: str | None,
                       title: str | None, out: str | None, force: bool) -> None:
    """Write a rubric from a question and one model answer: its key points become the concepts.

    Each clause of the model answer becomes a concept weighted by its content words, written out
    so that you can refine it (rename, add phrasings, reweight). Such a rubric scores answers by
    those key points and by how much of the model answer they state, word by word in context;
    words of the question earn nothing. The rubric has one depth, named `answer`: the score and
    practice commands use it without -d (rename it in the file to ask it as quick, say).

    \b
    Examples:
      genco rubric from-answer --question "What is a variable?" --id variable \\
          --answer "A location in memory that can store a value." --out my-rubrics/variable.yaml
      genco rubric from-answer --question "Why use a prototype?" --answer-file model.txt
      pbpaste | genco rubric from-answer --question "Why use a prototype?" --out my-rubrics/prototype.yaml
      GENCO_RUBRICS=my-rubrics genco score variable --answer "A named memory location holding a value"
    """
    answer_file, piped = _answer_source(answer_text, answer_file, None, MODEL_ANSWER_SOURCE)
    if out not in (None, "-") and out.strip() and not out.endswith(".yaml"):  # what a rubric folder is searched for
        suggested = Path(out).with_name(f"{Path(out).stem.lower() or 'question'}.yaml")
        raise click.BadParameter(f"{out!r} does not end in .yaml, and genco finds rubrics only as NAME.yaml in a "
                                 f"folder on {RUBRICS_ENV}: give a name such as {str(suggested)!r}", param_hint="'--out'")
    if out not in (None, "-") and Path(out).name.startswith("."):  # the search skips hidden files
        suggested = Path(out).with_name(f"{Path(out).name.strip('.').removesuffix('yaml').strip('.') or 'question'}.yaml")
        raise click.BadParameter(f"{out!r} names a hidden file, which a folder on {RUBRICS_ENV} is searched without: "
                                 f"give a name such as {str(suggested)!r}", param_hint="'--out'")
    answer = answer_text if answer_text is not None else read_text(answer_file)  # a file, or "-" when piped
    _refuse_an_empty_pipe(piped, answer, "model answer", "it")
    if rubric_id is None and out is not None and RUBRIC_ID.fullmatch(Path(out).stem):
        rubric_id = Path(out).stem  # the name chosen for the file is the one `genco score NAME` will be typed with
    drafted = draft_rubric_from_answer(question_text, answer, rubric_id, title)
    for name in drafted.negated:
        click.echo(one_line(f"note: the key point {name!r} is stated only with a negation: an answer saying it "
                            "positively earns nothing for it; add a positive phrasing to its exemplars"), err=True)
    if out in (None, "-"):  # `-` is standard output, as for report --out
        click.echo(drafted.text, nl=False)
        return
    write_new_rubric(out, drafted.text, force)
    folder = Path(out).parent
    click.echo(one_line(f"✓ wrote {path_shown(out)}: rubric {drafted.id!r}; refine its key points, check it with "
                        f"genco rubric validate {shell_word(out)}, and score with it: "
                        f"{RUBRICS_ENV}={shell_word(str(folder))} genco score {drafted.id} --answer \"...\""), err=True)
    _tell_if_it_replaces_a_shipped_rubric(drafted.id, Path(out))


def _tolerate_narrow_encodings() -> None:
    """PYTHONIOENCODING=ascii (or a C locale) must not turn a ✓ or a typed é into a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


READER_LEFT_EXIT = 141
"""128 + SIGPIPE: the reader of stdout closed it early (`genco history | head -1`), as a shell reports it."""


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit cannot fail a second time."""
    with suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _reader_left() -> NoReturn:
    """The reader of stdout went away: nothing more to show and nothing lost (answers are saved before
    their cards are printed). Nothing to say either, but where a batch stopped: its rest was never scored."""
    _silence_stdout()
    note = _READER_LEFT_NOTE.get()
    if note:
        with suppress(OSError, ValueError):
            say_error(note, _command_named(cli, sys.argv[1:]))
    sys.exit(READER_LEFT_EXIT)


def _output_failed(exc: OSError) -> NoReturn:
    """stdout cannot be written (a full disk, a device error): say so once, on stderr."""
    _silence_stdout()
    with suppress(OSError, ValueError):
        safe = _SAFE_BEFORE_OUTPUT.get()
        say_error(f"cannot write the output ({exc.strerror or exc})" + (f"; {safe}" if safe else ""),
                  _command_named(cli, sys.argv[1:]))
    sys.exit(1)


def _refuse_closed_output() -> None:
    """stdout closed before genco started (`genco ... >&-`): Python gives it no stream at all and every
    print would vanish with exit 0, so say so and exit 1, as for any output that cannot be written."""
    if sys.stdout is None:
        _output_failed(OSError(errno.EBADF, "standard output is closed; redirect it to a file or to /dev/null"))


def _argument_as_utf8(arg: str) -> str:
    """An argument that a C locale (LC_ALL=C) decoded as ASCII, its UTF-8 bytes turned into lone
    surrogates, read as the UTF-8 it is; bytes that are not UTF-8 stay as they are, for
    _check_text_argument to refuse in one line. The name of a file that exists stays as the locale
    gave it: read as UTF-8, "ans-é.txt" could no longer be encoded to open it."""
    try:
        decoded = os.fsencode(arg).decode("utf-8")
    except UnicodeError:
        return arg
    return arg if decoded != arg and _existing_path(arg) else decoded  # a stat only for an argument it changes


def _existing_path(arg: str) -> bool:
    """Whether `arg`, as the locale gave it, names a file or folder that exists."""
    try:
        return os.path.lexists(arg)
    except ValueError:  # a NUL in it, which no file name holds
        return False


def main() -> None:
    end_the_process_with_the_block()
    _tolerate_narrow_encodings()
    _refuse_closed_output()
    sys.argv[1:] = [_argument_as_utf8(arg) for arg in sys.argv[1:]]
    _SAFE_BEFORE_OUTPUT.set(None)  # nothing kept yet by this command
    _READER_LEFT_NOTE.set(None)
    code: int | str | None = 0
    try:
        try:
            cli(prog_name="genco")
        except SystemExit as exit:
            code = exit.code
        except ImportError:  # an interrupt that lands in an extension's import comes out as ImportError
            if not interrupt_raised():
                raise
            code = say_interrupted()
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _reader_left()
    except OSError as exc:
        _output_failed(exc)
    if code in (0, None) and _runtime_loaded():
        _exit_now(0)  # every file is closed and the history committed: skip tearing down the model's runtime
    sys.exit(code)
