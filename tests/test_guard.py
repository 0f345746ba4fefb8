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
