"""The web app's routes and its safety, through Starlette's TestClient (no browser, no network):
the Host check, the CSRF token, the body limit, escaping, and /api/score against the CLI."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest
from cli_helpers import invoke
from starlette.testclient import TestClient
from web_helpers import csrf_of, make_app

from genco_interview.progress import store as history
from genco_interview.progress.recovery import recovery_name, recovery_path
from genco_interview.progress.store import open_history
from genco_interview.rubric import find

from conftest import EXAMPLES

pytestmark = pytest.mark.slow
QUESTION, DEPTH = "coroutine-vs-generator", "quick"
HOSTILE = '<script>alert("x")</script> a generator </textarea><img src=x onerror=alert(1)> yields values'


def _practice(client, answer: str):
    page = client.get(f"/practice/{QUESTION}/{DEPTH}")
    return client.post(f"/practice/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "answer": answer,
                                                                "seconds": "42"})


def test_questions_page_lists_the_bank_and_filters_by_tag(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "What to practise next" in page.text and f"/practice/{QUESTION}/{DEPTH}" in page.text
    tag = client.get("/api/questions").json()[0]["tags"][0]
    tagged = client.get(f"/?tag={tag}")
    assert tagged.status_code == 200 and 'selected' in tagged.text


def test_pages_carry_the_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["evil.example", "attacker.test:80"])
def test_a_foreign_host_header_is_refused(client, host):
    """DNS rebinding: a page whose name resolves to 127.0.0.1 must get nothing."""
    assert client.get("/", headers={"host": host}).status_code == 400
    assert client.get("/", headers={"host": "localhost"}).status_code == 200


def test_a_form_without_its_token_is_refused(client, db):
    for data in ({"answer": "a generator yields <b>"}, {"answer": "a generator yields <b>", "csrf": "0" * 64}):
        refused = client.post(f"/practice/{QUESTION}/{DEPTH}", data=data)
        assert refused.status_code == 403 and "reload the page" in refused.text
        assert "What you typed" in refused.text and "a generator yields &lt;b&gt;" in refused.text  # kept without JavaScript
    assert not db.exists()  # nothing was scored or kept
    assert "What you typed" not in client.post(f"/practice/{QUESTION}/{DEPTH}", data={"answer": " "}).text
    graded = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"candidate": "Ann Lee", "transcript": "It yields.",
                                                                   "note": "strong on basics"})
    assert graded.status_code == 403
    assert all(typed in graded.text for typed in ("Ann Lee", "It yields.", "strong on basics"))


def test_an_oversize_body_is_refused_with_413(client):
    big = "x" * (257 * 1024)
    api = client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": big})
    assert api.status_code == 413 and "256 KiB" in api.json()["error"]
    form = client.post(f"/practice/{QUESTION}/{DEPTH}", data={"answer": big, "csrf": "x"})
    assert form.status_code == 413
    streamed = client.post("/api/score", content=iter([b'{"answer": "', b"x" * 140_000, b"x" * 140_000, b'"}']),
                           headers={"content-type": "application/json"})  # chunked: no Content-Length to go by
    assert streamed.status_code == 413 and "256 KiB" in streamed.json()["error"]


def test_practice_scores_keeps_and_shows_the_result_with_evidence_in_place(client, db):
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    scored = _practice(client, answer)
    assert scored.status_code == 200 and scored.url.path == "/attempts/1"
    assert "<mark class=\"ev ev-" in scored.text and "Reveal the model answer" in scored.text
    assert "Attempt 1 · answered in 0:42 of 2:00 ·" in scored.text  # as the terminal's card says it
    progress = client.get("/progress")
    assert '/attempts/1' in progress.text
    assert client.get("/progress/report").status_code == 200


def test_result_shows_each_concepts_credit_and_only_the_bands_label(client):
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    shown = _practice(client, answer).text
    card = json.loads(client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": answer,
                                                      "save": False}).text)
    rows = re.findall(r"<tr><td>\d+</td>.*?</tr>", shown)
    assert [re.search(r'class="num">(\d+)%<', row).group(1) for row in rows] == [
        str(round(c["score"] * 100)) for c in card["concepts"]]  # the credit, as `genco score` shows it
    assert "similarity" not in shown
    band = find(QUESTION).band(card["score"])
    assert f'<span class="band">{band.label}</span>' in shown
    assert html.escape(band.meaning) not in shown  # written for interviewers: their page keeps it
    assert "[" not in re.search(r'<span class="tip" id="tip-\d+" role="tooltip">([^<]*)</span>', shown).group(1)


def test_what_to_add_on_the_result_page_says_which_concepts_were_said_in_part(client):
    shown = _practice(client, "Both are suspendable functions under the hood. A generator yields many values and "
                              "you drive it with a for loop or next(). A coroutine is awaited; the event loop runs "
                              "it and it produces one result.").text
    adding = shown.split("<h2>What to add</h2>")[1].split("</ul>")[0]
    assert "<strong>Many values vs one result</strong> (said in part: say it fully):" in adding, adding


def test_model_answer_flows_in_paragraphs_with_its_code_spans(client):
    shown = _practice(client, (EXAMPLES / "partial-quick.txt").read_text()).text
    model = shown.split('<div class="prose">')[1].split("</div>")[0]
    assert model.startswith("<p>Both are built") and "<code>async def</code>" in model
    assert "\n" not in model and "`" not in model  # the YAML's wrapping flows; no raw Markdown


def test_progress_page_shows_the_report_inline_with_a_readable_date_and_no_file_path(client, db):
    _practice(client, (EXAMPLES / "partial-quick.txt").read_text())
    for path in ("/progress", "/progress/report"):
        page = client.get(path).text
        assert re.search(r"generated \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC<", page), path
        assert str(db) not in page and db.name not in page, path
    progress = client.get("/progress").text
    assert "<iframe" not in progress and "Score by attempt" in progress
    assert "evenly spaced: hover a point for its date" in progress  # "Score over time" spaced days like minutes


def test_the_progress_report_is_written_off_the_event_loop(client, monkeypatch):
    """Writing the report of 40,000 attempts took seconds on the event loop, and every other page waited."""
    import asyncio

    from genco_interview.web import server

    def off_the_loop(written):
        def write(*args, **kwargs):
            with pytest.raises(RuntimeError):  # no running event loop: a worker thread
                asyncio.get_running_loop()
            return written(*args, **kwargs)
        return write

    for name in ("report_body", "report_html"):
        monkeypatch.setattr(server, name, off_the_loop(getattr(server, name)))
    assert client.get("/progress").status_code == 200 and client.get("/progress/report").status_code == 200


@pytest.mark.parametrize(("path", "section"), [("/interview", "Interview"), ("/interviews", "Interview"),
                                               ("/interviewer", "Interviewer"), ("/", "Questions")])
def test_the_nav_marks_the_section_a_page_is_in(client, path, section):
    assert re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', client.get(path).text) == [section]


def test_a_history_that_cannot_be_written_still_shows_the_result(embedder, tmp_path, capsys):
    client = TestClient(make_app(embedder, tmp_path), base_url="http://127.0.0.1")  # a folder, not a file
    shown = _practice(client, (EXAMPLES / "partial-quick.txt").read_text())
    assert shown.status_code == 200 and "Not kept in your history" in shown.text and '<mark class="ev' in shown.text
    # the page cuts paths; the terminal running the server names the recovery file whole
    recovery = str(recovery_path().parent / recovery_name(tmp_path))
    assert recovery not in shown.text and f"{recovery}" in capsys.readouterr().err


def test_hostile_answer_text_is_escaped_everywhere(client):
    shown = _practice(client, HOSTILE)
    assert "<script>alert" not in shown.text and "&lt;script&gt;" in shown.text
    assert "<img src=x" not in shown.text
    report = client.get("/progress/report").text
    assert "<script>alert" not in report
    graded = client.post(f"/interviewer/{QUESTION}/{DEPTH}",
                         data={"csrf": csrf_of(client.get(f"/interviewer/{QUESTION}/{DEPTH}").text),
                               "transcript": HOSTILE, "candidate": "<b>bold</b>"})
    assert "<script>alert" not in graded.text and "<b>bold</b>" not in graded.text


def test_api_score_prints_what_the_cli_prints(client, embedder, monkeypatch, tmp_path):
    import genco_interview.embedding as embedding

    answer = (EXAMPLES / "partial-quick.txt").read_text()
    api = client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": answer, "save": False})
    assert api.status_code == 200 and api.headers["content-type"].startswith("application/json")
    monkeypatch.setattr(embedding, "load_embedder", lambda *args, **kwargs: embedder)
    cli = invoke("score", QUESTION, "--depth", DEPTH, "--answer", answer, "--format", "json",
                 "--db", str(tmp_path / "cli.sqlite3"))
    assert cli.exit_code == 0, cli.stderr
    assert json.loads(cli.stdout)["attempt"] == 1  # kept; the API's, not kept, is null
    assert api.text == cli.stdout.replace('"attempt": 1', '"attempt": null')
    kept = client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": answer})
    assert kept.json()["attempt"] == 1  # was null whether kept or not
    body = json.dumps({"question": QUESTION, "depth": DEPTH, "answer": answer, "save": False}).encode()
    with_bom = client.post("/api/score", content=b"\xef\xbb\xbf" + body, headers={"content-type": "application/json"})
    assert with_bom.status_code == 200 and with_bom.text == api.text  # a byte order mark, as some editors save
    assert json.loads(api.text)["question"] == QUESTION


def test_api_takes_a_depth_in_capitals_as_the_cli_does(client):
    """`-d QUICK` is the quick depth; "depth": "QUICK" was a 404."""
    scored = client.post("/api/score", json={"question": QUESTION.upper(), "depth": DEPTH.upper(), "answer": "x",
                                             "save": False})
    assert scored.status_code == 200 and scored.json()["depth"] == DEPTH


def test_api_score_saves_unless_told_not_to(client, db):
    client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": "a generator yields"})
    listed = client.get("/progress").text
    assert "/attempts/1" in listed
    client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": "x", "save": False})
    assert "/attempts/2" not in client.get("/progress").text


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"question": "no-such-question", "answer": "x"}, 404, "unknown question"),
    # a path cut to 40 characters, then its folders hidden, read as a mistyped shipped id ("coroutine-vs-ge…")
    ({"question": f"{Path(__file__).parent.parent}/rubrics/{QUESTION}.yaml", "answer": "x"}, 404,
     f"'{QUESTION}.yaml' is a rubric file's path"),
    ({"question": str(Path(__file__)), "answer": "x"}, 404, "is a file's path, and not a rubric's (*.yaml)"),
    ({"question": QUESTION, "depth": "nope", "answer": "x"}, 404, "unknown depth"),
    ({"question": QUESTION}, 400, '"answer"'),
    ({"question": 3, "answer": "x"}, 400, "must be text"),
    ([1, 2], 400, '"answer"'),
    ({"answer": "x", "Answer": "y"}, 400, "unknown field 'Answer'; did you mean 'answer'?"),  # "y" counted for nothing
    ({"answer": "x", "deph": "deep"}, 400, "unknown field 'deph'; did you mean 'depth'?"),  # scored at the first depth
    ({"Answer": "x"}, 400, "unknown field 'Answer'; did you mean 'answer'?"),  # the generic "send answer" said no more
])
def test_api_errors_are_one_line_json(client, body, status, words):
    refused = client.post("/api/score", json=body)
    assert refused.status_code == status
    assert words in refused.json()["error"] and "\n" not in refused.json()["error"]


def test_api_wants_json_content(client):
    """A cross-site form can post text/plain without a preflight; the API takes only JSON."""
    refused = client.post("/api/score", content=b'{"answer": "x"}', headers={"content-type": "text/plain"})
    assert refused.status_code == 415
    broken = client.post("/api/score", content=b"{", headers={"content-type": "application/json"})
    assert broken.status_code == 400 and "not JSON" in broken.json()["error"]


def test_a_kept_uncertain_result_not_in_english_says_that_is_why(db):
    """Not "its signals disagree" (no model needed: the page shows a kept card)."""
    from dataclasses import replace

    from genco_interview.card import UNCERTAIN_NOTE
    from genco_interview.progress.attempt import attempt_from_card
    from genco_interview.scoring.scorer import NOT_ENGLISH_NOTE  # the note the scorer writes

    from history_helpers import make_card

    card = replace(make_card(), notes=[NOT_ENGLISH_NOTE, UNCERTAIN_NOTE], uncertain=True, confidence=0.0)
    history.store(str(db), [attempt_from_card(card, "Les générateurs produisent des valeurs.")])
    page = TestClient(make_app(None, db), base_url="http://127.0.0.1").get("/attempts/1")
    assert page.status_code == 200
    said = " ".join(re.sub(r"<[^>]+>", "", html.unescape(page.text)).split())
    assert "The scorer is unsure of this score: this answer does not read as English" in said
    assert "disagree" not in said


def test_without_scripts_the_practice_page_claims_no_running_clock_or_kept_draft(client):
    """"time left: 2:00" never moved, and "Your draft is kept in this browser" was untrue, in a browser without
    scripts; genco.js shows them (its browser test sees the clock run)."""
    page = client.get(f"/practice/{QUESTION}/{DEPTH}").text
    assert "Time budget: 2 min<span data-needs-script hidden> ·" in page
    assert '<p id="answer-help" class="meta" data-needs-script hidden>Your draft is kept' in page


def test_a_contradicted_concepts_evidence_is_labelled_as_the_terminal_labels_it(db):
    """The sentence that reads against a concept stood in the evidence column as though it earned it."""
    from dataclasses import replace

    from genco_interview.progress.attempt import attempt_from_card

    from history_helpers import make_card

    card = make_card(scores={"shared_mechanism": 0.9, "driver": 0.1, "one_vs_many": 0.9})
    card = replace(card, concepts=[replace(c, status="contradicted", evidence="A for loop drives a coroutine.")
                                   if c.id == "driver" else c for c in card.concepts])
    history.store(str(db), [attempt_from_card(card, "A for loop drives a coroutine.")])
    page = TestClient(make_app(None, db), base_url="http://127.0.0.1").get("/attempts/1")
    said = " ".join(re.sub(r"<[^>]+>", "", html.unescape(page.text)).split())
    assert "contradicts it: A for loop drives a coroutine." in said
    # a tab of its own: every result page was titled "Result · genco"
    assert "<title>Attempt 1 · Coroutines vs generators in Python · quick · genco</title>" in page.text
    assert said.count("contradicts it:") == 1  # the covered concepts' evidence is not labelled


def test_a_kept_middling_result_with_every_concept_covered_says_what_would_lift_it(db):
    """No model needed: the page shows a kept card, every mark covered, the score under good."""
    from dataclasses import replace

    from genco_interview.card import FULLER_HINT
    from genco_interview.progress.attempt import attempt_from_card

    from history_helpers import make_card

    card = replace(make_card(scores={"shared_mechanism": 0.8, "driver": 0.85, "one_vs_many": 0.8}), score=56.0)
    history.store(str(db), [attempt_from_card(card, "An answer that touches every concept briefly.")])
    page = TestClient(make_app(None, db), base_url="http://127.0.0.1").get("/attempts/1")
    said = " ".join(re.sub(r"<[^>]+>", "", html.unescape(page.text)).split())
    assert "What to add" in said and FULLER_HINT in said


@pytest.mark.parametrize("path", ["/practice/coroutine-vs-generator/quick", "/interview",
                                  "/interviewer/coroutine-vs-generator/quick", "/"])
def test_head_reads_a_page_as_get_does(db, path: str) -> None:
    """A page with a form read HEAD as a post of that form: 403, where GET is 200."""
    client = TestClient(make_app(None, db), base_url="http://127.0.0.1")
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200 and head.text == ""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_unknown_pages_and_attempts_are_404_pages(client, tmp_path, monkeypatch):
    assert client.get("/practice/no-such-question/quick").status_code == 404
    from genco_interview.rubric import find

    monkeypatch.chdir(tmp_path)  # a rubric file in the server's folder is no question of the web app's
    (tmp_path / "mine.yaml").write_text(Path(find(QUESTION).path).read_text(encoding="utf-8"), encoding="utf-8")
    assert client.get("/practice/mine.yaml/quick").status_code == 404
    missing = client.get("/attempts/99")  # in the app's words: it named `genco history` and the history's file
    assert missing.status_code == 404 and "no attempt &#39;99&#39; in the history; Progress lists" in missing.text
    assert "genco history" not in missing.text and "sqlite3" not in missing.text
    report = client.get("/interviews/abc")
    assert report.status_code == 404 and "Interview lists the reports kept" in report.text
    assert "genco interview" not in report.text


def test_interviewer_grades_with_an_override_beside_the_machine_mark(client, embedder, db):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    assert page.status_code == 200 and "/sheet" in page.text
    concept = page.text.split('name="override-', 1)[1].split('"', 1)[0]
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    plain = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "transcript": answer})
    marked = {"csrf": csrf_of(page.text), "transcript": answer, f"override-{concept}": "covered"}
    over = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data=marked)
    assert plain.status_code == over.status_code == 200
    assert "The machine scored" in over.text and '<option value="covered" selected>' in over.text
    assert _score(over.text) > _score(plain.text)  # a concept marked covered by the interviewer earns its credit
    kept = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**marked, "action": "keep"})
    assert kept.url.path == "/attempts/1" and f'{_score(over.text):g}' in kept.text
    assert client.get(f"/interviewer/{QUESTION}/{DEPTH}/sheet").text.startswith("<!DOCTYPE html>")
    band = find(QUESTION).band(_score(plain.text))
    assert html.escape(band.meaning) in plain.text  # the interviewer reads what the band means


def test_interviewer_page_shows_the_whole_sheet_inline_and_switches_depth(client):
    rubric = find(QUESTION)
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}").text
    assert "<iframe" not in page and '<section class="depth" id="depth-quick">' in page and "Checklist" in page
    for depth in rubric.depths:
        if depth.name != DEPTH:
            assert f'href="/interviewer/{QUESTION}/{depth.name}"' in page
    assert '<strong aria-current="page">quick</strong>' in page


def _score(page: str) -> float:
    return float(page.split('id="grade-score">', 1)[1].split("<", 1)[0])


def test_serve_is_listed_and_importing_the_cli_loads_no_web_library():
    import subprocess

    code = ("import sys, genco_interview.cli; "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert "serve" in invoke("--help").stdout


@pytest.fixture
def served(monkeypatch, embedder):
    """`genco serve` with the session's model and without serving forever or opening a browser:
    records the app and socket it would serve, and the addresses it would open."""
    import genco_interview.embedding as embedding
    import genco_interview.web.server as server

    seen: dict[str, list] = {"run": [], "opened": []}
    monkeypatch.setattr(embedding, "load_embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setattr(server, "run", lambda app, sock: (seen["run"].append(sock.getsockname()), sock.close()))
    monkeypatch.setattr("webbrowser.open", lambda url: seen["opened"].append(url))
    monkeypatch.setenv("DISPLAY", ":0")
    return seen


def test_serve_loads_the_model_then_serves_on_loopback_and_opens_the_browser(served):
    result = invoke("serve")
    assert result.exit_code == 0, result.stderr
    (host, port), = served["run"]
    assert host == "127.0.0.1" and port > 0  # a free port
    assert result.stderr.index("Loading the model") < result.stderr.index(f"http://127.0.0.1:{port}/")
    assert served["opened"] == [f"http://127.0.0.1:{port}/"] and "Warning" not in result.stderr


def test_serve_warns_off_loopback_and_can_leave_the_browser_closed(served):
    result = invoke("serve", "--host", "0.0.0.0", "--no-browser")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Warning: listening on 0.0.0.0") and served["opened"] == []


def test_serve_on_an_address_it_cannot_use_says_only_that(served):
    """The warning that the network can reach genco came before the error that it listens nowhere."""
    result = invoke("serve", "--host", "999.1.1.1", "--no-browser")
    assert result.exit_code == 1 and "Warning" not in result.stderr
    assert result.stderr.strip().startswith("genco serve: cannot listen on 999.1.1.1:") and served["run"] == []


def test_serve_opens_no_text_browser_without_a_display(served, monkeypatch):
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = invoke("serve")
    assert result.exit_code == 0 and "serving at http://127.0.0.1:" in result.stderr
    assert served["opened"] == [] or not sys.platform.startswith("linux")


def test_serve_on_a_port_in_use_says_so_and_exits_1(served):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = invoke("serve", "--port", str(port), "--no-browser")
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().endswith(f"port {port} is in use; choose another with --port, or omit it for a free one")
    assert "--help" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and served["run"] == []


@pytest.mark.parametrize("page", ["practice", "interviewer"])
def test_a_question_without_a_depth_goes_to_its_first(client, page):
    sent = client.get(f"/{page}/{QUESTION}", follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == f"/{page}/{QUESTION}/quick"
    assert client.get(f"/{page}/no-such-question", follow_redirects=False).status_code == 404


def test_a_kept_grade_shows_its_candidate_and_note_on_the_attempt_page(client, db):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "transcript": answer,
                                                          "candidate": "<b>Ann</b>", "note": "calm", "action": "keep"})
    shown = client.get("/attempts/1").text
    assert "<strong>Graded:</strong> &lt;b&gt;Ann&lt;/b&gt;" in shown and "<strong>Note:</strong> calm" in shown
    assert "<td>candidate: &lt;b&gt;Ann&lt;/b&gt;</td>" in client.get("/progress").text  # as `genco history` lists it


def test_a_kept_grade_shows_the_machines_mark_beside_the_interviewers_and_no_learner_buttons(client, db):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "transcript": answer,
                                                          "override-driver": "covered", "action": "keep"})
    shown = client.get("/attempts/1").text
    assert "machine&#39;s mark" in shown or "machine's mark" in shown
    assert "Try again" not in shown
    assert "<h2>What they missed</h2>" in shown and "What to add" not in shown  # no advice to the learner
    assert "say it fully" not in shown and "say it as it is" not in shown


def test_the_interviewer_page_lists_the_red_flags_it_heard(client):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    wrong = "Coroutines run in separate threads, so they execute in parallel on several cores."
    graded = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "transcript": wrong})
    assert "Red flags heard" in graded.text and "They said" in graded.text


def test_the_interviewer_dismisses_the_red_flags_and_the_kept_attempt_says_so(client, db):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    wrong = "Coroutines run in separate threads, so they execute in parallel on several cores."
    form = {"csrf": csrf_of(page.text), "transcript": wrong}
    heard = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data=form)
    dismissed = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "dismiss-red-flags": "1"})
    assert "Red flags heard (dismissed by you)" in dismissed.text and "The machine scored" in dismissed.text
    assert 'name="dismiss-red-flags" value="1" checked' in dismissed.text
    assert _score(dismissed.text) > _score(heard.text)
    kept = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "dismiss-red-flags": "1", "action": "keep"})
    assert "dismissed the machine&#39;s red flags" in kept.text or "dismissed the machine's red flags" in kept.text
    compared = client.get("/interviewer").text  # as `genco candidates` says it: the bare 0 hid the dismissal
    assert re.search(r'<td class="num">0 \(\d+ dismissed\)</td>', compared), compared


def _attribute(name, html):
    return re.search(f'{name}="([^"]*)"', html).group(1)


def test_only_the_page_a_submission_lands_on_clears_its_draft(client):
    kept = _attribute("data-draft", client.get(f"/practice/{QUESTION}/{DEPTH}").text)
    landed = _practice(client, (EXAMPLES / "partial-quick.txt").read_text())
    assert landed.url.query == b"scored=1" or str(landed.url).endswith("?scored=1")
    assert _attribute("data-clear-draft", landed.text) == kept == f"{QUESTION}:{DEPTH}"
    assert "data-clear-draft" not in client.get("/attempts/1").text  # an old attempt opened later keeps the draft


def test_a_kept_transcript_clears_the_interviewers_draft_not_the_learners(client):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    kept = _attribute("data-draft", page.text)
    landed = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={
        "csrf": csrf_of(page.text), "transcript": (EXAMPLES / "partial-quick.txt").read_text(), "action": "keep"})
    assert _attribute("data-clear-draft", landed.text) == kept != f"{QUESTION}:{DEPTH}"


@pytest.mark.parametrize("answer", ["  \n ", "\u0000\u0001", "\u2800\u2800", "\u0301\ufe0f", "..."],
                         ids=["blank", "controls", "braille-blank", "marks", "punctuation"])
def test_an_empty_answer_sent_to_the_api_is_scored_but_not_kept(client, db, answer):
    """Not one letter or digit: nothing to score, never a 0 in the history."""
    response = client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": answer})
    assert response.status_code == 200 and response.json()["score"] == 0
    client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": "A generator yields values."})
    with open_history(db, create=False) as store:
        assert [a.answer for a in store.attempts(evidence=False)] == ["A generator yields values."]


def test_an_empty_answer_is_asked_again_not_kept(client, db):
    page = client.get(f"/practice/{QUESTION}/{DEPTH}")
    for answer, said in (("  \n ", "The answer is empty:"), ("\u2800\u2800", "The answer has no words"),
                         ("\x01\x07", "The answer has no words"),  # only blanks: no talk of another speaker
                         ("https://x.org/a", "The answer only points to a page")):
        empty = client.post(f"/practice/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "answer": answer})
        assert empty.status_code == 400 and said in empty.text
    assert not db.exists()
    transcript = client.post(f"/interviewer/{QUESTION}/{DEPTH}",
                             data={"csrf": csrf_of(page.text), "transcript": " ", "action": "keep"})
    assert transcript.status_code == 400 and "The transcript has no words from the candidate" in transcript.text
    named = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "action": "keep",
                                                                   "transcript": "A generator yields.", "candidate": "A" * 201})
    assert named.status_code == 400 and "The candidate&#39;s name is 201 characters" in named.text
    assert 'maxlength="200"' in client.get(f"/interviewer/{QUESTION}/{DEPTH}").text


def test_an_answer_with_only_another_speakers_lines_comes_back_in_the_box(client, db):
    """Sent back with no words of the learner's, the box came back empty: without scripts, no draft kept it."""
    page = client.get(f"/practice/{QUESTION}/{DEPTH}")
    typed = "Bob (interviewer): What is the <difference>?\nAnswer (the interviewer's):"
    refused = client.post(f"/practice/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "answer": typed})
    assert refused.status_code == 400 and "only another speaker&#39;s lines" in refused.text
    assert ">Bob (interviewer): What is the &lt;difference&gt;?\nAnswer (the interviewer&#39;s):</textarea>" in refused.text
    assert not db.exists()


def test_the_api_takes_a_media_type_in_any_case(client):
    sent = client.post("/api/score", content=b'{"answer": "a generator yields", "save": false}',
                       headers={"content-type": "Application/JSON"})
    assert sent.status_code == 200


def test_the_history_is_written_off_the_event_loop(client, monkeypatch):
    """A history locked by another process makes a write wait up to its busy timeout: that wait must
    hold up only the request that writes, so every save runs in a worker thread, not on the loop."""
    import asyncio

    from genco_interview.app.workbench import Workbench

    on_loop: list[bool] = []
    save, keep = Workbench.save, Workbench.keep_grade

    def running_loop() -> bool:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        return True

    def watched_save(self, *args, **kwargs):
        on_loop.append(running_loop())
        return save(self, *args, **kwargs)

    def watched_keep(self, *args, **kwargs):
        on_loop.append(running_loop())
        return keep(self, *args, **kwargs)

    monkeypatch.setattr(Workbench, "save", watched_save)
    monkeypatch.setattr(Workbench, "keep_grade", watched_keep)
    assert _practice(client, "A generator yields values to a for loop.").status_code == 200
    scored = client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": "Coroutines are awaited."})
    assert scored.status_code == 200
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    kept = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "action": "keep",
                                                                 "transcript": "A generator yields values."})
    assert kept.status_code == 200
    assert on_loop == [False, False, False]


def test_control_characters_kept_in_a_name_are_not_printed_into_pages(client):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    kept = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={
        "csrf": csrf_of(page.text), "action": "keep", "candidate": "Ann\x1b[2J Lee\x00",
        "transcript": "A generator yields values.\x07"})
    assert kept.status_code == 200, kept.text
    for shown in (kept.text, client.get("/progress").text):
        assert "Ann Lee" in shown  # the name is shown, its escape sequences and control characters are gone
        assert not any(ch in shown for ch in "\x1b\x00\x07")


def test_serve_with_a_folder_as_its_history_says_so_before_it_serves(served, tmp_path):
    """It served, and every page that reads the history answered 503."""
    result = invoke("serve", "--db", str(tmp_path), "--no-browser")
    assert result.exit_code == 1 and served["run"] == []
    assert result.stderr.strip() == (f"genco serve: history file {tmp_path} is a directory; --db takes a history file, "
                                     f"such as {tmp_path / 'history.sqlite3'}")


def test_serve_with_a_history_it_cannot_read_serves_without_it_and_says_why(served, tmp_path):
    """A history from a newer genco (or a damaged one) stopped the server, though the bank and practice work
    without it and the pages that need it say why: a learner could not even practise in the browser."""
    import sqlite3

    newer = tmp_path / "history.sqlite3"
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    result = invoke("serve", "--db", str(newer), "--no-browser")
    assert result.exit_code == 0 and len(served["run"]) == 1, result.stderr
    assert "genco serve: warning: history file" in result.stderr and "from a newer genco" in result.stderr


def test_serve_with_a_file_that_is_no_history_says_so_before_it_serves(served, tmp_path):
    """A --db that names some other file (notes, say) started serving, then answered 503 on every page."""
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, but some notes\n" * 200)
    result = invoke("serve", "--db", str(notes), "--no-browser")
    assert result.exit_code == 1 and served["run"] == []
    assert "is not a history file (not an SQLite database)" in result.stderr and notes.read_text().startswith("not a database")


def test_the_interviewer_page_compares_the_candidates_graded(client, db):
    """As `genco candidates` does: each candidate's latest grade, best first, each name kept as text."""
    from history_helpers import make_attempt

    strong = {"shared_mechanism": 0.9, "driver": 0.9, "one_vs_many": 0.9}
    with open_history(db) as store:
        store.add([make_attempt(0, source="interviewer", candidate="Bo Chen"),
                   make_attempt(1, scores=strong, source="interviewer", candidate='<img src=x onerror="alert(1)">'),
                   make_attempt(2, scores=strong)])  # the learner's own: no candidate
    page = client.get("/interviewer").text
    table = page[page.index('id="candidates"'):]
    assert '<img src=x' not in table and "&lt;img src=x" in table
    assert table.index("&lt;img") < table.index("Bo Chen")  # best score first
    assert '<a href="/attempts/2">#2</a>' in table and "/attempts/3" not in table
    assert "1 Shared suspension mechanism · 2 Who drives it" in table
    assert "✓ covered · ~ partial" in table and "graded twice" not in table  # `genco candidates`' legend: none is


def test_the_progress_history_marks_an_uncertain_score_and_names_who_only_beside_a_candidate(client, db):
    """As `genco history` lists them: "48.7?" with the legend under it, and a "who" column only when an interviewer
    attempt is listed (the web page showed a bare 48.7, and "learner" on every row)."""
    from dataclasses import replace

    from history_helpers import make_attempt

    with open_history(db) as store:
        store.add([replace(make_attempt(0), notes=["uncertain: have a person check"]), make_attempt(1)])
    page = client.get("/progress").text
    table = page[page.index('<table class="history">'):]
    assert '<abbr title="uncertain: have a person check">?</abbr>' in table and "? after a score" in table
    assert ">who<" not in table and "<td>learner</td>" not in table
    with open_history(db) as store:
        store.add([make_attempt(2, source="interviewer", candidate="Bo Chen")])
    table = client.get("/progress").text.split('<table class="history">')[1]
    assert ">who<" in table and "<td>learner</td>" in table and "<td>candidate: Bo Chen</td>" in table


def test_the_interviewer_page_stands_without_a_readable_history(client, db):
    db.write_bytes(b"not a history, just bytes" * 100)
    page = client.get("/interviewer")
    assert page.status_code == 200 and "cannot be compared" in page.text and "/interviewer/" in page.text
    assert "None yet" not in page.text


def test_the_grading_page_says_whose_lines_it_scored_before_the_grade_is_kept(client):
    """The terminal said "Priya: were scored as the candidate's"; the page showed the score alone."""
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    transcript = "Dana: A generator is pulled by next; the loop drives a coroutine. Do you agree?\r\nPriya: Yes, that's right."
    graded = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "transcript": transcript})
    assert graded.status_code == 200
    assert "Note: the lines labelled Priya: were scored as the candidate&#39;s, and Dana:" in graded.text


def test_a_regrade_kept_on_the_web_says_which_grade_it_replaced(client, db):
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    form = {"csrf": csrf_of(page.text), "transcript": "A generator yields values.\r\nThe loop drives coroutines.",
            "candidate": "Ann Lee", "action": "keep"}
    first = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data=form)
    again = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "note": "asked twice"})
    assert first.url.path == "/attempts/1" and "replaces" not in first.text
    assert again.url.path == "/attempts/2" and "This grade replaces attempt 1: the same transcript graded before." in again.text
    assert client.get("/attempts/1").url.path == "/attempts/2"  # an old link opens the grade that replaced it
    assert "attempt 5" not in client.get("/attempts/2?replaced=5&scored=1").text  # said by the grade, not the address
    assert 'href="/interviewer#candidates"' in again.text and 'href="/progress">your progress' not in again.text
    scored_at = int(re.search(r'data-scored-at="(\d+)"', again.text).group(1))
    assert scored_at > int(re.search(r'data-scored-at="(\d+)"', first.text).group(1))  # clears the draft typed since


def test_a_link_made_elsewhere_cannot_say_its_attempt_was_kept_later(client, db):
    """A link's "at" made an old attempt's page clear the draft typed since: only the server's own sealed time counts."""
    page = client.get(f"/practice/{QUESTION}/{DEPTH}")
    client.post(f"/practice/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "answer": "A generator yields."})
    kept_at = int(re.search(r'data-scored-at="(\d+)"', client.get("/attempts/1?scored=1").text).group(1))
    later = kept_at + 86_400_000
    for query in (f"at={later}", f"at={later}&seal={'0' * 64}"):
        crafted = client.get(f"/attempts/1?scored=1&{query}").text
        assert int(re.search(r'data-scored-at="(\d+)"', crafted).group(1)) == kept_at, query


def test_a_kept_pages_time_parameter_that_is_no_number_is_left_alone(client, db):
    """"²" is a digit to str.isdigit and no number to int(): the page was a server error."""
    page = client.get(f"/practice/{QUESTION}/{DEPTH}")
    client.post(f"/practice/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "answer": "A generator yields."})
    for at in ("²", "١٢", "12x", ""):
        assert client.get(f"/attempts/1?scored=1&at={at}").status_code == 200, at


@pytest.mark.parametrize(("raw", "seconds"), [("42", 42.0), ("12.5", 12.5), ("\u0663", None), ("1_0", None),
                                              ("nan", None), ("-1", None), ("", None), (None, None)])
def test_a_practice_time_is_read_only_as_the_page_writes_it(raw, seconds):
    """"٣" (an Arabic-Indic three) was kept as 3 seconds, though a query's non-ASCII digits are ignored."""
    from genco_interview.web.server import _seconds

    assert _seconds(raw) == seconds


def test_a_regrade_on_the_web_shows_the_earlier_marks_and_note_that_stand(client, db):
    """Graded again with nothing of the interviewer's, the grade keeps the earlier override and note (the score
    said 68 beside a machine's 53), but the form showed every mark "as marked" and an empty note."""
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    form = {"csrf": csrf_of(page.text), "transcript": "A generator yields values.\r\nThe loop drives coroutines.",
            "candidate": "Ann Lee", "action": "keep"}
    client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "override-driver": "covered", "note": "solid"})
    again = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={k: v for k, v in form.items() if k != "action"})
    assert again.status_code == 200 and "stand; the form holds them, and what it sends is the whole judgement" in again.text
    assert re.search(r'<select id="override-driver"[^>]*>.*?<option value="covered" selected>', again.text, re.S)
    assert re.search(r'<textarea id="note" name="note"[^>]*>solid</textarea>', again.text)  # a note of several lines
    assert "--override" not in again.text
    blank = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**{k: v for k, v in form.items() if k != "action"},
                                                                 "candidate": " \u200b "})
    assert "stand; the form holds them, and what it sends is the whole judgement" in blank.text  # a blank name is no name
    note = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**{k: v for k, v in form.items() if k != "action"},
                                                                "note": "\r\n "})
    assert "stand; the form holds them, and what it sends is the whole judgement" in note.text  # and a blank note no note


def test_a_regrade_whose_form_showed_the_earlier_judgement_can_clear_it(client, db):
    """With the earlier grade's override and note shown in the form, every mark set back to "as marked", the
    note emptied and the grade kept: the earlier override and note came back, and nothing said so."""
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    form = {"csrf": csrf_of(page.text), "transcript": "A generator yields values.\nThe loop drives coroutines.",
            "candidate": "Ann Lee", "action": "keep"}
    client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "override-driver": "covered", "note": "solid"})
    shown = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={k: v for k, v in form.items() if k != "action"})
    (number,) = re.findall(r'<input type="hidden" name="shown-judgement" value="(\d+)">', shown.text)
    cleared = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "override-driver": "", "note": "",
                                                                   "shown-judgement": number}, follow_redirects=False)
    assert cleared.status_code == 303
    with open_history(db, create=False) as store:
        (kept,) = store.attempts(evidence=False, source="interviewer")
    assert not kept.grade.get("overrides") and kept.grade.get("note") is None


def test_a_form_showing_a_grade_replaced_since_is_not_kept_and_keeps_what_it_holds(client, db):
    """The form showed grade 1's judgement; another window kept a mark and a note meanwhile (grade 2); keeping
    the form then threw them away, unsaid (and added to them instead, what the form took away came back)."""
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    form = {"csrf": csrf_of(page.text), "transcript": "A generator yields values.\nThe loop drives coroutines.",
            "candidate": "Ann Lee", "action": "keep"}
    client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "note": "first"})
    shown = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={k: v for k, v in form.items() if k != "action"})
    (number,) = re.findall(r'<input type="hidden" name="shown-judgement" value="(\d+)">', shown.text)
    client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "note": "first\nother window",
                                                         "override-one_vs_many": "missing", "shown-judgement": number})
    stale = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "note": "first\nthis window",
                                                                 "override-driver": "covered", "shown-judgement": number},
                        follow_redirects=False)
    assert stale.status_code == 409 and "Not kept: this transcript&#39;s grade was kept again" in stale.text
    assert ">first\nthis window</textarea>" in stale.text  # what the form held is still there to keep
    with open_history(db, create=False) as store:
        (kept,) = store.attempts(evidence=False, source="interviewer")
    assert kept.grade["overrides"] == {"one_vs_many": "missing"} and kept.grade["note"] == "first\nother window"
    (now,) = re.findall(r'<input type="hidden" name="shown-judgement" value="(\d+)">', stale.text)
    again = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={**form, "note": "first\nthis window",
                                                                 "override-driver": "covered", "shown-judgement": now},
                        follow_redirects=False)
    assert again.status_code == 303
    with open_history(db, create=False) as store:
        (kept,) = store.attempts(evidence=False, source="interviewer")
    assert kept.grade["overrides"] == {"driver": "covered"} and kept.grade["note"] == "first\nthis window"
