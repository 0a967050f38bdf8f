"""The graded data sets stay consistent with the rubrics they grade against."""

from __future__ import annotations

from collections import Counter

import pytest

from genco_interview.rubric import find

from conftest import GRADED_IDS, load_graded

KEYS = {"id", "depth", "kind", "answer", "overall", "concepts", "misconceptions"}
MINIMUMS = {"good": 10, "partial": 8, "misconception": 6, "negation": 5, "swapped": 5,
            "salad": 4, "off-topic": 4, "code-only": 3, "dont-know": 3}
ROWS = load_graded()
BANK_KINDS = {"good", "partial", "misconception"}
ADVERSARIAL = {"negation", "swapped", "salad", "off-topic", "dont-know"}
ALL_ROWS = [(rubric_id, row) for rubric_id in GRADED_IDS for row in load_graded(rubric_id)]


@pytest.mark.parametrize(("rubric_id", "row"), ALL_ROWS, ids=lambda v: v if isinstance(v, str) else v["id"])
def test_row_matches_the_rubric(rubric_id, row):
    rubric = find(rubric_id)
    assert set(row) == KEYS
    expected = {concept_id for concept_id, _ in rubric.depth(row["depth"]).concepts}
    assert set(row["concepts"]) == expected
    assert set(row["concepts"].values()) <= {0, 1, 2}
    assert set(row["misconceptions"]) <= {m.id for m in rubric.misconceptions}
    assert 0 <= row["overall"] <= 10 and row["answer"].strip()


def test_every_shipped_rubric_has_a_graded_set():
    from genco_interview.rubric import discover

    assert GRADED_IDS == [r.id for r in discover()]


def test_flagship_ids_are_unique_and_every_kind_has_its_minimum():
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    counts = Counter(r["kind"] for r in ROWS)
    assert all(counts[kind] >= minimum for kind, minimum in MINIMUMS.items()), counts


@pytest.mark.parametrize("rubric_id", [i for i in GRADED_IDS if i != "coroutine-vs-generator"])
def test_bank_sets_are_big_and_mixed(rubric_id):
    rows = load_graded(rubric_id)
    kinds = Counter(r["kind"] for r in rows)
    assert len(rows) >= 10 and len({r["id"] for r in rows}) == len(rows)
    assert BANK_KINDS <= set(kinds) and len(ADVERSARIAL & set(kinds)) >= 4, kinds
    assert {r["depth"] for r in rows if r["kind"] == "good"} == {"quick", "detailed", "deep"}
