"""One access-log line per request: method, path, status, duration. Questions stay out of it by default.

It replaces uvicorn's access log, which prints query strings (and so whatever a client put there). Only
with DOCCHAT_LOG_QUESTIONS=true does the line also carry the query string and the question asked.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("docchat.access")
MAX_LOGGED_BODY_BYTES = 64 * 1024  # enough for any real question; the rest of a body is not kept
MAX_LOGGED_QUESTION_CHARS = 300


# Gradio puts a page session's id in some paths (its heartbeat); whoever reads the log must not learn it, as it
# names a chat page's session to the server.
_SESSION_IN_PATH = re.compile(r"^(/gradio_api/heartbeat/)[^/]+")


def logged_path(path: str) -> str:
    return _SESSION_IN_PATH.sub(r"\1…", path)


class AccessLogMiddleware:
    """Logs `METHOD /path STATUS 12.3ms` at INFO once a response has been sent (or has failed; `-` for a
    client that left before any response).

    `clock` returns seconds (monotonic); tests pass their own so no line depends on the wall clock. Pure
    ASGI, so streamed answers are neither buffered nor delayed; their duration runs to the last byte.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        log_questions: bool = False,
        clock: Callable[[], float] = time.perf_counter,
        logger: logging.Logger = log,
    ) -> None:
        self.app = app
        self.log_questions = log_questions
        self.clock = clock
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = self.clock()
        finished: float | None = None
        status: int | str = "-"  # no response: the client went away first
        body = bytearray()

        async def recording_send(message: Message) -> None:
            nonlocal status, finished
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                # Timed before the last byte goes out: once the client has it, it may already be sending
                # its next request, which must not be counted in this one.
                finished = self.clock()
            await send(message)

        async def recording_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(body) < MAX_LOGGED_BODY_BYTES:
                body.extend(message.get("body", b"")[: MAX_LOGGED_BODY_BYTES - len(body)])
            return message

        try:
            await self.app(scope, recording_receive if self.log_questions else receive, recording_send)
        except Exception:  # not a cancellation: that is the client leaving, logged as "-"
            if status == "-":
                status = 500  # what the server's error handler answers
            raise
        finally:
            elapsed_ms = ((finished if finished is not None else self.clock()) - started) * 1000
            line = f"{scope['method']} {logged_path(scope['path'])} {status} {elapsed_ms:.1f}ms"
            if self.log_questions:
                line += question_details(scope, bytes(body))
            self.logger.info("%s", line)


def question_details(scope: Scope, body: bytes) -> str:
    """` query=… question=…` for the opt-in log: the query string and the question of a chat body."""
    details = ""
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        details += f" query={query}"
    question = question_of(body)
    if question:
        details += f" question={json.dumps(question[:MAX_LOGGED_QUESTION_CHARS], ensure_ascii=False)}"
    return details


def question_of(body: bytes) -> str | None:
    """The question in a /api/chat body (`message`) or an OpenAI one (the last user message)."""
    if not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("message"), str):
        return data["message"]
    messages = data.get("messages")
    if isinstance(messages, list):
        for item in reversed(messages):
            if isinstance(item, dict) and item.get("role") == "user" and isinstance(item.get("content"), str):
                return item["content"]
    return None
