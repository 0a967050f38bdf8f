"""Agreement of genco's scores with human grades: independent graded answers first, in-house sets second.

Run from the project root:
  .venv/bin/python bench/quality.py [--graded DIR] [--json]

--graded DIR: answers written and graded by people who never saw the rubrics or the scorer,
one <rubric-id>.jsonl per question; judged leave-one-question-out (each question's figures come
from combination weights fitted without it). Then the in-house sets in data/, written by the
rubrics' authors, with the shipped weights. The metrics are `genco eval`'s
(genco_interview.evaluation.quality); tests/test_quality.py holds floors under them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def print_result(title: str, result: dict) -> None:
    print(title)
    for name, f in [*result["questions"].items(), ("pooled", result["pooled"])]:
        ratios = f["kind_ratios"]
        adversarial = " ".join(f"{k} {ratios[k]:.2f}" for k in ("swapped", "negation", "misconception") if k in ratios)
        print(f"  {name:30s} n {f['answers']:3d}  Spearman {f['spearman']:.3f}  Pearson {f['pearson']:.3f}  "
              f"QWK {f['qwk']:.3f}  MAE {f['mae']:.2f}  gross {100 * f['gross_errors']:4.1f} %  "
              f"uncertain {100 * f['uncertain_share']:3.0f} % (Spearman sure {f['spearman_confident']:.3f})  "
              f"floor(8+) {f['high_grade_floor']:.0f}  x good: {adversarial}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graded", metavar="DIR", help="folder of independent graded sets (judged leave-one-question-out)")
    parser.add_argument("--backend", choices=["auto", "onnx", "onnx-int8", "torch"], help="embedding backend")
    parser.add_argument("--json", action="store_true", help="also print one JSON object as the last line")
    args = parser.parse_args(argv)
    from genco_interview.embedding import load_embedder
    from genco_interview.evaluation.quality import evaluate, json_ready, load_sets

    embedder = load_embedder(backend=args.backend)
    results = {}
    if args.graded:
        results["independent"] = evaluate(load_sets([args.graded]), embedder, leave_one_question_out=True)
        print_result(f"Independent graded answers ({args.graded}), leave-one-question-out:", results["independent"])
    results["in_house"] = evaluate(load_sets([str(DATA)]), embedder)
    print_result("In-house sets (data/, written by the rubrics' authors), shipped weights:", results["in_house"])
    if args.json:
        print(json.dumps(json_ready(results)))


if __name__ == "__main__":
    main()
