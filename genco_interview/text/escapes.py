"""Terminal escape sequences, as one regular expression both the answer reader and genco's output use.

ECMA-48 (5th edition, 1991) defines them: control sequences (colour, cursor: ESC [ or the 8-bit CSI,
parameters, a final byte), control strings (window titles, DCS: up to BEL or the string terminator;
one never terminated on its line loses only its introducer, so the text after it is not lost),
single shifts (arrow keys) and the other two-byte escapes (character sets, save and restore cursor).
Removing only the ESC byte of "\\x1b[31m" would leave "[31m" on the screen or in the answer.
"""

import re

TERMINAL_ESCAPE = (r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
                   # a string's body stops at another string's start too: a run of them is linear, not quadratic
                   r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])(?:[^\x07\x1b\x9c\n\x90\x98\x9d\x9e\x9f]*(?:\x07|\x1b\\|\x9c))?"
                   r"|\x1b[NO][\x20-\x7e]?|\x1b[ -/]+[0-~]?|\x1b[0-~]?")
"""A pattern (str) matching one whole escape sequence, a lone ESC included."""

_BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Bidirectional marks, embeddings, overrides and isolates (code points): they reorder the text around them
on screen, so a line can read differently from what it holds ("Trojan Source", Boucher and Anderson, 2021)."""

CONTROL_CHARACTERS = "".join(chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI_CONTROLS)
                             if chr(c) not in "\n\t")
"""C0 and C1 control characters, DEL and the bidirectional controls: every character a terminal may obey
or a reader never sees, line breaks and tabs excepted (they are layout, not commands)."""

CONTROL_CHARACTER = re.compile("[" + re.escape(CONTROL_CHARACTERS) + "]")
"""One of CONTROL_CHARACTERS: what the output cleaner removes and a rubric's text may not hold."""


LINE_SEPARATORS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""The characters other than LF that end a line (those str.splitlines breaks at: CR, as an old Mac wrote it,
vertical tab, form feed, the file, group and record separators, NEL, Unicode's line and paragraph separators):
line breaks to a reader, which a terminal shows as a character, nothing, or a return to the line's start."""
_DROP = str.maketrans({**{c: None for c in CONTROL_CHARACTERS}, **{c: "\n" for c in LINE_SEPARATORS}})
_AS_LINE_FEEDS = str.maketrans(dict.fromkeys(LINE_SEPARATORS, "\n"))
_ESCAPE = re.compile(TERMINAL_ESCAPE)
_TO_CLEAN = re.compile("[" + re.escape(CONTROL_CHARACTERS + LINE_SEPARATORS) + "]")


def has_control(text: str) -> bool:
    """Whether `clean` would change the text (a quick search; most text has nothing to remove)."""
    return _TO_CLEAN.search(text) is not None


def strip_escape_sequences(text: str) -> str:
    """The text without its whole terminal escape sequences (TERMINAL_ESCAPE), other characters kept."""
    return _ESCAPE.sub("", text)


def clean(text: str) -> str:
    """The text without escape sequences and control characters other than line breaks and tabs, every other
    character that ends a line (LINE_SEPARATORS; CR LF as one) as a line break: what genco prints of anything it
    did not write itself (a file name, an environment variable, an answer)."""
    return line_feeds(_ESCAPE.sub("", text)).translate(_DROP) if has_control(text) else text


def control_character_problem(character: str | int) -> str:
    """Why a text holding `character` (one of CONTROL_CHARACTERS, or its code point) is refused, said
    after what holds it ("--question holds ...", "title: holds ...")."""
    code = character if isinstance(character, int) else ord(character)
    return f"holds a control character (U+{code:04X}), which a reader never sees and a terminal may obey; remove it"


def line_feeds(text: str) -> str:
    """`text` with every line end (CR LF as one, and each of LINE_SEPARATORS) as LF: where a person reads a
    line break, the reader of an answer and the terminal break the line too."""
    return text.replace("\r\n", "\n").translate(_AS_LINE_FEEDS)


def unix_line_breaks(text: str) -> str:
    """`text` with Windows (CR LF) and old Mac (CR) line breaks as LF: a file saved on Windows holds
    the same lines as one saved elsewhere, and its CRs are no control characters to refuse or strip."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
