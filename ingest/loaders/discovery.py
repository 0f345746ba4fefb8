"""Finding the files of a corpus folder: which are read, and why the others are skipped."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Collection
from pathlib import Path


def find_files(corpus_dir: Path, suffixes: Collection[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files with one of `suffixes` under corpus_dir (sorted by relative path) and (source, reason) for skipped ones.

    Hidden entries are ignored silently; symlinked directories are not followed (no loops, no escaping the
    corpus); a symlinked file is accepted only if it resolves to a regular file inside the corpus.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    root = corpus_dir.resolve()
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    pending = [corpus_dir]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.append((relative(Path(directory), corpus_dir) + "/", os_reason(exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            source = relative(path, corpus_dir)
            reason = _classify_entry(entry, path, root, suffixes)
            if reason == "dir":
                pending.append(path)
            elif reason == "file":
                files.append(path)
            elif reason:
                skipped.append((source, reason))
    files.sort(key=lambda p: relative(p, corpus_dir))
    skipped.sort()
    return files, skipped


def _classify_entry(entry: os.DirEntry[str], path: Path, root: Path, suffixes: Collection[str]) -> str:
    """Returns "dir" or "file" for entries to walk / load, otherwise the reason the entry is skipped."""
    try:
        is_link = entry.is_symlink()
        if is_link:
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
                    return "symlink loop"
                return "broken symlink"
            if target.is_dir():
                return "symlinked directory (not followed)"
            if not target.is_relative_to(root):
                return "symlink points outside the corpus"
        mode = path.stat().st_mode
    except OSError as exc:
        return os_reason(exc)
    if stat.S_ISDIR(mode):
        return "dir"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        return unsupported(suffix)
    return "file"


def relative(path: Path, corpus_dir: Path) -> str:
    try:
        rel = path.relative_to(corpus_dir)
    except ValueError:
        return path.name
    return rel.as_posix() if rel.parts else "."


def unsupported(suffix: str) -> str:
    return f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read file: {exc.strerror or exc}"
