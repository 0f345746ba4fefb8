"""The JSON API: /api/chat (plain and SSE), /api/health, /api/feedback, and OpenAI-compatible /v1/*.

Thin: parse and check the request, call DocChat, shape the response.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.sse import EventSourceResponse, ServerSentEvent, format_sse_event
from sqlalchemy.exc import SQLAlchemyError

from rag.app import Health as DocChatHealth
from rag.chain import StreamEvent, stream_words
from rag.models import Answer, Message
from ui.context import (
    ApiError,
    WebContext,
    client_key,
    context_of,
    log_unexpected,
    public_error,
)
from ui.schemas import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    ChatRequest,
    ChunkChoice,
    CompletionChoice,
    Delta,
    ErrorBody,
    FeedbackRequest,
    FeedbackResponse,
    Health,
    IndexHealth,
    Limits,
    ModelCard,
    ModelHealth,
    ModelList,
    OpenAIMessage,
    Usage,
)
from ui.security import token_matches

MODEL_ID = "docchat"
# Proxies (nginx) buffer responses unless told not to; answers must reach the reader as they stream.
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_bearer = HTTPBearer(
    auto_error=False,
    description="Required on /api/* (except /api/health) and /v1/* when DOCCHAT_API_TOKEN is set.",
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        400: "Invalid JSON or an unusable message list.",
        401: "Missing or wrong bearer token.",
        413: "Message or body too large.",
        422: "Empty message, too much history, or wrong types.",
        429: "Rate limit exceeded (see Retry-After).",
        503: "The document index is unavailable.",
    }.items()
}


def guard(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Rate limit first (so token guessing is throttled too), then the optional bearer token."""
    ctx = context_of(request)
    ctx.check_rate(client_key(request))
    token = ctx.settings.api_token
    if token is None:
        return
    header = request.headers.get("authorization")
    if not token_matches(header, token.get_secret_value()):
        raise ApiError(401, "missing or invalid bearer token", {"WWW-Authenticate": "Bearer"})


router = APIRouter()
protected = APIRouter(dependencies=[Depends(guard)], responses=ERRORS)


# --- /api -----------------------------------------------------------------------------------------


@router.get("/api/health", response_model=Health, tags=["api"], responses={503: {"model": Health}})
def health(request: Request) -> JSONResponse:
    """Index size and reachability, model status, answerer. 503 when degraded. Never needs the token."""
    ctx = context_of(request)
    state = ctx.docchat.health()
    index = index_health(ctx, state)
    loaded = state.model_loaded
    last_run = ctx.reindexer.status() if ctx.reindexer else None
    if last_run is not None and last_run.state == "failed" and index.state == "changing":
        # Our own re-index stopped halfway: nothing is changing any more, and answers mix both versions.
        index.error = f"the last re-index failed ({last_run.error}); re-index again to complete it"
    if not (index.store_reachable and loaded) or index.error:
        status = "degraded"
    elif index.reindexing or index.state in ("changing", "stale"):
        status = "reindexing"
    else:
        status = "ok"
    body = Health(
        status=status,
        index=index,
        model=ModelHealth(loaded=loaded),
        answerer=ctx.docchat.answerer.name,
        llm=llm_status(ctx),
        limits=Limits(
            max_question_chars=ctx.settings.max_question_chars,
            max_history_messages=ctx.settings.max_history_messages,
            rate_limit_per_minute=ctx.settings.rate_limit_per_minute,
        ),
    )
    # Answers still flow while re-indexing, so only "degraded" is a 503 (load balancers keep the server).
    return JSONResponse(body.model_dump(mode="json"), status_code=503 if body.status == "degraded" else 200)


def llm_status(ctx: WebContext) -> dict[str, Any] | None:
    """The LLM answerer's last known state (no probe: health checks must stay cheap)."""
    try:
        return ctx.docchat.llm_status()
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not fail
        log_unexpected(exc, "llm status")
        return {"configured": True, "reachable": None, "last_error": "status unavailable"}


def index_health(ctx: WebContext, state: DocChatHealth) -> IndexHealth:
    reindexing = bool(ctx.reindexer and ctx.reindexer.running)
    if state.store_reachable:
        return IndexHealth(chunks=state.chunks, store_reachable=True, state=state.index_state, reindexing=reindexing)
    if state.failure is not None:
        log_unexpected(state.failure, "health check")
    return IndexHealth(chunks=None, store_reachable=False, reindexing=reindexing, error="cannot reach the vector store")


@protected.post(
    "/api/chat",
    response_model=Answer,
    tags=["api"],
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "description": "With ?stream=true: `event: delta` (data {text}) events, "
                    "then one `event: answer` (data: the answer contract); "
                    "`event: error` (data {error}) if it fails midway."
                }
            }
        }
    },
)
async def chat(
    body: ChatRequest,
    request: Request,
    stream: bool = Query(False, description="Stream server-sent events instead of one JSON answer."),
) -> Any:
    """Answer a question with inline [n] citations. Follow-ups use `history`."""
    ctx = context_of(request)
    question, history = ctx.check_question(body.message, body.history)
    if not stream:
        return await run_in_threadpool(ctx.docchat.answer, question, history)
    events = ctx.docchat.stream(question, history)
    # The first event carries all the work of an extractive answer: take it before the 200 goes out,
    # so a store outage is still a clean 503 rather than an error in the middle of a stream.
    first = await run_in_threadpool(next, events, None)
    return event_stream(sse_answer(first, events))


def event_stream(events: Iterator[ServerSentEvent]) -> EventSourceResponse:
    """An already started answer as a text/event-stream response.

    Not a generator endpoint (FastAPI's own SSE route mode): the routes answer plain JSON too, and they
    take the first event before the 200 goes out."""
    return EventSourceResponse(map(encode_event, events), headers=SSE_HEADERS)


def encode_event(event: ServerSentEvent) -> bytes:
    # FastAPI frames the event; the data is dumped here as ASCII-only JSON (FastAPI uses model_dump_json
    # for models, which keeps non-ASCII): text from documents or users may hold U+2028, U+0085 and the
    # like, which some SSE clients take for line breaks; escaped, every event stays one "data:" line.
    if event.raw_data is not None:
        data: str | None = event.raw_data
    else:
        data = None if event.data is None else json.dumps(event.data)
    return format_sse_event(data_str=data, event=event.event, id=event.id, retry=event.retry, comment=event.comment)


def sse_answer(first: StreamEvent | None, rest: Iterator[StreamEvent]) -> Iterator[ServerSentEvent]:
    try:
        for event in chain([first] if first else [], rest):
            if event.kind == "delta":
                yield ServerSentEvent(event="delta", data={"text": event.text})
            elif event.kind == "answer" and event.answer is not None:
                yield ServerSentEvent(event="answer", data=event.answer.model_dump(mode="json"))
    except Exception as exc:  # noqa: BLE001 - headers are sent; the stream itself must carry the error
        log_unexpected(exc, "streamed answer")
        yield ServerSentEvent(event="error", data={"error": public_error(exc)[1]})


@protected.post(
    "/api/feedback",
    response_model=FeedbackResponse,
    status_code=201,
    tags=["api"],
    responses={200: {"model": FeedbackResponse, "description": "This client's earlier vote was replaced."}},
)
def feedback(body: FeedbackRequest, request: Request) -> JSONResponse:
    """Store a like (up) or dislike (down) for an answer, with an optional comment. One vote per answer
    (question and answer text) and client: voting again replaces the earlier vote."""
    ctx = context_of(request)
    ctx.check_feedback(body)
    channel = "widget" if request.headers.get("x-docchat-client") == "widget" else "api"
    try:
        row_id, updated = ctx.feedback.set_vote(
            client_key(request), body.vote, body.question, body.answer, body.citations, body.comment, channel
        )
    except SQLAlchemyError as exc:
        log_unexpected(exc, "feedback insert")
        raise ApiError(503, "the feedback database is unavailable right now") from exc
    assert row_id is not None  # only a withdrawn vote has no row
    response = FeedbackResponse(id=row_id, updated=updated)
    return JSONResponse(response.model_dump(), status_code=200 if updated else 201)


# --- OpenAI-compatible /v1 -------------------------------------------------------------------------


@protected.get("/v1/models", response_model=ModelList, tags=["openai"])
def models(request: Request) -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID, created=context_of(request).started)])


@protected.get("/v1/models/{model}", response_model=ModelCard, tags=["openai"])
def model(model: str, request: Request) -> ModelCard:
    if model != MODEL_ID:
        raise ApiError(404, f"unknown model {model!r}; this server has only {MODEL_ID!r}")
    return ModelCard(id=MODEL_ID, created=context_of(request).started)


@protected.post(
    "/v1/chat/completions",
    response_model=ChatCompletion,
    tags=["openai"],
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "description": "With stream: true: chat.completion.chunk objects "
                    "(choices[0].delta.content); the last one has finish_reason 'stop' "
                    "plus `citations` and `refused`; then `data: [DONE]`."
                }
            }
        }
    },
)
async def chat_completions(body: ChatCompletionRequest, request: Request) -> Any:
    """OpenAI Chat Completions: the last user message is the question, earlier user/assistant turns the
    history. Answers carry inline [n] markers; the sources are in the extra top-level `citations`."""
    ctx = context_of(request)
    message, history = split_messages(body.messages)
    question, history = ctx.check_question(message, history)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if not body.stream:
        answer = await run_in_threadpool(ctx.docchat.answer, question, history)
        return completion(
            answer, completion_id, created, prompt=[*history, Message(role="user", content=question)]
        )
    events = ctx.docchat.stream(question, history)
    first = await run_in_threadpool(next, events, None)
    return event_stream(openai_stream(first, events, completion_id, created))


def split_messages(messages: list[OpenAIMessage]) -> tuple[str, list[Message]]:
    if messages[-1].role != "user":
        raise ApiError(400, "the last message must have role 'user': it is the question")
    history = [
        Message(role=m.role, content=m.text())  # type: ignore[arg-type]
        for m in messages[:-1]
        if m.role in ("user", "assistant") and m.text().strip()
    ]
    return messages[-1].text(), history


def word_count(messages: list[Message]) -> int:
    return sum(len(m.content.split()) for m in messages)


def completion(answer: Answer, completion_id: str, created: int, prompt: list[Message]) -> ChatCompletion:
    # docchat has no tokenizer of its own: usage counts words, which is what OpenAI clients only display.
    prompt_words = word_count(prompt)
    answer_words = len(answer.answer.split())
    return ChatCompletion(
        id=completion_id,
        created=created,
        model=MODEL_ID,
        choices=[CompletionChoice(message=AssistantMessage(content=answer.answer))],
        usage=Usage(
            prompt_tokens=prompt_words,
            completion_tokens=answer_words,
            total_tokens=prompt_words + answer_words,
        ),
        citations=answer.citations,
        refused=answer.refused,
    )


def chunk(completion_id: str, created: int, delta: Delta, **extra: Any) -> ServerSentEvent:
    finish = extra.pop("finish_reason", None)
    body = ChatCompletionChunk(
        id=completion_id,
        created=created,
        model=MODEL_ID,
        choices=[ChunkChoice(delta=delta, finish_reason=finish)],
        **extra,
    )
    data = body.model_dump(mode="json", exclude_none=True)
    data["choices"][0]["finish_reason"] = finish  # OpenAI sends an explicit null until the last chunk
    return ServerSentEvent(data=data)


def openai_stream(
    first: StreamEvent | None, rest: Iterator[StreamEvent], completion_id: str, created: int
) -> Iterator[ServerSentEvent]:
    """OpenAI clients cannot take back text they have shown, so only the final, verified answer is sent:
    an LLM answer's raw tokens may still be dropped by the grounding guard. (For the extractive answerer
    the two are the same text.)"""
    yield chunk(completion_id, created, Delta(role="assistant", content=""))
    try:
        for event in chain([first] if first else [], rest):
            if event.kind == "answer" and event.answer is not None:
                for piece in stream_words(event.answer.answer):
                    yield chunk(completion_id, created, Delta(content=piece))
                yield chunk(
                    completion_id,
                    created,
                    Delta(),
                    finish_reason="stop",
                    citations=event.answer.citations,
                    refused=event.answer.refused,
                )
    except Exception as exc:  # noqa: BLE001 - mid-stream: report in-band the way OpenAI servers do
        log_unexpected(exc, "streamed completion")
        yield ServerSentEvent(data={"error": {"message": public_error(exc)[1], "type": "server_error"}})
    yield ServerSentEvent(raw_data="[DONE]")
