"""The model endpoint: the chat client for an OpenAI-compatible URL, its credentials, and what its failures
are called in notices and logs (never a traceback, a dump or a secret)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from rag.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# A retry would double the wait on a slow server; the extractive fallback is the better "retry".
LLM_MAX_RETRIES = 0


class EmptyReply(Exception):
    """The model answered with nothing usable (a garbage body parses to no text)."""


def split_url_credentials(url: str | None) -> tuple[str | None, dict[str, str]]:
    """A base URL like http://user:pass@host/v1 becomes the bare URL plus a Basic Authorization header,
    so the password never appears in the request URLs that HTTP clients log."""
    if not url:
        return url, {}
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, {}
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    credentials = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
    header = "Basic " + base64.b64encode(credentials.encode()).decode()
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), {"Authorization": header}


def build_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for any OpenAI-compatible endpoint (llama.cpp, vLLM, Ollama, OpenAI itself)."""
    from langchain_openai import ChatOpenAI  # heavy: only when an LLM is actually configured

    base_url, headers = split_url_credentials(settings.llm_base_url)
    return ChatOpenAI(
        base_url=base_url,
        default_headers=headers or None,
        api_key=settings.llm_api_key,
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        # langchain-openai 1.x sends this as "max_completion_tokens", which some servers ignore; the
        # classic "max_tokens" goes in the body too, via extra_body (model_kwargs would be renamed as well).
        max_tokens=settings.llm_max_tokens,
        extra_body={"max_tokens": settings.llm_max_tokens},
        timeout=settings.llm_timeout_s,
        max_retries=LLM_MAX_RETRIES,
    )


def describe_failure(exc: BaseException, timeout_s: float) -> tuple[str, str]:
    """(reason, detail): a short reason for the reader, a detail for the log; never a traceback or a dump."""
    import httpx
    import openai

    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return f"no reply within {timeout_s:g}s", ""
    if isinstance(exc, TimeoutError):
        return "reply too slow", str(exc)
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return "connection failed", ""
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}", _short(exc.message)
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}", ""
    if isinstance(exc, EmptyReply):
        return "empty reply", ""
    return "unusable reply", f"{type(exc).__name__}: {_short(str(exc))}"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret and len(secret) >= 4 else text


def redact_url(url: str | None) -> str | None:
    """The URL without user:password@ or a query string, either of which may carry a credential."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
