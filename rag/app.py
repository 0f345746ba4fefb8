"""The composition root: the one place that wires settings into embedder, store, retriever and answerer.

The CLI, the web app and the eval all call `build_app(settings)`. Ingesting is the ingest layer's job
(`ingest.service.ingest_into`); this package imports nothing from ingest, ui or eval.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import ValidationError

from rag.answer_types import answer_hints
from rag.answerability import DEFAULT_MODEL, AnswerabilityModel
from rag.answering import Answerer, ExtractiveAnswerer, StreamEvent
from rag.chunk_schema import decode
from rag.condense import HeuristicCondenser
from rag.embeddings import Embedder, shared_embedder
from rag.models import Answer, Message
from rag.retrieval import HybridRetriever, IndexState, Retrieval
from rag.settings import Settings
from rag.store import ChunkStore, StoredChunk
from rag.support import SupportScorer


@dataclass(frozen=True)
class Health:
    """How the index and the model stand right now: what a health check reports (cheap, no LLM probe)."""

    model_loaded: bool
    store_reachable: bool
    chunks: int | None = None  # None when the store could not be read
    index_state: IndexState | None = None  # the keyword index against the store; None when unreachable
    failure: Exception | None = None  # why the store could not be read, for the caller's log


@dataclass(frozen=True)
class IndexStats:
    chunks: int | None  # None when the store could not be read
    documents: int  # distinct sources in the keyword index; 0 until it is built


@dataclass(frozen=True)
class IndexWriter:
    """What the ingest layer writes the index with: the settings, the store and the embedder that fills it."""

    settings: Settings
    store: ChunkStore
    embedder: Embedder


@dataclass
class DocChat:
    """The library's entry point. Code outside `rag` uses its methods, never the parts it is built from."""

    settings: Settings
    embedder: Embedder
    store: ChunkStore
    retriever: HybridRetriever
    answerers: dict[str, Answerer] = field(default_factory=dict)
    # suggested_questions() answers questions to pick them: done once per DocChat, however many UIs show them.
    _suggested: dict[int, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _suggest_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @property
    def answerer(self) -> Answerer:
        return self.answerers[self.settings.answerer]

    def answer(self, question: str, history: Iterable[Message | Mapping[str, Any]] = ()) -> Answer:
        """`history`: earlier turns, as Message objects or `{"role": ..., "content": ...}` dicts."""
        return self.answerer.answer(question, as_messages(history))

    def stream(self, question: str, history: Iterable[Message | Mapping[str, Any]] = ()) -> Iterator[StreamEvent]:
        return self.answerer.stream(question, as_messages(history))

    def warm(self, progress: bool = False) -> None:
        """Load the model and build the BM25 index now, so the first question is not the slow one."""
        self.embedder.warm()
        self.retriever.warm(progress=progress)

    # --- the public face for the outer layers (ingest, ui, eval) ---------------------------------------

    def health(self) -> Health:
        """Store reachability, chunk count, keyword-index state and whether the model is loaded. A stale
        keyword index starts rebuilding in the background, even if nobody asks a question."""
        try:
            self.store.heartbeat()
            chunks = self.store.count()
            state = self.retriever.index_state()
            self.retriever.check_for_changes()
        except Exception as exc:  # noqa: BLE001 - any store failure is "unreachable" to a health check
            return Health(model_loaded=self.embedder.loaded, store_reachable=False, failure=exc)
        return Health(model_loaded=self.embedder.loaded, store_reachable=True, chunks=chunks, index_state=state)

    def index_stats(self) -> IndexStats:
        """Chunks in the store and documents in the keyword index; builds nothing, never raises."""
        try:
            chunks: int | None = self.store.count()
        except Exception:  # noqa: BLE001 - a page still renders with "unknown"; health() tells the story
            chunks = None
        sources = {decode(c.metadata).source for c in self.retriever.keyword_chunks()}
        return IndexStats(chunks=chunks, documents=len(sources))

    def suggested_questions(self, limit: int = 4) -> list[str]:
        """Questions the corpus answers: its question-shaped headings, each checked by answering it. Empty
        until the keyword index is built (warm()).

        Answering them also runs the whole pipeline once, so no lazy import or cache is left for the first
        real question to pay for. Picked once per DocChat: several web apps over one (tests) pay once.
        """
        with self._suggest_lock:
            if limit not in self._suggested:
                self._suggested[limit] = self._pick_questions(limit)
            return list(self._suggested[limit])

    def _pick_questions(self, limit: int) -> list[str]:
        if not self.retriever.keyword_index_built:
            return []
        headings: list[str] = []
        for chunk in self.retriever.keyword_chunks():
            section = " ".join(decode(chunk.metadata).section.split())
            if section.endswith("?") and 12 <= len(section) <= 80 and section not in headings:
                headings.append(section)
        picked: list[str] = []
        for question in sorted(headings, key=len)[: limit + 2]:
            try:
                if not self.answer(question).refused:
                    picked.append(question)
            except Exception:  # noqa: BLE001 - suggestions are a nicety, never a reason not to start
                break
            if len(picked) == limit:
                break
        return picked

    def source_text(self, chunk_ids: Sequence[str]) -> dict[str, str]:
        """chunk id -> the text stored for it, for the ids the index holds."""
        return self.store.texts_for(chunk_ids)

    def has_source(self, source: str) -> bool:
        """Whether any chunk of `source` (a corpus-relative path) is in the index."""
        return bool(self.store.ids_for_source(source))

    # --- what the eval's benchmarks and the answerability fit measure -------------------------------------

    def retrieve(self, question: str) -> Retrieval:
        """The chunks the chain would retrieve for an already standalone question (same lexical hints)."""
        return self.retriever.retrieve(question, lexical_hints=answer_hints(question))

    def extractive(self) -> ExtractiveAnswerer:
        """The model-free answerer, whichever answerer answers by default (the fit reads its features)."""
        answerer = self.answerers["extractive"]
        if not isinstance(answerer, ExtractiveAnswerer):
            raise TypeError(f"the extractive answerer is a {type(answerer).__name__}")
        return answerer

    def support_scorer(self) -> SupportScorer:
        """Scores how well a text supports a claim, with the index's own embedding model."""
        return SupportScorer(self.embedder)

    def stored_chunks(self) -> list[StoredChunk]:
        """Every chunk in the index, in no particular order (text and metadata, without vectors)."""
        return list(self.store.iter_chunks())

    def chunk_vectors(self, chunk_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, str]]:
        """chunk id -> (its embedding, its packed unit vectors)."""
        return self.store.vectors_for(chunk_ids)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Normalised embeddings with the index's model, one float32 row per text."""
        return self.embedder.encode(texts)

    def llm_status(self) -> dict[str, Any] | None:
        """The LLM answerer's last known state (no probe: cheap), or None when no LLM is configured."""
        llm = self.answerers.get("llm")
        status = getattr(llm, "llm_status", None)
        return None if status is None else dict(status(probe=False))

    @property
    def keyword_index_built(self) -> bool:
        return self.retriever.keyword_index_built

    def refresh(self) -> bool:
        """After the store changed (an ingest): rebuild the keyword index from it, if one was built (one
        that was not is built on first use anyway). True when it was rebuilt."""
        if not self.retriever.keyword_index_built:
            return False
        self.retriever.refresh()
        return True

    def watch(self, stop: threading.Event) -> threading.Thread:
        """Notice changes another process makes to a shared store even while nobody asks, until `stop`."""
        return self.retriever.watch(stop)

    def index_writer(self) -> IndexWriter:
        """The parts the ingest layer writes with (ingest.service.ingest_into)."""
        return IndexWriter(self.settings, self.store, self.embedder)


def as_messages(history: Iterable[Message | Mapping[str, Any]] | None) -> list[Message]:
    """The history as Messages: the documented dicts are validated into them, a bad turn is named."""
    if history is None:
        return []
    if isinstance(history, (str, bytes, Mapping)):
        raise TypeError(
            "history must be a list of turns ({'role': ..., 'content': ...} or Message), "
            f"not {type(history).__name__}"
        )
    messages: list[Message] = []
    for i, turn in enumerate(history):
        if isinstance(turn, Message):
            messages.append(turn)
            continue
        if not isinstance(turn, Mapping):
            raise TypeError(
                f"history[{i}] must be a dict {{'role': ..., 'content': ...}} or a Message, not {type(turn).__name__}"
            )
        try:
            messages.append(Message.model_validate(dict(turn)))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'turn'}: {e['msg']}" for e in exc.errors())
            raise ValueError(f"history[{i}] is not a valid turn ({problems})") from None
    return messages


def build_embedder(settings: Settings) -> Embedder:
    return shared_embedder(settings.resolved_embed_model(), settings.embed_batch_size)


def build_app(settings: Settings, *, embedder: Embedder | None = None) -> DocChat:
    embedder = embedder or build_embedder(settings)
    store = ChunkStore.from_settings(settings, embedder)
    retriever = HybridRetriever(
        store=store,
        embedder=embedder,
        candidates_k=settings.candidates_k,
        top_k=settings.top_k,
        rrf_k=settings.rrf_k,
    )
    extractive = ExtractiveAnswerer(
        retriever,
        HeuristicCondenser(embedder),
        AnswerabilityModel.load(settings.answerability_model or DEFAULT_MODEL),
        max_sentences=settings.answer_max_sentences,
        max_chars=settings.answer_max_chars,
    )
    answerers: dict[str, Answerer] = {"extractive": extractive}
    if settings.answerer == "llm" or settings.llm_base_url:
        from rag.llm import LLMAnswerer  # imported only when wanted: it pulls in the OpenAI client

        answerers["llm"] = LLMAnswerer.from_settings(settings, retriever, extractive, embedder)
    return DocChat(settings, embedder, store, retriever, answerers=answerers)
