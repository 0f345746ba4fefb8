"""The chat page's conversation store (ui/conversations.py) on a real SQLite file: per-owner isolation,
recency, caps, and databases from before it existed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ui import conversations as conv
from ui.conversations import ConversationStore, clean_title, new_owner_id, owner_key, title_from
from ui.feedback import FeedbackStore

ANSWER = {"answer": "An answer [1].", "refused": False, "citations": [], "notice": None, "suggestions": []}


class Ticks:
    """A clock that moves one second per reading, so "most recent" never depends on how fast the machine is."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def store_at(path: Path) -> ConversationStore:
    feedback = FeedbackStore.from_url(f"sqlite:///{path}")
    feedback.create_tables()
    store = ConversationStore(feedback.engine, clock=Ticks())
    store.create_tables()
    return store


def owner() -> str:
    key = owner_key(new_owner_id())
    assert key is not None
    return key


def answered(store: ConversationStore, who: str, conversation: str, question: str) -> int:
    started = store.start_turn(who, conversation, question)
    assert started is not None
    assert store.finish_turn(who, conversation, *started, {**ANSWER, "answer": f"about {question}"})
    return started[0]


def test_conversations_are_listed_most_recent_first_renamed_and_deleted(tmp_path: Path) -> None:
    store, me = store_at(tmp_path / "f.db"), owner()
    first = store.create(me, "first")
    second = store.create(me, "second")
    assert [c.title for c in store.list(me)] == ["second", "first"]
    answered(store, me, first, "q1")
    assert [c.id for c in store.list(me)] == [first, second]  # a new turn brings it to the top
    assert store.rename(me, first, "  Renamed\n title ")
    assert store.title(me, first) == "Renamed title"
    with pytest.raises(ValueError, match="empty"):
        store.rename(me, first, "   ")
    with pytest.raises(ValueError, match="too long"):
        store.rename(me, first, "x" * 500)
    assert store.delete(me, first) and not store.delete(me, first)
    assert [c.id for c in store.list(me)] == [second] and store.turns(me, first) == []


def test_another_owner_can_neither_list_read_rename_delete_nor_write(tmp_path: Path) -> None:
    store, me, other = store_at(tmp_path / "f.db"), owner(), owner()
    mine = store.create(me, "mine")
    turn = answered(store, me, mine, "private question")
    assert store.list(other) == []
    assert store.turns(other, mine) == [] and store.title(other, mine) is None
    assert not store.rename(other, mine, "taken")
    assert not store.delete(other, mine)
    assert store.start_turn(other, mine, "injected") is None
    assert not store.set_vote(other, mine, turn, "down")
    assert store.stop_turns(other, mine) == 0
    assert [(t.question, t.vote) for t in store.turns(me, mine)] == [("private question", None)]
    assert store.title(me, mine) == "mine"
    # What the browser sends is checked before it is a key: ids of the wrong shape are no one's.
    assert owner_key("") is None and owner_key("short") is None and owner_key(None) is None
    assert owner_key("x" * 1000) is None and conv.conversation_id("../" + mine) is None
    assert owner_key(new_owner_id()) != owner_key(new_owner_id())
    assert len(new_owner_id()) >= 43  # 256 random bits


def test_turns_and_conversations_are_capped_oldest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conv, "MAX_TURNS", 3)
    monkeypatch.setattr(conv, "MAX_CONVERSATIONS", 2)
    store, me, other = store_at(tmp_path / "f.db"), owner(), owner()
    talk = store.create(me, "talk")
    for i in range(5):
        answered(store, me, talk, f"q{i}")
    assert [t.question for t in store.turns(me, talk)] == ["q2", "q3", "q4"]
    theirs = store.create(other, "theirs")
    store.create(me, "b")
    store.create(me, "c")
    assert [c.title for c in store.list(me)] == ["c", "b"]  # "talk" (least recent) fell off, with its turns
    assert store.turns(me, talk) == []
    assert store.title(other, theirs) == "theirs"  # another owner's cap is their own


def test_a_regenerated_or_edited_turn_replaces_the_turns_after_it_and_a_stop_wins_over_a_late_answer(
    tmp_path: Path,
) -> None:
    store, me = store_at(tmp_path / "f.db"), owner()
    talk = store.create(me, "talk")
    for q in ("q0", "q1", "q2"):
        answered(store, me, talk, q)
    started = store.start_turn(me, talk, "q1 edited", keep=1)
    assert started is not None
    assert [(t.question, t.answer) for t in store.turns(me, talk)][1:] == [("q1 edited", None)]
    assert store.is_open(*started)
    assert store.stop_turns(me, talk) == 1 and not store.is_open(*started)
    assert not store.finish_turn(me, talk, *started, ANSWER)  # the answer arriving after Stop is not kept
    assert [t.answer for t in store.turns(me, talk)] == [{**ANSWER, "answer": "about q0"}, None]
    again = store.start_turn(me, talk, "q1 again", keep=1)  # regenerate the stopped one
    assert again is not None and store.finish_turn(me, talk, *again, ANSWER)
    assert not store.finish_turn(me, talk, *again, ANSWER)  # once only
    assert [t.question for t in store.turns(me, talk)] == ["q0", "q1 again"]


def test_titles_come_from_the_first_question_on_one_line_and_bounded() -> None:
    assert title_from("  Who does a\nHead of Product report to?  ") == "Who does a Head of Product report to?"
    long = title_from("How " + "very " * 40 + "long is this question?")
    assert len(long) <= conv.TITLE_CHARS and long.endswith("…") and not long.endswith(" …")
    assert title_from("x" * 500).endswith("…") and len(title_from("x" * 500)) == conv.TITLE_CHARS
    assert clean_title(" a\tb ") == "a b"
    with pytest.raises(ValueError):
        clean_title(3)
    with pytest.raises(ValueError):
        clean_title("\ud800")


def test_a_feedback_database_from_before_conversations_keeps_its_rows_and_gains_the_tables(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:  # the feedback table as the first docchat release created it
        conn.execute(
            "CREATE TABLE feedback (id INTEGER NOT NULL PRIMARY KEY, created_at DATETIME, vote VARCHAR(8), "
            "question TEXT, answer TEXT, citations TEXT, comment TEXT, channel VARCHAR(16))"
        )
        conn.execute("INSERT INTO feedback VALUES (1, '2024-01-01 00:00:00', 'up', 'q', 'a', '[]', 'kept', 'api')")
    store = store_at(db)
    store.create_tables()  # every start runs it: idempotent
    me = owner()
    talk = store.create(me, "t")
    answered(store, me, talk, "q")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT id, comment FROM feedback").fetchall() == [(1, "kept")]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"feedback", "chat_conversations", "chat_turns"} <= tables
    assert FeedbackStore.from_url(f"sqlite:///{db}").set_vote("10.0.0.1", "down", "q", "a", comment="why")[0] == 2
