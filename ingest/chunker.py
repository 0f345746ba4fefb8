"""Structure-aware chunking into verbatim slices of the original text.

A chunk is always `text[start:end]` of the document, so citations round-trip exactly. It is packed from
units (sentences, bullets, table rows) and never cuts one. Headings open chunks, a list travels with its
intro line, a table stays whole when it fits, and boilerplate units are never covered: a chunk is split
wherever dropped content sits between two kept units. A unit longer than a chunk may be (a "sentence" of
a file with no punctuation) is first split into pieces at word boundaries, so no chunk exceeds max_chars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.structure import Block, boilerplate_sentence, parse_blocks_with_context_starts
from rag.chunk_schema import UnitKind
from rag.sentences import sentence_spans, trim_span


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str
    kind: UnitKind


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    text: str
    section: str
    context: str
    units: tuple[Unit, ...]


# A paragraph's pieces are sentences; every other block is one unit of its own kind.
_UNIT_KIND: dict[str, UnitKind] = {
    "paragraph": "sentence",
    "bullet": "bullet",
    "table_header": "table_header",
    "table_row": "table_row",
    "heading": "heading",
    "caption": "caption",
}
_WORD_CHAR = re.compile(r"\w")
_SPACE = re.compile(r"\s")
# A piece of an over-long unit preferably ends after a clause mark, when one is this close (as a share of
# max_chars) to the even cut point; otherwise at the nearest space.
_CLAUSE_END = ",;:)]}–—"
_CLAUSE_REACH = 0.2


def split_units(text: str, block: Block, max_chars: int | None = None) -> list[Unit]:
    """The citable pieces of one block; boilerplate sentences are dropped.

    Author bios are kept: they are not navigation or promotion, and "who wrote this?" is a fair question.
    With `max_chars`, a unit longer than that is split into pieces of at most `max_chars` (see
    `piece_spans`): the packer never cuts a unit, so an unsplit one would become a chunk as long as itself.
    """
    kind = _UNIT_KIND[block.kind]
    if block.kind != "paragraph":
        if kind != "heading" and boilerplate_sentence(block.text):
            return []
        return _pieces(text, Unit(block.start, block.end, block.text, kind), max_chars)
    units: list[Unit] = []
    for s, e in sentence_spans(block.text):
        start, end = block.start + s, block.start + e
        sentence = text[start:end]
        if boilerplate_sentence(sentence):
            continue
        units.extend(_pieces(text, Unit(start, end, sentence, kind), max_chars))
    return units


def _pieces(text: str, unit: Unit, max_chars: int | None) -> list[Unit]:
    if max_chars is None or unit.end - unit.start <= max_chars:
        return [unit]
    return [Unit(s, e, text[s:e], unit.kind) for s, e in piece_spans(text, unit.start, unit.end, max_chars)]


def piece_spans(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """`text[start:end]` as whitespace-trimmed spans of at most `max_chars`, covering all of its text.

    Pieces come out of similar size (cut points near even fractions of what is left, so no scrap at the
    end) and end at a space, after a clause mark when one is near; a run of more than `max_chars` without
    any space is cut hard, since nothing else keeps the limit. Each cut scans at most `max_chars`
    characters, so the work stays linear in the unit's length.
    """
    max_chars = max(1, max_chars)
    trimmed = trim_span(text, start, end)
    if not trimmed:
        return []
    start, end = trimmed[0]
    spans: list[tuple[int, int]] = []
    while end - start > max_chars:
        count = -(-(end - start) // max_chars)
        ideal = start + (end - start) // count
        limit = start + max_chars
        # A cut at space w ends the piece at w: w may be at most `limit`, and must leave the piece non-empty.
        spaces = [m.start() for m in _SPACE.finditer(text, start + 1, limit + 1)]
        if spaces:
            reach = max(1, int(max_chars * _CLAUSE_REACH))
            clauses = [w for w in spaces if text[w - 1] in _CLAUSE_END and abs(w - ideal) <= reach]
            cut = min(clauses or spaces, key=lambda w: (abs(w - ideal), w))
            spans.extend(trim_span(text, start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        else:
            spans.append((start, limit))
            start = limit
    spans.extend(trim_span(text, start, end))
    return spans


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


def _unit_stream(text: str, max_chars: int) -> list[_U]:
    blocks, context_starts = parse_blocks_with_context_starts(text)
    stream: list[_U] = []
    prev_end = 0
    for index, (block, ctx_start) in enumerate(zip(blocks, context_starts, strict=True)):
        for unit in split_units(text, block, max_chars):
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
        self.tiny = target // 3
        # A paragraph a little over target still reads best whole; beyond this it is split evenly.
        self.paragraph_limit = (target + max_chars) // 2
        self.overlap = overlap
        self.out: list[list[_U]] = []
        self.cur: list[_U] = []
        self.carry: list[_U] = []  # overlap units for the next chunk after a size-driven cut

    @staticmethod
    def span(first: _U, last: _U) -> int:
        return last.end - first.start

    def flush(self) -> list[_U]:
        done = self.cur
        if any(u.block_kind != "heading" for u in done):
            self.out.append(done)
        self.cur = []
        return done

    def cut(self) -> list[_U]:
        """Closes the current chunk because it is full; returns the overlap to open the next one with."""
        done = self.flush()
        if self.overlap <= 0:
            return []
        return [u for u in done if u.block_kind != "heading"][-self.overlap :]

    def reset(self) -> None:
        """Section change or dropped text: close the chunk, nothing carries over."""
        self.flush()
        self.carry = []

    def fits_next(self, units: list[_U]) -> bool:
        new = self.span(self.cur[0], units[-1])
        if new <= self.target:
            return True
        # Past target, a chunk still takes the item if the chunk is thin so far, or if the item is a short
        # remark (a closing sentence after a list) that would make a poor chunk on its own.
        thin = self.span(self.cur[0], self.cur[-1]) < self.min_fill
        return new <= self.max and (thin or self.span(units[0], units[-1]) < self.tiny)

    def start_with(self, lead: list[_U], item: _Item) -> None:
        """Opens a chunk with the item, preceded by `lead` (a heading or overlap units) when room allows."""
        units = item.units
        whole = self.span(units[0], units[-1])
        limit = self.paragraph_limit if item.kind == "paragraph" else self.max
        if whole <= limit or len(units) == 1:
            self.cur = self.trim_lead(lead, units[-1]) + units
            if whole > self.max:
                self.flush()  # a guard: split_units already caps every unit at max_chars
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
            self.greedy(lead if a == 0 else self.carry, units[a:b])

    def greedy(self, lead: list[_U], units: list[_U]) -> None:
        """Packs units into chunks of at most max_chars (a piece that already fits becomes one chunk)."""
        self.cur = self.trim_lead(lead, units[0])
        for u in units:
            if self.cur and self.span(self.cur[0], u) > self.max:
                self.cur = self.trim_lead(self.cut(), u)
            if not self.cur and u.end - u.start > self.max:
                self.out.append([u])
                continue
            self.cur.append(u)
        self.carry = self.cut()

    def trim_lead(self, lead: list[_U], first: _U) -> list[_U]:
        while lead and self.span(lead[0], first) > self.max:
            lead = lead[1:]
        return list(lead)

    def add(self, item: _Item, headings: list[_U]) -> None:
        carry, self.carry = self.carry, []
        if headings:
            self.start_with(headings, item)
        elif not self.cur:
            self.start_with(carry, item)
        elif self.fits_next(item.units):
            self.cur.extend(item.units)
        else:
            self.start_with(self.cut(), item)


def chunk_document(
    text: str,
    target_chars: int = 400,
    max_chars: int = 700,
    overlap_units: int = 0,
    table_rows_as_chunks: bool = True,
) -> list[Chunk]:
    """Splits a document into chunks of whole units, each a verbatim slice of `text`.

    With `table_rows_as_chunks`, every table row becomes a chunk of its own, with the table's header as
    its context: a row ("Focus Horizon 6–12 months 12–36 months") answers one question, and embedded
    together with its neighbours it is drowned out by them.
    """
    max_chars = max(1, max_chars)
    target_chars = max(1, min(target_chars, max_chars))
    packer = _Packer(target_chars, max_chars, overlap_units)
    # Headings waiting for content; consecutive ones ("Examples" then "Example 1: ...") stack up so the
    # chunk can open with the whole run. The nearest heading is also the chunk's section.
    headings: list[_U] = []
    for item in _items(_unit_stream(text, max_chars)):
        first = item.units[0]
        if first.barrier:
            packer.reset()  # dropped text lies before this item: no chunk may span it
            headings = []
        if item.kind == "heading":
            packer.reset()
            headings.append(first)
            continue
        packer.add(item, headings)
        headings = []
    packer.flush()
    chunks = [_make_chunk(text, units) for units in packer.out]
    if table_rows_as_chunks:
        chunks = [piece for chunk in chunks for piece in _split_table_rows(chunk)]
    return chunks


def _split_table_rows(chunk: Chunk) -> list[Chunk]:
    rows = [u for u in chunk.units if u.kind == "table_row"]
    if not rows:
        return [chunk]
    header = next((u.text for u in chunk.units if u.kind == "table_header"), "") or chunk.context
    pieces: list[Chunk] = []
    prose: list[Unit] = []

    def flush_prose() -> None:
        # Text around the rows (a caption, a lead-in sentence) stays a chunk of its own.
        if any(u.kind != "heading" for u in prose):
            start, end = prose[0].start, prose[-1].end
            offset = start - chunk.start
            text = chunk.text[offset : offset + end - start]
            pieces.append(Chunk(start, end, text, chunk.section, "", tuple(prose)))
        prose.clear()

    for unit in chunk.units:
        if unit.kind == "table_row":
            flush_prose()
            pieces.append(Chunk(unit.start, unit.end, unit.text, chunk.section, header, (unit,)))
        else:
            prose.append(unit)
    flush_prose()
    return pieces


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
