"""The client side of the admin routes: `docchat ingest` asking the server that owns the store to re-index."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from rag.owner import ServerHandle, process_alive


class RemoteReindexError(RuntimeError):
    """The server could not be asked, or its run failed; the message says which."""


def remote_reindex(
    server: ServerHandle,
    corpus_dir: Path,
    rebuild: bool = False,
    *,
    poll_s: float = 1.0,
    start_timeout_s: float = 300.0,
    sleep: Callable[[float], None] = time.sleep,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """Start (or join) a re-index on the server and wait for it; returns the run's ingest report."""
    headers = {"Authorization": f"Bearer {server.admin_key}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30.0, transport=transport) as client:
        status = _request(client, "GET", server, poll_s, start_timeout_s, sleep)
        served = Path(status["corpus_dir"])
        if served.resolve() != corpus_dir.resolve():
            raise RemoteReindexError(
                f"the docchat server at {server.url} (pid {server.pid}) owns this data dir and indexes "
                f"{served}, not {corpus_dir}; stop it, or ingest that folder"
            )
        status = _request(client, "POST", server, poll_s, start_timeout_s, sleep, json={"rebuild": rebuild})
        target = status.get("wait_for_run") or status["run"]
        while status["run"] < target or (status["run"] == target and status["state"] == "running"):
            sleep(poll_s)
            status = _request(client, "GET", server, poll_s, start_timeout_s, sleep)
        if status["run"] > target:  # someone queued another run after ours: ours is done, its report gone
            return {}
    if status["state"] == "failed":
        raise RemoteReindexError(f"the server's re-index failed: {status.get('error') or 'no reason given'}")
    return dict(status.get("report") or {})


def _request(
    client: httpx.Client,
    method: str,
    server: ServerHandle,
    poll_s: float,
    start_timeout_s: float,
    sleep: Callable[[float], None],
    **kwargs: Any,
) -> dict[str, Any]:
    """One admin call, retried while the server is still starting (it publishes its handle before it binds)."""
    waited = 0.0
    while True:
        try:
            response = client.request(method, "/api/admin/reindex", **kwargs)
        except httpx.TransportError as exc:
            if not process_alive(server.pid):
                raise RemoteReindexError(f"the docchat server (pid {server.pid}) stopped; ingest again") from exc
            if waited >= start_timeout_s:
                raise RemoteReindexError(f"the docchat server at {server.url} does not answer: {exc}") from exc
            sleep(poll_s)
            waited += poll_s
            continue
        if response.status_code == 429 and waited < start_timeout_s:
            pause = float(response.headers.get("retry-after", "5"))
            sleep(pause)
            waited += pause
            continue
        if response.status_code >= 400:
            try:
                message = response.json().get("error", response.text)
            except ValueError:
                message = response.text
            raise RemoteReindexError(f"the docchat server at {server.url} refused: {message}")
        return response.json()
