"""What the commands print around their output: no library bars or warnings, our own bars only at a
terminal, clean piped chat, and `serve`'s access log (one line per request, no question text by default)."""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from support import make_settings

from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder
from rag.settings import Settings
from ui.cli import main as cli
from ui.server import BackgroundServer, create_web_app, uvicorn_config
from ui.settings import WebSettings

REPO = Path(__file__).resolve().parents[1]
LEAVE_DOC = """Leave Policy

Annual leave

Every employee gets twenty-five days of annual leave per year.

Sick leave

Sick leave is paid from the first day, for up to ten days per year.
"""
SECRET_QUESTION = "How many days of annual leave do interns get"


@pytest.fixture(scope="module")
def leave_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    root = tmp_path_factory.mktemp("cli_logs")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "leave.txt").write_text(LEAVE_DOC, encoding="utf-8")
    settings = make_settings(root, corpus=corpus)
    ingest_into(build_app(settings, embedder=embedder), progress=False)
    return settings


def docchat_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCHAT_")}
    env.update(
        DOCCHAT_CORPUS_DIR=str(settings.corpus_dir),
        DOCCHAT_DATA_DIR=str(settings.data_dir),
        DOCCHAT_COLLECTION=settings.collection,
        HF_HUB_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
    )
    return env


@pytest.mark.slow
def test_ask_prints_no_library_progress_bars_or_warnings(leave_settings: Settings, tmp_path: Path) -> None:
    # A process of its own: the model must really be loaded here, which is when the bars appeared.
    env = docchat_env(leave_settings) | {
        "PYTHONPATH": str(REPO),  # this checkout, not whichever one the venv was installed from
        "PYTHONWARNINGS": "default",  # show the warnings Python hides by default, unless we silence them
    }
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ask", "How many days of annual leave per year?"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "twenty-five days" in result.stdout
    assert "Loading weights" not in result.stderr
    assert "Warning" not in result.stderr and "warn" not in result.stderr.lower()
    assert result.stderr.strip() == "", result.stderr


def test_eval_shows_no_progress_bar_when_stderr_is_not_a_terminal(
    leave_settings: Settings, tmp_path: Path
) -> None:
    dataset = tmp_path / "qa.jsonl"
    items = [
        {"id": "leave", "question": "How many days of annual leave per year?", "answerable": True,
         "must_include": [["twenty-five"]]},
        {"id": "sick", "question": "How many days of sick leave?", "answerable": True, "must_include": [["ten"]]},
    ]
    dataset.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["eval", "--dataset", str(dataset), "--no-ingest", "--out", str(tmp_path / "out")],
        env=docchat_env(leave_settings),
        catch_exceptions=False,
    )
    assert "docchat eval" in result.stdout  # the summary table: the run happened
    assert "\r" not in result.stderr and "q/s" not in result.stderr and "eval:" not in result.stderr


def test_piped_chat_prints_one_clean_answer_per_question(leave_settings: Settings) -> None:
    piped = "How many days of annual leave per year?\n\nAnd how many days of sick leave?\n"
    result = CliRunner().invoke(
        cli, ["chat"], input=piped, env=docchat_env(leave_settings), catch_exceptions=False
    )
    assert result.exit_code == 0
    out = result.stdout
    assert "you>" not in out and "you" not in out.split("\n", 1)[0]
    # The first line is the first answer itself, not a prompt with the answer glued to it.
    assert out.startswith("Every employee gets twenty-five days of annual leave per year [1].")
    assert out.count("(searched for:") == 2  # the blank line in the input is no question, nor the end
    assert "ten days" in out.split("(searched for:")[1]


# --- the access log ----------------------------------------------------------------------------------


class StepClock:
    """A clock that moves 12.5 ms per reading: the access log's durations are known exactly."""

    def __init__(self) -> None:
        self.ticks = itertools.count()

    def __call__(self) -> float:
        return 1000.0 + next(self.ticks) * 0.0125


@pytest.fixture
def access_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO, logger="docchat.access"):
        yield caplog


def serve(corpus_app: DocChat, tmp_path: Path, **updates: object) -> BackgroundServer:
    settings = WebSettings(  # type: ignore[call-arg]
        _env_file=None,
        **{"database_url": f"sqlite:///{tmp_path / 'fb.sqlite3'}", "rate_limit_per_minute": 0, **updates},
    )
    return BackgroundServer(create_web_app(corpus_app, settings, chat_ui=False, access_clock=StepClock()))


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "docchat.access"]


def test_access_log_has_one_line_per_request_and_no_question_text(
    corpus_app: DocChat, tmp_path: Path, access_log: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(corpus_app, tmp_path) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get("/api/health", params={"q": SECRET_QUESTION}).status_code == 200
        chat = client.post("/api/chat", params={"question": SECRET_QUESTION}, json={"message": SECRET_QUESTION})
        assert chat.status_code == 200
        streamed = client.post("/api/chat?stream=true", json={"message": SECRET_QUESTION})
        assert streamed.status_code == 200 and "event: answer" in streamed.text
        assert client.post("/api/chat", json={"message": ""}).status_code == 422
        assert client.get("/api/nope").status_code == 404

    assert access_lines(access_log) == [
        "GET /api/health 200 12.5ms",
        "POST /api/chat 200 12.5ms",
        "POST /api/chat 200 12.5ms",
        "POST /api/chat 422 12.5ms",
        "GET /api/nope 404 12.5ms",
    ]
    everything = access_log.text + "".join(capfd.readouterr())
    for secret in (SECRET_QUESTION, "interns", "question=", "q=How"):
        assert secret not in everything


def test_access_log_takes_the_question_only_when_the_setting_asks(
    corpus_app: DocChat, tmp_path: Path, access_log: pytest.LogCaptureFixture
) -> None:
    with serve(corpus_app, tmp_path, log_questions=True) as server:
        httpx.post(f"{server.url}/api/chat?lang=en", json={"message": SECRET_QUESTION}, timeout=30)
    (line,) = access_lines(access_log)
    assert re.fullmatch(r"POST /api/chat 200 12\.5ms query=lang=en question=\"[^\"]+\"", line), line
    assert SECRET_QUESTION in line


def test_uvicorn_access_log_is_off() -> None:
    # uvicorn's own access log prints query strings: docchat.access replaces it.
    assert uvicorn_config(object()).access_log is False


def test_access_log_hides_the_chat_page_session_id() -> None:
    from ui.access_log import logged_path

    assert logged_path("/gradio_api/heartbeat/s3cr3t-session") == "/gradio_api/heartbeat/…"
    assert logged_path("/api/chat") == "/api/chat"
