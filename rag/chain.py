"""The answer pipeline: one LCEL chain for both answerers, its steps named for tracing.

    condense -> retrieve -> answer -> render

condense makes the question standalone (heuristics, or the model when there is history); retrieve invokes
the `HybridRetriever` as a LangChain retriever; answer composes from the documents (extractive) or streams
the model's reply (LLM); render turns that into the `Answer` contract, with its timings. The chain streams
`StreamEvent`s: text deltas, then the finished answer. One `Turn` travels through the steps, each filling
in its part, so a step reads what the earlier ones found without re-packing dicts at every hop.
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableConfig, RunnableGenerator, RunnableLambda

from rag import prompts
from rag.answer_types import answer_hints
from rag.extractive import REFUSAL_TEXT
from rag.llm_endpoint import EmptyReply
from rag.models import Answer, Message, Timings
from rag.retrieval import HybridRetriever, Retrieval, ScoredChunk, retrieval_of
from rag.text import strip_citations, tokens

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# A rewritten question is one line; more tokens than this means the model is answering, not rewriting.
CONDENSE_MAX_TOKENS = 96

_STANDALONE_PREFIX = re.compile(r"^\s*(?:standalone question|question|rewritten question)\s*:\s*", re.IGNORECASE)


@dataclass
class StreamEvent:
    """What a streaming answer yields: text deltas first, then the finished answer."""

    kind: str  # "delta" | "answer"
    text: str = ""
    answer: Answer | None = None


@dataclass
class Turn:
    """One question on its way through the chain."""

    question: str
    history: list[Message]
    deltas: bool = True  # whether the caller reads text deltas (`answer()` reads only the final answer)
    started: float = field(default_factory=time.perf_counter)
    standalone: str = ""
    retrieval: Retrieval | None = None
    retrieved_at: float = 0.0
    draft: Any = None  # what the answer step made: a Composition, or the model's text
    # Set by a caller that stops reading: a step still streaming ends at its next delta instead of running on.
    cancelled: bool = False


class StepFailed(Exception):
    """A step that is not the model's broke. Tagged so that the LLM answerer does not blame the model (no
    fallback, no cooldown); callers re-raise the original exception (`__cause__`)."""


class RetrievalFailed(StepFailed):
    pass


class RenderFailed(StepFailed):
    pass


def timings(started: float, retrieved_at: float) -> Timings:
    """Milliseconds spent retrieving, answering and in all, from perf_counter stamps taken along the way."""
    finished = time.perf_counter()
    return Timings(
        retrieve=round((retrieved_at - started) * 1000, 2),
        answer=round((finished - retrieved_at) * 1000, 2),
        total=round((finished - started) * 1000, 2),
    )


def stream_words(text: str) -> Iterator[str]:
    """Deltas of a few words each, so clients render progressively without a flood of events."""
    words = text.split(" ")
    for i in range(0, len(words), 4):
        yield " ".join(words[i : i + 4]) + (" " if i + 4 < len(words) else "")


F = TypeVar("F", bound=Callable[..., Any])


def step(function: F) -> F:
    """The function with its signature worked out once: LangChain inspects a step's signature on every call
    (does it take a config?), which cost about a millisecond per answer; `inspect` reuses `__signature__`."""
    target = getattr(function, "__func__", function)  # a bound method reads its function's
    target.__signature__ = inspect.signature(target)
    return function


def build_answer_pipeline(
    retriever: HybridRetriever,
    *,
    condense: Callable[[Turn, RunnableConfig], str],
    answer: Runnable[Turn, Any],
    render: Callable[[Turn], Answer],
    stream_rendered: bool,
    name: str,
) -> Runnable[Turn, StreamEvent]:
    """Turn -> StreamEvents. `answer` returns the Turn with its draft, or (streaming) yields text deltas and
    then the Turn; `render` makes the Answer from the drafted Turn. `stream_rendered`: the answer step has
    no deltas of its own, so the rendered text is streamed in words before the answer."""

    def condense_step(turn: Turn, config: RunnableConfig) -> Turn:
        turn.standalone = condense(turn, config)
        return turn

    def retrieve_step(turn: Turn, config: RunnableConfig) -> Turn:
        try:
            documents = retriever.invoke(turn.standalone, config, lexical_hints=answer_hints(turn.standalone))
            turn.retrieval = retrieval_of(documents)
        except Exception as exc:  # noqa: BLE001 - re-raised, tagged so the answerer does not blame the model
            raise RetrievalFailed(str(exc)) from exc
        turn.retrieved_at = time.perf_counter()
        return turn

    def render_step(items: Iterator[Turn | str]) -> Iterator[StreamEvent]:
        for item in items:
            if isinstance(item, str):
                yield StreamEvent("delta", text=item)
                continue
            try:
                answer = render(item)
            except Exception as exc:  # noqa: BLE001 - re-raised, tagged as for retrieval
                raise RenderFailed(str(exc)) from exc
            answer.timings_ms = timings(item.started, item.retrieved_at)
            if stream_rendered and item.deltas:
                for delta in stream_words(answer.answer):
                    yield StreamEvent("delta", text=delta)
            yield StreamEvent("answer", answer=answer)

    return (
        RunnableLambda(step(condense_step)).with_config(run_name="condense")
        | RunnableLambda(step(retrieve_step)).with_config(run_name="retrieve")
        | answer.with_config(run_name="answer")
        | RunnableGenerator(step(render_step)).with_config(run_name="render")
    ).with_config(run_name=name)


def events_of(pipeline: Runnable[Turn, StreamEvent], turn: Turn) -> Iterator[StreamEvent]:
    """The pipeline's events for one turn; stopping early stops the steps still streaming."""
    events = pipeline.stream(turn)
    try:
        # Not `yield from`: that would close `events` before `cancelled` is set, and closing drains a model
        # stream that is not told to stop.
        for event in events:  # noqa: UP028
            yield event
    finally:
        turn.cancelled = True
        events.close()  # closes a model's HTTP stream if the caller gave up


def final_answer(events: Iterable[StreamEvent]) -> Answer:
    final = None
    for event in events:
        if event.kind == "answer":
            final = event.answer
    assert final is not None
    return final


# --- the LLM's steps ------------------------------------------------------------------------------------
def llm_condense(
    llm: BaseChatModel, fallback: Callable[[str, Sequence[Message]], str]
) -> Callable[[Turn, RunnableConfig], str]:
    """The model rewrites a follow-up into a standalone question; a first question needs no model call."""
    condense_prompt = ChatPromptTemplate.from_messages(
        [("system", prompts.CONDENSE_SYSTEM), ("human", prompts.CONDENSE_USER)]
    )
    short_llm = llm.bind(max_tokens=CONDENSE_MAX_TOKENS, extra_body={"max_tokens": CONDENSE_MAX_TOKENS})
    rewrite = condense_prompt | short_llm | StrOutputParser()

    def condense(turn: Turn, config: RunnableConfig) -> str:
        question, history = turn.question.strip(), turn.history
        if not any(m.role == "user" for m in history):
            return question  # a first question is already standalone: no model call
        turns = [(m.role, m.content) for m in history if m.role in ("user", "assistant")]
        raw = rewrite.invoke({"history": prompts.history_block(turns), "question": question}, config)
        return clean_standalone(raw, question) or fallback(question, history)

    return condense


def llm_generate(
    llm: BaseChatModel, *, max_sentences: int, budget_s: float, clock: Callable[[], float]
) -> Runnable[Turn, Turn | str]:
    """The prompt (numbered sources as delimited data), then the model's reply streamed as text deltas; the
    Turn follows with the whole reply as its draft. httpx's timeout is per read, so a server that trickles
    tokens could stream for ever: `budget_s` caps the whole reply, on `clock`."""
    answer_prompt = ChatPromptTemplate.from_messages(
        [("system", prompts.ANSWER_SYSTEM), ("human", prompts.ANSWER_USER)]
    ).partial(max_sentences=str(max_sentences), refusal=REFUSAL_TEXT)
    prompt = answer_prompt.with_config(run_name="prompt")

    def generate(turns: Iterator[Turn], config: RunnableConfig) -> Iterator[Turn | str]:
        # The model is streamed directly, not through `| StrOutputParser()` or another .assign(): on close
        # those drain the rest of the stream (for tracing), so a caller giving up would still wait for it.
        # The render step after this one drains its input on close too: `turn.cancelled` ends it instead.
        turn = next(iter(turns))
        assert turn.retrieval is not None
        deadline = clock() + budget_s  # the reply's clock starts once retrieval (a cold index) is done
        messages = prompt.invoke(
            {"sources": format_sources(turn.retrieval.chunks), "question": prompts.neutralise(turn.standalone)},
            config,
        )
        parts: list[str] = []
        reply = llm.stream(messages, config)
        try:
            for token in reply:
                if token.text:
                    parts.append(token.text)
                    yield token.text
                # Checked on every chunk, text or not: a server streaming empty chunks (reasoning, keep-alives)
                # must still be cut off at the budget, and a caller who gave up must not keep it streaming.
                if turn.cancelled:
                    return
                if clock() > deadline:
                    raise TimeoutError(f"the reply took longer than {budget_s:g}s")
        finally:
            reply.close()  # closes the HTTP response
        if not "".join(parts).strip():
            raise EmptyReply("the reply had no text")
        turn.draft = "".join(parts)
        yield turn

    return RunnableGenerator(step(generate))


def format_sources(chunks: Sequence[ScoredChunk]) -> str:
    return "\n\n".join(
        prompts.source_block(
            n,
            c.source,
            c.meta.section or c.meta.title,
            c.chunk.text,
        )
        for n, c in enumerate(chunks, start=1)
    )


def clean_standalone(raw: str, question: str) -> str | None:
    """The model's rewrite, if it looks like one question; None sends us to the heuristic condenser."""
    lines = [line.strip() for line in raw.strip().splitlines() if line.strip()]
    if not lines:
        return None
    text = strip_citations(_STANDALONE_PREFIX.sub("", lines[0])).strip().strip("\"'“”").strip()
    if not tokens(text) or len(text) > max(300, 4 * len(question)):
        return None
    return text
