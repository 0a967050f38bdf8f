"""A user's rubric folder with an unfinished rubric in it: every other question keeps working."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import invoke as run

from genco_interview.rubric import RUBRICS_ENV

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


def test_the_unfinished_rubric_itself_names_its_problem(skeleton: Path) -> None:
    result = run("rubric", "show", "half-done")
    assert result.exit_code == 1
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"genco rubric show: {skeleton}:") and "placeholder" in error


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
