"""Use cases over the history: a progress report, candidates side by side, what to practise next,
recent attempts and one attempt found with its card and rubric."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import GencoError
from ..progress.attempt import name_key
from ..rubric import (
    Rubric,
    UnknownName,
    askable,
    discover,
    find_kept,
    practice_order,
)
from .questions import check_filters

if TYPE_CHECKING:
    from ..card import ScoreCard
    from ..progress.attempt import Attempt
    from ..progress.comparison import Comparison
    from ..progress.reports import Report
    from ..progress.schedule import Suggestion
    from ..progress.store import History
if TYPE_CHECKING:
    pass



def progress_report(db: str | None, question: str | None = None, source: str | None = "learner",
                    candidate: str | None = None, since: str | None = None, depth: str | None = None) -> Report:
    """Progress per question and depth from the history at `db` (None: the default file), only
    `question`'s and `depth`'s attempts when given, only `source`'s attempts ("learner", "interviewer";
    None: all), or only those of the candidate graded under the name `candidate`; with `since` (a stored UTC time, store.normalise_time) only
    the attempts from then on. Raises HistoryError when the history is unusable; a missing history
    is an empty report. An attempt whose stored score or date is damaged is left out (scored_and_dated), its number
    in the report's `left_out`."""
    from ..progress.reports import CONCEPT_ROWS_NEEDED, build_report
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        attempts = _attempts_of(store, source, candidate, question=question, concepts_of_latest=CONCEPT_ROWS_NEEDED,
                                since=since, depth=depth)
        apart = (store.count(question, depth, since=since, source="interviewer")
                 if source == "learner" and candidate is None and not attempts else 0)
    attempts, left_out = scored_and_dated(attempts)
    report = build_report(attempts, find_kept, source=str(store.path), question=question, since=since,
                          candidate=candidate, source_filter=source, depth=depth)
    return replace(report, graded_apart=apart, left_out=left_out)



def candidate_comparison(db: str | None, names: Sequence[str] = (), question: str | None = None,
                         since: str | None = None) -> Comparison:
    """Candidates graded with `genco grade` side by side: each one's latest grade per question and
    depth from the history at `db` (None: the default file), only the candidates `names` call (each as
    `kept_name` finds it; none: everyone graded, unnamed grades too), only `question`'s, only those
    from `since` on (a stored UTC time), but those whose score or date is damaged (scored_and_dated). Raises
    UnknownName for a name nobody was graded under, HistoryError when the history is unusable; a missing
    history is an empty comparison."""
    from ..progress.comparison import build_comparison, latest_grades
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        graded = store.attempts(source="interviewer", results=False)
        asked = list(dict.fromkeys(kept_name(graded, name) for name in names))
        wanted = {name_key(name) for name in asked}
        picked = [a for a in graded if (question is None or a.question == question)
                  and (since is None or a.created_at >= since)
                  and (not wanted or (a.candidate is not None and name_key(a.candidate) in wanted))]
        picked, left_out = scored_and_dated(picked)
        latest = latest_grades(picked)
        store.attach_results([grade.attempt for grade in latest], evidence=False)
    compared = build_comparison(latest, find_kept, source=str(store.path), question=question, since=since, names=asked)
    return replace(compared, left_out=left_out)



def scored_and_dated(attempts: list[Attempt]) -> tuple[list[Attempt], list[int]]:
    """`attempts` but those whose stored score or date is damaged (Attempt.damaged), and the numbers of those, in
    order: a report's figures and a plan's intervals are worked out from scores and dates, and the stand-ins such an
    attempt reads as (0, 1970-01-01) made up a latest score, a first attempt, a review long ago."""
    return [a for a in attempts if not a.damaged], sorted(a.id for a in attempts if a.damaged)


def _attempts_of(store: History, source: str | None, candidate: str | None, question: str | None = None,
                 concepts_of_latest: int | None = None, since: str | None = None,
                 depth: str | None = None) -> list[Attempt]:
    """The attempts `report` and `next` count, without evidence texts: `source`'s ("learner",
    "interviewer"; None: all), or with `candidate` only those graded under that name, whatever
    `source` says (a candidate is graded by an interviewer). The name is picked before the concept
    rows are read, so `concepts_of_latest` (History.attempts) counts this candidate's attempts, not
    the latest of everyone graded. Raises UnknownName for a name nobody was graded under."""
    if candidate is None:
        return store.attempts(question=question, depth=depth, since=since, source=source, evidence=False,
                              concepts_of_latest=concepts_of_latest)
    graded = store.attempts(source="interviewer", results=False)
    mine = of_candidate([a for a in graded if (question is None or a.question == question)
                         and (depth is None or a.depth == depth)
                         and (since is None or a.created_at >= since)], candidate, graded)
    store.attach_results(mine, evidence=False, concepts_of_latest=concepts_of_latest)
    return mine



def of_candidate(attempts: list[Attempt], candidate: str, graded: list[Attempt] | None = None) -> list[Attempt]:
    """The attempts graded under the name `candidate`, compared on one line, spaces squeezed and
    without case, as `grade` keeps a name ("ada\n l." is Ada L.). UnknownName, listing the names there
    are, when none of `graded` (every graded attempt, before the caller's filters; `attempts` when
    None) has the name, since a misspelt name would otherwise read as a candidate with no attempts;
    a name graded elsewhere gives an empty list (a filter matched none of theirs). A name kept under
    no other is found as `grade` finds a candidate's label (same_person): "lovelace" is "A. Lovelace"
    when no other kept name could be hers."""
    wanted = name_key(kept_name(attempts if graded is None else graded, candidate))
    return [a for a in attempts if a.candidate is not None and name_key(a.candidate) == wanted]



def kept_name(graded: list[Attempt], candidate: str) -> str:
    """The name `candidate` is kept under among `graded` attempts, as first kept ("Ada Lovelace" for
    "ada lovelace", or for "Ada" when no other kept name could be hers): what a command suggested to
    grade them again must say, or the next grade would start a candidate of its own. Raises
    UnknownName as of_candidate does."""
    kept = _names_kept(graded)
    wanted = name_key(candidate)
    if wanted not in kept:
        alike = _alike(kept, candidate)
        if len(alike) > 1:
            raise UnknownName(f"candidate {candidate!r} may be any of {', '.join(map(repr, alike))}: "
                              "give the name in full")
        if not alike:
            names = ", ".join(sorted(map(repr, kept.values()))) or "none named yet"
            raise UnknownName(f"no attempt is graded for candidate {candidate!r}; candidates: {names}")
        wanted = name_key(alike[0])
    return kept[wanted]


def _names_kept(graded: list[Attempt]) -> dict[str, str]:
    """Each candidate name of `graded` as first kept ("Ann Lee", not a later "ann lee"), by its name_key."""
    kept: dict[str, str] = {}
    for attempt in graded:
        if attempt.candidate:
            kept.setdefault(name_key(attempt.candidate), attempt.candidate)
    return kept


def _alike(kept: dict[str, str], candidate: str) -> list[str]:
    """The kept names (_names_kept) that `candidate` may stand for (text.names.shortens: "Chen" or "Dr. Wei
    Chen" for "Wei Chen"), the one it names but for a title first; never a shorter name ("Zoe Chen" listed the
    grades of "Chen", whom `grade --candidate "Zoe Chen"` keeps apart)."""
    from ..text.names import same_but_for_title, shortens

    titled = [name for name in kept.values() if same_but_for_title(candidate, name)]
    return titled if len(titled) == 1 else sorted(name for name in kept.values() if shortens(candidate, name))


def name_to_keep(db: str | None, candidate: str) -> tuple[str, str | None]:
    """The name a new grade of `candidate` is kept under in the history at `db`, and a note for the card
    when it is not the name as given. A first name or surname alone ("Bob") of the one candidate kept in
    full ("Bob Martinez") is theirs, as every listing reads it: kept as "Bob", the grade started a
    candidate of its own, unannounced. A short form several kept names share stays a name of its own, and
    the note says whose it may be; a name in full is never kept under a shorter one ("Bob Smith" after
    "Bob"), and one with a title is the name without it (_alike). A name kept already is kept as first
    kept ("Bob Martinez" for "bob martinez"). The name as given, without a note, when the history holds
    nobody it may be or cannot be read (keeping the grade then says why)."""
    from ..progress.store import open_history

    try:
        with open_history(db, create=False) as store:
            kept = _names_kept(store.attempts(source="interviewer", results=False))
    except GencoError:
        return candidate, None
    if name_key(candidate) in kept:
        return kept[name_key(candidate)], None
    alike = _alike(kept, candidate)
    if len(alike) == 1:
        return alike[0], (f"graded as {alike[0]!r}, the candidate kept under that name, whom {candidate!r} names "
                          "too; give a new candidate's name in full")
    if alike:
        return candidate, (f"kept as a candidate of their own, {candidate!r}, which may be any of "
                           f"{', '.join(map(repr, alike))}: give the name in full to grade one of them")
    return candidate, None


def candidate_name(db: str | None, candidate: str) -> str:
    """The name `candidate` is kept under in the history at `db` (kept_name). Raises UnknownName for
    a name nobody was graded under, HistoryError when the history is unusable."""
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        return kept_name(store.attempts(source="interviewer", results=False), candidate)



def next_practice(db: str | None, source: str | None = "learner", candidate: str | None = None) -> Suggestion | None:
    """What to practise now (spaced repetition over concepts, FSRS) from the attempts a report of the
    same `source` and `candidate` counts, so one candidate's plan is theirs alone; None when the bank
    has nothing to suggest. Raises UnknownName for a candidate nobody was graded under."""
    return next_plan(db, source, candidate)[0]


def next_plan(db: str | None, source: str | None = "learner",
              candidate: str | None = None) -> tuple[Suggestion | None, list[str], list[int]]:
    """next_practice, the questions of the attempts it counted that no rubric on the search path has
    (sorted ids), and the numbers of the attempts it left out as a report does (scored_and_dated): a front end
    says so of both. The questions cannot be planned (a rubric of the user's not on GENCO_RUBRICS now): a
    candidate graded only on such a rubric was told to be asked the flagship, as though new."""
    from ..progress.schedule import REPLAY, suggest
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        attempts, left_out = scored_and_dated(_attempts_of(store, source, candidate, concepts_of_latest=REPLAY))
    bank = askable()
    unplanned = sorted({a.question for a in attempts} - {rubric.id for rubric in bank})
    return suggest(attempts, practice_order(bank)), unplanned, left_out



def check_kept_filters(db: str | None, question: str | None, depth: str | None) -> None:
    """check_filters for a listing that matched nothing, where a question the history at `db` holds attempts at is
    known though no rubric on the search path has it (attempts at a rubric since removed are kept, listed and
    reported): "report -q mine --since 2099-01-01" said "unknown question 'mine'" (exit 2), where "report -q
    mine" reported it. Such a question's depth is not checked: no rubric says which it has."""
    if question is not None and question not in {rubric.id for rubric in discover()}:
        from ..progress.store import open_history

        with open_history(db, create=False) as store:
            if store.count(question):
                return
    check_filters(question, depth)


def check_history(db: str | None) -> None:
    """Open the history at `db` for writing (creating it when missing), so a front end can refuse work
    it could not keep before the person does it. Raises HistoryError saying what is wrong."""
    from ..progress.store import open_history

    with open_history(db):
        pass



def recent_attempts(db: str | None, limit: int = 50) -> tuple[list[Attempt], int]:
    """The newest `limit` attempts (without their concept rows) and how many the history holds,
    for a front end's history list. A missing history is empty; raises HistoryError when unusable."""
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        return store.attempts(limit=limit, newest_first=True, results=False), store.count()



def find_attempt(db: str | None, ref: str) -> tuple[Attempt, ScoreCard, Rubric | None]:
    """One stored attempt (a number, `last` or a uid prefix), its score card rebuilt, as `genco show`
    shows it, and its rubric, or None once the question left the bank (a user rubric no longer on
    GENCO_RUBRICS) or its rubric no longer loads (one warning line says why): the kept card stands on
    its own. Raises InputError when there is no such attempt."""
    from ..progress.attempt import card_from_attempt
    from ..progress.store import open_history

    with open_history(db, create=False) as store:
        found = store.find(ref, digits_as_uid=True)  # reading only: digits may be a uid's first characters
    return found, card_from_attempt(found), find_kept(found.question)

