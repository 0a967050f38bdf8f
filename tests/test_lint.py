"""Meaning checks with the real model: each broken fixture is caught by its own check, the clean one passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from genco_interview.card import Status
from genco_interview.evaluation.lint import (
    CHECKS,
    CONTRADICTION,
    INCOMPLETE,
    MISCONCEPTION,
    MODEL_ANSWER_MIN_SCORE,
    OVERLAP,
    UNREAD_PAIR,
    lint,
    unread_role_pairs,
)
from genco_interview.rubric import discover, load_rubric
from genco_interview.scoring import Scorer

MEANING = Path(__file__).parent / "fixtures" / "meaning"
GUIDE = Path(__file__).parent.parent / "docs" / "rubrics.md"


def findings_for(path: Path, embedder) -> list:
    rubric = load_rubric(path)
    return lint(rubric, Scorer(rubric, embedder))


def test_the_rubric_guide_explains_every_check_and_no_other() -> None:
    """`rubric validate` names each meaning check's finding by its check; the guide's table is where a reader looks
    it up, so a check added or renamed without its row leaves the reader with a name nothing explains."""
    rows = re.findall(r"^\| `([a-z-]+)` \|", GUIDE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert sorted(rows) == sorted(CHECKS)


def test_clean_fixture_has_no_findings(embedder) -> None:
    assert findings_for(MEANING / "clean.yaml", embedder) == []


@pytest.mark.parametrize(
    ("name", "check", "entry"),
    [
        ("overlap.yaml", OVERLAP, 'hashable: "Unlike a list, a tuple cannot be changed once it is made."'),
        ("contradiction.yaml", CONTRADICTION, 'hashable contradiction: "A tuple can be used as a dictionary key."'),
        ("misconception.yaml", MISCONCEPTION,  # the exemplar to reword named: every one stated a claim
         'misconception tuples_are_faster, nearest exemplar: "A tuple of hashable items is itself hashable."'),
        ("incomplete.yaml", INCOMPLETE, "concept hashable"),
    ],
)
def test_each_broken_fixture_is_caught_by_its_check(embedder, name: str, check: str, entry: str) -> None:
    path = MEANING / name
    findings = [f for f in findings_for(path, embedder) if f.check == check]
    assert findings, f"{name}: no {check} finding"
    finding = next(f for f in findings if entry in f.entries)
    assert finding.path == str(path)
    assert 0 < finding.similarity <= 1
    assert finding.suggestion
    assert f"{finding.similarity:.2f}" in finding.message


def test_each_role_pair_is_judged_on_its_own(embedder, tmp_path: Path) -> None:
    """Averaged together, a pair the model reads hid one it cannot, and one finding named both pairs."""
    two = tmp_path / "role-pair.yaml"
    two.write_text((MEANING / "role-pair.yaml").read_text(encoding="utf-8").replace(
        "role_swaps: [[list, tuple]]", "role_swaps: [[mutable, immutable], [list, tuple]]"), encoding="utf-8")
    findings = [f for f in findings_for(two, embedder) if f.check == UNREAD_PAIR and len(f.entries) == 1]
    assert [f.entries for f in findings] == [("scoring.role_swaps: mutable/immutable",), ("scoring.role_swaps: list/tuple",)]
    assert all("mutable/immutable exchanged" not in f.suggestion for f in findings[1:])


def test_a_model_answer_its_role_pairs_read_as_reversed_is_found(embedder, tmp_path: Path) -> None:
    """A list/tuple rubric whose exemplars the pair check passed read its own model answer as reversed, so every
    correct answer in its words was marked uncertain and lost credit, and validate said nothing of it."""
    two = tmp_path / "role-pair.yaml"
    two.write_text((MEANING / "role-pair.yaml").read_text(encoding="utf-8").replace(
        "role_swaps: [[list, tuple]]", "role_swaps: [[mutable, immutable], [list, tuple]]"), encoding="utf-8")
    [finding] = [f for f in findings_for(two, embedder) if f.check == UNREAD_PAIR and len(f.entries) == 2]
    assert finding.entries == ("depths.quick.model_answer", "scoring.role_swaps: mutable/immutable and list/tuple")
    assert finding.message.startswith("the model answer at depth 'quick' reads better with mutable/immutable and "
                                      "list/tuple exchanged")
    assert not [f for f in findings_for(MEANING / "role-pair.yaml", embedder) if len(f.entries) == 2
                and f.check == UNREAD_PAIR]  # with the one pair, its model answer reads as written


def test_a_role_pair_the_model_cannot_read_in_the_rubrics_own_exemplars_is_found(embedder) -> None:
    findings = [f for f in findings_for(MEANING / "role-pair.yaml", embedder) if f.check == UNREAD_PAIR]
    assert [f.entries for f in findings] == [("scoring.role_swaps: list/tuple",)]
    assert findings[0].similarity < 0.03 and "keep the pair only if the correct one keeps its score" in findings[0].suggestion


@pytest.mark.parametrize("pair", ["[is, '==']", "['==', is]", "[in, list]"])
def test_a_role_pair_of_an_everyday_word_is_said_to_change_nothing(tmp_path: Path, pair: str) -> None:
    """`role_swaps: [[is, "=="]]` passed --strict and changed no score: every sentence holds "is", so every
    sentence names both roles, which is never read as reversed. No model needed: said before any embedding."""
    path = tmp_path / "is-vs-equals.yaml"
    path.write_text((MEANING / "role-pair.yaml").read_text(encoding="utf-8").replace(
        "role_swaps: [[list, tuple]]", f"role_swaps: [{pair}]"), encoding="utf-8")
    (finding,) = unread_role_pairs(load_rubric(path), bank=None, encode=None)
    everyday = "in" if "in" in pair else "is"
    assert finding.check == UNREAD_PAIR and finding.message.startswith(f"'{everyday}' is a word nearly every sentence")


@pytest.mark.parametrize("rubric", discover(), ids=lambda r: r.id)
def test_every_shipped_rubric_is_clean(embedder, rubric) -> None:
    findings = lint(rubric, Scorer(rubric, embedder))
    assert [f.message for f in findings] == []


@pytest.mark.parametrize("rubric", discover(), ids=lambda r: r.id)
def test_every_shipped_model_answer_scores_at_least_the_lint_minimum(embedder, rubric) -> None:
    scorer = Scorer(rubric, embedder)
    scores = {d.name: scorer.score(d.model_answer, d.name).score for d in rubric.depths}
    assert min(scores.values()) >= MODEL_ANSWER_MIN_SCORE, scores


def test_a_contradiction_close_to_an_exemplar_with_no_twin_says_so(embedder, tmp_path: Path) -> None:
    """The only plainly stated exemplar has no neighbour to compare with: the message says that, not -1.00."""
    text = (MEANING / "contradiction.yaml").read_text(encoding="utf-8")
    kept = "      - A tuple can be used as a key in a dictionary.\n"
    start = text.index(kept) + len(kept)
    end = text.index("      - A list cannot be a dictionary key")
    lone = tmp_path / "lone.yaml"
    lone.write_text(text[:start] + text[end:].replace("      - You are allowed to use a tuple as a dict key.\n", ""),
                    encoding="utf-8")
    (finding,) = [f for f in findings_for(lone, embedder) if f.check == CONTRADICTION and "hashable" in f.entries[0]]
    assert "no other exemplar of the same polarity" in finding.message and "-1.00" not in finding.message


def test_a_concept_stated_only_in_negations_is_found_and_one_positive_exemplar_clears_it() -> None:
    from dataclasses import replace

    from genco_interview.evaluation.lint import NEGATED, negated_concepts

    rubric = load_rubric(MEANING / "clean.yaml")
    first, *rest = rubric.concepts
    negated = replace(first, exemplars=("A tuple is not mutable.", "You cannot change a tuple in place."))
    findings = negated_concepts(replace(rubric, concepts=(negated, *rest)))
    assert [(f.check, f.entries[0]) for f in findings] == [(NEGATED, f'concept {first.id}: "A tuple is not mutable."')]
    mixed = replace(negated, exemplars=(*negated.exemplars, "A tuple is immutable."))
    assert negated_concepts(replace(rubric, concepts=(mixed, *rest))) == []
    assert negated_concepts(rubric) == []
    # Python's None is a value here, not a denial: an answer stating the claim names None too
    about_none = replace(first, exemplars=("Compare with None using is.", "None is a singleton, so test it with is."))
    assert negated_concepts(replace(rubric, concepts=(about_none, *rest))) == []
    denied = replace(first, exemplars=("None is never compared with ==.", "You cannot compare None with ==."))
    assert [f.check for f in negated_concepts(replace(rubric, concepts=(denied, *rest)))] == [NEGATED]


def test_concepts_and_red_flags_with_few_exemplars_are_found_but_not_a_reference_rubrics_key_points() -> None:
    """A rubric written with the schema's minimum of 3 exemplars passed `validate --strict`, and its red
    flags caught only their exemplars' own wording."""
    from dataclasses import replace

    from genco_interview.evaluation.lint import FEW, few_exemplars

    rubric = load_rubric(MEANING / "clean.yaml")
    assert few_exemplars(rubric) == []
    (concept, *rest), (red_flag,) = rubric.concepts, rubric.misconceptions
    thin = replace(rubric, concepts=(replace(concept, exemplars=concept.exemplars[:5]), *rest),
                   misconceptions=(replace(red_flag, exemplars=red_flag.exemplars[:3]),))
    assert [(f.check, f.entries[0]) for f in few_exemplars(thin)] == [
        (FEW, f"concept {concept.id}: 5 exemplars"), (FEW, f"misconception {red_flag.id}: 3 exemplars")]
    assert few_exemplars(replace(thin, reference_mode=True)) == []
    assert all(few_exemplars(shipped) == [] for shipped in discover())
    repeated = replace(rubric, concepts=(replace(concept, exemplars=(*concept.exemplars[:5], " a LIST is mutable so "
                                                                     "you can change its items after creating it")),
                                         *rest))  # a repeat of the first, in other case, spacing and punctuation
    assert [f.entries[0] for f in few_exemplars(repeated)] == [f"concept {concept.id}: 5 exemplars"]


def test_score_bands_sharing_a_label_are_reported() -> None:
    """Two bands labelled "strong" (from 40 and from 70) passed `validate --strict`: a card saying "strong" did not
    say which of them a score fell in."""
    from dataclasses import replace

    from genco_interview.evaluation.lint import BAND_LABEL, repeated_band_labels
    from genco_interview.rubric import ScoreBand

    rubric = load_rubric(MEANING / "clean.yaml")
    assert repeated_band_labels(rubric) == [] and all(repeated_band_labels(shipped) == [] for shipped in discover())
    bands = (ScoreBand(0, "weak", "a"), ScoreBand(40, "Strong", "b"), ScoreBand(70, " strong ", "c"))
    (finding,) = repeated_band_labels(replace(rubric, score_bands=bands))
    assert finding.check == BAND_LABEL and finding.entries == ("band from 40", "band from 70")
    assert "2 score bands are labelled 'strong'" in finding.message
    alike = (ScoreBand(0, "weak", "a"), ScoreBand(20, "weak\u200b", "b"), ScoreBand(40, "\uff57\uff45\uff41\uff4b", "c"))
    (finding,) = repeated_band_labels(replace(rubric, score_bands=alike))  # a zero-width space, full-width letters
    assert len(finding.entries) == 3


def test_an_exemplar_two_entries_hold_in_the_same_words_is_reported() -> None:
    """An exemplar copied into a second concept (or a misconception) passed `validate --strict`: an answer
    saying it earned both concepts, or was read as right and wrong at once."""
    from dataclasses import replace

    from genco_interview.evaluation.lint import SHARED, shared_exemplars

    rubric = load_rubric(MEANING / "clean.yaml")
    assert shared_exemplars(rubric) == [] and all(shared_exemplars(shipped) == [] for shipped in discover())
    first, second, *rest = rubric.concepts
    (red_flag,) = rubric.misconceptions
    copied = f"  {first.exemplars[0].upper()}!"  # the same words in other case, spacing and punctuation
    twice = replace(rubric, concepts=(first, replace(second, exemplars=(*second.exemplars, copied)), *rest))
    (finding,) = shared_exemplars(twice)
    assert finding.check == SHARED and finding.entries[:2] == (f"concept {first.id}", f"concept {second.id}")
    assert "earns each of them" in finding.message
    wrong = replace(rubric, misconceptions=(replace(red_flag, exemplars=(*red_flag.exemplars, copied)),))
    (finding,) = shared_exemplars(wrong)
    assert finding.entries[:2] == (f"concept {first.id}", f"misconception {red_flag.id}")
    assert "right and wrong at once" in finding.message
    operators = replace(rubric, concepts=(replace(first, exemplars=(*first.exemplars, "a == b compares values")),
                                          replace(second, exemplars=(*second.exemplars, "a != b compares values.")),
                                          *rest))
    assert shared_exemplars(operators) == []  # two claims a programmer reads apart


def test_a_concept_no_depth_grades_is_reported() -> None:
    """Defined with its exemplars but in no depth's list, a concept scored nothing and passed every check."""
    from dataclasses import replace

    from genco_interview.evaluation.lint import UNUSED, unused_concepts

    rubric = load_rubric(MEANING / "clean.yaml")
    assert unused_concepts(rubric) == [] and all(unused_concepts(shipped) == [] for shipped in discover())
    (depth,) = rubric.depths
    dropped = replace(rubric, depths=(replace(depth, concepts=depth.concepts[:1]),))
    (finding,) = unused_concepts(dropped)
    assert finding.check == UNUSED and finding.entries == ("concept hashable",) and "no depth" in finding.message
    assert finding.suggestion.endswith("or remove it, and from the follow-ups that name it")  # removed alone, the
    # follow-up naming it would fail the schema


@pytest.mark.parametrize(("exemplar", "contradiction", "pair"), [
    ("Lists are mutable and tuples are immutable.", "Tuples are mutable and lists are immutable.", ("lists", "tuples")),
    ("A list can change, a tuple cannot.", "Lists can change, a tuple... no: a tuple can change, a list cannot.", None),
    ("Lists can change, a tuple cannot.", "Tuples can change, a list cannot.", ("lists", "tuples")),
    ("A tuple can be a dict key.", "A list can be a dict key.", None),
    ("A tuple can be a dict key.", "A tuple cannot be a dict key.", None),
    ("Lists are mutable and tuples are immutable.", "Lists are immutable and tuples are mutable.",
     ("mutable", "immutable")),
    ("A list is mutable but a tuple is immutable.", "Tuples are mutable and lists are immutable.", ("list", "tuples")),
    ("Lists are mutable, tuples are immutable.", "Tuples are mutable and lists are immutable.", ("lists", "tuples")),
    ("A tuple is not mutable, a list is.", "A tuple is mutable, a list is.", None),  # a negation is not a filler
    ("Values flow from the generator to the caller.", "Values flow to the generator from the caller.", ("from", "to")),
])
def test_a_contradiction_that_only_exchanges_two_words_is_found(exemplar: str, contradiction: str, pair) -> None:
    from genco_interview.evaluation.lint import exchanged_terms

    assert exchanged_terms(exemplar, contradiction) == pair


def test_a_swapped_contradiction_is_reported_and_its_advice_knows_the_declared_pairs() -> None:
    """The model reads "tuples are mutable, lists are not" as it reads the exemplar it reverses: a
    contradiction of that shape cannot tell a right answer from a wrong one."""
    from dataclasses import replace

    from genco_interview.evaluation.lint import SWAPPED, swapped_contradictions

    rubric = load_rubric(MEANING / "clean.yaml")
    first, *rest = rubric.concepts
    swapped = replace(first, exemplars=(*first.exemplars, "Lists are mutable and tuples are immutable."),
                      contradictions=("Tuples are mutable and lists are immutable.",))
    undeclared = replace(rubric, concepts=(swapped, *rest), scoring=replace(rubric.scoring, role_swaps=()))
    (finding,) = swapped_contradictions(undeclared)
    assert finding.check == SWAPPED and "'lists' and 'tuples' exchanged" in finding.message
    assert "try the pair in scoring.role_swaps" in finding.suggestion
    declared = replace(rubric, concepts=(swapped, *rest),
                       scoring=replace(rubric.scoring, role_swaps=(("list", "tuple"),)))
    (finding,) = swapped_contradictions(declared)
    assert "already checks" in finding.suggestion
    assert swapped_contradictions(rubric) == []


def test_a_swapped_contradiction_gets_one_piece_of_advice_not_two(embedder) -> None:
    """"Tuples are mutable while lists are immutable" under "Lists are mutable while tuples are immutable"
    was told both to be dropped (contradiction-swaps-terms) and to be reworded or backed by another
    exemplar (contradiction-too-close): an interviewer cannot follow both."""
    from dataclasses import replace

    from genco_interview.evaluation.lint import SWAPPED, close_contradictions, swapped_contradictions

    rubric = load_rubric(MEANING / "clean.yaml")
    first, *rest = rubric.concepts
    swapped = replace(first, exemplars=("Lists are mutable while tuples are immutable.", *first.exemplars),
                      contradictions=("Tuples are mutable while lists are immutable.",))
    both = replace(rubric, concepts=(swapped, *rest))
    assert [f.check for f in swapped_contradictions(both)] == [SWAPPED]
    assert close_contradictions(both, Scorer(both, embedder).bank) == []
    reworded = replace(swapped, contradictions=("Tuples are mutable while lists stay immutable.",))
    plain = replace(rubric, concepts=(reworded, *rest))  # not an exact exchange: still held against the exemplars
    assert swapped_contradictions(plain) == [] and close_contradictions(plain, Scorer(plain, embedder).bank)


@pytest.mark.parametrize(("contradiction", "changed"), [
    ("A list is immutable.", ("mutable", "immutable")),
    ("Tuples are mutable.", ("list", "tuples")),  # a plural as its singular
    ("A list is not mutable.", None),  # the exemplar negated: the negation check tells the two apart
    ("Tuples are mutable and lists are immutable.", None),
    ("A list cannot be changed in place.", None),
])
def test_a_contradiction_one_word_away_from_an_exemplar_is_reported(contradiction: str, changed) -> None:
    from dataclasses import replace

    from genco_interview.evaluation.lint import ONE_WORD, one_word_contradictions

    rubric = load_rubric(MEANING / "clean.yaml")
    assert one_word_contradictions(rubric) == []
    first, *rest = rubric.concepts
    concept = replace(first, exemplars=("A list is mutable.", *first.exemplars),
                      contradictions=(contradiction,))
    findings = one_word_contradictions(replace(rubric, concepts=(concept, *rest)))
    if changed is None:
        assert findings == []
        return
    (finding,) = findings
    assert finding.check == ONE_WORD and f"'{changed[0]}' changed to '{changed[1]}'" in finding.message
    assert finding.entries[1] == 'mutability exemplar: "A list is mutable."' and "negated" in finding.suggestion


def test_a_correct_answer_reads_as_a_contradiction_one_word_away_but_not_as_one_negated(embedder) -> None:
    """Why contradiction-one-word: "Lists are mutable and tuples are immutable" holds every word of "A list is
    immutable" and was marked contradicted; against the same claim negated it is never compared."""
    from dataclasses import replace

    rubric = load_rubric(MEANING / "clean.yaml")
    first, *rest = rubric.concepts

    def mutability(contradictions: tuple[str, ...]) -> Status:
        changed = replace(rubric, concepts=(replace(first, contradictions=contradictions), *rest))
        return Scorer(changed, embedder).score("Lists are mutable and tuples are immutable.", "quick").concepts[0].status

    assert mutability(("A tuple is mutable.", "A list is immutable.")) == Status.CONTRADICTED
    assert mutability(("A tuple is not immutable.", "A list is not mutable.")) != Status.CONTRADICTED


def test_terms_of_several_words_exchanged_are_found_too() -> None:
    from genco_interview.evaluation.lint import exchanged_terms

    assert exchanged_terms("The event loop drives the coroutine.", "The coroutine drives the event loop.") == (
        "event loop", "coroutine")
    assert exchanged_terms("The event loop drives the coroutine.", "The event loop awaits the coroutine.") is None


def test_a_findings_entries_carry_whole_texts_and_the_terminal_shortens_them() -> None:
    """--json is for tools: the text an entry quotes is whole there; only the terminal view cuts it."""
    from dataclasses import replace

    from genco_interview.evaluation.findings import RubricCheck
    from genco_interview.evaluation.lint import negated_concepts
    from genco_interview.views.terminal import meaning_lines

    rubric = load_rubric(MEANING / "clean.yaml")
    first, *rest = rubric.concepts
    long = "A tuple is not mutable, so nothing about it can be changed after it is made, not even one item of it."
    negated = replace(first, exemplars=(long, "You cannot change a tuple in place."))
    check = RubricCheck(rubric.path, rubric, findings=negated_concepts(replace(rubric, concepts=(negated, *rest))))
    (finding,) = check.to_dict()["findings"]
    assert finding["entries"][0] == f'concept {first.id}: "{long}"'
    shown = meaning_lines([check])
    assert f'    concept {first.id}: "{long[:69]}…"' in shown
    assert f'    concept {first.id}: "You cannot change a tuple in place."' in shown


def test_a_contradiction_close_to_a_negated_exemplar_is_told_to_state_the_exemplar_positively(embedder) -> None:
    """The advice was always "word the contradiction as this exemplar negated", with the same stock example, also
    for an exemplar negated itself ("... cannot be a dictionary key"): an author could not follow it."""
    from dataclasses import replace

    from genco_interview.evaluation.lint import close_contradictions

    rubric = load_rubric(MEANING / "contradiction.yaml")
    mutability, hashable = rubric.concepts
    negated = replace(hashable, contradictions=("A tuple cannot be a dictionary key because it is unhashable.",))
    checked = replace(rubric, concepts=(mutability, negated))
    findings = close_contradictions(checked, Scorer(checked, embedder).bank)
    advice = {f.entries[0].split(": ", 1)[1]: f.suggestion for f in findings}
    assert '"A list cannot be a dictionary key because it is unhashable."' in advice, advice
    assert all(("negated itself" in said) == ("cannot" in text or "unhashable" in text) for text, said in advice.items())
    assert "negated itself (by 'cannot')" in advice['"A list cannot be a dictionary key because it is unhashable."']


@pytest.mark.parametrize(("text", "cue"), [
    ("If __exit__ returns False or None, the exception propagates after cleanup.", "None"),  # no visible "not"
    ("A tuple isn't mutable.", "isn't"),
    ("The loop never preempts a coroutine.", "never"),
    ("Use maxsize=None for an unbounded cache.", None),  # a value, not a denial
    ("Tuples are immutable.", None),
])
def test_the_word_that_negates_an_exemplar_is_named(text: str, cue: str | None) -> None:
    """An author told "this exemplar is negated itself" of "... returns False or None ..." could not see why."""
    from genco_interview.evaluation.lint import negation_cue

    assert negation_cue(text) == cue
