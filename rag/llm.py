"""The LLM answerer: an OpenAI-compatible model writes the answer, a grounding guard decides what survives.

Pipeline (one LCEL chain, steps named for tracing): condense (LLM, only with history) -> retrieve (the
hybrid retriever, as for the extractive answerer) -> prompt (numbered sources as delimited data) ->
generate (streamed). The guard then runs on the finished text: every sentence must cite retrieved sources
that support it (rag.support, the eval's own measure), and each citation is resolved to the verbatim unit
that supports it best, so the answer contract is the extractive one. Whatever goes wrong with the model
(down, slow, error status, garbage, nothing verifiable) ends in an extractive answer with a notice.
"""

from __future__ import annotations

import base64
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import (
    Runnable,
    RunnableConfig,
    RunnableGenerator,
    RunnableLambda,
    RunnablePassthrough,
)

from rag import prompts
from rag.answer_types import answer_hints
from rag.answering import (
    ExtractiveAnswerer,
    StreamEvent,
    citation_of,
    refusal_text,
    retrieved_of,
    stream_words,
    timings,
)
from rag.claims import QuoteContext, check_claim
from rag.extractive import REFUSAL_TEXT, Evidence, split_evidence
from rag.models import Answer, Citation, Message
from rag.retrieval import HybridRetriever, Retrieval, ScoredChunk
from rag.sentences import answer_sentences
from rag.settings import Settings
from rag.support import SupportScorer
from rag.text import cited_numbers, normalize, strip_citations, tokens

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from rag.embeddings import Embedder

log = logging.getLogger(__name__)

# A retry would double the wait on a slow server; the extractive fallback is the better "retry".
LLM_MAX_RETRIES = 0
# A rewritten question is one line; more tokens than this means the model is answering, not rewriting.
CONDENSE_MAX_TOKENS = 96
# httpx's timeout is per read, so a server that trickles tokens could stream for ever: cap the whole turn.
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

_MARKER_GROUP = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*[,;]\s*(?:sources?\s*)?\d+)*)\s*\]", re.IGNORECASE)
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")
# Reasoning models may think aloud in the content; that is not part of the answer.
_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_LINE_DECORATION = re.compile(r"^\s*(?:#{1,6}\s+|[-*•]\s+|\d{1,3}[.)]\s+)?")
_REFUSAL = re.compile(
    r"could ?n[o']t find|can ?n[o']t find|unable to (?:find|answer|determine)|no information|"
    r"(?:do|does) ?n[o']t (?:contain|mention|say|state|provide|include|specify|answer|cover)|"
    r"not (?:mentioned|covered|found|stated|provided|specified) in the (?:sources|documents|provided)"
)
_STANDALONE_PREFIX = re.compile(r"^\s*(?:standalone question|question|rewritten question)\s*:\s*", re.IGNORECASE)


class EmptyReply(Exception):
    """The model answered with nothing usable (a garbage body parses to no text)."""


class RetrievalFailed(Exception):
    """Retrieval broke inside the chain: not the model's fault, so no fallback and no cooldown."""


# --- the chain ----------------------------------------------------------------------------------------
def split_url_credentials(url: str | None) -> tuple[str | None, dict[str, str]]:
    """A base URL like http://user:pass@host/v1 becomes the bare URL plus a Basic Authorization header,
    so the password never appears in the request URLs that HTTP clients log."""
    if not url:
        return url, {}
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, {}
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    credentials = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
    header = "Basic " + base64.b64encode(credentials.encode()).decode()
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), {"Authorization": header}


def build_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for any OpenAI-compatible endpoint (llama.cpp, vLLM, Ollama, OpenAI itself)."""
    from langchain_openai import ChatOpenAI  # heavy: only when an LLM is actually configured

    base_url, headers = split_url_credentials(settings.llm_base_url)
    return ChatOpenAI(
        base_url=base_url,
        default_headers=headers or None,
        api_key=settings.llm_api_key,
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        # langchain-openai 1.x sends this as "max_completion_tokens", which some servers ignore; the
        # classic "max_tokens" goes in the body too, via extra_body (model_kwargs would be renamed as well).
        max_tokens=settings.llm_max_tokens,
        extra_body={"max_tokens": settings.llm_max_tokens},
        timeout=settings.llm_timeout_s,
        max_retries=LLM_MAX_RETRIES,
    )


def build_answer_chain(
    llm: BaseChatModel,
    retriever: HybridRetriever,
    *,
    max_sentences: int,
    fallback_condense: Callable[[str, Sequence[Message]], str],
) -> Runnable[dict[str, Any], dict[str, Any]]:
    """{"question", "history"} -> streamed dicts: "standalone" and "retrieval", then "answer" deltas."""
    condense_prompt = ChatPromptTemplate.from_messages(
        [("system", prompts.CONDENSE_SYSTEM), ("human", prompts.CONDENSE_USER)]
    )
    short_llm = llm.bind(max_tokens=CONDENSE_MAX_TOKENS, extra_body={"max_tokens": CONDENSE_MAX_TOKENS})
    rewrite = condense_prompt | short_llm | StrOutputParser()

    def condense(inputs: dict[str, Any], config: RunnableConfig) -> str:
        question, history = inputs["question"].strip(), inputs["history"]
        if not any(m.role == "user" for m in history):
            return question  # a first question is already standalone: no model call
        turns = [(m.role, m.content) for m in history if m.role in ("user", "assistant")]
        raw = rewrite.invoke({"history": prompts.history_block(turns), "question": question}, config)
        return clean_standalone(raw, question) or fallback_condense(question, history)

    def retrieve(inputs: dict[str, Any]) -> Retrieval:
        try:
            return retriever.retrieve(inputs["standalone"], lexical_hints=answer_hints(inputs["standalone"]))
        except Exception as exc:  # noqa: BLE001 - re-raised, tagged so the answerer does not blame the model
            raise RetrievalFailed(str(exc)) from exc

    answer_prompt = ChatPromptTemplate.from_messages(
        [("system", prompts.ANSWER_SYSTEM), ("human", prompts.ANSWER_USER)]
    ).partial(max_sentences=str(max_sentences), refusal=REFUSAL_TEXT)
    prompt = answer_prompt.with_config(run_name="prompt")

    def generate(pieces: Iterator[dict[str, Any]], config: RunnableConfig) -> Iterator[dict[str, Any]]:
        # The model is streamed directly, not through `| StrOutputParser()` or another .assign(): on close
        # those drain the rest of the stream (for tracing), so a caller giving up would still wait for it.
        inputs: dict[str, Any] = {}
        for piece in pieces:
            inputs.update(piece)
        yield {"standalone": inputs["standalone"], "retrieval": inputs["retrieval"]}
        messages = prompt.invoke(
            {
                "sources": format_sources(inputs["retrieval"].chunks),
                "question": prompts.neutralise(inputs["standalone"]),
            },
            config,
        )
        tokens = llm.stream(messages, config)
        try:
            for token in tokens:
                if token.text:
                    yield {"answer": token.text}
        finally:
            tokens.close()  # closes the HTTP response

    return (
        RunnablePassthrough.assign(standalone=RunnableLambda(condense).with_config(run_name="condense"))
        | RunnablePassthrough.assign(retrieval=RunnableLambda(retrieve).with_config(run_name="retrieve"))
        | RunnableGenerator(generate).with_config(run_name="generate")
    ).with_config(run_name="docchat-llm")


def format_sources(chunks: Sequence[ScoredChunk]) -> str:
    return "\n\n".join(
        prompts.source_block(
            n,
            c.source,
            c.meta.section or c.meta.title,
            c.chunk.text,
        )
        for n, c in enumerate(chunks, start=1)
    )


def clean_standalone(raw: str, question: str) -> str | None:
    """The model's rewrite, if it looks like one question; None sends us to the heuristic condenser."""
    lines = [line.strip() for line in raw.strip().splitlines() if line.strip()]
    if not lines:
        return None
    text = strip_citations(_STANDALONE_PREFIX.sub("", lines[0])).strip().strip("\"'“”").strip()
    if not tokens(text) or len(text) > max(300, 4 * len(question)):
        return None
    return text


# --- the grounding guard ------------------------------------------------------------------------------
@dataclass
class Sentence:
    text: str  # without markers
    markers: list[int]


@dataclass
class Kept:
    text: str
    quotes: list[tuple[Evidence, float]]  # (verbatim unit, its support score), one per citation


@dataclass
class Verdict:
    kept: list[Kept] = field(default_factory=list)
    dropped: int = 0
    refusal_like: int = 0

    @property
    def refused(self) -> bool:
        """The model said the sources do not answer, and said nothing we could keep."""
        return not self.kept and self.refusal_like > 0


def split_sentences(generated: str) -> list[Sentence]:
    """Sentences of the reply with their [n] markers; "[1, 2]" and markers after the full stop tolerated."""
    text = _THINKING.sub("", generated)
    text = _MARKER_GROUP.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)
    text = _MARKERS_AFTER_STOP.sub(lambda m: " " + "".join(re.findall(r"\[\d+\]", m.group(2))) + m.group(1), text)
    out = []
    for line in text.replace("**", "").splitlines():
        line = _LINE_DECORATION.sub("", line).strip()
        for piece in answer_sentences(line):
            if strip_citations(piece):
                out.append(Sentence(strip_citations(piece), cited_numbers(piece)))
    return out


def is_refusal_like(text: str) -> bool:
    return normalize(REFUSAL_TEXT) in normalize(text) or bool(_REFUSAL.search(normalize(text)))


def candidate_quotes(chunk: ScoredChunk) -> tuple[list[Evidence], list[Evidence]]:
    """The chunk's units, and each pair of neighbouring units (a sentence may merge two of them)."""
    units = split_evidence(chunk)
    chunk_start = chunk.span[0]
    pairs = []
    for a, b in zip(units, units[1:], strict=False):
        text = chunk.chunk.text[a.start - chunk_start : b.end - chunk_start]
        pairs.append(Evidence(chunk, a.start, b.end, text, a.kind, a.token_set | b.token_set, a.context))
    return units, pairs


# Quotes of one cited chunk tried against a sentence, best support first: a sentence none of the best few
# says is not worth an embedding call per remaining unit.
MAX_QUOTES_CHECKED = 4


class GroundingGuard:
    """Keeps a generated sentence only when a quote of a source it cites is about the same thing (the support
    score) and says what the sentence says (rag/claims.py: figures, names, subject, negation, comparisons,
    clauses). The quote shown with it is the best-scoring one that passes both."""

    def __init__(self, scorer: SupportScorer) -> None:
        self.scorer = scorer

    def verify(self, generated: str, chunks: Sequence[ScoredChunk], question: str = "") -> Verdict:
        verdict = Verdict()
        for sentence in split_sentences(generated):
            if not sentence.markers and is_refusal_like(sentence.text):
                verdict.refusal_like += 1  # a hedge, not a claim: leave it out without counting it
                continue
            kept = self.check(sentence, chunks, question)
            if kept is None:
                verdict.dropped += 1
            else:
                verdict.kept.append(kept)
        return verdict

    def check(self, sentence: Sentence, chunks: Sequence[ScoredChunk], question: str = "") -> Kept | None:
        cited = [n for n in dict.fromkeys(sentence.markers) if 1 <= n <= len(chunks)]
        if not cited:
            return None  # uncited, or citing sources that were never retrieved
        scored = {n: self.scored_quotes(sentence.text, chunks[n - 1]) for n in cited}
        alone = []
        for n in cited:
            passing = [q for q in scored[n] if q[1] >= self.scorer.threshold][:MAX_QUOTES_CHECKED]
            found = next((q for q in passing if self.says_it(sentence.text, [q[0]], question)), None)
            if found is not None:
                alone.append(found)
        if alone:
            # Citations that do not support the sentence on their own would only dilute its precision.
            return Kept(sentence.text, alone)
        if len(cited) > 1:
            # A sentence may join facts from two sources: their best quotes together must say it all, though
            # neither does alone.
            best = {n: max(scored[n], key=lambda q: q[1], default=None) for n in cited}
            quotes = [q for q in best.values() if q is not None]
            together = " ".join(q[0].text for q in quotes)
            if (
                len(quotes) > 1
                and self.scorer.score(sentence.text, together) >= self.scorer.threshold
                and self.says_it(sentence.text, [q[0] for q in quotes], question)
            ):
                return Kept(sentence.text, quotes)
        return None

    def scored_quotes(self, claim: str, chunk: ScoredChunk) -> list[tuple[Evidence, float]]:
        """Every quote of the cited chunk with its support score: single units best first, then pairs of
        neighbours (a sentence may merge two units; a unit that suffices is the shorter, clearer quote)."""
        units, pairs = candidate_quotes(chunk)
        if not units:
            return []
        quotes = units + pairs
        scores = self.scorer.scores(claim, [q.text for q in quotes])
        order = sorted(range(len(quotes)), key=lambda i: (i >= len(units), -scores[i], i))
        return [(quotes[i], scores[i]) for i in order]

    def says_it(self, claim: str, quotes: Sequence[Evidence], question: str) -> bool:
        first = quotes[0]
        context = QuoteContext(
            text=" ".join(q.text for q in quotes),
            # One sentence per heading, so two headings never read as one name.
            headings=". ".join(dict.fromkeys(h for q in quotes for h in (q.context, q.section, q.lead_in) if h)),
            title=first.chunk.meta.title,
            table_row=all(q.kind == "table_row" for q in quotes),
        )
        try:
            return not check_claim(claim, context, question, similar=self.similarity)
        except Exception:  # noqa: BLE001 - a check that fails cannot vouch for the sentence: leave it out
            log.warning("the claim checks failed on a sentence; it is left out", exc_info=True)
            return False

    def similarity(self, a: str, b: str) -> float:
        vectors = self.scorer.embedder.encode([a, b])
        return float(vectors[0] @ vectors[1])


def render_kept(kept: Sequence[Kept]) -> tuple[str, list[Citation]]:
    """Final text and citations, numbered 1..n in order of first use; a quote used twice keeps its number."""
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    sentences = []
    for item in kept:
        marks = []
        for ev, score in item.quotes:
            key = (ev.source, ev.start, ev.end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                citations.append(citation_of(numbers[key], ev, score))
            marks.append(numbers[key])
        sentences.append(with_markers(item.text, marks))
    return " ".join(sentences), citations


def with_markers(sentence: str, numbers: Sequence[int]) -> str:
    """ "… to the CEO [1][2]." — markers before the closing punctuation, as the extractive answers do."""
    marks = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1].rstrip()} {marks}{sentence[-1]}"
    return f"{sentence} {marks}."


def dropped_notice(dropped: int) -> str | None:
    if not dropped:
        return None
    if dropped == 1:
        return "1 unsupported sentence was removed."
    return f"{dropped} unsupported sentences were removed."


# --- the answerer -------------------------------------------------------------------------------------
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
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.extractive = extractive
        self.guard = GroundingGuard(scorer)
        self.cooldown_s = cooldown_s
        self.chain = (
            build_answer_chain(
                llm,
                retriever,
                max_sentences=settings.answer_max_sentences,
                fallback_condense=extractive.standalone,
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
        final = None
        for event in self.stream(question, history):
            if event.kind == "answer":
                final = event.answer
        assert final is not None
        return final

    def stream(self, question: str, history: Sequence[Message]) -> Iterator[StreamEvent]:
        """Model tokens as "delta" events, then the verified "answer". The answer's text is authoritative:
        the guard may drop streamed sentences, renumber citations, or replace everything with a fallback."""
        if self.chain is None or time.monotonic() < self._skip_until:
            yield from self._fallback(question, history, UNAVAILABLE_NOTICE.format(reason=self.last_error), True)
            return
        started = time.perf_counter()
        state: dict[str, Any] = {}
        parts: list[str] = []
        try:
            for delta in self._run_chain(question, history, state):
                parts.append(delta)
                yield StreamEvent("delta", text=delta)
            if not "".join(parts).strip():
                raise EmptyReply("the reply had no text")
        except RetrievalFailed as exc:
            raise exc.__cause__ or exc from None
        except Exception as exc:  # noqa: BLE001 - any failure of the model must end in an answer, not an error
            reason = self._record_failure(exc)
            yield from self._fallback(question, history, UNAVAILABLE_NOTICE.format(reason=reason), not parts)
            return
        self._record_success()
        answer = self.verified(state["standalone"], state["retrieval"], "".join(parts))
        answer.timings_ms = timings(started, state.get("retrieved_at", started))
        yield StreamEvent("answer", answer=answer)

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
    def _run_chain(self, question: str, history: Sequence[Message], state: dict[str, Any]) -> Iterator[str]:
        assert self.chain is not None
        budget = TURN_BUDGET_FACTOR * self.settings.llm_timeout_s
        deadline = float("inf")  # the generation's clock starts once retrieval (a cold index) is done
        chunks = self.chain.stream({"question": question, "history": list(history)})
        try:
            for chunk in chunks:
                if "standalone" in chunk:
                    state["standalone"] = chunk["standalone"]
                if "retrieval" in chunk:
                    state["retrieval"], state["retrieved_at"] = chunk["retrieval"], time.perf_counter()
                    deadline = state["retrieved_at"] + budget
                if chunk.get("answer"):
                    yield chunk["answer"]
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"the reply took longer than {budget:g}s")
        finally:
            chunks.close()  # stops reading the HTTP stream if we bailed out early

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
        self._skip_until = time.monotonic() + self.cooldown_s
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


def describe_failure(exc: BaseException, timeout_s: float) -> tuple[str, str]:
    """(reason, detail): a short reason for the reader, a detail for the log; never a traceback or a dump."""
    import httpx
    import openai

    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return f"no reply within {timeout_s:g}s", ""
    if isinstance(exc, TimeoutError):
        return "reply too slow", str(exc)
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return "connection failed", ""
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}", _short(exc.message)
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}", ""
    if isinstance(exc, EmptyReply):
        return "empty reply", ""
    return "unusable reply", f"{type(exc).__name__}: {_short(str(exc))}"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret and len(secret) >= 4 else text


def redact_url(url: str | None) -> str | None:
    """The URL without user:password@ or a query string, either of which may carry a credential."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
