"""Loaders: every supported format, bad files, and corpus discovery."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.loaders import LOADERS, SUPPORTED_SUFFIXES, LoadError, discover_files, load_document

CORPUS = Path(__file__).parents[1] / "corpus"


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal, valid PDF with one Helvetica text object per page (pypdf cannot write text itself)."""
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = ""
    if title:
        objects.append(f"<< /Title ({title}) >>".encode())
        info = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def load_error(path: Path, corpus: Path, **kwargs: int) -> str:
    with pytest.raises(LoadError) as info:
        load_document(path, corpus, **kwargs)
    return str(info.value)


# ------------------------------------------------------------------------------------------ txt / md


def test_txt_is_loaded_verbatim_except_crlf_and_bom(tmp_path: Path) -> None:
    raw = "\ufeffRelease Notes\r\n\r\nThe build is faster.\r\n  • Item one\r\n"
    path = write(tmp_path / "notes.txt", raw.encode("utf-8"))
    doc = load_document(path, tmp_path)
    assert doc.text == "Release Notes\n\nThe build is faster.\n  • Item one\n"
    assert doc.title == "Release Notes"
    assert doc.source == "notes.txt"


def test_txt_title_falls_back_to_humanised_stem_when_first_line_is_prose(tmp_path: Path) -> None:
    long_line = "This opening paragraph is long enough to be prose rather than a title of any kind. " * 2
    path = write(tmp_path / "sub" / "my_file-name.txt", long_line + "\n")
    doc = load_document(path, tmp_path)
    assert doc.title == "My file name"
    assert doc.source == "sub/my_file-name.txt"


def test_txt_title_skips_leading_navigation_boilerplate(tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", "Back to Blog\n\nShipping Policy\n\nWe ship worldwide within days.\n")
    assert load_document(path, tmp_path).title == "Shipping Policy"


def test_markdown_title_from_hash_heading_and_text_kept_verbatim(tmp_path: Path) -> None:
    raw = "# Setup Guide #\n\nInstall the tool.\n\n- step one\n- step two\n"
    path = write(tmp_path / "guide.md", raw)
    doc = load_document(path, tmp_path)
    assert doc.text == raw
    assert doc.title == "Setup Guide"


def test_markdown_front_matter_title_wins(tmp_path: Path) -> None:
    raw = '---\ntitle: "Deploying Safely"\ntags: ops\n---\n\n# Intro\n\nText here.\n'
    path = write(tmp_path / "deploy.markdown", raw)
    assert load_document(path, tmp_path).title == "Deploying Safely"


def test_cp1252_fallback_only_without_control_bytes(tmp_path: Path) -> None:
    legacy = write(tmp_path / "legacy.txt", "Café menu “today”\n".encode("cp1252"))
    assert load_document(legacy, tmp_path).text == "Café menu “today”\n"
    garbled = write(tmp_path / "garbled.txt", b"abc \xe9\x01\x02 def\n")
    assert load_error(garbled, tmp_path) == "cannot decode as UTF-8"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = write(tmp_path / "wide.txt", "Heading\n\nBody text.\n".encode("utf-16"))
    assert load_document(path, tmp_path).text == "Heading\n\nBody text.\n"


# ------------------------------------------------------------------------------------------ html

HTML = """<!doctype html><html><head><title>Pricing Guide</title>
<style>.x { color: red }</style><script>var leaked = "SCRIPT_TEXT";</script></head>
<body><nav><a href="/">Home</a> NAV_TEXT</nav><header>SITE_HEADER_TEXT</header>
<main><h1>Pricing Guide</h1>
<p>Our plans are <b>simple</b>.<br>Pick the one that fits your team.</p>
<h2>Plans</h2>
<ul><li>Starter for small teams</li><li>Business for growing teams<ul><li>Nested detail</li></ul></li></ul>
<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Starter</td><td>$10</td></tr></table>
<!-- COMMENT_TEXT --><aside>ASIDE_TEXT</aside><form>FORM_TEXT<input></form><noscript>NOSCRIPT_TEXT</noscript>
</main><footer>FOOTER_TEXT</footer></body></html>"""


def test_html_keeps_main_text_and_drops_chrome(tmp_path: Path) -> None:
    path = write(tmp_path / "pricing.html", HTML)
    doc = load_document(path, tmp_path)
    for junk in (
        "SCRIPT_TEXT",
        "NAV_TEXT",
        "SITE_HEADER_TEXT",
        "COMMENT_TEXT",
        "ASIDE_TEXT",
        "FORM_TEXT",
        "NOSCRIPT_TEXT",
        "FOOTER_TEXT",
        "color: red",
    ):
        assert junk not in doc.text
    assert "Our plans are simple. Pick the one that fits your team." in doc.text
    assert "\n\nPlans\n\n" in doc.text
    assert "• Starter for small teams\n• Business for growing teams\n  • Nested detail" in doc.text
    assert "Plan | Price\nStarter | $10" in doc.text
    assert doc.title == "Pricing Guide"


def test_html_extraction_is_deterministic(tmp_path: Path) -> None:
    path = write(tmp_path / "a.htm", HTML)
    assert load_document(path, tmp_path) == load_document(path, tmp_path)


def test_html_without_text_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path / "empty.html", "<html><head><script>x()</script></head><body><nav>menu</nav></body>"
    )
    assert load_error(path, tmp_path) == "no text"


# ------------------------------------------------------------------------------------------ pdf


def test_pdf_pages_are_joined_with_blank_lines(tmp_path: Path) -> None:
    data = make_pdf(
        [["Quarterly Report", "Revenue grew by ten percent."], ["Costs stayed flat."]], title="Q3"
    )
    path = write(tmp_path / "report.pdf", data)
    doc = load_document(path, tmp_path)
    assert "Quarterly Report\nRevenue grew by ten percent." in doc.text
    assert "ten percent.\n\nCosts stayed flat." in doc.text
    assert doc.title == "Q3"
    assert load_document(path, tmp_path) == doc


def test_pdf_title_falls_back_to_first_line(tmp_path: Path) -> None:
    path = write(tmp_path / "memo.pdf", make_pdf([["Team Memo", "All hands on Friday."]]))
    assert load_document(path, tmp_path).title == "Team Memo"


def test_pdf_without_text_and_corrupt_pdf(tmp_path: Path) -> None:
    scanned = write(tmp_path / "scan.pdf", make_pdf([[]]))
    assert load_error(scanned, tmp_path) == "no extractable text (scanned PDF?)"
    broken = write(tmp_path / "broken.pdf", b"%PDF-1.4\nthis is not a pdf body\n")
    assert load_error(broken, tmp_path).startswith("corrupt PDF")


# ------------------------------------------------------------------------------------------ docx


def test_docx_headings_lists_and_tables(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Onboarding Handbook", level=1)
    document.add_paragraph("Welcome to the team. This guide explains the first week.")
    document.add_heading("First Week", level=2)
    document.add_paragraph("Set up your laptop", style="List Bullet")
    document.add_paragraph("Read the wiki", style="List Bullet 2")
    table = document.add_table(rows=2, cols=2)
    for r, (a, b) in enumerate([("Day", "Task"), ("Monday", "Setup")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    path = tmp_path / "handbook.docx"
    document.save(path)
    doc = load_document(path, tmp_path)
    assert doc.text.startswith("Onboarding Handbook\n\nWelcome to the team.")
    assert "\n\nFirst Week\n\n• Set up your laptop\n  • Read the wiki\n" in doc.text
    assert "Day | Task\nMonday | Setup" in doc.text
    assert doc.title == "Onboarding Handbook"
    assert load_document(path, tmp_path) == doc


def test_docx_core_title_and_corrupt_docx(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = "Official Title"
    document.add_paragraph("Body text only.")
    path = tmp_path / "t.docx"
    document.save(path)
    assert load_document(path, tmp_path).title == "Official Title"
    broken = write(tmp_path / "broken.docx", b"PK\x03\x04 truncated zip")
    assert load_error(broken, tmp_path).startswith("corrupt DOCX")


# ------------------------------------------------------------------------------------------ bad files


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    assert load_error(write(tmp_path / "empty.txt", b""), tmp_path) == "empty file"
    assert load_error(write(tmp_path / "blank.md", b" \n\t\n"), tmp_path) == "empty file"


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert load_error(path, tmp_path) == "binary file (not text)"


def test_unsupported_suffix(tmp_path: Path) -> None:
    assert load_error(write(tmp_path / "data.xyz", "hello"), tmp_path) == "unsupported file type .xyz"
    assert load_error(write(tmp_path / "README", "hello"), tmp_path) == "unsupported file type (no extension)"


def test_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 5000)
    reason = load_error(path, tmp_path, max_bytes=1000)
    assert reason.startswith("file too large (5 KB > 1 KB")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read chmod 000 files")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", "hidden words")
    path.chmod(0)
    try:
        assert load_error(path, tmp_path) == "permission denied"
    finally:
        path.chmod(0o644)


def test_permission_error_is_reported_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", "hidden words")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("ingest.loaders.open", deny, raising=False)
    assert load_error(path, tmp_path) == "permission denied"


# ------------------------------------------------------------------------------------------ discovery


def test_discover_sorted_recursive_skips_hidden_and_reports_unsupported(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "a" / "z.md", "z")
    write(tmp_path / "a" / "y.PDF", b"%PDF")
    write(tmp_path / ".hidden.txt", "h")
    write(tmp_path / ".git" / "config.txt", "g")
    write(tmp_path / "notes.xyz", "n")
    files, skipped = discover_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["a/y.PDF", "a/z.md", "b.txt"]
    assert all(p.is_relative_to(tmp_path) for p in files)
    assert skipped == [("notes.xyz", "unsupported file type .xyz")]


def test_discover_symlinks(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "real.txt", "real")
    write(tmp_path / "outside.txt", "outside")
    (corpus / "alias.txt").symlink_to(corpus / "real.txt")
    (corpus / "dangling.txt").symlink_to(corpus / "missing.txt")
    (corpus / "escape.txt").symlink_to(tmp_path / "outside.txt")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "self.txt").symlink_to(corpus / "self.txt")
    files, skipped = discover_files(corpus)
    assert [p.name for p in files] == ["alias.txt", "real.txt"]
    reasons = dict(skipped)
    assert reasons["dangling.txt"] == "broken symlink"
    assert reasons["escape.txt"] == "symlink points outside the corpus"
    assert reasons["sub/loop"] == "symlinked directory (not followed)"
    assert reasons["self.txt"] == "symlink loop"
    assert load_document(corpus / "alias.txt", corpus).source == "alias.txt"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can list chmod 000 folders")
def test_discover_unreadable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write(locked / "x.txt", "x")
    locked.chmod(0)
    try:
        _, skipped = discover_files(tmp_path)
        assert ("locked/", "permission denied") in skipped
    finally:
        locked.chmod(0o755)


def test_discover_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        discover_files(tmp_path / "nope")


# ------------------------------------------------------------------------------------------ corpus


def test_corpus_loads_verbatim() -> None:
    files, skipped = discover_files(CORPUS)
    assert skipped == []
    assert len(files) >= 5
    assert {p.suffix for p in files} <= SUPPORTED_SUFFIXES
    for path in files:
        doc = load_document(path, CORPUS)
        assert doc.text == path.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert doc.source == path.name
        assert doc.title


def test_corpus_titles() -> None:
    title = {p.name: load_document(p, CORPUS).title for p in discover_files(CORPUS)[0]}
    assert title["head-of-product-glossary.txt"] == "Head of Product"  # first line is "Back to Glossary"
    assert title["director-vs-head-of-product.txt"].startswith("Director of Product Management vs Head of")
    # No heading first: the file name, humanised.
    assert title["director-of-product-and-head-of-product-roles.txt"] == (
        "Director of product and head of product roles"
    )


# ------------------------------------------------------------------------------------------ registry


def test_registry_dispatches_by_lower_case_suffix(tmp_path: Path) -> None:
    assert set(LOADERS) == SUPPORTED_SUFFIXES
    assert all(s.startswith(".") and s == s.lower() for s in SUPPORTED_SUFFIXES)
    path = write(tmp_path / "Notes.MD", "# Title\n\nBody.\n")
    document = load_document(path, tmp_path)
    assert (document.source, document.title, document.text) == ("Notes.MD", "Title", "# Title\n\nBody.\n")
