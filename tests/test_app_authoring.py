"""The authors' use cases of the application layer: validating rubric files, linking a
calibration, and the checks of eval and calibrate that come before the model is needed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from genco_interview.answers import InputError
from genco_interview.app.calibration import calibrate_rubric, link_calibration
from genco_interview.app.evaluation import evaluate_files
from genco_interview.app.rubrics import read_rubric_files, validation_exit
from genco_interview.app.workbench import Workbench
from genco_interview.evaluation.findings import Finding
from genco_interview.rubric import RUBRICS_ENV, find, load_rubric

from rubric_helpers import TINY_ID, TINY_RUBRIC

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = str(FIXTURES / "rubrics" / "tiny-question.yaml")
BROKEN = str(FIXTURES / "broken" / "unknown-concept.yaml")


class Unloadable:
    """A model that must not be reached: these checks come before any scoring."""

    name = "unloadable"

    def encode(self, texts, progress=None):
        raise AssertionError("the model was used")


def test_each_rubric_file_is_checked_and_a_broken_one_hides_no_other() -> None:
    checks = read_rubric_files([BROKEN, GOOD])
    broken, good = (check.to_dict() for check in checks)
    assert broken["valid"] is False and broken["error"].startswith(BROKEN)
    assert good == {"path": GOOD, "valid": True, "id": "tiny-question", "replaces_shipped": False,
                    "name_note": None, "findings": []}
    assert validation_exit(checks, strict=False) == 1


def test_a_rubric_file_not_named_after_its_id_is_said_to_be_asked_for_by_its_id(tmp_path: Path) -> None:
    """other-name.yaml holding `id: tiny-question` passed with a plain tick, and then `genco score other-name`
    was an unknown question: the tick line says which name the commands take. Said, not warned of."""
    from genco_interview.views.terminal import schema_lines

    renamed, unread = tmp_path / "other-name.yaml", tmp_path / "tiny-question.yml"
    shutil.copy(GOOD, renamed)
    shutil.copy(GOOD, unread)
    check, ignored, same = read_rubric_files([str(renamed), str(unread), GOOD])
    assert same.name_note is None
    assert schema_lines(check)[0].endswith("commands ask for it as 'tiny-question', its id, not by its file's name")
    assert schema_lines(ignored)[0].endswith("the rubric search path reads only *.yaml files: name it "
                                             "tiny-question.yaml to use it")  # it validated, and was never loaded
    assert validation_exit(read_rubric_files([str(unread)]), strict=True) == 0


def test_strict_fails_on_a_warning_and_only_then() -> None:
    checks = read_rubric_files([GOOD])
    assert validation_exit(checks, strict=True) == 0
    checks[0].findings = [Finding("concept-overlap", GOOD, ("concept alpha",), 0.9, "too close", "reword it")]
    assert (validation_exit(checks, strict=False), validation_exit(checks, strict=True)) == (0, 3)
    assert checks[0].to_dict()["findings"][0]["check"] == "concept-overlap"


def test_a_calibration_is_linked_from_its_rubric_once(tmp_path: Path) -> None:
    path = tmp_path / "tiny-question.yaml"
    shutil.copy(GOOD, path)
    rubric = load_rubric(path)
    target = tmp_path / "calibration" / "tiny-question.yaml"
    assert link_calibration(rubric, target) == "calibration: calibration/tiny-question.yaml"
    assert link_calibration(rubric, target) is None
    assert path.read_text(encoding="utf-8").count("\ncalibration:") == 1


def test_linking_a_calibration_keeps_a_rubrics_crlf_line_endings(tmp_path: Path) -> None:
    """A rubric written on Windows came back with every line ending changed: a diff of the whole file."""
    path = tmp_path / "tiny-question.yaml"
    original = Path(GOOD).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    path.write_bytes(original)
    link_calibration(load_rubric(path), tmp_path / "calibration" / "tiny-question.yaml")
    data = path.read_bytes()
    assert data.startswith(original.rstrip(b"\r\n"))
    assert data.endswith(b"\r\ncalibration: calibration/tiny-question.yaml\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")


@pytest.mark.parametrize("style", ["json", "end marker"])
def test_a_rubric_that_cannot_take_an_appended_line_is_left_as_it_was(tmp_path: Path, style: str) -> None:
    """JSON is YAML too, and "..." ends a document: a line appended after either breaks the rubric."""
    import yaml

    path = tmp_path / "tiny-question.yaml"
    text = Path(GOOD).read_text(encoding="utf-8")
    text = json.dumps(yaml.safe_load(text)) if style == "json" else f"---\n{text}...\n"
    path.write_text(text, encoding="utf-8")
    rubric = load_rubric(path)
    with pytest.raises(OSError, match="add `calibration: calibration/tiny-question.yaml` to it by hand"):
        link_calibration(rubric, tmp_path / "calibration" / "tiny-question.yaml")
    assert path.read_text(encoding="utf-8") == text
    load_rubric(path)


def test_a_rubric_whose_calibration_file_is_gone_can_still_be_calibrated(tmp_path: Path) -> None:
    """Scoring with it must fail (its fitted thresholds are gone), but `genco calibrate` writes that very file."""
    from genco_interview.app.questions import rubric_named
    from genco_interview.rubric import RubricError

    path = tmp_path / "tiny-question.yaml"
    path.write_text(Path(GOOD).read_text(encoding="utf-8") + "\ncalibration: calibration/tiny-question.yaml\n",
                    encoding="utf-8")
    with pytest.raises(RubricError, match="cannot read calibration file"):
        rubric_named(str(path))
    named = rubric_named(str(path), calibrated=False).calibration
    assert named is not None and Path(named.path) == tmp_path / "calibration" / "tiny-question.yaml"
    with pytest.MonkeyPatch.context() as env:  # by its id on the search path too
        env.setenv(RUBRICS_ENV, str(tmp_path))
        assert rubric_named("tiny-question", calibrated=False).calibration == named


@pytest.fixture
def tiny_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tests' small rubric on the rubric search path, and three graded answers to it."""
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / f"{TINY_ID}.yaml").write_text(TINY_RUBRIC, encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path / "rubrics"))
    labeled = tmp_path / f"{TINY_ID}.jsonl"
    labeled.write_text("".join(json.dumps({"answer": f"answer {n}", "overall": n, "concepts": {"driver": n % 3}}) + "\n"
                               for n in range(3)), encoding="utf-8")
    return labeled


def test_calibrate_wants_enough_rows_before_the_model_loads(tiny_bank: Path) -> None:
    with pytest.raises(InputError, match=f"3 rows for {TINY_ID}; calibration needs at least 10"):
        calibrate_rubric(Workbench(embedder=Unloadable()), find(TINY_ID), str(tiny_bank), folds=5)
    assert not (tiny_bank.parent / "rubrics" / "calibration").exists()


def test_calibrate_says_how_many_rows_name_another_question(tiny_bank: Path) -> None:
    """Every row naming another question: "0 rows for my-gil" read as an empty file."""
    rows = [json.dumps({"answer": f"answer {n}", "overall": n, "question": "coroutine-vs-generator", "depth": "quick"})
            for n in range(12)]
    tiny_bank.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"0 rows for {TINY_ID} \\(and 12 rows naming another question in \"question\"\\)"):
        calibrate_rubric(Workbench(embedder=Unloadable()), find(TINY_ID), str(tiny_bank), folds=5)


def test_calibrate_counts_an_answer_labeled_five_times_once(tiny_bank: Path) -> None:
    """Three answers each repeated five times made fifteen rows, and a cross-validation whose folds trained
    on copies of the answers they judged; copies share a fold, so they count as one answer."""
    rows = tiny_bank.read_text(encoding="utf-8").splitlines(keepends=True)
    tiny_bank.write_text("".join(rows * 5), encoding="utf-8")
    with pytest.raises(InputError, match=f"15 rows but 3 different answers for {TINY_ID}; calibration needs at "
                                         "least 10 different answers"):
        calibrate_rubric(Workbench(embedder=Unloadable()), find(TINY_ID), str(tiny_bank), folds=5)


def test_leaving_one_question_out_of_one_fails_before_the_model_loads(tiny_bank: Path) -> None:
    with pytest.raises(InputError, match="at least two questions"):
        evaluate_files(Workbench(embedder=Unloadable()), [str(tiny_bank)], leave_one_question_out=True)
