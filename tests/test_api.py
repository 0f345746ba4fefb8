"""The HTTP API.

Where the answer matters (its contract with verbatim citations, follow-ups, refusals, health of the real index,
the cited passage highlighted, the LLM's verified text) the tests run against the real, warmed DocChat over
the shipped corpus (the `corpus_app` fixture). Everything the web layer decides on its own (status codes,
error bodies, size limits, the token, the rate limit, CORS and frame-ancestors, SSE and OpenAI framing,
/sources paths, static pages) runs against `support.FakeDocChat`: canned answers in the real contract, no
model or store, so these tests take milliseconds and can also check that a rejected request never reached
DocChat. The real pipeline under arbitrary text is fuzzed in test_fuzz.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from support import FakeClock, FakeDocChat, make_settings

from ingest.loaders import load_document
from rag.app import DocChat
from rag.models import Message
from rag.store import StoreUnavailable
from ui.security import RateLimiter
from ui.server import BackgroundServer, create_web_app
from ui.settings import WebSettings

QUESTION = "Who does a Head of Product report to?"


def serving_settings(app: Any, tmp: Path, **overrides: Any) -> WebSettings:
    """Serving options for a web app over `app`; the feedback DB goes to `tmp`."""
    update = {
        "database_url": f"sqlite:///{tmp / 'feedback.sqlite3'}",
        "rate_limit_per_minute": 0,
        **overrides,
    }
    return WebSettings(_env_file=None, **update)  # type: ignore[arg-type]


def client_for(app: Any, tmp: Path, **overrides: Any) -> TestClient:
    settings = serving_settings(app, tmp, **overrides)
    return TestClient(create_web_app(app, settings, chat_ui=False), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(corpus_app: DocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(corpus_app, tmp_path_factory.mktemp("api")) as c:
        yield c


def fake_docchat(tmp: Path, **options: Any) -> FakeDocChat:
    """A FakeDocChat over the shipped corpus, with its data dir (the chat page's secret) under `tmp`."""
    return FakeDocChat(make_settings(tmp), **options)


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> FakeDocChat:
    return fake_docchat(tmp_path_factory.mktemp("fake"))


@pytest.fixture(scope="module")
def fake_client(fake: FakeDocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(fake, tmp_path_factory.mktemp("fake-api")) as c:
        yield c


def test_the_fake_docchat_has_the_real_public_face() -> None:
    """The fake stands in for DocChat only as long as it takes and returns what the real one does."""
    import inspect

    from rag.app import DocChat

    face = [
        "answer", "stream", "warm", "health", "index_stats", "suggested_questions",
        "source_text", "has_source", "llm_status", "refresh", "watch",
    ]  # fmt: skip
    for name in face:
        real, fake = inspect.signature(getattr(DocChat, name)), inspect.signature(getattr(FakeDocChat, name))
        assert list(real.parameters) == list(fake.parameters), name
        assert str(real.return_annotation) == str(fake.return_annotation), name
    assert isinstance(inspect.getattr_static(DocChat, "keyword_index_built"), property)
    assert isinstance(inspect.getattr_static(FakeDocChat, "keyword_index_built"), property)


def sse_events(text: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


# --- answers ------------------------------------------------------------------------------------------


def test_chat_returns_the_answer_contract_with_verifiable_citations(
    client: TestClient, corpus_app: DocChat
) -> None:
    res = client.post("/api/chat", json={"message": QUESTION, "history": []})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["refused"] is False
    assert "[1]" in body["answer"]
    assert body["citations"] and body["citations"][0]["n"] == 1
    for c in body["citations"]:
        original = load_document(
            corpus_app.settings.corpus_dir / c["source"], corpus_app.settings.corpus_dir
        ).text
        assert original[c["start"] : c["end"]] == c["quote"]
    assert set(body) >= {"standalone_question", "retrieved", "timings_ms", "answerer", "suggestions"}


def test_follow_up_uses_the_history(client: TestClient) -> None:
    first = client.post("/api/chat", json={"message": QUESTION}).json()
    follow_up = "What about a Director of Product Management?"
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": first["answer"]}]
    alone = client.post("/api/chat", json={"message": follow_up}).json()
    with_history = client.post("/api/chat", json={"message": follow_up, "history": history}).json()
    assert alone["standalone_question"] == follow_up
    assert with_history["standalone_question"] != follow_up  # the history reached the condenser


def test_chat_stream_sends_deltas_then_the_final_answer(fake_client: TestClient) -> None:
    # The framing; that the real pipeline's deltas add up to its answer is test_answering.py's.
    res = fake_client.post("/api/chat?stream=true", json={"message": QUESTION})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/event-stream")
    assert res.headers["x-accel-buffering"] == "no"
    events = sse_events(res.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "answer" and kinds.count("answer") == 1
    assert len(kinds) >= 3 and set(kinds[:-1]) == {"delta"}
    final = events[-1][1]
    assert "".join(data["text"] for kind, data in events[:-1]) == final["answer"]
    assert final["citations"] and "[1]" in final["answer"]


def test_refusal_is_reported_as_such(client: TestClient) -> None:
    body = client.post("/api/chat", json={"message": "What is the boiling point of tungsten?"}).json()
    assert body["refused"] is True and body["citations"] == []


def test_health_reports_index_model_and_answerer(client: TestClient, corpus_app: DocChat) -> None:
    res = client.get("/api/health")
    assert res.status_code == 200
    body = res.json()
    assert body["status"] == "ok"
    assert body["index"] == {
        "chunks": corpus_app.store.count(),
        "store_reachable": True,
        "state": "ready",
        "reindexing": False,
        "error": None,
    }
    assert body["model"] == {"loaded": True}
    assert body["answerer"] == "extractive"
    assert body["llm"] is None  # no LLM endpoint configured


# --- bad requests ----------------------------------------------------------------------------------------


def long_history(n: int) -> list[dict[str, str]]:
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i}"} for i in range(n)]


@pytest.mark.parametrize(
    "body,status,needle",
    [
        ("{not json", 400, "not valid JSON"),
        ("", 422, "body"),
        ("[]", 422, "dictionary"),
        ('{"history": []}', 422, "message"),
        ('{"message": 42}', 422, "message"),
        ('{"message": ["a"]}', 422, "message"),
        ('{"message": "   \\n\\t "}', 422, "empty"),
        (json.dumps({"message": "x" * 4001}), 413, "too long"),
        (json.dumps({"message": "hi", "history": long_history(51)}), 422, "history"),
        (json.dumps({"message": "hi", "history": [{"role": "bot", "content": "x"}]}), 422, "role"),
        (json.dumps({"message": "hi", "history": [{"role": "user", "content": None}]}), 422, "content"),
        (json.dumps({"message": "hi", "history": "no"}), 422, "history"),
        (json.dumps({"message": "hi", "extra": 1}), 422, "extra"),
        (json.dumps({"message": "x" * 3_000_000}), 413, "too large"),
    ],
)
def test_bad_chat_requests_get_a_clear_4xx(
    fake_client: TestClient, fake: FakeDocChat, body: str, status: int, needle: str
) -> None:
    asked = len(fake.asked)
    res = fake_client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert res.status_code == status, res.text
    error = res.json()["error"]
    assert isinstance(error, str) and needle.lower() in error.lower()
    assert "Traceback" not in res.text
    assert len(fake.asked) == asked  # refused before any work


def test_bad_openai_requests_get_a_clear_4xx(fake_client: TestClient, fake: FakeDocChat) -> None:
    asked = len(fake.asked)
    cases = [
        ({"model": "docchat", "messages": []}, 422),
        ({"model": "docchat", "messages": [{"role": "assistant", "content": "hi"}]}, 400),
        ({"model": "docchat", "messages": [{"role": "user", "content": "  "}]}, 422),
        ({"model": "docchat", "messages": [{"role": "wizard", "content": "hi"}]}, 422),
        ({"model": "docchat", "messages": [{"role": "user", "content": "hi"}], "stream": "yes"}, 422),
    ]
    for body, status in cases:
        res = fake_client.post("/v1/chat/completions", json=body)
        assert res.status_code == status, (body, res.text)
        assert isinstance(res.json()["error"], str)
    assert len(fake.asked) == asked


def test_rate_limit_gives_429_with_retry_after(fake: FakeDocChat, tmp_path: Path) -> None:
    clock = FakeClock()  # the window moves only when the test says so
    with client_for(fake, tmp_path, rate_limit_per_minute=2) as c:
        c.app.state.docchat.limiter = RateLimiter(2, clock=clock)  # type: ignore[attr-defined]
        assert c.post("/api/chat", json={"message": " "}).status_code == 422  # counted, though rejected
        assert c.get("/v1/models").status_code == 200
        asked = len(fake.asked)
        res = c.post("/api/chat", json={"message": QUESTION})
        # Both hits are from this instant: the first leaves the window in exactly 60 s.
        assert res.status_code == 429 and res.headers["retry-after"] == "60"
        assert "per minute" in res.json()["error"]
        assert len(fake.asked) == asked  # a limited request does no work
        clock.advance(0.5)
        assert c.post("/api/chat", json={"message": QUESTION}).headers["retry-after"] == "60"  # 59.5 s, rounded up
        clock.advance(59.25)
        assert c.post("/api/chat", json={"message": QUESTION}).headers["retry-after"] == "1"  # 0.25 s is still 1
        clock.advance(0.25)
        assert c.post("/api/chat", json={"message": QUESTION}).status_code == 200  # waiting Retry-After is enough
        assert c.get("/api/health").status_code == 200  # health is never limited


def test_store_outage_is_a_503_and_the_server_keeps_serving(tmp_path: Path) -> None:
    broken = fake_docchat(tmp_path, failure=StoreUnavailable("chroma at 10.0.0.5:8000 refused"))
    with client_for(broken, tmp_path) as c:
        for url in ["/api/chat", "/api/chat?stream=true"]:
            res = c.post(url, json={"message": QUESTION})
            assert res.status_code == 503
            assert "unavailable" in res.json()["error"] and "10.0.0.5" not in res.text
        health = c.get("/api/health")
        assert health.status_code == 503 and health.json()["index"]["store_reachable"] is False


def test_unexpected_errors_are_a_generic_500_without_details(tmp_path: Path) -> None:
    broken = fake_docchat(tmp_path, failure=RuntimeError("secret internal detail"))
    with client_for(broken, tmp_path) as c:
        res = c.post("/api/chat", json={"message": QUESTION})
        assert res.status_code == 500
        assert res.json() == {"error": "internal error: the request could not be completed"}
        res = c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": QUESTION}]})
        assert res.status_code == 500 and "secret" not in res.text
        assert c.get("/v1/models").status_code == 200  # still serving


# --- token ---------------------------------------------------------------------------------------------


def test_api_token_is_required_when_set(fake: FakeDocChat, tmp_path: Path) -> None:
    with client_for(fake, tmp_path, api_token=SecretStr("s3cret-token")) as c:
        asked = len(fake.asked)
        body = {"message": QUESTION}
        missing = c.post("/api/chat", json=body)
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        assert "token" in missing.json()["error"]
        assert c.post("/api/chat", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert (
            c.post("/api/chat", json=body, headers={"Authorization": "Basic s3cret-token"}).status_code == 401
        )
        assert c.get("/v1/models").status_code == 401
        assert c.post("/api/feedback", json={"vote": "up", "question": "q", "answer": "a"}).status_code == 401
        assert len(fake.asked) == asked  # nothing without the token reached DocChat
        ok = c.post("/api/chat", json=body, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200 and "[1]" in ok.json()["answer"]
        assert c.get("/v1/models", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        assert c.get("/api/health").status_code == 200  # monitoring needs no token


# --- OpenAI-compatible, through the real openai client against a live server --------------------------------


@pytest.fixture(scope="module")
def live_fake(tmp_path_factory: pytest.TempPathFactory) -> FakeDocChat:
    return fake_docchat(tmp_path_factory.mktemp("live-fake"))


@pytest.fixture(scope="module")
def live_url(live_fake: FakeDocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The protocol as real OpenAI clients speak it; what the answers say is the other tests' business.
    settings = serving_settings(
        live_fake, tmp_path_factory.mktemp("live"), api_token=SecretStr("sk-docchat")
    )
    with BackgroundServer(create_web_app(live_fake, settings, chat_ui=False)) as server:
        yield server.url


def test_openai_client_plain_completion(live_url: str, live_fake: FakeDocChat) -> None:
    import openai

    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key="sk-docchat", max_retries=0, timeout=60)
    assert [m.id for m in client.models.list().data] == ["docchat"]
    first = client.chat.completions.create(model="docchat", messages=[{"role": "user", "content": QUESTION}])
    text = first.choices[0].message.content or ""
    assert "[1]" in text and first.choices[0].finish_reason == "stop"
    extra = first.model_extra or {}
    assert extra["refused"] is False and extra["citations"][0]["n"] == 1
    # Earlier turns are the history: the follow-up reaches DocChat with them (the system message dropped).
    follow = client.chat.completions.create(
        model="docchat",
        messages=[
            {"role": "system", "content": "ignored"},
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": text},
            {
                "role": "user",
                "content": [{"type": "text", "text": "What about a Director of Product Management?"}],
            },
        ],
    )
    assert follow.choices[0].message.content
    assert live_fake.asked[-1] == (
        "What about a Director of Product Management?",
        [Message(role="user", content=QUESTION), Message(role="assistant", content=text)],
    )


def test_openai_client_streaming_completion(live_url: str) -> None:
    import openai

    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key="sk-docchat", max_retries=0, timeout=60)
    chunks = list(
        client.chat.completions.create(
            model="docchat", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "[1]" in text
    assert len(chunks) >= 3 and all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    final = chunks[-1]
    assert final.choices[0].finish_reason == "stop"
    assert (final.model_extra or {})["citations"][0]["n"] == 1
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])


def test_openai_stream_ends_with_done_and_sets_no_buffering(live_url: str) -> None:
    import httpx

    res = httpx.post(
        f"{live_url}/v1/chat/completions",
        json={"model": "docchat", "stream": True, "messages": [{"role": "user", "content": QUESTION}]},
        headers={"Authorization": "Bearer sk-docchat"},
        timeout=60,
    )
    assert res.status_code == 200 and res.headers["x-accel-buffering"] == "no"
    assert res.text.rstrip().endswith("data: [DONE]")


def test_openai_client_with_wrong_key_is_rejected(live_url: str) -> None:
    import openai

    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key="wrong", max_retries=0, timeout=30)
    with pytest.raises(openai.AuthenticationError):
        client.models.list()


# --- sources page ---------------------------------------------------------------------------------------


def test_source_page_highlights_the_cited_passage(client: TestClient) -> None:
    citation = client.post("/api/chat", json={"message": QUESTION}).json()["citations"][0]
    res = client.get(
        f"/sources/{citation['source']}", params={"start": citation["start"], "end": citation["end"]}
    )
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    from html import escape

    assert f'<mark id="hit">{escape(citation["quote"])}</mark>' in res.text
    assert "script-src 'self'" in res.headers["content-security-policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/sources/..%2F..%2F..%2Fetc%2Fpasswd",
        "/sources/%2Fetc%2Fpasswd",
        "/sources//etc/passwd",
        "/sources/..%2Fpyproject.toml",
        "/sources/%2E%2E/pyproject.toml",
        "/sources/not-a-document.txt",
        "/sources/.env",
        "/sources/",
    ],
)
def test_source_page_refuses_anything_outside_the_corpus(fake_client: TestClient, path: str) -> None:
    res = fake_client.get(path)
    assert res.status_code == 404
    assert "root:" not in res.text and "[project]" not in res.text


# --- origins -------------------------------------------------------------------------------------------


def test_frame_ancestors_follow_the_setting(fake: FakeDocChat, tmp_path: Path) -> None:
    origins = ["'self'", "https://intranet.example.com"]
    with client_for(fake, tmp_path, allowed_origins=origins) as c:
        source = fake.sources[0]
        assert c.get(f"/sources/{source}").status_code == 200
        for path in ["/widget", f"/sources/{source}", "/api/health"]:
            csp = c.get(path).headers["content-security-policy"]
            assert "frame-ancestors 'self' https://intranet.example.com" in csp, path
    with client_for(fake, tmp_path) as c:
        assert c.get("/widget").headers["content-security-policy"].endswith("frame-ancestors 'self'")


def test_chat_page_sends_frame_ancestors(fake: FakeDocChat, tmp_path: Path) -> None:
    settings = serving_settings(fake, tmp_path, allowed_origins=["'self'", "https://wiki.example.org"])
    with TestClient(create_web_app(fake, settings)) as c:  # type: ignore[arg-type]
        res = c.get("/")
        assert res.status_code == 200 and "<html" in res.text.lower()
        assert res.headers["content-security-policy"] == "frame-ancestors 'self' https://wiki.example.org"


def test_cors_allows_only_listed_origins(fake: FakeDocChat, tmp_path: Path) -> None:
    allowed = "https://intranet.example.com"
    with client_for(fake, tmp_path, allowed_origins=["'self'", allowed]) as c:
        ok = c.post("/api/chat", json={"message": QUESTION}, headers={"Origin": allowed})
        assert ok.headers["access-control-allow-origin"] == allowed
        other = c.post("/api/chat", json={"message": QUESTION}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = {
            "Origin": allowed,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        }
        res = c.options("/v1/chat/completions", headers=preflight)
        assert res.status_code == 200 and res.headers["access-control-allow-origin"] == allowed
        res = c.options("/v1/chat/completions", headers=preflight | {"Origin": "https://evil.example"})
        assert res.status_code == 400 and "access-control-allow-origin" not in res.headers
    with client_for(fake, tmp_path) as c:  # the default 'self' is no CORS origin at all
        res = c.get("/api/health", headers={"Origin": "http://testserver"})
        assert "access-control-allow-origin" not in res.headers


def test_malformed_allowed_origins_fail_at_startup(fake: FakeDocChat, tmp_path: Path) -> None:
    from ui.security import OriginError

    with pytest.raises(OriginError, match="not 'self'"):
        client_for(fake, tmp_path, allowed_origins=["https://ok.example", "evil; script-src *"])


# --- schema and static pieces ------------------------------------------------------------------------------


def test_openapi_schema_is_served_and_cdn_docs_are_off(fake_client: TestClient) -> None:
    client = fake_client
    schema = client.get("/openapi.json").json()
    assert {"/api/chat", "/api/health", "/api/feedback", "/v1/chat/completions", "/v1/models"} <= set(
        schema["paths"]
    )
    assert {"ChatRequest", "Answer", "ChatCompletion", "FeedbackRequest", "ErrorBody"} <= set(
        schema["components"]["schemas"]
    )
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_embed_script_and_widget_are_self_contained(fake_client: TestClient) -> None:
    client = fake_client
    js = client.get("/embed.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    widget = client.get("/widget")
    assert widget.status_code == 200
    for text in (js.text, widget.text, client.get("/_docchat/widget.js").text):
        # No external resources: the only absolute URL allowed is the SVG namespace.
        assert "https://" not in text.replace("http://www.w3.org/2000/svg", "").replace(
            "https://docchat.example/embed.js", ""
        )
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert 'data-max-question-chars="4000"' in widget.text


# --- a little fuzzing: whatever the text, the answer is a 2xx/4xx, never a 500 ------------------------------


def test_arbitrary_text_never_breaks_the_api(fake_client: TestClient) -> None:
    # The web layer's checks under arbitrary text; test_fuzz.py sends such text through the real pipeline.
    client = fake_client
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text = st.text(st.characters(codec="utf-8"), max_size=300)
    turns = st.lists(
        st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system"]), "content": text}),
        max_size=4,
    )

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(message=text, history=turns, stream=st.booleans())
    def check(message: str, history: list[dict[str, str]], stream: bool) -> None:
        res = client.post(
            f"/api/chat?stream={str(stream).lower()}", json={"message": message, "history": history}
        )
        assert res.status_code in (200, 413, 422), res.text
        if res.status_code == 200 and stream:
            assert sse_events(res.text)[-1][0] == "answer"
        elif res.status_code != 200:
            assert isinstance(res.json()["error"], str)

    check()


def test_chat_page_asks_for_the_token_when_set(fake: FakeDocChat, tmp_path: Path) -> None:
    settings = serving_settings(fake, tmp_path, api_token=SecretStr("s3cret-token"))
    with TestClient(create_web_app(fake, settings)) as c:  # type: ignore[arg-type]
        assert c.get("/").status_code == 200  # the login form
        assert c.get("/config").status_code == 401
        assert c.post("/gradio_api/queue/join", json={}).status_code == 401
        assert c.post("/login", data={"username": "me", "password": "wrong"}).status_code == 400
        assert c.post("/login", data={"username": "me", "password": "s3cret-token"}).status_code == 200
        assert c.get("/config").status_code == 200


# --- with the LLM answerer: clients only ever keep verified text --------------------------------------------


def test_llm_answers_stream_raw_on_api_but_only_verified_text_on_v1(
    corpus_app: DocChat, tmp_path: Path
) -> None:
    from fake_openai import FakeOpenAI, source_number

    invented = "Most Heads of Product earn exactly $412,000"
    with FakeOpenAI() as fake:
        fake.responder = lambda body: (
            f"A Head of Product reports directly to the CEO [{source_number(body, 'directly to the CEO')}]. "
            f"{invented} and work remotely from Lisbon [1]."
        )
        llm_settings = corpus_app.settings.model_copy(
            update={"answerer": "llm", "llm_base_url": fake.base_url, "llm_timeout_s": 5.0}
        )
        from rag.app import build_app

        app = build_app(llm_settings, embedder=corpus_app.embedder)
        with client_for(app, tmp_path) as c:
            health = c.get("/api/health").json()
            assert health["answerer"] == "llm" and health["llm"]["configured"] is True
            assert health["llm"]["base_url"]

            events = sse_events(c.post("/api/chat?stream=true", json={"message": QUESTION}).text)
            streamed = "".join(d["text"] for kind, d in events if kind == "delta")
            final = events[-1][1]
            assert invented in streamed  # raw tokens, shown live...
            assert invented not in final["answer"] and final["dropped_sentences"] == 1  # ...then replaced

            res = c.post(
                "/v1/chat/completions",
                json={"stream": True, "messages": [{"role": "user", "content": QUESTION}]},
            )
            chunks = [json.loads(line[6:]) for line in res.text.splitlines() if line.startswith("data: {")]
            content = "".join(ch["choices"][0]["delta"].get("content") or "" for ch in chunks)
            assert invented not in content and "[1]" in content
            assert chunks[-1]["citations"][0]["n"] == 1
