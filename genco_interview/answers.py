"""Reading answers from files, stdin and JSON Lines, and keeping drafts safe.

Every failure here becomes an InputError with a one-line message naming the file (and line),
because the person reading it is about to fix that file.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Iterator

HOME_ENV = "GENCO_HOME"


class InputError(ValueError):
    """Unusable input; the message is one line and names where the problem is."""


@dataclass(frozen=True)
class BatchAnswer:
    id: str
    answer: str


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")  # a leading BOM (Windows editors) is not part of the answer
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None


@contextmanager
def read_errors(path: str) -> Iterator[None]:
    """What goes wrong opening or reading `path`, as a one-line InputError naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_text(path: str) -> str:
    """Read a whole answer from a file, or from stdin when the path is '-'."""
    if path == "-":
        return _decode(sys.stdin.buffer.read(), "<stdin>")
    with read_errors(path):
        data = Path(path).read_bytes()
    return _decode(data, path)


def _json_value(line: str, number: int, name: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}:{number}: malformed JSON ({exc.msg})") from None


def jsonl_records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value) for each non-blank line; bad JSON names the file and line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, _json_value(line, number, name)


def batch_answer(record: Any, number: int, name: str) -> BatchAnswer:
    """One batch line's {"id": ..., "answer": ...}; the id defaults to the line number."""
    if not isinstance(record, dict):
        raise InputError(f"{name}:{number}: expected an object like {{\"id\": ..., \"answer\": ...}}")
    answer = record.get("answer")
    if not isinstance(answer, str):
        raise InputError(f"{name}:{number}: field 'answer' must be a string")
    return BatchAnswer(id=str(record.get("id", number)), answer=answer)


def parse_jsonl(text: str, name: str) -> list[BatchAnswer]:
    """One {"id": ..., "answer": ...} object per line; blank lines are skipped, ids default to line numbers."""
    answers = [batch_answer(record, number, name) for number, record in jsonl_records(text, name)]
    if not answers:
        raise InputError(f"{name}: no answers in the file")
    return answers


def stream_jsonl(handle: BinaryIO, name: str) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value) for each non-blank line, read one line at a time.

    A batch can be larger than memory should hold, so it is never read whole; lines end at
    b"\n" only, as JSON Lines defines them.
    """
    for number, raw in enumerate(handle, start=1):
        line = _decode(raw, f"{name}:{number}")
        if line.strip():
            yield number, _json_value(line, number, name)


def stream_batch(handle: BinaryIO, name: str) -> Iterator[BatchAnswer]:
    """The answers of a batch file, one line at a time."""
    for number, record in stream_jsonl(handle, name):
        yield batch_answer(record, number, name)


def genco_home() -> Path:
    """Where genco keeps user files: $GENCO_HOME, else the platform's user data directory."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("genco", appauthor=False))


def save_draft(text: str) -> Path:
    """Keep an interrupted answer; falls back to the temp directory so a draft is never lost."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for directory in (genco_home() / "drafts", Path(os.environ.get("TMPDIR", "/tmp"))):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / f"genco-draft-{stamp}.txt"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise InputError("could not save the draft anywhere; it is printed below:\n" + text)
