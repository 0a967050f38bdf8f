"""How a mock interview's follow-up replies score: each shipped probe's own good reply, typed word for word,
against the replies of the rubric's other probes (which explore none of its concepts), with and without the
good reply as one more exemplar of the probe's concepts (interview.mock.probe_rubric).

Run from the project root:
  HF_HUB_OFFLINE=1 .venv/bin/python bench/probes.py [--json]

Per rubric and pooled: the mean follow-up score (interview.mock.probe_score, 0-100) of each probe's own good
reply, the share of its concepts marked covered, and the mean score of the other probes' good replies given
to it (a reply on another topic: it should stay low). No grades are involved; the shipped rubrics only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from genco_interview.card import Status  # noqa: E402
from genco_interview.embedding import load_embedder  # noqa: E402
from genco_interview.interview.mock import linked_probes, probe_rubric, probe_score  # noqa: E402
from genco_interview.rubric import discover, is_shipped  # noqa: E402
from genco_interview.scoring import Scorer  # noqa: E402


def measure(rubric, embedder) -> dict[str, dict[str, float]]:  # noqa: ANN001 - a Rubric and an Embedder
    """{"without" | "with": {own, own_covered, others}} over the rubric's probes."""
    probes = linked_probes(rubric)
    plain = Scorer(rubric, embedder)
    result = {}
    for label in ("without", "with"):
        own, covered, others = [], [], []
        for probe in probes:
            scorer = Scorer(probe_rubric(rubric, probe), embedder) if label == "with" else plain
            card = scorer.score(probe.good_answer, probe.depth)
            own.append(probe_score(card, probe))
            marks = [c.status == Status.COVERED for c in card.concepts if c.id in probe.concepts]
            covered.append(sum(marks) / len(marks))
            strangers = [p.good_answer for p in probes if not set(p.concepts) & set(probe.concepts)]
            others += [probe_score(card, probe) for card in scorer.score_each(strangers, [probe.depth] * len(strangers))]
        result[label] = {"own": statistics.mean(own), "own_min": min(own), "own_covered": statistics.mean(covered),
                         "others": statistics.mean(others) if others else float("nan"), "probes": len(probes)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = parser.parse_args()
    embedder = load_embedder()
    figures = {rubric.id: measure(rubric, embedder) for rubric in discover() if is_shipped(rubric.id)}
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{'question':30} {'probes':>6}  {'own reply (min, covered)':>38}  {'other probes replies':>22}")
    for question, row in figures.items():
        cells = [f"{row[k]['own']:5.1f} ({row[k]['own_min']:5.1f}, {row[k]['own_covered']:4.0%})" for k in ("without", "with")]
        others = [f"{row[k]['others']:5.1f}" for k in ("without", "with")]
        print(f"{question:30} {row['with']['probes']:6d}  {' -> '.join(cells):>38}  {' -> '.join(others):>22}")
    for key in ("own", "own_covered", "others"):
        pooled = [statistics.mean(row[k][key] for row in figures.values()) for k in ("without", "with")]
        print(f"mean over questions, {key}: {pooled[0]:.3f} -> {pooled[1]:.3f}")


if __name__ == "__main__":
    main()
