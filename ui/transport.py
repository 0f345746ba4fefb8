"""HTTP/1.1 connection handling for uvicorn with a deadline on request heads.

uvicorn closes a connection that sits idle *after* a response (timeout_keep_alive), but one that never
finishes its request head (a client that connects and says nothing, or sends headers a byte at a time)
is kept forever: each byte even cancels the keep-alive timer. Enough of those exhaust the server's
connection cap (limit_concurrency) for everyone. This protocol gives every request head a fixed
deadline, counted from the connection (or the previous response) and not reset by new bytes.

It also bounds the size of a request head exactly. h11_max_incomplete_event_size alone does not: h11
checks it only while a head is incomplete, so a head far over it that arrives in one read (asyncio reads
up to 256 KiB) is accepted whole. The protocol is uvicorn's h11 one rather than httptools, which has no
head limit at all; parsing speed is nowhere near docchat's bottleneck.
"""

from __future__ import annotations

import asyncio
import re

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.protocols.http.h11_impl import H11Protocol

_TIMEOUT_RESPONSE = b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
_TOO_LARGE_RESPONSE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
)
_HEAD_END = re.compile(rb"\r?\n\r?\n")  # h11 also takes bare LF line ends


class HeadDeadlineH11Protocol(H11Protocol):
    """uvicorn's H11Protocol, closing connections whose request head is not complete in time."""

    head_timeout_s: float = 10.0

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        if not self._head_complete() and self._head_too_large(data):
            self._cancel_head_timer()
            self.transport.write(_TOO_LARGE_RESPONSE)
            self.transport.close()
            return
        super().data_received(data)
        if self._head_complete():
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self._head_complete():
            self._arm_head_timer()  # the next request on this connection gets its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _head_complete(self) -> bool:
        # h11 leaves IDLE for the client side as soon as it has parsed a whole request line and headers.
        return self.conn.their_state is not h11.IDLE

    def _head_too_large(self, data: bytes) -> bool:
        """Would the request head, with `data` added, exceed the limit (before or at its end)?"""
        buffered = self.conn.trailing_data[0]  # the part of this head received before
        overlap = min(3, len(buffered))  # the blank line ending the head may straddle two reads
        end = _HEAD_END.search(buffered[len(buffered) - overlap :] + data)
        size = len(buffered) - overlap + end.end() if end else len(buffered) + len(data)
        return size > (self.config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE)

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self._head_complete():
            return
        started, _ = self.conn.trailing_data
        if started:  # part of a request arrived: say why it is dropped
            self.transport.write(_TIMEOUT_RESPONSE)
        self.transport.close()


def with_head_timeout(seconds: float) -> type[HeadDeadlineH11Protocol]:
    """The protocol class with its own deadline (uvicorn builds protocols from a class and its Config)."""
    return type("HeadDeadlineH11Protocol", (HeadDeadlineH11Protocol,), {"head_timeout_s": seconds})
