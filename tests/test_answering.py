"""Grounded answering over the shipped corpus: real MiniLM, real Chroma, the extractive answerer.

These questions are worded independently of the eval sets (eval/qa-{dev,test}.jsonl); the eval measures
quality at scale, these pin down behaviour that must not regress.
"""

from __future__ import annotations

import pytest
from support import CORPUS

from ingest.loaders import load_document
from rag.answer_types import answer_hints, answer_type
from rag.app import DocChat
from rag.condense import subject_of
from rag.models import Answer, Message

GLOSSARY = "head-of-product-glossary.txt"
VERSUS = "director-vs-head-of-product.txt"
WHAT_DOES = "what-does-a-director-of-product-management-do.txt"
GUIDE = "director-of-product-management-career-guide.txt"
ROLES = "director-of-product-and-head-of-product-roles.txt"

# (question, a key fact the answer must state, the document a citation must point to)
FACTS = [
    ("Who does the Head of Product report to at a startup?", "ceo", GLOSSARY),
    ("How much time should a Head of Product spend on stakeholder management?", "30-40%", GLOSSARY),
    ("How many customer conversations per month should a Head of Product have?", "4-5", GLOSSARY),
    ("What happens when a Head of Product is weak?", "roadmap relay", GLOSSARY),
    ("When is the right time for a startup to hire a Head of Product?", "30-80", GLOSSARY),
    ("What does the Head of Product decide about agile methods?", "dual-track", GLOSSARY),
    ("When does a Head of Product role become a CPO?", "500 employees", GLOSSARY),
    ("How many PMs does a Director of Product Management manage?", "3–10", VERSUS),
    ("How many product teams does a Director's influence span?", "2–5", VERSUS),
    ("What is the focus horizon of a Head of Product?", "12–36 months", VERSUS),
    ("Which funding round did the fintech Head of Product help close?", "series c", VERSUS),
    ("What does a Director of Product Management approve?", "roadmap priorities", VERSUS),
    ("What did the Director in the mentoring example implement?", "rotation program", VERSUS),
    ("How many strategic bets did the fintech squads align around?", "three strategic bets", VERSUS),
    ("What does a Head of Product decide about org design?", "team structure", VERSUS),
    ("How many years of experience are needed to become a Director of Product Management?", "five to eight", WHAT_DOES),
    ("Does a DOPM own a profit and loss statement?", "profit and loss", WHAT_DOES),
    ("What is the most common next step after Director of Product Management?", "vice president", WHAT_DOES),
    ("Who does the Chief Product Officer report to?", "ceo", WHAT_DOES),
    ("What degree can strengthen a Director of Product Management candidate?", "mba", WHAT_DOES),
    ("What does a VP of Product oversee?", "multiple product portfolios", WHAT_DOES),
    ("How does a DOPM decide which products to retire?", "maturity", WHAT_DOES),
    ("What does a Director of Product Growth focus on?", "user base", GUIDE),
    ("What do Directors of Data Product Management oversee?", "data analytics", GUIDE),
    ("Which industries need a Director of Enterprise Product Management?", "erp", GUIDE),
    ("What do entry-level Directors of Product Management focus on?", "one or several products", GUIDE),
    ("Do Directors of Product Management work remotely?", "virtual offices", GUIDE),
    ("Who do Directors of Product Management partner with for budgeting?", "finance", GUIDE),
    ("What does a roadmap maker do?", "milestones", ROLES),
    ("What does the distinction between the two roles depend on?", "size and structure", ROLES),
    ("What is the main aim of a Director of Product?", "customer satisfaction", ROLES),
    ("What does a Head of Product need to understand about business metrics?", "kpis", ROLES),
]

UNANSWERABLE = [
    "What is the capital of Australia?",
    "How do I reset my laptop password?",
    "What is the salary of a Director of Product Management in Paris?",
    "How many sick days does a Head of Product get?",
    "What did Apple's Head of Product say at WWDC?",
    "How much does a product management certification cost?",
    "What's a good recipe for banana bread?",
    # Asking for a duration or a size: a figure of that type elsewhere in the documents is not an answer.
    "How long does onboarding take for a new PM?",
    "What size is the typical marketing budget of a Head of Product?",
]

# (earlier user turns, follow-up that only makes sense with them, key fact)
FOLLOW_UPS = [
    (["Who does a Head of Product report to?"], "And a Chief Product Officer?", "ceo"),
    (["What is a Head of Product?"], "How many employees does their company usually have?", "50 and 500"),
    (["What does the Director of Product Growth do?"], "In which markets is their role vital?", "saas"),
    (["Who does a Head of Product report to?"], "How often do they talk to customers?", "weekly"),
    (["What does a Director of UX/Product Design do?"], "Which industries need them most?", "e-commerce"),
    (["What did the Head of Product do in the post-merger reorg example?"], "How long did it take?", "six-month"),
]


# How many of the cases above must come out right. Since the answerer's ranker and answerability score are
# fitted (#12), single cases flip with a refit while the totals move little: these are the totals measured at
# the last fit, and a change that loses any of them fails. The per-case tests below check what must hold for
# every case (grounding, the length budget, a refusal's form).
MIN_FACTS_ANSWERED = 30  # of 32 (missed: the fintech funding round, the budgeting partner)
MIN_REFUSED = 7  # of 9 (answered: the certification cost, the marketing budget's size)
MIN_FOLLOW_UPS_ANSWERED = 5  # of 6 (missed: the company size, answered with the hiring headcount instead)


def history_of(questions: list[str]) -> list[Message]:
    turns: list[Message] = []
    for question in questions:
        turns += [Message(role="user", content=question), Message(role="assistant", content="(answered)")]
    return turns


def assert_grounded(answer: Answer) -> None:
    """Every citation is used inline, numbered in order, and quotes its file verbatim at its offsets."""
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.answer
        original = load_document(CORPUS / citation.source, CORPUS).text
        assert original[citation.start : citation.end] == citation.quote


@pytest.mark.parametrize(("question", "fact", "source"), FACTS, ids=[q for q, _, _ in FACTS])
def test_every_answer_is_grounded_and_short(corpus_app: DocChat, question: str, fact: str, source: str) -> None:
    answer = corpus_app.answer(question)
    assert_grounded(answer)
    assert len(answer.answer) <= corpus_app.settings.answer_max_chars


def test_the_facts_are_answered_and_cite_their_source(corpus_app: DocChat) -> None:
    misses = []
    for question, fact, source in FACTS:
        answer = corpus_app.answer(question)
        if (
            answer.refused
            or fact.lower() not in answer.answer.lower()
            or source not in {c.source for c in answer.citations}
        ):
            misses.append(question)
    assert len(FACTS) - len(misses) >= MIN_FACTS_ANSWERED, misses


def test_facts_cover_every_document() -> None:
    assert {source for _, _, source in FACTS} == {p.name for p in CORPUS.iterdir()}


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_a_refusal_says_so_and_cites_nothing(corpus_app: DocChat, question: str) -> None:
    answer = corpus_app.answer(question)
    if answer.refused:
        assert "couldn't find" in answer.answer
        assert answer.citations == []
    else:
        assert_grounded(answer)


def test_unsupported_questions_are_refused(corpus_app: DocChat) -> None:
    answered = [q for q in UNANSWERABLE if not corpus_app.answer(q).refused]
    assert len(UNANSWERABLE) - len(answered) >= MIN_REFUSED, answered


@pytest.mark.parametrize(("earlier", "question", "fact"), FOLLOW_UPS, ids=[q for _, q, _ in FOLLOW_UPS])
def test_follow_ups_are_rewritten_with_the_history(corpus_app: DocChat, earlier: list[str], question: str, fact: str):
    answer = corpus_app.answer(question, history_of(earlier))
    assert answer.standalone_question != question  # rewritten with what the history is about
    assert_grounded(answer)


def test_follow_ups_are_answered(corpus_app: DocChat) -> None:
    misses = [
        q
        for earlier, q, fact in FOLLOW_UPS
        if fact.lower() not in corpus_app.answer(q, history_of(earlier)).answer.lower()
    ]
    assert len(FOLLOW_UPS) - len(misses) >= MIN_FOLLOW_UPS_ANSWERED, misses


def test_follow_up_swaps_the_subject(corpus_app: DocChat) -> None:
    answer = corpus_app.answer("And for a Director?", history_of(["How far ahead does a Head of Product plan?"]))
    assert answer.standalone_question == "How far ahead does a Director plan?"


def test_disagreeing_sources_are_both_cited(corpus_app: DocChat) -> None:
    answer = corpus_app.answer("What is the planning horizon of a Director of Product Management?")
    assert answer.answer.startswith("The sources differ")
    assert "6–12 months" in answer.answer and "three to five years" in answer.answer
    assert {VERSUS, WHAT_DOES} <= {c.source for c in answer.citations}
    assert_grounded(answer)


def test_no_disagreement_is_claimed_for_a_single_figure(corpus_app: DocChat) -> None:
    answer = corpus_app.answer("How many PMs does a Director of Product Management manage?")
    assert "sources differ" not in answer.answer


def test_list_questions_get_the_list_items(corpus_app: DocChat) -> None:
    answer = corpus_app.answer("What are the daily responsibilities of mid-level Directors of Product Management?")
    assert answer.answer.startswith("Daily Responsibilities for Mid-Level Directors of Product Management:")
    assert "Building business cases for new products or features" in answer.answer
    assert "Setting long-term product vision" not in answer.answer  # the senior list is a different list
    assert len(answer.citations) >= 3 and {c.source for c in answer.citations} == {GUIDE}
    assert_grounded(answer)


@pytest.mark.parametrize(
    ("role", "own_item", "other_roles_item"),
    [
        ("Head of Product", "Decides on org design", "Approves hiring plans for their team"),
        ("Director of Product Management", "Approves hiring plans for their team", "Decides on org design"),
    ],
)
def test_two_lists_under_one_heading_stay_apart(corpus_app: DocChat, role: str, own_item: str, other_roles_item: str):
    # "Decision-Making Authority" holds a "Director of Product Management:" list and a "Head of Product:" one.
    answer = corpus_app.answer(f"What decisions does a {role} make?")
    assert answer.answer.startswith(f"Decision-Making Authority — {role}:")
    assert own_item in answer.answer
    assert other_roles_item not in answer.answer
    assert_grounded(answer)


def test_the_executives_a_head_of_product_partners_with_are_named(corpus_app: DocChat) -> None:
    # The executives are a table row ("C-suite: CEO, CTO, CFO, CRO, CMO") and a list of bullets; since the
    # ranker (#12) the row leads, where before the sentence introducing the list did. Either names them.
    answer = corpus_app.answer("Which executives does the Head of Product partner with?")
    assert not answer.refused
    assert all(title in answer.answer for title in ("CEO", "CTO", "CFO"))
    assert VERSUS in {c.source for c in answer.citations}
    assert_grounded(answer)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How far ahead does the team plan?", "duration"),
        ("What time frame do they work to?", "duration"),
        ("How long is the horizon?", "length"),  # "how long is X" may ask for either: length accepts durations
        ("What size of company hires one?", "size"),
        ("How big is the org?", "size"),
        ("How many PMs report to a Director?", None),  # names its unit: the counted noun decides
        ("What does a Director do?", None),
    ],
)
def test_answer_type_of_a_question(question: str, expected: str | None) -> None:
    kind = answer_type(question)
    assert (kind.name if kind else None) == expected
    assert bool(answer_hints(question)) == (expected is not None)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # Neither answer repeats the question's asking words: the figure's type is what answers them.
        ("What time frame does a Head of Product plan for?", "12–36 months"),
        ("How big are the companies that typically have a Head of Product?", "between 50 and 500 employees"),
    ],
)
def test_questions_asking_for_a_duration_or_size_get_a_figure_of_that_type(
    corpus_app: DocChat, question: str, fact: str
) -> None:
    answer = corpus_app.answer(question)
    assert not answer.refused
    assert fact in answer.answer
    assert_grounded(answer)


def test_answer_contract_fields(corpus_app: DocChat) -> None:
    answer = corpus_app.answer("Who does a Head of Product report to?")
    assert answer.answerer == "extractive"
    assert answer.retrieved and all(r.chunk_id for r in answer.retrieved)
    assert answer.timings_ms.total >= answer.timings_ms.retrieve > 0
    assert all(c.score >= 0 for c in answer.citations)


def test_stream_yields_text_then_the_same_answer(corpus_app: DocChat) -> None:
    events = list(corpus_app.stream("Who does a Head of Product report to?"))
    deltas = "".join(e.text for e in events if e.kind == "delta")
    final = [e.answer for e in events if e.kind == "answer"]
    assert len(final) == 1 and events[-1].kind == "answer"
    assert deltas == final[0].answer


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What does the Head of Sales's team own?", "Head of Sales"),  # only the possessive goes
        ("Who sets the Director's goals?", "Director"),
        ("What is a Head of Product?", "Head of Product"),
    ],
)
def test_subject_of_a_question(question: str, subject: str) -> None:
    assert subject_of(question) == subject


def test_a_blank_earlier_turn_does_not_repeat_the_previous_question(corpus_app: DocChat) -> None:
    history = [
        Message(role="user", content="How many customer conversations?"),
        Message(role="assistant", content="At least 4-5 per month."),
        Message(role="user", content="   "),
    ]
    standalone = corpus_app.answer("Per month?", history).standalone_question
    assert standalone == "How many customer conversations? Per month?"
