"""What a damaged history still gives up (`genco history export --salvage`): its attempts read one
at a time, so a damaged page loses only the attempts on it. The file is only read, never checked,
migrated or written."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .attempt import CONCEPT_FIELDS, MISCONCEPTION_FIELDS, Attempt
from .database import (
    SQLITE_HEADER,
    HistoryError,
    as_database_error,
    check_history_path,
    connect,
    is_empty_file,
    open_for_reading_only,
    wal_does_not_fit,
)
from .rows import UNNAMED, UNREADABLE_ANSWER
from .schema import MIGRATIONS, SCHEMA_VERSION
from .store import History


@dataclass(frozen=True)
class Salvaged:
    """What a damaged history still gives up (salvage)."""

    attempts: list[Attempt]
    """The attempts read, oldest first, as `History.attempts` gives them."""
    unreadable: int
    """Attempt numbers whose row could not be read."""
    without_marks: int
    """Attempts kept without their concept or misconception marks (or both), whose rows could not be read."""
    interviews: int | None = 0
    """Mock interview reports the history lists (None when the list cannot be read): an export holds
    attempts only, so salvage says what it leaves behind, as a plain export does."""
    wal_set_aside: bool = False
    """The -wal beside the history did not fit it (database.wal_does_not_fit): the file was read alone."""


def salvage(path: Path | str | None = None) -> Salvaged:
    """The attempts a damaged history still holds, read one at a time, so a damaged page loses only the
    attempts on it: `genco history export --salvage`. The file is only read (SQLite's read-only mode;
    where its folder cannot be written, immutable, or a private copy with its -wal), never checked,
    migrated or written.

    Raises HistoryError when not even one attempt number can be read.
    """
    path = check_history_path(path)
    if not path.exists() or is_empty_file(path):
        return Salvaged([], 0, 0)
    page_size, claimed = _header_length(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = claimed
    if wal_does_not_fit(path):  # read through it, another history's rows were salvaged as this one's
        return replace(_salvage_file(path, path, alone=True), wal_set_aside=True)
    if not claimed or claimed == size:
        return _salvage_file(path, path)
    with tempfile.TemporaryDirectory(prefix="genco-") as folder:  # SQLite refuses a file whose header is not its length
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():  # the commits not yet in the file: without them, salvage gave back older rows
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        with copy.open("r+b") as padded:
            if size < claimed <= size + MAX_PADDING:  # cut short (a copy that stopped, a full disk): padded back
                padded.truncate(claimed)  # a hole, not zeros written: nothing held in memory
            else:  # the page count itself is damaged: SQLite reads a count of 0 as "the file's own length"
                padded.truncate(-(-size // page_size) * page_size)
                padded.seek(28)
                padded.write(bytes(4))
        return _salvage_file(copy, path)


MAX_PADDING = 256 * 2**20
"""The most bytes salvage adds to a history cut short: a history is a few kilobytes an attempt, so a
header claiming more than this past the file's end is damaged itself, not the length of a cut copy."""


def _header_length(path: Path) -> tuple[int, int]:
    """A history file's page size and the length in bytes its header gives it (page size x page count;
    sqlite.org/fileformat.html); (0, 0) when the header cannot say, or gives no count (0) or an outdated
    one (its version-valid-for number is not its change counter), which SQLite does not read either."""
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError:
        return 0, 0
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return 0, 0
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or header[24:28] != header[92:96]:  # a power of two from 512
        return 0, 0
    return page_size, page_size * int.from_bytes(header[28:32], "big")


def _salvage_file(path: Path, named: Path, alone: bool = False) -> Salvaged:
    """salvage of the file at `path`, which is the history `named` or a copy of it; `alone`: its -wal aside."""
    conn = copy = None
    try:
        conn = _probed(connect(path, "immutable=1"), path) if alone else open_for_reading_only(path, _probed)
        numbers = _attempt_numbers(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return _salvaged(History(conn, named), numbers)
        copy, unreadable, unmarked = _upgraded_copy(conn, version, numbers)
        found = _salvaged(History(copy, named), numbers, unmarked)
        return replace(found, unreadable=found.unreadable + unreadable, interviews=_interviews_listed(History(conn, named)))
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        error = as_database_error(exc) if isinstance(exc, UnicodeDecodeError) else exc
        raise HistoryError(f"history file {named}: nothing could be salvaged ({error})") from None
    finally:
        for opened in (copy, conn):
            if opened is not None:
                opened.close()


def _probed(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """`conn` once it has read the schema (where SQLite first needs the -shm), unchecked: salvage reads a
    damaged history as it is. Closed when the read fails."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except BaseException:
        conn.close()
        raise


_ATTEMPT_LISTINGS = ("SELECT id FROM attempts ORDER BY id",
                     "SELECT id FROM attempts ORDER BY id DESC",
                     "SELECT id FROM attempts INDEXED BY attempts_created ORDER BY created_at",
                     "SELECT id FROM attempts INDEXED BY attempts_uid ORDER BY uid",
                     "SELECT id FROM attempts INDEXED BY attempts_question ORDER BY question")
"""Ways to list the attempt numbers, each reading other pages: the table from either end, and each index
(an index holds every attempt's number, apart from the table's own pages)."""


def _attempt_numbers(conn: sqlite3.Connection) -> list[int]:
    """Every attempt number to try: all of them when the table lists whole, else every number any listing
    reached before a damaged page and every one up to the highest of them, up to MAX_PROBED (numbers no
    attempt has are skipped later).

    Raises sqlite3.DatabaseError when no listing reads a single number."""
    seen: set[int] = set()
    failure: sqlite3.DatabaseError | None = None
    for number, listing in enumerate(_ATTEMPT_LISTINGS):
        try:
            for (attempt_id,) in conn.execute(listing):
                seen.add(attempt_id)
        except sqlite3.DatabaseError as exc:  # a damaged page, or an index an older history lacks
            failure = failure or exc
            continue
        if number == 0:
            return sorted(seen)
    if not seen:
        raise failure or sqlite3.DatabaseError("no attempt numbers could be read")
    return sorted(seen.union(range(1, min(max(seen), MAX_PROBED) + 1)))


MAX_PROBED = 1_000_000
"""The highest attempt number salvage tries without a listing having read it: numbers run from 1 a kept
attempt at a time, so past this only a number edited by hand is found, and trying every one up to it
(a number of 13 digits) never ended. Numbers a listing read are tried whatever their size."""


_CHILD_TABLES = ("concept_results", "misconception_hits")
"""The tables holding an attempt's marks, from schema version 2 (version 1 kept them in its card)."""


def _upgraded_copy(conn: sqlite3.Connection, version: int,
                   numbers: Iterable[int]) -> tuple[sqlite3.Connection, int, dict[str, set[int]]]:
    """An in-memory copy of an older history: its own tables (an older development build's columns
    included), its attempts numbered `numbers` each copied alone (a damaged page loses only the rows on
    it), then upgraded by the schema's own steps, as opening the file would. Salvage reads the current
    schema's columns, which an older file lacks.

    Returns the copy, how many attempts could not be read, and whose marks could not be (table -> numbers)."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    for (statement,) in conn.execute("SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') "
                                     "AND sql IS NOT NULL AND name NOT LIKE 'sqlite%' ORDER BY type DESC"):  # tables before their indexes
        copy.execute(statement)
    tables = [t for t in _CHILD_TABLES if copy.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (t,)).fetchone()]
    unreadable, unmarked = 0, {table: set() for table in tables}
    for number in numbers:
        try:
            if not _copy_rows(conn, copy, "attempts", "id", number):
                continue
        except (sqlite3.DatabaseError, UnicodeDecodeError):  # a damaged page, or a row its constraints refuse
            unreadable += 1
            continue
        for table in tables:
            try:
                _copy_rows(conn, copy, table, "attempt_id", number)
            except (sqlite3.DatabaseError, UnicodeDecodeError):
                unmarked[table].add(number)
    for step in MIGRATIONS[version:]:
        step.apply(copy)
    return copy, unreadable, unmarked


def _copy_rows(source: sqlite3.Connection, target: sqlite3.Connection, table: str, key: str, number: int) -> int:
    """Copy the rows of `table` whose `key` is `number` from `source` to `target`; how many there were."""
    cursor = source.execute(f"SELECT * FROM {table} WHERE {key} = ?", (number,))
    rows = cursor.fetchall()
    columns = ", ".join(f'"{column[0]}"' for column in cursor.description)
    target.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(cursor.description))})", rows)
    return len(rows)


def _nothing_left(attempt: Attempt) -> bool:
    """Whether a row read from damaged pages kept neither its answer nor its question (they read as
    placeholders): a page cut through gave such a row, dated 1970 with score 0, salvaged as an attempt."""
    return attempt.answer == UNREADABLE_ANSWER and attempt.question == UNNAMED


SALVAGED_WITHOUT_NOTE = "salvaged from a damaged history without its {}: they could not be read, so none are shown"
"""The note a salvaged attempt carries for each kind of mark it lost: an empty concept table would read as
an answer that earned nothing, and the export, the import and `show` keep the note with the attempt."""


def _salvaged(store: History, numbers: Iterable[int], unmarked: Mapping[str, set[int]] | None = None) -> Salvaged:
    """The attempts numbered `numbers` that can be read, each with the marks that can be read too;
    `unmarked` (table -> attempt numbers) names marks already lost when an older file was copied."""
    unmarked = unmarked or {}
    found, unreadable, without_marks = [], 0, 0
    for number in numbers:
        try:
            rows = store.select_rows("id = ?", [number], "id")
        except (sqlite3.DatabaseError, UnicodeDecodeError):
            unreadable += 1
            continue
        kept = [attempt for attempt in rows if not _nothing_left(attempt)]
        unreadable += len(rows) - len(kept)
        rows = kept
        lost = False
        for table, names, target, marks in (("concept_results", CONCEPT_FIELDS, "concepts", "concept marks"),
                                            ("misconception_hits", MISCONCEPTION_FIELDS, "misconceptions", "red flags")):
            try:
                store.attach_rows({a.id: a for a in rows}, [a.id for a in rows], table, names)
                unread = number in unmarked.get(table, ())
            except (sqlite3.DatabaseError, UnicodeDecodeError):
                unread = True
            if not unread:
                continue
            for attempt in rows:
                getattr(attempt, target).clear()
                attempt.notes.append(SALVAGED_WITHOUT_NOTE.format(marks))
            lost = True
        without_marks += len(rows) if lost else 0
        found.extend(rows)
    found.sort(key=lambda attempt: (attempt.created_at, attempt.id))
    return Salvaged(found, unreadable, without_marks, _interviews_listed(store))


def _interviews_listed(store: History) -> int | None:
    """How many mock interview reports a damaged history lists, or None when the list cannot be read
    (a history from before interviews were kept lists none)."""
    try:
        has_table = store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'interviews'").fetchone()
        return len(store.interviews()) if has_table else 0
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return None

