"""Similarity as small pure functions over unit-normalised vectors (as sentence-transformers' util does),
and over the content words of texts.

Token alignment follows BERTScore (Zhang et al., 2020, "BERTScore: Evaluating Text Generation
with BERT", ICLR): each content word piece of one text is matched to its most similar piece of
the other, and the matches are averaged (recall when the reference is the first text).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..embedding import TokenVectors
from ..text.segment import content_words

_SPECIAL_TOKENS = frozenset({"[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>"})


def word_columns(bags: Iterable[frozenset[str]]) -> dict[str, int]:
    """A column for each word of the bags (sorted): the vocabulary word_incidence counts over."""
    return {word: column for column, word in enumerate(sorted(frozenset().union(*bags)))}


def word_incidence(bags: Sequence[frozenset[str]], columns: Mapping[str, int]) -> np.ndarray:
    """(len(bags), len(columns)) of 1.0 where a bag holds the column's word, else 0.0; words
    without a column are left out (they cannot be shared with a bag that has columns for all its words)."""
    out = np.zeros((len(bags), len(columns)))
    for row, bag in zip(out, bags):
        row[[columns[word] for word in bag if word in columns]] = 1.0
    return out


def lexical_overlap(units: np.ndarray, exemplars: np.ndarray) -> np.ndarray:
    """Share of each exemplar's content words that a unit states (units x exemplars), 0 for an
    exemplar without any, from word incidences over one set of columns (word_incidence).

    One matrix product instead of a set intersection per unit and exemplar (the scorer asks this
    some 90 times per answer): the counts are whole numbers, so every share is exactly
    len(unit & exemplar) / len(exemplar).
    """
    shared = units @ exemplars.T
    sizes = exemplars.sum(axis=1)
    return np.divide(shared, sizes, out=np.zeros_like(shared), where=sizes > 0)


def fused_similarity(vectors: np.ndarray, incidence: np.ndarray, exemplar_vectors: np.ndarray,
                     exemplar_incidence: np.ndarray, lexical_weight: float) -> np.ndarray:
    """(texts, exemplars): (1 - w) x cosine + w x lexical overlap, for unit-normalised vectors and
    word incidences over one set of columns. Cosine alone lets a short topical clause ("a coroutine
    is the async def thing") sit close to many exemplars while stating none of their content."""
    w = lexical_weight
    return (1 - w) * (vectors @ exemplar_vectors.T) + w * lexical_overlap(incidence, exemplar_incidence)


def key_terms(groups: Mapping[str, Sequence[str]], drop: frozenset[str] = frozenset()) -> dict[str, dict[str, float]]:
    """Each group's content words (stemmed, see segment.content_words), weighted for that group.

    A group is one concept's texts (its description and exemplars). A word's weight is the share
    of the group's texts that use it times log(1 + groups / groups using it): words every phrasing
    of a concept repeats, and that other concepts of the rubric do not, say most about it (the
    inverse document frequency of Sparck Jones, 1972, over the rubric's concepts). `drop` (the
    question's own words) weighs nothing: every answer repeats them.
    """
    bags = {key: [content_words(text, drop) for text in texts] for key, texts in groups.items()}
    spread = Counter(word for texts in bags.values() for word in frozenset().union(*texts))
    out = {}
    for key, texts in bags.items():
        uses = Counter(word for words in texts for word in words)
        out[key] = {word: count / len(texts) * math.log(1 + len(bags) / spread[word]) for word, count in uses.items()}
    return out


def term_recall(weights: Mapping[str, float], words: frozenset[str]) -> float:
    """Weighted share (0-1) of the terms in `weights` that `words` contains; 0 when there are none.
    Summed with math.fsum, exact whatever the order: the terms come from sets, whose order changes
    with each process's string hashing, and a share must not differ in its last bits from run to run."""
    total = math.fsum(weights.values())
    return math.fsum(w for term, w in weights.items() if term in words) / total if total > 0 else 0.0


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


def identifier_parts(words: frozenset[str]) -> frozenset[str]:
    """The parts of identifiers among `words` ("lru" and "cache" of "lru_cache"): the tokenizer gives an
    identifier's pieces as words of their own, so "What does functools.lru_cache do?" restated kept them."""
    return frozenset().union(*(content_words(w.replace("_", " ")) for w in words if "_" in w))


def token_recall(reference: TokenVectors, answer: TokenVectors, drop: frozenset[str]) -> float:
    """Mean over the reference's content pieces of the best cosine with an answer piece (BERTScore recall).

    `drop` holds the question's words, an identifier's parts with it (identifier_parts): restating the
    question is not answering it (question demoting), unless the reference says nothing else, and then
    nothing is dropped.
    """
    drop = drop | identifier_parts(drop)
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


