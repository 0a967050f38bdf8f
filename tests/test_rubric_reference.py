"""Reference-answer rubrics: key points derived from a model answer, and their validation."""

from __future__ import annotations

import pytest

from genco_interview.rubric import (
    REFERENCE_SCORING,
    RubricError,
    ScoringConfig,
    derive_concepts,
    key_points,
    parse_rubric,
    reference_rubric_yaml,
    slug,
)

MINIMAL = """\
schema_version: 1
id: variable
title: Variables
depths:
  answer:
    question: What is a variable?
    time_budget_minutes: 3
    model_answer: A variable is a named location in memory; it stores a value that can change.
"""


@pytest.mark.parametrize("answer, points", [
    ("A location in memory that can store a value.", ["A location in memory that can store a value."]),
    ("A stack is LIFO, whereas a queue is FIFO.", ["A stack is LIFO", "a queue is FIFO"]),
    ("Yes.", ["Yes."]),  # nothing with content words: the whole answer is the one point
    ("Abstraction. Reusability.", ["Abstraction.", "Reusability."]),
    ("Tuples can be dictionary keys, while lists cannot.", ["Tuples can be dictionary keys, while lists cannot"]),
    ("Threads are preemptive, but coroutines are not.", ["Threads are preemptive, but coroutines are not"]),
    # an aside ruling out an alternative stays with its sentence: "not threads" alone was a point any denial earned
    ("Use processes, not threads, for CPU-bound Python work.", ["Use processes, not threads, for CPU-bound Python work"]),
    ("asyncio gives concurrency, not parallelism.", ["asyncio gives concurrency, not parallelism."]),
    # what a claim is compared with stays with it: "lists" alone was a point named by a label
    ("A tuple is immutable, unlike lists.", ["A tuple is immutable, unlike lists"]),
    ("Tuples are immutable, unlike lists, so they can be keys.", ["Tuples are immutable, unlike lists",
                                                                  "they can be keys"]),
    # what a colon introduces explains the clause before it: alone it named no claim, or no subject
    ("A decorator factory is a factory: a function that returns the decorator. Lists are mutable.",
     ["A decorator factory is a factory: a function that returns the decorator", "Lists are mutable."]),
    ("Decorators wrap a function: they take it and return another.",
     ["Decorators wrap a function: they take it and return another"]),
    ("A tuple is immutable: once created it cannot change.", ["A tuple is immutable", "once created it cannot change"]),
    # a short label a colon ends names no claim: "In short" was a concept no answer earned
    ("In short: decorators wrap functions.", ["In short: decorators wrap functions"]),
    ("Two uses: logging and caching.", ["Two uses: logging and caching"]),
    # an elliptical clause opening with "so" or "neither" says the claim before it of something else
    ("Lists are mutable; so are dicts.", ["Lists are mutable; so are dicts"]),
    ("Generators are lazy, and so are iterators.", ["Generators are lazy, and so are iterators"]),
    ("A tuple can't be changed; neither can a string.", ["A tuple can't be changed; neither can a string"]),
    ("It is fast; so it is used.", ["It is fast", "so it is used"]),
    ("Lists are mutable, so are dicts.", ["Lists are mutable, so are dicts"]),  # "are dicts" was a point
    ("Lists are mutable. So are dicts. Strings can't change. Neither can tuples.",
     ["Lists are mutable. So are dicts.", "Strings can't change. Neither can tuples."]),
    # a lead-in goes with each item of its list; a title on its own line is no point
    ("Generators are:\n- lazy\n- resumable\n\nCoroutines are awaited.",
     ["Generators are: lazy", "Generators are: resumable", "Coroutines are awaited."]),
    ("## Summary\n\nKey differences:\n\n1. Generators yield many values.\n> Coroutines are awaited.",
     ["Generators yield many values.", "Coroutines are awaited."]),
    ("Encapsulation\n\nInheritance", ["Encapsulation", "Inheritance"]),  # titles only: they are the points
    # a few words trailing off name what follows
    ("A generator is lazy. So, coroutines... they are scheduled by the loop.",
     ["A generator is lazy.", "So, coroutines... they are scheduled by the loop."]),
    # slashes that separate no terms: "I/O" made the points "Use asyncio for I" and "O-bound work, threads too"
    ("Use asyncio for I/O-bound work, threads too.", ["Use asyncio for I/O-bound work, threads too."]),
    ("Use 1/2 of the budget and 3/4 of the time.", ["Use 1/2 of the budget and 3/4 of the time."]),
    ("Files live in /usr/lib/python3/dist-packages on Debian.", ["Files live in /usr/lib/python3/dist-packages on Debian."]),
    # a link is no claim: its slashes made six points of "See https:", "docs.python.org", "3" ...
    ("Lists are mutable. See https://docs.python.org/3/tutorial/datastructures.html#more-on-lists for details.",
     ["Lists are mutable."]),
    ("Lists are mutable (https://docs.python.org/3/library/stdtypes.html).", ["Lists are mutable."]),
    ("More in the docs: www.python.org/doc/ and https://peps.python.org/pep-0008/. Tuples are immutable.",
     ["Tuples are immutable."]),
    ("Read www.python.org/dev/peps/pep-0255 as well. Generators are lazy; www.python.org explains more.",
     ["Generators are lazy"]),
    ("A generator is lazy (see [the docs](https://docs.python.org/3/howto/functional.html)).",
     ["A generator is lazy."]),
    ("Generators are lazy, as [PEP 255](https://peps.python.org/pep-0255/) says.",
     ["Generators are lazy, as PEP 255 says."]),
    # a source cited with its link claims nothing; nor does a code comment's value
    ("Source: https://realpython.com/async-io-python/ (adapted from the Async IO post)\n\nFrom [Real Python]"
     "(https://realpython.com/):\n\nGather runs them concurrently.\n\n```python\nprint(r)  # [20, 10]\n```",
     ["Gather runs them concurrently."]),
    # a claim that opens with a citation's word and holds a link is still a claim
    ("From Python 3.3 on, a generator can delegate with yield from (https://peps.python.org/pep-0380/). Reference "
     "counting frees the frame (see https://docs.python.org/3/c-api/refcounting.html).",
     ["From Python 3.3 on", "a generator can delegate with yield from", "Reference counting frees the frame."]),
    ("See how send() resumes a generator: https://x.org/send", ["See how send() resumes a generator:"]),
    # a reference link's definition and the number citing it, an address without a scheme, a footnote's label
    ('Call asyncio.run(main()); see docs.python.org/3/library/asyncio-runner.html. It creates a new event loop [1].'
     '\n\n[1]: https://docs.python.org/3/library/asyncio-runner.html#asyncio.run "Runner"',
     ["Call asyncio.run(main())", "It creates a new event loop."]),
    ("The loop runs one task at a time[^why].\n\n[^why]: See https://x.org/loop.",
     ["The loop runs one task at a time."]),
    # a claim after a citation with no full stop between them was dropped with it
    ("Generators yield many values lazily. (see https://peps.python.org/pep-0255/) Coroutines are awaited by the "
     "event loop. From https://docs.python.org/3/library/asyncio.html: the event loop runs one coroutine at a time.",
     ["Generators yield many values lazily.", "Coroutines are awaited by the event loop.",
      "the event loop runs one coroutine at a time."]),
    # an elliptical sentence goes with the one before it, however long, unless it ends adding ("too")
    ("Lists are mutable. So are dicts, sets and most class instances.",
     ["Lists are mutable. So are dicts, sets and most class instances."]),
    ("Lists are mutable. Tuples and frozensets and strings are not.",
     ["Lists are mutable. Tuples and frozensets and strings are not."]),
    ("Lists are mutable. Dicts are, too.", ["Lists are mutable. Dicts are, too."]),
    # a sentence ending on "too" says all it means: it was joined to the bullet before it
    ("- Errors propagate; with return_exceptions=True they are returned instead.\n- If it is cancelled, all "
     "pending awaitables are cancelled too.", ["Errors propagate", "with return_exceptions=True they are returned "
                                               "instead", "If it is cancelled, all pending awaitables are cancelled too."]),
])
def test_key_points_are_the_clauses_that_say_something(answer, points):
    assert key_points(answer) == points


def test_a_point_with_an_aside_ruling_out_an_alternative_gets_its_claim_as_a_second_exemplar():
    """Its "not" made the point a negated text that only denials matched."""
    (concept, _), = derive_concepts("Use processes, not threads, for CPU-bound Python work.")
    assert concept.exemplars == ("Use processes, not threads, for CPU-bound Python work",
                                 "Use processes for CPU-bound Python work.")


def test_derived_concepts_are_weighted_by_content_words():
    derived = derive_concepts("A stack is last in first out, whereas a queue is FIFO.")
    assert [c.id for c, _ in derived] == ["point_1", "point_2"]
    assert [w for _, w in derived] == [3.0, 2.0]  # stack, last, first ("out" is a stopword) / queue, fifo
    assert derived[0][0].exemplars == ("A stack is last in first out",)


def test_rubric_without_concepts_derives_them_and_uses_reference_scoring():
    rubric = parse_rubric(MINIMAL, "variable.yaml")
    assert rubric.reference_mode
    assert [c.description for c in rubric.concepts] == ["A variable is a named location in memory",
                                                         "it stores a value that can change"]
    assert rubric.depth("answer").concepts == (("point_1", 4.0), ("point_2", 3.0))
    assert rubric.scoring == REFERENCE_SCORING
    assert rubric.scoring.alignment_weight > 0 and ScoringConfig().alignment_weight == 0


def test_reference_scoring_can_be_overridden_field_by_field():
    rubric = parse_rubric(MINIMAL + "scoring:\n  alignment_weight: 0.5\n", "variable.yaml")
    assert rubric.scoring.alignment_weight == 0.5
    assert rubric.scoring.alignment_floor == REFERENCE_SCORING.alignment_floor


@pytest.mark.parametrize("extra, line, message", [
    ("reference_mode: maybe\n", 9, "reference_mode: expected true or false, got 'maybe'"),
    ("scoring:\n  alignment_weight: 1.5\n", 10, "scoring.alignment_weight: must be at most 1, got 1.5"),
    ("scoring:\n  alignment_floor: 1\n", 10, "scoring.alignment_floor: must be at most 0.99, got 1"),
])
def test_reference_fields_are_validated_precisely(extra, line, message):
    with pytest.raises(RubricError) as err:
        parse_rubric(MINIMAL + extra, "variable.yaml")
    assert str(err.value) == f"variable.yaml:{line}: {message}"


def test_a_model_answer_without_a_word_has_no_key_point_to_derive():
    with pytest.raises(RubricError) as err:
        parse_rubric(MINIMAL.replace("model_answer: A variable is", "model_answer: '...' #"), "variable.yaml")
    assert str(err.value) == ("variable.yaml:8: depths.answer.model_answer: has no key point: "
                              "write at least one sentence that says something")


def test_concept_rubric_still_requires_concepts_and_three_exemplars():
    with pytest.raises(RubricError, match="missing required field 'concepts'"):
        parse_rubric(MINIMAL.replace("title: Variables\n", "title: Variables\nreference_mode: false\n"), "v.yaml")


def test_derived_ids_must_not_clash_with_written_concepts():
    text = MINIMAL + "concepts:\n  - {id: point_1, name: P, description: D, exemplars: [one]}\n"
    with pytest.raises(RubricError, match="duplicate concept id 'point_1'"):
        parse_rubric(text.replace("title: Variables\n", "title: Variables\nreference_mode: true\n"), "v.yaml")


def test_written_rubric_loads_back_to_the_same_key_points():
    text = reference_rubric_yaml("variable", "What is a variable?",
                                 "A variable is a named location in memory; it stores a value that can change.")
    written = parse_rubric(text, "written.yaml")
    derived = parse_rubric(MINIMAL, "variable.yaml")
    assert written.reference_mode and written.concepts == derived.concepts
    assert written.depth("answer").concepts == derived.depth("answer").concepts
    assert written.scoring == derived.scoring
    assert text.startswith("# Reference-answer rubric")


@pytest.mark.parametrize("text, expected", [
    ("What is a variable?", "what-is-a-variable"),
    ("Why do C++ programs begin at main()? Explain in detail please", "why-do-c-programs-begin-at"),
    ("???", "question"),
    ("Explain " + "supercalifragilistic " * 6, ("explain-" + "supercalifragilistic-" * 3)[:64].rstrip("-")),
])
def test_slug(text, expected):
    assert slug(text) == expected
