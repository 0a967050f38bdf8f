"""The application layer: what a person asks genco to do, for any front end.

A command (and a web page) parses its input, calls one use case here, and renders what comes
back; none of them chooses a question, loads the model, scores, grades or stores by itself. A
`Workbench` keeps the model and each rubric's scorer once loaded, so a long-lived front end
scores warm, while a one-shot command pays for the model only when it scores. Failures are
GencoError subclasses with one-line messages (errors.py); nothing here prints.
"""

from __future__ import annotations

import os
import random
import re
import shlex
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GencoError, cut, quoted
from .output import one_line
from .progress.attempt import marked_by_interviewer, name_key
from .progress.database import HistoryError
from .rubric import (
    RUBRICS_ENV,
    Rubric,
    RubricError,
    UnknownName,
    UnreadableRubric,
    askable,
    broken_file,
    discover,
    find,
    find_kept,
    load_rubric,
    misnamed_rubric_files,
    names_a_file,
    pick_random,
    practice_order,
    rubric_dirs,
    rubric_files,
    unknown_question,
)

if TYPE_CHECKING:
    from .card import ScoreCard
    from .embedding import Embedder
    from .evaluation.lint import RubricCheck
    from .interview.grading import Grade
    from .progress.attempt import Attempt
    from .progress.comparison import Comparison
    from .progress.reports import Report
    from .progress.schedule import Suggestion
    from .progress.store import History
    from .scoring import Scorer


def resolve(question: str | None, depth: str | None, files: bool = False) -> tuple[Rubric, str]:
    """The named question (the bank's first when None; with `files`, a rubric file's path too: rubric_file)
    and the named depth, checked (the rubric's first when None). Raises UnknownName (a usage error) naming
    the valid ones, RubricError for a file that does not load."""
    path = rubric_path(question) if files and question is not None else None
    rubric = rubric_file(path) if path is not None else find(question)
    return rubric, depth_of(rubric, depth)


def rubric_path(question: str) -> str | None:
    """The rubric file a QUESTION names by its path: a file's name that holds a folder, or that is there; a bare
    file name that is not is the search path's file of that name ("mine.yaml" on GENCO_RUBRICS). None for an id,
    and for a bare name the search path has no file of, which rubric.find then says (a broken one's error)."""
    if not names_a_file(question):
        return None
    if Path(question).name != question or os.path.exists(question):
        return question
    return next((str(folder / question) for folder in rubric_dirs() if os.path.isfile(folder / question)), None)


def rubric_file(path: str) -> Rubric:
    """A rubric read from its file wherever it is (`practice`, `score`, `grade` and `rubric show`): an author tries
    one before putting its folder on the search path; the web app asks the search path's questions alone.
    RubricError when it does not load, or when its id is another file's question on the search path: its
    attempts would be kept, reported and regraded as that question's (a grade of it replaced the other's)."""
    from .outfile import same_file

    rubric = load_rubric(path, calibrated=False)  # its id first: a copy's calibration: line names no file beside it
    held = next((r for r in discover() if r.id == rubric.id), None)
    if held is not None and not same_file(Path(held.path), Path(rubric.path)):
        raise RubricError(f"{path}: its id {rubric.id!r} is a question genco has already ({held.path}); give the file "
                          f"an id of its own (on {RUBRICS_ENV}, a file replaces the question of its id)")
    return load_rubric(path) if rubric.calibration is not None else rubric


def named_after_another_question(path: str, rubric_id: str) -> str | None:
    """The id of the bank's question a file is named after ("event-loop-internals.jsonl"), when that is not
    `rubric_id`: its rows are likely that question's answers. None otherwise."""
    named = Path(path).name.split(".")[0]
    return named if named != rubric_id and named in {r.id for r in discover()} else None


def resolve_batch(question: str | None, depth: str | None, path: str) -> tuple[Rubric, str]:
    """resolve() for `score --input PATH`. With no question named, a file named after another
    question of the bank (a labeled set such as event-loop-internals.jsonl) would be scored against
    the first question without a word: UnknownName (a usage error) says to name it."""
    rubric, depth_name = resolve(question, depth, files=True)
    named = named_after_another_question(path, rubric.id)
    if question is None and named is not None:
        raise UnknownName(f"{path} is named after the question {named!r}, but with no QUESTION it would be "
                          f"scored against {rubric.id!r}; name the question: "
                          f"{shlex.join(['genco', 'score', named, '--input', path])}")
    return rubric, depth_name


def depth_of(rubric: Rubric, depth: str | None) -> str:
    """The named depth, checked, or the rubric's first when None (raises UnknownName)."""
    if depth is None:
        return rubric.depth_names[0]
    if depth not in rubric.depth_names:
        raise UnknownName(f"unknown depth {quoted(depth)} for {rubric.id}; valid: {', '.join(rubric.depth_names)}")
    return depth


def check_filters(question: str | None, depth: str | None) -> None:
    """A --question or --depth filter that matched nothing must name something that exists:
    a question of the bank, and a depth that question (or, with no question, any) has. Raises
    UnknownName (a usage error) naming the valid ones, so a typo is not read as "no attempts"; the error of
    a rubric file of that id that does not load (a RubricError) rather than "unknown question"."""
    if question is not None and broken_file(question) is not None:
        find(question)  # the file's own error, unless a rubric of that id that loads comes first
    bank = discover()
    by_id = {r.id: r for r in bank}
    if question is not None and question not in by_id:
        raise unknown_question(question, list(by_id))
    depths = by_id[question].depth_names if question is not None else list(dict.fromkeys(
        d for r in bank for d in r.depth_names))
    if depth is not None and depth not in depths:
        raise UnknownName(f"unknown depth {depth!r}; valid: {', '.join(depths)}")


def pick_question(tag: str | None, depth: str | None, seed: int | None = None) -> tuple[Rubric, str]:
    """A question drawn from the bank (only `tag`'s when given), at `depth` or a random one;
    the same `seed` draws the same question."""
    return pick_random(askable(), tag, depth, random.Random(seed))


def progress_report(db: str | None, question: str | None = None, source: str | None = "learner",
                    candidate: str | None = None, since: str | None = None) -> Report:
    """Progress per question and depth from the history at `db` (None: the default file), only
    `source`'s attempts ("learner", "interviewer"; None: all), or only those of the candidate
    graded under the name `candidate`; with `since` (a stored UTC time, store.normalise_time) only
    the attempts from then on. Raises HistoryError when the history is unusable; a missing history
    is an empty report."""
    from .progress.reports import CONCEPT_ROWS_NEEDED, build_report
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        attempts = _attempts_of(store, source, candidate, question=question, concepts_of_latest=CONCEPT_ROWS_NEEDED,
                                since=since)
    return build_report(attempts, find_kept, source=str(store.path), question=question, since=since,
                        candidate=candidate, source_filter=source)


def candidate_comparison(db: str | None, names: Sequence[str] = (), question: str | None = None,
                         since: str | None = None) -> Comparison:
    """Candidates graded with `genco grade` side by side: each one's latest grade per question and
    depth from the history at `db` (None: the default file), only the candidates `names` call (each as
    `kept_name` finds it; none: everyone graded, unnamed grades too), only `question`'s, only those
    from `since` on (a stored UTC time). Raises UnknownName for a name nobody was graded under,
    HistoryError when the history is unusable; a missing history is an empty comparison."""
    from .progress.comparison import build_comparison, latest_grades
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        graded = store.attempts(source="interviewer", results=False)
        wanted = {name_key(kept_name(graded, name)) for name in names}
        picked = [a for a in graded if (question is None or a.question == question)
                  and (since is None or a.created_at >= since)
                  and (not wanted or (a.candidate is not None and name_key(a.candidate) in wanted))]
        latest = latest_grades(picked)
        store.attach_results([grade.attempt for grade in latest], evidence=False)
    return build_comparison(latest, find_kept, source=str(store.path), question=question, since=since)


def _attempts_of(store: History, source: str | None, candidate: str | None, question: str | None = None,
                 concepts_of_latest: int | None = None, since: str | None = None) -> list[Attempt]:
    """The attempts `report` and `next` count, without evidence texts: `source`'s ("learner",
    "interviewer"; None: all), or with `candidate` only those graded under that name, whatever
    `source` says (a candidate is graded by an interviewer). The name is picked before the concept
    rows are read, so `concepts_of_latest` (History.attempts) counts this candidate's attempts, not
    the latest of everyone graded. Raises UnknownName for a name nobody was graded under."""
    if candidate is None:
        return store.attempts(question=question, since=since, source=source, evidence=False,
                              concepts_of_latest=concepts_of_latest)
    graded = store.attempts(source="interviewer", results=False)
    mine = of_candidate([a for a in graded if (question is None or a.question == question)
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
    from .text.reading import same_person

    kept: dict[str, str] = {}
    for attempt in graded:  # each name as first kept ("Ann Lee", not a later "ann lee")
        if attempt.candidate:
            kept.setdefault(name_key(attempt.candidate), attempt.candidate)
    wanted = name_key(candidate)
    if wanted not in kept:
        alike = [name for key, name in kept.items() if same_person(name, candidate)]
        if len(alike) > 1:
            raise UnknownName(f"candidate {candidate!r} may be any of {', '.join(sorted(map(repr, alike)))}: "
                              "give the name in full")
        if not alike:
            names = ", ".join(sorted(map(repr, kept.values()))) or "none named yet"
            raise UnknownName(f"no attempt is graded for candidate {candidate!r}; candidates: {names}")
        wanted = name_key(alike[0])
    return kept[wanted]


def candidate_name(db: str | None, candidate: str) -> str:
    """The name `candidate` is kept under in the history at `db` (kept_name). Raises UnknownName for
    a name nobody was graded under, HistoryError when the history is unusable."""
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        return kept_name(store.attempts(source="interviewer", results=False), candidate)


def next_practice(db: str | None, source: str | None = "learner", candidate: str | None = None) -> Suggestion | None:
    """What to practise now (spaced repetition over concepts, FSRS) from the attempts a report of the
    same `source` and `candidate` counts, so one candidate's plan is theirs alone; None when the bank
    has nothing to suggest. Raises UnknownName for a candidate nobody was graded under."""
    from .progress.schedule import REPLAY, suggest
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        attempts = _attempts_of(store, source, candidate, concepts_of_latest=REPLAY)
    return suggest(attempts, practice_order(askable()))


@dataclass
class Saved:
    """Where scored answers went: their attempt numbers in the history (what `genco show N` takes);
    `already` when the history held this very grade, which was not kept a second time."""

    numbers: list[int]
    already: bool = False
    replaced: int | None = None
    """The number of the grade of the same transcript this one replaced (keep_grade), else None."""


@dataclass(frozen=True)
class Judgement:
    """What an interviewer added to a kept grade of theirs: the attempt, their marks (concept id -> status, where
    they differ from the machine's), their note, whether they dismissed the red flags."""

    attempt: int
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
        return cls(attempt.id or 0, marks, grade.get("note"), dismissed)


def _labels(names: Sequence[str]) -> str:
    """Transcript labels as a card names them: "Verdict:, Feedback:"."""
    return ", ".join(f"{name}:" for name in names)


def rubric_named(value: str, calibrated: bool = True) -> Rubric:
    """A rubric given as an id on the search path or as a path to its file (a name ending in
    .yaml/.yml or holding a slash). With `calibrated` False, its calibration file is not read (what
    `genco calibrate` rewrites may be missing or damaged). Raises UnknownName or RubricError."""
    if names_a_file(value):
        return load_rubric(value, calibrated)
    broken = None if calibrated else broken_file(value)
    return load_rubric(broken, calibrated=False) if broken is not None else find(value)


@dataclass
class DraftedRubric:
    """A rubric written from a model answer: its id and its YAML, to be refined by a person."""

    id: str
    text: str
    negated: tuple[str, ...] = ()
    """The key points stated only with a negation ("once created it cannot change"), as their names: an
    answer stating one positively earns nothing for it until a positive phrasing is added, and
    `rubric validate --strict` warns (exemplars-all-negated)."""


def draft_rubric_from_answer(question: str, answer: str, rubric_id: str | None = None,
                       title: str | None = None) -> DraftedRubric:
    """A rubric whose concepts are the key points of one model answer (`rubric from-answer`); the id
    defaults to a slug of the question. Raises InputError for an empty or over-long question or answer
    or an answer without a word to make a key point of, or one holding a control character (line breaks of
    any system are read as line breaks), UsageProblem (exit 2) for an id that is not lowercase
    letters and digits joined by dashes."""
    from .answers import InputError
    from .errors import UsageProblem
    from .evaluation.lint import stated_only_negated
    from .rubric import NO_KEY_POINT, has_key_point, parse_rubric, reference_rubric_yaml, slug
    from .rubric.model import MAX_TEXT_CHARS, PLACEHOLDER, id_problem
    from .text.escapes import CONTROL_CHARACTER, control_character_problem, unix_line_breaks
    from .text.reading import is_blank

    if is_blank(question):
        raise InputError("--question is empty")
    if is_blank(answer):
        raise InputError("the model answer is empty")
    question, answer = unix_line_breaks(question), unix_line_breaks(answer)  # a model answer saved on Windows
    title = None if title is None else unix_line_breaks(title)
    for name, text in (("--question", question), ("the model answer", answer), ("--title", title or "")):
        if len(text) > MAX_TEXT_CHARS:  # said of what was typed, not of a line of the file it would become
            raise InputError(f"{name} is {len(text):,} characters; a rubric's texts hold at most {MAX_TEXT_CHARS:,}")
        if control := CONTROL_CHARACTER.search(text):
            raise InputError(f"{name} {control_character_problem(control.group())}")
        if text.strip().startswith(PLACEHOLDER):  # the rubric's loader would read it as a value left to fill
            raise InputError(f"{name} starts with {PLACEHOLDER!r}, which marks a rubric value still to write; "
                             "start it with its own words")
    if not has_key_point(answer):
        raise InputError(f"the model answer {NO_KEY_POINT}")
    rubric_id = slug(question) if rubric_id is None else rubric_id  # --id '' is a mistake, not "from the question"
    problem = id_problem(rubric_id, kind="--id")
    if problem is not None:
        raise UsageProblem(problem)
    title = None if title is None or is_blank(title) else title  # as --title '': the question's words, not nothing
    text = reference_rubric_yaml(rubric_id, question, answer, title=title)
    negated = tuple(c.name for c in parse_rubric(text, rubric_id, calibrated=False).concepts if stated_only_negated(c))
    return DraftedRubric(rubric_id, text, negated)


def write_new_rubric(path: str, text: str, force: bool = False) -> None:
    """Write a rubric file, never over one someone may have refined unless `force` (nor over the
    history); its folder is created as `rubric new` creates its own. Raises InputError when the
    file exists without `force`, or the folder cannot be made."""
    from .outfile import write_file
    from .progress.database import default_path

    write_file(path, [text], protected=[default_path()], private=False, replace=force)


@dataclass
class Exported:
    """What `export_model` did: the model's name, the export's folder, whether it was built now
    (False: a valid export was already there), and whether it holds the int8 variant too."""

    model: str
    directory: Path
    built: bool
    quantized: bool = False

    def summary(self) -> str:
        """One line for the user: what was written, or that nothing needed doing."""
        what = "ONNX export and its int8 variant" if self.quantized else "ONNX export"
        if self.built:
            return f"{self.model}: {what} written to {self.directory}"
        return f"{self.model}: the {what} in {self.directory} {'are' if self.quantized else 'is'} valid; nothing to do (--force rebuilds)"


def export_model(model: str | None = None, quantize: bool = False, force: bool = False,
                 progress: Callable[[str], None] = lambda _: None) -> Exported:
    """Build the model's ONNX export (and its int8 variant with `quantize`), verified against
    sentence-transformers, unless a valid one exists (or `force`); `progress(text)` hears each
    stage of a build. Raises ModelError, also for a cache folder that cannot be written."""
    from .embedding import ModelError, resolve_model
    from .embedding.onnx_backend import ExportUnavailable, check_export
    from .embedding.onnx_export import build_export
    from .paths import cache_dir

    spec = resolve_model(model)
    try:
        try:
            found = [check_export(spec, variant).directory for variant in (["onnx", "onnx-int8"] if quantize else ["onnx"])]
        except ExportUnavailable as exc:
            if not exc.rebuildable:
                raise
            found = []
        if found and not force:
            return Exported(spec.name, found[0], built=False, quantized=quantize)
        progress(f"Exporting {spec.name} to ONNX…")
        target = build_export(spec, quantize=quantize, step=lambda text: progress(f"Exporting: {text}…"))
    except OSError as exc:
        raise ModelError(f"cannot write the ONNX export in {exc.filename or cache_dir()} ({exc.strerror or exc}); "
                         "make the cache folder writable or set GENCO_HOME") from None
    return Exported(spec.name, target, built=True, quantized=quantize)


@dataclass(frozen=True)
class StaleExport:
    """An ONNX export this install does not use: its folder, its size in bytes, and the model folder it
    was built from (its manifest's `model_path`, "" when it names none)."""

    folder: Path
    size: int
    built_from: str


@dataclass(frozen=True)
class StaleExports:
    """What `stale_exports` found: the export folder this install uses for the model, and the other
    exports of the same model in the cache."""

    model: str
    kept: Path
    stale: list[StaleExport]

    @property
    def size(self) -> int:
        """Bytes the stale exports take."""
        return sum(export.size for export in self.stale)


def stale_exports(model: str | None = None) -> StaleExports:
    """The ONNX exports of `model` (the bundled one by default) in the cache folder that this install
    does not use: each environment builds its own, named by a fingerprint of its model files, and a
    build removes only those it replaces or whose environment is gone (onnx_export.remove_replaced_exports).
    A folder counts only when it is an export of that model (onnx_backend.export_manifest); this install's
    own export, and the folder its name links to, never do. A folder that cannot be read is passed over.
    Raises ModelError for a model that cannot be found."""
    from .embedding import resolve_model
    from .embedding.onnx_backend import export_dir, export_manifest

    spec = resolve_model(model)
    kept = export_dir(spec)
    try:
        ours, folders = kept.resolve(), sorted(kept.parent.iterdir())
    except OSError:
        return StaleExports(spec.name, kept, [])
    stale = []
    for folder in folders:
        manifest = export_manifest(folder, spec.name)  # None for this install's own when it is a link
        try:
            if manifest is not None and folder.resolve() != ours:
                size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
                built_from = manifest.get("model_path")
                stale.append(StaleExport(folder, size, built_from if isinstance(built_from, str) else ""))
        except OSError:
            continue
    return StaleExports(spec.name, kept, stale)


def remove_exports(found: StaleExports) -> None:
    """Delete the stale export folders `found` lists. Raises ModelError naming a folder that cannot be
    deleted, and how much the ones before it freed."""
    import shutil

    from .embedding import ModelError

    freed = 0
    for export in found.stale:
        try:
            shutil.rmtree(export.folder)
        except OSError as exc:
            raise ModelError(f"cannot delete {export.folder} ({exc.strerror or exc}); {freed // 2**20} MB freed "
                             "before it") from None
        freed += export.size


def evaluate_files(bench: Workbench, labeled: Sequence[str], question: str | None = None, depth: str | None = None,
                   scale: int = 10, leave_one_question_out: bool = False, warn: Callable[[str], None] | None = None,
                   progress: Callable[[str], None] | None = None) -> dict:
    """Agreement with human graders on labeled files (or folders, or "-"), per question and pooled
    (the shape of `evaluation.quality.evaluate`; NaN where a figure cannot be computed).

    Rows are scored against the rubric named by their "question", else `question`, else the file's
    name; scores map onto the graders' 0..`scale` by score / 100 x scale. With
    `leave_one_question_out`, each question is judged by weights refitted without it; `warn` hears
    (before the work starts) when those refits rest on few answers, when a question has too few
    answers for its figures to mean much, when an answer is labeled twice for one question, or when
    the grades look like they are on a smaller scale than `scale`. Raises InputError naming the
    file and row for bad labels, or when a refit has nothing to learn from."""
    from .evaluation.quality import (
        evaluate,
        load_sets,
        repeated_answers_warning,
        require_refit_data,
        scale_warning,
        small_set_warning,
        thin_refit_warning,
    )

    check_filters(question, depth)  # an unknown --question or --depth is the option's mistake (usage), not a row's
    sets = load_sets(labeled, question, depth, scale)
    notices = [scale_warning([row.overall for labeled_set in sets for row in labeled_set.rows], scale),
               small_set_warning(sets), repeated_answers_warning(sets)]
    if leave_one_question_out:
        require_refit_data(sets)
        notices.append(thin_refit_warning(sets))
    for notice in notices:
        if notice and warn:
            warn(notice)
    return evaluate(sets, bench.embedder, scale, leave_one_question_out, progress)


@dataclass
class Calibrated:
    """What `calibrate_rubric` did: the rubric as written (what was fitted) and the figures, shaped
    {"rubric", "written" (the file), "linked" (the line added to the rubric, or None), "answers",
    "written_thresholds", "thresholds", "grade_map", "cross_validation"}."""

    rubric: Rubric
    result: dict


def calibrate_rubric(bench: Workbench, rubric: Rubric, labeled: str, depth: str | None = None, scale: int = 10,
                     folds: int = 5, out: Path | None = None,
                     stage: Callable[[str], AbstractContextManager[object]] = lambda _: nullcontext(),
                     warn: Callable[[str], None] | None = None, force: bool = False) -> Calibrated:
    """Fit `rubric`'s thresholds and grade map to the human grades in `labeled` (JSON Lines), judge
    them by `folds`-fold cross-validation, write the calibration file (`out`, default
    the file the rubric's `calibration:` line names, else calibration/ID.yaml beside the rubric, which
    is then linked from the rubric with one appended `calibration:` line (never a second one). Rows naming another
    question are skipped; `stage(text)` wraps each slow step (a spinner, say); `warn` hears when the grades
    look like they are on a smaller scale than `scale`.

    Raises InputError for too few rows, bad labels, a file that cannot be written, or (without
    `force`) a file there that is not a calibration (a rubric, say: it would be lost)."""
    from .answers import InputError, input_name, read_jsonl_text
    from .evaluation.calibration import (
        CALIBRATION_START,
        calibration_yaml,
        cross_validate,
        fit,
        graded_items,
        thresholds_win,
        written_thresholds,
    )
    from .evaluation.metrics import check_labels, parse_labeled, same_answer
    from .evaluation.quality import LabeledSet, repeated_answers_warning, row_depth, row_rubric, scale_warning
    from .outfile import check_output_path, refuse_a_foreign_file
    from .progress.database import default_path
    from .rubric import uncalibrated
    from .views.markup import counted

    written = uncalibrated(rubric)
    named = Path(rubric.calibration.path) if rubric.calibration is not None else None  # where the rubric reads it
    # beside the file a symlinked rubric leads to: its `calibration:` line is read from there, and written there
    target = out or named or Path(written.path).resolve().parent / "calibration" / f"{written.id}.yaml"
    # a `calibration:` line may name the rubric itself, or the graded answers: --force must not write over them
    _refuse_an_input_as_output(target, {"the rubric being calibrated": written.path, "the graded answers": labeled})
    if out is None:
        _refuse_a_shipped_rubric(rubric)
    if out is None and named is not None:
        _refuse_another_rubrics_calibration(named, written.id)
    elif out is not None and not force:  # another rubric's calibration would load no more
        _refuse_another_rubrics_calibration(out, written.id, "pass --force to overwrite it")
    if target.resolve().is_relative_to(installed_package()):  # --out, or a copy's `calibration:` line pointing back
        raise InputError(f"{target}: is inside the installed package ({installed_package()}); a calibration there "
                         f"would change a shipped question's scores for every user of this environment")
    check_output_path(target, [default_path()])  # the history, a recovery file...: said now, not after the fitting
    refuse_a_foreign_file(target, [CALIBRATION_START], "calibration", force)
    link = out is None and named is None
    _refuse_unwritable(target, Path(written.path) if link else None)
    if depth is not None:
        depth_of(written, depth)  # an unknown --depth is the option's mistake, not a row's
    graded, source = read_jsonl_text(labeled), input_name(labeled)  # source: "<stdin>" for -, as elsewhere
    rows = parse_labeled(graded, source)
    for row in rows:  # a row naming another question is checked to exist (file and line), not quietly left out
        if row.question and row.question != written.id:
            row_rubric(row, None)
    other_question = named_after_another_question(labeled, written.id)
    if other_question is not None and any(not row.question for row in rows):
        raise UnknownName(f"{source} is named after the question {other_question!r}, but its rows without a \"question\" "
                          f"would calibrate {written.id!r}: give those rows their question, or name the file after "
                          f"{written.id!r}")
    own = [row for row in rows if (row.question or None) in (None, written.id)]
    others, rows = len(rows) - len(own), own  # rows of other questions, said beside too few rows: "0 rows" read as none
    depths = [row_depth(row, written, depth) for row in rows]
    check_labels(rows, depths, written, scale)  # a bad row is the first thing to fix, before how many there are
    notice = scale_warning([row.overall for row in rows], scale)
    if notice and warn:
        warn(notice)
    distinct = len({same_answer(row, row_depth) for row, row_depth in zip(rows, depths)})
    if len(rows) < 2 * folds:
        elsewhere = f" (and {counted(others, 'row')} naming another question in \"question\")" if others else ""
        raise InputError(f"{source}: {counted(len(rows), 'row')} for {written.id}{elsewhere}; calibration needs at "
                         f"least {2 * folds}")
    if distinct < 2 * folds:  # copies share a fold (calibration.folds): folds of one answer judge nothing
        raise InputError(f"{source}: {counted(len(rows), 'row')} but {counted(distinct, 'different answer')} for "
                         f"{written.id}; calibration needs at least {2 * folds} different answers")
    repeated = repeated_answers_warning([LabeledSet(written, rows, depths)])
    if repeated and warn:
        warn(f"{repeated}; copies are kept in one fold, so each is judged by a fit that never saw it")
    scorer = bench.scorer(written)
    with stage("Embedding the graded answers"):
        items = graded_items(scorer, rows, depths)
    with stage(f"Cross-validating ({folds} folds) and fitting"):
        report = cross_validate(written, items, scorer, scale, folds)
        report["thresholds_adopted"] = thresholds_win(report)
        fitted = fit(written, items, scorer, move_thresholds=report["thresholds_adopted"], scale=scale)
    if not force:
        _refuse_a_flat_grade_map(fitted.grade_map, source, [row.overall for row in rows], scale)
    chance = _no_better_than_chance(report)
    if chance and warn:
        warn(f"{source}: {chance}")
    text = calibration_yaml(written, fitted, scale, Path(labeled), graded, len(rows), scorer.embedder.name, report)
    linked = _write_calibration(written, target, text, link)
    return Calibrated(written, {
        "rubric": written.id, "written": str(target), "linked": linked, "answers": len(rows),
        "written_thresholds": written_thresholds(written), "thresholds": fitted.thresholds,
        "grade_map": fitted.grade_map, "cross_validation": report})


def _refuse_a_flat_grade_map(grade_map: Sequence[tuple[float, float]], labeled: str, grades: Sequence[float],
                             scale: int) -> None:
    """Raise InputError when the fitted grade map gives every score one grade: the graders' grades do not
    rise with genco's scores (all alike, grades of other answers, or answers all alike), and the rubric so
    calibrated would score every answer the same."""
    from .answers import InputError

    mapped = {grade for _, grade in grade_map}
    if len(mapped) == 1:
        given = set(grades)
        reason = (f"every row is graded {given.pop():g}" if len(given) == 1 else
                  f"the grades of its {len(grades)} rows do not rise with genco's scores")
        raise InputError(f"{labeled}: {reason}, so every answer would score {mapped.pop():.1f} of {scale}; nothing "
                         "written: check that each grade belongs to its answer (--force writes it all the same)")


def _no_better_than_chance(report: dict[str, dict]) -> str | None:
    """What to tell the interviewer when the calibrated scores agree with the grades no better than chance
    out of fold (QWK at or under 0): grades shuffled against their answers fit a map all the same."""
    qwk = report["calibrated"]["qwk"]
    if qwk is None or qwk > 0:
        return None
    return (f"out of fold, the calibrated scores agree with these grades no better than chance (QWK {qwk:.2f}): "
            "check that each grade belongs to its answer before relying on this calibration")


def _refuse_another_rubrics_calibration(named: Path, rubric_id: str, remedy: str | None = None) -> None:
    """A rubric copied under a new id keeps its `calibration:` line: calibrating the copy would overwrite the
    original's fitted file, and the original would no longer load (so would --out naming it). A damaged or
    unreadable file is rewritten as before (that is what calibrate is for). `remedy` ends the error
    (default: how to calibrate the copy). Raises InputError."""
    import yaml

    from .answers import InputError, read_text
    from .datafile import SAFE_LOADER
    from .rubric.model import RUBRIC_LIMIT

    if not named.is_file():  # missing, or a pipe read_text would wait on
        return
    try:
        node = yaml.load(read_text(str(named), limit=RUBRIC_LIMIT), Loader=SAFE_LOADER)
    except (InputError, yaml.YAMLError):
        return
    owner = node.get("rubric") if isinstance(node, dict) else None
    if isinstance(owner, str) and owner != rubric_id:
        remedy = remedy or (f"a copied rubric keeps the original's calibration: line: delete that line from "
                            f"{rubric_id!r}'s file and calibrate again to write calibration/{rubric_id}.yaml, or give --out")
        raise InputError(f"{named}: holds the calibration of {owner!r}, not {rubric_id!r}; {remedy}")


def installed_package() -> Path:
    """The folder of the genco_interview package: an install (pip, --target, pipx) puts the shipped
    rubrics inside it; a source checkout keeps them beside it, in rubrics/."""
    return Path(__file__).resolve().parent


def _refuse_a_shipped_rubric(rubric: Rubric) -> None:
    """InputError when the rubric's default calibration file would land beside a shipped rubric: inside
    the installed package, or in a source checkout's rubrics/ (what the README's setup installs).

    A calibration written there silently changes that question's scores for everyone using the
    environment and is lost on the next upgrade (or shows as a change to the checkout); a copy on
    $GENCO_RUBRICS (with its calibration folder, which its `calibration:` line names) shadows the
    shipped rubric and is the user's own. A checkout's shipped calibration is rewritten only by
    naming it with --out."""
    from .answers import InputError
    from .rubric.bank import shipped_dirs

    where = Path(rubric.path).resolve()
    if any(where.is_relative_to(folder) for folder in [installed_package(), *(d.resolve() for d in shipped_dirs())]):
        copy = f"cp {where} DIR/"
        if rubric.calibration is not None:  # its `calibration:` line names the file: the copy needs it beside it
            copy = f"mkdir -p DIR/calibration && {copy} && cp {Path(rubric.calibration.path).resolve()} DIR/calibration/"
        raise InputError(f"{rubric.id} is a rubric shipped with genco ({where}); calibrating it there would "
                         f"change its scores for every user of this environment and be lost on the next upgrade. "
                         f"Copy it to a folder DIR on {RUBRICS_ENV} (`{copy}`) and calibrate that copy, or give --out FILE")


def _refuse_an_input_as_output(out: Path, inputs: dict[str, str | Path | None]) -> None:
    """InputError when `out` is one of the command's own inputs (named by what they are): writing it would destroy them."""
    import os

    from .answers import InputError

    for what, path in inputs.items():
        if path and path != "-" and Path(path).exists() and Path(out).exists() and os.path.samefile(out, path):
            raise InputError(f"{out}: is {what}; choose another output file")


def _refuse_unwritable(target: Path, rubric_file: Path | None) -> None:
    """InputError, before the fit, when the calibration file `target` (or the folder it goes in) or the rubric
    file it will be linked from cannot be written: found after a fit of a minute or more, the work was lost."""
    from .answers import InputError
    from .outfile import writable

    if not writable(target):
        raise InputError(f"{target}: cannot write the calibration there (not writable); give --out FILE "
                         "in a folder you can write to")
    if rubric_file is not None and not writable(rubric_file, in_place=True):
        raise InputError(f"{rubric_file}: cannot take the `calibration:` line that points the rubric at its "
                         f"calibration (not writable): make it writable, or give --out FILE and add the line by hand")


def _write_calibration(rubric: Rubric, target: Path, text: str, link: bool) -> str | None:
    """Write the calibration file, then (when `link`) point the rubric at it; the line added, or None.
    Raises InputError naming the file that cannot be written: the calibration, or the rubric once the
    calibration is written (which it says, with the line to add by hand)."""
    from .answers import InputError
    from .outfile import write_file
    from .progress.database import default_path

    try:
        write_file(target, [text], protected=[default_path()], private=False)
    except OSError as exc:
        raise InputError(f"{target}: cannot write the calibration ({exc.strerror or exc})") from None
    try:
        return link_calibration(rubric, target) if link else None
    except CannotLink as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{target} is written, but {rubric.path} cannot take the line pointing to it "
                         f"({exc.strerror or exc}): add `calibration: {_calibration_name(rubric, target)}` to it "
                         "by hand") from None


def link_calibration(rubric: Rubric, out: Path) -> str | None:
    """Point the rubric at its calibration file, appending one line, unless it already names one.

    Returns the line added, or None when the rubric already had a `calibration:` entry.
    Raises OSError when the rubric file cannot be read or written.
    """
    rubric_path = Path(rubric.path)
    with rubric_path.open(encoding="utf-8", newline="") as handle:  # line endings as they are: CRLF stays CRLF
        text = handle.read()
    if re.search(r"""^["']?calibration["']?[ \t]*:""", text, re.MULTILINE):  # quoted keys are YAML too
        return None
    named = _calibration_name(rubric, out)
    line = f"calibration: {named}"
    end = "\r\n" if "\r\n" in text else "\n"
    linked = text.rstrip("\r\n") + end * 2 + "# Fitted thresholds and grade map, written by `genco calibrate`." + end + line + end
    if not _names_calibration(linked, named):
        raise CannotLink(f"{out} is written, but {rubric_path} cannot take a line appended at its end (a flow "
                         f"mapping, or a document end marker): add `{line}` to it by hand")
    rubric_path.write_text(linked, encoding="utf-8", newline="")
    return line


def _calibration_name(rubric: Rubric, out: Path) -> str:
    """How the rubric's `calibration:` line names its calibration file `out`: relative to the rubric's real
    folder (the loader reads it beside the file a symlink leads to)."""
    from os.path import relpath

    return relpath(out, Path(rubric.path).resolve().parent)


class CannotLink(OSError):
    """A rubric file whose YAML would break with a line appended (JSON style, `...` at its end)."""


def _names_calibration(text: str, target: str) -> bool:
    """Whether a rubric's text still reads as one mapping whose `calibration` is `target`."""
    import yaml

    from .datafile import SAFE_LOADER

    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and data.get("calibration") == target


def read_rubric_files(paths: Sequence[str]) -> list[RubricCheck]:
    """The schema pass of `rubric validate`: each file read and checked, its problems (file:line:
    field: problem, all of them, in line order) kept rather than raised, so one bad file does not
    hide the others."""
    from .evaluation.lint import RubricCheck

    checks = []
    for path, in_folder in _rubric_paths(paths):
        try:
            if in_folder and not Path(path).is_file():  # a FIFO among a folder's files: said at once, as the search path says it
                raise RubricError(f"{path}: not a regular file")
            rubric = _rubric_to_check(path)
            checks.append(RubricCheck(path, rubric=rubric, replaces_shipped=_replaces_a_shipped_question(rubric)))
        except RubricError as exc:
            checks.append(RubricCheck(path, problems=exc.problems, unreadable=isinstance(exc, UnreadableRubric)))
    _find_same_ids(checks)
    return checks


def _replaces_a_shipped_question(rubric: Rubric) -> bool:
    """Whether `rubric`, a file outside the shipped folder, has the id of a shipped question."""
    from .rubric.bank import is_shipped, shipped_dirs

    where = Path(rubric.path).resolve().parent
    return is_shipped(rubric.id) and all(where != folder.resolve() for folder in shipped_dirs())


def _rubric_paths(paths: Sequence[str]) -> list[tuple[str, bool]]:
    """The files `rubric validate` reads for its PATHs, each with whether a folder listed it: a folder
    stands for its rubric files (`*.yaml`, as the rubric search path reads a folder), in name order.
    Raises InputError for a folder with none."""
    from .answers import InputError

    files = []
    for path in paths:
        if not path:  # Path("") is the current folder
            raise InputError("a file name is empty: give a rubric file, a folder of them or a question id")
        if not Path(path).is_dir():
            files.append((path, False))  # named on its own, a pipe is read (`<(genco rubric new ...)`)
            continue
        found = [(str(file), True) for file in rubric_files(Path(path))]
        if not found:
            names = [file.name for file in misnamed_rubric_files(Path(path))]
            misnamed = " and ".join(names[:3]) + (f" (and {len(names) - 3} more)" if len(names) > 3 else "")
            raise InputError(f"{path}: a folder with no rubric files (*.yaml) in it"
                             + (f"; rename {misnamed} to end in .yaml to read them" if misnamed else ""))
        files.extend(found)
    return files


def _find_same_ids(checks: Sequence[RubricCheck]) -> None:
    """A finding on each file whose rubric id an earlier file of `checks` has too (the same file given
    twice aside): on the search path only one of them would be used, the other silently shadowed."""
    from .evaluation.lint import SAME_ID, Finding
    from .outfile import same_file

    first: dict[str, RubricCheck] = {}
    for check in checks:
        if check.rubric is None:
            continue
        earlier = first.setdefault(check.rubric.id, check)
        if earlier is not check and not same_file(Path(earlier.rubric.path), Path(check.rubric.path)):
            check.findings.append(Finding(
                check=SAME_ID, path=check.rubric.path, entries=(earlier.rubric.path, check.rubric.path), similarity=1.0,
                message=f"rubric id {check.rubric.id!r} is also the id of {earlier.rubric.path}; on the rubric "
                        "search path only one of them is used",
                suggestion="give one of them another id (and name its file after it), or remove the copy"))


def _rubric_to_check(path: str) -> Rubric:
    """The rubric file at `path`; a name that is no file is read as `rubric_named` reads it, so a
    question id on the search path (a shipped rubric, which a pip install leaves no path to) is
    that question's file. Raises RubricError ("no such file" for a name that is neither)."""
    if Path(path).exists():
        return load_rubric(path)
    try:
        return rubric_named(path)
    except UnknownName:
        return load_rubric(path)


def check_meaning(bench: Workbench, checks: Sequence[RubricCheck]) -> None:
    """The meaning checks (they need the model) on every file the schema pass accepted, kept in
    each check's `findings`. Raises ModelError when the model cannot load."""
    from .evaluation.lint import lint

    for check in checks:
        if check.rubric is not None:
            check.findings += lint(check.rubric, bench.scorer(check.rubric))


def validation_exit(checks: Sequence[RubricCheck], strict: bool) -> int:
    """0 when every file is valid, 1 when one is not, 3 when `strict` and a meaning check warned."""
    if any(check.rubric is None for check in checks):
        return 1
    return 3 if strict and any(check.findings for check in checks) else 0


def interviewer_marks(rubric: Rubric, depth: str, overrides: Sequence[str]) -> dict[str, str]:
    """The interviewer's overrides ("concept=status", the concept by id or name) by concept id, checked
    against `depth`'s concepts. A front end checks them before it reads a transcript, so a mistyped
    override is a usage error before anything is pasted, not after. Raises OverrideError (a usage error)."""
    from .interview.grading import parse_overrides

    return parse_overrides(overrides, {cid: rubric.concept(cid).name for cid, _ in rubric.depth(depth).concepts})


INTERVIEWER_ONLY_NOTE = ("Only the interviewer's lines (under a label such as Interviewer:, Q:, Me: or Verdict:) hold words: "
                         "nothing of the candidate's to score. The candidate's lines go under Candidate:, A: or the "
                         "name given with --candidate.")
"""A grade's note, in place of "the answer has no words", for a transcript with words none of which are the candidate's."""


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
            from .embedding import load_embedder

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

            from .embedding import stored_encode
            from .paths import cache_dir
            from .scoring import Scorer

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
        from .progress.attempt import attempt_from_card
        from .progress.store import store

        attempts = [attempt_from_card(card, answer, source=source, seconds=seconds)
                    for card, answer in zip(cards, answers)]
        return Saved(store(self.db, attempts))

    def grade(self, rubric: Rubric, depth: str, transcript: str, overrides: Sequence[str] = (),
              candidate: str | None = None, note: str | None = None, dismiss_red_flags: bool = False) -> Grade:
        """The interviewer's scorecard of a candidate's answer: the machine's marks, the
        interviewer's `overrides` ("concept=status", the concept by id or name) beside them, and the recomputed score
        (without what the red flags took when the interviewer dismisses them).
        Raises OverrideError (a usage error) for an override that names no concept or status,
        before the model loads."""
        from .answers import nothing_to_score
        from .interview.grading import grade
        from .scoring.rules import NO_WORDS_NOTE
        from .text.reading import (
            graders_notes,
            headings_after_the_last_turn,
            implied_candidate,
            interviewer_questions,
            normalise_answer,
            speakers_set_apart,
            unlabelled_candidate,
            unnamed_speakers,
            words_beside_labels,
        )

        marks = interviewer_marks(rubric, depth, overrides)
        unnamed = unlabelled_candidate(transcript, candidate) if candidate else None  # a name no label gives
        implied = implied_candidate(transcript) if not candidate or unnamed else None  # then who answers the questions
        speaker = implied[0] if implied else candidate  # whose lines are read as the candidate's
        said = normalise_answer(transcript, speaker, transcript=True)  # the interviewer's own lines earn nothing
        card = self.score(rubric, depth, said)
        earlier = self.graded_before(card, transcript, candidate or speaker)
        whose = candidate or (earlier.candidate if earlier is not None else None)  # the name you gave it before
        before = None if earlier is None or marks or note is not None or dismiss_red_flags else Judgement.of(earlier)
        if before is not None:  # graded again with nothing of the interviewer's (to print it as Markdown, say)
            graded = {c.id for c in card.concepts}  # an edited rubric may have dropped or renamed a concept marked
            marks = {cid: status for cid, status in before.marks.items() if cid in graded}
            note, dismiss_red_flags = before.note, before.dismissed
            gone = sorted(set(before.marks) - graded)
            card = replace(card, notes=[*card.notes, f"your note and marks of attempt {before.attempt}, this transcript's "
                                        "earlier grade, stand; a note, a mark or a dismissal of red flags of your own "
                                        "revises them" + (f" (your mark of {', '.join(gone)}, no longer a concept of this "
                                                          "depth, is dropped)" if gone else "")])
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
        card = replace(card, notes=[*card.notes, *read]) if read else card
        return replace(grade(rubric, card, transcript, marks, whose, note, dismiss_red_flags,
                             interviewer_questions(transcript, speaker)), carried_over=before is not None)

    def graded_before(self, card: ScoreCard, transcript: str, candidate: str | None) -> Attempt | None:
        """The kept grade of this transcript of this candidate (history.earlier_grade), with its concept rows;
        None as well when the history cannot be read (keep_grade says why, if the grade is kept)."""
        from .progress.attempt import attempt_from_card
        from .progress.store import open_history

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
        same transcript and candidate graded otherwise (another override) is replaced, once the new one is
        kept: a regrade is the interviewer's revised judgement, and two would read as the candidate's
        progress. Raises HistoryError after writing it to the recovery file when the history is unusable."""
        from .progress.attempt import attempt_from_card
        from .progress.store import open_history, store

        kept = attempt_from_card(scorecard.final_card, transcript, source="interviewer", grade=scorecard.kept())
        try:  # the same transcript graded again the same way (as JSON after as text): one attempt, not two
            with open_history(self.db, create=False) as history:
                number, earlier = history.same_grade_kept(kept), history.earlier_grade(kept)
        except HistoryError:
            number = earlier = None  # store() says what is wrong with the history, and keeps the grade in the recovery file
        if number is not None:
            return Saved([number], already=True)
        if earlier is not None:  # the interview happened when it happened: a regrade keeps its place in time,
            lineage = [*(earlier.grade or {}).get("replaces", []), earlier.id]  # and says which grades it replaced
            kept = replace(kept, created_at=earlier.created_at,
                           grade={**(kept.grade or {}), "candidate": earlier.candidate, "replaces": lineage})
        saved = Saved(store(self.db, [kept]))
        if earlier is not None:
            try:
                with open_history(self.db) as history:
                    history.delete(str(earlier.id), earlier.uid)
                saved.replaced = earlier.id
            except GencoError:  # changed by another genco meanwhile, or unwritable now: both grades stay, none lost
                pass
        return saved


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
        from .interview.mock import ANSWER, Turn, choose_probe, marks

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
        good answer one more exemplar of those concepts (`probe_rubric`), and its score counts only the
        probe's concepts: their weighted credit, 0-100 (`probe_score`). The reply is not kept as an attempt of
        its own (it answers one concept, so its card would read as a poor answer to the whole question);
        it is kept in the interview report. Raises InterviewStepError when that question has no
        answer yet, no probe, or its follow-up was answered already."""
        from .interview.mock import FOLLOW_UP, Turn, marks, probe_rubric, probe_score

        record = session.expect(index, FOLLOW_UP)
        probe = record.answer.probe
        rubric, depth = interview_rubric(record.planned), probe.depth
        card = self.scorer(probe_rubric(rubric, probe), variant=f"{probe.ask}\0{probe.good_answer}").score(answer, depth)
        record.follow_up = Turn(index, FOLLOW_UP, rubric.id, depth, answer, seconds, record.planned.budget_seconds,
                                probe_score(card, probe), marks(card, probe.concepts), card.to_dict())
        return record.follow_up


# --- mock interviews ------------------------------------------------------------------------------
# A front end runs one in steps: plan_interview, start_interview, then for each question
# Workbench.answer_turn and (when it chose a probe) Workbench.answer_follow_up, in the order
# InterviewSession.next_step gives, then finish_interview. The session's to_dict/from_dict keeps
# it between requests. interview_reports and interview_report read kept reports back.

if TYPE_CHECKING:
    from .interview.mock import InterviewPlan, InterviewReport, InterviewSession, PlannedQuestion, Turn
    from .progress.rows import StoredInterview

INTERVIEW_QUESTIONS = 3


def plan_interview(db: str | None, count: int = INTERVIEW_QUESTIONS, tag: str | None = None,
                   depth: str | None = None, seed: int | None = None) -> InterviewPlan:
    """`count` different questions, each holding its rubric as loaded now (`interview_rubric`). With no
    `tag` and no `seed`: the scheduler's picks from the learner's history at `db` (what `genco next`
    would suggest, most due first, each at its suggested depth unless `depth` is given). With a `tag`
    or a `seed`: drawn at random from the bank (only `tag`'s questions), at `depth` or a random one,
    the same for the same seed. Fewer than `count` when the bank has fewer. Raises UnknownName for a
    tag or depth no question has, InputError for count < 1."""
    from .answers import InputError
    from .interview.mock import InterviewPlan, planned

    if count < 1:
        raise InputError(f"an interview needs at least one question, not {count}")
    pool = askable()
    if tag is None and seed is None:
        from .progress.schedule import REPLAY, suggest_many
        from .progress.store import open_history

        having = [r for r in practice_order(pool) if depth is None or depth in r.depth_names]  # as `next` plans
        if not having:
            depths = dict.fromkeys(d for r in pool for d in r.depth_names)
            raise UnknownName(f"no question has depth {depth!r}; depths: {', '.join(depths)}")
        with open_history(db, create=False) as store:
            attempts = store.attempts(evidence=False, concepts_of_latest=REPLAY, source="learner")
        by_id = {r.id: r for r in having}
        return InterviewPlan(tuple(planned(by_id[s.question], depth or s.depth, "due")
                                   for s in suggest_many(attempts, having, count)))
    rng = random.Random(seed)
    questions = []
    while len(questions) < count:
        try:
            rubric, depth_name = pick_random(pool, tag, depth, rng)
        except UnknownName:
            if questions:  # the bank ran out of matching questions
                break
            raise
        questions.append(planned(rubric, depth_name, "tag" if tag else "random"))
        pool = [r for r in pool if r is not rubric]
    return InterviewPlan(tuple(questions))


def interview_rubric(question: PlannedQuestion) -> Rubric:
    """The rubric a planned question is asked and scored with: the one loaded when the interview was
    planned, so a rubric of the user's edited, broken or removed while the interview runs cannot
    make an answer already typed unscorable. A question read back from JSON holds none; its rubric
    is found on the search path again (raises UnknownName when it is gone)."""
    if question.rubric is not None:
        return question.rubric
    return resolve(question.question, question.depth)[0]


def start_interview(plan: InterviewPlan, save: bool = True) -> InterviewSession:
    """A session ready for its first answer; `save` False keeps nothing in the history (--no-save)."""
    from .interview.mock import InterviewSession

    return InterviewSession.start(plan, save)


class InterviewNotKept(HistoryError):
    """The history could not take an interview's report: the report went to the recovery file (the
    message says where) and is still at hand as `report` (not numbered), for the front end to show."""

    def __init__(self, message: str, report: InterviewReport) -> None:
        super().__init__(message)
        self.report = report


def finish_interview(db: str | None, session: InterviewSession) -> InterviewReport:
    """The session report (per question and overall, what to practise next), kept in the history at `db`
    unless the session does not save or nothing was answered; then `number` is what
    `interview_report` takes and `created_at` is now. A session cut short is reported as far as it
    went. Raises InterviewNotKept (a HistoryError) when the history cannot be written: the report is
    in the recovery file then, and the answers were kept as they were scored."""
    from .interview.mock import build_report
    from .progress.store import keep_interview

    report = build_report(session)
    if not session.save or not report.answered:
        return report
    try:
        kept = keep_interview(db, report.to_dict(), report.answered, report.score or 0.0)
    except HistoryError as exc:
        raise InterviewNotKept(str(exc), report) from None
    return replace(report, number=kept.id, created_at=kept.created_at)


def interview_reports(db: str | None) -> list[StoredInterview]:
    """Every kept interview, newest first: number, time, how many questions were answered, and score
    (`interview_report` reads one whole). A missing history is an empty list."""
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        return store.interviews()


def interview_report(db: str | None, number: str) -> InterviewReport:
    """One kept interview report by its number (or "last"). Raises InputError when there is none,
    HistoryError when its report is damaged."""
    from .interview.mock import InterviewReport
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        kept = store.interview(number)
    try:
        report = InterviewReport.from_dict(kept.report)
    except (KeyError, TypeError, ValueError, AttributeError):  # a report edited by hand
        raise HistoryError(f"interview {kept.id}'s kept report is damaged (not the JSON genco wrote); "
                           "its answers are intact: see `genco history`") from None
    return replace(report, number=kept.id, created_at=kept.created_at)


def check_history(db: str | None) -> None:
    """Open the history at `db` for writing (creating it when missing), so a front end can refuse work
    it could not keep before the person does it. Raises HistoryError saying what is wrong."""
    from .progress.store import open_history

    with open_history(db):
        pass


def recent_attempts(db: str | None, limit: int = 50) -> tuple[list[Attempt], int]:
    """The newest `limit` attempts (without their concept rows) and how many the history holds,
    for a front end's history list. A missing history is empty; raises HistoryError when unusable."""
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        return store.attempts(limit=limit, newest_first=True, results=False), store.count()


def find_attempt(db: str | None, ref: str) -> tuple[Attempt, ScoreCard, Rubric | None]:
    """One stored attempt (a number, `last` or a uid prefix), its score card rebuilt, as `genco show`
    shows it, and its rubric, or None once the question left the bank (a user rubric no longer on
    GENCO_RUBRICS) or its rubric no longer loads (one warning line says why): the kept card stands on
    its own. Raises InputError when there is no such attempt."""
    from .progress.attempt import card_from_attempt
    from .progress.store import open_history

    with open_history(db, create=False) as store:
        found = store.find(ref, digits_as_uid=True)  # reading only: digits may be a uid's first characters
    return found, card_from_attempt(found), find_kept(found.question)
