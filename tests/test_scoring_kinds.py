"""Kinds of answer the scorer used to misjudge, each held to the right value with the real model.

Every example here is made up for the kind it stands for; the numbers are what careful graders
would give such an answer, with a margin.
"""

from __future__ import annotations

import json

import pytest

from genco_interview.card import DENIAL_NOTE, REVERSED_NOTE, UNCERTAIN_NOTE, Status
from genco_interview.rubric import parse_rubric
from genco_interview.text.segment import segment

from conftest import ROOT

pytestmark = pytest.mark.slow

CORRECT_QUICK = ("They share the same suspension machinery. A generator yields many values to a for loop; "
                 "a coroutine is awaited and the event loop drives it to one result.")


def _score(scorer, answer: str, depth: str = "quick"):
    return scorer.score(answer, depth)


def test_a_correct_answer_naming_both_roles_is_not_wiped_out(scorer):
    card = _score(scorer, "A coroutine object is what calling an async def function gives you; it does nothing "
                          "until you await it or wrap it in a Task, which schedules it on the loop.")
    assert card.score >= 20
    assert not any(c.status == Status.CONTRADICTED for c in card.concepts)
    assert max(c.score for c in card.concepts) >= 0.3  # a concept keeps credit (0.6 of 2): it states one side


@pytest.mark.parametrize("answer", ["A generator yields many values and a coroutine is awaited.",
                                    "A generator produces many values and a coroutine produces one result.",
                                    "A generator is iterated with for and a coroutine is run by the event loop."])
def test_a_one_line_answer_joining_both_roles_with_and_is_read_as_its_two_claims(scorer, answer: str):
    """Each scored 0-13 with a concept contradicted or a misconception named: the model read the joined
    sentence as well with its roles exchanged. As two claims, each about one role, it earns what it says."""
    card = _score(scorer, answer)
    assert not card.misconceptions
    assert not any(c.status == Status.CONTRADICTED for c in card.concepts)
    assert any(c.status in (Status.COVERED, Status.PARTIAL) for c in card.concepts)
    assert card.score >= 15


def test_a_true_sentence_naming_both_roles_is_never_shown_contradicted_by_its_reversed_reading(scorer):
    """Exchanging both role terms of one sentence keeps its words and moves only which claim goes with which
    term, which the model barely reads: this true sentence read a little better exchanged, and the card
    showed it contradicting who drives each (the score still weighs that reading: dropping it there moved
    the agreement on rubrics nobody tuned the wrong way)."""
    card = _score(scorer, "Generators yield many values lazily and coroutines are awaited by the event loop.")
    assert all(c.status != Status.CONTRADICTED for c in card.concepts), [(c.id, c.status) for c in card.concepts]


@pytest.mark.parametrize("answer", [
    "Calling a generator function hands back a generator object without executing the body, and calling an async "
    "def function likewise hands back a coroutine object without executing it.",
    "Calling a generator function does not run its body; it returns a generator object. Calling an async def "
    "function does not run its body either; it returns a coroutine object.",
])
def test_a_claim_made_of_both_roles_in_the_same_words_is_never_read_as_reversed(scorer, answer: str):
    """Said of the generator and again of the coroutine, one claim's first half read with its roles exchanged is
    its second half, a true claim: the card showed the first half contradicting the concept both halves state,
    and the two sentences read as an answer with its roles reversed."""
    card = _score(scorer, answer, "detailed")
    lazy = next(c for c in card.concepts if c.id == "lazy_call")
    assert lazy.status in (Status.COVERED, Status.PARTIAL), (lazy.status, lazy.evidence)
    assert not any(note.startswith(REVERSED_NOTE) for note in card.notes), card.notes


def test_parts_saying_one_thing_of_both_roles_are_mirrored_and_a_contrast_is_not():
    from genco_interview.scoring.rules import mirrored_units

    pairs, drop = [("generator", "coroutine")], frozenset({"generator", "coroutine"})
    same = segment("Calling a generator function returns an object without running the body. Calling a coroutine "
                   "function returns an object without running the body either.").units
    contrast = segment("A generator is driven by next() in a for loop. A coroutine is driven by the event loop "
                       "through await.").units
    assert mirrored_units(same, pairs, drop).any()
    assert not mirrored_units(contrast, pairs, drop).any()
    overlapping = segment("A coroutine is the iterator-like one. It suspends at yield and you pull values from it "
                          "with next(). A generator is the async one, driven by the loop.").units
    assert not mirrored_units(overlapping, pairs, drop).any()  # two windows sharing a sentence share its words
    assert not mirrored_units(same, [], drop).any()


def test_both_roles_of_a_pair_are_found_in_any_case_and_number():
    from genco_interview.scoring.rules import names_both_roles

    pairs = [("generator", "coroutine")]
    assert names_both_roles("Generators iterate; Coroutines await.", pairs)
    assert not names_both_roles("A generator yields; another generator too.", pairs)
    assert not names_both_roles("generators and coroutines", [])


def test_a_two_word_contrast_earns_something(scorer):
    assert _score(scorer, "Generators iterate; coroutines await.").score >= 8


def test_terse_notes_with_shorthand_score_like_a_partial_answer(scorer):
    card = _score(scorer, "gen: lazy seq, for/next pulls vals. coro: async def, awaited, loop runs it, 1 return value")
    assert card.score >= 30
    assert {c.id: c.status for c in card.concepts}["driver"] in ("covered", "partial")


def test_notes_that_hang_their_claims_on_arrows_and_equals_signs_earn_them(scorer):
    card = _score(scorer, "gen = def + yield -> for loop pulls vals 1 by 1. coro = async def -> awaited, loop resumes "
                          "it -> 1 result. both: pause frame & resume, same machinery")
    assert {c.id for c in card.concepts if c.status in (Status.COVERED, Status.PARTIAL)} == {
        "shared_mechanism", "driver", "one_vs_many"}


def test_sentences_ended_by_an_ellipsis_character_score_as_with_full_stops(scorer):
    """Autocorrect turns "..." into one character; the sentences it ends are the same sentences."""
    stops = _score(scorer, CORRECT_QUICK).score
    assert _score(scorer, CORRECT_QUICK.replace(". ", "\u2026 ")).score == pytest.approx(stops, abs=3)


def test_points_typed_one_a_line_without_full_stops_score_as_with_them(scorer):
    """Long lines without full stops were read as one hard-wrapped sentence: 56.5 against 67.7."""
    points = ("Both are built on the same suspendable frame machinery\n"
              "A generator yields many values lazily and is pulled by next() or a for loop\n"
              "A coroutine is awaited and driven by the event loop, and it produces one result")
    stops = _score(scorer, points.replace("\n", ".\n") + ".").score
    assert _score(scorer, points).score == pytest.approx(stops, abs=3)


def test_points_typed_a_line_each_in_lower_case_are_each_quoted_by_their_own_line(scorer):
    """Lower-case lines without full stops run together into one sentence, and every concept quoted it whole
    (cut at 280 characters on the card), whichever line had earned it."""
    lines = ["both are built on the same suspendable frame machinery that can pause and resume",
             "a generator yields many values lazily and the caller pulls them with next() or a for loop",
             "a coroutine is awaited and the event loop drives it until it produces one result"]
    card = _score(scorer, "\n".join(lines))
    quoted = [c.evidence for c in card.concepts if c.status in (Status.COVERED, Status.PARTIAL)]
    assert len(quoted) >= 2 and set(quoted) <= set(lines), quoted


def test_code_terms_typed_a_point_a_line_without_full_stops_score_as_with_them(scorer_for):
    """Lines opening with send(), throw() and close() were read as one hard-wrapped sentence: 55.1 against 67.7,
    the three glued together quoted as each point's evidence."""
    scorer = scorer_for("generator-send-throw-close")
    points = ("send() resumes the generator and the value becomes the result of the paused yield\n"
              "throw() raises an exception inside the generator at the paused yield\n"
              "close() raises GeneratorExit at the yield so finally blocks run")
    stops = scorer.score(points.replace("\n", ".\n") + ".", "quick").score
    assert scorer.score(points, "quick").score == pytest.approx(stops, abs=3)


def test_a_confidently_wrong_core_claim_costs_a_lot(scorer_for):
    scorer = scorer_for("threads-vs-asyncio-gil")
    wrong = _score(scorer, "The GIL makes threads run Python code on all cores at once, so threads are always "
                           "faster than asyncio for everything.")
    right = _score(scorer, "The GIL lets only one thread run Python bytecode at a time, so threads help with "
                           "I/O-bound work but not CPU-bound work; asyncio runs coroutines on one thread and "
                           "switches only at await.")
    assert wrong.score <= right.score - 20


@pytest.mark.parametrize(("question", "depth", "answer", "concept"), [
    ("threads-vs-asyncio-gil", "quick", "threads cant run in parallel for CPU work because of the GIL.", "gil_one_thread"),
    ("coroutine-vs-generator", "detailed", "Calling a generator function doesnt run the body.", "lazy_call"),
])
def test_a_denial_typed_without_its_apostrophe_is_a_denial(scorer_for, question, depth, answer, concept):
    """"cant" was no negation: the true sentence read as its opposite, its concept contradicted, and "you cant
    await a normal generator" named as believing you can (0.0)."""
    card = scorer_for(question).score(answer, depth)
    assert {c.id: c.status for c in card.concepts}[concept] != Status.CONTRADICTED
    wrong = scorer_for("coroutine-vs-generator").score("A generator yields many values and a for loop drives it; a "
                                                       "coroutine is awaited. You cant await a normal generator either.",
                                                       "detailed")
    assert "await_plain_generator" not in [hit.id for hit in wrong.misconceptions]


def test_a_true_denial_of_a_misconception_is_no_red_flag(scorer_for):
    """The misconception's exemplar "The GIL does not affect CPU-bound threads" was negated, so it was the
    nearest text to the true denial (0.805): "threads don't help for CPU bound work" was named as believing
    that threads speed CPU-bound work up, and the learner's report kept it."""
    card = _score(scorer_for("threads-vs-asyncio-gil"), "The GIL means only one thread runs Python bytecode at a "
                  "time. So threads don't help for CPU bound work, but for IO they are fine because the GIL is "
                  "released while waiting.", "detailed")
    assert [hit.id for hit in card.misconceptions] == []


@pytest.mark.parametrize("right", ["Coroutines run one at a time on a single thread.",
                                   "Coroutines run one at a time on a single thread, taking turns at each await."])
def test_a_right_claim_stating_the_positive_half_of_a_correction_is_no_red_flag(scorer, right: str):
    """The correction "Coroutines run one at a time on a single thread; ..., not parallelism" is negated as
    a whole, so it was no rival of a sentence stating its first half: that sentence, 0.85 from "Each
    coroutine gets its own thread.", was named as treating coroutines as threads and cost a right answer 11
    points. Wrong claims in nearly the same words, which the model reads as near that half, are still named."""
    said = _score(scorer, f"{CORRECT_QUICK} {right}", "detailed")
    plain = _score(scorer, CORRECT_QUICK, "detailed")
    assert said.misconceptions == [] and said.score >= plain.score - 3
    for wrong, believed in (("Each coroutine runs on its own thread.", "coroutines_are_threads"),
                            ("Coroutines run one at a time on separate threads.", "coroutines_are_threads"),
                            ("A plain generator is asynchronous and non-blocking.", "generators_are_async")):
        card = _score(scorer, f"{CORRECT_QUICK} {wrong}", "detailed")
        assert [hit.id for hit in card.misconceptions] == [believed], wrong


@pytest.mark.parametrize(("corrected", "named"), [
    ("send() isn't just a way to pass a value in: it resumes the generator and returns the next yielded value. "
     "throw() raises the exception at the paused yield. close() raises GeneratorExit inside so finally blocks run.",
     "send_returns_nothing"),
    ("send() resumes the generator with a value and returns the next yielded value. throw() raises the exception "
     "at the paused yield. close() doesn't skip cleanup: it raises GeneratorExit so finally blocks run.",
     "close_skips_cleanup"),
])
def test_a_denial_that_its_sentence_goes_on_to_correct_is_no_red_flag(scorer_for, corrected: str, named: str):
    """The negated opening shares its negation with the misconception's exemplars ("gives nothing back", "without
    running its finally blocks"), so a right answer was named as believing it: 39.7 and 60.2 where the same claims
    said plainly score 73. A denial whose rest corrects nothing is still named. The model reads a wrong denial
    before a right claim ("close() never runs finally blocks: it raises GeneratorExit") as it reads a right one,
    so a card cleared so says it and asks for a person."""
    scorer = scorer_for("generator-send-throw-close")
    card = _score(scorer, corrected)
    assert named not in [hit.id for hit in card.misconceptions] and card.score >= 55, (card.score, card.misconceptions)
    assert card.uncertain and any(DENIAL_NOTE in note for note in card.notes)  # a wrong denial reads the same
    wrong = _score(scorer, "send() passes a value in and returns the next yielded value. throw() raises at the "
                           "paused yield. close() doesn't run the finally blocks: it just drops the generator.")
    assert [hit.id for hit in wrong.misconceptions] == ["close_skips_cleanup"]
    mixed = _score(scorer, "close() never runs finally blocks: it raises GeneratorExit at the paused yield.")
    assert mixed.uncertain and any(DENIAL_NOTE in note for note in mixed.notes)


def test_a_sentence_that_reads_as_a_misconception_is_never_quoted_as_earning_a_concept(scorer_for):
    """The card quoted "asyncio runs its coroutines in parallel on several cores" as the evidence that
    asyncio runs on one thread: the model places the two claims close, the misconception closer."""
    wrong = "asyncio runs its coroutines in parallel on several CPU cores."
    card = _score(scorer_for("threads-vs-asyncio-gil"), wrong)
    assert all(c.evidence != wrong for c in card.concepts if c.status in (Status.COVERED, Status.PARTIAL)), \
        [(c.id, c.status, c.evidence) for c in card.concepts]
    assert card.score < 30


CODE_ONLY = """```python
def numbers():
    print("started")
    yield 1
    yield 2

gen = numbers()          # nothing printed yet
for n in gen:            # the for loop pulls: started, 1, 2
    print(n)

async def fetch():
    await asyncio.sleep(0.1)
    return "page"

print(asyncio.run(fetch()))   # the event loop drives it: one result, page
```"""


def test_an_answer_citing_its_sources_scores_as_it_would_without_them(scorer):
    """A link's pieces were read as words of the claim beside it ("(see https://...)" cut a clause's
    similarity), and a sentence that only points to a page was read as a claim."""
    cited = CORRECT_QUICK.replace("; a coroutine", " (see https://docs.python.org/3/glossary.html#term-generator); "
                                                   "a coroutine") + \
        " See https://docs.python.org/3/library/asyncio-task.html for details."
    plain, linked = _score(scorer, CORRECT_QUICK), _score(scorer, cited)
    assert linked.score == pytest.approx(plain.score, abs=1.0), (plain.score, linked.score)
    assert [c.status for c in linked.concepts] == [c.status for c in plain.concepts]
    assert not any(c.evidence and c.evidence.startswith("See https") for c in linked.concepts)
    for cited in ("They share the same suspension machinery. (see https://peps.python.org/pep-0492/) A generator",
                  "They share the same suspension machinery. See https://peps.python.org/pep-0492/ A generator",
                  "They share the same suspension machinery. From https://docs.python.org/3/glossary.html: A generator"):
        # no full stop after the citation: the claim after it was dropped with it
        card = _score(scorer, CORRECT_QUICK.replace("They share the same suspension machinery. A generator", cited))
        assert card.score == pytest.approx(plain.score, abs=1.0), (cited, plain.score, card.score)


@pytest.mark.parametrize("opened", ["```\n", "Example:\n```python\ndef g():\n    yield 1\n\n", "    ",
                                    "```\n{}\n```"])
def test_an_answer_after_a_fence_left_open_or_indented_scores_as_prose(scorer, opened: str):
    """Prose after a fence never closed, or indented four spaces, or typed in a closed fence, was read as code:
    a right answer lost a quarter of its score (64.3 to 48.2; another 100 to 47.0 in a closed fence), and its
    card said only that the signals disagreed."""
    typed = opened.format(CORRECT_QUICK) if "{}" in opened else opened + CORRECT_QUICK
    plain, opened_card = _score(scorer, CORRECT_QUICK), _score(scorer, typed)
    assert opened_card.score >= plain.score - 1.0, (plain.score, opened_card.score)
    assert [c.status for c in opened_card.concepts] == [c.status for c in plain.concepts]


def test_reference_links_footnotes_and_bare_addresses_are_read_as_inline_links_are(scorer):
    """A reference link's label and definition line ("[the docs][1]", "[1]: https://..."), a footnote's
    number and an address without its scheme were read as words of the answer: the definition line was a
    sentence of its own, and the claim the footnote's number ended lost part of its similarity."""
    plain = _score(scorer, CORRECT_QUICK)
    cited = CORRECT_QUICK.replace("; a coroutine", " [the docs][1][^1]; a coroutine").replace(
        "machinery.", "machinery (docs.python.org/3/reference/datamodel.html).") + \
        "\n\n[1]: https://docs.python.org/3/glossary.html#term-generator\n[^1]: https://peps.python.org/pep-0255/"
    card = _score(scorer, cited)
    assert card.score == pytest.approx(plain.score, abs=0.3), (plain.score, card.score)
    assert [c.status for c in card.concepts] == [c.status for c in plain.concepts]
    assert not any(c.evidence and "https://" in c.evidence for c in card.concepts)


@pytest.mark.parametrize("limited", [
    "They not only share the same suspendable frame machinery, they are also both paused and resumed.",
    "They share the same suspendable frame machinery and nothing more, both are paused and resumed.",
])
def test_a_negation_word_that_limits_a_claim_does_not_deny_it(scorer, limited: str):
    """"not only ... but also", "nothing more": read as denials, the sentence stating the shared mechanism
    earned it from no exemplar (a claim matches only texts of its own polarity)."""
    rest = " A generator yields many values to a for loop; a coroutine is awaited by the event loop until one result."
    plain = _score(scorer, "They share the same suspendable frame machinery, they are also both paused and resumed."
                   + rest)
    card = _score(scorer, limited + rest)
    marks = {c.id: c for c in card.concepts}
    assert marks["shared_mechanism"].evidence == limited, marks["shared_mechanism"]
    assert card.score == pytest.approx(plain.score, abs=3.0), (plain.score, card.score)


def test_a_sentence_stating_two_concepts_is_quoted_before_a_code_line_about_one(scorer):
    """The sentence nearer who-drives-it (0.76) than many-values (0.74) gave way, as many-values' quote, to a line
    of code nearer many-values than anything else, at 0.52: `yield 1`."""
    card = _score(scorer, "Generators and coroutines do different jobs.\n\n```python\ndef count():\n    yield 1\n"
                          "    yield 2\n```\n\nA generator stops at yield and you take values from it with a for loop "
                          "or next(), so you get a lazy sequence.\nA coroutine stops at await and the event loop "
                          "resumes it; it ends with one return value.", "detailed")
    quoted = {c.id: c.evidence for c in card.concepts}
    assert quoted["one_vs_many"] is not None and not quoted["one_vs_many"].startswith("yield"), quoted


def test_code_that_shows_the_behaviour_earns_like_a_fair_answer(scorer):
    # Graders credit working code that shows who drives each and what comes out (about 5 of 10);
    # the sentence model alone read it as noise and scored it 30. Its comments count as text, not
    # code, so it gains less than an answer of bare code would (38.5 measured).
    assert _score(scorer, CODE_ONLY).score >= 35


def test_an_answer_of_code_is_marked_uncertain_however_short(scorer):
    """The code's credit is one fitted signal the sentence model cannot check: a two-line snippet
    gains it as a demonstration does, so a person must look."""
    for answer in (CODE_ONLY, "def gen():\n    yield 1\n"):
        card = _score(scorer, answer)
        assert card.uncertain and card.confidence <= 0.5 and any("or code" in note for note in card.notes), answer


QUICKSORT = ("```python\ndef quicksort(xs):\n    if len(xs) <= 1:\n        return xs\n"
             "    pivot, *rest = xs\n    return (quicksort([x for x in rest if x < pivot]) + [pivot]\n"
             "            + quicksort([x for x in rest if x >= pivot]))\n\n"
             "print(quicksort([3, 1, 2]))   # [1, 2, 3]\n```")


def test_code_about_something_else_earns_nothing_for_being_code(scorer, scorer_for):
    assert _score(scorer, QUICKSORT).score <= 10
    send = scorer_for("generator-send-throw-close")
    sentence = "send resumes the paused generator, and the yield it stopped at evaluates to the value sent."
    assert _score(send, sentence + "\n\n" + QUICKSORT).score <= _score(send, sentence).score + 10


def test_claims_in_string_literals_earn_nothing_for_being_code(scorer_for):
    send = scorer_for("generator-send-throw-close")
    claims = ["send resumes the generator", "throw raises inside it", "close stops it"]
    as_strings = "```python\n" + "\n".join(f'{name} = "{claim}"' for name, claim in zip("abc", claims)) + "\n```"
    assert _score(send, as_strings).score <= _score(send, ". ".join(claims) + ".").score + 10


@pytest.mark.parametrize("answer", [
    "Un generador produce una secuencia de valores con yield y se consume con un bucle for. "
    "Una corrutina es una función async def que se espera con await.",
    "Ein Generator liefert mit yield nacheinander viele Werte, die eine for-Schleife abholt. Eine Koroutine "
    "wird mit async def geschrieben, mit await abgewartet und von der Ereignisschleife ausgeführt.",
])
def test_an_answer_in_another_language_says_so_and_asks_for_a_person(scorer, answer):
    """And only that: its full sentences are not "a keyword list", which is what the English term counts would say."""
    card = _score(scorer, answer)
    assert any("not look like English" in note for note in card.notes)
    assert card.uncertain and UNCERTAIN_NOTE in card.notes
    assert not any("mostly terms" in note for note in card.notes), card.notes


def test_the_interviewers_lines_of_a_transcript_earn_the_candidate_nothing(scorer):
    card = _score(scorer, f"Interviewer: So, {CORRECT_QUICK} Right?\nCandidate: Um, I'm not sure, I don't really know.")
    assert card.score <= 10


def test_zero_width_characters_inside_words_cost_nothing(scorer):
    plain = _score(scorer, CORRECT_QUICK).score
    hidden = _score(scorer, CORRECT_QUICK.replace("generator", "gene\u200brator").replace("coroutine", "corou\u200btine"))
    assert abs(hidden.score - plain) <= 2
    coloured = _score(scorer, "\x1b[32m" + CORRECT_QUICK.replace(" a coroutine", "\x07 a \x1b[1mcoroutine\x1b[0m"))
    assert abs(coloured.score - plain) <= 2


@pytest.mark.parametrize("decorated", ["\U0001F680 {} \U0001F389\U0001F44D\U0001F3FD", "<b>{}</b>", "<p>{}</p><br/>",
                                       "\u2713 {} \u2728", '<p class="x">{}</p>', "&nbsp;"])
def test_emoji_and_html_around_an_answer_change_nothing(scorer, decorated):
    """The model read them as words: an emoji before and after an answer took it from uncertain to sure, and
    "&nbsp;" between its words left it no concept."""
    answer = ("Both are built on the same underlying mechanism, a suspendable function frame. A generator produces a "
              "sequence of values one at a time via yield, and it is consumed by iteration. A coroutine is awaited, "
              "driven by an event loop, and produces one result.")
    typed = answer.replace(" ", decorated) if decorated == "&nbsp;" else decorated.format(answer)
    plain, card = _score(scorer, answer, "detailed"), _score(scorer, typed, "detailed")
    assert (card.score, card.uncertain) == (plain.score, plain.uncertain)


@pytest.mark.parametrize("answer", ["I don't know.", "Pizza is tasty and Rome is in Italy."])
def test_nothing_relevant_scores_near_zero(scorer, answer):
    """Near zero, and surely so: the model answer's words alone would grade it low too, so nothing disagrees."""
    card = _score(scorer, answer)
    assert card.score <= 10
    assert not card.uncertain and card.confidence >= 0.9


@pytest.mark.parametrize("depth", ["quick", "detailed"])
def test_admitting_not_knowing_twice_earns_nothing(scorer, depth):
    """The rubric's words in an admission ("never used async def or await") earned partial credit on the
    combined signals, and its sentence was quoted as the evidence, though the rules set it aside."""
    card = _score(scorer, "I don't know what a coroutine is, I have never used async def or await.", depth)
    assert card.score <= 5 and not card.uncertain
    assert all(concept.evidence is None for concept in card.concepts)


def test_a_correct_answer_outscores_an_empty_one_by_far(scorer):
    assert _score(scorer, CORRECT_QUICK).score >= 40


def test_dunder_names_and_starred_arguments_keep_their_marks():
    texts = [u.text for u in segment("The `__exit__` method runs even when **`__enter__`** fails; f(*args) too.").units]
    assert any("__exit__" in t and "__enter__" in t for t in texts)
    assert any("*args" in t for t in texts)


def test_a_rubric_that_names_no_role_pairs_swaps_none():
    rubric = parse_rubric("""
schema_version: 1
id: fresh
title: Fresh
depths:
  quick:
    question: What is a thing?
    time_budget_minutes: 1
    concepts: {thing: 1}
    model_answer: A thing is a thing.
concepts:
  - id: thing
    name: Thing
    description: What a thing is.
    exemplars: [a thing is a thing, things are things, the thing is itself]
""", "fresh.yaml")
    assert rubric.scoring.role_swaps == ()


def test_repeating_an_answer_or_padding_it_earns_nothing_more(scorer):
    once = _score(scorer, CORRECT_QUICK).score
    assert _score(scorer, " ".join([CORRECT_QUICK] * 20)).score <= once + 3
    assert _score(scorer, CORRECT_QUICK + "\n" + " -" * 500).score <= once + 3


@pytest.mark.parametrize("transcript", [
    "[00:01] Interviewer: {claim} Agreed?\n[00:09] Candidate: Yes.",
    "Interviewer (Sam): {claim} Agreed?\nCandidate (Kim): Yes.",
    "- Interviewer: {claim} Agreed?\n- Candidate: Yes.",
    "Q: {claim} Agreed?\nA: Yes.",
])
def test_common_transcript_formats_credit_only_the_candidate(scorer, transcript):
    assert _score(scorer, transcript.format(claim=CORRECT_QUICK)).score <= 10


def test_the_rubrics_own_words_in_any_order_are_marked_uncertain(scorer):
    """Terms without claims earn term credit the signals cannot tell from knowledge: a person must look."""
    terms = ("yield generator next for loop values lazily coroutine async def await event loop result "
             "suspension frame machinery shared many one")
    card = _score(scorer, terms)
    assert card.uncertain and card.confidence <= 0.5
    assert any("mostly terms" in note for note in card.notes)
    prose = _score(scorer, "A generator is pulled by a for loop and yields many values, while a coroutine is "
                           "awaited, driven by the event loop, and returns one result.")
    assert not any("mostly terms" in note for note in prose.notes)


def test_a_correct_answer_near_a_misconception_is_not_told_it_holds_it(scorer):
    """An in-house answer graded 9 ends "a for over c or an await on g just raises TypeError": the rules
    flag "awaiting a plain generator works" by a near tie, and the card must not state it."""
    rows = [json.loads(line) for line in (ROOT / "data" / "coroutine-vs-generator.jsonl").open(encoding="utf-8")]
    good = next(row for row in rows if row["id"] == "good-25")
    flagged = scorer.read_many([good["answer"]], good["depth"])[0].card.misconceptions
    assert [hit.id for hit in flagged] == ["await_plain_generator"]  # the near tie this test is about
    assert scorer.score(good["answer"], good["depth"]).misconceptions == []


@pytest.mark.parametrize("answer", ["If you try to for-loop a coroutine it errors out.",
                                    "Put a coroutine in a for loop and you get a TypeError."])
def test_a_reported_error_is_not_read_as_the_claim_that_it_works(scorer, answer):
    """Said as what goes wrong rather than with "not", a correct claim sits on the misconception's words;
    the same words said as working still show it."""
    assert [hit.id for hit in scorer.read_many([answer], "quick")[0].card.misconceptions] == []
    working = scorer.read_many(["You can iterate over a coroutine with a for loop to get its values."], "quick")
    assert [hit.id for hit in working[0].card.misconceptions] == ["iterate_coroutine"]


@pytest.mark.parametrize(("answer", "status"), [
    ("Misuse: a for loop over a coroutine raises TypeError, and awaiting a plain generator fails too.", "covered"),
    ("A coroutine is not iterable, so a for loop over it raises TypeError.", "covered"),
    ("Iterating a coroutine does not raise an error.", "contradicted"),  # a failure denied: it works
    ("You can loop over a coroutine with a for loop just fine.", "contradicted"),
])
def test_an_error_reported_reads_as_a_denial_of_what_works(scorer, answer, status):
    """An error reported ("raises TypeError") denies, in words no negation cue catches, that the thing
    works: it is never read against a concept that says it fails, neither by a contradiction's words
    ("... works without any error") nor as the opposite of a negated exemplar ("a coroutine is not
    iterable"); "does not raise an error" says it works."""
    card = scorer.score(answer, "deep")
    mark = next(c for c in card.concepts if c.id == "misuse_typeerror")
    assert mark.status.value == status, (mark.status, mark.score)
    if status == "covered":
        assert mark.evidence == answer


def test_a_correct_claim_about_one_concept_contradicts_no_other(scorer):
    """"A coroutine is an async def function" is close to "a coroutine is a def function with yield in
    it" (a contradiction of await-vs-yield), but closer still to what is right about calling one: a
    sentence that is nearer a correct claim than a wrong one says nothing false, so no concept is
    marked contradicted by it (a learner was told two true sentences contradicted three concepts).
    A wrong claim still contradicts its concept."""
    card = scorer.score("A coroutine is an async def function. You have to await it, and the event loop runs it.",
                        "detailed")
    marks = {c.id: c.status for c in card.concepts}
    assert marks["await_vs_yield"] != Status.CONTRADICTED and marks["misuse_typeerror"] != Status.CONTRADICTED, marks
    wrong = scorer.score("A coroutine suspends itself with a yield statement, like a generator does.", "detailed")
    assert {c.id: c.status for c in wrong.concepts}["await_vs_yield"] == Status.CONTRADICTED


@pytest.mark.parametrize(("question", "depth", "answer"), [
    ("event-loop-internals", "detailed", "asyncio is single-threaded."),
    ("event-loop-internals", "detailed", "The loop does not use threads for coroutines."),
    ("event-loop-internals", "detailed", "A coroutine is not preempted by the loop."),
    ("coroutine-vs-generator", "deep", "A coroutine object does not run until you await it."),
    ("coroutine-vs-generator", "quick", "Coroutines and generators share one mechanism underneath: a function "
                                        "frame that can pause and later pick up where it left off."),
])
def test_a_short_true_denial_is_not_shown_contradicting(scorer_for, question, depth, answer):
    """Short true sentences, denials most, come within a concept's covered threshold of a contradiction
    or a negated exemplar (0.72-0.75): the card shows a contradiction only as strong as full credit, and
    only with the lead over every correct claim a red flag needs ("share one mechanism" sat 0.873 to
    "... completely different mechanisms" and 0.84 to a correct claim)."""
    card = scorer_for(question).score(answer, depth)
    assert [c.id for c in card.concepts if c.status == Status.CONTRADICTED] == []


@pytest.mark.parametrize(("question", "depth", "answer", "concept"), [
    ("coroutine-vs-generator", "deep", "Iterating a coroutine does not raise an error.", "misuse_typeerror"),
    ("coroutine-vs-generator", "deep", "A coroutine is not driven by the event loop.", "driver"),
    ("event-loop-internals", "detailed", "The event loop preempts coroutines when their time slice is up.",
     "cooperative"),
    ("coroutine-vs-generator", "quick", "Generators and coroutines are built on totally different machinery under "
                                        "the hood, nothing shared.", "shared_mechanism"),
    ("coroutine-vs-generator", "quick", "A coroutine produces many values over time, while a generator gives you "
                                        "back one final result.", "one_vs_many"),
])
def test_a_plainly_wrong_claim_is_still_shown_contradicting(scorer_for, question, depth, answer, concept):
    card = scorer_for(question).score(answer, depth)
    assert {c.id: c.status for c in card.concepts}[concept] == Status.CONTRADICTED


def test_an_answer_read_as_reversed_asks_for_a_person(embedder):
    """The model barely tells "lists are mutable" from "tuples are mutable": with a role pair it cannot tell
    apart, a correct answer is read as reversed and loses the credit of its role sentences. That reading,
    the least sure of the rules', must not stand alone on the card (a known limit: README, rubrics.md)."""
    from genco_interview.rubric import load_rubric
    from genco_interview.scoring import Scorer

    scorer = Scorer(load_rubric(ROOT / "tests" / "fixtures" / "role-pairs" / "list-vs-tuple.yaml"), embedder)
    card = scorer.score("Lists are mutable. Tuples are immutable, so a tuple works as a dictionary key.", "quick")
    assert any(note.startswith("Read as a whole") for note in card.notes), card.notes  # the misfire this is about
    assert card.uncertain and UNCERTAIN_NOTE in card.notes and card.confidence <= 0.5


def test_an_answer_with_its_roles_swapped_throughout_is_not_zeroed_by_its_neutral_sentences(scorer):
    """A sentence that reads the same with its roles exchanged ("generators and coroutines share ...") earns no
    credit in an answer swapped throughout, but it is still a correct claim: it once counted as none, so every
    misconception near it won by more than a whole similarity point and the answer scored 0."""
    card = scorer.read_many([
        "Generators and coroutines share the same machinery in CPython; under the hood both are suspendable "
        "function frames. A coroutine is what you iterate with for and next(), producing a stream of values. A "
        "generator is what the event loop drives, and awaiting a generator gives you its single result. Async "
        "generators are coroutines that use await. Calling a generator starts the event loop."], "detailed")[0]
    assert card.card.misconceptions and all(hit.margin < 0.5 for hit in card.card.misconceptions)
    assert 10 <= scorer.final(card).score <= 50


def test_one_sentence_is_never_read_as_a_reversed_answer(scorer):
    """"Async generators" reads a little better as "async coroutines": one sentence can fool the model, so a
    whole-answer reversal needs two sentences that name a role (two still do: the list-and-tuple test above)."""
    card = scorer.score("Async generators combine both: async def with yield, consumed by async for.", "deep")
    assert not any(note.startswith("Read as a whole") for note in card.notes), card.notes


def test_a_denial_is_never_quoted_as_the_sentence_that_earned_a_concept(scorer_for):
    """Its terms can still earn the concept some credit; the card must not show the denial as the proof."""
    denial = "Values sent with send() stay in the outer generator and are never forwarded to the subgenerator."
    answer = ("yield from delegates to a subgenerator and passes its values up to the caller. " + denial +
              " The yield from expression evaluates to the subgenerator's return value.")
    scorer = scorer_for("yield-vs-yield-from-vs-await")
    card = scorer.score(answer, "deep")
    forwards = next(c for c in card.concepts if c.id == "yield_from_forwards")
    assert forwards.evidence != denial
    assert all(c.evidence != denial for c in card.concepts if c.status in (Status.COVERED, Status.PARTIAL))
    for alone in (denial, "I like pizza. " + denial):  # nothing else to quote: no quote, not a sentence off the topic
        quoted = {c.evidence for c in scorer.score(alone, "deep").concepts if c.status in (Status.COVERED, Status.PARTIAL)}
        assert quoted <= {None, ""}, quoted


@pytest.mark.parametrize("myth", [
    "A common misconception is that coroutines run in parallel on several threads; they don't, the loop runs one "
    "at a time.",
    "People often say coroutines run in parallel on separate threads, but the event loop runs one at a time.",
    "People think coroutines run in parallel on separate threads. They don't: one loop, one thread.",
    "A common mistake is to think coroutines run in parallel on separate threads; they don't.",
    "Many people wrongly believe coroutines run in parallel on separate threads.",
])
def test_a_myth_the_answer_debunks_is_not_its_misconception(scorer, myth):
    """Naming a myth to knock it down shows understanding: it must not be named as the answer's belief nor
    cost points. The same claim made, or reported and agreed with, still is."""
    debunked = _score(scorer, f"{CORRECT_QUICK} {myth}")
    assert debunked.misconceptions == [] and debunked.misconception_cost == 0
    assert debunked.score >= _score(scorer, CORRECT_QUICK).score - 5
    for believed in ("Coroutines run in parallel on several threads.",
                     "People say coroutines run in parallel on separate threads, and that is true.",
                     "People say coroutines run in parallel on separate threads, but they're right.",
                     "Coroutines run in parallel on separate threads, and the GIL is a myth."):
        card = _score(scorer, f"{CORRECT_QUICK} {believed}")
        assert [hit.id for hit in card.misconceptions] == ["coroutines_are_threads"], believed
        assert card.score <= debunked.score - 10, believed


@pytest.mark.parametrize("denied", [
    "People often say a generator is driven by the caller pulling values with next(), but that is a myth.",
    "A common misconception is that a generator is driven by the caller pulling values with next(); it is not.",
    "It is false that a generator is driven by the caller pulling values with next().",
])
def test_a_right_claim_reported_only_to_be_denied_earns_nothing(scorer, denied):
    """"People say X, but that's a myth" claims not-X: when X is the right claim, the sentence denies
    the concept, as "a generator is not driven by next()" does, instead of earning it by X's words."""
    made = next(c for c in _score(scorer, "A generator is driven by the caller pulling values with next().").concepts
                if c.id == "driver")
    card = _score(scorer, denied)
    driver = next(c for c in card.concepts if c.id == "driver")
    assert driver.status in (Status.CONTRADICTED, Status.MISSING), driver
    assert driver.score <= made.score - 0.15, (driver, made)  # the claim made earns; reported to deny it, not
    assert card.score <= _score(scorer, "A generator is driven by the caller pulling values with next().").score - 5


@pytest.mark.parametrize("answer", [
    "Calling time.sleep inside a coroutine lets other tasks run meanwhile.",  # the rubric's own exemplar
    "Using time.sleep inside a coroutine lets other tasks run meanwhile.",
])
def test_a_short_sentence_stating_a_misconception_is_named(scorer_for, answer):
    """A short part's similarities are discounted; its reading with the roles exchanged was not, so the
    misconception check found it always read better so and never named a short part naming no role, the
    rubric's own exemplar among them."""
    card = scorer_for("event-loop-internals").score(answer, "quick")
    assert [hit.id for hit in card.misconceptions] == ["blocking_ok"]


@pytest.mark.parametrize("answer", [
    "A blocking time.sleep in a coroutine freezes every other task.",
    "A blocking call like requests.get inside a coroutine freezes the whole loop.",
])
def test_a_right_claim_a_half_negated_exemplar_states_shields_it_from_a_misconception(scorer_for, answer):
    """The rival a misconception must beat is the part's best correct claim, read by the clause it states: the
    rubric says it only as "A blocking call like time.sleep never gives up control, so it freezes every task."
    (negated as a whole), so read as written no correct claim was near, and the right sentence was named as
    believing blocking calls let other tasks run, at 0 points."""
    card = scorer_for("event-loop-internals").score(answer, "quick")
    assert card.misconceptions == []


@pytest.mark.parametrize(("answer", "named"), [
    ("The GIL makes Python code thread-safe, so you never need locks.", ["gil_thread_safe"]),  # its own exemplar
    ("Because of the GIL, Python code is thread-safe, so you never need a lock.", ["gil_thread_safe"]),
    ("The GIL does not make Python code thread-safe, so you still need locks.", []),
    ("The GIL doesn't make Python code thread-safe, so you need locks.", []),
])
def test_a_misconception_negated_in_one_clause_is_named_and_its_denial_is_not(scorer_for, answer, named):
    """Each clause is read in its own negation, so none of a sentence negated in one clause matched a
    misconception negated as a whole, and the sentence was never confirmed: said clause for clause, negated
    where the exemplar is, it is named; its denial is as near and as negated as a whole, in the other clause."""
    card = scorer_for("threads-vs-asyncio-gil").score(answer, "quick")
    assert [hit.id for hit in card.misconceptions] == named


def test_a_sentence_named_as_a_misconception_earns_no_concept(scorer):
    """The card quoted "... they run in parallel on different CPU cores" as covering who drives a coroutine
    while naming the same sentence as the answer's misconception."""
    card = _score(scorer, "A coroutine is basically a thread. When you start several coroutines they run in "
                          "parallel on different CPU cores.")
    assert card.misconceptions, "no misconception named: the test no longer tests anything"
    named = {hit.evidence for hit in card.misconceptions}
    earned = [c for c in card.concepts if c.status in (Status.COVERED, Status.PARTIAL)]
    assert not any(c.evidence and any(c.evidence in text or text in c.evidence for text in named) for c in earned)
    assert card.score <= 15


def test_a_misconception_said_again_in_other_words_earns_nothing_either(scorer):
    """Only the sentence nearest a misconception was set aside from the concepts: saying the same wrong claim
    again in other words scored 11.9 to 14.4, above the answer that said it once."""
    once = "Coroutines are really just threads. A generator yields values to a for loop."
    twice = ("Coroutines are really just threads. When several coroutines start, they run in parallel on "
             "different CPU cores. A generator yields values to a for loop.")
    said_once, said_twice = _score(scorer, once), _score(scorer, twice)
    assert said_twice.misconceptions, "no misconception named: the test no longer tests anything"
    assert said_twice.score <= said_once.score, (said_once.score, said_twice.score)


def test_a_clause_beside_the_one_stating_a_misconception_keeps_its_credit(embedder) -> None:
    """A flagged clause took its sentence's other clauses with it: this terse, mostly right note scored 0."""
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    card = Scorer(find("task-vs-coroutine-vs-future"), embedder).score(
        "Task wraps coro & schedules it on the loop -> runs concurrently w/ other tasks.", "quick")
    assert card.misconceptions, "no misconception named: the test no longer tests anything"
    assert next(c for c in card.concepts if c.id == "task_drives").status in (Status.COVERED, Status.PARTIAL)
    assert card.score >= 5


def test_a_card_that_names_a_misconception_never_shows_the_top_score(scorer, flagship) -> None:
    """The detailed model answer with its roles exchanged: its other signals grade it past the top,
    where the clip at 100 would swallow the misconception's cost and show 100 beside it."""
    from genco_interview.scoring.rules import swap_roles

    swapped = swap_roles(flagship.depth("detailed").model_answer, [("generator", "coroutine")])
    card = scorer.score(swapped, "detailed")
    assert card.misconceptions, "the swapped answer names no misconception: the test no longer tests the clip"
    assert card.misconception_cost > 0 and card.score <= 100 - card.misconception_cost


def test_a_claim_the_answer_corrects_in_the_same_sentence_is_no_misconception(scorer):
    """A learner correcting themselves mid-sentence ("... run in parallel on multiple cores - hmm, no, that's
    wrong, they're single-threaded") was charged the misconception they had just taken back: 28.8 against 46.9."""
    said = (CORRECT_QUICK + " Also I believe coroutines are faster than threads because they run in parallel on "
            "multiple cores")
    corrected = _score(scorer, said + " - hmm, no, that's wrong, they're single-threaded; they're cheaper, not parallel.")
    assert "coroutines_are_threads" in [hit.id for hit in _score(scorer, said + ".").misconceptions]  # as stated
    assert corrected.misconceptions == [] and corrected.misconception_cost == 0
    once = _score(scorer, CORRECT_QUICK + " I used to think coroutines ran on threads, but that's wrong.")
    assert once.misconceptions == [], once.misconceptions  # a belief the answer once held, denied (68.7, flagged)


@pytest.mark.parametrize(("retraction", "quoted"), [
    ("Actually, everything I just said is false.", "everything I just said is false"),
    # a "no" first, and the claim taken back restated after a colon, swapped (62.8, all covered, sure of it)
    ("Actually no, I had them backwards: it's the coroutine that next() drives and the generator the loop awaits.",
     "I had them backwards"),
    ("Actually, I was joking, none of that is right.", "none of that is right"),  # 98.3, sure of it
    ("I was only joking; none of this is true.", "none of this is true"),
])
def test_an_answer_that_takes_itself_back_asks_for_a_person(scorer, flagship, retraction: str, quoted: str) -> None:
    """The model answer followed by "everything I just said is false" scores its claims as made: the
    card cannot say which claims are taken back, so it says it was taken back and asks for a person."""
    from genco_interview.card import RETRACTION_NOTE

    model = flagship.depth("quick").model_answer
    plain, taken_back = (scorer.score(text, "quick") for text in (model, f"{model} {retraction}"))
    assert not plain.uncertain and not any(n.startswith(RETRACTION_NOTE) for n in plain.notes)
    assert taken_back.uncertain and taken_back.confidence <= 0.5
    assert any(n.startswith(RETRACTION_NOTE) and quoted in n for n in taken_back.notes)


def test_an_answer_made_of_questions_asks_for_a_person(scorer) -> None:
    """Claims put as a question earn nothing (a question claims nothing to the scorer): "Isn't it true that ...?"
    scored 8, sure of it. An answer that only ends on a question is read as usual."""
    from genco_interview.card import QUESTIONS_NOTE

    asked = _score(scorer, "Isn't it true that a generator yields many values driven by next(), while a coroutine is "
                           "awaited by the event loop and returns one result?")
    assert asked.uncertain and asked.confidence <= 0.5 and QUESTIONS_NOTE in asked.notes
    told = _score(scorer, CORRECT_QUICK + " Does that answer it?")
    assert QUESTIONS_NOTE not in told.notes and not told.uncertain


@pytest.mark.parametrize("frame", ["Some tutorials claim the following. {} None of that is true.",
                                   "A common myth, which I reject, goes like this. {} All of that is wrong."])
def test_an_answer_rejecting_a_report_that_earned_concepts_asks_for_a_person(scorer, flagship, frame) -> None:
    """The model answer reported and then called false as a whole earned its concepts as the candidate's
    own (99 of 100, sure of it); which sentences were the report's is beyond the scorer, so the card
    says so and asks for a person. A myth knocked down earns nothing by its report: no note."""
    from genco_interview.card import REJECTION_NOTE
    from genco_interview.scoring.scorer import retraction_notes
    from genco_interview.text.segment import segment

    framed = frame.format(flagship.depth("quick").model_answer)
    card = scorer.score(framed, "quick")
    assert card.uncertain and card.confidence < 0.5 and card.takes_itself_back
    assert any(n.startswith(REJECTION_NOTE) for n in card.notes) and not retraction_notes(segment(framed).units)
    myth = scorer.score("Many people say a coroutine is just a thread. All of that is wrong. A coroutine runs on one "
                        "thread, resumed by the event loop.", "quick")
    assert not any(n.startswith(REJECTION_NOTE) for n in myth.notes)


def test_uncertain_and_a_confidence_under_a_half_always_go_together(scorer) -> None:
    """A card marked uncertain just past the cut showed confidence 0.5 (0.4952 rounded); one marked for
    a keyword list showed 0.5 too."""
    rows = [json.loads(line) for line in (ROOT / "data" / "coroutine-vs-generator.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()][:80]
    cards = scorer.score_each([row["answer"] for row in rows], [row["depth"] for row in rows])
    assert any(card.uncertain for card in cards) and not all(card.uncertain for card in cards)
    assert all(card.uncertain == (card.confidence < 0.5) for card in cards), [
        (card.score, card.confidence, card.uncertain) for card in cards if card.uncertain != (card.confidence < 0.5)]


def test_a_correct_claim_in_a_misconceptions_words_is_not_named_as_it(embedder) -> None:
    """"The event loop runs one coroutine at a time on a single thread" is 0.93 to "The event loop runs each
    coroutine on its own thread" (the same words, the opposite claim) and 0.84 to the nearest correct one: a card
    that named every such near-copy called this correct sentence a misconception and scored it 0. Only the
    fitted margin names one; this sentence's lead, 0.09, stays under it. The wrong claim in the same words
    scores lower, as its concept is only partly earned."""
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    scorer = Scorer(find("event-loop-internals"), embedder)
    right = scorer.score("The event loop runs one coroutine at a time on a single thread.", "quick")
    wrong = scorer.score("The event loop runs coroutines on separate threads in parallel.", "quick")
    assert right.misconceptions == []
    assert {c.id: c.status for c in right.concepts}["single_thread"] is Status.COVERED
    assert right.score > 20 and right.score > wrong.score


@pytest.mark.parametrize("answer", ["asyncio runs everything in a single thread.",
                                    "asyncio is a single thread with an event loop switching at await."])
def test_a_correct_sentence_about_asyncios_one_thread_is_not_read_as_reversed(embedder, answer: str) -> None:
    """With thread/coroutine as a role pair, "... in a single coroutine" came nearer asyncio's claims (which
    name both) than the sentence as written, and a correct sentence was shown contradicting them."""
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    card = Scorer(find("threads-vs-asyncio-gil"), embedder).score(answer, "quick")
    assert {c.id: c.status for c in card.concepts}["asyncio_single_thread"] in (Status.PARTIAL, Status.COVERED)


@pytest.mark.parametrize("one_thread, io, rest", [
    ("In CPython the GIL means only one thread executes Python bytecode at any moment, so threads won't speed up "
     "pure-Python CPU-bound work; for that I'd use multiprocessing.",
     "Threads are still useful for I/O-bound work, because a thread blocked on a socket or file read releases the GIL "
     "and others run meanwhile.",
     "asyncio runs everything on a single thread with an event loop that switches between coroutines at each await."),
    ("The GIL lets only one thread run Python bytecode at a time, so threads don't help CPU-bound code.",
     "Blocking I/O releases the GIL, so threads help there.", "asyncio runs all its coroutines on one thread."),
])
def test_a_concept_quotes_the_sentence_that_says_it_not_one_nearer_another_concept(embedder, one_thread: str, io: str,
                                                                                 rest: str) -> None:
    """A sentence about the GIL's one thread sits near every GIL concept: it was quoted as the evidence that
    blocking I/O releases the GIL, beside the sentence that says so."""
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    card = Scorer(find("threads-vs-asyncio-gil"), embedder).score(f"{one_thread} {io} {rest}", "quick")
    quotes = {c.id: c.evidence for c in card.concepts}
    assert quotes["gil_one_thread"] == one_thread and quotes["io_releases_gil"] == io, quotes


def test_a_sentence_stating_the_positive_half_of_a_half_negated_exemplar_is_not_its_denial(scorer_for):
    """A rubric text with a negated clause beside a positive one ("a blocking call never gives up control, so
    it freezes every task") was read as negated throughout, so a sentence saying only its positive half was
    taken for a denial, and the card told a learner their correct sentence contradicted the concept."""
    card = _score(scorer_for("event-loop-internals"), "A blocking call like time.sleep freezes every other task.")
    marks = {c.id: c.status for c in card.concepts}
    assert marks["cooperative"] != Status.CONTRADICTED, marks


def test_a_part_reads_a_half_negated_text_in_the_parity_of_the_clause_it_states():
    import numpy as np

    from genco_interview.scoring.rules import MixedTexts, mixed_clauses

    assert [p for _, p in mixed_clauses("A blocking call never gives up control, so it freezes every task.")] == [1, 0]
    assert mixed_clauses("A coroutine is not iterable.") == []
    assert mixed_clauses("Generators yield values, so a for loop can drive them.") == []
    assert mixed_clauses("Calling it returns a coroutine object without running it.") == [
        ("Calling it returns a coroutine object.", 0), ("without running", 1)]  # the claim, and what it rules out
    # one text (index 1 of 2) with a negated clause (words 0, 1) and a positive one (word 2)
    mixed = MixedTexts(vectors=np.eye(2), incidence=np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
                       parity=np.array([1, 0], dtype=np.int8), owner=np.array([1, 1]))
    parts = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])  # nearest the negated clause by cosine, all but the last
    words = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    read = mixed.parities(parts, words, np.array([0, 1, 0]), np.array([0, 1], dtype=np.int8))
    assert read.tolist() == [[0, 0], [0, 1], [0, 1]]  # the positive half stated; a negated part; the negated half



@pytest.mark.parametrize(("heading", "said"), [("Question: who drives each?", False), ("Q2: who drives each", True)])
def test_the_answer_below_a_learners_own_question_is_scored_or_the_card_says_why_not(scorer, heading, said):
    """Notes answering "A:" then asking themselves "Question: who drives each?" lost the line below the
    question (read as the question's, until the next "A:"), and the card said nothing of it."""
    notes = (f"Q: What is the difference?\nA: They share the same suspension machinery.\n{heading}\n"
             "A generator yields many values to a for loop; a coroutine is awaited and the event loop drives it.")
    card = _score(scorer, notes)
    driver = next(c for c in card.concepts if c.id == "driver")
    assert (driver.status == Status.MISSING) == said
    assert any("read as part of the question" in note for note in card.notes) == said


def test_a_question_back_to_the_interviewer_earns_nothing(scorer):
    """A candidate's clarifying question ("do you mean native async def coroutines, or the old generator-based
    ones too?") was quoted as covering misuse raising TypeError: a question claims nothing, whatever words it
    shares with a concept."""
    asked = "Before I start: do you mean what happens when a for loop iterates over a coroutine object?"
    card = scorer.score(f"{asked} Generators produce a lazy sequence of values that the caller pulls with next().",
                        "deep")
    assert all(c.evidence != asked for c in card.concepts), [(c.id, c.evidence) for c in card.concepts]
    assert scorer.score(asked, "deep").score == 0


def test_the_model_answers_own_claim_in_other_words_earns_its_concept_and_is_quoted(scorer_for):
    """The exemplar "... a result that does not exist yet" read as negated, so the positive paraphrase "... a result
    that will be set later" was never compared with it: the concept was partial with no sentence quoted, and in a
    complete answer the coroutine sentence was quoted for it."""
    future = "A Future is a low-level placeholder for a result that will be set later."
    alone = {c.id: c for c in scorer_for("task-vs-coroutine-vs-future").score(future, "quick").concepts}
    assert alone["future_placeholder"].status == Status.COVERED and alone["future_placeholder"].evidence == future
    whole = scorer_for("task-vs-coroutine-vs-future").score(
        "A coroutine object is what you get by calling an async def function; it does nothing until awaited. "
        f"{future} A Task is a Future subclass that wraps a coroutine and schedules it on the event loop.", "quick")
    assert {c.id: c.evidence for c in whole.concepts}["future_placeholder"] == future


def test_a_short_answer_whose_closest_concept_is_not_covered_says_why(scorer):
    """A rubric's own exemplar typed as the whole answer showed similarity 1.0 beside "missing", under "No concept
    is stated clearly enough to mark": a one-line claim earns part of a concept, and the card now says so."""
    from genco_interview.card import SHORT_NOTE

    card = _score(scorer, "A generator spits out values one by one.")  # one_vs_many's own exemplar
    one_vs_many = {c.id: c for c in card.concepts}["one_vs_many"]
    assert one_vs_many.similarity > 0.99 and one_vs_many.status != Status.COVERED
    assert SHORT_NOTE in card.notes and not any("points come from words" in note for note in card.notes)
    full = _score(scorer, "Both generators and coroutines are built on the same suspend-and-resume machinery. A "
                          "generator is driven by iteration, a for loop calling next(), and lazily yields many values; "
                          "a coroutine is awaited and driven by the event loop, and it returns one result.")
    assert SHORT_NOTE not in full.notes
    repeated = _score(scorer, " ".join(["A generator spits out values one by one."] * 200))
    assert SHORT_NOTE in repeated.notes and not any("is short" in note for note in repeated.notes)  # few words, not few


def test_a_vague_answer_with_points_and_no_concept_marked_says_where_the_points_came_from(scorer):
    """A vague answer earns a few points for the model answer's words it shares; with every concept missing beside
    them the card read as a contradiction, so it says where they came from."""
    card = _score(scorer, "Coroutines are kind of like fancier generators, used for async things in Python.")
    assert 10 <= card.score <= 35 and not any(c.status in (Status.COVERED, Status.PARTIAL) for c in card.concepts)
    assert f"the {card.score:g} points come from words this answer shares with the model answer." in card.notes[-1]


def test_a_sentence_in_brackets_scores_as_the_same_sentence_without_them(scorer):
    """An aside in brackets ending its sentence inside them was read as one sentence with the next line: the
    driver went missing and a misconception near the joined text took points (41.6 to 26.6)."""
    plain = ("A generator produces many values lazily and you drive it with a for loop.\n"
             "A coroutine is awaited, the event loop drives it, and it resolves to one result.")
    bracketed = _score(scorer, plain.replace("A generator", "(Note: A generator").replace("loop.\n", "loop.)\n"))
    card = _score(scorer, plain)
    assert abs(bracketed.score - card.score) <= 2 and {c.id: c.status for c in bracketed.concepts}["driver"] == Status.COVERED


def test_a_bare_heading_is_never_quoted_as_the_sentence_that_earned_a_concept(scorer):
    """Under "Generators:" and "Coroutines:" lines the card quoted "Coroutines:" for a concept, and the web app
    highlighted the word. The score is the same: only the quote moves to a sentence."""
    card = _score(scorer, "Generators:\nThey produce many values, one at a time, pulled with next().\n"
                          "Coroutines:\nThey are awaited and give back a single result.")
    quoted = [c.evidence for c in card.concepts if c.evidence]
    assert quoted and not any(q.strip().endswith(":") for q in quoted)
