"""One kept attempt, as the history stores it and an export writes it, and the grade an interviewer
keeps with it: the record, the checks a kept grade passes, and how candidate names compare.
Nothing here touches the file."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..answers import InputError
from ..card import PERSON_MARKS, UNCERTAIN_NOTE, Status
from ..output import dumps, one_line
from ..text.escapes import CONTROL_CHARACTER, strip_escape_sequences
from ..text.names import folded_name, shortens

if TYPE_CHECKING:
    from ..card import ScoreCard


SOURCES = ("learner", "interviewer")


MAX_ID_DIGITS = 18
"""Attempt numbers are SQLite integers (under 2**63): a longer run of digits names no attempt."""


def row_number(digits: str) -> int | None:
    """The attempt or interview number a run of ASCII digits names ("0042" is 42), or None when it is
    too long to be one (MAX_ID_DIGITS, leading zeros aside)."""
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= MAX_ID_DIGITS else None


STATUSES = tuple(Status)


UID = re.compile(r"^[0-9a-f]{32}$")


EARLIEST = "1970-01-01T00:00:00.000000+00:00"


LABEL_LIMITS = {"model": 4096, "genco_version": 64}
"""Characters the texts naming what scored an attempt may have: a model's folder path (as long as a path may be
on Linux), a version number."""


def is_label(value: str, limit: int) -> bool:
    """Whether a text `show` prints in an attempt's header (the model, genco's version) is one: on one line,
    without control characters, at most `limit` characters (LABEL_LIMITS). An imported "model" holding a
    line break split that header in two."""
    return not CONTROL_CHARACTER.search(value) and "\n" not in value and len(value) <= limit


def as_label(value: str, limit: int) -> str:
    """A text made one that is_label takes: escape sequences dropped whole ("\x1b[31m", not "[31m"), each
    other control character and line break a space, cut to `limit` characters; one is_label takes already
    is returned as it is. Kept so, an attempt scored with a --model folder named with a line break was
    written to the recovery file as it was, and the import that file's line suggests refused it."""
    if is_label(value, limit):
        return value
    return CONTROL_CHARACTER.sub(" ", strip_escape_sequences(value)).replace("\n", " ")[:limit]


SIMILARITY_BOUND = 1.01
"""Similarities are cosines (and a blend of them with word overlap): within [-1, 1] up to rounding."""


_UID_NAMESPACE = uuid.UUID("5b0f6c1e-2f0a-4c51-9d55-3f8a7c8d1e42")


@dataclass
class Attempt:
    """One stored attempt, exactly as export writes it (one JSON object per line).

    `created_at` is ISO 8601 in UTC with microseconds, so text order is time order.
    `concepts` and `misconceptions` hold the score card's fields unrounded, so `genco show`
    rebuilds the same card and export/import round-trips exactly.
    """

    uid: str
    created_at: str
    question: str
    depth: str
    source: str
    seconds: float | None
    answer: str
    score: float
    model: str
    genco_version: str
    notes: list[str] = field(default_factory=list)
    concepts: list[dict[str, Any]] = field(default_factory=list)
    misconceptions: list[dict[str, Any]] = field(default_factory=list)
    grade: dict[str, Any] | None = None
    """An interviewer attempt's grading (`interview.grading.Grade.kept`): candidate, note, and the
    machine's score and marks beside the interviewer's ones in `concepts`; None for a learner's."""
    id: int | None = None

    @property
    def candidate(self) -> str | None:
        """Who answered, for an interviewer attempt graded with a name (`genco grade --candidate`)."""
        return self.grade["candidate"] if self.grade else None

    @property
    def uncertain(self) -> bool:
        """Whether the card kept with it asked for a person to check its score (its "uncertain" note): a
        script reading the listing cannot tell otherwise an answer that took itself back from a sure one.
        Not once an interviewer marked every concept: the score is then their marks' credit alone, as the
        grade's band says (`Grade.band_hedge`); `candidates` showed "33.3?" beside three overrides."""
        if UNCERTAIN_NOTE not in self.notes or not self.grade:
            return UNCERTAIN_NOTE in self.notes
        machine = self.grade.get("machine") or {}  # every concept of the depth
        final = {c["id"]: str(c["status"]) for c in self.concepts} or dict(machine)  # a listing reads no marks
        return not (machine and set(marked_by_interviewer(self.grade, final)) >= set(machine))

    @property
    def score_damaged(self) -> bool:
        """Whether its score is the 0 standing in for one damaged by hand (DAMAGED_SCORE_NOTE): shown as damaged,
        and left out of what is worked out from scores, never taken for the attempt's own."""
        return DAMAGED_SCORE_NOTE in self.notes

    @property
    def date_damaged(self) -> bool:
        """Whether its date is the 1970-01-01 standing in for one damaged by hand (DAMAGED_DATE_NOTE), as
        `score_damaged` says of its score."""
        return DAMAGED_DATE_NOTE in self.notes

    @property
    def damaged(self) -> list[str]:
        """Which of its stored values ("score", "date") stand in for ones damaged by hand, for a tool reading a
        listing: the stand-ins stay in their fields, which an import and a sort need."""
        return [name for name, hit in (("score", self.score_damaged), ("date", self.date_damaged)) if hit]

    def to_json(self) -> dict[str, Any]:
        """The export record: everything but the local row id, which differs between files, and the numbers
        of the grades a regrade replaced (`grade.replaces`), numbers of this file too: imported elsewhere
        they would name other attempts."""
        data = asdict(self)
        del data["id"]
        if data["grade"] is not None:
            data["grade"].pop("replaces", None)
        return data

    def to_line(self) -> str:
        """The export record as one JSON Lines line; line separators inside answers are escaped, so it
        stays one line (history export, the recovery file)."""
        return dumps(self.to_json()) + "\n"


CONCEPT_FIELDS = ("id", "name", "weight", "status", "score", "similarity", "evidence", "description")


MISCONCEPTION_FIELDS = ("id", "description", "correction", "penalty", "similarity", "evidence")


CONCEPT_MARKS = ("id", "name", "weight", "status", "score")


MISCONCEPTION_MARKS = ("id", "description", "correction", "penalty")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def normalise_time(value: datetime) -> str:
    """The one stored format; a naive datetime is local time (what a person typed).

    At the ends of the calendar (year 1, year 9999) the shift to UTC can leave it; such a time
    is taken as UTC already, which keeps its order against every real attempt.
    """
    try:
        if value.tzinfo is None:
            value = value.astimezone()
        value = value.astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="microseconds")


def number_within(value: Any, low: float, high: float) -> bool:
    """Whether `value` is a number genco keeps: an int or float (not a bool), finite, in [low, high]. An int is
    never turned into a float to be checked: JSON's can be too large for one."""
    return not isinstance(value, bool) and isinstance(value, int | float) \
        and (not isinstance(value, float) or math.isfinite(value)) and low <= value <= high


def within_kept_times(stored: str) -> bool:
    """Whether a time in the stored format (normalise_time) lies from EARLIEST to KEPT_AHEAD from now, as
    every kept attempt's does: an import refuses another, and a stored one reads as damaged (rows.py). A
    date near year 9999 overflows the arithmetic of `genco next`."""
    return EARLIEST <= stored <= normalise_time(datetime.now(UTC) + KEPT_AHEAD)


KEPT_AHEAD = timedelta(days=366)
"""How far ahead of this machine's clock a kept attempt's time may lie: one saved where the clock ran fast
(three days ahead) read as damaged, as 1970-01-01, and its export lost the date it was kept at."""


def attempt_from_card(card: ScoreCard, answer: str, source: str = "learner", seconds: float | None = None,
                      when: datetime | None = None, grade: dict[str, Any] | None = None) -> Attempt:
    """What a finished scoring produces, ready to store. A fresh random uid makes it unique everywhere."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    return Attempt(
        uid=uuid.uuid4().hex,
        created_at=normalise_time(when) if when else now_utc(),
        question=card.question,
        depth=card.depth,
        source=source,
        seconds=None if seconds is None else round(float(seconds), 3),
        answer=answer,
        score=float(card.score),
        model=as_label(card.model, LABEL_LIMITS["model"]),  # a --model folder named with a line break
        genco_version=__version__,
        notes=list(card.notes),
        concepts=[{"id": c.id, "name": c.name, "weight": float(c.weight), "status": c.status, "score": float(c.score),
                   "similarity": float(c.similarity), "evidence": c.evidence, "description": c.description}
                  for c in card.concepts],
        misconceptions=[{"id": m.id, "description": m.description, "correction": m.correction,
                         "penalty": float(m.penalty), "similarity": float(m.similarity), "evidence": m.evidence}
                        for m in card.misconceptions],
        grade=None if grade is None else _grade_to_keep(grade),
    )


class GradeTextError(InputError):
    """A candidate name or note too long to keep: refused before saving, since a longer one would be
    read back as no grade at all (and refused on import)."""


def check_grade_texts(candidate: str | None, note: str | None) -> None:
    """Refuse a candidate name or note too long to keep (GradeTextError naming which), so `genco grade`
    can say so before the model loads rather than after scoring."""
    for name, text in (("candidate", candidate), ("note", note)):
        if isinstance(text, str) and len(text) > GRADE_TEXT_LIMIT:
            raise GradeTextError(f"the {name} is {len(text):,} characters; a kept grade holds at most "
                                 f"{GRADE_TEXT_LIMIT:,}: shorten it (nothing was kept)")


def _grade_to_keep(grade: dict[str, Any]) -> dict[str, Any]:
    """A grade about to be kept, checked as it will be read back; GradeTextError names what is wrong."""
    check_grade_texts(grade.get("candidate"), grade.get("note"))
    try:
        return check_grade(grade)
    except ValueError as exc:
        raise GradeTextError(f"cannot keep this grade: {exc}") from None


DAMAGED_MARK_NOTE = "the stored mark of {} is damaged (edited by hand?); it reads as missing"


DAMAGED_VALUE_NOTE = "the stored {} of this attempt is damaged (edited by hand?); it reads as {}"
"""The note on an attempt one of whose stored values was edited by hand into none genco writes (rows.py)."""
DAMAGED_SCORE_NOTE = DAMAGED_VALUE_NOTE.format("score", "0")
DAMAGED_DATE_NOTE = DAMAGED_VALUE_NOTE.format("date", EARLIEST[:10])
"""A damaged score or date reads as a stand-in (0, 1970-01-01), so that the attempt can still be sorted, filtered
and exported (an import takes a number and a date); the note says it stands in (Attempt.score_damaged)."""


def card_from_attempt(attempt: Attempt) -> ScoreCard:
    """The score card again, from stored rows, for `genco show`."""
    from ..card import ConceptResult, MisconceptionHit, ScoreCard, Status

    statuses = {s.value for s in Status}
    damaged = [c["id"] for c in attempt.concepts if c["status"] not in statuses]
    notes = [*attempt.notes, *([DAMAGED_MARK_NOTE.format(", ".join(damaged))] if damaged else [])]
    return ScoreCard(
        question=attempt.question, depth=attempt.depth, score=attempt.score, model=attempt.model,
        notes=notes,
        concepts=[ConceptResult(**{**c, "status": Status(c["status"]) if c["status"] in statuses else Status.MISSING})
                  for c in attempt.concepts],
        misconceptions=[MisconceptionHit(**m) for m in attempt.misconceptions],
    )


def content_uid(created_at: str, question: str, depth: str, answer: str) -> str:
    """A uid made from an attempt's content, the same every time: for rows kept before attempts had one,
    and for a row whose uid was emptied by hand, so an export of it imports (and imports once)."""
    return uuid.uuid5(_UID_NAMESPACE, "\x1f".join((created_at, question, depth, answer))).hex


GRADE_TEXT_LIMIT = 10_000
"""Characters of a kept candidate name or note; longer ones are refused on import."""


GRADE_FIELDS = frozenset({"candidate", "note", "machine_score", "machine"})
"""The fields every kept grade holds."""


OPTIONAL_GRADE_FIELDS = ("overrides", "red_flags_dismissed", "replaces", "band", "title")
"""The fields a kept grade may hold besides (interview.grading.Grade.kept, and the grade that replaced others)."""


def check_grade(value: Any) -> dict[str, Any]:
    """An interviewer attempt's `grade`, checked: {"candidate": str | None, "note": str | None,
    "machine_score": 0-100, "machine": {concept id: status}}, "red_flags_dismissed" when the
    interviewer dismissed the machine's red flags (_checked_dismissal), and "replaces" (the numbers of
    the grades of the same transcript it replaced, oldest first) for a regrade, and "band" and "title" (the
    score's band label and the question's title as graded, text). Raises ValueError naming the field."""
    if not isinstance(value, dict) or not GRADE_FIELDS <= set(value) <= {*GRADE_FIELDS, *OPTIONAL_GRADE_FIELDS}:
        raise ValueError("'grade' must hold exactly candidate, note, machine_score and machine, "
                         "and may hold overrides, red_flags_dismissed, replaces, band and title")
    for name in ("candidate", "note", *(key for key in ("band", "title") if key in value)):
        text = value[name]
        if text is not None and (not isinstance(text, str) or len(text) > GRADE_TEXT_LIMIT):
            raise ValueError(f"'grade.{name}' must be text of at most {GRADE_TEXT_LIMIT:,} characters, or null")
    score = value["machine_score"]
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
        raise ValueError("'grade.machine_score' must be a number from 0 to 100")
    marks = value["machine"]
    statuses = {s.value for s in Status}
    if not isinstance(marks, dict) or not all(isinstance(k, str) and isinstance(v, str) and v in statuses
                                                  for k, v in marks.items()):
        raise ValueError(f"'grade.machine' must map concept ids to a status ({', '.join(sorted(statuses))})")
    checked = {"candidate": value["candidate"], "note": value["note"], "machine_score": float(score), "machine": dict(marks),
               **{key: value[key] for key in ("band", "title") if key in value}}
    if "overrides" in value:
        overrides = value["overrides"]
        if not isinstance(overrides, dict) or not all(isinstance(k, str) and v in PERSON_MARKS
                                                      for k, v in overrides.items()):
            raise ValueError(f"'grade.overrides' must map concept ids to a mark ({', '.join(PERSON_MARKS)})")
        if not set(overrides) <= set(marks):  # the concepts the machine marked: the depth's, so bounded too
            raise ValueError("'grade.overrides' may only mark concepts the grade's machine marks ('grade.machine')")
        checked["overrides"] = dict(overrides)
    if "red_flags_dismissed" in value:
        checked["red_flags_dismissed"] = _checked_dismissal(value["red_flags_dismissed"])
    if "replaces" in value:
        replaced = value["replaces"]
        if not isinstance(replaced, list) or not all(type(n) is int and n > 0 for n in replaced):
            raise ValueError("'grade.replaces' must list the attempt numbers it replaced")
        checked["replaces"] = list(replaced)
    return checked


def marked_by_interviewer(grade: dict[str, Any], final: dict[str, str]) -> dict[str, str]:
    """The marks (concept id -> status) the interviewer gave in a kept grade (`Attempt.grade`) whose final marks
    are `final`: its overrides as given (one may agree with the machine's mark: it still earns fixed credit),
    or, in a grade kept before overrides were, the final marks that differ from the machine's."""
    if "overrides" in grade:
        return dict(grade["overrides"])
    machine = grade.get("machine") or {}
    return {cid: status for cid, status in final.items() if cid in machine and machine[cid] != status}


DISMISSED_FLAG_FIELDS = ("id", "description", "evidence")


def _checked_dismissal(value: Any) -> dict[str, Any]:
    """A kept grade's `red_flags_dismissed`: {"points": 0-100, "flags": [{"id", "description", "evidence"}]}.
    Raises ValueError naming the field."""
    points = value.get("points") if isinstance(value, dict) else None
    flags = value.get("flags") if isinstance(value, dict) else None
    if set(value if isinstance(value, dict) else ()) != {"points", "flags"} or isinstance(points, bool) \
            or not isinstance(points, int | float) or not 0 <= points <= 100 or not isinstance(flags, list):
        raise ValueError("'grade.red_flags_dismissed' must hold points (0 to 100) and flags (a list)")
    if not all(isinstance(f, dict) and set(f) == set(DISMISSED_FLAG_FIELDS) and all(isinstance(f[k], str) for k in f)
               for f in flags):
        raise ValueError("'grade.red_flags_dismissed.flags' must each hold id, description and evidence as text")
    return {"points": float(points), "flags": [{k: f[k] for k in DISMISSED_FLAG_FIELDS} for f in flags]}


def one_candidate(kept: str | None, given: str | None) -> bool:
    """Whether a regrade's candidate is the one graded before: the same name (same_name), or, both named,
    the name given a shorter form of the one kept (text.names.shortens: "Bob" or "Dr. Bob Martinez" for
    "Bob Martinez"). A name in full is not the shorter one kept: whether "Dana Whitfield" regrades Dana's
    transcript is decided apart (store._said_in_full, app.workbench._graded_as)."""
    return same_name(kept, given) or (kept is not None and given is not None and shortens(given, kept))


def name_key(name: str) -> str:
    """A candidate's name as names are compared: on one line, without case or accents ("Zoe" typed for the
    "Zoë" kept, or "Zoe\u0308" with a combining one), spaces squeezed and a title's dot aside
    (text.names.folded_name), as a transcript's label finds it (same_person): "ada  lovelace" graded after
    "Ada Lovelace" is one person, "Dr Chen" after "Dr. Chen" too."""
    return folded_name(one_line(name)).casefold()


def same_name(one: str | None, other: str | None) -> bool:
    """Whether two kept candidate names (None: graded without one) are one name (name_key)."""
    return one == other if one is None or other is None else name_key(one) == name_key(other)


def kept_grade_text(grade: dict | None, key: str) -> str | None:
    """A text the kept grade holds under `key` (Grade.kept: the band's label, the question's title, as graded), on
    one line without control characters, or None: grades kept before they were, or a value edited into another."""
    value = (grade or {}).get(key)
    return one_line(value) or None if isinstance(value, str) else None


def kept_title(attempts: Sequence[Attempt], question: str) -> str:
    """The title a question's grades among `attempts` kept, for a question whose rubric is gone (a rubric of the
    interviewer's not on the search path now); `question` (its id) when none kept one. `candidates` headed its
    section with the title and `report` of the same grades with the id."""
    return next((title for a in attempts if (title := kept_grade_text(a.grade, "title"))), question)
