"""The `genco` command's entry point, kept free of imports: Ctrl-C, SIGTERM or SIGHUP while genco's own
modules load (click, rich, the command tree: a few tenths of a second) is an interrupt like any other, one
line and exit 130, not a KeyboardInterrupt traceback nor a silent kill."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

from .interrupts import INTERRUPT_EXIT, SIGNALS  # standard library only: imported in a blink


def single_threaded_blas() -> None:
    """Start numpy's OpenBLAS with one thread (call before numpy is imported; a value the user set is kept).

    By default it starts a thread per core as numpy is imported (a fifth of numpy's import on 2
    cores) for products never large enough to share out: the scorer's are (parts x 384) by
    (384 x exemplars). Worse, its threads keep spinning after a product and take the cores the
    model's next run needs: a served answer took about 15 % longer. The same figures bit for bit.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _ctrl_c_raises() -> None:
    """Ctrl-C raises KeyboardInterrupt from here on, also in a genco started with SIGINT ignored.

    A process started in the background by a non-interactive shell (`genco practice &` in a script,
    a harness driving a terminal) inherits SIGINT ignored, and Python then installs no handler for
    it. Each command installs its own anyway (interrupts.caught_interrupts), so a Ctrl-C was only
    lost while genco's modules loaded: silently, and practice went on to wait at its prompt for an
    answer nobody was going to type (7 of 8 Ctrl-Cs in its first 0.12 s)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main() -> None:
    single_threaded_blas()
    _ctrl_c_raises()
    stopping = [number for number in SIGNALS if number != signal.SIGINT]
    for number in stopping:  # a supervisor's SIGTERM while genco loads: one line and 130, not a silent kill
        signal.signal(number, _stop_loading)
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("genco: interrupted\n")
        raise SystemExit(INTERRUPT_EXIT) from None
    for number in stopping:  # each command sets its own handlers (interrupts.caught_interrupts)
        signal.signal(number, signal.SIG_DFL)
    run()


def _stop_loading(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or SIGHUP while genco's modules load: stop as Ctrl-C does there."""
    raise KeyboardInterrupt
