"""Benchmark genco's reference-answer scoring on public human-graded short-answer data.

Run from the project root:
  .venv/bin/python bench/asag.py mohler --data MOHLER_DIR [--json]
  .venv/bin/python bench/asag.py scientsbank --data SCIENTSBANK_DIR [--json]
  .venv/bin/python bench/asag.py beetle --data BEETLE_DIR [--json]

Each question becomes a reference-answer rubric exactly as `genco rubric from-answer` writes it
(its reference answer's key points as concepts), scored by genco_interview.scoring.Scorer: the
CLI's code path. Nothing is fitted on the grades except what the protocol allows:
  * Mohler: a linear map of the 0-100 score onto 0-5, fitted leave-one-question-out (on the other
    questions' answers, applied to the held-out one), then Pearson r and RMSE over all answers
    pooled, and the median per-question Pearson r of the raw score;
  * SciEntsBank / Beetle: score thresholds for the 2-way and 3-way labels chosen on the train
    split only, then macro-F1 and weighted-F1 per test split.
Naive peers measured in the same run, same protocol: TF-IDF cosine and whole-answer MiniLM
cosine with the reference answer. DIR holds questions.jsonl and answers.jsonl (see the README
of each benchmark); scikit-learn is used here only, never by the package.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from genco_interview.rubric import parse_rubric, reference_rubric_yaml, slug  # noqa: E402

LABELS_3WAY = ("correct", "contradictory", "incorrect")
LABELS_2WAY = ("correct", "incorrect")
DEPTH = "answer"


@dataclass
class Item:
    question_id: str
    answer: str
    grade: float
    label_3way: str | None
    split: str


# ---------------------------------------------------------------- metrics (tests/test_bench_asag.py)

def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson r; 0 when either side is constant (no linear relation can be read)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def rmse(x: Sequence[float], y: Sequence[float]) -> float:
    return float(np.sqrt(np.mean((np.asarray(x, float) - np.asarray(y, float)) ** 2)))


def loqo_linear_map(scores: Sequence[float], grades: Sequence[float], groups: Sequence[str],
                    low: float = 0.0, high: float = 5.0) -> np.ndarray:
    """Each answer's score mapped onto the grade scale by a least-squares line fitted on the OTHER
    questions' (score, grade) pairs, clipped to the scale: no question's grades shape its own map."""
    scores, grades, groups = np.asarray(scores, float), np.asarray(grades, float), np.asarray(groups)
    out = np.empty_like(scores)
    for group in dict.fromkeys(groups):
        held = groups == group
        slope, intercept = np.polyfit(scores[~held], grades[~held], 1)
        out[held] = np.clip(slope * scores[held] + intercept, low, high)
    return out


def median_group_pearson(scores: Sequence[float], grades: Sequence[float], groups: Sequence[str]) -> float:
    """Median over questions of Pearson r, skipping questions whose grades or scores are all equal."""
    scores, grades, groups = np.asarray(scores, float), np.asarray(grades, float), np.asarray(groups)
    rs = [pearson(scores[groups == g], grades[groups == g]) for g in dict.fromkeys(groups)
          if grades[groups == g].std() > 0 and scores[groups == g].std() > 0]
    return float(np.median(rs)) if rs else 0.0


def f1_scores(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> tuple[float, float]:
    """(macro-F1, weighted-F1) over `labels`, as the SemEval-2013 Task 7 scorer computes them."""
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    f1s, support = [], []
    for label in labels:
        tp = np.sum((predicted == label) & (truth == label))
        fp = np.sum((predicted == label) & (truth != label))
        fn = np.sum((predicted != label) & (truth == label))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
        support.append(np.sum(truth == label))
    return float(np.mean(f1s)), float(np.average(f1s, weights=support)) if sum(support) else 0.0


def classify(scores: np.ndarray, thresholds: Sequence[float], order: Sequence[str]) -> np.ndarray:
    """Label by score band: below thresholds[0] -> order[0], ..., above the last -> order[-1]."""
    return np.asarray(order)[np.searchsorted(np.asarray(thresholds), scores, side="right")]


def fit_bands(scores: Sequence[float], truth: Sequence[str], labels: Sequence[str],
              candidates: int = 60) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Thresholds and label order (low to high score) maximising macro-F1 on the given (train) rows.

    Cut points are score quantiles; with three labels every order of the bands is tried, since a
    similarity score need not put "contradictory" between "incorrect" and "correct".
    """
    scores, truth = np.asarray(scores, float), np.asarray(truth)
    cuts = np.unique(np.quantile(scores, np.linspace(0, 1, candidates + 1)[1:-1]))
    best, best_f1 = ((), tuple(labels)), -1.0
    for order in itertools.permutations(labels):
        if order[-1] != "correct":
            continue
        for thresholds in itertools.combinations(cuts, len(labels) - 1):
            f1 = f1_scores(truth, classify(scores, thresholds, order), labels)[0]
            if f1 > best_f1:
                best, best_f1 = (tuple(float(t) for t in thresholds), order), f1
    return best


# ---------------------------------------------------------------- data and scoring

def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load(dataset: str, data: Path) -> tuple[dict[str, dict], list[Item]]:
    try:
        questions = {q["id"]: q for q in _jsonl(data / "questions.jsonl")}
        rows = _jsonl(data / "answers.jsonl")
    except (OSError, ValueError) as exc:
        sys.exit(f"Error: cannot read the {dataset} benchmark in {data}: {exc}")
    if dataset == "mohler":
        rows = [r for r in rows if r.get("in_standard_2273_set", True)]
    items = [Item(r["question_id"], r["answer"], float(r["score"]), r.get("label_3way"), r.get("split", "all"))
             for r in rows]
    return questions, items


def progress(label: str) -> Callable[[int, int], None]:
    """Progress on stderr, one line rewritten in place (a bare counter when stderr is not a terminal)."""
    last = [-1]

    def report(done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        if percent != last[0] and (sys.stderr.isatty() or percent % 25 == 0 or done == total):
            last[0] = percent
            end = "\n" if done == total or not sys.stderr.isatty() else ""
            print(f"\r{label}: {done}/{total} ({percent}%)", end=end, file=sys.stderr, flush=True)

    return report


def genco_scores(questions: dict[str, dict], items: list[Item], embedder) -> np.ndarray:
    """Every answer scored by the reference-answer rubric of its question, built as from-answer writes it."""
    from genco_interview.scoring import Scorer, rubric_text_groups
    from genco_interview.text.segment import segment

    by_question: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_question[item.question_id].append(index)
    scorers = {}
    for qid in by_question:
        q = questions[qid]
        text = reference_rubric_yaml(slug(qid, 10), q["question"], q["reference_answer"], depth=DEPTH)
        scorers[qid] = Scorer(parse_rubric(text, f"<{qid}>"), embedder)
    # Big length-sorted batches first (the embedder caches), so per-question scoring only looks up;
    # tokens first, since their pass also gives the sentence embedding of every one-sentence answer.
    texts = {t for s in scorers.values() for g in rubric_text_groups(s.rubric) for t in g}
    texts |= {t for item in items for t in scorers[item.question_id].texts_for(segment(item.answer))}
    embedder.encode_tokens([i.answer for i in items] + [q["reference_answer"] for q in questions.values()],
                           progress=progress("embedding answer tokens"))
    embedder.encode(sorted(texts), progress=progress("embedding answer parts"))
    scores = np.zeros(len(items))
    for qid, indices in by_question.items():
        cards = scorers[qid].score_many([items[i].answer for i in indices], DEPTH)
        scores[indices] = [card.score for card in cards]
    return scores


def minilm_cosine(questions: dict[str, dict], items: list[Item], embedder) -> np.ndarray:
    answers = embedder.encode([i.answer for i in items])
    references = embedder.encode([questions[i.question_id]["reference_answer"] for i in items])
    return np.sum(answers * references, axis=1)


def tfidf_cosine(questions: dict[str, dict], items: list[Item]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    references = [questions[i.question_id]["reference_answer"] for i in items]
    vectorizer = TfidfVectorizer().fit([i.answer for i in items] + [q["reference_answer"] for q in questions.values()])
    a, r = vectorizer.transform([i.answer for i in items]), vectorizer.transform(references)
    return np.asarray(a.multiply(r).sum(axis=1)).ravel()


# ---------------------------------------------------------------- protocols

def mohler_metrics(scores: np.ndarray, items: list[Item]) -> dict[str, float]:
    grades = [i.grade for i in items]
    groups = [i.question_id for i in items]
    mapped = loqo_linear_map(scores, grades, groups)
    return {"pearson": pearson(mapped, grades), "rmse": rmse(mapped, grades),
            "median_question_pearson": median_group_pearson(scores, grades, groups)}


def semeval_metrics(scores: np.ndarray, items: list[Item]) -> dict[str, dict[str, float]]:
    splits = np.array([i.split for i in items])
    truth3 = np.array([i.label_3way for i in items])
    truth2 = np.where(truth3 == "correct", "correct", "incorrect")
    train = splits == "train"
    if not train.any():
        sys.exit("Error: no train split: thresholds must be chosen on train rows")
    bands2 = fit_bands(scores[train], truth2[train], LABELS_2WAY)
    bands3 = fit_bands(scores[train], truth3[train], LABELS_3WAY)
    out = {}
    for split in sorted(set(splits) - {"train"}):
        rows = splits == split
        macro2, _ = f1_scores(truth2[rows], classify(scores[rows], *bands2), LABELS_2WAY)
        macro3, weighted3 = f1_scores(truth3[rows], classify(scores[rows], *bands3), LABELS_3WAY)
        out[split] = {"answers": int(rows.sum()), "macro_f1_2way": macro2, "macro_f1_3way": macro3,
                      "weighted_f1_3way": weighted3}
    return out


def print_mohler(results: dict[str, dict]) -> None:
    print(f"{'system':34s} {'Pearson r':>9s} {'RMSE':>6s} {'median q r':>10s}")
    for name, m in results.items():
        print(f"{name:34s} {m['pearson']:9.3f} {m['rmse']:6.3f} {m['median_question_pearson']:10.3f}")


def print_semeval(results: dict[str, dict]) -> None:
    print(f"{'system':34s} {'split':24s} {'2-way macro':>11s} {'3-way macro':>11s} {'3-way wtd':>9s}")
    for name, splits in results.items():
        for split, m in splits.items():
            print(f"{name:34s} {split:24s} {m['macro_f1_2way']:11.3f} {m['macro_f1_3way']:11.3f} "
                  f"{m['weighted_f1_3way']:9.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="example: bench/asag.py mohler --data MOHLER_DIR --json")
    parser.add_argument("dataset", choices=["mohler", "scientsbank", "beetle"])
    parser.add_argument("--data", type=Path, required=True, help="directory with questions.jsonl and answers.jsonl")
    parser.add_argument("--json", action="store_true", help="also print one JSON object as the last line")
    args = parser.parse_args(argv)
    started = time.monotonic()
    questions, items = load(args.dataset, args.data)
    print(f"{args.dataset}: {len(items)} answers to {len(questions)} questions", file=sys.stderr)
    from genco_interview.embedding import load_embedder

    embedder = load_embedder()
    systems = {
        "genco (reference-answer rubric)": genco_scores(questions, items, embedder),
        "TF-IDF cosine (peer)": tfidf_cosine(questions, items),
        "MiniLM whole-answer cosine (peer)": minilm_cosine(questions, items, embedder),
    }
    if args.dataset == "mohler":
        results = {name: mohler_metrics(s, items) for name, s in systems.items()}
        print_mohler(results)
        ours = dict(results.pop("genco (reference-answer rubric)"))
    else:
        results = {name: semeval_metrics(s, items) for name, s in systems.items()}
        print_semeval(results)
        ours = {"splits": results.pop("genco (reference-answer rubric)")}
    seconds = time.monotonic() - started
    print(f"{len(items)} answers in {seconds:.0f} s", file=sys.stderr)
    if args.json:
        print(json.dumps({"dataset": args.dataset, "answers": len(items), **ours, "peers": results,
                          "seconds": round(seconds, 1)}))


if __name__ == "__main__":
    main()
