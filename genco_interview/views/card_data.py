"""A score card as data: the JSON and JSON Lines views of `genco score` and batch scoring.

Apart from the terminal views so that JSON output imports no rich.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..card import ScoreCard
from ..output import dumps
from ..rubric import Rubric


def card_to_dict(card: ScoreCard, answer_id: str | None = None, attempt: int | None = None,
                 rubric: Rubric | None = None) -> dict[str, Any]:
    """The stable JSON shape of a score card (documented in docs/commands.md): the card's own
    `to_dict`, with the batch row's id first, then the `band` the rubric gives its score (its label and
    meaning, as the text card's header shows it; left out without a rubric), the number of the attempt it
    was kept as in the history (`attempt`, None when it was not kept: `--no-save`, or nothing to score)
    and the genco version last, so a tool can find the attempt again (`genco show N`)."""
    data: dict[str, Any] = {"id": answer_id} if answer_id is not None else {}
    return {**data, **card.to_dict(), **band_field(card.score, rubric), "attempt": attempt,
            "genco_version": __version__}


def band_field(score: float, rubric: Rubric | None, kept_label: str | None = None) -> dict[str, Any]:
    """`{"band": {"label", "meaning"}}`: the rubric's band of `score` (0-100), as the text card's header names
    it; without a rubric (a kept attempt whose question left the bank), `{"band": {"label": kept_label}}` from
    the grade that kept it, or nothing when none did."""
    if rubric is not None:
        band = rubric.band(score)
        return {"band": {"label": band.label, "meaning": band.meaning}}
    return {"band": {"label": kept_label}} if kept_label else {}


def card_json(card: ScoreCard, rubric: Rubric | None = None, attempt: int | None = None) -> str:
    """A card as one indented JSON object (`genco score --format json`)."""
    return dumps(card_to_dict(card, attempt=attempt, rubric=rubric), indent=2)


def card_jsonl(card: ScoreCard, rubric: Rubric | None = None, attempt: int | None = None) -> str:
    """A card as one JSON line (`--format jsonl`)."""
    return dumps(card_to_dict(card, attempt=attempt, rubric=rubric))
