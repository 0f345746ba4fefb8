"""Nobody gets more than answers: markup in questions never runs, only listed origins may frame or call
docchat, the token is required and compared in constant time, clients are rate limited one by one,
/sources serves corpus documents only, secrets never reach a log, and the default bind is loopback.

test_api.py and test_browser.py cover the basics (document XSS, frame-ancestors on pages, CORS for one
origin, 401s, one 429, encoded traversal through a client that normalises URLs); these add the rest.

Origins, the token, the rate limit and /sources are the web layer's alone: those tests run against
`support.FakeDocChat` (canned answers in the real contract, no model or store), which also lets them check
that a refused request never reached DocChat. Questions typed into a real browser, the served `docchat
serve` process and the LLM's logs go through the real DocChat, where what the answerer does is part of it.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import psutil
import pytest
from fake_openai import FakeOpenAI, Reply
from fastapi.testclient import TestClient
from figures import record
from pydantic import SecretStr
from servers import free_port, stop_process
from support import FakeClock, FakeDocChat, make_settings

from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder
from ui.security import RateLimiter
from ui.server import BackgroundServer, create_web_app
from ui.settings import WebSettings

QUESTION = "Who does a Head of Product report to?"
TOKEN = "dc-tok-7Hq2-secret-Zx9"


def serving(app: Any, tmp: Path, **overrides: Any) -> WebSettings:
    update = {"database_url": f"sqlite:///{tmp / 'feedback.sqlite3'}", "rate_limit_per_minute": 0, **overrides}
    return WebSettings(_env_file=None, **update)  # type: ignore[arg-type]


def client_for(app: Any, tmp: Path, chat_ui: bool = False, **overrides: Any) -> TestClient:
    web = create_web_app(app, serving(app, tmp, **overrides), chat_ui=chat_ui)
    return TestClient(web, raise_server_exceptions=False)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def fake(tmp_path: Path) -> FakeDocChat:
    """DocChat's public face with canned answers, over the shipped corpus; its data dir is under tmp_path."""
    return FakeDocChat(make_settings(tmp_path))


# --- XSS through the question, in a real browser ---------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 30_000
MARK = "window.__xss=1"
EVIL_QUESTIONS = [
    f"<script>{MARK}</script> Who does a Head of Product report to?",
    f'<img src=x onerror="{MARK}"> What does a Director of Product Management do?',
    f'[click](javascript:{MARK}) **bold** <svg onload="{MARK}"></svg> <iframe src="javascript:{MARK}">',
]
USER_BUBBLE = "#dc-chat [data-testid='user'] .message-content"  # Gradio's markup for a question's bubble
INJECTED = "script, img, svg, iframe, a[href^='javascript'], strong"
WIDGET_INJECTED = "script, img, svg[onload], iframe, a[href^='javascript'], strong"  # its vote icons are SVG


@pytest.fixture(scope="module")
def site(corpus_app: DocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = serving(corpus_app, tmp_path_factory.mktemp("xss"))
    with BackgroundServer(create_web_app(corpus_app, settings)) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        yield chromium
        chromium.close()


@pytest.mark.browser
@pytest.mark.slow
def test_markup_in_questions_shows_as_text_and_never_runs(site: str, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context()
    context.set_default_timeout(WAIT_MS)
    dialogs: list[str] = []
    context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        chat = context.new_page()
        chat.goto(site + "/")
        for n, question in enumerate(EVIL_QUESTIONS, start=1):
            box = chat.locator("#dc-input textarea")
            box.fill(question)
            box.press("Enter")
            # Finished answers carry Sources or the refusal mark; the bubble streaming before them neither.
            finished = chat.locator("#dc-chat .dc-answer:has(.dc-sources, .dc-refused)")
            expect(finished).to_have_count(n, timeout=WAIT_MS)
            expect(chat.locator(USER_BUBBLE).nth(n - 1)).to_have_text(" ".join(question.split()))
        assert chat.evaluate("typeof window.__xss") == "undefined"
        assert chat.locator(f"{USER_BUBBLE} :is({INJECTED})").count() == 0

        widget = context.new_page()
        options = {"title": f'<img src=x onerror="{MARK}">', "greeting": f"<script>{MARK}</script>"}
        widget.goto(site + "/widget?" + urlencode(options))
        expect(widget.locator(".dc-title")).to_have_text('<img src=x onerror="window.__xss=1">')
        for n, question in enumerate(EVIL_QUESTIONS, start=1):
            widget.locator("#dc-input").fill(question)
            widget.locator("#dc-input").press("Enter")
            expect(widget.locator(".dc-msg.dc-user")).to_have_count(n)
            expect(widget.locator(".dc-msg.dc-user").nth(n - 1)).to_have_text(question)
            expect(widget.locator(".dc-votes")).to_have_count(n, timeout=WAIT_MS)  # the answer is complete
        assert widget.evaluate("typeof window.__xss") == "undefined"
        assert widget.locator(f".dc-log :is({WIDGET_INJECTED})").count() == 0

        # A conversation planted in the widget's localStorage (any script on the origin could) is text too.
        widget.evaluate(
            """([key, mark]) => localStorage.setItem(key, JSON.stringify([{
                q: `<img src=x onerror="${mark}">`,
                a: {answer: `<script>${mark}</script> [1]`, refused: false, suggestions: [], citations: [{
                    n: 1, source: `"><svg onload="${mark}">`, title: `<b onmouseover="${mark}">t</b>`,
                    section: "", quote: `<img src=x onerror="${mark}">`, start: 0, end: 1, score: 1}]}}]))""",
            ["docchat-widget-history", MARK],
        )
        widget.reload()
        expect(widget.locator(".dc-msg.dc-user")).to_have_text(f'<img src=x onerror="{MARK}">')
        assert widget.evaluate("typeof window.__xss") == "undefined"
        assert widget.locator(f".dc-log :is({WIDGET_INJECTED}, b)").count() == 0
    finally:
        context.close()
    assert dialogs == []
    record("xss_questions_in_browser", inputs=2 * len(EVIL_QUESTIONS) + 3, executed=0)


# --- origins: frame-ancestors and CORS ----------------------------------------------------------------------------

ALLOWED = ["'self'", "https://intranet.example.com", "https://*.wiki.example.org", "http://localhost:8080"]


def test_cors_allows_exactly_the_listed_origins(fake: FakeDocChat, tmp_path: Path) -> None:
    verdicts = {
        "https://intranet.example.com": True,
        "https://docs.wiki.example.org": True,
        "https://a.b.wiki.example.org": True,
        "http://localhost:8080": True,
        "https://wiki.example.org": False,  # the wildcard is for subdomains only
        "https://intranet.example.com.evil.net": False,
        "https://evilintranet.example.com": False,
        "https://docs.wiki.example.org.evil.net": False,
        "https://evil.net/.wiki.example.org": False,
        "http://intranet.example.com": False,  # another scheme
        "https://intranet.example.com:8443": False,  # another port
        "http://localhost:8081": False,
        "null": False,
        "file://": False,
    }
    with client_for(fake, tmp_path, allowed_origins=ALLOWED) as c:
        for origin, allowed in verdicts.items():
            res = c.post("/api/chat", json={"message": QUESTION}, headers={"Origin": origin})
            assert res.status_code == 200
            assert (res.headers.get("access-control-allow-origin") == origin) is allowed, origin
            assert "access-control-allow-credentials" not in res.headers  # bearer tokens, never cookies
            preflight = c.options(
                "/api/chat",
                headers={
                    "Origin": origin,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                },
            )
            assert (preflight.status_code == 200) is allowed, origin
            if not allowed:
                assert "access-control-allow-origin" not in preflight.headers
            else:
                assert "PUT" not in preflight.headers["access-control-allow-methods"]


def test_embed_check_tells_a_page_only_whether_its_own_origin_may_frame_the_widget(
    fake: FakeDocChat, tmp_path: Path
) -> None:
    yes, no = "export const allowed = true;\n", "export const allowed = false;\n"
    verdicts = {
        "https://intranet.example.com": yes,
        "https://docs.wiki.example.org": yes,
        "http://localhost:8080": yes,
        "https://wiki.example.org": no,
        "https://intranet.example.com.evil.net": no,
        "http://intranet.example.com": no,
        "null": no,
    }
    with client_for(fake, tmp_path, allowed_origins=ALLOWED) as c:
        for origin, body in verdicts.items():
            res = c.get("/embed-check.js", headers={"Origin": origin})
            assert (res.status_code, res.text) == (200, body), origin
            # Readable by the asking page whatever the answer (a refused page must learn to stay hidden)...
            assert res.headers["access-control-allow-origin"] in ("*", origin)
            assert res.headers["content-type"].startswith("text/javascript")
            # ...and never cached for another origin.
            assert res.headers["cache-control"] == "no-store" and "Origin" in res.headers["vary"]
        # docchat's own pages: no Origin on a same-origin GET, or Sec-Fetch-Site says so; 'self' decides.
        assert c.get("/embed-check.js").text == yes
        assert c.get("/embed-check.js", headers={"Origin": "http://testserver"}).text == yes
        assert c.get("/embed-check.js", headers={"Sec-Fetch-Site": "same-origin"}).text == yes
    with client_for(fake, tmp_path, allowed_origins=["https://intranet.example.com"]) as c:
        assert c.get("/embed-check.js").text == no
        assert c.get("/embed-check.js", headers={"Origin": "https://intranet.example.com"}).text == yes
    with client_for(fake, tmp_path, allowed_origins=["*"]) as c:
        assert c.get("/embed-check.js", headers={"Origin": "https://anyone.example"}).text == yes
    with client_for(fake, tmp_path, allowed_origins=ALLOWED, api_token=SecretStr(TOKEN)) as c:
        # Open like embed.js itself: a page must know before it has any way to send the token.
        assert c.get("/embed-check.js", headers={"Origin": "https://intranet.example.com"}).text == yes


def test_frame_ancestors_are_on_every_response_even_errors(fake: FakeDocChat, tmp_path: Path) -> None:
    source = fake.sources[0]
    expected = "frame-ancestors 'self' https://intranet.example.com https://*.wiki.example.org http://localhost:8080"
    overrides = {"allowed_origins": ALLOWED, "api_token": SecretStr(TOKEN), "rate_limit_per_minute": 2}
    with client_for(fake, tmp_path, chat_ui=True, **overrides) as c:
        responses = {
            "chat page": c.get("/"),
            "widget": c.get("/widget"),
            "embed script": c.get("/embed.js"),
            "source": c.get(f"/sources/{source}"),
            "404 source": c.get("/sources/nope.txt"),
            "health": c.get("/api/health"),
            "401": c.post("/api/chat", json={"message": QUESTION}),
            "413": c.post("/api/chat", content=b"x" * 2_100_000, headers={"content-type": "application/json"}),
            "422": c.post("/api/chat", json={"message": ""}, headers=bearer(TOKEN)),
            "static": c.get("/_docchat/widget.js"),
        }
        responses["429"] = c.post("/api/chat", json={"message": QUESTION}, headers=bearer(TOKEN))
        assert [r.status_code for r in responses.values()][-5:] == [401, 413, 422, 200, 429]
        for name, res in responses.items():
            csp = res.headers.get("content-security-policy", "")
            assert re.search(r"(^|; )" + re.escape(expected) + r"($|;)", csp), (name, csp)
            assert res.headers["x-content-type-options"] == "nosniff", name
    with client_for(fake, tmp_path, allowed_origins=["'none'"]) as c:
        assert c.get("/widget").headers["content-security-policy"].endswith("frame-ancestors 'none'")
        assert "access-control-allow-origin" not in c.get("/api/health", headers={"Origin": "null"}).headers


# --- the token ----------------------------------------------------------------------------------------------------


def protected_requests(c: TestClient, headers: dict[str, str]) -> list[httpx.Response]:
    messages = [{"role": "user", "content": QUESTION}]
    return [
        c.post("/api/chat", json={"message": QUESTION}, headers=headers),
        c.post("/api/chat?stream=true", json={"message": QUESTION}, headers=headers),
        c.post("/api/feedback", json={"vote": "up", "question": "q", "answer": "a"}, headers=headers),
        c.post("/v1/chat/completions", json={"messages": messages}, headers=headers),
        c.post("/v1/chat/completions", json={"messages": messages, "stream": True}, headers=headers),
        c.get("/v1/models", headers=headers),
        c.get("/v1/models/docchat", headers=headers),
    ]


def test_token_is_required_everywhere_and_compared_in_constant_time(
    fake: FakeDocChat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest
    verdict: dict[str, bool | None] = {"forced": None}

    def recording(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b) if verdict["forced"] is None else bool(verdict["forced"])

    monkeypatch.setattr(hmac, "compare_digest", recording)
    wrong = [TOKEN[:-1] + "X", TOKEN[:-1], TOKEN + "X", "", " ", TOKEN.upper(), f"{TOKEN[:5]} {TOKEN[5:]}", f"x{TOKEN}"]
    with client_for(fake, tmp_path, chat_ui=True, api_token=SecretStr(TOKEN)) as c:
        elsewhere = [{}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}, {"Cookie": f"token={TOKEN}"}]
        for headers in elsewhere:
            assert {r.status_code for r in protected_requests(c, headers)} == {401}, headers
        assert c.post(f"/api/chat?token={TOKEN}", json={"message": QUESTION}).status_code == 401
        for token in wrong:
            calls.clear()
            assert {r.status_code for r in protected_requests(c, bearer(token))} == {401}, token
            assert len(calls) == 7 and all(b == TOKEN.encode() for _, b in calls)
        assert fake.asked == []  # no refused request reached DocChat
        calls.clear()
        assert [r.status_code for r in protected_requests(c, bearer(TOKEN))] == [200, 200, 201, 200, 200, 200, 200]
        assert len(calls) == 7 and all(a == b == TOKEN.encode() for a, b in calls)
        assert c.get("/api/health").status_code == 200

        # The verdict is compare_digest's alone: no early "==" or length check decides first.
        verdict["forced"] = True
        assert c.post("/api/chat", json={"message": QUESTION}, headers=bearer("x")).status_code == 200
        verdict["forced"] = False
        assert c.post("/api/chat", json={"message": QUESTION}, headers=bearer(TOKEN)).status_code == 401
        verdict["forced"] = None

        # The chat page: its login and every Gradio route behind it.
        calls.clear()
        assert c.post("/login", data={"username": "me", "password": TOKEN[:-1]}).status_code == 400
        assert calls and calls[-1] == (TOKEN[:-1].encode(), TOKEN.encode())
        for path in ["/config", "/gradio_api/info"]:
            assert c.get(path).status_code == 401, path
        assert c.post("/gradio_api/call/respond", json={"data": [QUESTION, []]}).status_code == 401
    assert len(fake.asked) == 5  # the four answered with the token, and the one compare_digest let through
    record("token", inputs=len(wrong) * 7 + 4 * 7 + 1, rejected=len(wrong) * 7 + 4 * 7 + 1, errors=0)


# --- rate limit ----------------------------------------------------------------------------------------------------


def test_rate_limit_is_per_client_covers_every_route_and_throttles_token_guessing(
    fake: FakeDocChat, tmp_path: Path
) -> None:
    settings = serving(fake, tmp_path, rate_limit_per_minute=3, api_token=SecretStr(TOKEN))
    web = create_web_app(fake, settings, chat_ui=False)  # type: ignore[arg-type]
    clock = FakeClock()  # the window moves when the test says so, not with the machine's speed
    web.state.docchat.limiter = RateLimiter(settings.rate_limit_per_minute, clock=clock)
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 (the reverse proxy): each address is one client.
    with BackgroundServer(web) as server, httpx.Client(base_url=server.url, timeout=30) as client:

        def ask(ip: str, path: str = "/api/chat", token: str = TOKEN) -> httpx.Response:
            body: dict[str, Any] = {"message": QUESTION}
            if path.startswith("/v1"):
                body = {"messages": [{"role": "user", "content": QUESTION}]}
            return client.post(path, json=body, headers={**bearer(token), "X-Forwarded-For": ip})

        guesser = [ask("10.0.0.1", token=f"guess-{i}").status_code for i in range(3)]
        assert guesser == [401, 401, 401]
        clock.advance(1)
        blocked = ask("10.0.0.1")  # the right token, too late: guessing is throttled like asking
        # The guesses left the window 59 s from now: Retry-After is that, not a second more.
        assert blocked.status_code == 429 and blocked.headers["retry-after"] == "59"
        assert "per minute" in blocked.json()["error"]
        assert ask("10.0.0.1", "/v1/chat/completions").status_code == 429
        assert ask("10.0.0.1", "/api/chat?stream=true").status_code == 429
        assert fake.asked == []  # neither the guesses nor the limited requests reached DocChat

        other = [ask("10.0.0.2", path).status_code for path in ["/api/chat", "/v1/chat/completions", "/api/chat"]]
        assert other == [200, 200, 200]  # another client is not affected...
        assert ask("10.0.0.2").status_code == 429  # ...until it uses up its own budget
        assert client.get("/api/health", headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 200

        clock.advance(58)
        assert ask("10.0.0.1").status_code == 429  # still inside the minute of the guesses
        clock.advance(1)
        assert ask("10.0.0.1").status_code == 200  # the limit lifts after the window
    record("rate_limit", requests=13, limited=6, errors=0)


# --- /sources serves corpus documents only ------------------------------------------------------------------------

TRAVERSALS = [
    "/sources/../../etc/passwd",
    "/sources/../../../../../../etc/passwd",
    "/sources/..%2f..%2f..%2fetc%2fpasswd",
    "/sources/..%2F..%2F..%2Fetc%2Fpasswd",
    "/sources/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/sources/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/sources/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/sources/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/sources/..%5c..%5c..%5cetc%5cpasswd",
    "/sources/....//....//....//etc/passwd",
    "/sources/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/sources/head-of-product-glossary.txt/../../../../etc/passwd",
    "/sources//etc/passwd",
    "/sources/%2fetc%2fpasswd",
    "/sources/%2Fproc%2Fself%2Fenviron",
    "/sources/etc/passwd",
    "/sources/..%00/etc/passwd",
    "/sources/head-of-product-glossary.txt%00.html",
    "/sources/linked.txt",
    "/sources/.docchat/ui-secret",
    "/sources/%2e%64%6f%63%63%68%61%74/ui-secret",
    "/sources/../.docchat/feedback.sqlite3",
    "/sources/skipped.bin",
]


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """One request exactly as written: HTTP clients would normalise the dot segments away."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def test_sources_serves_corpus_documents_only(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "linked.txt").write_text("Linked Notes\n\nThe linked notes are about the quarterly review.\n")
    (corpus / "head-of-product-glossary.txt").write_text("Glossary\n\nA Head of Product reports to the CEO.\n")
    (corpus / "skipped.bin").write_bytes(b"\x00\x01")
    (tmp_path / ".docchat").mkdir()
    # What ingest indexes of this corpus (skipped.bin is of no supported type): /sources decides the rest.
    indexed = ["head-of-product-glossary.txt", "linked.txt"]
    app = FakeDocChat(make_settings(tmp_path, corpus, data_dir=corpus / ".docchat"), sources=indexed)
    # An indexed document replaced afterwards by a link out of the corpus: the link must not be followed.
    (corpus / "linked.txt").unlink()
    os.symlink("/etc/passwd", corpus / "linked.txt")
    with BackgroundServer(create_web_app(app, serving(app, tmp_path), chat_ui=True)) as server:  # type: ignore[arg-type]
        results = {path: raw_get(server.port, path) for path in TRAVERSALS}
        gradio = {
            path: raw_get(server.port, path)
            for path in [
                "/gradio_api/file=/etc/passwd",
                "/gradio_api/file=..%2f..%2fetc%2fpasswd",
                f"/gradio_api/file={corpus}/.docchat/ui-secret",
                "/static/../../../../etc/passwd",
                "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/_docchat/..%2f..%2fpyproject.toml",
            ]
        }
        good = raw_get(server.port, "/sources/head-of-product-glossary.txt")
    assert good[0] == 200 and b"reports to the CEO" in good[1]
    secret = (corpus / ".docchat" / "ui-secret").read_bytes().strip()
    leaks = [p for p, (_, body) in {**results, **gradio}.items() if b"root:" in body or secret in body]
    assert leaks == []
    assert {p: s for p, (s, _) in results.items() if s != 404} == {}
    assert {p: s for p, (s, _) in gradio.items() if s not in (403, 404)} == {}
    record("sources_traversal", inputs=len(results) + len(gradio), served_outside_corpus=0)


# --- secrets never reach a log, and the default bind --------------------------------------------------------------

LLM_KEY = "sk-llm-9f8e7d6c5b4a-secret"
URL_PASSWORD = "url-pw-3141592653"


def echoing_key_failure(body: dict[str, Any]) -> Reply:
    # What OpenAI-style servers do with a bad key: say which key, in the error body.
    message = f'{{"error": {{"message": "Incorrect API key provided: {LLM_KEY}", "type": "invalid_request_error"}}}}'
    return Reply(status=401, raw=message.encode())


def exercise(base: str) -> list[int]:
    """Failing and succeeding requests of every kind; returns the statuses."""
    statuses = []
    messages = [{"role": "user", "content": QUESTION}]
    with httpx.Client(base_url=base, timeout=60) as c:
        for headers in [{}, bearer(TOKEN[:-1]), bearer(TOKEN + "x"), {"Authorization": f"Basic {TOKEN}"}]:
            statuses.append(c.post("/api/chat", json={"message": QUESTION}, headers=headers).status_code)
        ok = bearer(TOKEN)
        for res in [
            c.post("/api/chat", json={"message": QUESTION}, headers=ok),  # the LLM call fails: fallback
            c.post("/api/chat?stream=true", json={"message": QUESTION}, headers=ok),
            c.post("/v1/chat/completions", json={"messages": messages}, headers=ok),
            c.post("/api/chat", json={"message": ""}, headers=ok),
            c.post("/api/chat", content=b"{oops", headers={**ok, "content-type": "application/json"}),
            c.post("/api/chat", json={"message": "x" * 5000}, headers=ok),
            c.get("/api/health"),
            c.get("/sources/../.env"),
            c.get("/v1/models", headers=ok),
        ]:
            statuses.append(res.status_code)
            assert TOKEN not in res.text and LLM_KEY not in res.text and URL_PASSWORD not in res.text
    return statuses


def test_default_settings_bind_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCCHAT_HOST", raising=False)
    assert WebSettings(_env_file=None).host == "127.0.0.1"  # type: ignore[call-arg]
    from click.testing import CliRunner

    from ui.cli import main

    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "default 127.0.0.1" in help_text


@pytest.mark.slow
def test_served_app_keeps_secrets_out_of_its_output_and_binds_loopback(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "roles.txt").write_text(
        "Product Roles\n\nReporting lines\n\nA Head of Product reports directly to the CEO.\n", encoding="utf-8"
    )
    settings = make_settings(tmp_path, corpus)
    ingested = build_app(settings, embedder=embedder)
    ingest_into(ingested, progress=False)
    ingested.store.client.close()

    port = free_port()
    with FakeOpenAI(echoing_key_failure) as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCHAT_")}
        env.update(
            DOCCHAT_CORPUS_DIR=str(corpus),
            DOCCHAT_DATA_DIR=str(settings.data_dir),
            DOCCHAT_COLLECTION=settings.collection,
            DOCCHAT_API_TOKEN=TOKEN,
            DOCCHAT_ANSWERER="llm",
            DOCCHAT_LLM_API_KEY=LLM_KEY,
            DOCCHAT_LLM_BASE_URL=f"http://svc:{URL_PASSWORD}@127.0.0.1:{fake.port}/v1",
            DOCCHAT_LLM_TIMEOUT_S="5",
            DOCCHAT_PORT=str(port),
            PYTHONUNBUFFERED="1",
        )
        log = tmp_path / "serve.log"
        with open(log, "wb") as out:
            docchat = str(Path(sys.executable).with_name("docchat"))
            process = subprocess.Popen([docchat, "serve"], cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(log, f"http://127.0.0.1:{port}", process)
            listening = {
                (c.laddr.ip, c.laddr.port)
                for c in psutil.Process(process.pid).net_connections(kind="inet")
                if c.status == psutil.CONN_LISTEN
            }
            statuses = exercise(f"http://127.0.0.1:{port}")
            assert fake.chat_requests, "the LLM was never called, so its failure was not exercised"
        finally:
            stop_process(process)
    output = log.read_text(errors="replace")
    assert listening == {("127.0.0.1", port)}
    assert statuses[:4] == [401] * 4 and statuses[4:7] == [200, 200, 200]
    assert "failed: HTTP 401 (Error code: 401 - Incorrect API key provided: ***)" in output  # logged...
    for secret in (TOKEN, LLM_KEY, URL_PASSWORD):
        assert secret not in output, f"{secret!r} leaked into the served app's output"  # ...without secrets
    record("secrets_in_logs", requests=len(statuses), secrets_leaked=0, errors=0)


def wait_for(log: Path, needle: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while needle not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"`docchat serve` never printed {needle!r}:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def served_logs(corpus_app: DocChat, tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: Any) -> str:
    """Everything logged or printed, at DEBUG, while `exercise` runs against an in-process server whose LLM
    rejects its key (and says which one)."""
    with FakeOpenAI(echoing_key_failure) as fake:
        update = {
            "answerer": "llm",
            "llm_base_url": f"http://svc:{URL_PASSWORD}@127.0.0.1:{fake.port}/v1",
            "llm_api_key": SecretStr(LLM_KEY),
            "llm_timeout_s": 5.0,
        }
        app = build_app(corpus_app.settings.model_copy(update=update), embedder=corpus_app.embedder)
        settings = serving(app, tmp_path, api_token=SecretStr(TOKEN))
        caplog.set_level(logging.DEBUG)
        with BackgroundServer(create_web_app(app, settings, chat_ui=False)) as server:
            statuses = exercise(server.url)
        assert fake.chat_requests and statuses[4:7] == [200, 200, 200]
    assert any(r.name == "rag.llm" and r.levelno == logging.WARNING for r in caplog.records)
    captured = capfd.readouterr()
    return caplog.text + captured.out + captured.err


def test_token_and_llm_key_stay_out_of_logs_even_at_debug_level(
    corpus_app: DocChat, tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    text = served_logs(corpus_app, tmp_path, caplog, capfd)
    assert TOKEN not in text and LLM_KEY not in text
    # docchat's own lines (WARNING and up, its serving level) never carry the LLM URL's credentials either.
    warned = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    assert URL_PASSWORD not in warned and "svc:" not in warned


def test_llm_url_credentials_stay_out_of_info_logs(
    corpus_app: DocChat, tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    assert URL_PASSWORD not in served_logs(corpus_app, tmp_path, caplog, capfd)
