"""`docchat serve`: built and warmed once before serving, and the address is printed once it listens.

The order of build, warm and create is the serve command's own, so that test runs on `support.FakeDocChat`
(which records its warm-up); the `docchat serve` process answers with the real DocChat.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from servers import free_port, stop_process
from support import FakeDocChat, make_settings

import ui.server
from ingest.service import ingest_into
from rag.embeddings import Embedder
from ui.settings import WebSettings
from ui.transport import HeadDeadlineH11Protocol


def test_run_server_builds_and_warms_once_before_serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.app

    fake = FakeDocChat(make_settings(tmp_path), model_loaded=False)  # loaded by warm(), as the real one is
    events: list[str] = []
    web = WebSettings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{tmp_path / 'f.db'}", port=7861, host="127.0.0.1"
    )
    real_warm, real_create = fake.warm, ui.server.create_web_app
    served: dict[str, Any] = {}

    def build(s: Any, **kwargs: Any) -> FakeDocChat:
        events.append("build")
        return fake

    def warm(*args: Any, **kwargs: Any) -> None:
        events.append("warm")
        real_warm(*args, **kwargs)

    def create(*args: Any, **kwargs: Any) -> Any:
        events.append("create")
        assert fake.model_loaded  # the model is in memory before the app is built
        return real_create(*args, **kwargs)

    monkeypatch.setattr(rag.app, "build_app", build)
    monkeypatch.setattr(fake, "warm", warm)
    monkeypatch.setattr(ui.server, "create_web_app", create)
    monkeypatch.setattr(ui.server.AnnouncingServer, "run", lambda self: served.update(server=self))

    ui.server.run_server(fake.settings, web)

    assert events == ["build", "warm", "create"] and fake.warmed == 1
    server = served["server"]
    assert (server.config.host, server.config.port) == ("127.0.0.1", 7861)
    assert "docchat is ready at http://127.0.0.1:7861" in server.message
    # The connection limits BackgroundServer also uses (tests/test_hostile_web.py exercises them).
    config = server.config
    assert issubclass(config.http, HeadDeadlineH11Protocol) and config.http.head_timeout_s == ui.server.HEAD_TIMEOUT_S
    assert (config.h11_max_incomplete_event_size, config.timeout_keep_alive, config.limit_concurrency) == (
        64 * 1024,
        5,
        200,
    )
    with TestClient(server.config.app) as client:
        assert client.get("/api/health").json()["model"]["loaded"] is True


def read_until(proc: subprocess.Popen[str], needle: str, timeout: float) -> str:
    seen = ""
    selector = selectors.DefaultSelector()
    assert proc.stdout is not None
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while needle not in seen:
        if time.monotonic() > deadline or proc.poll() is not None:
            raise AssertionError(f"`docchat serve` never printed {needle!r}; output so far:\n{seen}")
        if selector.select(timeout=0.5):
            seen += proc.stdout.readline()
    return seen


@pytest.mark.slow
def test_docchat_serve_command_prints_its_address_and_answers(tmp_path: Path, embedder: Embedder) -> None:
    from support import make_settings

    from rag.app import build_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "leave.txt").write_text(
        "Leave Policy\n\nAnnual leave\n\nEvery employee gets twenty-five days of annual leave per year.\n",
        encoding="utf-8",
    )
    settings = make_settings(tmp_path, corpus=corpus)
    ingest_into(build_app(settings, embedder=embedder), progress=False)

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCHAT_")}
    env.update(
        DOCCHAT_CORPUS_DIR=str(corpus),
        DOCCHAT_DATA_DIR=str(settings.data_dir),
        DOCCHAT_COLLECTION=settings.collection,
        GRADIO_ANALYTICS_ENABLED="False",
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    docchat = Path(sys.executable).with_name("docchat")
    proc = subprocess.Popen(
        [str(docchat), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        read_until(proc, f"http://127.0.0.1:{port}", timeout=120)
        base = f"http://127.0.0.1:{port}"
        health = httpx.get(f"{base}/api/health", timeout=10).json()
        # The model is loaded before the socket opens, so the first question has nothing left to load.
        assert health["status"] == "ok" and health["model"]["loaded"] and health["index"]["chunks"] >= 1
        answer = httpx.post(
            f"{base}/api/chat", json={"message": "How many days of annual leave?"}, timeout=30
        )
        assert answer.status_code == 200 and "twenty-five days" in answer.json()["answer"]
        assert httpx.get(f"{base}/", timeout=10).status_code == 200
    finally:
        stop_process(proc)
