"""The mock interview pages through Starlette's TestClient: the form, each step with its compact score,
the follow-up, the report kept in the history; and what keeps them safe (the CSRF token, unknown
ids, replies out of turn, hostile text, the bound on running interviews)."""

from __future__ import annotations

import re

import pytest
from web_helpers import csrf_of

from genco_interview.app.history import recent_attempts
from genco_interview.app.interviews import interview_report, interview_reports
from genco_interview.web.interview import Running

from conftest import EXAMPLES

pytestmark = pytest.mark.slow
HOSTILE = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)> a generator yields values'
ANSWER = (EXAMPLES / "partial-quick.txt").read_text(encoding="utf-8")


def _start(client, count: int = 2, tag: str = "generators", depth: str = "quick"):
    form = client.get("/interview")
    return client.post("/interview", data={"csrf": csrf_of(form.text), "count": str(count), "tag": tag,
                                           "depth": depth})


def _step_of(html: str) -> str:
    return re.search(r'name="step" value="([^"]+)"', html).group(1)


def _reply(client, url: str, answer: str, step: str | None = None, seconds: str = "30"):
    page = client.get(url)
    return client.post(url, data={"csrf": csrf_of(page.text), "answer": answer, "seconds": seconds,
                                  "step": step or _step_of(page.text)})


def test_the_form_offers_count_tag_and_depth_and_the_nav_names_the_page(client):
    page = client.get("/interview")
    assert page.status_code == 200
    for control in ('name="count"', 'name="tag"', 'name="depth"', 'name="csrf"'):
        assert control in page.text
    nav = page.text[page.text.index("<nav"):page.text.index("</nav>")]
    assert nav.index(">Questions<") < nav.index(">Interview<") < nav.index(">Progress<")
    assert 'href="/interview" aria-current="page"' in page.text
    assert 'href="/interviewer" aria-current' not in page.text


def test_a_two_question_interview_with_follow_ups_ends_in_a_kept_report(client, db, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("genco_interview.web.interview.monotonic", lambda: now[0])
    started = _start(client)
    assert started.status_code == 200 and started.url.path.startswith("/interview/")
    url = started.url.path
    assert "Question 1" in started.text and 'class="countdown"' in started.text
    assert 'data-draft="interview:' in started.text
    budget = int(re.search(r'data-seconds="(\d+)"', started.text).group(1))

    now[0] += 75  # the server times the answer: a reload continues the countdown, it does not restart it
    assert f'data-seconds="{budget - 75}"' in client.get(url).text
    answered = _reply(client, url, ANSWER, seconds="1")  # what the browser says it took is not believed
    assert answered.url.path == f"{url}/turn/0/answer"
    assert re.search(r"Score <strong>\d+(\.\d)?</strong>(<span [^>]*>\?</span>)?/100", answered.text)  # "?": uncertain
    assert "1:15 of" in answered.text and "On to the follow-up" in answered.text
    assert 'data-clear-draft="interview:' in answered.text

    probe = client.get(url)
    assert "Follow-up on" in probe.text and _step_of(probe.text) == "0:follow_up"
    followed = _reply(client, url, "It keeps its frame and local state between calls, resumed where it paused.")
    assert followed.url.path == f"{url}/turn/0/follow_up"
    assert "A good reply:" in followed.text and "Next question" in followed.text

    assert _step_of(client.get(url).text) == "1:answer"
    _reply(client, url, ANSWER)
    last = _reply(client, url, "A generator is paused at yield and resumed by next.")
    assert "See the report" in last.text

    report = client.get(url)
    assert report.url.path == "/interviews/1"
    assert "Overall <strong>" in report.text and "not fully covered" in report.text
    assert "answers over their time budget: 0 of 2" in report.text
    assert report.text.count("/practice/") >= 1 or "What to practise next" not in report.text
    kept = interview_reports(str(db))
    assert len(kept) == 1 and kept[0].questions == 2
    attempts, total = recent_attempts(str(db))
    assert total == 2  # each main answer is a practice attempt; the follow-ups live in the report
    assert client.get(url).url.path == "/interviews/1"  # reloading the finished interview shows the same report

    listed = client.get("/interviews")
    assert 'href="/interviews/1"' in listed.text


def test_ending_early_reports_what_was_answered(client, db):
    url = _start(client).url.path
    page = client.get(url)
    assert client.post(f"{url}/finish", data={}).status_code == 403
    _reply(client, url, ANSWER)
    ended = client.post(f"{url}/finish", data={"csrf": csrf_of(page.text)})
    assert ended.url.path == "/interviews/1" and "not answered" in ended.text
    assert "Follow-up, not answered:" in ended.text  # its probe was put, and never replied to
    assert client.get(url).url.path == "/interviews/1"
    late = client.post(url, data={"csrf": csrf_of(page.text), "answer": "a reply after the end", "step": "0:follow_up"})
    assert late.status_code == 409 and "See the report" in late.text
    nothing = _start(client, count=1).url.path
    empty = client.post(f"{nothing}/finish", data={"csrf": csrf_of(page.text)})
    assert empty.status_code == 200 and "Not kept in your history" in empty.text
    assert len(interview_reports(str(db))) == 1


def _answer_to_the_end(client, url: str):
    """Reply to every step of the interview at `url`; the page the last reply lands on."""
    while "See the report" not in (last := _reply(client, url, ANSWER)).text:
        assert last.status_code == 200, last.text
    return last


def test_a_red_flag_is_on_the_scored_answer_and_the_report(client, db):
    """The page after an answer said its score and concepts alone: a confident mistake went unmentioned."""
    url = _start(client, count=1, tag="gil").url.path  # the one question tagged so at quick
    wrong = ("The GIL makes Python code thread-safe, so you never need locks. asyncio runs its coroutines in "
             "parallel on several CPU cores.")
    scored = _reply(client, url, wrong)
    flag = next(iter(re.findall(r"Red flag: ([^<]+)</p>", scored.text)), None)
    assert flag, "no misconception named: the test no longer tests anything"
    report = client.post(f"{url}/finish", data={"csrf": csrf_of(client.get(url).text)})
    assert f"Red flag: {flag}" in report.text


def test_a_follow_up_replys_red_flag_and_an_uncertain_answer_are_on_their_pages(client, db):
    """The page after a reply to a probe named no misconception, and the page after an answer left out the "?"
    the terminal shows on a score its card asks a person to check."""
    url = _start(client, count=1, tag="gil").url.path
    answered = _reply(client, url, "GIL one thread bytecode, IO releases GIL, asyncio single thread event loop, "
                                   "processes for CPU")  # notes without claims: uncertain
    assert 'id="uncertain"' in answered.text and "have a person check" in answered.text
    wrong = ("The GIL makes Python code thread-safe, so you never need locks. asyncio runs its coroutines in "
             "parallel on several CPU cores.")
    replied = _reply(client, url, wrong)
    assert "Follow-up scored" in replied.text and re.search(r"Red flag: [^<]+</p>", replied.text)


def test_the_last_reply_keeps_the_report_at_once_and_opening_it_keeps_nothing_twice(client, db):
    url = _start(client, count=1).url.path
    _answer_to_the_end(client, url)
    kept = interview_reports(str(db))
    assert [(k.id, k.questions) for k in kept] == [(1, 1)]  # kept, and dated, before its page was opened
    assert 'href="/interviews/1"' in client.get("/interviews").text
    assert client.get(url).url.path == "/interviews/1"
    assert client.get(url).url.path == "/interviews/1"
    assert interview_reports(str(db)) == kept  # opening the report saved nothing, nor changed its date


def test_ending_the_interview_scores_the_reply_typed_in_the_box_first(client, db):
    url = _start(client).url.path
    page = client.get(url)
    assert 'form="answer-form"' in page.text and f'formaction="{url}/finish"' in page.text
    assert 'id="answer-form"' in page.text
    ended = client.post(f"{url}/finish", data={"csrf": csrf_of(page.text), "answer": ANSWER,
                                                "step": _step_of(page.text)})
    assert ended.url.path == "/interviews/1"
    assert [q.score is not None for q in interview_report(str(db), "1").questions] == [True, False]
    assert recent_attempts(str(db))[1] == 1  # counted as a practice attempt, as a sent answer is

    url = _start(client).url.path
    _reply(client, url, ANSWER)
    probe = client.get(url)
    reply = {"csrf": csrf_of(probe.text), "answer": "It keeps its frame between calls.", "step": _step_of(probe.text)}
    assert reply["step"] == "0:follow_up"
    assert client.post(f"{url}/finish", data=reply).url.path == "/interviews/2"
    assert interview_report(str(db), "2").questions[0].follow_up_score is not None
    again = client.post(f"{url}/finish", data=reply)  # the same end sent twice: not scored twice, its text shown
    assert again.status_code == 409 and "It keeps its frame between calls." in again.text
    assert "the interview is over" in again.text and len(interview_reports(str(db))) == 2


def test_a_report_the_history_cannot_take_is_shown_saying_which_file_holds_it(client, db, monkeypatch):
    import sqlite3

    from genco_interview.progress import recovery as recovery_files
    from genco_interview.progress import store

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    url = _start(client, count=1).url.path
    monkeypatch.setattr(store.History, "add_interview", locked)
    assert _answer_to_the_end(client, url).status_code == 200  # the last reply's score is shown all the same
    recovery = recovery_files.recovery_path().parent / recovery_files.RECOVERY_REPORTS
    for _ in range(2):
        report = client.get(url)
        assert report.status_code == 200 and "Not kept in your history" in report.text
        assert recovery.name in report.text and "Overall <strong>" in report.text
        assert str(recovery.parent) not in report.text  # a page names a file, never the folder it is in
    assert len(recovery.read_text(encoding="utf-8").splitlines()) == 1  # written once, not at every visit
    assert interview_reports(str(db)) == []


def test_a_tag_with_fewer_questions_than_asked_says_so_on_the_first_question(tmp_path):
    """As `genco interview --count 10 --tag gil` does on stderr: the interview asks the questions the tag
    has, and its first page says how many there are (escaped, as every page is)."""
    from starlette.testclient import TestClient
    from web_helpers import make_app

    from test_app import BagOfWords

    client = TestClient(make_app(BagOfWords(), tmp_path / "history.sqlite3"), base_url="http://127.0.0.1")
    short = _start(client, count=10, tag="gil")
    assert short.status_code == 200 and "question 1 of 1" in short.text
    assert "only 1 question with the tag &#39;gil&#39; at depth &#39;quick&#39;: the interview asks 1, not 10" in short.text
    assert "the interview asks" not in _start(client, count=1, tag="gil").text


def test_a_form_without_its_token_is_refused(client, db):
    refused = client.post("/interview", data={"count": "2"})
    assert refused.status_code == 403 and "reload the page" in refused.text
    url = _start(client, count=1).url.path
    refused = client.post(url, data={"answer": ANSWER, "step": "0:answer", "csrf": "0" * 64})
    assert refused.status_code == 403
    assert _step_of(client.get(url).text) == "0:answer" and recent_attempts(str(db))[1] == 0  # nothing was scored


def test_unknown_interviews_and_reports_are_404(client):
    assert client.get("/interview/not-a-running-one").status_code == 404
    page = client.get("/interview")
    posted = client.post("/interview/not-a-running-one", data={"csrf": csrf_of(page.text), "answer": "x", "step": "0:answer"})
    assert posted.status_code == 404 and "start a new one" in posted.text
    assert client.get("/interviews/7").status_code == 404
    url = _start(client, count=1).url.path
    assert client.get(f"{url}/turn/0/answer").status_code == 404  # not answered yet
    assert client.get(f"{url}/turn/5/answer").status_code == 404


def test_bad_form_values_are_400_with_one_line(client):
    page = client.get("/interview")
    # int() took an Arabic-Indic three and spaces, and refused 5,000 digits with an error page (500)
    for count in ("0", "many", "99", "\u0663", " 2", "+2", "9" * 5000):
        bad = client.post("/interview", data={"csrf": csrf_of(page.text), "count": count})
        assert bad.status_code == 400, count
    unknown = client.post("/interview", data={"csrf": csrf_of(page.text), "count": "2", "tag": "no-such-tag"})
    assert unknown.status_code == 404


def test_a_reply_out_of_turn_is_not_scored_and_keeps_its_text(client, db):
    url = _start(client).url.path
    _reply(client, url, ANSWER)
    again = _reply(client, url, "the same answer sent twice", step="0:answer")
    assert again.status_code == 409
    assert "not scored" in again.text and "the same answer sent twice" in again.text
    assert "Go to the current step" in again.text
    assert recent_attempts(str(db))[1] == 1
    assert _step_of(client.get(url).text) == "0:follow_up"
    for blank in ("   ", "\u200b", "\u2800"):  # invisible characters only do not use up the step
        empty = _reply(client, url, blank)
        assert empty.status_code == 400 and _step_of(client.get(url).text) == "0:follow_up"
        # the probe asked again with what was wrong, not an error page leading nowhere
        assert _step_of(empty.text) == "0:follow_up" and "The reply has no words" in empty.text


def test_hostile_text_is_escaped_on_every_interview_page(client):
    url = _start(client, count=1).url.path
    for shown in (_reply(client, url, HOSTILE), _reply(client, url, HOSTILE, step="0:answer")):
        assert "<script>alert" not in shown.text and "<img src=x" not in shown.text
        assert "&lt;script&gt;alert" in shown.text
    _reply(client, url, HOSTILE)
    report = client.get(url)
    assert "<script>alert" not in report.text and "<img src=x" not in report.text


def test_running_interviews_are_bounded_oldest_forgotten_first():
    running = Running(limit=2)
    keys = [running.add(object()) for _ in range(3)]
    assert len(set(keys)) == 3 and all(len(k) >= 20 for k in keys)
    with pytest.raises(Exception, match="start a new one"):
        running.get(keys[0])
    assert running.get(keys[2]).session is not None


def test_an_interview_does_not_start_when_its_replies_could_not_be_kept(embedder, tmp_path):
    from starlette.testclient import TestClient
    from web_helpers import make_app

    (tmp_path / "history.sqlite3").mkdir()
    client = TestClient(make_app(embedder, tmp_path / "history.sqlite3"), base_url="http://127.0.0.1")
    form = client.get("/interview")
    refused = client.post("/interview", data={"csrf": csrf_of(form.text), "count": "1", "tag": "generators"})
    assert refused.status_code == 503 and "is a directory" in refused.text


def test_a_reply_to_an_interview_that_is_gone_is_shown_on_its_404(client):
    page = client.get("/interview")
    gone = client.post("/interview/no-such-key", data={"csrf": csrf_of(page.text), "step": "0:answer",
                                                       "answer": "MY LONG TYPED REPLY about generators"})
    assert gone.status_code == 404
    assert "no such interview here" in gone.text and "MY LONG TYPED REPLY about generators" in gone.text
    ended = client.post("/interview/no-such-key/finish", data={"csrf": csrf_of(page.text), "answer": "ANOTHER REPLY"})
    assert ended.status_code == 404 and "ANOTHER REPLY" in ended.text
    stale = client.post("/interview/no-such-key", data={"csrf": "0" * 64, "step": "0:answer", "answer": "AFTER A RESTART"})
    assert stale.status_code == 404 and "AFTER A RESTART" in stale.text  # not "reload and send it again": it is gone


def test_a_reply_the_history_cannot_keep_shows_its_score_and_why(client, db, monkeypatch):
    """The reply is scored and in the interview; only its attempt is not kept: its turn page says so
    (not a 503 that hides the score while the interview has moved on)."""
    import sqlite3

    from genco_interview.progress import store

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    url = _start(client, count=1).url.path
    monkeypatch.setattr(store.History, "add", locked)
    scored = _reply(client, url, ANSWER)
    assert scored.status_code == 200, scored.text
    assert "Answer scored" in scored.text and "Not kept in your history" in scored.text
    assert str(db.parent) not in scored.text
    assert _step_of(client.get(url).text) == "0:follow_up"  # the interview went on, as the page says


def test_the_report_is_kept_outside_the_scoring_lock(client, monkeypatch):
    """Keeping the report may wait on a history another process has locked (up to its busy timeout):
    that wait must not hold the lock every other answer's scoring needs."""
    import inspect

    import genco_interview.web.interview as pages

    under_lock: list[bool] = []
    finish = pages.finish_interview

    def watched(*args, **kwargs):
        under_lock.append(any(frame.function == "locked" for frame in inspect.stack()))
        return finish(*args, **kwargs)

    monkeypatch.setattr(pages, "finish_interview", watched)
    url = _start(client, count=1).url.path
    _answer_to_the_end(client, url)
    assert under_lock == [False]


def test_a_reply_scored_as_the_interview_is_ended_elsewhere_comes_back_not_dropped(client, db, monkeypatch):
    """Another tab ends the interview just as a reply comes in (after its step was checked, before it was
    scored): the reply was scored and shown as scored, and left out of the report made meanwhile."""
    url = _start(client, count=1).url.path
    pages = next(route.endpoint.__self__ for route in client.app.routes if getattr(route, "path", "") == "/interview")
    scored = pages.score_step

    def ended_first(interview, *args):
        interview.end(str(db))
        return scored(interview, *args)

    monkeypatch.setattr(pages, "score_step", ended_first)
    page = client.get(url)
    sent = client.post(url, data={"csrf": csrf_of(page.text), "answer": "my reply, typed once", "step": _step_of(page.text)})
    assert sent.status_code == 409 and "my reply, typed once" in sent.text
    assert pages.running.get(url.rsplit("/", 1)[1]).session.records[0].answer is None  # not scored after the report


def test_a_kept_report_lists_each_concept_on_its_own_and_says_which_a_probe_drew_out(client, db):
    """Names hold commas and semicolons of their own ("Return value in StopIteration; PEP 479"): joined by ", "
    they read as more concepts than there were; and a concept the probe drew out, in "what to practise next",
    said nothing of it where the terminal says "(said only when probed)"."""
    from genco_interview.progress.store import keep_interview

    question = {"question": "coroutine-vs-generator", "title": "Q", "depth": "quick", "score": 40.0,
                "follow_up_score": 90.0, "probe": "Who drives it?", "seconds": None, "budget_seconds": 120.0,
                "over_time": False, "missed": ["Takes a function, returns a function", "Return value; PEP 479"],
                "recovered": ["Who drives it"], "attempt": None, "undone": ["Return value; PEP 479"], "uncertain": True}
    practise = [{"question": "coroutine-vs-generator", "depth": "quick",
                 "concepts": ["Takes a function, returns a function", "Return value; PEP 479", "Who drives it"]}]
    keep_interview(db, {"questions": [question], "score": 40.0, "follow_up_score": 90.0, "over_time": 0,
                        "practise": practise}, 1, 40.0)
    page = client.get("/interviews/1").text
    undone = ' <span class="meta">(covered in the answer, not in the follow-up reply)</span>'
    assert f"Takes a function, returns a function<br>Return value; PEP 479{undone}" in page
    assert "said when probed: Who drives it" in page
    assert "<li>Who drives it <span class=\"meta\">(said only when probed)</span></li>" in page
    assert f"<li>Return value; PEP 479{undone}</li>" in page  # the answer had it: the follow-up reply did not
    # the "?" said in words under the table, as /progress says it (a title alone is out of reach on a touch screen)
    assert '40.0<abbr title="uncertain: have a person check">?</abbr>' in page and "? after a score: uncertain" in page
