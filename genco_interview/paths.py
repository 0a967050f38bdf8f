"""Every folder genco keeps user files in, resolved in one place.

$GENCO_HOME, when set, holds everything (history, drafts, recovery records, caches): tests and
people with several set-ups point it elsewhere. Otherwise the platform's user data directory
holds what the user owns and the user cache directory what can be rebuilt (platformdirs). A
private folder in the temp directory is the fallback when the home cannot be written.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import GencoError

HOME_ENV = "GENCO_HOME"


SQLITE_SUFFIXES = ("-wal", "-shm", "-journal")
"""What SQLite adds to a database's name for the files it keeps beside it (X-wal, X-shm, X-journal)."""


def sqlite_suffix(name: str) -> str | None:
    """The -wal, -shm or -journal a file or folder name ends with (after something), else None: that
    name belongs to SQLite, which removes or overwrites the file, and cannot open the database at all
    while a folder holds it ("disk I/O error")."""
    return next((suffix for suffix in SQLITE_SUFFIXES if name.endswith(suffix) and len(name) > len(suffix)), None)


def companion_folder(folder: Path) -> Path | None:
    """The outermost of the folders that making `folder` would create whose name ends with -wal, -shm or
    -journal (sqlite_suffix), if any: making it could break the database beside it (another history)."""
    missing = []
    for step in [folder, *folder.parents]:
        if step.exists() or step.is_symlink():
            break
        missing.append(step)
    return next((step for step in reversed(missing) if sqlite_suffix(step.name)), None)


def companion_folder_problem(folder: Path) -> str | None:
    """One line on why `folder` (a folder to make) is refused (companion_folder), else None."""
    bad = companion_folder(folder)
    if bad is None:
        return None
    suffix = sqlite_suffix(bad.name) or ""
    return (f"will not create the folder {bad}: SQLite gives that name to the {suffix} file of a database "
            f"{bad.with_name(bad.name[: -len(suffix)])}, and a folder there makes that database unusable; "
            "choose another folder")


def missing_folders(folder: Path) -> list[Path]:
    """The folders on the way to `folder` (itself included) that do not exist, the outermost first:
    what creating it would make. More than one means a folder's own folder is missing, which a
    mistyped path ("/nonexistent/dir/x") is: genco makes only a file's own folder."""
    return [f for f in [folder, *folder.parents] if not f.exists()][::-1]


def remove_made_folders(made: Sequence[Path]) -> None:
    """Remove folders a failed write made (missing_folders, taken before it), deepest first, each only
    while it is still empty: a write that fails leaves nothing behind."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return


def missing_above_problem(missing: Sequence[Path], made: str) -> str | None:
    """The complaint when `missing` (missing_folders) holds more than the one folder genco would make
    (`made`, as "the file's own folder"): a folder above it is missing too, as a mistyped path's is;
    None otherwise."""
    if len(missing) <= 1:
        return None
    return f"no folder {missing[0]}; create it first (genco makes only {made})"


def expand_home(value: str) -> str:
    """A path as a shell reads it, a leading "~" or "~user" standing for that home folder. The shell
    expands "~" only where a word starts, so `--db=~/h.db` reached genco as typed, and the history went
    to a new folder named "~" in the current one, where no later command looked for it."""
    return os.path.expanduser(value) if value.startswith("~") else value


def names_no_file(value: str) -> bool:
    """Whether a --db value is one that names no history file however it is opened: '-' (a pipe),
    ':memory:' or 'file:...' (SQLite's database in memory, a URI). A file of such a name in the current
    folder is written with its "./" (output.db_argument)."""
    return value in ("-", ":memory:") or value.startswith("file:")


def is_unnamed(path: str) -> bool:
    """Whether a file or folder option's value names nothing: empty ("" is the current folder to pathlib), or
    blank with no file of that name ("--answer-file ' '", a quoted variable left unset). Read as a name, a blank
    one failed as a missing file, exit 1, as though the option had been given one."""
    return not path or (not path.strip() and not os.path.lexists(path))


def history_name_problem(value: str) -> str | None:
    """One line on why `value` (a --db or a history path) names no history file, else None: empty (it
    read as the default history), '-' (no pipe holds a history), ':memory:' or 'file:...' (names SQLite
    reads as a database in memory or a URI: an attempt saved there is lost or lands elsewhere), ending
    in '/' with no folder there (the last name became a file), a name SQLite gives a file it keeps
    beside a database (X-wal, X-shm, X-journal: SQLite removes or overwrites it the next time X is
    opened, and an attempt saved there with it), or a symbolic link to one, a path in a folder of such a name that would be
    created (a folder there makes X unusable), a path in the home's drafts or recovery folder
    (kept_folder_problem), or a path whose folder's own folder is missing too. A folder, a device or a
    FIFO under a good name is the store's to name."""
    if not value.strip():
        return f"{value!r} is empty; give a history file name"
    if value == "-":
        return "'-' names no file (a history is not read from or written to a pipe); give a history file name"
    if names_no_file(value):
        return (f"{value} is what SQLite reads as {'a database in memory' if value == ':memory:' else 'a URI'}, "
                "not a file name, so nothing saved there would be kept; give a history file name (./"
                f"{value} for a file of that name)")
    if value.endswith(("/", os.sep)) and not Path(value).expanduser().is_dir():
        return f"{value} ends with '/', so it names a folder; give a history file name"
    path = Path(value).expanduser()
    target = Path(os.path.realpath(path))  # SQLite opens what a symbolic link leads to, and names its files after it
    for named, what in ((path, "is"), (target, f"leads to {target}, which is")):
        suffix = sqlite_suffix(named.name)
        if suffix is not None:
            return (f"{value} {what} the name SQLite gives the {suffix} file of the database "
                    f"{named.name[: -len(suffix)]}, which it removes or overwrites when that file is opened; give "
                    "another history file name")
    problem = companion_folder_problem(path.parent) or kept_folder_problem(path)
    if problem is not None:
        return f"{value}: {problem}"
    problem = missing_above_problem(missing_folders(path.parent), "the history file's own folder")
    return None if problem is None else f"{value}: {problem}"


def home_override() -> str | None:
    """$GENCO_HOME, or None when it is unset, empty or only blanks: a blank home ("GENCO_HOME=' '") made a
    folder named " " in whatever folder the command ran in, and kept the history there."""
    override = os.environ.get(HOME_ENV)
    return override if override and override.strip() else None


def genco_home() -> Path:
    """Where genco keeps user files: $GENCO_HOME, else the platform's user data directory."""
    override = home_override()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("genco", appauthor=False))


class HomeError(GencoError):
    """GENCO_HOME names something that cannot hold genco's folders."""


def check_home() -> None:
    """Raise HomeError when $GENCO_HOME names a file: every command would otherwise fail later, each
    its own way (an empty history, a model export that cannot be built, an attempt only in the
    recovery file). A missing home folder is fine: it is made when first needed; a missing folder above
    it is refused, as a mistyped path ("/tmp/gneco/home") would be, so that a typo leaves no folders."""
    override = home_override()
    home = Path(override).expanduser() if override else None
    if home is not None and home.is_symlink() and not home.exists():
        raise HomeError(f"{HOME_ENV}={override} is a link to nothing; point it at a folder (made if missing)")
    if home is not None and home.exists() and not home.is_dir():
        raise HomeError(f"{HOME_ENV}={override} is a file, not a folder; point it at a folder (made if missing)")
    missing = missing_folders(home) if home is not None else []
    if home is not None and on_no_disk(missing[0].parent if missing else home):  # where its folders would be made
        raise HomeError(f"{HOME_ENV}={override} is on a filesystem the kernel makes up (/proc, /sys), not on a disk; "
                        "point it at a folder on a disk (made if missing)")
    problem = missing_above_problem(missing, "the home folder itself") if home is not None else None
    if problem is not None:
        raise HomeError(f"{HOME_ENV}={override}: {problem}")
    problem = companion_folder_problem(home) if home is not None else None
    if problem is not None:
        raise HomeError(f"{HOME_ENV}={override}: {problem}")


def fixed_temp_dir() -> Path | None:
    """The fixed name of this user's folder in the temp directory, private_temp_dir's first choice (not
    created here); None where the system has no user ids."""
    return Path(tempfile.gettempdir()) / f"genco-{os.getuid()}" if hasattr(os, "getuid") else None


DRAFT_NOTES = "draft-notes"
"""The home's folder of the drafts' notes of the history each was typed for (answers.note_draft_history)."""
KEPT_FOLDERS = ("recovery", "drafts", DRAFT_NOTES)
"""Folders of the home holding the only copy of something (unsaved attempts, interrupted answers, the history
each draft was typed for)."""


def _kept_folders() -> list[Path]:
    """The real paths of the home's recovery and drafts folders and of their fallback in the temp
    directory (fixed_temp_dir; not created here)."""
    fallback = fixed_temp_dir()
    folders = [genco_home() / name for name in KEPT_FOLDERS] + ([fallback] if fallback else [])
    return [Path(os.path.realpath(folder)) for folder in folders]


def kept_folder_problem(path: str | Path) -> str | None:
    """Why a file the user asked genco to write at `path` must not go there, else None: it lies (symlinks
    followed) in a folder holding the only copy of unsaved attempts or answers, which genco keeps
    private and reads back as its own."""
    target = Path(os.path.realpath(path))
    folder = next((f for f in _kept_folders() if target.is_relative_to(f)), None)
    if folder is None:
        return None
    return f"is in {folder}, which holds the only copy of unsaved attempts or answers"


def is_private_dir(folder: Path) -> bool:
    """Whether `folder` is a real directory (not a symlink) owned by this user and closed to others:
    a fixed name in a shared folder may have been made in advance by another user. Raises OSError
    when it cannot be looked at (missing among them)."""
    info = os.lstat(folder)
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def private_temp_dir() -> Path:
    """A folder in the temp directory that only this user can use, for when the home is unwritable.

    A fixed name in a shared folder can be made in advance by another user (or be a symlink to
    somewhere else), so the folder is used only when it is a real directory owned by this user
    and closed to others; otherwise a fresh one with an unpredictable name is made.
    """
    fixed = fixed_temp_dir()
    try:
        if fixed is None:
            raise OSError("no user ids here: no fixed name")
        fixed.mkdir(mode=0o700, exist_ok=True)
        if is_private_dir(fixed):
            return fixed
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="genco-"))


def drafts_dir() -> Path:
    """The home's drafts folder, made closed to others: a draft is an answer, as private as the history."""
    directory = genco_home() / "drafts"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def cache_dir() -> Path:
    """$GENCO_HOME/cache when GENCO_HOME is set, else the platform's user cache directory."""
    home = home_override()
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("genco", appauthor=False))


ON_NO_DISK = "is a file the kernel makes up (/proc, /sys), not one on a disk"
"""What is said of a path on_no_disk is true of, after the path."""


def on_no_disk(path: Path) -> bool:
    """Whether an existing file is on a filesystem with no blocks (/proc, /sys), followed through links as
    statvfs follows them (/dev/stdout redirected to a file is on that file's disk). Such a file passes for a
    regular one, yet SQLite reports a "disk I/O error" for it, a write fails with "no such file", and its
    free space (none) reads as a full disk. False when that cannot be told."""
    try:
        return shutil.disk_usage(path).total == 0
    except OSError:
        return False
