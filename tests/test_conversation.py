"""Conversation handling and typo repair: which messages lean on the history, how they are resolved, and
that a long history can never inflate the rewritten question."""

from __future__ import annotations

import pytest

from rag.answer_types import numbers_in
from rag.app import DocChat
from rag.condense import (
    MAX_STANDALONE_CHARS,
    MAX_SUBJECT_CHARS,
    HeuristicCondenser,
    leans_on_history,
    without_framing,
)
from rag.embeddings import Embedder
from rag.models import Message
from rag.spelling import Speller

DIRECTOR = "What does a Director of Product Management do?"


def history_of(*questions: str) -> list[Message]:
    turns: list[Message] = []
    for question in questions:
        turns += [Message(role="user", content=question), Message(role="assistant", content="(answered)")]
    return turns


@pytest.mark.parametrize(
    "message",
    [
        "Is there a dental plan?",
        "And is there a dental plan?",  # a conjunction before a whole question
        "What is the capital of France?",
        "Is it possible to work remotely?",  # "it" as a dummy subject
        "How many people report to a Director of Product Management?",
    ],
)
def test_complete_questions_stand_on_their_own(message: str) -> None:
    assert not leans_on_history(message)


@pytest.mark.parametrize(
    "message",
    [
        "Who do they report to?",
        "How big is their team?",
        "And for a Head of Product?",
        "What about large companies?",
        "How many years does that take?",
        "How many product teams does that usually cover?",
        "Which one should I hire for a 50-person startup?",
        "Per month?",
    ],
)
def test_follow_ups_lean_on_the_history(message: str) -> None:
    assert leans_on_history(message)


def test_framing_is_not_part_of_the_question() -> None:
    assert without_framing("Different topic: what's the phone extension?") == "what's the phone extension?"
    assert without_framing("Thanks! Who approves budgets?") == "Who approves budgets?"
    assert without_framing("Thanks!") == "Thanks!"  # nothing else to ask: kept as it is


def test_a_new_question_is_never_glued_to_the_previous_one(embedder: Embedder) -> None:
    condenser = HeuristicCondenser(embedder)
    assert condenser.condense("Is there a dental plan?", history_of(DIRECTOR)) == "Is there a dental plan?"


def test_pronouns_take_the_current_subject(embedder: Embedder) -> None:
    condenser = HeuristicCondenser(embedder)
    assert (
        condenser.condense("Who do they report to?", history_of(DIRECTOR))
        == "Who does the Director of Product Management report to?"
    )
    # The subject carries over turns that named none.
    history = history_of(DIRECTOR, "Is it a stressful job?")
    assert "Director of Product Management" in condenser.condense("How big is their team?", history)


def test_a_pronoun_heavy_history_cannot_inflate_the_question(embedder: Embedder) -> None:
    # Before: every turn was condensed against all earlier ones, each pronoun replaced by the full subject
    # again, and the rewrite grew to 400,014 characters.
    condenser = HeuristicCondenser(embedder)
    subject = "Head of Product " * 200
    turns = [f"What does a {subject.strip()} do?"] + ["What do they and their team and their peers do?"] * 200
    state = condenser.conversation(history_of(*turns))  # the walk itself stays bounded, turn after turn
    assert len(state.previous) <= MAX_STANDALONE_CHARS and len(state.subject) <= MAX_SUBJECT_CHARS
    standalone = condenser.condense("And what do they and their team think of them?", history_of(*turns))
    assert len(standalone) <= MAX_STANDALONE_CHARS


def test_typos_are_repaired_against_the_documents_words_not_english_ones() -> None:
    speller = Speller.from_texts(["A Director of Product Management leads product managers and reports."])
    assert (
        speller.repair("how mny ppl report to a directr of product managment?")
        == "how many people report to a director of product management?"
    )
    assert speller.repair("Is there a dental plan?") == "Is there a dental plan?"  # English: left alone
    assert speller.repair("Who is the HR contact?") == "Who is the HR contact?"  # acronyms are not shorthand


def test_an_english_typo_the_documents_never_use_is_repaired_to_english() -> None:
    speller = Speller.from_texts(["A Director of Product Management leads product managers."])
    assert speller.repair("is it a stresful job") == "is it a stressful job"


# --- end to end, over the shipped corpus ------------------------------------------------------------------
def test_an_off_topic_question_mid_conversation_is_refused(corpus_app: DocChat) -> None:
    answer = corpus_app.answer("Is there a dental plan?", history_of(DIRECTOR))
    assert answer.standalone_question == "Is there a dental plan?"
    assert answer.refused and answer.citations == []


def test_a_misspelt_question_is_answered_like_the_spelt_one(corpus_app: DocChat) -> None:
    answer = corpus_app.answer("how mny ppl report to a directr of product managment?")
    assert not answer.refused
    assert "3–10" in answer.answer


def test_an_ellipsis_swaps_only_the_subject_when_the_rest_repeats_the_question(embedder: Embedder) -> None:
    condenser = HeuristicCondenser(embedder)
    history = history_of("What role does a Head of Product play in go-to-market?")
    assert (
        condenser.condense("And a Director's role there?", history)
        == "What role does a Director play in go-to-market?"
    )
    history = history_of("How far ahead does a Head of Product plan?")
    assert condenser.condense("And for a Director?", history) == "How far ahead does a Director plan?"


# --- found in review -----------------------------------------------------------------------------------------
def test_a_version_or_date_reads_as_numbers_not_a_crash() -> None:
    assert numbers_in("Python 3.11.7 on 26.11.2026") == {3.11, 7.0, 26.11, 2026.0}
    assert numbers_in("1,284 kilometres, 2.5 kg") == {1284.0, 2.5}


def test_a_backslash_in_a_follow_up_is_text_not_a_pattern(embedder: Embedder) -> None:
    condenser = HeuristicCondenser(embedder)
    history = history_of("What does a junior analyst do?")
    # Before: re.sub read the user's "\\d" as a bad escape in a replacement pattern and raised.
    assert "\\d" in condenser.condense("And for a \\d analyst?", history)
    assert "\\1" in condenser.condense("And for a senior \\1 one?", history)


def test_a_long_question_of_its_own_is_searched_whole(embedder: Embedder) -> None:
    condenser = HeuristicCondenser(embedder)
    question = "Some background about our team. " * 20 + "Who does the Head of Product report to?"
    assert condenser.condense(question, history_of(DIRECTOR)).endswith("Who does the Head of Product report to?")


@pytest.mark.parametrize("message", ["Well-being allowance for new staff?", "Great Fire of London: when did it start?"])
def test_framing_words_inside_a_question_are_kept(message: str) -> None:
    assert without_framing(message) == message


@pytest.mark.parametrize("message", ["What is a roadmap?", "ok", "thanks!", "🙂"])
def test_short_messages_that_ask_nothing_of_the_history_stand_alone(message: str) -> None:
    assert not leans_on_history(message)


def test_names_are_never_repaired_into_document_words() -> None:
    speller = Speller.from_texts(["Users of the delivery app revolve around the product."])
    question = "Does Uber compete with Deliveroo or Revolut?"
    assert speller.repair(question) == question
