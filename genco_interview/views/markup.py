"""Escaping for the Markdown and HTML that genco writes.

Rubric text and, above all, a candidate's answer are data, never markup: an answer containing
`<script>` or `</table>` must print as those characters. A rubric's backtick code spans are kept,
because rubrics use them for code and their content is literal in both formats; an answer quoted
whole (`md_quote`) escapes its backticks too. These are the only escapers the views use.
"""

from __future__ import annotations

import html
import re

from ..card import FULLER_HINT, FULLER_HINT_OF_A_CANDIDATE
from ..output import clean
from ..text.escapes import unix_line_breaks

_MD_SPECIAL = re.compile(r"([\\*_{}\[\]<>|#!~&])")
_MD_SPECIAL_AND_CODE = re.compile(r"([\\`*_{}\[\]<>|#!~&])")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_BLOCK_MARKER = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
"""What starts a list item, a numbered item or a heading's underline when it opens a line."""


UNDONE_NOTE = "covered in the answer, not in the follow-up reply"
"""After a concept the follow-up reply left not covered though the answer covered it (the terminal and the web
interview report): the reply to a probe is the last word on what it probes, and a report listing a concept the
answer's card called covered read as a mistake."""
UNCERTAIN_MARK = "?"
"""After a score its card marks uncertain ("uncertain: have a person check"), in listings of many scores."""
DAMAGED = "damaged"
"""What a listing or card shows for a kept value edited by hand into none genco writes (an interview's count,
score or time, an attempt's score or date), in place of the stand-in it reads as (0, 1970-01-01): shown, that
passed for the value itself."""
DAMAGED_DATE = f"date {DAMAGED}"
"""What a listing or card shows for an attempt's date edited by hand (in place of 1970-01-01)."""


def clock(seconds: float) -> str:
    """A time taken to answer, to the second: "2:28", "0:07", "61:05". Rounded to minutes, 148 s of a
    2-minute budget read "2 min", on budget."""
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def against_budget(seconds: float, budget_minutes: float) -> str:
    """An answer's time beside its budget: "2:28 of 2:00, 0:28 over", "1:12 of 2:00"."""
    over = seconds - budget_minutes * 60
    return f"{clock(seconds)} of {clock(budget_minutes * 60)}" + (f", {clock(over)} over" if round(over) > 0 else "")


def counted(number: int, noun: str) -> str:
    """"1 depth", "3 depths": a count with its noun in the right number (nouns that take a plain -s)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def named_and_described(name: str, description: str) -> tuple[str, str]:
    """A concept's (name, description) as a list of concepts to add shows them: a name that is its
    description, or its first words cut with "…" (`rubric from-answer` names each key point so, "A
    decorator is a callable …"), is the description alone, ("the whole description", ""), not the same
    words twice."""
    truncated = name.endswith("…") and description.startswith(name.removesuffix("…").rstrip() + " ")
    return (description, "") if truncated or name == description.rstrip(" .") else (name, description)


def why_to_add(status: str, candidate: bool = False) -> str:
    """What "What to add" says after a concept's name beyond that it is missing: a partial one was said in part
    (its bullet repeated a point the learner had made, as though never said), a contradicted one read as denied;
    of a `candidate`'s answer, without the advice to the learner ("say it fully" read as addressed to the
    interviewer on a kept grade's page)."""
    said, advice = _WHY_TO_ADD.get(status, ("", ""))
    if not said:
        return ""
    return f" ({said})" if candidate else f" ({said}: {advice})"


_WHY_TO_ADD = {"partial": ("said in part", "say it fully"), "contradicted": ("read as denied", "say it as it is")}
"""What a missed concept's status says of it, and the advice to the learner that follows."""


def missed_heading(candidate: bool = False) -> str:
    """The heading over the concepts an answer missed: advice to the learner, or what a candidate missed."""
    return "What they missed" if candidate else "What to add"


def fuller_hint(candidate: bool = False) -> str:
    """What to add when every concept is covered and the score is still under good: to the learner, or of a
    candidate to the interviewer (the terminal's card and the web's page say it alike)."""
    return FULLER_HINT_OF_A_CANDIDATE if candidate else FULLER_HINT


def md_escape(text: str) -> str:
    """Text safe inside a Markdown paragraph, list item or table cell, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(clean(text).split()))


def md_line(text: str) -> str:
    """md_escape for text that opens a line of its own: "- checked" or "1. first" stays text, not a list."""
    return _unblocked(md_escape(text))


def _unblocked(line: str) -> str:
    return _BLOCK_MARKER.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", line)


def md_quote(text: str) -> str:
    """A Markdown block quote of an answer: its lines kept (each ends in a hard line break, a trailing
    backslash, or a Markdown reader joins it to the next), none of its markup (backticks included),
    runs of spaces within a line made one, and no line opening a list ("- Candidate: ..."). A line's
    indentation is kept as no-break spaces (a tab as four), which Markdown shows and never reads as a
    code block: made one space, "    yield i" under "for i in range(3):" changed the code a candidate wrote."""
    lines = [_INDENT * _indent_width(line) + _unblocked(_MD_SPECIAL_AND_CODE.sub(r"\\\1", " ".join(line.split())))
             if line.strip() else "" for line in clean(unix_line_breaks(text)).split("\n")]
    return "\n".join(f"> {line}\\" if line and following else f"> {line}" if line else ">"
                     for line, following in zip(lines, [*(bool(n) for n in lines[1:]), False]))


_INDENT = "\u00a0"
"""A no-break space: an answer's indentation in a Markdown quote (md_quote)."""


def _indent_width(line: str) -> int:
    """Columns of a line's leading white space (a tab to the next multiple of four; a no-break space, as code
    pasted from a web page is indented, one)."""
    return len(line[: len(line) - len(line.lstrip())].expandtabs(4))


def html_inline(text: str) -> str:
    """Escaped HTML with `code` spans as <code>; everything else is literal text."""
    return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(" ".join(clean(text).split())))


_FENCED = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n?(?P<body>.*?)(?:^ {0,3}(?P=fence)[ \t]*$\n?|\Z)", re.S | re.M)


def prose_blocks(text: str) -> list[tuple[bool, str]]:
    """Rubric prose (a model answer, a follow-up) as its blocks, (is code, text): a paragraph at each blank
    line, its other line breaks (the YAML's wrapping) made spaces; a block fenced with ``` or ~~~ with its
    lines and indentation kept, the fences left out."""
    text, out, start = clean(text), [], 0
    for block in _FENCED.finditer(text):
        out += [*_paragraphs(text[start : block.start()]), (True, block["body"].rstrip("\n"))]
        start = block.end()
    return [*out, *_paragraphs(text[start:])]


def _paragraphs(prose: str) -> list[tuple[bool, str]]:
    return [(False, " ".join(part.split())) for part in re.split(r"\n\s*\n", prose) if part.strip()]


def html_paragraphs(text: str) -> str:
    """Rubric prose as HTML (prose_blocks): a <p> a paragraph, its `code` spans <code> (html_inline), and a
    fenced block a <pre><code> block."""
    return "".join(f'<pre class="code"><code>{html.escape(body)}</code></pre>' if code else f"<p>{html_inline(body)}</p>"
                   for code, body in prose_blocks(text))


def html_text(text: object) -> str:
    """Escaped HTML text, quotes included (safe in an attribute too), control characters removed."""
    return html.escape(clean(str(text)), quote=True)


_CODE = re.compile(
    _FENCED.pattern  # a fenced block, ``` or ~~~
    + r"|(?P<ticks>`+).+?(?P=ticks)"  # a code span, `x` or ``x``
    r"|^(?: {4}|\t)[^\n]*$",  # a line of an indented block
    re.S | re.M)


def md_literal_html(text: str) -> str:
    """Markdown whose angle brackets, underscores and square brackets outside code stay text: `Iterator<Integer>`
    written plainly in a model answer would otherwise be read as an HTML tag, which a terminal
    renderer drops, `__await__` as "await" in bold, and `[x](javascript:...)` or `![x](http://...)` as a live
    link or an image a Markdown viewer fetches (a shared rubric's sheet sends nothing anywhere). Code (fenced,
    indented or in backticks) is left as written: Markdown shows it literally."""
    out, start = [], 0
    for code in _CODE.finditer(text):
        out += [_literal(text[start : code.start()]), code.group()]
        start = code.end()
    return "".join([*out, _literal(text[start:])])


def _literal(prose: str) -> str:
    return prose.replace("<", "\\<").replace("_", "\\_").replace("[", "\\[")
