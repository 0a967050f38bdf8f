"""Evaluating labeled sets: score them, per question and pooled, optionally leave-one-question-out.

`genco eval` and bench/quality.py both run this, so a figure printed by one is the figure the
other prints. Leave-one-question-out refits the combination's weights (see
scoring/combination.py) without the question being reported, which is how a rubric nobody
calibrated is scored: the only honest measure of a weight shared across questions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..answers import InputError
from ..errors import UsageProblem, quoted
from ..paths import is_unnamed
from ..rubric import RUBRIC_ID, RUBRICS_ENV, UnknownName, broken_file, discover, find
from .metrics import LabeledAnswer, independent_figures, same_answer

if TYPE_CHECKING:
    from ..card import ScoreCard
    from ..embedding import Embedder
    from ..rubric import Rubric
    from ..scoring import ScoredAnswer
    from ..scoring.combination import TrainingAnswer


@dataclass
class LabeledSet:
    """Graded answers to one question, each with the depth it is scored at."""

    rubric: Rubric
    rows: list[LabeledAnswer]
    depths: list[str]


def labeled_files(paths: Sequence[str]) -> list[str]:
    """The files named, a folder standing for the *.jsonl files in it (sorted; hidden ones, folders and links
    to nothing aside: an editor's lock file ".#name.jsonl" failed the run); '-' is stdin. A file named twice (itself and in its folder,
    say) is read once: counted twice, its answers would weigh double. An empty name is a usage error (UsageProblem)."""
    out: list[str] = []
    seen: set[object] = set()
    for path in paths:
        if is_unnamed(path):  # an unset shell variable must not read every file here
            raise UsageProblem("a file name is empty: give a labeled .jsonl file or a folder of them")
        if path != "-" and Path(path).is_dir():
            found = sorted(str(p) for p in Path(path).glob("*.jsonl") if not p.name.startswith(".") and p.is_file())
            if not found:
                raise InputError(f"{path}: no .jsonl files in this folder")
        else:
            found = [path]
        for name in found:
            key = _file_key(name)
            if key not in seen:
                seen.add(key)
                out.append(name)
    return out


def _file_key(name: str) -> object:
    """What makes two names one file: its device and inode (a symlink or a hard link is the same file), or
    the name itself for stdin and for a file that cannot be read (its error comes when it is read)."""
    if name == "-":
        return name
    try:
        found = os.stat(name)
    except OSError:
        return name
    return found.st_dev, found.st_ino


MIN_REFIT_ANSWERS = 10
"""Answers with concept grades the other questions should hold for a refit whose figures mean much."""


def _refit_answers(sets: Sequence[LabeledSet]) -> dict[str, int]:
    """Per question, the answers with concept grades that leave-one-question-out refits on without it."""
    graded = {labeled.rubric.id: sum(1 for row in labeled.rows if row.concepts) for labeled in sets}
    total = sum(graded.values())
    return {question: total - own for question, own in graded.items()}


def require_refit_data(sets: Sequence[LabeledSet]) -> None:
    """Leave-one-question-out refits on the other questions' concept and overall grades: it needs
    two questions, and for each question some concept grades outside it. Raises InputError."""
    if len(sets) < 2:
        found = ", ".join(labeled.rubric.id for labeled in sets)
        raise InputError(f"--leave-one-question-out needs graded answers to at least two questions; "
                         f"the files hold only {found}")
    starved = [question for question, count in _refit_answers(sets).items() if not count]
    if starved:
        raise InputError(f"--leave-one-question-out refits concept weights on the other questions' 'concepts' "
                         f"grades; without {starved[0]} none are left (add 'concepts' to another question's rows)")


def scale_warning(grades: Sequence[float], scale: int) -> str | None:
    """One line when every grade sits in the bottom tenth of a --scale above 10 (0-10 grades read as
    0-100, say): every score would count as far too high, and the figures say nothing of genco."""
    if scale <= 10 or not grades or max(grades) > scale / 10:
        return None
    return (f"every grade is {max(grades):g} or less, a tenth of --scale {scale}: if they were graded 0-10, "
            f"give --scale 10")


MIN_FIGURE_ANSWERS = 10
"""Answers under which a question's rank figures (Spearman, QWK) are mostly chance: two answers in
the right order give a Spearman of 1."""


def small_set_warning(sets: Sequence[LabeledSet]) -> str | None:
    """One line naming the questions with fewer than MIN_FIGURE_ANSWERS labeled answers."""
    small = [f"{s.rubric.id} {len(s.rows)}" for s in sets if len(s.rows) < MIN_FIGURE_ANSWERS]
    if not small:
        return None
    return (f"few labeled answers ({', '.join(small)}): their Spearman and QWK are mostly chance; "
            f"{MIN_FIGURE_ANSWERS} or more make figures worth reading")


def blank_answers_warning(sets: Sequence[LabeledSet]) -> str | None:
    """One line when labeled rows have no answer (empty, or only blanks and invisible characters): each scores 0
    and counts in the figures beside its grade, which is most likely a row whose answer was lost. Names the
    first by file and line, and how many more there are."""
    from ..text.reading import is_blank

    blank = [row.where for labeled in sets for row in labeled.rows if is_blank(row.answer)]
    if not blank:
        return None
    more = f", and {len(blank) - 1} more" if len(blank) > 1 else ""
    return f"a labeled answer is empty ({blank[0]}{more}): it scores 0 and counts in the figures beside its grade"


def repeated_answers_warning(sets: Sequence[LabeledSet]) -> str | None:
    """One line when an answer is labeled twice for the same question at the same depth (files
    concatenated, a folder holding a copy): every copy counts in the figures, so a repeated easy answer
    flatters them. Names the first repeat by file and line, whether its grades disagree, and how many
    more there are. The same answer at another depth is another question's grade, no repeat."""
    repeats = []
    for labeled in sets:
        first: dict[tuple[str, str], LabeledAnswer] = {}
        for row, depth in zip(labeled.rows, labeled.depths):
            key = same_answer(row, depth)
            if key not in first:
                first[key] = row
                continue
            earlier = first[key]
            graded = "" if earlier.overall == row.overall else f", graded {earlier.overall:g} and {row.overall:g}"
            repeats.append(f"{row.where} repeats {earlier.where}{graded}")
    if not repeats:
        return None
    more = f", and {len(repeats) - 1} more" if len(repeats) > 1 else ""
    return f"the same answer is labeled more than once ({repeats[0]}{more}): each copy counts in the figures"


def thin_refit_warning(sets: Sequence[LabeledSet]) -> str | None:
    """One line naming the questions judged by weights refitted on fewer than MIN_REFIT_ANSWERS
    answers: figures such a refit gives are the data's noise more than the method's worth."""
    thin = [f"without {question} {count}" for question, count in _refit_answers(sets).items()
            if count < MIN_REFIT_ANSWERS]
    if not thin:
        return None
    return (f"--leave-one-question-out refits on few answers with concept grades ({', '.join(thin)}; "
            f"{MIN_REFIT_ANSWERS} or more make figures worth reading)")


def json_ready(value: object) -> object:
    """Figures as strict JSON: a metric that cannot be computed (NaN, infinite) becomes null."""
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


def training_answers(labeled: LabeledSet, scored: Sequence[ScoredAnswer], scale: int = 10) -> list[TrainingAnswer]:
    """Signals paired with their human grades: the overall grade moved from 0-`scale` onto the
    combination's 0-10, ungraded concepts NaN."""
    from ..scoring.combination import TrainingAnswer

    return [TrainingAnswer(s.signals, tuple(float(row.concepts.get(c, np.nan)) for c in s.signals.concept_ids),
                           row.overall * 10.0 / scale, labeled.rubric.id,
                           tuple((hit.id, hit.margin) for hit in s.card.misconceptions), frozenset(row.misconceptions))
            for row, s in zip(labeled.rows, scored)]


def evaluate(sets: Sequence[LabeledSet], embedder: Embedder, scale: int = 10, leave_one_question_out: bool = False,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, object]:
    """Figures per question (rubric id) and pooled; with leave_one_question_out, each question's cards
    come from a combination fitted on the other questions only. `progress` hears (the question being
    read, answers read in all, answers in all) as the model reads them, the long part.

    Raises InputError when leave-one-question-out has nothing to refit on (see require_refit_data).
    """
    from ..scoring import Scorer, combine
    from ..scoring.combination import fit_combination

    if leave_one_question_out:
        require_refit_data(sets)
    scorers, scored = [], []
    total, read = sum(len(labeled.rows) for labeled in sets), 0
    for labeled in sets:
        question = labeled.rubric.id
        heard = None if progress is None else partial(_answers_read, progress, question, read, total)
        if heard is not None:
            heard(0, len(labeled.rows))
        scorers.append(Scorer(labeled.rubric, embedder))
        scored.append(scorers[-1].read_each([r.answer for r in labeled.rows], labeled.depths, heard))
        read += len(labeled.rows)
    cards: list[list[ScoreCard]] = []
    for index in range(len(sets)):
        combination = scorers[index].combination
        if leave_one_question_out:
            combination = fit_combination([t for j, other in enumerate(sets) if j != index
                                           for t in training_answers(other, scored[j], scale)])
        cards.append([combine(s, combination) for s in scored[index]])
    questions = {labeled.rubric.id: independent_figures(labeled.rows, c, scale) for labeled, c in zip(sets, cards)}
    pooled = independent_figures([r for s in sets for r in s.rows], [c for cs in cards for c in cs], scale)
    return {**pooled, "grade_map": ["linear"], "leave_one_question_out": leave_one_question_out,
            "questions": questions, "pooled": pooled, "scores": answer_scores(sets, cards)}


def _answers_read(progress: Callable[[str, int, int], None], question: str, before: int, total: int,
                  done: int, _size: int) -> None:
    """One question's progress(done, its size) heard as the whole evaluation's (evaluate)."""
    progress(question, before + done, total)


def answer_scores(sets: Sequence[LabeledSet], cards: Sequence[Sequence[ScoreCard]]) -> list[dict[str, object]]:
    """Each answer's grade beside its score, in file order per question: what to read when a figure looks
    wrong (`where` is the file and line of the row)."""
    return [{"where": row.where, "id": row.id, "question": labeled.rubric.id, "depth": depth, "grade": row.overall,
             "score": card.score, "uncertain": card.uncertain}
            for labeled, question_cards in zip(sets, cards)
            for row, depth, card in zip(labeled.rows, labeled.depths, question_cards)]


def load_sets(paths: Sequence[str], question: str | None = None, depth: str | None = None,
              scale: int = 10) -> list[LabeledSet]:
    """Labeled files (or folders) grouped by the rubric each row is scored against.

    A row's own "question" and "depth" fields come first, then `question`/`depth`, then the
    rubric the file is named after, then the rubric's first depth. Raises InputError naming the
    file and row when a row names no known question or depth, or nothing says which rubric it
    answers: a guess would score it against another question and report a confident nonsense.
    """
    from ..answers import input_name, read_jsonl_text
    from .metrics import check_labels, parse_labeled

    if question is not None:
        find(question)  # an unknown --question is the option's mistake, not a row's
    known = {r.id for r in discover()}
    sets: dict[str, LabeledSet] = {}
    for path in labeled_files(paths):
        rows = parse_labeled(read_jsonl_text(path), input_name(path))
        stem = Path(path).stem
        fallback = question or (stem if stem in known or broken_file(stem) is not None else None)  # its error, then
        for row in rows:
            rubric = row_rubric(row, fallback, stem)
            chosen = row_depth(row, rubric, depth)
            entry = sets.setdefault(rubric.id, LabeledSet(rubric, [], []))
            entry.rows.append(row)
            entry.depths.append(chosen)
    for labeled in sets.values():
        check_labels(labeled.rows, labeled.depths, labeled.rubric, scale)
    return list(sets.values())


def row_depth(row: LabeledAnswer, rubric: Rubric, default: str | None = None) -> str:
    """The depth a row is scored at: its own, else `default`, else the rubric's first; InputError
    naming the file and line when the rubric has no such depth."""
    chosen = row.depth or default or rubric.depths[0].name
    if chosen not in rubric.depth_names:
        raise InputError(f"{row.where}: unknown depth {quoted(chosen)} for {rubric.id}; valid: {', '.join(rubric.depth_names)}")
    return chosen


def row_rubric(row: LabeledAnswer, fallback: str | None, file_stem: str | None = None) -> Rubric:
    """The rubric a row is scored against; a row naming an unknown one, or none, is named by file and line.
    `file_stem` is the name of the row's file without its suffix: named after a rubric genco cannot find (one
    of the user's own, not on GENCO_RUBRICS), it is told where genco looks, not only to name the file after one."""
    name = row.question or fallback
    if name is None:
        unknown = (f"; genco knows no rubric {quoted(file_stem)} (a rubric of your own is found through {RUBRICS_ENV})"
                   if file_stem is not None and RUBRIC_ID.fullmatch(file_stem) else "")
        raise InputError(f"{row.where}: no question: give the row a \"question\", name the file after a rubric "
                         f"(<rubric-id>.jsonl) or pass --question{unknown}")
    try:
        return find(name)
    except UnknownName as exc:
        raise InputError(f"{row.where}: {exc}") from None
