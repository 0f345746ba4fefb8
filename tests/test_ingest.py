"""Incremental ingest against a real Chroma in tmp_path with the real MiniLM model."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import CORPUS, make_settings

from ingest.loaders import load_document
from ingest.service import ingest_into
from rag.app import DocChat, build_app
from rag.embeddings import Embedder


def stored(app) -> dict[str, dict]:
    return {c.chunk_id: {"text": c.text, **c.metadata} for c in app.store.iter_chunks()}


def test_ingest_corpus_gives_documents_sections_and_offsets(settings, embedder: Embedder) -> None:
    app = build_app(settings, embedder=embedder)
    report = ingest_into(app, progress=False)

    assert sorted(report.added) == sorted(p.name for p in CORPUS.iterdir())
    assert report.skipped == []
    chunks = stored(app)
    assert report.chunks_embedded == len(chunks) == report.chunks_total > 50
    sections = {c["section"] for c in chunks.values()}
    assert "Role Overview: Director of Product Management vs Head of Product" in sections
    assert "Common Pitfalls" in sections
    titles = {c["source"]: c["title"] for c in chunks.values()}
    assert (
        titles["what-does-a-director-of-product-management-do.txt"] == "What Does a Director of Product Management Do?"
    )

    for chunk in chunks.values():
        original = load_document(settings.corpus_dir / chunk["source"], settings.corpus_dir).text
        assert original[chunk["start"] : chunk["end"]] == chunk["text"]
        for span in chunk["units"].split(","):
            start, end, kind = span.split("-")
            assert chunk["start"] <= int(start) < int(end) <= chunk["end"]
            assert kind in {"s", "b", "r", "t", "c"}


def test_boilerplate_is_not_indexed(corpus_app: DocChat) -> None:
    # The session's ingest of the shipped corpus: reading it is enough, a build of its own took 10 s.
    everything = "\n".join(c["text"] for c in stored(corpus_app).values())
    for junk in (
        "Back to Glossary",
        "Download our Product Operations playbook",
        "Browse our complete glossary",
        "Join over thousands of organizations",
        "You’ll get instant access to all skills and keywords",
    ):
        assert junk not in everything


def test_rerun_embeds_nothing_edit_reembeds_one_file_delete_purges(tmp_path: Path, embedder: Embedder) -> None:
    # Two files are enough to tell the edited file's chunks from the others', at half the embedding time.
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name in ("head-of-product-glossary.txt", "director-of-product-and-head-of-product-roles.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    settings = make_settings(tmp_path, corpus)
    app = build_app(settings, embedder=embedder)
    first = ingest_into(app, progress=False)
    before = stored(app)

    again = ingest_into(app, progress=False)
    assert again.chunks_embedded == 0 and again.chunks_deleted == 0
    assert len(again.unchanged) == len(first.added)

    edited = settings.corpus_dir / "head-of-product-glossary.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\n\nA Head of Product also owns the quarterly pricing review.\n",
        encoding="utf-8",
    )
    third = ingest_into(app, progress=False)
    assert third.updated == ["head-of-product-glossary.txt"]
    assert 1 <= third.chunks_embedded <= 3
    after = stored(app)
    untouched = {i for i, c in before.items() if c["source"] != edited.name}
    assert untouched <= set(after)  # other files' chunks were not re-embedded or replaced
    assert any("quarterly pricing review" in c["text"] for c in after.values())
    original = edited.read_text(encoding="utf-8")
    for c in after.values():
        if c["source"] == edited.name:
            assert original[c["start"] : c["end"]] == c["text"]

    edited.unlink()
    fourth = ingest_into(app, progress=False)
    assert fourth.removed == [edited.name]
    assert app.store.ids_for_source(edited.name) == set()
    assert fourth.chunks_total == len(untouched)


def test_bad_files_are_skipped_with_reasons(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    shutil.copy(CORPUS / "head-of-product-glossary.txt", corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (corpus / "notes.xyz").write_text("unsupported")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 menu for the product offsite, served daily.".encode("latin-1"))
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    report = ingest_into(app, progress=False)
    reasons = {s["source"]: s["reason"] for s in report.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "notes.xyz"}
    assert all(reason.strip() for reason in reasons.values())
    assert "head-of-product-glossary.txt" in report.added
    assert "latin1.txt" in report.added  # legacy encodings are decoded, not dropped


# A SIGKILLed ingest converging to the clean build is checked in tests/test_faults.py
# (test_ingest_killed_at_random_points_converges_to_the_clean_build: four kills at random points, one of them
# in a rebuild). The two-kill version that stood here covered a subset of it at twice the cost.


SHARED_PARAGRAPH = (
    "Expense reports are approved by the finance desk within ten working days of submission, "
    "and receipts must be attached as scanned copies."
)


def duplicate_corpus(folder: Path, names: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    for name in names:  # byte for byte the same file under two names
        (folder / name).write_text(f"# Expense notes\n\n{SHARED_PARAGRAPH}\n", encoding="utf-8")


def test_exact_duplicate_chunks_answer_the_same_whatever_the_build_order(tmp_path: Path, embedder: Embedder) -> None:
    """Two files holding the same paragraph: which one an answer cites must not depend on which was indexed
    first (Chroma returns equal scores in insertion order)."""
    answers = []
    for build, order in (("one", [["alpha.md", "beta.md"]]), ("two", [["beta.md"], ["alpha.md", "beta.md"]])):
        corpus = tmp_path / build / "corpus"
        app = build_app(make_settings(tmp_path / build, corpus), embedder=embedder)
        for names in order:
            duplicate_corpus(corpus, names)
            ingest_into(app, progress=False)
        app.warm()
        answer = app.answer("How long does the finance desk take to approve expense reports?")
        assert not answer.refused
        answers.append((answer.answer, [(c.source, c.start, c.end) for c in answer.citations]))
    assert answers[0] == answers[1]
    assert answers[0][1][0][0] == "alpha.md"
