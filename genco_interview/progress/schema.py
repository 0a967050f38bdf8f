"""The history's schema: its tables as named forward steps (`MIGRATIONS`), where a file's
`PRAGMA user_version` counts the steps it has had, so a new step is appended, never inserted; and
the rows an attempt's concept marks and red flags are kept in, which reports query directly."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .attempt import CONCEPT_FIELDS, MAX_ID_DIGITS, MISCONCEPTION_FIELDS, content_uid

APPLICATION_ID = 0x47454E43
"""'GENC' in the SQLite header (PRAGMA application_id): how genco knows a database is its own."""


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
    twice still skips duplicates. A row the same as an earlier one (copied by hand) gets its number in
    its uid too: two alike made the file impossible to open and to salvage (uids are unique).
    """
    for statement in _statements(_V2):
        conn.execute(statement)
    rows = conn.execute("SELECT id, created_at, question, depth, answer, card FROM attempts ORDER BY id").fetchall()
    given: set[str] = set()
    for row_id, created_at, question, depth, answer, card_json in rows:
        notes, concepts, misconceptions = _v1_card(card_json)
        uid = content_uid(created_at, question, depth, answer)
        if uid in given:
            uid = content_uid(created_at, question, depth, f"{answer}\0{row_id}")
        given.add(uid)
        conn.execute("UPDATE attempts SET uid = ?, notes = ? WHERE id = ?", (uid, json.dumps(notes), row_id))
        insert_children(conn, row_id, concepts, misconceptions)
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


def next_number(table: str) -> str:
    """SQL: the number a new row of `table` ("attempts", "interviews") gets: past every one kept, and every one
    deleted (retired_numbers under the table's name). A retired number edited into something else is passed
    over: text sorts above every number in SQLite ('x' + 1 is 1), and one past MAX_ID_DIGITS digits names no
    row genco can read (the largest integer + 1 is no integer)."""
    return (f"(SELECT max(coalesce((SELECT max(id) FROM {table}), 0), "
            f"coalesce((SELECT last FROM retired_numbers WHERE kind = '{table}' AND {SOUND_RETIRED}), 0)) + 1)")


NEXT_NUMBER = next_number("attempts")
"""The number a new attempt gets (next_number)."""
NEXT_INTERVIEW_NUMBER = next_number("interviews")
"""The number a new kept interview report gets (next_number): a deleted report's is never given again, so
`interview --show N` never shows another report than the one N named."""


def _add_retired_numbers(conn: sqlite3.Connection) -> None:
    """Version 6: the highest number a deletion freed, so it is never given again (SQLite reuses the
    highest rowid once its row is gone), one row per table ("attempts", "interviews"). Deletions before
    this step are not known."""
    conn.execute("CREATE TABLE retired_numbers (kind TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID")


def _add_deleted_uids(conn: sqlite3.Connection) -> None:
    """Version 7: the uids of attempts deleted here (History.delete, a regrade's replaced grade), so importing
    an export made before the deletion does not bring them back. Deletions before this step are not known."""
    conn.execute("CREATE TABLE deleted_uids (uid TEXT PRIMARY KEY) WITHOUT ROWID")


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
    Migration("uids of deleted attempts, which an import does not bring back", _add_deleted_uids),
)
"""Every step in order. A new file runs them all, so fresh and migrated files end up alike."""


SCHEMA_VERSION = len(MIGRATIONS)


def insert_children(conn: sqlite3.Connection, attempt_id: int, concepts: Sequence[dict[str, Any]],
                     misconceptions: Sequence[dict[str, Any]]) -> None:
    conn.executemany(
        "INSERT INTO concept_results (attempt_id, position, concept_id, name, weight, status, score, similarity, "
        "evidence, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(attempt_id, i, *(c[name] for name in CONCEPT_FIELDS)) for i, c in enumerate(concepts)])
    conn.executemany(
        "INSERT INTO misconception_hits (attempt_id, position, misconception_id, description, correction, penalty, "
        "similarity, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(attempt_id, i, *(m[name] for name in MISCONCEPTION_FIELDS)) for i, m in enumerate(misconceptions)])

