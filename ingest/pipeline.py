"""Incremental ingest: load, clean, chunk, embed and store, converging to a clean build after any crash.

Chroma is the source of truth. Chunk ids are content hashes, so writing the same chunk twice is
harmless; the manifest only lets unchanged files skip loading and chunking. Each run ends by deleting
every stored id that the current corpus does not produce, so a run killed at any point is repaired
by the next one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest.chunker import Chunk, Unit, chunk_document
from ingest.loaders import LoadError, discover_files, load_document, read_bytes
from rag.chunk_schema import UNIT_KIND_CODES, ChunkMeta, encode, stored_units
from rag.embeddings import Embedder
from rag.settings import Settings
from rag.store import UNIT_VECTORS_KEY, ChunkStore, is_changing, pack_vectors

# Version 2: chunks carry their units' own vectors. It is part of every chunk id and of the manifest, so an
# index built by an older version is re-embedded whole by the next ingest instead of answering without them.
INDEX_VERSION = 2
# Files are embedded in groups so memory stays flat and progress survives a crash group by group.
_GROUP_CHUNKS = 512


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_deleted: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IngestProgress:
    """Where a run is: files handled (checked, skipped, or their chunks written) out of those found, and
    the phase. Embedding, the slow part, also counts its texts."""

    phase: str  # "reading" | "embedding" | "cleaning up" | "reloading" (the caller's keyword index)
    files_done: int
    files_total: int
    texts_done: int = 0
    texts_total: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ProgressCallback = Callable[[IngestProgress], None]


class _Progress:
    """Feeds a ProgressCallback; files waiting in an embedding group count as done once it is written."""

    def __init__(self, callback: ProgressCallback | None, files_total: int) -> None:
        self.callback = callback
        self.files_total = files_total
        self.files_done = 0

    def file_done(self, count: int = 1, phase: str = "reading") -> None:
        self.files_done += count
        self.report(phase)

    def report(self, phase: str, texts_done: int = 0, texts_total: int = 0) -> None:
        if self.callback is not None:
            self.callback(IngestProgress(phase, self.files_done, self.files_total, texts_done, texts_total))


@dataclass
class _FilePlan:
    source: str
    sha256: str
    status: str  # "added" | "updated"
    ids: list[str]
    texts: list[str]
    embed_texts: list[str]
    unit_embed_texts: list[list[str]]  # per chunk: one text per unit in its "units" metadata
    metadatas: list[dict[str, Any]]


def chunk_id(source: str, text: str) -> str:
    return hashlib.sha256(f"v{INDEX_VERSION}\x00{source}\x00{text}".encode()).hexdigest()[:32]


def embedding_text(title: str, section: str, context: str, text: str) -> str:
    """What gets embedded: the chunk with the headings that give it meaning."""
    header = " — ".join(part for part in (title, section) if part)
    return "\n".join(part for part in (header, context, text) if part)


def encoded_units(chunk: Chunk) -> list[Unit]:
    """The units of a chunk that its "units" metadata lists (and that get a vector of their own)."""
    return [u for u in chunk.units if u.kind in UNIT_KIND_CODES]


def unit_embedding_texts(title: str, chunk: Chunk) -> list[str]:
    """What each unit is embedded as: its own text under the headings that give it meaning, so that
    "They report directly to the CEO" is found for "Who does the Head of Product report to?"."""
    return [embedding_text(title, chunk.section, chunk.context, unit.text) for unit in encoded_units(chunk)]


def plan_file(source: str, sha256: str, status: str, title: str, chunks: list[Chunk]) -> _FilePlan:
    plan = _FilePlan(source, sha256, status, [], [], [], [], [])
    seen: set[str] = set()
    for chunk in chunks:
        cid = chunk_id(source, chunk.text)
        if cid in seen:  # scraped pages repeat paragraphs; one copy is enough
            continue
        seen.add(cid)
        plan.ids.append(cid)
        plan.texts.append(chunk.text)
        plan.embed_texts.append(embedding_text(title, chunk.section, chunk.context, chunk.text))
        plan.unit_embed_texts.append(unit_embedding_texts(title, chunk))
        meta = ChunkMeta(
            source=source,
            title=title,
            section=chunk.section,
            context=chunk.context,
            start=chunk.start,
            end=chunk.end,
            units=stored_units(chunk.units),
            file_sha256=sha256,
        )
        plan.metadatas.append(encode(meta))
    return plan


class Manifest:
    """source -> {sha256, ids}; written atomically so a kill never leaves it half-written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, dict[str, Any]] = {}

    @classmethod
    def load(cls, path: Path) -> Manifest:
        manifest = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION:
                manifest.files = dict(data.get("files", {}))
        except (OSError, ValueError):
            pass  # a missing or unreadable manifest only costs a re-check of every file
        return manifest

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps({"version": INDEX_VERSION, "files": self.files}), encoding="utf-8")
        os.replace(tmp, self.path)


class ChangeMarker:
    """Marks the store as changing before an ingest's first write and settled after its last one."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        # A change an earlier run began and never ended (it was killed): this run must end it.
        self.open = is_changing(store.generation())

    def begin(self, again: bool = False) -> None:
        if again or not self.open:
            self.store.begin_change()
            self.open = True

    def end(self) -> None:
        if self.open:
            self.store.end_change()
            self.open = False


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data dir; a second one waits instead of interleaving writes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "ingest.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest(
    settings: Settings,
    store: ChunkStore,
    embedder: Embedder,
    *,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    progress: bool = True,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """`progress` draws a terminal bar; `on_progress` is called as files are handled (the server's
    re-index shows it on the admin page)."""
    started = time.perf_counter()
    corpus = Path(corpus_dir or settings.corpus_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    report = IngestReport()
    with ingest_lock(settings.data_dir):
        changes = ChangeMarker(store)
        if rebuild:
            changes.begin()
            store.reset()
            settings.manifest_path.unlink(missing_ok=True)
            changes.begin(again=True)  # the new, empty collection is changing too
        manifest = Manifest.load(settings.manifest_path)
        if manifest.files and store.count() == 0:
            # The store lost everything the manifest lists (a rebuild killed right after its reset, a new
            # Chroma server, a deleted chroma folder): trusted, the manifest would keep the index empty.
            manifest.files = {}
        files, skipped = discover_files(corpus)
        report.skipped.extend({"source": s, "reason": r} for s, r in skipped)

        expected_ids: set[str] = set()
        present_sources: set[str] = set()
        pending: list[_FilePlan] = []
        pending_chunks = 0
        bar = tqdm(total=len(files), desc="ingest", unit="file", disable=not progress, leave=False)
        tracker = _Progress(on_progress, len(files))
        tracker.report("reading")
        for path in files:
            bar.update(1)
            source = path.relative_to(corpus).as_posix()
            try:
                sha = file_sha256(path)
            except OSError as exc:
                report.skipped.append({"source": source, "reason": f"unreadable: {exc.strerror or exc}"})
                tracker.file_done()
                continue
            known = manifest.files.get(source)
            if known and known.get("sha256") == sha:
                present_sources.add(source)
                expected_ids.update(known["ids"])
                report.unchanged.append(source)
                tracker.file_done()
                continue
            max_bytes = int(settings.max_file_mb * 1_000_000)
            try:
                data = read_bytes(path, max_bytes)
                document = load_document(path, corpus, max_bytes=max_bytes, data=data)
                chunks = chunk_document(
                    document.text, target_chars=settings.chunk_target_chars, max_chars=settings.chunk_max_chars
                )
            except LoadError as exc:
                report.skipped.append({"source": source, "reason": str(exc)})
                tracker.file_done()
                continue
            # The manifest gets the hash of the bytes indexed: had the file changed since it was hashed
            # above, that hash would let the next run take these chunks for the current content.
            sha = hashlib.sha256(data).hexdigest()
            if not chunks:
                report.skipped.append({"source": source, "reason": "no text left after cleaning"})
                tracker.file_done()
                continue
            present_sources.add(source)
            plan = plan_file(source, sha, "updated" if known else "added", document.title, chunks)
            expected_ids.update(plan.ids)
            pending.append(plan)
            pending_chunks += len(plan.ids)
            if pending_chunks >= _GROUP_CHUNKS:
                changes.begin()
                _write_group(pending, store, embedder, manifest, report, progress, tracker)
                pending, pending_chunks = [], 0
        bar.close()
        if pending:
            changes.begin()
            _write_group(pending, store, embedder, manifest, report, progress, tracker)
        tracker.report("cleaning up")

        for source in sorted(set(manifest.files) - present_sources):
            report.removed.append(source)
            del manifest.files[source]
        manifest.save()

        # Convergence: whatever an earlier, interrupted run or a removed file left behind goes now.
        stale = store.all_ids() - expected_ids
        if stale:
            changes.begin()
            store.delete(sorted(stale))
            report.chunks_deleted += len(stale)
        # Last step of a run: a change this run began, or one an interrupted run left open, is ended here,
        # so a completed run always tells running servers to reload.
        changes.end()
        report.chunks_total = store.count()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _write_group(
    plans: list[_FilePlan],
    store: ChunkStore,
    embedder: Embedder,
    manifest: Manifest,
    report: IngestReport,
    progress: bool,
    tracker: _Progress | None = None,
) -> None:
    if not plans:
        return
    # Forget these files before their chunks change: killed after the deletes below, a manifest still
    # describing the old content would let a file put back to that content pass for unchanged, chunks gone.
    for plan in plans:
        manifest.files.pop(plan.source, None)
    manifest.save()
    # Only chunks the store lacks are embedded: an edited file re-embeds just its changed chunks, and a
    # file half-written by a killed run is completed rather than redone.
    existing = {plan.source: store.ids_for_source(plan.source) for plan in plans}
    missing = [(plan, i) for plan in plans for i, cid in enumerate(plan.ids) if cid not in existing[plan.source]]
    # Chunks and their units are embedded in one length-sorted pass (units are short: they pad little).
    chunk_texts = [plan.embed_texts[i] for plan, i in missing]
    unit_texts = [plan.unit_embed_texts[i] for plan, i in missing]
    on_embedded = (lambda done, total: tracker.report("embedding", done, total)) if tracker else None
    vectors = _embed(chunk_texts + [t for texts in unit_texts for t in texts], embedder, progress, on_embedded)
    if missing:
        metadatas = []
        cursor = len(missing)
        for (plan, i), texts in zip(missing, unit_texts, strict=True):
            unit_vectors = vectors[cursor : cursor + len(texts)]
            cursor += len(texts)
            metadatas.append({**plan.metadatas[i], UNIT_VECTORS_KEY: pack_vectors(unit_vectors)})
        store.upsert(
            [plan.ids[i] for plan, i in missing],
            [plan.texts[i] for plan, i in missing],
            metadatas,
            vectors[: len(missing)],
        )
    report.chunks_embedded += len(missing)
    # Kept chunks may have moved within an edited file: refresh their offsets without re-embedding (Chroma
    # merges metadata on update, so their unit vectors stay).
    kept = [(plan, i) for plan in plans for i, cid in enumerate(plan.ids) if cid in existing[plan.source]]
    if kept:
        store.update_metadata([plan.ids[i] for plan, i in kept], [plan.metadatas[i] for plan, i in kept])
    for plan in plans:
        stale = existing[plan.source] - set(plan.ids)
        if stale:
            store.delete(sorted(stale))
            report.chunks_deleted += len(stale)
        (report.updated if plan.status == "updated" else report.added).append(plan.source)
        manifest.files[plan.source] = {"sha256": plan.sha256, "ids": plan.ids, "indexed_at": round(time.time(), 3)}
    manifest.save()
    if tracker is not None:
        tracker.file_done(len(plans))


def _embed(
    texts: list[str],
    embedder: Embedder,
    progress: bool,
    on_embedded: Callable[[int, int], None] | None = None,
):
    import numpy as np

    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    # Slices of texts of similar length pad their batches least: embedding the group's texts in file order,
    # slice by slice, was ~12% slower than one call over the whole group (bench/ingest.py).
    order = np.argsort([len(t) for t in texts], kind="stable")
    step = max(embedder.batch_size * 4, 256)
    parts = []
    with tqdm(total=len(texts), desc="embed", unit="text", disable=not progress, leave=False) as bar:
        for lo in range(0, len(texts), step):
            if on_embedded is not None:
                on_embedded(lo, len(texts))
            parts.append(embedder.encode([texts[i] for i in order[lo : lo + step]]))
            bar.update(min(step, len(texts) - lo))
    vectors = np.empty_like(parts[0], shape=(len(texts), parts[0].shape[1]))
    vectors[order] = np.concatenate(parts)
    return vectors
