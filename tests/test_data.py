"""The graded data set stays consistent with the rubric it grades against."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import load_graded
from genco_interview.rubric import find

KEYS = {"id", "depth", "kind", "answer", "overall", "concepts", "misconceptions"}
MINIMUMS = {"good": 10, "partial": 8, "misconception": 6, "negation": 5, "swapped": 5,
            "salad": 4, "off-topic": 4, "code-only": 3, "dont-know": 3}
ROWS = load_graded()


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_row_matches_the_rubric(row):
    rubric = find("coroutine-vs-generator")
    assert set(row) == KEYS
    expected = {concept_id for concept_id, _ in rubric.depth(row["depth"]).concepts}
    assert set(row["concepts"]) == expected
    assert set(row["concepts"].values()) <= {0, 1, 2}
    assert set(row["misconceptions"]) <= {m.id for m in rubric.misconceptions}
    assert 0 <= row["overall"] <= 10 and row["answer"].strip()


def test_ids_are_unique_and_every_kind_has_its_minimum():
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    counts = Counter(r["kind"] for r in ROWS)
    assert all(counts[kind] >= minimum for kind, minimum in MINIMUMS.items()), counts
