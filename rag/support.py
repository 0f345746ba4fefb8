"""Does a piece of source text support a claim? Shared by the eval's citation metrics and the LLM guard.

support(claim, evidence) = 0.5 * cosine(claim, evidence) + 0.5 * containment(claim in evidence), where
containment is the share of the claim's content words (stemmed) that the evidence contains. A claim is
supported when the score reaches SUPPORT_THRESHOLD. Copying a source sentence scores ~1.0; a paraphrase
of it ~0.6-0.8; an unrelated or contradicting-with-new-facts sentence stays well below 0.5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rag.embeddings import Embedder
from rag.text import overlap, strip_citations, tokens

SUPPORT_THRESHOLD = 0.55


class SupportScorer:
    def __init__(self, embedder: Embedder, threshold: float = SUPPORT_THRESHOLD) -> None:
        self.embedder = embedder
        self.threshold = threshold

    def scores(self, claim: str, evidences: Sequence[str]) -> list[float]:
        """Support score of each evidence text for the claim (0..1)."""
        if not evidences:
            return []
        claim = strip_citations(claim)
        vectors = self.embedder.encode([claim, *evidences])
        cosines = np.clip(vectors[1:] @ vectors[0], 0.0, 1.0)
        claim_tokens = set(tokens(claim))
        return [
            0.5 * float(c) + 0.5 * overlap(claim_tokens, set(tokens(e)))
            for c, e in zip(cosines, evidences, strict=True)
        ]

    def score(self, claim: str, evidence: str) -> float:
        return self.scores(claim, [evidence])[0]

    def supports(self, claim: str, evidence: str) -> bool:
        return self.score(claim, evidence) >= self.threshold
