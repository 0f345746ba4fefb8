"""The LLM answerer: an OpenAI-compatible model writes the answer, a grounding guard decides what survives.

It runs the answer pipeline of rag/chain.py with the model's steps: condense (the model, only with history)
-> retrieve (the hybrid retriever, as for the extractive answerer) -> answer (the prompt, then the model's
reply streamed) -> render (rag/guard.py on the finished text: only sentences the cited sources support
survive, each citation resolved to a verbatim unit). Whatever goes wrong with the model (down, slow, error
status, garbage, nothing verifiable) ends in an extractive answer with a notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rag.answering import ExtractiveAnswerer, refusal_text, retrieved_of
from rag.chain import (
    RenderFailed,
    RetrievalFailed,
    StreamEvent,
    Turn,
    build_answer_pipeline,
    events_of,
    final_answer,
    llm_condense,
    llm_generate,
    stream_words,
)
from rag.guard import GroundingGuard, dropped_notice, render_kept
from rag.llm_endpoint import build_chat_model, describe_failure, redact_url, scrub
from rag.models import Answer, Message
from rag.retrieval import HybridRetriever, Retrieval
from rag.settings import Settings
from rag.support import SupportScorer

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from rag.embeddings import Embedder

log = logging.getLogger(__name__)

# The whole reply may take this many read timeouts (httpx's timeout is per read).
TURN_BUDGET_FACTOR = 3.0
# After a failure, skip the model for a while: a down or stalled server would otherwise cost every
# question a full timeout before the fallback.
DEFAULT_COOLDOWN_S = 30.0

ANSWERER_LLM = "llm"
ANSWERER_FALLBACK = "extractive-fallback"
UNAVAILABLE_NOTICE = "The language model could not be used ({reason}), so this answer quotes the documents directly."
UNVERIFIED_NOTICE = (
    "The generated answer could not be verified against the documents, so this answer quotes them directly."
)


class LLMAnswerer:
    """Answers through the chain, guards the result, falls back to the extractive answerer."""

    name = ANSWERER_LLM

    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        extractive: ExtractiveAnswerer,
        scorer: SupportScorer,
        llm: BaseChatModel | None = None,
        cooldown_s: float = DEFAULT_COOLDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.extractive = extractive
        self.guard = GroundingGuard(scorer)
        self.cooldown_s = cooldown_s
        # Reads the cooldown and the reply's time budget: tests pass a fake one instead of sleeping.
        self.clock = clock
        self.chain = (
            build_answer_pipeline(
                retriever,
                condense=llm_condense(llm, fallback=extractive.standalone),
                answer=llm_generate(
                    llm,
                    max_sentences=settings.answer_max_sentences,
                    budget_s=TURN_BUDGET_FACTOR * settings.llm_timeout_s,
                    clock=lambda: self.clock(),
                ),
                render=lambda turn: self.verified(turn.standalone, turn.retrieval, turn.draft),  # type: ignore[arg-type]
                stream_rendered=False,
                name="docchat-llm",
            )
            if llm is not None
            else None
        )
        self.reachable: bool | None = None
        self.last_error: str | None = None
        self._skip_until = 0.0
        if self.chain is None:
            self.last_error = "no endpoint configured; set DOCCHAT_LLM_BASE_URL"
            log.warning("LLM answerer selected but %s; answering extractively", self.last_error)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        retriever: HybridRetriever,
        extractive: ExtractiveAnswerer,
        embedder: Embedder,
    ) -> LLMAnswerer:
        llm = build_chat_model(settings) if settings.llm_base_url else None
        return cls(settings, retriever, extractive, SupportScorer(embedder), llm)

    # --- public API ------------------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Message]) -> Answer:
        return final_answer(self.stream(question, history))

    def stream(self, question: str, history: Sequence[Message]) -> Iterator[StreamEvent]:
        """Model tokens as "delta" events, then the verified "answer". The answer's text is authoritative:
        the guard may drop streamed sentences, renumber citations, or replace everything with a fallback."""
        if self.chain is None or self.clock() < self._skip_until:
            yield from self._fallback(question, history, UNAVAILABLE_NOTICE.format(reason=self.last_error), True)
            return
        final: StreamEvent | None = None
        streamed = False
        try:
            for event in events_of(self.chain, Turn(question, list(history))):
                if event.kind == "delta":
                    streamed = True
                    yield event
                else:
                    final = event
        except RetrievalFailed as exc:
            raise exc.__cause__ or exc from None
        except RenderFailed as exc:  # the model did its part; the guard broke
            self._record_success()
            raise exc.__cause__ or exc from None
        except Exception as exc:  # noqa: BLE001 - any failure of the model must end in an answer, not an error
            reason = self._record_failure(exc)
            yield from self._fallback(question, history, UNAVAILABLE_NOTICE.format(reason=reason), not streamed)
            return
        self._record_success()
        assert final is not None
        yield final

    def llm_status(self, probe: bool = False) -> dict[str, Any]:
        """For /api/health. `probe=True` asks the server's /models now (bounded by the timeout, max 2 s)."""
        if probe and self.chain is not None:
            self._probe()
        return {
            "configured": self.chain is not None,
            "base_url": redact_url(self.settings.llm_base_url),
            "model": self.settings.llm_model,
            "reachable": self.reachable,
            "last_error": self.last_error,
        }

    # --- internals -------------------------------------------------------------------------------
    def verified(self, standalone: str, retrieval: Retrieval, generated: str) -> Answer:
        verdict = self.guard.verify(generated, retrieval.chunks, standalone)
        if verdict.kept:
            text, citations = render_kept(verdict.kept)
            return Answer(
                answer=text,
                refused=False,
                standalone_question=standalone,
                citations=citations,
                retrieved=retrieved_of(retrieval),
                answerer=ANSWERER_LLM,
                dropped_sentences=verdict.dropped,
                notice=dropped_notice(verdict.dropped),
            )
        if verdict.refused:
            suggestions = self.extractive.composer().suggest(retrieval)
            return Answer(
                answer=refusal_text(suggestions),
                refused=True,
                standalone_question=standalone,
                retrieved=retrieved_of(retrieval),
                answerer=ANSWERER_LLM,
                dropped_sentences=verdict.dropped,
                notice=dropped_notice(verdict.dropped),
                suggestions=suggestions,
            )
        # Nothing survived: quote the documents (the extractive composer refuses if they can't answer).
        composition = self.extractive.composer().compose(standalone, retrieval)
        answer = self.extractive.render(standalone, retrieval, composition)
        answer.answerer = ANSWERER_FALLBACK
        answer.dropped_sentences = verdict.dropped
        answer.notice = UNVERIFIED_NOTICE if verdict.dropped else None
        return answer

    def _fallback(
        self, question: str, history: Sequence[Message], notice: str, stream_text: bool
    ) -> Iterator[StreamEvent]:
        answer = self.extractive.answer(question, history)
        answer.answerer = ANSWERER_FALLBACK
        answer.notice = notice
        if stream_text:  # after model deltas, more text would only garble what the client shows
            for delta in stream_words(answer.answer):
                yield StreamEvent("delta", text=delta)
        yield StreamEvent("answer", answer=answer)

    def _record_failure(self, exc: BaseException) -> str:
        reason, detail = describe_failure(exc, self.settings.llm_timeout_s)
        self.reachable, self.last_error = False, reason
        self._skip_until = self.clock() + self.cooldown_s
        log.warning(
            "LLM %s at %s failed: %s%s; answered extractively%s",
            self.settings.llm_model,
            redact_url(self.settings.llm_base_url),
            reason,
            scrub(f" ({detail})", self.settings.llm_api_key.get_secret_value()) if detail else "",
            f", model skipped for {self.cooldown_s:g}s" if self.cooldown_s else "",
        )
        return reason

    def _record_success(self) -> None:
        self.reachable, self.last_error = True, None

    def _probe(self) -> None:
        import httpx

        url = f"{(self.settings.llm_base_url or '').rstrip('/')}/models"
        headers = {"Authorization": f"Bearer {self.settings.llm_api_key.get_secret_value()}"}
        try:
            httpx.get(url, headers=headers, timeout=min(self.settings.llm_timeout_s, 2.0)).raise_for_status()
        except httpx.HTTPError as exc:
            self.reachable, self.last_error = (
                False,
                describe_failure(exc, min(self.settings.llm_timeout_s, 2.0))[0],
            )
        else:
            self._record_success()
