"""Agreement of genco's scores with the human grades in data/, per rubric (the figures quoted in the README).

Run from the project root:
  .venv/bin/python bench/quality.py [RUBRIC ...] [--all] [--backend auto|onnx|onnx-int8|torch] [--json]
(default: the flagship coroutine-vs-generator; --all: every rubric with a data/<id>.jsonl set)

The metrics are `genco eval`'s (genco_interview.evaluation); this script only runs them over
several sets in one process and one model load. tests/test_quality.py holds the bounds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from genco_interview.evaluation import agreement, linear_grade, parse_labeled

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FLAGSHIP = "coroutine-vs-generator"


def graded_ids() -> list[str]:
    """Every rubric id that has a graded set beside it in data/."""
    return sorted(p.stem for p in DATA.glob("*.jsonl"))


def measure(rubric_id: str, embedder) -> dict:
    """Agreement figures for one rubric against data/<rubric_id>.jsonl."""
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    path = DATA / f"{rubric_id}.jsonl"
    rows = parse_labeled(path.read_text(encoding="utf-8"), str(path))
    print(f"{rubric_id}: scoring {len(rows)} graded answers…", file=sys.stderr)
    cards = Scorer(find(rubric_id), embedder).score_each([r.answer for r in rows], [r.depth for r in rows])
    to_grade = linear_grade(10)
    return {"rubric": rubric_id, **agreement(rows, cards, [to_grade(c.score) for c in cards], 10)}


def report(result: dict) -> None:
    print(f"{result['rubric']}: answers {result['answers']}   Spearman {result['spearman']:.3f}   "
          f"Pearson {result['pearson']:.3f}   QWK {result['qwk']:.3f}   MAE {result['mae']:.2f}")
    print("  mean score by kind: " + ", ".join(f"{k} {v['mean_score']:.1f}" for k, v in result["kinds"].items()))
    for concept_id, m in result["concepts"].items():
        print(f"  {concept_id:28s} P {m['precision']:.2f}  R {m['recall']:.2f}  F1 {m['f1']:.2f}")
    mis = result["misconceptions"]
    print(f"  misconceptions   P {mis['precision']:.2f}  R {mis['recall']:.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rubrics", nargs="*", help=f"rubric ids with a data/<id>.jsonl set (default: {FLAGSHIP})")
    parser.add_argument("--all", action="store_true", help="every rubric that has a graded set")
    parser.add_argument("--backend", choices=["auto", "onnx", "onnx-int8", "torch"],
                        help="embedding backend (default: as genco chooses, GENCO_BACKEND or auto)")
    parser.add_argument("--json", action="store_true", help="also print one JSON object as the last line")
    args = parser.parse_args(argv)
    from genco_interview.embedding import load_embedder

    ids = graded_ids() if args.all else (args.rubrics or [FLAGSHIP])
    embedder = load_embedder(backend=args.backend)
    results = [measure(rubric_id, embedder) for rubric_id in ids]
    for result in results:
        report(result)
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results))


if __name__ == "__main__":
    main()
