"""The application layer: resolving questions, one scorer per rubric kept warm, saving, grading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genco_interview.app.questions import depth_of, pick_question, resolve
from genco_interview.app.workbench import Workbench
from genco_interview.interview.grading import OverrideError
from genco_interview.progress.store import open_history
from genco_interview.rubric import UnknownName, parse_rubric

from test_scoring import RUBRIC
from test_scoring import BagOfWords as _Words


class BagOfWords(_Words):
    """The scoring tests' fake model, with what the on-disk exemplar cache keys on."""

    fingerprint = "bag-of-words:test"
    dimension = 256


class Unloadable:
    """A model that must not be reached."""

    name = "unloadable"

    def encode(self, texts, progress=None):
        raise AssertionError("the model was used")


@pytest.fixture
def toy():
    return parse_rubric(RUBRIC, "toy.yaml")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_resolve_checks_the_depth_and_defaults_to_the_first(toy) -> None:
    assert depth_of(toy, None) == toy.depth_names[0]
    with pytest.raises(UnknownName, match="unknown depth 'expert' for toy; valid: quick"):
        depth_of(toy, "expert")
    with pytest.raises(UnknownName):
        resolve("no-such-question", None)


def test_the_same_seed_picks_the_same_question() -> None:
    (first, depth), (again, again_depth) = pick_question(None, None, seed=7), pick_question(None, None, seed=7)
    assert (first.id, depth) == (again.id, again_depth)


def test_one_scorer_per_rubric_is_kept_until_another_model_is_used(toy, home) -> None:
    bench = Workbench(embedder=BagOfWords())
    assert bench.scorer(toy) is bench.scorer(toy)
    kept = bench.scorer(toy)
    bench.use(bench.embedder)
    assert bench.scorer(toy) is kept
    bench.use(BagOfWords())
    assert bench.scorer(toy) is not kept


def test_scored_answers_are_saved_and_numbered(toy, home) -> None:
    bench = Workbench(embedder=BagOfWords())
    answers = ["Apples are red fruit.", "Pears grow on tall trees."]
    cards = bench.score_each(toy, answers, ["quick", "quick"])
    assert bench.save(cards, answers, seconds=12.0).numbers == [1, 2]
    with open_history(None, create=False) as store:
        stored = store.attempts(evidence=False)
    assert sorted(a.answer for a in stored) == sorted(answers)
    assert {a.seconds for a in stored} == {12.0}


def test_a_mistyped_override_fails_before_the_model_loads(toy, home) -> None:
    bench = Workbench(embedder=Unloadable())
    with pytest.raises(OverrideError, match="unknown concept 'plums'") as caught:
        bench.grade(toy, "quick", "Apples are red fruit.", ["plums=covered"])
    assert caught.value.exit_code == 2


def test_a_grade_is_kept_as_an_interviewer_attempt(toy, home) -> None:
    bench = Workbench(embedder=BagOfWords())
    graded = bench.grade(toy, "quick", "Apples are red fruit.", ["pears=covered"], candidate="A. L.")
    assert bench.keep_grade(graded, "Apples are red fruit.").numbers == [1]
    with open_history(None, create=False) as store:
        (attempt,) = store.attempts(evidence=False, source="interviewer")
    assert json.dumps(attempt.score) == json.dumps(graded.final_card.score)


def test_grades_of_one_transcript_read_at_the_same_moment_keep_one_grade(toy, home) -> None:
    """Two browser tabs keeping the same transcript of the same candidate: each was graded before the other was
    kept, so neither knew of the other, and both were kept (the candidate listed as graded twice)."""
    bench = Workbench(embedder=BagOfWords())
    transcript = "Apples are red fruit."
    first, second, again = (bench.grade(toy, "quick", transcript, marks, candidate="Ann")
                            for marks in (["pears=covered"], ["pears=missing"], ["pears=missing"]))
    assert bench.keep_grade(first, transcript).numbers == [1]
    kept = bench.keep_grade(second, transcript)
    assert kept.numbers == [2] and kept.replaced == 1 and not kept.already
    repeated = bench.keep_grade(again, transcript)
    assert repeated.numbers == [2] and repeated.already
    with open_history(None, create=False) as store:
        (attempt,) = store.attempts(evidence=False, source="interviewer")
    assert attempt.id == 2 and attempt.grade["replaces"] == [1] and attempt.grade["overrides"] == {"pears": "missing"}


def test_progress_and_next_read_the_learners_own_attempts(toy, home) -> None:
    from genco_interview.app.history import next_practice, progress_report

    bench = Workbench(embedder=BagOfWords())
    card = bench.score(toy, "quick", "Apples are red fruit.")
    bench.save([card], ["Apples are red fruit."])
    bench.save([card], ["Apples are red fruit."], source="interviewer")
    assert progress_report(None).attempts == 1
    assert progress_report(None, source=None).attempts == 2
    assert progress_report(None, question="no-such-question").attempts == 0
    assert next_practice(None) is not None  # the shipped bank always has something to practise
