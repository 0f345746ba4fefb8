"""Runs a dataset through the same pipeline the chat uses and computes the metrics."""

from __future__ import annotations

import json
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval import metrics
from eval.dataset import EvalItem
from ingest.loaders import LoadError, load_document
from rag.app import DocChat
from rag.models import Answer
from rag.support import SupportScorer
from rag.text import strip_citations

DEFAULT_THRESHOLDS = Path(__file__).with_name("thresholds.toml")
HIT_K = (1, 3, 5)


@dataclass
class ItemResult:
    item: EvalItem
    answer: Answer
    correct: bool
    source_rank: int | None
    evidence_rank: int | None
    similarity: float
    citations_valid: int
    citations_total: int
    citation_recall: float
    citation_precision: float
    best_dense: float


@dataclass
class EvalRun:
    results: list[ItemResult]
    metrics: dict[str, float | None]
    by_category: dict[str, dict[str, float]]
    answerer: str
    dataset: str
    seconds: float
    failures: list[str] = field(default_factory=list)


class OriginalTexts:
    """The documents' original text, loaded once each, to check citation offsets against."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self._cache: dict[str, str | None] = {}

    def get(self, source: str) -> str | None:
        if source not in self._cache:
            try:
                self._cache[source] = load_document(self.corpus_dir / source, self.corpus_dir).text
            except (LoadError, OSError):
                self._cache[source] = None
        return self._cache[source]


def evaluate(app: DocChat, items: list[EvalItem], dataset: str, progress: bool = True) -> EvalRun:
    started = time.perf_counter()
    support = app.support_scorer()
    originals = OriginalTexts(app.settings.corpus_dir)
    results = []
    for item in tqdm(items, desc="eval", unit="q", disable=not progress):
        answer = app.answer(item.question, item.history)
        results.append(score_item(app, item, answer, support, originals))
    run = EvalRun(
        results=results,
        metrics=aggregate(results),
        by_category=per_category(results),
        answerer=app.settings.answerer,
        dataset=dataset,
        seconds=round(time.perf_counter() - started, 2),
    )
    return run


def score_item(
    app: DocChat, item: EvalItem, answer: Answer, support: SupportScorer, originals: OriginalTexts
) -> ItemResult:
    retrieved_sources = [r.source for r in answer.retrieved]
    chunk_texts = app.source_text([r.chunk_id for r in answer.retrieved])
    valid = 0
    for citation in answer.citations:
        original = originals.get(citation.source)
        if original is not None and metrics.quote_is_verbatim(original, citation.quote, citation.start, citation.end):
            valid += 1
    quotes = {c.n: c.quote for c in answer.citations}
    recall, precision = (
        metrics.citation_recall_precision(answer.answer, quotes, support.scores, support.threshold)
        if not answer.refused
        else (0.0, 0.0)
    )
    similarity = 0.0
    if item.reference_answer and answer.answer:
        vectors = app.embed([strip_citations(answer.answer), item.reference_answer])
        similarity = float(vectors[0] @ vectors[1])
    best_dense = max((r.score for r in answer.retrieved), default=0.0)
    return ItemResult(
        item=item,
        answer=answer,
        correct=metrics.is_correct(answer.answer, answer.refused, item.answerable, item.must_include),
        source_rank=metrics.source_rank(retrieved_sources, item.sources) if item.sources else None,
        evidence_rank=metrics.evidence_rank([chunk_texts.get(r.chunk_id, "") for r in answer.retrieved], item.evidence)
        if item.evidence
        else None,
        similarity=similarity,
        citations_valid=valid,
        citations_total=len(answer.citations),
        citation_recall=recall,
        citation_precision=precision,
        best_dense=best_dense,
    )


def _mean(values: list[float]) -> float | None:
    """The mean, or None when the dataset has nothing to score it on (e.g. no follow-ups)."""
    return metrics.mean(values) if values else None


def aggregate(results: list[ItemResult]) -> dict[str, float | None]:
    answerable = [r for r in results if r.item.answerable]
    unanswerable = [r for r in results if not r.item.answerable]
    followups = [r for r in results if r.item.history]
    with_sources = [r for r in answerable if r.item.sources]
    with_evidence = [r for r in answerable if r.item.evidence]
    answered = [r for r in answerable if not r.answer.refused]
    citations_total = sum(r.citations_total for r in results)
    out: dict[str, float | None] = {
        "items": len(results),
        "answer_accuracy": _mean([float(r.correct) for r in answerable]),
        "refusal_accuracy": _mean([float(r.correct) for r in unanswerable]),
        "false_refusals": float(sum(r.answer.refused for r in answerable)),
        "followup_accuracy": _mean([float(r.correct) for r in followups]),
        "overall_accuracy": _mean([float(r.correct) for r in results]),
        "semantic_similarity": _mean([r.similarity for r in answered]),
        "citation_validity": (sum(r.citations_valid for r in results) / citations_total) if citations_total else 1.0,
        "citation_recall": _mean([r.citation_recall for r in answered]),
        "citation_precision": _mean([r.citation_precision for r in answered]),
        "mrr_source": _mean([metrics.reciprocal_rank(r.source_rank) for r in with_sources]),
        "mrr_evidence": _mean([metrics.reciprocal_rank(r.evidence_rank) for r in with_evidence]),
        "latency_p50_ms": metrics.percentile([r.answer.timings_ms.total for r in results], 50),
        "latency_p95_ms": metrics.percentile([r.answer.timings_ms.total for r in results], 95),
        "median_answer_chars": metrics.median([len(r.answer.answer) for r in answered]) if answered else None,
    }
    for k in HIT_K:
        out[f"hit@{k}_source"] = _mean([metrics.hit_at_k(r.source_rank, k) for r in with_sources])
        out[f"hit@{k}_evidence"] = _mean([metrics.hit_at_k(r.evidence_rank, k) for r in with_evidence])
    return {k: None if v is None else round(v, 4) for k, v in out.items()}


def per_category(results: list[ItemResult]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        groups[r.item.group].append(r)
    return {
        name: {"items": len(rs), "accuracy": round(metrics.mean([float(r.correct) for r in rs]), 4)}
        for name, rs in sorted(groups.items())
    }


# --- the gate -------------------------------------------------------------------------------------
class ThresholdsError(ValueError):
    """The gate config cannot be read; the message says why."""


def load_thresholds(path: Path | None) -> dict[str, float]:
    path = path or DEFAULT_THRESHOLDS
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        return {k: float(v) for k, v in data.get("min", {}).items()} | {
            f"max:{k}": float(v) for k, v in data.get("max", {}).items()
        }
    except OSError as exc:
        raise ThresholdsError(f"cannot read thresholds {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError, TypeError, ValueError) as exc:
        raise ThresholdsError(f"{path} is not a thresholds file ([min]/[max] of metric = number): {exc}") from exc


def gate(run_metrics: dict[str, float | None], thresholds: dict[str, float]) -> list[str]:
    """The failures: metrics below their minimum (or above their maximum), and unknown metric names.
    A metric the dataset has nothing to score on (None: no follow-ups, say) is not gated."""
    failures = []
    for name, limit in sorted(thresholds.items()):
        metric = name.removeprefix("max:")
        if metric not in run_metrics:
            failures.append(f"unknown metric in thresholds: {metric}")
            continue
        value = run_metrics[metric]
        if value is None:
            continue
        if name.startswith("max:") and value > limit:
            failures.append(f"{metric} = {value:g} is above the maximum {limit:g}")
        elif not name.startswith("max:") and value < limit:
            failures.append(f"{metric} = {value:g} is below the minimum {limit:g}")
    return failures


def prediction_record(result: ItemResult) -> dict[str, Any]:
    record = {"id": result.item.id}
    record.update(json.loads(result.answer.model_dump_json()))
    record["correct"] = result.correct
    return record
