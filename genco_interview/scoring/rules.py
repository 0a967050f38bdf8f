"""Concept rules: which sentence earns which concept, read with negation, role swaps and misconceptions.

The pure part (`score_evidence`) works on numpy arrays and plain data classes, so it is
testable with any embedder. Cosine similarity alone rewards the right words in the wrong
claims, so checks sit on top of it, each general rather than tuned to one question:

* lexical fusion: similarity is mostly cosine, partly the share of an exemplar's content words
  the part states, so a short topical clause cannot match every exemplar of its topic;
* negation: a part only earns from exemplars of the same polarity; a negated part that matches
  a positive exemplar is evidence *against* the concept, and a sentence or window only when one
  of its negated clauses is ("the loop runs it ..., one reply, not a stream" denies the stream,
  not the loop); a part that is not negated reads a rubric text with a negated and a positive
  clause by the clause it states (MixedTexts);
* reported beliefs: a sentence that reports a belief to deny it ("a common misconception is that
  coroutines run on threads", "people say X, but ...") shows no misconception, and claims the
  belief's opposite: "people say asyncio is single-threaded, but that's a myth" denies the single
  thread as "asyncio is not single-threaded" does;
* misconceptions before concepts: a sentence that states a misconception the card names earns no
  concept, however close its words come to one (the scorer sets it aside: `stating`, `concept_marks`);
* role swap: each part is re-embedded with the rubric's role terms exchanged (generator <->
  coroutine); if the exchanged text matches the concept better, the part states it backwards;
* parts before wholes: a sentence or window never earns a concept that one of its clauses
  contradicts, so a two-sided sentence with swapped roles cannot earn through its bag of words;
* reversed answer: the whole answer is also scored as if its role terms were exchanged; when
  that reading scores clearly higher, the answer has the roles backwards throughout, and no
  sentence that names a role earns credit (one sentence can fool the model, a whole answer
  rarely does: "coroutines suspend at yield" can match the right claim better than its fix);
* reference alignment (reference-answer rubrics): each content word of the model answer is
  aligned to its closest word of the answer in context (token vectors), words of the question
  earn nothing, and the share found is blended into the score.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import product

import numpy as np

from ..card import (
    DENIAL_NOTE,
    PART_SCORED,
    REVERSED_NOTE,
    ConceptResult,
    MisconceptionHit,
    ScoreCard,
    Status,
    overall_score,
    penalties_taken,
    quoted,
)
from ..rubric import Concept, Depth, Rubric, ScoringConfig
from ..rubric.reference import stated_claim
from ..text.lexicon import (
    contrast_tail_pattern,
    failure_guards,
    failure_pattern,
    negated_subject_pattern,
    negation_pattern,
    rebuttal_pattern,
    self_correction_pattern,
    words,
)
from ..text.reading import admission_end, asks, without_subject
from ..text.segment import LINK, MAX_CHARS, MAX_PARTS, Segmentation, Unit, content_words, segment
from .similarity import fused_similarity, lexical_overlap, word_columns, word_incidence

_NONE = -1.0
"""Similarity used where nothing comparable exists; below every threshold."""


def role_terms(config: ScoringConfig) -> tuple[str, ...]:
    """The terms of the rubric's role pairs, in order: what splits a clause before a role (segment's `roles`)."""
    return tuple(term for pair in config.role_swaps for term in pair)


def role_words(config: ScoringConfig) -> frozenset[str]:
    """Role terms appear in every answer to the question, so they carry no lexical evidence."""
    return frozenset(content_words(" ".join(role_terms(config))))


def negation_parity(text: str) -> int:
    """1 when a text is negated. Presence, not parity: "they aren't: X doesn't Y" is emphatic, not double."""
    return int(bool(negation_pattern().search(text)))


EITHER = -1
"""The parity of a rubric text whose only negation is another subject's, in a contrasting elliptical
clause at its end (exemplar_parity): parts of either parity match it."""


def exemplar_parity(text: str) -> int:
    """A rubric text's negation parity, or EITHER when its negation is only in a contrasting elliptical
    clause about something else (lexicon.contrast_tail_pattern): "tuples can be dictionary keys, while
    lists cannot" claims what tuples can, and an answer may state either half. Read as negated, its own
    positive half ("tuples can be keys") read as denying it, and the model answer that held it was
    marked contradicted; read as positive, "lists cannot be keys" would."""
    tail = contrast_tail_pattern().search(text)
    if tail is None or tail.start() == 0 or negation_pattern().search(text[:tail.start()]):
        return negation_parity(text)
    return EITHER


def parities_agree(parts: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """(parts, texts) bool: a part of parity `parts[i]` may match a rubric text of parity `texts[j]`
    (equal, or the text's is EITHER). `texts` is (texts,), or (parts, texts) where a text's parity
    depends on the part reading it (MixedTexts.parities)."""
    texts = np.atleast_2d(texts)
    return (parts[:, None] == texts) | (texts == EITHER)


def parities_oppose(parts: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """(parts, texts) bool: a part reads as the denial of a rubric text (parities differ; never for
    EITHER); `texts` shaped as for parities_agree."""
    texts = np.atleast_2d(texts)
    return (parts[:, None] != texts) & (texts != EITHER)


@dataclass(frozen=True)
class MixedTexts:
    """The clauses of the rubric texts that have a negated clause beside one that is not: "a blocking
    call never gives up control, so it freezes every task". Such a text is negated (negation_parity), yet
    a part stating its positive half ("a blocking call like time.sleep freezes every other task") agrees
    with it: read against the whole text's parity it denied it, and the card marked a correct sentence
    contradicted. A part that is not negated reads such a text in the parity of the clause whose content
    words it states most of (lexical_overlap), the nearer by cosine on a tie: by cosine alone the shared
    subject ("a blocking call like time.sleep") drew that part to the negated clause. Only a concept's
    exemplars are read so: the positive half of a misconception or a contradiction is often true ("close()
    stops the generator without running its finally blocks"), and a part stating it states nothing wrong."""

    vectors: np.ndarray
    """(clauses, dimension): the clauses' embeddings."""
    incidence: np.ndarray
    """(clauses, the bank's word columns): the clauses' content words (word_incidence)."""
    parity: np.ndarray
    """(clauses,): each clause's negation parity."""
    owner: np.ndarray
    """(clauses,): the index of the text each clause belongs to, among all the bank's texts."""

    @classmethod
    def empty(cls) -> MixedTexts:
        return cls(np.zeros((0, 0)), np.zeros((0, 0)), np.zeros(0, dtype=np.int8), np.zeros(0, dtype=int))

    def parities(self, units: np.ndarray, incidence: np.ndarray, unit_parity: np.ndarray,
                 text_parity: np.ndarray) -> np.ndarray:
        """(units, texts): `text_parity` with each mixed text's parity replaced, for each part that is not
        negated (`units` the parts' vectors, `incidence` their words over the bank's columns), by that of the
        clause it states. A negated part reads the whole text as before: "the generator can handle it or
        not, in which case it propagates to the caller" agrees with "if the generator does not catch it,
        the exception propagates" though it states the unnegated clause's words."""
        out = np.tile(text_parity, (len(units), 1))
        if not len(self.owner):
            return out
        nearness = lexical_overlap(incidence, self.incidence) + _COSINE_TIE_BREAK * (units @ self.vectors.T)
        positive = unit_parity == 0
        for owner in sorted(set(self.owner.tolist())):  # not np.unique: it imports numpy.ma, 16 ms of every start
            columns = np.flatnonzero(self.owner == owner)
            stated = self.parity[columns[np.argmax(nearness[:, columns], axis=1)]]
            out[:, owner] = np.where(positive, stated, out[:, owner])
        return out


_COSINE_TIE_BREAK = 0.01
"""Cosine's weight beside the share of a clause's words in MixedTexts.parities: enough to break a tie
of shares, never to outweigh one word's difference."""


def mixed_clauses(text: str) -> list[tuple[str, int]]:
    """A negated text's clauses with their parities when some clause of it is not negated (MixedTexts),
    else nothing. A text whose only negation rules out an alternative or a cost at its end ("decorators add
    logging without changing the function's code", rubric.stated_claim) has two: its positive claim and
    the phrase that rules out ("calling it runs it" states the phrase's word, and denies the text)."""
    if exemplar_parity(text) != 1:
        return []
    clauses = [(u.text, negation_parity(u.text)) for u in segment(text).units if u.kind == "clause"]
    if any(parity == 0 for _, parity in clauses):
        return clauses
    claim = stated_claim(text)
    if not claim:
        return []
    kept = {_bare(word) for word in claim.split()}
    return [(claim, 0), (" ".join(word for word in text.split() if _bare(word) not in kept), 1)]


def clause_signature(parities: Sequence[int]) -> tuple[int, ...]:
    """The negation parities of a text's clauses in order when they differ, else (): a text negated in one
    clause and not in another ("X, so you never need Y") is told from its denial ("not X, so you still need
    Y") by where its negation is, which the whole text's parity does not say."""
    return tuple(int(p) for p in parities) if len(set(parities)) > 1 else ()


@lru_cache(maxsize=4096)
def text_signature(text: str, roles: tuple[str, ...] = ()) -> tuple[int, ...]:
    """clause_signature of a rubric text, its clauses split as an answer's are (segment with the role terms)."""
    return clause_signature([negation_parity(u.text) for u in segment(text, roles=roles).units if u.kind == "clause"])


def _bare(word: str) -> str:
    return word.strip(".,;:!?").lower()


def reports_failure(text: str) -> bool:
    """Whether a text says trying something gives an error ("a for loop over it errors out", "you get
    a TypeError"), not guarded ("without an error"). Such a text denies that the thing works, as a
    negation does, in words a negation cue does not catch."""
    if negation_pattern().search(text):  # "iterating it does not raise an error" says it works
        return False
    guards = failure_guards()
    return any((m.group(1) or "").lower() not in guards for m in failure_pattern().finditer(text))


_BREAK = re.compile(r"([,;:\u2013\u2014]|\s-\s|\bbut\b)", re.IGNORECASE)
"""Where a reported belief ends and what is said of it begins ("people say X, but ...")."""
_FRAME_WORDS = 4
"""A frame reports a belief from among a sentence's first words: "a common misconception is that X", not
"X, and the GIL is a myth" (which reports something else)."""
_OPENING_WORDS = 6
"""How much of the next sentence may deny a reported belief ("They don't.", "That is simply wrong.")."""
_REPORT_WORDS = 3
"""Words a report takes at least before a break ends it: "Myth: X" reports X, not nothing."""


def _undone(text: str, start: int) -> bool:
    """Whether a negation comes among the three words before a phrase ("no myth", "far from a myth",
    "not wrong"; lexicon.yaml `rebuttals.undoing`)."""
    return bool(rebuttal_pattern("undoing").search(" ".join(text[:start].split()[-3:])))


def _denies(text: str) -> bool:
    """Whether a text denies what was reported before it: a denial word not itself negated ("that is
    wrong", "Nope", not "not wrong"), or, at its start, a subject with a negated verb ("They don't", "but
    it isn't"; not "so they never block")."""
    if any(not _undone(text, m.start()) for m in rebuttal_pattern("denials").finditer(text)):
        return True
    return bool(negated_subject_pattern().match(text))


def _answers_it(said_of_it: str) -> bool:
    """Whether what a sentence says after reporting a belief denies it: a denial, or a contrast (lexicon.yaml
    `rebuttals.contrasts`) that does not go on to agree ("but the loop runs one at a time", not "but they're
    right")."""
    return _denies(said_of_it) or _contrasts(said_of_it)


def _contrasts(text: str) -> bool:
    """Whether a text opens by setting the truth against what was reported ("but ...", "In reality, ...") and
    does not go on to agree with it."""
    opening = rebuttal_pattern("contrasts").match(text.lstrip(" \t\n,;:.-\u2013\u2014"))
    if opening is None:
        return False
    return all(_undone(text, m.start()) for m in rebuttal_pattern("agreements").finditer(text))


def _opening(text: str) -> str:
    return " ".join(text.split()[:_OPENING_WORDS])


def _frames(sentence: str, following: str) -> list[re.Match[str]]:
    """The phrases of a sentence that report a belief it denies (reported_belief)."""
    early = [m for m in rebuttal_pattern("denying").finditer(sentence)
             if len(sentence[:m.start()].split()) < _FRAME_WORDS and not _undone(sentence, m.start())]
    own = words("rebuttals", "own_voice")
    for match in rebuttal_pattern("reporting").finditer(sentence):
        before = sentence[:match.start()].lower().split()
        if len(before) > _FRAME_WORDS or (own & set(before) and not _own_past_belief(match.group(0), before)):
            continue
        _, *said_of_it = _BREAK.split(sentence[match.end():], maxsplit=1)
        if _answers_it("".join(said_of_it)) or _answers_it(_opening(following)):
            early.append(match)
    return early


def _own_past_belief(verb: str, before: list[str]) -> bool:
    """Whether the answer's own voice reports what it believed once ("I thought X", "I used to think X";
    lexicon.yaml `rebuttals.past_beliefs`), which a denial after it takes back as it does others' beliefs: "I used
    to think coroutines ran on threads, but that's wrong" was charged that misconception. "I think X" claims X."""
    return verb.lower() in words("rebuttals", "past_beliefs") or before[-2:] == ["used", "to"]


def reported_belief(sentence: str, following: str = "") -> str:
    """The part of a sentence that reports a belief in order to deny it, from its start to the first
    break a few words past the report ("" when the sentence denies none; lexicon.yaml `rebuttals`).

    "A common misconception is that coroutines run on threads; they don't" denies its report by a
    denying phrase among its first words that is not itself negated ("it's no myth that X" claims X);
    "people say X, but that's wrong" or "beginners think X." then "They don't." by a denial after a
    break in the sentence, or in the first words of `following`, the next sentence; "X?" then "Nope."
    by the next sentence alone. "People say X, but they're right" and "I think X" deny nothing. The
    clauses after the report are read as usual."""
    frames = _frames(sentence, following)
    if not frames:
        return _self_corrected(sentence) or (sentence if asks(sentence) and _opens_with_denial(following) else "")
    end = min(m.end() for m in frames)
    for brk in _BREAK.finditer(sentence, end):
        if len(sentence[end:brk.start()].split()) >= _REPORT_WORDS:
            return sentence[:brk.start()]
    return sentence


def _self_corrected(sentence: str) -> str:
    """The part of a sentence its own next clause takes back ("X - hmm, no, that's wrong, Y": X; lexicon.yaml
    `rebuttals.self_corrections`), or "": a learner correcting themselves mid-sentence was charged the
    misconception they had just taken back (16 points)."""
    for brk in _BREAK.finditer(sentence):
        if len(sentence[:brk.start()].split()) >= _REPORT_WORDS and self_correction_pattern().match(sentence, brk.end()):
            return sentence[:brk.start()]
    return ""


def _opens_with_denial(text: str) -> bool:
    """Whether a sentence starts by denying what came before ("Nope, ...", "No, that's wrong")."""
    first = _opening(text)
    return bool(first) and (bool(re.match(r"\s*(?:no|nope)\b", first, re.IGNORECASE)) or _denies(" ".join(first.split()[:3])))


def reported_beliefs(units: Sequence[Unit]) -> list[str]:
    """Per unit, the belief it reports in order to deny it (reported_belief), "" for none: a sentence's
    report, and each of its clauses that lies within the report (the whole clause)."""
    sentences = [i for i, u in enumerate(units) if u.kind == "sentence"]
    following = [units[j].text for j in sentences[1:]] + [""]
    reports = [""] * len(units)
    for i, after in zip(sentences, following):
        report = reported_belief(units[i].text, after)
        if not report:
            continue
        reports[i] = report
        for part in _parts_within(units, i, len(report)):  # its clauses, those that hold the report
            reports[part] = units[part].text
    return reports


_CORRECTING = re.compile(r"[;:\u2013\u2014]|\s-\s")
"""What ends a denial that the rest of its sentence corrects: a colon, a semicolon or a dash, not a comma
("X doesn't block, so it ..." goes on with the same claim)."""


@dataclass(frozen=True)
class DeniedLead:
    """A sentence that opens with a negated clause and goes on, unnegated, to say what is true instead
    ("close() doesn't skip cleanup: it raises GeneratorExit so finally blocks run"), as unit indices."""

    sentence: int
    lead: tuple[int, ...]
    """The clauses of the negated opening."""
    rest: tuple[int, ...]
    """The clauses after it."""


def denied_lead(sentence: str) -> str:
    """The negated clause a sentence opens with when what follows it, after a colon, semicolon or dash,
    is not negated, else "". Both sides take at least _REPORT_WORDS words: "No: ..." and "It isn't: X"
    open with a verdict, not a claim."""
    brk = _CORRECTING.search(sentence)
    if brk is None:
        return ""
    lead, rest = sentence[:brk.start()], sentence[brk.end():]
    if len(lead.split()) < _REPORT_WORDS or len(rest.split()) < _REPORT_WORDS:
        return ""
    return lead if negation_parity(lead) and not negation_parity(rest) else ""


def denied_leads(units: Sequence[Unit]) -> tuple[DeniedLead, ...]:
    """The answer's sentences that deny and then correct (DeniedLead), with their clauses on each side."""
    found = []
    for index, unit in enumerate(units):
        lead = denied_lead(unit.text) if unit.kind == "sentence" else ""
        if not lead:
            continue
        opening = _parts_within(units, index, len(lead))
        rest = tuple(p for p in unit.parts if p not in opening)
        if opening and rest:
            found.append(DeniedLead(index, opening, rest))
    return tuple(found)


def _parts_within(units: Sequence[Unit], index: int, end: int) -> tuple[int, ...]:
    """The clauses of the `index`-th unit that start within its first `end` characters: those of a report
    (reported_beliefs) or of a denied opening (denied_leads)."""
    text = units[index].text
    return tuple(p for p in units[index].parts if 0 <= text.find(units[p].text) < end)


def rebutted_units(units: Sequence[Unit], reports: Sequence[str]) -> np.ndarray:
    """(units,) bool: the parts of an answer that report a belief to deny it (`reports`, from
    reported_beliefs): such a sentence, its clauses within the report and the windows holding the
    sentence. What they report is not the answer's claim, so it never shows a misconception; the
    clauses after it are read as usual."""
    rebutted = np.array([bool(report) for report in reports], dtype=bool)
    denying = [i for i, unit in enumerate(units) if rebutted[i] and unit.kind == "sentence"]
    for j, unit in enumerate(units):
        rebutted[j] |= unit.kind == "window" and any(i in unit.parts for i in denying)
    return rebutted


def claim_parity(units: Sequence[Unit], reports: Sequence[str]) -> np.ndarray:
    """(units,) int8: whether each part, as the answer means it, is negated (negation_parity). A part
    that reports a belief to deny it claims the belief's opposite: "people say asyncio is single-threaded,
    but that's not how the loop works" denies the single thread, as "asyncio is not single-threaded"
    does, and "a common myth is that coroutines don't need a loop" claims they need one."""
    return np.array([1 - negation_parity(report) if report else negation_parity(_claimed(unit.text))
                     for unit, report in zip(units, reports)], dtype=np.int8)


def _claimed(text: str) -> str:
    """What a part claims past an admission of not knowing it opens with ("I don't know the internals,
    though X" claims X): the admission's "don't" denies nothing of X."""
    end = admission_end(text)
    return text if end is None else text[end:]


@lru_cache(maxsize=16)
def _role_pattern(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Compiled once per set of role pairs: swap_roles runs on every part of every answer. A term's edges are
    where no letter, digit or _ touches it, so a term of symbols is found too ("==" in "a == b", "C++"): `\\b`
    needs a letter beside them, and such a pair was never exchanged."""
    mapping = {}
    for a, b in pairs:
        mapping[a.lower()] = b.lower()
        mapping[b.lower()] = a.lower()
    if not mapping:
        return None, mapping
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, mapping)) + r")(s?)(?!\w)", re.IGNORECASE), mapping


def names_both_roles(text: str, pairs: Sequence[tuple[str, str]]) -> bool:
    """Whether a text names both terms of some role pair ("generators yield values and coroutines are
    awaited"). Exchanging them keeps its words and moves only which claim goes with which term, an
    attachment the sentence model barely reads: such a true sentence reads better exchanged as often as
    a swapped one does, so the card never calls it a contradiction on that reading alone."""
    pattern = _role_pattern(tuple(tuple(pair) for pair in pairs))[0]
    if pattern is None:
        return False
    found = {match.group(1).lower() for match in pattern.finditer(text)}
    return any(a.lower() in found and b.lower() in found for a, b in pairs)


MIRROR_WORDS = 3
"""Content words two parts naming opposite roles must share, at the least, to say one thing of both."""
MIRROR_SHARE = 0.75
"""The share of the shorter part's content words (role terms aside) the other must use too: "calling a
generator function returns a generator object without running the body" and "calling an async def
function likewise returns a coroutine object without running it" share 6 of 7; a contrast ("a generator
is driven by next()", "a coroutine is driven by the event loop") shares its verb alone."""


def mirrored_units(units: Sequence[Unit], pairs: Sequence[tuple[str, str]], drop: frozenset[str]) -> np.ndarray:
    """(units,) bool: the parts that say of one role what another part of the answer, sharing no sentence with
    it, says of the other in nearly the same words (MIRROR_WORDS, MIRROR_SHARE; `drop` the role terms):
    "calling a generator function returns a generator object without running the body, and calling an async
    def function likewise returns a coroutine object", and the sentence or window made of them. The answer
    states the claim of both, so either part read with its roles exchanged is the other, true one: that
    reading made the first contradict the concept the two state together, and the whole answer read as
    reversed."""
    pattern, mapping = _role_pattern(tuple(tuple(pair) for pair in pairs))
    mirrored = np.zeros(len(units), dtype=bool)
    if pattern is None:
        return mirrored
    roles = [frozenset(m.group(1).lower() for m in pattern.finditer(u.text)) for u in units]
    naming: dict[frozenset[str], list[int]] = {}  # the parts naming each set of roles, none of them both of a pair
    for k, named in enumerate(roles):
        if named and not named & {mapping[term] for term in named}:
            naming.setdefault(named, []).append(k)
    said = {k: content_words(units[k].text, drop) for group in naming.values() for k in group}
    pieces = [frozenset(u.parts) or {k} for k, u in enumerate(units)]  # two windows sharing a sentence share its words
    for named, group in naming.items():
        for i, j in product(group, naming.get(frozenset(mapping[term] for term in named), [])):
            if i > j or pieces[i] & pieces[j] or i in pieces[j] or j in pieces[i]:
                continue  # each pair once; a part and what holds it are one claim
            shared = len(said[i] & said[j])
            if shared >= MIRROR_WORDS and shared >= MIRROR_SHARE * min(len(said[i]), len(said[j])):
                mirrored[[i, j]] = True
    for k, unit in enumerate(units):  # a sentence or window made of such parts says the same of both
        named_parts = [part for part in unit.parts if roles[part]]
        mirrored[k] |= bool(named_parts) and all(mirrored[part] for part in named_parts)
    return mirrored


def swap_roles(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """Exchange each pair of role terms (keeping plural and capitalisation) in one pass."""
    pattern, mapping = _role_pattern(tuple(tuple(pair) for pair in pairs))
    if pattern is None:
        return text

    def exchange(match: re.Match[str]) -> str:
        word = mapping[match.group(1).lower()]
        if match.group(1)[0].isupper():
            word = word[0].upper() + word[1:]
        return word + match.group(2)

    return pattern.sub(exchange, text)


@dataclass
class ExemplarSet:
    """Embeddings of one list of exemplar texts with their negation parity and content words, the words
    as `incidence` (texts x the bank's word columns, similarity.word_incidence); `index` is the set's
    column in its bank's matches (BankMatch)."""

    vectors: np.ndarray
    parity: np.ndarray
    incidence: np.ndarray
    lexical_weight: float
    index: int
    claims_failure: bool = False
    """Most of the texts say trying something gives an error ("sending to a new generator is an
    error"): a part reporting a failure may match them. A set claiming that something works (or
    anything else) is never matched by such a part: its words are the set's, its claim the opposite."""
    denies: bool = False
    """Most of the texts deny that something works, negated ("a coroutine is not iterable") or
    reporting a failure: a part reporting a failure says the same, not the opposite of the negated ones."""
    texts: tuple[str, ...] = ()
    """The texts as embedded, for a misconception set (where a sentence stating one clause for clause is
    read, signature), else ()."""
    roles: tuple[str, ...] = ()
    """The rubric's role terms, which split a clause as in an answer (segment)."""

    def signature(self, text: int) -> tuple[int, ...]:
        """text_signature of the set's `text`-th text: read only for a sentence near it, and a rubric's texts
        are segmented once (lru_cache), not on every start (some 5 ms a rubric)."""
        return text_signature(self.texts[text], self.roles)


@dataclass(frozen=True)
class BankMatch:
    """(units, exemplar sets) each: a unit's best similarity (ExemplarBank.fused) among a set's
    exemplars of its own negation parity (`same`), and among those of the other (`cross`);
    _NONE where the set has none."""

    same: np.ndarray
    cross: np.ndarray


def rubric_text_groups(rubric: Rubric) -> list[list[str]]:
    """Every text of a rubric the scorer embeds: concept exemplars, contradictions, misconceptions,
    the misconceptions' corrections, questions."""
    groups = [list(c.exemplars) for c in rubric.concepts] + [list(c.contradictions) for c in rubric.concepts]
    groups += [list(m.exemplars) for m in rubric.misconceptions] + [[m.correction] for m in rubric.misconceptions]
    return groups + [[d.question for d in rubric.depths]]


@dataclass
class ExemplarBank:
    """All of a rubric's exemplar embeddings, computed once per process and rubric."""

    concepts: dict[str, tuple[ExemplarSet, ExemplarSet]]
    misconceptions: dict[str, ExemplarSet]
    corrections: dict[str, ExemplarSet]
    """Per misconception, its correction: the right claim on the same topic, which a sentence that
    denies the misconception is closer to."""
    questions: np.ndarray
    claims: np.ndarray
    """(exemplars, dimension): the vectors of every concept's exemplars, what question_echo weighs a part
    near the question against."""
    columns: dict[str, int]
    """A column for each content word of the rubric's texts: an answer's words are counted over
    these once (word_incidence), not once per exemplar set."""
    vectors: np.ndarray
    """(exemplars, dimension): every set's vectors stacked, in set order."""
    incidence: np.ndarray
    """(exemplars, columns): every set's words stacked the same way."""
    parity: np.ndarray
    """(exemplars,): every set's negation parities stacked the same way."""
    starts: np.ndarray
    """(sets,): where each set begins in the stack."""
    lexical_weight: float
    mixed: MixedTexts = MixedTexts.empty()
    """The clauses of the texts with a negated and a positive clause, by which a part reads their parity."""
    corrections_stated: MixedTexts = MixedTexts.empty()
    """The positive clauses of the corrections that also deny something (mixed_clauses), owned by their
    misconception's index: what a part stating one of them states (ExemplarBank.stated_correction)."""

    @classmethod
    def build(cls, rubric: Rubric, embed: Callable[[Sequence[str]], np.ndarray], subject: str | None = None) -> ExemplarBank:
        """The bank of `rubric`'s texts, each read without a leading mention of the question's `subject`
        (reading.without_subject), as the answers' parts are."""
        groups = [[without_subject(t, subject, pronoun=True) for t in group] for group in rubric_text_groups(rubric)]
        texts = [t for g in groups for t in g]
        exemplars = sum(len(c.exemplars) for c in rubric.concepts)  # the first groups: what a part earns from
        clauses = [(index, clause, parity) for index, text in enumerate(texts[:exemplars])
                   for clause, parity in mixed_clauses(text)]
        n, k = len(rubric.concepts), len(rubric.misconceptions)
        corrections = [group[0] for group in groups[2 * n + k:2 * n + 2 * k]]
        stated = [(index, clause) for index, text in enumerate(corrections)
                  for clause, parity in mixed_clauses(text) if parity == 0 and len(content_words(clause)) >= 2]
        embedded = embed(texts + [clause for _, clause, _ in clauses] + [clause for _, clause in stated])
        raw, clause_vectors = embedded[:len(texts)], embedded[len(texts):len(texts) + len(clauses)]
        stated_vectors = embedded[len(texts) + len(clauses):]
        drop = role_words(rubric.scoring)
        words = [[content_words(t, drop) for t in group] for group in groups]
        columns = word_columns(bag for bags in words for bag in bags)
        incidence = word_incidence([bag for bags in words for bag in bags], columns)
        clause_incidence = word_incidence([content_words(clause, drop) for _, clause, _ in clauses], columns)
        stated_incidence = word_incidence([content_words(clause, drop) for _, clause in stated], columns)
        parity = np.array([exemplar_parity(t) for g in groups for t in g], dtype=np.int8)
        failing = np.array([reports_failure(t) for g in groups for t in g], dtype=bool)
        weight = rubric.scoring.lexical_weight
        roles = role_terms(rubric.scoring)
        sets, offset = [], 0
        for index, group in enumerate(groups):
            span = slice(offset, offset + len(group))
            misconception = 2 * n <= index < 2 * n + k
            sets.append(ExemplarSet(vectors=raw[span], parity=parity[span], incidence=incidence[span],
                                    lexical_weight=weight, index=index, claims_failure=_mostly(failing[span]),
                                    denies=_mostly(failing[span] | (parity[span] > 0)),
                                    texts=tuple(group) if misconception else (), roles=roles if misconception else ()))
            offset += len(group)
        return cls(
            concepts={c.id: (sets[i], sets[n + i]) for i, c in enumerate(rubric.concepts)},
            misconceptions={m.id: sets[2 * n + i] for i, m in enumerate(rubric.misconceptions)},
            corrections={m.id: sets[2 * n + k + i] for i, m in enumerate(rubric.misconceptions)},
            questions=sets[-1].vectors,
            claims=np.concatenate([sets[i].vectors for i in range(n)]) if n else raw[:0],
            columns=columns,
            vectors=raw,
            incidence=incidence,
            parity=parity,
            starts=np.cumsum([0] + [len(g) for g in groups[:-1]]),
            lexical_weight=weight,
            mixed=MixedTexts(clause_vectors, clause_incidence, np.array([p for _, _, p in clauses], dtype=np.int8),
                             np.array([i for i, _, _ in clauses], dtype=int)),
            corrections_stated=MixedTexts(stated_vectors, stated_incidence, np.zeros(len(stated), dtype=np.int8),
                                          np.array([i for i, _ in stated], dtype=int)),
        )

    def stated_correction(self, misconception: int, units: np.ndarray, incidence: np.ndarray) -> np.ndarray:
        """(units,): each unit's best similarity (fused_similarity) to a positive clause of the correction
        of the rubric's `misconception`-th misconception that also denies something, among the clauses whose
        every content word the unit uses; _NONE where there is none. Such a correction is negated as a whole
        ("Coroutines run one at a time on a single thread; ..., not parallelism"), so it was no rival of a right
        sentence stating its positive half, which was named the misconception it sits nearest after it
        ("Coroutines run one at a time on a single thread.", 0.85 from "Each coroutine gets its own thread.",
        0.97 from that half). The words are asked for because the model reads a claim and its reversal alike:
        "Coroutines run one at a time on separate threads." sits nearer that half (0.94) than the misconception
        (0.91), and "A plain generator is asynchronous" nearer "A plain generator is synchronous" (0.79 to
        0.67)."""
        columns = np.flatnonzero(self.corrections_stated.owner == misconception)
        if not len(columns) or not len(units):
            return np.full(len(units), _NONE)
        vectors, words = self.corrections_stated.vectors[columns], self.corrections_stated.incidence[columns]
        said = fused_similarity(units, incidence, vectors, words, self.lexical_weight)
        return np.where(lexical_overlap(incidence, words) >= 1.0, said, _NONE).max(axis=1)

    def fused(self, units: np.ndarray, incidence: np.ndarray) -> np.ndarray:
        """(units, exemplars): each unit's similarity to every exemplar (similarity.fused_similarity)."""
        return fused_similarity(units, incidence, self.vectors, self.incidence, self.lexical_weight)

    def match(self, units: np.ndarray, incidence: np.ndarray, parity: np.ndarray, by_clause: bool = False,
              fused: np.ndarray | None = None) -> BankMatch:
        """Each unit's best match in every exemplar set, by parity (BankMatch), in a few array
        operations for the whole bank: the scorer reads some 90 set-and-unit columns per answer.
        `by_clause` reads a half-negated concept exemplar in the parity of the clause a part states
        (MixedTexts), as the card does (shown_contradictions). `fused` is the units' similarity to
        every exemplar (ExemplarBank.fused) when the caller has it: it matches the same parts twice,
        as written and by clause, and the similarities are the same both times."""
        sets = len(self.starts)
        if len(units) == 0 or len(self.parity) == 0:
            empty = np.full((len(units), sets), _NONE)
            return BankMatch(empty, empty)
        fused = self.fused(units, incidence) if fused is None else fused
        texts = self.mixed.parities(units, incidence, parity, self.parity) if by_clause else self.parity
        same, cross = parities_agree(parity, texts), parities_oppose(parity, texts)
        filled = np.diff(np.append(self.starts, len(self.parity))) > 0
        starts = self.starts[filled]  # reduceat over the sets that have exemplars: an empty one owns no column

        def best(mask: np.ndarray) -> np.ndarray:
            out = np.full((len(units), sets), _NONE)
            out[:, filled] = np.maximum.reduceat(np.where(mask, fused, _NONE), starts, axis=1)
            return out

        return BankMatch(same=best(same), cross=best(cross))


def question_echo(vectors: np.ndarray, questions: np.ndarray, claims: np.ndarray, threshold: float) -> np.ndarray:
    """(units,) bool: the parts that restate the question (cosine `threshold` or more to one of `questions`)
    rather than make a claim of the rubric: those no closer to any of `claims` than to the question. "X is
    a decorator that memoizes a function" reads 0.87 to "What does X do?", and answers it."""
    if len(vectors) == 0 or len(questions) == 0:
        return np.zeros(len(vectors), dtype=bool)
    to_question = (vectors @ questions.T).max(axis=1)
    to_claims = (vectors @ claims.T).max(axis=1) if len(claims) else np.full(len(vectors), _NONE)
    return (to_question >= threshold) & (to_question >= to_claims)


@dataclass
class UnitEvidence:
    """Per-unit arrays an answer needs for scoring, shared by all concepts."""

    units: list[Unit]
    vectors: np.ndarray
    swapped: np.ndarray
    parity: np.ndarray
    scale: np.ndarray
    echo: np.ndarray
    role_free: np.ndarray
    both_roles: np.ndarray
    """(units,) bool: the unit names both terms of a role pair (names_both_roles)."""
    rebutted: np.ndarray
    """(units,) bool: the unit reports a belief to deny it (rebutted_units): it shows no misconception."""
    failing: np.ndarray
    """(units,) bool: the unit reports a failure (reports_failure): it matches no exemplar set claiming
    that something works (ExemplarSet.claims_failure)."""
    incidence: np.ndarray
    """(units, the bank's word columns): each unit's content words, less the role terms (word_incidence)."""
    match: BankMatch
    """The units' best matches in every exemplar set (ExemplarBank.match), as written."""
    swapped_match: BankMatch
    """The same for the units with their roles exchanged."""
    clause_match: BankMatch | None = None
    """The units' matches as written, half-negated exemplars read by the clause each unit states
    (ExemplarBank.match by_clause): what the card weighs (shown_contradictions); None reads `match`."""
    denials: tuple[DeniedLead, ...] = ()
    """The sentences that open with a denial and go on to correct it (denied_leads)."""

    def opposed_parts(self, opposes: np.ndarray) -> np.ndarray:
        """True for a unit any of whose parts opposes the concept."""
        return np.array([any(opposes[j] for j in u.parts) for u in self.units], dtype=bool)

    def confirmed_by_parts(self, flagged: np.ndarray) -> np.ndarray:
        """False for a unit with parts none of which is flagged: two right halves make no wrong whole."""
        return np.array([not u.parts or any(flagged[j] for j in u.parts) for u in self.units], dtype=bool)

    def negation_in_parts(self, negated: np.ndarray, threshold: float) -> np.ndarray:
        """True for a unit whose negation bears on the concept: it has no parts, or one of its
        negated smallest parts (clauses, or sentences with none) reads against the concept (`negated`
        at or above `threshold`) by itself. A window's sentences are not asked: a sentence is negated
        when any of its clauses is, so "X: Y, so Z without W" would deny X through W."""
        return np.array([not u.parts or any(self.parity[j] and negated[j] >= threshold
                                            for j in u.parts if not self.units[j].parts)
                         for u in self.units], dtype=bool)

    def opposed_context(self, opposes: np.ndarray, roles_named: bool) -> np.ndarray:
        """True for a unit that names no role ("it is awaited") inside a window that opposes the concept.
        Without role pairs (`roles_named` False) no unit names a role, so none borrows its window's reading."""
        flagged = np.zeros(len(self.units), dtype=bool)
        if not roles_named:
            return flagged
        for unit, against in zip(self.units, opposes):
            if unit.kind == "window" and against:
                flagged[unit.parts] = True
        return flagged & self.role_free


def similarity_to_score(similarity: float, partial: float, covered: float, full: float) -> float:
    """Calibrated map: nothing below `partial`, 0.4 at partial, 0.8 at covered, 1.0 from `full` up."""
    if similarity < partial:
        return 0.0
    top = max(full, covered + 1e-6)
    return float(np.interp(similarity, [partial, covered, top], [0.4, 0.8, 1.0]))


def _concept_support(evidence: UnitEvidence, positives: ExemplarSet, contradictions: ExemplarSet,
                     config: ScoringConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Raw support for and evidence against one concept per unit, how much a role swap gains, and the
    evidence against it the card weighs (Support.shown_against): half-negated exemplars read by the
    clause a unit states (UnitEvidence.clause_match), and, for a unit naming both roles of a pair, no
    reversed reading."""
    support = evidence.match.same[:, positives.index]
    swapped_support = evidence.swapped_match.same[:, positives.index]
    contra_same = evidence.match.same[:, contradictions.index]
    if not contradictions.claims_failure:  # "a for loop over a coroutine raises TypeError" is not "... works fine"
        contra_same = np.where(evidence.failing, _NONE, contra_same)
    reversed_roles = np.where(swapped_support > support + config.swap_margin, swapped_support, _NONE)
    negated = _negated(evidence, evidence.match, positives, config)
    by_clause = negated if evidence.clause_match is None else _negated(evidence, evidence.clause_match, positives, config)
    against = np.maximum.reduce([contra_same, negated, reversed_roles])
    shown = np.maximum.reduce([contra_same, by_clause, np.where(evidence.both_roles, _NONE, reversed_roles)])
    return support, against, swapped_support - support, shown


def _negated(evidence: UnitEvidence, match: BankMatch, positives: ExemplarSet, config: ScoringConfig) -> np.ndarray:
    """(units,) how strongly each unit reads as the denial of a concept's exemplars (`match`'s opposite
    parity, less negation_margin), where its own negation bears on them (negation_in_parts)."""
    negated = match.cross[:, positives.index] - config.negation_margin
    negated = np.where(evidence.negation_in_parts(negated, config.partial), negated, _NONE)
    if positives.denies:  # "a for loop over it raises TypeError" agrees with "a coroutine is not iterable"
        negated = np.where(evidence.failing, _NONE, negated)
    return negated


@dataclass(frozen=True)
class Support:
    """What the concept rules read in an answer's parts (all_support)."""

    concepts: dict[str, tuple[np.ndarray, np.ndarray]]
    """Per concept id, (n_parts,) support for it and (n_parts,) evidence against it, fragments scaled,
    echoes dropped (_NONE where a part has none)."""
    correct: np.ndarray
    """(n_parts,) each part's best similarity to any correct claim of the rubric, read in its own roles:
    the rival a misconception must beat (_find_misconceptions). A half-negated exemplar is read by the
    clause the part states too (MixedTexts), as the card reads it: the rubric's "A blocking call like
    time.sleep never gives up control, so it freezes every task." is negated as a whole, so read as written
    it was no rival for "A blocking time.sleep in a coroutine freezes every other task.", which was named
    as believing blocking calls let other tasks run, and scored 0.

    A part that states a claim with its roles reversed is no correct claim (it cannot shield a
    misconception), but a part that reads the same either way ("generators and coroutines share the
    same machinery") is, even in an answer whose roles are swapped throughout: `concepts` gives it no
    credit there, and as a rival it once left it with none, so any misconception near it was flagged by
    a lead of more than a whole similarity point."""
    shown_against: dict[str, np.ndarray]
    """Per concept id, (n_parts,) the evidence against it that the card weighs (shown_contradictions;
    scaled, echoes dropped): as in `concepts`, but a half-negated exemplar is read by the clause each part
    states (MixedTexts), so no part is shown contradicting a concept only through the negated half of an
    exemplar, and a part naming both roles of a pair is read as written, without the reversed reading
    ("generators yield many values and coroutines are awaited" reads a little better exchanged)."""


def all_support(evidence: UnitEvidence, bank: ExemplarBank, config: ScoringConfig) -> Support:
    """Support and counter-evidence for every concept of the rubric, and each part's best correct claim.

    A part that states a claim with its roles reversed supports nothing (and so cannot shield
    a misconception). When most parts that name a role state it backwards, the answer has the
    roles swapped throughout, and its role-naming parts that read the same either way earn
    nothing either.
    """
    raw = {cid: _concept_support(evidence, pos, con, config) for cid, (pos, con) in bank.concepts.items()}
    correct = np.full(len(evidence.units), _NONE)
    if raw and len(evidence.units):
        supports = np.stack([r[0] for r in raw.values()])
        shifts = np.stack([r[2] for r in raw.values()])
        best_shift = shifts[supports.argmax(axis=0), np.arange(len(evidence.units))]
        counted = ~evidence.role_free & ~evidence.echo & (supports.max(axis=0) >= config.partial)
        swapped_answer = (counted & (best_shift > config.swap_margin)).sum() > (counted & (best_shift < -config.swap_margin)).sum()
        stated = supports if evidence.clause_match is None else np.maximum(supports, np.stack(
            [evidence.clause_match.same[:, positives.index] for positives, _ in bank.concepts.values()]))
        correct = np.where(shifts > config.swap_margin, _NONE, stated).max(axis=0)
    else:
        swapped_answer = False
    concepts, shown_against = {}, {}
    for cid, (support, against, shift, shown) in raw.items():
        reversed_roles = shift > config.swap_margin
        silenced = evidence.echo | reversed_roles | (swapped_answer & ~evidence.role_free & (shift >= -config.swap_margin))
        concepts[cid] = (np.where(silenced, _NONE, support * evidence.scale),
                         np.where(evidence.echo, _NONE, against * evidence.scale))
        shown_against[cid] = np.where(evidence.echo, _NONE, shown * evidence.scale)
    return Support(concepts, np.where(evidence.echo, _NONE, correct * evidence.scale), shown_against)


def opposing(support: np.ndarray, against: np.ndarray, partial: float, margin: float) -> np.ndarray:
    """(n_parts,) bool: the parts that read against a concept, by `margin` clear of their support for it,
    as a part must be to earn it. A near tie ("generators and coroutines share the same suspension
    mechanism" against "... are implemented with completely different mechanisms", 0.721 to 0.719)
    is neither: the model cannot tell the two apart, so the part neither earns nor contradicts."""
    return (against >= partial) & (against >= support + margin)


def _score_concept(concept: Concept, weight: float, evidence: UnitEvidence, support: np.ndarray,
                   against: np.ndarray, config: ScoringConfig) -> ConceptResult:
    partial, covered = concept.thresholds(config)
    opposes = opposing(support, against, partial, config.margin)
    earns = ((support >= partial) & (support >= against + config.margin)
             & ~evidence.opposed_parts(opposes) & ~evidence.opposed_context(opposes, bool(config.role_swaps)))
    result = dict(id=concept.id, name=concept.name, weight=weight, description=concept.description)
    if earns.any():
        best = int(np.argmax(np.where(earns, support, _NONE)))
        similarity = float(support[best])
        status = Status.COVERED if similarity >= covered else Status.PARTIAL
        unit = evidence.units[best]
        return ConceptResult(**result, status=status, similarity=similarity, evidence=unit.sentence,
                             score=similarity_to_score(similarity, partial, covered, config.full))
    strong_against = opposes & (against >= covered)
    if strong_against.any():
        worst = int(np.argmax(np.where(strong_against, against, _NONE)))
        unit = evidence.units[worst]
        return ConceptResult(**result, status=Status.CONTRADICTED, similarity=max(float(support[worst]), 0.0),
                             evidence=unit.sentence, score=0.0)
    best_seen = float(support.max()) if len(support) else 0.0
    return ConceptResult(**result, status=Status.MISSING, similarity=max(best_seen, 0.0), evidence=None, score=0.0)


def _find_misconceptions(rubric: Rubric, evidence: UnitEvidence, bank: ExemplarBank,
                         correct: np.ndarray, config: ScoringConfig) -> tuple[list[MisconceptionHit], list[str]]:
    """A part shows a misconception when it matches it better than any correct claim (`correct`,
    Support.correct), its correction included, in its own roles ("close() does not skip the finally
    blocks" is near "close() skips finally blocks" but nearer its correction), both readings discounted
    alike for a short part (UnitEvidence.scale: a short part's exchanged reading, undiscounted, always read
    better, so "Calling time.sleep inside a coroutine lets other tasks run meanwhile." was never named). A part that reports
    a failure ("a for loop over a coroutine errors out") never shows a misconception that something
    works ("you can iterate a coroutine"): its words are the misconception's, its claim the opposite. Nor does a part that
    reports a belief to deny it ("a common misconception is that coroutines run on threads"), nor one, not negated, that
    states a positive clause of the correction, all its words and nearer it than the misconception
    (ExemplarBank.stated_correction). Nor one that opens with a denial its sentence goes on to correct
    (_corrected): the model cannot tell that from a wrong denial followed by a right claim, so for each
    misconception cleared only so, a note (denial_note) asks for a person."""
    hits: list[MisconceptionHit] = []
    cleared: list[str] = []
    for number, misconception in enumerate(rubric.misconceptions):
        exemplars = bank.misconceptions[misconception.id]
        sims = evidence.match.same[:, exemplars.index]
        swapped = evidence.swapped_match.same[:, exemplars.index] * evidence.scale
        sims = np.where(evidence.echo | evidence.rebutted, _NONE, sims * evidence.scale)
        fix = bank.corrections[misconception.id].index
        rival = np.maximum(correct, evidence.match.same[:, fix])
        found = (sims >= config.misconception) & (sims >= rival + config.margin) & (swapped <= sims + config.swap_margin)
        stated = bank.stated_correction(number, evidence.vectors, evidence.incidence)
        found &= (evidence.parity != 0) | (stated < sims + config.margin)
        if not exemplars.claims_failure:
            found &= ~evidence.failing
        corrected = _corrected(evidence, found, sims, fix, config)
        heard = _confirmed(evidence, found, exemplars) if corrected.any() else None
        found &= ~corrected
        found = _confirmed(evidence, found, exemplars)
        if heard is not None and heard.any() and not found.any():
            sentence = evidence.units[int(np.argmax(np.where(heard, sims, _NONE)))].sentence
            cleared.append(denial_note(sentence, misconception.description))
        if found.any():
            best = int(np.argmax(np.where(found, sims, _NONE)))
            restated = tuple((evidence.units[i].sentence, evidence.units[i].text, float(sims[i] - rival[i]))
                             for i in np.flatnonzero(found) if i != best)
            hits.append(MisconceptionHit(
                id=misconception.id, description=misconception.description, correction=misconception.correction,
                penalty=misconception.penalty, similarity=float(sims[best]), evidence=evidence.units[best].sentence,
                margin=float(np.max(np.where(found, sims - rival, _NONE))), part=evidence.units[best].text,
                restated=restated,
            ))
    return hits, cleared


def _confirmed(evidence: UnitEvidence, found: np.ndarray, exemplars: ExemplarSet) -> np.ndarray:
    """(units,) bool: the `found` units that one of their own clauses confirms (UnitEvidence.confirmed_by_parts),
    and the sentences that state their nearest exemplar of `exemplars` clause for clause, negated where it is
    (clause_signature). A clause is read in its own parity, so a sentence whose negation sits in one clause is
    confirmed by none: the rubric's own "The GIL makes Python code thread-safe, so you never need locks." was
    not named alone. Its denial, "The GIL does not make Python code thread-safe, so you still need locks.", is
    as near it and as negated as a whole, but in the other clause."""
    confirmed = found & evidence.confirmed_by_parts(found)
    pending = [i for i in np.flatnonzero(found & ~confirmed) if evidence.units[i].kind == "sentence"]
    if not pending or not exemplars.texts:
        return confirmed
    near = fused_similarity(evidence.vectors[pending], evidence.incidence[pending], exemplars.vectors,
                            exemplars.incidence, exemplars.lexical_weight)
    agree = parities_agree(evidence.parity[pending], exemplars.parity)
    for row, i in enumerate(pending):
        nearest = int(np.argmax(np.where(agree[row], near[row], _NONE)))
        signature = clause_signature([evidence.parity[j] for j in evidence.units[i].parts])
        confirmed[i] = bool(signature) and signature == exemplars.signature(nearest)
    return confirmed


def denial_note(sentence: str, description: str) -> str:
    """The note of a card whose only sentence showing a misconception opens with a denial that the rest of it
    corrects (_corrected): not named, and read by a person."""
    return (f"{quoted(sentence)} {DENIAL_NOTE} \u201c{description.rstrip('.')}\u201d, so it is not named; the model "
            "cannot tell a right denial from a wrong one followed by a right claim")


def _corrected(evidence: UnitEvidence, found: np.ndarray, sims: np.ndarray, fix: int,
               config: ScoringConfig) -> np.ndarray:
    """(units,) bool: the sentences that open with a denial and go on to state the misconception's correction
    (the exemplar set at `fix`), and their negated openings. A clause after the denial states it when it is at
    least as near the correction as a part must be to a concept to earn it partly, nearer it than the
    misconception (`sims`) by `margin`, and shows no misconception itself (`found`). "send() isn't just a way
    to pass a value in: it resumes the generator and returns the next yielded value" was named as believing
    send() returns nothing (0.74 from its opening, whose negation the misconception "send just passes a value
    and gives nothing back" shares) and cost a right answer 24 points; "close() doesn't run the finally blocks:
    it just drops the generator" corrects nothing and is still named."""
    out = np.zeros(len(evidence.units), dtype=bool)
    for denial in evidence.denials:
        rest = list(denial.rest)
        said = evidence.match.same[rest, fix]
        if ((said >= sims[rest] + config.margin) & (said >= config.partial)).any() and not found[rest].any():
            out[[denial.sentence, *denial.lead]] = True
    return out


def _mostly(said: np.ndarray) -> bool:
    """Whether most of a set's texts have the mark (ExemplarSet.claims_failure, ExemplarSet.denies)."""
    return 2 * int(said.sum()) > len(said)


def score_evidence(rubric: Rubric, depth: Depth, evidence: UnitEvidence, bank: ExemplarBank,
                   model: str, notes: list[str], alignment: float = 0.0) -> ScoreCard:
    """Weighted concept scores at this depth, blended with `alignment` (0-1), minus misconception
    penalties, on 0-100; an answer that reads better with its roles exchanged loses the credit
    of every sentence naming a role."""
    card = _read_as_written(rubric, depth, evidence, bank, model, notes, alignment)
    if not rubric.scoring.role_swaps or _role_sentences(evidence) < REVERSED_ANSWER_SENTENCES:
        return card
    exchanged = replace(evidence, vectors=evidence.swapped, swapped=evidence.vectors,
                        match=evidence.swapped_match, swapped_match=evidence.match)
    other = _read_as_written(rubric, depth, exchanged, bank, model, notes, alignment).score
    ratio, points = rubric.scoring.reversed_answer
    if other <= card.score * (1 + ratio) + points:
        return card
    return _withdraw_role_credit(card, rubric.scoring, alignment)


REVERSED_ANSWER_SENTENCES = 2
"""Sentences naming a role an answer needs before it is read as reversed as a whole: one sentence can
fool the model ("Async generators combine both: ..." reads better as "async coroutines"), a whole
answer rarely does."""


def _role_sentences(evidence: UnitEvidence) -> int:
    """How many of the answer's sentences name a role of the rubric's pairs."""
    return sum(1 for unit, free in zip(evidence.units, evidence.role_free) if unit.kind == "sentence" and not free)


def concept_marks(rubric: Rubric, depth: Depth, evidence: UnitEvidence, support: Support,
                  set_aside: np.ndarray | None = None) -> list[ConceptResult]:
    """The rules' mark of each concept of the depth from `support` (all_support); the parts `set_aside`
    marks (n_parts,) bool earn none (the sentences that state a misconception)."""
    def earned(cid: str) -> np.ndarray:
        return support.concepts[cid][0] if set_aside is None else np.where(set_aside, _NONE, support.concepts[cid][0])

    return [_score_concept(rubric.concept(cid), w, evidence, earned(cid), support.concepts[cid][1], rubric.scoring)
            for cid, w in depth.concepts]


def shown_contradictions(card: ScoreCard, evidence: UnitEvidence, support: Support, config: ScoringConfig,
                         margin: float = 0.0) -> ScoreCard:
    """The card with each contradicted mark whose sentence is no nearer the concept's wrong claim than
    to some correct claim of the rubric (Support.correct) by `margin`, or by the rubric's own margin when
    that is larger, shown as missing instead. The scorer passes the lead a red flag needs
    (Combination.misconception_margin): both say the answer said something false. With the rubric's
    0.02, "Coroutines and generators share one mechanism underneath" was shown contradicting the shared
    mechanism (0.873 to "... implemented with completely different mechanisms", 0.84 to a correct
    claim); on the independent answers, 4 of the 7 contradicted marks were of concepts the graders
    found partly or fully right, 1 of 4 at the red flags' 0.12, the 3 negated claims kept.

    A card that says "contradicts it" tells a learner they said something false. "A coroutine is an
    async def function" is near "a coroutine is a def function with yield in it" (a contradiction of
    await vs yield), but nearer what is right about calling one: it says nothing false, so it
    contradicts nothing on the card. The rules' mark stays what the concept signals read
    (rule_status): the combination was fitted on it, and reading such a sentence as missing there
    lowered agreement out of question (docs/scoring.md). A misconception must beat the correct
    claims the same way (_find_misconceptions). And it must read against the concept as strongly as a
    sentence must read for it to earn full credit (`full`): short true denials ("asyncio does not use
    threads for coroutines", "a generator is not driven by the event loop") come within `covered` of
    a contradiction or a negated exemplar, at 0.72-0.75 where the wrong claims tried reach 0.85-1.0.
    A sentence naming both roles of a pair is weighed as written (names_both_roles): "generators yield
    many values and coroutines are awaited by the event loop" read a little better with the two exchanged.
    And a half-negated exemplar is read by the clause the sentence states: "a blocking call like
    time.sleep freezes every other task" states the positive half of "a blocking call never gives up
    control, so it freezes every task", not its denial (Support.shown_against)."""
    def clear(concept: ConceptResult) -> bool:
        against = support.shown_against[concept.id]
        return any(against[i] >= max(support.correct[i] + max(config.margin, margin), config.full)
                   for i, unit in enumerate(evidence.units) if unit.sentence == concept.evidence)

    return replace(card, concepts=[c if c.status != Status.CONTRADICTED or clear(c) else
                                   replace(c, status=Status.MISSING, evidence=None, score=0.0)
                                   for c in card.concepts])


def stating(hits: Sequence[MisconceptionHit], evidence: UnitEvidence, margin: float | None = None) -> np.ndarray:
    """(n_parts,) bool: the parts that state a misconception `hits` name, and the sentences (and windows)
    holding them. Such a part earns no concept, however close its words come to one. A clause beside
    the one that states it is not one of them: "Task wraps coro & schedules it on the loop -> runs
    concurrently w/ other tasks" had its first clause's credit taken with the second's (read as a Task
    on a thread), and scored 0."""
    stated = [(hit.evidence, hit.part) for hit in hits]
    stated += [(sentence, part) for hit in hits for sentence, part, lead in hit.restated if margin is None or lead >= margin]
    quoted = {sentence for sentence, _ in stated}
    whole = {sentence for sentence, part in stated if not part or part == sentence}
    clauses = set(stated)

    def states(unit: Unit) -> bool:
        if unit.sentence not in quoted:
            return False
        return unit.kind != "clause" or unit.sentence in whole or (unit.sentence, unit.text) in clauses

    return np.array([states(unit) for unit in evidence.units], dtype=bool)


def _read_as_written(rubric: Rubric, depth: Depth, evidence: UnitEvidence, bank: ExemplarBank,
                     model: str, notes: list[str], alignment: float) -> ScoreCard:
    config = rubric.scoring
    support = all_support(evidence, bank, config)
    hits, cleared = _find_misconceptions(rubric, evidence, bank, support.correct, config) if evidence.units else ([], [])
    concepts = concept_marks(rubric, depth, evidence, support)
    score = overall_score(concepts, hits, config.alignment_weight, alignment)
    return ScoreCard(question=rubric.id, depth=depth.name, score=score, concepts=concepts,
                     misconceptions=hits, model=model, notes=[*notes, *cleared], alignment=alignment,
                     misconception_cost=penalties_taken(concepts, hits, config.alignment_weight, alignment),
                     uncertain=bool(cleared))


def _withdraw_role_credit(card: ScoreCard, config: ScoringConfig, alignment: float) -> ScoreCard:
    """The card of a reversed answer: credit earned by a sentence that names a role becomes a contradiction."""
    pairs = config.role_swaps
    concepts = [replace(c, status=Status.CONTRADICTED, score=0.0)
                if c.status in (Status.COVERED, Status.PARTIAL) and c.evidence and swap_roles(c.evidence, pairs) != c.evidence else c
                for c in card.concepts]
    if concepts == card.concepts:
        return card
    names = " and ".join(f"{a}/{b}" for a, b in pairs)
    # No points in the note: the rules' reading is not the score the card shows (the combined signals).
    note = (f"{REVERSED_NOTE} {names} exchanged "
            f"(its concept marks earn more read so than as written): check that the two "
            f"are not mixed up, or that the answer is not simply wrong about both; the "
            f"marks of sentences naming them are in doubt.")
    # The least sure of the rules' readings (the model barely tells "a list is mutable" from "a tuple is
    # mutable"): the card asks for a person whatever the other signals say.
    return replace(card, concepts=concepts, notes=[*card.notes, note], uncertain=True,
                   score=overall_score(concepts, card.misconceptions, config.alignment_weight, alignment),
                   misconception_cost=penalties_taken(concepts, card.misconceptions, config.alignment_weight, alignment))


NO_WORDS_NOTE = "The answer has no words: nothing to score."
LINK_ONLY_NOTE = "The answer only points to a page: nothing to score (say in your own words what it explains)."


def truncation_notes(seg: Segmentation, answer: str = "") -> list[str]:
    """What the card must tell the reader about the input it did not fully score; an `answer` with a link and
    nothing else to read is told that a link is no claim (it was told it had no words)."""
    if not seg.units:
        return [LINK_ONLY_NOTE if LINK.search(answer) else NO_WORDS_NOTE]
    if seg.cut_at_parts:  # within the first MAX_CHARS characters, so it says more than their cut would
        return [f"The answer has more than {MAX_PARTS:,} sentences, clauses and code lines; only the first "
                f"{MAX_PARTS:,} {PART_SCORED}"]
    if seg.truncated:
        return [f"The answer has {seg.original_chars:,} characters; only the first {MAX_CHARS:,} {PART_SCORED}"]
    return []

