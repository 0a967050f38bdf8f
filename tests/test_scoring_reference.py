"""Reference alignment: word-piece masks, question demoting and token recall, on hand-made vectors."""

from __future__ import annotations

import numpy as np
import pytest

from genco_interview.embedding import TokenVectors
from genco_interview.scoring import alignment_score, content_token_mask, token_recall


def tokens(*pieces: str, vectors: list[list[float]]) -> TokenVectors:
    v = np.array(vectors, dtype=np.float32)
    return TokenVectors(tuple(pieces), v / np.linalg.norm(v, axis=1, keepdims=True))


def test_mask_keeps_content_word_pieces_and_drops_question_words():
    pieces = ["[CLS]", "the", "water", "eva", "##por", "##ated", "[SEP]"]
    assert content_token_mask(pieces).tolist() == [False, False, True, True, True, True, False]
    assert content_token_mask(pieces, frozenset({"water"})).tolist() == [False, False, False, True, True, True, False]


def test_mask_falls_back_to_every_real_piece():
    assert content_token_mask(["[CLS]", "it", "is", "[SEP]"]).tolist() == [False, True, True, False]


E1, E2, E3 = [1, 0, 0], [0, 1, 0], [0, 0, 1]


def test_token_recall_is_the_mean_best_match_of_reference_pieces():
    reference = tokens("[CLS]", "salt", "left", "[SEP]", vectors=[E3, E1, E2, E3])
    answer = tokens("[CLS]", "salt", "remains", "[SEP]", vectors=[E3, E1, [0, 0.6, 0.8], E3])
    # salt matches salt (1.0); left's best is remains (0.6): mean 0.8
    assert token_recall(reference, answer, frozenset()) == pytest.approx(0.8)


def test_question_words_earn_nothing():
    reference = tokens("salt", "evaporate", vectors=[E1, E2])
    echo = tokens("salt", vectors=[E1])
    assert token_recall(reference, echo, frozenset()) == pytest.approx(0.5)
    assert token_recall(reference, echo, frozenset({"salt"})) == pytest.approx(0.0)


def test_the_pieces_of_an_identifier_in_the_question_earn_nothing():
    """The tokenizer gives "lru_cache" as "lru", "_", "cache": the question's word dropped none of them."""
    reference = tokens("lr", "##u", "_", "cache", "memo", "##izes", vectors=[E1, E1, E3, E2, E3, E3])
    echo = tokens("lr", "##u", "_", "cache", vectors=[E1, E1, E1, E2])
    assert token_recall(reference, echo, frozenset()) == pytest.approx(0.5)
    assert token_recall(reference, echo, frozenset({"lru_cache"})) == pytest.approx(0.0)


def test_a_reference_made_of_question_words_drops_nothing():
    reference = tokens("main", "function", vectors=[E1, E2])
    answer = tokens("main", vectors=[E1])
    assert token_recall(reference, answer, frozenset({"main", "function"})) == pytest.approx(0.5)


def test_mask_of_a_pure_question_echo_is_empty():
    assert not content_token_mask(["[CLS]", "a", "variable", "[SEP]"], frozenset({"variable"})).any()


@pytest.mark.parametrize("recall, floor, expected", [(0.5, 0.0, 0.5), (0.5, 0.5, 0.0), (0.75, 0.5, 0.5), (-0.1, 0.0, 0.0)])
def test_alignment_score_maps_floor_to_zero(recall, floor, expected):
    assert alignment_score(recall, floor) == pytest.approx(expected)
