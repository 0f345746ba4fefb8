"""Answer pipelines: condense -> retrieve -> compose, producing the shared `Answer` contract."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from rag.answer_types import answer_hints
from rag.answerability import AnswerabilityModel
from rag.condense import RECENT_TURNS, HeuristicCondenser, bounded
from rag.extractive import (
    REFUSAL_TEXT,
    Composition,
    Evidence,
    ExtractiveComposer,
    render_unit,
    shorten,
)
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
    meta = ev.chunk.meta
    return Citation(
        n=n,
        source=ev.source,
        title=meta.title,
        section=meta.section,
        quote=ev.text,
        start=ev.start,
        end=ev.end,
        score=round(score, 4),
        version=meta.file_sha256,
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


def compose_text(composition: Composition, evidence: Sequence[Evidence], max_chars: int) -> str:
    numbered = list(enumerate(evidence, start=1))
    split = composition.list_start if composition.list_label else len(evidence)
    # A unit alone may not exceed the budget: room is left for its marker.
    sentences = [with_marker(shorten(render_unit(ev), max_chars - 8), n) for n, ev in numbered[:split]]
    if composition.disagreement and len(sentences) >= 2:
        sentences = ["The sources differ on this.", sentences[0], "By contrast, another source says:", *sentences[1:]]
    if composition.list_label and numbered[split:]:
        items = "; ".join(f"{ev.text} [{n}]" for n, ev in numbered[split:])
        sentences.append(f"{shorten(composition.list_label, max_chars // 4)}: {items}.")
    return " ".join(sentences)


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(
        self,
        retriever: HybridRetriever,
        condenser: HeuristicCondenser,
        model: AnswerabilityModel,
        *,
        max_sentences: int = 4,
        max_chars: int = 500,
    ) -> None:
        self.retriever = retriever
        self.condenser = condenser
        self.model = model
        self.max_sentences = max_sentences
        self.max_chars = max_chars

    def composer(self) -> ExtractiveComposer:
        return ExtractiveComposer(
            self.retriever.bm25, self.model, max_sentences=self.max_sentences, max_chars=self.max_chars
        )

    def standalone(self, question: str, history: Sequence[Message]) -> str:
        """The question as it would be asked on its own: typos repaired against the documents' words, then
        resolved against the conversation when it leans on it."""
        speller = self.retriever.bm25.speller
        # Only the turns the condenser reads are repaired, each as bounded as it will read it.
        recent = [m for m in history if m.role == "user" and m.content.strip()][-RECENT_TURNS:]
        repaired = [Message(role="user", content=speller.repair(bounded(m.content))) for m in recent]
        return self.condenser.condense(speller.repair(question), repaired)

    def answer(self, question: str, history: Sequence[Message]) -> Answer:
        started = time.perf_counter()
        standalone = self.standalone(question, history)
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
        evidence, text = self.fit_to_budget(composition)
        return Answer(
            answer=text,
            refused=False,
            standalone_question=standalone,
            citations=citations_for(evidence),
            retrieved=retrieved_of(retrieval),
            answerer=self.name,
        )

    def fit_to_budget(self, composition: Composition) -> tuple[list[Evidence], str]:
        """The answer text within `max_chars`, and the evidence it cites. Units are dropped from the end
        until it fits; a single unit longer than the budget is cut at a word boundary with an ellipsis (its
        citation still quotes it whole, up to extractive.QUOTE_BUDGETS budgets; the composer has already
        narrowed a longer unit to a verbatim window)."""
        evidence = list(composition.evidence)
        while True:
            text = compose_text(composition, evidence, self.max_chars)
            if len(text) <= self.max_chars:
                return evidence, text
            if len(evidence) <= 1:  # one unit, framed by a long list label: the unit alone, cut to fit
                return evidence, compose_text(Composition(refused=False, evidence=evidence), evidence, self.max_chars)
            evidence.pop()
            if composition.list_label and len(evidence) <= composition.list_start:
                composition = Composition(refused=False, evidence=evidence, disagreement=composition.disagreement)

    def stream(self, question: str, history: Sequence[Message]) -> Iterator[StreamEvent]:
        answer = self.answer(question, history)
        for delta in stream_words(answer.answer):
            yield StreamEvent("delta", text=delta)
        yield StreamEvent("answer", answer=answer)
