"""Past attempts and progress reports as people and tools read them: terminal, Markdown, JSON, CSV.

The HTML page lives in report_html.py. Everything a learner typed (answers, evidence) and
everything a rubric author wrote is escaped for the format it lands in: a pasted `</table>` or
`|` must stay text, never become structure.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..card import UNCERTAIN_NOTE
from ..output import csv_row, dumps, genco_command, one_line
from ..progress.attempt import Attempt
from ..progress.database import suggested
from ..progress.reports import RECENT, TREND_MIN_ATTEMPTS, WEAK_MASTERY, Report, SectionReport
from ..progress.schedule import DESIRED_RETENTION, Suggestion
from .console import MAX_WIDTH, hanging_item, has_a_width, natural_width, print_command_line, print_whole, section_rule
from .markup import DAMAGED, DAMAGED_DATE, UNCERTAIN_MARK, clock, counted, md_escape, md_quote
from .page import page_head

if TYPE_CHECKING:
    from ..progress.comparison import Comparison

def json_head(second_key: str) -> re.Pattern[str]:
    """How a JSON document genco writes starts: the time it was made, to the second with its offset, then
    `second_key` ("source" for a report, "history" for a comparison); another program's "generated_at" is a date."""
    return re.compile(rf'\{{\s*"generated_at":\s*"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d",\s*"{second_key}"')


REPORT_TITLE = "genco progress report"
"""The title of a markdown or HTML report; a text report starts with TEXT_HEADING."""
TEXT_HEADING = "Progress report"
REPORT_HEADS = (re.compile(rf"# {REPORT_TITLE}\n\n(?:[\d,]+ attempts?(?: ·\s| since )|No )"),
                re.compile(rf"{TEXT_HEADING} · [\d,]+ attempts?(?: ·\s| since |\s*\n)"),  # wrapped after "·"
                re.compile(r"No (?:attempts|candidate graded)\b[^`]{0,600}?"  # wrapped at the width of a pipe
                           r"(?::\s+nothing\s+to\s+report\.(?:\s*$|\s+(?:Grade\s+one\s+with|Run)\s+`)"
                           r"|are\s+candidates\s+graded:)"),
                json_head("source"),  # not a comparison's ("history")
                page_head(REPORT_TITLE))
"""How every report genco writes starts, one per format (markdown by its title and first line, text by its heading
and count, or the sentence it writes when there is nothing to report, JSON by its first key, HTML by its generator
and title): a file that starts otherwise is no earlier report, and is replaced only with --force. A mentor's
"Progress report · week 3", "Progress report · 3 attempts at swimming", notes opening "No attempts ...: nothing to
report to Sam yet", another program's JSON with a "generated_at" date and a "source" are no report of genco's."""
ANSWER_PREVIEW = 60
LIST_COLUMNS = ("id", "uid", "created_at", "question", "depth", "source", "candidate", "seconds", "score", "uncertain",
                "model", "genco_version", "answer")


def local_time(stamp: str, seconds: bool = False) -> str:
    """A stored UTC time as the reader's local clock, to the minute (with `seconds`, to the second when it
    has any); at the ends of the calendar, where the shift to local time leaves it (year 1 west of UTC),
    as stored."""
    when = datetime.fromisoformat(stamp)
    try:
        when = when.astimezone()
    except (OverflowError, ValueError):
        pass
    return f"{when.year:04d}-{when:%m-%d %H:%M}" + (f":{when:%S}" if seconds and when.second else "")


def attempt_time(attempt: Attempt) -> str:
    """When an attempt was kept, as the reader's clock says it (local_time), or "date damaged"
    (Attempt.date_damaged)."""
    return DAMAGED_DATE if attempt.date_damaged else local_time(attempt.created_at)


def attempt_score(attempt: Attempt) -> str:
    """An attempt's score as a listing shows it ("86.7"), or DAMAGED (Attempt.score_damaged)."""
    return DAMAGED if attempt.score_damaged else f"{attempt.score:g}"


def since_text(report: Report | Comparison) -> str:
    """" since 2026-03-01 00:00" (local time) for a report or comparison of the attempts from then on
    (--since), else ""; a time given to the second is said so (rounded to the minute, it counted fewer
    attempts than it said)."""
    return f" since {local_time(report.since, seconds=True)}" if report.since else ""


def left_out_text(report: Report | Comparison) -> str:
    """" · 2 attempts left out (3, 7: score or date damaged)" for a report or comparison that left out
    attempts whose stored score or date is damaged (scored_and_dated), else "": a report saved as a file or
    shown on a page says what it does not count, as the command's line on stderr does."""
    if not report.left_out:
        return ""
    numbers = ", ".join(map(str, report.left_out))
    return f" · {counted(len(report.left_out), 'attempt')} left out ({numbers}: score or date damaged)"


def unreadable_text(report: Report | Comparison) -> str:
    """" whose score and date can be read (2 attempts damaged)" for an empty report or comparison that left out
    attempts whose stored score or date is damaged, else "": "No attempts yet" said of a history full of them."""
    if not report.left_out:
        return ""
    return f" whose score and date can be read ({counted(len(report.left_out), 'attempt')} damaged)"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{round(seconds / 3600, 1):g} h"
    return f"{seconds / 86400:.0f} days"


def answer_time(seconds: float | None) -> str:
    """The time one answer took, to the second ("2:28", markup.clock), "—" untimed."""
    return "—" if seconds is None else clock(seconds)


def preview(text: str, limit: int = ANSWER_PREVIEW) -> str:
    """An answer on one line, cut to `limit` characters, escape sequences removed whole (rich drops only
    their control characters and would show the rest: "]0;TITLE")."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def trend_text(section: SectionReport) -> str:
    """The trend as a report line shows it: per attempt with its word, or the word alone when no slope
    means anything yet (one or two attempts)."""
    if section.trend is None or section.attempts < TREND_MIN_ATTEMPTS:
        return section.trend_word
    return f"{section.trend:+.1f}/attempt ({section.trend_word})"


def time_text(section: SectionReport) -> str:
    if not section.timed_attempts:
        return "not timed"
    return f"{duration(section.seconds)} over {counted(section.timed_attempts, 'timed attempt')}"


# --- history listing ----------------------------------------------------------------------------


def attempt_summary(attempt: Attempt) -> dict[str, Any]:
    return {name: getattr(attempt, name) for name in LIST_COLUMNS}


@dataclass(frozen=True)
class Listing:
    """What `genco history` lists: the attempts shown, how many match its filters (`--limit` shows
    fewer), how many the history holds in all, and where."""

    attempts: Sequence[Attempt]
    matching: int
    total: int
    path: str


def history_json(listing: Listing) -> str:
    """Each attempt's `number` first: what `genco show N` and `history delete N` take, by the name `show --json`
    gives it; `id` is the same number, as the CSV names it, for the tools that read it so. An attempt whose
    score or date is damaged says which under `damaged` (Attempt.damaged)."""
    return dumps([{"number": a.id, **attempt_summary(a), **({"damaged": a.damaged} if a.damaged else {})}
                  for a in listing.attempts], indent=2)


def history_csv(listing: Listing) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LIST_COLUMNS)
    for attempt in listing.attempts:
        writer.writerow(csv_row(attempt_summary(attempt).values()))
    return out.getvalue()


WIDE_HISTORY = 110
"""From this width `genco history` also shows how long an attempt took (`genco show N` has it)."""
HISTORY_FLOOR = {"answer": 6, "when": 16}
"""The least width of the answer's preview, which `genco history` leaves out when the line is too narrow
for it (see _history_columns for the order), and of the time, which it always shows."""
WHO_ROOM = 24
"""Columns whose attempt it is may take ("candidate: A. Lovelace"): shown whole or not at all, so two
candidates never read alike."""
QUESTION_FLOOR = 10
"""Columns a question id keeps before whose attempt it is is left out."""
QUESTION_LEAST = 4
"""Columns a question id needs to be shown at all ("co…"): the number, depth and score come first."""
CELL_PADDING = 2
"""Columns of space each table column takes beside its text (padding 1 on each side)."""


def who(attempt: Attempt) -> str:
    """Whose attempt: "learner", "interviewer" (a candidate graded without a name), or "candidate: NAME"
    ("interviewer: Eve Nakamura" read as if Eve had been the interviewer)."""
    return f"candidate: {attempt.candidate}" if attempt.candidate else attempt.source


QUESTION_ID_ROOM = 40
"""Columns a question id keeps whole in the attempt list (a longer one, from a user's rubric, is cut)."""


@dataclass(frozen=True)
class HistoryColumns:
    """What `genco history` shows at a width: the optional columns, and the question's and whose widths."""

    shown: tuple[str, ...]
    """Of "answer", "when" and "who"."""
    question: int
    """Columns for the question id; 0 leaves it out."""
    who: int
    short_who: bool = False
    """Whose attempt as SHORT_WHO says it, where the line has no room for the names."""


SHORT_WHO = {"learner": "you", "interviewer": "cand"}
"""Whose attempt in a line too narrow for the candidates' names: a graded candidate's row must never read
as the learner's own (at 60 columns "candidate: Dan Wu" went, and his 31.4 sat among yours unmarked)."""
SHORT_WHO_LEGEND = "cand: a candidate you graded"


def _history_columns(attempts: Sequence[Attempt], width: int) -> HistoryColumns:
    """The columns that fit `width`. The number, depth and score are never cut (a score of 100 cut to
    "10" reads as a bad attempt), and the time is left out only where the line has no room for it
    beside them (under 40 columns): it is how a person finds an attempt again. The answer's preview
    shrinks first and goes before the question id is cut, whose attempt it is is said short (SHORT_WHO)
    once even a question cut to QUESTION_FLOOR leaves no room for the names, and goes before the time; the
    question goes last. A question id
    longer than QUESTION_ID_ROOM is whole only where the line has room for it with every column (a
    pipe has); ids shorter than the word "question" leave its column as wide as that header where the
    line has room for it."""
    longest = max(len(a.question) for a in attempts)
    whom = min(max(len(who(a)) for a in attempts), WHO_ROOM)
    floor = {**HISTORY_FLOOR, "who": whom}
    fixed = max(len(str(a.id)) for a in attempts) + len("detailed") + _score_width(attempts) + 3 * CELL_PADDING

    def needed(columns: list[str], question_width: int) -> int:
        return fixed + question_width + CELL_PADDING + sum(floor[n] + CELL_PADDING for n in columns)

    shown = [name for name in ("answer", "when", "who") if name != "who" or any(a.source != "learner" for a in attempts)]
    question = longest if needed(shown, longest) <= width else min(longest, QUESTION_ID_ROOM)
    if needed(shown, question) > width:
        shown.remove("answer")
    short = "who" in shown and needed(shown, QUESTION_FLOOR) > width
    if short:
        whom = floor["who"] = max(map(len, SHORT_WHO.values()))
    if needed(shown, 0) > width and "who" in shown:  # the time is how a person finds an attempt again
        shown.remove("who")
    if needed(shown, 0) > width:  # a line too narrow for the number, time, depth and score: the time goes
        shown.remove("when")
    room = min(max(question, len("question")), width - needed(shown, 0))  # a short id under a whole header
    return HistoryColumns(tuple(shown), room if room >= QUESTION_LEAST else 0, whom, short)


def _history_table(attempts: Sequence[Attempt], width: int, whole: bool = False) -> Table:
    """The attempt list: the number, time, depth and score always whole, the question whole while there
    is room; whose attempt and the answer's preview as room allows (_history_columns). A "who" column
    appears whenever an interviewer's grade is among them, short in a narrow line, so it never reads as the
    learner's. The answer's preview stretches to fill `width`, unless `whole` (for a pipe, with a
    `width` room enough): then each column is as wide as its text, whose attempt it is too."""
    wide = width >= WIDE_HISTORY
    columns = _history_columns(attempts, width - 1)  # rich keeps a column of slack
    shown, mixed = columns.shown, "who" in columns.shown
    table = Table(header_style="bold", box=None, padding=(0, 1), expand=not whole,
                  caption=SHORT_WHO_LEGEND if columns.short_who else None, caption_style="dim", caption_justify="left")
    table.add_column("#", justify="right", no_wrap=True, min_width=max(len(str(a.id)) for a in attempts))
    if "when" in shown:
        table.add_column("when", no_wrap=True, min_width=HISTORY_FLOOR["when"])
    if columns.question:
        table.add_column("question", no_wrap=True, overflow="ellipsis", min_width=columns.question,
                         max_width=columns.question)
    table.add_column("depth", no_wrap=True, min_width=len("detailed"))
    table.add_column("score", justify="right", no_wrap=True, min_width=_score_width(attempts))
    if mixed:
        table.add_column("who", no_wrap=True, overflow="ellipsis", min_width=columns.who,
                         max_width=None if whole else WHO_ROOM)
    if wide:
        table.add_column("time", justify="right", no_wrap=True)
    if "answer" in shown:
        table.add_column("answer", no_wrap=True, overflow="ellipsis", ratio=1, min_width=HISTORY_FLOOR["answer"])
    for a in attempts:
        when = [attempt_time(a)] if "when" in shown else []
        whose = SHORT_WHO.get(a.source, SHORT_WHO["interviewer"]) if columns.short_who else one_line(who(a))
        extra = ([Text(whose)] if mixed else []) + ([answer_time(a.seconds)] if wide else [])  # a name, never markup
        answer = [Text(preview(a.answer), style="dim")] if "answer" in shown else []
        question = [a.question] if columns.question else []
        table.add_row(str(a.id), *when, *question, a.depth, _score_cell(a), *extra, *answer)
    return table


def _score_cell(attempt: Attempt) -> str:
    """An attempt's score in the attempt list, UNCERTAIN_MARK after one its card marks uncertain (a space after
    the others, so the numbers line up)."""
    return attempt_score(attempt) + (UNCERTAIN_MARK if attempt.uncertain else " ")


def _score_width(attempts: Sequence[Attempt]) -> int:
    """The score column's width: its header's, or a DAMAGED cell's where one is listed (never cut)."""
    return max(len("score"), *(len(_score_cell(a)) for a in attempts))


def render_history(console: Console, listing: Listing) -> None:
    if not listing.attempts:
        print_command_line(console, f"No attempts yet in {listing.path}. Run `{suggested('practice', listing.path)}` to "
                                    "make one." if not listing.total else "No attempts match these filters.")
        return
    if has_a_width(console):
        console.print(_history_table(listing.attempts, console.width))
    else:
        print_whole(console, _history_table(listing.attempts, MAX_WIDTH, whole=True))
    legend = f" · {UNCERTAIN_MARK} {UNCERTAIN_NOTE}" if any(a.uncertain for a in listing.attempts) else ""
    print_command_line(console, Text(f"{len(listing.attempts)} of {counted(listing.matching, 'attempt')} · "
                                     f"{suggested('show N', listing.path)} for one in full{legend}", style="dim"))


# --- report: terminal ---------------------------------------------------------------------------


def empty_report_text(report: Report, code: Callable[[str], str] = lambda c: f"`{c}`",
                      text: Callable[[str], str] = lambda t: t) -> str:
    """What an empty report says, naming the one question and candidate it was asked about and the
    history it read (--db, unless the default one: practising into another would not show here); a
    report of a candidate's attempts suggests no practice; `code` marks up a
    command and `text` escapes plain text for the output format."""
    def suggest(words: str) -> str:
        return suggested(words, report.source) if report.source else genco_command(words, None)

    at_depth = f" --depth {report.depth}" if report.depth else ""
    command = suggest(" ".join(filter(None, ("practice", report.question))) + at_depth)
    where = (f" of {report.people[0]}" if report.whose else "") + (f" at {report.question}" if report.question else "")
    if report.depth:
        where += f" ({report.depth})" if report.question else f" at depth {report.depth}"
    if report.graded_apart:  # an interviewer's history: theirs are reported apart
        asked = f" --question {report.question}" if report.question else ""  # `candidates` compares every depth
        theirs, compare = suggest(f"report --source interviewer{asked}{at_depth}"), suggest(f"candidates{asked}")
        when, kept = (since_text(report), "since then") if report.since else (" yet", "kept")
        also = " (each with the same --since)" if report.since else ""
        said = f"No attempts of your own{where}{when}; the {counted(report.graded_apart, 'attempt')} {kept} are candidates graded:"
        return f"{text(said)} {code(theirs)} {text('reports on them, or')} {code(compare)} {text(f'compares them{also}.')}"
    if report.since or report.whose or report.left_out:  # the history may be full: only what was asked for is empty
        return text(f"No attempts{where}{since_text(report)}{unreadable_text(report)}: nothing to report.")
    if report.source_filter == "interviewer":  # practising would not fill a report of candidates
        return f"{text(f'No candidate graded{where} yet: nothing to report. Grade one with')} {code('genco grade --candidate NAME')}{text('.')}"
    return f"{text(f'No attempts{where} yet: nothing to report. Run')} {code(command)} {text('and come back.')}"


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def mastery_basis(section: SectionReport) -> str:
    """What a section's concept mastery averages: the last RECENT attempts, or all of them when there are
    fewer ("the last 5" over 4 attempts read as if one had gone missing)."""
    if section.attempts > RECENT:
        return f"average of the last {RECENT} attempts"
    return "the one attempt" if section.attempts == 1 else f"average of its {section.attempts} attempts"


OVERVIEW_HEADING = "Weakest first"
OVERVIEW_COLUMNS = ("question", "depth", "attempts", "latest", "trend", "to work on")
OVERVIEW_NUMBERS = frozenset({"attempts", "latest"})
"""The overview's columns of numbers, right-aligned in Markdown and HTML."""


def overview_row(section: SectionReport) -> tuple[str, ...]:
    """A section's line in a report's overview (Report.overview), as OVERVIEW_COLUMNS name its cells."""
    trend = section.trend_word.partition(":")[0]  # "no clear trend: the scores vary more than that"
    return (section.question, section.depth, str(section.attempts), figure(section, "latest"),
            _SHORT_TRENDS.get(trend, trend), counted(section.to_work_on, "concept") if section.to_work_on else "—")


_SHORT_TRENDS = {"one attempt so far": "—", "too few attempts for a trend": "too few attempts"}
"""The trends an overview's cell says shorter than a section's line does."""


def _render_overview(console: Console, sections: Sequence[SectionReport]) -> None:
    """Report.overview as a table; where the line has no room for it, a line a section (cut to fit, two ids
    read alike, "genera…", and the headers as "ques…")."""
    rows = [overview_row(section) for section in sections]
    table = Table(*OVERVIEW_COLUMNS, header_style="bold", box=None)
    for row in rows:
        table.add_row(*row)
    if not has_a_width(console):  # a pipe: ids whole, to be found and copied
        print_whole(console, table)
        return
    if natural_width(console, table) <= console.width:
        console.print(table)
        return
    for section, (question, depth, _, latest, trend, work) in zip(sections, rows):
        hanging_item(console, "•", "", Text.assemble((f"{question} · {depth}", "bold"), f": latest {latest}, "
                                                     f"{counted(section.attempts, 'attempt')}, trend {trend}, to work on {work}"))


def render_report(console: Console, report: Report) -> None:
    if not report.sections:
        print_command_line(console, empty_report_text(report))
        return
    whose = f" · {report.whose}" if report.whose else ""
    console.print(Text(f"{TEXT_HEADING} · {counted(report.attempts, 'attempt')}{since_text(report)}{left_out_text(report)}{whose}"
                       f" · {report.source}",
                       style="bold"))
    if report.overview:
        console.print(Text(OVERVIEW_HEADING, style="bold"))
        _render_overview(console, report.overview)
    for section in report.sections:
        section_rule(console, section.title, section.depth)
        console.print(f"attempts {section.attempts} · first {figure(section, 'first')} · best {figure(section, 'best')} · "
                      f"latest {figure(section, 'latest')} · trend {trend_text(section)} · time spent: {time_text(section)}")
        if section.uncertain_attempts:
            console.print(Text(uncertain_text(section), style="dim"))
        console.print(Text(f"Concept mastery ({mastery_basis(section)})", style="bold"))
        table = Table("concept", "mastery", "latest", header_style="bold", box=None)
        for concept in section.concepts:
            table.add_row(concept.name, _pct(concept.mastery), concept.latest_status)
        console.print(table)
        if section.weakest:
            console.print(Text.assemble(("Concepts to work on", "bold"), (f" ({to_work_on_why(section)})", "dim")))
            for concept in section.weakest:
                hanging_item(console, "•", "", Text.assemble((concept.name, "bold"), f" ({_pct(concept.mastery)})",
                                                             described(concept.description)))
                if concept.model_answer_says:
                    hanging_item(console, "", "", Text(f"model answer: “{concept.model_answer_says}”", style="green"))
        if section.misconceptions:
            console.print(Text("Misconceptions seen", style="bold red"))
            for m in section.misconceptions:
                hanging_item(console, "✗", "", Text.assemble(m.description, (f"  ×{m.count}", "bold"), ("  in fact: ", "dim"),
                                                             (m.correction, "green")))


# --- report: Markdown and JSON --------------------------------------------------------------------


def figure(section: SectionReport, name: str) -> str:
    """A section's "first", "best" or "latest" score as listings show a score: "19.6?" when its card
    asked for a person to check it."""
    return f"{getattr(section, name):g}" + (UNCERTAIN_MARK if section.marked(name) else "")


def uncertain_text(section: SectionReport) -> str:
    """What the "?" says, and how many of the section's scores carry it (its figures and trend count them)."""
    return f"{UNCERTAIN_MARK} {section.uncertain_attempts} of {counted(section.attempts, 'score')} {UNCERTAIN_NOTE}"


def described(description: str) -> str:
    """": description" after a weak concept's name; nothing when its rubric is gone and a kept attempt
    holds only the concept's name (a bare colon read as a fault)."""
    return f": {description}" if description else ""


def _md_section(section: SectionReport) -> list[str]:
    lines = [f"## {md_escape(section.title)} · {md_escape(section.depth)}", "",
             f"- attempts: {section.attempts}",
             f"- first / best / latest: {' / '.join(figure(section, n) for n in ('first', 'best', 'latest'))}",
             *([f"- {md_escape(uncertain_text(section))}"] if section.uncertain_attempts else []),
             f"- trend: {trend_text(section)}",
             f"- time spent: {time_text(section)}", "",
             f"### Concept mastery ({mastery_basis(section)})", "",
             "| concept | mastery | latest |", "| --- | ---: | --- |"]
    lines += [f"| {md_escape(c.name)} | {_pct(c.mastery)} | {md_escape(c.latest_status)} |" for c in section.concepts]
    if section.weakest:
        lines += ["", f"### Concepts to work on ({to_work_on_why(section)})", ""]
        for c in section.weakest:
            lines.append(f"- **{md_escape(c.name)}** ({_pct(c.mastery)}){described(md_escape(c.description))}")
            if c.model_answer_says:
                lines.append(f"  - model answer: “{md_escape(c.model_answer_says)}”")
    if section.misconceptions:
        lines += ["", "### Misconceptions seen", "", "| misconception | times | in fact |", "| --- | ---: | --- |"]
        lines += [f"| {md_escape(m.description)} | {m.count} | {md_escape(m.correction)} |" for m in section.misconceptions]
    lines += ["", f"### Latest answer (attempt {section.latest_attempt})", "", md_quote(section.latest_answer), ""]
    return lines


def report_markdown(report: Report) -> str:
    lines = [f"# {REPORT_TITLE}", ""]
    if not report.sections:
        return "\n".join(lines + [empty_report_text(report, text=md_escape), ""])
    whose = f" · {md_escape(report.whose)}" if report.whose else ""
    lines += [f"{counted(report.attempts, 'attempt')}{since_text(report)}{left_out_text(report)}{whose} · generated "
              f"{md_escape(report.generated_at)}", ""]
    if report.overview:
        lines += [f"## {OVERVIEW_HEADING}", "", "| " + " | ".join(OVERVIEW_COLUMNS) + " |",
                  "| " + " | ".join("---:" if name in OVERVIEW_NUMBERS else "---" for name in OVERVIEW_COLUMNS) + " |"]
        lines += ["| " + " | ".join(map(md_escape, overview_row(s))) + " |" for s in report.overview] + [""]
    for section in report.sections:
        lines += _md_section(section)
    return "\n".join(lines)


def report_json(report: Report) -> str:
    data = asdict(report)
    data["attempts"] = report.attempts
    for section, raw in zip(report.sections, data["sections"]):
        raw["trend_word"] = section.trend_word
        raw["uncertain_attempts"] = section.uncertain_attempts
        _round_figures(raw)
    return dumps(data, indent=2)


def _round_figures(section: dict[str, Any]) -> None:
    """A section's figures as the other JSON outputs give them: scores (0-100), the trend and seconds to
    1 decimal, concept mastery and scores (0-1) to 3, since the averages behind them carry float noise
    (a trend of -11.229999999999997)."""
    for name in ("first", "best", "latest", "trend", "seconds"):
        if section[name] is not None:
            section[name] = round(section[name], 1)
    for concept in (*section["concepts"], *section["weakest"]):
        concept["mastery"] = round(concept["mastery"], 3)
    for point in section["timeline"]:
        point["score"] = round(point["score"], 1)
    for column in section["heat"]:
        column["cells"] = {cid: (status, round(score, 3)) for cid, (status, score) in column["cells"].items()}


def to_work_on_why(section: SectionReport) -> str:
    """Which concepts a report lists to work on (reports._needs_work), and how many of them when it lists only
    the weakest: under "Weakest concepts", one covered at 53 % was left out beside one partly covered at 67 %,
    and 3 of 9 were listed without a word of the other 6."""
    rule = f"not covered in the latest attempt, or under {WEAK_MASTERY:.0%} over the recent ones"
    listed = len(section.weakest)
    return rule if listed == section.to_work_on else f"the {listed} weakest of the {section.to_work_on} {rule}"


# --- what to practise next ------------------------------------------------------------------------


def _due_text(due: datetime, now: datetime) -> str:
    if due <= now:
        return "due now"
    return f"due in {duration((due - now).total_seconds())}"


ANY_CANDIDATE = "NAME"
"""What the grading command shows for --candidate when the plan pools every graded candidate."""


def render_next(console: Console, suggestion: Suggestion | None, candidate: str | None = None,
                source: str | None = "learner", db: str | None = None) -> None:
    """What to practise next; for candidates (`candidate`, or `source` "interviewer"), what to ask
    next, and the command that grades the answer (the learner's `genco practice` would file it as
    the interviewer's own). The command repeats `db`, the history the plan was made from."""
    if suggestion is None:
        console.print("No questions available: add a rubric (see `genco rubric list`).")
        return
    for_candidates = candidate is not None or source == "interviewer"
    console.print(Text.assemble(("Ask next: " if for_candidates else "Next: ", "bold"),
                                (f"{suggestion.title} · {suggestion.depth}", "bold cyan")))
    where = f"{suggestion.question} --depth {suggestion.depth}"
    name = ANY_CANDIDATE if candidate is None else shlex.quote(one_line(candidate))
    command = genco_command(f"grade {where} --candidate {name} --answer-file TRANSCRIPT" if for_candidates else
                            f"practice {where}", db)
    # The command on a line of its own, never wrapped, so it copies whole on a narrow terminal.
    console.print(Text(f"  {command}", style="dim"), no_wrap=True, overflow="ignore", crop=False)
    for focus in suggestion.focus:
        # A learning step: FSRS brings a concept back within minutes of its practice.
        due = focus.due <= suggestion.now
        when = ("(due again now, to make it stick)" if due and _still_recalled(focus.retrievability) else
                f"({_recall_text(focus.retrievability)}, {_due_text(focus.due, suggestion.now)})")
        lead = "  focus on " if due else "  then, once due: "  # not "focus on" what is not due
        _print_focus(console, Text.assemble(lead, (focus.name, "bold")), Text(when, style="dim"))


def _print_focus(console: Console, focus: Text, when: Text) -> None:
    """A focus line whole: into a pipe on one line; on a terminal too narrow for it, its "(recall, due)"
    on a line of its own below ("due in" / "5 min" split across two lines read as two things)."""
    line = Text.assemble(focus, "  ", when)
    if not has_a_width(console) or line.cell_len <= console.width:
        console.print(line, no_wrap=True, overflow="ignore", crop=False)
        return
    console.print(focus)
    console.print(Text.assemble("    ", when))


JUST_PRACTISED = 0.995
"""FSRS puts recall at 100 % for a concept reviewed minutes ago, whatever its result: said as a
number it reads as mastered, when it only means just practised."""


def _still_recalled(retrievability: float | None) -> bool:
    """Recall still at FSRS's target (schedule.DESIRED_RETENTION): said "recall 95%, due now", the two halves
    read as opposites."""
    return retrievability is not None and retrievability >= DESIRED_RETENTION


def _just_practised(retrievability: float | None) -> bool:
    return retrievability is not None and retrievability >= JUST_PRACTISED


def _recall_text(retrievability: float | None) -> str:
    if retrievability is None:
        return "new"
    if _just_practised(retrievability):
        return "just practised"
    return f"recall {round(retrievability * 100)}%"


def next_json(suggestion: Suggestion | None, candidate: str | None = None, source: str | None = "learner",
              db: str | None = None) -> str:
    """The suggestion as JSON; the same whoever it is for and whichever history (`candidate`, `source`
    and `db` change only the text view's command)."""
    if suggestion is None:
        return json.dumps(None)
    return dumps({
        "question": suggestion.question, "title": suggestion.title, "depth": suggestion.depth,
        "due_now": suggestion.due_now,
        "focus": [{"id": f.id, "name": f.name, "due": f.due.isoformat(timespec="seconds"),
                   "retrievability": None if f.retrievability is None else round(f.retrievability, 3),
                   "just_practised": _just_practised(f.retrievability)}
                  for f in suggestion.focus],
    }, indent=2)
