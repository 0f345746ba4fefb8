"""The chat page's conversations, kept on the server in the feedback database (same file, tables of their
own), so they can be listed, switched, renamed and deleted, and votes come back after a reload.

Every conversation belongs to an owner: the hash of a random per-browser id the page keeps in the
browser's localStorage. The chat page's login (with DOCCHAT_API_TOKEN) takes any user name with the one
shared token, so a user name proves nothing and is not used as the key. Every read and write filters on
the owner, and conversation ids are random too, so one browser can never reach another's conversations.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

MAX_CONVERSATIONS = 100  # per owner: the least recently used fall off
MAX_TURNS = 50  # per conversation: the oldest turns fall off
TITLE_CHARS = 60  # a title made from the first question
MAX_TITLE_CHARS = 120  # a title a person types

_OWNER_ID = re.compile(r"[A-Za-z0-9_-]{32,64}")
_CONVERSATION_ID = re.compile(r"[0-9a-f]{32}")


class Base(DeclarativeBase):
    pass


class ConversationRow(Base):
    __tablename__ = "chat_conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))  # sha256 of the browser's id: the database never holds the id
    title: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_chat_conversations_owner_recent", "owner", "updated_at"),)


class TurnRow(Base):
    __tablename__ = "chat_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    # The answer contract's shown fields as JSON; null while the answer streams, and for good once stopped.
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    run: Mapped[str] = mapped_column(String(32))  # which answering run may fill this turn in
    vote: Mapped[str | None] = mapped_column(String(8), nullable=True)  # "up" | "down"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    updated_at: datetime


@dataclass(frozen=True)
class Turn:
    id: int
    question: str
    answer: dict[str, Any] | None  # None: stopped (or cut off) before the answer was complete
    vote: str | None


def new_owner_id() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits: not guessable


def owner_key(owner_id: Any) -> str | None:
    """The stored key of a browser's id, or None when what the browser sent is not one of ours."""
    if not isinstance(owner_id, str) or not _OWNER_ID.fullmatch(owner_id):
        return None
    return hashlib.sha256(owner_id.encode()).hexdigest()


def conversation_id(value: Any) -> str | None:
    return value if isinstance(value, str) and _CONVERSATION_ID.fullmatch(value) else None


def title_from(question: str) -> str:
    """The first question on one line, cut at a word boundary."""
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text or "New chat"
    cut = text[: TITLE_CHARS - 1]
    if " " in cut[TITLE_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def clean_title(title: Any) -> str:
    """A title a person typed: one line, not empty, bounded. ValueError says what is wrong."""
    if not isinstance(title, str):
        raise ValueError("the title must be text")
    text = " ".join(title.split())
    if not text:
        raise ValueError("the title is empty")
    if len(text) > MAX_TITLE_CHARS:
        raise ValueError(f"the title is too long: the limit is {MAX_TITLE_CHARS} characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("the title is not valid Unicode text") from exc
    return text


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationStore:
    """Conversations per owner. Every method takes the owner's stored key (owner_key()) and touches only
    that owner's rows; asking for another owner's conversation behaves as if it did not exist."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = _now) -> None:
        self.engine = engine
        self.clock = clock  # what "most recent" is measured by; tests pass their own

    def create_tables(self) -> None:
        """Adds this store's tables to a database that may already hold feedback; idempotent."""
        Base.metadata.create_all(self.engine)

    # --- conversations --------------------------------------------------------------------------------

    def list(self, owner: str) -> list[Conversation]:
        """Most recently used first."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(ConversationRow)
                .where(ConversationRow.owner == owner)
                .order_by(ConversationRow.updated_at.desc(), ConversationRow.created_at.desc())
                .limit(MAX_CONVERSATIONS)
            ).all()
            return [Conversation(r.id, r.title, r.updated_at) for r in rows]

    def create(self, owner: str, title: str) -> str:
        now = self.clock()
        new_id = secrets.token_hex(16)
        with Session(self.engine) as session, session.begin():
            session.add(
                ConversationRow(id=new_id, owner=owner, title=title[:MAX_TITLE_CHARS], created_at=now, updated_at=now)
            )
            session.flush()
            stale = session.scalars(
                select(ConversationRow.id)
                .where(ConversationRow.owner == owner)
                .order_by(ConversationRow.updated_at.desc(), ConversationRow.created_at.desc())
                .offset(MAX_CONVERSATIONS)
            ).all()
            if stale:
                session.execute(delete(TurnRow).where(TurnRow.conversation_id.in_(stale)))
                session.execute(delete(ConversationRow).where(ConversationRow.id.in_(stale)))
        return new_id

    def title(self, owner: str, conversation: str) -> str | None:
        with Session(self.engine) as session:
            row = self._owned(session, owner, conversation)
            return row.title if row else None

    def rename(self, owner: str, conversation: str, title: str) -> bool:
        with Session(self.engine) as session, session.begin():
            row = self._owned(session, owner, conversation)
            if row is None:
                return False
            row.title = clean_title(title)
            return True

    def delete(self, owner: str, conversation: str) -> bool:
        with Session(self.engine) as session, session.begin():
            row = self._owned(session, owner, conversation)
            if row is None:
                return False
            session.execute(delete(TurnRow).where(TurnRow.conversation_id == row.id))
            session.delete(row)
            return True

    # --- turns ------------------------------------------------------------------------------------------

    def turns(self, owner: str, conversation: str) -> list[Turn]:
        with Session(self.engine) as session:
            if self._owned(session, owner, conversation) is None:
                return []
            rows = session.scalars(
                select(TurnRow).where(TurnRow.conversation_id == conversation).order_by(TurnRow.id)
            ).all()
            return [Turn(r.id, r.question, _answer_of(r), r.vote) for r in rows]

    def start_turn(
        self, owner: str, conversation: str, question: str, keep: int | None = None
    ) -> tuple[int, str] | None:
        """Adds a question whose answer is to come, after the first `keep` turns (the rest are replaced:
        a regenerated or edited question). Returns the turn's id and the run that may complete it, or None
        when the conversation is not this owner's."""
        run = secrets.token_hex(16)
        with Session(self.engine) as session, session.begin():
            row = self._owned(session, owner, conversation)
            if row is None:
                return None
            if keep is not None:
                ids = session.scalars(
                    select(TurnRow.id).where(TurnRow.conversation_id == conversation).order_by(TurnRow.id)
                ).all()
                if ids[keep:]:
                    session.execute(delete(TurnRow).where(TurnRow.id.in_(ids[keep:])))
            now = self.clock()
            turn = TurnRow(conversation_id=conversation, question=question, run=run, stopped=False, created_at=now)
            session.add(turn)
            row.updated_at = now
            session.flush()
            count = session.scalar(select(func.count()).where(TurnRow.conversation_id == conversation)) or 0
            if count > MAX_TURNS:
                oldest = session.scalars(
                    select(TurnRow.id)
                    .where(TurnRow.conversation_id == conversation)
                    .order_by(TurnRow.id)
                    .limit(count - MAX_TURNS)
                ).all()
                session.execute(delete(TurnRow).where(TurnRow.id.in_(oldest)))
            return turn.id, run

    def finish_turn(self, owner: str, conversation: str, turn: int, run: str, answer: dict[str, Any]) -> bool:
        """Stores the answer, unless the turn was stopped, replaced or deleted meanwhile (then False)."""
        with Session(self.engine) as session, session.begin():
            if self._owned(session, owner, conversation) is None:
                return False
            done = session.execute(
                update(TurnRow)
                .where(
                    TurnRow.id == turn,
                    TurnRow.conversation_id == conversation,
                    TurnRow.run == run,
                    TurnRow.answer.is_(None),
                    TurnRow.stopped.is_(False),
                )
                .values(answer=json.dumps(answer, ensure_ascii=False))
            )
            return bool(getattr(done, "rowcount", 0))

    def is_open(self, turn: int, run: str) -> bool:
        """The run may still complete this turn: not stopped, replaced or deleted meanwhile."""
        with Session(self.engine) as session:
            found = session.scalar(
                select(TurnRow.id).where(
                    TurnRow.id == turn, TurnRow.run == run, TurnRow.answer.is_(None), TurnRow.stopped.is_(False)
                )
            )
            return found is not None

    def stop_turns(self, owner: str, conversation: str) -> int:
        """Marks the answers still streaming as stopped: a run finishing later no longer stores its answer."""
        with Session(self.engine) as session, session.begin():
            if self._owned(session, owner, conversation) is None:
                return 0
            done = session.execute(
                update(TurnRow)
                .where(TurnRow.conversation_id == conversation, TurnRow.answer.is_(None), TurnRow.stopped.is_(False))
                .values(stopped=True)
            )
            return int(getattr(done, "rowcount", 0) or 0)

    def set_vote(self, owner: str, conversation: str, turn: int, vote: str | None) -> bool:
        with Session(self.engine) as session, session.begin():
            if self._owned(session, owner, conversation) is None:
                return False
            done = session.execute(
                update(TurnRow)
                .where(TurnRow.id == turn, TurnRow.conversation_id == conversation)
                .values(vote=vote)
            )
            return bool(getattr(done, "rowcount", 0))

    @staticmethod
    def _owned(session: Session, owner: str, conversation: str) -> ConversationRow | None:
        return session.scalars(
            select(ConversationRow).where(ConversationRow.id == conversation, ConversationRow.owner == owner)
        ).first()


def _answer_of(row: TurnRow) -> dict[str, Any] | None:
    if row.answer is None:
        return None
    try:
        value = json.loads(row.answer)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
