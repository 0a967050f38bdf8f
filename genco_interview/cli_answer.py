"""Reading a typed answer without ever losing it: what `genco practice` and `genco interview` share.

A person types (or writes in $EDITOR) an answer; whatever happens next (Ctrl-C, SIGTERM, a
closed terminal, a model that cannot load, an editor that saved bytes that are not UTF-8) the
text is kept in a draft file and the one-line message says where and how to score it later.
`input_lines`, `on_terminal` and `partial_line` are seams tests replace to type lines and a Ctrl-C.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, NoReturn, TextIO

import click

from .answers import (
    ANSWER_LIMIT,
    DatabaseInput,
    DraftHistory,
    InputError,
    decode_text,
    draft_history,
    note_draft_history,
    nothing_to_score,
    only_points_to_a_page,
    read_text,
    save_draft,
    wide_text,
)
from .answers import FILE_LIMIT as DRAFT_LIMIT
from .app.questions import rubric_path
from .cli_support import fail, say_error
from .errors import GencoError, line_and_column
from .interrupts import INTERRUPT_EXIT, held, woken_reads
from .output import one_line, shell_join
from .rubric import Rubric

if TYPE_CHECKING:
    from rich.console import Console

PASTE_GAP_SECONDS = 0.05
"""How long after two empty lines genco looks for more input already on its way: a paste arrives
faster than that (its lines are all in the terminal's buffer), a person never types that fast."""
END_OF_ANSWER = "\x04"
"""What Ctrl-D pressed after text on a line leaves at the line's end (readline is bound to insert it
and press Enter): that line is the answer's last."""


def say_interrupted(message: str = "interrupted") -> int:
    """The one line an interrupt ends a command with (not an error; a name typed with a line break,
    such as a candidate's, stays on it); returns the documented exit code."""
    try:
        _show_cursor()
        click.echo(one_line(f"genco: {message}"), err=True)
    except OSError:  # the terminal that would show it is gone (SIGHUP)
        pass
    return INTERRUPT_EXIT


SHOW_CURSOR = "\x1b[?25h"
"""The terminal sequence that shows the cursor again (DECTCEM)."""


def _show_cursor() -> None:
    """The cursor shown on each terminal genco writes to: a progress display hides it while it runs, and
    an interrupt just as one starts (before it can clean up) left the shell without a cursor."""
    for stream in (sys.stdout, sys.stderr):
        if stream.isatty():
            stream.write(SHOW_CURSOR)
            stream.flush()


def interrupted(message: str = "interrupted") -> NoReturn:
    """An interrupt ends the command with one line (say_interrupted) and the documented exit code."""
    sys.exit(say_interrupted(message))


def typed_as_utf8(text: str) -> str:
    """Text a terminal gave in a locale that is not UTF-8 (LC_ALL=C: bytes past ASCII reach Python as lone
    surrogates) read as the UTF-8 it is, as a piped answer is: a typed "Café" was refused as not UTF-8.
    Bytes that are not UTF-8 stay as they came, for refuse_undecodable to name."""
    if undecodable_at(text) is None or sys.stdin is None:
        return text
    try:
        return text.encode(sys.stdin.encoding or "utf-8", "surrogateescape").decode("utf-8")
    except (UnicodeError, LookupError):
        return text


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
        return _piped_lines()
    return _terminal_lines()


class _Piped:
    """Standard input read as its bytes arrive, split into lines here rather than by readline, so that
    a line still unfinished when an interrupt arrives (`pending`) is known and kept, as a terminal's
    is. One per stdin: a mock interview reads several answers from it."""

    def __init__(self, stdin: TextIO) -> None:
        buffer = getattr(stdin, "buffer", None)
        self.read: Callable[[int], bytes | str] = (getattr(buffer, "read1", None) or buffer.read) \
            if buffer is not None else stdin.read
        self.decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")  # as a C locale reads bytes
        self.pending = ""  # read, and given out up to `start`
        self.start = 0
        self.ended = False
        self.begun = False

    def _more(self) -> None:
        chunk = self.read(64 * 1024)
        if not chunk:
            self.ended = True
        text = chunk if isinstance(chunk, str) else self.decoder.decode(chunk, final=not chunk)
        if not self.begun and text:  # a byte order mark (Windows tools) is not part of the answer, as in a file
            self.begun, text = True, text.removeprefix("\ufeff")
        self.pending, self.start = self.pending[self.start:] + text, 0

    def lines(self) -> Iterator[str]:
        """Lines, each in pieces of at most ANSWER_LIMIT + 1 characters: /dev/zero has no line end, and a
        line read whole would fill memory before its length could be checked."""
        while True:
            end = self.pending.find("\n", self.start, self.start + ANSWER_LIMIT + 1)
            left = len(self.pending) - self.start
            if end >= 0:
                size = end + 1 - self.start
            elif left > ANSWER_LIMIT or self.ended:
                size = min(left, ANSWER_LIMIT + 1)
                if not size:
                    return
            else:
                self._more()
                continue
            line = self.pending[self.start:self.start + size]
            self.start += size
            yield line

    def pieces(self) -> Iterator[str]:
        """All that is left, in pieces of at most 1 MB."""
        while True:
            if self.start == len(self.pending):
                if self.ended:
                    return
                self._more()
                continue
            piece = self.pending[self.start:self.start + 1024 * 1024]
            self.start += len(piece)
            yield piece

    def take_unfinished(self) -> str:
        """What was read past the last line given out, given out now (so it is kept once)."""
        held = self.decoder.decode(b"", final=True)  # the start of a character cut off by the interrupt
        unfinished, self.pending, self.start = self.pending[self.start:] + held, "", 0
        return unfinished


_piped: tuple[TextIO, _Piped] | None = None


def _piped_input() -> _Piped:
    """The reader of the current standard input (a new one when stdin was replaced)."""
    global _piped
    if _piped is None or _piped[0] is not sys.stdin:
        _piped = (sys.stdin, _Piped(sys.stdin))
    return _piped[1]


def _piped_lines() -> Iterator[str]:
    """A pipe's lines (`_Piped.lines`)."""
    return _piped_input().lines()


def _terminal_lines() -> Iterator[str]:
    """Lines typed at the terminal until Ctrl-D: on an empty line, or after text, which ends the
    answer with that line in it (readline alone would ignore a Ctrl-D there)."""
    silent_on_empty = _edit_lines()
    with woken_reads():  # a signal landing while readline handles a typed character must not wait for the next key
        while True:
            try:
                with _shown_on_the_terminal():
                    line = input()
                    if not line and silent_on_empty:
                        _echo_line_end()
            except EOFError:
                return
            if line.endswith(END_OF_ANSWER):
                yield line.removesuffix(END_OF_ANSWER) + "\n"
                return
            yield line + "\n"


def _edit_lines() -> bool:
    """Import readline (importing it is what makes input() edit lines) and bind Ctrl-D after text to
    go to the line's end, insert END_OF_ANSWER and press Enter. Without readline (Windows, some
    minimal builds) input() reads plain lines; libedit (macOS) reads another binding syntax and keeps
    its own Ctrl-D.

    Returns whether GNU readline reads the lines: with no prompt it shows no line end for an empty
    line (its cursor never left the first column), so the paragraph break a learner types would not
    move the cursor, and a second Enter, pressed to see something happen, would end the answer."""
    try:
        import readline
    except ImportError:
        return False
    if "libedit" in (readline.__doc__ or ""):
        return False
    readline.parse_and_bind(r'"\C-d": "\C-e\C-v\C-d\n"')
    return True


@contextmanager
def _shown_on_the_terminal() -> Iterator[None]:
    """Standard output on the terminal while a line is typed, when it goes elsewhere (`genco practice |
    tee log`). Python's input() edits a line with readline only when both stdin and stdout are the
    terminal; otherwise the terminal's driver holds the line unfinished until Enter, so Ctrl-C lost it
    (no draft kept it) and Ctrl-D after text did not end the answer. What is typed is shown where it is
    typed, as readline shows it, not written into the output; the output is flushed first and put back
    after. Nothing changes where stdout is the terminal, or where no terminal can be opened."""
    stdout = sys.stdout
    try:
        redirected = os.name == "posix" and stdout is not None and stdout.fileno() == 1 and not os.isatty(1)
    except (OSError, ValueError):  # a stdout with no descriptor, or a closed one
        redirected = False
    terminal = _open_terminal() if redirected else None
    if terminal is None:
        yield
        return
    with suppress(OSError):
        stdout.flush()
    kept = os.dup(1)
    os.dup2(terminal, 1)
    os.close(terminal)
    try:
        yield
    finally:
        with suppress(OSError):
            stdout.flush()
        os.dup2(kept, 1)
        os.close(kept)


def _open_terminal() -> int | None:
    """A descriptor writing to the controlling terminal, or None when there is none."""
    try:
        return os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        return None


def _echo_line_end() -> None:
    """Show the line end GNU readline leaves out after an empty line (_edit_lines)."""
    sys.stdout.write("\n")
    sys.stdout.flush()


def more_waiting() -> bool:
    """Whether more input is already waiting on the terminal (a paste still arriving), looked for
    during PASTE_GAP_SECONDS. select cannot watch a Windows console, so there it is always False:
    two empty lines finish the answer as they always did."""
    if os.name != "posix":
        return False
    import select

    try:
        ready, _, _ = select.select([sys.stdin], [], [], PASTE_GAP_SECONDS)
    except (OSError, ValueError):  # a terminal that is gone, a closed stdin
        return False
    return bool(ready)


def partial_line() -> str:
    """The line being typed when Ctrl-C arrived (Enter not pressed yet), or "" where no readline holds it
    (a Python without readline); a seam tests replace. Asked only when the answer came from a terminal,
    which may be gone by now (a closed window), so readline is asked whatever stdin has become."""
    readline = sys.modules.get("readline")  # imported by _edit_lines when the terminal was read
    return readline.get_line_buffer() if readline is not None else ""


def _unfinished_piped_line() -> str:
    """The piped text read since the last line end when an interrupt arrived (its writer had not ended
    the line yet), taken so it is kept once."""
    if _piped is None or _piped[0] is not sys.stdin:
        return ""
    return _piped[1].take_unfinished()


def utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8, the unit of ANSWER_LIMIT (an answer file is measured in bytes): "€" is
    three, and a byte that was not UTF-8 (kept as a lone surrogate) one."""
    return len(text.encode("utf-8", "surrogateescape"))


def piped_in() -> bool:
    """Whether stdin is a pipe or file that may hold an answer (not a terminal, and not closed: `<&-`)."""
    return sys.stdin is not None and not sys.stdin.isatty()


def on_terminal() -> bool:
    """Whether a person can be asked again (a pipe that ended, or a closed input, has nobody behind it)."""
    return sys.stdin is not None and sys.stdin.isatty()


def read_typed_answer(console: Console, question: str, depth: str, separated: bool = False, so_far: str = "",
                      shown: bool = True) -> str:
    """The answer's lines, paragraphs kept: on a terminal until two empty lines in a row (one empty line
    is a paragraph break, two with more input already waiting are part of a paste, so a pasted answer
    is taken whole, and after indented code or inside an open fence it takes CODE_BLANKS) or Ctrl-D,
    from a pipe until its end, or with `separated` until two empty lines there too (a mock interview
    reads several answers from one input). Ctrl-C, SIGTERM, SIGHUP or a terminal that went away (its
    input ends, and it is no longer a terminal) keep what was typed as a draft and exit 130. `so_far`
    is what the answer goes on from (a draft taken up, `shown` first, or a line typed before the prompt:
    go_on_with_draft): its lines are the answer's first."""
    from rich.text import Text

    at_terminal = on_terminal()
    if so_far and shown:
        console.print(Text("Your draft so far:", style="dim"))
        console.print(Text(so_far))
    if at_terminal:  # a pipe is read to its end: nobody is there to finish typing
        console.print(Text("Go on typing. Finish with two empty lines or Ctrl-D." if so_far else
                           "Type your answer. Finish with two empty lines or Ctrl-D "
                           "(one empty line starts a new paragraph).", style="dim"))
    lines: list[str] = so_far.split("\n") if so_far else []
    size = utf8_size(so_far)
    hinted = False
    try:
        typed = iter(input_lines())
        for line in typed:
            size += utf8_size(line)
            if size > ANSWER_LIMIT:
                ends_at_blanks = at_terminal or separated  # a pipe's one answer is all of it
                _too_long("\n".join([*lines, line.rstrip("\n")]), question, depth,
                          _rest_of_answer(typed, at_terminal, ends_at_blanks, line))
            if line.strip():
                lines.append(line.rstrip("\r\n"))
            elif not lines:
                if at_terminal and not hinted:  # once: each further empty line would repeat it
                    hinted = True
                    console.print(Text("(nothing typed yet: type your answer, then two empty lines to finish; "
                                       "Ctrl-C quits)", style="dim"))
            elif (at_terminal or separated) and lines[-1] == "" and not (at_terminal and more_waiting()):
                going_on = _code_going_on(lines) if at_terminal else None
                if going_on is None or _trailing_blanks(lines) + 1 >= CODE_BLANKS:
                    break
                console.print(Text(f"({going_on}, a third empty line finishes the answer)", style="dim"))
                lines.append("")
            else:
                lines.append("")
        else:
            if at_terminal and not on_terminal():  # the window closed or the connection dropped
                raise KeyboardInterrupt
        return typed_as_utf8("\n".join(lines).strip("\n"))
    except KeyboardInterrupt:
        _keep_what_was_typed(lines, at_terminal, question, depth)


CODE_BLANKS = 3
"""Empty lines in a row that finish an answer typed at a terminal after indented code or inside an open
code fence (_code_going_on; two elsewhere): PEP 8 puts two between functions, and a learner typing
code ended the answer there, the rest of it reaching the shell as commands once genco exited."""


def _code_going_on(lines: list[str]) -> str | None:
    """Why the answer's lines (empty ones as "") may go on after empty lines: "inside an open code fence",
    "after indented code", or None."""
    if _open_fence(lines):
        return "inside an open code fence"
    last = next((line for line in reversed(lines) if line), "")
    return "after indented code" if last[:1].isspace() else None


_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
"""A code fence line (CommonMark): three or more backticks or tildes, up to three spaces in."""


def _open_fence(lines: list[str]) -> bool:
    """Whether a fence opened in `lines` is still open: it closes at a fence of its own character, at least
    as long, with nothing after it; a backtick fence's info string holds no backtick (so "```yield```"
    at a line's start is inline code, not a fence)."""
    opened: str | None = None
    for line in lines:
        match = _FENCE.match(line.rstrip())
        if match is None:
            continue
        fence, info = match.group("fence"), match.group("info")
        if opened is None:
            if not (fence[0] == "`" and "`" in info):
                opened = fence
        elif fence[0] == opened[0] and len(fence) >= len(opened) and not info.strip():
            opened = None
    return opened is not None


def _trailing_blanks(lines: list[str]) -> int:
    """The empty lines that end `lines`."""
    count = 0
    while count < len(lines) and not lines[-1 - count]:
        count += 1
    return count


def _keep_what_was_typed(lines: list[str], at_terminal: bool, question: str, depth: str) -> NoReturn:
    """After an interrupt: the lines read (and, at a terminal, the one being typed) kept as a draft
    with the command that scores it, then exit 130."""
    unfinished = partial_line() if at_terminal else _unfinished_piped_line()
    if unfinished and at_terminal:  # the cursor is still on that line: the message starts on a line of its own
        with suppress(OSError):
            click.echo("", err=True)
    with held():  # the SIGHUP that follows a closed terminal's end of input must not cut this short
        typed = "\n".join([*lines, unfinished.rstrip("\n")] if unfinished.strip() else lines).strip("\n")
        if typed:
            interrupted("interrupted; " + kept_hint(typed, question, depth))
        interrupted()


def _rest_of_answer(typed: Iterator[str], at_terminal: bool, ends_at_blanks: bool, last: str) -> Iterator[str]:
    """What follows the line that passed ANSWER_LIMIT, up to where the answer would have ended: the
    end of the input, or (at a terminal, or between a mock interview's answers) two empty lines with
    nothing more on its way, or Ctrl-D. A pipe read to its end is read in pieces of 1 MB, whatever
    its lines; a Ctrl-C ends it there, what was read kept."""
    if last.endswith("\n"):  # the draft so far ends without that line's end
        yield "\n"
    blank = not last.strip()
    try:
        if not ends_at_blanks and not at_terminal and sys.stdin is not None:
            yield from _piped_input().pieces()
            return
        for line in typed:
            yield line
            if not ends_at_blanks:
                continue
            if line.strip():
                blank = False
            elif blank and not (at_terminal and more_waiting()):
                return
            else:
                blank = True
    except KeyboardInterrupt:
        return


class _Capped:
    """Text pieces as UTF-8 bytes (bytes that were not UTF-8 as they came), stopped once `limit` bytes
    are passed, `cut` then True; a draft is never larger than the largest file genco reads."""

    def __init__(self, pieces: Iterable[str], used: int) -> None:
        self.pieces, self.left, self.cut = pieces, DRAFT_LIMIT - used, False

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            data = piece.encode("utf-8", "surrogateescape")
            if len(data) > self.left:
                self.cut = True
                yield data[:max(self.left, 0)]
                return
            self.left -= len(data)
            yield data


def _too_long(typed: str, question: str, depth: str, rest: Iterable[str] = ()) -> NoReturn:
    """An answer past the size genco reads: it is kept whole as a draft, and the one-line error says so
    (exit 1), instead of reading on until memory runs out (_too_long_line)."""
    fail(_too_long_line(typed, question, depth, rest))


def _too_long_line(typed: str, question: str, depth: str, rest: Iterable[str] = ()) -> str:
    """The error of an answer past the size genco reads, once it is kept as a draft: what was read, then `rest`,
    the remaining input up to where the answer ends, or the rest of an editor's file, written as it is read, up
    to DRAFT_LIMIT."""
    return f"the answer is longer than {ANSWER_LIMIT // (1024 * 1024)} MB, the most genco reads; " + \
        _kept_with_rest(typed, question, depth, rest)


def _kept_with_rest(text: str, question: str, depth: str, rest: Iterable[str]) -> str:
    """`text` and then `rest` kept as a draft, up to DRAFT_LIMIT (kept_hint): where it is, and that it was cut."""
    more = _Capped(rest, utf8_size(text))
    hint = kept_hint(text, question, depth, more)
    return hint + (f" (the draft holds its first {DRAFT_LIMIT // (1024 * 1024)} MB; the rest was not read)"
                   if more.cut else "")


def _fail_holding(line: Callable[[], str]) -> NoReturn:
    """fail() with its line made while interrupts are held (a draft being kept, which an interrupt would cut
    short): an interrupt meanwhile ends the command once the line is out (exit 130), and is not dropped."""
    with held():
        say_error(line())
    sys.exit(1)


def read_in_editor(rubric: Rubric, depth: str, asked: str | None = None, so_far: str = "") -> str:
    """The answer written in $EDITOR, in a draft file of genco's own. The file starts with the
    template's lines (what is asked: `asked`, else the depth's question; how to write), then `so_far`
    (a draft the answer goes on from); the template's lines, and only those, are dropped, so a code
    answer keeps its own '#' comments. If the editor fails or
    is interrupted, what was written (without the template) is kept as a draft, and the one line says
    where; when nothing was written there is no draft to keep, and the line says only what happened."""
    for name in ("VISUAL", "EDITOR"):  # set but blank: click would run the draft file itself as the editor
        if name in os.environ and not os.environ[name].strip():
            del os.environ[name]
    if not (os.environ.get("VISUAL") or os.environ.get("EDITOR")) and not on_terminal():
        fail("--editor opens the system's default editor, which needs a terminal: set $EDITOR, "
             "or pipe the answer in without --editor")
    template = _editor_template(asked or rubric.depth(depth).question)  # a full-screen editor hides the terminal
    path = save_draft("\n".join(template) + "\n\n" + (f"{so_far}\n" if so_far else ""))
    problem, stopped = None, False
    try:
        click.edit(filename=str(path))
    except click.ClickException as exc:
        problem = _editor_failure(exc.format_message())
    except ValueError as exc:  # $EDITOR that shlex cannot split, e.g. an unbalanced quote
        problem = f"cannot run your editor ($EDITOR or $VISUAL: {str(exc).lower()})"
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM while the editor is open: keep what it saved so far
        stopped = True
    written = _Written("", None, None)
    try:
        with held():  # the editor's file is gone once read: an interrupt meanwhile must not lose what it held
            written = _take_written(path, template)
    except KeyboardInterrupt:
        stopped = True
    if stopped:
        with held():  # a second interrupt must not cut the draft short
            interrupted("interrupted" + _kept_if_written(written, rubric.id, depth))
    if problem or written.problem:
        _fail_holding(lambda: (problem or written.problem) + _kept_if_written(written, rubric.id, depth))
    if written.rest is not None or utf8_size(written.answer) > ANSWER_LIMIT:
        _fail_holding(lambda: _too_long_line(written.draft, rubric.id, depth, written.rest or ()))
    return written.answer  # bytes that are not UTF-8 stay as lone surrogates, for refuse_undecodable


def _kept_if_written(written: _Written, question: str, depth: str) -> str:
    """"; your answer is kept as a draft in ..." when something was written (with the rest of a file past
    what an answer holds, streamed into the draft up to DRAFT_LIMIT), else nothing: a blank editor file is
    no draft."""
    if not written.text.strip() and written.rest is None:
        return ""
    return f"; {_kept_with_rest(written.draft, question, depth, written.rest or ())}"


class _Written(NamedTuple):
    """What the editor left in genco's file: `text` without the template's lines (line ends as written);
    `problem`, why nothing could be read (None when the file was read); `rest`, for a file longer than an
    answer may be, its text past what was read, read only as the caller takes it (None: read whole)."""

    text: str
    problem: str | None
    rest: Iterator[str] | None

    @property
    def answer(self) -> str:
        """The text as an answer: one line break a line (CRLF read as LF), no empty lines around it."""
        return "\n".join(self.text.splitlines()).strip("\n")

    @property
    def draft(self) -> str:
        """What a draft keeps: the answer, or for a file past what an answer holds, its first part byte for byte
        (without the template lines and the empty lines after them), so that the rest follows it unchanged."""
        return self.answer if self.rest is None else self.text.lstrip("\r\n")


def _take_written(path: Path, template: tuple[str, ...]) -> _Written:
    """What the editor left in genco's file (_Written), the file removed. Past ANSWER_LIMIT bytes (and the
    template's), the rest is streamed into a draft, not read whole into memory (a 1.5 GB file took 4.7 GB);
    why nothing could be read, if the editor left the file unreadable, removed it or put something other
    than a file there."""
    problem, rest, head = None, None, b""
    try:
        stream = _open_no_link(path)
    except OSError as exc:  # the editor removed or replaced the file with something unreadable (a link too)
        problem = (f"your editor removed {path}; nothing was read" if isinstance(exc, FileNotFoundError) else
                   f"your editor left {path} unreadable ({exc.strerror or exc}); nothing was read")
    else:
        most = ANSWER_LIMIT + utf8_size("\n".join(template)) + 2  # an answer, the template and two line breaks
        head = stream.read(most + 1)
        if len(head) > most:
            rest = _chunks(stream)  # the open file stays readable once its name is removed
        else:
            stream.close()
    with suppress(OSError):
        path.unlink(missing_ok=True)
    if path.is_dir() and not path.is_symlink():  # an empty folder left in its place holds nothing to keep
        with suppress(OSError):
            path.rmdir()
        if path.exists() and problem is not None:  # one with files in it is not genco's to remove
            problem += f" (a folder with files is there now: {path})"
    lines = head.decode("utf-8-sig", "surrogateescape").splitlines(keepends=True)
    return _Written("".join(line for line in lines if (line.splitlines() or [""])[0] not in template), problem, rest)


def _open_no_link(path: Path) -> BinaryIO:
    """genco's own editor file opened for reading, refusing a symlink left in its place (OSError): whatever
    an editor or script links there (/etc/passwd, a key) must not be scored and kept in the history; and
    anything but a regular file (a named pipe waited for a writer for ever), without waiting to open it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        why = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
        raise OSError(why, os.strerror(why) if stat.S_ISDIR(mode) else "not a regular file")
    return os.fdopen(fd, "rb")


def _chunks(stream: BinaryIO) -> Iterator[str]:
    """The rest of `stream` a megabyte at a time, as text that encodes back to the same bytes (a character
    split between two chunks, and bytes that are not UTF-8, stay as lone surrogates); closed at its end."""
    with stream:
        while chunk := stream.read(1024 * 1024):
            yield chunk.decode("utf-8", "surrogateescape")


def _editor_failure(message: str) -> str:
    """click's "EDITOR: Editing failed[: why]" said plainly: whether the editor could not be started
    (with why, without the "[Errno 2]" a person has no use for) or ran and ended with an error."""
    editor, _, why = message.partition(": Editing failed")
    why = re.sub(r"\[Errno \d+\]\s*", "", why)
    what = f"could not be started{why}" if why else "ended with an error"
    return f"your editor ({editor}, from $EDITOR or $VISUAL) {what}"


def _editor_template(question: str) -> tuple[str, ...]:
    """The lines the editor opens with (the question, then how to write); genco removes exactly these
    lines from what is saved."""
    return (*(f"# {line}" for line in question.splitlines()),
            "# (genco drops the question and this line; write your answer below)")


def read_answer_file(path: str, what: str, question: str, depth: str) -> str:
    """`--answer-file PATH` ('-' reads stdin). On a terminal, '-' first says on stderr how to give
    the text, so the command does not seem to hang, and reads it line by line: Ctrl-C keeps what
    was pasted as a draft, as practice does, with the command that scores it at `question` and
    `depth`. A pipe interrupted before its end keeps what it sent the same way. Raises InputError
    (see answers.read_text)."""
    if path != "-":
        return read_text(path)
    if not on_terminal():
        return _read_pipe(question, depth)
    click.echo(f"genco: paste the {what}, then press Ctrl-D on an empty line", err=True)
    lines: list[str] = []
    size = 0
    try:
        typed = iter(input_lines())
        for line in typed:
            size += utf8_size(line)
            if size > ANSWER_LIMIT:
                _too_long("\n".join([*lines, line.rstrip("\n")]), question, depth,
                          _rest_of_answer(typed, True, False, line))
            lines.append(line.rstrip("\r\n"))
    except KeyboardInterrupt:
        _keep_what_was_typed(lines, True, question, depth)
    return "\n".join(lines)


def _read_pipe(question: str, depth: str) -> str:
    """All of a piped stdin (answers.read_text); what cannot be scored is kept as a draft, as practice keeps a
    piped answer, for it exists nowhere else: an interrupt before its end keeps what arrived, an answer past
    ANSWER_LIMIT is kept whole (_too_long) and one that is not UTF-8 byte for byte (refuse_undecodable).
    A history file piped in is no answer: that error keeps nothing."""
    received: list[bytes] = []
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    try:
        return read_text("-", received=received)
    except KeyboardInterrupt:
        # a character cut in two by the interrupt is left out: its first bytes would make the draft no UTF-8
        typed = decoder.decode(b"".join(received)).removeprefix("\ufeff")
        if typed.strip():
            with held():
                interrupted("interrupted; " + kept_hint(typed, question, depth))
        interrupted()
    except DatabaseInput:
        raise
    except InputError:
        typed = decoder.decode(b"".join(received)).removeprefix("\ufeff")
        if sum(map(len, received)) > ANSWER_LIMIT:
            _too_long(typed, question, depth, _rest_of_stdin(decoder))
        refuse_undecodable(typed + decoder.decode(b"", final=True), question, depth)
        raise


def _rest_of_stdin(decoder: codecs.IncrementalDecoder) -> Iterator[str]:
    """What is left of a piped stdin, decoded as it arrives in pieces of at most 1 MB."""
    while chunk := sys.stdin.buffer.read1(1024 * 1024):
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def kept_if_read_from_stdin(path: str | None, answer: str, question: str, depth: str) -> AbstractContextManager[None]:
    """Scoring an answer read from stdin (`--answer-file -`) keeps it as a draft when interrupted, as
    practice does: it exists nowhere else. An answer from a file or the command line is left as it is."""
    return kept_as_draft(answer, question, depth) if path == "-" else nullcontext()


RESUMED_OPTIONS = {"db": "--db", "no_save": "--no-save", "candidate": "--candidate", "overrides": "--override",
                   "notes": "--note", "dismiss_red_flags": "--dismiss-red-flags"}
"""The running command's options its draft's command repeats: where the attempt is kept, whether it
is, and for `grade` whose answer it is and the interviewer's marks."""


def resume_command(path: Path, question: str, depth: str) -> list[str]:
    """The command that scores a draft as the interrupted command would have: `genco grade` for a
    candidate's transcript (kept as the candidate's, not the learner's), else `genco score`, with
    RESUMED_OPTIONS as they were given."""
    context = click.get_current_context(silent=True)
    grading = context is not None and context.command.name == "grade"
    argv = ["genco", "grade" if grading else "score", _as_given(question), "-d", depth, "--answer-file", str(path)]
    for name, flag in RESUMED_OPTIONS.items():
        value = context.params.get(name) if context is not None else None
        values = value if isinstance(value, (list, tuple)) else [value]
        if value is True:
            argv.append(flag)
        elif value not in (None, False):
            argv += [part for item in values for part in (flag, str(item))]
    return argv


def _as_given(question: str) -> str:
    """The question as a command scoring its draft must name it: the rubric file's absolute path when the running
    command read one by its path (app.questions.resolve), since its id may be asked nowhere else; else the id."""
    context = click.get_current_context(silent=True)
    typed = context.params.get("question") if context is not None else None
    rubric_file = rubric_path(typed) if isinstance(typed, str) else None
    return str(Path(rubric_file).absolute()) if rubric_file is not None else question


_FOLLOW_UP_REPLY: ContextVar[bool] = ContextVar("follow_up_reply", default=False)
"""Set while a mock interview reads the reply to its follow-up probe (replying_to_a_probe)."""


@contextmanager
def replying_to_a_probe() -> Iterator[None]:
    """While a follow-up reply is read and scored: its draft is a reply to one probe, which `genco score`
    would read as a whole answer to the question (a low score kept as a practice attempt)."""
    token = _FOLLOW_UP_REPLY.set(True)
    try:
        yield
    finally:
        _FOLLOW_UP_REPLY.reset(token)


def keep_draft(text: str, question: str, depth: str, more: Iterable[bytes] = ()) -> Path:
    """save_draft, named after the question and depth the learner answered, so that a later `practice` or
    `score` of them offers it back (offer_waiting_drafts); a follow-up reply or a candidate's transcript
    is kept under a plain name: `genco score` would keep either as the learner's own whole answer."""
    context = click.get_current_context(silent=True)
    grading = context is not None and context.command.name == "grade"
    if grading or _FOLLOW_UP_REPLY.get():
        return save_draft(text, more=more)
    draft = save_draft(text, question, depth, more)
    if context is not None:
        db, no_save = context.params.get("db"), bool(context.params.get("no_save"))
        note_draft_history(draft, DraftHistory(os.path.abspath(db) if isinstance(db, str) else None, no_save))
    let_go_of_resumed_draft(text)
    return draft


class ResumedDraft(NamedTuple):
    """A waiting draft a practice goes on with: its file and the file's text as read."""

    path: Path
    read: str

    @property
    def text(self) -> str:
        """The draft's text as the answer starts with it: its ends' line breaks dropped."""
        return self.read.strip("\n")


_GOING_ON_WITH: ContextVar[ResumedDraft | None] = ContextVar("going_on_with", default=None)
"""The draft the running practice goes on with: the answer that holds it replaces it (let_go_of_resumed_draft)."""


class DraftOffer(NamedTuple):
    """What the learner said when a waiting draft was offered (go_on_with_draft): the draft taken up, or
    None; and a line typed there that is no reply but the start of a new answer ("" for none)."""

    resumed: ResumedDraft | None
    typed: str


TAKE_UP = frozenset({"", "y", "yes", "yep", "yeah", "sure", "ok", "okay"})
LEAVE = frozenset({"n", "no", "nope"})
"""Replies to the offer of a waiting draft (Enter takes it up); any other line starts a new answer."""


def go_on_with_draft(question: str, depth: str, db: str | None) -> DraftOffer:
    """At a terminal, when a draft of an answer to `question` at `depth` typed for this history (`db`, None for
    the default) waits (offer_waiting_drafts), ask whether to go on with the newest genco can score. Taken up,
    the answer starts with its text, and, within going_on_with, the draft is removed once that answer is kept
    (let_go_of_resumed_draft). Left, or elsewhere (a pipe, output or messages not on the terminal, a draft
    typed for another history), only the one-line offer. A line typed there that is no reply (text pasted
    ahead of the question) is the new answer's first line, not lost. Ctrl-C or Ctrl-D there leave as at the
    answer's prompt (exit 130)."""
    from .answers import draft_history, waiting_drafts

    here = os.path.abspath(db) if db is not None else None
    drafts = [draft for draft in waiting_drafts(question, depth)
              if _why_unscoreable(draft) is None and draft_history(draft).db == here]
    if not drafts or not (on_terminal() and sys.stdout.isatty() and sys.stderr.isatty()):
        offer_waiting_drafts(question, depth)
        return DraftOffer(None, "")
    try:
        read = decode_text(drafts[0].read_bytes(), str(drafts[0]))
    except (InputError, OSError):  # changed since it was listed: offered as any other
        offer_waiting_drafts(question, depth)
        return DraftOffer(None, "")
    words = len(read.split())
    which = f"{len(drafts)} drafts of your answer to this question are waiting; the latest" if len(drafts) > 1 else \
        "A draft of your answer to this question is waiting"
    click.echo(f"{which} ({words} word{'s' * (words != 1)}, in {drafts[0]}). Go on with it? [Y/n] ", nl=False, err=True)
    reply = _one_line(question, depth)
    if reply is None:
        interrupted()
    said = reply.strip().lower()
    if said in TAKE_UP:
        resumed = ResumedDraft(drafts[0], read)
        _GOING_ON_WITH.set(resumed)
        return DraftOffer(resumed, "")
    if said in LEAVE:
        offer_waiting_drafts(question, depth)
        return DraftOffer(None, "")
    click.echo(one_line(f"genco: that line starts a new answer; the draft still waits in {drafts[0]}"), err=True)
    return DraftOffer(None, reply.rstrip("\n"))


def _one_line(question: str, depth: str) -> str | None:
    """One line typed at the terminal, or None at Ctrl-D. Ctrl-C keeps a line begun that is no reply (the
    start of an answer, typed at the question) as a draft, as at the answer's prompt, and exits 130."""
    lines = iter(input_lines())
    try:
        return next(lines, None)
    except KeyboardInterrupt:
        if partial_line().strip().lower() not in TAKE_UP | LEAVE:  # words begun: kept, and exit 130
            _keep_what_was_typed([], True, question, depth)
        with suppress(OSError):  # the cursor is still on the question's line
            click.echo("", err=True)
        interrupted()
    finally:
        closing = getattr(lines, "close", None)
        if closing is not None:
            closing()


@contextmanager
def going_on_with() -> Iterator[None]:
    """While a practice may answer from a draft it takes up (go_on_with_draft): a draft that keeps the answer,
    or the history, replaces that draft (let_go_of_resumed_draft)."""
    token = _GOING_ON_WITH.set(None)
    try:
        yield
    finally:
        _GOING_ON_WITH.reset(token)


def resumed_draft() -> ResumedDraft | None:
    """The draft the running practice took up and has not let go of (go_on_with_draft)."""
    resumed = _GOING_ON_WITH.get()
    return resumed if resumed is not None and resumed.path.exists() else None


def let_go_of_resumed_draft(answer: str) -> None:
    """Remove the draft the practice went on with once `answer`, which starts with its text, is kept (in the
    history, or as a new draft after an interrupt): offered again, it would be a second copy. Only while
    the file still holds the text read (remove_scored_draft); an answer that no longer starts with it (the
    draft's text edited away in the editor) leaves it waiting."""
    from .answers import remove_scored_draft

    resumed = _GOING_ON_WITH.get()
    if resumed is not None and answer.strip("\n").startswith(resumed.text) and remove_scored_draft(resumed.path,
                                                                                                  resumed.read):
        _GOING_ON_WITH.set(None)


def offer_waiting_drafts(question: str, depth: str, besides: str | None = None) -> None:
    """When a draft of an answer to `question` at `depth` waits to be scored (an answer interrupted or
    too long earlier), one line on stderr says where and the command that scores it, into the history
    the draft was typed for; nothing is asked, and what the command was doing goes on. `besides` is a
    draft being scored now, left out."""
    from .answers import waiting_drafts

    drafts = waiting_drafts(question, depth, besides)
    if not drafts:
        return
    problems = {draft: _why_unscoreable(draft) for draft in drafts}
    scoreable = [draft for draft in drafts if problems[draft] is None]
    chosen = (scoreable or drafts)[0]  # the newest genco can score; another must be mended first
    history = draft_history(chosen)  # the history it was typed for, not this command's
    command = ["genco", "score", _as_given(question), "-d", depth, "--answer-file", str(chosen)]
    command += ["--no-save"] if history.no_save else ["--db", history.db] if history.db is not None else []
    which = ("the latest" if chosen == drafts[0] else "the latest genco can score") if scoreable else \
        f"the latest ({problems[chosen]})"
    kept = (f"a draft of your answer to {question} at {depth} depth is waiting in {chosen}" if len(drafts) == 1
            else f"{len(drafts)} drafts of your answers to {question} at {depth} depth are waiting, {which} in {chosen}")
    if len(drafts) == 1 and not scoreable:
        kept += f" ({problems[chosen]})"
    with suppress(OSError):  # a terminal that is gone: the hint is no reason to stop
        click.echo(one_line(f"genco: {kept}; score it with: {shell_join(command)} "
                            "(edit the file first to go on with it, or delete it to let it go)"),
                   err=True)


def _why_unscoreable(draft: Path) -> str | None:
    """What must be mended before a draft can be read as an answer, or None: one longer than
    ANSWER_LIMIT bytes, or one an editor saved in another encoding than UTF-8."""
    try:
        if draft.stat().st_size > ANSWER_LIMIT:
            return "longer than an answer can be: shorten it first"
        decode_text(draft.read_bytes(), str(draft))
    except InputError:
        return "not UTF-8 text: save it as UTF-8 first"
    except OSError:
        return "unreadable"
    return None


def kept_hint(text: str, question: str, depth: str, more: Iterable[bytes] = ()) -> str:
    """`text` (and `more`) kept as a draft (keep_draft), and where it is with the command that scores it (draft_hint)."""
    return draft_hint(keep_draft(text, question, depth, more), question, depth)


def draft_hint(path: Path, question: str, depth: str) -> str:
    """Where the draft is, and the command that scores it (resume_command), quoted for a shell
    (macOS's data folder, "Application Support", has a space); a follow-up reply has no such command."""
    if _FOLLOW_UP_REPLY.get():
        return f"your reply to the follow-up is kept as a draft in {path} (it is scored only within an interview)"
    command = shell_join(resume_command(path, question, depth))
    problem = _why_unscoreable(path) if path.is_file() else None  # the command refuses such a draft until it is mended
    return f"your answer is kept as a draft in {path}; score it with: {command}" + (f" (the draft is {problem})"
                                                                                     if problem else "")


@contextmanager
def kept_as_draft(answer: str, question: str, depth: str, kept: Callable[[], bool] = lambda: False) -> Iterator[None]:
    """Between typing and the score, an interrupt, a terminal that is gone, or any failure that leaves
    the answer unscored (a model that failed to load, a rubric that cannot score it) keeps the answer
    as a draft, exit 1 for a failure. A history that cannot keep the scored answer has written it to
    the recovery file already, and says where: that error goes on as it is. So does an interrupt once
    `kept` says the answer is in the history: the caller says where."""
    from .progress.database import HistoryError

    try:
        yield
    except KeyboardInterrupt:
        if kept():
            raise
        interrupted("interrupted; " + kept_hint(answer, question, depth))
    except HistoryError:
        raise
    except GencoError as exc:
        fail(f"{exc}; " + kept_hint(answer, question, depth))
    except BrokenPipeError:  # the reader of the output left: exit 141 as everywhere
        raise
    except OSError as exc:  # the terminal went away (EIO) before its SIGHUP arrived
        fail(f"cannot go on ({exc.strerror or exc}); " + kept_hint(answer, question, depth))


def ask_until_answered(console: Console, rubric: Rubric, depth: str, editor: bool, separated: bool = False,
                       end_allowed: bool = False, asked: str | None = None, so_far: str = "",
                       shown: bool = True) -> str:
    """An empty answer (nothing the scorer reads: answers.nothing_to_score, so invisible characters
    too) asks again on a terminal, once: a second in a row (Ctrl-D pressed again at the empty prompt)
    means the person is leaving, as elsewhere, where there is nobody to ask. Then it fails, or with
    `end_allowed` returns "" (replies that ran out end a mock interview early, its report kept).
    `asked` is what the editor's file shows as asked (a follow-up's probe; default: the depth's question);
    `so_far`, what the answer goes on from, `shown` when it is a draft taken up (go_on_with_draft). A link
    said alone goes on into the answer asked again, so an empty one after it keeps it as a draft."""
    from rich.text import Text

    asked_again = False
    while True:
        answer = (read_in_editor(rubric, depth, asked, so_far) if editor else
                  read_typed_answer(console, rubric.id, depth, separated, so_far, shown))
        try:  # an interrupt now (one the model's loading thread held, delivered late) must not lose the answer
            empty = nothing_to_score(answer)  # a second on a 4 MB answer
        except KeyboardInterrupt:
            with held():
                interrupted("interrupted" + (f"; {kept_hint(answer, rubric.id, depth)}" if answer.strip() else ""))
        if not empty:
            refuse_undecodable(answer, rubric.id, depth)
            return answer
        leaving = asked_again or not on_terminal()
        if end_allowed and not editor and leaving:
            return ""
        linked = only_points_to_a_page(answer)  # words, but only those of a link: told so, and kept if it ends here
        if editor or leaving:
            fail(f"the answer only points to a page; nothing to score; {kept_hint(answer, rubric.id, depth)}" if linked
                 else "the answer has no words; nothing to score" + ("" if editor or on_terminal() else PIPED_EMPTY))
        console.print(Text(LINK_AGAIN if linked else EMPTY_AGAIN, style="yellow"))
        asked_again = True
        so_far, shown = (answer, False) if linked else ("", True)  # the link goes on into the answer asked again


PIPED_EMPTY = " (pipe the answer's text in, or run it on a terminal to type the answer)"
"""Said after an empty answer read from a pipe: what genco reads an answer from there."""
EMPTY_AGAIN = "The answer has no words — try again (Ctrl-D again or Ctrl-C quits)."
"""What a terminal shows after an empty answer: it asks once more."""
LINK_AGAIN = ("The answer only points to a page — say in your own words what it explains (Ctrl-D again keeps it as "
              "a draft and quits).")
"""What a terminal shows after an answer that is only a link: it asks once more."""


def refuse_undecodable(answer: str, question: str, depth: str) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no model can read: keep the
    answer as typed, byte for byte, and say so in one line."""
    bad = undecodable_at(answer)
    if bad is not None:
        byte = ord(answer[bad]) - 0xDC00
        wide = " (it looks like UTF-16 or UTF-32, as some Windows tools save text)" \
            if wide_text(answer.encode("utf-8", "surrogateescape")) else ""
        line, column = line_and_column(answer, bad)
        fail(f"the answer is not UTF-8 text (line {line}: byte 0x{byte:02x}, character {column} of the line){wide}; "
             f"{kept_hint(answer, question, depth)}")
