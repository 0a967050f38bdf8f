"""How genco reports a usage error: one line on stderr naming the command and its help, exit 2.

click's own report is three or four lines (usage, a hint, a blank line, the error). Every genco
command and group is built from the classes here, so each parse error knows the command it
belongs to; the top-level group turns any usage error into the one line (`usage_errors_on_one_line`).
Any other failure leaving a command is marked with the command it came from (errors.mark_command), so its
one line starts with that command too (cli_support.friendly_errors).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from .errors import GencoError, UsageProblem, mark_command
from .output import one_line
from .paths import check_home


class _NamesItsCommand:
    """click's option parser raises some usage errors ("requires an argument", "does not take a
    value") without their context, which would leave the line without the command it is about;
    a name the command was given that does not exist (UsageProblem) is a usage error of it; and
    any other failure (a GencoError, a file click cannot open) is marked with the command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _refuse_repeated_options(self, ctx, args)  # type: ignore[arg-type]
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except click.UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise
        except (GencoError, click.ClickException, UnicodeEncodeError) as exc:  # the last: a file name (cli_support)
            mark_command(exc, ctx.command_path)
            raise

    def invoke(self, ctx: click.Context) -> object:
        try:
            if not _hands_on(self, ctx):  # after parsing: a command's --help needs no home
                check_home()
            return super().invoke(ctx)  # type: ignore[misc]
        except UsageProblem as exc:
            raise click.UsageError(str(exc), ctx=ctx) from None
        except click.UsageError:
            raise
        except (GencoError, click.ClickException, UnicodeEncodeError) as exc:  # the last: a file name (cli_support)
            mark_command(exc, ctx.command_path)
            raise


def _refuse_repeated_options(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """An option that takes one value, given twice (`--answer A --answer B`), is a usage error:
    click would keep the last one silently, and score or save something the user did not mean."""
    _, _, order = command.make_parser(ctx).parse_args(args=list(args))
    seen: set[str | None] = set()
    for param in order:
        if isinstance(param, click.Option) and not (param.multiple or param.count or param.is_flag):
            if param.name in seen:
                raise click.UsageError(f"{param.opts[0]} is given more than once; give it once", ctx=ctx)
            seen.add(param.name)


def _hands_on(command: object, ctx: click.Context) -> bool:
    """Whether a group is about to hand over to one of its commands (which then checks the home itself)."""
    return isinstance(command, click.Group) and bool(getattr(ctx, "_protected_args", None) or ctx.args)


class Command(_NamesItsCommand, click.Command):
    """A genco command: its usage errors name it."""


COMMAND_WORDS = {
    "genco": {"start": "practice", "quiz": "practice", "ask": "practice", "answer": "score",
              "stats": "report", "progress": "report", "web": "serve", "server": "serve", "list": "rubric list"},
    "genco rubric": {"print": "show ID --format html", "sheet": "show", "ls": "list", "create": "new", "add": "new",
                     "init": "new", "skeleton": "new", "check": "validate", "lint": "validate", "howto": "guide"},
    "genco history": {"rm": "delete", "remove": "delete", "del": "delete", "clear": "purge", "save": "export",
                      "load": "import"},
    "genco model": {"build": "export", "show": "info", "clean": "prune"},
}
"""Words people type for a command, by group, and the command that does it: "no such command 'print'" alone
left an interviewer to find `rubric show --format html`, the sheet to print."""


OPTION_ELSEWHERE = {
    "genco practice": {"--answer": "to score an answer already written, use: genco score QUESTION --answer TEXT",
                       "--answer-file": "to score an answer already written, use: genco score QUESTION --answer-file FILE"},
}
"""Options people give a command that another command has, by command, and that command: `practice --answer`
was told "Did you mean '--no-model-answer'?", where scoring an answer already written is `score`'s."""


class Group(_NamesItsCommand, click.Group):
    """A genco command group: its usage errors name it, and so do those of its commands and groups.
    Given no command, it prints its help on stdout and exits 0: `genco` alone is a request for help, not a
    mistake (click prints the help on stderr and exits 2)."""

    command_class = Command
    group_class = type

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """The command `args` name; a word people type for another command (COMMAND_WORDS) is a usage error
        that names the command meant."""
        if args and self.get_command(ctx, args[0]) is None:
            if args[0].lower() == "help":
                _print_help(self, ctx, args[1:])
            meant = COMMAND_WORDS.get(ctx.command_path, {}).get(args[0].lower())
            if meant is not None:
                raise click.UsageError(f"no such command {args[0]!r}; use: {ctx.command_path} {meant}", ctx=ctx)
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)


def _print_help(group: click.Group, ctx: click.Context, names: list[str]) -> None:
    """`genco help`, `genco help COMMAND ...` (`genco help rubric show`, `genco rubric help show`): the help they
    name, as --help prints it, then exit 0; a name that is no command there is a usage error, as `genco NAME` is."""
    command: click.Command = group
    shown = ctx
    for name in names:  # `genco help rubric show`: down the groups
        if name in ctx.help_option_names:
            break
        found = command.get_command(shown, name) if isinstance(command, click.Group) else None
        if found is None:
            raise click.UsageError(f"no such command {name!r}", ctx=shown)
        command, shown = found, click.Context(found, info_name=found.name, parent=shown)
    click.echo(shown.get_help(), color=ctx.color)
    ctx.exit(0)


@contextmanager
def usage_errors_on_one_line() -> Iterator[None]:
    """A usage error inside (an unknown option, command or choice, a missing argument, a value of the
    wrong type, a command's own UsageError) is printed as one line and exits 2."""
    try:
        yield
    except click.UsageError as exc:
        show_usage_error(exc)
        sys.exit(exc.exit_code)


def usage_line(exc: click.UsageError) -> str:
    """`genco score: no such option '--bogus' (see genco score --help)`: what, where, and where to read more."""
    ctx = exc.ctx
    command = ctx.command_path if ctx is not None else "genco"
    message = exc.format_message().strip().removesuffix(".")
    elsewhere = OPTION_ELSEWHERE.get(command, {}).get(getattr(exc, "option_name", ""))
    if isinstance(exc, click.NoSuchOption) and elsewhere is not None:
        message = f"no such option {exc.option_name!r}; {elsewhere}"
    if message[:1].isupper() and message[1:2].islower():  # click's sentences, not an acronym or an option
        message = message[0].lower() + message[1:]
    help_names = ctx.help_option_names if ctx is not None else []
    hint = f" (see {command} {max(help_names, key=len)})" if help_names else ""
    return one_line(f"{command}: {message}{hint}")


def show_usage_error(exc: click.UsageError) -> None:
    click.echo(usage_line(exc), err=True)
