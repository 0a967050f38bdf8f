"""The attempt history: every scored answer kept in a local SQLite file.

Why SQLite: one file in the user's data directory, transactions, and concurrent writers (two
terminals practising at once) without a server. Every write is one `BEGIN IMMEDIATE` transaction:
all of an attempt's rows or none. Attempts that cannot be saved go to a recovery file and the
error says where (`store`, `keep_interview`). The file is opened by database.py, its tables are
schema.py's steps, its rows are read back by rows.py.

Nothing here imports numpy or torch: history commands must start instantly.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..answers import InputError
from ..errors import cut, quoted
from ..output import dumps, shell_join
from ..text.names import lengthens, same_but_for_title
from .attempt import (
    CONCEPT_FIELDS,
    CONCEPT_MARKS,
    MISCONCEPTION_FIELDS,
    MISCONCEPTION_MARKS,
    Attempt,
    name_key,
    now_utc,
    one_candidate,
    row_number,
    same_name,
)
from .database import (
    HistoryError,
    NewerHistory,
    NotAHistory,
    check_history_path,
    connect_history,
    describe,
    may_hold_a_history,
    polled,
    suggested,
)
from .recovery import RECOVERY_REPORTS, recover, write_recovery
from .rows import (
    READ_SOURCE,
    StoredInterview,
    attempt_from_row,
    child_from_row,
    interview_from_row,
    read_time,
    stored_grade,
)
from .schema import NEXT_INTERVIEW_NUMBER, NEXT_NUMBER, SOUND_RETIRED, insert_children

_UIDS_PER_QUERY = 500
"""Uids looked up per query: under SQLite's limit on a statement's parameters (999 before 3.32)."""


MIN_UID_PREFIX = 6
"""Characters of a uid that name an attempt: fewer would read a deleted attempt's number as a uid prefix."""


_UID_PREFIX = re.compile(f"[0-9a-f]{{{MIN_UID_PREFIX},32}}")
"""What can start a uid (32 hex digits): anything else names no attempt, never a pattern."""


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
    for column, value in (("question = ?", question), ("depth = ?", depth), (f"{read_time()} >= ?", since),
                          (f"{READ_SOURCE} = ?", source)):
        if value is not None:
            where.append(column)
            params.append(value)
    return " AND ".join(where), params


class AttemptReplaced(InputError):
    """An attempt number a regrade replaced: `by` is the grade that replaced it (a front end may open that)."""

    def __init__(self, message: str, by: int) -> None:
        super().__init__(message)
        self.by = by


class History:
    """An open history file. Use `open_history()`; every method maps SQLite failures to HistoryError."""

    def __init__(self, conn: sqlite3.Connection | None, path: Path) -> None:
        self.conn = conn
        self.path = path

    # reading

    def interviewer_grade(self, number: int, attempt: Attempt) -> Attempt | None:
        """Kept grade `number` when it is still a grade of `attempt`'s question, depth and transcript (whatever
        its spacing and line endings), else None: what a regrade decided to replace (Grade.regrades), unless
        another genco replaced or deleted it meanwhile. Read without its concept rows."""
        found = self.select_rows("id = ? AND source = 'interviewer' AND question = ? AND depth = ?",
                                 (number, attempt.question, attempt.depth), "id")
        return next((a for a in found if a.answer.split() == attempt.answer.split()), None)

    def same_grade_kept(self, attempt: Attempt, earlier: Attempt | None) -> int | None:
        """The number of `earlier`, the grade `attempt` would replace (interviewer_grade), when it holds
        `attempt`'s score and grade (candidate, note, machine marks) and the same final marks, or None.
        Only that candidate's grade is compared: "Chen" graded again the same way was "already kept as" the
        grade of Zoe Chen, graded on the same transcript since, whom "Chen" shortens too."""
        if earlier is None or attempt.grade is None or earlier.score != attempt.score:
            return None
        given = _without_lineage(attempt.grade)
        kept = _without_lineage(earlier.grade)  # read as `show` reads it: one edited by hand is None
        if isinstance(kept, dict) and same_name(kept.pop("candidate", None), given["candidate"]) \
                and kept == {k: v for k, v in given.items() if k != "candidate"} \
                and self._marks(earlier.id) == {c["id"]: c["status"] for c in attempt.concepts}:
            return earlier.id  # the same marks too: an override that leaves the score as it was is a new grade
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
        Bob Smith), the name but for a title first; else the one name kept on it that the name given says
        more fully ("Dana" for Dana Whitfield); else, graded without a name, the one candidate named on it
        before; or None. Read without its concept rows."""
        if self.conn is None or attempt.grade is None:
            return None
        return _earlier_grade_among(self._grades_by_transcript(attempt.question, attempt.depth), attempt)

    def names_graded_on(self, question: str, depth: str, transcript: str) -> list[str | None]:
        """The candidate names a transcript was graded under at a question's depth (its words alike), None for a
        grade naming nobody, newest first, each once (name_key)."""
        same = self._grades_of(question, depth, transcript)
        names = {None if a.candidate is None else name_key(a.candidate): a.candidate for a in reversed(same)}
        return list(reversed(names.values()))

    def _grades_of(self, question: str, depth: str, transcript: str) -> list[Attempt]:
        """The interviewer attempts grading `transcript` (its words, spacing and line endings aside) at a question's
        depth, newest first, without their concept rows."""
        return self._grades_by_transcript(question, depth).get(tuple(transcript.split()), [])

    def _grades_by_transcript(self, question: str, depth: str) -> dict[tuple[str, ...], list[Attempt]]:
        """The interviewer attempts of one question and depth, newest first, by their transcript's words
        (its spacing and line endings aside), without their concept rows."""
        grades: dict[tuple[str, ...], list[Attempt]] = {}
        for kept in self.select_rows("source = 'interviewer' AND question = ? AND depth = ?", (question, depth), "id DESC"):
            grades.setdefault(tuple(kept.answer.split()), []).append(kept)
        return grades

    def replaced_by(self, number: int) -> int | None:
        """The number of the grade that replaced attempt `number` (Grade.kept "replaces"), or None."""
        if self.conn is None:
            return None
        rows = self.conn.execute("SELECT id, grade FROM attempts WHERE source = 'interviewer' AND grade LIKE ?",
                                 ('%"replaces"%',)).fetchall()
        return next((found for found, grade in rows  # each grade checked: one edited by hand must not fail `show`
                     if number in (stored_grade(grade, 0.0, []) or {}).get("replaces", [])), None)

    def check_sound(self) -> None:
        """Raise sqlite3.DatabaseError when SQLite's quick check finds the file damaged (_require_sound),
        as open_history does for every reader: a command reads only some pages, so a file damaged elsewhere
        read as sound to one command while another called it corrupt."""
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
        return self._held("uid", uids)

    def deleted_uids(self, uids: Sequence[str]) -> set[str]:
        """Those of `uids` whose attempts were deleted from this history (an import passes them over)."""
        return self._held("uid", uids, table="deleted_uids")

    def held_numbers(self, numbers: Sequence[int]) -> set[int]:
        """Which attempt `numbers` the history still holds (a kept interview report names attempts since deleted)."""
        return self._held("id", numbers)

    def _held(self, column: str, values: Sequence[Any], table: str = "attempts") -> set[Any]:
        """Which of `values` some row's `column` of `table` (genco's names, never a caller's text) holds."""
        if self.conn is None:
            return set()
        held: set[Any] = set()
        for start in range(0, len(values), _UIDS_PER_QUERY):
            chunk = values[start:start + _UIDS_PER_QUERY]
            held.update(row[0] for row in self.conn.execute(
                f"SELECT {column} FROM {table} WHERE {column} IN ({', '.join('?' * len(chunk))})", chunk))
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
        found = self.select_rows(where, params, f"{read_time()} {order}, id {order}", limit)
        if results:
            self.attach_results(found, evidence, concepts_of_latest)
        return found

    def select_rows(self, where: str, params: Sequence[Any], order: str, limit: int | None = None) -> list[Attempt]:
        """Attempt rows matching the SQL `where` (with `params`) in SQL `order`, without their concept and
        misconception rows (attach_rows); each value damaged by hand reads as missing (rows.attempt_from_row)."""
        if self.conn is None:
            return []
        sql = ("SELECT id, uid, created_at, question, depth, source, seconds, answer, score, model, genco_version, notes, grade "
               f"FROM attempts {'WHERE ' + where if where else ''} ORDER BY {order}")
        if limit:
            sql += f" LIMIT {min(int(limit), 2**63 - 1)}"  # SQLite integers are 64-bit
        return [attempt_from_row(r) for r in self.conn.execute(sql, params)]

    def attach_results(self, found: list[Attempt], evidence: bool = True, concepts_of_latest: int | None = None) -> None:
        """Read the concept and misconception rows of `found` (attempts read with results=False, perhaps
        filtered since), as `attempts` would have (same `evidence` and `concepts_of_latest`)."""
        by_id = {a.id: a for a in found}
        self.attach_rows(by_id, by_id, "misconception_hits", MISCONCEPTION_FIELDS if evidence else MISCONCEPTION_MARKS)
        concept_ids = _latest_per_group(found, concepts_of_latest) if concepts_of_latest else by_id
        self.attach_rows(by_id, concept_ids, "concept_results", CONCEPT_FIELDS if evidence else CONCEPT_MARKS)

    def attach_rows(self, by_id: dict[int, Attempt], wanted: Iterable[int], table: str, names: tuple[str, ...]) -> None:
        """Append the rows of `table` ("concept_results" or "misconception_hits"), fields `names`, to the
        attempts of `by_id` (number -> Attempt) numbered in `wanted`.

        One query for all attempts rather than one per attempt (reports read thousands). A row repeating
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
            children, child = getattr(attempt, target), child_from_row(attempt, names, row[1:])
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
                found = self.select_rows("id = ?", [row[0]], "id")
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
        """BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        HistoryError, nothing changed, when the history is a copy in memory (database.connect_history reads
        one of a file in a folder genco cannot write): `delete` and `purge` said they had deleted attempts
        that stayed in the file."""
        assert self.conn is not None
        if self.conn.execute("PRAGMA database_list").fetchone()[2] == "":  # a copy in memory names no file
            raise HistoryError(f"history file {self.path} can only be read here (genco reads a copy of it: its folder "
                               "cannot be written, or it is from an older genco and cannot be upgraded); nothing "
                               "was changed")
        polled(self.conn, "BEGIN IMMEDIATE")
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
                added.append(_insert(conn, attempt))
        return added, skipped

    def add_grade(self, attempt: Attempt, regrades: int | None) -> tuple[int, bool, int | None]:
        """Keep an interviewer's grade in one transaction, deciding under the write lock what it replaces: grade
        `regrades` (the one the grade was read against, Grade.regrades) while it is still a grade of this
        transcript, else a grade of it under the same candidate name kept since the grade was read (another
        genco, a second browser tab, keeping the same transcript at the same moment: read before either was
        kept, both were kept). The same grade kept already is not kept again; a grade replaced keeps its place
        in time and is named in the new one's "replaces".

        Returns (the grade's number, whether it was kept already, the number it replaced or None).
        Raises HistoryError when the history cannot be written."""
        with self.transaction() as conn:
            _require_sound(conn)
            earlier = (self.interviewer_grade(regrades, attempt) if regrades else None) or self._same_name_grade(attempt)
            if (same := self.same_grade_kept(attempt, earlier)) is not None:
                return same, True, None
            if earlier is None:
                return _insert(conn, attempt), False, None
            lineage = [*(earlier.grade or {}).get("replaces", []), earlier.id]
            number = _insert(conn, replace(attempt, created_at=earlier.created_at,
                                           grade={**(attempt.grade or {}), "replaces": lineage}))
            _delete(conn, earlier)
        return number, False, earlier.id

    def _same_name_grade(self, attempt: Attempt) -> Attempt | None:
        """The latest grade of `attempt`'s transcript kept under its very candidate name (or none, both), or None."""
        if attempt.grade is None:
            return None
        return _named_alike(self._grades_of(attempt.question, attempt.depth, attempt.answer), attempt)

    def graded_already(self, attempts: Sequence[Attempt]) -> tuple[list[Attempt], dict[str, int]]:
        """The interviewer attempts among `attempts` whose transcript, question, depth and candidate this history
        has graded already under another uid (earlier_grade), or that a later attempt of `attempts` grades again
        (two exports joined: the later is the regrade): an export made before a regrade, imported after it,
        brought the replaced grade back beside the one that replaced it, and the transcript counted twice.
        Then, by uid, the number of the grade each attempt replaces when it is a later judgement than the grade
        held (made after it, as a regrade kept in the recovery file while the history was locked is): an import
        keeps it in that grade's place (add_grade). A regrade kept here has its interview's time, so an export's
        grade of the same interview is never later than it."""
        held = self.held_uids([a.uid for a in attempts])
        graded = [a for a in attempts if a.source == "interviewer" and a.grade is not None and a.uid not in held]
        last = {_grade_key(a): a.uid for a in graded}  # the last of each transcript and candidate in the file
        kept = {key: self._grades_by_transcript(*key) for key in {(a.question, a.depth) for a in graded}}  # one read each
        skipped, later = [], {}
        for attempt in graded:
            if last[_grade_key(attempt)] != attempt.uid:
                skipped.append(attempt)
            elif (earlier := _earlier_grade_among(kept[attempt.question, attempt.depth], attempt)) is not None \
                    and earlier.uid != attempt.uid:
                if earlier.created_at < attempt.created_at and earlier.id is not None:
                    later[attempt.uid] = earlier.id
                else:
                    skipped.append(attempt)
        return skipped, later

    def delete(self, ref: str, uid: str | None = None) -> Attempt:
        """Delete one attempt; its number is retired, never given to a later attempt (an interview
        report names its attempts by number, and a second `delete N` must not find another one).
        With `uid`, only the attempt of that uid: one found and shown before, whose number a purge
        by another genco may have given to a new attempt since (InputError then, nothing deleted)."""
        attempt = self.find(ref)
        with self.transaction() as conn:
            _require_sound(conn)  # a damaged file is never written: its error says how to salvage it
            _delete(conn, attempt if uid is None else replace(attempt, uid=uid))
        return attempt

    def contents(self) -> tuple[int, str, int]:
        """What the history holds, to tell whether it changed: (attempts, a digest of their numbers and uids,
        kept interview reports); nothing for a history not yet made. By the uids: a purge and an import of as
        many other attempts meanwhile leave the count and the numbers as they were."""
        if self.conn is None:
            return 0, "", 0
        digest = hashlib.sha256()
        for number, uid in self.conn.execute("SELECT id, uid FROM attempts ORDER BY id"):
            digest.update(f"{number}:{uid};".encode("utf-8", "surrogatepass"))
        attempts, reports = self.conn.execute("SELECT (SELECT count(*) FROM attempts), "
                                              "(SELECT count(*) FROM interviews)").fetchone()
        return attempts, digest.hexdigest(), reports

    def purge(self, seen: tuple[int, str, int] | None = None) -> int:
        """Remove every attempt and kept interview report; the file and its schema stay (and freed pages are
        zeroed). With `seen` (contents() when the person was asked), only if the history still holds what
        they were told it holds: InputError, nothing deleted, when another genco added or deleted some
        meanwhile (a purge confirmed for 5,000 attempts deleted 5,082). Returns how many attempts it removed."""
        if self.conn is None:
            return 0
        with self.transaction() as conn:
            _require_sound(conn)
            if seen is not None and self.contents() != tuple(seen):
                raise InputError(f"the history {self.path} changed since it was counted (another genco added or "
                                 "deleted attempts meanwhile); nothing deleted: purge again to see what it holds now")
            conn.execute("PRAGMA secure_delete = ON")
            removed = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
            conn.execute("DELETE FROM attempts")
            conn.execute("DELETE FROM interviews")
            conn.execute("DELETE FROM retired_numbers")  # nothing left to be confused with: numbering starts over
            conn.execute("DELETE FROM deleted_uids")  # a fresh start: a backup imported after it comes back whole
        return removed

    # mock interviews

    def add_interview(self, report: dict[str, Any], questions: int, score: float) -> StoredInterview:
        """Keep one interview report (its JSON shape); what comes back carries its number
        (what `genco interview --show N` takes) and the time it was kept."""
        created_at = now_utc()
        with self.transaction() as conn:
            _require_sound(conn)
            cursor = conn.execute(
                "INSERT INTO interviews (id, uid, created_at, genco_version, questions, score, report) "
                f"VALUES ({NEXT_INTERVIEW_NUMBER}, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, created_at, __version__, questions, score, dumps(report)))
        return StoredInterview(cursor.lastrowid, created_at, questions, score, report)

    def interviews(self) -> list[StoredInterview]:
        """Every kept interview, newest first, without its report (`report` None): one damaged report
        must not hide the list, and `interview(n)` reads one whole."""
        if self.conn is None:
            return []
        rows = self.conn.execute("SELECT id, created_at, questions, score FROM interviews "
                                 "ORDER BY created_at DESC, id DESC").fetchall()
        return [interview_from_row(row, None) for row in rows]

    def interview(self, ref: str) -> StoredInterview:
        """A kept interview report by its number or `last`; InputError naming the numbers otherwise,
        HistoryError when its report is damaged."""
        found = self._interview_row(ref, "report")
        return interview_from_row(found[:4], _stored_report(found[4]))

    def interview_entry(self, ref: str) -> StoredInterview:
        """A kept interview by its number or `last` as `interviews` lists it, without its report (which may be
        damaged); InputError naming the numbers when there is none."""
        return interview_from_row(self._interview_row(ref), None)

    def delete_interview(self, ref: str) -> StoredInterview:
        """Delete one kept interview report by its number or `last` (a damaged one too), its answers kept as the
        attempts they are; its number is retired, never given to a later report. Returns what it was, without
        its report; InputError when there is none."""
        found = self.interview_entry(ref)
        with self.transaction() as conn:
            _require_sound(conn)
            conn.execute("PRAGMA secure_delete = ON")
            if conn.execute("DELETE FROM interviews WHERE id = ?", (found.id,)).rowcount != 1:
                raise InputError(f"interview {found.id} is no longer kept (another genco deleted it meanwhile)")
            _retire(conn, "interviews", found.id)
        return found

    def _interview_row(self, ref: str, *more: str) -> tuple[Any, ...]:
        """The row (id, created_at, questions, score, *more) of a kept interview by its number or `last`;
        InputError naming the numbers otherwise. Blanks around it are no part of it (" last ", "2 ")."""
        if self.conn is not None:
            ref = ref.strip()
            if ref.lower() == "last":
                row = self.conn.execute("SELECT id FROM interviews ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
            elif ref.isascii() and ref.isdigit() and (number := row_number(ref)) is not None:
                row = (number,)
            else:
                row = None
            if row is not None:
                found = self.conn.execute(f"SELECT {', '.join(('id', 'created_at', 'questions', 'score', *more))} "
                                          "FROM interviews WHERE id = ?", row).fetchone()
                if found is not None:
                    return tuple(found)
        listing = suggested("interview --list", self.path)
        raise InputError(f"no interview {quoted(ref)} in {self.path} (see `{listing}` for the numbers)")


def _stored_report(raw: str) -> dict[str, Any]:
    """A report column read back; a damaged one (edited by hand) is a HistoryError, not a traceback."""
    try:
        report = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        report = None
    if not isinstance(report, dict):
        raise HistoryError("a kept interview report is damaged (not the JSON genco wrote); the attempts are intact")
    return report


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


@contextmanager
def open_history(path: Path | str | None = None, create: bool = True, write: bool | None = None) -> Iterator[History]:
    """Open (and if needed create or migrate) a history file; SQLite errors become one-line HistoryErrors.

    With create=False a missing file reads as empty and is not created: listing or reporting
    never leaves files behind, and a file in a folder genco cannot write is still read; a damaged one is
    refused (History.check_sound): each command reads only some pages, and a file `history` called corrupt
    gave `report`, `show`, `next` and the web's pages as if sound. Such a reader opens the file read-only
    unless `write` (default: `create`), so it never changes it (connect_history).
    """
    path = check_history_path(path)
    conn = None
    try:
        conn = connect_history(path, create, create if write is None else write)
        history = History(conn, path)
        if not create:
            history.check_sound()
        yield history  # an OSError of the caller's (its output, say) is not the file's
    except sqlite3.Error as exc:
        raise HistoryError(describe(exc, path)) from None
    finally:
        if conn is not None:
            conn.close()


def _without_lineage(grade: dict[str, Any] | None) -> dict[str, Any] | None:
    """A kept grade without "replaces" (which grades it replaced), a copy: the same grade again is the same
    whatever it replaced."""
    return {k: v for k, v in grade.items() if k != "replaces"} if grade is not None else None


def _insert(conn: sqlite3.Connection, attempt: Attempt) -> int:
    """Insert one attempt with its concept and misconception rows (inside a transaction); its new number."""
    cursor = conn.execute(  # not OR IGNORE: a number that clashes is an error, never "already kept"
        "INSERT INTO attempts (id, uid, created_at, question, depth, source, seconds, answer, score, "
        f"model, genco_version, notes, grade) VALUES ({NEXT_NUMBER}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (attempt.uid, attempt.created_at, attempt.question, attempt.depth, attempt.source, attempt.seconds,
         attempt.answer, attempt.score, attempt.model, attempt.genco_version, json.dumps(attempt.notes),
         None if attempt.grade is None else json.dumps(attempt.grade)))
    insert_children(conn, cursor.lastrowid, attempt.concepts, attempt.misconceptions)
    conn.execute("DELETE FROM deleted_uids WHERE uid = ?", (attempt.uid,))  # kept again (`import --include-deleted`)
    return cursor.lastrowid


def _delete(conn: sqlite3.Connection, attempt: Attempt) -> None:
    """Delete `attempt` (its number and uid both: InputError, nothing deleted, when another genco changed it),
    retire its number, never given to a later attempt, and remember its uid, which an import then passes over
    (inside a transaction)."""
    conn.execute("PRAGMA secure_delete = ON")
    gone = conn.execute("DELETE FROM attempts WHERE id = ? AND uid IS ?", (attempt.id, attempt.uid))
    if gone.rowcount != 1:
        raise InputError(f"attempt {attempt.id} is no longer the one shown (another genco changed the history "
                         "meanwhile); nothing deleted")
    _retire(conn, "attempts", attempt.id)
    conn.execute("INSERT OR IGNORE INTO deleted_uids (uid) VALUES (?)", (attempt.uid,))


def _retire(conn: sqlite3.Connection, table: str, number: int) -> None:
    """Remember `number` of `table` as deleted, never given again (schema.next_number; inside a transaction)."""
    conn.execute("INSERT INTO retired_numbers (kind, last) VALUES (?, ?) ON CONFLICT(kind) DO UPDATE SET "
                 f"last = CASE WHEN {SOUND_RETIRED} THEN max(last, excluded.last) ELSE excluded.last END",
                 (table, number))  # a damaged value next_number passes over is replaced, not kept


def _grade_key(attempt: Attempt) -> tuple[str, str, tuple[str, ...], str | None]:
    """What makes two grades one transcript's of one candidate (earlier_grade's match, names read as name_key)."""
    return (attempt.question, attempt.depth, tuple(attempt.answer.split()),
            None if attempt.candidate is None else name_key(attempt.candidate))


def _earlier_grade_among(grades: dict[tuple[str, ...], list[Attempt]], attempt: Attempt) -> Attempt | None:
    """The grade among `grades` (History._grades_by_transcript) of `attempt`'s transcript and candidate
    (History.earlier_grade), or None."""
    same = grades.get(tuple(attempt.answer.split()), [])
    if (exact := _named_alike(same, attempt)) is not None:
        return exact
    if attempt.candidate is None:  # graded again without the name: the one candidate named on it before
        named = [a for a in same if a.candidate is not None]
        return named[0] if len({name_key(a.candidate) for a in named}) == 1 else None
    for fits in (_titled, one_candidate, _said_in_full):  # the name with a title; a short form; the name in full
        alike = [a for a in same if a.candidate is not None and fits(a.candidate, attempt.candidate)]
        named = {name_key(a.candidate) for a in alike}
        if named:  # "Bob" for Bob Martinez and Bob Smith replaces neither
            return alike[0] if len(named) == 1 else None
    return None


def _named_alike(grades: Sequence[Attempt], attempt: Attempt) -> Attempt | None:
    """The first of `grades` kept under `attempt`'s very candidate name (same_name; no name is a name), or None."""
    return next((a for a in grades if same_name(a.candidate, attempt.candidate)), None)


def _titled(kept: str, given: str | None) -> bool:
    """Whether `given` is the name kept but for a title ("Dr. Chen" for "Chen", text.names.same_but_for_title)."""
    return given is not None and same_but_for_title(given, kept)


def _said_in_full(kept: str, given: str | None) -> bool:
    """Whether `given` names the candidate kept as `kept` more fully ("Dana Whitfield" for "Dana"): on the
    transcript graded under the short name, a regrade kept under the fuller one (app.workbench._graded_as)."""
    return given is not None and lengthens(given, kept)


def store(db_path: Path | str | None, attempts: Sequence[Attempt]) -> list[int]:
    """Save attempts in one transaction; on any failure they go to the recovery file and the error says where."""
    try:
        with open_history(db_path) as history:
            return history.add(attempts)[0]
    except HistoryError as exc:
        raise _recovered(exc, db_path, attempts) from None


def store_grade(db_path: Path | str | None, attempt: Attempt, regrades: int | None) -> tuple[int, bool, int | None]:
    """Keep an interviewer's grade (History.add_grade); on any failure it goes to the recovery file and the error
    says where."""
    try:
        with open_history(db_path) as history:
            return history.add_grade(attempt, regrades)
    except HistoryError as exc:
        raise _recovered(exc, db_path, [attempt]) from None


def _recovered(exc: HistoryError, db_path: Path | str | None, attempts: Sequence[Attempt]) -> HistoryError:
    """`attempts` written to the recovery file, and the error that says why and where, with how to add them later."""
    where = write_recovery(attempts, db_path)
    them = "the attempt was" if len(attempts) == 1 else f"the {len(attempts)} attempts were"
    it = "it" if len(attempts) == 1 else "them"
    if db_path is None or (may_hold_a_history(Path(db_path)) and not isinstance(exc, NotAHistory)):
        into = [] if db_path is None else ["--db", str(db_path)]
        command = shell_join(["genco", "history", "import", str(where), *into])  # a home with a space stays one
        once = " once genco is upgraded" if isinstance(exc, NewerHistory) else ""  # this genco refuses it again
        later = f"add {it} later with `{command}`{once}"
    else:  # a directory, a device, another program's database...: suggesting it again cannot work
        command = shell_join(["genco", "history", "import", str(where)])
        later = f"add {it} later to a history file with `{command} --db FILE`"
    error = HistoryError(f"{exc}. Not saved there: {them} written to {where} ({later})")
    error.recovered, error.recovery = len(attempts), where
    return error


def keep_interview(db_path: Path | str | None, report: dict[str, Any], questions: int, score: float) -> StoredInterview:
    """Keep one interview report (`History.add_interview`); on any failure the report, dated now, is
    appended to the interview recovery file (one JSON object a line, `report`'s shape) and the
    HistoryError says where, so the questions it holds are never lost with the history."""
    try:
        with open_history(db_path) as history:
            return history.add_interview(report, questions, score)
    except HistoryError as exc:
        where = recover(RECOVERY_REPORTS, None, dumps({**report, "created_at": now_utc()}) + "\n",
                         "the interview report")  # one file per home: reports are read, never imported
        raise HistoryError(f"{exc}. Not saved there: the interview report was written to {where}") from None

