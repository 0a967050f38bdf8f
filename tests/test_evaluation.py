"""Agreement metrics against values worked out by hand (tiny file: tests/fixtures/labeled/tiny.jsonl)."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

from genco_interview.answers import InputError
from genco_interview.card import ConceptResult, MisconceptionHit, ScoreCard
from genco_interview.evaluation.metrics import (
    agreement,
    check_labels,
    confident_agreement,
    linear_grade,
    mean_absolute_error,
    parse_labeled,
    pearson,
    prf,
    quadratic_weighted_kappa,
    ranks,
    spearman,
)

from rubric_helpers import TINY_ID, tiny_rubric

TINY = Path(__file__).parent / "fixtures" / "labeled" / "tiny.jsonl"


def card(score: float, statuses: dict[str, str], found: tuple[str, ...] = ()) -> ScoreCard:
    concepts = [ConceptResult(id=cid, name=cid, weight=1, status=s, score=0, similarity=0, evidence=None, description="")
                for cid, s in statuses.items()]
    hits = [MisconceptionHit(id=m, description="", correction="", penalty=0, similarity=0, evidence="") for m in found]
    return ScoreCard(question="q", depth="quick", score=score, concepts=concepts, misconceptions=hits, model="fake")


TINY_CARDS = [
    card(10, {"driver": "missing", "one_vs_many": "partial"}, ("iterate_coroutine",)),
    card(40, {"driver": "covered", "one_vs_many": "partial"}, ("coroutines_are_threads",)),
    card(90, {"driver": "covered", "one_vs_many": "covered"}),
    card(60, {"driver": "partial", "one_vs_many": "missing"}),
]


@pytest.fixture
def tiny():
    rows = parse_labeled(TINY.read_text(encoding="utf-8"), str(TINY))
    return agreement(rows, TINY_CARDS, [linear_grade(10)(c.score) for c in TINY_CARDS], 10)


def test_tiny_file_correlations_match_hand_computed(tiny):
    assert tiny["answers"] == 4
    assert tiny["pearson"] == pytest.approx(400 / math.sqrt(50 * 3400))
    assert tiny["spearman"] == pytest.approx(4.5 / math.sqrt(4.5 * 5))


def test_tiny_file_kappa_and_mae_after_linear_mapping(tiny):
    assert tiny["mae"] == pytest.approx(1.0)  # grades 1, 4, 9, 6 against 0, 5, 10, 5
    assert tiny["qwk"] == pytest.approx(1 - 0.04 / 0.84)


def test_tiny_file_concept_precision_recall(tiny):
    driver, one_vs_many = tiny["concepts"]["driver"], tiny["concepts"]["one_vs_many"]
    assert (driver["precision"], driver["recall"], driver["f1"], driver["support"]) == pytest.approx((2 / 3, 1, 0.8, 2))
    assert (one_vs_many["precision"], one_vs_many["recall"], one_vs_many["f1"]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_tiny_file_concept_marks_kappa(tiny):
    """Marks 0/1/2 (missing, partial, covered) against the graders' 0-2 over the eight graded concepts:
    observed weighted disagreement 1.5 (two 0-vs-1, one 2-vs-0), 2.9375 expected by chance."""
    assert tiny["concept_qwk"] == pytest.approx(1 - 1.5 / 2.9375)


def test_tiny_file_misconceptions_and_kinds(tiny):
    assert (tiny["misconceptions"]["precision"], tiny["misconceptions"]["recall"]) == (0.5, 0.5)
    assert tiny["kinds"] == {"bad": {"n": 1, "mean_score": 10.0, "mean_grade": 0.0},
                             "good": {"n": 1, "mean_score": 90.0, "mean_grade": 10.0},
                             "mid": {"n": 2, "mean_score": 50.0, "mean_grade": 5.0}}


def test_kind_ratios_of_scores_and_of_grades(tiny):
    from genco_interview.evaluation.metrics import kind_ratios

    assert kind_ratios(tiny["kinds"]) == pytest.approx({"bad": 1 / 9, "good": 1.0, "mid": 5 / 9})
    assert kind_ratios(tiny["kinds"], field="mean_grade") == pytest.approx({"bad": 0.0, "good": 1.0, "mid": 0.5})
    assert kind_ratios(tiny["kinds"], reference="excellent") == {}


def test_misconception_figures_count_only_rows_that_label_misconceptions():
    from genco_interview.evaluation.metrics import misconception_agreement

    hit = MisconceptionHit(id="threads", description="d", correction="c", penalty=5, similarity=0.8, evidence="e")
    card = ScoreCard(question="q", depth="quick", score=50, concepts=[], misconceptions=[hit], model="m")
    unlabelled, extra = parse_labeled('{"answer": "x", "overall": 3, "note": "a grader\'s remark"}\n'
                                      '{"answer": "x", "overall": 3, "misconceptions": []}\n', "g.jsonl")
    assert math.isnan(misconception_agreement([unlabelled], [card])["precision"])
    assert misconception_agreement([unlabelled, extra], [card, card])["precision"] == 0.0


@pytest.mark.parametrize(("row", "problem"), [
    ('{"answer": "x", "overall": null}', "field 'overall' must be a finite number, got null"),
    ('{"answer": "x", "overall": true}', "field 'overall' must be a finite number, got true"),
    ('{"answer": "x", "overall": "7"}', "field 'overall' must be a finite number, got \"7\""),
    ('{"answer": null, "overall": 5}', "field 'answer' must be a text, got null"),
    ('{"answer": "x", "overall": 5, "id": {"a": 1}}',  # read as the id "{'a': 1}"; `score --input` refused it
     "field 'id' must be a string or an integer written without a decimal point"),
    ('{"answer": "x", "overall": 5, "id": 1.5}', "field 'id' must be a string or an integer written without a "
                                                 "decimal point, not 1.5"),
    ('{"answer": "x", "overall": 5, "question": null, "depth": null, "id": null}', None),
])
def test_a_null_label_or_answer_is_refused_in_one_line_and_a_null_optional_field_is_absent(row, problem):
    if problem is None:
        (read,) = parse_labeled(row + "\n", "g.jsonl")
        assert read.question is None and read.depth is None and read.id == "1"  # the line's number, not "None"
        return
    with pytest.raises(InputError) as caught:
        parse_labeled(row + "\n", "g.jsonl")
    assert str(caught.value) == f"g.jsonl:1: {problem}"


def test_pearson_by_hand_and_constant_side():
    assert pearson([1, 2, 3], [2, 4, 7]) == pytest.approx(5 / math.sqrt(2 * (38 / 3)))
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))


def test_ranks_share_ties_and_spearman_uses_them():
    assert ranks([10, 20, 20, 30]).tolist() == [1, 2.5, 2.5, 4]
    assert spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)


def test_kappa_by_hand_and_perfect_agreement():
    assert quadratic_weighted_kappa([0, 1, 2], [0, 2, 2], 0, 2) == pytest.approx(0.8)
    assert quadratic_weighted_kappa([0, 1, 2], [0, 1, 2], 0, 2) == pytest.approx(1.0)
    assert math.isnan(quadratic_weighted_kappa([2, 2, 2], [0, 1, 2], 0, 2))  # one grade throughout: n/a, not 0
    assert math.isnan(quadratic_weighted_kappa([0, 1, 2], [1, 1, 1], 0, 2))


def test_half_grades_count_in_the_level_above_whatever_its_parity() -> None:
    """Python's round() counted 8.5 as 8 and 9.5 as 10: two answers half a grade apart on either side
    of the same machine grade agreed unevenly."""
    from genco_interview.evaluation.metrics import grade_level

    assert [grade_level(g) for g in (8.5, 9.5, 0.5, 8.49, 2.0)] == [9, 10, 1, 8, 2]
    rows = parse_labeled('{"answer": "x", "overall": 8.5}\n{"answer": "y", "overall": 2}', "g.jsonl")
    figures = agreement(rows, [card(90, {}), card(20, {})], [9, 2], 10)
    assert figures["qwk"] == pytest.approx(1.0)  # 8.5 is level 9, where the machine put it


def test_mean_absolute_error():
    assert mean_absolute_error([0, 5, 10], [1, 5, 7]) == pytest.approx(4 / 3)


def test_the_uncertain_flag_is_judged_by_the_error_of_each_group():
    """A flag worth heeding marks the answers with the larger errors; both groups' mean error is reported."""
    rows = parse_labeled(TINY.read_text(encoding="utf-8"), str(TINY))
    cards = [card(c.score, {}) for c in TINY_CARDS]
    cards[0].uncertain = cards[3].uncertain = True
    figures = confident_agreement(rows, cards, 10)
    errors = [abs(c.score - 10 * r.overall) for r, c in zip(rows, cards)]
    assert figures["uncertain_share"] == 0.5
    assert figures["error_uncertain"] == pytest.approx((errors[0] + errors[3]) / 2)
    assert figures["error_confident"] == pytest.approx((errors[1] + errors[2]) / 2)
    assert math.isnan(confident_agreement(rows, [card(c.score, {}) for c in TINY_CARDS], 10)["error_uncertain"])


@pytest.mark.parametrize("line, message", [
    ('{"answer": "x"}', "missing field 'overall'"),
    ('{"overall": 3}', "missing field 'answer'"),
    ('{"answer": "x", "overall": "high"}', "field 'overall' must be"),
    ('{"answer": "x", "overall": 3, "concepts": {"driver": 3}}', "concepts.driver must be 0, 1 or 2"),
    ('{"answer": "x", "overall": 3, "misconceptions": "none"}', "field 'misconceptions' must be a list, got \"none\""),
    ('{"answer": "x", "overall": 3, "misconceptions": [["a"]]}', r"field 'misconceptions' must be a list of misconception "
                                                              r"ids, got \[\[\"a\"\]\]"),
    ('{"answer": "x", "overall": 3, "concepts": [1]}', r"field 'concepts' must be an object, got \[1\]"),
    ('{"answer": "x", "overall": 3, "misconception": ["a"]}', "unknown field 'misconception'; did you mean 'misconceptions'"),
    ('{"answer": "x", "overall": 3, "concept": {"driver": 1}}', "unknown field 'concept'; did you mean 'concepts'"),
    ('{"answer": "x", "overal": 3}', "unknown field 'overal'; did you mean 'overall'"),
    ('{"answer": "x", "overall": 3, "Question": "q"}', "unknown field 'Question'; did you mean 'question'"),
    ('{"answer": "x", "overall": 3, "answr": "y"}', "unknown field 'answr'; did you mean 'answer'"),  # as a batch reads it
    ('{"answer": "x", "overall": 3, "depths": "deep"}', "unknown field 'depths'; did you mean 'depth'"),
    ("[1, 2]", "expected a labeled answer object, got a list; the file must be JSON Lines"),
    ('{"answer": "x", "overall": 3', "malformed JSON"),
])
def test_bad_labeled_lines_name_file_and_line(line, message):
    with pytest.raises(InputError, match=message) as info:
        parse_labeled('{"answer": "fine", "overall": 1}\n' + line, "g.jsonl")
    assert str(info.value).startswith("g.jsonl:2: ")


def test_extra_fields_that_are_no_label_are_kept_out_of_the_figures():
    extra = {"note": "n", "notes": "n", "uid": "u", "overall_2": 4, "questions": 2, "answer_id": 7, "grader": "g"}
    [row] = parse_labeled(json.dumps({"answer": "x", "overall": 3, **extra}) + "\n", "g.jsonl")
    assert (row.answer, row.overall, row.concepts, row.misconceptions_labelled) == ("x", 3.0, {}, False)


def test_empty_labeled_file_is_an_error():
    with pytest.raises(InputError, match="no labeled answers"):
        parse_labeled("\n\n", "g.jsonl")


@pytest.mark.parametrize("line, message", [
    ('{"id": "r1", "answer": "x", "overall": 12}', "overall 12 is outside 0-10 (see --scale)"),
    ('{"answer": "x", "overall": 2, "concepts": {"send_protocol": 1}}', "concept 'send_protocol' is not graded"),
    ('{"answer": "x", "overall": 2, "misconceptions": ["nope"]}', f"unknown misconception 'nope' for {TINY_ID}"),
])
def test_labels_the_rubric_cannot_compare_name_file_and_line(line, message):
    rows = parse_labeled('{"answer": "fine", "overall": 1, "misconceptions": ["same_drink"]}\n\n' + line,
                         "g.jsonl")
    with pytest.raises(InputError) as info:
        check_labels(rows, ["quick", "quick"], tiny_rubric(), 10)
    assert str(info.value).startswith(f"g.jsonl:3: {message}"), str(info.value)


@pytest.mark.parametrize("label", [{"concepts": {"k" * 200_000: 1}}, {"concepts": {"driver": [1] * 20_000}},
                                   {"misconceptions": ["m" * 200_000]}], ids=["concept id", "grade", "misconception"])
def test_a_huge_label_is_cut_in_its_error(label):
    """A 200,000-character concept id was repeated whole in its one-line error, where a question id is cut."""
    with pytest.raises(InputError) as info:
        rows = parse_labeled(json.dumps({"answer": "x", "overall": 2, **label}), "g.jsonl")
        check_labels(rows, ["quick"], tiny_rubric(), 10)
    assert str(info.value).startswith("g.jsonl:1: ") and len(str(info.value)) < 400 and "…" in str(info.value)


def test_f1_that_cannot_be_computed_is_nan_not_zero():
    """Nothing labelled and nothing found: no precision, recall or F1 to speak of, rather than 0."""
    assert all(math.isnan(v) for k, v in prf(0, 0, 0).items() if k not in ("support", "named"))
    assert math.isnan(prf(0, 0, 3)["precision"]) and prf(0, 0, 3)["f1"] == 0.0
    assert math.isnan(prf(0, 2, 0)["recall"]) and prf(0, 2, 0)["f1"] == 0.0


def test_a_precision_of_0_with_nothing_labelled_says_what_genco_named() -> None:
    """"precision 0.00 ... (0 labelled)" read as a failure to label: it is genco naming misconceptions nobody labelled."""
    assert prf(0, 2, 0)["precision"] == 0.0 and (prf(0, 2, 0)["support"], prf(0, 2, 0)["named"]) == (0, 2)


def test_eval_tables_print_n_a_for_f1_that_cannot_be_computed():
    from rich.console import Console

    from genco_interview.views.terminal import render_agreement

    rows = parse_labeled('{"answer": "x", "overall": 1, "concepts": {"driver": 0}}\n'
                         '{"answer": "y", "overall": 2, "concepts": {"driver": 0}}', "g.jsonl")
    cards = [card(10, {"driver": "missing"}), card(20, {"driver": "missing"})]
    console = Console(file=io.StringIO(), record=True, width=120, color_system=None)
    render_agreement(console, {**agreement(rows, cards, [1, 2], 10), "grade_map": ["linear"]}, "g.jsonl")
    text = console.export_text()
    driver = next(line for line in text.splitlines() if "driver" in line)
    assert [cell.strip() for cell in driver.split("│") if cell.strip()][-3:] == ["n/a", "n/a", "n/a"], text
    assert 'Misconceptions: not compared, no row lists the graders\' (a "misconceptions" field)' in text
    labelled = parse_labeled('{"answer": "x", "overall": 1, "concepts": {"driver": 0}, "misconceptions": []}', "g.jsonl")
    console = Console(file=io.StringIO(), record=True, width=120, color_system=None)
    render_agreement(console, {**agreement(labelled, cards[:1], [1], 10), "grade_map": ["linear"]}, "g.jsonl")
    assert "precision n/a, recall n/a, F1 n/a (0 labelled by the graders in 1 row, 0 named by genco there)" in console.export_text()
    assert "0.00" not in text.split("Concepts")[1]


def test_a_labeled_rows_question_and_depth_are_read_in_lower_case() -> None:
    """"depth": "QUICK" was refused as an unknown depth, though `-d QUICK` is the quick depth."""
    from genco_interview.evaluation.metrics import parse_labeled

    row = parse_labeled('{"answer": "x", "overall": 1, "depth": "QUICK", "question": "Coroutine-vs-Generator"}\n', "f.jsonl")[0]
    assert (row.depth, row.question) == ("quick", "coroutine-vs-generator")



def test_a_concept_id_two_questions_use_is_agreed_on_per_question() -> None:
    """A rubric copied under a new id keeps its concepts' ids: `eval` pooled both questions' answers into one row."""
    from dataclasses import replace

    rows = parse_labeled(TINY.read_text(encoding="utf-8"), str(TINY))
    cards = [replace(c, question=q) for c, q in zip(TINY_CARDS, ("mine", "mine", "copy", "copy"))]
    figures = agreement(rows, cards, [linear_grade(10)(c.score) for c in cards], 10)["concepts"]
    assert set(figures) == {"mine:driver", "copy:driver", "mine:one_vs_many", "copy:one_vs_many"}
    assert figures["mine:driver"]["support"] + figures["copy:driver"]["support"] == \
        agreement(rows, TINY_CARDS, [linear_grade(10)(c.score) for c in TINY_CARDS], 10)["concepts"]["driver"]["support"]
