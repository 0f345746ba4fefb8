"""The admin page's API against a real DocChat (MiniLM, Chroma) over a small corpus of its own: who may use it,
uploads (names, types, sizes, no silent overwrite), removals, the document list and re-index progress."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from support import make_settings

from ingest.documents import BadName, UnsupportedType, safe_upload_name
from ingest.pipeline import IngestProgress
from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder
from ui.admin import ADMIN_COOKIE, CSRF_HEADER
from ui.security import RateLimiter
from ui.server import create_web_app
from ui.settings import WebSettings

ADMIN_TOKEN = "admin-token-0123456789"
CHAT_TOKEN = "chat-token-0123456789"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CHAT = {"Authorization": f"Bearer {CHAT_TOKEN}"}
NEW_FACT = "# Harbour archive\n\nThe harbour archive reading room opens at seven on Tuesdays.\n"


def admin_app(root: Path, embedder: Embedder, **overrides: Any) -> DocChat:
    """A warmed DocChat over a corpus of its own (two documents, one in a folder), with an admin token."""
    corpus = root / "corpus"
    (corpus / "guides").mkdir(parents=True)
    (corpus / "team-rota.md").write_text(
        "# Team rota\n\nThe support rota changes every Monday.\n\nSwaps are agreed in the team channel.\n",
        encoding="utf-8",
    )
    (corpus / "guides" / "desk-booking.txt").write_text(
        "Desk booking\n\nDesks are booked through the facilities portal a week ahead.\n", encoding="utf-8"
    )
    settings = make_settings(root, corpus, **overrides)
    docchat = build_app(settings, embedder=embedder)
    ingest_into(docchat, progress=False)
    docchat.warm()
    return docchat


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> DocChat:
    return admin_app(tmp_path_factory.mktemp("admin"), embedder)


def admin_web_settings(**overrides: Any) -> WebSettings:
    """The serving options these tests run with: the admin page on, no rate limit."""
    options = {"admin_token": SecretStr(ADMIN_TOKEN), "rate_limit_per_minute": 0, **overrides}
    return WebSettings(_env_file=None, **options)  # type: ignore[arg-type]


def web_for(app: DocChat, admin_key: str | None = "published-key", **overrides: Any) -> FastAPI:
    """The admin app, with the chat token set too (it must open no admin route)."""
    settings = admin_web_settings(**{"api_token": SecretStr(CHAT_TOKEN), **overrides})
    return create_web_app(app, settings, chat_ui=False, admin_key=admin_key)


@pytest.fixture
def web(app: DocChat) -> FastAPI:
    return web_for(app)


@pytest.fixture
def client(web: FastAPI) -> Iterator[TestClient]:
    with TestClient(web, raise_server_exceptions=False) as c:
        yield c


def upload(client: TestClient, name: str, data: bytes, headers: dict[str, str] | None = None, **form: str):
    return client.post("/api/admin/documents", headers=ADMIN if headers is None else headers,
                       files={"file": (name, data)}, data=form)


def admin_routes(web: FastAPI) -> list[tuple[str, str]]:
    """Every admin operation in the served schema, with a concrete path: a route added later is covered."""
    paths = web.openapi()["paths"]
    routes = [
        (method.upper(), path.replace("{source}", "team-rota.md"))
        for path, ops in paths.items()
        if path.startswith("/api/admin/")
        for method in ops
    ]
    assert {"/api/admin/reindex", "/api/admin/documents", "/api/admin/documents/team-rota.md"} <= {p for _, p in routes}
    return routes


def files_in(corpus: Path) -> set[str]:
    return {p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file()}


# --- who may ---------------------------------------------------------------------------------------------


def test_no_credential_the_chat_token_or_a_wrong_admin_token_opens_no_admin_route(app: DocChat, web: FastAPI) -> None:
    web.state.docchat.auth_limiter = RateLimiter(1000)  # this test makes many failed attempts on purpose
    corpus = app.settings.corpus_dir
    before = files_in(corpus)
    outsiders = {
        "no credential": {},
        "the chat token": CHAT,
        "a wrong admin token": {"Authorization": "Bearer admin-token-0123456780"},
        "the admin token in a cookie": {"Cookie": f"{ADMIN_COOKIE}={ADMIN_TOKEN}"},
        "basic auth": {"Authorization": "Basic YWRtaW46YWRtaW4="},
    }
    with TestClient(web, raise_server_exceptions=False) as client:
        for method, path in admin_routes(web):
            for who, headers in outsiders.items():
                kwargs: dict[str, Any] = {"headers": headers}
                if method == "POST" and path == "/api/admin/documents":
                    kwargs["files"] = {"file": ("intruder.md", b"# Intruder\n\nWritten by an outsider.\n")}
                response = client.request(method, path, **kwargs)
                assert response.status_code in (401, 403), (who, method, path, response.status_code)
                assert response.json()["error"], (who, method, path)
        # The same credentials cannot sign in at the page either.
        for token in (CHAT_TOKEN, "admin-token-0123456780", ""):
            response = client.post("/admin", data={"token": token}, follow_redirects=False)
            assert response.status_code == 401 and ADMIN_COOKIE not in response.headers.get("set-cookie", "")
        assert "upload-form" not in client.get("/admin").text  # only the sign-in form
    assert files_in(corpus) == before
    assert web.state.docchat.reindexer.status() is None  # nothing started a run


def test_the_admin_token_and_the_published_key_open_the_admin_routes(client: TestClient) -> None:
    for headers in (ADMIN, {"Authorization": "Bearer published-key"}):
        assert client.get("/api/admin/documents", headers=headers).status_code == 200
        assert client.get("/api/admin/reindex", headers=headers).status_code == 200


def test_without_an_admin_token_the_page_is_off_and_the_admin_api_answers_403(app: DocChat) -> None:
    web = web_for(app, admin_key=None, admin_token=None)
    with TestClient(web, raise_server_exceptions=False) as client:
        page = client.get("/admin")
        assert page.status_code == 404 and "DOCCHAT_ADMIN_TOKEN" in page.text and "off" in page.text
        assert "<form" not in page.text
        assert client.post("/admin", data={"token": ADMIN_TOKEN}).status_code == 404
        for method, path in admin_routes(web):
            response = client.request(method, path, headers=ADMIN)
            assert response.status_code == 403, (method, path)
            assert "DOCCHAT_ADMIN_TOKEN" in response.json()["error"]
    # A server started by `docchat serve` has its published key: still only re-index for the CLI, no page.
    with TestClient(web_for(app, admin_token=None), raise_server_exceptions=False) as client:
        key = {"Authorization": "Bearer published-key"}
        assert client.get("/api/admin/reindex", headers=key).status_code == 200
        response = client.get("/api/admin/documents", headers=key)
        assert response.status_code == 403 and "DOCCHAT_ADMIN_TOKEN" in response.json()["error"]


def test_failed_admin_attempts_are_throttled_per_client(client: TestClient) -> None:
    for _ in range(10):
        assert client.get("/api/admin/documents", headers=CHAT).status_code == 401
    refused = client.get("/api/admin/documents", headers=ADMIN)  # even the right token waits now
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    login = client.post("/admin", data={"token": ADMIN_TOKEN}, follow_redirects=False)
    assert login.status_code == 429 and ADMIN_COOKIE not in login.headers.get("set-cookie", "")


def test_the_login_sets_a_strict_httponly_session_cookie_and_changes_need_the_csrf_header(client: TestClient) -> None:
    signed = client.post("/admin", data={"token": ADMIN_TOKEN}, follow_redirects=False)
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Path=/" in cookie
    session_id = client.cookies[ADMIN_COOKIE]
    assert ADMIN_TOKEN not in cookie and session_id != ADMIN_TOKEN

    page = client.get("/admin")
    assert page.status_code == 200 and 'id="upload-form"' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    csrf = re.search(r'name="docchat-csrf" content="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]

    assert client.get("/api/admin/documents").status_code == 200  # reading needs the session only
    doc = {"file": ("csrf-check.md", b"# CSRF check\n\nA page-made upload.\n")}
    assert client.post("/api/admin/documents", files=doc).status_code == 403  # no CSRF header
    assert client.post("/api/admin/documents", files=doc, headers={CSRF_HEADER: "guess"}).status_code == 403
    cross_site = {CSRF_HEADER: csrf, "Origin": "https://evil.example"}
    assert client.post("/api/admin/documents", files=doc, headers=cross_site).status_code == 403
    assert client.delete("/api/admin/documents/team-rota.md", headers={CSRF_HEADER: "guess"}).status_code == 403
    assert client.post("/api/admin/reindex", headers={"Origin": "https://evil.example"}).status_code == 403
    own = {CSRF_HEADER: csrf, "Origin": "http://testserver"}
    made = client.post("/api/admin/documents", files=doc, headers=own)
    assert made.status_code == 201, made.text
    assert client.delete("/api/admin/documents/csrf-check.md", headers=own).status_code == 200

    out = client.post("/admin/logout", data={"csrf": csrf}, headers={"Origin": "http://testserver"},
                      follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set(ADMIN_COOKIE, session_id)  # an old cookie replayed after signing out
    assert client.get("/api/admin/documents").status_code == 401
    assert 'id="upload-form"' not in client.get("/admin").text


# --- uploads ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("notes.md", "notes.md"),
        ("Q3 plan (final).PDF", "Q3-plan-final.pdf"),
        ("réunion été.txt", "r-union-t.txt"),
        ("a\u2215b.md", "a-b.md"),  # a lookalike slash is just a character
    ],
)
def test_upload_names_are_made_safe(name: str, stored: str) -> None:
    assert safe_upload_name(name) == stored


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("../x.md", BadName),
        ("..\\x.md", BadName),
        ("/etc/x.md", BadName),
        ("sub/x.md", BadName),
        (".hidden.md", BadName),
        ("..md", BadName),
        ("", BadName),
        ("x\x00.md", BadName),
        ("~~~.md", BadName),
        ("run.exe", UnsupportedType),
        ("README", UnsupportedType),
        ("x.md.sh", UnsupportedType),
    ],
)
def test_upload_names_that_are_refused(name: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        safe_upload_name(name)


def test_uploads_are_checked_before_anything_is_written(app: DocChat, client: TestClient, tmp_path: Path) -> None:
    corpus = app.settings.corpus_dir
    before = files_in(corpus)
    outside = set(corpus.parent.iterdir())
    body = b"# Traversal\n\nThis must never leave the corpus.\n"
    for name in ("../x.md", "..\\x.md", "/tmp/x.md", "guides/../../x.md", ".env.md"):
        response = upload(client, name, body)
        assert response.status_code == 422, (name, response.text)
        assert "error" in response.json()
    for name in ("tool.exe", "archive.zip", "noextension"):
        response = upload(client, name, body)
        assert response.status_code == 415 and ".md" in response.json()["error"], name
    assert upload(client, "empty.md", b"").status_code == 422
    unreadable = upload(client, "binary.txt", bytes(range(256)) * 8)
    assert unreadable.status_code == 422 and "cannot be indexed" in unreadable.json()["error"]
    missing = client.post("/api/admin/documents", headers=ADMIN, data={"replace": "true"})
    assert missing.status_code == 422 and "'file'" in missing.json()["error"]
    assert client.post("/api/admin/documents", headers=ADMIN, json={"file": "x"}).status_code == 422
    assert files_in(corpus) == before and set(corpus.parent.iterdir()) == outside
    assert not list(corpus.glob(".upload-*"))  # no half-written leftovers


def test_uploads_over_the_size_cap_get_413(app: DocChat) -> None:
    with TestClient(web_for(app, admin_max_upload_bytes=1000), raise_server_exceptions=False) as client:
        assert upload(client, "small.md", b"# Small\n\nFits under the cap.\n").status_code == 201
        big = b"# Big\n\n" + b"word " * 400
        declared = upload(client, "big.md", big)
        assert declared.status_code == 413 and "1,000 bytes" in declared.json()["error"]

        def chunked() -> Iterator[bytes]:  # no Content-Length: the cap holds while the body streams in
            yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.md\"\r\n\r\n"
            for _ in range(200):
                yield b"x" * 1000
            yield b"\r\n--b--\r\n"

        multipart = {**ADMIN, "Content-Type": "multipart/form-data; boundary=b"}
        streamed = client.post("/api/admin/documents", headers=multipart, content=chunked())
        assert streamed.status_code == 413
        assert client.delete("/api/admin/documents/small.md", headers=ADMIN).status_code == 200
    assert not (app.settings.corpus_dir / "big.md").exists()


def test_an_existing_document_is_replaced_only_when_asked(app: DocChat, client: TestClient) -> None:
    path = app.settings.corpus_dir / "policy.md"
    first = upload(client, "policy.md", b"# Policy\n\nVersion one of the policy.\n")
    assert first.status_code == 201 and first.json() == {
        "source": "policy.md", "size_bytes": 37, "replaced": False, "reindex_needed": True}
    again = upload(client, "policy.md", b"# Policy\n\nVersion two of the policy.\n")
    assert again.status_code == 409 and "replace" in again.json()["error"]
    assert "one" in path.read_text()
    replaced = upload(client, "policy.md", b"# Policy\n\nVersion two of the policy.\n", replace="true")
    assert replaced.status_code == 201 and replaced.json()["replaced"] is True
    assert "two" in path.read_text()
    assert client.delete("/api/admin/documents/policy.md", headers=ADMIN).status_code == 200


# --- removing, listing, re-indexing -------------------------------------------------------------------------


def test_remove_takes_only_documents_of_the_corpus(app: DocChat, client: TestClient) -> None:
    corpus = app.settings.corpus_dir
    (corpus.parent / "outside.md").write_text("# Outside\n\nNot a corpus file.\n", encoding="utf-8")
    (corpus / ".secret.md").write_text("# Hidden\n\nHidden file.\n", encoding="utf-8")
    for source in ("../outside.md", "%2e%2e/outside.md", ".secret.md", "guides", "nope.md", "guides/../../outside.md"):
        response = client.delete(f"/api/admin/documents/{source}", headers=ADMIN)
        assert response.status_code in (404, 405), (source, response.status_code)
    assert (corpus.parent / "outside.md").exists() and (corpus / ".secret.md").exists()
    (corpus / ".secret.md").unlink()
    assert upload(client, "scratch.md", b"# Scratch\n\nTemporary notes.\n").status_code == 201
    removed = client.delete("/api/admin/documents/scratch.md", headers=ADMIN)
    assert removed.status_code == 200 and removed.json() == {
        "source": "scratch.md", "removed": True, "reindex_needed": True}
    assert not (corpus / "scratch.md").exists()
    assert client.delete("/api/admin/documents/scratch.md", headers=ADMIN).status_code == 404


def test_list_upload_reindex_with_progress_and_the_new_document_answers(app: DocChat, client: TestClient) -> None:
    listed = client.get("/api/admin/documents", headers=ADMIN).json()
    assert listed["reindex_needed"] is False and listed["max_upload_bytes"] == 20_000_000
    assert ".docx" in listed["supported_suffixes"] and ".pdf" in listed["supported_suffixes"]
    by_name = {d["source"]: d for d in listed["documents"]}
    assert set(by_name) == {"team-rota.md", "guides/desk-booking.txt"}
    rota = by_name["team-rota.md"]
    assert rota["state"] == "indexed" and rota["chunks"] >= 1 and rota["indexed_at"] > 0
    assert rota["size_bytes"] == (app.settings.corpus_dir / "team-rota.md").stat().st_size

    assert upload(client, "harbour-archive.md", NEW_FACT.encode()).status_code == 201
    assert client.delete("/api/admin/documents/guides/desk-booking.txt", headers=ADMIN).status_code == 200
    pending = {d["source"]: d for d in client.get("/api/admin/documents", headers=ADMIN).json()["documents"]}
    assert pending["harbour-archive.md"]["state"] == "not_indexed" and pending["harbour-archive.md"]["chunks"] == 0
    assert pending["guides/desk-booking.txt"]["state"] == "removed"
    assert pending["guides/desk-booking.txt"]["size_bytes"] is None

    started = client.post("/api/admin/reindex", headers=ADMIN, json={})
    assert started.status_code == 202
    reindexer = client.app.state.docchat.reindexer  # type: ignore[attr-defined]
    reindexer.wait(timeout=120)
    status = client.get("/api/admin/reindex", headers=ADMIN).json()
    assert status["state"] == "done", status
    assert status["progress"] == {"phase": "done", "files_done": 2, "files_total": 2, "texts_done": 0,
                                  "texts_total": 0}
    assert status["report"]["added"] == ["harbour-archive.md"]
    assert status["report"]["removed"] == ["guides/desk-booking.txt"]

    after = client.get("/api/admin/documents", headers=ADMIN).json()
    assert after["reindex_needed"] is False
    assert {d["source"]: d["state"] for d in after["documents"]} == {
        "harbour-archive.md": "indexed", "team-rota.md": "indexed"}
    question = "When does the harbour archive reading room open?"
    answer = client.post("/api/chat", headers=CHAT, json={"message": question})
    assert answer.status_code == 200
    assert "harbour-archive.md" in {c["source"] for c in answer.json()["citations"]}


def test_ingest_reports_progress_phase_by_phase(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"note-{i}.md").write_text(f"# Note {i}\n\nNote number {i} is about topic {i}.\n", encoding="utf-8")
    (corpus / "skip.md").write_text("", encoding="utf-8")
    docchat = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    docchat.warm()
    steps: list[IngestProgress] = []
    ingest_into(docchat, progress=False, on_progress=steps.append)
    phases = [s.phase for s in steps]
    assert phases[0] == "reading" and "embedding" in phases and phases[-2:] == ["cleaning up", "reloading"]
    assert all(s.files_total == 4 for s in steps)
    done = [s.files_done for s in steps]
    assert done == sorted(done) and done[-1] == 4
    embedding = [s for s in steps if s.phase == "embedding"]
    assert all(0 <= s.texts_done < s.texts_total for s in embedding)
