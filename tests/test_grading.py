"""Overrides and follow-up selection: pure logic on hand-made score cards (no model)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from genco_interview.card import UNCERTAIN_WHY, ConceptResult, MisconceptionHit, ScoreCard
from genco_interview.interview.grading import OverrideError, follow_ups_for, grade, parse_overrides
from genco_interview.scoring.combination import shipped_combination

from rubric_helpers import TINY_CONCEPTS, TINY_ID, tiny_rubric

IDS = dict(zip(TINY_CONCEPTS, ["Both are steeped", "Who drives the brew", "One cup or many"], strict=True))


def card(statuses: dict[str, tuple[str, float]], penalty: float = 0) -> ScoreCard:
    concepts = [ConceptResult(id=cid, name=cid, weight=2, status=status, score=score, similarity=0.7,
                              evidence=None, description="") for cid, (status, score) in statuses.items()]
    hits = [MisconceptionHit("same_drink", "same", "no", penalty, 0.8, "they are threads")] if penalty else []
    return ScoreCard(question=TINY_ID, depth="quick", score=0, concepts=concepts,
                     misconceptions=hits, model="fake")


@pytest.mark.parametrize(
    ("specs", "expected"),
    [([], {}), (["driver=covered"], {"driver": "covered"}), ([" driver = partial ", "one_vs_many=missing"],
                                                             {"driver": "partial", "one_vs_many": "missing"}),
     (["driver=covered", "driver=covered"], {"driver": "covered"}), (["driver=COVERED"], {"driver": "covered"}),
     (["Driver=covered", "ONE_VS_MANY=partial"], {"driver": "covered", "one_vs_many": "partial"}),
     (["who  drives\tthe BREW=missing"], {"driver": "missing"})],  # spaced out, the error showed the valid name
)
def test_parse_overrides(specs: list[str], expected: dict[str, str]) -> None:
    assert parse_overrides(specs, IDS) == expected


@pytest.mark.parametrize(
    ("spec", "words"),
    [("driver", "CONCEPT=STATUS"), ("=covered", "CONCEPT=STATUS"), ("nope=covered", "unknown concept 'nope'"),
     ("driver=great", "unknown status 'great'; valid: covered, partial, missing")],
)
def test_bad_override_is_one_clear_line(spec: str, words: str) -> None:
    with pytest.raises(OverrideError, match=words.replace("(", r"\(")) as info:
        parse_overrides([spec], IDS)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("given", ["Who drives the brew", "who DRIVES the brew", " Who drives the brew "])
def test_an_override_may_name_the_concept_by_its_display_name(given: str) -> None:
    assert parse_overrides([f"{given}=covered"], IDS) == {"driver": "covered"}


def test_an_unknown_concept_lists_ids_with_their_names() -> None:
    with pytest.raises(OverrideError, match=r"valid: shared_mechanism \(Both are steeped\), driver \(Who drives"):
        parse_overrides(["drives=covered"], IDS)


def test_conflicting_overrides_are_refused() -> None:
    with pytest.raises(OverrideError, match="both covered and missing"):
        parse_overrides(["driver=covered", "driver=missing"], IDS)


def test_overrides_recompute_the_score_and_keep_the_machine_marks() -> None:
    rubric = tiny_rubric()
    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("partial", 0.4)},
                   penalty=12)
    machine.score = 34.7  # (1 + 0 + 0.4) / 3 * 100 - 12
    plain = grade(rubric, machine, "answer")
    assert plain.score == 34.7 and plain.band.label == "weak"
    overridden = grade(rubric, machine, "answer", {"driver": "covered", "one_vs_many": "partial"})
    change = ((1.0 - 0.0) + (0.5 - 0.4)) / 3  # weighted concept share the overrides add
    assert overridden.score == pytest.approx(round(34.7 + shipped_combination().points_per_credit * change, 1))
    assert overridden.score > plain.score
    assert overridden.card.score == 34.7
    marks = {m.machine.id: m for m in overridden.marks}
    assert marks["driver"].machine.status == "missing" and marks["driver"].final.status == "covered"
    assert marks["shared_mechanism"].override is None


def test_every_concept_overridden_scores_the_marks_alone_whatever_the_wording() -> None:
    rubric = tiny_rubric()
    marks = {"shared_mechanism": "covered", "driver": "missing", "one_vs_many": "partial"}
    scores = set()
    for machine_score in (100.0, 3.0):
        machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("covered", 1.0), "one_vs_many": ("missing", 0.0)})
        machine.score = machine_score
        scores.add(grade(rubric, machine, "answer", marks).score)
    assert scores == {round(100 * (1.0 + 0.0 + 0.5) / 3, 1)}
    every_missing = dict.fromkeys(marks, "missing")
    assert grade(rubric, machine, "answer", every_missing).score == 0.0


def test_a_red_flag_that_stands_costs_the_interviewers_marks_too_and_a_lower_mark_never_raises_the_score() -> None:
    """With every concept marked, a flag cost nothing: marking the last concept missing raised 52 to 66.7."""
    rubric = tiny_rubric()
    machine = replace(card({cid: ("covered", 1.0) for cid in TINY_CONCEPTS}, penalty=10), score=60.0,
                      misconception_cost=20.0)
    two = {"shared_mechanism": "covered", "driver": "covered"}
    scores = [grade(rubric, machine, "answer", {**two, **extra}).score
              for extra in ({}, {"one_vs_many": "covered"}, {"one_vs_many": "partial"}, {"one_vs_many": "missing"})]
    assert scores[1:] == [80.0, round(100 * 2.5 / 3 - 20, 1), round(100 * 2 / 3 - 20, 1)]
    assert scores[1] > scores[2] > scores[3]
    everything = {**two, "one_vs_many": "covered"}
    assert grade(rubric, machine, "answer", everything, dismiss_red_flags=True).score == 100.0
    from genco_interview.interview.grading import red_flags_cost

    costly = replace(machine, misconception_cost=40.0)  # more than one covered concept of three holds
    marked = grade(rubric, costly, "answer", {"shared_mechanism": "covered", "driver": "missing", "one_vs_many": "missing"})
    assert marked.score == 0.0 and "take 33.3 off the score of your marks" in red_flags_cost(marked)


def test_follow_ups_target_what_was_missed_this_depth_first() -> None:
    rubric = tiny_rubric()
    chosen = follow_ups_for(rubric, "quick", ["driver"])
    assert chosen and all("driver" in f.concepts for f in chosen)
    assert chosen[0] in rubric.depth("quick").follow_ups
    assert follow_ups_for(rubric, "quick", []) == []


def test_a_concept_covered_with_little_confidence_is_worth_a_follow_up_until_the_interviewer_marks_it() -> None:
    """Every concept covered, one near the covered cut: its band said to probe with the follow-ups, and none was listed."""
    rubric = tiny_rubric()
    machine = card({cid: ("covered", 0.9) for cid in TINY_CONCEPTS})
    assert grade(rubric, machine, "answer").follow_ups == []
    unsure = replace(machine, concepts=[replace(c, confidence=0.3) if c.id == "driver" else c for c in machine.concepts])
    probes = grade(rubric, unsure, "answer").follow_ups
    assert probes and all("driver" in f.concepts for f in probes)
    assert grade(rubric, unsure, "answer", {"driver": "covered"}).follow_ups == []  # the interviewer heard it
    missed = replace(unsure, concepts=[replace(c, status="missing", score=0.0) if c.id == "one_vs_many" else c
                                       for c in unsure.concepts])
    assert "one_vs_many" in grade(rubric, missed, "answer").follow_ups[0].concepts  # what was missed comes first


def test_a_scorecard_suggests_a_few_follow_ups_this_depths_first() -> None:
    """Nine probes from every depth were suggested for a detailed answer that missed most concepts."""
    from genco_interview.interview.grading import MAX_FOLLOW_UPS
    from genco_interview.rubric import find

    rubric = find("coroutine-vs-generator")
    every = [concept for d in rubric.depths for concept, _ in d.concepts]
    chosen = follow_ups_for(rubric, "detailed", every)
    own, probed = [], set()
    for follow_up in rubric.depth("detailed").follow_ups:  # one probe a concept: two of misuse took two places of four
        if set(follow_up.concepts) - probed:
            own.append(follow_up)
            probed |= set(follow_up.concepts)
    assert len(own) < len(rubric.depth("detailed").follow_ups)
    assert len(chosen) == MAX_FOLLOW_UPS < len({f.ask for d in rubric.depths for f in d.follow_ups})
    assert chosen[: len(own)] == own[:MAX_FOLLOW_UPS]


def test_grade_json_shape() -> None:
    rubric = tiny_rubric()
    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("covered", 1.0)})
    data = grade(rubric, machine, "the answer", {"driver": "partial"}, candidate="Ann", note="n").to_dict()
    assert set(data) == {"kind", "candidate", "question", "depth", "score", "machine_score", "confidence", "uncertain",
                         "uncertain_why", "band", "concepts", "misconceptions", "misconception_cost", "red_flags_dismissed", "follow_ups",
                         "note", "answer", "notes", "model"}
    driver = next(c for c in data["concepts"] if c["id"] == "driver")
    assert driver["machine"]["status"] == "missing" and driver["override"] == "partial" and driver["status"] == "partial"
    assert driver["score"] == 0.5


def test_grade_json_carries_the_score_jsons_confidence() -> None:
    """The interviewer's JSON says how sure the machine was, in the same fields as `genco score --format json`."""
    from genco_interview.views.card_data import card_to_dict

    rubric = tiny_rubric()
    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("partial", 0.5)})
    machine.confidence, machine.uncertain = 0.31, True
    for concept, sure in zip(machine.concepts, (0.9, 0.2, 0.55)):
        concept.confidence = sure
    scored = card_to_dict(machine)
    graded = grade(rubric, machine, "the answer", {"driver": "covered"}).to_dict()
    fields = ("confidence", "uncertain", "uncertain_why")
    assert [graded[k] for k in fields] == [scored[k] for k in fields] == [0.31, True, UNCERTAIN_WHY]
    for mark, concept in zip(graded["concepts"], scored["concepts"]):
        assert mark["id"] == concept["id"]
        assert mark["machine"] == {k: concept[k] for k in ("status", "score", "confidence", "evidence", "similarity")}


def test_markdown_notes_stay_apart_from_each_other_and_from_the_concept_table() -> None:
    """A Markdown reader joins a table written right under a quote to the quote, and two quoted lines into one."""
    from markdown_it import MarkdownIt

    from genco_interview.views.scorecard import grade_markdown

    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("partial", 0.4)})
    machine.notes = ["uncertain: have a person check", "The answer is short."]
    page = MarkdownIt("commonmark").enable("table").render(grade_markdown(grade(tiny_rubric(), machine, "answer"), tiny_rubric()))
    assert ("<blockquote>\n<p>note: uncertain: have a person check (the scorer's signals disagree, so this score "
            "may be off by a grade or more)</p>\n</blockquote>") in page
    assert "<blockquote>\n<p>note: The answer is short.</p>\n</blockquote>" in page
    assert page.count("<table>") == 1
    assert "<td>shared_mechanism (<code>shared_mechanism</code>)</td>" in page
    noted = grade_markdown(grade(tiny_rubric(), machine, "answer", note="said both pause\nsecond line"), tiny_rubric())
    assert "<p>said both pause</p>\n<p>second line</p>" in MarkdownIt("commonmark").render(noted)  # each --note a line


def test_once_a_concept_is_marked_the_notes_are_said_to_be_the_machines_and_a_mark_shows_its_credit() -> None:
    """"No concept is stated clearly enough to mark" under the interviewer's own "partial" read as denying it; and a
    bare "missing" beside the machine's "missing 19%" hid why agreeing with the machine took points off."""
    from genco_interview.views.scorecard import grade_markdown

    machine = card({"shared_mechanism": ("missing", 0.19), "driver": ("missing", 0.36), "one_vs_many": ("missing", 0.1)})
    machine.notes = ["No concept is stated clearly enough to mark."]
    plain = grade_markdown(grade(tiny_rubric(), machine, "answer"), tiny_rubric())
    marked = grade_markdown(grade(tiny_rubric(), machine, "answer", {"shared_mechanism": "missing", "driver": "partial"}),
                            tiny_rubric())
    assert "> note: No concept" in plain and "> machine's note: No concept" in marked
    assert "| missing 19% | missing 0% |" in marked and "| missing 36% | partial 50% |" in marked
    assert "| missing 10% | — |" in marked


def test_a_candidate_name_is_kept_on_one_line() -> None:
    """It heads reports and scorecards: a line break or a control character in it would break them."""
    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("partial", 0.4)})
    assert grade(tiny_rubric(), machine, "answer", candidate=" Ada\nL.\x1b[31m ").candidate == "Ada L."
    assert grade(tiny_rubric(), machine, "answer", candidate=" \n ").candidate is None
    # invisible characters name nobody (the web form took "\u200b" as a candidate no list can show)
    assert grade(tiny_rubric(), machine, "answer", candidate="\u200b").candidate is None
    assert grade(tiny_rubric(), machine, "answer", candidate="Ada\u2060 Love\u200blace").candidate == "Ada Lovelace"


def flagged(score: float, cost: float, named: bool = True) -> ScoreCard:
    """A machine card whose red flags took `cost` points (named on the card, or near ties it does not name)."""
    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("partial", 0.4)},
                   penalty=12 if named else 0)
    machine.score, machine.misconception_cost = score, cost
    return machine


def test_dismissed_red_flags_give_back_what_they_took_and_the_kept_card_has_none() -> None:
    rubric = tiny_rubric()
    dismissed = grade(rubric, flagged(41.0, 18.5), "answer", dismiss_red_flags=True)
    assert dismissed.score == 59.5 and dismissed.red_flags_dismissed
    assert dismissed.card.score == 41.0 and dismissed.card.misconceptions  # the machine's side is kept as it was
    assert dismissed.final_card.misconceptions == [] and dismissed.final_card.misconception_cost == 0.0
    assert dismissed.kept()["red_flags_dismissed"] == {
        "points": 18.5, "flags": [{"id": "same_drink", "description": "same", "evidence": "they are threads"}]}
    assert dismissed.to_dict()["red_flags_dismissed"] is True
    assert "red_flags_dismissed" not in grade(rubric, flagged(41.0, 18.5), "answer").kept()
    assert grade(rubric, flagged(95.0, 18.5), "answer", dismiss_red_flags=True).score == 100.0  # never past the top


def test_dismissed_red_flags_then_overrides_move_the_score_from_the_unflagged_one() -> None:
    rubric = tiny_rubric()
    both = grade(rubric, flagged(41.0, 18.5), "answer", {"driver": "covered"}, dismiss_red_flags=True)
    only_override = grade(rubric, flagged(41.0, 18.5), "answer", {"driver": "covered"})
    assert both.score == pytest.approx(min(only_override.score + 18.5, 100.0), abs=0.11)
    every = dict.fromkeys(("shared_mechanism", "driver", "one_vs_many"), "covered")
    assert grade(rubric, flagged(41.0, 18.5), "answer", every, dismiss_red_flags=True).score == 100.0


def test_near_ties_the_card_does_not_name_are_dismissed_too_and_nothing_to_dismiss_is_not_recorded() -> None:
    rubric = tiny_rubric()
    unnamed = grade(rubric, flagged(41.0, 6.2, named=False), "answer", dismiss_red_flags=True)
    assert unnamed.score == 47.2 and unnamed.kept()["red_flags_dismissed"] == {"points": 6.2, "flags": []}
    clean = grade(rubric, flagged(41.0, 0.0, named=False), "answer", dismiss_red_flags=True)
    assert clean.score == 41.0 and not clean.red_flags_dismissed and "red_flags_dismissed" not in clean.kept()


def test_the_scorecard_says_the_red_flags_were_dismissed_in_text_and_markdown() -> None:
    from genco_interview.interview.grading import red_flags_cost
    from genco_interview.views.scorecard import grade_markdown, machine_aside

    dismissed = grade(tiny_rubric(), flagged(41.0, 18.5), "answer", {"driver": "partial"}, dismiss_red_flags=True)
    assert machine_aside(dismissed) == "machine 41, 1 override, red flags dismissed"
    assert red_flags_cost(dismissed) == ("They took 18.5 points off the machine's score; "
                                         "you dismissed them, so the score has those points back.")
    markdown = grade_markdown(dismissed, tiny_rubric())
    assert "## Red flags heard (dismissed by you)" in markdown and "(machine 41, 1 override, red flags dismissed)" in markdown
    assert machine_aside(grade(tiny_rubric(), flagged(41.0, 18.5), "answer")) is None


def test_a_kept_dismissal_says_later_which_claim_was_let_through_and_what_it_cost() -> None:
    from genco_interview.interview.grading import dismissed_red_flags

    kept = grade(tiny_rubric(), flagged(41.0, 18.5), "answer", dismiss_red_flags=True).kept()["red_flags_dismissed"]
    assert dismissed_red_flags(kept) == [
        "The interviewer heard no misconception and dismissed the machine's red flags, giving back the 18.5 points "
        "they took:", "✗ same (said: “they are threads”)"]
    near = grade(tiny_rubric(), flagged(41.0, 6.2, named=False), "answer", dismiss_red_flags=True).kept()
    assert dismissed_red_flags(near["red_flags_dismissed"]) == [
        "The interviewer dismissed the near misconceptions that took 6.2 points off the machine's score."]


def test_an_uncertain_scorecard_says_why_without_the_learners_advice() -> None:
    from io import StringIO

    from rich.console import Console

    from genco_interview.views.scorecard import render_grade_text

    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("partial", 0.4)})
    machine.notes = ["uncertain: have a person check"]
    console = Console(file=StringIO(), width=200)
    render_grade_text(console, grade(tiny_rubric(), machine, "answer"), tiny_rubric())
    printed = console.file.getvalue()
    assert "the scorer's signals disagree, so this score may be off by a grade or more" in printed
    assert "practising alone" not in printed


def test_a_band_on_an_uncertain_score_is_said_to_wait_for_a_person() -> None:
    """"strong: ... move on to the next depth" read as settled under "uncertain: have a person check"
    (an answer that took itself back scored 98.8); once the interviewer has marked every concept, the
    score is theirs and the band stands."""
    from io import StringIO

    from rich.console import Console

    from genco_interview.views.scorecard import grade_markdown, render_grade_text

    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("covered", 1.0), "one_vs_many": ("covered", 1.0)})
    machine.uncertain, machine.notes = True, ["uncertain: have a person check"]
    doubted = grade(tiny_rubric(), machine, "answer")
    console = Console(file=StringIO(), width=200)
    render_grade_text(console, doubted, tiny_rubric())
    band = doubted.band.label
    assert f"{band} if a person confirms the score: " in console.file.getvalue()
    assert f"{band} if a person confirms the score: " in grade_markdown(doubted, tiny_rubric())
    settled = grade(tiny_rubric(), machine, "answer", dict.fromkeys(("shared_mechanism", "driver", "one_vs_many"), "covered"))
    assert settled.band_hedge == "" and "confirms" not in grade_markdown(settled, tiny_rubric())
    # the machine's doubt is still said, but no longer as a reason to doubt the interviewer's own marks
    assert "you marked every concept, so the score is your marks'" in grade_markdown(settled, tiny_rubric())
    assert "you marked every concept" not in grade_markdown(doubted, tiny_rubric())
    machine.uncertain, machine.notes = False, []
    assert grade(tiny_rubric(), machine, "answer").band_hedge == ""


def test_the_scorecard_drops_an_escape_sequence_in_the_note_whole() -> None:
    """rich drops only an escape's control characters: "--note $'see \\e]52;c;TEVBSw==\\a end'" showed
    "see 52;c;TEVBSw== end" on the scorecard (`show` and markdown already dropped it whole)."""
    from io import StringIO

    from rich.console import Console

    from genco_interview.views.scorecard import render_grade_text

    machine = card({"shared_mechanism": ("covered", 1.0), "driver": ("missing", 0.0), "one_vs_many": ("partial", 0.4)})
    console = Console(file=StringIO(), width=200)
    render_grade_text(console, grade(tiny_rubric(), machine, "answer", note="see \x1b]52;c;TEVBSw==\x07 end"),
                      tiny_rubric())
    printed = "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())
    assert "Interviewer note:\n  see  end" in printed and "TEVBSw" not in printed
    two = Console(file=StringIO(), width=200)  # a second --note was printed flush left under the first
    render_grade_text(two, grade(tiny_rubric(), machine, "answer", note="calm\nsaid it when asked"), tiny_rubric())
    assert "Interviewer note:\n  calm\n  said it when asked\n" in "\n".join(
        line.rstrip() for line in two.file.getvalue().splitlines())


SEVERAL = "Can a coroutine give you several values over time, the way a generator does?"


@pytest.mark.parametrize(("probe", "question", "asked"), [
    (SEVERAL, "Can a coroutine give you several values over time, like a generator does?", True),
    (SEVERAL, "so... can one coroutine give you several values over time?", True),
    (SEVERAL, "What is a generator?", False),
    (SEVERAL, "Tell me about coroutines.", False),
    ("What does send() do?", "What does send() do?", True),  # one content word: asked word for word
    ("What does send() do?", "And what about send()?", False),
])
def test_a_probe_counts_as_asked_when_a_question_uses_most_of_its_words(probe: str, question: str, asked: bool) -> None:
    from genco_interview.interview.grading import was_asked

    assert was_asked(probe, [question]) is asked


@pytest.mark.parametrize(("transcript", "questions"), [
    ("Interviewer: Right. And can a coroutine give you several values\nover time, the way a generator does?\n"
     "Candidate: No.", ["And can a coroutine give you several values over time, the way a generator does?"]),
    ("Interviewer: So a generator gives you several values over time. Tell me about a coroutine.\nCandidate: No.", []),
    ("Interviewer: Why?\nCandidate: Can it? I think so.\nVerdict: did not get to several values; ask next round?", ["Why?"]),
])
def test_the_interviewers_questions_are_their_turns_sentences_that_ask(transcript: str, questions: list[str]) -> None:
    """A statement ("So a generator gives you several values over time.") and a note ("Verdict: did not get to
    ...") kept follow-ups from being suggested; a question wrapped over two lines was not seen as asked."""
    from genco_interview.text.reading import interviewer_questions

    assert interviewer_questions(transcript) == questions


def test_a_scorecard_with_every_concept_covered_under_70_says_why_beside_its_band() -> None:
    """Three ticks beside "partial: ... the marks say which are weak" (57.9) read as a contradiction."""
    from dataclasses import replace

    from genco_interview.interview.grading import COVERED_IN_PART
    from genco_interview.views.scorecard import grade_markdown

    ticks = card({"shared_mechanism": ("covered", 0.62), "driver": ("covered", 0.7), "one_vs_many": ("covered", 0.62)})
    under = grade(tiny_rubric(), replace(ticks, score=57.9), "answer")
    assert under.band_note == COVERED_IN_PART
    assert f"{under.band.meaning} {COVERED_IN_PART}" in grade_markdown(under, tiny_rubric()).replace("\\", "")
    assert grade(tiny_rubric(), replace(ticks, score=75.0), "answer").band_note == ""
    one_missing = card({"shared_mechanism": ("covered", 0.62), "driver": ("missing", 0.1), "one_vs_many": ("covered", 0.6)})
    assert grade(tiny_rubric(), replace(one_missing, score=57.9), "answer").band_note == ""


def test_a_band_beside_a_standing_red_flag_says_to_settle_it_first() -> None:
    """"strong: ... move on to the next depth" read as settled while the candidate's misconception stood."""
    from genco_interview.interview.grading import RED_FLAG_STANDS

    ticks = {"shared_mechanism": ("covered", 0.8), "driver": ("covered", 0.8), "one_vs_many": ("covered", 0.8)}
    flagged = replace(card(ticks, penalty=8), score=75.9)
    assert grade(tiny_rubric(), flagged, "answer").band_note == RED_FLAG_STANDS
    assert grade(tiny_rubric(), flagged, "answer", dismiss_red_flags=True).band_note == ""
    marked = {cid: "covered" for cid in ticks}  # the flag costs the interviewer's marks too: still to settle
    assert grade(tiny_rubric(), flagged, "answer", overrides=marked).band_note == RED_FLAG_STANDS
    assert grade(tiny_rubric(), replace(card(ticks), score=75.9), "answer").band_note == ""
