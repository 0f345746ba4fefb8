"""The chat page's conversations in a real Chromium: the sidebar (list, switch, rename, delete with a
confirmation), votes that survive a reload, regenerate, edit-and-resend, and Stop while an answer streams.

One server for the module, answering through the fake LLM endpoint (tests/fake_openai.py) so an answer can
be made to stream slowly. Browser, context and screenshot helpers come from tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fake_openai import FakeOpenAI, Reply, source_number, user_text
from playwright.sync_api import BrowserContext, Page, expect
from test_browser import Recorder, ask_in_chat, browser, context, shoot  # noqa: F401 - fixtures

from rag.app import DocChat, build_app
from ui.server import BackgroundServer, create_web_app
from ui.settings import WebSettings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "Who does a Head of Product report to?"
SECOND = "What does a Director of Product Management do?"
SLOW = "Tell me slowly about the Head of Product role"
ANSWERS = "#dc-chat .dc-answer"


@dataclass
class Chat:
    url: str
    llm: FakeOpenAI


def reply(body: dict[str, Any]) -> Reply | str:
    if SLOW in user_text(body):
        return Reply(text="Heads of Product " + "keep talking " * 150, chunk_delay_s=0.1)  # ~30 s if not stopped
    n = source_number(body, "directly to the CEO") or 1
    return f"A Head of Product reports directly to the CEO [{n}]."


@pytest.fixture(scope="module")
def chat(corpus_app: DocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chat]:
    with FakeOpenAI(reply) as llm:
        settings = corpus_app.settings.model_copy(
            update={
                "answerer": "llm",
                "llm_base_url": llm.base_url,
                "llm_timeout_s": 20.0,
            }
        )
        web = WebSettings(  # type: ignore[call-arg]
            _env_file=None,
            rate_limit_per_minute=0,
            database_url=f"sqlite:///{tmp_path_factory.mktemp('chat') / 'fb.sqlite3'}",
        )
        app = build_app(settings, embedder=corpus_app.embedder)
        app.warm()
        with BackgroundServer(create_web_app(app, web)) as server:
            yield Chat(server.url, llm)


def open_chat(page: Page, url: str) -> Page:
    page.goto(url + "/")
    # The page load gives this browser its id; wait for it so every step below is this browser's.
    page.wait_for_function("() => !!localStorage.getItem('docchat-chat-owner')")
    return page


def ask(page: Page, question: str, answers: int) -> None:
    ask_in_chat(page, question)
    expect(page.locator(f"{ANSWERS}:has(.dc-sources, .dc-refused)")).to_have_count(answers)


def titles(page: Page) -> Any:
    return page.locator("#dc-conversations label")


def test_conversations_are_listed_switched_renamed_and_deleted_with_confirmation(
    chat: Chat, context: tuple[BrowserContext, Recorder], browser: Any  # noqa: F811
) -> None:
    page, recorder = open_chat(context[0].new_page(), chat.url), context[1]
    ask(page, QUESTION, 1)
    page.locator("#dc-new").click()
    expect(page.locator(ANSWERS)).to_have_count(0)
    ask(page, SECOND, 1)
    expect(titles(page)).to_have_text([SECOND, QUESTION])  # most recent first, titled by the first question

    titles(page).nth(1).click()  # switch
    expect(page.locator("#dc-chat")).to_contain_text(QUESTION)
    expect(page.locator("#dc-chat")).not_to_contain_text(SECOND)
    page.locator("#dc-title textarea").fill("Reporting lines")
    page.locator("#dc-rename").click()
    expect(titles(page)).to_have_text([SECOND, "Reporting lines"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#dc-title textarea").focus()
    shoot(page, "chat-sidebar.png", "chat-sidebar.png")
    page.set_viewport_size({"width": 1100, "height": 900})

    page.locator("#dc-delete").click()  # the first click only asks
    expect(page.locator("#dc-confirm-text")).to_contain_text("Delete “Reporting lines”?")
    page.locator("#dc-confirm-cancel").click()
    expect(page.locator("#dc-confirm-text")).to_be_hidden()
    expect(titles(page)).to_have_count(2)
    page.locator("#dc-delete").click()
    page.locator("#dc-confirm-delete").click()
    expect(titles(page)).to_have_text([SECOND])
    expect(page.locator(ANSWERS)).to_have_count(0)

    page.reload()  # the list is the server's: it survives a reload
    expect(titles(page)).to_have_text([SECOND])

    # Another browser (a fresh context has its own id) sees none of it.
    other = browser.new_context()
    try:
        stranger = other.new_page()
        open_chat(stranger, chat.url)
        expect(stranger.locator("#dc-conversations")).to_be_visible()
        expect(titles(stranger)).to_have_count(0)
        expect(stranger.locator(ANSWERS)).to_have_count(0)
    finally:
        other.close()

    mobile = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    try:
        phone = mobile.new_page()
        phone.on("request", lambda request: recorder.urls.append(request.url))
        phone.add_init_script(
            "(([k, v]) => localStorage.setItem(k, v))"
            + f"({page.evaluate('() => [`docchat-chat-owner`, localStorage.getItem(`docchat-chat-owner`)]')})"
        )
        open_chat(phone, chat.url)
        # On a phone the sidebar starts closed, so the chat shows; open it as a person would.
        phone.wait_for_selector("html[data-dc-settled]", state="attached")
        left = "(document.querySelector('#dc-new')?.getBoundingClientRect().left ?? -1)"
        phone.wait_for_function(f"() => {left} < 0")
        expect(phone.locator("#dc-chat")).to_be_in_viewport()
        phone.get_by_role("button", name="Toggle Sidebar").click()
        phone.wait_for_function(f"() => {left} >= 0")
        phone.wait_for_timeout(600)  # the end of the slide, for the picture
        expect(titles(phone)).to_have_text([SECOND])
        shoot(phone, "chat-sidebar-mobile.png", "chat-sidebar-mobile.png")
    finally:
        mobile.close()
    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()


def test_votes_survive_a_reload_and_regenerate_and_edit_replace_answers(
    chat: Chat, context: tuple[BrowserContext, Recorder]  # noqa: F811
) -> None:
    page, recorder = open_chat(context[0].new_page(), chat.url), context[1]
    ask(page, QUESTION, 1)
    ask(page, SECOND, 2)

    page.locator("#dc-chat button[aria-label='Dislike']").first.click()
    expect(page.locator("#dc-comment-text textarea")).to_be_visible()  # 👎: what was wrong?
    page.locator("#dc-comment-text textarea").fill("Not the role I meant")
    page.locator("#dc-comment-send").click()
    expect(page.locator("#dc-comment-text textarea")).to_be_hidden()
    page.locator("#dc-chat button[aria-label='Disliked']").first.wait_for()
    page.locator("#dc-chat button[aria-label='Like']").last.click()
    page.locator("#dc-chat button[aria-label='Liked']").wait_for()

    page.reload()
    expect(page.locator(ANSWERS)).to_have_count(2)
    expect(page.locator("#dc-chat button[aria-label='Disliked']")).to_have_count(1)
    expect(page.locator("#dc-chat button[aria-label='Liked']")).to_have_count(1)
    page.locator("#dc-chat button[aria-label='Disliked']").click()  # changed: 👎 taken back
    expect(page.locator("#dc-chat button[aria-label='Disliked']")).to_have_count(0)
    expect(page.get_by_text("Vote removed.").first).to_be_visible()  # the server has it: reload now
    page.reload()
    expect(page.locator(ANSWERS)).to_have_count(2)
    expect(page.locator("#dc-chat button[aria-label='Disliked']")).to_have_count(0)
    expect(page.locator("#dc-chat button[aria-label='Liked']")).to_have_count(1)

    asked = len(chat.llm.chat_requests)
    page.locator("#dc-chat button[aria-label='Retry']").click()  # regenerate the last answer
    for _ in range(300):  # bounded: the fake endpoint hears the question again
        if len(chat.llm.chat_requests) > asked:
            break
        page.wait_for_timeout(100)
    assert len(chat.llm.chat_requests) > asked
    expect(page.locator("#dc-input button", has_text="Ask")).to_be_visible()  # the answer is complete
    expect(page.locator(f"{ANSWERS}:has(.dc-sources)")).to_have_count(2)  # replaced, not added

    page.locator("#dc-chat [data-testid='user']").first.hover()
    page.locator("#dc-chat button[aria-label='Edit']").first.click()
    edit_box = page.locator("#dc-chat textarea").first
    expect(edit_box).to_have_value(QUESTION)  # the question as typed, no markup
    edit_box.fill("Who does a Head of Product report to, in a small company?")
    page.locator("#dc-chat").get_by_role("button", name="Submit").click()
    expect(page.locator("#dc-chat [data-testid='user']")).to_have_count(1)  # the turns after it are gone
    expect(page.locator(f"{ANSWERS}:has(.dc-sources)")).to_have_count(1)
    expect(page.locator("#dc-chat")).to_contain_text("in a small company?")
    page.reload()
    expect(page.locator("#dc-chat [data-testid='user']")).to_have_count(1)
    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()


def test_stop_ends_a_streaming_answer_and_keeps_the_question_marked_stopped(
    chat: Chat, context: tuple[BrowserContext, Recorder]  # noqa: F811
) -> None:
    page, recorder = open_chat(context[0].new_page(), chat.url), context[1]
    ask_in_chat(page, SLOW)
    expect(page.locator(ANSWERS)).to_contain_text("keep talking")  # streaming
    stop = page.locator("#dc-input button.stop-button")
    expect(stop).to_be_visible()
    stop.click()
    expect(page.locator(ANSWERS)).to_contain_text("Stopped before the answer was finished.")
    expect(page.locator("#dc-input button", has_text="Ask")).to_be_visible()
    page.reload()
    expect(page.locator("#dc-chat")).to_contain_text(SLOW)
    expect(page.locator(ANSWERS)).to_have_text(["Stopped before the answer was finished."])
    ask(page, QUESTION, 1)  # the conversation goes on
    expect(page.locator(ANSWERS)).to_have_count(2)
    assert recorder.hosts() == {"127.0.0.1"}, recorder.hosts()
