"""Scoring quality with the real model: the issue's acceptance bounds and the graded data set.

Every assertion here is about what the scorer concludes (scores, ordering, statuses), so each
can fail when the scorer regresses.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, GRADED_IDS, load_graded
from genco_interview.cli import cli

pytestmark = pytest.mark.slow

ADVERSARIAL = ("negation", "swapped", "salad", "off-topic", "dont-know")
CREDITED = ("covered", "partial")
KEY_CONCEPTS = ("shared_mechanism", "driver", "one_vs_many", "async_generators")


def _cli_score(depth: str, path) -> dict:
    result = CliRunner().invoke(cli, ["score", "--depth", depth, "--answer-file", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def seed_score(real_model_cli) -> float:
    return _cli_score("detailed", EXAMPLES / "seed-detailed.txt")["score"]


def test_seed_detailed_answer_scores_at_least_90(seed_score):
    assert seed_score >= 90


def test_i_dont_know_scores_at_most_5(real_model_cli):
    assert _cli_score("detailed", EXAMPLES / "dont-know.txt")["score"] <= 5


@pytest.mark.parametrize("example", ["keyword-salad.txt", "seed-detailed-swapped.txt", "off-topic.txt"])
def test_adversarial_versions_score_at_most_half_of_the_correct_answer(real_model_cli, seed_score, example):
    assert _cli_score("detailed", EXAMPLES / example)["score"] <= seed_score / 2


SPEARMAN_FLOOR = 0.78
KEY_F1_FLOOR = 0.78
"""Floors a little under what the 164-answer flagship set measures (Spearman 0.804, key-concept F1
0.81-0.89, absent concepts credited 20 %: see README), so a regression fails CI."""


@pytest.fixture(scope="module")
def graded(scorer):
    """Every graded answer with its score card, scored in one batch per depth."""
    rows = load_graded()
    by_depth = defaultdict(list)
    for row in rows:
        by_depth[row["depth"]].append(row)
    out = []
    for depth, group in by_depth.items():
        cards = scorer.score_many([r["answer"] for r in group], depth)
        out += list(zip(group, cards))
    return out


def _kind_means(graded) -> dict[str, float]:
    scores = defaultdict(list)
    for row, card in graded:
        scores[row["kind"]].append(card.score)
    return {kind: statistics.mean(values) for kind, values in scores.items()}


def test_data_set_is_big_and_varied_enough():
    rows = load_graded()
    kinds = {r["kind"] for r in rows}
    assert len(rows) >= 30
    assert {"good", "partial", "misconception", *ADVERSARIAL} <= kinds


def test_scores_rank_like_the_human_grades(graded):
    from scipy.stats import spearmanr

    rho = spearmanr([r["overall"] for r, _ in graded], [c.score for _, c in graded])[0]
    assert rho >= SPEARMAN_FLOOR


def test_kinds_are_ordered(graded):
    means = _kind_means(graded)
    assert means["good"] > means["partial"] > max(means[k] for k in ADVERSARIAL)
    for kind in ADVERSARIAL:
        assert means[kind] < means["good"] / 2, kind


def test_adversarial_answers_stay_low(graded):
    scores = {r["id"]: c.score for r, c in graded if r["kind"] in ADVERSARIAL}
    high = {i: s for i, s in scores.items() if s >= 45}
    assert len(high) <= 0.10 * len(scores), high


def test_good_answers_pass(graded):
    scores = {r["id"]: c.score for r, c in graded if r["kind"] == "good"}
    failing = {i: s for i, s in scores.items() if s < 45}
    assert len(failing) <= 0.15 * len(scores), failing


def test_concepts_labelled_clearly_stated_are_credited_and_absent_ones_mostly_not(graded):
    stated = absent_credited = absent = credited = 0
    for row, card in graded:
        for concept in card.concepts:
            label = row["concepts"][concept.id]
            if label == 2:
                stated += 1
                credited += concept.status in CREDITED
            elif label == 0:
                absent += 1
                absent_credited += concept.status in CREDITED
    assert credited / stated >= 0.85
    assert absent_credited / absent <= 0.35


@pytest.mark.parametrize("concept_id", KEY_CONCEPTS)
def test_key_concept_f1(graded, concept_id):
    tp = fp = fn = 0
    for row, card in graded:
        result = next((c for c in card.concepts if c.id == concept_id), None)
        if result is None:
            continue
        human, machine = row["concepts"][concept_id] > 0, result.status in CREDITED
        tp += human and machine
        fp += machine and not human
        fn += human and not machine
    assert 2 * tp / (2 * tp + fp + fn) >= KEY_F1_FLOOR


def test_adversarial_answers_earn_almost_no_concepts(graded):
    statuses = [c.status for r, card in graded if r["kind"] in ADVERSARIAL for c in card.concepts]
    assert sum(s in CREDITED for s in statuses) / len(statuses) <= 0.32


def test_swapped_answers_are_read_as_reversed_and_good_ones_never(graded):
    read_reversed = [r for r, c in graded if any("exchanged" in note for note in c.notes)]
    swapped = [r for r, _ in graded if r["kind"] == "swapped"]
    assert sum(r["kind"] == "swapped" for r in read_reversed) >= len(swapped) / 2
    assert not [r["id"] for r in read_reversed if r["kind"] == "good"]


def test_misconceptions_are_found_in_most_answers_that_hold_them(graded):
    holders = [(r, c) for r, c in graded if r["kind"] == "misconception"]
    found = [r["id"] for r, c in holders if set(r["misconceptions"]) & {m.id for m in c.misconceptions}]
    assert len(found) >= len(holders) / 2, found


@pytest.mark.parametrize(
    ("answer", "concept_id", "expected"),
    [
        ("A generator is consumed with a for loop or next(). A coroutine is awaited and the event loop drives it.",
         "driver", {"covered"}),
        ("A coroutine is consumed with a for loop or next(). A generator is awaited and the event loop drives it.",
         "driver", {"missing", "contradicted"}),
        ("Generators and coroutines share no mechanism at all; they are implemented completely separately.",
         "shared_mechanism", {"missing", "contradicted"}),
        ("Under the hood both are suspendable frames: coroutines reuse the generator suspend/resume machinery.",
         "shared_mechanism", {"covered"}),
        ("yield, await, event loop, for loop, next(), suspension, frame", "driver", {"missing"}),
        ("A generator hands out many values lazily, while a coroutine finishes with a single result.",
         "one_vs_many", {"covered", "partial"}),
    ],
    ids=["driver-right", "driver-swapped", "mechanism-negated", "mechanism-right", "salad", "one-vs-many"],
)
def test_concept_status_for_answer_kinds(scorer, answer, concept_id, expected):
    card = scorer.score(answer, "quick")
    status = next(c.status for c in card.concepts if c.id == concept_id)
    assert status in expected


def test_evidence_is_the_sentence_that_earned_the_concept(scorer):
    answer = "I like tea. A generator is driven by a for loop or next(), and a coroutine by the event loop."
    card = scorer.score(answer, "quick")
    driver = next(c for c in card.concepts if c.id == "driver")
    assert driver.status in CREDITED
    assert "for loop" in driver.evidence and "tea" not in driver.evidence


def test_a_one_megabyte_answer_is_cut_and_says_so(scorer):
    huge = ("A generator yields many values lazily. " * 30_000)[:1_000_000]
    card = scorer.score(huge, "quick")
    assert any("only the first" in note for note in card.notes)
    assert 0 <= card.score <= 100


# --- the question bank: every shipped rubric, every graded set -----------------------------------------

BANK_SPEARMAN_FLOOR = 0.75
"""Measured 0.85-0.98 on the six bank sets (10-13 answers each); a floor well under that, as the sets are small."""


def _shipped_depths() -> list[tuple[str, str]]:
    from genco_interview.rubric import discover

    return [(r.id, d) for r in discover() for d in r.depth_names]


@pytest.mark.parametrize(("rubric_id", "depth"), _shipped_depths(), ids=lambda v: v)
def test_model_answer_scores_at_least_90_and_triggers_no_misconception(scorer_for, rubric_id, depth):
    scorer = scorer_for(rubric_id)
    card = scorer.score(scorer.rubric.depth(depth).model_answer, depth)
    assert card.score >= 90, [(c.id, c.status, round(c.similarity, 2)) for c in card.concepts]
    assert card.misconceptions == [], [m.id for m in card.misconceptions]


@pytest.fixture(scope="module")
def bank_graded(scorer_for):
    """rubric id -> [(row, card)] for every graded set, one batch per depth."""
    out = {}
    for rubric_id in GRADED_IDS:
        by_depth = defaultdict(list)
        for row in load_graded(rubric_id):
            by_depth[row["depth"]].append(row)
        out[rubric_id] = [pair for depth, group in by_depth.items()
                          for pair in zip(group, scorer_for(rubric_id).score_many([r["answer"] for r in group], depth))]
    return out


@pytest.mark.parametrize("rubric_id", GRADED_IDS)
def test_each_graded_set_ranks_like_the_human_grades(bank_graded, rubric_id):
    from scipy.stats import spearmanr

    pairs = bank_graded[rubric_id]
    rho = spearmanr([r["overall"] for r, _ in pairs], [c.score for _, c in pairs])[0]
    assert rho >= BANK_SPEARMAN_FLOOR


@pytest.mark.parametrize("rubric_id", GRADED_IDS)
def test_each_graded_set_puts_good_answers_far_above_adversarial_ones(bank_graded, rubric_id):
    means = _kind_means(bank_graded[rubric_id])
    assert means["good"] >= 65
    for kind in set(ADVERSARIAL) & set(means):
        assert means[kind] < means["good"] / 2, kind
    assert means["good"] > means["partial"]
