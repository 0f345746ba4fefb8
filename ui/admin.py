"""Admin routes: re-index the documents through the server that owns the store.

`docchat ingest` on the server's machine uses them with the admin key the server publishes in
`<data_dir>/server.json` (readable by its user only); with DOCCHAT_API_TOKEN set, that token works too.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ui.context import ApiError, WebContext, client_key, context_of
from ui.schemas import ReindexRequest, ReindexStatus

_bearer = HTTPBearer(
    auto_error=False, description="The admin key from <data_dir>/server.json, or DOCCHAT_API_TOKEN when set."
)


def admin_guard(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    ctx = context_of(request)
    ctx.check_rate(client_key(request))  # first, so key guessing is throttled like everything else
    accepted = [key for key in admin_keys(ctx) if key]
    if not accepted:
        raise ApiError(403, "re-indexing over HTTP is off: this server has no admin key and no DOCCHAT_API_TOKEN")
    scheme, _sep, supplied = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not any(
        hmac.compare_digest(supplied.strip().encode(), key.encode()) for key in accepted
    ):
        raise ApiError(401, "missing or invalid admin credential", {"WWW-Authenticate": "Bearer"})


def admin_keys(ctx: WebContext) -> list[str]:
    token = ctx.settings.api_token
    return [ctx.admin_key or "", token.get_secret_value() if token else ""]


router = APIRouter(dependencies=[Depends(admin_guard)], tags=["admin"])


@router.post("/api/admin/reindex", response_model=ReindexStatus, status_code=202)
def start_reindex(request: Request, body: ReindexRequest | None = None) -> ReindexStatus:
    """Bring the index up to date with the corpus folder, in the background; questions keep being answered.
    A request while a run is going joins that run. Poll GET for the outcome."""
    ctx = context_of(request)
    if ctx.reindexer is None:
        raise ApiError(409, "this server does not own its store, so it cannot re-index")
    ctx.reindexer.start(rebuild=bool(body and body.rebuild))
    return reindex_status(ctx)


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
