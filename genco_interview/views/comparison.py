"""Candidates side by side (`genco candidates`): terminal, Markdown and JSON.

Concepts are numbered columns with the names listed under the table, so a table of five concepts
fits a terminal; the Markdown table, read in an editor or printed for a hiring meeting, names them in
its header. A candidate's name is text they or the interviewer typed: escaped in Markdown.
"""

from __future__ import annotations

import re
from dataclasses import asdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..card import UNCERTAIN_NOTE
from ..output import dumps
from ..progress.comparison import CandidateRow, Comparison, ComparisonSection
from ..progress.database import suggested
from .console import has_a_width, natural_width, print_command_line, print_table, section_rule
from .markup import UNCERTAIN_MARK, counted, html_text, md_escape
from .page import html_page, page_head
from .report import json_head, left_out_text, since_text, unreadable_text
from .terminal import STATUS_STYLE

TEXT_HEADING = "Candidates"
NAME_MIN_WIDTH = 16
"""Columns a candidate's name keeps on a narrow terminal before the other columns give way."""
UNNAMED = "unnamed"
"""How a grade kept without `--candidate` is shown: a person of its own."""
OVERRIDE_MARK = "*"
STYLE_BY_STATUS = {str(status): style for status, style in STATUS_STYLE.items()}
"""A kept mark's (symbol, style) by the status's name as the history keeps it."""
MARKS_LEGEND = "✓ covered · ~ partial · ✗ missing · ! contradicted"


def legend(comparison: Comparison) -> str:
    """What the comparison's marks mean: the four marks, then only the signs some row of it carries (an
    override, an uncertain score, a candidate graded more than once)."""
    rows = [row for section in comparison.sections for row in section.rows]
    signs = [(any(row.overridden for row in rows), f"{OVERRIDE_MARK} your override"),
             (any(row.uncertain for row in rows), f"{UNCERTAIN_MARK} {UNCERTAIN_NOTE}"),
             (any(row.grades > 1 for row in rows), _regraded_legend(max(row.grades for row in rows)))]
    return " · ".join([MARKS_LEGEND, *(text for shown, text in signs if shown)])


def _regraded_legend(most: int) -> str:
    """What "(N×)" after a name means, as the comparison's rows have it: "(2×) graded twice" beside a "(4×)" read
    as a mistake."""
    return "(2×) graded twice, the latest shown" if most == 2 else "(N×) graded N times, the latest shown"


def _heading(comparison: Comparison, where: bool = True) -> str:
    """The comparison's first line; with `where`, the history it read (not in Markdown, which is shared)."""
    unnamed = sum(row.candidate is None for section in comparison.sections for row in section.rows)  # each one of a kind
    people = counted(len(comparison.candidates) + unnamed, "candidate") + (f" ({unnamed} unnamed)" if unnamed else "")
    history = f" · {comparison.source}" if where else ""
    return (f"{TEXT_HEADING} · {people} · {counted(comparison.grades, 'latest grade')}{since_text(comparison)}"
            f"{left_out_text(comparison)}{history}")


def empty_text(comparison: Comparison, local: bool = True) -> str:
    """What an empty comparison says: none graded (with the filters asked for), and how to grade one: into the
    history it read (`local`: on this computer's terminal; a shared page names no path of it)."""
    where = f" on {comparison.question}" if comparison.question else ""
    damaged = unreadable_text(comparison)  # not "no candidate graded yet" of a history full of them
    if comparison.names:  # others were graded then: "No candidate graded" said there were none
        return f"No grade of {' or '.join(comparison.names)}{where}{since_text(comparison)}{damaged}: nothing to compare."
    if damaged:
        return f"No grade{where}{since_text(comparison)}{damaged}: nothing to compare."
    command = suggested("grade --candidate NAME", comparison.source) if local else "genco grade --candidate NAME"
    return f"No candidate graded{where}{since_text(comparison)} yet: grade one with `{command}`."


def candidate_name(row: CandidateRow) -> str:
    """A row's candidate as every view names them: UNNAMED for a grade without a name, "(2×)" after one
    graded there more than once."""
    name = row.candidate if row.candidate is not None else UNNAMED
    return f"{name} ({row.grades}×)" if row.grades > 1 else name


def mark_of(row: CandidateRow, concept: str) -> tuple[str, str]:
    """A concept's mark in a row as (symbol, style): its status's symbol, OVERRIDE_MARK after it when the
    interviewer set it; a blank for a concept the grade does not hold (the rubric changed since)."""
    status = row.marks.get(concept)
    if status is None:
        return "", ""
    symbol, style = STYLE_BY_STATUS.get(status, (status, ""))  # a status edited in by hand, shown as it is
    return symbol + (OVERRIDE_MARK if concept in row.overridden else ""), style


def red_flags_cell(row: CandidateRow) -> str:
    """The red flags that stand, and how many the interviewer dismissed: "0 (1 dismissed)"."""
    return f"{row.red_flags}{_dismissed(row)}"


def _dismissed(row: CandidateRow) -> str:
    """" (1 dismissed)" after a count of red flags the interviewer dismissed some of, else ""."""
    return f" ({row.red_flags_dismissed} dismissed)" if row.red_flags_dismissed else ""


def _score(row: CandidateRow) -> str:
    return f"{row.score:.1f}" + (UNCERTAIN_MARK if row.uncertain else "")


def _section_table(section: ComparisonSection) -> Table:
    table = Table(header_style="bold", box=None)
    longest = max(len(candidate_name(row)) for row in section.rows)
    table.add_column("candidate", min_width=min(longest, NAME_MIN_WIDTH))  # on a narrow terminal, the name first
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("band", no_wrap=True)
    for number, _ in enumerate(section.concepts, 1):
        table.add_column(str(number), no_wrap=True)
    table.add_column("red flags", justify="right", min_width=3)
    table.add_column("attempt", justify="right", no_wrap=True, min_width=3)
    for row in section.rows:
        marks = [Text(*mark_of(row, c.id)) for c in section.concepts]
        table.add_row(Text(candidate_name(row), style="" if row.candidate is not None else "dim"), _score(row), row.band or "—",
                      *marks, red_flags_cell(row), str(row.attempt) if row.attempt is not None else "—")
    return table


def _joined_to_fit(pieces: list[Text], width: int) -> Text:
    """`pieces` joined by " · ", a piece that would pass `width` starting a line of its own: wrapped at any space,
    "attempt" and its number were split over two lines."""
    joined = pieces[0].copy()
    line = joined.cell_len
    for piece in pieces[1:]:
        fits = line + 3 + piece.cell_len <= width
        joined.append(" · " if fits else "\n")
        joined.append_text(piece)
        line = line + 3 + piece.cell_len if fits else piece.cell_len
    return joined


def _print_stacked(console: Console, section: ComparisonSection) -> None:
    """The rows of a table too wide for the terminal, one candidate a block: the table would drop the
    concept columns that do not fit, and with them marks the interviewer is deciding on."""
    for row in section.rows:
        pieces = [Text.assemble((candidate_name(row), "bold" if row.candidate is not None else "dim"),
                                f" {_score(row)} {row.band or '—'}"),
                  Text(f"{counted(row.red_flags, 'red flag')}{_dismissed(row)}"),
                  Text(f"attempt {row.attempt if row.attempt is not None else '—'}")]
        console.print(_joined_to_fit(pieces, console.width))
        marks = Text("  ")
        for number, concept in enumerate(section.concepts, 1):
            symbol, style = mark_of(row, concept.id)
            marks.append(f"{symbol or '—'}{number} ", style)
        console.print(marks)


def render_comparison(console: Console, comparison: Comparison) -> None:
    if not comparison.sections:
        print_command_line(console, empty_text(comparison))
        return
    console.print(Text(_heading(comparison), style="bold"))
    for section in comparison.sections:
        section_rule(console, section.title, section.depth)
        table = _section_table(section)
        if has_a_width(console) and natural_width(console, table) > console.width:
            _print_stacked(console, section)
        else:
            print_table(console, table)
        console.print(Text(" · ".join(f"{n} {c.name}" for n, c in enumerate(section.concepts, 1)), style="dim"))
    console.print(Text(legend(comparison), style="dim"))
    print_command_line(console, Text(f"`{suggested('show ATTEMPT', comparison.source)}` shows a grade in full: the answer, "
                                     "the evidence, your notes.", style="dim"))  # of the history it read: `show 1` of another was a stranger's


def comparison_markdown(comparison: Comparison) -> str:
    lines = ["# genco candidates", ""]
    if not comparison.sections:
        return "\n".join([*lines, md_escape(empty_text(comparison, local=False)), ""])
    lines += [md_escape(_heading(comparison, where=False)), ""]  # shared with a committee: no path of this computer
    for section in comparison.sections:
        header = ["candidate", "score", "band", *(md_escape(c.name) for c in section.concepts), "red flags", "attempt",
                  "your note"]
        lines += [f"## {md_escape(section.title)} · {md_escape(section.depth)}", "",
                  "| " + " | ".join(header) + " |",
                  "| --- | ---: | --- | " + " | ".join(":---:" for _ in section.concepts) + " | ---: | ---: | --- |"]
        for row in section.rows:
            marks = [mark_of(row, c.id)[0] for c in section.concepts]
            cells = [md_escape(candidate_name(row)), md_escape(_score(row)), md_escape(row.band or "—"),
                     *(md_escape(m) for m in marks), red_flags_cell(row), str(row.attempt) if row.attempt is not None else "—",
                     md_escape(" / ".join(line.strip() for line in (row.note or "").splitlines() if line.strip()))]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [md_escape(legend(comparison)), ""]
    return "\n".join(lines)


def comparison_html(comparison: Comparison) -> str:
    """The comparison as one self-contained page to mail to a hiring committee or print (inline CSS, nothing
    fetched, nothing run): the Markdown's tables with the machine's own score beside the final one, and no
    path of this computer."""
    body = [f"<h1>{TEXT_HEADING}</h1>"]
    if not comparison.sections:
        return html_page(TEXT_HEADING, "\n".join([*body, f"<p>{html_text(empty_text(comparison, local=False))}</p>"]), "report")
    body.append(f'<p class="meta">{html_text(_heading(comparison, where=False))}</p>')
    for section in comparison.sections:
        header = ["candidate", "score", "machine", "band", *(c.name for c in section.concepts), "red flags", "attempt",
                  "note"]
        body += [f"<h2>{html_text(section.title)} · {html_text(section.depth)}</h2>", "<table>",
                 "<tr>" + "".join(f'<th scope="col">{html_text(cell)}</th>' for cell in header) + "</tr>"]
        for row in section.rows:
            machine = "—" if row.machine_score is None else f"{row.machine_score:.1f}"
            cells = [candidate_name(row), _score(row), machine, row.band or "—",
                     *(mark_of(row, c.id)[0] for c in section.concepts), red_flags_cell(row),
                     str(row.attempt) if row.attempt is not None else "—", row.note or ""]
            body.append("<tr>" + "".join(f"<td>{html_text(cell)}</td>" for cell in cells) + "</tr>")
        body.append("</table>")
    body.append(f'<p class="meta">{html_text(legend(comparison))}</p>')
    return html_page(TEXT_HEADING, "\n".join(body), "report")


COMPARISON_HEADS = (re.compile(r"# genco candidates\n\n(?:Candidates · |No candidate graded|No grade of )"),
                    re.compile(rf"{TEXT_HEADING} · [\d,]+ candidates?(?: \([\d,]+ unnamed\))?\s+·\s+[\d,]+\s+latest\s+grades?"),
                    re.compile(r"No candidate graded\b[^`]{0,600}?\s+yet:\s+grade\s+one\s+with\s+`genco\s+grade"
                               r"|No grade of\b[^`]{0,600}?:\s+nothing\s+to\s+compare\.\s*$"),
                    json_head("history"),  # not a report's ("source")
                    page_head(TEXT_HEADING))
"""How every comparison genco writes starts, one per format (as REPORT_HEADS): a file that starts otherwise is no
earlier comparison, and `candidates --out` replaces it only with --force. A shortlist page titled "Candidates", or
notes opening "No candidate graded yet", are not one."""


def comparison_json(comparison: Comparison) -> str:
    """The stable JSON shape: the history, the filters, and per question and depth its concepts and one
    row per candidate (CandidateRow's fields; `marks` by concept id, `graded_at` in UTC)."""
    return dumps({"generated_at": comparison.generated_at, "history": comparison.source,
                  "question": comparison.question, "since": comparison.since, "candidates": comparison.candidates,
                  "sections": [asdict(s) for s in comparison.sections]}, indent=2)
