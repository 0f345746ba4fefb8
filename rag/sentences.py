"""Sentence splitting, for everyone: documents at ingest, answers in the guard and the eval, claims.

Documents are split by pysbd, which knows abbreviations, decimals and initials ("Dr. Smith", "3.5 m",
"J. R. R. Tolkien"), since a wrong cut there makes a unit that quotes half a sentence. The other splits are
plain rules on purpose, each named for the text it is meant for: an answer's sentences are what its
citation markers attach to, and a claim or a list intro is a line or two that needs no abbreviation list.
They are kept exactly as they were, since the stored index and the eval depend on them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pysbd

Span = tuple[int, int]

# A paragraph with no ". " / "! " / "? " inside (and on one line) is one sentence; pysbd is the slow part of
# chunking, so such paragraphs skip it.
_INNER_BOUNDARY = re.compile(r"[.!?…;:][\"'”’)\]]*\s+\S|\n")
# An answer sentence ends at . ! or ? before a capital, a digit, a quote or a bracket: "[1]" markers and
# lower-case continuations ("e.g. this") stay with their sentence.
_ANSWER_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")
# A claim ends at any . ! or ? followed by space.
_STOP = re.compile(r"(?<=[.!?])\s+")
# A list intro's sentences end before a capital, a quote or a bracket (not before a digit: "in 2024. 3 of").
_INTRO_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")

_segmenter: pysbd.Segmenter | None = None


def _get_segmenter() -> pysbd.Segmenter:
    global _segmenter
    if _segmenter is None:
        import pysbd  # imported lazily: loading its rule tables is not free

        _segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return _segmenter


@lru_cache(maxsize=4096)
def sentence_spans(paragraph: str) -> tuple[Span, ...]:
    """(start, end) of each sentence of a document's paragraph, whitespace-trimmed, covering all of its text.

    pysbd's own char_span mapping compiles one regex per sentence and silently drops a sentence it cannot
    find again; its processor output is located here with str.find instead, and anything left over is
    kept rather than lost. Cached because scraped corpora repeat paragraphs verbatim.
    """
    if not _INNER_BOUNDARY.search(paragraph.rstrip()):
        return trim_span(paragraph, 0, len(paragraph))
    # Newlines inside a paragraph are wrapped lines, not sentence ends; a same-length substitution keeps
    # offsets identical.
    flat = paragraph.replace("\n", " ")
    sentences = _get_segmenter().processor(flat).process()
    spans: list[Span] = []
    cursor = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        found = flat.find(sentence, cursor)
        if found == -1:
            break
        if flat[cursor:found].strip() and spans:
            # Text pysbd skipped belongs to the previous sentence.
            spans[-1] = (spans[-1][0], found)
        spans.extend(trim_span(flat, found, found + len(sentence)))
        cursor = found + len(sentence)
    if flat[cursor:].strip():
        spans.extend(trim_span(flat, cursor, len(flat)))
    return tuple(span for s, e in spans for span in trim_span(flat, s, e))


def trim_span(text: str, start: int, end: int) -> tuple[Span, ...]:
    """`text[start:end]` without surrounding whitespace: one span, or none when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return ((start, end),) if end > start else ()


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer (generated or composed), stripped, with their [n] markers."""
    return [piece.strip() for piece in _ANSWER_END.split(text) if piece.strip()]


def claim_sentences(text: str) -> list[str]:
    """`text` cut after every . ! or ? followed by space; pieces are not stripped (nor dropped when empty)."""
    return _STOP.split(text)


def last_intro_sentence(text: str) -> str:
    """The last sentence of a list's lead-in paragraph."""
    return _INTRO_END.split(text)[-1]
