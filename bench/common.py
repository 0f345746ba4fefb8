"""Shared helpers for the bench scripts: data dirs, index building, `docchat serve` control, RSS, RESULTS.md."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = BENCH / "data"  # gitignored: generated corpora, stores, logs
RESULTS = BENCH / "RESULTS.md"
CORPUS = REPO / "corpus"
DOCCHAT = Path(sys.executable).with_name("docchat")
COLLECTION = "bench"
# The project must come before bench/ on sys.path: bench/ingest.py would otherwise shadow the `ingest` package.
if str(REPO) in sys.path:
    sys.path.remove(str(REPO))
sys.path.insert(0, str(REPO))

# Synthetic scales: (target chunks, generator seed). Smaller corpora are prefixes of larger ones (same seed),
# so the 100k store is grown from the 10k one instead of embedding its first 10k chunks twice.
SCALES: dict[str, int] = {"10k": 10_000, "100k": 100_000}
QUIET_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


# --- where things live --------------------------------------------------------------------------------


def corpus_dir(scale: str) -> Path:
    return CORPUS if scale == "corpus" else DATA / f"corpus-{scale}"


def store_dir(scale: str) -> Path:
    return DATA / f"store-{scale}"


def docchat_env(data_dir: Path, corpus: Path, **extra: object) -> dict[str, str]:
    """The environment of a docchat subprocess: only the bench's DOCCHAT_* settings, nothing inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCHAT_")}
    env.update(QUIET_ENV)
    env.update(DOCCHAT_DATA_DIR=str(data_dir), DOCCHAT_CORPUS_DIR=str(corpus), DOCCHAT_COLLECTION=COLLECTION)
    env.update({f"DOCCHAT_{k.upper()}": str(v) for k, v in extra.items()})
    return env


def bench_settings(scale: str, **overrides: object):  # -> rag.settings.Settings
    from rag.settings import Settings

    values: dict[str, Any] = {"corpus_dir": corpus_dir(scale), "data_dir": store_dir(scale), "collection": COLLECTION}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def synthetic_corpus(chunks: int) -> Path:
    """The seeded synthetic corpus of about `chunks` chunks that the ingest and memory benchmarks ingest fresh."""
    from gen_corpus import generate

    target = DATA / f"corpus-ingest-{chunks}"
    if not target.is_dir():
        generate(target, chunks=chunks, docs=None, seed=11, source_dir=CORPUS)
    return target


def ensure_index(scale: str, log: Path | None = None) -> Path:
    """Generate the scale's corpus and ingest it with `docchat ingest` unless that is done already.

    Incremental like any ingest: an interrupted build resumes where it stopped. The 100k store starts as a
    copy of the 10k one (its corpus is a prefix), so only the remaining 90k chunks are embedded.
    """
    corpus, store = corpus_dir(scale), store_dir(scale)
    if scale != "corpus" and not corpus.is_dir():
        from gen_corpus import generate  # bench/ is on sys.path when a bench script runs

        generate(corpus, chunks=SCALES[scale], docs=None, seed=7, source_dir=CORPUS)
    if scale == "100k" and not store.exists() and store_dir("10k").exists():
        import shutil

        shutil.copytree(store_dir("10k"), store)
    DATA.mkdir(parents=True, exist_ok=True)  # the ingest runs in it; gitignored, so absent on a fresh clone
    command = [str(DOCCHAT), "ingest", "--json"]
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    with open(log or os.devnull, "ab") as out:
        subprocess.run(command, env=docchat_env(store, corpus), stdout=out, stderr=out, check=True, cwd=DATA)
    return store


# --- numbers -----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def mb(n_bytes: float) -> float:
    """Bytes as MiB (2**20 bytes), one decimal."""
    return round(n_bytes / 1_048_576, 1)


# --- processes ----------------------------------------------------------------------------------------


class RssSampler:
    """Peak resident memory of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval_s: float = 0.1) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval_s = interval_s
        self.peak = 0
        self.last = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def sample(self) -> int:
        import psutil

        total = 0
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return self.last
        for proc in processes:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue  # a child that just exited
        self.last = total
        self.peak = max(self.peak, total)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join(timeout=2)
        return self.peak


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServeProcess:
    """`docchat serve` as a subprocess on a free loopback port, with its tree's RSS sampled throughout."""

    data_dir: Path
    corpus: Path
    extra_env: dict[str, object] = field(default_factory=dict)  # DOCCHAT_* settings, without the prefix
    os_env: dict[str, str] = field(default_factory=dict)  # anything else (e.g. MALLOC_ARENA_MAX)
    log: Path = DATA / "logs" / "serve.log"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    sampler: RssSampler | None = None
    started_at: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServeProcess:
        env = docchat_env(self.data_dir, self.corpus, host="127.0.0.1", port=self.port, **self.extra_env)
        env.update(self.os_env)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            self.started_at = time.perf_counter()
            self.process = subprocess.Popen([str(DOCCHAT), "serve"], env=env, stdout=out, stderr=out, cwd=DATA)
        self.sampler = RssSampler(self.process.pid).start()
        return self

    def wait_healthy(self, timeout_s: float = 600.0) -> float:
        """Seconds from start until /api/health answers 200."""
        import httpx

        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"docchat serve exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return time.perf_counter() - self.started_at
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"docchat serve was not healthy within {timeout_s:.0f}s; see {self.log}")

    def stop(self) -> int:
        """Stop the server; returns its tree's peak RSS in bytes."""
        peak = self.sampler.stop() if self.sampler else 0
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        return peak

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def parse_env(pairs: Sequence[str]) -> dict[str, str]:
    """NAME=VALUE pairs from the command line."""
    env = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"--env expects NAME=VALUE, got {pair!r}")
        env[name] = value
    return env


def eval_questions(limit: int | None = None) -> list[dict[str, Any]]:
    """The eval set's questions with their histories, as /api/chat bodies."""
    path = REPO / "eval" / "qa-test.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    bodies = [{"message": item["question"], "history": item.get("history", [])} for item in items]
    return bodies[:limit] if limit else bodies


# --- reporting ----------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM"
    except ImportError:
        memory = "RAM unknown"
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {memory}, {system}, Python {platform.python_version()}"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def command_line() -> str:
    script = Path(sys.argv[0]).resolve()
    shown = script.relative_to(REPO) if script.is_relative_to(REPO) else script
    return shlex.join([".venv/bin/python", str(shown), *sys.argv[1:]])


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(key: str, title: str, body: str, load_before: str) -> None:
    """Replace (or append) this script's section of RESULTS.md, leaving the other scripts' sections alone."""
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    section = "\n".join(
        [
            start,
            f"## {title}",
            "",
            f"- command: `{command_line()}`",
            f"- date: {stamp}",
            f"- machine: {machine()}",
            f"- load average (1, 5, 15 min): before {load_before}; after {load_average()}",
            "",
            body.strip(),
            end,
        ]
    )
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else RESULTS_HEADER
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


RESULTS_HEADER = """# docchat benchmarks

Written by the scripts in bench/ (each replaces only its own section). Figures are measured, never
estimated; every section names the command that produced it, when, on what machine and under what load.
Other processes shared this machine's CPU during some runs: the load average shows how much.
"""


def print_json(data: object) -> None:
    print(json.dumps(data, indent=2, default=str))
