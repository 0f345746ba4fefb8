"""The answer pipeline's plumbing (rag/chain.py) with a chat model that never stops talking: the answerers'
behaviour is tested end to end in test_answering.py and test_llm.py, this is what those cannot observe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
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
