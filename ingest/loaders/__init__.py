"""Finding and loading documents: one module per format behind a suffix registry.

For .txt/.md the loaded text is the file itself (only CRLF and a BOM normalised), so chunk offsets can be
checked against the file. Extracted formats (HTML, PDF, DOCX) produce a deterministic plain-text rendering in
the same shape as scraped text: headings on their own lines, "• " bullets, " | "-joined table rows,
blank-line separated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from ingest.loaders import docx, html, pdf, text
from ingest.loaders.base import LoadedDocument, Loader, LoadError
from ingest.loaders.discovery import find_files, os_reason, relative, unsupported

__all__ = [
    "LOADERS",
    "SUPPORTED_SUFFIXES",
    "LoadError",
    "LoadedDocument",
    "Loader",
    "discover_files",
    "load_document",
    "read_bytes",
]

# Suffix (lower case, with the dot) -> loader. A new format is a module with SUFFIXES and load(), listed here.
LOADERS: Mapping[str, Loader] = MappingProxyType(
    {suffix: module.load for module in (text, html, pdf, docx) for suffix in module.SUFFIXES}
)
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(LOADERS)


def discover_files(corpus_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Supported files under corpus_dir (sorted by relative path) and (source, reason) for skipped ones.

    Hidden entries are ignored silently; symlinked directories are not followed (no loops, no escaping the
    corpus); a symlinked file is accepted only if it resolves to a regular file inside the corpus.
    """
    return find_files(corpus_dir, SUPPORTED_SUFFIXES)


def load_document(
    path: Path, corpus_dir: Path, max_bytes: int = 50_000_000, data: bytes | None = None
) -> LoadedDocument:
    """Reads one file into its original text and title; raises LoadError with a short reason.

    `data` is the file's content when the caller has read it already (with `read_bytes`): ingest hashes
    exactly the bytes it indexes, even if the file changes meanwhile.
    """
    path = Path(path)
    source = relative(path, Path(corpus_dir))
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise LoadError(unsupported(suffix))
    if data is None:
        data = read_bytes(path, max_bytes)
    if not data.strip():
        raise LoadError("empty file")
    content, title = loader(data)
    if not content.strip():
        raise LoadError("no text")
    return LoadedDocument(source=source, text=content, title=title or _humanise(path.stem))


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; LoadError if it is over max_bytes (checked before and while reading) or unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(f"file too large ({_human_size(size)} > {_human_size(max_bytes)})")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(os_reason(exc)) from exc
    if len(data) > max_bytes:  # grew while we were looking
        raise LoadError(f"file too large ({_human_size(len(data))}+ > {_human_size(max_bytes)})")
    return data


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.0f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} KB"
    return f"{n} bytes"


def _humanise(stem: str) -> str:
    words = re.sub(r"[-_.\s]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem
