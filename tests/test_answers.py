"""Reading answers from files, stdin and JSON Lines; saving drafts."""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from genco_interview import answers
from genco_interview.answers import BatchAnswer, InputError, parse_jsonl, read_text, save_draft, waiting_drafts
from genco_interview.paths import genco_home


def _one_line(error: pytest.ExceptionInfo[InputError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


# --- read_text ---------------------------------------------------------------------------------


def test_read_text_reads_utf8(tmp_path: Path) -> None:
    path = tmp_path / "answer.md"
    path.write_text("A coroutine is awaited — once.\n", encoding="utf-8")
    assert read_text(str(path)) == "A coroutine is awaited — once.\n"


def test_read_text_drops_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    path.write_bytes(b"\xef\xbb\xbfA generator yields.")
    assert read_text(str(path)) == "A generator yields."


def test_read_text_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    with pytest.raises(InputError) as caught:
        read_text(str(path))
    assert _one_line(caught) == f"{path}: no such file"


def test_read_text_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_text(str(tmp_path))
    assert _one_line(caught) == f"{tmp_path}: is a directory, not a file"


@pytest.mark.parametrize(
    ("data", "byte"),
    [(b"caf\xe9 au lait", "1: not valid UTF-8 (byte 4 of the line)"), (b"ok\n\x80", "2: not valid UTF-8 (byte 1 of the line)"),
     ("caf\u00e9".encode("cp1252"), "1: not valid UTF-8 (byte 4 of the line)")],
)
def test_read_text_invalid_utf8(tmp_path: Path, data: bytes, byte: str) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_text(str(path))
    message = _one_line(caught)
    assert message == f"{path}:{byte}; save the file as UTF-8"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_a_file_saved_as_utf16_or_utf32_is_named_as_one(tmp_path: Path, encoding: str) -> None:
    """Notepad's "Unicode" and PowerShell's `>` save UTF-16: "not valid UTF-8 (byte 0)" left the user to
    guess why, and without a byte order mark plain English read as UTF-8 with NULs, scored 0 and was kept."""
    path = tmp_path / "answer.txt"
    path.write_bytes("A generator yields many values; a coroutine is awaited.".encode(encoding))
    with pytest.raises(InputError) as caught:
        read_text(str(path))
    assert _one_line(caught) == (f"{path}: not valid UTF-8 (it looks like UTF-16 or UTF-32, as some Windows tools "
                                 "save text); save the file as UTF-8")


def test_read_text_names_an_sqlite_database_as_one(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)))
    with pytest.raises(InputError) as caught:
        read_text(str(path))
    assert _one_line(caught) == f"{path}: is an SQLite database (a genco history?), not a text file"


def test_read_text_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Both suspend.\n")))
    assert read_text("-") == "Both suspend.\n"


def test_read_text_invalid_utf8_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xe9t\xe9")))
    with pytest.raises(InputError) as caught:
        read_text("-")
    assert _one_line(caught).startswith("<stdin>:1: not valid UTF-8 (byte 1 of the line)")


# --- parse_jsonl ---------------------------------------------------------------------------------


def test_parse_jsonl_reads_ids_and_answers() -> None:
    text = '{"id": "a1", "answer": "A generator yields."}\n{"id": 7, "answer": "A coroutine awaits."}\n'
    assert parse_jsonl(text, "in.jsonl") == [
        BatchAnswer(id="a1", answer="A generator yields.", line=1),
        BatchAnswer(id="7", answer="A coroutine awaits.", line=2),
    ]


def test_parse_jsonl_skips_blank_lines_and_defaults_ids_to_line_numbers() -> None:
    text = '{"answer": "first"}\n\n   \n{"id": "x", "answer": "second"}\r\n{"answer": "third", "extra": 1}\n\n'
    batch = parse_jsonl(text, "in.jsonl")
    assert [(b.id, b.answer) for b in batch] == [("1", "first"), ("x", "second"), ("5", "third")]


def test_parse_jsonl_reads_a_null_id_as_none_given_and_refuses_ids_of_other_kinds() -> None:
    assert parse_jsonl('{"id": null, "answer": "x"}', "in.jsonl")[0].id == "1"  # the line number, not "None"
    assert parse_jsonl('{"id": 7, "answer": "x"}', "in.jsonl")[0].id == "7"
    for bad in ("true", "1.5", "[1]", '{"a": 1}'):
        with pytest.raises(InputError, match=r"in.jsonl:1: field 'id' must be a string or an integer written without"):
            parse_jsonl('{"id": ' + bad + ', "answer": "x"}', "in.jsonl")
    with pytest.raises(InputError, match=r"without a decimal point, not 1\.0$"):  # 1.0 is whole, but not an integer to JSON
        parse_jsonl('{"id": 1.0, "answer": "x"}', "in.jsonl")


def test_parse_jsonl_keeps_empty_answers() -> None:
    assert parse_jsonl('{"answer": ""}', "in.jsonl") == [BatchAnswer(id="1", answer="", line=1)]


def test_parse_jsonl_malformed_line_names_the_line() -> None:
    text = '{"answer": "ok"}\n\n{"answer": "missing quote}\n{"answer": "fine"}\n'
    with pytest.raises(InputError) as caught:
        parse_jsonl(text, "answers.jsonl")
    assert _one_line(caught).startswith("answers.jsonl:3: malformed JSON (")
    assert "JSON Lines" not in _one_line(caught)  # a broken object's own message says enough


@pytest.mark.parametrize(("line", "problem"), [
    ('{"answer": "a\tb"}', "a raw control character U+0009 at column 14; write it as \\t"),
    ('{"answer": "a\x00b"}', "a raw control character U+0000 at column 14; write it as \\u0000"),
    ('{"answer": "ab', "Unterminated string starting at column 12"),
    ('{"answer" "ab"}', "Expecting ':' delimiter at column 11"),
])
def test_a_malformed_line_says_where_and_what(line: str, problem: str) -> None:
    """"malformed JSON (Invalid control character at)" ended there: no column, and no word of the raw tab
    a pasted answer holds."""
    with pytest.raises(InputError) as caught:
        parse_jsonl(line + "\n", "in.jsonl")
    assert _one_line(caught) == f"in.jsonl:1: malformed JSON ({problem})"


def test_a_file_that_is_no_json_lines_says_what_a_line_must_be() -> None:
    """A CSV file given to `history import` (or a batch) said only "rows.csv:1: malformed JSON (Expecting value)"."""
    with pytest.raises(InputError) as caught:
        parse_jsonl("id,answer\n1,Generators yield.\n", "rows.csv")
    assert _one_line(caught) == ("rows.csv:1: malformed JSON (Expecting value); the file must be JSON Lines: one JSON "
                                 "object a line")


@pytest.mark.parametrize("line", ['["a", "list"]', '"just a string"', "42", "null"])
def test_parse_jsonl_non_object_line(line: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_jsonl('{"answer": "ok"}\n' + line + "\n", "answers.jsonl")
    assert _one_line(caught).startswith("answers.jsonl:2: expected an object")


@pytest.mark.parametrize(
    ("line", "problem"), [('{"id": "a"}', "missing field 'answer'"),
                          # a field in other capitals or one letter off, even beside the right one: "Answer" was never read
                          ('{"Answer": "x"}', "unknown field 'Answer'; did you mean 'answer'?"),
                          ('{"answer": "x", "Answer": "y"}', "unknown field 'Answer'; did you mean 'answer'?"),
                          ('{"answr": "x"}', "unknown field 'answr'; did you mean 'answer'?"),
                          ('{"answer": "x", "deph": "deep"}', "unknown field 'deph'; did you mean 'depth'?"),
                          ('{"answer": "x", "qustion": "q"}', "unknown field 'qustion'; did you mean 'question'?"),
                          ('{"answer": 42}', "field 'answer' must be a string"),
                          ('{"answer": null}', "field 'answer' must be a string"),
                          ('{"answer": ["a", "b"]}', "field 'answer' must be a string")]
)
def test_parse_jsonl_missing_or_non_string_answer(line: str, problem: str) -> None:
    """Said as `eval` says it of a labeled file: a missing field is missing, not of the wrong type."""
    with pytest.raises(InputError) as caught:
        parse_jsonl("\n" + line, "answers.jsonl")
    assert _one_line(caught) == f"answers.jsonl:2: {problem}"


@pytest.mark.parametrize("text", ["", "\n", "  \n\n\t\n"])
def test_parse_jsonl_empty_file(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_jsonl(text, "empty.jsonl")
    assert _one_line(caught) == "empty.jsonl: no answers in the file"


# --- drafts --------------------------------------------------------------------------------------


def test_genco_home_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path))
    assert genco_home() == tmp_path


def test_save_draft_writes_under_genco_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path))
    first = save_draft("A generator yields.\nA coroutine awaits.")
    second = save_draft("another")
    assert first.parent == tmp_path / "drafts"
    assert first.read_text(encoding="utf-8") == "A generator yields.\nA coroutine awaits."
    assert first != second and second.read_text(encoding="utf-8") == "another"


def test_a_draft_is_named_after_the_question_and_depth_it_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """So that a later practice of them finds it; any other name (a path, say) gives a plain draft."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path))
    older, newer = save_draft("first", "q-one", "quick"), save_draft("second", "q-one", "quick")
    save_draft("another depth", "q-one", "deep")
    save_draft("no question")
    assert older.name.startswith("genco-draft-q-one--quick--") and older.read_text(encoding="utf-8") == "first"
    assert waiting_drafts("q-one", "quick") == [newer, older]
    assert waiting_drafts("q-one", "quick", besides=str(newer)) == [older]
    assert waiting_drafts("q", "quick") == waiting_drafts("one", "quick") == []
    for blank in (b"", b"\xef\xbb\xbf \n\t", "\u200b".encode()):  # emptied, or blank: nothing waits in it
        newer.write_bytes(blank)
        assert waiting_drafts("q-one", "quick") == [older]
    odd = save_draft("kept all the same", "../q-one", "quick")
    assert odd.parent == tmp_path / "drafts" and "q-one" not in odd.name
    assert waiting_drafts("../q-one", "quick") == []


def test_a_draft_cut_short_by_a_full_disk_is_kept_whole_in_the_next_folder(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The home's drafts folder filling up partway: the private temp folder took the pieces not written yet,
    and the draft kept lacked what had reached the full one (a megabyte from its middle, a line cut in two)."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    write = answers._write_every_byte
    room = {"left": 25}

    def filling_up(fd: int, data: bytes) -> None:  # the home's disk takes 25 bytes, half a piece, then is full
        if "home" in os.readlink(f"/proc/self/fd/{fd}"):
            if len(data) > room["left"]:
                write(fd, data[:room["left"]])
                room["left"] = 0
                raise OSError(28, "No space left on device")
            room["left"] -= len(data)
        write(fd, data)

    monkeypatch.setattr(answers, "_write_every_byte", filling_up)
    more = (f"line {n}\n".encode() for n in range(10))
    draft = save_draft("first line\n", "q-one", "quick", more)
    assert draft.parent.parent == tmp_path / "tmp"
    assert draft.read_text(encoding="utf-8") == "first line\n" + "".join(f"line {n}\n" for n in range(10))
    assert list((tmp_path / "home" / "drafts").iterdir()) == []  # the part left there is gone


@pytest.fixture
def shared_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home genco cannot write (a file where the folder should be) and a temp directory of the test's own."""
    blocked = tmp_path / "home"
    blocked.write_text("a file where the directory should be", encoding="utf-8")
    monkeypatch.setenv("GENCO_HOME", str(blocked))
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(shared))
    return shared


def _private(path: Path) -> bool:
    return not stat.S_IMODE(path.stat().st_mode) & 0o077


def test_save_draft_falls_back_to_a_private_temp_folder(shared_tmp: Path) -> None:
    path = save_draft("keep me")
    assert path.parent == shared_tmp / f"genco-{os.getuid()}"
    assert path.read_text(encoding="utf-8") == "keep me"
    assert _private(path.parent) and _private(path)


def test_a_draft_kept_in_the_temp_folder_keeps_its_history_there(shared_tmp: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Its note went to the home it could not be written to either: the draft, offered whatever the home, was
    offered for the default history, its --no-save or --db dropped."""
    from genco_interview.answers import DraftHistory, draft_history, note_draft_history, remove_scored_draft

    draft = save_draft("keep me", "coroutine-vs-generator", "quick")
    note_draft_history(draft, DraftHistory(None, no_save=True))
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "writable"))  # a later command, under a home that works
    assert draft_history(draft) == DraftHistory(None, no_save=True)
    assert remove_scored_draft(draft, "keep me") and not any((draft.parent / "draft-notes").iterdir())


def test_save_draft_never_writes_through_a_trap_in_the_shared_temp(shared_tmp: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user can make the predictable names in advance: the folder as a symlink to theirs,
    the draft's own name as a symlink to a file of theirs. Neither is written through."""
    monkeypatch.setattr(answers, "datetime", _FrozenClock)
    victim_dir = tmp_path / "theirs"
    victim_dir.mkdir()
    victim_file = tmp_path / "their-file"
    victim_file.write_text("theirs", encoding="utf-8")
    (shared_tmp / f"genco-{os.getuid()}").symlink_to(victim_dir)
    (shared_tmp / f"genco-draft-{_FrozenClock.STAMP}.txt").symlink_to(victim_file)
    path = save_draft("keep me")
    assert path.read_text(encoding="utf-8") == "keep me" and _private(path.parent) and _private(path)
    assert path.parent.parent == shared_tmp and not path.parent.is_symlink()
    assert list(victim_dir.iterdir()) == [] and victim_file.read_text(encoding="utf-8") == "theirs"


def test_save_draft_never_replaces_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path))
    monkeypatch.setattr(answers, "datetime", _FrozenClock)
    first = save_draft("first")
    second = save_draft("second")
    assert first != second and first.parent == second.parent == tmp_path / "drafts"
    assert first.read_text(encoding="utf-8") == "first" and second.read_text(encoding="utf-8") == "second"
    assert _private(first) and _private(second)


class _FrozenClock:
    """datetime whose now() never moves: every draft asks for the same name."""

    STAMP = "20260301-091500-123456"

    @staticmethod
    def now() -> datetime:
        return datetime(2026, 3, 1, 9, 15, 0, 123456)


@pytest.mark.parametrize(("data", "too_long"), [
    (b"a" * 10 + b"\nb", True),  # the long line ends inside the chunk: it was measured from its newline on
    (b"ab\n" + b"c" * 10 + b"\nd", True),  # a long line between two newlines of one chunk
    (b"abc\nde\nf", False),
    (b"a" * 5 + b"\n" + b"b" * 5, False),  # lines of exactly the limit
])
def test_a_line_past_the_limit_is_refused_wherever_it_ends(data: bytes, too_long: bool) -> None:
    """A 5 MB line of a labeled file passed `eval`'s 4 MB line limit, since only the bytes after its chunk's
    last newline were counted; `score --input` refused the same file."""
    def read() -> bytes:
        return answers._read_bounded(io.BytesIO(data), "f.jsonl", limit=100, line_limit=5)

    if too_long:
        with pytest.raises(answers.InputError, match="a line is longer than"):
            read()
    else:
        assert read() == data


def test_a_line_over_several_chunks_is_measured_whole() -> None:
    class Trickle(io.BytesIO):
        def read1(self, size: int = -1) -> bytes:
            return super().read1(min(size, 3))

    with pytest.raises(answers.InputError, match="a line is longer than"):
        answers._read_bounded(Trickle(b"aaaa" + b"aaaa\nb"), "f.jsonl", limit=100, line_limit=5)
    assert answers._read_bounded(Trickle(b"aaaaa\nbbbbb\n"), "f.jsonl", limit=100, line_limit=5) == b"aaaaa\nbbbbb\n"
