"""Hostile input of every kind, fed to every command: one line on stderr, the documented exit code
(1 bad input, 2 a usage error or an unknown question or depth, 0 when the input is odd but valid),
never a traceback, and the history exactly as it was.

Commands that score are given input that fails before scoring, or share the session's model
(`real_model_cli`), so the whole table runs in seconds. The few cases that only a real process
shows (a closed stdin, bytes that are not UTF-8 in argv, an ASCII-only stdout, a full disk) run
as subprocesses.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from cli_helpers import invoke

from genco_interview import answers
from genco_interview.cli import cli
from genco_interview.cli_usage import Command, Group
from genco_interview.progress import database
from genco_interview.progress import store as history
from genco_interview.progress.store import open_history
from genco_interview.progress.transfer import export_lines

from history_helpers import progress_attempts

ROOT = Path(__file__).resolve().parent.parent
ENV = {"NO_COLOR": "1", "COLUMNS": "200"}
BAD_UTF8 = "caf\udce9"  # how Python receives the byte 0xE9 of a Latin-1 argument
HUGE = "9" * 5000

JSONL_LINES = {
    "surrogate": '{"id": "a", "answer": "\\ud800", "overall": 5}',
    "nan": '{"id": "a", "answer": "x", "overall": NaN}',
    "deep": "[" * 100_000,
    "long-number": '{"id": ' + "1" * 5000 + ', "answer": "x", "overall": 5}',
    "not-utf8": None,
}


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """A 50 MB file with no line break: too large for an answer, one line too long for JSON Lines."""
    path = tmp_path_factory.mktemp("big") / "fifty.txt"
    with path.open("wb") as handle:
        for _ in range(50):
            handle.write(b"a" * (1024 * 1024))
    return path


@pytest.fixture(scope="module")
def filled_history(tmp_path_factory) -> Path:
    """One filled history file, copied into each test's home (building attempts reads every rubric)."""
    path = tmp_path_factory.mktemp("template") / database.DB_NAME
    with open_history(path) as store:
        store.add(progress_attempts())
    return path


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, big_file: Path, filled_history: Path) -> dict[str, str]:
    """A filled history and one hostile file of each kind; names to put in argv."""
    home = tmp_path / "home"
    monkeypatch.setenv("GENCO_HOME", str(home))
    monkeypatch.setenv(database.TIMEOUT_ENV, "0.2")
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    monkeypatch.setattr(answers, "FIFO_WAIT_SECONDS", 0.2)
    home.mkdir()
    shutil.copyfile(filled_history, home / database.DB_NAME)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    device = device_node(tmp_path)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    files = {"db": str(home / database.DB_NAME), "zero": "/dev/zero", "fifo": str(fifo), "big": str(big_file),
             "dir": str(tmp_path), "missing": str(tmp_path / "missing.txt"), "foreign": str(foreign),
             "valid": str(tmp_path / "valid.jsonl"), "device": str(device)}
    with open_history(filled_history, create=False) as store:
        (tmp_path / "valid.jsonl").write_text("".join(export_lines(store.attempts()[:1])), encoding="utf-8")
    for kind, line in JSONL_LINES.items():
        path = tmp_path / f"{kind}.jsonl"
        path.write_bytes(b'{"id": "a", "answer": "caf\xe9", "overall": 5}\n' if line is None else line.encode() + b"\n")
        files[kind] = str(path)
    return files


def device_node(folder: Path) -> Path:
    """A character device of this test's own (a copy of /dev/null's numbers): were the refusal ever
    to break, a write would replace this node, never the system's /dev/null."""
    path = folder / "null-device"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here (not root)")
    return path


def snapshot(world: dict[str, str]) -> dict[str, bytes]:
    """The history and every file that must not change, byte for byte."""
    db = Path(world["db"])
    kept = [db, *(db.with_name(db.name + s) for s in ("-wal", "-shm")), Path(world["foreign"]), Path(world["valid"])]
    return {str(p): p.read_bytes() for p in kept if p.exists()}


def check(world: dict[str, str], argv: list[str], code: int) -> None:
    before = snapshot(world)
    result = invoke(*[a.format(**world) for a in argv], env=ENV)
    shown = f"{argv}: exit {result.exit_code}\nstdout: {result.stdout[-500:]}\nstderr: {result.stderr[-2000:]}"
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.output, shown
    assert result.exit_code == code, shown
    lines = result.stderr.splitlines()
    if code:
        usage = code == 2 and lines[:1] and lines[0].startswith("genco ") and lines[0].endswith("--help)")
        failure = re.match(r"genco [a-z][a-z -]*: ", lines[0]) if lines else None
        assert len(lines) == 1 and (usage or failure or lines[0].startswith("✗")), shown
    else:
        assert not lines, shown
    assert snapshot(world) == before, f"{argv} changed the history"


READERS = {
    "score": ["score", "-d", "quick", "--no-save", "--answer-file", "{%s}"],
    "score-batch": ["score", "-d", "quick", "--no-save", "--input", "{%s}"],
    "grade": ["grade", "-d", "quick", "--no-save", "--answer-file", "{%s}"],
    "eval": ["eval", "{%s}"],
    "calibrate": ["calibrate", "coroutine-vs-generator", "{%s}", "--out", "{missing}"],
    "history-import": ["history", "import", "{%s}"],
    "from-answer": ["rubric", "from-answer", "--question", "Q?", "--answer-file", "{%s}"],
    "validate": ["rubric", "validate", "--schema-only", "{%s}"],
}
JSONL_READERS = ("score-batch", "eval", "calibrate", "history-import")


def _reader_cases() -> list:
    cases = []
    for name, argv in READERS.items():
        for kind in ("zero", "fifo", "big", "dir", "missing", "not-utf8"):
            cases.append(pytest.param([a.replace("%s", kind) for a in argv], 1, id=f"{name}-{kind}"))
        if name in JSONL_READERS:
            for kind in ("surrogate", "nan", "deep", "long-number"):
                cases.append(pytest.param([a.replace("%s", kind) for a in argv], 1, id=f"{name}-{kind}"))
    return cases


ARGUMENTS = {
    "practice": ["practice", BAD_UTF8],
    "score": ["score", "-d", "quick", "--no-save", "--answer", BAD_UTF8],
    "grade": ["grade", "-d", "quick", "--no-save", "--answer-file", "{valid}", "--candidate", BAD_UTF8],
    "eval": ["eval", BAD_UTF8],
    "calibrate": ["calibrate", BAD_UTF8, "{valid}"],
    "rubric-list": ["rubric", "list", "--tag", BAD_UTF8],
    "rubric-show": ["rubric", "show", BAD_UTF8],
    "rubric-new": ["rubric", "new", BAD_UTF8, "--out", "{dir}"],
    "rubric-validate": ["rubric", "validate", BAD_UTF8],
    "from-answer": ["rubric", "from-answer", "--question", BAD_UTF8, "--answer", "x"],
    "history": ["history", "--question", BAD_UTF8],
    "history-export": ["history", "export", BAD_UTF8],
    "history-import": ["history", "import", BAD_UTF8],
    "history-delete": ["history", "delete", BAD_UTF8],
    "history-purge": ["history", "purge", "--yes", "--db", BAD_UTF8],
    "show": ["show", BAD_UTF8],
    "report": ["report", "--question", BAD_UTF8],
    "next": ["next", "--db", BAD_UTF8],
    "model-info": ["model", "info", "--model", BAD_UTF8],
    "model-export": ["model", "export", "--model", BAD_UTF8],
}

FOREIGN_DB = {
    "history": ["history"], "history-export": ["history", "export", "-"], "history-import": ["history", "import", "{valid}"],
    "history-delete": ["history", "delete", "1"], "history-purge": ["history", "purge", "--yes"], "show": ["show", "1"],
    "report": ["report"], "next": ["next"],
}

OTHER = [
    pytest.param(["history", "export", "{db}"], 1, id="export-onto-history"),
    pytest.param(["history", "export", "{db}-wal"], 1, id="export-onto-wal"),
    pytest.param(["report", "--out", "{db}"], 1, id="report-onto-history"),
    pytest.param(["report", "--out", "{foreign}"], 1, id="report-onto-database"),
    pytest.param(["report", "--out", "{device}"], 1, id="report-onto-device"),
    pytest.param(["report", "--out", "{fifo}"], 1, id="report-onto-fifo"),
    pytest.param(["rubric", "from-answer", "--question", "Q?", "--answer", "x", "--out", "{db}", "--force"], 2,
                 id="from-answer-onto-history"),  # no NAME.yaml: refused before any file is looked at
    pytest.param(["rubric", "new", "x", "--out", "{db}"], 1, id="rubric-new-into-history"),
    pytest.param(["show", HUGE], 1, id="show-huge-number"),
    pytest.param(["show", "²"], 1, id="show-superscript-digit"),
    pytest.param(["history", "delete", HUGE], 1, id="delete-huge-number"),
    pytest.param(["history", "delete", "99999999999999999999"], 1, id="delete-past-int64"),
    pytest.param(["history", "--since", "0001-01-01"], 0, id="since-year-1"),
    pytest.param(["history", "--limit", "99999999999999999999999"], 0, id="limit-past-int64"),
    pytest.param(["history", "--since", "9999-12-31"], 0, id="since-year-9999"),
    pytest.param(["practice", "no-such-question"], 2, id="practice-unknown-question"),
    pytest.param(["score", "no-such-question", "--answer", "x"], 2, id="score-unknown-question"),
    pytest.param(["grade", "-d", "bottomless", "--answer-file", "{valid}"], 2, id="grade-unknown-depth"),
    pytest.param(["rubric", "show", "no-such-question"], 2, id="rubric-show-unknown-question"),
]


USAGE_ERRORS = [
    pytest.param(["--bogus"], "genco", id="genco-unknown-option"),
    pytest.param(["bogus"], "genco", id="genco-unknown-command"),
    pytest.param(["score", "--bogus"], "genco score", id="score-unknown-option"),
    pytest.param(["score", "-d"], "genco score", id="score-option-without-value"),
    pytest.param(["score", "--answer", "x", "--format", "xml"], "genco score", id="score-bad-choice"),
    pytest.param(["score", "--answer", "x", "--answer-file", "y"], "genco score", id="score-two-sources"),
    pytest.param(["practice", "--tag", "asyncio"], "genco practice", id="practice-tag-without-random"),
    pytest.param(["grade", "-d", "quick"], "genco grade", id="grade-missing-option"),
    pytest.param(["eval"], "genco eval", id="eval-missing-argument"),
    pytest.param(["eval", "{valid}", "--scale", "0"], "genco eval", id="eval-out-of-range"),
    pytest.param(["calibrate", "coroutine-vs-generator"], "genco calibrate", id="calibrate-missing-argument"),
    pytest.param(["history", "--limit", "abc"], "genco history", id="history-bad-type"),
    pytest.param(["history", "bogus"], "genco history", id="history-unknown-command"),
    pytest.param(["history", "export", "--bogus"], "genco history export", id="history-export-unknown-option"),
    pytest.param(["history", "delete"], "genco history delete", id="history-delete-missing-argument"),
    pytest.param(["report", "--format", "pdf"], "genco report", id="report-bad-choice"),
    pytest.param(["next", "--bogus"], "genco next", id="next-unknown-option"),
    pytest.param(["rubric", "bogus"], "genco rubric", id="rubric-unknown-command"),
    pytest.param(["rubric", "show", "--format", "pdf"], "genco rubric show", id="rubric-show-bad-choice"),
    pytest.param(["rubric", "new"], "genco rubric new", id="rubric-new-missing-argument"),
    pytest.param(["model", "info", "--format", "yaml"], "genco model info", id="model-info-bad-choice"),
    pytest.param(["model", "bogus"], "genco model", id="model-unknown-command"),
]


@pytest.mark.parametrize("argv, command", USAGE_ERRORS)
def test_usage_errors_are_one_line(world: dict[str, str], argv: list[str], command: str) -> None:
    """Every usage error, click's own or genco's, is one line naming the command and its help, exit 2."""
    before = snapshot(world)
    result = invoke(*[a.format(**world) for a in argv], env=ENV)
    shown = f"{argv}: exit {result.exit_code}\nstdout: {result.stdout[-500:]}\nstderr: {result.stderr[-2000:]}"
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), shown
    assert not result.stdout, shown
    lines = result.stderr.splitlines()
    assert len(lines) == 1, shown
    assert lines[0].startswith(f"{command}: ") and lines[0].endswith(f"(see {command} --help)"), shown
    assert snapshot(world) == before


def test_every_command_names_itself_in_its_usage_errors() -> None:
    """A command added without genco's classes would report some usage errors without its name."""
    def walk(command: click.Command) -> Iterator[click.Command]:
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    assert all(isinstance(c, (Command, Group)) for c in walk(cli)), [c.name for c in walk(cli)
                                                                      if not isinstance(c, (Command, Group))]


@pytest.mark.parametrize("argv", [[], ["rubric"], ["model"]], ids=lambda argv: " ".join(["genco", *argv]))
def test_a_group_without_its_command_shows_its_help(argv: list[str]) -> None:
    result = invoke(*argv, env=ENV)
    heading = "Commands:" if argv else "Practise (learners):"  # genco's own commands come in sections
    assert "Usage: genco" in result.output and heading in result.output


@pytest.mark.parametrize("argv, code", _reader_cases())
def test_hostile_files(world: dict[str, str], argv: list[str], code: int) -> None:
    check(world, argv, code)


@pytest.mark.parametrize("argv", list(ARGUMENTS.values()), ids=list(ARGUMENTS))
def test_arguments_that_are_not_utf8(world: dict[str, str], argv: list[str]) -> None:
    check(world, argv, 1)


@pytest.mark.parametrize("argv", list(FOREIGN_DB.values()), ids=list(FOREIGN_DB))
def test_another_programs_database(world: dict[str, str], argv: list[str]) -> None:
    check(world, [*argv, "--db", "{foreign}"], 1)


@pytest.mark.parametrize("argv, code", OTHER)
def test_other_hostile_inputs(world: dict[str, str], argv: list[str], code: int) -> None:
    check(world, argv, code)


@pytest.mark.parametrize("argv", [["score", "-d", "quick", "--no-save", "--answer-file", "-"],
                                  ["grade", "-d", "quick", "--no-save", "--answer-file", "-"],
                                  ["history", "import", "-"], ["eval", "-"],
                                  ["rubric", "from-answer", "--question", "Q?", "--answer-file", "-"]],
                         ids=["score", "grade", "history-import", "eval", "from-answer"])
def test_closed_stdin(world: dict[str, str], monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.setattr(answers, "sys", SimpleNamespace(stdin=None))
    check(world, argv, 1)


def test_model_export_into_a_file_shaped_cache(world: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    home = tmp_path / "file-home"
    home.mkdir()
    (home / "cache").write_text("a file where the cache folder should be")
    monkeypatch.setenv("GENCO_HOME", str(home))
    world = {**world, "db": str(home / database.DB_NAME)}
    check(world, ["model", "export"], 1)


@pytest.mark.slow
@pytest.mark.parametrize("argv", [["score", "-d", "quick", "--answer", "\x1b]52;c;eA==\x07 a generator yields"],
                                  ["grade", "-d", "quick", "--answer-file", "{valid}", "--candidate", "\x1b[2JAda"]],
                         ids=["score", "grade"])
def test_scoring_commands_on_another_programs_database(real_model_cli, world: dict[str, str], argv: list[str]) -> None:
    """Scored with the session's model: the card is shown, the refusal is one line, the answer is recovered."""
    check(world, [*argv, "--db", "{foreign}"], 1)


# --- what only a real process shows ------------------------------------------------------------------


def genco(argv: list, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "genco_interview", *argv], capture_output=True, timeout=120,
                          cwd=ROOT, env={**os.environ, **ENV, "PYTHONPATH": str(ROOT), **env}, **kwargs)


@pytest.fixture
def process_home(tmp_path: Path, filled_history: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(filled_history, home / database.DB_NAME)
    return {"GENCO_HOME": str(home)}


def one_line_error(done: subprocess.CompletedProcess, code: int = 1) -> None:
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code, stderr
    assert len(stderr.splitlines()) == 1 and re.match(r"genco [a-z][a-z -]*: ", stderr), stderr


@pytest.mark.parametrize("argv", [["score", "--answer-file", "-"], ["history", "import", "-"], ["eval", "-"]],
                         ids=" ".join)
def test_closed_stdin_in_a_real_process(process_home: dict[str, str], argv: list[str]) -> None:
    one_line_error(genco(argv, process_home, stdin=subprocess.DEVNULL, pass_fds=(),
                         preexec_fn=lambda: os.close(0)))


@pytest.mark.parametrize("argv", [["history"], ["rubric", "list"]], ids=" ".join)
def test_closed_stdout_in_a_real_process_is_exit_1(process_home: dict[str, str], argv: list[str]) -> None:
    """`genco ... >&-`: Python starts with no stdout at all; every line would vanish with exit 0."""
    done = genco(argv, process_home, stdout=None, pass_fds=(), preexec_fn=lambda: os.close(1))
    one_line_error(done)
    assert "standard output is closed" in done.stderr.decode()


@pytest.mark.slow
def test_a_closed_standard_error_does_not_fail_a_score(onnx_export, tmp_path: Path) -> None:
    """`genco score ... 2>&-`: Python starts with no stderr; the card still prints, the attempt is kept, exit 0."""
    db = tmp_path / "history.sqlite3"
    done = genco(["score", "-d", "quick", "--answer", "A generator yields values.", "--db", str(db)],
                 {"GENCO_HOME": os.environ["GENCO_HOME"]}, stderr=None, pass_fds=(), preexec_fn=lambda: os.close(2))
    assert done.returncode == 0 and "Score" in done.stdout.decode()
    with history.open_history(str(db), create=False) as store:
        assert len(store.attempts()) == 1


@pytest.mark.parametrize("argv", [["history"], ["report"], ["score", "-d", "quick", "--answer", "x"]], ids=" ".join)
@pytest.mark.parametrize("kind", ["file", "dangling link"])
def test_genco_home_naming_a_file_is_one_line_before_anything_runs(tmp_path: Path, argv: list[str], kind: str) -> None:
    """Not an empty history, not a model export that cannot be built: one line naming the variable.
    A command's --help still shows."""
    home = tmp_path / "home"
    if kind == "file":
        home.write_text("not a folder", encoding="utf-8")
    else:
        home.symlink_to(tmp_path / "gone")
    done = genco(argv, {"GENCO_HOME": str(home)})
    assert done.returncode == 1 and done.stdout == b""
    what = "is a file, not a folder" if kind == "file" else "is a link to nothing"
    assert done.stderr.decode() == f"genco {argv[0]}: GENCO_HOME={home} {what}; point it at a folder (made if missing)\n"
    helped = genco([*argv, "--help"], {"GENCO_HOME": str(home)})
    assert helped.returncode == 0 and b"Usage: genco" in helped.stdout


@pytest.mark.parametrize("home", ["/proc/self", "/proc/self/genco-home"])
def test_genco_home_on_a_filesystem_the_kernel_makes_up_is_one_line_before_anything_runs(home: str) -> None:
    """`--db` there was refused at once, but a home there built a model export that could not be written,
    scored, and only then failed to keep the attempt; `history` said there were none yet, exit 0."""
    for argv in (["history"], ["score", "-d", "quick", "--answer", "x"]):
        done = genco(argv, {"GENCO_HOME": home})
        assert done.returncode == 1 and done.stdout == b""
        assert done.stderr.decode() == (f"genco {argv[0]}: GENCO_HOME={home} is on a filesystem the kernel makes up "
                                        "(/proc, /sys), not on a disk; point it at a folder on a disk (made if missing)\n")


def test_a_mistyped_genco_home_makes_no_folders(tmp_path: Path) -> None:
    """A home whose own folder is missing is a typo: one line, exit 1, nothing created; a missing home
    folder alone is made."""
    typo = tmp_path / "gneco" / "home"
    done = genco(["history"], {"GENCO_HOME": str(typo)})
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode() == (f"genco history: GENCO_HOME={typo}: no folder {tmp_path / 'gneco'}; create it "
                                    "first (genco makes only the home folder itself)\n")
    assert not (tmp_path / "gneco").exists()
    made = genco(["history"], {"GENCO_HOME": str(tmp_path / "home")})
    assert made.returncode == 0 and (tmp_path / "home").is_dir()


def test_utf8_arguments_in_a_c_locale_are_read_as_utf8(process_home: dict[str, str]) -> None:
    """LC_ALL=C decodes argv as ASCII: a valid UTF-8 name must not be refused as "not valid UTF-8"."""
    done = genco(["rubric", "show", "café"], {**process_home, "LC_ALL": "C", "PYTHONUTF8": "0"})
    assert done.returncode == 2 and b"unknown question" in done.stderr, done.stderr


def test_a_file_name_beyond_a_c_locale_is_read_or_refused_in_one_line(process_home: dict[str, str],
                                                                       tmp_path: Path) -> None:
    """LC_ALL=C with Python's UTF-8 mode off: "ans-é.txt", read back as UTF-8, could not be encoded to open it
    (a traceback); a file that exists is now read, and a new one is refused in one line."""
    answer = tmp_path / "ans-é.txt"
    answer.write_text("Generators yield many values lazily.\n", encoding="utf-8")
    c_locale = {**process_home, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    read = genco(["score", "-d", "quick", "--no-save", "--answer-file", str(answer)], c_locale)
    assert read.returncode == 0 and b"Score" in read.stdout, read.stderr
    written = genco(["history", "export", str(tmp_path / "new-é.jsonl")], c_locale)
    assert written.returncode == 1 and written.stderr.decode("utf-8", "replace").splitlines() == [
        "genco history export: a file name holds 'é', which file names cannot hold in this locale (ascii); run with "
        "LC_ALL=C.UTF-8 or PYTHONUTF8=1"], written.stderr


def test_bytes_that_are_not_utf8_in_argv(process_home: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "genco_interview", "score", "-d", "quick", "--no-save", "--answer",
                           b"caf\xe9"], capture_output=True, timeout=120, cwd=ROOT,
                          env={**os.environ, **ENV, "PYTHONPATH": str(ROOT), **process_home})
    one_line_error(done)


@pytest.mark.parametrize("argv", [["history"], ["rubric", "list"], ["rubric", "show"], ["report"], ["show", "6"]],
                         ids=" ".join)
def test_ascii_only_output(process_home: dict[str, str], argv: list[str]) -> None:
    done = genco(argv, {**process_home, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()
    assert done.stdout.isascii()


@pytest.mark.parametrize("argv", [["history", "export", "-"], ["rubric", "show", "--format", "markdown"],
                                  ["history"], ["report", "--format", "html"]], ids=" ".join)
def test_stdout_on_a_full_disk(process_home: dict[str, str], argv: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    db = Path(process_home["GENCO_HOME"]) / database.DB_NAME
    before = db.read_bytes()
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "genco_interview", *argv], stdout=full, stderr=subprocess.PIPE,
                              timeout=120, cwd=ROOT, env={**os.environ, **ENV, "PYTHONPATH": str(ROOT), **process_home})
    one_line_error(done)
    assert b"No space left" in done.stderr
    command = " ".join(["genco", *(a for a in argv if not a.startswith("-") and a not in ("markdown", "html"))])
    assert done.stderr.startswith(f"{command}: cannot write the output".encode()), done.stderr
    assert db.read_bytes() == before
