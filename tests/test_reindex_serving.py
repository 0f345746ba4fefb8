"""Re-indexing while serving: the server owns an embedded store and re-indexes when `docchat ingest` asks; in
Chroma-server mode it notices another process's ingest. Under load, neither costs a failed request, a citation
that is not verbatim in the version it names, a stale answer once health says ok, or a health that lies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from support import make_settings

from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder
from rag.owner import ServerHandle, StoreOwnership
from tests.reindex_load import (
    DOCCHAT,
    NEW_CITY,
    OLD_CITY,
    Outcome,
    docchat_env,
    prepare_corpus,
    reindex_under_load,
    write_fact,
)
from tests.servers import CHROMA_BIN, ChromaServer, free_port
from ui import cli
from ui.admin_client import RemoteReindexError, remote_reindex
from ui.server import BackgroundServer, create_web_app
from ui.settings import WebSettings

# Two short files of the corpus: the load, the swap and the freshness checks are the same on any size, and the
# first indexing of a small copy takes seconds instead of a minute of a 2-core CI machine.
LOAD_CORPUS = ["director-of-product-and-head-of-product-roles.txt", "head-of-product-glossary.txt"]


def assert_served_through(outcome: Outcome) -> dict:
    figures = outcome.figures()
    assert figures["during_ingest"] > 0, "nobody asked anything while the ingest ran"
    assert figures["status_5xx"] == 0 and figures["other_status"] == {}, figures
    assert figures["connection_errors"] == 0, figures
    assert figures["citations_checked"] > 0
    assert outcome.unverifiable_citations() == []
    assert figures["new_fact_answers_after_ingest"] > 0, figures
    assert figures["health_ok_but_stale"] == 0, figures
    for sample in outcome.health:
        assert sample.status == 200 and sample.body and sample.body["status"] in ("ok", "reindexing"), sample
    last_fact = [s for s in outcome.chats if s.question.startswith("Where is the annual") and s.body][-1]
    assert NEW_CITY in last_fact.body["answer"]
    return figures


@pytest.mark.slow
def test_embedded_server_reindexes_under_load_when_ingest_asks(tmp_path: Path) -> None:
    corpus = prepare_corpus(tmp_path / "corpus", names=LOAD_CORPUS)
    env = docchat_env(tmp_path / "data", corpus, rate_limit_per_minute=0)
    outcome = reindex_under_load(env, env, corpus, tmp_path, free_port(), clients=5, after_s=2)
    figures = assert_served_through(outcome)
    assert "asking it to re-index" in outcome.ingest_output
    # `docchat ingest` returns once the server answers from the new index: nothing stale after it.
    assert figures["old_fact_after_ingest_s"] is None, figures


@pytest.mark.slow
def test_chroma_server_mode_notices_another_process_ingest_under_load(tmp_path: Path, embedder: Embedder) -> None:
    if not CHROMA_BIN.exists():
        pytest.skip("the chroma CLI is not installed")
    corpus = prepare_corpus(tmp_path / "corpus", names=LOAD_CORPUS)
    with ChromaServer(tmp_path / "chroma", tmp_path / "chroma.log") as chroma:
        serve_env = docchat_env(tmp_path / "data", corpus, rate_limit_per_minute=0, chroma_url=chroma.url)
        # Another machine's ingest: its own data dir, so it writes to the Chroma server itself.
        ingest_env = docchat_env(tmp_path / "elsewhere", corpus, chroma_url=chroma.url)
        # The first indexing runs here (a Chroma server takes writers from any process), saving a model load.
        first = build_app(make_settings(tmp_path / "first", corpus, chroma_url=chroma.url, collection="docchat"),
                          embedder=embedder)
        outcome = reindex_under_load(
            serve_env, ingest_env, corpus, tmp_path, free_port(), clients=5, after_s=3,
            first_ingest=lambda: ingest_into(first, progress=False),
        )
    assert_served_through(outcome)
    assert "asking it to re-index" not in outcome.ingest_output


# --- the owner lock and the admin routes ------------------------------------------------------------------


def test_one_owner_per_data_dir_and_a_server_handle_only_while_it_holds_the_lock(tmp_path: Path) -> None:
    server, other = StoreOwnership(tmp_path), StoreOwnership(tmp_path)
    assert server.try_acquire()
    assert not other.try_acquire()
    assert other.running_server() is None  # the holder has not published a handle: an ingest, not a server
    handle = server.publish("http://127.0.0.1:1")
    assert other.running_server() == handle
    assert oct((tmp_path / "server.json").stat().st_mode & 0o777) == "0o600"
    assert other.claim(sleep=lambda _: pytest.fail("must not wait for a server")) == handle
    server.release()
    assert not (tmp_path / "server.json").exists()
    assert other.claim() is None and other.held
    other.release()


def test_a_handle_left_by_a_killed_server_is_ignored(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / "server.json").write_text(
        f'{{"url": "http://127.0.0.1:1", "pid": {int(gone.stdout)}, "admin_key": "k"}}', encoding="utf-8"
    )
    ownership = StoreOwnership(tmp_path)
    assert ownership.running_server() is None
    assert ownership.claim() is None
    ownership.release()


def test_serve_refuses_a_data_dir_another_server_owns(tmp_path: Path) -> None:
    owner = StoreOwnership(tmp_path / "data")
    assert owner.try_acquire()
    owner.publish("http://127.0.0.1:9")
    try:
        result = CliRunner().invoke(cli.main, ["serve"], env={"DOCCHAT_DATA_DIR": str(tmp_path / "data")})
    finally:
        owner.release()
    assert result.exit_code == 1
    assert "another docchat server" in result.output and "DOCCHAT_DATA_DIR" in result.output


@pytest.fixture
def small_app(tmp_path: Path, embedder: Embedder) -> DocChat:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_fact(corpus, OLD_CITY)
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    ingest_into(app, progress=False)
    app.warm()
    return app


def test_admin_reindex_needs_the_admin_key_and_reindexes(small_app: DocChat) -> None:
    web = create_web_app(small_app, chat_ui=False, admin_key="the-key")
    with TestClient(web) as client:
        assert client.post("/api/admin/reindex").status_code == 401
        assert client.get("/api/admin/reindex", headers={"Authorization": "Bearer nope"}).status_code == 401
        write_fact(small_app.settings.corpus_dir, NEW_CITY)
        started = client.post("/api/admin/reindex", headers={"Authorization": "Bearer the-key"})
        assert started.status_code == 202 and started.json()["state"] in ("running", "done")
        web.state.docchat.reindexer.wait(timeout=120)
        status = client.get("/api/admin/reindex", headers={"Authorization": "Bearer the-key"}).json()
    assert status["state"] == "done" and status["report"]["updated"] == ["offsite-notes.md"]
    assert NEW_CITY in small_app.answer("Where is the annual planning offsite held?").answer


def test_admin_routes_are_off_without_a_key_or_token(small_app: DocChat) -> None:
    with TestClient(create_web_app(small_app, chat_ui=False)) as client:
        response = client.post("/api/admin/reindex", headers={"Authorization": "Bearer guess"})
    assert response.status_code == 403 and "admin key" in response.json()["error"]


def test_ingest_refuses_to_reindex_another_folder_through_the_server(small_app: DocChat, tmp_path: Path) -> None:
    with BackgroundServer(create_web_app(small_app, chat_ui=False, admin_key="k")) as server:
        handle = ServerHandle(url=server.url, pid=os.getpid(), admin_key="k")
        with pytest.raises(RemoteReindexError, match="indexes"):
            remote_reindex(handle, tmp_path / "some-other-folder")
        report = remote_reindex(handle, small_app.settings.corpus_dir)
    assert report["unchanged"] == ["offsite-notes.md"]


# --- health tells the truth -------------------------------------------------------------------------------


def test_health_says_reindexing_while_the_store_changes_and_ok_only_once_current(small_app: DocChat) -> None:
    with TestClient(create_web_app(small_app, chat_ui=False)) as client:

        def health() -> tuple[int, str, str]:
            response = client.get("/api/health")
            body = response.json()
            return response.status_code, body["status"], body["index"]["state"]

        assert health() == (200, "ok", "ready")
        small_app.store.begin_change()
        assert health() == (200, "reindexing", "changing")
        small_app.store.end_change()
        assert health()[:2] == (200, "reindexing")  # stale until the keyword index is rebuilt
        small_app.retriever.refresh()
        assert health() == (200, "ok", "ready")


# --- a completed ingest always signals its change --------------------------------------------------------

KILL_AT_SETTLE = textwrap.dedent(
    """
    import os
    from ingest.service import ingest_into
    from rag.app import build_app
    from rag.settings import Settings
    from rag.store import ChunkStore

    ChunkStore.end_change = lambda self: os._exit(9)  # killed right before it marks the change as done
    ingest_into(build_app(Settings()), progress=False)
    """
)


@pytest.mark.slow
def test_an_ingest_killed_before_it_settles_is_settled_by_the_next_run(tmp_path: Path, embedder: Embedder) -> None:
    """The issue's case: the next run has nothing left to write, and must still tell servers to reload."""
    if not CHROMA_BIN.exists():
        pytest.skip("the chroma CLI is not installed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_fact(corpus, OLD_CITY)
    with ChromaServer(tmp_path / "chroma", tmp_path / "chroma.log") as chroma:
        settings = make_settings(tmp_path, corpus, chroma_url=chroma.url)
        server_side = build_app(settings, embedder=embedder)  # stands in for a running server
        ingest_into(server_side, progress=False)
        server_side.warm()
        server_side.retriever.refresh_interval_s = 0.0
        env = docchat_env(tmp_path / ".docchat", corpus, chroma_url=chroma.url, collection=settings.collection)
        write_fact(corpus, NEW_CITY)

        killed = subprocess.run([sys.executable, "-c", KILL_AT_SETTLE], env=env, cwd=tmp_path, timeout=300)
        assert killed.returncode == 9
        assert server_side.retriever.index_state() == "changing"  # health says so, and no reload of half a change

        again = subprocess.run(
            [str(DOCCHAT), "ingest", "--json"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert again.returncode == 0, again.stderr
        assert '"chunks_embedded": 0' in again.stdout  # nothing left to write...
        assert server_side.retriever.index_state() == "stale"  # ...and still the change is signalled
        for _ in range(1200):  # the rebuild runs in the background; a bounded wait for it
            server_side.retriever.check_for_changes()
            if server_side.retriever.index_state() == "ready":
                break
            time.sleep(0.05)
        assert server_side.retriever.index_state() == "ready"
        assert server_side.retriever.bm25.search(["porto"], 3)


# --- errors an admin can act on ---------------------------------------------------------------------------


def test_ingest_with_the_chroma_server_down_prints_one_clear_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_fact(corpus, OLD_CITY)
    env = docchat_env(tmp_path / "data", corpus, chroma_url=f"http://127.0.0.1:{free_port()}")
    done = subprocess.run([str(DOCCHAT), "ingest"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "cannot reach the Chroma server" in errors[0] and "again" in errors[0]


def test_ingest_losing_the_store_midway_prints_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    class LosesTheStore:
        """A DocChat whose Chroma server goes away as the ingest starts writing."""

        def index_writer(self) -> None:
            raise httpx.ConnectError("[Errno 111] Connection refused")

    monkeypatch.setattr("rag.app.build_app", lambda settings: LosesTheStore())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    env = {"DOCCHAT_DATA_DIR": str(tmp_path / "data"), "DOCCHAT_CHROMA_URL": "http://127.0.0.1:9"}
    result = CliRunner().invoke(cli.main, ["ingest", "--corpus", str(corpus)], env=env)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "cannot reach the Chroma server" in result.output


class SlowIngest:
    """An ingest that waits until released: the Reindexer's bookkeeping, without a store."""

    def __init__(self) -> None:
        import threading

        self.release = threading.Event()
        self.calls = 0

    def ingest(self, docchat: object, **_: object) -> object:
        from ingest.pipeline import IngestReport

        self.calls += 1
        self.release.wait(timeout=60)
        return IngestReport()


def test_a_reindex_asked_for_during_a_run_gets_a_run_of_its_own_after_it() -> None:
    from ingest.reindex import Reindexer

    fake = SlowIngest()
    reindexer = Reindexer(object(), run_ingest=fake.ingest)  # type: ignore[arg-type]
    assert reindexer.start() == 1
    assert reindexer.start() == 2 and reindexer.start() == 2  # queued once, however often asked
    fake.release.set()
    final = reindexer.wait(timeout=60)
    assert final is not None and (final.run, final.state) == (2, "done") and fake.calls == 2


def test_the_api_token_does_not_open_the_admin_routes(small_app: DocChat) -> None:
    from pydantic import SecretStr

    settings = WebSettings(_env_file=None, api_token=SecretStr("chat-token"))  # type: ignore[call-arg]
    with TestClient(create_web_app(small_app, settings, chat_ui=False, admin_key="k")) as client:
        response = client.post("/api/admin/reindex", headers={"Authorization": "Bearer chat-token"})
    assert response.status_code == 401
