"""The claim benchmark's committed data (eval/claims): present, big enough, verbatim, balanced, split by unit.
Fast: reads the JSONL and the documents only (no index, no model)."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from eval.claims import CORPORA, corpus_dir, split_path
from eval.claims.generate import CORRECT_KINDS, FIELDS, KINDS, WRONG_KINDS
from ingest.loaders import load_document
from rag.text import normalize


def items_of(corpus: str) -> dict[str, list[dict]]:
    return {
        split: [json.loads(line) for line in split_path(corpus, split).read_text(encoding="utf-8").splitlines() if line]
        for split in ("dev", "test")
    }


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(request: pytest.FixtureRequest) -> tuple[str, dict[str, list[dict]]]:
    return request.param, items_of(request.param)


def test_files_exist_with_at_least_200_claims(corpus):
    name, splits = corpus
    assert all(split_path(name, s).exists() for s in ("dev", "test"))
    assert sum(len(rows) for rows in splits.values()) >= 200
    for rows in splits.values():
        assert len(rows) >= 60  # neither side of the split is starved


def test_items_are_well_formed(corpus):
    name, splits = corpus
    rows = splits["dev"] + splits["test"]
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(FIELDS) <= set(r), r["id"]
        assert r["corpus"] == name
        assert r["kind"] in KINDS
        assert r["label"] == ("correct" if r["kind"] in CORRECT_KINDS else "wrong")
        assert r["origin"] in ("generated", "hand")


def test_every_quote_is_verbatim_at_its_offsets(corpus):
    name, splits = corpus
    folder = corpus_dir(name)
    texts: dict[str, str] = {}
    for r in splits["dev"] + splits["test"]:
        if r["source"] not in texts:
            texts[r["source"]] = load_document(folder / r["source"], folder).text
        assert texts[r["source"]][r["start"] : r["end"]] == r["quote"], r["id"]


def test_every_kind_is_present_with_both_origins_where_written(corpus):
    name, splits = corpus
    rows = splits["dev"] + splits["test"]
    by_kind = defaultdict(set)
    for r in rows:
        by_kind[r["kind"]].add(r["label"])
    assert set(by_kind) == set(KINDS)
    assert {label for labels in by_kind.values() for label in labels} == {"correct", "wrong"}
    assert any(r["origin"] == "hand" for r in rows) and any(r["origin"] == "generated" for r in rows)
    for side in ("dev", "test"):
        assert {r["kind"] for r in splits[side]} >= set(CORRECT_KINDS) | (set(WRONG_KINDS) - {"unit"}), side


def test_wrong_claims_differ_from_their_quote(corpus):
    _, splits = corpus
    for r in splits["dev"] + splits["test"]:
        if r["label"] == "wrong":
            assert normalize(r["claim"]) != normalize(r["quote"]), r["id"]
            assert normalize(r["claim"]) not in normalize(r["quote"]), r["id"]


def test_claims_about_one_unit_stay_on_one_side(corpus):
    _, splits = corpus
    side_of: dict[tuple[str, int], str] = {}
    for side, rows in splits.items():
        for r in rows:
            key = (r["source"], r["start"])
            assert side_of.setdefault(key, side) == side, f"{key} is in both splits"
    # and no unit is both the start of one quote on one side and inside a merge on the other
    spans = defaultdict(list)
    for side, rows in splits.items():
        for r in rows:
            spans[r["source"]].append((r["start"], r["end"], side))
    for items in spans.values():
        for a_start, a_end, a_side in items:
            for b_start, b_end, b_side in items:
                if a_start < b_end and b_start < a_end:
                    assert a_side == b_side


def test_extra_dev_claims_are_read_per_corpus_and_never_from_test_units(corpus):
    from eval.claims.bench import load_claims

    name, splits = corpus
    extra = load_claims(name, "extra-dev")
    assert len(extra) >= 60 and {item["corpus"] for item in extra} == {name}
    # every later round's file
    rounds = {"hand-dev", "hand-dev2", "hand-dev3", "hand-dev4", "probe-dev5", "hand-dev6", "hand-dev7", "hand-dev8"}
    later = {"hand-dev9", "hand-dev10", "hand-dev11", "hand-dev13", "hand-dev14", "hand-dev15", "hand-dev17"}
    later |= {"hand-dev18", "hand-dev19", "hand-dev22", "hand-dev23", "hand-dev25", "hand-dev27", "hand-dev29"}
    later |= {"hand-dev31", "hand-dev33", "hand-dev35", "hand-dev37", "hand-dev39", "hand-dev41", "hand-dev43"}
    later |= {"hand-dev45"}
    assert {item["origin"] for item in extra} >= rounds | later
    held_back = load_claims(name, "held-back")
    held_back_rounds = {"hand-dev12", "hand-dev16", "hand-dev20", "hand-dev21", "hand-dev24", "hand-dev26"}
    held_back_rounds |= {"hand-dev28", "hand-dev30", "hand-dev32", "hand-dev34", "hand-dev36", "hand-dev38"}
    held_back_rounds |= {"hand-dev40", "hand-dev42", "hand-dev44", "hand-dev46"}
    assert held_back and {item["origin"] for item in held_back} == held_back_rounds
    test_units = {(r["source"], r["start"], r["end"]) for r in splits["test"]}
    assert not [i["id"] for i in extra + held_back if (i["source"], i["start"], i["end"]) in test_units]
