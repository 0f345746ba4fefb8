"""Answer pipelines: condense -> retrieve -> compose, producing the shared `Answer` contract."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from rag.condense import HeuristicCondenser
from rag.extractive import REFUSAL_TEXT, Composition, Evidence, ExtractiveComposer, answer_hints, render_unit
from rag.models import Answer, Citation, Message, RetrievedChunk, Timings
from rag.retrieval import HybridRetriever, Retrieval


@dataclass
class StreamEvent:
    """What a streaming answer yields: text deltas first, then the finished answer."""

    kind: str  # "delta" | "answer"
    text: str = ""
    answer: Answer | None = None


class Answerer(Protocol):
    name: str

    def answer(self, question: str, history: Sequence[Message]) -> Answer: ...

    def stream(self, question: str, history: Sequence[Message]) -> Iterator[StreamEvent]: ...


def citation_of(n: int, ev: Evidence, score: float) -> Citation:
    meta = ev.chunk.chunk.metadata
    return Citation(
        n=n,
        source=ev.source,
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        quote=ev.text,
        start=ev.start,
        end=ev.end,
        score=round(score, 4),
    )


def citations_for(evidence: Sequence[Evidence]) -> list[Citation]:
    return [citation_of(i, ev, ev.score) for i, ev in enumerate(evidence, start=1)]


def timings(started: float, retrieved_at: float) -> Timings:
    """Milliseconds spent retrieving, answering and in all, from perf_counter stamps taken along the way."""
    finished = time.perf_counter()
    return Timings(
        retrieve=round((retrieved_at - started) * 1000, 2),
        answer=round((finished - retrieved_at) * 1000, 2),
        total=round((finished - started) * 1000, 2),
    )


def with_marker(sentence: str, n: int) -> str:
    """Put [n] before the sentence's final full stop: "… product strategy [1]."."""
    if sentence.endswith("."):
        return f"{sentence[:-1]} [{n}]."
    return f"{sentence} [{n}]"


def retrieved_of(retrieval: Retrieval) -> list[RetrievedChunk]:
    return [RetrievedChunk(source=c.source, chunk_id=c.chunk_id, score=round(c.dense, 4)) for c in retrieval.chunks]


def refusal_text(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return REFUSAL_TEXT
    topics = "; ".join(f"“{s}”" for s in suggestions)
    return f"{REFUSAL_TEXT} The closest topics they cover are: {topics}."


def stream_words(text: str) -> Iterator[str]:
    """Deltas of a few words each, so clients render progressively without a flood of events."""
    words = text.split(" ")
    for i in range(0, len(words), 4):
        yield " ".join(words[i : i + 4]) + (" " if i + 4 < len(words) else "")


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, retriever: HybridRetriever, condenser: HeuristicCondenser, composer_options: dict) -> None:
        self.retriever = retriever
        self.condenser = condenser
        self.composer_options = composer_options

    def composer(self) -> ExtractiveComposer:
        return ExtractiveComposer(self.retriever.bm25, **self.composer_options)

    def answer(self, question: str, history: Sequence[Message]) -> Answer:
        started = time.perf_counter()
        standalone = self.condenser.condense(question, history)
        retrieval = self.retriever.retrieve(standalone, lexical_hints=answer_hints(standalone))
        retrieved_at = time.perf_counter()
        composition = self.composer().compose(standalone, retrieval)
        answer = self.render(standalone, retrieval, composition)
        answer.timings_ms = timings(started, retrieved_at)
        return answer

    def render(self, standalone: str, retrieval: Retrieval, composition: Composition) -> Answer:
        if composition.refused:
            return Answer(
                answer=refusal_text(composition.suggestions),
                refused=True,
                standalone_question=standalone,
                retrieved=retrieved_of(retrieval),
                answerer=self.name,
                suggestions=composition.suggestions,
            )
        evidence = composition.evidence
        numbered = list(enumerate(evidence, start=1))
        split = composition.list_start if composition.list_label else len(evidence)
        sentences = [with_marker(render_unit(ev), n) for n, ev in numbered[:split]]
        if composition.disagreement and len(sentences) >= 2:
            sentences = [
                "The sources differ on this.",
                sentences[0],
                "By contrast, another source says:",
                *sentences[1:],
            ]
        if composition.list_label:
            items = "; ".join(f"{ev.text} [{n}]" for n, ev in numbered[split:])
            sentences.append(f"{composition.list_label}: {items}.")
        text = " ".join(sentences)
        return Answer(
            answer=text,
            refused=False,
            standalone_question=standalone,
            citations=citations_for(composition.evidence),
            retrieved=retrieved_of(retrieval),
            answerer=self.name,
        )

    def stream(self, question: str, history: Sequence[Message]) -> Iterator[StreamEvent]:
        answer = self.answer(question, history)
        for delta in stream_words(answer.answer):
            yield StreamEvent("delta", text=delta)
        yield StreamEvent("answer", answer=answer)
