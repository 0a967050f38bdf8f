"""Reference-answer rubrics: concepts derived from one model answer's key points (`genco rubric from-answer`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..text.lexicon import (
    elliptical_additions,
    elliptical_ends,
    elliptical_openers,
    explanation_openers,
    negation_pattern,
)
from ..text.segment import (
    Unit,
    content_words,
    opens_what_follows,
    parents_as_leads,
    points_only,
    segment,
    without_links,
)
from .model import MAX_ID_CHARS, MAX_WEIGHT, Concept


def key_points(model_answer: str) -> list[str]:
    """The clauses of a model answer that state something; each becomes one derived concept.

    Leaves of the segmentation (a clause, or a sentence that has none), so that "X, whereas Y"
    gives two points an answer can cover separately; an answer with no content words is one point.
    An elliptical clause ("..., while lists cannot") stays with the clause before it: alone it
    names no claim, and as a concept its exemplar would match any answer that mentions lists. So does
    what it is compared with (", unlike lists"), and so does
    an aside ruling out an alternative ("Use processes, not threads, for CPU-bound work"), with the
    clause after it: split there, "not threads" became a point any denial earned, and "for CPU-bound
    work" one that names no claim. So does what a colon introduces to explain the clause before it
    (_explains), and a short label a colon ends (_labels) stays with what follows it. A web address
    is no claim: a sentence that only points to one ("See https://... for details") is no key point,
    and a link inside a claim is left out of it (its slashes read as a list of six points).
    """
    text = parents_as_leads(without_links(model_answer))
    leaves: list[str] = []
    last: Unit | None = None  # the unit the last leaf ends with
    aside = False
    leads: dict[int, str] = {}  # a paragraph's lead-in ("Generators are:"), by paragraph
    headings: set[str] = set()
    used: set[str | None] = set()  # the lead-ins that went with a list's items
    paragraphs = _paragraphs(text)
    for unit in segment(text).units:
        if unit.kind not in ("sentence", "clause") or unit.parts:
            aside = False  # a sentence with clauses (they follow), code
            continue
        if _heading(unit):
            headings.add(unit.text)  # a title ("Summary", "Key differences:"): a point only when nothing else is
        paragraph = paragraphs(unit.sentence)
        follows_clause = last is not None and last.kind == unit.kind == "clause" and last.sentence == unit.sentence
        if leaves and ((follows_clause and (aside or _rules_out(unit.text) or _compared_with(unit.sentence, unit.text)
                                            or _explains(unit.sentence, unit.text) or _labels(unit.sentence, leaves[-1])))
                       or (_elliptical(unit.text, unit.sentence)
                           and (follows_clause or not _ends_adding(unit.text)
                                or len(unit.text.split()) <= MAX_ELLIPTICAL_WORDS))
                       or (last is not None and opens_what_follows(last.text))):
            leaves[-1] = _joined(unit.sentence, leaves[-1], unit.text)
            aside = _rules_out(unit.text)
        elif unit.kind == "sentence" and unit.text.rstrip().endswith(":") and paragraph is not None:
            leads[paragraph] = unit.text.rstrip()  # "Generators are:" before a list: each item says it
            leaves.append(leads[paragraph])  # a point itself if no item follows it ("See how ...:" a link left)
            continue
        elif content_words(unit.text) and not points_only(unit.text) and _WORD.search(unit.text):
            # not "www.python.org explains more" (it cites), nor "[20, 10]" (a code comment's value)
            lead = leads.get(paragraph) if paragraph is not None else None
            leaves.append(f"{lead} {unit.text}" if lead else unit.text)
            used.add(lead)
            aside = False
        last = unit
    points = [leaf for leaf in leaves if leaf not in used] or leaves
    points = [leaf for leaf in points if leaf not in headings] or points
    return list(dict.fromkeys(points)) or [model_answer.strip()]


MAX_ELLIPTICAL_WORDS = 4
"""Words up to which a sentence of its own ending on "too" or "either" ("Dicts are, too.") goes with the point
before it: "If gather is cancelled, all pending awaitables are cancelled too." says all it means. One that
opens with "so" or "neither", or ends on an auxiliary ("Tuples and strings are not."), goes whatever its length."""


def _ends_adding(text: str) -> bool:
    """Whether a text ends on a word that adds it to what came before (lexicon.yaml `elliptical_additions`)."""
    words = _words(text)
    return bool(words) and words[-1] in elliptical_additions()


def _words(text: str) -> list[str]:
    """A text's words, lower case, with a typographic apostrophe read as a plain one ("can\u2019t")."""
    return re.findall(r"[\w']+", text.lower().replace("\u2019", "'"))


_WORD = re.compile(r"[^\W\d_]{2}")
"""Two letters: a key point says something in words (a code comment's "[20, 10]" does not)."""


def _heading(unit: Unit) -> bool:
    """Whether a unit is a title of what follows ("## Summary", "Key differences:" on a line of its own): a
    sentence the segmentation marks a fragment, short and without a sentence's final mark (a keyword list
    is marked so too, and has more words or items)."""
    return (unit.kind == "sentence" and unit.fragment and len(unit.text.split()) <= MAX_HEADING_WORDS
            and not unit.text.rstrip().endswith((".", "!", "?")))


MAX_HEADING_WORDS = 6
"""Words up to which a line of its own without a final mark is a title (segment's own rule for a heading)."""


def _compared_with(sentence: str, clause: str) -> bool:
    """Whether a clause is what the one before it is compared with (", unlike lists"): alone it names no
    claim, and as a concept named "lists" it failed the rubric's own `validate --strict`."""
    return re.search(r"\bunlike\s*$", _before(sentence, clause), re.IGNORECASE) is not None


def _before(sentence: str, clause: str) -> str:
    """What a sentence says before one of its clauses ("" when the clause opens it or is not in it)."""
    return sentence[:max(sentence.find(clause), 0)]


def _explains(sentence: str, clause: str) -> bool:
    """Whether a clause follows a colon and opens with a word of lexicon.yaml `explanation_openers`, saying
    what the clause before it means ("is a factory: a function that returns the decorator"): alone, "a
    function that returns the decorator" named no claim, and "they take it and give back another
    function" no subject. A claim of its own after a colon ("immutable: once created it cannot change")
    stays a point of its own."""
    first = re.match(r"[\w']+", clause.strip().lower())
    return (re.search(r":\s*$", _before(sentence, clause)) is not None
            and first is not None and first.group() in explanation_openers())


def _labels(sentence: str, clause: str) -> bool:
    """Whether a clause is a label a colon ends ("In short:", "Note:", "Two uses:", "Decorators:"), at most
    MAX_LABEL_WORDS words: alone it named no claim, and made a concept ("In short", 0 %) no answer earns."""
    start = sentence.find(clause)
    return (start >= 0 and len(clause.split()) <= MAX_LABEL_WORDS
            and re.match(r"\s*:", sentence[start + len(clause):]) is not None)


MAX_LABEL_WORDS = 3
"""Words up to which what a colon ends is a label of what follows, not a claim of its own."""


def _rules_out(clause: str) -> bool:
    """Whether a clause only rules out an alternative: "not threads", "not on each call"."""
    return re.match(r"not\s+\S", clause.strip(), re.IGNORECASE) is not None and len(clause.split()) <= MAX_ASIDE_WORDS


MAX_ASIDE_WORDS = 5
"""Words up to which a clause opening with "not" is an aside ruling out an alternative, not a claim of its own."""


def _joined(sentence: str, first: str, second: str) -> str:
    """Two neighbouring clauses as the sentence has them, the word between them kept ("X, while Y"); two
    sentences one after the other ("Lists are mutable. So are dicts.")."""
    start = sentence.find(first)
    end = sentence.find(second, start + len(first)) if start >= 0 else -1
    if end >= 0:
        return sentence[start:end + len(second)]
    return f"{first} {second}" if first.rstrip().endswith((".", "!", "?", "\u2026")) else f"{first}. {second}"


def _paragraphs(text: str) -> Callable[[str], int | None]:
    """Which paragraph of `text` (blank lines apart) holds a sentence, as a function: the first, from the
    paragraph of the sentence asked before on, that holds it whole (None: none does, as a cleaned one)."""
    paragraphs = re.split(r"\n[ \t]*\n", text)
    current = 0

    def of(sentence: str) -> int | None:
        nonlocal current
        for index in range(current, len(paragraphs)):
            if sentence in " ".join(paragraphs[index].split()):
                current = index
                return index
        return None

    return of


def _elliptical(clause: str, sentence: str = "") -> bool:
    """Whether a clause leaves its verb to the clause (or sentence) before it: it ends on an auxiliary or modal
    ("while lists cannot", "Lists cannot."), or opens with "so", "neither" or "nor" and one ("so are dicts",
    "Neither can strings."), the opener perhaps left before the clause in its `sentence` (", so are dicts")."""
    words = _words(clause)
    opener = _words(_before(sentence, clause))[-1:] if sentence else []
    inverted = (len(words) >= 2 and words[0] in elliptical_openers() and words[1] in elliptical_ends()) or (
        bool(words) and opener != [] and opener[0] in elliptical_openers() and words[0] in elliptical_ends())
    return bool(words) and (words[-1] in elliptical_ends() or inverted)


NO_KEY_POINT = "has no key point: write at least one sentence that says something"
"""Said of a model answer without a word, after what names it ("the model answer", or its field)."""


def has_key_point(model_answer: str) -> bool:
    """Whether a model answer holds a word to make a concept of: "..." or "?!" names nothing, nor does a
    link alone ("Source: https://..."), which made a concept of the link."""
    return re.search(r"\w", without_links(model_answer)) is not None


def point_name(text: str, max_words: int = 6) -> str:
    words = text.rstrip(" .").split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


_RULED_OUT = re.compile(r"(?:,\s*not|,?\s+without)\s+[^,;:.!?]+[.!?]*\s*$", re.IGNORECASE)
"""A key point's last phrase ruling out an alternative or a cost: ", not on each call", ", not
parallelism", " without changing the function's code"."""


_ASIDE = re.compile(r",\s*not\s+[^,;:.!?]+,\s*", re.IGNORECASE)
"""An aside ruling out an alternative inside a key point: "Use processes, not threads, for CPU-bound work"."""


def stated_claim(point: str) -> str | None:
    """The positive claim of a key point that ends by ruling out an alternative or a cost ("values are
    evaluated once, when the def statement runs, not on each call" states "... when the def statement
    runs"; "decorators add logging without changing the function's code" states "decorators add
    logging"), or None. Its "not" or "without" makes the whole point a negated text, which only negated
    sentences match: an answer saying just the claim ("defaults are evaluated once, at def time") read
    as denying it and the point was marked contradicted. None when the claim left is negated itself, or
    says nothing (no content word)."""
    aside, tail = _ASIDE.search(point), _RULED_OUT.search(point)
    if aside is not None:
        claim = point[:aside.start()] + " " + point[aside.end():]
    elif tail is not None:
        claim = point[:tail.start()]
    else:
        return None
    if negation_pattern().search(claim) or not content_words(claim):
        return None
    return claim.rstrip(" .") + "."


def derive_concepts(model_answer: str, first_number: int = 1,
                    named: Sequence[Concept] = ()) -> list[tuple[Concept, float]]:
    """Concepts and weights from a model answer: one per key point, weighted by its content words.
    A point ending by ruling out an alternative gets its positive claim as a second exemplar (stated_claim).
    Each is named by its first words, numbered where another point (or a concept of `named`) begins alike:
    a rubric refuses two concepts of one name.

    Weighting by content words makes a long clause count for more than "as a rule"; equal weights
    measured no better on SciEntsBank train (CHANGELOG.md, reference-answer scoring).
    """
    out = []
    points = key_points(model_answer)
    taken = ({concept.name.casefold() for concept in named} | {concept.id.casefold() for concept in named}
             | {f"point_{number}" for number in range(first_number, first_number + len(points))})
    for number, text in enumerate(points, start=first_number):
        claim = stated_claim(text)
        name = _unique_name(point_name(text), number, taken)
        taken.add(name.casefold())
        concept = Concept(id=f"point_{number}", name=name, description=text,
                          exemplars=(text, claim) if claim else (text,))
        out.append((concept, float(min(max(len(content_words(text)), 1), MAX_WEIGHT))))
    return out


def _unique_name(name: str, number: int, taken: set[str]) -> str:
    """`name`, or numbered after its point ("... (3)", then "... (3.2)") until no concept has it (`taken`, folded)."""
    candidate, extra = name, 1
    while candidate.casefold() in taken:
        extra += 1
        candidate = f"{name} ({number})" if extra == 2 else f"{name} ({number}.{extra - 1})"
    return candidate


def slug(text: str, max_words: int | None = 6, empty: str = "question") -> str:
    """A rubric id from free text ("What is a variable?" -> "what-is-a-variable"): its first `max_words`
    runs of ASCII letters and digits (None: all of them) within MAX_ID_CHARS, `empty` when it has none."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:max_words]
    return "-".join(words)[:MAX_ID_CHARS].strip("-") or empty
