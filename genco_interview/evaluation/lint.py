"""Meaning checks for rubrics: problems the schema cannot see but the scorer would act on.

A rubric can be valid YAML and still score badly: a concept whose exemplars sit among another
concept's, a contradiction that a correct paraphrase matches, a misconception the model answer
itself triggers, a model answer that does not earn its own concepts. Each check here asks the
question the scorer will ask, with the scorer's own similarity (cosine fused with content-word
overlap, negation parity respected) and the rubric's own thresholds, so a finding predicts a
scoring error rather than a style preference. Everything is pure: embeddings and score cards in,
findings out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..card import REVERSED_NOTE, ScoreCard, Status
from ..rubric import Concept, Rubric
from ..scoring import ExemplarBank, ExemplarSet, exemplar_parity, fused_similarity, swap_roles
from ..text.lexicon import negation_pattern, stopwords, swap_fillers, without_values
from .findings import Finding

if TYPE_CHECKING:
    from ..scoring import Scorer

MODEL_ANSWER_MIN_SCORE = 75.0
"""A model answer must score at least this on its own depth (and cover every concept). Combined
scores are compressed toward the middle: the shipped model answers score 81-95."""
DESCRIPTION_MIN_WORDS = 6
"""A concept description is one of the strongest signals the score reads: a label ("Who drives
it") gives it nothing to match, a sentence stating the claim does."""
REFERENCE_CLAIM_WORDS = 3
"""Words from which a reference-answer rubric's key point is a claim whatever its words: subject, verb
and object ("== checks equality"); one or two ("Event loop") may be a heading of the model answer."""

CONCEPT_MIN_EXEMPLARS = 6
MISCONCEPTION_MIN_EXEMPLARS = 4
"""Exemplars a concept and a misconception of a concept rubric should have at least: the shipped rubrics'
fewest. Cut to 3 each, the shipped rubrics (uncalibrated) agree less with the independent graders:
pooled Spearman 0.781 to 0.758, gross errors 2.4 % to 4.9 % (5 and 4: 0.774, 3.8 %), since an answer in
other words than a concept's few exemplars earns little, and a red flag is raised only near its own."""

(OVERLAP, CONTRADICTION, SWAPPED, ONE_WORD, MISCONCEPTION, INCOMPLETE, LABEL, NEGATED, UNREAD_PAIR, FEW,
 UNUSED, SHARED, BAND_LABEL) = (
    "concept-overlap", "contradiction-too-close", "contradiction-swaps-terms", "contradiction-one-word",
    "model-answer-misconception", "model-answer-incomplete", "description-is-a-label", "exemplars-all-negated",
    "role-pair-unread", "few-exemplars", "concept-unused", "exemplar-shared", "band-label-repeated",
)
CHECKS = (OVERLAP, CONTRADICTION, SWAPPED, ONE_WORD, MISCONCEPTION, INCOMPLETE, LABEL, NEGATED, UNREAD_PAIR, FEW,
          UNUSED, SHARED, BAND_LABEL)
ROLE_PAIR_MIN_GAP = 0.03
"""Mean cosine by which a rubric's exemplars that name a role must sit closer to their concept's other
exemplars as written than with the rubric's role pairs exchanged, for `role_swaps` to tell a reversed
answer from a correct one. The shipped rubrics' pairs do by 0.06 to 0.13; a list/tuple rubric whose
exemplars read alike either way did by -0.01, and correct answers to it were read as reversed."""
def set_similarity(units: ExemplarSet, exemplars: ExemplarSet) -> np.ndarray:
    """The scorer's similarity between two sets of texts (rows x columns)."""
    return fused_similarity(units.vectors, units.incidence, exemplars.vectors, exemplars.incidence,
                            exemplars.lexical_weight)


def _quote(text: str) -> str:
    """A text in a finding's entry, whole: --json hands it to tools; the text view shortens it (views.terminal)."""
    return f'"{text}"'


def concept_overlaps(rubric: Rubric, bank: ExemplarBank) -> list[Finding]:
    """Concepts whose exemplars are, on average, as close to another concept's exemplars as to their own.

    A concept's cohesion is the mean similarity between its exemplars; its closeness to another
    concept is the mean similarity across the two sets. When closeness reaches cohesion the
    model cannot tell the two ideas apart: an answer stating one earns both, or neither reliably.
    The finding lists the exemplars that sit nearer the other concept, the ones to rewrite or move.
    """
    findings = []
    for concept in rubric.concepts:
        own = bank.concepts[concept.id][0]
        n = len(concept.exemplars)
        if n < 2:
            continue
        within = set_similarity(own, own)
        own_mean = (within.sum(axis=1) - within.diagonal()) / (n - 1)
        cohesion = float(own_mean.mean())
        for other in rubric.concepts:
            if other.id == concept.id:
                continue
            across = set_similarity(own, bank.concepts[other.id][0]).mean(axis=1)
            if across.mean() >= cohesion:
                findings.append(_overlap_finding(rubric, concept, other.id, float(across.mean()), cohesion,
                                                 [t for t, a, o in zip(concept.exemplars, across, own_mean) if a >= o]))
    return findings


def _overlap_finding(rubric: Rubric, concept: Concept, other: str, closeness: float, cohesion: float,
                     strays: list[str]) -> Finding:
    return Finding(
        check=OVERLAP, path=rubric.path,
        entries=(f"concept {concept.id}", f"concept {other}", *(f"{concept.id}: {_quote(t)}" for t in strays)),
        similarity=closeness,
        message=(f"the exemplars of '{concept.id}' are as close to those of '{other}' ({closeness:.2f} on average) "
                 f"as to each other ({cohesion:.2f}); {len(strays)} of {len(concept.exemplars)} sit nearer '{other}'"),
        suggestion=(f"rewrite the listed exemplars so each states what only '{concept.id}' claims, move the ones "
                    f"that state '{other}' there, or merge the two concepts"),
    )


def close_contradictions(rubric: Rubric, bank: ExemplarBank) -> list[Finding]:
    """Contradictions that a correct paraphrase of an exemplar would match more than the concept.

    Each exemplar stands in for a candidate saying the same thing in other words: it is compared
    with the concept's *other* exemplars (its support) and with the concept's contradictions of
    the same negation parity (the scorer never compares across parity). When a contradiction is
    at least as close as the support and reaches the concept's covered threshold, the scorer
    would mark that correct claim contradicted. A contradiction that is an exemplar with two terms
    exchanged is left to swapped_contradictions, whose advice (drop it) this one's (reword it) would
    contradict.
    """
    findings = []
    for concept in rubric.concepts:
        positives, contradictions = bank.concepts[concept.id]
        if not len(contradictions.parity) or len(positives.parity) < 2:
            continue
        covered = concept.covered if concept.covered is not None else rubric.scoring.covered
        support = set_similarity(positives, positives)
        against = set_similarity(positives, contradictions)
        # an exemplar with two terms exchanged is contradiction-swaps-terms' to report (drop it), not reworded here
        exchanged = np.array([bool(_exchanged_exemplar(concept, c)) for c in concept.contradictions], dtype=bool)
        for i, text in enumerate(concept.exemplars):
            same = positives.parity == positives.parity[i]
            same[i] = False
            own = float(support[i][same].max()) if same.any() else -1.0
            rival = np.where((contradictions.parity == positives.parity[i]) & ~exchanged, against[i], -np.inf)
            j = int(rival.argmax())
            if rival[j] >= covered and rival[j] + rubric.scoring.margin > own:
                findings.append(Finding(
                    check=CONTRADICTION, path=rubric.path,
                    entries=(f"{concept.id} exemplar: {_quote(text)}",
                             f"{concept.id} contradiction: {_quote(concept.contradictions[j])}"),
                    similarity=float(rival[j]),
                    message=(f"contradiction has similarity {rival[j]:.2f} to an exemplar of '{concept.id}', "
                             + (f"whose nearest other exemplar is only {own:.2f}" if same.any() else
                                "which no other exemplar of the same polarity (negated or not) backs")
                             + ": the model reads the two nearly alike, so a correct paraphrase may be marked "
                               "contradicted and the contradiction itself credited"),
                    suggestion=_contradiction_advice(negation_cue(text) if positives.parity[i] else None),
                ))
    return findings


def _contradiction_advice(cue: str | None) -> str:
    """What to do about a contradiction too close to an exemplar: when the exemplar is itself negated (`cue`,
    the word that negates it), word the exemplar positively first, since "word the contradiction as this
    exemplar negated" cannot be done. The word is named: an exemplar negated by its "None" ("returns False
    or None") does not look negated to its author."""
    if cue is not None:
        return (f"this exemplar is negated itself (by {cue!r}{NONE_IS_NEGATION if cue == 'None' else ''}): "
                "state it positively (\"__exit__ can suppress the exception\" "
                "rather than \"it does not propagate\") and the contradiction as that claim negated, or add another "
                "exemplar stating the claim in other words")
    return ("add another exemplar stating this same claim in other words, or word the contradiction as this exemplar "
            "negated, so that the negation check tells the two apart (exemplar 'cleanup runs even if the block "
            "raises', contradiction 'cleanup does not run if the block raises')")


def model_answer_findings(rubric: Rubric, cards: dict[str, ScoreCard],
                          encode: Callable[[Sequence[str]], np.ndarray] | None = None) -> list[Finding]:
    """Misconceptions a model answer triggers, and concepts it does not cover, per depth. With `encode`
    (the scorer's text encoder), a misconception's finding quotes its exemplar nearest the sentence."""
    findings = []
    for depth_name, card in cards.items():
        model_answer = f"the model answer at depth '{depth_name}'"
        for hit in card.misconceptions:
            part = hit.part or hit.evidence
            nearest = _nearest_exemplar(rubric, hit.id, part, encode) if encode else None
            findings.append(Finding(
                check=MISCONCEPTION, path=rubric.path,
                entries=(f"depths.{depth_name}.model_answer: {_quote(hit.evidence)}",
                         *([f"the part read: {_quote(part)}"] if part != hit.evidence else []),
                         f"misconception {hit.id}" + (f", nearest exemplar: {_quote(nearest)}" if nearest else "")),
                similarity=hit.similarity,
                message=f"{model_answer} triggers misconception '{hit.id}' ({hit.similarity:.2f})",
                suggestion=(f"make the exemplars of '{hit.id}' state the wrong claim itself, not a true statement "
                            f"near it (the nearest one first), or word the part read so that it names what it "
                            f"speaks of (\"it can be a key\" leaves the model to guess what can), or add the model "
                            f"answer's wording to the concept it states"),
            ))
        for result in card.concepts:
            if result.status != Status.COVERED:
                evidence = (f"from {_quote(result.evidence)}" if result.evidence
                            else "no sentence earned it")
                findings.append(Finding(
                    check=INCOMPLETE, path=rubric.path,
                    entries=(f"depths.{depth_name}.model_answer", f"concept {result.id}"),
                    similarity=result.similarity,
                    message=(f"{model_answer} leaves '{result.id}' {result.status} "
                             f"(best similarity {result.similarity:.2f}, {evidence})"),
                    suggestion=(f"state '{result.id}' plainly in the model answer, or add an exemplar phrased "
                                f"like its sentence"),
                ))
        if card.score < MODEL_ANSWER_MIN_SCORE:
            findings.append(Finding(
                check=INCOMPLETE, path=rubric.path, entries=(f"depths.{depth_name}.model_answer",),
                similarity=card.score / 100,
                message=f"{model_answer} scores {card.score:g}, below {MODEL_ANSWER_MIN_SCORE:g}",
                suggestion="fix the concept findings above; a model answer must earn full marks on its own rubric",
            ))
    return findings


def _nearest_exemplar(rubric: Rubric, misconception_id: str, text: str,
                      encode: Callable[[Sequence[str]], np.ndarray]) -> str:
    """The exemplar of the misconception nearest `text` (cosine): the one to reword. An author told only to
    make the exemplars state the wrong claim found they all did; the one the model answer met was "Any
    sequence, list or tuple, can be a key in a dictionary", whose tuple half is the model answer's own claim."""
    exemplars = next(m.exemplars for m in rubric.misconceptions if m.id == misconception_id)
    vectors = encode([text, *exemplars])
    return exemplars[int(np.argmax(vectors[1:] @ vectors[0]))]


def label_descriptions(rubric: Rubric) -> list[Finding]:
    """Concept descriptions too short to state a claim: the scorer matches answers against them. A
    reference-answer rubric's key point is a clause of the model answer: with a function word in it
    ("passing a list raises TypeError") or REFERENCE_CLAIM_WORDS words ("== checks equality") it is a
    short claim, not a label: `rubric from-answer` wrote it from the author's own sentence."""
    def is_label(description: str) -> bool:
        said = description.lower().split()
        claim = rubric.reference_mode and (stopwords() & set(said) or len(said) >= REFERENCE_CLAIM_WORDS)
        return len(said) < DESCRIPTION_MIN_WORDS and not claim

    return [Finding(check=LABEL, path=rubric.path, entries=(f"concept {c.id}: {_quote(c.description)}",),
                    similarity=0.0,
                    message=f"the description of '{c.id}' has {len(c.description.split())} words: a label, not a claim",
                    suggestion="write the claim a strong answer makes as one full sentence in a candidate's words")
            for c in rubric.concepts if is_label(c.description)]


def few_exemplars(rubric: Rubric) -> list[Finding]:
    """Concepts and misconceptions of a concept rubric with fewer exemplars than CONCEPT_MIN_EXEMPLARS and
    MISCONCEPTION_MIN_EXEMPLARS: a rubric written with the schema's minimum of 3 passed every other check,
    and its red flags caught only their own exemplars' wording. A reference-answer rubric's key points
    are the model answer's clauses, one exemplar each by design."""
    if rubric.reference_mode:
        return []
    entries = ([("concept", c.id, _distinct(c.exemplars), CONCEPT_MIN_EXEMPLARS) for c in rubric.concepts]
               + [("misconception", m.id, _distinct(m.exemplars), MISCONCEPTION_MIN_EXEMPLARS)
                  for m in rubric.misconceptions])
    return [Finding(check=FEW, path=rubric.path, entries=(f"{kind} {entry_id}: {count} exemplars",), similarity=0.0,
                    message=(f"{kind} '{entry_id}' has {count} different exemplars: "
                             + ("an answer in other words than these earns little" if kind == "concept"
                                else "it is raised only by wording close to them")),
                    suggestion=f"give it {minimum} or more, one claim each, in the words candidates use "
                               "(8-16 for a concept)")
            for kind, entry_id, count, minimum in entries if count < minimum]


def _distinct(texts: Sequence[str]) -> int:
    """How many different texts there are, whatever their case, spacing and punctuation: a repeated exemplar
    adds no wording."""
    return len({_wording(text) for text in texts})


def _wording(text: str) -> str:
    """A text's words and symbols, lower case: one wording whatever its case, spacing and punctuation, where
    "a == b" and "a != b", or "C#" and "C++", stay two."""
    return " ".join(_WORDING.findall(text.lower()))


_WORDING = re.compile(r"[\w'-]+|[^\w\s]*[^\w\s.,;:!?\"'()\[\]][^\w\s]*")
"""A word, or a run of symbols holding one that is no sentence punctuation (an operator: ==, !=, ++, #)."""


def shared_exemplars(rubric: Rubric) -> list[Finding]:
    """An exemplar that two entries hold in the same words (whatever case, spacing and punctuation): two
    concepts, and an answer saying it earns both; or a concept and a misconception, and it is read as right
    and wrong at once. One finding per wording, naming every entry that holds it."""
    holders: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    entries = ([(f"concept {c.id}", c.exemplars) for c in rubric.concepts]
               + [(f"misconception {m.id}", m.exemplars) for m in rubric.misconceptions])
    for entry, exemplars in entries:
        for text in exemplars:
            wording = _wording(text)
            shown.setdefault(wording, text)
            if entry not in holders.setdefault(wording, []):
                holders[wording].append(entry)
    return [Finding(check=SHARED, path=rubric.path, entries=(*held, _quote(shown[wording])), similarity=1.0,
                    message=f"{' and '.join(held)} each hold the exemplar {_quote(shown[wording])}: an answer "
                            + ("saying it is read as right and wrong at once" if any(h.startswith("misconception")
                                                                                   for h in held)
                               else "saying it earns each of them"),
                    suggestion="keep it in the one entry whose claim it states, and say the others' claims in words "
                               "of their own")
            for wording, held in holders.items() if len(held) > 1]


def unused_concepts(rubric: Rubric) -> list[Finding]:
    """Concepts that no depth grades: defined, exemplars and all, they score nothing, and a concept meant
    for a depth but left out of its list passed every check."""
    graded = {concept_id for depth in rubric.depths for concept_id, _ in depth.concepts}
    probed = {concept_id for depth in rubric.depths for follow_up in depth.follow_ups for concept_id in follow_up.concepts}
    return [Finding(check=UNUSED, path=rubric.path, entries=(f"concept {c.id}",), similarity=0.0,
                    message=f"concept '{c.id}' is graded at no depth: no answer earns it",
                    suggestion="add it to the concepts of the depths that should grade it, or remove it"
                               + (", and from the follow-ups that name it" if c.id in probed else ""))
            for c in rubric.concepts if c.id not in graded]


def repeated_band_labels(rubric: Rubric) -> list[Finding]:
    """Score bands that share a label (whatever its case and spacing): a card and the interviewer sheet show
    only the label, so "strong" from 40 and "strong" from 70 read as one band with two meanings."""
    bands: dict[str, list[str]] = {}
    for band in rubric.score_bands:
        bands.setdefault(_label_as_shown(band.label), []).append(f"band from {band.lower:g}")
    return [Finding(check=BAND_LABEL, path=rubric.path, entries=tuple(held), similarity=0.0,
                    message=f"{len(held)} score bands are labelled '{label}': a card shows only the label, so "
                            "it does not say which of them a score fell in",
                    suggestion="give each band a label of its own, or merge the bands")
            for label, held in bands.items() if len(held) > 1]


def _label_as_shown(label: str) -> str:
    """A band label as a reader sees it: full-width letters as plain ones (NFKC), invisible format characters
    (a zero-width space) dropped, case and spacing aside. "weak", "weak" + U+200B and full-width "ｗｅａｋ" are
    one label on a card."""
    shown = "".join(ch for ch in unicodedata.normalize("NFKC", label) if unicodedata.category(ch) != "Cf")
    return " ".join(shown.split()).casefold()


NONE_IS_NEGATION = ', which the scorer reads as a negation, as in "returns None"'
"""Why an exemplar naming Python's None reads as negated (lexicon.yaml `negation`): said where advice turns on it."""


def negation_cue(text: str) -> str | None:
    """The first word that negates a rubric text, as written ("never", "isn't", "None"), or None: what the
    advice to state an exemplar positively names."""
    found = negation_pattern().search(text)
    if found is None:
        return None
    start = text.rfind(" ", 0, found.start()) + 1  # "n't" is a suffix: show the whole word, "isn't"
    return text[start:found.end()].strip(".,;:!?\"'()")


def negated_concepts(rubric: Rubric) -> list[Finding]:
    """Concepts every exemplar of which is negated ("a string is not mutable"): an exemplar only
    supports parts of its own negation parity, so an answer that states the claim positively
    ("strings are immutable") finds no support, and its sentence can read as denying the concept. An
    exemplar negated only by Python's `None` is not counted ("compare with None using is"): an answer
    stating the claim names None too, and reads negated just the same."""
    return [Finding(check=NEGATED, path=rubric.path, entries=tuple(f"concept {c.id}: {_quote(e)}" for e in c.exemplars),
                    similarity=0.0,
                    message=f"every exemplar of '{c.id}' is negated: an answer stating it positively earns nothing",
                    suggestion="phrase most exemplars positively, as a strong answer would "
                               "(\"strings are immutable\", not \"strings are not mutable\")")
            for c in rubric.concepts if stated_only_negated(c)]


def stated_only_negated(concept: Concept) -> bool:
    """Whether every exemplar of `concept` is negated (negated_concepts says why that costs answers)."""
    return bool(concept.exemplars) and all(exemplar_parity(without_values(e)) == 1 for e in concept.exemplars)


def exchanged_terms(exemplar: str, contradiction: str) -> tuple[str, str] | None:
    """The two terms (up to TERM_WORDS words each) whose exchange turns `exemplar` into `contradiction`
    ("lists are mutable, tuples are not" and "tuples are mutable, lists are not" give ("lists",
    "tuples"); "the event loop drives the coroutine" and "the coroutine drives the event loop" give
    ("event loop", "coroutine")), a plural read as its singular; None when the two differ otherwise.
    Articles, conjunctions and forms of "be" are left out (lexicon.yaml `swap_fillers`), as the model
    nearly ignores them: "a list is mutable but a tuple is not" and "tuples are mutable and lists are
    not" exchange "list" and "tuples"; prepositions stay ("from X to Y" against "to X from Y")."""
    ours, theirs = _claim_words(exemplar), _claim_words(contradiction)
    a, b = [_singular(w) for w in ours], [_singular(w) for w in theirs]
    if len(a) != len(b) or a == b:
        return None
    start = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
    end = len(a) - next(i for i, (x, y) in enumerate(zip(reversed(a), reversed(b))) if x != y)
    middle, other = a[start:end], b[start:end]
    for i in range(1, min(TERM_WORDS, len(middle)) + 1):
        for j in range(max(i, len(middle) - TERM_WORDS), len(middle)):
            first, between, last = middle[:i], middle[i:j], middle[j:]
            if first != last and last + between + first == other:
                return " ".join(ours[start:start + i]), " ".join(theirs[start:start + len(last)])
    return None


TERM_WORDS = 4
"""The most words a swapped term may have: longer spans are clauses in another order, not two terms exchanged."""
_WORD = re.compile(r"[\w'-]+")


def _claim_words(text: str) -> list[str]:
    """A text's words, lower-cased, without the fillers an exchange of terms may change."""
    fillers = swap_fillers()
    return [w for w in _WORD.findall(text.lower()) if w not in fillers]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def swapped_contradictions(rubric: Rubric) -> list[Finding]:
    """Contradictions that are an exemplar with two terms exchanged: sentence embeddings barely see
    word order, so the two read alike and the scorer cannot mark one right and the other wrong (a
    correct answer may match the contradiction, a swapped one the exemplar)."""
    findings = []
    for concept in rubric.concepts:
        for contradiction in concept.contradictions:
            pair = _exchanged_exemplar(concept, contradiction)
            if pair:
                a, b = pair
                findings.append(Finding(
                    check=SWAPPED, path=rubric.path, entries=(f"{concept.id} contradiction: {_quote(contradiction)}",),
                    similarity=0.0,
                    message=(f"contradiction of '{concept.id}' is one of its exemplars with '{a}' and '{b}' exchanged: "
                             "the model reads the two alike, so neither a correct nor a swapped answer is told apart"),
                    suggestion=_swap_advice(rubric, a, b),
                ))
    return findings


def one_word_contradictions(rubric: Rubric) -> list[Finding]:
    """Contradictions that are one of their concept's exemplars with one word changed and no negation added ("a
    list is immutable" or "a tuple is mutable" against "a list is mutable"): the model reads the two alike, and a
    correct answer that states both sides of a comparison in one sentence ("lists are mutable and tuples are
    immutable") holds every word of such a contradiction, so it reads as it: that answer was marked contradicted
    and scored 20, below the same rubric without the contradictions (29). Written as the exemplar negated, the
    negation check keeps a correct sentence from ever being compared with it."""
    findings = []
    for concept in rubric.concepts:
        for contradiction in concept.contradictions:
            changed = _one_word_apart(concept, contradiction)
            if changed:
                exemplar, ours, theirs = changed
                findings.append(Finding(
                    check=ONE_WORD, path=rubric.path,
                    entries=(f"{concept.id} contradiction: {_quote(contradiction)}", f"{concept.id} exemplar: {_quote(exemplar)}"),
                    similarity=0.0,
                    message=(f"contradiction of '{concept.id}' is one of its exemplars with '{ours}' changed to '{theirs}': "
                             "the model reads the two alike, and a correct answer stating both sides in one sentence "
                             "holds every word of it, so it may be marked contradicted"),
                    suggestion=("write it as the exemplar negated (\"a list is not mutable\" against \"a list is "
                                "mutable\"), which the negation check tells apart, or drop it"),
                ))
    return findings


def _one_word_apart(concept: Concept, contradiction: str) -> tuple[str, str, str] | None:
    """(exemplar, its word, the contradiction's) for the first exemplar of the contradiction's negation parity
    whose claim words (_claim_words, plurals as singulars) differ from the contradiction's in exactly one place."""
    theirs = _claim_words(contradiction)
    for exemplar in concept.exemplars:
        ours = _claim_words(exemplar)
        apart = [i for i, (a, b) in enumerate(zip(ours, theirs)) if _singular(a) != _singular(b)]
        if len(ours) == len(theirs) and len(apart) == 1 and exemplar_parity(exemplar) == exemplar_parity(contradiction):
            return exemplar, ours[apart[0]], theirs[apart[0]]
    return None


def _exchanged_exemplar(concept: Concept, contradiction: str) -> tuple[str, str] | None:
    """The two terms whose exchange turns one of the concept's exemplars into `contradiction`, if any."""
    return next(filter(None, (exchanged_terms(e, contradiction) for e in concept.exemplars)), None)


def _swap_advice(rubric: Rubric, a: str, b: str) -> str:
    declared = {frozenset(map(_singular, map(str.lower, pair))) for pair in rubric.scoring.role_swaps}
    if frozenset((_singular(a), _singular(b))) in declared:
        return (f"drop it: scoring.role_swaps already checks answers with '{a}' and '{b}' exchanged (where "
                "role-pair-unread says the model cannot read that pair, neither tells a swapped answer apart)")
    return (f"drop it; if exchanging '{a}' and '{b}' reverses the rubric's claims, try the pair in "
            "scoring.role_swaps: validate then says whether the model can tell the two apart in your exemplars")


def unread_role_pairs(rubric: Rubric, bank: ExemplarBank,
                      encode: Callable[[Sequence[str]], np.ndarray]) -> list[Finding]:
    """Each `role_swaps` pair the model cannot read in this rubric's own words, one finding per pair:
    averaged together, a pair the model reads well hid one it cannot.

    Each exemplar that names a role stands in for a correct answer: how close it comes to its
    concept's other exemplars as written, and with the pair exchanged (swap_roles), is what the
    scorer weighs to call an answer reversed. When the written exemplars are on average not clearly
    closer (ROLE_PAIR_MIN_GAP), the pair tells nothing, and correct answers get read as reversed.
    `encode` embeds texts as the bank's exemplars were (unit vectors).
    """
    return [finding for pair in rubric.scoring.role_swaps
            for finding in _unread_role_pair(rubric, bank, encode, pair)]


def _unread_role_pair(rubric: Rubric, bank: ExemplarBank, encode: Callable[[Sequence[str]], np.ndarray],
                      pair: tuple[str, str]) -> list[Finding]:
    """The finding for one pair (unread_role_pairs), or none."""
    if everyday := [term for term in pair if term.lower() in stopwords()]:
        return [_everyday_role_term(rubric, pair, everyday[0])]
    written: list[tuple[np.ndarray, np.ndarray]] = []
    exchanged: list[str] = []
    for concept in rubric.concepts:
        vectors = bank.concepts[concept.id][0].vectors
        for i, text in enumerate(concept.exemplars):
            swapped = swap_roles(text, (pair,))
            if swapped != text and len(concept.exemplars) > 1:
                written.append((vectors[i], np.delete(vectors, i, axis=0)))
                exchanged.append(swapped)
    if not written:
        return []
    gaps = [float((others @ own).max() - (others @ other).max())
            for (own, others), other in zip(written, encode(exchanged))]
    mean = float(np.mean(gaps))
    if mean >= ROLE_PAIR_MIN_GAP:
        return []
    name = "/".join(pair)
    closer = sum(gap > 0 for gap in gaps)
    return [Finding(
        check=UNREAD_PAIR, path=rubric.path, entries=(f"scoring.role_swaps: {name}",), similarity=mean,
        message=(f"the model barely tells the rubric's own exemplars from their copies with {name} exchanged "
                 f"(closer as written by {mean:.3f} on average, {closer} of {len(gaps)}; a pair that works is "
                 f"{ROLE_PAIR_MIN_GAP:.2f} or more): correct answers may be read as reversed and lose credit"),
        suggestion=(f"score a correct answer of your own and the same answer with {name} exchanged, with the pair "
                    "and without; keep the pair only if the correct one keeps its score. Exemplars that each state "
                    "one role's side in a sentence of their own help the model read the pair"),
    )]


def reversed_model_answers(rubric: Rubric, cards: dict[str, ScoreCard]) -> list[Finding]:
    """A depth whose own model answer, scored, reads better with the `role_swaps` pairs exchanged (the card's
    REVERSED_NOTE): the pairs then mark correct answers reversed too, whatever the exemplars' gap says
    (unread_role_pairs). A list/tuple rubric passed that check, and its model answer was flagged reversed."""
    names = " and ".join("/".join(pair) for pair in rubric.scoring.role_swaps)
    return [Finding(
        check=UNREAD_PAIR, path=rubric.path, entries=(f"depths.{depth}.model_answer", f"scoring.role_swaps: {names}"),
        similarity=card.score / 100,
        message=(f"the model answer at depth '{depth}' reads better with {names} exchanged: correct answers "
                 "will be read as reversed, marked uncertain and lose credit"),
        suggestion=("drop the pair from scoring.role_swaps, or add exemplars that each state one role's side "
                    "in a sentence of their own, in the model answer's words, until its card carries no such note"),
    ) for depth, card in cards.items() if any(note.startswith(REVERSED_NOTE) for note in card.notes)]


def _everyday_role_term(rubric: Rubric, pair: tuple[str, str], term: str) -> Finding:
    """A role pair one of whose terms is a word nearly every sentence holds ("is" of is/==): every sentence then
    names both roles, which the scorer never reads as reversed, so the pair changed no score while validate
    said nothing of it."""
    name = "/".join(pair)
    return Finding(
        check=UNREAD_PAIR, path=rubric.path, entries=(f"scoring.role_swaps: {name}",), similarity=0.0,
        message=(f"'{term}' is a word nearly every sentence holds: every sentence then names both roles of {name}, "
                 "which is never read as reversed, so the pair changes no score"),
        suggestion=("name each role by a word of its own in the pair and the exemplars (\"identity\" and "
                    "\"equality\" for is and ==), or drop the pair"),
    )


def lint(rubric: Rubric, scorer: Scorer) -> list[Finding]:
    """Every meaning check on one rubric; the scorer supplies the embeddings and scores the model answers."""
    cards = {d.name: scorer.score(d.model_answer, d.name) for d in rubric.depths}
    return (label_descriptions(rubric) + few_exemplars(rubric) + unused_concepts(rubric) + negated_concepts(rubric)
            + shared_exemplars(rubric) + repeated_band_labels(rubric)
            + swapped_contradictions(rubric)
            + one_word_contradictions(rubric)
            + concept_overlaps(rubric, scorer.bank) + close_contradictions(rubric, scorer.bank)
            + model_answer_findings(rubric, cards, scorer.exemplar_encoder) + unread_role_pairs(rubric, scorer.bank, scorer.exemplar_encoder)
            + reversed_model_answers(rubric, cards))
