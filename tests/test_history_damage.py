"""Odd data never costs a kept attempt and never gives a traceback: long grades, an older build's
schema step, the longest export lines, damaged rows, huge numbers, output paths over the only
copies of unsaved work, a bad GENCO_DB_TIMEOUT, a purge with nobody to ask, a batch the history stops."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import invoke as run
from click.testing import Result

from genco_interview.answers import ANSWER_LIMIT, InputError
from genco_interview.evaluation.metrics import parse_labeled
from genco_interview.progress import database, rows, schema
from genco_interview.progress import store as history
from genco_interview.progress.attempt import GRADE_TEXT_LIMIT, GradeTextError, attempt_from_card
from genco_interview.progress.database import HistoryError
from genco_interview.progress.recovery import RECOVERY_NAME, recovery_name, recovery_path, write_recovery
from genco_interview.progress.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from genco_interview.progress.store import open_history
from genco_interview.progress.transfer import export_lines, parse_export, read_export

from history_helpers import make_attempt, make_card


def one_error(result: Result, *fragments: str, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.stderr.splitlines() if re.match(r"genco [a-z][a-z -]*: ", line)]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


# --- a grade too long to keep is refused, not dropped ---------------------------------------------


@pytest.mark.parametrize("field", ["note", "candidate"])
def test_a_grade_text_too_long_to_read_back_is_refused_before_saving(home: Path, field: str) -> None:
    grade = {"candidate": "Ada", "note": "fine", "machine_score": 50.0, "machine": {}}
    grade[field] = "x" * (GRADE_TEXT_LIMIT + 1)
    with pytest.raises(GradeTextError, match=f"the {field} is 10,001 characters.*at most 10,000"):
        attempt_from_card(make_card(), "an answer", source="interviewer", grade=grade)
    grade[field] = "x" * GRADE_TEXT_LIMIT  # the longest one kept is read back whole
    number = history.store(None, [attempt_from_card(make_card(), "an answer", source="interviewer", grade=grade)])[0]
    with open_history(create=False) as store:
        assert store.find(str(number)).grade[field] == "x" * GRADE_TEXT_LIMIT


def test_grade_refuses_a_note_too_long_to_keep_before_the_model_loads(home: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding, "load_embedder", lambda *a, **k: pytest.fail("the model was loaded"))
    transcript = tmp_path / "t.txt"
    transcript.write_text("A generator yields values.", encoding="utf-8")
    result = run("grade", "coroutine-vs-generator", "-d", "quick", "--answer-file", str(transcript),
                 "--note", "x" * (GRADE_TEXT_LIMIT + 1))
    one_error(result, "the note is 10,001 characters")
    assert not (home / database.DB_NAME).exists()


# --- a file whose step 4 came from an older development build ------------------------------------


def _older_build_file(path: Path) -> None:
    """Version 4 as an older development build wrote it: step 4 added `candidate`, not `grade`."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:3]:
        step.apply(conn)
    conn.execute("ALTER TABLE attempts ADD COLUMN candidate TEXT")
    conn.execute("INSERT INTO attempts (uid, created_at, question, depth, source, answer, score, model, "
                 "genco_version, candidate) VALUES ('0123456789abcdef0123456789abcdef', "
                 "'2026-03-01T09:00:00.000000+00:00', 'coroutine-vs-generator', 'quick', 'interviewer', "
                 "'an answer', 62.5, 'all-MiniLM-L6-v2', '0.1.0', 'A. Lovelace')")
    conn.execute("PRAGMA user_version = 4")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()


def test_a_version_4_file_without_the_grade_column_opens_and_keeps_its_candidate(home: Path) -> None:
    path = home / database.DB_NAME
    home.mkdir()
    _older_build_file(path)
    result = run("show", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["grade"]["candidate"] == "A. Lovelace" and shown["score"] == 62.5
    assert history.store(None, [make_attempt(1)]) == [2]  # new attempts go to the history, not the recovery file
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT candidate FROM attempts WHERE id = 1").fetchone()[0] == "A. Lovelace"
    conn.close()


# --- the longest export line imports back ---------------------------------------------------------


@pytest.mark.parametrize("character", ['"', "\x01"], ids=["quotes", "control"])
def test_an_attempt_of_the_largest_answer_escaped_at_worst_exports_and_imports_back(
        home: Path, tmp_path: Path, character: str) -> None:
    answer = "a" + character * (ANSWER_LIMIT - 1)  # a word: an answer with nothing to score is never imported
    attempt = make_attempt(0, answer=answer)
    exported = tmp_path / "export.jsonl"
    exported.write_text("".join(export_lines([attempt])), encoding="utf-8")
    assert exported.stat().st_size > 2 * ANSWER_LIMIT
    [back] = parse_export(read_export(str(exported)), str(exported))
    assert back.answer == answer and back.uid == attempt.uid
    recovery = write_recovery([attempt])  # the recovery file is the same format
    assert parse_export(read_export(str(recovery)), str(recovery))[0].answer == answer


# --- damaged rows -----------------------------------------------------------------------------------


def _damage(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE attempts SET score = 'abc' WHERE id = 1")
    conn.execute("UPDATE attempts SET created_at = 'garbage' WHERE id = 2")
    conn.execute("UPDATE attempts SET seconds = 'x' WHERE id = 3")
    conn.execute("UPDATE concept_results SET score = 'bad' WHERE attempt_id = 4 AND position = 0")
    conn.execute("UPDATE attempts SET answer = CAST(answer AS BLOB) WHERE id = 5")
    conn.execute("UPDATE attempts SET question = CAST(question AS BLOB), depth = CAST(depth AS BLOB) WHERE id = 6")
    conn.execute("UPDATE concept_results SET evidence = x'00ff' WHERE attempt_id = 1 AND position = 0")
    conn.execute("UPDATE misconception_hits SET evidence = x'41ff' WHERE attempt_id = 1")
    conn.execute("UPDATE attempts SET created_at = '9999-12-31T23:59:59.000000+00:00' WHERE id = 4")  # no overflow
    conn.execute("UPDATE attempts SET uid = NULL WHERE id = 3")  # its export must still import
    conn.execute("UPDATE attempts SET answer = CAST(x'41ff42' AS TEXT) WHERE id = 6")  # not UTF-8
    conn.close()


@pytest.mark.parametrize("command", [["history"], ["history", "--format", "json"], ["report"],
                                     ["report", "--format", "json"], ["report", "--format", "html"],
                                     ["next"], ["history", "export", "-"]], ids=" ".join)
def test_damaged_values_read_as_missing_in_every_listing(filled: Path, command: list[str]) -> None:
    _damage(filled)
    result = run(*command)
    assert result.exit_code == 0 and result.exception is None, result.output


@pytest.mark.parametrize("number, note", [(1, "stored score"), (2, "stored date"), (3, "stored time spent"),
                                          (4, "stored score of"), (5, "stored answer")])
def test_show_reads_a_damaged_value_with_a_note_saying_so(filled: Path, number: int, note: str) -> None:
    _damage(filled)
    text = run("show", str(number))
    assert text.exit_code == 0 and text.exception is None, text.output
    shown = json.loads(run("show", str(number), "--format", "json").stdout)
    assert any(note in n and "damaged" in n for n in shown["notes"]), shown["notes"]


@pytest.mark.parametrize(("column", "value", "shown"), [("score", "'abc'", "damaged"), ("score", "9e999", "damaged"),
                                                        ("created_at", "'garbage'", "date damaged")],
                         ids=["text-score", "infinite-score", "garbage-date"])
def test_a_damaged_score_or_date_is_shown_as_damaged_not_as_0_or_1970(filled: Path, column: str, value: str,
                                                                      shown: str) -> None:
    """What such a row reads as (score 0, 1970-01-01) was listed and shown as the attempt's own ("Score 0/100
    weak"), and `history` said nothing of it."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute(f"UPDATE attempts SET {column} = {value} WHERE id = 1")
    conn.close()
    listing = run("history")
    assert listing.exit_code == 0, listing.output
    [row] = [line for line in listing.stdout.splitlines() if line.split()[:1] == ["1"]]
    assert shown in row and "1970-01-01 00:00" not in listing.stdout and not re.search(r"quick\s+0\s", row), row
    assert listing.stderr.splitlines() == ["genco history: the stored score or date of attempt 1 is damaged (edited by "
                                           "hand?): listed as damaged; `genco show N` says which"]
    [listed] = [row for row in json.loads(run("history", "--format", "json").stdout) if row["number"] == 1]
    assert listed["damaged"] == ["score" if column == "score" else "date"]
    card = run("show", "1")
    assert card.exit_code == 0 and "Score 0/100" not in card.stdout and "1970-01-01 00:00" not in card.stdout, card.output
    assert ("Score damaged" if column == "score" else "Attempt 1 · date damaged ·") in card.stdout
    deleted = run("history", "delete", "1", "--yes")
    assert deleted.exit_code == 0 and ("score damaged," if column == "score" else ", date damaged)") in deleted.stdout


def test_report_and_next_leave_out_an_attempt_whose_score_or_date_is_damaged(filled: Path) -> None:
    """Read as 0, the latest attempt's damaged score was the report's latest; read as 1970-01-01, a damaged date
    made its attempt the first, and a review long ago in `next`'s plan."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET score = 'abc' WHERE id = 6")
    conn.execute("UPDATE attempts SET created_at = 'garbage' WHERE id = 3")
    conn.close()
    result = run("report", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [quick] = [section for section in report["sections"] if section["depth"] == "quick"]
    assert report["left_out"] == [3, 6] and quick["attempts"] == 3 and quick["latest"] == 80.0
    assert "the stored scores or dates of attempts 3, 6 are damaged (edited by hand?): left out of this report" in result.stderr
    planned = run("next")
    assert planned.exit_code == 0 and "attempts 3, 6 are damaged (edited by hand?): left out of this plan" in planned.stderr


def test_a_report_saved_or_shown_says_which_attempts_it_left_out(filled: Path, tmp_path: Path) -> None:
    """Only the command's stderr said an attempt was left out: a report saved as Markdown or HTML, the web
    app's progress page and its plan of what to practise counted fewer attempts without a word."""
    from starlette.testclient import TestClient
    from web_helpers import make_app

    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET score = 'abc' WHERE id = 6")
    conn.execute("UPDATE attempts SET created_at = 'garbage' WHERE id = 3")
    conn.close()
    said = "2 attempts left out (3, 6: score or date damaged)"
    for suffix in ("txt", "md", "html"):
        written = tmp_path / f"report.{suffix}"
        result = run("report", "--out", str(written))
        assert result.exit_code == 0, result.output
        assert said in written.read_text(encoding="utf-8"), suffix
    client = TestClient(make_app(object(), filled), base_url="http://127.0.0.1")
    assert said in client.get("/progress").text
    assert "Left out of this plan: attempts 3, 6, whose stored score or date is damaged." in client.get("/").text


def test_candidates_leave_out_a_grade_whose_score_is_damaged(filled: Path) -> None:
    """Read as 0, a candidate's latest grade edited by hand ranked them last, as if they had said nothing."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET source = 'interviewer', grade = ? WHERE id IN (5, 6)", (GRADE,))
    conn.execute("UPDATE attempts SET score = 'abc' WHERE id = 6")
    conn.close()
    result = run("candidates", "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = [row for section in json.loads(result.stdout)["sections"] for row in section["rows"]]
    assert (row["attempt"], row["score"]) == (5, 80.0)
    assert "the stored score or date of attempt 6 is damaged (edited by hand?): left out of this comparison" in result.stderr
    assert "1 attempt left out (6: score or date damaged)" in run("candidates", "--format", "markdown").stdout
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET score = 'abc' WHERE id = 5")
    conn.close()  # every grade damaged: not "No candidate graded yet" of a history full of them
    assert "No grade whose score and date can be read (2 attempts damaged): nothing to compare." in run("candidates").stdout


@pytest.mark.parametrize("page", ["/progress", "/progress/report", "/attempts/1", "/attempts/2", "/attempts/3", "/attempts/5",
                                  "/attempts/4"])
def test_the_web_pages_read_damaged_values_too(filled: Path, page: str) -> None:
    from starlette.testclient import TestClient
    from web_helpers import make_app

    _damage(filled)
    client = TestClient(make_app(object(), filled), base_url="http://127.0.0.1", raise_server_exceptions=False)
    response = client.get(page)
    assert response.status_code == 200, response.text[:300]


def test_an_export_of_damaged_rows_imports_back(filled: Path, tmp_path: Path) -> None:
    _damage(filled)
    exported = tmp_path / "export.jsonl"
    assert run("history", "export", str(exported)).exit_code == 0
    assert "A\ufffdB" in [json.loads(line)["answer"] for line in exported.read_text(encoding="utf-8").splitlines()]
    result = run("history", "import", str(exported), "--db", str(tmp_path / "other.sqlite3"))
    assert result.exit_code == 0 and "imported 6 attempts" in result.output, result.output


def test_a_concept_row_repeated_by_hand_reads_once_so_the_export_imports(filled: Path, tmp_path: Path) -> None:
    """`history import` refuses an attempt listing a concept twice; a history edited to hold a copy of a
    row exported it twice, a backup that could not be restored, and `show` listed the concept twice."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("INSERT INTO concept_results (attempt_id, position, concept_id, name, weight, status, score, similarity, "
                 "evidence, description) SELECT attempt_id, position + 100, concept_id, name, weight, 'missing', 0, 0, "
                 "NULL, description FROM concept_results WHERE attempt_id = 2 AND position = 0")
    conn.close()
    exported = tmp_path / "export.jsonl"
    assert run("history", "export", str(exported)).exit_code == 0
    second = json.loads(exported.read_text(encoding="utf-8").splitlines()[1])
    ids = [c["id"] for c in second["concepts"]]
    assert len(ids) == len(set(ids)) and second["concepts"][0]["status"] != "missing"  # the first row is kept
    result = run("history", "import", str(exported), "--db", str(tmp_path / "other.sqlite3"))
    assert result.exit_code == 0, result.output


GRADE = json.dumps({"candidate": "Ada", "note": None, "machine_score": 50.0, "machine": {}})


@pytest.mark.parametrize(("damage", "field", "reads_as", "note"), [
    ("UPDATE concept_results SET status = 'weird' WHERE attempt_id = 1 AND position = 0", "status", "missing",
     "stored mark of"),
    ("UPDATE attempts SET source = 'alien' WHERE id = 1", "source", "learner", "stored source"),
    (f"UPDATE attempts SET source = 'alien', grade = '{GRADE}' WHERE id = 1", "source", "interviewer", "stored source"),
    (f"UPDATE attempts SET grade = '{GRADE}' WHERE id = 1", "grade", None, "stored grade"),
    ("UPDATE attempts SET uid = 'not-a-uid' WHERE id = 1", "uid", "made from its content", "stored uid"),
    ("UPDATE attempts SET model = x'00' WHERE id = 1", "model", " ", "stored model name"),
    ("UPDATE attempts SET model = 'm' || char(10) || 'odel' WHERE id = 1", "model", "m odel", "stored model name"),
    ("UPDATE attempts SET genco_version = printf('%.70c', '9') WHERE id = 1", "genco_version", "9" * 64,
     "stored genco version"),
    ("UPDATE attempts SET model = 'mini' || char(27) || '[31mRED' WHERE id = 1", "model", "miniRED", "stored model name"),
], ids=["status", "source", "source-with-grade", "grade-of-a-learner", "uid", "model-nul", "model-lines", "long-version",
        "model-escape"])
def test_export_writes_a_damaged_value_as_show_reads_it(filled: Path, tmp_path: Path, damage: str, field: str,
                                                        reads_as: str | None, note: str) -> None:
    """One damaged row must not make the whole history unmovable: the export holds what `show` reads
    (the repaired value, and the note saying so), which `import` takes back."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute(damage)
    conn.close()
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert any(note in n and "damaged" in n for n in shown["notes"]), shown["notes"]
    exported = tmp_path / "export.jsonl"
    assert run("history", "export", str(exported)).exit_code == 0
    record = json.loads(exported.read_text(encoding="utf-8").splitlines()[0])
    value = record["concepts"][0]["status"] if field == "status" else record[field]
    if field == "uid":
        assert re.fullmatch("[0-9a-f]{32}", value) and any(reads_as in n for n in record["notes"])
    else:
        assert value == reads_as
    result = run("history", "import", str(exported), "--db", str(tmp_path / "other.sqlite3"))
    assert result.exit_code == 0 and "imported 6 attempts" in result.output, result.output


def test_a_grade_with_one_field_damaged_keeps_the_rest(filled: Path, tmp_path: Path) -> None:
    """One bad field of a grade edited by hand read the whole grade as none: the candidate's name and the
    interviewer's note were gone from `show`, `candidates` and `report`, and an export wrote the loss down."""
    damaged = json.dumps({"candidate": "Ada Lovelace", "note": "calm", "machine_score": 30, "machine": {},
                          "replaces": ["x", 99999]})
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET source = 'interviewer', grade = ? WHERE id = 1", (damaged,))
    conn.execute("UPDATE attempts SET source = 'interviewer', grade = 'not json' WHERE id = 2")
    conn.close()
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert shown["grade"] == {"candidate": "Ada Lovelace", "note": "calm", "machine_score": 30.0, "machine": {}}
    assert any("stored grade" in n and "fields of it that could be read" in n for n in shown["notes"]), shown["notes"]
    assert "Ada Lovelace" in run("candidates").stdout
    unreadable = json.loads(run("show", "2", "--format", "json").stdout)
    assert unreadable["grade"] is None and any("stored grade" in n and "none" in n for n in unreadable["notes"])
    exported = tmp_path / "export.jsonl"
    assert run("history", "export", str(exported)).exit_code == 0
    assert json.loads(exported.read_text(encoding="utf-8").splitlines()[0])["grade"]["candidate"] == "Ada Lovelace"


@pytest.mark.parametrize("grade", ['{"replaces": 5}', '["replaces"]', '{"replaces": "99"}', "[" * 100_000 + "]" * 100_000,
                                   '{"candidate": 7, "note": null, "machine_score": 50, "machine": {}}'])
def test_a_grade_edited_by_hand_fails_no_lookup_and_no_regrade(filled: Path, grade: str) -> None:
    """`show 99` (a number no attempt has) asks which grade replaced it, and a new grade whether it was kept
    before: both read every kept grade raw, and one edited by hand was a traceback (the new grade, its note and
    overrides lost)."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET source = 'interviewer', grade = ?", (grade,))
    conn.close()
    one_error(run("show", "99"), "no attempt '99'")
    with open_history(filled) as store:
        regrade = dataclasses.replace(store.find("1"), grade={"candidate": "Bob", "note": "typed",
                                                              "machine_score": 50.0, "machine": {}})
        earlier = store.interviewer_grade(1, regrade)
        assert earlier is not None and store.same_grade_kept(regrade, earlier) is None and store.replaced_by(99) is None
        assert store.earlier_grade(regrade) is None


@pytest.mark.parametrize(("damage", "field", "reads_as"), [
    ("UPDATE attempts SET question = '../../x' WHERE id = 1", "question", "x"),
    ("UPDATE attempts SET question = x'ff' WHERE id = 1", "question", "unknown"),
    ("UPDATE attempts SET depth = '' WHERE id = 1", "depth", "unknown"),
    ("UPDATE attempts SET depth = zeroblob(10) WHERE id = 1", "depth", "unknown"),
    ("UPDATE attempts SET depth = 'Quick ' WHERE id = 1", "depth", "quick"),
    ("UPDATE attempts SET created_at = '1900-01-01T00:00:00+00:00' WHERE id = 1", "created_at",
     "1970-01-01T00:00:00.000000+00:00"),
], ids=["path", "blob", "empty", "zeroblob", "spaced", "year-1900"])
def test_a_damaged_question_depth_or_date_exports_as_one_import_takes(filled: Path, tmp_path: Path, damage: str,
                                                                      field: str, reads_as: str) -> None:
    """`history`, `show` and `report` read them; the export holds what they read, so it imports back whole."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute(damage)
    conn.close()
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert shown[field] == reads_as and any("damaged" in note for note in shown["notes"]), shown
    for argv in (["history"], ["show", "1"], ["report"], ["next"]):
        assert run(*argv).exit_code == 0, argv
    _exports_and_imports_back(tmp_path, 6)


def test_an_attempt_kept_while_the_clock_ran_fast_keeps_its_date(filled: Path, tmp_path: Path) -> None:
    """Three days ahead, it read as damaged (1970-01-01) in `show`, and its export lost the date for good."""
    from datetime import UTC, datetime, timedelta

    from genco_interview.progress.attempt import normalise_time

    ahead = normalise_time(datetime.now(UTC) + timedelta(days=3))
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET created_at = ? WHERE id = 1", (ahead,))
    conn.close()
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert shown["created_at"] == ahead and not any("damaged" in note for note in shown["notes"])
    exported = _exports_and_imports_back(tmp_path, 6)
    assert ahead in exported


@pytest.mark.parametrize("damage", ["'March 5th'", "strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now', '+400 days')"],
                         ids=["no-date", "past-a-year-ahead"])
def test_an_attempt_whose_date_is_damaged_is_listed_and_filtered_as_its_date_reads(filled: Path, damage: str) -> None:
    """Read as 1970-01-01, it was listed as the newest, passed every --since and became the report's latest."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute(f"UPDATE attempts SET created_at = {damage} WHERE id = 1")
    newest = conn.execute("SELECT id FROM attempts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 1").fetchone()[0]
    conn.close()
    rows = json.loads(run("history", "--format", "json").stdout)
    assert rows[0]["id"] == newest and rows[-1]["id"] == 1 and rows[-1]["created_at"].startswith("1970-01-01")
    assert 1 not in [row["id"] for row in json.loads(run("history", "--since", "2000-01-01", "--format", "json").stdout)]


@pytest.mark.parametrize(("stored", "reads_as"), [("2026-03-09", "2026-03-09T00:00:00.000000+00:00"),
                                                  ("2026-03-09T10:00:00-05:00", "2026-03-09T15:00:00.000000+00:00")])
def test_an_attempt_whose_date_is_spelt_otherwise_is_filtered_by_the_date_it_reads_as(filled: Path, stored: str,
                                                                                   reads_as: str) -> None:
    """Shown with its date, it was left out by every --since (filtered as if it were 1970)."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET created_at = ? WHERE id = 1", (stored,))
    conn.close()
    rows = json.loads(run("history", "--since", "2026-03-08", "--format", "json").stdout)
    assert [(row["id"], row["created_at"]) for row in rows][0] == (1, reads_as)  # the newest, after March 6th's


@pytest.mark.parametrize("stored", ["20260309T100000Z", "2026-03-09T10:00:00+0500", "2026-W10-1", "2026-03-09T10",
                                    "2026-03-09t10:00:00+00:00", "2026-03-09T10:00:00.000000+00:00\n", "2026-02-30",
                                    "2026-03-09T25:00:00.000000+00:00", "2026-03-09 10:00:00"])
def test_show_history_and_since_read_every_spelling_of_a_date_alike(filled: Path, stored: str) -> None:
    """Each spelling was shown by one date and sorted, filtered and counted by another."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET created_at = ? WHERE id = 1", (stored,))
    conn.close()
    shown = json.loads(run("show", "1", "--format", "json").stdout)["created_at"]
    day = shown[:10]
    since = {row["id"] for row in json.loads(run("history", "--since", day, "--format", "json").stdout)}
    after = {row["id"] for row in json.loads(run("history", "--since", f"{day}T23:59", "--format", "json").stdout)}
    listed = [row["id"] for row in json.loads(run("history", "--format", "json").stdout)]
    if shown.startswith("1970"):
        assert listed[-1] == 1
    else:
        assert 1 in since and (1 not in after or shown[11:16] == "23:59")
        assert listed.index(1) == sorted(range(1, 7), key=lambda n: (shown if n == 1 else f"2026-03-0{n}", n))[::-1].index(1)


def test_an_answer_stored_longer_than_genco_keeps_exports_cut_to_the_limit(filled: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET answer = ? WHERE id = 1", ("é" * (ANSWER_LIMIT // 2) + "tail",))
    conn.close()
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert shown["answer"] == "é" * (ANSWER_LIMIT // 2) and any("stored answer" in n for n in shown["notes"])
    _exports_and_imports_back(tmp_path, 6)


def _exports_and_imports_back(tmp_path: Path, count: int) -> str:
    """The export of the history, after checking it imports back whole into a new one."""
    exported = tmp_path / "export.jsonl"
    assert run("history", "export", str(exported), "--force").exit_code == 0
    result = run("history", "import", str(exported), "--db", str(tmp_path / "other.sqlite3"))
    assert result.exit_code == 0 and f"imported {count} attempts" in result.output, result.output
    return exported.read_text(encoding="utf-8")


def test_report_counts_an_attempt_of_a_damaged_source_as_show_reads_it(filled: Path) -> None:
    before = json.loads(run("report", "--format", "json").stdout)["attempts"]
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET source = 'alien' WHERE id = 1")
    conn.close()
    assert json.loads(run("report", "--format", "json").stdout)["attempts"] == before


EMPTY_REPORT = {"questions": [], "score": None, "follow_up_score": None, "over_time": 0, "practise": []}


@pytest.mark.parametrize("damage", ["created_at = 'garbage'", "created_at = 5", "score = 'x'", "questions = x'ff'"])
def test_a_damaged_kept_interview_is_listed_as_damaged_everywhere(home: Path, damage: str) -> None:
    from starlette.testclient import TestClient
    from web_helpers import make_app

    for _ in range(2):
        history.keep_interview(None, EMPTY_REPORT, 0, 55.5)
    conn = sqlite3.connect(home / database.DB_NAME, isolation_level=None)
    conn.execute(f"UPDATE interviews SET {damage} WHERE id = 1")
    conn.close()
    text = run("interview", "--list")
    assert text.exit_code == 0 and text.exception is None, text.output
    (row,) = [line.split() for line in text.stdout.splitlines() if line.split()[:1] == ["1"]]
    assert "damaged" in row and len(row) == (5 if "created_at" not in damage else 4), row
    listed = {k["number"]: k for k in json.loads(run("interview", "--list", "--json").stdout)}
    assert None in listed[1].values() and None not in listed[2].values()
    assert run("interview", "--show", "1").exit_code == 0
    client = TestClient(make_app(object(), home / database.DB_NAME), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    for page in ("/interviews", "/interviews/1"):
        response = client.get(page)
        assert response.status_code == 200 and ("damaged" in response.text or page != "/interviews"), page


# --- output paths over the only copies of unsaved work ----------------------------------------------


@pytest.mark.parametrize("command", [["report", "--out"], ["history", "export"]], ids=" ".join)
@pytest.mark.parametrize("target", ["recovery", "draft"])
def test_an_output_file_never_replaces_the_recovery_file_or_a_draft(filled: Path, home: Path, command: list[str],
                                                                  target: str) -> None:
    if target == "recovery":
        path = write_recovery([make_attempt(9, answer="not saved yet")])
    else:
        (home / "drafts").mkdir(mode=0o700)
        path = home / "drafts" / "draft-1.txt"
        path.write_text("an interrupted answer", encoding="utf-8")
    before = path.read_bytes()
    one_error(run(*command, str(path)), str(path), "only copy")
    assert path.read_bytes() == before


# --- huge integers ----------------------------------------------------------------------------------


def test_an_export_record_with_a_huge_integer_names_file_and_line(tmp_path: Path) -> None:
    record = make_attempt(0).to_json()
    line = json.dumps(record).replace(f'"score": {record["score"]!r}', '"score": 1' + "0" * 400)
    assert "0" * 400 in line
    with pytest.raises(InputError, match=r"^export\.jsonl:2: 'score' must be a number from 0 to 100, not a number of"):
        parse_export(json.dumps(make_attempt(1).to_json()) + "\n" + line + "\n", "export.jsonl")


def test_a_labeled_row_with_a_huge_integer_names_file_and_line() -> None:
    text = '{"answer": "a", "overall": 3}\n{"answer": "b", "overall": 1' + "0" * 400 + "}\n"
    with pytest.raises(InputError, match=r"^labeled\.jsonl:2: field 'overall' must be a finite number"):
        parse_labeled(text, "labeled.jsonl")


# --- GENCO_DB_TIMEOUT -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e999", "nan", "-1", "inf", "soon", "1e300"])
def test_a_db_timeout_that_is_no_number_of_seconds_is_one_line(filled: Path, monkeypatch: pytest.MonkeyPatch,
                                                              value: str) -> None:
    monkeypatch.setenv(database.TIMEOUT_ENV, value)
    one_error(run("history"), "GENCO_DB_TIMEOUT must be a number of seconds from 0 to 86400")
    with pytest.raises(HistoryError, match="GENCO_DB_TIMEOUT"):
        database.busy_timeout()


@pytest.mark.parametrize("command", ["score", "grade"])
def test_a_bad_db_timeout_is_said_before_scoring(filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 command: str) -> None:
    """`score` scored, then sent a good attempt to the recovery file over a typo in the variable."""
    answer = tmp_path / "answer.txt"
    answer.write_text("Candidate: A generator yields many values.", encoding="utf-8")
    monkeypatch.setenv(database.TIMEOUT_ENV, "nan")
    one_error(run(command, "-d", "quick", "--answer-file", str(answer)),
              "GENCO_DB_TIMEOUT must be a number of seconds from 0 to 86400")
    assert not recovery_path().exists()


@pytest.mark.parametrize("value, seconds", [("0", 0.0), ("2.5", 2.5), ("", database.DEFAULT_TIMEOUT)])
def test_a_db_timeout_in_range_is_taken(monkeypatch: pytest.MonkeyPatch, value: str, seconds: float) -> None:
    monkeypatch.setenv(database.TIMEOUT_ENV, value)
    assert database.busy_timeout() == seconds


# --- purge with nobody to ask -----------------------------------------------------------------------


def test_purge_with_no_terminal_says_to_pass_yes_and_deletes_nothing(filled: Path) -> None:
    one_error(run("history", "purge", input=""), "nothing deleted (use --yes)")
    with open_history(create=False) as store:
        assert store.count() == 6


# --- a corrupt byte inside the schema --------------------------------------------------------------


def _corrupt_schema(path: Path) -> None:
    """A byte that is not UTF-8 inside the SQL of the attempts table: SQLite's message about it quotes
    the byte, which sqlite3 cannot decode (UnicodeDecodeError, not DatabaseError)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    where = data.find(b"CREATE TABLE attempts")
    assert where > 0
    data[where + 7] = 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["history"], ["show", "1"], ["report"], ["next"], ["history", "export", "-"],
                                     ["history", "delete", "1"], ["history", "purge", "--yes"],
                                     ["history", "import", "EXPORT"]], ids=" ".join)
def test_a_corrupt_byte_in_the_schema_is_a_corrupt_history(filled: Path, tmp_path: Path, command: list[str]) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text(make_attempt(9).to_line(), encoding="utf-8")
    _corrupt_schema(filled)
    before = filled.read_bytes()
    one_error(run(*[str(export) if word == "EXPORT" else word for word in command]), "is corrupt", str(filled))
    assert filled.read_bytes() == before


def test_saving_into_a_history_with_a_corrupt_schema_keeps_the_attempt(filled: Path, home: Path) -> None:
    _corrupt_schema(filled)
    attempt = make_attempt(9, answer="kept all the same")
    with pytest.raises(HistoryError, match="is corrupt.*the attempt was written to") as caught:
        history.store(None, [attempt])
    assert caught.value.recovered == 1 and caught.value.recovery == home / "recovery" / RECOVERY_NAME
    assert parse_export(read_export(str(caught.value.recovery)), "recovery")[0].answer == "kept all the same"


def _scramble_a_table_page(path: Path) -> None:
    """3,000 random bytes (seeded) over the second page, the attempts table's root: the file opens and an
    insert may still succeed, while every listing finds the damage."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    noise = random.Random(1)
    data = bytearray(path.read_bytes())
    data[5000:8000] = bytes(noise.randrange(256) for _ in range(3000))
    path.write_bytes(bytes(data))


def test_saving_into_a_damaged_history_keeps_the_attempt_aside_and_the_file_untouched(filled: Path, home: Path) -> None:
    """An insert touching only undamaged pages succeeded, said "saved as attempt 500" (a number read from a
    damaged page), and left the attempt where no listing could reach it."""
    _scramble_a_table_page(filled)
    before = filled.read_bytes()
    with pytest.raises(HistoryError, match="is corrupt.*the attempt was written to") as caught:
        history.store(None, [make_attempt(9, answer="kept all the same")])
    assert filled.read_bytes() == before
    assert parse_export(read_export(str(caught.value.recovery)), "recovery")[0].answer == "kept all the same"


# --- a batch the history stops ----------------------------------------------------------------------


def test_a_failed_save_says_how_many_attempts_went_to_the_recovery_file(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corrupt.sqlite3"  # a damaged history: it cannot take them, but could once moved aside
    folder.write_bytes(b"SQLite format 3\x00" + b"not a database at all" * 100)
    with pytest.raises(HistoryError, match=r"the 3 attempts were written to .*add them later") as caught:
        history.store(folder, [make_attempt(i) for i in range(3)])
    # that history's own recovery file, and a command that imports it into that history, not the default one
    assert caught.value.recovered == 3 and caught.value.recovery == home / "recovery" / recovery_name(folder)
    assert recovery_name(folder) != RECOVERY_NAME == recovery_name(None)
    assert f"`genco history import {caught.value.recovery} --db {folder}`" in str(caught.value)


def test_the_recovery_hint_for_a_newer_history_waits_for_an_upgrade(home: Path, tmp_path: Path) -> None:
    """The hint said to import into the history this genco had just refused as too new, which refused again."""
    db = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(HistoryError, match="newer genco") as caught:
        history.store(db, [make_attempt(0)])
    assert str(caught.value).endswith(f"`genco history import {caught.value.recovery} --db {db}` once genco is upgraded)")


@pytest.mark.slow
def test_a_batch_stopped_by_the_history_says_what_was_printed_saved_and_left(real_model_cli, home: Path,
                                                                             tmp_path: Path) -> None:
    batch = tmp_path / "answers.jsonl"  # the first row holds nothing to score: printed with its 0, never kept
    batch.write_text("".join(json.dumps({"id": str(i), "answer": f"A generator yields value {i}." if i else " "})
                             + "\n" for i in range(40)), encoding="utf-8")
    db = tmp_path / "corrupt.sqlite3"
    db.write_bytes(b"not a database at all" * 100)
    result = run("score", "-d", "quick", "--input", str(batch), "--format", "jsonl", "--db", str(db))
    printed = len(result.stdout.splitlines())
    recovery = home / "recovery" / recovery_name(db)
    error = one_error(result, f"{printed} of 40 answers were scored and printed: 0 saved in the history, "
                              f"{printed - 1} in {recovery}, 1 held nothing to score, {40 - printed} not scored")
    assert f"the rest start at line {printed + 1} of {batch}" in error  # the blank row was counted as saved
    assert "the attempt was" not in error
    assert len(recovery.read_text(encoding="utf-8").splitlines()) == printed - 1


@pytest.mark.parametrize("retired", ["'x'", "x'00'", "2.5e0", "9223372036854775807", "-5"])
def test_a_retired_number_edited_into_something_else_never_loses_a_new_attempt(tmp_path: Path, retired: str) -> None:
    """Text sorts above every number in SQLite and 'x' + 1 is 1: the new attempt was given number 1,
    taken, and dropped as if already kept (`imported 0, skipped 1`), the typed answer with it."""
    path = tmp_path / "h.sqlite"
    with open_history(path) as store:
        store.add([make_attempt(0)])
    with sqlite3.connect(path) as conn:
        conn.execute(f"INSERT OR REPLACE INTO retired_numbers VALUES ('attempts', {retired})")
    conn.close()
    new = make_attempt(1, answer="the new one")
    with open_history(path) as store:
        added, skipped = store.add([new])
        assert (len(added), skipped) == (1, 0)
        assert store.find(str(added[0])).answer == "the new one"
        assert store.add([new]) == ([], 1)  # the same uid again is the one thing skipped
        store.delete(str(added[0]))
        again, _ = store.add([make_attempt(2)])
        assert again[0] > added[0]  # a deleted number is retired, never given again


def test_an_attempt_number_that_clashes_is_an_error_never_already_kept(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a uid already kept is skipped: an answer given a taken number was dropped as a duplicate."""
    path = tmp_path / "h.sqlite"
    with open_history(path) as store:
        store.add([make_attempt(0)])
        monkeypatch.setattr(history, "NEXT_NUMBER", "(1)")
        with pytest.raises(sqlite3.IntegrityError):
            store.add([make_attempt(1, answer="the new one")])
        assert len(store.attempts()) == 1


@pytest.mark.parametrize("stamp", ["", "PRAGMA application_id = 1195724355;"], ids=["dump", "version-lost"])
def test_a_history_copied_without_its_version_says_how_to_restore_it(filled: Path, tmp_path: Path, stamp: str) -> None:
    """`sqlite3 .dump` keeps neither the schema version nor the application id: the copy was "another
    program's" file, and with the id alone SQLite's own "table attempts already exists" came out."""
    with sqlite3.connect(filled) as source:
        script = "\n".join(source.iterdump())
    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as restored:
        restored.executescript(script + stamp)
    kept = copy.read_bytes()
    refused = run("history", "--db", str(copy))
    assert refused.exit_code == 1 and "a copy made with `sqlite3 .dump`?" in refused.stderr, refused.stderr
    assert copy.read_bytes() == kept
    with sqlite3.connect(copy) as restored:
        restored.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    assert run("history", "--db", str(copy), "--format", "json").exit_code == 0
    assert len(json.loads(run("history", "--db", str(copy), "--format", "json").stdout)) == 6


def test_an_answer_damaged_into_bytes_that_are_no_text_exports_and_imports_back(filled: Path, tmp_path: Path) -> None:
    """It read as "\ufffd\x00\ufffd", which import refuses (nothing to score): the whole export was refused."""
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE attempts SET answer = X'FF00FF' WHERE id = 2")
    shown = json.loads(run("show", "2", "--json").stdout)
    assert shown["answer"] == rows.UNREADABLE_ANSWER and any("answer" in note for note in shown["notes"])
    export = tmp_path / "all.jsonl"
    assert run("history", "export", str(export)).exit_code == 0
    imported = run("history", "import", str(export), "--db", str(tmp_path / "new.db"))
    assert imported.exit_code == 0 and "imported 6 attempts" in imported.stdout, imported.output


def test_a_history_damaged_outside_the_attempt_rows_is_not_listed_as_sound(filled: Path) -> None:
    """The listing reads only the attempt rows: a damaged page elsewhere listed as a sound history while
    show, report and export called the file corrupt."""
    data = bytearray(filled.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[2 * page:3 * page] = random.Random(7).randbytes(page)
    filled.write_bytes(bytes(data))
    one_error(run("history"), "is corrupt", str(filled))


def test_a_file_the_kernel_makes_up_is_no_history_and_no_output_file(home: Path, tmp_path: Path) -> None:
    """/proc files pass for regular ones: SQLite said "disk I/O error", the free space it found (none) read as
    a full disk, and a listing of /proc/self/mem said it held no attempts."""
    if not Path("/proc/version").is_file():
        pytest.skip("no /proc here")
    for command in (["history", "--db", "/proc/version"], ["history", "export", "/proc/version", "--force"]):
        one_error(run(*command), "/proc/version", "is a file the kernel makes up")
    told = database.describe(sqlite3.OperationalError("disk I/O error"), Path("/proc/self/mem"))
    assert "disk it is on is full" not in told


# --- salvaging a damaged history -------------------------------------------------------------------


def _history_of(path: Path, attempts: int) -> tuple[list[str], int]:
    """A history of `attempts` answers (several to a page), all in the file itself (no -wal): the answers,
    oldest first, and the file's page size."""
    answers = [f"answer {i}: " + "a generator yields values lazily. " * 15 for i in range(attempts)]
    with open_history(path) as store:
        store.add([make_attempt(i % 28, answer=answer) for i, answer in enumerate(answers)])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return answers, page


def _overwrite_root(path: Path, table: str, noise: bytes) -> None:
    """The start of `table`'s root page in the history at `path` overwritten with `noise`."""
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page:(root - 1) * page + len(noise)] = noise
    path.write_bytes(bytes(data))


def _damaged_history(path: Path, attempts: int = 120) -> list[str]:
    """A history of `attempts` answers with the page of the attempts table holding the middle one
    overwritten (seeded noise); the answers, oldest first."""
    answers, page = _history_of(path, attempts)
    data = bytearray(path.read_bytes())
    start = data.find(f"answer {attempts // 2}: ".encode()) // page * page
    data[start:start + page] = bytes(random.Random(2).randrange(256) for _ in range(page))
    path.write_bytes(bytes(data))
    return answers


def test_salvage_reads_every_attempt_a_damaged_page_does_not_hold(tmp_path: Path, home: Path) -> None:
    """A damaged page loses the attempts on it, not the history: the listing refuses the file, while
    `export --salvage` writes the rest, with their marks, and says how many it could not read."""
    damaged = tmp_path / "damaged.sqlite3"
    answers = _damaged_history(damaged)
    before = damaged.read_bytes()
    one_error(run("history", "--db", str(damaged)), "is corrupt", "history export --salvage")
    saved = tmp_path / "saved.jsonl"
    result = run("history", "export", str(saved), "--salvage", "--db", str(damaged))
    assert result.exit_code == 0, result.output
    rescued = parse_export(read_export(str(saved)), "saved")
    assert len(answers) - 12 <= len(rescued) < len(answers)
    assert {a.answer for a in rescued} < set(answers) and all(a.concepts for a in rescued)
    assert re.search(rf"salvaged {len(rescued)} attempts .*; {len(answers) - len(rescued)} attempts? could not be read",
                     result.stderr)
    assert damaged.read_bytes() == before  # only read
    # and they carry on in a new history
    fresh = tmp_path / "fresh.sqlite3"
    assert run("history", "import", str(saved), "--db", str(fresh)).exit_code == 0
    assert run("history", "--db", str(fresh), "--format", "json").exit_code == 0


@pytest.mark.parametrize("command", [["report"], ["show", "1"], ["next"], ["history"]], ids=" ".join)
def test_a_history_damaged_where_a_command_does_not_read_is_refused_by_it_too(tmp_path: Path, home: Path,
                                                                             command: list[str]) -> None:
    """`history` called a file corrupt while `report`, `show` and `next` read it as sound: each reads only some pages."""
    damaged = tmp_path / "damaged.sqlite3"
    _, page = _history_of(damaged, 40)
    _overwrite_root(damaged, "interviews", bytes(random.Random(3).randrange(256) for _ in range(page)))
    one_error(run(*command, "--db", str(damaged)), "is corrupt", "history export --salvage")


def test_delete_never_writes_a_damaged_history(tmp_path: Path, home: Path) -> None:
    """Every other write refused a damaged file, left untouched; `delete` changed it and said it had."""
    damaged = tmp_path / "damaged.sqlite3"
    _damaged_history(damaged)
    before = damaged.read_bytes()
    one_error(run("history", "delete", "1", "--yes", "--db", str(damaged)), "is corrupt", "history export --salvage")
    assert damaged.read_bytes() == before


def test_salvage_of_a_sound_history_is_its_whole_export(filled: Path, tmp_path: Path) -> None:
    plain, salvaged = tmp_path / "plain.jsonl", tmp_path / "salvaged.jsonl"
    assert run("history", "export", str(plain)).exit_code == 0
    result = run("history", "export", str(salvaged), "--salvage")
    assert result.exit_code == 0 and "every attempt was read" in result.stderr
    assert salvaged.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    nothing = run("history", "export", str(tmp_path / "none.jsonl"), "--salvage", "--db", str(empty))
    assert nothing.exit_code == 0 and "salvaged 0 attempts" in nothing.stderr and "it holds no attempts" in nothing.stderr


def test_a_salvage_that_reads_no_attempt_of_a_damaged_history_fails(tmp_path: Path, home: Path) -> None:
    """It wrote an empty file, said 3 attempts could not be read, and exited 0, as a rescue that worked."""
    damaged = tmp_path / "damaged.sqlite3"
    _history_of(damaged, 3)
    _overwrite_root(damaged, "attempts", b"\xff" * 4)
    saved = tmp_path / "saved.jsonl"
    error = one_error(run("history", "export", str(saved), "--salvage", "--db", str(damaged)),
                      "salvaged nothing: 3 attempts could not be read; nothing was written to")
    assert not saved.exists(), error


def test_salvage_reads_a_history_cut_short(tmp_path: Path, home: Path) -> None:
    """A file one page shorter than its header says was refused by SQLite as a whole, salvage included:
    a padded private copy is read instead."""
    cut = tmp_path / "cut.sqlite3"
    answers, page = _history_of(cut, 60)
    cut.write_bytes(cut.read_bytes()[:-page])
    before = cut.read_bytes()
    saved = tmp_path / "saved.jsonl"
    result = run("history", "export", str(saved), "--salvage", "--db", str(cut))
    assert result.exit_code == 0, result.output
    assert len(parse_export(read_export(str(saved)), "saved")) >= len(answers) - 12
    assert cut.read_bytes() == before


@pytest.mark.parametrize("pages", [0x40000, 0x7FFFFFFF], ids=["a gigabyte", "eight terabytes"])
def test_salvage_reads_a_history_whose_page_count_is_damaged(tmp_path: Path, home: Path, pages: int) -> None:
    """A header claiming far more pages than the file has is damaged itself: salvage padded a copy to that
    length (a gigabyte written, or a MemoryError traceback); now it reads a copy told its true length."""
    damaged = tmp_path / "count.sqlite3"
    answers, _ = _history_of(damaged, 20)
    data = bytearray(damaged.read_bytes())
    data[28:32] = pages.to_bytes(4, "big")
    damaged.write_bytes(bytes(data))
    saved = tmp_path / "saved.jsonl"
    result = run("history", "export", str(saved), "--salvage", "--db", str(damaged))
    assert result.exit_code == 0, result.output
    assert [a.answer for a in parse_export(read_export(str(saved)), "saved")] == answers
    assert damaged.read_bytes() == bytes(data)


def _with_a_commit_only_in_its_wal(path: Path, copy: Path) -> None:
    """`copy` (and its -wal) of a history whose newest attempt, "newest", is in its -wal alone: a
    reader's open snapshot keeps it from being checkpointed into the file."""
    with open_history(path) as store:
        store.add([make_attempt(day, answer=f"answer {day}") for day in range(7)])
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM attempts").fetchone()
    with open_history(path) as store:
        store.add([make_attempt(2, answer="newest")])
    shutil.copyfile(path, copy)
    shutil.copyfile(f"{path}-wal", f"{copy}-wal")
    reader.close()


@pytest.mark.parametrize("pages", [2, 0x7FFFFFFF], ids=["too few", "far too many"])
def test_salvage_of_a_damaged_page_count_reads_the_commits_in_the_wal(tmp_path: Path, home: Path, pages: int) -> None:
    """A page count too small gave "nothing could be salvaged" for a history every row of which could be
    read; the copy read for a damaged count left the -wal out, and the export lacked the newest attempt
    while saying every attempt was read."""
    damaged = tmp_path / "wal.sqlite3"
    _with_a_commit_only_in_its_wal(tmp_path / "source.sqlite3", damaged)
    data = bytearray(damaged.read_bytes())
    data[28:32] = pages.to_bytes(4, "big")
    damaged.write_bytes(bytes(data))
    saved = tmp_path / "saved.jsonl"
    result = run("history", "export", str(saved), "--salvage", "--db", str(damaged))
    assert result.exit_code == 0 and "every attempt was read" in result.stderr, result.output
    answers = [a.answer for a in parse_export(read_export(str(saved)), "saved")]
    assert len(answers) == 8 and "newest" in answers


def test_an_attempt_salvaged_without_its_marks_says_so_wherever_it_goes(tmp_path: Path, home: Path) -> None:
    """Lost concept rows were exported as an empty list and shown as an answer that earned nothing: the
    attempt now carries a note that its marks could not be read, through export, import and `show`."""
    broken = tmp_path / "broken.sqlite3"
    _history_of(broken, 3)
    conn = sqlite3.connect(broken, isolation_level=None)
    conn.execute("DROP TABLE concept_results")
    conn.close()
    saved = tmp_path / "saved.jsonl"
    result = run("history", "export", str(saved), "--salvage", "--db", str(broken))
    assert result.exit_code == 0, result.output
    rescued = parse_export(read_export(str(saved)), "saved")
    assert len(rescued) == 3 and not any(a.concepts for a in rescued)
    assert all(any("without its concept marks" in note for note in a.notes) for a in rescued)
    assert not any("red flags" in note for a in rescued for note in a.notes)  # the misconception rows were read
    fresh = tmp_path / "fresh.sqlite3"
    assert run("history", "import", str(saved), "--db", str(fresh)).exit_code == 0
    shown = run("show", "1", "--db", str(fresh))
    assert shown.exit_code == 0 and "without its concept marks" in " ".join(shown.stdout.split())



def _version_1_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "fixtures" / "history-v1.sql").read_text(encoding="utf-8"))
    conn.close()


def _version_3_file(path: Path) -> None:
    """Version 3: interviews kept, no `grade` column yet; one attempt with a concept mark."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:3]:
        step.apply(conn)
    conn.execute("INSERT INTO attempts (id, uid, created_at, question, depth, answer, score, model, genco_version) "
                 "VALUES (1, '0123456789abcdef0123456789abcdef', '2026-03-01T09:00:00.000000+00:00', "
                 "'coroutine-vs-generator', 'quick', 'Generators yield values.', 40.0, 'all-MiniLM-L6-v2', '0.2.0')")
    schema.insert_children(conn, 1, [{"id": "driver", "name": "Who drives it", "weight": 2.0, "status": "covered",
                                      "score": 0.9, "similarity": 0.7, "evidence": "Generators yield values.",
                                      "description": "d"}], [])
    conn.execute("PRAGMA user_version = 3")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()


@pytest.mark.parametrize("older", [_version_1_file, _version_3_file, _older_build_file],
                         ids=["version 1", "version 3", "an older build's version 4"])
def test_salvage_of_an_older_history_is_the_export_its_upgrade_gives(tmp_path: Path, home: Path, older) -> None:
    """Salvage reads the current schema's columns, so a history from an older version gave "0 attempts;
    every attempt could not be read": it now reads an upgraded copy, the file itself only read."""
    path, upgraded = tmp_path / "old.sqlite3", tmp_path / "upgraded.sqlite3"
    older(path)
    before = path.read_bytes()
    shutil.copyfile(path, upgraded)
    plain, saved = tmp_path / "plain.jsonl", tmp_path / "saved.jsonl"
    assert run("history", "export", str(plain), "--db", str(upgraded)).exit_code == 0
    result = run("history", "export", str(saved), "--salvage", "--db", str(path))
    assert result.exit_code == 0 and "every attempt was read" in result.stderr, result.output
    assert saved.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")
    assert parse_export(read_export(str(saved)), "saved")
    assert path.read_bytes() == before


@pytest.mark.parametrize("version", [1, 3])
def test_a_damaged_history_from_an_older_version_is_left_as_it_was_and_salvaged(tmp_path: Path, home: Path,
                                                                                version: int) -> None:
    """A damaged history from an older version was switched to WAL and upgraded before its damage showed, while
    the command said it was left untouched: it is checked before anything is written to it."""
    path = tmp_path / "old.sqlite3"
    (_version_1_file if version == 1 else _version_3_file)(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    columns = "id, created_at, question, depth, answer, score, model, genco_version" + (", card" if version == 1 else ", uid")
    for number in range(10, 130):
        last = ('{"concepts": [], "misconceptions": [], "notes": []}' if version == 1 else f"{number:032x}")
        conn.execute(f"INSERT INTO attempts ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (number, f"2026-02-{number % 28 + 1:02d}T10:00:00.000000+00:00", "coroutine-vs-generator",
                      "quick", f"answer {number}: " + "words " * 60, 50.0, "all-MiniLM-L6-v2", "0.0.9", last))
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = data.find(b"answer 70: ") // page * page
    data[start:start + page] = bytes(random.Random(3).randrange(256) for _ in range(page))
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    one_error(run("history", "--db", str(path)), "is corrupt", "left untouched")
    assert path.read_bytes() == before and not Path(f"{path}-wal").exists()
    saved = tmp_path / "saved.jsonl"
    result = run("history", "export", str(saved), "--salvage", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert 100 <= len(parse_export(read_export(str(saved)), "saved")) < 121
    assert path.read_bytes() == before


def test_salvage_of_a_damaged_history_with_a_huge_number_edited_in_ends(tmp_path: Path, home: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With the table's listing cut by a damaged page, salvage tried every number up to the highest any listing
    read: one edited by hand to 13 digits never ended. Past MAX_PROBED only the numbers listings read are tried."""
    from genco_interview.progress import salvage

    path = tmp_path / "edited.sqlite3"
    answers, page = _history_of(path, 120)
    conn = sqlite3.connect(path, isolation_level=None)
    for table, key in (("attempts", "id"), ("concept_results", "attempt_id"), ("misconception_hits", "attempt_id")):
        conn.execute(f"UPDATE {table} SET {key} = 1000000000000 WHERE {key} = 120")
    conn.close()
    data = bytearray(path.read_bytes())
    start = data.find(b"answer 60: ") // page * page
    data[start:start + page] = bytes(random.Random(2).randrange(256) for _ in range(page))
    path.write_bytes(bytes(data))
    monkeypatch.setattr(salvage, "MAX_PROBED", 500)  # a million in use: the test need not try them all
    saved = tmp_path / "saved.jsonl"
    result = run("history", "export", str(saved), "--salvage", "--db", str(path))
    assert result.exit_code == 0, result.output
    rescued = [a.answer for a in parse_export(read_export(str(saved)), "saved")]
    assert answers[-1] in rescued and len(answers) - 12 <= len(rescued) < len(answers)


def test_a_row_that_kept_neither_its_answer_nor_its_question_is_not_salvaged(tmp_path: Path, home: Path) -> None:
    """A history cut inside its second page gave one row dated 1970, "unknown · unknown", score 0, whose
    answer read "(an answer no longer readable)": salvaged and imported as an attempt. It counts as unread."""
    cut = tmp_path / "cut.sqlite3"
    _history_of(cut, 3)
    cut.write_bytes(cut.read_bytes()[:5000])
    saved = tmp_path / "saved.jsonl"
    one_error(run("history", "export", str(saved), "--salvage", "--db", str(cut)),
              "salvaged nothing: 1 attempt could not be read; nothing was written")
    assert not saved.exists()


def test_importing_a_mock_interviews_report_says_what_it_is(home: Path, tmp_path: Path) -> None:
    """The recovery folder's interviews.jsonl given to import was refused for "missing field(s): answer, ..."."""
    kept = tmp_path / "interviews.jsonl"
    kept.write_text(json.dumps({"questions": [{"question": "coroutine-vs-generator", "depth": "quick"}], "score": 50.0,
                                "created_at": "2026-03-01T09:00:00+00:00"}) + "\n", encoding="utf-8")
    result = run("history", "import", str(kept))
    assert result.exit_code == 1 and "a mock interview's report" in result.stderr and "missing" not in result.stderr
    assert "attempts.jsonl, which imports" in result.stderr


def test_an_attempt_of_a_model_folder_named_with_a_line_break_keeps_a_name_import_takes(home: Path,
                                                                                     tmp_path: Path) -> None:
    """Scored with such a --model while the history could not be written, it went to the recovery file as it
    was, and the import that file's line suggests refused the whole file."""
    attempt = attempt_from_card(dataclasses.replace(make_card(), model="my\nmodel\x1b[31m"), "an answer")
    assert attempt.model == "my model"
    line = next(iter(export_lines([attempt])))
    assert [a.model for a in parse_export(line, "recovery.jsonl")] == ["my model"]


def test_the_web_app_shows_a_damaged_score_or_date_as_damaged(filled: Path) -> None:
    """Progress listed the stand-ins (0, 1970-01-01) as the attempts' own, and the attempt's page said "Score 0/100"."""
    from starlette.testclient import TestClient
    from web_helpers import make_app

    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET score = 'abc' WHERE id = 1")
    conn.execute("UPDATE attempts SET created_at = 'garbage' WHERE id = 3")
    conn.close()
    client = TestClient(make_app(None, filled), base_url="http://127.0.0.1")
    progress = client.get("/progress").text
    assert "1970-01-01" not in progress and "date damaged" in progress
    assert re.search(r'<a href="/attempts/1">1</a>.*?<td class="num">damaged', progress)
    page = client.get("/attempts/1").text
    assert "Score <strong>damaged</strong>" in page and "/100" not in page


def test_a_report_of_damaged_attempts_only_does_not_say_there_are_none_yet(filled: Path) -> None:
    """It said "No attempts yet: nothing to report. Run `genco practice`" of a history full of them."""
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE attempts SET score = 'abc'")
    conn.close()
    result = run("report")
    assert result.exit_code == 0 and "yet" not in result.stdout and "damaged" in result.stdout, result.output
