"""Where in the answer, as typed, each concept's evidence and each misconception's words are.

The scorer names its evidence as the text of a sentence or clause of the answer, with its
spacing possibly normalised; this finds that text in the answer (exactly, else with any run of
whitespace matching any other, ignoring case) and cuts the answer into pieces, each with the
marks that cover it, so a page can highlight the evidence in place. Pure: no web imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..card import ScoreCard, Status


@dataclass(frozen=True)
class Mark:
    """Why a piece of the answer is highlighted: a concept it earned, or a misconception it states."""

    number: int
    """1-based position of the concept (or misconception) in the card, shown beside the text."""
    name: str
    kind: str
    """A concept's status ("covered", "partial") or "misconception"."""
    credit: float | None
    """0-1: the concept's credit on the card (what the CLI shows as a percentage); None for a misconception."""

    @property
    def label(self) -> str:
        """What the highlight's tooltip says, e.g. "Who drives it: covered, 77%" or "Threads: misconception"."""
        return f"{self.name.rstrip('.')}: {self.kind}" + ("" if self.credit is None else f", {round(self.credit * 100)}%")


@dataclass
class Piece:
    text: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The strongest claim on the piece, for its style: a misconception, else covered, else partial."""
        kinds = {m.kind for m in self.marks}
        return next((k for k in ("misconception", "covered", "partial") if k in kinds), "")


def locate(answer: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of `quote` in `answer`, exact or with whitespace and case loosened; None if absent."""
    quote = quote.strip()
    if not quote:
        return None
    start = answer.find(quote)
    if start >= 0:
        return start, start + len(quote)
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    found = re.search(pattern, answer, re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def pieces(answer: str, card: ScoreCard) -> list[Piece]:
    """The answer cut at every edge of located evidence; concatenating the pieces' text gives the answer back.
    Missing and contradicted concepts earned nothing, so they are not highlighted."""
    spans: list[tuple[int, int, Mark]] = []
    for number, concept in enumerate(card.concepts, 1):
        if concept.evidence and concept.status in (Status.COVERED, Status.PARTIAL):
            where = locate(answer, concept.evidence)
            if where:
                spans.append((*where, Mark(number, concept.name, str(concept.status), concept.score)))
    for number, hit in enumerate(card.misconceptions, 1):
        where = locate(answer, hit.evidence)
        if where:
            spans.append((*where, Mark(number, hit.description, "misconception", None)))
    edges = sorted({0, len(answer), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    return [Piece(answer[a:b], [m for s, e, m in spans if s <= a and b <= e]) for a, b in zip(edges, edges[1:])]
