"""The one base class of every failure a person can fix, and the exit code it ends a command with.

Each module raises its own subclass (a rubric that does not load, unusable input, a model that
cannot be found, a history file that cannot be used); the CLI group maps them all in one place
(cli_support.friendly_errors) to one "Error:" line on stderr and the class's exit code, so no
command needs its own try/except and none can forget one.
"""

from __future__ import annotations

from typing import ClassVar


class GencoError(Exception):
    """A failure the person at the keyboard can fix. The message is one line and names what to fix."""

    exit_code: ClassVar[int] = 1
    """1: bad input, rubric, model or history; 2: a usage error (see docs/commands.md, exit codes)."""


class UsageProblem(GencoError):
    """A name on the command line that does not exist (a question, a depth); shown like click's usage errors."""

    exit_code: ClassVar[int] = 2
