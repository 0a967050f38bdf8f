"""`genco candidates`: an interviewer's candidates side by side, each one's latest grade per question
and depth. Pure aggregation of kept grades (built by hand: no model is needed to compare them)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from cli_helpers import flat
from cli_helpers import invoke as run

from genco_interview.progress.attempt import Attempt
from genco_interview.progress.comparison import build_comparison, latest_grades
from genco_interview.progress.store import open_history
from genco_interview.rubric import UnknownName, find

from history_helpers import HOSTILE, QUESTION, make_attempt

STRONG = {"shared_mechanism": 0.9, "driver": 0.9, "one_vs_many": 0.9}
WEAK = {"shared_mechanism": 0.1, "driver": 0.5, "one_vs_many": 0.1}


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    return tmp_path / "home"


def graded(day: int, candidate: str | None, scores: dict[str, float], depth: str = "quick") -> Attempt:
    return make_attempt(day, depth, scores, source="interviewer", candidate=candidate)


def overridden(attempt: Attempt, concept: str, machine_status: str) -> Attempt:
    """`attempt` as kept after the interviewer changed `concept`'s mark from the machine's `machine_status`."""
    grade = {**(attempt.grade or {}), "machine": {c["id"]: c["status"] for c in attempt.concepts}}
    grade["machine"][concept] = machine_status
    return replace(attempt, grade=grade)


def test_the_legend_says_what_a_count_of_grades_means_as_the_rows_show_it() -> None:
    """It said "(2×) graded twice" beside a "(4×)"."""
    from genco_interview.views.comparison import legend

    twice = build_comparison(latest_grades([graded(day, "Ada Lovelace", WEAK) for day in range(2)]), find)
    four = build_comparison(latest_grades([graded(day, "Ada Lovelace", WEAK) for day in range(4)]), find)
    assert "(2×) graded twice" in legend(twice) and "(N×) graded N times" in legend(four)


def test_the_latest_grade_of_each_candidate_best_first() -> None:
    """A grade kept again is the interviewer's later word: only it is compared, and counted as two; the
    rows go best score first whatever the order graded; two grades without a name are two people."""
    grades = [graded(0, "Ada Lovelace", WEAK), graded(1, "Bo Chen", WEAK), graded(2, "ada  lovelace", STRONG),
              graded(3, None, WEAK), graded(4, None, STRONG), graded(5, "Bo Chen", STRONG, depth="detailed")]
    comparison = build_comparison(latest_grades(grades), find)
    quick, detailed = comparison.sections
    assert (quick.depth, detailed.depth) == ("quick", "detailed")
    names = [(row.candidate, row.grades, row.score) for row in quick.rows]
    assert names[0] == ("Ada Lovelace", 2, grades[2].score)  # as first graded, before an unnamed tie
    assert names[1][0] is None and names[1][2] == grades[4].score  # the better unnamed grade
    assert [n for n, _, _ in names[2:]] == ["Bo Chen", None]
    assert [row.candidate for row in detailed.rows] == ["Bo Chen"]
    assert [c.id for c in quick.concepts] == ["shared_mechanism", "driver", "one_vs_many"]
    assert quick.rows[0].marks == {"shared_mechanism": "covered", "driver": "covered", "one_vs_many": "covered"}
    assert quick.rows[0].band == "strong" and quick.rows[-1].band == "weak"
    assert comparison.candidates == ["Ada Lovelace", "Bo Chen"]


def test_an_override_is_told_apart_from_the_machines_mark() -> None:
    grade = overridden(graded(0, "Ada", STRONG), "driver", "missing")
    (section,) = build_comparison(latest_grades([grade]), find).sections
    assert section.rows[0].overridden == ("driver",)
    assert section.rows[0].machine_score == 50.0


def test_the_legend_names_only_the_signs_the_comparison_shows() -> None:
    """It said "(2×) graded twice" and "* your override" under a table in which no row had either."""
    from genco_interview.views.comparison import MARKS_LEGEND, legend

    once = build_comparison(latest_grades([graded(0, "Ada", STRONG), graded(1, "Bo", WEAK)]), find)
    assert legend(once) == MARKS_LEGEND
    again = build_comparison(latest_grades([graded(0, "Ada", WEAK), overridden(graded(1, "Ada", STRONG), "driver", "missing")]),
                             find)
    assert legend(again) == f"{MARKS_LEGEND} · * your override · (2×) graded twice, the latest shown"


def test_a_removed_rubric_keeps_the_grades_concepts() -> None:
    def gone(question: str) -> None:
        raise UnknownName(question)

    (section,) = build_comparison(latest_grades([graded(0, "Ada", STRONG)]), gone).sections
    assert section.title == QUESTION and section.rows[0].band is None
    assert [c.name for c in section.concepts] == [find(QUESTION).concept(c).name
                                                  for c in ("shared_mechanism", "driver", "one_vs_many")]


def test_a_grade_against_a_rubric_off_the_search_path_keeps_its_band_and_title() -> None:
    """Graded with a rubric file's path, as the README shows, `genco candidates` found no rubric of that id and
    showed every band as "—" under the bare id: the grade keeps the band and title it was given."""
    def off_the_path(question: str) -> None:
        raise UnknownName(question)

    kept = graded(0, "Ada", STRONG)
    kept = replace(kept, grade={**(kept.grade or {}), "band": "strong", "title": "Lists\x1b[31m vs tuples"})
    (section,) = build_comparison(latest_grades([kept, graded(1, "Bob", WEAK)]), off_the_path).sections
    assert section.title == "Lists vs tuples"
    assert [(row.candidate, row.band) for row in section.rows] == [("Ada", "strong"), ("Bob", None)]
    from genco_interview.progress.reports import build_report

    # `report --candidate Ada` of the same grades headed its section with the bare id
    (reported,) = build_report([kept], off_the_path).sections
    assert (reported.question, reported.title) == (QUESTION, "Lists vs tuples")


def test_the_heading_counts_a_grade_without_a_name_as_a_candidate_of_its_own() -> None:
    """"0 candidates · 1 latest grade" stood over a row called "unnamed"."""
    from genco_interview.views.comparison import comparison_markdown

    comparison = build_comparison(latest_grades([graded(0, None, STRONG), graded(1, "Ada", WEAK)]), find)
    assert "2 candidates (1 unnamed) · 2 latest grades" in comparison_markdown(comparison)


def test_candidates_compares_only_graded_candidates_named_as_report_finds_them(home: Path) -> None:
    with open_history() as store:
        store.add([make_attempt(0, scores=STRONG), graded(1, "Ada Lovelace", WEAK), graded(2, "Bo Chen", STRONG),
                   overridden(graded(3, "Cy Young", WEAK), "driver", "covered")])
    everyone = json.loads(run("candidates", "--json").stdout)
    (section,) = everyone["sections"]
    assert [row["candidate"] for row in section["rows"]] == ["Bo Chen", "Ada Lovelace", "Cy Young"]  # not the learner's
    assert section["rows"][2]["overridden"] == ["driver"]
    two = json.loads(run("candidates", "lovelace", "BO CHEN", "--format", "json").stdout)
    assert two["candidates"] == ["Ada Lovelace", "Bo Chen"]
    text = run("candidates")
    assert text.exit_code == 0
    assert "Bo Chen" in text.stdout and "✓*" not in text.stdout and "~*" in text.stdout  # Cy's own driver, overridden
    assert "1 Shared suspension mechanism · 2 Who drives it · 3 Many values vs one result" in flat(text.stdout)


def test_candidates_refuses_a_name_nobody_was_graded_under_and_says_who_was(home: Path) -> None:
    with open_history() as store:
        store.add([graded(0, "Ada Lovelace", WEAK)])
    result = run("candidates", "Adda")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "'Ada Lovelace'" in result.stderr


def test_candidates_with_none_graded_says_how_to_grade_one(home: Path) -> None:
    result = run("candidates")
    assert result.exit_code == 0 and "genco grade --candidate NAME" in result.stdout
    assert run("candidates", "-q", "no-such-question").exit_code == 2  # a typo is not "none graded"


def test_a_narrow_terminal_keeps_every_concepts_mark(home: Path) -> None:
    """A table wider than the terminal would drop the concept columns that do not fit."""
    with open_history() as store:
        store.add([graded(0, "Ada Lovelace", STRONG, depth="detailed")])
    result = run("candidates", env={"COLUMNS": "36"})
    concepts = len(find(QUESTION).depth("detailed").concepts)
    assert all(f"{n}" in result.stdout for n in range(1, concepts + 1))
    assert "✓1" in result.stdout and f"{concepts} " in flat(result.stdout)


def test_a_narrow_terminal_breaks_a_candidates_line_between_its_parts(home: Path) -> None:
    """Wrapped at any space, "attempt" ended one line and its number began the next."""
    with open_history() as store:
        store.add([graded(0, "Maximiliana Montgomery", STRONG, depth="detailed")])
    for columns in range(30, 72):
        lines = run("candidates", env={"COLUMNS": str(columns)}).stdout.splitlines()
        assert any(re.search(r"attempt \d+$", line) for line in lines), (columns, lines)
        assert not any(line.endswith("attempt") for line in lines), (columns, lines)


def test_markdown_keeps_a_typed_name_as_text_and_the_note_and_names_no_path(home: Path) -> None:
    """Markdown is what a committee reads: the interviewer's note beside the marks, and no path of this computer."""
    noted = graded(0, HOSTILE, STRONG)
    noted = replace(noted, grade={**noted.grade, "note": "strong on the loop\nasked back | twice"})
    with open_history() as store:
        store.add([noted])
    markdown = run("candidates", "--format", "markdown").stdout
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "| Shared suspension mechanism | Who drives it |" in markdown
    assert "strong on the loop / asked back \\| twice |" in markdown and str(home) not in markdown  # each --note apart
    assert str(home) in run("candidates").stdout.replace("\n", "")  # the terminal says which history it read


def test_the_comparison_goes_to_a_file_as_one_page_for_a_committee(home: Path, tmp_path: Path) -> None:
    """`candidates --format html` and `--out` were refused (exit 2) where `report` and `rubric show` take them; the
    page escapes what was typed, names no path of this computer, and shows the machine's score beside the final."""
    noted = graded(0, HOSTILE, STRONG)
    noted = replace(noted, grade={**noted.grade, "note": "strong on the loop", "machine_score": 61.5})
    with open_history() as store:
        store.add([noted])
    page = tmp_path / "shortlist.html"
    written = run("candidates", "--out", str(page))
    assert written.exit_code == 0 and written.stdout == "", written.output
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<title>Candidates</title>" in text and "<script>" not in text
    assert "<th scope=\"col\">machine</th>" in text and "<td>61.5</td>" in text and "strong on the loop" in text
    assert str(home) not in text
    assert run("candidates", "--out", str(page)).exit_code == 0  # its own earlier page is replaced
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n", encoding="utf-8")
    refused = run("candidates", "--out", str(notes))
    assert refused.exit_code == 1 and "not a comparison genco wrote; pass --force" in refused.stderr
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    assert run("candidates", "--out", str(notes), "--force").exit_code == 0
    assert notes.read_text(encoding="utf-8").startswith("# genco candidates")
    assert run("candidates", "--format", "html").stdout.startswith("<!DOCTYPE html>")
    report, comparison = tmp_path / "r.json", tmp_path / "c.json"  # both JSON documents open with "generated_at"
    assert run("report", "--out", str(report)).exit_code == 0 and run("candidates", "--out", str(comparison)).exit_code == 0
    assert "not a comparison genco wrote" in run("candidates", "--out", str(report)).stderr
    assert "not a report genco wrote" in run("report", "--out", str(comparison)).stderr
    assert run("candidates", "--out", str(comparison)).exit_code == 0 and run("report", "--out", str(report)).exit_code == 0


@pytest.mark.parametrize(("name", "content"), [
    ("shortlist.html", "<!DOCTYPE html>\n<html><head><title>Candidates</title></head><body><h1>Hire Ada</h1></body></html>\n"),
    ("plan.txt", "No candidate graded yet \u2014 my own plan for next week:\n- call Ada\n"),
    ("round.txt", "Candidates · the three we meet on Monday\nAda, Bob, Wei\n"),
    ("round.md", "# genco candidates\n\nmy notes on what the tool said\n"),
])
def test_a_file_that_only_starts_like_a_comparison_is_kept_without_force(home: Path, tmp_path: Path, name: str,
                                                                          content: str) -> None:
    """A hand-written shortlist page titled "Candidates", notes opening "No candidate graded yet", were replaced
    without --force: only how a file starts said it was genco's, and these start alike."""
    with open_history() as store:
        store.add([graded(0, "Ada Lovelace", STRONG)])
    mine = tmp_path / name
    mine.write_text(content, encoding="utf-8")
    refused = run("candidates", "--out", str(mine))
    assert refused.exit_code == 1 and "not a comparison genco wrote; pass --force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == content


def test_an_empty_comparison_written_before_is_replaced_however_its_line_wrapped(home: Path, tmp_path: Path) -> None:
    """Written to a file, "No grade of ... : nothing to compare." wraps at 100 columns, and was then read as a file
    of the user's: the same command refused to replace its own output."""
    names = ["Maximiliana Montgomery-Featherstonehaugh", "Bartholomew Fitzgerald-Worthington"]
    with open_history() as store:
        store.add([graded(0, name, STRONG) for name in names])
    out = tmp_path / "none.txt"
    for _ in range(2):
        written = run("candidates", *names, "-q", QUESTION, "--since", "2030-01-01", "--out", str(out))
        assert written.exit_code == 0, written.output
    assert "\n" in out.read_text(encoding="utf-8").strip()  # the sentence did wrap


def test_no_grade_of_the_candidates_asked_for_is_not_said_to_be_no_grade_at_all(home: Path) -> None:
    """`candidates "Bo Chen" --since ...` said "No candidate graded since ... yet: grade one" beside other grades
    of that week, and `report --candidate "Bo Chen" -d detailed` that "the 1 attempt kept" at that depth was a
    candidate graded: another candidate's grade, counted as though it were the one asked for."""
    with open_history() as store:
        store.add([graded(0, "Ada Lovelace", STRONG, depth="detailed"), graded(1, "Bo Chen", WEAK)])
    shown = flat(run("candidates", "Bo Chen", "-q", "coroutine-vs-generator", "--since", "2030-01-01").stdout)
    assert "No grade of Bo Chen on coroutine-vs-generator since 2030-01-01 00:00: nothing to compare." in shown
    reported = run("report", "--candidate", "Bo Chen", "-d", "detailed")
    assert "No attempts of Bo Chen" in flat(reported.stdout) and "candidates graded" not in reported.stdout
    assert json.loads(run("report", "--candidate", "Bo Chen", "-d", "detailed", "--json").stdout)["graded_apart"] == 0


def test_the_commands_a_comparison_suggests_read_the_history_it_read(home: Path, tmp_path: Path) -> None:
    """`genco show ATTEMPT` under `candidates --db X` opened the default history's attempt: another candidate's."""
    team = tmp_path / "team.sqlite3"
    empty = run("candidates", "--db", str(team))
    assert f"`genco grade --candidate NAME --db {team}`" in flat(empty.stdout), empty.output
    with open_history(str(team)) as store:
        store.add([graded(0, "Zed Zulu", STRONG)])
    assert f"`genco show ATTEMPT --db {team}` shows a grade in full" in flat(run("candidates", "--db", str(team)).stdout)
    assert "`genco grade --candidate NAME`." in flat(run("candidates").stdout)  # the default history: no --db


def test_a_name_typed_without_its_accents_is_the_same_candidate() -> None:
    """"Zoe Chen" regrading "Zoë Chen" was a second row, while `genco candidates Zoe` called them two."""
    (section,) = build_comparison(latest_grades([graded(0, "Zoë Chen", WEAK), graded(1, "Zoe  chen", STRONG)]), find).sections
    assert [(row.candidate, row.grades) for row in section.rows] == [("Zoë Chen", 2)]


def test_a_new_grade_under_a_short_form_of_one_kept_name_is_kept_under_that_name(home: Path) -> None:
    """`grade --candidate Bob` after "Bob Martinez" started a candidate "Bob" of its own, unannounced, while
    every listing read "Bob" as "Bob Martinez". Several names it may be: kept as typed, and the note says whose."""
    from genco_interview.app.history import name_to_keep

    assert name_to_keep(None, "Bob") == ("Bob", None)  # no history yet
    with open_history() as store:
        store.add([graded(1, "Bob Martinez", WEAK)])
    name, note = name_to_keep(None, "bob")
    assert name == "Bob Martinez" and note and "'Bob Martinez'" in note
    assert name_to_keep(None, "bob martinez") == ("Bob Martinez", None)  # the same name, case aside: as first kept
    assert name_to_keep(None, "Bob Smith") == ("Bob Smith", None)  # a name in full is someone's own
    assert name_to_keep(None, "Ada") == ("Ada", None)  # someone new
    with open_history() as store:
        store.add([graded(2, "Bob Smith", WEAK), graded(3, "Ann", WEAK), graded(4, "A. Lovelace", WEAK)])
    name, note = name_to_keep(None, "Bob")
    assert name == "Bob" and note and "'Bob Martinez', 'Bob Smith'" in note
    assert name_to_keep(None, "Ann Lee") == ("Ann Lee", None)  # never kept under a shorter name
    assert name_to_keep(None, "Alan Lovelace") == ("Alan Lovelace", None)
    assert name_to_keep(None, "Lovelace")[0] == "A. Lovelace"
    assert name_to_keep(None, "Dr. Ann")[0] == "Ann"  # a title aside
    assert name_to_keep(None, "B. Martinez")[0] == "Bob Martinez"  # an initial for a word
