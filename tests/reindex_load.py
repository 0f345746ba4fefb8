"""Re-index under load: 20 clients ask a `docchat serve` subprocess questions while `docchat ingest` (another
process) indexes a changed corpus. Shared by tests/test_reindex_serving.py and bench/reindex.py.

What it records: every request's status or connection error, every citation checked verbatim against the file
version it names (`citation.version`), when the changed fact is first and last answered the old way relative
to the end of the ingest, and every /api/health sample.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
DOCCHAT = Path(sys.executable).with_name("docchat")

# A fact of our own, added to a copy of the corpus, so the check works the same on any corpus.
FACT_FILE = "offsite-notes.md"
FACT_TEMPLATE = (
    "# Offsite notes\n\n"
    "The annual planning offsite is held in {city} every spring.\n\n"
    "Each team books its own travel through the office coordinator.\n"
)
OLD_CITY, NEW_CITY = "Lisbon", "Porto"
FACT_QUESTION = "Where is the annual planning offsite held?"


@dataclass
class Sample:
    kind: str  # "chat" | "health"
    started: float
    ended: float
    status: int | None = None  # None: the connection failed
    error: str | None = None
    body: dict[str, Any] | None = None
    question: str = ""


@dataclass
class Outcome:
    samples: list[Sample]
    ingest_started: float
    ingest_ended: float
    versions: dict[tuple[str, str], str]  # (source, sha256 of the bytes) -> the loaded text offsets refer to
    ingest_output: str = ""

    @property
    def chats(self) -> list[Sample]:
        return [s for s in self.samples if s.kind == "chat"]

    @property
    def health(self) -> list[Sample]:
        return [s for s in self.samples if s.kind == "health"]

    def figures(self) -> dict[str, Any]:
        chats, end = self.chats, self.ingest_ended
        statuses = Counter(s.status for s in chats if s.status is not None)
        fact = [s for s in chats if s.question == FACT_QUESTION and s.status == 200 and s.body]
        stale_after = [s.started - end for s in fact if s.started > end and OLD_CITY in s.body["answer"]]
        fresh_after = [s.started - end for s in fact if s.started > end and NEW_CITY in s.body["answer"]]
        health_states = Counter(
            f"{s.status}:{(s.body or {}).get('status')}:{((s.body or {}).get('index') or {}).get('state')}"
            for s in self.health
        )
        return {
            "requests": len(chats),
            "during_ingest": sum(1 for s in chats if self.ingest_started <= s.started <= end),
            "status_200": statuses.get(200, 0),
            "status_5xx": sum(n for code, n in statuses.items() if code >= 500),
            "other_status": {code: n for code, n in statuses.items() if code != 200 and code < 500},
            "connection_errors": sum(1 for s in chats if s.status is None),
            "citations_checked": sum(len(s.body.get("citations", [])) for s in chats if s.body),
            "citations_not_verbatim": len(self.unverifiable_citations()),
            "ingest_s": round(end - self.ingest_started, 2),
            "old_fact_after_ingest_s": round(max(stale_after), 2) if stale_after else None,
            "new_fact_first_after_ingest_s": round(min(fresh_after), 2) if fresh_after else None,
            "new_fact_answers_after_ingest": len(fresh_after),
            "health_samples": len(self.health),
            "health_states": dict(health_states),
            "health_ok_but_stale": self.health_ok_but_stale(),
        }

    def unverifiable_citations(self) -> list[dict[str, Any]]:
        bad = []
        for sample in self.chats:
            for citation in (sample.body or {}).get("citations", []):
                text = self.versions.get((citation["source"], citation.get("version", "")))
                if text is None or text[citation["start"] : citation["end"]] != citation["quote"]:
                    bad.append(citation)
        return bad

    def health_ok_but_stale(self) -> int:
        """Fact answers still old although /api/health had said "ok" after the ingest, before they were asked."""
        oks = [s.ended for s in self.health if s.started > self.ingest_ended and (s.body or {}).get("status") == "ok"]
        if not oks:
            return 0
        first_ok = min(oks)
        return sum(
            1
            for s in self.chats
            if s.question == FACT_QUESTION and s.body and s.started > first_ok and OLD_CITY in s.body["answer"]
        )


def prepare_corpus(target: Path, source: Path = REPO / "corpus", names: Sequence[str] | None = None) -> Path:
    """A copy of the corpus (or of the named files of it) plus our fact file."""
    if names is None:
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True)
        for name in names:
            shutil.copy(source / name, target / name)
    write_fact(target, OLD_CITY)
    return target


def write_fact(corpus: Path, city: str) -> None:
    (corpus / FACT_FILE).write_text(FACT_TEMPLATE.format(city=city), encoding="utf-8")


def file_versions(corpus: Path) -> dict[tuple[str, str], str]:
    """(source, sha256) -> the text citations' offsets index, for every file as it is now."""
    from ingest.loaders import load_document

    versions = {}
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        data = path.read_bytes()
        document = load_document(path, corpus, max_bytes=len(data) + 1, data=data)
        versions[(path.relative_to(corpus).as_posix(), hashlib.sha256(data).hexdigest())] = document.text
    return versions


def docchat_env(data_dir: Path, corpus: Path, **settings: object) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCHAT_")}
    env.update(
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        TOKENIZERS_PARALLELISM="false",
        DOCCHAT_DATA_DIR=str(data_dir),
        DOCCHAT_CORPUS_DIR=str(corpus),
    )
    env.update({f"DOCCHAT_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def run_ingest(env: dict[str, str], cwd: Path, timeout_s: float = 600) -> str:
    done = subprocess.run(
        [str(DOCCHAT), "ingest"], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout_s
    )
    if done.returncode != 0:
        raise RuntimeError(f"docchat ingest failed ({done.returncode}): {done.stdout[-1500:]}{done.stderr[-1500:]}")
    return done.stdout


class Serve:
    """`docchat serve` on a free loopback port; always stopped on exit."""

    def __init__(self, env: dict[str, str], cwd: Path, port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [str(DOCCHAT), "serve"],
                env={**env, "DOCCHAT_HOST": "127.0.0.1", "DOCCHAT_PORT": str(port)},
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_up(self, timeout_s: float = 300) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"docchat serve exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                httpx.get(f"{self.url}/api/health", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"docchat serve did not come up: {self.log.read_text(errors='replace')[-2000:]}")

    def wait_answer(self, contains: str, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = httpx.post(f"{self.url}/api/chat", json={"message": FACT_QUESTION}, timeout=60).json()
                if contains in last.get("answer", ""):
                    return
            except (httpx.HTTPError, ValueError) as exc:
                last = repr(exc)
            time.sleep(0.3)
        raise RuntimeError(f"the server never answered with {contains!r}: {last}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


@dataclass
class Load:
    """Client threads, each on its own keep-alive connection, plus one health poller; bounded by `stop` and
    by `max_requests` per client."""

    url: str
    questions: list[str]
    clients: int = 20
    max_requests: int = 2000
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> Load:
        for i in range(self.clients):
            self._threads.append(threading.Thread(target=self._client, args=(i,), daemon=True))
        self._threads.append(threading.Thread(target=self._health, daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def finish(self) -> list[Sample]:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=120)
        return sorted(self.samples, key=lambda s: s.started)

    def _record(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)

    def _client(self, index: int) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as http:
            for n in range(self.max_requests):
                if self.stop.is_set():
                    return
                # Every other request asks the changed fact, so freshness is seen from every client.
                question = FACT_QUESTION if n % 2 == 0 else self.questions[(index + n) % len(self.questions)]
                self._record(self._ask(http, question))

    def _ask(self, http: httpx.Client, question: str) -> Sample:
        started = time.time()
        try:
            response = http.post("/api/chat", json={"message": question})
        except httpx.HTTPError as exc:
            return Sample("chat", started, time.time(), error=type(exc).__name__, question=question)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
        return Sample("chat", started, time.time(), response.status_code, body=body, question=question)

    def _health(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as http:
            for _ in range(self.max_requests):
                if self.stop.wait(0.2):
                    return
                started = time.time()
                try:
                    response = http.get("/api/health")
                    sample = Sample("health", started, time.time(), response.status_code, body=response.json())
                except (httpx.HTTPError, ValueError) as exc:
                    sample = Sample("health", started, time.time(), error=type(exc).__name__)
                self._record(sample)


def default_questions(limit: int = 6) -> list[str]:
    path = REPO / "eval" / "qa-test.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [item["question"] for item in items if not item.get("history") and item.get("answerable")][:limit]


def reindex_under_load(
    serve_env: dict[str, str],
    ingest_env: dict[str, str],
    corpus: Path,
    workdir: Path,
    port: int,
    *,
    clients: int = 20,
    before_s: float = 2.0,
    after_s: float = 8.0,
    first_ingest: Callable[[], object] | None = None,
) -> Outcome:
    """Serve, index the corpus (with `first_ingest` if given, e.g. in-process against a Chroma server), then
    change the fact and re-index with `docchat ingest` while `clients` ask throughout."""
    server = Serve(serve_env, workdir, port, workdir / "serve.log")
    try:
        server.wait_up()
        if first_ingest is not None:
            first_ingest()
        else:
            run_ingest(ingest_env, workdir)
        server.wait_answer(OLD_CITY)
        versions = file_versions(corpus)
        load = Load(server.url, default_questions(), clients=clients).start()
        time.sleep(before_s)
        write_fact(corpus, NEW_CITY)
        versions.update(file_versions(corpus))
        ingest_started = time.time()
        output = run_ingest(ingest_env, workdir)
        ingest_ended = time.time()
        time.sleep(after_s)
        samples = load.finish()
    finally:
        server.stop()
    return Outcome(samples, ingest_started, ingest_ended, versions, output)
