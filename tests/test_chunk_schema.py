"""The chunk schema: the flat form every index holds, read back exactly, and what ingest writes through it."""

from __future__ import annotations

from ingest.chunker import chunk_document
from ingest.pipeline import encoded_units, plan_file
from rag.chunk_schema import UNIT_KINDS, ChunkMeta, UnitSpan, decode, encode
from rag.sentences import answer_sentences, claim_sentences, last_intro_sentence

# A chunk's metadata as indexes built before the schema module hold it.
STORED = {
    "source": "guide/roles.md",
    "title": "Roles",
    "section": "Head of Product",
    "context": "They partner with:",
    "start": 120,
    "end": 260,
    "units": "120-170-s,171-200-b,201-230-r,231-245-t,246-260-c",
    "file_sha256": "ab" * 32,
}


def test_stored_metadata_reads_back_and_writes_out_unchanged() -> None:
    meta = decode(STORED)
    assert (meta.source, meta.title, meta.section, meta.context) == (
        "guide/roles.md",
        "Roles",
        "Head of Product",
        "They partner with:",
    )
    assert meta.span == (120, 260)
    assert list(meta.units) == [
        UnitSpan(120, 170, "sentence"),
        UnitSpan(171, 200, "bullet"),
        UnitSpan(201, 230, "table_row"),
        UnitSpan(231, 245, "table_header"),
        UnitSpan(246, 260, "caption"),
    ]
    assert encode(meta) == STORED
    assert list(encode(meta)) == list(STORED)  # same keys in the same order
    rebuilt = meta._replace(units=tuple(meta.units))  # units given as spans encode alike
    assert encode(rebuilt) == STORED
    assert decode(encode(rebuilt)) == rebuilt


def test_missing_keys_and_odd_units_read_as_empty_or_sentences() -> None:
    assert decode({}) == ChunkMeta()
    assert decode(None) == ChunkMeta()
    meta = decode({"source": "a.txt", "units": "0-5-s,broken,x-3-s,6-9-?"})
    assert list(meta.units) == [UnitSpan(0, 5, "sentence"), UnitSpan(6, 9, "sentence")]


def test_ingest_writes_every_unit_but_headings_through_the_schema() -> None:
    text = "# Roles\n\nThe head of product sets direction. They report to the CEO.\n\n- Plan\n- Ship\n"
    chunks = chunk_document(text)
    plan = plan_file("roles.md", "00" * 32, "added", "Roles", chunks)
    assert plan.metadatas
    for chunk, stored in zip(chunks, plan.metadatas, strict=True):
        meta = decode(stored)
        assert meta == ChunkMeta(
            "roles.md", "Roles", chunk.section, chunk.context, chunk.start, chunk.end, meta.units, "00" * 32
        )
        assert [(u.start, u.end, u.kind) for u in meta.units] == [
            (u.start, u.end, u.kind) for u in encoded_units(chunk)
        ]
        assert all(u.kind != "heading" and u.kind in UNIT_KINDS for u in meta.units)
        assert text[meta.start : meta.end] == chunk.text


def test_answer_claim_and_intro_splits_keep_their_own_rules() -> None:
    # An answer sentence ends before a capital, digit, quote or bracket, never inside "e.g. this".
    assert answer_sentences("First [1]. 2024 was good. e.g. this stays. (Aside.)  ") == [
        "First [1].",
        "2024 was good. e.g. this stays.",
        "(Aside.)",
    ]
    # A claim is cut after every stop, pieces as they come.
    assert claim_sentences("One. two! three") == ["One.", "two!", "three"]
    # A list intro's last sentence: not cut before a digit.
    assert last_intro_sentence("Intro here. Then 3 of them. They partner with:") == "They partner with:"
    assert last_intro_sentence("Founded in 2024. 3 partners joined:") == "Founded in 2024. 3 partners joined:"
