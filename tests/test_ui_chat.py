"""The Gradio page's callbacks, called directly: history reaches DocChat, bad input never does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from rag.app import DocChat
from ui.chat import ChatHandlers, history_of, turn_of, valid_turns
from ui.context import WebContext
from ui.feedback import FeedbackStore
from ui.security import OriginPolicy, RateLimiter

QUESTION = "Who does a Head of Product report to?"
FOLLOW_UP = "What about a Director of Product Management?"


class SpyDocChat:
    """The real DocChat, recording what the page hands it."""

    def __init__(self, real: DocChat) -> None:
        self.real = real
        self.calls: list[tuple[str, list[Any]]] = []

    def stream(self, question: str, history: Any = ()) -> Any:
        self.calls.append((question, list(history)))
        return self.real.stream(question, history)


class FakeRequest:
    client = type("C", (), {"host": "127.0.0.1"})()


def handlers_for(app: Any, tmp_path: Path, per_minute: int = 0) -> tuple[ChatHandlers, SpyDocChat]:
    spy = SpyDocChat(app)
    store = FeedbackStore.from_url(f"sqlite:///{tmp_path / 'f.db'}")
    ctx = WebContext(spy, app.settings, store, RateLimiter(per_minute), OriginPolicy.parse(["'self'"]))  # type: ignore[arg-type]
    return ChatHandlers(ctx), spy


def run(handlers: ChatHandlers, message: str, turns: Any) -> list[tuple[Any, Any, Any]]:
    return list(handlers.respond(message, turns, FakeRequest()))  # type: ignore[arg-type]


def test_follow_ups_send_the_stored_conversation(corpus_app: DocChat, tmp_path: Path) -> None:
    handlers, spy = handlers_for(corpus_app, tmp_path)
    first = run(handlers, QUESTION, [])
    turns = first[-1][1]
    assert len(turns) == 1 and turns[0]["q"] == QUESTION and "[1]" in turns[0]["a"]["answer"]
    shown = first[-1][0]
    assert [m["role"] for m in shown] == ["user", "assistant"] and "dc-sources" in shown[1]["content"]
    assert first[0][2] == ""  # the textbox is cleared as soon as the question is taken

    second = run(handlers, FOLLOW_UP, turns)
    assert spy.calls[-1] == (FOLLOW_UP, history_of(turns))
    assert len(second[-1][1]) == 2
    # Streaming: the bubble grows before the final answer with its sources replaces it.
    assert len(second) >= 3 and "dc-sources" not in second[1][0][-1]["content"]


@pytest.mark.parametrize("message", ["", "   ", "x" * 4001])
def test_bad_input_is_refused_before_docchat_is_called(
    corpus_app: DocChat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(gr, "Warning", warnings.append)
    handlers, spy = handlers_for(corpus_app, tmp_path)
    out = run(handlers, message, [])
    assert spy.calls == [] and len(out) == 1 and warnings
    assert all(isinstance(v, type(gr.skip())) for v in out[0])


def test_chat_page_is_rate_limited(
    corpus_app: DocChat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(gr, "Warning", warnings.append)
    handlers, spy = handlers_for(corpus_app, tmp_path, per_minute=1)
    run(handlers, QUESTION, [])
    run(handlers, QUESTION, [])
    assert len(spy.calls) == 1 and "too many requests" in warnings[0]


def test_stored_conversation_from_the_browser_is_validated(corpus_app: DocChat) -> None:
    good = turn_of(QUESTION, corpus_app.answer(QUESTION))
    junk = [None, 3, {"q": "x"}, {"q": "x", "a": {"answer": 5}}, {"a": good["a"]}, good]
    assert valid_turns(junk) == [good]
    assert valid_turns("not a list") == []
