"""A depth's model answer as a terminal shows it: its Markdown rendered, a code block without blank padding.

Imported only when a card shows a model answer: markdown-it, which rich's Markdown needs, is not loaded otherwise.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import CodeBlock, Markdown
from rich.syntax import Syntax

from .markup import md_literal_html


class _CodeBlock(CodeBlock):
    """rich's code block without its blank top and bottom lines: beside the blank line Markdown leaves between
    blocks they made two, above and below every code block in the panel."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Syntax(str(self.text).rstrip(), self.lexer_name, theme=self.theme, word_wrap=True, padding=(0, 1))


class _ModelAnswer(Markdown):
    elements = {**Markdown.elements, "fence": _CodeBlock, "code_block": _CodeBlock}


def model_answer(text: str) -> Markdown:
    """The model answer `text` (rubric Markdown; HTML in it shown as written, md_literal_html) to print."""
    return _ModelAnswer(md_literal_html(text))
