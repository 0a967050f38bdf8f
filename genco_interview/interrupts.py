"""Ctrl-C, SIGTERM, a closed terminal (SIGHUP) and Ctrl-\\ (SIGQUIT) as one exception, so each is handled
like Ctrl-C.

Python turns only SIGINT into an exception; SIGTERM, SIGHUP and SIGQUIT kill the process at once, which
loses a half-typed answer or a batch's scored rows. Inside `caught_interrupts()` all of them raise
`Interrupted` (a KeyboardInterrupt), and `held()` defers them past a step that must not be cut
in half, such as saving a chunk of results and printing it.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

INTERRUPT_EXIT = 130
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name))
"""SIGQUIT is Ctrl-\\, one key above Enter on a US keyboard: by default it killed genco with a core dump, and a
half-typed answer was lost with no word."""
_NAMES = {int(number): signal.Signals(number).name for number in SIGNALS}
"""Looked up, not built, in the handler: a second signal landing inside the Enum machinery while it
builds a name turned the interrupt into a SystemError traceback."""
RESEND_AFTER = 0.1
"""Seconds a signal may wait for its handler before the main thread is sent it again (see woken_reads)."""
RESEND_LOST_AFTER = 0.02
"""Seconds after Python swallowed an interrupt (in a finaliser) before it is sent again: time to leave it."""


class Interrupted(KeyboardInterrupt):
    """The user or the system asked genco to stop; `signal_name` says which way."""

    def __init__(self, signal_name: str = "SIGINT") -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


class _Handler:
    """Raises Interrupted on a signal, or remembers it while a step is held or while the interrupt it
    raised is still on its way out: a second signal (a supervisor's or a closing terminal's repeat)
    raised in the handling of the first would cut it short, before a JSON batch prints its closing "]"."""

    def __init__(self) -> None:
        self.holding = 0
        self.pending: str | None = None
        self.calls = 0
        """How many signals this handler has seen: woken_reads resends one it has not."""
        self.in_flight = False
        """An Interrupted this handler raised is being handled (the command is ending)."""
        self.set_aside: str | None = None
        """An interrupt held until a step that then ended in an error (held): the error ends the command, in 130."""

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        global _raised
        self.calls += 1
        name = _NAMES.get(signum, str(signum))
        if self.holding or self.in_flight:
            self.pending = self.pending or name
            return
        _raised = name
        self.in_flight = True
        raise Interrupted(name)


_raised: str | None = None


def interrupt_raised() -> bool:
    """Whether an interrupt was raised in this process. An extension module interrupted while it
    imports (numpy's C API, under onnxruntime) replaces the interrupt with its own ImportError and
    drops the chain, so the exception alone cannot tell."""
    return _raised is not None


_active: _Handler | None = None
_process_ends_with_block = False


def end_the_process_with_the_block() -> None:
    """For the program's entry point, whose process ends when its command does: after an interrupt,
    `caught_interrupts` then ignores further signals instead of handing them back to their old
    handlers. A supervisor or a closing terminal often sends SIGTERM or SIGHUP more than once, and
    the default handler of a second one would kill the process while it prints its last line, with
    exit 143 or 129 instead of 130."""
    global _process_ends_with_block
    _process_ends_with_block = True


@contextmanager
def caught_interrupts() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise Interrupted; the old handlers come back after.

    Signal handlers can only be set from the main thread; elsewhere (a test runner's worker) the
    block runs with Python's defaults, where Ctrl-C is still a KeyboardInterrupt.
    """
    global _active
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handler, outer = _Handler(), _active
    previous = {number: signal.signal(number, handler) for number in SIGNALS}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _resending_lost_interrupts(previous_hook)
    _active = handler
    try:
        yield
    finally:
        leaving = _process_ends_with_block and handler.calls > 0
        for number, old in previous.items():
            signal.signal(number, signal.SIG_IGN if leaving else old)
        sys.unraisablehook = previous_hook
        _active = outer


def _resending_lost_interrupts(previous_hook):  # noqa: ANN001, ANN202 - sys.unraisablehook's own types
    """An unraisable-exception hook that sends an interrupt Python swallowed to the main thread again.

    The handler raises wherever the main thread happens to be; when that is a generator being closed
    or a callback (a weakref's, an import lock's), Python can only print "Exception ignored in ..."
    with a traceback and drop it, and the command went on as if Ctrl-C had not been pressed (seen
    about once in 45 presses just after an answer was read). Sent again, it lands in ordinary code."""
    def hook(unraisable: object) -> None:
        exc = getattr(unraisable, "exc_value", None)
        if isinstance(exc, Interrupted):  # sent from another thread, a moment later: sent from here, the
            # handler would run inside this hook, where its exception is swallowed again
            if _active is not None:
                _active.in_flight = False  # swallowed: it is not on its way out, so the one sent again is raised
            resend = threading.Timer(RESEND_LOST_AFTER, _deliver_to_main_thread, args=(exc.signal_name,))
            resend.daemon = True
            resend.start()
            return
        previous_hook(unraisable)

    return hook


def stop_asked() -> bool:
    """Whether an interrupt is waiting for a held step to end (held), or the command is ending on one: a
    step that waits on something else (another program's lock on the history) gives up then, rather than
    keep Ctrl-C waiting out its wait (a mock interview's report, kept after the interrupt, waited it out)."""
    return _active is not None and (_active.pending is not None or _active.in_flight)


def set_aside() -> str | None:
    """The signal of an interrupt held until a step that then ended in an error (held), else None: the
    command ends on that error, with the interrupt's exit code (cli_support.friendly_errors)."""
    return None if _active is None else _active.set_aside


@contextmanager
def held() -> Iterator[None]:
    """Defer an interrupt that arrives inside the block until the block is done, then raise it.

    Not when the block ends inside an error's handling or cleanup (an `except` or `finally` block run
    because of it), nor when the block itself fails: the error ends the command and says more than
    "interrupted" would, with the interrupt's exit code (set_aside; practice's save that a locked history
    refused ended in 1). A batch whose
    history was locked when it was interrupted said "0 saved" and nothing of the recovery file holding
    its answers, as the error it replaced did.

    In another thread (the model loading in the background) the deferred interrupt goes to the
    main thread instead: raised in this one, it would only end the loading, while the main thread
    went on waiting at the prompt with nothing left to score with."""
    handler = _active
    if handler is None:
        yield
        return
    handler.holding += 1
    try:
        yield
    except Exception:
        if handler.holding == 1 and handler.pending:  # the block's own error ends the command, in 130 (set_aside);
            handler.set_aside = handler.pending  # the interrupt stays pending for a caller that goes on
        raise
    finally:
        handler.holding -= 1
    if not handler.holding and handler.pending:
        name, handler.pending = handler.pending, None
        if sys.exc_info()[1] is not None:
            handler.set_aside = name
            return
        if threading.current_thread() is threading.main_thread():
            handler.in_flight = True
            raise Interrupted(name)
        _deliver_to_main_thread(name)


@contextmanager
def woken_reads() -> Iterator[None]:
    """Within the block, a signal whose handler has not run after RESEND_AFTER is sent to the main
    thread again, until it has run.

    readline's input loop checks for signals only when its select() is interrupted: a signal that
    lands while it handles a typed or pasted character sets Python's flag and nothing more, and the
    loop then waits for the next key, for ever when the window was closed (SIGHUP). A thread
    watching the signal wakeup fd sees each signal arrive; the one it sends again interrupts the
    select(), and the handler runs as usual. Outside the main thread, or without per-thread
    signals (Windows), the block runs as it is."""
    handler = _active
    if handler is None or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_kill"):
        yield
        return
    import socket

    watched, woken = socket.socketpair()
    woken.setblocking(False)
    previous = signal.set_wakeup_fd(woken.fileno(), warn_on_full_buffer=False)
    stop = threading.Event()
    main = threading.main_thread().ident or 0

    def watch() -> None:
        handled = handler.calls  # the handler's count before the signal that just arrived
        while (arrived := watched.recv(64)) and not stop.is_set():
            if not stop.wait(RESEND_AFTER) and handler.calls == handled:
                signal.pthread_kill(main, arrived[-1])  # its wakeup byte comes back here: checked again
            handled = handler.calls

    watcher = threading.Thread(target=watch, name="genco-signal-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        signal.set_wakeup_fd(previous)
        woken.close()  # the watcher's recv then returns b"" and it ends
        watcher.join(1)
        watched.close()


def _deliver_to_main_thread(name: str) -> None:
    """Send the signal `name` again, to the main thread: it interrupts a read that thread is blocked
    in, and the handler there raises it as usual."""
    number = signal.Signals[name]
    if hasattr(signal, "pthread_kill"):
        signal.pthread_kill(threading.main_thread().ident or 0, number)
    else:  # Windows: no signal per thread, so the interrupt is simulated
        import _thread

        _thread.interrupt_main(number)
