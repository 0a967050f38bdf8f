"""Fit the scorer's combination weights across questions and write genco_interview/scoring/combination.yaml.

Run from the project root, on graded sets whose files are named after their rubrics:
  .venv/bin/python bench/fit_combination.py GRADED_DIR_OR_FILES... [--name TEXT] [--dry-run]

The weights are shared by every question, so they are judged leave-one-question-out (`genco eval
--leave-one-question-out`, `make quality`); this script fits them on all questions given, which
is what a new rubric is scored with.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "genco_interview" / "scoring" / "combination.yaml"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="graded .jsonl files or folders of them")
    parser.add_argument("--name", default="independent graded answers", help="what the header says it was fitted on")
    parser.add_argument("--dry-run", action="store_true", help="print the file instead of writing it")
    args = parser.parse_args(argv)
    from genco_interview.embedding import load_embedder
    from genco_interview.evaluation.quality import load_sets, training_answers
    from genco_interview.scoring import Scorer
    from genco_interview.scoring.combination import combination_yaml, fit_combination

    embedder = load_embedder()
    answers = []
    for labeled in load_sets(args.paths):
        print(f"{labeled.rubric.id}: reading {len(labeled.rows)} graded answers", file=sys.stderr)
        scored = Scorer(labeled.rubric, embedder).read_each([r.answer for r in labeled.rows], labeled.depths)
        answers.extend(training_answers(labeled, scored))
    text = combination_yaml(fit_combination(answers), f"{args.name} ({len(answers)} answers)")
    if args.dry_run:
        print(text)
    else:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
