"""What every route needs, built once per web app and kept on `app.state.docchat`."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from ingest.reindex import Reindexer
from rag.app import DocChat
from rag.models import Message
from rag.store import StoreUnavailable, is_store_error
from ui.conversations import ConversationStore
from ui.feedback import FeedbackStore
from ui.schemas import FeedbackRequest
from ui.security import AdminSessions, OriginPolicy, RateLimiter, retry_after, token_matches
from ui.settings import WebSettings

log = logging.getLogger("docchat.web")
# Wrong tokens a client may try per minute at the chat page's login and on /sources; people who know the
# token fail rarely, so this only ever slows down guessing.
AUTH_FAILURES_PER_MINUTE = 10


class DocumentCache:
    """Recently shown documents, keyed by path, size and mtime so an edited file is loaded again."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int, int], tuple[str, str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path, root: Path, max_bytes: int) -> tuple[str, str, str] | None:
        from ingest.loaders import LoadError, load_document  # the loader ingest used, so offsets match

        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        try:
            loaded = load_document(path, root, max_bytes=max_bytes)
        except LoadError:
            return None
        item = (loaded.source, loaded.title or loaded.source, loaded.text)
        with self._lock:
            self._items[key] = item
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return item


def no_session(_: Request) -> str | None:
    return None


class ApiError(Exception):
    """A request we refuse on purpose; becomes {"error": message} with this status."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class WebContext:
    docchat: DocChat
    settings: WebSettings  # the web layer's; the core settings are docchat.settings
    feedback: FeedbackStore
    limiter: RateLimiter
    origins: OriginPolicy
    examples: list[str] = field(default_factory=list)  # questions the corpus answers, shown to newcomers
    reindexer: Reindexer | None = None  # re-indexes in this process, which owns the store
    admin_key: str | None = None  # published in <data_dir>/server.json for `docchat ingest` on this machine
    auth_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(AUTH_FAILURES_PER_MINUTE))
    admin_sessions: AdminSessions = field(default_factory=AdminSessions)  # signed in at /admin
    # The user signed in at the chat page's login, if any (set once the chat page is mounted).
    session_user: Callable[[Request], str | None] = no_session
    # Recently shown /sources documents: per web app, so two apps (or two tests) never share one.
    documents: DocumentCache = field(default_factory=DocumentCache)
    started: int = field(default_factory=lambda: int(time.time()))  # /v1/models' "created"
    # The chat page's conversations: in the feedback database, tables of their own.
    conversations: ConversationStore = field(init=False)

    def __post_init__(self) -> None:
        self.conversations = ConversationStore(self.feedback.engine)
        self.conversations.create_tables()

    def check_question(self, message: str, history: Sequence[Message]) -> tuple[str, list[Message]]:
        """The limits every entry point (API, OpenAI, chat page) applies before any work is done."""
        question = message.strip()
        if not question:
            raise ApiError(422, "message is empty: ask a question")
        if len(message) > self.settings.max_question_chars:
            raise ApiError(
                413,
                f"message is too long: {len(message)} characters, "
                f"the limit is {self.settings.max_question_chars}",
            )
        if not is_unicode_text(message):
            raise ApiError(422, "message is not valid Unicode text (it contains unpaired surrogates)")
        if len(history) > self.settings.max_history_messages:
            raise ApiError(
                422,
                f"history has {len(history)} messages, the limit is {self.settings.max_history_messages}; "
                "send only the most recent turns",
            )
        # Assistant turns may quote several sources, so they get more room than a question.
        item_limit = 4 * self.settings.max_question_chars
        for i, item in enumerate(history):
            if len(item.content) > item_limit:
                raise ApiError(413, f"history[{i}] is too long: the limit is {item_limit} characters")
            if not is_unicode_text(item.content):
                raise ApiError(422, f"history[{i}] is not valid Unicode text (it contains unpaired surrogates)")
        return question, list(history)

    def check_rate(self, client: str) -> None:
        wait = self.limiter.check(client)
        if wait is not None:
            raise ApiError(
                429,
                f"too many requests: the limit is {self.settings.rate_limit_per_minute} per minute",
                {"Retry-After": retry_after(wait)},
            )

    def check_feedback(self, body: FeedbackRequest) -> None:
        """What the schema cannot say about a vote; the API and the chat page both apply it."""
        if not body.question.strip():
            raise ApiError(422, "question is empty")
        if not all(is_unicode_text(text) for text in feedback_texts(body)):
            raise ApiError(422, "feedback is not valid Unicode text (it contains unpaired surrogates)")

    def may_read(self, request: Request) -> bool:
        """With a token set, documents are for those who have it: as a bearer header, or signed in at the
        chat page (whose session cookie a browser sends along when a source link opens)."""
        token = self.settings.api_token
        if token is None:
            return True
        if token_matches(request.headers.get("authorization"), token.get_secret_value()):
            return True
        return self.session_user(request) is not None


def feedback_texts(body: FeedbackRequest) -> Iterator[str]:
    # Every string that reaches the database: SQLite's driver cannot encode lone surrogates.
    yield from (body.question, body.answer, body.comment or "")
    for c in body.citations:
        yield from (c.source, c.title, c.section, c.quote)


def is_unicode_text(text: str) -> bool:
    """False for strings with lone surrogates: JSON's "\\ud800" escapes decode to them, and the tokenizer
    (and any UTF-8 encoder after it) rejects them, which would surface as a 500."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def context_of(request: Request) -> WebContext:
    return request.app.state.docchat


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def store_error_types() -> tuple[type[Exception], ...]:
    """What a store outage raises: ours, the HTTP client's (server mode), Chroma's, the OS's."""
    import httpx
    from chromadb.errors import ChromaError

    return (StoreUnavailable, httpx.TransportError, ChromaError, ConnectionError)


def public_error(exc: BaseException) -> tuple[int, str]:
    """Status and a message safe to show anyone: no paths, no traceback."""
    if isinstance(exc, ApiError):
        return exc.status, exc.message
    if is_store_error(exc):  # store trouble deserves a 503 (try again later), not a 500 (our bug)
        return 503, "the document index is unavailable right now; try again shortly"
    return 500, "internal error: the request could not be completed"


def log_unexpected(exc: BaseException, where: str, **extra: Any) -> None:
    if isinstance(exc, ApiError):
        return
    if is_store_error(exc):
        # An outage, not a bug: one line per failure, so health checks polling a down store do not flood
        # the log with tracebacks.
        log.warning("%s failed: the vector store is unavailable (%s: %s)", where, type(exc).__name__, exc)
        return
    log.error("%s failed: %s %s", where, type(exc).__name__, extra or "", exc_info=exc)
