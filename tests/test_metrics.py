"""The eval metrics on small hand-made cases, including ones that must score 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import metrics
from eval.dataset import DEFAULT_DATASET, DatasetError, load_dataset
from eval.runner import ThresholdsError, gate, load_thresholds
from rag.support import SupportScorer


def test_must_include_groups_normalise_case_dashes_and_spaces() -> None:
    answer = "Directors manage 3–10   PMs and report to the VP."
    assert metrics.includes_all(answer, [["3-10", "three to ten"], ["vp", "vice president"]])
    assert not metrics.includes_all(answer, [["3-10"], ["ceo"]])  # every group must match
    assert metrics.includes_all("anything", [])


def test_correctness_requires_answering_or_refusing_as_appropriate() -> None:
    assert metrics.is_correct("They report to the CEO [1].", False, True, [["ceo"]])
    assert not metrics.is_correct("They report to the CEO [1].", True, True, [["ceo"]])  # refused
    assert not metrics.is_correct("I couldn't find that.", False, False, [])  # should have refused
    assert metrics.is_correct("I couldn't find that.", True, False, [])


def test_hit_at_k_and_mrr() -> None:
    rank = metrics.source_rank(["a.txt", "b.txt", "c.txt"], ["c.txt"])
    assert rank == 3
    assert metrics.hit_at_k(rank, 1) == 0.0 and metrics.hit_at_k(rank, 3) == 1.0
    assert metrics.reciprocal_rank(rank) == pytest.approx(1 / 3)
    missing = metrics.source_rank(["a.txt"], ["z.txt"])
    assert missing is None and metrics.reciprocal_rank(missing) == 0.0 and metrics.hit_at_k(missing, 5) == 0.0


def test_evidence_rank_matches_quotes_inside_chunks() -> None:
    chunks = ["Unrelated text about pricing.", "Directors manage 3–10 PMs and sometimes GPMs. More text."]
    assert metrics.evidence_rank(chunks, ["Directors manage 3-10 PMs and sometimes GPMs."]) == 2
    assert metrics.evidence_rank(chunks, ["A quote that is nowhere."]) is None


def test_quote_is_verbatim_at_offsets() -> None:
    original = "Alpha beta.\n  Gamma   delta."
    start = original.index("Gamma")
    assert metrics.quote_is_verbatim(original, "Gamma delta.", start, len(original))  # whitespace only
    assert not metrics.quote_is_verbatim(original, "Gamma delta.", start - 1, len(original) - 1)
    assert not metrics.quote_is_verbatim(original, "Gamma Delta.", start, len(original))
    assert not metrics.quote_is_verbatim(original, "x", 5, 500)


def test_percentiles_and_median() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 1000.0]
    assert metrics.percentile(values, 50) == 30.0
    assert metrics.percentile(values, 95) == 1000.0
    assert metrics.median([]) == 0.0 and metrics.mean([]) == 0.0


def test_citation_recall_and_precision(embedder) -> None:
    support = SupportScorer(embedder)
    quotes = {
        1: "A Head of Product reports directly to the CEO.",
        2: "Directors manage 3–10 PMs and sometimes GPMs.",
    }
    good = "A Head of Product reports directly to the CEO [1]. Directors manage 3–10 PMs [2]."
    recall, precision = metrics.citation_recall_precision(good, quotes, support.scores, support.threshold)
    assert recall == 1.0 and precision == 1.0

    swapped = "A Head of Product reports directly to the CEO [2]. Directors manage 3–10 PMs [1]."
    recall, precision = metrics.citation_recall_precision(swapped, quotes, support.scores, support.threshold)
    assert recall == 0.0 and precision == 0.0

    uncited = "A Head of Product reports directly to the CEO. Bananas are yellow."
    assert metrics.citation_recall_precision(uncited, quotes, support.scores, support.threshold) == (0.0, 0.0)

    padded = "A Head of Product reports directly to the CEO [1][2]."
    recall, precision = metrics.citation_recall_precision(padded, quotes, support.scores, support.threshold)
    assert recall == 1.0 and precision == 0.5  # the second citation adds nothing


def test_support_function_separates_support_from_invention(embedder) -> None:
    support = SupportScorer(embedder)
    source = "Stakeholder management -- Spend 30-40% of your time with sales, customer success and the CEO."
    assert support.supports("A Head of Product spends 30-40% of their time on stakeholder management.", source)
    assert not support.supports("A Head of Product earns a salary of 250,000 dollars in Berlin.", source)


def test_support_vectors_are_the_models_and_each_text_is_embedded_once_while_kept(embedder) -> None:  # noqa: ANN001
    embedded: list[str] = []

    class Counting:
        def encode(self, texts: list[str]):  # noqa: ANN202
            embedded.extend(texts)
            return embedder.encode(texts)

    support = SupportScorer(Counting(), cache_size=2)  # type: ignore[arg-type]
    texts = ["Directors manage 3–10 PMs.", "A Head of Product reports to the CEO."]
    vectors = support.vectors(texts)
    assert abs(vectors - embedder.encode(texts)).max() < 1e-5
    support.vectors([texts[1], texts[0], texts[1]])
    assert embedded == texts  # both were kept
    assert support.similarities(texts[0], [texts[0], "Bananas are yellow."])[0] > 0.99
    assert embedded[-1] == "Bananas are yellow." and len(embedded) == 3
    support.vectors([texts[1]])  # the least recently used was evicted for the third text
    assert len(embedded) == 4
    support.clear_cache()
    support.vectors([texts[0]])
    assert len(embedded) == 5


def test_gate_reports_each_failing_metric(tmp_path: Path) -> None:
    config = tmp_path / "thresholds.toml"
    config.write_text("[min]\nanswer_accuracy = 0.9\n[max]\nlatency_p95_ms = 100\n")
    limits = load_thresholds(config)
    assert gate({"answer_accuracy": 0.95, "latency_p95_ms": 50}, limits) == []
    failures = gate({"answer_accuracy": 0.5, "latency_p95_ms": 500}, limits)
    assert len(failures) == 2 and "answer_accuracy" in failures[0] + failures[1]


def test_gate_flags_unknown_metrics_and_skips_what_the_dataset_cannot_score(tmp_path: Path) -> None:
    config = tmp_path / "thresholds.toml"
    config.write_text("[min]\nfollowup_accuracy = 0.7\n[max]\nlatency_p99_ms = 100\n")
    failures = gate({"followup_accuracy": None, "latency_p95_ms": 50}, load_thresholds(config))
    assert failures == ["unknown metric in thresholds: latency_p99_ms"]  # a typo under [max] no longer passes


@pytest.mark.parametrize(
    "content", [b"[min\nanswer_accuracy = 0.9\n", b"[min]\nanswer_accuracy = 'high'\n", b"\xff\xfe"]
)
def test_a_bad_thresholds_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    config = tmp_path / "thresholds.toml"
    config.write_bytes(content)
    with pytest.raises(ThresholdsError, match="thresholds"):
        load_thresholds(config)


def test_a_dataset_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    dataset = tmp_path / "qa.jsonl"
    dataset.write_bytes(b'{"id": "x", "question": "caf\xe9"}\n')
    with pytest.raises(DatasetError, match="not UTF-8"):
        load_dataset(dataset)


def test_shipped_dataset_is_valid_and_covers_the_required_kinds() -> None:
    items = load_dataset(DEFAULT_DATASET)
    assert len(items) >= 60
    assert sum(not i.answerable for i in items) >= 10
    assert sum(bool(i.history) for i in items) >= 8
    assert any(i.category == "disagreement" for i in items)
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    for item in items:
        for quote in item.evidence:
            assert any(quote in (corpus / s).read_text(encoding="utf-8") for s in item.sources), item.id


def test_bad_dataset_lines_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "q"}) + "\n{not json\n")
    with pytest.raises(DatasetError, match=r"qa.jsonl:2"):
        load_dataset(path)
