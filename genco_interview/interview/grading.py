"""A candidate's scorecard: the machine's marks, an interviewer's overrides, and what to ask next.

The machine scores the transcript; the interviewer, who heard the answer, may disagree per
concept. Both marks are kept side by side. An override moves the score through the scorer's own
combination (`Combination.points_per_credit`), exactly as the same change of machine credit
would; with no override the score is the machine's, and with every concept overridden it is the
interviewer's marks' weighted credit alone. A reference-answer rubric is scored by its rules'
formula (`scoring.overall_score`), so its overrides go through that formula. A human mark earns fixed credit (covered
1.0, partial 0.5, missing 0): the interviewer judges the claim, not how close its wording came
to an exemplar. An interviewer who heard no misconception dismisses the red flags: the score gets
back what they took (`ScoreCard.misconception_cost`), and the attempt keeps none of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..card import (
    COST_SHOWN_FROM,
    GOOD_SCORE,
    PERSON_MARKS,
    ConceptResult,
    ScoreCard,
    Status,
    confidence_fields,
    mark_fields,
    overall_score,
)
from ..errors import UsageProblem
from ..output import one_line
from ..rubric import FollowUp, Rubric, ScoreBand
from ..scoring.combination import shipped_combination
from ..text.reading import strip_invisible
from ..text.segment import content_words

OVERRIDE_CREDIT = dict(zip(PERSON_MARKS, (1.0, 0.5, 0.0), strict=True))
"""The credit of a concept the interviewer marked, whatever its similarity."""


TAKE_BACK = "machine"
"""The status that takes an interviewer's earlier mark of a concept back on a regrade (`--override driver=machine`):
the machine's mark stands again, the rest of the earlier judgement with it."""


class OverrideError(UsageProblem, ValueError):
    """An --override the interviewer mistyped (a usage error); the message names the valid choices."""


def _name_key(name: str) -> str:
    """A concept's id or name as --override matches it: in any case, its runs of spaces as one."""
    return " ".join(name.split()).casefold()


def parse_overrides(specs: Sequence[str], concepts: Mapping[str, str]) -> dict[str, str]:
    """CONCEPT=STATUS pairs, checked against the concepts of the depth being graded (`concepts`: id →
    display name). CONCEPT is the concept's id or its name, each in any case ("Who drives it=covered",
    "DRIVER=covered"), STATUS a status in any case; the result is keyed by id. Raises OverrideError
    naming the valid choices. STATUS may be TAKE_BACK, which the caller applies to an earlier judgement.
    A name is read with its runs of spaces as one ("Who  drives it"): the error line, printed on one line,
    showed such a name as the valid one it was refused beside."""
    by_name = {_name_key(name): cid for cid, name in concepts.items()} | {cid.casefold(): cid for cid in concepts}
    overrides: dict[str, str] = {}
    for spec in specs:
        given, sep, status = (part.strip() for part in spec.partition("="))
        status = status.lower()  # "COVERED" is covered, as a concept's name is read in any case
        if not sep or not given or not status:
            raise OverrideError(f"--override {spec!r} must look like CONCEPT=STATUS, e.g. driver=covered")
        concept_id = given if given in concepts else by_name.get(_name_key(given))
        if concept_id is None:
            valid = ", ".join(f"{cid} ({name})" for cid, name in concepts.items())
            raise OverrideError(f"--override: unknown concept {given!r} at this depth; valid: {valid}")
        if status not in OVERRIDE_CREDIT and status != TAKE_BACK:
            raise OverrideError(f"--override {concept_id}: unknown status {status!r}; valid: {', '.join(OVERRIDE_CREDIT)}, "
                                f"or {TAKE_BACK} to take your earlier mark back")
        if overrides.get(concept_id, status) != status:
            raise OverrideError(f"--override: {concept_id} is marked both {overrides[concept_id]} and {status}")
        overrides[concept_id] = status
    return overrides


@dataclass(frozen=True)
class ConceptMark:
    """One concept as the machine marked it and, if they disagreed or confirmed, as the interviewer did."""

    machine: ConceptResult
    override: str | None = None

    @property
    def final(self) -> ConceptResult:
        if self.override is None:
            return self.machine
        return replace(self.machine, status=self.override, score=OVERRIDE_CREDIT[self.override])


def every_concept_marked(marks: Sequence[ConceptMark]) -> bool:
    """Whether the interviewer overrode every concept of the depth (and there is one)."""
    return bool(marks) and all(m.override is not None for m in marks)


COVERED_IN_PART = (f"Every concept is marked covered, yet the score is under {GOOD_SCORE}: some are stated only in "
                   "part (the lower percentages); ask the candidate to say more of those.")
"""What a scorecard says after its band's meaning when every concept is covered and the score is still under
GOOD_SCORE (Grade.band_note): "partial: ... the marks say which are weak" beside three ticks read as a contradiction."""
RED_FLAG_STANDS = ("A red flag stands, listed under Red flags heard: settle it with the candidate before you trust the band, and dismiss "
                   "it if you heard no misconception.")
"""What a scorecard says after its band's meaning while a misconception it names stands (Grade.band_note):
"strong: ... move on to the next depth" read as settled beside a candidate who said threads run Python in
parallel (75.9, the flag's 8 points taken)."""
CARRIED_NOTE_START = "from this transcript's earlier grade:"
"""How the note opens that says a regrade kept the interviewer's marks, note or dismissal of the transcript's
earlier grade (app.workbench): a note about the interviewer's own judgement, never headed "machine's note"
(note_label). It names no attempt number: numbers change when a history is imported."""
EARLIER_CARRIED_NOTE_START = "your note and marks of"
"""How that note opened in grades kept before ("your note and marks of attempt 5, ...")."""


def is_carried_note(note: str) -> bool:
    """Whether a card's note says a regrade kept the earlier grade's judgement (CARRIED_NOTE_START)."""
    return note.startswith((CARRIED_NOTE_START, EARLIER_CARRIED_NOTE_START))


def note_label(grade: Grade, note: str) -> str:
    """What heads one of the card's notes: "note", or "machine's note" once the interviewer has marked a concept
    ("No concept is stated clearly enough to mark" read as denying the interviewer's own partial); a note about
    the interviewer's carried marks is never the machine's."""
    return "machine's note" if grade.overrides and not is_carried_note(note) else "note"


BAND_HEDGE = " if a person confirms the score"
"""What a scorecard says after its band's label when the band rests on an uncertain score (Grade.band_hedge)."""


@dataclass
class Grade:
    card: ScoreCard
    answer: str
    marks: list[ConceptMark]
    score: float
    band: ScoreBand
    follow_ups: list[FollowUp]
    candidate: str | None = None
    note: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    red_flags_dismissed: bool = False
    """The interviewer heard no misconception: the score has back what the machine's red flags took."""
    carried_over: bool = False
    """The marks, note and dismissal are the earlier grade's of this transcript, graded again with none of its own."""
    title: str | None = None
    """The question's title as the rubric gave it when graded: kept, so the comparison of candidates names the
    question and bands its scores (`band`'s label, kept too) when the rubric was a file off the search path."""
    regrades: int | None = None
    """The number of the kept grade of this transcript and candidate that keeping this one replaces, as grading
    decided it (Workbench.grade): keeping looks nothing up again under another form of the name."""

    @property
    def every_concept_overridden(self) -> bool:
        """The interviewer marked every concept: the score is their marks' weighted credit alone."""
        return every_concept_marked(self.marks)

    @property
    def band_hedge(self) -> str:
        """BAND_HEDGE, said after the band's label, when the band rests on a machine score its card calls
        uncertain (an answer taken back, a keyword list, signals that disagree) and the interviewer has
        not replaced it by marking every concept: "strong: ... move on to the next depth" must not read
        as settled beside "have a person check". Else nothing."""
        return BAND_HEDGE if self.card.uncertain and not self.every_concept_overridden else ""

    @property
    def band_note(self) -> str:
        """RED_FLAG_STANDS while a misconception the card names stands (not dismissed: it takes its points off
        the interviewer's marks too); COVERED_IN_PART when every concept ends covered, no red flag stands and
        the score is under GOOD_SCORE (ScoreCard.stated_in_part, as the learner's card tells them to say
        more); else nothing."""
        if self.card.misconceptions and not self.red_flags_dismissed:
            return RED_FLAG_STANDS
        return COVERED_IN_PART if self.final_card.stated_in_part else ""

    @property
    def final_card(self) -> ScoreCard:
        """The card as the interviewer marked it: what history keeps for an interviewer attempt (with
        no red flag once they are dismissed, so progress reports do not count them)."""
        card = without_red_flags(self.card) if self.red_flags_dismissed else self.card
        return replace(card, concepts=[m.final for m in self.marks], score=self.score)

    def kept(self) -> dict[str, Any]:
        """What the history keeps beside the final marks (`Attempt.grade`): who, the note, the interviewer's
        overrides as given (an override that agrees with the machine's mark still earns fixed credit), and the
        machine's own score and marks, so a kept grade shows both sides of every override, and, when
        the interviewer dismissed the red flags, what they took (score points) and each flag the card
        named with the words that raised it: read later, the grade says which claim was let through."""
        kept = {"candidate": self.candidate, "note": self.note, "machine_score": float(self.card.score),
                "machine": {m.machine.id: str(m.machine.status) for m in self.marks}, "band": self.band.label,
                "title": self.title}
        if self.overrides:  # one that agrees with the machine's mark moves the score too (fixed credit): kept as given
            kept["overrides"] = {cid: str(status) for cid, status in self.overrides.items()}
        if self.red_flags_dismissed:
            kept["red_flags_dismissed"] = {
                "points": float(self.card.misconception_cost),
                "flags": [{"id": hit.id, "description": hit.description, "evidence": hit.evidence}
                          for hit in self.card.misconceptions]}
        return kept

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of a scorecard (documented in docs/rubrics.md)."""
        return {
            "kind": "interviewer",
            "candidate": self.candidate,
            "question": self.card.question,
            "depth": self.card.depth,
            "score": self.score,
            "machine_score": self.card.score,
            **confidence_fields(self.card),
            "band": {"label": self.band.label, "meaning": self.band.meaning},
            "concepts": [_mark_dict(m) for m in self.marks],
            "misconceptions": [{"id": h.id, "description": h.description, "evidence": h.evidence,
                                "similarity": round(h.similarity, 3), "penalty": h.penalty}
                               for h in self.card.misconceptions],
            "misconception_cost": self.card.misconception_cost,
            "red_flags_dismissed": self.red_flags_dismissed,
            "follow_ups": [{"ask": f.ask, "good_answer": f.good_answer, "concepts": list(f.concepts)}
                           for f in self.follow_ups],
            "note": self.note,
            "answer": self.answer,
            "notes": self.card.notes,
            "model": self.card.model,
        }


def _mark_dict(mark: ConceptMark) -> dict[str, Any]:
    machine, final = mark.machine, mark.final
    return {"id": machine.id, "name": machine.name, "weight": machine.weight,
            "machine": mark_fields(machine),
            "override": mark.override, "status": final.status, "score": round(final.score, 3)}


MAX_FOLLOW_UPS = 4
"""Probes a scorecard suggests at most: nine, from every depth, were more than an interview has time for, and
buried this depth's own under deeper ones."""


def follow_ups_for(rubric: Rubric, depth: str, missed: Sequence[str], asked: Sequence[str] = (),
                   unsure: Sequence[str] = ()) -> list[FollowUp]:
    """At most MAX_FOLLOW_UPS probes linked to a concept the candidate missed, then to one the machine marked
    covered but is unsure of (`unsure`, weak_covers): this depth's first, then other depths' ones; each probing a
    concept no probe chosen before it probes (two probes of one concept took two of four places); none the
    interviewer already put among the questions `asked` (was_asked)."""
    ordered = [*rubric.depth(depth).follow_ups, *(f for d in rubric.depths if d.name != depth for f in d.follow_ups)]
    chosen: list[FollowUp] = []
    probed: set[str] = set()
    for wanted in (set(missed), set(unsure)):
        for follow_up in ordered:
            new = (wanted & set(follow_up.concepts)) - probed
            if new and follow_up not in chosen and not was_asked(follow_up.ask, asked):
                chosen.append(follow_up)
                probed |= new
    return chosen[:MAX_FOLLOW_UPS]


UNSURE_BELOW = 0.5
"""A machine's covered mark with a confidence (ConceptResult.confidence, 0-1) under this is worth a probe: its
credit sits near the covered cut. A candidate who said calling a coroutine starts it in the background had
"Calling returns a suspended object" covered at 63 % from another sentence, and the scorecard suggested no
follow-up, though its band said to probe with them."""


def weak_covers(marks: Sequence[ConceptMark]) -> list[str]:
    """The concepts the machine alone marked covered with a confidence under UNSURE_BELOW."""
    return [m.machine.id for m in marks if m.override is None and m.machine.status == Status.COVERED
            and m.machine.confidence < UNSURE_BELOW]


ASKED_SHARE = 0.6
"""Share of a probe's content words one of the interviewer's questions must use for the probe to count as asked."""


def was_asked(probe: str, asked: Sequence[str]) -> bool:
    """Whether one of the interviewer's questions `asked` is the probe's, word for word or nearly (ASKED_SHARE
    of its content words, two at least: "What does send() do?" has one): suggested again, it sent the
    interviewer back to a question the transcript shows answered."""
    wanted = content_words(probe)
    return any(_words(question) == _words(probe)
               or (len(wanted) >= 2 and len(wanted & content_words(question)) >= ASKED_SHARE * len(wanted))
               for question in asked)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def overridden_score(card: ScoreCard, finals: Sequence[ConceptResult], every_concept: bool = False) -> float:
    """The machine's score moved by the change of weighted concept credit the overrides make (0-100,
    one decimal). With `every_concept` overridden, the interviewer has judged the whole answer: the
    score is their marks' weighted credit, the same for the same marks whatever the wording, less what
    the red flags that stand took (`misconception_cost`: nothing once dismissed). Left out, a flag
    cost nothing once the last concept was marked, and marking a concept missing raised the score."""
    if every_concept:
        return round(max(marks_credit(finals) - card.misconception_cost, 0.0), 1)
    total = sum(c.weight for c in card.concepts) or 1.0
    change = sum(f.weight * (f.score - m.score) for m, f in zip(card.concepts, finals)) / total
    if not change:
        return card.score
    moved = card.score + shipped_combination().points_per_credit * change
    return round(min(max(moved, 0.0), 100.0), 1)


def marks_credit(finals: Sequence[ConceptResult]) -> float:
    """The weighted credit of a depth's final marks, 0-100: the score of marks that judge every concept, before
    red flags."""
    total = sum(f.weight for f in finals) or 1.0
    return 100.0 * sum(f.weight * f.score for f in finals) / total


def has_red_flags(card: ScoreCard) -> bool:
    """Whether misconceptions cost the card anything: flags it names, or near ties it does not name."""
    return bool(card.misconceptions) or card.misconception_cost > 0


def without_red_flags(card: ScoreCard) -> ScoreCard:
    """The card as if no misconception had been heard: its score plus what they took
    (`misconception_cost`, 0-100 points), none named and nothing taken."""
    score = round(min(card.score + card.misconception_cost, 100.0), 1)
    return replace(card, score=score, misconceptions=[], misconception_cost=0.0)


def kept_name(candidate: str | None) -> str | None:
    """A candidate's name as a grade keeps it: on one line ("Ada\nL." is "Ada L."), without invisible characters
    (a zero-width space alone names nobody, None); it heads reports and scorecards, and a name is no place for
    layout."""
    return one_line(strip_invisible(candidate)) or None if candidate is not None else None


CANDIDATE_NAME_LIMIT = 200
"""Characters of a candidate's name as kept (kept_name, precomposed) for a new grade (`grade --candidate`, the web
app's grading form): a 5,000-character name was kept, and `genco candidates` printed it over dozens of lines.
Names kept longer (an import) are still read back."""


def candidate_name_problem(name: str | None) -> str | None:
    """What is wrong with a candidate's name typed for a new grade, or None: longer than CANDIDATE_NAME_LIMIT
    characters as kept, counted as seen ("é" typed as e and an accent is one)."""
    kept = kept_name(name)
    length = len(unicodedata.normalize("NFC", kept)) if kept else 0
    if length <= CANDIDATE_NAME_LIMIT:
        return None
    return f"is {length:,} characters; a candidate's name holds at most {CANDIDATE_NAME_LIMIT}"


def grade(rubric: Rubric, card: ScoreCard, answer: str, overrides: dict[str, str] | None = None,
          candidate: str | None = None, note: str | None = None, dismiss_red_flags: bool = False,
          asked: Sequence[str] = ()) -> Grade:
    """The interviewer's scorecard for one machine-scored answer, the candidate's name as kept (kept_name).
    `dismiss_red_flags`: the interviewer heard no misconception, so the score is computed from the card
    without them (without_red_flags); with none to dismiss it changes nothing and is not recorded.
    `asked`: the interviewer's questions in the transcript (reading.interviewer_questions), not suggested again."""
    overrides = overrides or {}
    candidate = kept_name(candidate)
    dismissed = dismiss_red_flags and has_red_flags(card)
    scored = without_red_flags(card) if dismissed else card
    marks = [ConceptMark(result, overrides.get(result.id)) for result in card.concepts]
    finals = [m.final for m in marks]
    every_concept = every_concept_marked(marks)
    score = (overall_score(finals, scored.misconceptions, rubric.scoring.alignment_weight, card.alignment)
             if rubric.reference_mode and overrides and not every_concept
             else overridden_score(scored, finals, every_concept))
    missed = [c.id for c in finals if c.status != Status.COVERED]
    return Grade(card=card, answer=answer, marks=marks, score=score, band=rubric.band(score), title=rubric.title,
                 follow_ups=follow_ups_for(rubric, card.depth, missed, asked, weak_covers(marks)), candidate=candidate, note=note,
                 overrides=dict(overrides), red_flags_dismissed=dismissed)


def red_flags_cost(grade: Grade) -> str | None:
    """What misconceptions cost the score, as fitted (ScoreCard.misconception_cost), not the rubric's
    `penalty`; None when they cost nothing. The red flags the card names, or, when it names none,
    the near tie it does not name (nearly as close to a correct claim; a note of the card quotes
    it), which the score weighs all the same. With every concept overridden the score is the interviewer's marks less
    those points, until the interviewer dismisses the flags, and the line says so."""
    cost = grade.card.misconception_cost
    if cost < COST_SHOWN_FROM:
        return None
    said = (f"They took {cost:g} points off the machine's score" if grade.card.misconceptions else
            f"A sentence close to a misconception, nearly as close to a correct claim and so not named as a red "
            f"flag, took {cost:g} points off the machine's score")
    if grade.red_flags_dismissed:
        return f"{said}; you dismissed them, so the score has those points back."
    if grade.every_concept_overridden:  # no more than the marks held: the score stops at 0
        taken = round(min(cost, marks_credit([m.final for m in grade.marks])), 1)
        return f"{said}, and take {taken:g} off the score of your marks: dismiss them if you heard no misconception."
    return f"{said}."


def red_flags_heading(grade: Grade) -> str:
    """The heading over the red flags the machine heard, saying when the interviewer dismissed them."""
    return "Red flags heard (dismissed by you)" if grade.red_flags_dismissed else "Red flags heard"


def dismissed_red_flags(dismissed: Mapping[str, Any]) -> list[str]:
    """A kept grade's dismissed red flags (`Grade.kept`) as lines: the interviewer's decision with the
    points it gave back, then each flag the card named and the words that raised it."""
    lines = [f"The interviewer heard no misconception and dismissed the machine's red flags, giving back the "
             f"{dismissed['points']:g} points they took:" if dismissed["flags"] else
             f"The interviewer dismissed the near misconceptions that took {dismissed['points']:g} points off "
             f"the machine's score."]
    return lines + [f"✗ {flag['description']} (said: “{flag['evidence']}”)" for flag in dismissed["flags"]]
