"""`genco score --input`: a batch streams its results, keeps finished chunks on an interrupt, and
holds memory flat however many rows it has."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import invoke as run

from genco_interview import batch as batch_module
from genco_interview.answers import stream_batch
from genco_interview.embedding import CachedEmbedder
from genco_interview.rubric import find
from genco_interview.scoring import Scorer

ANSWERS = ["A generator yields many values.", "I do not know", "A coroutine is awaited by the event loop.",
           "Generators are driven by a for loop.", "Both suspend their frame."]


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    return tmp_path / "home"


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "answer": a}) + "\n" for i, a in enumerate(ANSWERS)),
                    encoding="utf-8")
    return path




def history_answers() -> list[str]:
    return sorted(r["answer"] for r in json.loads(run("history", "--limit", "0", "--format", "json").stdout))


def test_an_interrupted_batch_piped_in_says_where_the_rest_start(real_model_cli, home: Path, answers_file: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Piped in, it said "2 of 5 answers were scored and printed, all saved" and nothing of where to go on."""
    monkeypatch.setattr(batch_module, "CHUNK", 2)
    monkeypatch.setattr(batch_module, "FIRST_CHUNK", 2)
    score_each, calls = Scorer.score_each, []

    def interrupted_on_the_second_chunk(self: Scorer, answers: list[str], depths: list[str], progress: object = None):
        calls.append(answers)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return score_each(self, answers, depths)

    monkeypatch.setattr(Scorer, "score_each", interrupted_on_the_second_chunk)
    result = run("score", "-d", "quick", "--input", "-", "--format", "jsonl", input=answers_file.read_text(encoding="utf-8"))
    assert result.exit_code == 130, result.output
    assert result.stderr.strip() == ("genco: interrupted; 2 of 5 answers were scored and printed, all saved; the rest "
                                     "start at line 3 of <stdin> (a rerun of the whole input keeps those again)")


def test_a_batch_file_changed_while_it_is_scored_is_scored_as_it_was_checked(real_model_cli, home: Path,
                                                                              answers_file: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows appended while the batch was scored were scored and kept unchecked, until a bad one stopped it
    with a parse error that said nothing of what was kept."""
    monkeypatch.setattr(batch_module, "CHUNK", 2)
    monkeypatch.setattr(batch_module, "FIRST_CHUNK", 2)
    score_each = Scorer.score_each

    def then_the_file_grows(self: Scorer, answers: list[str], depths: list[str], progress: object = None) -> list:
        with answers_file.open("a", encoding="utf-8") as grown:
            grown.write(json.dumps({"answer": "Appended later."}) + "\ngarbage\n")
        return score_each(self, answers, depths)

    monkeypatch.setattr(Scorer, "score_each", then_the_file_grows)
    result = run("score", "-d", "quick", "--input", str(answers_file), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 5 and history_answers() == sorted(ANSWERS)


def test_a_batch_that_cannot_be_copied_names_the_temporary_folder(home: Path, answers_file: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A full temporary folder was reported as "cannot write the output (No space left on device)"."""
    import tempfile

    class FullDisk(io.BytesIO):
        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *args, **kwargs: FullDisk())
    result = run("score", "-d", "quick", "--input", str(answers_file))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"genco score: {answers_file}: cannot keep a copy of it in the temporary folder ")
    assert "(No space left on device); free some space there, or set TMPDIR" in result.stderr


def test_an_interrupt_while_the_history_refuses_a_chunk_names_the_recovery_file(real_model_cli, home: Path,
                                                                                answers_file: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted while the history was locked, a batch said "0 saved (the others held nothing to score)":
    its answers were in a recovery file it never named, and the rows had something to score."""
    import os
    import signal
    import sqlite3

    from genco_interview.progress.store import History

    def locked(self: History, attempts: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # pressed while the save waits for the lock
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(History, "add", locked)
    result = run("score", "-d", "quick", "--input", str(answers_file), "--format", "json")
    said = " ".join(result.stderr.split())
    assert result.exit_code == 130 and said.startswith("genco score: interrupted; history file "), result.output
    assert "is locked by another program" in said
    assert f"5 of 5 answers were scored and printed: 0 saved in the history, 5 in {home / 'recovery' / 'attempts.jsonl'}" in said
    assert len(json.loads(result.stdout)) == 5  # the array printed whole


@pytest.mark.slow
def test_json_format_of_a_batch_is_one_array(real_model_cli, home: Path, answers_file: Path) -> None:
    result = run("score", "-d", "quick", "--input", str(answers_file), "--format", "json", "--no-save")
    assert result.exit_code == 0, result.output
    cards = json.loads(result.stdout)
    assert [c["id"] for c in cards] == [f"a{i}" for i in range(len(ANSWERS))]


@pytest.mark.slow
def test_a_batch_is_printed_and_saved_a_chunk_at_a_time(real_model_cli, home: Path, answers_file: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk is in the output and the history before the next chunk is scored."""
    monkeypatch.setattr(batch_module, "FIRST_CHUNK", 1)
    monkeypatch.setattr(batch_module, "CHUNK", 2)
    seen: list[tuple[int, list[str]]] = []
    score_each = Scorer.score_each

    def watching(self: Scorer, answers: list[str], depths: list[str], progress: object = None) -> list:
        seen.append((len(answers), history_answers()))
        return score_each(self, answers, depths)

    monkeypatch.setattr(Scorer, "score_each", watching)
    assert run("score", "-d", "quick", "--input", str(answers_file), "--format", "jsonl").exit_code == 0
    assert [size for size, _ in seen] == [1, 2, 2]
    assert [len(stored) for _, stored in seen] == [0, 1, 3]
    assert history_answers() == sorted(ANSWERS)


@pytest.mark.slow
def test_a_row_with_nothing_to_score_is_printed_but_never_kept(real_model_cli, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    rows = [ANSWERS[0], "", "  \n ", "\u200b", ANSWERS[1]]
    path.write_text("".join(json.dumps({"id": f"r{i}", "answer": a}) + "\n" for i, a in enumerate(rows)), encoding="utf-8")
    result = run("score", "-d", "quick", "--input", str(path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [f"r{i}" for i in range(len(rows))]
    assert history_answers() == sorted(ANSWERS[:2])


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_an_interrupt_keeps_the_finished_chunks_and_exits_130(real_model_cli, home: Path, answers_file: Path,
                                                              monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.setattr(batch_module, "CHUNK", 2)
    calls = []
    score_each = Scorer.score_each

    def interrupted_on_the_second_chunk(self: Scorer, answers: list[str], depths: list[str],
                                        progress: object = None) -> list:
        calls.append(answers)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return score_each(self, answers, depths)

    monkeypatch.setattr(Scorer, "score_each", interrupted_on_the_second_chunk)
    result = run("score", "-d", "quick", "--input", str(answers_file), "--format", fmt)
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip() == (f"genco: interrupted; 2 of 5 answers were scored and printed, all saved; the rest "
                                     f"start at line 3 of {answers_file} (a rerun of the whole file keeps those again)")
    printed = json.loads(result.stdout) if fmt == "json" else [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["id"] for c in printed] == ["a0", "a1"]
    assert history_answers() == sorted(ANSWERS[:2])


@pytest.mark.slow
@pytest.mark.parametrize("saved", [True, False])
def test_a_reader_leaving_a_batch_is_told_where_the_rest_starts(export_copy, tmp_path: Path, saved: bool) -> None:
    """`genco score --input big.jsonl | head -1`: the first chunk is saved, the rest never scored, and a
    rerun of the whole file would keep the first chunk twice; exit 141 said nothing of it. With --no-save
    nothing was kept, so nothing is said (a rest after the chunk would skip answers never printed)."""
    import os
    import subprocess
    import sys

    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "answer": ANSWERS[i % 5]}) + "\n" for i in range(12)), encoding="utf-8")
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "genco_interview", "score", "-d", "quick", "--input", str(path),
                               "--format", "jsonl", *([] if saved else ["--no-save"])], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    finally:
        os.close(write)
    assert done.returncode == 141, done.stderr
    said = [line for line in done.stderr.splitlines() if "reader left" in line]
    assert said == ([f"genco score: the output's reader left after 8 of 12 answers were saved; the rest start at line 9 "
                     f"of {path} (a rerun of the whole file keeps those again)"] if saved else [])
    assert len(history_answers()) == (8 if saved else 0)


@pytest.mark.slow
def test_a_rows_question_and_depth_are_read_in_lower_case(real_model_cli, home: Path, tmp_path: Path) -> None:
    """A row's "depth": "Quick" was "not one of quick, detailed, deep", though `-d Quick` is the quick depth."""
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"id": "r", "answer": ANSWERS[0], "depth": "Quick", "question": "Coroutine-vs-Generator"})
                    + "\n", encoding="utf-8")
    result = run("score", "--input", str(path), "--format", "jsonl", "--no-save")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["depth"] == "quick"


def test_a_bad_line_stops_the_batch_before_anything_is_scored(home: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text('{"answer": "fine"}\n' * 600 + '{"answer": 3}\n', encoding="utf-8")
    monkeypatch.setattr("genco_interview.embedding.load_embedder", lambda *a, **k: pytest.fail("model loaded"))
    result = run("score", "--input", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"genco score: {path}:601: field 'answer' must be a string"
    assert result.stdout == ""


@pytest.mark.parametrize(("row", "message"), [
    ({"question": "event-loop-internals", "answer": "x"},
     "the row answers 'event-loop-internals', not 'coroutine-vs-generator'; "
     "score each question's answers in a batch of its own"),
    ({"depth": "expert", "answer": "x"}, "depth 'expert' is not one of quick, detailed, deep"),
    ({"depth": 3, "answer": "x"}, "field 'depth' must be a string"),
    ({"id": 1, "answer": "x"}, "id '1' is line 1's id too; give every answer an id of its own (a row without one "
                               "takes its line number)"),
])
def test_a_row_for_another_question_or_depth_stops_the_batch(home: Path, tmp_path: Path, row: dict, message: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A labeled file's rows name their question and depth: none is scored against the wrong one."""
    path = tmp_path / "answers.jsonl"
    path.write_text('{"answer": "fine", "question": "coroutine-vs-generator"}\n' + json.dumps(row) + "\n",
                    encoding="utf-8")
    monkeypatch.setattr("genco_interview.embedding.load_embedder", lambda *a, **k: pytest.fail("model loaded"))
    result = run("score", "coroutine-vs-generator", "-d", "quick", "--input", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"genco score: {path}:2: {message}\n"


@pytest.mark.slow
def test_a_row_is_scored_at_its_own_depth(real_model_cli, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text('{"id": "a", "answer": "A generator yields.", "depth": "deep"}\n'
                    '{"id": "b", "answer": "A generator yields."}\n', encoding="utf-8")
    result = run("score", "coroutine-vs-generator", "-d", "quick", "--input", str(path), "--format", "jsonl",
                 "--no-save")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["depth"] for line in result.stdout.splitlines()] == ["deep", "quick"]


@pytest.mark.slow
def test_a_batch_from_stdin(real_model_cli, home: Path, answers_file: Path) -> None:
    result = run("score", "-d", "quick", "--input", "-", "--format", "json", "--no-save",
                 input=answers_file.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    cards = json.loads(result.stdout)
    assert [c["id"] for c in cards] == [f"a{i}" for i in range(len(ANSWERS))]
    rubric = find("coroutine-vs-generator")
    assert [c["band"]["label"] for c in cards] == [rubric.band(c["score"]).label for c in cards]  # as the text says


def test_a_bad_line_on_stdin_is_named(home: Path) -> None:
    result = run("score", "--input", "-", input='{"answer": "x"}\n{"answer": 5}\n')
    assert result.exit_code == 1
    assert result.stderr == "genco score: <stdin>:2: field 'answer' must be a string\n"


@pytest.mark.parametrize("command", [("eval",), ("score", "--input"), ("history", "import")])
def test_a_one_column_csv_file_is_told_what_a_line_must_be(home: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    """Its header "answer" in quotes is a JSON string: "expected a JSON object" said nothing of JSON Lines."""
    path = tmp_path / "answers.csv"
    path.write_text('"answer"\n"Generators yield"\n', encoding="utf-8")
    result = run(*command, str(path))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"genco {command[0]}") and result.stderr.endswith(
        ', got "answer"; the file must be JSON Lines: one JSON object a line\n'), result.stderr


@pytest.mark.parametrize("command", [("eval", "-"), ("history", "import", "-")])
def test_every_command_reading_json_lines_names_stdin_alike(home: Path, command: tuple[str, ...]) -> None:
    """`score --input -` said "<stdin>:1", `eval -` and `history import -` said "-:1"."""
    result = run(*command, input="nope\n")
    assert result.exit_code == 1 and result.stderr.startswith(f"genco {' '.join(command[:-1])}: <stdin>:1: malformed JSON")
    calibrated = run("calibrate", "coroutine-vs-generator", "-", "--out", str(home / "mine.yaml"), input="nope\n")
    assert calibrated.stderr.startswith("genco calibrate: <stdin>:1: malformed JSON"), calibrated.stderr


def test_batch_lines_end_at_newlines_only() -> None:
    text = '{"id": "x", "answer": "one\u2028two\u0085three"}\n\n{"answer": "next"}\n'
    rows = list(stream_batch(io.BytesIO(text.encode()), "in.jsonl"))
    assert [(r.id, r.answer) for r in rows] == [("x", "one\u2028two\u0085three"), ("3", "next")]


class _CountingEmbedder(CachedEmbedder):
    name = backend = fingerprint = "fake"
    dimension = 4
    cache_limit = 50

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        return np.ones((len(batch), self.dimension), dtype=np.float32)


def test_the_embedding_cache_stays_bounded_over_a_long_stream() -> None:
    embedder = _CountingEmbedder()
    for start in range(0, 1000, 20):
        vectors = embedder.encode([f"answer {n}" for n in range(start, start + 20)])
        assert vectors.shape == (20, 4)
        assert len(embedder._cache) <= embedder.cache_limit
