"""bench/asag.py: metric functions against hand-computed values, and a smoke run on a tiny fixture."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "asag"


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_asag", ROOT / "bench" / "asag.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_asag"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


asag = _load_bench()


def test_pearson_and_rmse_by_hand():
    # x = 1,2,3; y = 1,3,2: covariance 0.5*2/3... r = 0.5 (sum dx*dy = 1, sum dx^2 = 2, sum dy^2 = 2)
    assert asag.pearson([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5)
    assert asag.pearson([1, 1, 1], [1, 2, 3]) == 0.0
    # errors 0, 1, -1 -> sqrt(2/3)
    assert asag.rmse([1, 2, 3], [1, 3, 2]) == pytest.approx((2 / 3) ** 0.5)


def test_loqo_map_fits_on_the_other_questions_only():
    # question a: grade = 2*score; question b: grade = 2*score + 1 (on its own, a different line).
    scores = [0, 1, 0, 1, 0.5]
    grades = [0, 2, 1, 3, 2]
    groups = ["a", "a", "b", "b", "c"]
    mapped = asag.loqo_linear_map(scores, grades, groups)
    # Held-out "c" is mapped by the line through a and b's four points: slope 2, intercept 0.5 -> 1.5.
    assert mapped[4] == pytest.approx(1.5)
    # Held-out "a": fit on b (0,1),(1,3) and c (0.5,2): the line 2x + 1, so a's points map to 1 and 3.
    assert mapped[:2] == pytest.approx([1, 3])


def test_loqo_map_clips_to_the_grade_scale():
    mapped = asag.loqo_linear_map([0, 10, 0, 10, 20], [0, 5, 0, 5, 5], ["a", "a", "b", "b", "c"])
    assert mapped.max() <= 5.0 and mapped.min() >= 0.0


def test_median_question_pearson_skips_constant_questions():
    scores = [1, 2, 3, 1, 2, 3, 5, 5]
    grades = [1, 2, 3, 3, 2, 1, 4, 5]
    assert asag.median_group_pearson(scores, grades, list("aaabbbcc")) == pytest.approx(0.0)  # median of 1, -1


def test_f1_scores_by_hand():
    truth = ["correct", "correct", "incorrect", "incorrect", "contradictory"]
    predicted = ["correct", "incorrect", "incorrect", "correct", "incorrect"]
    macro, weighted = asag.f1_scores(truth, predicted, asag.LABELS_3WAY)
    # correct: tp1 fp1 fn1 -> 0.5; incorrect: tp1 fp2 fn1 -> 0.4; contradictory: 0
    assert macro == pytest.approx((0.5 + 0.4 + 0) / 3)
    assert weighted == pytest.approx((2 * 0.5 + 2 * 0.4 + 0) / 5)


def test_fit_bands_separates_a_clean_split():
    scores = np.array([0.1, 0.2, 0.5, 0.6, 0.9, 0.95])
    truth = ["incorrect", "incorrect", "contradictory", "contradictory", "correct", "correct"]
    thresholds, order = asag.fit_bands(scores, truth, asag.LABELS_3WAY)
    assert list(asag.classify(scores, thresholds, order)) == truth


@pytest.mark.slow
@pytest.mark.parametrize("dataset, keys", [
    ("mohler", {"pearson", "rmse", "median_question_pearson"}),
    ("scientsbank", {"splits"}),
])
def test_smoke_run_on_the_fixture(dataset, keys, real_model_cli, capsys):
    asag.main([dataset, "--data", str(FIXTURES / dataset), "--json"])
    out = capsys.readouterr()
    result = json.loads(out.out.strip().splitlines()[-1])
    assert keys <= set(result)
    assert "embedding answer parts" in out.err
    if dataset == "mohler":
        assert result["answers"] == 12  # the row outside the standard set is left out
        assert -1 <= result["pearson"] <= 1 and 0 <= result["rmse"] <= 5
        assert result["pearson"] > 0.5  # the fixture's right answers are plainly right
    else:
        split = result["splits"]["test-unseen-answers"]
        assert set(split) >= {"macro_f1_2way", "macro_f1_3way", "weighted_f1_3way"}
        assert all(0 <= split[k] <= 1 for k in ("macro_f1_2way", "macro_f1_3way", "weighted_f1_3way"))
    assert set(result["peers"]) == {"TF-IDF cosine (peer)", "MiniLM whole-answer cosine (peer)"}
