"""A command run on a real terminal (a pseudo-terminal), for what only a terminal does: readline's
keys, the line discipline that holds a paste, and the hang-up when its window closes."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READ_ONE_ANSWER = """
import json, sys
from rich.console import Console
from genco_interview import cli_answer
answer = cli_answer.read_typed_answer(Console(), "coroutine-vs-generator", "quick")
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(answer, out)
"""
"""A child that reads one typed answer as `genco practice` does and writes it, as JSON, to argv[1]."""


class Terminal:
    """`argv` running with a pseudo-terminal as its controlling terminal, stdin and stdout; the test
    types on it, reads what it shows, and can close it as a window closes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "NO_COLOR": "1",
                       "TERM": "xterm", **env}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: pty.fork made the terminal its own
            try:
                os.execve(argv[0], argv, environment)
            finally:
                os._exit(127)
        self.shown = ""
        self.open = True

    def wait_for(self, text: str, timeout: float = 90, times: int = 1) -> None:
        """Read what the terminal shows until `text` appears (`times` times)."""
        deadline = time.monotonic() + timeout
        while self.shown.count(text) < times:
            assert time.monotonic() < deadline, f"{text!r} never shown; the terminal shows {self.shown!r}"
            if not self._read():
                break

    def type(self, keys: str, pause: float = 0.3) -> None:
        os.write(self.fd, keys.encode("utf-8"))
        time.sleep(pause)

    def close(self) -> None:
        """Close the terminal, as closing its window does: the child's side hangs up."""
        os.close(self.fd)
        self.open = False

    def exit_code(self, timeout: float = 90) -> int:
        """Wait for the child (showing its output meanwhile) and return its exit code; kill it if it hangs."""
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                if self.open:
                    os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                raise AssertionError(f"still running after {timeout} s; the terminal shows {self.shown!r}")
            if self.open:
                self._read()
            else:
                time.sleep(0.1)

    def _read(self) -> bool:
        """Add what the terminal shows within 0.1 s; False once the child's side is closed."""
        if select.select([self.fd], [], [], 0.1)[0]:
            try:
                self.shown += os.read(self.fd, 4096).decode("utf-8", "replace")
            except OSError:  # the child ended and its side of the terminal closed
                time.sleep(0.1)
                return False
        return True


def read_one_answer(tmp_path: Path) -> tuple[Terminal, Path]:
    """A terminal whose child waits for one typed answer; the answer will be in the returned file."""
    out = tmp_path / "answer.json"
    terminal = Terminal([sys.executable, "-c", READ_ONE_ANSWER, str(out)], {"GENCO_HOME": str(tmp_path / "home")})
    terminal.wait_for("Type your answer")
    return terminal, out
