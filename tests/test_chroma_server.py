"""Chroma server mode (DOCCHAT_CHROMA_URL) against a real `chroma run` on loopback.

One server for the module, started here and always stopped. The corpus is ingested into it once; the tests
check that the server store behaves like the embedded one, and that a second docchat process keeps
answering while this one re-ingests, then sees the new content once it notices the new generation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support import CORPUS, REPO, make_settings

from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder
from tests.servers import CHROMA_BIN, ChromaServer

pytestmark = pytest.mark.slow

COLLECTION = "served"
EDITED = "head-of-product-glossary.txt"
REMOVED = "director-vs-head-of-product.txt"
# A made-up word, so only the new section can answer and BM25 only knows it after a refresh.
NEW_FACT = (
    "\n\nThe Quorvane Rule\n\nThe quorvane rule says a Head of Product reviews the discovery budget every 11 weeks.\n"
)
NEW_QUESTION = "What does the quorvane rule say?"
OLD_QUESTIONS = [
    "Who does a Head of Product normally report to?",
    "What size of company typically has a Head of Product?",
]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMA_BIN.exists():
        pytest.skip(f"the chroma CLI is not installed next to {sys.executable}")
    root = tmp_path_factory.mktemp("chroma-server")
    with ChromaServer(root / "data", root / "server.log", port=None) as server:
        yield server.url


@dataclass
class Served:
    app: DocChat
    corpus: Path
    original_ids: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def served(chroma_url: str, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Served:
    """The shipped corpus (a copy the tests may edit) ingested into the server once."""
    root = tmp_path_factory.mktemp("served")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    app = build_app(make_settings(root, corpus, chroma_url=chroma_url, collection=COLLECTION), embedder=embedder)
    report = ingest_into(app, progress=False)
    assert sorted(report.added) == sorted(p.name for p in CORPUS.iterdir())
    assert not app.settings.chroma_path.exists(), "server mode must not create an embedded store"
    return Served(app, corpus, app.store.all_ids())


def test_server_store_matches_embedded_store(served: Served, corpus_app: DocChat) -> None:
    server_chunks = {c.chunk_id: (c.text, c.metadata) for c in served.app.store.iter_chunks()}
    embedded_chunks = {c.chunk_id: (c.text, c.metadata) for c in corpus_app.store.iter_chunks()}
    assert server_chunks == embedded_chunks

    again = ingest_into(served.app, progress=False)
    assert again.chunks_embedded == again.chunks_deleted == 0
    assert len(again.unchanged) == len(list(CORPUS.iterdir()))

    served.app.warm()
    for question in OLD_QUESTIONS:
        server_answer, embedded_answer = served.app.answer(question), corpus_app.answer(question)
        assert not server_answer.refused
        assert server_answer.answer == embedded_answer.answer
        assert server_answer.citations == embedded_answer.citations


# The second docchat process: answers in a loop and prints one JSON line per answer. It stops once it has
# seen the new content under a new generation (BM25 knows the new word and the new question is answered),
# or at its deadline. The generation matters: chunks land before the ingest stamps its new generation, and
# the reader may index them in between (the count changed), which must not end the run early.
READER = """
import json, sys, time
from rag.app import build_app
from rag.settings import Settings

questions, probe, budget = json.loads(sys.argv[1]), sys.argv[2], float(sys.argv[3])
app = build_app(Settings())
app.retriever.refresh_interval_s = 0.2  # notice another process's ingest quickly
app.warm()
first_generation = app.retriever.bm25.fingerprint[1]
print(json.dumps({"event": "ready", "generation": first_generation}), flush=True)
deadline, seen_new = time.monotonic() + budget, 0
while time.monotonic() < deadline and seen_new < 2:
    for question in questions:
        record = {"event": "answer", "question": question, "t": time.time()}
        try:
            answer = app.answer(question)
            record.update(answer=answer.answer, refused=answer.refused,
                          citations=[c.model_dump() for c in answer.citations])
        except Exception as exc:
            record.update(event="error", error=repr(exc))
        bm25 = app.retriever.bm25
        record.update(generation=bm25.fingerprint[1], probe_hits=len(bm25.search([probe], 5)))
        print(json.dumps(record), flush=True)
        new = question == questions[0] and not record.get("refused", True) and record["probe_hits"] > 0
        new = new and record["generation"] != first_generation
        seen_new += new
"""


class Reader:
    """The reader subprocess and the records it printed, collected by a thread so nothing blocks."""

    def __init__(self, env: dict[str, str], cwd: Path, budget_s: float) -> None:
        questions = [NEW_QUESTION, *OLD_QUESTIONS]
        self.records: list[dict] = []
        self.log = cwd / "reader.log"
        with open(self.log, "wb") as log:
            self.process = self._start(questions, env, cwd, budget_s, log)
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()

    @staticmethod
    def _start(questions: list[str], env: dict[str, str], cwd: Path, budget_s: float, log) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", READER, json.dumps(questions), "quorvan", str(budget_s)],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            record = json.loads(line) if line.startswith("{") else {}
            if record.get("event") in ("answer", "error"):  # "ready" only tells us the model is loaded
                self.records.append(record)

    def wait_for(self, predicate, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(predicate(r) for r in list(self.records)):
            if self.process.poll() is not None and not self.thread.is_alive():
                tail = self.log.read_text(errors="replace")[-2000:]
                raise AssertionError(f"the reader exited early ({self.process.returncode}):\n{tail}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for the reader: {self.records[-3:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
        self.thread.join(timeout=5)


def quote_matches(citation: dict, versions: dict[str, list[str]]) -> bool:
    return any(text[citation["start"] : citation["end"]] == citation["quote"] for text in versions[citation["source"]])


def test_second_process_answers_during_reingest_then_sees_new_content(served: Served, chroma_url: str) -> None:
    app, corpus = served.app, served.corpus
    originals = {p.name: p.read_text(encoding="utf-8") for p in corpus.iterdir()}
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DOCCHAT_CHROMA_URL": chroma_url,
        "DOCCHAT_COLLECTION": COLLECTION,
        "DOCCHAT_CORPUS_DIR": str(corpus),
        "DOCCHAT_DATA_DIR": str(corpus.parent / "reader"),
    }
    reader = Reader(env, corpus.parent, budget_s=90)
    try:
        reader.wait_for(lambda r: True, timeout=60)
        old_generation = app.store.generation()

        # Edit one file, remove another, add a large new one: enough work that the reader answers meanwhile.
        (corpus / EDITED).write_text(originals[EDITED] + NEW_FACT, encoding="utf-8")
        (corpus / REMOVED).unlink()
        (corpus / "copy.txt").write_text("A copy.\n\n" + originals[REMOVED], encoding="utf-8")
        started = time.time()
        report = ingest_into(app, progress=False)
        finished = time.time()
        assert report.updated == [EDITED] and report.removed == [REMOVED] and report.added == ["copy.txt"]
        new_generation = app.store.generation()
        assert new_generation != old_generation

        reader.wait_for(lambda r: r["generation"] == new_generation and r.get("probe_hits", 0) > 0, timeout=60)
        reader.wait_for(lambda r: r["question"] == NEW_QUESTION and not r.get("refused", True), timeout=30)
    finally:
        reader.stop()

    records = reader.records
    assert [r for r in records if r["event"] == "error"] == []
    assert any(started <= r["t"] <= finished for r in records), "the reader answered nothing during the ingest"
    versions = {**{name: [text] for name, text in originals.items()}, "copy.txt": [(corpus / "copy.txt").read_text()]}
    versions[EDITED].append((corpus / EDITED).read_text(encoding="utf-8"))
    for record in records:
        assert record["answer"].strip()
        assert all(quote_matches(c, versions) for c in record["citations"]), record
    before = [r for r in records if r["t"] < started]
    assert before and all(r["probe_hits"] == 0 and r["generation"] == old_generation for r in before)
    new_answer = next(r for r in records if r["question"] == NEW_QUESTION and not r["refused"])
    assert "11 weeks" in new_answer["answer"]
    assert {c["source"] for c in new_answer["citations"]} == {EDITED}

    # Putting the corpus back converges to exactly the original index, re-embedding only what changed.
    (corpus / "copy.txt").unlink()
    for name, text in originals.items():
        (corpus / name).write_text(text, encoding="utf-8")
    restored = ingest_into(app, progress=False)
    assert restored.chunks_embedded < len(served.original_ids) // 2
    assert app.store.all_ids() == served.original_ids
