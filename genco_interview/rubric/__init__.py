"""Rubrics: the YAML files interviewers read, print, write and validate.

model.py      the rubric as data (questions at depths, concepts, misconceptions, bands, scoring)
loader.py     reading and validating its YAML: every error names the file, the line and the field
bank.py       the question bank: rubrics found on the search path, kept until a file changes
reference.py  concepts derived from one model answer (`genco rubric from-answer`)
skeleton.py   the commented skeleton `genco rubric new` writes

The meaning checks of `genco rubric validate` need the scorer, which reads rubrics, so they live
above it, in evaluation/lint.py. The names below are what the rest of genco imports.
"""

from .bank import (
    askable,
    broken_file,
    discover,
    find,
    find_kept,
    forget_notices,
    is_shipped,
    misnamed_rubric_files,
    names_a_file,
    names_a_rubric_file,
    pick_random,
    practice_order,
    rubric_dirs,
    rubric_files,
    shipped_dirs,
    tagged,
    unknown_question,
    with_tag,
)
from .loader import load_rubric, parse_rubric, reference_rubric_yaml
from .model import (
    MAX_WEIGHT,
    REFERENCE_SCORING,
    RUBRIC_ID,
    RUBRICS_ENV,
    SCHEMA_VERSION,
    Calibration,
    Concept,
    Depth,
    FollowUp,
    Misconception,
    Rubric,
    RubricError,
    ScoreBand,
    ScoringConfig,
    UnknownName,
    UnreadableRubric,
    calibrated,
    piecewise_linear,
    uncalibrated,
)
from .reference import NO_KEY_POINT, derive_concepts, has_key_point, key_points, slug

__all__ = [
    "MAX_WEIGHT", "NO_KEY_POINT", "REFERENCE_SCORING", "RUBRICS_ENV", "RUBRIC_ID", "SCHEMA_VERSION", "Calibration", "Concept",
    "Depth", "FollowUp", "Misconception", "Rubric", "RubricError", "ScoreBand", "ScoringConfig", "UnknownName",
    "UnreadableRubric", "askable", "broken_file", "calibrated", "derive_concepts", "discover", "find", "find_kept", "forget_notices", "has_key_point",
    "is_shipped", "key_points", "load_rubric", "misnamed_rubric_files", "names_a_file", "names_a_rubric_file",
    "parse_rubric", "pick_random", "piecewise_linear", "practice_order", "reference_rubric_yaml", "rubric_dirs", "rubric_files", "shipped_dirs",
    "slug", "tagged", "uncalibrated", "unknown_question", "with_tag",
]
