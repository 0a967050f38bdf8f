"""Agreement of genco's scores with human grades: independent graded answers first, in-house sets second.

Run from the project root:
  .venv/bin/python bench/quality.py [--graded DIR [--as-new-rubrics] [--other-rubrics DIR]] [--json]

--graded DIR: answers written and graded by people who never saw the rubrics or the scorer,
one <rubric-id>.jsonl per question; judged leave-one-question-out (each question's figures come
from combination weights fitted without it). Then the in-house sets in data/, written by the
rubrics' authors, with the shipped weights. --as-new-rubrics also judges the independent answers
with every rubric stripped of what a new rubric would not have: its calibration and its role
pairs. --other-rubrics DIR judges them once more with each question's rubric replaced by the one
of the same id in DIR: bench/rubrics-from-docs holds rubrics for the seven questions written by
other authors from the docs and the graders' checklist alone, as an interviewer writes a new
one (bench/rubrics-from-docs/README.md). The metrics are `genco eval`'s
(genco_interview.evaluation.quality); tests/test_quality.py holds floors under them.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def print_result(title: str, result: dict) -> None:
    print(title)
    for name, f in [*result["questions"].items(), ("pooled", result["pooled"])]:
        ratios = f["kind_ratios"]
        graded = f["graded_kind_ratios"]
        adversarial = " ".join(f"{k} {ratios[k]:.2f} (graders {graded.get(k, float('nan')):.2f})"
                               for k in ("swapped", "negation", "misconception") if k in ratios)
        print(f"  {name:30s} n {f['answers']:3d}  Spearman {f['spearman']:.3f}  Pearson {f['pearson']:.3f}  "
              f"QWK {f['qwk']:.3f}  MAE {f['mae']:.2f}  marks QWK {f['concept_qwk']:.3f}  gross {100 * f['gross_errors']:4.1f} %  "
              f"uncertain {100 * f['uncertain_share']:3.0f} % (Spearman sure {f['spearman_confident']:.3f}, "
              f"error {f['error_uncertain']:.1f} vs {f['error_confident']:.1f})  "
              f"floor(8+) {f['high_grade_floor']:.0f}  x good: {adversarial}")


def as_new(labeled_set):
    """The set with its rubric as a new one would be written: no calibration, no role pairs."""
    rubric = labeled_set.rubric
    plain = replace(rubric, calibration=None, scoring=replace(rubric.scoring, role_swaps=()))
    return replace(labeled_set, rubric=plain)


def with_rubrics_from(folder: str, sets: list) -> list:
    """The sets, each judged with the rubric of its question's id in `folder` (a set whose question
    has none there keeps its own)."""
    from genco_interview.rubric import load_rubric

    others = {rubric.id: rubric for rubric in map(load_rubric, sorted(Path(folder).glob("*.yaml")))}
    return [replace(s, rubric=others.get(s.rubric.id, s.rubric)) for s in sets]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graded", metavar="DIR", help="folder of independent graded sets (judged leave-one-question-out)")
    parser.add_argument("--as-new-rubrics", action="store_true",
                        help="with --graded: also judge them with every rubric's calibration and role pairs removed")
    parser.add_argument("--other-rubrics", metavar="DIR",
                        help="with --graded: also judge them with each question's rubric replaced by DIR's "
                             "of the same id (bench/rubrics-from-docs)")
    parser.add_argument("--backend", choices=["auto", "onnx", "onnx-int8", "torch"], help="embedding backend")
    parser.add_argument("--json", action="store_true", help="also print one JSON object as the last line")
    args = parser.parse_args(argv)
    if (args.as_new_rubrics or args.other_rubrics) and not args.graded:
        parser.error("--as-new-rubrics and --other-rubrics need --graded DIR")
    from genco_interview.embedding import load_embedder
    from genco_interview.evaluation.quality import evaluate, json_ready, load_sets

    embedder = load_embedder(backend=args.backend)
    results = {}
    if args.graded:
        results["independent"] = evaluate(load_sets([args.graded]), embedder, leave_one_question_out=True)
        print_result(f"Independent graded answers ({args.graded}), leave-one-question-out:", results["independent"])
        if args.as_new_rubrics:
            sets = [as_new(s) for s in load_sets([args.graded])]
            results["independent_as_new"] = evaluate(sets, embedder, leave_one_question_out=True)
            print_result("The same, every rubric without its calibration and role pairs:", results["independent_as_new"])
        if args.other_rubrics:
            sets = with_rubrics_from(args.other_rubrics, load_sets([args.graded]))
            results["independent_other_rubrics"] = evaluate(sets, embedder, leave_one_question_out=True)
            print_result(f"The same, judged with the rubrics in {args.other_rubrics}:", results["independent_other_rubrics"])
    results["in_house"] = evaluate(load_sets([str(DATA)]), embedder)
    print_result("In-house sets (data/, written by the rubrics' authors), shipped weights:", results["in_house"])
    if args.json:
        print(json.dumps(json_ready(results)))


if __name__ == "__main__":
    main()
