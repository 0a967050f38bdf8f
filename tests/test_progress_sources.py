"""Progress is the learner's own: candidates graded with `genco grade` and demo runs stay out of it."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from cli_helpers import flat
from cli_helpers import invoke as run

from genco_interview.progress.attempt import attempt_from_card
from genco_interview.progress.store import open_history
from genco_interview.rubric import find

from history_helpers import START, make_attempt, make_card, progress_attempts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    return tmp_path / "home"




def candidates(count: int, question: str = "coroutine-vs-generator") -> list:
    """Interviewer grades of strong candidates, later than every learner attempt."""
    return [attempt_from_card(make_card("detailed", {}, question=question) if question == "coroutine-vs-generator"
                              else make_card("quick", {}, question=question),
                              f"candidate {n}", source="interviewer", when=START + timedelta(days=10 + n))
            for n in range(count)]


def sections(*args: str) -> dict[str, int]:
    result = run("report", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {s["depth"]: s["attempts"] for s in json.loads(result.stdout)["sections"]}


def test_report_counts_only_the_learners_attempts_by_default(home: Path) -> None:
    with open_history() as store:
        store.add(progress_attempts() + candidates(3))
    assert sections() == {"quick": 5, "detailed": 1}
    assert sections("--source", "interviewer") == {"detailed": 3}
    assert sections("--source", "all") == {"quick": 5, "detailed": 4}


def test_report_per_candidate_and_a_notice_when_it_mixes_people(home: Path) -> None:
    """Trends across different people mean nothing: --candidate reports one candidate, and a report
    that mixes people says so on stderr (its data still goes to stdout whole)."""
    with open_history() as store:
        store.add(progress_attempts() + [make_attempt(10 + n, source="interviewer", candidate=name)
                                         for n, name in enumerate(["Ada", "Bo", "Ada"])])
    assert sections("--candidate", "Ada") == {"quick": 2} and sections("--candidate", "Bo") == {"quick": 1}
    assert sections("--candidate", " ada ") == {"quick": 2}  # without case or outer spaces
    unknown = run("report", "--candidate", "Adda")  # a misspelt name is not a candidate with no attempts
    assert unknown.exit_code == 2 and "no attempt is graded for candidate 'Adda'; candidates: 'Ada', 'Bo'" in unknown.stderr
    mixed = run("report", "--format", "json", "--source", "interviewer")
    assert json.loads(mixed.stdout)["people"] == ["Ada", "Bo"]
    assert "mixes the attempts of 2 people (Ada, Bo); --candidate NAME" in mixed.stderr
    alone = run("report", "--format", "json")
    assert json.loads(alone.stdout)["people"] == ["you"] and "mixes" not in alone.stderr
    for fmt in ("text", "markdown", "html"):  # a report kept in a file says whose it is, not only stderr
        assert "attempts of Ada" in run("report", "--candidate", "Ada", "--format", fmt).stdout
        assert "mixes the attempts of 2 people: Ada, Bo" in run("report", "--source", "interviewer", "--format", fmt).stdout
        assert "attempts of" not in run("report", "--format", fmt).stdout


def test_next_is_not_moved_by_candidates_grades(home: Path) -> None:
    with open_history() as store:
        store.add(progress_attempts())
    alone = json.loads(run("next", "--format", "json").stdout)
    with open_history() as store:
        store.add(candidates(4) + candidates(4, question="event-loop-internals"))
    assert json.loads(run("next", "--format", "json").stdout) == alone
    assert json.loads(run("next", "--format", "json", "--source", "all").stdout) != alone


def test_next_per_candidate_plans_from_that_candidates_grades_alone(home: Path) -> None:
    """`next --candidate` picks attempts as `report --candidate` does: one candidate's plan is not moved by
    another's grades, whatever --source says; an unknown name is the same usage error listing the names."""
    loop = find("event-loop-internals")
    with open_history() as store:
        store.add([make_attempt(10 + n, source="interviewer", candidate="Ada") for n in range(2)])
    ada_alone = run("next", "--format", "json", "--source", "interviewer")
    with open_history() as store:  # Bo was graded earlier, on another question: due first in a mixed plan
        store.add([make_attempt(n, source="interviewer", candidate="Bo", rubric=loop) for n in range(2)])
    mixed = json.loads(run("next", "--format", "json", "--source", "interviewer").stdout)
    assert mixed["question"] == "event-loop-internals" != json.loads(ada_alone.stdout)["question"]
    for name in ("Ada", " ada "):  # without case or outer spaces; the default --source learner does not apply
        assert run("next", "--format", "json", "--candidate", name).stdout == ada_alone.stdout
    assert json.loads(run("next", "--format", "json", "--candidate", "Bo").stdout)["question"] == "event-loop-internals"
    plan = run("next", "--candidate", "Bo").stdout  # what to ask Bo, and how to grade it: not the learner's practice
    assert "Ask next:" in plan and "genco practice" not in plan
    assert "genco grade event-loop-internals --depth quick --candidate Bo --answer-file TRANSCRIPT" in plan
    pooled = run("next", "--source", "interviewer").stdout  # every candidate's plan: still grading, not practice
    assert "Ask next:" in pooled and "--candidate NAME --answer-file TRANSCRIPT" in pooled
    assert "genco practice" not in pooled and "genco practice" in run("next", "--source", "all").stdout
    unknown = run("next", "--candidate", "Adda")
    assert unknown.exit_code == 2 and "no attempt is graded for candidate 'Adda'; candidates: 'Ada', 'Bo'" in unknown.stderr


def test_next_says_which_attempts_it_cannot_plan(home: Path) -> None:
    """A candidate graded only on a rubric of the interviewer's that is not on the search path now was planned
    the flagship as though new, without a word: `next` says which questions it left out and how to get them back."""
    from dataclasses import replace

    with open_history() as store:
        store.add([replace(make_attempt(10 + n, source="interviewer", candidate="Wei Chen"), question="lru-cache")
                   for n in range(2)] + progress_attempts())
    plan = run("next", "--format", "json", "--candidate", "Chen")
    assert plan.exit_code == 0 and json.loads(plan.stdout)["question"] == "coroutine-vs-generator"  # the output stays JSON
    assert flat(plan.stderr) == ("genco next: Wei Chen's grades on lru-cache are not planned: no rubric on the search "
                                 "path that loads has it (for a rubric of your own, set GENCO_RUBRICS to its folder; "
                                 "`genco rubric list` names a file that does not load)")
    assert "the grades on lru-cache are not planned" in run("next", "--source", "interviewer").stderr
    assert run("next").stderr == ""  # the learner's own attempts are all at shipped questions
    with open_history() as store:  # many: a few named, then how many more
        store.add([replace(make_attempt(20 + n, source="interviewer", candidate="Wei Chen"), question=f"gone-{n}")
                   for n in range(5)])
    assert "Wei Chen's grades on gone-0, gone-1, gone-2 and 3 more are not planned" in run("next", "--candidate", "Chen").stderr


def test_a_plan_for_a_short_name_grades_the_candidate_under_the_name_kept(home: Path) -> None:
    """`next --candidate Ada` finds "Ada Lovelace"; the grading command it suggests said `--candidate Ada`,
    which kept the next grade under a candidate of its own, and her report lost it."""
    with open_history() as store:
        store.add([make_attempt(n, source="interviewer", candidate="Ada Lovelace") for n in range(2)])
    plan = run("next", "--candidate", "ada")
    assert plan.exit_code == 0 and "--candidate 'Ada Lovelace' --answer-file TRANSCRIPT" in plan.stdout, plan.stdout
    report = run("report", "--candidate", "Ada", "--format", "json")
    assert report.exit_code == 0 and "Ada Lovelace" in report.stdout and '"Ada"' not in report.stdout


def test_one_candidates_report_and_plan_keep_their_concepts_under_many_later_grades(home: Path) -> None:
    """Concept rows are read for the latest attempts of each question and depth only: counted among
    this candidate's attempts, not among everyone graded since, or a candidate graded before many
    others would lose their concept results."""
    with open_history() as store:
        store.add([make_attempt(n, source="interviewer", candidate="Ada",
                                scores={"shared_mechanism": 0.9, "driver": 0.2, "one_vs_many": 0.5}) for n in range(2)])
    def plan(command: str) -> dict:
        data = json.loads(run(command, "--format", "json", "--candidate", "Ada").stdout)
        data.pop("generated_at", None)  # the report's own clock
        return data

    alone = {command: plan(command) for command in ("report", "next")}
    with open_history() as store:
        store.add([make_attempt(10 + n, source="interviewer", candidate=f"Bo {n}") for n in range(120)])
    for command, before in alone.items():
        assert plan(command) == before, command


def test_a_candidate_is_found_by_the_name_grade_was_given(home: Path) -> None:
    """`grade` keeps a name on one line with its spaces squeezed ("Carl\nSmith" is "Carl Smith"): the
    name typed to `grade` finds the candidate again, in any case."""
    with open_history() as store:
        store.add([make_attempt(n, source="interviewer", candidate="Carl Smith") for n in range(2)])
    for typed in ("Carl\nSmith", "carl  smith", " CARL SMITH "):
        for command in ("report", "next"):
            assert run(command, "--format", "json", "--candidate", typed).exit_code == 0, (command, typed)


def test_make_run_saves_nothing() -> None:
    planned = subprocess.run(["make", "-n", "-W", ".venv/.genco-installed", "run"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
    scores = [line for line in planned.stdout.splitlines() if " score " in line]
    assert scores and all("--no-save" in line for line in scores), planned.stdout


def test_an_empty_report_of_candidates_says_to_grade_one(home: Path) -> None:
    """Practising would not fill a report of graded candidates: it suggested `genco practice`."""
    with open_history() as store:
        store.add(progress_attempts())
    result = run("report", "--source", "interviewer")
    assert result.exit_code == 0
    assert "genco grade --candidate NAME" in flat(result.stdout) and "practice" not in result.stdout
    assert "genco practice" in run("report", "--source", "learner", "--db", str(home / "none.sqlite3")).stdout


def test_history_lists_one_sources_attempts(home: Path) -> None:
    """An interviewer reviewing candidates wants none of their own practice among them, and a learner none of
    the candidates."""
    with open_history() as store:
        store.add(progress_attempts() + [make_attempt(10 + n, source="interviewer", candidate=name)
                                         for n, name in enumerate(["Ada", "Bo"])])
    def listed(*args: str) -> list[str | None]:
        result = run("history", "--json", *args)
        assert result.exit_code == 0, result.output
        return [row["candidate"] for row in json.loads(result.stdout)]

    assert listed("--source", "interviewer") == ["Bo", "Ada"]
    assert listed("--source", "learner") == [None] * 6
    assert len(listed()) == 8 and listed("--source", "learner", "--candidate", "Ada") == ["Ada"]
    assert "2 of 2 attempts" in run("history", "--source", "interviewer").stdout


def test_one_candidate_graded_under_two_spellings_is_one_person(home: Path) -> None:
    """--candidate finds "Ada Lovelace" and "ada  lovelace" as one person; the report said it mixed two."""
    with open_history() as store:
        store.add([make_attempt(10, source="interviewer", candidate="Ada Lovelace"),
                   make_attempt(11, source="interviewer", candidate="ada  lovelace")])
    result = run("report", "--candidate", "Ada Lovelace", "--json")
    assert json.loads(result.stdout)["people"] == ["Ada Lovelace"] and "mixes" not in result.stderr
