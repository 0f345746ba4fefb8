"""Property-based fuzzing of the served app: bodies generated from its own /openapi.json, then mutated.

Every operation in the served OpenAPI schema gets schema-valid bodies with hostile strings (control
characters, lone surrogates, RTL, markup, 100k characters), plus mutated ones (a required field dropped,
a value of the wrong type, unknown fields, arbitrary JSON). The chat page's Gradio HTTP API (the page's
own events, called as Gradio's HTTP API does: POST /gradio_api/call/<event>, then its event stream) gets
the same treatment. The property:
never a 5xx, 4xx bodies say what was wrong, 200 bodies match the response models, and the server answers
a normal question afterwards.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from figures import record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from rag.app import DocChat
from rag.models import Answer
from ui.schemas import (
    ChatCompletion,
    ChatCompletionChunk,
    DocumentList,
    FeedbackResponse,
    Health,
    ModelCard,
    ModelList,
    ReindexStatus,
    RemoveResult,
    UploadResult,
)
from ui.server import BackgroundServer, create_web_app
from ui.settings import WebSettings

QUESTION = "Who does a Head of Product report to?"
JSON = {"Content-Type": "application/json"}
API_EXAMPLES = 600
PAGE_EXAMPLES = 120
# The response model of each operation's 200 (SSE responses are checked separately).
RESPONSE_MODELS: dict[tuple[str, str], type[BaseModel]] = {
    ("get", "/api/health"): Health,
    ("post", "/api/chat"): Answer,
    ("post", "/api/feedback"): FeedbackResponse,
    ("get", "/v1/models"): ModelList,
    ("get", "/v1/models/{model}"): ModelCard,
    ("post", "/v1/chat/completions"): ChatCompletion,
    ("get", "/api/admin/reindex"): ReindexStatus,  # no admin key here: every call is refused, never a 500
    ("post", "/api/admin/reindex"): ReindexStatus,
    ("get", "/api/admin/documents"): DocumentList,
    ("post", "/api/admin/documents"): UploadResult,
    ("delete", "/api/admin/documents/{source}"): RemoveResult,
}

# --- strategies -------------------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "\ud800",
    "\udfff\ud800",
    "\u202eevil\u202c",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "' OR 1=1 --",
    "../../etc/passwd",
    "%2e%2e%2f",
    "{{7*7}}",
    "\r\n\r\nHTTP/1.1 200 OK",
    "👩‍👩‍👧‍👦" * 20,
    "مرحبا",
    QUESTION,
    "What about a Director of Product Management?",
]


def texts() -> st.SearchStrategy[str]:
    lone_surrogates = st.characters(categories=["Cs"])
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=120),
        st.text(st.one_of(st.characters(), lone_surrogates), max_size=40),
        st.builds(lambda unit, n: unit * n, st.sampled_from(["x", "😀", " ", "\n", "a b "]), st.integers(0, 120_000)),
    )


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts()
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
        max_leaves=12,
    )


@dataclass
class SchemaStrategies:
    """JSON Schema (the subset FastAPI emits) -> hypothesis strategies of valid instances."""

    components: dict[str, Any]

    def of(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return st.deferred(lambda: self.of(self.components[name]))
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        if "anyOf" in schema:
            return st.one_of([self.of(option) for option in schema["anyOf"]])
        kind = schema.get("type")
        if kind == "string":
            limit = schema.get("maxLength")
            return texts().filter(lambda s: limit is None or len(s) <= limit)
        if kind == "integer":
            return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum"))
        if kind == "number":
            return st.floats(allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        if kind == "array":
            low = schema.get("minItems", 0)
            high = max(low, min(schema.get("maxItems", 4), 4))
            return st.lists(self.of(schema.get("items", {})), min_size=low, max_size=high)
        if kind == "object" or "properties" in schema:
            return self.objects(schema)
        return json_values()

    def objects(self, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: self.of(v) for k, v in properties.items() if k in required},
            optional={k: self.of(v) for k, v in properties.items() if k not in required},
        )


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body: dict[str, Any] | None
    params: list[dict[str, Any]]


def operations(schema: dict[str, Any]) -> list[Operation]:
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            found.append(Operation(method, path, body, op.get("parameters", [])))
    return found


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> tuple[str, Any]:
    """A valid body, or one broken in one of the ways clients break them."""
    body = draw(valid)
    how = draw(st.sampled_from(["valid", "valid", "valid", "drop", "wrong-type", "extra", "arbitrary"]))
    if how == "arbitrary" or not isinstance(body, dict):
        return how, draw(json_values())
    body = dict(body)
    if how == "drop" and body:
        body.pop(draw(st.sampled_from(sorted(body))))
    elif how == "wrong-type" and body:
        body[draw(st.sampled_from(sorted(body)))] = draw(json_values())
    elif how == "extra":
        body[draw(st.text(min_size=1, max_size=12))] = draw(json_values())
    return how, body


def encode(body: Any) -> bytes:
    # json.dumps escapes lone surrogates as \ud800, as a browser's JSON.stringify does; httpx would refuse.
    return json.dumps(body).encode()


def path_value(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Authorization": st.sampled_from(["Bearer x", "Basic Zm9vOmJhcg==", "Bearer", "", "Bearer " + "a" * 4000]),
        "Origin": st.sampled_from(["https://evil.example", "null", "http://127.0.0.1", "file://"]),
        "X-DocChat-Client": st.sampled_from(["widget", "api", "<script>"]),
        "Content-Type": st.sampled_from(
            ["application/json", "text/plain", "application/json; charset=latin-1", "multipart/form-data"]
        ),
    },
)


# --- checking responses ----------------------------------------------------------------------------------


@dataclass
class Findings:
    sent: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def check(self, label: str, res: httpx.Response, model: type[BaseModel] | None, ours: bool = True) -> None:
        self.sent[label] += 1
        self.statuses[res.status_code] += 1
        where = f"{label}: {res.request.method} {str(res.request.url)[:120]} -> {res.status_code} {res.text[:200]!r}"
        if res.status_code >= 500 or "Traceback" in res.text:
            self.problems.append(where)
            return
        try:
            if res.status_code >= 400:
                # docchat's errors carry "error"; Gradio's routes (and its catch-all 404) FastAPI's "detail".
                body = res.json()
                assert isinstance(body.get("error") or body.get("detail"), str | list), body
            elif ours and res.headers.get("content-type", "").startswith("text/event-stream"):
                check_stream(res)
            elif model is not None:
                model.model_validate(res.json())
        except Exception as exc:  # noqa: BLE001 - every broken response is reported, not just the first
            self.problems.append(f"{where}: {exc!r}")


def check_stream(res: httpx.Response) -> None:
    blocks = [b for b in res.text.strip().split("\n\n") if b]
    if blocks[0].startswith("event: "):  # /api/chat?stream=true
        last = dict(line.split(": ", 1) for line in blocks[-1].splitlines())
        assert last["event"] == "answer", last
        Answer.model_validate_json(last["data"])
    else:  # OpenAI chunks, then [DONE]
        data = [b.removeprefix("data: ") for b in blocks]
        assert data[-1] == "[DONE]"
        for chunk in data[:-1]:
            ChatCompletionChunk.model_validate_json(chunk)


# --- the served app ------------------------------------------------------------------------------------------


@dataclass
class Served:
    client: httpx.Client
    schema: dict[str, Any]


@pytest.fixture(scope="module")
def served(corpus_app: DocChat, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("fuzz")
    update = {"database_url": f"sqlite:///{tmp / 'feedback.sqlite3'}", "rate_limit_per_minute": 0}
    with (
        BackgroundServer(create_web_app(corpus_app, WebSettings(_env_file=None, **update))) as server,  # type: ignore[arg-type]
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        schema = client.get("/openapi.json").json()
        yield Served(client, schema)


def still_serving(client: httpx.Client) -> None:
    res = client.post("/api/chat", json={"message": QUESTION})
    assert res.status_code == 200 and "[1]" in res.json()["answer"]


@pytest.mark.slow
def test_fuzzing_the_openapi_operations_never_gives_a_server_error(served: Served) -> None:
    ops = operations(served.schema)
    assert {(o.method, o.path) for o in ops} == set(RESPONSE_MODELS)  # a new route gets fuzzed and checked
    schemas = SchemaStrategies(served.schema["components"]["schemas"])
    findings = Findings()

    @st.composite
    def requests(draw: st.DrawFn) -> tuple[str, Operation, httpx.Request]:
        op = draw(st.sampled_from(ops))
        path, params = op.path, {}
        for param in op.params:
            if param["in"] == "path":
                value = draw(st.one_of(st.just("docchat"), texts().filter(lambda s: len(s) < 2000)))
                path = path.replace("{" + param["name"] + "}", path_value(value))
            elif draw(st.booleans()):
                params[param["name"]] = draw(st.sampled_from(["true", "false", "1", "0", "yes", "maybe", "", "🚀"]))
        headers = draw(HEADERS)
        how, content = "none", None
        if op.body is not None:
            how, body = draw(mutated(schemas.of(op.body)))
            content = encode(body)
            headers.setdefault("Content-Type", "application/json")
        request = served.client.build_request(op.method.upper(), path, params=params, content=content, headers=headers)
        return how, op, request

    @settings(
        max_examples=API_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(requests())
    def fuzz(case: tuple[str, Operation, httpx.Request]) -> None:
        how, op, request = case
        res = served.client.send(request)
        findings.check(f"{op.method} {op.path} ({how})", res, RESPONSE_MODELS[(op.method, op.path)])

    fuzz()
    still_serving(served.client)
    total = sum(findings.sent.values())
    record(
        "fuzz_openapi",
        fuzz_examples=total,
        server_errors=sum(v for k, v in findings.statuses.items() if k >= 500),
        statuses={str(k): v for k, v in sorted(findings.statuses.items())},
        operations=len(ops),
    )
    assert findings.problems == [], "\n".join(findings.problems[:20])
    assert total >= API_EXAMPLES * 0.9 and len({label.split(" (")[0] for label in findings.sent}) == len(ops)


def gradio_turns() -> st.SearchStrategy[Any]:
    answer = st.fixed_dictionaries({"answer": texts(), "refused": st.booleans(), "citations": st.just([])})
    turn = st.fixed_dictionaries({"q": texts(), "a": answer})
    return st.one_of(st.lists(turn, max_size=3), json_values())


def call_page_event(client: httpx.Client, name: str, body: Any) -> tuple[httpx.Response, str]:
    """Gradio's HTTP API for an event: POST /gradio_api/call/<name>, then read its event stream."""
    res = client.post(f"/gradio_api/call/{quote(name, safe='')}", content=encode(body), headers=JSON)
    if res.status_code != 200:
        return res, ""
    stream = client.get(f"/gradio_api/call/{quote(name, safe='')}/{res.json()['event_id']}")
    return stream, stream.text


@pytest.mark.slow
def test_fuzzing_the_chat_page_http_api_never_gives_a_server_error(served: Served) -> None:
    findings = Findings()
    names = [
        "respond", "respond_1", "restore", "new_chat", "open", "rename", "delete", "regenerate", "edit", "stop",
        "pick_example", "vote", "comment", "predict", "../config", "<script>",
    ]

    @settings(max_examples=PAGE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        name=st.sampled_from(names),
        message=texts(),
        turns=gradio_turns(),
        shape=st.sampled_from(["args", "args", "args", "junk-data", "no-data", "arbitrary"]),
    )
    def fuzz(name: str, message: str, turns: Any, shape: str) -> None:
        body: Any = {"data": [message, turns, message]}
        if shape == "junk-data":
            body = {"data": message}
        elif shape == "no-data":
            body = {"session_hash": message}
        elif shape == "arbitrary":
            body = turns
        res, stream = call_page_event(served.client, name, body)
        findings.check(f"gradio {name} ({shape})", res, None, ours=False)
        if stream:
            # A failure inside the event reaches the page in-band, as its "error" event.
            last = [line for line in stream.splitlines() if line.startswith("event: ")][-1]
            if last not in ("event: complete", "event: error") or "Traceback" in stream:
                findings.problems.append(f"gradio {name} ({shape}): stream ended with {stream[-300:]!r}")

    fuzz()
    # The page's own flow through HTTP: a question answered with its sources.
    res, stream = call_page_event(served.client, "respond", {"data": [QUESTION, "", ""]})
    assert res.status_code == 200 and "event: complete" in stream and "dc-sources" in stream
    # Gradio's direct route would skip the queue (and 500 on malformed calls): closed.
    assert served.client.post("/gradio_api/run/respond", json={"data": [QUESTION, "", ""]}).status_code == 404
    still_serving(served.client)
    total = sum(findings.sent.values())
    record(
        "fuzz_chat_page_http",
        fuzz_examples=total,
        server_errors=sum(v for k, v in findings.statuses.items() if k >= 500),
        statuses={str(k): v for k, v in sorted(findings.statuses.items())},
    )
    assert findings.problems == [], "\n".join(findings.problems[:20])
