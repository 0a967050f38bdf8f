"""What keeps a server on the learner's own machine safe from the web pages they visit.

- DNS rebinding: a hostile page can point its own name at 127.0.0.1; Starlette's
  TrustedHostMiddleware answers 400 to any Host header that is not the bound host.
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
import ipaddress
import json
import secrets
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_LIMIT = 64 * 1024
"""Bytes a request body may hold: an answer is a few kilobytes; the CLI reads files up to its own limit."""
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
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
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str]:
    """Host header values to accept when bound to `host`: the loopback names for a loopback
    address; for an address on every interface (0.0.0.0, ::) also this machine's names."""
    names = [host]
    if is_loopback(host):
        names += LOOPBACK_NAMES
    elif host in ("0.0.0.0", "::"):
        names += [*LOOPBACK_NAMES, socket.gethostname(), socket.getfqdn()]
    return list(dict.fromkeys(names))


class CsrfToken:
    """The per-process form token: HMAC of a fixed label under a random secret made at start."""

    def __init__(self, secret: bytes | None = None) -> None:
        key = secret if secret is not None else secrets.token_bytes(32)
        self.value = hmac.new(key, b"genco form", hashlib.sha256).hexdigest()

    def matches(self, sent: object) -> bool:
        return isinstance(sent, str) and hmac.compare_digest(sent.encode(), self.value.encode())


class BodyLimit:
    """ASGI middleware: a body over `limit` bytes gets 413 and a one-line JSON error, whether its
    Content-Length says so up front or it streams past the limit."""

    def __init__(self, app: ASGIApp, limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
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
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": f"request body too large: the limit is {self.limit // 1024} KiB"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
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
