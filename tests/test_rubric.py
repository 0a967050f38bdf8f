"""Rubric loading, validation messages (file:line: field: problem) and discovery."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from genco_interview.rubric import (
    RUBRICS_ENV,
    RubricError,
    ScoringConfig,
    UnknownName,
    discover,
    find,
    load_rubric,
    parse_rubric,
    pick_random,
    tagged,
    with_tag,
)
from genco_interview.rubric.bank import shipped_dirs

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED_ID = "coroutine-vs-generator"
KEY_CONCEPTS = ["shared_mechanism", "driver", "one_vs_many", "async_generators"]

# A small valid rubric. The line numbers in the comments are what the error tests below expect.
BASE = """\
schema_version: 1
id: tiny-question
title: A tiny question
tags: [test]
depths:
  quick:
    question: What is alpha?
    time_budget_minutes: 2
    concepts:
      alpha: 1
    model_answer: Alpha comes first.
concepts:
  - id: alpha
    name: Alpha
    description: The alpha idea.
    exemplars:
      - Alpha is the first idea.
      - The first idea is alpha.
      - Alpha comes before everything else.
  - id: beta
    name: Beta
    description: The beta idea.
    exemplars:
      - Beta is the second idea.
      - The second idea is beta.
      - Beta comes after alpha.
"""
# line 1 schema_version, 3 title, 10 alpha weight, 13 first concept, 14 its name,
# 20 second concept, 21 its name, 24 its first exemplar


DEFAULT_IGNORABLE_ESCAPES = ("\\u034f", "\\ufe00", "\\ufe0f", "\\u3164", "\\u115f", "\\u1160", "\\u17b4", "\\u17b5",
                             "\\u180b", "\\u180f", "\\u2800", "\\uffa0", "\\U000e0000", "\\U000e0001",
                             "\\U000e0020", "\\U000e007f", "\\U000e0100", "\\U000e0fff")
"""Characters that show nothing, as YAML escapes: a combining grapheme joiner, variation selectors,
Hangul fillers, Khmer inherent vowels, Mongolian variation selectors, the braille blank, tags."""


def _write(tmp_path: Path, text: str, name: str = "rubric.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _replace(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


@pytest.fixture(autouse=True)
def _no_extra_rubrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RUBRICS_ENV, raising=False)


# --- the shipped rubric -------------------------------------------------------------------


def test_shipped_rubric_loads_with_key_concepts_and_depths() -> None:
    rubric = find(SHIPPED_ID)
    assert rubric.id == SHIPPED_ID
    assert rubric.title
    concept_ids = [c.id for c in rubric.concepts]
    for concept_id in KEY_CONCEPTS:
        assert concept_id in concept_ids
    assert len(set(concept_ids)) == len(concept_ids)
    assert rubric.depth_names == ["quick", "detailed", "deep"]
    assert Path(rubric.path).name == f"{SHIPPED_ID}.yaml"


def test_quick_depth_expects_exactly_the_first_three_key_concepts() -> None:
    quick = find(SHIPPED_ID).depth("quick")
    assert [concept_id for concept_id, _ in quick.concepts] == ["shared_mechanism", "driver", "one_vs_many"]
    assert all(weight > 0 for _, weight in quick.concepts)
    assert quick.question.strip().endswith("?")
    assert quick.time_budget_minutes > 0


def test_deeper_depths_include_async_generators_and_everything_quick_asks() -> None:
    rubric = find(SHIPPED_ID)
    quick = {cid for cid, _ in rubric.depth("quick").concepts}
    for name in ("detailed", "deep"):
        ids = {cid for cid, _ in rubric.depth(name).concepts}
        assert "async_generators" in ids
        assert quick <= ids


def test_shipped_rubric_concepts_are_usable() -> None:
    rubric = load_rubric(shipped_dirs()[0] / f"{SHIPPED_ID}.yaml")
    defined = {c.id for c in rubric.concepts}
    for depth in rubric.depths:
        assert {cid for cid, _ in depth.concepts} <= defined
        assert depth.model_answer
    for concept in rubric.concepts:
        assert len(concept.exemplars) >= 3, concept.id
        assert rubric.concept(concept.id) is concept
    for misconception in rubric.misconceptions:
        assert len(misconception.exemplars) >= 3
        assert misconception.penalty > 0
    assert rubric.scoring.partial < rubric.scoring.covered <= rubric.scoring.full


def test_unknown_depth_name_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        find(SHIPPED_ID).depth("nope")


def test_base_rubric_is_valid(tmp_path: Path) -> None:
    rubric = load_rubric(_write(tmp_path, BASE))
    assert rubric.id == "tiny-question"
    assert [c.id for c in rubric.concepts] == ["alpha", "beta"]
    assert rubric.depth("quick").concepts == (("alpha", 1.0),)
    assert rubric.scoring == ScoringConfig()
    assert rubric.misconceptions == ()
    assert rubric.path == str(tmp_path / "rubric.yaml")


def test_scoring_section_overrides_defaults(tmp_path: Path) -> None:
    text = BASE + "scoring:\n  covered: 0.7\n  partial: 0.6\n  full: 0.8\n  role_swaps: [[a, b]]\n"
    scoring = load_rubric(_write(tmp_path, text)).scoring
    assert (scoring.covered, scoring.partial, scoring.full) == (0.7, 0.6, 0.8)
    assert scoring.role_swaps == (("a", "b"),)
    assert scoring.margin == ScoringConfig().margin


def test_a_role_swap_of_one_term_with_itself_is_an_error_on_its_line(tmp_path: Path) -> None:
    text = BASE + "scoring:\n  role_swaps: [[list, List]]\n"
    with pytest.raises(RubricError, match=r":\d+: scoring\.role_swaps\[0\]: a role swap exchanges two different terms"):
        load_rubric(_write(tmp_path, text))


def test_a_role_term_in_two_pairs_is_an_error_on_the_second(tmp_path: Path) -> None:
    """Exchanged in one pass, generator went to task only, and the first pair was never read."""
    text = BASE + "scoring:\n  role_swaps:\n    - [generator, coroutine]\n    - [task, Generator]\n"
    with pytest.raises(RubricError, match=r":\d+: scoring\.role_swaps\[1\]: 'Generator' is in the pair "
                                          r"\['generator', 'coroutine'\] already"):
        load_rubric(_write(tmp_path, text))


# --- validation errors: file, line, field ---------------------------------------------------

ERROR_CASES = [
    # id, rubric text, expected line, expected field path (or None), expected words
    pytest.param(
        _replace("title: A tiny question", "title: Generators: a tiny question"),
        3, None, "invalid YAML", id="invalid-yaml",
    ),
    pytest.param(
        _replace("      alpha: 1\n", "      alpha: 1\n\tbeta: 1\n"),
        11, None, "invalid YAML", id="invalid-yaml-tab",
    ),
    pytest.param(  # PyYAML's words there do not name the tab
        _replace("  quick:", "\tquick:"),
        6, None, "invalid YAML: found character that cannot start any token (a tab: YAML indents with spaces only)",
        id="a-tab-before-a-key",
    ),
    pytest.param(  # PyYAML's own words, "but found another document", named no document
        _replace("title: A tiny question", "title: A tiny question\n---\ntitle: Another"),
        4, None, "invalid YAML: a second YAML document starts here (---): a rubric file holds one", id="two-documents",
    ),
    pytest.param(  # YAML's reader refuses it before any line is parsed, so it named none
        _replace("title: A tiny question", "title: A tiny\x00 question"),
        3, None, "invalid YAML: holds a control character (U+0000)", id="raw-control-character",
    ),
    pytest.param(  # YAML finds it at the end of the file; the quote to close is on line 3
        _replace("title: A tiny question", 'title: "A tiny question'),
        3, None, "invalid YAML: a quoted text opened on this line is never closed (found unexpected end of stream on "
                 "line", id="unclosed-quote",
    ),
    pytest.param(  # a later quote ends it, where YAML stops: the line that opened it is named beside
        _replace("title: A tiny question", 'title: "A tiny question').replace("What is alpha?", '"What is alpha?"'),
        7, None, "invalid YAML: did not find expected key (line 3 opens a quote that it does not close)",
        id="unclosed-quote-closed-later",
    ),
    pytest.param(  # a quote across a block text's lines is no YAML quote: the error is the indentation, alone
        _replace("    model_answer: Alpha comes first.\n",
                 '    model_answer: >-\n      Alpha, "comes\n      first".\n').replace("    name: Beta", "     name: Beta"),
        23, None, "invalid YAML: mapping values are not allowed", id="block-text-quotes-and-a-later-indent-slip",
    ),
    pytest.param(  # a quote closed on the next line is closed: the error after it is its own
        _replace("title: A tiny question\ntags: [test]", 'title: "A tiny\n  question"\n tags: [test]'),
        5, None, "invalid YAML: did not find expected key", id="quote-over-two-lines-then-an-indent-slip",
    ),
    pytest.param(
        _replace("title: A tiny question", "title: [A tiny question"),
        3, None, "invalid YAML: a [ list opened on this line is never closed", id="unclosed-bracket",
    ),
    pytest.param(
        _replace("title: A tiny question\n", ""),
        1, None, "missing required field 'title'", id="missing-top-level-field",
    ),
    pytest.param(
        _replace("    name: Beta\n", ""),
        20, "concepts[1]", "missing required field 'name'", id="missing-concept-field",
    ),
    pytest.param(
        _replace("    model_answer: Alpha comes first.\n", ""),
        7, "depths.quick", "missing required field 'model_answer'", id="missing-depth-field",
    ),
    pytest.param(
        _replace("    name: Alpha\n", "    name: Alpha\n    colour: blue\n"),
        15, "concepts[0].colour", "unknown field", id="unknown-concept-field",
    ),
    pytest.param(
        _replace("tags: [test]\n", "tags: [test]\nauthor: me\n"),
        5, "author", "unknown field", id="unknown-top-level-field",
    ),
    pytest.param(  # a misspelt key whose value is a block: the key's line, not the block's first
        _replace("tags: [test]\n", "tags: [test]\nauthors:\n  - me\n"),
        5, "authors", "unknown field", id="unknown-field-holding-a-block",
    ),
    pytest.param(
        _replace("      alpha: 1\n", "      alpha: 1\n      gamma: 2\n"),
        11, "depths.quick.concepts.gamma", "unknown concept 'gamma'", id="unknown-concept-in-depth",
    ),
    pytest.param(
        _replace("  - id: beta\n", "  - id: alpha\n"),
        20, "concepts[1]", "duplicate concept id 'alpha'", id="duplicate-concept-id",
    ),
    pytest.param(  # a depth naming the id the duplicate replaced: the duplicate is the mistake to name
        _replace("  - id: beta\n", "  - id: alpha\n").replace("      alpha: 1\n", "      alpha: 1\n      beta: 1\n"),
        21, "concepts[1]", "duplicate concept id 'alpha'", id="duplicate-concept-id-named-by-a-depth",
    ),
    pytest.param(  # an interviewer's --override "alpha=covered" marked one of the two, unsaid
        _replace("    name: Beta\n", "    name: alpha\n"),
        20, "concepts[1]", "concept 'beta' is named 'alpha', the name of concept 'alpha'", id="concept-name-repeated",
    ),
    pytest.param(
        _replace("    name: Alpha\n", "    name: BETA\n"),
        13, "concepts[0]", "concept 'alpha' is named 'BETA', the id of concept 'beta'", id="concept-named-as-another-id",
    ),
    pytest.param(  # both read "Alpha" on every card and --help; a zero-width space told them apart for the loader only
        _replace("    name: Beta\n", "    name: \"Al\\u200bpha\"\n"),
        20, "concepts[1]", "concept 'beta' is named 'Al\\u200bpha', the name of concept 'alpha'",  # the character said
        id="concept-name-repeated-but-for-an-invisible-character",
    ),
    pytest.param(
        _replace("      - Beta comes after alpha.\n", ""),
        24, "concepts[1].exemplars", "needs at least 3 entries, has 2", id="too-few-exemplars",
    ),
    pytest.param(
        _replace("schema_version: 1", "schema_version: 2"),
        1, "schema_version", "unsupported schema_version '2'", id="wrong-schema-version",
    ),
    pytest.param(
        _replace("schema_version: 1\n", ""),
        1, None, "missing required field 'schema_version'", id="missing-schema-version",
    ),
    pytest.param(
        _replace("      alpha: 1", "      alpha: heavy"),
        10, "depths.quick.concepts.alpha", "expected a number, got 'heavy'", id="non-number-weight",
    ),
    pytest.param(
        _replace("  - id: alpha\n", "  - id: alpha\n    <<: {name: Alpha}\n"),
        14, "concepts[0].<<", "a YAML merge key (<<) is not supported in a rubric", id="merge-key",
    ),
    pytest.param(
        _replace("      alpha: 1", "      <<: {alpha: 1}"),
        10, "depths.quick.concepts.<<", "a YAML merge key (<<) is not supported", id="merge-key-in-weights",
    ),
    pytest.param(
        _replace("    time_budget_minutes: 2", "    time_budget_minutes: |\n      3"),
        8, "depths.quick.time_budget_minutes", "expected a number, got the text '3\\n'", id="block-text-budget",
    ),
    pytest.param(
        _replace("      alpha: 1", '      alpha: "2"'),
        10, "depths.quick.concepts.alpha", "expected a number, got the text '2' (remove the quotes", id="quoted-weight",
    ),
    pytest.param(
        _replace("      alpha: 1", "      alpha: !!str 2"),
        10, "depths.quick.concepts.alpha", "expected a number, got the text '2' (remove the !!str tag", id="str-tagged-weight",
    ),
    pytest.param(
        _replace("    time_budget_minutes: 2", "    time_budget_minutes: 1e3"),
        8, "depths.quick.time_budget_minutes", "at most", id="exponent-budget-read-as-a-number",
    ),
    pytest.param(
        _replace("      alpha: 1", "      alpha: 0"),
        10, "depths.quick.concepts.alpha", "must be more than 0, got 0", id="zero-weight",
    ),
    pytest.param(
        _replace("      alpha: 1", "      alpha: nan"),
        10, "depths.quick.concepts.alpha", "finite number", id="nan-weight",
    ),
    pytest.param(
        _replace("    time_budget_minutes: 2", "    time_budget_minutes: soon"),
        8, "depths.quick.time_budget_minutes", "expected a number", id="non-number-budget",
    ),
    pytest.param(
        _replace("    time_budget_minutes: 2", "    time_budget_minutes: 1_0"),
        8, "depths.quick.time_budget_minutes", "expected a number, got '1_0'", id="underscored-budget",
    ),
    pytest.param(
        _replace("    time_budget_minutes: 2", "    time_budget_minutes: \uff11\uff10"),
        8, "depths.quick.time_budget_minutes", "expected a number", id="full-width-budget",
    ),
    pytest.param(  # read as 4 words, silently
        BASE + "scoring:\n  short_unit_words: 4.5\n",
        28, "scoring.short_unit_words", "expected a whole number of words, got '4.5'", id="fractional-word-count",
    ),
    pytest.param(
        BASE + "scoring:\n  covered: 0.5\n  partial: 0.6\n",
        29, "scoring.partial", "partial < covered", id="thresholds-partial-above-covered",
    ),
    pytest.param(
        BASE + "scoring:\n  covered: 0.5\n  partial: 0.5\n",
        29, "scoring.partial", "partial < covered", id="thresholds-partial-equals-covered",
    ),
    pytest.param(
        BASE + "scoring:\n  covered: 0.3\n",
        28, "scoring.covered", "partial < covered", id="thresholds-covered-below-default-partial",
    ),
    pytest.param(
        BASE + "scoring:\n  covered: 0.8\n  full: 0.7\n",
        29, "scoring.full", "covered <= full", id="thresholds-full-below-covered",
    ),
    pytest.param(
        _replace("    name: Beta\n", "    name: Beta\n    covered: 0.5\n    partial: 0.55\n"),
        23, "concepts[1].partial", "partial < covered", id="concept-thresholds-out-of-order",
    ),
    pytest.param(
        _replace("tags: [test]\n", "tags: [test]\ntitle: Again\n"),
        5, "title", "duplicate key", id="duplicate-key",
    ),
    pytest.param(
        _replace("    model_answer: Alpha comes first.\n", "    model_answer: Alpha comes first.\n  ' quick':\n"
                 "    question: Again?\n    time_budget_minutes: 2\n    concepts:\n      alpha: 1\n"
                 "    model_answer: Alpha.\n"),
        12, "depths. quick", "duplicate key", id="duplicate-depth-name-but-for-spaces",
    ),
    pytest.param(
        _replace("id: tiny-question", "id: Tiny_Question"),
        2, "id", "rubric id 'Tiny_Question' must be", id="bad-rubric-id",
    ),
    pytest.param(
        _replace("  - id: beta\n", "  - id: Beta-Concept\n"),
        20, "concepts[1].id", "concept id 'Beta-Concept' must be", id="bad-concept-id",
    ),
    pytest.param(
        _replace("    name: Alpha\n", "    name: ''\n"),
        14, "concepts[0].name", "must not be empty", id="empty-name",
    ),
    pytest.param(
        _replace("    name: Alpha\n", "    name: ~\n"),
        14, "concepts[0].name", "must not be empty", id="null-name",
    ),
    pytest.param(
        _replace("title: A tiny question\n", 'title: "\\u200b\\u200c\\u200d\\u2060"\n'),
        3, "title", "must not be empty", id="zero-width-title",
    ),
    pytest.param(
        _replace("    question: What is alpha?\n", '    question: "\\u200b\\u00a0\\u3000"\n'),
        7, "depths.quick.question", "must not be empty", id="invisible-question",
    ),
    *(pytest.param(
        _replace("      - Beta comes after alpha.\n", f'      - "{escape}"\n'),
        26, "concepts[1].exemplars[2]", "must not be empty", id=f"exemplar-{escape[2:]}",
    ) for escape in ("\\u200b", "\\ufeff", "\\u00ad")),
    *(pytest.param(
        _replace("title: A tiny question\n", f'title: "{escape}{escape}"\n'),
        3, "title", "must not be empty", id=f"title-{escape[2:]}",
    ) for escape in DEFAULT_IGNORABLE_ESCAPES),
    pytest.param(
        _replace("    question: What is alpha?\n", f'    question: "{" ".join(DEFAULT_IGNORABLE_ESCAPES)}"\n'),
        7, "depths.quick.question", "must not be empty", id="question-of-default-ignorables",
    ),
    *(pytest.param(  # an exemplar of "🐍" or "..." passed, and counted as a different exemplar
        _replace("      - Beta comes after alpha.\n", f'      - "{text}"\n'),
        26, "concepts[1].exemplars[2]", "has no words", id=f"exemplar-of-no-words-{len(text)}",
    ) for text in ("\U0001f40d", "...", "!!! ???")),
    *(pytest.param(  # stopwords or single letters alone passed, and were read as exemplars like any other
        _replace("      - Beta comes after alpha.\n", f'      - "{text}"\n'),
        26, "concepts[1].exemplars[2]", "says nothing an answer could state", id=f"exemplar-of-no-content-{len(text)}",
    ) for text in ("the the the", "is is is", "x", "x y z")),
    pytest.param(  # shown to a learner as "A good reply"
        _replace("    model_answer: Alpha comes first.\n", "    model_answer: Alpha comes first.\n    follow_ups:\n"
                 "      - ask: Why?\n        good_answer: '...'\n"),
        14, "depths.quick.follow_ups[0].good_answer", "has no words", id="good-answer-of-no-words",
    ),
    pytest.param(
        _replace("    model_answer: Alpha comes first.\n", "    model_answer: '...'\n"),
        11, "depths.quick.model_answer", "has no words", id="model-answer-of-no-words",
    ),
    *(pytest.param(  # a comment ended there, and YAML's error named a line two further on
        _replace("tags: [test]\n", f"tags: [test]  # a note{char}more\n"),
        4, None, f"holds U+{ord(char):04X}, which YAML reads as a line break", id=f"yaml-only-break-{ord(char):04x}",
    ) for char in ("\u2028", "\u2029", "\x85")),
    pytest.param(  # the card's heading and a concept's row
        _replace("title: A tiny question\n", "title: '***'\n"),
        3, "title", "has no words", id="title-of-no-words",
    ),
    pytest.param(
        _replace("    name: Alpha\n", "    name: \"\U0001f40d\U0001f40d\"\n"),
        14, "concepts[0].name", "has no words", id="concept-name-of-no-words",
    ),
    pytest.param(
        "- just\n- a list\n",
        1, None, "expected a mapping", id="root-is-a-list",
    ),
    pytest.param(
        _replace("  quick:\n", "  a/b:\n"),
        6, "depths.a/b", "depth name 'a/b' must be", id="depth-name-with-a-slash",
    ),
    pytest.param(
        _replace("  quick:\n", "  '':\n"),
        6, "depths", "must not be empty", id="empty-depth-name",
    ),
    pytest.param(
        _replace("  quick:\n", "  Deep Dive:\n"),
        6, "depths.Deep Dive", "depth name 'Deep Dive' must be", id="depth-name-with-a-space",
    ),
    pytest.param(
        _replace("  quick:\n", "  ? [x, y]\n  :\n"),
        6, "depths", "a key must be a single name", id="depth-name-that-is-a-list",
    ),
    pytest.param(
        _replace("      - Beta is the second idea.\n", "      - 1\n"),
        24, "concepts[1].exemplars[0]", "expected a text, got the number '1'", id="exemplar-a-number",
    ),
    pytest.param(
        _replace("      - Beta is the second idea.\n", "      - true\n"),
        24, "concepts[1].exemplars[0]", "expected a text, got the yes/no value 'true'", id="exemplar-a-bool",
    ),
    pytest.param(
        _replace("id: tiny-question\n", "id: !!binary aGVsbG8=\n"),
        2, "id", "expected a text, got a value tagged !!binary 'aGVsbG8='", id="id-a-binary",
    ),
    pytest.param(
        _replace("id: tiny-question\n", "id: !local tiny\n"),
        2, "id", "expected a text, got a value tagged !local 'tiny'", id="id-a-local-tag",  # said "!!!local"
    ),
    pytest.param(
        _replace("id: tiny-question\n", "id: !!python/object/apply:os.system [echo]\n"),
        2, "id", "expected a single value, got a value tagged !!python/object/apply:os.system", id="id-a-python-object",
    ),
    pytest.param(
        _replace("      alpha: 1", "      alpha: " + "9" * 400),
        10, "depths.quick.concepts.alpha", "a number too large, got '" + "9" * 40, id="weight-too-large",
    ),
    pytest.param(
        _replace("schema_version: 1", "schema_version: " + "9" * 5000),
        1, "schema_version", "unsupported schema_version '" + "9" * 40 + "' (this genco", id="schema-version-huge",
    ),
    pytest.param(
        _replace("id: tiny-question\n", "id: 12345\n"),
        2, "id", "expected a text, got the number '12345'", id="id-a-number",
    ),
    pytest.param(
        _replace("schema_version: 1\n", "schema_version: '1'\n"),
        1, "schema_version", "expected the whole number 1, got '1' (write it without quotes)", id="schema-version-a-text",
    ),
]


@pytest.mark.parametrize(("text", "line", "field", "words"), ERROR_CASES)
def test_validation_error_names_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, words: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), message
    if field is not None:
        assert message.startswith(f"{path}:{line}: {field}: "), message
    assert words in message
    assert ("opens a quote" in message) == ("opens a quote" in words), message  # a hint only where a quote is open


@pytest.mark.parametrize("value", ["true", "1.0"])
def test_an_unquoted_schema_version_of_the_wrong_type_gets_no_advice_about_quotes(tmp_path: Path, value: str) -> None:
    with pytest.raises(RubricError) as caught:
        load_rubric(_write(tmp_path, _replace("schema_version: 1\n", f"schema_version: {value}\n")))
    assert str(caught.value).endswith(f"schema_version: expected the whole number 1, got '{value}'"), caught.value


def test_unknown_concept_error_lists_defined_ids(tmp_path: Path) -> None:
    text = _replace("      alpha: 1\n", "      alpha: 1\n      gamma: 2\n")
    with pytest.raises(RubricError, match=r"defined: alpha, beta"):
        load_rubric(_write(tmp_path, text))


def test_unknown_field_error_lists_allowed_fields(tmp_path: Path) -> None:
    text = _replace("    name: Alpha\n", "    name: Alpha\n    colour: blue\n")
    with pytest.raises(RubricError) as caught:
        load_rubric(_write(tmp_path, text))
    assert "allowed: contradictions, covered, description, exemplars, id, name, partial" in str(caught.value)
    assert "did you mean" not in str(caught.value)


@pytest.mark.parametrize("slip, meant", [("exemplar", "exemplars"), ("Description", "description"),
                                         ("contradiction", "contradictions")])
def test_an_unknown_field_one_slip_from_a_field_names_it(tmp_path: Path, slip: str, meant: str) -> None:
    text = _replace("    name: Alpha\n", f"    name: Alpha\n    {slip}: x\n")
    with pytest.raises(RubricError) as caught:
        load_rubric(_write(tmp_path, text))
    assert f"{slip}: unknown field; did you mean '{meant}'? (allowed: contradictions," in str(caught.value)


def test_a_text_with_an_unquoted_colon_says_it_needs_quotes() -> None:
    """YAML reads an unquoted ": " inside a text as a key and its value: the error says so."""
    slip = _replace("      - Alpha is the first idea.\n", "      - Alpha: the first idea.\n")
    with pytest.raises(RubricError, match=r"^inline\.yaml:17: concepts\[0\]\.exemplars\[0\]: expected a single value, "
                                          r"not the key and value 'Alpha': 'the first idea\.' \(a text with ': ' in it needs quotes\)$"):
        parse_rubric(slip, "inline.yaml")
    quoted = _replace("      - Alpha is the first idea.\n", '      - "Alpha: the first idea."\n')
    assert parse_rubric(quoted, "inline.yaml").concept("alpha").exemplars[0] == "Alpha: the first idea."
    for line in ("title: Python: a tiny question\n", "      - Alpha: first: the idea.\n"):  # YAML itself refuses these
        broken = _replace("title: A tiny question\n", line) if line.startswith("title") else \
            _replace("      - Alpha is the first idea.\n", line)
        with pytest.raises(RubricError, match=r"invalid YAML: mapping values are not allowed .*\(a text with ': ' "
                                              r"in it needs quotes\)$"):
            parse_rubric(broken, "inline.yaml")
    indented = _replace("    name: Alpha\n", "     name: Alpha\n")  # the same complaint, for a line indented wrongly
    with pytest.raises(RubricError, match=r"invalid YAML: mapping values are not allowed in this context$"):
        parse_rubric(indented, "inline.yaml")
    mapping = _replace("      - Alpha is the first idea.\n", "      - {Alpha: first, beta: second}\n")
    with pytest.raises(RubricError, match=r"exemplars\[0\]: expected a single value$"):  # no slip to explain
        parse_rubric(mapping, "inline.yaml")


def test_parse_rubric_uses_the_source_name() -> None:
    with pytest.raises(RubricError, match=r"^inline\.yaml:1: schema_version: unsupported"):
        parse_rubric(_replace("schema_version: 1", "schema_version: 3"), "inline.yaml")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"", "the file is empty", id="empty"),
        pytest.param(b"# only a comment\n", "the file is empty", id="only-comment"),
        pytest.param(b"schema_version: 1\ntitle: caf\xe9\n", ":2: not valid UTF-8 (byte 11 of the line)", id="latin-1"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(content)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert str(caught.value).startswith(f"{path}:")
    assert words in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(RubricError, match=r"absent\.yaml: no such file$"):
        load_rubric(path)


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("invalid-yaml.yaml", 3, "invalid YAML"),
        ("unknown-concept.yaml", 10, "depths.quick.concepts.gamma: unknown concept 'gamma'"),
        ("thresholds.yaml", 21, "scoring.partial: thresholds must satisfy partial < covered"),
    ],
)
def test_broken_fixtures(name: str, line: int, words: str) -> None:
    path = FIXTURES / "broken" / name
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)


def test_valid_fixture_loads() -> None:
    rubric = load_rubric(FIXTURES / "rubrics" / "tiny-question.yaml")
    assert rubric.id == "tiny-question"
    assert rubric.depth("quick").concepts == (("alpha", 1.0),)
    assert rubric.tags == ("testing",)


# --- discovery -------------------------------------------------------------------------------


def test_discover_without_extra_dirs_finds_the_shipped_rubric() -> None:
    assert SHIPPED_ID in [r.id for r in discover()]


def test_shipped_rubrics_are_found_when_installed_as_a_namespace_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed wheel's rubric folder comes back from importlib.resources as a MultiplexedPath."""
    from importlib import resources
    from importlib.readers import MultiplexedPath

    import genco_interview.rubric.bank as rubric_module

    folder = Path(__file__).resolve().parent.parent / "rubrics"
    monkeypatch.setattr(rubric_module.resources, "files", lambda name: MultiplexedPath(folder))
    assert resources.files is rubric_module.resources.files
    assert rubric_module.shipped_dirs() == [folder]
    assert SHIPPED_ID in [r.id for r in discover()]
    assert find(SHIPPED_ID).calibration is not None


def test_discover_and_find_with_extra_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, BASE, "tiny.yaml")
    (tmp_path / "notes.txt").write_text("not a rubric", encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    ids = [r.id for r in discover()]
    assert ids == sorted(ids)
    assert {"tiny-question", SHIPPED_ID} <= set(ids)
    found = find("tiny-question")
    assert found.title == "A tiny question"
    assert found.path == str(tmp_path / "tiny.yaml")
    assert find(SHIPPED_ID).id == SHIPPED_ID


def test_several_dirs_and_missing_dirs_on_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    _write(first, BASE, "tiny.yaml")
    _write(second, BASE.replace("id: tiny-question", "id: other-question"), "other.yaml")
    monkeypatch.setenv(RUBRICS_ENV, os.pathsep.join(str(p) for p in (tmp_path / "missing", first, second)))
    assert {"tiny-question", "other-question", SHIPPED_ID} <= {r.id for r in discover()}


def test_first_definition_of_an_id_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shadow = BASE.replace("id: tiny-question", f"id: {SHIPPED_ID}").replace("A tiny question", "Shadowed")
    _write(tmp_path, shadow, "shadow.yaml")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    assert find(SHIPPED_ID).title == "Shadowed"
    assert [r.id for r in discover()].count(SHIPPED_ID) == 1


def test_find_unknown_lists_valid_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, BASE, "tiny.yaml")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    with pytest.raises(LookupError) as caught:
        find("nope")
    message = str(caught.value)
    assert "unknown question 'nope'" in message
    assert "tiny-question" in message and SHIPPED_ID in message


def test_find_none_returns_the_default_question_else_the_first_by_id(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of a user's own added questions; one that sorted first by id was asked, and scored into
    their learner history, when they named no question."""
    from genco_interview.rubric import bank

    _write(tmp_path, BASE.replace("id: tiny-question", "id: aaa-first"), "first.yaml")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    assert find(None).id == bank.DEFAULT_QUESTION == SHIPPED_ID
    monkeypatch.setattr(bank, "DEFAULT_QUESTION", "no-such-question")
    assert find(None).id == "aaa-first"


def test_hidden_files_and_folders_of_a_rubric_folder_are_no_rubrics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """An editor's lock file (`.#x.yaml`) or macOS's `._x.yaml` beside a rubric was warned of by every command."""
    _write(tmp_path, BASE, "tiny-question.yaml")
    (tmp_path / ".#tiny-question.yaml").symlink_to("user@host.1234")
    (tmp_path / "._tiny-question.yaml").write_bytes(b"\x00\x05\x16\x07")
    (tmp_path / "old.yaml").mkdir()
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    assert "tiny-question" in [r.id for r in discover()]
    assert capsys.readouterr().err == ""


def test_broken_rubric_on_the_path_is_set_aside_and_reported_when_asked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _write(tmp_path, _replace("schema_version: 1", "schema_version: 9"), "broken.yaml")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    assert SHIPPED_ID in [r.id for r in discover()]
    discover()
    assert capsys.readouterr().err == f"genco: skipping a rubric that does not load: {broken}:1: schema_version: " \
                                      "unsupported schema_version '9' (this genco reads 1)\n"
    for name in ("broken", "tiny-question"):  # its file name, or the id it claims
        with pytest.raises(RubricError, match=rf"^{broken}:1: schema_version"):
            find(name)
    assert find(SHIPPED_ID).id == SHIPPED_ID


def test_a_broken_shipped_rubric_still_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import genco_interview.rubric.bank as rubric_module

    broken = _write(tmp_path, _replace("schema_version: 1", "schema_version: 9"), "broken.yaml")
    monkeypatch.setattr(rubric_module, "shipped_dirs", lambda: [tmp_path])
    with pytest.raises(RubricError, match=rf"^{broken}:1: schema_version"):
        discover()


# --- tags and random picks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "words"),
    [("tags: [test, Asyncio]\n", "tags[1]: tag id 'Asyncio' must be"),
     ("tags: [test, test]\n", "tags[1]: duplicate tag id 'test'"),
     ("tags: asyncio\n", "tags: expected a list"),
     ("tags: [test, '']\n", "tags[1]: must not be empty")],
    ids=["capital", "duplicate", "not-a-list", "empty"],
)
def test_bad_tags_are_named_with_their_line(tmp_path: Path, tags: str, words: str) -> None:
    path = _write(tmp_path, BASE.replace("tags: [test]\n", tags))
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert str(caught.value) == f"{path}:4: {words}" or str(caught.value).startswith(f"{path}:4: {words}")


def test_tags_are_optional(tmp_path: Path) -> None:
    assert load_rubric(_write(tmp_path, BASE.replace("tags: [test]\n", ""))).tags == ()


def _bank() -> list:
    return discover()


def test_with_tag_filters_and_none_keeps_all() -> None:
    bank = _bank()
    assert with_tag(bank, None) == bank
    assert all("generators" in r.tags for r in with_tag(bank, "generators"))
    assert with_tag(bank, "no-such-tag") == []
    assert with_tag(bank, "GENERATORS") == with_tag(bank, "generators")


def test_a_tag_no_question_carries_is_an_error_naming_the_tags() -> None:
    """`rubric list --tag` with a typo says so (exit 2) rather than print an empty table."""
    bank = discover()
    assert tagged(bank, "generators") == with_tag(bank, "generators") and tagged(bank, None) == bank
    with pytest.raises(UnknownName, match=r"no question has tag 'generater'; tags: .*generators"):
        tagged(bank, "generater")


def test_pick_random_is_reproducible_and_covers_the_bank() -> None:
    bank = _bank()
    first = [pick_random(bank, None, None, random.Random(seed)) for seed in range(60)]
    again = [pick_random(bank, None, None, random.Random(seed)) for seed in range(60)]
    assert [(r.id, d) for r, d in first] == [(r.id, d) for r, d in again]
    assert {r.id for r, _ in first} == {r.id for r in bank}
    assert {d for _, d in first} == {"quick", "detailed", "deep"}


def test_pick_random_honours_tag_and_depth() -> None:
    for seed in range(20):
        rubric, depth = pick_random(_bank(), "gil", "detailed", random.Random(seed))
        assert "gil" in rubric.tags and depth == "detailed"


@pytest.mark.parametrize(("tag", "depth", "words"), [
    ("no-such-tag", None, "tag 'no-such-tag'; tags: async-generators, "),
    ("asyncio", "eternal", "tag 'asyncio' and depth 'eternal'; depths: quick, detailed, deep"),
    (None, "nope", "no question has depth 'nope'; depths: quick, detailed, deep"),
])
def test_pick_random_with_nothing_to_pick_names_what_was_asked_and_what_there_is(tag, depth, words) -> None:
    with pytest.raises(UnknownName) as caught:
        pick_random(_bank(), tag, depth, random.Random(0))
    assert words in str(caught.value)


def test_nested_yaml_aliases_are_read_once_not_expanded(tmp_path):
    """A 1 KB alias bomb: following every alias would take 8**12 steps; each node is visited once."""
    levels = ["l0: &l0 [TODO: x, TODO: y]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 8)}]" for i in range(1, 13)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    with pytest.raises(RubricError):
        load_rubric(path)


def test_a_concept_weight_over_100_is_refused_naming_the_line():
    """Weights are relative; a bound keeps scores finite and every export importable again."""
    text = (shipped_dirs()[0] / f"{SHIPPED_ID}.yaml").read_text(encoding="utf-8")
    heavy = text.replace("shared_mechanism: 2", "shared_mechanism: 1e308", 1)
    with pytest.raises(RubricError, match=r"depths\.quick\.concepts\.shared_mechanism: must be at most 100"):
        parse_rubric(heavy, "heavy.yaml")


def test_the_bank_reads_each_rubric_once_until_a_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report looks a rubric up per question, a web server per request: only an edit costs a read."""
    import genco_interview.rubric.bank as bank

    mine = _write(tmp_path, BASE, "mine.yaml")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    reads: list[Path] = []
    real = bank.load_rubric
    monkeypatch.setattr(bank, "load_rubric", lambda path: reads.append(path) or real(path))
    monkeypatch.setattr(bank, "_last", None)
    assert find("tiny-question").title == "A tiny question"
    read_once = len(reads)
    assert read_once > 1 and find(SHIPPED_ID) and discover() and len(reads) == read_once
    mine.write_text(BASE.replace("title: A tiny question", "title: A tiny question, edited"), encoding="utf-8")
    assert find("tiny-question").title == "A tiny question, edited"
    assert len(reads) == 2 * read_once


def test_a_calibration_file_is_named_as_one_not_as_a_rubric_with_unknown_fields():
    calibration = Path(__file__).resolve().parent.parent / "rubrics" / "calibration" / "coroutine-vs-generator.yaml"
    with pytest.raises(RubricError, match=r"coroutine-vs-generator.yaml:\d+: a calibration file written by `genco calibrate`"):
        load_rubric(calibration)


@pytest.mark.parametrize(("text", "line"), [("[" * 990 + "]" * 990, 1),
                                            ("".join(" " * i + "a:\n" for i in range(990)), 51)],
                         ids=["lists", "mappings"])
def test_yaml_nested_hundreds_deep_is_one_error_naming_the_line(tmp_path: Path, text: str, line: int) -> None:
    """Not a RecursionError from a reader that walks the file: refused at the line past the limit."""
    path = _write(tmp_path, text)
    with pytest.raises(RubricError, match=rf"^{path}:{line}: lists or mappings nested more than 50 levels deep"):
        load_rubric(path)


def test_a_rubric_nested_50_deep_is_read_as_usual() -> None:
    def nested(lists: int) -> str:  # inside the top mapping, `depths` and `quick`: 3 levels
        return _replace("model_answer: Alpha comes first.", f"model_answer: {'[' * lists}x{']' * lists}")

    with pytest.raises(RubricError, match=r"^fifty\.yaml:11: depths\.quick\.model_answer: expected a single value"):
        parse_rubric(nested(47), "fifty.yaml")
    with pytest.raises(RubricError, match=r"^fifty-one\.yaml:11: lists or mappings nested more than 50 levels deep"):
        parse_rubric(nested(48), "fifty-one.yaml")


def test_a_deeply_nested_file_on_the_path_is_skipped_with_one_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    deep = _write(tmp_path, "[" * 990 + "]" * 990, "deep.yaml")
    _write(tmp_path, BASE, "tiny.yaml")
    monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
    assert {SHIPPED_ID, "tiny-question"} <= {r.id for r in discover()}
    assert find("tiny-question").title == "A tiny question"
    assert capsys.readouterr().err == f"genco: skipping a rubric that does not load: {deep}:1: lists or mappings " \
                                      "nested more than 50 levels deep (a rubric needs fewer than ten)\n"


def test_aliases_repeating_one_long_exemplar_are_refused_before_any_is_read(tmp_path: Path) -> None:
    """300,000 aliases to a 1.8 KB text are 1.2 MB on disk and half a gigabyte to read and embed."""
    sentence = "Alpha is the first idea, " * 72
    exemplars = f'    exemplars: [&a "{sentence}", {", ".join(["*a"] * 300_000)}]\n'
    text = _replace("    exemplars:\n      - Alpha is the first idea.\n      - The first idea is alpha.\n"
                    "      - Alpha comes before everything else.\n", exemplars)
    with pytest.raises(RubricError, match=r"^aliases\.yaml:16: more than 50,000 values once its aliases"):
        parse_rubric(text, "aliases.yaml")


def test_a_file_of_too_many_values_is_refused_for_them_not_for_aliases_it_lacks() -> None:
    """A 4 MB file of 300,000 keys took 19 s to refuse, and was said to repeat aliases (*name) it did not have."""
    text = _replace("    exemplars:\n      - Alpha is the first idea.\n      - The first idea is alpha.\n"
                    "      - Alpha comes before everything else.\n", "    exemplars: [Alpha is the first idea.]\n")
    junk_line = text.count("\n") + 1
    text += "junk:\n" + "".join(f"  k{i}: v\n" for i in range(30_000))
    with pytest.raises(RubricError, match=r"^many\.yaml:(\d+): more than 50,000 values \(a rubric has a few hundred\)$") as caught:
        parse_rubric(text, "many.yaml")
    assert junk_line < caught.value.line < junk_line + 30_000  # the line of the first value past the limit


def test_a_rubric_with_more_than_100_concepts_is_refused_before_any_is_read() -> None:
    """3,000 concepts passed, and `rubric validate` took seven minutes and 2.7 GB comparing every pair."""
    extra = "".join(f"  - id: c{i}\n    name: C{i}\n    description: Idea {i}.\n    exemplars: [Idea {i} a., Idea {i} b.,"
                    f" Idea {i} c.]\n" for i in range(99))
    text = BASE + extra
    with pytest.raises(RubricError, match=r"^many\.yaml:13: concepts: has 101 entries; at most 100 are allowed"):
        parse_rubric(text, "many.yaml")
    parse_rubric(text.replace(extra, extra.split("  - id: c98")[0]), "hundred.yaml")
    misconceptions = "misconceptions:\n" + "".join(
        f"  - id: m{i}\n    description: Wrong {i}.\n    correction: Right {i}.\n    penalty: 5\n"
        f"    exemplars: [Wrong {i} a., Wrong {i} b., Wrong {i} c.]\n" for i in range(101))
    with pytest.raises(RubricError, match=r"misconceptions: has 101 entries; at most 100 are allowed"):
        parse_rubric(BASE + misconceptions, "wrong.yaml")


def test_a_concept_with_more_than_100_exemplars_is_refused(tmp_path: Path) -> None:
    many = "".join(f"      - Alpha is idea number {i}.\n" for i in range(98))
    text = _replace("      - Alpha comes before everything else.\n", f"      - Alpha comes before everything else.\n{many}")
    with pytest.raises(RubricError, match=r"^many\.yaml:17: concepts\[0\]\.exemplars: has 101 entries; at most 100"):
        parse_rubric(text, "many.yaml")
    parse_rubric(text.replace("      - Alpha is idea number 97.\n", ""), "hundred.yaml")


def test_a_text_longer_than_20000_characters_is_refused() -> None:
    text = _replace("      - Beta comes after alpha.", "      - " + "beta " * 4001)
    with pytest.raises(RubricError, match=r"^long\.yaml:26: concepts\[1\]\.exemplars\[2\]: a text of 20,004 characters; "
                                          r"at most 20,000"):
        parse_rubric(text, "long.yaml")


def test_a_control_character_in_a_literal_block_is_said_on_its_own_line() -> None:
    """An invisible right-to-left override on the block's third line was said to be on its `model_answer: |` line."""
    block = "    model_answer: |\n      Alpha comes first.\n      Then beta.\n      And \u202e gamma.\n"
    text = _replace("    model_answer: Alpha comes first.\n", block)
    key_line = text.splitlines().index("    model_answer: |") + 1
    with pytest.raises(RubricError, match=rf"^ctl\.yaml:{key_line + 3}: depths\.quick\.model_answer: holds a control character"):
        parse_rubric(text, "ctl.yaml")


@pytest.mark.parametrize(("escaped", "code_point"), [(r"\x07", "U+0007"), (r"\u202e", "U+202E"), (r"\x9b", "U+009B"),
                                                     (r"\u200f", "U+200F")])
def test_a_text_holding_a_control_character_is_refused(escaped: str, code_point: str) -> None:
    """YAML's escapes in double quotes reach the text: a bell, a right-to-left override or a C1 escape in a
    title prints as nothing, or reorders the sheet, where the interviewer sees only the words around it."""
    text = _replace("title: A tiny question", f'title: "A tiny{escaped} question"')
    with pytest.raises(RubricError, match=rf"^ctl\.yaml:3: title: holds a control character \({re.escape(code_point)}\)"):
        parse_rubric(text, "ctl.yaml")
    parse_rubric(_replace("title: A tiny question", 'title: "A tiny\\tquestion"'), "tab.yaml")
