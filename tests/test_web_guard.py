"""The web app's edges under hostile or broken input: Host headers for every kind of bind,
error responses (headers, JSON on the API, a page for a form), bodies that break a JSON
parser, a corrupt history file, hand-made interviewer posts, and `genco serve --host ''`.
Everything that needs no scoring uses a stand-in embedder; scoring uses the session's model."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from cli_helpers import invoke
from starlette.testclient import TestClient
from web_helpers import csrf_of, make_app

from genco_interview.web.guard import HEADERS

from conftest import EXAMPLES

QUESTION, DEPTH = "coroutine-vs-generator", "quick"


class NoModel:
    """An embedder no test here may reach: these pages never score."""


def _client(tmp_path, host: str = "127.0.0.1", db: str = "history.sqlite3") -> TestClient:
    return TestClient(make_app(NoModel(), tmp_path / db, host=host), base_url="http://127.0.0.1",
                      raise_server_exceptions=False)


@pytest.mark.parametrize(("bind", "served", "refused"), [
    ("::1", ["[::1]:8765", "[::1]", "localhost:8765", "127.0.0.1"], ["evil.example", "::1"]),
    ("127.0.0.1", ["[::1]:8765", "127.0.0.1:8765", "LOCALHOST"], ["192.0.2.2:8765", "[::1", "evil.example"]),
    ("2001:db8::5", ["[2001:db8::5]:8765", "[2001:DB8::5]", "192.0.2.2", "[2001:db8::9]"], ["evil.example:8765"]),
    ("0.0.0.0", ["192.0.2.2:8765", "[2001:db8::1]:8765", "localhost"], ["evil.example", "1.2.3:8765", "rebind.test"]),
])
def test_the_host_header_names_the_bind_or_off_loopback_is_an_address(tmp_path, bind, served, refused):
    """IPv6 binds answer their bracketed address; off loopback any IP literal is served (DNS
    rebinding needs a name); a name that is not this machine's is refused everywhere."""
    client = _client(tmp_path, bind)
    for host in served:
        assert client.get("/api/questions", headers={"host": host}).status_code == 200, host
    for host in refused:
        assert client.get("/api/questions", headers={"host": host}).status_code == 400, host


def test_a_foreign_host_is_json_on_the_api_and_a_page_elsewhere_both_with_the_headers(tmp_path):
    client = _client(tmp_path)
    api = client.get("/api/questions", headers={"host": "evil.example"})
    assert api.status_code == 400 and "address" in api.json()["error"]
    page = client.get("/", headers={"host": "evil.example"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    for refused in (api, page):
        assert all(refused.headers[name] == value for name, value in HEADERS.items())


def test_a_server_error_carries_the_security_headers(tmp_path, monkeypatch):
    import genco_interview.web.server as server

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(server, "askable", broken)
    client = _client(tmp_path)
    for path in ("/", "/api/questions"):
        failed = client.get(path)
        assert failed.status_code == 500 and "a bug" not in failed.text
        assert all(failed.headers[name] == value for name, value in HEADERS.items())
    assert "unexpected error" in client.get("/api/questions").json()["error"]


def test_an_oversize_form_gets_a_short_page_and_the_api_json(tmp_path):
    client = _client(tmp_path)
    big = "x" * (257 * 1024)
    for path in (f"/practice/{QUESTION}/{DEPTH}", f"/interviewer/{QUESTION}/{DEPTH}", "/interview"):
        form = client.post(path, data={"answer": big, "csrf": "x"})
        assert form.status_code == 413 and form.headers["content-type"].startswith("text/html"), path
        assert "256 KiB" in form.text and "go back" in form.text and form.headers["x-frame-options"] == "SAMEORIGIN"
    api = client.post("/api/score", json={"answer": big})
    assert api.status_code == 413 and "256 KiB" in api.json()["error"] and "go back" not in api.json()["error"]


def test_a_long_answer_in_any_script_fits_the_body_limit(tmp_path):
    """Form encoding sends a CJK character as 9 bytes: 7,800 of them were refused as over the limit,
    where the CLI scores the same text. Everything genco scores of an answer fits."""
    client = _client(tmp_path)
    token = csrf_of(client.get(f"/practice/{QUESTION}/{DEPTH}").text)
    sent = client.post(f"/practice/{QUESTION}/renamed", data={"csrf": token, "answer": "协" * 20_000})
    assert sent.status_code == 404  # read whole and past the limit's check; no model needed to say so


def test_a_client_that_leaves_mid_body_is_no_error_to_log():
    """A tab closed during an upload: a traceback of ClientDisconnect on the server's terminal each time."""
    import asyncio

    from starlette.requests import ClientDisconnect

    from genco_interview.web.guard import BodyLimit

    async def app(scope, receive, send):
        raise ClientDisconnect()

    async def run():
        await BodyLimit(app)({"type": "http", "headers": [], "path": "/api/score"}, None, None)

    asyncio.run(run())  # returns quietly


@pytest.mark.parametrize("path", ["/practice/renamed-question/quick", f"/practice/{QUESTION}/nope",
                                  "/interviewer/renamed-question/quick"])
def test_a_form_sent_to_a_question_gone_meanwhile_shows_what_was_typed(tmp_path, path):
    """A rubric renamed while its page was open: the 404 came before the form was read, and the
    answer typed was on no page."""
    client = _client(tmp_path)
    token = csrf_of(client.get(f"/practice/{QUESTION}/{DEPTH}").text)
    gone = client.post(path, data={"csrf": token, "answer": "generators yield <kept>", "transcript": "a transcript"})
    assert gone.status_code == 404 and "copy it first" in gone.text
    assert "generators yield &lt;kept&gt;" in gone.text and "a transcript" in gone.text


@pytest.mark.parametrize(("body", "words"), [
    (b'{"answer": "\\ud800 a generator"}', "lone surrogate"),
    (b"[" * 30000, "nested too deeply"),
    (b'{"answer": "\xff"}', "not UTF-8"),
    (b'{"answer": NaN}', "not a JSON number"),
    (b'{"answer": "x", "n": 1e999}', "too large a JSON number"),
])
def test_api_bodies_that_break_a_json_parser_are_one_line_400s(tmp_path, body, words):
    refused = _client(tmp_path).post("/api/score", content=body, headers={"content-type": "application/json"})
    assert refused.status_code == 400 and words in refused.json()["error"]
    assert "\n" not in refused.json()["error"]


@pytest.fixture
def corrupt(tmp_path):
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(bytes(range(256)) * 16)
    return path


def test_a_corrupt_history_leaves_the_questions_and_explains_itself_elsewhere(tmp_path, corrupt):
    client = _client(tmp_path, db=corrupt.name)
    questions = client.get("/")
    assert questions.status_code == 200 and f"/practice/{QUESTION}/{DEPTH}" in questions.text
    assert "No suggestion of what to practise next" in questions.text and "What to practise next" not in questions.text
    for path in ("/progress", "/attempts/1"):
        shown = client.get(path)
        assert shown.status_code == 503 and "corrupt" in shown.text, path
        assert "corrupt.sqlite3" in shown.text and str(tmp_path) not in shown.text  # the file's name, not where


@pytest.mark.parametrize("field", ["answer", "transcript"])
def test_a_typed_field_sent_twice_is_refused_and_shows_both_texts(tmp_path, field):
    """A hand-made post with two answers kept only the last, and the first was gone without a word."""
    client = _client(tmp_path)
    path = f"/practice/{QUESTION}/{DEPTH}" if field == "answer" else f"/interviewer/{QUESTION}/{DEPTH}"
    token = csrf_of(client.get(path).text)
    sent = client.post(path, content=f"csrf={token}&{field}=first+text+kept&{field}=second+text+kept",
                       headers={"content-type": "application/x-www-form-urlencoded"}, follow_redirects=False)
    assert sent.status_code == 400
    assert "first text kept" in sent.text and "second text kept" in sent.text and "send one" in sent.text
    emptied = client.post(path, content=f"csrf={token}&{field}=first+text+kept&{field}=",
                          headers={"content-type": "application/x-www-form-urlencoded"}, follow_redirects=False)
    assert emptied.status_code == 400 and "first text kept" in emptied.text  # an empty second copy loses nothing


def test_a_chosen_field_sent_twice_with_other_values_is_refused(tmp_path):
    """A hand-made post of the interview form with count=1&count=5 started five questions without a word, where a
    typed field sent twice is refused; the same value twice is one value."""
    client = _client(tmp_path)
    token = csrf_of(client.get("/interview").text)
    form = {"content-type": "application/x-www-form-urlencoded"}
    sent = client.post("/interview", content=f"csrf={token}&count=1&count=5", headers=form, follow_redirects=False)
    assert sent.status_code == 400
    assert "this form sent 'count' more than once, with other values: send one" in html.unescape(sent.text)
    same = client.post("/interview", content=f"csrf={token}&count=1&count=1", headers=form, follow_redirects=False)
    assert same.status_code in (200, 303), same.text[:300]


def test_a_hand_made_unknown_mark_keeps_the_transcript_and_speaks_web(tmp_path):
    client = _client(tmp_path)
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    concept = page.text.split('name="override-', 1)[1].split('"', 1)[0]
    sent = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={
        "csrf": csrf_of(page.text), "transcript": "a generator yields values <kept>", f"override-{concept}": "bogus"})
    assert sent.status_code == 400 and "unknown mark bogus" in sent.text
    assert "--override" not in sent.text and "a generator yields values &lt;kept&gt;</textarea>" in sent.text
    sent = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={  # a concept the depth has not: refused, not ignored
        "csrf": csrf_of(page.text), "transcript": "a generator yields values", "override-no-such-concept": "covered"})
    assert sent.status_code == 400 and "unknown concept no-such-concept at this depth" in sent.text
    assert "a generator yields values</textarea>" in sent.text
    sent = client.post(f"/interviewer/{QUESTION}/{DEPTH}", content=(  # marked twice: kept as the last, as the CLI refuses
        f"csrf={csrf_of(page.text)}&transcript=a+generator+yields+values&override-{concept}=covered"
        f"&override-{concept}=missing"), headers={"content-type": "application/x-www-form-urlencoded"})
    assert sent.status_code == 400 and f"{concept} is marked both covered and missing" in sent.text


@pytest.mark.slow
def test_grade_and_keep_redirects_so_a_reload_keeps_nothing_twice(tmp_path, embedder):
    client = TestClient(make_app(embedder, tmp_path / "history.sqlite3"), base_url="http://127.0.0.1")
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    kept = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "transcript": answer,
                                                                 "action": "keep"}, follow_redirects=False)
    assert kept.status_code == 303 and kept.headers["location"] == "/attempts/1?scored=1"
    shown = client.get("/attempts/1")
    assert shown.status_code == 200 and "/attempts/2" not in client.get("/progress").text


@pytest.mark.slow
def test_a_note_too_long_to_keep_is_bad_input_and_keeps_the_grade_and_transcript(tmp_path, embedder):
    from genco_interview.progress.attempt import GRADE_TEXT_LIMIT

    client = TestClient(make_app(embedder, tmp_path / "history.sqlite3"), base_url="http://127.0.0.1")
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    sent = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={
        "csrf": csrf_of(page.text), "transcript": answer, "action": "keep", "note": "n" * (GRADE_TEXT_LIMIT + 1)})
    assert sent.status_code == 400 and "Not kept in your history" in sent.text and 'id="grade-score"' in sent.text
    assert answer.splitlines()[0].strip()[:40] in sent.text


@pytest.mark.slow
def test_grade_and_keep_into_a_corrupt_history_shows_the_grade_and_keeps_the_transcript(tmp_path, embedder, corrupt):
    client = TestClient(make_app(embedder, corrupt), base_url="http://127.0.0.1")
    page = client.get(f"/interviewer/{QUESTION}/{DEPTH}")
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    sent = client.post(f"/interviewer/{QUESTION}/{DEPTH}", data={"csrf": csrf_of(page.text), "transcript": answer,
                                                                 "action": "keep"})
    assert sent.status_code == 200 and "Not kept in your history" in sent.text and 'id="grade-score"' in sent.text
    assert answer.splitlines()[0].strip()[:40] in sent.text and str(tmp_path) not in sent.text


@pytest.mark.slow
def test_the_api_scoring_into_a_corrupt_history_returns_the_card_beside_the_error(tmp_path, embedder, corrupt):
    """The attempt goes to the recovery file; the score computed was dropped with the 503."""
    client = TestClient(make_app(embedder, corrupt), base_url="http://127.0.0.1")
    answer = (EXAMPLES / "partial-quick.txt").read_text()
    sent = client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": answer})
    body = sent.json()
    assert sent.status_code == 503 and "corrupt" in body["error"] and str(tmp_path) not in body["error"]
    unsaved = client.post("/api/score", json={"question": QUESTION, "depth": DEPTH, "answer": answer, "save": False})
    assert body["card"] == unsaved.json()


@pytest.mark.slow
def test_a_form_with_invalid_utf8_is_scored_not_a_crash(tmp_path, embedder):
    """A browser always sends UTF-8; invalid bytes from elsewhere decode with replacement characters."""
    client = TestClient(make_app(embedder, tmp_path / "history.sqlite3"), base_url="http://127.0.0.1")
    token = csrf_of(client.get(f"/practice/{QUESTION}/{DEPTH}").text)
    for body in (f"csrf={token}&answer=a+generator+yields+%ff%fe".encode(), f"csrf={token}&answer=".encode() + b"\xff\xfe yields"):
        sent = client.post(f"/practice/{QUESTION}/{DEPTH}", content=body,
                           headers={"content-type": "application/x-www-form-urlencoded"})
        assert sent.status_code == 200 and sent.url.path.startswith("/attempts/")


@pytest.mark.parametrize("host", ["", "   "])
def test_serve_with_an_empty_host_is_a_usage_error(host):
    result = invoke("serve", "--host", host, "--no-browser")
    assert result.exit_code == 2 and "--host" in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("given", "bound"), [("[::1]", "::1"), ("::1", "::1"), ("127.0.0.1", "127.0.0.1"),
                                              ("[name]", "[name]"), (" ::1 ", "::1"), (" [::1] ", "::1")])
def test_an_ipv6_host_in_a_urls_brackets_is_its_address(given, bound):
    """The URL genco prints shows an IPv6 address in brackets: given back to --host, it was no name."""
    from genco_interview.cli_web import _checked_host

    assert _checked_host(given) == bound


def test_messages_name_files_not_the_folders_they_are_in():
    from genco_interview.web.server import shown

    said = shown("history file /home/me/.genco/history.sqlite3 is corrupt; written to /tmp/r/recovery.jsonl "
                 "(`genco history import /tmp/r/recovery.jsonl`), C:\\Users\\me\\history.sqlite3\n")
    assert said == ("history file history.sqlite3 is corrupt; written to recovery.jsonl "
                    "(`genco history import recovery.jsonl`), history.sqlite3")


def test_folders_genco_knows_are_cut_whole_even_with_spaces_in_their_names(tmp_path):
    from genco_interview.web.server import known_folders, shown

    db = tmp_path / "Jane Doe" / "secret stuff" / "history.sqlite3"
    said = shown(f"history file {db} is corrupt; moved aside", known_folders(str(db)))
    assert said == "history file history.sqlite3 is corrupt; moved aside"
    assert str(Path.home()) not in shown(f"cannot write {Path.home() / 'My Files' / 'x.jsonl'}", known_folders(None))
    relative = known_folders("private cases/alice.sqlite3")  # `serve --db` with a relative path
    assert shown("history file private cases/alice.sqlite3 is locked", relative) == "history file alice.sqlite3 is locked"
    assert shown("file data/a/x.yaml", ["a"]) == "file data/a/x.yaml"  # a folder is cut only where a path starts
    assert shown("cannot read ~/secret/h.sqlite3") == "cannot read h.sqlite3"


def test_a_rubric_folder_with_a_space_in_its_name_is_not_shown(tmp_path, monkeypatch):
    from genco_interview.web.server import known_folders, shown

    rubrics = tmp_path / "Jane Doe" / "rubrics"
    monkeypatch.setenv("GENCO_RUBRICS", str(rubrics))
    said = shown(f"{rubrics / 'zz.yaml'}:3: id: must not be empty", known_folders(None))
    assert said == "zz.yaml:3: id: must not be empty"


def test_a_malformed_upload_is_a_400_page_and_no_line_on_the_servers_terminal(tmp_path, capsys, monkeypatch):
    """The form parser's own warning ("Expected boundary character 45, got 103 at index 2") was printed
    raw on the terminal `genco serve` runs in; the page already says what is wrong."""
    import logging

    monkeypatch.setattr(logging.root, "handlers", [])  # as under `genco serve` (pytest's own would take the line)
    client = _client(tmp_path)
    sent = client.post(f"/practice/{QUESTION}/{DEPTH}", content=b"garbage",
                       headers={"Content-Type": "multipart/form-data; boundary=xx"})
    assert sent.status_code == 400
    assert capsys.readouterr().err == ""


def test_a_question_whose_rubric_of_yours_does_not_load_is_503_not_a_bug(tmp_path, monkeypatch):
    """A `rubric new` skeleton with a shipped question's id on GENCO_RUBRICS: its pages and the API answered 500,
    "for a bug"; the CLI calls it bad input in one line."""
    folder = tmp_path / "mine"
    assert invoke("rubric", "new", QUESTION, "--out", str(folder)).exit_code == 0
    monkeypatch.setenv("GENCO_RUBRICS", str(folder))
    client = _client(tmp_path)
    for path in (f"/practice/{QUESTION}/{DEPTH}", f"/interviewer/{QUESTION}/{DEPTH}"):
        page = client.get(path)
        assert page.status_code == 503 and "placeholder" in page.text
    api = client.post("/api/score", json={"question": QUESTION, "answer": "Generators yield."})
    assert api.status_code == 503 and "placeholder" in api.json()["error"]
    assert QUESTION not in [q["id"] for q in client.get("/api/questions").json()]


def _serving(handler: str, stop: str) -> tuple:
    """A `run()` of genco's web server in a subprocess on a free loopback port, serving `handler` (the source of
    an async view named `view`) at /x, with `stop` (an except clause's source) around it; (process, port)."""
    import subprocess
    import sys

    program = ("import asyncio, socket\n"
               "from starlette.applications import Starlette\n"
               "from starlette.responses import Response\n"
               "from starlette.routing import Route\n"
               "from genco_interview.interrupts import Interrupted, caught_interrupts\n"
               "from genco_interview.web.server import run\n"
               f"{handler}"
               "sock = socket.socket(); sock.bind(('127.0.0.1', 0)); sock.listen(8)\n"
               "print(sock.getsockname()[1], flush=True)\n"
               "try:\n"
               "    with caught_interrupts():\n"
               "        run(Starlette(routes=[Route('/x', view, methods=['GET', 'POST'])]), sock)\n"
               f"{stop}")
    server = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return server, int(server.stdout.readline())


def test_ctrl_c_stops_the_server_though_a_client_sent_half_a_body(tmp_path) -> None:
    """uvicorn waited for ever on a request whose body never came: the first Ctrl-C printed nothing and the
    server went on serving. It now waits SHUTDOWN_WAIT seconds for requests under way, then stops."""
    import signal
    import socket
    import time

    from genco_interview.web.server import SHUTDOWN_WAIT

    server, port = _serving("async def view(request):\n"
                            "    return Response(await request.body())\n",  # waits for the body, as scoring pages do
                            "except KeyboardInterrupt:\n    pass\n")  # the command turns it into its exit status
    try:
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{\"answer\": \"")
            time.sleep(1)
            server.send_signal(signal.SIGINT)
            server.wait(timeout=SHUTDOWN_WAIT + 20)  # a liveness bound, not a speed target: it used to never end
    finally:
        server.kill()
        _, said = server.communicate()
    assert server.returncode == 0 and said == "", said  # no traceback of the request it cancelled


@pytest.mark.parametrize("name", ["SIGQUIT", "SIGHUP", "SIGTERM"])
def test_every_stopping_signal_lets_a_request_under_way_finish_then_stops_the_server(name: str) -> None:
    """SIGQUIT (Ctrl+backslash) and SIGHUP reached genco's own handler, which raised its interrupt inside the
    request being served: the answer got a 500 and was not kept, or the interrupt was swallowed and the server
    went on serving. Every signal genco stops on now stops uvicorn as Ctrl-C does, after the requests under way."""
    import signal
    import socket
    import time

    server, port = _serving("async def view(request):\n"
                            "    await asyncio.sleep(1.5)\n"  # an answer being scored
                            "    return Response(b'kept')\n",
                            "except Interrupted as stopped:\n    print('stopped by', stopped.signal_name, flush=True)\n")
    try:
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            time.sleep(0.5)
            server.send_signal(getattr(signal, name))
            client.settimeout(30)
            reply = b""
            while b"kept" not in reply and (chunk := client.recv(4096)):
                reply += chunk
        server.wait(timeout=30)  # a liveness bound: a swallowed signal left it serving
    finally:
        server.kill()
        out, said = server.communicate()
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"kept"), reply
    assert out.strip() == f"stopped by {name}" and "Traceback" not in said, (out, said)
