"""`genco calibrate`: a rubric's thresholds fitted on labeled answers and written beside it, never
into a shipped rubric, an input or another rubric's calibration."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..rubric import (
    RUBRICS_ENV,
    Rubric,
    UnknownName,
)
from .questions import depth_of, named_after_another_question
from .workbench import Workbench

if TYPE_CHECKING:
    pass
if TYPE_CHECKING:
    pass



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
    from ..answers import InputError, input_name, read_jsonl_text
    from ..evaluation.calibration import (
        CALIBRATION_START,
        calibration_yaml,
        cross_validate,
        fit,
        graded_items,
        thresholds_win,
        written_thresholds,
    )
    from ..evaluation.metrics import check_labels, parse_labeled, same_answer
    from ..evaluation.quality import (
        LabeledSet,
        blank_answers_warning,
        repeated_answers_warning,
        row_depth,
        row_rubric,
        scale_warning,
    )
    from ..outfile import check_output_path, refuse_a_foreign_file
    from ..progress.database import default_path
    from ..rubric import uncalibrated
    from ..views.markup import counted

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
    blank = blank_answers_warning([LabeledSet(written, rows, depths)])
    if blank and warn:
        warn(blank)
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
    in_use = link or (named is not None and named.resolve() == target.resolve())
    readable = None if in_use else _readable_place(written, target)  # where the rubric's line may name it
    moved = readable if readable not in (None, target) else None
    return Calibrated(written, {
        "rubric": written.id, "written": str(target), "linked": linked, "answers": len(rows),
        "in_use": in_use, "rubric_reads": None if named is None else str(named),
        "to_use_it": None if readable is None else f"calibration: {_calibration_name(written, readable)}",
        "move_into": None if moved is None else str(moved), "move_into_taken": moved is not None and moved.exists(),
        "written_thresholds": written_thresholds(written), "thresholds": fitted.thresholds,
        "grade_map": fitted.grade_map, "cross_validation": report})



def _refuse_a_flat_grade_map(grade_map: Sequence[tuple[float, float]], labeled: str, grades: Sequence[float],
                             scale: int) -> None:
    """Raise InputError when the fitted grade map gives every score one grade: the graders' grades do not
    rise with genco's scores (all alike, grades of other answers, or answers all alike), and the rubric so
    calibrated would score every answer the same."""
    from ..answers import InputError

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

    from ..answers import InputError, read_text
    from ..datafile import SAFE_LOADER
    from ..rubric.model import RUBRIC_LIMIT

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
    from ..answers import InputError
    from ..rubric.bank import shipped_dirs

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

    from ..answers import InputError

    for what, path in inputs.items():
        if path and path != "-" and Path(path).exists() and Path(out).exists() and os.path.samefile(out, path):
            raise InputError(f"{out}: is {what}; choose another output file")



def _refuse_unwritable(target: Path, rubric_file: Path | None) -> None:
    """InputError, before the fit, when the calibration file `target` (or the folder it goes in) or the rubric
    file it will be linked from cannot be written: found after a fit of a minute or more, the work was lost."""
    from ..answers import InputError
    from ..outfile import writable

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
    from ..answers import InputError
    from ..outfile import write_file
    from ..progress.database import default_path

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


def _readable_place(rubric: Rubric, out: Path) -> Path:
    """Where the calibration written to `out` can be read from: `out` itself in the rubric's real folder or below
    it, the only place its `calibration:` line may name (the loader refuses a path outside it: `calibration:
    ../x/cal.yaml`, as suggested, broke the rubric); else the folder's `calibration/`, where `calibrate` writes
    one by default, to move it to. Beside the rubric, the search path read it as a rubric that does not load,
    and one named as the rubric is would have replaced it."""
    folder = Path(rubric.path).resolve().parent
    return out if out.resolve().is_relative_to(folder) else folder / "calibration" / out.name



class CannotLink(OSError):
    """A rubric file whose YAML would break with a line appended (JSON style, `...` at its end)."""



def _names_calibration(text: str, target: str) -> bool:
    """Whether a rubric's text still reads as one mapping whose `calibration` is `target`."""
    import yaml

    from ..datafile import SAFE_LOADER

    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and data.get("calibration") == target

