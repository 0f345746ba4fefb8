"""Which corpus a dataset is about, and the settings that index that corpus apart from the others."""

from __future__ import annotations

import re
from pathlib import Path

from rag.settings import Settings


def settings_for_corpus(settings: Settings, corpus: Path | None) -> Settings:
    """`settings` pointed at another corpus, with a collection (and manifest) of its own, so evaluating a
    second corpus never touches the index the chat serves."""
    if corpus is None or corpus.resolve() == settings.corpus_dir.resolve():
        return settings
    slug = re.sub(r"[^a-zA-Z0-9_-]+", "-", corpus.resolve().as_posix().strip("/"))[-40:].strip("-_")
    return settings.model_copy(update={"corpus_dir": corpus, "collection": f"{settings.collection}-{slug}"})
