"""Server-side HTML for answers and source documents. Every piece of document or user text goes through
html.escape here; the only markup is our own."""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import quote

from rag.models import Answer, Citation


def source_href(citation: Citation | dict[str, Any], prefix: str = "") -> str:
    """Link to the cited passage; #hit lets the browser scroll to it even without script."""
    c = citation if isinstance(citation, Citation) else Citation.model_validate(citation)
    return f"{prefix}sources/{quote(c.source, safe='/')}?start={c.start}&end={c.end}#hit"


def one_line(text: str) -> str:
    """Escaped, on one line: a blank line would end the HTML block and let Markdown parse document text."""
    return escape(" ".join(text.split()))


_MARKER = re.compile(r"\[(\d+)\]")


def cited_line(line: str, citations: dict[int, Citation], prefix: str) -> str:
    """One escaped line with each [n] of a cited source as a link to it (the page opens it in a panel)."""
    parts, last = [], 0
    for marker in _MARKER.finditer(line):
        cited = citations.get(int(marker.group(1)))
        if cited is None:
            continue  # a stray [n] with no source stays text
        parts.append(escape(line[last : marker.start()]))
        parts.append(
            f'<a class="dc-ref" href="{escape(source_href(cited, prefix))}" '
            f'title="{escape(cited.title or cited.source)}">[{cited.n}]</a>'
        )
        last = marker.end()
    parts.append(escape(line[last:]))
    return "".join(parts)


def multiline(text: str, citations: list[Citation] | None = None, prefix: str = "") -> str:
    """Escaped lines joined by <br>, each [n] of a given citation linked to its source."""
    by_n = {c.n: c for c in citations or []}
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return "<br>".join(cited_line(line, by_n, prefix) for line in lines) or one_line(text)


def answer_markdown(answer: Answer) -> str:
    """What the page's copy button puts on the clipboard: plain text, no markup, readable as Markdown.

    The answer with its [n] markers, then the numbered sources, each quote as a block quote. Document
    text is verbatim: this is never rendered by the page, only copied."""
    lead = "Not in the documents. " if answer.refused else ""
    blocks = [lead + answer.answer.strip()]
    if answer.notice:
        blocks.append(f"Note: {answer.notice.strip()}")
    if answer.citations:
        sources = ["Sources:"]
        for c in answer.citations:
            where = f" › {' '.join(c.section.split())}" if c.section else ""
            sources.append(f"{c.n}. {' '.join((c.title or c.source).split())}{where} ({c.source})")
            sources += [f"   > {' '.join(line.split())}" for line in c.quote.splitlines() if line.strip()]
        blocks.append("\n".join(sources))
    return "\n\n".join(blocks)


def attribute(text: str) -> str:
    """An escaped attribute value on one line: a raw newline could end the Markdown HTML block."""
    return escape(text, quote=True).replace("\r", "").replace("\n", "&#10;")


def copy_text_html(answer: Answer) -> str:
    """The plain-text copy, carried in the bubble for the page script (ui/static/chat.js) to copy."""
    return f'<input type="hidden" class="dc-copy-text" value="{attribute(answer_markdown(answer))}">'


def sources_html(citations: list[Citation], prefix: str = "") -> str:
    items = []
    for c in citations:
        where = f'<span class="dc-section"> › {one_line(c.section)}</span>' if c.section else ""
        items.append(
            f'<li><a class="dc-source" href="{escape(source_href(c, prefix))}" '
            'target="_blank" rel="noopener">'
            f"[{c.n}] {one_line(c.title or c.source)}</a>{where}"
            f'<blockquote class="dc-quote">{one_line(c.quote)}</blockquote></li>'
        )
    return (
        f'<details class="dc-sources"><summary>Sources ({len(citations)})</summary>'
        f'<ol class="dc-source-list">{"".join(items)}</ol></details>'
    )


def answer_html(answer: Answer, prefix: str = "") -> str:
    """One chat bubble: the answer with its [n] markers linked to the sources, then a Sources block,
    closed so answers stay short, and the bubble's plain-text copy (see answer_markdown).

    Kept on a single line so Gradio's Markdown treats it as one raw HTML block and never interprets
    Markdown (links, emphasis) that happens to be inside a document's text.
    """
    parts = []
    if answer.refused:
        parts.append(
            '<p class="dc-refused"><strong>Not in the documents.</strong> '
            + multiline(answer.answer)
            + "</p>"
        )
    else:
        parts.append(f'<p class="dc-text">{multiline(answer.answer, answer.citations, prefix)}</p>')
    if answer.notice:
        parts.append(f'<p class="dc-notice">Note: {one_line(answer.notice)}</p>')
    if answer.citations:
        parts.append(sources_html(answer.citations, prefix))
    parts.append(copy_text_html(answer))
    return f'<div class="dc-answer">{"".join(parts)}</div>'


def pending_html(text: str) -> str:
    """A streaming answer so far."""
    return f'<div class="dc-answer"><p class="dc-text">{multiline(text) or "…"}</p></div>'


def error_html(message: str) -> str:
    return f'<div class="dc-answer"><p class="dc-error">{one_line(message)}</p></div>'


def source_page(title: str, source: str, text: str, start: int | None, end: int | None, prefix: str) -> str:
    """The document as escaped text, with the cited span in <mark id="hit">."""
    highlighted = start is not None and end is not None and 0 <= start < end <= len(text)
    if highlighted:
        body = f'{escape(text[:start])}<mark id="hit">{escape(text[start:end])}</mark>{escape(text[end:])}'
        where = f'Cited passage: characters {start}–{end} · <a href="#hit">jump to passage</a>'
    else:
        body = escape(text)
        where = "Whole document"
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · docchat</title>"
        f'<link rel="stylesheet" href="{prefix}_docchat/sources.css">'
        f'<script src="{prefix}_docchat/sources.js" defer></script>'
        "</head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="meta"><code>{escape(source)}</code> · {where}</p></header>'
        f'<main><pre class="doc">{body}</pre></main>'
        "</body></html>\n"
    )


def not_found_page(prefix: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8"><title>Not found · docchat</title>'
        f'<link rel="stylesheet" href="{prefix}_docchat/sources.css"></head>'
        "<body><header><h1>Document not found</h1>"
        "<p class=meta>That file is not a document of this docchat's corpus.</p></header></body></html>\n"
    )


def _notice_page(title: str, message: str, prefix: str) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} · docchat</title>'
        f'<link rel="stylesheet" href="{prefix}_docchat/sources.css"></head>'
        f"<body><header><h1>{escape(title)}</h1><p class=meta>{message}</p></header></body></html>\n"
    )


def login_needed_page(prefix: str) -> str:
    return _notice_page(
        "Access token needed",
        f'This docchat\'s documents need its access token: <a href="{prefix}">sign in on the chat page</a> '
        "(any user name, the token as password), then open the link again.",
        prefix,
    )


def too_many_failures_page(prefix: str) -> str:
    return _notice_page(
        "Too many attempts", "Too many requests without a valid access token; try again in a minute.", prefix
    )


# --- the admin page ---------------------------------------------------------------------------------------


def _admin_shell(title: str, body: str, head: str = "", prefix: str = "") -> str:
    # Paths are relative to /admin (`prefix` from deeper pages), so it also works behind a path-prefix proxy.
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · docchat</title>{head}"
        f'<link rel="stylesheet" href="{prefix}_docchat/sources.css">'
        f'<link rel="stylesheet" href="{prefix}_docchat/admin.css">'
        f"</head><body>{body}</body></html>\n"
    )


def admin_off_page() -> str:
    return _admin_shell(
        "Admin page off",
        "<header><h1>The admin page is off</h1>"
        "<p class=meta>To manage the documents here, set <code>DOCCHAT_ADMIN_TOKEN</code> (at least 16 "
        "characters, not the chat's <code>DOCCHAT_API_TOKEN</code>) in docchat's environment or "
        "<code>.env</code> and restart <code>docchat serve</code>. Then sign in here with that token.</p>"
        "</header>",
    )


def admin_login_page(error: str | None = None, prefix: str = "") -> str:
    problem = f'<p class="admin-error" role="alert">{escape(error)}</p>' if error else ""
    return _admin_shell(
        "Admin sign-in",
        "<header><h1>docchat admin</h1><p class=meta>Sign in with the admin token "
        "(<code>DOCCHAT_ADMIN_TOKEN</code>).</p></header>"
        f'<main class="admin"><form class="admin-card admin-login" method="post" action="{prefix}admin">'
        f'{problem}<label for="admin-token">Admin token</label>'
        '<input id="admin-token" name="token" type="password" autocomplete="current-password" required autofocus>'
        '<button type="submit">Sign in</button></form></main>',
        prefix=prefix,
    )


def admin_page(*, csrf: str, corpus_dir: str, suffixes: list[str], max_upload_bytes: int) -> str:
    accept = ",".join(suffixes)
    kinds = ", ".join(s.lstrip(".") for s in suffixes)
    megabytes = f"{max_upload_bytes / 1_000_000:g} MB"
    return _admin_shell(
        "Admin",
        '<header class="admin-head"><div><h1>docchat admin</h1>'
        f'<p class=meta>Documents in <code>{escape(corpus_dir)}</code></p></div>'
        '<form method="post" action="admin/logout">'
        f'<input type="hidden" name="csrf" value="{escape(csrf, quote=True)}">'
        '<button type="submit" class="secondary">Sign out</button></form></header>'
        '<main class="admin">'
        '<section class="admin-card" aria-labelledby="index-title"><h2 id="index-title">Index</h2>'
        '<p id="pending-note" class="admin-note" hidden>Some changes are not in the index yet: '
        "re-index to make them searchable.</p>"
        '<div class="admin-row"><button id="reindex-button" type="button">Re-index now</button>'
        '<progress id="reindex-progress" max="1" value="0" hidden></progress></div>'
        '<p id="reindex-status" role="status" aria-live="polite"></p></section>'
        '<section class="admin-card" aria-labelledby="upload-title"><h2 id="upload-title">Add a document</h2>'
        '<form id="upload-form" class="admin-row">'
        f'<input id="upload-file" name="file" type="file" accept="{escape(accept, quote=True)}" required>'
        '<label class="admin-check"><input id="upload-replace" name="replace" type="checkbox"> '
        "Replace a document of the same name</label>"
        '<button type="submit">Upload</button></form>'
        f'<p class="meta">{escape(kinds)} · at most {escape(megabytes)}</p>'
        '<p id="upload-status" role="status" aria-live="polite"></p></section>'
        '<section class="admin-card" aria-labelledby="documents-title">'
        '<h2 id="documents-title">Documents <span id="document-count" class="meta"></span></h2>'
        '<table id="documents"><thead><tr><th scope="col">Name</th><th scope="col" class="number">Chunks</th>'
        '<th scope="col" class="number">Size</th><th scope="col">Last indexed</th><th scope="col">State</th>'
        '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody></tbody></table>'
        '<p id="documents-status" role="status" aria-live="polite"></p>'
        "<noscript><p>This page needs JavaScript.</p></noscript></section></main>",
        head=f'<meta name="docchat-csrf" content="{escape(csrf, quote=True)}">'
        '<script src="_docchat/admin.js" defer></script>',
    )
