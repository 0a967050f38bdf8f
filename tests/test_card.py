"""The score card as plain data: one public shape, read back unchanged, and statuses as plain names."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from genco_interview.card import ConceptResult, MisconceptionHit, ScoreCard, Status

from conftest import ROOT


def small_card() -> ScoreCard:
    """A card of a made-up two-concept rubric (no shipped rubric's content)."""
    return ScoreCard(
        question="toy", depth="quick", score=62.5, model="m",
        concepts=[ConceptResult(id="a", name="A", weight=2.0, status=Status.COVERED, score=0.9, similarity=0.8123,
                                evidence="A is so.", description="A holds.", confidence=0.7),
                  ConceptResult(id="b", name="B", weight=1.0, status=Status.MISSING, score=0.0, similarity=0.2,
                                evidence=None, description="B holds.")],
        misconceptions=[MisconceptionHit(id="x", description="Thinks X.", correction="Not X.", penalty=10.0,
                                         similarity=0.7, evidence="X is so.")],
        notes=["a note"], confidence=0.4, uncertain=True,
    )


def test_to_dict_is_json_and_from_dict_reads_it_back() -> None:
    card = small_card()
    data = json.loads(json.dumps(card.to_dict()))
    assert data["concepts"][0]["status"] == "covered" and data["concepts"][0]["similarity"] == 0.812
    again = ScoreCard.from_dict(data)
    assert again.to_dict() == card.to_dict()
    assert again.concepts[1].status is Status.MISSING and again.uncertain


def test_the_json_says_why_a_card_is_uncertain_and_nothing_when_it_is_not() -> None:
    """A tool reading the JSON gets the reason the text card prints under its note."""
    from genco_interview.card import NOT_ENGLISH_NOTE, NOT_ENGLISH_WHY, UNCERTAIN_NOTE, UNCERTAIN_WHY

    assert small_card().to_dict()["uncertain_why"] == UNCERTAIN_WHY
    foreign = replace(small_card(), notes=[NOT_ENGLISH_NOTE, UNCERTAIN_NOTE])
    assert foreign.to_dict()["uncertain_why"] == NOT_ENGLISH_WHY
    assert replace(small_card(), uncertain=False, notes=[]).to_dict()["uncertain_why"] is None


@pytest.mark.parametrize("why", ["LIST_WHY", "RETRACTED_WHY", "CUT_WHY", "REVERSED_WHY"])
def test_a_card_uncertain_for_a_reason_its_notes_give_says_that_reason(why: str) -> None:
    """A code-only answer with every concept missing scored 55 "because the scorer's signals disagree"."""
    from genco_interview import card as cards
    from genco_interview.views.terminal import uncertain_why

    note = {"LIST_WHY": cards.LIST_NOTE, "RETRACTED_WHY": f"{cards.RETRACTION_NOTE} (\u201cAll wrong.\u201d).",
            "CUT_WHY": f"The answer has 20,001 characters; only the first 20,000 {cards.PART_SCORED}",
            "REVERSED_WHY": f"{cards.REVERSED_NOTE} generator/coroutine exchanged."}[why]
    card = replace(small_card(), notes=[note, cards.UNCERTAIN_NOTE])
    assert card.uncertain_why == getattr(cards, why) != cards.UNCERTAIN_WHY
    assert uncertain_why(card, advice=True).startswith(getattr(cards, why) + "; practising alone, ")


def test_a_status_is_its_plain_name() -> None:
    assert Status.PARTIAL == "partial" and f"{Status.CONTRADICTED}" == "contradicted"
    assert json.dumps([Status.COVERED]) == '["covered"]'
    with pytest.raises(ValueError):
        Status("covred")


def test_the_card_module_imports_nothing_heavy() -> None:
    code = "import sys, genco_interview.card; print(sorted({'numpy', 'rich', 'click', 'yaml'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_an_uncertain_text_card_tells_a_learner_alone_what_to_do() -> None:
    from rich.console import Console

    from genco_interview.card import UNCERTAIN_NOTE, UNCERTAIN_WHY
    from genco_interview.views.terminal import COMPARE, render_card

    def printed(notes: list[str]) -> str:
        console = Console(record=True, width=200, color_system=None)
        render_card(console, replace(small_card(), notes=notes), None)
        return console.export_text()

    hint = f"{UNCERTAIN_WHY}; practising alone, {COMPARE}"
    assert hint in printed([UNCERTAIN_NOTE])
    assert hint not in printed(["a note"])


def test_an_uncertain_card_of_an_answer_not_in_english_says_that_is_why() -> None:
    """Not "the signals disagree": the model read text it cannot read, whatever its signals say."""
    from rich.console import Console

    from genco_interview.card import UNCERTAIN_NOTE
    from genco_interview.scoring.scorer import NOT_ENGLISH_NOTE  # the note the scorer writes
    from genco_interview.views.terminal import render_card

    card = replace(small_card(), notes=[NOT_ENGLISH_NOTE, UNCERTAIN_NOTE])
    again = ScoreCard.from_dict(json.loads(json.dumps(card.to_dict())))  # as the history keeps it
    for shown in (card, again):
        console = Console(record=True, width=200, color_system=None)
        render_card(console, shown, None)
        printed = " ".join(console.export_text().split())
        assert "uncertain: have a person check this answer does not read as English" in printed, printed
        assert "disagree" not in printed
    assert not card.reads_as_english and small_card().reads_as_english


def test_a_note_the_uncertain_why_says_again_is_printed_once() -> None:
    """A code answer's card said "mostly terms ... may be far off" as a note, then again as why it is uncertain."""
    from rich.console import Console

    from genco_interview.card import LIST_NOTE, LIST_WHY, UNCERTAIN_NOTE
    from genco_interview.views.terminal import render_card

    def printed(card: ScoreCard) -> str:
        console = Console(record=True, width=300, color_system=None)
        render_card(console, card, None)
        return console.export_text()

    doubted = printed(replace(small_card(), notes=[LIST_NOTE, UNCERTAIN_NOTE]))
    assert LIST_WHY in doubted and LIST_NOTE not in doubted and doubted.count("mostly terms") == 1
    assert LIST_NOTE in printed(replace(small_card(), notes=[LIST_NOTE]))  # nothing else says it then


def test_a_credited_concept_with_no_sentence_to_quote_says_where_its_credit_came_from() -> None:
    """A partial mark beside a bare dash read as a fault of the card; a missing one keeps the dash."""
    from rich.console import Console

    from genco_interview.views.terminal import render_card

    card = small_card()
    unquoted = replace(card.concepts[0], status=Status.PARTIAL, score=0.45, evidence=None)
    console = Console(record=True, width=200, color_system=None)
    render_card(console, replace(card, concepts=[unquoted, card.concepts[1]]), None)
    rows: dict[str, str] = {}
    for line in console.export_text().splitlines():  # the table's rows, not the "What to add" bullets below them
        if line.split()[1:2] in (["A"], ["B"]):
            rows.setdefault(line.split()[1], line)
    assert "from the answer's words; no sentence states it plainly" in rows["A"]
    assert "across the answer" not in rows["B"] and "—" in rows["B"]


def test_a_middling_card_with_every_concept_covered_still_says_what_would_lift_it() -> None:
    """All marks green at 56/100 left a learner with nothing to act on."""
    from rich.console import Console

    from genco_interview.card import FULLER_HINT
    from genco_interview.views.terminal import render_card

    card = small_card()
    covered = replace(card, concepts=[card.concepts[0], replace(card.concepts[1], status=Status.COVERED, score=0.6)],
                      misconceptions=[], score=56.0)

    def printed(shown: ScoreCard) -> str:
        console = Console(record=True, width=300, color_system=None)
        render_card(console, shown, None)
        return " ".join(console.export_text().split())

    assert FULLER_HINT in printed(covered)
    assert FULLER_HINT not in printed(replace(covered, score=85.0))  # a good score needs no advice
    assert FULLER_HINT not in printed(replace(covered, concepts=card.concepts))  # the missing concept is the advice


def test_a_long_sentence_is_quoted_whole_and_a_run_on_one_clipped() -> None:
    """Clipped at 140 characters, the words that earned a concept were often past the cut."""
    from rich.console import Console

    from genco_interview.views.terminal import render_card

    long = "A " + "very " * 40 + "long sentence that ends on the words that earned it."
    run_on = "B " + "and so on " * 40 + "TAIL."
    card = small_card()
    concepts = [replace(card.concepts[0], evidence=long), replace(card.concepts[1], status=Status.PARTIAL, evidence=run_on)]
    console = Console(record=True, width=200, color_system=None)
    render_card(console, replace(card, concepts=concepts), None)
    printed = " ".join(console.export_text().split())
    assert "the words that earned it.”" in printed and len(long) > 200
    assert "TAIL" not in printed and "…”" in printed


def test_a_long_word_in_a_concept_or_its_evidence_wraps_and_is_never_cut() -> None:
    """"multiprocessing/ProcessPoolExecutor" in a sentence quoted at 80 columns was cut to "…PoolExec…"."""
    from rich.console import Console

    from genco_interview.views.terminal import render_card

    long_word = "multiprocessing/ProcessPoolExecutor" * 2
    card = small_card()
    shown = replace(card, concepts=[replace(card.concepts[0], name=f"Use {long_word}", evidence=f"Use {long_word} here.")])
    console = Console(record=True, width=80, color_system=None)
    render_card(console, shown, None)
    printed = console.export_text()
    assert "…" not in printed and "here.”" in printed, printed  # the quote's end is there
    url = "https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor"
    corrected = replace(card, misconceptions=[replace(card.misconceptions[0], correction=f"See {url}.")])
    console = Console(record=True, width=40, color_system=None)
    render_card(console, corrected, None)
    assert url in "".join(line.strip() for line in console.export_text().split("in fact:")[1].splitlines())
    assert "cessPoolExecutor\n" in "\n".join(line.split("90%")[0].rstrip() for line in printed.splitlines()), printed
