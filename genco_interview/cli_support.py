"""What every command module shares: the terminal console and the mapping of known failures to
one line on stderr, starting with the command ("genco show: no attempt '999' ..."), and an exit code.

Kept out of cli.py so the command modules (cli.py, cli_history.py) import it, not each other.
"""

from __future__ import annotations

import codecs
import functools
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from .answers import lower_name
from .embedding import BACKENDS
from .errors import GencoError, command_of
from .interrupts import INTERRUPT_EXIT, set_aside
from .output import clean, one_line, path_shown
from .paths import expand_home, is_unnamed

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console


class _FilePath(click.ParamType):
    """A file or folder option's value as a shell reads it (paths.expand_home): the shell leaves the "~" of
    `--out=~/report.html` as typed, and a folder named "~" was made in the current one."""

    name = "path"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's own signature
        return expand_home(value) if isinstance(value, str) else value


FILE_PATH = _FilePath()


def model_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--model's value: one that names nothing (paths.is_unnamed) is a usage error, as an empty --db is; typed
    empty, it loaded the bundled model without a word, blank it failed as a folder ' ' (exit 1). An empty
    GENCO_MODEL is unset, as an empty GENCO_HOME is."""
    if value is None or not is_unnamed(value):
        return value
    from_environment = ctx.get_parameter_source(param.name or "") == ParameterSource.ENVIRONMENT
    if value == "" and from_environment:
        return None
    raise click.BadParameter("is empty or blank; give a model folder, or leave it out for the bundled model",
                             param_hint="GENCO_MODEL" if from_environment else "'--model'")


MODEL_OPTION = click.option(
    "--model", type=FILE_PATH, metavar="PATH", envvar="GENCO_MODEL", show_envvar=True, callback=model_folder,
    help="Local sentence-transformers model directory (default: the bundled all-MiniLM-L6-v2).",
)
BACKEND_OPTION = click.option(
    "--backend", type=click.Choice(BACKENDS), envvar="GENCO_BACKEND", show_envvar=True,
    help="auto (default): the fast ONNX export when it is built, else sentence-transformers on torch; "
         "onnx-int8 is the smaller, less exact quantized export.",
)
def lower_case(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A depth or question id as typed, in lower case: both are lower case (rubric.DEPTH_NAME,
    rubric.RUBRIC_ID), so "-d Quick" is quick and "-q Coroutine-vs-generator" the flagship."""
    return lower_name(value)


DEPTH_OPTION = click.option("--depth", "-d", metavar="DEPTH", callback=lower_case,
                            help="A depth of the rubric: quick, detailed or deep in the shipped ones (default: the rubric's first depth).")


def no_save_option(kept: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--no-save`, whose help names what the command would keep (`kept`: "this attempt", ...)."""
    return click.option("--no-save", is_flag=True, help=f"Do not keep {kept} in your history.")


NO_SAVE_OPTION = no_save_option("this attempt")
"""The options the scoring commands share (practice, score, grade; interview names what it keeps)."""


def out_options(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out FILE` and `--force` for a command that writes a document of its own (`what`: "report"): an
    earlier one there is replaced, any other file only with --force (outfile.refuse_a_foreign_file)."""
    def add(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option("--force", is_flag=True, help=f"Overwrite --out even if it is not a {what} genco wrote.")(command)
        return click.option("--out", "-o", type=FILE_PATH, metavar="FILE",
                            help=f"Write to FILE instead of stdout ('-': stdout); an earlier {what} there is replaced, "
                                 "any other file only with --force.")(command)
    return add


def json_shorthand(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds `--json`, the same as `--format json`, to a command with a `--format` option (`fmt`), so
    every command with JSON output takes both spellings. Put it right above the function."""

    @click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
    @functools.wraps(command)
    def with_json(*args: Any, as_json: bool, fmt: str, **kwargs: Any) -> Any:
        chosen = click.get_current_context().get_parameter_source("fmt") == ParameterSource.COMMANDLINE
        if as_json and fmt != "json" and (chosen or fmt != "text"):
            raise click.UsageError(f"--json and --format {fmt} ask for different outputs; give one of them")
        return command(*args, fmt="json" if as_json else fmt, **kwargs)

    return with_json


def format_spelling(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds `--format text|json` to a command whose JSON switch is `--json` (`as_json`): the other spelling."""

    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), help="Same as --json when json.")
    @functools.wraps(command)
    def with_format(*args: Any, fmt: str | None, as_json: bool, **kwargs: Any) -> Any:
        if as_json and fmt == "text":
            raise click.UsageError("--json and --format text ask for different outputs; give one of them")
        return command(*args, as_json=as_json or fmt == "json", **kwargs)

    return with_format


def say_error(message: str, command: str | None = None) -> None:
    """`message` as one line on stderr starting with its command, like a usage error's line:
    `command` ("genco show"), else the command running now, else "genco"."""
    if command is None:
        ctx = click.get_current_context(silent=True)
        command = ctx.command_path if ctx is not None else "genco"
    click.echo(f"{command}: {one_line(message)}", err=True)


def fail(message: str, code: int = 1, command: str | None = None) -> None:
    """Print `message` as one line on stderr naming the command (`say_error`) and exit with `code` (1: bad input)."""
    say_error(message, command)
    sys.exit(code)


def error_ending(exc: GencoError) -> tuple[str, int]:
    """The line a GencoError ends its command with, and the exit code: "interrupted; ..." and 130 when an
    interrupt was held until the step that failed (set_aside: a save that a locked history refused)."""
    if set_aside() is not None:
        return f"interrupted; {exc}", INTERRUPT_EXIT
    return str(exc), exc.exit_code


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Every GencoError, and every failure click reports that is not a usage error (a file it cannot
    open), becomes one line on stderr naming its command, and its exit code, never a traceback
    (bad input, a broken rubric, model or history: exit 1). The CLI group wraps every command in
    it. A name that does not exist has become a usage error in its command already (cli_usage)."""
    try:
        yield
    except click.UsageError:
        raise
    except GencoError as exc:
        fail(*error_ending(exc), command_of(exc))
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code, command_of(exc))
    except UnicodeEncodeError as exc:
        if codecs.lookup(exc.encoding).name != codecs.lookup(sys.getfilesystemencoding()).name:
            raise
        fail(f"a file name holds {exc.object[exc.start:exc.end]!r}, which file names cannot hold in this locale "
             f"({exc.encoding}); run with LC_ALL=C.UTF-8 or PYTHONUTF8=1", command=command_of(exc))


def emit(subject: str, fmt: str, *args: object, console: Console | None = None) -> None:
    """`subject` in format `fmt` through its registered view (views/formats.py): drawn on the
    console (stdout's unless one is given), or its text printed to stdout, cleaned, ending in
    exactly one line break. A view that does not draw never creates a console, so one kept in a
    module without rich (a score card's JSON) loads none."""
    from .views.formats import draws, get_writer

    if console is None and draws(subject, fmt):
        console = make_console()
    text = get_writer(subject, fmt)(console, *args)
    if text is not None:
        echo_in_pieces(clean(text))


def file_text(subject: str, fmt: str, *args: object) -> str:
    """`subject` in format `fmt` as the text of a file (`--out`): a view that draws is recorded plain,
    100 columns wide, with no colour and no blanks padding its lines; one that returns text is cleaned."""
    from .views.formats import draws, get_writer

    if draws(subject, fmt):
        from .views.console import SafeConsole

        console = SafeConsole(record=True, width=100, file=io.StringIO(), color_system=None)
        get_writer(subject, fmt)(console, *args)
        return "".join(line.rstrip() + "\n" for line in console.export_text().splitlines())  # no table padding
    return clean(get_writer(subject, fmt)(None, *args) or "")


def output_and_format(subject: str, fmt: str, out: str | None, protected: Sequence[Path] = ()) -> tuple[str | None, str]:
    """An --out option's file (None for stdout: no option, or '-') and the format to write: the file is
    checked first (outfile.check_output_path: a history or a device named is said before its extension is),
    then the format is read from --format or the file's extension (format_for_file)."""
    from .outfile import check_output_path

    out = None if out == "-" else out
    if out is not None:  # '' too: an empty name is refused, not read as standard output
        check_output_path(out, protected)
    return out, format_for_file(subject, fmt, out)


def format_for_file(subject: str, fmt: str, out: str | None) -> str:
    """The format asked for (--format, or --json); without one, the format the --out file's extension
    names, so `--out progress.html` is the HTML page, not text under an .html name; text for a name
    without an extension. An extension that names no format of `subject` (.pdf) is a usage error listing
    those that do, and so is one naming another format than --format: text written under it would
    pass for a file it is not."""
    from .views.formats import extensions, file_extension, format_of_file

    asked = click.get_current_context().get_parameter_source("fmt") == ParameterSource.COMMANDLINE
    named = None if out is None else format_of_file(subject, out)
    if (asked or fmt != "text") and named is not None and named != fmt:  # Markdown in progress.html reads as one blob
        fitting = [extension for extension in extensions(subject) if format_of_file(subject, f"x{extension}") == fmt]
        raise click.UsageError(f"--out {out} is named for the {named} format, but --format {fmt} was asked for; "
                               f"end its name in {fitting[0] if fitting else 'another extension'}, or leave --format out")
    if asked or fmt != "text" or out is None:
        return fmt
    suffix = file_extension(out)
    if named is None and suffix:
        known = extensions(subject)
        raise click.UsageError(f"--out {path_shown(out)}: {path_shown(suffix)} is not a {subject} format; name the file "
                               f"{', '.join(known[:-1])} or {known[-1]} (no extension: text), or give --format")
    return named or fmt


OUTPUT_PIECE = 1 << 16
"""Characters per write of a long output: about a pipe's buffer."""


def echo_in_pieces(text: str) -> None:
    """Print `text` to stdout, ending in exactly one line break, a piece at a time.

    A reader that leaves while one large write is under way (`genco history --json | head -1`, 2 MB)
    takes part of it and the rest vanishes: Python reports no error and genco exited 0, where a
    text listing, written a line at a time, exits 141. Written in pieces, the next piece meets the
    closed pipe, and BrokenPipeError ends the command as everywhere."""
    for start in range(0, len(text), OUTPUT_PIECE):
        click.echo(text[start : start + OUTPUT_PIECE], nl=False)
    if not text.endswith("\n"):
        click.echo("")


def prompt_console(console: Console) -> Console:
    """Where a question and the prompts to answer it go: stderr when a person types at a terminal while stdout
    goes to a file or a pipe (`genco practice > card.txt` asked into the file, and they typed blind), else
    `console`; the card stays on stdout."""
    if not sys.stdin or not _is_terminal(sys.stdin) or _is_terminal(sys.stdout):
        return console
    return make_console(err=True)


def _is_terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal; False for a closed one or an object without isatty."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def make_console(err: bool = False) -> Console:
    """A console for stdout (or stderr) that strips control characters from everything it prints.
    A stream that is no terminal is drawn for as a pipe whatever the environment says: rich would take
    FORCE_COLOR or TTY_COMPATIBLE (often set for a whole CI job) as a terminal, and a pipe would get
    colour codes and a table cut to a width instead of a listing's whole tab-separated lines. On a
    terminal rich decides as it does (TTY_COMPATIBLE=0, IDLE)."""
    from .views.console import SafeConsole

    terminal = _is_terminal(sys.stderr if err else sys.stdout)
    return SafeConsole(stderr=err, highlight=False, soft_wrap=False, force_terminal=None if terminal else False)
