"""What the user typed and stored survives: output paths that would destroy the history, backups
that must read back, records that must be checked, files that are not genco's, a read-only home."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest
from cli_helpers import invoke as run
from click.testing import Result

from genco_interview.answers import InputError, jsonl_records
from genco_interview.progress import recovery
from genco_interview.progress import store as history
from genco_interview.progress.database import HistoryError
from genco_interview.progress.recovery import RECOVERY_NAME, recovery_path, write_recovery
from genco_interview.progress.schema import APPLICATION_ID
from genco_interview.progress.store import open_history
from genco_interview.progress.transfer import export_lines, parse_export, read_export

from history_helpers import make_attempt, progress_attempts
from test_fuzz_cli import device_node
from test_history import read_only  # noqa: F401  (fixture)

SEPARATORS = "line\u2028para\u2029next\x85end"




def cli():
    from genco_interview.cli import cli as command

    return command


def one_error(result: Result, *fragments: str, code: int = 1, opening: str = "") -> str:
    """The one stderr line of a failed command (exit `code`), its command named and then `opening`,
    holding every fragment."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and re.match(r"genco [a-z][a-z -]*: " + re.escape(opening), lines[0]), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- output paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("argv", [["history", "export"], ["report", "--out"], ["report", "--format", "html", "--out"]],
                         ids=" ".join)
def test_output_onto_the_history_is_refused(filled: Path, argv: list[str], suffix: str) -> None:
    before = snapshot(filled.parent)
    one_error(run(*argv, str(filled) + suffix), "history file")
    assert snapshot(filled.parent) == before


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_no_output_folder_is_made_under_a_history_files_name(filled: Path, suffix: str) -> None:
    """A folder named like the history's journal would make the history unusable."""
    before = snapshot(filled.parent)
    for argv in (["report", "--out"], ["history", "export"]):
        one_error(run(*argv, f"{filled}{suffix}/sub/report.md"), "history file")
    assert snapshot(filled.parent) == before
    assert not any(p.is_dir() and p.name.startswith(filled.name) for p in filled.parent.iterdir())


def test_a_failed_write_leaves_no_folder_behind_and_a_folder_name_is_refused(filled: Path, tmp_path: Path) -> None:
    one_error(run("report", "--out", str(tmp_path / "new" / ("a" * 300 + ".md"))), "cannot write")
    assert not (tmp_path / "new").exists()
    one_error(run("report", "--out", f"{tmp_path / 'reports'}/"), "names a folder; give a file name")
    assert not (tmp_path / "reports").exists()


def test_an_output_path_whose_folder_is_missing_twice_over_is_refused(filled: Path, tmp_path: Path) -> None:
    """A mistyped path ("/nonexistent/dir/x.jsonl") made every folder on it, wherever it pointed; a file's
    own missing folder is still made (`rubric new my-question --out my-rubrics`)."""
    one_error(run("history", "export", str(tmp_path / "typo" / "dir" / "x.jsonl")), "no folder", "create it first")
    assert not (tmp_path / "typo").exists()
    assert run("history", "export", str(tmp_path / "exports" / "x.jsonl")).exit_code == 0
    assert (tmp_path / "exports" / "x.jsonl").is_file()


def test_no_folder_is_made_through_a_dangling_link(filled: Path, tmp_path: Path) -> None:
    """`report --out link` with the link pointing into a missing folder made that folder, wherever it was;
    a link to a new file in a folder that exists is written as before."""
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "elsewhere" / "x.md")
    one_error(run("report", "--out", str(dangling)), "is a link to", "whose folder does not exist")
    assert not (tmp_path / "elsewhere").exists()
    fresh = tmp_path / "fresh"
    fresh.symlink_to(tmp_path / "written.md")
    assert run("report", "--out", str(fresh)).exit_code == 0
    assert (tmp_path / "written.md").is_file()


@pytest.mark.parametrize("argv", [["history", "export"], ["report", "--out"], ["report", "--format", "html", "--out"],
                                  ["rubric", "from-answer", "--question", "What is x?", "--answer", "X holds a value.",
                                   "--out"],
                                  ["calibrate", "coroutine-vs-generator", "graded.jsonl", "--out"]],
                         ids=" ".join)
@pytest.mark.parametrize("name", ["", "  "], ids=["empty", "blank"])
def test_an_empty_output_file_name_is_refused(filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              argv: list[str], name: str) -> None:
    """Not standard output (report), not the current folder (a path library reads '' as '.')."""
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    one_error(run(*argv, name), "the file name '", "' is empty; give a file name", "(see genco ", code=2)
    assert snapshot(tmp_path) == before


def test_rubric_new_refuses_an_empty_folder_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    one_error(run("rubric", "new", "my-question", "--out", ""), "the folder name '' is empty", code=2)
    assert not any(tmp_path.iterdir())


def test_report_out_dash_is_stdout(filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("report", "--format", "markdown", "--out", "-")
    assert result.exit_code == 0 and "### Concepts to work on" in result.stdout
    assert not (tmp_path / "-").exists()


def test_output_onto_a_symlink_to_the_history_is_refused(filled: Path, tmp_path: Path) -> None:
    link = tmp_path / "backup.jsonl"
    link.symlink_to(filled)
    before = filled.read_bytes()
    one_error(run("history", "export", str(link)), "history file")
    assert filled.read_bytes() == before and link.is_symlink()


def test_output_onto_another_genco_history_is_refused(filled: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with open_history(other) as store:
        store.add([make_attempt(0)])
    before = other.read_bytes()
    one_error(run("history", "export", str(other)), "SQLite database")
    assert other.read_bytes() == before


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_output_onto_the_companion_of_another_database_is_refused(filled: Path, tmp_path: Path, suffix: str) -> None:
    """Not only the history in use: writing over another database's write-ahead log corrupts it and
    loses the attempts it has not yet checkpointed, even with --force."""
    other = tmp_path / "other.sqlite3"
    with open_history(other) as store:
        store.add([make_attempt(0)])
    before = snapshot(tmp_path)
    one_error(run("history", "export", str(other) + suffix, "--force"), "belongs to the SQLite database")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_output_onto_a_device_or_fifo_is_refused(filled: Path, tmp_path: Path, kind: str) -> None:
    target = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target = device_node(tmp_path)
    one_error(run("report", "--out", str(target)), "not a regular file")
    assert target.exists() and not target.is_file()


def test_output_through_a_symlink_writes_its_target_and_keeps_permissions(filled: Path, tmp_path: Path) -> None:
    real = tmp_path / "private.jsonl"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert run("history", "export", str(link), "--force").exit_code == 0
    assert link.is_symlink() and len(real.read_text(encoding="utf-8").splitlines()) == len(progress_attempts())
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.jsonl"
    assert run("history", "export", str(fresh)).exit_code == 0
    assert not stat.S_IMODE(fresh.stat().st_mode) & 0o077
    assert not list(tmp_path.glob("*.partial"))


def test_an_export_never_replaces_a_file_without_force(filled: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.jsonl"
    backup.write_text("last week's backup\n", encoding="utf-8")
    one_error(run("history", "export", str(backup)), f"{backup} exists; pass --force to overwrite it")
    assert backup.read_text(encoding="utf-8") == "last week's backup\n"
    assert run("history", "export", str(backup), "--force").exit_code == 0
    assert len(backup.read_text(encoding="utf-8").splitlines()) == len(progress_attempts())


# --- JSON Lines split by \n only ---------------------------------------------------------------------


def test_line_separators_inside_answers_survive_export_and_import(home: Path, tmp_path: Path) -> None:
    with open_history() as store:
        store.add([make_attempt(0, answer=SEPARATORS)])
    backup = tmp_path / "backup.jsonl"
    assert run("history", "export", str(backup)).exit_code == 0
    assert len(backup.read_text(encoding="utf-8").splitlines()) == 1
    result = run("history", "import", str(backup), "--db", str(tmp_path / "copy.sqlite3"))
    assert result.exit_code == 0, result.output
    with open_history(tmp_path / "copy.sqlite3") as store:
        assert [a.answer for a in store.attempts()] == [SEPARATORS]


def test_reader_splits_on_newline_only() -> None:
    raw = json.dumps({"answer": SEPARATORS}, ensure_ascii=False) + "\r\n" + '{"answer": "b"}\n'
    assert [r["answer"] for _, r in jsonl_records(raw, "x")] == [SEPARATORS, "b"]


def test_recovery_file_keeps_line_separators(home: Path) -> None:
    path = write_recovery([make_attempt(0, answer=SEPARATORS)])
    assert [a.answer for a in parse_export(path.read_text(encoding="utf-8"), str(path))] == [SEPARATORS]


# --- the recovery file ---------------------------------------------------------------------------------


def test_torn_last_line_is_skipped_with_a_warning(home: Path, tmp_path: Path) -> None:
    whole = "".join(export_lines([make_attempt(0, answer="kept")]))
    torn = tmp_path / "attempts.jsonl"
    torn.write_text(whole + whole[: len(whole) // 2], encoding="utf-8")
    result = run("history", "import", str(torn))
    assert result.exit_code == 0, result.output
    assert "incomplete last line" in result.stderr and len(result.stderr.splitlines()) == 1
    with open_history() as store:
        assert [a.answer for a in store.attempts()] == ["kept"]


@pytest.mark.parametrize("cut_after", ['{\\"a\\": 1}', "caf\u00e9"], ids=["a brace inside a string", "inside a character"])
def test_a_line_torn_inside_a_string_or_a_character_is_skipped(home: Path, tmp_path: Path, cut_after: str) -> None:
    """A recovery file cut just after a brace in a code answer ("Unterminated string"), or inside a character
    of two bytes, was refused as malformed: nothing imported, the whole lines before it included."""
    kept = "".join(export_lines([make_attempt(0, answer="kept")]))
    code = "".join(export_lines([make_attempt(1, answer='def f():\n    return {"a": 1}  # caf\u00e9 and more')]))
    data = (kept + code).encode("utf-8")
    end = data.index(cut_after.encode("utf-8"), len(kept.encode("utf-8"))) + len(cut_after.encode("utf-8"))
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(data[:end - (1 if cut_after.endswith("\u00e9") else 0)])
    result = run("history", "import", str(torn))
    assert result.exit_code == 0 and "incomplete last line" in result.stderr, result.output
    with open_history() as store:
        assert [a.answer for a in store.attempts()] == ["kept"]


@pytest.mark.parametrize("cut", [-1, -12], ids=["before its last brace", "mid-value"])
def test_a_whole_last_line_with_a_typo_is_malformed_not_torn(home: Path, tmp_path: Path, cut: int) -> None:
    """A last line ending "..., }" without a line break (as editors save) was "cut off while it was written":
    skipped, the rest imported, exit 0. It is whole: the import refuses it, naming the line."""
    whole = "".join(export_lines([make_attempt(0, answer="kept")]))
    for ending in (", }", "},", "} x", "}\x1a"):  # a typo, or a whole object with something after it
        typo = tmp_path / "typo.jsonl"
        typo.write_text(whole + whole.rstrip("\n")[:-1] + ending, encoding="utf-8")
        result = run("history", "import", str(typo))
        assert result.exit_code == 1 and "typo.jsonl:2" in result.stderr and "malformed JSON" in result.stderr, \
            (ending, result.output)
    torn = tmp_path / "torn.jsonl"  # a line cut short still is one
    torn.write_text(whole + whole.rstrip("\n")[:cut], encoding="utf-8")
    assert run("history", "import", str(torn)).exit_code == 0


@pytest.mark.parametrize("text", ["A generator yields values lazily.", "a", "\U0001F600", "生成器"])
def test_a_line_of_plain_text_is_no_torn_export(home: Path, tmp_path: Path, text: str) -> None:
    """An answer file without a final line break given to `history import` was "an incomplete last line,
    skipped": 0 attempts imported, exit 0. Only a line that opens an object can be one cut short."""
    answer = tmp_path / "answer.txt"
    answer.write_text(text, encoding="utf-8")
    result = run("history", "import", str(answer))
    assert result.exit_code == 1 and "malformed JSON" in result.stderr, result.output


def test_appending_after_a_torn_line_starts_a_new_line(home: Path) -> None:
    path = write_recovery([make_attempt(0, answer="first")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"uid": "cut sh')
    write_recovery([make_attempt(1, answer="second")])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["answer"] == "second" and len(lines) == 3


def test_a_failed_append_leaves_no_partial_record(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_recovery([make_attempt(0, answer="first")])
    before = path.read_bytes()
    real_write = os.write

    def full_disk(fd: int, data) -> int:
        real_write(fd, bytes(data[:10]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    monkeypatch.setattr(recovery, "private_temp_dir", lambda: path.parent / "nowhere" / "x")
    (path.parent / "nowhere").write_text("a file, so no folder can be made under it")
    with pytest.raises(HistoryError, match="lost"):
        write_recovery([make_attempt(1, answer="second")])
    assert path.read_bytes() == before


def test_recovery_falls_back_to_a_private_folder(home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("a file where the home folder should be")
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(shared))
    hijacked = shared / f"genco-{os.getuid()}"
    hijacked.symlink_to(tmp_path)  # another user's trap
    path = write_recovery([make_attempt(0, answer="kept")])
    assert path.parent != hijacked and path.parent.parent == shared
    assert not stat.S_IMODE(path.parent.stat().st_mode) & 0o077
    assert not stat.S_IMODE(path.stat().st_mode) & 0o077
    assert not (tmp_path / RECOVERY_NAME).exists()


def test_homes_that_fall_back_to_the_shared_folder_keep_apart(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every home's default history wrote to one attempts.jsonl in the user's temp folder, and importing it
    as genco said took other homes' attempts into this one's history."""
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(shared))
    written = {}
    for name in ("a", "b"):
        home = tmp_path / name
        home.write_text("a file where the home folder should be")
        monkeypatch.setenv("GENCO_HOME", str(home))
        written[name] = write_recovery([make_attempt(0, answer=f"kept in {name}")])
        assert written[name] == write_recovery([make_attempt(1, answer=f"more in {name}")])
    assert written["a"] != written["b"] and written["a"].parent == written["b"].parent
    assert [json.loads(line)["answer"] for line in written["b"].read_text(encoding="utf-8").splitlines()] == [
        "kept in b", "more in b"]


def test_a_recovery_file_that_could_not_be_written_is_not_left_empty(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    def full_disk(fd: int, data) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    monkeypatch.setattr(recovery, "private_temp_dir", lambda: tmp_path / "unwritable" / "x")
    (tmp_path / "unwritable").write_text("a file, so no folder can be made under it")
    with pytest.raises(HistoryError, match="lost"):
        write_recovery([make_attempt(0, answer="first")])
    assert not recovery_path().exists()


# --- import checks every field -----------------------------------------------------------------------


def _record(**changes) -> str:
    data = make_attempt(0).to_json()
    for key, value in changes.items():
        if key.startswith("concept_"):
            data["concepts"][0][key[len("concept_"):]] = value
        else:
            data[key] = value
    return json.dumps(data)


@pytest.mark.parametrize("changes", [{"question": "my-own", "concept_id": "mine"}, {"depth": "bottomless"}],
                         ids=["question-not-on-the-search-path", "depth-since-renamed"])
def test_an_attempt_at_a_rubric_not_on_the_search_path_is_imported_with_a_warning(filled: Path, tmp_path: Path,
                                                                                   changes: dict) -> None:
    """A recovery file or an export is the user's history: an attempt at a rubric of theirs that is not on
    GENCO_RUBRICS now, or at a depth since renamed, is kept (the store holds such attempts anyway), and the
    commands that read the history still run."""
    exported = tmp_path / "mine.jsonl"
    exported.write_text(_record(uid="b" * 32, **changes) + "\n", encoding="utf-8")
    done = run("history", "import", str(exported))
    assert done.exit_code == 0 and "imported 1" in done.stdout, done.output
    assert "no rubric on the search path has " in done.stderr and "set GENCO_RUBRICS" in done.stderr
    for argv in (["history"], ["show", "last"], ["report"], ["next"], ["history", "export", "-"]):
        assert run(*argv).exit_code == 0, argv
    asked = changes.get("question")  # a filter that matches none of its attempts is no unknown question
    for argv in ([["report", "-q", asked, "--since", "2099-01-01"], ["history", "-q", asked, "--since", "2099-01-01"],
                  ["report", "-q", asked, "-d", "deep", "--format", "json"]] if asked else []):
        listed = run(*argv)
        assert listed.exit_code == 0 and "unknown question" not in listed.stderr, (argv, listed.output)
    again = run("history", "import", str(exported))  # every attempt skipped: nothing to warn of
    assert again.exit_code == 0 and "imported 0" in again.stdout and again.stderr == "", again.output


def test_an_attempt_naming_an_id_its_rubric_no_longer_has_is_imported_as_scored(filled: Path, tmp_path: Path) -> None:
    """A concept or misconception renamed or removed in the user's rubric since: the export still imports
    whole (the other attempts too), with one warning per id at the first line naming it."""
    first = json.loads(_record(uid="c" * 32, concept_id="renamed"))
    first["misconceptions"] = [{"id": "gone", "description": "d", "correction": "c", "penalty": 5.0,
                                "similarity": 0.7, "evidence": "e"}]
    second = json.loads(_record(uid="d" * 32, concept_id="renamed"))
    exported = tmp_path / "backup.jsonl"
    exported.write_text("".join(json.dumps(r) + "\n" for r in (first, second)), encoding="utf-8")
    db = tmp_path / "new.sqlite3"
    done = run("history", "import", str(exported), "--db", str(db))
    assert done.exit_code == 0 and "imported 2 attempts" in done.stdout, done.output
    warnings = done.stderr.splitlines()
    assert [w for w in warnings if 'concept "renamed"' in w] == [
        f'genco history import: {exported}:1: the rubric coroutine-vs-generator has no concept "renamed" (renamed or removed '
        'since?); the attempts naming it are imported as they were scored'], warnings
    assert sum('misconception "gone"' in w for w in warnings) == 1
    for argv in (["history"], ["show", "1"], ["report"], ["next"]):
        assert run(*argv, "--db", str(db)).exit_code == 0, argv
    again = run("history", "export", "-", "--db", str(db)).stdout
    assert [json.loads(line)["concepts"][0]["id"] for line in again.splitlines()] == ["renamed", "renamed"]


def test_an_import_naming_thousands_of_unknown_ids_warns_of_ten_and_counts_the_rest(filled: Path, tmp_path: Path) -> None:
    """One line per unknown id printed 20,000 lines for a foreign export: ten are named, one line counts the rest."""
    record = json.loads(_record(uid="e" * 32))
    record["concepts"] = [{**record["concepts"][0], "id": f"c{i}"} for i in range(25)]
    exported = tmp_path / "foreign.jsonl"
    exported.write_text(json.dumps(record) + "\n", encoding="utf-8")
    done = run("history", "import", str(exported), "--db", str(tmp_path / "new.sqlite3"))
    assert done.exit_code == 0 and "imported 1 attempt" in done.stdout, done.output
    warnings = done.stderr.splitlines()
    assert sum("has no concept" in w for w in warnings) == 10
    assert warnings[-1].endswith(f"{exported}: 15 more concept or misconception ids the rubrics do not have; "
                                 "the attempts naming them are imported as they were scored"), warnings


@pytest.mark.parametrize("line, fragment", [
    (_record(concept_score="high"), "'concepts[0]: 'score' must be a number"),
    (_record(concept_status="great"), "'status' must be one of"),
    (_record(created_at="9999-12-31T23:59:59+00:00"), "'created_at' must be a time from 1970"),
    (_record(score=-500), "'score' must be a number from 0 to 100"),
    (_record(score=True), "'score' must be a number"),
    (_record(seconds=-1), "'seconds' must be a number"),
    (_record(question=" "), "'question' and 'depth' must not be empty"),
    (_record(uid="x"), "'uid' must be 32"),
    (_record(notes=[1]), "'notes' must be a list of strings"),
    (_record(answer=" \u200b "), "'answer' holds nothing to score"),  # genco never keeps such an attempt
    (_record().replace('"score": ', '"score": NaN, "x": ', 1), "NaN is not a JSON number"),
    (_record().replace('"score": ', '"score": Infinity, "x": ', 1), "Infinity is not a JSON number"),
    (_record().replace('"score": ', '"score": 1e999, "x": ', 1), "1e999 is too large a JSON number"),
    (_record().replace('"answer": "', '"answer": "\\ud800', 1), "lone surrogate"),
    ("[" * 100_000, "nested too deeply"),
    ('{"score": -' + "1" * 5000 + "}", "a JSON number of 5,000 digits; at most 4,300 are read"),
    (_record().replace('"misconceptions": []', '"misconceptions": [{"id": "m", "description": "d", "correction": "c", '
                       '"penalty": 5, "similarity": 0.7, "evidence": null}]', 1),
     "misconceptions[0]: 'evidence' must be a string, not null"),  # a red flag quotes what was said
    (_record(model="evil\nmodel\u001b[2J"), "'model' must be one line of at most 4,096 characters"),  # split show's header
    (_record(genco_version="9" * 1000), "'genco_version' must be one line of at most 64 characters"),
], ids=["concept-score-text", "status", "year-9999", "score-500", "score-bool", "seconds", "blank-question",
        "uid", "notes", "empty-answer", "nan", "infinity", "overflow", "surrogate", "deep", "long-number",
        "red-flag-without-evidence", "model-line-break", "long-version"])
def test_import_names_the_bad_line_and_stores_nothing(filled: Path, tmp_path: Path, line: str, fragment: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(_record(uid="a" * 32) + "\n" + line + "\n", encoding="utf-8")
    before = filled.read_bytes()
    one_error(run("history", "import", str(bad)), f"{bad}:2:", fragment.strip("'"))
    assert filled.read_bytes() == before


def test_one_attempt_shown_as_indented_json_is_told_from_an_export(filled: Path, tmp_path: Path) -> None:
    """`genco show 1 --format json > a.json; genco history import a.json` said "a.json:1: malformed JSON (Expecting
    property name ... column 2)", where the same object on one line imports."""
    shown = tmp_path / "a.json"
    shown.write_text(run("show", "1", "--format", "json").stdout, encoding="utf-8")
    before = filled.read_bytes()
    one_error(run("history", "import", str(shown)), f"{shown}: is one JSON object over several lines (as `genco show N "
              "--format json` prints), not an export")
    assert filled.read_bytes() == before


def test_the_history_listing_as_json_is_told_from_an_export(filled: Path, tmp_path: Path) -> None:
    """`genco history --json > h.json; genco history import h.json` said "h.json:1: malformed JSON"."""
    listing = tmp_path / "h.json"
    listing.write_text(run("history", "--json").stdout, encoding="utf-8")
    before = filled.read_bytes()
    one_error(run("history", "import", str(listing)), f"{listing}: is a JSON list (as `genco history --json` prints), "
              "not an export: import reads the JSON Lines file `genco history export FILE` writes")
    assert filled.read_bytes() == before


def test_nan_is_not_already_imported(home: Path) -> None:
    with pytest.raises(InputError, match="NaN"):
        parse_export(_record().replace('"score": ', '"score": NaN, "x": ', 1), "f")


# --- only genco's own files --------------------------------------------------------------------------


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("argv", [["history"], ["report"], ["next"], ["show", "1"], ["history", "export", "-"],
                                  ["history", "delete", "1"], ["history", "purge", "--yes"]], ids=" ".join)
def test_another_programs_database_is_refused_untouched(home: Path, tmp_path: Path, argv: list[str]) -> None:
    other = tmp_path / "other.db"
    _foreign(other)
    before = snapshot(tmp_path)
    one_error(run(*argv, "--db", str(other)), "not a genco history file")
    assert snapshot(tmp_path) == before


def test_import_into_another_programs_database_is_refused(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    _foreign(other)
    before = other.read_bytes()
    backup = tmp_path / "b.jsonl"
    backup.write_text(_record() + "\n", encoding="utf-8")
    one_error(run("history", "import", str(backup), "--db", str(other)), "not a genco history file")
    assert other.read_bytes() == before


def test_an_attempt_refused_by_another_programs_database_is_not_sent_back_there(home: Path, tmp_path: Path) -> None:
    """Its recovery hint said to import it into the same database, which refuses it for ever."""
    other = tmp_path / "other.db"
    _foreign(other)
    with pytest.raises(HistoryError) as refused:
        history.store(str(other), [make_attempt(0)])
    said = str(refused.value)
    assert "not a genco history file" in said and said.endswith(f"{refused.value.recovery} --db FILE`)")
    assert f"--db {other}" not in said


def test_new_and_older_genco_files_carry_the_application_id(home: Path, tmp_path: Path) -> None:
    with open_history(tmp_path / "new.sqlite3") as store:
        store.add([make_attempt(0)])
    old = tmp_path / "old.sqlite3"
    with open_history(old) as store:
        store.add([make_attempt(0)])
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    assert run("history", "--db", str(old)).exit_code == 0  # an older genco file is still read
    with open_history(old) as store:  # and stamped on its next write
        assert store.count() == 1
    for path in (tmp_path / "new.sqlite3", old):
        assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_an_empty_file_is_read_as_an_empty_history_and_not_changed(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    assert run("history", "--db", str(empty)).exit_code == 0
    assert empty.read_bytes() == b""


# --- a read-only home --------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["history"], ["history", "--format", "csv"], ["show", "1"], ["report"], ["next"],
                                  ["history", "export", "-"]], ids=" ".join)
def test_a_read_only_home_can_still_be_read(filled: Path, read_only, argv: list[str]) -> None:
    read_only(filled.parent)
    result = run(*argv)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_a_read_only_home_can_be_exported_elsewhere(filled: Path, read_only, tmp_path: Path) -> None:
    read_only(filled.parent)
    out = tmp_path / "backup.jsonl"
    assert run("history", "export", str(out)).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(progress_attempts())


def test_a_new_history_file_is_private(tmp_path: Path) -> None:
    """It holds every answer typed: owner-only, whatever the umask, and so are its -wal and -shm files."""
    old = os.umask(0o022)
    try:
        path = tmp_path / "history.sqlite3"
        with open_history(path) as store:
            store.add([make_attempt(0)])
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    finally:
        os.umask(old)
    assert modes and all(mode == 0o600 for mode in modes.values()), modes


def test_a_new_history_made_through_a_symbolic_link_is_private(tmp_path: Path) -> None:
    """`--db link.db`, the link naming a file not made yet: SQLite made it with the umask's mode (0644)."""
    old = os.umask(0o022)
    try:
        (tmp_path / "real").mkdir()
        link = tmp_path / "link.sqlite3"
        link.symlink_to(tmp_path / "real" / "history.sqlite3")
        with open_history(link) as store:
            store.add([make_attempt(0)])
    finally:
        os.umask(old)
    assert link.is_symlink() and stat.S_IMODE((tmp_path / "real" / "history.sqlite3").stat().st_mode) == 0o600


def _not_a_file(folder: Path, kind: str) -> Path:
    """A history path in `folder` that is a directory, a FIFO, a symlink to a device, or a symlink loop
    (listed as an empty history)."""
    path = folder / "history.sqlite3"
    if kind == "directory":
        path.mkdir(parents=True)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(folder / "other.sqlite3")
        (folder / "other.sqlite3").symlink_to(path)
    else:
        path.symlink_to("/dev/null")
    return path


@pytest.mark.parametrize(("kind", "says"), [("directory", "is a directory; move it aside"),
                                            ("fifo", "is not a regular file"), ("device", "is not a regular file"),
                                            ("loop", "cannot be used: too many levels of symbolic links")])
@pytest.mark.parametrize("argv", [["history"], ["history", "export", "-"], ["history", "import", "-"], ["report"],
                                  ["next"], ["show", "1"]], ids=" ".join)
@pytest.mark.parametrize("given", ["--db", "GENCO_HOME"])
def test_a_history_that_is_no_file_is_one_error_with_exit_1(home: Path, tmp_path: Path, kind: str, says: str,
                                                            argv: list[str], given: str) -> None:
    """--db and $GENCO_HOME alike: the same line and exit 1, not click's usage error (exit 2) for a
    directory given to --db, nor SQLite's "disk I/O error" for a FIFO or a device."""
    home.mkdir()
    path = _not_a_file(home if given == "GENCO_HOME" else tmp_path, kind)
    options = ["--db", str(path)] if given == "--db" else []
    if given == "--db" and kind == "directory":  # a folder named with --db was meant to hold a history
        says = f"is a directory; --db takes a history file, such as {path / 'history.sqlite3'}"
    one_error(run(*argv, *options), f"history file {path} {says}")
    assert not path.is_file()


def test_a_default_history_that_is_a_directory_says_so(home: Path) -> None:
    from genco_interview.progress.database import default_path

    default_path().mkdir(parents=True)
    with pytest.raises(HistoryError, match="is a directory; move it aside"):
        with open_history(None, create=False) as store:
            store.attempts()


# --- folders and --db values that would break another history ----------------------------------------


def usage_error(result: Result, *fragments: str) -> str:
    return one_error(result, *fragments, code=2, opening="invalid value for '--db': ")


def _other_history(tmp_path: Path) -> Path:
    other = tmp_path / "other.sqlite3"
    with open_history(other) as store:
        store.add([make_attempt(0)])
    return other


def _still_whole(other: Path) -> None:
    with open_history(other, create=False) as store:
        assert store.count() == 1


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize("argv", [["report", "--out", "{folder}/r.html"], ["history", "export", "{folder}/x.jsonl"],
                                  ["history", "export", "{folder}/deeper/x.jsonl"],
                                  ["rubric", "new", "my-question", "--out", "{folder}"]], ids=lambda a: a[0] + " " + a[1])
def test_no_output_folder_is_made_under_another_databases_companion_name(filled: Path, tmp_path: Path, suffix: str,
                                                                          argv: list[str]) -> None:
    """A folder named like another history's -journal, -wal or -shm makes that history unusable ("disk I/O error")."""
    other = _other_history(tmp_path)
    folder = f"{other}{suffix}"
    one_error(run(*[word.format(folder=folder) for word in argv]), f"will not create the folder {folder}")
    assert not Path(folder).exists()
    _still_whole(other)


@pytest.mark.parametrize("kept", ["recovery", "drafts", "draft-notes"])  # draft-notes: the history a draft is for
@pytest.mark.parametrize("argv", [["report", "--out", "{folder}/r.html"], ["history", "export", "{folder}/x.jsonl"],
                                  ["rubric", "new", "my-question", "--out", "{folder}"],
                                  ["candidates", "--out", "{folder}/c.json"]], ids=lambda a: a[0] + " " + a[1])
def test_no_output_goes_into_the_folders_holding_unsaved_answers(home: Path, kept: str, argv: list[str]) -> None:
    """`rubric new --out` wrote into the home's drafts or recovery folder, and made it readable by others,
    so later interrupted answers went there too: every command writing a file the user names refuses it."""
    folder = home / kept
    one_error(run(*[word.format(folder=folder) for word in argv]),
              f"is in {folder}, which holds the only copy of unsaved attempts or answers")
    assert not folder.exists()


@pytest.mark.parametrize("kept", ["recovery", "drafts", "draft-notes"])
def test_no_history_is_made_in_the_folders_holding_unsaved_answers(home: Path, tmp_path: Path, kept: str) -> None:
    """`--db HOME/drafts/h.db` made the folder readable by others, and later drafts went into it."""
    export = tmp_path / "export.jsonl"
    export.write_text(make_attempt(5).to_line(), encoding="utf-8")
    folder = home / kept
    usage_error(run("history", "import", str(export), "--db", str(folder / "h.db")),
                f"is in {folder}, which holds the only copy of unsaved attempts or answers")
    assert not folder.exists()


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_history_is_never_made_in_a_folder_of_a_companion_name(home: Path, tmp_path: Path, suffix: str) -> None:
    other = _other_history(tmp_path)
    export = tmp_path / "export.jsonl"
    export.write_text(make_attempt(5).to_line(), encoding="utf-8")
    folder = Path(f"{other}{suffix}")
    usage_error(run("history", "import", str(export), "--db", str(folder / "new.sqlite3")),
                f"will not create the folder {folder}")
    one_error(run("history", "import", str(export), env={"GENCO_HOME": str(folder)}),
              f"will not create the folder {folder}")
    with pytest.raises(HistoryError, match="will not create the folder"):
        history.store(folder / "new.sqlite3", [make_attempt(6)])
    assert not folder.exists()
    _still_whole(other)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize("argv", [["history", "import", "EXPORT"], ["history"], ["report"], ["next"],
                                  ["score", "-d", "quick", "--answer", "A generator yields."]], ids=" ".join)
def test_db_naming_another_historys_companion_is_refused(home: Path, tmp_path: Path, suffix: str,
                                                         argv: list[str]) -> None:
    """An attempt saved in X-wal is deleted or overwritten the next time X is opened: silently lost."""
    other = _other_history(tmp_path)
    export = tmp_path / "export.jsonl"
    export.write_text(make_attempt(5).to_line(), encoding="utf-8")
    companion = Path(f"{other}{suffix}")
    usage_error(run(*[str(export) if word == "EXPORT" else word for word in argv], "--db", str(companion)),
                f"{companion} is the name SQLite gives the {suffix} file")
    assert not companion.exists()
    _still_whole(other)


def test_db_linked_to_another_historys_companion_is_refused(home: Path, tmp_path: Path) -> None:
    """A symbolic link to main.sqlite3-wal took an attempt, "saved as attempt 1", that the next opening of the
    main history discarded with its -wal."""
    other = _other_history(tmp_path)
    with open_history(other) as kept:  # a -wal to lead to, kept while the main history is open
        kept.count()
        link = tmp_path / "link.sqlite3"
        link.symlink_to(Path(f"{other}-wal"))
        usage_error(run("score", "-d", "quick", "--answer", "A generator yields.", "--db", str(link)),
                    f"{link} leads to {other}-wal, which is the name SQLite gives the -wal file")
    _still_whole(other)


@pytest.mark.parametrize("value, says", [("", "'' is empty"), ("  ", "is empty; give a history file name"), ("-", "'-' names no file"),
                                         ("{tmp}/x/trail/", "names a folder"),
                                         ("{tmp}/x/typo/h.db", "no folder {tmp}/x; create it first"),
                                         (":memory:", "what SQLite reads as a database in memory"),
                                         ("file:other.db", "what SQLite reads as a URI")],
                         ids=["empty", "blank", "dash", "slash", "missing-folders", "memory", "uri"])
@pytest.mark.parametrize("argv", [["history", "import", "EXPORT"], ["history"], ["report"],
                                  ["score", "-d", "quick", "--answer", "A generator yields."]], ids=" ".join)
def test_a_db_that_names_no_file_is_a_usage_error(filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  value: str, says: str, argv: list[str]) -> None:
    """Not the default history (--db ''), not a file named '-', not a file named after the last folder, not
    a name SQLite reads as no file (an attempt "saved" to :memory: was gone when the command ended)."""
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "export.jsonl"
    export.write_text(make_attempt(5).to_line(), encoding="utf-8")
    before = snapshot(tmp_path), filled.read_bytes()
    usage_error(run(*[str(export) if word == "EXPORT" else word for word in argv], "--db", value.format(tmp=tmp_path)),
                says.format(tmp=tmp_path))
    assert (snapshot(tmp_path), filled.read_bytes()) == before
    assert not (tmp_path / "x").exists()


def test_a_path_option_given_with_an_equals_sign_reads_a_leading_tilde_as_the_home_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shell expands "~" only where a word starts, so `--db=~/h.db` reached genco as typed: the history
    went to a new folder named "~" in the current one, where no later command looked for it."""
    me, work = tmp_path / "me", tmp_path / "work"
    me.mkdir(), work.mkdir()
    monkeypatch.setenv("HOME", str(me))
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "genco"))
    monkeypatch.chdir(work)
    export = tmp_path / "export.jsonl"
    export.write_text(make_attempt(5).to_line(), encoding="utf-8")
    imported = run("history", "import", str(export), "--db=~/h.db")
    assert imported.exit_code == 0, imported.output
    reported = run("report", "--db=~/h.db", "--out=~/report.txt")
    assert reported.exit_code == 0, reported.output
    assert (me / "h.db").is_file() and (me / "report.txt").is_file()
    assert list(work.iterdir()) == []
    for command in ("score", "grade"):  # the file named is looked for at home
        missing = run(command, "-d", "quick", "--answer-file=~/missing.txt", "--no-save")
        assert missing.exit_code == 1 and f"{me / 'missing.txt'}: no such file" in missing.stderr, missing.output


@pytest.mark.parametrize("kind", ["directory", "device", "text file"])
def test_the_recovery_hint_never_suggests_a_db_that_cannot_hold_a_history(home: Path, tmp_path: Path,
                                                                          kind: str) -> None:
    """A text file given as --db is left untouched, so importing into it would fail just the same."""
    db = {"directory": tmp_path, "device": Path(os.devnull), "text file": tmp_path / "notes.sqlite"}[kind]
    if kind == "text file":
        db.write_text("hello\n", encoding="utf-8")
    with pytest.raises(HistoryError) as caught:
        history.store(db, [make_attempt(0)])
    said = str(caught.value)
    assert f"--db {db}`" not in said and said.endswith(f"add it later to a history file with "
                                                       f"`genco history import {caught.value.recovery} --db FILE`)")
    assert parse_export(read_export(str(caught.value.recovery)), "recovery")[0].answer == "an answer"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_output_onto_standard_output_that_is_a_pipe_is_refused_as_one() -> None:
    """`--out /dev/stdout | cat`: the link leads to a name like "pipe:[7]" that no folder holds; it was
    "cannot write (No such file or directory)"."""
    from genco_interview.answers import InputError
    from genco_interview.outfile import check_output_path

    reader, writer = os.pipe()
    try:
        with pytest.raises(InputError, match="is not a regular file"):
            check_output_path(f"/proc/self/fd/{writer}")
    finally:
        os.close(reader)
        os.close(writer)


def test_a_file_named_like_an_sqlite_uri_is_that_file(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """./file:h.db is the file of that name, private like every history, and read back by the same name:
    SQLite read the name (which the path library shortens to file:h.db) as a URI and wrote h.db."""
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "export.jsonl"
    export.write_text(make_attempt(5).to_line(), encoding="utf-8")
    assert run("history", "import", str(export), "--db", "./file:h.db").exit_code == 0
    assert not (tmp_path / "h.db").exists()
    assert stat.S_IMODE((tmp_path / "file:h.db").stat().st_mode) == 0o600
    listed = run("history", "--db", "./file:h.db", "--format", "json")
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 1


def _with_commits_in_its_wal(path: Path, score: float) -> bytes:
    """The bytes of a -wal holding a commit not yet in `path` (its writer stopped before copying it in)."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", "import os, sqlite3, sys\n"
                    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                    "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
                    "conn.execute('UPDATE attempts SET score = ? WHERE id = 1', (float(sys.argv[2]),))\n"
                    "os._exit(0)", str(path), str(score)], check=True)
    return Path(f"{path}-wal").read_bytes()


def test_a_wal_left_beside_a_history_copied_over_is_read_never_written_into_it(filled: Path, tmp_path: Path) -> None:
    """Another copy's -wal beside a history: `genco history` (then, read-only, the next save) wrote it into
    the file, then said the file was corrupt and "left untouched"; the attempts it held were lost."""
    other = tmp_path / "other" / "history.sqlite3"  # the history this machine had, its writer stopped mid-save
    with open_history(other) as store:
        store.add([make_attempt(day, answer=f"another answer {day} " * 40) for day in range(30)])
    foreign = _with_commits_in_its_wal(other, 11.0)
    before = filled.read_bytes()
    Path(f"{filled}-wal").write_bytes(foreign)
    for argv in (["history"], ["report"], ["show", "1"], ["history", "export", str(tmp_path / "x.jsonl")],
                 ["history", "delete", "1", "--yes"], ["history", "purge", "--yes"]):
        one_error(run(*argv), "is sound, but", "-wal beside it does not fit it", "both were left untouched")
        assert filled.read_bytes() == before and Path(f"{filled}-wal").read_bytes() == foreign, argv
    with pytest.raises(HistoryError, match="does not fit it"):  # a save: what the -wal held was written into the file
        with open_history(filled) as store:
            store.add([make_attempt(9)])
    assert filled.read_bytes() == before
    salvaged = run("history", "export", "--salvage", str(tmp_path / "s.jsonl"))  # read through it: another's rows
    assert salvaged.exit_code == 0 and "the file alone: the -wal beside it does not fit it" in salvaged.stderr
    assert len((tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()) == 6 and filled.read_bytes() == before
    for companion in ("-wal", "-shm"):
        Path(f"{filled}{companion}").unlink()
    _with_commits_in_its_wal(filled, 12.0)  # its own -wal, left by a writer that stopped: read as the history
    assert json.loads(run("show", "1", "--format", "json").stdout)["score"] == 12.0
