"""The progress report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Charts are SVG drawn here rather than a JS chart library: the page must open offline, print
well, and have nothing that can fail at view time. Every string from a learner or a rubric
goes through `html_text` (views/markup.py), so an answer holding `<script>` or `</table>` is shown as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from ..progress.reports import Report, ScorePoint, SectionReport
from .markup import UNCERTAIN_MARK, counted, html_text
from .page import html_page
from .report import (
    OVERVIEW_COLUMNS,
    OVERVIEW_HEADING,
    OVERVIEW_NUMBERS,
    REPORT_TITLE,
    described,
    empty_report_text,
    figure,
    left_out_text,
    mastery_basis,
    overview_row,
    since_text,
    time_text,
    to_work_on_why,
    trend_text,
    uncertain_text,
)

CHART_SPACING = "oldest first, evenly spaced: hover a point for its date"
"""Under "Score over time", two attempts 15 minutes apart looked days apart: the chart says how it is spaced."""
CHART_POINTS = 200
"""The score chart shows the latest attempts; older ones are in the numbers above it."""
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T, PAD_R = 640, 220, 40, 28, 12, 12
CELL, LABEL_W, HEAT_TOP = 22, 220, 8
BANDS = ((70, "#2e7d32"), (40, "#f9a825"), (0, "#c62828"))


def band_colour(score: float) -> str:
    """Score bands as the terminal shows them: green from 70, amber from 40, red below."""
    return next(colour for floor, colour in BANDS if score >= floor)


def heat_colour(score: float) -> str:
    """Red (0) through amber to green (1) for a concept's score in one attempt."""
    return f"hsl({round(score * 120)}, 62%, {48 + round(score * 4)}%)"


HEAT_LEGEND = (0.0, 0.5, 1.0)
"""Concept scores the heat map's legend shows: the cells' colours run through them (heat_colour)."""


def _heat_legend() -> str:
    """The heat map's colours at HEAT_LEGEND's scores, named by score: a cell is coloured by its concept's
    score, not its mark, so a missing concept with some credit is orange, a covered one at 60 % yellow-green."""
    return "".join(f'<span style="background:{heat_colour(score)}"></span>{round(score * 100)}%' for score in HEAT_LEGEND)


def chart_spacing(attempts: int) -> str:
    """What the score chart's caption says of it: how it is spaced, and, past CHART_POINTS attempts, that it
    shows the latest of them (a history of 3,000 attempts was drawn from its latest 200 with no word)."""
    latest = f"the latest {CHART_POINTS} of {attempts:,} attempts, " if attempts > CHART_POINTS else ""
    return latest + CHART_SPACING


def score_chart(points: Sequence[ScorePoint], title: str) -> str:
    """Score by attempt: one point per attempt, evenly spaced whatever the time between them (a point's
    tooltip gives its date), on a 0-100 scale, with the 40/70 band lines."""
    shown = list(points)[-CHART_POINTS:]
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
    step = inner_w / max(len(shown) - 1, 1)

    def xy(index: int, score: float) -> tuple[float, float]:
        return PAD_L + (index * step if len(shown) > 1 else inner_w / 2), PAD_T + inner_h * (1 - score / 100)

    parts = [f'<svg class="chart score-chart" role="img" viewBox="0 0 {CHART_W} {CHART_H}" width="{CHART_W}" '
             f'height="{CHART_H}" aria-label="{html_text(title)}">']
    for level in (0, 40, 70, 100):
        y = xy(0, level)[1]
        parts.append(f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{CHART_W - PAD_R}" y2="{y:.1f}" stroke="#e3e7ef"/>'
                     f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{level}</text>')
    coords = [xy(i, p.score) for i, p in enumerate(shown)]
    parts.append('<polyline fill="none" stroke="#3b6fd8" stroke-width="2" points="'
                 + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords) + '"/>')
    if len(shown) <= 60:
        for (x, y), point in zip(coords, shown):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{band_colour(point.score)}">'
                         f'<title>#{html_text(point.attempt)} · {html_text(readable_time(point.when))} · {point.score:g}'
                         f'{UNCERTAIN_MARK if point.uncertain else ""}</title></circle>')
    first, last = (readable_time(shown[0].when), readable_time(shown[-1].when))
    parts.append(f'<text x="{PAD_L}" y="{CHART_H - 8}">{html_text(first)}</text>'
                 f'<text x="{CHART_W - PAD_R}" y="{CHART_H - 8}" text-anchor="end">{html_text(last)}</text></svg>')
    return "".join(parts)


def heat_map(section: SectionReport) -> str:
    """Concepts (rows) by attempts (columns); a grey cell is a concept that attempt's depth did not ask."""
    rows, columns = section.concepts, section.heat
    width = LABEL_W + CELL * len(columns) + 8
    height = HEAT_TOP + CELL * len(rows) + 24
    parts = [f'<svg class="chart heat-map" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="concept by attempt heat map">']
    for r, concept in enumerate(rows):
        y = HEAT_TOP + r * CELL
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + CELL * 0.68:.1f}" text-anchor="end">{html_text(concept.name)}</text>')
        for c, column in enumerate(columns):
            status, score = column.cells.get(concept.id, ("not asked", None))
            fill = "#e3e7ef" if score is None else heat_colour(score)
            label = f"#{column.attempt} · {concept.name}: {status}" + ("" if score is None else f" ({round(score * 100)}%)")
            parts.append(f'<rect x="{LABEL_W + c * CELL}" y="{y}" width="{CELL - 2}" height="{CELL - 2}" rx="3" '
                         f'fill="{fill}"><title>{html_text(label)}</title></rect>')
    for c, column in enumerate(columns):
        parts.append(f'<text x="{LABEL_W + c * CELL + CELL / 2 - 1}" y="{height - 6}" text-anchor="middle">'
                     f'{html_text(column.attempt)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _stats(section: SectionReport) -> str:
    items = (("attempts", section.attempts), *((name, figure(section, name)) for name in ("first", "best", "latest")),
             ("trend", trend_text(section)), ("time spent", time_text(section)))
    doubt = f'<p class="meta">{html_text(uncertain_text(section))}</p>' if section.uncertain_attempts else ""
    return '<ul class="stats">' + "".join(f"<li>{html_text(k)}<b>{html_text(v)}</b></li>" for k, v in items) + "</ul>" + doubt


def _mastery_table(section: SectionReport) -> str:
    rows = "".join(
        f'<tr><td>{html_text(c.name)}</td><td class="num"><span class="bar" style="width:{round(c.mastery * 80)}px;'
        f'background:{heat_colour(c.mastery)}"></span>{round(c.mastery * 100)}%</td>'
        f'<td>{html_text(c.latest_status)}</td></tr>'
        for c in section.concepts)
    return ('<table class="mastery"><thead><tr><th>concept</th><th class="num">mastery</th>'
            f'<th>latest</th></tr></thead><tbody>{rows}</tbody></table>')


def _weakest(section: SectionReport) -> str:
    if not section.weakest:
        return ""
    items = []
    for c in section.weakest:
        says = f'<div class="says">Model answer: “{html_text(c.model_answer_says)}”</div>' if c.model_answer_says else ""
        items.append(f"<li><b>{html_text(c.name)}</b> ({round(c.mastery * 100)}%){described(html_text(c.description))}{says}</li>")
    why = html_text(to_work_on_why(section))
    return f"<h3>Concepts to work on <small class=meta>({why})</small></h3><ul>" + "".join(items) + "</ul>"


def _misconceptions(section: SectionReport) -> str:
    if not section.misconceptions:
        return "<h3>Misconceptions seen</h3><p>None so far.</p>"
    rows = "".join(f'<tr><td>{html_text(m.description)}</td><td class="num">{m.count}</td><td>{html_text(m.correction)}</td>'
                   f"<td>{html_text(readable_time(m.last_seen))}</td></tr>" for m in section.misconceptions)
    return ('<h3>Misconceptions seen</h3><table><thead><tr><th>misconception</th><th class="num">times</th>'
            f"<th>in fact</th><th>last seen</th></tr></thead><tbody>{rows}</tbody></table>")


def _section(section: SectionReport) -> str:
    title = f"{section.title} · {section.depth}"
    return "".join((
        f"<section><h2>{html_text(title)}</h2>", _stats(section),
        f"<figure><figcaption><h3>Score by attempt <small class=meta>({chart_spacing(len(section.timeline))})</small></h3>"
        "</figcaption>"
        f"{score_chart(section.timeline, title)}</figure>",
        f"<h3>Concept mastery <small class=meta>({mastery_basis(section)})</small></h3>",
        _mastery_table(section),
        f"<figure><figcaption><h3>Concepts by attempt <small class=meta>(latest {len(section.heat)})</small></h3>"
        f'<div class="legend meta">{_heat_legend()}<span style="background:#e3e7ef"></span>not asked</div>'
        f'</figcaption>{heat_map(section)}</figure>',
        _weakest(section), _misconceptions(section),
        f"<h3>Latest answer <small class=meta>(attempt {html_text(section.latest_attempt)}, as typed)</small></h3>",
        f'<pre class="answer">{html_text(section.latest_answer)}</pre></section>',
    ))


def readable_time(stamp: str) -> str:
    """An ISO timestamp as people write it, in UTC: "30 Nov 2026, 14:27 UTC" (a naive one is taken as UTC)."""
    when = datetime.fromisoformat(stamp)
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return f"{when.day} {when:%b %Y, %H:%M} UTC"


def report_body(report: Report, show_source: bool = True) -> str:
    """The report's content, without the page around it: what `report_html` wraps, and what the web's
    progress page shows inline. `show_source` names the history file it was read from (a file's path
    belongs in a file written for oneself, not on a page)."""
    if not report.sections:  # no path on a page: its command then names no --db
        text = empty_report_text(report if show_source else replace(report, source=""),
                                 lambda c: f"<code>{html_text(c)}</code>", html_text)
        return f'<p class="empty">{text}</p>'
    source = f" · {html_text(report.source)}" if show_source and report.source else ""
    whose = f" · {html_text(report.whose)}" if report.whose else ""
    return (f'<p class="meta">{counted(report.attempts, "attempt")}{html_text(since_text(report) + left_out_text(report))}'
            f'{whose} · generated '
            f'{html_text(readable_time(report.generated_at))}{source}</p>' + _overview(report)
            + "".join(_section(s) for s in report.sections))


def _overview(report: Report) -> str:
    """The sections weakest first (Report.overview), as a table; nothing for a report of one."""
    if not report.overview:
        return ""
    head = "".join(f"<th{_num(name)}>{html_text(name)}</th>" for name in OVERVIEW_COLUMNS)
    rows = "".join("<tr>" + "".join(f"<td{_num(name)}>{html_text(cell)}</td>"
                                    for name, cell in zip(OVERVIEW_COLUMNS, overview_row(s))) + "</tr>"
                   for s in report.overview)
    return f"<h2>{html_text(OVERVIEW_HEADING)}</h2><div class=scrolls><table class=overview><tr>{head}</tr>{rows}</table></div>"


def _num(column: str) -> str:
    """The class attribute of an overview column's cells: right-aligned numbers (OVERVIEW_NUMBERS)."""
    return " class=num" if column in OVERVIEW_NUMBERS else ""


def report_html(report: Report, show_source: bool = True) -> str:
    """The whole page as one string (`show_source`: as in report_body)."""
    return html_page(REPORT_TITLE, f"<h1>{REPORT_TITLE}</h1>{report_body(report, show_source)}",
                     "report")
