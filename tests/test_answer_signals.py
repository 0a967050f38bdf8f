"""Answer-level signals as pure functions: the misconception lead and how much of an answer is code.

No model: these read the rules' hits and the segmenter's units. What the shipped weights make of
them with real answers is tests/test_quality.py's and tests/test_scoring_kinds.py's business.
"""

from __future__ import annotations

import numpy as np
import pytest

from genco_interview.card import MisconceptionHit
from genco_interview.scoring.combination import shipped_combination
from genco_interview.scoring.signals import (
    ANSWER_SIGNALS,
    code_reaches_a_concept,
    misconception_lead,
    mostly_code,
)
from genco_interview.text.segment import code_share

CODE = "```python\ndef numbers():\n    yield 1\n    yield 2\n\nfor n in numbers():\n    print(n)\n```"


def _hit(margin: float) -> MisconceptionHit:
    return MisconceptionHit(id="m", description="d", correction="c", penalty=10, similarity=0.7,
                            evidence="e", margin=margin)


def test_the_misconception_lead_is_the_clearest_win_over_every_correct_claim():
    assert misconception_lead([]) == 0.0
    assert misconception_lead([_hit(0.03), _hit(0.21), _hit(0.1)]) == pytest.approx(0.21)


def test_prose_with_an_example_is_not_mostly_code():
    prose = ("A generator is a function with yield: calling it gives an iterator, and a for loop pulls "
             "its values one at a time, each computed only when asked for. ")
    assert mostly_code(prose + CODE) == 0.0


def test_an_answer_all_code_is_mostly_code_and_half_way_counts_half():
    assert mostly_code(CODE) == pytest.approx(1.0)
    share = code_share("Here it is. " + CODE)
    assert 0.5 < share < 1.0
    assert mostly_code("Here it is. " + CODE) == pytest.approx((share - 0.5) / 0.5)


def test_an_empty_answer_has_no_code():
    assert mostly_code("") == 0.0


def test_code_about_something_else_counts_for_nothing():
    assert mostly_code(CODE, on_topic=False) == 0.0


@pytest.mark.parametrize("answer", [
    "```\nThreads are limited by the GIL for CPU work. asyncio uses an event loop.\n```",
    "```python\n# send resumes the paused yield with a value\n# throw raises inside the generator\n"
    "# close raises GeneratorExit so finally runs\nx = 1\n```",
    "    Threads share one interpreter lock and asyncio runs on one thread",
], ids=["prose-in-a-fence", "notes-as-comments", "indented-prose"])
def test_notes_dressed_as_code_are_not_code(answer):
    assert code_share(answer) < 0.1
    assert mostly_code(answer) == 0.0


def test_block_openers_count_as_code_though_they_do_not_parse_alone():
    assert code_share("```python\ntry:\n    x = yield\nfinally:\n    cleanup()\n```") == pytest.approx(1.0)


def test_code_reaches_a_concept_only_through_its_own_lines():
    units = np.array([[1.0, 0.0], [0.0, 1.0]])  # an on-topic sentence, then a line of code
    exemplars = [np.array([[1.0, 0.0]]), np.array([[0.6, 0.8]])]
    assert not code_reaches_a_concept(units, np.array([False, True]), exemplars[:1], [0.59])
    assert code_reaches_a_concept(units, np.array([False, True]), exemplars, [0.59, 0.59])  # 0.8 to the second
    assert not code_reaches_a_concept(units, np.array([False, True]), exemplars, [0.59, 0.85])  # each its own threshold
    assert not code_reaches_a_concept(units, np.array([False, False]), exemplars, [0.59, 0.59])


def test_what_a_string_literal_says_is_text_and_a_comment_after_code_counts_as_neither():
    claims = '```python\na = "throw() always terminates the generator"\nb = "close() skips finally"\n```'
    assert code_share(claims) < 0.1
    annotated = "```python\ng.send(5)       # prints got 5\ng.throw(ValueError)  # handled, keeps going\n```"
    assert code_share(annotated) == pytest.approx(1.0)


@pytest.mark.parametrize(("signal", "direction"), [("misconception_lead", -1), ("mostly_code", 1)])
def test_the_shipped_weights_move_the_grade_the_way_each_signal_means(signal, direction):
    weight = shipped_combination().overall.weights[ANSWER_SIGNALS.index(signal)]
    assert weight * direction > 0
