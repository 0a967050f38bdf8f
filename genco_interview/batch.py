"""`genco score --input`: a batch scored as a stream of chunks.

A batch can hold tens of thousands of answers. Scoring it whole meant nothing was printed until
the end, memory grew with every row, and an interrupt threw all the work away. Here the file is
checked once from start to end (a bad line still stops the batch before any scoring, naming the
line), then read again a chunk at a time: each chunk is scored, printed and saved to the history
before the next is read, so memory stays flat and an interrupt keeps every finished chunk.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import click

from .answers import (
    NOT_JSON_LINES,
    BatchAnswer,
    InputError,
    input_name,
    nothing_to_score,
    open_for_reading,
    spool_bounded,
    stream_batch,
)
from .errors import quoted
from .interrupts import held
from .output import dumps

if TYPE_CHECKING:
    from rich.console import Console

    from .card import ScoreCard
    from .rubric import Rubric
    from .scoring import Scorer

CHUNK = 256
"""Answers scored together at most: enough that embedding batches stay full, few enough that an
interrupt loses little."""
FIRST_CHUNK = 8
"""The first chunk is small, and each next one twice as large up to CHUNK, so the first results
appear within seconds even on a slow machine."""


@dataclass
class Batch:
    """A checked batch file, open for a second, chunked read."""

    handle: BinaryIO
    name: str
    count: int
    finished_line: int = 0
    """The line of the last row of the last chunk scored and kept (score_batch): a rerun of the rest starts after it."""

    def rest(self, done: int, kept: bool) -> str:
        """Where the answers not yet done start, after `done` of them, as an interrupt or a reader leaving says
        it: a rerun of the whole file would score the first ones again, and keep them again when they were
        `kept`. A batch piped in is named as <stdin>, its lines those of what was piped (`tail -n +LINE` cuts
        it). Empty when nothing (or everything) is done."""
        if not 0 < done < self.count:
            return ""
        again = "keeps" if kept else "scores"
        whole = "input" if self.name == input_name("-") else "file"
        return (f"; the rest start at line {self.finished_line + 1} of {self.name} (a rerun of the whole {whole} "
                f"{again} those again)")

    def chunks(self) -> Iterator[list[BatchAnswer]]:
        """The rows in chunks of FIRST_CHUNK, then twice as many each time, up to CHUNK."""
        self.handle.seek(0)
        size, chunk = min(FIRST_CHUNK, CHUNK), []
        for row in stream_batch(self.handle, self.name):
            chunk.append(row)
            if len(chunk) == size:
                yield chunk
                size, chunk = min(size * 2, CHUNK), []
        if chunk:
            yield chunk


@contextmanager
def open_batch(path: str, rubric: Rubric) -> Iterator[Batch]:
    """The batch at `path` ('-' for stdin, spooled to a temporary file), checked line by line:
    a row's own "question" must be the rubric's and its "depth" one of the rubric's depths, so no row is
    scored against a question it does not answer, and no two rows share an id, so each card can be told
    apart (raises InputError naming the first bad line and how many more there are: a file is fixed once, not
    once per line)."""
    name = input_name(path)
    with _seekable(path) as handle:
        count, lines_by_id, problems = 0, dict[str, int](), list[InputError]()
        for row in stream_batch(handle, name, problems):
            try:
                _check_row(row, name, rubric)
                if (first := lines_by_id.setdefault(row.id, row.line)) != row.line:
                    raise InputError(f"{name}:{row.line}: id {quoted(row.id)} is line {first}'s id too; give every "
                                     "answer an id of its own (a row without one takes its line number)")
            except InputError as problem:
                problems.append(problem)
                continue
            count += 1
        if problems:
            raise _first_of(problems, read_any=count > 0)
        if not count:
            raise InputError(f"{name}: no answers in the file")
        yield Batch(handle, name, count)


def _first_of(problems: list[InputError], read_any: bool) -> InputError:
    """The first of a batch's bad lines, saying how many more there are, unless no line was read (`read_any`
    False) and every one says that the file is no JSON Lines at all (a CSV file): its lines are not worth
    counting then."""
    more = len(problems) - 1
    if not more or (not read_any and all(NOT_JSON_LINES in str(problem) for problem in problems)):
        return problems[0]
    return InputError(f"{problems[0]} ({more} more {'line is' if more == 1 else 'lines are'} bad too)")


def _check_row(row: BatchAnswer, name: str, rubric: Rubric) -> None:
    if row.question is not None and row.question != rubric.id:
        raise InputError(f"{name}:{row.line}: the row answers '{row.question}', not '{rubric.id}'; "
                         "score each question's answers in a batch of its own")
    if row.depth is not None and row.depth not in rubric.depth_names:
        raise InputError(f"{name}:{row.line}: depth '{row.depth}' is not one of {', '.join(rubric.depth_names)}")


@contextmanager
def _seekable(path: str) -> Iterator[BinaryIO]:
    """The batch (stdin for '-') copied to a temporary file, up to FILE_LIMIT bytes: it is read twice, and
    what the second read scores must be what the first checked. Read in place, a file still being
    written, or cut short, while it was scored had rows scored and kept that no check had read, then
    stopped at a line the check never saw, without saying what it had kept."""
    if path == "-" and sys.stdin is None:
        raise InputError(f"{input_name('-')}: standard input is closed; pass a file instead of '-'")
    with (nullcontext(sys.stdin.buffer) if path == "-" else open_for_reading(path)) as handle, \
            tempfile.TemporaryFile() as spool:
        spool_bounded(handle, input_name(path), spool)
        yield spool  # type: ignore[misc]


class Output:
    """Prints each scored answer as soon as its chunk is done, in the chosen format.

    json is one array (opened before the first card and closed after the last, also after an
    interrupt, so what was printed stays valid JSON); jsonl is one object per line; text is a
    card per answer under a rule naming its id.
    """

    def __init__(self, fmt: str, console: Console, rubric: Rubric) -> None:
        self.fmt = fmt
        self.console = console
        self.rubric = rubric
        self.printed = 0
        self.state = "new"
        """"new", "open" or "closed": close() prints the "]" once, and "[]" for a batch cut short before it began."""

    def open(self) -> None:
        if self.fmt == "json":
            click.echo("[", nl=False)
        self.state = "open"

    def cards(self, cards: Sequence[ScoreCard], ids: Sequence[str], attempts: Sequence[int | None]) -> None:
        """Print the chunk's cards, each with its row's id and the attempt it was kept as (None: not kept)."""
        from .views.card_data import card_to_dict

        for card, answer_id, attempt in zip(cards, ids, attempts):
            if self.fmt == "text":
                from .views.terminal import render_card

                self.console.rule(f"answer {answer_id}")
                render_card(self.console, card, self.rubric, show_model_answer=False)
            elif self.fmt == "json":
                click.echo(("," if self.printed else "") + "\n" + _json_line(card_to_dict(card, answer_id, attempt, self.rubric)), nl=False)
            else:
                click.echo(_json_line(card_to_dict(card, answer_id, attempt, self.rubric)))
            self.printed += 1
        sys.stdout.flush()

    def close(self) -> None:
        """End the output once; a JSON batch interrupted before its first chunk is an empty array."""
        if self.state == "closed":
            return
        if self.fmt == "json":
            click.echo("\n]" if self.state == "open" else "[]")
        self.state = "closed"


def _json_line(data: dict) -> str:
    return dumps(data)


Save = Callable[["Sequence[ScoreCard]", Sequence[str]], Sequence[int]]
"""Keeps a chunk's cards with their answers in the history; returns their attempt numbers, in order."""


def score_batch(scorer: Scorer, batch: Batch, depth: str, output: Output, save: Save | None,
                progress: Callable[[int], None] = lambda done: None) -> int:
    """Score, print and save the batch chunk by chunk; returns how many answers were finished.
    Each row is scored at its own "depth" when it gives one, else at `depth`.

    Printing and saving a chunk are held together: an interrupt waits until both are done, so
    every answer printed is in the history and none is saved twice on a rerun of the rest. A row
    with nothing to score (answers.nothing_to_score) is printed with its 0 but never kept.
    """
    done = 0
    output.open()
    try:
        for chunk in batch.chunks():
            answers = [row.answer for row in chunk]
            cards = scorer.score_each(answers, [row.depth or depth for row in chunk])
            with held():
                attempts: list[int | None] = [None] * len(chunk)
                batch.finished_line = chunk[-1].line  # set first: what `save` says is kept names where the rest start
                try:  # kept first: a reader that stops early (`| head`) loses no chunk
                    kept = [i for i, answer in enumerate(answers) if not nothing_to_score(answer)]
                    if save is not None and kept:
                        for i, number in zip(kept, save([cards[i] for i in kept], [answers[i] for i in kept])):
                            attempts[i] = number
                finally:  # shown even when the history failed (the chunk is in the recovery file), and so done
                    output.cards(cards, [row.id for row in chunk], attempts)
                done += len(chunk)
            progress(done)
    finally:
        with held():  # a second signal must not cut the closing "]" of a JSON array
            output.close()
    return done
