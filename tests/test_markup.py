"""Answers and rubric text are data in the Markdown and HTML genco writes, never markup."""

from __future__ import annotations

from genco_interview.views.markup import html_inline, md_escape


def test_markdown_specials_are_escaped_on_one_line() -> None:
    assert md_escape("a *b* | [c](d)\n<script>#1") == r"a \*b\* \| \[c\](d) \<script\>\#1"


def test_markdown_keeps_dunder_names_readable_as_written() -> None:
    assert md_escape("__exit__ and *args") == r"\_\_exit\_\_ and \*args"


def test_html_escapes_everything_but_code_spans() -> None:
    assert html_inline('<b>"x"</b> & `yield from`') == "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; <code>yield from</code>"


def test_html_code_spans_stay_escaped_inside() -> None:
    assert html_inline("`<script>`") == "<code>&lt;script&gt;</code>"


def test_control_characters_never_reach_either_format() -> None:
    assert md_escape("a\x1b[31mb") == "a\\[31mb"
    assert html_inline("a\x1b[31mb\u202e") == "a[31mb"
