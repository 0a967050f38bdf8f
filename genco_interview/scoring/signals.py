"""Signals: the separate pieces of evidence an answer gives about each concept and about itself.

No single signal decides a score. Each one carries part of the truth and fails in its own way
(sentence similarity rewards topical words, token alignment rewards long answers, the concept
rules misread negation and swapped roles), so the combination (see combination.py) weighs them
with weights fitted across questions. Everything here is pure numpy over plain data.

Concept signals, one row per concept (names in CONCEPT_SIGNALS):
  exemplar_similarity       best cosine of any answer part with any of the concept's exemplars
  exemplar_similarity_mean  per exemplar the best part, averaged: how many phrasings are met
  description_similarity    best cosine of any answer part with the concept's description
  rule_status               the concept rules' mark: 2 covered, 1 partial, 0 missing, -1 contradicted
  rule_similarity           the similarity behind that mark
  length                    log(1 + distinct content words in the answer)
  key_term_recall           weighted share of the concept's key terms the answer uses (similarity.key_terms)

Answer signals (names in ANSWER_SIGNALS): the weighted concept credit, reference_term_recall (the
share of the depth's model answer's content words, less the question's, that the answer uses),
length, misconception_lead (how far the sentence behind the surest misconception the rules flag
is closer to it than to any correct claim; 0 when none is flagged, so an answer never gains from
being far from every misconception, as a one-line "I don't know" is), and mostly_code (how much
of the answer, past half of it, is code: the sentence model cannot read a claim that code
demonstrates, which graders credit).

Words and sentences fail differently: a sentence embedding hears the topic but not which terms
were said, so terse notes, code comments and non-native English lose credit that their terms
carry; the terms alone cannot tell a claim from its denial, which the sentences' rule marks and
the misconception signal weigh. Token alignment (BERTScore) of the description and the model
answer was a signal too; beside the term recalls it lowered agreement out of question
(docs/scoring.md), and dropping it spares the model a second pass over every answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..card import ConceptResult, MisconceptionHit, Status
from ..text.lexicon import stopwords
from ..text.reading import expand_abbreviations
from ..text.segment import MAX_CHARS, code_share, content_words, list_items
from ..text.segment import words as count_words

CONCEPT_SIGNALS = (
    "exemplar_similarity", "exemplar_similarity_mean", "description_similarity",
    "rule_status", "rule_similarity", "length", "key_term_recall",
)
ANSWER_SIGNALS = ("concept_credit", "reference_term_recall", "length", "misconception_lead", "mostly_code")
RULE_STATUS_VALUE = {Status.COVERED: 2.0, Status.PARTIAL: 1.0, Status.MISSING: 0.0, Status.CONTRADICTED: -1.0}


@dataclass(frozen=True)
class ConceptEvidence:
    """What one concept is matched against: its exemplar and description vectors, and how much of its
    key terms the answer, and each of its parts, uses."""

    exemplars: np.ndarray
    """(n_exemplars, dim) unit vectors."""
    description: np.ndarray
    """(dim,) unit vector."""
    key_term_recall: float
    """Weighted share (0-1) of the concept's key terms in the answer."""
    part_term_recall: np.ndarray
    """(n_parts,) the same share in each part of the answer: it picks the sentence shown as evidence."""


@dataclass(frozen=True)
class AnswerSignals:
    """Every signal of one answer at one depth, with the rule card the marks and evidence come from.

    `concepts` is (n_concepts, len(CONCEPT_SIGNALS)); `answer` holds ANSWER_SIGNALS[1:] (the
    concept credit is computed by the combination).
    """

    concept_ids: tuple[str, ...]
    weights: tuple[float, ...]
    concepts: np.ndarray
    answer: np.ndarray
    best_parts: tuple[int, ...]
    """Per concept, the answer part most similar to its exemplars or description (-1: none)."""
    list_like: bool = False
    """Few function words (looks_like_a_list): terms without claims, which the term signals over-credit."""
    unheard: np.ndarray | None = None
    """`concepts` as they would be with no misconception flagged (the sentences that state one earn
    their concepts again), or None when no sentence was set aside: what a dismissed red flag gives back."""

    def answer_signal(self, name: str) -> float:
        """One of ANSWER_SIGNALS[1:] by name (the concept credit is the combination's)."""
        return float(self.answer[_answer_column(name)])


def _answer_column(name: str) -> int:
    """Where an answer signal sits in AnswerSignals.answer, which starts at ANSWER_SIGNALS[1]."""
    return ANSWER_SIGNALS.index(name) - 1


LIST_LIKE_SHARE = 0.1
"""Share of function words under which an answer reads as a list of terms. Prose runs at 0.3-0.5, terse
notes and code at 0.05-0.2, a list of keywords near 0."""
LIST_LIKE_MIN_WORDS = 8
"""Shorter answers are judged by their content alone: too few words for a share to mean anything."""
LIST_MIN_ITEMS = 5
LIST_ITEM_WORDS = 3
"""An answer of at least LIST_MIN_ITEMS items between commas, semicolons, slashes or bars, of at most LIST_ITEM_WORDS
words each on average, is a list too, whatever its function words: "for loop", "async for" and "sequence of
values" lifted a 17-term list over LIST_LIKE_SHARE."""
_WORDS = re.compile(r"[a-z']+")


def looks_like_a_list(answer: str) -> bool:
    """Whether an answer is mostly terms without the function words claims are made with ("is", "the",
    "so", "until"): a keyword list, or the rubric's own words pasted in any order, uses the terms the
    key-term signals reward without stating anything, so its score is marked uncertain. So is one of
    LIST_MIN_ITEMS short items or more between commas, whatever its function words."""
    words = _WORDS.findall(answer[:MAX_CHARS].lower())
    if len(words) < LIST_LIKE_MIN_WORDS:
        return False
    stop = stopwords()
    items = list_items(answer[:MAX_CHARS].strip(" ."))
    return (sum(word in stop for word in words) / len(words) < LIST_LIKE_SHARE
            or (len(items) >= LIST_MIN_ITEMS and sum(map(count_words, items)) / len(items) <= LIST_ITEM_WORDS))


def answer_terms(answer: str) -> frozenset[str]:
    """The content words an answer uses (abbreviations spelt out), read as the key terms are."""
    return content_words(expand_abbreviations(answer[:MAX_CHARS]))


def length_signal(answer: str) -> float:
    """log(1 + distinct content words of the scored text): graders reward saying more, with diminishing
    returns; repeating an answer or padding it with punctuation says nothing more."""
    return math.log1p(len(content_words(answer[:MAX_CHARS])))


def part_similarity(units: np.ndarray, evidence: ConceptEvidence) -> np.ndarray:
    """(n_parts,) each part's cosine to the concept: the nearer of its exemplars and its description."""
    return np.maximum((units @ evidence.exemplars.T).max(axis=1), units @ evidence.description)


def concept_row(units: np.ndarray, evidence: ConceptEvidence, rule: ConceptResult,
                length: float, showable: np.ndarray | None = None, floor: float = -1.0,
                counted: np.ndarray | None = None, elsewhere: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """One concept's signals (order of CONCEPT_SIGNALS) and the index of its best part (-1 if none).

    `units` is (n_parts, dim) unit vectors of the answer's parts; an empty answer has none. The
    best part is the one whose similarity to the concept plus share of its key terms is highest:
    a short sentence that sounds like every concept ("A coroutine is an async def function") is
    close to all of them, so similarity alone would quote it as evidence for each. `showable`
    (n_parts,) bool, if given, limits the choice to parts a reader can be shown as earning the
    concept (not the two-sentence windows, which a quote would cut, nor a part that denies the
    concept). A part is quoted only if it is about the concept: its similarity reaches `floor`
    or it uses one of the concept's key terms ("I like pizza" is no evidence of anything); with
    no such part, the best part is -1. `counted` (n_parts,) bool, if given, leaves out of every
    similarity the parts it marks False (a sentence the card names as a misconception earns no
    concept, however close its words come to one).
    `elsewhere` (n_parts,), if given, is each part's similarity to the nearest other concept of the
    depth (part_similarity): when a part nearer this concept than any other reaches `floor`, the quote
    is one of those, so "the GIL lets one thread run bytecode at a time" (about the GIL, and near both)
    is not shown as the evidence that blocking I/O releases the GIL beside the sentence that says so;
    a sentence stating two concepts is still quoted for both when no other states the second. The
    quote only: the similarities are the concept's own.
    """
    counted = np.ones(len(units), dtype=bool) if counted is None else counted
    if not counted.any():
        sims, best_part = np.zeros(3), -1
    else:
        to_exemplars = units @ evidence.exemplars.T
        to_description = units @ evidence.description
        per_part = np.maximum(to_exemplars.max(axis=1), to_description)
        strength = per_part + evidence.part_term_recall
        about = ((per_part >= floor) | (evidence.part_term_recall > 0)) & counted
        quotable = about if showable is None else about & showable
        if elsewhere is not None:  # the parts nearest this concept, when one of them reaches the floor
            nearest = quotable & (per_part >= elsewhere) & (per_part >= floor)
            quotable = nearest if nearest.any() else quotable
        strength = np.where(quotable, strength, -np.inf)
        best_part = int(strength.argmax()) if np.isfinite(strength.max()) else -1
        sims = np.array([to_exemplars[counted].max(), to_exemplars[counted].max(axis=0).mean(),
                         to_description[counted].max()])
    row = np.array([*sims, RULE_STATUS_VALUE[rule.status], rule.similarity, length, evidence.key_term_recall])
    return row, best_part


def without_misconceptions(signals: AnswerSignals) -> AnswerSignals:
    """The same answer's signals with no misconception flagged: what it would score unheard (no lead,
    and the concepts the sentences stating one would earn)."""
    answer = signals.answer.copy()
    answer[_answer_column("misconception_lead")] = 0.0
    concepts = signals.concepts if signals.unheard is None else signals.unheard
    return replace(signals, answer=answer, concepts=concepts, unheard=None)


def misconception_lead(hits: Sequence[MisconceptionHit]) -> float:
    """The largest margin (similarity points, MisconceptionHit.margin) by which a flagged misconception
    beat every correct claim; 0 when none was flagged.

    A lead, not the similarity itself: a sentence that is close to a misconception is as often a
    correct claim on the same topic ("N threads of pure-Python compute give you about one core"
    is near "threads make CPU-bound code faster"), and such near ties win by a hair, where a
    confidently wrong claim wins clearly. Out of question the lead agrees better with the graders
    than the similarity (docs/scoring.md)."""
    return max((hit.margin for hit in hits), default=0.0)


def code_reaches_a_concept(units: np.ndarray, code: np.ndarray, exemplars: Sequence[np.ndarray],
                           partials: Sequence[float]) -> bool:
    """Whether a line or block of the answer's code is about the question: its cosine with some
    concept's exemplars reaches that concept's partial threshold.

    `units` is (n_parts, dim) unit vectors of the answer's parts, `code` (n_parts,) bool marks the
    code parts, `exemplars` holds each concept's (n_exemplars, dim) vectors and `partials` its
    threshold. The code itself must be on topic: a pasted sort under one on-topic sentence is not.
    On-topic code answers reach 0.62-0.93, a quicksort about 0.3.
    """
    if not code.any():
        return False
    lines = units[code]
    return any(float((lines @ vectors.T).max()) >= partial for vectors, partial in zip(exemplars, partials))


MOSTLY_CODE_FROM = 0.5
"""Share of an answer's characters in code above which `mostly_code` rises from 0 (to 1 at all code)."""


def mostly_code(answer: str, on_topic: bool = True) -> float:
    """0 while at most half of an answer's text is Python code (segment.code_share: comments and
    prose in a code block count as text), rising linearly to 1 when all of it is; 0 as well when
    the answer is not `on_topic`.

    Graders credit an answer whose code shows the behaviour (a generator sent a value, thrown
    into, closed, with what it prints); the sentence model reads code as noise, so the concept
    signals miss it. Prose with an example keeps its prose's reading: only an answer that is
    mostly code moves. Notes in a code fence, as comments over `x = 1` or in string literals are
    not code. Code about something else shows nothing: the scorer passes `on_topic` False when
    no line or block of the code comes within a concept's partial threshold of its exemplars
    (code_reaches_a_concept). Raises nothing; an empty answer gives 0.
    """
    if not on_topic:
        return 0.0
    share = code_share(answer)
    return max(0.0, (share - MOSTLY_CODE_FROM) / (1.0 - MOSTLY_CODE_FROM))
