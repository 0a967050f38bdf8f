"""Validate coroutine-vs-generator.jsonl and print counts per kind/depth."""
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATH = HERE / "coroutine-vs-generator.jsonl"

QUICK = ["shared_mechanism", "driver", "one_vs_many"]
DETAILED = QUICK + ["async_generators", "await_vs_yield", "lazy_call", "misuse_typeerror"]
DEEP = DETAILED + ["history_types_coroutine", "future_analogy", "send_protocol"]
EXPECTED = {"quick": set(QUICK), "detailed": set(DETAILED), "deep": set(DEEP)}
MISCONCEPTIONS = {"coroutines_are_threads", "generators_are_async", "await_plain_generator",
                  "iterate_coroutine", "coroutine_many_values", "no_shared_mechanism",
                  "generators_eager"}
MINIMUMS = {"good": 10, "partial": 8, "misconception": 6, "negation": 5, "swapped": 5,
            "salad": 4, "off-topic": 4, "code-only": 3, "dont-know": 3}
KEYS = {"id", "depth", "kind", "answer", "overall", "concepts", "misconceptions"}

errors, rows, ids = [], [], set()
for n, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
    try:
        r = json.loads(line)
    except json.JSONDecodeError as e:
        errors.append(f"line {n}: bad JSON: {e}")
        continue
    rows.append(r)
    where = f"line {n} ({r.get('id')})"
    if set(r) != KEYS:
        errors.append(f"{where}: keys {sorted(r)}")
        continue
    if r["id"] in ids:
        errors.append(f"{where}: duplicate id")
    ids.add(r["id"])
    if r["depth"] not in EXPECTED:
        errors.append(f"{where}: bad depth {r['depth']}")
        continue
    if r["kind"] not in MINIMUMS:
        errors.append(f"{where}: bad kind {r['kind']}")
    if not r["id"].startswith(r["kind"] + "-"):
        errors.append(f"{where}: id does not match kind")
    if not isinstance(r["answer"], str) or not r["answer"].strip():
        errors.append(f"{where}: empty answer")
    if not (isinstance(r["overall"], int) and 0 <= r["overall"] <= 10):
        errors.append(f"{where}: overall {r['overall']!r}")
    if set(r["concepts"]) != EXPECTED[r["depth"]]:
        errors.append(f"{where}: concept ids {sorted(r['concepts'])} != expected for {r['depth']}")
    if any(v not in (0, 1, 2) for v in r["concepts"].values()):
        errors.append(f"{where}: concept grade not in 0/1/2")
    bad = set(r["misconceptions"]) - MISCONCEPTIONS
    if bad:
        errors.append(f"{where}: unknown misconceptions {bad}")
    # grading-guide consistency checks
    if r["kind"] in {"negation", "swapped", "salad", "off-topic", "dont-know"}:
        if r["overall"] > 2 or any(r["concepts"].values()):
            errors.append(f"{where}: {r['kind']} must have overall<=2 and all concepts 0")
    if r["kind"] == "partial" and not 3 <= r["overall"] <= 6:
        errors.append(f"{where}: partial overall outside 3-6")
    if r["kind"] == "misconception" and not r["misconceptions"]:
        errors.append(f"{where}: misconception row lists no misconception")

kinds = Counter(r.get("kind") for r in rows)
print(f"{len(rows)} rows")
for k, m in MINIMUMS.items():
    flag = "ok" if kinds[k] >= m else "BELOW MINIMUM"
    print(f"  {k:14s} {kinds[k]:3d}  (min {m})  {flag}")
    if kinds[k] < m:
        errors.append(f"kind {k}: {kinds[k]} < {m}")
print("depths:", dict(Counter(r.get("depth") for r in rows)))
print("good depths:", dict(Counter(r["depth"] for r in rows if r.get("kind") == "good")))
if errors:
    print("\nERRORS:")
    print("\n".join(errors))
    sys.exit(1)
print("all checks passed")
