"""`genco serve` in a real browser: the system Chromium, driven by Playwright, against uvicorn
serving the app in a thread with the session's real model.

Walks what a learner and an interviewer do (questions, practice, result, progress, grading),
checks that hostile text in an answer stays text, that a draft survives a reload, and that
no page asks for anything off this machine. Saves the README's screenshot of a result.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from web_helpers import live_server, make_app

from browser import CHROMIUM_ARGS, chromium_path
from conftest import EXAMPLES, ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="make test installs chromium (scripts/install-chromium)")]
QUESTION, DEPTH = "coroutine-vs-generator", "quick"
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> a generator yields values'
SCREENSHOT = ROOT / "docs" / "img" / "practice-result.png"


@pytest.fixture(scope="module")
def server(embedder, tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "history.sqlite3"
    with live_server(make_app(embedder, db)) as url:
        yield url


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


def test_practice_flow_from_questions_to_highlighted_result(visit, server):
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

    page.focus("#answer")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/attempts/*")
    marks = page.locator("mark.ev")
    assert marks.count() >= 1
    marks.first.focus()  # keyboard users see which concept a highlight earned, as hover does
    tip = marks.first.locator(".tip")
    assert tip.is_visible() and "similarity" in tip.inner_text()
    assert page.locator("details.model-answer[open]").count() == 0
    page.click("text=Reveal the model answer")
    assert page.locator("details.model-answer[open]").count() == 1
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.click("text=Reveal the model answer")  # closed again: the screenshot shows the card, not the answer key
    marks.first.focus()  # and which concept a highlight earned
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 20_000

    page.goto(server + f"/practice/{QUESTION}/{DEPTH}")
    assert page.input_value("#answer") == ""  # scored, so the draft is gone


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


def test_progress_page_shows_charts_and_history(visit, server):
    page = visit().page
    page.goto(server + "/progress")
    page.wait_for_load_state("load")
    report = page.frame_locator("iframe.report")
    assert report.locator("svg").first.is_visible()
    assert report.locator("text=Score over time").first.is_visible()
    page.locator("table.history a").first.click()
    page.wait_for_url("**/attempts/*")
    assert page.locator("text=Concepts").first.is_visible()


def test_interviewer_grades_a_transcript_with_an_override(visit, server):
    page = visit().page
    page.goto(server + "/interviewer")
    page.click(f'a[href="/interviewer/{QUESTION}/{DEPTH}"]')
    page.click("text=The interviewer's sheet")
    assert page.frame_locator("iframe.sheet").locator("text=Checklist").first.is_visible()
    page.fill("#transcript", (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8"))
    page.click("button[value=grade]")
    machine = float(page.inner_text("#grade-score"))
    first = page.locator("table.marks select").first
    first.select_option("covered")
    page.click("button[value=keep]")
    assert page.locator("text=Kept as attempt").is_visible()
    assert page.locator("table.marks select").first.input_value() == "covered"
    assert float(page.inner_text("#grade-score")) >= machine
    assert page.locator("text=The machine scored").is_visible()


def test_phone_width_and_dark_mode(visit, server):
    page = visit(viewport={"width": 375, "height": 740}, color_scheme="dark").page
    for path in ("/", f"/practice/{QUESTION}/{DEPTH}", "/progress", f"/interviewer/{QUESTION}/{DEPTH}"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path  # nothing runs off the screen
    page.goto(server + f"/practice/{QUESTION}/{DEPTH}")  # a result, with a highlight's tip open
    _type_answer(page, (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8"))
    page.click("text=Score my answer")
    page.wait_for_url("**/attempts/*")
    page.locator("mark.ev").first.focus()
    assert page.locator("mark.ev .tip").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"


def test_every_control_has_a_label(visit, server):
    page = visit().page
    for path in ("/", f"/practice/{QUESTION}/{DEPTH}", f"/interviewer/{QUESTION}/{DEPTH}"):
        page.goto(server + path)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(c => !c.labels || c.labels.length === 0).map(c => c.name)""")
        assert unlabelled == [], path


def test_screenshot_is_in_the_readme():
    assert f"({SCREENSHOT.relative_to(ROOT).as_posix()})" in Path(ROOT / "README.md").read_text(encoding="utf-8")
