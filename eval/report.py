"""Writes the eval outputs: predictions.jsonl, report.json, report.md and a self-contained report.html."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

from eval.runner import EvalRun, ItemResult, prediction_record

HEADLINE = [
    ("answer_accuracy", "Answer accuracy (answerable items)"),
    ("refusal_accuracy", "Refusal accuracy (unanswerable items)"),
    ("false_refusals", "False refusals"),
    ("followup_accuracy", "Follow-up accuracy"),
    ("hit@5_source", "Retrieval hit@5 (gold source)"),
    ("mrr_source", "Retrieval MRR (gold source)"),
    ("hit@5_evidence", "Retrieval hit@5 (gold evidence)"),
    ("mrr_evidence", "Retrieval MRR (gold evidence)"),
    ("semantic_similarity", "Semantic similarity to reference"),
    ("citation_validity", "Citation validity (verbatim at offsets)"),
    ("citation_recall", "Citation recall (ALCE)"),
    ("citation_precision", "Citation precision (ALCE)"),
    ("latency_p50_ms", "Latency p50 (ms)"),
    ("latency_p95_ms", "Latency p95 (ms)"),
    ("median_answer_chars", "Median answer length (chars)"),
]


def write_outputs(run: EvalRun, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "predictions": out_dir / "predictions.jsonl",
        "json": out_dir / "report.json",
        "md": out_dir / "report.md",
        "html": out_dir / "report.html",
    }
    with open(paths["predictions"], "w", encoding="utf-8") as handle:
        for result in run.results:
            handle.write(json.dumps(prediction_record(result), ensure_ascii=False) + "\n")
    paths["json"].write_text(
        json.dumps(
            {
                "dataset": run.dataset,
                "answerer": run.answerer,
                "seconds": run.seconds,
                "metrics": run.metrics,
                "by_category": run.by_category,
                "gate_failures": run.failures,
                "wrong": [r.item.id for r in run.results if not r.correct],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    paths["md"].write_text(markdown(run), encoding="utf-8")
    paths["html"].write_text(render_html(run), encoding="utf-8")
    return paths


def fmt(name: str, value: float | None) -> str:
    if value is None:
        return "n/a"  # nothing in the dataset to score it on
    if name.endswith("_ms") or name.endswith("_chars") or name in ("false_refusals", "items"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def markdown(run: EvalRun) -> str:
    lines = [
        "# docchat eval report",
        "",
        f"Dataset `{run.dataset}` · answerer **{run.answerer}** · {len(run.results)} items · {run.seconds:.0f}s",
        "",
        "| metric | value |",
        "| --- | --- |",
    ]
    lines += [f"| {label} | {fmt(key, run.metrics.get(key))} |" for key, label in HEADLINE]
    lines += ["", "## Accuracy by category", "", "| category | items | accuracy |", "| --- | --- | --- |"]
    lines += [f"| {name} | {v['items']:.0f} | {v['accuracy']:.3f} |" for name, v in run.by_category.items()]
    wrong = [r for r in run.results if not r.correct]
    lines += ["", f"## Wrong answers ({len(wrong)})", ""]
    for r in wrong:
        expected = "a refusal" if not r.item.answerable else " AND ".join("/".join(g) for g in r.item.must_include)
        got = "refused" if r.answer.refused else r.answer.answer.replace("\n", " ")[:300]
        lines.append(f"- **{r.item.id}** — {r.item.question}  \n  expected {expected}; got: {got}")
    if run.failures:
        lines += ["", "## Gate failures", ""] + [f"- {f}" for f in run.failures]
    return "\n".join(lines) + "\n"


# --- HTML with inline SVG charts (no scripts, no CDN) ---------------------------------------------
def _bar_chart(rows: Sequence[tuple[str, float]], width: int = 560) -> str:
    bar_h, gap, label_w = 22, 8, 160
    height = len(rows) * (bar_h + gap) + gap
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="accuracy by category">']
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(0.0, min(1.0, value)) * (width - label_w - 60)
        color = "#2e7d32" if value >= 0.9 else "#f9a825" if value >= 0.7 else "#c62828"
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{html.escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="13">{value:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(series: dict[str, list[float]], bins: int, lo: float, hi: float, label: str) -> str:
    width, height, pad = 560, 200, 30
    colors = ["#1565c0", "#c62828", "#2e7d32"]
    span = (hi - lo) or 1.0
    counts = {}
    for name, values in series.items():
        c = [0] * bins
        for v in values:
            c[min(bins - 1, max(0, int((v - lo) / span * bins)))] += 1
        counts[name] = c
    peak = max((max(c) for c in counts.values() if c), default=1) or 1
    bw = (width - 2 * pad) / bins / max(1, len(series))
    parts = [f'<svg width="{width}" height="{height + 40}" role="img" aria-label="{html.escape(label)}">']
    for s, (name, c) in enumerate(counts.items()):
        for b, n in enumerate(c):
            h = n / peak * height
            x = pad + b * bw * len(series) + s * bw
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h + 10:.1f}" width="{bw - 1:.1f}" height="{h:.1f}" '
                f'fill="{colors[s % 3]}" opacity="0.85"><title>{html.escape(name)}: {n}</title></rect>'
            )
        parts.append(
            f'<rect x="{pad + s * 170}" y="{height + 22}" width="12" height="12" fill="{colors[s % 3]}"/>'
            f'<text x="{pad + s * 170 + 16}" y="{height + 33}" font-size="12">{html.escape(name)}</text>'
        )
    parts.append(f'<text x="{pad}" y="{height + 18}" font-size="11">{lo:g}</text>')
    parts.append(f'<text x="{width - pad - 20}" y="{height + 18}" font-size="11">{hi:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rows(results: Sequence[ItemResult]) -> str:
    out = []
    for r in results:
        status = "ok" if r.correct else "wrong"
        answer = "(refused) " + r.answer.answer if r.answer.refused else r.answer.answer
        out.append(
            f'<tr class="{status}"><td>{html.escape(r.item.id)}</td><td>{html.escape(r.item.group)}</td>'
            f"<td>{html.escape(r.item.question)}</td><td>{html.escape(answer)}</td>"
            f"<td>{r.answer.timings_ms.total:.0f}</td><td>{r.citation_recall:.2f}</td><td>{status}</td></tr>"
        )
    return "\n".join(out)


def render_html(run: EvalRun) -> str:
    latencies = [r.answer.timings_ms.total for r in run.results]
    scores = {
        "answerable": [r.best_dense for r in run.results if r.item.answerable],
        "unanswerable": [r.best_dense for r in run.results if not r.item.answerable],
    }
    metric_rows = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{fmt(key, run.metrics.get(key))}</td></tr>"
        for key, label in HEADLINE
    )
    categories = [(name, v["accuracy"]) for name, v in run.by_category.items()]
    failures = "".join(f"<li>{html.escape(f)}</li>" for f in run.failures) or "<li>none</li>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>docchat eval report</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}}
table{{border-collapse:collapse;margin:1rem 0}}
td,th{{border:1px solid #ddd;padding:4px 8px;vertical-align:top;font-size:14px}}
tr.wrong td{{background:#fdecea}} h2{{margin-top:2rem}}
</style></head><body>
<h1>docchat eval report</h1>
<p>Dataset <code>{html.escape(run.dataset)}</code> · answerer <b>{html.escape(run.answerer)}</b> ·
{len(run.results)} items · {run.seconds:.0f}s</p>
<h2>Metrics</h2><table>{metric_rows}</table>
<h2>Gate failures</h2><ul>{failures}</ul>
<h2>Accuracy by category</h2>{_bar_chart(categories)}
<h2>Latency (ms per question)</h2>{_histogram({"latency": latencies}, 20, 0, max(latencies or [1]), "latency")}
<h2>Best retrieval score: answerable vs unanswerable</h2>
<p>The dense similarity of the best retrieved chunk: how far retrieval alone tells the two apart. The refusal
itself is decided by the fitted answerability score (rag/answerability.json, `make fit`).</p>
{_histogram(scores, 20, 0.0, 1.0, "retrieval scores")}
<h2>Every item</h2>
<table><tr><th>id</th><th>category</th><th>question</th><th>answer</th><th>ms</th><th>cit. recall</th><th></th></tr>
{_rows(run.results)}</table>
</body></html>
"""
