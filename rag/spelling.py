"""Typo repair against the documents' own vocabulary: "how mny ppl report to a directr" finds "director".

A question word is repaired only when it is neither a word of the documents nor an English word: "dental"
is English, so a question about a dental plan stays about a dental plan (and is refused when the documents
never mention one) instead of turning into "mental". A repaired word becomes the closest word of the
documents by edit distance (1 for short words, 2 for longer ones), the more frequent one on a tie.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

# Lower-case words, and a capitalised one opening the text; any other capitalised word is a name ("Uber",
# "Revolut") that must stay as typed, however close to a word of the documents.
_WORD = re.compile(r"^[A-Z][a-z]+|\b[a-z]{2,}\b")
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away to repair safely
# Words of English at least this common in the SymSpell frequency list (Google Books counts) count as real
# words. Rarer entries of the list include common misspellings.
MIN_ENGLISH_COUNT = 20_000


@lru_cache(maxsize=1)
def english_vocabulary() -> Counter[str]:
    """English words and their counts from symspellpy's packaged frequency dictionary (no download)."""
    text = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        word, _, count = line.partition(" ")
        if count.strip().isdigit() and int(count) >= MIN_ENGLISH_COUNT:
            counts[word] = int(count)
    return counts


@lru_cache(maxsize=1)
def english_speller() -> Speller:
    return Speller(english_vocabulary())


# Chat shorthand of general English, spelt out before anything else: no edit distance finds "people" in
# "ppl", and short words have too many neighbours to repair by distance. Lower case only, and no entry that
# is also a common name or acronym ("HR", "R", "MO").
SHORTHAND = {
    "ppl": "people", "mny": "many", "abt": "about", "bc": "because", "cuz": "because", "w/": "with",
    "w/o": "without", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks",
    "mgmt": "management", "mgr": "manager", "mgrs": "managers", "dept": "department", "govt": "government",
    "info": "information", "yr": "year", "yrs": "years", "hrs": "hours", "mins": "minutes", "wk": "week",
    "wks": "weeks", "mos": "months", "approx": "approximately",
    "avg": "average", "diff": "difference", "b/w": "between", "btwn": "between", "wat": "what", "wht": "what",
    "hw": "how", "whos": "who is", "whats": "what is", "hows": "how is", "wheres": "where is",
}  # fmt: skip
_SHORTHAND = re.compile(
    r"(?<![\w/])(" + "|".join(re.escape(k) for k in sorted(SHORTHAND, key=len, reverse=True)) + r")(?![\w/])"
)


def max_edits(word: str) -> int:
    # Edits counted with transpositions as one ("prodcut"); short words have too many neighbours for two.
    return 1 if len(word) <= 8 else 2


class Speller:
    """Repairs misspelt question words against a vocabulary (the documents' words and their counts), and
    failing that against English ("stresful" -> "stressful" even when the documents never say it)."""

    def __init__(self, vocabulary: Counter[str], fallback: Speller | None = None) -> None:
        self.vocabulary = vocabulary
        self.fallback = fallback
        self._by_length: dict[int, list[str]] = {}
        for word in vocabulary:
            if word.isalpha():
                self._by_length.setdefault(len(word), []).append(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Speller:
        """A speller for these texts' words, falling back to English ones."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        return cls(counts, fallback=english_speller())

    def repair_word(self, word: str) -> str | None:
        """The vocabulary word this one is a typo of, or None when it is fine (or nothing is close)."""
        lowered = word.lower()
        if len(lowered) < MIN_LENGTH or lowered in self.vocabulary or lowered in english_vocabulary():
            return None
        limit = max_edits(lowered)
        lengths = range(len(lowered) - limit, len(lowered) + limit + 1)
        candidates = [w for n in lengths for w in self._by_length.get(n, ())]
        close = extract(lowered, candidates, scorer=OSA.distance, score_cutoff=limit, limit=50)
        if not close:
            return self.fallback.repair_word(word) if self.fallback else None
        # Several words may sit at the same distance: take the one the documents use most.
        nearest = min(distance for _, distance, _ in close)
        repaired = max((w for w, d, _ in close if d == nearest), key=lambda w: (self.vocabulary[w], w))
        return repaired.capitalize() if word[0].isupper() else repaired

    def repair(self, text: str) -> str:
        def fix(match: re.Match[str]) -> str:
            return self.repair_word(match.group(0)) or match.group(0)

        text = _SHORTHAND.sub(lambda m: SHORTHAND[m.group(0)], text)
        return _WORD.sub(fix, text)
