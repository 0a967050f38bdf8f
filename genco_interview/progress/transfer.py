"""Attempts in and out of the history as JSON Lines: `genco history export` and `import`.

The export record is `Attempt.to_json()` (attempt.py), one object per line. Importing checks every
field of every line before anything is stored (a hand-edited or hostile file must not store an
attempt that `report`, `next` or `show` then fail on), and a last line cut short while it was
written is skipped with a warning. Errors: InputError naming the file, line and field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from datetime import datetime
from typing import Any

from ..answers import (
    ANSWER_LIMIT,
    FILE_LIMIT,
    DatabaseInput,
    InputError,
    decode_json,
    input_name,
    jsonl_records,
    not_an_object,
    nothing_to_score,
    read_text,
)
from ..card import MAX_SECONDS
from ..output import genco_command
from ..rubric import RUBRIC_ID, RUBRICS_ENV
from ..text.reading import is_blank
from .attempt import (
    CONCEPT_FIELDS,
    LABEL_LIMITS,
    MISCONCEPTION_FIELDS,
    SIMILARITY_BOUND,
    SOURCES,
    STATUSES,
    UID,
    Attempt,
    check_grade,
    is_label,
    normalise_time,
    number_within,
    within_kept_times,
)

EXPORT_LINE_LIMIT = 7 * ANSWER_LIMIT
"""Bytes of one export line: the largest answer genco accepts (4 MB) written with every character
escaped at worst (a control character becomes six, `\\u001f`), plus the score card's fields; a history
file's line must import back whatever genco stored."""


def read_export(path: str) -> str:
    """An export or recovery file ('-' for stdin), bounded as a whole and line by line (EXPORT_LINE_LIMIT).
    A history given instead (an easy slip: both are "the history") is named as one, with the way to use it."""
    try:
        return read_text(path, limit=FILE_LIMIT, line_limit=EXPORT_LINE_LIMIT, torn_end=True)
    except DatabaseInput:
        use = "" if path == "-" else f"; to use this file as a history, pass it with --db (`{genco_command('history', path)}`)"
        raise InputError(f"{input_name(path)}: is an SQLite database (a genco history?), not an "
                         f"export: import reads the JSON Lines file `genco history export` writes{use}") from None


def _number(record: dict[str, Any], name: str, low: float, high: float) -> float:
    """A finite number in [low, high]; booleans, strings, NaN and Infinity are refused by name."""
    value = record[name]
    if not number_within(value, low, high):
        raise ValueError(f"'{name}' must be a number from {low:g} to {high:g}, not {_shown(value)}")
    return float(value)


def _text(record: dict[str, Any], name: str, optional: bool = False) -> str | None:
    value = record[name]
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{name}' must be a string, not {_shown(value)}")
    return value


def _label(record: dict[str, Any], name: str, limit: int) -> str:
    """A text `show` prints in an attempt's header (the model, genco's version), checked (is_label)."""
    value = _text(record, name)
    if not is_label(value, limit):
        raise ValueError(f"'{name}' must be one line of at most {limit:,} characters without control characters, "
                         f"not {_shown(value)}")
    return value


def _shown(value: Any, limit: int = 30) -> str:
    """A bad value, at most `limit` characters, for the error line."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 30:
        return "a number of more than 30 digits"  # str() of a huge integer is slow, then refused
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _child(item: Any, names: tuple[str, ...], what: str, index: int) -> dict[str, Any]:
    """One concept or misconception row of an export record, every field checked. Its id is not checked
    against the rubric: a rubric edited since (an id renamed or removed) leaves the attempt as it was
    scored, and `parse_export` says so."""
    where = f"{what}[{index}]"
    if not isinstance(item, dict) or not set(names) <= set(item):
        raise ValueError(f"'{where}' must be an object with {', '.join(names)}")
    row: dict[str, Any] = {}
    for name in names:
        try:
            if name in ("weight", "penalty"):
                row[name] = _number(item, name, 0, 100)
            elif name == "score":
                row[name] = _number(item, name, 0, 1)
            elif name == "similarity":
                row[name] = _number(item, name, -SIMILARITY_BOUND, SIMILARITY_BOUND)
            else:
                row[name] = _text(item, name, optional=name == "evidence" and what == "concepts")  # a red flag quotes one
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    if "status" in row and row["status"] not in STATUSES:
        raise ValueError(f"{where}: 'status' must be one of {', '.join(STATUSES)}, not {_shown(row['status'])}")
    return row


def _children(record: dict[str, Any], name: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """An attempt's concept or misconception rows, each id once: a card marks a concept once, and three
    rows of one id were averaged by the report into a mastery the attempt never had."""
    items = record[name]
    if not isinstance(items, list):
        raise ValueError(f"'{name}' must be a list")
    rows = [_child(item, names, name, index) for index, item in enumerate(items)]
    first: dict[str, int] = {}
    for index, row in enumerate(rows):
        if first.setdefault(row["id"], index) != index:
            raise ValueError(f"{name}[{index}]: id {_shown(row['id'])} is listed twice (first in {name}[{first[row['id']]}])")
    return rows


INTERVIEW_REPORT_REFUSED = ("a mock interview's report (as the recovery folder's interviews.jsonl keeps one), not an "
                            "attempt: import takes attempts, as `genco history export` writes them; the interview's "
                            "answers are attempts of their own, kept in the history or in the recovery folder's "
                            "attempts.jsonl, which imports")
"""Said of a record of `genco interview`'s report: its missing fields named were no help."""


def _created_at(value: str) -> str:
    """An ISO 8601 time from 1970 to a year from now (KEPT_AHEAD: a clock set fast): later commands compute
    ages and dates from it."""
    try:
        created = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'created_at' must be an ISO 8601 time, not {_shown(value)}") from None
    stored = normalise_time(created)
    if not within_kept_times(stored):
        raise ValueError(f"'created_at' must be a time from 1970 to a year from now, not {_shown(value)}")
    return stored


def _check_names(record: dict[str, Any]) -> None:
    """The question and depth as a rubric names them: ids, no stray spaces or lines."""
    question, depth = _text(record, "question"), _text(record, "depth")
    if not question.strip() or not depth.strip():
        raise ValueError("'question' and 'depth' must not be empty")
    for name, value in (("question", question), ("depth", depth)):
        if not RUBRIC_ID.fullmatch(value):
            raise ValueError(f"'{name}' must be an id like coroutine-vs-generator (lowercase letters, digits and "
                             f"dashes), not {_shown(value)}")


def attempt_from_json(record: Any) -> Attempt:
    """Validate one export record field by field; raises ValueError naming the field.

    Every value a later command computes with is checked here, so a hand-edited or hostile
    file cannot store an attempt that `report`, `next` or `show` then fail on. What the rubrics
    on the search path say of it (a question, depth or id they lack) is not checked: the attempt
    is the user's history as it was scored, and `history` and `show` read it as the store keeps any other.
    """
    if not isinstance(record, dict):
        raise ValueError(not_an_object(record, "an attempt object"))
    wanted = {f.name for f in fields(Attempt)} - {"id", "grade"}  # exports before graded attempts kept one lack it
    missing = sorted(wanted - set(record))
    if missing and isinstance(record.get("questions"), list) and "answer" not in record:
        raise ValueError(INTERVIEW_REPORT_REFUSED)
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    if record["source"] not in SOURCES:
        raise ValueError(f"'source' must be one of {', '.join(SOURCES)}")
    uid = _text(record, "uid")
    if not UID.fullmatch(uid or ""):
        raise ValueError(f"'uid' must be 32 lowercase hex digits, not {_shown(uid)}")
    _text(record, "answer")
    for name, limit in LABEL_LIMITS.items():
        _label(record, name, limit)
    if len(record["answer"].encode("utf-8", "surrogatepass")) > ANSWER_LIMIT:
        raise ValueError(f"'answer' is longer than the {ANSWER_LIMIT // (1024 * 1024)} MB an answer may have")
    if nothing_to_score(record["answer"]):  # its 0 would drag a trend and mastery down, as it is never kept
        raise ValueError("'answer' holds nothing to score (no letter or digit), and genco keeps no such attempt")
    _check_names(record)
    seconds = None if record["seconds"] is None else _number(record, "seconds", 0, MAX_SECONDS)
    notes = record["notes"]
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise ValueError("'notes' must be a list of strings")
    return Attempt(uid=uid, created_at=_created_at(_text(record, "created_at")), question=record["question"],
                   depth=record["depth"], source=record["source"], seconds=seconds, answer=record["answer"],
                   score=_number(record, "score", 0, 100), model=record["model"],
                   genco_version=record["genco_version"], notes=list(notes),
                   concepts=_children(record, "concepts", CONCEPT_FIELDS),
                   misconceptions=_children(record, "misconceptions", MISCONCEPTION_FIELDS),
                   grade=_grade(record))


def _grade(record: dict[str, Any]) -> dict[str, Any] | None:
    """An interviewer attempt's grade, checked; a learner's attempt has none."""
    value = record.get("grade")
    if value is None:
        return None
    if record["source"] != "interviewer":
        raise ValueError("'grade' belongs to interviewer attempts only")
    grade = check_grade(value)
    grade.pop("replaces", None)  # numbers of the history it came from: here they would name other attempts
    if grade["candidate"] is not None and is_blank(grade["candidate"]):  # as `grade --candidate " "` is refused
        raise ValueError("'grade.candidate' is blank (or only invisible characters): give a name, or null")
    return grade


def _known_rubrics() -> dict[str, Any]:
    from ..rubric import discover

    return {rubric.id: rubric for rubric in discover()}


def parse_export(text: str, name: str, warn: Callable[[str], None] | None = None,
                 held: Callable[[list[str]], set[str]] = lambda uids: set()) -> list[Attempt]:
    """Every line checked before anything is stored, so a bad file imports nothing.

    A last line cut short while it was written (no line break after it, not valid JSON) is
    skipped with a warning: a recovery file appended to on a full disk ends that way. What the
    rubrics on the search path lack is said by `warn` (_warn_unknown), never refused, of the attempts
    whose uids `held` (the history's own, which an import skips) does not give back.
    """
    if text.lstrip("\ufeff \t\r\n").startswith("["):  # an export is one object a line, never a list
        raise InputError(f"{name}: is a JSON list (as `genco history --json` prints), not an export: import reads "
                         "the JSON Lines file `genco history export FILE` writes")
    if _one_object_over_lines(text):
        raise InputError(f"{name}: is one JSON object over several lines (as `genco show N --format json` prints), "
                         "not an export: import reads the JSON Lines file `genco history export FILE` writes, an "
                         "attempt a line")
    read: list[tuple[int, Attempt]] = []
    for number, record in jsonl_records(text, name, torn_last_line=True):
        try:
            read.append((number, attempt_from_json(record)))
        except ValueError as exc:
            raise InputError(f"{name}:{number}: {exc}") from None
    if warn is not None:
        skipped = held([attempt.uid for _, attempt in read])
        _warn_unknown([(number, attempt) for number, attempt in read if attempt.uid not in skipped], name, warn)
    last = text.count("\n") + 1
    if warn is not None and text.strip() and not text.endswith("\n") and last not in {n for n, _ in read} \
            and text.rsplit("\n", 1)[-1].strip():
        warn(f"{name}:{last}: skipped an incomplete last line (cut off while it was written)")
    return [attempt for _, attempt in read]


def _one_object_over_lines(text: str) -> bool:
    """Whether `text` is a single JSON object spread over several lines (an indented one): its first line alone
    is not JSON, and "malformed JSON at line 1, column 2" sent a reader looking for a typo."""
    body = text.lstrip("\ufeff \t\r\n")
    if not body.startswith("{") or "\n" not in body.strip():
        return False
    try:
        return isinstance(decode_json(body), dict)
    except ValueError:  # malformed or hostile: the line reader says where, in its words
        return False


def _warn_unknown(read: list[tuple[int, Attempt]], name: str, warn: Callable[[str], None]) -> None:
    """Say what the rubrics on the search path lack of the attempts `read` (line, attempt): a question or
    depth (a rubric of the user's not on it now, a depth since renamed), in one warning, and a concept or
    misconception id of a rubric edited since, once per id at the first line naming it. Such attempts
    are imported as they were scored: an export is read back exactly."""
    rubrics = _known_rubrics()
    unknown = sorted({f"{a.question} · {a.depth}" for _, a in read
                      if a.depth not in getattr(rubrics.get(a.question), "depth_names", ())})
    if unknown:
        warn(f"{name}: no rubric on the search path has {listed(unknown)}; its attempts are kept all the same: "
             f"`history`, `show` and `report` show them (a candidate's with --source interviewer); "
             f"`next` plans them once that rubric is back "
             f"(for a rubric of your own, set {RUBRICS_ENV} to its folder)")
    missing = list(_unknown_ids(read, rubrics).items())
    for (question, kind, item), number in missing[:MAX_ID_WARNINGS]:
        warn(f"{name}:{number}: the rubric {question} has no {kind} {_shown(item)} (renamed or removed since?); "
             f"the attempts naming it are imported as they were scored")
    if len(missing) > MAX_ID_WARNINGS:
        warn(f"{name}: {len(missing) - MAX_ID_WARNINGS} more concept or misconception ids the rubrics do not have; "
             f"the attempts naming them are imported as they were scored")


MAX_ID_WARNINGS = 10
"""Unknown ids an import names one by one; past them one line counts the rest (a damaged or foreign
export can name thousands)."""


def _unknown_ids(read: list[tuple[int, Attempt]], rubrics: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    """(question, "concept" or "misconception", id) of each id an attempt names that its rubric on the search
    path does not have, with the first line naming it; attempts at a question or depth it lacks are left out."""
    found: dict[tuple[str, str, str], int] = {}
    for number, attempt in read:
        rubric = rubrics.get(attempt.question)
        if rubric is None or attempt.depth not in rubric.depth_names:
            continue
        for kind, rows, known in (("concept", attempt.concepts, {c.id for c in rubric.concepts}),
                                  ("misconception", attempt.misconceptions, {m.id for m in rubric.misconceptions})):
            for row in rows:
                if row["id"] not in known:
                    found.setdefault((attempt.question, kind, row["id"]), number)
    return found


def listed(names: list[str], most: int = 3) -> str:
    """A few names, then how many more."""
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def export_lines(attempts: Iterable[Attempt]) -> Iterator[str]:
    """The export of `attempts`, one JSON Lines record each (`Attempt.to_line`)."""
    for attempt in attempts:
        yield attempt.to_line()
