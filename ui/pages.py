"""Pages docchat serves itself: /widget, /embed.js, /embed-check.js and /sources/<file> (the chat page is Gradio)."""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response

from ingest.documents import corpus_file
from rag.store import is_store_error
from ui.context import WebContext, client_key, context_of, log_unexpected
from ui.render import login_needed_page, not_found_page, source_page, too_many_failures_page
from ui.security import retry_after

STATIC_DIR = Path(__file__).with_name("static")
# The widget and source pages are ours end to end, so they get a strict policy: our own scripts and
# styles only, no inline script, no other hosts.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
)

router = APIRouter(include_in_schema=False)


def page_headers(ctx: WebContext) -> dict[str, str]:
    return {"Content-Security-Policy": PAGE_CSP.format(ancestors=ctx.origins.frame_ancestors)}


@lru_cache(maxsize=4)
def static_text(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


@router.get("/widget", response_class=HTMLResponse)
def widget(request: Request) -> HTMLResponse:
    ctx = context_of(request)
    html = (
        static_text("widget.html")
        .replace("{{MAX_QUESTION_CHARS}}", str(ctx.settings.max_question_chars))
        .replace("{{MAX_HISTORY_MESSAGES}}", str(ctx.settings.max_history_messages))
        .replace("{{EXAMPLES}}", escape(json.dumps(ctx.examples[:3]), quote=True))
    )
    return HTMLResponse(html, headers=page_headers(ctx) | {"Cache-Control": "no-cache"})


@router.get("/embed.js")
def embed_js() -> FileResponse:
    # Loaded by pages of other origins: allow that explicitly for hosts that set COEP/CORP.
    return FileResponse(
        STATIC_DIR / "embed.js",
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"},
    )


@router.get("/embed-check.js")
def embed_check(request: Request) -> Response:
    """A one-line module embed.js imports before it shows anything: may the importing page frame the widget?

    Decided from the Origin header, which the browser sets on this (CORS-mode) module request and page
    scripts cannot change, so a page of a disallowed origin cannot make the launcher appear (and if it
    rewrote embed.js, frame-ancestors would still keep the widget out). It tells a page only about its own
    origin, never the list. No Origin, or Sec-Fetch-Site: same-origin, is docchat's own origin: browsers
    always send Origin with a cross-origin module request."""
    ctx = context_of(request)
    origin = request.headers.get("origin")
    if request.headers.get("sec-fetch-site") == "same-origin" or origin == f"{request.url.scheme}://{request.url.netloc}":
        origin = None
    allowed = ctx.origins.allows_framing_by(origin)
    return Response(
        f"export const allowed = {'true' if allowed else 'false'};\n",
        media_type="text/javascript; charset=utf-8",
        headers={
            "Access-Control-Allow-Origin": "*",  # the answer must reach a disallowed page too, to stay hidden
            "Cache-Control": "no-store",
            "Vary": "Origin, Sec-Fetch-Site",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/sources/{path:path}", response_class=HTMLResponse)
async def source(request: Request, path: str, start: str | None = None, end: str | None = None) -> Response:
    """A corpus document, escaped, with [start:end] in <mark id="hit">. Anything else is a 404."""
    ctx = context_of(request)
    prefix = "../" * (path.count("/") + 1)  # relative links keep working behind a path-prefix proxy
    refused = check_reader(ctx, request, prefix)
    if refused is not None:
        return refused
    try:
        document = await run_in_threadpool(ctx_document, ctx, path)
    except Exception as exc:  # noqa: BLE001
        log_unexpected(exc, "source page", path=path)
        status = 503 if is_store_error(exc) else 500
        return HTMLResponse(not_found_page(prefix), status_code=status, headers=page_headers(ctx))
    if document is None:
        return HTMLResponse(not_found_page(prefix), status_code=404, headers=page_headers(ctx))
    source_name, title, text = document
    html = source_page(title, source_name, text, as_offset(start), as_offset(end), prefix)
    return HTMLResponse(html, headers=page_headers(ctx))


def check_reader(ctx: WebContext, request: Request, prefix: str) -> Response | None:
    """None when the document may be shown; else the 401 (or 429 for a client that keeps failing).

    Failures are counted like failed logins, so /sources cannot be used to guess the token either."""
    client = client_key(request)
    wait = ctx.auth_limiter.blocked(client)
    if wait is not None:
        headers = page_headers(ctx) | {"Retry-After": retry_after(wait)}
        return HTMLResponse(too_many_failures_page(prefix), status_code=429, headers=headers)
    if ctx.may_read(request):
        return None
    if request.headers.get("authorization") or any(k.startswith("access-token") for k in request.cookies):
        ctx.auth_limiter.record(client)  # a wrong credential is a guess; a plain link without one is not
    headers = page_headers(ctx) | {"WWW-Authenticate": "Bearer"}
    return HTMLResponse(login_needed_page(prefix), status_code=401, headers=headers)


def as_offset(value: str | None) -> int | None:
    # isascii: str.isdigit also accepts "²", which int() refuses
    return int(value) if value is not None and value.isascii() and value.isdigit() and len(value) < 12 else None


def corpus_path(corpus_dir: Path, requested: str) -> Path | None:
    """The file `requested` names inside the corpus, or None for anything that is not plainly one."""
    return corpus_file(corpus_dir, requested)


def ctx_document(ctx: WebContext, requested: str) -> tuple[str, str, str] | None:
    root = ctx.docchat.settings.corpus_dir.resolve()
    path = corpus_path(root, requested)
    if path is None:
        return None
    source_name = path.relative_to(root).as_posix()
    # Only documents that are in the index: a file that ingest skipped or never saw is not served.
    if not ctx.docchat.has_source(source_name):
        return None
    return ctx.documents.get(path, root, int(ctx.docchat.settings.max_file_mb * 1_000_000))
