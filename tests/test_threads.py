"""Text tools shared by threads: a server answers questions while its background re-index tokenizes and
parses the corpus, so what both use must give the same result on any thread at any time."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from rag import text

# Suffixes the stemmer strips in different steps, so concurrent stems walk different paths through it.
WORDS = [
    stem + suffix
    for stem in ("nation", "relate", "promote", "general", "condition", "hope", "operate", "measure")
    for suffix in ("ization", "ional", "ness", "ment", "ings", "ably", "fulness", "ically", "s", "ed")
]


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    # Switching threads every microsecond instead of every 5 ms makes an interleaving that is rare in a
    # server near-certain here, so a shared-state race shows up within a second.
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_stems_are_the_same_on_every_thread_at_once(frequent_thread_switches: None) -> None:
    expected = {word: text.stem(word) for word in WORDS}
    text.stem.cache_clear()  # make every thread run the stemmer rather than read the cache
    wrong: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def stem_all() -> None:
        try:
            for _ in range(200):
                for word in WORDS:
                    got = text._stemmer().stemWord(word)
                    if got != expected[word]:
                        wrong.append((word, got))
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=stem_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and not wrong[:5]
    text.stem.cache_clear()


def test_each_thread_has_its_own_stemmer() -> None:
    mine = text._stemmer()
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(text._stemmer()))
    thread.start()
    thread.join(timeout=10)
    assert theirs and theirs[0] is not mine
    assert text._stemmer() is mine  # and keeps it: building one is not free
