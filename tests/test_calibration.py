"""Calibration: the pure fitting pieces by hand, the file format's errors, and `genco calibrate` end to end."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from cli_helpers import invoke

from genco_interview.evaluation.calibration import SHIFTS, folds, grade_line, thresholds_win
from genco_interview.rubric import Calibration, RubricError, load_rubric

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "rubrics" / "coroutine-vs-generator.yaml"
GRADED = ROOT / "data" / "coroutine-vs-generator.jsonl"


def test_grade_line_is_least_squares_by_hand():
    # points (0, 1), (50, 4), (100, 7): slope 0.06, intercept 1
    assert grade_line([0, 50, 100], [1, 4, 7]) == [(0.0, 1.0), (100.0, 7.0)]


def test_grade_line_never_decreases():
    assert grade_line([0, 100], [5, 2]) == [(0.0, 3.5), (100.0, 3.5)]
    assert grade_line([40, 40], [1, 3]) == [(0.0, 2.0), (100.0, 2.0)]


def test_grade_line_stays_on_the_scale():
    """A few answers scored up to 88 and graded 10 draw the line past the top: it is held there."""
    assert grade_line([10, 88], [0, 10], scale=10) == [(0.0, 0.0), (10.0, 0.0), (88.0, 10.0), (100.0, 10.0)]
    assert grade_line([0, 100], [-3, 5], scale=10) == [(0.0, 0.0), (37.5, 0.0), (100.0, 5.0)]
    assert grade_line([0, 50, 100], [1, 4, 7], scale=10) == [(0.0, 1.0), (100.0, 7.0)]  # inside: unchanged


def test_grade_map_interpolates_and_is_flat_outside():
    calibration = Calibration(path="c.yaml", scale=10, thresholds=(), grade_map=((10, 1), (50, 5), (90, 9)))
    assert [calibration.to_grade(s) for s in (0, 10, 30, 70, 90, 100)] == [1, 1, 3, 7, 9, 9]


def test_folds_cover_every_row_once_and_are_reproducible():
    split = folds(range(23), 5, seed=3)
    assert sorted(i for f in split for i in f.tolist()) == list(range(23))
    assert [f.tolist() for f in split] == [f.tolist() for f in folds(range(23), 5, seed=3)]


def test_copies_of_one_answer_share_a_fold():
    """Ten answers each labeled five times: a fold holding one copy and training on the other four judged
    the fit on answers it had seen, and called it out of fold."""
    keys = [f"answer {i % 10}" for i in range(50)]
    split = folds(keys, 5)
    assert sorted(i for f in split for i in f.tolist()) == list(range(50))
    assert all(len({keys[i] for i in f} & {keys[i] for i in other}) == 0
               for a, f in enumerate(split) for b, other in enumerate(split) if a != b)
    assert [len(f) for f in split] == [10] * 5


def test_an_answer_copied_with_a_label_or_an_invisible_character_is_the_same_answer():
    """Nine answers and their copies with an "Answer:" label (or a zero-width space) passed as eighteen
    different ones, each copy training the fold that judged the other: out-of-fold QWK 0.91."""
    from genco_interview.evaluation.metrics import LabeledAnswer, same_answer

    def key(text: str, depth: str = "quick") -> tuple[str, str]:
        return same_answer(LabeledAnswer(id="x", answer=text, overall=5), depth)

    plain = key("A generator yields many values.")
    assert plain == key("Answer: A generator yields many values.") == key("A gene\u200brator  yields many values.")
    assert plain != key("A generator yields many values.", "deep") and plain != key("A coroutine yields many values.")


def test_moved_thresholds_are_kept_only_when_they_rank_at_least_as_well_out_of_fold():
    assert thresholds_win({"uncalibrated": {"spearman": 0.78}, "calibrated": {"spearman": 0.78}})
    assert not thresholds_win({"uncalibrated": {"spearman": 0.78}, "calibrated": {"spearman": 0.772}})


def test_shifts_stay_small_and_include_no_move():
    assert 0.0 in SHIFTS and max(map(abs, SHIFTS)) <= 0.08


def _calibrated_copy(tmp_path: Path, calibration_text: str) -> Path:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\ncalibration:")[0]
                      + "\ncalibration: cal.yaml\n", encoding="utf-8")
    (tmp_path / "cal.yaml").write_text(calibration_text, encoding="utf-8")
    return rubric


VALID = """rubric: coroutine-vs-generator
scale: 10
thresholds:
  driver: {partial: 0.55, covered: 0.66}
grade_map:
  - [0, 0]
  - [80, 9]
"""


def test_calibration_file_replaces_thresholds_when_scoring(tmp_path):
    from genco_interview.rubric import calibrated

    rubric = load_rubric(_calibrated_copy(tmp_path, VALID))
    assert rubric.calibration.to_grade(40) == pytest.approx(4.5)
    driver = calibrated(rubric).concept("driver")
    assert (driver.partial, driver.covered) == (0.55, 0.66)


@pytest.mark.parametrize("text, message", [
    (VALID.replace("rubric: coroutine-vs-generator", "rubric: other"),
     "cal.yaml:1: rubric: this calibration is for 'other', not 'coroutine-vs-generator'; delete the rubric's calibration: line"),
    (VALID.replace("driver:", "drivr:"), "cal.yaml:4: thresholds.drivr: unknown concept 'drivr'"),
    (VALID.replace("partial: 0.55", "partial: 0.7"), "cal.yaml:4: thresholds.driver: thresholds must satisfy partial < covered"),
    (VALID.replace("[80, 9]", "[101, 9]"), "cal.yaml:7: grade_map[1][0]: must be at most 100"),
    (VALID.replace("[0, 0]", "[90, 0]"), "cal.yaml:6: grade_map: points must be sorted by score"),
    (VALID.replace("scale: 10", "scale: 10\nextra: 1"), "cal.yaml:3: extra: unknown field"),
])
def test_bad_calibration_files_name_file_line_and_field(tmp_path, text, message):
    with pytest.raises(RubricError) as info:
        load_rubric(_calibrated_copy(tmp_path, text))
    assert message in str(info.value)


@pytest.mark.parametrize("named", ["/etc/passwd", "../outside.yaml", "cal/../../outside.yaml", "link.yaml"])
def test_a_calibration_outside_the_rubrics_folder_is_refused_unread(tmp_path, named):
    folder = tmp_path / "rubrics"
    folder.mkdir()
    rubric = _calibrated_copy(folder, VALID)
    (tmp_path / "outside.yaml").write_text("secret line one: x\n" * 20, encoding="utf-8")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    text = rubric.read_text(encoding="utf-8").replace("calibration: cal.yaml", f"calibration: {named}")
    rubric.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"calibration: {named}") + 1
    for calibrated in (True, False):  # `genco calibrate` reads the rubric uncalibrated, to write where it points
        with pytest.raises(RubricError) as info:
            load_rubric(rubric, calibrated=calibrated)
        assert str(info.value).startswith(f"{rubric}:{line}: calibration: {named!r} is outside the rubric's folder")
        assert "secret" not in str(info.value) and "passwd:" not in str(info.value)
    result = invoke("rubric", "validate", str(rubric))
    assert result.exit_code == 1 and "outside the rubric's folder" in result.output and "secret" not in result.output


@pytest.mark.parametrize("named, message", [
    ('"cal\\0.yaml"', "holds a control character (U+0000)"),
    ('"cal\\n.yaml"', "a file name cannot hold a control character"),
    ("pipe.yaml", "not a regular file (a named pipe, device or socket)"),
])
def test_a_calibration_that_is_no_file_name_or_no_file_is_one_error(tmp_path, named, message):
    rubric = _calibrated_copy(tmp_path, VALID)
    os.mkfifo(tmp_path / "pipe.yaml")  # read as a file, a pipe nobody writes to held every command for 10 s
    text = rubric.read_text(encoding="utf-8").replace("calibration: cal.yaml", f"calibration: {named}")
    rubric.write_text(text, encoding="utf-8")
    for calibrated in (True, False):
        if calibrated or "control character" in message:
            with pytest.raises(RubricError, match=re.escape(message)):
                load_rubric(rubric, calibrated=calibrated)
    result = invoke("rubric", "validate", str(rubric))
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_calibration_in_a_sub_folder_is_followed(tmp_path):
    rubric = _calibrated_copy(tmp_path, VALID)
    (tmp_path / "sub").mkdir()
    (tmp_path / "cal.yaml").rename(tmp_path / "sub" / "cal.yaml")
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("calibration: cal.yaml", "calibration: sub/./cal.yaml"),
                      encoding="utf-8")
    assert load_rubric(rubric).calibration.to_grade(40) == pytest.approx(4.5)


def test_a_long_unknown_key_is_cut_in_the_error(tmp_path):
    with pytest.raises(RubricError) as info:
        load_rubric(_calibrated_copy(tmp_path, VALID + "? " + "k" * 5000 + "\n: 1\n"))
    # the key ("? k...") is on line 8, its value (": 1") on line 9: the error is said at the key
    assert "cal.yaml:8: " + "k" * 40 + "…: unknown field" in str(info.value) and "k" * 41 not in str(info.value)


def test_missing_calibration_file_is_a_rubric_error(tmp_path):
    rubric = _calibrated_copy(tmp_path, VALID)
    (tmp_path / "cal.yaml").unlink()
    with pytest.raises(RubricError, match="cannot read calibration file .*; delete the rubric's calibration: line"):
        load_rubric(rubric)


def test_calibrate_writes_a_file_the_rubric_uses(tmp_path, real_model_cli):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    graded = tmp_path / "graded.jsonl"
    rows = [json.loads(line) for line in GRADED.read_text(encoding="utf-8").splitlines()]
    quick = [r for r in rows if r["depth"] == "quick"][:24]
    graded.write_text("".join(json.dumps(r) + "\n" for r in quick), encoding="utf-8")

    result = invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--format", "json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    written = Path(report["written"])
    assert written == tmp_path / "calibration" / "coroutine-vs-generator.yaml"
    assert report["linked"] == "calibration: calibration/coroutine-vs-generator.yaml"
    loaded = load_rubric(rubric)
    assert loaded.calibration is not None and loaded.calibration.fitted_on["answers"] == 24
    assert loaded.calibration.fitted_on["sha256"] == hashlib.sha256(graded.read_bytes()).hexdigest()
    assert set(report["cross_validation"]) == {"folds", "uncalibrated", "calibrated", "thresholds_adopted"}
    if not report["cross_validation"]["thresholds_adopted"]:
        assert report["thresholds"] == {k: list(v) for k, v in report["written_thresholds"].items()}
    for concept_id, (partial, covered) in report["thresholds"].items():
        written_partial, _ = report["written_thresholds"][concept_id]
        assert abs(partial - written_partial) <= 0.08 + 1e-9 and partial < covered
    (tmp_path / "mine").mkdir()  # the rubric's own line names another file: the fit goes where it reads
    written.rename(tmp_path / "mine" / "fit.yaml")
    rubric.write_text(rubric.read_text(encoding="utf-8").replace(report["linked"], '"calibration": mine/fit.yaml'),
                      encoding="utf-8")
    again = invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--format", "json")
    assert again.exit_code == 0 and json.loads(again.output)["linked"] is None
    assert Path(json.loads(again.output)["written"]) == tmp_path / "mine" / "fit.yaml" and not written.exists()
    assert rubric.read_text(encoding="utf-8").count("calibration") == 1  # its one line, not a second one
    piped = invoke("calibrate", str(rubric), "-", "--folds", "3", "--format", "json", input=graded.read_text(encoding="utf-8"))
    assert piped.exit_code == 0, piped.output  # the answers' hash is of what was read, not of a file named "-"
    assert load_rubric(rubric).calibration.fitted_on["sha256"] == loaded.calibration.fitted_on["sha256"]


@pytest.mark.parametrize("unwritable", ["rubric", "folder"])
def test_calibrate_says_before_the_fit_when_the_rubric_or_its_folder_cannot_be_written(tmp_path, monkeypatch, unwritable):
    """A read-only rubric was found after the fit (a minute and more), and blamed on the calibration file."""
    import genco_interview.outfile

    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    denied = rubric if unwritable == "rubric" else tmp_path
    real = os.access
    monkeypatch.setattr(genco_interview.outfile.os, "access",
                        lambda path, mode: not (Path(path) == denied and mode & os.W_OK) and real(path, mode))
    result = invoke("calibrate", str(rubric), str(GRADED), "--folds", "2")
    assert result.exit_code == 1 and not (tmp_path / "calibration").exists()
    said = {"rubric": f"{rubric}: cannot take the `calibration:` line",
            "folder": f"{tmp_path / 'calibration' / 'coroutine-vs-generator.yaml'}: cannot write the calibration there"}
    assert result.stderr.startswith(f"genco calibrate: {said[unwritable]}"), result.stderr
    assert "Embedding" not in result.output  # said before the model was loaded


def test_a_rubric_that_cannot_take_its_calibration_line_says_the_calibration_was_written(tmp_path, monkeypatch,
                                                                                        real_model_cli):
    """It said "calibration/x.yaml: cannot write the calibration" of a file it had written."""
    from genco_interview.app import calibration

    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")

    def read_only(*_args):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(calibration, "link_calibration", read_only)
    result = invoke("calibrate", str(rubric), str(GRADED), "--folds", "2")
    written = tmp_path / "calibration" / "coroutine-vs-generator.yaml"
    assert result.exit_code == 1 and written.is_file()
    assert (f"{written} is written, but {rubric} cannot take the line pointing to it (Read-only file system): add "
            "`calibration: calibration/coroutine-vs-generator.yaml` to it by hand") in result.stderr


def test_a_graded_file_named_with_control_characters_leaves_a_rubric_that_loads(tmp_path, real_model_cli):
    """`calibrate` wrote a bell and an escape of the graded file's name into the calibration file and exited 0;
    the rubric then refused to load ("holds a control character"), every command that read it failing."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    rows = [json.loads(line) for line in GRADED.read_text(encoding="utf-8").splitlines()]
    graded = tmp_path / "bell\x07\x1b[31m\nline.jsonl"
    graded.write_text("".join(json.dumps(r) + "\n" for r in [r for r in rows if r["depth"] == "quick"][:24]),
                      encoding="utf-8")
    result = invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    assert load_rubric(rubric).calibration.fitted_on["file"].endswith("bell[31m line.jsonl")


def test_calibrating_a_rubric_through_a_symlink_writes_beside_the_file_it_leads_to(tmp_path, real_model_cli):
    """The calibration went beside the link and the line into the real file: the rubric then failed to
    load as itself ("cannot read calibration file"). Both now sit with the real file, read from either path."""
    (tmp_path / "real").mkdir()
    (tmp_path / "link").mkdir()
    real = tmp_path / "real" / "rubric.yaml"
    real.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    (tmp_path / "link" / "rubric.yaml").symlink_to(real)
    graded = tmp_path / "graded.jsonl"
    rows = [json.loads(line) for line in GRADED.read_text(encoding="utf-8").splitlines()]
    graded.write_text("".join(json.dumps(r) + "\n" for r in [r for r in rows if r["depth"] == "quick"][:24]),
                      encoding="utf-8")
    result = invoke("calibrate", str(tmp_path / "link" / "rubric.yaml"), str(graded), "--folds", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    assert Path(json.loads(result.output)["written"]) == tmp_path / "real" / "calibration" / "coroutine-vs-generator.yaml"
    assert real.read_text(encoding="utf-8").endswith("calibration: calibration/coroutine-vs-generator.yaml\n")
    for path in (real, tmp_path / "link" / "rubric.yaml"):
        assert load_rubric(path).calibration is not None


def test_the_figures_as_written_are_those_of_the_scores_genco_gives(flagship, embedder):
    """What calibrate reports before fitting is what `genco score` and `genco eval` give, not the
    concept rules' own score."""
    from genco_interview.evaluation.calibration import cross_validate, graded_items
    from genco_interview.evaluation.metrics import parse_labeled, spearman
    from genco_interview.rubric import uncalibrated
    from genco_interview.scoring import Scorer

    rubric = uncalibrated(flagship)
    scorer = Scorer(rubric, embedder)
    rows = [r for r in parse_labeled(GRADED.read_text(encoding="utf-8"), str(GRADED)) if r.depth == "quick"][:15]
    report = cross_validate(rubric, graded_items(scorer, rows, ["quick"] * len(rows)), scorer, 10, 3)
    scores = [card.score for card in scorer.score_many([r.answer for r in rows], "quick")]
    assert report["uncalibrated"]["spearman"] == round(spearman([r.overall for r in rows], scores), 3)


def test_calibrate_refuses_too_few_rows(tmp_path):
    graded = tmp_path / "graded.jsonl"
    graded.write_text('{"answer": "x", "overall": 1, "depth": "quick"}\n', encoding="utf-8")
    out = ("--out", str(tmp_path / "fit.yaml"))
    result = invoke("calibrate", "coroutine-vs-generator", str(graded), *out)
    assert result.exit_code == 1
    assert "1 row for coroutine-vs-generator; calibration needs at least 10" in result.output
    graded.write_text('{"answer": "x", "overall": 12, "depth": "quick"}\n', encoding="utf-8")
    result = invoke("calibrate", "coroutine-vs-generator", str(graded), *out)
    assert result.exit_code == 1 and "overall 12 is outside 0-10" in result.output  # the row first, then the count

    for row, message in (('{"answer": "x", "overall": 1, "depth": "medium"}', "graded.jsonl:1: unknown depth 'medium'"),
                         ('{"answer": "x", "overall": 1, "question": "coroutine-vs-generatr"}',
                          "graded.jsonl:1: unknown question 'coroutine-vs-generatr'")):
        graded.write_text(row + "\n", encoding="utf-8")  # named as `genco eval` names it: never a row left out
        result = invoke("calibrate", "coroutine-vs-generator", str(graded), *out)
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_calibrating_a_copy_never_writes_over_the_originals_calibration(tmp_path):
    copy = _calibrated_copy(tmp_path, VALID)  # the copy still names the original's calibration file
    copy.write_text(copy.read_text(encoding="utf-8").replace("id: coroutine-vs-generator", "id: my-copy", 1),
                    encoding="utf-8")
    graded = tmp_path / "graded.jsonl"
    graded.write_text(GRADED.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("calibrate", str(copy), str(graded), "--folds", "2")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "holds the calibration of 'coroutine-vs-generator', not 'my-copy'" in result.stderr
    assert (tmp_path / "cal.yaml").read_text(encoding="utf-8") == VALID


@pytest.mark.parametrize("which", ["rubric", "graded"])
def test_calibrate_never_writes_over_its_own_inputs(tmp_path, which):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    graded = tmp_path / "graded.jsonl"
    graded.write_text(GRADED.read_text(encoding="utf-8"), encoding="utf-8")
    kept = {path: path.read_bytes() for path in (rubric, graded)}
    target = rubric if which == "rubric" else graded
    result = invoke("calibrate", str(rubric), str(graded), "--folds", "2", "--out", str(target))
    assert result.exit_code == 1 and "choose another output file" in result.stderr
    assert {path: path.read_bytes() for path in kept} == kept


def test_calibrate_out_a_folder_is_bad_input_as_for_every_out(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    result = invoke("calibrate", str(rubric), str(GRADED), "--out", str(tmp_path))
    assert result.exit_code == 1 and result.stderr == f"genco calibrate: {tmp_path}: is a directory; give a file name\n"


def test_calibrate_out_over_a_file_it_did_not_write_needs_force(tmp_path, monkeypatch):
    """--out naming a hand-written rubric would replace it with a calibration: refused before the model
    loads; an earlier calibration there is replaced as usual."""
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding, "load_embedder", lambda *a, **k: pytest.fail("the model was loaded"))
    mine = tmp_path / "mine.yaml"
    mine.write_text(FLAGSHIP.read_text(encoding="utf-8"), encoding="utf-8")
    kept = mine.read_bytes()
    result = invoke("calibrate", "coroutine-vs-generator", str(GRADED), "--out", str(mine))
    assert result.exit_code == 1, result.output
    assert result.stderr == f"genco calibrate: {mine} exists and is not a calibration genco wrote; pass --force to overwrite it\n"
    assert mine.read_bytes() == kept
    theirs = tmp_path / "theirs.yaml"  # a calibration, but another rubric's: that rubric would load no more
    theirs.write_text((FLAGSHIP.parent / "calibration" / "event-loop-internals.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = invoke("calibrate", "coroutine-vs-generator", str(GRADED), "--out", str(theirs))
    assert result.exit_code == 1 and "holds the calibration of 'event-loop-internals'" in result.stderr, result.output
    assert result.stderr.rstrip().endswith("pass --force to overwrite it")


def test_calibrate_out_in_a_mistyped_folder_is_refused_before_the_fit(tmp_path, monkeypatch):
    """A typo two folders deep was said only after the half-minute fit; now before the model loads."""
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding, "load_embedder", lambda *a, **k: pytest.fail("the model was loaded"))
    result = invoke("calibrate", "coroutine-vs-generator", str(GRADED), "--out", str(tmp_path / "typo" / "dir" / "fit.yaml"))
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"genco calibrate: {tmp_path / 'typo' / 'dir' / 'fit.yaml'}: no folder {tmp_path / 'typo'}; "
                             "create it first (genco makes only the file's own folder)\n")
    assert not (tmp_path / "typo").exists()


def test_calibrate_refuses_the_history_file_before_there_is_one(tmp_path, monkeypatch):
    """With no history yet, --out at its path would put YAML where the history belongs: every later history
    command would fail on it. Refused as report --out and history export refuse it, before the model loads."""
    import genco_interview.embedding as embedding

    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(embedding, "load_embedder", lambda *a, **k: pytest.fail("the model was loaded"))
    graded = tmp_path / "graded.jsonl"
    graded.write_text(GRADED.read_text(encoding="utf-8"), encoding="utf-8")
    history = tmp_path / "home" / "history.sqlite3"
    result = invoke("calibrate", "coroutine-vs-generator", str(graded), "--out", str(history))
    assert result.exit_code == 1, result.output
    assert f"is the history file {history}; choose another output file" in result.stderr
    assert not history.exists()


def test_calibrate_refuses_to_write_into_the_installed_package(tmp_path, monkeypatch):
    """A shipped rubric of an install lives inside the package: its calibration there would change
    every user's scores and vanish on upgrade, so the command says how to calibrate a copy instead."""
    from genco_interview.app import calibration

    shipped = FLAGSHIP.resolve()
    monkeypatch.setattr(calibration, "installed_package", lambda: shipped.parent.parent)  # as pip lays it out
    kept = {path: path.read_bytes() for path in shipped.parent.rglob("*.yaml")}
    graded = tmp_path / "graded.jsonl"
    graded.write_text(GRADED.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("calibrate", "coroutine-vs-generator", str(graded))
    assert result.exit_code == 1, result.output
    assert "rubric shipped with genco" in result.stderr and "GENCO_RUBRICS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    into = shipped.parent / "calibration" / "coroutine-vs-generator.yaml"  # --out is no way round it
    result = invoke("calibrate", "coroutine-vs-generator", str(graded), "--out", str(into))
    assert result.exit_code == 1 and "inside the installed package" in result.stderr, result.output
    copy = tmp_path / "copy" / "coroutine-vs-generator.yaml"  # nor is a copy whose `calibration:` line points back
    copy.parent.mkdir()
    copy.write_text(shipped.read_text(encoding="utf-8").replace("calibration: calibration/", f"calibration: {into.parent}/"),
                    encoding="utf-8")
    result = invoke("calibrate", str(copy), str(graded))
    assert result.exit_code == 1 and "is outside the rubric's folder" in result.stderr, result.output
    assert {path: path.read_bytes() for path in kept} == kept


def test_calibrate_leaves_a_source_checkouts_shipped_calibration_alone(tmp_path, monkeypatch):
    """The README's setup installs genco from its checkout, the shipped rubrics beside the package: a
    learner's calibration written there would change the shipped question's scores with no --force."""
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding, "load_embedder", lambda *a, **k: pytest.fail("the model was loaded"))
    kept = {path: path.read_bytes() for path in FLAGSHIP.resolve().parent.rglob("*.yaml")}
    graded = tmp_path / "graded.jsonl"
    graded.write_text(GRADED.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("calibrate", "coroutine-vs-generator", str(graded))
    assert result.exit_code == 1, result.output
    assert "rubric shipped with genco" in result.stderr and "--out FILE" in result.stderr
    assert {path: path.read_bytes() for path in kept} == kept


@pytest.mark.parametrize("named", ["rubric", "graded"])
def test_calibrate_never_writes_over_an_input_its_calibration_line_names(tmp_path, named):
    """A copy whose `calibration:` line names the rubric itself (or the graded answers) was refused
    without --force, and with it the rubric (or the answers) became a calibration file."""
    rubric, graded = tmp_path / "mine.yaml", tmp_path / "graded.jsonl"
    graded.write_text(GRADED.read_text(encoding="utf-8"), encoding="utf-8")
    line = f"calibration: {(rubric if named == 'rubric' else graded).name}"
    rubric.write_text(re.sub(r"(?m)^calibration: .*$", line, FLAGSHIP.read_text(encoding="utf-8"))
                      .replace("id: coroutine-vs-generator", "id: mine", 1), encoding="utf-8")
    kept = {path: path.read_bytes() for path in (rubric, graded)}
    result = invoke("calibrate", str(rubric), str(graded), "--folds", "2", "--force")
    assert result.exit_code == 1, result.output
    assert f"is the {'rubric being calibrated' if named == 'rubric' else 'graded answers'}" in result.stderr
    assert {path: path.read_bytes() for path in kept} == kept


def test_a_calibration_that_moved_no_threshold_says_so():
    from rich.console import Console

    from genco_interview.rubric import find
    from genco_interview.views.terminal import render_calibration

    figures = {"spearman": 0.8, "pearson": 0.8, "qwk": 0.7, "mae": 1.0, "concept_f1": {}}
    result = {"answers": 12, "thresholds": {"driver": (0.59, 0.7)}, "written_thresholds": {"driver": (0.59, 0.7)},
              "written": "calibration/x.yaml", "linked": None, "in_use": True,
              "cross_validation": {"folds": 3, "uncalibrated": figures, "calibrated": figures, "thresholds_adopted": True}}
    console = Console(width=120, record=True, color_system=None)
    render_calibration(console, result, find("coroutine-vs-generator"))
    said = " ".join(console.export_text().split())
    assert "No threshold moved" in said
    assert "Scores do not change" in said and "(fitted grade map)" in said  # its QWK gain was read as better scores
    result["cross_validation"]["thresholds_adopted"] = False
    console = Console(width=120, record=True, color_system=None)
    render_calibration(console, result, find("coroutine-vs-generator"))
    assert "Scores do not change" in " ".join(console.export_text().split())
    result["cross_validation"]["thresholds_adopted"] = True
    result["thresholds"] = {"driver": (0.55, 0.7)}
    console = Console(width=120, record=True, color_system=None)
    render_calibration(console, result, find("coroutine-vs-generator"))
    assert "No threshold moved" not in console.export_text() and "Scores do not change" not in console.export_text()


def test_calibrate_refuses_answers_named_after_another_question(tmp_path):
    """Rows without a "question" in event-loop-internals.jsonl are that question's answers, as `genco eval`
    reads them: fitting coroutine-vs-generator to them would go through without a word."""
    graded = tmp_path / "event-loop-internals.jsonl"
    graded.write_text("".join(json.dumps({"answer": f"a loop {i}", "overall": i % 10, "depth": "quick"}) + "\n"
                              for i in range(12)), encoding="utf-8")
    result = invoke("calibrate", "coroutine-vs-generator", str(graded), "--out", str(tmp_path / "fit.yaml"))
    assert result.exit_code == 2, result.output
    assert "named after the question 'event-loop-internals'" in result.stderr and not (tmp_path / "fit.yaml").exists()


class _WordEmbedder:
    """Bag-of-words vectors: enough for `genco calibrate` to run without the model (no figure here is about quality)."""

    name = backend = fingerprint = "fake-words"
    dimension = 64

    def encode(self, texts, progress=None):
        import numpy as np

        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, int(hashlib.sha256(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_calibrating_on_grades_all_the_same_says_n_a_and_writes_null(tmp_path, monkeypatch):
    """Rank agreement with twelve grades of 5 cannot be computed: the table says n/a, the file holds null
    (not YAML's .nan), and the rubric reads its calibration back."""
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding, "load_embedder", lambda model=None, backend=None, notice=None: _WordEmbedder())
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    graded = tmp_path / "graded.jsonl"
    rows = [json.loads(line) for line in GRADED.read_text(encoding="utf-8").splitlines()]
    graded.write_text("".join(json.dumps({"answer": r["answer"], "overall": 5, "depth": "quick"}) + "\n"
                              for r in rows[:12]), encoding="utf-8")

    refused = invoke("calibrate", str(rubric), str(graded), "--folds", "3")
    assert refused.exit_code == 1 and "every row is graded 5, so every answer would score 5.0 of 10" in refused.stderr

    result = invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--force")

    assert result.exit_code == 0, result.output
    assert "nan" not in result.stdout and "n/a" in result.stdout
    written = (tmp_path / "calibration" / "coroutine-vs-generator.yaml").read_text(encoding="utf-8")
    assert ".nan" not in written and "spearman: null" in written
    assert load_rubric(rubric).calibration.cross_validation["uncalibrated"]["spearman"] is None
    figures = json.loads(invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--json", "--force").stdout)
    assert figures["cross_validation"]["calibrated"]["spearman"] is None


def test_moved_thresholds_are_not_kept_when_rank_agreement_cannot_be_computed():
    assert not thresholds_win({"uncalibrated": {"spearman": None}, "calibrated": {"spearman": None}})
    assert not thresholds_win({"uncalibrated": {"spearman": 0.5}, "calibrated": {"spearman": None}})


def test_calibrate_refuses_a_grade_map_that_gives_every_answer_one_grade(tmp_path, real_model_cli):
    """Grades that do not rise with the scores (here no answer has a word, so all score alike) fit a flat
    grade map: the calibrated rubric would score every answer the same. Written only with --force."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    graded = tmp_path / "graded.jsonl"
    graded.write_text("".join(json.dumps({"depth": "quick", "answer": "?" * (i + 1), "overall": i % 10}) + "\n"
                              for i in range(12)), encoding="utf-8")
    out = tmp_path / "cal.yaml"
    refused = invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--out", str(out))
    assert refused.exit_code == 1 and not out.exists()
    assert "rows do not rise with genco's scores, so every answer would score" in refused.stderr
    assert invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--out", str(out), "--force").exit_code == 0
    assert out.exists()


def test_calibrate_warns_when_its_scores_agree_with_the_grades_no_better_than_chance(tmp_path, real_model_cli):
    """Grades shuffled against their answers still fit a grade map (with a slope): the file is written,
    and one line says that out of fold it agrees with them no better than chance."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    rows = [json.loads(line) for line in GRADED.read_text(encoding="utf-8").splitlines()]
    quick = [r for r in rows if r["depth"] == "quick"][:24]
    reversed_grades = [{**r, "overall": 10 - r["overall"]} for r in quick]  # the best answers graded worst
    graded = tmp_path / "graded.jsonl"
    graded.write_text("".join(json.dumps(r) + "\n" for r in reversed_grades), encoding="utf-8")
    out = tmp_path / "cal.yaml"
    result = invoke("calibrate", str(rubric), str(graded), "--folds", "3", "--out", str(out), "--force")
    assert result.exit_code == 0 and out.exists()
    assert "no better than chance (QWK" in result.stderr
    honest = tmp_path / "honest.jsonl"
    honest.write_text("".join(json.dumps(r) + "\n" for r in quick), encoding="utf-8")
    fine = invoke("calibrate", str(rubric), str(honest), "--folds", "3", "--out", str(tmp_path / "ok.yaml"))
    assert fine.exit_code == 0 and "no better than chance" not in fine.stderr
    assert "labeled more than once" not in fine.stderr
    twice = tmp_path / "twice.jsonl"  # an answer labeled twice is said, as `genco eval` says it
    twice.write_text("".join(json.dumps(r) + "\n" for r in [*quick, quick[0]]), encoding="utf-8")
    copied = invoke("calibrate", str(rubric), str(twice), "--folds", "3", "--out", str(tmp_path / "twice.yaml"))
    assert copied.exit_code == 0 and "twice.jsonl:25 repeats" in copied.stderr
    assert "copies are kept in one fold" in " ".join(copied.stderr.split())


def test_calibrate_out_says_when_the_rubric_does_not_read_what_it_wrote(tmp_path):
    """--out writes where it is told and links nothing: it said only "Wrote out.yaml", and the rubric went on
    scoring as before."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(FLAGSHIP.read_text(encoding="utf-8").split("\n# Fitted thresholds")[0], encoding="utf-8")
    elsewhere, graded = tmp_path / "fits" / "try.yaml", tmp_path / "graded.jsonl"
    graded.write_text("".join(GRADED.read_text(encoding="utf-8").splitlines(keepends=True)[::6]), encoding="utf-8")
    result = invoke("calibrate", str(rubric), str(graded), "--folds", "2", "--out", str(elsewhere))
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "The rubric still reads no calibration file: to score with this one, set its line to " \
           "`calibration: fits/try.yaml`." in said
    assert "calibration:" not in rubric.read_text(encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside" / "try.yaml"  # the loader reads no calibration there
    result = invoke("calibrate", str(rubric), str(graded), "--folds", "2", "--out", str(outside))
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())  # it said `calibration: ../x/try.yaml`, which broke the rubric
    assert (f"to score with this one, move it to {tmp_path / 'calibration' / 'try.yaml'} (a rubric reads its "
            "calibration from its own folder only) and set its line to `calibration: calibration/try.yaml`.") in said, said
    (tmp_path / "calibration").mkdir()
    (tmp_path / "calibration" / "try.yaml").write_text("x: 1\n", encoding="utf-8")  # moved there, it would replace it
    again = invoke("calibrate", str(rubric), str(graded), "--folds", "2", "--out", str(outside), "--force")
    assert "(a file of that name is there already: rename this one)" in " ".join(again.stdout.split()), again.output
    result = invoke("calibrate", str(rubric), str(graded), "--folds", "2", "--format", "json")
    linked = json.loads(result.stdout)
    assert (linked["in_use"], linked["to_use_it"]) == (True, None), linked
