"""Score cards and attempts built by hand from a rubric (the shipped one unless given), for tests
of pure history logic.

History, reports and the schedule aggregate what the scorer produced; they never embed text,
so these tests need no model. Anything that claims scoring quality uses the real model instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from genco_interview.card import ConceptResult, MisconceptionHit, ScoreCard
from genco_interview.progress.attempt import Attempt, attempt_from_card
from genco_interview.rubric import Rubric, find

QUESTION = "coroutine-vs-generator"
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> then </table> | pipes | and `ticks` & **stars**"


def make_card(depth: str = "quick", scores: dict[str, float] | None = None, misconceptions: tuple[str, ...] = (),
              question: str = QUESTION, rubric: Rubric | None = None) -> ScoreCard:
    """A card of `rubric` (else the bank's `question`) whose concept scores are given (default 0.5);
    statuses follow the score like the scorer's."""
    rubric = rubric or find(question)
    concepts = []
    for concept_id, weight in rubric.depth(depth).concepts:
        concept = rubric.concept(concept_id)
        score = (scores or {}).get(concept_id, 0.5)
        status = "covered" if score >= 0.8 else "partial" if score >= 0.4 else "missing"
        concepts.append(ConceptResult(concept_id, concept.name, weight, status, score, 0.5 + score / 4,
                                      f"evidence for {concept_id}" if score >= 0.4 else None, concept.description))
    hits = [MisconceptionHit(m.id, m.description, m.correction, m.penalty, 0.7, f"said {m.id}")
            for m in rubric.misconceptions if m.id in misconceptions]
    total = sum(c.weight for c in concepts)
    overall = max(0.0, 100 * sum(c.weight * c.score for c in concepts) / total - sum(h.penalty for h in hits))
    return ScoreCard(rubric.id, depth, round(overall, 1), concepts, hits, "all-MiniLM-L6-v2")


def make_attempt(day: int = 0, depth: str = "quick", scores: dict[str, float] | None = None,
                 misconceptions: tuple[str, ...] = (), answer: str = "an answer", seconds: float | None = 60.0,
                 source: str = "learner", rubric: Rubric | None = None, candidate: str | None = None) -> Attempt:
    return attempt_from_card(make_card(depth, scores, misconceptions, rubric=rubric), answer, source=source, seconds=seconds,
                             when=START + timedelta(days=day),
                             grade=None if candidate is None else
                             {"candidate": candidate, "note": None, "machine_score": 50.0, "machine": {}})


def progress_attempts(rubric: Rubric | None = None) -> list[Attempt]:
    """Five quick attempts getting better, one detailed attempt, a misconception twice, a hostile answer last
    (of `rubric`, else the shipped one: concepts shared_mechanism, driver and one_vs_many at quick and detailed)."""
    rubric = rubric or find(QUESTION)
    mistake = (rubric.misconceptions[0].id,)
    rows = [
        make_attempt(rubric=rubric, day=0, scores={"shared_mechanism": 0.2, "driver": 0.3, "one_vs_many": 0.1},
                     misconceptions=mistake, answer="they are threads?"),
        make_attempt(rubric=rubric, day=1, scores={"shared_mechanism": 0.5, "driver": 0.6, "one_vs_many": 0.2},
                     misconceptions=mistake),
        make_attempt(rubric=rubric, day=2, scores={"shared_mechanism": 0.8, "driver": 0.9, "one_vs_many": 0.3}),
        make_attempt(rubric=rubric, day=3, depth="detailed"),
        make_attempt(rubric=rubric, day=4, scores={"shared_mechanism": 0.9, "driver": 1.0, "one_vs_many": 0.5}),
        make_attempt(rubric=rubric, day=5, scores={"shared_mechanism": 1.0, "driver": 1.0, "one_vs_many": 0.6}, answer=HOSTILE),
    ]
    return rows
