"""The `Workbench`: genco for one front end. It keeps the model and each rubric's scorer once loaded,
so a long-lived front end (the web app) scores warm while a one-shot command pays for the model only
when it scores; it scores, grades and keeps answers and mock-interview turns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import GencoError, cut
from ..output import one_line
from ..progress.attempt import marked_by_interviewer, name_key
from ..rubric import (
    Rubric,
)
from .history import name_to_keep
from .interviews import interview_rubric

if TYPE_CHECKING:
    from ..card import ScoreCard
    from ..embedding import Embedder
    from ..interview.grading import Grade
    from ..progress.attempt import Attempt
    from ..scoring import Scorer
if TYPE_CHECKING:
    from ..interview.mock import InterviewSession, Turn



@dataclass
class Saved:
    """Where scored answers went: their attempt numbers in the history (what `genco show N` takes);
    `already` when the history held this very grade, which was not kept a second time."""

    numbers: list[int]
    already: bool = False
    replaced: int | None = None
    """The number of the grade of the same transcript this one replaced (keep_grade), else None."""
    others: list[int] = field(default_factory=list)
    """The numbers of the candidate's other kept grades of this question at this depth, of other transcripts
    (keep_grade): a transcript edited and graded again is a grade of its own, beside the first."""



@dataclass(frozen=True)
class Judgement:
    """What an interviewer added to a kept grade of theirs: their marks (concept id -> status, where they differ
    from the machine's), their note, whether they dismissed the red flags."""

    marks: dict[str, str]
    note: str | None
    dismissed: bool

    @classmethod
    def of(cls, attempt: Attempt) -> Judgement | None:
        """The judgement a kept grade holds (read with its concept rows), None when it holds none."""
        grade = attempt.grade or {}
        marks = marked_by_interviewer(grade, {c["id"]: c["status"] for c in attempt.concepts})
        dismissed = "red_flags_dismissed" in grade
        if not marks and grade.get("note") is None and not dismissed:
            return None
        return cls(marks, grade.get("note"), dismissed)



def _added_note(earlier: str | None, given: str | None) -> str | None:
    """The earlier grade's note with the lines of the `given` one it lacks after it: the same command run again
    (the text, then `--json` for a tool) adds nothing, and keeps the grade it kept."""
    held = (earlier or "").splitlines()
    lines = held + [line for line in (given or "").splitlines() if line not in held]
    return "\n".join(lines) or None


def _carried_note(before: Judgement, given: bool, adding: bool, gone: Sequence[str]) -> str:
    """What a regrade's card says of the earlier grade's judgement it carried (`before`): what of it stands (its
    marks, note, dismissal), and what became of what the interviewer `given` now (added, with `adding`; the web
    form's whole judgement else); `gone`: the concepts marked that the depth no longer has."""
    from ..interview.grading import CARRIED_NOTE_START

    if given:
        then = ", with what you gave now added (a mark replaces the earlier one of its concept)"
    elif adding:
        then = "; a note, a mark or a dismissal of red flags you give is added (--override CONCEPT=machine takes a mark back)"
    else:
        then = "; the form holds them, and what it sends is the whole judgement"
    dropped = f" (your mark of {', '.join(gone)}, no longer a concept of this depth, is dropped)" if gone else ""
    held = [what for what, there in (("marks", before.marks), ("note", before.note), ("dismissal of red flags",
                                                                                    before.dismissed)) if there]
    said = " and ".join([", ".join(held[:-1]), held[-1]] if len(held) > 1 else held)
    stand = "stand" if len(held) > 1 or held == ["marks"] else "stands"
    return f"{CARRIED_NOTE_START} your {said} {stand}{then}{dropped}"


def _labels(names: Sequence[str]) -> str:
    """Transcript labels as a card names them: "Verdict:, Feedback:"."""
    return ", ".join(f"{name}:" for name in names)



def interviewer_marks(rubric: Rubric, depth: str, overrides: Sequence[str]) -> dict[str, str]:
    """The interviewer's overrides ("concept=status", the concept by id or name) by concept id, checked
    against `depth`'s concepts. A front end checks them before it reads a transcript, so a mistyped
    override is a usage error before anything is pasted, not after. Raises OverrideError (a usage error)."""
    from ..interview.grading import parse_overrides

    return parse_overrides(overrides, {cid: rubric.concept(cid).name for cid, _ in rubric.depth(depth).concepts})



INTERVIEWER_ONLY_NOTE = ("Only the interviewer's lines (under a label such as Interviewer:, Q:, Me: or Verdict:) hold words: "
                         "nothing of the candidate's to score. The candidate's lines go under Candidate:, A: or the "
                         "name given with --candidate.")
"""A grade's note, in place of "the answer has no words", for a transcript with words none of which are the candidate's."""



def _graded_as(db: str | None, candidate: str | None, earlier: Attempt | None) -> tuple[str | None, str | None, Attempt | None]:
    """The name a grade is kept under, a note for its card when that is not the name as typed, and the earlier
    grade of this transcript it replaces (None: it is kept beside the others). A regrade keeps the name the
    transcript was graded under; a name that says more of the person than that one ("Dana Whitfield" for
    "Dana") regrades it under the name a new grade of it would be kept under (name_to_keep), unless that name
    is not the earlier one's in full ("W. Chen", kept as "Dr. Wei Chen", is not "Mr. Chen": a grade of its own).
    A new grade gets name_to_keep's ("Bob Martinez" for "Bob", the one "Bob Martinez" graded before)."""
    from ..text.names import lengthens

    if earlier is None or earlier.candidate is None:
        return (*name_to_keep(db, candidate), earlier) if candidate else (candidate, None, earlier)
    if candidate is None or name_key(candidate) == name_key(earlier.candidate):
        return earlier.candidate, None, earlier
    if lengthens(candidate, earlier.candidate):
        fuller, named = name_to_keep(db, candidate)
        if not lengthens(fuller, earlier.candidate):
            return fuller, named, None
        return fuller, f"this transcript was graded before as {earlier.candidate!r}: that grade is now kept under {fuller!r}", earlier
    return earlier.candidate, f"graded as {earlier.candidate!r}, the name this transcript was graded under before", earlier


class Workbench:
    """genco for one front end: the model, loaded on first use (or handed over warm), one scorer
    per rubric, and the history file answers are kept in (None: the default one, see paths.py)."""

    def __init__(self, model: str | None = None, backend: str | None = None, db: str | None = None,
                 embedder: Embedder | None = None) -> None:
        self.model = model
        self.backend = backend
        self.db = db
        self._embedder = embedder
        self._scorers: dict[str, Scorer] = {}

    @property
    def embedder(self) -> Embedder:
        """The embedding model, loaded once (raises ModelError when it cannot be)."""
        if self._embedder is None:
            from ..embedding import load_embedder

            self._embedder = load_embedder(self.model, self.backend)
        return self._embedder

    def use(self, embedder: Embedder) -> None:
        """Score with a model loaded elsewhere (a background loader, a server's warm one)."""
        if embedder is not self._embedder:
            self._embedder = embedder
            self._scorers.clear()

    def warm(self, embedder: Embedder, rubric: Rubric) -> None:
        """Score with `embedder` and embed `rubric`'s exemplars now: a background loader calls this
        while the learner types, so the answer is scored as soon as it is finished."""
        self.use(embedder)
        self.scorer(rubric).bank  # noqa: B018 (embeds the rubric's exemplars)

    def scorer(self, rubric: Rubric, variant: str = "") -> Scorer:
        """The rubric's scorer; its exemplar embeddings persist on disk, so a one-shot run embeds only the answer.
        `variant` names a rubric changed in memory (a follow-up's, interview.mock.probe_rubric), kept apart."""
        key = f"{rubric.id}\0{rubric.path}\0{variant}"  # two files may share an id (a user's rubric replacing a shipped one)
        if key not in self._scorers:
            from functools import partial

            from ..embedding import stored_encode
            from ..paths import cache_dir
            from ..scoring import Scorer

            embedder = self.embedder
            self._scorers[key] = Scorer(rubric, embedder, partial(stored_encode, embedder, directory=cache_dir()))
        return self._scorers[key]

    def score(self, rubric: Rubric, depth: str, answer: str) -> ScoreCard:
        """One answer's card (an empty answer scores 0 with a note)."""
        return self.scorer(rubric).score(answer, depth)

    def score_each(self, rubric: Rubric, answers: Sequence[str], depths: Sequence[str],
                   progress: Callable[[int, int], None] | None = None) -> list[ScoreCard]:
        """Cards of many answers, each at its own depth, in input order; embedded together (fast in bulk)."""
        return self.scorer(rubric).score_each(answers, depths, progress)

    def save(self, cards: Sequence[ScoreCard], answers: Sequence[str], source: str = "learner",
             seconds: float | None = None) -> Saved:
        """Keep scored answers in the history as `source`'s attempts ("learner" or "interviewer").
        Raises HistoryError after writing them to the recovery file when the history is unusable."""
        from ..progress.attempt import attempt_from_card
        from ..progress.store import store

        attempts = [attempt_from_card(card, answer, source=source, seconds=seconds)
                    for card, answer in zip(cards, answers)]
        return Saved(store(self.db, attempts))

    def grade(self, rubric: Rubric, depth: str, transcript: str, overrides: Sequence[str] = (),
              candidate: str | None = None, note: str | None = None, dismiss_red_flags: bool = False,
              adding: bool = False, start_over: bool = False, shown: int | None = None) -> Grade:
        """The interviewer's scorecard of a candidate's answer: the machine's marks, the
        interviewer's `overrides` ("concept=status", the concept by id or name) beside them, and the recomputed score
        (without what the red flags took when the interviewer dismisses them).
        The transcript's earlier grade of this candidate carries its marks, note and dismissal over when nothing of
        the interviewer's is given; with `adding` (the command line, which shows no form holding them), what is given
        is added to them: a mark replaces the earlier one of its concept, a note follows the earlier note. Without it
        (the web form, which shows them to edit), what is given is the whole judgement, and nothing given is the
        whole judgement too when the form `shown` held that earlier grade's (its number): the interviewer cleared
        it. (A form that showed a grade replaced since is the front end's to refuse: Grade.regrades names the grade
        kept now.) With `start_over`, the earlier grade is still the one replaced, but nothing of its judgement carries
        over.
        Raises OverrideError (a usage error) for an override that names no concept or status,
        before the model loads."""
        from ..answers import nothing_to_score
        from ..interview.grading import TAKE_BACK, grade
        from ..scoring.rules import NO_WORDS_NOTE
        from ..text.reading import (
            graders_notes,
            headings_after_the_last_turn,
            implied_candidate,
            interviewer_questions,
            labelled_in_full,
            names_after_the_last_turn,
            normalise_answer,
            speakers_set_apart,
            unlabelled_candidate,
            unnamed_speakers,
            words_beside_labels,
        )

        marks = interviewer_marks(rubric, depth, overrides)
        before_named = self.names_graded_on(rubric, depth, transcript) if candidate is None else []
        if len(before_named) == 1 and before_named[0] is not None:  # the one candidate named before: their lines
            candidate = before_named[0]
        unnamed = unlabelled_candidate(transcript, candidate) if candidate else None  # a name no label gives
        implied = implied_candidate(transcript) if not candidate or unnamed else None  # then who answers the questions
        speaker = implied[0] if implied else candidate  # whose lines are read as the candidate's
        said = normalise_answer(transcript, speaker, transcript=True)  # the interviewer's own lines earn nothing
        card = self.score(rubric, depth, said)
        full = labelled_in_full(transcript, candidate)  # "Carla Jones:" lines graded as "Carla": hers, no other Carla's
        whose, named, earlier = _graded_as(self.db, full or candidate,
                                           self.graded_before(card, transcript, full or candidate))
        if full and not named:
            named = f"graded as {full!r}, the name the transcript's labels give {candidate!r}"
        card = replace(card, notes=[*card.notes, named]) if named else card
        given = bool(marks) or note is not None or dismiss_red_flags
        whole = start_over or (given and not adding) or (earlier is not None and earlier.id == shown)
        before = None if earlier is None or whole else Judgement.of(earlier)
        if before is not None:  # graded again: the earlier judgement stands, with anything given now added
            graded = {c.id for c in card.concepts}  # an edited rubric may have dropped or renamed a concept marked
            marks = {**{cid: status for cid, status in before.marks.items() if cid in graded}, **marks}
            note = _added_note(before.note, note)
            dismiss_red_flags = dismiss_red_flags or before.dismissed
            gone = sorted(set(before.marks) - graded)
            card = replace(card, notes=[*card.notes, _carried_note(before, given, adding, gone)])
        marks = {cid: status for cid, status in marks.items() if status != TAKE_BACK}  # the machine's mark again
        if nothing_to_score(said) and words_beside_labels(transcript, speaker):
            card = replace(card, notes=[INTERVIEWER_ONLY_NOTE if n == NO_WORDS_NOTE else n for n in card.notes])
        if implied:
            named = f"no line is labelled with the candidate's name ({cut(one_line(candidate))}): " if candidate else ""
            unlabelled = (f"{named}the lines labelled {implied[0]}: were scored as the candidate's, and {implied[1]}:, "
                          "who asks the questions, as the interviewer's; give the candidate's name if that is wrong")
        else:  # a mistyped name scores another's lines; no name, every speaker's lines
            unlabelled = unnamed if candidate else unnamed_speakers(transcript)
        read = [said for said in (unlabelled, speakers_set_apart(transcript, speaker)) if said]
        if noting := graders_notes(transcript, speaker):  # a verdict after the last turn read as the candidate's
            read.append(f"the lines under {_labels(noting)} were read as your notes, not the candidate's, and not scored")
        if either := headings_after_the_last_turn(transcript, speaker):  # the candidate's, or a summary of the interviewer's
            read.append(f"the lines under {_labels(either)} after the candidate's last turn were scored as theirs; if "
                        "they are your notes, head them Verdict: or Feedback:")
        if named := names_after_the_last_turn(transcript, speaker):  # the candidate's heading, or someone speaking
            read.append(f"the lines under {_labels(named)} after the candidate's last turn were scored as theirs, as a "
                        "heading of their own; if someone else said them, label them Interviewer: or remove them")
        if len(before_named) > 1 and None not in before_named:
            read.append(f"this transcript was graded before as {' and '.join(map(repr, before_named))}: this grade, "
                        "with no candidate named, is kept beside theirs; name one to regrade theirs")
        card = replace(card, notes=[*card.notes, *read]) if read else card
        return replace(grade(rubric, card, transcript, marks, whose, note, dismiss_red_flags,
                             interviewer_questions(transcript, speaker)), carried_over=before is not None,
                       regrades=earlier.id if earlier is not None else None)

    def names_graded_on(self, rubric: Rubric, depth: str, transcript: str) -> list[str | None]:
        """The candidates this transcript was graded under at this depth (History.names_graded_on; None for a grade
        naming nobody), newest first; none when the history cannot be read. A regrade without a name is the one
        candidate's named before, and reads the transcript's lines as theirs: read with no name, their label was
        scored as words of theirs. Beside a grade naming nobody, it is that grade's."""
        from ..progress.store import open_history

        try:
            with open_history(self.db, create=False) as history:
                return history.names_graded_on(rubric.id, depth, transcript)
        except GencoError:
            return []

    def graded_before(self, card: ScoreCard, transcript: str, candidate: str | None) -> Attempt | None:
        """The kept grade of this transcript of this candidate (history.earlier_grade), with its concept rows;
        None as well when the history cannot be read (keep_grade says why, if the grade is kept)."""
        from ..progress.attempt import attempt_from_card
        from ..progress.store import open_history

        probe = attempt_from_card(card, transcript, source="interviewer",
                                  grade={"candidate": candidate, "note": None, "machine_score": card.score, "machine": {}})
        try:
            with open_history(self.db, create=False) as history:
                earlier = history.earlier_grade(probe)
                return history.find(str(earlier.id)) if earlier is not None else None
        except GencoError:
            return None

    def keep_grade(self, scorecard: Grade, transcript: str) -> Saved:
        """Keep a grade in the history as an interviewer attempt: the interviewer's marks and score,
        with the candidate, the note and the machine's own marks (`Grade.kept`). A grade the history
        already holds (same question, depth, transcript, score and grade) is not kept twice; one of the
        same transcript and candidate graded otherwise (another override) is replaced in the same transaction
        (store.History.add_grade): a regrade is the interviewer's revised judgement, and two would read as the
        candidate's progress. Raises HistoryError after writing it to the recovery file when the history is unusable."""
        from ..progress.attempt import attempt_from_card
        from ..progress.store import store_grade

        kept = attempt_from_card(scorecard.final_card, transcript, source="interviewer", grade=scorecard.kept())
        number, already, replaced = store_grade(self.db, kept, scorecard.regrades)
        others = [] if already or replaced is not None else self._other_grades(kept, number)
        return Saved([number], already=already, replaced=replaced, others=others)

    def _other_grades(self, kept: Attempt, number: int) -> list[int]:
        """The numbers of the other grades kept of `kept`'s candidate at its question and depth (none for a grade
        without a name, or when the history cannot be read again: the grade itself is kept)."""
        from ..progress.store import open_history

        if kept.candidate is None:
            return []
        try:
            with open_history(self.db, create=False) as history:
                graded = history.attempts(kept.question, kept.depth, source="interviewer", results=False)
        except GencoError:
            return []
        return [a.id for a in graded if a.id != number and a.candidate is not None
                and name_key(a.candidate) == name_key(kept.candidate)]


    # mock interviews (the functions after this class plan, start, finish and read them back)

    def answer_turn(self, session: InterviewSession, index: int, answer: str, seconds: float | None) -> Turn:
        """Score the main answer to question `index` of `session` at its depth (the card's score over every
        concept of that depth), keep it in the history as a learner attempt unless the session does
        not save (so progress and `genco next` count it), choose the follow-up probe for its weakest
        concept (`interview.mock.choose_probe`), record the turn in `session` and return it.
        `seconds` is how long the answer took (None: unknown, e.g. a piped answer). Raises
        InterviewStepError for a question already answered or out of range, HistoryError (after the
        recovery file) when the history cannot be written; the turn is recorded then all the same
        (without an attempt number), so the interview's report still holds it."""
        from ..interview.mock import ANSWER, Turn, choose_probe, marks

        record = session.expect(index, ANSWER)
        rubric, depth = interview_rubric(record.planned), record.planned.depth
        card = self.score(rubric, depth, answer)
        # Recorded before it is saved: when the history fails, the turn is still in the session's report.
        record.answer = Turn(index, ANSWER, rubric.id, depth, answer, seconds, record.planned.budget_seconds,
                             card.score, marks(card), card.to_dict(), choose_probe(rubric, card))
        if session.save:
            record.answer = replace(record.answer, attempt=self.save([card], [answer], seconds=seconds).numbers[0])
        return record.answer

    def answer_follow_up(self, session: InterviewSession, index: int, answer: str, seconds: float | None) -> Turn:
        """Score the reply to question `index`'s follow-up probe. The reply is scored against the rubric at
        the probe's depth (`Probe.depth`, the depth holding every concept the probe explores), the probe's
        good answer the description and one more exemplar of those concepts (`probe_rubric`), and its
        score counts only the probe's concepts: their weighted credit, 0-100 (`probe_score`). The reply is
        not kept as an attempt of its own (it answers one concept, so its card would read as a poor answer
        to the whole question); it is kept in the interview report. Raises InterviewStepError when that question has no
        answer yet, no probe, or its follow-up was answered already."""
        from ..interview.mock import FOLLOW_UP, Turn, marks, probe_rubric, probe_score

        record = session.expect(index, FOLLOW_UP)
        probe = record.answer.probe
        rubric, depth = interview_rubric(record.planned), probe.depth
        card = self.scorer(probe_rubric(rubric, probe), variant=f"{probe.ask}\0{probe.good_answer}").score(answer, depth)
        record.follow_up = Turn(index, FOLLOW_UP, rubric.id, depth, answer, seconds, record.planned.budget_seconds,
                                probe_score(card, probe), marks(card, probe.concepts), card.to_dict())
        return record.follow_up

