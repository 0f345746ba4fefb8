"""The chat page's citations in a real Chromium: [n] and sources open the cited passage in a side panel
(a bottom sheet on a phone), sources start collapsed, and copy gives plain text.

Reuses test_browser's server, browser and helpers. Screenshots land in tests/artifacts/, and with
DOCCHAT_DOCS_SCREENSHOTS=1 in docs/chat-panel.png and docs/chat-panel-mobile.png too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from pydantic import SecretStr
from test_api import serving_settings
from test_browser import (  # noqa: F401 - browser and site are fixtures used by name
    QUESTION,
    TIMEOUT_MS,
    Recorder,
    Site,
    ask_in_chat,
    browser,
    shoot,
    site,
    squash,
)

from rag.app import DocChat
from ui.server import BackgroundServer, create_web_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOKEN = "panel-test-token"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

OpenPage = Callable[..., tuple[Page, Recorder]]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:  # noqa: F811 - the imported fixture, by name
    """A page in a fresh context of the given viewport, recording every request it makes."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int], **options: object) -> tuple[Page, Recorder]:
        ctx = browser.new_context(viewport=viewport, device_scale_factor=1, **options)  # type: ignore[arg-type]
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        recorder = Recorder()
        ctx.on("request", lambda request: recorder.urls.append(request.url))
        return ctx.new_page(), recorder

    yield make
    for ctx in contexts:
        ctx.close()


def answered(page: Page, url: str) -> Locator:
    page.goto(url + "/")
    page.wait_for_selector("html[data-dc-settled]", state="attached")  # on a phone, the sidebar has closed
    ask_in_chat(page, QUESTION)
    answer = page.locator("#dc-chat .dc-answer:has(.dc-sources)").last
    expect(answer.locator("a.dc-ref").first).to_be_visible()
    return answer


def fits_the_viewport(page: Page, element: Locator) -> None:
    box = element.bounding_box()
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (box, width)
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"horizontal scroll: {scroll} > {client}"


def test_citation_opens_the_passage_in_a_panel_and_copy_is_plain_text(
    site: Site,  # noqa: F811
    open_page: OpenPage,
) -> None:
    page, recorder = open_page(DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    answer = answered(page, site.url)

    # The sources start collapsed: the answer stays short.
    sources = answer.locator("details.dc-sources")
    assert sources.evaluate("d => d.open") is False
    expect(answer.locator(".dc-quote").first).to_be_hidden()
    quote = squash(answer.locator(".dc-quote").first.text_content() or "")
    title = squash(answer.locator("a.dc-source").first.text_content() or "").removeprefix("[1] ")

    ref = answer.locator("a.dc-ref").first
    expect(ref).to_have_text("[1]")
    ref.click()
    panel = page.locator("#dc-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".dc-panel-title")).to_have_text(title)
    hit = panel.locator("mark.dc-panel-hit")
    expect(hit).to_be_in_viewport()
    assert squash(hit.inner_text()) == quote
    full = panel.locator("a.dc-panel-full")
    assert "/sources/" in (full.get_attribute("href") or "") and (full.get_attribute("href") or "").endswith("#hit")
    fits_the_viewport(page, panel)
    chat_box, panel_box = page.locator("#dc-chat").bounding_box(), panel.bounding_box()
    assert chat_box and panel_box and chat_box["x"] + chat_box["width"] <= panel_box["x"]  # side by side
    shoot(page, "chat-panel.png", "chat-panel.png")

    # Escape closes it and gives the focus back to the [1]; Enter on the focused [1] opens it again.
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(ref).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(panel.locator(".dc-panel-close")).to_be_focused()
    expect(hit).to_have_count(1)
    page.keyboard.press("Enter")  # the close button
    expect(panel).to_be_hidden()

    # A source in the list opens the same panel.
    sources.locator("summary").click()
    answer.locator("a.dc-source").first.click()
    expect(panel).to_be_visible()
    assert squash(hit.inner_text()) == quote
    panel.locator(".dc-panel-close").click()

    # Copy: the answer and a numbered source with its quote, as text without markup.
    answer.hover()
    page.locator("#dc-chat button[aria-label='Copy message']").last.click()  # the answer's: the last bubble
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "&lt;" not in copied and "class=" not in copied, copied
    text = squash(answer.locator(".dc-text").inner_text())
    assert copied.startswith(text), (copied, text)
    assert f"\n1. {title}" in copied and quote[:60] in squash(copied)

    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()
    assert any("/_docchat/chat.js" in u for u in recorder.urls)


def test_the_panel_is_a_bottom_sheet_on_a_phone(site: Site, open_page: OpenPage) -> None:  # noqa: F811
    page, recorder = open_page(PHONE, is_mobile=True, has_touch=True)
    answer = answered(page, site.url)
    quote = squash(answer.locator(".dc-quote").first.text_content() or "")
    answer.locator("a.dc-ref").first.tap()
    panel = page.locator("#dc-panel")
    expect(panel).to_be_visible()
    hit = panel.locator("mark.dc-panel-hit")
    expect(hit).to_be_in_viewport()
    assert squash(hit.inner_text()) == quote
    fits_the_viewport(page, panel)
    box = panel.bounding_box()
    assert box is not None and box["width"] == PHONE["width"]
    assert abs(box["y"] + box["height"] - PHONE["height"]) <= 1  # a sheet from the bottom edge
    shoot(page, "chat-panel-mobile.png", "chat-panel-mobile.png")
    panel.locator(".dc-panel-close").tap()
    expect(panel).to_be_hidden()
    fits_the_viewport(page, page.locator("#dc-chat"))
    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()


@pytest.fixture(scope="module")
def token_url(corpus_app: DocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = serving_settings(corpus_app, tmp_path_factory.mktemp("token"), api_token=SecretStr(TOKEN))
    with BackgroundServer(create_web_app(corpus_app, settings)) as server:
        yield server.url


def test_with_a_token_the_panel_reads_the_document_through_the_chat_login(
    token_url: str, open_page: OpenPage
) -> None:
    page, recorder = open_page(DESKTOP)
    # Signing in at the chat page's login sets the session cookie the panel's fetch of /sources carries.
    assert page.request.post(token_url + "/login", form={"username": "me", "password": TOKEN}).ok
    answer = answered(page, token_url)
    quote = squash(answer.locator(".dc-quote").first.text_content() or "")
    ref = answer.locator("a.dc-ref").first
    ref.click()
    panel = page.locator("#dc-panel")
    assert squash(panel.locator("mark.dc-panel-hit").inner_text()) == quote
    page.keyboard.press("Escape")

    # Signed out meanwhile: the panel says what to do instead of showing a broken page.
    page.context.clear_cookies()
    ref.click()
    expect(panel.locator(".dc-panel-title")).to_have_text("Access token needed")
    expect(panel.locator(".dc-panel-note")).to_contain_text("sign in on the chat page")
    expect(panel.locator("mark")).to_have_count(0)
    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()
