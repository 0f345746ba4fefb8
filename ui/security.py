"""Who may frame the pages, call the API, and how often: origins, bearer token, rate limit, headers."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.settings import WebSettings

# CSP keywords that make sense in frame-ancestors; none of them is a CORS origin.
_CSP_KEYWORDS = {"'self'", "'none'"}
_ORIGIN = re.compile(
    r"^(https?)://(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:]+\])(:\d{1,5})?$", re.IGNORECASE
)


class OriginError(ValueError):
    """An allowed_origins entry that is neither a CSP keyword nor a scheme://host[:port] origin."""


@dataclass(frozen=True)
class OriginPolicy:
    """settings.allowed_origins, checked once and turned into the header values that enforce it."""

    frame_ancestors: str
    cors_origins: tuple[str, ...]
    cors_origin_regex: str | None

    @classmethod
    def from_settings(cls, settings: WebSettings) -> OriginPolicy:
        return cls.parse(settings.allowed_origins)

    @classmethod
    def parse(cls, entries: Iterable[str]) -> OriginPolicy:
        entries = [e.strip() for e in entries if e.strip()]
        csp: list[str] = []
        exact: list[str] = []
        wildcard: list[str] = []
        for entry in entries:
            # Validating here keeps a stray ";" or newline in the setting from ever reaching a header.
            if entry in _CSP_KEYWORDS:
                csp.append(entry)
            elif entry == "*":
                csp.append(entry)
                exact.append(entry)
            elif _ORIGIN.fullmatch(entry.rstrip("/")):
                origin = entry.rstrip("/").lower()
                csp.append(origin)
                (wildcard if "://*." in origin else exact).append(origin)
            else:
                raise OriginError(
                    f"DOCCHAT_ALLOWED_ORIGINS: {entry!r} is not 'self', 'none', * or an origin like "
                    "https://intranet.example.com (scheme://host[:port], no path)"
                )
        if not csp:
            csp = ["'none'"]
        if "'none'" in csp and len(csp) > 1:
            csp.remove("'none'")  # 'none' next to a source is invalid CSP; the sources win
        regex = "|".join(_wildcard_regex(w) for w in wildcard) or None
        return cls(" ".join(csp), tuple(exact), regex)

    def allows_framing_by(self, origin: str | None) -> bool:
        """Whether a page of `origin` may frame docchat's pages; None stands for docchat's own origin.

        The same decision as the frame-ancestors header, for embed.js to ask before it shows anything."""
        sources = self.frame_ancestors.split()
        if "*" in sources:
            return True
        if origin is None:
            return "'self'" in sources
        origin = origin.strip().lower()
        if origin in self.cors_origins:
            return True
        return self.cors_origin_regex is not None and re.fullmatch(self.cors_origin_regex, origin) is not None


def _wildcard_regex(origin: str) -> str:
    scheme, rest = origin.split("://*.", 1)
    return rf"^{re.escape(scheme)}://[a-z0-9-]+(?:\.[a-z0-9-]+)*\.{re.escape(rest)}$"


def token_matches(header: str | None, token: str) -> bool:
    """Constant-time check of an `Authorization: Bearer <token>` header."""
    if not header:
        return False
    scheme, _, supplied = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(supplied.strip().encode(), token.encode())


def retry_after(wait: float) -> str:
    """A Retry-After value for a limiter's wait: whole seconds, rounded up so a client that waits exactly
    that long is let in, and never 0 (which would invite an immediate retry)."""
    return str(max(1, math.ceil(wait)))


class RateLimiter:
    """A sliding one-minute window per client; in memory, so per process (documented)."""

    def __init__(
        self, per_minute: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.window_s = window_s
        self.clock = clock  # injectable, so tests can move time instead of sleeping
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> float | None:
        """None when the request may go ahead (and it is counted), else the seconds to wait."""
        return self._check(client, record=True)

    def blocked(self, client: str) -> float | None:
        """Like check(), without counting: for limits on failures, which are only known afterwards."""
        return self._check(client, record=False)

    def record(self, client: str) -> None:
        self._check(client, record=True)

    def _check(self, client: str, record: bool) -> float | None:
        if self.per_minute <= 0:
            return None
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and now - hits[0] >= self.window_s:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(self.window_s - (now - hits[0]), 0.1)
            if record:
                hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients so the table cannot grow without bound
                self._forget_idle(now)
            return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= self.window_s]:
            del self._hits[key]


@dataclass(frozen=True)
class AdminSession:
    csrf: str  # the page sends it back in a header with every change it asks for
    expires: float


class AdminSessions:
    """Admins signed in at /admin, in memory: a restart signs everyone out.

    The browser's cookie holds a random id, never the admin token; only its SHA-256 is kept here, so the
    lookup does not depend on how much of a guessed id is right."""

    def __init__(
        self, ttl_s: float = 8 * 3600, limit: int = 1000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.limit = limit
        self.clock = clock
        self._sessions: dict[str, AdminSession] = {}
        self._lock = threading.Lock()

    def create(self) -> tuple[str, AdminSession]:
        session_id = secrets.token_urlsafe(32)
        session = AdminSession(csrf=secrets.token_urlsafe(32), expires=self.clock() + self.ttl_s)
        with self._lock:
            now = self.clock()
            for key in [k for k, v in self._sessions.items() if v.expires <= now]:
                del self._sessions[key]
            while len(self._sessions) >= self.limit:  # the oldest sign-in goes first
                del self._sessions[next(iter(self._sessions))]
            self._sessions[_digest(session_id)] = session
        return session_id, session

    def get(self, session_id: str | None) -> AdminSession | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(_digest(session_id))
            if session is not None and session.expires <= self.clock():
                del self._sessions[_digest(session_id)]
                return None
            return session

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._sessions.pop(_digest(session_id), None)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(supplied: str, secret: str) -> bool:
    """Constant-time comparison of a credential (any text a client sends) with a secret."""
    return hmac.compare_digest(supplied.encode("utf-8", "surrogatepass"), secret.encode())


class SecurityHeadersMiddleware:
    """Adds frame-ancestors (unless a route set its own full CSP) and nosniff to every response.

    Pure ASGI rather than BaseHTTPMiddleware so streamed answers are not buffered.
    """

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.csp = f"frame-ancestors {frame_ancestors}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.csp
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Rejects API request bodies above a size with 413 before any parsing happens.

    Not FastAPI's `max_body_size` (FastAPI 0.165, Starlette 1.10): for a declared Content-Length over the
    limit, Starlette swaps whatever response the route made for a fixed text/plain "Content Too Large" that
    no exception handler can shape into the API's JSON error, and it does so only once the route answers,
    so a route that never reads its body (DELETE /api/admin/documents/…) has already done its work.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        prefixes: tuple[str, ...] = ("/api/", "/v1/"),
        exempt: tuple[str, ...] = (),
    ) -> None:
        """`exempt`: paths whose route enforces a limit of its own (after checking who is asking)."""
        self.app = app
        self.max_bytes = max_bytes
        self.prefixes = prefixes
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes) or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        # Read the body up front (API bodies are small) so a chunked upload cannot dodge the limit.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send: Send) -> None:
        payload = f'{{"error": "request body too large (limit {self.max_bytes} bytes)"}}'.encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def json_response_messages(
    status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> list[Message]:
    """The two ASGI messages of a small JSON response, for middlewares that answer by themselves."""
    body = json.dumps(payload).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    return [
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": body},
    ]


def scope_client(scope: Scope) -> str:
    # scope["client"] is already the forwarded address when uvicorn trusts the proxy in front of it.
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class LoginThrottleMiddleware:
    """Caps failed logins on the chat page (Gradio's POST /login) per client.

    Gradio's route has no limit of its own, so without this the token could be guessed as fast as the
    server answers. Only failures count (Gradio answers them with 400), so signing in is never throttled
    for someone who knows the token; once a client is over the cap, even the right token waits.
    """

    def __init__(self, app: ASGIApp, limiter: RateLimiter, paths: tuple[str, ...] = ("/login", "/login/")) -> None:
        self.app = app
        self.limiter = limiter
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        client = scope_client(scope)
        wait = self.limiter.blocked(client)
        if wait is not None:
            message = f"too many failed logins: the limit is {self.limiter.per_minute} per minute"
            for part in json_response_messages(429, {"error": message}, {"Retry-After": retry_after(wait)}):
                await send(part)
            return

        async def counting_failures(message: Message) -> None:
            if message["type"] == "http.response.start" and 400 <= message["status"] < 500:
                self.limiter.record(client)
            await send(message)

        await self.app(scope, receive, counting_failures)


class ApiFallbackMiddleware:
    """JSON 405 (with Allow) or 404 for /api/* and /v1/* requests no API route takes.

    The chat page is mounted at / and takes every path the routes before it do not, so without this a
    DELETE /api/chat or a typo'd /api/chta would get Gradio's HTML 404. Asking the routes up front (rather
    than adding a catch-all route) keeps it right whatever order routes are added in; each method is
    tried as a whole match because FastAPI nests included routers, whose partial matches name no methods.
    """

    METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

    def __init__(
        self, app: ASGIApp, routes: Callable[[], Iterable[BaseRoute]], prefixes: tuple[str, ...] = ("/api", "/v1")
    ) -> None:
        self.app = app
        self.routes = routes
        self.prefixes = prefixes

    def _is_api_path(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in self.prefixes)

    def _routed(self, scope: Scope, method: str) -> bool:
        probe = {**scope, "method": method}
        # The chat page's mount matches everything: it is what this middleware stands in for.
        return any(
            route.matches(probe)[0] is Match.FULL for route in self.routes() if not isinstance(route, Mount)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._is_api_path(scope["path"]) or self._routed(scope, scope["method"]):
            await self.app(scope, receive, send)
            return
        allowed = [m for m in self.METHODS if m != scope["method"] and self._routed(scope, m)]
        if allowed:
            methods = ", ".join(allowed)
            payload = {"error": f"method {scope['method']} is not allowed here; use {methods}"}
            messages = json_response_messages(405, payload, {"Allow": methods})
        else:
            messages = json_response_messages(404, {"error": "no such API endpoint; see /openapi.json"})
        for part in messages:
            await send(part)
