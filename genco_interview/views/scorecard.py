"""A candidate's scorecard as an interviewer reads it: terminal text or Markdown for the notes.

The machine's mark and the interviewer's override sit side by side, so a reader of the notes
sees both what the scorer thought and what the human decided. Everything the candidate said is
escaped in Markdown.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..card import UNCERTAIN_NOTE
from ..interview.grading import ConceptMark, Grade, is_carried_note, note_label, red_flags_cost, red_flags_heading
from ..output import clean, dumps, one_line
from ..rubric import Rubric
from .console import STACKED_BELOW, hanging_item
from .markup import counted, md_escape, md_line, md_quote
from .terminal import STATUS_STYLE, _clip, _score_style, no_quote, print_under_note, uncertain_why

CONCEPT_SHARE = 4
"""The concept column takes a quarter of the line; the evidence beside it gets the rest."""
ID_WIDTH_CAP = 26
"""The concept column is widened to its longest id up to this many characters, so the id that
--override takes is not broken across lines on an 80-column terminal."""


def _heading(grade: Grade, rubric: Rubric) -> str:
    who = f"{one_line(grade.candidate)} · " if grade.candidate else ""
    return f"{who}{rubric.title} · {grade.card.depth}"


def _machine_cell(mark: ConceptMark) -> str:
    return f"{mark.machine.status} {round(mark.machine.score * 100)}%"


def _interviewer_cell(mark: ConceptMark) -> str:
    """The interviewer's mark with the fixed credit it earns ("missing 0%"), or "—": beside the machine's "missing
    19%", a bare "missing" hid why agreeing with the machine took points off."""
    return f"{mark.override} {round(mark.final.score * 100)}%" if mark.override else "—"


def machine_aside(grade: Grade) -> str | None:
    """What the interviewer changed, beside the machine's own score ("machine 41, 1 override, red flags
    dismissed"); None when the score is the machine's."""
    changes = ([counted(len(grade.overrides), "override")] if grade.overrides else []) + \
        (["red flags dismissed"] if grade.red_flags_dismissed else [])
    return f"machine {grade.card.score:g}, {', '.join(changes)}" if changes else None


MARKED_ALL = ("you marked every concept, so the score is your marks' (less what red flags you did not dismiss "
              "took), not the machine's")
"""Said under the machine's "uncertain" note once the interviewer has marked every concept."""


def _doubt(grade: Grade) -> str:
    """What is said under the card's "uncertain" note: why the machine doubts its score, or, once the
    interviewer has marked every concept, that the score is theirs (the note is the machine's, kept in
    the JSON as it was)."""
    return MARKED_ALL if grade.every_concept_overridden else uncertain_why(grade.card)


def render_grade_text(console: Console, grade: Grade, rubric: Rubric) -> None:
    score = Text.assemble(("Score ", "bold"), (f"{grade.score:g}", f"bold {_score_style(grade.score)}"), ("/100", "bold"),
                          f"  {grade.band.label}")
    aside = machine_aside(grade)
    if aside:
        score.append(f"   ({aside})", style="dim")
    console.print(Panel(Group(Text(_heading(grade, rubric), style="bold"), score), expand=True))
    for note in grade.card.shown_notes:
        console.print(Text(f"{note_label(grade, note)}: {note}", style="yellow"))
        if note == UNCERTAIN_NOTE:
            print_under_note(console, _doubt(grade))
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    longest_id = max((len(mark.final.id) for mark in grade.marks), default=0)
    stacked = console.width < STACKED_BELOW  # the evidence goes under the table, not in a column of a few letters
    concept_width = max(console.width // (3 if stacked else CONCEPT_SHARE), min(longest_id, ID_WIDTH_CAP))
    columns = [("", {"width": 1}), ("concept ×weight", {"width": concept_width}), ("machine", {"min_width": len("machine")}),
               ("interviewer", {"min_width": len("interviewer")})] + ([] if stacked else [("evidence from the answer", {"ratio": 5})])
    for name, options in columns:  # a long word wraps, never cut: "covered 1…" lost the credit at 40 columns
        table.add_column(name, overflow="fold", **options)
    for mark in grade.marks:
        final = mark.final
        symbol, style = STATUS_STYLE[final.status]
        human = Text(_interviewer_cell(mark), style=style if mark.override else "dim")
        concept = Text.assemble(f"{final.name} ×{final.weight:g} ", (final.id, "dim"), overflow="fold")  # the id --override takes, never cut
        table.add_row(Text(symbol, style=style), concept, _machine_cell(mark), human,
                      *([] if stacked else [_evidence(mark)]))
    console.print(table)
    if stacked:
        console.print(Text("\nEvidence from the answer", style="bold"))
        for mark in grade.marks:
            symbol, style = STATUS_STYLE[mark.final.status]
            hanging_item(console, symbol, style, Group(Text(mark.final.name, style="bold"), _evidence(mark)))
    cost = red_flags_cost(grade)
    if cost is not None and not grade.card.misconceptions:
        console.print(Text(f"\n{cost}", style="dim"))
    if grade.card.misconceptions:
        console.print(Text(f"\n{red_flags_heading(grade)}", style="bold red"))
        if cost is not None:
            console.print(Text(cost, style="dim"))
        for hit in grade.card.misconceptions:
            hanging_item(console, "✗", "red", Group(Text(hit.description, style="bold"),
                                             Text(f"said: “{_clip(hit.evidence)}”", style="italic")))
    if grade.follow_ups:
        console.print(Text("\nFollow-ups worth asking", style="bold"))
        for follow_up in grade.follow_ups:
            names = ", ".join(rubric.concept(c).name for c in follow_up.concepts)
            hanging_item(console, "?", "bold", Group(Text(follow_up.ask), Text(f"good reply: {follow_up.good_answer}", style="dim"),
                                              Text(f"probes: {names}", style="dim")))
    if grade.note:  # each --note a line of its own, indented under the heading; an escape whole, not its text
        console.print(Text("\nInterviewer note:", style="bold"))
        console.print(Padding(Text(clean(grade.note)), (0, 0, 0, 2)))
    note = f" {grade.band_note}" if grade.band_note else ""
    console.print(Text(f"\n{grade.band.label}{grade.band_hedge}: {grade.band.meaning}{note}", style="dim"))


def _evidence(mark: ConceptMark) -> Text:
    """The machine's quote for a concept, or why it has none."""
    if mark.machine.evidence:
        return Text(f"“{_clip(mark.machine.evidence)}”", style="italic")
    return Text(no_quote(mark.machine.status), style="dim")


def grade_json(grade: Grade, rubric: Rubric | None = None, attempt: int | None = None) -> str:
    """The scorecard as one indented JSON object (`genco grade --format json`), with the number of the
    interviewer attempt it was kept as (`attempt`, None when it was not kept)."""
    return dumps({**grade.to_dict(), "attempt": attempt, "genco_version": __version__}, indent=2)


def grade_markdown(grade: Grade, rubric: Rubric) -> str:
    out = [f"# Scorecard: {md_escape(_heading(grade, rubric))}", ""]
    aside = machine_aside(grade)
    machine = f" ({aside})" if aside else ""
    out += [f"**Score {grade.score:g}/100**, {md_escape(grade.band.label)}{machine}{grade.band_hedge}: "
            f"{md_escape(grade.band.meaning)}{' ' + md_escape(grade.band_note) if grade.band_note else ''}", ""]
    # each its own quote, a blank line after (a table right below a quote joins it); not the line on a carried
    # judgement, which tells the interviewer at the command line how to change it: the Markdown goes to others
    for note in (note for note in grade.card.shown_notes if not is_carried_note(note)):
        why = f" ({md_escape(_doubt(grade))})" if note == UNCERTAIN_NOTE else ""
        out += [f"> {note_label(grade, note)}: {md_escape(note)}{why}", ""]
    out += ["| concept | weight | machine | interviewer | evidence from the answer |", "| --- | --- | --- | --- | --- |"]
    for mark in grade.marks:
        evidence = f"“{md_escape(mark.machine.evidence)}”" if mark.machine.evidence else no_quote(mark.machine.status)
        out.append(f"| {md_escape(mark.machine.name)} (`{mark.machine.id}`) | {mark.machine.weight:g} | {_machine_cell(mark)} | "
                   f"{_interviewer_cell(mark)} | {evidence} |")
    cost = red_flags_cost(grade)
    if cost is not None and not grade.card.misconceptions:
        out += ["", cost]
    if grade.card.misconceptions:
        out += ["", f"## {red_flags_heading(grade)}", ""]
        if cost is not None:
            out += [cost, ""]
        out += [f"- **{md_escape(h.description)}** They said: “{md_escape(h.evidence)}”" for h in grade.card.misconceptions]
    if grade.follow_ups:
        out += ["", "## Follow-ups worth asking", ""]
        for follow_up in grade.follow_ups:
            out += [f"- **{md_escape(follow_up.ask)}**  ", f"  Good reply: {md_escape(follow_up.good_answer)}"]
    if grade.note:
        out += ["", "## Interviewer note", "", "\n\n".join(md_line(line) for line in grade.note.splitlines())]
    out += ["", "## Answer", "", md_quote(grade.answer)]
    return "\n".join(out) + "\n"
