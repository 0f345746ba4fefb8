"""Shared test helpers (not fixtures): corpus paths, isolated settings, seeded conversations, a fake clock.

A plain module, imported as `from support import ...` like tests/servers.py; tests/conftest.py holds only
fixtures, so no test imports conftest as a module.
"""

from __future__ import annotations

from pathlib import Path

from rag.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

# Scraped junk known to be in the shipped corpus. The rules that catch it are generic (see ingest/structure.py);
# these strings only check the outcome.
CORPUS_BOILERPLATE = [
    "Back to Glossary",
    "Career & GrowthH",
    "Download our Product Operations playbook:",
    "10 Best Practices to Optimize Your Product Org",
    "Free Product Ops ebook",
    "Recommended resources:",
    "Explore More PM Terms",
    "Browse our complete glossary of 100+ product management terms.",
    "You’ll get instant access to all skills and keywords, plus be",
]


def make_settings(tmp: Path, corpus: Path | None = None, **overrides: object) -> Settings:
    """Settings isolated from the developer's .env and DOCCHAT_* variables."""
    base = {"corpus_dir": corpus or CORPUS, "data_dir": tmp / ".docchat", "collection": "test"}
    base.update(overrides)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type]


def seeded_conversation(store: object, turns: list[dict], owner_id: str | None = None) -> tuple[str, str]:
    """A conversation holding `turns` ({"q", "a"} dicts, as ui.chat.turn_of makes them) in a
    ui.conversations.ConversationStore, stored as the chat page would: (browser id, conversation id)."""
    from ui.conversations import new_owner_id, owner_key, title_from

    owner_id = owner_id or new_owner_id()
    owner = owner_key(owner_id)
    conversation = store.create(owner, title_from(turns[0]["q"] if turns else "test"))  # type: ignore[attr-defined]
    for turn in turns:
        turn_id, run = store.start_turn(owner, conversation, turn["q"])  # type: ignore[attr-defined]
        if turn["a"] is not None:
            store.finish_turn(owner, conversation, turn_id, run, turn["a"])  # type: ignore[attr-defined]
    return owner_id, conversation


class FakeClock:
    """A monotonic clock that moves only when a test advances it: windows and cooldowns without sleeping."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
