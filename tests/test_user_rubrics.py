"""A user's rubric folder with an unfinished rubric in it: every other question keeps working."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import invoke as run

from genco_interview.rubric import RUBRICS_ENV

from conftest import ROOT

SHIPPED_ID = "coroutine-vs-generator"




@pytest.fixture
def skeleton(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh `genco rubric new` skeleton in a GENCO_RUBRICS folder."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    folder = tmp_path / "my-rubrics"
    assert run("rubric", "new", "half-done", "--out", str(folder)).exit_code == 0
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    return folder / "half-done.yaml"


@pytest.mark.parametrize("args", [["rubric", "list", "--json"], ["rubric", "show", SHIPPED_ID],
                                  ["next"]], ids=" ".join)
def test_other_commands_warn_once_and_go_on(skeleton: Path, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith(f"genco: skipping a rubric that does not load: {skeleton}:")
    assert len(warnings[0]) < 200 + 2 * len(str(skeleton))  # not its twenty placeholders on every command
    assert warnings[0].endswith(f"(genco rubric validate {skeleton} lists every problem)")


def test_the_unfinished_rubric_itself_names_its_problem(skeleton: Path) -> None:
    result = run("rubric", "show", "half-done")
    assert result.exit_code == 1
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"genco rubric show: {skeleton}:") and "placeholder" in error


@pytest.mark.parametrize("args", [["history", "-q", "half-done"], ["report", "-q", "half-done"],
                                  ["candidates", "-q", "half-done"], ["eval", "LABELED", "-q", "half-done"],
                                  ["eval", "half-done.jsonl"]], ids=" ".join)
def test_a_filter_or_labeled_file_naming_the_unfinished_rubric_names_its_problem(
        skeleton: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    """They said "unknown question 'half-done' ... (a rubric of your own is found when its folder is on
    GENCO_RUBRICS)", with the folder on it; `score` and `rubric show` named the file's problem."""
    labeled = tmp_path / "half-done.jsonl"
    labeled.write_text('{"answer": "Generators yield.", "overall": 5}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(*[str(labeled) if arg == "LABELED" else arg for arg in args])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1].startswith(f"genco {args[0]}: {skeleton}:") and "placeholder" in result.stderr


def test_an_unfinished_copy_of_the_first_question_shows_its_problem_when_no_question_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy replaces the shipped question in every command, the default question too: asking for
    it by naming none must not quietly ask the shipped one."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    folder = tmp_path / "shadow"
    assert run("rubric", "new", SHIPPED_ID, "--out", str(folder)).exit_code == 0
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    result = run("rubric", "show")
    assert result.exit_code == 1, result.output
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"genco rubric show: {folder / (SHIPPED_ID + '.yaml')}:") and "placeholder" in error


def test_validate_names_every_placeholder_left(skeleton: Path) -> None:
    result = run("rubric", "validate", "--schema-only", str(skeleton))
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    todo_lines = [n for n, text in enumerate(skeleton.read_text(encoding="utf-8").splitlines(), start=1)
                  if "TODO" in text and not text.lstrip().startswith("#")]
    named = [int(n) for n in re.findall(r"\(line (\d+)\)", line)]
    assert named == todo_lines and len(named) > 10
    assert "title (line" in line and "concepts[0].exemplars[2] (line" in line


def test_a_user_rubric_that_replaces_a_shipped_one_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from genco_interview.rubric import find

    folder = tmp_path / "mine"
    folder.mkdir()
    shipped = Path(find(SHIPPED_ID).path).read_text(encoding="utf-8")
    (folder / "mine.yaml").write_text(shipped.replace("calibration:", "# calibration:"), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    result = run("rubric", "list", "--json")
    assert result.exit_code == 0
    assert SHIPPED_ID in [r["id"] for r in json.loads(result.stdout)]
    assert result.stderr == f"genco: {folder / 'mine.yaml'} replaces the shipped rubric {SHIPPED_ID!r}\n"


def test_an_unfinished_rubric_with_a_shipped_questions_id_takes_that_question_out_of_every_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Until it validates it replaces the question, and asking for it shows its errors: `rubric list` still
    listed the shipped question and `next` suggested it, which then failed to practise."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    folder = tmp_path / "mine"
    assert run("rubric", "new", SHIPPED_ID, "--out", str(folder)).exit_code == 0
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    listed = [r["id"] for r in json.loads(run("rubric", "list", "--json").stdout)]
    assert SHIPPED_ID not in listed and "event-loop-internals" in listed
    assert SHIPPED_ID not in run("next", "--json").stdout
    assert run("score", SHIPPED_ID, "--answer", "x").exit_code == 1  # its own error, as before


def test_a_replaced_rubric_is_told_by_the_commands_that_use_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interviewer who keeps copies of several questions hears about the one a command uses, or about
    all of them where the command shows the whole bank; not about every copy on every command."""
    from genco_interview.rubric import find

    folder = tmp_path / "mine"
    folder.mkdir()
    copies = {}
    for rubric_id in ("event-loop-internals", "threads-vs-asyncio-gil"):
        copies[rubric_id] = folder / f"{rubric_id}.yaml"
        text = Path(find(rubric_id).path).read_text(encoding="utf-8")
        copies[rubric_id].write_text(re.sub(r"(?m)^calibration: .*$", "", text), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    told = {rubric_id: f"genco: {path} replaces the shipped rubric {rubric_id!r}\n" for rubric_id, path in copies.items()}
    assert run("rubric", "show", "threads-vs-asyncio-gil").stderr == told["threads-vs-asyncio-gil"]
    assert run("rubric", "show", SHIPPED_ID).stderr == ""
    assert run("rubric", "list").stderr == told["event-loop-internals"] + told["threads-vs-asyncio-gil"]


def test_a_named_pipe_among_the_rubrics_is_skipped_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading one waits for a writer (10 s, then it gives up): every command would wait with it."""
    folder = tmp_path / "mine"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    result = run("rubric", "list", "--json")
    assert result.exit_code == 0 and SHIPPED_ID in result.stdout
    assert result.stderr == f"genco: skipping a rubric that does not load: {folder / 'pipe.yaml'}: not a regular file\n"
    # a command that names a question also asks the broken files which id they claim: not this one
    named = subprocess.run([sys.executable, "-m", "genco_interview", "rubric", "show", SHIPPED_ID, "--format", "markdown"],
                           capture_output=True, text=True, timeout=60, cwd=ROOT,
                           env={**os.environ, RUBRICS_ENV: str(folder), "PYTHONPATH": str(ROOT)})
    assert named.returncode == 0 and named.stdout.startswith("# "), named.stderr


def test_a_rubric_folder_named_with_an_escape_sequence_is_named_without_it(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The notice printed GENCO_RUBRICS as set: "\x1b[31m" in it coloured the terminal, or left "[31m" on it."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path / "r1") + "\x1b[31m\x07")
    result = run("rubric", "list", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"genco: {RUBRICS_ENV} names {tmp_path / 'r1'}, which does not exist; no rubrics are read from it\n"


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_rubric_folder_that_is_not_there_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """A mistyped GENCO_RUBRICS entry is told once; the shipped rubrics still answer."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    target = tmp_path / "my-rubrics"
    if kind == "file":
        target.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(target))
    result = run("rubric", "list", "--json")
    assert result.exit_code == 0, result.output
    what = "does not exist" if kind == "missing" else "is not a directory"
    assert result.stderr == f"genco: {RUBRICS_ENV} names {target}, which {what}; no rubrics are read from it\n"
    assert SHIPPED_ID in result.stdout


def _with_calibration(folder: Path, fitted_on: str) -> Path:
    """A copy of the shipped rubric under a new id in `folder`, its calibration file's `fitted_on` replaced."""
    from genco_interview.rubric import find

    shipped = Path(find(SHIPPED_ID).path)
    (folder / "calibration").mkdir(parents=True)
    rubric = shipped.read_text(encoding="utf-8").replace(f"id: {SHIPPED_ID}\n", "id: mine-calibrated\n", 1)
    rubric = re.sub(r"(?m)^calibration: .*$", "calibration: calibration/x.yaml", rubric)
    (folder / "mine.yaml").write_text(rubric, encoding="utf-8")
    calibration = (shipped.parent / "calibration" / f"{SHIPPED_ID}.yaml").read_text(encoding="utf-8")
    calibration = calibration.replace(f"rubric: {SHIPPED_ID}\n", "rubric: mine-calibrated\n", 1)
    calibration = re.sub(r"(?ms)^fitted_on:.*?(?=^\S)", "", calibration) + f"fitted_on: {fitted_on}\n"
    path = folder / "calibration" / "x.yaml"
    path.write_text(calibration, encoding="utf-8")
    return path


@pytest.mark.parametrize("fitted_on, words", [
    ("{date: 2026-13-45}", "month must be in 1..12"),
    ("{a: !!python/object:os.system x}", "could not determine a constructor"),
    ("{? [1, 2] : 3}", "unhashable key"),
], ids=["impossible-date", "python-object", "list-as-key"])
def test_a_calibration_file_that_does_not_load_skips_its_rubric_with_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fitted_on: str, words: str) -> None:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    folder = tmp_path / "mine"
    calibration = _with_calibration(folder, fitted_on)
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    line = len(calibration.read_text(encoding="utf-8").splitlines())
    expected = f"{calibration}:{line}: fitted_on: cannot read this value: "
    listed = run("rubric", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert "mine-calibrated" not in [r["id"] for r in json.loads(listed.stdout)]
    (warning,) = listed.stderr.splitlines()
    assert warning.startswith(f"genco: skipping a rubric that does not load: {expected}") and words in warning
    checked = run("rubric", "validate", "--schema-only", str(folder / "mine.yaml"))
    assert checked.exit_code == 1 and "Traceback" not in checked.output
    assert f"✗ {expected}" in checked.stderr and words in checked.stderr


def test_two_of_my_rubrics_with_one_id_are_both_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither copy vanishes unannounced: the warning names both files and the one that is used."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    from genco_interview.rubric import find

    folder = tmp_path / "mine"
    folder.mkdir()
    text = Path(find(SHIPPED_ID).path).read_text(encoding="utf-8").replace(f"id: {SHIPPED_ID}\n", "id: twice\n", 1)
    text = re.sub(r"(?m)^calibration: .*$", "", text)
    first, second = folder / "a-twice.yaml", folder / "b-twice.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("title: ", "title: Second ", 1), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    result = run("rubric", "list", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"genco: {first} and {second} both have the id 'twice'; using {first}\n"
    (used,) = [r for r in json.loads(result.stdout) if r["id"] == "twice"]
    assert not used["title"].startswith("Second")
    named = folder / "twice.yaml"  # the file named after the id is the one meant, whatever sorts first
    second.rename(named)
    result = run("rubric", "list", "--json")
    assert result.stderr == f"genco: {first} and {named} both have the id 'twice'; using {named}, named after it\n"
    (used,) = [r for r in json.loads(result.stdout) if r["id"] == "twice"]
    assert used["title"].startswith("Second")


def test_a_broken_copy_after_a_rubric_of_its_id_leaves_that_rubric_in_use(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`rubric list` listed the rubric from the file that loads, and `rubric show` of its id failed on the
    broken copy sorted after it; a broken file named after the id is the one meant, and its error shows."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    from genco_interview.rubric import find

    folder = tmp_path / "mine"
    folder.mkdir()
    text = Path(find(SHIPPED_ID).path).read_text(encoding="utf-8").replace(f"id: {SHIPPED_ID}\n", "id: mine\n", 1)
    text = re.sub(r"(?m)^calibration: .*$", "", text)
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    (folder / "zz-copy.yaml").write_text(text.replace("penalty: ", "penalty: lots #", 1), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    shown = run("rubric", "show", "mine")
    assert shown.exit_code == 0 and f"skipping a rubric that does not load: {folder / 'zz-copy.yaml'}" in shown.stderr
    (folder / "mine.yaml").rename(folder / "aa-copy.yaml")
    (folder / "zz-copy.yaml").rename(folder / "mine.yaml")
    meant = run("rubric", "show", "mine")
    assert meant.exit_code == 1 and meant.stderr.startswith(f"genco rubric show: {folder / 'mine.yaml'}:"), meant.stderr


@pytest.mark.parametrize("question", ["nope", "dated"])
def test_a_rubric_with_a_value_yaml_cannot_build_is_still_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, question: str) -> None:
    """Looking up a question reads the broken files' ids: an impossible date there is no traceback."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "dated.yaml").write_text("id: dated\nwhen: 2026-13-45\n", encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    result = run("rubric", "show", question)
    assert result.exit_code == (1 if question == "dated" else 2) and "Traceback" not in result.output
    assert f"{folder / 'dated.yaml'}:1: missing required field 'schema_version'" in result.stderr  # the first problem
    checked = run("rubric", "validate", "--schema-only", str(folder / "dated.yaml"))
    assert f"{folder / 'dated.yaml'}:2: when: unknown field" in checked.stderr and "Traceback" not in checked.output


THREE_PROBLEMS = """\
schema_version: 1
id: Bad Id
title: A test
depths:
  quick:
    question: What is it?
    time_budget_minutes: -2
    concepts:
      alpha: 1
    model_answer: Alpha is alpha.
concepts:
  - id: alpha
    name: Alpha
    description: Alpha is the first letter of the alphabet.
    exemplars:
      - Alpha is first.
"""


def test_validate_names_every_schema_problem_of_a_file_in_line_order(tmp_path: Path) -> None:
    """Problems in separate parts (the id, a depth, a concept) come in one run, not one per run."""
    path = tmp_path / "three.yaml"
    path.write_text(THREE_PROBLEMS, encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    assert [line.split(":")[1] for line in lines] == ["2", "7", "16"], lines
    assert "rubric id 'Bad Id'" in lines[0] and "time_budget_minutes" in lines[1] and "exemplars" in lines[2]
    (checked,) = json.loads(run("rubric", "validate", "--schema-only", "--json", str(path)).stdout)
    assert checked["error"] == checked["problems"][0] and len(checked["problems"]) == 3


def test_a_folder_named_twice_on_the_rubric_path_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`GENCO_RUBRICS=d:d/` is one folder: its rubrics do not share their ids with themselves."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    from genco_interview.rubric import find

    folder = tmp_path / "mine"
    folder.mkdir()
    text = Path(find(SHIPPED_ID).path).read_text(encoding="utf-8").replace(f"id: {SHIPPED_ID}\n", "id: once\n", 1)
    (folder / "once.yaml").write_text(re.sub(r"(?m)^calibration: .*$", "", text), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, os.pathsep.join([str(folder), str(folder) + "/", str(tmp_path / "." / "mine")]))
    result = run("rubric", "list", "--json")
    assert result.exit_code == 0 and result.stderr == "", result.output
    assert [r["id"] for r in json.loads(result.stdout)].count("once") == 1


MANY_PROBLEMS = """\
schema_version: 1
id: vtest
title: ""
depths:
  quick:
    question: What is it?
    time_budget_minutes: 500
    concepts:
      mutability: 1
      hashing: 1
    model_answer: Lists change; tuples do not.
concepts:
  - idd: mutability
    name: ""
    description: ""
    exemplars: [apple, pear, plum]
  - id: hashing
    name: Hashing
    description: Tuples can be dict keys because they are hashable.
    exemplars: [apple, pear, plum]
    partial: 0.9
    covered: 0.5
misconceptions:
  - id: m1
    description: d
    correction: c
    penalty: 1000
    exemplars: [apple, pear, plum]
extra_field: 1
"""


def test_validate_lists_problems_inside_one_concept_and_at_the_top_without_follow_ons(tmp_path: Path) -> None:
    """Two problems in one concept, an unknown top-level key, a concept's own thresholds out of order: all
    named in one run; a depth naming the concept whose `id` key is misspelt is not a second problem."""
    path = tmp_path / "many.yaml"
    path.write_text(MANY_PROBLEMS, encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line.split(": ", 1)[0].rsplit(":", 1)[1] + " " + line.split(": ", 2)[1]
             for line in result.stderr.splitlines() if line.startswith("✗")]
    assert lines == ["3 title", "7 depths.quick.time_budget_minutes", "13 concepts[0].idd", "13 concepts[0]",
                     "14 concepts[0].name", "15 concepts[0].description", "21 concepts[1].partial",
                     "27 misconceptions[0].penalty", "29 extra_field"], result.stderr
    assert "unknown concept" not in result.stderr


def test_validate_names_every_bad_entry_of_a_list(tmp_path: Path) -> None:
    """Two bad exemplars of one concept (a number, a list) are both named in one run, each at its line."""
    path = tmp_path / "entries.yaml"
    path.write_text(THREE_PROBLEMS.replace("id: Bad Id", "id: entries").replace("time_budget_minutes: -2",
                                                                               "time_budget_minutes: 2")
                    .replace("      - Alpha is first.\n", "      - 42\n      - Alpha is first.\n      - [a, b]\n"),
                    encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    where = [line.split(": ", 2)[1] for line in result.stderr.splitlines() if line.startswith("✗")]
    assert where == ["concepts[0].exemplars[0]", "concepts[0].exemplars[2]"], result.stderr


def test_validate_names_every_bad_tag_role_pair_and_repeated_id(tmp_path: Path) -> None:
    """Lists of tags, role pairs and concepts named their first bad entry, or first repeat, per run."""
    from genco_interview.rubric import find

    text = Path(find(SHIPPED_ID).path).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^tags: .*$", "tags: [Bad Tag, python, Other Bad, python, python]", text)
    text = re.sub(r"(?m)^  role_swaps: .*$", "  role_swaps: [[list, tuple], [list, frozenset], [a], [b, b]]", text)
    ids = re.findall(r"(?m)^  - id: (\S+)$", text)
    for later in ids[1:3]:
        text = text.replace(f"  - id: {later}\n", f"  - id: {ids[0]}\n", 1)
    first, *rest = re.findall(r"(?m)^  - id: (\S+)\n    description:", text)  # misconceptions, the first one also
    for later in rest[:2]:  # with another problem: its repeats were named only once it was mended
        text = text.replace(f"  - id: {later}\n    description:", f"  - id: {first}\n    description:", 1)
    text = re.sub(r"(?m)^    penalty: .*$", "    penalty: 1000", text, count=1)
    path = tmp_path / "lists.yaml"
    path.write_text(text.replace("calibration: ", "# calibration: "), encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    where = [line.split(": ", 2)[1] for line in result.stderr.splitlines() if line.startswith("✗")]
    assert [w for w in where if w.startswith(("tags", "scoring", "concepts", "misconceptions"))] == [
        "tags[0]", "tags[2]", "tags[3]", "tags[4]", "concepts[1]", "concepts[2]", "misconceptions[0].penalty",
        "misconceptions[1]", "misconceptions[2]", "scoring.role_swaps[1]", "scoring.role_swaps[2]",
        "scoring.role_swaps[3]"], result.stderr


NESTED_PROBLEMS = """\
schema_version: 1
id: nested
title: Nested problems
depths:
  quick:
    question: What is it?
    time_budget_minutes: 2
    concepts:
      alpha: -2
      nope: 1
      other: 1
    model_answer: Alpha is alpha.
    follow_ups:
      - ask: Why?
        good_answer: Because.
        concepts: [nope1, alpha, nope2]
concepts:
  - id: alpha
    name: Alpha
    description: Alpha is the first letter of the alphabet.
    exemplars: [Alpha is first., Alpha leads., Alpha opens the alphabet.]
score_bands:
  - {from: 5, label: low, meaning: little}
  - {from: 2, label: mid, meaning: some}
scoring:
  bogus: 1
  covered: 7
  negation_margin: 5
"""


def test_validate_lists_every_problem_inside_weights_follow_ups_bands_and_scoring(tmp_path: Path) -> None:
    path = tmp_path / "nested.yaml"
    path.write_text(NESTED_PROBLEMS, encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    where = [line.split(": ", 2)[1] for line in result.stderr.splitlines() if line.startswith("✗")]
    assert where == ["depths.quick.concepts.alpha", "depths.quick.concepts.nope", "depths.quick.concepts.other",
                     "depths.quick.follow_ups[0].concepts[0]", "depths.quick.follow_ups[0].concepts[2]",
                     "score_bands[0].from", "score_bands[1].from", "scoring.bogus", "scoring.covered",
                     "scoring.negation_margin"], result.stderr


def test_a_first_band_out_of_range_is_its_one_problem(tmp_path: Path) -> None:
    """The second band was said to be "the first band" that must start at 0 when the first one's number was bad."""
    path = tmp_path / "nested.yaml"
    path.write_text(NESTED_PROBLEMS.replace("{from: 5,", "{from: 150,").replace("{from: 2,", "{from: 40,"),
                    encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(path))
    bands = [line for line in result.stderr.splitlines() if line.startswith("✗") and "score_bands" in line]
    assert len(bands) == 1 and "score_bands[0].from: must be at most 99, got 150" in bands[0], result.stderr
    path.write_text(NESTED_PROBLEMS.replace("{from: 5,", "{from: 0,").replace("{from: 2,", "{from: 99.9999999,"),
                    encoding="utf-8")  # "got 100" sent its author looking for a 100 the file does not hold
    result = run("rubric", "validate", "--schema-only", str(path))
    assert "score_bands[1].from: must be at most 99, got 99.9999999" in result.stderr, result.stderr


@pytest.mark.parametrize(("concepts", "problem"), [("5", "concepts: expected a list"),
                                                   ("[]", "concepts: a rubric needs at least one concept")])
def test_an_unreadable_concept_list_is_the_one_problem_not_every_depth_naming_a_concept(
        tmp_path: Path, concepts: str, problem: str) -> None:
    """With no concept list to read, a depth naming a concept is no second problem."""
    text = (ROOT / "rubrics" / f"{SHIPPED_ID}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^calibration: .*$", "", text)
    start, end = text.index("\nconcepts:\n"), text.index("\nmisconceptions:\n")
    path = tmp_path / "broken.yaml"
    path.write_text(text[:start] + f"\nconcepts: {concepts}\n" + text[end:], encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(path))
    lines = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].endswith(problem), result.stderr


def test_validate_warns_of_two_files_with_one_id(tmp_path: Path) -> None:
    """Given together (a folder's *.yaml), two files of one id both passed, though only one would be used."""
    tiny = ROOT / "tests" / "fixtures" / "rubrics" / "tiny-question.yaml"
    first, second = tmp_path / "tiny-question.yaml", tmp_path / "tiny-question-try.yaml"
    for path in (first, second):
        path.write_text(tiny.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", str(first), str(second), str(first))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stdout.splitlines() if line.startswith("⚠")]
    assert warnings == [f"⚠ {second}: same-id-as-another-file: rubric id 'tiny-question' is also the id of {first}; "
                        "on the rubric search path only one of them is used"]  # the same file twice is no copy
    assert run("rubric", "validate", "--schema-only", "--strict", str(first), str(second)).exit_code == 3
    (_, checked) = json.loads(run("rubric", "validate", "--schema-only", "--json", str(first), str(second)).stdout)
    assert checked["findings"][0]["entries"] == [str(first), str(second)]


def test_validate_says_a_file_with_a_shipped_questions_id_replaces_it(tmp_path: Path) -> None:
    """A rubric of a shipped id under another file name validated with a bare ✓; on the search path it
    then replaced that question everywhere, its attempts reported under the new title. Said, not warned."""
    mine = tmp_path / "dupid.yaml"
    mine.write_text((ROOT / "tests" / "fixtures" / "rubrics" / "tiny-question.yaml").read_text(encoding="utf-8")
                    .replace("id: tiny-question", f"id: {SHIPPED_ID}"), encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", "--strict", str(mine))
    assert result.exit_code == 0, result.output  # a copy meant to replace it (to calibrate it, say) passes --strict
    assert f"; in a folder on {RUBRICS_ENV} it would replace the shipped question '{SHIPPED_ID}';" in result.stdout.splitlines()[0]
    shipped = run("rubric", "validate", "--schema-only", SHIPPED_ID, str(ROOT / "rubrics" / f"{SHIPPED_ID}.yaml"))
    assert shipped.exit_code == 0 and "replaces" not in shipped.stdout, shipped.output
    checked = json.loads(run("rubric", "validate", "--schema-only", "--json", str(mine)).stdout)
    assert checked[0]["replaces_shipped"] is True


def test_validate_reads_a_folder_as_its_rubric_files(tmp_path: Path) -> None:
    """`rubric validate my-rubrics/` was refused as a directory; the search path reads a folder's *.yaml."""
    tiny = ROOT / "tests" / "fixtures" / "rubrics" / "tiny-question.yaml"
    (tmp_path / "b-question.yaml").write_text(tiny.read_text(encoding="utf-8").replace(
        "id: tiny-question", "id: b-question"), encoding="utf-8")
    (tmp_path / "a-question.yaml").write_text("id: [", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a rubric", encoding="utf-8")
    (tmp_path / ".#b-question.yaml").symlink_to("user@host.1234")  # an editor's lock file: a dangling link
    (tmp_path / "._b-question.yaml").write_bytes(b"\x00\x05\x16\x07")  # macOS metadata
    (tmp_path / "old.yaml").mkdir()
    result = run("rubric", "validate", "--schema-only", str(tmp_path))
    assert result.exit_code == 1, result.output
    checked = [line.split(":")[0] for line in result.stdout.splitlines() + result.stderr.splitlines() if line[:1] in "✓✗"]
    assert sorted(checked, key=lambda line: line[2:]) == [f"✗ {tmp_path / 'a-question.yaml'}",
                                                          f"✓ {tmp_path / 'b-question.yaml'}"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("rubric", "validate", "--schema-only", str(empty))
    assert (result.exit_code, result.stderr) == (1, f"genco rubric validate: {empty}: a folder with no rubric files "
                                                    "(*.yaml) in it\n")
    listed = run("rubric", "validate", "--schema-only", "--json", str(empty), str(tmp_path / "b-question.yaml"))
    assert listed.exit_code == 1  # --json printed nothing at all, not even the valid file's entry
    assert [(c["path"], c["valid"]) for c in json.loads(listed.stdout)] == [
        (str(empty), False), (str(tmp_path / "b-question.yaml"), True)]
    unnamed = run("rubric", "validate", "--schema-only", "")
    assert (unnamed.exit_code, unnamed.stderr) == (2, "genco rubric validate: a file name is empty: give a rubric file, a "
                                                      "folder of them or a question id (see genco rubric validate --help)\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_validate_says_a_named_pipe_in_a_folder_is_no_rubric_at_once(tmp_path: Path) -> None:
    """A folder's FIFO held `rubric validate DIR` for 10 s (no writer); the search path skips it at once."""
    os.mkfifo(tmp_path / "fifo.yaml")
    result = run("rubric", "validate", "--schema-only", str(tmp_path))  # not "a named pipe nobody wrote to in 10 s"
    assert (result.exit_code, result.stderr) == (1, f"✗ {tmp_path / 'fifo.yaml'}: not a regular file\n"), result.output


def test_a_rubric_not_named_yaml_or_given_as_a_file_is_said_for_what_it_is(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An author's `my-q.yml` on the search path, `rubric validate` of its folder, and `genco score my-q.yaml`
    were each told only that the question or the rubric files were not there."""
    from genco_interview.rubric import find

    folder = tmp_path / "mine"
    folder.mkdir()
    shipped = Path(find(SHIPPED_ID).path).read_text(encoding="utf-8")
    (folder / "my-q.yml").write_text(shipped.replace(f"id: {SHIPPED_ID}", "id: my-q"), encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    result = run("rubric", "show", "my-q")
    assert result.exit_code == 2
    assert f"so {folder / 'my-q.yml'}, which holds it, is not read; rename it my-q.yaml" in result.stderr
    result = run("rubric", "validate", "--schema-only", str(folder))
    assert result.exit_code == 1 and "rename my-q.yml to end in .yaml to read them" in result.stderr
    (folder / "other.YML").write_text(shipped.replace(f"id: {SHIPPED_ID}", "id: second-q"), encoding="utf-8")
    result = run("rubric", "show", "second-q")  # by the id the file holds, not by its name
    assert result.exit_code == 2 and f"so {folder / 'other.YML'}, which holds it, is not read" in result.stderr
    assert "other.YML" not in run("rubric", "show", "other").stderr
    result = run("score", str(folder / "other.yaml"), "--answer", "x", "--no-save")
    assert result.exit_code == 1 and f"{folder / 'other.yaml'}: no such file" in result.stderr
    result = run("history", "-q", "other.yaml")  # a command that reads ids only
    assert result.exit_code == 2 and "'other.yaml' names a file, and there is no such file; give a question's id" in result.stderr
    result = run("history", "-q", f"{SHIPPED_ID}/")  # said as typed: not a valid id called a file's name
    assert result.exit_code == 2 and f"'{SHIPPED_ID}/' names a file, and there is no such file" in result.stderr
    long_name = "a" * 300 + ".yaml"  # it said "cannot write the output (File name too long)"
    result = run("rubric", "show", long_name)
    assert result.exit_code == 2 and "unknown question" in result.stderr, result.stderr


def test_a_pipe_named_like_a_rubric_is_not_said_to_be_no_such_file(tmp_path: Path) -> None:
    """A named pipe at the path is there, though no rubric: "no such file" sent the user looking for a typo."""
    fifo = tmp_path / "piped.yaml"
    os.mkfifo(fifo)
    result = run("history", "-q", str(fifo))
    assert result.exit_code == 2, result.output
    assert "'piped.yaml' is a rubric file's path" in result.stderr and "no such file" not in result.stderr


def test_a_rubric_files_path_is_its_question_wherever_it_is(tmp_path: Path) -> None:
    """An author could not try a rubric before putting its folder on the search path: `genco rubric show
    my.yaml` was "unknown question"."""
    from genco_interview.rubric import find

    shipped = Path(find(SHIPPED_ID).path).read_text(encoding="utf-8")
    mine = tmp_path / "Drafts" / "My.YML"
    mine.parent.mkdir()
    mine.write_text(shipped.replace(f"id: {SHIPPED_ID}", "id: my-q").replace("calibration:", "# calibration:"),
                    encoding="utf-8")
    result = run("rubric", "show", str(mine), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "my-q"
    result = run("rubric", "show", mine.name, "--format", "json", env={RUBRICS_ENV: str(mine.parent)})
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "my-q"  # a bare name: the search path's file
    mine.write_text(shipped.replace("title:", "title: ''\nold_title:", 1), encoding="utf-8")
    result = run("rubric", "show", str(mine))
    assert result.exit_code == 1 and result.stderr.startswith(f"genco rubric show: {mine}:"), result.stderr



def test_a_copy_of_a_shipped_rubric_by_its_path_is_told_its_id_first(tmp_path: Path) -> None:
    """A copy kept its calibration: line, and was told to delete it (no such file beside the copy); once deleted,
    that its id was taken. Its id is what it must change in any case."""
    from genco_interview.rubric import find

    copy = tmp_path / "mine.yaml"
    copy.write_text(Path(find(SHIPPED_ID).path).read_text(encoding="utf-8"), encoding="utf-8")
    result = run("rubric", "show", str(copy))
    assert result.exit_code == 1 and f"its id {SHIPPED_ID!r} is a question genco has already" in result.stderr
    assert "calibration" not in result.stderr


def test_a_broken_rubric_past_the_size_limit_claims_no_id_and_a_changed_one_is_read_again(tmp_path: Path) -> None:
    """A 500 MB broken file on GENCO_RUBRICS took `rubric list` 35 s and 1 GB: its claimed id was read whole, once
    for every question, though the loader refuses such a file unread."""
    from genco_interview.rubric.bank import _claimed_id
    from genco_interview.rubric.model import RUBRIC_LIMIT

    small, big = tmp_path / "small.yaml", tmp_path / "big.yaml"
    small.write_text("schema_version: nope\nid: small-one\n", encoding="utf-8")
    big.write_text("schema_version: nope\nid: big-one\n# " + "x" * RUBRIC_LIMIT + "\n", encoding="utf-8")
    assert (_claimed_id(small), _claimed_id(big)) == ("small-one", None)
    small.write_text("schema_version: nope\nid: renamed-one\n", encoding="utf-8")
    assert _claimed_id(small) == "renamed-one"


@pytest.mark.parametrize(("text", "claimed"), [
    ("title: x\nid: broken-below\nconcepts: [\n", "broken-below"),  # bad YAML further down: its id still names it
    ("x: {id: inner}\nid: outer\n", "outer"),
    ("? [id]\n: not-this\nid: after-a-complex-key\n", "after-a-complex-key"),
    ("- id: in-a-list\n", None),
    ("id: [a-list]\n", None),
])
def test_a_broken_rubric_claims_the_id_its_top_level_mapping_gives(tmp_path: Path, text: str, claimed: str | None) -> None:
    """The whole file was built to read one line of it: a YAML slip anywhere hid the id (the file went unnamed
    by `rubric show ID`), and a 4 MB file took 4 s, for every command."""
    from genco_interview.rubric.bank import _claimed_id

    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    assert _claimed_id(path) == claimed
