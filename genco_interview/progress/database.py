"""The history's SQLite file, opened safely.

* the schema is versioned with `PRAGMA user_version` and only migrated forwards; a file from a
  newer genco, or another program's database, is refused, never "fixed";
* WAL mode and a busy timeout, so readers never block a writer and two writers queue;
* a file that is corrupt, read-only, newer or locked is never overwritten or recreated, and every
  SQLite failure becomes a one-line HistoryError that says what the person can do (`describe`);
* a history in a folder genco cannot write is still read (read-only, immutable, or a private copy
  with its -wal), and a file from an older genco is migrated in memory to be read.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import shlex
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ..errors import GencoError
from ..interrupts import stop_asked
from ..output import genco_command
from ..paths import (
    HOME_ENV,
    ON_NO_DISK,
    companion_folder_problem,
    genco_home,
    history_name_problem,
    missing_folders,
    on_no_disk,
    remove_made_folders,
)
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

DB_NAME = "history.sqlite3"
_T = TypeVar("_T")


TIMEOUT_ENV = "GENCO_DB_TIMEOUT"


DEFAULT_TIMEOUT = 10.0


MAX_TIMEOUT = 86400.0
"""A day: longer waits are a mistake, and SQLite takes the timeout as a C int of milliseconds."""


class HistoryError(GencoError, RuntimeError):
    """The history file cannot be used; the message is one line and says what to do.

    `recovered` is how many attempts being saved went to the recovery file instead (`store`),
    `recovery` that file; 0 and None when nothing was being saved."""

    recovered: int = 0
    recovery: Path | None = None


class NotAHistory(HistoryError):
    """The file is another program's SQLite database: genco never writes it, now or later."""


class NewerHistory(HistoryError):
    """The file is a history from a newer genco (a higher schema version): only that genco writes it."""


def default_path() -> Path:
    return genco_home() / DB_NAME


def suggested(words: str, path: str | Path) -> str:
    """A genco command to suggest about the history at `path`: with --db unless it is the default one."""
    return genco_command(words, None if Path(path) == default_path() else path)


def busy_timeout() -> float:
    """How long a write waits for another process's lock before giving up (tests make it short).

    $GENCO_DB_TIMEOUT is seconds from 0 to MAX_TIMEOUT; anything else (text, nan, inf, a negative
    number) is a one-line HistoryError naming the variable, like every other genco variable.
    """
    raw = os.environ.get(TIMEOUT_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= MAX_TIMEOUT:
        shown = raw if len(raw) <= 20 else raw[:19] + "…"
        raise HistoryError(f"{TIMEOUT_ENV} must be a number of seconds from 0 to {MAX_TIMEOUT:g} "
                           f"(default {DEFAULT_TIMEOUT:g}), not {shown!r}")
    return seconds


def describe(exc: sqlite3.Error, path: Path) -> str:
    """One line that says what is wrong with the file and what the person can do."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        waited = "the wait cut short by the interrupt" if stop_asked() else f"waited {busy_timeout():g} s"
        return f"history file {path} is locked by another program ({waited}); try again when it has finished"
    if _read_only_mount(path):  # before the free space: a read-only disk (squashfs, an ISO) has none free
        return (f"history file {path} cannot be written: the disk it is on is mounted read-only; pass --db with a "
                "file on a writable disk (genco history import copies attempts into it)")
    if "full" in text or _disk_full(path):  # SQLite says "readonly" or "disk I/O error" when it cannot make its -wal
        return f"history file {path} cannot be written: the disk it is on is full; free some space and try again"
    stuck = _stuck_companion(path) if "readonly" in text or "read-only" in text or "unable to open" in text else None
    if stuck is not None:
        return (f"history file {path} cannot be written: {stuck} is not writable by you; make it writable, "
                "or remove it while no genco runs")
    if ("readonly" in text or "read-only" in text) and _folder_not_writable(path):
        return (f"history file {path} cannot be written: its folder {path.parent} is not writable by you "
                "(SQLite writes beside the file); make it writable or pass --db with another file")
    if "readonly" in text or "read-only" in text:
        return f"history file {path} is read-only; make it writable or pass --db with another file"
    if "not a database" in text and _looks_like_json(path):
        return (f"{path} is JSON (an export, or a listing?), not a history file: an export's attempts are added "
                f"to a history with `genco history import {path}`")
    if "not a database" in text and not _has_sqlite_header(path):
        return (f"{path} is not a history file (not an SQLite database); it was left untouched: check the "
                "name, or move it aside to start a new history there")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (f"history file {path} is corrupt ({text}); it was left untouched: "
                f"`{suggested('history export --salvage saved.jsonl', path)}` copies out the attempts it can "
                "still read, then move it aside to start a new history")
    if "unable to open" in text:
        if path.is_dir():
            return _not_a_file(path, "is a directory")
        if path.exists() and not os.access(path, os.R_OK):  # the folder is fine: the file's mode says no
            return (f"history file {path} cannot be opened: it is not readable by you (permission denied); "
                    "make it readable and writable by you, or pass --db with another file")
        return f"cannot open history file {path} (check that its folder exists and is writable)"
    return f"history file {path}: {text}"


FULL_DISK_BYTES = 1 << 20
"""Free space under which a failed write is put down to a full disk: SQLite needs pages for its journal."""


def _disk_full(path: Path) -> bool:
    """Whether the disk holding the history file's folder has less than FULL_DISK_BYTES free (False when
    that cannot be told, or the folder is on no disk: /proc and /sys report no blocks, none free)."""
    try:
        usage = shutil.disk_usage(path.parent)
    except OSError:
        return False
    return usage.total > 0 and usage.free < FULL_DISK_BYTES


def _read_only_mount(path: Path) -> bool:
    """Whether the history file's folder is on a file system mounted read-only (False when that cannot be told)."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False


def _folder_not_writable(path: Path) -> bool:
    """Whether the folder of a writable history file is one the user cannot write (where SQLite must
    make the -wal and -shm files): then the file is not what to make writable."""
    return os.access(path, os.W_OK) and not os.access(path.parent, os.W_OK | os.X_OK)


SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file (sqlite.org/fileformat.html, 1.3)."""


def _has_sqlite_header(path: Path) -> bool:
    """Whether the file starts as an SQLite database does: one that does but will not open is damaged;
    one that does not (a text file named by mistake) was never a history (True when it cannot be read)."""
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return True


def _looks_like_json(path: Path) -> bool:
    """Whether a file starts as an export, a batch or a `--json` listing does: with "{" or "["."""
    try:
        with open(path, "rb") as file:
            return file.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))
    except OSError:
        return False


class _Header(NamedTuple):
    """The three facts that say whose a database is and how far it is migrated."""

    version: int
    owner: int
    has_tables: bool


def _read_header(conn: sqlite3.Connection) -> _Header:
    """Version, application id and whether any table exists, read in one statement.

    One statement is one read snapshot: another process creating the same fresh history commits
    its tables, version and id together, so they are seen all at once or not at all. Read one
    by one, a commit landing between them made a new history look like another program's file.
    """
    [(version, owner, tables)] = polled(
        conn, "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id), "
        "(SELECT count(*) FROM sqlite_master)")
    return _Header(version, owner, tables > 0)


def _schema_version(header: _Header, path: Path) -> int:
    """Reading the header is the first thing done: a corrupt or newer file fails before any write."""
    if header.version > SCHEMA_VERSION:
        raise NewerHistory(f"history file {path} is from a newer genco (schema {header.version}; this genco reads up "
                           f"to {SCHEMA_VERSION}); it was left untouched: upgrade genco or pass --db with another file")
    return header.version


def _is_genco_v1_or_later(conn: sqlite3.Connection) -> bool:
    """A file genco wrote before it stamped its application id: an `attempts` table of genco's shape."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(attempts)")}
    return {"created_at", "question", "depth", "answer", "score", "model", "genco_version"} <= columns


def _check_owner(conn: sqlite3.Connection, path: Path, header: _Header) -> bool:
    """Refuse a database genco did not write; True when it is genco's but not stamped yet.

    A read command pointed at another program's SQLite file must leave it exactly as it was:
    no tables added, no WAL switch. An empty file (no tables, version 0) becomes a new history.
    """
    if header.version == 0 and header.has_tables and _is_genco_v1_or_later(conn):  # genco stamps both at once
        raise HistoryError(f"{path} holds a genco history's tables without the schema version genco writes with them "
                           "(a copy made with `sqlite3 .dump`?); it was left untouched: if it was copied from a history "
                           f"of this genco, set it with `sqlite3 {shlex.quote(str(path))} 'PRAGMA user_version = "
                           f"{SCHEMA_VERSION}'` (copy a history with `VACUUM INTO`, which keeps it)")
    if header.owner == APPLICATION_ID:
        return False
    if header.owner == 0 and not header.has_tables and header.version == 0:
        return False
    if header.owner == 0 and header.version >= 1 and _is_genco_v1_or_later(conn):
        return True
    raise NotAHistory(f"{path} is not a genco history file (an SQLite database of another program); "
                       "it was left untouched: pass --db with a genco history file or a new file name")


def _prepare(conn: sqlite3.Connection, path: Path, write: bool = True) -> None:
    """Check the file is genco's, then WAL and forward migrations, each in the same write
    transaction as its version bump and the application id."""
    header = _read_header(conn)
    version = _schema_version(header, path)
    unstamped = _check_owner(conn, path, header)
    if version == SCHEMA_VERSION and not (unstamped and write):
        return
    if header.has_tables:
        _refuse_if_damaged(conn)
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        polled(conn, "PRAGMA journal_mode = WAL")
    polled(conn, "BEGIN IMMEDIATE")
    try:
        header = _read_header(conn)  # another process may have migrated while we waited
        version = _schema_version(header, path)
        _check_owner(conn, path, header)
        for step in MIGRATIONS[version:]:
            step.apply(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _refuse_if_damaged(conn: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError ("malformed", described as corrupt) for a file whose pages do not hold
    together (PRAGMA quick_check), before it is switched to WAL or upgraded: both write to it, and a damaged
    history from an older version was changed by them while the command said it was left untouched, for
    salvage to read as it was. Only a file about to be changed is checked, once: the check reads all of it."""
    found = polled(conn, "PRAGMA quick_check(1)")
    if not found or found[0][0] != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {found[0][0] if found else 'nothing checked'}")


LOCK_POLL = 0.1
"""Seconds SQLite waits for another program's lock at a time (polled)."""


def polled(conn: sqlite3.Connection, statement: str) -> list[Any]:
    """`statement` (one that may wait for another program's lock: BEGIN IMMEDIATE, a change of journal mode,
    the first read of a file in rollback mode) tried in steps of LOCK_POLL up to busy_timeout(), and no
    longer once an interrupt waits for the step to end or the command is ending on one
    (interrupts.stop_asked): SQLite's own wait is one C call that no signal cuts short, so Ctrl-C waited out
    the whole of it (10 s by default, up to a day with GENCO_DB_TIMEOUT). Raises the "database is locked"
    sqlite3.OperationalError either way. Returns the statement's rows, all read before the wait is set back:
    a statement still reading holds its lock while another process creates the file."""
    deadline = time.monotonic() + busy_timeout()
    conn.execute(f"PRAGMA busy_timeout = {int(LOCK_POLL * 1000)}")
    try:
        while True:
            try:
                return conn.execute(statement).fetchall()
            except sqlite3.OperationalError as exc:
                if not _locked(exc) or time.monotonic() >= deadline or stop_asked():
                    raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")


def _locked(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _retry_while_locked(step: Callable[[], _T]) -> _T:
    """Run `step` and return what it returns, retrying while the file is locked, up to the busy timeout.

    SQLite skips its own busy wait in a few cases: switching a new file to WAL while another
    process does the same, or opening while another recovers the WAL. Two processes that
    start saving into a fresh history at once hit exactly that, so it is retried here.
    """
    deadline = time.monotonic() + busy_timeout()
    pause = 0.01
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or time.monotonic() >= deadline or stop_asked():
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def as_database_error(exc: UnicodeDecodeError) -> sqlite3.DatabaseError:
    """SQLite's message about a schema holding bytes that are not UTF-8 (a corrupt byte inside a
    table's SQL) quotes those bytes, and sqlite3 then fails to decode its own message, raising
    UnicodeDecodeError instead of DatabaseError. The message, its bad bytes as U+FFFD, as the
    DatabaseError it is: a corrupt history like any other, never a traceback."""
    raw = exc.object if isinstance(exc.object, bytes) else b""
    text = raw.decode("utf-8", "replace") or "malformed database schema"
    return sqlite3.DatabaseError(text if "malformed" in text else f"malformed database ({text})")


def _decoding(step: Callable[..., Any]) -> Callable[..., Any]:
    """`step` (a sqlite3 cursor or connection method) with an undecodable SQLite message raised as the
    DatabaseError it is (as_database_error)."""
    @functools.wraps(step)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return step(*args, **kwargs)
        except UnicodeDecodeError as exc:
            raise as_database_error(exc) from None

    return run


class _Cursor(sqlite3.Cursor):
    """A cursor whose every step reports an undecodable SQLite message as DatabaseError (as_database_error)."""

    execute = _decoding(sqlite3.Cursor.execute)
    executemany = _decoding(sqlite3.Cursor.executemany)
    fetchone = _decoding(sqlite3.Cursor.fetchone)
    fetchmany = _decoding(sqlite3.Cursor.fetchmany)
    fetchall = _decoding(sqlite3.Cursor.fetchall)
    __next__ = _decoding(sqlite3.Cursor.__next__)


class _Connection(sqlite3.Connection):
    """A connection whose statements run on _Cursor, so a corrupt schema is a DatabaseError everywhere."""

    def execute(self, *args: Any) -> _Cursor:  # type: ignore[override]
        return self.cursor(_Cursor).execute(*args)

    def executemany(self, *args: Any) -> _Cursor:  # type: ignore[override]
        return self.cursor(_Cursor).executemany(*args)

    backup = _decoding(sqlite3.Connection.backup)


IN_MEMORY = Path(":memory:")
"""What connect opens as a database in memory, not a file."""


def connect(path: Path, uri_options: str = "") -> sqlite3.Connection:
    """A connection to the history file `path` (IN_MEMORY: a database in memory). A file is named by its
    absolute path: SQLite reads a name such as "file:x.db" as a URI, and a file of that name (written
    ./file:x.db, which a path library shortens) would be another file."""
    if uri_options:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?{uri_options}", uri=True, timeout=busy_timeout(),
                               isolation_level=None, factory=_Connection)
    else:
        conn = sqlite3.connect(path if path == IN_MEMORY else path.absolute(), timeout=busy_timeout(),
                               isolation_level=None, factory=_Connection)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.text_factory = _lenient_text
    return conn


def _lenient_text(data: bytes) -> str:
    """A stored text as str. Bytes that are not UTF-8 (written into the file by another program)
    read as U+FFFD: sqlite3 would raise instead, and one such row would hide the whole history,
    export included."""
    return data.decode("utf-8", "replace")


def open_for_reading_only(path: Path, prepare: Callable[[sqlite3.Connection, Path], sqlite3.Connection] | None = None
                           ) -> sqlite3.Connection:
    """A connection that reads a history in a folder genco cannot write (a read-only home, a full disk).

    SQLite needs to create the -shm file beside a WAL database even to read it; where it
    cannot, the file is opened as immutable, which reads the database as it is on disk. That
    ignores the -wal: when one holds commits not yet in the file, the history is read from a
    copy instead (_replayed_in_memory), never shown in part as if it were whole. `prepare` makes
    each connection's first read, closing it when that fails (default _readable: checked to be
    genco's, migrated in memory; salvage's _probed reads a damaged file unchecked).
    """
    prepare = prepare or _readable
    try:
        return prepare(connect(path, "mode=ro"), path)
    except sqlite3.OperationalError as exc:
        if not _may_be_read_only(exc):
            raise
    if _pending_wal(path):
        return prepare(_replayed_in_memory(path), path)
    return prepare(connect(path, "immutable=1"), path)


def _readable(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """`conn`, checked to be genco's and, from an older genco, migrated in memory; closed when it cannot be read.
    Its header is read once, in one statement (_read_header): a writer migrating the file meanwhile cannot
    give the checks two different versions."""
    try:
        header = _read_header(conn)
        version = _schema_version(header, path)
        _check_owner(conn, path, header)
        return _migrated_in_memory(conn, path) if version < SCHEMA_VERSION else conn
    except BaseException:
        conn.close()
        raise


def _pending_wal(path: Path) -> Path | None:
    """The history's -wal when it holds anything (commits a writer did not copy into the file before it stopped)."""
    wal = _companions(path)[0]
    try:
        return wal if wal.stat().st_size > 0 else None
    except OSError:
        return None


def _replayed_in_memory(path: Path) -> sqlite3.Connection:
    """The whole history of a file in a folder genco cannot write, whose -wal holds commits not yet in it.

    The file and its -wal are copied into a private temporary folder, where SQLite can make its
    -shm and so reads the -wal, then into memory; the copy (every answer typed) is removed at
    once. HistoryError when it cannot be copied: a part of the history is never read as all of it.
    """
    wal = _companions(path)[0]
    try:
        with tempfile.TemporaryDirectory(prefix="genco-") as folder:
            copy = Path(folder) / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, _companions(copy)[0])
            disk = connect(copy)
            try:
                return _copied_into_memory(disk)
            finally:
                disk.close()
    except OSError as exc:
        raise HistoryError(f"history file {path} cannot be read whole: its folder cannot be written and {wal} holds "
                           f"attempts not yet in the file, which could not be copied elsewhere to read "
                           f"({exc.strerror or exc}); make the folder writable, or copy both files to a folder "
                           "you can write and pass --db with the copy") from None


def _refuse_a_wal_that_does_not_fit(path: Path) -> None:
    """HistoryError when the -wal beside a history does not fit it (wal_does_not_fit)."""
    if wal_does_not_fit(path):
        wal, shm = _companions(path)
        raise HistoryError(f"history file {path} is sound, but {wal} beside it does not fit it (a -wal of another "
                           f"copy of the history, the file alone copied over this one?): both were left untouched; "
                           f"move {wal} and {shm} aside (keep them: they may hold attempts of the history they came "
                           "from), then try again")


def wal_does_not_fit(path: Path) -> bool:
    """Whether the file alone is sound and read with the -wal beside it is not: that -wal came from
    another copy of the history (the file alone copied over this one's). Whatever opens it for writing copies
    such a -wal into the file when it closes: a save said "corrupt ... left untouched" and 12 attempts were
    gone, and a -wal from a larger history garbled a smaller one with no word (only SQLite's full
    integrity check sees that, so it is the one run here: a -wal holding anything is rare, left by a genco
    stopped mid-write or kept by one running beside this). False where a -wal holds nothing, or neither
    reading can be made (a folder genco cannot write). A -wal of another copy of the same history that
    put rows where this copy has its own reads as whole, and cannot be told from the history's own."""
    if not _pending_wal(path) or is_empty_file(path):
        return False
    try:
        return not _sound(connect(path, "mode=ro")) and _sound(connect(path, "immutable=1"))
    except sqlite3.Error:
        return False


def _sound(conn: sqlite3.Connection) -> bool:
    """Whether SQLite's integrity check finds `conn`'s database whole (closing it). sqlite3.OperationalError
    when it cannot tell (locked by a writer, unreadable): nothing is known to be wrong then."""
    try:
        found = conn.execute("PRAGMA integrity_check(1)").fetchone()
        return found is not None and found[0] == "ok"
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError:  # "malformed": SQLite found it damaged
        return False
    finally:
        conn.close()


def _companions(path: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a WAL-mode history."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _stuck_companion(path: Path) -> Path | None:
    """A -wal or -shm this user cannot write beside a history they can (another user's, say)."""
    if not os.access(path, os.W_OK):
        return None
    return next((c for c in _companions(path) if c.exists() and not os.access(c, os.W_OK)), None)


def _is_writable(path: Path) -> bool:
    """Whether the owner may write the file, by its mode bits (root included, whom os.access always lets)."""
    try:
        return bool(path.stat().st_mode & stat.S_IWUSR)
    except OSError:
        return False


def _companions_follow_the_database(path: Path) -> None:
    """Give our -wal and -shm files the database's mode again before a write.

    SQLite creates them with the database's mode, so reading a history while it was read-only
    leaves them read-only; once the history is writable again they would keep every write out,
    for good, with a message that blames the history. A companion someone else owns is left as it is
    (describe names it)."""
    if not _is_writable(path):
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    for companion in _companions(path):
        try:
            if not _is_writable(companion) and companion.stat().st_uid == getattr(os, "getuid", lambda: -1)():
                companion.chmod(mode)
        except OSError:
            pass


def _migrated_in_memory(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """A read-only history from an older genco, copied into memory and migrated there, so it can be
    listed, shown and exported as it is; the file itself is never written. Closes `conn`."""
    try:
        memory = _copied_into_memory(conn)
    finally:
        conn.close()
    _prepare(memory, path)
    return memory


def _copied_into_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A connection to a copy in memory of the database `conn` reads."""
    memory = connect(IN_MEMORY)
    try:
        conn.backup(memory)
    except BaseException:
        memory.close()
        raise
    return memory


def _create_private(path: Path) -> None:
    """Create a missing history file readable by its owner only (0600), before SQLite creates it with
    the umask's mode: it holds everything the user typed. SQLite gives the -wal and -shm files the
    database's mode. An existing file keeps the mode its owner gave it. A symbolic link to a file not made
    yet (`--db link.db`) is followed, as SQLite follows it: the file it names is made private too."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    except FileExistsError:
        if path.is_symlink() and not path.exists():
            with contextlib.suppress(FileExistsError):  # made meanwhile by another genco
                os.close(os.open(os.path.realpath(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def check_history_path(path: Path | str | None = None) -> Path:
    """The history file `path` names (the default one for None), if it can be one: a HistoryError names
    a folder, a device or a FIFO there, or a file where its folder should be, and a $GENCO_DB_TIMEOUT
    that is no number of seconds (busy_timeout), whatever the command does with the history. Nothing is
    opened or made: `genco practice` asks this before the answer is typed, `score` and `grade` before
    they score, not after."""
    busy_timeout()
    path = Path(path) if path else default_path()
    _check_folder(path)
    _check_kind(path)
    return path


def _check_folder(path: Path) -> None:
    """A history whose folder is a file (GENCO_HOME or --db set to a file's path) can be neither read
    nor made: say so, rather than list it as empty or blame a file that exists."""
    folder = next((p for p in path.parents if p.exists()), None)
    if folder is not None and not folder.is_dir():
        named = f" ({HOME_ENV})" if folder == genco_home() else ""
        raise HistoryError(f"history file {path} cannot be used: {folder}{named} is a file, not a folder; "
                           "point it at a folder")


def _not_a_file(path: Path, what: str) -> str:
    """The error for a history path that is no regular file: the home's own history is moved aside; a
    folder named with --db (a working folder, say) was meant to hold one, so a file in it is suggested."""
    if path != default_path() and path.is_dir():
        return f"history file {path} {what}; --db takes a history file, such as {path / DB_NAME}"
    return f"history file {path} {what}; move it aside, or pass --db with a file"


def _check_kind(path: Path) -> None:
    """A history that exists but is no regular file (a directory, a FIFO, a device, a symlink to one)
    is refused by name: SQLite would block on a FIFO or report a "disk I/O error" that says nothing
    of the file. Followed through symlinks, as SQLite follows them."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return  # missing: made, or read as empty
    except OSError as exc:  # a symlink loop, a folder on the way that cannot be searched: it was read as empty
        raise HistoryError(f"history file {path} cannot be used: {(exc.strerror or str(exc)).lower()}") from None
    if stat.S_ISDIR(mode):
        raise HistoryError(_not_a_file(path, "is a directory"))
    if not stat.S_ISREG(mode):
        raise HistoryError(_not_a_file(path, "is not a regular file (a device, FIFO or socket)"))
    if on_no_disk(path):
        raise HistoryError(f"history file {path} {ON_NO_DISK}; pass --db with another file")


def is_empty_file(path: Path) -> bool:
    """An empty file reads as an empty history; only a write makes it one."""
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


_CANNOT_WRITE_BESIDE = ("unable to open", "disk I/O error", "readonly")
"""What SQLite says when it cannot make the -shm file a WAL database needs even to be read: in a folder
genco cannot write ("unable to open", or SQLite 3.40's "attempt to write a readonly database" for a
file the user owns there), or on a full disk (a disk I/O error)."""


def _may_be_read_only(exc: sqlite3.Error) -> bool:
    """Whether a history that failed to open may still be read without writing anything beside it."""
    return any(words in str(exc) for words in _CANNOT_WRITE_BESIDE)


def connect_history(path: Path, create: bool = True, write: bool = True) -> sqlite3.Connection | None:
    """A connection to the history file `path` (checked with check_history_path), made, checked to be
    genco's and migrated (create=True); or, with create=False, read as it is: None when it is missing or
    empty (nothing is made), read-only or immutable where its folder cannot be written, and read-only
    beside a -wal holding anything unless `write` (to delete from it). Raises HistoryError when the file or
    its folder cannot be made, sqlite3.Error when SQLite refuses it (describe says why); the connection is
    closed when either is raised.

    A connection that may write copies the -wal beside the file into it when it closes, and a -wal left
    from another copy of the history (the file alone copied over it from another machine) was written
    into the file by `genco history`, which then called it corrupt and "left untouched". A reader opens
    such a file read-only: a -wal that does not belong is read, never kept; the next command that saves
    copies a -wal of its own in. (With no -wal there is nothing to copy, and a read-write reader removes
    the -shm and -wal it makes, where a read-only one leaves them.)"""
    if not create and (not path.exists() or is_empty_file(path)):
        return None
    _refuse_a_wal_that_does_not_fit(path)
    if not create and not write and _pending_wal(path):
        return _retry_while_locked(lambda: open_for_reading_only(path))
    conn = None
    made = missing_folders(path.parent) if create and not path.exists() else None
    try:
        if create:
            problem = companion_folder_problem(path.parent)
            if problem is not None:
                raise HistoryError(f"history file {path} cannot be made: {problem}")
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
            _companions_follow_the_database(path)
        conn = connect(path)
        try:
            _retry_while_locked(lambda: _prepare(conn, path, write=create))
        except sqlite3.OperationalError as exc:
            if create or not _may_be_read_only(exc):
                raise
            conn.close()
            conn = None
            conn = open_for_reading_only(path)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if made is not None and not (isinstance(exc, sqlite3.OperationalError) and _locked(exc)):
            _remove_unmade(path, made)  # locked: another genco is making it
        if isinstance(exc, OSError):
            raise HistoryError(f"cannot create history file {path} ({exc.strerror})") from None
        raise
    return conn


def _remove_unmade(path: Path, made: list[Path]) -> None:
    """What a history that could not be made left (a full disk): the file genco created, while it holds
    nothing (empty, or SQLite's header with no table yet), with its -wal and -shm, and the folders made for
    it. An empty file and a new folder were left behind by `--db new/h.db`, and a read-only command then
    called that file one that "cannot be written"."""
    if is_empty_file(path) or _holds_no_table(path):
        for leftover in (*_companions(path), path):
            with contextlib.suppress(OSError):
                leftover.unlink()
    remove_made_folders(made)


def _holds_no_table(path: Path) -> bool:
    """Whether an SQLite file holds no table (read as it is on disk, its -wal aside); False when unreadable."""
    try:
        conn = connect(path, "immutable=1")
        try:
            return not _read_header(conn).has_tables
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def may_hold_a_history(path: Path) -> bool:
    """Whether `path` can be a history file at all: a regular file or a missing one in a folder that is
    a folder, under a name --db takes (paths.history_name_problem). A directory, a device, a FIFO or a file
    of text (no SQLite header: never a history, and never to be made one) cannot."""
    if history_name_problem(str(path)) is not None or str(path).endswith(("/", os.sep)):
        return False
    try:
        check_history_path(path)  # no folder, device or FIFO there, and no file where its folder should be
        size = path.stat().st_size
    except FileNotFoundError:
        return True
    except (HistoryError, OSError):  # HistoryError for what check_history_path refuses; OSError: unreachable
        return False
    return size == 0 or _has_sqlite_header(path)  # an empty file is where SQLite starts a new history

