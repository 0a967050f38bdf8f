"""Splitting typed answers into scoreable units."""

from __future__ import annotations

import pytest

from genco_interview.scoring.rules import truncation_notes
from genco_interview.text.segment import MAX_CHARS, MAX_PARTS, Segmentation, Unit, quote, segment, words


def _texts(seg: Segmentation, kind: str) -> list[str]:
    return [u.text for u in seg.units if u.kind == kind]


def _only(seg: Segmentation, text: str) -> Unit:
    matches = [u for u in seg.units if u.text == text]
    assert len(matches) == 1, [u.text for u in seg.units]
    return matches[0]


def test_sentences_split_at_end_punctuation() -> None:
    answer = "A generator yields many values. A coroutine returns one result! Is that the difference? Yes."
    seg = segment(answer)
    assert _texts(seg, "sentence") == [
        "A generator yields many values.",
        "A coroutine returns one result!",
        "Is that the difference?",
        "Yes.",
    ]
    assert not seg.truncated
    assert seg.original_chars == len(answer)


def test_an_ellipsis_character_ends_a_sentence_as_three_dots_do() -> None:
    seg = segment("A generator yields many values\u2026 A coroutine returns one result... The loop drives it.")
    assert _texts(seg, "sentence") == [
        "A generator yields many values\u2026",
        "A coroutine returns one result...",
        "The loop drives it.",
    ]


def test_abbreviations_do_not_end_a_sentence() -> None:
    seg = segment("Generators are lazy, e.g. range objects are similar. They compute on demand.")
    assert _texts(seg, "sentence") == [
        "Generators are lazy, e.g. range objects are similar.",
        "They compute on demand.",
    ]


def test_a_line_break_inside_a_paragraph_does_not_end_a_sentence() -> None:
    seg = segment("A generator produces values one at a time\nwhen a for loop asks for them.")
    assert _texts(seg, "sentence") == ["A generator produces values one at a time when a for loop asks for them."]


def test_short_note_lines_starting_with_a_term_are_statements_of_their_own() -> None:
    seg = segment("yield hands one value out\nawait waits for an awaitable\nboth pause the frame")
    assert _texts(seg, "sentence") == ["yield hands one value out", "await waits for an awaitable",
                                       "both pause the frame"]


def test_long_unpunctuated_lines_opening_with_a_capital_are_statements_of_their_own() -> None:
    """Points typed one a line without full stops were read as one sentence when a line was long enough to
    have been wrapped: "... or a for loop A coroutine is awaited ..." earned neither point cleanly."""
    seg = segment("A generator yields many values lazily and is pulled by next() or a for loop\n"
                  "A coroutine is awaited and driven by the event loop, and it produces one result\n"
                  "Both are built on the same suspendable frame machinery in CPython today")
    assert _texts(seg, "sentence") == [
        "A generator yields many values lazily and is pulled by next() or a for loop",
        "A coroutine is awaited and driven by the event loop, and it produces one result",
        "Both are built on the same suspendable frame machinery in CPython today"]


def test_lines_opening_with_a_code_term_are_points_of_their_own_where_no_line_ends_a_sentence() -> None:
    points = ("send() resumes the generator and the value becomes the result of the paused yield\n"
              "throw() raises an exception inside the generator at the paused yield\n"
              "__aiter__ returns the async iterator itself, which the async for loop then uses")
    assert _texts(segment(points), "sentence") == points.split("\n")
    wrapped = ("Calling a generator's methods resumes it: the value it is sent becomes the result of\n"
               "send() at the paused yield. A second line ends here.")
    assert _texts(segment(wrapped), "sentence")[0].endswith("result of send() at the paused yield.")


def test_a_hard_wrapped_line_running_into_a_name_or_i_stays_one_sentence() -> None:
    seg = segment("A coroutine is resumed by the event loop whenever the awaited object is done\n"
                  "CPython then runs it to its next await, and the caller waits for\n"
                  "I/O elsewhere.")
    assert _texts(seg, "sentence") == [
        "A coroutine is resumed by the event loop whenever the awaited object is done CPython then runs it to its "
        "next await, and the caller waits for I/O elsewhere."]


def test_a_long_line_wrapped_at_a_colon_goes_on_where_a_lead_in_does_not() -> None:
    """An editor wrapping a long line at a colon split "A tuple is immutable:" from the rest of its sentence: the
    claim read as another than the same text on one line, and a rubric's own model answer read as reversed."""
    wrapped = segment("A list is mutable, so you can append and change its items in place. A tuple is immutable:\n"
                      "once created, its items cannot be reassigned.")
    assert _texts(wrapped, "sentence") == ["A list is mutable, so you can append and change its items in place.",
                                           "A tuple is immutable: once created, its items cannot be reassigned."]
    for going_on in ("next() pulls many values from a generator.", "`yield` hands out many values."):
        code_first = segment("Both suspend, and the difference between them comes down to one thing in my view:\n"
                             + going_on)
        assert len(_texts(code_first, "sentence")) == 1, going_on
    lead_in = segment("Generators:\nlazy, pulled by next()\nCoroutines:\nawaited, driven by the loop")
    assert _texts(lead_in, "sentence") == ["Generators:", "lazy, pulled by next()", "Coroutines:",
                                           "awaited, driven by the loop"]
    typed_as_a_point = segment("Here is the one difference that matters most in practice, as I see it:\n"
                               "Generators are pulled by next() and coroutines are awaited.")
    assert len(_texts(typed_as_a_point, "sentence")) == 2


LOWER_CASE_POINTS = ("asyncio.run creates a new event loop, runs the main coroutine and closes the loop\n"
                     "each task wraps a coroutine and steps it by calling send(None) on it\n"
                     "the loop keeps a ready queue of callbacks and a heap of timers\n"
                     "blocking code freezes the whole loop because nothing else can run until the\n"
                     "call returns")


def test_points_typed_a_line_each_in_lower_case_are_quoted_by_their_own_line() -> None:
    """Long lower-case lines with no full stop anywhere run together into one sentence (a line opening with a
    function word may go on the one before), but no clause spans two of them, and a clause is quoted by its
    own point: eight such lines were one sentence of 837 characters, every concept quoting its first 280."""
    seg = segment(LOWER_CASE_POINTS)
    assert len(_texts(seg, "sentence")) == 1
    clauses = [u for u in seg.units if u.kind == "clause"]
    assert "closes the loop each task wraps a coroutine" not in " | ".join(u.text for u in clauses)
    by_text = {u.text: quote(u) for u in clauses}
    assert by_text["each task wraps a coroutine and steps it by calling send(None) on it"] == \
        "each task wraps a coroutine and steps it by calling send(None) on it"
    assert quote(_only(seg, "blocking code freezes the whole loop because nothing else can run until the call returns")) \
        == "blocking code freezes the whole loop because nothing else can run until the call returns"
    ended = segment(LOWER_CASE_POINTS + ".")  # the last point ended with a full stop: read as without it
    assert [quote(u).rstrip(".") for u in ended.units if u.kind == "clause"] == [quote(u) for u in clauses]
    wrapped = segment(LOWER_CASE_POINTS + ".\nA generator yields.")  # a sentence ends mid-block: hard-wrapped prose
    assert all(quote(u) == u.sentence for u in wrapped.units)


def test_a_short_line_ending_on_a_function_word_runs_on() -> None:
    seg = segment("A coroutine is driven by the\nevent loop until it returns.")
    assert _texts(seg, "sentence") == ["A coroutine is driven by the event loop until it returns."]


def test_no_window_spans_two_answers_of_a_transcript() -> None:
    """A candidate's answers to two questions were read as one passage: the last sentence of one and the first of
    the next formed a window, quoted together as one red flag under the candidate's name."""
    from genco_interview.text.reading import normalise_answer

    transcript = ("Interviewer: What does @ do?\nCandidate: The decorator runs once, at definition. Then each call "
                  "goes through the wrapper.\nInterviewer: And the name?\nCandidate: I use functools.wraps.")
    seg = segment(normalise_answer(transcript, transcript=True))
    windows = [u.text for u in seg.units if u.kind == "window"]
    assert windows == ["The decorator runs once, at definition. Then each call goes through the wrapper."], windows
    assert [u.text for u in segment("It yields. It is lazy.\n\nThe loop drives it.").units if u.kind == "window"] \
        == ["It yields. It is lazy."]  # a paragraph's sentences pair up; the next paragraph's do not join them


def test_adjacent_sentences_also_form_a_window() -> None:
    seg = segment("A generator yields values. It is consumed by a for loop.")
    first, second = _texts(seg, "sentence")
    window = _only(seg, f"{first} {second}")
    assert window.kind == "window"
    assert window.parts[:2] == [seg.units.index(_only(seg, first)), seg.units.index(_only(seg, second))]


@pytest.mark.parametrize("marker", ["-", "*", "+", "•", "1.", "2)"])
def test_bullets_become_sentences_without_their_markers(marker: str) -> None:
    answer = f"{marker} generators are driven by a for loop\n{marker} coroutines are driven by the event loop\n"
    seg = segment(answer)
    assert _texts(seg, "sentence") == [
        "generators are driven by a for loop",
        "coroutines are driven by the event loop",
    ]
    assert all(not u.text.startswith(marker) for u in seg.units)


def test_markdown_emphasis_is_stripped() -> None:
    seg = segment("A **generator** is driven by `for` and `next()`, a **coroutine** by the *event loop*.")
    assert not any(mark in u.text for u in seg.units for mark in ("*", "`", "__"))
    whole = seg.units[0]
    assert whole.kind == "sentence"
    assert whole.text == "A generator is driven by for and next(), a coroutine by the event loop."


def test_heading_markers_are_stripped() -> None:
    seg = segment("## Generators versus coroutines in Python today\n\nA generator yields many values.")
    assert not any(u.text.startswith("#") for u in seg.units)
    assert "A generator yields many values." in [u.text for u in seg.units]


def test_code_fence_lines_become_code_units_and_comments_become_prose() -> None:
    answer = (
        "Here is a generator compared with a coroutine.\n"
        "```python\n"
        "def gen():  # produces values lazily\n"
        "    yield 1\n"
        "async def coro():\n"
        "    return await fetch()  # one eventual result\n"
        "```\n"
        "That is the whole difference.\n"
    )
    seg = segment(answer)
    code = _texts(seg, "code")
    assert "def gen():" in code
    assert "yield 1" in code
    assert "async def coro():" in code
    assert "return await fetch()" in code
    assert "def gen():\nyield 1\nasync def coro():\nreturn await fetch()" in code  # the block as a whole
    assert all("```" not in u.text for u in seg.units)
    assert all("#" not in t for t in code)
    for comment in ("produces values lazily", "one eventual result"):
        unit = _only(seg, comment)
        assert unit.kind == "clause"
        assert not unit.fragment
    assert _texts(seg, "sentence") == [
        "Here is a generator compared with a coroutine.",
        "That is the whole difference.",
    ]
    assert not any(u.fragment for u in seg.units if u.kind == "code")


@pytest.mark.parametrize("opened", ["```\n", "~~~\n", "Example:\n```python\ndef g():\n    yield 1\n\n", "    ",
                                    "```text\n{}\n```", "~~~\n{}\n~~~"])
def test_prose_after_a_fence_left_open_or_indented_is_read_as_prose(opened: str) -> None:
    """A fence never closed held every line after it, an indented paragraph was an indented code block, and an
    answer typed in a closed fence was code line by line: the whole answer was read as code."""
    prose = "A generator produces many values lazily and is driven by a for loop. A coroutine is awaited."
    seg = segment(opened.format(prose) if "{}" in opened else opened + prose)
    assert _texts(seg, "sentence") == [*(["Example:"] if "Example" in opened else []),
                                       "A generator produces many values lazily and is driven by a for loop.",
                                       "A coroutine is awaited."]
    assert ("yield 1" in _texts(seg, "code")) == ("yield" in opened)


def test_code_after_a_fence_left_open_stays_code_and_a_closed_fence_holds_its_prose() -> None:
    from genco_interview.text.segment import code_share, in_code_fences

    code = ["```", "def g():", "    # the loop runs it, one step at a time", "    x = foo(a,", "        b)",
            "def bump():  # += is load, add and store: racy without the lock"]
    assert in_code_fences(code) == [True] * 6  # a comment, a wrapped call or a header and its comment is no prose
    assert not any(u.kind != "code" and u.text.startswith("def") for u in segment("\n".join([*code, "```"])).units)
    closed = ["```", "Output: the loop printed every value here", "```", "Prose is read as prose here."]
    assert in_code_fences(closed) == [True, True, True, False]
    assert in_code_fences(["```", "x = 1", "```", "```", "y = 2", "Then the loop runs it to the end."]) == [
        True, True, True, True, True, False]  # the last fence, never closed, ends at the prose
    assert in_code_fences(["```", "aa bb cc dd " * 100_000]) == [True, False]  # prose too long to parse: prose
    assert code_share("```\n" + "not " * 3000 + "a\n```") == 0.0  # past the parser's limits (it raised): text


def test_unfenced_code_lines_are_recognised() -> None:
    seg = segment("A generator looks like this.\n\nfor item in gen():\n    print(item)\n")
    assert {"for item in gen():", "print(item)"} <= set(_texts(seg, "code"))


@pytest.mark.parametrize("joint", [" while ", " whereas ", "; ", " \u2014 ", ", but "])
def test_contrast_words_split_a_sentence_into_clauses(joint: str) -> None:
    sentence = f"A generator yields many values{joint}a coroutine returns one result."
    seg = segment(sentence)
    whole = seg.units[0]
    assert whole.kind == "sentence"
    assert whole.text == sentence
    clauses = [seg.units[i] for i in whole.parts]
    assert [c.text for c in clauses] == ["A generator yields many values", "a coroutine returns one result"]
    assert all(c.kind == "clause" and c.sentence == sentence for c in clauses)


@pytest.mark.parametrize(("sentence", "clauses"), [
    ("A generator yields many values and a coroutine is awaited.",
     ["A generator yields many values", "a coroutine is awaited"]),
    ("Generators are pulled by next() and coroutines and tasks are driven by the loop.",
     ["Generators are pulled by next()", "coroutines and tasks are driven by the loop"]),
    ("Both generators and coroutines suspend.", []),  # "and" joins the subject: one claim of both
    ("The difference between a generator and a coroutine is what drives them.", []),
    ("A generator and a coroutine both suspend.", []),
])
def test_and_before_a_role_term_splits_two_claims_about_the_roles(sentence: str, clauses: list[str]) -> None:
    """Read whole, "a generator yields many values and a coroutine is awaited" is the same bag of words as
    its roles exchanged, and was named the belief that a coroutine yields many values."""
    seg = segment(sentence, roles=("generator", "coroutine"))
    assert [seg.units[i].text for i in seg.units[0].parts] == clauses
    assert segment(sentence).units[0].parts == []  # a rubric without role terms splits nothing


def test_a_simple_sentence_has_no_clauses() -> None:
    seg = segment("A coroutine is driven by the event loop.")
    assert [(u.kind, u.parts) for u in seg.units] == [("sentence", [])]


@pytest.mark.parametrize(
    "answer",
    ["yield, await, event loop, async for", "generator / coroutine / event loop / iteration.", "yield; await; send"],
)
def test_a_keyword_list_is_marked_fragment(answer: str) -> None:
    seg = segment(answer)
    whole = seg.units[0]
    assert whole.kind == "sentence"
    assert whole.fragment
    assert len(whole.parts) >= 3


def test_a_few_words_that_trail_off_pair_with_what_follows_not_with_what_came_before() -> None:
    """ "Coroutines..." announces the next sentence's subject: paired with the one before, "It produces values
    one by one. Coroutines..." read as saying it of coroutines."""
    windows = [u.text for u in segment("It produces values one by one. Coroutines... They are awaited.").units
               if u.kind == "window"]
    assert windows == ["Coroutines... They are awaited."]
    for trailing in ("Coroutines..", "Coroutines . . .", "So, coroutines\u2026"):
        windows = [u.text for u in segment(f"It produces values one by one. {trailing} They are awaited.").units
                   if u.kind == "window"]
        assert len(windows) == 1 and not windows[0].startswith("It produces"), (trailing, windows)
    assert len([u for u in segment("Generators are lazy. Coroutines too.").units if u.kind == "window"]) == 1


@pytest.mark.parametrize("sentence", ["Use asyncio for I/O-bound work, threads too.",
                                      "Use 1/2 of the budget, 3/4 of the time, all of it.",
                                      "Files live in /usr/lib/python3/dist-packages, not in site, on Debian."])
def test_slashes_that_join_no_terms_make_no_keyword_list(sentence: str) -> None:
    assert not [u for u in segment(sentence).units if u.fragment]


def test_a_block_quotes_markers_are_not_read() -> None:
    assert [u.text for u in segment("> Note: a generator is lazy.").units][0] == "Note: a generator is lazy."


def test_terms_joined_by_slashes_and_commas_are_still_a_list() -> None:
    units = segment("send/throw/close, yield, await / event loop").units
    assert [u.text for u in units if u.kind == "clause"] == ["send/throw/close", "yield", "await", "event loop"]


def test_the_slashes_of_a_link_do_not_make_a_sentence_a_keyword_list() -> None:
    units = segment("The docs at https://docs.python.org/3/library/asyncio-task.html explain tasks.").units
    assert [(u.kind, u.fragment) for u in units] == [("sentence", False)]


def test_a_real_sentence_is_not_a_fragment() -> None:
    seg = segment("A generator yields many values, one at a time, when iterated by a for loop.")
    assert not seg.units[0].fragment


def test_an_overlong_answer_is_truncated() -> None:
    sentence = "A generator yields many values lazily. "
    answer = sentence * (MAX_CHARS // len(sentence) + 50)
    assert len(answer) > MAX_CHARS
    seg = segment(answer)
    assert seg.truncated
    assert seg.original_chars == len(answer)
    assert sum(1 for u in seg.units if u.kind == "sentence") <= MAX_CHARS // len(sentence) + 1


def test_an_overlong_answer_is_cut_at_its_last_whole_sentence() -> None:
    """The cut went through a sentence, and its first half ("A coroutine is awaited and the event loop
    run") was read, and quoted, as a claim."""
    sentence = "A coroutine is awaited and the event loop runs it. "
    answer = sentence * (MAX_CHARS // len(sentence) + 5)
    assert answer[:MAX_CHARS].rstrip().endswith(".") is False
    seg = segment(answer)
    assert seg.truncated and {u.text for u in seg.units if u.kind == "sentence"} == {sentence.strip()}
    start = MAX_CHARS // len(sentence) * len(sentence)  # of the sentence the limit cuts, which breaks a line too
    wrapped = answer[:start + 1] + "\n" + answer[start + 2:]
    assert {u.text for u in segment(wrapped).units if u.kind == "sentence"} == {sentence.strip()}
    one_line = "x" * (MAX_CHARS + 10)  # no sentence ends: cut where the limit falls
    assert segment(one_line).units[0].text == "x" * MAX_CHARS


@pytest.mark.parametrize("answer", [
    " ".join(f"x{i}." for i in range(3000)),  # prose fragments
    "Generators, coroutines" + ", generators, coroutines" * 350 + ".\nBoth are suspendable.",  # one list of 700 items
    "```\n" + "\n".join(f"x = {i}  # step {i}" for i in range(1000)) + "\n```",  # a long code block
])
def test_an_answer_of_thousands_of_fragments_is_cut_at_max_parts(answer: str) -> None:
    """Within the character limit, thousands of tiny sentences took seconds to embed: the answer is read up
    to the sentence that would pass MAX_PARTS (a code block to its line that would), and the card says so."""
    seg = segment(answer)
    assert seg.cut_at_parts and not seg.truncated
    assert 0 < sum(1 for u in seg.units if u.kind != "window") <= MAX_PARTS
    assert truncation_notes(seg) == [f"The answer has more than {MAX_PARTS} sentences, clauses and code lines; "
                                     f"only the first {MAX_PARTS} were scored."]


def test_max_chars_can_be_lowered() -> None:
    seg = segment("First sentence here. Second sentence there.", max_chars=20)
    assert seg.truncated
    assert _texts(seg, "sentence") == ["First sentence here."]


def test_an_answer_at_the_limit_is_not_truncated() -> None:
    answer = "x" * MAX_CHARS
    assert not segment(answer).truncated


@pytest.mark.parametrize("tail", ["\n" * 25_000, " " * 25_000, "  \n\t" * 8_000])
def test_blank_space_ending_an_answer_is_never_a_cut(tail: str) -> None:
    """25,000 blank lines after one sentence: "only the first 20,000 characters were scored", and uncertain."""
    from genco_interview.text.reading import normalise_answer

    sentence = "A generator yields many values lazily; a coroutine is awaited by the event loop."
    seg = segment(normalise_answer(sentence + tail))
    assert not seg.truncated and truncation_notes(seg) == [] and seg.original_chars == len(sentence)


def test_shorthand_is_spelled_out_wherever_its_spaces_start() -> None:
    from genco_interview.text.reading import expand_abbreviations

    assert expand_abbreviations("gen -> many vals   =>  1 result; a->b") == "generator gives many values gives one result; a gives b"


@pytest.mark.parametrize("answer", ["", "   ", "\n\n\t\n", "```\n```"])
def test_an_empty_answer_has_no_units(answer: str) -> None:
    seg = segment(answer)
    assert seg.units == []
    assert not seg.truncated
    assert seg.original_chars == len(answer)


def test_word_counts() -> None:
    assert words("A generator's yield_from value, 42 times") == 5  # numbers are not words
    seg = segment("A coroutine is awaited.")
    assert seg.units[0].words == 4


def test_markdown_heading_stands_alone_even_without_a_blank_line():
    units = segment("## Generators\nA generator yields many values.").units
    heading = next(u for u in units if u.text == "Generators")
    assert heading.fragment
    assert any(u.text == "A generator yields many values." and not u.fragment for u in units)


def test_nested_bullets_are_prose_not_code():
    units = segment("- top point\n    - a nested bullet about coroutines").units
    assert [u.kind for u in units if "nested" in u.text][0] == "sentence"


def test_a_question_and_answer_on_one_line_keep_the_answer() -> None:
    """Never dropped whole as one label's line: the answer is read as its own turn, the question left out."""
    from genco_interview.text.reading import normalise_answer

    line = "Q: What is the difference? A: a generator yields many values."
    assert normalise_answer(line) == normalise_answer(line, transcript=True) == "a generator yields many values."
    assert normalise_answer("a\x00generator") == "a generator"


@pytest.mark.parametrize("closing", [")", "]", '"', "\u201d", "'"])
def test_a_sentence_ends_at_its_mark_before_a_closing_bracket_or_quote(closing: str) -> None:
    """"(Note: a for loop drives a generator.) A coroutine ..." was one sentence: its two claims were read as one,
    near a misconception, and the concept the first earned went missing (41.6 to 26.6)."""
    opening = {")": "(", "]": "[", '"': '"', "\u201d": "\u201c", "'": "'"}[closing]
    text = f"{opening}Note: a for loop drives a generator.{closing} A coroutine resolves to one result."
    sentences = [u.sentence for u in segment(text).units if u.kind == "sentence"]
    assert sentences == [f"{opening}Note: a for loop drives a generator.{closing}", "A coroutine resolves to one result."]


@pytest.mark.parametrize("answer", [
    "Generators:\n- produce many values\n- are lazy\n\nCoroutines:\n- are awaited",
    "- Generators\n  - produce many values\n  - are lazy\n- Coroutines\n  - are awaited",
])
def test_a_list_item_is_read_with_its_lead_in_and_quoted_as_typed(answer: str) -> None:
    """"produce many values" alone names no subject: under "Generators:" (or an item a nested list hangs from) it
    is a claim about generators. The item is still the sentence shown."""
    units = {u.sentence: u.text for u in segment(answer, leads=True).units if u.kind == "sentence"}
    assert units["produce many values"] == "Generators: produce many values"
    assert units["are lazy"] == "Generators: are lazy"
    assert units["are awaited"] == "Coroutines: are awaited"
    plain = {u.sentence: u.text for u in segment(answer).units if u.kind == "sentence"}
    assert plain["are awaited"] == "are awaited"


def test_a_lead_in_ends_where_its_list_does() -> None:
    units = {u.sentence: u.text for u in segment("Generators:\n- are lazy\nCoroutines are awaited.\n- one result",
                                                 leads=True).units if u.kind == "sentence"}
    assert units["Coroutines are awaited."] == "Coroutines are awaited."
    assert units["one result"] == "one result"  # a line that is no item ended the list
    windows = [u for u in segment("Generators:\n- are lazy\n- yield values", leads=True).units if u.kind == "window"]
    assert [w.text for w in windows] == ["Generators: are lazy", "Generators: are lazy yield values"]
    assert windows[1].sentence == "are lazy yield values"


@pytest.mark.parametrize(("text", "read"), [
    # a citation then a claim, no full stop between them: the claim was dropped with it, or kept its pieces
    ("Cf. https://x.org A generator is lazy. See https://a.org and https://b.org A coroutine is awaited.",
     "A generator is lazy. A coroutine is awaited."),
    ("Source: https://x.org (adapted from Real Python) A generator is lazy.", "A generator is lazy."),
    ("Read more at https://y.org a coroutine is awaited.", "a coroutine is awaited."),
    # a bracket naming a link's source goes with it; one claiming something keeps its words
    ("A generator is lazy (Real Python, https://realpython.com/g). It yields (PEP 255: https://peps.python.org/).",
     "A generator is lazy. It yields."),
    ("A coroutine is awaited (the loop runs it one step at a time, https://x.org).",
     "A coroutine is awaited (the loop runs it one step at a time,)."),
    ("A coroutine is awaited (cf. https://x.org).", "A coroutine is awaited."),
    ("From Python 3.3 on, a generator delegates (https://peps.python.org/pep-0380/).",
     "From Python 3.3 on, a generator delegates."),
    ("(https://" + "a" * 3000 + " " + "b" * 3000, "(" + " " + "b" * 3000),  # a bracket never closed: read as text
    # a reference link as its text, its definition and a footnote's number left out; an address with no scheme
    ("As [PEP 492][pep] says, a coroutine is awaited. See [here][1].\n[pep]: https://peps.python.org/pep-0492/\n"
     '[1]: <https://x.org> "Title"', "As PEP 492 says, a coroutine is awaited.\n\n"),
    ("It yields one result.[^2]\n[^2]: Details in PEP 492.", "It yields one result.\nDetails in PEP 492."),
    ("See docs.python.org/3/library/asyncio.html for more. asyncio.run(main()) starts the loop.",
     "asyncio.run(main()) starts the loop."),
    ("matrix[i][j] is read; x[0] too.", "matrix[i][j] is read; x[0] too."),  # indexing, no link
    ("matrix[i][j] reads row i [3].\n[3]: https://x.org/a", "matrix[i][j] reads row i.\n"),  # indexing beside a link
    ("Lists grow [1][2].", "Lists grow ."),  # citation numbers, no link's text ("Lists grow 1.")
    # a number citing a defined link, and a footnote's label of words once it is defined; a regex's class is none
    ('It creates an event loop [1].\n[1]: https://docs.python.org/3/ "Runner"', "It creates an event loop.\n"),
    ("It is single threaded[^note]. Not [^abc].\n[^note]: See https://x.org/a.",
     "It is single threaded. Not [^abc].\n"),
])
def test_what_only_cites_is_left_out_and_the_claims_beside_it_are_read(text: str, read: str) -> None:
    from genco_interview.text.segment import without_links

    assert without_links(text) == read
