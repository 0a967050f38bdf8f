"""The one HTML page shell genco writes pages in (the progress report, the interviewer sheet).

A page is self-contained: its stylesheet is inlined, nothing is fetched and nothing runs, so it
opens offline, prints well, and can be mailed as one file. Each page's CSS is a package data
file in views/css/, read once with importlib.resources (so it works from a wheel or a zip).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def stylesheet(name: str) -> str:
    """The CSS of views/css/`name`.css (raises FileNotFoundError for a name that has none)."""
    return files(__package__).joinpath("css", f"{name}.css").read_text(encoding="utf-8")


def html_page(title: str, body: str, style: str) -> str:
    """A whole page as one string. `title` and `body` are HTML already escaped by the caller
    (views/markup.py); `style` names the stylesheet in views/css/."""
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>\n{stylesheet(style)}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
