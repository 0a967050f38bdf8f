"""`genco interview` with the real model: questions, follow-ups, the report kept and shown again,
--json, --no-save, Ctrl-C keeping the answer being typed, and follow-ups that score what they ask."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import invoke as run

from genco_interview import cli_answer
from genco_interview.app.interviews import interview_reports, plan_interview, start_interview
from genco_interview.app.workbench import Workbench
from genco_interview.interrupts import Interrupted

from history_helpers import make_attempt

pytestmark = pytest.mark.slow

QUESTION = "coroutine-vs-generator"
MISSING_THE_DRIVER = ("Both are suspendable functions built on the same machinery for pausing and resuming a frame. "
                      "A generator lazily produces many values, one after another; a coroutine stands for one "
                      "operation that eventually gives a single result.")
ABOUT_THE_DRIVER = ("No. The event loop runs one coroutine at a time on its thread and switches to another "
                    "only when the running one awaits, so it is concurrency, not parallelism. A generator "
                    "instead is driven by a for loop calling next().")
OFF_TOPIC = "I would rather talk about my holiday; the weather was lovely."


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def seed_for(question: str, depth: str, tag: str) -> int:
    """A seed that draws `question` first among `tag`'s questions at `depth`."""
    return next(s for s in range(500) if plan_interview(None, 1, tag, depth, s).questions[0].question == question)


def replies(*texts: str) -> str:
    """Replies as typed: each one ends with two empty lines."""
    return "".join(f"{text}\n\n\n" for text in texts)


def test_a_follow_up_that_answers_the_probe_scores_above_one_that_does_not(embedder, home: Path) -> None:
    plan = plan_interview(None, 1, "generators", "quick", seed_for(QUESTION, "quick", "generators"))
    bench = Workbench(embedder=embedder)
    scores = []
    for reply in (ABOUT_THE_DRIVER, OFF_TOPIC):
        session = start_interview(plan, save=False)
        turn = bench.answer_turn(session, 0, MISSING_THE_DRIVER, None)
        assert turn.probe.weakest == "driver" and "parallel" in turn.probe.ask
        scores.append(bench.answer_follow_up(session, 0, reply, None).score)
    good, poor = scores
    assert good >= poor + 30, scores
    assert poor < 30, scores


def test_an_interview_with_fewer_questions_than_asked_says_so(real_model_cli, home: Path) -> None:
    result = run("interview", "--count", "2", "--tag", "gil", "--depth", "quick", "--no-save",
                 input=replies("Threads share one GIL.", "I do not know."))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == ("genco interview: only 1 question with the tag 'gil' at depth 'quick': "
                                             "the interview asks 1, not 2")
    assert "Question 1 of 1" in result.stdout


def test_an_interview_asks_scores_follows_up_and_keeps_its_report(real_model_cli, home: Path) -> None:
    seed = seed_for(QUESTION, "quick", "generators")
    result = run("interview", "--count", "2", "--tag", "generators", "--depth", "quick", "--seed", str(seed),
                 input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER, "Generators yield values.", "I do not know."))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Question 1 of 2" in out and "Question 2 of 2" in out
    assert out.count("Follow-up ·") == 2 and "A good reply:" in out
    assert "Overall:" in out and "Practise next" in out and "saved as interview 1" in out
    assert "answers not timed (the replies came without a clock: piped, or sent by a script)" in out  # piped replies arrive at once: their time means nothing
    header = next(line.split() for line in out.splitlines() if line.split()[:2] == ["question", "depth"])
    assert "time" not in header  # an empty column beside the line saying no answer was timed
    practise = out[out.index("Practise next"):]
    assert "\n    - " in practise  # a concept a line: concept names hold commas of their own
    flat = " ".join(out.split())
    for reply in (MISSING_THE_DRIVER, ABOUT_THE_DRIVER, "Generators yield values.", "I do not know."):
        assert reply in flat  # each piped reply echoed, so the output reads as the conversation
    assert flat.index("Question 2 of 2") < flat.index("Generators yield values.") < flat.index("I do not know.")
    listed = run("interview", "--list", "--json")
    assert [(k["number"], k["questions"]) for k in json.loads(listed.stdout)] == [(1, 2)]
    assert f"Overall: {json.loads(listed.stdout)[0]['score']:.1f}" in out  # the figure --list shows, not rounded apart
    shown = json.loads(run("interview", "--show", "1", "--json").stdout)
    assert shown["number"] == 1 and shown["questions"][0]["question"] == QUESTION
    assert shown["questions"][0]["probe"].startswith("Do coroutines run in parallel")
    assert shown["questions"][0]["follow_up_score"] > 40
    assert "Mock interview 1" in run("interview", "--show", "last").stdout
    history = json.loads(run("history", "--format", "json").stdout)
    assert len(history) == 2  # each main answer is a practice attempt; follow-ups live in the report
    first = shown["questions"][0]["attempt"]
    assert first in {row["number"] for row in history}
    assert run("history", "delete", str(first), "--yes").exit_code == 0  # the report named it still
    again = json.loads(run("interview", "--show", "1", "--json").stdout)["questions"]
    assert again[0]["attempt"] is None and again[1]["attempt"] == shown["questions"][1]["attempt"]


def test_the_editor_file_of_a_follow_up_reply_shows_the_probe(real_model_cli, home: Path, tmp_path: Path) -> None:
    """It showed the main question (at the probe's depth), and a full-screen editor hides the terminal's probe."""
    editor, seen = tmp_path / "editor.sh", tmp_path / "seen.txt"
    editor.write_text(f'#!/bin/sh\nhead -n 1 "$1" >> {seen}\necho "{MISSING_THE_DRIVER}" >> "$1"\n', encoding="utf-8")
    editor.chmod(0o755)
    seed = seed_for(QUESTION, "quick", "generators")
    result = run("interview", "--count", "1", "--tag", "generators", "--depth", "quick", "--seed", str(seed),
                 "--editor", "--no-save", env={"EDITOR": str(editor)})
    assert result.exit_code == 0, result.output
    question, probe = seen.read_text(encoding="utf-8").splitlines()
    assert question.startswith("# What's the difference between a coroutine and a generator")
    assert probe.startswith("# Do coroutines run in parallel"), probe


def test_a_red_flag_is_said_after_the_answer_and_in_the_report(real_model_cli, home: Path) -> None:
    """A confident mistake went unmentioned: the interview said only the score and concepts covered, and
    the report neither; `genco show` alone named the misconception."""
    seed = seed_for(QUESTION, "quick", "generators")
    wrong = ("A coroutine is basically a thread. When you start several coroutines they run in parallel on "
             "different CPU cores.")
    result = run("interview", "--count", "1", "--tag", "generators", "--depth", "quick", "--seed", str(seed),
                 input=replies(wrong, "I do not know."))
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    (kept,) = json.loads(run("interview", "--show", "1", "--json").stdout)["questions"]
    assert kept["red_flags"], "no misconception named: the test no longer tests anything"
    flag = kept["red_flags"][0]
    assert f"red flag: {flag}" in flat and flat.index(f"red flag: {flag}") < flat.index("Follow-up ·")
    assert f"Red flags ✗ {QUESTION} · quick: {flag}" in flat
    assert f"{QUESTION} · quick: {flag}" in " ".join(run("interview", "--show", "1").stdout.split())


def test_a_red_flag_in_a_follow_up_reply_is_said_and_reported(real_model_cli, home: Path) -> None:
    """Only the main answer's misconceptions were said: the same confident mistake in the reply to a probe
    scored 0 without a word, in the interview and in its report."""
    seed = seed_for(QUESTION, "quick", "generators")
    wrong = ("A coroutine is basically a thread. When you start several coroutines they run in parallel on "
             "different CPU cores.")
    result = run("interview", "--count", "1", "--tag", "generators", "--depth", "quick", "--seed", str(seed),
                 input=replies("I do not know.", wrong))
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    (kept,) = json.loads(run("interview", "--show", "1", "--json").stdout)["questions"]
    assert kept["score"] is not None and kept["follow_up_reply"] == wrong
    assert kept["red_flags"], "the reply's misconception is not in the report"
    flag = kept["red_flags"][0]
    assert flat.index("Follow-up ·") < flat.index(f"red flag: {flag}")


def test_json_puts_only_the_report_on_stdout(real_model_cli, home: Path) -> None:
    result = run("interview", "--count", "1", "--seed", "4", "--json", input=replies("Generators yield.", "Not sure."))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report["questions"]) == 1 and report["number"] == 1
    assert "Question 1 of 1" in result.stderr


def test_replies_that_run_out_end_the_interview_with_the_report_of_what_was_answered(real_model_cli,
                                                                                     home: Path) -> None:
    result = run("interview", "--count", "2", "--seed", "4", "--json", input=replies("Generators yield."))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [q["score"] is not None for q in report["questions"]] == [True, False]
    assert "the report covers the 1 of 2 questions answered" in " ".join(result.stderr.split())
    assert json.loads(run("interview", "--list", "--json").stdout)[0]["questions"] == 1  # answered, not planned
    nothing = run("interview", "--count", "2", "--seed", "4", input="")
    assert nothing.exit_code == 1 and "the answer has no words" in nothing.stderr


def test_no_save_keeps_nothing(real_model_cli, home: Path) -> None:
    result = run("interview", "--count", "1", "--seed", "4", "--no-save", input=replies("Generators yield.", "Hm."))
    assert result.exit_code == 0, result.output
    assert "saved as interview" not in result.stdout
    assert not (home / "history.sqlite3").exists()


def _typed_then(interrupt: KeyboardInterrupt, *lines: str) -> Iterator[str]:
    yield from lines
    raise interrupt


KEPT_LINE = "genco: the 1 answered question of 2 is kept as interview 1: genco interview --show 1"


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), Interrupted("SIGTERM"), Interrupted("SIGHUP")],
                         ids=["ctrl-c", "sigterm", "sighup"])
def test_an_interrupt_keeps_the_answer_being_typed_and_what_was_answered(real_model_cli, home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         interrupt: KeyboardInterrupt) -> None:
    typed = [f"{MISSING_THE_DRIVER}\n", "\n", "\n", f"{ABOUT_THE_DRIVER}\n", "\n", "\n", "Half of my second answer\n"]
    stream = _typed_then(interrupt, *typed)  # one stream, read reply after reply, as stdin is
    monkeypatch.setattr(cli_answer, "input_lines", lambda: stream)
    seed = seed_for(QUESTION, "quick", "generators")
    result = run("interview", "--count", "2", "--tag", "generators", "--depth", "quick", "--seed", str(seed))
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output
    draft = Path(result.stderr.split("draft in ", 1)[1].split(";", 1)[0])
    assert draft.read_text(encoding="utf-8") == "Half of my second answer"
    assert result.stderr.splitlines()[-1] == KEPT_LINE  # the draft's line, then the report's
    kept = json.loads(run("interview", "--show", "last", "--json").stdout)
    assert [q["score"] is not None for q in kept["questions"]] == [True, False]
    assert kept["questions"][0]["follow_up_score"] is not None
    assert "1  " in run("interview", "--list").stdout


def test_an_interrupted_follow_up_reply_is_kept_without_a_command_that_scores_it_as_an_answer(
        real_model_cli, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`genco score` would read the reply to one probe as a whole answer and keep a low practice attempt."""
    stream = _typed_then(KeyboardInterrupt(), f"{MISSING_THE_DRIVER}\n", "\n", "\n", "Half of my reply\n")
    monkeypatch.setattr(cli_answer, "input_lines", lambda: stream)
    seed = seed_for(QUESTION, "quick", "generators")
    result = run("interview", "--count", "1", "--tag", "generators", "--depth", "quick", "--seed", str(seed))
    assert result.exit_code == 130, result.output
    line = next(line for line in result.stderr.splitlines() if "draft in " in line)
    assert "your reply to the follow-up is kept as a draft in " in line and "score it with" not in line
    assert Path(line.split("draft in ", 1)[1].split(" ", 1)[0]).read_text(encoding="utf-8") == "Half of my reply"


def _interrupted_at_question_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while question 2 is shown, outside the answer box."""
    from genco_interview.views import interview as views

    shown = views.render_planned

    def render_planned(console, number, total, question) -> None:
        if number == 2:
            raise KeyboardInterrupt
        shown(console, number, total, question)

    monkeypatch.setattr(views, "render_planned", render_planned)


def test_an_interrupt_between_replies_is_one_line_naming_the_kept_report(real_model_cli, home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _interrupted_at_question_2(monkeypatch)
    result = run("interview", "--count", "2", "--seed", "11", input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER))
    assert result.exit_code == 130, result.output
    assert result.stderr.splitlines() == [KEPT_LINE.replace("genco: ", "genco: interrupted; ")]
    assert [k.questions for k in interview_reports(None)] == [1]  # the questions answered


def test_an_interrupted_interview_that_saves_nothing_prints_its_report(real_model_cli, home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With --no-save the report is kept nowhere, so it is printed rather than lost with the interrupt."""
    _interrupted_at_question_2(monkeypatch)
    result = run("interview", "--count", "2", "--seed", "11", "--no-save",
                 input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER))
    assert result.exit_code == 130, result.output
    assert "Practise next" in result.stdout
    assert result.stderr.splitlines() == [
        "genco: interrupted; the report of the 1 answered question of 2 is printed, not kept (--no-save)"]
    assert not (home / "history.sqlite3").exists()


@pytest.mark.parametrize("save", [True, False], ids=["saved", "no-save"])
def test_an_interrupted_json_interview_prints_the_report_of_what_was_answered(real_model_cli, home: Path,
                                                                               monkeypatch: pytest.MonkeyPatch,
                                                                               save: bool) -> None:
    """A tool reading --json gets JSON when the interview is cut short, as an interrupted batch gives it."""
    _interrupted_at_question_2(monkeypatch)
    result = run("interview", "--count", "2", "--seed", "11", "--json", *([] if save else ["--no-save"]),
                 input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER))
    assert result.exit_code == 130, result.output
    report = json.loads(result.stdout)
    assert [q["score"] is not None for q in report["questions"]] == [True, False]
    assert (report["number"] == 1) is save


def test_a_json_interview_interrupted_before_any_answer_prints_its_empty_report(real_model_cli, home: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _typed_then(KeyboardInterrupt(), "Half an answer\n")
    monkeypatch.setattr(cli_answer, "input_lines", lambda: stream)
    result = run("interview", "--count", "2", "--seed", "11", "--json")
    assert result.exit_code == 130, result.output
    report = json.loads(result.stdout)
    assert [q["score"] for q in report["questions"]] == [None, None] and report["number"] is None


def test_an_interrupt_while_the_report_prints_says_where_it_is_kept(real_model_cli, home: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from genco_interview.views import interview as views

    def render_kept(console, number, db=None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(views, "render_kept", render_kept)
    result = run("interview", "--count", "1", "--seed", "4", input=replies("Generators yield.", "Not sure."))
    assert result.exit_code == 130, result.output
    assert result.stderr.splitlines() == [
        "genco: interrupted; the 1 answered question of 1 is kept as interview 1: genco interview --show 1"]


def test_a_second_interrupt_while_the_report_is_kept_does_not_lose_it(real_model_cli, home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import signal

    from genco_interview.progress.store import History

    _interrupted_at_question_2(monkeypatch)
    keep = History.add_interview

    def add_interview(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # pressed again while the report is written
        return keep(self, *args, **kwargs)

    monkeypatch.setattr(History, "add_interview", add_interview)
    result = run("interview", "--count", "2", "--seed", "11", input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER))
    assert result.exit_code == 130, result.output
    assert "kept as interview 1" in result.stderr and "Traceback" not in result.output
    assert [k.questions for k in interview_reports(None)] == [1]  # the questions answered


def test_a_history_that_fails_midway_loses_no_answered_question(real_model_cli, home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from genco_interview.progress import recovery as recovery_files
    from genco_interview.progress import store

    add, calls = store.History.add, []

    def locked_after_the_first(self, attempts):
        calls.append(1)
        if len(calls) > 1:
            raise sqlite3.OperationalError("database is locked")
        return add(self, attempts)

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store.History, "add", locked_after_the_first)
    monkeypatch.setattr(store.History, "add_interview", locked)
    seed = seed_for(QUESTION, "quick", "generators")
    result = run("interview", "--count", "2", "--tag", "generators", "--depth", "quick", "--seed", str(seed),
                 input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER, "Generators yield values.", "Not sure."))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    recovery = home / "recovery"
    said = " ".join(result.stderr.split())
    assert f"the interview report was written to {recovery / recovery_files.RECOVERY_REPORTS}" in said
    assert f"the attempt was written to {recovery / recovery_files.RECOVERY_NAME}" in said
    [report] = [json.loads(line) for line in (recovery / recovery_files.RECOVERY_REPORTS).read_text(encoding="utf-8").splitlines()]
    first, second = report["questions"]
    assert first["score"] is not None and first["follow_up_score"] is not None and first["attempt"] == 1
    assert second["score"] is not None and second["attempt"] is None  # its attempt is in the recovery file
    [attempt] = [json.loads(line) for line in (recovery / recovery_files.RECOVERY_NAME).read_text(encoding="utf-8").splitlines()]
    assert attempt["answer"] == "Generators yield values."


def test_a_report_the_history_cannot_take_at_the_end_is_shown_and_recovered(real_model_cli, home: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from genco_interview.progress import recovery as recovery_files
    from genco_interview.progress import store

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store.History, "add_interview", locked)
    result = run("interview", "--count", "1", "--seed", "4", "--json", input=replies("Generators yield.", "Not sure."))
    assert result.exit_code == 1, result.output
    shown = json.loads(result.stdout)
    assert shown["number"] is None and shown["questions"][0]["score"] is not None
    recovered = (home / "recovery" / recovery_files.RECOVERY_REPORTS).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["questions"] for line in recovered] == [shown["questions"]]
    assert "the interview report was written to" in result.stderr


def _two_rubrics_of_mine(folder: Path) -> None:
    """cust-one and cust-two, the tests' tiny rubric under two ids and the tag `custom`."""
    from rubric_helpers import TINY_ID, TINY_RUBRIC

    folder.mkdir()
    for rubric_id in ("cust-one", "cust-two"):
        text = TINY_RUBRIC.replace(f"id: {TINY_ID}", f"id: {rubric_id}").replace("tags: [testing]", "tags: [custom]")
        (folder / f"{rubric_id}.yaml").write_text(text, encoding="utf-8")


def _changed_while_answering(monkeypatch: pytest.MonkeyPatch, change) -> None:
    """Typed replies, in which `change()` runs while the second question's answer is being typed."""
    def typed() -> Iterator[str]:
        yield from ["Both are steeped in hot water.\n", "\n", "\n", "A machine brews coffee.\n", "\n", "\n",
                    "A pot gives many cups.\n"]
        change()
        yield from ["\n", "\n", "You steep tea by hand.\n", "\n", "\n"]

    stream = typed()
    monkeypatch.setattr(cli_answer, "input_lines", lambda: stream)


def _renamed_depths(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("quick:", "fast:"), encoding="utf-8")


@pytest.mark.parametrize("change", [Path.unlink, lambda path: path.write_text("id: [\n"), _renamed_depths],
                         ids=["deleted", "invalid", "depths-renamed"])
def test_a_rubric_changed_during_the_interview_scores_with_the_one_planned(
        real_model_cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change) -> None:
    folder = tmp_path / "mine"
    _two_rubrics_of_mine(folder)
    monkeypatch.setenv("GENCO_RUBRICS", str(folder))
    seed = seed_for("cust-one", "quick", "custom")
    _changed_while_answering(monkeypatch, lambda: change(folder / "cust-two.yaml"))
    result = run("interview", "--count", "2", "--tag", "custom", "--depth", "quick", "--seed", str(seed), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [q["question"] for q in report["questions"]] == ["cust-one", "cust-two"]
    assert all(q["score"] is not None and q["follow_up_score"] is not None for q in report["questions"])


def test_an_unfinished_copy_of_a_question_is_one_warning_and_the_question_is_not_planned(
        real_model_cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `rubric new` skeleton with a shipped rubric's id replaces that question, and until it validates asking
    for it shows its errors, as `practice` does: the interview plans the other questions, with one warning (it
    asked the shipped question, which no other command would)."""
    seed = seed_for(QUESTION, "quick", "generators")  # the seed that draws it without the skeleton
    folder = tmp_path / "other"
    assert run("rubric", "new", QUESTION, "--out", str(folder)).exit_code == 0
    monkeypatch.setenv("GENCO_RUBRICS", str(folder))
    result = run("interview", "--count", "1", "--tag", "generators", "--depth", "quick", "--seed", str(seed),
                 "--no-save", input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER))
    assert result.exit_code == 0, result.output
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"genco: skipping a rubric that does not load: {folder / QUESTION}.yaml:")
    assert "Question 1 of 1" in result.stdout and "Coroutines vs generators" not in result.stdout


def test_an_answer_that_cannot_be_scored_is_kept_as_a_draft(real_model_cli, home: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from genco_interview.rubric import RubricError

    def unscorable(*args, **kwargs):
        raise RubricError("mine.yaml:3: concepts: changed under the interview")

    monkeypatch.setattr(Workbench, "score", unscorable)
    result = run("interview", "--count", "1", "--seed", "4", input=replies("Generators yield values."))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = next(line for line in result.stderr.splitlines() if "draft in " in line)
    assert line.startswith("genco interview: mine.yaml:3: concepts: changed under the interview; your answer is kept")
    draft = Path(line.split("draft in ", 1)[1].split(";", 1)[0])
    assert draft.read_text(encoding="utf-8") == "Generators yield values."


@pytest.mark.parametrize(("argv", "message"), [
    (["--tag", "no-such-tag"], "no question has tag 'no-such-tag'"),
    (["--list", "--show", "1"], "give one of --list, --show and --delete, not --list and --show"),
    (["--delete", "1", "--show", "1"], "not --show and --delete"),
    (["--delete", "last", "--count", "2"], "--count means nothing with --delete, which deletes a kept report"),
    (["--list", "--yes"], "--yes means nothing with --list"),
    (["--yes", "--count", "1"], "--yes means nothing without --delete"),  # no interview started to ignore it
    (["--count", "0"], "0 is not in the range"),
    (["--list", "--count", "2"], "--count means nothing with --list, which lists the kept reports"),
    (["--list", "--tag", "asyncio", "--seed", "3"], "--tag and --seed mean nothing with --list"),
    (["--show", "last", "--depth", "quick"], "--depth means nothing with --show, which shows a kept report"),
    (["--list", "--no-save"], "--no-save means nothing with --list"),
    (["--show", "1", "--editor", "--backend", "torch"], "--editor and --backend mean nothing with --show"),
])
def test_usage_errors_are_one_line_exit_2(home: Path, argv: list[str], message: str) -> None:
    result = run("interview", *argv, input="")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_listing_takes_json_and_the_history_and_the_model_from_the_environment(home: Path, tmp_path: Path) -> None:
    """Only options typed are refused with --list: GENCO_MODEL set for the other commands is fine."""
    result = run("interview", "--list", "--format", "json", "--db", str(tmp_path / "h.sqlite3"),
                 env={"GENCO_MODEL": str(tmp_path / "model")})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("argv", [["--show", "3"], ["--show", ""], ["--delete", ""], ["--delete", "", "--json"]])
def test_showing_a_report_that_does_not_exist_is_one_line(home: Path, argv: list[str]) -> None:
    """An empty number read as no option given: --show "" and --delete "" raised an IndexError."""
    result = run("interview", *argv)
    assert result.exit_code == 1 and f"no interview '{argv[1]}'" in result.stderr and "Traceback" not in result.output
    assert "No mock interviews kept yet: run `genco interview`." in run("interview", "--list").stdout


@pytest.mark.parametrize("args, input, kept", [([], "n\n", [2, 1]), ([], "y\n", [1]), (["--yes"], None, [1]),
                                               (["--json"], "n\n", [2, 1])],
                         ids=["declined", "confirmed", "yes-flag", "declined-json"])
def test_deleting_a_kept_report_asks_at_a_terminal_and_keeps_its_answers(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        args: list[str], input: str | None,
                                                                        kept: list[int]) -> None:
    """A report could be listed and shown but never deleted (`history delete` of its answers left it listed);
    its answers are practice attempts like any other and stay, and its number is never given again."""
    from genco_interview.progress.store import open_history

    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    with open_history() as store:
        store.add_interview({"questions": []}, 0, 0.0)
        store.add_interview({"questions": []}, 2, 61.25)
        store.add([make_attempt(day=1)])
    result = run("interview", "--delete", "last", *args, input=input)
    assert result.exit_code == 0, result.output
    assert ("Delete interview report 2 (2 questions, score 61.2, " in result.stderr) == ("--yes" not in args)
    assert [k.id for k in interview_reports(None)] == kept
    if "--json" in args:  # a "no" is said to a tool too
        assert json.loads(result.stdout) == {"deleted": None}
    else:
        assert ("deleted interview report 2" in result.stdout) == (kept == [1])
        assert ("nothing deleted: interview report 2 kept" in result.stdout) == (kept != [1])
    with open_history() as store:
        assert store.count() == 1  # its answers stay
        if kept == [1]:
            assert store.add_interview({"questions": []}, 0, 0.0).id == 3  # 2 is not given to another report


def test_deleting_a_report_takes_json_and_a_damaged_one_too(home: Path) -> None:
    """A report edited by hand cannot be shown, but it can be deleted; a number kept by none is one line, exit 1."""
    from genco_interview.progress.store import open_history

    with open_history() as store:
        store.add_interview({"questions": []}, 1, 40.0)
        store.conn.execute("UPDATE interviews SET report = 'not json', score = 'x'")
        store.conn.commit()
    assert run("interview", "--show", "1").exit_code == 1
    shown = run("interview", "--show", " 1 ")  # damaged, but found: blanks around a number are none of it
    assert shown.exit_code == 1 and "damaged" in shown.stderr and "no interview" not in shown.stderr
    result = run("interview", "--delete", " 1", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"deleted": {"number": 1, "created_at": json.loads(result.stdout)["deleted"][
        "created_at"], "questions": 1, "score": None}}
    again = run("interview", "--delete", "1")
    assert again.exit_code == 1 and again.stderr.count("\n") == 1 and "no interview '1'" in again.stderr


def test_an_empty_list_suggests_an_interview_in_the_history_it_read(home: Path, tmp_path: Path) -> None:
    db = tmp_path / "other history.sqlite3"
    assert f"run `genco interview --db '{db}'`" in run("interview", "--list", "--db", str(db)).stdout


def test_listing_and_showing_reports_never_load_the_model(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = ("import sys; from genco_interview.cli import main\n"
            "for argv in (['interview', '--list'], ['interview', '--show', 'last'], ['interview', '--delete', '1']):\n"
            "    sys.argv = ['genco', *argv]\n"
            "    try: main()\n"
            "    except SystemExit: pass\n"
            "print('torch' in sys.modules, 'onnxruntime' in sys.modules, 'sentence_transformers' in sys.modules)")
    env = {**os.environ, "GENCO_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).parent.parent, timeout=120)
    assert done.stdout.splitlines()[-1] == "False False False", done.stderr


def test_an_unknown_depth_lists_the_valid_ones(home):
    result = run("interview", "--depth", "nope")
    assert result.exit_code == 2 and "depths: quick, detailed, deep" in result.stderr


def test_the_kept_interview_line_names_the_history_it_was_kept_in() -> None:
    """`interview --db X` said "genco interview --show 1", which then read the default history: "no interview '1'"."""
    from io import StringIO

    from rich.console import Console

    from genco_interview.views.interview import render_kept

    console = Console(file=StringIO(), width=200)
    render_kept(console, 1, "my history.db")
    render_kept(console, 2)
    assert console.file.getvalue().splitlines() == ["saved as interview 1 · genco interview --show 1 --db 'my history.db'",
                                                    "saved as interview 2 · genco interview --show 2"]


@pytest.mark.parametrize("options", [["--seed", "1"], ["--tag", "generators"]])
def test_a_history_that_cannot_keep_the_replies_is_said_before_the_first_question(home: Path, tmp_path: Path,
                                                                                  options: list[str]) -> None:
    """Drawn at random, the questions read no history: the whole answer was typed, then it failed unscored."""
    (tmp_path / "not-a-history").write_text("notes\n", encoding="utf-8")
    for db in (tmp_path, tmp_path / "not-a-history"):
        result = run("interview", "--count", "1", *options, "--db", str(db), input=replies("A generator yields."))
        assert result.exit_code == 1 and result.stdout == "", result.output
        assert result.stderr.count("\n") == 1 and str(db) in result.stderr


def test_a_report_on_a_narrow_terminal_names_each_question_whole(real_model_cli, home: Path) -> None:
    """At 30 columns the question column was gone: rows of "quick 11.5 0.0" said nothing of which question."""
    seed = seed_for(QUESTION, "quick", "generators")
    assert run("interview", "--count", "1", "--tag", "generators", "--depth", "quick", "--seed", str(seed),
               input=replies(MISSING_THE_DRIVER, ABOUT_THE_DRIVER)).exit_code == 0
    shown = run("interview", "--show", "last", env={"COLUMNS": "30"}).stdout
    assert f"{QUESTION} · quick" in shown and "score " in shown and "follow-up " in shown
