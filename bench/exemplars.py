"""Whether the shipped rubrics' own texts, each said alone as an answer, are read as their authors meant: a
misconception's exemplar named as that misconception, a concept's exemplar (a right claim) named as none.

Run from the project root:
  HF_HUB_OFFLINE=1 .venv/bin/python bench/exemplars.py [--depth quick --depth deep] [--json]

Per rubric and in all, at each depth asked (default: quick and deep): how many misconception exemplars the
card names as their own misconception, and how many concept exemplars get any misconception named, with the
texts missed or misnamed. No grades are involved; the rubrics' authors wrote every text, so this is a floor on
what the misconception check must do, not a measure of agreement.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from genco_interview.embedding import load_embedder  # noqa: E402
from genco_interview.rubric import discover, is_shipped  # noqa: E402
from genco_interview.scoring import Scorer  # noqa: E402


def measure(rubric, embedder, depths: list[str]) -> dict:  # noqa: ANN001 - a Rubric and an Embedder
    """{named, misconception_exemplars, misnamed, concept_exemplars, missed: [...], wrongly: [...]}."""
    scorer = Scorer(rubric, embedder)
    claims = [text for concept in rubric.concepts for text in concept.exemplars]
    named, missed, wrongly, total = 0, [], [], 0
    for depth in depths:
        for misconception in rubric.misconceptions:
            cards = scorer.score_each(list(misconception.exemplars), [depth] * len(misconception.exemplars))
            for text, card in zip(misconception.exemplars, cards):
                total += 1
                if misconception.id in [hit.id for hit in card.misconceptions]:
                    named += 1
                else:
                    missed.append(f"{depth} {misconception.id}: {text}")
        for text, card in zip(claims, scorer.score_each(claims, [depth] * len(claims))):
            if card.misconceptions:
                wrongly.append(f"{depth} {', '.join(hit.id for hit in card.misconceptions)}: {text}")
    return {"named": named, "misconception_exemplars": total, "misnamed": len(wrongly),
            "concept_exemplars": len(claims) * len(depths), "missed": missed, "wrongly": wrongly}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", action="append", help="a depth to score at (repeatable; default quick and deep)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = parser.parse_args()
    embedder = load_embedder(backend="torch")
    rubrics = [rubric for rubric in discover() if is_shipped(rubric.id)]
    figures = {rubric.id: measure(rubric, embedder, args.depth or ["quick", "deep"]) for rubric in rubrics}
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{'question':30} {'misconception exemplars named':>30} {'right claims named wrong':>26}")
    for question, row in figures.items():
        print(f"{question:30} {row['named']:>20d} of {row['misconception_exemplars']:<5d}"
              f" {row['misnamed']:>16d} of {row['concept_exemplars']:<5d}")
        for line in row["missed"]:
            print(f"    not named  {line}")
        for line in row["wrongly"]:
            print(f"    named      {line}")
    rows = figures.values()
    print(f"{'in all':30} {sum(r['named'] for r in rows):>20d} of {sum(r['misconception_exemplars'] for r in rows):<5d}"
          f" {sum(r['misnamed'] for r in rows):>16d} of {sum(r['concept_exemplars'] for r in rows):<5d}")


if __name__ == "__main__":
    main()
