"""Progress reports: the aggregation, each format, escaping, and the HTML page in a real browser."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from genco_interview.progress.reports import RECENT, build_report, slope, trend_is_clear
from genco_interview.progress.store import open_history
from genco_interview.rubric import UnknownName
from genco_interview.views.report import render_report, report_json, report_markdown, to_work_on_why
from genco_interview.views.report_html import report_html

from history_helpers import HOSTILE, QUESTION, make_attempt, progress_attempts
from rubric_helpers import TINY_ID, tiny_rubric

ROOT = Path(__file__).resolve().parent.parent


TINY = tiny_rubric()


def _find(question: str):
    """The reports' rubric lookup: the tests' own small rubric, whatever the bank holds."""
    if question != TINY_ID:
        raise UnknownName(question)
    return TINY


@pytest.fixture
def report(tmp_path: Path):
    """Through the store, so attempts have their numbers as a real report does."""
    with open_history(tmp_path / "history.sqlite3") as store:
        store.add(progress_attempts(TINY))
        return build_report(store.attempts(evidence=False), _find, source="history.sqlite3")


@pytest.mark.parametrize("values, expected", [([], None), ([50], None), ([10, 20, 30], 10.0), ([30, 30], 0.0),
                                              ([60, 40, 50], -5.0)])
def test_slope_is_change_per_attempt(values, expected) -> None:
    assert slope(values) == expected


@pytest.mark.parametrize("values, clear", [([76.8, 4.1, 0.0, 30.4, 70.6], False), ([10, 30, 25, 45, 60], True),
                                           ([90, 70, 75, 50], True), ([40, 70], False), ([80], False), ([], False),
                                           ([50, 50, 50], True)])
def test_a_trend_is_clear_only_when_it_stands_out_of_the_noise(values, clear) -> None:
    """Scores down from the best and back up had a slope of +1.4 and were called "improving"; two scores
    were "declining" at -75 an attempt, one a section's JSON called a clear trend."""
    assert trend_is_clear(values) is clear


def test_sections_per_question_and_depth_in_rubric_order(report) -> None:
    assert [(s.question, s.depth, s.attempts) for s in report.sections] == [
        (TINY_ID, "quick", 5), (TINY_ID, "detailed", 1)]
    quick = report.sections[0]
    assert (quick.first, quick.latest) == (8.0, 86.7)  # 20 minus the misconception penalty
    assert quick.best == max(p.score for p in quick.timeline)
    assert quick.trend > 1 and quick.trend_word == "improving"
    assert report.sections[1].trend is None and report.sections[1].trend_word == "one attempt so far"
    assert (quick.seconds, quick.timed_attempts) == (300.0, 5)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_a_time_at_the_ends_of_the_calendar_is_shown_not_a_traceback(zone, monkeypatch) -> None:
    """`report --since 0001-01-01` west of UTC: the shift to local time left the calendar (OverflowError)."""
    import time

    from genco_interview.views.report import local_time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        for stamp in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"):
            assert local_time(stamp)[:4] in ("0001", "9999")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_report_of_every_question_names_none_in_its_json(report) -> None:
    """The loop over the sections' questions once overwrote the one asked for (None: all of them)."""
    assert report.question is None and json.loads(report_json(report))["question"] is None


def test_mastery_is_the_recent_average(report) -> None:
    one_vs_many = next(c for c in report.sections[0].concepts if c.id == "one_vs_many")
    recent = [0.1, 0.2, 0.3, 0.5, 0.6][-RECENT:]
    assert one_vs_many.mastery == pytest.approx(sum(recent) / len(recent))
    assert one_vs_many.latest_status == "partial"


def test_mastery_forgets_old_mistakes() -> None:
    rows = [make_attempt(day, scores={"driver": 0.0}, rubric=TINY) for day in range(3)]
    rows += [make_attempt(10 + day, scores={"driver": 1.0}, rubric=TINY) for day in range(RECENT)]
    driver = next(c for c in build_report(rows, _find).sections[0].concepts if c.id == "driver")
    assert driver.mastery == 1.0


def test_weakest_concepts_come_with_the_model_answer_sentence(report) -> None:
    weakest = report.sections[0].weakest
    # covered the last time at 68 % and 76 % over the last five: not weak spots; partial at 34 % is
    assert [c.id for c in weakest] == ["one_vs_many"]
    model_answer = " ".join(TINY.depth("quick").model_answer.split())
    for concept in weakest:
        assert concept.model_answer_says and concept.model_answer_says in model_answer
    assert "many cups" in weakest[0].model_answer_says


def test_a_weak_spot_is_a_concept_missed_the_last_time_or_under_half_over_the_recent_ones() -> None:
    from genco_interview.progress.reports import ConceptMastery, _needs_work

    def mastery(value: float, latest: str) -> ConceptMastery:
        return ConceptMastery(id="c", name="C", mastery=value, latest_status=latest, description="")

    assert not _needs_work(mastery(0.93, "covered")) and not _needs_work(mastery(0.5, "covered"))
    assert _needs_work(mastery(0.45, "covered"))  # covered once after four misses
    assert _needs_work(mastery(0.9, "partial")) and _needs_work(mastery(0.9, "contradicted"))


def test_misconceptions_are_counted(report) -> None:
    seen = report.sections[0].misconceptions
    assert [(m.id, m.count) for m in seen] == [("same_drink", 2)]
    assert seen[0].correction


def test_a_question_whose_rubric_is_gone_still_reports() -> None:
    def missing(question: str):
        raise UnknownName(question)

    built = build_report(progress_attempts(TINY), missing)
    assert built.sections[0].title == TINY_ID
    assert all(c.model_answer_says is None for c in built.sections[0].weakest)



def test_a_weak_concept_with_no_description_kept_gets_no_bare_colon() -> None:
    """The history keeps a concept's marks, not its description: with its rubric gone, a weak concept
    is named alone ("Hashability (0%)"), not followed by an empty ": "."""
    from dataclasses import replace

    from rich.console import Console

    def missing(question: str):
        raise UnknownName(question)

    marks_only = [replace(a, concepts=[{k: v for k, v in c.items() if k != "description"} for c in a.concepts])
                  for a in progress_attempts(TINY)]
    built = build_report(marks_only, missing)
    assert built.sections[0].weakest and not built.sections[0].weakest[0].description
    console = Console(record=True, width=120, color_system=None)
    render_report(console, built)
    for text in (console.export_text(), report_markdown(built), report_html(built)):
        assert "%): " not in text and "%)</b>:" not in text and "%):" not in text, text


def test_every_view_marks_the_figures_whose_scores_a_person_should_check() -> None:
    """`history` showed "19.6?", the report showed its first, best and latest scores as sure ones."""
    from rich.console import Console

    from genco_interview.card import UNCERTAIN_NOTE

    sure, doubted = (make_attempt(day=day, scores={"driver": score}) for day, score in ((0, 0.9), (1, 0.2)))
    doubted = dataclasses.replace(doubted, notes=[*doubted.notes, UNCERTAIN_NOTE])
    built = build_report([sure, doubted], lambda question: None)
    first, latest = f"{sure.score:g}", f"{doubted.score:g}?"
    console = Console(record=True, width=200, color_system=None)
    render_report(console, built)
    text = console.export_text()
    assert f"first {first} · best {first} · latest {latest}" in text
    assert "? 1 of 2 scores uncertain: have a person check" in text
    assert f"first / best / latest: {first} / {first} / {latest}" in report_markdown(built)
    assert f"<b>{latest}</b>" in report_html(built) and "1 of 2 scores uncertain" in report_html(built)
    data = json.loads(report_json(built))["sections"][0]
    assert data["uncertain_attempts"] == 1 and [p["uncertain"] for p in data["timeline"]] == [False, True]


def test_json_has_the_numbers(report) -> None:
    data = json.loads(report_json(report))
    assert data["attempts"] == 6
    section = data["sections"][0]
    assert {"first", "best", "latest", "trend", "trend_word", "concepts", "weakest", "misconceptions",
            "timeline", "heat", "seconds", "latest_answer"} <= set(section)
    assert section["latest_answer"] == HOSTILE


def test_json_figures_are_rounded_as_the_other_json_outputs_are(report) -> None:
    """Scores and the trend to 1 decimal, mastery and concept scores (0-1) to 3: no float noise."""
    section = report.sections[0]
    section.trend, section.latest, section.seconds = -11.229999999999997, 66.60000000000001, 180.00000000000003
    section.concepts[0].mastery = section.weakest[0].mastery = 0.23825000000000002
    section.timeline[0].score = 33.300000000000004
    concept_id, (status, _) = next(iter(section.heat[0].cells.items()))
    section.heat[0].cells[concept_id] = (status, 0.30000000000000004)
    data = json.loads(report_json(report))["sections"][0]
    assert (data["trend"], data["latest"], data["seconds"]) == (-11.2, 66.6, 180.0)
    assert data["concepts"][0]["mastery"] == data["weakest"][0]["mastery"] == 0.238
    assert data["timeline"][0]["score"] == 33.3 and data["heat"][0]["cells"][concept_id] == [status, 0.3]
    assert section.trend == -11.229999999999997  # the report itself keeps its figures


def test_markdown_keeps_typed_markup_as_text(report) -> None:
    text = report_markdown(report)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<table>") == html.count("</table>") == 4  # weakest first, two mastery tables, one of misconceptions
    assert "| pipes |" in html  # the pipes stayed text inside the quote


@pytest.mark.parametrize("render", [report_markdown, report_json, report_html], ids=["markdown", "json", "html"])
def test_no_history_says_so(render) -> None:
    empty = build_report([], _find)
    assert "No attempts yet" in render(empty) or json.loads(render(empty))["sections"] == []


def test_terminal_report(report) -> None:
    from rich.console import Console

    console = Console(record=True, width=120, color_system=None)
    render_report(console, report)
    text = console.export_text()
    assert "first 8 · best" in text and "×2" in text
    # "Weakest concepts" left out one covered at 53 % beside one partly covered at 67 %: the heading says its rule
    assert "Concepts to work on (not covered in the latest attempt, or under 50% over the recent ones)" in text
    section = report.sections[0]
    needing = [dataclasses.replace(c, latest_status="missing", mastery=0.1 * i) for i, c in enumerate(section.concepts)]
    more = dataclasses.replace(section, concepts=needing, weakest=needing[:2])
    assert to_work_on_why(more) == ("the 2 weakest of the 3 not covered in the latest attempt, or under 50% over the "
                                    "recent ones")  # 3 of 9 were listed without a word of the other 6


def test_html_escapes_everything_typed(report) -> None:
    page = report_html(report)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "then &lt;/table&gt;" in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_every_time_in_the_html_report_is_utc_and_says_so(report, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its header said "... 02:50 UTC" while the chart's points said "2026-12-05 21:46", the reader's local time
    with no zone: a page that is shared says every time in one zone, named."""
    import re
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        page = report_html(report)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    titles = re.findall(r"<title>(#[^<]*)</title></circle>", page)
    assert titles and all(re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", t) for t in titles), titles
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page)


def test_the_heat_maps_legend_shows_the_colours_its_cells_use(report) -> None:
    """A cell is coloured by its concept's score: the legend names scores, in the cells' own colours."""
    import re

    from genco_interview.views.report_html import heat_colour

    page = report_html(report)
    legend = re.search(r'<div class="legend meta">(.*?)</div>', page).group(1)
    for score, label in ((0.0, "0%"), (0.5, "50%"), (1.0, "100%")):
        assert f'<span style="background:{heat_colour(score)}"></span>{label}' in legend
    cells = set(re.findall(r'<rect[^>]*fill="(hsl[^"]+)"', page))
    assert cells and all(cell.startswith("hsl(") for cell in cells)


@pytest.mark.skipif(shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists(),
                    reason="Debian chromium is installed by `make test` (scripts/install-chromium)")
def test_html_report_in_headless_chromium(report, tmp_path: Path) -> None:
    from browser import view_page

    page = tmp_path / "report.html"
    page.write_text(report_html(report), encoding="utf-8")
    screenshot = ROOT / "build" / "screenshots" / "report.png"
    view = view_page(page, screenshot)
    assert view.console_errors == []
    assert view.drawn_charts >= 4  # score chart and heat map for each of the two sections
    assert "<script>alert(1)</script> then </table>" in view.text
    assert "<script>alert" not in view.html
    assert screenshot.stat().st_size > 10_000


def test_the_model_answer_sentence_is_the_one_that_states_the_point() -> None:
    """A long sentence full of the topic's common words outweighed the short one saying the concept."""
    from genco_interview.progress.reports import model_answer_sentence
    from genco_interview.rubric import find

    rubric = find("coroutine-vs-generator")
    said = model_answer_sentence(rubric, "deep", "lazy_call")
    assert said is not None and said.startswith("Calling a generator function or an async def function does not run")


def test_two_attempts_show_no_trend(tmp_path: Path) -> None:
    """A score of 80 then one of 5 read "-75.0/attempt (declining)": a line through two scores is noise and all."""
    from genco_interview.views.report import report_json, trend_text

    rows = [make_attempt(day, scores={"driver": 1.0 - day}, rubric=TINY) for day in range(2)]
    section = build_report(rows, _find).sections[0]
    assert (section.attempts, section.trend_clear) == (2, False)
    assert trend_text(section) == "too few attempts for a trend"
    assert json.loads(report_json(build_report(rows[:1], _find)))["sections"][0]["trend_clear"] is False


def test_concept_mastery_says_how_many_attempts_it_averages(report) -> None:
    """"average of the last 5 attempts" over a section of 4 read as if an attempt had gone missing."""
    from rich.console import Console

    assert [s.attempts for s in report.sections] == [RECENT, 1]
    console = Console(record=True, width=120, color_system=None)
    render_report(console, report)
    for text in (console.export_text(), report_markdown(report), report_html(report)):
        assert f"average of its {RECENT} attempts" in text and "the one attempt" in text, text
        assert "the last" not in text


def test_a_score_chart_of_more_attempts_than_it_draws_says_it_shows_the_latest() -> None:
    """3,000 attempts were drawn from their latest 200, the caption still "oldest first, evenly spaced"."""
    from genco_interview.progress.reports import ScorePoint
    from genco_interview.views.report_html import CHART_POINTS, chart_spacing, score_chart

    points = [ScorePoint(n, f"2026-03-01T09:{n % 60:02d}:00.000000+00:00", n % 100) for n in range(CHART_POINTS + 50)]
    drawn = score_chart(points, "t").split('points="')[1].split('"')[0].split()
    assert len(drawn) == CHART_POINTS
    assert chart_spacing(CHART_POINTS + 50).startswith(f"the latest {CHART_POINTS} of {CHART_POINTS + 50} attempts, ")
    assert chart_spacing(CHART_POINTS) == chart_spacing(1) and "latest" not in chart_spacing(CHART_POINTS)


def test_a_report_of_several_questions_opens_with_them_weakest_first() -> None:
    """Someone tracking progress over weeks read every section to find what to study: they come in the bank's order."""
    from rich.console import Console

    strong = make_attempt(day=0, depth="quick", scores={"shared_mechanism": 0.9, "driver": 0.9, "one_vs_many": 0.9})
    weak = make_attempt(day=1, depth="detailed", scores={"driver": 0.1})
    built = build_report([strong, weak], lambda question: None)
    assert [s.depth for s in built.overview] == ["detailed", "quick"] and built.overview[0].latest < built.overview[1].latest
    console = Console(record=True, width=120, color_system=None)
    render_report(console, built)
    text = console.export_text().splitlines()
    assert text[1] == "Weakest first" and text[3].split()[:2] == [QUESTION, "detailed"]
    assert text[4].split()[:2] == [QUESTION, "quick"]
    assert f"| {QUESTION} | detailed |" in report_markdown(built).split("## Weakest first")[1].split("\n\n")[1]
    assert "<h2>Weakest first</h2>" in report_html(built)
    narrow = Console(record=True, width=50, color_system=None)
    render_report(narrow, built)
    lines = narrow.export_text().splitlines()
    assert lines[2].startswith(f"  • {QUESTION} · detailed: latest ") and all(len(line) <= 50 for line in lines)
    alone = build_report([strong], lambda question: None)
    assert alone.overview == [] and "Weakest first" not in report_markdown(alone) + report_html(alone)
