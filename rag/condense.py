"""Follow-up rewriting without an LLM: decide whether a message leans on the conversation, and if it does,
make it a standalone question.

A message is read on its own unless it shows that it leans on what came before:
- it opens with an ellipsis lead ("And for a Director?", "What about large companies?");
- it refers with a pronoun ("Who do they report to?", "How big is their team?") and names no subject;
- it points with a demonstrative or a pro-form ("How many years does that take?", "Which one ...?") and
  says little else.
A complete question ("Is there a dental plan?", "What is a roadmap?") is never merged with an earlier one,
so it is answered, or refused, exactly as it would be at the start of a conversation; nor is a message with
nothing to ask ("ok", "thanks").

A leaning message is resolved against the conversation's current subject: the named subject (a run of
capitalised words, "Head of Product") of the most recent turn that had one. Pronouns take that subject;
an ellipsis swaps its phrase into the previous question in place of the phrase most like it; what cannot be
resolved either way is read together with the previous question. Every rewrite is bounded in length, and
only the last few turns are read, so a long history full of pronouns cannot inflate it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.embeddings import Embedder
from rag.models import Message
from rag.text import tokens

MAX_STANDALONE_CHARS = 400  # the longest rewritten question (a question that stands alone is left whole)
MAX_SUBJECT_CHARS = 80
RECENT_TURNS = 6  # user turns read to find the current subject

# Ellipsis leads: English openers that continue the previous question rather than ask a new one.
_ELLIPSIS_LEAD = re.compile(
    r"^\s*(?:and|but|also|or|so|then|what about|how about|and what about|and how about|what of|"
    r"same (?:for|with|question for)|likewise for)\b",
    re.IGNORECASE,
)
_SWAP = re.compile(
    r"^\s*(?:and|but|also|or|so|then)?\s*(?:what|how)?\s*(?:about|regarding|of)?\s*(?:for|about|with|in|at)?\s*"
    r"(?P<x>[^?]{2,60}?)\s*\??\s*$",
    re.IGNORECASE,
)
# Third-person pronouns stand for the current subject. First and second person ("I", "you") do not.
_PRONOUNS = {
    "they": "{s}", "them": "{s}", "he": "{s}", "she": "{s}", "him": "{s}",
    "their": "{s}'s", "his": "{s}'s", "her": "{s}'s", "theirs": "{s}'s",
}  # fmt: skip
# "Do they" becomes "does the Director": the verb follows the singular subject that replaces the pronoun.
_AGREEMENT = {"do": "does", "are": "is", "were": "was", "have": "has"}
# Pro-forms that always point back at something said before ("Which one ...?", "the other").
_STRONG_POINTER = re.compile(r"\b(which one|the one|the other|which of them|either|ones|the same)\b", re.IGNORECASE)
# Demonstratives used as pronouns point back ("How long does that take?", "How many teams does that cover?");
# as determiners ("that team") or in set phrases ("is it possible to") they do not.
_WEAK_POINTER = re.compile(
    r"\b(?:does|do|did|is|are|was|were|about|of|for|with|in|on|from|to|like|than|after|before)\s+"
    r"(?:that|this|those|these|it)\b(?!\s+(?:possible|true|necessary|important|hard|easy|common|normal|"
    r"ok|okay|worth|better|worse|best|likely|unusual|typical)\b)|\b(?:that|this|it|its)\s*\?*\s*$|\bits\b",
    re.IGNORECASE,
)
# A conjunction before a whole question ("And is there a dental plan?") does not make it a follow-up.
_CONJUNCTION = re.compile(r"^\s*(?:and|but|also|or|so|then|ok(?:ay)?|thanks)[\s,]+", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^(?:what|who|whom|whose|which|when|where|why|how|is|are|was|were|do|does|did|can|could|should|would|"
    r"will|may|might|must|has|have|had)\b(?!\s+about\b)",
    re.IGNORECASE,
)
# English pro-forms standing for a noun of the previous question: "And the senior ones?" keeps its noun.
_PRO_FORMS = re.compile(r"\s+(?:ones?|kinds?|types?)$", re.IGNORECASE)
_QUESTION_LEAD = {
    "what", "who", "whom", "whose", "which", "when", "where", "why", "how", "is", "are", "was", "were", "do",
    "does", "did", "can", "could", "should", "would", "will", "may", "might", "must", "in", "at", "for",
    "tell", "give", "list", "compare", "describe", "explain", "and", "but", "so", "the", "a", "an", "if",
    "besides", "over", "our", "my", "i", "after", "before", "also", "or", "then", "same",
}  # fmt: skip
_CONNECTORS = {"of", "the", "and", "&", "for", "to"}


def subject_of(question: str) -> str:
    """The question's main named subject: the longest run of capitalised words (e.g. "Head of Product")."""
    runs = named_runs(question)
    if not runs:
        return ""
    return max(runs, key=lambda run: (len(run.split()), -runs.index(run)))[:MAX_SUBJECT_CHARS]


def named_runs(question: str) -> list[str]:
    """Runs of capitalised words ("Head of Product", "CEO"), the first word of the text left out."""
    words = re.findall(r"[A-Za-z][\w&'’/-]*|[?.,;:!]", question)
    runs: list[list[str]] = []
    current: list[str] = []
    for i, word in enumerate(words):
        capital = word[0].isupper() and not (i == 0 or word.lower() in _QUESTION_LEAD and not current)
        if capital or (current and word.lower() in _CONNECTORS and i + 1 < len(words) and words[i + 1][0].isupper()):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [[w[:-2] if w.endswith(("'s", "’s")) else w for w in run] for run in runs]
    return [" ".join(run) for run in runs if run[0].lower() not in _PRONOUNS and run[0] != "I"]


# Conversational framing around a question: greetings, thanks, and markers of a new topic, each followed by
# punctuation ("Thanks! ...", "Different topic: ..."; "Well-being allowance?" and "Great Fire of ..." keep
# their words). General English, stripped so they neither count as the question's terms nor hide its start.
_FRAMING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|ok(?:ay)?|thanks|thank you|great|cool|alright|right|sure|well|also|btw|by the way|"
    r"quick question|one more (?:thing|question)|another question|next question|new question|(?:a )?different "
    r"(?:topic|question)|(?:on )?another (?:topic|note|subject)|new topic|changing (?:the )?(?:topic|subject)|"
    r"unrelated(?: question)?|switching (?:gears|topics?))(?:\s*[,.:;!—–]+\s*|\s+-\s+|\s*$))+",
    re.IGNORECASE,
)


def without_framing(question: str) -> str:
    """The question without conversational framing: "Different topic: what's ...?" -> "what's ...?"."""
    rest = _FRAMING.sub("", question, count=1).strip()
    return rest if tokens(rest) or not tokens(question) else question


def bounded(text: str, limit: int = MAX_STANDALONE_CHARS) -> str:
    """At most `limit` characters, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut or text[:limit]


def has_pronoun(question: str) -> bool:
    return any(w.lower() in _PRONOUNS for w in re.findall(r"[A-Za-z]+", question))


def without_conjunction(question: str) -> str:
    """The whole question after a leading conjunction ("And is there ...?" -> "is there ...?"), else itself."""
    rest = _CONJUNCTION.sub("", question, count=1)
    return rest if rest != question and _QUESTION_START.match(rest) else question


def leans_on_history(question: str) -> bool:
    """Does the message continue the conversation rather than ask a question of its own?"""
    if not tokens(_FRAMING.sub("", question, count=1)) and not _QUESTION_START.match(question.strip()):
        return False  # nothing to ask ("ok", "thanks!", "🙂"): not a follow-up ("Why?" is one)
    question = without_conjunction(question)
    if _ELLIPSIS_LEAD.match(question):
        return True
    if subject_of(question):
        return False
    content = tokens(question)
    if has_pronoun(question) or _STRONG_POINTER.search(question):
        return True
    if _WEAK_POINTER.search(question) and len(content) <= 3:
        return True
    if _QUESTION_START.match(question):
        return not content  # "Why?", "How much?" lean; "What is a roadmap?" asks something of its own
    # "Salary?", "Per month?" lean; a message with nothing to ask ("ok", "thanks", "🙂") is not a follow-up.
    return len(content) == 1


def _candidate_phrases(question: str) -> list[str]:
    """Spans of the question that a follow-up could swap out: named subjects and content-word runs."""
    words = re.findall(r"[\w&'’/-]+", question)
    phrases: set[str] = set()
    for size in (1, 2, 3, 4, 5):
        for i in range(len(words) - size + 1):
            span = words[i : i + size]
            if span[0].lower() in _QUESTION_LEAD or span[-1].lower() in _CONNECTORS | {"a", "an"}:
                continue
            if not tokens(" ".join(span)):
                continue
            phrases.add(" ".join(span))
    return sorted(phrases)


@dataclass
class Conversation:
    """What a new message can lean on: the previous question (resolved) and the current subject."""

    previous: str = ""
    subject: str = ""


class HeuristicCondenser:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def condense(self, question: str, history: Sequence[Message]) -> str:
        question = " ".join(without_framing(question.strip()).split())
        state = self.conversation(history)
        if not state.previous or not leans_on_history(bounded(question)):
            return question  # a question of its own is searched as typed, however long
        return bounded(self.resolve(bounded(question), state))

    def conversation(self, history: Sequence[Message]) -> Conversation:
        """Walk the recent user turns forward, resolving each against the ones before it."""
        turns = [bounded(without_framing(m.content.strip())) for m in history if m.role == "user" and m.content.strip()]
        state = Conversation()
        for turn in turns[-RECENT_TURNS:]:
            resolved = bounded(self.resolve(turn, state)) if state.previous and leans_on_history(turn) else turn
            state = Conversation(previous=resolved, subject=subject_of(resolved) or state.subject)
        return state

    def resolve(self, question: str, state: Conversation) -> str:
        question = without_conjunction(question)
        if _ELLIPSIS_LEAD.match(question) and len(question.split()) <= 8:
            match = _SWAP.match(question)
            replacement = match.group("x").strip() if match else ""
            replacement = re.sub(r"^(?:for|about|the|a|an|in|at|with)\s+", "", replacement, flags=re.IGNORECASE)
            replacement = _PRO_FORMS.sub("", replacement)
            swapped = self._swap(state.previous, replacement) if tokens(replacement) else None
            if swapped:
                return swapped
        if state.subject and has_pronoun(question) and not subject_of(question):
            return self._replace_pronouns(question, state.subject)
        return f"{state.previous.rstrip()} {question}"

    def _swap(self, previous: str, replacement: str) -> str | None:
        subject = subject_of(previous)
        named = subject_of(f"x {replacement}")
        if subject and named:
            # A named thing replaces the previous named subject: "And for a Director?" after "Head of Product".
            # When the rest of the ellipsis only repeats the previous question ("And a Director's role
            # there?" after "What role does a Head of Product play?"), the subject alone is swapped in.
            rest = set(tokens(re.sub(rf"{re.escape(named)}(?:['’]s)?", " ", replacement))) - set(tokens(previous))
            return previous.replace(subject, replacement if rest else named, 1)
        candidates = _candidate_phrases(previous)
        if not candidates:
            return None
        vectors = self.embedder.encode([replacement, *candidates])
        similarity = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarity))
        if similarity[best] < 0.3:
            return None
        target = candidates[best]
        swapped = re.sub(re.escape(target), lambda _: replacement, previous, count=1)
        # Keep the article agreeing with the new word: "an entry-level" -> "a senior".
        return re.sub(r"\b([Aa])n (?=[^aeiouAEIOU\W])", r"\1 ", swapped)

    @staticmethod
    def _replace_pronouns(question: str, subject: str) -> str:
        named = f"the {subject}" if not subject.lower().startswith("the ") else subject

        def agree(match: re.Match[str]) -> str:
            verb, pronoun = match.group(1), match.group(2)
            singular = _AGREEMENT.get(verb.lower(), verb)
            singular = singular.capitalize() if verb[0].isupper() else singular
            return f"{singular} {pronoun}" if pronoun.lower() == "they" else match.group(0)

        question = re.sub(r"\b(do|are|were|have)\s+(they)\b", agree, question, flags=re.IGNORECASE)

        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            template = _PRONOUNS.get(word.lower())
            return template.format(s=named) if template else word

        return re.sub(r"\b[A-Za-z]+\b", swap, question)
