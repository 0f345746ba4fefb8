"""The corpus as the index holds it: its chunks and their citable units, with absolute offsets.

The generator derives claims from these units, and the bench hands the guard the chunk that holds each
claim's quote, exactly as retrieval would (the same stored chunk, its stored vector and unit vectors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eval.corpora import settings_for_corpus
from ingest.loaders import load_document
from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.chunk_schema import decode
from rag.embeddings import Embedder
from rag.extractive import split_evidence
from rag.retrieval import ScoredChunk
from rag.settings import Settings
from rag.store import StoredChunk, chunk_order


@dataclass(frozen=True)
class Unit:
    source: str
    start: int
    end: int
    kind: str  # sentence | bullet | table_row
    text: str
    section: str
    context: str
    title: str
    lead_in: str
    chunk_id: str  # the first chunk (in document order) that holds the unit: its "home"
    position: int  # index of the unit among its home chunk's citable units

    @property
    def headings(self) -> str:
        return f"{self.title}\n{self.section}\n{self.context}\n{self.lead_in}"


@dataclass
class IndexedCorpus:
    app: DocChat
    chunks: list[StoredChunk]  # in document order
    units: list[Unit]
    documents: dict[str, str] = field(default_factory=dict)  # source -> loaded text

    @property
    def embedder(self) -> Embedder:
        return self.app.embedder

    def chunk(self, chunk_id: str) -> StoredChunk:
        return next(c for c in self.chunks if c.chunk_id == chunk_id)

    def home_chunk(self, source: str, start: int, end: int) -> StoredChunk | None:
        """The first chunk (in document order) whose span holds [start, end): the one a citation would use."""
        for chunk in self.chunks:
            meta = decode(chunk.metadata)
            if meta.source == source and meta.start <= start and end <= meta.end:
                return chunk
        return None

    def scored(self, chunk: StoredChunk, dense: float = 0.0) -> ScoredChunk:
        """The chunk as retrieval hands it to an answerer: with its stored vector and unit vectors."""
        vector, packed = self.app.chunk_vectors([chunk.chunk_id])[chunk.chunk_id]
        return ScoredChunk(chunk, dense, 0.0, 0.0, vector, packed_unit_vectors=packed)

    def document(self, source: str) -> str:
        if source not in self.documents:
            self.documents[source] = load_document(
                self.app.settings.corpus_dir / source, self.app.settings.corpus_dir
            ).text
        return self.documents[source]


def open_corpus(folder: Path, settings: Settings | None = None, embedder: Embedder | None = None) -> IndexedCorpus:
    """Indexes `folder` in its own collection (as `docchat eval --corpus` does) and reads back its units."""
    settings = settings_for_corpus(settings or Settings(), folder)
    app = build_app(settings, embedder=embedder)
    ingest_into(app, progress=False)
    chunks = sorted(app.stored_chunks(), key=chunk_order)
    units: dict[tuple[str, int, int], Unit] = {}
    for chunk in chunks:
        scored = ScoredChunk(chunk, 0.0, 0.0, 0.0, np.zeros(0, dtype=np.float32))
        for position, ev in enumerate(split_evidence(scored)):
            key = (ev.source, ev.start, ev.end)
            if key not in units:
                units[key] = Unit(
                    source=ev.source,
                    start=ev.start,
                    end=ev.end,
                    kind=ev.kind,
                    text=ev.text,
                    section=ev.section,
                    context=scored.meta.context,
                    title=scored.meta.title,
                    lead_in=ev.lead_in,
                    chunk_id=chunk.chunk_id,
                    position=position,
                )
    return IndexedCorpus(app, chunks, sorted(units.values(), key=lambda u: (u.source, u.start)))
