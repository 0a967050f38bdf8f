"""What to practise next: spaced repetition over concepts, with FSRS (the `fsrs` package).

Each (question, concept) pair is a flashcard. Every stored attempt that asked a concept is a
review of its card, rated from the concept's result: contradicted or missing -> Again,
partial -> Hard, covered -> Good, covered at full marks -> Easy; an attempt whose card names a
misconception rates none of its concepts above Hard. The cards are rebuilt by
replaying history in time order, so nothing extra is stored and an imported or deleted attempt
changes the schedule at once. Fuzzing is off so the same history always gives the same plan.

The suggestion: the earliest-due card decides the question (overdue reviews first, a concept
just failed among them, then concepts never seen, preferring questions already practised, shallower depths, the
least stable card (the one failed before the one nearly learnt), then the bank's order, so an empty history starts where `genco practice` does: the bank's first question at its
first depth); the depth
is the shallowest one that asks that concept; the focus is up to three of that depth's concepts,
the most overdue first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ..card import Status
from ..rubric import Rubric
from .attempt import Attempt

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

FOCUS = 3
REPLAY = 100
"""Reviews replayed per concept: the latest ones. FSRS's state is driven by recent reviews (a
lapse resets stability), and the cap keeps `genco next` fast after thousands of attempts."""
DUE_SOON = timedelta(minutes=10)
"""A concept whose latest result failed, due within this long, counts as due now. FSRS brings a
failed concept back after a learning step of minutes; without this, every concept never seen (due
now) would come first, so `genco next` right after a failed answer would send the learner a depth
further instead of back. A concept just covered is in a learning step of minutes too, but it is not
due now: going back to it at once would send the learner to what they just got right."""
EASY_SCORE = 0.95
"""A covered concept at or above this score is rated Easy: stated fully, not just recognisably."""
DESIRED_RETENTION = 0.9
"""The recall FSRS schedules each concept's next review at (its Scheduler's default): a concept due while its
recall is still above it is due for a learning step or after a miss, not because it is being forgotten."""


@dataclass
class Focus:
    id: str
    name: str
    due: datetime
    retrievability: float | None
    """FSRS's estimate that the concept would be recalled now (None: never practised)."""


@dataclass
class Suggestion:
    question: str
    title: str
    depth: str
    focus: list[Focus]
    now: datetime

    @property
    def due_now(self) -> bool:
        return any(f.due <= self.now for f in self.focus)


def rating(status: str, score: float, misled: bool = False) -> Rating:
    """FSRS's rating of one concept's result. An attempt that states a misconception (`misled`: its card
    names one) rates none of its concepts above Hard: the learner holds a wrong belief about the
    question, so it comes back soon, whatever else the answer got right."""
    from fsrs import Rating

    if status in (Status.MISSING, Status.CONTRADICTED):
        return Rating.Again
    if status == Status.PARTIAL or misled:
        return Rating.Hard
    return Rating.Easy if score >= EASY_SCORE else Rating.Good


def _scheduler() -> Scheduler:
    from fsrs import Scheduler

    return Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=False)


Reviews = dict[tuple[str, str], list[tuple[str, str, float, bool]]]
"""Per (question, concept): its results, oldest first, as (time, status, score, whether the attempt's
card names a misconception)."""


def concept_reviews(attempts: Iterable[Attempt]) -> Reviews:
    """Every result of each (question, concept) in the attempts, oldest first."""
    reviews: Reviews = {}
    for attempt in sorted(attempts, key=lambda a: a.created_at):
        for concept in attempt.concepts:
            reviews.setdefault((attempt.question, concept["id"]), []).append(
                (attempt.created_at, concept["status"], concept["score"], bool(attempt.misconceptions)))
    return reviews


def concept_cards(attempts: Iterable[Attempt]) -> dict[tuple[str, str], Card]:
    """Replay each concept's latest REPLAY results, oldest first, into one FSRS card per (question, concept)."""
    return _cards(concept_reviews(attempts))


def _cards(reviews: Reviews) -> dict[tuple[str, str], Card]:
    from fsrs import Card

    scheduler = _scheduler()
    cards: dict[tuple[str, str], Card] = {}
    for number, (key, results) in enumerate(reviews.items(), start=1):
        card = Card(card_id=number, due=datetime.fromisoformat(results[-REPLAY:][0][0]))
        for stamp, status, score, misled in results[-REPLAY:]:
            card, _ = scheduler.review_card(card, rating(status, score, misled), datetime.fromisoformat(stamp))
        cards[key] = card
    return cards


def just_failed(reviews: Reviews) -> set[tuple[str, str]]:
    """The (question, concept) pairs whose latest result was rated Again (missing or contradicted)."""
    from fsrs import Rating

    return {key for key, results in reviews.items() if rating(*results[-1][1:]) == Rating.Again}


def _first_depth(rubric: Rubric, concept_id: str) -> int:
    return next(i for i, d in enumerate(rubric.depths) if concept_id in dict(d.concepts))


def suggest(attempts: Sequence[Attempt], rubrics: Sequence[Rubric], now: datetime | None = None) -> Suggestion | None:
    """The next question, depth and concepts to practise; None when there are no rubrics at all."""
    ranked = suggest_many(attempts, rubrics, 1, now)
    return ranked[0] if ranked else None


def suggest_many(attempts: Sequence[Attempt], rubrics: Sequence[Rubric], count: int,
                 now: datetime | None = None) -> list[Suggestion]:
    """Up to `count` suggestions for different questions, most due first (what a mock interview asks);
    the first is what `suggest` gives. Ties go to the question earlier in `rubrics` (the bank's order).
    Empty when there are no rubrics at all."""
    now = now or datetime.now(UTC)
    reviews = concept_reviews(attempts)
    cards = _cards(reviews)
    failed = just_failed(reviews)
    practised = {a.question for a in attempts}
    scheduler = _scheduler()
    ranked = []
    for position, rubric in enumerate(rubrics):
        for concept in rubric.concepts:
            if not any(concept.id in dict(d.concepts) for d in rubric.depths):
                continue
            card = cards.get((rubric.id, concept.id))
            due = card.due if card else now
            if due <= now + DUE_SOON and (rubric.id, concept.id) in failed:  # before any new concept
                due = min(due, now)
            recall = scheduler.get_card_retrievability(card, now) if card else None
            # Concepts due together (a partial one in its learning steps, one just failed) go weakest
            # first: just reviewed, both recall at 100 %, and FSRS's stability tells them apart.
            stability = card.stability if card is not None and card.stability is not None else 0.0
            key = (due, rubric.id not in practised, _first_depth(rubric, concept.id), recall or 0.0, stability,
                   position, concept.id)
            ranked.append((key, rubric, Focus(concept.id, concept.name, due, recall)))
    ranked.sort(key=lambda item: item[0])
    chosen: list[Suggestion] = []
    for _, rubric, first in ranked:
        if len(chosen) == count:
            break
        if any(s.question == rubric.id for s in chosen):
            continue
        depth = rubric.depths[_first_depth(rubric, first.id)]
        asked = dict(depth.concepts)
        focus = [f for _, r, f in ranked if r is rubric and f.id in asked][:FOCUS]
        chosen.append(Suggestion(question=rubric.id, title=rubric.title, depth=depth.name, focus=focus, now=now))
    return chosen
