"""The history store: round trips, migration, concurrency, and files that must never be damaged."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from genco_interview.answers import InputError
from genco_interview.progress import database, schema
from genco_interview.progress import store as history
from genco_interview.progress.attempt import attempt_from_card, card_from_attempt
from genco_interview.progress.database import HistoryError
from genco_interview.progress.recovery import RECOVERY_NAME
from genco_interview.progress.schema import SCHEMA_VERSION
from genco_interview.progress.store import open_history
from genco_interview.progress.transfer import export_lines, parse_export

from history_helpers import HOSTILE, make_attempt, make_card, progress_attempts

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("GENCO_HOME", str(home))
    monkeypatch.setenv(database.TIMEOUT_ENV, "0.2")
    return home


def db_file(tmp_path: Path) -> Path:
    return tmp_path / "home" / database.DB_NAME


def test_a_stored_attempt_keeps_every_field_and_rebuilds_the_same_card(tmp_path: Path) -> None:
    card = make_card("quick", {"driver": 0.9, "one_vs_many": 0.1}, ("coroutines_are_threads",))
    number = history.store(None, [attempt_from_card(card, HOSTILE, source="interviewer", seconds=42.5)])[0]
    with open_history(create=False) as store:
        found = store.find(str(number))
    assert (found.answer, found.source, found.seconds, found.question, found.depth) == (
        HOSTILE, "interviewer", 42.5, card.question, "quick")
    assert card_from_attempt(found) == card
    assert db_file(tmp_path).exists()


def test_new_file_is_wal_and_current_schema(tmp_path: Path) -> None:
    history.store(None, [attempt_from_card(make_card(), "x")])
    conn = sqlite3.connect(db_file(tmp_path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT count(*) FROM concept_results").fetchone()[0] == 3


def test_reading_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    with open_history(create=False) as store:
        assert store.attempts() == [] and store.count() == 0
    assert not db_file(tmp_path).exists()


def test_export_import_round_trips_exactly_and_skips_duplicates(tmp_path: Path) -> None:
    with open_history() as store:
        store.add(progress_attempts())
        first = "".join(export_lines(store.attempts()))
    other = tmp_path / "other.sqlite3"
    with open_history(other) as store:
        assert store.add(parse_export(first, "x")) == ([1, 2, 3, 4, 5, 6], 0)
        assert store.add(parse_export(first, "x"))[1] == 6  # all duplicates
        again = "".join(export_lines(store.attempts()))
    assert again == first
    assert json.loads(first.splitlines()[-1])["answer"] == HOSTILE


def test_an_export_from_before_grades_were_kept_still_imports() -> None:
    record = json.loads(next(export_lines([make_attempt()])))
    del record["grade"]
    assert parse_export(json.dumps(record) + "\n", "old.jsonl")[0].grade is None


GRADE = {"candidate": "Ann", "note": None, "machine_score": 40.0, "machine": {"driver": "partial"}}


@pytest.mark.parametrize("source, grade, message", [
    ("learner", GRADE, "belongs to interviewer attempts only"),
    ("interviewer", {**GRADE, "machine": {"driver": "great"}}, "grade.machine"),
    ("interviewer", {**GRADE, "machine": {"driver": []}}, "grade.machine"),  # unhashable: was a traceback
    ("interviewer", {**GRADE, "machine": {"driver": {"status": "covered"}}}, "grade.machine"),
    ("interviewer", {**GRADE, "machine_score": 101}, "grade.machine_score"),
    ("interviewer", {"candidate": "Ann"}, "exactly candidate, note"),
    ("interviewer", {**GRADE, "red_flags_dismissed": "all"}, "grade.red_flags_dismissed"),
    ("interviewer", {**GRADE, "red_flags_dismissed": {"points": 120, "flags": []}}, "points (0 to 100)"),
    ("interviewer", {**GRADE, "red_flags_dismissed": {"points": 5, "flags": [{"id": "x"}]}}, "red_flags_dismissed.flags"),
    ("interviewer", {**GRADE, "score": 3}, "may hold overrides, red_flags_dismissed"),
    ("interviewer", {**GRADE, "overrides": {"driver": "contradicted"}}, "grade.overrides"),  # not a mark one gives
    ("interviewer", {**GRADE, "overrides": ["driver"]}, "grade.overrides"),
    ("interviewer", {**GRADE, "overrides": {"nonexistent": "covered"}}, "only mark concepts the grade's machine marks"),
    ("interviewer", {**GRADE, "candidate": "  \u200b "}, "'grade.candidate' is blank"),  # `grade` refuses it
])
def test_import_checks_a_kept_grade(source: str, grade: dict, message: str) -> None:
    record = {**json.loads(next(export_lines([make_attempt()]))), "source": source, "grade": grade}
    with pytest.raises(InputError, match=re.escape(message)):
        parse_export(json.dumps(record) + "\n", "f.jsonl")


def test_a_grade_with_dismissed_red_flags_exports_and_imports_as_it_was() -> None:
    grade = {**GRADE, "red_flags_dismissed": {"points": 26.0, "flags": [
        {"id": "coroutines_are_threads", "description": "Thinks coroutines are threads.", "evidence": "They run in threads."}]}}
    record = {**json.loads(next(export_lines([make_attempt()]))), "source": "interviewer", "grade": grade}
    assert parse_export(json.dumps(record) + "\n", "f.jsonl")[0].grade == grade


def test_a_grade_with_overrides_exports_and_imports_as_it_was() -> None:
    grade = {**GRADE, "overrides": {"driver": "partial"}}  # as the machine marked it: fixed credit all the same
    record = {**json.loads(next(export_lines([make_attempt()]))), "source": "interviewer", "grade": grade}
    assert parse_export(json.dumps(record) + "\n", "f.jsonl")[0].grade == grade


def test_a_damaged_grade_reads_as_none_and_the_attempt_still_shows(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    history.store(db, [replace(make_attempt(), source="interviewer", grade=GRADE)])
    with open_history(db) as store:
        assert store.find("last").grade == GRADE
    conn = sqlite3.connect(db)
    conn.execute("UPDATE attempts SET grade = '{\"candidate\": 5}'")
    conn.commit()
    conn.close()
    with open_history(db) as store:
        assert store.find("last").grade is None


@pytest.mark.parametrize("line, message", [
    ("{not json", "malformed JSON"),
    ('{"uid": "a"}', "missing field(s)"),
    ('[1, 2]', "expected an attempt object"),
])
def test_import_names_the_bad_line(line: str, message: str) -> None:
    good = next(export_lines([make_attempt()]))
    with pytest.raises(InputError, match=rf"f.jsonl:2: .*{re.escape(message)}"):
        parse_export(good + line + "\n", "f.jsonl")


@pytest.mark.parametrize("field", ["concepts", "misconceptions"])
def test_an_imported_attempt_listing_one_id_twice_is_refused(field: str) -> None:
    """Three rows of one concept were kept, and the report averaged them into a mastery nobody scored."""
    record = json.loads(next(export_lines([make_attempt()])))
    rows = record[field] or [{"id": "m", "description": "d", "correction": "c", "penalty": 5.0,
                              "similarity": 0.7, "evidence": "e"}]
    record[field] = [rows[0], *rows[1:], dict(rows[0])]
    with pytest.raises(InputError, match=rf'f.jsonl:1: .*{field}\[{len(rows)}\]: id "{rows[0]["id"]}" is listed twice'):
        parse_export(json.dumps(record) + "\n", "f.jsonl")


def test_an_imported_answer_longer_than_any_genco_accepts_is_refused() -> None:
    """`score` reads at most ANSWER_LIMIT bytes of an answer: an import must not keep a longer one."""
    from genco_interview.answers import ANSWER_LIMIT

    fits, too_long = (make_attempt(0, answer="é" * (size // 2)) for size in (ANSWER_LIMIT, ANSWER_LIMIT + 2))
    assert parse_export(next(export_lines([fits])), "f.jsonl")[0].answer == fits.answer
    with pytest.raises(InputError, match=r"f\.jsonl:1: .*'answer' is longer than the 4 MB"):
        parse_export(next(export_lines([too_long])), "f.jsonl")


@pytest.mark.parametrize(("field", "value"), [("question", "coroutine-vs-generator\n"), ("depth", "quick "),
                                              ("uid", "0" * 32 + "\n")])
def test_an_imported_name_with_a_stray_line_break_or_space_is_refused(field: str, value: str) -> None:
    """It differed from the rubric's id only invisibly, and its line break broke the history table."""
    record = json.loads(next(export_lines([make_attempt()])))
    record[field] = value
    with pytest.raises(InputError, match=f"f.jsonl:1: .*'{field}'"):
        parse_export(json.dumps(record) + "\n", "f.jsonl")


def test_find_by_number_last_and_uid_prefix() -> None:
    rows = progress_attempts()
    with open_history() as store:
        store.add(rows)
        assert store.find("last").uid == rows[-1].uid
        uid = rows[2].uid  # a prefix of digits alone is a number: the shortest one with a letter in it
        assert store.find(next(uid[:n] for n in range(8, 33) if not uid[:n].isdigit())).id == 3
        assert store.find("0" * 5000 + "3").id == 3  # leading zeros name the same number, however many
        with pytest.raises(InputError, match="no attempt '99'"):
            store.find("99")
        with pytest.raises(InputError, match="no attempt '3" + "0" * 19):
            store.find("3" + "0" * 19)  # past SQLite's integers: no attempt, not an overflow


def test_delete_and_purge_remove_child_rows_too(tmp_path: Path) -> None:
    with open_history() as store:
        store.add(progress_attempts())
        assert store.delete("1").answer == "they are threads?"
        assert store.count() == 5
        assert store.purge() == 5
        leftovers = store.conn.execute("SELECT (SELECT count(*) FROM concept_results) "
                                       "+ (SELECT count(*) FROM misconception_hits)").fetchone()[0]
    assert leftovers == 0


def test_a_delete_confirmed_after_a_purge_elsewhere_leaves_the_new_attempt_of_that_number() -> None:
    """`history delete 1` asks first; a purge by another genco meanwhile gave number 1 to a new attempt,
    which the yes deleted, unseen."""
    rows = progress_attempts()
    with open_history() as store:
        store.add(rows[:1])
        shown = store.find("1")
        store.purge()
        store.add(rows[1:2])
        with pytest.raises(InputError, match="no longer the one shown"):
            store.delete("1", uid=shown.uid)
        assert store.count() == 1
        assert store.delete("1", uid=store.find("1").uid).uid != shown.uid


def test_a_deleted_number_is_never_given_again_until_a_purge() -> None:
    """An interview report names its attempts by number, and `history delete N` twice must not
    delete a second attempt: the newest attempt's number, once deleted, stays retired."""
    rows = progress_attempts()
    with open_history() as store:
        store.add(rows[:3])
        store.delete("3")
        store.delete("2")
        assert store.add(rows[3:4])[0] == [4]
        with pytest.raises(InputError, match="no attempt '3'"):
            store.find("3")
        store.purge()
        assert store.add(rows[4:5])[0] == [1]  # nothing is left that could name an old number


@pytest.mark.parametrize("ref", ["______", "%%%%%%", "%", "abc_%%", "2026-0"])
def test_an_attempt_reference_is_never_a_pattern(ref: str) -> None:
    with open_history() as store:
        store.add(progress_attempts()[:1])
        with pytest.raises(InputError, match="no attempt"):
            store.find(ref)


def test_filters_are_applied_in_sql() -> None:
    with open_history() as store:
        store.add(progress_attempts())
        assert len(store.attempts(depth="detailed")) == 1
        assert [a.id for a in store.attempts(since="2026-03-05", newest_first=True)] == [6, 5]
        assert len(store.attempts(limit=2)) == 2
        light = store.attempts(evidence=False, concepts_of_latest=2)
    assert [bool(a.concepts) for a in light] == [False, False, False, True, True, True]
    assert "evidence" not in light[-1].concepts[0]


# --- migration ------------------------------------------------------------------------------------


def test_migrates_a_version_1_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "history-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    with open_history(path) as store:
        old = store.attempts()
        store.add([make_attempt(day=30)])
        assert store.count() == 3
    assert [a.score for a in old] == [57.2, 0.0]
    assert old[0].concepts[1]["status"] == "covered" and old[0].source == "learner"
    assert old[1].misconceptions[0]["id"] == "coroutines_are_threads"
    assert len({a.uid for a in old}) == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "card" not in [row[1] for row in conn.execute("PRAGMA table_info(attempts)")]


def test_a_version_1_file_with_a_row_copied_by_hand_opens_and_keeps_both(tmp_path: Path) -> None:
    """Two rows alike got one uid, which must be unique: the file could neither be opened nor salvaged."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "history-v1.sql").read_text(encoding="utf-8"))
    conn.execute("INSERT INTO attempts SELECT 99, created_at, question, depth, answer, score, model, genco_version, card "
                 "FROM attempts WHERE id = 1")
    conn.commit()
    conn.close()
    with open_history(path) as store:
        kept = store.attempts()
    assert len(kept) == 3 and len({a.uid for a in kept}) == 3
    assert kept[0].answer == kept[1].answer  # both kept, oldest first


def test_migrated_uids_are_stable_so_reimport_skips(tmp_path: Path) -> None:
    exports = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite3"
        conn = sqlite3.connect(path)
        conn.executescript((FIXTURES / "history-v1.sql").read_text(encoding="utf-8"))
        conn.close()
        with open_history(path) as store:
            exports.append("".join(export_lines(store.attempts())))
    assert exports[0] == exports[1]


# --- files that must not be damaged ---------------------------------------------------------------


def _recovered(home: Path) -> list[dict]:
    path = home / "recovery" / RECOVERY_NAME
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_corrupt_file_is_untouched_and_the_attempt_recovered(tmp_path: Path, _home: Path) -> None:
    path = db_file(tmp_path)
    path.parent.mkdir(parents=True)
    garbage = b"SQLite format 3\x00" + os.urandom(4000)
    path.write_bytes(garbage)
    with pytest.raises(HistoryError, match="is corrupt") as caught:
        history.store(None, [attempt_from_card(make_card(), "my precious answer")])
    assert path.read_bytes() == garbage
    assert str(_home / "recovery") in str(caught.value)
    assert _recovered(_home)[0]["answer"] == "my precious answer"


def test_newer_schema_is_refused_and_not_modified(tmp_path: Path, _home: Path) -> None:
    history.store(None, [attempt_from_card(make_card(), "first")])
    conn = sqlite3.connect(db_file(tmp_path))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = db_file(tmp_path).read_bytes()
    with pytest.raises(HistoryError, match="newer genco"):
        history.store(None, [attempt_from_card(make_card(), "second")])
    with pytest.raises(HistoryError, match="newer genco"):
        with open_history(create=False):
            pass
    assert db_file(tmp_path).read_bytes() == before
    assert _recovered(_home)[0]["answer"] == "second"


def _saved_while_locked_and_interrupted(path: Path, db: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Save an attempt into the history at `path` (`db` as the command names it) while another program holds
    its write lock for longer than the test runs (GENCO_DB_TIMEOUT 60 s), the save held against interrupts
    as a command holds it, and SIGTERM sent after 0.5 s: the save must give up well before the timeout,
    refused by the lock with its attempt in the recovery file, and the interrupt follow it."""
    import signal
    import threading

    from genco_interview.interrupts import Interrupted, caught_interrupts, held

    monkeypatch.setenv(database.TIMEOUT_ENV, "60")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    pressed = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    started = time.monotonic()
    try:
        with pytest.raises(Interrupted), caught_interrupts():
            try:
                with held():
                    pressed.start()
                    history.store(db, [attempt_from_card(make_card(), "while locked")])
            except HistoryError as refused:
                assert "locked by another program (the wait cut short by the interrupt)" in str(refused)
                assert refused.recovered == 1
                raise Interrupted("SIGTERM") from None  # the held interrupt, as the command's handler ends it
        assert time.monotonic() - started < 30  # not the 60 s the lock would have kept it
    finally:
        pressed.cancel()
        holder.execute("ROLLBACK")
        holder.close()


def test_an_interrupt_ends_the_wait_for_a_locked_history(tmp_path: Path, _home: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C waited out the whole lock wait (a day with GENCO_DB_TIMEOUT=86400): the save, held against
    interrupts, sat in SQLite's wait, which no signal cuts short. The save now gives up and says where the
    attempt went; the interrupt follows it."""
    history.store(None, [attempt_from_card(make_card(), "first")])
    _saved_while_locked_and_interrupted(db_file(tmp_path), None, monkeypatch)
    assert _recovered(_home)[0]["answer"] == "while locked"


def test_an_interrupt_ends_the_wait_to_upgrade_a_locked_older_history(tmp_path: Path, _home: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A history from an older genco is upgraded as it is opened to save: that wait for another program's lock
    was SQLite's own, and Ctrl-C waited it out."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "history-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    _saved_while_locked_and_interrupted(path, str(path), monkeypatch)


def test_locked_file_times_out_and_recovers(tmp_path: Path, _home: Path) -> None:
    history.store(None, [attempt_from_card(make_card(), "first")])
    holder = sqlite3.connect(db_file(tmp_path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(HistoryError, match="locked by another program"):
            history.store(None, [attempt_from_card(make_card(), "while locked")])
        assert time.monotonic() - started < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with open_history(create=False) as store:
        assert [a.answer for a in store.attempts()] == ["first"]
    assert _recovered(_home)[0]["answer"] == "while locked"


@pytest.fixture
def read_only(tmp_path: Path):
    """Make a file read-only for real: root ignores mode bits, so as root the file is made immutable."""
    made = []

    def apply(path: Path) -> None:
        if os.geteuid() == 0:
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
                pytest.skip("running as root on a filesystem without chattr +i: cannot make a read-only file")
            made.append(path)
        else:
            path.chmod(0o555 if path.is_dir() else 0o444)

    yield apply
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_companions_a_reader_left_read_only_follow_the_history_again(tmp_path: Path, _home: Path) -> None:
    """Reading a history while it was read-only leaves SQLite's -wal and -shm with its read-only
    mode; once the history is writable again they must not keep every later write out."""
    import stat

    history.store(None, [attempt_from_card(make_card(), "first")])
    path = db_file(tmp_path)
    companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    reader = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)  # a reader cannot checkpoint: they stay
    reader.execute("SELECT count(*) FROM attempts").fetchall()
    for companion in companions:
        companion.chmod(0o444)  # as they are when the history was read-only while it was read
    reader.close()
    assert all(c.exists() for c in companions)
    with open_history(path) as store:
        store.add([attempt_from_card(make_card(), "second")])
        modes = {stat.S_IMODE(c.stat().st_mode) for c in companions if c.exists()}
        assert modes == {stat.S_IMODE(path.stat().st_mode)}
    assert len(history.store(None, [attempt_from_card(make_card(), "third")])) == 1


def test_a_companion_someone_else_owns_is_named_not_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The history is writable but another user's -shm is not: the error names the -shm."""
    path = tmp_path / "h.sqlite3"
    shm = path.with_name(path.name + "-shm")
    path.write_bytes(b"")
    shm.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda file, mode: Path(file) != shm)
    for error in ("attempt to write a readonly database", "unable to open database file"):
        told = database.describe(sqlite3.OperationalError(error), path)
        assert told.startswith(f"history file {path} cannot be written: {shm} is not writable by you"), told


def test_a_writable_history_in_a_folder_one_cannot_write_names_the_folder(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is the user's and writable; SQLite cannot make its -wal beside it: making the file
    writable, as the error said, changes nothing."""
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda file, mode: Path(file) != tmp_path)
    told = database.describe(sqlite3.OperationalError("attempt to write a readonly database"), path)
    assert told.startswith(f"history file {path} cannot be written: its folder {tmp_path} is not writable by you"), told


def test_a_history_one_may_not_read_is_named_not_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A history of mode 000 in a writable folder: the error sent the user to check the folder."""
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda file, mode: Path(file) != path)
    told = database.describe(sqlite3.OperationalError("unable to open database file"), path)
    assert told.startswith(f"history file {path} cannot be opened: it is not readable by you (permission denied)"), told


def test_a_full_disk_is_named_whatever_sqlite_calls_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a full disk `delete` said the history was read-only, `score` "disk I/O error", `import` "full"."""
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"")
    errors = ("attempt to write a readonly database", "disk I/O error", "database or disk is full")
    assert "disk it is on is full" not in database.describe(sqlite3.OperationalError(errors[1]), path)  # room here
    monkeypatch.setattr(database.shutil, "disk_usage", lambda folder: SimpleNamespace(total=10**12, free=0))
    for error in errors:
        told = database.describe(sqlite3.OperationalError(error), path)
        assert told == f"history file {path} cannot be written: the disk it is on is full; free some space and try again"


def test_a_read_only_disk_is_named_before_its_free_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A history on a read-only mount (a backup's squashfs, a small tmpfs remounted) was said to be on a full disk:
    such a disk reports no free space, or little."""
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"")
    monkeypatch.setattr(database.shutil, "disk_usage", lambda folder: SimpleNamespace(total=10**6, free=0))
    monkeypatch.setattr(database.os, "statvfs", lambda folder: SimpleNamespace(f_flag=os.ST_RDONLY))
    told = database.describe(sqlite3.OperationalError("attempt to write a readonly database"), path)
    assert told.startswith(f"history file {path} cannot be written: the disk it is on is mounted read-only"), told


def test_read_only_file_can_be_read_but_saving_recovers(tmp_path: Path, _home: Path, read_only) -> None:
    history.store(None, [attempt_from_card(make_card(), "first")])
    path = db_file(tmp_path)
    before = path.read_bytes()
    read_only(path)
    with open_history(create=False) as store:
        assert store.count() == 1
    with pytest.raises(HistoryError, match="read-only"):
        history.store(None, [attempt_from_card(make_card(), "second")])
    assert path.read_bytes() == before
    assert _recovered(_home)[0]["answer"] == "second"


def test_a_read_only_file_from_an_older_genco_is_read_migrated_in_memory(tmp_path: Path, read_only) -> None:
    """Reading and exporting never need a write: an old schema is migrated in a copy in memory."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "history-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    before = path.read_bytes()
    read_only(path)
    with open_history(path, create=False) as store:
        assert [a.score for a in store.attempts()] == [57.2, 0.0] and store.count() == 2
    assert path.read_bytes() == before


@pytest.mark.parametrize("change", ["delete", "purge"])
def test_a_history_read_from_a_copy_is_never_said_to_be_changed(tmp_path: Path, read_only, change: str) -> None:
    """`delete` and `purge` of a read-only history from an older genco (read from a copy in memory) said they
    had deleted attempts that stayed in the file."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "history-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    read_only(path)
    with open_history(path, create=False) as store:
        with pytest.raises(HistoryError, match="can only be read here .*nothing was changed"):
            store.delete("1") if change == "delete" else store.purge()
        assert store.count() == 2


def _history_with_a_pending_wal(folder: Path) -> Path:
    """A history of 4 attempts in the file and 3 more committed only to its -wal, with no -shm beside it:
    what a writer that stopped before its checkpoint leaves, copied to `folder` as a backup would be."""
    import shutil

    source = folder.parent / f"{folder.name}-writer" / database.DB_NAME
    history.store(source, [make_attempt(day) for day in range(4)])
    with open_history(source) as store:
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        store.add([make_attempt(day) for day in range(4, 7)])
        folder.mkdir()
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{source}{suffix}", folder / f"{database.DB_NAME}{suffix}")
    return folder / database.DB_NAME


class _Unopenable:
    """A connection SQLite could not open: what every way but immutable gives where the -shm cannot be made
    (`said`: "unable to open database file" in a read-only folder, "disk I/O error" on a full disk)."""

    def __init__(self, said: str = "unable to open database file") -> None:
        self.said = said

    def execute(self, *args: object) -> None:
        raise sqlite3.OperationalError(self.said)

    def close(self) -> None:
        pass


def _in_a_folder_genco_cannot_write(monkeypatch: pytest.MonkeyPatch, path: Path,
                                    said: str = "unable to open database file") -> None:
    """Open `path` as SQLite does in a read-only folder (or on a full disk, with `said`), without needing
    one (root writes anywhere)."""
    connect = database.connect
    monkeypatch.setattr(database, "connect", lambda file, options="": connect(file, options)
                        if Path(file) != path or options == "immutable=1" else _Unopenable(said))


@pytest.mark.parametrize("said", ["disk I/O error", "attempt to write a readonly database"])
def test_a_history_on_a_full_disk_can_still_be_read_and_so_rescued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  said: str) -> None:
    """On a full disk SQLite cannot make the -shm a WAL database needs even to be read, and says only
    "disk I/O error": the history is read as a read-only home's is, so it can be exported elsewhere.
    SQLite 3.40 says "attempt to write a readonly database" in a folder the user cannot write, of a file
    the user owns: every read-only command failed there."""
    path = _history_with_a_pending_wal(tmp_path / "full")
    _in_a_folder_genco_cannot_write(monkeypatch, path, said=said)
    with open_history(path, create=False) as store:
        assert store.count() == 7


def test_a_history_in_a_read_only_folder_whose_wal_holds_attempts_is_read_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened as immutable, SQLite ignores the -wal: 4 of 4 attempts listed where there are 7."""
    path = _history_with_a_pending_wal(tmp_path / "read-only")
    _in_a_folder_genco_cannot_write(monkeypatch, path)
    with open_history(path, create=False) as store:
        assert store.count() == 7 and len(store.attempts()) == 7
    assert sorted(p.name for p in path.parent.iterdir()) == [database.DB_NAME, f"{database.DB_NAME}-wal"]


def test_a_read_only_history_whose_wal_cannot_be_copied_is_refused_not_read_in_part(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    path = _history_with_a_pending_wal(tmp_path / "read-only")
    _in_a_folder_genco_cannot_write(monkeypatch, path)

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full_disk)
    with pytest.raises(HistoryError, match=rf"^history file {re.escape(str(path))} cannot be read whole: .*-wal holds "
                                           r"attempts not yet in the file.*\(No space left on device\)"):
        with open_history(path, create=False):
            pass


def test_a_read_only_home_whose_wal_holds_attempts_lists_and_exports_them_all(tmp_path: Path, read_only) -> None:
    from cli_helpers import invoke as run

    path = _history_with_a_pending_wal(tmp_path / "read-only")
    read_only(path.parent)
    assert run("history", "--db", str(path)).stdout.splitlines()[-1].startswith("7 of 7 attempts")
    assert len(run("history", "export", "-", "--db", str(path)).stdout.splitlines()) == 7


def test_recovery_file_imports_back(tmp_path: Path, _home: Path) -> None:
    path = db_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(HistoryError):
        history.store(None, [attempt_from_card(make_card(), "kept")])
    recovery = _home / "recovery" / RECOVERY_NAME
    with open_history(tmp_path / "fresh.sqlite3") as store:
        store.add(parse_export(recovery.read_text(encoding="utf-8"), str(recovery)))
        assert [a.answer for a in store.attempts()] == ["kept"]


# --- two processes at once ------------------------------------------------------------------------

WRITER = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from history_helpers import make_card
from genco_interview.progress.attempt import attempt_from_card
from genco_interview.progress.store import store
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
card = make_card()
for i in range(500):
    store(sys.argv[1], [attempt_from_card(card, f"{sys.argv[4]} {i}")])
"""


def test_two_processes_saving_500_each_lose_nothing(tmp_path: Path) -> None:
    db, go = tmp_path / "shared.sqlite3", tmp_path / "go"
    env = {**os.environ, database.TIMEOUT_ENV: "30", "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(go), str(Path(__file__).parent), name],
                                env=env, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    go.touch()
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    with open_history(db) as store:
        answers = [a.answer for a in store.attempts(results=False)]
        concept_rows = store.conn.execute("SELECT count(*) FROM concept_results").fetchone()[0]
    assert len(answers) == 1000 and len(set(answers)) == 1000
    assert concept_rows == 3000
    assert not (tmp_path / "home" / "recovery").exists()


def test_a_history_created_by_another_process_mid_check_is_still_genco_s(tmp_path: Path, monkeypatch) -> None:
    """The ownership check reads one snapshot: a creation committed between two reads once looked foreign."""
    path, created = tmp_path / "h.sqlite3", []
    real_connect = sqlite3.connect

    class RacingConnection(database._Connection):
        armed = False

        def execute(self, sql: str, *args):  # type: ignore[override]
            if RacingConnection.armed and not created:
                created.append(True)
                with open_history(path):  # another process creates the same fresh history here
                    pass
            RacingConnection.armed = RacingConnection.armed or "application_id" in sql
            return super().execute(sql, *args)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real_connect(*a, **{**k, "factory": RacingConnection}))
    with open_history(path) as store:
        store.add([make_attempt()])
    assert created
    with open_history(path, create=False) as store:
        assert len(store.attempts()) == 1


def test_a_briefly_locked_file_is_retried_and_other_errors_are_not(monkeypatch) -> None:
    """SQLite skips its busy wait when two processes switch a fresh file to WAL at once."""
    from genco_interview.progress.database import _retry_while_locked

    calls = []

    def locked_twice() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")

    _retry_while_locked(locked_twice)
    assert len(calls) == 3

    def broken() -> None:
        calls.append(1)
        raise sqlite3.OperationalError("no such table: attempts")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _retry_while_locked(broken)
    assert len(calls) == 1

    monkeypatch.setenv("GENCO_DB_TIMEOUT", "0.05")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _retry_while_locked(lambda: (_ for _ in ()).throw(sqlite3.OperationalError("database is locked")))


def test_a_damaged_version_1_card_does_not_stop_the_upgrade(tmp_path: Path) -> None:
    """One hand-edited or cut-off card keeps its answer and score; the rest of the history migrates whole."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "history-v1.sql").read_text(encoding="utf-8"))
    conn.execute("UPDATE attempts SET card = '{\"concepts\": [{\"id\": ' WHERE id = 1")
    conn.execute("UPDATE attempts SET card = '{\"concepts\": [{\"id\": \"driver\"}]}' WHERE id = 2")
    conn.commit()
    conn.close()
    with open_history(path, create=False) as store:
        old = store.attempts()
    assert [a.score for a in old] == [57.2, 0.0]
    assert all(a.concepts == [] and a.notes == [schema.DAMAGED_CARD_NOTE] for a in old)


def test_damaged_notes_read_as_a_note(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with open_history(path) as store:
        store.add([make_attempt(0)])
        store.conn.execute("UPDATE attempts SET notes = '[\"cut'")
        assert store.attempts()[0].notes == ["the notes stored with this attempt are damaged"]


def test_digits_are_a_number_first_and_never_a_uid_prefix_for_a_deletion() -> None:
    """`history delete 211877` run twice must not delete, the second time, an attempt whose uid starts with
    those digits; showing it reaches that uid (about one in seventeen starts with six digits), and so
    does its first letter."""
    rows = progress_attempts()
    rows[2] = replace(rows[2], uid="21187755a" + rows[2].uid[9:])
    with open_history() as store:
        store.add(rows)
        named = "no attempt number 21187755 in .*; attempt 3's uid starts with those digits, but here digits alone are a number: give 3"
        with pytest.raises(InputError, match=named):  # the attempt meant is named, as `show` would find it
            store.find("21187755")
        with pytest.raises(InputError, match=named):
            store.delete("21187755")
        assert store.find("21187755", digits_as_uid=True).id == 3
        assert store.find("21187755a").id == 3
        with pytest.raises(InputError, match="no attempt '2118'"):
            store.find("2118", digits_as_uid=True)  # too short for a uid prefix: a number, and there is none
        assert store.find("3").id == 3
        with pytest.raises(InputError, match="a uid prefix needs at least 6 characters"):
            store.find("2118a")


def test_a_deleted_attempts_number_is_not_read_as_an_ambiguous_uid() -> None:
    rows = progress_attempts()
    rows[0] = replace(rows[0], uid="17aa" + rows[0].uid[4:])
    rows[1] = replace(rows[1], uid="17bb" + rows[1].uid[4:])
    with open_history() as store:
        store.add(rows)
        with pytest.raises(InputError, match="no attempt '17'"):
            store.find("17")


def test_a_damaged_kept_interview_is_one_error_and_the_list_still_reads(tmp_path: Path) -> None:
    from genco_interview.app.interviews import interview_report, interview_reports

    db = tmp_path / "h.sqlite3"
    with open_history(db) as store:
        kept = store.add_interview({"questions": 5}, 1, 50.0)
    assert [k.id for k in interview_reports(str(db))] == [kept.id]
    with pytest.raises(HistoryError, match=f"interview {kept.id}'s kept report is damaged"):
        interview_report(str(db), "last")
    question = {"question": "q", "title": "Q", "depth": "quick", "score": 50.0, "follow_up_score": None, "probe": None,
                "seconds": None, "budget_seconds": 60.0, "over_time": False, "missed": [], "recovered": [],
                "attempt": None}
    report = {"questions": [question], "score": 50.0, "follow_up_score": None, "over_time": 0, "practise": []}
    with open_history(db) as store:
        store.add_interview(report, 1, 50.0)  # kept before red flags were: it reads
        flagged = store.add_interview({**report, "questions": [{**question, "red_flags": "abc"}]}, 1, 50.0)
    assert interview_report(str(db), str(flagged.id - 1)).questions[0].red_flags == ()
    with pytest.raises(HistoryError, match=f"interview {flagged.id}'s kept report is damaged"):  # not three flags a, b, c
        interview_report(str(db), "last")
    for damage in ({"score": "abc"}, {"seconds": -5}, {"budget_seconds": None}, {"follow_up_score": True},
                   {"question": 5}, {"depth": ["a"]}, {"title": {"a": 1}}, {"probe": 3}, {"missed": [1, None]},
                   {"score": 1e308}, {"follow_up_score": 100.5}, {"seconds": 1e300},  # 1e308: 309 digits in a cell
                   {"over_time": float("nan")}, {"over_time": 1}, {"uncertain": "no"}, {"attempt": float("inf")},
                   {"attempt": 0}, {"attempt": "12"}):  # NaN printed as JSON's invalid NaN; "no" read as true
        with open_history(db) as store:  # "abc" as a score, 5 as a question id stopped `interview --show` with a traceback
            store.add_interview({**report, "questions": [{**question, **damage}]}, 1, 50.0)
        with pytest.raises(HistoryError, match="kept report is damaged"):
            interview_report(str(db), "last")
    for over_time in (float("nan"), 2, -1, True, {"a": 1}):  # the report's own count: at most its questions
        with open_history(db) as store:
            store.add_interview({**report, "over_time": over_time}, 1, 50.0)
        with pytest.raises(HistoryError, match="kept report is damaged"):
            interview_report(str(db), "last")
    for damage in ({"question": {"a": 1}}, {"depth": [1]}, {"concepts": [2]}):
        with open_history(db) as store:
            store.add_interview({**report, "practise": [{"question": "q", "depth": "quick", "concepts": [], **damage}]},
                                1, 50.0)
        with pytest.raises(HistoryError, match="kept report is damaged"):
            interview_report(str(db), "last")


def test_a_damaged_concept_mark_reads_as_missing_with_a_note(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    history.store(db, [make_attempt()])
    conn = sqlite3.connect(db)
    conn.execute("UPDATE concept_results SET status = 'weird' WHERE position = 0")
    conn.commit()
    conn.close()
    with open_history(db) as store:
        card = card_from_attempt(store.find("last"))
    assert card.concepts[0].status == "missing" and "is damaged" in card.notes[-1]


def test_a_grade_with_other_marks_and_the_same_score_is_not_the_same_grade(tmp_path: Path) -> None:
    """An override that moves a mark but not the score (clamped at 0, or worth nothing beside the others) was
    read as the grade already kept, and the interviewer's mark was never kept."""
    from genco_interview.progress.attempt import attempt_from_card

    from history_helpers import make_card

    db = tmp_path / "h.sqlite3"
    grade = {"candidate": "Ann", "note": None, "machine_score": 50.0, "machine": {}}
    card = make_card()
    first = attempt_from_card(card, "the transcript", source="interviewer", grade=grade)
    history.store(db, [first])
    moved = replace(card, concepts=[replace(card.concepts[0], status="missing"), *card.concepts[1:]])
    other = attempt_from_card(moved, "the transcript", source="interviewer", grade=grade)
    with open_history(db) as store:
        earlier = store.interviewer_grade(1, first)
        assert earlier is not None and store.interviewer_grade(1, replace(first, answer="another transcript")) is None
        assert store.same_grade_kept(first, earlier) == 1 and store.same_grade_kept(other, earlier) is None


def test_last_is_the_attempt_kept_last_whatever_its_time_and_its_case() -> None:
    """A regrade keeps the interview's earlier time: `show last` then opened another candidate's grade, and a
    script's `history delete last` deleted it."""
    rows = progress_attempts()
    newest_in_time = max(rows, key=lambda a: a.created_at)
    kept_last = replace(rows[0], uid="f" * 32, created_at="2000-01-01T00:00:00+00:00")
    with open_history() as store:
        store.add(rows)
        (number,), _ = store.add([kept_last])
        assert store.find("last").id == number == store.find("LAST").id
        assert store.find("last").created_at != newest_in_time.created_at


def test_a_history_that_cannot_be_made_on_a_full_disk_leaves_no_file_or_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--db new/h.db` on a full disk left the folder and an empty h.db behind."""
    real = database.connect

    def full(path: Path, uri_options: str = "") -> sqlite3.Connection:
        if uri_options:  # a reading of what was left
            return real(path, uri_options)
        conn = real(path, uri_options)
        conn.execute("PRAGMA journal_mode = WAL")  # SQLite's header written, then the disk is full
        conn.close()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(database, "connect", full)
    path = tmp_path / "new" / "h.db"
    with pytest.raises(HistoryError, match="disk it is on is full"):
        with open_history(path):
            pass
    assert list(tmp_path.iterdir()) == []
    kept = tmp_path / "kept.db"
    kept.write_bytes(b"")  # a file the user made is theirs: left as it was
    with pytest.raises(HistoryError, match="disk it is on is full"):
        with open_history(kept):
            pass
    assert kept.exists()
