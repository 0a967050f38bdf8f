"""Reading a typed answer without ever losing it: what `genco practice` and `genco interview` share.

A person types (or writes in $EDITOR) an answer; whatever happens next (Ctrl-C, SIGTERM, a
closed terminal, a model that cannot load, an editor that saved bytes that are not UTF-8) the
text is kept in a draft file and the one-line message says where and how to score it later.
`input_lines`, `on_terminal` and `partial_line` are seams tests replace to type lines and a Ctrl-C.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from .answers import save_draft
from .cli_support import fail
from .interrupts import INTERRUPT_EXIT
from .rubric import Rubric


def interrupted(message: str = "interrupted") -> None:
    """An interrupt ends the command with one line (not an error) and the documented exit code."""
    try:
        click.echo(f"genco: {message}", err=True)
    except OSError:  # the terminal that would show it is gone (SIGHUP)
        pass
    sys.exit(INTERRUPT_EXIT)


def undecodable_at(text: str) -> int | None:
    """Where the first byte that was not UTF-8 sits in `text` (it reached Python as a lone surrogate,
    which can be neither scored nor stored), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def input_lines() -> Iterable[str]:
    """Where typed answers come from, each line ending in a newline; a seam so tests can feed lines and
    a Ctrl-C. At a terminal the lines are read with `input()`, so readline (when Python has it) edits
    them and still holds the unfinished line when Ctrl-C arrives (`partial_line`)."""
    if sys.stdin is None:  # started with standard input closed (`<&-`)
        fail("standard input is closed: there is nowhere to read an answer from")
    if not on_terminal():
        return sys.stdin
    return _terminal_lines()


def _terminal_lines() -> Iterator[str]:
    try:
        import readline  # noqa: F401  (importing it is what makes input() edit lines)
    except ImportError:  # Windows and some minimal builds have no readline
        pass
    while True:
        try:
            yield input() + "\n"
        except EOFError:
            return


def partial_line() -> str:
    """The line being typed when Ctrl-C arrived (Enter not pressed yet), or "" where no readline holds it
    (a pipe, or a Python without readline); a seam tests replace."""
    if not on_terminal():
        return ""
    try:
        import readline
    except ImportError:
        return ""
    return readline.get_line_buffer()


def on_terminal() -> bool:
    """Whether a person can be asked again (a pipe that ended, or a closed input, has nobody behind it)."""
    return sys.stdin is not None and sys.stdin.isatty()


def read_typed_answer(console: Console, question: str, depth: str, separated: bool = False) -> str:
    """The answer's lines, paragraphs kept: on a terminal until two empty lines in a row (one empty line
    is a paragraph break, so a pasted answer is never cut short), from a pipe until its end, or with
    `separated` until two empty lines there too (a mock interview reads several answers from one
    input); Ctrl-C, SIGTERM or a closed terminal keep what was typed as a draft."""
    at_terminal = on_terminal()
    if at_terminal:  # a pipe is read to its end: nobody is there to finish typing
        console.print("[dim]Type your answer. Finish with two empty lines or Ctrl-D "
                      "(one empty line starts a new paragraph).[/dim]")
    lines: list[str] = []
    try:
        for line in input_lines():
            if line.strip():
                lines.append(line.rstrip("\n"))
            elif not lines:
                if at_terminal:
                    console.print("[dim](nothing typed yet: type your answer, then two empty lines to finish)[/dim]")
            elif (at_terminal or separated) and lines[-1] == "":
                break
            else:
                lines.append("")
    except KeyboardInterrupt:
        unfinished = partial_line()
        if unfinished.strip():
            lines.append(unfinished.rstrip("\n"))
        if "".join(lines):
            interrupted("interrupted; " + draft_hint(save_draft("\n".join(lines).strip("\n")), question, depth))
        interrupted()
    return "\n".join(lines).strip("\n")


def read_in_editor(rubric: Rubric, depth: str) -> str:
    """The answer written in $EDITOR, in a draft file of genco's own: if the editor fails or saves
    text that is not UTF-8, the answer is still in that file, and the one-line error says where."""
    header = f"# {rubric.depth(depth).question}\n# Lines starting with '#' are ignored.\n"
    path = save_draft(header)
    try:
        click.edit(filename=str(path))
        text = path.read_bytes().decode("utf-8-sig")
    except click.ClickException as exc:
        fail(f"{exc.format_message()}; {draft_hint(path, rubric.id, depth)}")
    except UnicodeDecodeError as exc:
        fail(f"the editor saved text that is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); "
              f"{draft_hint(path, rubric.id, depth)} once it is saved as UTF-8")
    except ValueError as exc:  # $EDITOR that shlex cannot split, e.g. an unbalanced quote
        fail(f"cannot run your editor ($EDITOR or $VISUAL: {str(exc).lower()}); {draft_hint(path, rubric.id, depth)}")
    path.unlink(missing_ok=True)
    return "\n".join(line for line in text.splitlines() if not line.startswith("# "))


def draft_hint(path: Path, question: str, depth: str) -> str:
    return f"your answer is kept as a draft in {path}; score it with: genco score {question} -d {depth} --answer-file {path}"


@contextmanager
def kept_as_draft(answer: str, question: str, depth: str) -> Iterator[None]:
    """Between typing and the score, an interrupt or a model that failed to load keeps the answer as a draft."""
    from .embedding import ModelError

    try:
        yield
    except KeyboardInterrupt:
        interrupted("interrupted; " + draft_hint(save_draft(answer), question, depth))
    except ModelError as exc:
        fail(f"{exc}; " + draft_hint(save_draft(answer), question, depth))


def ask_until_answered(console: Console, rubric: Rubric, depth: str, editor: bool, separated: bool = False,
                       end_allowed: bool = False) -> str:
    """An empty answer asks again on a terminal; elsewhere there is nobody to ask, so it fails, or with
    `end_allowed` returns "" (piped replies that ran out end a mock interview early)."""
    while True:
        answer = read_in_editor(rubric, depth) if editor else read_typed_answer(console, rubric.id, depth, separated)
        if answer.strip():
            refuse_undecodable(answer, rubric.id, depth)
            return answer
        if end_allowed and not editor and not on_terminal():
            return ""
        if editor or not on_terminal():
            fail("the answer is empty; nothing to score")
        console.print("[yellow]The answer is empty — try again.[/yellow]")


def refuse_undecodable(answer: str, question: str, depth: str) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no model can read: keep the
    answer as typed, byte for byte, and say so in one line."""
    bad = undecodable_at(answer)
    if bad is not None:
        byte = ord(answer[bad]) - 0xDC00
        fail(f"the answer is not UTF-8 text (byte 0x{byte:02x} at character {bad + 1}); "
              f"{draft_hint(save_draft(answer), question, depth)} once it is saved as UTF-8")
