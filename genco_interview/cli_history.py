"""The history commands: `genco history`, `show`, `report` and `next`, and saving after practice.

Kept apart from cli.py so the attempt-history feature reads as one unit; like cli.py it only
parses options, calls the core (history, reports, schedule) and renders. None of these import
torch: they never score anything.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import cli_answer
from .answers import InputError, input_name
from .app.history import (
    candidate_comparison,
    candidate_name,
    check_kept_filters,
    find_attempt,
    next_plan,
    next_practice,
    of_candidate,
    progress_report,
    scored_and_dated,
)
from .cli_support import (
    FILE_PATH,
    echo_in_pieces,
    emit,
    file_text,
    json_shorthand,
    lower_case,
    out_options,
    output_and_format,
)
from .cli_support import make_console as _console
from .cli_usage import Command, Group
from .errors import quoted
from .outfile import check_output_path, refuse_a_foreign_file, write_file
from .output import dumps, genco_command, one_line, path_shown
from .paths import history_name_problem
from .progress.attempt import kept_grade_text, normalise_time
from .progress.database import HistoryError, check_history_path
from .progress.salvage import salvage
from .progress.store import open_history
from .progress.transfer import export_lines, listed, parse_export, read_export
from .rubric import RUBRICS_ENV
from .views.card_data import band_field
from .views.formats import file_extension, formats
from .views.markup import counted

if TYPE_CHECKING:
    from rich.console import Console

    from .progress.comparison import Comparison
    from .progress.reports import Report


LIST_FORMATS = click.Choice(formats("history"))
REPORT_FORMATS = click.Choice(formats("report"))
TEXT_LIMIT = 20
"""How many attempts `genco history` lists as text unless --limit says: a screenful."""


def check_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --db that names no history file (paths.history_name_problem) as a usage error. A folder
    that exists is left to the store, which says it is one (exit 1). A leading "~" is already the home
    folder (FILE_PATH)."""
    if value is None:
        return None
    problem = history_name_problem(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return value


# A plain path, not click.Path(dir_okay=False): the store names what is wrong with one that is no file
# (a directory, a FIFO, a device) with exit 1, as for a history under $GENCO_HOME.
DB_OPTION = click.option("--db", type=FILE_PATH, metavar="PATH", callback=check_db,
                         help="History file (default: history.sqlite3 in $GENCO_HOME or your data directory).")
SOURCE_OPTION = click.option(
    "--source", type=click.Choice(["learner", "interviewer", "all"]), default="learner", show_default=True,
    help="Whose attempts: your own (practice, score, interviews), candidates graded with `genco grade`, or both.")
CANDIDATE_OPTION = click.option(
    "--candidate", metavar="NAME",
    help="Only one candidate's attempts: those graded with `genco grade --candidate NAME` (case aside; a "
         "surname or first name alone when no other candidate has it), whatever --source says.")


RELATIVE_SINCE = re.compile(r"\s*([0-9]+)\s*((?i:min)|m|(?i:[hdw]))\s*")
"""A time back from now as --since takes it: "30m" (or "30min"), "12h", "7d", "2w" (minutes, hours, days, weeks):
the last half hour's practice is what a learner asks for within one evening. "3M" is no time: read as minutes, it
would be three where months were meant."""
MONTHS = re.compile(r"\s*[0-9]+\s*M\s*")
""""3M", refused as RELATIVE_SINCE says, and told why: it said only "is no date"."""
RELATIVE_UNITS = {"m": timedelta(minutes=1), "min": timedelta(minutes=1), "h": timedelta(hours=1),
                  "d": timedelta(days=1), "w": timedelta(weeks=1)}
NAMED_DAYS = {"today": 0, "yesterday": 1}
"""Days --since takes by name, as days back to the local midnight it starts from."""


class _Since(click.DateTime):
    """A local date (or date and time) as --since takes it, or a time back from now ("7d", "2w", "12h", "30m") or
    "today" or "yesterday" (from local midnight): tracking two weeks of practice, "the last week" is what a person means. A
    value that is none is told the forms a person writes, not strptime's codes ('%Y-%m-%d')."""

    name = "date"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's own signature
        if isinstance(value, str) and (back := RELATIVE_SINCE.fullmatch(value)):
            try:
                return datetime.now() - int(back[1]) * RELATIVE_UNITS[back[2].lower()]
            except (OverflowError, ValueError):  # before year 1 (a number of over 4,300 digits is none Python reads)
                self.fail(f"{quoted(value.strip())} reaches back before year 1: give fewer, or a date", param, ctx)
        if isinstance(value, str) and MONTHS.fullmatch(value):
            self.fail(f"{quoted(value.strip())} is no time back from now: M is not a unit (m or min is minutes); "
                      "for months, give the date they start from (YYYY-MM-DD)", param, ctx)
        named = NAMED_DAYS.get(value.strip().lower()) if isinstance(value, str) else None
        if named is not None:
            midnight = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
            return midnight - timedelta(days=named)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"{quoted(value)} is no date: give YYYY-MM-DD (a day), YYYY-MM-DDTHH:MM (a day and time), today, "
                      "yesterday, or a time back from now: 30m, 12h, 7d, 2w", param, ctx)


SINCE = _Since(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])


def saved_line(db: str | None, number: int) -> str:
    """That an answer was kept as attempt `number`, and how to see it again (with the --db given)."""
    return f"saved as attempt {number} · {genco_command(f'show {number}', db)} · {genco_command('report', db)}"


def show_saved(console: Console, db: str | None, number: int) -> None:
    """The saved_line, dim, after a practice card."""
    from rich.text import Text  # not markup: a --db path may hold brackets

    console.print(Text(saved_line(db, number), style="dim"))


def show_saved_and_next(console: Console, db: str | None, number: int) -> None:
    """After a practice answer was kept as attempt `number`: how to see it again, and what to practise next."""
    from .views.report import render_next

    show_saved(console, db, number)
    render_next(console, next_practice(db), db=db)


@click.group(cls=Group, invoke_without_command=True, short_help="Your past attempts, newest first; export, import, delete.")
@click.option("--question", "-q", metavar="ID", callback=lower_case, help="Only attempts at this question.")
@click.option("--depth", "-d", metavar="DEPTH", callback=lower_case, help="Only attempts at this depth.")
@click.option("--since", type=SINCE, metavar="DATE", help="Only attempts from this local date/time on (YYYY-MM-DD), or of the last 30m, 12h, 7d, 2w; today, yesterday.")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=None,
              help=f"Newest N attempts; 0 for all.  [default: {TEXT_LIMIT} as text, all as json or csv]")
@click.option("--candidate", metavar="NAME", help="Only one candidate's attempts: those graded with "
              "`genco grade --candidate NAME` (case aside; a surname or first name alone when no other "
              "candidate has it), whatever --source says.")
@click.option("--source", type=click.Choice(["learner", "interviewer", "all"]), default="all", show_default=True,
              help="Whose attempts: your own (practice, score, interviews), candidates graded with `genco grade`, "
                   "or both.")
@click.option("--format", "fmt", type=LIST_FORMATS, default="text", show_default=True,
              help="text for people; json or csv for tools.")
@DB_OPTION
@click.pass_context
@json_shorthand
def history(ctx: click.Context, question: str | None, depth: str | None, since: datetime | None, limit: int | None,
            candidate: str | None, source: str, fmt: str, db: str | None) -> None:
    """List your past attempts, newest first; subcommands export, import, delete and purge them.

    Every `genco practice`, `genco score`, mock interview answer and `genco grade` (an
    interviewer attempt, listed with the candidate's name) keeps its attempt in a local SQLite
    file (history.sqlite3 in $GENCO_HOME, else your user data directory; --db picks another).

    \b
    Examples:
      genco history
      genco history --question coroutine-vs-generator --depth quick --since 2026-01-01
      genco history --candidate "Ada Lovelace"      the attempts graded for one candidate
      genco history --source interviewer            every candidate graded, none of yours
      genco history --format csv > attempts.csv        every attempt, for a spreadsheet
      genco history export backup.jsonl
      genco history import backup.jsonl
      genco history delete 12
      genco history purge --yes
    """
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    if limit is None:  # a person reads a screenful; a tool asked for the attempts, so it gets them all
        limit = TEXT_LIMIT if fmt == "text" else 0
    with open_history(db, create=False) as store:
        after, kept = normalise_time(since) if since else None, None if candidate else _source(source)
        attempts = store.attempts(question, depth, after, None if candidate else limit or None,
                                  newest_first=True, results=False, source=kept)  # a candidate's are graded ones
        total, matching = store.count(), store.count(question, depth, after, kept)
        graded = store.attempts(source="interviewer", results=False) if candidate is not None else []
    if candidate is not None:  # UnknownName lists the names graded, as report and next do
        attempts = of_candidate(attempts, candidate, graded)
        attempts, matching = attempts[:limit or None], len(attempts)
    if not attempts:
        check_kept_filters(db, question, depth)  # a typo must not read as "no attempts match"
    from .views.report import Listing

    emit("history", fmt, Listing(attempts, matching, total, str(store.path)))
    _say_damaged(scored_and_dated(attempts)[1], db,
                 "listed as damaged" if fmt == "text" else "0 or 1970-01-01 stands in for it here")
    if fmt != "text" and len(attempts) < matching:  # the text listing says so itself
        click.echo(f"listed the newest {len(attempts)} of {counted(matching, 'attempt')} (--limit 0 for all)", err=True)


DAMAGED_ATTEMPTS = "the stored {} damaged (edited by hand?): {}; `{}` says which"


def _say_damaged(numbers: list[int], db: str | None, handled: str) -> None:
    """One line on stderr naming the attempts whose stored score or date is damaged (Attempt.score_damaged,
    date_damaged) and what the command made of them (`handled`): unsaid, the 0 or 1970-01-01 such an attempt
    reads as passed for its own score and date."""
    if numbers:
        attempts = (("score or date of attempt " if len(numbers) == 1 else "scores or dates of attempts ")
                    + listed([str(n) for n in numbers]) + (" is" if len(numbers) == 1 else " are"))
        _warn(DAMAGED_ATTEMPTS.format(attempts, handled, genco_command("show N", db)))


def _db(ctx: click.Context, db: str | None) -> str | None:
    """--db may come after the subcommand or before it (on `genco history`)."""
    return db or ctx.obj


@history.command("export", short_help="Write attempts to FILE as JSON Lines: all, or a question's, or a round's.")
@click.argument("file", metavar="FILE")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--salvage", is_flag=True,
              help="The history is damaged: read it attempt by attempt and write every one still readable.")
@click.option("--question", "-q", metavar="ID", callback=lower_case, help="Only attempts at this question.")
@click.option("--source", type=click.Choice(["learner", "interviewer", "all"]), default="all", show_default=True,
              help="Whose attempts: your own, candidates graded with `genco grade` (to share a round's grades "
                   "with a colleague, not your practice), or both.")
@CANDIDATE_OPTION
@DB_OPTION
@click.pass_context
def history_export(ctx: click.Context, file: str, force: bool, salvage: bool, question: str | None, source: str,
                   candidate: str | None, db: str | None) -> None:
    """Write attempts to FILE as JSON Lines ('-' for stdout), all unless filtered; `import` reads it back exactly,
    each attempt numbered anew in the history it goes into (numbers belong to a history file). An
    existing FILE is kept unless --force. The answers of mock interviews are attempts and are
    exported; the interviews' own reports (`genco interview --list`) stay in the history file: to
    move those too, copy the history file itself. --question, --source and --candidate export only
    those attempts: a colleague importing a round's grades gets none of your own practice.

    A history genco calls corrupt can still hold most of its attempts: --salvage only reads it, one
    attempt at a time, writes those it can read and says how many it could not; import FILE into a
    new history (--db) to carry on.

    \b
    Examples:
      genco history export backup.jsonl
      genco history export backup.jsonl --force     replace last week's backup
      genco history export saved.jsonl --salvage    rescue what a damaged history still holds
      genco history export round.jsonl --source interviewer    the candidates graded, for a colleague
    """
    named = _db(ctx, db)
    filtered = question is not None or candidate is not None or source != "all"
    if salvage and filtered:
        raise click.UsageError("--salvage writes every attempt it can read; import them into a new history (--db), "
                               "then export from it with --question, --source or --candidate")
    if named is not None and not check_history_path(Path(named).expanduser()).exists():
        raise InputError(f"{named}: no such history file, so nothing to export (check --db)")
    if salvage:
        _export_salvaged(file, force, named)
        return
    with open_history(named, create=False) as store:
        attempts = store.attempts(question, source=None if candidate else _source(source))
        if candidate is not None:  # UnknownName lists the names graded, as history and report do
            attempts = of_candidate(attempts, candidate, store.attempts(source="interviewer", results=False))
        if question is not None and not attempts:
            check_kept_filters(named, question, None)  # a typo must not write an empty export without a word
        lines = export_lines(attempts)
        interviews, path = len(store.interviews()), store.path
        count = _write_export(file, lines, store.path, force)
        if file != "-":
            click.echo(one_line(f"exported {counted(count, 'attempt')} to {file}"), err=True)
    if interviews:  # their answers are attempts, and exported; the reports of the interviews as a whole are not
        _say_reports_stay(interviews, path, "copy that file to move {them}")


OTHER_FORMATS = {".csv": "genco history --format csv > FILE", ".html": None, ".htm": None,
                 ".md": None, ".markdown": None}
"""Extensions naming a format an export is not (it writes JSON Lines), with the command that writes it, if any."""


def _refuse_another_format(file: str) -> None:
    """An export under a name another format's extension gives (attempts.csv) is a usage error: JSON Lines
    written there would pass for a spreadsheet that opens as one column of braces."""
    suffix = file_extension(file, OTHER_FORMATS)  # ".csv" alone too
    if suffix in OTHER_FORMATS:
        instead = OTHER_FORMATS[suffix]
        raise click.UsageError(f"{file}: an export is JSON Lines, not {suffix[1:]}; name it .jsonl"
                               + (f" (for a table of attempts: {instead})" if instead else ""))


def _write_export(file: str, lines: Iterable[str], history: Path, force: bool) -> int:
    """Export lines to FILE, or to stdout for '-'; how many were written. FILE is never the history itself
    (nor a file beside it SQLite keeps), and an existing one is kept unless `force`."""
    if file != "-":
        check_output_path(file, [history])  # a path that would harm the history is said first
        _refuse_another_format(file)
        return write_file(file, lines, protected=[history], replace=force)
    count = 0
    for line in lines:
        click.echo(line, nl=False)
        count += 1
    return count


def _export_salvaged(file: str, force: bool, db: str | None) -> None:
    """`history export --salvage`: the attempts a damaged history still gives up, and a line on what it kept back."""
    path = check_history_path(db)
    rescued = salvage(path)
    if not rescued.attempts and rescued.unreadable:  # an empty file and exit 0 read as a rescue that worked
        raise HistoryError(f"{path}: salvaged nothing: {counted(rescued.unreadable, 'attempt')} could not be read; "
                           "nothing was written" + (f" to {file}" if file != "-" else ""))
    count = _write_export(file, export_lines(rescued.attempts), path, force)
    lost = [counted(rescued.unreadable, "attempt") + " could not be read"] if rescued.unreadable else []
    if rescued.without_marks:
        lost.append(f"{counted(rescued.without_marks, 'attempt')} lost {'its' if rescued.without_marks == 1 else 'their'}"
                    " concept or misconception marks, or both")
    said = f"salvaged {counted(count, 'attempt')} from {path}" + (f" to {file}" if file != "-" else "")
    whole = "; it holds no attempts" if count == 0 else "; every attempt was read"
    aside = (" (the file alone: the -wal beside it does not fit it, and was left as it was)"
             if rescued.wal_set_aside else "")
    click.echo(one_line(said + aside + (f"; {', '.join(lost)}" if lost else whole)), err=True)
    if rescued.interviews != 0:  # an export holds attempts only: say what stays behind, as a plain export does
        _say_reports_stay(rescued.interviews, path, "keep that file, which still holds {them}")  # a command reading it could fail


def _say_reports_stay(interviews: int | None, path: Path, remedy: str) -> None:
    """Say on stderr that an export leaves the history's mock interview reports behind (their answers are
    attempts, and exported): how many (None: a damaged history whose list cannot be read), and `remedy`,
    with "{them}" standing for the reports."""
    reports, are, their, them = (("the mock interview report", "is", "its", "it") if interviews == 1 else
                                 (f"the {interviews} mock interview reports" if interviews else
                                  "any mock interview reports", "are", "their", "them"))
    click.echo(one_line(f"genco: {reports} kept in {path} {are} not exported ({their} answers are); "
                        + remedy.format(them=them)), err=True)


@history.command("import", short_help="Add the attempts in FILE; ones already kept or deleted are skipped.")
@click.argument("file", metavar="FILE")
@click.option("--include-deleted", is_flag=True,
              help="Also add the attempts of FILE that were deleted from this history (skipped otherwise).")
@DB_OPTION
@click.pass_context
def history_import(ctx: click.Context, file: str, include_deleted: bool, db: str | None) -> None:
    """Add the attempts in FILE (made by `export`, or a recovery file); ones already present are skipped,
    and so are ones deleted from this history since (an export made before `history delete`, imported
    again): a deletion stays done unless --include-deleted.
    `history purge` forgets the deletions with everything else. A grade of a transcript graded here, made
    after the grade kept (a regrade kept in the recovery file while the history was locked), takes that
    grade's place; an earlier or equal one is skipped, the grade kept here standing.

    The whole file is checked first: one bad line imports nothing and names the line.

    \b
    Examples:
      genco history import backup.jsonl
      genco history import laptop.jsonl --include-deleted
    """
    attempts = parse_export(read_export(file), input_name(file), warn=_warn, held=lambda uids: _held_uids(_db(ctx, db), uids))
    repeated = len(attempts) - len({attempt.uid for attempt in attempts})  # the first of each uid is the one kept
    with open_history(_db(ctx, db)) as store:
        stale, later = store.graded_already(attempts)
        graded = {a.uid for a in stale}  # a grade replaced since is said as such
        deleted = set() if include_deleted else store.deleted_uids([a.uid for a in attempts if a.uid not in graded])
        added, skipped = store.add([a for a in attempts if a.uid not in graded | deleted | set(later)])
        replaced = [store.add_grade(a, later[a.uid]) for a in attempts if a.uid in later and a.uid not in deleted]
    again = f", {repeated} repeated in {file} (the first of each kept)" if repeated else ""
    new_grades = [number for _, already, number in replaced if not already]
    revised = [str(number) for number in new_grades if number is not None]
    of_them = (f" ({len(revised)} of them a later grade of a transcript graded there, kept in the place of the grade it "
               f"revises: {', '.join(revised)})") if revised else ""
    regraded = (f", {counted(len(graded), 'grade')} of a transcript {store.path} has graded already (its own grade "
                "stands; delete it there to import the other)") if graded else ""
    gone = (f", {counted(len(deleted), 'attempt')} deleted from it (--include-deleted adds "
            f"{'it' if len(deleted) == 1 else 'them'} back)") if deleted else ""
    click.echo(one_line(f"imported {counted(len(added) + len(new_grades), 'attempt')}{of_them}, skipped "
                        f"{skipped - repeated + len(replaced) - len(new_grades)} already in {store.path}{again}{regraded}{gone}"))


def _held_uids(db: str | None, uids: list[str]) -> set[str]:
    """The uids the history holds already: attempts an import skips need no warning of their own."""
    with open_history(db, create=False) as store:
        return store.held_uids(uids)


def _warn(message: str) -> None:
    """An import's warning, named as every other message of the command is ("genco history import: ...")."""
    click.echo(f"{click.get_current_context().command_path}: {one_line(message)}", err=True)


@history.command("delete", short_help="Delete one ATTEMPT (a number, last, or a uid prefix).")
@click.argument("attempt")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (a terminal asks first).")
@DB_OPTION
@click.pass_context
def history_delete(ctx: click.Context, attempt: str, yes: bool, db: str | None) -> None:
    """Delete one ATTEMPT (its number from `genco history`; `last`, the attempt kept last, the highest number,
    which after an import or a regrade may not be the newest listed; or the first 6 or more characters of its
    uid from `genco history --json`, up to a letter: digits alone are a number). At a terminal it
    names the attempt and asks first; a script (no terminal) deletes at once.

    \b
    Examples:
      genco history delete 12
      genco history delete last --yes
    """
    from .views.report import attempt_score, attempt_time

    with open_history(_db(ctx, db), create=False, write=True) as store:
        found = store.find(attempt)
        whose = f"{one_line(found.candidate)}'s grade, " if found.candidate else ""
        shown = (f"attempt {found.id} ({whose}{found.question} · {found.depth}, score {attempt_score(found)}, "
                 f"{attempt_time(found)})")
        if not yes and cli_answer.on_terminal() and not confirmed(f"Delete {shown}? This cannot be undone"):
            click.echo(one_line(f"nothing deleted: {shown} kept"))  # a choice, not an error: exit 0
            return
        store.delete(str(found.id), uid=found.uid)
    click.echo(one_line(f"deleted {shown}"))


@history.command("purge", short_help="Delete every attempt and interview report (asks first).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@DB_OPTION
@click.pass_context
def history_purge(ctx: click.Context, yes: bool, db: str | None) -> None:
    """Delete every attempt and kept interview report in the history file (asks first). Export
    first if you may want the attempts back (`history export`; interview reports are not exported).

    \b
    Example:
      genco history purge --yes
    """
    with open_history(_db(ctx, db), create=False, write=True) as store:
        seen = store.contents()
        count, _, reports = seen
        held = counted(count, "attempt") + (f" and {counted(reports, 'kept interview report')}" if reports else "")
        if not count and not reports:
            click.echo(one_line(f"no attempts in {store.path}; nothing to purge"))
            return
        if not yes and not confirmed(f"Delete all {held} in {store.path}? This cannot be undone"):
            click.echo(one_line(f"nothing deleted: {held} kept in {store.path}"))  # a choice, not an error: exit 0
            return
        store.purge(seen)
    click.echo(f"deleted {held}")


NO_ANSWER = "no answer to the confirmation (no terminal?); nothing deleted (use --yes)"


def confirmed(question: str) -> bool:
    """The person's yes or no: y or yes is yes; no, the default, and any other answer (a typo) are a
    no the command honours (it exits 0), asked once on stderr (a script reading stdout gets no dangling
    question), and so is Ctrl-D at a terminal. With nobody to
    ask (stdin closed, or piped and at its end) an InputError saying to pass --yes, rather than
    click's bare "Aborted!"; Ctrl-C is an interrupt, exit 130, as in every command."""
    if sys.stdin is None:  # started with stdin closed (<&-): input() would raise "lost sys.stdin"
        raise InputError(NO_ANSWER)
    try:
        answer = click.prompt(f"{question} [y/N]", default="", show_default=False, err=True)  # not a script's output
    except click.Abort as exc:
        if isinstance(exc.__context__, EOFError) and not cli_answer.on_terminal():
            click.echo("", err=True)  # the question's line ends before the error says why
            raise InputError(NO_ANSWER) from None
        click.echo("", err=True)  # the cursor is still on the question's line
        if isinstance(exc.__context__, EOFError):
            return False
        raise KeyboardInterrupt from None
    return answer.strip().lower() in ("y", "yes")


@click.command(cls=Command, short_help="Show one past ATTEMPT: the answer and its score card.")
@click.argument("attempt", default="last")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-model-answer", is_flag=True, help="Hide the model answer after the score.")
@DB_OPTION
@json_shorthand
def show(attempt: str, fmt: str, no_model_answer: bool, db: str | None) -> None:
    """Show one past ATTEMPT in full: the answer as you typed it and its score card.

    ATTEMPT is a number from `genco history`, `last` (the default: the attempt kept last, the
    highest number, which after an import or a regrade may not be the newest listed), or the first 6
    or more characters of its uid (`genco history --json`); digits are a number first, then a uid.

    \b
    Examples:
      genco show 12
      genco show last --format json
    """
    from .views.terminal import render_attempt

    found, card, rubric = find_attempt(db, attempt)
    if fmt == "json":
        # the candidate and the uncertain mark at the top as `history --json` gives them, beside what they come from;
        # why it is uncertain as `score --json` says it (the card's notes keep it)
        band = band_field(card.score, rubric, kept_grade_text(found.grade, "band"))
        echo_in_pieces(dumps({"number": found.id, "candidate": found.candidate, "uncertain": found.uncertain,
                              "uncertain_why": card.uncertain_why, **band, **found.to_json()}, indent=2))
        return
    render_attempt(_console(), found, card, rubric, show_model_answer=not no_model_answer)


@click.command(cls=Command, short_help="Your progress per question and depth, and weak spots.")
@click.option("--question", "-q", metavar="ID", callback=lower_case, help="Only this question.")
@click.option("--depth", "-d", metavar="DEPTH", callback=lower_case, help="Only this depth.")
@click.option("--format", "fmt", type=REPORT_FORMATS, default="text",
              help="text for the terminal; markdown, json, or a self-contained html page with charts "
                   "(default: the one the --out file's extension names, .html, .md, .json or .txt; text for a "
                   "name without one; another extension is refused).")
@out_options("report")
@click.option("--since", type=SINCE, metavar="DATE", help="Only attempts from this local date/time on (YYYY-MM-DD), or of the "
                                                          "last 30m, 12h, 7d, 2w; today, yesterday: progress since then.")
@SOURCE_OPTION
@CANDIDATE_OPTION
@DB_OPTION
@json_shorthand
def report(question: str | None, depth: str | None, fmt: str, out: str | None, force: bool, since: datetime | None,
           source: str, candidate: str | None, db: str | None) -> None:
    """Your progress per question and depth: scores over time, concept mastery, weak spots, mistakes.

    Only your own attempts count unless --source or --candidate says otherwise: candidates graded
    with `genco grade` are not your progress, and each candidate is a report of their own.

    For each question and depth: attempts, first / best / latest score and the trend, mastery
    per concept (average of the last 5 attempts, or of all when fewer), weak spots (up to three concepts not covered
    the last time or under 50 % lately) with what the model answer says about them,
    misconceptions seen and how often, and time spent.

    \b
    Examples:
      genco report
      genco report --format html --out progress.html
      genco report --question coroutine-vs-generator --format markdown --out progress.md
      genco report --depth deep
      genco report --candidate "Ada L." --format html --out ada.html
      genco report --since 2026-03-01
    """
    candidate = candidate_name(db, candidate) if candidate is not None else None  # as kept: "Ada" is "Ada Lovelace"
    built = progress_report(db, question, _source(source), candidate, normalise_time(since) if since else None,
                            depth=depth)
    if not built.sections:
        check_kept_filters(db, question, depth)
    if len(built.people) > 1:
        click.echo(one_line(f"genco: this report mixes the attempts of {len(built.people)} people "
                            f"({', '.join(built.people)}); --candidate NAME reports one candidate, `genco candidates` compares them"), err=True)
    _shown_or_written("report", fmt, out, force, built)
    _say_damaged(built.left_out, db, "left out of this report")


@click.command(cls=Command, short_help="Candidates side by side: latest grades, concept by concept.")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--question", "-q", metavar="ID", callback=lower_case, help="Only this question.")
@click.option("--since", type=SINCE, metavar="DATE", help="Only grades from this local date/time on (YYYY-MM-DD), or of the last 30m, 12h, 7d, 2w; today, yesterday.")
@click.option("--format", "fmt", type=click.Choice(formats("candidates")), default="text",
              help="text for the terminal; markdown for hiring notes; html, one page to mail or print; json for tools "
                   "(default: the one the --out file's extension names, .md, .html, .json or .txt; text for a name "
                   "without one).")
@out_options("comparison")
@DB_OPTION
@json_shorthand
def candidates(names: tuple[str, ...], question: str | None, since: datetime | None, fmt: str, out: str | None,
               force: bool, db: str | None) -> None:
    """Candidates graded with `genco grade`, side by side: per question and depth, each one's
    latest grade, best score first, with its band, a mark per concept, the red flags heard and
    the attempt that `genco show` opens.

    NAME picks candidates to compare (as `--candidate` finds one: case aside, a surname or first
    name alone when no other candidate has it); none compares everyone graded. "(2×)" says a
    candidate was graded on two transcripts of a question at a depth (two interviews): the latest
    is shown (a transcript graded again replaces its earlier grade). A score ending in "?" was
    marked uncertain: have a person check it before you rank on it (marking every concept with
    --override settles it).

    \b
    Examples:
      genco candidates
      genco candidates "Ada Lovelace" "Bob Smith" -q coroutine-vs-generator
      genco candidates --since 2026-03-01 --format markdown > shortlist.md
      genco candidates -q coroutine-vs-generator --out shortlist.html   one page for the hiring committee
    """
    compared = candidate_comparison(db, names, question, normalise_time(since) if since else None)
    if not compared.sections:
        check_kept_filters(db, question, None)
    _shown_or_written("candidates", fmt, out, force, compared)
    _say_damaged(compared.left_out, db, "left out of this comparison")


def _shown_or_written(subject: str, fmt: str, out: str | None, force: bool, built: Report | Comparison) -> None:
    """`built` on stdout, or written to --out in the format its extension names (output_and_format): an earlier
    document of the kind genco wrote there is replaced, any other file only with `force`, and never the history
    `built` was read from."""
    protected = [Path(built.source)]
    out, fmt = output_and_format(subject, fmt, out, protected)  # the extension before the file there: --force would not mend it
    if out is None:
        emit(subject, fmt, built)
        return
    from .views.comparison import COMPARISON_HEADS
    from .views.report import REPORT_HEADS

    what, heads = {"report": ("report", REPORT_HEADS), "candidates": ("comparison", COMPARISON_HEADS)}[subject]
    refuse_a_foreign_file(out, heads, what, force)  # how each document genco writes starts
    write_file(out, [file_text(subject, fmt, built)], protected=protected)
    click.echo(one_line(f"wrote the {fmt} {what} to {path_shown(out)}"), err=True)


def _source(choice: str) -> str | None:
    """The --source choice as a history filter (None: every attempt)."""
    return None if choice == "all" else choice


@click.command("next", cls=Command, short_help="What to practise now: a question, depth and concepts.")
@click.option("--format", "fmt", type=click.Choice(formats("next")), default="text", show_default=True)
@SOURCE_OPTION
@CANDIDATE_OPTION
@DB_OPTION
@json_shorthand
def next_command(fmt: str, source: str, candidate: str | None, db: str | None) -> None:
    """What to practise now: a question, a depth and the concepts to focus on.

    A spaced-repetition schedule (FSRS) over concepts: concepts you missed come back soon,
    ones you state well come back after growing intervals, new ones are introduced when
    nothing is due. Built from your own attempts unless --source or --candidate says otherwise
    (candidates graded with `genco grade` are not your progress); --candidate NAME plans for
    that one candidate alone.

    \b
    Examples:
      genco next
      genco next --format json
      genco next --candidate "Ada L."
    """
    candidate = candidate_name(db, candidate) if candidate is not None else None  # grade them again as kept
    suggestion, unplanned, left_out = next_plan(db, _source(source), candidate)
    if unplanned:
        whose = (f"{one_line(candidate)}'s grades on" if candidate is not None else
                 {"learner": "your attempts at", "interviewer": "the grades on"}.get(source, "the attempts at"))
        with suppress(OSError):  # a stderr that cannot be written is no reason to lose the plan
            _warn(f"{whose} {listed(unplanned)} are not planned: no rubric on the search path that loads has "
                  f"{'it' if len(unplanned) == 1 else 'them'} (for a rubric of your own, set {RUBRICS_ENV} to its "
                  "folder; `genco rubric list` names a file that does not load)")
    emit("next", fmt, suggestion, candidate, _source(source), db)
    _say_damaged(left_out, db, "left out of this plan")
