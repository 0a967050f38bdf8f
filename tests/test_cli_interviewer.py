"""Interviewer commands: the sheet in three formats, grade with overrides, rubric new, validate's meaning checks."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from cli_helpers import flat
from cli_helpers import invoke as run
from click.testing import Result

from genco_interview.progress.store import open_history
from genco_interview.rubric import RUBRICS_ENV, discover, find, load_rubric

from browser import chromium_path, view_page

FIXTURES = Path(__file__).parent / "fixtures"
MEANING = FIXTURES / "meaning"
SHIPPED_ID = "coroutine-vs-generator"
HOSTILE = "Tuples <script>alert(1)</script> & </table> *stars* | pipes"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(RUBRICS_ENV, raising=False)
    monkeypatch.delenv("GENCO_MODEL", raising=False)
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "genco-home"))




def hostile_rubric(tmp_path: Path) -> Path:
    """The clean fixture with markup in every kind of text the sheet prints."""
    data = yaml.safe_load((MEANING / "clean.yaml").read_text(encoding="utf-8"))
    data["id"] = "hostile-markup"
    data["title"] = HOSTILE
    data["concepts"][0]["description"] = HOSTILE
    data["depths"]["quick"]["follow_ups"][0]["good_answer"] = HOSTILE
    data["misconceptions"][0]["correction"] = HOSTILE
    directory = tmp_path / "rubrics"
    directory.mkdir()
    path = directory / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return directory


# --- the interviewer sheet ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("rubric_id", [r.id for r in discover()])
def test_sheet_renders_every_rubric_in_every_format(rubric_id: str, fmt: str) -> None:
    rubric = find(rubric_id)
    result = run("rubric", "show", rubric_id, "--format", fmt)
    assert result.exit_code == 0, result.output
    out = flat(html.unescape(result.output)) if fmt == "html" else flat(result.output.replace("\\", ""))
    for depth in rubric.depths:
        assert f"{depth.time_budget_minutes:g} min" in out
        for concept_id, _weight in depth.concepts:
            assert rubric.concept(concept_id).name in out
        for follow_up in depth.follow_ups:
            assert flat(follow_up.good_answer).split("`")[0][:40] in out
        prose = max(flat(depth.model_answer).split("`"), key=len)[-60:]  # a stretch of it no other text holds
        assert prose in flat(re.sub(r"<[^>]+>", " ", out))  # an interviewer prints it for the interview
    for misconception in rubric.misconceptions:
        assert flat(misconception.description) in out
    for band in rubric.score_bands:
        assert band.label in out


@pytest.mark.parametrize("rubric_id", [r.id for r in discover()])
def test_sheet_as_json_holds_what_the_sheet_shows(rubric_id: str) -> None:
    rubric = find(rubric_id)
    result = run("rubric", "show", rubric_id, "--format", "json")
    assert result.exit_code == 0, result.output
    sheet = json.loads(result.stdout)
    assert (sheet["id"], [d["name"] for d in sheet["depths"]]) == (rubric.id, list(rubric.depth_names))
    for depth, shown in zip(rubric.depths, sheet["depths"]):
        assert shown["model_answer"] == depth.model_answer and shown["question"] == depth.question
        assert [(c["id"], c["weight"]) for c in shown["checklist"]] == list(depth.concepts)
        assert round(sum(c["share"] for c in shown["checklist"])) == 100
        assert [f["ask"] for f in shown["follow_ups"]] == [f.ask for f in depth.follow_ups]
        known = {c["id"] for c in sheet["concepts"]}
        assert all(cid in known for f in shown["follow_ups"] for cid in f["concepts"])
        assert [m["id"] for m in shown["red_flags"]] == [m.id for m in rubric.misconceptions]
        assert shown["score_bands"][0]["from"] == 0 and shown["score_bands"][-1]["to"] == 100


def test_the_sheet_takes_the_json_shorthand_as_every_command_with_json_output_does() -> None:
    shorthand, spelled = run("rubric", "show", "yield-vs-yield-from-vs-await", "--json"), \
        run("rubric", "show", "yield-vs-yield-from-vs-await", "--format", "json")
    assert shorthand.exit_code == 0 and shorthand.stdout == spelled.stdout
    assert run("rubric", "show", "yield-vs-yield-from-vs-await", "--json", "--format", "html").exit_code == 2


def test_the_sheet_is_written_to_a_file_in_the_format_its_name_says(tmp_path: Path) -> None:
    """`rubric show --out sheet.html` was "no such option": every other command with a page to print takes --out."""
    page, notes = tmp_path / "sheet.html", tmp_path / "sheet.md"
    written = run("rubric", "show", SHIPPED_ID, "-d", "quick", "--out", str(page))
    assert written.exit_code == 0 and written.stderr.strip() == f"wrote the html sheet to {page}"
    assert page.read_text(encoding="utf-8") == run("rubric", "show", SHIPPED_ID, "-d", "quick", "--format", "html").stdout
    assert run("rubric", "show", SHIPPED_ID, "--out", str(notes)).exit_code == 0
    assert notes.read_text(encoding="utf-8").startswith("# ")
    text = tmp_path / "sheet.txt"
    assert run("rubric", "show", SHIPPED_ID, "--out", str(text)).exit_code == 0
    assert all(line == line.rstrip() for line in text.read_text(encoding="utf-8").splitlines())
    for sheet in (page, notes, text, tmp_path / "sheet.json"):  # an earlier sheet is replaced, as a report is
        for depth in (("-d", "deep"), ()):
            again = run("rubric", "show", SHIPPED_ID, *depth, "--out", str(sheet))
            assert again.exit_code == 0 and sheet.read_text(encoding="utf-8"), (sheet, again.stderr)
    for name, mine in (("notes.md", "# My notes on Ada\n\nHired.\n"),
                       ("README.md", "# mytool (`mytool`)\n\n## Install\n"),  # what a sheet's heading looks like
                       ("reading.json", '{"id": "n1", "title": "Reading list", "items": ["PEP 492"]}\n'),
                       ("prep.txt", "My prep notes\n\nPasted:\nCoroutines vs generators in Python  "
                                    "[coroutine-vs-generator]\n\nQUICK · 2 min\nAsk: ...\n")):  # a sheet quoted
        foreign = tmp_path / name
        foreign.write_text(mine, encoding="utf-8")
        kept = run("rubric", "show", SHIPPED_ID, "--out", str(foreign))
        assert kept.exit_code == 1 and "exists and is not a sheet genco wrote; pass --force" in kept.stderr, name
        assert foreign.read_text(encoding="utf-8") == mine
    assert run("rubric", "show", SHIPPED_ID, "--out", str(foreign), "--force").exit_code == 0
    unknown = run("rubric", "show", SHIPPED_ID, "--out", str(tmp_path / "sheet.pdf"))
    assert unknown.exit_code == 2 and ".pdf is not a sheet format" in unknown.stderr


def test_the_sheet_is_never_written_over_its_own_rubric(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`rubric show mine --out mine.yaml --format text --force` replaced the rubric with its sheet."""
    from conftest import ROOT

    mine = tmp_path / "tiny-question.yaml"
    mine.write_bytes((ROOT / "tests" / "fixtures" / "rubrics" / "tiny-question.yaml").read_bytes())
    monkeypatch.setenv("GENCO_RUBRICS", str(tmp_path))
    before = mine.read_bytes()
    refused = run("rubric", "show", "tiny-question", "--out", str(mine), "--format", "text", "--force")
    assert refused.exit_code == 1 and "is the rubric file of tiny-question" in refused.stderr
    assert mine.read_bytes() == before


def test_the_rubric_guides_come_with_genco_and_the_skeleton_points_to_them(tmp_path: Path) -> None:
    from conftest import ROOT

    writing, fields = run("rubric", "guide"), run("rubric", "guide", "--fields")
    assert writing.exit_code == fields.exit_code == 0
    assert writing.stdout == (ROOT / "docs" / "rubrics.md").read_text(encoding="utf-8")
    assert fields.stdout == (ROOT / "docs" / "rubric-format.md").read_text(encoding="utf-8")
    assert run("rubric", "new", "my-question", "--out", str(tmp_path)).exit_code == 0
    skeleton = (tmp_path / "my-question.yaml").read_text(encoding="utf-8")
    assert "genco rubric guide" in skeleton and "docs/" not in skeleton


def test_sheet_shows_weights_shares_and_bands_per_depth() -> None:
    result = run("rubric", "show", SHIPPED_ID, "--format", "markdown", "--depth", "quick")
    assert result.exit_code == 0
    assert "## quick · 2 min" in result.output and "## detailed" not in result.output
    assert "- [ ] **Who drives it** (`driver`, weight 2, 33%)" in result.output
    assert "| 0–40 | weak |" in result.output and "| 70–100 | strong |" in result.output
    assert "Probes: Calling returns a suspended object" in result.output
    flags = [line for line in result.output.splitlines() if line.startswith("- **severity")]
    assert flags and all(re.fullmatch(r"- \*\*severity \d+\*\* .+[.!?…] In fact: .+", line) for line in flags), flags


def test_a_red_flag_is_points_off_on_the_sheet_only_where_the_score_subtracts_them() -> None:
    """A concept rubric weighs a flag by the fitted combination, not its penalty: "−10" promised ten points."""
    from genco_interview.rubric import find
    from genco_interview.views.sheet import penalty_label

    shipped = find(SHIPPED_ID)
    assert penalty_label(shipped, shipped.misconceptions[0]).startswith("severity ")
    reference = dataclasses.replace(shipped, reference_mode=True)
    assert penalty_label(reference, shipped.misconceptions[0]) == f"−{shipped.misconceptions[0].penalty:g}"


def test_sheet_text_shows_each_concept_id_beside_its_name() -> None:
    result = run("rubric", "show", SHIPPED_ID, "--depth", "quick")
    assert result.exit_code == 0
    assert "Who drives it (driver)" in flat(result.output)
    page = run("rubric", "show", SHIPPED_ID, "--depth", "quick", "--format", "html").output  # what --override takes
    assert '<strong>Who drives it</strong> <code class="concept-id">driver</code>' in page


def test_a_long_word_on_the_printed_sheet_wraps_and_is_never_cut() -> None:
    """At 80 columns "multiprocessing/ProcessPoolExecutor" in what a strong answer says was cut to "…PoolExec…"."""
    result = run("rubric", "show", "threads-vs-asyncio-gil", "--depth", "deep", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output and "multiprocessing/ProcessPoolExecutor" in "".join(result.output.split())


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_sheet_escapes_rubric_text(tmp_path: Path, fmt: str) -> None:
    result = run("rubric", "show", "hostile-markup", "--format", fmt, env={RUBRICS_ENV: str(hostile_rubric(tmp_path))})
    assert result.exit_code == 0, result.output
    assert "<script>" not in result.output and "</table> *" not in result.output
    if fmt == "html":
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/table&gt;" in result.output
    else:
        assert r"\<script\>" in result.output and r"\*stars\*" in result.output and r"\| pipes" in result.output


@pytest.mark.skipif(chromium_path() is None, reason="make test installs chromium (scripts/install-chromium)")
def test_html_sheet_in_headless_chromium(tmp_path: Path) -> None:
    env = {RUBRICS_ENV: str(hostile_rubric(tmp_path))}
    for rubric_id, name in ((SHIPPED_ID, "sheet.html"), ("hostile-markup", "hostile.html")):
        page = tmp_path / name
        page.write_text(run("rubric", "show", rubric_id, "--format", "html", env=env).output, encoding="utf-8")
    shipped = view_page(tmp_path / "sheet.html", screenshot=tmp_path / "sheet.png")
    assert shipped.console_errors == []
    assert (tmp_path / "sheet.png").stat().st_size > 10_000
    rubric = find(SHIPPED_ID)
    text = flat(shipped.text)
    for depth in rubric.depths:
        assert flat(depth.question) in text
    assert "Red flags" in text.title() or "RED FLAGS" in text
    hostile = view_page(tmp_path / "hostile.html")
    assert hostile.console_errors == []
    assert HOSTILE in flat(hostile.text)  # shown as text, so the script never ran and the table never closed
    assert "<script>alert(1)" not in hostile.html


# --- grade ----------------------------------------------------------------------------------------


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "transcript.txt"
    path.write_text(
        "Both are built on the same suspend and resume machinery. A generator produces many values "
        "lazily, one at a time. Coroutines run in parallel on separate threads.", encoding="utf-8")
    return path


def test_a_text_sheet_of_a_rubric_with_a_long_title_and_id_is_replaced_as_genco_wrote_it(tmp_path: Path) -> None:
    """Its title cut with "…" put the [id] on a line of its own, and the next `rubric show --out` refused the sheet
    it had written."""
    rubric = tmp_path / "explain-how-python-coroutines-generators-and.yaml"
    made = run("rubric", "from-answer", "--question", "Explain how Python coroutines, generators and async "
               "generators relate to one another in practice", "--answer", "A coroutine is awaited. A generator yields "
               "values.", "--out", str(rubric))
    assert made.exit_code == 0, made.output
    sheet = tmp_path / "sheet.txt"
    for _ in range(2):
        shown = run("rubric", "show", str(rubric), "--out", str(sheet), env={"COLUMNS": "80"})
        assert shown.exit_code == 0, shown.output
    assert "\n[explain-how-python-coroutines-generators-and]\n" in sheet.read_text(encoding="utf-8")
    titled = tmp_path / "titled.yaml"  # a title of 400 characters wraps to five lines
    assert run("rubric", "from-answer", "--question", "Why?", "--answer", "A coroutine is awaited.", "--title",
               "Coroutines " * 36, "--id", "titled", "--out", str(titled)).exit_code == 0
    for _ in range(2):
        assert run("rubric", "show", str(titled), "--out", str(sheet), "--force").exit_code == 0
        assert run("rubric", "show", str(titled), "--out", str(sheet)).exit_code == 0


def grade_json(*args: str) -> dict:
    result = run("grade", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("columns", [40, 50, 60])
def test_a_narrow_scorecard_lists_its_evidence_under_the_table(real_model_cli, transcript: Path, columns: int) -> None:
    """At 60 columns the evidence had some ten letters a line beside four other columns; at 40 the machine's mark
    was cut to "covered 1…"."""
    result = run("grade", "-d", "quick", "--answer-file", str(transcript), "--no-save", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout.split("Evidence from the answer")[0]
    for concept in grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save")["concepts"]:
        assert f"{round(concept['machine']['score'] * 100)}%" in result.stdout, concept
    assert "evidence from the" not in result.stdout and "Evidence from the answer" in result.stdout
    if columns >= 50:
        assert "“Both are built on the same suspend and resume" in result.stdout  # a line of the quote whole
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    wide = run("grade", "-d", "quick", "--answer-file", str(transcript), "--no-save", env={"COLUMNS": "100"})
    assert "evidence from the answer" in wide.stdout and "Evidence from the answer" not in wide.stdout


CAROL = ("Interviewer: Let's start. Coroutine versus generator, what's the difference?\n"
         "Carol Nguyen: Hmm. A generator function returns a generator object when called; nothing runs until you "
         "call next. It produces values one by one.\n"
         "Carol Nguyen: Coroutines... async def. You await them. The event loop schedules them, when one awaits IO "
         "another one runs.\n"
         "{asked}"
         "Carol Nguyen: Historically coroutines were built on generators - yield from, the @asyncio.coroutine "
         "decorator. Both suspend and resume their frame.\n")


def test_an_interviewers_question_between_the_candidates_turns_reads_nothing_backwards(real_model_cli, tmp_path: Path):
    """The question between two turns set the last one apart, and "It produces values one by one. Coroutines..."
    read better with generator and coroutine exchanged: the answer was read as reversed, its one-result-versus-many
    contradicted (52.8, against 67.2 without the question). A few words trailing off open what follows."""
    scores = {}
    for name, asked in {"asked": "Interviewer: Do they share anything?\n", "not asked": ""}.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(CAROL.format(asked=asked), encoding="utf-8")
        graded = grade_json("-d", "quick", "--answer-file", str(path), "--candidate", "Carol Nguyen", "--no-save")
        assert not any(note.startswith("Read as a whole") for note in graded["notes"]), graded["notes"]
        assert {c["id"]: c["machine"]["status"] for c in graded["concepts"]}["one_vs_many"] != "contradicted"
        scores[name] = graded["score"]
    assert scores["asked"] > scores["not asked"] - 8


def test_a_transcript_edited_and_graded_again_says_the_first_grade_is_kept_beside_it(real_model_cli, tmp_path: Path):
    """One word fixed in a transcript and graded again kept a second grade with only "saved as attempt 2": the
    comparison then counted the candidate twice, and nothing said why or how to remove the first."""
    db, first, edited = tmp_path / "round.sqlite3", tmp_path / "first.txt", tmp_path / "edited.txt"
    first.write_text(CAROL.format(asked=""), encoding="utf-8")
    edited.write_text(CAROL.format(asked="").replace("Hmm. ", ""), encoding="utf-8")
    said = []
    for path in (first, edited, edited):
        result = run("grade", "-d", "quick", "--answer-file", str(path), "--candidate", "Carol Nguyen", "--db", str(db))
        assert result.exit_code == 0, result.output
        said.append(flat(result.stderr))
    assert "another grade" not in said[0] and "another grade" not in said[2]  # the first, and a regrade that replaces
    assert (f"note: Carol Nguyen has another grade of this question at this depth, of another transcript (attempt 1); "
            f"genco candidates --db {db} compares the latest, and genco history delete 1 --db {db} removes one") in said[1]
    from genco_interview.cli import _other_grades_note

    assert _other_grades_note("Ada", [5, 2, 4], None).startswith("note: Ada has 3 other grades of this question at "
                                                                 "this depth, of other transcripts (attempts 2, 4, 5); ")


def test_grade_json_and_overrides_change_the_score(real_model_cli, transcript: Path) -> None:
    base = grade_json("-d", "quick", "--answer-file", str(transcript), "--candidate", "Ann")
    assert base["kind"] == "interviewer" and base["candidate"] == "Ann" and base["attempt"] == 1
    assert base["score"] == base["machine_score"]
    marks = {c["id"]: c for c in base["concepts"]}
    assert marks["driver"]["status"] != "covered" and marks["driver"]["override"] is None
    assert any(m["id"] == "coroutines_are_threads" for m in base["misconceptions"])
    assert any("driver" in f["concepts"] for f in base["follow_ups"])
    raised = grade_json("-d", "quick", "--answer-file", str(transcript), "--override", "driver=covered",
                        "--note", "said the event loop drives coroutines when asked", "--note", "calm")
    assert raised["score"] > base["score"] and raised["machine_score"] == base["machine_score"]
    driver = next(c for c in raised["concepts"] if c["id"] == "driver")
    assert driver["machine"]["status"] == marks["driver"]["status"] and driver["override"] == "covered"
    assert not any("driver" in f["concepts"] and "one_vs_many" not in f["concepts"] for f in raised["follow_ups"])
    assert raised["note"] == "said the event loop drives coroutines when asked\ncalm"  # each --note kept, in order


def test_a_blank_transcript_is_graded_but_not_kept_and_says_so(real_model_cli, tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\u200b\n", encoding="utf-8")
    assert grade_json("-d", "quick", "--answer-file", str(blank))["score"] == 0
    asked_only = tmp_path / "asked.txt"  # the interviewer's marks and note would vanish without a word
    asked_only.write_text("Interviewer: Both share the frame machinery, right?\nCandidate:\n", encoding="utf-8")
    result = run("grade", "-d", "quick", "--answer-file", str(asked_only), "--note", "said it all aloud")
    assert result.exit_code == 0 and "not kept in the history: the transcript holds no words of the candidate's" in result.stderr
    assert json.loads(run("history", "--format", "json").stdout) == []
    card = grade_json("-d", "quick", "--answer-file", str(asked_only))  # the card says whose lines they were
    assert card["score"] == 0 and card["notes"][0].startswith("Only the interviewer's lines (under a label")
    blank_card = grade_json("-d", "quick", "--answer-file", str(blank))
    assert blank_card["notes"] == ["The answer has no words: nothing to score."]
    dots = tmp_path / "dots.txt"  # neither the interviewer's lines nor nothing: say what it is
    dots.write_text("...\n", encoding="utf-8")
    assert "(only the interviewer's lines, or no words at all)" in run("grade", "-d", "quick", "--answer-file",
                                                                       str(dots)).stderr


def test_grade_text_and_markdown_show_both_marks(real_model_cli, transcript: Path) -> None:
    args = ["grade", "-d", "quick", "--answer-file", str(transcript), "--override", "who drives IT=missing",
            "--candidate", "<b>Ann</b>", "--note", "a | b"]
    text = run(*args)
    assert text.exit_code == 0, text.output
    out = flat(text.output)
    assert "<b>Ann</b> · Coroutines vs generators in Python · quick" in out
    assert "(machine" in out and "Follow-ups worth asking" in out and "Red flags heard" in out
    markdown = run(*args, "--format", "markdown")
    assert markdown.exit_code == 0
    assert r"\<b\>Ann\</b\>" in markdown.output and r"a \| b" in markdown.output
    assert "| Who drives it (`driver`) | 2 |" in markdown.output and "| missing 0% |" in markdown.output  # the credit it earns
    assert "Who drives it ×2 driver" in out  # the id --override takes, beside the name
    assert "missing 0%" in out  # the fixed credit a mark earns: agreeing with the machine's "missing 19%" takes 19 off
    cost = grade_json(*args[1:], "--no-save")["misconception_cost"]  # what the flag cost, as fitted
    assert cost > 0 and f"They took {cost:g} points off the machine's score." in out and "(−" not in out
    assert f"They took {cost:g} points off the machine's score." in markdown.output
    every = [part for c in ("shared_mechanism", "driver", "one_vs_many") for part in ("--override", f"{c}=covered")]
    judged = grade_json(*args[1:5], *every, "--no-save")  # every concept marked: the flag that stands costs still
    assert judged["score"] == round(100 - cost, 1)
    shown = flat(run(*args[:5], *every, "--no-save").output)
    assert f"They took {cost:g} points off the machine's score, and take {cost:g} off the score of your marks" in shown
    assert grade_json(*args[1:5], *every, "--dismiss-red-flags", "--no-save")["score"] == 100.0


@pytest.mark.parametrize(
    ("override", "words"),
    [("nope=covered", "unknown concept 'nope' at this depth; valid: shared_mechanism (Shared suspension mechanism), "
                      "driver (Who drives it), one_vs_many (Many values vs one result)"),
     ("driver=great", "unknown status 'great'; valid: covered, partial, missing"),
     ("driver", "must look like CONCEPT=STATUS")],
)
def test_grade_bad_override_is_one_line_exit_2(transcript: Path, override: str, words: str) -> None:
    result = run("grade", "-d", "quick", "--answer-file", str(transcript), "--override", override)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("genco grade: --override")
    assert lines[0].endswith("(see genco grade --help)")
    assert words in lines[0]


def test_a_bad_override_is_said_before_a_transcript_is_read(home: Path) -> None:
    """A usage error, exit 2, before the transcript is pasted: nothing typed waits on a draft to be lost."""
    result = run("grade", "-d", "quick", "--answer-file", "-", "--override", "nope=covered", input="Generators yield.")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("genco grade: --override: unknown concept 'nope'")
    assert not (home / "drafts").exists()


def test_a_link_on_a_line_of_its_own_is_no_speakers_label(real_model_cli, tmp_path: Path) -> None:
    """"https://..." read as the label "https:", said on the card as a heading whose lines were scored as theirs."""
    (tmp_path / "t.txt").write_text("Interviewer: What is the difference?\nAda: A generator yields many values.\n"
                                    "https://docs.python.org/3/glossary.html\nA coroutine is awaited.\n", encoding="utf-8")
    result = run("grade", "-d", "quick", "--candidate", "Ada", "--answer-file", str(tmp_path / "t.txt"), "--no-save",
                 "--json")
    assert result.exit_code == 0, result.output
    assert "https" not in " ".join(json.loads(result.stdout)["notes"]) and "https" not in result.stderr


def test_grade_needs_an_answer() -> None:
    """Nothing piped in and no option naming the transcript is a usage error, as two sources are."""
    for given in ([], ["--answer", "Generators yield.", "--answer-file", "-"]):
        result = run("grade", "-d", "quick", *given)
        assert result.exit_code == 2, result.output
        assert len(result.stderr.splitlines()) == 1 and "--answer-file" in result.stderr


def test_a_transcript_piped_in_or_given_inline_is_graded_as_from_a_file(real_model_cli, tmp_path: Path) -> None:
    """`pbpaste | genco grade` and `--answer` were refused ("missing option '--answer-file'") where
    `genco score` takes both."""
    transcript = "Interviewer: Go on.\nCandidate: A generator yields many values; a coroutine is awaited by the loop.\n"
    (tmp_path / "t.txt").write_text(transcript, encoding="utf-8")
    scores = []
    for given, piped in ((["--answer-file", str(tmp_path / "t.txt")], None), ([], transcript),
                         (["--answer", transcript], None)):
        result = run("grade", "-d", "quick", "--json", "--no-save", *given, input=piped)
        assert result.exit_code == 0, result.output
        scores.append(json.loads(result.stdout)["score"])
    assert scores[0] > 0 and scores == [scores[0]] * 3
    kept = run("grade", "-d", "quick", "--answer", transcript)  # kept: no draft file to drop (it raised TypeError)
    assert kept.exit_code == 0 and "Traceback" not in kept.output, kept.output
    assert "saved as attempt 1" in kept.stderr and "Score" in kept.stdout


# --- rubric new -----------------------------------------------------------------------------------


def fill(skeleton: str) -> str:
    """What an author does: replace every TODO with real text (here: distinct claims per line)."""
    lines = []
    for number, line in enumerate(skeleton.splitlines()):
        if "TODO" in line:
            prefix = line.split('"TODO')[0] if '"TODO' in line else line.split("TODO")[0]
            line = f'{prefix}"Filled-in entry number {number}."'
        lines.append(line)
    return "\n".join(lines) + "\n"



def test_a_rubric_skeleton_that_cannot_be_written_leaves_no_empty_file_or_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a full disk it left an empty my-q.yaml in a new folder: the next try said "already exists", and the
    search path warned of an empty rubric on every command."""
    from genco_interview.rubric import skeleton

    def full(*args: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(skeleton, "skeleton", full)
    result = run("rubric", "new", "my-q", "--out", str(tmp_path / "rubrics"))
    assert result.exit_code == 1 and "cannot write (No space left on device)" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_rubric_new_makes_only_its_own_folder_never_a_mistyped_path(tmp_path: Path) -> None:
    result = run("rubric", "new", "my-q", "--out", str(tmp_path / "typo" / "a" / "b"))
    assert result.exit_code == 1 and f"no folder {tmp_path / 'typo'}; create it first" in result.stderr, result.output
    assert not (tmp_path / "typo").exists()


def test_rubric_new_into_a_link_to_nowhere_says_so(tmp_path: Path) -> None:
    """It said "link/my-q.yaml: already exists" where nothing did: the link's own mkdir failed."""
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    result = run("rubric", "new", "my-q", "--out", str(tmp_path / "link"))
    assert result.exit_code == 1 and f"is a link to {tmp_path / 'nowhere'}, which does not exist" in result.stderr
    assert "already exists" not in result.stderr and not (tmp_path / "nowhere").exists()


def test_the_skeletons_exemplar_count_is_the_one_validate_asks_for() -> None:
    """It said "3 is the least" over its 3 placeholders, which `validate --strict` then warned about."""
    from genco_interview.evaluation.lint import CONCEPT_MIN_EXEMPLARS
    from genco_interview.rubric.skeleton import skeleton

    text = skeleton("mine", "mine.yaml")
    assert f"warns under {CONCEPT_MIN_EXEMPLARS}" in text and "3 is the least" not in text


def test_rubric_new_writes_a_skeleton_that_validates_once_filled(tmp_path: Path) -> None:
    result = run("rubric", "new", "yield-vs-await", "--out", str(tmp_path / "mine"))
    path = tmp_path / "mine" / "yield-vs-await.yaml"
    assert result.exit_code == 0, result.output
    assert f"wrote {path}" in result.output
    unfilled = run("rubric", "validate", "--schema-only", str(path))
    assert unfilled.exit_code == 1 and "placeholder(s) from `genco rubric new` still to fill" in unfilled.stderr
    path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    filled = run("rubric", "validate", "--schema-only", str(path))
    assert filled.exit_code == 0, filled.output
    rubric = load_rubric(path)
    assert rubric.id == "yield-vs-await" and rubric.depth("quick").follow_ups[0].concepts == ("second_concept",)


def test_rubric_new_with_a_shipped_rubrics_id_says_the_copy_replaces_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "other"
    result = run("rubric", "new", SHIPPED_ID, "--out", str(folder))
    assert result.exit_code == 0, result.output
    path = folder / f"{SHIPPED_ID}.yaml"
    assert result.stderr == (f"genco: {SHIPPED_ID} is the id of a shipped rubric: with {folder} on GENCO_RUBRICS, "
                             f"{path} replaces that question in every command (and until it validates, asking for "
                             "it shows its errors); give another id to add a question of your own\n")
    assert run("rubric", "new", "yield-vs-await", "--out", str(tmp_path / "mine")).stderr == ""  # an id of one's own
    path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    told = f"genco: {path} replaces the shipped rubric {SHIPPED_ID!r}\n"
    for argv in (["rubric", "show", SHIPPED_ID], ["rubric", "list"], ["next"]):
        assert run(*argv).stderr == told, argv  # once per command


def test_rubric_new_refuses_to_overwrite(tmp_path: Path) -> None:
    existing = tmp_path / "mine.yaml"
    existing.write_text("precious", encoding="utf-8")
    result = run("rubric", "new", "mine", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"genco rubric new: {existing}: already exists; not overwriting it (choose another --out or id)"
    assert existing.read_text(encoding="utf-8") == "precious"
    for out in (existing, tmp_path / "new.yaml"):  # a file where the folder should be, or a file's name
        result = run("rubric", "new", "other", "--out", str(out))
        assert result.exit_code == 1 and "--out takes the folder" in result.stderr
    assert existing.read_text(encoding="utf-8") == "precious" and not (tmp_path / "new.yaml").exists()


def test_rubric_new_rejects_a_bad_id(tmp_path: Path) -> None:
    result = run("rubric", "new", "Bad Id", "--out", str(tmp_path))
    assert result.exit_code == 2 and "must be lowercase letters and digits, words joined by single dashes" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_rubric_new_rejects_an_id_too_long_to_name_a_file(tmp_path: Path) -> None:
    """300 letters passed the id rule, then failed at the file system ("File name too long", exit 1)."""
    assert run("rubric", "new", "a" * 64, "--out", str(tmp_path)).exit_code == 0
    result = run("rubric", "new", "a" * 300, "--out", str(tmp_path))
    assert result.exit_code == 2 and "at most 64 characters" in result.stderr and "a" * 41 not in result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.yaml")) == ["a" * 64 + ".yaml"]


# --- rubric validate: meaning ---------------------------------------------------------------------


def test_validate_clean_files_exit_0_even_strict(real_model_cli) -> None:
    result = run("rubric", "validate", "--strict", str(MEANING / "clean.yaml"), f"rubrics/{SHIPPED_ID}.yaml")
    assert result.exit_code == 0, result.output
    assert "meaning checks: no warnings in 2 files" in result.output


@pytest.mark.parametrize(("name", "check"), [("overlap.yaml", "concept-overlap"),
                                             ("contradiction.yaml", "contradiction-too-close"),
                                             ("misconception.yaml", "model-answer-misconception"),
                                             ("incomplete.yaml", "model-answer-incomplete")])
def test_validate_warns_and_strict_exits_3(real_model_cli, name: str, check: str) -> None:
    path = MEANING / name
    relaxed = run("rubric", "validate", str(path))
    assert relaxed.exit_code == 0, relaxed.output
    assert f"⚠ {path}: {check}: " in relaxed.output and "    fix: " in relaxed.output
    assert run("rubric", "validate", "--strict", str(path)).exit_code == 3


def test_validate_json_lists_findings_and_errors(real_model_cli) -> None:
    broken = FIXTURES / "broken" / "unknown-concept.yaml"
    result = run("rubric", "validate", "--json", str(MEANING / "incomplete.yaml"), str(broken))
    assert result.exit_code == 1
    reports = json.loads(result.output)
    assert reports[0]["valid"] and {f["check"] for f in reports[0]["findings"]} == {"model-answer-incomplete"}
    assert set(reports[0]["findings"][0]) == {"check", "path", "entries", "similarity", "message", "suggestion"}
    assert not reports[1]["valid"] and "unknown concept 'gamma'" in reports[1]["error"]



def test_grade_is_saved_as_an_interviewer_attempt_with_the_final_marks(real_model_cli, transcript: Path,
                                                                        tmp_path: Path) -> None:
    from genco_interview.progress.store import open_history

    db = tmp_path / "history.sqlite"
    graded = grade_json("-d", "quick", "--answer-file", str(transcript), "--override", "driver=covered", "--db", str(db),
                        "--candidate", "Ann Lee")
    grade_json("-d", "quick", "--answer-file", str(transcript), "--db", str(db), "--no-save")
    with open_history(db, create=False) as history:
        saved = history.attempts()
    assert len(saved) == 1
    attempt = saved[0]
    assert attempt.source == "interviewer" and attempt.score == graded["score"] and attempt.candidate == "Ann Lee"
    assert attempt.answer == transcript.read_text(encoding="utf-8")
    assert {c["id"]: c["status"] for c in attempt.concepts}["driver"] == "covered"


def test_a_cost_from_misconceptions_the_card_does_not_name_is_still_said(real_model_cli, tmp_path: Path) -> None:
    """Near ties (a sentence nearly as close to a correct claim) are not named as red flags, yet the score
    weighs them: the scorecard says what they took, so its score is not lowered without a word."""
    rows = [json.loads(line) for line in (FIXTURES.parent.parent / "data" / "yield-vs-yield-from-vs-await.jsonl").read_text().splitlines()]
    answer = tmp_path / "answer.txt"
    answer.write_text(next(r for r in rows if r["id"] == "good-04")["answer"], encoding="utf-8")
    args = ["grade", "yield-vs-yield-from-vs-await", "-d", "deep", "--answer-file", str(answer), "--no-save"]
    graded = json.loads(run(*args, "--json").stdout)
    assert graded["misconceptions"] == [] and graded["misconception_cost"] > 0
    said = f"nearly as close to a correct claim and so not named as a red flag, took {graded['misconception_cost']:g} points"
    assert said in flat(run(*args).output) and said in run(*args, "--format", "markdown").output
    assert "Red flags heard" not in run(*args).output
    named = [note for note in graded["notes"] if "is nearly as close to the misconception" in note]
    assert len(named) == 1 and f"took {graded['misconception_cost']:g} points off the score" in named[0]
    assert named[0].startswith("\u201c") and named[0].split("\u201d")[0][1:].rstrip("\u2026") in answer.read_text()


def test_dismissed_red_flags_give_their_points_back_and_the_kept_attempt_names_them(real_model_cli, transcript: Path,
                                                                                    tmp_path: Path) -> None:
    """The transcript says coroutines run on threads: the machine flags it. An interviewer who heard it
    otherwise dismisses the flag; the score gets back what it took, and `show` says who decided."""
    db = tmp_path / "history.sqlite"
    args = ["-d", "quick", "--answer-file", str(transcript), "--db", str(db)]
    machine = grade_json(*args, "--no-save")
    assert machine["misconception_cost"] > 0 and machine["red_flags_dismissed"] is False
    dismissed = grade_json(*args, "--dismiss-red-flags")
    assert dismissed["red_flags_dismissed"] is True and dismissed["machine_score"] == machine["score"]
    assert dismissed["score"] == pytest.approx(min(machine["score"] + machine["misconception_cost"], 100), abs=0.11)
    assert dismissed["misconceptions"] == machine["misconceptions"]  # the machine's side stays on the card
    text = flat(run("grade", *args, "--dismiss-red-flags", "--no-save").output)
    assert "Red flags heard (dismissed by you)" in text and "red flags dismissed)" in text
    assert "you dismissed them, so the score has those points back." in text
    kept = json.loads(run("show", "last", "--format", "json", "--db", str(db)).output)
    assert kept["grade"]["red_flags_dismissed"] == {
        "points": machine["misconception_cost"],
        "flags": [{k: m[k] for k in ("id", "description", "evidence")} for m in machine["misconceptions"]]}
    assert kept["misconceptions"] == [] and kept["score"] == dismissed["score"]
    shown = flat(run("show", "last", "--db", str(db)).output)
    assert (f"The interviewer heard no misconception and dismissed the machine's red flags, giving back the "
            f"{machine['misconception_cost']:g} points they took:") in shown
    assert flat(f"✗ {machine['misconceptions'][0]['description']} (said: “{machine['misconceptions'][0]['evidence']}”)") in shown
    flags = len(machine["misconceptions"])  # `candidates` read "red flags 0", the dismissal unseen by a committee
    row = json.loads(run("candidates", "--db", str(db), "--json").stdout)["sections"][0]["rows"][0]
    assert (row["red_flags"], row["red_flags_dismissed"]) == (0, flags)
    assert f"| 0 ({flags} dismissed) |" in run("candidates", "--db", str(db), "--format", "markdown").stdout
    assert f"0 ({flags} dismissed)" in run("candidates", "--db", str(db), env={"COLUMNS": "200"}).stdout


def test_the_same_grade_again_is_not_kept_twice_and_a_changed_one_replaces_it(real_model_cli, transcript: Path,
                                                                               tmp_path: Path) -> None:
    """Grading a transcript as text, then as JSON for a tool, is one attempt: the candidate's report must not
    count it twice. Other marks or another note are the interviewer's revised grade: it replaces the earlier
    one (two read as the candidate's progress, "first 74.3, best 80.7"); another candidate's is their own."""
    from genco_interview.progress.store import open_history

    db = tmp_path / "h.sqlite"
    args = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", str(db), "--candidate", "Ann Lee"]
    assert f"saved as attempt 1 (an interviewer attempt) · genco show 1 --db {db}" in run(*args).stderr
    assert "already kept as attempt 1 " in run(*args, "--format", "json").stderr
    assert "saved as attempt 2 (an interviewer attempt), replacing attempt 1 " in run(*args, "--note", "asked twice").stderr
    assert "replacing attempt 2 " in run(*args, "--override", "driver=covered").stderr
    assert "replacing" not in run(*args[:-1], "Bo Chen").stderr
    assert "replacing" not in run(*[("detailed" if a == "quick" else a) for a in args]).stderr  # another depth: another grade
    with open_history(db, create=False) as history:
        kept = history.attempts()
    assert [(a.id, a.candidate, a.depth) for a in kept] == [(3, "Ann Lee", "quick"), (4, "Bo Chen", "quick"),
                                                            (5, "Ann Lee", "detailed")]
    assert next(c["status"] for c in kept[0].concepts if c["id"] == "driver") == "covered"  # the latest marks


def test_a_kept_grade_keeps_the_candidate_the_note_and_the_machine_marks(real_model_cli, transcript: Path,
                                                                          tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    graded = grade_json("-d", "quick", "--answer-file", str(transcript), "--candidate", HOSTILE,
                        "--note", " ", "--note", "strong on loops", "--override", "driver=missing", "--db", str(db))
    machine = {c["id"]: c["machine"]["status"] for c in graded["concepts"]}
    kept = json.loads(run("show", "last", "--format", "json", "--db", str(db)).output)
    # a blank --note adds no empty first line
    assert kept["grade"] == {"candidate": HOSTILE, "note": "strong on loops",
                             "machine_score": graded["machine_score"], "machine": machine, "overrides": {"driver": "missing"},
                             "band": graded["band"]["label"], "title": "Coroutines vs generators in Python"}
    listed = json.loads(run("history", "--json", "--db", str(db)).output)[0]
    assert kept["candidate"] == listed["candidate"] == HOSTILE  # show names the candidate where history does
    shown = flat(run("show", "last", "--db", str(db)).output)
    assert f"Graded: {flat(HOSTILE)}" in shown and "Note: strong on loops" in shown
    assert "evidence from the candidate's answer" in shown and "evidence from your answer" not in shown
    assert f"machine {machine['driver']}, interviewer missing" in shown  # said even where they agree: it moved the score
    exported = tmp_path / "out.jsonl"
    assert run("history", "export", str(exported), "--db", str(db)).exit_code == 0
    other = tmp_path / "other.sqlite"
    assert run("history", "import", str(exported), "--db", str(other)).exit_code == 0
    assert json.loads(run("show", "last", "--format", "json", "--db", str(other)).output)["grade"] == kept["grade"]


def test_a_kept_concept_the_interviewer_marked_with_no_sentence_says_whose_mark_it_is(real_model_cli, transcript: Path,
                                                                                    tmp_path: Path) -> None:
    """`show` said "from the answer's words; no sentence states it plainly" beside a partial that was the
    interviewer's override of the machine's missing."""
    db = str(tmp_path / "h.sqlite")
    graded = grade_json("-d", "quick", "--answer-file", str(transcript), "--db", db, "--no-save")
    unearned = next(c["id"] for c in graded["concepts"] if c["machine"]["evidence"] is None)
    grade_json("-d", "quick", "--answer-file", str(transcript), "--db", db, "--override", f"{unearned}=partial")
    shown = flat(run("show", "last", "--db", db).output)
    assert "the interviewer's mark" in shown and "from the answer's words" not in shown
    assert "What they missed" in shown and "What to add" not in shown  # a candidate's: no advice to the learner
    assert "say it fully" not in shown


@pytest.mark.parametrize("name", ["", "   ", "\u200b", " \u2060\u200b "])
def test_a_blank_candidate_name_is_a_usage_error_before_anything_is_read(transcript: Path, name: str) -> None:
    """It named nobody, and hid the note a grade without --candidate gives when several speakers are scored."""
    result = run("grade", "-d", "quick", "--answer-file", str(transcript), "--candidate", name)
    assert result.exit_code == 2 and "--candidate" in result.stderr and "is blank" in result.stderr


def test_a_candidate_name_too_long_for_a_name_is_a_usage_error(transcript: Path) -> None:
    """A 5,000-character name was kept, and `genco candidates` printed it over dozens of lines. The name is
    counted as kept and seen: invisible characters, blanks at its ends and combining accents are not counted."""
    from genco_interview.interview.grading import candidate_name_problem

    result = run("grade", "-d", "quick", "--answer-file", str(transcript), "--candidate", "A" * 201)
    assert result.exit_code == 2 and "'--candidate': is 201 characters; a candidate's name holds at most 200" in \
        result.stderr
    for kept in ("A" * 200 + "\u200b", " " * 5 + "A" * 195 + " " * 5, "e\u0301" * 150):
        assert candidate_name_problem(kept) is None, kept


def test_a_candidate_typed_with_combining_accents_is_the_one_graded_precomposed(real_model_cli, transcript: Path,
                                                                               tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite")
    assert run("grade", "-d", "quick", "--answer-file", str(transcript), "--candidate", "Zoe\u0308",
               "--db", db).exit_code == 0
    for command in ("history", "report"):
        assert run(command, "--candidate", "Zo\u00eb", "--db", db, "--json").exit_code == 0, command
        assert run(command, "--candidate", "Zoe", "--db", db, "--json").exit_code == 0, command  # typed without it


def test_the_scorecard_never_cuts_a_concept_id_on_a_narrow_terminal(real_model_cli, transcript: Path) -> None:
    shown = run("grade", "-d", "deep", "--answer-file", str(transcript), "--no-save", env={"COLUMNS": "80"}).output
    assert "…" not in shown.split("Misconceptions")[0]
    lines = [line.strip() for line in shown.splitlines()]  # each id whole on one line, as --override takes it
    for concept_id, _ in find("coroutine-vs-generator").depth("deep").concepts:
        assert any(concept_id in line.split() for line in lines), concept_id


def test_the_interviewers_lines_earn_the_candidate_nothing_whatever_the_candidate_is_called(
        real_model_cli, tmp_path: Path) -> None:
    """The interviewer states every concept and the candidate, labelled by name, only agrees: the
    candidate earns nothing, as with a "Candidate:" label; what the candidate says earns its credit."""
    asked = ("Interviewer: A generator is driven by iteration and yields many values, while a coroutine is driven "
             "by the event loop and produces one result; both share the suspension machinery. Agreed?\n")
    agreed, explained = tmp_path / "agreed.txt", tmp_path / "explained.txt"
    agreed.write_text(asked + "Bob: Yes, exactly.\n", encoding="utf-8")
    explained.write_text("Interviewer: What's the difference?\nBob: A generator yields many values lazily, and the "
                         "caller drives it with next(). A coroutine is awaited and the event loop drives it.\n",
                         encoding="utf-8")
    for candidate in ((), ("--candidate", "Bob")):
        assert grade_json("-d", "quick", "--answer-file", str(agreed), "--no-save", *candidate)["score"] < 10
        assert grade_json("-d", "quick", "--answer-file", str(explained), "--no-save", *candidate)["score"] > 30


@pytest.mark.slow
def test_a_grade_of_two_named_speakers_without_a_candidate_says_both_were_scored(real_model_cli, tmp_path: Path) -> None:
    """"Bob:" states the model answer and "Ada Lovelace:" knows little: without --candidate both were scored
    as the candidate's and the card said nothing of it (here Bob opens with no question, so nothing says
    who asks)."""
    transcript = tmp_path / "two.txt"
    transcript.write_text("Bob: Tell me. A generator yields many values and the caller drives it; a coroutine is "
                          "awaited and the event loop drives it.\nAda Lovelace: Not sure.\nBob: And async generators.\n"
                          "Ada Lovelace: No idea.\n", encoding="utf-8")
    unnamed = grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save")
    assert any("Bob:, Ada Lovelace: were all scored" in note for note in unnamed["notes"]), unnamed["notes"]
    named = grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save", "--candidate", "Ada Lovelace")
    assert not any("were all scored" in note for note in named["notes"]) and named["score"] < unnamed["score"]


def test_the_speaker_who_answers_the_first_question_is_read_as_the_candidate(real_model_cli, tmp_path: Path) -> None:
    """"Dana:" states the model answer and asks "Do you agree?"; "Priya:" says "Yes, that's right.": graded
    without --candidate, every line was the candidate's (61 points, the label quoted as evidence)."""
    transcript = tmp_path / "leak.txt"
    transcript.write_text("Dana: So a generator is driven by a for loop calling next() and yields many values, while a "
                          "coroutine is driven by the event loop and returns one result. Both share the same "
                          "suspend/resume frame machinery. Do you agree?\nPriya: Yes, that's right.\n", encoding="utf-8")
    unnamed = grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save")
    named = grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save", "--candidate", "Priya")
    assert unnamed["score"] == named["score"] < 20
    assert any("Priya: were scored as the candidate's, and Dana:, who asks" in note for note in unnamed["notes"]), unnamed["notes"]
    assert unnamed["candidate"] is None  # read so, not named so


def test_a_regrade_matches_the_transcript_however_spaced_and_keeps_its_place_in_time(real_model_cli, transcript: Path,
                                                                                     tmp_path: Path) -> None:
    """A browser sends CRLF and no final line break: the same transcript was a second grade. And a regrade of
    an older interview was dated now, so it hid the candidate's later interview as their latest grade."""
    from genco_interview.progress.store import open_history

    db = str(tmp_path / "h.sqlite")
    later = tmp_path / "later.txt"
    later.write_text("A generator yields many values lazily. The event loop drives a coroutine.\n", encoding="utf-8")
    respaced = tmp_path / "respaced.txt"
    respaced.write_bytes(transcript.read_text(encoding="utf-8").replace(". ", ".\r\n  ").rstrip().encode())
    grade = ["grade", "-d", "quick", "--candidate", "Ann Lee", "--db", db, "--answer-file"]
    assert run(*grade, str(transcript)).exit_code == 0 and run(*grade, str(later)).exit_code == 0
    assert "replacing attempt 1 " in run(*grade, str(respaced), "--override", "driver=partial").stderr
    with open_history(db, create=False) as history:
        kept = history.attempts()
    assert [a.id for a in kept] == [3, 2]  # the regrade where the first interview was, before the later one
    latest = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"][0]
    assert latest["attempt"] == 2 and latest["grades"] == 2


def test_a_replaced_grade_says_which_one_replaced_it_and_a_short_name_regrades_the_same_candidate(
        real_model_cli, transcript: Path, tmp_path: Path) -> None:
    """`genco show 2` of a replaced grade said only "no attempt"; "Bob" regrading "Bob Martinez"'s transcript
    was a second candidate; the same regrade again (as JSON) is not kept twice."""
    db = str(tmp_path / "h.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db]
    assert run(*grade, "--candidate", "Bob Martinez").exit_code == 0
    regraded = run(*grade, "--candidate", "Bob", "--note", "second look")
    assert "replacing attempt 1 (this transcript graded before)" in regraded.stderr  # it held no marks or note to set aside
    again = run(*grade, "--candidate", "Bob", "--note", "second look", "--json")
    assert "already kept as attempt 2 " in again.stderr
    assert json.loads(again.stdout)["candidate"] == "Bob Martinez"  # the name it is kept under, not as typed
    gone = run("show", "1", "--db", db)
    assert gone.exit_code == 1 and "attempt 1 was replaced by attempt 2" in gone.stderr
    assert "replacing attempt 2 " in run(*grade, "--candidate", "bob martinez", "--note", "third").stderr
    assert "attempt 1 was replaced by attempt 3" in run("show", "1", "--db", db).stderr  # the latest of the line
    rows = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert [(r["candidate"], r["attempt"], r["grades"]) for r in rows] == [("Bob Martinez", 3, 1)]


def test_a_note_or_a_dismissal_given_on_a_regrade_is_added_to_the_earlier_judgement(
        real_model_cli, transcript: Path, tmp_path: Path) -> None:
    """A note added the next day replaced the whole grade: two overrides and two notes gone for good."""
    db = str(tmp_path / "h.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db, "--candidate", "Ben"]
    first = grade_json(*grade[1:], "--override", "driver=missing", "--override", "one_vs_many=partial",
                       "--note", "A", "--note", "B")
    later = run(*grade, "--note", "Follow-up call: fine.")
    assert "what you added to it carried over" in later.stderr, later.stderr
    kept = json.loads(run("show", "last", "--db", db, "--json").stdout)
    assert kept["grade"]["note"] == "A\nB\nFollow-up call: fine."
    assert kept["grade"]["overrides"] == {"driver": "missing", "one_vs_many": "partial"}
    assert kept["score"] == first["score"]
    assert "already kept as" in run(*grade, "--note", "Follow-up call: fine.", "--json").stderr  # the same run again
    dismissed = grade_json(*grade[1:], "--dismiss-red-flags", "--no-save")
    assert {c["id"]: c["override"] for c in dismissed["concepts"]}["driver"] == "missing"
    moved = grade_json(*grade[1:], "--override", "driver=covered", "--no-save")  # a mark replaces its concept's
    assert {c["id"]: c["override"] for c in moved["concepts"]} == {"shared_mechanism": None, "driver": "covered",
                                                                   "one_vs_many": "partial"}


def test_a_regrade_that_starts_over_keeps_only_what_is_given_now_in_the_earlier_grades_place(
        real_model_cli, transcript: Path, tmp_path: Path) -> None:
    """A regrade adds to the earlier judgement, so a wrong override or dismissal could be taken back only by
    deleting the grade (which dates the new one now, not at the interview)."""
    db = str(tmp_path / "h.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db, "--candidate", "Ben"]
    machine = grade_json(*grade[1:], "--no-save")
    first = grade_json(*grade[1:], "--override", "driver=missing", "--note", "A", "--dismiss-red-flags")
    graded_at = json.loads(run("show", "last", "--db", db, "--json").stdout)["created_at"]
    afresh = run(*grade, "--start-over", "--note", "B")
    assert "replacing attempt 1 (this transcript graded before; its marks and note set aside)" in afresh.stderr
    kept = json.loads(run("show", "last", "--db", db, "--json").stdout)
    assert kept["grade"]["note"] == "B" and not kept["grade"].get("overrides")
    assert "red_flags_dismissed" not in kept["grade"]
    assert kept["score"] == machine["score"] != first["score"]
    assert kept["created_at"] == graded_at


def test_a_fuller_name_regrading_a_short_ones_transcript_renames_it_and_another_is_someone_else(
        real_model_cli, transcript: Path, tmp_path: Path) -> None:
    """"Wei Chen" and then "Zoe Chen" graded on the transcript graded as "Chen" each replaced the grade before
    and kept it as "Chen": one attempt named Chen was left, with Zoe's note, and Wei Chen's grade was gone. The
    fuller name now regrades the transcript under itself (the interviewer said whose it was); a second fuller
    name, which is not the first, is a candidate of their own."""
    db = str(tmp_path / "h.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db]
    assert run(*grade, "--candidate", "Chen").exit_code == 0
    renamed = run(*grade, "--candidate", "Wei Chen", "--override", "driver=partial", "--note", "Wei Chen's grade")
    assert "replacing attempt 1 " in renamed.stderr
    assert "this transcript was graded before as 'Chen': that grade is now kept under 'Wei Chen'" in flat(renamed.stdout)
    other = run(*grade, "--candidate", "Zoe Chen", "--override", "driver=missing", "--note", "Zoe Chen's grade")
    assert "replacing" not in other.stderr and "already kept" not in other.stderr, other.stderr
    rows = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert sorted((r["candidate"], r["note"]) for r in rows) == [("Wei Chen", "Wei Chen's grade"),
                                                                 ("Zoe Chen", "Zoe Chen's grade")]
    assert "replacing attempt 2 " in run(*grade, "--candidate", "Dr. Wei Chen", "--note", "again").stderr


def test_a_regrade_is_only_ever_the_same_candidates_grade(real_model_cli, transcript: Path, tmp_path: Path) -> None:
    """With Wei Chen and Zoe Chen graded on one transcript, "Chen" graded the same way was "already kept as
    attempt 2", Zoe's, and kept nothing; "Dr. Zoe Chen" is Zoe Chen's grade, whom it names but for the title."""
    db = str(tmp_path / "h.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db]
    for name in ("Wei Chen", "Zoe Chen"):
        assert "already kept" not in run(*grade, "--candidate", name).stderr
    short = run(*grade, "--candidate", "Chen")
    assert "saved as attempt 3 " in short.stderr and "already kept" not in short.stderr, short.stderr
    assert "which may be any of 'Wei Chen', 'Zoe Chen'" in flat(short.stdout)
    assert "already kept as attempt 2 " in run(*grade, "--candidate", "Dr. Zoe Chen").stderr


def four_transcripts(folder: Path) -> list[Path]:
    """Four short transcripts of different words, each a file of `folder`: one grade's each, named apart."""
    texts = []
    for number, said in enumerate(("A generator yields values lazily.", "The event loop drives coroutines.",
                                   "Both suspend a frame.", "A coroutine gives one result.")):
        texts.append(folder / f"t{number}.txt")
        texts[-1].write_text(said, encoding="utf-8")
    return texts


def test_names_with_other_titles_or_initials_are_other_people_and_a_fuller_regrade_finds_the_kept_name(
        real_model_cli, tmp_path: Path) -> None:
    """"Mrs. Chen" replaced Mr. Chen's grade, "Wei Z." Wei Chen's; "Dana Whitfield" regrading Dana's transcript
    was kept beside the "Dr. Dana Whitfield" graded elsewhere, two people in `candidates`; and a listing of "Zoe
    Chen" showed Chen's grades, whom grading keeps apart."""
    db = str(tmp_path / "h.sqlite")
    texts = four_transcripts(tmp_path)

    def grade(text: Path, name: str, *more: str) -> Result:
        return run("grade", "-d", "quick", "--db", db, "--answer-file", str(text), "--candidate", name, *more)

    for text, first, then in ((texts[0], "Mr. Chen", "Mrs. Chen"), (texts[1], "Wei Chen", "Wei Z.")):
        assert grade(text, first).exit_code == 0
        kept = grade(text, then, "--note", then)
        assert "replacing" not in kept.stderr and "already kept" not in kept.stderr, (then, kept.stderr)
    assert grade(texts[2], "Dana").exit_code == 0 and grade(texts[3], "Dr. Dana Whitfield").exit_code == 0
    assert "replacing attempt 5 " in grade(texts[2], "Dana Whitfield").stderr
    rows = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert sorted(r["candidate"] for r in rows) == ["Dr. Dana Whitfield", "Mr. Chen", "Mrs. Chen", "Wei Chen", "Wei Z."]
    unknown = run("history", "--db", db, "--candidate", "Zoe Chen")
    assert unknown.exit_code == 2 and "no attempt is graded for candidate 'Zoe Chen'" in unknown.stderr


def test_a_name_written_surname_first_is_the_same_candidate(real_model_cli, tmp_path: Path) -> None:
    """An interviewer who copied "Lovelace, Ada" from an applicant tracker after grading "Ada Lovelace" had two
    candidates, the regrade kept beside the grade it revised."""
    db = str(tmp_path / "h.sqlite")
    (text, *_) = four_transcripts(tmp_path)
    grade = ["grade", "-d", "quick", "--db", db, "--answer-file", str(text)]
    assert run(*grade, "--candidate", "Ada Lovelace").exit_code == 0
    assert "replacing attempt 1 " in run(*grade, "--candidate", "Lovelace, Ada", "--note", "second look").stderr
    rows = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert [(r["candidate"], r["note"]) for r in rows] == [("Ada Lovelace", "second look")]


def test_keeping_a_grade_replaces_only_the_grade_grading_named(real_model_cli, tmp_path: Path) -> None:
    """Grading found the earlier grade under the name as typed, keeping looked again under the name kept: "Mr.
    Chen", kept as "Chen", replaced Dr. Wei Chen's grade of the transcript; "Wei", kept as "Wei Chen", replaced
    Chen's and lost its note; "W. Chen" copied Mr. Chen's note onto a grade of Dr. Wei Chen's. "Miss Chen" and
    "Mr. Chen" were one person, "Dr Chen" and "Dr. Chen" two."""
    db = str(tmp_path / "h.sqlite")
    texts = four_transcripts(tmp_path)

    def grade(text: int, name: str, *more: str) -> Result:
        result = run("grade", "-d", "quick", "--db", db, "--answer-file", str(texts[text]), "--candidate", name, *more)
        assert result.exit_code == 0, result.output
        return result

    def notes() -> dict[str, str | None]:
        with open_history(db, create=False) as history:
            return {f"{a.candidate}@{a.answer[:5]}": (a.grade or {}).get("note") for a in history.attempts()}

    grade(1, "Chen")
    grade(0, "Dr. Wei Chen", "--override", "driver=missing", "--note", "wei")
    mister = grade(0, "Mr. Chen", "--override", "one_vs_many=covered")
    assert "replacing" not in mister.stderr and "graded as 'Chen'" in flat(mister.stdout)
    assert notes()["Dr. Wei Chen@A gen"] == "wei"
    grade(2, "Zoe Chen")
    grade(3, "Chen", "--note", "either")
    wei = grade(3, "Wei")  # kept as Wei Chen: not a regrade of the "Chen" graded on it
    assert "replacing" not in wei.stderr and notes()["Chen@A cor"] == "either"
    grade(0, "W. Chen")  # kept as Dr. Wei Chen, whose grade of it stands: nothing copied from "Chen"'s
    assert list(notes().values()).count("wei") == 1
    for text, name in ((1, "Miss Lee"), (2, "Mr. Lee"), (1, "Dr. Kim"), (2, "Dr Kim")):
        grade(text, name)
    rows = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    names = [r["candidate"] for r in rows]
    assert "Miss Lee" in names and "Mr. Lee" in names and "Dr Kim" not in names, names


def test_a_plain_regrade_of_a_transcript_graded_without_a_name_keeps_the_marks(real_model_cli, tmp_path: Path) -> None:
    """Graded without --candidate, a transcript whose candidate is told by who asks ("Dana:" asking, "Priya:"
    answering) was looked up under "Priya" for its earlier marks, found none, and the plain regrade replaced the
    override it should have kept."""
    db, talk = str(tmp_path / "h.sqlite"), tmp_path / "talk.txt"
    talk.write_text("Dana: How do they differ?\nPriya: A generator yields many values to a for loop.\n"
                    "Dana: And a coroutine?\nPriya: The event loop drives it to one result.\n", encoding="utf-8")
    grade = ["grade", "-d", "quick", "--answer-file", str(talk), "--db", db]
    assert run(*grade, "--override", "shared_mechanism=covered").exit_code == 0
    again = run(*grade)
    assert "already kept as attempt 1 " in again.stderr, again.stderr
    assert "from this transcript's earlier grade: your marks stand" in flat(again.stdout)  # it held no note
    assert "note: from this transcript's earlier grade" in again.stdout and "machine's note: from" not in again.stdout


def test_a_name_below_the_candidates_last_turn_scored_as_theirs_is_said(real_model_cli, tmp_path: Path) -> None:
    talk = tmp_path / "talk.txt"
    talk.write_text("Candidate: I am not sure, something about async.\nDana: Actually, a generator is pulled by a for "
                    "loop and yields many values.\n", encoding="utf-8")
    notes = grade_json("-d", "quick", "--answer-file", str(talk), "--no-save")["notes"]
    assert any(note.startswith("the lines under Dana: after the candidate's last turn were scored as theirs")
               and "label them Interviewer:" in note for note in notes), notes


def test_a_short_name_for_lines_labelled_in_full_is_the_labels_person(real_model_cli, tmp_path: Path) -> None:
    """`--candidate Carla` for a transcript whose lines are all "Carla Jones:" was kept under the one Carla
    graded before, Carla Smith, hiding her own grade: the labels say whose lines they are."""
    db, jones = str(tmp_path / "h.sqlite"), tmp_path / "jones.txt"
    jones.write_text("Interviewer: How do they differ?\nCarla Jones: A generator yields many values to a for loop.\n"
                     "Interviewer: And a coroutine?\nCarla Jones: It is awaited, and the event loop runs it.\n",
                     encoding="utf-8")
    smith = tmp_path / "smith.txt"
    smith.write_text("Interviewer: How do they differ?\nCarla Smith: Generators are lazy.\n", encoding="utf-8")
    assert run("grade", "-d", "quick", "--answer-file", str(smith), "--db", db, "--candidate", "Carla Smith").exit_code == 0
    graded = run("grade", "-d", "quick", "--answer-file", str(jones), "--db", db, "--candidate", "Carla", "--json")
    assert graded.exit_code == 0 and json.loads(graded.stdout)["candidate"] == "Carla Jones", graded.output
    rows = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert sorted(r["candidate"] for r in rows) == ["Carla Jones", "Carla Smith"]


def test_the_same_transcript_graded_again_for_another_format_keeps_the_note_and_marks(real_model_cli, transcript: Path,
                                                                                      tmp_path: Path) -> None:
    """Graded with a note and an override, then again with --format markdown for the committee: the second run,
    with neither, replaced the first, and the note and marks were gone from `candidates`."""
    db = str(tmp_path / "h.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db, "--candidate", "Alice Chen"]
    assert run(*grade, "--note", "calm", "--override", "driver=covered").exit_code == 0
    again = run(*grade, "--format", "markdown")
    assert again.exit_code == 0 and "already kept as attempt 1 " in again.stderr
    assert "calm" in again.stdout
    # the Markdown goes to a committee: the line telling the interviewer how to change a carried judgement stays out
    assert "earlier grade" not in again.stdout and "--override" not in again.stdout
    carried = run(*grade)  # the terminal still says it
    assert "from this transcript's earlier grade: your marks and note stand" in flat(carried.stdout)
    (row,) = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert (row["attempt"], row["note"], row["marks"]["driver"], row["overridden"]) == (1, "calm", "covered", ["driver"])
    assert "replacing attempt 1 " in run(*grade, "--note", "revised").stderr  # a judgement of its own still revises it


def test_a_regrade_from_a_rubric_file_edited_since_drops_the_mark_of_a_concept_gone(real_model_cli, transcript: Path,
                                                                                   tmp_path: Path) -> None:
    """A concept marked, then renamed in the rubric file, and the transcript graded again: the earlier mark
    was carried over and the grade could not be kept ("'grade.overrides' may only mark concepts the grade's
    machine marks"). A file with a question's id of the search path is refused: its grades replaced that
    question's."""
    db = str(tmp_path / "h.sqlite")
    shipped = Path(find("coroutine-vs-generator").path).read_text(encoding="utf-8").replace("calibration:", "# calibration:")
    mine = tmp_path / "mine.yaml"
    mine.write_text(shipped.replace("id: coroutine-vs-generator", "id: my-question"), encoding="utf-8")
    grade = ["grade", str(mine), "-d", "quick", "--answer-file", str(transcript), "--db", db, "--candidate", "Alice"]
    assert run(*grade, "--override", "driver=covered").exit_code == 0
    mine.write_text(re.sub(r"\bdriver\b", "who_drives", mine.read_text(encoding="utf-8")), encoding="utf-8")
    again = run(*grade)
    assert again.exit_code == 0, again.output
    assert "(your mark of driver, no longer a concept of this depth, is dropped)" in flat(again.stdout)
    assert "(this transcript graded before; what you added to it carried over)" in again.stderr
    clash = tmp_path / "clash.yaml"
    clash.write_text(shipped.replace("title:", "title: Another\nold_title:", 1).replace("old_title:", "#"), encoding="utf-8")
    refused = run("grade", str(clash), "-d", "quick", "--answer-file", str(transcript), "--db", db)
    assert refused.exit_code == 1 and "its id 'coroutine-vs-generator' is a question genco has already" in refused.stderr


def test_the_same_transcript_with_other_line_endings_graded_again_is_already_kept(real_model_cli, transcript: Path,
                                                                                  tmp_path: Path) -> None:
    """The transcript saved again with CRLF line endings is the same transcript: its note and marks stand, and it is
    not kept a second time (it said "replacing attempt 1 ... give way to these" while keeping them)."""
    db = str(tmp_path / "h.sqlite")
    lines = ["Interviewer: What is the difference?", "Ada: A generator yields many values lazily.",
             "Interviewer: And a coroutine?", "Ada: The event loop drives it to one result."]
    (tmp_path / "lf.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "crlf.txt").write_bytes("  \r\n".join(lines).encode("utf-8"))
    grade = ["grade", "-d", "quick", "--db", db, "--candidate", "Ada"]
    assert run(*grade, "--answer-file", str(tmp_path / "lf.txt"), "--note", "calm", "--override", "driver=partial").exit_code == 0
    again = run(*grade, "--answer-file", str(tmp_path / "crlf.txt"))
    assert again.exit_code == 0 and "already kept as attempt 1 " in again.stderr and "replacing" not in again.stderr
    assert len(json.loads(run("history", "--db", db, "--json").stdout)) == 1


def test_a_regrade_without_a_name_is_the_grade_of_the_one_candidate_named_on_it(real_model_cli, tmp_path: Path) -> None:
    """Graded as "Ada Lovelace" (whom no label names) with an override, then again with no --candidate: it was kept
    as a second, unnamed grade of the same transcript, and the override was gone from it."""
    db = str(tmp_path / "h.sqlite")
    path = tmp_path / "t.txt"
    path.write_text("Interviewer: What is the difference?\nCandidate: A generator yields many values lazily.\n"
                    "Sam: I heard they are threads. Walk me through that.\nCandidate: One thread, the loop.\n",
                    encoding="utf-8")
    grade = ["grade", "-d", "quick", "--answer-file", str(path), "--db", db]
    first = json.loads(run(*grade, "--candidate", "Ada Lovelace", "--override", "driver=partial", "--json").stdout)
    assert any("the lines labelled Sam: were read as another speaker's" in n for n in first["notes"])
    again = run(*grade, "--json")
    assert "already kept as attempt 1 " in again.stderr and json.loads(again.stdout)["candidate"] == "Ada Lovelace"


def test_an_override_that_agrees_with_the_machine_is_kept_and_stands_on_a_regrade(real_model_cli, transcript: Path,
                                                                                 tmp_path: Path) -> None:
    """An override earns fixed credit, so marking "missing" a concept the machine also marks missing moves the score;
    kept only where it differed from the machine's mark, it was lost on a regrade, which then scored otherwise."""
    db = str(tmp_path / "h.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db, "--candidate", "Ada"]
    machine = {c["id"]: c["machine"]["status"] for c in grade_json(*grade[1:], "--no-save")["concepts"]}
    agreeing = next(cid for cid, status in machine.items() if status in ("missing", "partial", "covered"))
    first = grade_json(*grade[1:], "--override", f"{agreeing}={machine[agreeing]}")
    assert first["score"] != first["machine_score"]  # fixed credit, not the machine's
    again = run(*grade, "--format", "json")
    assert "already kept as attempt 1 " in again.stderr and json.loads(again.stdout)["score"] == first["score"]
    kept = json.loads(run("show", "1", "--format", "json", "--db", db).output)["grade"]
    assert kept["overrides"] == {agreeing: machine[agreeing]}
    (row,) = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert row["overridden"] == [agreeing]


def test_a_transcript_graded_again_without_the_name_is_the_same_candidates_grade(real_model_cli, tmp_path: Path) -> None:
    """Graded as "Bob Martinez" with a note, the "Bob:" transcript printed again as Markdown with no --candidate
    was kept as a second, unnamed grade beside his."""
    db = str(tmp_path / "h.sqlite")
    transcript = tmp_path / "bob.txt"
    transcript.write_text("Priya: What is the difference between a coroutine and a generator?\nBob: A generator yields "
                          "many values lazily.\nPriya: And what drives a coroutine?\nBob: The event loop.\n", encoding="utf-8")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db]
    assert run(*grade, "--candidate", "Bob Martinez", "--note", "x").exit_code == 0
    again = run(*grade, "--format", "markdown")
    assert "already kept as attempt 1 " in again.stderr and "Bob Martinez" in again.stdout
    rows = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert [(r["candidate"], r["attempt"], r["note"]) for r in rows] == [("Bob Martinez", 1, "x")]


def test_a_candidate_named_by_no_label_is_read_as_the_speaker_who_answers(real_model_cli, tmp_path: Path) -> None:
    """`--candidate "Robert Martinez"` for "Priya:" asking and "Bob:" answering scored both, Priya's questions too
    (37.3 to 42.4, weak to partial), while without --candidate Bob was read as the candidate."""
    transcript = tmp_path / "bob.txt"
    transcript.write_text("Priya: What is the difference between a coroutine and a generator? Both share the same "
                          "suspend/resume frame machinery, right?\nBob: A generator yields many values lazily.\n"
                          "Priya: And what drives a coroutine?\nBob: Not sure.\n", encoding="utf-8")
    named = grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save", "--candidate", "Robert Martinez")
    bob = grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save", "--candidate", "Bob")
    assert named["score"] == bob["score"] and named["candidate"] == "Robert Martinez"
    assert any(note.startswith("no line is labelled with the candidate's name (Robert Martinez): the lines labelled Bob:")
               for note in named["notes"]), named["notes"]


def test_a_follow_up_the_transcript_already_asked_is_not_suggested_again(real_model_cli, tmp_path: Path) -> None:
    """The interviewer asked "Can a coroutine give you several values over time?" and heard "Not sure.", and the
    scorecard sent them back to ask it."""
    opening = ("Interviewer: What is the difference between a coroutine and a generator?\n"
               "Candidate: A generator yields values.\n")
    probed = "Interviewer: Can a coroutine give you several values over time, like a generator does?\nCandidate: Not sure.\n"
    plain, asked = tmp_path / "plain.txt", tmp_path / "asked.txt"
    plain.write_text(opening, encoding="utf-8")
    asked.write_text(opening + probed, encoding="utf-8")
    before, after = ([f["ask"] for f in grade_json("-d", "quick", "--answer-file", str(path), "--no-save")["follow_ups"]]
                     for path in (plain, asked))
    several = "Can a coroutine give you several values over time, the way a generator does?"
    assert several in before and several not in after


def test_the_interviewers_verdict_after_the_last_turn_is_no_red_flag_of_the_candidates(real_model_cli,
                                                                                        tmp_path: Path) -> None:
    """"Verdict: Weak. Thinks coroutines are threads ..." under the candidate's last turn was read as the
    candidate's: a red flag took 20 points (51.8 to 32.9)."""
    answer = ("Interviewer: What's the difference between a coroutine and a generator?\nCandidate: A generator yields "
              "many values lazily and you drive it with next() or a for loop. A coroutine is awaited, and the event "
              "loop runs it to produce one result.\n")
    verdict = "Verdict: Weak. Thinks coroutines are threads that run in parallel on several cores.\n"
    plain, noted = tmp_path / "plain.txt", tmp_path / "noted.txt"
    plain.write_text(answer, encoding="utf-8")
    noted.write_text(answer + verdict, encoding="utf-8")
    without, graded = (grade_json("-d", "quick", "--answer-file", str(path), "--no-save") for path in (plain, noted))
    assert graded["misconceptions"] == [] and graded["score"] == without["score"]
    assert "the lines under Verdict: were read as your notes, not the candidate's, and not scored" in graded["notes"]
    summary = tmp_path / "summary.txt"
    summary.write_text(answer + verdict.replace("Verdict:", "Summary:"), encoding="utf-8")
    summed = grade_json("-d", "quick", "--answer-file", str(summary), "--no-save")
    assert ("the lines under Summary: after the candidate's last turn were scored as theirs; if they are your notes, "
            "head them Verdict: or Feedback:") in summed["notes"]


def test_a_short_name_two_candidates_share_replaces_neither_and_an_export_forgets_the_numbers(
        real_model_cli, transcript: Path, tmp_path: Path) -> None:
    """"Bob" after "Bob Martinez" and "Bob Smith" graded the same transcript replaced Bob Smith's grade. And
    the numbers a regrade replaced, imported into another history, named other attempts there."""
    from genco_interview.progress.store import open_history

    db, elsewhere = str(tmp_path / "h.sqlite"), str(tmp_path / "new.sqlite")
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db]
    for name in ("Bob Martinez", "Bob Smith"):
        assert "replacing" not in run(*grade, "--candidate", name).stderr
    assert "replacing" not in run(*grade, "--candidate", "Bob").stderr
    assert "replacing attempt 1 " in run(*grade, "--candidate", "Martinez", "--note", "again").stderr
    exported = tmp_path / "all.jsonl"
    assert run("history", "export", str(exported), "--db", db).exit_code == 0
    assert '"replaces"' not in exported.read_text(encoding="utf-8")
    assert run("history", "import", str(exported), "--db", elsewhere).exit_code == 0
    with open_history(elsewhere, create=False) as history:
        assert all("replaces" not in (a.grade or {}) for a in history.attempts())


def test_an_export_made_before_a_regrade_imports_no_second_grade_of_the_transcript(real_model_cli, transcript: Path,
                                                                                   tmp_path: Path) -> None:
    """Imported after the regrade, the replaced grade came back beside the one that replaced it: the transcript
    counted twice ("(2×)") and the stale grade, of the same time, showed as the latest."""
    db, backup = str(tmp_path / "h.sqlite"), tmp_path / "before.jsonl"
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", db, "--candidate", "Bob Martinez"]
    assert run(*grade, "--override", "driver=covered").exit_code == 0
    assert run("history", "export", str(backup), "--db", db).exit_code == 0
    assert "replacing attempt 1" in run(*grade, "--note", "regraded").stderr
    imported = run("history", "import", str(backup), "--db", db)
    assert imported.exit_code == 0 and "imported 0 attempts" in imported.stdout
    assert "1 grade of a transcript" in imported.stdout and "has graded already" in imported.stdout
    (row,) = json.loads(run("candidates", "--db", db, "--json").stdout)["sections"][0]["rows"]
    assert (row["attempt"], row["note"], row["grades"]) == (2, "regraded", 1)
    after, joined, fresh = tmp_path / "after.jsonl", tmp_path / "both.jsonl", str(tmp_path / "fresh.sqlite")
    assert run("history", "export", str(after), "--db", db).exit_code == 0
    joined.write_text(backup.read_text(encoding="utf-8") + after.read_text(encoding="utf-8"), encoding="utf-8")
    assert "1 grade of a transcript" in run("history", "import", str(joined), "--db", fresh).stdout  # the earlier one
    (row,) = json.loads(run("candidates", "--db", fresh, "--json").stdout)["sections"][0]["rows"]
    assert (row["note"], row["grades"]) == ("regraded", 1)


@pytest.mark.parametrize("rubric_id", ["1", "yes", "null", "off", "2026-01-01", "0x1f", "my-question"])
def test_a_skeletons_id_is_a_text_whatever_yaml_would_read_it_as(tmp_path: Path, rubric_id: str) -> None:
    """`rubric new 1` wrote `id: 1`: the loader read a number, so the file could never validate."""
    import yaml

    assert run("rubric", "new", rubric_id, "--out", str(tmp_path)).exit_code == 0
    assert yaml.safe_load((tmp_path / f"{rubric_id}.yaml").read_text(encoding="utf-8"))["id"] == rubric_id


def test_a_regrade_without_a_name_reads_the_lines_of_the_candidate_named_before(real_model_cli, tmp_path: Path) -> None:
    """Regraded without --candidate, the grade was kept as Ada's, but her lines were read with no name: the label
    "Ada Lovelace:" was scored as her words (48.1 to 44.0). With two candidates graded on the transcript, an
    unnamed grade scoring both people's lines was kept with no word of either."""
    db, transcript = str(tmp_path / "h.sqlite"), tmp_path / "t.txt"
    transcript.write_text("Interviewer: What is the difference?\nAda Lovelace: Both are built on the same suspend "
                          "and resume mechanism. A generator is driven by next() and yields many values; a coroutine "
                          "is driven by the event loop.\nInterviewer: Thanks.\n", encoding="utf-8")
    grade = ["-d", "quick", "--answer-file", str(transcript), "--db", db]
    named = grade_json(*grade, "--candidate", "Ada Lovelace")
    again = grade_json(*grade, "--start-over", "--note", "second look")
    assert (again["candidate"], again["score"]) == ("Ada Lovelace", named["score"])
    grade_json(*grade, "--candidate", "Bob Jones")
    unnamed = grade_json(*grade, "--no-save")
    assert any("graded before as 'Bob Jones' and 'Ada Lovelace'" in note for note in unnamed["notes"]), unnamed["notes"]
    assert grade_json(*grade, "--note", "nobody's")["candidate"] is None
    again = run("grade", *grade, "--note", "still nobody's")  # beside a grade naming nobody, that grade's regrade
    assert "replacing attempt 4 " in again.stderr and json.loads(run("show", "last", "--db", db, "--json").stdout)[
        "candidate"] is None


def test_a_regrade_kept_in_the_recovery_file_imports_in_the_place_of_the_grade_it_revises(
        real_model_cli, transcript: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regraded while the history was locked, the grade went to the recovery file; the import the error gave then
    said "its own grade stands" and the revised judgement never applied."""
    import sqlite3

    from genco_interview.progress import database

    monkeypatch.setenv(database.TIMEOUT_ENV, "0.2")
    db = tmp_path / "h.sqlite"
    grade = ["grade", "-d", "quick", "--answer-file", str(transcript), "--db", str(db), "--candidate", "Ann"]
    assert run(*grade, "--override", "driver=covered").exit_code == 0
    graded_at = json.loads(run("show", "last", "--db", str(db), "--json").stdout)["created_at"]
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        locked = run(*grade, "--note", "revised")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert locked.exit_code == 1, locked.output
    (recovery,) = re.findall(r"written to (\S+) \(", flat(locked.stderr))
    imported = run("history", "import", recovery, "--db", str(db))
    assert "imported 1 attempt (1 of them a later grade of a transcript graded there, kept in the place of the grade " \
           "it revises: 1)" in flat(imported.stdout), imported.output
    kept = json.loads(run("show", "last", "--db", str(db), "--json").stdout)
    assert kept["grade"]["note"] == "revised" and kept["grade"]["overrides"] == {"driver": "covered"}
    assert kept["created_at"] == graded_at
    assert "attempt 1 was replaced by attempt 2" in run("show", "1", "--db", str(db)).stderr
    assert "imported 0 attempts" in run("history", "import", recovery, "--db", str(db)).stdout  # once only
    rows = json.loads(run("candidates", "--db", str(db), "--json").stdout)["sections"][0]["rows"]
    assert [(r["candidate"], r["grades"]) for r in rows] == [("Ann", 1)]


def test_one_mark_is_taken_back_on_a_regrade_and_the_rest_of_the_judgement_stands(real_model_cli, transcript: Path,
                                                                                 tmp_path: Path) -> None:
    """Taking one mark back needed --start-over, which set aside every note too, unsaid."""
    db = str(tmp_path / "h.sqlite")
    grade = ["-d", "quick", "--answer-file", str(transcript), "--db", db, "--candidate", "Tom"]
    machine = grade_json(*grade, "--no-save")
    grade_json(*grade, "--override", "driver=missing", "--override", "one_vs_many=covered", "--note", "day 1")
    back = grade_json(*grade, "--override", "driver=machine", "--note", "day 2")
    assert {c["id"]: c["override"] for c in back["concepts"]} == {"shared_mechanism": None, "driver": None,
                                                                  "one_vs_many": "covered"}
    assert back["note"] == "day 1\nday 2"
    assert any(n.startswith("from this transcript's earlier grade: your marks and note stand") for n in back["notes"])
    first = grade_json("-d", "quick", "--answer-file", str(transcript), "--no-save", "--override", "driver=machine")
    assert first["score"] == machine["score"]  # nothing to take back: the machine's mark, as without it
    refused = run("grade", *grade, "--override", "driver=mashine")
    assert refused.exit_code == 2 and "or machine to take your earlier mark back" in refused.stderr
