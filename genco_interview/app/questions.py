"""Which question and depth a command means: a rubric by id or by file, a depth by name (or the
rubric's first), a question picked by tag or in practice order."""

from __future__ import annotations

import os
import random
from pathlib import Path

from ..errors import quoted
from ..output import shell_join
from ..rubric import (
    RUBRICS_ENV,
    Rubric,
    RubricError,
    UnknownName,
    askable,
    broken_file,
    discover,
    find,
    load_rubric,
    names_a_file,
    names_a_rubric_file,
    pick_random,
    rubric_dirs,
    unknown_question,
)


def resolve(question: str | None, depth: str | None, files: bool = False) -> tuple[Rubric, str]:
    """The named question (the bank's first when None; with `files`, a rubric file's path too: rubric_file)
    and the named depth, checked (the rubric's first when None). Raises UnknownName (a usage error) naming
    the valid ones, RubricError for a file that does not load."""
    path = rubric_path(question) if files and question is not None else None
    if path is not None and not names_a_rubric_file(path):
        raise unknown_question(path, [])  # "/etc/shadow" is no rubric: it was read as one, its lines quoted
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
    from ..outfile import same_file

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
                          f"{shell_join(['genco', 'score', named, '--input', path])}")
    return rubric, depth_name



def depth_of(rubric: Rubric, depth: str | None) -> str:
    """The named depth in any capitals (depth names are lower case, rubric.DEPTH_NAME: the web API took
    "QUICK" for no depth where `-d QUICK` is the quick one), checked, or the rubric's first when None
    (raises UnknownName)."""
    if depth is None:
        return rubric.depth_names[0]
    depth = depth.lower() if depth.lower() in rubric.depth_names else depth
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



def rubric_named(value: str, calibrated: bool = True) -> Rubric:
    """A rubric given as an id on the search path or as a path to its file (a name ending in
    .yaml/.yml or holding a slash). With `calibrated` False, its calibration file is not read (what
    `genco calibrate` rewrites may be missing or damaged). Raises UnknownName or RubricError."""
    if names_a_file(value):
        return load_rubric(value, calibrated)
    broken = None if calibrated else broken_file(value)
    return load_rubric(broken, calibrated=False) if broken is not None else find(value)

