"""Output that cannot attack its reader: control characters in terminal, Markdown, HTML, JSON and CSV
output, and CSV cells that a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_helpers import invoke as run

from genco_interview.output import clean, csv_cell, dumps, one_line
from genco_interview.progress.store import open_history
from genco_interview.views.console import SafeConsole

from history_helpers import make_attempt

CLEAR_SCREEN = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
HIDDEN_LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
C1_CSI = "\x9b31m"
HOSTILE_TEXT = f"A generator yields.{CLEAR_SCREEN}{CLIPBOARD}{HIDDEN_LINK}{C1_CSI}\r\x08 end"
FORBIDDEN = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n\t"]




def assert_inert(text: str) -> None:
    leaked = sorted({hex(ord(c)) for c in text if c in FORBIDDEN})
    assert not leaked, f"control characters reached the output: {leaked}"


@pytest.fixture
def hostile_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("GENCO_HOME", str(home))
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    attempt = make_attempt(0, answer=HOSTILE_TEXT)
    attempt.concepts[0]["evidence"] = HOSTILE_TEXT
    attempt.notes = [HOSTILE_TEXT]
    with open_history() as store:
        store.add([attempt, make_attempt(1, answer="=HYPERLINK(\"http://evil.example\",\"x\")")])
    return home


def test_clean_removes_c0_c1_and_del_but_keeps_layout() -> None:
    assert clean("a\x1b[31mb\x9b0c\x7fd\n\te\r") == "abd\n\te\n"


def test_clean_removes_whole_escape_sequences_not_just_their_escape() -> None:
    """A name typed with a colour code showed as "Ada[31m": the sequence's printable tail was left."""
    assert clean("Ada\x1b[31m L.\x1b]8;;http://x\x07link\x1b]8;;\x07\x1b(B") == "Ada L.link"
    assert clean("lone\x1b") == "lone"
    assert clean("title \x1b]0;never ended\nnext") == "title 0;never ended\nnext"  # nothing after it is lost
    assert clean("access \u202eresU\u202c level \u2066x\u2069") == "access resU level x"
    assert one_line("first\nsecond\x1b]52;c;x\x07") == "first second"


def test_line_separators_are_line_breaks_to_clean_and_spaces_inside_a_drawn_line() -> None:
    """An answer sent with U+2028 was printed with it by `show` and in `history --format csv`: a character some
    terminals draw and others break the line at, inside a box's border."""
    assert clean("one\u2028two\u2029three") == "one\ntwo\nthree"
    assert clean("old Mac\rWindows\r\nNEL\x85form\x0cend") == "old Mac\nWindows\nNEL\nform\nend"  # "lazily.A coroutine"
    from rich.table import Table

    out = io.StringIO()
    table = Table("answer")
    table.add_row("one\u2028two")
    SafeConsole(file=out, width=40).print(table)
    assert "\u2028" not in out.getvalue() and "two" in out.getvalue()


@pytest.mark.parametrize("cell, expected", [("=1+2", "'=1+2"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                            ("\t=1", "'\t=1"), ("\r=1", "'\n=1"), ("\x1b=1", "1"), ("\x9b=1", "'=1"),
                                            ("plain", "plain"), ("a=b", "a=b"), (42.5, 42.5)])
def test_csv_cells_never_start_a_formula(cell, expected) -> None:
    assert csv_cell(cell) == expected


def test_json_escapes_line_separators_and_c1() -> None:
    text = dumps({"a": "x\u2028y\u2029z\x85w\x9b\x1b\u202e\u200f"})
    assert not any(c in text for c in "\u2028\x85\x9b\x1b\u202e\u200f")  # every control `clean` removes
    assert json.loads(text)["a"] == "x\u2028y\u2029z\x85w\x9b\x1b\u202e\u200f"
    assert len(text.splitlines()) == 1


def test_safe_console_cleans_tables_and_keeps_its_own_colours() -> None:
    from rich.table import Table

    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=True, color_system="standard", width=80)
    table = Table("answer")
    table.add_row(HOSTILE_TEXT)
    console.print(table)
    console.print(f"[red]{HOSTILE_TEXT}[/red]", markup=True)
    text = out.getvalue()
    assert "\x1b[31m" in text  # genco's own colour still works
    for sequence in (CLEAR_SCREEN, "\x1b]52", "\x1b]8;", "\x9b"):
        assert sequence not in text


@pytest.mark.parametrize("argv", [["history"], ["show", "1"], ["report"], ["report", "--format", "markdown"],
                                  ["report", "--format", "html"], ["history", "--format", "csv"],
                                  ["history", "--format", "json"], ["show", "1", "--format", "json"],
                                  ["report", "--format", "json"], ["history", "export", "-"]],
                         ids=" ".join)
def test_history_outputs_carry_no_control_characters(hostile_home: Path, argv: list[str]) -> None:
    result = run(*argv)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)
    assert_inert(result.stderr)


@pytest.mark.parametrize("argv", [["history"], ["show", "1"], ["report"], ["report", "--format", "markdown"],
                                  ["report", "--format", "html"]], ids=" ".join)
def test_history_views_drop_an_escape_sequence_whole(hostile_home: Path, argv: list[str]) -> None:
    """`show` and `history` left a sequence's text on screen ("52;c;ZWNo..."): rich drops the ESC alone."""
    result = run(*argv)
    assert result.exit_code == 0, result.output
    assert "ZWNobyBwd25lZA" not in result.stdout and "8;;https" not in result.stdout


def test_history_csv_neutralises_formulas(hostile_home: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("history", "--format", "csv").stdout)))
    assert any(r["answer"] == "'=HYPERLINK(\"http://evil.example\",\"x\")" for r in rows)
    assert all(not r["answer"].startswith(("=", "+", "-", "@")) for r in rows)


def test_report_file_carries_no_control_characters(hostile_home: Path, tmp_path: Path) -> None:
    for fmt in ("text", "markdown", "html"):
        out = tmp_path / f"report.{fmt}"
        assert run("report", "--format", fmt, "--out", str(out)).exit_code == 0
        assert_inert(out.read_text(encoding="utf-8"))


def test_errors_stay_on_one_line_without_controls(hostile_home: Path) -> None:
    result = run("show", f"nope\n{CLEAR_SCREEN}")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert_inert(result.stderr)


def test_a_rubric_text_with_escape_sequences_is_refused_in_one_inert_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from genco_interview.rubric import find

    source = Path(find("coroutine-vs-generator").path).read_text(encoding="utf-8")
    folder = tmp_path / "rubrics"
    folder.mkdir()
    hostile = source.replace("id: coroutine-vs-generator", "id: hostile-sheet", 1).replace(
        "title: Coroutines vs generators in Python", 'title: "Coroutines\\e[2J\\e]52;c;eA==\\a vs generators"', 1)
    hostile = "\n".join(line for line in hostile.splitlines() if not line.startswith("calibration:"))
    (folder / "hostile-sheet.yaml").write_text(hostile, encoding="utf-8")
    monkeypatch.setenv("GENCO_RUBRICS", str(folder))
    for fmt in ("text", "markdown", "html"):
        result = run("rubric", "show", "hostile-sheet", "--format", fmt)
        assert result.exit_code == 1, result.output
        assert "title: holds a control character (U+001B)" in result.stderr and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1
        assert_inert(result.stderr)
    listed = run("rubric", "list")
    assert listed.exit_code == 0 and "coroutine-vs-generator" in listed.stdout
    assert_inert(listed.stdout + listed.stderr)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_grade_carries_no_control_characters(real_model_cli, hostile_home: Path, tmp_path: Path, fmt: str) -> None:
    transcript = tmp_path / "transcript.txt"
    transcript.write_text(HOSTILE_TEXT + "\nA coroutine is awaited by the event loop.", encoding="utf-8")
    result = run("grade", "-d", "quick", "--answer-file", str(transcript), "--candidate", f"Eve{CLEAR_SCREEN}",
                 "--note", f"said {CLIPBOARD} aloud", "--format", fmt, "--no-save")
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)


@pytest.mark.slow
def test_score_card_carries_no_control_characters(real_model_cli, hostile_home: Path) -> None:
    result = run("score", "-d", "quick", "--answer", HOSTILE_TEXT + " A generator is driven by a for loop.", "--no-save")
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)


@pytest.mark.parametrize(("db", "said"), [(Path("./file:x.db"), "./file:x.db"), (Path("./-"), "./-"),
                                          (Path(":memory:"), "./:memory:"), (Path("h.db"), "h.db")])
def test_a_suggested_command_names_the_history_as_db_takes_it(db: Path, said: str) -> None:
    """`history --db ./file:x.db` suggested `genco show N --db file:x.db`, which --db refuses as a URI."""
    from genco_interview.output import genco_command

    assert genco_command("show 1", db) == f"genco show 1 --db {said}"


@pytest.mark.parametrize("text", ["plain.db", "a b.db", "it's.db", "q/nl\nname.db", "a  b.db", "tab\there", "x\\y\x1b[31m",
                                  "é\u2028ü"])
def test_a_suggested_commands_word_is_the_same_text_to_a_shell_printed_on_one_line(text: str) -> None:
    """`--db 'q/nl name.db'`: the newline printed as a space named another file, which an import then made."""
    import subprocess

    from genco_interview.output import one_line, shell_word

    word = shell_word(text)
    assert one_line(word) == word
    said = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, check=True).stdout
    assert said.decode("utf-8") == text
