"""Shared fixtures: real MiniLM, real Chroma in tmp dirs, settings built directly (never from the env).

Fixtures only: helpers that tests import live in tests/support.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import CORPUS, make_settings

from ingest.service import ingest_into
from rag.app import DocChat, build_app, build_embedder
from rag.embeddings import Embedder
from rag.settings import Settings

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


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
