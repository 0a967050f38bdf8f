"""`genco rubric new`: a commented rubric skeleton that teaches the format as it is filled in.

Every value to write starts with TODO:, which the validator rejects with file:line: field, so a
half-filled skeleton can never be mistaken for a finished rubric.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ..datafile import SAFE_LOADER
from ..errors import UsageProblem
from ..paths import (
    companion_folder_problem,
    kept_folder_problem,
    missing_above_problem,
    missing_folders,
    remove_made_folders,
)
from .model import RubricError, id_problem

SKELETON = """\
# Rubric skeleton written by `genco rubric new`. Replace every TODO, then run
#   genco rubric validate {path}
# The guide: genco rubric guide (how to write concepts, exemplars and misconceptions that score well);
# the field reference: genco rubric guide --fields.
schema_version: 1
id: {id_value}                          # what people type: genco practice {rubric_id}
title: "TODO: the question in a few words"
tags: [python]                           # used by `genco rubric list --tag`

depths:                                  # one or more; the first is the default
  quick:
    question: "TODO: the question as you would ask it"
    time_budget_minutes: 2
    concepts:                            # concept id -> weight; what this depth expects
      first_concept: 1
      second_concept: 1
    model_answer: |
      TODO: an answer that earns full marks: every concept above, stated plainly.
      It is scored against too: an answer's score rises with how much of it the answer says.
    follow_ups:                          # optional probes for the interviewer
      - ask: "TODO: a probe question"
        good_answer: "TODO: what a good reply contains"
        concepts: [second_concept]       # grade suggests this probe when these were missed

concepts:
  - id: first_concept                    # snake_case, referenced by depths
    name: "TODO: short name"
    description: "TODO: one full sentence: the claim a strong answer makes, in plain words"  # scored against
    exemplars:                           # 8-16 (validate warns under 6): one claim each, varied wording, name the subject
      - "TODO: the claim in textbook words"
      - "TODO: the claim as a candidate would say it"
      - "TODO: the claim from another angle"
    contradictions:                      # optional: the claim negated (swapped roles: scoring.role_swaps)
      - "TODO: the opposite claim"
  - id: second_concept
    name: "TODO: short name"
    description: "TODO: one full sentence: the claim a strong answer makes, in plain words"
    exemplars:
      - "TODO: the claim in textbook words"
      - "TODO: the claim as a candidate would say it"
      - "TODO: the claim from another angle"

misconceptions:                          # optional: wrong claims worth a penalty
  - id: first_misconception
    description: "TODO: what the candidate wrongly believes"
    correction: "TODO: what is true instead"
    penalty: 10                          # how serious (0-100), for the interviewer; the score's cost is fitted
    exemplars:                           # 4 or more: a red flag is raised only near their wording
      - "TODO: the wrong claim as a candidate would say it"
      - "TODO: the wrong claim in other words"
      - "TODO: the wrong claim from another angle"
      - "TODO: the wrong claim as it slips out mid-answer"

# Optional, with defaults: what scores mean (shown on the interviewer sheet) and thresholds.
# score_bands:
#   - {{from: 0, label: weak, meaning: "..."}}
#   - {{from: 40, label: partial, meaning: "..."}}
#   - {{from: 70, label: strong, meaning: "..."}}
# scoring:
#   role_swaps: [[generator, coroutine]]   # term pairs whose exchange reverses a claim (none unless named)
"""


def skeleton(rubric_id: str, path: str) -> str:
    return SKELETON.format(rubric_id=rubric_id, id_value=_as_text(rubric_id), path=path)


def _as_text(rubric_id: str) -> str:
    """The id as a YAML text: in quotes when YAML would read it as something else ("1", "yes", "null",
    "2026-01-01", "0x1f"), which the loader refuses, so the file could never validate."""
    return rubric_id if yaml.load(rubric_id, Loader=SAFE_LOADER) == rubric_id else f"'{rubric_id}'"


def write_skeleton(rubric_id: str, out_dir: str | Path) -> Path:
    """Write OUT_DIR/ID.yaml; never overwrite a file (it may be someone's finished rubric). Raises
    UsageProblem (exit 2) for an id that breaks RUBRIC_ID (said in words, ID_RULES) or an empty folder name,
    RubricError for a file that exists or cannot be written."""
    problem = id_problem(rubric_id)
    if problem is not None:
        raise UsageProblem(problem)
    if not str(out_dir).strip():  # Path('') is the current folder: an empty --out is a slip, not a choice
        raise UsageProblem(f"the folder name {str(out_dir)!r} is empty; give a folder (. for this one)")
    path = Path(out_dir) / f"{rubric_id}.yaml"
    if not Path(out_dir).is_dir() and (Path(out_dir).exists() or str(out_dir).endswith((".yaml", ".yml"))):
        raise RubricError(f"{out_dir}: --out takes the folder to write {rubric_id}.yaml into, not a file")
    if Path(out_dir).is_symlink() and not Path(out_dir).is_dir():  # its mkdir said the rubric "already exists"
        raise RubricError(f"{out_dir}: is a link to {os.readlink(out_dir)}, which does not exist; give the folder's "
                          "own path, or remove the link (genco does not create folders a link points into)")
    problem = kept_folder_problem(path)
    if problem is not None:
        raise RubricError(f"{path}: {problem}; choose another --out")
    problem = companion_folder_problem(path.parent)
    if problem is not None:
        raise RubricError(f"{out_dir}: {problem}")
    made = missing_folders(path.parent)
    problem = missing_above_problem(made, "the file's own folder")
    if problem is not None:  # a mistyped path ("/nonexistent/a/b") made every folder on the way
        raise RubricError(f"{out_dir}: {problem}")
    begun = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            begun = True
            handle.write(skeleton(rubric_id, str(path)))
    except FileExistsError:
        raise RubricError(f"{path}: already exists; not overwriting it (choose another --out or id)") from None
    except OSError as exc:  # a full disk: an empty file left behind was "already exists" to the next try
        if begun:
            path.unlink(missing_ok=True)
        remove_made_folders(made)
        raise RubricError(f"{path}: cannot write ({exc.strerror})") from None
    return path
