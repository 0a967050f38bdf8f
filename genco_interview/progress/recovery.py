"""The safety net: attempts a history cannot take are appended to a recovery file in the export
format, which `genco history import` adds back later; interview reports to a file of their own. A
recovery file is written whole or not at all, private, and named after its history."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from ..answers import write_all
from ..paths import genco_home, private_temp_dir
from .attempt import Attempt
from .database import HistoryError, default_path

RECOVERY_NAME = "attempts.jsonl"


RECOVERY_REPORTS = "interviews.jsonl"
"""Where interview reports go when the history cannot take them (beside the attempts' recovery file)."""


def recovery_path() -> Path:
    return genco_home() / "recovery" / RECOVERY_NAME


def _append_whole(path: Path, data: bytes) -> None:
    """Append `data` to `path` entirely or not at all.

    The file is opened without following a symlink and created private; a write cut short (a
    full disk) is undone by truncating back, and a torn line left by a killed process is ended
    before the new records, so every record is a line of its own.
    """
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        try:
            write_all(fd, data)
        except OSError:
            os.ftruncate(fd, size)
            if not size:  # an empty file left behind would read as a recovery file with nothing to import
                with suppress(OSError):
                    path.unlink()
            raise
    finally:
        os.close(fd)


def write_recovery(attempts: Sequence[Attempt], db_path: Path | str | None = None) -> Path:
    """Append attempts that could not be stored in the history at `db_path` (None: the default one)
    to its recovery file in the home, else in a private temp folder."""
    return recover(RECOVERY_NAME, db_path, "".join(a.to_line() for a in attempts), "the attempt")


def recovery_name(db_path: Path | str | None, shared: bool = False) -> str:
    """The recovery file of one history: RECOVERY_NAME for the default history in its home's recovery
    folder, one named after the absolute path of any other (`--db`), and of the default one too in the
    temp folder every home `shared` (recover): importing a recovery file never mixes two histories."""
    return _named_after(RECOVERY_NAME, db_path, shared)


def _named_after(name: str, db_path: Path | str | None, shared: bool) -> str:
    """`name` for the default history in its own home, else with a digest of the history's absolute path."""
    if db_path is None and not shared:
        return name
    history = os.path.abspath(os.path.expanduser(default_path() if db_path is None else db_path))
    digest = hashlib.sha256(history.encode("utf-8", "surrogateescape")).hexdigest()
    stem, suffix = os.path.splitext(name)
    return f"{stem}-{digest[:12]}{suffix}"


def recover(name: str, db_path: Path | str | None, lines: str, what: str) -> Path:
    """Append JSON `lines` to the recovery file `name` of the history at `db_path` (_named_after) in the
    home's recovery folder, else in a private temp folder, which every home of the user shares; the
    file's path. HistoryError naming `what` is lost when neither can be written."""
    data = lines.encode("utf-8")
    for folder, shared in ((lambda: recovery_path().parent, False), (private_temp_dir, True)):
        try:
            directory = folder()
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / _named_after(name, db_path, shared)
            _append_whole(path, data)
            return path
        except OSError:
            continue
    raise HistoryError(f"could not write the recovery file anywhere; {what} is lost")

