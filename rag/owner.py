"""One process owns a data dir's store at a time: `docchat serve` while it runs, or an ingest while it writes.

Chroma's embedded PersistentClient keeps its vector index in memory. A second process writing the same files
leaves the first one's copy pointing at rows that are gone ("Error finding id"), and every question fails
until a restart. So the owner holds an exclusive lock on `<data_dir>/owner.lock`, and a server also
publishes `<data_dir>/server.json` (its address and a fresh admin key, readable by this user only). While a
server owns the data dir, `docchat ingest` asks it to re-index instead of writing itself.

The lock is an flock: the kernel releases it when its holder exits, however it exits, so a crashed owner
never blocks the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class ServerHandle:
    """How to reach the server that owns a data dir: published by it, read by `docchat ingest`."""

    url: str
    pid: int
    admin_key: str


class StoreOwnership:
    """The owner lock and the server handle of one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.lock_path = data_dir / "owner.lock"
        self.handle_path = data_dir / "server.json"
        self._lock_file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._lock_file is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits."""
        if self._lock_file is not None:
            return True
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a")  # noqa: SIM115 - held open for as long as this process owns the dir
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    def release(self) -> None:
        if self._lock_file is None:
            return
        published = self.read_handle()
        if published is not None and published.pid == os.getpid():
            with contextlib.suppress(OSError):
                self.handle_path.unlink()
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()
        self._lock_file = None

    def running_server(self) -> ServerHandle | None:
        """The server that holds the lock right now, if the holder is a server (not an ingest)."""
        if self._lock_file is not None:
            return None  # we are the owner
        handle = self.read_handle()
        if handle is None or not process_alive(handle.pid):
            return None
        # A handle left by a server that was killed is stale unless someone holds the lock now.
        if self.try_acquire():
            self.release()
            return None
        return handle

    def claim(
        self,
        on_wait: Callable[[], None] | None = None,
        poll_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> ServerHandle | None:
        """Own the data dir, waiting out another ingest; or, when a server owns it, return that server.

        None means the caller now holds the lock (release it when done).
        """
        announced = False
        while True:
            if self.try_acquire():
                return None
            server = self.running_server()
            if server is not None:
                return server
            if not announced and on_wait is not None:
                on_wait()
                announced = True
            sleep(poll_s)

    def publish(self, url: str) -> ServerHandle:
        """Write this server's handle, readable by this user only, with a fresh admin key."""
        handle = ServerHandle(url=url, pid=os.getpid(), admin_key=secrets.token_urlsafe(32))
        tmp = self.handle_path.with_name(f".server.json.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(handle), out)
        os.replace(tmp, self.handle_path)
        return handle

    def read_handle(self) -> ServerHandle | None:
        try:
            data = json.loads(self.handle_path.read_text(encoding="utf-8"))
            return ServerHandle(url=str(data["url"]), pid=int(data["pid"]), admin_key=str(data["admin_key"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True
