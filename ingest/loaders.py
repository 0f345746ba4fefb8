"""Finding and loading documents: .txt/.md verbatim, HTML/PDF/DOCX as extracted plain text.

For .txt/.md the loaded text is the file itself (only CRLF and a BOM normalised), so chunk offsets can be
checked against the file. Extracted formats produce a deterministic plain-text rendering in the same shape
as scraped text: headings on their own lines, "• " bullets, " | "-joined table rows, blank-line separated.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.structure import clean_heading, parse_blocks

if TYPE_CHECKING:
    from bs4 import Tag

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"})
_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
# Bytes that never occur in real text files; cp1252 is only a fallback for legacy text.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TITLE_SCAN_CHARS = 20_000


@dataclass(frozen=True)
class LoadedDocument:
    source: str
    text: str
    title: str


class LoadError(Exception):
    """A file that cannot be ingested; str(e) is a short reason for the user."""


# --------------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------------


def discover_files(corpus_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Supported files under corpus_dir (sorted by relative path) and (source, reason) for skipped ones.

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
            skipped.append((_relative(Path(directory), corpus_dir) + "/", _os_reason(exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            source = _relative(path, corpus_dir)
            reason = _classify_entry(entry, path, root)
            if reason == "dir":
                pending.append(path)
            elif reason == "file":
                files.append(path)
            elif reason:
                skipped.append((source, reason))
    files.sort(key=lambda p: _relative(p, corpus_dir))
    skipped.sort()
    return files, skipped


def _classify_entry(entry: os.DirEntry[str], path: Path, root: Path) -> str:
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
        return _os_reason(exc)
    if stat.S_ISDIR(mode):
        return "dir"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return _unsupported(suffix)
    return "file"


def _relative(path: Path, corpus_dir: Path) -> str:
    try:
        rel = path.relative_to(corpus_dir)
    except ValueError:
        return path.name
    return rel.as_posix() if rel.parts else "."


def _unsupported(suffix: str) -> str:
    return f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read file: {exc.strerror or exc}"


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def load_document(
    path: Path, corpus_dir: Path, max_bytes: int = 50_000_000, data: bytes | None = None
) -> LoadedDocument:
    """Reads one file into its original text and title; raises LoadError with a short reason.

    `data` is the file's content when the caller has read it already (with `read_bytes`): ingest hashes
    exactly the bytes it indexes, even if the file changes meanwhile.
    """
    path = Path(path)
    source = _relative(path, Path(corpus_dir))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(_unsupported(suffix))
    if data is None:
        data = read_bytes(path, max_bytes)
    if not data.strip():
        raise LoadError("empty file")
    if suffix in _TEXT_SUFFIXES:
        text = _decode_text(data)
        title = _text_title(text) or _humanise(path.stem)
    elif suffix in (".html", ".htm"):
        text, title = _load_html(data)
    elif suffix == ".pdf":
        text, title = _load_pdf(data)
    else:
        text, title = _load_docx(data)
    if not text.strip():
        raise LoadError("no text")
    return LoadedDocument(source=source, text=text, title=title or _humanise(path.stem))


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; LoadError if it is over max_bytes (checked before and while reading) or unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(f"file too large ({_human_size(size)} > {_human_size(max_bytes)})")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(_os_reason(exc)) from exc
    if len(data) > max_bytes:  # grew while we were looking
        raise LoadError(f"file too large ({_human_size(len(data))}+ > {_human_size(max_bytes)})")
    return data


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.0f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} KB"
    return f"{n} bytes"


def _decode_text(data: bytes) -> str:
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


def _text_title(text: str) -> str:
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


def _humanise(stem: str) -> str:
    words = re.sub(r"[-_.\s]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------

_HTML_DROP = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "svg",
    "template",
    "iframe",
    "button",
    "select",
    "canvas",
    "dialog",
)
_HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HTML_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "table",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "hr",
        "br",
        "address",
        "details",
        "summary",
        "body",
        "html",
        "center",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "fieldset",
        "legend",
        "menu",
    }
    | _HTML_HEADINGS
)
_WS = re.compile(r"\s+")


def _load_html(data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as exc:  # lxml raises assorted errors on pathological input
        raise LoadError(f"cannot parse HTML: {exc}") from exc
    title = _html_title(soup)
    for node in soup.find_all(
        string=lambda s: isinstance(s, Comment | Declaration | Doctype | ProcessingInstruction)
    ):
        node.extract()
    for tag in soup.find_all(_HTML_DROP):
        # A <header> inside the article holds its title; only page-level headers are chrome.
        if tag.name == "header" and tag.find_parent(("article", "main")) is not None:
            continue
        tag.decompose()
    for tag in soup.find_all(attrs={"hidden": True}):
        tag.decompose()
    for tag in soup.find_all(attrs={"aria-hidden": "true"}):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ("navigation", "banner", "contentinfo", "search")}):
        tag.decompose()
    root = soup.find("main") or _single(soup.find_all("article")) or soup.body or soup
    lines: list[str] = []
    _HtmlRenderer(lines).render(root)
    text = "\n".join(lines).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text + ("\n" if text else ""), title


def _single(tags: list[Any]) -> Any:
    return tags[0] if len(tags) == 1 else None


def _html_title(soup: Any) -> str:
    for tag in (soup.title, soup.find("h1")):
        if tag is not None:
            text = _text_of(tag)
            if text:
                return text
    return ""


class _HtmlRenderer:
    """Walks the DOM emitting one line per heading, paragraph, list item and table row."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.inline: list[str] = []

    def paragraph_break(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def flush_inline(self) -> None:
        text = _WS.sub(" ", "".join(self.inline)).strip()
        self.inline = []
        if text:
            self.paragraph_break()
            self.lines.append(text)
            self.lines.append("")

    def render(self, node: Tag) -> None:
        from bs4.element import NavigableString, Tag

        for child in node.children:
            if isinstance(child, NavigableString):
                self.inline.append(str(child))
            elif isinstance(child, Tag):
                self.render_tag(child)

    def render_tag(self, tag: Tag) -> None:
        name = tag.name
        if name not in _HTML_BLOCKS:
            self.inline.append(_raw_text(tag))
            return
        self.flush_inline()
        if name in _HTML_HEADINGS:
            self.emit_block(_text_of(tag))
        elif name in ("ul", "ol", "menu"):
            self.render_list(tag, depth=0)
        elif name == "table":
            self.render_table(tag)
        elif name == "pre":
            self.emit_block(tag.get_text().strip("\n"))
        elif name in ("br", "hr"):
            return
        elif name in ("p", "dt", "dd", "figcaption", "caption", "summary", "address", "legend"):
            if tag.find(_HTML_BLOCKS - {"br"}) is None:
                self.emit_block(_text_of(tag))
            else:
                self.render(tag)
                self.flush_inline()
        else:
            self.render(tag)
            self.flush_inline()

    def emit_block(self, text: str) -> None:
        if text.strip():
            self.paragraph_break()
            self.lines.append(text)
            self.lines.append("")

    def render_list(self, tag: Tag, depth: int) -> None:
        self.paragraph_break()
        self.render_items(tag, depth)
        self.lines.append("")

    def render_items(self, tag: Tag, depth: int) -> None:
        for item in tag.find_all("li", recursive=False):
            nested = [sub.extract() for sub in item.find_all(("ul", "ol"), recursive=False)]
            text = _text_of(item)
            if text:
                self.lines.append("  " * depth + "• " + text)
            for sub in nested:
                self.render_items(sub, depth + 1)

    def render_table(self, tag: Tag) -> None:
        self.paragraph_break()
        for row in tag.find_all("tr"):
            if row.find_parent("table") is not tag:
                continue  # nested tables render as part of their cell's text
            cells = [_text_of(cell) for cell in row.find_all(("td", "th"), recursive=False)]
            if any(cells):
                self.lines.append(" | ".join(cells))
        self.lines.append("")


def _text_of(tag: Tag) -> str:
    return _WS.sub(" ", _raw_text(tag)).strip()


def _raw_text(tag: Tag) -> str:
    """Text of a subtree: inline markup joins without spaces ("<b>simple</b>." stays "simple."), line
    breaks and block boundaries become spaces."""
    from bs4.element import NavigableString, Tag

    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and (node.name == "br" or node.name in _HTML_BLOCKS):
            parts.append(" ")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------------


def _load_pdf(data: bytes) -> tuple[str, str]:
    import logging

    from pypdf import PdfReader

    # pypdf logs every recoverable oddity of real-world PDFs; the result is what matters here.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF")
        pages = [(page.extract_text() or "") for page in reader.pages]
        meta_title = ""
        if reader.metadata is not None and reader.metadata.title:
            meta_title = str(reader.metadata.title).strip()
    except LoadError:
        raise
    except Exception as exc:  # PdfReadError, and assorted internal errors pypdf surfaces on damaged files
        raise LoadError(f"corrupt PDF: {_short(exc)}") from exc
    cleaned = [_clean_pdf_page(p) for p in pages]
    text = "\n\n".join(p for p in cleaned if p)
    if not text.strip():
        raise LoadError("no extractable text (scanned PDF?)")
    title = meta_title or _first_short_line(text)
    return text + "\n", title


def _clean_pdf_page(page: str) -> str:
    lines = [line.rstrip() for line in page.replace("\x00", "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _first_short_line(text: str) -> str:
    for line in text.split("\n"):
        s = line.strip()
        if s:
            return s if len(s) <= 120 else ""
    return ""


def _short(exc: BaseException) -> str:
    msg = str(exc).strip() or type(exc).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."


# --------------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------------


def _load_docx(data: bytes) -> tuple[str, str]:
    import zipfile

    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        first_heading = ""
        for element in document.element.body.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                heading = _docx_paragraph(Paragraph(element, document), lines)
                first_heading = first_heading or heading
            elif tag == "tbl":
                _docx_table(Table(element, document), lines)
        title = (document.core_properties.title or "").strip() or first_heading
    except zipfile.BadZipFile as exc:
        raise LoadError("corrupt DOCX: not a zip package") from exc
    except Exception as exc:  # python-docx / lxml raise assorted errors on damaged packages
        raise LoadError(f"corrupt DOCX: {_short(exc)}") from exc
    text = "\n".join(lines).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text + ("\n" if text else ""), title


def _docx_paragraph(paragraph: Any, lines: list[str]) -> str:
    """Appends one paragraph; returns its text if it is a heading."""
    text = _WS.sub(" ", paragraph.text).strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if style.startswith("Heading") or style == "Title":
        _blank(lines)
        lines.extend([text, ""])
        return text
    if "List" in style or num_pr is not None:
        level = 0
        if num_pr is not None and num_pr.ilvl is not None and num_pr.ilvl.val is not None:
            level = int(num_pr.ilvl.val)
        else:
            m = re.search(r"(\d+)$", style)
            level = int(m.group(1)) - 1 if m else 0
        if lines and lines[-1] != "" and not lines[-1].lstrip().startswith("• "):
            lines.append("")
        lines.append("  " * max(level, 0) + "• " + text)
        return ""
    _blank(lines)
    lines.extend([text, ""])
    return ""


def _docx_table(table: Any, lines: list[str]) -> None:
    _blank(lines)
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # merged cells repeat the same underlying cell
            seen.add(id(cell._tc))
            cells.append(_WS.sub(" ", cell.text).strip())
        if any(cells):
            lines.append(" | ".join(cells))
    lines.append("")


def _blank(lines: list[str]) -> None:
    if lines and lines[-1] != "":
        lines.append("")
