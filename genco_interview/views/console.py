"""The terminal console every command draws on: rich's, cleaned of control characters.

Kept apart from `output` so that what needs no terminal (`--help`, a score card's JSON) does not
import rich (about 0.03 s of start-up).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..output import clean, has_control
from ..text.escapes import LINE_SEPARATORS, line_feeds

MAX_WIDTH = 1000
"""The widest line genco draws: rich pads every line of a table to $COLUMNS, and COLUMNS=10000000
would write hundreds of megabytes (or fail to allocate them)."""
MIN_WIDTH = 20
"""A $COLUMNS under this is no terminal's width (COLUMNS=0 drew nothing): FALLBACK_WIDTH is used instead."""
FALLBACK_WIDTH = 80
_PADDING = re.compile(r" +(?=\n)")
"""The spaces rich pads a table's or panel's lines with, up to the end of each line."""
_SEPARATORS_AS_SPACES = str.maketrans(dict.fromkeys(LINE_SEPARATORS, " "))


ASCII_STAND_INS = str.maketrans({"✓": "+", "✗": "x", "⚠": "!", "☐": "o", "•": "*", "▪": "*", "·": "|", "—": "-",
                                 "–": "-", "−": "-", "…": "~", "“": '"', "”": '"', "‘": "'", "’": "'", "×": "x",
                                 "→": ">"})
"""One ASCII character for each symbol genco draws, where the output's encoding lacks it (LC_ALL=C without
UTF-8): "\\u2717" and "\\u2026" stood in their places, six columns for one, and tables lost their alignment."""


class SafeConsole(Console):
    """A rich Console that removes control characters from every text segment it renders, and reads no
    markup or emoji codes in the strings it prints: a concept named "d[key] vs s[i]" lost its brackets, one
    holding "[/]" was a traceback, and "[link=...]" sent a hidden hyperlink to the terminal.

    rich calls `render` for everything printed, tables and panels included, and keeps its own
    escape codes (colours, cursor moves) apart, in styles and control segments, so cleaning
    text segments here leaves genco's styling intact. Only zero-width characters are removed,
    so layout measured before rendering still fits.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)  # a rubric's "d[key]" or "[/]" is text: genco styles with Text
        kwargs.setdefault("emoji", False)  # and ":snake:" in an answer stays as typed
        super().__init__(*args, **kwargs)
        if self._width is not None and self._width > MAX_WIDTH:  # from $COLUMNS; rich takes any number
            self._width = MAX_WIDTH
        elif self._width is not None and self._width < MIN_WIDTH:  # COLUMNS=0 would print nothing at all
            self._width = FALLBACK_WIDTH

    def on_broken_pipe(self) -> None:
        """The reader of stdout left (`| head`): handed to the command's own handling (exit 141,
        silent), where rich would exit 1 as if something had failed."""
        self.quiet = True
        raise BrokenPipeError

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        """What is written, without the spaces rich pads every line with to the full width when it
        goes to a file or pipe as plain text: a card saved or diffed has no trailing blanks. A line
        not yet ended (a prompt) keeps its spaces."""
        text = super()._render_buffer(buffer)
        return text if self.is_terminal or self._color_system is not None else _PADDING.sub("", text)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """A string as rich lays it out, its other line ends (CR, NEL, U+2028: LINE_SEPARATORS) as the line breaks
        they are: laid out as characters, they took no column and cut the cell's last letters off ("one\u2028two"
        showed "one tw"), or ran two lines together ("lazily.A coroutine")."""
        return super().render_str(line_feeds(text), **kwargs)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        narrow = not self.encoding.lower().startswith("utf")  # ASCII (a C locale), or Latin-1: few of the symbols
        for segment in super().render(renderable, options):
            if segment.control or not (has_control(segment.text) or narrow):
                yield segment
            else:  # a line separator in a laid-out line: a space, or it would break the line of a box's border
                text = clean(segment.text.translate(_SEPARATORS_AS_SPACES))
                yield Segment(self._narrowed(text) if narrow else text, segment.style, segment.control)

    def _narrowed(self, text: str) -> str:
        """`text` in the output's encoding, one character for one: genco's symbols by their ASCII stand-ins, any
        other character the encoding lacks (a typed é or 🐍 under LC_ALL=C) as "?", where "\\xe9" took four columns."""
        return text.translate(ASCII_STAND_INS).encode(self.encoding, "replace").decode(self.encoding)


def has_a_width(console: Console) -> bool:
    """Whether what is drawn must fit `console.width`: a terminal's, or one given ($COLUMNS). A pipe
    without one has no width of its own (rich takes the terminal's that stderr may be on, or 80), so a
    listing written there can keep every line whole."""
    return console.is_terminal or console._width is not None  # rich keeps a width given (COLUMNS) there


def natural_width(console: Console, table: Table) -> int:
    """The columns `table` takes with every cell on one line, up to MAX_WIDTH."""
    return _unbounded(console, table).maximum


def least_width(console: Console, table: Table) -> int:
    """The columns `table` needs with no word cut: each column as wide as its longest word (rich's minimum)."""
    return _unbounded(console, table).minimum


def _unbounded(console: Console, table: Table) -> Measurement:
    """`table` measured as if the terminal were MAX_WIDTH wide: measured at its own width, it never exceeds it."""
    return console.measure(table, options=console.options.update_width(MAX_WIDTH))


def print_whole(console: Console, table: Table) -> None:
    """A table into a pipe (a file, grep, a pager) with no width to fit: every column, each line as long
    as its text needs (up to MAX_WIDTH), not cut to the width rich assumes there."""
    table.width = natural_width(console, table)
    console.print(table, crop=False)


def print_table(console: Console, table: Table) -> None:
    """A table fitted to the terminal's width (or $COLUMNS), or whole into a pipe without one."""
    if has_a_width(console):
        console.print(table)
    else:
        print_whole(console, table)


def print_command_line(console: Console, text: Text | str) -> None:
    """A line holding a command to paste. Where the command quotes a word (a --db path with spaces), rich
    does not wrap the line (the terminal folds it): wrapped at the spaces inside the quotes, the pasted
    command named another file, which it then made."""
    line = text if isinstance(text, Text) else Text(text)
    console.print(line, soft_wrap="'" in line.plain)


def hanging_item(console: Console, mark: str, style: str, body: Text | Group, width: int = 3) -> None:
    """A bullet line with a hanging indent: wrapped text, and each line of a text of several, stays aligned
    under its first word; `width` is the mark's column ("Note:" takes 5)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=width, justify="right")
    grid.add_column(ratio=1, overflow="fold")  # a long word (a URL in a correction) wraps, never cut
    grid.add_row(Text(mark, style=style), body)
    console.print(grid)


STACKED_BELOW = 72
"""Columns under which a table of many columns is printed as a block per row (a scorecard's evidence is
listed under its table, an interview report's questions one block each): beside four other columns, a
60-column terminal left a scorecard's evidence some ten letters a line, and an interview report its
question ids none."""
RULE_ENDS = 4
"""Columns a rule keeps around its title: a line and a space on each side."""


def section_rule(console: Console, title: str, depth: str) -> None:
    """A report section's heading rule, "title · depth": on a narrow terminal the title is shortened, never
    the depth, or two depths of one question read as the same heading."""
    tail = f" · {depth}"
    room = max(console.width - RULE_ENDS - len(tail), 1)
    shown = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    console.rule(Text(shown + tail, style="bold cyan"))
