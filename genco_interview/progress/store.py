"""The attempt history: every scored answer kept in a local SQLite file.

Why SQLite: one file in the user's data directory, transactions, and concurrent writers (two
terminals practising at once) without a server. The rules that keep a learner's history safe:

* the schema is versioned with `PRAGMA user_version` and only migrated forwards; a file from a
  newer genco is refused, never "fixed";
* WAL mode and a busy timeout, so readers never block a writer and two writers queue;
* every write is one `BEGIN IMMEDIATE` transaction: all of an attempt's rows or none;
* a file that is corrupt, read-only, newer or locked is never overwritten or recreated: the
  attempt being saved goes to a recovery JSON Lines file (the export format) and the error
  says where, so `genco history import` can add it back later; a mock interview's report goes
  to a recovery file of its own beside it.

Per-concept results live in their own table so reports over many attempts are plain queries.
Nothing here imports numpy or torch: history commands must start instantly.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import shlex
import shutil
import sqlite3
import stat
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..answers import ANSWER_LIMIT, InputError, nothing_to_score, write_all
from ..card import PERSON_MARKS, UNCERTAIN_NOTE, Status
from ..errors import GencoError, cut, quoted
from ..output import dumps, genco_command, one_line
from ..paths import (
    HOME_ENV,
    ON_NO_DISK,
    companion_folder_problem,
    genco_home,
    history_name_problem,
    on_no_disk,
    private_temp_dir,
)
from ..rubric import RUBRIC_ID, slug
from ..text.reading import same_person, unaccented

if TYPE_CHECKING:
    from ..card import ScoreCard

DB_NAME = "history.sqlite3"
RECOVERY_NAME = "attempts.jsonl"
_UIDS_PER_QUERY = 500
"""Uids looked up per query: under SQLite's limit on a statement's parameters (999 before 3.32)."""
RECOVERY_REPORTS = "interviews.jsonl"
"""Where interview reports go when the history cannot take them (beside the attempts' recovery file)."""
TIMEOUT_ENV = "GENCO_DB_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 86400.0
"""A day: longer waits are a mistake, and SQLite takes the timeout as a C int of milliseconds."""
SOURCES = ("learner", "interviewer")
APPLICATION_ID = 0x47454E43
"""'GENC' in the SQLite header (PRAGMA application_id): how genco knows a database is its own."""
MIN_UID_PREFIX = 6
"""Characters of a uid that name an attempt: fewer would read a deleted attempt's number as a uid prefix."""
_UID_PREFIX = re.compile(f"[0-9a-f]{{{MIN_UID_PREFIX},32}}")
"""What can start a uid (32 hex digits): anything else names no attempt, never a pattern."""
MAX_ID_DIGITS = 18
"""Attempt numbers are SQLite integers (under 2**63): a longer run of digits names no attempt."""


def row_number(digits: str) -> int | None:
    """The attempt or interview number a run of ASCII digits names ("0042" is 42), or None when it is
    too long to be one (MAX_ID_DIGITS, leading zeros aside)."""
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= MAX_ID_DIGITS else None
STATUSES = tuple(Status)
UID = re.compile(r"^[0-9a-f]{32}$")
EARLIEST = "1970-01-01T00:00:00.000000+00:00"
MAX_SECONDS = 366 * 86400.0
SIMILARITY_BOUND = 1.01
"""Similarities are cosines (and a blend of them with word overlap): within [-1, 1] up to rounding."""
_UID_NAMESPACE = uuid.UUID("5b0f6c1e-2f0a-4c51-9d55-3f8a7c8d1e42")


def _require_sound(conn: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError ("malformed", which describe() calls corrupt) when SQLite's quick check
    finds the file damaged: an insert touches only a few pages, so it can succeed in a damaged file and
    be given a number read from a damaged page, while every listing refuses the file; the attempt
    belongs in the recovery file instead. About 30 ms on a history of 10,000 attempts (34 MB)."""
    found = conn.execute("PRAGMA quick_check(1)").fetchone()
    if found is None or found[0] != "ok":
        raise sqlite3.DatabaseError("database disk image is malformed")


def _filters(question: str | None, depth: str | None, since: str | None,
             source: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause (without the word) and its parameters for attempts of a question, a depth,
    created at or after `since`, of a source ("learner" or "interviewer"): None leaves a filter out."""
    where, params = [], []
    for column, value in (("question = ?", question), ("depth = ?", depth), ("created_at >= ?", since),
                          (f"{READ_SOURCE} = ?", source)):
        if value is not None:
            where.append(column)
            params.append(value)
    return " AND ".join(where), params


class HistoryError(GencoError, RuntimeError):
    """The history file cannot be used; the message is one line and says what to do.

    `recovered` is how many attempts being saved went to the recovery file instead (`store`),
    `recovery` that file; 0 and None when nothing was being saved."""

    recovered: int = 0
    recovery: Path | None = None


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
    grade: dict[str, Any] | None = None
    """An interviewer attempt's grading (`interview.grading.Grade.kept`): candidate, note, and the
    machine's score and marks beside the interviewer's ones in `concepts`; None for a learner's."""
    id: int | None = None

    @property
    def candidate(self) -> str | None:
        """Who answered, for an interviewer attempt graded with a name (`genco grade --candidate`)."""
        return self.grade["candidate"] if self.grade else None

    @property
    def uncertain(self) -> bool:
        """Whether the card kept with it asked for a person to check its score (its "uncertain" note): a
        script reading the listing cannot tell otherwise an answer that took itself back from a sure one."""
        return UNCERTAIN_NOTE in self.notes

    def to_json(self) -> dict[str, Any]:
        """The export record: everything but the local row id, which differs between files, and the numbers
        of the grades a regrade replaced (`grade.replaces`), numbers of this file too: imported elsewhere
        they would name other attempts."""
        data = asdict(self)
        del data["id"]
        if data["grade"] is not None:
            data["grade"].pop("replaces", None)
        return data

    def to_line(self) -> str:
        """The export record as one JSON Lines line; line separators inside answers are escaped, so it
        stays one line (history export, the recovery file)."""
        return dumps(self.to_json()) + "\n"


CONCEPT_FIELDS = ("id", "name", "weight", "status", "score", "similarity", "evidence", "description")
MISCONCEPTION_FIELDS = ("id", "description", "correction", "penalty", "similarity", "evidence")
CONCEPT_MARKS = ("id", "name", "weight", "status", "score")
MISCONCEPTION_MARKS = ("id", "description", "correction", "penalty")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def normalise_time(value: datetime) -> str:
    """The one stored format; a naive datetime is local time (what a person typed).

    At the ends of the calendar (year 1, year 9999) the shift to UTC can leave it; such a time
    is taken as UTC already, which keeps its order against every real attempt.
    """
    try:
        if value.tzinfo is None:
            value = value.astimezone()
        value = value.astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="microseconds")


def attempt_from_card(card: ScoreCard, answer: str, source: str = "learner", seconds: float | None = None,
                      when: datetime | None = None, grade: dict[str, Any] | None = None) -> Attempt:
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
        grade=None if grade is None else _grade_to_keep(grade),
    )


class AttemptReplaced(InputError):
    """An attempt number a regrade replaced: `by` is the grade that replaced it (a front end may open that)."""

    def __init__(self, message: str, by: int) -> None:
        super().__init__(message)
        self.by = by


class GradeTextError(InputError):
    """A candidate name or note too long to keep: refused before saving, since a longer one would be
    read back as no grade at all (and refused on import)."""


def check_grade_texts(candidate: str | None, note: str | None) -> None:
    """Refuse a candidate name or note too long to keep (GradeTextError naming which), so `genco grade`
    can say so before the model loads rather than after scoring."""
    for name, text in (("candidate", candidate), ("note", note)):
        if isinstance(text, str) and len(text) > GRADE_TEXT_LIMIT:
            raise GradeTextError(f"the {name} is {len(text):,} characters; a kept grade holds at most "
                                 f"{GRADE_TEXT_LIMIT:,}: shorten it (nothing was kept)")


def _grade_to_keep(grade: dict[str, Any]) -> dict[str, Any]:
    """A grade about to be kept, checked as it will be read back; GradeTextError names what is wrong."""
    check_grade_texts(grade.get("candidate"), grade.get("note"))
    try:
        return check_grade(grade)
    except ValueError as exc:
        raise GradeTextError(f"cannot keep this grade: {exc}") from None


DAMAGED_MARK_NOTE = "the stored mark of {} is damaged (edited by hand?); it reads as missing"


def card_from_attempt(attempt: Attempt) -> ScoreCard:
    """The score card again, from stored rows, for `genco show`."""
    from ..card import ConceptResult, MisconceptionHit, ScoreCard, Status

    statuses = {s.value for s in Status}
    damaged = [c["id"] for c in attempt.concepts if c["status"] not in statuses]
    notes = [*attempt.notes, *([DAMAGED_MARK_NOTE.format(", ".join(damaged))] if damaged else [])]
    return ScoreCard(
        question=attempt.question, depth=attempt.depth, score=attempt.score, model=attempt.model,
        notes=notes,
        concepts=[ConceptResult(**{**c, "status": Status(c["status"]) if c["status"] in statuses else Status.MISSING})
                  for c in attempt.concepts],
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


def content_uid(created_at: str, question: str, depth: str, answer: str) -> str:
    """A uid made from an attempt's content, the same every time: for rows kept before attempts had one,
    and for a row whose uid was emptied by hand, so an export of it imports (and imports once)."""
    return uuid.uuid5(_UID_NAMESPACE, "\x1f".join((created_at, question, depth, answer))).hex


def _migrate_v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 1 kept each card as one JSON blob; version 2 splits it into rows reports can query.

    Old rows get a uid derived from their content, so importing an export of the same old file
    twice still skips duplicates.
    """
    for statement in _statements(_V2):
        conn.execute(statement)
    rows = conn.execute("SELECT id, created_at, question, depth, answer, card FROM attempts").fetchall()
    for row_id, created_at, question, depth, answer, card_json in rows:
        notes, concepts, misconceptions = _v1_card(card_json)
        uid = content_uid(created_at, question, depth, answer)
        conn.execute("UPDATE attempts SET uid = ?, notes = ? WHERE id = ?", (uid, json.dumps(notes), row_id))
        _insert_children(conn, row_id, concepts, misconceptions)
    for statement in _statements(_V2_INDEXES):
        conn.execute(statement)


DAMAGED_CARD_NOTE = "its score card could not be read when the history was upgraded; the answer and score are kept"


def _v1_card(card_json: Any) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Notes, concept rows and misconception rows of a version-1 card blob.

    A damaged card (not JSON, a row without its fields) must not stop the upgrade of a whole
    history: that attempt keeps its answer and score, loses its per-concept rows, and says so.
    """
    try:
        card = json.loads(card_json)
        notes = [str(n) for n in card.get("notes", [])]
        concepts = [_complete({"description": "", **c}, CONCEPT_FIELDS) for c in card.get("concepts", [])]
        misconceptions = [_complete({"description": "", "correction": "", **m}, MISCONCEPTION_FIELDS)
                          for m in card.get("misconceptions", [])]
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError):
        return [DAMAGED_CARD_NOTE], [], []
    return notes, concepts, misconceptions


def _complete(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """A child row with every field present, numbers as floats; KeyError/TypeError/ValueError otherwise."""
    complete = {name: row[name] for name in names}
    for name in ("weight", "score", "similarity", "penalty"):
        if name in complete:
            complete[name] = float(complete[name])
    return complete


def _statements(script: str) -> list[str]:
    """executescript() would commit mid-migration; statements run one by one stay in the transaction."""
    return [s.strip() for s in script.split(";") if s.strip()]


def _create_v1(conn: sqlite3.Connection) -> None:
    """Version 1: one row per attempt, its card one JSON blob."""
    for statement in _statements(_V1):
        conn.execute(statement)


_V3 = """
CREATE TABLE interviews (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    genco_version TEXT NOT NULL,
    questions INTEGER NOT NULL,
    score REAL NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX interviews_created ON interviews(created_at);
"""


def _add_interviews(conn: sqlite3.Connection) -> None:
    """Version 3: mock interview reports, one row each; the report itself is the JSON shape of
    `InterviewReport.to_dict` (interview/mock.py), its answers are attempts like any other."""
    for statement in _statements(_V3):
        conn.execute(statement)


def _add_grades(conn: sqlite3.Connection) -> None:
    """Version 4: an interviewer attempt keeps who was graded, the note, and the machine's own marks
    (JSON, `Attempt.grade`); learners' attempts leave it NULL."""
    conn.execute("ALTER TABLE attempts ADD COLUMN grade TEXT")


SOUND_RETIRED = f"typeof(last) = 'integer' AND last BETWEEN 0 AND {10 ** MAX_ID_DIGITS - 1}"
"""SQL: a retired number as genco writes it, not one edited into something else (NEXT_NUMBER)."""
NEXT_NUMBER = ("(SELECT max(coalesce((SELECT max(id) FROM attempts), 0), "
               f"coalesce((SELECT last FROM retired_numbers WHERE kind = 'attempts' AND {SOUND_RETIRED}), 0)) + 1)")
"""The number a new attempt gets: past every attempt kept, and every one deleted (SQL). A retired number
edited into something else is passed over: text sorts above every number in SQLite ('x' + 1 is 1), and
one past MAX_ID_DIGITS digits names no attempt genco can read (the largest integer + 1 is no integer)."""


def _add_retired_numbers(conn: sqlite3.Connection) -> None:
    """Version 6: the highest number a deletion freed, so it is never given again (SQLite reuses the
    highest rowid once its row is gone). Deletions before this step are not known."""
    conn.execute("CREATE TABLE retired_numbers (kind TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID")


def _add_missing_grades(conn: sqlite3.Connection) -> None:
    """Version 5: a file whose step 4 came from an older development build (which added a `candidate`
    column, not `grade`) says version 4 but has no `grade` column; it gets one here. A candidate
    name it held becomes that attempt's grade, its machine marks unknown (the attempt's own score,
    no marks), and the old column stays, so nothing it held is lost. Other files have `grade` already."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(attempts)")}
    if "grade" in columns:
        return
    conn.execute("ALTER TABLE attempts ADD COLUMN grade TEXT")
    if "candidate" in columns:
        conn.execute("UPDATE attempts SET grade = json_object('candidate', CAST(candidate AS TEXT), 'note', NULL, "
                     "'machine_score', min(max(score, 0.0), 100.0), 'machine', json_object()) "
                     "WHERE candidate IS NOT NULL AND typeof(score) IN ('integer', 'real')")


@dataclass(frozen=True)
class Migration:
    """One forward step of the schema: a name that says what it does, and the function doing it.

    Steps run in order inside the write transaction that records the new version; a file's
    `PRAGMA user_version` is how many steps it has had, so a new step is appended, never inserted.
    """

    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration("attempts with their card as JSON", _create_v1),
    Migration("concept and misconception rows, uids, sources and times", _migrate_v1_to_v2),
    Migration("mock interview reports", _add_interviews),
    Migration("interviewers' candidate, note and machine marks", _add_grades),
    Migration("the grade column where an older step 4 added only a candidate", _add_missing_grades),
    Migration("attempt numbers a deletion frees are never given again", _add_retired_numbers),
)
"""Every step in order. A new file runs them all, so fresh and migrated files end up alike."""
SCHEMA_VERSION = len(MIGRATIONS)


# --- opening the file safely ----------------------------------------------------------------------


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
        return (f"history file {path} is locked by another program (waited {busy_timeout():g} s); "
                "try again when it has finished")
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


class History:
    """An open history file. Use `open_history()`; every method maps SQLite failures to HistoryError."""

    def __init__(self, conn: sqlite3.Connection | None, path: Path) -> None:
        self.conn = conn
        self.path = path

    # reading

    def same_grade_kept(self, attempt: Attempt) -> int | None:
        """The number of the latest interviewer attempt with `attempt`'s question, depth, answer (whatever its
        spacing and line endings, as earlier_grade matches it), score and grade (candidate, note, machine
        marks), or None."""
        if self.conn is None or attempt.grade is None:
            return None
        rows = self.conn.execute(
            "SELECT id, grade, answer FROM attempts WHERE source = 'interviewer' AND question = ? AND depth = ? "
            "AND score = ? ORDER BY id DESC", (attempt.question, attempt.depth, attempt.score)).fetchall()
        given = _without_lineage(attempt.grade)
        marks = {c["id"]: c["status"] for c in attempt.concepts}
        words = attempt.answer.split()
        for number, grade, answer in rows:
            if not isinstance(answer, str) or answer.split() != words:
                continue
            kept = _without_lineage(_stored_grade(grade, attempt.score, []))  # one edited by hand: as `show` reads it
            if isinstance(kept, dict) and _one_candidate(kept.pop("candidate", None), given["candidate"]) \
                    and kept == {k: v for k, v in given.items() if k != "candidate"} and self._marks(number) == marks:
                return number  # the same marks too: an override that leaves the score as it was is a new grade
        return None

    def _marks(self, number: int) -> dict[str, str]:
        """An attempt's final concept marks (concept id -> status), as its concept rows hold them."""
        return dict(self.conn.execute("SELECT concept_id, status FROM concept_results WHERE attempt_id = ?",
                                      (number,)).fetchall()) if self.conn is not None else {}

    def earlier_grade(self, attempt: Attempt) -> Attempt | None:
        """The latest interviewer attempt grading `attempt`'s transcript before: same question and depth,
        the same transcript whatever its spacing and line endings (a browser sends CRLF and no final line
        break), and the same candidate: the same name (same_name; no name is a name), else a short form
        of it that only one candidate graded on the transcript has ("Bob" for Bob Martinez, not beside
        Bob Smith), else, graded without a name, the one candidate named on it before; or None. Read without its concept rows."""
        if self.conn is None or attempt.grade is None:
            return None
        return _earlier_grade_among(self._grades_by_transcript(attempt.question, attempt.depth), attempt)

    def _grades_by_transcript(self, question: str, depth: str) -> dict[tuple[str, ...], list[Attempt]]:
        """The interviewer attempts of one question and depth, newest first, by their transcript's words
        (its spacing and line endings aside), without their concept rows."""
        grades: dict[tuple[str, ...], list[Attempt]] = {}
        for kept in self._select("source = 'interviewer' AND question = ? AND depth = ?", (question, depth), "id DESC"):
            grades.setdefault(tuple(kept.answer.split()), []).append(kept)
        return grades

    def replaced_by(self, number: int) -> int | None:
        """The number of the grade that replaced attempt `number` (Grade.kept "replaces"), or None."""
        if self.conn is None:
            return None
        rows = self.conn.execute("SELECT id, grade FROM attempts WHERE source = 'interviewer' AND grade LIKE ?",
                                 ('%"replaces"%',)).fetchall()
        return next((found for found, grade in rows  # each grade checked: one edited by hand must not fail `show`
                     if number in (_stored_grade(grade, 0.0, []) or {}).get("replaces", [])), None)

    def check_sound(self) -> None:
        """Raise sqlite3.DatabaseError when SQLite's quick check finds the file damaged (_require_sound):
        a listing reads only the attempt rows, so a file damaged elsewhere listed as sound while show,
        report and export called it corrupt."""
        if self.conn is not None:
            _require_sound(self.conn)

    def count(self, question: str | None = None, depth: str | None = None, since: str | None = None,
              source: str | None = None) -> int:
        """How many attempts there are, or only those `attempts` would read with the same filters."""
        if self.conn is None:
            return 0
        where, params = _filters(question, depth, since, source)
        return self.conn.execute(f"SELECT count(*) FROM attempts {'WHERE ' + where if where else ''}",
                                 params).fetchone()[0]

    def held_uids(self, uids: Sequence[str]) -> set[str]:
        """Which of `uids` the history holds already (an import skips those)."""
        if self.conn is None:
            return set()
        held: set[str] = set()
        for start in range(0, len(uids), _UIDS_PER_QUERY):
            chunk = uids[start:start + _UIDS_PER_QUERY]
            held.update(row[0] for row in self.conn.execute(
                f"SELECT uid FROM attempts WHERE uid IN ({', '.join('?' * len(chunk))})", chunk))
        return held

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
        where, params = _filters(question, depth, since, source)
        order = "DESC" if newest_first else "ASC"
        found = self._select(where, params, f"created_at {order}, id {order}", limit)
        if results:
            self.attach_results(found, evidence, concepts_of_latest)
        return found

    def _select(self, where: str, params: Sequence[Any], order: str, limit: int | None = None) -> list[Attempt]:
        if self.conn is None:
            return []
        sql = ("SELECT id, uid, created_at, question, depth, source, seconds, answer, score, model, genco_version, notes, grade "
               f"FROM attempts {'WHERE ' + where if where else ''} ORDER BY {order}")
        if limit:
            sql += f" LIMIT {min(int(limit), 2**63 - 1)}"  # SQLite integers are 64-bit
        return [_attempt_from_row(r) for r in self.conn.execute(sql, params)]

    def attach_results(self, found: list[Attempt], evidence: bool = True, concepts_of_latest: int | None = None) -> None:
        """Read the concept and misconception rows of `found` (attempts read with results=False, perhaps
        filtered since), as `attempts` would have (same `evidence` and `concepts_of_latest`)."""
        by_id = {a.id: a for a in found}
        self._attach(by_id, by_id, "misconception_hits", MISCONCEPTION_FIELDS if evidence else MISCONCEPTION_MARKS)
        concept_ids = _latest_per_group(found, concepts_of_latest) if concepts_of_latest else by_id
        self._attach(by_id, concept_ids, "concept_results", CONCEPT_FIELDS if evidence else CONCEPT_MARKS)

    def _attach(self, by_id: dict[int, Attempt], wanted: Iterable[int], table: str, names: tuple[str, ...]) -> None:
        """One query for all attempts rather than one per attempt (reports read thousands). A row repeating
        an id the attempt already has (a file edited by hand) is left out: a card marks a concept once, and
        `history import` refuses an export that lists one twice, so a backup written with both could not
        be restored."""
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
            attempt = by_id[row[0]]
            children, child = getattr(attempt, target), _child_from_row(attempt, names, row[1:])
            if all(earlier["id"] != child["id"] for earlier in children):
                children.append(child)

    def find(self, ref: str, digits_as_uid: bool = False) -> Attempt:
        """An attempt by its number (as `genco history` lists it), `last`, or a uid prefix with a letter in
        it. Digits alone are a number: `delete 123456` again, once attempt 123456 is gone, must not delete
        an attempt whose uid starts with them. To show an attempt (`digits_as_uid`), digits that number no
        attempt are a uid prefix too: about one uid in seventeen starts with six digits."""
        if self.conn is not None:
            row = None
            digits = ref.isascii() and ref.isdigit()
            if ref.lower() == "last":
                row = self.conn.execute("SELECT id FROM attempts ORDER BY id DESC LIMIT 1").fetchone()
            elif digits and (number := row_number(ref)) is not None:
                row = self.conn.execute("SELECT id FROM attempts WHERE id = ?", (number,)).fetchone()
            if row is None and _UID_PREFIX.fullmatch(ref.lower()) and (not digits or digits_as_uid):
                ids = self._ids_with_uid(ref.lower())
                if len(ids) > 1:
                    raise InputError(f"attempt {ref!r} is ambiguous; give more characters of the uid or its number")
                row = (ids[0],) if ids else None
            if row is not None:
                found = self._select("id = ?", [row[0]], "id")
                self.attach_results(found)
                return found[0]
        if ref.lower() == "last":
            raise InputError(f"no attempt yet in {self.path}: `last` is the one kept last, once an answer is saved")
        shown = cut(ref)
        if re.fullmatch(f"[0-9a-f]{{1,{MIN_UID_PREFIX - 1}}}", ref.lower()) and not ref.isdigit():
            raise InputError(f"no attempt {shown!r}: a uid prefix needs at least {MIN_UID_PREFIX} characters "
                             f"(see `{suggested('history --json', self.path)}` for the uids)")
        if ref.isascii() and ref.isdigit() and (number := row_number(ref)) is not None \
                and (later := self.replaced_by(number)) is not None:
            raise AttemptReplaced(f"attempt {number} was replaced by attempt {later}, the same transcript graded again "
                                  f"(see `{suggested(f'show {later}', self.path)}`)", later)
        ids = self._ids_with_uid(ref) if ref.isascii() and ref.isdigit() and _UID_PREFIX.fullmatch(ref) else []
        if len(ids) == 1:  # digits alone are a number here (delete): the attempt a uid prefix would be is named
            raise InputError(f"no attempt number {shown} in {self.path}; attempt {ids[0]}'s uid starts with those digits, "
                             f"but here digits alone are a number: give {ids[0]}")
        raise InputError(f"no attempt {shown!r} in {self.path} (see `{suggested('history', self.path)}` for the numbers)")

    def _ids_with_uid(self, prefix: str) -> list[int]:
        """The numbers of at most two attempts whose uid starts with `prefix` (lower case): one is the attempt, two
        make the prefix ambiguous."""
        if self.conn is None:
            return []
        return [row[0] for row in self.conn.execute("SELECT id FROM attempts WHERE substr(uid, 1, ?) = ? LIMIT 2",
                                                    (len(prefix), prefix)).fetchall()]

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
            _require_sound(conn)
            for attempt in attempts:
                if conn.execute("SELECT 1 FROM attempts WHERE uid = ?", (attempt.uid,)).fetchone() is not None:
                    skipped += 1
                    continue
                cursor = conn.execute(  # not OR IGNORE: a number that clashes is an error, never "already kept"
                    "INSERT INTO attempts (id, uid, created_at, question, depth, source, seconds, answer, score, "
                    f"model, genco_version, notes, grade) VALUES ({NEXT_NUMBER}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (attempt.uid, attempt.created_at, attempt.question, attempt.depth, attempt.source, attempt.seconds,
                     attempt.answer, attempt.score, attempt.model, attempt.genco_version, json.dumps(attempt.notes),
                     None if attempt.grade is None else json.dumps(attempt.grade)))
                _insert_children(conn, cursor.lastrowid, attempt.concepts, attempt.misconceptions)
                added.append(cursor.lastrowid)
        return added, skipped

    def graded_already(self, attempts: Sequence[Attempt]) -> list[Attempt]:
        """The interviewer attempts among `attempts` whose transcript, question, depth and candidate this history
        has graded already under another uid (earlier_grade), or that a later attempt of `attempts` grades again
        (two exports joined: the later is the regrade): an export made before a regrade, imported after it,
        brought the replaced grade back beside the one that replaced it, and the transcript counted twice."""
        held = self.held_uids([a.uid for a in attempts])
        graded = [a for a in attempts if a.source == "interviewer" and a.grade is not None and a.uid not in held]
        last = {_grade_key(a): a.uid for a in graded}  # the last of each transcript and candidate in the file
        kept = {key: self._grades_by_transcript(*key) for key in {(a.question, a.depth) for a in graded}}  # one read each
        return [a for a in graded if last[_grade_key(a)] != a.uid
                or ((earlier := _earlier_grade_among(kept[a.question, a.depth], a)) is not None and earlier.uid != a.uid)]

    def delete(self, ref: str, uid: str | None = None) -> Attempt:
        """Delete one attempt; its number is retired, never given to a later attempt (an interview
        report names its attempts by number, and a second `delete N` must not find another one).
        With `uid`, only the attempt of that uid: one found and shown before, whose number a purge
        by another genco may have given to a new attempt since (InputError then, nothing deleted)."""
        attempt = self.find(ref)
        with self.transaction() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            gone = conn.execute("DELETE FROM attempts WHERE id = ? AND uid IS ?", (attempt.id, uid or attempt.uid))
            if gone.rowcount != 1:
                raise InputError(f"attempt {attempt.id} is no longer the one shown (another genco changed the history "
                                 "meanwhile); nothing deleted")
            conn.execute("INSERT INTO retired_numbers (kind, last) VALUES ('attempts', ?) ON CONFLICT(kind) DO UPDATE SET "
                         f"last = CASE WHEN {SOUND_RETIRED} THEN max(last, excluded.last) ELSE excluded.last END",
                         (attempt.id,))  # a damaged value NEXT_NUMBER passes over is replaced, not kept
        return attempt

    def purge(self) -> int:
        """Remove every attempt; the file and its schema stay (and freed pages are zeroed)."""
        if self.conn is None:
            return 0
        with self.transaction() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            removed = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
            conn.execute("DELETE FROM attempts")
            conn.execute("DELETE FROM interviews")
            conn.execute("DELETE FROM retired_numbers")  # nothing left to be confused with: numbering starts over
        return removed

    # mock interviews

    def add_interview(self, report: dict[str, Any], questions: int, score: float) -> StoredInterview:
        """Keep one interview report (its JSON shape); what comes back carries its number
        (what `genco interview --show N` takes) and the time it was kept."""
        created_at = now_utc()
        with self.transaction() as conn:
            _require_sound(conn)
            cursor = conn.execute(
                "INSERT INTO interviews (uid, created_at, genco_version, questions, score, report) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, created_at, __version__, questions, score, dumps(report)))
        return StoredInterview(cursor.lastrowid, created_at, questions, score, report)

    def interviews(self) -> list[StoredInterview]:
        """Every kept interview, newest first, without its report (`report` None): one damaged report
        must not hide the list, and `interview(n)` reads one whole."""
        if self.conn is None:
            return []
        rows = self.conn.execute("SELECT id, created_at, questions, score FROM interviews "
                                 "ORDER BY created_at DESC, id DESC").fetchall()
        return [_interview_from_row(row, None) for row in rows]

    def interview(self, ref: str) -> StoredInterview:
        """A kept interview report by its number or `last`; InputError naming the numbers otherwise."""
        if self.conn is not None:
            if ref.lower() == "last":
                row = self.conn.execute("SELECT id FROM interviews ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
            elif ref.isascii() and ref.isdigit() and (number := row_number(ref)) is not None:
                row = (number,)
            else:
                row = None
            if row is not None:
                found = self.conn.execute("SELECT id, created_at, questions, score, report FROM interviews "
                                          "WHERE id = ?", row).fetchone()
                if found is not None:
                    return _interview_from_row(found[:4], _stored_report(found[4]))
        listing = suggested("interview --list", self.path)
        raise InputError(f"no interview {quoted(ref)} in {self.path} (see `{listing}` for the numbers)")


@dataclass
class StoredInterview:
    """A kept interview: its number, when, how many questions were answered (an interview cut short
    counts only those), the overall score, and the report's JSON shape (None in a list of them, which
    reads no report). A time, count or score edited by hand into something genco never writes is None."""

    id: int
    created_at: str | None
    questions: int | None
    score: float | None
    report: dict[str, Any] | None


def _interview_from_row(row: Sequence[Any], report: dict[str, Any] | None) -> StoredInterview:
    """An interviews row (id, created_at, questions, score); a damaged value reads as None, so every list
    of kept interviews (terminal, JSON, web) says so instead of failing on it."""
    number, created_at, questions, score = row
    counted = isinstance(questions, int) and not isinstance(questions, bool) and questions >= 0
    return StoredInterview(number, _stored_time(created_at), questions if counted else None,
                           score if _stored_number(score, 0, 100) else None, report)


def _stored_report(raw: str) -> dict[str, Any]:
    """A report column read back; a damaged one (edited by hand) is a HistoryError, not a traceback."""
    try:
        report = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        report = None
    if not isinstance(report, dict):
        raise HistoryError("a kept interview report is damaged (not the JSON genco wrote); the attempts are intact")
    return report


DAMAGED_VALUE_NOTE = "the stored {} of this attempt is damaged (edited by hand?); it reads as {}"


def _attempt_from_row(row: Sequence[Any]) -> Attempt:
    """One attempts row as an Attempt. A value edited by hand into something genco never writes (text
    for a score, a time that is no time) reads as missing, with a note saying so: every command that
    lists, reports or shows attempts goes on working, and the row itself is left as it is."""
    notes = _stored_notes(row[11])
    score, created_at, seconds = row[8], row[2], row[6]
    if not _stored_number(score, 0, 100):
        score = 0.0
        notes.append(DAMAGED_VALUE_NOTE.format("score", "0"))
    if not _stored_number(seconds, 0, MAX_SECONDS, optional=True):
        seconds = None
        notes.append(DAMAGED_VALUE_NOTE.format("time spent", "unknown"))
    stored_time = _stored_time(created_at)
    if stored_time is None:
        notes.append(DAMAGED_VALUE_NOTE.format("date", "1970-01-01"))
    question, depth, answer, model, version = (
        _stored_text(row[i], name, notes) for i, name in
        ((3, "question"), (4, "depth"), (7, "answer"), (9, "model name"), (10, "genco version")))
    question, depth = _stored_id(question, "question", notes), _stored_id(depth, "depth", notes)
    answer = _stored_answer(answer, notes)
    source = _stored_source(row[5], row[12], notes)
    grade = _stored_grade(row[12], score, notes)
    if grade is not None and source != "interviewer":
        grade = None
        notes.append(DAMAGED_VALUE_NOTE.format("grade", "none (only an interviewer's attempt has one)"))
    uid = None if row[1] is None else _stored_text(row[1], "uid", notes)
    if uid is None or not UID.fullmatch(uid):
        uid = content_uid(stored_time or EARLIEST, question, depth, answer)
        notes.append(DAMAGED_VALUE_NOTE.format("uid", "one made from its content"))
    return Attempt(id=row[0], uid=uid, created_at=stored_time or EARLIEST, question=question, depth=depth,
                   source=source, seconds=seconds, answer=answer, score=score, model=model,
                   genco_version=version, notes=notes, grade=grade)


READ_SOURCE = ("(CASE WHEN source IN ('learner', 'interviewer') THEN source "
               "WHEN grade IS NULL THEN 'learner' ELSE 'interviewer' END)")
"""The source column as `_stored_source` reads it, for filters in SQL: `history --source learner` lists
the attempts that `show` calls the learner's."""


def _stored_source(value: Any, grade: Any, notes: list[str]) -> str:
    """The source column; one genco never writes reads as an interviewer's when a grade is kept with it,
    else as the learner's, with a note (as READ_SOURCE reads it in SQL)."""
    if value in SOURCES:
        return value
    source = "learner" if grade is None else "interviewer"
    notes.append(DAMAGED_VALUE_NOTE.format("source", source))
    return source


def _stored_text(value: Any, name: str, notes: list[str]) -> str:
    """A text column as text: bytes (a BLOB written by hand) are decoded, anything else is spelt out, with a note."""
    if isinstance(value, str):
        return value
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else "" if value is None else str(value)
    notes.append(DAMAGED_VALUE_NOTE.format(name, "text"))
    return text


UNNAMED = "unknown"
"""What a question or depth column spelling no id at all (blanks, bytes that are no text) reads as."""


def _stored_id(value: str, name: str, notes: list[str]) -> str:
    """A question or depth column as the id a rubric names it by. One edited by hand into something no
    rubric is named ("../x", "Quick ", blanks) reads as the id its letters and digits spell (UNNAMED when
    they spell none), with a note: import takes ids only, and an export must import back."""
    if RUBRIC_ID.fullmatch(value):
        return value
    read = slug(value, max_words=None, empty=UNNAMED)
    notes.append(DAMAGED_VALUE_NOTE.format(name, f'"{read}"'))
    return read


_ASCII_WORD = re.compile("[A-Za-z0-9]")
"""A letter or digit: an answer holding one has something to score, found without reading it all."""
UNREADABLE_ANSWER = "(an answer no longer readable)"
"""What an answer column holding nothing to score reads as (genco never keeps one: the bytes were damaged)."""


def _stored_answer(answer: str, notes: list[str]) -> str:
    """An answer column within the ANSWER_LIMIT bytes genco keeps; a longer one (stored by hand) reads as its
    first ANSWER_LIMIT bytes, with a note: import refuses a longer answer, and an export must import back.
    For the same reason one holding nothing to score (bytes that are no text) reads as UNREADABLE_ANSWER."""
    if not _ASCII_WORD.search(answer) and nothing_to_score(answer):
        notes.append(DAMAGED_VALUE_NOTE.format("answer", f'"{UNREADABLE_ANSWER}"'))
        return UNREADABLE_ANSWER
    if len(answer) * 4 <= ANSWER_LIMIT:  # at most 4 bytes a character: the common case, without encoding it
        return answer
    data = answer.encode("utf-8", "surrogatepass")
    if len(data) <= ANSWER_LIMIT:
        return answer
    notes.append(DAMAGED_VALUE_NOTE.format("answer", f"its first {ANSWER_LIMIT // (1024 * 1024)} MB "
                                           "(genco keeps no longer answer)"))
    return data[:ANSWER_LIMIT].decode("utf-8", "ignore")


NUMBER_FIELDS = {"weight": (0, 100), "penalty": (0, 100), "score": (0, 1),
                 "similarity": (-SIMILARITY_BOUND, SIMILARITY_BOUND)}


def _child_from_row(attempt: Attempt, names: tuple[str, ...], values: Sequence[Any]) -> dict[str, Any]:
    """A concept or misconception row; a damaged number in it reads as 0 and a text that is no text (a BLOB
    written by hand) is decoded, with a note on the attempt."""
    child = dict(zip(names, values))
    for name in names:
        if name not in NUMBER_FIELDS and child[name] is not None and not isinstance(child[name], str):
            child[name] = _stored_text(child[name], f"{name} of a concept or misconception", attempt.notes)
    damaged = [name for name in names if name in NUMBER_FIELDS and not _stored_number(child[name], *NUMBER_FIELDS[name])]
    if damaged:
        child.update(dict.fromkeys(damaged, 0.0))
        attempt.notes.append(DAMAGED_VALUE_NOTE.format(f"{', '.join(damaged)} of {child['id']}", "0"))
    if "status" in child and child["status"] not in STATUSES:
        child["status"] = Status.MISSING.value
        attempt.notes.append(DAMAGED_MARK_NOTE.format(child["id"]))
    return child


def _stored_number(value: Any, low: float, high: float, optional: bool = False) -> bool:
    """Whether a number column holds what genco writes: a finite number in [low, high] (or NULL when optional)."""
    if value is None:
        return optional
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) \
        and low <= value <= high


def _stored_time(value: Any) -> str | None:
    """A created_at column in the one stored format (as `normalise_time` writes it), or None when damaged:
    not a time, or before 1970 or later than tomorrow, which an import refuses too (a date near year 9999
    overflows the arithmetic of `genco next`)."""
    if not isinstance(value, str):
        return None
    try:
        stored = value if _is_stored_format(value) else normalise_time(datetime.fromisoformat(value))
    except ValueError:
        return None
    return stored if EARLIEST <= stored <= normalise_time(datetime.now(UTC) + timedelta(days=1)) else None


_STORED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")


def _is_stored_format(value: str) -> bool:
    """The common case, checked cheaply (reports read thousands of rows); the rest is parsed."""
    if not _STORED_TIME.match(value):
        return False
    datetime.fromisoformat(value)  # ValueError for a month 13 of the right shape
    return True


def _stored_notes(raw: Any) -> list[str]:
    """An attempt's notes column; a damaged one (edited by hand, cut short) reads as a note saying so."""
    try:
        notes = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        return ["the notes stored with this attempt are damaged"]
    return [str(n) for n in notes] if isinstance(notes, list) else ["the notes stored with this attempt are damaged"]


GRADE_TEXT_LIMIT = 10_000
"""Characters of a kept candidate name or note; longer ones are refused on import."""


GRADE_FIELDS = frozenset({"candidate", "note", "machine_score", "machine"})
"""The fields every kept grade holds."""
OPTIONAL_GRADE_FIELDS = ("overrides", "red_flags_dismissed", "replaces")
"""The fields a kept grade may hold besides (interview.grading.Grade.kept, and the grade that replaced others)."""


def check_grade(value: Any) -> dict[str, Any]:
    """An interviewer attempt's `grade`, checked: {"candidate": str | None, "note": str | None,
    "machine_score": 0-100, "machine": {concept id: status}}, "red_flags_dismissed" when the
    interviewer dismissed the machine's red flags (_checked_dismissal), and "replaces" (the numbers of
    the grades of the same transcript it replaced, oldest first) for a regrade. Raises ValueError naming
    the field."""
    if not isinstance(value, dict) or not GRADE_FIELDS <= set(value) <= {*GRADE_FIELDS, *OPTIONAL_GRADE_FIELDS}:
        raise ValueError("'grade' must hold exactly candidate, note, machine_score and machine, "
                         "and may hold overrides, red_flags_dismissed and replaces")
    for name in ("candidate", "note"):
        text = value[name]
        if text is not None and (not isinstance(text, str) or len(text) > GRADE_TEXT_LIMIT):
            raise ValueError(f"'grade.{name}' must be text of at most {GRADE_TEXT_LIMIT:,} characters, or null")
    score = value["machine_score"]
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
        raise ValueError("'grade.machine_score' must be a number from 0 to 100")
    marks = value["machine"]
    statuses = {s.value for s in Status}
    if not isinstance(marks, dict) or not all(isinstance(k, str) and isinstance(v, str) and v in statuses
                                                  for k, v in marks.items()):
        raise ValueError(f"'grade.machine' must map concept ids to a status ({', '.join(sorted(statuses))})")
    checked = {"candidate": value["candidate"], "note": value["note"], "machine_score": float(score), "machine": dict(marks)}
    if "overrides" in value:
        overrides = value["overrides"]
        if not isinstance(overrides, dict) or not all(isinstance(k, str) and v in PERSON_MARKS
                                                      for k, v in overrides.items()):
            raise ValueError(f"'grade.overrides' must map concept ids to a mark ({', '.join(PERSON_MARKS)})")
        if not set(overrides) <= set(marks):  # the concepts the machine marked: the depth's, so bounded too
            raise ValueError("'grade.overrides' may only mark concepts the grade's machine marks ('grade.machine')")
        checked["overrides"] = dict(overrides)
    if "red_flags_dismissed" in value:
        checked["red_flags_dismissed"] = _checked_dismissal(value["red_flags_dismissed"])
    if "replaces" in value:
        replaced = value["replaces"]
        if not isinstance(replaced, list) or not all(type(n) is int and n > 0 for n in replaced):
            raise ValueError("'grade.replaces' must list the attempt numbers it replaced")
        checked["replaces"] = list(replaced)
    return checked


def marked_by_interviewer(grade: dict[str, Any], final: dict[str, str]) -> dict[str, str]:
    """The marks (concept id -> status) the interviewer gave in a kept grade (`Attempt.grade`) whose final marks
    are `final`: its overrides as given (one may agree with the machine's mark: it still earns fixed credit),
    or, in a grade kept before overrides were, the final marks that differ from the machine's."""
    if "overrides" in grade:
        return dict(grade["overrides"])
    machine = grade.get("machine") or {}
    return {cid: status for cid, status in final.items() if cid in machine and machine[cid] != status}


DISMISSED_FLAG_FIELDS = ("id", "description", "evidence")


def _checked_dismissal(value: Any) -> dict[str, Any]:
    """A kept grade's `red_flags_dismissed`: {"points": 0-100, "flags": [{"id", "description", "evidence"}]}.
    Raises ValueError naming the field."""
    points = value.get("points") if isinstance(value, dict) else None
    flags = value.get("flags") if isinstance(value, dict) else None
    if set(value if isinstance(value, dict) else ()) != {"points", "flags"} or isinstance(points, bool) \
            or not isinstance(points, int | float) or not 0 <= points <= 100 or not isinstance(flags, list):
        raise ValueError("'grade.red_flags_dismissed' must hold points (0 to 100) and flags (a list)")
    if not all(isinstance(f, dict) and set(f) == set(DISMISSED_FLAG_FIELDS) and all(isinstance(f[k], str) for k in f)
               for f in flags):
        raise ValueError("'grade.red_flags_dismissed.flags' must each hold id, description and evidence as text")
    return {"points": float(points), "flags": [{k: f[k] for k in DISMISSED_FLAG_FIELDS} for f in flags]}


def _stored_grade(raw: Any, score: float, notes: list[str]) -> dict[str, Any] | None:
    """The grade column. A damaged one (edited by hand) keeps each of its fields that reads on its own
    (_salvaged_grade), with a note in `notes`, rather than failing `show`: read as none, one bad field lost
    the candidate's name and the interviewer's note, and an export then wrote the loss into the backup."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        value = None
    try:
        return check_grade(value)
    except (TypeError, ValueError, RecursionError):
        salvaged = _salvaged_grade(value, score) if isinstance(value, dict) else None
    notes.append(DAMAGED_VALUE_NOTE.format("grade", "the fields of it that could be read" if salvaged else "none"))
    return salvaged


def _salvaged_grade(value: dict[str, Any], score: float) -> dict[str, Any] | None:
    """A damaged grade's fields that check_grade accepts one at a time; a missing or damaged field as a grade
    without it has it (no name, no note, no machine marks, the attempt's `score` as the machine's). None when
    no field reads."""
    grade, read = {"candidate": None, "note": None, "machine_score": score, "machine": {}}, False
    for name in (*GRADE_FIELDS, *OPTIONAL_GRADE_FIELDS):
        if name in value:
            try:
                grade, read = check_grade({**grade, name: value[name]}), True
            except (TypeError, ValueError, RecursionError):
                continue
    return grade if read else None


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
    version, owner, tables = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id), "
        "(SELECT count(*) FROM sqlite_master)").fetchone()
    return _Header(version, owner, tables > 0)


def _schema_version(header: _Header, path: Path) -> int:
    """Reading the header is the first thing done: a corrupt or newer file fails before any write."""
    if header.version > SCHEMA_VERSION:
        raise HistoryError(f"history file {path} is from a newer genco (schema {header.version}; this genco reads up "
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
    raise HistoryError(f"{path} is not a genco history file (an SQLite database of another program); "
                       "it was left untouched: pass --db with a genco history file or a new file name")


def _prepare(conn: sqlite3.Connection, path: Path, write: bool = True) -> None:
    """Check the file is genco's, then WAL and forward migrations, each in the same write
    transaction as its version bump and the application id."""
    header = _read_header(conn)
    version = _schema_version(header, path)
    unstamped = _check_owner(conn, path, header)
    if version == SCHEMA_VERSION and not (unstamped and write):
        return
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
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


def _as_database_error(exc: UnicodeDecodeError) -> sqlite3.DatabaseError:
    """SQLite's message about a schema holding bytes that are not UTF-8 (a corrupt byte inside a
    table's SQL) quotes those bytes, and sqlite3 then fails to decode its own message, raising
    UnicodeDecodeError instead of DatabaseError. The message, its bad bytes as U+FFFD, as the
    DatabaseError it is: a corrupt history like any other, never a traceback."""
    raw = exc.object if isinstance(exc.object, bytes) else b""
    text = raw.decode("utf-8", "replace") or "malformed database schema"
    return sqlite3.DatabaseError(text if "malformed" in text else f"malformed database ({text})")


def _decoding(step: Callable[..., Any]) -> Callable[..., Any]:
    """`step` (a sqlite3 cursor or connection method) with an undecodable SQLite message raised as the
    DatabaseError it is (_as_database_error)."""
    @functools.wraps(step)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return step(*args, **kwargs)
        except UnicodeDecodeError as exc:
            raise _as_database_error(exc) from None

    return run


class _Cursor(sqlite3.Cursor):
    """A cursor whose every step reports an undecodable SQLite message as DatabaseError (_as_database_error)."""

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
"""What _connect opens as a database in memory, not a file."""


def _connect(path: Path, uri_options: str = "") -> sqlite3.Connection:
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


def _open_for_reading_only(path: Path, prepare: Callable[[sqlite3.Connection, Path], sqlite3.Connection] | None = None
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
        return prepare(_connect(path, "mode=ro"), path)
    except sqlite3.OperationalError as exc:
        if not _may_be_read_only(exc):
            raise
    if _pending_wal(path):
        return prepare(_replayed_in_memory(path), path)
    return prepare(_connect(path, "immutable=1"), path)


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
            disk = _connect(copy)
            try:
                return _copied_into_memory(disk)
            finally:
                disk.close()
    except OSError as exc:
        raise HistoryError(f"history file {path} cannot be read whole: its folder cannot be written and {wal} holds "
                           f"attempts not yet in the file, which could not be copied elsewhere to read "
                           f"({exc.strerror or exc}); make the folder writable, or copy both files to a folder "
                           "you can write and pass --db with the copy") from None


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
    memory = _connect(IN_MEMORY)
    try:
        conn.backup(memory)
    except BaseException:
        memory.close()
        raise
    return memory


def _create_private(path: Path) -> None:
    """Create a missing history file readable by its owner only (0600), before SQLite creates it with
    the umask's mode: it holds everything the user typed. SQLite gives the -wal and -shm files the
    database's mode. An existing file keeps the mode its owner gave it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    except FileExistsError:
        pass


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


def _is_empty_file(path: Path) -> bool:
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


@contextmanager
def open_history(path: Path | str | None = None, create: bool = True) -> Iterator[History]:
    """Open (and if needed create or migrate) a history file; SQLite errors become one-line HistoryErrors.

    With create=False a missing file reads as empty and is not created: listing or reporting
    never leaves files behind, and a file in a folder genco cannot write is still read.
    """
    path = check_history_path(path)
    if not create and (not path.exists() or _is_empty_file(path)):
        yield History(None, path)
        return
    conn = None
    try:
        try:
            if create:
                problem = companion_folder_problem(path.parent)
                if problem is not None:
                    raise HistoryError(f"history file {path} cannot be made: {problem}")
                path.parent.mkdir(parents=True, exist_ok=True)
                _create_private(path)
                _companions_follow_the_database(path)
            conn = _connect(path)
            try:
                _retry_while_locked(lambda: _prepare(conn, path, write=create))
            except sqlite3.OperationalError as exc:
                if create or not _may_be_read_only(exc):
                    raise
                conn.close()
                conn = None
                conn = _open_for_reading_only(path)
        except OSError as exc:
            raise HistoryError(f"cannot create history file {path} ({exc.strerror})") from None
        yield History(conn, path)  # an OSError of the caller's (its output, say) is not the file's
    except sqlite3.Error as exc:
        raise HistoryError(describe(exc, path)) from None
    finally:
        if conn is not None:
            conn.close()


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


def salvage(path: Path | str | None = None) -> Salvaged:
    """The attempts a damaged history still holds, read one at a time, so a damaged page loses only the
    attempts on it: `genco history export --salvage`. The file is only read (SQLite's read-only mode;
    where its folder cannot be written, immutable, or a private copy with its -wal), never checked,
    migrated or written.

    Raises HistoryError when not even one attempt number can be read.
    """
    path = check_history_path(path)
    if not path.exists() or _is_empty_file(path):
        return Salvaged([], 0, 0)
    page_size, claimed = _header_length(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = claimed
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


def _salvage_file(path: Path, named: Path) -> Salvaged:
    """salvage of the file at `path`, which is the history `named` or a copy of it."""
    conn = None
    try:
        conn = _open_for_reading_only(path, _probed)
        return _salvaged(History(conn, named), _attempt_numbers(conn))
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        error = _as_database_error(exc) if isinstance(exc, UnicodeDecodeError) else exc
        raise HistoryError(f"history file {named}: nothing could be salvaged ({error})") from None
    finally:
        if conn is not None:
            conn.close()


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
    """Every attempt number to try: all of them when the table lists whole, else every number up to the
    highest that any listing reached before a damaged page (numbers no attempt has are skipped later).

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
    return list(range(1, max(seen) + 1))


def _nothing_left(attempt: Attempt) -> bool:
    """Whether a row read from damaged pages kept neither its answer nor its question (they read as
    placeholders): a page cut through gave such a row, dated 1970 with score 0, salvaged as an attempt."""
    return attempt.answer == UNREADABLE_ANSWER and attempt.question == UNNAMED


SALVAGED_WITHOUT_NOTE = "salvaged from a damaged history without its {}: they could not be read, so none are shown"
"""The note a salvaged attempt carries for each kind of mark it lost: an empty concept table would read as
an answer that earned nothing, and the export, the import and `show` keep the note with the attempt."""


def _salvaged(store: History, numbers: Iterable[int]) -> Salvaged:
    """The attempts numbered `numbers` that can be read, each with the marks that can be read too."""
    found, unreadable, without_marks = [], 0, 0
    for number in numbers:
        try:
            rows = store._select("id = ?", [number], "id")
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
                store._attach({a.id: a for a in rows}, [a.id for a in rows], table, names)
            except (sqlite3.DatabaseError, UnicodeDecodeError):
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


# --- saving with a safety net ---------------------------------------------------------------------


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
    return _recover(RECOVERY_NAME, db_path, "".join(a.to_line() for a in attempts), "the attempt")


def recovery_name(db_path: Path | str | None, shared: bool = False) -> str:
    """The recovery file of one history: RECOVERY_NAME for the default history in its home's recovery
    folder, one named after the absolute path of any other (`--db`), and of the default one too in the
    temp folder every home `shared` (_recover): importing a recovery file never mixes two histories."""
    return _named_after(RECOVERY_NAME, db_path, shared)


def _named_after(name: str, db_path: Path | str | None, shared: bool) -> str:
    """`name` for the default history in its own home, else with a digest of the history's absolute path."""
    if db_path is None and not shared:
        return name
    history = os.path.abspath(os.path.expanduser(default_path() if db_path is None else db_path))
    digest = hashlib.sha256(history.encode("utf-8", "surrogateescape")).hexdigest()
    stem, suffix = os.path.splitext(name)
    return f"{stem}-{digest[:12]}{suffix}"


def _recover(name: str, db_path: Path | str | None, lines: str, what: str) -> Path:
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


def _without_lineage(grade: dict[str, Any] | None) -> dict[str, Any] | None:
    """A kept grade without "replaces" (which grades it replaced), a copy: the same grade again is the same
    whatever it replaced."""
    return {k: v for k, v in grade.items() if k != "replaces"} if grade is not None else None


def _grade_key(attempt: Attempt) -> tuple[str, str, tuple[str, ...], str | None]:
    """What makes two grades one transcript's of one candidate (earlier_grade's match, names read as name_key)."""
    return (attempt.question, attempt.depth, tuple(attempt.answer.split()),
            None if attempt.candidate is None else name_key(attempt.candidate))


def _earlier_grade_among(grades: dict[tuple[str, ...], list[Attempt]], attempt: Attempt) -> Attempt | None:
    """The grade among `grades` (History._grades_by_transcript) of `attempt`'s transcript and candidate
    (History.earlier_grade), or None."""
    same = grades.get(tuple(attempt.answer.split()), [])
    exact = [a for a in same if same_name(a.candidate, attempt.candidate)]
    if exact:
        return exact[0]
    if attempt.candidate is None:  # graded again without the name: the one candidate named on it before
        named = [a for a in same if a.candidate is not None]
        return named[0] if len({name_key(a.candidate) for a in named}) == 1 else None
    short = [a for a in same if _one_candidate(a.candidate, attempt.candidate)]
    named = {name_key(a.candidate) for a in short if a.candidate is not None}
    return short[0] if len(named) == 1 else None  # "Bob" for Bob Martinez and Bob Smith replaces neither


def _one_candidate(kept: str | None, given: str | None) -> bool:
    """Whether a regrade's candidate is the one graded before: the same name (same_name), or, both named,
    one a short form of the other as a transcript's label would be ("Bob" for "Bob Martinez")."""
    return same_name(kept, given) or (kept is not None and given is not None and same_person(kept, given))


def name_key(name: str) -> str:
    """A candidate's name as names are compared: on one line, without case or accents ("Zoe" typed for the
    "Zoë" kept, or "Zoe\u0308" with a combining one), as a transcript's label finds it (same_person):
    "ada  lovelace" graded after "Ada Lovelace" is one person."""
    return unicodedata.normalize("NFC", unaccented(one_line(name))).casefold()


def same_name(one: str | None, other: str | None) -> bool:
    """Whether two kept candidate names (None: graded without one) are one name (name_key)."""
    return one == other if one is None or other is None else name_key(one) == name_key(other)


def store(db_path: Path | str | None, attempts: Sequence[Attempt]) -> list[int]:
    """Save attempts in one transaction; on any failure they go to the recovery file and the error says where."""
    try:
        with open_history(db_path) as history:
            return history.add(attempts)[0]
    except HistoryError as exc:
        where = write_recovery(attempts, db_path)
        them = "the attempt was" if len(attempts) == 1 else f"the {len(attempts)} attempts were"
        it = "it" if len(attempts) == 1 else "them"
        if db_path is None or may_hold_a_history(Path(db_path)):
            into = [] if db_path is None else ["--db", str(db_path)]
            command = shlex.join(["genco", "history", "import", str(where), *into])  # a home with a space stays one
            later = f"add {it} later with `{command}`"
        else:  # a directory, a device...: suggesting it again cannot work
            command = shlex.join(["genco", "history", "import", str(where)])
            later = f"add {it} later to a history file with `{command} --db FILE`"
        error = HistoryError(f"{exc}. Not saved there: {them} written to {where} ({later})")
        error.recovered, error.recovery = len(attempts), where
        raise error from None


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


def keep_interview(db_path: Path | str | None, report: dict[str, Any], questions: int, score: float) -> StoredInterview:
    """Keep one interview report (`History.add_interview`); on any failure the report, dated now, is
    appended to the interview recovery file (one JSON object a line, `report`'s shape) and the
    HistoryError says where, so the questions it holds are never lost with the history."""
    try:
        with open_history(db_path) as history:
            return history.add_interview(report, questions, score)
    except HistoryError as exc:
        where = _recover(RECOVERY_REPORTS, None, dumps({**report, "created_at": now_utc()}) + "\n",
                         "the interview report")  # one file per home: reports are read, never imported
        raise HistoryError(f"{exc}. Not saved there: the interview report was written to {where}") from None
