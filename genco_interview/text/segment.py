"""Split a typed answer into the parts that can earn a concept.

Candidates write prose, bullets, markdown and code. Each claim should be scored on its own,
so sentences are split into clauses at contrast words ("while", "whereas", ";"), code lines
become parts too, and a sentence keeps links to its clauses: a whole never earns what one of
its parts contradicts (see scoring).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .lexicon import citation_openers, link_pointers, stopwords, unfinished_words

MAX_CHARS = 20_000
"""Longer answers are cut here (and the score card says so): scoring time grows with parts."""

WRAP_WIDTH = 60
"""A line at least this long that stops mid-sentence was wrapped by an editor, not ended by the writer."""
_FENCE = re.compile(r"^\s*+(```|~~~)")
_BULLET = re.compile(r"^\s*+(?:[-*+\u2022]|\d+[.)])\s+")
_HEADING = re.compile(r"^\s*+#{1,6}\s+")
_SPACED_ELLIPSIS = re.compile(r"\.(?:[ \t]\.){2,}")
"""". . .", an ellipsis typed with spaces: three sentence ends to the splitter, which left "Coroutines ." alone."""
_QUOTED = re.compile(r"^\s*+(?:>\s?)+")
"""A Markdown block quote's markers ("> Note: ..."): what they quote is read, not the marks."""
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1(?![\w*])")
"""Markdown emphasis around text; `__exit__`, `*args` and `a * b` are not emphasis and keep their marks."""
_CODE_START = re.compile(
    r"^\s*+(?:async\s+def\s+\w+\(|def\s+\w+\(|class\s+\w+|async\s+for\s+\w+\s+in\s|async\s+with\s|for\s+\w+\s+in\s+\S+:|"
    r"await\s+[\w.]+\(|yield(?:\s+from)?\s+[\w(\[\"'.]+$|return\s+\S+$|import\s+\w+$|from\s+\w+\s+import\s|print\(|@\w+|"
    r"[\w.]+\s*=\s*\S[^,]*$|[\w.]+\(.*\)\s*$)"
)
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|cf)\.", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?\u2026])|(?<=[.!?\u2026][)\]\"'\u201d\u2019]))\s+(?=\S)")
"""A sentence's end: its final mark, a closing bracket or quote after it ("(Note: a for loop drives it.) A
coroutine ..." was one sentence), then a space. Answers are split here, and a transcript's turns too."""
_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s+|\s+[\u2014\u2013-]{1,2}\s+|\s*(?:->|=>|\u2192)\s*|,?\s+(?:while|whereas|but|however|although|unlike)\s+|,\s+(?:and|so)\s+(?=\w+\s)|,\s+(?=(?:a|an|the)\s)",
    re.IGNORECASE,
)
_LABELLED = re.compile(r"^\s*[\w'()\s-]{1,30}:\s+\S")
_LIST_SEPARATOR = re.compile(r"\s*[,;/|]\s*")
LINK = re.compile(r"\b(?:https?://|www\.|(?:[A-Za-z0-9-]{1,63}\.){1,6}(?:com|org|net|io|dev|edu)(?=/))"
                  r"[^\s<>\"'`)\]]*[^\s<>\"'`)\].,;:!?]")
"""A web address: a pointer to where something is said, not a claim ("See https://docs.python.org/3/..."), written
without its scheme too when a path follows its domain ("docs.python.org/3/library/asyncio.html"; "asyncio.run" has
none). A domain's labels are bounded, so a long run of "a-a-a-..." is read in linear time."""
_MARKDOWN_LINK = re.compile(rf"\[([^\[\]\n]+)\]\(\s*{LINK.pattern}\s*\)")
"""A Markdown link, "[the docs](https://...)": its text is what the sentence says."""
_REFERENCE_LINK = re.compile(r"(?<![\w\])])\[([^\[\]\n]{1,200})\]\[[^\[\]\n]{0,40}\]")
"""A Markdown reference link, "[the docs][1]" (its address on a line of its own, _LINK_DEFINITION): read as a link
to _REFERENCE_STAND_IN, its text is what the sentence says, or nothing ("See [here][1]."). After a word or a
bracket, "[i][j]" indexes."""
_REFERENCE_STAND_IN = "https://reference.invalid"
"""The address a reference link is read with where its definition is out of sight (one sentence of the answer):
a reserved name (RFC 2606), taken out with every other link."""
_LINK_DEFINITION = re.compile(
    rf"^[ \t]{{0,3}}\[(?P<label>[^\[\]\n]{{1,100}})\]:[ \t]*<?{LINK.pattern}>?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$",
    re.MULTILINE)
"""A reference link's definition, "[1]: https://docs.python.org/3/ "The docs"": where to look, no claim."""
_FOOTNOTE_MARK = re.compile(r"\[\^\d{1,3}\](?::[ \t]*)?")
"""A Markdown footnote's number, where it is cited ("one result.[^2]") and before its text ("[^2]: See PEP 492.")."""
_FOOTNOTE_DEFINITION = re.compile(r"^[ \t]{0,3}\[\^(?P<label>[\w-]{1,30})\]:", re.MULTILINE)
"""A footnote's text under its label, "[^note]: ...": a label of words is known for one only from its definition
("[^abc]" may be a regular expression's)."""
BRACKET_REACH = 1000
"""Characters within which a bracket read for a link or a pointer (_BRACKETED, _BRACKETED_LINK) must close: one left
open before a long link and text was read in time growing with the square of their length (20,000 characters: 15 s)."""
_BRACKETED = re.compile(
    rf"(?:[ \t]|(?<![\w)\]]))[(\[](?=[^()\[\]\n]{{0,{BRACKET_REACH}}}[)\]])([^()\[\]\n]*\w[^()\[\]\n]*)[)\]]")
"""Words in brackets ("(see the docs)" once its Markdown link is read as its text); "send()" holds none, and one
right after a word or a bracket is a call's or an index's ("matrix[i][j]", "f(x)")."""
_SPACED_LINK = re.compile(rf"[ \t]?{LINK.pattern}")
_BRACKETED_LINK = re.compile(
    rf"[ \t]?[(\[<](?=[^()\[\]<>\n]{{0,{BRACKET_REACH}}}[)\]>])([^()\[\]<>]*?{LINK.pattern}[^()\[\]<>]*)[)\]>]")
"""A bracket holding a link, with one space before it (a run of spaces before a bracket was read in time growing
with the square of its length)."""
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")


@dataclass
class Unit:
    """One scoreable part of an answer.

    `sentence` is the sentence shown as evidence; `parts` holds the indices of the clause
    units this unit is made of (empty for a clause itself).
    """

    text: str
    kind: str  # "sentence", "clause", "code", "window"
    sentence: str
    words: int
    fragment: bool = False
    parts: list[int] = field(default_factory=list)
    lead: str = ""
    """The lead-in of the list the unit is an item of, which opens its text (segment's `leads`), else ""."""
    points: tuple[str, ...] = ()
    """The points typed a line each without full stops that `sentence` was joined from (_prose_sentences),
    else (): a clause is quoted by the point it comes from (quote), not by the whole run."""


@dataclass
class Segmentation:
    units: list[Unit]
    truncated: bool
    original_chars: int
    cut_at_parts: bool = False
    """The answer held more than MAX_PARTS sentences, clauses and code lines: only those were read."""


def words(text: str) -> int:
    return len(_WORD.findall(text))


_TOKEN = re.compile(r"[a-z0-9_]+")


def content_words(text: str, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """Crudely stemmed content words, without stopwords and the rubric's role terms (they are everywhere)."""
    stems, stop = set(), stopwords()
    for token in _TOKEN.findall(text.lower()):
        if token in stop:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                token = token[: -len(suffix)]
                break
        if token not in drop:
            stems.add(token)
    return frozenset(stems)


def _clean_prose(line: str) -> str:
    line = _HEADING.sub("", _QUOTED.sub("", _SPACED_ELLIPSIS.sub("...", line)))
    line = _BULLET.sub("", line)
    return _EMPHASIS.sub(_unemphasise, line).replace("`", "").strip()


def _unemphasise(match: re.Match[str]) -> str:
    """The emphasised text without its marks, except a dunder name (`__exit__`), which is not emphasis."""
    marks, inner = match.group(1), match.group(2)
    return match.group(0) if marks == "__" and re.fullmatch(r"\w+", inner) else inner


def without_links(text: str) -> str:
    """`text` with its web addresses taken out, and with the sentences and brackets that only pointed to one
    ("See https://... for details.", "(see https://...)", "www.python.org explains more"), a Markdown link
    read as its text ("as [PEP 255](https://...) says": "as PEP 255 says"): a model answer's key points and
    the words an answer is expected to use are its claims, not the pieces of a link or the words that cite
    it. A reference link ("[the docs][1]") is read as its text and its definition line ("[1]: https://...") left
    out, and a footnote's number ("[^2]") too. Lines keep their breaks; text without a link comes back as it is."""
    if "[" in text:
        text = _FOOTNOTE_MARK.sub("", _REFERENCE_LINK.sub(_as_inline_link, text))
    if not LINK.search(text):
        return text
    text = without_link_definitions(text)
    lines = []
    for line in text.split("\n"):
        indent = line[:len(line) - len(line.lstrip())]  # a nested item's or a code line's
        kept = indent + " ".join(filter(None, map(_uncited, _sentences(line))))
        kept = _MARKDOWN_LINK.sub(_cited, kept)
        kept = _BRACKETED_LINK.sub(lambda match: "" if _cites_only(match.group(1)) else match.group(0), kept)
        kept = _BRACKETED.sub(lambda match: "" if points_only(match.group(1)) else match.group(0), kept)  # "(see )" left
        lines.append(_SPACED_LINK.sub("", kept))
    return "\n".join(lines)


def _as_inline_link(match: re.Match[str]) -> str:
    """A reference link as an inline one to _REFERENCE_STAND_IN; numbers alone are citations, nothing ("[1][2]"
    left "1" in a key point)."""
    return f"[{match.group(1)}]({_REFERENCE_STAND_IN})" if _WORDS.search(match.group(1)) else ""


def without_link_definitions(text: str) -> str:
    """`text` without its reference links' definition lines ("[1]: https://..."), the numbers that cite them
    ("a new event loop [1]."), and the labels of its footnotes ("[^note]" and "[^note]: " before its text):
    they say where to look, and a key point of `rubric from-answer` kept "[1]". Text with none comes back as
    it is."""
    if "]:" not in text:
        return text
    cited = {m.group("label") for m in _LINK_DEFINITION.finditer(text) if m.group("label").isdigit()}
    cited |= {"^" + m.group("label") for m in _FOOTNOTE_DEFINITION.finditer(text)}
    text = _LINK_DEFINITION.sub("", text)
    if not cited:
        return text
    marks = "|".join(map(re.escape, sorted(cited, key=len, reverse=True)))
    return re.sub(rf"[ \t]?\[(?:{marks})\](?::[ \t]*)?(?![(\[])", "", text)


def _uncited(sentence: str) -> str:
    """A sentence without what only says where something is said: nothing when, its links aside, it says nothing
    but where to look ("See https://... for details."); when it opens by citing one, its link right after a word
    of lexicon.yaml `citation_openers` ("Source: https://... (adapted from ...)", "From [Real Python](https://...):",
    "(see https://...) A generator yields ..."), what follows the citation, if it claims anything outside
    brackets (a sentence with no full stop after its citation went on to a claim, which was dropped with it).
    "From Python 3.3 on, a generator delegates ... (https://...)" claims something and stays whole."""
    link = LINK.search(sentence)
    if link is None:
        return sentence
    if points_only(_MARKDOWN_LINK.sub(r"\1", sentence)):
        return ""
    opening = _MARKDOWN_LINK.search(sentence)
    cited = opening if opening and opening.start() < link.start() else link
    words = re.findall(r"[A-Za-z]+", sentence[:cited.start()])
    if not (0 < len(words) <= CITATION_WORDS and words[0].lower() in citation_openers()):
        return sentence
    rest = _CITED_AFTER.sub("", sentence[cited.end():])  # "and https://b.org", "(adapted from Real Python)"
    return rest if content_words(_BRACKETED.sub("", LINK.sub("", rest))) else ""


_CITED_AFTER = re.compile(rf"^(?:[\s)\]>:;,.\u2013\u2014-]|\b(?:and|or)\b|{LINK.pattern}|[(\[][^()\[\]\n]{{0,200}}[)\]])*")
"""What may follow a citation's link before the claim: more links ("and https://b.org"), the source's name in
brackets ("(adapted from Real Python)"), punctuation."""


def _cites_only(bracketed: str) -> bool:
    """Whether a bracket holding a link says no more than where to look ("see https://...") or whose page it is
    ("Real Python, https://...", "PEP 492: https://..."): a claim in brackets beside its source has more words."""
    return points_only(bracketed) or len(_WORDS.findall(LINK.sub("", bracketed))) <= SOURCE_NAME_WORDS


_WORDS = re.compile(r"[^\W\d_]+")
SOURCE_NAME_WORDS = 3
"""Words up to which a bracket holding a link names its source ("Real Python", "PEP 492") rather than claims."""


CITATION_WORDS = 3
"""Words up to which what comes before a link opens a citation ("Source:", "Adapted from", "Read more at")."""


def _cited(match: re.Match[str]) -> str:
    """A Markdown link's text, or nothing when it only points ("[the docs](...)", "[here](...)")."""
    return "" if points_only(match.group(1)) else match.group(1)


def points_only(text: str) -> bool:
    """Whether `text`, its links taken out, says nothing but where to look ("See ... for details", "www.python.org
    explains more"; lexicon.yaml `link_pointers`), or nothing at all."""
    return not content_words(LINK.sub("", text)) - _pointer_stems()


@lru_cache(maxsize=1)
def _pointer_stems() -> frozenset[str]:
    """lexicon.yaml `link_pointers` as content_words reads them ("explains" as "explain")."""
    return content_words(" ".join(link_pointers()))


_UNSPLIT = re.compile(r"(?<!\S)[~.]?/[^\s,;|]+|(?<![^\s,;|])[^\s,;|/]+/[^\s,;|/]+/[^\s,;|]*|\b\w/\w\b|\b\d+/\d+\b")
"""Slashes that separate no terms: a path ("/usr/lib/python3", "a/b/c"), one letter or number to another ("I/O",
"A/B", "1/2"). A path is read from a term's start to its slashes only, so a term of 19,000 characters without
one is read in linear time (it took a second a reading, 6 s an answer)."""


def list_items(text: str) -> list[str]:
    """The items of a keyword list ("yield, await, event loop"), split at commas, semicolons, slashes and
    bars, but not at the slashes of a web address, a path or "I/O": "Use asyncio for I/O-bound work, threads
    too" read as the list "Use asyncio for I", "O-bound work", "threads too"."""
    links = [match.span() for pattern in (LINK, _UNSPLIT) for match in pattern.finditer(text)]
    items, start = [], 0
    for separator in _LIST_SEPARATOR.finditer(text):
        mark = separator.start() + len(separator.group()) - len(separator.group().lstrip())
        if not any(begin <= mark < end for begin, end in links):
            items.append(text[start:separator.start()])
            start = separator.end()
    return [item for item in [*items, text[start:]] if item]


def _is_list_like(text: str) -> bool:
    """A keyword list ("yield, await, event loop") names terms without claiming anything.

    Separated by commas or the like, or a long run of words almost without function words.
    A labelled list ("Generators: yield, for/next(), many values") attributes the items to a
    subject, which makes it a terse claim rather than a list.
    """
    if _LABELLED.match(text):
        return False
    items = list_items(text.strip(" ."))
    if len(items) >= 3 and sum(words(i) for i in items) / len(items) <= 3:
        return True
    tokens, stop = [t.lower() for t in _WORD.findall(text)], stopwords()
    return len(tokens) >= 10 and sum(t in stop for t in tokens) < 0.1 * len(tokens)


def _is_heading(lines: list[str]) -> bool:
    """A short line on its own without final punctuation ("Async generators: a hybrid") titles, not claims."""
    line = lines[0].strip()
    return len(lines) == 1 and (bool(_HEADING.match(line)) or (words(line) <= 6 and not line.endswith((".", "!", "?"))))


def in_code_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it opens, closes or lies inside a fenced code block (``` or ~~~). A fence never
    closed holds the lines after it up to the first that reads as prose (reads_as_prose): an answer whose
    fence was left open, or opened right before its prose, had all of it read as code (64.3 to 48.2)."""
    flags: list[bool] = []
    while len(flags) < len(lines):
        start, inside, opened = len(flags), False, 0
        for i in range(start, len(lines)):
            fence = bool(_FENCE.match(lines[i]))
            flags.append(inside or fence)
            if fence and not inside:
                opened = i
            inside ^= fence
        if inside:
            reach = range(opened + 1, min(len(lines), opened + 1 + OPEN_FENCE_REACH))
            prose = next((j for j in reach if reads_as_prose(lines[j])), None)
            if prose is not None:  # read again from there: what follows may open a fence of its own
                del flags[prose:]
    return flags


OPEN_FENCE_REACH = 1000
"""Lines after a fence never closed within which prose ends it (in_code_fences): each is parsed, and 4 MB of
code lines took seconds to read again and again."""


def reads_as_prose(line: str) -> bool:
    """Whether a line of what may be code reads as prose: PROSE_WORDS words or more and, its strings and comment
    aside, no line of Python (_is_python): "A coroutine is awaited by the event loop." is prose; "x = foo(a,",
    "# the loop runs it" and "def bump():  # += is racy without the lock" are not."""
    stripped = line.strip()
    if len(_PROSE_WORD.findall(stripped[:PARSED_CHARS])) < PROSE_WORDS:
        return False
    if len(stripped) > PARSED_CHARS:
        return True
    source = _STRING.sub(_STRING_MARK, stripped).partition("#")[0].strip()  # as _code_line_sizes reads code
    return bool(source) and not _is_python(source)


_PROSE_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
PROSE_WORDS = 4
"""Words of two letters or more from which a line that is no Python reads as prose (reads_as_prose)."""
PARSED_CHARS = 2000
"""Characters past which a line with words is prose unparsed (reads_as_prose): no one types code that long on
one line, and parsing 4 MB of it took seconds."""


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """Group lines into ("prose", lines) and ("code", lines) blocks."""
    blocks: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    for raw, in_fence in zip(lines, in_code_fences(lines)):
        if _FENCE.match(raw):
            continue
        if not raw.strip():
            blocks.append(("break", []))
            continue
        if not in_fence and _HEADING.match(raw):  # a markdown heading is a block of its own
            blocks += [("prose", [raw]), ("break", [])]
            continue
        indented_code = raw.startswith("    ") and not _BULLET.match(raw)
        code = (in_fence or indented_code) and not reads_as_prose(raw)  # an answer typed in a fence is prose
        kind = "code" if code or _CODE_START.match(raw) else "prose"
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(raw)
        else:
            blocks.append((kind, [raw]))
    return [b for b in blocks if b[0] != "break"]


def _continues(previous: str, line: str, wrapped: bool) -> bool:
    """Whether a line break sits inside a sentence: after an unpunctuated line that was long (hard-wrapped
    prose) unless the next opens a point of its own (_opens_a_point), that ends on a function word
    ("driven by the"), or is followed by a lower-case function word ("that yields values", "and the
    loop ..."). `wrapped`: whether the block's lines end a sentence before the end of the last one
    (_ends_sentences).
    A bullet, a labelled line ("coro: async def"), a short line followed by a capital, or one
    followed by a lower-case term ("yield from delegates ...", notes one per line) starts a
    statement of its own. A line ending on a colon is a lead-in, ending its sentence, unless it is long and
    the next goes on in lower case: the colon was where the editor wrapped the line, and "A tuple is immutable:"
    read apart from "once created its items cannot be reassigned." read as another claim than the two together,
    so a rubric's own model answer, wrapped in its YAML, read as reversed."""
    ended = previous.rstrip()
    if ended.endswith((".", "!", "?")) or _BULLET.match(line):
        return False
    stripped = line.strip()
    first = _WORD.match(stripped)
    if ended.endswith(":"):  # a lead-in, unless an editor wrapped a long line at it ("A tuple is immutable:" + "once ...")
        return _is_long(previous) and (stripped[:1].islower() or stripped[:1] == "`") and not _LABELLED.match(stripped)
    lower_continuation = (stripped[:1].islower() and not _LABELLED.match(stripped)
                          and first is not None and first.group(0) in stopwords())
    long_line = _is_long(previous) and not _opens_a_point(stripped, first, wrapped)
    return long_line or lower_continuation or _dangles(previous)


def _is_long(line: str) -> bool:
    """Whether a line is as long as an editor's wrapped lines: its break may sit inside a sentence."""
    return len(line.strip()) >= WRAP_WIDTH


def _dangles(line: str) -> bool:
    """Whether a line ends on a word that cannot end a sentence ("... driven by the" + "event loop")."""
    last = _WORD.findall(line)[-1:]
    return bool(last) and last[0].lower() in unfinished_words()


def _opens_a_point(line: str, first: re.Match[str] | None, wrapped: bool) -> bool:
    """Whether a line (stripped; `first`, its opening word) starts a point of its own after a long unpunctuated
    one: a capitalised word ("A coroutine is awaited ...": points one a line without full stops; not a name
    such as "CPython" or "I"), or, in lines that end no sentence but the last (not `wrapped`), a code term
    ("send() resumes ..." / "throw() raises ...")."""
    if first is not None and first.group(0).istitle() and first.group(0) != "I":
        return True
    return not wrapped and bool(_CODE_TERM_START.match(line))


def _prose_sentences(lines: list[str]) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """Bullets, list items and short lines end a sentence, and so does a line before one that opens a point of
    its own (_continues); a hard wrap inside a sentence does not. Each sentence comes with the lead-in of the
    list item it is in, if any (_lead_ins), and, when the lines end no sentence but the last (_ends_sentences),
    the points it was joined from: a line after a long one (hard-wrapped prose has full stops) starts one, unless
    that one ends on a function word ("... until the" / "call returns"); a line after a short one goes on its
    point."""
    paragraphs: list[list[str]] = []  # [text, lead-in or ""]
    points: list[list[str]] = []
    previous = ""
    wrapped = _ends_sentences(lines)
    for line, cleaned, lead in _lead_ins(lines):
        if not cleaned:
            continue
        if paragraphs and _continues(previous, line, wrapped):
            paragraphs[-1][0] += " " + cleaned
            if _is_long(previous) and not _dangles(previous):
                points[-1].append(cleaned)
            else:
                points[-1][-1] += " " + cleaned
        else:
            paragraphs.append([cleaned, lead])
            points.append([cleaned])
        previous = line
    sentences: list[tuple[str, str | None, tuple[str, ...]]] = []
    for (paragraph, lead), typed in zip(paragraphs, points):
        read = _sentences(paragraph)
        joined = tuple(typed) if not wrapped and len(typed) > 1 and len(read) == 1 else ()
        sentences += [(sentence, lead or None, joined) for sentence in read]
    return sentences


def joined_points(unit: Unit) -> bool:
    """Whether a unit is a whole sentence joined from points typed a line each, with its clauses beside it:
    quoted whole it would show every point, so a clause of it is quoted instead (quote)."""
    return unit.kind == "sentence" and bool(unit.points) and bool(unit.parts)


def quote(unit: Unit) -> str:
    """The words shown as a unit's evidence: its sentence, or, for a clause of a sentence joined from points
    typed a line each without full stops (Unit.points), the point that holds most of its words. Eight such
    lines were read as one sentence of 837 characters and every concept quoted its first 280, whichever line
    had earned it."""
    if unit.kind != "clause" or not unit.points:
        return unit.sentence
    said = content_words(unit.text)
    return max(unit.points, key=lambda point: len(said & content_words(point)))


def _ends_sentences(lines: list[str]) -> bool:
    """Whether a sentence ends in a block's lines anywhere but at the end of the last one: points typed a line
    each often end the last with a full stop, and were then read as hard-wrapped prose."""
    return any(_SENTENCE_END.search(line) for line in [*lines[:-1], *(_FINAL_END.sub("", line) for line in lines[-1:])])


_CODE_TERM_START = re.compile(r"`|[A-Za-z_][\w.]*\(\)|_\w")
"""A line that opens with a code term: a call ("throw()"), a private or dunder name ("__aiter__"), inline code."""
_SENTENCE_END = re.compile(r"[.!?\u2026][)\]\"'\u201d\u2019]?(?=\s|$)")
"""Where a sentence ends in a line: what tells hard-wrapped prose from points typed a line each without full stops."""
_FINAL_END = re.compile(_SENTENCE_END.pattern.removesuffix(r"(?=\s|$)") + r"\s*$")
"""A sentence's end closing a block's last line."""


def _sentences(text: str) -> list[str]:
    """`text` split at its sentences' ends (SENTENCE_BREAK), not after an abbreviation ("e.g.", "cf.")."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\0"), text)
    return [s.replace("\0", ".").strip() for s in SENTENCE_BREAK.split(protected) if s.strip()]


_ITEM = re.compile(r"^([ \t]*)(?:[-*+\u2022]|\d+[.)])[ \t]+\S")
"""A list item, and its indent."""


def _depth(item: re.Match[str] | None) -> int:
    """A list item's indent in columns; -1 for a line that is no item."""
    return len(item[1].expandtabs()) if item else -1


def _nested_under(item: re.Match[str] | None, below: re.Match[str] | None) -> bool:
    """Whether the item on the line after a list item is nested under it ("- Generators" over "  - are lazy")."""
    return item is not None and below is not None and _depth(below) > _depth(item)


def parents_as_leads(text: str) -> str:
    """`text` with each list item that has items nested under it ending on a colon, as a lead-in: "- Generators"
    over "  - produce many values" names what its items say, as "- Generators:" does. Read as it was, it was a key
    point naming no claim, and its items points without their subject ("produce many values")."""
    lines = text.split("\n")
    for i, (line, below) in enumerate(zip(lines, lines[1:])):
        if _nested_under(_ITEM.match(line), _ITEM.match(below)) and not line.rstrip().endswith(":"):
            lines[i] = f"{line.rstrip().rstrip('.')}:"
    return "\n".join(lines)


def _lead_ins(lines: list[str]) -> list[tuple[str, str, str]]:
    """Each line, as prose reads it (_clean_prose), with the lead-in of the list it is an item of ("" for
    none): the line before a list that ends on a colon ("Generators:", "A generator is:"), or the item a nested
    list hangs from (_nested_under). An item alone ("produce many values", "are awaited") names no subject;
    under its lead-in it states a claim. A line that is no item ends every list."""
    out: list[tuple[str, str, str]] = []
    open_leads: list[tuple[int, str]] = []  # (indent, lead-in) of the lists open here, outermost first
    items = [_ITEM.match(line) for line in lines]
    for line, item, below in zip(lines, items, [*items[1:], None]):
        depth = _depth(item)
        open_leads = [(indent, lead) for indent, lead in open_leads if item and indent < depth]
        cleaned = _clean_prose(line)
        out.append((line, cleaned, open_leads[-1][1] if open_leads else ""))
        if below and cleaned and (cleaned.rstrip().endswith(":") or _nested_under(item, below)):
            open_leads.append((depth, cleaned.rstrip().rstrip(":").strip()))
    return out


def _code_units(lines: list[str]) -> list[Unit]:
    """Each code line is evidence, a comment is prose, and the block as a whole is one more unit."""
    units: list[Unit] = []
    code_lines = []
    for line in lines:
        code, _, comment = line.partition("#")
        if comment.strip():
            units.append(_unit(comment.strip(), "clause", comment.strip()))
        if code.strip():
            code_lines.append(code.strip())
            units.append(_unit(code.strip(), "code", line.strip()))
    if len(code_lines) > 1:
        block = "\n".join(code_lines)
        units.append(_unit(block, "code", block))
    return units


_COMPOUND_HEADER = re.compile(
    r"^(?:async\s+)?(?:def|class|if|elif|else|for|while|with|try|except|finally|match|case)\b.*:$")


def _is_python(line: str) -> bool:
    """Whether one line (its comment removed) is Python: it parses alone, or it opens a block
    ("def gen():", "try:"). Prose in a code fence ("Threads are limited by the GIL.") is not, nor is a line
    past the parser's limits ("not not not ...", "a+a+..." 3,000 times: RecursionError, MemoryError), which
    no one writes as code."""
    try:
        ast.parse(line)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return bool(_COMPOUND_HEADER.match(line))
    return True


_STRING = re.compile(r"""[rbuRBU]{0,2}[fF]?("|')(?:\\.|(?!\1).)*\1""")
"""A one-line string literal: what it says is text, whatever code holds it."""
_STRING_MARK = "_s_"
"""Stands for each string literal while a line is parsed: a name, so `print(_s_)` still parses."""


def _code_line_sizes(line: str) -> tuple[int, int]:
    """(code, text) non-blank characters of one line of a code block. String literals and a
    comment on a line of its own are text; a comment after code explains that code and counts as
    neither; a line that is not Python (`_is_python`) is all text."""
    size = len("".join(line.split()))
    strings = "".join(m.group(0) for m in _STRING.finditer(line))
    source = _STRING.sub(_STRING_MARK, line).partition("#")[0]
    if not source.strip() or not _is_python(source.strip()):
        return 0, size
    return len("".join(source.replace(_STRING_MARK, "").split())), len("".join(strings.split()))


def code_share(answer: str, max_chars: int = MAX_CHARS) -> float:
    """Share (0-1) of an answer's counted non-blank characters that are Python code: the lines of
    its code blocks that are Python (`_is_python`), less their string literals and comments.
    Strings, comments on their own lines and prose, in a code block or not, count as text, so
    notes pasted into a fence, under `x = 1` or into `a = "..."` are not code; a comment after a
    line of code explains it and counts as neither."""
    code = text = 0
    for kind, lines in _blocks(answer[:max_chars]):
        for line in lines:
            if kind == "code":
                line_code, line_text = _code_line_sizes(line)
            else:
                line_code, line_text = 0, len("".join(line.split()))
            code += line_code
            text += line_text
    return code / (code + text) if code + text else 0.0


def _unit(text: str, kind: str, sentence: str) -> Unit:
    """A part of `sentence` (as typed, shown as evidence) whose `text` is read without its links: a link, or a
    bracket that only points to one, is no claim (without_links)."""
    text = without_links(text)
    count = words(text)
    return Unit(text=text, kind=kind, sentence=sentence, words=count)


@lru_cache(maxsize=16)
def _role_pattern(roles: tuple[str, ...]) -> str:
    """A role term (plural too), after an article if any."""
    return r"(?:(?:a|an|the)\s+)?(?:" + "|".join(map(re.escape, roles)) + r")s?\b"


@lru_cache(maxsize=16)
def _role_break(roles: tuple[str, ...]) -> re.Pattern[str]:
    """A comma before a role term starts a new claim: "a generator is pulled by for, coroutine by the loop"."""
    return re.compile(r",\s+(?=" + _role_pattern(roles) + ")", re.IGNORECASE)


@lru_cache(maxsize=16)
def _role_and(roles: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An "and" before a role term, and a role term with words after it (a claim about it)."""
    return (re.compile(r"\s+and\s+(?=" + _role_pattern(roles) + ")", re.IGNORECASE),
            re.compile(_role_pattern(roles) + r"\s+\S", re.IGNORECASE))


def _split_at_role_and(piece: str, roles: tuple[str, ...]) -> list[str]:
    """"A generator yields many values and a coroutine is awaited" as its two claims, each about one
    role: read whole, the model cannot tell it from the same words with the roles exchanged, and took
    it for "a coroutine yields many values". Split only after a claim about a role, so "both generators
    and coroutines suspend" and "the difference between a generator and a coroutine is ..." stay whole."""
    joint, claim = _role_and(roles)
    pieces, start = [], 0
    for match in joint.finditer(piece):
        if claim.search(piece[start:match.start()]):
            pieces.append(piece[start:match.start()])
            start = match.end()
    return [*pieces, piece[start:]]


def _clauses(sentence: str, roles: tuple[str, ...]) -> list[str]:
    pieces = [p for p in _CLAUSE_BREAK.split(sentence) if p]
    if roles:
        pieces = [part for p in pieces for part in _role_break(roles).split(p)]
        pieces = [part for p in pieces for part in _split_at_role_and(p, roles)]
    return [p.strip(" ,.") for p in pieces if p.strip(" ,.")]


def _sentence_units(sentence: str, start: int, roles: tuple[str, ...] = (), points: tuple[str, ...] = ()) -> list[Unit]:
    """The sentence itself plus its clauses, or its list items when it is a keyword list. A sentence joined from
    points typed a line each (`points`) has no clause across two of them."""
    if _is_list_like(sentence):
        pieces = list_items(sentence.strip(" ."))
    else:
        pieces = [clause for point in points or (sentence,) for clause in _clauses(point, roles)]
    whole = _unit(sentence, "sentence", sentence)
    clauses = [_unit(p, "clause", sentence) for p in pieces] if len(pieces) > 1 else []
    clauses = [clause for clause in clauses if any(ch.isalnum() for ch in clause.text)]  # a link's, a footnote's
    if len(clauses) <= 1:
        return [whole]
    whole.parts = list(range(start + 1, start + 1 + len(clauses)))
    return [whole, *clauses]


def _led(unit: Unit, lead: str) -> Unit:
    """A list item's part read with its list's lead-in."""
    text = f"{lead}: {unit.text}"
    return replace(unit, text=text, words=words(text), lead=lead)


def _window_text(first: Unit, second: Unit) -> str:
    """Two adjacent sentences read as one, a lead-in they share said once ("Generators: yield values. are lazy"),
    as is one that is the first sentence itself (the line "Generators:" and its first item)."""
    shared = second.lead and (second.lead == first.lead or first.text.rstrip(": ") == second.lead)
    return f"{first.text} {second.text[len(second.lead) + 2:] if shared else second.text}"


MAX_PARTS = 600
"""Sentences, clauses and code lines read from one answer, windows aside: 20,000 characters of prose
make about 300, but of three-character fragments ("x1. x2. ...") several thousand, which took 10 s to
embed (and held a web app's scoring that long)."""


_CUT_POINTS = (re.compile(r"(?<=[.!?\u2026])\s|\n[ \t]*\n"), re.compile(r"\n"))
"""Where an overlong answer may be cut, best first: after a sentence's end or at a blank line; else at
a line break (notes or code without sentence ends; a hard-wrapped sentence breaks lines too)."""


def _whole_sentences(text: str) -> str:
    """`text`, an answer cut at MAX_CHARS, up to the end of its last whole sentence in its second half
    (else its last line): the sentence the cut goes through is not read, nor quoted as evidence ("A
    coroutine is awaited and the event loop run"). Unchanged when neither is there (one endless line)."""
    for points in _CUT_POINTS:
        ends = [match.start() for match in points.finditer(text, len(text) // 2)]
        if ends:
            return text[:ends[-1]]
    return text


def segment(answer: str, max_chars: int = MAX_CHARS, roles: tuple[str, ...] = (), leads: bool = False) -> Segmentation:
    """Split an answer into scoreable units; overlong answers are cut at `max_chars`, and at the
    sentence or code block that would pass MAX_PARTS units.

    `roles` are the rubric's role terms (generator, coroutine): a comma before one splits a clause. With
    `leads`, a list item's parts are read with its list's lead-in ("Coroutines: produce one result" for the
    item "produce one result" under "Coroutines:"); each still quotes the item as typed.
    """
    original = len(answer)
    text = _whole_sentences(answer[:max_chars]) if original > max_chars else answer
    text = without_link_definitions(text)  # where a reference link points: no claim
    if not any(ch.isalnum() for ch in text):  # punctuation, marks or symbols alone: nothing to read
        return Segmentation(units=[], truncated=original > max_chars, original_chars=original)
    units: list[Unit] = []
    sentence_ids: list[int] = []
    blocks = _blocks(text)
    cut = False
    paragraph: dict[int, int] = {}
    for block_number, (kind, lines) in enumerate(blocks):
        if kind == "code":
            code = _code_units(lines)
            cut = len(units) + len(code) > MAX_PARTS
            units += code[: MAX_PARTS - len(units)]  # its first lines: code units refer to no other unit
        else:
            heading = len(blocks) > 1 and _is_heading(lines)
            for sentence, lead, points in _prose_sentences(lines):
                start = len(units)
                read = [replace(unit, points=points) for unit in _sentence_units(sentence, start, roles, points)]
                if not any(ch.isalnum() for ch in read[0].text):  # read without its links: "See https://... for details."
                    continue
                if lead and leads:
                    read = [_led(unit, lead) for unit in read]
                cut = start + len(read) > MAX_PARTS
                if cut and start < MAX_PARTS:  # the sentence whole, without the clauses that would pass the limit
                    read = [replace(read[0], parts=[])]
                elif cut:
                    break
                units += read
                for unit in read:
                    unit.fragment = heading
                if not heading:
                    sentence_ids.append(start)
                    paragraph[start] = block_number
                if cut:
                    break
        if cut:
            break
    units += _windows(units, sentence_ids, paragraph)
    for unit in units:
        unit.fragment = unit.fragment or (unit.kind != "code" and _is_list_like(unit.text))
    return Segmentation(units=units, truncated=original > max_chars, original_chars=original, cut_at_parts=cut)


_OPENER = re.compile(r"^\W*(?:\w+\W+){0,2}\w+\s*(?:\.\s*\.(?:\s*\.)*|\u2026|:)$")


def opens_what_follows(sentence: str) -> bool:
    """A few words that trail off or end on a colon ("Coroutines...", "Now, coroutines:") announce what
    comes next: paired with the sentence before, they read as its subject."""
    return bool(_OPENER.match(sentence.strip()))


def _windows(units: list[Unit], sentence_ids: list[int], paragraph: dict[int, int]) -> list[Unit]:
    """Adjacent sentence pairs of one paragraph (`paragraph`: a sentence's first unit to its block), for a
    claim that spans two sentences ("A generator yields. It is lazy."). Not across a blank line: a
    transcript's answers to two questions were read as one claim and quoted as one red flag."""
    windows = []
    for a, b in zip(sentence_ids, sentence_ids[1:]):
        first, second = units[a], units[b]
        if paragraph[a] != paragraph[b] or opens_what_follows(second.text):
            continue
        window = _unit(_window_text(first, second), "window", f"{first.sentence} {second.sentence}")
        window.parts = [a, b, *first.parts, *second.parts]
        windows.append(window)
    return windows
