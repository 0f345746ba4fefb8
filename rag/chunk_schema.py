"""The one description of what a stored chunk carries, and its flat Chroma form.

Ingest writes a chunk's metadata with `encode`, and retrieval and answering read it with `decode`; no other
module knows the keys or the "units" code. Chroma metadata values must be scalars, so the chunk's units are
stored as one string, "start-end-kind,..." (absolute offsets into the document, one letter per kind).

The encoded form is what every existing index holds: changing a key or the code means re-indexing, and (as
chunk ids hash the chunk's text, not its metadata) an old index would silently answer with the old form.
The units' own vectors ride along under `rag.store.UNIT_VECTORS_KEY`; they are the store's payload rather
than part of the schema, because an ingest refreshes metadata of kept chunks without re-embedding them and
Chroma keeps the keys an update leaves out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple, Protocol, get_args, overload

UnitKind = Literal["sentence", "bullet", "table_row", "table_header", "heading", "caption"]
UNIT_KINDS: tuple[UnitKind, ...] = get_args(UnitKind)

# One letter per kind in the "units" metadata. Headings are left out: they label a chunk but are not units
# anyone cites, and they get no vector of their own.
UNIT_KIND_CODES: dict[UnitKind, str] = {
    "sentence": "s",
    "bullet": "b",
    "table_row": "r",
    "table_header": "t",
    "caption": "c",
}
_CODE_KINDS: dict[str, UnitKind] = {code: kind for kind, code in UNIT_KIND_CODES.items()}
# Units an answer may quote as a claim of the source; a table header or a caption only labels what follows.
CITABLE_KINDS: frozenset[UnitKind] = frozenset({"sentence", "bullet", "table_row"})


# NamedTuples rather than frozen dataclasses: keyword indexing decodes every chunk's metadata, and a tuple is
# built several times faster than a frozen dataclass sets its fields.
class UnitSpan(NamedTuple):
    """A unit of a chunk: `document[start:end]`, with absolute offsets into the document."""

    start: int
    end: int
    kind: UnitKind


class ChunkMeta(NamedTuple):
    """What is known about a stored chunk besides its text: where it sits and under which headings."""

    source: str = ""  # the file, relative to the corpus folder (posix)
    title: str = ""  # the document's title
    section: str = ""  # the nearest heading above the chunk
    context: str = ""  # a list's intro line or a table's header, when the chunk holds its items or rows
    start: int = 0  # the chunk is document[start:end]
    end: int = 0
    units: Sequence[UnitSpan] = ()  # the units that get a vector of their own, in document order
    file_sha256: str = ""  # the bytes the chunk was cut from: citations carry it as the source's version

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> UnitKind: ...


def stored_units(units: Iterable[_Span]) -> tuple[UnitSpan, ...]:
    """The units of a chunk that its metadata lists: those of a kind with a code, in the order given."""
    return tuple(UnitSpan(u.start, u.end, u.kind) for u in units if u.kind in UNIT_KIND_CODES)


class EncodedUnits(Sequence[UnitSpan]):
    """The units of a decoded chunk, parsed on first use: keyword indexing and sorting read the metadata of
    every chunk but need only its source, offsets and headings."""

    __slots__ = ("code", "_units")

    def __init__(self, code: str) -> None:
        self.code = code
        self._units: tuple[UnitSpan, ...] | None = None

    @property
    def parsed(self) -> tuple[UnitSpan, ...]:
        if self._units is None:
            self._units = decode_units(self.code)
        return self._units

    @overload
    def __getitem__(self, index: int) -> UnitSpan: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[UnitSpan]: ...
    def __getitem__(self, index: int | slice) -> UnitSpan | Sequence[UnitSpan]:
        return self.parsed[index]

    def __len__(self) -> int:
        return len(self.parsed)

    def __iter__(self) -> Iterator[UnitSpan]:
        return iter(self.parsed)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self.parsed)

    def __repr__(self) -> str:
        return f"EncodedUnits({self.code!r})"


def encode_units(units: Sequence[UnitSpan]) -> str:
    if isinstance(units, EncodedUnits):
        return units.code  # read back unchanged: written as it was read
    return ",".join(f"{u.start}-{u.end}-{UNIT_KIND_CODES[u.kind]}" for u in units)


def decode_units(code: str) -> tuple[UnitSpan, ...]:
    """The units of an encoded "units" value. A malformed entry is skipped; an unknown letter reads as a
    sentence, the kind every paragraph's pieces have."""
    units = []
    for piece in code.split(","):
        parts = piece.split("-")
        if len(parts) != 3:
            continue
        try:
            start, end = int(parts[0]), int(parts[1])
        except ValueError:
            continue
        units.append(UnitSpan(start, end, _CODE_KINDS.get(parts[2], "sentence")))
    return tuple(units)


def encode(meta: ChunkMeta) -> dict[str, str | int]:
    """Flat Chroma metadata for a chunk: scalar values only."""
    return {
        "source": meta.source,
        "title": meta.title,
        "section": meta.section,
        "context": meta.context,
        "start": meta.start,
        "end": meta.end,
        "units": encode_units(meta.units),
        "file_sha256": meta.file_sha256,
    }


def decode(metadata: Mapping[str, Any] | None) -> ChunkMeta:
    """A chunk's metadata as stored; a missing key reads as empty (a chunk written by hand or by a test)."""
    get = (metadata or {}).get
    return ChunkMeta(
        str(get("source", "")),
        str(get("title", "")),
        str(get("section", "")),
        str(get("context", "")),
        int(get("start", 0) or 0),
        int(get("end", 0) or 0),
        EncodedUnits(str(get("units", ""))),
        str(get("file_sha256", "")),
    )
