"""Similarity as small pure functions over unit-normalised vectors (as sentence-transformers' util does).

Token alignment follows BERTScore (Zhang et al., 2020, "BERTScore: Evaluating Text Generation
with BERT", ICLR): each content word piece of one text is matched to its most similar piece of
the other, and the matches are averaged (recall when the reference is the first text).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..embedding import TokenVectors
from ..segment import content_words

_SPECIAL_TOKENS = frozenset({"[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>"})


def lexical_overlap(units: Sequence[frozenset[str]], exemplars: Sequence[frozenset[str]]) -> np.ndarray:
    """Share of each exemplar's content words that a unit states (units x exemplars)."""
    out = np.zeros((len(units), len(exemplars)))
    for j, ex in enumerate(exemplars):
        if ex:
            out[:, j] = [len(u & ex) / len(ex) for u in units]
    return out


def _token_words(tokens: Sequence[str]) -> list[str]:
    """The whole word each word piece belongs to ("eva", "##por", "##ated" -> "evaporated" three times)."""
    spans: list[list[int]] = []
    for index, token in enumerate(tokens):
        if token.startswith("##") and spans:
            spans[-1].append(index)
        else:
            spans.append([index])
    out = [""] * len(tokens)
    for span in spans:
        word = "".join(tokens[i].removeprefix("##") for i in span)
        for i in span:
            out[i] = word
    return out


def content_token_mask(tokens: Sequence[str], drop: frozenset[str] = frozenset()) -> np.ndarray:
    """Word pieces of content words not in `drop`.

    A text with no content word at all ("I don't know") keeps every real piece; one whose content
    words are all in `drop` keeps none: it only restates the question.
    """
    real = np.array([t not in _SPECIAL_TOKENS for t in tokens], dtype=bool)
    words = _token_words(tokens)
    content = np.array([bool(content_words(w)) for w in words], dtype=bool) & real
    if not content.any():
        return real
    return content & np.array([bool(content_words(w, drop)) for w in words], dtype=bool)


def token_recall(reference: TokenVectors, answer: TokenVectors, drop: frozenset[str]) -> float:
    """Mean over the reference's content pieces of the best cosine with an answer piece (BERTScore recall).

    `drop` holds the question's words: restating the question is not answering it (question
    demoting), unless the reference says nothing else, and then nothing is dropped.
    """
    if not content_token_mask(reference.tokens, drop).any():
        drop = frozenset()
    ref_mask = content_token_mask(reference.tokens, drop)
    ans_mask = content_token_mask(answer.tokens, drop)
    if not ans_mask.any() or not ref_mask.any():
        return 0.0
    sims = reference.vectors[ref_mask] @ answer.vectors[ans_mask].T
    return float(sims.max(axis=1).mean())


def alignment_score(recall: float, floor: float) -> float:
    """Token recall onto 0-1: at or below `floor` (default 0, a cosine of unrelated text) it scores nothing."""
    return float(np.clip((recall - floor) / (1.0 - floor), 0.0, 1.0))


