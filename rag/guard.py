"""The grounding guard: what of a generated answer survives. Every sentence must cite retrieved sources that
support it (rag.support, the eval's own measure) and say what they say (rag.claims), and each citation is
resolved to the verbatim unit that supports it best, so the answer contract is the extractive one."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.answering import citation_of
from rag.claims import (
    MAX_UNSUPPORTED_RUN,
    QuoteContext,
    claim_names,
    content_stems,
    is_answer_word,
    refers_back_to_neighbour,
    says_it_all,
)
from rag.extractive import REFUSAL_TEXT, Evidence, split_evidence
from rag.models import Citation
from rag.retrieval import ScoredChunk
from rag.sentences import answer_sentences
from rag.support import SupportScorer
from rag.text import cited_numbers, normalize, strip_citations

log = logging.getLogger(__name__)

_MARKER_GROUP = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*[,;]\s*(?:sources?\s*)?\d+)*)\s*\]", re.IGNORECASE)
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")
# Reasoning models may think aloud in the content; that is not part of the answer.
_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_LINE_DECORATION = re.compile(r"^\s*(?:#{1,6}\s+|[-*•]\s+|\d{1,3}[.)]\s+)?")
_REFUSAL = re.compile(
    r"could ?n[o']t find|can ?n[o']t find|unable to (?:find|answer|determine)|no information|"
    r"(?:do|does) ?n[o']t (?:contain|mention|say|state|provide|include|specify|answer|cover)|"
    r"not (?:mentioned|covered|found|stated|provided|specified) in the (?:sources|documents|provided)"
)


@dataclass
class Sentence:
    text: str  # without markers
    markers: list[int]


@dataclass
class Kept:
    text: str
    quotes: list[tuple[Evidence, float]]  # (verbatim unit, its support score), one per citation


@dataclass
class Verdict:
    kept: list[Kept] = field(default_factory=list)
    dropped: int = 0
    refusal_like: int = 0

    @property
    def refused(self) -> bool:
        """The model said the sources do not answer, and said nothing we could keep."""
        return not self.kept and self.refusal_like > 0


def split_sentences(generated: str) -> list[Sentence]:
    """Sentences of the reply with their [n] markers; "[1, 2]" and markers after the full stop tolerated."""
    text = _THINKING.sub("", generated)
    text = _MARKER_GROUP.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)
    text = _MARKERS_AFTER_STOP.sub(lambda m: " " + "".join(re.findall(r"\[\d+\]", m.group(2))) + m.group(1), text)
    out: list[Sentence] = []
    for line in text.replace("**", "").splitlines():
        line = _LINE_DECORATION.sub("", line).strip()
        waiting: list[str] = []  # uncited sentences of the line, before the citation that ends their run
        for piece in answer_sentences(line):
            plain, markers = strip_citations(piece), cited_numbers(piece)
            if not plain or (not markers and is_answer_word(plain)):
                continue  # "Yes." / "No." alone: no claim a quote can support, so not shown (nor counted)
            if not markers:
                waiting.append(plain)
                continue
            # "A. B [1]." cites the source of both; each sentence, a label included, is checked against it
            out += [Sentence(w, markers) for w in waiting] + [Sentence(plain, markers)]
            waiting = []
        out += [Sentence(w, []) for w in waiting]
    return out


def is_refusal_like(text: str) -> bool:
    return normalize(REFUSAL_TEXT) in normalize(text) or bool(_REFUSAL.search(normalize(text)))


def candidate_quotes(chunk: ScoredChunk) -> tuple[list[Evidence], list[Evidence]]:
    """The chunk's units, and each pair of neighbouring units (a sentence may merge two of them)."""
    units = split_evidence(chunk)
    chunk_start = chunk.span[0]
    pairs = []
    for a, b in zip(units, units[1:], strict=False):
        text = chunk.chunk.text[a.start - chunk_start : b.end - chunk_start]
        # Two items of one list keep its intro line ("Every laptop comes with:"): it says what they are.
        lead_in = ". ".join(dict.fromkeys(x for x in (a.lead_in, b.lead_in) if x))
        pairs.append(
            Evidence(
                chunk,
                a.start,
                b.end,
                text,
                a.kind,
                a.token_set | b.token_set,
                a.context,
                lead_in=lead_in,
                parts=(a.text, b.text),
            )
        )
    return units, pairs


# The support score (rag/support.py) from which a quote is checked at all. Lower than the eval's threshold for
# "supported": the content checks decide, and terse quotes (table rows, list items) score low against a full
# answer sentence that restates them ("A Head of Sales plans 12-36 months ahead" for "Horizon 6-12 months
# 12-36 months"). Dev claims: 0.40 kept 5 more correct claims of 1,300 than 0.55 and let no wrong one through.
TOPIC_THRESHOLD = 0.40

# Quotes of one cited chunk tried against a sentence, best support first: a sentence none of the best few
# says is not worth a check per remaining quote. The best pairs get their own turn, so that a merge of two
# units is still checked against the pair when four single units were about the same thing.
MAX_UNITS_CHECKED = 4
MAX_PAIRS_CHECKED = 2


class GroundingGuard:
    """Keeps a generated sentence only when a quote of a source it cites is about the same thing (the support
    score) and says what the sentence says (rag/claims.py: figures, names, subject, negation, comparisons,
    clauses). The quote shown with it is the best-scoring one that passes both."""

    def __init__(self, scorer: SupportScorer, topic_threshold: float = TOPIC_THRESHOLD) -> None:
        self.scorer = scorer
        self.topic_threshold = topic_threshold

    def verify(self, generated: str, chunks: Sequence[ScoredChunk], question: str = "") -> Verdict:
        verdict = Verdict()
        for sentence in split_sentences(generated):
            if not sentence.markers and is_refusal_like(sentence.text):
                verdict.refusal_like += 1  # a hedge, not a claim: leave it out without counting it
                continue
            kept = self.check(sentence, chunks, question)
            if kept is None:
                verdict.dropped += 1
            else:
                verdict.kept.append(kept)
        return verdict

    def check(self, sentence: Sentence, chunks: Sequence[ScoredChunk], question: str = "") -> Kept | None:
        cited = [n for n in dict.fromkeys(sentence.markers) if 1 <= n <= len(chunks)]
        if not cited:
            return None  # uncited, or citing sources that were never retrieved
        scored = {n: self.scored_quotes(sentence.text, chunks[n - 1]) for n in cited}
        alone = []
        for n in cited:
            on_topic = [q for q in scored[n] if q[1] >= self.topic_threshold]
            passing = [q for q in on_topic if not q[0].parts][:MAX_UNITS_CHECKED]
            passing += [q for q in on_topic if q[0].parts][:MAX_PAIRS_CHECKED]
            found = next(
                (
                    q
                    for q in passing
                    if self.says_it(sentence.text, [q[0]], question)
                    and not self.borrows_from_neighbour(sentence.text, q[0], scored[n], question)
                ),
                None,
            )
            if found is not None:
                alone.append(found)
        if alone:
            # Citations that do not support the sentence on their own would only dilute its precision.
            return Kept(sentence.text, alone)
        if len(cited) > 1:
            # A sentence may join facts from two sources: their best quotes together must say it all, though
            # neither does alone.
            best = {n: max(scored[n], key=lambda q: q[1], default=None) for n in cited}
            quotes = [q for q in best.values() if q is not None]
            together = " ".join(q[0].text for q in quotes)
            if (
                len(quotes) > 1
                and self.scorer.score(sentence.text, together) >= self.topic_threshold
                and self.says_it(sentence.text, [q[0] for q in quotes], question)
            ):
                return Kept(sentence.text, quotes)
        return None

    def borrows_from_neighbour(
        self, claim: str, unit: Evidence, quotes: Sequence[tuple[Evidence, float]], question: str
    ) -> bool:
        """The claim's new words come from a neighbouring unit, and the two units together do not say what it
        says: "the Director designs teams" passes "In essence, the Director leads teams." word for word but
        one, and that one is the next unit's ("The Head of Product designs teams.")."""
        new = content_stems(claim) - content_stems(f"{unit.text} {unit.context} {unit.section} {unit.lead_in}")
        # A unit that refers back ("This person is accountable …", "They decide …") leaves its subject to the
        # sentence before it: naming that subject is reading the unit, not borrowing from its neighbour.
        if not new or refers_back_to_neighbour(unit.parts[0] if unit.parts else unit.text):
            return False
        if self.restates_another_unit(claim, unit, new, quotes, question):
            return True
        if unit.parts:
            # A pair taking from the unit just outside it must pass with that unit joined to it.
            singles = [q for q, _ in quotes if not q.parts]
            before = max((q for q in singles if q.end <= unit.start), key=lambda q: q.end, default=None)
            after = min((q for q in singles if q.start >= unit.end), key=lambda q: q.start, default=None)
            # (three or more of the claim's new words being that unit's, the claim restates it: "… is their
            # advocate in leadership discussions" beside a pair that says only what an advocate does)
            return any(
                (
                    new & content_stems(" ".join(claim_names(q.text)))
                    or new <= content_stems(q.text)
                    or len(new & content_stems(q.text)) >= MAX_UNSUPPORTED_RUN
                )
                and not self.says_it(claim, joined, question)
                for q, joined in ((before, [before, unit]), (after, [unit, after]))
                if q is not None
            )
        for pair, _ in quotes:
            if not pair.parts or not (pair.start == unit.start or pair.end == unit.end):
                continue
            neighbour = pair.parts[1] if pair.start == unit.start else pair.parts[0]
            said_there = content_stems(neighbour)
            # Taken from it: one of its names, or every word the unit lacks. A paraphrase that happens to
            # share a common word with the neighbour ("connect") brings other new words too.
            named_there = content_stems(" ".join(claim_names(neighbour)))
            if (new & named_there or new <= said_there) and not self.says_it(claim, [pair], question):
                return True
        return False

    def restates_another_unit(
        self, claim: str, quote: Evidence, new: set[str], quotes: Sequence[tuple[Evidence, float]], question: str
    ) -> bool:
        """Another unit of the chunk, anywhere in it, holds every word the claim adds to the quote, and neither
        it alone nor it joined to the quote says the claim: the claim restates that unit with something changed
        ("The Mayor owns the entire yearly budget" let through on "In short, the Mayor chairs meetings." beside
        "The Treasurer owns the entire yearly budget."), not the quote. Joined, a unit the quote refers back to
        with a noun ("The library lends laptops. … Each device can be borrowed for two weeks.") lends its words
        to a faithful claim."""
        # (the document's title names what every unit is about; an intro line ending in a colon is read with
        # the items under it)
        added = new - content_stems(quote.chunk.meta.title)
        if len(added) < 2:
            return False
        inside = quote.parts or (quote.text,)
        for other, _ in quotes:
            if other.parts or other.text in inside or other.text.rstrip().endswith(":"):
                continue
            if not added <= content_stems(other.text):
                continue
            joined = [other, quote] if other.start < quote.start else [quote, other]
            if not self.says_it(claim, [other], question) and not self.says_it(claim, joined, question):
                return True
        return False

    def scored_quotes(self, claim: str, chunk: ScoredChunk) -> list[tuple[Evidence, float]]:
        """Every quote of the cited chunk with its support score: single units best first, then pairs of
        neighbours (a sentence may merge two units; a unit that suffices is the shorter, clearer quote)."""
        units, pairs = candidate_quotes(chunk)
        if not units:
            return []
        quotes = units + pairs
        scores = self.scorer.scores(claim, [q.text for q in quotes])
        order = sorted(range(len(quotes)), key=lambda i: (i >= len(units), -scores[i], i))
        return [(quotes[i], scores[i]) for i in order]

    def says_it(self, claim: str, quotes: Sequence[Evidence], question: str) -> bool:
        first = quotes[0]
        context = QuoteContext(
            text=" ".join(q.text for q in quotes),
            # One sentence per heading, so two headings never read as one name.
            headings=". ".join(dict.fromkeys(h for q in quotes for h in (q.context, q.section, q.lead_in) if h)),
            title=first.chunk.meta.title,
            table_row=all(q.kind == "table_row" for q in quotes),
            table_header=first.context if len(quotes) == 1 and first.kind == "table_row" else "",
            lead_in=first.lead_in if len(quotes) == 1 else "",
            parts=tuple(part for q in quotes for part in (q.parts or (q.text,))),
        )
        try:
            return says_it_all(claim, context, question, similar=self.scorer.similarities)
        except Exception:  # noqa: BLE001 - a check that fails cannot vouch for the sentence: leave it out
            log.warning("the claim checks failed on a sentence; it is left out", exc_info=True)
            return False


def render_kept(kept: Sequence[Kept]) -> tuple[str, list[Citation]]:
    """Final text and citations, numbered 1..n in order of first use; a quote used twice keeps its number."""
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    sentences = []
    for item in kept:
        marks = []
        for ev, score in item.quotes:
            key = (ev.source, ev.start, ev.end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                citations.append(citation_of(numbers[key], ev, score))
            marks.append(numbers[key])
        sentences.append(with_markers(item.text, marks))
    return " ".join(sentences), citations


def with_markers(sentence: str, numbers: Sequence[int]) -> str:
    """ "… to the CEO [1][2]." — markers before the closing punctuation, as the extractive answers do."""
    marks = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1].rstrip()} {marks}{sentence[-1]}"
    return f"{sentence} {marks}."


def dropped_notice(dropped: int) -> str | None:
    if not dropped:
        return None
    if dropped == 1:
        return "1 unsupported sentence was removed."
    return f"{dropped} unsupported sentences were removed."
