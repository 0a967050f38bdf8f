"""The `genco` command's entry point, kept free of imports: Ctrl-C while genco's own modules load
(click, rich, the command tree: a few tenths of a second) is an interrupt like any other, one line
and exit 130, not a KeyboardInterrupt traceback."""

from __future__ import annotations

import os
import sys

from .interrupts import INTERRUPT_EXIT  # standard library only: imported in a blink


def main() -> None:
    # numpy's OpenBLAS starts a thread per core as numpy is imported (a fifth of numpy's import on 2 cores)
    # for products never large enough to share out: the scorer's are (parts x 384) by (384 x exemplars).
    # The same figures bit for bit; a value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("genco: interrupted\n")
        raise SystemExit(INTERRUPT_EXIT) from None
    run()
