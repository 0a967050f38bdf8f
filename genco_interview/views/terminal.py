"""Everything a person or a tool reads: score cards, rubric views, JSON objects.

Kept apart from scoring so that the core never knows about terminals. rich decides colour:
it only colours a real terminal and honours NO_COLOR.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..card import GOOD_SCORE, LIST_WHY, NOT_ENGLISH_WHY, UNCERTAIN_NOTE, UNCERTAIN_WHY, ScoreCard, Status
from ..errors import cut
from ..output import clean, one_line, path_shown
from ..progress.attempt import kept_grade_text
from ..rubric import RUBRICS_ENV, Depth, Rubric
from .console import MAX_WIDTH, hanging_item, has_a_width, least_width, print_table
from .markup import DAMAGED, against_budget, counted, fuller_hint, missed_heading, named_and_described, why_to_add

if TYPE_CHECKING:
    from ..evaluation.findings import RubricCheck
    from ..progress.attempt import Attempt

TITLE_MOST = 100
"""Characters of a title or band a kept grade holds, shown when its rubric is gone: one edited to 9,999 filled
the screen where `genco candidates` cuts it to its line."""

STATUS_STYLE = {
    Status.COVERED: ("✓", "green"),
    Status.PARTIAL: ("~", "yellow"),
    Status.MISSING: ("✗", "red"),
    Status.CONTRADICTED: ("!", "magenta"),
}
EVIDENCE_CHARS = 280
"""Characters of a quoted sentence the card shows: a long one whole (clipped at 140, the words that
earned a concept were often past the cut); only a run-on sentence is clipped (`--json` has it whole)."""
COMPARE = "compare your answer with the model answer point by point"
ADVICE = {NOT_ENGLISH_WHY: "answer in English", LIST_WHY: "say each point in a full sentence"}
"""What an uncertain card tells a learner to do under its note, by why it is uncertain (else COMPARE)."""


def uncertain_why(card: ScoreCard, advice: bool = False, model_answer_shown: bool = True) -> str:
    """Why `card` (one marked uncertain) asks for a person (ScoreCard.uncertain_why); with `advice` (a
    learner's own card) what to do about it as well, saying where the model answer is when the card hides it."""
    why = card.uncertain_why or UNCERTAIN_WHY
    todo = ADVICE.get(why, COMPARE if model_answer_shown else f"{COMPARE} (shown without --no-model-answer)")
    return f"{why}; practising alone, {todo}" if advice else why


def print_under_note(console: Console, text: str) -> None:
    """`text` in the notes' colour, indented under the "note: " line it explains."""
    console.print(Padding(Text(text, style="yellow"), (0, 0, 0, len("note: "))))


def _score_style(score: float) -> str:
    return "green" if score >= GOOD_SCORE else "yellow" if score >= 40 else "red"


def _clip(text: str, limit: int = EVIDENCE_CHARS) -> str:
    """A quote of the answer on one line, cut to `limit` characters, escape sequences removed whole: a kept
    attempt's quotes are read back from the history, which another program may have written."""
    text = unicodedata.normalize("NFC", one_line(text))  # characters counted as seen: "é", not "e" + accent
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _concept_table(card: ScoreCard, whose: str = "your", overridden: frozenset[str] = frozenset()) -> Table:
    """The concepts with their marks and evidence; one the interviewer marked (`overridden`) and no sentence
    earned says whose mark it is, not that the answer's words earned it."""
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column("", width=1)
    table.add_column("concept", ratio=2, overflow="fold")  # a long word wraps, never cut
    table.add_column("score", justify="right", width=5)
    table.add_column(f"evidence from {whose} answer", ratio=5, overflow="fold")
    for concept in card.concepts:
        mark, style = STATUS_STYLE[concept.status]
        evidence = (Text(f"“{_clip(concept.evidence)}”", style="italic") if concept.evidence
                    else Text(INTERVIEWERS_MARK if concept.id in overridden else no_quote(concept.status), style="dim"))
        if concept.status == Status.CONTRADICTED:
            evidence = Text.assemble(("contradicts it: ", "magenta"), evidence)
        table.add_row(Text(mark, style=style), Text(f"{concept.name}\n", style="bold").append(concept.status, style=style),
                      f"{round(concept.score * 100)}%", evidence)
    return table


def render_card(console: Console, card: ScoreCard, rubric: Rubric | None, show_model_answer: bool = True,
                whose: str = "your", overridden: frozenset[str] = frozenset(), kept: dict | None = None,
                score_damaged: bool = False) -> None:
    """The learner's score card: overall, per concept with evidence, mistakes, what to add, model answer.
    `rubric` None (a kept card whose question left the bank) shows the card without the model answer, with the
    title and band a kept grade (`kept`) holds, as `candidates` shows them; `whose` names the answer ("the
    candidate's" for a kept grade), `overridden` the concepts an interviewer marked. `score_damaged`: a kept
    card's score is a stand-in for one damaged by hand (Attempt.score_damaged), shown as such, without a band."""
    depth = rubric.depth(card.depth) if rubric is not None and card.depth in rubric.depth_names else None
    title = rubric.title if rubric is not None else cut(kept_grade_text(kept, "title") or card.question, TITLE_MOST)
    score = [(DAMAGED, "bold")] if score_damaged else _score_and_band(card, rubric, kept)
    heading = Text.assemble(("Score ", "bold"), *score, f"   {title} · {card.depth}")
    console.print(Panel(heading, expand=True))
    for note in card.shown_notes:
        console.print(Text(f"note: {one_line(note)}", style="yellow"))
        if note == UNCERTAIN_NOTE:  # an interviewer is the person to check: told why, with no advice
            print_under_note(console, uncertain_why(card, whose == "your", show_model_answer))
    console.print(_concept_table(card, whose, overridden))
    if card.misconceptions:
        console.print(Text("\nMisconceptions found" if whose == "your" else "\nRed flags heard", style="bold red"))
        for hit in card.misconceptions:
            hanging_item(console, "✗", "red", Text(hit.description, style="bold"))
            said = "you said" if whose == "your" else "they said"
            hanging_item(console, " ", "", Text(f"{said}: “{_clip(hit.evidence)}”", style="italic"))
            hanging_item(console, " ", "", Text(f"in fact: {hit.correction}", style="green"))
    candidate = whose != "your"
    if card.missed:
        console.print(Text(f"\n{missed_heading(candidate)}", style="bold"))
        for concept in card.missed:
            name, description = named_and_described(concept.name, concept.description)
            hanging_item(console, "•", "", Text.assemble((name, "bold"), (why_to_add(concept.status, candidate), "dim"),
                                                        f": {description}" if description else ""))
    elif card.stated_in_part:
        console.print(Text(f"\n{missed_heading(candidate)}", style="bold"))
        hanging_item(console, "•", "", Text(fuller_hint(candidate)))
    if show_model_answer and depth is not None:
        from .model_answer import model_answer  # markdown-it is only needed here

        console.print(Panel(model_answer(depth.model_answer), title="Model answer", title_align="left"))


def _score_and_band(card: ScoreCard, rubric: Rubric | None, kept: dict | None) -> list[tuple[str, str]]:
    """A card's score out of 100 and its band's word (what 74 means: the sheet's, or the one a kept grade holds
    once its rubric is gone), each in the score's colour, as the card's heading shows them."""
    label = rubric.band(card.score).label if rubric is not None else cut(kept_grade_text(kept, "band") or "", TITLE_MOST)
    style = _score_style(card.score)
    return [(f"{card.score:g}", f"bold {style}"), ("/100", "bold"), (f"  {label}" if label else "", style)]


def render_attempt(console: Console, attempt: Attempt, card: ScoreCard, rubric: Rubric | None,
                   show_model_answer: bool = True) -> None:
    """A kept attempt in full (`genco show`): when and how, the answer as typed, a kept grade's who and
    why, and its card (`rubric` None once its question left the bank)."""
    from .report import attempt_time

    facts = [f"Attempt {attempt.id}", attempt_time(attempt), attempt.source, f"time {_time_taken(attempt, rubric)}",
             attempt.model, f"genco {attempt.genco_version}"]
    console.print(Text(items_to_fit(facts, console.width), style="dim"))
    whose = "The candidate's answer, as given" if attempt.source == "interviewer" else "Your answer, as typed"
    console.print(Panel(Text(clean(attempt.answer)), title=whose, title_align="left"))  # an escape whole, not its text
    if attempt.grade is not None:
        render_kept_grade(console, attempt.grade, card)
    render_card(console, card, rubric, show_model_answer=show_model_answer,
                whose="the candidate's" if attempt.source == "interviewer" else "your",
                overridden=_interviewer_marked(attempt.grade or {}, card), kept=attempt.grade,
                score_damaged=attempt.score_damaged)


def _time_taken(attempt: Attempt, rubric: Rubric | None) -> str:
    """How long the answer took, against its depth's budget when the rubric still has that depth."""
    from .report import answer_time

    budget = next((d.time_budget_minutes for d in (rubric.depths if rubric else ()) if d.name == attempt.depth), None)
    return answer_time(attempt.seconds) if attempt.seconds is None or budget is None else against_budget(attempt.seconds, budget)


def items_to_fit(items: list[str], width: int, separator: str = " · ") -> str:
    """`items` joined by `separator`, a new line begun before an item that would pass `width` columns:
    a line wrapped by words split "genco 0.1.0" in two."""
    lines = [""]
    for item in items:
        joined = f"{lines[-1]}{separator}{item}" if lines[-1] else item
        if lines[-1] and len(joined) > width:
            lines.append(item)
        else:
            lines[-1] = joined
    return "\n".join(lines)


INTERVIEWERS_MARK = "— the interviewer's mark"
"""The evidence column of a kept grade's concept the interviewer marked and no sentence earned."""


def _interviewer_marked(grade: dict, card: ScoreCard) -> frozenset[str]:
    """The concepts of a kept grade's card its interviewer marked (progress.attempt.marked_by_interviewer)."""
    from ..progress.attempt import marked_by_interviewer

    return frozenset(marked_by_interviewer(grade, {c.id: str(c.status) for c in card.concepts}))


def render_kept_grade(console: Console, grade: dict, card: ScoreCard) -> None:
    """A kept interviewer grade: who, the note, and the interviewer's marks beside the machine's
    (`Attempt.grade`, see interview.grading.Grade.kept)."""
    who = grade["candidate"] or "a candidate (no name given)"
    console.print(Text.assemble(("Graded: ", "bold"), one_line(who), ("   machine score ", "dim"), f"{grade['machine_score']:g}"))
    if grade["note"]:  # notes given as several --note keep their lines, each under the first
        hanging_item(console, "Note:", "bold", Text(clean(grade["note"])), width=len("Note:"))
    marked = _interviewer_marked(grade, card)
    for concept in card.concepts:
        if concept.id in marked:
            machine = grade["machine"].get(concept.id, "not marked")
            console.print(Text(f"  {concept.name}: machine {machine}, interviewer {concept.status}", style="dim"))
    if "red_flags_dismissed" in grade:
        from ..interview.grading import dismissed_red_flags  # the scoring weights load only when needed

        for line in dismissed_red_flags(grade["red_flags_dismissed"]):
            console.print(Padding(Text(line, style="dim"), (0, 0, 0, 2)))


def render_question(console: Console, rubric: Rubric, depth: Depth) -> None:
    body = Text.assemble((depth.question, "bold"), "\n\n",
                         (f"Time budget: {depth.time_budget_minutes:g} min · depth: {depth.name}", "dim"))
    console.print(Panel(body, title=Text(rubric.title), title_align="left"))


def render_rubric_list(console: Console, rubrics: list[Rubric]) -> None:
    """A table on a terminal; into a pipe, one tab-separated line per rubric (id, title, depths, tags),
    so `grep` and `cut` see each rubric whole instead of a table wrapped to 80 columns."""
    if not console.is_terminal:
        for r in rubrics:  # rich would expand the tabs: the fields are cleaned and written as they are
            fields = (r.id, r.title, ",".join(r.depth_names), ",".join(r.tags))
            console.file.write("\t".join(" ".join(clean(f).split()) for f in fields) + "\n")
        return
    for shown in RUBRIC_LIST_COLUMNS:  # on a narrow terminal tags go first, then depths: no word is cut
        table = _rubric_table(rubrics, shown)
        if least_width(console, table) <= console.width:
            break
    console.print(table)


RUBRIC_LIST_COLUMNS = (("title", "depths", "tags"), ("title", "depths"), ("title",))
"""The columns `rubric list` shows beside the id, widest first: at 60 columns all four cut "Coroutines",
"detailed" and "generators" in the middle ("Corouti…")."""


def _rubric_table(rubrics: list[Rubric], shown: tuple[str, ...]) -> Table:
    table = Table(header_style="bold", box=None)
    # The id is what people type on the command line: never cut or wrap it.
    table.add_column("id", no_wrap=True, min_width=max((len(r.id) for r in rubrics), default=2))
    rows = [{"title": r.title, "depths": ", ".join(r.depth_names), "tags": ", ".join(r.tags)} for r in rubrics]
    for name in shown:  # as wide as its longest word at least: rich shrank "async-generators" to "async-generat…"
        table.add_column(name, min_width=max((len(word) for row in rows for word in row[name].split()), default=1))
    for rubric, cells in zip(rubrics, rows):
        table.add_row(rubric.id, *(cells[name] for name in shown))
    return table


def _figure(value: float | None, digits: int = 3) -> str:
    """NaN (or None, as a calibration records it) is a figure that cannot be computed (constant grades,
    nothing labelled): n/a, never a number."""
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"


def _f1_cell(f1: float) -> Text:
    return Text(_figure(f1, 2), style="dim" if f1 != f1 else _score_style(100 * f1))


def _render_concept_agreement(console: Console, concepts: dict[str, dict[str, Any]]) -> None:
    """Each labelled concept's precision and recall; one line when no row grades concepts (an empty table says nothing)."""
    if not concepts:
        console.print("Concepts: no row grades concepts (a `concepts` field of 0-2 per concept id adds them)")
        return
    table = Table(title="Concepts: credited (covered or partial) vs graded 1-2", title_justify="left")
    for column in ("concept", "n said", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "concept" else "right")
    for concept_id, m in concepts.items():
        table.add_row(concept_id, str(m["support"]), _figure(m["precision"], 2), _figure(m["recall"], 2),
                      _f1_cell(m["f1"]))
    print_table(console, table)


def render_agreement(console: Console, result: dict[str, Any], source: str) -> None:
    """`genco eval`, under the table of figures: where the pooled figures come from (concepts, kinds)."""
    maps = " and ".join(result["grade_map"])
    console.print(Text.assemble(("genco eval", "bold"), f" {source}: {counted(result['answers'], 'answer')}, "
                                f"human grades 0-{result['scale']}, {maps} grade map"))
    _render_concept_agreement(console, result["concepts"])
    if result["concepts"]:
        console.print(f"Concept marks (missing, partial, covered) against the graders' 0-2: "
                      f"QWK {_figure(result['concept_qwk'])}")
    mis = result["misconceptions"]
    if mis["rows"] == 0:  # "0 labelled, 0 named" read as genco naming none, beside cards that named two
        console.print('Misconceptions: not compared, no row lists the graders\' (a "misconceptions" field)')
    else:
        console.print(f"Misconceptions: precision {_figure(mis['precision'], 2)}, recall {_figure(mis['recall'], 2)}, "
                      f"F1 {_figure(mis['f1'], 2)} ({mis['support']} labelled by the graders in {counted(mis['rows'], 'row')}, "
                      f"{mis['named']} named by genco there)")
    if result["kinds"]:
        kinds = Table(title="Mean score by answer kind", title_justify="left")
        for column in ("kind", "n", "mean score", "mean grade"):
            kinds.add_column(column, justify="left" if column == "kind" else "right")
        for kind, k in result["kinds"].items():
            kinds.add_row(kind, str(k["n"]), Text(f"{k['mean_score']:.1f}", style=_score_style(k["mean_score"])),
                          f"{k['mean_grade']:.1f}")
        print_table(console, kinds)


def render_evaluation(console: Console, result: dict[str, Any], source: str) -> None:
    """`genco eval`: one line per question, the pooled line, then the pooled detail."""
    how = "leave-one-question-out" if result["leave_one_question_out"] else "shipped weights"
    table = Table(title=f"Agreement with human grades ({how})", title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 0, 0, 1))
    headers = ("question", "n", "Spearman", "Pearson", "QWK", "MAE", "gross errors", "uncertain", "Spearman sure")
    width = console.width if has_a_width(console) else MAX_WIDTH
    rows = [[_fit_id(name, width), str(f["answers"]), _figure(f["spearman"]), _figure(f["pearson"]),
             _figure(f["qwk"]), f"{f['mae']:.2f}", f"{100 * f['gross_errors']:.1f} %",
             f"{100 * f['uncertain_share']:.0f} %", _figure(f["spearman_confident"])]
            for name, f in [*result["questions"].items(), ("pooled", result["pooled"])]]
    table.add_column(headers[0], min_width=_ID_WIDTH)
    for i, header in enumerate(headers[1:], start=1):  # figures never wrap; headers wrap at their spaces
        table.add_column(header, justify="right", width=max(*map(len, header.split()), *(len(r[i]) for r in rows)))
    for row in rows:
        table.add_row(*row)
    print_table(console, table)
    pooled = dict(result["pooled"], grade_map=["linear"])
    render_agreement(console, pooled, source)
    ratios, graded = pooled.get("kind_ratios") or {}, pooled.get("graded_kind_ratios") or {}
    if ratios:
        console.print("Mean score over good answers' mean (the graders' ratio in brackets): "
                      + ", ".join(f"{k} {v:.2f} ({_figure(graded.get(k, math.nan), 2)})" for k, v in ratios.items()),
                      soft_wrap=not has_a_width(console))  # one line into a pipe, for grep


_ID_WIDTH = 13
"""Where a question id breaks on a narrow terminal: the evaluation table then fits in 80 columns."""


def _fit_id(name: str, width: int) -> str:
    """A question id broken after its hyphens on a terminal too narrow for the whole row (80 columns),
    so no id is cut off with an ellipsis."""
    if width >= 100:
        return name
    import textwrap

    return "\n".join(textwrap.wrap(name, _ID_WIDTH, break_on_hyphens=True)) or name


_SCORES_STAY = ("Scores do not change: the grade line only turns them into your grades for the figures above (QWK and "
                "MAE), so the gain in those two is the line's, not the scores'.")
"""What a calibration that kept the written thresholds changes: a user read the calibrated row's QWK as better scores."""


def render_calibration(console: Console, result: dict[str, Any], rubric: Rubric) -> None:
    """`genco calibrate`: out-of-fold agreement before and after, then what moved and where it was written."""
    cv = result["cross_validation"]
    before, after = cv["uncalibrated"], cv["calibrated"]
    console.print(Text.assemble(("genco calibrate", "bold"), f" {rubric.id}: {result['answers']} graded answers, "
                                f"{cv['folds']}-fold cross-validation (each row judged by a fit that never saw it)"))
    table = Table()
    for column in ("", "Spearman", "Pearson", "QWK", "MAE"):
        table.add_column(column, justify="left" if not column else "right")
    for name, figures in (("as written (linear grade map)", before), ("calibrated, out of fold (fitted grade map)", after)):
        table.add_row(name, *(_figure(figures[k]) for k in ("spearman", "pearson", "qwk")), _figure(figures["mae"], 2))
    console.print(table)
    concepts = Table(title="Per concept: thresholds (partial / covered) and out-of-fold F1", title_justify="left")
    for column in ("concept", "written", "fitted", "F1 before", "F1 after"):
        concepts.add_column(column, justify="left" if column == "concept" else "right")
    for concept_id, (partial, covered) in result["thresholds"].items():
        wp, wc = result["written_thresholds"][concept_id]
        concepts.add_row(concept_id, f"{wp:.2f} / {wc:.2f}", f"{partial:.2f} / {covered:.2f}",
                         _figure(before["concept_f1"].get(concept_id, float("nan")), 2),
                         _figure(after["concept_f1"].get(concept_id, float("nan")), 2))
    console.print(concepts)
    if not cv.get("thresholds_adopted", True):
        console.print("The moved thresholds did not rank answers better out of fold, so the written ones are kept; "
                      f"only the grade line was fitted. {_SCORES_STAY}")
    elif all(tuple(result["thresholds"][c]) == tuple(result["written_thresholds"][c]) for c in result["thresholds"]):
        console.print("No threshold moved: the written ones fit these grades as well as any near them; "
                      f"only the grade line was fitted. {_SCORES_STAY}")
    console.print(f"Wrote {path_shown(result['written'])}" + (f"; added to the rubric: {result['linked']}" if result["linked"] else ""))
    if not result["in_use"]:
        reads = (f"its calibration from {result['rubric_reads']}" if result["rubric_reads"] else "no calibration file")
        clash = " (a file of that name is there already: rename this one)" if result["move_into_taken"] else ""
        move = (f"move it to {result['move_into']}{clash} (a rubric reads its calibration from its own folder "
                f"only) and " if result["move_into"] else "")
        console.print(f"The rubric still reads {reads}: to score with this one, {move}set its line to "
                      f"`{result['to_use_it']}`.")


def render_model_info(console: Console, info: dict[str, Any]) -> None:
    """`genco model info`: which model and backend scoring uses, and each ONNX export's state."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    table.add_row("model", f"{info['model']}  ({info['path']})")
    table.add_row("fingerprint", str(info["fingerprint"]))
    table.add_row("backend", Text.assemble(f"{info['backend']}  ",
                                           (f"(requested {info['backend_requested']}: {info['reason']})", "dim")))
    pipeline = info["pipeline"]
    if pipeline:
        table.add_row("pipeline", f"{'+'.join(pipeline['pooling'])} pooling, "
                      f"{'normalised' if pipeline['normalize'] else 'not normalised'}, "
                      f"max {pipeline['max_seq_length']} tokens, {pipeline['dimension']} dimensions")
    table.add_row("onnxruntime", info["onnxruntime"] or "not installed")
    table.add_row("export", str(info["export_dir"]))
    for variant, state in info["exports"].items():
        if state["valid"]:
            verdict = Text("valid", style="green")
        elif not state["built"]:  # never made, nothing wrong with it
            verdict = f"not built ({state['build']} builds it)"
        else:
            verdict = Text.assemble(("unusable", "yellow"), f": {state['problem']}")
        table.add_row(f"  {variant}", Text.assemble(f"{state['file']}: ", verdict))  # its colour kept
    table.add_row("exemplar cache", str(info["exemplar_cache"]))
    print_table(console, table)  # into a pipe, a path is never broken across lines


def no_quote(status: str) -> str:
    """The evidence column of a concept with no sentence to quote: a dash, and for one that earned
    credit all the same (its words are spread over the answer, or its best sentence also denies it
    or reads as a misconception) where the credit came from, so a partial mark beside a dash does
    not read as a fault."""
    return "— from the answer's words; no sentence states it plainly" if status in (Status.COVERED, Status.PARTIAL) else "—"


def schema_lines(check: RubricCheck) -> list[str]:
    """`genco rubric validate`'s lines for one file: ✓ and what it holds, or ✗ and each schema problem."""
    if check.rubric is None:
        return [one_line(f"✗ {problem}") for problem in check.problems]
    found = check.rubric
    counts = ", ".join(counted(len(items), noun) for items, noun in
                       ((found.depths, "depth"), (found.concepts, "concept"), (found.misconceptions, "misconception")))
    replaces = (f"; in a folder on {RUBRICS_ENV} it would replace the shipped question {found.id!r}"
                if check.replaces_shipped else "")
    named = f"; {check.name_note}" if check.name_note else ""
    return [one_line(f"✓ {check.path}: {found.id} ({counts}){replaces}{named}")]


QUOTE_SHOWN = 70
"""Characters of a rubric text a meaning warning quotes on the terminal (--json gives it whole)."""


def _short_entry(entry: str) -> str:
    """A finding's entry as the terminal shows it: the text it quotes (`driver: "..."`) cut to QUOTE_SHOWN."""
    prefix, quote, text = entry.partition(': "')
    if not quote or not text.endswith('"') or len(text) - 1 <= QUOTE_SHOWN:
        return entry
    return f'{prefix}: "{text[: QUOTE_SHOWN - 1]}…"'


def finding_lines(checks: Sequence[RubricCheck]) -> list[str]:
    """Each warning of the valid files (with its entries and a fix)."""
    lines: list[str] = []
    for finding in (finding for check in checks if check.rubric is not None for finding in check.findings):
        lines.append(one_line(f"⚠ {finding.path}: {finding.check}: {finding.message}"))
        lines += ["    " + one_line(_short_entry(str(entry))) for entry in finding.entries]
        lines.append("    fix: " + one_line(finding.suggestion))
    return lines


def meaning_lines(checks: Sequence[RubricCheck]) -> list[str]:
    """The meaning checks' warnings (each with its entries and a fix), then one line counting them."""
    valid = [check for check in checks if check.rubric is not None]
    lines = finding_lines(checks)
    total = sum(len(check.findings) for check in valid)
    lines.append(f"meaning checks: {counted(total, 'warning')} in {counted(len(valid), 'file')}" if total else
                 f"meaning checks: no warnings in {counted(len(valid), 'file')}")
    return lines
