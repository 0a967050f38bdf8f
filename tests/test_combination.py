"""The combination's arithmetic: fitting, sign constraints, reading its file, and uncertainty.

Pure numpy on made-up signals: no model. What the shipped weights do with real answers is
tests/test_quality.py's and tests/test_scoring_kinds.py's business.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from genco_interview.card import MisconceptionHit
from genco_interview.scoring.combination import (
    UNCERTAINTY_SIGNALS,
    Combination,
    CombinationError,
    Linear,
    TrainingAnswer,
    best_margin,
    closeness_to_middle,
    fit_combination,
    fit_linear,
    parse_combination,
    shipped_combination,
)
from genco_interview.scoring.signals import ANSWER_SIGNALS, CONCEPT_SIGNALS, AnswerSignals


def test_fit_linear_recovers_known_weights():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = 3.0 + 2.0 * x[:, 0] - 1.0 * x[:, 1]
    model = fit_linear(("a", "b"), x, y, alpha=0.0)
    assert model.predict(x) == pytest.approx(y, abs=1e-6)


def test_a_signal_fitted_against_its_allowed_direction_is_dropped():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 2))
    y = 2.0 * x[:, 0] - 0.5 * x[:, 1]
    model = fit_linear(("good", "must_not_lower"), x, y, signs=(1, 1))
    assert model.weights[1] == 0.0
    assert model.weights[0] > 0


def test_a_signal_past_the_range_the_fit_saw_is_held_at_its_edge():
    """A straight line says nothing past its data: a lead of 1.6 similarity points, where training leads
    stayed under 0.4, must not move a grade four times as far as the largest lead the fit saw."""
    x = np.array([[0.0], [0.1], [0.2], [0.3], [0.4]])
    model = fit_linear(("misconception_lead",), x, 5.0 - 10.0 * x[:, 0], alpha=0.0)
    assert (model.low, model.high) == ((0.0,), (0.4,))
    assert model.predict(np.array([[1.6]]))[0] == pytest.approx(model.predict(np.array([[0.4]]))[0])
    assert model.predict(np.array([[0.2]]))[0] == pytest.approx(3.0)


def _plain_file(overall_credit: dict) -> dict:
    """A combination file's fields: every weight 0 but the overall one of concept credit (`overall_credit`)."""
    def linear(names, intercept=0.0, **special):
        return {"intercept": intercept,
                "signals": {n: special.get(n, {"mean": 0, "scale": 1, "weight": 0}) for n in names}}

    return {"partial": 1, "covered": 1.5, "uncertain_error": 10, "misconception_margin": 0.1,
            "concept": linear(CONCEPT_SIGNALS), "overall": linear(ANSWER_SIGNALS, 5.0, concept_credit=overall_credit),
            "reference_only": linear(ANSWER_SIGNALS[1:2]), "uncertainty": linear(UNCERTAINTY_SIGNALS)}


def test_a_combination_file_keeps_each_signal_range_and_reads_one_without():
    import yaml

    bounded = yaml.safe_dump(sort_keys=False, data=_plain_file({"mean": 0, "scale": 1, "weight": 1, "low": 0, "high": 2}))
    combination = parse_combination(bounded, "combination.yaml")
    assert combination.overall.predict(np.array([[9.0, 0.0, 0.0, 0.0, 0.0]]))[0] == pytest.approx(7.0)  # held at 2
    unbounded = yaml.safe_dump(sort_keys=False, data=_plain_file({"mean": 0, "scale": 1, "weight": 1}))
    assert parse_combination(unbounded, "combination.yaml").overall.predict(np.array([[9.0, 0, 0, 0, 0]]))[0] == 14.0
    crossed = yaml.safe_dump(sort_keys=False, data=_plain_file({"mean": 0, "scale": 1, "weight": 1, "low": 3, "high": 2}))
    with pytest.raises(CombinationError, match="low must not be above its high"):
        parse_combination(crossed, "combination.yaml")
    fitted = fit_linear(("a",), np.array([[1.0], [3.0]]), np.array([0.0, 2.0]), alpha=0.0)
    assert (fitted.to_dict()["signals"]["a"]["low"], fitted.to_dict()["signals"]["a"]["high"]) == (1.0, 3.0)


def _linear(names, weights, intercept=0.0):
    return Linear(tuple(names), (0.0,) * len(names), (1.0,) * len(names), tuple(weights), intercept)


RULE_STATUS = CONCEPT_SIGNALS.index("rule_status")


def _row(**values):
    """A concept signal row: the named signals set, the rest 0."""
    return [float(values.get(name, 0.0)) for name in CONCEPT_SIGNALS]


def _signals(row, alignment):
    return AnswerSignals(("c",), (1.0,), np.array([row]), np.array([alignment, 3.0, 0.0, 0.0]), (-1,))


NO_UNCERTAINTY = {"uncertainty": _linear(UNCERTAINTY_SIGNALS, [0.0, 0.0]), "uncertain_error": 10.0}


def test_the_grade_and_the_reference_only_opinion_come_from_their_own_fits():
    concept = _linear(CONCEPT_SIGNALS, _row(rule_status=1.0))  # credit = rule status
    combination = Combination(
        concept=concept,
        overall=_linear(ANSWER_SIGNALS, [5.0, 0, 0, 0, 0]),
        reference_only=_linear(("reference_term_recall",), [10.0]),
        partial=0.8, covered=1.4, **NO_UNCERTAINTY,
    )
    row = _row(rule_status=2.0)
    credit = combination.concept_credit(_signals(row, 1.0))
    assert credit.tolist() == [2.0]
    assert combination.grades(_signals(row, 1.0), credit) == (10.0, 10.0)
    assert combination.grades(_signals(row, 0.2), credit) == (10.0, 2.0)


def test_a_grade_under_what_the_reference_terms_alone_can_give_is_no_disagreement():
    """An "I don't know" grades 0 combined and the floor of the terms-only opinion (its grade with no
    model-answer word said): both call it poor, so it must not be marked uncertain."""
    combination = Combination(
        concept=_linear(CONCEPT_SIGNALS, _row(rule_status=1.0)),
        overall=_linear(ANSWER_SIGNALS, [5.0, 0, 0, 0, 0]),
        reference_only=_linear(("reference_term_recall",), [10.0], intercept=2.0),  # the floor: 2 grade points
        partial=0.8, covered=1.4, **NO_UNCERTAINTY,
    )
    assert combination.disagreement(0.0, 2.0) == 0.0
    assert combination.disagreement(0.0, 3.5) == pytest.approx(1.5)  # some of the model answer's words: it counts
    assert combination.disagreement(8.0, 5.0) == pytest.approx(3.0)
    assert combination.disagreement(5.0, 8.0) == pytest.approx(3.0)


def test_the_expected_error_grows_with_disagreement_and_nearness_to_the_middle_and_sets_the_confidence():
    """Expected error = 10 + 2 x disagreement + 0.1 x closeness to the middle; uncertain past 15."""
    combination = Combination(
        concept=_linear(CONCEPT_SIGNALS, _row(rule_status=1.0)),
        overall=_linear(ANSWER_SIGNALS, [5.0, 0, 0, 0, 0]),
        reference_only=_linear(("reference_term_recall",), [10.0]),
        partial=0.8, covered=1.4,
        uncertainty=_linear(UNCERTAINTY_SIGNALS, [2.0, 0.1], intercept=10.0), uncertain_error=15.0,
    )
    assert closeness_to_middle(np.array([0.0, 5.0, 8.0, 10.0])).tolist() == [0.0, 50.0, 20.0, 0.0]
    assert combination.expected_error(10.0, 10.0) == pytest.approx(10.0)  # agreeing, at the top
    assert combination.expected_error(5.0, 5.0) == pytest.approx(15.0)  # agreeing, in the middle
    assert combination.expected_error(8.0, 5.0) == pytest.approx(10.0 + 6.0 + 2.0)
    assert combination.confidence(10.0) == 1.0 and combination.confidence(15.0) == pytest.approx(0.5)
    assert combination.confidence(20.0) == 0.0 and combination.confidence(40.0) == 0.0


def test_a_fitted_uncertainty_marks_its_share_of_the_training_answers():
    rng = np.random.default_rng(3)
    answers = []
    for _ in range(200):
        credit, recall = rng.uniform(0, 2), rng.uniform(0, 0.6)
        signals = AnswerSignals(("c",), (1.0,), np.array([_row(rule_status=credit, key_term_recall=recall)]),
                                np.array([recall, 3.0, 0.0, 0.0]), (-1,))
        answers.append(TrainingAnswer(signals, (credit,), float(np.clip(4 * credit + rng.normal(0, 1.5), 0, 10)), "q"))
    fitted = fit_combination(answers, uncertain_share=0.2)
    assert all(w >= 0 for w in fitted.uncertainty.weights)
    expected = []
    for answer in answers:
        credit = fitted.concept_credit(answer.signals)
        expected.append(fitted.expected_error(*fitted.grades(answer.signals, credit)))
    assert 0.1 <= np.mean(np.array(expected) > fitted.uncertain_error) <= 0.3


def test_the_shipped_combination_loads_and_its_grade_rises_with_concept_credit():
    combination = shipped_combination()
    assert combination.points_per_credit > 0
    assert 0 < combination.partial < combination.covered <= 2


def test_a_contradiction_found_by_the_rules_lowers_a_concept_without_zeroing_it():
    combination = shipped_combination()
    strong = _row(exemplar_similarity=0.85, exemplar_similarity_mean=0.75, description_similarity=0.8,
                  rule_status=2.0, rule_similarity=0.8, length=4.0, key_term_recall=0.5)
    contradicted = [*strong]
    contradicted[RULE_STATUS], contradicted[CONCEPT_SIGNALS.index("rule_similarity")] = -1.0, 0.0
    credit_strong = combination.concept.predict(np.array([strong]))[0]
    credit_contradicted = combination.concept.predict(np.array([contradicted]))[0]
    assert credit_contradicted < credit_strong
    assert credit_contradicted > 0.2 * credit_strong


@pytest.mark.parametrize(("text", "message"), [
    ("- 1", "expected a mapping"),
    ("partial: x\ncovered: 1\nuncertain_error: 1", "must be numbers"),
    ("partial: 1\ncovered: 1\nuncertain_error: 1", "misconception_margin must be numbers"),
    ("partial: 1\ncovered: 1\nuncertain_error: 1\nmisconception_margin: 0.1\nconcept: {intercept: 0, signals: {a: {}}}",
     "concept.signals: expected"),
])
def test_a_broken_combination_file_names_what_is_wrong(text, message):
    with pytest.raises(CombinationError, match=message):
        parse_combination(text, "combination.yaml")


def _training(flagged, labelled):
    return TrainingAnswer(_signals(_row(), 0.0), (np.nan,), 5.0, "q", tuple(flagged), frozenset(labelled))


def test_the_concept_cuts_agree_with_the_graders_beyond_chance_not_by_f1():
    """Nine of twelve concepts present, three of them at credits among the absent ones' (0.45-0.58). F1 cuts
    at 0.5 (0.90: every present one marked, two absent ones with them); Cohen's kappa cuts above 0.58 (0.50
    against 0.43 at 0.5): marking every concept present agrees no better than chance."""
    from genco_interview.scoring.combination import _best_threshold, _kappa

    credit = np.array([0.45, 0.55, 0.58, 0.5, 0.5, 0.5, *[1.2] * 6])
    truth = np.array([False] * 3 + [True] * 9)
    assert _best_threshold(credit, truth) == pytest.approx(0.6)  # the smallest of the equally good cuts
    assert _kappa(truth, truth) == 1.0 and _kappa(np.ones(12, bool), truth) == 0.0


def test_the_misconception_margin_is_the_cut_that_agrees_best_with_the_graders():
    answers = [
        _training([("wrong", 0.15)], ["wrong"]),       # a clear flag the grader agrees with
        _training([("wrong", 0.09)], ["wrong"]),       # a real one, found by a small margin
        _training([("wrong", 0.03)], []),              # near ties on correct answers...
        _training([("other", 0.05)], []),
        _training([("wrong", 0.01)], []),
    ]
    assert best_margin(answers) == pytest.approx(0.06)
    assert best_margin([_training([], [])]) == 0.0  # nothing to agree on: every flag is shown


def test_a_card_shows_only_the_misconceptions_clear_of_every_correct_claim():
    def hit(name, margin):
        return MisconceptionHit(name, "", "", 0.0, 0.7, "", margin=margin)

    shown = replace(shipped_combination(), misconception_margin=0.1).shown([hit("near_tie", 0.04), hit("clear", 0.2)])
    assert [h.id for h in shown] == ["clear"]
