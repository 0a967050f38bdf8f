"""The README and the docs stay true and short: the command table is `genco --help`'s, the README
fits in 300 lines, links between the pages resolve, and no page talks about how the project was
developed. Fast and free of the model: only the click command tree is imported."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted([README, ROOT / "CHANGELOG.md", ROOT / "data" / "README.md", *(ROOT / "docs").glob("*.md")])
MAX_README_LINES = 300


def _generator():
    spec = importlib.util.spec_from_file_location("readme_commands", ROOT / "scripts" / "readme_commands.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_command_table_is_what_genco_help_says():
    generator = _generator()
    assert generator.current_table(README.read_text(encoding="utf-8")) == generator.table(), (
        "README.md's command table differs from genco's help: run python scripts/readme_commands.py")


def test_the_command_table_lists_every_command_and_subcommand():
    rows = dict(_generator().command_rows())
    for command in ("genco practice [QUESTION]", "genco score [QUESTION]", "genco rubric show [QUESTION]",
                    "genco history export FILE", "genco model info"):
        assert command in rows
    assert all(summary and "\n" not in summary for summary in rows.values())


def test_the_readme_is_at_most_300_lines():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; move detail to docs/"


def test_the_readme_keeps_the_make_commands():
    text = README.read_text(encoding="utf-8")
    for needed in ("make run", "make test", "pip install", "pipx install", "Chromium"):
        assert needed in text


PROCESS_WORDS = {
    "an issue number": r"\bissues?\s*#?\s*\d",
    "an issue's number": r"\bissue\s+\d+'s\b",
    "a ticket or pull request": r"\b(?:ticket|pull request|PR)\s*#?\s*\d",
    "acceptance": r"\bacceptance\b",
    "branches being merged": r"\bbranch(?:es)?\b[^.\n]{0,40}\bmerged?\b",
    "a worktree": r"\bworktrees?\b",
    "a working session": r"(?<!practice )\bsessions?\b",
    "a path outside the repository": r"(?<![\w.])\.\./|(?<!\w)/work/",
}


def _without_links_inside_the_repository(page: Path, text: str) -> str:
    """A link from docs/ to ../README.md is a path inside the repository; any other `../` is not."""
    def keep_outside(match: re.Match[str]) -> str:
        target = (page.parent / match.group(1).partition("#")[0]).resolve()
        return "](.)" if target.is_relative_to(ROOT) else match.group(0)

    return re.sub(r"\]\((\.\./[^)\s]*)\)", keep_outside, text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_talks_about_how_the_project_was_developed(page: Path):
    text = _without_links_inside_the_repository(page, page.read_text(encoding="utf-8"))
    found = [f"{what}: {match.group(0)!r} on line {text.count(chr(10), 0, match.start()) + 1}"
             for what, pattern in PROCESS_WORDS.items()
             for match in re.finditer(pattern, text, re.IGNORECASE)]
    assert not found, found


def test_the_process_word_check_catches_what_it_should():
    caught = ["as issue 4 asked", "Issue 3's targets", "the acceptance check", "after all branches were merged",
              "in this session", "see ../shared/graded", "/work/shared/seeds"]
    fine = ["a short practice session", "onnxruntime.InferenceSession", "merge the two concepts", "issues a warning"]
    for text in caught:
        assert any(re.search(p, text, re.IGNORECASE) for p in PROCESS_WORDS.values()), text
    for text in fine:
        assert not any(re.search(p, text, re.IGNORECASE) for p in PROCESS_WORDS.values()), text
    docs_page = ROOT / "docs" / "scoring.md"
    assert _without_links_inside_the_repository(docs_page, "see [it](../README.md#known-limits)") == "see [it](.)"
    assert "../" in _without_links_inside_the_repository(docs_page, "see [it](../../shared/graded)")


_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes."""
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", _FENCE.sub("", page.read_text(encoding="utf-8")), re.MULTILINE):
        slug = "".join(c for c in heading.lower() if c in " -_" or unicodedata.category(c)[0] in "LN")
        anchors.add(slug.replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path):
    broken = []
    for target in _LINK.findall(_FENCE.sub("", page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # a web address or mailto: not checked here
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(target)
    assert not broken, broken


def test_every_doc_is_reachable_from_the_readme():
    linked = {(README.parent / target.partition("#")[0]).resolve()
              for target in _LINK.findall(README.read_text(encoding="utf-8"))}
    for page in (ROOT / "docs").glob("*.md"):
        assert page.resolve() in linked, f"{page.name} is not linked from README.md"


def test_the_documented_mark_cuts_are_the_shipped_ones():
    """docs/rubric-format.md said "covered from 55 %, partial from 32.5 %" long after the fitted cuts moved
    to 62.5 % and 47.5 %: a card's "missing 47 %" read as a contradiction of the page."""
    from genco_interview.scoring.combination import shipped_combination

    shipped = shipped_combination()
    page = " ".join((ROOT / "docs" / "rubric-format.md").read_text(encoding="utf-8").split())
    expected = f"covered from {shipped.covered * 50:g} %, partial from {shipped.partial * 50:g} %"
    assert expected in page

