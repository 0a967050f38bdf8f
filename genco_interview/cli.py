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
from .embedding import BACKENDS
from .rubric import Rubric, RubricError, UnknownName, discover, find, load_rubric

if TYPE_CHECKING:
    from .embedding import Embedder
    from .scoring import ScoreCard, Scorer

FORMATS = click.Choice(["text", "json", "jsonl"])
MODEL_OPTION = click.option(
    "--model", metavar="PATH", envvar="GENCO_MODEL", show_envvar=True,
    help="Local sentence-transformers model directory (default: the bundled all-MiniLM-L6-v2).",
)
BACKEND_OPTION = click.option(
    "--backend", type=click.Choice(BACKENDS), envvar="GENCO_BACKEND", show_envvar=True,
    help="auto (default): the fast ONNX export when it is built, else sentence-transformers on torch; "
         "onnx-int8 is the smaller, less exact quantized export.",
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


def _scorer(rubric: Rubric, embedder: "Embedder") -> "Scorer":
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
@BACKEND_OPTION
def practice(question: str | None, depth: str | None, editor: bool, no_model_answer: bool, model: str | None,
             backend: str | None) -> None:
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
        loader = BackgroundLoader(model, backend=backend, warm=lambda embedder: _scorer(rubric, embedder).bank)
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
@BACKEND_OPTION
def score(question: str | None, depth: str | None, answer_text: str | None, answer_file: str | None,
          input_file: str | None, fmt: str, model: str | None, backend: str | None) -> None:
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

        scorer = _scorer(rubric, load_embedder(model, backend))
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


@cli.group()
def model() -> None:
    """Build and inspect the embedding model's backends (the fast ONNX export, torch).

    \b
    Examples:
      genco model info                   which model and backend scoring uses, and why
      genco model export                 build the ONNX export once (make run does this)
      genco model export --quantize      also the int8 variant (--backend onnx-int8)
    """


@model.command("info")
@MODEL_OPTION
@BACKEND_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def model_info(model: str | None, backend: str | None, fmt: str) -> None:
    """Show the model, its fingerprint, the backend scoring would use, and the state of its ONNX export.

    Loads no model, so it answers instantly.

    \b
    Examples:
      genco model info
      genco model info --format json
      GENCO_BACKEND=torch genco model info
    """
    from .embedding import describe_backends
    from .render import render_model_info

    with _friendly_errors():
        info = describe_backends(model, backend)
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
    else:
        render_model_info(_console(), info)


@model.command("export")
@MODEL_OPTION
@click.option("--quantize", is_flag=True, help="Also build the int8 variant (smaller and faster, less exact).")
@click.option("--force", is_flag=True, help="Rebuild even when a valid export exists.")
def model_export(model: str | None, quantize: bool, force: bool) -> None:
    """Export the model to ONNX once, so scoring starts in a fraction of a second without torch.

    The export is verified against sentence-transformers before it is kept, stored in the
    cache directory under the model's fingerprint, and rebuilt whenever it is stale or corrupt.
    Nothing is done when a valid one exists (unless --force).

    \b
    Examples:
      genco model export
      genco model export --quantize
      genco model export --model ./my-model --force
    """
    from .embedding import resolve_model
    from .onnx_backend import ExportUnavailable, check_export
    from .onnx_export import build_export

    with _friendly_errors():
        spec = resolve_model(model)
        wanted = ["onnx", "onnx-int8"] if quantize else ["onnx"]
        try:
            found = [check_export(spec, variant).directory for variant in wanted]
        except ExportUnavailable as exc:
            if not exc.rebuildable:
                raise
            found = []
        if found and not force:
            click.echo(f"{spec.name}: the ONNX export in {found[0]} is valid; nothing to do (--force rebuilds)")
            return
        with _console(err=True).status(f"Exporting {spec.name} to ONNX…") as status:
            target = build_export(spec, quantize=quantize, step=lambda text: status.update(f"Exporting: {text}…"))
        click.echo(f"{spec.name}: ONNX export written to {target}")


def main() -> None:
    cli(prog_name="genco")
