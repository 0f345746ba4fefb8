"""The corpus folder as the admin page sees it: which documents there are and how they stand in the index,
adding a document (a safe name, written whole or not at all) and removing one.

Changes here touch only the folder; the index follows at the next ingest (the admin page's re-index).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, discover_files, load_document

DocumentState = Literal["indexed", "changed", "not_indexed", "removed"]
# Letters, digits and a few separators: safe in a URL, a shell and on every file system.
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME_CHARS = 120
# Prefix of files being written: hidden, so an ingest running meanwhile never reads half a file.
_PARTIAL_PREFIX = ".upload-"


class DocumentError(ValueError):
    """A change to the corpus that cannot be made; str(e) says why and what to do instead."""

    kind: str = "invalid"


class BadName(DocumentError):
    kind = "invalid"


class UnsupportedType(DocumentError):
    kind = "unsupported"


class AlreadyExists(DocumentError):
    kind = "exists"


class NoSuchDocument(DocumentError):
    kind = "missing"


class CorpusMissing(DocumentError):
    kind = "conflict"


@dataclass(frozen=True)
class DocumentInfo:
    source: str  # path relative to the corpus folder, as citations name it
    size_bytes: int | None  # None once the file is gone (its chunks stay until the next ingest)
    chunks: int
    indexed_at: float | None  # Unix time of the ingest that wrote its chunks; None if unknown or never
    state: DocumentState

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def supported_suffixes() -> list[str]:
    return sorted(SUPPORTED_SUFFIXES)


def list_documents(corpus_dir: Path, indexed: dict[str, dict[str, Any]]) -> list[DocumentInfo]:
    """Every document in the folder or in the index (`indexed`: the ingest manifest's files), by name.

    indexed: in both, unchanged since. changed: modified after it was indexed. not_indexed: in the folder
    only (added since the last ingest, or skipped by it). removed: in the index only."""
    files: dict[str, Path] = {}
    if Path(corpus_dir).is_dir():
        found, _skipped = discover_files(corpus_dir)
        files = {path.relative_to(corpus_dir).as_posix(): path for path in found}
    documents = []
    for source in sorted(set(files) | set(indexed)):
        entry = indexed.get(source)
        chunks = len(entry.get("ids", [])) if entry else 0
        indexed_at = entry.get("indexed_at") if entry else None
        path = files.get(source)
        size: int | None = None
        state: DocumentState = "removed"
        if path is not None:
            try:
                info = path.stat()
            except OSError:
                info = None
            size = info.st_size if info else None
            state = "indexed" if entry else "not_indexed"
            # A manifest from before `indexed_at` was recorded has no time to compare: hash every file then.
            touched = entry and info and (not isinstance(indexed_at, int | float) or info.st_mtime > indexed_at)
            # A newer mtime is only a hint (a copy or `touch` keeps the content): the hash decides.
            if touched and _sha256(path) != entry.get("sha256"):
                state = "changed"
        documents.append(DocumentInfo(source, size, chunks, indexed_at, state))
    return documents


def safe_upload_name(name: str) -> str:
    """The name an uploaded file is stored under in the corpus folder, or BadName/UnsupportedType.

    Folders and hidden names are refused outright (a client sending "../x.md" means something we will not
    do); other unsafe characters become "-"; the suffix must be one ingest reads."""
    if not name or not name.strip():
        raise BadName("the file has no name")
    if any(sep in name for sep in ("/", "\\", "\x00")):
        raise BadName(f"{_shown(name)} is not a plain file name: folders (and '..') are not allowed")
    name = unicodedata.normalize("NFKC", name).strip()
    if name.startswith("."):
        raise BadName(f"{_shown(name)} is a hidden file name (it starts with '.'); rename it")
    pure = PurePosixPath(name)
    suffix = pure.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"{_shown(suffix)} files" if suffix else "files without an extension"
        raise UnsupportedType(f"{kind} cannot be indexed; upload one of: {', '.join(supported_suffixes())}")
    stem = _UNSAFE_RUN.sub("-", pure.stem).strip("-._")
    if not stem:
        raise BadName(f"{_shown(name)} has no usable characters; use letters, digits, '-', '_' or '.'")
    return stem[: MAX_NAME_CHARS - len(suffix)].rstrip("-._") + suffix


def add_document(corpus_dir: Path, name: str, data: bytes, *, replace: bool = False) -> tuple[str, bool]:
    """Stores `data` as the document `name` (made safe) in the corpus folder, whole or not at all.

    Returns (stored name, whether an existing document was replaced). Refuses a file ingest could not read
    (with ingest's reason), and an existing name unless `replace`."""
    stored = safe_upload_name(name)
    root = Path(corpus_dir)
    if not root.is_dir():
        raise CorpusMissing(f"the corpus folder {root} does not exist; create it or fix DOCCHAT_CORPUS_DIR")
    target = root / stored
    try:
        load_document(target, root, data=data)  # ingest's own reader: refuse now what it would skip later
    except LoadError as exc:
        raise BadName(f"{stored} cannot be indexed: {exc}") from exc
    existed = target.exists() or target.is_symlink()
    if existed and (target.is_symlink() or not target.is_file()):
        raise AlreadyExists(f"{stored} exists in the corpus and is not a plain file; it cannot be replaced here")
    if existed and not replace:
        raise AlreadyExists(f"{stored} is already in the corpus; send it again with replace to overwrite it")
    handle, partial = tempfile.mkstemp(dir=root, prefix=_PARTIAL_PREFIX, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o644)
        if replace:
            os.replace(partial, target)
        else:
            try:
                os.link(partial, target)  # fails if the name was taken meanwhile: never a silent overwrite
            except FileExistsError as exc:
                raise AlreadyExists(f"{stored} was added meanwhile; send it again with replace") from exc
            except OSError:
                # A file system without hard links (vfat, some network mounts): the name was free a moment
                # ago; a rename is still atomic, it only loses the guard against a race in between.
                if target.exists():
                    raise AlreadyExists(f"{stored} was added meanwhile; send it again with replace") from None
                os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    _sync_dir(root)
    return stored, existed


def remove_document(corpus_dir: Path, source: str) -> None:
    """Deletes the document `source` (a name as listed) from the corpus folder; its chunks go at the next
    ingest. A symlink is removed itself, never what it points to."""
    root = Path(corpus_dir)
    if corpus_file(root, source) is None:
        raise NoSuchDocument(f"{_shown(source)} is not a document in the corpus folder")
    (root / PurePosixPath(source)).unlink()
    _sync_dir(root)


def corpus_file(corpus_dir: Path, requested: str) -> Path | None:
    """The file `requested` names inside the corpus (resolved), or None for anything that is not plainly
    one: absolute paths, '..', hidden parts, backslashes, links out of the folder, directories."""
    if not requested or "\x00" in requested or "\\" in requested:
        return None
    relative = PurePosixPath(requested)
    if relative.is_absolute() or any(part in ("", ".", "..") or part.startswith(".") for part in relative.parts):
        return None
    root = Path(corpus_dir).resolve()
    candidate = (root / relative).resolve()  # resolves symlinks too: a link out of the corpus fails below
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _sha256(path: Path) -> str | None:
    from ingest.pipeline import file_sha256

    try:
        return file_sha256(path)
    except OSError:
        return None


def _shown(text: str) -> str:
    return repr(text[:80])


def _sync_dir(directory: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
