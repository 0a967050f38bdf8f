"""How fast `genco serve` answers: warm scoring through POST /api/score, and a page's submit-to-score.

Run from the project root:  .venv/bin/python bench/web.py [--runs N] [--page-runs N] [--backend B]

The app is built as `genco serve` builds it (one Workbench, model loaded before the first request)
and served by uvicorn on a free loopback port in a thread; requests go over real HTTP. The answer
is the example in data/examples of median length (an example, not graded data). Before each
timed request the embedder's per-process caches forget what the answer put in them, so its
sentences are embedded every time, as a new answer's would be; what the rubric and question put
there stays warm, as it does in a server.
Attempts are not kept (`"save": false`), except by the page runs, which go to a temporary history.

1. POST /api/score: median and p90 in ms over N runs after 3 untimed warm-up requests (goal:
   median under 100 ms on the ONNX backend); then the same with the answer's embeddings left
   cached, which is what the server itself adds to the scorer's time.
2. The practice page, in headless Chromium when Playwright and a system Chromium are present:
   from pressing the submit button to the score shown on the result page (a POST, the scoring,
   the redirect and the result page), median over N runs.

It prints figures and never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from genco_interview.launch import single_threaded_blas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the live-server and browser launch helpers the tests use
QUESTION, DEPTH = "coroutine-vs-generator", "quick"


def median_example() -> tuple[str, str]:
    """(name, text) of the example answer of median length."""
    files = sorted((ROOT / "data" / "examples").glob("*.txt"), key=lambda p: len(p.read_text(encoding="utf-8")))
    chosen = files[len(files) // 2]
    return chosen.name, chosen.read_text(encoding="utf-8")


def timed(runs: int, step: Callable[[], None], before: Callable[[], None]) -> list[float]:
    """Milliseconds of `step` over `runs` runs, `before` (untimed) ahead of each."""
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: Sequence[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.1f} ms · p90 {p90:.1f} ms · min {ordered[0]:.1f} ms · n={len(ordered)}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--page-runs", type=int, default=5)
    parser.add_argument("--backend", default=None, help="auto (default), onnx, onnx-int8 or torch")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    single_threaded_blas()  # as the genco command does: before numpy is imported

    from web_helpers import live_server

    from genco_interview.app.workbench import Workbench
    from genco_interview.embedding import load_embedder
    from genco_interview.web.server import create_app

    from browser import CHROMIUM_ARGS, chromium_path

    name, answer = median_example()
    started = time.perf_counter()
    embedder = load_embedder(None, args.backend)
    print(f"model loaded in {time.perf_counter() - started:.1f} s: {embedder.fingerprint}")
    print(f"answer: data/examples/{name} ({len(answer.split())} words), {QUESTION} at {DEPTH}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (other processes skew every figure)")

    caches = [getattr(embedder, name) for name in ("_cache", "_token_cache") if hasattr(embedder, name)]
    warm: list[set[str]] = []  # what the rubric and question put in the caches, kept warm as in a server

    def cold_answer() -> None:
        """Forget what the answer put in CachedEmbedder's private caches, so it is embedded anew."""
        for cache, kept in zip(caches, warm):
            for text in set(cache) - kept:
                del cache[text]

    with tempfile.TemporaryDirectory() as home:
        app = create_app(Workbench(embedder=embedder), db=str(Path(home) / "history.sqlite3"))
        with live_server(app) as url:
            body = json.dumps({"question": QUESTION, "depth": DEPTH, "answer": answer, "save": False}).encode()

            def post() -> None:
                request = urllib.request.Request(url + "/api/score", data=body,
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request) as response:
                    response.read()

            post_other = json.dumps({"question": QUESTION, "depth": DEPTH, "answer": "A generator yields values.",
                                     "save": False}).encode()
            urllib.request.urlopen(urllib.request.Request(url + "/api/score", data=post_other,
                                                          headers={"Content-Type": "application/json"})).read()
            warm.extend(set(cache) for cache in caches)
            for _ in range(3):
                cold_answer()
                post()
            print(f"POST /api/score, warm:        {summary(timed(args.runs, post, cold_answer))}")
            print(f"  the same, answer cached:    {summary(timed(args.runs, post, lambda: None))}"
                  "  (HTTP, routing and the card's JSON: what the server adds to scoring)")
            if args.page_runs and chromium_path():
                print(f"practice page submit→score:   {summary(page_times(url, answer, args.page_runs, cold_answer, CHROMIUM_ARGS, chromium_path()))}")
            else:
                print("practice page submit→score:   skipped (no system Chromium or --page-runs 0)")


def page_times(url: str, answer: str, runs: int, before: Callable[[], None], chromium_args: list[str],
               executable: str) -> list[float]:
    """Milliseconds from clicking "Score my answer" to the result page showing the score."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=chromium_args)
        page = browser.new_page()
        for run in range(runs + 1):
            page.goto(f"{url}/practice/{QUESTION}/{DEPTH}")
            page.fill("#answer", answer)
            before()
            start = time.perf_counter()
            page.click("text=Score my answer")
            page.wait_for_selector("#score")
            if run:  # the first is a warm-up: the browser's first navigation pays for its own start
                times.append((time.perf_counter() - start) * 1000)
        browser.close()
    return times


if __name__ == "__main__":
    main()
