"""The Gradio chat page at `/`: streamed answers, a Sources block under each, examples, like/dislike,
and a conversation kept in the browser (gr.BrowserState) so it survives a reload.

Answers are rendered to HTML by ui.render, which escapes all document and user text; Gradio's own
sanitizer stays on as a second line of defence.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import ValidationError

from rag.models import Answer, Message
from ui.context import ApiError, WebContext, log_unexpected, public_error
from ui.render import answer_html, error_html, one_line, pending_html
from ui.schemas import FeedbackRequest

MAX_TURNS = 50  # kept in the browser; older turns fall off so localStorage stays small
STORAGE_KEY = "docchat-chat-history"

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


# --- conversation state (plain data kept in the browser) ------------------------------------------


def turn_of(question: str, answer: Answer) -> dict[str, Any]:
    return {
        "q": question,
        "a": answer.model_dump(
            mode="json", include={"answer", "refused", "citations", "notice", "suggestions"}
        ),
    }


def valid_turns(turns: Any) -> list[dict[str, Any]]:
    """What came back from localStorage, minus anything malformed (it is user-controlled)."""
    good = []
    for turn in turns if isinstance(turns, list) else []:
        try:
            answer = Answer.model_validate({**turn["a"], "standalone_question": ""})
            good.append(turn_of(str(turn["q"]), answer))
        except (KeyError, TypeError, ValueError):
            continue
    return good[-MAX_TURNS:]


def history_of(turns: list[dict[str, Any]]) -> list[Message]:
    history: list[Message] = []
    for turn in turns:
        history.append(Message(role="user", content=turn["q"]))
        history.append(Message(role="assistant", content=turn["a"]["answer"]))
    return history


def display_of(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    shown = []
    for turn in turns:
        answer = Answer.model_validate({**turn["a"], "standalone_question": ""})
        shown += [user_bubble(turn["q"]), bot(answer_html(answer))]
    return shown


def bot(html: str) -> dict[str, str]:
    return {"role": "assistant", "content": html}


def user_bubble(text: str) -> dict[str, str]:
    return {"role": "user", "content": f'<div class="dc-question">{one_line(text)}</div>'}


def client_of(request: gr.Request | None) -> str:
    # The same key the API's rate limit and votes use, so the page is no way around either.
    return request.client.host if request is not None and request.client else "unknown"


def feedback_body(turn: dict[str, Any], vote: str | None) -> FeedbackRequest:
    """A rated turn as an /api/feedback body, so it gets the same size and number checks."""
    try:
        return FeedbackRequest(
            vote=vote or "up",  # a withdrawal needs no vote, only the answer it withdraws from
            question=turn["q"],
            answer=turn["a"]["answer"],
            citations=turn["a"]["citations"],
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(x) for x in problem.get("loc", ()))
        raise ApiError(422, f"this answer cannot be rated: {where}: {problem.get('msg', 'invalid')}") from exc


# --- event handlers ----------------------------------------------------------------------------------


class ChatHandlers:
    """The page's callbacks; thin wrappers that check input and call DocChat."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx

    def restore(self, turns: Any) -> list[dict[str, str]]:
        return display_of(valid_turns(turns))

    def respond(self, message: str, turns: Any, request: gr.Request) -> Iterator[tuple[Any, Any, Any]]:
        turns = valid_turns(turns)
        history = (
            history_of(turns)[-self.ctx.settings.max_history_messages :]
            if self.ctx.settings.max_history_messages
            else []
        )
        try:
            question, history = self.ctx.check_question(message or "", history)
            self.ctx.check_rate(client_of(request))
        except ApiError as exc:
            gr.Warning(exc.message)
            yield gr.skip(), gr.skip(), gr.skip()
            return
        earlier = [*display_of(turns), user_bubble(question)]
        yield [*earlier, bot(pending_html(""))], gr.skip(), ""
        text = ""
        try:
            for event in self.ctx.docchat.stream(question, history):
                if event.kind == "delta":
                    text += event.text
                    yield [*earlier, bot(pending_html(text))], gr.skip(), gr.skip()
                elif event.kind == "answer" and event.answer is not None:
                    turns = [*turns, turn_of(question, event.answer)][-MAX_TURNS:]
                    yield [*earlier, bot(answer_html(event.answer))], turns, gr.skip()
        except Exception as exc:  # noqa: BLE001 - show the failure in the chat and keep the page alive
            log_unexpected(exc, "chat page answer")
            yield [*earlier, bot(error_html(public_error(exc)[1]))], gr.skip(), message

    def pick_example(self, evt: gr.SelectData) -> str:
        value = evt.value
        return str(value.get("text", "")) if isinstance(value, dict) else str(value or "")

    def vote(self, turns: Any, data: gr.LikeData, request: gr.Request) -> None:
        """The page's 👍/👎: the same limits and rate as /api/feedback, one vote per answer and client.

        The turns come from the browser, so they are checked like any API body. Gradio sends liked=""
        when a vote is taken back (None from older clients): that removes it."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        if data.liked not in (True, False, "", None) or not isinstance(index, int):
            return  # a custom feedback option: the page offers none
        turns = valid_turns(turns)
        turn_index = index // 2  # each turn is exactly one user and one assistant bubble
        if not 0 <= turn_index < len(turns):
            return
        vote = None if data.liked in ("", None) else "up" if data.liked else "down"
        client = client_of(request)
        try:
            self.ctx.check_rate(client)
            body = feedback_body(turns[turn_index], vote)
            self.ctx.check_feedback(body)
        except ApiError as exc:
            gr.Warning(exc.message)
            return
        try:
            self.ctx.feedback.set_vote(
                client, vote, body.question, body.answer, body.citations, channel="chat"
            )
            gr.Info("Thanks for the feedback." if vote else "Vote removed.")
        except Exception as exc:  # noqa: BLE001
            log_unexpected(exc, "chat page feedback")
            gr.Warning("Feedback could not be saved right now.")

    def clear(self) -> tuple[list, list, str]:
        return [], [], ""


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
    with gr.Blocks(title="docchat", fill_height=True, analytics_enabled=False) as demo:
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
        )
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
            )
            clear = gr.Button("New chat", elem_id="dc-clear", scale=1, size="md", variant="secondary")
        turns = gr.BrowserState([], storage_key=STORAGE_KEY, secret=browser_secret(ctx.settings.data_dir))

        common: dict[str, Any] = {"api_visibility": "private"}
        demo.load(handlers.restore, [turns], [chatbot], **common)
        box.submit(handlers.respond, [box, turns], [chatbot, turns, box], **common)
        chatbot.example_select(handlers.pick_example, None, box, **common).then(
            handlers.respond, [box, turns], [chatbot, turns, box], **common
        )
        chatbot.like(handlers.vote, [turns], None, **common)
        clear.click(handlers.clear, None, [chatbot, turns, box], **common)
        chatbot.clear(handlers.clear, None, [chatbot, turns, box], **common)  # the bubble's own trash icon
    # The page talks to its events through the queue only. Gradio's direct REST route (/gradio_api/run/...)
    # would skip the queue's concurrency limit, and it answers malformed calls with 500s.
    return demo.queue(api_open=False)
