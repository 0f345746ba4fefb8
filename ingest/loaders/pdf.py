"""PDF: the text layer of each page, pages blank-line separated; scanned PDFs without one are refused."""

from __future__ import annotations

import io

from ingest.loaders.base import LoadError, short

SUFFIXES = (".pdf",)


def load(data: bytes) -> tuple[str, str]:
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
        raise LoadError(f"corrupt PDF: {short(exc)}") from exc
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
