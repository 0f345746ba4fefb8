"""What every format loader shares: the result and error types and the plain-text rendering helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A loader turns a file's bytes into (original text, title); an empty title lets the caller fall back to the
# file name. Loaders raise LoadError for files they cannot read.
Loader = Callable[[bytes], tuple[str, str]]

WS = re.compile(r"\s+")


@dataclass(frozen=True)
class LoadedDocument:
    source: str
    text: str
    title: str


class LoadError(Exception):
    """A file that cannot be ingested; str(e) is a short reason for the user."""


def blank(lines: list[str]) -> None:
    """Ends the current block: at most one blank line between blocks."""
    if lines and lines[-1] != "":
        lines.append("")


def join_lines(lines: list[str]) -> str:
    """Rendered lines as a document: no blank runs, one final newline (none when empty)."""
    text = "\n".join(lines).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text + ("\n" if text else "")


def short(exc: BaseException) -> str:
    msg = str(exc).strip() or type(exc).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."
