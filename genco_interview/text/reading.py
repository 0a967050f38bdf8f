"""Reading an answer as a grader would: the candidate's words only, shorthand spelled out, in English.

Each function fixes one way a raw answer misleads the model: invisible characters split words
(a zero-width space inside "generator" makes two unknown pieces), a transcript's interviewer
lines are not the candidate's claims, and terse notes ("coro: 1 return val") use shorthand the
model has never seen as the word it stands for. The word lists live in lexicon.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import english_function_words, entry

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {str(k).lower(): str(v) for k, v in entry("abbreviations").items()}
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![\w/.*-])(" + "|".join(map(re.escape, keys)) + r")(?![\w/-])", re.IGNORECASE), table


def expand_abbreviations(text: str) -> str:
    """Shorthand spelled out ("gen: many vals" -> "generator: many values"), for the model only."""
    pattern, table = _abbreviation_pattern()
    return pattern.sub(lambda m: table[m.group(1).lower()], text)


def strip_invisible(text: str) -> str:
    """Zero-width and other invisible format characters removed (they split words for the tokenizer);
    a NUL read as the space it usually replaces."""
    return _INVISIBLE.sub("", text).replace("\x00", " ")


@lru_cache(maxsize=1)
def _speaker_label() -> tuple[re.Pattern[str], frozenset[str]]:
    """A speaker label as the line's start: "Interviewer:", "- Candidate:", "[00:01] Interviewer (Sam):",
    "**Candidate**:", "Q:", and the set of labels that ask (lexicon.yaml `speakers`)."""
    speakers = entry("speakers")
    asking = frozenset(str(w).lower() for w in speakers["asking"])
    names = sorted(asking | {str(w).lower() for w in speakers["answering"]}, key=len, reverse=True)
    pattern = re.compile(
        r"^\s*(?:[-*\u2022]\s*)?(?:\[[^\]\n]{0,20}\]\s*)?(?:\*\*)?(" + "|".join(map(re.escape, names)) + r")"
        r"(?:\s*\([^)\n]{0,40}\))?(?:\*\*)?\s*:\s*", re.IGNORECASE)
    return pattern, asking


def candidate_lines(text: str) -> str:
    """In a transcript ("Interviewer: ... / Candidate: ...", "Q: ... / A: ..."), the candidate's lines
    without their labels.

    A line labelled as the interviewer's (and the unlabelled lines that continue it) is dropped:
    the question restated earns nothing. Text with no answering label is returned unchanged, so
    a lone "Q:" in an answer cannot silence the rest of it.
    """
    pattern, asking_labels = _speaker_label()
    lines, asking, answered = [], False, False
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            asking = match.group(1).lower() in asking_labels
            answered = answered or not asking
            line = line[match.end():]
        if not asking:
            lines.append(line)
    return "\n".join(lines) if answered else text


def normalise_answer(text: str) -> str:
    """The answer as scored and shown: invisible characters removed, only the candidate's lines."""
    return candidate_lines(strip_invisible(text))


def looks_english(text: str) -> bool:
    """False when most letters are outside the Latin alphabet, or foreign function words outnumber English ones.

    Code and terse notes have few function words of any language, so they still count as English.
    """
    letters = _LETTER.findall(text)
    if letters and len(_LATIN_LETTER.findall(text)) < 0.5 * len(letters):
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    foreign = sum(w in _foreign_words() for w in words)
    english_words = english_function_words()
    english = sum(w in english_words for w in words)
    return not (foreign >= 3 and foreign > 2 * english)


@lru_cache(maxsize=1)
def _foreign_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in entry("foreign_function_words")) - english_function_words()
