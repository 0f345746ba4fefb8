"""Does a piece of source text support a claim? Shared by the eval's citation metrics and the LLM guard.

support(claim, evidence) = 0.5 * cosine(claim, evidence) + 0.5 * containment(claim in evidence), where
containment is the share of the claim's content words (stemmed) that the evidence contains. A claim is
supported when the score reaches SUPPORT_THRESHOLD. Copying a source sentence scores ~1.0; a paraphrase
of it ~0.6-0.8; an unrelated or contradicting-with-new-facts sentence stays well below 0.5.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from rag.embeddings import Embedder
from rag.text import overlap, strip_citations, tokens

SUPPORT_THRESHOLD = 0.55

# Texts whose embeddings are kept. The guard embeds every unit and neighbour pair of each cited chunk for every
# sentence citing it, and the same chunks come back across sentences and questions: a few thousand 384-float
# vectors (~6 MB) spare most of those model calls.
VECTOR_CACHE_SIZE = 4096


class SupportScorer:
    def __init__(
        self, embedder: Embedder, threshold: float = SUPPORT_THRESHOLD, cache_size: int = VECTOR_CACHE_SIZE
    ) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # one scorer serves every request thread

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised embeddings of the texts, one row each; texts seen recently are not embedded again."""
        with self._lock:
            known = {text: self._cache[text] for text in texts if text in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(text for text in texts if text not in known))
        if missing:
            # Copies: a row kept alone must not keep its whole batch's matrix alive.
            fresh = {text: row.copy() for text, row in zip(missing, self.embedder.encode(missing), strict=True)}
            known.update(fresh)
            with self._lock:
                self._cache.update(fresh)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return np.stack([known[text] for text in texts])

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def similarities(self, text: str, others: Sequence[str]) -> list[float]:
        """The embedding cosine of the text with each of the others."""
        vectors = self.vectors([text, *others])
        return [float(c) for c in vectors[1:] @ vectors[0]]

    def scores(self, claim: str, evidences: Sequence[str]) -> list[float]:
        """Support score of each evidence text for the claim (0..1)."""
        if not evidences:
            return []
        claim = strip_citations(claim)
        vectors = self.vectors([claim, *evidences])
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
