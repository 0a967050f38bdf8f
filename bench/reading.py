"""How long genco takes to read hostile answers before the model sees them: texts of up to 4 MB (the most a
command reads) built to make a line-by-line reading slow, each read as `genco score` reads an answer
(answers.normalise_answer then text.segment) and as `genco grade` reads a transcript (transcript=True).

Run from the project root:
  .venv/bin/python bench/reading.py [--json]

Per input: its size and the seconds of each reading (the best of three). No model is loaded; what the model
then embeds is at most the first 20,000 characters, which `bench/perf.py` measures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from genco_interview.text.reading import normalise_answer  # noqa: E402
from genco_interview.text.segment import segment  # noqa: E402

SIZE = 3_900_000
"""Characters of each input: just under the 4 MB a command reads."""

INPUTS: dict[str, Callable[[], str]] = {
    "leading spaces": lambda: " " * SIZE + "generator",
    "indented lines": lambda: "\n".join([" " * 400 + "x"] * (SIZE // 402)),
    "tab-indented lines": lambda: "\n".join(["\t" * 50 + "x"] * (SIZE // 52)),
    "quote markers": lambda: "> " * (SIZE // 2),
    "bullet list": lambda: "\n".join(["- A generator yields many values; item"] * (SIZE // 40)),
    "fence left open, then code": lambda: "```\n" + "\n".join(["aa = bb + cc + dd"] * (SIZE // 18)),
    "labelled transcript": lambda: "\n".join(["Interviewer: why?", "Candidate: a generator yields values."]
                                             * (SIZE // 56)),
    "quoted one-letter lines": lambda: "> x\n" * (SIZE // 4),
    "one term of 19,000 characters": lambda: "A generator yields many values. " + "x" * 19_000,
}


def best_of(runs: int, text: str, read: Callable[[str], object]) -> float:
    """The fewest wall seconds of `runs` readings of `text` by `read`, each of a text of its own (a line with the
    run's number after it): genco keeps the reading of the last texts it read, and a second reading of the same
    text measured nothing."""
    times = []
    for run in range(runs):
        fresh = f"{text}\nrun {run}"
        start = time.perf_counter()
        read(fresh)
        times.append(time.perf_counter() - start)
    return min(times)


def measure(text: str) -> dict[str, float]:
    """Seconds to read `text` as an answer (and segment it) and as a transcript."""
    return {"chars": len(text),
            "answer_s": best_of(3, text, lambda fresh: segment(normalise_answer(fresh))),
            "transcript_s": best_of(3, text, lambda fresh: segment(normalise_answer(fresh, transcript=True)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = parser.parse_args()
    figures = {name: measure(build()) for name, build in INPUTS.items()}
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{'input':28} {'characters':>10}  {'as an answer':>12}  {'as a transcript':>15}")
    for name, row in figures.items():
        print(f"{name:28} {row['chars']:>10,}  {row['answer_s']:>10.2f} s  {row['transcript_s']:>13.2f} s")


if __name__ == "__main__":
    main()
