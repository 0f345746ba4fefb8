"""How an extractive answer reads: table rows as sentences, no heading glued on, the length budget held for
any input, and the unit vectors ingest stores for ranking by meaning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from support import make_settings

from ingest.service import ingest_into
from rag.answer_types import answer_type
from rag.answering import compose_text
from rag.app import build_app
from rag.embeddings import Embedder
from rag.extractive import Composition, Evidence, quote_window, shorten, table_row_sentence
from rag.retrieval import ScoredChunk
from rag.store import UNIT_VECTORS_KEY, StoredChunk, unpack_vectors
from rag.text import tokens


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
    ingest_into(app, progress=False)
    answer = app.answer("Where does the morning ferry stop?")
    assert not answer.refused
    assert len(answer.answer) <= settings.answer_max_chars
    assert "…" in answer.answer
    original = (corpus / "ferry.txt").read_text(encoding="utf-8")
    assert all(original[c.start : c.end] == c.quote for c in answer.citations)  # the quote stays whole
    assert max(len(c.quote) for c in answer.citations) > settings.answer_max_chars


FILLER = ["river", "boat", "stone", "valley", "copper", "window", "garden", "bridge", "orchard", "mill"]
LIGHTHOUSE = "the lighthouse keeper feeds seven grey cats every evening"


def unpunctuated(size: int, middle: str = "") -> str:
    """`size` characters of words with no punctuation or newline at all, `middle` placed halfway."""
    half = " ".join(FILLER[(i * 3 + i // 7) % len(FILLER)] for i in range(size // 8))[: size // 2]
    half = half.rsplit(" ", 1)[0]
    return f"{half} {middle} {half}" if middle else f"{half} {half}"


def test_quote_window_opens_on_the_question_words_and_cuts_at_spaces() -> None:
    text = unpunctuated(200_000, LIGHTHOUSE)
    weights = {t: 1.0 for t in tokens("What does the lighthouse keeper feed?")}
    start, end = quote_window(text, weights, 1000, 250)
    assert end - start <= 1000
    assert text[start:end].startswith("lighthouse keeper feeds")
    assert text[end].isspace() and text[start - 1].isspace()  # whole words only
    # No question word anywhere: the window is the text's opening, still within the length.
    assert quote_window(text, {"absent": 1.0}, 1000, 250)[0] == 0
    # One run with no space at all can only be cut hard.
    assert quote_window("x" * 1_270_000, {"x": 1.0}, 1000, 250) == (0, 1000)


def test_composed_text_holds_the_budget_for_a_unit_of_any_length() -> None:
    text = unpunctuated(1_270_000)
    chunk = ScoredChunk(StoredChunk("c", text, {"source": "blob.txt"}), 0.5, 1.0, 0.1, np.zeros(0, np.float32))
    unit = Evidence(chunk, 0, len(text), text, "sentence", set())
    for budget in (100, 500, 5000):
        composed = compose_text(Composition(refused=False, evidence=[unit]), [unit], budget)
        assert len(composed) <= budget and composed.endswith("… [1]")


def assert_cited_verbatim_and_short(answer, corpus: Path, limit: int) -> None:
    assert answer.citations
    for citation in answer.citations:
        original = (corpus / citation.source).read_text(encoding="utf-8")
        assert original[citation.start : citation.end] == citation.quote
        assert 0 < len(citation.quote) <= limit


def test_a_file_with_no_punctuation_gives_short_chunks_answer_and_quotes(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(
        " ".join(f"the morning ferry stops at harbour number {i} on its way north" for i in range(1000)),
        encoding="utf-8",
    )
    settings = make_settings(tmp_path, corpus)
    app = build_app(settings, embedder=embedder)
    ingest_into(app, progress=False)
    assert all(len(c.text) <= settings.chunk_max_chars for c in app.store.iter_chunks())
    answer = app.answer("Where does the morning ferry stop?")
    assert not answer.refused
    assert len(answer.answer) <= settings.answer_max_chars
    assert_cited_verbatim_and_short(answer, corpus, settings.chunk_max_chars)


def test_a_unit_too_long_to_quote_is_cited_by_a_window_on_the_question_words(
    tmp_path: Path, embedder: Embedder
) -> None:
    # A large chunk_max_chars keeps a 15k-character unit whole, as an index built before units were split
    # would: the answer and its citation show the part of it that holds the question's words.
    corpus = tmp_path / "docs"
    corpus.mkdir()
    days = [f"on day {i} the lighthouse keeper climbs the stairs and cleans the lamp" for i in range(200)]
    log = " ".join([*days[:100], LIGHTHOUSE, *days[100:]])
    assert len(log) > 2 * 7000
    (corpus / "coast.txt").write_text(log, encoding="utf-8")
    settings = make_settings(tmp_path, corpus, chunk_max_chars=16_000)
    app = build_app(settings, embedder=embedder)
    ingest_into(app, progress=False)
    answer = app.answer("What does the lighthouse keeper feed?")
    assert not answer.refused
    assert len(answer.answer) <= settings.answer_max_chars
    # The window opens within reach (half a budget) of the one place that answers, so the answer shows it.
    assert "feeds seven grey cats" in answer.answer
    assert "feeds seven grey cats" in answer.citations[0].quote
    assert_cited_verbatim_and_short(answer, corpus, 2 * settings.answer_max_chars)


def test_no_heading_is_glued_to_an_answer_sentence(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "role.md").write_text(
        "# Office Manager\n\n## Definition\n\nThey report directly to the managing director. "
        "They run the front desk and the meeting rooms.\n",
        encoding="utf-8",
    )
    app = build_app(make_settings(tmp_path, corpus), embedder=embedder)
    ingest_into(app, progress=False)
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


def test_settings_refuse_an_unknown_name_given_in_code_but_ignore_the_other_layers_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag.settings import Settings
    from ui.settings import WebSettings

    with pytest.raises(TypeError, match="api_token.*WebSettings"):
        Settings(_env_file=None, api_token="secret")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="top_k.*rag.settings.Settings"):
        WebSettings(_env_file=None, top_k=3)  # type: ignore[call-arg]
    # One environment feeds both classes: each reads its own names and passes over the other's.
    monkeypatch.setenv("DOCCHAT_PORT", "8123")
    monkeypatch.setenv("DOCCHAT_TOP_K", "7")
    assert Settings(_env_file=None).top_k == 7
    assert WebSettings(_env_file=None).port == 8123
