"""Reading answers from files, stdin and JSON Lines, and keeping drafts safe.

Every failure here becomes an InputError with a one-line message naming the file (and line),
because the person reading it is about to fix that file.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from .errors import GencoError, UsageProblem, json_kind, line_and_column, quoted
from .paths import DRAFT_NOTES, drafts_dir, fixed_temp_dir, genco_home, is_private_dir, is_unnamed, private_temp_dir
from .text.spelling import one_edit_apart


class InputError(GencoError, ValueError):
    """Unusable input; the message is one line and names where the problem is."""


class NotTextInput(InputError):
    """A file read for text that is none as a whole (UTF-16, a database): said once, not of each line."""


class DatabaseInput(NotTextInput):
    """A file read for text that is an SQLite database (a history, most likely), named as one rather than
    as text that is not UTF-8; a command that knows what the person meant says more (`history import`)."""


@dataclass(frozen=True)
class BatchAnswer:
    """One batch row. `question` and `depth` are None when the row leaves them to the command line."""

    id: str
    answer: str
    question: str | None = None
    depth: str | None = None
    line: int = 0


ANSWER_LIMIT = 4 * 1024 * 1024
"""Bytes read for one answer or transcript: far past the 20,000 characters that are scored, far
short of what /dev/zero or a mistaken 50 MB file would cost to read whole."""
FILE_LIMIT = 256 * 1024 * 1024
"""Bytes read for a JSON Lines file (batches, histories); no line may exceed ANSWER_LIMIT."""
FIFO_WAIT_SECONDS = 10.0
"""How long a named pipe may stay silent before reading it is given up (nobody writing to it)."""
SQLITE_MAGIC = b"SQLite format 3\x00"
"""How every SQLite database file starts."""


def decode_text(data: bytes, name: str, first_line: int = 1, torn_end: bool = False) -> str:
    """An answer file's bytes as text: UTF-8, a leading byte order mark dropped. With `torn_end` (a file
    appended to line by line, which a full disk or a killed process may cut anywhere), a character cut
    short at the very end is dropped, for the torn last line to be told as one (jsonl_records).

    Raises InputError naming `name`, the line (counted from `first_line`: a batch decodes line by line)
    and the first bad byte of that line when the bytes are not UTF-8 (a rubric said only "byte 50"), and
    saying so when they are UTF-16 or UTF-32 (wide_text), which plain English in those reads as UTF-8
    with a NUL after each letter: it scored 0 and was kept."""
    if wide_text(data):
        raise NotTextInput(f"{name}: not valid UTF-8 (it looks like UTF-16 or UTF-32, as some Windows tools save "
                           "text); save the file as UTF-8")
    try:
        return data.decode("utf-8-sig")  # a leading BOM (Windows editors) is not part of the answer
    except UnicodeDecodeError as exc:
        if torn_end and exc.reason == "unexpected end of data" and exc.end == len(data):
            return decode_text(data[:exc.start], name, first_line)
        line, column = line_and_column(data, exc.start)
        raise InputError(f"{name}:{first_line + line - 1}: not valid UTF-8 (byte {column} of the line); "
                         "save the file as UTF-8") from None


def wide_text(data: bytes) -> bool:
    """Whether bytes read as UTF-16 or UTF-32 text: a byte order mark of either, or NUL bytes at every
    other (or every fourth) place of the first ones, as Latin letters have in them and UTF-8 text never does."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return True
    head = data[:64]
    return len(head) >= 4 and any(not any(head[start::2]) for start in (0, 1))


def _size_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"


def _read_bounded(stream: BinaryIO, name: str, limit: int, line_limit: int | None,
                  chunks: list[bytes] | None = None) -> bytes:
    """At most `limit` bytes, in chunks, failing as soon as the input is too large or a line too long.

    Reading in chunks keeps memory at the limit for endless inputs (/dev/zero, a pipe that never
    ends) and lets a line with no end fail after one line's worth instead of the whole limit.
    `chunks`, when given, receives what is read as it arrives: what an interrupt would otherwise lose.
    """
    chunks = [] if chunks is None else chunks
    read = getattr(stream, "read1", stream.read)  # what a pipe has sent so far, not a wait for the whole chunk
    total = 0
    since_newline = 0
    while True:
        chunk = read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total - len(chunk) < len(SQLITE_MAGIC) <= total:  # its start is read: before a size says nothing useful
            _refuse_a_database(b"".join(chunks), name)
        if total > limit:
            raise InputError(f"{name}: larger than {_size_text(limit)}; genco reads at most that much")
        if line_limit is not None:
            since_newline, longest = _line_lengths(chunk, since_newline)
            if longest > line_limit:
                raise InputError(f"{name}: a line is longer than {_size_text(line_limit)}; genco reads lines up to that")


def _line_lengths(chunk: bytes, since_newline: int) -> tuple[int, int]:
    """(bytes after the chunk's last newline, counting those before it when it has none; the longest line of
    the chunk so far, the one it ends counted from `since_newline`): a line ending in a later chunk passed
    with only its last chunk counted, so a line up to a chunk past the limit went through."""
    first = chunk.find(b"\n")
    if first < 0:
        return since_newline + len(chunk), since_newline + len(chunk)
    last = chunk.rfind(b"\n")
    inner = max((len(line) for line in chunk[first + 1:last].split(b"\n")), default=0) if last > first else 0
    return len(chunk) - last - 1, max(since_newline + first, inner, len(chunk) - last - 1)


def _refuse_a_database(head: bytes, name: str) -> None:
    """DatabaseInput when `head`, the start of a file, is an SQLite database's."""
    if head.startswith(SQLITE_MAGIC):
        raise DatabaseInput(f"{name}: is an SQLite database (a genco history?), not a text file")


def _wait_for_writer(path: Path, name: str) -> int:
    """Open a named pipe without hanging: wait a bounded time for a writer and for data."""
    import select

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    ready, _, _ = select.select([fd], [], [], FIFO_WAIT_SECONDS)
    if not ready:
        os.close(fd)
        raise InputError(f"{name}: a named pipe nobody wrote to in {FIFO_WAIT_SECONDS:g} s; start the writer first")
    os.set_blocking(fd, True)
    return fd


def _open_for_reading(path: str) -> BinaryIO:
    """A file, device or pipe opened for reading; only a regular file or pipe is accepted."""
    target = Path(path)
    mode = target.stat().st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(path)
    if stat.S_ISFIFO(mode) and not path.startswith("/dev/fd/") and not path.startswith("/proc/"):
        return os.fdopen(_wait_for_writer(target, path), "rb")
    return target.open("rb")


EMPTY_FILE_NAME = "the file name is empty: give a file, or '-' to read standard input"


def _check_named(path: str) -> None:
    """A usage error (UsageProblem, EMPTY_FILE_NAME) for a file name that names nothing (paths.is_unnamed)."""
    if is_unnamed(path):
        raise UsageProblem(EMPTY_FILE_NAME)

"""An empty path names no file (a shell variable that was never set); Path('') would be the working folder."""


def read_text(path: str, limit: int = ANSWER_LIMIT, line_limit: int | None = None,
              received: list[bytes] | None = None, torn_end: bool = False) -> str:
    """Read a whole answer from a file, or from stdin when the path is '-'; bounded in size and time.
    An empty or blank path is a usage error (_check_named). `received` gets stdin's bytes as they arrive,
    so a caller interrupted while a pipe is still open can keep them; `torn_end` as decode_text."""
    _check_named(path)
    if path == "-":
        if sys.stdin is None:
            raise InputError(f"{input_name('-')}: standard input is closed; pass a file instead of '-'")
        return decode_text(_read_bounded(sys.stdin.buffer, input_name("-"), limit, line_limit, received), input_name("-"),
                           torn_end=torn_end)
    with read_errors(path), _open_for_reading(path) as stream:
        return decode_text(_read_bounded(stream, path, limit, line_limit), path, torn_end=torn_end)


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
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def spool_bounded(stream: BinaryIO, name: str, spool: BinaryIO, limit: int = FILE_LIMIT) -> None:
    """Copy a stream (stdin, a pipe, a batch file read twice) into `spool`, failing past `limit` bytes, or
    with an InputError naming the temporary folder when the copy cannot be written (a full disk there was
    reported as genco's output failing)."""
    total = 0
    while chunk := stream.read(1024 * 1024):
        total += len(chunk)
        if total > limit:
            raise InputError(f"{name}: larger than {_size_text(limit)}; genco reads at most that much")
        _spooled(name, lambda: spool.write(chunk))
    _spooled(name, lambda: spool.seek(0))  # what the buffer still holds is written here


def _spooled(name: str, step: Callable[[], object]) -> None:
    """A write to the temporary copy of `name` (spool_bounded), its failure an InputError naming the folder."""
    try:
        step()
    except OSError as exc:
        import tempfile

        raise InputError(f"{name}: cannot keep a copy of it in the temporary folder {tempfile.gettempdir()} "
                         f"({exc.strerror or exc}); free some space there, or set TMPDIR to a folder with room") from None


def open_for_reading(path: str) -> BinaryIO:
    """A file or pipe opened for binary reading, with the one-line errors of `read_errors`."""
    _check_named(path)
    with read_errors(path):
        return _open_for_reading(path)


def input_name(path: str) -> str:
    """How an error names an input file: "<stdin>" for '-', as Python names standard input, else its path."""
    return "<stdin>" if path == "-" else path


def read_jsonl_text(path: str) -> str:
    """A JSON Lines file ('-' for stdin), bounded as a whole and line by line."""
    return read_text(path, limit=FILE_LIMIT, line_limit=ANSWER_LIMIT)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines split at \\n only (and a \\r before it): U+2028, U+0085 and friends are text inside a JSON string."""
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line[:-1] if line.endswith("\r") else line


class _DuplicateKey(ValueError):
    """An object that names one key twice: JSON parsers keep either value, so the line is ambiguous."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for key, item in pairs:
        if key in value:
            raise _DuplicateKey(f"the key {quoted(key)} appears twice; keep one")
        value[key] = item
    return value


MAX_JSON_DIGITS = 4300
"""Digits of a JSON integer decode_json reads: Python's own limit for converting text to int (its
default `sys.get_int_max_str_digits()`), whose error speaks of interpreter settings; a shorter huge
number reaches the field that holds it, which names what it must be."""


def decode_json(line: str) -> Any:
    """One JSON value (a line of a batch file, the web API's body); every way hostile text can
    fail (malformed, nested too deeply, a lone surrogate escape, NaN, a key given twice, which
    parsers resolve differently, a number too large to be finite) becomes ValueError with a short
    reason, never RecursionError or a value that cannot be encoded."""
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not a JSON number")

    def whole(number: str) -> int:  # Python refuses over 4,300 digits, with a message about its own settings
        digits = len(number.lstrip("-"))
        if digits > MAX_JSON_DIGITS:
            raise ValueError(f"a JSON number of {digits:,} digits; at most {MAX_JSON_DIGITS:,} are read")
        return int(number)

    def finite(number: str) -> float:  # 1e999 is Infinity by another name
        value = float(number)
        if not math.isfinite(value):
            raise ValueError(f"{number if len(number) <= 30 else number[:12] + '…' + number[-8:]} is too large a JSON number")
        return value

    try:
        value = json.loads(line, parse_constant=refuse, parse_float=finite, parse_int=whole, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise ValueError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON ({_json_problem(exc)})") from None
    except RecursionError:
        raise ValueError("malformed JSON (nested too deeply)") from None
    except ValueError as exc:
        raise ValueError(f"malformed JSON ({str(exc).split(':')[0]})") from None
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("malformed JSON (a lone surrogate escape, not a character)") from None
    return value


def _json_problem(exc: json.JSONDecodeError) -> str:
    """Python's reason with the column it names ("Invalid control character at" ended there), and a raw
    control character named with the escape JSON writes it as: a tab pasted into an answer is the usual one."""
    if exc.msg.startswith("Invalid control character") and not exc.doc[exc.pos:].strip():
        return "a string left open at the end of the line"  # the line's own break read as inside it
    if exc.msg.startswith("Invalid control character") and exc.pos < len(exc.doc):
        escape = json.dumps(exc.doc[exc.pos])[1:-1]
        return f"a raw control character U+{ord(exc.doc[exc.pos]):04X} at column {exc.colno}; write it as {escape}"
    return f"{exc.msg.removesuffix(' at')} at column {exc.colno}" if exc.colno > 1 else exc.msg.removesuffix(" at")


def _looks_cut_off(line: str) -> bool:
    """A JSON object that stops before its end: it opens with a brace, is a syntax error, and has no
    closing brace to end on, or the parser runs past its end (one cut after a nested object's brace).
    A line of plain text is no cut-off object: a one-line answer file given to `history import` was
    "skipped" and 0 attempts imported, exit 0. Nor is a whole line with a typo before its last brace
    ("..., }" in a file an editor saved without a final line break), nor a whole object with something
    after it ("},", a DOS end-of-file byte): each was skipped, exit 0."""
    if not line.lstrip().startswith("{"):
        return False
    try:
        json.JSONDecoder().raw_decode(line.lstrip())  # a whole object, then something more ("},", "} x"): no cut
    except json.JSONDecodeError as exc:  # a string running to the end was cut inside it ('... {"a": 1}')
        return (not line.rstrip().endswith("}") or exc.pos >= len(line.strip())
                or exc.msg.startswith("Unterminated string"))
    except (ValueError, RecursionError):
        return False
    return False


def jsonl_records(text: str, name: str, torn_last_line: bool = False) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value) for each non-blank line; a bad line names the file and line.

    With torn_last_line, a last line that is not valid JSON and has no line break after it is
    skipped: an append cut short (a full disk, a killed process) leaves exactly that.
    """
    lines = list(_lines(text))
    for number, line in lines:
        if not line.strip():
            continue
        try:
            value = decode_json(line)
        except ValueError as exc:
            if torn_last_line and number == len(lines) and _looks_cut_off(line):
                return
            raise InputError(f"{name}:{number}: {exc}{_not_json_lines(exc, line)}") from None
        yield number, value


def _json_value(line: str, number: int, name: str) -> Any:
    """One line's JSON value, or a one-line InputError naming the file and line; a line that is no JSON
    object at all (a CSV file's header row, plain text) is told what a line must be."""
    try:
        return decode_json(line)
    except ValueError as exc:
        raise InputError(f"{name}:{number}: {exc}{_not_json_lines(exc, line)}") from None


def _not_json_lines(problem: ValueError, line: str) -> str:
    """NOT_JSON_LINES after a line that is no JSON object at all (a CSV file's header row, plain text), else
    nothing: a broken object's own message says enough."""
    return NOT_JSON_LINES if str(problem).startswith("malformed JSON") and not line.lstrip().startswith("{") else ""


NOT_JSON_LINES = "; the file must be JSON Lines: one JSON object a line"


def not_an_object(value: Any, like: str) -> str:
    """The problem of a JSON Lines line that holds a value but no object, for the error naming its line:
    what it got and what a line must be. A one-column CSV file's header ("answer", in quotes) is a JSON
    string, and was told only "expected a JSON object"."""
    return f"expected {like}, got {json_kind(value)}{NOT_JSON_LINES}"


def lower_name(value: str | None) -> str | None:
    """A question id or depth name as typed, in lower case (None stays None): both are written in lower
    case (rubric.RUBRIC_ID, rubric.DEPTH_NAME), so "Quick" and "QUICK" are the quick depth."""
    return value.lower() if value is not None else None


BATCH_LINE = 'an object like {"id": ..., "answer": ...}'
"""What a line of a batch to score holds."""
BATCH_KEYS = ("id", "answer", "question", "depth")
SPELLED_KEYS = ("answer", "question", "depth")
"""The batch keys one letter off which a key is refused ("answr", "qustion", "deph"): "id" is one letter off too
many words."""
FIELDS_OF_THEIR_OWN = ("questions",)
"""Keys one letter off a batch key that labeled files hold as fields of their own (how many questions an answer
covers), never refused."""


def refuse_near_misses(record: dict, where: str, fields: Sequence[str], spelled: Sequence[str]) -> None:
    """InputError for a key of `record` that is one of `fields` with other capitals ("Answer", "Overall"), or one
    letter off one of `spelled` ("answr", "overal", "depths"): read as an extra key, what it holds would count for
    nothing without a word (a batch scored "answer" beside "Answer"). Other extra keys ("notes", "uid", and
    FIELDS_OF_THEIR_OWN) are kept out."""
    for key in record:
        if key in fields:
            continue
        meant = next((known for known in fields if key.lower() == known), None) or next(
            (known for known in spelled if one_edit_apart(key.lower(), known) and key.lower() not in FIELDS_OF_THEIR_OWN),
            None)
        if meant:
            raise InputError(f"{where}: unknown field {key!r}; did you mean {meant!r}?")


def batch_answer(record: Any, number: int, name: str) -> BatchAnswer:
    """One batch line's {"id": ..., "answer": ...}, with optional "question" and "depth" strings
    (a labeled file's rows carry them); the id, a string or a whole number, defaults to the line
    number (so does `"id": null`)."""
    if not isinstance(record, dict):
        raise InputError(f"{name}:{number}: {not_an_object(record, BATCH_LINE)}")
    refuse_near_misses(record, f"{name}:{number}", BATCH_KEYS, SPELLED_KEYS)
    fields = {}
    if "answer" not in record:
        raise InputError(f"{name}:{number}: missing field 'answer'")
    for field in ("answer", "question", "depth"):
        value = record.get(field)
        if (value is not None or field == "answer") and not isinstance(value, str):
            raise InputError(f"{name}:{number}: field '{field}' must be a string")
        fields[field] = value if field == "answer" else lower_name(value)
    return BatchAnswer(id=answer_id(record, f"{name}:{number}", number), line=number, **fields)


def answer_id(record: dict, where: str, number: int) -> str:
    """A batch or labeled line's "id" as text: a string or a whole number, else the line `number` (so does
    `"id": null`); InputError naming `where` (file:line) for anything else. `genco eval` read {"a": 1} as the
    id "{'a': 1}", where `score --input` refused that very line."""
    ident = record.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, str | int)):
        shown = f", not {ident!r}" if isinstance(ident, float) and math.isfinite(ident) and abs(ident) < 1e15 else ""
        raise InputError(f"{where}: field 'id' must be a string or an integer written without a decimal point{shown}")
    return str(number if ident is None else ident)


def parse_jsonl(text: str, name: str) -> list[BatchAnswer]:
    """One {"id": ..., "answer": ...} object per line; blank lines are skipped, ids default to line numbers."""
    answers = [batch_answer(record, number, name) for number, record in jsonl_records(text, name)]
    if not answers:
        raise InputError(f"{name}: no answers in the file")
    return answers


def stream_jsonl(handle: BinaryIO, name: str, problems: list[InputError] | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value) for each non-blank line, read one line at a time.

    A batch can be larger than memory should hold, so it is never read whole; lines end at
    b"\n" only, as JSON Lines defines them. A line that is no JSON, or not UTF-8, raises InputError, or with
    `problems` given is added to it and skipped, so that a check can say every bad line at once; a line
    longer than ANSWER_LIMIT ends the reading there (what follows its first part is no line of its own), and
    a file that is no text as a whole (NotTextInput: an SQLite database, UTF-16) always raises.
    """
    for number, raw in enumerate(iter(lambda: handle.readline(ANSWER_LIMIT + 1), b""), start=1):
        if number == 1:
            _refuse_a_database(raw, name)
        if len(raw.rstrip(b"\r\n")) > ANSWER_LIMIT:
            with _collected(problems):
                raise InputError(f"{name}:{number}: a line is longer than {_size_text(ANSWER_LIMIT)}; "
                                 "genco reads lines up to that")
            return
        with _collected(problems):
            line = decode_text(raw, name, first_line=number)
            if line.strip():
                yield number, _json_value(line, number, name)


def stream_batch(handle: BinaryIO, name: str, problems: list[InputError] | None = None) -> Iterator[BatchAnswer]:
    """The answers of a batch file, one line at a time; a bad line raises InputError, or with `problems`
    given is added to it and skipped (stream_jsonl)."""
    for number, record in stream_jsonl(handle, name, problems):
        with _collected(problems):
            yield batch_answer(record, number, name)


@contextmanager
def _collected(problems: list[InputError] | None) -> Iterator[None]:
    """An InputError raised inside is added to `problems` and stops there, when `problems` is given, unless
    it is said of the whole file (NotTextInput)."""
    try:
        yield
    except InputError as problem:
        if problems is None or isinstance(problem, NotTextInput):
            raise
        problems.append(problem)


class _CutShort(OSError):
    """A draft's write that failed partway (a full disk): `path` holds its first `done` bytes, `piece` is the
    piece that failed; the pieces after it are not read yet."""

    def __init__(self, cause: OSError, path: Path, done: int, piece: bytes) -> None:
        super().__init__(cause.errno, cause.strerror)
        self.path, self.done, self.piece = path, done, piece

    def carried(self, rest: Iterator[bytes]) -> Iterator[bytes]:
        """Every piece the draft was given, again: what reached `path`, read back, the failed piece, then `rest`."""
        with open(self.path, "rb") as kept:
            left = self.done
            while left > 0 and (chunk := kept.read(min(left, 1024 * 1024))):
                left -= len(chunk)
                yield chunk
        yield self.piece
        yield from rest


def _new_private_file(directory: Path, stem: str, pieces: Iterator[bytes]) -> Path:
    """Write each of `pieces` as it comes (the rest of an input too long to hold comes last) to a new file in
    `directory` that only this user can read, named stem.txt (or stem-2.txt, ... when taken). The file is
    created, never replaced nor followed if a symlink. A write that fails partway raises _CutShort and leaves
    what it wrote, for the caller to carry elsewhere (the pieces read so far cannot be read again: stdin);
    any other failure removes the file rather than leave half a draft."""
    for attempt in range(1, 100):
        path = directory / (f"{stem}.txt" if attempt == 1 else f"{stem}-{attempt}.txt")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            continue
        done = 0
        try:
            for piece in pieces:
                try:
                    _write_every_byte(fd, piece)
                except OSError as exc:
                    raise _CutShort(exc, path, done, piece) from exc
                done += len(piece)
            os.fsync(fd)
        except _CutShort:
            raise
        except OSError:
            path.unlink(missing_ok=True)
            raise
        finally:
            os.close(fd)
        return path
    raise FileExistsError(f"{directory}: every name for {stem} is taken")


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd` (os.write may take fewer at a time) and flush them to disk,
    so a record written before a crash or a full disk is either whole or reported. Raises OSError."""
    _write_every_byte(fd, data)
    os.fsync(fd)


def _write_every_byte(fd: int, data: bytes) -> None:
    """os.write until all of `data` is written (it may take fewer bytes at a time). Raises OSError."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


DRAFT_PREFIX = "genco-draft-"
DRAFT_NAME_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A question id or depth name (rubric.model.RUBRIC_ID): never "--", never a path, so a draft's name
genco-draft-QUESTION--DEPTH--STAMP.txt reads back as the question and depth it answers."""
_DRAFT_NAME = re.compile(rf"{DRAFT_PREFIX}(?P<question>{DRAFT_NAME_PART.pattern})--(?P<depth>{DRAFT_NAME_PART.pattern})"
                         r"--[\d-]+\.txt")
"""A draft's name that says which question and depth it answers (save_draft)."""
DRAFT_NAMED_MAX = 160
"""Characters of question and depth a draft's name holds at most (a file name is at most 255 bytes);
the draft of a longer pair is kept under a plain name, and not offered back."""


def kept_draft(path: str, question: str, depth: str) -> Path | None:
    """The file `path` names when it is a draft genco kept (a genco-draft-* file in the home's
    drafts folder or this user's folder in the temp directory) of an answer to `question` at `depth`
    (or under a plain name, which says of no question), else None."""
    named = Path(path)
    if not named.name.startswith(DRAFT_PREFIX):
        return None
    answers = _DRAFT_NAME.fullmatch(named.name)
    if answers is not None and (answers["question"], answers["depth"]) != (question, depth):
        return None
    folder = os.path.realpath(named.parent)
    kept_in = [genco_home() / "drafts", fixed_temp_dir()]
    return named if any(place is not None and os.path.realpath(place) == folder for place in kept_in) else None


def remove_scored_draft(draft: Path, answer: str) -> bool:
    """Remove a draft whose answer is now in the history, and its note of the history (note_draft_history);
    only while the file still holds exactly that answer (one changed while it was scored is kept). True when
    it was removed."""
    try:
        if draft.read_bytes() != answer.encode("utf-8", "surrogateescape"):
            return False
        draft.unlink()
    except OSError:
        return False
    with suppress(OSError):
        _history_note(draft).unlink(missing_ok=True)
    return True


@dataclass(frozen=True)
class DraftHistory:
    """Where the attempt of a draft's answer was to be kept: a history file (its absolute path), the
    default one (None), or none (`no_save`)."""

    db: str | None
    no_save: bool = False


def note_draft_history(draft: Path, history: DraftHistory) -> None:
    """Keep beside a learner's draft where its attempt was to be kept, so that a later command offering
    the draft back names that history (draft_history), not its own: a draft typed for one history was
    offered with the --db of the command running then, and scoring it kept it there. Best effort: a
    note that cannot be written leaves the offer naming the default history."""
    data = json.dumps({"db": history.db, "no_save": history.no_save}).encode("utf-8", "surrogateescape")
    note = _history_note(draft)
    with suppress(OSError):
        note.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            write_all(fd, data)
        finally:
            os.close(fd)


def draft_history(draft: Path) -> DraftHistory:
    """Where a draft's attempt was to be kept (note_draft_history); the default history when no note
    says (a draft kept before notes were, or one whose note is unreadable)."""
    try:
        note = _history_note(draft)
        if note.is_symlink() or note.stat().st_size > HISTORY_NOTE_LIMIT:
            return DraftHistory(None)
        value = json.loads(note.read_bytes().decode("utf-8", "surrogateescape"))
    except (OSError, ValueError):
        return DraftHistory(None)
    db, no_save = (value.get("db"), value.get("no_save")) if isinstance(value, dict) else (None, None)
    if not isinstance(no_save, bool) or not (db is None or isinstance(db, str) and db):
        return DraftHistory(None)
    return DraftHistory(db, no_save)


HISTORY_NOTE_LIMIT = 65536
"""Bytes a draft's note of its history may have: more is no note genco wrote."""


def _history_note(draft: Path) -> Path:
    """The file holding a draft's history: in the home's `draft-notes` folder for a draft in the home's drafts
    folder, so that folder holds answers alone (a user opens it to go on with one); in a `draft-notes` folder
    beside a draft kept elsewhere (the private temp folder, when the home could not be written: its note was
    lost with the home, and the draft offered for the default history)."""
    home_drafts = genco_home() / "drafts"
    in_home = os.path.realpath(draft.parent) == os.path.realpath(home_drafts)
    return (genco_home() if in_home else draft.parent) / DRAFT_NOTES / f"{draft.name}.json"


def save_draft(text: str, question: str | None = None, depth: str | None = None,
               more: Iterable[bytes] = ()) -> Path:
    """Keep an interrupted answer where only this user can read it: the home's drafts folder, else a
    private folder in the temp directory, so a draft is never lost. A draft of the learner's answer to
    `question` at `depth` is named after them (genco-draft-QUESTION--DEPTH--STAMP.txt), so that a
    later practice of that question and depth can offer it back (`waiting_drafts`).

    Never a predictable name in the shared temp directory itself: another user could make it in
    advance, or as a symlink to a file of theirs, and read or redirect the answer. `more` are bytes
    written after the text as they are read (the rest of an answer too long to hold in memory).
    """
    stamp = datetime.now().strftime('%Y%m%d-%H%M%S-%f')
    named = (question is not None and depth is not None and len(question) + len(depth) <= DRAFT_NAMED_MAX
             and all(DRAFT_NAME_PART.fullmatch(part) for part in (question, depth)))
    stem = f"{DRAFT_PREFIX}{question}--{depth}--{stamp}" if named else f"{DRAFT_PREFIX}{stamp}"
    data = text.encode("utf-8", "surrogateescape")  # bytes typed in a C locale go back as they were typed
    pieces: Iterator[bytes] = chain([data], more)
    cut: _CutShort | None = None  # a folder that filled up partway: its part is carried to the next folder
    try:
        for folder in (drafts_dir, private_temp_dir):
            try:
                return _new_private_file(folder(), stem, pieces if cut is None else cut.carried(pieces))
            except _CutShort as again:
                if cut is not None:  # the last folder filled up too: nowhere is left to carry either part
                    cut.path.unlink(missing_ok=True)
                cut = again
            except OSError:
                continue
    finally:
        if cut is not None:
            with suppress(OSError):
                cut.path.unlink(missing_ok=True)
    raise InputError("could not save the draft anywhere; it is printed below:\n" + text)


def waiting_drafts(question: str, depth: str, besides: str | None = None) -> list[Path]:
    """The drafts of answers to `question` at `depth` still waiting to be scored (save_draft named
    them so), newest first, in the home's drafts folder and this user's private temp folder; the
    file `besides` names (the draft being scored now) is left out, and so is a file holding nothing
    to score (an editor's or a full disk's: nothing waits in it, and scoring it would not remove it).
    Reads folders only: nothing is made, and a folder that cannot be read has none."""
    if not all(DRAFT_NAME_PART.fullmatch(part) for part in (question, depth)):
        return []
    left_out = os.path.realpath(besides) if besides else None
    found: list[Path] = []
    for folder in _draft_folders():
        try:
            candidates = sorted(folder.glob(f"{DRAFT_PREFIX}{question}--{depth}--*.txt"))
        except OSError:
            continue
        found += [path for path in candidates if path.is_file() and not path.is_symlink()
                  and os.path.realpath(path) != left_out and _has_content(path)]
    return sorted(found, key=lambda path: path.name.rpartition("--")[2], reverse=True)


def _has_content(path: Path) -> bool:
    """Whether a draft holds something to score; a small one is read to tell (blanks, a byte order
    mark or a zero-width space alone are no answer), a large one is taken to."""
    try:
        size = path.stat().st_size
        return size > SMALL_DRAFT or (size > 0 and not nothing_to_score(path.read_bytes().decode("utf-8", "replace")))
    except OSError:
        return False


SMALL_DRAFT = 4096
"""Bytes up to which a waiting draft is read to see whether it holds anything (waiting_drafts)."""


def _draft_folders() -> list[Path]:
    """Where save_draft keeps drafts: the home's drafts folder, and this user's fixed folder in the
    temp directory when it is theirs alone (a folder another user made there is not read)."""
    folders = [genco_home() / "drafts"]
    fixed = fixed_temp_dir()
    with suppress(OSError):
        if fixed is not None and is_private_dir(fixed):
            folders.append(fixed)
    return folders


def only_points_to_a_page(answer: str) -> bool:
    """Whether an answer with nothing to score (nothing_to_score) holds a link: it has words, those of a link,
    and is told that it only points to a page rather than that it has no words."""
    from .text.segment import LINK

    return LINK.search(answer) is not None


def nothing_to_score(answer: str, candidate: str | None = None, transcript: bool = False) -> bool:
    """Whether an answer holds nothing the scorer reads: not one letter or digit (in any script), or
    empty once invisible characters, the interviewer's lines and empty code fences are gone. Such an
    answer is never kept: its 0 says nothing about the learner and would drag their trend and
    mastery down. Control characters, combining marks, a braille blank or punctuation alone say nothing.
    `candidate` and `transcript` read a transcript pasted to grade as grading does (text.reading.candidate_lines)."""
    from .text.reading import normalise_answer
    from .text.segment import segment

    # segment reads no unit from text without a letter or digit
    return not segment(normalise_answer(answer, candidate, transcript)).units
