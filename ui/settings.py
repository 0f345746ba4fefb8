"""The web layer's settings: how `docchat serve` listens, who may call it, and what it keeps.

The core settings (rag/settings.py) describe documents, index and answering; these only the web app
reads. Same DOCCHAT_ variables and optional .env as before, so nothing changes for users. Built once by
the entry point and passed down; tests construct it directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from rag.settings import StrictSettings

# The admin token can add and remove documents: long enough that guessing it, 10 tries a minute, is hopeless.
ADMIN_TOKEN_MIN_CHARS = 16


class WebSettings(StrictSettings):
    model_config = SettingsConfigDict(env_prefix="DOCCHAT_", env_file=".env", env_file_encoding="utf-8", extra="ignore")
    unknown_hint: ClassVar[str] = " (documents, index and answering options are rag.settings.Settings)"

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
    database_url: str | None = Field(
        None, description="SQLAlchemy URL for feedback and conversations. Default: SQLite under the data dir."
    )
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
    def _admin_token_is_its_own(self) -> WebSettings:
        admin = self.admin_token.get_secret_value() if self.admin_token else None
        if admin is not None and len(admin) < ADMIN_TOKEN_MIN_CHARS:
            raise ValueError(f"DOCCHAT_ADMIN_TOKEN must be at least {ADMIN_TOKEN_MIN_CHARS} characters long")
        if admin is not None and self.api_token is not None and admin == self.api_token.get_secret_value():
            raise ValueError("DOCCHAT_ADMIN_TOKEN must differ from DOCCHAT_API_TOKEN, which every chat user knows")
        return self

    def feedback_url(self, data_dir: Path) -> str:
        """The feedback (and conversations) database: database_url, else SQLite in the core data dir."""
        return self.database_url or f"sqlite:///{(data_dir / 'feedback.sqlite3').resolve()}"
