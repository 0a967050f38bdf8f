"""What to practise next: FSRS over concepts, replayed from history (no model needed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating

from genco_interview.progress.schedule import concept_cards, rating, suggest
from genco_interview.rubric import discover, find, parse_rubric

from history_helpers import QUESTION, START, make_attempt

FLAGSHIP = find(QUESTION)
ALL_GOOD = {"shared_mechanism": 1.0, "driver": 1.0, "one_vs_many": 1.0}


@pytest.mark.parametrize("status, score, expected", [
    ("missing", 0.0, Rating.Again), ("contradicted", 0.0, Rating.Again), ("partial", 0.5, Rating.Hard),
    ("covered", 0.85, Rating.Good), ("covered", 1.0, Rating.Easy)])
def test_rating_follows_the_concept_result(status: str, score: float, expected: Rating) -> None:
    assert rating(status, score) == expected


def test_no_history_starts_with_the_first_depth_and_its_concepts() -> None:
    plan = suggest([], [FLAGSHIP], now=START)
    assert (plan.question, plan.depth) == (QUESTION, "quick")
    assert [f.id for f in plan.focus] == ["driver", "one_vs_many", "shared_mechanism"]
    assert all(f.retrievability is None for f in plan.focus) and plan.due_now


def test_no_history_with_the_whole_bank_starts_at_its_first_question() -> None:
    """With nothing practised every concept is new and due now: the bank's first question (what
    `genco practice` asks with no argument) at its first depth, not whichever concept id sorts first."""
    bank = discover()
    plan = suggest([], bank, now=START)
    assert (plan.question, plan.depth) == (bank[0].id, bank[0].depth_names[0]) == (QUESTION, "quick")
    assert suggest([], list(reversed(bank)), now=START).question == bank[-1].id  # the order given decides


def test_a_missed_concept_comes_back_before_well_known_ones() -> None:
    attempts = [make_attempt(0, scores={**ALL_GOOD, "one_vs_many": 0.0}), make_attempt(1, scores=ALL_GOOD)]
    attempts += [make_attempt(2, scores={**ALL_GOOD, "one_vs_many": 0.1})]
    cards = concept_cards(attempts)
    assert cards[(QUESTION, "one_vs_many")].due < cards[(QUESTION, "driver")].due
    plan = suggest(attempts, [FLAGSHIP], now=START + timedelta(days=3))
    assert (plan.depth, plan.focus[0].id) == ("quick", "one_vs_many")
    assert plan.focus[0].retrievability is not None and plan.due_now


def test_right_after_a_failed_answer_it_sends_the_learner_back_not_deeper() -> None:
    failed = make_attempt(0, scores={c: 0.0 for c in ALL_GOOD})
    plan = suggest([failed], [FLAGSHIP], now=START + timedelta(seconds=30))
    assert (plan.question, plan.depth) == (QUESTION, "quick")
    assert {f.id for f in plan.focus} == set(ALL_GOOD) and plan.due_now


def test_of_concepts_due_together_the_one_just_failed_comes_first() -> None:
    """A partial concept answered well a minute later is still in its learning steps (due within
    minutes), as is one failed just now: the failed one's question comes first, whatever the bank's
    order (both are at 100 % recall right after their review; only the failed one is due now)."""
    from dataclasses import replace

    other = find("generator-send-throw-close")
    at = lambda attempt, minutes: replace(attempt, created_at=(START + timedelta(minutes=minutes)).isoformat())  # noqa: E731
    attempts = [at(make_attempt(scores={**ALL_GOOD, "one_vs_many": 0.5}), 0),
                at(make_attempt(scores={c: 0.85 for c in ALL_GOOD}), 1),
                at(make_attempt(rubric=other, scores={c: 0.0 for c, _ in other.depth("quick").concepts}), 2)]
    plan = suggest(attempts, [FLAGSHIP, other], now=START + timedelta(minutes=3))
    assert (plan.question, plan.depth) == (other.id, "quick") and plan.due_now


def test_right_after_a_good_answer_it_moves_on_not_back() -> None:
    """Concepts just covered are in FSRS's learning step of minutes, not due now: the next
    suggestion is the next depth's new concepts, not the ones the learner just got right."""
    plan = suggest([make_attempt(0, scores={c: 0.85 for c in ALL_GOOD})], [FLAGSHIP], now=START + timedelta(seconds=30))
    assert plan.depth == "detailed" and not set(ALL_GOOD) & {f.id for f in plan.focus}


def test_once_the_quick_concepts_are_known_it_moves_deeper() -> None:
    attempts = [make_attempt(day, scores=ALL_GOOD) for day in range(3)]
    plan = suggest(attempts, [FLAGSHIP], now=START + timedelta(days=3))
    assert plan.depth == "detailed"
    assert {f.id for f in plan.focus} <= {"async_generators", "await_vs_yield", "lazy_call", "misuse_typeerror"}


def test_easy_reviews_push_the_next_review_further_than_good_ones() -> None:
    easy = concept_cards([make_attempt(d, scores={"driver": 1.0}) for d in range(3)])[(QUESTION, "driver")]
    good = concept_cards([make_attempt(d, scores={"driver": 0.85}) for d in range(3)])[(QUESTION, "driver")]
    assert easy.due > good.due


def test_an_answer_stating_a_misconception_brings_its_concepts_back_sooner() -> None:
    """A card naming a misconception rates its covered concepts Hard, not Easy: the learner holds a wrong
    belief about the question, whatever else they got right beside it."""
    assert rating("covered", 1.0, misled=True) == Rating.Hard
    assert rating("missing", 0.0, misled=True) == Rating.Again
    mistake = (FLAGSHIP.misconceptions[0].id,)
    clean = concept_cards([make_attempt(d, scores={"driver": 1.0}) for d in range(3)])[(QUESTION, "driver")]
    misled = concept_cards([make_attempt(d, scores={"driver": 1.0}, misconceptions=mistake if d == 2 else ())
                            for d in range(3)])[(QUESTION, "driver")]
    assert misled.due < clean.due


def test_same_history_same_plan() -> None:
    attempts = [make_attempt(0, scores={"driver": 0.2}), make_attempt(1)]
    now = START + timedelta(days=2)
    assert suggest(attempts, [FLAGSHIP], now=now) == suggest(list(reversed(attempts)), [FLAGSHIP], now=now)


def test_a_practised_question_is_preferred_over_a_new_one(tmp_path) -> None:
    written = open(FLAGSHIP.path, encoding="utf-8").read().split("\ncalibration:")[0]  # its own calibration stays behind
    text = written.replace(f"id: {QUESTION}", "id: aaa-new-question", 1)
    other = parse_rubric(text, "other.yaml")
    attempts = [make_attempt(0, scores={"driver": 0.9})]
    plan = suggest(attempts, [other, FLAGSHIP], now=START + timedelta(minutes=1))
    assert plan.question == QUESTION


def test_no_rubrics_no_plan() -> None:
    assert suggest([], []) is None


def test_next_json_says_when_a_full_recall_only_means_just_practised() -> None:
    """FSRS puts recall at 100 % right after any review, a failed one too: tools get the flag the
    terminal shows as "just practised", not a bare 1.0 to read as mastered."""
    import json

    from genco_interview.views.report import next_json

    failed = make_attempt(0, scores={c: 0.0 for c in ALL_GOOD})
    focus = json.loads(next_json(suggest([failed], [FLAGSHIP], now=START + timedelta(seconds=30))))["focus"]
    assert focus and all(f["just_practised"] and f["retrievability"] == 1.0 for f in focus)
    fresh = json.loads(next_json(suggest([], [FLAGSHIP], now=START)))["focus"]
    assert not any(f["just_practised"] for f in fresh)
