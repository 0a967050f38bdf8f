"""The scorer: reads answers, embeds every part in one batch, gathers signals and combines them.

The concept rules (rules.py) give each concept a mark and the sentence behind it; the signals
(signals.py) add what sentence similarity, the answer's terms and its length say; the
combination (combination.py) turns them into concept credit, a 0-100 score and a confidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from ..card import (
    COST_SHOWN_FROM,
    LIST_NOTE,
    NEAR_MISCONCEPTION_NOTE,
    NOT_ENGLISH_NOTE,
    QUESTIONS_NOTE,
    REJECTION_NOTE,
    RETRACTION_NOTE,
    SHORT_NOTE,
    UNCERTAIN_NOTE,
    UNFINISHED_NOTE,
    ConceptResult,
    MisconceptionHit,
    ScoreCard,
    Status,
    quoted,
    taken_back,
)
from ..embedding import Embedder
from ..rubric import Depth, Rubric, calibrated
from ..text.lexicon import belief_report_pattern, retracts
from ..text.reading import (
    admission_end,
    admits_not_knowing,
    asks,
    expand_abbreviations,
    looks_english,
    normalise_answer,
    question_subject,
    unfinished_ending,
    unscored_lines,
    without_subject,
)
from ..text.segment import MAX_CHARS, Segmentation, Unit, content_words, joined_points, quote, segment, without_links
from ..text.spelling import WORD, Speller, english_words
from .combination import GRADE_SCALE, Combination, shipped_combination
from .rules import (
    ExemplarBank,
    Support,
    UnitEvidence,
    all_support,
    claim_parity,
    concept_marks,
    denied_leads,
    mirrored_units,
    names_both_roles,
    opposing,
    question_echo,
    rebutted_units,
    reported_beliefs,
    reports_failure,
    role_terms,
    role_words,
    rubric_text_groups,
    score_evidence,
    shown_contradictions,
    stating,
    swap_roles,
    truncation_notes,
)
from .signals import (
    AnswerSignals,
    ConceptEvidence,
    answer_terms,
    code_reaches_a_concept,
    concept_row,
    length_signal,
    looks_like_a_list,
    misconception_lead,
    mostly_code,
    part_similarity,
)
from .similarity import alignment_score, key_terms, term_recall, token_recall, word_incidence


@dataclass(frozen=True)
class ScoredAnswer:
    """One answer's rule card, its signals and the parts its evidence sentences come from."""

    card: ScoreCard
    signals: AnswerSignals | None
    """None for a reference-answer rubric, which is scored by its rules alone."""
    evidence: UnitEvidence


class Scorer:
    """Binds a rubric to an embedder: segments answers, embeds every part in one batch, scores."""

    def __init__(self, rubric: Rubric, embedder: Embedder,
                 exemplar_encoder: Callable[[Sequence[str]], np.ndarray] | None = None,
                 combination: Combination | None = None) -> None:
        self.rubric = calibrated(rubric)
        self.embedder = embedder
        self.exemplar_encoder = exemplar_encoder or embedder.encode
        self._combination = combination

    @cached_property
    def combination(self) -> Combination:
        """The combination given, else the shipped one, read when first needed (reading signals does not need it)."""
        return self._combination or shipped_combination()

    @cached_property
    def subject(self) -> str | None:
        """What the rubric asks about when its first question asks about one thing ("What is X?"): the
        scorer reads no sentence's claim in its naming it (reading.without_subject)."""
        return question_subject(self.rubric.depths[0].question) if self.rubric.depths else None

    @cached_property
    def bank(self) -> ExemplarBank:
        return ExemplarBank.build(self.rubric, self.exemplar_encoder, self.subject)

    @cached_property
    def speller(self) -> Speller:
        """Misspelt answer words are read as the rubric's own words (see spelling.py)."""
        rubric_words = " ".join(t for group in rubric_text_groups(self.rubric) for t in group)
        rubric_words += " ".join(d.model_answer for d in self.rubric.depths)
        return Speller(WORD.findall(rubric_words), english_words())

    def _read(self, answer: str) -> Segmentation:
        """Segment an answer; each part keeps its sentence as typed, its text is what gets embedded. Against a
        reference rubric, a list item is read with its list's lead-in, as the key points were made from the model
        answer (reference.key_points): the model answer "Coroutines:" over "- produce one result" scored as an
        answer left its own point "Coroutines: produce one result" partial. A concept rubric's exemplars are
        sentences of their own, and read so its answers' items gained nothing (a label such as "Surface
        differences:" before each item cost an excellent independent answer 1.5 points)."""
        roles = role_terms(self.rubric.scoring)
        seg = segment(answer, roles=roles, leads=self.rubric.reference_mode)
        opening = next((u.sentence for u in seg.units if u.kind != "code"), None)  # where "It" is the subject
        units = [replace(u, text=self.speller.correct(expand_abbreviations(
                     without_subject(u.text, self.subject, pronoun=u.sentence == opening)))) if u.kind != "code" else u
                 for u in seg.units]
        return replace(seg, units=units)

    def texts_for(self, seg: Segmentation) -> list[str]:
        swaps = self.rubric.scoring.role_swaps
        return [u.text for u in seg.units] + [swap_roles(u.text, swaps) for u in seg.units]

    def score_many(self, answers: Sequence[str], depth: str,
                   progress: Callable[[int, int], None] | None = None) -> list[ScoreCard]:
        """Cards in input order; all answers' parts are embedded together (batching makes bulk scoring fast).

        A reference-answer rubric (`rubric from-answer`) keeps the rules' card: its derived key
        points have one phrasing each and no description, so the concept signals the combination
        was fitted on do not exist for it (docs/scoring.md).
        """
        return [self.final(s) for s in self.read_many(answers, depth, progress)]

    def final(self, scored: ScoredAnswer) -> ScoreCard:
        """The card a user sees: the combined signals, or a reference-answer rubric's rule card."""
        card = _flag_reference(scored) if self.rubric.reference_mode else combine(scored, self.combination)
        card = replace(card, notes=[*card.notes, *short_answer_notes(card, scored.signals, self.rubric)])
        return replace(card, notes=[*card.notes, *unmarked_score_notes(card)])

    def reread(self, card: ScoreCard, evidence: UnitEvidence, text: str, depth: str) -> ScoredAnswer:
        """A rule card scored again from stored evidence (under other thresholds, `genco calibrate`),
        with the signals it gives; `text` is the answer as read (normalise_answer)."""
        if self.rubric.reference_mode:  # a keyword list is said as on a concept rubric's card (combine)
            listed = evidence.units and looks_like_a_list(text) and NOT_ENGLISH_NOTE not in card.notes
            return ScoredAnswer(replace(card, notes=[*card.notes, LIST_NOTE]) if listed else card, None, evidence)
        card, signals = self._signals(self.rubric.depth(depth), card, evidence, text)
        return ScoredAnswer(card, signals, evidence)

    def read_many(self, answers: Sequence[str], depth: str,
                  progress: Callable[[int, int], None] | None = None) -> list[ScoredAnswer]:
        """Rule cards and signals of answers at one depth, before any combination (evaluation refits on these)."""
        depth_spec, bank = self.rubric.depth(depth), self.bank
        texts = [normalise_answer(a) for a in answers]
        out = []
        for answer, text, blend, (evidence, notes) in zip(answers, texts, self.alignments(texts, depth_spec),
                                                          self.evidence_many(texts, progress)):
            card = score_evidence(self.rubric, depth_spec, evidence, bank, self.embedder.name,
                                  [*question_notes(answer), *notes, *language_notes(text), *unfinished_notes(text),
                                   *retraction_notes(evidence.units)],
                                  blend if evidence.units else 0.0)
            out.append(self.reread(card, evidence, text, depth))
        return out

    def read_each(self, answers: Sequence[str], depths: Sequence[str],
                  progress: Callable[[int, int], None] | None = None) -> list[ScoredAnswer]:
        """Like read_many, each answer at its own depth; results in input order; progress(done, total)
        counts answers."""
        return _each(answers, depths, self.read_many, progress)

    @cached_property
    def concept_vectors(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per concept: its exemplar vectors and its description's vector."""
        descriptions = self.exemplar_encoder([without_subject(c.description, self.subject, pronoun=True)
                                              for c in self.rubric.concepts])
        return {c.id: (self.bank.concepts[c.id][0].vectors, descriptions[i]) for i, c in enumerate(self.rubric.concepts)}

    @cached_property
    def key_terms(self) -> dict[str, dict[str, float]]:
        """Per concept: its key terms and their weights (similarity.key_terms), the questions' words left out."""
        asked = frozenset().union(*(content_words(d.question) for d in self.rubric.depths))
        return key_terms({c.id: [c.description, *c.exemplars] for c in self.rubric.concepts}, asked)

    @cached_property
    def reference_terms(self) -> dict[str, dict[str, float]]:
        """Per depth: the content words of its model answer that its question does not already say,
        weighted alike (read once per scorer, not once per answer)."""
        return {d.name: dict.fromkeys(content_words(without_links(d.model_answer), content_words(d.question)),
                                      1.0)
                for d in self.rubric.depths}

    def _signals(self, depth: Depth, card: ScoreCard, evidence: UnitEvidence, text: str) -> tuple[ScoreCard, AnswerSignals]:
        """The rule card with the concepts a named misconception's sentence earned set aside
        (_set_aside) and only clear contradictions shown (rules.shown_contradictions), and the answer's
        signals: as heard, and as they would be unheard."""
        support = all_support(evidence, self.bank, self.rubric.scoring)
        stated = stating(self.combination.shown(card.misconceptions), evidence, self.combination.misconception_margin)
        misread = stating(card.misconceptions, evidence)  # nearer a wrong claim than a right one: never quoted
        heard = self._set_aside(card, depth, evidence, support, stated)
        text = without_links(text)  # a link's pieces are no words the answer says (segment reads none)
        said = answer_terms(text) if evidence.units else frozenset()
        said_by_part = [answer_terms(unit.text) for unit in evidence.units]
        showable = np.array([unit.kind != "window" and not bare_heading(unit.sentence) and not joined_points(unit)
                             for unit in evidence.units], dtype=bool)
        denies = self._denials(evidence, support)
        partials = [self.partial_thresholds[cid] for cid, _ in depth.concepts]
        length = length_signal(text) if evidence.units else 0.0

        found = {}
        for concept_id, _ in depth.concepts:
            exemplars, description = self.concept_vectors[concept_id]
            terms = self.key_terms[concept_id]
            found[concept_id] = ConceptEvidence(exemplars, description, term_recall(terms, said),
                                                np.array([term_recall(terms, words) for words in said_by_part]))

        elsewhere = nearest_other_concept(evidence.vectors, found, [unit.kind == "code" for unit in evidence.units])

        def concept_rows(marks: list[ConceptResult], counted: np.ndarray | None) -> tuple[np.ndarray, tuple[int, ...]]:
            rules = {c.id: c for c in marks}
            rows, best = [], []
            for (concept_id, _), partial in zip(depth.concepts, partials):
                quotable = showable & ~denies[concept_id] & ~misread
                row, part = concept_row(evidence.vectors, found[concept_id], rules[concept_id], length, quotable,
                                        partial, counted, elsewhere[concept_id])
                rows.append(row)
                best.append(part)
            return np.array(rows), tuple(best)

        rows, best = concept_rows(heard.concepts, ~stated & ~evidence.echo)
        unheard = concept_rows(card.concepts, ~evidence.echo)[0] if stated.any() else None  # else the same rows
        code = np.array([unit.kind == "code" for unit in evidence.units], dtype=bool)
        on_topic = code_reaches_a_concept(evidence.vectors, code, [self.concept_vectors[cid][0] for cid, _ in depth.concepts],
                                          partials)
        answer = np.array([term_recall(self.reference_terms[depth.name], said), length,
                           misconception_lead(card.misconceptions), mostly_code(text, on_topic)])
        heard = shown_contradictions(heard, evidence, support, self.rubric.scoring,  # the signals keep the marks
                                     self.combination.misconception_margin)
        return heard, AnswerSignals(tuple(c for c, _ in depth.concepts), tuple(w for _, w in depth.concepts),
                                    rows, answer, best, looks_like_a_list(text), unheard)

    def _set_aside(self, card: ScoreCard, depth: Depth, evidence: UnitEvidence,
                   support: Support, stated: np.ndarray) -> ScoreCard:
        """The card with each concept earned by a sentence that states a misconception the card names
        (`stated`, rules.stating) marked again without it: "... they run in parallel on different CPU
        cores" was quoted as covering who drives a coroutine beside being named the answer's
        misconception. Near ties the card does not name keep their concepts (as often a correct sentence)."""
        if not stated.any():
            return card
        quoted = {evidence.units[i].sentence for i in np.flatnonzero(stated)}
        again = {c.id: c for c in concept_marks(self.rubric, depth, evidence, support, stated)}
        return replace(card, concepts=[again[c.id] if c.evidence in quoted and c.status in (Status.COVERED, Status.PARTIAL)
                                       else c for c in card.concepts])

    @cached_property
    def partial_thresholds(self) -> dict[str, float]:
        """Per concept, the similarity from which the rules count it partly stated."""
        return {c.id: c.thresholds(self.rubric.scoring)[0] for c in self.rubric.concepts}

    def _denials(self, evidence: UnitEvidence, support: Support) -> dict[str, np.ndarray]:
        """Per concept, (n_parts,) bool: the parts the concept rules read as denying it (from `support`,
        all_support), and the sentences holding one. A card never quotes a denial as the sentence that
        earned a concept."""
        out = {}
        for concept_id, (earned, against) in support.concepts.items():
            opposes = opposing(earned, against, self.partial_thresholds[concept_id], self.rubric.scoring.margin)
            out[concept_id] = opposes | evidence.opposed_parts(opposes)
        return out

    def score_each(self, answers: Sequence[str], depths: Sequence[str],
                   progress: Callable[[int, int], None] | None = None) -> list[ScoreCard]:
        """Answers each at its own depth (a labeled file mixes them): one batch per depth, cards in input order;
        progress(done, total) counts answers."""
        return _each(answers, depths, self.score_many, progress)

    def evidence_many(self, answers: Sequence[str],
                      progress: Callable[[int, int], None] | None = None) -> list[tuple[UnitEvidence, list[str]]]:
        """Everything the model says about each answer, so calibration can re-score it under many thresholds."""
        bank = self.bank
        segs = [self._read(a) for a in answers]
        texts = [t for seg in segs for t in self.texts_for(seg)]
        vectors = self.embedder.encode(texts, progress=progress)
        out, offset = [], 0
        for answer, seg in zip(answers, segs):
            n = len(seg.units)
            evidence = self._evidence(seg, vectors[offset : offset + n], vectors[offset + n : offset + 2 * n], bank)
            offset += 2 * n
            out.append((evidence, truncation_notes(seg, answer)))
        return out

    def alignments(self, answers: Sequence[str], depth: Depth) -> list[float]:
        """The rules' alignment blend (0-1) of reference-answer rubrics; zeros for concept rubrics (they blend none)."""
        config = self.rubric.scoring
        if config.alignment_weight == 0:
            return [0.0] * len(answers)
        claims = [expand_abbreviations(without_admissions(without_links(a[:MAX_CHARS]))) for a in answers]  # the model reads fewer tokens
        reference, *tokens = self.embedder.encode_tokens([without_links(depth.model_answer), *claims])
        drop = content_words(depth.question) | role_words(config)
        return [alignment_score(token_recall(reference, t, drop), config.alignment_floor) for t in tokens]

    def score(self, answer: str, depth: str) -> ScoreCard:
        return self.score_many([answer], depth)[0]

    def _evidence(self, seg: Segmentation, vectors: np.ndarray, swapped: np.ndarray, bank: ExemplarBank) -> UnitEvidence:
        config = self.rubric.scoring
        short = np.array([u.fragment or u.kind == "code" or u.words < config.short_unit_words for u in seg.units], dtype=bool)
        echo = question_echo(vectors, bank.questions, bank.claims, config.question_echo)
        echo |= np.array([admits_not_knowing(u.text) or asks(u.sentence) for u in seg.units], dtype=bool)  # claims nothing
        drop = role_words(config)
        swapped = np.where(mirrored_units(seg.units, config.role_swaps, drop)[:, None], vectors, swapped)
        incidence = word_incidence([content_words(u.text, drop) for u in seg.units], bank.columns)
        reports = reported_beliefs(seg.units)
        parity = claim_parity(seg.units, reports)
        # A reference-answer rubric is scored by its rules alone, so they read half-negated key points by the
        # clause a part states (MixedTexts); a concept rubric's signals keep the whole text's parity, which the
        # combination was fitted on, and only its card reads them so (shown_contradictions, docs/scoring.md).
        by_clause = self.rubric.reference_mode
        fused = bank.fused(vectors, incidence)
        match = bank.match(vectors, incidence, parity, by_clause, fused)
        return UnitEvidence(
            units=seg.units,
            vectors=vectors,
            swapped=swapped,
            role_free=np.array([swap_roles(u.text, config.role_swaps) == u.text for u in seg.units], dtype=bool),
            both_roles=np.array([names_both_roles(u.text, config.role_swaps) for u in seg.units], dtype=bool),
            rebutted=rebutted_units(seg.units, reports),
            denials=denied_leads(seg.units),
            failing=np.array([reports_failure(u.text) for u in seg.units], dtype=bool),
            incidence=incidence,
            match=match,
            swapped_match=bank.match(swapped, incidence, parity, by_clause=by_clause),
            clause_match=match if by_clause or not len(bank.mixed.owner) else bank.match(vectors, incidence, parity, True, fused),
            parity=parity,
            scale=np.where(short, config.short_unit_factor, 1.0),
            echo=echo,
        )


def nearest_other_concept(units: np.ndarray, concepts: dict[str, ConceptEvidence],
                          code: Sequence[bool] = ()) -> dict[str, np.ndarray | None]:
    """Per concept id, (n_parts,) each part's similarity to the nearest of the other `concepts`
    (signals.part_similarity), or None when there is no other: what concept_row weighs a quote against. A line
    of `code` (True at its part) is nearer no concept than any other: `yield 1`, at 0.52 to many-values-versus-one
    and less to the rest, was quoted for it before the sentence stating it, nearer who drives a generator."""
    near = {cid: part_similarity(units, found) for cid, found in concepts.items()}
    never = np.where(np.asarray(code, dtype=bool), np.inf, -np.inf) if len(code) else -np.inf
    return {cid: np.maximum(np.max([v for other, v in near.items() if other != cid], axis=0), never)
            if len(near) > 1 else None for cid in near}


def without_admissions(answer: str) -> str:
    """The answer without the admissions of not knowing its sentences open with (text.reading.admission_end):
    the reference answer's words they repeat ("I don't know what a decorator is") earn nothing, and what
    a sentence goes on to say after one ("..., though X") stays."""
    for unit in segment(answer).units:
        end = admission_end(unit.sentence) if unit.kind == "sentence" else None
        if end is not None:
            answer = answer.replace(unit.sentence[:end], " ", 1)
    return answer


def _each(answers: Sequence[str], depths: Sequence[str],
          run: Callable[[list[str], str, Callable[[int, int], None] | None], list],
          progress: Callable[[int, int], None] | None = None) -> list:
    """Run a per-depth batch function over answers of mixed depths; results in input order.

    `run(batch, depth, batch_progress)` reports its own (done, total) in whatever it counts (texts
    embedded); `progress` hears (answers done, answers in all) across the batches, the share of a
    batch done counted as that share of its answers."""
    results: dict[int, object] = {}
    finished = 0
    for depth in dict.fromkeys(depths):
        indexes = [i for i, d in enumerate(depths) if d == depth]
        batch_progress = None if progress is None else _share_of(progress, finished, len(indexes), len(answers))
        results.update(zip(indexes, run([answers[i] for i in indexes], depth, batch_progress)))
        finished += len(indexes)
        if progress is not None:
            progress(finished, len(answers))
    return [results[i] for i in range(len(answers))]


def _share_of(progress: Callable[[int, int], None], before: int, size: int, answers: int) -> Callable[[int, int], None]:
    """A batch's progress(done, total) heard as answers: `before` answers done, then its share of `size`."""
    return lambda done, total: progress(before + size * done // max(total, 1), answers)


def question_notes(answer: str) -> list[str]:
    """A card must say when lines of a learner's own answer were read as a question's and left out
    (reading.unscored_lines): "Question: who drives it" with no question mark, then the answer's own
    line, in notes that answer with "A:", scored as if that line were never typed."""
    lines = unscored_lines(answer)
    if not lines:
        return []
    return [f"{lines} line{'s' if lines > 1 else ''} after a question's label (\u201cQ:\u201d, \u201cInterviewer:\u201d) "
            f"{'were' if lines > 1 else 'was'} read as part of the question, not your answer, and not scored; put \u201cA:\u201d before your answer."]


def unfinished_notes(answer: str) -> list[str]:
    """A card must say when the answer breaks off mid-sentence ("... whereas a coroutine is"): scored as it
    stands, it earned nothing for the side it never reached, and nothing said it was cut off."""
    tail = unfinished_ending(answer)
    return [] if tail is None else [UNFINISHED_NOTE.format(tail)]


def language_notes(answer: str) -> list[str]:
    """A card must say when it scored text the model cannot read (the model and rubrics are English)."""
    return [] if looks_english(answer) else [NOT_ENGLISH_NOTE]


UNCERTAIN_CEILING = 0.49
"""The highest confidence an uncertain card shows: under the 0.5 a score has at the expected-error cut,
so "uncertain" and "confidence below 0.5" always go together."""


def retraction_notes(units: Sequence[Unit]) -> list[str]:
    """A card must say when the answer calls itself false as a whole ("Everything I just said is
    false", "None of that is correct"): the scorer reads each claim as made, and cannot tell which
    ones the sentence takes back. Not after the answer reports what others believe ("Many people say
    X. All of that is wrong." judges what people say: rejection_notes), nor right after code ("The
    above is wrong." judges the snippet)."""
    found = _verdict(units)
    if found is None or found[1] is not None:
        return []
    return [f"{RETRACTION_NOTE} ({quoted(found[0].sentence)}): its claims were scored as made."]


def rejection_notes(concepts: Sequence[ConceptResult], units: Sequence[Unit]) -> list[str]:
    """A card must say when the answer calls what it reported false as a whole and a sentence of the
    report earned a concept: "Some tutorials claim the following. X. Y. None of that is true." scored
    X and Y as the candidate's own claims (99 of 100 for the model answer so framed). Which sentences
    were the report's is as far beyond the scorer as which claims a retraction takes back; a myth
    knocked down ("Many people say a coroutine is a thread. All of that is wrong.") earns nothing by
    its report, so its card says nothing."""
    found = _verdict(units)
    if found is None or found[1] is None:
        return []
    verdict, reported = found
    if not any(c.evidence in reported for c in concepts if c.status in (Status.COVERED, Status.PARTIAL)):
        return []
    return [f"{REJECTION_NOTE} ({quoted(verdict.sentence)}), and the report earned concepts: which claims it rejects is "
            "beyond the scorer, so every claim was scored as made."]


def _verdict(units: Sequence[Unit]) -> tuple[Unit, frozenset[str] | None] | None:
    """The first sentence that calls the answer, or what it has reported, false as a whole (lexicon
    `retractions`), not right after code, and the sentences from the first belief it reports up to
    that one (None when it reports none); None when no sentence does."""
    reports = belief_report_pattern()
    reported: list[str] | None = None
    after_code = False
    for unit in units:
        if unit.kind == "code":
            after_code = True
        if unit.kind != "sentence":
            continue
        text = unit.text.replace("\u2019", "'")
        if not after_code and retracts(text):
            return unit, None if reported is None else frozenset(reported)
        if reported is None and reports.search(text):
            reported = []
        if reported is not None:
            reported += (unit.sentence, *unit.points)  # a clause of it is quoted by its point (quote)
        after_code = False
    return None


HEADING_WORDS = 4
"""The most words a line ending in a colon may have to be a heading over the lines below it ("Coroutines:")."""


def bare_heading(sentence: str) -> bool:
    """Whether a part is only a heading ("Coroutines:", "Key points:"): never quoted as the sentence that earned a
    concept, though the lines under it say it (the card quoted "Coroutines:" and the web app highlighted it)."""
    text = sentence.strip()
    return text.endswith(":") and len(text.split()) <= HEADING_WORDS


SHORT_ANSWER_WORDS = 15
"""Distinct content words below which an answer is short: the combination's length and key-term signals
then hold a concept's credit under what its closest sentence alone reads as (docs/scoring.md)."""


def short_answer_notes(card: ScoreCard, signals: AnswerSignals | None, rubric: Rubric) -> list[str]:
    """A short answer whose closest concept, at the similarity the rules give full credit at
    (`scoring.full`) or more, is not covered says why. "Lists are mutable and tuples are immutable.", a
    rubric's own exemplar, showed similarity 1.0, marked missing, under "No concept is stated clearly
    enough to mark"; the score leans on how much of a concept's terms and reasons an answer gives, which
    one line gives little of. `signals` None (a reference-answer rubric's card, scored by its rules): none.
    The answer's length is its `length` signal (signals.length_signal), read, not counted again."""
    if signals is None or signals.answer_signal("length") >= math.log1p(SHORT_ANSWER_WORDS):
        return []
    closest = max((c.similarity for c in card.concepts), default=0.0)
    met = [c for c in card.concepts if c.similarity == closest >= rubric.scoring.full
           and c.status not in (Status.COVERED, Status.CONTRADICTED)]
    return [SHORT_NOTE] if met else []


UNMARKED_SCORE_FROM = 10.0
"""The score (0-100) from which a card with no concept marked says where its points came from."""


def unmarked_score_notes(card: ScoreCard) -> list[str]:
    """A card that marks every concept missing yet scores UNMARKED_SCORE_FROM or more says why: its
    points come from the words the answer shares with the model answer (the term and alignment signals), which
    no sentence states clearly enough to mark. "Decorators make functions run faster by compiling them to C."
    scored 23 beside every key point at 0 %, and read as a contradiction. Not on a card whose note already
    says why (a keyword list or code, an answer not in English)."""
    marked = any(c.status != Status.MISSING for c in card.concepts)  # a contradiction is a mark too
    explained = LIST_NOTE in card.notes or NOT_ENGLISH_NOTE in card.notes or SHORT_NOTE in card.notes
    if marked or explained or not card.concepts or card.score < UNMARKED_SCORE_FROM:
        return []
    return [f"No concept is stated clearly enough to mark; the {card.score:g} points come from words this answer "
            "shares with the model answer."]


def near_misconception_notes(hits: Sequence[MisconceptionHit], shown: Sequence[MisconceptionHit],
                             cost: float) -> list[str]:
    """A card whose score lost `cost` points (0-100) to misconceptions it names none of must say
    which sentence took them: the rules' hit (`hits`) that leads its correct rival most, the one the
    misconception_lead signal weighs. Such a near tie is as often a correct claim said loosely as a
    wrong one, so the card names it as neither, and gives the misconception's correction for the reader to
    judge by (a learner whose sentence was plainly wrong was told only "if it is right, the score is low");
    empty when a misconception is named (`shown`: the card says what those took) or when the cost rounds
    to nothing."""
    if shown or not hits or cost < COST_SHOWN_FROM:
        return []
    hit = max(hits, key=lambda h: h.margin)
    return [f"{quoted(hit.evidence)} {NEAR_MISCONCEPTION_NOTE} “{hit.description.rstrip('.')}” as to a "
            f"correct claim, so none is named, yet it took {cost:g} points off the score: if it is right, the "
            f"score is low by that much; if not, in fact: {hit.correction}"]


def _flag_language(card: ScoreCard) -> ScoreCard:
    """A card of an answer the model cannot read asks for a person, with no confidence in its score."""
    if NOT_ENGLISH_NOTE not in card.notes:
        return card
    return replace(card, confidence=0.0, uncertain=True, notes=[*card.notes, UNCERTAIN_NOTE])


def _flag_reference(scored: ScoredAnswer) -> ScoreCard:
    """A reference-answer rubric's card asks for a person when it reads a key point as denied, the answer
    is a keyword list (LIST_NOTE), takes itself back or rejects what it reported (as a concept rubric's
    does: its claims were scored as made): its score is mostly the model answer's words, which a denial
    uses as much as the claim does, and a list of them earned 86 of 100."""
    card = scored.card
    card = _flag_language(replace(card, notes=[*card.notes, *rejection_notes(card.concepts, scored.evidence.units)]))
    doubted = (card.scored_in_part or card.takes_itself_back or LIST_NOTE in card.notes
               or any(c.status == Status.CONTRADICTED for c in card.concepts))
    if card.uncertain or not doubted:
        return card
    return replace(card, confidence=min(card.confidence, UNCERTAIN_CEILING), uncertain=True, notes=[*card.notes, UNCERTAIN_NOTE])


def _mark(rule: ConceptResult, credit: float, combination: Combination, evidence: UnitEvidence, best_part: int,
          misread: frozenset[str] = frozenset()) -> ConceptResult:
    """The concept's final mark from its credit; the sentence shown is the part that says most of it
    (signals.concept_row), or the rules' sentence when it is contradicted. A sentence in `misread`
    (nearer a misconception than any correct claim, named on the card or not) is never quoted as
    earning a concept: "asyncio runs coroutines in parallel on several cores" was shown as the
    evidence that asyncio runs on one thread. The credit stays what the signals give."""
    status = Status.COVERED if credit >= combination.covered else Status.PARTIAL if credit >= combination.partial else Status.MISSING
    if status == Status.MISSING and rule.status == Status.CONTRADICTED:
        status = Status.CONTRADICTED
    shown = rule.evidence if status == Status.CONTRADICTED else None
    if status in (Status.COVERED, Status.PARTIAL):  # the rules' own quote only if it earned, never a denial
        earned = rule.evidence if rule.status in (Status.COVERED, Status.PARTIAL) and rule.evidence not in misread else None
        shown = quote(evidence.units[best_part]) if best_part >= 0 else earned
    margin = min(abs(credit - combination.partial), abs(credit - combination.covered))
    return replace(rule, status=status, score=round(credit / 2.0, 3), evidence=shown,
                   confidence=round(min(1.0, margin / 0.5), 2))


def only_questions(units: Sequence[Unit]) -> bool:
    """Whether every sentence of an answer asks (reading.asks): a question claims nothing to the scorer, so an
    answer that puts its claims as questions ("Isn't it true that a generator yields many values ...?") earns
    nothing, and its card must not be sure of that."""
    sentences = {unit.sentence for unit in units if unit.kind == "sentence"}
    return bool(sentences) and all(map(asks, sentences))


def combine(scored: ScoredAnswer, combination: Combination) -> ScoreCard:
    """The card a user sees: concept marks and a 0-100 score from the combined signals, with a confidence."""
    card, signals = scored.card, scored.signals
    if not scored.evidence.units:
        return _flag_language(replace(card, score=0.0, confidence=1.0))
    credit = combination.concept_credit(signals)
    shown = combination.shown(card.misconceptions)
    grade, alone = combination.grades(signals, credit, named=bool(shown))
    unheard, _ = combination.grades(*combination.unheard(signals, credit))
    by_id = {c.id: c for c in card.concepts}
    misread = frozenset(hit.evidence for hit in card.misconceptions)
    concepts = [_mark(by_id[cid], float(c), combination, scored.evidence, part, misread)
                for cid, c, part in zip(signals.concept_ids, credit, signals.best_parts)]
    expected = combination.expected_error(grade, alone)
    confidence = combination.confidence(expected)
    foreign = NOT_ENGLISH_NOTE in card.notes
    # terms without claims, or code the sentence model reads as noise: sentences in another language are neither
    listed = (signals.list_like or signals.answer_signal("mostly_code") > 0) and not foreign
    asked = only_questions(scored.evidence.units) and not foreign
    notes = [*card.notes, *([LIST_NOTE] if listed else []), *([QUESTIONS_NOTE] if asked else []),
             *rejection_notes(concepts, scored.evidence.units)]
    retracted = any(map(taken_back, notes)) or card.scored_in_part
    cost = round((unheard - grade) / GRADE_SCALE * 100, 1)
    notes += near_misconception_notes(card.misconceptions, shown, cost)
    if listed or asked or retracted or card.uncertain:  # terms, questions, an answer taken back or cut, a doubted reading
        confidence = min(confidence, UNCERTAIN_CEILING)
    combined = replace(card, concepts=concepts, score=round(grade / GRADE_SCALE * 100, 1), notes=notes,
                       misconceptions=shown,
                       misconception_cost=cost,
                       confidence=math.floor(confidence * 100) / 100,  # rounded down: 0.4952 past the cut is not 0.5
                       uncertain=expected > combination.uncertain_error or listed or asked or retracted or card.uncertain)
    if foreign:
        return _flag_language(combined)
    return replace(combined, notes=[*notes, UNCERTAIN_NOTE]) if combined.uncertain else combined
