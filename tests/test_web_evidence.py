"""The web app's pure parts, without a model or a server: evidence placed in the answer as typed,
and which hosts a server bound to an address accepts."""

from __future__ import annotations

import pytest

from genco_interview.card import ConceptResult, MisconceptionHit, ScoreCard, Status
from genco_interview.web.evidence import locate, pieces
from genco_interview.web.guard import CsrfToken, allowed_hosts, is_loopback

ANSWER = "Generators yield\n  many values.  A coroutine awaits one result.\nThreads are coroutines."


def _concept(cid: str, status: Status, evidence: str | None, score: float = 1.0) -> ConceptResult:
    return ConceptResult(id=cid, name=cid.title(), weight=1.0, status=status, score=score, similarity=0.8,
                         evidence=evidence, description="")


def _card(concepts, misconceptions=()) -> ScoreCard:
    return ScoreCard(question="q", depth="quick", score=50.0, concepts=list(concepts),
                     misconceptions=list(misconceptions), model="m")


def test_locate_finds_evidence_whose_spacing_and_case_the_scorer_normalised():
    start, end = locate(ANSWER, "A coroutine awaits one result.")
    assert ANSWER[start:end] == "A coroutine awaits one result."
    start, end = locate(ANSWER, "generators yield many values.")
    assert ANSWER[start:end] == "Generators yield\n  many values."
    assert locate(ANSWER, "not in the answer") is None and locate(ANSWER, "   ") is None
    assert locate("a+b (c)", "a+b (c)") == (0, 7)  # regex characters are literal


def test_pieces_give_the_answer_back_with_overlapping_marks():
    card = _card([_concept("many", Status.COVERED, "Generators yield many values."),
                  _concept("one", Status.PARTIAL, "many values.  A coroutine awaits one result.", 0.6),
                  _concept("gone", Status.MISSING, "Threads are coroutines."),
                  _concept("none", Status.COVERED, None)],
                 [MisconceptionHit(id="threads", description="Threads", correction="No", penalty=5, similarity=0.7,
                                   evidence="Threads are coroutines.")])
    cut = pieces(ANSWER, card)
    assert "".join(p.text for p in cut) == ANSWER
    by_text = {p.text: p for p in cut}
    assert [m.number for m in by_text["many values."].marks] == [1, 2]
    assert by_text["many values."].kind == "covered"
    assert by_text["Threads are coroutines."].kind == "misconception"  # the missing concept earned nothing
    assert by_text["Threads are coroutines."].marks[0].label == "Threads: misconception"
    assert by_text["  A coroutine awaits one result."].marks[0].label == "One: partial, 60%"  # the card's credit, as the CLI shows it


def test_pieces_of_an_empty_answer():
    assert pieces("", _card([_concept("a", Status.MISSING, None)])) == []


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                                ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.9", False),
                                                ("example.org", False), ("::ffff:127.0.0.1", True),
                                                ("::ffff:192.168.1.9", False)])
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_allowed_hosts_name_only_the_bound_host():
    assert set(allowed_hosts("127.0.0.1")) == {"127.0.0.1", "localhost", "[::1]"}
    assert allowed_hosts("::1")[0] == "[::1]" and allowed_hosts("2001:DB8::5") == ["[2001:db8::5]"]
    assert allowed_hosts("192.168.1.9") == ["192.168.1.9"]
    assert "localhost" in allowed_hosts("0.0.0.0") and "*" not in allowed_hosts("0.0.0.0")


def test_the_form_token_is_per_secret_and_compared_whole():
    token = CsrfToken(b"one")
    assert token.matches(CsrfToken(b"one").value)
    assert not token.matches(CsrfToken(b"two").value)
    assert not token.matches(token.value[:-1]) and not token.matches(None) and not token.matches("")
    assert CsrfToken().value != CsrfToken().value  # a fresh random secret per process
