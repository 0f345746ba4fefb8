"""The Chroma chunk store: embedded on disk by default, a Chroma server when `chroma_url` is set."""

from __future__ import annotations

import base64
import contextlib
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.api.types import Embeddings as ChromaEmbeddings

from rag.chunk_schema import decode
from rag.embeddings import Embedder
from rag.settings import Settings

T = TypeVar("T")

# Chroma caps one write; stay well under it so large ingests never trip the limit.
_WRITE_BATCH = 1000
# Full reads list the ids with offset paging, then fetch documents by id. Offset paging rescans every row before
# the offset, so it is cheap only for ids alone in large pages (100k ids: 0.7 s in pages of 10,000, 5 s in
# pages of 1000), while documents by id take 3-5 s for 100k chunks against 9-11 s by offset. Documents come in
# small batches: batches of 5000 left ~100 MB per 10k chunks of freed but unreturned heap behind on every
# full read (each BM25 build or refresh); batches of 1000 stay flat.
_ID_PAGE = 10_000
_READ_PAGE = 1000


# The prefix of a generation whose change has begun and not yet ended (see ChunkStore.begin_change).
CHANGING = "changing:"


def is_changing(generation: str) -> bool:
    return generation.startswith(CHANGING)


class StoreUnavailable(RuntimeError):
    """The vector store cannot be reached (server down, path unwritable, ...)."""


def is_store_error(exc: BaseException) -> bool:
    """Store trouble (try again later), not a bug: ours, Chroma's, its HTTP client's, or the OS's."""
    if isinstance(exc, StoreUnavailable):
        return True
    module = type(exc).__module__
    return module.startswith(("chromadb", "httpx", "httpcore")) or isinstance(exc, ConnectionError)


class ChromaEmbeddingAdapter(EmbeddingFunction[Documents]):
    """Hands Chroma our embedder, so it never falls back to downloading its own ONNX model."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> ChromaEmbeddings:  # noqa: A002 - Chroma's protocol name
        return list(self._embedder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "docchat-local-sentence-transformers"

    def get_config(self) -> dict[str, Any]:
        return {"model_path": str(self._embedder.model_path)}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingAdapter:
        return ChromaEmbeddingAdapter(Embedder(config["model_path"]))

    def is_legacy(self) -> bool:
        return False


# Each chunk's metadata holds a vector per unit (sentence, bullet, row), in the order of its "units" entry,
# as base64 float16: half the bytes of float32, and cosines move by < 0.001. Kept in Chroma with the chunk, so
# the embedded store and a Chroma server hold them alike and an incremental ingest replaces them with it.
UNIT_VECTORS_KEY = "unit_vectors"


def pack_vectors(vectors: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


def unpack_vectors(packed: str, dim: int) -> np.ndarray:
    """The float32 matrix `pack_vectors` stored (rows x dim); empty when nothing usable was stored."""
    try:
        flat = np.frombuffer(base64.b64decode(packed), dtype=np.float16)
    except (ValueError, TypeError):
        return np.zeros((0, dim), dtype=np.float32)
    if dim <= 0 or flat.size % dim:
        return np.zeros((0, dim), dtype=np.float32)
    return flat.reshape(-1, dim).astype(np.float32)


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, Any]


# Metadata values that repeat across the chunks of one file or section.
_SHARED_VALUES = frozenset({"source", "title", "file_sha256", "section", "context"})


def shared_metadata(metadata: dict[str, Any] | None) -> dict[str, Any]:
    """A chunk's metadata with its keys and per-file values shared between chunks.

    The BM25 index holds every chunk in memory; Chroma hands back fresh strings for every key and value,
    which cost ~70 MB at 100k chunks that one shared copy per distinct string avoids.
    """
    return {
        sys.intern(key): sys.intern(value) if key in _SHARED_VALUES and isinstance(value, str) else value
        for key, value in (metadata or {}).items()
    }


def chunk_order(chunk: StoredChunk) -> tuple[str, int, str]:
    """A build-independent order for chunks that score alike: by file, then position, then id."""
    meta = decode(chunk.metadata)
    return meta.source, meta.start, chunk.chunk_id


def make_client(settings: Settings):  # -> chromadb.ClientAPI
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"DOCCHAT_CHROMA_URL must look like http://host:port, got {settings.chroma_url!r}")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises several types when the server is unreachable
            raise StoreUnavailable(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ChunkStore:
    """The chunks of one collection, with explicit embeddings on every write and query."""

    def __init__(self, client, collection_name: str, embedder: Embedder) -> None:
        self.client = client
        self.collection_name = collection_name
        self.embedder = embedder
        self._collection = None

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder) -> ChunkStore:
        return cls(make_client(settings), settings.collection, embedder)

    @property
    def collection(self):  # -> chromadb.Collection
        if self._collection is None:
            self._collection = self.client.get_or_create_collection(
                name=self.collection_name,
                embedding_function=ChromaEmbeddingAdapter(self.embedder),
                configuration={"hnsw": {"space": "cosine"}},
            )
        return self._collection

    def reset(self) -> None:
        """Drop the collection (used by `ingest --rebuild`)."""
        with contextlib.suppress(Exception):  # an absent collection has nothing to drop
            self.client.delete_collection(self.collection_name)
        self._collection = None

    def heartbeat(self) -> None:
        try:
            self.client.heartbeat()
        except Exception as exc:
            raise StoreUnavailable(str(exc)) from exc

    def generation(self) -> str:
        """Changes whenever an ingest changes the collection, so that other processes notice. A generation
        starting with CHANGING marks a change begun and not finished: an ingest still writing, or killed."""
        self.collection  # noqa: B018 - creates it if absent; a fresh handle below reads current metadata
        metadata = self.client.get_collection(self.collection_name).metadata or {}
        return str(metadata.get("docchat_generation", ""))

    def begin_change(self) -> None:
        """Marks the collection as changing, before an ingest's first write. Running servers see it at
        once, and the next ingest knows to finish the change even when it finds nothing left to do."""
        self._set_generation(CHANGING + uuid.uuid4().hex)

    def end_change(self) -> None:
        """A new, settled generation: the last step of every ingest that changed (or found changing) the store."""
        self._set_generation(uuid.uuid4().hex)

    def _set_generation(self, value: str) -> None:
        self.collection.modify(metadata={"docchat_generation": value})

    def _current(self, operation: Callable[[Any], T]) -> T:
        """Runs `operation` on the collection, once more on a fresh handle if the collection was dropped
        and made again meanwhile (an `ingest --rebuild` from another process, in Chroma-server mode)."""
        from chromadb.errors import NotFoundError

        try:
            return operation(self.collection)
        except NotFoundError:
            self._collection = None
            return operation(self.collection)

    def count(self) -> int:
        return self._current(lambda c: c.count())

    def ids_for_source(self, source: str) -> set[str]:
        return set(self.collection.get(where={"source": source}, include=[])["ids"])

    def texts_for(self, ids: Sequence[str]) -> dict[str, str]:
        """chunk id -> its stored text, for the ids that are stored."""
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["documents"])
        return dict(zip(got["ids"], got["documents"], strict=True))

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        for page in self._id_pages():
            ids.update(page)
        return ids

    def upsert(
        self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict[str, Any]], embeddings: np.ndarray
    ) -> None:
        for lo in range(0, len(ids), _WRITE_BATCH):
            hi = lo + _WRITE_BATCH
            self.collection.upsert(
                ids=list(ids[lo:hi]),
                documents=list(texts[lo:hi]),
                metadatas=list(metadatas[lo:hi]),
                embeddings=embeddings[lo:hi],
            )

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        for lo in range(0, len(ids), _WRITE_BATCH):
            hi = lo + _WRITE_BATCH
            self.collection.update(ids=list(ids[lo:hi]), metadatas=list(metadatas[lo:hi]))

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for lo in range(0, len(ids), _WRITE_BATCH):
            self.collection.delete(ids=ids[lo : lo + _WRITE_BATCH])

    def iter_chunks(self) -> Iterator[StoredChunk]:
        """Every stored chunk, paged so a large collection never loads in one response. Unit vectors are left
        out: whoever holds every chunk (the BM25 index) needs their text, and the vectors would cost ~1 KB a
        unit; `vectors_for` fetches them for the few chunks a question needs."""
        for ids in self._id_pages():
            for lo in range(0, len(ids), _READ_PAGE):
                page = self.collection.get(ids=ids[lo : lo + _READ_PAGE], include=["documents", "metadatas"])
                for chunk_id, text, metadata in zip(page["ids"], page["documents"], page["metadatas"], strict=True):
                    metadata = {k: v for k, v in (metadata or {}).items() if k != UNIT_VECTORS_KEY}
                    yield StoredChunk(chunk_id, text, shared_metadata(metadata))

    def vectors_for(self, ids: Sequence[str]) -> dict[str, tuple[np.ndarray, str]]:
        """chunk id -> (its embedding, its packed unit vectors), for chunks found by keyword search alone."""
        if not ids:
            return {}
        got = self._current(lambda c: c.get(ids=list(ids), include=["embeddings", "metadatas"]))
        return {
            i: (np.asarray(e, dtype=np.float32), str((m or {}).get(UNIT_VECTORS_KEY, "")))
            for i, e, m in zip(got["ids"], got["embeddings"], got["metadatas"], strict=True)
        }

    def query(self, embedding: np.ndarray, k: int) -> list[tuple[StoredChunk, float, np.ndarray]]:
        """Nearest chunks by cosine similarity, with their stored embeddings."""
        # No count() first: Chroma returns fewer hits (none for an empty collection) when k exceeds the size,
        # and the extra call was a second round trip per question in server mode.
        result = self._current(
            lambda c: c.query(
                query_embeddings=[np.asarray(embedding, dtype=np.float32)],
                n_results=k,
                include=["documents", "metadatas", "distances", "embeddings"],
            )
        )
        hits = []
        for chunk_id, text, metadata, distance, vector in zip(
            result["ids"][0],
            result["documents"][0],
            result["metadatas"][0],
            result["distances"][0],
            result["embeddings"][0],
            strict=True,
        ):
            if text is None or metadata is None:
                # A row another writer removed between the index search and the read: not citable.
                continue
            chunk = StoredChunk(chunk_id, text, dict(metadata))
            hits.append((chunk, 1.0 - float(distance), np.asarray(vector, dtype=np.float32)))
        # Equal distances (exact duplicates) come back in insertion order, which differs between two builds
        # of one corpus: order them by what they are, so answers do not depend on how the index was built.
        hits.sort(key=lambda hit: (-round(hit[1], 6), chunk_order(hit[0])))
        return hits

    def _id_pages(self) -> Iterator[list[str]]:
        offset = 0
        while True:
            ids = self.collection.get(include=[], limit=_ID_PAGE, offset=offset)["ids"]
            if not ids:
                return
            yield ids
            offset += len(ids)
