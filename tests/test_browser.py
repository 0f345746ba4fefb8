"""A real Chromium (Debian's, through Playwright) against real uvicorn servers on free ports.

Screenshots land in tests/artifacts/. With DOCCHAT_DOCS_SCREENSHOTS=1 the chat and widget shots are
also written to docs/ (docs/chat.png, docs/widget.png, docs/widget-mobile.png) for the README.
"""

from __future__ import annotations

import http.server
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, FrameLocator, Locator, Page, expect, sync_playwright
from support import make_settings

from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder
from ui.server import BackgroundServer, create_web_app
from ui.settings import WebSettings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
DOCS = REPO / "docs"
CHROMIUM = "/usr/bin/chromium"
QUESTION = "Who does a Head of Product report to?"
TIMEOUT_MS = 30_000

EVIL_DOC = """Zebra Lab Badge Policy

Badges

Every visitor to the zebra lab must wear a green zebra badge <script>window.__xss=1</script> at all times \
inside the building.

Zebra badges are issued at the front desk <img src=x onerror="window.__xss=1"> after the visitor signs the \
zebra logbook and the **[badge form](https://evil.example/form)**.

Holidays

The zebra lab is closed on public holidays, and badges are not issued on those days.
"""
EVIL_QUESTION = "Where are zebra badges issued?"
SCRIPT_TEXT = "<script>window.__xss=1</script>"
IMG_TEXT = '<img src=x onerror="window.__xss=1">'

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme intranet · Product handbook</title>
<style nonce="hostpage">
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6fb; color: #1f2328; }}
header {{ background: #1f2937; color: #fff; padding: 14px 32px; font-weight: 600; }}
main {{ max-width: 720px; padding: 24px 32px; }}
.card {{ background: #fff; border-radius: 10px; padding: 18px 22px; margin-bottom: 16px;
         box-shadow: 0 1px 3px rgba(0,0,0,.08); }}
</style></head>
<body><header>Acme intranet</header><main>
<div class="card"><h2>Product handbook</h2><p>How the product organisation works: roles, reporting lines and
career paths. Use the <b>Ask the docs</b> button for questions.</p></div>
<div class="card"><h3>Recent changes</h3><p>New career ladder for product managers.</p></div>
</main>
<script src="{docchat}/embed.js" data-title="Ask the docs" data-position="bottom-right"
        data-accent="#0b5fff" defer></script>
</body></html>
"""


# --- servers ------------------------------------------------------------------------------------------------


class HostPage:
    """A plain http.server on its own port: an "intranet page" of another origin that embeds docchat."""

    def __init__(self) -> None:
        self.html = "<!doctype html><title>not ready</title>"
        self.csp: str | None = None
        page = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body = page.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                if page.csp:
                    self.send_header("Content-Security-Policy", page.csp)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Site:
    url: str
    allowed_host: HostPage
    blocked_host: HostPage
    frame_ancestors: str


@pytest.fixture(scope="module")
def site(corpus_app: DocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    allowed, blocked = HostPage(), HostPage()
    origins = ["'self'", allowed.origin]
    settings = WebSettings(  # type: ignore[call-arg]
        _env_file=None,
        **{
            "allowed_origins": origins,
            "database_url": f"sqlite:///{tmp_path_factory.mktemp('browser') / 'fb.sqlite3'}",
            "rate_limit_per_minute": 0,
        }
    )
    with BackgroundServer(create_web_app(corpus_app, settings)) as server:
        allowed.html = blocked.html = HOST_PAGE.format(docchat=server.url)
        # A strict intranet page: only docchat's script and frame, no inline style but its own (nonce).
        allowed.csp = (
            f"default-src 'none'; script-src {server.url}; frame-src {server.url}; style-src 'nonce-hostpage'"
        )
        yield Site(server.url, allowed, blocked, " ".join(origins))
    allowed.close()
    blocked.close()


@pytest.fixture(scope="module")
def evil_url(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[str]:
    """docchat over a corpus whose document carries script and an onerror handler as text."""
    root = tmp_path_factory.mktemp("evil")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "zebra-badges.txt").write_text(EVIL_DOC, encoding="utf-8")
    app = build_app(make_settings(root, corpus=corpus), embedder=embedder)
    ingest_into(app, progress=False)
    app.warm()
    with BackgroundServer(create_web_app(app, WebSettings(_env_file=None, rate_limit_per_minute=0))) as server:  # type: ignore[call-arg]
        yield server.url


# --- browser ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """Every request the pages make, and every JS dialog (which an XSS would typically open)."""

    urls: list[str] = field(default_factory=list)

    def hosts(self) -> set[str]:
        return {
            urlparse(u).hostname or "" for u in self.urls if urlparse(u).scheme in ("http", "https", "ws")
        }


@pytest.fixture
def context(browser: Browser) -> Iterator[tuple[BrowserContext, Recorder]]:
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
    ctx.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder()
    ctx.on("request", lambda request: recorder.urls.append(request.url))
    yield ctx, recorder
    ctx.close()


def shoot(page: Page, name: str, docs_name: str | None = None) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if docs_name and os.environ.get("DOCCHAT_DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(DOCS / docs_name))


def ask_in_chat(page: Page, question: str) -> None:
    box = page.locator("#dc-input textarea")
    box.fill(question)
    box.press("Enter")


def squash(text: str) -> str:
    return " ".join(text.split())


# --- tests ----------------------------------------------------------------------------------------------


def test_chat_page_answers_with_sources_that_open_highlighted(
    site: Site, context: tuple[BrowserContext, Recorder]
) -> None:
    ctx, recorder = context
    page = ctx.new_page()
    page.goto(site.url + "/")
    ask_in_chat(page, QUESTION)
    answer = page.locator("#dc-chat .dc-answer").last
    expect(answer.locator(".dc-sources")).to_be_visible()
    expect(answer.locator(".dc-text")).to_contain_text("[1]")
    source = answer.locator("a.dc-source").first
    expect(source).to_contain_text("[1]")
    quote = squash(answer.locator(".dc-quote").first.text_content() or "")  # in the closed Sources
    shoot(page, "chat.png", "chat.png")

    # The conversation is kept in the browser: a reload shows it again.
    page.reload()
    expect(page.locator("#dc-chat .dc-answer .dc-sources")).to_have_count(1)
    expect(page.locator("#dc-chat")).to_contain_text(QUESTION)

    # A source opens in the page's side panel; its link opens the full page, passage highlighted.
    page.locator("#dc-chat .dc-sources summary").first.click()
    page.locator("#dc-chat a.dc-source").first.click()
    with ctx.expect_page() as opened:
        page.locator("#dc-panel a.dc-panel-full").click()
    source_page = opened.value
    source_page.wait_for_load_state()
    mark = source_page.locator("mark#hit")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    assert squash(mark.inner_text()) == quote
    shoot(source_page, "source.png")

    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()
    assert any("/sources/" in u for u in recorder.urls)


def test_example_questions_answer_and_new_chat_forgets(
    site: Site, context: tuple[BrowserContext, Recorder]
) -> None:
    ctx, _ = context
    page = ctx.new_page()
    page.goto(site.url + "/")
    examples = page.locator("#dc-chat button.example")
    expect(examples.first).to_be_visible()
    example = squash(examples.first.inner_text())
    examples.first.click()
    expect(page.locator("#dc-chat .dc-answer .dc-sources")).to_be_visible()
    expect(page.locator("#dc-chat")).to_contain_text(example)

    page.locator("#dc-clear").click()
    expect(page.locator("#dc-chat .dc-answer")).to_have_count(0)
    page.reload()
    expect(page.locator("#dc-chat button.example").first).to_be_visible()
    expect(page.locator("#dc-chat .dc-answer")).to_have_count(0)


def test_embed_script_on_another_origin_opens_a_working_widget(
    site: Site, context: tuple[BrowserContext, Recorder]
) -> None:
    ctx, recorder = context
    page = ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site.allowed_host.origin + "/")
    launcher = page.locator("button.launcher")  # inside the embed's (open) shadow root
    expect(launcher).to_have_attribute("aria-label", "Ask the docs")
    # Styled despite the host's CSP: the embed's stylesheet is constructed, not an inline <style>.
    assert launcher.evaluate("e => getComputedStyle(e).position") == "fixed"
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    widget = page.frame_locator("iframe[title='Ask the docs']")
    expect(widget.locator(".dc-title")).to_have_text("Ask the docs")
    widget.locator("#dc-input").fill(QUESTION)
    widget.locator("#dc-input").press("Enter")
    sources = widget.locator(".dc-sources").last
    expect(sources).to_be_visible()
    expect(widget.locator(".dc-text").last).to_contain_text("[1]")
    expect(widget.locator("a.dc-ref").first).to_have_text("[1]")
    expect(sources.locator(".dc-quote").first).not_to_be_empty()
    link = sources.locator("a.dc-source").first.get_attribute("href") or ""
    assert link.startswith("sources/") and "#hit" in link
    shoot(page, "widget-1280.png", "widget.png")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    expect(widget.locator(".dc-sources").last).to_be_visible()
    shoot(page, "widget-390.png", "widget-mobile.png")

    # The widget's own close button asks the embedding page to close it.
    widget.locator("#dc-close").click()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert recorder.hosts() == {"127.0.0.1"}
    docchat_port = urlparse(site.url).port
    assert any(urlparse(u).port == docchat_port and "/api/chat" in u for u in recorder.urls)


def test_document_html_never_runs(evil_url: str, context: tuple[BrowserContext, Recorder]) -> None:
    ctx, _ = context
    dialogs: list[str] = []
    ctx.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    chat = ctx.new_page()
    chat.goto(evil_url + "/")
    ask_in_chat(chat, EVIL_QUESTION)
    answer = chat.locator("#dc-chat .dc-answer").last
    expect(answer.locator(".dc-sources")).to_be_visible()
    expect(answer.locator(".dc-text")).to_contain_text(SCRIPT_TEXT)  # shown as text...
    expect(answer.locator(".dc-text")).to_contain_text(IMG_TEXT)
    assert chat.evaluate("typeof window.__xss") == "undefined"  # ...and never run
    assert answer.locator("script, img[onerror]").count() == 0
    # Markdown inside a document stays text too: no link, no bold.
    expect(answer.locator(".dc-text")).to_contain_text("**[badge form](https://evil.example/form)**")
    assert chat.locator("a[href*='evil.example'], #dc-chat strong:has-text('badge form')").count() == 0
    # The side panel shows the document as text as well.
    answer.locator("a.dc-ref").first.click()
    panel_text = chat.locator("#dc-panel .dc-panel-doc")
    expect(panel_text).to_contain_text(SCRIPT_TEXT)
    expect(panel_text).to_contain_text(IMG_TEXT)
    assert chat.locator("#dc-panel :is(script, img, a[href*='evil.example'])").count() == 0
    assert chat.evaluate("typeof window.__xss") == "undefined"
    shoot(chat, "xss-chat.png")

    widget = ctx.new_page()
    widget.goto(evil_url + "/widget")
    widget.locator("#dc-input").fill(EVIL_QUESTION)
    widget.locator("#dc-input").press("Enter")
    expect(widget.locator(".dc-sources")).to_be_visible()
    expect(widget.locator(".dc-text").last).to_contain_text(SCRIPT_TEXT)
    expect(widget.locator(".dc-quote").first).to_contain_text("window.__xss=1")
    assert widget.evaluate("typeof window.__xss") == "undefined"
    assert widget.locator(".dc-log script, .dc-log img").count() == 0
    shoot(widget, "xss-widget.png")

    with ctx.expect_page() as opened:
        widget.locator("a.dc-source").first.click()
    source = opened.value
    source.wait_for_load_state()
    expect(source.locator("mark#hit")).to_be_visible()
    text = source.locator("pre.doc").inner_text()
    assert SCRIPT_TEXT in text and IMG_TEXT in text
    assert source.evaluate("typeof window.__xss") == "undefined"
    assert source.locator("pre.doc script, pre.doc img").count() == 0
    shoot(source, "xss-source.png")
    assert dialogs == []


def test_widget_frame_ancestors_follow_the_setting(
    site: Site, context: tuple[BrowserContext, Recorder]
) -> None:
    ctx, _ = context
    page = ctx.new_page()
    response = page.goto(site.url + "/widget")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert re.search(r"(^|; )frame-ancestors ([^;]+)", csp).group(2) == site.frame_ancestors  # type: ignore[union-attr]

    # A page of an origin that is not listed: embed.js shows nothing at all and says why, once.
    blocked = ctx.new_page()
    console: list[tuple[str, str]] = []
    blocked.on("console", lambda m: console.append((m.type, m.text)))
    with blocked.expect_console_message(lambda m: m.type == "warning", timeout=TIMEOUT_MS):
        blocked.goto(site.blocked_host.origin + "/")
    blocked.wait_for_load_state("networkidle")
    assert blocked.locator("[data-docchat-widget], button.launcher, iframe").count() == 0
    warnings = [text for kind, text in console if kind == "warning"]
    assert len(warnings) == 1, console
    assert "DOCCHAT_ALLOWED_ORIGINS" in warnings[0] and site.blocked_host.origin in warnings[0]
    assert not [text for kind, text in console if kind == "error"], console
    shoot(blocked, "frame-blocked.png")

    # And the header still does the enforcing: a frame the page makes itself stays empty.
    with blocked.expect_console_message(lambda m: "frame-ancestors" in m.text, timeout=TIMEOUT_MS):
        blocked.evaluate(
            "url => { const f = document.createElement('iframe'); f.src = url; document.body.appendChild(f); }",
            site.url + "/widget",
        )
    frame = blocked.locator("iframe").element_handle().content_frame()
    assert frame is not None
    assert frame.locator("#dc-input").count() == 0


def open_embedded_widget(ctx: BrowserContext, host: HostPage) -> tuple[Page, Locator, FrameLocator]:
    """A new tab on the host page, with the launcher clicked and the widget loaded in its frame."""
    page = ctx.new_page()
    page.goto(host.origin + "/")
    launcher = page.locator("button.launcher")
    launcher.click()
    widget = page.frame_locator("iframe[title='Ask the docs']")
    expect(widget.locator("#dc-input")).to_be_visible()
    return page, launcher, widget


def test_escape_inside_the_widget_closes_it_right_after_opening(
    site: Site, context: tuple[BrowserContext, Recorder]
) -> None:
    page, launcher, widget = open_embedded_widget(context[0], site.allowed_host)
    # Opening puts focus in the frame, where the host page's own Escape handler never hears the key.
    assert page.evaluate("document.activeElement && document.activeElement.tagName") == "DIV"  # the shadow host
    assert widget.locator("body").evaluate("() => document.hasFocus()")
    page.keyboard.press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".panel")).to_be_hidden()
    expect(launcher).to_be_focused()

    # Opened again and typed into: Escape from the input closes it too, and the text is still there after.
    launcher.click()
    widget.locator("#dc-input").fill("half a question")
    widget.locator("#dc-input").press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(widget.locator("#dc-input")).to_have_value("half a question")
    assert context[1].hosts() == {"127.0.0.1"}


def test_unreachable_server_shows_a_plain_message_keeps_the_question_and_retries(
    site: Site, context: tuple[BrowserContext, Recorder]
) -> None:
    page, _, widget = open_embedded_widget(context[0], site.allowed_host)
    chat_requests: list[str] = []
    page.on("request", lambda r: chat_requests.append(r.post_data or "") if "/api/chat" in r.url else None)

    # The server is gone (after the widget loaded): the connection is refused.
    page.route("**/api/chat*", lambda route: route.abort("connectionrefused"))
    widget.locator("#dc-input").fill(QUESTION)
    widget.locator("#dc-input").press("Enter")
    alert = widget.locator(".dc-unreachable")
    expect(alert).to_have_text(re.compile(r"^Can't reach docchat\. Check your connection and try again\.\s*Retry$"))
    expect(widget.locator("#dc-input")).to_have_value(QUESTION)
    assert "Failed to fetch" not in widget.locator(".dc-log").inner_text()
    shoot(page, "widget-unreachable.png")

    # Back again: Retry asks the same question and the answer comes.
    page.unroute("**/api/chat*")
    alert.get_by_role("button", name="Retry").click()
    expect(widget.locator(".dc-sources").last).to_be_visible()
    expect(widget.locator(".dc-unreachable")).to_have_count(0)
    expect(widget.locator(".dc-user")).to_have_text([QUESTION])
    expect(widget.locator("#dc-input")).to_have_value("")
    assert len(chat_requests) == 2 and all(QUESTION in body for body in chat_requests)
    assert context[1].hosts() == {"127.0.0.1"}
