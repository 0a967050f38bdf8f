"""`genco eval` end to end: every metric printed, JSON for tools, bad labels as one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import invoke

from genco_interview.rubric import find

ROOT = Path(__file__).resolve().parent.parent
GRADED = ROOT / "data" / "coroutine-vs-generator.jsonl"


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    """Two answers of each of four kinds at the quick depth, so ranking and kinds mean something."""
    rows = [json.loads(line) for line in GRADED.read_text(encoding="utf-8").splitlines()]
    picked = []
    for kind in ("good", "partial", "swapped", "off-topic"):
        picked += [r for r in rows if r["kind"] == kind and r["depth"] == "quick"][:2]
    path = tmp_path / "coroutine-vs-generator.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8")
    return path


def test_eval_prints_every_metric(real_model_cli, small_set: Path) -> None:
    result = invoke("eval", str(small_set))
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for words in ("8 answers", "Pearson", "Spearman", "QWK", "MAE", "precision", "recall", "F1",
                  "Misconceptions:", "Mean score by answer kind", "shared_mechanism", "swapped"):
        assert words in out, words


def test_eval_json_agrees_with_the_grades_on_an_easy_set(real_model_cli, small_set: Path) -> None:
    result = invoke("eval", str(small_set), "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    # eight answers: the figures come with a word on how little they can say
    assert "few labeled answers (coroutine-vs-generator 8)" in result.stderr
    assert set(figures) >= {"answers", "pearson", "spearman", "qwk", "mae", "concepts", "misconceptions", "kinds",
                            "grade_map", "scale"}
    assert figures["spearman"] > 0.6
    assert figures["kinds"]["good"]["mean_score"] > 2 * figures["kinds"]["off-topic"]["mean_score"]
    assert figures["grade_map"] == ["linear"]
    assert set(figures["questions"]) == {"coroutine-vs-generator"}
    assert figures["questions"]["coroutine-vs-generator"]["spearman"] == figures["spearman"]
    scores = figures["scores"]
    assert len(scores) == figures["answers"] == 8 and scores[0]["where"].endswith("coroutine-vs-generator.jsonl:1")
    assert set(scores[0]) == {"where", "id", "question", "depth", "grade", "score", "uncertain"}


@pytest.mark.parametrize("line, message", [
    ('{"answer": "x", "overall": 11}', "overall 11 is outside 0-10"),
    ('{"answer": "x", "overall": 2, "depth": "quick", "concepts": {"send_protocol": 1}}', "concept 'send_protocol' is not graded"),
    ('{"answer": "x", "overall": 2, "question": "nope"}', "unknown question 'nope'"),
    ('{"answer": "x", "overall": 2, "depth": "nope"}', "unknown depth 'nope'"),
    ('{"answer": "x", "overall": 2, "misconceptions": ["threads_are_fast"]}', "unknown misconception 'threads_are_fast'"),
])
def test_eval_refuses_bad_labels_in_one_line_naming_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    """Each bad row is named by the file and line to fix (not by the rubric it was grouped under)."""
    path = tmp_path / "coroutine-vs-generator.jsonl"
    path.write_text('{"answer": "fine", "overall": 5}\n' + line + "\n", encoding="utf-8")
    result = invoke("eval", str(path))
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(f"genco eval: {path}:2: {message}"), result.stderr
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_row_that_says_no_question_in_a_file_named_after_none_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text('{"answer": "x", "overall": 2}\n', encoding="utf-8")
    result = invoke("eval", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"genco eval: {path}:1: no question: give the row a \"question\", name the file "
                                     "after a rubric (<rubric-id>.jsonl) or pass --question; genco knows no rubric 'mine' "
                                     "(a rubric of your own is found through GENCO_RUBRICS)")
    assert invoke("eval", str(path), "--question", "nope").exit_code == 2  # the option is checked first
    bad_depth = invoke("eval", str(path), "--question", "coroutine-vs-generator", "--depth", "medium")
    assert bad_depth.exit_code == 2 and "unknown depth 'medium'" in bad_depth.stderr  # as `genco score --depth` says


def test_an_unknown_question_option_is_named_as_the_option(tmp_path: Path) -> None:
    path = tmp_path / "graded.jsonl"
    path.write_text('{"answer": "fine", "overall": 5}\n', encoding="utf-8")
    result = invoke("eval", str(path), "--question", "nope")
    assert result.exit_code == 2 and result.stderr.startswith("genco eval: unknown question 'nope'"), result.stderr


def test_leave_one_question_out_needs_two_questions(small_set: Path) -> None:
    result = invoke("eval", str(small_set), "--leave-one-question-out")
    assert result.exit_code in (1, 2)
    assert "at least two questions" in result.output and len(result.output.strip().splitlines()) == 1
    assert "only coroutine-vs-generator" in result.output


def _graded_copy(folder: Path, question: str, rows: int, concepts: bool = True) -> None:
    """The first `rows` graded answers of a shipped set, named after its rubric, with or without concept grades."""
    source = [json.loads(line) for line in (ROOT / "data" / f"{question}.jsonl").read_text(encoding="utf-8").splitlines()]
    picked = [r if concepts else {k: v for k, v in r.items() if k != "concepts"} for r in source[:rows]]
    (folder / f"{question}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8")


def test_leave_one_question_out_needs_concept_grades_outside_each_question(tmp_path: Path) -> None:
    """Only one question has concept grades: judging it would refit on none, which is said, not a traceback."""
    _graded_copy(tmp_path, "coroutine-vs-generator", 3)
    _graded_copy(tmp_path, "event-loop-internals", 3, concepts=False)
    result = invoke("eval", str(tmp_path), "--leave-one-question-out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1
    assert "'concepts' grades" in result.stderr and "coroutine-vs-generator" in result.stderr, result.stderr


def test_leave_one_question_out_on_few_answers_says_so(real_model_cli, tmp_path: Path) -> None:
    _graded_copy(tmp_path, "coroutine-vs-generator", 2)
    _graded_copy(tmp_path, "event-loop-internals", 3)
    result = invoke("eval", str(tmp_path), "--leave-one-question-out", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["leave_one_question_out"] is True
    small, thin = result.stderr.splitlines()
    assert small.startswith("genco: few labeled answers (coroutine-vs-generator 2, event-loop-internals 3)")
    assert thin.startswith("genco: --leave-one-question-out"), result.stderr
    assert "without coroutine-vs-generator 3" in thin and "without event-loop-internals 2" in thin


def test_a_file_named_after_a_rubric_is_scored_against_it(real_model_cli, tmp_path: Path) -> None:
    source = ROOT / "data" / "event-loop-internals.jsonl"
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()][:4]
    named = tmp_path / "event-loop-internals.jsonl"
    named.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = invoke("eval", str(named), "--format", "json")
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["concepts"]) <= {c.id for c in find("event-loop-internals").concepts}


def test_leave_one_question_out_needs_concept_grades(tmp_path: Path) -> None:
    for name in ("coroutine-vs-generator", "event-loop-internals"):
        (tmp_path / f"{name}.jsonl").write_text('{"answer": "x", "overall": 2}\n{"answer": "y", "overall": 5}\n',
                                                encoding="utf-8")
    result = invoke("eval", str(tmp_path), "--leave-one-question-out")
    assert result.exit_code in (1, 2)
    assert "'concepts' grades" in result.output and len(result.output.strip().splitlines()) == 1


def test_eval_json_is_strict_json_when_a_figure_cannot_be_computed(real_model_cli, tmp_path: Path) -> None:
    one = tmp_path / "coroutine-vs-generator.jsonl"
    one.write_text('{"answer": "A generator yields values.", "overall": 3, "depth": "quick"}\n', encoding="utf-8")
    result = invoke("eval", str(one), "--format", "json")
    assert result.exit_code == 0, result.output

    def refuse(constant):
        raise ValueError(constant)

    figures = json.loads(result.stdout, parse_constant=refuse)
    assert figures["spearman"] is None
    assert figures["misconceptions"]["f1"] is None  # none labelled, none found: no F1, not 0
    assert f"genco eval {one}: 1 answer, human grades 0-10" in " ".join(invoke("eval", str(one)).stdout.split())


def test_the_agreement_table_fits_an_80_column_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every question id and every figure is shown whole at 80 columns: ids break after hyphens."""
    from rich.console import Console

    from genco_interview.views import terminal as render

    monkeypatch.setattr(render, "render_agreement", lambda *args: None)
    figures = {"answers": 240, "spearman": 0.859, "pearson": 0.8, "qwk": 0.69, "mae": 1.3, "gross_errors": 0.125,
               "uncertain_share": 0.5, "spearman_confident": 0.79}
    ids = ["generator-vs-async-generator", "yield-vs-yield-from-vs-await", "task-vs-coroutine-vs-future"]
    console = Console(width=80, color_system=None, record=True)
    render.render_evaluation(console, {"leave_one_question_out": True, "questions": dict.fromkeys(ids, figures),
                                       "pooled": figures}, "graded/")
    text = console.export_text()
    assert "…" not in text and max(map(len, text.splitlines())) <= 80
    lines = [line.split()[0] for line in text.splitlines()[5:] if line.strip()]
    assert "".join(lines).replace("pooled", "") == "".join(ids)
    assert text.count("0.790") == 4


def test_the_agreement_table_into_a_pipe_keeps_each_question_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file or grep has no width to fit: ids whole (grep finds a question's line), the kinds' ratios one line."""
    import io

    from rich.console import Console

    from genco_interview.views import terminal as render

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(render, "render_agreement", lambda *args: None)
    figures = {"answers": 240, "spearman": 0.859, "pearson": 0.8, "qwk": 0.69, "mae": 1.3, "gross_errors": 0.125,
               "uncertain_share": 0.5, "spearman_confident": 0.79,
               "kind_ratios": {kind: 0.5 for kind in ("good", "swapped", "negation", "salad", "off-topic", "partial")},
               "graded_kind_ratios": {}}
    ids = ["generator-vs-async-generator", "yield-vs-yield-from-vs-await", "task-vs-coroutine-vs-future"]
    piped = io.StringIO()
    render.render_evaluation(Console(file=piped, color_system=None), {
        "leave_one_question_out": True, "questions": dict.fromkeys(ids, figures), "pooled": figures}, "graded/")
    lines = piped.getvalue().splitlines()
    for question in ids:
        assert any(line.split()[:2] == [question, "240"] for line in lines), question
    assert sum(line.startswith("Mean score over good answers' mean") for line in lines) == 1
    assert lines[-1].endswith("partial 0.50 (n/a)")


def test_eval_without_concept_grades_says_so_instead_of_an_empty_table(real_model_cli, tmp_path: Path) -> None:
    one = tmp_path / "coroutine-vs-generator.jsonl"
    one.write_text('{"answer": "A generator yields values.", "overall": 3, "depth": "quick"}\n'
                   '{"answer": "No idea.", "overall": 0, "depth": "quick"}\n', encoding="utf-8")
    result = invoke("eval", str(one))
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Concepts: no row grades concepts" in out
    assert "n said" not in out


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    """Named itself and through its folder, a file's answers were counted twice, weighing double."""
    from genco_interview.evaluation.quality import labeled_files

    (tmp_path / "a.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("{}\n", encoding="utf-8")
    a = str(tmp_path / "a.jsonl")
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "c.jsonl").hardlink_to(tmp_path / "a.jsonl")
    assert labeled_files([a, a, str(tmp_path), f"{tmp_path}/./a.jsonl", str(tmp_path / "linked" / "c.jsonl")]) == [
        a, str(tmp_path / "b.jsonl")]


def test_a_folders_hidden_files_are_not_read(tmp_path: Path) -> None:
    """An editor's lock file (".#name.jsonl", a dangling link) failed the whole run as "no such file"."""
    from genco_interview.evaluation.quality import labeled_files

    (tmp_path / "a.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / ".#a.jsonl").symlink_to(tmp_path / "nowhere")
    (tmp_path / ".draft.jsonl").write_text("{torn\n", encoding="utf-8")
    (tmp_path / "old.jsonl").mkdir()  # a folder named so, and a link to nothing: no labeled file either
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere")
    assert labeled_files([str(tmp_path)]) == [str(tmp_path / "a.jsonl")]
    assert labeled_files([str(tmp_path / ".draft.jsonl")]) == [str(tmp_path / ".draft.jsonl")]  # named, it is read


def test_grades_far_under_the_scale_are_pointed_out() -> None:
    """0-10 grades read with --scale 100 make every score look far too high: say so before the figures."""
    from genco_interview.evaluation.quality import scale_warning

    grades = [2, 7, 10]
    assert "give --scale 10" in scale_warning(grades, 100)
    assert scale_warning(grades, 10) is None and scale_warning(grades, 50) is None


def test_an_empty_labeled_answer_is_said_before_the_figures() -> None:
    """A row whose answer was lost scores 0 and counts beside its grade: it was scored in silence."""
    from genco_interview.evaluation.metrics import LabeledAnswer
    from genco_interview.evaluation.quality import LabeledSet, blank_answers_warning
    from genco_interview.rubric import find

    rows = [LabeledAnswer(id=str(n), answer=text, overall=5, where=f"g.jsonl:{n}")
            for n, text in enumerate(["Both suspend.", "", "Yields values.", " \u200b\n"], start=1)]
    labeled = LabeledSet(find("coroutine-vs-generator"), rows, ["quick"] * len(rows))
    assert blank_answers_warning([labeled]) == ("a labeled answer is empty (g.jsonl:2, and 1 more): it scores 0 and "
                                                "counts in the figures beside its grade")
    assert blank_answers_warning([LabeledSet(labeled.rubric, rows[:1], ["quick"])]) is None


def test_an_answer_labeled_twice_is_said_before_the_figures(real_model_cli, tmp_path: Path) -> None:
    """Two files concatenated count every copy twice: the figures come with a line naming the first repeat,
    and whether its grades disagree; the same answer at another depth is graded against another question."""
    rows = [json.loads(line) for line in (ROOT / "data" / "coroutine-vs-generator.jsonl").read_text(encoding="utf-8").splitlines()][:3]
    repeated = dict(rows[0], answer="  " + rows[0]["answer"].replace(" ", "\n", 1), id="again")  # spacing is no difference
    regraded = dict(rows[1], overall=rows[1]["overall"] - 1)
    elsewhere = dict(rows[2], depth="deep" if rows[2].get("depth") != "deep" else "quick")
    path = tmp_path / "coroutine-vs-generator.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [*rows, repeated, regraded, elsewhere]), encoding="utf-8")
    result = invoke("eval", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answers"] == 6
    assert (f"the same answer is labeled more than once ({path}:4 repeats {path}:1, and 1 more): "
            "each copy counts in the figures") in result.stderr, result.stderr
    only_regraded = tmp_path / "regraded" / "coroutine-vs-generator.jsonl"
    only_regraded.parent.mkdir()
    only_regraded.write_text("".join(json.dumps(r) + "\n" for r in [*rows, regraded, elsewhere]), encoding="utf-8")
    result = invoke("eval", str(only_regraded), "--format", "json")
    assert (f"({only_regraded}:4 repeats {only_regraded}:2, graded {rows[1]['overall']:g} and "
            f"{regraded['overall']:g}): each") in result.stderr, result.stderr


def test_eval_reports_its_progress_in_answers_read_per_question(embedder, small_set: Path) -> None:
    """The model's reading is the long part (half a minute for a few hundred answers): a bar follows it."""
    from genco_interview.app.evaluation import evaluate_files
    from genco_interview.app.workbench import Workbench

    heard: list[tuple[str, int, int]] = []
    evaluate_files(Workbench(embedder=embedder), [str(small_set)], progress=lambda *step: heard.append(step))
    assert heard[0] == ("coroutine-vs-generator", 0, 8) and heard[-1] == ("coroutine-vs-generator", 8, 8)
    assert [done for _, done, _ in heard] == sorted(done for _, done, _ in heard)
