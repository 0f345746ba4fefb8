"""Warm query latency (retrieve / answer / total) at the real corpus, 10k and 100k chunks, against the raw floor.

The floor of one question is what no retriever can avoid: embedding the question plus one Chroma query
(documents, metadatas, distances; candidates_k results). Each scale runs in its own process, so its load
time (model, BM25 index) and memory are its own. Questions: the eval test split (eval/qa-test.jsonl, with histories),
all of them, `--passes` times after a short warm-up; the floor is measured right after each answer.

    .venv/bin/python bench/query.py                          # corpus, 10k, 100k (builds missing indexes)
    .venv/bin/python bench/query.py --scales corpus --passes 3
    .venv/bin/python bench/query.py --build-only --scales 100k   # the long build, resumable
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import (
    DATA,
    bench_settings,
    ensure_index,
    eval_questions,
    load_average,
    mb,
    median,
    percentile,
    print_json,
    table,
    write_section,
)

ALL_SCALES = ("corpus", "10k", "100k")


def rss_now() -> tuple[int, int]:
    """(current RSS, peak RSS) of this process, in bytes, from /proc."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values["VmRSS"], values["VmHWM"]


def floor_ms(app, question: str) -> float:
    import numpy as np

    started = time.perf_counter()
    vector = np.asarray(app.embedder.embed_query(question), dtype=np.float32)
    app.store.collection.query(
        query_embeddings=[vector],
        n_results=app.settings.candidates_k,
        include=["documents", "metadatas", "distances"],
    )
    return (time.perf_counter() - started) * 1000


def run_scale(scale: str, passes: int, warmup: int) -> dict[str, Any]:
    """In this process: load, warm, then time every eval question `passes` times."""
    from rag.app import build_app
    from rag.models import Message

    started = time.perf_counter()
    app = build_app(bench_settings(scale))
    app.embedder.warm()
    model_s = time.perf_counter() - started
    started = time.perf_counter()
    app.retriever.warm(progress=sys.stderr.isatty())
    bm25_s = time.perf_counter() - started
    rss_warm, _ = rss_now()
    questions = eval_questions()
    for body in questions[:warmup]:
        app.answer(body["message"])
    timings: dict[str, list[float]] = {"retrieve": [], "answer": [], "total": [], "floor": []}
    refused = 0
    for _ in range(passes):
        for body in questions:
            history = [Message.model_validate(m) for m in body["history"]]
            answer = app.answer(body["message"], history)
            refused += answer.refused
            for key in ("retrieve", "answer", "total"):
                timings[key].append(getattr(answer.timings_ms, key))
            timings["floor"].append(floor_ms(app, body["message"]))
    _, rss_peak = rss_now()
    summary: dict[str, Any] = {
        "scale": scale,
        "chunks": app.store.count(),
        "model_load_s": round(model_s, 2),
        "bm25_build_s": round(bm25_s, 2),
        "rss_after_warm_mb": mb(rss_warm),
        "rss_peak_mb": mb(rss_peak),
        "queries": len(timings["total"]),
        "refused": refused,
    }
    for key, values in timings.items():
        summary[f"{key}_p50_ms"] = round(median(values), 1)
        summary[f"{key}_p95_ms"] = round(percentile(values, 95), 1)
    summary["total_over_floor_p50"] = round(summary["total_p50_ms"] / summary["floor_p50_ms"], 2)
    return summary


def run_child(scale: str, passes: int, warmup: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", scale, "--passes", str(passes), "--warmup", str(warmup)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: list[dict[str, Any]], passes: int, load_before: str) -> None:
    rows = [
        (
            r["scale"],
            r["chunks"],
            r["queries"],
            f"{r['retrieve_p50_ms']} / {r['retrieve_p95_ms']}",
            f"{r['answer_p50_ms']} / {r['answer_p95_ms']}",
            f"**{r['total_p50_ms']}** / {r['total_p95_ms']}",
            f"{r['floor_p50_ms']} / {r['floor_p95_ms']}",
            f"**{r['total_over_floor_p50']}**",
            r["bm25_build_s"],
            r["rss_after_warm_mb"],
        )
        for r in results
    ]
    body = table(
        [
            "index",
            "chunks",
            "queries",
            "retrieve p50 / p95 ms",
            "answer p50 / p95 ms",
            "total p50 / p95 ms",
            "floor p50 / p95 ms",
            "total/floor (p50)",
            "BM25 build s",
            "RSS after warm MiB",
        ],
        rows,
    )
    notes = (
        f"\n\nExtractive answerer, embedded Chroma, warm process. Questions: all of eval/qa-test.jsonl (with their"
        f" histories) × {passes} passes after a warm-up. Floor = query embedding + one Chroma query"
        " (documents, metadatas, distances; candidates_k results), measured right after each answer."
        " Targets: total p50 ≤ 3× floor on the real corpus; total p50 ≤ 150 ms at 100k chunks."
        " The synthetic indexes come from bench/gen_corpus.py (seed 7): their chunks average ~270 characters"
        " against ~450 for the real corpus."
    )
    write_section("query", "Warm query latency", body + notes, load_before)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", choices=ALL_SCALES, default=list(ALL_SCALES))
    parser.add_argument("--passes", type=int, default=2, help="Times each eval question is asked.")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed questions before measuring.")
    parser.add_argument("--build-only", action="store_true", help="Build the missing indexes and stop.")
    parser.add_argument("--no-write", action="store_true", help="Print only; leave RESULTS.md alone.")
    parser.add_argument("--one", choices=ALL_SCALES, help=argparse.SUPPRESS)  # child mode: one scale, JSON out
    args = parser.parse_args(argv)

    if args.one:
        print(json.dumps(run_scale(args.one, args.passes, args.warmup)))
        return
    load_before = load_average()
    for scale in args.scales:  # an up-to-date index costs only an unchanged re-ingest (seconds)
        print(f"bringing the {scale} index up to date (log: {DATA / 'logs'})", file=sys.stderr)
        ensure_index(scale, log=DATA / "logs" / f"build-{scale}.log")
    if args.build_only:
        return
    results = [run_child(scale, args.passes, args.warmup) for scale in args.scales]
    print_json(results)
    if not args.no_write:
        report(results, args.passes, load_before)


if __name__ == "__main__":
    main()
