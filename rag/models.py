"""The answer contract shared by the CLI, API, UI and eval."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Message(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str


class Citation(BaseModel):
    n: int = Field(description="The marker number used inline as [n].")
    source: str = Field(description="File path relative to the corpus folder.")
    title: str
    section: str
    quote: str = Field(description="Verbatim text of the source; original[start:end] == quote.")
    start: int
    end: int
    score: float
    version: str = Field(
        "",
        description="sha256 of the file's bytes the quote was taken from: while documents are re-indexed, "
        "an answer may cite the version it was indexed from, and the quote is verbatim in that version.",
    )


class RetrievedChunk(BaseModel):
    source: str
    chunk_id: str
    score: float


class Timings(BaseModel):
    retrieve: float = 0.0
    answer: float = 0.0
    total: float = 0.0


class Answer(BaseModel):
    answer: str
    refused: bool
    standalone_question: str
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[RetrievedChunk] = Field(default_factory=list)
    timings_ms: Timings = Field(default_factory=Timings)
    answerer: str = "extractive"
    dropped_sentences: int = Field(0, description="Generated sentences removed by the grounding guard.")
    notice: str | None = Field(None, description="Something the reader should know (e.g. LLM fallback).")
    suggestions: list[str] = Field(
        default_factory=list, description="On refusal: the closest topics the documents do cover."
    )
