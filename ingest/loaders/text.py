"""Plain text and Markdown: loaded verbatim (only a BOM and CRLF normalised), so offsets index the file.

Markdown needs no loader of its own: the structure parser reads Markdown syntax in any text file, and
scraped .txt files are full of it.
"""

from __future__ import annotations

import re

from ingest.loaders.base import LoadError
from ingest.structure import clean_heading, parse_blocks

SUFFIXES = (".txt", ".md", ".markdown")
# Bytes that never occur in real text files; cp1252 is only a fallback for legacy text.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TITLE_SCAN_CHARS = 20_000


def load(data: bytes) -> tuple[str, str]:
    text = decode_text(data)
    return text, text_title(text)


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoadError("cannot decode as UTF-16") from exc
    elif b"\x00" in data:
        raise LoadError("binary file (not text)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            if _CONTROL_BYTES.search(data):
                raise LoadError("cannot decode as UTF-8") from None
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise LoadError("cannot decode as UTF-8") from None
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def text_title(text: str) -> str:
    """First block of the document when it is a heading (front-matter title wins for Markdown)."""
    head = text[:_TITLE_SCAN_CHARS]
    front = re.match(r"---\n(.*?)\n(?:---|\.\.\.)\n", head, re.DOTALL)
    if front:
        m = re.search(r"^title:\s*[\"']?(.+?)[\"']?\s*$", front.group(1), re.MULTILINE)
        if m:
            return m.group(1).strip()
    if len(text) > _TITLE_SCAN_CHARS:
        head = head[: head.rfind("\n") + 1] or head
    blocks = parse_blocks(head)
    if blocks and blocks[0].kind == "heading":
        return clean_heading(blocks[0].text)
    return ""
