"""The `genco` command: parses options, calls the core, renders. No scoring logic lives here."""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterable, Iterator

import click
from rich.console import Console

from . import __version__
from .answers import InputError, parse_jsonl, read_text, save_draft
from .rubric import RUBRIC_ID, Rubric, RubricError, UnknownName, discover, find, load_rubric, reference_rubric_yaml, slug

if TYPE_CHECKING:
    from .embedding import SentenceTransformerEmbedder
    from .scoring import ScoreCard, Scorer

FORMATS = click.Choice(["text", "json", "jsonl"])
MODEL_OPTION = click.option(
    "--model", metavar="PATH", envvar="GENCO_MODEL", show_envvar=True,
    help="Local sentence-transformers model directory (default: the bundled all-MiniLM-L6-v2).",
)
DEPTH_OPTION = click.option("--depth", "-d", metavar="DEPTH", help="quick, detailed or deep (default: the rubric's first depth).")


class UsageProblem(click.UsageError):
    """Exit 2 with one line, for a question or depth that does not exist."""


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextmanager
def _friendly_errors() -> Iterator[None]:
    """Known failures become one line on stderr and an exit code, never a traceback."""
    from .embedding import ModelError

    try:
        yield
    except UnknownName as exc:
        _fail(str(exc), 2)
    except (RubricError, InputError, ModelError) as exc:
        _fail(str(exc))


def _console(err: bool = False) -> Console:
    return Console(stderr=err, highlight=False, soft_wrap=False)


def _resolve(question: str | None, depth: str | None) -> tuple[Rubric, str]:
    rubric = find(question)
    if depth is None:
        return rubric, rubric.depth_names[0]
    if depth not in rubric.depth_names:
        raise UnknownName(f"unknown depth {depth!r} for {rubric.id}; valid: {', '.join(rubric.depth_names)}")
    return rubric, depth


def _scorer(rubric: Rubric, embedder: "SentenceTransformerEmbedder") -> "Scorer":
    """A scorer whose exemplar embeddings persist on disk, so a one-shot run embeds only the answer."""
    from functools import partial

    from .embedding import cache_dir, stored_encode
    from .scoring import Scorer

    return Scorer(rubric, embedder, partial(stored_encode, embedder, directory=cache_dir()))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="genco")
def cli() -> None:
    """Practise a technical interview question and get a concept-by-concept score.

    \b
    Examples (start here):
      genco practice                          answer the question at quick depth
      genco practice --depth deep             the hardest version
      genco score -d detailed --answer-file my.txt --format json
      genco rubric show coroutine-vs-generator

    Scores come from sentence-embedding similarity between your answer and the rubric's
    concepts, computed offline with a bundled model. Colour is used only on a terminal;
    NO_COLOR=1 turns it off.
    """


def _input_lines() -> Iterable[str]:
    """Where typed answers come from; a seam so tests can feed lines and a Ctrl-C."""
    return sys.stdin


def _on_terminal() -> bool:
    """Whether a person can be asked again (a pipe that ended has nobody behind it)."""
    return sys.stdin.isatty()


def _read_typed_answer(console: Console) -> str:
    """Lines until an empty line or EOF; Ctrl-C keeps what was typed in a draft file."""
    console.print("[dim]Type your answer. Finish with an empty line or Ctrl-D.[/dim]")
    lines: list[str] = []
    try:
        for line in _input_lines():
            if not line.strip() and lines:
                break
            if line.strip():
                lines.append(line.rstrip("\n"))
    except KeyboardInterrupt:
        if lines:
            path = save_draft("\n".join(lines))
            _fail(f"interrupted; your draft is saved in {path}", 130)
        _fail("interrupted", 130)
    return "\n".join(lines)


def _read_in_editor(rubric: Rubric, depth: str) -> str:
    header = f"# {rubric.depth(depth).question}\n# Lines starting with '#' are ignored.\n"
    text = click.edit(header)
    if text is None:
        return ""
    return "\n".join(line for line in text.splitlines() if not line.startswith("# "))


@cli.command()
@click.argument("question", required=False)
@DEPTH_OPTION
@click.option("--editor", is_flag=True, help="Write the answer in $EDITOR instead of the terminal.")
@click.option("--no-model-answer", is_flag=True, help="Hide the model answer after the score.")
@MODEL_OPTION
def practice(question: str | None, depth: str | None, editor: bool, no_model_answer: bool, model: str | None) -> None:
    """Ask QUESTION at a depth, read your answer, and score it.

    The model loads in the background while you type, so the score appears as soon as you
    finish. An empty answer asks again; Ctrl-C keeps your draft in a file and says where.

    \b
    Examples:
      genco practice
      genco practice coroutine-vs-generator --depth detailed
      genco practice --depth deep --editor
    """
    from .embedding import BackgroundLoader, resolve_model
    from .render import render_card, render_question

    console = _console()
    with _friendly_errors():
        rubric, depth_name = _resolve(question, depth)
        resolve_model(model)
        loader = BackgroundLoader(model, warm=lambda embedder: _scorer(rubric, embedder).bank)
        spec = rubric.depth(depth_name)
        render_question(console, rubric, spec)
        started = time.monotonic()
        answer = _ask_until_answered(console, rubric, depth_name, editor)
        elapsed = time.monotonic() - started
        with console.status("Scoring…"):
            card = _scorer(rubric, loader.get()).score(answer, depth_name)
        render_card(console, card, rubric, show_model_answer=not no_model_answer)
        console.print(f"[dim]answered in {elapsed:.0f} s (budget {spec.time_budget_minutes:g} min)[/dim]")


def _ask_until_answered(console: Console, rubric: Rubric, depth: str, editor: bool) -> str:
    """An empty answer asks again on a terminal; elsewhere there is nobody to ask, so it fails."""
    while True:
        answer = _read_in_editor(rubric, depth) if editor else _read_typed_answer(console)
        if answer.strip():
            return answer
        if editor or not _on_terminal():
            _fail("the answer is empty; nothing to score")
        console.print("[yellow]The answer is empty — try again.[/yellow]")


def _emit_cards(console: Console, cards: "list[ScoreCard]", ids: list[str] | None, fmt: str, rubric: Rubric) -> None:
    from .render import card_to_dict, render_card

    if fmt == "text":
        for index, card in enumerate(cards):
            if ids:
                console.rule(f"answer {ids[index]}")
            render_card(console, card, rubric, show_model_answer=ids is None)
        return
    for index, card in enumerate(cards):
        data = card_to_dict(card, ids[index] if ids else None)
        click.echo(json.dumps(data, ensure_ascii=False, indent=None if fmt == "jsonl" or ids else 2))


@cli.command()
@click.argument("question", required=False)
@DEPTH_OPTION
@click.option("--answer", "answer_text", metavar="TEXT", help="The answer itself.")
@click.option("--answer-file", metavar="PATH", help="A file holding the answer ('-' reads stdin).")
@click.option("--input", "input_file", metavar="FILE.jsonl", help='Batch: one {"id": ..., "answer": ...} per line.')
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="text for people; json for one answer; jsonl (one object per line) for a batch.")
@MODEL_OPTION
def score(question: str | None, depth: str | None, answer_text: str | None, answer_file: str | None,
          input_file: str | None, fmt: str, model: str | None) -> None:
    """Score an answer without the interactive prompt (for scripts, CI and interviewers).

    Give exactly one of --answer, --answer-file or --input. Empty answers score 0 with a note.

    \b
    Examples:
      genco score --depth quick --answer "Both suspend; a generator yields many values..."
      genco score -d detailed --answer-file answer.md --format json
      cat answer.txt | genco score --answer-file -
      genco score -d quick --input answers.jsonl --format jsonl > scores.jsonl
    """
    given = [name for name, value in (("--answer", answer_text), ("--answer-file", answer_file),
                                      ("--input", input_file)) if value is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --answer, --answer-file or --input")
    with _friendly_errors():
        rubric, depth_name = _resolve(question, depth)
        if input_file is not None:
            batch = parse_jsonl(read_text(input_file), input_file)
            answers, ids = [b.answer for b in batch], [b.id for b in batch]
        else:
            answers, ids = [answer_text if answer_text is not None else read_text(answer_file or "-")], None
        from .embedding import load_embedder

        scorer = _scorer(rubric, load_embedder(model))
        cards = _score_with_progress(scorer, answers, depth_name)
        _emit_cards(_console(), cards, ids, fmt, rubric)


def _score_with_progress(scorer: "Scorer", answers: list[str], depth: str) -> "list[ScoreCard]":
    """A progress bar on stderr for batches, only when stderr is a terminal."""
    err = _console(err=True)
    if len(answers) < 2 or not err.is_terminal:
        return scorer.score_many(answers, depth)
    from rich.progress import Progress

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Embedding answers", total=None)
        scorer.bank  # exemplars first, so the bar counts only answer parts
        return scorer.score_many(answers, depth,
                                 progress=lambda done, total: progress.update(task, completed=done, total=total))


@cli.group()
def rubric() -> None:
    """List, show and validate rubrics (the YAML files that define questions and concepts).

    \b
    Examples:
      genco rubric list
      genco rubric show coroutine-vs-generator --depth quick
      genco rubric validate rubrics/*.yaml
    """


@rubric.command("list")
@click.option("--tag", help="Only rubrics with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def rubric_list(tag: str | None, as_json: bool) -> None:
    """List the available questions.

    \b
    Example:
      genco rubric list --tag asyncio
    """
    from .render import render_rubric_list

    with _friendly_errors():
        rubrics = [r for r in discover() if tag is None or tag in r.tags]
    if as_json:
        click.echo(json.dumps([{"id": r.id, "title": r.title, "depths": r.depth_names, "tags": list(r.tags)}
                               for r in rubrics], indent=2))
    else:
        render_rubric_list(_console(), rubrics)


@rubric.command("show")
@click.argument("question", required=False)
@DEPTH_OPTION
def rubric_show(question: str | None, depth: str | None) -> None:
    """Show a rubric the way an interviewer reads it: what to ask, what earns points, red flags.

    \b
    Example:
      genco rubric show coroutine-vs-generator --depth deep
    """
    from .render import render_rubric

    with _friendly_errors():
        found, depth_name = _resolve(question, depth)
    render_rubric(_console(), found, depth_name if depth else None)


@rubric.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def rubric_validate(paths: tuple[str, ...]) -> None:
    """Check rubric files against the schema; each problem is reported with file, line and field.

    Exits 1 if any file is invalid.

    \b
    Example:
      genco rubric validate rubrics/*.yaml
    """
    failed = 0
    for path in paths:
        try:
            loaded = load_rubric(path)
        except RubricError as exc:
            failed += 1
            click.echo(f"✗ {exc}", err=True)
            continue
        click.echo(f"✓ {path}: {loaded.id} ({len(loaded.depths)} depths, {len(loaded.concepts)} concepts, "
                   f"{len(loaded.misconceptions)} misconceptions)")
    if failed:
        sys.exit(1)


@rubric.command("from-answer")
@click.option("--question", "question_text", required=True, metavar="TEXT", help="The question, as it is asked.")
@click.option("--answer", "answer_text", metavar="TEXT", help="The model answer.")
@click.option("--answer-file", metavar="PATH", help="A file holding the model answer ('-' reads stdin).")
@click.option("--id", "rubric_id", metavar="ID", help="Rubric id (lowercase, digits, dashes; default: from the question).")
@click.option("--title", metavar="TEXT", help="Title shown in lists (default: the question).")
@click.option("--out", metavar="FILE.yaml", help="Write here instead of stdout; an existing file needs --force.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def rubric_from_answer(question_text: str, answer_text: str | None, answer_file: str | None, rubric_id: str | None,
                       title: str | None, out: str | None, force: bool) -> None:
    """Write a rubric from a question and one model answer: its key points become the concepts.

    Each clause of the model answer becomes a concept weighted by its content words, written out
    so that you can refine it (rename, add phrasings, reweight). Such a rubric scores answers by
    those key points and by how much of the model answer they state, word by word in context;
    words of the question earn nothing.

    \b
    Examples:
      genco rubric from-answer --question "What is a variable?" --id variable \\
          --answer "A location in memory that can store a value." --out my-rubrics/variable.yaml
      genco rubric from-answer --question "Why use a prototype?" --answer-file model.txt
      GENCO_RUBRICS=my-rubrics genco score variable --answer "A named memory location holding a value"
    """
    if (answer_text is None) == (answer_file is None):
        raise click.UsageError("give exactly one of --answer or --answer-file")
    with _friendly_errors():
        answer = answer_text if answer_text is not None else read_text(answer_file or "-")
        if not question_text.strip():
            raise InputError("--question is empty")
        if not answer.strip():
            raise InputError("the model answer is empty")
        rubric_id = rubric_id or slug(question_text)
        if not RUBRIC_ID.match(rubric_id):
            raise InputError(f"--id {rubric_id!r} must be lowercase letters and digits joined by dashes")
        text = reference_rubric_yaml(rubric_id, question_text, answer, title=title)
        if out is None:
            click.echo(text, nl=False)
            return
        _write_new(out, text, force)
    click.echo(f"✓ wrote {out}: rubric {rubric_id!r}; refine its key points, then: genco rubric validate {out}", err=True)


def _write_new(path: str, text: str, force: bool) -> None:
    """Never overwrite a rubric someone may have refined, unless asked to."""
    from pathlib import Path

    target = Path(path)
    if target.exists() and not force:
        raise InputError(f"{path} exists; pass --force to overwrite it")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None


def main() -> None:
    cli(prog_name="genco")
