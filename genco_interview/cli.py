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
from .rubric import Rubric, RubricError, UnknownName, discover, find, load_rubric

if TYPE_CHECKING:
    from .embedding import SentenceTransformerEmbedder
    from .grading import Grade
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
      genco grade -d detailed --answer-file transcript.txt --candidate "A. Lovelace"

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
    """List, show, write and validate rubrics (the YAML files that define questions and concepts).

    \b
    Examples:
      genco rubric list
      genco rubric show coroutine-vs-generator --depth quick --format html > sheet.html
      genco rubric new yield-vs-await
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
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text", show_default=True,
              help="text for the terminal; markdown for notes; html is a self-contained page to print.")
def rubric_show(question: str | None, depth: str | None, fmt: str) -> None:
    """The interviewer sheet: per depth, what to ask, the time budget, a checklist of concepts with
    weights and what a strong answer says, follow-up probes with good replies, red flags and
    what the score bands mean. Without --depth, every depth (one printed page each in HTML).

    \b
    Examples:
      genco rubric show coroutine-vs-generator --depth deep
      genco rubric show coroutine-vs-generator --format markdown > sheet.md
      genco rubric show coroutine-vs-generator --format html > sheet.html   # open, then print
    """
    from .sheet import render_sheet_text, sheet_html, sheet_markdown

    with _friendly_errors():
        found, depth_name = _resolve(question, depth)
    only = depth_name if depth else None
    if fmt == "text":
        render_sheet_text(_console(), found, only)
    else:
        click.echo((sheet_markdown if fmt == "markdown" else sheet_html)(found, only), nl=False)


@rubric.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--schema-only", is_flag=True, help="Only the schema check: no model, instant.")
@click.option("--strict", is_flag=True, help="Exit 3 when a meaning check warns (for CI).")
@click.option("--json", "as_json", is_flag=True, help="One JSON list of files with their error or findings.")
@MODEL_OPTION
def rubric_validate(paths: tuple[str, ...], schema_only: bool, strict: bool, as_json: bool, model: str | None) -> None:
    """Check rubric files: the schema (file:line: field: problem), then what they mean to the scorer.

    The meaning checks load the embedding model and warn about concepts whose exemplars sit
    nearer another concept's, contradictions a correct paraphrase would match, misconceptions a
    model answer triggers, and model answers that do not earn every concept of their depth
    (and at least 90). Each warning names the entries, the similarity and a fix; see
    docs/rubrics.md.

    Exit codes: 0 valid (warnings are shown), 1 a file is invalid, 3 warnings with --strict.

    \b
    Examples:
      genco rubric validate rubrics/*.yaml
      genco rubric validate --strict my-question.yaml
      genco rubric validate --schema-only rubrics/*.yaml
    """
    reports: list[dict] = []
    valid: list[tuple[dict, Rubric]] = []
    for path in paths:
        try:
            loaded = load_rubric(path)
        except RubricError as exc:
            reports.append({"path": path, "valid": False, "error": str(exc)})
            if not as_json:
                click.echo(f"✗ {exc}", err=True)
            continue
        report = {"path": path, "valid": True, "id": loaded.id, "findings": []}
        reports.append(report)
        valid.append((report, loaded))
        if not as_json:
            click.echo(f"✓ {path}: {loaded.id} ({len(loaded.depths)} depths, {len(loaded.concepts)} concepts, "
                       f"{len(loaded.misconceptions)} misconceptions)")
    if valid and not schema_only:
        with _friendly_errors():
            _check_meaning(valid, model, as_json)
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    warnings = sum(len(r.get("findings", [])) for r in reports)
    if any(not r["valid"] for r in reports):
        sys.exit(1)
    if strict and warnings:
        sys.exit(3)


def _check_meaning(valid: "list[tuple[dict, Rubric]]", model: str | None, quiet: bool) -> None:
    """Run the meaning checks on every valid rubric, adding findings to its report and printing them."""
    from .embedding import load_embedder
    from .lint import lint

    with _console(err=True).status("Loading the model and checking meaning…"):
        embedder = load_embedder(model)
        findings = [(report, lint(loaded, _scorer(loaded, embedder))) for report, loaded in valid]
    total = 0
    for report, found in findings:
        report["findings"] = [f.to_dict() for f in found]
        total += len(found)
        for finding in [] if quiet else found:
            click.echo(f"⚠ {finding.path}: {finding.check}: {finding.message}")
            for entry in finding.entries:
                click.echo(f"    {entry}")
            click.echo(f"    fix: {finding.suggestion}")
    if not quiet:
        click.echo(f"meaning checks: {total} warning(s) in {len(valid)} file(s)" if total else
                   f"meaning checks: no warnings in {len(valid)} file(s)")


@rubric.command("new")
@click.argument("rubric_id", metavar="ID")
@click.option("--out", "out_dir", default=".", show_default=True, metavar="DIR",
              help="Directory to write ID.yaml in (created if missing).")
def rubric_new(rubric_id: str, out_dir: str) -> None:
    """Write a commented rubric skeleton, ID.yaml, to fill in. Never overwrites a file.

    Every value to write starts with TODO; `genco rubric validate` names each one left.
    Add the directory to GENCO_RUBRICS to practise or grade with the new rubric.

    \b
    Examples:
      genco rubric new yield-vs-await
      genco rubric new yield-vs-await --out my-rubrics
      GENCO_RUBRICS=my-rubrics genco rubric show yield-vs-await
    """
    from .skeleton import write_skeleton

    with _friendly_errors():
        path = write_skeleton(rubric_id, out_dir)
    click.echo(f"wrote {path}; fill in every TODO, then: genco rubric validate {path}")


@cli.command("grade")
@click.argument("question", required=False)
@DEPTH_OPTION
@click.option("--answer-file", metavar="TRANSCRIPT", required=True, help="The candidate's answer ('-' reads stdin).")
@click.option("--candidate", metavar="NAME", help="Who answered; shown on the scorecard.")
@click.option("--override", "overrides", metavar="CONCEPT=STATUS", multiple=True,
              help="Your mark for a concept: covered, partial or missing (repeatable). The score is recomputed.")
@click.option("--note", metavar="TEXT", help="Your note, kept on the scorecard.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text for the terminal; markdown for interview notes; json for tools.")
@MODEL_OPTION
def grade_command(question: str | None, depth: str | None, answer_file: str, candidate: str | None,
                  overrides: tuple[str, ...], note: str | None, fmt: str, model: str | None) -> None:
    """Score a candidate's answer for the interviewer: evidence per concept, red flags heard,
    follow-ups worth asking for what was missed, and your overrides beside the machine's marks.

    An override earns fixed credit (covered 1.0, partial 0.5, missing 0) and the score is
    recomputed with the scorer's own formula; both scores are shown.

    \b
    Examples:
      genco grade -d detailed --answer-file transcript.txt --candidate "A. Lovelace"
      genco grade -d quick --answer-file t.txt --override driver=covered --note "said it aloud"
      genco grade -d deep --answer-file t.txt --format markdown > scorecard.md
    """
    from .grading import OverrideError, grade, parse_overrides

    with _friendly_errors():
        rubric, depth_name = _resolve(question, depth)
        try:
            marks = parse_overrides(overrides, [cid for cid, _ in rubric.depth(depth_name).concepts])
        except OverrideError as exc:
            _fail(str(exc), 2)
        answer = read_text(answer_file)
        from .embedding import load_embedder

        card = _scorer(rubric, load_embedder(model)).score(answer, depth_name)
    scorecard = grade(rubric, card, answer, marks, candidate, note)
    _emit_grade(scorecard, rubric, fmt)


def _emit_grade(scorecard: "Grade", rubric: Rubric, fmt: str) -> None:
    from .scorecard import grade_markdown, render_grade_text

    if fmt == "json":
        click.echo(json.dumps({**scorecard.to_dict(), "genco_version": __version__}, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(grade_markdown(scorecard, rubric), nl=False)
    else:
        render_grade_text(_console(), scorecard, rubric)


def main() -> None:
    cli(prog_name="genco")
