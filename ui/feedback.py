"""Like/dislike feedback: SQLite under the data dir by default, or any SQLAlchemy URL in
DOCCHAT_DATABASE_URL."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Index, Integer, String, Text, create_engine, delete, inspect, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from rag.models import Citation


class Base(DeclarativeBase):
    pass


class FeedbackRow(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    vote: Mapped[str] = mapped_column(String(8))  # "up" | "down"
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    citations: Mapped[str] = mapped_column(Text)  # JSON list of Citation objects
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    channel: Mapped[str] = mapped_column(String(16))  # "api" | "chat" | "widget": where the vote came from
    # Who voted (the client address) and on what (answer_key()): one vote per answer and client. Both are
    # null on rows stored before votes were keyed, and nulls never collide in a unique index.
    voter: Mapped[str | None] = mapped_column(String(128), nullable=True)
    answer_key: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (Index("ix_feedback_one_vote", "voter", "answer_key", unique=True),)


# Columns added after the first release, with their DDL for databases created before them.
_ADDED_COLUMNS = {"voter": "VARCHAR(128)", "answer_key": "VARCHAR(64)"}


def answer_key(question: str, answer: str) -> str:
    """What identifies a rated answer: its question and text (a client sends both back with its vote)."""
    return hashlib.sha256(f"{question}\x00{answer}".encode()).hexdigest()


class FeedbackStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, pool_pre_ping=True)

    @classmethod
    def from_url(cls, url: str) -> FeedbackStore:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return cls(url)

    def create_tables(self) -> None:
        """Creates the table, or brings one made by an older docchat up to date (its rows are kept)."""
        Base.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            _add_missing_columns(conn)

    def set_vote(
        self,
        voter: str,
        vote: str | None,
        question: str,
        answer: str,
        citations: Sequence[Citation | dict[str, Any]] = (),
        comment: str | None = None,
        channel: str = "api",
    ) -> tuple[int | None, bool]:
        """This client's vote on this answer: stored, replaced (the latest vote wins, comment included), or
        with vote=None taken back. Returns the row id (None once taken back) and whether a vote existed."""
        key = answer_key(question, answer)
        if vote is None:
            with Session(self.engine) as session, session.begin():
                deleted = session.execute(
                    delete(FeedbackRow).where(FeedbackRow.voter == voter, FeedbackRow.answer_key == key)
                )
                return None, bool(getattr(deleted, "rowcount", 0))
        values = {
            "vote": vote,
            "citations": json.dumps([_citation_dict(c) for c in citations], ensure_ascii=False),
            "comment": comment,
            "channel": channel,
        }
        for _ in range(2):  # a concurrent first vote may win the insert; then this one replaces it
            try:
                return self._upsert(voter, key, question, answer, values)
            except IntegrityError:
                continue
        raise RuntimeError("feedback vote could not be stored")  # pragma: no cover - needs two lost races

    def _upsert(
        self, voter: str, key: str, question: str, answer: str, values: dict[str, Any]
    ) -> tuple[int, bool]:
        with Session(self.engine) as session, session.begin():
            row = session.scalars(
                select(FeedbackRow).where(FeedbackRow.voter == voter, FeedbackRow.answer_key == key)
            ).first()
            if row is not None:
                for name, value in values.items():
                    setattr(row, name, value)
                return row.id, True
            row = FeedbackRow(
                created_at=datetime.now(UTC), question=question, answer=answer, voter=voter, answer_key=key, **values
            )
            session.add(row)
            session.flush()
            return row.id, False

    def add(
        self,
        vote: str,
        question: str,
        answer: str,
        citations: Sequence[Citation | dict[str, Any]] = (),
        comment: str | None = None,
        channel: str = "api",
    ) -> int:
        row = FeedbackRow(
            created_at=datetime.now(UTC),
            vote=vote,
            question=question,
            answer=answer,
            citations=json.dumps([_citation_dict(c) for c in citations], ensure_ascii=False),
            comment=comment,
            channel=channel,
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            return row.id

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        with Session(self.engine) as session:
            rows = session.scalars(select(FeedbackRow).order_by(FeedbackRow.id.desc()).limit(limit)).all()
            return [_row_dict(r) for r in rows]


def _add_missing_columns(conn: Connection) -> None:
    present = {c["name"] for c in inspect(conn).get_columns(FeedbackRow.__tablename__)}
    for name, ddl in _ADDED_COLUMNS.items():
        if name not in present:
            conn.execute(text(f"ALTER TABLE {FeedbackRow.__tablename__} ADD COLUMN {name} {ddl}"))
    for index in FeedbackRow.__table__.indexes:
        index.create(conn, checkfirst=True)


def _citation_dict(citation: Citation | dict[str, Any]) -> dict[str, Any]:
    return (
        citation.model_dump()
        if isinstance(citation, Citation)
        else Citation.model_validate(citation).model_dump()
    )


def _row_dict(row: FeedbackRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "created_at": row.created_at.isoformat(),
        "vote": row.vote,
        "question": row.question,
        "answer": row.answer,
        "citations": json.loads(row.citations),
        "comment": row.comment,
        "channel": row.channel,
        "voter": row.voter,
    }
