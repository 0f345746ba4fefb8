"""Peak RSS of `docchat ingest` and `docchat serve` (process tree, sampled every 0.1 s with psutil).

- fresh ingest: `docchat ingest` of a corpus into an empty store (the real corpus, a synthetic one);
- unchanged re-ingest: `docchat ingest` over an existing, up-to-date index (reads every id back);
- serve: `docchat serve` over an index, then every eval question once; peak over start-up and answers.

    .venv/bin/python bench/memory.py
    .venv/bin/python bench/memory.py --serve-scales corpus 10k 100k --reingest-scales 10k 100k
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from pathlib import Path

from common import (
    CORPUS,
    DATA,
    DOCCHAT,
    RssSampler,
    ServeProcess,
    corpus_dir,
    docchat_env,
    ensure_index,
    eval_questions,
    load_average,
    mb,
    print_json,
    store_dir,
    synthetic_corpus,
    table,
    write_section,
)


def measure_ingest(corpus: Path, data_dir: Path) -> dict[str, object]:
    """Peak RSS and wall time of one `docchat ingest --json` subprocess."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(DOCCHAT), "ingest", "--json"],
        env=docchat_env(data_dir, corpus),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=DATA,
    )
    sampler = RssSampler(process.pid).start()
    stdout, _ = process.communicate(timeout=4 * 3600)
    peak = sampler.stop()
    if process.returncode:
        raise RuntimeError(f"docchat ingest failed ({process.returncode}) for {corpus}")
    report = json.loads(stdout)
    return {
        "chunks_embedded": report["chunks_embedded"],
        "chunks_total": report["chunks_total"],
        "wall_s": round(time.perf_counter() - started, 1),
        "peak_rss_mb": mb(peak),
    }


def measure_serve(scale: str) -> dict[str, object]:
    import httpx

    with ServeProcess(store_dir(scale), corpus_dir(scale), {"rate_limit_per_minute": 0}) as serve:
        serve.wait_healthy()
        assert serve.sampler is not None
        ready_rss = serve.sampler.sample()
        bodies = eval_questions()
        with httpx.Client(base_url=serve.url, timeout=120) as http:
            for body in bodies:
                http.post("/api/chat", json=body).raise_for_status()
        peak = serve.stop()
    return {"ready_rss_mb": mb(ready_rss), "peak_rss_mb": mb(peak), "questions": len(bodies)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic-chunks", type=int, default=2000, help="Fresh-ingest corpus size (0: skip).")
    parser.add_argument("--reingest-scales", nargs="*", choices=("corpus", "10k", "100k"), default=["10k", "100k"])
    parser.add_argument("--serve-scales", nargs="*", choices=("corpus", "10k", "100k"), default=["corpus", "100k"])
    parser.add_argument("--no-write", action="store_true", help="Print only; leave RESULTS.md alone.")
    args = parser.parse_args(argv)

    load_before = load_average()
    rows: list[tuple[object, ...]] = []
    fresh = [("corpus", CORPUS)]
    if args.synthetic_chunks:
        fresh.append((f"synthetic-{args.synthetic_chunks}", synthetic_corpus(args.synthetic_chunks)))
    for name, corpus in fresh:
        data_dir = DATA / f"memory-{name}"
        shutil.rmtree(data_dir, ignore_errors=True)
        result = measure_ingest(corpus, data_dir)
        rows.append(("docchat ingest (fresh)", name, result["chunks_total"], result["wall_s"], result["peak_rss_mb"]))
        print_json({name: result})
    for scale in args.reingest_scales:
        ensure_index(scale)
        result = measure_ingest(corpus_dir(scale), store_dir(scale))
        row = ("docchat ingest (unchanged)", scale, result["chunks_total"], result["wall_s"], result["peak_rss_mb"])
        rows.append(row)
        print_json({f"reingest-{scale}": result})
    for scale in args.serve_scales:
        ensure_index(scale)
        result = measure_serve(scale)
        label = f"docchat serve (ready {result['ready_rss_mb']} MiB, then {result['questions']} questions)"
        rows.append((label, scale, "", "", f"**{result['peak_rss_mb']}**"))
        print_json({f"serve-{scale}": result})
    if args.no_write:
        return
    body = table(["process", "index / corpus", "chunks", "wall s", "peak RSS MiB"], rows)
    notes = (
        "\n\nRSS summed over the process and its children, sampled every 0.1 s (psutil). Target: serve ≤ 1.5 GB"
        " at 100k chunks."
    )
    write_section("memory", "Peak memory (RSS)", body + notes, load_before)


if __name__ == "__main__":
    main()
