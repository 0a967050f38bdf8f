"""The rubric guides genco ships (docs/rubrics.md and docs/rubric-format.md), for `genco rubric guide`.

An interviewer who installed genco with pip has no docs folder: the skeleton `genco rubric new`
writes and the warnings of `genco rubric validate` point to these two pages, so they travel in the
package (the wheel maps docs/ to genco_interview.docs, as it maps rubrics/ to genco_interview.rubrics).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

GUIDES = {"writing": "rubrics.md", "fields": "rubric-format.md"}
"""Guide name -> its file: how to write a rubric that scores well, and every field with its default."""


def guide_text(name: str) -> str:
    """The guide's Markdown. Raises KeyError for a name not in GUIDES, OSError when the file is missing
    (a broken install)."""
    file = GUIDES[name]
    try:
        return (resources.files("genco_interview.docs") / file).read_text(encoding="utf-8")
    except ModuleNotFoundError:  # a source tree without the wheel's mapping: docs/ beside the package
        return (Path(__file__).resolve().parents[1] / "docs" / file).read_text(encoding="utf-8")
