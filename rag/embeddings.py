"""The sentence-transformers embedder, loaded from a local folder only (no hub downloads)."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class Embedder(Embeddings):
    """LangChain `Embeddings` over a local sentence-transformers model, loaded on first use.

    Loading takes seconds, so commands that may not need the model (an unchanged re-ingest) never pay
    for it; servers call `warm()` at startup so the first question does not.
    """

    def __init__(self, model_path: Path, batch_size: int = 64) -> None:
        self.model_path = Path(model_path)
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _langchain_model(self):  # -> HuggingFaceEmbeddings
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        if not (self.model_path / "config.json").exists() and not (self.model_path / "modules.json").exists():
            raise FileNotFoundError(
                f"No sentence-transformers model at {self.model_path}. Set DOCCHAT_EMBED_MODEL to a local model folder."
            )
        from langchain_huggingface import HuggingFaceEmbeddings

        return HuggingFaceEmbeddings(
            model_name=str(self.model_path),
            # The model is local: local_files_only keeps the loader from reaching for the hub at run time,
            # without changing the process's environment for everyone else.
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": self.batch_size},
            show_progress=False,  # a bar per batch is noise; ingest shows its own progress
        )

    def warm(self) -> None:
        self.embed_query("warm up")

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised embeddings as a float32 matrix, one row per text."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.asarray(self._langchain_model().embed_documents(texts), dtype=np.float32)

    # LangChain Embeddings interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._langchain_model().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._langchain_model().embed_query(text)


@lru_cache(maxsize=4)
def shared_embedder(model_path: Path, batch_size: int) -> Embedder:
    """One embedder per model per process: the CLI, UI, API and eval never load the same weights twice."""
    return Embedder(model_path, batch_size)
