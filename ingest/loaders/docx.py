"""DOCX: paragraphs, headings, list items and tables in body order, rendered like scraped text."""

from __future__ import annotations

import io
import re
from typing import Any

from ingest.loaders.base import WS, LoadError, blank, join_lines, short

SUFFIXES = (".docx",)


def load(data: bytes) -> tuple[str, str]:
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
        raise LoadError(f"corrupt DOCX: {short(exc)}") from exc
    return join_lines(lines), title


def _docx_paragraph(paragraph: Any, lines: list[str]) -> str:
    """Appends one paragraph; returns its text if it is a heading."""
    text = WS.sub(" ", paragraph.text).strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if style.startswith("Heading") or style == "Title":
        blank(lines)
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
    blank(lines)
    lines.extend([text, ""])
    return ""


def _docx_table(table: Any, lines: list[str]) -> None:
    blank(lines)
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # merged cells repeat the same underlying cell
            seen.add(id(cell._tc))
            cells.append(WS.sub(" ", cell.text).strip())
        if any(cells):
            lines.append(" | ".join(cells))
    lines.append("")
