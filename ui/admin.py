"""Admin routes: re-index the documents through the server that owns the store.

`docchat ingest` on the server's machine uses them with the admin key the server publishes in
`<data_dir>/server.json` (readable by its user only). DOCCHAT_API_TOKEN does not open them: every user of a
token-protected chat knows that token.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ui.context import ApiError, WebContext, client_key, context_of
from ui.schemas import ReindexRequest, ReindexStatus

_bearer = HTTPBearer(auto_error=False, description="The admin key from <data_dir>/server.json.")


def admin_guard(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    ctx = context_of(request)
    client = client_key(request)
    # Only failed checks count (like failed logins): `docchat ingest` polls while a long run goes on.
    wait = ctx.auth_limiter.blocked(client)
    if wait is not None:
        raise ApiError(429, "too many failed admin attempts; wait a minute", {"Retry-After": str(int(wait) + 1)})
    if not ctx.admin_key:
        raise ApiError(403, "re-indexing over HTTP is off: this server has no admin key (it publishes one when "
                       "started with `docchat serve`)")
    scheme, _sep, supplied = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(supplied.strip().encode(), ctx.admin_key.encode()):
        ctx.auth_limiter.record(client)
        raise ApiError(401, "missing or invalid admin key", {"WWW-Authenticate": "Bearer"})


router = APIRouter(dependencies=[Depends(admin_guard)], tags=["admin"])


@router.post("/api/admin/reindex", response_model=ReindexStatus, status_code=202)
def start_reindex(request: Request, body: ReindexRequest | None = None) -> ReindexStatus:
    """Bring the index up to date with the corpus folder, in the background; questions keep being answered.
    A request while a run is going joins that run. Poll GET for the outcome."""
    ctx = context_of(request)
    if ctx.reindexer is None:
        raise ApiError(409, "this server does not own its store, so it cannot re-index")
    target = ctx.reindexer.start(rebuild=bool(body and body.rebuild))
    return reindex_status(ctx).model_copy(update={"wait_for_run": target})


@router.get("/api/admin/reindex", response_model=ReindexStatus)
def get_reindex(request: Request) -> ReindexStatus:
    """The latest re-index run: running, done (with its report) or failed (with why)."""
    return reindex_status(context_of(request))


def reindex_status(ctx: WebContext) -> ReindexStatus:
    corpus = str(ctx.settings.corpus_dir.resolve())
    run = ctx.reindexer.status() if ctx.reindexer else None
    if run is None:
        return ReindexStatus(run=0, state="idle", corpus_dir=corpus)
    return ReindexStatus(**run.to_dict(), corpus_dir=corpus)
