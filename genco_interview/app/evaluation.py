"""`genco eval`: how well genco agrees with human graders on labeled answer files."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .questions import check_filters
from .workbench import Workbench


def evaluate_files(bench: Workbench, labeled: Sequence[str], question: str | None = None, depth: str | None = None,
                   scale: int = 10, leave_one_question_out: bool = False, warn: Callable[[str], None] | None = None,
                   progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Agreement with human graders on labeled files (or folders, or "-"), per question and pooled
    (the shape of `evaluation.quality.evaluate`; NaN where a figure cannot be computed).

    Rows are scored against the rubric named by their "question", else `question`, else the file's
    name; scores map onto the graders' 0..`scale` by score / 100 x scale. With
    `leave_one_question_out`, each question is judged by weights refitted without it; `warn` hears
    (before the work starts) when those refits rest on few answers, when a question has too few
    answers for its figures to mean much, when an answer is labeled twice for one question or is empty, or when
    the grades look like they are on a smaller scale than `scale`; `progress` hears (question, answers
    read, answers in all) while the model reads them. Raises InputError naming the
    file and row for bad labels, or when a refit has nothing to learn from."""
    from ..evaluation.quality import (
        blank_answers_warning,
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
               small_set_warning(sets), repeated_answers_warning(sets), blank_answers_warning(sets)]
    if leave_one_question_out:
        require_refit_data(sets)
        notices.append(thin_refit_warning(sets))
    for notice in notices:
        if notice and warn:
            warn(notice)
    return evaluate(sets, bench.embedder, scale, leave_one_question_out, progress)

