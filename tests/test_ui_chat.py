"""The Gradio page's callbacks, called directly: history reaches DocChat, bad input never does, and each
browser's conversations are its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from support import seeded_conversation

from rag.app import DocChat
from ui.chat import ChatHandlers, history_of, question_from_edit, question_markdown, turn_of, valid_turns
from ui.context import WebContext
from ui.conversations import owner_key
from ui.feedback import FeedbackStore
from ui.security import OriginPolicy, RateLimiter
from ui.settings import WebSettings

QUESTION = "Who does a Head of Product report to?"
FOLLOW_UP = "What about a Director of Product Management?"


class SpyDocChat:
    """The real DocChat, recording what the page hands it."""

    def __init__(self, real: DocChat) -> None:
        self.real = real
        self.calls: list[tuple[str, list[Any]]] = []

    def stream(self, question: str, history: Any = ()) -> Any:
        self.calls.append((question, list(history)))
        return self.real.stream(question, history)


class FakeRequest:
    client = type("C", (), {"host": "127.0.0.1"})()

    def __init__(self, session: str | None = None) -> None:
        self.session_hash = session


def handlers_for(app: Any, tmp_path: Path, per_minute: int = 0) -> tuple[ChatHandlers, SpyDocChat]:
    spy = SpyDocChat(app)
    store = FeedbackStore.from_url(f"sqlite:///{tmp_path / 'f.db'}")
    store.create_tables()
    ctx = WebContext(spy, WebSettings(_env_file=None), store, RateLimiter(per_minute), OriginPolicy.parse(["'self'"]))  # type: ignore[arg-type]
    return ChatHandlers(ctx), spy


def run(handlers: ChatHandlers, message: str, owner: Any = "", current: Any = "") -> list[tuple[Any, ...]]:
    return list(handlers.respond(message, owner, current, FakeRequest()))  # type: ignore[arg-type]


def shown(output: tuple[Any, ...]) -> list[dict[str, str]]:
    return output[0]["value"]


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(gr, "Warning", messages.append)
    monkeypatch.setattr(gr, "Info", messages.append)
    return messages


def test_follow_ups_send_the_stored_conversation(corpus_app: DocChat, tmp_path: Path) -> None:
    handlers, spy = handlers_for(corpus_app, tmp_path)
    first = run(handlers, QUESTION)
    owner, current = first[0][2], first[0][3]
    assert owner_key(owner) and current  # a new browser gets an id, its first question a conversation
    assert first[0][1]["value"] == "" and first[0][1]["stop_btn"] == "Stop"  # box emptied, Stop offered
    assert first[-1][1]["submit_btn"] == "Ask" and first[-1][1]["stop_btn"] is False
    assert [m["role"] for m in shown(first[-1])] == ["user", "assistant"]
    assert "dc-sources" in shown(first[-1])[1]["content"]
    assert first[0][4]["choices"] == [(QUESTION, current)] and first[0][5] == QUESTION

    second = run(handlers, FOLLOW_UP, owner, current)
    turns = [{"q": t.question, "a": t.answer} for t in handlers.store.turns(owner_key(owner), current)]  # type: ignore[arg-type]
    assert len(turns) == 2 and spy.calls[-1] == (FOLLOW_UP, history_of(turns[:1]))
    # Streaming: the bubble grows before the final answer with its sources replaces it.
    assert len(second) >= 3 and "dc-sources" not in shown(second[1])[-1]["content"]

    # A reload shows the same conversation, with the list of this browser's conversations.
    restored = handlers.restore(owner, current, [], FakeRequest())  # type: ignore[arg-type]
    assert restored[:3] == (owner, current, []) and len(restored[3]["value"]) == 4
    assert restored[3]["feedback_value"] == [None, None]


def test_new_chat_keeps_the_others_and_switching_opens_them(corpus_app: DocChat, tmp_path: Path) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    first = run(handlers, QUESTION)
    owner, one = first[0][2], first[0][3]
    fresh = handlers.new_chat(owner)
    assert fresh[0] == "" and fresh[1]["value"] == [] and fresh[2]["choices"] == [(QUESTION, one)]
    two = run(handlers, FOLLOW_UP, owner, "")[0][3]
    assert two != one and [c for _, c in run(handlers, QUESTION, owner, two)[0][4]["choices"]] == [two, one]
    opened = handlers.open(owner, one)
    assert opened[0] == one and len(opened[1]["value"]) == 2 and opened[3] == QUESTION


def test_another_browser_cannot_open_rename_delete_or_continue_a_conversation(
    corpus_app: DocChat, tmp_path: Path, said: list[str]
) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    owner, mine = seeded_conversation(handlers.store, [turn_of(QUESTION, corpus_app.answer(QUESTION))])
    stranger = handlers.restore("", "", [], FakeRequest("another-page"))[0]  # type: ignore[arg-type]
    assert stranger != owner

    assert handlers.restore(stranger, mine, [], FakeRequest())[1] == ""  # type: ignore[arg-type]
    assert handlers.open(stranger, mine)[0] == "" and handlers.open(stranger, mine)[1]["value"] == []
    assert handlers.rename(stranger, mine, "taken") == (gr.skip(), gr.skip())
    handlers.delete(stranger, mine)
    continued = run(handlers, FOLLOW_UP, stranger, mine)
    assert continued[0][3] != mine  # asked in a conversation of its own
    assert [t.question for t in handlers.store.turns(owner_key(owner), mine)] == [QUESTION]  # type: ignore[arg-type]
    assert handlers.store.title(owner_key(owner), mine) == QUESTION  # type: ignore[arg-type]
    assert [c for _, c in handlers.listing(owner_key(stranger), None)["choices"]] == [continued[0][3]]  # type: ignore[arg-type]


def test_rename_and_delete_need_a_confirmation(corpus_app: DocChat, tmp_path: Path, said: list[str]) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    owner, talk = seeded_conversation(handlers.store, [turn_of(QUESTION, corpus_app.answer(QUESTION))])
    listing, title = handlers.rename(owner, talk, "  Reporting lines ")
    assert title == "Reporting lines" and listing["choices"] == [("Reporting lines", talk)]
    assert handlers.rename(owner, talk, "") == (gr.skip(), gr.skip()) and "empty" in said[-1]

    confirm, text, doomed = handlers.ask_delete(owner, talk)
    assert confirm["visible"] is True and "Reporting lines" in text and doomed == talk
    assert handlers.store.title(owner_key(owner), talk) == "Reporting lines"  # type: ignore[arg-type]  # asking deletes nothing
    assert handlers.cancel_delete()["visible"] is False
    after = handlers.delete(owner, doomed)  # the one the confirmation named, whatever is open by then
    assert after[0] == "" and after[2]["choices"] == [] and handlers.store.title(owner_key(owner), talk) is None  # type: ignore[arg-type]


def test_regenerate_and_edit_replace_the_answers_after_the_question(
    corpus_app: DocChat, tmp_path: Path, said: list[str]
) -> None:
    handlers, spy = handlers_for(corpus_app, tmp_path)
    answer = corpus_app.answer(QUESTION)
    turns = [turn_of(QUESTION, answer), turn_of(FOLLOW_UP, corpus_app.answer(FOLLOW_UP)), turn_of("Third?", answer)]
    owner, talk = seeded_conversation(handlers.store, turns)
    key = owner_key(owner)

    again = list(handlers.regenerate(owner, talk, FakeRequest()))  # type: ignore[arg-type]
    assert spy.calls[-1][0] == "Third?" and len(spy.calls[-1][1]) == 4  # asked with the turns before it
    assert len(shown(again[-1])) == 6
    assert [t.question for t in handlers.store.turns(key, talk)] == [QUESTION, FOLLOW_UP, "Third?"]  # type: ignore[arg-type]

    edit = gr.EditData(None, {"index": 2, "value": "What does a Director do?", "previous_value": "x"})
    edited = list(handlers.edit(owner, talk, edit, FakeRequest()))  # type: ignore[arg-type]
    assert spy.calls[-1] == ("What does a Director do?", history_of([turn_of(QUESTION, answer)]))
    assert len(shown(edited[-1])) == 4 and "dc-sources" in shown(edited[-1])[-1]["content"]
    questions = [t.question for t in handlers.store.turns(key, talk)]  # type: ignore[arg-type]
    assert questions == [QUESTION, "What does a Director do?"]

    calls = len(spy.calls)
    for index in (1, 99, -2, "0", None):  # an answer, no such message, junk
        bad = gr.EditData(None, {"index": index, "value": "x", "previous_value": "x"})
        assert list(handlers.edit(owner, talk, bad, FakeRequest()))[0][0] == gr.skip()  # type: ignore[arg-type]
    assert list(handlers.regenerate("", talk, FakeRequest()))[0][0] == gr.skip()  # type: ignore[arg-type]
    assert len(spy.calls) == calls


def test_stop_keeps_the_question_marked_stopped_and_the_late_answer_is_dropped(
    corpus_app: DocChat, tmp_path: Path
) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    owner, talk = seeded_conversation(handlers.store, [turn_of(QUESTION, corpus_app.answer(QUESTION))])
    stream = handlers.respond(FOLLOW_UP, owner, talk, FakeRequest())  # type: ignore[arg-type]
    next(stream)  # the question is stored, its answer on its way
    view, box = handlers.stop(owner, talk)
    assert box["stop_btn"] is False and box["submit_btn"] == "Ask"
    assert len(view["value"]) == 4 and "Stopped before the answer was finished" in view["value"][-1]["content"]
    after = list(stream)  # what is stored, once more, and the box ready: never the late answer
    assert len(after) == 1 and shown(after[0]) == view["value"] and after[0][1]["stop_btn"] is False
    turns = handlers.store.turns(owner_key(owner), talk)  # type: ignore[arg-type]
    assert [(t.question, t.answer is None) for t in turns] == [(QUESTION, False), (FOLLOW_UP, True)]
    # A stopped turn is left out of the history of the next question, and can be regenerated.
    regenerated = list(handlers.regenerate(owner, talk, FakeRequest()))  # type: ignore[arg-type]
    assert "dc-sources" in shown(regenerated[-1])[-1]["content"]


def test_votes_are_kept_with_the_turn_and_a_down_vote_takes_a_comment(
    corpus_app: DocChat, tmp_path: Path, said: list[str]
) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    answer = corpus_app.answer(QUESTION)
    owner, talk = seeded_conversation(handlers.store, [turn_of(QUESTION, answer), turn_of(FOLLOW_UP, answer)])

    def vote(index: int, liked: Any) -> tuple[Any, Any, Any]:
        data = gr.LikeData(None, {"index": index, "value": "x", "liked": liked})
        return handlers.vote(owner, talk, data, FakeRequest())  # type: ignore[arg-type]

    assert vote(1, True)[0]["visible"] is False
    group, turn_id, _ = vote(3, False)
    assert group["visible"] is True  # 👎 asks what was wrong
    assert handlers.restore(owner, talk, [], FakeRequest())[3]["feedback_value"] == ["Like", "Dislike"]  # type: ignore[arg-type]
    assert handlers.comment(owner, talk, turn_id, "x" * 4001, FakeRequest())[0] == gr.skip()  # type: ignore[arg-type]
    assert "comment" in said[-1]
    assert handlers.comment(owner, talk, turn_id, " Cites the wrong role. ", FakeRequest())[0]["visible"] is False  # type: ignore[arg-type]
    def stored() -> dict[str, tuple[str, str | None]]:
        return {r["question"]: (r["vote"], r["comment"]) for r in handlers.ctx.feedback.recent()}

    assert stored() == {QUESTION: ("up", None), FOLLOW_UP: ("down", "Cites the wrong role.")}  # one row per answer
    vote(3, True)  # changed: the comment belonged to the 👎
    assert stored() == {QUESTION: ("up", None), FOLLOW_UP: ("up", None)}
    vote(1, "")  # taken back
    assert handlers.open(owner, talk)[1]["feedback_value"] == [None, "Like"]
    # Someone else's browser cannot vote on, or comment, this conversation.
    stranger = handlers.restore("", "", [], FakeRequest("other"))[0]  # type: ignore[arg-type]
    handlers.vote(stranger, talk, gr.LikeData(None, {"index": 3, "value": "x", "liked": False}), FakeRequest())  # type: ignore[arg-type]
    assert handlers.comment(stranger, talk, turn_id, "spam", FakeRequest())[1] is None  # type: ignore[arg-type]
    assert handlers.open(owner, talk)[1]["feedback_value"] == [None, "Like"]


def test_a_conversation_kept_in_the_browser_by_an_older_docchat_is_imported_once(
    corpus_app: DocChat, tmp_path: Path
) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    old = [turn_of(QUESTION, corpus_app.answer(QUESTION)), None, {"q": "junk"}]
    owner, current, legacy, chat, listing, *_ = handlers.restore("", "", old, FakeRequest("page"))  # type: ignore[arg-type]
    assert legacy == [] and current and len(chat["value"]) == 2 and listing["choices"] == [(QUESTION, current)]
    assert handlers.restore(owner, current, [], FakeRequest())[4]["choices"] == [(QUESTION, current)]  # type: ignore[arg-type]


def test_an_old_browser_conversation_with_questions_no_one_could_ask_now_is_not_imported(
    corpus_app: DocChat, tmp_path: Path
) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    good = turn_of(QUESTION, corpus_app.answer(QUESTION))
    old = [{**good, "q": "x" * 100_000}, {**good, "q": "lone \ud800 surrogate"}]
    owner, current, legacy, _chat, listing, *_ = handlers.restore("", "", old, FakeRequest("page"))  # type: ignore[arg-type]
    assert legacy == [] and current == "" and listing["choices"] == []
    assert handlers.store.list(owner_key(owner)) == []  # type: ignore[arg-type]


def test_a_page_session_keeps_its_new_id_only_briefly_and_only_until_the_page_knows_it(
    corpus_app: DocChat, tmp_path: Path
) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    now = [1000.0]
    handlers.clock = lambda: now[0]
    first = handlers.owner_of("", FakeRequest("sess"))  # type: ignore[arg-type]
    assert handlers.owner_of("", FakeRequest("sess")) == first  # type: ignore[arg-type]
    handlers.owner_of(first[0], FakeRequest("sess"))  # type: ignore[arg-type]
    assert handlers.owner_of("", FakeRequest("sess")) != first  # type: ignore[arg-type]  # forgotten once known
    again = handlers.owner_of("", FakeRequest("late"))  # type: ignore[arg-type]
    now[0] += 61
    assert handlers.owner_of("", FakeRequest("late")) != again  # type: ignore[arg-type]  # and after a minute


def test_a_question_before_the_page_load_finished_gets_the_same_new_id(corpus_app: DocChat, tmp_path: Path) -> None:
    handlers, _ = handlers_for(corpus_app, tmp_path)
    asked = list(handlers.respond(QUESTION, "", "", FakeRequest("page-1")))  # type: ignore[arg-type]
    loaded = handlers.restore("", "", [], FakeRequest("page-1"))  # type: ignore[arg-type]
    assert loaded[0] == asked[0][2] and loaded[4]["choices"] == [(QUESTION, asked[0][3])]


@pytest.mark.parametrize("message", ["", "   ", "x" * 4001])
def test_bad_input_is_refused_before_docchat_is_called(
    corpus_app: DocChat, tmp_path: Path, said: list[str], message: str
) -> None:
    handlers, spy = handlers_for(corpus_app, tmp_path)
    out = run(handlers, message)
    assert spy.calls == [] and len(out) == 1 and said
    assert out[0][0] == gr.skip() and all(v == gr.skip() for v in out[0][2:])
    assert handlers.store.list(owner_key(handlers.owner_of("", FakeRequest())[0])) == []  # type: ignore[arg-type]


def test_chat_page_is_rate_limited(corpus_app: DocChat, tmp_path: Path, said: list[str]) -> None:
    handlers, spy = handlers_for(corpus_app, tmp_path, per_minute=1)
    run(handlers, QUESTION)
    run(handlers, QUESTION)
    assert len(spy.calls) == 1 and "too many requests" in said[0]


def test_questions_show_as_their_text_and_come_back_from_the_edit_box_unchanged(corpus_app: DocChat) -> None:
    for text in [QUESTION, "What's *this* [x](javascript:1) <b>&amp;</b> `code` | ~~no~~ \\ _u_?", "# 1. - + > head"]:
        shown_text = question_markdown(text)
        assert "<" not in shown_text and question_from_edit(shown_text) == text
    assert question_markdown("What's a PM?") == "What's a PM?"  # ordinary questions edit as typed
    assert question_from_edit(None) == "" and question_from_edit([{"text": "a"}, {"text": "b"}]) == "a b"


def test_stored_conversation_from_the_browser_is_validated(corpus_app: DocChat) -> None:
    good = turn_of(QUESTION, corpus_app.answer(QUESTION))
    junk = [None, 3, {"q": "x"}, {"q": "x", "a": {"answer": 5}}, {"a": good["a"]}, good]
    assert valid_turns(junk) == [good]
    assert valid_turns("not a list") == []
