"""Ingesting into a running DocChat, and listing what it has indexed: the ingest layer's side of DocChat.

`rag` answers from an index and knows nothing of how it is filled; these functions fill it through the
DocChat's public face and then tell it to refresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ingest.documents import DocumentInfo, list_documents
from ingest.pipeline import IngestProgress, IngestReport, Manifest, ProgressCallback, ingest

if TYPE_CHECKING:
    from rag.app import DocChat


def ingest_into(
    docchat: DocChat,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    progress: bool = True,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring `docchat`'s index up to date with the corpus (incremental unless `rebuild`), then refresh it,
    so the next question is answered from what was just written."""
    latest: list[IngestProgress] = []

    def relay(step: IngestProgress) -> None:
        latest[:] = [step]
        if on_progress is not None:
            on_progress(step)

    writer = docchat.index_writer()
    report = ingest(
        writer.settings,
        writer.store,
        writer.embedder,
        corpus_dir=corpus_dir,
        rebuild=rebuild,
        progress=progress,
        on_progress=relay,
    )
    if docchat.keyword_index_built:  # an index built before this ingest is stale now
        if latest:  # the keyword index is rebuilt before the run counts as done
            relay(IngestProgress("reloading", latest[0].files_total, latest[0].files_total))
        docchat.refresh()
    return report


def list_indexed_documents(docchat: DocChat) -> list[DocumentInfo]:
    """The corpus folder's documents and how each stands in the index (from the ingest manifest)."""
    settings = docchat.settings
    return list_documents(settings.corpus_dir, Manifest.load(settings.manifest_path).files)
