"""Feedback: stored by the API and the chat page, read back straight from the database.

What is rated never decides these tests, so the answers come from `support.FakeDocChat` (canned answers in
the real contract, citing a real passage), not from the real model and index.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import gradio as gr
from fastapi.testclient import TestClient
from support import FakeDocChat, make_settings, seeded_conversation

from ui.chat import ChatHandlers, turn_of
from ui.context import WebContext
from ui.feedback import FeedbackStore
from ui.security import OriginPolicy, RateLimiter
from ui.server import create_web_app
from ui.settings import WebSettings

QUESTION = "Who does a Head of Product report to?"


def rows(db: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM feedback ORDER BY id").fetchall()


def fake_with_data_dir(tmp: Path, data_dir: Path | None = None) -> FakeDocChat:
    """A DocChat stand-in whose data dir, where the feedback database goes by default, is `data_dir`."""
    return FakeDocChat(make_settings(tmp, data_dir=data_dir or tmp / ".docchat"))


def test_api_feedback_is_stored_in_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "fb.sqlite3"
    settings = WebSettings(_env_file=None, database_url=f"sqlite:///{db}")  # type: ignore[call-arg]
    with TestClient(create_web_app(fake_with_data_dir(tmp_path), settings, chat_ui=False)) as c:  # type: ignore[arg-type]
        answer = c.post("/api/chat", json={"message": QUESTION}).json()
        res = c.post(
            "/api/feedback",
            json={
                "vote": "down",
                "question": QUESTION,
                "answer": answer["answer"],
                "citations": answer["citations"],
                "comment": "missing the CEO part <b>",
            },
        )
        assert res.status_code == 201 and res.json()["stored"] is True and res.json()["updated"] is False
        first = rows(db)
        # The same client rating the same answer again (here through the widget) replaces its vote.
        widget = c.post(
            "/api/feedback",
            json={"vote": "up", "question": QUESTION, "answer": answer["answer"]},
            headers={"X-DocChat-Client": "widget"},
        )
        assert widget.status_code == 200 and widget.json() == {"id": res.json()["id"], "stored": True, "updated": True}
        other = c.post("/api/feedback", json={"vote": "up", "question": QUESTION, "answer": "another answer"})
        assert other.status_code == 201 and other.json()["id"] > res.json()["id"]

    assert len(first) == 1
    row = first[0]
    assert row["vote"] == "down" and row["question"] == QUESTION and row["answer"] == answer["answer"]
    assert row["comment"] == "missing the CEO part <b>"
    assert json.loads(row["citations"]) == answer["citations"]
    assert row["created_at"] and row["channel"] == "api" and row["voter"] == "testclient"
    stored = rows(db)
    assert [(r["vote"], r["answer"]) for r in stored] == [("up", answer["answer"]), ("up", "another answer")]
    assert stored[0]["channel"] == "widget" and json.loads(stored[0]["citations"]) == []
    assert stored[0]["comment"] is None  # the latest vote replaces the earlier one, comment included


def test_database_url_selects_the_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    other = tmp_path / "elsewhere" / "votes.db"
    settings = WebSettings(_env_file=None, database_url=f"sqlite:///{other}")  # type: ignore[call-arg]
    assert settings.feedback_url(data_dir) == f"sqlite:///{other}"
    with TestClient(create_web_app(fake_with_data_dir(tmp_path, data_dir), settings, chat_ui=False)) as c:  # type: ignore[arg-type]
        assert c.post("/api/feedback", json={"vote": "up", "question": "q", "answer": "a"}).status_code == 201
    assert len(rows(other)) == 1
    assert not (data_dir / "feedback.sqlite3").exists()


def test_default_database_is_sqlite_under_the_data_dir(tmp_path: Path) -> None:
    settings = WebSettings(_env_file=None, database_url=None)  # type: ignore[call-arg]
    docchat = fake_with_data_dir(tmp_path, tmp_path / "d")
    create_web_app(docchat, settings, chat_ui=False)  # type: ignore[arg-type]  # tables are made at startup
    db = tmp_path / "d" / "feedback.sqlite3"
    assert db.exists() and rows(db) == []


def test_bad_feedback_is_a_4xx(tmp_path: Path) -> None:
    settings = WebSettings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'f.db'}")  # type: ignore[call-arg]
    with TestClient(create_web_app(fake_with_data_dir(tmp_path), settings, chat_ui=False)) as c:  # type: ignore[arg-type]
        for body in [
            {"vote": "meh", "question": "q", "answer": "a"},
            {"vote": "up", "answer": "a"},
            {"vote": "up", "question": " ", "answer": "a"},
            {"vote": "up", "question": 1, "answer": "a"},
            {"vote": "up", "question": "q", "answer": "a", "comment": "x" * 5000},
        ]:
            res = c.post("/api/feedback", json=body)
            assert res.status_code == 422 and isinstance(res.json()["error"], str), body
    assert rows(tmp_path / "f.db") == []


class FakeRequest:
    client = type("C", (), {"host": "127.0.0.1"})()


def test_chat_page_like_and_dislike_store_the_rated_turn(tmp_path: Path) -> None:
    store = FeedbackStore.from_url(f"sqlite:///{tmp_path / 'chat.db'}")
    store.create_tables()
    docchat = fake_with_data_dir(tmp_path)
    ctx = WebContext(docchat, WebSettings(_env_file=None), store, RateLimiter(0), OriginPolicy.parse(["'self'"]))  # type: ignore[arg-type]
    handlers = ChatHandlers(ctx)
    first = docchat.answer(QUESTION)
    second = docchat.answer("What is the boiling point of tungsten?")
    turns = [turn_of(QUESTION, first), turn_of("What is the boiling point of tungsten?", second)]

    owner_id, conversation = seeded_conversation(ctx.conversations, turns)

    def vote(index: int, liked: object) -> None:
        data = gr.LikeData(None, {"index": index, "value": "x", "liked": liked})
        handlers.vote(owner_id, conversation, data, FakeRequest())  # type: ignore[arg-type]

    vote(3, False)  # 2nd answer
    vote(1, True)  # 1st answer
    vote(9, True)  # no such turn
    vote(1, "custom")  # not an option of this page

    stored = store.recent()
    assert [(r["vote"], r["question"]) for r in reversed(stored)] == [
        ("down", "What is the boiling point of tungsten?"),
        ("up", QUESTION),
    ]
    assert stored[0]["citations"] == [c.model_dump() for c in first.citations]
    assert all(r["channel"] == "chat" and r["voter"] == "127.0.0.1" for r in stored)

    vote(1, "")  # the vote taken back
    assert [(r["vote"], r["question"]) for r in store.recent()] == [("down", "What is the boiling point of tungsten?")]
