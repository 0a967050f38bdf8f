"""`genco serve` in a real browser: the system Chromium, driven by Playwright, against uvicorn
serving the app in a thread with the session's real model.

Walks what a learner and an interviewer do (questions, practice, result, a mock interview with
its follow-ups, progress, grading), checks that hostile text in an answer stays text, that a
draft survives a reload, and that no page asks for anything off this machine. Saves the README's
screenshots of a result and of a mock interview's report.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest
from web_helpers import live_server, make_app

from genco_interview.rubric import find

from browser import CHROMIUM_ARGS, chromium_path
from conftest import EXAMPLES, ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="make test installs chromium (scripts/install-chromium)")]
QUESTION, DEPTH = "coroutine-vs-generator", "quick"
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> a generator yields values'
SCREENSHOT = ROOT / "docs" / "img" / "practice-result.png"
INTERVIEW_SCREENSHOT = ROOT / "docs" / "img" / "mock-interview-report.png"
REFRESH_DOCS = bool(os.environ.get("GENCO_REFRESH_SCREENSHOTS"))
"""`make screenshots` sets it: the README's pictures are retaken; otherwise a test run leaves them
alone (the interview report shows the time it was taken, so every run would change the file)."""

TIP_LEAVES_THE_NEXT_LINE_VISIBLE = """() => {
    const tipped = document.querySelector('mark.ev + .tip'), tip = tipped.getBoundingClientRect();
    let next = tipped.nextSibling;
    while (next && !next.textContent.trim()) next = next.nextSibling;
    if (!next) return true;
    const range = document.createRange();
    range.selectNodeContents(next);
    const first = range.getClientRects()[0];
    return !first || first.top >= tip.bottom - 1;
}"""


@pytest.fixture(scope="module")
def server(embedder, tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "history.sqlite3"
    with live_server(make_app(embedder, db)) as url:
        yield url


@pytest.fixture
def practised(server) -> str:
    """The server, with a learner's attempt kept through the JSON API: a page showing progress has
    something to chart whichever tests ran before (or none did)."""
    request = Request(server + "/api/score", method="POST", headers={"Content-Type": "application/json"},
                      data=json.dumps({"question": QUESTION, "depth": DEPTH,
                                       "answer": (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8")}).encode())
    with urlopen(request) as response:
        assert response.status == 200
    return server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A browser page that records every request it makes, and every script error and dialog."""

    def __init__(self, browser, server: str, **options) -> None:
        self.context = browser.new_context(**{"viewport": {"width": 1100, "height": 900}, **options})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        self.server = server

    def off_machine(self) -> list[str]:
        local = urlsplit(self.server).netloc
        return [url for url in self.requests if urlsplit(url).scheme not in ("data", "about")
                and urlsplit(url).netloc != local]


@pytest.fixture
def visit(browser, server):
    opened: list[Visit] = []

    def open_visit(**options) -> Visit:
        opened.append(Visit(browser, server, **options))
        return opened[-1]

    yield open_visit
    for each in opened:
        assert each.off_machine() == [], "a page asked for something off this machine"
        assert each.problems == []
        each.context.close()


def _type_answer(page, text: str) -> None:
    page.fill("#answer", text)
    page.dispatch_event("#answer", "input")


def test_practice_flow_from_questions_to_highlighted_result(visit, server, shots):
    v = visit()
    page = v.page
    page.goto(server + "/")
    assert page.locator("text=What to practise next").count() == 1
    page.click(f'a[href="/practice/{QUESTION}/{DEPTH}"] >> nth=0')
    assert page.url.endswith(f"/practice/{QUESTION}/{DEPTH}")
    first = page.inner_text(".countdown")
    page.wait_for_timeout(1200)
    assert page.inner_text(".countdown") != first  # the time budget counts down

    answer = (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8").strip()
    _type_answer(page, answer)
    page.reload()
    assert page.input_value("#answer") == answer  # the draft survived the reload
    assert page.inner_text(".countdown") != first  # and the clock goes on from when the answer was begun

    page.focus("#answer")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/attempts/*")
    result_url = page.url
    marks = page.locator("mark.ev")
    assert marks.count() >= 1
    marks.first.focus()  # keyboard users see which concept a highlight earned, as hover does
    tip = page.locator("mark.ev + .tip").first
    assert tip.is_visible() and "%" in tip.inner_text() and "[" not in tip.inner_text()
    assert page.evaluate(TIP_LEAVES_THE_NEXT_LINE_VISIBLE)
    assert page.locator("details.model-answer[open]").count() == 0
    page.click("text=Reveal the model answer")
    assert page.locator("details.model-answer[open]").count() == 1
    page.click("text=Reveal the model answer")  # closed again: the screenshot shows the card, not the answer key
    marks.first.focus()  # and which concept a highlight earned
    shot = shots / SCREENSHOT.name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000

    page.goto(server + f"/practice/{QUESTION}/{DEPTH}")
    assert page.input_value("#answer") == ""  # scored, so the draft is gone
    _type_answer(page, "A SECOND DRAFT about generators")
    page.goto(result_url)  # the result opened again later (Back, the address bar): a newer draft stays
    page.goto(server + f"/practice/{QUESTION}/{DEPTH}")
    assert page.input_value("#answer") == "A SECOND DRAFT about generators"
    # ... and so it does when that newer draft was sent and refused (too long, a stale page): the mark
    # the form leaves says when it was sent, after the older attempt on the result page was kept
    name = page.get_attribute("form[data-draft]", "data-draft")
    page.evaluate("name => localStorage.setItem('genco-draft:' + name + ':sent', String(Date.now() + 60000))", name)
    page.goto(result_url)
    page.goto(server + f"/practice/{QUESTION}/{DEPTH}")
    assert page.input_value("#answer") == "A SECOND DRAFT about generators"

    page.focus("#answer")
    page.keyboard.press("Control+Enter")
    page.keyboard.press("Control+Enter")  # a second press while the first is on its way
    page.wait_for_url("**/attempts/*")
    number = int(page.url.split("/attempts/")[1].split("?")[0])
    assert page.request.get(server + f"/attempts/{number + 1}").status == 404  # kept once, not twice


def test_hostile_answer_is_shown_as_text(visit, server):
    page = visit().page
    page.goto(server + f"/practice/{QUESTION}/{DEPTH}")
    _type_answer(page, HOSTILE)
    page.click("text=Score my answer")
    page.wait_for_url("**/attempts/*")
    assert "<script>window.pwned = 1</script>" in page.inner_text(".answer")
    assert page.evaluate("window.pwned") is None
    page.goto(server + "/progress")
    page.wait_for_load_state("load")
    assert page.evaluate("window.pwned") is None


def _send(page, text: str) -> None:
    """Type `text` in the answer box, send it with Ctrl+Enter, and wait for its compact score."""
    _type_answer(page, text)
    page.focus("#answer")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/turn/**")
    assert page.locator("#turn-score").is_visible()


def _flowing(text: str) -> str:
    """Rubric text as a page shows it: its line breaks flowed, its `code` spans without backticks."""
    return " ".join(text.replace("`", "").split())


def _half_answer(page) -> str:
    """What a candidate who knows half of it says to the question or probe on the page: the first half
    of the rubric's model answer, or of the probe's good reply."""
    rubric = find(page.get_attribute("[data-question]", "data-question"))
    if page.locator(".probe").count():
        ask = page.inner_text(".probe")
        text = next(f.good_answer for d in rubric.depths for f in d.follow_ups if _flowing(f.ask) == _flowing(ask))
    else:
        text = rubric.depth(page.get_attribute("[data-question]", "data-depth")).model_answer
    sentences = [s for s in text.replace("\n", " ").split(". ") if s.strip()]
    return ". ".join(sentences[:max(1, (len(sentences) + 1) // 2)])


def test_mock_interview_with_follow_ups_to_the_kept_report(visit, server, shots):
    page = visit().page
    page.goto(server + "/")
    page.click("nav >> text=Interview")
    page.select_option("#count", "2")
    page.select_option("#tag", "generators")
    page.select_option("#depth", "quick")
    page.click("text=Start the interview")
    page.wait_for_url("**/interview/*")
    assert page.locator("h1").inner_text() == "Question 1"
    assert _unlabelled(page) == []
    first = page.inner_text(".countdown")
    page.wait_for_timeout(1200)
    assert page.inner_text(".countdown") != first  # the question's time budget counts down

    answer = HOSTILE + " " + _half_answer(page)
    _type_answer(page, answer)
    page.wait_for_timeout(2500)
    page.reload()
    assert page.input_value("#answer") == answer  # the draft survived the reload
    left = int(page.get_attribute(".countdown", "data-seconds"))
    minutes, seconds = page.inner_text(".countdown").split(":")
    assert left - (int(minutes) * 60 + int(seconds[:2])) <= 1  # the time the server says is left, not 2.5 s less again
    _send(page, answer)
    assert "<script>window.pwned = 1</script>" in page.inner_text(".answer")
    assert page.evaluate("window.pwned") is None
    page.click("#continue")
    assert page.locator("h1").inner_text().startswith("Follow-up on")
    _send(page, _half_answer(page))
    assert page.locator("text=A good reply:").is_visible()
    page.click("#continue")

    assert page.locator("h1").inner_text() == "Question 2"
    kept = "Object.keys(localStorage).filter(k => k.startsWith('genco-draft:interview:')).length"
    assert page.evaluate(kept) == 0  # each draft went once its reply was scored
    for _ in ("answer", "follow-up"):
        _send(page, _half_answer(page))
        page.click("#continue")

    page.wait_for_url("**/interviews/*")
    assert page.locator("#overall").is_visible()
    assert page.locator("table.interview-report tbody tr").count() == 2
    assert page.evaluate("window.pwned") is None
    shot = shots / INTERVIEW_SCREENSHOT.name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the report fits a phone
    first = page.locator("table.interview-report tbody tr").first
    assert first.locator("td").first.bounding_box()["width"] > 300  # one block per question: no squeezed columns
    page.goto(server + "/interviews")
    assert page.locator("table.history th", has_text="when").is_visible()  # the list keeps its dates on a phone
    page.locator("table.history a").first.click()
    page.wait_for_url("**/interviews/*")
    assert page.locator("table.interview-report").is_visible()


def test_progress_page_shows_charts_and_history(visit, practised):
    page = visit(java_script_enabled=False).page  # the report is part of the page: no script sizes it
    page.goto(practised + "/progress")
    report = page.locator("div.report")
    assert report.locator("svg").first.is_visible()
    assert report.locator("text=Score by attempt").first.is_visible()
    page.locator("table.history a").first.click()
    page.wait_for_url("**/attempts/*")
    assert page.locator("text=Concepts").first.is_visible()


def test_interviewer_grades_a_transcript_with_an_override(visit, server):
    page = visit().page
    page.goto(server + "/interviewer")
    page.click(f'a[href="/interviewer/{QUESTION}/{DEPTH}"]')
    page.click("text=The interviewer's sheet")
    sheet = page.locator("div.sheet")
    assert sheet.locator("text=Score bands").first.is_visible()  # the whole sheet, to its last heading
    assert page.evaluate("(e) => e.scrollHeight <= e.clientHeight + 1", sheet.element_handle())  # nothing cut off
    page.fill("#transcript", (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8"))
    page.click("button[value=grade]")
    machine = float(page.inner_text("#grade-score"))
    first = page.locator("table.marks select").first
    first.select_option("covered")
    page.click("button[value=grade]")
    assert page.locator("table.marks select").first.input_value() == "covered"
    marked = float(page.inner_text("#grade-score"))
    assert marked >= machine and page.locator("text=The machine scored").is_visible()
    page.click("button[value=keep]")  # kept, then on to the kept attempt: a reload keeps nothing twice
    assert "/attempts/" in page.url
    assert float(page.inner_text("#score strong")) == marked


def test_phone_width_and_dark_mode(visit, server, phone_shots):
    page = visit(viewport={"width": 375, "height": 740}, color_scheme="dark").page
    for path in ("/", f"/practice/{QUESTION}/{DEPTH}", "/interview", "/interviews", "/progress",
                 f"/interviewer/{QUESTION}/{DEPTH}"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path  # nothing runs off the screen
    page.goto(server + "/interview")
    page.click("text=Start the interview")  # a question of a mock interview
    page.wait_for_url("**/interview/*")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(server + f"/practice/{QUESTION}/{DEPTH}")  # a result, with a highlight's tip open
    _type_answer(page, (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8"))
    page.click("text=Score my answer")
    page.wait_for_url("**/attempts/*")
    page.locator("mark.ev").first.focus()
    assert page.locator("mark.ev + .tip").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(BROKEN_HEADERS) == []
    page.screenshot(path=str(phone_shots / "result.png"), full_page=True)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"


BROKEN_HEADERS = """() => [...document.querySelectorAll('table th')].filter(th => th.offsetParent)
    .filter(th => { const r = document.createRange(); r.selectNodeContents(th);
                    return r.getClientRects().length > th.textContent.trim().split(/\\s+/).length; })
    .map(th => th.textContent)"""
"""Headers with more lines than words: a word broken across lines ("mach/ine")."""


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Where the README's screenshots are written: docs/img when refreshing them, else a temporary folder."""
    return SCREENSHOT.parent if REFRESH_DOCS else tmp_path_factory.mktemp("shots")


@pytest.fixture(scope="module")
def phone_shots(tmp_path_factory):
    """Where the phone-width screenshots go, to look at after a run (pytest's --basetemp)."""
    return tmp_path_factory.mktemp("phone")


def test_interviewer_and_progress_pages_reflow_on_a_phone(visit, server, practised, phone_shots):
    page = visit(viewport={"width": 375, "height": 740}).page
    page.goto(server + f"/interviewer/{QUESTION}/{DEPTH}")
    page.fill("#transcript", (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8"))
    page.click("button[value=grade]")
    page.click("text=The interviewer's sheet")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(BROKEN_HEADERS) == []  # no header word broken across lines
    for select in page.locator("table.marks select").all():
        assert select.bounding_box()["width"] >= 250  # "as marked" is never cut off
    label, select = page.locator("table.marks label").first.bounding_box(), page.locator("table.marks select").first.bounding_box()
    assert select["y"] >= label["y"] + label["height"] - 1  # a concept's cells stack under its name
    page.screenshot(path=str(phone_shots / "interviewer.png"), full_page=True)

    page.goto(server + "/progress")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    chart = page.locator("div.report svg.score-chart").first.bounding_box()
    assert chart["x"] + chart["width"] <= 375  # the chart fits the screen
    page.screenshot(path=str(phone_shots / "progress.png"), full_page=True)


def _unlabelled(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(c => !c.labels || c.labels.length === 0).map(c => c.name)""")


def test_every_control_has_a_label(visit, server):
    page = visit().page
    for path in ("/", f"/practice/{QUESTION}/{DEPTH}", "/interview", f"/interviewer/{QUESTION}/{DEPTH}"):
        page.goto(server + path)
        assert _unlabelled(page) == [], path


@pytest.mark.parametrize("shot", [SCREENSHOT, INTERVIEW_SCREENSHOT], ids=["result", "interview"])
def test_screenshot_is_in_the_readme(shot):
    assert f"({shot.relative_to(ROOT).as_posix()})" in Path(ROOT / "README.md").read_text(encoding="utf-8")
