"""The grounding guard on a small corpus of its own (real MiniLM, real Chroma): which unit of a cited chunk may
vouch for a sentence when another unit of the same chunk says something close to it."""

from __future__ import annotations

import pytest
from support import make_settings

from eval.claims.units import IndexedCorpus, open_corpus
from rag.embeddings import Embedder
from rag.guard import GroundingGuard
from rag.support import SupportScorer

DOCUMENTS = {
    "council.md": (
        "# Town Council\n\n## Roles\n\nThe council has a Mayor and twelve councillors. In short, the Mayor chairs "
        "meetings. The Treasurer owns the entire yearly budget. They decide:\n\n- How many Clerks are hired\n"
        "- Which parks are renovated\n"
    ),
    "library.md": (
        "# Riverside Library\n\n## Borrowing\n\nMembers can borrow up to ten books at a time. The library also "
        "lends laptops and tablets to members aged sixteen and over. Audiobooks can be downloaded from the "
        "website. Each device can be borrowed for two weeks.\n"
    ),
    "stewards.md": (
        "# Union Representatives\n\n## Why it matters\n\nFor workers represented by a union steward, this "
        "person is your advocate in management discussions. A strong steward fights for worker involvement in "
        "strategic decisions, secures resources for training, and shields staff from executive whiplash. A weak "
        "one becomes a message relay -- passing management demands to workers without pushback or negotiation.\n"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> IndexedCorpus:
    folder = tmp_path_factory.mktemp("guard_corpus")
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return open_corpus(folder, settings=make_settings(folder.parent / "guard_data", folder), embedder=embedder)


@pytest.mark.parametrize(
    ("needle", "question", "claim", "kept"),
    [
        ("Treasurer owns", "Who owns the budget?", "The Treasurer owns the entire yearly budget.", True),
        # the words it adds are another unit's, which says it of someone else: no weaker unit vouches for it
        ("Treasurer owns", "Who owns the budget?", "Clerks own the entire yearly budget.", False),
        ("Treasurer owns", "Who owns the budget?", "The Mayor owns the entire yearly budget.", False),
        # a unit referring back with a noun ("Each device") takes its words from the sentence it refers to
        ("Each device", "How long can laptops be borrowed?", "Laptops and tablets can be borrowed for two weeks.",
         True),
        ("Each device", "How long can members borrow laptops?", "Members can borrow laptops for two weeks.", True),
        ("Each device", "How long can audiobooks be borrowed?", "Audiobooks can be borrowed for two weeks.", False),
        ("your advocate", "What does a union steward do?",
         "For workers they represent, the union steward is their advocate in management discussions.", True),
    ],
)  # fmt: skip
def test_a_claim_stands_on_the_unit_it_restates(
    corpus: IndexedCorpus, needle: str, question: str, claim: str, kept: bool
) -> None:
    chunk = next(c for c in corpus.chunks if needle in c.text)
    verdict = GroundingGuard(SupportScorer(corpus.embedder)).verify(
        f"{claim} [1]", [corpus.scored(chunk)], question=question
    )
    assert (bool(verdict.kept) and verdict.dropped == 0) is kept


def test_a_pair_does_not_vouch_for_a_statement_of_the_unit_before_it(corpus: IndexedCorpus) -> None:
    """Three of the claim's new words are the unit before the pair's: the pair vouches only if, joined to that
    unit, it says the claim, and the added clause about appraisals is said by none of them."""
    guard = GroundingGuard(SupportScorer(corpus.embedder))
    chunk = corpus.scored(next(c for c in corpus.chunks if "your advocate" in c.text))
    added = (
        "For workers they represent, the union steward is their advocate in management discussions and usually "
        "the person who runs their annual performance review."
    )
    restated = "For workers they represent, the union steward is their advocate in management discussions."
    quotes = guard.scored_quotes(added, chunk)
    pair = next(q for q, _ in quotes if q.parts and q.parts[0].startswith("A strong steward"))
    assert guard.borrows_from_neighbour(added, pair, quotes, "")
    assert not guard.borrows_from_neighbour(restated, pair, guard.scored_quotes(restated, chunk), "")
