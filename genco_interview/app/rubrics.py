"""Writing and checking rubrics: one drafted from a model answer, a new rubric file written without
overwriting another, rubric files read and validated (schema, then meaning)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..rubric import (
    Rubric,
    RubricError,
    UnknownName,
    UnreadableRubric,
    load_rubric,
    misnamed_rubric_files,
    rubric_files,
)
from ..rubric.bank import names_a_file
from .questions import rubric_named
from .workbench import Workbench

if TYPE_CHECKING:
    from ..evaluation.findings import RubricCheck
if TYPE_CHECKING:
    pass



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
    defaults to a slug of the question. Raises InputError for an over-long question or answer, an empty
    answer, a question or title without a word, an answer without a word to make a key point of, or one
    holding a control character (line breaks of any system are read as line breaks), UsageProblem (exit 2)
    for an empty question (a value --question does not take) or an id that is not lowercase letters and
    digits joined by dashes."""
    from ..answers import InputError
    from ..errors import UsageProblem
    from ..evaluation.lint import stated_only_negated
    from ..rubric import NO_KEY_POINT, derive_concepts, has_key_point, parse_rubric, reference_rubric_yaml, slug
    from ..rubric.model import MAX_ENTRIES, MAX_TEXT_CHARS, PLACEHOLDER, id_problem
    from ..text.escapes import CONTROL_CHARACTER, control_character_problem, unix_line_breaks
    from ..text.reading import is_blank

    if is_blank(question):
        raise UsageProblem("--question is empty")
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
        if name != "the model answer" and not is_blank(text) and not any(ch.isalnum() for ch in text):  # said of
            raise InputError(f"{name} has no words: write it in words, not {text.strip()[:40]!r}")  # what was typed
    if not has_key_point(answer):
        raise InputError(f"the model answer {NO_KEY_POINT}")
    points = len(derive_concepts(answer))
    if points > MAX_ENTRIES:  # said of the answer typed, not of a line of the YAML it would become
        raise InputError(f"the model answer makes {points} key points; a rubric holds at most {MAX_ENTRIES} concepts: "
                         "keep the points an interviewer would ask for")
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
    from ..outfile import write_file
    from ..progress.database import default_path

    write_file(path, [text], protected=[default_path()], private=False, replace=force)



def read_rubric_files(paths: Sequence[str]) -> list[RubricCheck]:
    """The schema pass of `rubric validate`: each file read and checked, its problems (file:line:
    field: problem, all of them, in line order) kept rather than raised, so one bad file does not
    hide the others."""
    from ..evaluation.findings import RubricCheck

    checks = []
    for path, in_folder, unreadable in _rubric_paths(paths):
        try:
            if unreadable is not None:  # a folder with no rubric file: its own entry, so --json still lists the others
                raise UnreadableRubric(unreadable)
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
    from ..rubric.bank import is_shipped, shipped_dirs

    where = Path(rubric.path).resolve().parent
    return is_shipped(rubric.id) and all(where != folder.resolve() for folder in shipped_dirs())



def _rubric_paths(paths: Sequence[str]) -> list[tuple[str, bool, str | None]]:
    """The files `rubric validate` reads for its PATHs, each with whether a folder listed it and why it
    cannot be read at all (None when it may be): a folder stands for its rubric files (`*.yaml`, as the
    rubric search path reads a folder), in name order; a folder with none is itself an entry that cannot
    be read. Raises UsageProblem (exit 2) for an empty name."""
    from ..errors import UsageProblem
    from ..paths import is_unnamed

    files: list[tuple[str, bool, str | None]] = []
    for path in paths:
        if is_unnamed(path):
            raise UsageProblem("a file name is empty: give a rubric file, a folder of them or a question id")
        if not Path(path).is_dir():
            files.append((path, False, None))  # named on its own, a pipe is read (`<(genco rubric new ...)`)
            continue
        found = [(str(file), True, None) for file in rubric_files(Path(path))]
        files.extend(found or [(path, False, _no_rubric_files(Path(path)))])
    return files


def _no_rubric_files(folder: Path) -> str:
    """Why a folder given to `rubric validate` holds nothing to read, and the files it would read renamed."""
    names = [file.name for file in misnamed_rubric_files(folder)]
    misnamed = " and ".join(names[:3]) + (f" (and {len(names) - 3} more)" if len(names) > 3 else "")
    return (f"{folder}: a folder with no rubric files (*.yaml) in it"
            + (f"; rename {misnamed} to end in .yaml to read them" if misnamed else ""))



def _find_same_ids(checks: Sequence[RubricCheck]) -> None:
    """A finding on each file whose rubric id an earlier file of `checks` has too (the same file given
    twice aside): on the search path only one of them would be used, the other silently shadowed."""
    from ..evaluation.findings import SAME_ID, Finding
    from ..outfile import same_file

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
    except UnknownName as unknown:
        if names_a_file(path):
            return load_rubric(path)
        raise UnreadableRubric(f"{path}: no such file, and {unknown}") from None  # an id mistyped: which it may be



def check_meaning(bench: Workbench, checks: Sequence[RubricCheck]) -> None:
    """The meaning checks (they need the model) on every file the schema pass accepted, kept in
    each check's `findings`. Raises ModelError when the model cannot load."""
    from ..evaluation.lint import lint

    for check in checks:
        if check.rubric is not None:
            check.findings += lint(check.rubric, bench.scorer(check.rubric))



def validation_exit(checks: Sequence[RubricCheck], strict: bool) -> int:
    """0 when every file is valid, 1 when one is not, 3 when `strict` and a meaning check warned."""
    if any(check.rubric is None for check in checks):
        return 1
    return 3 if strict and any(check.findings for check in checks) else 0

