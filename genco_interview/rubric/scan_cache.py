"""A copy on disk of the last scan of the rubric search path, so a command need not parse every rubric.

Every command that names a question reads every rubric on the search path (a user's rubric may
replace a shipped one, and two files may share an id), which took about 60 ms of a one-shot
`genco score`'s half second: YAML parsing and validation of seven rubrics and their calibrations.
The scan is kept in the cache folder (paths.cache_dir) under a key that changes with anything it
was read from: the name, size and modification time of every rubric and calibration file on the
search path, of each calibration file a rubric names elsewhere, and of genco's own files (its
code and word lists decide how a rubric reads). Any change, or a copy that cannot be read,
means the rubrics are parsed again; a scan that found a broken rubric is not kept (its error may
name a file that does not exist yet). Writing is best-effort: a read-only cache folder only costs
the time saved.

The copy is a pickle, which runs code when read: it is written only into the user's own cache
folder, with permissions for the user alone, as the ONNX export beside it is trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..paths import cache_dir

CACHE_FILE = "rubric-scan.pickle"
FORMAT = 1
"""Bumped when what is stored changes shape."""


def file_state(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, modification time in ns) of each file; a file that cannot be read is (path, -1, -1)."""
    out = []
    for path in paths:
        try:
            info = path.stat()
            out.append((str(path), info.st_size, info.st_mtime_ns))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


def _code_state() -> tuple[tuple[str, int, int], ...]:
    """genco's own files (code and data), which decide how a rubric file reads."""
    package = Path(__file__).resolve().parents[1]
    return file_state(sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml")))


def scan_key(search_state: tuple) -> str:
    """The key of a scan of the search path in `search_state` (bank._search_state) by this genco."""
    from .. import __version__

    text = repr((FORMAT, __version__, os.getcwd(), search_state, _code_state()))  # the path may be relative
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read(key: str) -> Any | None:
    """The scan kept under `key`, or None when there is none, it is another key's, a file it depends
    on changed, or it cannot be read."""
    try:
        with open(cache_dir() / CACHE_FILE, "rb") as handle:
            stored = pickle.load(handle)
    except Exception:  # missing, truncated, from another Python or genco: rescanning is the answer to all
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    depends = stored.get("depends", ())
    if file_state(Path(p) for p, _, _ in depends) != tuple(depends):
        return None
    return stored.get("scan")


def write(key: str, scan: Any, depends: Sequence[Path]) -> None:
    """Keep `scan` under `key`; `depends` are files read beyond the search path (calibrations named
    elsewhere). Replaces the file whole, so a reader never sees half of it; failures are ignored."""
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".rubric-scan-", dir=directory)  # readable by the user alone
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump({"key": key, "depends": file_state(depends), "scan": scan}, out,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, directory / CACHE_FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        pass
