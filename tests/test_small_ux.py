"""Small things a user meets: attempt numbers on a narrow terminal, what `next` says about recall."""

from __future__ import annotations

import io
import json
import re
import shlex
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from cli_helpers import invoke
from click.testing import CliRunner

from genco_interview import cli as cli_module
from genco_interview import cli_answer
from genco_interview.progress.attempt import attempt_from_card
from genco_interview.progress.store import open_history
from genco_interview.rubric import RUBRICS_ENV

from history_helpers import make_card, progress_attempts


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    return tmp_path / "home"


@pytest.mark.parametrize("columns", [80, 100, 200])
def test_history_shows_every_attempt_number_on_a_narrow_terminal(home: Path, columns: int) -> None:
    with open_history() as store:
        store.add(progress_attempts() * 1)
        store.add([attempt_from_card(make_card(), f"answer {n}", when=datetime(2026, 4, 1, tzinfo=UTC)
                                     + timedelta(minutes=n)) for n in range(120)])
    result = invoke("history", "--limit", "0", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if re.match(r"\s*\d+\s+\d{4}-\d\d-\d\d ", line)]
    assert sorted(int(line.split()[0]) for line in rows) == list(range(1, 127))
    assert all(len(line) <= columns for line in result.stdout.splitlines())


@pytest.mark.parametrize("columns", [20, 22, 24, 26, 28, 30, 36, 40, 50, 58, 61, 66, 72, 80, 90])
def test_a_narrow_history_drops_whole_columns_and_never_cuts_a_number(home: Path, columns: int) -> None:
    """A score of 100 cut to "10" reads as a bad attempt, and "candidate: A." as either of two candidates;
    the number `genco show N` takes must stay."""
    card = make_card()
    card.score = 100.0
    grade = {"candidate": "A. Lovelace", "note": None, "machine_score": 50.0, "machine": {}}
    with open_history() as store:
        store.add([attempt_from_card(card, "answer", source="interviewer", grade=grade),
                   attempt_from_card(make_card(), "answer 2")])
    result = invoke("history", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines() if re.match(r"\s*[12]\s+(?!of\b)\S", line)]
    assert sorted(row[0] for row in rows) == ["1", "2"], result.stdout
    assert any("100" in row for row in rows) and all(len(line) <= columns for line in result.stdout.splitlines())
    assert ("candidate:" in result.stdout) == ("candidate: A. Lovelace" in result.stdout)


@pytest.mark.parametrize("columns", [80, 100])
def test_a_long_question_id_is_cut_before_the_score_is_dropped(home: Path, columns: int) -> None:
    """A rubric of one's own may have a 70-character id: the number, depth and score still show."""
    card = make_card()
    card.question = "how-does-the-python-asyncio-event-loop-schedule-callbacks-internally"
    card.score = 64.5
    with open_history() as store:
        store.add([attempt_from_card(card, "answer")])
    result = invoke("history", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()[:2]
    assert header.split()[0] == "#" and {"depth", "score"} <= set(header.split()), result.stdout
    assert row.split()[0] == "1" and "64.5" in row.split() and "how-does-the-python" in row
    assert all(len(line) <= columns for line in result.stdout.splitlines())


def test_next_right_after_practice_does_not_claim_full_recall() -> None:
    """FSRS gives a concept reviewed minutes ago 100 % recall whatever its result."""
    from io import StringIO

    from rich.console import Console

    from genco_interview.progress.schedule import Focus, Suggestion
    from genco_interview.views.report import render_next

    now = datetime.now(UTC)
    suggestion = Suggestion("coroutine-vs-generator", "Coroutines vs generators", "quick",
                            [Focus("driver", "Who drives it", now, 0.9999), Focus("lazy_call", "Lazy call", now, 0.62),
                             Focus("async_generators", "Async generators", now, None),
                             Focus("one_vs_many", "Many values", now, 0.949)], now)
    console = Console(file=StringIO(), width=200, color_system=None)
    render_next(console, suggestion)
    shown = console.file.getvalue()
    assert "recall 100%" not in shown
    assert "Who drives it  (due again now, to make it stick)" in shown
    assert "(recall 62%, due now)" in shown and "(new" in shown
    assert "Many values  (due again now, to make it stick)" in shown  # read "recall 95%, due now"


@pytest.mark.parametrize("terminal", [False, True])
def test_a_focus_line_is_never_broken_inside_its_recall_and_due(terminal: bool) -> None:
    """`genco next` at 80 columns read "(just practised, due in" / "5 min)"."""
    from io import StringIO

    from rich.console import Console

    from genco_interview.progress.schedule import Focus, Suggestion
    from genco_interview.views.report import render_next

    now = datetime.now(UTC)
    name = "Calling a coroutine function returns a suspended object and runs none of its body"
    suggestion = Suggestion("coroutine-vs-generator", "Coroutines vs generators", "quick",
                            [Focus("lazy_call", name, now + timedelta(minutes=5), 0.9999)], now)
    console = (Console(file=StringIO(), width=80, color_system=None, force_terminal=True) if terminal
               else Console(file=StringIO(), color_system=None, _environ={}))  # a pipe: no width of its own
    render_next(console, suggestion)
    lines = console.file.getvalue().splitlines()
    assert any(line.strip() == "(just practised, due in 5 min)" for line in lines) == terminal, lines
    assert any(line.endswith("(just practised, due in 5 min)") for line in lines), lines
    assert not any("focus on" in line for line in lines)  # it read as due now, a concept covered at 92 % minutes ago
    assert any(line.startswith("  then, once due: Calling") for line in lines), lines


class FrozenClock(datetime):
    """`datetime` whose now() never moves: a concept never practised is due "now", and two runs of
    `genco next` a second apart would otherwise differ in that one field."""

    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206 (datetime's own signature)
        return datetime(2026, 1, 1, 12, tzinfo=tz)


@pytest.mark.parametrize("args", [["history"], ["rubric", "list"], ["next"], ["interview", "--list"]])
def test_every_json_command_takes_both_spellings(args, monkeypatch):
    from genco_interview.progress import schedule

    monkeypatch.setattr(schedule, "datetime", FrozenClock)
    as_json, as_format = invoke(*args, "--json"), invoke(*args, "--format", "json")
    assert as_json.exit_code == as_format.exit_code == 0, (as_json.output, as_format.output)
    assert json.loads(as_json.stdout) == json.loads(as_format.stdout)


@pytest.mark.parametrize("args", [["history", "--json", "--format", "csv"], ["history", "--json", "--format", "text"],
                                  ["score", "--json", "--format", "text", "--answer", "x", "--no-save"],
                                  ["rubric", "list", "--json", "--format", "text"]])
def test_json_and_another_format_at_once_is_a_usage_error(args):
    result = invoke(*args)
    assert result.exit_code == 2 and "ask for different outputs" in result.stderr


@pytest.mark.parametrize("name", ["", " "], ids=["empty", "blank"])
@pytest.mark.parametrize("args", [["score", "-d", "quick", "--answer-file"], ["eval"],
                                  ["grade", "-d", "quick", "--answer-file"], ["score", "-d", "quick", "--input"],
                                  ["history", "import"], ["rubric", "validate"]])
def test_an_empty_file_name_is_a_usage_error_not_stdin_or_this_folder(args, name, tmp_path, monkeypatch):
    """A blank name failed as a missing file (exit 1), as though the option had named one."""
    monkeypatch.chdir(tmp_path)
    result = invoke(*args, name, input="Generators yield values.")
    assert result.exit_code == 2 and "file name is empty" in result.stderr, result.output
    assert re.fullmatch(r"genco [a-z ]+: .+ \(see genco [a-z ]+ --help\)\n", result.stderr), result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["rubric", "from-answer", "--question", "", "--answer", "x"], "--question is empty"),
    (["rubric", "from-answer", "--question", "  ", "--answer", "x"], "--question is empty"),
    (["rubric", "show", "coroutine-vs-generator", "--out", ""], "the file name '' is empty; give a file name"),
    (["rubric", "show", "coroutine-vs-generator", "--out", " "], "the file name ' ' is empty; give a file name"),
    (["rubric", "new", "my-q", "--out", ""], "the folder name '' is empty; give a folder (. for this one)"),
    (["score", "--answer-file", ""], "the file name is empty: give a file, or '-' to read standard input"),
    (["rubric", "validate", ""], "a file name is empty: give a rubric file, a folder of them or a question id"),
    (["report", "--out", ""], "the file name '' is empty; give a file name"),
    (["score", "--model", "", "--answer", "x"],
     "invalid value for '--model': is empty or blank; give a model folder, or leave it out for the bundled model"),
    (["score", "--model", " ", "--answer", "x"],
     "invalid value for '--model': is empty or blank; give a model folder, or leave it out for the bundled model"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else "")
def test_an_empty_option_value_is_a_usage_error_as_an_empty_db_is(home: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch, args: list[str],
                                                                  message: str) -> None:
    """docs/commands.md: a value an option does not take is a usage error (2), as `--db ''`, `grade --candidate ''`
    and `serve --host ''` were; these said the same line with exit 1, as for a file that could not be read."""
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    command = "genco " + " ".join(args[:2] if args[0] == "rubric" else args[:1])
    assert (result.exit_code, result.stderr) == (2, f"{command}: {message} (see {command} --help)\n")
    assert not any(tmp_path.iterdir())


def test_an_empty_genco_model_is_unset_and_a_blank_one_a_usage_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty variable is unset, as GENCO_HOME's is; a blank one names no folder, and failed as the folder ' '."""
    monkeypatch.setenv("GENCO_MODEL", " ")
    result = invoke("score", "--answer", "x", "--no-save")
    assert (result.exit_code, result.stderr) == (2, "genco score: invalid value for GENCO_MODEL: is empty or blank; give "
                                                    "a model folder, or leave it out for the bundled model (see genco "
                                                    "score --help)\n")
    from genco_interview.cli_support import MODEL_OPTION

    @click.command()
    @MODEL_OPTION
    def chosen(model: str | None) -> None:
        click.echo(repr(model))

    monkeypatch.setenv("GENCO_MODEL", "")
    assert CliRunner().invoke(chosen, []).output == "None\n"


def test_an_empty_model_answer_is_bad_input_not_a_usage_error(home: Path) -> None:
    """The model answer is content, not a name an option takes: an empty one stays exit 1, as an empty answer does."""
    result = invoke("rubric", "from-answer", "--question", "What is x?", "--answer", "")
    assert (result.exit_code, result.stderr) == (1, "genco rubric from-answer: the model answer is empty\n")


@pytest.mark.parametrize(("on_terminal", "told"), [(True, True), (False, False)])
def test_grade_from_stdin_says_how_to_give_the_transcript_on_a_terminal(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        on_terminal: bool, told: bool) -> None:
    """Without a word, `--answer-file -` at a terminal looks like a hang; from a pipe nobody reads it."""
    class Grading:
        def __init__(self, *args: object) -> None:
            pass

        def grade(self, rubric: object, depth: str, answer: str, *rest: object, **options: object) -> None:
            assert answer == "A generator yields."
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_answer, "on_terminal", lambda: on_terminal)
    monkeypatch.setattr(cli_module, "Workbench", Grading)
    result = invoke("grade", "-d", "quick", "--answer-file", "-", "--candidate", "Pat O'Neil", "--override",
                    "driver=covered", "--note", "calm", "--note", "asked twice", input="A generator yields.")
    assert result.exit_code == 130, result.output
    hint = "genco: paste the transcript, then press Ctrl-D on an empty line\n"
    # the transcript exists nowhere else, so the interrupt keeps it
    assert result.stderr.startswith((hint if told else "") + "genco: interrupted; your answer is kept as a draft in ")
    # ... and the command that scores it grades it as the candidate's, not as the learner's own attempt
    draft = re.search(r"kept as a draft in (\S+);", result.stderr).group(1)
    assert shlex.split(result.stderr.split("score it with: ")[1]) == [
        "genco", "grade", "coroutine-vs-generator", "-d", "quick", "--answer-file", draft,
        "--candidate", "Pat O'Neil", "--override", "driver=covered", "--note", "calm", "--note", "asked twice"]


def test_a_drafts_command_keeps_where_and_whether_the_attempt_is_kept(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`practice --db FILE` or `--no-save`, interrupted: scoring the draft goes where practice would have."""
    with click.Context(cli_module.cli.commands["practice"], info_name="practice") as context:
        context.params = {"db": str(tmp_path / "alt.sqlite3"), "no_save": True, "depth": "deep"}
        assert cli_answer.resume_command(tmp_path / "d", "q", "deep") == [
            "genco", "score", "q", "-d", "deep", "--answer-file", str(tmp_path / "d"),
            "--db", str(tmp_path / "alt.sqlite3"), "--no-save"]
    with click.Context(cli_module.cli.commands["practice"], info_name="practice") as context:
        context.params = {"question": "drafts/my-q.yaml", "depth": "deep"}  # a rubric file: its id is asked nowhere else
        assert cli_answer.resume_command(tmp_path / "d", "my-q", "deep")[2] == str(Path("drafts/my-q.yaml").absolute())
        (tmp_path / "mine.yaml").write_text("id: my-q\n", encoding="utf-8")  # a bare name the search path has
        monkeypatch.setenv(RUBRICS_ENV, str(tmp_path))
        context.params = {"question": "mine.yaml", "depth": "deep"}  # the file read, not one of the current folder
        assert cli_answer.resume_command(tmp_path / "d", "my-q", "deep")[2] == str(tmp_path / "mine.yaml")


def test_reading_an_answer_from_a_terminal_says_how_to_end_it(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Both suspend.\n")))
    assert cli_answer.read_answer_file("-", "answer", "coroutine-vs-generator", "quick") == "Both suspend."
    assert capsys.readouterr().err == "genco: paste the answer, then press Ctrl-D on an empty line\n"


def test_a_practice_answer_past_the_size_limit_is_kept_as_a_draft_not_read_on(home: Path):
    from genco_interview.answers import ANSWER_LIMIT

    result = invoke("practice", "-d", "quick", "--no-save", input="a" * (ANSWER_LIMIT + 10))  # no line end at all
    assert result.exit_code == 1, result.output
    match = re.search(r"longer than 4 MB.*kept as a draft in (\S+);", result.stderr)
    assert match and Path(match.group(1)).read_text(encoding="utf-8") == "a" * (ANSWER_LIMIT + 10)  # all of it


def test_a_piped_answer_past_the_size_limit_is_kept_whole_lines_and_all(home: Path):
    from genco_interview.answers import ANSWER_LIMIT

    typed = "First line.\n\n\n" + ("b" * 99 + "\n") * (ANSWER_LIMIT // 100) + "\n\nstill the answer\n" * 50_000
    result = invoke("practice", "-d", "quick", "--no-save", input=typed)
    assert result.exit_code == 1, result.output
    match = re.search(r"longer than 4 MB.*kept as a draft in (\S+);.*\(the draft is longer than an answer can be: "
                      r"shorten it first\)$", result.stderr.strip())
    assert match and Path(match.group(1)).read_text(encoding="utf-8").strip("\n") == typed.strip("\n")


@pytest.mark.parametrize("command", [("score", "-d", "quick"), ("grade", "-d", "quick", "--answer-file", "-")])
@pytest.mark.parametrize(("piped", "said"), [
    (b"A generator yields. " + b"w" * 4 * 1024 * 1024, "longer than 4 MB"),  # past the limit: kept whole
    (b"One r\xe9sult.", "not UTF-8 text (line 1: byte 0xe9, character 6 of the line)"),  # kept byte for byte
    (b"Line one.\nA generator \xff yields.", "not UTF-8 text (line 2: byte 0xff, character 13 of the line)"),
], ids=["too-long", "not-utf8", "not-utf8-on-line-2"])
def test_an_answer_piped_to_score_or_grade_that_cannot_be_scored_is_kept_as_a_draft(
        home: Path, command: tuple[str, ...], piped: bytes, said: str) -> None:
    """`practice` kept such an answer; `score` and `grade` said what was wrong and dropped it."""
    result = invoke(*command, input=piped)
    assert result.exit_code == 1, result.output
    match = re.search(re.escape(said) + r".*kept as a draft in (\S+);", result.stderr)
    assert match and Path(match.group(1)).read_bytes() == piped, result.stderr


def test_the_size_limit_of_a_piped_answer_counts_bytes_as_for_a_file(home: Path):
    """4 MB of text in a three-byte character is 1.4 million characters: saved, it was cut on export."""
    from genco_interview.answers import ANSWER_LIMIT

    typed = "A generator yields many values. " + "\u20ac" * (ANSWER_LIMIT // 3 + 10) + "\n"
    assert len(typed) < ANSWER_LIMIT < len(typed.encode("utf-8"))
    result = invoke("practice", "-d", "quick", input=typed)
    assert result.exit_code == 1, result.output
    match = re.search(r"longer than 4 MB.*kept as a draft in (\S+);", result.stderr)
    assert match and Path(match.group(1)).read_text(encoding="utf-8").rstrip("\n") == typed.rstrip("\n")


def test_a_piped_answer_reads_as_a_file_does_without_its_byte_order_mark_and_carriage_returns(home: Path):
    result = invoke("practice", "-d", "quick",
                    input="\ufeffA generator yields many values.\r\n\r\nA coroutine is awaited.\r\n")
    assert result.exit_code == 0, result.output
    with open_history(create=False) as store:
        assert store.attempts()[-1].answer == "A generator yields many values.\n\nA coroutine is awaited."


def test_a_draft_of_an_answer_past_the_size_limit_stops_at_the_hard_cap(home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    from genco_interview.answers import ANSWER_LIMIT

    monkeypatch.setattr(cli_answer, "DRAFT_LIMIT", ANSWER_LIMIT + 1000)
    result = invoke("practice", "-d", "quick", "--no-save", input="c" * (ANSWER_LIMIT + 5000))
    assert result.exit_code == 1, result.output
    match = re.search(r"kept as a draft in (\S+);.*\(the draft holds its first 4 MB; the rest was not read\)",
                      result.stderr)
    assert match and Path(match.group(1)).read_text(encoding="utf-8") == "c" * (ANSWER_LIMIT + 1000)


def test_a_paste_past_the_size_limit_at_a_terminal_is_read_to_the_answers_end(home: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    """The rest of the paste goes into the draft, not to the shell once genco has exited."""
    from genco_interview.answers import ANSWER_LIMIT

    typed = iter(["x" * ANSWER_LIMIT + "\n", "more of the paste\n", "\n", "and its last line\n", "\n", "\n",
                  "echo not part of it\n"])
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: typed)
    monkeypatch.setattr(cli_answer, "more_waiting", lambda: False)
    with pytest.raises(SystemExit) as ended:
        cli_answer.read_typed_answer(_quiet_console(), "q-one", "quick")
    assert ended.value.code == 1
    draft = next((home / "drafts").iterdir())
    assert draft.read_text(encoding="utf-8") == "x" * ANSWER_LIMIT + "\nmore of the paste\n\nand its last line\n\n\n"
    assert list(typed) == ["echo not part of it\n"]


def _quiet_console():
    from rich.console import Console

    return Console(file=io.StringIO())


def test_a_sheet_written_to_a_pipe_has_no_padding_at_the_ends_of_its_lines(home: Path) -> None:
    """rich pads every line of a table or panel to the full width; saved or diffed, a sheet keeps
    none of those blanks, and still draws its table."""
    result = invoke("rubric", "show", "coroutine-vs-generator", "--depth", "quick", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("a strong answer says" in line for line in lines)
    assert [line for line in lines if line != line.rstrip()] == []


@pytest.mark.parametrize("args", [
    ("score", "coroutine-vs-generator", "-d", "quick", "--answer", "A generator yields.", "--answer", "A coroutine awaits."),
    ("history", "-n", "1", "--limit", "2"),
], ids=["score-answer", "history-limit"])
def test_an_option_of_one_value_given_twice_is_refused_not_overridden(home: Path, args: tuple[str, ...]) -> None:
    """click keeps the last of a repeated option without a word: the first answer would be scored
    and saved as if the second had never been typed."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert "is given more than once; give it once" in line and line.startswith(f"genco {args[0]}: "), line
    assert invoke("history", "--format", "json").stdout.strip() == "[]"


def test_a_kept_grades_note_of_several_lines_keeps_them_under_its_first(home: Path) -> None:
    """Two --note lines: the second began at the left edge, under "Note:", as if it were a line of its own."""
    grade = {"candidate": "Ada", "note": "first line\nsecond line", "machine_score": 50.0, "machine": {}}
    with open_history() as store:
        store.add([attempt_from_card(make_card(), "answer", source="interviewer", grade=grade)])
    result = invoke("show", "last", "--no-model-answer", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "Note: first line\n      second line\n" in result.stdout


@pytest.mark.parametrize("command", [[], ["rubric"], ["model"]], ids=lambda c: " ".join(["genco", *c]))
def test_a_group_given_no_command_prints_its_help_and_succeeds(command: list[str]) -> None:
    """`genco` alone asks for help: click printed it on stderr as a usage error (exit 2)."""
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: {' '.join(['genco', *command])} ") and result.stderr == ""


@pytest.mark.parametrize("columns", [40, 60, 80])
def test_an_attempts_header_breaks_between_its_facts_never_inside_one(columns: int) -> None:
    """`genco show` into a pipe split "genco 0.1.0" across two lines."""
    from genco_interview.views.terminal import items_to_fit

    facts = ["Attempt 12345", "2026-12-05 03:18", "interviewer", "time 12m 05s", "all-MiniLM-L6-v2", "genco 0.1.0"]
    lines = items_to_fit(facts, columns).splitlines()
    assert [fact for line in lines for fact in line.split(" · ")] == facts
    assert all(len(line) <= columns for line in lines) and len(lines) > 1


@pytest.mark.parametrize("columns", [30, 36, 80])
def test_the_interview_list_keeps_each_number_and_score_whole_on_a_narrow_terminal(columns: int) -> None:
    """At 36 columns the `#` column was empty: the N that `interview --show N` takes could not be read."""
    from rich.console import Console

    from genco_interview.progress.rows import StoredInterview
    from genco_interview.views.interview import render_interview_list

    console = Console(width=columns, record=True, color_system=None)
    kept = [StoredInterview(n, "2026-12-05T03:18:00.000000+00:00", 3, 10.2 + n, None) for n in (12, 7)]
    render_interview_list(console, kept)
    rows = [line.split() for line in console.export_text().splitlines()[1:] if line.split()[0].isdigit()]
    assert [(row[0], row[-1]) for row in rows] == [("12", "22.2"), ("7", "17.2")]  # the date may take two lines


def test_an_interview_score_reads_with_one_decimal_wherever_it_is_shown() -> None:
    """A reply's line said "Score: 2" where the interview's table beside it said 2.0."""
    from rich.console import Console

    from genco_interview.interview.mock import Turn
    from genco_interview.progress.rows import StoredInterview
    from genco_interview.views.interview import render_interview_list, render_turn

    console = Console(width=80, record=True, color_system=None)
    render_turn(console, Turn(1, "answer", "coroutine-vs-generator", "quick", "x", None, 180.0, 2.0, (), {}))
    render_interview_list(console, [StoredInterview(3, "2026-12-05T03:18:00.000000+00:00", 1, 30.0, None)])
    text = console.export_text()
    assert text.startswith("Score: 2.0 · 0/0 concepts covered") and text.splitlines()[-1].split()[-1] == "30.0"


def test_an_interview_marks_an_uncertain_score_as_the_history_does() -> None:
    """The interview said 37.2 where `genco history` said 37.2? of the same attempt."""
    from rich.console import Console

    from genco_interview.interview.mock import InterviewReport, QuestionReport, Turn
    from genco_interview.views.interview import render_interview_report, render_turn

    console = Console(width=100, record=True, color_system=None)
    render_turn(console, Turn(1, "answer", "coroutine-vs-generator", "quick", "x", None, 180.0, 37.2, (), {"uncertain": True}))
    assert console.export_text(clear=False).splitlines()[1] == "? uncertain: have a person check"  # where "?" is first seen
    question = QuestionReport("coroutine-vs-generator", "Coroutines vs generators", "quick", 37.2, None, None, None, 180.0,
                              False, (), (), 4, uncertain=True)
    render_interview_report(console, InterviewReport((question,), 37.2, None, 0, ()))
    text = console.export_text()
    assert text.startswith("Score: 37.2? · ") and "37.2?" in text.split("\n", 1)[1]
    assert "? uncertain: have a person check" in text


@pytest.mark.parametrize("option", ["--answer", "--answer-file"])
def test_an_option_of_score_given_to_practice_names_score(option: str) -> None:
    """`practice --answer x` was asked "Did you mean '--no-model-answer'?"."""
    result = invoke("practice", option, "x")
    assert result.exit_code == 2 and result.stderr == (
        f"genco practice: no such option {option!r}; to score an answer already written, use: genco score QUESTION "
        f"{option} {'TEXT' if option == '--answer' else 'FILE'} (see genco practice --help)\n")


def test_an_answer_typed_in_a_locale_that_is_not_utf8_is_read_as_its_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    """LC_ALL=C: a typed "Café" reached Python as lone surrogates and was refused as not UTF-8 text, where the
    same answer piped was scored. Bytes that are not UTF-8 stay, for the refusal to name."""
    stdin = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="surrogateescape")
    monkeypatch.setattr(sys, "stdin", stdin)
    typed = "Caf\udcc3\udca9 generators yield."  # what Python makes of the UTF-8 of "Café" in an ASCII locale
    assert cli_answer.typed_as_utf8(typed) == "Café generators yield."
    assert cli_answer.typed_as_utf8("Caf\udce9") == "Caf\udce9"  # Latin-1 é: no UTF-8 to read
    assert cli_answer.typed_as_utf8("plain") == "plain"


@pytest.mark.parametrize("blank", [" ", "\t", "  \n"])
def test_a_blank_genco_home_is_no_home_and_makes_no_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           blank: str) -> None:
    """GENCO_HOME=' ' made a folder named " " wherever the command ran, and kept the history there."""
    from genco_interview.paths import genco_home

    monkeypatch.setenv("GENCO_HOME", blank)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert genco_home() == tmp_path / "data" / "genco"
    result = invoke("history")
    assert result.exit_code == 0, result.output
    assert not any(p.name.strip() == "" for p in tmp_path.iterdir()), list(tmp_path.iterdir())
