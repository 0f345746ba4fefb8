"""Eval metrics. Pure functions over answers and gold data; each is documented in the README."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from rag.sentences import answer_sentences
from rag.text import cited_numbers, normalize, strip_citations

SupportFn = Callable[[str, Sequence[str]], list[float]]


def group_matches(answer: str, group: Sequence[str]) -> bool:
    text = normalize(answer)
    return any(normalize(alternative) in text for alternative in group if alternative.strip())


def includes_all(answer: str, groups: Sequence[Sequence[str]]) -> bool:
    """Every must_include group has at least one alternative in the answer."""
    return all(group_matches(answer, group) for group in groups)


def is_correct(answer: str, refused: bool, answerable: bool, groups: Sequence[Sequence[str]]) -> bool:
    if not answerable:
        return refused
    return not refused and includes_all(answer, groups)


def first_hit_rank(retrieved: Sequence[str], relevant: Callable[[int, str], bool]) -> int | None:
    for rank, item in enumerate(retrieved, start=1):
        if relevant(rank, item):
            return rank
    return None


def hit_at_k(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def source_rank(retrieved_sources: Sequence[str], gold_sources: Sequence[str]) -> int | None:
    gold = set(gold_sources)
    return first_hit_rank(retrieved_sources, lambda _, source: source in gold)


def evidence_rank(retrieved_texts: Sequence[str], gold_evidence: Sequence[str]) -> int | None:
    """First retrieved chunk that contains (or is contained in) a gold evidence quote."""
    gold = [normalize(e) for e in gold_evidence if e.strip()]

    def relevant(_: int, text: str) -> bool:
        chunk = normalize(text)
        return any(g in chunk or (len(chunk) > 40 and chunk in g) for g in gold)

    return first_hit_rank(retrieved_texts, relevant)


def quote_is_verbatim(original: str, quote: str, start: int, end: int) -> bool:
    """original[start:end] equals the quote, allowing only whitespace differences."""
    if not (0 <= start < end <= len(original)):
        return False
    return " ".join(original[start:end].split()) == " ".join(quote.split())


def split_sentences(answer: str) -> list[str]:
    return answer_sentences(answer)


def citation_recall_precision(
    answer: str, quotes: dict[int, str], support: SupportFn, threshold: float
) -> tuple[float, float]:
    """ALCE-style citation recall and precision at sentence level.

    Recall: share of answer sentences whose cited quotes, taken together, support the sentence.
    Precision: share of citations that are relevant: the quote supports its sentence alone, or the
    sentence loses support without it.
    """
    sentences = [s for s in split_sentences(answer) if strip_citations(s)]
    if not sentences:
        return 0.0, 0.0
    supported = 0
    relevant = 0
    total_citations = 0
    for sentence in sentences:
        cited = [n for n in cited_numbers(sentence) if n in quotes]
        total_citations += len(cited)
        if not cited:
            continue
        claim = strip_citations(sentence)
        joined = " ".join(quotes[n] for n in cited)
        alone = support(claim, [quotes[n] for n in cited])
        together = support(claim, [joined])[0]
        if together >= threshold:
            supported += 1
        for i, n in enumerate(cited):
            if alone[i] >= threshold:
                relevant += 1
                continue
            rest = " ".join(quotes[m] for m in cited if m != n)
            if together >= threshold and (not rest or support(claim, [rest])[0] < threshold):
                relevant += 1
    recall = supported / len(sentences)
    precision = relevant / total_citations if total_citations else 0.0
    return recall, precision


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return float(ordered[index])


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values)) if values else 0.0
