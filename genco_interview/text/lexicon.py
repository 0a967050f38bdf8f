"""The word lists the text helpers and the scoring rules read, from lexicon.yaml: data, not code.

One file holds them all (shorthand, speaker labels, function words, negation cues), so a new
word is an edit to the YAML, and a list that is missing or of the wrong type fails with the
file and the key, the first time it is read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..datafile import SAFE_LOADER

LEXICON_FILE = "lexicon.yaml"


class LexiconError(ValueError):
    """lexicon.yaml is missing a list or holds one of the wrong type: a broken install."""


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Every list of lexicon.yaml, read once (raises LexiconError when the file is not a mapping)."""
    text = resources.files(__package__).joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=SAFE_LOADER)
    if not isinstance(data, dict):
        raise LexiconError(f"{LEXICON_FILE}: expected a mapping of word lists")
    return data


def entry(*keys: str) -> Any:
    """The value at `keys` (e.g. "negation", "words"); LexiconError names the key when it is missing."""
    value: Any = lexicon()
    for depth, key in enumerate(keys):
        if not isinstance(value, dict) or key not in value:
            raise LexiconError(f"{LEXICON_FILE}: missing '{'.'.join(keys[:depth + 1])}'")
        value = value[key]
    return value


def words(*keys: str, keep_case: bool = False) -> frozenset[str]:
    """A space-separated list of words (a YAML string, so "no" and "on" stay words, not booleans),
    lower-cased unless `keep_case` (Python's `None` is not the word "none")."""
    value = entry(*keys)
    if not isinstance(value, str):
        raise LexiconError(f"{LEXICON_FILE}: '{'.'.join(keys)}' must be words separated by spaces")
    return frozenset((value if keep_case else value.lower()).split())


@lru_cache(maxsize=1)
def title_forms() -> dict[str, str]:
    """`speakers.title_forms`: a title's long form and the short one it is read as ("professor": "prof")."""
    forms = entry("speakers", "title_forms")
    if not isinstance(forms, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in forms.items()):
        raise LexiconError(f"{LEXICON_FILE}: 'speakers.title_forms' must map a title's long form to its short one")
    return {k.lower(): v.lower() for k, v in forms.items()}


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words: claims are made with them, keyword dumps have none."""
    return words("stopwords")


@lru_cache(maxsize=1)
def swap_fillers() -> frozenset[str]:
    """Words `rubric validate` looks past when it compares an exemplar with a contradiction."""
    return words("swap_fillers")


@lru_cache(maxsize=1)
def html_tag_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """lexicon.yaml `html_tags`: a pair of one name's opening and closing tags around text (group "inner";
    group "block" set for a block tag), and a void tag, each with attributes or none."""
    def names(*kinds: str) -> str:
        return "|".join(sorted({w for kind in kinds for w in words("html_tags", kind)}, key=len, reverse=True))
    attributes = r"(?:\s[^<>]*)?"
    pair = re.compile(rf"<(?P<name>(?P<block>{names('block')})|{names('inline')}){attributes}>(?P<inner>.*?)</(?P=name)\s*>",
                      re.IGNORECASE)
    return pair, re.compile(rf"<(?:{names('void')}){attributes}/?>", re.IGNORECASE)


@lru_cache(maxsize=1)
def english_function_words() -> frozenset[str]:
    return words("english_function_words")


@lru_cache(maxsize=1)
def phrase_joins() -> frozenset[str]:
    """Prepositions and conjunctions that join a noun to a longer phrase (reading.question_subject)."""
    return words("phrase_joins")


@lru_cache(maxsize=1)
def unfinished_words() -> frozenset[str]:
    """Words a sentence cannot end on: a line break after one sits inside a sentence."""
    return words("unfinished")


@lru_cache(maxsize=1)
def elliptical_ends() -> frozenset[str]:
    """Words an elliptical clause ends on ("while lists cannot"): it borrows the claim before it."""
    return words("elliptical_ends")


@lru_cache(maxsize=1)
def link_pointers() -> frozenset[str]:
    """Words that point to where something is said ("see ... for details"): with a link taken out, a
    sentence of only these claims nothing."""
    return words("link_pointers")


@lru_cache(maxsize=1)
def citation_openers() -> frozenset[str]:
    """Words a sentence holding a link opens with when it cites a source ("Source: https://..."): it claims nothing."""
    return words("citation_openers")


@lru_cache(maxsize=1)
def elliptical_additions() -> frozenset[str]:
    """Words of `elliptical_ends` that add a whole sentence to what came before ("... are cancelled too")."""
    return words("elliptical_additions")


def elliptical_openers() -> frozenset[str]:
    """Words that open an elliptical clause before an auxiliary ("so are dicts", "neither can a string")."""
    return words("elliptical_openers")


def explanation_openers() -> frozenset[str]:
    """Words that open an explanation after a colon ("is a factory: a function that ..."): it explains the clause before it."""
    return words("explanation_openers")


@lru_cache(maxsize=1)
def contrast_tail_pattern() -> re.Pattern[str]:
    """A contrasting elliptical clause at a text's end ("..., while lists cannot", "; but a list isn't.", "; tuples
    are not", "and tuples are not") or sentence ("Lists are mutable. Tuples are not.", a key point joined with the
    elliptical sentence after it): after a comma or semicolon and a word of `contrast_openers`, a semicolon, "and"
    or a sentence's end, a word that is not one of `contrast_same_subject`, at most four words in all, a word of
    `elliptical_ends`. It starts at the comma, semicolon, "and" or sentence's end."""
    openers = "|".join(map(re.escape, sorted(words("contrast_openers"))))
    same = "|".join(map(re.escape, sorted(words("contrast_same_subject"))))
    ends = "|".join(map(re.escape, sorted(elliptical_ends(), key=len, reverse=True)))
    return re.compile(r"(?:[,;]\s*(?:" + openers + r")|[.!?;]|\s+and)\s+(?!(?:" + same + r")\b)(?:[\w'\u2019-]+\s+){0,4}?(?:"
                      + ends + r")[\s.!?]*$", re.IGNORECASE)


def phrases(*keys: str, gap: str = r"\s+") -> str:
    """A list of phrases as one regular-expression alternation (longest first, `gap` between words: any
    spacing); LexiconError names the key when it is not a list of texts."""
    value = entry(*keys)
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and p.strip() for p in value):
        raise LexiconError(f"{LEXICON_FILE}: '{'.'.join(keys)}' must be a list of texts")
    return "|".join(gap.join(map(re.escape, p.split())) for p in sorted(value, key=len, reverse=True))


@lru_cache(maxsize=1)
def admission_pattern() -> re.Pattern[str]:
    """A text that opens by admitting not knowing (lexicon.yaml `admissions`), after any fillers, and not
    as the subject of a claim ("No idea is a bad idea"); the match ends with the opening."""
    fillers = phrases("admissions", "fillers")
    claims = phrases("admissions", "claims_after")
    return re.compile(rf"^\W*(?:(?:{fillers})\b[\s,.…-]*)*(?:{phrases('admissions', 'openings')})\b"
                      rf"(?!\s+(?:{claims})\b)", re.IGNORECASE)


@lru_cache(maxsize=1)
def admission_end_pattern() -> re.Pattern[str]:
    """Where an admission ends and the part may go on to a claim (lexicon.yaml `admissions.ends`)."""
    going_on = rf"(?!\s*(?:{phrases('admissions', 'continues')})\b)"  # "..., or where Y is" still admits
    ends = [re.escape(e) + going_on if not e.strip().isalpha() else rf"\b{e.strip()}\b" for e in entry("admissions", "ends")]
    return re.compile("|".join(ends), re.IGNORECASE)


@lru_cache(maxsize=1)
def filler_pattern() -> re.Pattern[str]:
    """The fillers of lexicon.yaml `admissions` ("honestly", "sorry"), which say nothing after one either."""
    return re.compile(rf"\b(?:{phrases('admissions', 'fillers')})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def failure_pattern() -> re.Pattern[str]:
    """A failure report ("it errors out"), with the word before it in group 1 (see failure_guards)."""
    return re.compile(r"(?:\b([\w']+)\s+)?\b(?:" + phrases("failure", "phrases") + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def failure_guards() -> frozenset[str]:
    """Words that, right before a failure phrase, say the failure does not happen ("without an error")."""
    return words("failure", "guards")


@lru_cache(maxsize=1)
def negation_pattern() -> re.Pattern[str]:
    """A negation cue anywhere in a text: one of the words, or a word ending in one of the suffixes;
    not one of `negation.values` given as a value: right after "=" ("maxsize=None makes it unbounded"
    denies nothing; "x = None" reads as "x is None", text.reading.expand_abbreviations), or given a
    role with "as" ("use None as the default" names the value, it denies nothing), or right after one of
    `negation.value_after` ("a None default", "use None instead"); nor a cue opening one of
    `negation.limiters` ("not only", "no more than") but after a word of `negation.modals` ("you can not just
    await it" denies), or of `negation.final_limiters` where its clause ends (", nothing more.")."""
    cues = sorted(words("negation", "words"))
    suffixes = [str(s) for s in entry("negation", "suffixes")]
    value = "(?-i:" + _values() + r")\b"
    named = "".join(rf"(?!(?<=\b{re.escape(word)}\s){value})" for word in sorted(words("negation", "value_after")))
    after_modal = "".join(rf"(?<!\b{re.escape(modal)}\s)" for modal in sorted(words("negation", "modals")))
    limiters = (rf"(?!{after_modal}(?:{phrases('negation', 'limiters')})\b)"
                rf"(?!(?:{phrases('negation', 'final_limiters')})\s*(?:[.,;:!?)]|$))")
    return re.compile(r"\b(?!(?<==)" + value + r")(?!" + value + r"\s+as\b)" + named + limiters + "(?:"
                      + "|".join(map(re.escape, cues)) + r")\b|" + "|".join(re.escape(s) + r"\b" for s in suffixes),
                      re.IGNORECASE)


def _values() -> str:
    """`negation.values` as one regular-expression alternation, each written just so ("None", not "none")."""
    return "|".join(map(re.escape, sorted(words("negation", "values", keep_case=True))))


def without_values(text: str) -> str:
    """`text` with each of `negation.values` written just so ("None") replaced by a word that denies
    nothing: what a rubric text's negation is when Python's constant is left aside."""
    return re.sub(rf"\b(?:{_values()})\b", "value", text)


@lru_cache(maxsize=1)
def lookalikes() -> dict[int, str]:
    """lexicon.yaml `lookalikes` as a str.translate table: each look-alike letter to its Latin letter."""
    value = entry("lookalikes")
    pairs = value.split() if isinstance(value, str) else []
    if not pairs or not all(len(pair) == 2 for pair in pairs):
        raise LexiconError(f"{LEXICON_FILE}: 'lookalikes' must be pairs of letters (look-alike, Latin)")
    return {ord(pair[0]): pair[1] for pair in pairs}


_CODE_POINTS = re.compile(r"([0-9A-F]{4,6})(?:\.\.([0-9A-F]{4,6}))?")


@lru_cache(maxsize=1)
def invisible_characters() -> frozenset[str]:
    """lexicon.yaml `invisible`: the characters that show nothing, from hexadecimal code points and
    ranges ("034F", "FE00..FE0F"); LexiconError when an item is neither or a range runs backwards."""
    value = entry("invisible")
    items = value.split() if isinstance(value, str) else []
    matches = [_CODE_POINTS.fullmatch(item) for item in items]
    ranges = [(int(m.group(1), 16), int(m.group(2) or m.group(1), 16)) for m in matches if m]
    if not items or len(ranges) < len(items) or any(first > last or last > 0x10FFFF for first, last in ranges):
        raise LexiconError(f"{LEXICON_FILE}: 'invisible' must be hexadecimal code points or ranges FIRST..LAST")
    return frozenset(chr(point) for first, last in ranges for point in range(first, last + 1))


@lru_cache(maxsize=6)
def rebuttal_pattern(kind: str) -> re.Pattern[str]:
    """One list of lexicon.yaml `rebuttals` ("denying", "reporting", "denials", "agreements", "contrasts" or "undoing")
    as whole-word phrases; "undoing" also matches a word ending in n't ("isn't wrong")."""
    also = r"|n't\b" if kind == "undoing" else ""
    return re.compile(r"\b(?:" + phrases("rebuttals", kind) + r")\b" + also, re.IGNORECASE)


@lru_cache(maxsize=1)
def self_correction_pattern() -> re.Pattern[str]:
    """At a text's start, a clause taking back what came before it (lexicon.yaml `rebuttals.self_corrections`,
    after any `correction_fillers`), ending at a break or the text's end: ", hmm, no, that's wrong, ...";
    not "no, it runs on one thread" or "that's wrong for coroutines"."""
    return re.compile(rf"[\s,]*(?:(?:{_spaced('rebuttals', 'correction_fillers')})\b[\s,.]+)*"
                      rf"(?:{_spaced('rebuttals', 'self_corrections')})\b(?=\s*(?:[,;:.!?\u2013\u2014]|-\s|$))",
                      re.IGNORECASE)


def _spaced(*keys: str) -> str:
    """phrases() whose words may have commas between them ("no, that's wrong"), either apostrophe in them."""
    return phrases(*keys, gap=r"[\s,]+").replace("'", "['\u2019]")


@lru_cache(maxsize=1)
def negated_subject_pattern() -> re.Pattern[str]:
    """At a text's start, one of `rebuttals.subjects` with a negated verb ("They don't", "but it isn't")."""
    subjects = "|".join(map(re.escape, sorted(words("rebuttals", "subjects"))))
    return re.compile(rf"\W*(?:but\s+)?(?:{subjects})(?:'re|'s)?\s+(?:\w+\s+)?(?:not|never|\w+n't)\b", re.IGNORECASE)


_RETRACTION_VERB = {"plain": r"(?:\s+(?:is|was|are|were)|'s)",
                    "negated": r"(?:\s+(?:is|was|are|were)\s+not|\s+(?:isn't|wasn't|aren't|weren't))"}
"""How a retraction joins what it takes back to its verdict: "... *is* false", "... *isn't* true"."""


@lru_cache(maxsize=1)
def retraction_pattern() -> re.Pattern[str]:
    """At a sentence's start (or after its ", but"), a sentence taking back the answer as a whole (lexicon.yaml `retractions`):
    all of it called false ("everything I just said is false") or not true ("everything above isn't
    true"), none of it called true ("none of that is correct"), or one of `taking_back` ("I take it
    all back", "forget everything I wrote above"); the verdict ends the sentence (or a clause of
    `afterwards` follows it, or only symbols other than a question mark: "... is false :)"; not "is
    false... not really"), or, when it names the answer's own words (`all_of_mine`, `none_of_mine`,
    `taking_back` in the first person), comes before a colon ("Everything I just said is wrong: ...", "I had
    them backwards: it's the coroutine that ..."; not "All of that is wrong: ...", "The following is wrong:
    ..." or "Forget all of that: ...", which may judge what the colon brings or an old way of doing it).
    Straight apostrophes: the caller folds curly ones."""
    adverbs = rf"(?:\s+(?:{phrases('retractions', 'adverbs')}))*"
    where = rf"(?:\s+(?:{phrases('retractions', 'where')}))?"

    def verdicts(everything: str, nothing: str) -> str:
        def verdict(subject: str, verb: str, judged: str) -> str:
            return (rf"(?:{subject}){where}{_RETRACTION_VERB[verb]}{adverbs}"
                    rf"\s+(?:{phrases('retractions', judged)})")
        return "|".join([verdict(everything, "plain", "false"), verdict(everything, "negated", "true"),
                         verdict(nothing, "plain", "true")])

    mine, no_part_of_mine = phrases("retractions", "all_of_mine"), phrases("retractions", "none_of_mine")
    taking_back = rf"(?:{phrases('retractions', 'taking_back')}){where}"
    said = "|".join([verdicts(f"{phrases('retractions', 'all_of_it')}|{mine}",
                              f"{phrases('retractions', 'none_of_it')}|{no_part_of_mine}"), taking_back,
                     _spaced("rebuttals", "self_corrections")])  # "Hmm, no, that's wrong."
    start = rf"(?:^[^\w\"'`\u201c\u2018>]*|[,;]\s*but\s+)(?:(?:{phrases('retractions', 'openers')})\W+){{0,4}}"
    end = rf"(?=\s*(?:[!;]|\.(?!\.))|[^\w?]*$|\s*(?:,|-+|\u2013|\u2014)\s*(?:{phrases('retractions', 'afterwards')})\b)"
    return re.compile(f"{start}(?:(?:{said}){end}|(?:{verdicts(mine, no_part_of_mine)}|(?=i\\s){taking_back})(?=\\s*:))",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _retraction_words() -> frozenset[str]:
    """One word of every phrase a retraction must hold (retraction_pattern: a verdict of `retractions.false` or
    `retractions.true`, one of `retractions.taking_back`, or a `rebuttals.self_corrections`), its longest
    made of letters alone, lower-cased."""
    held = [entry("retractions", "false"), entry("retractions", "true"), entry("retractions", "taking_back"),
            entry("rebuttals", "self_corrections")]
    return frozenset(max(str(phrase).lower().split(), key=lambda word: (word.isalpha(), len(word)))
                     for phrases_held in held for phrase in phrases_held)


def may_retract(text: str) -> bool:
    """False when `text` cannot be a retraction (it holds none of _retraction_words), so most sentences are read
    without retraction_pattern, whose compiling took 0.04 s of every one-shot `genco score`."""
    lowered = text.lower()
    return any(word in lowered for word in _retraction_words())


def retracts(text: str) -> bool:
    """Whether `text` takes the answer back as a whole (retraction_pattern), read only when it may (may_retract)."""
    return may_retract(text) and retraction_pattern().search(text) is not None


@lru_cache(maxsize=1)
def belief_report_pattern() -> re.Pattern[str]:
    """Words that report what others believe ("people say", "some tutorials claim", "a common myth"),
    not in the answer's own voice ("I think"): lexicon.yaml `rebuttals` reporting and denying phrases
    and `retractions.reports`."""
    said = "|".join([phrases("rebuttals", "reporting"), phrases("rebuttals", "denying"), phrases("retractions", "reports")])
    return re.compile(rf"(?<!\bi\s)(?<!\bwe\s)\b(?:{said})\b", re.IGNORECASE)
