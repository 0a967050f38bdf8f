"""Open a generated HTML file in headless Chromium and report what a reader would see.

Shared by the report and interviewer-sheet tests so both check pages the same way:
console errors, drawn charts, visible text, and a screenshot for people to look at.
Debian's chromium is installed by `make test` (scripts/install-chromium); Playwright only
drives it, it never downloads a browser of its own.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Without the background-networking flags Chromium keeps dialling out on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageView:
    """What the page showed: errors logged, drawn SVG/canvas elements, and its visible text."""

    console_errors: list[str] = field(default_factory=list)
    drawn_charts: int = 0
    text: str = ""
    html: str = ""


def chromium_path() -> str | None:
    """The system Chromium, or None when this machine has none."""
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


_DRAWN_CHARTS_JS = """() => {
  const svgs = [...document.querySelectorAll('svg')].filter(s => {
    const box = s.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && s.querySelectorAll('rect,path,circle,line,polyline,polygon').length > 0;
  });
  const canvases = [...document.querySelectorAll('canvas')].filter(c => c.width > 0 && c.height > 0);
  return svgs.length + canvases.length;
}"""


def view_page(html_file: Path, screenshot: Path | None = None) -> PageView:
    """Load `html_file` offline in headless Chromium and collect errors, charts and text."""
    from playwright.sync_api import sync_playwright

    view = PageView()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: m.type == "error" and view.console_errors.append(m.text))
            page.on("pageerror", lambda e: view.console_errors.append(str(e)))
            page.route("http*://**", lambda route: _refuse_network(route, view))
            page.goto(html_file.resolve().as_uri())
            page.wait_for_load_state("load")
            view.drawn_charts = page.evaluate(_DRAWN_CHARTS_JS)
            view.text = page.inner_text("body")
            view.html = page.content()
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return view


def _refuse_network(route, view: PageView) -> None:
    """A self-contained page must not fetch anything; record the attempt as an error."""
    view.console_errors.append(f"network request: {route.request.url}")
    route.abort()
