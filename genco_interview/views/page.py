"""The one HTML page shell genco writes pages in (the progress report, the interviewer sheet).

A page is self-contained: its stylesheet is inlined, nothing is fetched and nothing runs, so it
opens offline, prints well, and can be mailed as one file. Each page's CSS is a package data
file in views/css/, read once with importlib.resources (so it works from a wheel or a zip).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files


@cache
def stylesheet(name: str) -> str:
    """The CSS of views/css/`name`.css (raises FileNotFoundError for a name that has none)."""
    return files(__package__).joinpath("css", f"{name}.css").read_text(encoding="utf-8")


_HEAD = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="genco">\n'
"""How every page genco writes starts: the generator line tells its pages from others of the same title."""


def html_page(title: str, body: str, style: str) -> str:
    """A whole page as one string. `title` and `body` are HTML already escaped by the caller
    (views/markup.py); `style` names the stylesheet in views/css/."""
    return (f'{_HEAD}<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>\n{stylesheet(style)}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def page_head(title: str) -> re.Pattern[str]:
    """How a page genco wrote with a title matching the regular expression `title` starts: an earlier one is
    replaced by `--out`, a page of the same title written by hand ("Candidates") only with --force."""
    return re.compile(rf"{re.escape(_HEAD)}(?:<meta [^>\n]*>\n)*<title>{title}</title>")
