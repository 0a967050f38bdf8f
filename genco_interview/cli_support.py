"""What every command module shares: the terminal console and the mapping of known failures to
one line on stderr and an exit code.

Kept out of cli.py so the command modules (cli.py, cli_history.py) import it, not each other.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console

from .answers import InputError
from .output import SafeConsole, one_line
from .rubric import RubricError, UnknownName


def fail(message: str, code: int = 1) -> None:
    """Print `message` as one "Error:" line on stderr and exit with `code` (1: bad input)."""
    click.echo(f"Error: {one_line(message)}", err=True)
    sys.exit(code)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Known failures become one line on stderr and an exit code, never a traceback: an unknown
    question or depth is a usage error (exit 2), bad input, a broken rubric, model or history exit 1."""
    from .embedding import ModelError
    from .history import HistoryError

    try:
        yield
    except UnknownName as exc:  # a usage error: one line naming the command and its help, like click's own
        raise click.UsageError(str(exc), ctx=click.get_current_context(silent=True)) from None
    except (RubricError, InputError, ModelError, HistoryError) as exc:
        fail(str(exc))


def make_console(err: bool = False) -> Console:
    """A console for stdout (or stderr) that strips control characters from everything it prints."""
    return SafeConsole(stderr=err, highlight=False, soft_wrap=False)
