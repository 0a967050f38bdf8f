"""What keeps a server on the learner's own machine safe from the web pages they visit.

- DNS rebinding: a hostile page can point its own name at 127.0.0.1; HostCheck answers 400 to
  any Host header that is not a name of the bound host. Bound to a network address, a Host that
  is an IP address literal is served too: a rebinding attack needs a host name, so a browser
  that sends an address typed it (another device on the network reaching this one).
- Cross-site form posts: every form carries a token derived from a per-process secret (the
  synchronizer token pattern); a POST without the right token is refused with 403. Another
  site cannot read our pages, so it cannot learn the token. The JSON API instead requires
  `Content-Type: application/json`, which a cross-site page cannot send without a CORS preflight
  that this server never grants.
- Request bodies are bounded (BODY_LIMIT): a larger one is refused with 413 before it is read.
- Every response says where its parts may come from (Content-Security-Policy: this host only),
  so a page cannot fetch anything off the machine even if some text escaped its escaping.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import ipaddress
import json
import secrets
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import ClientDisconnect

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_LIMIT = 256 * 1024
"""Bytes a request body may hold: the 20,000 characters genco scores of an answer (text.segment.MAX_CHARS)
in any script, as a form sends them (a CJK character is 9 bytes percent-encoded: 180,000), with room for
the other fields; the CLI reads files up to its own limit."""
READING = ("GET", "HEAD")
"""The methods that read a page: Starlette answers HEAD wherever it answers GET, and a page with a form read
HEAD as a post of that form (403, the form's token missing)."""
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
"""Host names of this machine's loopback, as a Host header writes them (IPv6 in brackets)."""
HEADERS = {
    "content-security-policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                                "frame-ancestors 'self'; base-uri 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
}
"""Sent with every response. Inline styles stay allowed: the report and sheet pages are self-contained files."""


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this machine."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback  # ::ffff:127.0.0.1 too


def allowed_hosts(host: str) -> list[str]:
    """Host names (lower case, an IPv6 address in brackets, no port) to accept when bound to
    `host`: the loopback names for a loopback address; for an address on every interface
    (0.0.0.0, ::) also this machine's names."""
    names = [_as_host_header(host)]
    if is_loopback(host):
        names += LOOPBACK_NAMES
    elif host in ("0.0.0.0", "::"):
        names += [*LOOPBACK_NAMES, socket.gethostname().lower(), socket.getfqdn().lower()]
    return list(dict.fromkeys(names))


def _as_host_header(host: str) -> str:
    """`host` as a Host header names it: lower case, an IPv6 address in brackets."""
    return f"[{host.lower()}]" if ":" in host else host.lower()


def host_name(header: str) -> str | None:
    """The host part of a Host header ("[::1]:8000" -> "[::1]", "Example:80" -> "example"), or
    None when it is malformed (empty, a bad port, an unclosed bracket)."""
    header = header.strip().lower()
    if header.startswith("["):
        name, bracket, rest = header.partition("]")
        name += bracket
        port = rest[1:] if rest.startswith(":") else None if rest else ""
    else:
        name, _, port = header.partition(":")
    if not name or port is None or (port and not port.isdigit()) or (name.startswith("[") and not bracket):
        return None
    return name


def is_ip_literal(name: str) -> bool:
    """Whether a Host header's host part is an IP address (IPv4, or IPv6 in brackets), not a name."""
    try:
        if name.startswith("[") and name.endswith("]"):
            return ipaddress.ip_address(name[1:-1]).version == 6
        return ipaddress.ip_address(name).version == 4
    except ValueError:
        return False


class HostCheck:
    """ASGI middleware: 400 unless the Host header names the bound host (`allowed_hosts`), or,
    on a server bound off loopback (`any_address`), is an IP address literal. The refusal is a
    one-line JSON error on /api/ and plain text elsewhere."""

    def __init__(self, app: ASGIApp, host: str) -> None:
        self.app = app
        self.names = frozenset(allowed_hosts(host))
        self.any_address = not is_loopback(host)

    def allows(self, header: str) -> bool:
        name = host_name(header)
        return name is not None and (name in self.names or (self.any_address and is_ip_literal(name)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if self.allows(header):
            await self.app(scope, receive, send)
            return
        await _refuse(scope, send, 400, "this server answers only to its own address (the Host header names "
                                        "another): open it at the address genco serve printed")


class CsrfToken:
    """The per-process form token: HMAC of a fixed label under a random secret made at start."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._key = secret if secret is not None else secrets.token_bytes(32)
        self.value = self.seal("genco form")

    def matches(self, sent: object) -> bool:
        return isinstance(sent, str) and hmac.compare_digest(sent.encode(), self.value.encode())

    def seal(self, message: str) -> str:
        """HMAC-SHA256 of `message` under this process's secret, as 64 hex digits: a value in an
        address this server wrote, which a link made elsewhere cannot forge."""
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()

    def sealed(self, message: str, seal: object) -> bool:
        """Whether `seal` is this server's seal of `message`."""
        return isinstance(seal, str) and hmac.compare_digest(seal.encode(), self.seal(message).encode())


class BodyLimit:
    """ASGI middleware: a body over `limit` bytes gets 413, whether its Content-Length says so up
    front or it streams past the limit: a one-line JSON error on /api/, a short page elsewhere
    (a browser form)."""

    def __init__(self, app: ASGIApp, limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)
        except ClientDisconnect:  # a tab closed or an upload aborted: nobody is left to answer, and no bug to log
            return

    async def _refuse(self, scope: Scope, send: Send) -> None:
        advice = "send a shorter answer" if scope.get("path", "").startswith("/api/") else "go back and shorten it"
        await _refuse(scope, send, 413, f"what you sent is too large: the limit is {self.limit // 1024} KiB "
                                        f"(an answer is a few pages of text); {advice}")


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer `status` before the app sees the request: {"error": message} as JSON on /api/, else
    a short HTML page (no template: these refusals come before the app and its pages)."""
    if scope.get("path", "").startswith("/api/"):
        body, kind = json.dumps({"error": message}).encode(), b"application/json"
    else:
        body = (f"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Error {status}</title>"
                f"<h1>Something is not right ({status})</h1><p>{html.escape(message)}</p></html>\n").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """ASGI middleware adding HEADERS to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      *((k.encode(), v.encode()) for k, v in HEADERS.items())]
            await send(message)

        await self.app(scope, receive, with_headers)
