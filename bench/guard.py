"""What the grounding guard costs an LLM answer: `GroundingGuard.verify` timed over replies built for every
eval test question, with the content checks (rag/claims.py) and without them (support scores only).

Each reply is what a capable model writes: the top retrieved chunks' first units, each cited [n], plus one
sentence with a changed figure. Only the guard is timed (no LLM, no retrieval), warm, several passes.

    .venv/bin/python bench/guard.py
    .venv/bin/python bench/guard.py --passes 5 --no-write
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from common import bench_settings, ensure_index, eval_questions, load_average, median, percentile, table, write_section


def replies(app: Any, questions: list[str]) -> list[tuple[str, list[Any], str]]:
    from rag.extractive import split_evidence

    built = []
    for question in questions:
        retrieval = app.retriever.retrieve(question)
        sentences = []
        for n, chunk in enumerate(retrieval.chunks[:3], start=1):
            units = split_evidence(chunk)
            if units:
                sentences.append(f"{units[0].text.rstrip('.')} [{n}].")
        sentences.append("It takes 17 to 19 years [1].")
        built.append((" ".join(sentences), retrieval.chunks, question))
    return built


class TimedGuard:
    """The shipped guard, with the time its content checks take counted separately."""

    def __init__(self, scorer: Any) -> None:
        from rag.guard import GroundingGuard

        self.checks_ms = 0.0
        timed = self

        class Guard(GroundingGuard):
            def says_it(self, claim: str, quotes: Any, question: str) -> bool:
                started = time.perf_counter()
                try:
                    return super().says_it(claim, quotes, question)
                finally:
                    timed.checks_ms += (time.perf_counter() - started) * 1000

        self.guard = Guard(scorer)


Replies = list[tuple[str, list[Any], str]]


def time_guard(timed: TimedGuard, built: Replies, passes: int) -> tuple[list[float], list[float]]:
    """Per answer: the whole guard's milliseconds, and the content checks' share of them."""
    from rag.claims import clear_caches

    totals, checks = [], []
    for _ in range(passes):
        for reply, chunks, question in built:
            timed.checks_ms = 0.0
            # Each answer starts with no embeddings and no parsed texts kept: the figures count only what one
            # answer reuses of its own quotes, never the previous pass's (a server's caches would also hold
            # other questions' chunks, and every pass here repeats the same claims).
            timed.guard.scorer.clear_cache()
            clear_caches()
            started = time.perf_counter()
            timed.guard.verify(reply, chunks, question)
            totals.append((time.perf_counter() - started) * 1000)
            checks.append(timed.checks_ms)
    return totals, checks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave RESULTS.md alone.")
    args = parser.parse_args(argv)

    from rag.app import build_app
    from rag.support import SupportScorer

    load_before = load_average()
    ensure_index("corpus")
    app = build_app(bench_settings("corpus"))
    app.warm()
    questions = [body["message"] for body in eval_questions() if not body["history"]]
    built = replies(app, questions)
    timed = TimedGuard(SupportScorer(app.embedder))
    time_guard(timed, built[:5], 1)  # warm-up: caches, lazy imports
    totals, checks = time_guard(timed, built, args.passes)
    sentences = sum(reply.count("[") for reply, _, _ in built) / len(built)
    figures = {
        "answers": len(built),
        "passes": args.passes,
        "sentences_per_answer": round(sentences, 2),
        "guard_p50_ms": round(median(totals), 2),
        "guard_p95_ms": round(percentile(totals, 95), 2),
        "checks_p50_ms": round(median(checks), 2),
        "checks_p95_ms": round(percentile(checks, 95), 2),
    }
    print(json.dumps(figures, indent=2))
    if args.no_write:
        return
    body = "\n".join(
        [
            f"{len(built)} replies (every eval test question without history), {sentences:.1f} cited sentences "
            "each (the top chunks' first units plus one changed figure), guard only, warm, no embeddings or "
            "parsed texts kept from an earlier answer (word stems are: a vocabulary every running server holds), "
            f"{args.passes} passes.",
            "",
            table(
                ("per answer", "p50 ms", "p95 ms"),
                [
                    ("whole guard (support scores + content checks)", figures["guard_p50_ms"], figures["guard_p95_ms"]),
                    ("content checks alone (rag/claims.py)", figures["checks_p50_ms"], figures["checks_p95_ms"]),
                ],
            ),
        ]
    )
    write_section("guard", "Grounding guard cost per LLM answer", body, load_before)


if __name__ == "__main__":
    main()
