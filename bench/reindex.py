"""Re-index while serving: 20 clients ask a `docchat serve` subprocess throughout a `docchat ingest` of a
changed corpus, in embedded mode (the ingest asks the server to re-index) and in Chroma-server mode (another
process writes the Chroma server; the server notices). The same scenario as tests/test_reindex_serving.py,
with its figures printed and written to bench/RESULTS.md.

    .venv/bin/python bench/reindex.py                 # both modes, 20 clients
    .venv/bin/python bench/reindex.py --mode embedded --clients 40
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from common import REPO, load_average, table, write_section

sys.path.append(str(REPO / "tests"))
from reindex_load import docchat_env, prepare_corpus, reindex_under_load  # noqa: E402
from servers import ChromaServer, free_port  # noqa: E402

MODES = ("embedded", "chroma-server")


def run_mode(mode: str, clients: int, after_s: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"docchat-reindex-{mode}-") as tmp:
        work = Path(tmp)
        corpus = prepare_corpus(work / "corpus")
        if mode == "embedded":
            env = docchat_env(work / "data", corpus, rate_limit_per_minute=0)
            outcome = reindex_under_load(env, env, corpus, work, free_port(), clients=clients, after_s=after_s)
        else:
            with ChromaServer(work / "chroma", work / "chroma.log") as chroma:
                serve_env = docchat_env(work / "data", corpus, rate_limit_per_minute=0, chroma_url=chroma.url)
                ingest_env = docchat_env(work / "elsewhere", corpus, chroma_url=chroma.url)
                outcome = reindex_under_load(
                    serve_env, ingest_env, corpus, work, free_port(), clients=clients, after_s=after_s
                )
    return outcome.figures()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=MODES, nargs="+", default=list(MODES))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--after", type=float, default=8.0, help="Seconds of load after the ingest ends.")
    parser.add_argument("--no-write", action="store_true", help="Print only; leave RESULTS.md alone.")
    args = parser.parse_args(argv)
    load_before = load_average()
    results = {mode: run_mode(mode, args.clients, args.after) for mode in args.mode}
    print(json.dumps(results, indent=2))
    if args.no_write:
        return
    rows = [
        (
            mode,
            f["requests"],
            f["during_ingest"],
            f["status_5xx"],
            f["connection_errors"],
            f"{f['citations_not_verbatim']} of {f['citations_checked']}",
            f["ingest_s"],
            "none" if f["old_fact_after_ingest_s"] is None else f"{f['old_fact_after_ingest_s']} s",
            f"{f['new_fact_first_after_ingest_s']} s",
            f["health_ok_but_stale"],
            ", ".join(f"{k} ×{v}" for k, v in sorted(f["health_states"].items())),
        )
        for mode, f in results.items()
    ]
    body = "\n".join(
        [
            f"{args.clients} clients on keep-alive connections ask throughout (every other request the changed "
            "fact), and /api/health is polled every 0.2 s. The ingest is the `docchat ingest` command: in "
            "embedded mode it asks the server to re-index; in Chroma-server mode it runs with its own data dir, "
            "as another machine would, and writes the Chroma server itself.",
            "",
            table(
                (
                    "mode",
                    "requests",
                    "during ingest",
                    "5xx",
                    "connection errors",
                    "citations not verbatim in their version",
                    "ingest command (s)",
                    "old fact asked after ingest end, latest",
                    "new fact after ingest end, first",
                    "old answers after health said ok",
                    "health samples (HTTP:status:index state)",
                ),
                rows,
            ),
        ]
    )
    write_section("reindex", "Re-index while serving", body, load_before)


if __name__ == "__main__":
    main()
