"""The model-free answerer: composes a short answer from the documents' own sentences, bullets and rows.

Grounded by construction: every sentence of the answer is a verbatim unit of a source, cited as [n].
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from rag.retrieval import Bm25Index, Retrieval, ScoredChunk
from rag.text import STOPWORDS, normalize, stem, tokens, words

REFUSAL_TEXT = "I couldn't find the answer to that in the documents."

_QUANTITY_QUESTION = re.compile(
    r"\b(how (many|much|long|far|often|old|big|large)|what (percentage|percent|share|proportion|number|"
    r"amount|size|salary|fee|cost|price)|(salary|salaries|pay|compensation|cost|costs|fee|price)\b)",
    re.IGNORECASE,
)
_COMPARISON_QUESTION = re.compile(
    r"\b(differen\w*|compar\w*|contrast\w*|versus|vs\.?|distinguish\w*|distinct|better|similar\w*)\b|"
    r"\b(between .+ and )",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "thousand": 1000, "half": 0.5, "dozen": 12,
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_BULLET_MARK = re.compile(r"^\s*(?:[•\-*+·▪◦‣]|\d{1,3}[.)])\s+")
_ROLE_SPLIT = re.compile(r"\s+(?:and|vs\.?|versus|or|compared (?:to|with))\s+", re.IGNORECASE)


@dataclass
class Evidence:
    """One citable unit (sentence, bullet or table row) of a retrieved chunk."""

    chunk: ScoredChunk
    start: int
    end: int
    text: str
    token_set: set[str]
    context: str = ""
    score: float = 0.0
    lexical: float = 0.0

    @property
    def source(self) -> str:
        return self.chunk.source


@dataclass
class Composition:
    refused: bool
    evidence: list[Evidence] = field(default_factory=list)
    disagreement: bool = False
    best_score: float = 0.0
    coverage: float = 0.0
    suggestions: list[str] = field(default_factory=list)


def numbers_in(text: str) -> set[float]:
    found = {float(n.replace(",", "")) for n in _NUMBER.findall(text)}
    found.update(float(_NUMBER_WORDS[w]) for w in words(text) if w in _NUMBER_WORDS)
    return found


def is_quantity_question(question: str) -> bool:
    return bool(_QUANTITY_QUESTION.search(question))


def is_comparison_question(question: str) -> bool:
    return bool(_COMPARISON_QUESTION.search(question))


def comparison_sides(question: str) -> list[set[str]]:
    """The two things a comparative question sets against each other, as token sets."""
    match = re.search(r"between (.+?) and (.+?)(?:[?.!,]|$)", question, re.IGNORECASE)
    parts = [match.group(1), match.group(2)] if match else _ROLE_SPLIT.split(question, maxsplit=1)
    if len(parts) != 2:
        return []
    left, right = (set(tokens(p)) for p in parts)
    # Keep what tells the sides apart; shared words ("product") say nothing about which side is covered.
    left, right = left - right, right - left
    return [s for s in (left, right) if s]


def units_of(chunk: ScoredChunk) -> list[tuple[int, int]]:
    spans = []
    for piece in str(chunk.chunk.metadata.get("units", "")).split(","):
        if "-" in piece:
            a, b = piece.split("-", 1)
            spans.append((int(a), int(b)))
    if not spans:
        spans = [chunk.span]
    return spans


def split_evidence(chunk: ScoredChunk) -> list[Evidence]:
    chunk_start = chunk.span[0]
    text = chunk.chunk.text
    context = str(chunk.chunk.metadata.get("context", ""))
    section = str(chunk.chunk.metadata.get("section", ""))
    out = []
    for start, end in units_of(chunk):
        piece = text[start - chunk_start : end - chunk_start]
        if not piece.strip():
            continue
        out.append(Evidence(chunk, start, end, piece, set(tokens(piece)), context or section))
    return out


class ExtractiveComposer:
    """Scores units against the question and picks a short, diverse, grounded set of them."""

    def __init__(
        self,
        bm25: Bm25Index,
        *,
        max_sentences: int = 4,
        max_chars: int = 500,
        min_evidence_score: float = 0.42,
        min_term_coverage: float = 0.5,
    ) -> None:
        self.bm25 = bm25
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.min_evidence_score = min_evidence_score
        self.min_term_coverage = min_term_coverage

    # --- scoring ----------------------------------------------------------------------------------
    def term_weights(self, question: str) -> dict[str, float]:
        """IDF weight per question term; a term the corpus never uses weighs the most."""
        weights: dict[str, float] = {}
        for token in set(tokens(question)):
            weights[token] = self.bm25.idf(token)
        return weights

    def score(self, question: str, evidence: list[Evidence], retrieval: Retrieval) -> None:
        weights = self.term_weights(question)
        total = sum(weights.values()) or 1.0
        best_rrf = max((c.rrf for c in retrieval.chunks), default=1.0) or 1.0
        wants_number = is_quantity_question(question)
        question_numbers = numbers_in(question)
        for ev in evidence:
            context_tokens = set(tokens(ev.context))
            hit = sum(w for t, w in weights.items() if t in ev.token_set)
            hit_context = sum(w for t, w in weights.items() if t in context_tokens and t not in ev.token_set)
            ev.lexical = (hit + 0.5 * hit_context) / total
            semantic = max(ev.chunk.dense, 0.0)
            rank = ev.chunk.rrf / best_rrf
            ev.score = 0.45 * semantic + 0.4 * ev.lexical + 0.15 * rank
            if wants_number and not (numbers_in(ev.text) - question_numbers):
                ev.score *= 0.8
            if len(ev.text) < 25:  # fragments and headings make poor answers
                ev.score *= 0.7

    def coverage(self, question: str, chosen: list[Evidence]) -> float:
        """Share (IDF-weighted) of the question's terms that the chosen evidence mentions."""
        weights = self.term_weights(question)
        if not weights:
            return 0.0
        covered: set[str] = set()
        for ev in chosen:
            covered |= (
                ev.token_set | set(tokens(ev.context)) | set(tokens(str(ev.chunk.chunk.metadata.get("title", ""))))
            )
        covered_prefixes = {t[:5] for t in covered if len(t) >= 5}
        got = sum(w for t, w in weights.items() if t in covered or (len(t) >= 5 and t[:5] in covered_prefixes))
        return got / sum(weights.values())

    # --- selection --------------------------------------------------------------------------------
    def compose(self, question: str, retrieval: Retrieval) -> Composition:
        evidence = [ev for chunk in retrieval.chunks for ev in split_evidence(chunk)]
        if not evidence:
            return Composition(refused=True)
        self.score(question, evidence, retrieval)
        evidence.sort(key=lambda e: e.score, reverse=True)
        best = evidence[0]
        best_dense = max(c.dense for c in retrieval.chunks)
        chosen = self.select(question, evidence)
        coverage = self.coverage(question, chosen)
        result = Composition(refused=False, evidence=chosen, best_score=best_dense, coverage=coverage)

        if best_dense < self.min_evidence_score or coverage < self.min_term_coverage:
            result.refused = True
        elif is_quantity_question(question) and not any(numbers_in(e.text) - numbers_in(question) for e in chosen):
            result.refused = True  # asked for a figure the documents do not give
        elif self.names_unknown_entity(question):
            result.refused = True
        if result.refused:
            result.suggestions = self.suggest(retrieval)
            result.evidence = []
            return result
        result.disagreement = self.find_disagreement(question, evidence, result)
        del best
        return result

    def select(self, question: str, ranked: list[Evidence]) -> list[Evidence]:
        top = ranked[0].score
        chosen: list[Evidence] = []
        used_chars = 0
        sides = comparison_sides(question) if is_comparison_question(question) else []

        def fits(ev: Evidence) -> bool:
            if ev.score < 0.72 * top:
                return False
            if any(_redundant(ev, c) for c in chosen):
                return False
            return used_chars + len(ev.text) <= self.max_chars or not chosen

        for ev in ranked:
            if len(chosen) >= self.max_sentences:
                break
            if fits(ev):
                chosen.append(ev)
                used_chars += len(ev.text)
        # A comparison needs evidence for both sides: add the best unit for a side nobody covered yet.
        for side in sides:
            if any(side & (c.token_set | set(tokens(c.context))) for c in chosen):
                continue
            for ev in ranked:
                if ev in chosen or ev.score < 0.5 * top or not side & ev.token_set:
                    continue
                if len(chosen) >= self.max_sentences:
                    chosen.pop()
                chosen.append(ev)
                break
        return chosen

    def names_unknown_entity(self, question: str) -> bool:
        """A proper name the corpus never mentions (a city, a company, a product) means we cannot answer."""
        raw_words = re.findall(r"[A-Za-z][\w'’-]*", question)
        for position, word in enumerate(raw_words):
            if position == 0 or not word[0].isupper():
                continue
            token = stem(normalize(word).replace("’", "'"))
            if token in STOPWORDS or len(token) < 3:
                continue
            if token not in self.bm25.document_frequency:
                return True
        return False

    def find_disagreement(self, question: str, ranked: list[Evidence], result: Composition) -> bool:
        """Different sources giving different figures for the same question: show both."""
        if not is_quantity_question(question) and not re.search(r"\bhow far|horizon|ahead\b", question, re.I):
            return False
        question_numbers = numbers_in(question)
        chosen = result.evidence
        if not chosen:
            return False
        lead = chosen[0]
        lead_numbers = numbers_in(lead.text) - question_numbers
        if not lead_numbers:
            return False
        top = ranked[0].score
        for ev in ranked:
            if ev.source == lead.source or ev.score < 0.6 * top:
                continue
            other = numbers_in(ev.text) - question_numbers
            if other and not (other & lead_numbers) and ev.lexical >= 0.5 * lead.lexical:
                if ev not in chosen:
                    if len(chosen) >= self.max_sentences:
                        chosen.pop()
                    chosen.insert(1, ev)
                else:
                    chosen.remove(ev)
                    chosen.insert(1, ev)
                return True
        return False

    def suggest(self, retrieval: Retrieval) -> list[str]:
        seen: list[str] = []
        for chunk in retrieval.chunks:
            label = str(chunk.chunk.metadata.get("section") or chunk.chunk.metadata.get("title") or "")
            if label and label not in seen:
                seen.append(label)
        return seen[:3]


def _redundant(a: Evidence, b: Evidence) -> bool:
    if a.source == b.source and a.start < b.end and b.start < a.end:
        return True
    if not a.token_set or not b.token_set:
        return False
    jaccard = len(a.token_set & b.token_set) / len(a.token_set | b.token_set)
    return jaccard > 0.6


def render_unit(ev: Evidence) -> str:
    """The unit as an answer sentence: list markers dropped, table rows labelled with their header."""
    text = " ".join(_BULLET_MARK.sub("", ev.text).split())
    text = text.replace(" -- ", " — ")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if ev.context and _looks_like_table_row(ev):
        text = f"{text} ({_header_label(ev.context)})"
    if text and text[-1] not in ".!?:)":
        text += "."
    return text


def _looks_like_table_row(ev: Evidence) -> bool:
    return ev.context != ev.chunk.chunk.metadata.get("section") and not _BULLET_MARK.match(ev.text)


def _header_label(header: str) -> str:
    parts = header.split(" ", 1)
    return f"columns: {parts[1] if len(parts) == 2 else header}"


def softmax_confidence(scores: list[float]) -> float:
    if not scores:
        return 0.0
    peak = max(scores)
    return 1.0 / sum(math.exp(s - peak) for s in scores)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(a @ b)
