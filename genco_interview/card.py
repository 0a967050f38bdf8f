"""The score card: what an answer earned, concept by concept, as plain data.

The vocabulary every part of genco shares (the scorer makes cards, the history stores them, the
views and the JSON show them), so it imports nothing heavy: no numpy, no rich, no click.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

UNCERTAIN_NOTE = "uncertain: have a person check"
NOT_ENGLISH_NOTE = "This answer does not look like English; genco scores English answers only."
"""The note on the card of an answer that does not read as English (scoring.scorer.language_notes)."""
LIST_NOTE = ("This answer is mostly terms with few full sentences (a keyword list, notes or code); "
             "its score may be far off in either direction.")
"""The note on the card of a keyword list, notes or code (scoring.scorer.combine)."""
SHORT_NOTE = ("This answer uses few distinct words: a sentence that reads close to a concept earns only part of it, for a "
              "concept's credit also counts the terms and reasons an answer gives for it (see the model answer).")
"""The note on the card of a short answer whose sentence meets a concept yet does not cover it
(scoring.scorer.short_answer_notes). Short is few distinct words, not few words: an answer of one sentence
said 30,000 times, cut at 600, was called short."""
UNFINISHED_NOTE = "This answer stops mid-sentence (\u201c\u2026{}\u201d): what it was going on to say is not scored."
"""The note on the card of an answer whose last sentence breaks off (scoring.scorer.unfinished_notes)."""
RETRACTION_NOTE = "This answer takes itself back"
"""How a retraction note starts (scoring.scorer.retraction_notes)."""
REJECTION_NOTE = "This answer rejects claims it reports"
"""How the note starts of an answer that calls what it reported false as a whole (scoring.scorer.rejection_notes)."""
PART_SCORED = "were scored."
"""How the note on the card of an answer scored only in part ends (scoring.rules.truncation_notes)."""
QUESTIONS_NOTE = ("Every sentence of this answer is a question: a question claims nothing to the scorer, so its "
                  "claims earned nothing; state them.")
"""The note on the card of an answer made of questions only (scoring.scorer.combine): "Isn't it true that a
generator yields many values ...?" scored 8, sure."""
REVERSED_NOTE = "Read as a whole, this answer fits the rubric better with"
"""How the note on the card of an answer read with its roles exchanged starts (scoring.rules)."""
DENIAL_NOTE = "denies something and then states the correction of the misconception"
"""What the note says of a sentence that opens with a denial its rest corrects, shown as no misconception
(scoring.rules.denial_note)."""
NEAR_MISCONCEPTION_NOTE = "is nearly as close to the misconception"
"""What the note says of the sentence whose near tie with a misconception took points, though no
misconception is named (scoring.scorer.near_misconception_notes)."""
MAX_SECONDS = 366 * 86400.0
"""The longest time an answer may be kept with (a year): a kept or imported time beyond it is damage."""
COST_SHOWN_FROM = 0.05
"""Points (0-100) from which a card says what misconceptions took off its score: less rounds to nothing."""

UNCERTAIN_WHY = "the scorer's signals disagree, so this score may be off by a grade or more"
NOT_ENGLISH_WHY = "this answer does not read as English, which the model and the rubrics are, so this score may be far off"
CUT_WHY = "only part of this answer was scored, and the rest may take back or make any claim, so this score may be far off"
RETRACTED_WHY = "this answer takes itself back, and its claims were scored as made, so this score may be far off"
REJECTED_WHY = ("this answer rejects claims it reports, and which ones is beyond the scorer: every claim was scored "
                "as made, so this score may be far off")
LIST_WHY = ("this answer is mostly terms or code: it earns credit for the model answer's terms it uses, which no "
            "sentence of it states, so this score may be far off")
DENIAL_WHY = ("a sentence of it denies something and then states a misconception's correction, which the model "
              "cannot tell from a wrong denial followed by a right claim, so this score may be far off")
QUESTIONS_WHY = ("this answer only asks, and a question's claims (\"isn't it true that ...?\") are beyond the "
                 "scorer, so this score may be far off")
REVERSED_WHY = ("this answer reads better with its roles exchanged, which the model barely tells apart, so this "
                "score may be far off")
"""Why a card is uncertain, said under its note to whoever reads it and as `uncertain_why` in the JSON."""


QUOTE_CHARS = 80
"""The most characters of a sentence a card's note quotes."""


def quoted(sentence: str) -> str:
    """A sentence as a card's note quotes it, in curly quotes: whole when short, else cut at the last
    word that ends within QUOTE_CHARS characters, with an ellipsis."""
    text = " ".join(sentence.split())
    if len(text) > QUOTE_CHARS:
        text = (text[:QUOTE_CHARS].rsplit(" ", 1)[0] or text[:QUOTE_CHARS - 1]) + "\u2026"
    return f"\u201c{text}\u201d"


def _cut(note: str) -> bool:
    return note.endswith(PART_SCORED)


def taken_back(note: str) -> bool:
    """Whether a card's note says the answer calls itself, or what it reported, false as a whole."""
    return note.startswith((RETRACTION_NOTE, REJECTION_NOTE))


_WHY_BY_NOTE = ((NOT_ENGLISH_NOTE.__eq__, NOT_ENGLISH_WHY), (_cut, CUT_WHY),
                (lambda note: note.startswith(RETRACTION_NOTE), RETRACTED_WHY),
                (lambda note: note.startswith(REJECTION_NOTE), REJECTED_WHY),
                (LIST_NOTE.__eq__, LIST_WHY), (QUESTIONS_NOTE.__eq__, QUESTIONS_WHY),
                (lambda note: note.startswith(REVERSED_NOTE), REVERSED_WHY),
                (lambda note: DENIAL_NOTE in note, DENIAL_WHY))
"""The note that says why a card is uncertain, the first found in this order; else its signals disagree."""


class Status(StrEnum):
    """A concept's mark. A StrEnum, so it is its plain name in JSON, YAML and SQLite."""

    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"
    CONTRADICTED = "contradicted"


PERSON_MARKS = (Status.COVERED, Status.PARTIAL, Status.MISSING)
"""The marks a person gives a concept, best first: contradicted is the machine's reading alone."""


@dataclass
class ConceptResult:
    id: str
    name: str
    weight: float
    status: Status
    score: float
    similarity: float
    evidence: str | None
    description: str
    confidence: float = 1.0
    """0-1: how far the concept's credit lies from the nearest mark boundary (1 = well clear of it)."""


@dataclass
class MisconceptionHit:
    id: str
    description: str
    correction: str
    penalty: float
    similarity: float
    evidence: str
    margin: float = 0.0
    """How much closer its sentence is to the misconception than to any correct claim of the rubric
    (similarity points); a near tie is a weak flag that the combination does not show (combination.py)."""
    part: str | None = field(default=None, compare=False, repr=False)
    """The text of the part that states it (a clause, or the sentence itself), while the answer is
    scored; not kept: a card read back from the history has only its sentence."""
    restated: tuple[tuple[str, str, float], ...] = field(default=(), compare=False, repr=False)
    """Every other part that states it, as (sentence, part, margin), while the answer is scored; not kept."""


GOOD_SCORE = 70
"""A score from here on is good (shown green); under it a card with nothing missing says what would lift it."""
_FULLER_WHY = ("Every concept is there, but the score also weighs how fully each is stated and how much of the "
               "model answer's content the answer carries: ")
FULLER_HINT = _FULLER_WHY + ("say the lower percentages more fully, as the model answer does (what happens, why, "
                             "an example).")
FULLER_HINT_OF_A_CANDIDATE = _FULLER_WHY + "the lower percentages were said in part; ask the candidate to say more of those."
"""FULLER_HINT for a candidate's answer: the interviewer reads it, not the one who answered."""


@dataclass
class ScoreCard:
    question: str
    depth: str
    score: float
    concepts: list[ConceptResult]
    misconceptions: list[MisconceptionHit]
    model: str
    notes: list[str] = field(default_factory=list)
    alignment: float = 0.0
    """Reference-answer rubrics: the alignment (0-1) their rules blend into the score; 0 for concept rubrics."""
    confidence: float = 1.0
    """0-1: agreement of the combined grade with a second opinion (the model answer's terms alone); low means uncertain."""
    uncertain: bool = False
    """True when the signals disagree enough that a person should check the score."""
    misconception_cost: float = 0.0
    """Points (0-100) the flagged misconceptions took off `score`: the score they would have had
    unheard, minus it. A fitted weight, not the rubric's `penalty`, for a concept rubric."""

    @property
    def missed(self) -> list[ConceptResult]:
        return [c for c in self.concepts if c.status != Status.COVERED]

    @property
    def stated_in_part(self) -> bool:
        """True when nothing is missed, no misconception is named, yet the score is under GOOD_SCORE: every
        concept is there, some said only in part, and the card must still say what would lift it."""
        return bool(self.concepts) and not self.missed and not self.misconceptions and self.score < GOOD_SCORE

    @property
    def reads_as_english(self) -> bool:
        """False when the answer did not read as English: then that, not the signals, is why the card is
        uncertain (a kept card says so by its note, so one read back from the history does too)."""
        return NOT_ENGLISH_NOTE not in self.notes

    @property
    def scored_in_part(self) -> bool:
        """Whether the answer was cut before scoring (scoring.rules.truncation_notes): what was cut may take
        back, or make, every claim scored, so such a card asks for a person."""
        return any(map(_cut, self.notes))

    @property
    def takes_itself_back(self) -> bool:
        """Whether the answer calls itself, or what it reports, false as a whole
        (scoring.scorer.retraction_notes): its claims were scored as made, so such a card asks for a person."""
        return any(map(taken_back, self.notes))

    @property
    def uncertain_why(self) -> str | None:
        """Why the card asks for a person (None when it does not): it does not read as English, was
        cut, takes itself back, is mostly terms or code, or reads better with its roles exchanged (each
        of which a note of the card says), else its signals disagree."""
        if not self.uncertain and UNCERTAIN_NOTE not in self.notes:
            return None
        return next((why for said, why in _WHY_BY_NOTE for note in self.notes if said(note)), UNCERTAIN_WHY)

    @property
    def shown_notes(self) -> list[str]:
        """The notes a reader is shown: all but a keyword-list or not-English note on a card that is uncertain
        for that reason, whose why says it again under "uncertain: have a person check" (a code answer's
        card said "mostly terms ... may be far off" twice, one line after the other)."""
        restated = {LIST_NOTE: LIST_WHY, NOT_ENGLISH_NOTE: NOT_ENGLISH_WHY}
        why = self.uncertain_why if UNCERTAIN_NOTE in self.notes else None  # printed under that note only
        return [note for note in self.notes if note not in restated or restated[note] != why]

    def to_dict(self) -> dict[str, Any]:
        """The card's one public shape: `genco score --format json` prints it (with `id` and
        `genco_version` added) and the interviewer's JSON carries its marks. Similarities and
        concept scores are rounded to 3 decimals, as shown everywhere else."""
        return {
            "question": self.question,
            "depth": self.depth,
            "score": self.score,
            **confidence_fields(self),
            "concepts": [{"id": c.id, "name": c.name, **mark_fields(c), "weight": c.weight,
                          "description": c.description} for c in self.concepts],
            "misconceptions": [{"id": m.id, "evidence": m.evidence, "similarity": round(m.similarity, 3),
                                "penalty": m.penalty, "description": m.description, "correction": m.correction}
                               for m in self.misconceptions],
            "misconception_cost": self.misconception_cost,
            "notes": list(self.notes),
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreCard:
        """The card back from `to_dict`'s shape (raises KeyError or ValueError on another shape)."""
        concepts = [ConceptResult(id=c["id"], name=c["name"], weight=float(c["weight"]), status=Status(c["status"]),
                                  score=float(c["score"]), similarity=float(c["similarity"]), evidence=c["evidence"],
                                  description=c.get("description", ""), confidence=float(c.get("confidence", 1.0)))
                    for c in data["concepts"]]
        hits = [MisconceptionHit(id=m["id"], description=m.get("description", ""), correction=m.get("correction", ""),
                                 penalty=float(m["penalty"]), similarity=float(m["similarity"]), evidence=m["evidence"])
                for m in data["misconceptions"]]
        return cls(question=data["question"], depth=data["depth"], score=float(data["score"]), concepts=concepts,
                   misconceptions=hits, model=data["model"], notes=list(data.get("notes", [])),
                   confidence=float(data.get("confidence", 1.0)), uncertain=bool(data.get("uncertain", False)),
                   misconception_cost=float(data.get("misconception_cost", 0.0)))


def mark_fields(concept: ConceptResult) -> dict[str, Any]:
    """A concept's mark as the machine made it: what it decided, how sure it is, on which words.

    One shape for `genco score`'s JSON concepts and `genco grade`'s `machine` column, so a tool
    reads the machine's marks the same way from both.
    """
    return {"status": concept.status, "score": round(concept.score, 3), "confidence": concept.confidence,
            "evidence": concept.evidence, "similarity": round(concept.similarity, 3)}


def confidence_fields(card: ScoreCard) -> dict[str, Any]:
    """How sure the machine is of a card's score, as both `genco score`'s and `genco grade`'s JSON carry it."""
    return {"confidence": card.confidence, "uncertain": card.uncertain, "uncertain_why": card.uncertain_why}


def overall_score(concepts: Sequence[ConceptResult], misconceptions: Sequence[MisconceptionHit],
                  alignment_weight: float = 0.0, alignment: float = 0.0) -> float:
    """Weighted concept credit (blended with reference alignment, 0-1) minus misconception penalties,
    on 0-100 to one decimal.

    One formula for the machine's card and for a card an interviewer has overridden, so a
    human mark changes the score exactly as the same machine mark would.
    """
    total_weight = sum(c.weight for c in concepts)
    concept_share = sum(c.weight * c.score for c in concepts) / total_weight
    earned = 100.0 * ((1 - alignment_weight) * concept_share + alignment_weight * alignment)
    return round(min(max(earned - sum(h.penalty for h in misconceptions), 0.0), 100.0), 1)


def penalties_taken(concepts: Sequence[ConceptResult], misconceptions: Sequence[MisconceptionHit],
                    alignment_weight: float = 0.0, alignment: float = 0.0) -> float:
    """Points overall_score took off for `misconceptions` (0 to their summed penalty, less when the
    score would go under 0)."""
    unheard = overall_score(concepts, [], alignment_weight, alignment)
    return round(unheard - overall_score(concepts, misconceptions, alignment_weight, alignment), 1)
