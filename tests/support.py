"""Shared test helpers (not fixtures): corpus paths, isolated settings, seeded conversations, a fake clock,
and a fake DocChat for tests of the web layer alone.

A plain module, imported as `from support import ...` like tests/servers.py; tests/conftest.py holds only
fixtures, so no test imports conftest as a module.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rag.app import Health, IndexStats, as_messages
from rag.chain import StreamEvent, stream_words
from rag.models import Answer, Citation, Message, RetrievedChunk
from rag.settings import Settings
from rag.store import is_store_error

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

# Scraped junk known to be in the shipped corpus. The rules that catch it are generic (see ingest/structure.py);
# these strings only check the outcome.
CORPUS_BOILERPLATE = [
    "Back to Glossary",
    "Career & GrowthH",
    "Download our Product Operations playbook:",
    "10 Best Practices to Optimize Your Product Org",
    "Free Product Ops ebook",
    "Recommended resources:",
    "Explore More PM Terms",
    "Browse our complete glossary of 100+ product management terms.",
    "You’ll get instant access to all skills and keywords, plus be",
]


def make_settings(tmp: Path, corpus: Path | None = None, **overrides: object) -> Settings:
    """Settings isolated from the developer's .env and DOCCHAT_* variables."""
    base = {"corpus_dir": corpus or CORPUS, "data_dir": tmp / ".docchat", "collection": "test"}
    base.update(overrides)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type]


def seeded_conversation(store: object, turns: list[dict], owner_id: str | None = None) -> tuple[str, str]:
    """A conversation holding `turns` ({"q", "a"} dicts, as ui.chat.turn_of makes them) in a
    ui.conversations.ConversationStore, stored as the chat page would: (browser id, conversation id)."""
    from ui.conversations import new_owner_id, owner_key, title_from

    owner_id = owner_id or new_owner_id()
    owner = owner_key(owner_id)
    conversation = store.create(owner, title_from(turns[0]["q"] if turns else "test"))  # type: ignore[attr-defined]
    for turn in turns:
        turn_id, run = store.start_turn(owner, conversation, turn["q"])  # type: ignore[attr-defined]
        if turn["a"] is not None:
            store.finish_turn(owner, conversation, turn_id, run, turn["a"])  # type: ignore[attr-defined]
    return owner_id, conversation


class FakeClock:
    """A monotonic clock that moves only when a test advances it: windows and cooldowns without sleeping."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(frozen=True)
class FakeAnswerer:
    name: str = "extractive"


class FakeDocChat:
    """DocChat's public face, as the web layer (ui/) calls it, with canned answers and no model or store.

    A fake at the boundary (in the style of simonw/llm's fake models): tests of what the web layer does on its
    own (tokens, CORS, rate limits, size limits, error bodies, status codes, SSE framing, hostile requests)
    run on it, in milliseconds and without the shared `corpus_app`. Tests where the answer itself matters
    (content, citations, refusals, follow-ups, grounding) stay on the real DocChat.

    It answers in the real contract (rag.models.Answer, rag.chain.StreamEvent), so a change to the contract
    changes what these tests see. Every answer cites one real passage of the first indexed document, with
    offsets that hold in the file (original[start:end] == quote), so /sources links and stored feedback
    look as they do with the real answerer. `asked` records each (question, history) that got past the web
    layer's checks: tests assert that a rejected request never reached it.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sources: Iterable[str] | None = None,
        failure: Exception | None = None,
        answerer: str = "extractive",
        suggestions: Sequence[str] = (),
        llm_status: Mapping[str, Any] | None = None,
        model_loaded: bool = True,
    ) -> None:
        """`sources`: the corpus-relative paths "in the index" (default: every file ingest would take from
        settings.corpus_dir). `failure`: raised by every answer, as a store outage (StoreUnavailable, which
        health() then reports too) or a bug would."""
        from ingest.loaders import discover_files  # what ingest would index, so /sources serves the same

        self.settings = settings
        root = settings.corpus_dir
        if sources is None:
            sources = [p.relative_to(root).as_posix() for p in discover_files(root)[0]]
        self.sources = sorted(sources)
        self.failure = failure
        self.answerer = FakeAnswerer(answerer)
        self.suggestions = list(suggestions)
        self.llm = dict(llm_status) if llm_status is not None else None
        self.model_loaded = model_loaded
        self.asked: list[tuple[str, list[Message]]] = []
        self.warmed = 0
        self.refreshed = 0

    # --- answering -------------------------------------------------------------------------------------

    def answer(self, question: str, history: Iterable[Message | Mapping[str, Any]] = ()) -> Answer:
        messages = as_messages(history)  # the real validation of dicts, so bad turns fail as they would
        self.asked.append((question, messages))
        if self.failure is not None:
            raise self.failure
        return self.canned(question)

    def stream(self, question: str, history: Iterable[Message | Mapping[str, Any]] = ()) -> Iterator[StreamEvent]:
        # A generator like the real one: nothing happens (nor is recorded) until the first event is taken.
        answer = self.answer(question, history)
        for piece in stream_words(answer.answer):
            yield StreamEvent(kind="delta", text=piece)
        yield StreamEvent(kind="answer", answer=answer)

    def canned(self, question: str) -> Answer:
        citations = [self.citation] if self.citation is not None else []
        text = f"{citations[0].quote} [1]" if citations else "I couldn't find the answer to that in the documents."
        return Answer(
            answer=text,
            refused=not citations,
            standalone_question=question,
            citations=citations,
            retrieved=[RetrievedChunk(source=c.source, chunk_id=f"{c.source}#0", score=c.score) for c in citations],
            answerer=self.answerer.name,
        )

    @cached_property
    def citation(self) -> Citation | None:
        """The first line of 40+ characters of the first indexed document, verbatim, with its offsets."""
        from ingest.loaders import LoadError, load_document

        for source in self.sources:
            try:
                document = load_document(self.settings.corpus_dir / source, self.settings.corpus_dir)
            except (LoadError, OSError):
                continue
            line = re.search(r"[^\n]{40,}", document.text)
            if line is None:
                continue
            quote = line.group()[:300]
            return Citation(
                n=1,
                source=document.source,
                title=document.title or document.source,
                section="",
                quote=quote,
                start=line.start(),
                end=line.start() + len(quote),
                score=1.0,
            )
        return None

    # --- the rest of the public face -------------------------------------------------------------------

    def warm(self, progress: bool = False) -> None:
        self.warmed += 1
        self.model_loaded = True

    def health(self) -> Health:
        if self.failure is not None and is_store_error(self.failure):
            return Health(model_loaded=self.model_loaded, store_reachable=False, failure=self.failure)
        chunks = len(self.sources)
        return Health(model_loaded=self.model_loaded, store_reachable=True, chunks=chunks, index_state="ready")

    def index_stats(self) -> IndexStats:
        return IndexStats(chunks=len(self.sources), documents=len(self.sources))

    def suggested_questions(self, limit: int = 4) -> list[str]:
        return self.suggestions[:limit]

    def source_text(self, chunk_ids: Sequence[str]) -> dict[str, str]:
        citation = self.citation
        if citation is None:
            return {}
        return {i: citation.quote for i in chunk_ids if i == f"{citation.source}#0"}

    def has_source(self, source: str) -> bool:
        return source in self.sources

    def llm_status(self) -> dict[str, Any] | None:
        return None if self.llm is None else dict(self.llm)

    @property
    def keyword_index_built(self) -> bool:
        return True

    def refresh(self) -> bool:
        self.refreshed += 1
        return True

    def watch(self, stop: threading.Event) -> threading.Thread:
        thread = threading.Thread(target=stop.wait, daemon=True, name="fake-watch")
        thread.start()
        return thread
