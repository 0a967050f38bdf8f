"""Mock interviews as genco shows them: each question with its budget, the compact score after each
reply, the follow-up probe, and the session report (terminal text or JSON), and the list of kept reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..card import UNCERTAIN_NOTE
from ..output import dumps, genco_command
from .console import STACKED_BELOW, hanging_item, has_a_width, natural_width, print_command_line, print_table
from .markup import DAMAGED, UNCERTAIN_MARK, UNDONE_NOTE, clock, counted
from .report import local_time

if TYPE_CHECKING:
    from rich.console import Console

    from ..interview.mock import InterviewPlan, InterviewReport, PlannedQuestion, Probe, QuestionReport, Turn
    from ..progress.rows import StoredInterview

T = TypeVar("T")


def render_planned(console: Console, number: int, total: int, question: PlannedQuestion) -> None:
    """Question `number` of `total`: the question as asked, its depth and its time budget."""
    body = Text.assemble((question.prompt, "bold"), "\n\n",
                         (f"Time budget: {question.time_budget_minutes:g} min · depth: {question.depth}", "dim"))
    console.print(Panel(body, title=Text(f"Question {number} of {total} · {question.title}"), title_align="left"))


def render_reply(console: Console, reply: str) -> None:
    """A reply that was piped in, shown dim after its question, so a saved copy of the output reads
    as the conversation it was (typed replies are on the screen already)."""
    console.print(Text(reply, style="dim"))


def render_turn(console: Console, turn: Turn) -> None:
    """One scored reply in a line: the score, concepts covered, and the time against the budget."""
    covered = sum(c.status == "covered" for c in turn.concepts)
    what = "Follow-up" if turn.kind == "follow_up" else "Score"
    doubt = UNCERTAIN_MARK if turn.kind == "answer" and turn.card.get("uncertain") else ""  # as `history` marks it
    line = Text.assemble((f"{what}: {turn.score:.1f}{doubt}", "bold"), f" · {covered}/{len(turn.concepts)} concepts covered")
    if turn.seconds is not None and turn.kind == "answer":
        line.append(f" · {clock(turn.seconds)} of {clock(turn.budget_seconds)}")
        if turn.over_time:
            line.append(" (over time)", style="red")
    console.print(line)
    if doubt:  # said where it is first seen, not only under the report's table
        console.print(Text(f"{UNCERTAIN_MARK} {UNCERTAIN_NOTE}", style="dim"))
    for flag in turn.red_flags:  # a follow-up reply's too: a confident mistake is what an interviewer listens for
        hanging_item(console, "✗", "red", Text(f"red flag: {flag}", style="red"))
    missing = [c.name + (" (partial)" if c.status == "partial" else "") for c in turn.concepts if c.status != "covered"]
    if missing:
        # " · ", not a comma: concept names have commas and semicolons of their own
        console.print(Text("not fully covered: " + " · ".join(missing), style="dim"))


def render_probe(console: Console, probe: Probe, concept: str, passed_over: Sequence[str] = ()) -> None:
    """The follow-up in a panel titled with the concept it probes; first, in one dim line, the weaker
    concepts it passed over because the rubric has no follow-up on them (`passed_over`: their names)."""
    if passed_over:
        console.print(Text(f"The rubric has no follow-up on {' · '.join(passed_over)}; "
                           f"the weakest concept it has one for is {concept}.", style="dim"))
    console.print(Panel(Text(probe.ask, style="bold"), title=Text(f"Follow-up · {concept}"), title_align="left"))


def render_good_answer(console: Console, probe: Probe) -> None:
    console.print(Text(f"A good reply: {probe.good_answer}", style="dim"))


def render_interview_report(console: Console, report: InterviewReport, db: str | None = None) -> None:
    """The session report: a row per question, the overall figures, then what to practise next (in the
    --db history `db`: without it, what was practised was kept in the default one)."""
    title = "Mock interview" + (f" {report.number}" if report.number else "")
    rows = [_question_cells(q) for q in report.questions]
    table = _question_table(title, rows, timed=any(q.seconds is not None for q in report.questions))
    if has_a_width(console) and (console.width < STACKED_BELOW or natural_width(console, table) > console.width):
        console.print(Text(title, style="italic"))  # the question ids kept whole: they are typed again
        for q, cells in zip(report.questions, rows):
            _print_question_block(console, cells, q)
    else:
        print_table(console, table)  # whole into a pipe
    if any(q.uncertain for q in report.questions):
        console.print(Text(f"{UNCERTAIN_MARK} {UNCERTAIN_NOTE}", style="dim"))
    _render_follow_ups(console, report)
    _render_red_flags(console, report)
    overall = "-" if report.score is None else f"{report.score:.1f}"  # as `genco interview --list` shows it
    follow = "-" if report.follow_up_score is None else f"{report.follow_up_score:.1f}"
    answered = [q for q in report.questions if q.score is not None]
    untimed = answered and all(q.seconds is None for q in answered)
    timing = ("answers not timed (the replies came without a clock: piped, or sent by a script)" if untimed
              else f"answers over their time budget: {report.over_time} of {len(answered)}")
    console.print(Text.assemble((f"Overall: {overall}", "bold"), f" · follow-up score: {follow} · {timing}"))
    if report.practise:
        console.print(Text("Practise next", style="bold"))
        probed = {(q.question, q.depth, name) for q in report.questions for name in q.recovered}
        undone = {(q.question, q.depth, name) for q in report.questions for name in q.undone}
        for item in report.practise:
            console.print(Text(f"  {genco_command(f'practice {item.question} -d {item.depth}', db)}"), soft_wrap=True)
            for concept in item.concepts:  # one a line: concept names hold commas and semicolons of their own
                when = (" (said only when probed)" if (item.question, item.depth, concept) in probed else
                        UNDONE if (item.question, item.depth, concept) in undone else "")
                hanging_item(console, "-", "dim", Text(f"{concept}{when}", style="dim"), width=5)  # wrapped, still under it


def _render_red_flags(console: Console, report: InterviewReport) -> None:
    """The misconceptions the answers' cards named, a question at a time: a confident mistake is what an
    interviewer remembers, and the table's scores alone did not say it."""
    flagged = [q for q in report.questions if q.red_flags]
    if not flagged:
        return
    console.print(Text("Red flags", style="bold red"))
    for q in flagged:
        for flag in q.red_flags:
            hanging_item(console, "✗", "red", Text(f"{q.question} · {q.depth}: {flag}"))


def _render_follow_ups(console: Console, report: InterviewReport) -> None:
    """Each probe asked and the reply to it, so a kept interview can be read again, not only its scores."""
    asked = [q for q in report.questions if q.probe]
    if not asked:
        return
    console.print(Text("Follow-ups", style="bold"))
    for q in asked:  # indented as a whole: a wrapped line stays under its own item
        hanging_item(console, "", "", Text(f"{q.question} · {q.depth}: {q.probe}"), width=1)
        if q.follow_up_reply is not None or q.follow_up_score is None:
            hanging_item(console, "", "", Text(f"your reply: {q.follow_up_reply or 'not answered'}", style="dim"))


def _question_cells(q: QuestionReport) -> tuple[str, ...]:
    """One question of the report as its row shows it: id, depth, score, follow-up score, time, concepts not fully covered."""
    time = "" if q.seconds is None else f"{clock(q.seconds)}/{clock(q.budget_seconds)}" + (" late" if q.over_time else "")
    return (q.question, q.depth, "-" if q.score is None else f"{q.score:.1f}" + (UNCERTAIN_MARK if q.uncertain else ""),
            "-" if q.follow_up_score is None else f"{q.follow_up_score:.1f}", time,
            "-" if q.score is None else _missing_cell(q))


def _question_table(title: str, rows: list[tuple[str, ...]], timed: bool) -> Table:
    """The report's questions as a table; no time column when no answer was timed (the line under it says why)."""
    table = Table(header_style="bold", box=None, title=title, title_justify="left")
    table.add_column("question", overflow="fold")
    table.add_column("depth", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True, min_width=len("score"))
    table.add_column("follow-up", justify="right", no_wrap=True, min_width=len("follow-up"))
    if timed:
        table.add_column("time", no_wrap=True)
    table.add_column("not fully covered", ratio=1)  # a partial mark counts: it is on the practise list too
    for question, depth, score, follow_up, time, missing in rows:
        table.add_row(question, depth, score, follow_up, *([time or "—"] if timed else []), missing)
    return table


def _print_question_block(console: Console, cells: tuple[str, ...], q: QuestionReport) -> None:
    """One question of the report on a narrow terminal: its id and depth, then its figures, each named, and the
    concepts not fully covered, each a bullet (a name wrapped over two lines read as two concepts)."""
    question, depth, score, follow_up, time, missing = cells
    console.print(Text(f"{question} · {depth}", style="bold"))
    figures = [f"score {score}", f"follow-up {follow_up}"] + ([f"time {time}"] if time else [])
    hanging_item(console, "", "", Text(" · ".join(figures) + f"\nnot fully covered:{' -' if q.score is None else ''}"), width=1)
    if q.score is None:  # not answered
        return
    names, drawn_out = _missing_lines(q)
    for name in names:
        hanging_item(console, "-", "", Text(name), width=3)
    if drawn_out:
        hanging_item(console, "", "", Text(drawn_out), width=3)


def _missing_cell(q: QuestionReport) -> str:
    """The concepts still not fully covered, one a line (names hold commas and semicolons of their own), then
    how many the follow-up drew out (_missing_lines)."""
    names, drawn_out = _missing_lines(q)
    return "\n".join(names + ([drawn_out] if drawn_out else []))


def _missing_lines(q: QuestionReport) -> tuple[list[str], str | None]:
    """The concepts still not fully covered (missing or partial) after the follow-up, by name (a bare count
    left the reader to guess which), and how many it drew out, or None: those are on the practise list too,
    so the count says why the list is longer."""
    undone = set(q.undone)
    names = [f"{name}{UNDONE if name in undone else ''}" for name in q.missed]
    return names or ["none"], f"(+{len(q.recovered)} said when probed)" if q.recovered else None


UNDONE = f" ({UNDONE_NOTE})"


def render_kept(console: Console, number: int, db: str | None = None) -> None:
    """After an interview: where its report was kept, and how to see it again (with the --db it was kept in)."""
    print_command_line(console, Text(f"saved as interview {number} · {genco_command(f'interview --show {number}', db)}",
                                     style="dim"))


def cut_short_line(report: InterviewReport, problem: str | None = None, db: str | None = None) -> str:
    """One line for stderr after an interview that was cut short (or interrupted while its report
    printed): where the report of its answered questions is kept (the command to see it names the --db
    it was kept in), that it was printed and not kept (no number: --no-save), or (with `problem`, the
    history's error naming the recovery file) that the history could not take it."""
    answered = f"{counted(report.answered, 'answered question')} of {len(report.questions)}"
    if problem is not None:
        return f"the report of the {answered} could not be kept in the history: {problem}"
    if report.number is None:
        return f"the report of the {answered} is printed, not kept (--no-save)"
    return (f"the {answered} {'is' if report.answered == 1 else 'are'} kept as interview {report.number}: "
            f"{genco_command(f'interview --show {report.number}', db)}")


def fewer_questions_line(plan: InterviewPlan, count: int, tag: str | None, depth: str | None) -> str | None:
    """Why the interview asks fewer than the `count` questions wanted (only so many have `tag`, or
    the bank holds no more), or None when it asks them all: every front end says it before the
    first question, so a shorter interview is never a surprise."""
    asked = len(plan.questions)
    if asked >= count:
        return None
    which = f"with the tag {tag!r}" if tag else "in the bank"
    at_depth = f" at depth {depth!r}" if depth else ""
    return f"only {counted(asked, 'question')} {which}{at_depth}: the interview asks {asked}, not {count}"


def interview_json(report: InterviewReport, db: str | None = None) -> str:
    """The report's JSON shape (`InterviewReport.to_dict`), one object; `db` (what the text suggests a command
    for) changes nothing in it."""
    return dumps(report.to_dict(), indent=2)


def render_interview_list(console: Console, kept: list[StoredInterview], db: str | None = None) -> None:
    """The kept interview reports, one row each; none yet says how to start one (in the --db history `db`)."""
    if not kept:
        print_command_line(console, f"No mock interviews kept yet: run `{genco_command('interview', db)}`.")
        return
    table = Table(header_style="bold", box=None)
    table.add_column("#", justify="right", no_wrap=True, min_width=max(len(str(item.id)) for item in kept))
    table.add_column("when")  # on a narrow terminal the date and time take two lines,
    table.add_column("questions", no_wrap=True, min_width=len("questions"))  # never the number --show takes
    table.add_column("score", justify="right", no_wrap=True, min_width=len("score"))
    for item in kept:
        table.add_row(str(item.id), _or_damaged(item.created_at, local_time), _or_damaged(item.questions, str),
                      _or_damaged(item.score, lambda score: f"{score:.1f}"))
    console.print(table)


def _or_damaged(value: T | None, shown: Callable[[T], str]) -> str:
    """A kept interview's value as shown, or DAMAGED for one edited by hand (StoredInterview reads it as None)."""
    return DAMAGED if value is None else shown(value)


def interview_list_json(kept: list[StoredInterview], db: str | None = None) -> str:
    """The kept reports for tools; `db` (what the text suggests a command for) changes nothing in it."""
    return dumps([_listed(k) for k in kept], indent=2)


def _listed(kept: StoredInterview) -> dict[str, object]:
    """A kept interview as `interview --list --json` gives it: number, created_at, questions, score."""
    return {"number": kept.id, "created_at": kept.created_at, "questions": kept.questions, "score": kept.score}


def deleted_interview_line(kept: StoredInterview, asked: bool = False) -> str:
    """What `interview --delete` says of the report it deletes (`asked`: in its question, before it does)."""
    shown = (f"interview report {kept.id} ({_or_damaged(kept.questions, lambda n: counted(n, 'question'))}, score "
             f"{_or_damaged(kept.score, lambda score: f'{score:.1f}')}, {_or_damaged(kept.created_at, local_time)})")
    return shown if asked else f"deleted {shown}; its answers stay in your history as attempts (`genco history`)"


def deleted_interview_json(kept: StoredInterview | None) -> str:
    """`interview --delete --json`: {"deleted": the report as `interview --list --json` listed it, or null when
    the person asked said no}."""
    return dumps({"deleted": None if kept is None else _listed(kept)}, indent=2)
