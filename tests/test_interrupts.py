"""Interrupts (Ctrl-C, SIGTERM, a closed terminal) never lose a typed answer and always exit 130.

Some of these run `genco` as a real process: signals, a model still loading on a thread, and
interpreter shutdown cannot be reproduced inside the test runner.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_helpers import invoke as run
from terminal_helpers import Terminal

from genco_interview import cli as cli_module
from genco_interview import cli_answer, embedding
from genco_interview.embedding import ModelError
from genco_interview.interrupts import Interrupted, caught_interrupts, held, set_aside, stop_asked

ROOT = Path(__file__).resolve().parent.parent
TYPED = "A generator yields many values lazily."
DRAFT = re.compile(r"genco: interrupted; your answer is kept as a draft in (\S+); score it with: "
                   r"genco score coroutine-vs-generator -d quick --answer-file \1")




@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    return tmp_path / "home"


# --- the signal handling itself ------------------------------------------------------------------------


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT])
def test_each_signal_is_raised_as_an_interrupt(number: int) -> None:
    with pytest.raises(Interrupted) as caught, caught_interrupts():
        os.kill(os.getpid(), number)
        time.sleep(1)
    assert caught.value.signal_name == signal.Signals(number).name
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_second_signal_while_the_first_is_handled_does_not_cut_the_handling_short() -> None:
    """A supervisor or a closing terminal repeats its signal: the repeat must not be raised inside the
    clean-up the first one started (a JSON batch closing its array, a draft being kept)."""
    steps = []
    with pytest.raises(Interrupted), caught_interrupts():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        except Interrupted:
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(0.2)
            steps.append("clean-up finished")
            raise
    assert steps == ["clean-up finished"]


def test_a_held_step_finishes_before_the_interrupt_is_raised() -> None:
    steps = []
    with pytest.raises(Interrupted), caught_interrupts():
        with held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
            steps.append("finished")
        steps.append("after")  # never reached
    assert steps == ["finished"]


def test_an_interrupt_held_while_an_error_ends_the_command_leaves_the_error_to_say_so() -> None:
    """A batch's history was locked as it was interrupted: the interrupt, raised as the JSON array was closed,
    replaced the error that named the recovery file holding the batch's answers with "0 saved"."""
    with pytest.raises(OSError, match="the history is locked"), caught_interrupts():
        try:
            raise OSError("the history is locked")
        finally:
            with held():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.2)
            assert set_aside() == "SIGTERM"  # the error ends the command with the interrupt's 130


def test_a_wait_begun_while_the_command_ends_on_an_interrupt_gives_up() -> None:
    """After Ctrl-C a mock interview keeps its report: with the history locked, it waited out the whole timeout."""
    with caught_interrupts():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
        except Interrupted:
            assert stop_asked()


@pytest.mark.parametrize("command", [("score", "-d", "quick", "--answer", "A generator yields many values lazily."),
                                     ("score", "-d", "quick", "--answer", "A generator yields many values lazily.",
                                      "--format", "json")])
def test_an_interrupt_while_the_history_refuses_the_attempt_says_where_it_went(home: Path, embedder,
                                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                                 command: tuple[str, ...]) -> None:
    """Ctrl-C while the save waited for a locked history said "genco: interrupted" alone: the attempt was in a
    recovery file nobody was told of."""
    import sqlite3

    from genco_interview.progress.store import History

    def locked(self: History, attempts: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # pressed while the save waits for the lock
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(embedding, "load_embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setattr(History, "add", locked)
    monkeypatch.setattr(cli_module, "_exit_now", lambda code: sys.exit(code))  # the model's runtime is loaded
    result = run(*command)
    assert result.exit_code == 130, result.output
    recovery = home / "recovery" / "attempts.jsonl"
    assert result.stderr.startswith("genco: interrupted; history file ") and "is locked by another program" in result.stderr
    assert f"the attempt was written to {recovery}" in " ".join(result.stderr.split()) and recovery.is_file()
    if "json" in command:  # the card still printed: stdout was empty
        assert json.loads(result.stdout)["score"] > 0


def test_an_interrupt_python_swallows_in_a_finaliser_is_raised_again(capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C landing while a generator is closed by the garbage collector was printed as "Exception
    ignored" and dropped: the interview went on scoring as if it had not been pressed."""
    import gc

    def reading():
        try:
            yield "line"
        finally:
            raise Interrupted("SIGINT")  # where the handler fired: inside the generator's close

    steps = []
    with pytest.raises(Interrupted) as caught, caught_interrupts():
        lines = reading()
        next(lines)
        del lines  # closed by its finaliser: the exception cannot propagate from there
        gc.collect()
        time.sleep(0.5)
        steps.append("went on")  # never reached: the interrupt lands in ordinary code
    assert steps == [] and caught.value.signal_name == "SIGINT"
    assert "Exception ignored" not in capsys.readouterr().err
    assert sys.unraisablehook is sys.__unraisablehook__ or "resending" not in repr(sys.unraisablehook)


# --- practice, in process -------------------------------------------------------------------------------


class _Loader:
    """Stands in for the background loader; `get` fails the way the test asks."""

    failure: BaseException = KeyboardInterrupt()

    def __init__(self, model=None, backend=None, warm=None, on_error=None, hold_notices=False) -> None:
        pass

    def get(self) -> object:
        raise self.failure


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), Interrupted("SIGTERM")], ids=["ctrl-c", "sigterm"])
def test_an_interrupt_while_scoring_keeps_the_answer(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                     failure: BaseException) -> None:
    _Loader.failure = failure
    monkeypatch.setattr(embedding, "BackgroundLoader", _Loader)
    result = run("practice", "-d", "quick", input=TYPED + "\n\n")
    assert result.exit_code == 130, result.output
    match = DRAFT.fullmatch(result.stderr.strip())
    assert match, result.stderr
    assert Path(match.group(1)).read_text(encoding="utf-8") == TYPED


def test_an_interrupt_while_the_history_refuses_a_practice_attempt_exits_130(home: Path, embedder,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while practice's save waited for a locked history ended in exit 1 (score, grade and interview in
    130): the save's own error left the held interrupt pending, unsaid."""
    import sqlite3

    from genco_interview.progress.store import History

    class Loaded(_Loader):
        def get(self) -> object:
            return embedder

    def locked(self: History, attempts: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # pressed while the save waits for the lock
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(embedding, "BackgroundLoader", Loaded)
    monkeypatch.setattr(History, "add", locked)
    monkeypatch.setattr(cli_module, "_exit_now", lambda code: sys.exit(code))  # the model's runtime is loaded
    result = run("practice", "-d", "quick", input=TYPED + "\n\n")
    assert result.exit_code == 130, result.output
    assert result.stderr.startswith("genco practice: interrupted; history file "), result.stderr
    assert (home / "recovery" / "attempts.jsonl").is_file()


def test_an_interrupt_held_while_the_step_itself_fails_is_set_aside_and_stays_pending() -> None:
    """The step's error ends the command in the interrupt's 130; a caller that goes on still meets the interrupt."""
    with pytest.raises(Interrupted), caught_interrupts():
        with pytest.raises(OSError, match="the history is locked"), held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
            raise OSError("the history is locked")
        assert set_aside() == "SIGTERM"
        with held():
            pass  # the pending interrupt is raised as this step ends


@pytest.mark.parametrize("command", [("score", "-d", "quick", "--answer", "A generator yields values."),
                                     ("score", "-d", "quick", "--answer", "A generator yields values.", "--format", "json")])
def test_an_interrupt_as_a_scored_answer_is_kept_says_where_it_is(home: Path, embedder, monkeypatch: pytest.MonkeyPatch,
                                                                  command: tuple[str, ...]) -> None:
    """Ctrl-C just after `score` kept the attempt said only "interrupted": the user scored it again."""
    @contextmanager
    def raised_once_done() -> Iterator[None]:  # as `held` raises an interrupt that arrived inside the block
        yield
        raise KeyboardInterrupt

    monkeypatch.setattr(embedding, "load_embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setattr(cli_module, "held", raised_once_done)
    monkeypatch.setattr(cli_module, "_exit_now", lambda code: sys.exit(code))  # the model's runtime is loaded
    result = run(*command)
    assert result.exit_code == 130, result.output
    assert result.stderr == "genco: interrupted; the attempt was saved as attempt 1: genco show 1\n"
    assert run("show", "1").exit_code == 0


@pytest.mark.parametrize("cut", ["while the card prints", "as the attempt is saved"])
def test_an_interrupt_once_the_attempt_is_kept_says_where_it_is(home: Path, embedder, monkeypatch: pytest.MonkeyPatch,
                                                                 cut: str) -> None:
    """As the attempt was saved, Ctrl-C also kept it as a draft: the command the message gave saved it twice."""
    class Loaded(_Loader):
        def get(self) -> object:
            return embedder

    def cut_short(*args, **kwargs) -> None:
        raise KeyboardInterrupt

    @contextmanager
    def raised_once_done() -> Iterator[None]:  # as `held` raises an interrupt that arrived inside the block
        yield
        raise KeyboardInterrupt

    monkeypatch.setattr(embedding, "BackgroundLoader", Loaded)
    if cut == "while the card prints":
        monkeypatch.setattr(cli_module, "_show_practice_result", cut_short)
    else:
        monkeypatch.setattr(cli_module, "held", raised_once_done)
    monkeypatch.setattr(cli_module, "_exit_now", lambda code: sys.exit(code))  # the model's runtime is loaded
    result = run("practice", "-d", "quick", input=TYPED + "\n\n")
    assert result.exit_code == 130, result.output
    assert result.stderr == "genco: interrupted; the attempt was saved as attempt 1: genco show 1\n"
    assert not (home / "drafts").exists() or not any((home / "drafts").iterdir())
    shown = run("show", "1")
    assert shown.exit_code == 0 and TYPED in shown.output


def test_an_interrupt_while_the_card_of_an_answer_kept_nowhere_prints_keeps_the_answer(home: Path, embedder,
                                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With --no-save nothing holds the answer once it is scored: Ctrl-C as its card printed lost it, saying only
    "genco: interrupted"."""
    class Loaded(_Loader):
        def get(self) -> object:
            return embedder

    def cut_short(*args, **kwargs) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(embedding, "BackgroundLoader", Loaded)
    monkeypatch.setattr(cli_module, "_show_practice_result", cut_short)
    monkeypatch.setattr(cli_module, "_exit_now", lambda code: sys.exit(code))  # the model's runtime is loaded
    result = run("practice", "-d", "quick", "--no-save", input=TYPED + "\n\n")
    assert result.exit_code == 130, result.output
    match = DRAFT.match(result.stderr.strip())
    assert match and result.stderr.strip().endswith(f"{match.group(1)} --no-save"), result.stderr
    assert Path(match.group(1)).read_text(encoding="utf-8") == TYPED


@pytest.mark.parametrize(("failure", "said"), [
    (ModelError("cannot load the model at /nowhere: broken"), "cannot load the model at /nowhere: broken"),
    # writing to a terminal that has gone fails (EIO) before its SIGHUP arrives
    (OSError(errno.EIO, "Input/output error"), r"cannot go on \(Input/output error\)"),
], ids=["model-cannot-load", "terminal-gone"])
def test_a_failure_while_scoring_keeps_the_answer(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                  failure: BaseException, said: str) -> None:
    _Loader.failure = failure
    monkeypatch.setattr(embedding, "BackgroundLoader", _Loader)
    result = run("practice", "-d", "quick", input=TYPED + "\n\n")
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    match = re.fullmatch(rf"genco practice: {said}; your answer is kept as a draft in (\S+); score it with: .*", line)
    assert match, line
    assert Path(match.group(1)).read_text(encoding="utf-8") == TYPED


def test_a_model_failure_is_told_while_the_learner_types(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    cli_module._say_the_model_failed(ModelError("cannot load the model at /nowhere: broken"))
    assert capsys.readouterr().err == ("genco: the model cannot load (cannot load the model at /nowhere: broken); "
                                       "finish your answer and it will be kept as a draft\n")


def test_sigterm_while_typing_keeps_the_draft_in_process(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def typed_then_terminated():
        yield TYPED + "\n"
        raise Interrupted("SIGTERM")

    monkeypatch.setattr(embedding, "BackgroundLoader", _Loader)
    monkeypatch.setattr(cli_answer, "input_lines", typed_then_terminated)
    result = run("practice", "-d", "quick")
    assert result.exit_code == 130
    assert DRAFT.fullmatch(result.stderr.strip()), result.stderr


def test_an_empty_line_before_any_text_says_what_to_do(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "BackgroundLoader", _Loader)
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(["\n", "\n", TYPED + "\n"]))
    _Loader.failure = KeyboardInterrupt()
    result = run("practice", "-d", "quick")
    assert result.stdout.count("nothing typed yet: type your answer, then two empty lines to finish; Ctrl-C quits") == 1


def test_an_interrupted_import_exits_130_and_adds_nothing(home: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import genco_interview.cli_history as cli_history

    def interrupted(text: str, name: str, **options: object) -> list:
        raise KeyboardInterrupt

    backup = tmp_path / "backup.jsonl"
    backup.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(cli_history, "parse_export", interrupted)
    result = run("history", "import", str(backup))
    assert result.exit_code == 130
    assert result.stderr == "genco: interrupted\n"


# --- practice as a real process ---------------------------------------------------------------------------


def _practice(home: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "GENCO_HOME": str(home), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1",
                   "PYTHONPATH": str(ROOT), **env}
    return subprocess.Popen([sys.executable, "-m", "genco_interview", "practice", "-d", "quick", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=environment, cwd=home.parent)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT])
def test_a_signal_while_typing_keeps_the_draft(tmp_path: Path, number: int) -> None:
    home = tmp_path / "home"
    process = _practice(home, GENCO_BACKEND="torch")
    assert process.stdin is not None
    process.stdin.write(TYPED + "\n")
    process.stdin.flush()
    time.sleep(2)
    process.send_signal(number)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    match = DRAFT.fullmatch(err.strip())
    assert match, err
    assert Path(match.group(1)).read_text(encoding="utf-8") == TYPED


def _draft_in(home: Path, timeout: float = 60) -> str:
    """The one draft's text once genco has written it (a process under a closed terminal tells no one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        drafts = list((home / "drafts").glob("*.txt")) if (home / "drafts").is_dir() else []
        if drafts:
            (draft,) = drafts
            time.sleep(0.2)  # written whole: a draft is created, written and synced in one go
            return draft.read_text(encoding="utf-8")
        time.sleep(0.2)
    raise AssertionError(f"no draft in {home} after {timeout} s")


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("under_a_shell", [False, True], ids=["genco-owns-the-terminal", "started-from-a-shell"])
def test_closing_the_terminal_while_typing_keeps_the_draft(tmp_path: Path, under_a_shell: bool) -> None:
    """A closed window or a dropped connection: input ends (EOF) and a SIGHUP follows, from the kernel
    or the shell, in either order. Whichever comes first, what was typed is kept."""
    home = tmp_path / "home"
    genco = [sys.executable, "-m", "genco_interview", "practice", "-d", "quick"]
    argv = ["/bin/sh", "-c", shlex.join(genco) + "; exit $?"] if under_a_shell else genco
    terminal = Terminal(argv, {"GENCO_HOME": str(home), "GENCO_BACKEND": "torch"})
    terminal.wait_for("Type your answer")
    terminal.type(TYPED + "\n", pause=1)
    terminal.close()
    code = terminal.exit_code()
    assert _draft_in(home) == TYPED
    if not under_a_shell:
        assert code == 130




@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("keys", ["\x03", "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_typing_with_the_output_going_to_a_file_edits_lines_as_on_the_terminal(tmp_path: Path, keys: str) -> None:
    """`genco practice | tee log`: Python's input() edits lines with readline only when stdout is the terminal
    too, so the line being typed when Ctrl-C came was lost (the draft held the lines entered before it) and
    Ctrl-D after text did not end the answer. What is typed is shown on the terminal, not written to the file;
    so are the question and the prompt (they went into the file, and the learner typed blind), the card is not."""
    home, out = tmp_path / "home", tmp_path / "out.txt"
    genco = [sys.executable, "-m", "genco_interview", "practice", "-d", "quick", "--no-save"]
    terminal = Terminal(["/bin/sh", "-c", f"exec {shlex.join(genco)} > {shlex.quote(str(out))}"],
                        {"GENCO_HOME": str(home), "GENCO_BACKEND": "torch"})
    terminal.wait_for("Type your answer")
    assert "Quick" in terminal.shown or "quick" in terminal.shown  # the question's panel, with its depth
    time.sleep(1.5)  # the prompt is written just before the first line is read
    terminal.type("Lazy values.\n" + TYPED, pause=0.5)
    terminal.type(keys, pause=0.5)
    code = terminal.exit_code()
    if keys == "\x03":
        assert code == 130 and _draft_in(home, timeout=5) == "Lazy values.\n" + TYPED
        assert TYPED not in out.read_text(encoding="utf-8")  # the keys are shown on the terminal only
    else:
        assert code == 0 and "Score " in out.read_text(encoding="utf-8"), terminal.shown
        assert "Score " not in terminal.shown
    assert "Type your answer" not in out.read_text(encoding="utf-8")


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])  # SIGQUIT: Ctrl+backslash
def test_a_signal_as_keys_arrive_neither_hangs_nor_loses_them(tmp_path: Path, number: int) -> None:
    """A signal that lands while the line editor handles typed keys (no Enter yet) sets Python's flag
    and nothing more: genco must not then wait for another key (for ever, once the window is gone)."""
    home = tmp_path / "home"
    terminal = Terminal([sys.executable, "-m", "genco_interview", "practice", "-d", "quick", "--no-save"],
                        {"GENCO_HOME": str(home)})
    terminal.wait_for("Type your answer")
    time.sleep(1.5)  # the model has loaded: only the line editor is running
    terminal.type(TYPED, pause=0)
    os.kill(terminal.pid, number)
    assert terminal.exit_code(timeout=20) == 130
    assert _draft_in(home, timeout=5) == TYPED


def test_ctrl_c_at_once_exits_130_while_the_model_is_still_loading(tmp_path: Path) -> None:
    process = _practice(tmp_path / "home", GENCO_BACKEND="torch")
    time.sleep(0.8)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "genco: interrupted\n"


def test_an_editor_that_exits_at_once_is_one_line_and_exit_1(tmp_path: Path) -> None:
    process = _practice(tmp_path / "home", "--editor", EDITOR="true", GENCO_BACKEND="torch")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert err == "genco practice: the answer has no words; nothing to score\n"


def test_ctrl_c_while_genco_itself_imports_is_one_line_and_130(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Before any handler is installed, an interrupt arrives as KeyboardInterrupt inside an import."""
    from genco_interview import launch

    class Interrupting:
        def find_spec(self, name, path=None, target=None):
            if name == "genco_interview.cli":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "genco_interview.cli")
    monkeypatch.setattr(sys, "meta_path", [Interrupting(), *sys.meta_path])
    with pytest.raises(SystemExit) as exit:
        launch.main()
    assert exit.value.code == 130
    assert capsys.readouterr().err == "genco: interrupted\n"


def _launched_with(monkeypatch: pytest.MonkeyPatch, during_import, signum: int, handler) -> int:  # noqa: ANN001
    """The exit code of launch.main() with `handler` set for `signum` meanwhile and `during_import()` run as
    genco_interview.cli is imported (before any handler of genco's own is installed)."""
    from genco_interview import launch

    class Finder:
        def find_spec(self, name, path=None, target=None):
            if name == "genco_interview.cli":
                during_import()
            return None

    monkeypatch.delitem(sys.modules, "genco_interview.cli")
    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    previous = signal.signal(signum, handler)
    try:
        with pytest.raises(SystemExit) as exit:
            launch.main()
    finally:
        signal.signal(signum, previous)
    return exit.value.code


def test_ctrl_c_while_genco_imports_is_one_line_and_130_when_started_with_sigint_ignored(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A background job of a non-interactive shell inherits SIGINT ignored: a Ctrl-C before the command's
    handler was installed was dropped, and practice then waited at its prompt for ever."""
    def ctrl_c() -> None:
        signal.raise_signal(signal.SIGINT)  # its handler, if any, runs before this returns
        raise AssertionError("the Ctrl-C was ignored")

    assert _launched_with(monkeypatch, ctrl_c, signal.SIGINT, signal.SIG_IGN) == 130
    assert capsys.readouterr().err == "genco: interrupted\n"


def test_sigterm_while_genco_itself_imports_is_one_line_and_130(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A supervisor's SIGTERM in genco's first tenth of a second killed it silently (exit 143)."""
    def unhandled(signum, frame):  # stands in for the default handler, which would kill the test run
        raise AssertionError("genco set no handler for SIGTERM while it loads")

    assert _launched_with(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGTERM), signal.SIGTERM, unhandled) == 130
    assert capsys.readouterr().err == "genco: interrupted\n"


def test_an_import_error_left_by_an_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """numpy's C API, interrupted while it imports, replaces the interrupt with ImportError("import numpy
    failed") and drops the chain: the interrupt that was raised still decides the exit."""
    from genco_interview import interrupts

    def interrupted_import(*args, **kwargs):
        raise ImportError("import numpy failed")

    monkeypatch.setattr(cli_module, "cli", interrupted_import)
    monkeypatch.setattr(interrupts, "_raised", "SIGINT")
    with pytest.raises(SystemExit) as exit:
        cli_module.main()
    assert exit.value.code == 130 and capsys.readouterr().err == "genco: interrupted\n"
    monkeypatch.setattr(interrupts, "_raised", None)
    with pytest.raises(ImportError):
        cli_module.main()


def test_the_command_that_scores_a_draft_is_quoted_for_a_shell(tmp_path: Path) -> None:
    hint = cli_answer.draft_hint(tmp_path / "a b" / "d;x.txt", "coroutine-vs-generator", "quick")
    command = hint.split("score it with: ", 1)[1]
    assert shlex.split(command)[-1] == str(tmp_path / "a b" / "d;x.txt")


def test_an_interrupt_held_by_another_thread_reaches_the_main_one() -> None:
    """The model loads in a thread that holds interrupts while onnxruntime imports: a Ctrl-C then
    must still stop the main thread, waiting at the prompt, not end the loading thread instead."""
    import threading

    ended: list[str] = []
    started = threading.Event()

    def load() -> None:
        with held():
            started.set()
            time.sleep(0.5)
        ended.append("loaded")

    with pytest.raises(Interrupted) as caught, caught_interrupts():
        loader = threading.Thread(target=load)
        loader.start()
        started.wait(5)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the prompt's wait: the interrupt must cut it short
    loader.join(5)
    assert caught.value.signal_name == "SIGINT" and ended == ["loaded"]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_sent_three_times_still_exits_130(tmp_path: Path, number: int) -> None:
    """A supervisor or a closing terminal often sends its signal more than once: the second must not
    find the default handler back in place while the batch prints its last line (exit 143 or 129)."""
    import json

    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"id": i, "answer": f"A generator yields values lazily ({i}); a coroutine "
                                         "is awaited by the event loop."}) + "\n" for i in range(3000)), encoding="utf-8")
    environment = {**os.environ, "GENCO_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
                   "GENCO_BACKEND": "torch"}
    process = subprocess.Popen([sys.executable, "-m", "genco_interview", "score", "-d", "quick", "--input", str(batch),
                                "--format", "jsonl", "--no-save"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=environment, cwd=tmp_path)
    assert process.stdout is not None
    process.stdout.readline()  # the first chunk is printed: scoring is under way
    for _ in range(3):
        process.send_signal(number)
        time.sleep(0.05)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.startswith("genco: interrupted; ") and "Traceback" not in err


def test_a_second_signal_while_a_json_batch_closes_its_array_waits(capsys: pytest.CaptureFixture[str]) -> None:
    """A first signal during the model load ends the batch; a second one, landing while the closing
    "]" is printed, must wait for it, or the JSON on stdout is left as a lone "["."""
    import io

    from rich.console import Console

    from genco_interview.batch import Batch, Output, score_batch
    from genco_interview.rubric import find

    class LoadingScorer:
        def score_each(self, answers, depths):
            raise Interrupted("SIGTERM")  # the first signal, while the model loads

    class SlowClose(Output):
        def close(self) -> None:
            os.kill(os.getpid(), signal.SIGHUP)  # the second signal, as the array closes
            time.sleep(0.2)
            super().close()

    batch = Batch(io.BytesIO(b'{"answer": "A generator yields."}\n'), "b.jsonl", 1)
    output = SlowClose("json", Console(file=io.StringIO()), find("coroutine-vs-generator"))
    with pytest.raises(Interrupted), caught_interrupts():
        score_batch(LoadingScorer(), batch, "quick", output, None)
    assert json.loads(capsys.readouterr().out) == []


class _PipeThenCtrlC:
    """A piped standard input that delivers `data`, then is interrupted while waiting for more."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.buffer = self

    def isatty(self) -> bool:
        return False

    def read1(self, size: int) -> bytes:
        data, self.data = self.data, b""
        if not data:
            raise KeyboardInterrupt
        return data


@pytest.mark.parametrize("piped", [b"Half a practice answer without newline",
                                   b"Line one.\n\nhalf of line \xc3"], ids=["one-line", "after-a-paragraph"])
def test_an_interrupt_keeps_the_unfinished_piped_line(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], piped: bytes) -> None:
    from rich.console import Console

    monkeypatch.setattr(sys, "stdin", _PipeThenCtrlC(piped))
    with pytest.raises(SystemExit) as ended:
        cli_answer.read_typed_answer(Console(file=open(os.devnull, "w")), "coroutine-vs-generator", "quick")  # noqa: SIM115
    assert ended.value.code == 130
    told = capsys.readouterr().err.strip()
    whole = piped.isascii()  # half a character: the command it names would refuse the draft until it is mended
    match = DRAFT.fullmatch(told if whole else told.removesuffix(" (the draft is not UTF-8 text: save it as UTF-8 first)"))
    assert match and (whole or told != match.group(0)) and Path(match.group(1)).read_bytes() == piped


def test_ctrl_c_keeps_a_half_line_piped_to_practice(home: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "genco_interview", "practice", "-d", "quick"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "GENCO_HOME": str(home), "HF_HUB_OFFLINE": "1"})
    process.stdin.write(b"Half a practice answer without newline")
    process.stdin.flush()
    assert process.stdout.readline()  # the question is shown: genco is reading the answer
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    process.stdin.close()
    assert process.returncode == 130, err
    match = DRAFT.fullmatch(err.decode().strip())
    assert match and Path(match.group(1)).read_text(encoding="utf-8") == "Half a practice answer without newline"


def test_an_interrupt_while_grading_ends_on_one_line_whatever_the_candidate_is_called(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The draft hint repeats --candidate; a name pasted with a line break must not split the line."""
    def interrupted_load(*args, **kwargs) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(embedding, "load_embedder", interrupted_load)
    result = run("grade", "-d", "quick", "--candidate", "Ann\nLee", "--answer-file", "-", input=TYPED)
    assert result.exit_code == 130, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("genco: interrupted; ") and "--candidate $'Ann\\x0aLee'" in line, line  # the name as given


@pytest.mark.parametrize(("command", "scored_by"), [
    (["score", "-d", "quick"], "genco score coroutine-vs-generator -d quick"),
    (["grade", "-d", "quick", "--candidate", "Kim"], "genco grade coroutine-vs-generator -d quick"),
], ids=["score", "grade"])
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_a_pipe_still_sends_the_answer_keeps_what_it_sent(home: Path, command: list[str],
                                                                        scored_by: str, number: int) -> None:
    """`--answer-file -` from a pipe that has not ended: what arrived exists nowhere else."""
    process = subprocess.Popen([sys.executable, "-m", "genco_interview", *command, "--answer-file", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "GENCO_HOME": str(home), "HF_HUB_OFFLINE": "1"})
    process.stdin.write(TYPED.encode() + b"\n")
    process.stdin.flush()
    time.sleep(3)  # genco starts and reads what has arrived, then waits for the rest
    process.send_signal(number)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    line = err.decode().strip()
    match = re.fullmatch(rf"genco: interrupted; your answer is kept as a draft in (\S+); score it with: "
                         rf"{scored_by} --answer-file \1.*", line)
    assert match, line
    assert Path(match.group(1)).read_text(encoding="utf-8") == TYPED + "\n"


def test_a_character_the_interrupt_cuts_in_two_is_left_out_of_the_piped_draft(home: Path) -> None:
    """Its first byte alone is no UTF-8: the draft's own command could not read it back."""
    process = subprocess.Popen([sys.executable, "-m", "genco_interview", "score", "-d", "quick", "--answer-file", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "GENCO_HOME": str(home), "HF_HUB_OFFLINE": "1"})
    process.stdin.write("A generator yields in a café".encode()[:-1])
    process.stdin.flush()
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    draft = re.search(r"kept as a draft in (\S+);", err.decode()).group(1)
    assert Path(draft).read_bytes() == b"A generator yields in a caf"


class _FullDisk:
    """A stdout on a full disk: every write fails with ENOSPC."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def isatty(self) -> bool:
        return False


def test_an_output_that_fails_after_the_attempt_is_kept_says_it_is_kept(home: Path, embedder,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`genco score > /dev/full` said only that the output failed, which invites scoring the answer twice."""
    monkeypatch.setattr(embedding, "load_embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setattr(sys, "argv", ["genco", "score", "-d", "quick", "--json", "--answer", TYPED])
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    with pytest.raises(SystemExit) as ended:
        cli_module.main()
    assert ended.value.code == 1
    said = capsys.readouterr().err
    assert said == ("genco score: cannot write the output (No space left on device); "
                    "the attempt is saved as attempt 1: genco show 1\n"), said
    assert run("show", "1").exit_code == 0


def test_a_batch_whose_output_fails_says_which_answers_it_kept(home: Path, embedder, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A chunk is saved before it is printed: `genco score --input` into a full disk said only that the
    output failed, and a rerun of the batch saved those answers a second time."""
    batch = tmp_path / "batch.jsonl"
    from genco_interview.batch import FIRST_CHUNK

    rows = FIRST_CHUNK + 2  # the first chunk is kept, then its output fails: where the rest start is said, as on Ctrl-C
    batch.write_text("".join(json.dumps({"id": f"a{i}", "answer": TYPED}) + "\n" for i in range(rows)), encoding="utf-8")
    monkeypatch.setattr(embedding, "load_embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setattr(sys, "argv", ["genco", "score", "-d", "quick", "--input", str(batch), "--format", "jsonl"])
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    with pytest.raises(SystemExit) as ended:
        cli_module.main()
    assert ended.value.code == 1
    said = capsys.readouterr().err.splitlines()[-1]
    assert said == (f"genco score: cannot write the output (No space left on device); {FIRST_CHUNK} of {rows} answers "
                    f"were saved in the history first, as attempts 1-{FIRST_CHUNK} (genco history lists them); the rest "
                    f"start at line {FIRST_CHUNK + 1} of {batch} (a rerun of the whole file keeps those again)"), said


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_interrupt_shows_the_cursor_a_progress_display_hid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C just as a progress display started (it hides the cursor) left the shell without one: the
    interrupt line shows it again on a terminal, and writes nothing of the kind into a pipe."""
    terminal, pipe = _Tty(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", pipe)
    assert cli_answer.say_interrupted() == cli_answer.INTERRUPT_EXIT
    assert terminal.getvalue().startswith(cli_answer.SHOW_CURSOR) and "genco: interrupted" in terminal.getvalue()
    assert pipe.getvalue() == ""


def _practice_with_a_waiting_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *options: str,
                                   env: dict[str, str] | None = None) -> tuple[Terminal, Path]:
    """`genco practice coroutine-vs-generator -d quick OPTIONS` on a terminal, a draft of a quick answer to it
    waiting (its path returned), the history in the test's home."""
    from genco_interview.answers import save_draft

    home = tmp_path / "home"
    monkeypatch.setenv("GENCO_HOME", str(home))
    old = save_draft("A generator yields many values lazily.", "coroutine-vs-generator", "quick")
    terminal = Terminal([sys.executable, "-m", "genco_interview", "practice", "coroutine-vs-generator", "-d", "quick",
                         *options], {"GENCO_HOME": str(home), **(env or {})})
    return terminal, old


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("how", ["finished", "interrupted"])
def test_practice_goes_on_with_a_waiting_draft_and_lets_it_go_once_the_answer_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A draft kept by an interrupted practice was only named in a line before every later command; practice
    now asks to go on with it, and the answer that holds it replaces it (in the history, or as a new draft)."""
    from genco_interview.progress.store import open_history

    terminal, old = _practice_with_a_waiting_draft(tmp_path, monkeypatch)
    home = tmp_path / "home"
    terminal.wait_for("Go on with it?")
    assert "(6 words, in " in terminal.shown
    terminal.type("\r")
    terminal.wait_for("Go on typing")
    assert "A generator yields many values lazily." in terminal.shown
    terminal.type("A coroutine is awaited and returns one result.\r")
    if how == "interrupted":
        # a person presses Ctrl-C after seeing the line: typed at once, the signal can land before readline has
        # read the line's last characters from the terminal, which no program can keep
        terminal.wait_for("returns one result.")
        terminal.type("\x03")
        assert terminal.exit_code(timeout=30) == 130
        assert not old.exists()
        assert _draft_in(home, timeout=5) == ("A generator yields many values lazily.\n"
                                              "A coroutine is awaited and returns one result.")
        return
    terminal.type("\r\r")
    assert terminal.exit_code(timeout=120) == 0, terminal.shown
    with open_history() as store:
        (attempt,) = store.attempts()
    assert attempt.answer == "A generator yields many values lazily.\nA coroutine is awaited and returns one result."
    assert not old.exists() and not list((home / "drafts").iterdir())


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_an_answer_typed_ahead_of_the_drafts_question_is_the_answer_and_the_draft_waits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines pasted as the question about a waiting draft was asked were each refused as "invalid input" and
    lost; the question now comes after the question of the interview, and a line that is no reply starts
    the answer."""
    from genco_interview.progress.store import open_history

    terminal, old = _practice_with_a_waiting_draft(tmp_path, monkeypatch)
    terminal.wait_for("Go on with it?")
    assert terminal.shown.index("What's the difference") < terminal.shown.index("Go on with it?")
    terminal.type("Coroutines are awaited.\rGenerators are iterated.\r\r\r")
    assert terminal.exit_code(timeout=120) == 0, terminal.shown
    with open_history() as store:
        (attempt,) = store.attempts()
    assert attempt.answer == "Coroutines are awaited.\nGenerators are iterated."
    assert old.exists()


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("elsewhere", ["messages-to-a-file", "another-history"])
def test_a_draft_is_only_named_when_its_question_could_not_be_seen_or_it_was_typed_for_another_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elsewhere: str) -> None:
    """With stderr sent to a file the question was asked unseen and took the lines typed as replies; a draft
    typed for `--db other` was taken up into the default history."""
    from genco_interview.answers import DraftHistory, note_draft_history, save_draft

    home = tmp_path / "home"
    monkeypatch.setenv("GENCO_HOME", str(home))
    old = save_draft("A generator yields many values lazily.", "coroutine-vs-generator", "quick")
    if elsewhere == "another-history":
        note_draft_history(old, DraftHistory(str(tmp_path / "other.sqlite3")))
    log = tmp_path / "messages.txt"
    genco = shlex.join([sys.executable, "-m", "genco_interview", "practice", "coroutine-vs-generator", "-d", "quick",
                        "--no-save"])
    terminal = Terminal(["/bin/sh", "-c", f"exec {genco} 2>{shlex.quote(str(log))}" if elsewhere != "another-history"
                         else f"exec {genco}"], {"GENCO_HOME": str(home)})
    terminal.wait_for("Type your answer")
    terminal.type("Coroutines are awaited.\r\r\r")
    assert terminal.exit_code(timeout=120) == 0, terminal.shown
    said = terminal.shown + (log.read_text(encoding="utf-8") if log.exists() else "")
    assert "Go on with it?" not in said and "is waiting in" in said and old.exists()


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_practice_in_the_editor_opens_on_the_waiting_draft_it_goes_on_with(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from genco_interview.progress.store import open_history

    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "A coroutine is awaited and returns one result." >> "$1"\n', encoding="utf-8")
    editor.chmod(0o755)
    terminal, old = _practice_with_a_waiting_draft(tmp_path, monkeypatch, "--editor", env={"EDITOR": str(editor)})
    terminal.wait_for("Go on with it?")
    terminal.type("y\r")
    assert terminal.exit_code(timeout=120) == 0, terminal.shown
    with open_history() as store:
        (attempt,) = store.attempts()
    assert attempt.answer == "A generator yields many values lazily.\nA coroutine is awaited and returns one result."
    assert not old.exists()


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_words_begun_at_the_drafts_question_are_kept_on_ctrl_c_and_yep_takes_the_draft_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C with "a coroutine is awaited by the event loop and" typed at the question lost it; "yep" began a
    new answer of that one word, the draft left out."""
    terminal, old = _practice_with_a_waiting_draft(tmp_path, monkeypatch)
    terminal.wait_for("Go on with it?")
    terminal.type("a coroutine is awaited by the event loop and")
    terminal.type("\x03")
    assert terminal.exit_code(timeout=30) == 130
    drafts = sorted((tmp_path / "home" / "drafts").glob("*.txt"))
    assert old in drafts and len(drafts) == 2
    (begun,) = set(drafts) - {old}
    assert begun.read_text(encoding="utf-8").strip() == "a coroutine is awaited by the event loop and"
    terminal = Terminal([sys.executable, "-m", "genco_interview", "practice", "coroutine-vs-generator", "-d", "quick",
                         "--no-save"], {"GENCO_HOME": str(tmp_path / "home")})
    terminal.wait_for("2 drafts of your answer to this question are waiting; the latest")
    terminal.type("yep\r")
    terminal.wait_for("Your draft so far:")
    assert "a coroutine is awaited by the event loop and" in terminal.shown
    terminal.type("\x03")
    assert terminal.exit_code(timeout=30) == 130
