"""`genco serve`: genco in the browser, on this computer.

Like the other command modules it only parses options and hands over: the model is loaded once
here (so the first answer scores warm), the web app (genco_interview/web, imported only by this
command) is built around that one Workbench, and uvicorn serves it until Ctrl-C (exit 130).
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

import click

from .app.workbench import Workbench
from .cli_history import DB_OPTION
from .cli_support import BACKEND_OPTION, MODEL_OPTION
from .cli_usage import Command
from .errors import GencoError
from .output import one_line


class CannotListen(GencoError):
    """The address or port cannot be listened on (most often a port another program holds): not a
    usage error, since the command line was right; exit 1 with one line saying what to do."""


@click.command(cls=Command, short_help="Practise in your browser (a local web app).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this computer's loopback lets others on your network in.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the address, do not open a browser.")
@MODEL_OPTION
@BACKEND_OPTION
@DB_OPTION
def serve(host: str, port: int, no_browser: bool, model: str | None, backend: str | None, db: str | None) -> None:
    """Practise in your browser: questions, practice, mock interviews, progress and grading.

    Loads the model once, then serves on this computer only (127.0.0.1) and opens your browser.
    Nothing is fetched from or sent to the internet. Ctrl-C stops it.

    \b
    Examples:
      genco serve
      genco serve --port 8765 --no-browser
    """
    host = _checked_host(host)
    from .progress.database import check_history_path
    from .web.server import create_app, run

    check_history_path(db)  # a folder, a device or a FIFO given as --db: said now, not as a 503 on every page
    _warn_if_unusable(db)

    sock = _listen(host, port)  # first: a port in use is said before the wait for the model
    _warn_if_exposed(host)  # once listening: an address that cannot be used is only its error
    click.echo("Loading the model…", err=True)
    bench = Workbench(model, backend, db)
    _ = bench.embedder  # loaded now, so the first answer scores warm
    url = f"http://{_url_host(host)}:{sock.getsockname()[1]}/"
    click.echo(f"genco is serving at {url}  (Ctrl-C stops it)", err=True)
    if not no_browser and _has_display():
        import webbrowser

        webbrowser.open(url)
    run(create_app(bench, host=host), sock)


def _warn_if_unusable(db: str | None) -> None:
    """A history file that cannot be read (damaged, or from a newer genco) is said once on stderr, and the
    server starts all the same: the bank and practice work without it, the Questions page says why the
    history is missing, and the pages that need it answer 503 until it is moved aside. A file that was
    never a history (notes named by mistake as --db) stops it: every page would answer 503 for a typo."""
    from .progress.database import HistoryError, default_path, may_hold_a_history
    from .progress.store import open_history

    try:
        with open_history(db, create=False):
            pass
    except HistoryError as exc:
        if not may_hold_a_history(Path(db) if db else default_path()):
            raise
        click.echo(f"genco serve: warning: {one_line(str(exc))}; serving without it (the pages that need "
                   "your history say why)", err=True)


def _checked_host(host: str) -> str:
    """The address to listen on, an IPv6 one in the brackets of a URL too ("[::1]", as genco shows it);
    a blank --host is a usage error."""
    host = host.strip()
    if not host:
        raise click.BadParameter("give an address to listen on, e.g. 127.0.0.1 (0.0.0.0: every network)",
                                 param_hint="'--host'")
    return host[1:-1] if host.startswith("[") and host.endswith("]") and ":" in host else host


def _warn_if_exposed(host: str) -> None:
    """An address off loopback is served, with a warning before the model loads."""
    from .web.guard import is_loopback

    if not is_loopback(host):
        click.echo(f"Warning: listening on {host}: anyone who can reach this computer on the network can use "
                   "genco and read your history. Use the default 127.0.0.1 to keep it private.", err=True)


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free one. Raises CannotListen when the port
    is taken or the address cannot be used."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(f"port {port} is in use; choose another with --port, or omit it for a free one") from None
        raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(sys.platform != "win32")
    return sock


def _has_display() -> bool:
    """Whether a graphical browser can open: on Linux without a display, Python's webbrowser would
    start a text browser in this very terminal, over the server's messages."""
    return not sys.platform.startswith("linux") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _url_host(host: str) -> str:
    """The host as a URL writes it (an IPv6 address in brackets; every interface as loopback)."""
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
