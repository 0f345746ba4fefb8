"""Shared fixtures: real MiniLM, real Chroma in tmp dirs, settings built directly (never from the env)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingest.service import ingest_into
from rag.app import DocChat, build_app, build_embedder
from rag.embeddings import Embedder
from rag.settings import Settings

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

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def make_settings(tmp: Path, corpus: Path | None = None, **overrides: object) -> Settings:
    """Settings isolated from the developer's .env and DOCCHAT_* variables."""
    base = {"corpus_dir": corpus or CORPUS, "data_dir": tmp / ".docchat", "collection": "test"}
    base.update(overrides)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged MiniLM, loaded once for the whole run."""
    return build_embedder(Settings(_env_file=None))  # type: ignore[arg-type]


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, corpus_copy: Path) -> Settings:
    return make_settings(tmp_path, corpus_copy)


@pytest.fixture(scope="session")
def corpus_app(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> DocChat:
    """The shipped corpus, ingested once into a session-wide Chroma; treat it as read-only."""
    app = build_app(make_settings(tmp_path_factory.mktemp("corpus_app")), embedder=embedder)
    ingest_into(app, progress=False)
    app.warm()
    return app


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
