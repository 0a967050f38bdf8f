"""The `genco` command's entry point, kept free of imports: Ctrl-C while genco's own modules load
(click, rich, the command tree: a few tenths of a second) is an interrupt like any other, one line
and exit 130, not a KeyboardInterrupt traceback."""

from __future__ import annotations

import sys

from .interrupts import INTERRUPT_EXIT  # standard library only: imported in a blink


def main() -> None:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("genco: interrupted\n")
        raise SystemExit(INTERRUPT_EXIT) from None
    run()
