"""The admin page in a real Chromium: sign in, upload a document, remove one (after confirming), re-index with
the progress bar, and the chat page then answers from the new document. The chat pages offer no upload.

Screenshots land in tests/artifacts/; with DOCCHAT_DOCS_SCREENSHOTS=1 also docs/admin.png and
docs/admin-mobile.png for the README.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect
from test_admin import ADMIN_TOKEN, admin_app, admin_web_settings
from test_browser import Recorder, ask_in_chat, browser, context, shoot  # noqa: F401 - fixtures

from rag.embeddings import Embedder
from ui.server import BackgroundServer, create_web_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW_DOCUMENT = (
    b"# Harbour archive\n\n"
    b"The harbour archive reading room opens at seven on Tuesdays.\n\n"
    b"Visitors sign the ledger at the door before they take out a map.\n"
)
QUESTION = "When does the harbour archive reading room open?"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[str, Path]]:
    app = admin_app(tmp_path_factory.mktemp("admin-browser"), embedder)
    with BackgroundServer(create_web_app(app, admin_web_settings())) as server:
        yield server.url, app.settings.corpus_dir


def test_admin_uploads_removes_reindexes_and_the_chat_cites_the_new_document(
    site: tuple[str, Path], context: tuple[BrowserContext, Recorder]  # noqa: F811 - fixtures
) -> None:
    url, corpus = site
    ctx, recorder = context
    page = ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(url + "/admin")
    expect(page.locator("#upload-form")).to_have_count(0)  # only the sign-in form until signed in
    page.locator("#admin-token").fill("not-the-token-at-all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".admin-error")).to_contain_text("Wrong admin token")
    page.locator("#admin-token").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    rows = page.locator("#documents tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator('tr[data-source="team-rota.md"] .state')).to_have_text("indexed")

    page.locator("#upload-file").set_input_files(
        {"name": "harbour-archive.md", "mimeType": "text/markdown", "buffer": NEW_DOCUMENT}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#upload-status")).to_contain_text("Added harbour-archive.md")
    expect(page.locator('tr[data-source="harbour-archive.md"] .state')).to_have_text("not indexed")
    expect(page.locator("#pending-note")).to_be_visible()
    assert (corpus / "harbour-archive.md").read_bytes() == NEW_DOCUMENT

    # Removing asks first: cancelling keeps the document, confirming removes it from the folder.
    desk = page.locator('tr[data-source="guides/desk-booking.txt"]')
    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    desk.get_by_role("button").click()
    expect(desk.locator(".state")).to_have_text("indexed")
    assert (corpus / "guides" / "desk-booking.txt").exists()
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    desk.get_by_role("button").click()
    expect(desk.locator(".state")).to_have_text("removed")
    assert not (corpus / "guides" / "desk-booking.txt").exists()
    assert len(dialogs) == 2 and "guides/desk-booking.txt" in dialogs[0]

    page.get_by_role("button", name="Re-index now").click()
    bar = page.locator("#reindex-progress")
    expect(bar).to_have_attribute("data-state", "done")
    assert bar.evaluate("b => b.value === b.max && b.max > 0")
    expect(page.locator("#reindex-status")).to_contain_text("Done: 1 added, 0 updated, 1 removed")
    expect(page.locator('tr[data-source="harbour-archive.md"] .state')).to_have_text("indexed")
    expect(rows).to_have_count(2)
    expect(page.locator("#pending-note")).to_be_hidden()
    shoot(page, "admin.png", "admin.png")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#documents thead")).to_be_hidden()  # rows become labelled cards on a phone
    shoot(page, "admin-mobile.png", "admin-mobile.png")

    chat = ctx.new_page()
    chat.goto(url + "/")
    ask_in_chat(chat, QUESTION)
    answer = chat.locator("#dc-chat .dc-answer").last
    expect(answer.locator(".dc-sources")).to_be_visible()
    expect(answer.locator("a.dc-source").first).to_contain_text("Harbour archive")
    assert "sources/harbour-archive.md" in (answer.locator("a.dc-source").first.get_attribute("href") or "")
    # Users must never be able to upload: neither chat page has a file input.
    assert chat.locator("input[type=file]").count() == 0
    widget = ctx.new_page()
    widget.goto(url + "/widget")
    expect(widget.locator("#dc-input")).to_be_visible()
    assert widget.locator("input[type=file]").count() == 0

    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()
    assert any("/api/admin/documents" in u for u in recorder.urls)
