"""Like/dislike feedback: SQLite under the data dir by default, or any SQLAlchemy URL in
DOCCHAT_DATABASE_URL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, create_engine, select
from sqlalchemy.engine import Engine, make_url
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
        Base.metadata.create_all(self.engine)

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
    }
