"""Answers and rubric text are data in the Markdown, HTML and terminal text genco writes, never markup."""

from __future__ import annotations

import pytest

from genco_interview.views.markup import html_inline, html_paragraphs, html_text, md_escape, md_line, md_quote
from genco_interview.views.page import html_page, stylesheet


def test_markdown_specials_are_escaped_on_one_line() -> None:
    assert md_escape("a *b* | [c](d)\n<script>#1") == r"a \*b\* \| \[c\](d) \<script\>\#1"


def test_markdown_keeps_dunder_names_readable_as_written() -> None:
    assert md_escape("__exit__ and *args") == r"\_\_exit\_\_ and \*args"


def test_html_escapes_everything_but_code_spans() -> None:
    assert html_inline('<b>"x"</b> & `yield from`') == "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; <code>yield from</code>"


def test_html_code_spans_stay_escaped_inside() -> None:
    assert html_inline("`<script>`") == "<code>&lt;script&gt;</code>"


def test_control_characters_never_reach_either_format() -> None:
    assert md_escape("a\x1b[31mb") == "ab"
    assert html_inline("a\x1b[31mb\u202e") == "ab"


def test_a_quoted_answer_keeps_its_lines_but_none_of_its_markup() -> None:
    assert md_quote("use `yield`\n\n|  a | & *b*\n    indented") == ("> use \\`yield\\`\n>\n> \\| a \\| \\& \\*b\\*\\\n> "
                                                                  "\u00a0\u00a0\u00a0\u00a0indented")


def test_a_quoted_answers_code_keeps_its_indentation_and_never_becomes_a_code_block() -> None:
    """Made one space, "        yield i" under "    for i in range(3):" changed the code a candidate wrote."""
    from markdown_it import MarkdownIt

    assert md_quote("a\rb\u2028c") == "> a\\\n> b\\\n> c"  # an old Mac line break is one, U+2028 too: no empty line
    assert md_quote("if x:\n\u00a0\u00a0\u00a0\u00a0y()") == "> if x:\\\n> " + "\u00a0" * 4 + "y()"  # pasted from a page
    page = MarkdownIt("commonmark").render(md_quote("def gen():\n    for i in range(3):\n\tyield i"))
    assert "<pre>" not in page and "<code>" not in page
    assert "\u00a0" * 4 + "for i in range(3):<br />" in page and "\u00a0" * 4 + "yield i" in page


def test_a_line_that_would_open_a_list_or_a_heading_stays_text() -> None:
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").render(md_quote("- Candidate: yes\n1. first\n2) second\ntext\n---\n+ plus"))
    assert "<ul>" not in page and "<ol>" not in page and "<h2>" not in page and "<hr" not in page
    assert "- Candidate: yes<br />" in page and "1. first" in page and "2) second" in page
    assert md_line("- checked") == "\\- checked" and md_line("12. done") == "12\\. done" and md_line("a - b") == "a - b"


def test_a_quoted_answer_keeps_its_line_breaks_when_rendered() -> None:
    """A Markdown reader joins the lines of a paragraph: a transcript's lines would run into one."""
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").render(md_quote("Interviewer: why?\nCandidate: frames *are* kept\\\n\nlast"))
    assert page == ("<blockquote>\n<p>Interviewer: why?<br />\nCandidate: frames *are* kept\\</p>\n<p>last</p>\n"
                    "</blockquote>\n")


def test_html_text_is_safe_in_an_attribute_too() -> None:
    assert html_text('a "b" <c> & \x1b[0m') == "a &quot;b&quot; &lt;c&gt; &amp; "


@pytest.mark.parametrize("style", ["report", "sheet"])
def test_every_page_shares_one_shell_with_its_own_stylesheet(style: str) -> None:
    page = html_page("T &amp; t", "<p>body</p>", style)
    assert page.startswith("<!DOCTYPE html>\n") and "<title>T &amp; t</title>" in page
    assert f"<style>\n{stylesheet(style)}</style>" in page and "@media print" in stylesheet(style)
    assert page.endswith("<p>body</p>\n</body>\n</html>\n")


def test_a_page_without_a_stylesheet_is_a_bug_not_a_blank_page() -> None:
    with pytest.raises(FileNotFoundError):
        html_page("t", "", "no-such-style")


def test_angle_brackets_outside_code_stay_text_in_markdown() -> None:
    from genco_interview.views.markup import md_literal_html

    assert md_literal_html("An Iterator<Integer> and `List<T>`") == "An Iterator\\<Integer> and `List<T>`"
    assert md_literal_html("```\na<b\n```") == "```\na<b\n```"
    # no live link nor image a viewer would fetch; in code, as written
    assert md_literal_html("See [x](javascript:alert(4)) and ![i](http://e.example/x.png), `a[0]`") == \
        "See \\[x](javascript:alert(4)) and !\\[i](http://e.example/x.png), `a[0]`"


def test_dunder_names_outside_code_keep_their_underscores_in_the_terminal() -> None:
    from rich.console import Console

    from genco_interview.views.model_answer import model_answer

    text = ("A coroutine has __await__ but no __iter__; call_soon and `__aiter__` and ``a_b`` too.\n\n"
            "```\nx.__next__()\n```\n\n~~~\nmy_box.__len__()\n~~~\n\n    def __len__(self): return self._size\n")
    console = Console(width=100, record=True, color_system=None)
    console.print(model_answer(text))  # as a card prints it
    shown = console.export_text()
    assert "__await__ but no __iter__; call_soon and __aiter__ and a_b too." in shown
    for code in ("x.__next__()", "my_box.__len__()", "def __len__(self): return self._size"):
        assert code in shown
    assert "\\_" not in shown


def test_a_code_block_of_a_model_answer_sits_one_blank_line_from_its_prose() -> None:
    """rich padded every code block with a blank line above and below, beside the one between blocks: two."""
    from rich.console import Console

    from genco_interview.views.model_answer import model_answer

    console = Console(width=80, record=True, color_system=None)
    console.print(model_answer("Same machinery.\n\n```python\ndef gen():\n    yield 1\n```\n\nThen await."))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert lines == ["Same machinery.", "", " def gen():", "     yield 1", "", "Then await."], lines


def test_a_fenced_block_in_rubric_prose_keeps_its_lines_and_indentation() -> None:
    text = "Same machinery.\n\n```python\ndef gen():\n    yield 1  # <one>\n```\nThen `await`.\n\n~~~\na\n~~~"
    assert html_paragraphs(text) == (
        '<p>Same machinery.</p><pre class="code"><code>def gen():\n    yield 1  # &lt;one&gt;</code></pre>'
        '<p>Then <code>await</code>.</p><pre class="code"><code>a</code></pre>')


def test_html_paragraphs_flow_the_lines_and_keep_blank_line_paragraphs() -> None:
    text = "A `yield`\nwraps here.\n\n  <b>Second</b>\n"
    assert html_paragraphs(text) == "<p>A <code>yield</code> wraps here.</p><p>&lt;b&gt;Second&lt;/b&gt;</p>"
    assert html_paragraphs("\n \n") == ""


RICH_MARKUP = "[/] closes nothing; d[key] vs s[i]; [link=https://evil.example/x]x[/link] :snake:"
"""Text that rich's console markup and emoji codes would read: a traceback ("[/]"), lost brackets, a hidden link."""


def test_the_terminal_console_prints_markup_and_emoji_codes_as_written() -> None:
    import io

    from genco_interview.views.console import SafeConsole

    out = io.StringIO()
    SafeConsole(file=out, force_terminal=True, width=200, highlight=False).print(RICH_MARKUP)
    assert RICH_MARKUP in out.getvalue() and "\x1b]8" not in out.getvalue()


def test_a_rubrics_and_a_historys_text_is_printed_as_written(tmp_path, home) -> None:
    """A concept named with "[/]" made `genco report` a traceback, whatever the rubrics on the search path
    since (the name is kept in the history); a description with "d[key]" lost its brackets on the sheet."""
    from dataclasses import replace
    from pathlib import Path

    from cli_helpers import flat
    from cli_helpers import invoke as run

    from genco_interview.progress.store import open_history
    from genco_interview.rubric import find

    from history_helpers import make_attempt

    shipped = Path(find("coroutine-vs-generator").path).read_text(encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text(shipped.replace("id: coroutine-vs-generator", "id: mine").replace("calibration:", "# calibration:")
                    .replace("name: Who drives it", f"name: '{RICH_MARKUP}'"), encoding="utf-8")
    sheet = run("rubric", "show", str(mine), env={"COLUMNS": "300"})
    assert sheet.exit_code == 0 and RICH_MARKUP in sheet.stdout, sheet.output
    attempt = make_attempt(0)
    with open_history() as store:
        store.add([replace(attempt, concepts=[{**attempt.concepts[0], "name": RICH_MARKUP}, *attempt.concepts[1:]])])
    report = run("report", env={"COLUMNS": "300"})
    assert report.exit_code == 0 and RICH_MARKUP in flat(report.stdout), report.output


def test_an_ascii_terminal_gets_one_ascii_character_for_each_symbol() -> None:
    """LC_ALL=C without UTF-8: "\\u2717" stood for ✗ and "\\u2026" for …, six columns for one; a typed é
    was "\\xe9"."""
    import io

    from rich.table import Table

    from genco_interview.views.console import SafeConsole

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace")
    table = Table(box=None, show_header=False)
    table.add_row("✗", "missing — “the loop”", "a · b…")
    table.add_row("✓", "covered", "x")
    table.add_row("~", "café", "x")
    SafeConsole(file=out, width=60, highlight=False).print(table)
    out.flush()
    lines = raw.getvalue().decode("ascii").splitlines()
    assert lines[0].split() == ["x", "missing", "-", '"the', 'loop"', "a", "|", "b~"] and "\\" not in lines[0]
    assert lines[0].index("a |") == lines[1].index("x") == lines[2].index("x")  # the columns still line up
    assert "caf?" in lines[2]


def test_a_concept_named_by_its_descriptions_first_words_is_listed_once() -> None:
    """`rubric from-answer` names a key point by its first six words: "What to add" read "A decorator is a
    callable that …: A decorator is a callable that takes a function ..."."""
    from genco_interview.rubric.reference import point_name
    from genco_interview.views.markup import named_and_described

    point = "A decorator is a callable that takes a function and returns a replacement function."
    assert named_and_described(point_name(point), point) == (point, "")
    assert named_and_described(point_name("Values are lazy."), "Values are lazy.") == ("Values are lazy.", "")
    assert named_and_described("Lazy", "Lazy values are made on demand.") == ("Lazy", "Lazy values are made on demand.")


def test_what_to_add_says_when_a_concept_was_said_in_part_or_read_as_denied() -> None:
    """A partial concept's bullet repeated the learner's own point back as though it had never been made."""
    from genco_interview.views.markup import why_to_add

    assert why_to_add("partial") == " (said in part: say it fully)"
    assert why_to_add("contradicted") == " (read as denied: say it as it is)"
    assert why_to_add("missing") == ""
    assert why_to_add("partial", candidate=True) == " (said in part)"  # the interviewer reads it: no advice
    assert why_to_add("contradicted", candidate=True) == " (read as denied)"
