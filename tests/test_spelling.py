"""Misspelt domain words are read as the rubric's word; English words and ambiguous typos are left alone."""

from __future__ import annotations

import pytest

from genco_interview.text.spelling import Speller, english_words, one_edit_apart


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("corutine", "coroutine", True),     # a letter left out
    ("generatorr", "generator", True),   # one too many
    ("generater", "generator", True),    # one substituted
    ("genrtaor", "generator", False),    # two edits
    ("generaotr", "generator", True),    # neighbours swapped
    ("generator", "generator", False),   # the same word needs no edit
    ("gen", "generator", False),
])
def test_one_edit_apart(a: str, b: str, apart: bool) -> None:
    assert one_edit_apart(a, b) is apart
    assert one_edit_apart(b, a) is apart


def test_typos_are_read_as_the_rubric_word_keeping_capitals() -> None:
    speller = Speller(["coroutine", "generator", "mechanism"])
    assert speller.correct("Corutine and generater share a mechanizm.") == \
        "Coroutine and generator share a mechanism."


def test_known_words_short_words_and_other_initials_are_kept() -> None:
    speller = Speller(["asynchronous", "coroutine"], known=frozenset({"synchronous"}))
    assert speller.correct("synchronous code") == "synchronous code"   # an English word, not a typo
    assert speller.correct("ssynchronous") == "ssynchronous"            # a different first letter
    assert speller.correct("coro") == "coro"                            # under five letters


def test_an_ambiguous_typo_is_left_as_typed() -> None:
    speller = Speller(["sender", "sends"])
    assert speller.fix("sendr") is None   # one edit from both


def test_the_english_list_is_the_bundled_vocabulary() -> None:
    words = english_words()
    assert {"function", "value", "loop"} <= words and "corutine" not in words
