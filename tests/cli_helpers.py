"""The one way tests run a genco command: in-process with click's runner, as `genco`, without
colour and wide enough that no line wraps mid-word (a test may pass env to add or override)."""

from __future__ import annotations

from click.testing import CliRunner, Result

from genco_interview.cli import cli

TERMINAL = {"NO_COLOR": "1", "COLUMNS": "240"}


def invoke(*args: str, input: str | bytes | None = None, env: dict[str, str | None] | None = None) -> Result:
    """`genco ARGS...` with `input` on stdin; stdout and stderr are kept apart in the result. A variable
    `env` sets to None is unset."""
    return CliRunner().invoke(cli, list(args), input=input, env={**TERMINAL, **(env or {})}, prog_name="genco")


def flat(text: str) -> str:
    """Output with every run of whitespace one space: what a terminal wrapped reads as one line again."""
    return " ".join(text.split())
