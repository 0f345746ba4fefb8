"""How an extractive answer reads: table rows as sentences, no heading glued on, the length budget held for
any input, and the unit vectors ingest stores for ranking by meaning."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.answer_types import answer_type
from rag.app import build_app
from rag.embeddings import Embedder
from rag.extractive import shorten, table_row_sentence
from rag.store import UNIT_VECTORS_KEY, unpack_vectors
from tests.conftest import make_settings


def test_a_pipe_table_row_reads_as_a_sentence() -> None:
    sentence = table_row_sentence(
        "| Focus horizon | 6–12 months | 12–36 months |", "| Aspect | Director | Head of Product |"
    )
    assert sentence == "Focus horizon — Director: 6–12 months; Head of Product: 12–36 months"


def test_a_long_text_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "word " * 200
    short = shorten(text.strip(), 50)
    assert len(short) <= 50 and short.endswith("…") and not short.endswith(" …")
    assert shorten("short enough", 50) == "short enough"


def test_answer_types_are_general_english() -> None:
    expected = {
        "How heavy is the bridge?": "weight",
        "When was the bridge built?": "date",
        "Who designed the bridge?": "person",
        "Where does the river rise?": "place",
        "How long is the river?": "length",
        "How long does the crossing take?": "duration",
        "How many hours per week does it open?": "duration",
        "What size of company uses it?": "size",
        "How deep is the lake?": "length",
        "What is the lake called?": None,
    }
    assert {q: (t.name if (t := answer_type(q)) else None) for q in expected} == expected


def test_a_length_answers_a_length_question_but_not_a_depth_question() -> None:
    length = answer_type("How deep is Lake Orvi?")
    assert length is not None
    assert not length.states("It is 12 kilometres long.", "How deep is Lake Orvi?")
    assert length.states("It is 12 kilometres long.", "How long is Lake Orvi?")
    assert length.states("Its greatest depth is 84 metres.", "How deep is Lake Orvi?")


def test_the_answer_stays_within_its_budget_when_one_sentence_is_longer(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    clauses = ", ".join(f"the ferry stops at harbour number {i} on its way north" for i in range(40))
    (corpus / "ferry.txt").write_text(f"Ferry routes\n\nThe morning ferry {clauses}.\n", encoding="utf-8")
    settings = make_settings(tmp_path, corpus)
    app = build_app(settings, embedder=embedder)
    app.ingest(progress=False)
    answer = app.answer("Where does the morning ferry stop?")
    assert not answer.refused
    assert len(answer.answer) <= settings.answer_max_chars
    assert "…" in answer.answer
    original = (corpus / "ferry.txt").read_text(encoding="utf-8")
    assert all(original[c.start : c.end] == c.quote for c in answer.citations)  # the quote stays whole
    assert max(len(c.quote) for c in answer.citations) > settings.answer_max_chars


def test_no_heading_is_glued_to_an_answer_sentence(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "role.md").write_text(
        "# Office Manager\n\n## Definition\n\nThey report directly to the managing director. "
        "They run the front desk and the meeting rooms.\n",
        encoding="utf-8",
    )
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    app.ingest(progress=False)
    answer = app.answer("Who does the Office Manager report to?")
    assert not answer.refused
    assert answer.answer.startswith("They report directly to the managing director")
    assert answer.citations[0].section == "Definition"  # the heading is shown with the citation instead


def test_ingest_stores_a_vector_for_every_unit(corpus_app) -> None:
    for chunk_id, (vector, packed) in corpus_app.store.vectors_for(
        [c.chunk_id for c in list(corpus_app.store.iter_chunks())[:20]]
    ).items():
        chunk = next(c for c in corpus_app.store.iter_chunks() if c.chunk_id == chunk_id)
        units = [u for u in str(chunk.metadata["units"]).split(",") if u]
        unit_vectors = unpack_vectors(packed, vector.size)
        assert unit_vectors.shape == (len(units), vector.size)
        assert np.allclose(np.linalg.norm(unit_vectors, axis=1), 1.0, atol=0.01)  # normalised, like the chunks
        assert UNIT_VECTORS_KEY not in chunk.metadata  # kept out of the in-memory copies
