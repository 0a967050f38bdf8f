"""The interviewer sheet: a rubric laid out to be read (or printed) during an interview.

One model of the sheet (`sheet_pages`), four renderings: rich text for the terminal, Markdown
for notes and wikis, a self-contained printable HTML page (one depth per printed page), and JSON
for tools.
Each page carries everything needed at that depth: the wording to ask, the time budget, a
checklist of concepts with weights and what a strong answer says, follow-up probes with what a
good reply contains, red flags, and what the score bands mean. No numpy, no torch: `genco
rubric show` stays instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..output import dumps
from ..rubric import Concept, Depth, FollowUp, Misconception, Rubric, ScoreBand
from .console import hanging_item
from .markup import html_inline, html_paragraphs, html_text, md_escape, md_literal_html, prose_blocks
from .page import html_page, page_head


@dataclass(frozen=True)
class ChecklistItem:
    concept: Concept
    weight: float
    share: float
    """Percent of the depth's total weight: what this concept is worth on the 0-100 score."""


@dataclass(frozen=True)
class SheetPage:
    depth: Depth
    checklist: tuple[ChecklistItem, ...]
    follow_ups: tuple[FollowUp, ...]
    red_flags: tuple[Misconception, ...]
    bands: tuple[tuple[ScoreBand, float], ...]
    """Each band with the score where it ends (the next band's start, or 100)."""


def sheet_pages(rubric: Rubric, depth_name: str | None = None) -> list[SheetPage]:
    """One page per depth (or only the named one), in the rubric's order."""
    depths = [rubric.depth(depth_name)] if depth_name else list(rubric.depths)
    ends = [b.lower for b in rubric.score_bands[1:]] + [100.0]
    bands = tuple(zip(rubric.score_bands, ends))
    pages = []
    for depth in depths:
        total = sum(weight for _, weight in depth.concepts)
        checklist = tuple(ChecklistItem(rubric.concept(cid), weight, 100 * weight / total) for cid, weight in depth.concepts)
        pages.append(SheetPage(depth, checklist, depth.follow_ups, rubric.misconceptions, bands))
    return pages


def penalty_label(rubric: Rubric, misconception: Misconception) -> str:
    """A red flag's `penalty` as the sheet shows it: points off ("−10") where the score subtracts it (a
    reference-answer rubric), else how serious it is ("severity 10"): a concept rubric weighs a flag by
    the combination's fitted weight, so "−10" would promise ten points it does not take."""
    if rubric.reference_mode:
        return f"−{misconception.penalty:g}"
    return f"severity {misconception.penalty:g}"


def _sentence(text: str) -> str:
    """The text ending as a sentence does, so another can follow it ("...remove. In fact: ...")."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _probe_concepts(rubric: Rubric, follow_up: FollowUp) -> str:
    return ", ".join(rubric.concept(cid).name for cid in follow_up.concepts)


# --- text ------------------------------------------------------------------------------------------


def render_sheet_text(console: Console, rubric: Rubric, depth_name: str | None = None) -> None:
    """The sheet on a terminal (colour only on a TTY, NO_COLOR honoured by rich)."""
    console.print(Text(f"{rubric.title}  [{rubric.id}]", style="bold underline"))
    for page in sheet_pages(rubric, depth_name):
        depth = page.depth
        console.print(Text(f"\n{depth.name.upper()} · {depth.time_budget_minutes:g} min", style="bold cyan"))
        console.print(Text(f"Ask: {depth.question}"))
        table = Table(header_style="bold", box=None, expand=True)
        for name in ("", "weight", "concept", "a strong answer says"):
            table.add_column(name, overflow="fold")  # a long name ("multiprocessing/ProcessPoolExecutor") wraps, never cut
        for item in page.checklist:
            table.add_row("☐", f"{item.weight:g} ({item.share:.0f}%)",
                          Text.assemble(item.concept.name, (f" ({item.concept.id})", "dim")), item.concept.description)
        console.print(table)
        if page.follow_ups:
            console.print(Text("Follow-ups", style="bold"))
            for follow_up in page.follow_ups:
                probes = _probe_concepts(rubric, follow_up)
                body = [Text(follow_up.ask), Text(f"good reply: {follow_up.good_answer}", style="dim")]
                if probes:
                    body.append(Text(f"probes: {probes}", style="dim"))
                hanging_item(console, "?", "bold", Group(*body))
        if page.red_flags:
            console.print(Text("Red flags", style="bold red"))
            for m in page.red_flags:
                hanging_item(console, "✗", "red", Group(Text.assemble(m.description, (f"  ({penalty_label(rubric, m)})", "dim")),
                                                 Text(f"in fact: {m.correction}", style="dim")))
        console.print(Text("Score bands", style="bold"))
        for band, end in page.bands:
            hanging_item(console, "▪", "", Text.assemble((f"{band.lower:g}–{end:g} {band.label}: ", "bold"), band.meaning))
        console.print(Text("Model answer", style="bold"))  # its blocks as HTML has them: Markdown's renderer took
        blocks = prose_blocks(depth.model_answer)  # 0.06 s more of `rubric show` to import
        for i, (code, body) in enumerate(blocks):  # a blank line between blocks, code indented further
            console.print(Padding(Text(body, style="cyan" if code else ""), (0, 0, int(i < len(blocks) - 1), 4 if code else 2)))


SHEET_HEADS = (re.compile(r"(?:[^\n]+\n){0,12}?(?:[^\n]*  )?\[[a-z0-9-]+\]\n\n[^\n]+ · [0-9.]+ min\nAsk: "),
               re.compile(r"# [^\n]+ \(`[a-z0-9-]+`\)\n\n## [^\n]+ · [0-9.]+ min\n\n\*\*Ask:\*\* "),
               re.compile(r'\{\n  "id": "[a-z0-9-]+",\n  "title": "[^\n]*",\n  "concepts": \['),
               page_head(r"[^<]* · interviewer sheet"))
"""How every sheet genco writes starts, one per format (text and markdown by the title, the id and the first depth's
question, JSON by its first three keys as written, HTML by its generator and title): `rubric show --out` replaces an earlier sheet,
and any other file only with --force, as `report` does. Notes that merely quote a sheet's heading, a JSON file
whose first keys are "id" and "title", or a README whose heading names a command in backquotes are no sheet."""


# --- markdown --------------------------------------------------------------------------------------


def sheet_markdown(rubric: Rubric, depth_name: str | None = None) -> str:
    """GitHub-flavoured Markdown; every rubric string is escaped, task-list boxes for the checklist."""
    out = [f"# {md_escape(rubric.title)} (`{rubric.id}`)"]
    for page in sheet_pages(rubric, depth_name):
        depth = page.depth
        out += ["", f"## {depth.name} · {depth.time_budget_minutes:g} min", "", f"**Ask:** {md_escape(depth.question)}",
                "", "### Checklist", ""]
        out += [f"- [ ] **{md_escape(i.concept.name)}** (`{i.concept.id}`, weight {i.weight:g}, {i.share:.0f}%): "
                f"{md_escape(i.concept.description)}" for i in page.checklist]
        if page.follow_ups:
            out += ["", "### Follow-up probes", ""]
            for follow_up in page.follow_ups:
                probes = _probe_concepts(rubric, follow_up)
                out.append(f"- **{md_escape(follow_up.ask)}**  ")
                out.append(f"  Good reply: {md_escape(follow_up.good_answer)}" + (f"  \n  Probes: {md_escape(probes)}" if probes else ""))
        if page.red_flags:
            out += ["", "### Red flags", ""]
            out += [f"- **{penalty_label(rubric, m)}** {md_escape(_sentence(m.description))} In fact: {md_escape(m.correction)}"
                    for m in page.red_flags]
        out += ["", "### Score bands", "", "| score | band | what it means |", "| --- | --- | --- |"]
        out += [f"| {b.lower:g}–{end:g} | {md_escape(b.label)} | {md_escape(b.meaning)} |" for b, end in page.bands]
        out += ["", "### Model answer", "", md_literal_html(depth.model_answer).strip()]
    return "\n".join(out) + "\n"


# --- json ------------------------------------------------------------------------------------------


def sheet_json(rubric: Rubric, depth_name: str | None = None) -> str:
    """The sheet as one JSON object: {"id", "title", "concepts": [{"id", "name", "description"}], "depths":
    [{"name", "question", "time_budget_minutes", "model_answer", "checklist": [{"id", "name", "description",
    "weight", "share"}], "follow_ups": [{"ask", "good_answer", "concepts"}], "red_flags": [{"id",
    "description", "correction", "penalty"}], "score_bands": [{"from", "to", "label", "meaning"}]}]}.
    `concepts` lists every concept of the rubric, so a follow-up's concept ids outside its depth's
    checklist can be looked up; `share` is the percent of the depth's weight a concept is worth; a
    score band runs from its `from` up to its `to` (0-100)."""
    depths = []
    for page in sheet_pages(rubric, depth_name):
        depth = page.depth
        depths.append({
            "name": depth.name, "question": depth.question, "time_budget_minutes": depth.time_budget_minutes,
            "model_answer": depth.model_answer,
            "checklist": [{"id": i.concept.id, "name": i.concept.name, "description": i.concept.description,
                           "weight": i.weight, "share": round(i.share, 1)} for i in page.checklist],
            "follow_ups": [{"ask": f.ask, "good_answer": f.good_answer, "concepts": list(f.concepts)}
                           for f in page.follow_ups],
            "red_flags": [{"id": m.id, "description": m.description, "correction": m.correction, "penalty": m.penalty}
                          for m in page.red_flags],
            "score_bands": [{"from": b.lower, "to": end, "label": b.label, "meaning": b.meaning} for b, end in page.bands],
        })
    concepts = [{"id": c.id, "name": c.name, "description": c.description} for c in rubric.concepts]
    return dumps({"id": rubric.id, "title": rubric.title, "concepts": concepts, "depths": depths}, indent=2)


# --- html ------------------------------------------------------------------------------------------



def _html_page(page: SheetPage, rubric: Rubric) -> str:
    depth = page.depth
    rows = "".join(
        f'<tr><td class="box">☐</td><td class="num">{i.weight:g} ({i.share:.0f}%)</td>'
        f'<td><strong>{html_inline(i.concept.name)}</strong> <code class="concept-id">{html_text(i.concept.id)}</code></td><td>'
        f"{html_inline(i.concept.description)}</td></tr>"
        for i in page.checklist
    )
    parts = [f'<section class="depth" id="depth-{html_text(depth.name)}">',
             f'<h2>{html_text(depth.name)} <span class="budget">· {depth.time_budget_minutes:g} min</span></h2>',
             f'<p class="ask"><strong>Ask:</strong> {html_inline(depth.question)}</p>',
             "<h3>Checklist</h3>",
             f"<table><thead><tr><th></th><th>weight</th><th>concept</th><th>a strong answer says</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>"]
    if page.follow_ups:
        items = []
        for follow_up in page.follow_ups:
            probes = _probe_concepts(rubric, follow_up)
            items.append(f"<li><strong>{html_inline(follow_up.ask)}</strong>"
                         f'<span class="reply">Good reply: {html_inline(follow_up.good_answer)}</span>'
                         + (f'<span class="probes">Probes: {html_inline(probes)}</span>' if probes else "") + "</li>")
        parts += ["<h3>Follow-up probes</h3>", f'<ul class="probes-list">{"".join(items)}</ul>']
    if page.red_flags:
        items = [f'<li>{html_inline(m.description)} <span class="penalty">{penalty_label(rubric, m)}</span>'
                 f'<span class="fix">In fact: {html_inline(m.correction)}</span></li>' for m in page.red_flags]
        parts += ["<h3>Red flags</h3>", f'<ul class="flags">{"".join(items)}</ul>']
    bands = "".join(f'<tr><td class="num">{b.lower:g}–{end:g}</td><td><strong>{html_inline(b.label)}</strong></td>'
                    f"<td>{html_inline(b.meaning)}</td></tr>" for b, end in page.bands)
    parts += ["<h3>Score bands</h3>", f"<table><tbody>{bands}</tbody></table>",
              "<h3>Model answer</h3>", f'<div class="model-answer">{html_paragraphs(depth.model_answer)}</div>', "</section>"]
    return "\n".join(parts)


def sheet_sections(rubric: Rubric, depth_name: str | None = None) -> str:
    """The sheet's depths as HTML <section class="depth"> elements, every rubric string escaped: the
    body of `sheet_html`, and what the web's interviewer page shows inline (styled by its own CSS)."""
    return "\n".join(_html_page(page, rubric) for page in sheet_pages(rubric, depth_name))


def sheet_html(rubric: Rubric, depth_name: str | None = None) -> str:
    """One self-contained HTML file: inline CSS, no scripts, nothing fetched; one depth per printed page."""
    pages = sheet_sections(rubric, depth_name)
    title = html_text(rubric.title)
    return html_page(f"{title} · interviewer sheet", f'<h1>{title} <span class="id">{html_text(rubric.id)}</span></h1>\n{pages}',
                     "sheet")
