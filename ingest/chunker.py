"""Structure-aware chunking into verbatim slices of the original text.

A chunk is always `text[start:end]` of the document, so citations round-trip exactly. It is packed from
units (sentences, bullets, table rows) and never cuts one. Headings open chunks, a list travels with its
intro line, a table stays whole when it fits, and boilerplate units are never covered: a chunk is split
wherever dropped content sits between two kept units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.structure import Block, boilerplate_sentence, is_author_bio, parse_blocks_with_context_starts

if TYPE_CHECKING:
    import pysbd


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str
    kind: str  # "sentence" | "bullet" | "table_row" | "heading" | "caption"


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    text: str
    section: str
    context: str
    units: tuple[Unit, ...]


_UNIT_KIND = {
    "paragraph": "sentence",
    "bullet": "bullet",
    "table_header": "table_row",
    "table_row": "table_row",
    "heading": "heading",
    "caption": "caption",
}
# A paragraph with no ". " / "! " / "? " inside (and on one line) is one sentence; pysbd is the slow part of
# chunking, so such paragraphs skip it.
_INNER_BOUNDARY = re.compile(r"[.!?…;:][\"'”’)\]]*\s+\S|\n")
_WORD_CHAR = re.compile(r"\w")

_segmenter: pysbd.Segmenter | None = None


def _get_segmenter() -> pysbd.Segmenter:
    global _segmenter
    if _segmenter is None:
        import pysbd  # imported lazily: loading its rule tables is not free

        _segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return _segmenter


@lru_cache(maxsize=4096)
def _sentence_spans(paragraph: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence in `paragraph`, whitespace-trimmed, covering all of its text.

    pysbd's own char_span mapping compiles one regex per sentence and silently drops a sentence it cannot
    find again; its processor output is located here with str.find instead, and anything left over is
    kept rather than lost. Cached because scraped corpora repeat paragraphs verbatim.
    """
    if not _INNER_BOUNDARY.search(paragraph.rstrip()):
        return _trim(paragraph, 0, len(paragraph))
    # Newlines inside a paragraph are wrapped lines, not sentence ends; a same-length substitution keeps
    # offsets identical.
    flat = paragraph.replace("\n", " ")
    sentences = _get_segmenter().processor(flat).process()
    spans: list[tuple[int, int]] = []
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
        spans.extend(_trim(flat, found, found + len(sentence)))
        cursor = found + len(sentence)
    if flat[cursor:].strip():
        spans.extend(_trim(flat, cursor, len(flat)))
    return tuple(_retrim(flat, spans))


def _trim(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return ((start, end),) if end > start else ()


def _retrim(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        out.extend(_trim(text, s, e))
    return out


def split_units(text: str, block: Block) -> list[Unit]:
    """The citable pieces of one block; boilerplate sentences (and an author bio's tail) are dropped."""
    kind = _UNIT_KIND[block.kind]
    if block.kind != "paragraph":
        if kind != "heading" and boilerplate_sentence(block.text):
            return []
        return [Unit(block.start, block.end, block.text, kind)]
    units: list[Unit] = []
    for s, e in _sentence_spans(block.text):
        start, end = block.start + s, block.start + e
        sentence = text[start:end]
        if is_author_bio(sentence):
            break  # an author bio runs to the end of its paragraph ("He writes about ...")
        if boilerplate_sentence(sentence):
            continue
        units.append(Unit(start, end, sentence, kind))
    return units


# --------------------------------------------------------------------------------------------------
# Packing
# --------------------------------------------------------------------------------------------------


@dataclass
class _U:
    unit: Unit
    section: str
    context: str
    context_start: int  # -1: no context
    block_kind: str
    block: int  # index of the source block
    barrier: bool = False  # dropped content sits between this unit and the previous one

    @property
    def start(self) -> int:
        return self.unit.start

    @property
    def end(self) -> int:
        return self.unit.end


@dataclass
class _Item:
    kind: str  # "heading" | "text" | "group" (table / list: kept whole up to max) | "paragraph"
    units: list[_U]


def _unit_stream(text: str) -> list[_U]:
    blocks, context_starts = parse_blocks_with_context_starts(text)
    stream: list[_U] = []
    prev_end = 0
    for index, (block, ctx_start) in enumerate(zip(blocks, context_starts, strict=True)):
        for unit in split_units(text, block):
            barrier = bool(stream) and _WORD_CHAR.search(text, prev_end, unit.start) is not None
            stream.append(_U(unit, block.section, block.context, ctx_start, block.kind, index, barrier))
            prev_end = unit.end
    return stream


def _items(stream: list[_U]) -> list[_Item]:
    """Groups units that belong together: a paragraph, a table with its caption, a list with its intro."""
    items: list[_Item] = []
    i = 0
    while i < len(stream):
        u = stream[i]
        j = i + 1
        if u.block_kind == "heading":
            items.append(_Item("heading", [u]))
        elif u.block_kind in ("table_header", "table_row"):
            while j < len(stream) and stream[j].block_kind == "table_row" and not stream[j].barrier:
                j += 1
            if j < len(stream) and stream[j].block_kind == "caption" and not stream[j].barrier:
                j += 1
            items.append(_Item("group", stream[i:j]))
        elif u.block_kind == "bullet":
            while (
                j < len(stream)
                and stream[j].block_kind == "bullet"
                and not stream[j].barrier
                and stream[j].context_start == u.context_start
            ):
                j += 1
            items.append(_Item("group", _pull_intro(items, u) + stream[i:j]))
        elif u.block_kind == "paragraph":
            while j < len(stream) and stream[j].block == u.block and not stream[j].barrier:
                j += 1
            items.append(_Item("paragraph", stream[i:j]))
        else:
            items.append(_Item("text", [u]))
        i = j
    return items


def _pull_intro(items: list[_Item], first_bullet: _U) -> list[_U]:
    """Moves the line that introduces a list ("They partner with:") out of its paragraph into the list."""
    if first_bullet.barrier or not items or items[-1].kind != "paragraph" or first_bullet.context_start < 0:
        return []
    para = items[-1].units
    intro_end = first_bullet.context_start + len(first_bullet.context)
    if para[-1].end != intro_end or para[-1].section != first_bullet.section:
        return []
    k = len(para)
    while k > 0 and para[k - 1].start >= first_bullet.context_start:
        k -= 1
    intro = para[k:]
    if k == 0:
        items.pop()
    else:
        items[-1] = _Item("paragraph", para[:k])
    return intro


class _Packer:
    def __init__(self, target: int, max_chars: int, overlap: int) -> None:
        self.target = target
        self.max = max_chars
        self.min_fill = target // 2
        # A paragraph a little over target still reads best whole; beyond this it is split evenly.
        self.paragraph_limit = (target + max_chars) // 2
        self.overlap = overlap
        self.out: list[list[_U]] = []
        self.cur: list[_U] = []

    @staticmethod
    def span(first: _U, last: _U) -> int:
        return last.end - first.start

    def flush(self) -> list[_U]:
        done = self.cur
        if any(u.block_kind != "heading" for u in done):
            self.out.append(done)
        self.cur = []
        return done

    def carry_from(self, done: list[_U]) -> list[_U]:
        if self.overlap <= 0:
            return []
        return [u for u in done if u.block_kind != "heading"][-self.overlap :]

    def fits_next(self, units: list[_U]) -> bool:
        new = self.span(self.cur[0], units[-1])
        if new <= self.target:
            return True
        return new <= self.max and self.span(self.cur[0], self.cur[-1]) < self.min_fill

    def start_with(self, lead: list[_U], item: _Item) -> None:
        """Opens a chunk with the item, preceded by `lead` (a heading or overlap units) when room allows."""
        units = item.units
        whole = self.span(units[0], units[-1])
        limit = self.paragraph_limit if item.kind == "paragraph" else self.max
        if whole <= limit or len(units) == 1:
            while lead and self.span(lead[0], units[-1]) > self.max:
                lead = lead[1:]
            self.cur = lead + units
            if whole > self.max:
                self.flush()  # a single unit longer than max_chars is a chunk of its own
            return
        self.split(lead, units, whole)

    def split(self, lead: list[_U], units: list[_U], whole: int) -> None:
        """Cuts an oversized paragraph, table or list between units into pieces of similar size.

        Cut points are the unit boundaries nearest to even fractions of the item, so pieces come out near
        target instead of one full piece and a scrap. Later pieces of a table or list get its header / intro
        as context (see _make_chunk).
        """
        pieces = max(2, round(whole / self.target))
        origin = units[0].start
        cuts: list[int] = []  # index of the first unit of each later piece
        next_cut = 1
        for k in range(1, len(units)):
            ideal = origin + whole * next_cut / pieces
            if units[k].end <= ideal:
                continue
            # Cut before unit k or after it, whichever lands closer to the ideal point.
            before, after = units[k - 1].end, units[k].end
            idx = k if ideal - before <= after - ideal or k + 1 >= len(units) else k + 1
            if not cuts or idx > cuts[-1]:
                cuts.append(idx)
            next_cut += 1
            if next_cut >= pieces:
                break
        bounds = [0, *cuts, len(units)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            self.greedy(lead if a == 0 else [], units[a:b])

    def greedy(self, lead: list[_U], units: list[_U]) -> None:
        """Packs units into chunks of at most max_chars (a piece that already fits becomes one chunk)."""
        while lead and self.span(lead[0], units[0]) > self.max:
            lead = lead[1:]
        self.cur = list(lead)
        for u in units:
            if self.cur and self.span(self.cur[0], u) > self.max:
                self.flush()
            if not self.cur and u.end - u.start > self.max:
                self.out.append([u])
                continue
            self.cur.append(u)
        self.flush()

    def add(self, item: _Item, heading: _U | None) -> None:
        if heading is not None:
            self.start_with([heading], item)
        elif not self.cur:
            self.start_with([], item)
        elif self.fits_next(item.units):
            self.cur.extend(item.units)
        else:
            self.start_with(self.carry_from(self.flush()), item)


def chunk_document(
    text: str, target_chars: int = 400, max_chars: int = 700, overlap_units: int = 0
) -> list[Chunk]:
    """Splits a document into chunks of whole units, each a verbatim slice of `text`."""
    max_chars = max(1, max_chars)
    target_chars = max(1, min(target_chars, max_chars))
    packer = _Packer(target_chars, max_chars, overlap_units)
    pending_heading: _U | None = None
    for item in _items(_unit_stream(text)):
        if item.kind == "heading":
            packer.flush()
            pending_heading = item.units[0]
            continue
        if item.units[0].barrier:
            packer.flush()
            pending_heading = None  # dropped text lies between the heading and this item
        packer.add(item, pending_heading)
        pending_heading = None
    packer.flush()
    return [_make_chunk(text, units) for units in packer.out]


def _make_chunk(text: str, units: list[_U]) -> Chunk:
    start, end = units[0].start, units[-1].end
    body = next((u for u in units if u.block_kind != "heading"), units[0])
    context = ""
    for u in units:
        if u.block_kind in ("bullet", "table_row") and u.context:
            if 0 <= u.context_start < start:
                context = u.context
            break
    return Chunk(start, end, text[start:end], body.section, context, tuple(u.unit for u in units))
