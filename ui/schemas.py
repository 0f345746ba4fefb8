"""Request and response bodies of the HTTP API (the answer contract itself lives in rag.models)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from rag.models import Citation, Message


class ErrorBody(BaseModel):
    error: str = Field(description="What was wrong, in a sentence.")
    details: list[dict[str, Any]] | None = Field(None, description="Per-field problems, for 422s.")


class HistoryMessage(Message):
    # rag.models.Message also allows "system" for internal prompts; a client's history never may, or it
    # could pose as docchat's own instructions.
    role: Literal["user", "assistant"]


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"message": "Who does a Head of Product report to?", "history": []}]},
    )

    message: StrictStr = Field(description="The question. Not empty; at most max_question_chars characters.")
    history: list[HistoryMessage] = Field(
        default_factory=list,
        description="Earlier turns, oldest first: [{role: user|assistant, content}]. "
        "At most max_history_messages items.",
    )


class FeedbackCitation(Citation):
    """A citation as a client sends it back with a vote: bounded, and only finite numbers (JSON parsing
    in Python accepts NaN and Infinity, which would otherwise be stored)."""

    model_config = ConfigDict(allow_inf_nan=False)

    source: StrictStr = Field(max_length=1000)
    title: StrictStr = Field(max_length=1000)
    section: StrictStr = Field(max_length=1000)
    quote: StrictStr = Field(max_length=20_000)  # a quote can be a whole unit: up to chunk_max_chars (16,000)


class FeedbackRequest(BaseModel):
    """The limits on feedback from every channel: the API, the widget and the chat page's votes."""

    model_config = ConfigDict(extra="forbid")

    vote: Literal["up", "down"]
    question: StrictStr = Field(max_length=20_000)
    answer: StrictStr = Field(max_length=50_000)
    citations: list[FeedbackCitation] = Field(default_factory=list, max_length=100)
    comment: StrictStr | None = Field(None, max_length=4000)


class FeedbackResponse(BaseModel):
    id: int
    stored: bool = True
    updated: bool = Field(
        False, description="This client had already rated this answer; its vote was replaced (status 200)."
    )


class IndexHealth(BaseModel):
    chunks: int | None = Field(description="Chunks in the index; null when the store cannot be reached.")
    store_reachable: bool
    state: Literal["ready", "changing", "stale", "unloaded"] | None = Field(
        None,
        description="ready: answers come from the store's current documents. changing: an ingest is writing "
        "(or was interrupted; the next `docchat ingest` completes it). stale: an ingest finished and the "
        "keyword index is being rebuilt. unloaded: built on the first question. Null when unreachable.",
    )
    reindexing: bool = Field(False, description="A re-index started through this server is running.")
    error: str | None = None


class ModelHealth(BaseModel):
    loaded: bool = Field(description="The embedding model is in memory (warmed at startup).")


class Limits(BaseModel):
    max_question_chars: int
    max_history_messages: int
    rate_limit_per_minute: int


class Health(BaseModel):
    status: Literal["ok", "reindexing", "degraded"] = Field(
        description="ok: answering from current documents. reindexing: answering, while documents change "
        "(some answers may still come from the previous version). degraded (HTTP 503): cannot answer."
    )
    index: IndexHealth
    model: ModelHealth
    answerer: str = Field(description="The answerer in use: extractive or llm.")
    llm: dict[str, Any] | None = Field(
        None,
        description="Only when an LLM endpoint is configured: configured, base_url (no credentials), model, "
        "reachable (null until first use), last_error.",
    )
    limits: Limits


# --- OpenAI-compatible ------------------------------------------------------------------------


class ContentPart(BaseModel):
    type: StrictStr
    text: StrictStr | None = None


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls, ...: accepted and ignored

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: StrictStr | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    # OpenAI clients send temperature, max_tokens, user, ...; docchat ignores them rather than failing.
    model_config = ConfigDict(extra="allow")

    model: StrictStr = "docchat"
    messages: list[OpenAIMessage] = Field(min_length=1)
    stream: StrictBool = False


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class CompletionChoice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[CompletionChoice]
    usage: Usage
    citations: list[Citation] = Field(description="docchat extra: the sources behind the inline [n] markers.")
    refused: bool = Field(description="docchat extra: true when the documents do not answer the question.")


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    citations: list[Citation] | None = Field(None, description="docchat extra: only on the final chunk.")
    refused: bool | None = Field(None, description="docchat extra: only on the final chunk.")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "docchat"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


# --- admin --------------------------------------------------------------------------------------


class ReindexRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rebuild: bool = Field(False, description="Drop the index and embed everything again.")


class ReindexProgress(BaseModel):
    phase: Literal["reading", "embedding", "cleaning up", "reloading", "done"] = Field(
        description="reading: checking and loading files. embedding: writing a group of files' chunks. "
        "cleaning up: dropping chunks of removed files. reloading: rebuilding the keyword index. done."
    )
    files_done: int = Field(description="Files handled: unchanged, skipped, or their chunks written.")
    files_total: int = Field(description="Files found in the corpus folder.")
    texts_done: int = Field(0, description="While embedding: texts embedded in the current group.")
    texts_total: int = Field(0, description="While embedding: texts in the current group.")


class ReindexStatus(BaseModel):
    run: int = Field(description="Run number since the server started; 0 before the first run.")
    state: Literal["idle", "running", "done", "failed"]
    rebuild: bool = False
    started_at: float | None = Field(None, description="Unix time.")
    finished_at: float | None = None
    report: dict[str, Any] | None = Field(None, description="What the run did, as `docchat ingest --json` prints.")
    error: str | None = None
    progress: ReindexProgress | None = Field(
        None, description="How far the run got (kept when it ends); null before any progress is known."
    )
    corpus_dir: str = Field(description="The folder this server indexes.")
    wait_for_run: int | None = Field(
        None,
        description="On POST: the run that will include the documents as they are now. A POST during a run "
        "queues one more run after it (that run may have read the files before they changed).",
    )


class DocumentEntry(BaseModel):
    source: str = Field(description="Path in the corpus folder, as citations name it.")
    size_bytes: int | None = Field(description="Null once the file is gone from the folder.")
    chunks: int = Field(description="Chunks in the index (0 if not indexed).")
    indexed_at: float | None = Field(description="Unix time its chunks were last written; null if never or unknown.")
    state: Literal["indexed", "changed", "not_indexed", "removed"] = Field(
        description="indexed: current. changed: edited since it was indexed. not_indexed: in the folder only "
        "(new, or skipped by ingest). removed: in the index only. All but indexed wait for a re-index."
    )


class DocumentList(BaseModel):
    corpus_dir: str
    documents: list[DocumentEntry]
    reindex_needed: bool = Field(description="Some document's state is not `indexed`.")
    supported_suffixes: list[str] = Field(description="File types an upload may have.")
    max_upload_bytes: int


class UploadResult(BaseModel):
    source: str = Field(description="The name it was stored under (made safe).")
    size_bytes: int
    replaced: bool = Field(description="A document of that name was overwritten (asked for with replace).")
    reindex_needed: Literal[True] = True


class RemoveResult(BaseModel):
    source: str
    removed: Literal[True] = True
    reindex_needed: Literal[True] = True
