"""`genco history`, `show`, `report`, `next`, and saving from `practice`/`score`, through CliRunner."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import flat
from cli_helpers import invoke as run
from click.testing import Result

from genco_interview import cli_answer, cli_history
from genco_interview.progress import database
from genco_interview.progress import store as history
from genco_interview.progress.recovery import RECOVERY_NAME
from genco_interview.progress.store import open_history
from genco_interview.rubric import RUBRICS_ENV, find
from genco_interview.views.markup import counted

from history_helpers import HOSTILE, QUESTION, make_attempt, progress_attempts
from test_history import read_only  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent






def one_error(result: Result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if re.match(r"genco [a-z][a-z -]*: ", line)]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


@pytest.mark.parametrize("command", [["history"], ["history", "export"], ["history", "import"],
                                     ["history", "delete"], ["history", "purge"], ["show"], ["report"], ["next"]],
                         ids=" ".join)
def test_help_teaches_with_examples(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(r"^\s+Examples?:\n\s+genco\b", result.output, re.MULTILINE), result.output


# --- listing --------------------------------------------------------------------------------------


def test_empty_history_says_so(home: Path) -> None:
    result = run("history")
    assert result.exit_code == 0 and "No attempts yet" in result.output
    assert not (home / database.DB_NAME).exists()


def test_history_lists_newest_first(filled: Path) -> None:
    result = run("history")
    assert result.exit_code == 0, result.output
    numbers = [line.split()[0] for line in result.output.splitlines()[1:7]]
    assert numbers == ["6", "5", "4", "3", "2", "1"]
    assert "6 of 6 attempts" in result.output


def test_counts_take_the_noun_in_the_right_number(filled: Path) -> None:
    one = run("history", "--limit", "1")
    assert one.exit_code == 0 and "1 of 6 attempts" in one.output, one.output
    deleted = run("history", "purge", "--yes")
    assert deleted.exit_code == 0 and "deleted 6 attempts" in deleted.output, deleted.output
    assert counted(1, "attempt") == "1 attempt" and counted(0, "file") == "0 files"


def test_the_count_under_a_listing_is_of_the_attempts_its_filters_match(filled: Path) -> None:
    """`history -q X` listed all 3 of X's attempts and ended "3 of 10 attempts", the whole history's."""
    assert "1 of 1 attempt ·" in run("history", "--depth", "detailed").output
    assert "2 of 5 attempts ·" in run("history", "--depth", "quick", "--limit", "2").output
    assert "6 of 6 attempts ·" in run("history", "--question", QUESTION).output


def test_history_marks_a_score_its_card_calls_uncertain(home: Path) -> None:
    """`history --json` said `uncertain`; the listing a person reads did not."""
    from genco_interview.card import UNCERTAIN_NOTE

    with open_history() as store:
        store.add([make_attempt(0), dataclasses.replace(make_attempt(1), notes=[UNCERTAIN_NOTE])])
    lines = run("history", env={"COLUMNS": "200"}).output.splitlines()
    scores = [line.split()[5] for line in lines[1:3]]
    assert scores[0].endswith("?") and not scores[1].endswith("?"), lines
    assert lines[-1].endswith("· ? uncertain: have a person check")


def test_a_grade_whose_every_concept_the_interviewer_marked_is_not_uncertain(home: Path) -> None:
    """`candidates` and `history` showed "33.3?" beside three overrides: the score is then the interviewer's marks
    alone, as the grade's band already said; one override leaves the machine's doubt standing."""
    from genco_interview.card import UNCERTAIN_NOTE

    machine = {"shared_mechanism": "missing", "driver": "missing", "one_vs_many": "contradicted"}
    every = {"shared_mechanism": "covered", "driver": "missing", "one_vs_many": "missing"}
    rows = []
    for name, overrides in (("Bo Chen", every), ("Ada Byron", {"shared_mechanism": "covered"})):
        row = make_attempt(0, source="interviewer", candidate=name)
        rows.append(dataclasses.replace(row, notes=[UNCERTAIN_NOTE], grade={**row.grade, "machine": machine,
                                                                            "overrides": overrides}))
    with open_history() as store:
        store.add(rows)
    listed = {row["candidate"]: row["uncertain"] for row in json.loads(run("history", "--format", "json").output)}
    assert listed == {"Bo Chen": False, "Ada Byron": True}
    table = run("candidates", env={"COLUMNS": "200"}).output
    assert re.search(r"Bo Chen +[0-9.]+ ", table) and re.search(r"Ada Byron +[0-9.]+\? ", table), table


def test_history_finds_a_candidate_by_the_name_grade_finds_them_by(home: Path) -> None:
    """`grade --candidate lovelace` finds "A. Lovelace:" in a transcript; `history --candidate lovelace`
    then said nobody was graded under that name."""
    with open_history() as store:
        store.add([make_attempt(0, source="interviewer", candidate="A. Lovelace"),
                   make_attempt(1, source="interviewer", candidate="Bo Chen")])
    rows = json.loads(run("history", "--candidate", "lovelace", "--format", "json").output)
    assert [row["candidate"] for row in rows] == ["A. Lovelace"]
    with open_history() as store:
        store.add([make_attempt(2, source="interviewer", candidate="Bob Lovelace")])
    two = run("history", "--candidate", "Lovelace")
    assert two.exit_code == 2 and "candidate 'Lovelace' may be any of 'A. Lovelace', 'Bob Lovelace'" in two.stderr


def test_history_says_who_answered_when_an_interviewer_grade_is_listed(home: Path) -> None:
    """An interviewer's grade among the learner's own attempts gets a "who" column, with the candidate's name."""
    with open_history() as store:
        store.add([make_attempt(0), make_attempt(1, source="interviewer"),
                   make_attempt(2, source="interviewer", candidate="Ann Lee")])
    lines = run("history").output.splitlines()  # 80 columns: narrow, and still shown
    assert lines[0].split()[:6] == ["#", "when", "question", "depth", "score", "who"]
    assert "candidate: Ann Lee" in lines[1] and "interviewer" in lines[2] and "learner" in lines[3]
    rows = json.loads(run("history", "--format", "json").output)
    assert [row["candidate"] for row in rows] == ["Ann Lee", None, None]


def test_history_lists_one_candidates_grades(home: Path) -> None:
    """`report --candidate` and `next --candidate` took a name; `history` made the interviewer scan its "who" column."""
    with open_history() as store:
        store.add([make_attempt(0), make_attempt(1, source="interviewer", candidate="Ann Lee"),
                   make_attempt(2, source="interviewer", candidate="Bo Chen"),
                   make_attempt(3, source="interviewer", candidate="ann  lee")])
    rows = json.loads(run("history", "--candidate", "ANN LEE", "--format", "json").output)
    assert [row["candidate"] for row in rows] == ["ann  lee", "Ann Lee"]
    assert [row["candidate"] for row in json.loads(run("history", "--candidate", "Ann Lee", "-n", "1",
                                                       "--format", "json").stdout)] == ["ann  lee"]
    unknown = run("history", "--candidate", "Cy")
    assert unknown.exit_code == 2 and "candidates: 'Ann Lee', 'Bo Chen'" in unknown.stderr
    for command in ("history", "report"):  # a filter that matches none of theirs is no unknown name
        filtered = run(command, "--candidate", "Ann Lee", "--question", "event-loop-internals")
        assert filtered.exit_code == 0 and "no attempt is graded" not in filtered.output, filtered.output
    empty = flat(run("report", "--candidate", "Ann Lee", "--since", "2030-01-01").stdout)
    assert "No attempts of Ann Lee since 2030-01-01 00:00: nothing to report." in empty, empty
    assert "practice" not in flat(run("report", "--candidate", "Ann Lee", "--question", "event-loop-internals").stdout)


def test_a_report_of_your_own_in_an_interviewers_history_says_where_the_candidates_are(home: Path) -> None:
    """An interviewer's plain `genco report` said "No attempts yet ... Run `genco practice`" of a history
    holding every candidate they had graded."""
    with open_history() as store:
        store.add([make_attempt(1, source="interviewer", candidate="Ann Lee"),
                   make_attempt(2, source="interviewer", candidate="Bo Chen")])
    said = flat(run("report").stdout)
    assert "No attempts of your own yet; the 2 attempts kept are candidates graded" in said, said
    assert "genco report --source interviewer" in said and "genco candidates" in said and "practice" not in said
    since = flat(run("report", "--since", "2020-01-01").stdout)  # a time asked for: theirs are there since then too
    assert "candidates graded" in since and "with the same --since" in since, since
    asked = flat(run("report", "--question", QUESTION).stdout)
    assert f"genco report --source interviewer --question {QUESTION}" in asked, asked
    with open_history() as store:
        store.add([make_attempt(3)])
    assert "candidates graded" not in flat(run("report").stdout)


def test_a_piped_history_keeps_question_ids_whole(home: Path) -> None:
    with open_history() as store:
        store.add([make_attempt(0, depth="detailed", source="interviewer", candidate="Barbara Webster-Smith")])
    assert "coroutine-vs-generator " in run("history", env={"COLUMNS": None}).output  # a pipe: no width


def _on_a_terminal(width: int) -> str:
    """`genco history` as a terminal `width` columns wide shows it."""
    from rich.console import Console

    from genco_interview.views.report import Listing, render_history

    with open_history(create=False) as store:
        attempts = store.attempts(newest_first=True, results=False)
    shown = io.StringIO()
    render_history(Console(file=shown, width=width, force_terminal=True, color_system=None),
                   Listing(attempts, len(attempts), len(attempts), "history.sqlite3"))
    return shown.getvalue()


@pytest.mark.parametrize("width", [80, 60, 48])
def test_the_time_of_each_attempt_is_never_left_out(home: Path, width: int) -> None:
    """It is how a person finds an attempt again: the answer's preview, whose attempt it is and the
    question give way first."""
    with open_history() as store:
        store.add([make_attempt(0), make_attempt(1, source="interviewer", candidate="A. Lovelace")])
    lines = _on_a_terminal(width).splitlines()
    assert lines[0].split()[:2] == ["#", "when"], lines
    assert lines[1].split()[1:3] == ["2026-03-02", "09:00"] and lines[2].split()[1:3] == ["2026-03-01", "09:00"]
    assert all(len(line) <= width for line in lines)
    if width == 80:  # room for whose attempt it is too, the question cut rather than the time left out
        assert lines[0].split()[2:] == ["question", "depth", "score", "who"] and "candidate: A. Lovelace" in lines[1]


@pytest.mark.parametrize("width", [60, 48])
def test_a_line_too_narrow_for_a_candidates_name_still_marks_their_grade(home: Path, width: int) -> None:
    """At 60 columns the "who" column went: a candidate's 31.4 sat among the learner's own attempts unmarked."""
    with open_history() as store:
        store.add([make_attempt(0), make_attempt(1, source="interviewer", candidate="Dan Wu-Hernandez")])
    lines = _on_a_terminal(width).splitlines()
    assert "who" in lines[0].split() and lines[1].split()[-1] == "cand" and lines[2].split()[-1] == "you", lines
    assert "cand: a candidate you graded" in lines[3] and all(len(line) <= width for line in lines)


def test_a_piped_history_has_every_column_whole(home: Path) -> None:
    """A pipe has no width (unless COLUMNS gives one): every column, whole, so grep and a pager see each
    attempt as it is rather than a table cut to the 80 columns assumed there."""
    with open_history() as store:
        store.add([make_attempt(0, answer="Generators yield values lazily to their caller."),
                   make_attempt(1, source="interviewer", candidate="Barbara Webster-Smith")])
    lines = run("history", env={"COLUMNS": None}).output.splitlines()
    assert lines[0].split() == ["#", "when", "question", "depth", "score", "who", "time", "answer"]
    assert "candidate: Barbara Webster-Smith" in lines[1] and "2026-03-02 09:00" in lines[1]
    assert lines[2].rstrip().endswith("Generators yield values lazily to their caller.")


def test_an_answers_time_is_shown_to_the_second_against_its_budget(home: Path) -> None:
    """148 s at a 2-minute depth read "2 min" in the listing and in `show`, on budget to the eye."""
    with open_history() as store:
        store.add([make_attempt(0, seconds=148.0), make_attempt(1, seconds=61.0), make_attempt(2, seconds=None)])
    rows = run("history", env={"COLUMNS": None}).output.splitlines()[1:4]
    assert [row.split()[6] for row in rows] == ["—", "1:01", "2:28"]
    assert "time 2:28 of 2:00, 0:28 over" in flat(run("show", "1").output)
    assert "time 1:01 of 2:00 ·" in flat(run("show", "2").output)
    assert "time — ·" in flat(run("show", "3").output)


@pytest.mark.parametrize("columns", [None, "200"], ids=["piped", "wide"])
def test_the_question_header_is_whole_beside_short_question_ids(home: Path, columns: str | None) -> None:
    """A column is at least as wide as its header where there is room, however short the ids under it."""
    with open_history() as store:
        store.add([dataclasses.replace(make_attempt(day), question=question) for day, question in enumerate(["my-cvg", "q"])])
    lines = run("history", env={"COLUMNS": columns}).output.splitlines()
    assert lines[0].split()[:5] == ["#", "when", "question", "depth", "score"], lines
    assert "…" not in lines[0] and lines[1].split()[3] == "q" and lines[2].split()[3] == "my-cvg"


def test_history_of_the_learner_alone_has_no_who_column(filled: Path) -> None:
    assert "who" not in run("history").output.splitlines()[0].split()


@pytest.mark.parametrize("args, expected", [
    (["--depth", "detailed"], [4]),
    (["--question", "coroutine-vs-generator", "--limit", "2"], [6, 5]),
    (["--since", "2026-03-05"], [6, 5]),
    (["--question", "threads-vs-asyncio-gil"], []),
])
def test_history_filters(filled: Path, args: list[str], expected: list[int]) -> None:
    result = run("history", *args, "--format", "json")
    assert [row["id"] for row in json.loads(result.stdout)] == expected


def test_a_listing_for_tools_holds_every_attempt_unless_limited(home: Path) -> None:
    """`history --format csv > all.csv` wrote the newest 20 of 25 attempts and said nothing: a person reads a
    screenful, a tool asked for the attempts."""
    with open_history() as store:
        store.add([make_attempt(day % 10) for day in range(25)])
    assert len(list(csv.DictReader(io.StringIO(run("history", "--format", "csv").stdout)))) == 25
    listed = run("history", "--json")
    assert len(json.loads(listed.stdout)) == 25 and listed.stderr == ""
    assert "20 of 25 attempts" in run("history").output
    cut = run("history", "--json", "--limit", "3")
    assert len(json.loads(cut.stdout)) == 3
    assert cut.stderr == "listed the newest 3 of 25 attempts (--limit 0 for all)\n"


def test_history_csv_has_the_answer_as_typed(filled: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("history", "--format", "csv", "--limit", "0").output)))
    assert len(rows) == 6 and rows[0]["answer"] == HOSTILE


def test_the_listing_says_which_scores_the_card_asked_a_person_to_check(home: Path) -> None:
    """An answer that took itself back is marked uncertain on its card; `history --json` and CSV rows had no
    field telling it from a sure score."""
    from genco_interview.card import UNCERTAIN_NOTE
    from genco_interview.progress.store import open_history

    doubted, sure = make_attempt(day=1), make_attempt(day=2)
    doubted.notes = [UNCERTAIN_NOTE]
    with open_history() as store:
        store.add([doubted, sure])
    rows = json.loads(run("history", "--format", "json").output)
    assert [row["uncertain"] for row in rows] == [False, True]  # newest first
    table = list(csv.DictReader(io.StringIO(run("history", "--format", "csv").output)))
    assert [row["uncertain"] for row in table] == ["false", "true"]


def test_bad_since_is_a_usage_error(filled: Path) -> None:
    told = run("history", "--since", "2026-13-40")
    assert told.exit_code == 2
    assert "'2026-13-40' is no date: give YYYY-MM-DD (a day), YYYY-MM-DDTHH:MM" in told.stderr
    assert "today, yesterday, or a time back from now: 30m, 12h, 7d, 2w" in flat(told.stderr) and "%Y" not in told.stderr
    assert run("history", "--since", "7x").exit_code == 2
    months = run("history", "--since", "3M")  # months meant: not read as minutes, and said why ("is no date" was all)
    assert months.exit_code == 2 and "M is not a unit (m or min is minutes)" in months.stderr


def test_since_takes_a_time_back_from_now(filled: Path) -> None:
    """Someone tracking two weeks of practice had to work out the date two weeks ago: "7d" was refused."""
    def listed(since: str) -> int:
        return len(json.loads(run("history", "--since", since, "--format", "json").output))

    assert listed("9999d") == listed("2000-01-01") == 6  # the fixture's attempts are from March 2026
    assert listed("7d") == listed("2W") == listed(" 12h ") == listed("today") == 0
    assert run("report", "--since", "2w").exit_code == run("candidates", "--since", "today").exit_code == 0
    assert listed("Yesterday") == 0
    assert listed("30m") == listed("90min") == 0 and listed("99999999m") == 6  # the last half hour of an evening
    for value in ("999999999w", "1" + "0" * 29 + "w", "9" * 5000 + "d"):  # ten digits or more were "no date"
        too_far = run("history", "--since", value)
        assert too_far.exit_code == 2 and "reaches back before year 1" in too_far.stderr
        assert len(too_far.stderr) < 200 and "Traceback" not in too_far.output


def test_since_yesterday_starts_at_the_local_midnight_before_todays() -> None:
    """"Yesterday" was refused, where "today" and "1d" were taken: a person says what they practised yesterday."""
    from datetime import datetime, timedelta

    from genco_interview.cli_history import SINCE

    today = SINCE.convert("today", None, None)
    assert today == datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    assert SINCE.convert(" yesterday ", None, None) == today - timedelta(days=1)


# --- show, export/import, delete, purge -----------------------------------------------------------


def test_show_prints_the_answer_as_typed_and_the_card(filled: Path) -> None:
    result = run("show", "1")
    assert result.exit_code == 0, result.output
    assert "they are threads?" in result.output and "Score 8/100  weak " in result.output  # what 8 means, the band
    assert "Misconceptions found" in result.output and "Model answer" in result.output
    assert run("show").output.count(HOSTILE) == 1  # the default is the last attempt


def test_show_of_a_grade_names_its_misconceptions_red_flags(home: Path) -> None:
    """An interviewer's grade heard red flags, as its scorecard said; the learner's card finds misconceptions."""
    mistake = (find("coroutine-vs-generator").misconceptions[0].id,)
    with open_history() as store:
        store.add([make_attempt(0, misconceptions=mistake, source="interviewer", candidate="Ada"),
                   make_attempt(1, misconceptions=mistake)])
    assert "Red flags heard" in run("show", "1").output and "Misconceptions found" not in run("show", "1").output
    assert "Misconceptions found" in run("show", "2").output


@pytest.mark.parametrize("question, depth", [("a-rubric-no-longer-on-genco-rubrics", "quick"),
                                             ("coroutine-vs-generator", "a-depth-since-renamed")])
def test_show_prints_a_kept_card_whose_question_or_depth_left_the_bank(home: Path, question: str, depth: str) -> None:
    from dataclasses import replace

    history.store(None, [replace(progress_attempts()[0], question=question, depth=depth)])
    result = run("show", "last")
    assert result.exit_code == 0, result.output
    assert f"· {depth}" in result.output
    assert "Model answer" not in result.output
    if question != "coroutine-vs-generator":  # a grade shows the title and band it kept, as `candidates` does
        graded = make_attempt(5, source="interviewer", candidate="Ada")
        history.store(None, [replace(graded, question=question, grade={**graded.grade, "title": "Lists vs tuples",
                                                                       "band": "strong"})])
        heading = next(line for line in run("show", "last").output.splitlines() if "Score " in line)
        assert "Lists vs tuples · " in heading and "strong" in heading and question not in heading, heading
        assert json.loads(run("show", "last", "--json").output)["band"] == {"label": "strong"}
        longer = make_attempt(6, source="interviewer", candidate="Bo")
        history.store(None, [replace(longer, question=question, grade={**longer.grade, "title": "T" * 9999})])
        shown = run("show", "last").output  # cut to 100 characters, where it filled the screen
        assert 90 < sum(len(run_of_t) for run_of_t in re.findall("T{5,}", shown)) < 100, shown


@pytest.mark.parametrize("args", [["show", "last"], ["history", "delete", "last", "--yes"]], ids=" ".join)
def test_last_in_an_empty_history_says_there_is_none_yet(home: Path, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 1 and "no attempt yet in" in result.stderr and "'last'" not in result.stderr


@pytest.mark.parametrize("question", ["my-question", "coroutine-vs-generator"])
@pytest.mark.parametrize("args", [["show", "last"], ["show", "last", "--json"], ["report"]], ids=" ".join)
def test_an_attempt_whose_own_rubric_no_longer_loads_shows_as_kept(home: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch, question: str,
                                                                   args: list[str]) -> None:
    """A YAML error in the user's rubric of the attempt's question: the attempt shows from what the history
    kept, with one line naming the rubric set aside, as when that rubric is gone (a shipped question the
    file replaced is shown with the shipped rubric again)."""
    from dataclasses import replace

    folder = tmp_path / "mine"
    folder.mkdir()
    broken = folder / f"{question}.yaml"
    broken.write_text(f"id: {question}\ntitle: [never closed\n", encoding="utf-8")
    history.store(None, [replace(progress_attempts()[0], question=question)])
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    result = run(*args)
    assert result.exit_code == 0, result.output
    (warning,) = result.stderr.splitlines()
    assert warning.startswith(f"genco: skipping a rubric that does not load: {broken}:"), warning
    if "--json" in args:
        assert json.loads(result.stdout)["question"] == question
    elif args[0] == "show":
        assert "they are threads?" in result.stdout and "· quick" in result.stdout
        assert ("Model answer" in result.stdout) == (question == "coroutine-vs-generator")
    else:
        assert "attempts 1" in flat(result.stdout) or "1 attempt" in result.stdout


def test_show_json_is_the_full_record(filled: Path) -> None:
    data = json.loads(run("show", "last", "--format", "json").output)
    assert data["number"] == 6 and data["answer"] == HOSTILE and len(data["concepts"]) == 3
    assert data["candidate"] is None  # a learner's own attempt names no candidate
    assert data["uncertain"] is False and data["uncertain_why"] is None
    shown = run("show", "last").output  # the band the text card's header names, with what it means
    assert data["band"]["label"] and f"/100  {data['band']['label']}" in shown and data["band"]["meaning"]


def test_show_json_says_why_a_score_is_uncertain_as_score_json_does(home: Path) -> None:
    from genco_interview.card import LIST_NOTE, LIST_WHY, UNCERTAIN_NOTE

    with open_history() as store:
        store.add([dataclasses.replace(make_attempt(0), notes=[UNCERTAIN_NOTE, LIST_NOTE])])
    data = json.loads(run("show", "last", "--json").output)
    assert data["uncertain"] is True and data["uncertain_why"] == LIST_WHY


def test_history_json_names_each_attempt_by_the_number_show_takes(filled: Path) -> None:
    rows = json.loads(run("history", "--json").output)
    assert [row["number"] for row in rows] == [6, 5, 4, 3, 2, 1]
    assert all(row["id"] == row["number"] for row in rows)  # the older name stays for the tools that read it
    for row in rows[:2]:
        shown = json.loads(run("show", str(row["number"]), "--json").output)
        assert (shown["number"], shown["uid"]) == (row["number"], row["uid"])
        assert {key: shown[key] for key in row if key != "id"} == {key: row[key] for key in row if key != "id"}


def test_show_unknown_attempt(filled: Path) -> None:
    one_error(run("show", "42"), "no attempt '42'")


@pytest.mark.parametrize(("args", "command"), [(["show", "42"], "genco show"),
                                               (["history", "delete", "42"], "genco history delete")])
def test_a_failure_line_starts_with_its_command(filled: Path, args: list[str], command: str) -> None:
    """Like a usage error's line, a failure's names the command it came from, never click's "Error:"."""
    (line,) = run(*args).stderr.splitlines()
    assert line.startswith(f"{command}: no attempt '42'"), line


def test_export_import_round_trip(filled: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("history", "export", str(first)).exit_code == 0
    other = tmp_path / "other.sqlite3"
    result = run("history", "import", str(first), "--db", str(other))
    assert result.exit_code == 0 and "imported 6 attempts, skipped 0" in result.output
    assert "skipped 6" in run("history", "--db", str(other), "import", str(first)).output
    run("history", "export", str(second), "--db", str(other))
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text(encoding="utf-8").splitlines(keepends=True)
    twice = tmp_path / "twice.jsonl"  # a uid twice in one file: not "already in" a history it never reached
    twice.write_text("".join([*lines, lines[0]]), encoding="utf-8")
    result = run("history", "import", str(twice), "--db", str(tmp_path / "third.sqlite3"))
    assert "imported 6 attempts, skipped 0 already in" in result.output and "1 repeated in" in result.output


def test_an_export_for_a_colleague_holds_only_the_attempts_asked_for(home: Path, tmp_path: Path) -> None:
    """Sharing a round's grades exported the interviewer's own practice too, which became the colleague's progress."""
    with open_history() as store:
        store.add([make_attempt(0), make_attempt(1, source="interviewer", candidate="Ann Lee"),
                   make_attempt(2, source="interviewer", candidate="Bo Chen")])

    def exported(*options: str) -> list[str | None]:
        out = tmp_path / "round.jsonl"
        assert run("history", "export", str(out), "--force", *options).exit_code == 0
        return [json.loads(line)["grade"] and json.loads(line)["grade"]["candidate"]
                for line in out.read_text(encoding="utf-8").splitlines()]

    assert sorted(exported("--source", "interviewer")) == ["Ann Lee", "Bo Chen"]
    assert exported("--candidate", "ann lee") == ["Ann Lee"] and exported("--source", "learner") == [None]
    assert len(exported()) == 3 and exported("--question", QUESTION.upper(), "--source", "learner") == [None]
    typo = run("history", "export", str(tmp_path / "t.jsonl"), "--question", "coroutine-vs-generatr")
    assert typo.exit_code == 2 and not (tmp_path / "t.jsonl").exists()
    salvaged = run("history", "export", str(tmp_path / "s.jsonl"), "--salvage", "--source", "interviewer")
    assert salvaged.exit_code == 2 and "--salvage writes every attempt" in salvaged.stderr


def test_an_import_does_not_bring_back_attempts_deleted_since_the_export(filled: Path, tmp_path: Path) -> None:
    """A learner syncing two machines deleted two bad attempts, imported the other machine's export again, and
    had both back under new numbers, unwarned."""
    export = tmp_path / "a.jsonl"
    run("history", "export", str(export))
    assert run("history", "delete", "2").exit_code == 0 and run("history", "delete", "last").exit_code == 0
    again = run("history", "import", str(export))
    assert "imported 0 attempts, skipped 4 already in" in again.output, again.output
    assert "2 attempts deleted from it (--include-deleted adds them back)" in flat(again.output)
    assert [r["id"] for r in json.loads(run("history", "--format", "json").output)] == [5, 4, 3, 1]
    back = run("history", "import", str(export), "--include-deleted")
    assert "imported 2 attempts, skipped 4 already in" in back.output and "deleted" not in back.output
    assert "imported 0 attempts" in run("history", "import", str(export)).output  # kept again: no longer deleted
    assert run("history", "purge", "--yes").exit_code == 0  # a fresh start forgets what was deleted
    assert "imported 6 attempts" in run("history", "import", str(export)).output


def test_an_export_says_the_mock_interview_reports_stay_behind(filled: Path, tmp_path: Path) -> None:
    """Moved with export and import, a learner found `interview --list` empty on the new machine, unwarned."""
    plain = run("history", "export", str(tmp_path / "a.jsonl"))
    assert "interview" not in plain.stderr
    with open_history() as store:
        store.add_interview({"questions": []}, 0, 0.0)
    for target in (str(tmp_path / "b.jsonl"), "-"):
        result = run("history", "export", target)
        assert result.exit_code == 0 and "the mock interview report kept in" in result.stderr
        assert "is not exported (its answers are); copy that file to move it" in flat(result.stderr)
    salvaged = run("history", "export", str(tmp_path / "c.jsonl"), "--salvage")  # the advice for a damaged history
    assert salvaged.exit_code == 0 and "the mock interview report kept in" in salvaged.stderr
    assert "is not exported (its answers are); keep that file, which still holds it" in flat(salvaged.stderr)
    assert "interview --list" not in salvaged.stderr  # on a damaged history that command fails: no advice to run it


def test_import_of_a_bad_file_imports_nothing(filled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    run("history", "export", str(bad))
    bad.write_text(bad.read_text(encoding="utf-8") + '{"answer": 1}\n', encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    one_error(run("history", "import", str(bad), "--db", str(other)), "bad.jsonl:7:")
    assert run("history", "--db", str(other), "--format", "json").output.strip() == "[]"


def test_importing_a_history_instead_of_an_export_says_so_and_how_to_use_it(filled: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    error = one_error(run("history", "import", str(filled), "--db", str(other)),
                      f"{filled}: is an SQLite database (a genco history?), not an export",
                      f"`genco history --db {filled}`")
    assert "UTF-8" not in error and not other.exists()


def test_delete_one_attempt(filled: Path) -> None:
    result = run("history", "delete", "2")
    assert result.exit_code == 0 and "deleted attempt 2" in result.output
    assert [r["id"] for r in json.loads(run("history", "--format", "json").output)] == [6, 5, 4, 3, 1]
    one_error(run("history", "delete", "2"), "no attempt '2'")


@pytest.mark.parametrize("args, input, left", [([], "n\n", 6), ([], "\n", 6), ([], "y\n", 5), (["--yes"], None, 5)],
                         ids=["declined", "enter-is-no", "confirmed", "yes-flag"])
def test_delete_at_a_terminal_names_the_attempt_and_asks_first(filled: Path, monkeypatch: pytest.MonkeyPatch,
                                                               args: list[str], input: str | None, left: int) -> None:
    """One keystroke away from losing an attempt for good: a person is asked, a script (no terminal) is not."""
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    result = run("history", "delete", "last", *args, input=input)
    assert result.exit_code == 0, result.output
    assert ("Delete attempt 6 (" in result.output) == (not args)
    assert re.search(r"Delete attempt 6 \([^)]*, score [\d.]+, \d{4}-\d\d-\d\d \d\d:\d\d\)", result.output) or args
    assert len(json.loads(run("history", "--format", "json").output)) == left


def test_delete_at_a_terminal_names_whose_grade_it_is(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The question named the score and time of a candidate's grade, but not whose it was."""
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    with open_history() as store:
        store.add([make_attempt(day=9, source="interviewer", candidate="Ann Lee")])
    asked = run("history", "delete", "last", input="n\n")
    assert "Delete attempt 7 (Ann Lee's grade, coroutine-vs-generator · quick, score" in asked.output, asked.output


@pytest.mark.parametrize("args, input, left", [([], "n\n", 6), ([], "y\n", 0), (["--yes"], None, 0), ([], "x\n", 6),
                                              ([], "\n", 6), ([], "YES\n", 0)],
                         ids=["declined", "confirmed", "yes-flag", "typo-is-no", "enter-is-no", "yes-spelled-out"])
def test_purge_asks_first(filled: Path, args: list[str], input: str | None, left: int) -> None:
    """No is a choice, not an error: nothing is deleted, one line says so, and the command succeeds."""
    result = run("history", "purge", *args, input=input)
    assert ("Delete all 6 attempts" in result.output) == (not args)
    assert result.exit_code == 0, result.output
    assert ("nothing deleted: 6 attempts kept in" in result.stdout) == bool(left)
    assert result.stderr.startswith("Delete all 6 attempts") == (not args) and "Delete" not in result.stdout
    assert "Error" not in result.output and result.output.count("Delete all") <= 1  # asked once, no click error
    with open_history(create=False) as store:
        assert store.count() == left


def _prompt_aborted_by(key: type[BaseException]):
    """A stand-in for click.prompt that meets `key` (EOFError for Ctrl-D, KeyboardInterrupt for Ctrl-C)
    and raises click.Abort from it, as click.prompt does."""
    import click

    def prompt(*args: object, **kwargs: object) -> str:
        try:
            raise key
        except key:
            raise click.Abort() from None

    return prompt


def test_ctrl_d_at_the_purge_question_at_a_terminal_is_no(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import click

    monkeypatch.setattr(click, "prompt", _prompt_aborted_by(EOFError))
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    result = run("history", "purge")
    assert result.exit_code == 0, result.output
    assert "nothing deleted: 6 attempts kept in" in result.stdout and "no terminal" not in result.output
    with open_history(create=False) as store:
        assert store.count() == 6


def test_ctrl_c_at_the_purge_question_is_an_interrupt(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not click's "Aborted!" with exit 1: exit 130 and one line, as an interrupt anywhere, and nothing deleted."""
    import click

    monkeypatch.setattr(click, "prompt", _prompt_aborted_by(KeyboardInterrupt))
    result = run("history", "purge")
    assert result.exit_code == 130, result.output
    assert result.stderr.strip() == "genco: interrupted" and "Aborted" not in result.output
    with open_history(create=False) as store:
        assert store.count() == 6


def test_a_purge_deletes_nothing_once_the_history_changed_while_it_asked(filled: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Confirmed for 6 attempts while another genco imported more, it deleted them all and said "6"."""
    from history_helpers import make_attempt

    def yes_once_another_genco_added_one(question: str) -> bool:
        with open_history() as other:
            other.add([make_attempt(9)])
        return True

    monkeypatch.setattr(cli_history, "confirmed", yes_once_another_genco_added_one)
    result = run("history", "purge")
    assert result.exit_code == 1 and "changed since it was counted" in result.stderr and "nothing deleted" in result.stderr
    with open_history(create=False) as store:
        assert store.count() == 7


def test_a_purge_deletes_nothing_once_other_attempts_took_the_same_numbers(filled: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Another genco purged the history and imported as many other attempts while this one asked: the count and
    the numbers were the same, and the attempts nobody was shown were deleted."""
    from history_helpers import make_attempt

    def yes_once_another_genco_replaced_them(question: str) -> bool:
        with open_history() as other:
            count = other.purge()
            other.add([make_attempt(day + 20) for day in range(count)])
        return True

    monkeypatch.setattr(cli_history, "confirmed", yes_once_another_genco_replaced_them)
    result = run("history", "purge")
    assert result.exit_code == 1 and "changed since it was counted" in result.stderr
    with open_history(create=False) as store:
        assert store.count() == 6


def test_purge_with_stdin_closed_asks_for_yes_in_one_line(filled: Path) -> None:
    """Started with stdin closed (`<&-`), no prompt can be read: input() raised "lost sys.stdin" as a traceback."""
    done = subprocess.run([sys.executable, "-m", "genco_interview", "history", "purge"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.close(0))
    assert done.returncode == 1, done.stderr
    assert done.stderr == ("genco history purge: no answer to the confirmation (no terminal?); nothing deleted "
                           "(use --yes)\n")
    with open_history(create=False) as store:
        assert store.count() == 6


def test_purge_with_nobody_to_answer_ends_the_questions_line(filled: Path) -> None:
    """Both on one terminal, the error was written onto the question's line: "... [y/N]: genco history purge: ..."."""
    result = run("history", "purge", input="")
    assert result.exit_code == 1, result.output
    assert result.stdout == "" and result.stderr.startswith("Delete all 6 attempts")  # nothing dangles on stdout
    assert "[y/N]: \ngenco history purge: no answer" in result.stderr
    with open_history(create=False) as store:
        assert store.count() == 6


def test_purge_names_the_interview_reports_it_deletes_too(home: Path) -> None:
    with open_history() as store:
        store.add_interview({"questions": []}, 0, 0.0)
    result = run("history", "purge", input="y\n")  # no attempts: the kept report is still something to delete
    assert "Delete all 0 attempts and 1 kept interview report" in result.output
    assert result.exit_code == 0 and "deleted 0 attempts and 1 kept interview report" in result.output
    with open_history(create=False) as store:
        assert store.interviews() == []


# --- report and next ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, marker", [("text", "Concepts to work on"), ("markdown", "### Concepts to work on"),
                                         ("json", '"trend_word"'), ("html", "<svg")])
def test_report_formats_to_file(filled: Path, tmp_path: Path, fmt: str, marker: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = run("report", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert marker in out.read_text(encoding="utf-8")
    assert f"wrote the {fmt} report" in result.stderr


@pytest.mark.parametrize("name, fmt, marker", [("progress.html", "html", "<svg"), ("progress.HTM", "html", "<svg"),
                                               ("notes.md", "markdown", "### Concepts to work on"),
                                               ("notes.markdown", "markdown", "### Concepts to work on"),
                                               ("figures.json", "json", '"trend_word"'),
                                               ("plain.txt", "text", "Concepts to work on"),
                                               ("no-extension", "text", "Concepts to work on"),
                                               (".html", "html", "<svg"),  # a name that is only an extension
                                               (".progress", "text", "Concepts to work on")])
def test_report_format_follows_the_out_files_extension(filled: Path, tmp_path: Path, name: str, fmt: str,
                                                       marker: str) -> None:
    out = tmp_path / name
    result = run("report", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert marker in out.read_text(encoding="utf-8") and f"wrote the {fmt} report to {out}" in result.stderr


def test_a_report_file_whose_name_holds_a_line_break_is_named_as_a_shell_word(filled: Path, tmp_path: Path) -> None:
    """"wrote the html report to r x.html" named a file that does not exist: the name held a line break."""
    out = tmp_path / "r\nx.html"
    result = run("report", "--out", str(out))
    assert result.exit_code == 0 and out.exists(), result.output
    assert result.stderr.strip() == f"wrote the html report to $'{tmp_path}/r\\x0ax.html'"


@pytest.mark.parametrize("name", ["progress.pdf", "progress.csv", "progress.jsonl"])
def test_an_out_file_whose_extension_names_no_report_format_is_a_usage_error(filled: Path, tmp_path: Path,
                                                                             name: str) -> None:
    out = tmp_path / name
    result = run("report", "--out", str(out))
    assert result.exit_code == 2, result.output
    suffix = out.suffix
    assert result.stderr == (f"genco report: --out {out}: {suffix} is not a report format; name the file .txt, .md, "
                             ".markdown, .json, .html or .htm (no extension: text), or give --format "
                             "(see genco report --help)\n")
    assert not out.exists()
    assert run("report", "--format", "text", "--out", str(out)).exit_code == 0  # a format asked for: any name


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_a_report_replaces_an_earlier_report_but_not_a_file_genco_did_not_write_as_one(filled: Path, tmp_path: Path,
                                                                                      fmt: str) -> None:
    """Written again, a report replaces the last one; written over a history export (the only copy of the
    attempts, perhaps) or notes, it needs --force."""
    report = tmp_path / "report"
    for _ in range(2):
        assert run("report", "--format", fmt, "--out", str(report)).exit_code == 0
    backup = tmp_path / "backup.jsonl"
    assert run("history", "export", str(backup)).exit_code == 0
    kept = backup.read_bytes()
    refused = run("report", "--format", fmt, "--out", str(backup))
    assert refused.exit_code == 1, refused.output
    assert refused.stderr == f"genco report: {backup} exists and is not a report genco wrote; pass --force to overwrite it\n"
    assert backup.read_bytes() == kept
    assert run("report", "--format", fmt, "--out", str(backup), "--force").exit_code == 0
    assert backup.read_bytes() != kept
    notes = tmp_path / "notes"  # naming a report is not being one: only how a file starts says it is
    notes.write_text("# My notes on the genco progress report\n{\"generated_at\": 1}\n", encoding="utf-8")
    assert run("report", "--format", fmt, "--out", str(notes)).exit_code == 1
    for mine in ("Progress report · week 3, from my mentor\nYou improved a lot.\n",  # were replaced without --force
                 "Progress report · 3 attempts at swimming this week\n",
                 "No attempts at the deep depth this week: nothing to report to Sam yet.\n\nMy plan:\n- yield from\n",
                 '{"generated_at": "2026-01-01", "source": "my CRM export", "rows": []}\n',
                 "<!DOCTYPE html>\n<html><head><title>genco progress report</title></head><body>mine</body></html>\n",
                 "\n" * 5000 + "# My notes\n"):  # blank for longer than the start genco reads
        notes.write_text(mine, encoding="utf-8")
        assert run("report", "--format", fmt, "--out", str(notes)).exit_code == 1
        assert notes.read_text(encoding="utf-8") == mine
    for argv in ([], ["--since", "1h"]):  # saved again with CR LF line ends, or made with --since: still genco's
        assert run("report", "--format", fmt, "--out", str(report), "--force", *argv).exit_code == 0
        report.write_bytes(report.read_bytes().replace(b"\n", b"\r\n"))
        assert run("report", "--format", fmt, "--out", str(report), *argv).exit_code == 0
        report.write_bytes(b"\n" + report.read_bytes().replace(b"\n", b"  \n"))  # an editor's blank line, spaces
        assert run("report", "--format", fmt, "--out", str(report), *argv).exit_code == 0


def test_report_since_counts_only_the_attempts_from_then_on_and_says_so(filled: Path) -> None:
    """Progress since last week is what a learner asks a report; `history` had --since, `report` did not."""
    every, recent = (json.loads(run("report", "--json", *argv).stdout) for argv in ([], ["--since", "2026-03-04"]))
    assert every["since"] is None and recent["since"] is not None
    assert sum(s["attempts"] for s in recent["sections"]) < sum(s["attempts"] for s in every["sections"])
    assert "since 2026-03-04 00:00" in run("report", "--since", "2026-03-04").stdout
    later = run("report", "--since", "2030-01-01")
    assert later.exit_code == 0 and "No attempts since 2030-01-01 00:00: nothing to report." in flat(later.stdout)


def test_a_format_asked_for_that_the_out_files_extension_contradicts_is_a_usage_error(filled: Path,
                                                                                         tmp_path: Path) -> None:
    """Markdown written to progress.html opened in a browser as one blob, without a word."""
    out = tmp_path / "progress.html"
    for argv, extension in ((["--format", "text"], ".txt"), (["--json"], ".json"), (["--format", "markdown"], ".md")):
        refused = run("report", *argv, "--out", str(out))
        assert refused.exit_code == 2 and f"end its name in {extension}, or leave --format out" in flat(refused.stderr)
        assert not out.exists()
    for argv, name in ((["--format", "markdown"], "notes"), (["--format", "html"], "progress.htm")):
        assert run("report", *argv, "--out", str(tmp_path / name)).exit_code == 0  # no extension, or a fitting one


def test_report_and_export_create_the_folder_they_write_into(filled: Path, tmp_path: Path) -> None:
    report = tmp_path / "reports" / "progress.html"
    assert run("report", "--format", "html", "--out", str(report)).exit_code == 0
    assert "<svg" in report.read_text(encoding="utf-8")
    backup = tmp_path / "backups" / "all.jsonl"
    assert run("history", "export", str(backup)).exit_code == 0
    assert backup.read_text(encoding="utf-8").count("\n") >= 1


def test_an_export_from_a_history_file_that_does_not_exist_is_an_error(filled: Path, tmp_path: Path) -> None:
    """A mistyped --db gave an empty backup and exit 0: the one way to rescue a history must not fail quietly."""
    backup = tmp_path / "backup.jsonl"
    result = run("history", "export", str(backup), "--db", str(tmp_path / "typo.sqlite3"))
    assert result.exit_code == 1 and "no such history file" in result.stderr and not backup.exists()


def test_an_export_given_as_the_history_file_is_named_for_what_it_is(filled: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.jsonl"
    assert run("history", "export", str(backup)).exit_code == 0
    kept = backup.read_bytes()
    result = run("history", "--db", str(backup))
    assert result.exit_code == 1 and "is JSON (an export, or a listing?)" in result.stderr and "history import" in result.stderr
    assert backup.read_bytes() == kept


def test_a_depth_is_read_whatever_its_case(filled: Path) -> None:
    """Depth names are lower case: "-d Quick" is the quick depth on every command that takes one."""
    assert run("history", "-d", "QUICK", "--format", "json").output == run("history", "-d", "quick", "--format", "json").output


def test_report_filters_by_question(filled: Path) -> None:
    empty = run("report", "--question", "threads-vs-asyncio-gil").output
    assert "No attempts at threads-vs-asyncio-gil yet" in empty and "genco practice threads-vs-asyncio-gil" in empty
    assert "Coroutines vs generators" in run("report", "-q", "coroutine-vs-generator").output


def test_report_filters_by_depth(filled: Path) -> None:
    """`history`, `score` and `practice` took -d and `report` refused it."""
    sections = json.loads(run("report", "-d", "detailed", "--format", "json").output)["sections"]
    assert [(s["depth"], s["attempts"]) for s in sections] == [("detailed", 1)]
    assert json.loads(run("report", "--depth", "QUICK", "--format", "json").output)["depth"] == "quick"
    empty = flat(run("report", "-q", "coroutine-vs-generator", "-d", "deep").output)
    assert "No attempts at coroutine-vs-generator (deep) yet" in empty
    assert "genco practice coroutine-vs-generator --depth deep" in empty
    assert "genco practice --depth deep" in flat(run("report", "-d", "deep").output)
    typo = run("report", "-d", "deeep")
    assert typo.exit_code == 2 and "unknown depth 'deeep'; valid: quick, detailed, deep" in typo.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_report_with_no_history(home: Path, fmt: str) -> None:
    result = run("report", "--format", fmt)
    assert result.exit_code == 0
    assert "No attempts yet" in result.output or json.loads(result.output)["sections"] == []
    assert "--db" not in result.output


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("question", [[], ["-q", "coroutine-vs-generator"]], ids=["all", "one"])
def test_an_empty_report_of_another_history_says_to_practise_into_it(home: Path, tmp_path: Path, fmt: str,
                                                                     question: list[str]) -> None:
    """As history and next do: practising into the default history would never show in this report."""
    fresh = tmp_path / "fresh.sqlite3"
    result = run("report", "--db", str(fresh), "--format", fmt, *question)
    assert result.exit_code == 0, result.output
    assert f"genco practice {' '.join(question[1:])}{' ' if question else ''}--db {fresh}" in flat(result.output)
    assert not fresh.exists()


def test_next_names_question_depth_and_focus(filled: Path) -> None:
    result = run("next")
    assert result.exit_code == 0 and result.output.startswith("Next: Coroutines vs generators")
    (command,) = [line for line in run("next", env={"COLUMNS": "40"}).stdout.splitlines() if "practice" in line]
    assert re.fullmatch(r"  genco practice coroutine-vs-generator --depth \w+", command)  # whole, to copy
    data = json.loads(run("next", "--format", "json").output)
    assert data["question"] == "coroutine-vs-generator" and data["depth"] in ("quick", "detailed", "deep")
    assert 1 <= len(data["focus"]) <= 3


def test_an_empty_history_starts_where_practice_does_beside_a_users_own_questions(home: Path, tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A question of the user's own that sorts first by id was asked, and planned, when none was named."""
    from conftest import ROOT

    tiny = (ROOT / "tests" / "fixtures" / "rubrics" / "tiny-question.yaml").read_text(encoding="utf-8")
    (tmp_path / "aaa-first.yaml").write_text(tiny.replace("id: tiny-question", "id: aaa-first"), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    assert json.loads(run("next", "--format", "json").output)["question"] == "coroutine-vs-generator"
    assert run("rubric", "show").output == run("rubric", "show", "coroutine-vs-generator").output
    from genco_interview.app.interviews import plan_interview  # a mock interview asks first what `next` plans

    assert plan_interview(None, count=1).questions[0].question == "coroutine-vs-generator"


# --- damaged files through the CLI ----------------------------------------------------------------


def _corrupt(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


@pytest.mark.parametrize("damage, fragment", [(_corrupt, "is corrupt"), (_newer, "newer genco")],
                         ids=["corrupt", "newer"])
@pytest.mark.parametrize("command", [["history"], ["report"], ["next"], ["show", "1"], ["history", "purge", "--yes"]],
                         ids=" ".join)
def test_read_commands_refuse_a_damaged_file(filled: Path, damage, fragment: str, command: list[str]) -> None:
    damage(filled)
    before = filled.read_bytes()
    one_error(run(*command), fragment, str(filled))
    assert filled.read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("damage, fragment", [(_corrupt, "is corrupt"), (_newer, "newer genco"),
                                              ("locked", "is locked"), ("read-only", "is read-only")])
def test_score_on_a_damaged_history_keeps_the_attempt(real_model_cli, filled: Path, home: Path, read_only,  # noqa: F811
                                                      damage, fragment: str) -> None:
    holder = None
    if damage == "locked":
        holder = sqlite3.connect(filled, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    elif damage == "read-only":
        read_only(filled)
    else:
        damage(filled)
    before = filled.read_bytes()
    try:
        result = run("score", "-d", "quick", "--answer", "A generator is driven by a for loop.", "--format", "json")
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    recovery = home / "recovery" / RECOVERY_NAME
    one_error(result, fragment, str(recovery))
    assert json.loads(result.stdout)["score"] > 0  # the score was still shown
    assert filled.read_bytes() == before
    saved = [json.loads(line) for line in recovery.read_text(encoding="utf-8").splitlines()]
    assert saved[-1]["answer"] == "A generator is driven by a for loop."


@pytest.mark.slow
def test_a_draft_whose_attempt_went_to_the_recovery_file_is_removed(real_model_cli, filled: Path, home: Path) -> None:
    """Scored while the history was locked, a draft's attempt went to the recovery file and the draft stayed,
    offered again: scoring it later and importing the recovery file kept the one answer twice."""
    from genco_interview.answers import save_draft

    draft = save_draft("A generator is driven by a for loop; a coroutine is awaited.", "coroutine-vs-generator", "quick")
    holder = sqlite3.connect(filled, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("score", "-d", "quick", "--answer-file", str(draft), "--format", "json")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    recovery = home / "recovery" / RECOVERY_NAME
    one_error(result, "is locked", str(recovery))
    assert not draft.exists()
    assert f"the draft {draft} is kept with its attempt in the recovery file {recovery}, so it is removed" in result.stderr
    saved = [json.loads(line) for line in recovery.read_text(encoding="utf-8").splitlines()]
    assert saved[-1]["answer"] == "A generator is driven by a for loop; a coroutine is awaited."


# --- saving from practice and score (real model) --------------------------------------------------


@pytest.mark.slow
def test_score_batch_saves_every_answer(real_model_cli, home: Path, tmp_path: Path) -> None:
    batch = tmp_path / "answers.jsonl"
    batch.write_text('{"id": "a", "answer": "A generator yields many values."}\n{"answer": "I do not know"}\n',
                     encoding="utf-8")
    assert run("score", "-d", "quick", "--input", str(batch), "--format", "jsonl").exit_code == 0
    rows = json.loads(run("history", "--format", "json").output)
    assert sorted(r["answer"] for r in rows) == ["A generator yields many values.", "I do not know"]
    assert {r["source"] for r in rows} == {"learner"}


@pytest.mark.slow
def test_no_save_and_db_option(real_model_cli, home: Path, tmp_path: Path) -> None:
    run("score", "-d", "quick", "--answer", "Coroutines are awaited.", "--no-save")
    assert not (home / database.DB_NAME).exists()
    other = tmp_path / "elsewhere.sqlite3"
    run("score", "-d", "quick", "--answer", "Coroutines are awaited.", "--db", str(other))
    assert json.loads(run("history", "--db", str(other), "--format", "json").output)[0]["answer"] == \
        "Coroutines are awaited."


@pytest.mark.slow
@pytest.mark.parametrize("terminal", [True, False], ids=["typed", "piped"])
def test_practice_saves_the_attempt_and_says_what_next(real_model_cli, home: Path, terminal: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A typed answer keeps how long it took; a piped one arrives at once, so it keeps no time."""
    typed = ["Both are suspendable functions.\n", "A generator is driven by a for loop.\n", "\n"]
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(typed))
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: terminal)
    result = run("practice", "--depth", "quick")
    assert result.exit_code == 0, result.output
    assert "saved as attempt 1" in result.output and "Next: " in result.output
    assert ("answered in" in result.output) is terminal
    data = json.loads(run("show", "1", "--format", "json").output)
    assert data["answer"] == "Both are suspendable functions.\nA generator is driven by a for loop."
    assert (data["seconds"] is not None) is terminal and data["source"] == "learner"


def test_the_commands_suggested_after_saving_repeat_a_given_db(real_model_cli, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --db, `genco show 1` would show the default history's attempt 1: another answer, or none."""
    db = tmp_path / "my [class] history.sqlite"
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(["A generator is driven by a for loop.\n", "\n"]))
    result = run("practice", "--depth", "quick", "--db", str(db))
    assert result.exit_code == 0, result.output
    quoted = shlex.quote(str(db))
    assert f"saved as attempt 1 · genco show 1 --db {quoted} · genco report --db {quoted}" in flat(result.output)
    assert "genco practice coroutine-vs-generator --depth" in result.output and f"--db {quoted}" in result.output.split("Next: ")[1]
    assert f"genco show N --db {quoted} for one in full" in flat(run("history", "--db", str(db)).output)
    missing = run("show", "7", "--db", str(db))
    assert missing.exit_code == 1 and f"(see `genco history --db {quoted}` for the numbers)" in missing.stderr
    empty = tmp_path / "empty.sqlite"
    assert f"Run `genco practice --db {shlex.quote(str(empty))}` to make one." in flat(run("history", "--db", str(empty)).output)
    assert "--db" not in run("history").output  # the default history needs none


# --- start-up cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["history"], ["report", "--format", "html"], ["report"], ["next"], ["show", "1"],
                                  ["history", "export", "-"]], ids=" ".join)
def test_history_commands_never_import_torch(filled: Path, argv: list[str]) -> None:
    code = ("import sys; from genco_interview.cli import main\n"
            f"sys.argv = ['genco', *{argv!r}]\n"
            "try: main()\n"
            "except SystemExit as exit: assert not exit.code, exit.code\n"
            "print('\\nloaded:', 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "loaded: False False"


def _with_the_reader_gone(argv: list[str], db: Path | None) -> subprocess.CompletedProcess:
    """`genco ARGV [--db DB]` whose stdout is a pipe nobody reads any more (as after `| head -1` exits)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "genco_interview", *argv, *(["--db", str(db)] if db else [])],
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=300, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"})
    finally:
        os.close(write)


def test_a_reader_that_leaves_early_is_exit_141_and_silent(filled: Path) -> None:
    done = _with_the_reader_gone(["history"], filled)
    assert (done.returncode, done.stderr) == (141, "")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_reader_that_leaves_in_the_middle_of_a_long_listing_is_exit_141(home: Path, fmt: str) -> None:
    """Megabytes in one write to a reader that takes a few bytes and leaves: Python dropped the rest with
    no error and genco exited 0; written a piece at a time, the next piece meets the closed pipe."""
    with open_history() as store:
        store.add([make_attempt(day=i % 100, answer=f"{i} " + "a long answer " * 150) for i in range(1000)])
    reader = subprocess.Popen([sys.executable, "-m", "genco_interview", "history", "--format", fmt, "--limit", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert reader.stdout.read(10)
    reader.stdout.close()  # the reader leaves while genco still has more than a megabyte to write
    assert reader.wait(timeout=120) == 141
    assert reader.stderr.read() == b""
    reader.stderr.close()


def test_a_reader_that_leaves_in_the_middle_of_a_long_attempt_shown_as_json_is_exit_141(home: Path) -> None:
    """`genco show N --json` of a megabyte answer was written at once: the reader that left took part and genco exited 0."""
    with open_history() as store:
        store.add([make_attempt(day=1, answer="a long answer " * 80_000)])
    reader = subprocess.Popen([sys.executable, "-m", "genco_interview", "show", "1", "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert reader.stdout.read(10)
    reader.stdout.close()
    assert reader.wait(timeout=120) == 141
    assert reader.stderr.read() == b""
    reader.stderr.close()


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["rubric", "--help"], ["score", "--help"]])
def test_help_to_a_reader_that_left_is_exit_141_too(argv: list[str]) -> None:
    """genco's own help and version print while its arguments are read, before any command runs."""
    done = _with_the_reader_gone(argv, None)
    assert (done.returncode, done.stderr) == (141, "")


@pytest.mark.slow
def test_a_score_is_saved_even_when_its_reader_left(export_copy, tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    done = _with_the_reader_gone(["score", "-d", "quick", "--answer", "A generator yields many values."], db)
    assert done.returncode == 141, done.stderr
    with open_history(db, create=False) as store:
        assert [a.answer for a in store.attempts()] == ["A generator yields many values."]


@pytest.mark.parametrize(("argv", "words"), [
    (["history", "-q", "nope"], "unknown question 'nope'"),
    (["history", "-d", "bogus"], "unknown depth 'bogus'; valid: quick, detailed, deep"),
    (["report", "-q", "nope"], "unknown question 'nope'"),
])
def test_a_filter_naming_nothing_is_a_usage_error_not_an_empty_list(home: Path, argv: list[str], words: str) -> None:
    result = run(*argv)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"genco {argv[0]}: ") and words in line


def test_a_filter_that_exists_but_matches_nothing_says_so(filled: Path) -> None:
    result = run("history", "-q", "threads-vs-asyncio-gil")
    assert result.exit_code == 0 and "No attempts match these filters." in result.stdout


def test_a_kept_card_names_whose_words_a_misconception_quotes_and_claims_no_points_off(home: Path) -> None:
    misconception = find(QUESTION).misconceptions[0].id
    with open_history() as store:
        store.add([make_attempt(0, misconceptions=(misconception,)),
                   make_attempt(1, misconceptions=(misconception,), source="interviewer", candidate="Ann Lee")])
    learner, candidate = run("show", "1").output, run("show", "2").output
    assert "you said:" in learner and "they said:" in candidate and "you said:" not in candidate
    assert "(−" not in learner + candidate  # the score weighs a misconception with the rest; no fixed deduction


def test_a_narrow_report_keeps_each_sections_depth(filled: Path) -> None:
    """At 30 columns the title took the room and cut "· detailed": two sections read as one heading."""
    rules = [line for line in run("report", env={"COLUMNS": "30"}).stdout.splitlines() if line.startswith("─")]
    assert len(rules) == 2 and rules[0].rstrip("─ ").endswith("· quick") and rules[1].rstrip("─ ").endswith("· detailed")


@pytest.mark.parametrize("name", ["attempts.csv", "backup.HTML", "notes.md", ".csv", ".HTML"])  # a name only an extension
def test_an_export_named_as_another_format_is_refused(filled: Path, tmp_path: Path, name: str) -> None:
    """JSON Lines under a .csv name opened in a spreadsheet as one column of braces."""
    result = run("history", "export", str(tmp_path / name))
    assert result.exit_code == 2 and "an export is JSON Lines" in result.stderr and not (tmp_path / name).exists()
    assert run("history", "export", str(tmp_path / "backup.txt")).exit_code == 0  # a name of no format is as given


def test_a_report_since_a_time_to_the_second_says_the_second(filled: Path) -> None:
    """Rounded to the minute, "since 05:48" counted fewer attempts than --since "05:48" did."""
    assert "since 2026-03-01 09:00:30 " in run("report", "--since", "2026-03-01T09:00:30").stdout
    assert "since 2026-03-01 00:00 " in run("report", "--since", "2026-03-01").stdout


@pytest.mark.parametrize("name", ["Sam [/i]", "Maria Lopez [she/her]", "[link](http://x.example) [bold]"])
def test_a_candidates_name_is_listed_as_typed_never_as_markup(home: Path, name: str) -> None:
    """"Sam [/i]" made `genco history` a traceback (rich read it as a closing tag); "[she/her]" vanished."""
    with open_history() as store:
        store.add([make_attempt(0, source="interviewer", candidate=name), make_attempt(1)])
    for argv in (["history"], ["history", "--source", "interviewer"], ["report", "--source", "interviewer"]):
        result = run(*argv)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert f"candidate: {name[:10]}" in flat(run("history").stdout)  # the who column may cut it, never read it


def test_a_suggested_command_quoting_a_path_with_spaces_is_never_wrapped_inside_it(tmp_path: Path) -> None:
    """Wrapped at 80 columns inside its quotes, the pasted command named another file, which it then made."""
    db = tmp_path / "my practice histories for the interview next week" / "h.db"
    db.parent.mkdir()
    said = run("candidates", "--db", str(db), env={"COLUMNS": "80"}).stdout
    assert f"--db {shlex.quote(str(db))}" in said.replace("\n", "") and f"--db {shlex.quote(str(db))}" in said
