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

    def _sentence_transformer(self):  # -> sentence_transformers.SentenceTransformer
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
        from sentence_transformers import SentenceTransformer

        # The model is a local folder: local_files_only keeps anything it refers to from reaching for the hub.
        return SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)

    def warm(self) -> None:
        self.embed_query("warm up")

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised embeddings as a float32 matrix, one row per text."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        # Newlines become spaces, as every index so far was embedded (through langchain-huggingface); the
        # tokenizer treats both as whitespace, so this keeps vectors identical rather than changing them.
        return self._sentence_transformer().encode(
            [text.replace("\n", " ") for text in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,  # a bar per batch is noise; ingest shows its own progress
        )

    # LangChain Embeddings interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


@lru_cache(maxsize=4)
def shared_embedder(model_path: Path, batch_size: int) -> Embedder:
    """One embedder per model per process: the CLI, UI, API and eval never load the same weights twice."""
    return Embedder(model_path, batch_size)
