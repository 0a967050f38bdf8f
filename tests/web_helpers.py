"""What the web tests share: an app around the session's real model with its own history file,
and a live uvicorn server in a thread for the browser tests."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from genco_interview.app.workbench import Workbench

SECRET = b"test secret"


def make_app(embedder, db: Path, **options):
    """The web app scoring with `embedder` (loaded once per session) and keeping attempts in `db`."""
    from genco_interview.web.server import create_app

    return create_app(Workbench(embedder=embedder), db=str(db), secret=SECRET, **options)


def csrf_of(html: str) -> str:
    """The form token a page carries."""
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


@contextmanager
def live_server(app) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
