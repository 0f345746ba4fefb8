"""Server load: N concurrent clients on loopback against POST /api/chat of a `docchat serve` subprocess.

Each client is a thread with its own HTTP connection that asks the eval questions (with their histories)
back to back, until the duration or the request cap is reached. The per-client rate limit is switched off
(DOCCHAT_RATE_LIMIT_PER_MINUTE=0): every client comes from 127.0.0.1, so it would otherwise throttle the
bench rather than the server. The server's peak RSS (process tree) is sampled throughout.

    .venv/bin/python bench/load.py                          # 20 clients, 30 s, real corpus
    .venv/bin/python bench/load.py --scale 100k --clients 20 --duration 60
"""

from __future__ import annotations

import argparse
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from common import (
    ServeProcess,
    corpus_dir,
    ensure_index,
    eval_questions,
    load_average,
    mb,
    median,
    parse_env,
    percentile,
    print_json,
    store_dir,
    table,
    write_section,
)


@dataclass
class LoadResult:
    latencies_s: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, latency_s: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies_s.append(latency_s)
            else:
                self.errors[error] += 1

    @property
    def requests(self) -> int:
        return len(self.latencies_s) + sum(self.errors.values())


def client(
    url: str, bodies: list[dict[str, Any]], offset: int, deadline: float, budget: threading.Semaphore, out: LoadResult
) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=60) as http:
        i = offset
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            body = bodies[i % len(bodies)]
            i += 1
            started = time.perf_counter()
            try:
                response = http.post("/api/chat", json=body)
                answered = response.status_code == 200 and bool(response.json().get("answer"))
                error = None if answered else str(response.status_code)
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            out.record(time.perf_counter() - started, error)


def run_load(url: str, clients: int, duration_s: float, max_requests: int) -> tuple[LoadResult, float]:
    bodies = eval_questions()
    out = LoadResult()
    budget = threading.Semaphore(max_requests)
    deadline = time.monotonic() + duration_s
    threads = [
        threading.Thread(target=client, args=(url, bodies, i * 7, deadline, budget, out), daemon=True)
        for i in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration_s + 120)  # a request in flight at the deadline may still finish
    return out, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("corpus", "10k", "100k"), default="corpus")
    parser.add_argument("--clients", type=int, nargs="+", default=[20], help="One run per client count.")
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds per run.")
    parser.add_argument("--max-requests", type=int, default=20_000, help="Cap on requests per run.")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="Extra server env.")
    parser.add_argument("--no-write", action="store_true", help="Print only; leave RESULTS.md alone.")
    args = parser.parse_args(argv)

    load_before = load_average()
    ensure_index(args.scale)
    os_env = parse_env(args.env)
    serve = ServeProcess(store_dir(args.scale), corpus_dir(args.scale), {"rate_limit_per_minute": 0}, os_env)
    rows, results = [], []
    with serve:
        ready_s = serve.wait_healthy()
        run_load(serve.url, 1, 2.0, 5)  # one warm connection path before timing
        for clients in args.clients:
            out, elapsed = run_load(serve.url, clients, args.duration, args.max_requests)
            ok = len(out.latencies_s)
            summary = {
                "scale": args.scale,
                "clients": clients,
                "seconds": round(elapsed, 1),
                "requests": out.requests,
                "ok": ok,
                "errors": dict(out.errors),
                "throughput_rps": round(ok / elapsed, 2),
                "p50_ms": round(median(out.latencies_s) * 1000, 1),
                "p95_ms": round(percentile(out.latencies_s, 95) * 1000, 1),
                "max_ms": round(max(out.latencies_s, default=0) * 1000, 1),
            }
            results.append(summary)
            errors = sum(out.errors.values())
            rows.append(
                (
                    args.scale,
                    clients,
                    summary["seconds"],
                    out.requests,
                    f"**{errors}**" + (f" {dict(out.errors)}" if errors else ""),
                    summary["throughput_rps"],
                    summary["p50_ms"],
                    f"**{summary['p95_ms']}**",
                    summary["max_ms"],
                )
            )
        peak = serve.stop()
    print_json({"ready_s": round(ready_s, 1), "server_peak_rss_mb": mb(peak), "runs": results})
    if args.no_write:
        return
    body = table(
        ["index", "clients", "seconds", "requests", "errors", "answers/s", "p50 ms", "p95 ms (≤ 1500)", "max ms"],
        rows,
    )
    notes = (
        f"\n\nPOST /api/chat (JSON, not streamed), eval questions with histories, extractive answerer; one"
        f" uvicorn worker; glibc malloc arenas capped at 2 by `docchat serve` (rag/heap.py). Rate limit off for"
        f" the run. Server peak RSS (process tree) during the runs:"
        f" {mb(peak)} MiB. The load generator runs on the same 2 cores as the server."
    )
    if os_env:
        notes += f" Server environment: {', '.join(f'{k}={v}' for k, v in os_env.items())}."
    key = f"load-{args.scale}" + "".join(f"-{k}={v}" for k, v in os_env.items())
    title = f"Server load ({', '.join([args.scale, *args.env])})"
    write_section(key, title, body + notes, load_before)


if __name__ == "__main__":
    main()
