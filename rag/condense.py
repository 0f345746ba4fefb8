"""Follow-up rewriting without an LLM: turn "And for a Director?" into a standalone question.

Rules, in order:
1. "And/What about/How about (for) X?" swaps X into the previous question, replacing the phrase of the
   previous question that is most like X (by embedding similarity), e.g. "Head of Product" -> "Director".
2. Pronouns ("they", "their", "it") are replaced by the previous question's main subject.
3. A short, subject-less question ("How many per month?") is read together with the previous question.
The previous question is itself condensed first, so chains of follow-ups keep their subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from rag.embeddings import Embedder
from rag.models import Message
from rag.text import tokens

_SWAP = re.compile(
    r"^\s*(?:and|but|also|so)?\s*(?:what|how)?\s*(?:about|regarding|for)?\s*(?:for|about|with)?\s*(?P<x>[^?]{2,60}?)\s*\??\s*$",
    re.IGNORECASE,
)
_SWAP_LEAD = re.compile(r"^\s*(?:and\b|what about\b|how about\b|and what about\b|what of\b)", re.IGNORECASE)
# Pronouns for people stand for the previous question's named subject (a role, a person). "It" usually
# means a thing mentioned earlier ("the reorg"), so it is resolved by reading the previous question along.
_PRONOUNS = {
    "they": "{s}", "them": "{s}", "he": "{s}", "she": "{s}",
    "their": "{s}'s", "his": "{s}'s", "her": "{s}'s", "theirs": "{s}'s",
}  # fmt: skip
_DEMONSTRATIVE = re.compile(r"\b(that|this|those|these|the one|ones|it|its)\b", re.IGNORECASE)
_QUESTION_LEAD = {
    "what", "who", "whom", "whose", "which", "when", "where", "why", "how", "is", "are", "was", "were", "do",
    "does", "did", "can", "could", "should", "would", "will", "may", "might", "must", "in", "at", "for",
    "tell", "give", "list", "compare", "describe", "explain", "and", "but", "so", "the", "a", "an", "if",
    "besides", "over", "our", "my", "i", "after", "before",
}  # fmt: skip
_CONNECTORS = {"of", "the", "and", "&", "for", "to"}


def subject_of(question: str) -> str:
    """The question's main named subject: the longest run of capitalised words (e.g. "Head of Product")."""
    words = re.findall(r"[A-Za-z][\w&'’/-]*|[?.,;:!]", question)
    runs: list[list[str]] = []
    current: list[str] = []
    for i, word in enumerate(words):
        capital = word[0].isupper() and not (i == 0 or word.lower() in _QUESTION_LEAD and not current)
        if capital or (current and word.lower() in _CONNECTORS and i + 1 < len(words) and words[i + 1][0].isupper()):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [[w[:-2] if w.endswith(("'s", "’s")) else w for w in run] for run in runs]
    if not runs:
        return ""
    return " ".join(max(runs, key=lambda run: (len(run), -runs.index(run))))


def _candidate_phrases(question: str) -> list[str]:
    """Spans of the question that a follow-up could swap out: named subjects and content-word runs."""
    words = re.findall(r"[\w&'’/-]+", question)
    phrases: set[str] = set()
    for size in (1, 2, 3, 4, 5):
        for i in range(len(words) - size + 1):
            span = words[i : i + size]
            if span[0].lower() in _QUESTION_LEAD or span[-1].lower() in _CONNECTORS | {"a", "an"}:
                continue
            if not tokens(" ".join(span)):
                continue
            phrases.add(" ".join(span))
    return sorted(phrases)


class HeuristicCondenser:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def condense(self, question: str, history: Sequence[Message]) -> str:
        previous_questions = [m.content for m in history if m.role == "user" and m.content.strip()]
        if not previous_questions:
            return question.strip()
        previous = previous_questions[-1]
        # Resolve the previous turn against its own history first, so follow-up chains keep a subject.
        earlier = [m for m in history if m.role == "user" and m.content.strip()][:-1]
        previous = self.condense(previous, earlier) if earlier else previous
        return self._rewrite(question.strip(), previous)

    def _rewrite(self, question: str, previous: str) -> str:
        content = tokens(question)
        own_subject = subject_of(question)
        if _SWAP_LEAD.match(question) and len(question.split()) <= 8:
            match = _SWAP.match(question)
            replacement = match.group("x").strip() if match else ""
            replacement = re.sub(r"^(?:for|about|the|a|an)\s+", "", replacement, flags=re.IGNORECASE)
            replacement = re.sub(r"\s+ones?$", "", replacement, flags=re.IGNORECASE)
            swapped = self._swap(previous, replacement) if replacement else None
            if swapped:
                return swapped
        subject = subject_of(previous)
        if subject and not own_subject and any(w.lower() in _PRONOUNS for w in re.findall(r"[A-Za-z]+", question)):
            return self._replace_pronouns(question, subject)
        if not own_subject and (len(content) <= 5 or _DEMONSTRATIVE.search(question) or _SWAP_LEAD.match(question)):
            return f"{previous.rstrip()} {question}"
        return question

    def _swap(self, previous: str, replacement: str) -> str | None:
        subject = subject_of(previous)
        if subject and subject_of(f"x {replacement}"):
            # A named thing replaces the previous named subject: "And for a Director?" after "Head of Product".
            return previous.replace(subject, replacement, 1)
        candidates = _candidate_phrases(previous)
        if not candidates:
            return None
        vectors = self.embedder.encode([replacement, *candidates])
        similarity = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarity))
        if similarity[best] < 0.3:
            return None
        target = candidates[best]
        swapped = re.sub(re.escape(target), replacement, previous, count=1)
        # Keep the article agreeing with the new word: "an entry-level" -> "a senior".
        return re.sub(r"\b([Aa])n (?=[^aeiouAEIOU\W])", r"\1 ", swapped)

    @staticmethod
    def _replace_pronouns(question: str, subject: str) -> str:
        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            template = _PRONOUNS.get(word.lower())
            return template.format(s=f"the {subject}") if template else word

        return re.sub(r"\b[A-Za-z]+\b", swap, question)
