"""The composition root: the one place that wires settings into embedder, store, retriever and answerer.

The CLI, the web app and the eval all call `build_app(settings)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from rag.answerability import DEFAULT_MODEL, AnswerabilityModel
from rag.answering import Answerer, ExtractiveAnswerer, StreamEvent
from rag.condense import HeuristicCondenser
from rag.embeddings import Embedder, shared_embedder
from rag.models import Answer, Message
from rag.retrieval import HybridRetriever
from rag.settings import Settings
from rag.store import ChunkStore

if TYPE_CHECKING:
    from ingest.documents import DocumentInfo
    from ingest.pipeline import ProgressCallback


@dataclass
class DocChat:
    settings: Settings
    embedder: Embedder
    store: ChunkStore
    retriever: HybridRetriever
    answerers: dict[str, Answerer] = field(default_factory=dict)

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

    def ingest(
        self,
        corpus_dir: Path | None = None,
        rebuild: bool = False,
        progress: bool = True,
        on_progress: ProgressCallback | None = None,
    ):
        from ingest.pipeline import IngestProgress, ingest

        latest: list[IngestProgress] = []

        def relay(step: IngestProgress) -> None:
            latest[:] = [step]
            if on_progress is not None:
                on_progress(step)

        report = ingest(
            self.settings,
            self.store,
            self.embedder,
            corpus_dir=corpus_dir,
            rebuild=rebuild,
            progress=progress,
            on_progress=relay,
        )
        if self.retriever._bm25 is not None:  # an index built before this ingest is stale now
            if latest:  # the keyword index is rebuilt before the run counts as done
                relay(IngestProgress("reloading", latest[0].files_total, latest[0].files_total))
            self.retriever.refresh()
        return report

    def documents(self) -> list[DocumentInfo]:
        """The corpus folder's documents and how each stands in the index (from the ingest manifest)."""
        from ingest.documents import list_documents
        from ingest.pipeline import Manifest

        return list_documents(self.settings.corpus_dir, Manifest.load(self.settings.manifest_path).files)


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
