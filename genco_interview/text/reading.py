"""Reading an answer as a grader would: the candidate's words only, shorthand spelled out, in English.

Each function fixes one way a raw answer misleads the model: invisible characters split words
(a zero-width space inside "generator" makes two unknown pieces), a transcript's interviewer
lines are not the candidate's claims, and terse notes ("coro: 1 return val") use shorthand the
model has never seen as the word it stands for. The word lists live in lexicon.yaml.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from ..errors import cut
from .escapes import TERMINAL_ESCAPE, line_feeds
from .lexicon import (
    admission_end_pattern,
    admission_pattern,
    english_function_words,
    entry,
    filler_pattern,
    html_tag_patterns,
    invisible_characters,
    lookalikes,
    phrase_joins,
    unfinished_words,
    words,
)
from .names import folded_name, same_person, says_more
from .segment import SENTENCE_BREAK, in_code_fences
from .spelling import english_words

BLANKS = "\u115f\u1160\u2800\u3164\uffa0"
"""Invisible characters drawn as a blank the width of a letter (the braille blank, Hangul fillers): typed
or pasted where a space goes, they are read as one; every other invisible one is dropped."""
_AS_SPACES = str.maketrans(dict.fromkeys(BLANKS, " "))


@lru_cache(maxsize=1)
def _invisible() -> re.Pattern[str]:
    """What strip_invisible drops: lexicon.yaml `invisible` (joiners, direction and variation marks,
    tags...) but the BLANKS, terminal escape sequences pasted from a terminal, and control characters
    other than tab and line breaks (a NUL is read as a space)."""
    return re.compile(f"[{_ranges(invisible_characters() - set(BLANKS))}]|{TERMINAL_ESCAPE}"
                      "|[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _ranges(characters: set[str] | frozenset[str]) -> str:
    """A regex character class's body for `characters`, runs of code points as ranges: a class of 4,000
    single characters took 5 ms on a typical answer, one of 20 ranges microseconds."""
    points, runs = sorted(map(ord, characters)), []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)


_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {str(k).lower(): str(v) for k, v in entry("abbreviations").items()}
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![\w/.*-])(" + "|".join(map(re.escape, keys)) + r")(?![\w/-])", re.IGNORECASE), table


def expand_abbreviations(text: str) -> str:
    """Shorthand spelled out ("gen: many vals -> 1 result" -> "generator: many values gives one result"),
    for the model only: a sentence model reads an arrow or an equals sign as punctuation, and a terse
    note's claims hang on them (lexicon.yaml `abbreviations`, `shorthand_symbols`)."""
    symbols, words = _symbol_pattern()
    text = symbols.sub(lambda m: f" {words[m.group(1)]} " if m.group(1) else words[m.group(2)], text)
    pattern, table = _abbreviation_pattern()
    return pattern.sub(lambda m: table[m.group(1).lower()], text)


@lru_cache(maxsize=1)
def _symbol_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for both kinds of shorthand symbol: group 1 an arrow (anywhere, its spaces taken with
    it), group 2 a symbol standing alone between spaces; and the words each stands for."""
    anywhere = {str(k): str(v) for k, v in entry("shorthand_symbols", "anywhere").items()}
    alone = {str(k): str(v) for k, v in entry("shorthand_symbols", "between_spaces").items()}

    def either(symbols: dict[str, str]) -> str:
        return "|".join(map(re.escape, sorted(symbols, key=len, reverse=True)))

    # (?<!\s): a match starts where its spaces do; tried inside a long run of spaces, the run was scanned
    # once from every one of them (a 250 kB answer of blank lines took minutes)
    return (re.compile(rf"(?<!\s)\s*({either(anywhere)})\s*|(?<!\S)({either(alone)})(?!\S)"), {**anywhere, **alone})


def strip_invisible(text: str) -> str:
    """Zero-width and other invisible format characters, terminal escape sequences ("\\x1b[31m") and
    control characters removed (they split words for the tokenizer, or reach it as noise); a NUL read
    as the space it usually replaces, and so is a zero-width space in a text that has more of them
    than spaces and without them runs its words together (it stands between the words there, and
    removing it would join them all; put between every letter, it only hides the words' own spaces). Every
    other character that ends a line (CR, a form feed as pdftotext leaves at a page break, NEL, U+2028) is
    a line break: removed, it glued the words on each side ("awaitedby"), and a transcript's lines into one."""
    text = line_feeds(text)
    if text.count("\u200b") > _spaces(text) and _runs_words_together(text.replace("\u200b", "")):
        text = text.replace("\u200b", " ")
    return _invisible().sub("", text.translate(_AS_SPACES)).replace("\x00", " ")


CHARACTERS_PER_SPACE = 20
"""More characters than this per space and a text's words run together: English prose has a space
about every six characters, code and terse notes every ten or so."""


_SPACE = re.compile(r"\s")


def _spaces(text: str) -> int:
    """Spaces of any kind in `text` (a no-break, thin or ideographic space separates words too)."""
    return len(_SPACE.findall(text))


def _runs_words_together(text: str) -> bool:
    """Whether `text` has too few spaces to hold separate words (CHARACTERS_PER_SPACE)."""
    return _spaces(text) * CHARACTERS_PER_SPACE < len(text.strip())


INVISIBLE_CATEGORIES = ("Cf", "Cc")
"""Unicode categories that show nothing: format characters (zero-width spaces and joiners, the soft
hyphen, the byte order mark, direction marks) and control characters."""


def is_blank(text: str) -> bool:
    """Whether a text shows nothing at all: only whitespace (a no-break or ideographic space too) and
    hidden characters (is_hidden). `str.strip` leaves a zero-width space, so a title of one looked written."""
    return all(ch.isspace() or is_hidden(ch) for ch in text)


def is_hidden(ch: str) -> bool:
    """Whether a character shows nothing and is no space: INVISIBLE_CATEGORIES and the characters of
    lexicon.yaml `invisible` (Unicode's default ignorable ones, such as variation selectors and Hangul
    fillers, and the braille blank)."""
    return ch in invisible_characters() or unicodedata.category(ch) in INVISIBLE_CATEGORIES


def read_lookalikes(text: str) -> str:
    """In a text written in Latin letters, letters of other alphabets drawn like Latin ones (a Cyrillic
    "о", lexicon.yaml `lookalikes`) read as the Latin letter, and accents heaped on most letters
    dropped: the words are the words a reader sees, not unknown pieces to the model. A text whose
    other letters are mostly of another alphabet is left alone (it is not in English: looks_english)."""
    if text.isascii():  # most answers: no other alphabet, no combining accent
        return text
    table = lookalikes()
    letters = [ch for ch in _LETTER.findall(text) if ord(ch) not in table]
    if not _mostly_latin(letters):
        return text
    text = text.translate(table)
    decomposed = unicodedata.normalize("NFD", text)
    marks = sum(unicodedata.category(ch) == "Mn" for ch in decomposed)
    if marks > 0.5 * len(letters):
        text = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))
    return text


FULL_WIDTH = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}
"""Unicode's full-width forms of the ASCII characters (U+FF01-U+FF5E, what an East Asian input method
types: "ｇｅｎｅｒａｔｏｒ") and the ideographic space, each to its ASCII character, as NFKC maps them."""


IDEOGRAPHIC_PUNCTUATION = {0x3001: ",", 0x3002: "."}
"""The ideographic comma and full stop ("、", "。"), which a CJK input method types in place of "," and ".",
read as them in a text written in Latin letters."""
_CLOSE_PUNCTUATION = re.compile("([\uff01\uff0c\uff0e\uff1a\uff1b\uff1f\u3001\u3002])(?=\\S)")
"""Full-width or ideographic punctuation with no space after it, as a CJK input method types it."""


def read_full_width(text: str) -> str:
    """Full-width ASCII read as ASCII (FULL_WIDTH): an English answer typed with a CJK input method
    was read as not English and scored 0, while the same words in look-alike Cyrillic letters scored.
    In a text mostly in Latin letters, the ideographic comma and full stop read as "," and ".", and a
    space follows such punctuation (those marks carry none): "lazily。A coroutine" was one sentence,
    and every concept quoted the whole answer as its evidence."""
    if text.isascii():
        return text
    folded = text.translate(FULL_WIDTH)
    if not _mostly_latin(_LETTER.findall(folded)):
        return folded
    return _CLOSE_PUNCTUATION.sub(r"\1 ", text).translate(FULL_WIDTH).translate(IDEOGRAPHIC_PUNCTUATION)


def _mostly_latin(letters: list[str]) -> bool:
    """Whether at least half of `letters` are Latin (_is_latin): a text written in Latin letters, not one in
    another alphabet with a Latin word or two (which is left as it is: it is not in English)."""
    return bool(letters) and sum(_is_latin(ch) for ch in letters) >= 0.5 * len(letters)


def _is_latin(letter: str) -> bool:
    """A Latin letter, accented or not ("é" is an "e")."""
    return bool(_LATIN_LETTER.match(unicodedata.normalize("NFD", letter)[0]))


_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
"""A time of day or into a recording in a transcript's labels: "10:01", "00:01:02", "00:00:01.500"."""
_MERIDIEM = r"(?:\s*[AaPp]\.?[Mm]\.?)?"
"""What may follow a chat's time of day: " AM", "p.m."."""


_NAME_GAP = "[ \t\u00a0\u202f]{1,3}"
"""What may stand between a label's name words: a space, or up to three of them, a tab or a no-break space
("Ada  Lovelace:", "Ada\u00a0Lovelace:", as a caption editor, a hurried typist or a pasted document leaves it)."""


@lru_cache(maxsize=1)
def _speaker_label() -> tuple[re.Pattern[str], frozenset[str], frozenset[str]]:
    """A line's start that may be a speaker label: "Interviewer:", "- Candidate:", "[00:01] Bob
    (interviewer):", "**Candidate**:", "Q:", "Ada Lovelace:", "gen:"; and the words of lexicon.yaml
    `speakers` that ask and that answer."""
    speakers = entry("speakers")
    asking = frozenset(str(w).lower() for w in speakers["asking"])
    answering = frozenset(str(w).lower() for w in speakers["answering"])
    particles = "|".join(map(re.escape, sorted(words("speakers", "particles"))))
    roles = "|".join(map(re.escape, sorted(_qualifiable(asking | answering))))
    notes = "|".join(map(re.escape, sorted(_noting(), key=len, reverse=True)))
    pattern = re.compile(
        r"^\s*+(?:>\s*+)*+(?:[-*\u2022]\s*|\d{1,2}[.)]\s+)?\(?"  # a quoted, bulleted or numbered line, or an aside
        r"(?P<stamp>(?:\[[^\]\n]{0,12}\d{1,2}:\d{2}[^\]\n]{0,12}\]|\(?(?:\d{4}-\d{2}-\d{2}[ T])?" + _CLOCK
        + r"\)?)\s*)?[*_]{0,2}"  # [00:01] or [10:32 AM] (a time in it: "[1] Generator:" is a list's),
        # 00:01:02 or 2024-05-01 10:01; bold or italic
        # a name of up to three capitalised words ("Dr. Ada Lovelace"), lower-case particles among them
        r"(?P<name>[^\W\d_](?:[^\W_]|[.'-]){0,30}(?:(?:" + _NAME_GAP + r"(?:" + particles + r"))*"  # no "_": "_Verdict_:"
        + _NAME_GAP + r"[^\W\d_a-z](?:[^\W_]|[.'-]){0,30}){0,2}(?: #?\d{1,2})?"  # is italic
        r"|[A-Z][\w'-]{0,30} (?:" + roles + r")"  # a role qualified: "Lead interviewer", "Second candidate"
        r"|(?i:" + notes + r"))"  # an interviewer's notes: "Interviewer notes", "hiring decision"
        r"(?:\s*[(\[](?P<role>[^)\]\n]{0,40})[)\]])?[*_]{0,2}"  # "Bob (interviewer)", "Bob [Interviewer]"
        r"(?:\s+[\[(]?" + _CLOCK + r"[\])]?)?"  # a time after the name: "Interviewer 10:01:"
        r"\s*[:\uff1a][*_]{0,2}(?![\d/])\s*")  # a full-width colon too; "10:33" is a time, "https://..." a link
    return pattern, asking, answering


@lru_cache(maxsize=1)
def _noting() -> frozenset[str]:
    """The labels only an interviewer writes over their own notes (lexicon.yaml `speakers.noting`), lower case:
    each word `alone`, and each of the `nouns` after each of the `qualifiers` ("overall assessment")."""
    noting = entry("speakers", "noting")
    alone, qualifiers, nouns = ([str(word).lower() for word in noting[key]] for key in ("alone", "qualifiers", "nouns"))
    labels = [*alone, *(f"{qualifier} {noun}" for qualifier in qualifiers for noun in nouns)]
    return frozenset([*labels, *(label.replace("'", "\u2019") for label in labels)])  # "Interviewer’s notes", typeset


def _qualifiable(roles: frozenset[str]) -> frozenset[str]:
    """The role words a qualifier may come before ("Lead interviewer", "Second candidate"): those that
    name a person, never "question" or "answer" ("The question: who drives it?" and "Short answer: ..."
    are a candidate's own headings), nor a letter ("Plan A:" names no speaker)."""
    return frozenset(role for role in roles if len(role) >= ROLE_WORD_MIN) - _NOT_PEOPLE


ROLE_WORD_MIN = 3
"""Letters a role word needs to name a speaker beside other words (after a qualifier, in brackets, or
over the words in a label's brackets): "q", "a" and "me" also open a candidate's own notes ("Plan A:",
"Generators (for me):")."""
_NOT_PEOPLE = frozenset({"question", "answer"})


def _qualified_role(name: str, roles: frozenset[str]) -> str | None:
    """The role word a two-word label name ends on, after its qualifier ("lead interviewer":
    "interviewer"), or None: a third speaker's "Lead interviewer:" was read as the candidate's text."""
    qualifier, _, role = name.partition(" ")
    return role if qualifier and role in _qualifiable(roles) else None


def _as_colon_label(line: str, roles: frozenset[str]) -> str:
    """A line opening with a role's label in another common transcript form, written as "Role: ...":
    "[Interviewer] ...", "Candidate - ...", "Candidate> ...", "### Interviewer" (either after a time stamp,
    "[00:01] Interviewer - ...") and
    a chat export's or a meeting transcript's "Interviewer  10:32 AM", "Ada Lovelace (00:05)" or "[00:05]
    Ada" on a line of its own. Only the roles of lexicon.yaml `speakers` in brackets, before a dash or, capitalised,
    before a ">" (of two letters or more there: "A - B" is a line of notes), so a line of notes is never taken for a label;
    a capitalised name too before a time alone on its line."""
    chat = _ZOOM_CHAT.match(line)
    if chat is not None:  # "10:02:13 From Dana Whitfield to Everyone:", the message on the lines below it
        return f"[{chat.group('when')}] {chat.group('name').strip()}: {line[chat.end():].lstrip()}"
    match = _OTHER_LABEL.match(line)
    if match is None:
        return line
    role = next(match.group(form) for form in ("bracketed", "dashed", "angled", "heading", "bare", "timed", "alone")
                if match.group(form))
    named = (match.group("timed") or match.group("alone")) is not None and role[0].isupper()
    if not named and (role.lower() not in roles or (len(role) < 2 and not match.group("bracketed"))):
        return line
    aside = match.group("timed_aside") or match.group("alone_aside") or ""
    stamp = match.group("stamp") or (f"[{match.group('when')}] " if match.group("when") else "")  # a speaker's, by its time
    return f"{stamp}{role}{aside}: {line[match.end():]}"


def _as_colon_labels(lines: list[str], roles: frozenset[str]) -> list[str]:
    """Each line with its label in another common form written as "Role: ..." (_as_colon_label); and
    "Q. ..." / "A. ..." (or "Q) ...", either case) as "Q: ..." / "A: ..." when the text has both, so an
    answer's lettered list ("A. generators, B. coroutines") keeps its letters."""
    lines = [_as_colon_label(line, roles) for line in _turns_on_their_lines(lines, roles)]
    dotted = [_DOTTED_LABEL.match(line) for line in lines]
    if {m.group("letter").upper() for m in dotted if m} != {"Q", "A"}:
        return lines
    return [f"{m.group('letter').upper()}: {line[m.end():]}" if m else line for line, m in zip(lines, dotted)]


def _turns_on_their_lines(lines: list[str], roles: frozenset[str]) -> list[str]:
    """A line that opens with a role's label and holds later turns after a sentence's end, each opening with a
    capitalised role's label ("Interviewer: What is a generator? Candidate: It yields lazily."), as one line
    a turn: read as one line, the interviewer's, the candidate's answer was dropped with it."""
    opens, turn = _inline_turn_patterns(roles)
    return [part for line in lines for part in (turn.split(line) if opens.match(line) else [line])]


@lru_cache(maxsize=4)
def _inline_turn_patterns(roles: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a line opening with a capitalised role's label, the gap before another one after a sentence's end). Not
    "Question:" or "Answer:" inside a line: a candidate's "Sure. Question: do you mean async def?" is theirs."""
    roles = roles - _NOT_PEOPLE
    named = "|".join(sorted({re.escape(role.capitalize()) for role in roles} | {re.escape(role.upper()) for role in roles
                                                                                if len(role) == 1}, key=len, reverse=True))
    label = r"(?:" + named + r")\s*:\s"
    return re.compile(r"^\s*+" + label), re.compile(r"(?<=[.?!\u2026])\s+(?=" + label + ")")


_ZOOM_CHAT = re.compile(r"^\s*+(?P<when>" + _CLOCK + _MERIDIEM + r")\s+From\s+(?P<name>[^\W\d_][^:\n]{0,59}?)"
                        r"(?:\s+to\s+[^:\n]{1,60}?)?\s*:(?=\s|$)")
"""A line of Zoom's saved chat: "10:02:13 From Dana Whitfield to Everyone:" (the message below it, indented),
"10:02:13 From Dana Whitfield to Tom(Direct Message):", or the older "10:02:13\t From  Dana Whitfield : message"."""
_DOTTED_LABEL = re.compile(r"^\s*+(?P<letter>[QAqa])\d{0,2}[.)]\s+(?=\S)")  # "Q.", "Q1.", "a)"


_HEADER_NAME = r"[A-Za-z]+(?: [A-Z][A-Za-z'-]*){0,2}(?: \d{1,2})?"
"""A speaker's name on a line of its own, before or after a time: up to three words, a number after
them ("Speaker 1  0:03", as Otter exports)."""
_ASIDE = r"\s*\([A-Za-z][^)\n]{0,40}\)"
"""Words in brackets after a speaker's name ("[00:00:04] Priya Raman (Interviewer)", as Teams exports)."""


_LABEL_WORDS = r"[A-Za-z]+(?:[ '\u2019][A-Za-z]+){0,2}"
"""A role's label in brackets, before a dash or as a heading: a word, or the three of an interviewer's
notes ("[Interviewer note]", "Final verdict - ", "## Interviewer’s notes")."""


_OTHER_LABEL = re.compile(
    r"^\s*+(?P<stamp>(?:\[" + _CLOCK + _MERIDIEM + r"\]|\(?" + _CLOCK + r"\)?)\s*)?"
    r"(?:\[(?P<bracketed>" + _LABEL_WORDS + r")(?:\s+" + _CLOCK + r")?\]\s*"  # "[Interviewer]", "[Interviewer 10:01]"
    r"|(?P<dashed>" + _LABEL_WORDS + r")(?:\s+-|\s*[\u2013\u2014])\s+"  # "Candidate - ", "Candidate\u2014 "
    r"|(?P<angled>[A-Z][A-Za-z]+)\s*(?:>>?|[-=]>)\s*"  # capitalised: "answer > 0" is a comparison
    r"|\#{1,6}\s+(?P<heading>[A-Z]" + _LABEL_WORDS + r")\s*$"  # a Markdown heading naming a role: "### Interviewer"
    r"|(?P<timed>" + _HEADER_NAME + r")(?P<timed_aside>" + _ASIDE + r")?\s+(?P<paren>\()?(?P<when>" + _CLOCK
    + _MERIDIEM + r")(?(paren)\))\s*$"
    r"|(?(stamp)(?![AaPp]\.?[Mm]\.?\s*$)(?P<alone>" + _HEADER_NAME + r")(?P<alone_aside>" + _ASIDE + r")?\s*$|(?!))"
    r"|(?P<bare>[A-Za-z]+)\s*$)")  # a role alone on its line, no time: "Interviewer", the turn below it
# after a stamp, alone on its line: a name, not the stamp's AM or PM ("10:34 AM", a chat's later message)


ASKING, ANSWERING, NAMED, PLAIN, NOTE = "asking", "answering", "named", "plain", "note"
"""What a label says of its speaker: the interviewer's, the candidate's, someone's (a time stamp makes
it a speaker's label, but not whose), or maybe no label at all ("Ada:" may be a name, "Generators:"
or "Output (3.11):" a heading of notes); in a transcript pasted to grade, also the interviewer's own
notes ("Verdict:", `_noting`)."""


def _label_names(match: re.Match[str]) -> tuple[str, str]:
    """A label's name and the words in its brackets, lower case ("Speaker 2 (Ada)": "speaker 2", "ada")."""
    return (match.group("name").lower(),
            " ".join(re.findall(r"[^\W\d_][\w.'-]*", (match.group("role") or "").lower())))


def _speaker(match: re.Match[str], asking: frozenset[str], answering: frozenset[str], candidate: frozenset[str]) -> str:
    """Whose line a label starts: by a role in brackets first ("Bob (interviewer)"), then by the
    candidate's name given (`candidate`, _candidate_names: "--candidate Me" makes "Me:" the candidate's,
    though "Me" alone is the interviewer's), then by its name ("Interviewer 2" is the interviewer's).
    A name that is a role word of three letters or more outweighs the words in its brackets:
    "Interviewer (reading the model answer):" asks, though "answer" answers; and a word in brackets names
    a role only when it has three letters or more ("Generators (for me):" is a heading, not "Me")."""
    numbered, bracket = _label_names(match)
    if len(match.group("name")) == 1 and match.group("name").islower():  # "q: asyncio.Queue = ..." is code, "Q:" a label
        return PLAIN
    name = _NUMBERED.sub("", numbered)  # "Interviewer 2", "Interviewer A", "Q1" ask; "Speaker 2" is one speaker
    role_word = name if name in asking | answering else _qualified_role(name, asking | answering)
    named = role_word is not None and len(role_word) >= ROLE_WORD_MIN  # "Answer (the interviewer's question):" answers
    said = set() if named or len(bracket.split()) > _ASIDE_WORDS else {w for w in bracket.split() if len(w) >= ROLE_WORD_MIN}
    if said & asking:
        return ASKING
    if numbered in candidate or bracket in candidate:
        return ANSWERING
    if said & answering:  # "Bob (candidate):" beside the "Alice" the interviewer named: another candidate
        return NAMED if candidate else ANSWERING
    if role_word in answering and any(_NUMBERED.sub("", name_given) == name for name_given in candidate):
        return NAMED  # "Candidate 2:" beside the "Candidate 1" the interviewer named: another candidate
    if role_word in asking:
        return ASKING
    if role_word in answering:
        return ANSWERING
    return NAMED if match.group("stamp") and match.group("name")[:1].isupper() else PLAIN  # "00:00 loop:" is a note


_ASIDE_WORDS = 3
"""Words in a label's brackets that may name its role ("Bob (interviewer)", "Sam (the lead interviewer)"):
more are a remark ("Follow-up (my interviewer pushed on this):" is the candidate's heading)."""


_NUMBERED = re.compile(r" ?#?\d{1,2}$| [a-z]$")
"""A label name's number or letter ("Interviewer 2", "Interviewer #1", "Interviewer A", "Q1", "A1"),
which says which of several, not who."""


def _candidate_names(names: list[str], candidate: str | None) -> frozenset[str]:
    """Which of a transcript's label names (and bracketed names), in the order its lines give them, are
    the candidate's: those that name one person with `candidate` (same_person: "Lovelace" and
    "A. Lovelace" both, for "A. Lovelace"). When two of them hand over to each other, they are two
    people ("Alex Smith:" asking, "Alex:" answering, for "Alex"): then only a name given in full is,
    or none, since scoring the interviewer's questions as the candidate's would be silent, while no
    label answering is said on the card (unlabelled_candidate)."""
    if not candidate or not candidate.split():
        return frozenset()
    candidate = strip_invisible(candidate)
    fits = [name if same_person(name, candidate) else None for name in names]
    matching = {name for name in fits if name}
    apart = any(a and b and a != b for a, b in zip(fits, fits[1:]))
    if not apart:
        return frozenset(matching)
    return frozenset(name for name in matching if folded_name(name) == folded_name(candidate))


def candidate_lines(text: str, candidate: str | None = None, transcript: bool = False) -> str:
    """In a transcript ("Interviewer: ... / Candidate: ...", "Q: ... / A: ...", "Me: ... / Candidate:
    ...", "Bob (interviewer): ... / Ada: ..."), the candidate's lines without their labels.

    `transcript` says the text is one (an interviewer pasted it to grade it): a plain "Interviewer:"
    then counts as named, so the other speakers' lines are the candidate's; and `candidate`, the
    name the interviewer gave, is a label that answers ("Ada Lovelace:" or "Ada:" for "Ada Lovelace").

    A line labelled as the interviewer's (and the unlabelled lines that continue it) is dropped:
    the question restated earns nothing. With a label that answers, every other speaker's label
    (one with a time stamp) is the interviewer's, and a bare "Name:" is the candidate's text unless its
    turns hand over to the candidate's label twice (then it is a speaker: _speakers_handing_over). With
    no label that answers, an interviewer named with a role ("Bob (interviewer):") makes the other
    labelled lines the candidate's; a plain "Interviewer:" does not, for a candidate may type the
    question above a reply in notes ("Generators: lazy"). Otherwise the text is returned
    unchanged, so a lone "Q:" in an answer cannot silence the rest of it. A bare "Name:" stays in
    the text, and a line in a code fence is never a label ("q: asyncio.Queue = ...").
    """
    turns = _turns(text, candidate, transcript)
    return text if turns is None else "\n".join(_with_turns_apart(turns))


def _with_turns_apart(turns: list[_Turn]) -> list[str]:
    """The candidate's lines, a blank line before a turn of theirs that follows another speaker's lines
    (unless the turn before broke a sentence off: "it is driven by the" / "event loop"), or that opens with
    its label when the turn before ends without a sentence's final punctuation. A chat's turns often have
    none ("gens are lazy" / "the loop drives coroutines"), and read as one sentence, quoted whole for three
    concepts; and two answers to two questions read as one passage had the end of one and the start of the
    next quoted together as a red flag (segment reads sentence pairs within a paragraph only)."""
    kept: list[str] = []
    apart = False
    for turn in turns:
        if not turn.theirs:
            apart = True
            continue
        before = kept[-1] if kept else ""
        gap = (apart and not _broken_off(before)) or (turn.labelled and not _sentence_goes_on(before))
        if before.strip() and turn.line.strip() and gap:
            kept.append("")
        kept.append(turn.line)
        apart = False
    return kept


SENTENCE_ENDS = (".", "!", "?", ":", ";", "\u2026", "\u3002", "```")
"""How a line ends a sentence (or opens what follows it): a turn ending so needs no blank line after it."""


UNFINISHED_TAIL_WORDS = 6
"""Words of an unfinished ending a card quotes."""


def unfinished_ending(answer: str) -> str | None:
    """The last words of an answer that stops mid-sentence, on a word no sentence ends on ("... whereas a
    coroutine is", lexicon.yaml `unfinished`) with no mark after it: typed in a hurry, or cut off as it was
    sent. None for an answer that ends otherwise (notes and code end on a term or a symbol)."""
    words = answer.rstrip().rsplit("\n", 1)[-1].split()
    if len(words) < 3 or words[-1].lower() not in unfinished_words():  # "is." ends a sentence: not "is"
        return None
    return " ".join(words[-UNFINISHED_TAIL_WORDS:])


def _sentence_goes_on(line: str) -> bool:
    """Whether a line leaves no gap before the next turn: it ends a sentence (SENTENCE_ENDS) or breaks one
    off on a word a sentence cannot end on ("it is driven by the", lexicon.yaml `unfinished`)."""
    return line.rstrip().endswith(SENTENCE_ENDS) or _broken_off(line)


def _broken_off(line: str) -> bool:
    """Whether a line stops on a word a sentence cannot end on ("it is driven by the"): interrupted by
    another speaker, the sentence goes on in the candidate's next turn."""
    words_on_it = line.split()
    return bool(words_on_it) and words_on_it[-1].lower() in unfinished_words()


class _Turn(NamedTuple):
    """A line as candidate_lines reads it."""
    line: str
    """The line, its label cut (a plain one's kept)."""
    theirs: bool
    """Whether it is the candidate's."""
    labelled: bool
    """Whether a speaker's label opens it."""
    in_question: bool
    """Whether it is in a question of a learner's own text, under an asking label ("Q:", "Interviewer:")."""


def _turns(text: str, candidate: str | None, transcript: bool) -> list[_Turn] | None:
    """candidate_lines' reading, line by line (_Turn); None when the text is returned unchanged.

    In a learner's own text (not a `transcript`), a question under an asking label ("Q:", "Question:",
    "Interviewer:") ends at its question mark: "Question: who drives it?" above a line of the learner's
    own is the learner's heading, and the line is theirs. Without one ("Interviewer: Why? Think of the
    loop."), and in a transcript always, the turn runs on to the next label, as a spoken question does."""
    return _turns_of(*_labelled(text, candidate, transcript), transcript)


def _turns_of(lines: list[str], labels: Labels, transcript: bool) -> list[_Turn] | None:
    """_turns of lines already labelled (_labelled): the speakers' turns, the interviewer's notes not theirs."""
    turns = _speakers_turns(lines, labels, transcript)
    if NOTE not in {kind for _, kind in labels}:
        return turns
    turns = turns or [_Turn(line, True, False, False) for line in lines]
    return [turn._replace(theirs=False) if noted else turn for turn, noted in zip(turns, _noted(lines, labels))]


def _speakers_turns(lines: list[str], labels: Labels, transcript: bool) -> list[_Turn] | None:
    """_turns by the speakers' labels alone, the interviewer's notes aside."""
    kinds = {kind for _, kind in labels}
    named_interviewer = any(kind == ASKING and (transcript or match.group("role")) for match, kind in labels)
    if ANSWERING in kinds:
        others_ask = {ASKING: True, NAMED: True, ANSWERING: False}
    elif named_interviewer and (NAMED in kinds or (PLAIN in kinds and _answered_by_a_label(lines, labels))):
        others_ask = {ASKING: True, NAMED: False, PLAIN: False}
    elif named_interviewer:  # a transcript whose candidate's lines carry no label: only the labelled lines are the interviewer's
        return [_Turn(line, kind != ASKING, kind is not None, False) for line, (_, kind) in zip(lines, labels)]
    else:
        return None
    turns, asking, question = [], transcript, False  # a transcript's lines above every label are its heading
    for line, (match, kind) in zip(lines, labels):
        if kind in others_ask:
            asking = others_ask[kind]
            question = kind == ASKING and not transcript
            line = line if kind == PLAIN else line[match.end():]
        turns.append(_Turn(line, not asking, kind in others_ask, asking and question))
        if asking and question and asks(line):
            asking = False
    return turns


def _answered_by_a_label(lines: list[str], labels: Labels) -> bool:
    """Whether a plain label ("Ada:") answers the interviewer's: the next line with words after an asking
    label's line opens with one. Unlabelled lines there are the candidate's reply, and a plain label further
    on is a heading of theirs ("Example: ..."): read as the candidate's label, it made those lines the
    interviewer's, and the reply was dropped (57.6 to 9.8)."""
    answered = []
    for i, (_, kind) in enumerate(labels):
        if kind == ASKING:
            following = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if following is not None and labels[following][1] != ASKING:
                answered.append(labels[following][1] == PLAIN)
    return bool(answered) and all(answered)  # one reply opening "Summary:" among unlabelled ones is a heading


def unscored_lines(text: str) -> int:
    """How many lines of a learner's own answer with a letter or digit on them were read as a question's
    (after "Q:", "Question:" or "Interviewer:" in notes that answer with "A:" or "Me:") without a label of their own, and so not
    scored (candidate_lines): a card says so, since the learner meant them as the answer. Lines before a
    question mark were the question's; so were those before an "A:" that state nothing (no full stop)."""
    count, pending, stated = 0, 0, 0
    for turn in [*(_turns(_readable(text), None, transcript=False) or []), _Turn("", False, True, False)]:
        if turn.labelled or turn.theirs:  # the question ran on to the next label: before an "A:" only the lines
            count += stated if turn.theirs else pending  # that state something (a full stop) were a reply, as a
            pending = stated = 0  # question's second line ("with an example of each") is none
        if turn.in_question and not turn.labelled and any(ch.isalnum() for ch in turn.line):
            pending += 1
            stated += turn.line.rstrip().endswith((".", "!"))
        if asks(turn.line):  # the lines so far were the question's own
            pending = stated = 0
    return count


Label = tuple[re.Match[str] | None, str | None]
"""A line's speaker label's match and what it says of the speaker (or None, None)."""
Labels = list[Label]
"""Per line of a transcript, its Label."""


def _labelled(text: str, candidate: str | None, transcript: bool) -> tuple[list[str], Labels]:
    """The transcript's lines (colon labels made plain) and each one's label (candidate_lines). The
    `candidate` is read as the transcript is (_readable): "Ａｄａ" typed full-width is the "Ada:" the
    transcript's full-width label became. Read once per text (_labelled_once): a grade reads a transcript
    for its turns, its notes and its speakers, 11 times, and 4 MB of short lines took a minute."""
    lines, labels = _labelled_once(text, candidate, transcript)
    return list(lines), list(labels)


@lru_cache(maxsize=2)
def _labelled_once(text: str, candidate: str | None, transcript: bool) -> tuple[tuple[str, ...], tuple[Label, ...]]:
    """_labelled's reading, kept for the last texts read (a caller gets copies of its lists)."""
    candidate = _readable(candidate) if candidate else candidate
    pattern, asking_words, answering_words = _speaker_label()
    roles = asking_words | answering_words
    lines = _as_colon_labels(text.splitlines(), roles | _noting() if transcript else roles)
    matches = [None if code else pattern.match(line) for line, code in zip(lines, in_code_fences(lines))]
    candidates = _candidate_names([_name_for(m, candidate, asking_words) for m in matches if m], candidate)
    people = _qualifiable(answering_words)  # "Candidate:", not the "A:" of a learner's own notes
    if not transcript and not any(m and _NUMBERED.sub("", m.group("name").lower()) in people for m in matches):
        writer = words("speakers", "writer")  # a learner's "Me:" is the learner, who wrote it
        asking_words, answering_words = asking_words - writer, answering_words | writer
    labels: Labels = [(m, _speaker(m, asking_words, answering_words, candidates)) if m else (None, None) for m in matches]
    if transcript:  # a note's label outweighs the words in its brackets: "Feedback (for the candidate):" is a note
        labels = [(m, NOTE if m is not None and _is_note(m) else kind) for m, kind in labels]
    # the candidate's label is known for certain only when it names them: "--candidate Ada" over "Candidate:"
    # turns leaves the candidate's own "Note:" between two of them a heading, as with no name given
    labels = _speakers_handing_over(labels, 1 if transcript and candidates else HANDOVERS, transcript)
    return tuple(lines), tuple(_other_speakers(lines, labels) if transcript else labels)


def _is_note(match: re.Match[str]) -> bool:
    """Whether a label heads the interviewer's own notes ("Verdict:", "Interviewer notes:"): in a transcript
    pasted to grade, a verdict after the candidate's last turn was scored as theirs, red flags and all."""
    return " ".join(match.group("name").lower().split()) in _noting()


def _noted(lines: list[str], labels: Labels) -> list[bool]:
    """Per line, whether it is the interviewer's note (_is_note): a note's label line and the lines after it.
    After a speaker's turn (a verdict below the interview) a note runs to the next speaker's label, through
    blank lines and its own headings ("Concerns: ..."); before any (notes heading the transcript), to the next
    label or blank line, since an unlabelled answer may follow."""
    noting = spoken = opened_after_a_turn = False
    noted = []
    for line, (_, kind) in zip(lines, labels):
        if kind == NOTE:
            noting, opened_after_a_turn = True, spoken
        elif kind in (ASKING, ANSWERING, NAMED) or (noting and not opened_after_a_turn and (kind or not line.strip())):
            noting = False
        spoken = spoken or kind in (ASKING, ANSWERING, NAMED)
        noted.append(noting)
    return noted


def interviewer_questions(text: str, candidate: str | None = None) -> list[str]:
    """The questions the interviewer put in a transcript pasted to grade: the sentences of their turns that ask
    (asks), each turn's lines read together (a question wrapped over two lines is one); their notes aside ("Verdict:
    did not get to X; ask next round" asks nothing), as every statement. None when no line is told apart as theirs."""
    lines, labels = _labelled(_readable(text), candidate, transcript=True)
    turns = _turns_of(lines, labels, transcript=True) or []
    spoken: list[list[str]] = []
    for turn, noted in zip(turns, _noted(lines, labels)):
        if turn.theirs or noted or turn.labelled or not spoken:
            spoken.append([])
        if not turn.theirs and not noted:
            spoken[-1].append(turn.line)
    sentences = (s for said in spoken for s in SENTENCE_BREAK.split(" ".join(" ".join(said).split())))
    return [sentence for sentence in sentences if asks(sentence)]


def headings_after_the_last_turn(text: str, candidate: str | None = None) -> list[str]:
    """The labels of the candidate's last turn, in a transcript pasted to grade, that an interviewer writes over
    notes as often as a candidate over their own lines (lexicon.yaml `speakers.either`: "Summary:",
    "Concerns:"), in order, each once: scored as the candidate's, which the card says, since an interviewer's
    summary under one was credited to the candidate with no word."""
    return [name for name in _plain_labels_after_the_last_turn(text, candidate) if name.lower() in _either()]


def names_after_the_last_turn(text: str, candidate: str | None = None) -> list[str]:
    """The labels of the candidate's last turn, in a transcript pasted to grade, that are no heading a candidate
    writes (lexicon.yaml `speakers.headings`, `speakers.either`) and never hand the turn back ("Dana:" after
    "Candidate:", once): a name or a heading of the candidate's own, which nothing tells apart; scored as the
    candidate's, which the card says, since an interviewer's correction under one was credited to the
    candidate with no word (2.8 to 56.6). Only where a label is the candidate's ("Candidate:", the name given):
    without one, which lines are the candidate's is a guess the card says otherwise, and "Priya:" answering
    was named as such a label, to be removed."""
    return [name for name in _plain_labels_after_the_last_turn(text, candidate, answered=True)
            if _NUMBERED.sub("", name.lower()) not in _headings()]


def _plain_labels_after_the_last_turn(text: str, candidate: str | None, answered: bool = False) -> list[str]:
    """The plain labels (read as text of the turn they are in) of the candidate's last turn in a transcript, in
    order, each once, their spacing made single; with `answered`, none unless a label is the candidate's."""
    lines, labels = _labelled(_readable(text), candidate, transcript=True)
    turns = _turns_of(lines, labels, transcript=True) or []
    speakers = [i for i, (_, kind) in enumerate(labels) if kind in (ASKING, ANSWERING, NAMED)]
    if not speakers or (answered and not any(kind == ANSWERING for _, kind in labels)):
        return []
    return list(dict.fromkeys(" ".join(match.group("name").split()) for i, ((match, kind), turn)
                              in enumerate(zip(labels, turns)) if i > speakers[-1] and kind == PLAIN and turn.theirs))


@lru_cache(maxsize=1)
def _either() -> frozenset[str]:
    """The headings an interviewer and a candidate both write (lexicon.yaml `speakers.either`), lower case."""
    return frozenset(str(word).lower() for word in entry("speakers", "either"))


def graders_notes(text: str, candidate: str | None = None) -> list[str]:
    """The labels of the interviewer's own notes in a transcript pasted to grade ("Verdict", "Feedback"),
    in order, each once: a card says their lines were not scored as the candidate's."""
    _, labels = _labelled(_readable(text), candidate, transcript=True)
    return list(dict.fromkeys(" ".join(match.group("name").split()) for match, kind in labels if kind == NOTE))


def _name_for(match: re.Match[str], candidate: str | None, asking: frozenset[str]) -> str:
    """The name a label gives for the candidate's to be told by: its bracketed name when that is the
    candidate's ("Speaker 2 (Ada)"), else its own; none ("") for one whose brackets say it asks ("Dr. Ada
    Smith (interviewer)" is not the candidate Ada, nor a second Ada to tell apart from her)."""
    name, bracket = _label_names(match)
    if set(bracket.split()) & asking:
        return ""
    return next((n for n in (name, bracket) if same_person(n, candidate or "")), name)


def unlabelled_candidate(text: str, candidate: str | None) -> str | None:
    """What a grade's card says when the interviewer named a candidate whom no label of the transcript
    names while other speakers' labels stand in it ("Grace Hopper" for a transcript of "Interviewer:"
    and "Lovelace:" lines): those lines were scored as the candidate's, which a mistyped name would
    otherwise hide; and when no line carries a label at all (a chat export in a form genco does not read
    as labels: the interviewer's questions were scored as the candidate's, red flags and all). None when
    a label names the candidate, or only the interviewer's labels stand beside unlabelled lines."""
    if candidate is None or not candidate.split():
        return None
    _, labels = _labelled(_readable(text), candidate, transcript=True)
    if not any(match for match, _ in labels):  # a chat export whose form is not read as labels, or the reply alone
        return (f"no line is labelled with a speaker's name, the candidate's ({cut(' '.join(candidate.split()))}) "
                "or another's: the whole text was scored as theirs")
    names = [name for name, _ in _others_in(labels)]
    if not names:
        return None
    return (f"no line is labelled with the candidate's name ({cut(' '.join(candidate.split()))}); "
            f"the lines under {_labels_shown(names)} were scored as theirs")


def words_beside_labels(text: str, candidate: str | None = None) -> bool:
    """Whether a transcript has a letter or digit outside its speaker labels, whoever speaks: a grade
    whose candidate's lines hold none tells "only the interviewer spoke" from "nothing was pasted"."""
    lines, labels = _labelled(strip_invisible(text), candidate, transcript=True)
    return any(ch.isalnum() for line, (match, _) in zip(lines, labels) for ch in (line[match.end():] if match else line))


def unnamed_speakers(text: str) -> str | None:
    """What a grade's card says when no candidate was named and the transcript's lines carry two or more
    speakers' names besides the interviewer's role, none of them the candidate's ("Bob:" and "Ada
    Lovelace:" taking turns, with or without an "Interviewer:"): every one of those lines was scored
    as the candidate's, the interviewer's questions too, which --candidate would have set apart. Names
    count as speakers once the labelled lines change hands twice (notes headed "Generators:" then
    "Coroutines:" do not), once when a question is answered ("Sam: ..., right? ..." then "Ada: Yes."), or once when two
    of them carry a time ("Speaker 1  0:03" and "Daniel  0:15",
    as a meeting's export gives them). So too when two numbered candidates' labels answer ("Candidate 1:" and
    "Candidate 2:", or "Alice (candidate):" and "Bob (candidate):"). None otherwise."""
    lines, read = _labelled(_readable(text), None, transcript=True)
    _, _, answering_words = _speaker_label()
    answering = [match.group("name") for match, kind in read  # "Candidate 1:", "Alice (candidate):"; not "Candidate:"
                 if kind == ANSWERING and match.group("name").lower() not in answering_words]
    if len({name.lower() for name in answering}) >= 2:  # a group interview
        return (f"the lines labelled {_labels_shown(answering)} were all scored as one candidate's; name the "
                "candidate (--candidate NAME) to score only theirs")
    labels = _others_in(read)
    names = [name for name, _ in labels]
    changes = sum(a.lower() != b.lower() for a, b in zip(names, names[1:]))
    timed = {name.lower() for name, kind in labels if kind == NAMED}  # a time stamp makes a label a speaker's
    answered = _question_answered(_named_turns(lines, read))
    if len(set(names)) < 2 or (changes < 2 - answered and len(timed) < 2):
        return None
    return (f"the lines labelled {_labels_shown(names)} were all scored as the candidate's; name the candidate "
            "(--candidate NAME) to score only theirs")


def implied_candidate(text: str) -> tuple[str, str] | None:
    """The candidate and the interviewer of a transcript graded without --candidate whose lines carry
    two speakers' names and no role, as (candidate, interviewer): the interviewer is the one whose turns
    end in a question more often ("Dana: ... Do you agree?" then "Priya: Yes."), so a candidate asking
    back once ("Which Python version?") stays the candidate. Every line was
    scored as the candidate's, the interviewer's stating the model answer too (61 points for "Yes,
    that's right"). None unless exactly two names take turns and one asks more often than the other:
    notes headed "Generators:" then "Coroutines:" are no interview, nor are two headings whose first ends in a
    question ("Sync: ... Is that lazy?" then "Async: ..."): one exchange counts only when the reply opens as one
    (_question_answered: "Dana: ... Do you agree?" then "Priya: Yes.")."""
    lines, labels = _labelled(_readable(text), None, transcript=True)
    if any(kind in (ASKING, ANSWERING) for _, kind in labels):
        return None
    turns = _named_turns(lines, labels)
    names = list(dict.fromkeys(name.casefold() for name, _ in turns))
    if len(names) != 2 or len(turns) < 2 or (len(turns) == 2 and not _question_answered(turns)):
        return None  # one exchange is two people's only when the second answers ("Yes."): "Sync: ...?" / "Async: ..."
    questions = dict.fromkeys(names, 0)  # turns that end in a question mark, by speaker
    for name, said in turns:
        if hands_over(" ".join(said)):  # a question, or a request: "Now tell me who drives each one."
            questions[name.casefold()] += 1
    interviewer, candidate = sorted(names, key=lambda key: -questions[key])
    if questions[interviewer] == questions[candidate]:  # nobody asks, or both as often: who answers is not told
        return None
    shown = {name.casefold(): name for name, _ in reversed(turns)}  # each name as its first turn gives it
    return shown[candidate], shown[interviewer]


def _named_turns(lines: list[str], labels: Labels) -> list[tuple[str, list[str]]]:
    """The turns under labels that may name a speaker (_names_someone), as (name, lines said), an unlabelled
    line joining the turn above it; the interviewer's notes (_noted) left out."""
    turns: list[tuple[str, list[str]]] = []
    for line, (match, kind), noted in zip(lines, labels, _noted(lines, labels)):
        if noted:
            continue
        if match and _names_someone(match, kind):
            name = match.group("name")
            if not turns or turns[-1][0].casefold() != name.casefold():
                turns.append((name, []))
            turns[-1][1].append(line[match.end():])
        elif turns:
            turns[-1][1].append(line)
    return turns


def _question_answered(turns: list[tuple[str, list[str]]]) -> bool:
    """Whether a turn that asks ("So it yields many values, right? Both suspend.") is followed by another name's
    turn opening with a reply (lexicon.yaml `speakers.replies`: "Yes.", "No, ..."): two people talking, where
    a candidate's headings ("Sync: ... Why does it matter? ..." then "Async: ...") answer nothing."""
    replies = words("speakers", "replies")
    for (_, asked), (_, said) in zip(turns, turns[1:]):
        opening = re.match(r"\W*(\w+)", " ".join(said))
        sentences = SENTENCE_BREAK.split(" ".join(" ".join(asked).split()))
        if opening and opening.group(1).lower() in replies and any(asks(sentence) for sentence in sentences):
            return True
    return False


def _others_in(labels: Labels) -> list[tuple[str, str]]:
    """The names of labels that neither ask nor answer, line by line ("Bob", "Ada Lovelace"), each with what
    its label says of the speaker (NAMED with a time, else PLAIN); none when a label is the candidate's. A
    heading of a speaker's own lines ("Example:", _is_heading) names nobody."""
    if any(kind == ANSWERING for _, kind in labels):
        return []
    return [(match.group("name"), kind) for match, kind in labels if match and _names_someone(match, kind)]


def _names_someone(match: re.Match[str], kind: str | None) -> bool:
    """Whether a label that neither asks nor answers may name a speaker: one with a time (NAMED), or a plain
    "Bob:", not a heading of a speaker's own lines ("Example:", _is_heading)."""
    return kind == NAMED or (kind == PLAIN and not _is_heading(match))


def _labels_shown(names: list[str]) -> str:
    """Up to three distinct label names as a card shows them: "Bob:, Ada Lovelace:", then "…"."""
    distinct = list(dict.fromkeys(names))
    return ", ".join(f"{name}:" for name in distinct[:3]) + (" …" if len(distinct) > 3 else "")


def labelled_in_full(text: str, candidate: str | None) -> str | None:
    """The name the transcript's labels give the candidate's lines when it says more than `candidate` does
    (names.says_more: "Carla Jones:" lines graded with --candidate Carla), as written in the first such label; None
    when none does, or when labels of two fuller names answer ("Carla Jones:" and "Carla Smith:")."""
    if candidate is None or not candidate.split():
        return None
    _, labels = _labelled(_readable(text), candidate, transcript=True)
    fuller = {folded_name(m.group("name")): " ".join(m.group("name").split())
              for m, kind in labels if m is not None and kind == ANSWERING and says_more(m.group("name"), candidate)}
    return next(iter(fuller.values())) if len(fuller) == 1 else None


HANDOVERS = 2
"""Turns a plain label must hand over to the candidate's before it reads as a speaker: once may be a line
of the candidate's own notes ("Coroutines: driven by the loop" between two "Candidate:" turns)."""


def _speakers_handing_over(labels: list[tuple[re.Match[str] | None, str | None]], handovers_needed: int = HANDOVERS,
                           transcript: bool = False) -> list[tuple[re.Match[str] | None, str | None]]:
    """Plain labels that name a speaker: in a transcript with the candidate's label, a "Bob:" whose turns
    hand over to the candidate's at least `handovers_needed` times ("Bob: and the loop?" then "Candidate:
    ...") is someone else speaking, for a candidate does not hand over to themselves; every line with
    that label is theirs. A plain label that does so less often ("Generators: lazy") stays text; once is
    enough when the interviewer named the candidate, whose label is then known for certain, or before
    the candidate's first turn, which is no line of their notes ("Hiring Manager: ..." then "Candidate: ...").
    In a `transcript` (pasted to grade), every plain label before the candidate's first turn is a
    speaker's: on a panel, "Priya:" asks, "Bob:" adds a word, and only then does the candidate speak.

    With no label that answers, a plain label the interviewer's hands over to `HANDOVERS` times
    ("Interviewer: ..." then "Ada: ...", twice) is the one answering: its lines stay the candidate's,
    without the label, as the card already says they were scored (unlabelled_candidate)."""
    handovers: dict[str, int] = {}
    asked: dict[str, int] = {}
    previous, previous_kind, answered = None, None, False
    answering = any(kind == ANSWERING for _, kind in labels)
    for match, kind in labels:
        if kind == PLAIN and _is_heading(match):  # "Example:", "Step 2:" are the candidate's own
            continue
        if kind == ANSWERING and previous is not None:  # before the candidate's first turn, once is enough
            handovers[previous] = handovers.get(previous, 0) + (1 if answered else handovers_needed)
        answered = answered or kind == ANSWERING
        if transcript and answering and not answered and kind == PLAIN:
            handovers[match.group("name").lower()] = handovers_needed
        if kind == PLAIN and previous_kind == ASKING:
            name = match.group("name").lower()
            asked[name] = asked.get(name, 0) + 1
        if kind is not None:
            previous = match.group("name").lower() if kind == PLAIN else None
            previous_kind = kind
    speakers = {name for name, count in handovers.items() if count >= handovers_needed}
    if not answering:
        speakers |= {name for name, count in asked.items() if count >= HANDOVERS}
    if not speakers:
        return labels
    return [(match, NAMED if kind == PLAIN and match.group("name").lower() in speakers else kind)
            for match, kind in labels]


def _other_speakers(lines: list[str], labels: Labels) -> Labels:
    """In a transcript pasted to grade beside the candidate's label, the plain labels that are other people
    speaking, though their turns never hand over to the candidate's twice (_speakers_handing_over): one whose
    turn asks or hands the floor over (`hands_over`) to the candidate ("Hiring Manager: ... is that right?",
    "Sam: ... Walk me through that." then "Candidate: ..."). A candidate's own headings (lexicon.yaml
    `speakers.headings` and `speakers.either`: "Example:", "Summary:") never are; the card names the labels
    read so (speakers_set_apart). A second candidate named plainly ("Bob:" between "Alice:" turns) is not told
    from a heading of Alice's that comes back ("Generators:" in two of her answers): it stays hers."""
    if not any(kind == ANSWERING for _, kind in labels):
        return labels
    speakers: set[str] = set()
    for i, (match, kind) in enumerate(labels):
        if kind != PLAIN or _is_heading(match):
            continue
        following = next((j for j in range(i + 1, len(labels)) if labels[j][1] not in (None, NOTE)), len(labels))
        turn = " ".join([lines[i][match.end():], *lines[i + 1:following]]).strip()
        if following < len(labels) and labels[following][1] == ANSWERING and hands_over(turn):
            speakers.add(match.group("name").lower())
    return [(match, NAMED if kind == PLAIN and match.group("name").lower() in speakers else kind)
            for match, kind in labels]


def _is_heading(match: re.Match[str]) -> bool:
    """Whether a plain label is a heading a candidate writes over their own lines ("Example:", "Step 2:")."""
    return _NUMBERED.sub("", match.group("name").lower()) in _headings()


@lru_cache(maxsize=1)
def _headings() -> frozenset[str]:
    """The headings a candidate writes over their own lines (lexicon.yaml `speakers.headings` and `either`)."""
    return frozenset(str(word).lower() for word in entry("speakers", "headings")) | _either()


@lru_cache(maxsize=1)
def _request_pattern() -> re.Pattern[str]:
    """A sentence that opens handing the floor over without a question mark (lexicon.yaml `speakers.requests`,
    after any of `request_leads`: "Now tell me ...", "Last one: describe ..."), not one that only holds the words
    ("I'd describe it as a pipeline")."""
    def either(key: str) -> str:
        return "|".join(re.escape(str(w)) for w in sorted(entry("speakers", key), key=len, reverse=True))

    return re.compile(r"^(?:(?:" + either("request_leads") + r")\b[\s,:;-]*)*(?:" + either("requests") + r")\b",
                      re.IGNORECASE)


def hands_over(turn: str) -> bool:
    """Whether a turn ends handing the floor to someone: its last sentence asks (asks) or makes a request
    ("Walk me through that.", "Tell me who drives it.", lexicon.yaml `speakers.requests`)."""
    said = turn.strip()
    last = SENTENCE_BREAK.split(said)[-1] if said else ""
    return asks(said) or bool(_request_pattern().match(last.lstrip(" \t\"'(")))


def speakers_set_apart(text: str, candidate: str | None = None) -> str | None:
    """What a grade's card says of the plain labels read as other people's beside the candidate's label
    (_speakers_handing_over, _other_speakers: "Hiring Manager:", a second candidate), and of lines above the
    transcript's first label (a heading of it: "Candidate profile: ..."), none of them scored: a reader
    whose candidate wrote "Key point:" over lines of their own sees where they went. None when there are none."""
    lines, labels = _labelled(_readable(text), candidate, transcript=True)
    if not any(kind == ANSWERING for _, kind in labels):
        return None
    names = [m.group("name") for m, kind in labels if kind == NAMED and m is not None and not m.group("stamp")]
    first = next(i for i, (m, kind) in enumerate(labels) if m is not None and kind != NOTE)
    said = []
    if names:
        said.append(f"the lines labelled {_labels_shown(names)} were read as another speaker's and not scored")
    if any(ch.isalnum() for line in lines[:first] for ch in line):
        said.append("the lines above the first speaker's label were read as the transcript's heading and not scored")
    return "; ".join(said) if said else None


def normalise_answer(text: str, candidate: str | None = None, transcript: bool = False) -> str:
    """The answer as scored and shown: invisible characters removed, only the candidate's lines
    (candidate_lines, with its `candidate` and `transcript`), from the first line with something on it
    (from_first_line), full-width characters and look-alike letters of other alphabets read as Latin
    (read_full_width, read_lookalikes)."""
    return from_first_line(candidate_lines(_readable(text), candidate, transcript))


@lru_cache(maxsize=2)
def _readable(text: str) -> str:
    """The text as every reading of it starts: the blank space ending it dropped (it says nothing, yet it
    counted against the characters scored, and 4 MB of it took every reading below seconds), invisible
    characters removed, full-width characters and look-alike letters Latin, a caption file's cues as
    lines (read_captions)."""
    return without_decoration(read_captions(read_lookalikes(read_full_width(strip_invisible(text.rstrip())))))


def without_decoration(text: str) -> str:
    """`text` without what decorates it and says nothing: pictographs and other symbols (emoji, Unicode
    category So, and their skin-tone marks), HTML tags in pairs and void ones (lexicon.yaml `html_tags`) and
    HTML's character references ("&nbsp;" as a space), outside code fences and `code` spans. The model reads
    an emoji as an unknown word and a tag as words: "\U0001F680 <answer> \U0001F389" and "<b><answer></b>" scored
    77 and were read as sure where the answer alone scored 75.5 and was marked uncertain, and an answer with
    "&nbsp;" between its words earned no concept. Text without any comes back as it is."""
    if text.isascii() and "<" not in text and "&" not in text:
        return text
    lines = text.split("\n")
    fenced = in_code_fences(lines)
    return "\n".join(line if code else _undecorated(line) for line, code in zip(lines, fenced))


def _undecorated(line: str) -> str:
    """A prose line without its symbols, HTML tags and character references, its `code` spans (odd pieces
    between backticks) kept."""
    pieces = line.split("`")
    pieces[::2] = [_without_symbols(_without_tags(html.unescape(piece) if "&" in piece else piece))
                   for piece in pieces[::2]]
    return "`".join(pieces)


def _without_tags(text: str) -> str:
    """`text` with its paired HTML tags taken off their text (nested ones too) and its void tags as spaces."""
    pair, void = html_tag_patterns()
    for _ in range(_MOST_NESTED):
        untagged = pair.sub(lambda m: f" {m.group('inner')} " if m.group("block") else m.group("inner"), text)
        if untagged == text:
            break
        text = untagged
    return void.sub(" ", text)


_MOST_NESTED = 8
"""Tags nested deeper than this keep their innermost pairs: pasted markup is a few levels deep."""


def _without_symbols(text: str) -> str:
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "So" and not SKIN_TONES[0] <= ch <= SKIN_TONES[1])


SKIN_TONES = ("\U0001F3FB", "\U0001F3FF")
"""The emoji modifiers that colour the pictograph before them (Unicode category Sk, not So)."""


def read_captions(text: str) -> str:
    """A caption file (WebVTT or SubRip, as Zoom and Teams export a meeting's transcript) as the lines
    people said: its header, notes, cue identifiers and timings dropped, a cue's voice tag as a speaker label
    ("<v Priya Raman>Why?</v>" is "Priya Raman: Why?") and its other tags removed. A timing line was
    read as a sentence of the answer ("00:00:45.000 --> 00:00:58.000 A generator yields many values"),
    and named a misconception the sentence alone does not. A cue's speaker label takes the cue's start
    as its time ("[00:00:45] Daniel Okafor: ..."), which makes it a speaker's: two of them are noted when no
    candidate is named. Lines in a code fence are left as they are; any other text is returned as it is."""
    lines = text.splitlines()
    code = in_code_fences(lines)
    timings = [None if in_code else _CUE_TIMING.match(line) for line, in_code in zip(lines, code)]
    if not any(timings):
        return text
    kept, start = [], ""
    for line, in_code, timing, following in zip(lines, code, timings, [*timings[1:], None]):
        if timing:
            start = timing.group("start")
            continue
        if not in_code and (line.strip() == "WEBVTT" or line.startswith("NOTE") or (following and _CUE_ID.match(line))):
            continue
        if not in_code:
            line = _CUE_TAG.sub("", _VOICE.sub(lambda m: f"{m.group(1).strip()}: ", line))
            if start and _CUE_SPEAKER.match(line):  # its time makes the label a speaker's, as in a meeting's chat
                line = f"[{start}] {line}"
            start = ""
        kept.append(line)
    return "\n".join(kept)


_CUE_TIMING = re.compile(r"^\s*+(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2})[.,]\d{1,3}\s*-->\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\b")
"""A caption cue's timing line: "00:00:45.000 --> 00:00:58.000" (WebVTT), "00:00:45,000 --> ..." (SubRip)."""
_CUE_ID = re.compile(r"^\s*+\S+\s*$")
"""A cue's identifier on the line before its timing: a number (SubRip, Zoom) or one word ("a1b2-0001/12-0", Teams)."""
_CUE_SPEAKER = re.compile(r"^\s*+[^\W\d_][\w.' -]{0,40}:\s")
"""A cue's line that opens with a speaker's name ("Priya Raman: ..."), as Zoom writes them."""
_VOICE = re.compile(r"^\s*+<v(?:\.[^\s>]*)?\s+([^>\n]{1,60})>")
"""A WebVTT cue's voice tag at its start, which names who speaks: "<v Priya Raman>"."""
_CUE_TAG = re.compile(r"</?(?:v|c|i|b|u|lang)(?:[.\s][^<>\n]*)?>")  # no "<" inside: linear time on "<b <b <b ..."
"""The other WebVTT cue tags (closing voice, class, italic, bold, underline, language), which say nothing."""


def from_first_line(text: str) -> str:
    """The text from its first non-blank line on, that line's indentation kept if it is at most
    FIRST_INDENT characters (an indented first line of code stays indented; thousands of spaces are
    no indentation): a long answer is cut after its first characters, and blank ones ahead of it
    must not take the place of what was typed."""
    body = text.lstrip()
    indent = text[: len(text) - len(body)].rsplit("\n", 1)[-1]
    return (indent if len(indent) <= FIRST_INDENT else "") + body if body else text


FIRST_INDENT = 8


def looks_english(text: str) -> bool:
    """False when most letters are outside the Latin alphabet, or foreign function words outnumber English ones,
    or, in a text too short for that count, two or more foreign function words stand among words most of which
    no English word list holds ("Ein Generator liefert viele Werte, eine for-Schleife treibt ihn an." was a sure
    0): English answers with two such words ("die", "la") have at least 83 % English words, keyword lists 33 %
    and more but no foreign function word.

    Code and terse notes have few function words of any language, so they still count as English.
    """
    letters = _LETTER.findall(text)
    if letters and len(_LATIN_LETTER.findall(text)) < 0.5 * len(letters):
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    foreign = sum(w in _foreign_words() for w in words)
    english = sum(w in english_function_words() for w in words)
    if foreign >= 3 and foreign > 2 * english:
        return False
    known = english_words()
    return not (foreign >= 2 and known and sum(w in known for w in words) < ENGLISH_SHARE * len(words))


ENGLISH_SHARE = 0.6
"""The share of its words a text with two foreign function words needs in the English word list to read
as English (looks_english): short German, Dutch and Italian sentences have 38-55 %."""


@lru_cache(maxsize=1)
def _foreign_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in entry("foreign_function_words")) - english_function_words()


def admission_end(text: str) -> int | None:
    """Where the admission a part of an answer opens with ends ("I'm not sure of the details" in "I'm not
    sure of the details, though X"): at the first break after its opening (lexicon.yaml
    `admissions.ends`) that another admission does not follow ("I don't know what X is, I have never
    used Y"), else the part's end; None when it opens with none. Typographic apostrophes read as
    straight ones."""
    text = text.replace("\u2019", "'")
    opening = admission_pattern().match(text)
    if opening is None:
        return None
    start = opening.end()
    while (end := admission_end_pattern().search(text, start)) is not None:
        further = admission_pattern().match(text[end.start():])
        if further is None:
            return end.start()
        start = end.start() + further.end()
    return len(text)


QUESTION_END = re.compile(r"\?[^\w\n?]*$")  # no "?" in the tail: each mark's search stops at the next (linear time)
"""A line or sentence that ends a question: its question mark last but for closing quotes, brackets, emphasis
or an emoji ("who drives it?**", "why?)", "really? 🤔", "really?!")."""


def asks(sentence: str) -> bool:
    """Whether a sentence or line is a question (QUESTION_END): one test wherever genco reads questions (a
    learner's own question under "Q:", the speaker who asks more, "X?" then "Nope." denying X). A sentence of
    an answer that asks claims nothing, whatever words it shares with a concept. A candidate's clarifying
    question ("do you mean native async def coroutines, or the old generator-based ones too?") was quoted as
    covering misuse raising TypeError; a rhetorical one ("So why does that matter?") is followed by the claim
    that answers it. Measured out of question on the
    independent answers: pooled Spearman 0.7813 to 0.7818, no question down by more than 0.007."""
    return QUESTION_END.search(sentence) is not None


def admits_not_knowing(text: str) -> bool:
    """Whether a part of an answer only admits the speaker does not know ("I'm not sure what happens if
    you mix them", "Um, no idea, sorry"): it makes no claim about the topic. One that goes on to say
    something after the admission ("Not sure of the details, though X") is read as usual."""
    end = admission_end(text)
    return end is not None and not any(ch.isalnum() for ch in filler_pattern().sub("", text[end:]))


_SUBJECT_QUESTION = re.compile(
    r"\s*what(?:\s*['\u2019]s|\s+is|\s+are|\s+(?:does|do)(?=.*\bdo\s*\?))\s+(?:an?\s+|the\s+)?(?P<subject>[^?]+?)"
    r"(?:\s+do)?\s*\?\s*", re.IGNORECASE)
"""A question about one thing: "What is a Python decorator?", "What does functools.wraps do?"."""


def question_subject(question: str) -> str | None:
    """The thing a one-sentence "What is X?" or "What does X do?" question asks about, without its
    article ("Python decorator"), or None for any other question: a comparison or a list names several
    things ("What do send(), throw() and close() do?"), and a question in several parts asks more."""
    match = _SUBJECT_QUESTION.fullmatch(question)
    if match is None:
        return None
    subject = match.group("subject")
    several = re.search(r",|\b(?:and|or)\b|^(?:the\s+)?differences?\b", subject, re.IGNORECASE)
    return None if several or len(subject.split()) > _SUBJECT_WORDS else subject


_SUBJECT_WORDS = 6
"""A question's subject is a noun phrase: a longer "what is ..." asks about something else."""


def without_subject(text: str, subject: str | None, pronoun: bool = False) -> str:
    """`text` without a leading mention of the question's `subject` (question_subject) and its "is"/"are"
    ("A decorator is a callable that ..." -> "a callable that ...", "Decorators add logging" -> "add
    logging"), or, with `pronoun`, of "It" standing for it ("It's a function that ..." -> "a function
    that ..."). Both sides lose it, the rubric's texts and the answer's: a text that kept it beside one
    that did not came out the farther for it.

    Why: the subject is in every answer to the question and says nothing about it, yet the sentence model
    reads it as most of a short claim. "A decorator is a comment that documents a function" came 0.81 to
    "A decorator is a callable that takes a function and returns a new function", and the correct "It's a
    function that wraps another function and returns a replacement" 0.55. Only a text's start is read,
    and "It" only where the caller knows it opens the answer (a later "it" may stand for anything)."""
    if not subject:
        return text
    names = _subject_names(subject) + (r"|it" if pronoun else "")
    match = re.match(rf"\s*(?:{names})(?:\s*['\u2019]s|\s+(?:is|are))?\s+(?!{_not_a_predicate()}\b)(?=\w)", text,
                     re.IGNORECASE)
    return text[match.end():] if match else text


@lru_cache(maxsize=1)
def _joins() -> str:
    """An alternation of the lexicon's phrase joins ("of", "between", "and", ...)."""
    return "|".join(sorted(phrase_joins()))


@lru_cache(maxsize=1)
def _not_a_predicate() -> str:
    """Words after which the subject's head noun is only part of a longer subject ("the role of ..."),
    or after which nothing would be left ("It is"): the phrase joins, "is" and "are"."""
    return rf"(?:{_joins()}|is|are)"


def _subject_names(subject: str) -> str:
    """A pattern for the ways a text names `subject`: its head noun, in the singular or plural, after
    any of the head's own modifiers and an article ("decorator", "a Python decorator", "Decorators" for
    "Python decorator"); the head is what comes before a preposition ("role" of "role of a prototype
    program")."""
    head = re.split(rf"\s+(?:{_joins()})\s+", subject.strip(), maxsplit=1)[0].split()
    modifiers = "".join(rf"(?:{re.escape(word)}\s+)?" for word in head[:-1])
    return rf"(?:an?\s+|the\s+)?{modifiers}{re.escape(head[-1])}(?:e?s)?"
