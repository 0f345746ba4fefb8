"""Re-indexing inside the process that owns the store (the server): one run at a time, in the background.

Questions keep being answered while it runs. Each chunk is written whole, with the text and offsets of the
file version it came from, so every citation stays verbatim in the version it names; when the run ends, the
keyword index is rebuilt and swapped in before the run reports done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from ingest.service import ingest_into
from rag.store import is_store_error

if TYPE_CHECKING:
    from ingest.pipeline import IngestProgress, IngestReport
    from rag.app import DocChat

log = logging.getLogger("docchat.reindex")

RunState = Literal["running", "done", "failed"]


@dataclass(frozen=True)
class ReindexRun:
    run: int
    state: RunState
    rebuild: bool
    started_at: float
    finished_at: float | None = None
    report: dict[str, Any] | None = field(default=None)
    error: str | None = None
    # The latest IngestProgress of a running run (phase, files_done/files_total, texts_done/texts_total).
    progress: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Reindexer:
    """Starts ingest runs in a background thread; a start while one runs joins that run."""

    def __init__(
        self,
        docchat: DocChat,
        clock: Callable[[], float] = time.time,
        run_ingest: Callable[..., IngestReport] = ingest_into,
    ) -> None:
        """`run_ingest(docchat, rebuild=, progress=, on_progress=)` does a run: ingest_into, or a test's stand-in."""
        self.docchat = docchat
        self.clock = clock
        self.run_ingest = run_ingest
        self._lock = threading.Lock()
        self._current: ReindexRun | None = None
        self._thread: threading.Thread | None = None
        self._pending = False
        self._pending_rebuild = False

    @property
    def running(self) -> bool:
        current = self._current
        return current is not None and current.state == "running"

    def status(self) -> ReindexRun | None:
        return self._current

    def start(self, rebuild: bool = False) -> int:
        """Start a run, or queue one more after the current one (which may have read the files before the
        caller changed them); returns the number of the run that will include the documents as they are now."""
        with self._lock:
            if self._current is not None and self._current.state == "running":
                self._pending = True
                self._pending_rebuild = self._pending_rebuild or rebuild
                return self._current.run + 1
            return self._launch(rebuild)

    def _launch(self, rebuild: bool) -> int:
        number = self._current.run + 1 if self._current else 1
        self._current = ReindexRun(run=number, state="running", rebuild=rebuild, started_at=self.clock())
        self._thread = threading.Thread(target=self._run, args=(self._current,), daemon=True, name="reindex")
        self._thread.start()
        return number

    def wait(self, timeout: float | None = None) -> ReindexRun | None:
        """Until no run is going or queued (or the timeout passes)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            thread = self._thread
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if thread is not None:
                thread.join(left)
            if thread is self._thread or (deadline is not None and time.monotonic() >= deadline):
                return self._current

    def _progressed(self, run: ReindexRun, step: IngestProgress) -> None:
        with self._lock:
            if self._current is not None and self._current.run == run.run and self._current.state == "running":
                self._current = replace(self._current, progress=step.to_dict())

    def _run(self, run: ReindexRun) -> None:
        try:
            report = self.run_ingest(
                self.docchat,
                rebuild=run.rebuild, progress=False, on_progress=lambda step: self._progressed(run, step)
            )
        except Exception as exc:  # noqa: BLE001 - the run fails and says why; the server keeps serving
            log.warning("re-index run %d failed: %s: %s", run.run, type(exc).__name__, exc, exc_info=True)
            outcome = {"state": "failed", "error": failure_message(exc)}
        else:
            outcome = {"state": "done", "report": report.to_dict()}
        with self._lock:
            # The last progress stays with the run: a failed one shows how far it got.
            progress = self._current.progress if self._current is not None else None
            if progress is not None and outcome["state"] == "done":
                progress = {**progress, "phase": "done", "files_done": progress["files_total"]}
            self._current = replace(run, finished_at=self.clock(), progress=progress, **outcome)
            if self._pending:
                rebuild, self._pending, self._pending_rebuild = self._pending_rebuild, False, False
                self._launch(rebuild)


def failure_message(exc: BaseException) -> str:
    """One line an admin can act on: the corpus folder, the store, or the error itself."""
    if isinstance(exc, FileNotFoundError):
        return str(exc)
    if is_store_error(exc):
        return f"the vector store is unavailable: {exc}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]
