"""A tiny OpenAI-compatible chat server for tests: scripted replies, recorded requests, injectable faults.

Serves POST /v1/chat/completions (plain JSON, or SSE when the body says "stream": true) and GET /v1/models
on 127.0.0.1, from a thread. Each request body is recorded in `requests`. What to answer is decided by a
responder, a function of the request body, so a test can pick its reply from the prompt it was sent
(for example by finding which numbered source holds a phrase), independent of retrieval order.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SOURCE = re.compile(r'<source n="(\d+)"[^>]*>\n?(.*?)\n?</source>', re.DOTALL)


@dataclass
class Reply:
    """One scripted answer. `raw` sends those bytes as the body instead of a well-formed completion."""

    text: str = ""
    status: int = 200
    delay_s: float = 0.0
    chunk_delay_s: float = 0.0  # between streamed deltas: a server that trickles tokens
    raw: bytes | None = None


Responder = Callable[[dict[str, Any]], "Reply | str"]


def prompt_text(body: dict[str, Any]) -> str:
    """Every message's content, joined: what the model was shown."""
    return "\n".join(str(m.get("content", "")) for m in body.get("messages", []))


def user_text(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")


def sources_in(body: dict[str, Any]) -> dict[int, str]:
    """The numbered sources of an answer prompt: {n: text}."""
    return {int(n): text for n, text in _SOURCE.findall(user_text(body))}


def source_number(body: dict[str, Any], needle: str) -> int | None:
    """Which [n] of the prompt contains `needle` (case-insensitive), or None."""
    for n, text in sources_in(body).items():
        if needle.lower() in " ".join(text.split()).lower():
            return n
    return None


class FakeOpenAI:
    def __init__(self, responder: Responder | str = "") -> None:
        self.responder: Responder = responder if callable(responder) else (lambda _body, text=responder: text)
        self.requests: list[dict[str, Any]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True  # a handler still sleeping for a "slow" test must not block shutdown
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True, name="fake-openai")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the server first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- what the tests look at ----------------------------------------------------------------
    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r]

    def reply_for(self, body: dict[str, Any]) -> Reply:
        reply = self.responder(body)
        return reply if isinstance(reply, Reply) else Reply(text=reply)


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.rstrip("/").endswith("/models"):
                self._send_json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
            else:
                self._send_json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._send_json(400, {"error": {"message": "body is not JSON"}})
                return
            fake.requests.append(body)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send_json(404, {"error": {"message": "not found"}})
                return
            reply = fake.reply_for(body)
            try:
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                self._respond(body, reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): exactly what a slow-server test provokes

        def _respond(self, body: dict[str, Any], reply: Reply) -> None:
            if reply.raw is not None:
                self._send(reply.status, reply.raw, "application/json")
            elif reply.status != 200:
                self._send_json(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
            elif body.get("stream"):
                self._send_sse(body, reply.text, reply.chunk_delay_s)
            else:
                self._send_json(200, completion(body, reply.text))

        def _send(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json")

        def _send_sse(self, body: dict[str, Any], text: str, chunk_delay_s: float) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()  # HTTP/1.0: the stream ends when the connection closes
            for chunk in stream_chunks(body, text):
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(chunk_delay_s)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


def completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def stream_chunks(body: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The reply as chat.completion.chunk objects, a word per delta, as a real server would send them."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    pieces = re.findall(r"\S+\s*|\s+", text)
    return [
        chunk({"role": "assistant", "content": ""}),
        *(chunk({"content": piece}) for piece in pieces),
        chunk({}, finish="stop"),
    ]
