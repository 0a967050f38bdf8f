"""`genco score` and `genco practice` end to end, with the real model (loaded once per session)."""

from __future__ import annotations

import json
import re

import pytest
from cli_helpers import invoke

from genco_interview import cli_answer, embedding

pytestmark = pytest.mark.slow
JSON_KEYS = {"question", "depth", "score", "concepts", "misconceptions", "notes", "model", "attempt", "genco_version"}




@pytest.mark.parametrize("answer", ["", "   \n\t  ", "\u200b\u3000\ufeff", "```\n```", "!!!???...", "— → ✓"],
                         ids=["empty", "whitespace", "invisible", "empty-fence", "punctuation", "symbols"])
def test_empty_answer_scores_zero_with_a_note_and_exit_0(real_model_cli, answer):
    result = invoke("score", "--depth", "quick", "--answer", answer, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["score"] == 0
    assert data["notes"] == ["The answer has no words: nothing to score."]
    assert data["band"]["label"] == "weak"  # as the text card's header says it
    assert result.stderr == "genco: not kept in the history: the answer has no words\n"  # said nothing either way
    history = invoke("history", "--json")
    assert history.exit_code == 0 and json.loads(history.stdout) == []  # a 0 for nothing would drag the trend down


def test_the_text_card_hides_the_model_answer_when_asked(real_model_cli):
    args = ("score", "-d", "quick", "--answer", "A generator is driven by a for loop.", "--no-save")
    shown, hidden = invoke(*args), invoke(*args, "--no-model-answer")
    assert shown.exit_code == hidden.exit_code == 0, hidden.output
    assert "Model answer" in shown.stdout and "Model answer" not in hidden.stdout
    assert "Who drives it" in hidden.stdout


def test_json_output_has_the_documented_shape(real_model_cli):
    result = invoke("score", "-d", "quick", "--answer", "A generator is driven by a for loop.", "--format", "json")
    data = json.loads(result.stdout)
    assert JSON_KEYS <= set(data) and "id" not in data
    assert data["model"] == "all-MiniLM-L6-v2"
    assert [c["id"] for c in data["concepts"]] == ["shared_mechanism", "driver", "one_vs_many"]
    assert {"id", "name", "status", "score", "evidence", "similarity"} <= set(data["concepts"][0])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_score_says_the_attempt_is_saved_on_stderr_in_every_format(real_model_cli, fmt):
    """As `grade` says it: a card sent to a file is the card alone, and JSON users learn the number too."""
    result = invoke("score", "-d", "quick", "--answer", "A generator is driven by a for loop.", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "saved as attempt 1 · genco show 1 · genco report" in result.stderr
    assert "saved as" not in result.stdout


def test_batch_prints_one_json_object_per_answer_with_its_id(real_model_cli, tmp_path):
    batch = tmp_path / "answers.jsonl"
    batch.write_text('{"id": "a", "answer": "A generator yields many values."}\n\n{"answer": "I don\'t know"}\n',
                     encoding="utf-8")
    result = invoke("score", "-d", "quick", "--input", str(batch), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "3"]
    assert rows[0]["score"] > rows[1]["score"] == 0


def test_json_names_the_attempt_each_answer_was_kept_as(real_model_cli, tmp_path):
    """A tool reading `score --format json` could not tell which attempt `genco show N` would show."""
    one = json.loads(invoke("score", "-d", "quick", "--answer", "A generator yields many values.", "--format",
                            "json").stdout)
    unkept = json.loads(invoke("score", "-d", "quick", "--answer", "A generator yields many values.", "--format",
                               "json", "--no-save").stdout)
    assert (one["attempt"], unkept["attempt"]) == (1, None)
    batch = tmp_path / "answers.jsonl"
    batch.write_text('{"id": "a", "answer": "A generator yields many values."}\n{"id": "b", "answer": " "}\n'
                     '{"id": "c", "answer": "A coroutine is awaited."}\n', encoding="utf-8")
    rows = [json.loads(line) for line in invoke("score", "-d", "quick", "--input", str(batch), "--format",
                                                "jsonl").stdout.splitlines()]
    assert [(r["id"], r["attempt"]) for r in rows] == [("a", 2), ("b", None), ("c", 3)]
    shown = json.loads(invoke("show", "3", "--json").stdout)
    assert shown["answer"] == "A coroutine is awaited."


def test_answer_file_dash_reads_stdin(real_model_cli):
    result = invoke("score", "-d", "quick", "--answer-file", "-", "--format", "json",
                    input="A coroutine is awaited and the event loop drives it.")
    assert result.exit_code == 0, result.output
    driver = next(c for c in json.loads(result.stdout)["concepts"] if c["id"] == "driver")
    assert driver["status"] in ("covered", "partial")


def test_a_kept_draft_is_removed_once_scored_and_saved(real_model_cli, own_genco_home, tmp_path):
    """The drafts folder holds answers still waiting: scoring one into the history removes it (and
    says so); --no-save, a file outside the drafts folder, or a draft edited since stays."""
    from genco_interview.answers import save_draft

    answer = "A coroutine is awaited and the event loop drives it."
    draft, unsaved = save_draft(answer), save_draft(answer)
    elsewhere = tmp_path / "genco-draft-mine.txt"
    elsewhere.write_text(answer, encoding="utf-8")
    assert draft.parent == own_genco_home / "drafts"
    kept = invoke("score", "-d", "quick", "--answer-file", str(draft), "--format", "json")
    assert kept.exit_code == 0, kept.output
    assert not draft.exists() and f"the draft {draft} is kept in your history as attempt 1" in kept.stderr
    for path, *extra in ((unsaved, "--no-save"), (elsewhere,)):
        result = invoke("score", "-d", "quick", "--answer-file", str(path), "--format", "json", *extra)
        assert result.exit_code == 0 and path.exists() and "removed" not in result.stderr


def test_a_kept_draft_is_removed_when_saved_even_if_the_reader_leaves_early(real_model_cli, own_genco_home,
                                                                            monkeypatch):
    """`genco score --answer-file DRAFT | head -1`: the attempt is saved before the card is printed, and the
    draft goes with the save, so the reader leaving (exit 141) leaves no draft to score a second time."""
    import genco_interview.cli as cli_module
    from genco_interview.answers import save_draft

    def reader_left(*args, **kwargs):
        raise BrokenPipeError

    draft, emit = save_draft("A coroutine is awaited and the event loop drives it."), cli_module.emit
    monkeypatch.setattr(cli_module, "emit", reader_left)
    result = invoke("score", "-d", "quick", "--answer-file", str(draft), "--format", "json")
    assert result.exit_code == 141, result.output
    assert not draft.exists()
    monkeypatch.setattr(cli_module, "emit", emit)
    assert len(json.loads(invoke("history", "--json").stdout)) == 1


def test_one_megabyte_answer_is_scored_and_says_it_was_cut(real_model_cli, tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text(("A generator yields values lazily and is driven by a for loop. " * 20_000)[:999_999] + "\n")
    result = invoke("score", "-d", "quick", "--answer-file", str(huge), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "999,999 characters" in data["notes"][0]  # the line break ending it counts nothing


class ReadyLoader:
    """Stands in for the background thread: hands over the session's model at once."""

    embedder = None

    def __init__(self, model=None, backend=None, warm=None, on_error=None, hold_notices=False):
        if warm:
            warm(self.embedder)

    def get(self):
        return self.embedder


@pytest.fixture
def ready_loader(real_model_cli, monkeypatch):
    ReadyLoader.embedder = real_model_cli
    monkeypatch.setattr(embedding, "BackgroundLoader", ReadyLoader)


def test_practice_scores_a_typed_answer_and_shows_the_model_answer(ready_loader):
    typed = ("Generators yield many values to a for loop that pulls them with next().\n"
             "Coroutines are awaited, the event loop drives them, and they return one result.\n\n")
    result = invoke("practice", "--depth", "quick", input=typed)
    assert result.exit_code == 0, result.output
    assert "Type your answer" not in result.output  # a pipe is read to its end: no typing instructions
    assert "Score" in result.output and "Model answer" in result.output
    assert "Who drives it" in result.output and "covered" in result.output


def test_practice_asks_again_after_an_empty_answer_on_a_terminal(ready_loader, monkeypatch):
    attempts = iter([[], ["A generator is driven by a for loop.\n", "\n"]])
    monkeypatch.setattr(cli_answer, "input_lines", lambda: iter(next(attempts)))
    monkeypatch.setattr(cli_answer, "on_terminal", lambda: True)
    result = invoke("practice", "--depth", "quick")
    assert result.exit_code == 0, result.output
    assert "The answer has no words — try again (Ctrl-D again or Ctrl-C quits)." in result.output
    assert result.output.count("Type your answer") == 2  # asked, and asked again
    assert "Score" in result.output


@pytest.mark.parametrize("piped", ["", "\u200b\n", "```\n```\n", "\x01\u2800\n", "...\n"],
                         ids=["nothing", "invisible", "empty-fence", "controls-and-blank", "punctuation"])
def test_practice_with_nothing_on_a_pipe_fails_cleanly(ready_loader, piped):
    """Nothing the scorer reads is an empty answer, as `score` has it: never kept as a 0 attempt."""
    result = invoke("practice", "--depth", "quick", input=piped)
    assert result.exit_code == 1
    assert "the answer has no words" in result.stderr and "Traceback" not in result.output
    assert invoke("history", "--json").stdout.strip() == "[]"


def test_a_history_that_fails_after_scoring_is_one_line_and_exit_1(ready_loader, monkeypatch):
    """Any GencoError is mapped once, also after the model loaded, where practice leaves at once."""
    from genco_interview.app.workbench import Workbench
    from genco_interview.progress.database import HistoryError

    def locked(*args, **kwargs):
        raise HistoryError("history.sqlite3: the database is locked; close the other genco and try again")

    monkeypatch.setattr(Workbench, "save", locked)
    result = invoke("practice", "--depth", "quick", input="A generator yields many values.\n\n")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == \
        "genco practice: history.sqlite3: the database is locked; close the other genco and try again"
    assert "Score" in result.stdout and "Model answer" in result.stdout  # the card is shown before the error


def test_every_failure_a_person_can_fix_has_one_base_and_an_exit_code():
    from genco_interview.answers import InputError
    from genco_interview.embedding import ModelError
    from genco_interview.errors import GencoError
    from genco_interview.interview.grading import OverrideError
    from genco_interview.progress.database import HistoryError
    from genco_interview.rubric import RubricError, UnknownName
    from genco_interview.scoring.combination import CombinationError

    kinds = (InputError, ModelError, HistoryError, RubricError, CombinationError)
    assert all(issubclass(kind, GencoError) and kind.exit_code == 1 for kind in kinds)
    assert all(issubclass(kind, GencoError) and kind.exit_code == 2 for kind in (UnknownName, OverrideError))


def test_the_readmes_practice_session_shows_what_genco_scores_for_its_answer(real_model_cli):
    """The README's sample card is the card its three sentences get: it had drifted to an older scorer's."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    session = readme.split("## A short practice session", 1)[1].split("```", 2)[1]
    typed = session.split("new paragraph).\n", 1)[1].split("\n\n", 1)[0]
    card = json.loads(invoke("score", "--depth", "quick", "--answer", typed, "--no-save", "--format", "json").stdout)
    assert f"Score {card['score']:g}/100" in session
    shown = re.findall(r"^ ([✓~✗!])  .*?(\d+)%", session, flags=re.MULTILINE)
    marks = {"covered": "✓", "partial": "~", "missing": "✗", "contradicted": "!"}
    assert shown == [(marks[c["status"]], str(round(c["score"] * 100))) for c in card["concepts"]]


def test_an_uncertain_card_without_its_model_answer_says_where_to_find_it(real_model_cli):
    """The uncertain note told the learner to compare with the model answer that --no-model-answer hid."""
    answer = ("Both suspend; a generator yields many values and is driven by a for loop, a coroutine is awaited by "
              "the event loop and returns one result.")
    args = ("score", "-d", "quick", "--answer", answer, "--no-save")
    shown, hidden = invoke(*args, env={"COLUMNS": "200"}), invoke(*args, "--no-model-answer", env={"COLUMNS": "200"})
    assert "uncertain" in shown.stdout and "compare your answer with the model answer point by point" in shown.stdout
    assert "(shown without --no-model-answer)" in hidden.stdout and "shown without" not in shown.stdout
