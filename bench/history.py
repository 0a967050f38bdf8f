"""Speed of the history commands over a large history (goal: `genco report` over 10,000 attempts < 2 s).

Makes N synthetic attempts of the shipped rubric (every depth, improving scores, real concept and
misconception ids) in a temporary GENCO_HOME, then times each command as a fresh subprocess,
the way a person runs it, and prints the figures (median of --runs).

    python bench/history.py [--attempts 10000] [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from genco_interview.progress.attempt import Attempt  # noqa: E402
from genco_interview.progress.store import open_history  # noqa: E402
from genco_interview.rubric import find  # noqa: E402

COMMANDS = {
    "report (text)": ["report"],
    "report --format html": ["report", "--format", "html", "--out", "{home}/report.html"],
    "report --format json": ["report", "--format", "json"],
    "history (newest 20)": ["history"],
    "history --limit 0 --format csv": ["history", "--limit", "0", "--format", "csv"],
    "next": ["next"],
    "show last": ["show", "last"],
}


def synthetic_attempts(count: int, seed: int = 7) -> list[Attempt]:
    """Attempts spread over a year, scores drifting upwards, concepts and misconceptions from the rubric."""
    rubric = find("coroutine-vs-generator")
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    answers = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "examples").glob("*.txt"))]
    attempts = []
    for i in range(count):
        depth = rubric.depths[i % len(rubric.depths)]
        skill = min(1.0, 0.2 + 0.8 * i / count)
        concepts = []
        for concept_id, weight in depth.concepts:
            concept = rubric.concept(concept_id)
            score = max(0.0, min(1.0, rng.gauss(skill, 0.25)))
            status = "covered" if score >= 0.8 else "partial" if score >= 0.4 else "missing"
            concepts.append({"id": concept_id, "name": concept.name, "weight": weight, "status": status, "score": score,
                             "similarity": 0.4 + 0.4 * score, "evidence": concept.exemplars[0] if score >= 0.4 else None,
                             "description": concept.description})
        hits = [{"id": m.id, "description": m.description, "correction": m.correction, "penalty": m.penalty,
                 "similarity": 0.7, "evidence": m.exemplars[0]}
                for m in rubric.misconceptions if rng.random() < 0.05 * (1 - skill)]
        total = sum(c["weight"] for c in concepts)
        score = max(0.0, 100 * sum(c["weight"] * c["score"] for c in concepts) / total - sum(h["penalty"] for h in hits))
        attempts.append(Attempt(
            uid=f"bench{i:08d}", created_at=(start + timedelta(minutes=53 * i)).isoformat(timespec="microseconds"),
            question=rubric.id, depth=depth.name, source="learner", seconds=rng.uniform(40, 600),
            answer=answers[i % len(answers)], score=round(score, 1), model="all-MiniLM-L6-v2", genco_version="0.1.0",
            concepts=concepts, misconceptions=hits))
    return attempts


def time_command(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "genco_interview", *argv], env=env, cwd=ROOT,
                              capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"genco {' '.join(argv)} failed: {done.stderr.strip()}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="genco-bench-") as home:
        env = {**os.environ, "GENCO_HOME": home, "NO_COLOR": "1", "COLUMNS": "120",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        attempts = synthetic_attempts(args.attempts)
        started = time.perf_counter()
        with open_history(Path(home) / "history.sqlite3") as store:
            store.add(attempts)
        figures = {"attempts": args.attempts, "insert_s": round(time.perf_counter() - started, 3),
                   "db_mb": round((Path(home) / "history.sqlite3").stat().st_size / 1e6, 1)}
        print(f"{args.attempts} attempts stored in {figures['insert_s']:.2f} s (one transaction), "
              f"file {figures['db_mb']} MB")
        for name, argv in COMMANDS.items():
            seconds = time_command([a.format(home=home) for a in argv], env, args.runs)
            figures[name] = round(seconds, 3)
            print(f"genco {name:<34} {seconds:6.2f} s  (median of {args.runs})")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
