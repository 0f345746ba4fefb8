"""Hybrid retrieval: dense search in Chroma plus BM25 over the same chunks, fused by reciprocal rank."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr
from tqdm import tqdm

from rag.chunk_schema import ChunkMeta, decode
from rag.heap import release_freed_heap
from rag.spelling import Speller
from rag.store import UNIT_VECTORS_KEY, ChunkStore, StoredChunk, chunk_order, is_changing, unpack_vectors
from rag.text import normalized, tokens

log = logging.getLogger(__name__)


@dataclass
class ScoredChunk:
    chunk: StoredChunk
    dense: float  # cosine similarity between the question and the chunk (0..1 for this model)
    bm25: float  # raw BM25 score (0 if BM25 did not find it)
    rrf: float  # fused rank score
    vector: np.ndarray = field(repr=False)
    packed_unit_vectors: str = field(default="", repr=False)
    _unit_vectors: np.ndarray | None = field(default=None, init=False, repr=False)
    _meta: ChunkMeta | None = field(default=None, init=False, repr=False)

    @property
    def meta(self) -> ChunkMeta:
        """The chunk's metadata, decoded once: answering reads its source and offsets many times over."""
        if self._meta is None:
            self._meta = decode(self.chunk.metadata)
        return self._meta

    @property
    def unit_vectors(self) -> np.ndarray:
        """One row per entry of the chunk's "units" metadata (empty for an index built without them)."""
        if self._unit_vectors is None:
            packed = self.packed_unit_vectors or str(self.chunk.metadata.get(UNIT_VECTORS_KEY, ""))
            self._unit_vectors = unpack_vectors(packed, self.vector.size)
        return self._unit_vectors

    @property
    def chunk_id(self) -> str:
        return self.chunk.chunk_id

    @property
    def source(self) -> str:
        return self.meta.source

    @property
    def span(self) -> tuple[int, int]:
        return self.meta.span


@dataclass
class Retrieval:
    question: str
    vector: np.ndarray
    chunks: list[ScoredChunk]  # the top_k chunks the answer is built from
    pool: list[ScoredChunk] = field(default_factory=list)  # a wider ranked pool, for cross-checking sources


class Bm25Index:
    """BM25 over every stored chunk, built once and rebuilt only when the collection changes."""

    def __init__(self, chunks: list[StoredChunk], fingerprint: tuple[int, str]) -> None:
        import bm25s

        # bm25s sets its own logger to DEBUG when first imported; index builds are not news.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.chunks = chunks
        self.fingerprint = fingerprint
        self._bm25 = bm25s.BM25()
        metas = [decode(c.metadata) for c in chunks]
        corpus_tokens = [tokens(c.text + " " + m.section) or ["\x00"] for c, m in zip(chunks, metas, strict=True)]
        if chunks:
            self._bm25.index(corpus_tokens, show_progress=False)
        self.document_frequency: dict[str, int] = {}
        for toks in corpus_tokens:
            for token in set(toks):
                self.document_frequency[token] = self.document_frequency.get(token, 0) + 1
        # Typo repair against the words of these chunks: built with the index (at warm-up, or by the
        # background rebuild), never by the first question that needs it.
        self.speller = Speller.from_texts(f"{c.text} {m.section} {m.title}" for c, m in zip(chunks, metas, strict=True))

    @classmethod
    def build(cls, store: ChunkStore, progress: bool = False) -> Bm25Index:
        # The fingerprint is read before the chunks: a change landing in between makes the next check
        # see a difference and rebuild again, never take a stale index for a current one.
        fingerprint = store_fingerprint(store)
        chunks = list(tqdm(store.iter_chunks(), total=fingerprint[0], desc="bm25", disable=not progress))
        # Chroma lists chunks in insertion order, which differs between two builds of one corpus; equal
        # keyword scores (exact duplicates) then ranked differently. A build-independent order fixes that.
        chunks.sort(key=chunk_order)
        index = cls(chunks, fingerprint)
        release_freed_heap()
        return index

    def idf(self, token: str) -> float:
        n, df = max(len(self.chunks), 1), self.document_frequency.get(token, 0)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def search(self, query_tokens: list[str], k: int) -> list[tuple[StoredChunk, float]]:
        known = [t for t in query_tokens if t in self.document_frequency]
        if not known or not self.chunks:
            return []
        scores = self._bm25.get_scores(known)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # ties in index order, which is build-independent
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]


def store_fingerprint(store: ChunkStore) -> tuple[int, str]:
    """Cheap change detector: the chunk count plus the generation stamp every changing ingest bumps."""
    return store.count(), store.generation()


IndexState = Literal["ready", "changing", "stale", "unloaded"]


class HybridRetriever(BaseRetriever):
    """A LangChain retriever; `retrieve()` also returns the scores the answerer calibrates on."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any
    embedder: Any
    candidates_k: int = 30
    top_k: int = 8
    rrf_k: int = 60
    # How often a question checks the store for changes made by another process (two cheap reads).
    refresh_interval_s: float = 2.0

    _bm25: Bm25Index | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _last_check: float = PrivateAttr(default=0.0)
    _rebuilding: bool = PrivateAttr(default=False)

    def warm(self, progress: bool = False) -> None:
        """Build the BM25 side now, so the first question does not pay for it."""
        self._bm25 = Bm25Index.build(self.store, progress=progress)
        self._last_check = time.monotonic()

    @property
    def bm25(self) -> Bm25Index:
        if self._bm25 is None:
            with self._lock:
                if self._bm25 is None:
                    self.warm()
        self.check_for_changes()
        assert self._bm25 is not None
        return self._bm25

    @property
    def keyword_index_built(self) -> bool:
        """Whether the keyword index exists yet (warm() or the first question builds it)."""
        return self._bm25 is not None

    def keyword_chunks(self) -> list[StoredChunk]:
        """The chunks the keyword index was built from; empty, and nothing is built, when it does not exist."""
        index = self._bm25
        return list(index.chunks) if index is not None else []

    def refresh(self) -> None:
        """Rebuild the keyword side from the store now and swap it in; questions meanwhile use the old one."""
        self._bm25 = Bm25Index.build(self.store)
        self._last_check = time.monotonic()

    def index_state(self) -> IndexState:
        """How the keyword index compares with the store right now (reads the store: a health check's cost).

        ready: built from the store's current, settled generation. changing: an ingest has begun changing
        the store and not finished (or was killed before it could). stale: the store settled on a
        generation the index has not been rebuilt from yet. unloaded: not built yet.
        """
        if self._bm25 is None:
            return "unloaded"
        count, generation = store_fingerprint(self.store)
        if is_changing(generation):
            return "changing"
        return "ready" if (count, generation) == self._bm25.fingerprint else "stale"

    def check_for_changes(self) -> None:
        """Another process may ingest into a shared store (a Chroma server): look for a settled change now
        and then, and rebuild in the background so answers keep flowing from the old index meanwhile."""
        now = time.monotonic()
        if self._bm25 is None or self._rebuilding or now - self._last_check < self.refresh_interval_s:
            return
        self._last_check = now
        try:
            fingerprint = store_fingerprint(self.store)
        except Exception as exc:  # noqa: BLE001 - store hiccup: keep the old index
            log.warning("could not check the store for changes: %s", exc)
            return
        # A half-written change is not worth indexing: the ingest's end settles it, and that is rebuilt.
        if fingerprint != self._bm25.fingerprint and not is_changing(fingerprint[1]):
            self._rebuilding = True
            threading.Thread(target=self._rebuild, daemon=True, name="bm25-rebuild").start()

    def watch(self, stop: threading.Event, interval_s: float | None = None) -> threading.Thread:
        """Check for changes every interval until `stop` is set, so a server picks up an ingest made by
        another process even while nobody asks anything."""
        interval = interval_s or self.refresh_interval_s

        def loop() -> None:
            while not stop.wait(interval):
                self.check_for_changes()

        thread = threading.Thread(target=loop, daemon=True, name="store-watch")
        thread.start()
        return thread

    def _rebuild(self) -> None:
        try:
            self._bm25 = Bm25Index.build(self.store)
        except Exception as exc:  # noqa: BLE001
            log.warning("BM25 rebuild failed, keeping the previous index: %s", exc)
        finally:
            self._rebuilding = False

    def retrieve(self, question: str, lexical_hints: Sequence[str] = ()) -> Retrieval:
        """Dense and keyword candidates fused by reciprocal rank. `lexical_hints` are extra (stemmed)
        keywords for the keyword side only, e.g. the words an answer of the question's type uses."""
        vector = self.embedder.encode([question])[0]
        dense_hits = self.store.query(vector, self.candidates_k)
        lexical_hits = self.bm25.search([*tokens(question), *lexical_hints], self.candidates_k)

        fused: dict[str, ScoredChunk] = {}
        for rank, (chunk, similarity, chunk_vector) in enumerate(dense_hits):
            fused[chunk.chunk_id] = ScoredChunk(chunk, similarity, 0.0, 1.0 / (self.rrf_k + rank + 1), chunk_vector)
        lexical_only: list[str] = []
        for rank, (chunk, score) in enumerate(lexical_hits):
            entry = fused.get(chunk.chunk_id)
            if entry is None:
                entry = ScoredChunk(chunk, 0.0, score, 0.0, np.zeros(0, dtype=np.float32))
                fused[chunk.chunk_id] = entry
                lexical_only.append(chunk.chunk_id)
            entry.bm25 = score
            entry.rrf += 1.0 / (self.rrf_k + rank + 1)
        if lexical_only:
            vectors = self.store.vectors_for(lexical_only)
            for chunk_id in lexical_only:
                entry = fused[chunk_id]
                entry.vector, entry.packed_unit_vectors = vectors.get(chunk_id, (np.zeros_like(vector), ""))
                entry.dense = float(entry.vector @ vector) if entry.vector.size else 0.0

        ranked = drop_overlaps(sorted(fused.values(), key=lambda c: c.rrf, reverse=True))
        return Retrieval(question, vector, ranked[: self.top_k], ranked[: self.top_k * 3])

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, lexical_hints: Sequence[str] = ()
    ) -> RetrievedDocuments:
        """The answer pipeline's retrieve step: `invoke(query, config, lexical_hints=...)`."""
        return RetrievedDocuments(self.retrieve(query, lexical_hints=lexical_hints))


class RetrievedDocuments(list[Document]):
    """The retriever's documents, best first, as LangChain expects them, carrying the whole `Retrieval`: the
    answerers need what a Document cannot hold without copying, the question's vector, the chunks' vectors
    and the wider pool."""

    def __init__(self, retrieval: Retrieval) -> None:
        super().__init__(to_document(c) for c in retrieval.chunks)
        self.retrieval = retrieval


def retrieval_of(documents: list[Document]) -> Retrieval:
    if not isinstance(documents, RetrievedDocuments):
        raise TypeError(f"expected the documents of a HybridRetriever, got {type(documents).__name__}")
    return documents.retrieval


def to_document(scored: ScoredChunk) -> Document:
    metadata = {k: v for k, v in scored.chunk.metadata.items() if k != UNIT_VECTORS_KEY}
    metadata.update(chunk_id=scored.chunk_id, dense=scored.dense, bm25=scored.bm25, rrf=scored.rrf)
    return Document(page_content=scored.chunk.text, metadata=metadata, id=scored.chunk_id)


def drop_overlaps(ranked: list[ScoredChunk]) -> list[ScoredChunk]:
    """Keep the better-ranked of any two chunks that repeat each other or overlap in one file."""
    kept: list[ScoredChunk] = []
    seen_texts: set[str] = set()
    kept_spans: dict[str, list[tuple[int, int]]] = {}  # by file: only chunks of one file can overlap
    for candidate in ranked:
        key = normalized(candidate.chunk.text)
        if key in seen_texts:
            continue
        meta = candidate.meta
        spans = kept_spans.setdefault(meta.source, [])
        if any(meta.start < end and start < meta.end for start, end in spans):
            continue
        seen_texts.add(key)
        spans.append(meta.span)
        kept.append(candidate)
    return kept
