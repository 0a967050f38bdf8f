"""Text that genco prints or writes, made harmless for whoever reads it.

Answers, candidate names, notes, imported histories and rubric files are written by people
genco does not control. A terminal obeys control characters inside them (ESC starts sequences
that clear the screen, write the clipboard through OSC 52 or hide links through OSC 8; C1
codes such as U+009B do the same on some terminals), and a spreadsheet runs a CSV cell that
starts with `=` as a formula. So every output path goes through one of these functions:

* `clean` for terminal, Markdown and HTML text: whole escape sequences (`text.escapes`: "Ada\x1b[31m"
  becomes "Ada", not "Ada[31m"), then C0 and C1 control characters, DEL and the bidirectional
  overrides are removed, line breaks and tabs kept (they are layout, not commands);
* `one_line` for error messages: the one-line rule holds even when a file name has a newline;
* `csv_cell` for CSV: `clean`, then a leading `'` when the cell would start a formula, as the
  OWASP guidance on CSV injection describes;
* `dumps` for JSON: the standard library escapes C0 itself; C1, U+2028, U+2029 and the
  bidirectional overrides are escaped here too, so a JSON line is one line to every reader and harmless on a terminal;
* `views.console.SafeConsole`, a rich Console that cleans every text segment it renders with
  `clean`, so no table cell, panel or rule can carry a control sequence however the text reached it.

No library is used: rich strips only five control codes (BEL, BS, VT, FF, CR) and the small
"strip ANSI" packages remove well-formed escape sequences but leave lone ESC and C1 codes.
One pattern and one translation table cover every case and cost nothing at start-up: this module imports
no rich, so a view that needs no terminal can do without it.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .paths import names_no_file
from .text.escapes import CONTROL_CHARACTERS, unix_line_breaks
from .text.escapes import clean as clean  # what every front end cleans its output with, from here as before
from .text.escapes import has_control as has_control

_JSON_UNSAFE = re.compile("[" + re.escape("".join(c for c in CONTROL_CHARACTERS if c >= "\x7f")) + "\u2028\u2029]")
"""What `dumps` escapes beyond the C0 characters json escapes itself: DEL, C1, the bidirectional controls
(one list with `clean`'s), and the line and paragraph separators some readers break lines at."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection)."""


def one_line(text: str) -> str:
    """A message on one line: controls removed, every run of whitespace (line breaks too) one space."""
    return " ".join(clean(text).split())


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: cleaned, and quoted with `'` if it would start a formula.

    Numbers stay numbers: they are written by genco, not typed by a person; a yes or no is "true" or
    "false", as JSON writes it.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return value
    text = clean(unix_line_breaks(value))
    return "'" + text if value.startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS) else text


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def dumps(data: Any, indent: int | None = None) -> str:
    """JSON as genco prints and exports it: UTF-8 text, with C1, DEL, U+2028 and U+2029 escaped.

    Those characters are valid inside JSON strings, but they end lines for some readers
    (`str.splitlines`, JavaScript before ES2019) and act on some terminals.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def genco_command(words: str, db: str | Path | None) -> str:
    """A command to suggest ("genco show 3"), repeating --db when the running command was given one:
    without it the suggestion would read the default history, not the one just written."""
    return f"genco {words} --db {shell_word(db_argument(db))}" if db else f"genco {words}"


def shell_word(text: str) -> str:
    """`text` as one word of a shell command that stays the same text printed on one line (one_line): shlex's
    quoting, or, for a text holding a line break, a tab, a run of spaces or a control character (which
    one_line would make one space or drop: `--db 'q/nl name.db'` named another file), bash's $'...' with
    each of those written as an escape."""
    if not _MADE_ONE_LINE.search(text):
        return shlex.quote(text)
    escaped = _MADE_ONE_LINE.sub(lambda m: "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                                                   for c in m.group()), text.replace("\\", "\\\\").replace("'", "\\'"))
    return f"$'{escaped}'"


def shell_join(words: Iterable[str]) -> str:
    """Words as one shell command (shell_word each), as it is printed on one line."""
    return " ".join(shell_word(word) for word in words)


def path_shown(path: str) -> str:
    """A file's name as a one-line message shows it: as typed, or as a shell word (shell_word) when one_line
    would change it (or a blank at either end would be lost): "r\nx.html" was said as "r x.html", a file
    that does not exist."""
    return shell_word(path) if _MADE_ONE_LINE.search(path) or path != path.strip() else path


_MADE_ONE_LINE = re.compile("[" + re.escape(CONTROL_CHARACTERS) + "\n\t\u2028\u2029]| {2,}")
"""What one_line changes in a text: control characters, line breaks and tabs, runs of spaces."""


def db_argument(db: str | Path) -> str:
    """A history path as --db takes it: a file named "-", ":memory:" or "file:..." in this folder (which a
    path library writes without its "./") is refused under that name (paths.names_no_file)."""
    text = str(db)
    return f"./{text}" if names_no_file(text) else text
