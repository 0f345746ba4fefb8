"""Chunking: verbatim offsets, structure kept intact, boilerplate excluded, sizes, determinism, speed."""

from __future__ import annotations

import statistics

import pytest
from support import CORPUS, CORPUS_BOILERPLATE

from ingest.chunker import Chunk, chunk_document, split_units
from ingest.structure import Block, parse_blocks

HEADER = "Aspect Director of Product Management Head of Product"

CHUNK_BOILERPLATE = [*CORPUS_BOILERPLATE, "Join over thousands of organizations that use Creately"]


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, list[Chunk]]]:
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.name] = (text, chunk_document(text))
    assert len(out) >= 5
    return out


def chunk_with(chunks: list[Chunk], needle: str) -> Chunk:
    return next(c for c in chunks if needle in c.text)


# ------------------------------------------------------------------------------------------ offsets


def test_chunks_and_units_round_trip(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    for text, chunks in corpus.values():
        assert chunks
        previous_end = 0
        for chunk in chunks:
            assert text[chunk.start : chunk.end] == chunk.text
            assert chunk.start >= previous_end  # ordered, non-overlapping without overlap_units
            previous_end = chunk.end
            assert chunk.units[0].start == chunk.start and chunk.units[-1].end == chunk.end
            for a, b in zip(chunk.units, chunk.units[1:], strict=False):
                assert a.end <= b.start
            for unit in chunk.units:
                assert text[unit.start : unit.end] == unit.text
                assert unit.text == unit.text.strip() and unit.text
                assert unit.kind in {"sentence", "bullet", "table_row", "table_header", "heading", "caption"}


def test_bullets_and_table_rows_are_never_cut(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    checked = 0
    for text, chunks in corpus.values():
        for block in parse_blocks(text):
            if block.kind not in ("bullet", "table_row", "table_header"):
                continue
            touching = [c for c in chunks if c.start < block.end and block.start < c.end]
            assert len(touching) <= 1, block.text
            if touching:
                assert touching[0].start <= block.start and block.end <= touching[0].end, block.text
                checked += 1
    assert checked > 100


def test_every_kept_unit_is_in_exactly_one_chunk_whole(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    """Chunks hold whole sentences/bullets/rows only, and nothing kept is lost between chunks."""
    for text, chunks in corpus.values():
        kept = [u for block in parse_blocks(text) for u in split_units(text, block)]
        in_chunks = [u for chunk in chunks for u in chunk.units]
        assert set(in_chunks) <= set(kept)
        body = [u for u in kept if u.kind != "heading"]
        assert [u for u in in_chunks if u.kind != "heading"] == body  # each once, in order
        assert all(chunk.units[-1].kind != "heading" for chunk in chunks)


def test_corpus_boilerplate_is_in_no_chunk(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    for _, chunks in corpus.values():
        for chunk in chunks:
            for junk in CHUNK_BOILERPLATE:
                assert junk not in chunk.text, junk
            assert "Contents" not in chunk.text.split("\n")
    # ...while the real sentence sharing a line with the junk survives.
    _, chunks = corpus["director-of-product-and-head-of-product-roles.txt"]
    assert any("In summary, the distinction between the two roles" in c.text for c in chunks)


def test_no_chunk_is_only_a_heading(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    for _, chunks in corpus.values():
        for chunk in chunks:
            assert any(u.kind != "heading" for u in chunk.units)


def test_heading_opens_the_chunk_that_follows_it(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    _, chunks = corpus["head-of-product-glossary.txt"]
    second = chunk_with(chunks, "Usually between 30-80 employees")
    assert second.text.startswith("When should a startup hire a Head of Product?")
    assert second.section == "When should a startup hire a Head of Product?"
    assert second.units[0].kind == "heading"
    # Consecutive headings stack at the start of the next chunk; the nearest one names the section.
    first = chunk_with(chunks, "At most companies, the titles are interchangeable")
    assert first.text.startswith("Frequently Asked Questions\n\n    What is the difference between Head of")
    assert first.section == "What is the difference between Head of Product and VP of Product?"
    assert [u.kind for u in first.units[:2]] == ["heading", "heading"]


# ------------------------------------------------------------------------------------------ structure


def test_table_stays_whole_with_header_and_caption(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    text, _ = corpus["director-vs-head-of-product.txt"]
    chunks = chunk_document(text, table_rows_as_chunks=False)
    table = chunk_with(chunks, "Org Level Mid-to-senior domain leader")
    assert table.section == "Role Overview: Director of Product Management vs Head of Product"
    assert HEADER in table.text
    for row in ("Scope One product pillar", "Team PMs and GPMs", "Focus Execution and team management"):
        assert row in table.text
    assert "This table compares the scope of responsibilities" in table.text
    assert table.context == ""  # the header is inside the chunk


def test_split_table_rows_carry_the_header(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    text, _ = corpus["director-vs-head-of-product.txt"]
    chunks = chunk_document(text, target_chars=150, max_chars=260, table_rows_as_chunks=False)
    pieces = [c for c in chunks if any(u.kind == "table_row" for u in c.units)]
    with_header = [c for c in pieces if HEADER in c.text]
    without_header = [c for c in pieces if HEADER not in c.text]
    assert with_header and without_header
    assert all(c.context == "" for c in with_header)
    assert all(c.context == HEADER for c in without_header)
    assert all(len(c.text) <= 260 for c in chunks if len(c.units) > 1)


def test_table_rows_as_chunks_carry_header_as_context(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    text, chunks = corpus["director-vs-head-of-product.txt"]
    row = chunk_with(chunks, "Focus Horizon 6–12 months 12–36 months")
    assert row.text == "Focus Horizon 6–12 months 12–36 months"
    assert row.context == HEADER
    assert row.section == "Strategic Impact: Director of Product Management vs Head of Product"
    assert [u.kind for u in row.units] == ["table_row"]
    caption = chunk_with(chunks, "This table compares the scope of strategic impact")
    assert not any(u.kind == "table_row" for u in caption.units)
    assert text[row.start : row.end] == row.text


def test_list_intro_travels_with_its_list(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    text, chunks = corpus["director-vs-head-of-product.txt"]
    first = chunk_with(chunks, "• Manage a team of Product Managers")
    assert "Core Responsibilities:" in first.text
    partners = chunk_with(chunks, "• CEO: to align product vision")
    assert "They partner with:" in partners.text
    # Split small, later pieces of the list get the intro as context.
    small = chunk_document(text, target_chars=120, max_chars=200)
    later = chunk_with(small, "• Resolve resource conflicts and unblock execution")
    assert "Core Responsibilities:" not in later.text
    assert later.context == "Core Responsibilities:"
    assert later.section == "What Is a Director of Product Management?"


def test_sections_of_chunks(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    _, chunks = corpus["director-vs-head-of-product.txt"]
    sections = {c.section for c in chunks}
    assert "Role Overview: Director of Product Management vs Head of Product" in sections
    assert "Decision-Making Authority" in sections
    assert "Core Responsibilities:" not in sections
    assert chunk_with(chunks, "Approves hiring plans for their team").section == "Decision-Making Authority"
    _, guide = corpus["director-of-product-management-career-guide.txt"]
    senior = chunk_with(guide, "Mentoring and developing future leaders")
    assert senior.section == "Daily Responsibilities for Senior Directors of Product Management"


def test_chunk_sizes(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    sizes = []
    for _, chunks in corpus.values():
        for chunk in chunks:
            assert len(chunk.text) <= 700 or len(chunk.units) == 1
            if not any(u.kind == "table_row" for u in chunk.units):  # a table row is as long as it is
                sizes.append(len(chunk.text))
    assert 250 <= statistics.median(sizes) <= 450
    assert min(sizes) >= 40


# ------------------------------------------------------------------------------------------ small inputs


def test_boilerplate_sentence_splits_the_chunk() -> None:
    text = (
        "Indexes speed up reads. Subscribe to our newsletter for weekly database tips. "
        "Writes get slower as a result.\n"
    )
    chunks = chunk_document(text)
    assert [c.text for c in chunks] == ["Indexes speed up reads.", "Writes get slower as a result."]


def test_author_bio_is_kept_as_content() -> None:
    text = (
        "Caching is a trade-off. Dana Ruiz is a Senior Editor at Example Weekly, the data newsletter. "
        "She writes about databases. Subscribe to our newsletter for weekly tips.\n\nNext paragraph stays.\n"
    )
    joined = " ".join(c.text for c in chunk_document(text))
    assert "Dana Ruiz is a Senior Editor at Example Weekly" in joined  # who wrote it is a fair question
    assert "Subscribe to our newsletter" not in joined  # the call to action still goes


def assert_pieces_hold(text: str, chunks: list[Chunk], max_chars: int) -> None:
    """Every chunk within max_chars, each unit verbatim at its offsets, and together they cover all the text."""
    assert chunks
    assert all(len(c.text) <= max_chars for c in chunks)
    units = [u for c in chunks for u in c.units]
    for unit in units:
        assert text[unit.start : unit.end] == unit.text and unit.text == unit.text.strip()
    for a, b in zip(units, units[1:], strict=False):
        assert a.end <= b.start and not text[a.end : b.start].strip()  # only whitespace between pieces
    assert not text[: units[0].start].strip() and not text[units[-1].end :].strip()


def test_oversized_sentence_is_split_at_spaces_into_even_pieces() -> None:
    long_sentence = "word " * 200 + "end."
    text = f"Short intro sentence here.\n\n{long_sentence}\n\nShort outro sentence here.\n"
    chunks = chunk_document(text, target_chars=100, max_chars=200)
    assert all(len(c.text) <= 200 for c in chunks)
    pieces = [c for c in chunks if c.text.startswith("word") or c.text == "end."]
    assert " ".join(c.text for c in pieces) == long_sentence.strip()
    sizes = [len(c.text) for c in pieces]
    assert min(sizes) >= 0.5 * max(sizes)  # even pieces, no scrap holding just "end."


def test_a_100k_sentence_without_punctuation_fits_max_chars_and_cuts_between_words() -> None:
    vocabulary = ["harbour", "ferry", "north", "a", "lantern", "copper", "stone", "orchard", "on", "valley"]
    words = [vocabulary[(i * 7 + i // 3) % len(vocabulary)] for i in range(20_000)]
    sentence = " ".join(words)[:100_000].rsplit(" ", 1)[0]
    text = f"{sentence}\n"
    chunks = chunk_document(text, target_chars=400, max_chars=700)
    assert_pieces_hold(text, chunks, 700)
    units = [u for c in chunks for u in c.units]
    assert len(units) >= len(sentence) // 700
    for unit in units:
        # Every piece starts and ends on a whole word: the text on either side of a cut is a space.
        assert unit.start == 0 or text[unit.start - 1].isspace()
        assert text[unit.end].isspace()
        assert len(unit.text) > 350  # cut near even fractions, not into crumbs


def test_a_20k_token_without_spaces_is_cut_hard_and_its_neighbours_at_spaces() -> None:
    token = "".join(chr(ord("a") + i % 26) for i in range(20_000))
    text = f"Before the token comes a sentence {token} and after it a few words follow\n"
    chunks = chunk_document(text, target_chars=400, max_chars=700)
    assert_pieces_hold(text, chunks, 700)
    joined = "".join(u.text for c in chunks for u in c.units)
    assert token in joined  # hard cuts lose nothing: the pieces of the token abut
    first, last = chunks[0].units[0], chunks[-1].units[-1]
    assert first.text.startswith("Before the token") and last.text.endswith("few words follow")
    assert text[first.end].isspace()  # the sentence's own words are cut at the space before the token


def test_long_bullets_rows_and_headings_are_split_too() -> None:
    long = "alpha beta gamma delta " * 100
    text = f"# {long}\n\nIntro line:\n\n• {long}\n• short bullet\n\n| {long} | b |\n|---|---|\n| {long} | c |\n"
    for table_rows in (True, False):
        chunks = chunk_document(text, target_chars=150, max_chars=300, table_rows_as_chunks=table_rows)
        assert all(len(c.text) <= 300 for c in chunks)
        for unit in (u for c in chunks for u in c.units):
            assert text[unit.start : unit.end] == unit.text and len(unit.text) <= 300


def test_split_units_caps_units_only_when_asked() -> None:
    sentence = "word " * 300
    text = sentence.strip() + "\n"
    (block,) = parse_blocks(text)
    assert [u.text for u in split_units(text, block)] == [text.strip()]
    pieces = split_units(text, block, max_chars=500)
    assert len(pieces) == 3 and all(len(u.text) <= 500 and u.kind == "sentence" for u in pieces)


def test_paragraph_split_into_even_pieces() -> None:
    sentences = [f"Sentence number {i} talks about topic {i} in some detail here." for i in range(12)]
    text = " ".join(sentences) + "\n"
    chunks = chunk_document(text, target_chars=200, max_chars=350)
    sizes = [len(c.text) for c in chunks]
    assert len(chunks) >= 3
    assert max(sizes) <= 350
    assert min(sizes) >= 0.5 * max(sizes)  # no scrap piece at the end
    assert " ".join(c.text for c in chunks) == text.strip()


def test_overlap_units() -> None:
    text = " ".join(f"Fact {i} is stated here in a sentence of moderate length." for i in range(20)) + "\n"
    plain = chunk_document(text, target_chars=150, max_chars=250, overlap_units=0)
    overlapped = chunk_document(text, target_chars=150, max_chars=250, overlap_units=1)
    assert len(plain) > 2
    for a, b in zip(overlapped, overlapped[1:], strict=False):
        assert a.units[-1] == b.units[0]
        assert len(b.text) <= 250


def test_split_units_uses_sentences_for_paragraphs_only() -> None:
    text = "Dr. Smith arrived at 5 p.m. on Monday. He left early.\n\n• One item. With two sentences.\n"
    blocks = parse_blocks(text)
    para, bullet = blocks
    units = split_units(text, para)
    assert [u.text for u in units] == ["Dr. Smith arrived at 5 p.m. on Monday.", "He left early."]
    assert all(u.kind == "sentence" for u in units)
    assert [(u.text, u.kind) for u in split_units(text, bullet)] == [
        ("• One item. With two sentences.", "bullet")
    ]


def test_split_units_matches_pysbd_segmentation() -> None:
    pysbd = pytest.importorskip("pysbd")
    paragraph = (
        "The U.S. team shipped v2.1 on Jan. 5th, e.g. the mobile app. It worked! "
        "Did it scale?  Yes, mostly (see appendix A.) and then some."
    )
    block = Block("paragraph", 0, len(paragraph), paragraph, "", "")
    expected = [
        s.sent.strip() for s in pysbd.Segmenter(language="en", clean=False, char_span=True).segment(paragraph)
    ]
    assert [u.text for u in split_units(paragraph, block)] == expected


def test_empty_and_boilerplate_only_documents() -> None:
    assert chunk_document("") == []
    assert chunk_document("\n\n  \n") == []
    assert chunk_document("Back to top\n\nSubscribe to our newsletter.\n") == []


def test_deterministic(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    for text, chunks in corpus.values():
        assert chunk_document(text) == chunks


@pytest.mark.timeout(60)
def test_linear_time_on_large_input(corpus: dict[str, tuple[str, list[Chunk]]]) -> None:
    """~1 MB in one document: catches accidental O(n^2) behaviour.

    A timeout, not a timing assertion: linear chunking of the 20 copies takes about 5 s on a loaded 2-core
    machine (20 times one copy); work growing with the square of the input would take 400 times one copy,
    past the timeout, which fails the test with the stack of where it was stuck."""
    one = "\n\n".join(text for text, _ in corpus.values())
    big = "\n\n".join([one] * 20)
    chunks = chunk_document(big)
    assert len(chunks) > 20 * 100
