"""Cold start: wall clock from launching `docchat serve` to the first answer of POST /api/chat.

Each run launches a fresh server process on a free loopback port over an existing index, polls
/api/health until it answers 200, then asks one question. The server's peak RSS (process tree) up to the
first answer is recorded too.

    .venv/bin/python bench/coldstart.py                     # real corpus, 3 runs
    .venv/bin/python bench/coldstart.py --scales corpus 100k --runs 3
"""

from __future__ import annotations

import argparse
import time

from common import (
    ServeProcess,
    corpus_dir,
    ensure_index,
    load_average,
    mb,
    median,
    print_json,
    store_dir,
    table,
    write_section,
)

QUESTION = {"message": "Who does a Head of Product normally report to?", "history": []}


def one_cold_start(scale: str) -> dict[str, float]:
    import httpx

    serve = ServeProcess(store_dir(scale), corpus_dir(scale))
    with serve:
        healthy_s = serve.wait_healthy()
        response = httpx.post(f"{serve.url}/api/chat", json=QUESTION, timeout=120)
        first_answer_s = time.perf_counter() - serve.started_at
        response.raise_for_status()
        assert serve.sampler is not None
        serve.sampler.sample()
        peak = serve.stop()
    return {"healthy_s": round(healthy_s, 2), "first_answer_s": round(first_answer_s, 2), "peak_rss_mb": mb(peak)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", choices=("corpus", "10k", "100k"), default=["corpus"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave RESULTS.md alone.")
    args = parser.parse_args(argv)

    load_before = load_average()
    rows, results = [], {}
    for scale in args.scales:
        ensure_index(scale)
        runs = [one_cold_start(scale) for _ in range(args.runs)]
        results[scale] = runs
        firsts = [r["first_answer_s"] for r in runs]
        rows.append(
            (
                scale,
                args.runs,
                ", ".join(f"{r['healthy_s']:.1f}" for r in runs),
                ", ".join(f"{s:.1f}" for s in firsts),
                f"**{median(firsts):.1f}**",
                max(r["peak_rss_mb"] for r in runs),
            )
        )
    print_json(results)
    if args.no_write:
        return
    body = table(
        [
            "index",
            "runs",
            "healthy after s",
            "first answer after s",
            "median to first answer s (target ≤ 20)",
            "peak RSS to first answer MiB",
        ],
        rows,
    )
    notes = (
        "\n\nWall clock from spawning `docchat serve` (a fresh process: imports, model load, BM25 build, web"
        " app incl. Gradio, example questions) to the first /api/chat answer. OS file cache warm (earlier runs)."
    )
    write_section("coldstart", "Cold start to first answer", body + notes, load_before)


if __name__ == "__main__":
    main()
