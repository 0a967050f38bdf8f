"""`genco rubric from-answer`: writes a reference-answer rubric that loads and scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from cli_helpers import invoke as run

from genco_interview.rubric import RUBRICS_ENV, load_rubric

QUESTION = "What is a variable?"
ANSWER = "A variable is a named location in memory; it stores a value that can change."




def test_writes_a_rubric_that_validates_with_its_key_points(tmp_path: Path):
    out = tmp_path / "variable.yaml"
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--id", "variable",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    rubric = load_rubric(out)
    assert rubric.id == "variable" and rubric.reference_mode
    assert [c.description for c in rubric.concepts] == ["A variable is a named location in memory",
                                                         "it stores a value that can change"]
    assert run("rubric", "validate", str(out)).exit_code == 0


def test_key_points_that_begin_alike_get_names_of_their_own(tmp_path: Path):
    """Two key points named by the same first six words gave two concepts of one name, which the rubric refuses:
    from-answer wrote nothing for a valid answer."""
    out = tmp_path / "await.yaml"
    result = run("rubric", "from-answer", "--question", "What does await do?", "--answer",
                 "Awaiting a coroutine inside another coroutine suspends the caller. Awaiting a coroutine inside "
                 "another coroutine runs it to completion.", "--out", str(out))
    assert result.exit_code == 0, result.output
    names = [c.name for c in load_rubric(out).concepts]
    assert len(names) == 2 and len(set(names)) == 2 and names[1].endswith("(2)")
    for answer in ("Event loop runs tasks. Event loop runs tasks (3). EVENT LOOP RUNS TASKS.",  # the number taken too
                   "Point_2. The loop runs tasks one at a time."):  # a point named as another's id
        result = run("rubric", "from-answer", "--question", "Q?", "--answer", answer, "--out", str(out), "--force")
        assert result.exit_code == 0, result.output
        concepts = load_rubric(out).concepts
        names = [c.name.casefold() for c in concepts]
        assert len(set(names) | {c.id for c in concepts}) == 2 * len(concepts), names


def test_a_key_point_stated_only_negated_is_named_when_it_is_written(tmp_path: Path):
    """"once created it cannot change" became a key point whose one exemplar is negated: the rubric
    failed its own `validate --strict`, and an answer saying it positively earned nothing for it."""
    out = tmp_path / "list-vs-tuple.yaml"
    result = run("rubric", "from-answer", "--question", "List or tuple?", "--answer",
                 "A list is mutable and can grow. A tuple is immutable: once created it cannot change.", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == ("note: the key point 'once created it cannot change' is stated only with a "
                                             "negation: an answer saying it positively earns nothing for it; add a "
                                             "positive phrasing to its exemplars")
    assert run("rubric", "validate", "--strict", str(out)).exit_code == 3  # the warning the note forestalls
    plain = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(tmp_path / "v.yaml"))
    assert "negation" not in plain.stderr


def test_a_shipped_rubrics_id_is_said_to_replace_that_question(tmp_path: Path):
    out = tmp_path / "event-loop-internals.yaml"
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].startswith(
        f"genco: event-loop-internals is the id of a shipped rubric: with {tmp_path} on GENCO_RUBRICS, {out} replaces")


def test_writes_into_a_folder_it_creates_and_names_a_file_in_the_way(tmp_path: Path):
    out = tmp_path / "my-rubrics" / "variable.yaml"
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert load_rubric(out).reference_mode
    assert load_rubric(out).id == "variable"  # the file's name, the one `genco score variable` is typed with
    assert f"GENCO_RUBRICS={out.parent} genco score variable" in result.stderr  # how to score with it next
    odd = tmp_path / "My Draft.yaml"  # a name that is no id: the question's slug, as without --out
    assert run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(odd)).exit_code == 0
    assert load_rubric(odd).id == "what-is-a-variable"
    for unfound in ("variable.yml", "Variable.YAML", "variable.txt"):  # no rubric folder is searched for these
        refused = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(tmp_path / unfound))
        assert refused.exit_code == 2 and "does not end in .yaml" in refused.stderr, refused.output
        assert not (tmp_path / unfound).exists()
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(blocker / "v.yaml"))
    assert result.exit_code == 1
    assert result.output.strip().endswith(f"{blocker / 'v.yaml'}: cannot write (Not a directory)")
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_prints_to_stdout_and_reads_the_answer_from_stdin():
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer-file", "-", input=ANSWER)
    assert result.exit_code == 0, result.output
    assert "id: what-is-a-variable" in result.output
    assert "point_2" in result.output
    dashed = run("rubric", "from-answer", "--question", QUESTION, "--answer-file", "-", "--out", "-", input=ANSWER)
    assert dashed.exit_code == 0 and dashed.stdout == result.stdout and not Path("-").exists()  # stdout, not a file
    piped = run("rubric", "from-answer", "--question", QUESTION, input=ANSWER)  # as `score` and `grade` read one
    assert piped.exit_code == 0 and piped.stdout == result.stdout, piped.output


@pytest.mark.parametrize("args, message", [
    (["--question", QUESTION], "standard input holds no model answer"),  # nothing piped in
    (["--question", QUESTION, "--answer", "x", "--answer-file", "f"], "give one of --answer or --answer-file"),
    (["--question", " ", "--answer", ANSWER], "genco rubric from-answer: --question is empty"),
    (["--question", "\u200b", "--answer", ANSWER], "genco rubric from-answer: --question is empty"),
    (["--question", "\ufeff\u00ad\u00a0", "--answer", ANSWER], "genco rubric from-answer: --question is empty"),
    (["--question", QUESTION, "--answer", "\u200b\u2060"], "genco rubric from-answer: the model answer is empty"),
    (["--question", QUESTION, "--answer", "  "], "genco rubric from-answer: the model answer is empty"),
    (["--question", QUESTION, "--answer", "..."], "genco rubric from-answer: the model answer has no key point: "
                                                  "write at least one sentence that says something\n"),
    (["--question", QUESTION, "--answer", "?! -"], "genco rubric from-answer: the model answer has no key point"),
    (["--question", QUESTION, "--answer", ANSWER, "--id", "Bad Id"], "genco rubric from-answer: --id 'Bad Id' must be lowercase"),
    (["--question", QUESTION, "--answer-file", "no-such-file.txt"], "no-such-file.txt"),
    (["--question", "What is\x07 a bell?", "--answer", ANSWER],
     "genco rubric from-answer: --question holds a control character (U+0007)"),  # not a line of the file it would write
    (["--question", QUESTION, "--answer", ANSWER, "--title", "Vars\x1b"], "genco rubric from-answer: --title holds a control"),
    (["--question", QUESTION, "--answer", "A value\x01 with a name."], "genco rubric from-answer: the model answer holds a control"),
    (["--question", "?", "--answer", ANSWER],  # cited line 7 of a file never written
     "genco rubric from-answer: --question has no words: write it in words, not '?'\n"),
    (["--question", QUESTION, "--answer", ANSWER, "--title", "***"],
     "genco rubric from-answer: --title has no words: write it in words, not '***'\n"),
    (["--question", QUESTION, "--answer", "TODO: fill this. " + ANSWER],  # cited a line of a file never written
     "genco rubric from-answer: the model answer starts with 'TODO:', which marks a rubric value still to write"),
    (["--question", QUESTION, "--answer", "Source: https://realpython.com/python-variables/"],  # the link its concept
     "genco rubric from-answer: the model answer has no key point"),
    (["--question", QUESTION, "--answer", ANSWER, "--out", ".yaml"],  # its suggested score command found no such rubric
     "'.yaml' names a hidden file, which a folder on GENCO_RUBRICS is searched without: give a name such as 'question.yaml'"),
])
def test_bad_input_is_one_line_and_non_zero(args, message):
    result = run("rubric", "from-answer", *args)
    assert result.exit_code != 0 and len(result.output.splitlines()) == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_model_answer_saved_on_windows_reads_as_the_same_lines():
    """CR LF line breaks are line breaks, not control characters to refuse."""
    unix = run("rubric", "from-answer", "--question", QUESTION, "--answer-file", "-", input=ANSWER.replace("; ", ";\n"))
    windows = run("rubric", "from-answer", "--question", QUESTION, "--answer-file", "-", input=ANSWER.replace("; ", ";\r\n"))
    assert windows.exit_code == 0, windows.output
    assert windows.stdout == unix.stdout


def test_an_invisible_title_is_no_title_as_an_empty_one_is():
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--title", "\u200b\u200c")
    assert result.exit_code == 0, result.output
    assert result.stdout == run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--title", "").stdout


def test_the_commands_it_suggests_can_be_pasted_with_a_space_in_the_file_name(tmp_path: Path):
    """"genco rubric validate My File.yaml" named two files when pasted."""
    out = tmp_path / "My File.yaml"
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"genco rubric validate '{out}'," in " ".join(result.stderr.split())
    made = run("rubric", "new", "spaced", "--out", str(tmp_path / "my rubrics"))
    assert f"genco rubric validate '{tmp_path / 'my rubrics' / 'spaced.yaml'}'" in made.stdout


def test_a_question_about_todo_lists_is_not_a_placeholder():
    result = run("rubric", "from-answer", "--question", "TODO lists: how would you store them?",
                 "--answer", "A list of dataclass instances, each with a title and a done flag.")
    assert result.exit_code == 0, result.output
    assert "placeholder" not in result.output


def test_never_overwrites_without_force(tmp_path: Path):
    out = tmp_path / "mine.yaml"
    out.write_text("refined by hand\n", encoding="utf-8")
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(out))
    assert result.exit_code == 1 and "exists; pass --force" in result.output
    assert out.read_text(encoding="utf-8") == "refined by hand\n"
    assert run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(out),
               "--force").exit_code == 0
    assert load_rubric(out).reference_mode


def test_a_link_in_the_model_answer_asks_nothing_of_an_answer(tmp_path: Path, real_model_cli):
    """A link's pieces ("https", "docs", "3", "datamodel") became key points and words to recall, which no
    answer says: a right answer scored lower against a model answer that cited its source."""
    linked = ANSWER.replace(";", " (https://docs.python.org/3/reference/datamodel.html);") + \
        " See https://docs.python.org/3/tutorial/classes.html#python-scopes-and-namespaces for details."
    scores = []
    for name, model_answer in {"plain": ANSWER, "linked": linked}.items():
        run("rubric", "from-answer", "--question", QUESTION, "--answer", model_answer, "--id", name,
            "--out", str(tmp_path / f"{name}.yaml"))
        result = run("score", name, "--answer", "A named place in memory which holds a value that may change.",
                     "--format", "json", env={RUBRICS_ENV: str(tmp_path)})
        assert result.exit_code == 0, result.output
        scores.append(json.loads(result.stdout)["score"])
    assert scores[1] == pytest.approx(scores[0], abs=0.05)


def test_a_model_answer_citing_its_sources_passes_its_own_strict_validation(tmp_path: Path, real_model_cli):
    """Its key points lose their links, but the model answer scored as an answer kept them: a clause
    ending "(see https://...)" earned its own key point only in part, and validate --strict failed."""
    cited = ("A generator is a function with yield that produces values lazily, one at a time, when a for loop "
             "asks for them (see https://docs.python.org/3/glossary.html#term-generator). A coroutine is defined "
             "with async def and is driven by the event loop; awaiting it gives one result "
             "(see https://docs.python.org/3/library/asyncio-task.html). Both suspend and resume their frame.")
    run("rubric", "from-answer", "--question", "How do coroutines and generators differ?", "--answer", cited,
        "--id", "cited", "--out", str(tmp_path / "cited.yaml"))
    checked = run("rubric", "validate", "--strict", str(tmp_path / "cited.yaml"))
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("model_answer", ["Lists are mutable. Tuples are not. Tuples can be dictionary keys.",
                                          "Lists are mutable and tuples are not. Tuples can be dictionary keys.",
                                          "Lists are mutable; tuples are not. Tuples can be dictionary keys."])
def test_a_point_joined_with_an_elliptical_denial_is_earned_by_its_claim(tmp_path: Path, real_model_cli,
                                                                        model_answer: str):
    """"Lists are mutable. Tuples are not." is one key point whose only negation is the other subject's: read as
    a negated text, an answer saying "Lists are mutable." earned nothing of it, and the rubric just drafted failed
    its own `validate --strict` (every exemplar negated; the model answer leaving the point partial)."""
    made = run("rubric", "from-answer", "--question", "How do lists and tuples differ?", "--answer", model_answer,
               "--id", "lt", "--out", str(tmp_path / "lt.yaml"))
    assert "only with a negation" not in made.stderr
    checked = run("rubric", "validate", "--strict", str(tmp_path / "lt.yaml"))
    assert checked.exit_code == 0, checked.output
    result = run("score", "lt", "--answer", "Lists are mutable.", "--format", "json", "--no-save",
                 env={RUBRICS_ENV: str(tmp_path)})
    assert json.loads(result.stdout)["concepts"][0]["status"] in ("covered", "partial"), result.stdout


@pytest.mark.parametrize("model_answer", [
    "- Generators\n  - produce many values lazily\n  - are driven by for loops\n- Coroutines\n  - are awaited\n"
    "  - produce one result\n",
    "Generators:\n- produce many values lazily\n- are driven by for loops\n\nCoroutines:\n- are awaited\n"
    "- produce one result\n",
], ids=["nested", "lead-in"])
def test_a_model_answer_in_lists_passes_its_own_strict_validation(tmp_path: Path, real_model_cli, model_answer: str):
    """An item a nested list hangs from was a key point naming no claim ("Generators"), its items points without
    their subject; and the model answer scored as an answer read its items without their lead-in, leaving
    "Coroutines: produce one result" partial: validate --strict failed on the rubric just drafted."""
    (tmp_path / "answer.md").write_text(model_answer, encoding="utf-8")
    run("rubric", "from-answer", "--question", "How do generators and coroutines differ?", "--answer-file",
        str(tmp_path / "answer.md"), "--id", "lists", "--out", str(tmp_path / "lists.yaml"))
    names = [c["name"] for c in yaml.safe_load((tmp_path / "lists.yaml").read_text(encoding="utf-8"))["concepts"]]
    assert names == ["Generators: produce many values lazily", "Generators: are driven by for loops",
                     "Coroutines: are awaited", "Coroutines: produce one result"]
    checked = run("rubric", "validate", "--strict", str(tmp_path / "lists.yaml"))
    assert checked.exit_code == 0, checked.output


@pytest.mark.slow
def test_the_written_rubric_scores_right_above_wrong(tmp_path: Path, real_model_cli):
    out = tmp_path / "variable.yaml"
    run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--id", "variable", "--out", str(out))
    env = {RUBRICS_ENV: str(tmp_path)}
    scores = {}
    for name, answer in {
        "right": "A named place in memory which holds a value that may change.",
        "echo": "A variable is a variable.",
        "wrong": "It is a kind of loop that repeats code.",
    }.items():
        result = run("score", "variable", "--answer", answer, "--format", "json", env=env)
        assert result.exit_code == 0, result.output
        scores[name] = json.loads(result.stdout)["score"]
    assert scores["right"] >= 60
    assert scores["right"] > scores["wrong"] + 30
    assert scores["echo"] < 30  # restating the question earns nothing


@pytest.mark.slow
def test_a_denied_key_point_asks_for_a_person(tmp_path: Path, real_model_cli):
    """Such a rubric scores mostly the model answer's words, which a denial uses as much as the claim:
    a card that reads a key point as denied is marked uncertain, and the plain right answer is not."""
    out = tmp_path / "variable.yaml"
    run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--out", str(out))
    env = {RUBRICS_ENV: str(tmp_path)}
    cards = {}
    for name, answer in {"right": "A named place in memory which holds a value that may change.",
                         "denied": "A variable is not a named location in memory; it does not store a value, "
                                   "and it can never change.",
                         "listed": "variable named location memory stores value change mutable storage",
                         "taken back": "A named place in memory which holds a value that may change. Just kidding, "
                                       "none of that is right."}.items():
        result = run("score", "variable", "--answer", answer, "--format", "json", env=env)
        assert result.exit_code == 0, result.output
        cards[name] = json.loads(result.stdout)
    assert "contradicted" in {c["status"] for c in cards["denied"]["concepts"]}
    assert cards["denied"]["uncertain"] and "uncertain: have a person check" in cards["denied"]["notes"]
    assert not cards["right"]["uncertain"]
    # a keyword list scored 83 of 100 with no word of doubt, which a concept rubric's card says
    assert cards["listed"]["uncertain"] and cards["listed"]["notes"][0].startswith("This answer is mostly terms")
    assert not any(note.startswith("This answer is mostly terms") for note in cards["right"]["notes"])
    # taken back: the note said so, but the card was sure of its 99, where a concept rubric's asks for a person
    assert cards["taken back"]["uncertain"] and cards["taken back"]["notes"][0].startswith("This answer takes itself back")


@pytest.mark.slow
def test_a_model_answer_with_a_without_clause_covers_every_key_point_of_its_own_rubric(tmp_path: Path, real_model_cli):
    """"without recomputing" denies the recomputing, not the sentence's other clauses, and with no role pairs
    no clause takes its reading from the window around it."""
    answer = ("It memoizes a function: results are cached by arguments, so a repeat call with the same arguments "
              "returns the stored result without recomputing. The cache keeps at most maxsize entries and evicts "
              "the least recently used one.")
    assert _marks_of_its_own_model_answer(tmp_path, answer) == {
        "point_1": "covered", "point_2": "covered", "point_3": "covered", "point_4": "covered"}


def _marks_of_its_own_model_answer(folder: Path, answer: str) -> dict[str, str]:
    """The concept marks of `answer` on the rubric `from-answer` writes from it to FOLDER/lru.yaml."""
    run("rubric", "from-answer", "--question", "What does functools.lru_cache do?", "--answer", answer, "--id", "lru",
        "--out", str(folder / "lru.yaml"))
    result = run("score", "lru", "--answer", answer, "--format", "json", "--no-save", env={RUBRICS_ENV: str(folder)})
    assert result.exit_code == 0, result.output
    return {c["id"]: c["status"] for c in json.loads(result.stdout)["concepts"]}


@pytest.mark.slow
def test_a_rubric_written_from_a_model_answer_passes_its_own_strict_validation(tmp_path: Path, real_model_cli):
    """Three warnings on a plain model answer: its opening definition read as restating "What does X do?"
    (0.87 to it) and earned nothing, "maxsize=None" read as a negation, and a five-word clause as a label."""
    answer = ("functools.lru_cache is a decorator that memoizes a function: it stores the return value for each "
              "set of arguments. The arguments must be hashable; passing a list raises TypeError. The cache holds "
              "at most maxsize entries and evicts the least recently used one; maxsize=None makes it unbounded.")
    assert set(_marks_of_its_own_model_answer(tmp_path, answer).values()) == {"covered"}
    checked = run("rubric", "validate", "--strict", str(tmp_path / "lru.yaml"))
    assert checked.exit_code == 0, checked.output


@pytest.mark.slow
def test_a_short_clause_without_a_function_word_is_a_key_point_not_a_label(tmp_path: Path, real_model_cli):
    """ "== checks equality." was a label to `rubric validate` (no function word, under six words), and the
    rubric `from-answer` wrote failed its own --strict check, while "is checks identity." passed."""
    run("rubric", "from-answer", "--question", "What is the difference between is and == in Python?", "--answer",
        "is checks identity. == checks equality.", "--id", "is-eq", "--out", str(tmp_path / "is-eq.yaml"))
    checked = run("rubric", "validate", "--json", str(tmp_path / "is-eq.yaml"))
    assert "description-is-a-label" not in checked.stdout, checked.stdout


@pytest.mark.slow
def test_a_key_point_with_a_contrasting_elliptical_clause_is_earned_not_contradicted(tmp_path: Path, real_model_cli):
    """"..., while lists cannot" negates the lists, not the key point: its sentence alone, or the key
    point without it, was read as denying it (contradicted, 0) because the exemplar counted as negated."""
    model_answer = ("Strings are immutable, so methods such as upper() return a new string. Because strings are "
                    "hashable they can be members of a set, while lists cannot.")
    run("rubric", "from-answer", "--question", "Why are Python strings immutable?", "--answer", model_answer,
        "--id", "strings", "--out", str(tmp_path / "strings.yaml"))
    for answer in ("Because strings are hashable they can be members of a set, while lists cannot.",
                   "Strings are hashable, so you can put them in a set.",
                   "Lists cannot be members of a set.",  # the other half, negated as it is in the point
                   "Lists cannot be members of a set because they are not hashable; strings are hashable."):
        result = run("score", "strings", "--answer", answer, "--format", "json", "--no-save",
                     env={RUBRICS_ENV: str(tmp_path)})
        assert result.exit_code == 0, result.output
        marks = {c["id"]: (c["status"], c["score"]) for c in json.loads(result.stdout)["concepts"]}
        assert marks["point_3"][0] == "covered", (answer, marks)


@pytest.mark.slow
def test_a_key_point_that_rules_out_an_alternative_is_earned_by_its_claim_alone(tmp_path: Path, real_model_cli):
    """", not on each call" made the whole key point a negated text: an answer stating just the claim was
    read as denying it, and every answer, the best included, showed the point contradicted; "use None as
    the default" read as a negation too, and validate warned that the point was all negated."""
    model_answer = ("Default argument values are evaluated once, when the def statement runs, not on each call. "
                    "The fix is to use None as the default and create a new list inside the function.")
    run("rubric", "from-answer", "--question", "Why are mutable default arguments a problem?", "--answer",
        model_answer, "--id", "defaults", "--out", str(tmp_path / "defaults.yaml"))
    checked = run("rubric", "validate", "--strict", str(tmp_path / "defaults.yaml"))
    assert checked.exit_code == 0, checked.output
    for answer in ("Default values are evaluated once, at def time.",
                   "The defaults are computed when the function is defined, not every call."):
        result = run("score", "defaults", "--answer", answer, "--format", "json", "--no-save",
                     env={RUBRICS_ENV: str(tmp_path)})
        marks = {c["id"]: c["status"] for c in json.loads(result.stdout)["concepts"]}
        assert marks["point_1"] in ("covered", "partial"), (answer, marks)


@pytest.mark.slow
def test_a_key_point_ending_without_a_cost_is_earned_by_its_claim_alone(tmp_path: Path, real_model_cli):
    """" without changing its code" made the key point a negated text, as ", not ..." did: validate --strict
    failed on the rubric it had just drafted (every exemplar negated), and an answer saying what decorators
    are for earned nothing of it."""
    model_answer = ("A decorator is a callable that takes a function and returns a replacement for it. "
                    "Decorators add behaviour such as logging or caching without changing the function's code.")
    run("rubric", "from-answer", "--question", "What is a Python decorator?", "--answer", model_answer,
        "--id", "decorators", "--out", str(tmp_path / "decorators.yaml"))
    checked = run("rubric", "validate", "--strict", str(tmp_path / "decorators.yaml"))
    assert checked.exit_code == 0, checked.output
    result = run("score", "decorators", "--answer", "Decorators are how you add logging or caching to a function.",
                 "--format", "json", "--no-save", env={RUBRICS_ENV: str(tmp_path)})
    marks = {c["id"]: c["status"] for c in json.loads(result.stdout)["concepts"]}
    assert marks["point_2"] in ("covered", "partial"), marks


@pytest.mark.parametrize(("args", "said"), [
    (("--question", "word " * 5000, "--answer", "A generator yields values."), "--question is 25,000 characters"),
    (("--question", "Why?", "--answer", "word " * 5000), "the model answer is 25,000 characters"),
])
def test_an_over_long_question_or_answer_is_said_of_the_option_not_of_a_file_never_written(
        args: tuple[str, ...], said: str) -> None:
    result = run("rubric", "from-answer", *args)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line == f"genco rubric from-answer: {said}; a rubric's texts hold at most 20,000", line


def test_a_model_answer_of_too_many_key_points_is_said_of_the_answer(tmp_path: Path) -> None:
    """It said "<e12>:468: concepts: has 300 entries", of a file that was never written."""
    answer = " ".join(f"Claim {i} states that value {i} is stored somewhere." for i in range(300))
    result = run("rubric", "from-answer", "--question", "Q?", "--answer", answer, "--out", str(tmp_path / "e12.yaml"))
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("genco rubric from-answer: the model answer makes 300 key points; a rubric holds at most 100")
    assert not (tmp_path / "e12.yaml").exists()


def test_an_admission_of_not_knowing_earns_nothing_and_contradicts_nothing(tmp_path: Path, real_model_cli):
    """"I don't know what a variable is" repeats the model answer's words and is negated, yet claims
    nothing: no credit, no contradicted key point; a claim after the admission keeps its credit."""
    out = tmp_path / "variable.yaml"
    run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--id", "variable", "--out", str(out))
    env = {RUBRICS_ENV: str(tmp_path)}

    def card(answer: str) -> dict:
        result = run("score", "variable", "--answer", answer, "--format", "json", "--no-save", env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    admitted = card("I don't know what a variable is, or where its value is stored.")
    assert admitted["score"] < 5 and all(c["status"] == "missing" for c in admitted["concepts"]), admitted
    claim = "it is a named place in memory which holds a value that may change."
    assert abs(card("Not sure of the wording, but " + claim)["score"] - card(claim.capitalize())["score"]) < 8


def test_an_admission_said_before_a_claim_costs_the_claim_nothing(tmp_path: Path, real_model_cli):
    """"No idea is a bad idea" is a claim, not an admission; "I don't know the internals, though X" claims X,
    and its "don't" denies nothing of X."""
    env = {RUBRICS_ENV: str(tmp_path)}
    rules = "No idea is a bad idea. Defer judgement and go for quantity."
    run("rubric", "from-answer", "--question", "What are the rules of brainstorming?", "--answer", rules,
        "--id", "brainstorm", "--out", str(tmp_path / "brainstorm.yaml"))

    def card(question: str, answer: str) -> dict:
        result = run("score", question, "--answer", answer, "--format", "json", "--no-save", env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert card("brainstorm", rules)["score"] >= 90
    claim = "a variable is a named place in memory which holds a value that may change."
    run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--id", "variable",
        "--out", str(tmp_path / "variable.yaml"))
    admitted = card("variable", "I don't know the internals, though " + claim)
    assert all(c["status"] != "contradicted" for c in admitted["concepts"]), admitted
    assert abs(admitted["score"] - card("variable", claim.capitalize())["score"]) < 8


def test_an_empty_id_is_a_usage_error_not_one_made_from_the_question(tmp_path: Path):
    result = run("rubric", "from-answer", "--question", QUESTION, "--answer", ANSWER, "--id", "",
                 "--out", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2, result.output
    assert "--id '' must be lowercase letters and digits, words joined by single dashes" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


DECORATOR_QUESTION = "What is a Python decorator?"
DECORATOR_ANSWER = ("A decorator is a callable that takes a function and returns a new function, usually wrapping the "
                    "original to add behaviour. The @name syntax above a def is shorthand for func = name(func).")


@pytest.mark.slow
def test_naming_the_questions_subject_earns_no_key_point(tmp_path: Path, real_model_cli):
    """"A decorator is a comment ..." shares the key point's subject, which every answer names, and the
    model read it as the key point (covered, 95 %) while "It's a function that wraps ..." missed it."""
    out = tmp_path / "decorator.yaml"
    run("rubric", "from-answer", "--question", DECORATOR_QUESTION, "--answer", DECORATOR_ANSWER, "--id", "decorator",
        "--out", str(out))
    env = {RUBRICS_ENV: str(tmp_path)}
    wrong = json.loads(run("score", "decorator", "--format", "json", "--answer",
                           "A decorator is a comment that documents a function; Python ignores it at runtime.",
                           env=env).stdout)
    right = json.loads(run("score", "decorator", "--format", "json", "--answer",
                           "It's a function that wraps another function and returns a replacement; writing @deco "
                           "over def f is the same as f = deco(f).", env=env).stdout)
    assert {c["id"]: c["status"] for c in wrong["concepts"]}["point_1"] == "missing"
    assert right["score"] >= wrong["score"] + 5
