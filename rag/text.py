"""Small text utilities shared by retrieval, answering and the eval: tokens, normalisation, overlap."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D-]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_CITATION = re.compile(r"\s*\[(\d+)\]")

# Function words (their contractions too: "you're" says no more than "you are") plus the question scaffolding
# people type around what they actually want to know.
# Calendar names of English, as regex alternations (match them case-insensitively).
MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each either else ever few for from further get gets getting got gotten give given go goes
    had hadn't has hasn't have haven't having he her here hers herself him himself his how however i
    if in into is isn't it it's its itself just least less let like made make makes many may me
    might more most much must my myself neither no nor not now of off often on once one only or
    other others otherwise our ours ourselves out over own per please rather really same shall she
    should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they're this those though through thus to too typically under until up upon
    us usually very via was wasn't we were weren't what what's when where which while who whom whose
    why will with within without would wouldn't yet you your yours yourself yourselves tell explain
    describe list name say said mean means according give show kind kinds type types thing things
    way ways someone something anyone anything well also
    you're we're i'm i've you've we've they've i'll you'll we'll they'll he'll she'll it'll i'd you'd he'd
    she'd we'd they'd he's she's let's won't
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def normalize(text: str) -> str:
    """Case-folded, with dashes unified and whitespace collapsed: the eval's matching rule."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _DASHES.sub("-", text.lower())
    return _SPACES.sub(" ", text).strip()


# A snowball stemmer keeps the word it is working on in the instance, so two threads sharing one (a server's
# queries and its background re-index) corrupt each other's stems or crash; each thread gets its own.
_per_thread = threading.local()


def _stemmer():  # -> snowballstemmer.Stemmer
    stemmer = getattr(_per_thread, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _per_thread.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem, so "promoted", "promotion" and "promotions" meet."""
    if word.endswith("'s"):
        word = word[:-2]
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def tokens(text: str) -> list[str]:
    """Stemmed content words: the unit of BM25 and of lexical overlap."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def token_set(text: str) -> frozenset[str]:
    """`tokens` as a set, cached: headings and units recur in every question's candidates."""
    return frozenset(tokens(text))


@lru_cache(maxsize=65536)
def normalized(text: str) -> str:
    """`normalize`, cached for texts that recur (chunks compared on every question)."""
    return normalize(text)


def strip_citations(text: str) -> str:
    return _CITATION.sub("", text).strip()


def cited_numbers(text: str) -> list[int]:
    return [int(n) for n in _CITATION.findall(text)]


def overlap(query_tokens: set[str], text_tokens: set[str]) -> float:
    """Share of the query's tokens that the text contains (0..1)."""
    if not query_tokens:
        return 0.0
    return len(query_tokens & text_tokens) / len(query_tokens)
