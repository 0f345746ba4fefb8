"""`docchat serve`: one FastAPI app (API, widget, sources, Gradio chat at /) under uvicorn.

The DocChat is built and warmed once, before the socket opens, so the first question pays for nothing
that could have been done at startup.
"""

from __future__ import annotations

import hmac
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.reindex import Reindexer
from rag.app import DocChat
from rag.owner import StoreOwnership
from rag.settings import Settings
from ui import admin, api, pages
from ui.access_log import AccessLogMiddleware
from ui.context import ApiError, WebContext, log_unexpected, public_error, store_error_types
from ui.feedback import FeedbackStore
from ui.security import (
    ApiFallbackMiddleware,
    BodyLimitMiddleware,
    LoginThrottleMiddleware,
    OriginPolicy,
    RateLimiter,
    SecurityHeadersMiddleware,
)
from ui.settings import WebSettings
from ui.transport import with_head_timeout

log = logging.getLogger("docchat.web")
MAX_BODY_BYTES = 2_000_000
# The chat page's citation panel and plain-text copy (ui/static/chat.js, chat.css): files of ours, served
# from /_docchat; relative, so they load behind a path-prefix proxy too.
CHAT_HEAD = '<link rel="stylesheet" href="_docchat/chat.css"><script src="_docchat/chat.js"></script>'


def create_web_app(
    docchat: DocChat,
    settings: WebSettings | None = None,
    *,
    chat_ui: bool = True,
    feedback: FeedbackStore | None = None,
    admin_key: str | None = None,
    access_clock: Callable[[], float] = time.perf_counter,
) -> FastAPI:
    """The whole web app around an existing (ideally warmed) DocChat.

    `settings`: the web layer's (WebSettings, from DOCCHAT_* when not given); tests pass their own serving
    options (token, origins, database) so one warmed DocChat serves them all. `admin_key` opens the re-index routes to
    whoever can read the server handle it is published in. `access_clock` times the access log's lines.
    """
    settings = settings or WebSettings()
    origins = OriginPolicy.from_settings(settings)  # fails fast on a malformed DOCCHAT_ALLOWED_ORIGINS
    feedback = feedback or FeedbackStore.from_url(settings.feedback_url(docchat.settings.data_dir))
    feedback.create_tables()
    limiter = RateLimiter(settings.rate_limit_per_minute)
    ctx = WebContext(
        docchat,
        settings,
        feedback,
        limiter,
        origins,
        docchat.suggested_questions(),
        reindexer=Reindexer(docchat),
        admin_key=admin_key,
    )

    app = FastAPI(
        title="docchat",
        version="0.1.0",
        summary="Answers from your documents, with verifiable [n] citations.",
        # Swagger UI and ReDoc load their JS/CSS from a CDN and FastAPI ships no local copy: off.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.docchat = ctx
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(api.protected)
    app.include_router(admin.router)
    app.include_router(admin.documents_router)
    app.include_router(admin.pages_router)
    app.include_router(pages.router)
    app.mount("/_docchat", StaticFiles(directory=pages.STATIC_DIR), name="docchat-static")

    app.add_middleware(ApiFallbackMiddleware, routes=lambda: app.router.routes)
    # The upload route caps its own body, after it has checked who is asking.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=MAX_BODY_BYTES,
        prefixes=("/api/", "/v1/", "/admin"),
        exempt=(admin.UPLOAD_PATH,),
    )
    app.add_middleware(LoginThrottleMiddleware, limiter=ctx.auth_limiter)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins.cors_origins),
        allow_origin_regex=origins.cors_origin_regex,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-DocChat-Client"],
        allow_credentials=False,  # the API uses bearer tokens, never cookies
        max_age=600,
    )
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=origins.frame_ancestors)
    # Outermost, so requests the middlewares above answer by themselves (413, 429, 404) are logged too.
    app.add_middleware(AccessLogMiddleware, log_questions=settings.log_questions, clock=access_clock)

    if chat_ui:
        mount_chat(app, ctx)  # last: it takes every path the routes above do not
    return app


def mount_chat(app: FastAPI, ctx: WebContext) -> None:
    import gradio as gr

    from ui.chat import CSS, build_chat, theme

    token = ctx.settings.api_token
    stats = ctx.docchat.index_stats()  # the keyword index is built by warm() already: counting costs nothing
    blocks = build_chat(ctx, ctx.examples, stats.documents, stats.chunks or 0)
    gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        footer_links=[],  # the API-docs and settings pages are Gradio's, not ours; docchat's API is /api
        run_history=False,
        theme=theme(),
        css=CSS,
        head=CHAT_HEAD,
        ssr_mode=False,
        mcp_server=False,
        show_error=False,
        max_file_size="1mb",  # the page takes no uploads; keep Gradio's upload route from taking big ones
        # With a token set, the chat page asks for it too: its Gradio endpoints answer questions just as
        # /api/chat does, so leaving them open would make the token pointless.
        auth=token_login(token.get_secret_value()) if token else None,
        auth_message="This docchat needs its access token: any user name, the token as password.",
    )
    install_chat_error_handlers(app)
    ctx.session_user = chat_session_user(app)


def chat_session_user(app: FastAPI) -> Callable[[Request], str | None]:
    """Who signed in at the chat page's login, from the session cookie Gradio set (its names and
    `tokens` table are Gradio's own: see gradio.routes, /login and /user)."""
    from gradio.routes import App
    from starlette.routing import Mount

    chat = next((r.app for r in app.routes if isinstance(r, Mount) and isinstance(r.app, App)), None)

    def user(request: Request) -> str | None:
        if chat is None:
            return None
        for name in (f"access-token-{chat.cookie_id}", f"access-token-unsecure-{chat.cookie_id}"):
            session = request.cookies.get(name)
            if session and session in chat.tokens:
                return str(chat.tokens[session])
        return None

    return user


def install_chat_error_handlers(app: FastAPI) -> None:
    """Gradio's own handlers turn two kinds of bad input into 500s: a POST to an API name it does not know
    (/gradio_api/run/<name>), and an invalid body that echoes text JSON cannot encode (lone surrogates).
    The first is a 404; the second gets the API's 422, which never echoes the input."""
    from gradio.route_utils import FnIndexInferError
    from starlette.routing import Mount

    async def unknown_endpoint(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "no such endpoint on the chat page"}, status_code=404)

    async def invalid_request(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_response(exc)

    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            route.app.add_exception_handler(FnIndexInferError, unknown_endpoint)
            route.app.add_exception_handler(RequestValidationError, invalid_request)


def token_login(token: str) -> Callable[[str, str], bool]:
    def check(username: str, password: str) -> bool:
        return hmac.compare_digest(password.encode(), token.encode())

    return check


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    async def store_unavailable(_: Request, exc: Exception) -> JSONResponse:
        # Its own handler, not the catch-all below: that one re-raises, so uvicorn would log a traceback
        # per request during an outage and drop the keep-alive connection, and pooled clients would see
        # connection resets instead of this 503.
        log_unexpected(exc, "request")
        status, message = public_error(exc)
        return JSONResponse({"error": message}, status_code=status)

    for kind in store_error_types():
        app.add_exception_handler(kind, store_unavailable)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after this response is sent, so uvicorn logs the traceback once; the
        # client only ever sees the generic message.
        status, message = public_error(exc)
        return JSONResponse({"error": message}, status_code=status)


def validation_response(exc: RequestValidationError) -> JSONResponse:
    problems = list(exc.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        return JSONResponse({"error": "the request body is not valid JSON"}, status_code=400)
    # The input values are left out on purpose: they may be huge, or someone else's secrets.
    details = [
        {"field": ".".join(str(x) for x in p.get("loc", ()) if x != "body"), "problem": p.get("msg", "")}
        for p in problems
    ]
    summary = "; ".join(f"{d['field'] or 'body'}: {d['problem']}" for d in details[:5])
    return JSONResponse({"error": f"invalid request: {summary}", "details": details}, status_code=422)


# --- startup helpers -----------------------------------------------------------------------------------


def run_server(settings: Settings, web: WebSettings) -> None:
    """`docchat serve`: owns the data dir's store for as long as it runs. Both settings are built once, by
    the entry point (ui/cli.py)."""
    import click

    from rag.heap import limit_malloc_arenas
    from rag.owner import StoreOwnership

    limit_malloc_arenas()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs index builds at DEBUG on its own handler
    logging.getLogger("docchat.access").setLevel(logging.INFO)  # ours, in place of uvicorn's access log
    ownership = StoreOwnership(settings.data_dir)
    other = ownership.claim(on_wait=lambda: click.echo("docchat: waiting for a running ingest to finish…", err=True))
    if other is not None:
        raise click.ClickException(
            f"another docchat server (pid {other.pid}) already serves {settings.data_dir} at {other.url}; "
            "stop it first, or give this one its own DOCCHAT_DATA_DIR"
        )
    stop_watching = threading.Event()
    reindexers: list[Reindexer] = []
    try:
        serve_owned(settings, web, ownership, stop_watching, reindexers)
    finally:
        stop_watching.set()
        for reindexer in reindexers:
            # The lock must outlive any write to the store: a re-index still running finishes first.
            if reindexer.running:
                click.echo("docchat: waiting for the running re-index to finish…", err=True)
            reindexer.wait()
        ownership.release()


def serve_owned(
    settings: Settings,
    web_settings: WebSettings,
    ownership: StoreOwnership,
    stop_watching: threading.Event,
    reindexers: list[Reindexer],
) -> None:
    import click

    from rag.app import build_app

    click.echo("docchat: loading the model and the index…", err=True)
    docchat = build_app(settings)
    try:
        docchat.warm()
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - serve anyway: /api/health reports it, answers get 503
        click.secho(
            f"warning: the index could not be loaded ({exc}); is the store reachable?", fg="yellow", err=True
        )
    if not docchat.index_stats().chunks:
        click.secho("warning: the index is empty; run `docchat ingest` first", fg="yellow", err=True)
    url = public_url(web_settings.host, web_settings.port)
    handle = ownership.publish(url)  # `docchat ingest` reads it to re-index through this server
    try:
        web = create_web_app(docchat, web_settings, admin_key=handle.admin_key)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if web.state.docchat.reindexer is not None:
        reindexers.append(web.state.docchat.reindexer)
    # Another process may write a shared Chroma server: notice its ingests even while nobody asks.
    docchat.watch(stop_watching)
    config = uvicorn_config(web, host=web_settings.host, port=web_settings.port, proxy_headers=True)
    admin_page = f", admin: {url}/admin" if web_settings.admin_token else ""
    AnnouncingServer(
        config, f"docchat is ready at {url}  (widget: {url}/widget, API: {url}/api/health{admin_page})"
    ).run()


class AnnouncingServer(uvicorn.Server):
    """Prints the address only once the socket is bound, so it can be opened right away."""

    def __init__(self, config: uvicorn.Config, message: str) -> None:
        super().__init__(config)
        self.message = message

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print(self.message, flush=True)


def public_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


# Connection limits, in one place for `docchat serve` and BackgroundServer (see uvicorn_config).
MAX_HEAD_BYTES = 64 * 1024  # request line and headers together; browsers send a few KiB
HEAD_TIMEOUT_S = 10.0  # to send a whole request head, from connecting or from the previous response
KEEP_ALIVE_S = 5.0  # an idle connection is closed this long after its last response
MAX_CONCURRENCY = 200  # connections (and requests in progress) before new requests get a 503


def uvicorn_config(
    app: Any,
    *,
    head_timeout_s: float = HEAD_TIMEOUT_S,
    keep_alive_s: float = KEEP_ALIVE_S,
    max_head_bytes: int = MAX_HEAD_BYTES,
    max_concurrency: int = MAX_CONCURRENCY,
    **options: Any,
) -> uvicorn.Config:
    """uvicorn's Config with the limits a server facing hostile clients needs: bounded request heads
    (a bigger one is a 400 and the connection closes), a deadline for them, idle keep-alive connections
    closed, and a cap on connections. `options` are other uvicorn.Config arguments (host, port, ...)."""
    options.setdefault("log_level", "warning")
    # uvicorn's access log prints query strings; docchat.access (AccessLogMiddleware) logs requests instead.
    options.setdefault("access_log", False)
    return uvicorn.Config(
        app,
        http=with_head_timeout(head_timeout_s),
        h11_max_incomplete_event_size=max_head_bytes,
        timeout_keep_alive=keep_alive_s,  # type: ignore[arg-type] - uvicorn hands it to call_later
        limit_concurrency=max_concurrency,
        **options,
    )


# --- running in a thread (tests, notebooks) ------------------------------------------------------------


class BackgroundServer:
    """uvicorn on 127.0.0.1 and a free port, in a daemon thread; stop() (or the with-block) ends it."""

    def __init__(self, app: Any, host: str = "127.0.0.1", **limits: Any) -> None:
        """`limits`: uvicorn_config's keyword arguments, e.g. a short head_timeout_s for a test."""
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        config = uvicorn_config(app, lifespan="on", timeout_graceful_shutdown=2, **limits)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self, timeout: float = 30.0) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the background server did not start")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
        self.sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
