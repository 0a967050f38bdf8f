"""Agreement of genco's scores with the human grades in data/ (the figures quoted in the README).

Run from the project root:  .venv/bin/python bench/quality.py [--backend auto|onnx|onnx-int8|torch] [--json]

Prints Spearman and Pearson with the overall grade, the mean score per answer kind, per-concept
precision/recall/F1 of "credited" (covered or partial) against "the grader gave 1 or 2", and
misconception precision/recall. It only measures; tests/test_quality.py holds the bounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

from scipy.stats import pearsonr, spearmanr

ROOT = Path(__file__).resolve().parent.parent
GRADED = ROOT / "data" / "coroutine-vs-generator.jsonl"
CREDITED = ("covered", "partial")


def score_rows(rows: list[dict], backend: str | None = None) -> list[tuple[dict, object]]:
    from genco_interview.embedding import load_embedder
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    scorer = Scorer(find("coroutine-vs-generator"), load_embedder(backend=backend))
    by_depth: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_depth[row["depth"]].append(row)
    pairs = []
    for depth, group in by_depth.items():
        pairs += zip(group, scorer.score_many([r["answer"] for r in group], depth))
    return pairs


def concept_agreement(pairs) -> dict[str, dict[str, float]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for row, card in pairs:
        for concept in card.concepts:
            human, machine = row["concepts"][concept.id] > 0, concept.status in CREDITED
            counts[concept.id][(human, machine)] += 1
    out = {}
    for concept_id, c in counts.items():
        tp, fp, fn = c[(True, True)], c[(False, True)], c[(True, False)]
        out[concept_id] = {"precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1),
                           "f1": 2 * tp / max(2 * tp + fp + fn, 1)}
    return out


def misconception_agreement(pairs) -> dict[str, float]:
    tp = fp = fn = 0
    for row, card in pairs:
        found, labelled = {m.id for m in card.misconceptions}, set(row["misconceptions"])
        tp, fp, fn = tp + len(found & labelled), fp + len(found - labelled), fn + len(labelled - found)
    return {"precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["auto", "onnx", "onnx-int8", "torch"],
                        help="embedding backend (default: as genco chooses, GENCO_BACKEND or auto)")
    parser.add_argument("--json", action="store_true", help="also print one JSON object as the last line")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in GRADED.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"scoring {len(rows)} graded answers…", file=sys.stderr)
    pairs = score_rows(rows, args.backend)
    human, machine = [r["overall"] for r, _ in pairs], [c.score for _, c in pairs]
    kinds: dict[str, list[float]] = defaultdict(list)
    for row, card in pairs:
        kinds[row["kind"]].append(card.score)
    result = {
        "answers": len(rows),
        "spearman": spearmanr(human, machine)[0],
        "pearson": pearsonr(human, machine)[0],
        "mean_score_by_kind": {k: statistics.mean(v) for k, v in sorted(kinds.items())},
        "concepts": concept_agreement(pairs),
        "misconceptions": misconception_agreement(pairs),
    }
    print(f"answers {result['answers']}   Spearman {result['spearman']:.3f}   Pearson {result['pearson']:.3f}")
    print("mean score by kind: " + ", ".join(f"{k} {v:.1f}" for k, v in result["mean_score_by_kind"].items()))
    for concept_id, m in result["concepts"].items():
        print(f"  {concept_id:24s} P {m['precision']:.2f}  R {m['recall']:.2f}  F1 {m['f1']:.2f}")
    mis = result["misconceptions"]
    print(f"misconceptions   P {mis['precision']:.2f}  R {mis['recall']:.2f}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
