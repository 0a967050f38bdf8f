"""Pure scoring logic with a bag-of-words fake embedder: aggregation, thresholds, negation, roles.

These tests make no claim about scoring quality (tests/test_quality.py does, with the real
model); they pin down the arithmetic and the rules layered on top of similarity.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import numpy as np
import pytest

from genco_interview.card import ConceptResult, MisconceptionHit, ScoreCard, Status, overall_score, penalties_taken
from genco_interview.embedding import TokenVectors
from genco_interview.rubric import ScoringConfig, parse_rubric
from genco_interview.scoring import Scorer, exemplar_parity, negation_parity, swap_roles
from genco_interview.scoring.rules import (
    EITHER,
    _withdraw_role_credit,
    content_words,
    reports_failure,
    similarity_to_score,
    text_signature,
)
from genco_interview.scoring.scorer import _each

RUBRIC = """
schema_version: 1
id: toy
title: Toy
depths:
  quick:
    question: Tell me about apples and pears.
    time_budget_minutes: 1
    concepts: {apples: 3, pears: 1}
    model_answer: Apples are red fruit. Pears grow on tall trees.
concepts:
  - id: apples
    name: Apples
    description: Apples are red.
    exemplars: [apples are red fruit, red apples are fruit, the fruit apples are red]
  - id: pears
    name: Pears
    description: Pears grow on trees.
    exemplars: [pears grow on tall trees, tall trees grow pears, on trees pears grow tall]
misconceptions:
  - id: blue
    description: Thinks apples are blue.
    correction: They are red.
    penalty: 30
    exemplars: [apples are bright blue, blue bright apples, bright apples are blue]
scoring:
  covered: 0.8
  partial: 0.5
  full: 0.9
  short_unit_words: 1
  lexical_weight: 0.0
  role_swaps: []
"""


class BagOfWords:
    """Deterministic fake embedder: hashed word counts, so identical wording means cosine 1."""

    name = "bag-of-words"

    def encode(self, texts, progress=None):
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z']+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 256] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)

    def encode_tokens(self, texts, progress=None):
        """One vector per word: the word's own bag-of-words vector."""
        out = []
        for text in texts:
            words = re.findall(r"[a-z']+", text.lower()) or ["[CLS]"]
            out.append(TokenVectors(tuple(words), self.encode(words)))
        return out


def rule_card(scorer, answer, depth="quick"):
    """The concept rules' card, before the signals are combined: what these tests pin down."""
    return scorer.read_many([answer], depth)[0].card


@pytest.fixture
def toy():
    return Scorer(parse_rubric(RUBRIC, "toy.yaml"), BagOfWords())


def test_exact_statement_of_every_concept_scores_100(toy):
    card = rule_card(toy, "Apples are red fruit. Pears grow on tall trees.", "quick")
    assert [c.status for c in card.concepts] == [Status.COVERED, Status.COVERED]
    assert card.score == 100


def test_overall_is_the_weighted_mean_of_concept_scores(toy):
    card = rule_card(toy, "Apples are red fruit.", "quick")
    assert card.score == pytest.approx(75.0)


def test_misconception_penalty_is_subtracted(toy):
    card = rule_card(toy, "Apples are red fruit. Apples are bright blue.", "quick")
    assert [m.id for m in card.misconceptions] == ["blue"]
    assert card.misconception_cost == penalties_taken(card.concepts, card.misconceptions) > 0
    assert card.score == pytest.approx(75.0 - card.misconception_cost)


def test_a_sentence_that_states_a_misconception_earns_no_concept(toy):
    """"Apples are bright blue" names apples, and its words earned the apples concept beside the flag."""
    card = rule_card(toy, "Apples are bright blue.", "quick")
    assert [m.id for m in card.misconceptions] == ["blue"]
    assert [c.status for c in card.concepts] == [Status.MISSING, Status.MISSING] and card.score == 0


def test_the_penalties_taken_are_what_the_score_lost_not_more_than_it_had():
    concepts = [ConceptResult(id="a", name="a", weight=1.0, status=Status.PARTIAL, score=0.5, similarity=0.7,
                              evidence=None, description="")]
    hit = MisconceptionHit(id="m", description="", correction="", penalty=20.0, similarity=0.8, evidence="")
    assert penalties_taken(concepts, [hit]) == 20.0  # 50 -> 30
    assert penalties_taken(concepts, [hit, hit, hit]) == 50.0  # clipped at 0: only the 50 it had
    assert penalties_taken(concepts, []) == 0.0


def test_negated_statement_contradicts_instead_of_earning(toy):
    """The rules read the denial against the concept (its signal says contradicted); the card shows it
    contradicted only when the reading is as strong as full credit's (rules.shown_contradictions)."""
    from genco_interview.scoring.signals import CONCEPT_SIGNALS

    scored = toy.read_many(["Apples are not red fruit."], "quick")[0]
    assert scored.signals.concepts[0][CONCEPT_SIGNALS.index("rule_status")] == -1.0
    assert scored.card.concepts[0].status == Status.MISSING and scored.card.concepts[0].score == 0
    strong = Scorer(replace(toy.rubric, scoring=replace(toy.rubric.scoring, full=0.8)), BagOfWords())
    assert rule_card(strong, "Apples are not red fruit.", "quick").concepts[0].status == Status.CONTRADICTED


def test_negated_misconception_is_not_flagged(toy):
    assert rule_card(toy, "Apples are not bright blue.", "quick").misconceptions == []


def test_empty_answer_scores_zero_with_a_note(toy):
    card = rule_card(toy, "   \n ", "quick")
    assert card.score == 0
    assert all(c.status == Status.MISSING for c in card.concepts)
    assert card.notes == ["The answer has no words: nothing to score."]


def test_an_answer_that_only_points_to_a_page_is_told_a_link_is_no_claim(toy):
    """It was told it had no words, which it has."""
    card = rule_card(toy, "See https://docs.python.org/3/library/asyncio-task.html", "quick")
    assert card.score == 0
    assert card.notes == ["The answer only points to a page: nothing to score (say in your own words what it explains)."]


def test_evidence_names_the_sentence_that_earned_the_concept(toy):
    card = rule_card(toy, "Bananas are long. Pears grow on tall trees.", "quick")
    assert card.concepts[1].evidence == "Pears grow on tall trees."


def test_progress_over_answers_of_several_depths_counts_answers_through_each_batch():
    """Each depth's batch reports what it embeds (texts); the caller hears answers, the batches one after another."""
    heard = []

    def run(batch, depth, progress):
        progress(1, 4)
        progress(4, 4)
        return [f"{depth}:{answer}" for answer in batch]

    out = _each(["a", "b", "c"], ["quick", "deep", "quick"], run, lambda done, total: heard.append((done, total)))
    assert out == ["quick:a", "deep:b", "quick:c"]
    assert heard == [(0, 3), (2, 3), (2, 3), (2, 3), (3, 3), (3, 3)]


def test_batch_scoring_equals_one_by_one(toy):
    answers = ["Apples are red fruit.", "", "Pears grow on tall trees. Apples are bright blue."]
    assert [s.card.score for s in toy.read_many(answers, "quick")] == [rule_card(toy, a, "quick").score for a in answers]


@pytest.mark.parametrize(
    ("similarity", "expected"),
    [(0.49, 0.0), (0.5, 0.4), (0.65, 0.6), (0.8, 0.8), (0.85, 0.9), (0.9, 1.0), (0.99, 1.0)],
)
def test_similarity_to_score_anchors(similarity, expected):
    assert similarity_to_score(similarity, partial=0.5, covered=0.8, full=0.9) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "signature"), [
    ("The GIL makes code thread-safe, so you never need locks.", (0, 1)),
    ("The GIL does not make code thread-safe, so you still need locks.", (1, 0)),
    ("The GIL makes code thread-safe.", ()), ("Nothing is shared, and nothing runs.", ()),  # one parity: no signature
])
def test_a_texts_clause_signature_says_where_its_negation_is(text, signature):
    assert text_signature(text) == signature


@pytest.mark.parametrize(
    ("text", "negated"),
    [("A generator yields.", 0), ("You can't await a generator.", 1), ("It is not iterable.", 1),
     ("They aren't: CPython doesn't share it.", 1), ("Nothing runs until you iterate.", 1), ("Another note.", 0),
     ("Tuples can be dictionary keys, while lists cannot.", 1),  # an answer's part: read by the cue
     ("Use None as the default and build the list inside.", 0),  # a value given a role denies nothing
     ("The generator returns None when it ends.", 1), ("None of them run in parallel.", 1),
     # after an article or "use" the value is named: "a None default" read as denying the concept it states
     ("I always use a None default now.", 0), ("Use None instead of a list.", 0), ("The None check is cheap.", 0),
     ("Use none of them.", 1), ("It used none of the memory.", 1),
     # typed without the apostrophe, "cant" read as no negation and the sentence claimed the opposite
     ("threads cant run in parallel", 1), ("it doesnt run", 1), ("You dont need it", 1), ("The cantilever holds.", 0),
     # a negation word that limits a claim denies nothing; where a clause goes on, "nothing else" still denies
     ("They not only share the frame but also the protocol.", 0), ("It re-yields each item, nothing more.", 0),
     ("No more than one thread runs bytecode.", 0), ("A coroutine is nothing but a generator underneath.", 0),
     ("While it blocks nothing else runs.", 1), ("There is no more work.", 1), ("It is not just syntax.", 0),
     ("You can not just await a regular generator.", 1)],  # after "can", "not just" denies
)
def test_negation_parity(text, negated):
    assert negation_parity(text) == negated


@pytest.mark.parametrize(("text", "parity"), [
    ("Tuples can be dictionary keys, while lists cannot.", EITHER),  # the contrast negates another subject
    ("Generators are iterable; whereas coroutines aren't.", EITHER), ("while lists cannot", 1),
    ("A coroutine can't be iterated, but a generator can.", 1), ("Tuples are hashable; lists are not.", EITHER),
    ("Lists are mutable and tuples are not.", EITHER), ("Generators are lazy and they do not run.", 1),
    ("Tuples can be keys, while lists cannot be hashed at all.", 1),  # a clause with its own claim
    ("Threads look like they run bytecode in parallel, but they do not.", 1),  # the same subject denied
    ("Calling a generator function seems to run its body, but it does not.", 1),
    ("A generator yields.", 0), ("You can't await a generator.", 1),
    ("Lists are mutable. Tuples are not.", EITHER),  # a key point joined with the elliptical sentence after it
    ("Lists are mutable. They are not hashable.", 1), ("Lists are mutable. They are not.", 1),
])
def test_a_rubric_texts_contrasting_tail_about_something_else_leaves_its_polarity_open(text, parity):
    assert exemplar_parity(text) == parity


def test_swap_roles_keeps_case_and_plural():
    pairs = [("generator", "coroutine")]
    assert swap_roles("Generators yield; a coroutine awaits.", pairs) == "Coroutines yield; a generator awaits."


def test_swap_roles_finds_terms_of_symbols():
    """`\\b` needs a letter beside a term: "==" and "C++" were never exchanged."""
    assert swap_roles("a == b compares values; a != b too", [("==", "!=")]) == "a != b compares values; a == b too"
    assert swap_roles("C++ compiles; Java runs on a VM", [("C++", "Java")]) == "Java compiles; C++ runs on a VM"
    assert swap_roles("generatorish coroutines", [("generator", "coroutine")]) == "generatorish generators"


def test_content_words_drop_stopwords_and_role_terms():
    assert content_words("The generators are yielding values", frozenset({"generator"})) == {"yield", "valu"}


def _card(*concepts: tuple[str, str, float, str | None]) -> ScoreCard:
    results = [ConceptResult(id=cid, name=cid, weight=1.0, status=status, score=score, similarity=0.8,
                             evidence=evidence, description="") for cid, status, score, evidence in concepts]
    return ScoreCard(question="toy", depth="quick", score=overall_score(results, []), concepts=results,
                     misconceptions=[], model="fake")


def test_a_reversed_answer_loses_the_credit_of_sentences_that_name_a_role():
    config = ScoringConfig(role_swaps=(("generator", "coroutine"),))
    card = _card(("driver", Status.COVERED, 1.0, "A coroutine is driven by a for loop."),
                 ("lazy", Status.PARTIAL, 0.4, "Calling it runs nothing until it is needed."),
                 ("types", Status.MISSING, 0.0, None))
    withdrawn = _withdraw_role_credit(card, config, alignment=0.0)
    assert [c.status for c in withdrawn.concepts] == [Status.CONTRADICTED, Status.PARTIAL, Status.MISSING]
    assert withdrawn.score == pytest.approx(100 * 0.4 / 3, abs=0.05)
    assert "generator/coroutine exchanged" in withdrawn.notes[-1]
    assert not any(ch.isdigit() for ch in withdrawn.notes[-1])  # the rules' points are not the score the card shows
    assert withdrawn.uncertain and not card.uncertain  # the rules' least sure reading asks for a person


def test_a_reversed_answer_with_no_role_credit_to_withdraw_keeps_its_card_and_gets_no_note():
    config = ScoringConfig(role_swaps=(("generator", "coroutine"),))
    card = _card(("lazy", Status.PARTIAL, 0.4, "Calling it runs nothing until it is needed."))
    assert _withdraw_role_credit(card, config, alignment=0.0) is card


def test_a_sentence_is_negated_against_a_concept_only_through_a_negated_clause_of_its_own():
    from genco_interview.scoring import BankMatch, UnitEvidence
    from genco_interview.text.segment import Unit

    units = [Unit("the loop runs it, one reply, not a stream", "sentence", "s", 9, parts=[1, 2]),
             Unit("the loop runs it", "clause", "s", 4), Unit("one reply, not a stream", "clause", "s", 5),
             Unit("it is not iterable", "sentence", "t", 4)]
    none = BankMatch(np.zeros((4, 0)), np.zeros((4, 0)))
    evidence = UnitEvidence(units=units, vectors=np.zeros((4, 2)), swapped=np.zeros((4, 2)),
                            parity=np.array([1, 0, 1, 1], dtype=np.int8), scale=np.ones(4), echo=np.zeros(4, bool),
                            role_free=np.ones(4, bool), both_roles=np.zeros(4, bool), rebutted=np.zeros(4, bool),
                            failing=np.zeros(4, bool), incidence=np.zeros((4, 0)), match=none,
                            swapped_match=none)
    against_the_loop = np.array([0.8, 0.7, 0.2, 0.7])  # the negated clause is about something else
    assert evidence.negation_in_parts(against_the_loop, 0.5).tolist() == [False, True, True, True]
    against_the_stream = np.array([0.8, 0.1, 0.7, 0.7])
    assert evidence.negation_in_parts(against_the_stream, 0.5).tolist() == [True, True, True, True]


def test_bank_matches_keep_each_parity_apart_and_an_empty_set_matches_nothing():
    from genco_interview.scoring import ExemplarBank

    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    bank = ExemplarBank(concepts={}, misconceptions={}, corrections={}, questions=np.zeros((0, 2)), claims=np.zeros((0, 2)), columns={},
                        vectors=vectors, incidence=np.zeros((3, 0)), parity=np.array([0, 1, 0], dtype=np.int8),
                        starts=np.array([0, 2, 2]), lexical_weight=0.0)  # sets: {0, 1}, {}, {2}
    units = np.array([[1.0, 0.0], [0.0, 1.0]])
    match = bank.match(units, np.zeros((2, 0)), np.array([0, 1], dtype=np.int8))
    assert match.same.tolist() == [[1.0, -1.0, 0.6], [1.0, -1.0, -1.0]]
    assert match.cross.tolist() == [[0.0, -1.0, -1.0], [0.0, -1.0, 0.8]]


@pytest.mark.parametrize("sizes", [(3, 3, 0), (0, 3, 0, 3, 0), (2, 0, 0, 1), (1,), (0, 2)])
def test_bank_matches_equal_a_set_by_set_reading_wherever_the_empty_sets_are(sizes):
    from genco_interview.scoring import ExemplarBank

    rng = np.random.default_rng(7)

    def unit_rows(n: int) -> np.ndarray:
        rows = rng.normal(size=(n, 4))
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    vectors, parity = unit_rows(sum(sizes)), rng.integers(0, 2, sum(sizes)).astype(np.int8)
    bank = ExemplarBank(concepts={}, misconceptions={}, corrections={}, questions=np.zeros((0, 4)), claims=np.zeros((0, 4)), columns={},
                        vectors=vectors,
                        incidence=np.zeros((sum(sizes), 0)), parity=parity,
                        starts=np.cumsum((0, *sizes[:-1])), lexical_weight=0.0)
    units, unit_parity = unit_rows(5), np.array([0, 1, 0, 1, 1], dtype=np.int8)
    match = bank.match(units, np.zeros((5, 0)), unit_parity)
    start = 0
    for index, size in enumerate(sizes):
        sims, own = units @ vectors[start : start + size].T, parity[start : start + size]
        for row in range(5):
            same = sims[row][own == unit_parity[row]]
            cross = sims[row][own != unit_parity[row]]
            assert match.same[row, index] == pytest.approx(same.max() if len(same) else -1.0, abs=1e-12)
            assert match.cross[row, index] == pytest.approx(cross.max() if len(cross) else -1.0, abs=1e-12)
        start += size


@pytest.mark.parametrize(("text", "fails"), [
    ("If you try to for-loop a coroutine it errors out.", True),
    ("next() on it gives an error", True),
    ("You get a TypeError.", True),
    ("It runs without an error.", False),       # a guard word right before it: no failure
    ("There is no error to handle.", False),
    ("Errors are raised inside the generator by throw().", False),  # about errors, not a failure report
])
def test_a_failure_report_is_a_claim_that_something_does_not_work(text: str, fails: bool) -> None:
    assert reports_failure(text) is fails


def _near_hit(sentence: str, margin: float, description: str = "Believes apples are blue.") -> MisconceptionHit:
    return MisconceptionHit(id="blue", description=description, correction="Apples are red.", penalty=5,
                            similarity=0.7, evidence=sentence, margin=margin)


def test_a_score_lowered_by_an_unnamed_near_tie_names_the_sentence_that_lowered_it() -> None:
    """The misconception_lead signal weighs the hit that leads its correct rival most, so the note quotes
    that one; a named misconception has its own lines, and a cost that rounds to nothing is not said."""
    from genco_interview.scoring.scorer import near_misconception_notes

    near, nearer = _near_hit("Apples look blueish.", 0.01), _near_hit("Apples are blue in the dark.", 0.04)
    (note,) = near_misconception_notes([near, nearer], [], 3.2)
    assert note.startswith("\u201cApples are blue in the dark.\u201d is nearly as close to the misconception "
                           "\u201cBelieves apples are blue\u201d as to a correct claim")
    assert "took 3.2 points off the score" in note
    assert note.endswith("if not, in fact: Apples are red.")  # the correction to judge the sentence by
    assert near_misconception_notes([near, nearer], [nearer], 3.2) == []
    assert near_misconception_notes([near], [], 0.04) == []
    assert near_misconception_notes([], [], 3.2) == []


def test_a_long_sentence_in_a_note_is_cut_at_a_word_with_an_ellipsis() -> None:
    from genco_interview.card import QUOTE_CHARS
    from genco_interview.scoring.scorer import near_misconception_notes

    long = "Apples " + "grow slowly on very old trees " * 5 + "and are blue."
    (note,) = near_misconception_notes([_near_hit(long, 0.02)], [], 2.0)
    quoted = note.split("\u201d")[0][1:]
    kept = quoted.removesuffix("\u2026")
    assert quoted.endswith("\u2026") and len(kept) <= QUOTE_CHARS and long.startswith(kept) and long[len(kept)] == " "


def _card_of(score: float, statuses: list[Status], notes: list[str] | None = None) -> ScoreCard:
    concepts = [ConceptResult(id=f"c{i}", name=f"C{i}", weight=1.0, status=s, score=0.0, similarity=0.3, evidence=None,
                              description="") for i, s in enumerate(statuses)]
    return ScoreCard(question="q", depth="quick", score=score, concepts=concepts, misconceptions=[], model="m",
                     notes=notes or [])


@pytest.mark.parametrize(("score", "statuses", "notes", "said"), [
    (20.1, [Status.MISSING, Status.MISSING], [], True),  # points with nothing marked: say where they came from
    (9.9, [Status.MISSING, Status.MISSING], [], False),
    (20.1, [Status.MISSING, Status.PARTIAL], [], False),  # a mark explains the points
    (20.1, [Status.MISSING, Status.CONTRADICTED], [], False),  # a contradiction is a mark, with its sentence
    (40.0, [Status.MISSING], ["This answer is mostly terms with few full sentences (a keyword list, notes or code); "
                              "its score may be far off in either direction."], False),  # its note says why already
])
def test_a_score_with_no_concept_marked_says_where_its_points_came_from(score, statuses, notes, said) -> None:
    """"Decorators make functions run faster by compiling them to C." scored 23 beside every key point at 0 %."""
    from genco_interview.card import LIST_NOTE
    from genco_interview.scoring.scorer import unmarked_score_notes

    assert notes == [] or notes == [LIST_NOTE]
    found = unmarked_score_notes(_card_of(score, statuses, notes))
    assert bool(found) is said and all(f"the {score:g} points come from words" in note for note in found)
