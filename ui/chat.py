"""The Gradio chat page at `/`: streamed answers, a Sources block under each, examples, like/dislike with
an optional comment, regenerate, edit-and-resend, Stop, and a sidebar of this browser's conversations,
which are kept on the server (ui.conversations) under a random id the browser holds (gr.BrowserState).

Answers are rendered to HTML by ui.render, which escapes all document and user text; Gradio's own
sanitizer stays on as a second line of defence.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from html import escape, unescape
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import ValidationError

from rag.models import Answer, Message
from ui.context import ApiError, WebContext, log_unexpected, public_error
from ui.conversations import (
    MAX_TITLE_CHARS,
    MAX_TURNS,
    Turn,
    clean_title,
    conversation_id,
    new_owner_id,
    owner_key,
    title_from,
)
from ui.render import answer_html, error_html, pending_html
from ui.schemas import FeedbackRequest

OWNER_KEY = "docchat-chat-owner"  # the browser's random id: whose conversations these are
CURRENT_KEY = "docchat-chat-current"  # the conversation open in this browser, reopened after a reload
# Where docchat kept the conversation in the browser before conversations moved to the server; read once
# and imported as a conversation, so nobody loses theirs.
STORAGE_KEY = "docchat-chat-history"
FEEDBACK_OPTION = {"up": "Like", "down": "Dislike"}
NEW_OWNERS_KEPT = 10_000  # page sessions remembered until their load and first question agree on an id
NEW_OWNER_SECONDS = 60.0  # … and for no longer than this (a page load takes seconds)
# ui/static/chat.js defines it; without that script this does nothing.
CLOSE_SIDEBAR_ON_PHONE = "() => { window.docchatCloseSidebarOnPhone?.(); }"
COMMENT_CHARS = 4000  # FeedbackRequest.comment's limit
STOPPED_HTML = '<div class="dc-answer"><p class="dc-notice">Stopped before the answer was finished.</p></div>'

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]

CSS = """
.dc-answer p { margin: 0 0 .5em 0; }
.dc-refused { border-left: 3px solid #b45309; padding-left: .6em; }
.dc-notice { font-size: .9em; opacity: .8; }
.dc-error { color: #b91c1c; }
.dc-sources { margin-top: .4em; font-size: .92em; }
.dc-sources summary { cursor: pointer; font-weight: 600; }
.dc-source-list { margin: .3em 0 0 0; padding-left: 1.2em; }
.dc-source-list li { margin: .35em 0; }
.dc-section { opacity: .75; }
.dc-answer .dc-quote { margin: .15em 0 0 0 !important; padding: .1em .6em; border-left: 3px solid #cbd5e1;
  font-style: italic; opacity: .9; }
#dc-header h1 { margin: 0; font-size: 1.5em; }
#dc-header p { margin: .2em 0 0 0; opacity: .8; }
"""


def theme() -> gr.themes.Base:
    # Plain font names: Gradio would otherwise fetch web fonts, and this page must not leave the host.
    return gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def browser_secret(data_dir: Path) -> str:
    """One secret per data dir, so stored conversations still decode after a server restart."""
    path = data_dir / "ui-secret"
    try:
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(24)
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
        return value
    except OSError:
        return secrets.token_urlsafe(24)  # read-only data dir: history then lasts until a restart


# --- conversation state: plain data, stored server-side by ui.conversations ----------------------------


def turn_of(question: str, answer: Answer) -> dict[str, Any]:
    return {
        "q": question,
        "a": answer.model_dump(
            mode="json", include={"answer", "refused", "citations", "notice", "suggestions"}
        ),
    }


def valid_turns(turns: Any) -> list[dict[str, Any]]:
    """Turns from anywhere outside this process (the browser's localStorage, the database), minus anything
    malformed. A turn without an answer (stopped) keeps a=None."""
    good = []
    for turn in turns if isinstance(turns, list) else []:
        try:
            if turn["a"] is None:
                good.append({"q": str(turn["q"]), "a": None})
                continue
            answer = Answer.model_validate({**turn["a"], "standalone_question": ""})
            good.append(turn_of(str(turn["q"]), answer))
        except (KeyError, TypeError, ValueError):
            continue
    return good[-MAX_TURNS:]


def stored_turns(turns: list[Turn]) -> list[dict[str, Any]]:
    """The store's turns as the page's plain turns, checked like anything else read back."""
    checked = []
    for turn in turns:
        good = valid_turns([{"q": turn.question, "a": turn.answer}])
        if good:
            checked.append({**good[0], "id": turn.id, "vote": turn.vote})
    return checked


def history_of(turns: list[dict[str, Any]]) -> list[Message]:
    history: list[Message] = []
    for turn in turns:
        if turn["a"] is None:
            continue  # a stopped turn has no answer to lean on
        history.append(Message(role="user", content=turn["q"]))
        history.append(Message(role="assistant", content=turn["a"]["answer"]))
    return history


def display_of(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    shown = []
    for turn in turns:
        if turn["a"] is None:
            shown += [user_bubble(turn["q"]), bot(STOPPED_HTML)]
            continue
        answer = Answer.model_validate({**turn["a"], "standalone_question": ""})
        shown += [user_bubble(turn["q"]), bot(answer_html(answer))]
    return shown


def feedback_of(turns: list[dict[str, Any]]) -> list[str | None]:
    """The thumbs' state per answer, in the Chatbot's feedback_value form."""
    return [FEEDBACK_OPTION.get(turn.get("vote") or "") for turn in turns]


def chat_view(shown: list[dict[str, str]], votes: list[str | None]) -> dict[str, Any]:
    # Always with the votes: a Chatbot shown without them would forget the thumbs a person chose.
    return gr.update(value=shown, feedback_value=votes + [None] * (len(shown) // 2 - len(votes)))


def bot(html: str) -> dict[str, str]:
    return {"role": "assistant", "content": html}


def user_bubble(text: str) -> dict[str, str]:
    return {"role": "user", "content": question_markdown(text)}


def question_markdown(text: str) -> str:
    """A question as Markdown that shows exactly its text: markup characters are escaped, and the bubble's
    content is what the edit box shows, so it holds no markup of our own either."""
    line = " ".join(text.split())
    line = escape(line, quote=False)  # <, > and & as entities: no HTML
    line = _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", line)  # no emphasis, links, code, tables
    return _LINE_START.sub(r"\\\g<0>", line)  # no heading, list or quote at the start


def question_from_edit(value: Any) -> str:
    """What the edit box sent back, as the question text (the inverse of question_markdown)."""
    if isinstance(value, list):  # Gradio may send a message's content as parts
        value = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in value)
    if not isinstance(value, str):
        return ""
    return unescape(_ESCAPED.sub(r"\1", value))


_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_\[\]~|]")
_LINE_START = re.compile(r"^(?:[#+=-]|\d+(?=[.)]))")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def client_of(request: gr.Request | None) -> str:
    # The same key the API's rate limit and votes use, so the page is no way around either.
    return request.client.host if request is not None and request.client else "unknown"


def feedback_body(turn: dict[str, Any], vote: str | None, comment: str | None = None) -> FeedbackRequest:
    """A rated turn as an /api/feedback body, so it gets the same size and number checks."""
    try:
        return FeedbackRequest(
            vote=vote or "up",  # a withdrawal needs no vote, only the answer it withdraws from
            question=turn["q"],
            answer=turn["a"]["answer"],
            citations=turn["a"]["citations"],
            comment=comment,
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(x) for x in problem.get("loc", ()))
        raise ApiError(422, f"this answer cannot be rated: {where}: {problem.get('msg', 'invalid')}") from exc


def busy_box() -> dict[str, Any]:
    """The question box while an answer streams: emptied, with Stop in place of Ask."""
    return gr.update(value="", submit_btn=False, stop_btn="Stop")


def ready_box(value: str | None = None) -> dict[str, Any]:
    if value is None:
        return gr.update(submit_btn="Ask", stop_btn=False)
    return gr.update(value=value, submit_btn="Ask", stop_btn=False)


def index_of(data: Any) -> int | None:
    index = data.index[0] if isinstance(data.index, (list, tuple)) and data.index else data.index
    return index if isinstance(index, int) and not isinstance(index, bool) else None


# --- event handlers ----------------------------------------------------------------------------------


class ChatHandlers:
    """The page's callbacks; thin wrappers that check input and call DocChat and the stores.

    What the browser sends is its owner id and the open conversation's id (both checked, and useless
    without each other), never the conversation itself: turns are read from the store."""

    def __init__(self, ctx: WebContext, clock: Callable[[], float] = time.monotonic) -> None:
        self.ctx = ctx
        self.store = ctx.conversations
        self.clock = clock
        # page session -> the id it was given and when: only until the page knows its id, and briefly, since
        # a session id is no secret (the page sends it in the clear, and it names no one for long)
        self._new_owners: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def owner_of(self, owner_id: Any, request: gr.Request | None) -> tuple[str, str]:
        """The browser's id and its stored key; a new id for a browser without one. The page load and a
        question sent before the load finished both see no id: they get the same new one (one per page
        session), so the question's conversation is not left under an id the browser then forgets."""
        key = owner_key(owner_id)
        session = getattr(request, "session_hash", None)
        if key is not None:
            if isinstance(session, str):
                with self._lock:
                    self._new_owners.pop(session, None)  # the page knows its id now
            return owner_id, key
        now = self.clock()
        with self._lock:
            while self._new_owners and (
                len(self._new_owners) > NEW_OWNERS_KEPT
                or next(iter(self._new_owners.values()))[1] < now - NEW_OWNER_SECONDS
            ):
                self._new_owners.popitem(last=False)
            given = self._new_owners.get(session) if isinstance(session, str) else None
            fresh = given[0] if given else new_owner_id()
            if isinstance(session, str) and not given:
                self._new_owners[session] = (fresh, now)
        return fresh, owner_key(fresh)  # type: ignore[return-value]

    # --- the sidebar ---------------------------------------------------------------------------------

    def listing(self, owner: str, current: str | None) -> dict[str, Any]:
        choices = [(c.title, c.id) for c in self.store.list(owner)]
        return gr.update(choices=choices, value=current if current else None)

    def view(self, owner: str, current: str | None) -> tuple[Any, Any, Any]:
        """Chatbot, conversation list and title field for the open conversation."""
        turns = stored_turns(self.store.turns(owner, current)) if current else []
        title = (self.store.title(owner, current) if current else None) or ""
        return chat_view(display_of(turns), feedback_of(turns)), self.listing(owner, current), title

    def restore(self, owner_id: Any, current: Any, legacy: Any, request: gr.Request) -> tuple[Any, ...]:
        """Page load: the browser's id (a new one the first time), the conversation it had open, and, once,
        the conversation an older docchat kept in localStorage."""
        owner_id, owner = self.owner_of(owner_id, request)
        opened = conversation_id(current)
        if opened and self.store.title(owner, opened) is None:
            opened = None  # deleted in another tab, or not this browser's
        old = [t for t in valid_turns(legacy) if t["a"] is not None and self.acceptable_question(t["q"])]
        if old:
            try:
                self.ctx.check_rate(client_of(request))
                opened = self.import_turns(owner, old) or opened
            except ApiError:
                pass  # over the rate limit: the old conversation is dropped, the page still loads
            except Exception as exc:  # noqa: BLE001 - an import that fails must not fail every page load
                log_unexpected(exc, "chat page: importing a conversation kept in the browser")
        return (owner_id, opened or "", [], *self.view(owner, opened), hidden())

    def acceptable_question(self, question: str) -> bool:
        """What the browser kept passes the checks a question asked now would (length, text)."""
        try:
            self.ctx.check_question(question, [])
        except ApiError:
            return False
        return True

    def import_turns(self, owner: str, turns: list[dict[str, Any]]) -> str | None:
        conversation = self.store.create(owner, title_from(turns[0]["q"]))
        try:
            for turn in turns:
                started = self.store.start_turn(owner, conversation, turn["q"])
                if started is not None:
                    self.store.finish_turn(owner, conversation, *started, turn["a"])
        except Exception:
            self.store.delete(owner, conversation)  # all or nothing: no half-imported conversation
            raise
        return conversation

    def open(self, owner_id: Any, picked: Any) -> tuple[Any, ...]:
        owner = owner_key(owner_id)
        opened = conversation_id(picked)
        if owner is None or opened is None or self.store.title(owner, opened) is None:
            opened = None
        shown = self.view(owner, opened) if owner else skips(3)
        return (opened or "", *shown, hidden())

    def new_chat(self, owner_id: Any) -> tuple[Any, ...]:
        """An empty conversation; the others stay in the list. It is stored once it has a question."""
        owner = owner_key(owner_id)
        listing = self.listing(owner, None) if owner else gr.skip()
        return "", chat_view([], []), listing, "", ready_box(""), hidden()

    def rename(self, owner_id: Any, current: Any, title: Any) -> tuple[Any, Any]:
        owner, opened = owner_key(owner_id), conversation_id(current)
        if owner is None or opened is None:
            gr.Warning("Ask a question first: a new chat gets its title from it.")
            return gr.skip(), gr.skip()
        try:
            if not self.store.rename(owner, opened, title):
                gr.Warning("That conversation is gone.")
                return gr.skip(), gr.skip()
        except ValueError as exc:
            gr.Warning(f"Not renamed: {exc}.")
            return gr.skip(), gr.skip()
        gr.Info("Renamed.")
        return self.listing(owner, opened), clean_title(title)

    def ask_delete(self, owner_id: Any, current: Any) -> tuple[Any, Any, Any]:
        """The first click only asks: deleting takes a second, deliberate one. The conversation asked about
        is remembered, so the second click deletes that one even if another has been opened since."""
        owner, opened = owner_key(owner_id), conversation_id(current)
        title = self.store.title(owner, opened) if owner and opened else None
        if title is None:
            gr.Warning("There is no saved conversation open to delete.")
            return hidden(), gr.skip(), None
        return gr.update(visible=True), f"Delete “{question_markdown(title)}”? This cannot be undone.", opened

    def delete(self, owner_id: Any, doomed: Any) -> tuple[Any, ...]:
        owner, opened = owner_key(owner_id), conversation_id(doomed)
        if owner is None or opened is None or not self.store.delete(owner, opened):
            gr.Warning("That conversation is gone.")
        else:
            gr.Info("Conversation deleted.")
        return self.new_chat(owner_id)

    def cancel_delete(self) -> dict[str, Any]:
        return hidden()

    # --- asking ----------------------------------------------------------------------------------------

    def respond(self, message: str, owner_id: Any, current: Any, request: gr.Request) -> Iterator[tuple[Any, ...]]:
        """A new question at the end of the open conversation (or of a new one)."""
        owner_id, owner = self.owner_of(owner_id, request)
        opened = conversation_id(current)
        if opened and self.store.title(owner, opened) is None:
            opened = None
        turns = stored_turns(self.store.turns(owner, opened)) if opened else []
        yield from self.answer(owner_id, opened, turns, message, None, request)

    def regenerate(self, owner_id: Any, current: Any, request: gr.Request) -> Iterator[tuple[Any, ...]]:
        """The last question asked again; its answer is replaced."""
        owner, opened = owner_key(owner_id), conversation_id(current)
        turns = stored_turns(self.store.turns(owner, opened)) if owner and opened else []
        if not turns:
            yield self.refused("There is no answer to regenerate.")
            return
        yield from self.answer(owner_id, opened, turns[:-1], turns[-1]["q"], len(turns) - 1, request)

    def edit(self, owner_id: Any, current: Any, data: gr.EditData, request: gr.Request) -> Iterator[tuple[Any, ...]]:
        """A question changed and sent again: every turn from it on is replaced by the new answer."""
        owner, opened = owner_key(owner_id), conversation_id(current)
        turns = stored_turns(self.store.turns(owner, opened)) if owner and opened else []
        index = index_of(data)
        if index is None or index % 2 or not 0 <= index // 2 < len(turns):
            yield self.refused("Only a question of this conversation can be edited.")
            return
        keep = index // 2
        yield from self.answer(owner_id, opened, turns[:keep], question_from_edit(data.value), keep, request)

    def answer(
        self,
        owner_id: str,
        opened: str | None,
        turns: list[dict[str, Any]],
        message: Any,
        keep: int | None,
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        """Outputs: chatbot, question box, browser id, open conversation, conversation list, title."""
        owner = owner_key(owner_id)
        assert owner is not None, "callers pass a checked id"
        history = (
            history_of(turns)[-self.ctx.settings.max_history_messages :]
            if self.ctx.settings.max_history_messages
            else []
        )
        try:
            question, history = self.ctx.check_question(message if isinstance(message, str) else "", history)
            self.ctx.check_rate(client_of(request))
        except ApiError as exc:
            yield self.refused(exc.message)
            return
        if opened is None:
            opened = self.store.create(owner, title_from(question))
        started = self.store.start_turn(owner, opened, question, keep)
        if started is None:
            yield self.refused("That conversation is gone: start a new chat.")
            return
        turn_id, run = started
        earlier, votes = [*display_of(turns), user_bubble(question)], feedback_of(turns)
        title = self.store.title(owner, opened) or ""
        listing = self.listing(owner, opened)
        yield chat_view([*earlier, bot(pending_html(""))], votes), busy_box(), owner_id, opened, listing, title
        text = ""
        try:
            for event in self.ctx.docchat.stream(question, history):
                if event.kind == "delta":
                    text += event.text
                    if not self.store.is_open(turn_id, run):
                        # stopped, or replaced from another tab: show what is stored, ready for a question
                        yield self.stored(owner, opened)
                        return
                    yield chat_view([*earlier, bot(pending_html(text))], votes), *skips(5)
                elif event.kind == "answer" and event.answer is not None:
                    if not self.store.finish_turn(owner, opened, turn_id, run, turn_of(question, event.answer)["a"]):
                        yield self.stored(owner, opened)  # stopped or replaced meanwhile: this answer is not kept
                        return
                    yield chat_view([*earlier, bot(answer_html(event.answer))], votes), ready_box(), *skips(4)
        except Exception as exc:  # noqa: BLE001 - show the failure in the chat and keep the page alive
            log_unexpected(exc, "chat page answer")
            self.store.stop_turns(owner, opened)
            failed = [*earlier, bot(error_html(public_error(exc)[1]))]
            yield chat_view(failed, votes), ready_box(question), *skips(4)

    def stored(self, owner: str, opened: str) -> tuple[Any, ...]:
        turns = stored_turns(self.store.turns(owner, opened))
        return (chat_view(display_of(turns), feedback_of(turns)), ready_box(), *skips(4))

    def refused(self, message: str) -> tuple[Any, ...]:
        gr.Warning(message)
        return (gr.skip(), ready_box(), *skips(4))

    def stop(self, owner_id: Any, current: Any) -> tuple[Any, Any]:
        """Stop: the answer being written is dropped and its question stays, marked as stopped, so it can be
        regenerated or edited. (A streamed answer is not checked until it is complete, so no part of it is
        kept.)"""
        owner, opened = owner_key(owner_id), conversation_id(current)
        if owner is None or opened is None:
            return gr.skip(), ready_box()
        self.store.stop_turns(owner, opened)
        turns = stored_turns(self.store.turns(owner, opened))
        return chat_view(display_of(turns), feedback_of(turns)), ready_box()

    def pick_example(self, evt: gr.SelectData) -> str:
        value = evt.value
        return str(value.get("text", "")) if isinstance(value, dict) else str(value or "")

    # --- feedback ------------------------------------------------------------------------------------

    def rated_turn(self, owner_id: Any, current: Any, index: int | None) -> dict[str, Any] | None:
        owner, opened = owner_key(owner_id), conversation_id(current)
        if owner is None or opened is None or index is None:
            return None
        turns = stored_turns(self.store.turns(owner, opened))
        turn_index = index // 2  # each turn is exactly one user and one assistant bubble
        return turns[turn_index] if 0 <= turn_index < len(turns) else None

    def vote(self, owner_id: Any, current: Any, data: gr.LikeData, request: gr.Request) -> tuple[Any, Any, Any]:
        """The page's 👍/👎: the same limits and rate as /api/feedback, one vote per answer and client, kept
        with the turn so the thumbs show it after a reload. 👎 opens the comment box.

        Gradio sends liked="" when a vote is taken back (None from older clients): that removes it."""
        unchanged = (gr.skip(), gr.skip(), gr.skip())
        if data.liked not in (True, False, "", None):
            return unchanged  # a custom feedback option: the page offers none
        turn = self.rated_turn(owner_id, current, index_of(data))
        if turn is None or turn["a"] is None:
            gr.Warning("There is no answer there to rate.")
            return unchanged
        vote = None if data.liked in ("", None) else "up" if data.liked else "down"
        client = client_of(request)
        try:
            self.ctx.check_rate(client)
            body = feedback_body(turn, vote)
            self.ctx.check_feedback(body)
        except ApiError as exc:
            gr.Warning(exc.message)
            return unchanged
        try:
            self.ctx.feedback.set_vote(client, vote, body.question, body.answer, body.citations, channel="chat")
            self.store.set_vote(owner_key(owner_id), current, turn["id"], vote)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001
            log_unexpected(exc, "chat page feedback")
            gr.Warning("Feedback could not be saved right now.")
            return unchanged
        if vote == "down":
            return gr.update(visible=True), turn["id"], ""
        gr.Info("Thanks for the feedback." if vote else "Vote removed.")
        return hidden(), None, ""

    def comment(
        self, owner_id: Any, current: Any, turn_id: Any, text: Any, request: gr.Request
    ) -> tuple[Any, Any, Any]:
        """"What was wrong?": saved with the 👎 it explains (the same limits as /api/feedback's comment)."""
        owner, opened = owner_key(owner_id), conversation_id(current)
        turns = stored_turns(self.store.turns(owner, opened)) if owner and opened else []
        turn = next((t for t in turns if t["id"] == turn_id and t["vote"] == "down" and t["a"]), None)
        if turn is None:
            gr.Warning("That answer is no longer rated 👎.")
            return hidden(), None, ""
        comment = text.strip() if isinstance(text, str) else ""
        if not comment:
            return hidden(), None, ""
        client = client_of(request)
        try:
            self.ctx.check_rate(client)
            body = feedback_body(turn, "down", comment)
            self.ctx.check_feedback(body)
        except ApiError as exc:
            gr.Warning(exc.message)
            return gr.skip(), gr.skip(), gr.skip()
        try:
            self.ctx.feedback.set_vote(
                client, "down", body.question, body.answer, body.citations, comment=body.comment, channel="chat"
            )
        except Exception as exc:  # noqa: BLE001
            log_unexpected(exc, "chat page feedback comment")
            gr.Warning("Feedback could not be saved right now.")
            return gr.skip(), gr.skip(), gr.skip()
        gr.Info("Thanks for the feedback.")
        return hidden(), None, ""


def skips(n: int) -> tuple[Any, ...]:
    return tuple(gr.skip() for _ in range(n))


def hidden() -> dict[str, Any]:
    return gr.update(visible=False)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def header_html(documents: int, chunks: int) -> str:
    return (
        '<div id="dc-header"><h1>docchat</h1>'
        f"<p>Answers come only from the documents ({plural(documents, 'file')}, "
        f"{plural(chunks, 'passage')}), with [n] citations you can open. "
        "When the documents do not say, docchat says so.</p></div>"
    )


def build_chat(ctx: WebContext, examples: list[str], documents: int, chunks: int) -> gr.Blocks:
    handlers = ChatHandlers(ctx)
    secret = browser_secret(ctx.docchat.settings.data_dir)
    with gr.Blocks(title="docchat", fill_height=True, analytics_enabled=False) as demo:
        owner = gr.BrowserState("", storage_key=OWNER_KEY, secret=secret)
        current = gr.BrowserState("", storage_key=CURRENT_KEY, secret=secret)
        legacy = gr.BrowserState([], storage_key=STORAGE_KEY, secret=secret)
        comment_turn = gr.State(None)

        with gr.Sidebar(label="Conversations", elem_id="dc-sidebar", width=300):
            new = gr.Button("+ New chat", elem_id="dc-new", variant="primary", size="md")
            conversations = gr.Radio(
                choices=[], label="Conversations", elem_id="dc-conversations", interactive=True
            )
            with gr.Group(elem_id="dc-manage"):
                title = gr.Textbox(
                    label="Title of this conversation",
                    elem_id="dc-title",
                    max_length=MAX_TITLE_CHARS,
                    placeholder="Ask a question first",
                )
                with gr.Row():
                    rename = gr.Button("Rename", elem_id="dc-rename", size="sm")
                    delete = gr.Button("Delete…", elem_id="dc-delete", size="sm", variant="stop")
            with gr.Group(visible=False, elem_id="dc-confirm") as confirm:
                confirm_text = gr.Markdown("", elem_id="dc-confirm-text")
                with gr.Row():
                    yes = gr.Button("Delete", elem_id="dc-confirm-delete", size="sm", variant="stop")
                    no = gr.Button("Keep it", elem_id="dc-confirm-cancel", size="sm")

        gr.HTML(header_html(documents, chunks))
        chatbot = gr.Chatbot(
            elem_id="dc-chat",
            label="Conversation",
            show_label=False,
            height=560,
            scale=1,
            sanitize_html=True,
            render_markdown=True,
            latex_delimiters=[],
            feedback_options=("Like", "Dislike"),
            buttons=["copy"],
            placeholder="Ask a question about the documents.",
            examples=[{"text": q} for q in examples] or None,
            allow_tags=False,
            editable="user",
        )
        with gr.Group(visible=False, elem_id="dc-comment") as comment_group:
            comment = gr.Textbox(
                label="What was wrong? (optional)",
                elem_id="dc-comment-text",
                lines=2,
                max_length=COMMENT_CHARS,
                placeholder="A wrong fact, a missing source, not what I asked…",
            )
            with gr.Row():
                send_comment = gr.Button("Send", elem_id="dc-comment-send", size="sm", variant="primary")
                skip_comment = gr.Button("Skip", elem_id="dc-comment-skip", size="sm")
        with gr.Row(equal_height=True):
            box = gr.Textbox(
                elem_id="dc-input",
                placeholder="Ask a question…",
                show_label=False,
                container=False,
                scale=8,
                autofocus=True,
                max_length=ctx.settings.max_question_chars,
                submit_btn="Ask",
                stop_btn=False,
            )
            clear = gr.Button("New chat", elem_id="dc-clear", scale=1, size="md", variant="secondary")

        common: dict[str, Any] = {"api_visibility": "private"}
        page = [chatbot, conversations, title]
        answering = [chatbot, box, owner, current, conversations, title]
        demo.load(handlers.restore, [owner, current, legacy], [owner, current, legacy, *page, confirm], **common).then(
            None, None, None, js=CLOSE_SIDEBAR_ON_PHONE, **common
        )

        asked = box.submit(handlers.respond, [box, owner, current], answering, **common)
        example = chatbot.example_select(handlers.pick_example, None, box, **common).then(
            handlers.respond, [box, owner, current], answering, **common
        )
        retried = chatbot.retry(handlers.regenerate, [owner, current], answering, **common)
        edited = chatbot.edit(handlers.edit, [owner, current], answering, **common)
        # Cancel first, then show the conversation as stored: an update still in flight from the cancelled
        # stream then lands before the stopped view, not over it.
        box.stop(None, None, None, cancels=[asked, example, retried, edited], **common).then(
            handlers.stop, [owner, current], [chatbot, box], **common
        )

        chatbot.like(handlers.vote, [owner, current], [comment_group, comment_turn, comment], **common)
        send_comment.click(
            handlers.comment, [owner, current, comment_turn, comment], [comment_group, comment_turn, comment], **common
        )
        comment.submit(
            handlers.comment, [owner, current, comment_turn, comment], [comment_group, comment_turn, comment], **common
        )
        skip_comment.click(lambda: (hidden(), None, ""), None, [comment_group, comment_turn, comment], **common)

        fresh = [current, chatbot, conversations, title, box, confirm]
        for trigger in (new.click, clear.click, chatbot.clear):  # chatbot.clear: the bubble's own trash icon
            trigger(handlers.new_chat, [owner], fresh, **common)
        conversations.input(handlers.open, [owner, conversations], [current, *page, confirm], **common)
        rename.click(handlers.rename, [owner, current, title], [conversations, title], **common)
        title.submit(handlers.rename, [owner, current, title], [conversations, title], **common)
        doomed = gr.State(None)  # the conversation the confirmation names
        delete.click(handlers.ask_delete, [owner, current], [confirm, confirm_text, doomed], **common)
        yes.click(handlers.delete, [owner, doomed], fresh, **common)
        no.click(handlers.cancel_delete, None, [confirm], **common)
    # The page talks to its events through the queue only. Gradio's direct REST route (/gradio_api/run/...)
    # would skip the queue's concurrency limit, and it answers malformed calls with 500s.
    return demo.queue(api_open=False)
