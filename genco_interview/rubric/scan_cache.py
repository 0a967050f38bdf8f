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

The copy is a pickle, which runs code when read: it is written only into the user's cache folder,
with permissions for the user alone, and read only when it is still the user's own file that no one
else may write (a cache folder set somewhere shared cannot hand genco another user's pickle).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

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
        with _own_file(cache_dir() / CACHE_FILE) as handle:
            stored = pickle.load(handle)
    except Exception:  # missing, truncated, someone else's, from another Python or genco: rescanning answers all
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    depends = stored.get("depends", ())
    if file_state(Path(p) for p, _, _ in depends) != tuple(depends):
        return None
    return stored.get("scan")


def _own_file(path: Path) -> BinaryIO:
    """`path` opened to read, only if it is a regular file (not a link) of the user's that no one else
    may write: a cache folder set somewhere shared (GENCO_HOME in a world-writable folder) must not
    hand genco another user's pickle to run. Checked on the open file, so it cannot be swapped after.
    OSError when it is not."""
    handle = open(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb")
    try:
        info = os.fstat(handle.fileno())
        owner = getattr(os, "getuid", None)
        if not stat.S_ISREG(info.st_mode) or (owner is not None and (info.st_uid != owner() or info.st_mode & 0o022)):
            raise OSError(f"{path} is not the user's own file")
    except BaseException:
        handle.close()
        raise
    return handle


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
