"""Stored rows read back leniently. A value edited by hand into something genco never writes (text for
a score, a time that is no time, a damaged grade) reads as missing, with a note on the attempt:
every command that lists, reports or shows attempts goes on working, and the row itself is left
as it is."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ..answers import ANSWER_LIMIT, nothing_to_score
from ..card import MAX_SECONDS, Status
from ..rubric import RUBRIC_ID, slug
from .attempt import (
    DAMAGED_DATE_NOTE,
    DAMAGED_MARK_NOTE,
    DAMAGED_SCORE_NOTE,
    DAMAGED_VALUE_NOTE,
    EARLIEST,
    GRADE_FIELDS,
    KEPT_AHEAD,
    LABEL_LIMITS,
    OPTIONAL_GRADE_FIELDS,
    SIMILARITY_BOUND,
    SOURCES,
    STATUSES,
    UID,
    Attempt,
    as_label,
    check_grade,
    content_uid,
    is_label,
    normalise_time,
    number_within,
    within_kept_times,
)


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


def interview_from_row(row: Sequence[Any], report: dict[str, Any] | None) -> StoredInterview:
    """An interviews row (id, created_at, questions, score); a damaged value reads as None, so every list
    of kept interviews (terminal, JSON, web) says so instead of failing on it."""
    number, created_at, questions, score = row
    counted = isinstance(questions, int) and not isinstance(questions, bool) and questions >= 0
    return StoredInterview(number, _stored_time(created_at), questions if counted else None,
                           score if _stored_number(score, 0, 100) else None, report)


def attempt_from_row(row: Sequence[Any]) -> Attempt:
    """One attempts row as an Attempt. A value edited by hand into something genco never writes (text
    for a score, a time that is no time) reads as missing, with a note saying so: every command that
    lists, reports or shows attempts goes on working, and the row itself is left as it is."""
    notes = _stored_notes(row[11])
    score, created_at, seconds = row[8], row[2], row[6]
    if not _stored_number(score, 0, 100):
        score = 0.0
        notes.append(DAMAGED_SCORE_NOTE)
    if not _stored_number(seconds, 0, MAX_SECONDS, optional=True):
        seconds = None
        notes.append(DAMAGED_VALUE_NOTE.format("time spent", "unknown"))
    stored_time = _stored_time(created_at)
    if stored_time is None:
        notes.append(DAMAGED_DATE_NOTE)
    question, depth, answer, model, version = (
        _stored_text(row[i], name, notes) for i, name in
        ((3, "question"), (4, "depth"), (7, "answer"), (9, "model name"), (10, "genco version")))
    question, depth = _stored_id(question, "question", notes), _stored_id(depth, "depth", notes)
    model = _stored_label(model, "model name", LABEL_LIMITS["model"], notes)
    version = _stored_label(version, "genco version", LABEL_LIMITS["genco_version"], notes)
    answer = _stored_answer(answer, notes)
    source = _stored_source(row[5], row[12], notes)
    grade = stored_grade(row[12], score, notes)
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


def read_time(column: str = "created_at") -> str:
    """The created_at column (or the SQL `column` standing for it) as every command reads it, an SQL
    expression: a time in the stored format as it is, when it is a real date; another spelling SQLite reads
    ("2026-12-06", an offset of -05:00) as the stored format says it; anything else ("March 5th", a date
    SQLite moves, Feb 30) and a time outside the kept times (within_kept_times) as EARLIEST. Filters and
    order use it in SQL, and `_stored_time` asks SQLite for it, so `show`, `history`, --since and the
    report's latest read every value alike: read as 1970-01-01 by `show`, such an attempt was listed as
    the newest by `history`, passed every --since and became the report's latest; one spelt otherwise was
    shown with its date and left out by every --since."""
    stored = (f"CASE WHEN {column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:"
              f"[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00' THEN (CASE WHEN strftime('%Y-%m-%dT%H:%M:%S', "
              f"julianday({column})) = substr({column}, 1, 19) THEN {column} END) "  # a day or hour that exists
              f"ELSE (CASE WHEN date(julianday({column})) = substr({column}, 1, 10) "
              f"THEN strftime('%Y-%m-%dT%H:%M:%f000+00:00', julianday({column})) END) END")
    latest = normalise_time(datetime.now(UTC) + KEPT_AHEAD)
    return (f"(CASE WHEN typeof({column}) = 'text' AND ({stored}) BETWEEN '{EARLIEST}' AND '{latest}' "
            f"THEN ({stored}) ELSE '{EARLIEST}' END)")


@lru_cache(maxsize=1)
def _time_reader() -> sqlite3.Connection:
    """An SQLite of its own in memory, to read a stored time as `read_time` reads it in the history's SQL."""
    return sqlite3.connect(":memory:", check_same_thread=False)


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


def _stored_label(value: str, name: str, limit: int, notes: list[str]) -> str:
    """The model or genco version column as a header prints it and an import takes it (attempt.is_label):
    one edited by hand onto lines, holding control characters or too long for one reads cleaned and cut
    (attempt.as_label), with a note; its export imported nothing, since import refused that record."""
    if is_label(value, limit):
        return value
    notes.append(DAMAGED_VALUE_NOTE.format(name, f"its text on one line, at most {limit:,} characters"))
    return as_label(value, limit)


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


def child_from_row(attempt: Attempt, names: tuple[str, ...], values: Sequence[Any]) -> dict[str, Any]:
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
    return optional if value is None else number_within(value, low, high)


def _stored_time(value: Any) -> str | None:
    """A created_at column in the one stored format (as `normalise_time` writes it), or None when damaged:
    as `read_time` reads it in SQL (asked of SQLite itself, but for the stored format, checked here)."""
    if not isinstance(value, str):
        return None
    if _is_stored_format(value):
        return value if within_kept_times(value) else None
    read = _time_reader().execute(f"SELECT {read_time(':value')}", {"value": value}).fetchone()[0]
    return None if read == EARLIEST or not _is_stored_format(read) else read


_STORED_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00\Z")


def _is_stored_format(value: str) -> bool:
    """The common case, checked cheaply (reports read thousands of rows): the stored format, a real date."""
    if not _STORED_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value)  # a month 13 of the right shape
    except ValueError:
        return False
    return True


def _stored_notes(raw: Any) -> list[str]:
    """An attempt's notes column; a damaged one (edited by hand, cut short) reads as a note saying so."""
    try:
        notes = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        return ["the notes stored with this attempt are damaged"]
    return [str(n) for n in notes] if isinstance(notes, list) else ["the notes stored with this attempt are damaged"]


def stored_grade(raw: Any, score: float, notes: list[str]) -> dict[str, Any] | None:
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

