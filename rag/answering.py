"""The extractive answerer, and what both answerers share: citations, refusals, the `Answerer` protocol.

Both run through the one answer pipeline of rag/chain.py (condense -> retrieve -> answer -> render)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from langchain_core.runnables import RunnableConfig, RunnableLambda

from rag.answerability import AnswerabilityModel
from rag.chain import (
    StepFailed,
    StreamEvent,
    Turn,
    build_answer_pipeline,
    events_of,
    final_answer,
    step,
)
from rag.condense import RECENT_TURNS, HeuristicCondenser, bounded
from rag.extractive import (
    REFUSAL_TEXT,
    Composition,
    Evidence,
    ExtractiveComposer,
    render_unit,
    shorten,
)
from rag.models import Answer, Citation, Message, RetrievedChunk
from rag.retrieval import HybridRetriever, Retrieval


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
        self.pipeline = build_answer_pipeline(
            retriever,
            condense=self.condense,
            answer=RunnableLambda(step(self.compose)),
            render=lambda turn: self.render(turn.standalone, turn.retrieval, turn.draft),  # type: ignore[arg-type]
            stream_rendered=True,
            name="docchat-extractive",
        )

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

    def condense(self, turn: Turn, config: RunnableConfig) -> str:
        return self.standalone(turn.question, turn.history)

    def compose(self, turn: Turn) -> Turn:
        assert turn.retrieval is not None
        turn.draft = self.composer().compose(turn.standalone, turn.retrieval)
        return turn

    def answer(self, question: str, history: Sequence[Message]) -> Answer:
        return final_answer(self._events(Turn(question, list(history), deltas=False)))

    def stream(self, question: str, history: Sequence[Message]) -> Iterator[StreamEvent]:
        yield from self._events(Turn(question, list(history)))

    def _events(self, turn: Turn) -> Iterator[StreamEvent]:
        try:
            yield from events_of(self.pipeline, turn)
        except StepFailed as exc:  # tagged for the LLM answerer's sake; here only the original matters
            raise exc.__cause__ or exc from None

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
