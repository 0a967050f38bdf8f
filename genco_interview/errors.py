"""The one base class of every failure a person can fix, and the exit code it ends a command with.

Each module raises its own subclass (a rubric that does not load, unusable input, a model that
cannot be found, a history file that cannot be used); the CLI group maps them all in one place
(cli_support.friendly_errors) to one line on stderr starting with the command ("genco show: ...")
and the class's exit code, so no
command needs its own try/except and none can forget one.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar


def quoted(name: str, limit: int = 40) -> str:
    """A name as an error quotes it (repr), cut to `limit` characters: a 3,000-character id pasted by
    mistake must not become a 3,000-character error line."""
    return repr(cut(name, limit))


def cut(text: str, limit: int = 40) -> str:
    """`text` in at most `limit` characters, "…" marking where it was cut (a name cut bare read as whole)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def line_and_column(text: str | bytes, offset: int) -> tuple[int, int]:
    """Where `offset` (0-based, in characters or bytes as `text` is) falls, as an editor counts it: its
    line and its place on that line, both from 1, lines broken at \\n alone (YAML and str.splitlines
    count more breaks, which no editor shows)."""
    newline = b"\n" if isinstance(text, bytes) else "\n"
    return text.count(newline, 0, offset) + 1, offset - text.rfind(newline, 0, offset)


def json_kind(value: Any) -> str:
    """A JSON value for an error line: a container by its kind ("a list"), anything else as written
    (at most 30 characters)."""
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "a list"
    return cut(json.dumps(value), 30)


class GencoError(Exception):
    """A failure the person at the keyboard can fix. The message is one line and names what to fix."""

    exit_code: ClassVar[int] = 1
    """1: bad input, rubric, model or history; 2: a usage error (see docs/commands.md, exit codes)."""


class UsageProblem(GencoError):
    """A name on the command line that does not exist (a question, a depth); shown like click's usage errors."""

    exit_code: ClassVar[int] = 2


_COMMAND = "genco_command"
"""The attribute a failure carries naming the command it left (e.g. "genco history delete"): set by
the command classes (cli_usage), read where the failure becomes its one line (cli_support)."""


def mark_command(exc: BaseException, command_path: str) -> None:
    """Name the command `exc` came from, unless a command nearer to it already did."""
    if getattr(exc, _COMMAND, None) is None:
        setattr(exc, _COMMAND, command_path)


def command_of(exc: BaseException) -> str | None:
    """The command a failure came from ("genco show"), or None when none marked it."""
    return getattr(exc, _COMMAND, None)
