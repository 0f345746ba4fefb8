"""Faults docchat must survive without losing or corrupting its index: bad files in the corpus, a file
rewritten during ingest, ingest killed with SIGKILL at random points, and the Chroma server going away.

Duplicates (identical content under two names) are both indexed, each under its own name: a file is
a source people cite by name, and chunk ids include the path, so the two never collide. Retrieval drops
repeated passages, so an answer does not cite the same text twice.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from figures import record
from servers import CHROMA_BIN, ChromaServer
from support import CORPUS, make_settings

from ingest import pipeline
from ingest.chunker import chunk_document
from ingest.loaders import load_document
from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder
from rag.models import Answer
from ui.cli import main as cli
from ui.server import BackgroundServer, create_web_app
from ui.settings import WebSettings

LEAVE_DOC = """Leave Policy

Annual leave

Every employee gets twenty-five days of annual leave per year, booked through the HR portal.

Unused leave of up to five days can be carried over into the first quarter of the next year.

Sick leave

Sick leave does not count against annual leave and needs a doctor's note after three days.
"""
BADGE_DOC = """# Badge Policy

## Visitors

Every visitor wears a green badge at all times inside the building.

## Lost badges

A lost badge is reported to the front desk on the same day, and a new one is issued after a short check.
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def expected_ids(path: Path, corpus: Path, settings: Any) -> set[str]:
    """The chunk ids a clean ingest of this file's current content produces."""
    text = load_document(path, corpus).text
    chunks = chunk_document(text, target_chars=settings.chunk_target_chars, max_chars=settings.chunk_max_chars)
    source = path.relative_to(corpus).as_posix()
    return {pipeline.chunk_id(source, c.text) for c in chunks}


def stored_by_source(app: DocChat) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for chunk in app.store.iter_chunks():
        found.setdefault(str(chunk.metadata["source"]), set()).add(chunk.chunk_id)
    return found


# --- corpus faults ------------------------------------------------------------------------------------------


def faulty_corpus(root: Path) -> tuple[Path, dict[str, str]]:
    """A corpus of good files and every kind of bad one; returns it and {source: expected reason}."""
    corpus = root / "corpus"
    write(corpus / "leave.txt", LEAVE_DOC)
    write(corpus / "badges.md", BADGE_DOC)
    write(corpus / "copy-of-leave.txt", LEAVE_DOC)  # duplicate content under another name
    write(corpus / "notes" / "leave-again.txt", LEAVE_DOC)
    write(corpus / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    write(corpus / "report.pdf", b"%PDF-1.7\n" + os.urandom(2048))
    write(corpus / "memo.docx", b"PK\x03\x04" + os.urandom(1024))
    write(corpus / "image.png", b"\x89PNG\r\n")
    write(corpus / "huge.txt", "A very long line of text about nothing in particular. " * 800)  # ~44 KB
    write(corpus / "empty.txt", "")
    write(corpus / "blank.md", " \n\n\t\n")
    write(corpus / "locked.txt", LEAVE_DOC.replace("twenty-five", "thirty"))
    os.symlink("loop.txt", corpus / "loop.txt")
    os.symlink("ping.txt", corpus / "pong.txt")
    os.symlink("pong.txt", corpus / "ping.txt")
    os.symlink("..", corpus / "notes" / "up")
    os.symlink("/etc/hostname", corpus / "outside.txt")
    os.symlink("missing.txt", corpus / "broken.txt")
    os.mkfifo(corpus / "pipe.txt")  # reading it would block ingest for ever
    reasons = {
        "photo.txt": "binary",
        "report.pdf": "corrupt pdf",
        "memo.docx": "corrupt docx",
        "image.png": "unsupported file type",
        "huge.txt": "too large",
        "empty.txt": "empty",
        "blank.md": "empty",
        "locked.txt": "permission denied",
        "loop.txt": "symlink loop",
        "ping.txt": "symlink loop",
        "pong.txt": "symlink loop",
        "notes/up": "symlinked directory",
        "outside.txt": "outside the corpus",
        "broken.txt": "broken symlink",
        "pipe.txt": "not a regular file",
    }
    return corpus, reasons


def test_corpus_faults_are_skipped_with_their_reasons_and_ingest_completes(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, reasons = faulty_corpus(tmp_path)
    locked = corpus / "locked.txt"
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads mode-000 files anyway: make this one fail as it would for others
        real_sha = pipeline.file_sha256

        def sha(path: Path) -> str:
            if Path(path).name == locked.name:
                raise PermissionError(13, "Permission denied", str(path))
            return real_sha(path)

        monkeypatch.setattr(pipeline, "file_sha256", sha)
    env = {
        "DOCCHAT_CORPUS_DIR": str(corpus),
        "DOCCHAT_DATA_DIR": str(tmp_path / ".docchat"),
        "DOCCHAT_COLLECTION": "faults",
        "DOCCHAT_MAX_FILE_MB": "0.02",  # 20 KB: huge.txt is over it, the good files are not
    }
    try:
        result = CliRunner().invoke(cli, ["ingest"], env=env, catch_exceptions=False)
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert result.exit_code == 0, result.output

    # The report names every skipped file with its reason, and only those.
    skipped = {
        line.split("skipped ", 1)[1].split(": ", 1)[0]: line.split(": ", 1)[1].lower()
        for line in result.output.splitlines()
        if line.strip().startswith("skipped ")
    }
    assert set(skipped) == set(reasons), result.output
    wrong = {source: why for source, why in skipped.items() if reasons[source] not in why}
    assert wrong == {}
    assert "4 added" in result.output and f"{len(reasons)} skipped" in result.output

    app = build_app(make_settings(tmp_path, corpus, collection="faults", max_file_mb=0.02), embedder=embedder)
    by_source = stored_by_source(app)
    duplicates = ["leave.txt", "copy-of-leave.txt", "notes/leave-again.txt"]
    assert set(by_source) == {"badges.md", *duplicates}
    # Duplicates: each indexed under its own name, same passages, ids that never collide.
    assert len({len(by_source[d]) for d in duplicates}) == 1
    assert sum(len(by_source[d]) for d in duplicates) == len(set().union(*(by_source[d] for d in duplicates)))
    answer = app.answer("How many days of annual leave does an employee get?")
    assert not answer.refused and "twenty-five" in answer.answer
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == len(set(quotes)), "the same passage was cited twice from duplicate files"
    record("corpus_faults", inputs=len(reasons) + 4, skipped_with_reason=len(skipped), errors=0)


# --- a file changing during ingest ---------------------------------------------------------------------------


def version(n: int) -> str:
    paragraphs = [f"Paragraph {i} of revision {n}: the planning review covers line {n * 10 + i}." for i in range(n + 3)]
    return f"Planning Notes\n\nRevision {n}\n\n" + "\n\n".join(paragraphs) + "\n"


def test_a_file_rewritten_during_ingest_converges_to_its_final_content(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "leave.txt", LEAVE_DOC)
    write(corpus / "badges.md", BADGE_DOC)
    target = write(corpus / "planning.txt", version(0))
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    stop = threading.Event()
    writes = 0

    def churn() -> None:
        nonlocal writes
        rng = random.Random(8)
        while not stop.is_set():
            # Plain truncate-and-write, not an atomic rename: readers may see it half-written.
            target.write_text(version(rng.randrange(4)), encoding="utf-8")
            writes += 1
            time.sleep(0.0005)

    writer = threading.Thread(target=churn, daemon=True)
    writer.start()
    try:
        reports = [ingest_into(app, progress=False) for _ in range(3)]  # every run sees the file mid-change
    finally:
        stop.set()
        writer.join(5)
    final = version(2)
    target.write_text(final, encoding="utf-8")
    settled = ingest_into(app, progress=False)

    assert writes > 10
    assert all(r.chunks_total > 0 for r in reports)
    assert stored_by_source(app)["planning.txt"] == expected_ids(target, corpus, app.settings)
    for chunk in app.store.iter_chunks():
        if chunk.metadata["source"] == "planning.txt":
            assert final[chunk.metadata["start"] : chunk.metadata["end"]] == chunk.text
    assert ingest_into(app, progress=False).chunks_embedded == 0  # settled: nothing left to redo
    record("file_changing_during_ingest", rewrites=writes, ingests=len(reports) + 2, errors=0, data_lost=0)
    assert settled.chunks_total == app.store.count()


def test_a_file_changed_between_hashing_and_loading_is_not_recorded_as_unchanged(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The narrowest race of the test above, made certain: hashed as version 0, loaded as version 1,
    then put back to version 0. The next run must not take the file for unchanged."""
    corpus = tmp_path / "corpus"
    target = write(corpus / "planning.txt", version(0))
    write(corpus / "leave.txt", LEAVE_DOC)
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    real_load = pipeline.load_document

    def load_after_an_edit(path: Path, *args: Any, **kwargs: Any) -> Any:
        if Path(path) == target:
            target.write_text(version(1), encoding="utf-8")
        return real_load(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "load_document", load_after_an_edit)
        ingest_into(app, progress=False)
    target.write_text(version(0), encoding="utf-8")
    ingest_into(app, progress=False)
    assert stored_by_source(app)["planning.txt"] == expected_ids(target, corpus, app.settings)


# --- crashes ----------------------------------------------------------------------------------------------------


def test_a_rebuild_cut_short_after_the_reset_is_repaired_by_the_next_run(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "leave.txt", LEAVE_DOC)
    write(corpus / "badges.md", BADGE_DOC)
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    ingest_into(app, progress=False)
    clean = app.store.all_ids()

    class Killed(BaseException):
        """Stands for SIGKILL at the worst moment: the collection is gone, nothing else happened."""

    real_reset = app.store.reset

    def reset_then_die() -> None:
        real_reset()
        raise Killed

    app.store.reset = reset_then_die  # type: ignore[method-assign]
    with pytest.raises(Killed):
        ingest_into(app, rebuild=True, progress=False)
    app.store.reset = real_reset  # type: ignore[method-assign]
    ingest_into(app, progress=False)
    assert app.store.all_ids() == clean


def test_an_edit_killed_after_its_deletes_then_reverted_converges(tmp_path: Path, embedder: Embedder) -> None:
    """Found by the random kills below: an edit written and its old chunks deleted, killed before the manifest
    was saved, then the file put back as it was. The manifest still described that content, so the file
    passed for unchanged while its chunks were gone."""
    corpus = tmp_path / "corpus"
    target = write(corpus / "leave.txt", LEAVE_DOC)
    write(corpus / "badges.md", BADGE_DOC)
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    ingest_into(app, progress=False)
    clean = app.store.all_ids()

    class Killed(BaseException):
        """SIGKILL right after the old chunks were deleted."""

    real_delete = app.store.delete

    def delete_then_die(ids: Any) -> None:
        real_delete(ids)
        raise Killed

    target.write_text(LEAVE_DOC.replace("twenty-five", "thirty"), encoding="utf-8")
    app.store.delete = delete_then_die  # type: ignore[method-assign]
    with pytest.raises(Killed):
        ingest_into(app, progress=False)
    app.store.delete = real_delete  # type: ignore[method-assign]
    target.write_text(LEAVE_DOC, encoding="utf-8")
    ingest_into(app, progress=False)
    assert app.store.all_ids() == clean


def test_a_store_emptied_behind_the_manifest_is_filled_again(tmp_path: Path, embedder: Embedder) -> None:
    """A new Chroma server, or a chroma folder deleted by hand: the manifest must not claim the chunks."""
    corpus = tmp_path / "corpus"
    write(corpus / "leave.txt", LEAVE_DOC)
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    ingest_into(app, progress=False)
    clean = app.store.all_ids()
    app.store.reset()
    report = ingest_into(app, progress=False)
    assert app.store.all_ids() == clean and report.chunks_embedded == len(clean)


# Two random kills (one in an edit, one in a rebuild) on top of the deterministic kill tests, which pin the
# worst moments; each trial costs a process start and a model load (about 17 s on a 2-core machine), and the
# suite has to stay inside CI's 15 minutes.
KILL_TRIALS = 2
KILL_DOCS = [
    "what-does-a-director-of-product-management-do.txt",
    "head-of-product-glossary.txt",
    "director-of-product-and-head-of-product-roles.txt",
]
KILL_QUESTIONS = ["Who does a Head of Product report to?", "What does a Director of Product Management do?"]


@contextmanager
def opened(root: Path, corpus: Path, embedder: Embedder) -> Iterator[DocChat]:
    """The crash store, opened by this process only while no ingest runs, and closed again."""
    app = build_app(make_settings(root, corpus), embedder=embedder)
    try:
        yield app
    finally:
        app.store.client.close()


def ingest_process(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with open(log, "ab") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "ingest", "--json", *args],
            env=env,
            cwd=log.parent,
            stdout=subprocess.DEVNULL,
            stderr=handle,
        )


def check_queries(app: DocChat) -> int:
    for question in KILL_QUESTIONS:
        Answer.model_validate(app.answer(question).model_dump())
    return len(KILL_QUESTIONS)


def chunk_keys(app: DocChat) -> list[tuple[str, str]]:
    return [(str(c.metadata["source"]), c.text) for c in app.store.iter_chunks()]


def edit(corpus: Path) -> dict[Path, str]:
    """Changes most passages of every file (so the run has real work); returns the originals."""
    originals = {p: p.read_text(encoding="utf-8") for p in corpus.iterdir()}
    for path, text in originals.items():
        path.write_text(text.replace(" the ", " the revised ").replace("Product", "Produkt"), encoding="utf-8")
    return originals


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_ingest_killed_at_random_points_converges_to_the_clean_build(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in KILL_DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCHAT_")}
    env.update(DOCCHAT_CORPUS_DIR=str(corpus), DOCCHAT_COLLECTION="test", HF_HUB_OFFLINE="1")
    log = tmp_path / "ingest.log"

    # The one clean build everything is compared with; its duration bounds the kill delays.
    started = time.monotonic()
    reference = ingest_process({**env, "DOCCHAT_DATA_DIR": str(tmp_path / "clean" / ".docchat")}, log)
    assert reference.wait(timeout=180) == 0, log.read_text()
    clean_seconds = time.monotonic() - started
    with opened(tmp_path / "clean", corpus, embedder) as clean:
        clean_ids = clean.store.all_ids()
    assert len(clean_ids) > 30
    # The crash store starts as a copy of it (closed, so the copy is consistent): no second full build.
    shutil.copytree(tmp_path / "clean", tmp_path / "crash")
    crash_env = {**env, "DOCCHAT_DATA_DIR": str(tmp_path / "crash" / ".docchat")}

    rng = random.Random(20240611)
    phases: Counter[str] = Counter()
    trials = kills = queries = 0
    while kills < KILL_TRIALS:
        # Edit runs embed less than the clean build whose duration bounds the delays, so some finish first.
        assert trials < 2 * KILL_TRIALS, f"only {kills} of {trials} runs were still going at their kill time"
        # Edits of every file: a kill before their write leaves a cheap repair. One rebuild, whose reset
        # leaves everything to redo (the costly case; test_a_rebuild_cut_short_... pins its worst moment).
        rebuild = trials == KILL_TRIALS // 2
        trials += 1
        originals = {} if rebuild else edit(corpus)
        process = ingest_process(crash_env, log, *(["--rebuild"] if rebuild else []))
        delay = rng.uniform(0.5, clean_seconds)
        try:
            process.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            killed = True
            kills += 1
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")

        # Right after the crash, before any repair: the store opens and answers (maybe from less).
        with opened(tmp_path / "crash", corpus, embedder) as crashed:
            queries += check_queries(crashed)
            ids, keys = crashed.store.all_ids(), chunk_keys(crashed)
        assert len(keys) == len(set(keys)) == len(ids), f"trial {trials}: duplicated chunks after the kill"
        phases[phase(rebuild, ids, clean_ids) if killed else "finished before its kill"] += 1

        # The next run repairs it. In this process: `docchat ingest` is this same call on a fresh app, and a
        # process start per trial would double the test's time without reaching other code.
        with opened(tmp_path / "crash", corpus, embedder) as repairing:
            ingest_into(repairing, progress=False)
        with opened(tmp_path / "crash", corpus, embedder) as repaired:
            assert repaired.store.all_ids() == clean_ids, f"trial {trials} (delay {delay:.1f}s) did not converge"
            assert repaired.store.count() == len(clean_ids)
            keys = chunk_keys(repaired)
            assert len(keys) == len(set(keys))
            queries += check_queries(repaired)
            assert not repaired.answer(KILL_QUESTIONS[0]).refused

    record(
        "ingest_sigkill",
        kills=kills,
        trials=trials,
        clean_ingest_s=round(clean_seconds, 1),
        kill_points=dict(phases),
        queries=queries,
        data_lost=0,
        errors=0,
    )


def phase(rebuild: bool, ids: set[str], clean_ids: set[str]) -> str:
    """Where the kill landed, judged by what it left behind."""
    if ids == clean_ids:
        return "rebuild: before the reset, or all rewritten" if rebuild else "edit: before any write"
    if not ids:
        return "rebuild: after the reset, before any write"
    return "rebuild: part written" if rebuild else "edit: part or all written"


# --- the Chroma server going away ---------------------------------------------------------------------------

@pytest.mark.slow
def test_chroma_server_outage_is_a_503_and_docchat_recovers_by_itself(
    corpus_app: DocChat, tmp_path: Path, embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    if not CHROMA_BIN.exists():
        pytest.skip(f"the chroma CLI is not installed next to {sys.executable}")
    server = ChromaServer(tmp_path / "chroma", tmp_path / "chroma.log")
    server.start()
    try:
        settings = make_settings(tmp_path, corpus_app.settings.corpus_dir, chroma_url=server.url, collection="outage")
        app = build_app(settings, embedder=embedder)
        # The session's index, copied in with its embeddings: nothing to embed again.
        got = corpus_app.store.collection.get(include=["documents", "metadatas", "embeddings"])
        app.store.upsert(got["ids"], got["documents"], got["metadatas"], got["embeddings"])
        app.warm()
        served = WebSettings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite:///{tmp_path / 'fb.sqlite3'}", rate_limit_per_minute=0
        )
        with (
            BackgroundServer(create_web_app(app, served, chat_ui=False)) as web,
            httpx.Client(base_url=web.url, timeout=60) as client,
        ):
            caplog.set_level(logging.WARNING)
            outage = run_outage(server, client)
    finally:
        server.stop()
    # One warning line per failed request, and no traceback: an outage is not a crash.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], caplog.text[-2000:]
    assert any("vector store is unavailable" in r.getMessage() for r in caplog.records)
    record("chroma_outage", **outage, data_lost=0)


def chat(client: httpx.Client, **options: Any) -> httpx.Response:
    return client.post("/api/chat", json={"message": "Who does a Head of Product report to?"}, **options)


def run_outage(server: ChromaServer, client: httpx.Client) -> dict[str, Any]:
    assert chat(client).status_code == 200
    server.stop()

    during: list[httpx.Response] = []
    # Requests must fail fast while the store is down, not hang: one that hangs hits this timeout and fails.
    fail_fast = 20.0
    for _ in range(3):
        during.append(chat(client, timeout=fail_fast))
        during.append(
            client.post(
                "/api/chat?stream=true", json={"message": "What does a Head of Product do?"}, timeout=fail_fast
            )
        )
        during.append(
            client.post(
                "/v1/chat/completions", json={"messages": [{"role": "user", "content": "Who?"}]}, timeout=fail_fast
            )
        )
    source = client.get("/sources/head-of-product-glossary.txt")
    health = client.get("/api/health")
    assert [r.status_code for r in during] == [503] * len(during)
    assert all("unavailable" in r.json()["error"] and "Traceback" not in r.text for r in during)
    assert health.status_code == 503 and source.status_code == 503
    assert health.json()["status"] == "degraded" and health.json()["index"]["store_reachable"] is False

    server.start()
    back = time.monotonic()
    deadline = back + 60
    while (res := chat(client)).status_code != 200:
        assert res.status_code == 503, res.text
        assert time.monotonic() < deadline, "docchat did not recover after the store came back"
        time.sleep(0.5)
    recovered_s = time.monotonic() - back
    assert "[1]" in res.json()["answer"]
    assert client.get("/api/health").json()["status"] == "ok"
    return {
        "requests": len(during) + 3,
        "outage_503s": len(during),
        "server_errors": sum(r.status_code >= 500 and r.status_code != 503 for r in during),
        "recovered_after_s": round(recovered_s, 1),
    }
