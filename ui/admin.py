"""Admin: the /admin page and the /api/admin routes (documents, upload, remove, re-index).

Who may use them:
- the admin key the server publishes in `<data_dir>/server.json` (readable by its user only), which
  `docchat ingest` on the server's machine sends as a bearer token;
- DOCCHAT_ADMIN_TOKEN, as a bearer token or through the login form at /admin, which sets an HttpOnly,
  SameSite=Strict cookie holding a random session id (never the token). Changes asked for with that cookie
  must also carry the session's CSRF token in a header and, when the browser names one, our own Origin.
DOCCHAT_API_TOKEN never opens them: every user of a token-protected chat knows it. Without an admin token
the page says it is off and the document routes answer 403; failed attempts are throttled like failed
logins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile
from starlette.types import Message

from ingest.documents import DocumentError, add_document, remove_document, supported_suffixes
from ingest.service import list_indexed_documents
from ui.context import ApiError, WebContext, client_key, context_of
from ui.render import admin_login_page, admin_off_page, admin_page, too_many_failures_page
from ui.schemas import DocumentEntry, DocumentList, ReindexRequest, ReindexStatus, RemoveResult, UploadResult
from ui.security import AdminSession, retry_after, secret_matches

ADMIN_COOKIE = "docchat_admin"
CSRF_HEADER = "X-DocChat-CSRF"
UPLOAD_PATH = "/api/admin/documents"
# Room for the multipart framing around the file itself.
MULTIPART_SLACK_BYTES = 64 * 1024
ADMIN_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_STATUS_OF_KIND = {"invalid": 422, "unsupported": 415, "exists": 409, "missing": 404, "conflict": 409}

_bearer = HTTPBearer(
    auto_error=False, description="DOCCHAT_ADMIN_TOKEN, or the admin key from <data_dir>/server.json."
)
Caller = Literal["key", "token", "session"]


# --- who is asking -------------------------------------------------------------------------------------


def admin_guard(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    """The kind of admin credential the request carries, or the refusal as an ApiError."""
    ctx = context_of(request)
    client = client_key(request)
    # Only failed checks count (like failed logins): the page and `docchat ingest` poll while a run goes on.
    wait = ctx.auth_limiter.blocked(client)
    if wait is not None:
        raise ApiError(429, "too many failed admin attempts; wait a minute", {"Retry-After": retry_after(wait)})
    token = admin_token(ctx)
    if not ctx.admin_key and token is None:
        raise ApiError(403, "the admin routes are off: this server has no admin key (it publishes one when "
                       "started with `docchat serve`) and no DOCCHAT_ADMIN_TOKEN is set")
    scheme, _sep, supplied = (request.headers.get("authorization") or "").partition(" ")
    if scheme:
        supplied = supplied.strip()
        if scheme.lower() == "bearer" and ctx.admin_key and secret_matches(supplied, ctx.admin_key):
            return "key"
        if scheme.lower() == "bearer" and token is not None and secret_matches(supplied, token):
            return "token"
        ctx.auth_limiter.record(client)
        raise ApiError(401, "invalid admin credential", {"WWW-Authenticate": "Bearer"})
    cookie = request.cookies.get(ADMIN_COOKIE)
    session = ctx.admin_sessions.get(cookie) if token is not None else None
    if session is not None:
        if request.method not in _SAFE_METHODS:
            check_from_the_page(request, session)
        return "session"
    if cookie:
        ctx.auth_limiter.record(client)  # an unknown session id is a guess; no credential at all is not
    raise ApiError(401, "sign in at /admin, or send the admin token as a bearer token",
                   {"WWW-Authenticate": "Bearer"})


def page_enabled(request: Request) -> None:
    """The document routes exist only for the admin page, which needs DOCCHAT_ADMIN_TOKEN."""
    if admin_token(context_of(request)) is None:
        raise ApiError(403, "the admin page is off: set DOCCHAT_ADMIN_TOKEN and restart docchat to turn it on")


def check_from_the_page(request: Request, session: AdminSession) -> None:
    """A change asked for with the session cookie must come from the admin page itself: a cross-site form
    cannot set the header, and a cross-site script cannot read the token (nor pass CORS with the header)."""
    if not same_origin(request):
        raise ApiError(403, "this request comes from another site; use the admin page")
    supplied = request.headers.get(CSRF_HEADER) or ""
    if not secret_matches(supplied, session.csrf):
        raise ApiError(403, f"missing or wrong {CSRF_HEADER} header; reload the admin page")


def same_origin(request: Request) -> bool:
    """True unless the browser names an Origin on another host than the one it is talking to. Host names
    only: a proxy may pass on `Host` without the port (nginx's $host); the CSRF header is checked as well."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = urlparse("//" + (request.headers.get("host") or "")).hostname
    return host is not None and urlparse(origin).hostname == host


def admin_token(ctx: WebContext) -> str | None:
    token = ctx.settings.admin_token
    return token.get_secret_value() if token is not None else None


def upload_limit(ctx: WebContext) -> int:
    # A file larger than ingest takes would be stored and then skipped: refuse it at the door instead.
    return min(ctx.settings.admin_max_upload_bytes, int(ctx.docchat.settings.max_file_mb * 1_000_000))


# --- re-index (the CLI and the page) -------------------------------------------------------------------

router = APIRouter(dependencies=[Depends(admin_guard)], tags=["admin"])


@router.post("/api/admin/reindex", response_model=ReindexStatus, status_code=202)
def start_reindex(request: Request, body: ReindexRequest | None = None) -> ReindexStatus:
    """Bring the index up to date with the corpus folder, in the background; questions keep being answered.
    A request while a run is going queues one more run after it. Poll GET for progress and the outcome."""
    ctx = context_of(request)
    if ctx.reindexer is None:
        raise ApiError(409, "this server does not own its store, so it cannot re-index")
    target = ctx.reindexer.start(rebuild=bool(body and body.rebuild))
    return reindex_status(ctx).model_copy(update={"wait_for_run": target})


@router.get("/api/admin/reindex", response_model=ReindexStatus)
def get_reindex(request: Request) -> ReindexStatus:
    """The latest re-index run: running (with its progress), done (with its report) or failed (with why)."""
    return reindex_status(context_of(request))


def reindex_status(ctx: WebContext) -> ReindexStatus:
    corpus = str(ctx.docchat.settings.corpus_dir.resolve())
    run = ctx.reindexer.status() if ctx.reindexer else None
    if run is None:
        return ReindexStatus(run=0, state="idle", corpus_dir=corpus)
    return ReindexStatus(**run.to_dict(), corpus_dir=corpus)


# --- documents (the page) ------------------------------------------------------------------------------

documents_router = APIRouter(dependencies=[Depends(page_enabled), Depends(admin_guard)], tags=["admin"])


@documents_router.get("/api/admin/documents", response_model=DocumentList)
def list_documents(request: Request) -> DocumentList:
    """The corpus folder's documents and the index's: chunks, size, when indexed, and whether current."""
    ctx = context_of(request)
    entries = [DocumentEntry(**d.to_dict()) for d in list_indexed_documents(ctx.docchat)]
    return DocumentList(
        corpus_dir=str(ctx.docchat.settings.corpus_dir.resolve()),
        documents=entries,
        reindex_needed=any(e.state != "indexed" for e in entries),
        supported_suffixes=supported_suffixes(),
        max_upload_bytes=upload_limit(ctx),
    )


@documents_router.post(
    UPLOAD_PATH,
    response_model=UploadResult,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "replace": {"type": "boolean", "description": "Overwrite a document of that name."},
                        },
                    }
                }
            },
        }
    },
)
async def upload_document(request: Request) -> UploadResult:
    """Add a document to the corpus folder (multipart field `file`; `replace=true` to overwrite one of the
    same name). The name is made safe; the file is written whole or not at all. Re-index to search it."""
    ctx = context_of(request)
    limit = upload_limit(ctx)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_SLACK_BYTES:
        raise too_large(limit)
    # The body is read only now, after the credential check, and never past the limit.
    capped = Request(request.scope, receive=capped_receive(request.receive, limit + MULTIPART_SLACK_BYTES))
    try:
        form = await capped.form(max_files=1, max_fields=4)
    except BodyTooLarge as exc:
        raise too_large(limit) from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "send the document as a multipart/form-data field named 'file'")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise too_large(limit)
        replace = str(form.get("replace") or "").lower() in ("1", "true", "on", "yes")
        try:
            stored, replaced = await run_in_threadpool(
                add_document, ctx.docchat.settings.corpus_dir, upload.filename or "", data, replace=replace
            )
        except DocumentError as exc:
            raise ApiError(_STATUS_OF_KIND[exc.kind], str(exc)) from exc
    finally:
        await form.close()
    return UploadResult(source=stored, size_bytes=len(data), replaced=replaced)


@documents_router.delete("/api/admin/documents/{source:path}", response_model=RemoveResult)
def delete_document(request: Request, source: str) -> RemoveResult:
    """Remove a document from the corpus folder; its chunks leave the index at the next re-index."""
    try:
        remove_document(context_of(request).docchat.settings.corpus_dir, source)
    except DocumentError as exc:
        raise ApiError(_STATUS_OF_KIND[exc.kind], str(exc)) from exc
    return RemoveResult(source=source)


class BodyTooLarge(Exception):
    pass


def capped_receive(receive: Callable[[], Any], max_bytes: int) -> Callable[[], Any]:
    """`receive`, failing with BodyTooLarge once more than max_bytes of body have come in."""
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise BodyTooLarge
        return message

    return limited


def too_large(limit: int) -> ApiError:
    return ApiError(413, f"the file is too large: the limit is {limit:,} bytes (DOCCHAT_ADMIN_MAX_UPLOAD_BYTES "
                    "and DOCCHAT_MAX_FILE_MB)")


# --- the page ------------------------------------------------------------------------------------------

pages_router = APIRouter(include_in_schema=False)


def page_headers() -> dict[str, str]:
    return {"Content-Security-Policy": ADMIN_PAGE_CSP, "Cache-Control": "no-store"}


def signed_in(request: Request) -> tuple[str, AdminSession] | None:
    ctx = context_of(request)
    cookie = request.cookies.get(ADMIN_COOKIE)
    session = ctx.admin_sessions.get(cookie) if admin_token(ctx) is not None else None
    return (cookie, session) if cookie and session else None


@pages_router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request) -> HTMLResponse:
    ctx = context_of(request)
    if admin_token(ctx) is None:
        return HTMLResponse(admin_off_page(), status_code=404, headers=page_headers())
    current = signed_in(request)
    if current is None:
        return HTMLResponse(admin_login_page(), headers=page_headers())
    return HTMLResponse(
        admin_page(
            csrf=current[1].csrf,
            corpus_dir=str(ctx.docchat.settings.corpus_dir.resolve()),
            suffixes=supported_suffixes(),
            max_upload_bytes=upload_limit(ctx),
        ),
        headers=page_headers(),
    )


@pages_router.post("/admin")
async def admin_login(request: Request) -> Response:
    """The sign-in form posts to the page's own address, so its relative links hold when it is shown again."""
    ctx = context_of(request)
    token = admin_token(ctx)
    if token is None:
        return HTMLResponse(admin_off_page(), status_code=404, headers=page_headers())
    client = client_key(request)
    wait = ctx.auth_limiter.blocked(client)
    if wait is not None:
        headers = page_headers() | {"Retry-After": retry_after(wait)}
        return HTMLResponse(too_many_failures_page(""), status_code=429, headers=headers)
    if not same_origin(request):
        return HTMLResponse(admin_login_page("Sign in from this page."), status_code=403, headers=page_headers())
    form = await request.form(max_files=0, max_fields=4)
    supplied = form.get("token")
    if not isinstance(supplied, str) or not secret_matches(supplied, token):
        ctx.auth_limiter.record(client)
        return HTMLResponse(admin_login_page("Wrong admin token."), status_code=401, headers=page_headers())
    session_id, _session = ctx.admin_sessions.create()
    response = RedirectResponse("admin", status_code=303, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        ADMIN_COOKIE,
        session_id,
        max_age=int(ctx.admin_sessions.ttl_s),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@pages_router.post("/admin/logout")
async def admin_logout(request: Request) -> Response:
    ctx = context_of(request)
    current = signed_in(request)
    if current is not None:
        form = await request.form(max_files=0, max_fields=4)
        supplied = form.get("csrf")
        if not same_origin(request) or not isinstance(supplied, str) or not secret_matches(supplied, current[1].csrf):
            return HTMLResponse(admin_login_page("Sign out from the admin page.", prefix="../"), status_code=403,
                                headers=page_headers())
        ctx.admin_sessions.end(current[0])
    response = RedirectResponse("../admin", status_code=303, headers={"Cache-Control": "no-store"})
    response.delete_cookie(ADMIN_COOKIE, path="/", httponly=True, samesite="strict")
    return response
