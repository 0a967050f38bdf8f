"""Key terms: which words of a concept's texts say most about it, and how much of them an answer uses."""

from __future__ import annotations

import math

import pytest

from genco_interview.scoring.signals import answer_terms, looks_like_a_list
from genco_interview.scoring.similarity import key_terms, term_recall

CONCEPTS = {
    "driver": ["The caller pulls a value with next.", "A for loop pulls each value.", "next() pulls a value."],
    "result": ["An awaited coroutine returns one value.", "await gives the single return value."],
}


def test_a_word_every_phrasing_repeats_and_no_other_concept_uses_weighs_most():
    weights = key_terms(CONCEPTS)["driver"]
    assert weights["pull"] == pytest.approx(math.log(1 + 2 / 1))  # in all three texts, in one concept of two
    assert weights["value"] == pytest.approx(math.log(1 + 2 / 2))  # in every text, but in both concepts
    assert weights["caller"] == pytest.approx(math.log(1 + 2 / 1) / 3)  # in one text of three
    assert max(weights, key=weights.get) == "pull"


def test_the_questions_words_weigh_nothing():
    assert "value" not in key_terms(CONCEPTS, drop=frozenset({"value"}))["driver"]


def test_term_recall_is_the_weighted_share_of_terms_used():
    weights = {"pull": 3.0, "next": 1.0}
    assert term_recall(weights, frozenset({"pull"})) == pytest.approx(0.75)
    assert term_recall(weights, frozenset({"pull", "next", "other"})) == pytest.approx(1.0)
    assert term_recall(weights, frozenset()) == 0.0
    assert term_recall({}, frozenset({"pull"})) == 0.0


def test_answer_terms_are_stemmed_and_spell_out_abbreviations():
    said = answer_terms("gen pulls vals; coro awaits")
    assert {"pull", "await"} <= said
    assert "generator" in said and "coroutine" in said


def test_a_list_of_terms_reads_as_a_list_and_prose_or_a_short_note_does_not():
    assert looks_like_a_list("yield generator next for loop values lazily coroutine async def await event loop")
    assert not looks_like_a_list("A generator is driven by a for loop, and a coroutine is awaited by the event loop.")
    assert not looks_like_a_list("yield vs await")  # too short to judge by its words
    # terms between commas, some with a function word of their own ("for loop", "sequence of values")
    listed = ("generator, coroutine, yield, await, async def, event loop, for loop, next(), asyncio.run, suspension, "
              "frame, sequence of values, one result, async generator, async for, TypeError")
    assert looks_like_a_list(listed)
    assert not looks_like_a_list("A generator supports send, throw and close, next, and iteration over its values.")
