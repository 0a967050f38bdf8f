"""The attempt history: every scored answer kept in a local SQLite file.

Why SQLite: one file in the user's data directory, transactions, and concurrent writers (two
terminals practising at once) without a server. The rules that keep a learner's history safe:

* the schema is versioned with `PRAGMA user_version` and only migrated forwards; a file from a
  newer genco is refused, never "fixed";
* WAL mode and a busy timeout, so readers never block a writer and two writers queue;
* every write is one `BEGIN IMMEDIATE` transaction: all of an attempt's rows or none;
* a file that is corrupt, read-only, newer or locked is never overwritten or recreated: the
  attempt being saved goes to a recovery JSON Lines file (the export format) and the error
  says where, so `genco history import` can add it back later.

Per-concept results live in their own table so reports over many attempts are plain queries.
Nothing here imports numpy or torch: history commands must start instantly.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from . import __version__
from .answers import InputError, genco_home, jsonl_records

if TYPE_CHECKING:
    from .scoring import ScoreCard

DB_NAME = "history.sqlite3"
RECOVERY_NAME = "attempts.jsonl"
TIMEOUT_ENV = "GENCO_DB_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
SOURCES = ("learner", "interviewer")
SCHEMA_VERSION = 2
_UID_NAMESPACE = uuid.UUID("5b0f6c1e-2f0a-4c51-9d55-3f8a7c8d1e42")


class HistoryError(RuntimeError):
    """The history file cannot be used; the message is one line and says what to do."""


@dataclass
class Attempt:
    """One stored attempt, exactly as export writes it (one JSON object per line).

    `created_at` is ISO 8601 in UTC with microseconds, so text order is time order.
    `concepts` and `misconceptions` hold the score card's fields unrounded, so `genco show`
    rebuilds the same card and export/import round-trips exactly.
    """

    uid: str
    created_at: str
    question: str
    depth: str
    source: str
    seconds: float | None
    answer: str
    score: float
    model: str
    genco_version: str
    notes: list[str] = field(default_factory=list)
    concepts: list[dict[str, Any]] = field(default_factory=list)
    misconceptions: list[dict[str, Any]] = field(default_factory=list)
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The export record: everything but the local row id, which differs between files."""
        data = asdict(self)
        del data["id"]
        return data


CONCEPT_FIELDS = ("id", "name", "weight", "status", "score", "similarity", "evidence", "description")
MISCONCEPTION_FIELDS = ("id", "description", "correction", "penalty", "similarity", "evidence")
CONCEPT_MARKS = ("id", "name", "weight", "status", "score")
MISCONCEPTION_MARKS = ("id", "description", "correction", "penalty")


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def normalise_time(value: datetime) -> str:
    """The one stored format; a naive datetime is local time (what a person typed)."""
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def attempt_from_card(card: "ScoreCard", answer: str, source: str = "learner", seconds: float | None = None,
                      when: datetime | None = None) -> Attempt:
    """What a finished scoring produces, ready to store. A fresh random uid makes it unique everywhere."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    return Attempt(
        uid=uuid.uuid4().hex,
        created_at=normalise_time(when) if when else now_utc(),
        question=card.question,
        depth=card.depth,
        source=source,
        seconds=None if seconds is None else round(float(seconds), 3),
        answer=answer,
        score=float(card.score),
        model=card.model,
        genco_version=__version__,
        notes=list(card.notes),
        concepts=[{"id": c.id, "name": c.name, "weight": float(c.weight), "status": c.status, "score": float(c.score),
                   "similarity": float(c.similarity), "evidence": c.evidence, "description": c.description}
                  for c in card.concepts],
        misconceptions=[{"id": m.id, "description": m.description, "correction": m.correction,
                         "penalty": float(m.penalty), "similarity": float(m.similarity), "evidence": m.evidence}
                        for m in card.misconceptions],
    )


def card_from_attempt(attempt: Attempt) -> "ScoreCard":
    """The score card again, from stored rows, for `genco show` (imports the scoring data classes)."""
    from .scoring import ConceptResult, MisconceptionHit, ScoreCard

    return ScoreCard(
        question=attempt.question, depth=attempt.depth, score=attempt.score, model=attempt.model,
        notes=list(attempt.notes),
        concepts=[ConceptResult(**c) for c in attempt.concepts],
        misconceptions=[MisconceptionHit(**m) for m in attempt.misconceptions],
    )


# --- schema and migrations ------------------------------------------------------------------------

_V1 = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    depth TEXT NOT NULL,
    answer TEXT NOT NULL,
    score REAL NOT NULL,
    model TEXT NOT NULL,
    genco_version TEXT NOT NULL,
    card TEXT NOT NULL
);
"""

_V2 = """
ALTER TABLE attempts ADD COLUMN uid TEXT;
ALTER TABLE attempts ADD COLUMN source TEXT NOT NULL DEFAULT 'learner';
ALTER TABLE attempts ADD COLUMN seconds REAL;
ALTER TABLE attempts ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
CREATE TABLE concept_results (
    attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    concept_id TEXT NOT NULL,
    name TEXT NOT NULL,
    weight REAL NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    similarity REAL NOT NULL,
    evidence TEXT,
    description TEXT NOT NULL,
    PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
CREATE TABLE misconception_hits (
    attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    misconception_id TEXT NOT NULL,
    description TEXT NOT NULL,
    correction TEXT NOT NULL,
    penalty REAL NOT NULL,
    similarity REAL NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
"""

_V2_INDEXES = """
CREATE UNIQUE INDEX attempts_uid ON attempts(uid);
CREATE INDEX attempts_question ON attempts(question, depth, created_at);
CREATE INDEX attempts_created ON attempts(created_at);
ALTER TABLE attempts DROP COLUMN card;
"""


def _migrate_v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 1 kept each card as one JSON blob; version 2 splits it into rows reports can query.

    Old rows get a uid derived from their content, so importing an export of the same old file
    twice still skips duplicates.
    """
    for statement in _statements(_V2):
        conn.execute(statement)
    rows = conn.execute("SELECT id, created_at, question, depth, answer, card FROM attempts").fetchall()
    for row_id, created_at, question, depth, answer, card_json in rows:
        card = json.loads(card_json)
        uid = uuid.uuid5(_UID_NAMESPACE, "\x1f".join((created_at, question, depth, answer))).hex
        conn.execute("UPDATE attempts SET uid = ?, notes = ? WHERE id = ?", (uid, json.dumps(card.get("notes", [])), row_id))
        _insert_children(conn, row_id,
                         [{**{"description": ""}, **c} for c in card.get("concepts", [])],
                         [{**{"description": "", "correction": ""}, **m} for m in card.get("misconceptions", [])])
    for statement in _statements(_V2_INDEXES):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    """executescript() would commit mid-migration; statements run one by one stay in the transaction."""
    return [s.strip() for s in script.split(";") if s.strip()]


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V1):
        conn.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1, 2: _migrate_v1_to_v2}
"""Target version -> step. A new file runs every step, so fresh and migrated files end up alike."""


# --- opening the file safely ----------------------------------------------------------------------


def default_path() -> Path:
    return genco_home() / DB_NAME


def busy_timeout() -> float:
    """How long a write waits for another process's lock before giving up (tests make it short)."""
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def describe(exc: sqlite3.Error, path: Path) -> str:
    """One line that says what is wrong with the file and what the person can do."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (f"history file {path} is locked by another program (waited {busy_timeout():g} s); "
                "try again when it has finished")
    if "readonly" in text or "read-only" in text:
        return f"history file {path} is read-only; make it writable or pass --db with another file"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (f"history file {path} is corrupt ({text}); it was left untouched: move it aside "
                "to start a new history")
    if "unable to open" in text:
        return f"cannot open history file {path} (check that its folder exists and is writable)"
    return f"history file {path}: {text}"


class History:
    """An open history file. Use `open_history()`; every method maps SQLite failures to HistoryError."""

    def __init__(self, conn: sqlite3.Connection | None, path: Path) -> None:
        self.conn = conn
        self.path = path

    # reading

    def count(self) -> int:
        if self.conn is None:
            return 0
        return self.conn.execute("SELECT count(*) FROM attempts").fetchone()[0]

    def attempts(self, question: str | None = None, depth: str | None = None, since: str | None = None,
                 limit: int | None = None, newest_first: bool = False, evidence: bool = True,
                 concepts_of_latest: int | None = None, results: bool = True,
                 source: str | None = None) -> list[Attempt]:
        """Attempts with their concept and misconception rows, filtered in SQL, oldest first by default.

        For aggregation over thousands of attempts, two options skip most of the rows: evidence=False
        leaves out what only a single card shows (evidence, similarity, descriptions), and
        concepts_of_latest=N attaches concept rows only to the latest N attempts of each question
        and depth (the others keep an empty `concepts` list); results=False reads attempt rows only.
        source="learner" leaves out candidates graded by an interviewer (progress is the learner's own).
        """
        where, params = [], []
        for column, value in (("question = ?", question), ("depth = ?", depth), ("created_at >= ?", since),
                              ("source = ?", source)):
            if value is not None:
                where.append(column)
                params.append(value)
        order = "DESC" if newest_first else "ASC"
        found = self._select(" AND ".join(where), params, f"created_at {order}, id {order}", limit)
        if results:
            self._attach_results(found, evidence, concepts_of_latest)
        return found

    def _select(self, where: str, params: Sequence[Any], order: str, limit: int | None = None) -> list[Attempt]:
        if self.conn is None:
            return []
        sql = ("SELECT id, uid, created_at, question, depth, source, seconds, answer, score, model, genco_version, notes "
               f"FROM attempts {'WHERE ' + where if where else ''} ORDER BY {order}")
        if limit:
            sql += f" LIMIT {int(limit)}"
        found = [Attempt(id=r[0], uid=r[1], created_at=r[2], question=r[3], depth=r[4], source=r[5], seconds=r[6],
                         answer=r[7], score=r[8], model=r[9], genco_version=r[10], notes=json.loads(r[11]))
                 for r in self.conn.execute(sql, params)]
        return found

    def _attach_results(self, found: list[Attempt], evidence: bool = True, concepts_of_latest: int | None = None) -> None:
        by_id = {a.id: a for a in found}
        self._attach(by_id, by_id, "misconception_hits", MISCONCEPTION_FIELDS if evidence else MISCONCEPTION_MARKS)
        concept_ids = _latest_per_group(found, concepts_of_latest) if concepts_of_latest else by_id
        self._attach(by_id, concept_ids, "concept_results", CONCEPT_FIELDS if evidence else CONCEPT_MARKS)

    def _attach(self, by_id: dict[int, Attempt], wanted: Iterable[int], table: str, names: tuple[str, ...]) -> None:
        """One query for all attempts rather than one per attempt (reports read thousands)."""
        if not by_id:
            return
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id INTEGER PRIMARY KEY)")
        self.conn.execute("DELETE FROM wanted")
        self.conn.executemany("INSERT INTO wanted VALUES (?)", ((i,) for i in wanted))
        key = "concept_id" if table == "concept_results" else "misconception_id"
        target = "concepts" if table == "concept_results" else "misconceptions"
        columns = ", ".join(key if name == "id" else name for name in names)
        for row in self.conn.execute(f"SELECT attempt_id, {columns} FROM {table} "
                                     "WHERE attempt_id IN (SELECT id FROM wanted) ORDER BY attempt_id, position"):
            getattr(by_id[row[0]], target).append(dict(zip(names, row[1:])))

    def find(self, ref: str) -> Attempt:
        """An attempt by its number (as `genco history` lists it), `last`, or a uid prefix."""
        if self.conn is not None:
            if ref == "last":
                row = self.conn.execute("SELECT id FROM attempts ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
            elif ref.isdigit():
                row = self.conn.execute("SELECT id FROM attempts WHERE id = ?", (int(ref),)).fetchone()
            else:
                rows = self.conn.execute("SELECT id FROM attempts WHERE uid LIKE ? LIMIT 2",
                                         (ref.lower().replace("%", "").replace("_", "") + "%",)).fetchall()
                if len(rows) > 1:
                    raise InputError(f"attempt {ref!r} is ambiguous; give more characters of the uid or its number")
                row = rows[0] if rows and len(ref) >= 6 else None
            if row is not None:
                found = self._select("id = ?", [row[0]], "id")
                self._attach_results(found)
                return found[0]
        raise InputError(f"no attempt {ref!r} in {self.path} (see `genco history` for the numbers)")

    # writing

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking."""
        assert self.conn is not None
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def add(self, attempts: Iterable[Attempt]) -> tuple[list[int], int]:
        """Insert attempts in one transaction; ones whose uid is already stored are skipped.

        Returns the new row ids and how many were skipped as duplicates.
        """
        added, skipped = [], 0
        with self.transaction() as conn:
            for attempt in attempts:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO attempts (uid, created_at, question, depth, source, seconds, answer, score, "
                    "model, genco_version, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (attempt.uid, attempt.created_at, attempt.question, attempt.depth, attempt.source, attempt.seconds,
                     attempt.answer, attempt.score, attempt.model, attempt.genco_version, json.dumps(attempt.notes)))
                if cursor.rowcount == 0:
                    skipped += 1
                    continue
                _insert_children(conn, cursor.lastrowid, attempt.concepts, attempt.misconceptions)
                added.append(cursor.lastrowid)
        return added, skipped

    def delete(self, ref: str) -> Attempt:
        attempt = self.find(ref)
        with self.transaction() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("DELETE FROM attempts WHERE id = ?", (attempt.id,))
        return attempt

    def purge(self) -> int:
        """Remove every attempt; the file and its schema stay (and freed pages are zeroed)."""
        if self.conn is None:
            return 0
        with self.transaction() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            removed = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
            conn.execute("DELETE FROM attempts")
        return removed


def _latest_per_group(attempts: Sequence[Attempt], count: int) -> list[int]:
    """Ids of the latest `count` attempts of each question and depth."""
    seen: dict[tuple[str, str], int] = {}
    wanted = []
    for attempt in sorted(attempts, key=lambda a: (a.created_at, a.id), reverse=True):
        group = (attempt.question, attempt.depth)
        seen[group] = seen.get(group, 0) + 1
        if seen[group] <= count:
            wanted.append(attempt.id)
    return wanted


def _insert_children(conn: sqlite3.Connection, attempt_id: int, concepts: Sequence[dict[str, Any]],
                     misconceptions: Sequence[dict[str, Any]]) -> None:
    conn.executemany(
        "INSERT INTO concept_results (attempt_id, position, concept_id, name, weight, status, score, similarity, "
        "evidence, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(attempt_id, i, *(c[name] for name in CONCEPT_FIELDS)) for i, c in enumerate(concepts)])
    conn.executemany(
        "INSERT INTO misconception_hits (attempt_id, position, misconception_id, description, correction, penalty, "
        "similarity, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(attempt_id, i, *(m[name] for name in MISCONCEPTION_FIELDS)) for i, m in enumerate(misconceptions)])


def _schema_version(conn: sqlite3.Connection, path: Path) -> int:
    """Reading the header is the first thing done: a corrupt or newer file fails before any write."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HistoryError(f"history file {path} is from a newer genco (schema {version}; this genco reads up to "
                           f"{SCHEMA_VERSION}); it was left untouched: upgrade genco or pass --db with another file")
    return version


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """WAL, then forward migrations, each in the same write transaction as its version bump."""
    if _schema_version(conn, path) == SCHEMA_VERSION:
        return
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _schema_version(conn, path)  # another process may have migrated while we waited
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _retry_while_locked(step: Callable[[], None]) -> None:
    """Run `step`, retrying while the file is locked, up to the busy timeout.

    SQLite skips its own busy wait in a few cases: switching a new file to WAL while another
    process does the same, or opening while another recovers the WAL. Two processes that
    start saving into a fresh history at once hit exactly that, so it is retried here.
    """
    deadline = time.monotonic() + busy_timeout()
    pause = 0.01
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


@contextmanager
def open_history(path: Path | str | None = None, create: bool = True) -> Iterator[History]:
    """Open (and if needed create or migrate) a history file; SQLite errors become one-line HistoryErrors.

    With create=False a missing file reads as empty and is not created: listing or reporting
    never leaves files behind.
    """
    path = Path(path) if path else default_path()
    if not create and not path.exists():
        yield History(None, path)
        return
    conn = None
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        _retry_while_locked(lambda: _prepare(conn, path))
        yield History(conn, path)
    except sqlite3.Error as exc:
        raise HistoryError(describe(exc, path)) from None
    except OSError as exc:
        raise HistoryError(f"cannot create history file {path} ({exc.strerror})") from None
    finally:
        if conn is not None:
            conn.close()


# --- saving with a safety net ---------------------------------------------------------------------


def recovery_path() -> Path:
    return genco_home() / "recovery" / RECOVERY_NAME


def write_recovery(attempts: Sequence[Attempt]) -> Path:
    """Append attempts that could not be stored; the temp directory is the fallback, never nowhere."""
    lines = "".join(json.dumps(a.to_json(), ensure_ascii=False) + "\n" for a in attempts)
    for path in (recovery_path(), Path(tempfile.gettempdir()) / f"genco-{RECOVERY_NAME}"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(lines)
            return path
        except OSError:
            continue
    raise HistoryError("could not write the recovery file anywhere; the attempt is lost")


def store(db_path: Path | str | None, attempts: Sequence[Attempt]) -> list[int]:
    """Save attempts in one transaction; on any failure they go to the recovery file and the error says where."""
    try:
        with open_history(db_path) as history:
            return history.add(attempts)[0]
    except HistoryError as exc:
        where = write_recovery(attempts)
        raise HistoryError(f"{exc}. Not saved there: the attempt was written to {where} "
                           f"(add it later with `genco history import {where}`)") from None


def save_attempt(db_path: Path | str | None, card: "ScoreCard", answer: str, *, source: str = "learner",
                 seconds: float | None = None) -> int:
    """Store one scored answer and return its attempt number (what `genco show N` takes).

    `db_path` None means the default file ($GENCO_HOME or the platform data directory).
    `source` is "learner" (practice, score) or "interviewer" (grade). Raises HistoryError with a
    one-line message after writing the attempt to the recovery file when the history is unusable.
    """
    return store(db_path, [attempt_from_card(card, answer, source=source, seconds=seconds)])[0]


# --- JSON Lines import ----------------------------------------------------------------------------


def _check_children(items: Any, names: tuple[str, ...], what: str) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) and set(names) <= set(i) for i in items):
        raise ValueError(f"'{what}' must be a list of objects with {', '.join(names)}")
    return [{name: item[name] for name in names} for item in items]


def attempt_from_json(record: Any) -> Attempt:
    """Validate one export record; raises ValueError naming the field."""
    if not isinstance(record, dict):
        raise ValueError("expected an attempt object")
    wanted = {f.name for f in fields(Attempt)} - {"id"}
    missing = sorted(wanted - set(record))
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    if record["source"] not in SOURCES:
        raise ValueError(f"'source' must be one of {', '.join(SOURCES)}")
    for name in ("uid", "created_at", "question", "depth", "answer", "model", "genco_version"):
        if not isinstance(record[name], str):
            raise ValueError(f"'{name}' must be a string")
    try:
        created = normalise_time(datetime.fromisoformat(record["created_at"]))
    except ValueError:
        raise ValueError("'created_at' must be an ISO 8601 time") from None
    if not isinstance(record["score"], (int, float)) or not isinstance(record["seconds"], (int, float, type(None))):
        raise ValueError("'score' and 'seconds' must be numbers")
    if not isinstance(record["notes"], list):
        raise ValueError("'notes' must be a list")
    return Attempt(uid=record["uid"], created_at=created, question=record["question"], depth=record["depth"],
                   source=record["source"], seconds=record["seconds"], answer=record["answer"],
                   score=float(record["score"]), model=record["model"], genco_version=record["genco_version"],
                   notes=[str(n) for n in record["notes"]],
                   concepts=_check_children(record["concepts"], CONCEPT_FIELDS, "concepts"),
                   misconceptions=_check_children(record["misconceptions"], MISCONCEPTION_FIELDS, "misconceptions"))


def parse_export(text: str, name: str) -> list[Attempt]:
    """Every line checked before anything is stored, so a bad file imports nothing."""
    attempts = []
    for number, record in jsonl_records(text, name):
        try:
            attempts.append(attempt_from_json(record))
        except ValueError as exc:
            raise InputError(f"{name}:{number}: {exc}") from None
    return attempts


def export_lines(attempts: Iterable[Attempt]) -> Iterator[str]:
    for attempt in attempts:
        yield json.dumps(attempt.to_json(), ensure_ascii=False) + "\n"
