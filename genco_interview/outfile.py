"""Writing a file the user named (an export, a report, a rubric) without destroying anything else.

A mistyped output path must not cost a history: the history database, its -wal, -shm and
-journal companions, and any other genco history file are refused (any SQLite database is, and the
companions of any), so are the
recovery file and the drafts (the only copies of attempts and answers not yet kept: any file in the home's
`recovery/` or `drafts/` folder or in the private temp folder they fall back to), and so are directories,
devices, FIFOs and sockets (writing there hangs or goes nowhere). A symlink is written through
to its target, which keeps the link. A missing folder is created (and removed again if the
write fails), never under a history file's name. The file is written beside its target under a
temporary name and renamed over it, so a failure leaves the old file whole; the new file keeps the old
one's permission bits (an export of private answers must not become world-readable), and a
new export or report is created readable by its owner only, since it may hold answers.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from .answers import SQLITE_MAGIC, InputError
from .errors import UsageProblem
from .paths import (
    ON_NO_DISK,
    SQLITE_SUFFIXES,
    companion_folder_problem,
    kept_folder_problem,
    missing_above_problem,
    missing_folders,
    on_no_disk,
    remove_made_folders,
    sqlite_suffix,
)
from .text.escapes import unix_line_breaks

SQLITE_COMPANIONS = ("", *SQLITE_SUFFIXES)
NEW_FILE_MODE = 0o600


def _is_database(path: Path) -> bool:
    """Whether the file is an SQLite database: a history, genco's or another, is never an export target."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` are one file (links and other spellings included); False when either is missing."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(path: str | Path, protected: Sequence[Path] = ()) -> Path:
    """The real file to write for `path` (symlinks followed), or InputError saying why not.

    A path inside a history file's name is refused too: the folder write_file would create there
    ("history.sqlite3-journal/report.md") takes the name SQLite needs for the file itself. An empty name
    is refused as a usage error (UsageProblem), not read as the current folder (which is what a path
    library makes of it)."""
    if not str(path).strip():
        raise UsageProblem(empty_name(path))
    if str(path).endswith(("/", os.sep)):
        raise InputError(f"{path}: names a folder; give a file name")
    target = Path(os.path.realpath(path))
    problem = kept_folder_problem(path)
    if problem is not None:
        raise InputError(f"{path}: {problem}; choose another output file")
    for database in protected:
        for suffix in SQLITE_COMPANIONS:
            companion = database.with_name(database.name + suffix)
            real = Path(os.path.realpath(companion))
            if target == real or real in target.parents or same_file(target, companion):
                raise InputError(f"{path}: is the history file {database}; choose another output file")
    database = _companion_of_a_database(target)
    if database is not None:
        raise InputError(f"{path}: belongs to the SQLite database {database} (a history file?); choose another output file")
    problem = companion_folder_problem(target.parent)
    if problem is not None:
        raise InputError(f"{path}: {problem}")
    if os.path.islink(path) and not target.parent.is_dir():
        raise InputError(f"{path}: is a link to {os.readlink(path)}, whose folder does not exist; give the file's "
                         "own path, or remove the link (genco does not create folders a link points into)")
    _creatable_folders(target.parent, path)  # said now, not after a long fit or scoring run
    try:
        mode = os.stat(path).st_mode  # not target's: /dev/stdout on a pipe resolves to a name like "pipe:[7]"
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a directory; give a file name")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: is not a regular file (a device, FIFO or socket); give a file name")
    if on_no_disk(Path(path)):
        raise InputError(f"{path}: {ON_NO_DISK}; give another file name")
    if _is_database(target):
        raise InputError(f"{path}: is an SQLite database (a history file?); choose another output file")
    return target


def output_path(name: str) -> Path:
    """The Path of an output file name from the command line; an empty one is a usage error (UsageProblem)
    here, since Path('') is the current folder and would be refused as "is a directory"."""
    if not name.strip():
        raise UsageProblem(empty_name(name))
    return Path(name)


def empty_name(path: str | Path) -> str:
    """The one-line complaint about an output file name that is empty or only blanks (`--out ''`)."""
    return f"the file name {str(path)!r} is empty; give a file name"


def _companion_of_a_database(target: Path) -> Path | None:
    """The SQLite database whose -wal, -shm or -journal file `target` names, if there is one: writing
    there corrupts that database (any history, not only the one this command uses) and loses what it
    has not yet checkpointed."""
    suffix = sqlite_suffix(target.name)
    if suffix is None:
        return None
    database = target.with_name(target.name[: -len(suffix)])
    return database if database.is_file() and _is_database(database) else None  # a FIFO would hold the read forever


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _keep_owner(path: str, owner: tuple[int, int] | None) -> None:
    """The replaced file keeps its owner and group where this process may set them (it may not always)."""
    if owner is not None and hasattr(os, "chown"):
        try:
            os.chown(path, *owner)
        except OSError:
            pass


def writable(path: Path, in_place: bool = False) -> bool:
    """Whether `path` can be written: as write_file writes it (a file made in the nearest existing folder
    above it, renamed over it), or, `in_place`, the file itself opened for writing (a rubric taking a line).
    By the process's permissions and the file system (read-only mounts), as os.access reads them."""
    if in_place:
        return os.access(path, os.W_OK)
    folder = next((p for p in Path(os.path.realpath(path)).parents if p.exists()), Path("/"))
    return os.access(folder, os.W_OK | os.X_OK)


def _creatable_folders(folder: Path, path: str | Path) -> list[Path]:
    """The folders writing `path` would create (missing_folders), or InputError when that is more than
    the file's own: a mistyped path ("/nonexistent/dir/x.jsonl") made folders anywhere."""
    missing = missing_folders(folder)
    problem = missing_above_problem(missing, "the file's own folder")
    if problem is not None:
        raise InputError(f"{path}: {problem}")
    return missing


def _make_folder(folder: Path, path: str | Path) -> list[Path]:
    """Create the folder an output file goes in, as `rubric new` does; the folders created, deepest
    last, so that a failed write can remove them again. InputError when it cannot be made, or when
    its own folder is missing too: a mistyped path ("/nonexistent/dir/x.jsonl") made folders anywhere."""
    missing = _creatable_folders(folder, path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        remove_made_folders(missing)
        raise InputError(f"{path}: cannot create its folder {folder} ({exc.strerror or exc})") from None
    return missing


_TRAILING_BLANKS = re.compile(r"[ \t]+\n")
OWN_FILE_HEAD = 4096
"""Bytes of an existing file read to tell whether genco wrote it (refuse_a_foreign_file)."""


def refuse_a_foreign_file(path: str | Path, heads: Sequence[re.Pattern[str]], what: str, force: bool) -> None:
    """InputError naming --force when `path` is a file with something in it that is no earlier `what`
    ("report") the command wrote: its first OWN_FILE_HEAD bytes start as none of `heads` (how what the
    command writes starts). A report or calibration written again replaces the earlier one; written over
    a history export, notes or a rubric, it would lose them."""
    target = Path(path)
    if force or not target.is_file():
        return
    try:
        with target.open("rb") as stream:
            head = stream.read(OWN_FILE_HEAD).decode("utf-8", "replace")
            empty = not head.strip() and _blank_to_the_end(stream)
    except OSError:
        return  # write_file says what is wrong with it
    # Saved again on Windows, a blank line or trailing spaces added by an editor: it is still genco's.
    head = _TRAILING_BLANKS.sub("\n", unix_line_breaks(head.removeprefix("\ufeff"))).lstrip()
    if not empty and not any(start.match(head) for start in heads):
        raise InputError(f"{path} exists and is not a {what} genco wrote; pass --force to overwrite it")


def _blank_to_the_end(stream: BinaryIO) -> bool:
    """Whether the rest of a file holds only white space: one whose first OWN_FILE_HEAD bytes are blank may
    hold notes after them, which genco (never writing a blank start) did not write."""
    return all(not chunk.strip() for chunk in iter(lambda: stream.read(1 << 16), b""))


def write_file(path: str | Path, chunks: Iterable[str], protected: Sequence[Path] = (), private: bool = True,
               replace: bool = True) -> int:
    """Write `chunks` to `path` whole or not at all; returns how many chunks were written.

    A new file is private (owner only) unless `private` is False (a rubric, meant to be shared),
    when it gets the usual permissions the umask allows. With `replace` False an existing file is
    refused (InputError naming --force, the option every such command offers). A missing folder
    is created.
    """
    target = check_output_path(path, protected)
    if not replace and target.exists():
        raise InputError(f"{path} exists; pass --force to overwrite it")
    try:
        old = target.stat()
        old_mode, owner = stat.S_IMODE(old.st_mode), (old.st_uid, old.st_gid)
    except OSError:
        old_mode, owner = NEW_FILE_MODE if private else 0o666 & ~_umask(), None
    created = _make_folder(target.parent, path)
    count = 0
    partial = None
    try:
        handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
                count += 1
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, old_mode)
        _keep_owner(partial, owner)
        os.replace(partial, target)
    except OSError as exc:
        if partial is not None:
            Path(partial).unlink(missing_ok=True)
        remove_made_folders(created)
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        if partial is not None:
            Path(partial).unlink(missing_ok=True)
        remove_made_folders(created)
        raise
    return count
