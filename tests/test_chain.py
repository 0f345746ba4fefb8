"""The answer pipeline's plumbing (rag/chain.py) with a chat model that never stops talking: the answerers'
behaviour is tested end to end in test_answering.py and test_llm.py, this is what those cannot observe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.retrievers import BaseRetriever

from rag.chain import Turn, build_answer_pipeline, events_of, llm_generate
from rag.models import Answer
from rag.retrieval import Retrieval, RetrievedDocuments


class NoDocuments(BaseRetriever):
    def _get_relevant_documents(self, query: str, *, run_manager: Any, lexical_hints: Any = ()) -> Any:
        return RetrievedDocuments(Retrieval(query, np.zeros(3, dtype=np.float32), []))


class Endless(BaseChatModel):
    """Streams "word " for ever, counting what was read from it."""

    read: int = 0

    @property
    def _llm_type(self) -> str:
        return "endless"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        raise NotImplementedError

    def _stream(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        while True:
            self.read += 1
            yield ChatGenerationChunk(message=AIMessageChunk(content="word "))


def test_a_caller_giving_up_stops_the_model_stream() -> None:
    # LCEL steps drain their input when closed (for tracing); the render step after the model's would
    # otherwise read an endless reply to its end.
    model = Endless()
    pipeline = build_answer_pipeline(
        NoDocuments(),
        condense=lambda turn, config: turn.question,
        answer=llm_generate(model, max_sentences=3, budget_s=60, clock=lambda: 0.0),
        render=lambda turn: Answer(answer=turn.draft, refused=False, standalone_question=turn.standalone),
        stream_rendered=False,
        name="test",
    )
    events = events_of(pipeline, Turn("Who?", []))
    first = [next(events) for _ in range(3)]
    events.close()

    assert [e.text for e in first] == ["word "] * 3
    assert model.read == 3


class Silent(Endless):
    """Streams 50 empty chunks (a reasoning model's thinking, keep-alives): no text ever arrives."""

    def _stream(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for _ in range(50):
            self.read += 1
            yield ChatGenerationChunk(message=AIMessageChunk(content=""))


def test_a_model_streaming_only_empty_chunks_is_cut_off_at_the_budget() -> None:
    model = Silent()
    readings = iter(range(0, 10_000, 10))  # each reading of the clock is 10 s later
    pipeline = build_answer_pipeline(
        NoDocuments(),
        condense=lambda turn, config: turn.question,
        answer=llm_generate(model, max_sentences=3, budget_s=60, clock=lambda: float(next(readings))),
        render=lambda turn: Answer(answer=turn.draft, refused=False, standalone_question=turn.standalone),
        stream_rendered=False,
        name="test",
    )
    with pytest.raises(TimeoutError):
        list(events_of(pipeline, Turn("Who?", [])))
    assert model.read <= 8  # the 60 s budget ran out at the seventh reading, not after the stream's end
