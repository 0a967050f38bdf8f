"""One registry from what is shown and the format asked for to the view that writes it.

As openai/whisper's `get_writer` does for transcripts: a command looks its view up by name
(`get_writer("grade", "markdown")`) and offers exactly the registered names as `--format`
choices (`formats("grade")`), so adding a format is one line here and one function in its view
module, and no command grows another if/elif chain. Views are named as "module:function" and
imported only when used: `genco --help` must not import rich's tables or the HTML shells.

A writer is called as `writer(console, *subject)`. A terminal view draws on the console and
returns None; every other view returns its text (JSON, CSV, Markdown, HTML), which the caller
prints or writes to a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class View:
    """Where a view lives ("module:function" under genco_interview.views) and whether it draws on a console."""

    target: str
    draws: bool = False


WRITERS: dict[str, dict[str, View]] = {
    "card": {
        "text": View("terminal:render_card", draws=True),
        "json": View("card_data:card_json"),
        "jsonl": View("card_data:card_jsonl"),
    },
    "grade": {
        "text": View("scorecard:render_grade_text", draws=True),
        "markdown": View("scorecard:grade_markdown"),
        "json": View("scorecard:grade_json"),
    },
    "sheet": {
        "text": View("sheet:render_sheet_text", draws=True),
        "markdown": View("sheet:sheet_markdown"),
        "html": View("sheet:sheet_html"),
        "json": View("sheet:sheet_json"),
    },
    "history": {
        "text": View("report:render_history", draws=True),
        "json": View("report:history_json"),
        "csv": View("report:history_csv"),
    },
    "next": {
        "text": View("report:render_next", draws=True),
        "json": View("report:next_json"),
    },
    "report": {
        "text": View("report:render_report", draws=True),
        "markdown": View("report:report_markdown"),
        "json": View("report:report_json"),
        "html": View("report_html:report_html"),
    },
    "candidates": {
        "text": View("comparison:render_comparison", draws=True),
        "markdown": View("comparison:comparison_markdown"),
        "json": View("comparison:comparison_json"),
        "html": View("comparison:comparison_html"),
    },
    "interview": {
        "text": View("interview:render_interview_report", draws=True),
        "json": View("interview:interview_json"),
    },
    "interviews": {
        "text": View("interview:render_interview_list", draws=True),
        "json": View("interview:interview_list_json"),
    },
}


FILE_FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".json": "json", ".jsonl": "jsonl",
                ".csv": "csv", ".html": "html", ".htm": "html"}
"""The format a file's extension names, for a command that writes to a file without --format."""


def file_extension(path: str, known: Iterable[str] = FILE_FORMATS) -> str:
    """The extension `path`'s name ends in, lower case ("" for none). A name that is nothing but a `known`
    extension (".html") is one too: read as a hidden file's name without one, `report --out .html` wrote
    text there; another hidden name (".progress") has none."""
    name = PurePath(path).name.lower()
    return PurePath(path).suffix.lower() or (name if name in known else "")


def format_of_file(subject: str, path: str) -> str | None:
    """The format of `subject` that the extension of `path` names (progress.html: html), or None when it
    names none `subject` has (an unknown extension, or none)."""
    fmt = FILE_FORMATS.get(file_extension(path))
    return fmt if fmt in WRITERS[subject] else None


def extensions(subject: str) -> list[str]:
    """The file extensions that name a format of `subject` (for a report: .txt, .md, ... .htm), in
    FILE_FORMATS' order: what an error about an extension naming none lists."""
    return [extension for extension, fmt in FILE_FORMATS.items() if fmt in WRITERS[subject]]


def formats(subject: str) -> list[str]:
    """The format names `subject` can be shown in, the terminal's first (what --format offers)."""
    return list(WRITERS[subject])


def draws(subject: str, fmt: str) -> bool:
    """Whether the view of `subject` in `fmt` draws on a console (else it returns text); KeyError
    for an unknown pair."""
    return WRITERS[subject][fmt].draws


def get_writer(subject: str, fmt: str) -> Callable[..., str | None]:
    """The view of `subject` in `fmt`, called as writer(console, *subject); KeyError for an unknown
    pair. A view that does not draw ignores the console, which may then be None."""
    view = WRITERS[subject][fmt]
    module, name = view.target.split(":")
    function = getattr(import_module(f"{__package__}.{module}"), name)

    def write(console: Console | None, *args: Any) -> str | None:
        if view.draws:
            function(console, *args)
            return None
        return function(*args)

    return write
