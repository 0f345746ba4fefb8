"""The model-free answerer: composes a short answer from the documents' own sentences, bullets and rows.

Grounded by construction: every sentence of the answer is a verbatim unit of a source, cited as [n].

Each unit of the pooled chunks gets the signals of `rag.answerability.FEATURES` (its own and its chunk's
similarity to the question, IDF-weighted term coverage with the topic discounted, the kind of answer it gives,
...); the fitted ranker orders them and the fitted answerability score of the best one decides between an
answer and a refusal (see the README, "How the answerer decides"). Units are then picked within the ranker's
margin of the best, not redundant, within the length budget; list questions answered by a list get the list's
items, section questions the section's sentences; comparisons get evidence for both sides; different figures
from different sources are shown as a disagreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from rag.answer_types import answer_type, measures_in, numbers_in
from rag.answerability import FEATURES, AnswerabilityModel
from rag.chunk_schema import CITABLE_KINDS
from rag.condense import named_runs, subject_of
from rag.retrieval import Bm25Index, Retrieval, ScoredChunk
from rag.text import normalize, stem, token_set, tokens, words

REFUSAL_TEXT = "I couldn't find the answer to that in the documents."
SUBJECT_WEIGHT = 0.35  # weight of words naming the question's subject, relative to the rest
OOV_WEIGHT = 0.5  # weight of a word the corpus never uses, relative to the rarest word it does use
# A unit joins the answer when the ranker puts it at most this far below the best unit (in ranker score: a
# weighted sum of standardised signals); tuned on the dev splits: 1.0 -> 5.0 took dev answer accuracy
# 0.61 -> 0.75 (main) and 0.76 -> 0.85 (second corpus), the budget of 4 units and 500 characters still holding.
RANK_MARGIN = 5.0
LIST_ITEMS_MAX = 6
LIST_MIN_COVERAGE = 0.35  # a heading-matched list is taken when it covers this share of the question's terms
LIST_HEADING_MATCH = 0.5  # share of the question's term weight a list's heading must carry to be chosen
TOPIC_DISCOUNT = 0.8  # how much a term every candidate unit shares loses of its weight (see focus_weights)
SAME_CLAIM_SIMILARITY = 0.72  # two passages this similar (cosine) are taken to speak of the same thing

_QUANTITY_QUESTION = re.compile(
    r"\b(how (many|much|long|far|often|old|big|large)|what (percentage|percent|share|proportion|number|"
    r"amount|size|salary|fee|cost|price)\b)",
    re.IGNORECASE,
)
_COMPARISON_QUESTION = re.compile(
    r"\b(differen\w*|compar\w*|contrast\w*|versus|vs\.?|distinguish\w*|distinct)\b|\bbetween .+ and ",
    re.IGNORECASE,
)
# A list question asks for several things: "list/name ...", "what are ...", "what/which kinds of ...", or
# "what/which" followed by a plural noun ("Which executives ...?"). General English only.
_LIST_QUESTION = re.compile(
    r"^\s*(list|name|enumerate)\b|\b(what|which) (are|were)\b|\b(what|which) (kinds?|types?|sorts?|"
    r"ways?|steps?|examples?)\b|\bwhat does .+ (include|cover)\b|"
    r"\b(what|which) (?!does\b|is\b|was\b|has\b|says\b|means\b|this\b|its\b)[a-z]+s\b|"
    r"\b(what|which) (?:[a-z]+ ){1,2}[a-z]+s (?=(do|does|did|are|were|should|must|can|will|would)\b)",
    re.IGNORECASE,
)
_BULLET_MARK = re.compile(r"^\s*(?:[•\-*+·▪◦‣]|\d{1,3}[.)])\s+")
_LEAD_SEPARATOR = re.compile(r"\s+(?:--|—|–)\s+|:\s+|(?<=[a-z)])\.\s+")
_ANAPHOR_START = re.compile(r"^(they|these|those|this|it|its|their|he|she|such)\b", re.IGNORECASE)
_SIDE_SPLIT = re.compile(r"\s+(?:and|vs\.?|versus|or|compared (?:to|with))\s+", re.IGNORECASE)
# A citation quotes its whole unit up to this many answer budgets, so a sentence the answer cuts can be read to
# its end. A longer unit (an index chunked with a large chunk_max_chars, or built before the chunker split
# over-long units) is cited by a verbatim window that opens on the question's words instead.
QUOTE_BUDGETS = 2
_NON_SPACE = re.compile(r"\S+")
_SPACE = re.compile(r"\s")


ASKING_CREDIT = 0.5  # how much an asking word ("far", "ahead") still weighs once a typed figure answers it


@dataclass
class Evidence:
    """One citable unit (sentence, bullet or table row) of a retrieved chunk."""

    chunk: ScoredChunk
    start: int
    end: int
    text: str
    kind: str
    token_set: set[str]
    context: str = ""
    score: float = 0.0  # probability that the unit answers the question
    rank: float = 0.0  # the ranker's score: higher comes first
    lead_in: str = ""  # for a bullet: the intro line of its list ("Head of Product:"), if any
    vector: np.ndarray | None = field(default=None, repr=False)  # the unit's own embedding, from ingest
    parts: tuple[str, ...] = ()  # for a quote joining neighbouring units: their texts, in order

    @property
    def headings(self) -> str:
        """What the unit sits under: its context, section and list intro."""
        return f"{self.context} {self.section} {self.lead_in}"

    @property
    def source(self) -> str:
        return self.chunk.source

    @property
    def section(self) -> str:
        return self.chunk.meta.section


@dataclass
class Composition:
    refused: bool
    evidence: list[Evidence] = field(default_factory=list)
    list_label: str = ""
    list_start: int = 0  # evidence[list_start:] are list items shown after list_label (when it is set)
    disagreement: bool = False
    best_score: float = 0.0  # the best-ranked unit's probability of answering
    reason: str = ""
    suggestions: list[str] = field(default_factory=list)


# --- question shapes ------------------------------------------------------------------------------
def is_quantity_question(question: str) -> bool:
    return bool(_QUANTITY_QUESTION.search(question))


def is_comparison_question(question: str) -> bool:
    return bool(_COMPARISON_QUESTION.search(question))


def is_list_question(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question)) and not is_quantity_question(question)


def _counted_noun(question: str) -> str:
    """The stemmed head noun a "how many/much X" question counts: English noun phrases end in their head,
    so "how many direct reports" counts reports, "how many people worked" counts people."""
    match = re.search(
        r"\bhow (?:many|much)\s+(?:new\s+|more\s+|of\s+)?([a-z][\w-]*)(?:\s+([a-z][\w-]*))?", question, re.I
    )
    if not match:
        return ""
    first, second = match.group(1), match.group(2)
    if second and tokens(second) and not second.lower().endswith("ed"):
        return tokens(second)[0]
    counted = tokens(first)
    return counted[0] if counted else ""


def comparison_sides(question: str) -> list[set[str]]:
    """The two things a comparative question sets against each other, as token sets."""
    match = re.search(r"between (.+?) and (.+?)(?:[?.!,]|$)", question, re.IGNORECASE)
    parts = [match.group(1), match.group(2)] if match else _SIDE_SPLIT.split(question, maxsplit=1)
    if len(parts) != 2:
        return []
    left, right = (set(tokens(p)) for p in parts)
    # Keep what tells the sides apart; shared words ("product") say nothing about which side is covered.
    left, right = left - right, right - left
    return [side for side in (left, right) if side]


# --- evidence ---------------------------------------------------------------------------------------
def chunk_units(chunk: ScoredChunk) -> list[Evidence]:
    """Every unit of the chunk in document order, list intros and table headers included."""
    chunk_start = chunk.span[0]
    text = chunk.chunk.text
    meta = chunk.meta
    context, section = meta.context, meta.section
    out = []
    lead_in = ""
    vectors = chunk.unit_vectors
    vectors = vectors if vectors.shape[0] == len(meta.units) else None  # an index built without unit vectors
    for index, unit in enumerate(meta.units):
        start, end = unit.start, unit.end
        kind: str = unit.kind
        unit_text = text[start - chunk_start : end - chunk_start]
        if not unit_text.strip():
            continue
        if kind == "sentence" and unit_text.rstrip().endswith(":"):
            kind = "intro"  # "They partner with:" introduces a list; it answers nothing by itself
        unit_context = context or (_table_header(chunk, start) if kind == "table_row" else "") or section
        if kind == "intro":
            lead_in = unit_text.strip().rstrip(":").strip()
        elif kind != "bullet":
            lead_in = ""
        out.append(
            Evidence(
                chunk,
                start,
                end,
                unit_text,
                kind,
                set(tokens(unit_text)),
                unit_context,
                lead_in=lead_in if kind == "bullet" else "",
                vector=vectors[index] if vectors is not None else None,
            )
        )
    return out


def within_question_z(values: np.ndarray) -> np.ndarray:
    """How far each value stands above or below the question's other candidates, in standard deviations."""
    spread = values.std() if len(values) else 0.0
    return (values - values.mean()) / spread if spread > 1e-6 else np.zeros_like(values)


def unit_similarity(ev: Evidence, retrieval: Retrieval) -> float:
    """Cosine of the question and the unit (its chunk's, for an index built without unit vectors)."""
    if ev.vector is None or ev.vector.shape != retrieval.vector.shape:
        return max(ev.chunk.dense, 0.0)
    return float(ev.vector @ retrieval.vector)


def split_evidence(chunk: ScoredChunk) -> list[Evidence]:
    """The chunk's citable units (sentences, bullets, table rows), with verbatim text and absolute offsets."""
    return [ev for ev in chunk_units(chunk) if ev.kind in CITABLE_KINDS]


def _table_header(chunk: ScoredChunk, before: int) -> str:
    """The header row of the table a row belongs to, when it sits in the same chunk."""
    header = ""
    for unit in chunk.meta.units:
        if unit.kind == "table_header" and unit.start < before:
            start, end = unit.start - chunk.span[0], unit.end - chunk.span[0]
            header = chunk.chunk.text[start:end]
    return header


def list_lead(ev: Evidence) -> tuple[int, str]:
    """A bullet's lead ("Over-hiring too fast" of "Over-hiring too fast. Adding 5 PMs ..."), as a prefix."""
    body_offset = len(_BULLET_MARK.match(ev.text).group(0)) if _BULLET_MARK.match(ev.text) else 0
    body = ev.text[body_offset:]
    match = _LEAD_SEPARATOR.search(body)
    if match and 3 <= match.start() <= 90:
        lead = body[: match.start()]
    elif len(body) <= 160:
        lead = body
    else:
        return 0, ""
    return body_offset, lead.rstrip(" .;,")


# --- the composer -----------------------------------------------------------------------------------
class ExtractiveComposer:
    """Scores units against the question and picks a short, diverse, grounded set of them."""

    def __init__(
        self,
        bm25: Bm25Index,
        model: AnswerabilityModel,
        *,
        max_sentences: int = 4,
        max_chars: int = 500,
    ) -> None:
        self.bm25 = bm25
        self.model = model
        self.max_sentences = max_sentences
        self.max_chars = max_chars

    # scoring
    def term_weights(self, question: str) -> dict[str, float]:
        """IDF weight of each question term. Subject words weigh less: nearly every passage about the
        subject has them, while the other words say what is asked. Words the corpus never uses get the
        top weight (they are what the documents would have to mention), except -ly adverbs ("roughly")."""
        subject = set(tokens(subject_of(question)))
        top = OOV_WEIGHT * self.bm25.idf("\x00never-seen\x00")
        weights = {}
        for word in set(words(question)):
            token = stem(word)
            if token not in set(tokens(word)):
                continue  # a stopword
            if token in self.bm25.document_frequency:
                weights[token] = self.bm25.idf(token) * (SUBJECT_WEIGHT if token in subject else 1.0)
            elif not word.endswith("ly"):
                weights[token] = top
        return weights

    def unknown_share(self, question: str) -> float:
        """Share of the question's content words that appear nowhere in the corpus. Words of under four
        letters are left out: unknown ones are chat abbreviations ("ppl", "mgr") more often than topics."""
        terms = {t for w in words(question) if len(w) >= 4 and not w.isdigit() for t in tokens(w)}
        if not terms:
            return 0.0
        return sum(t not in self.bm25.document_frequency for t in terms) / len(terms)

    @staticmethod
    def focus_weights(weights: dict[str, float], evidence: list[Evidence]) -> dict[str, float]:
        """Term weights with the topic discounted: the candidates were retrieved for the question's topic,
        so a term most of them share ("manul" in every unit about the manul) says little about which unit
        answers, while a term few of them have ("weigh") says what is asked."""
        if not evidence:
            return weights
        present = {t: 0 for t in weights}
        for ev in evidence:
            for t in weights:
                if t in ev.token_set:
                    present[t] += 1
        return {t: w * (1.0 - TOPIC_DISCOUNT * present[t] / len(evidence)) for t, w in weights.items()}

    def features(self, question: str, evidence: list[Evidence], retrieval: Retrieval) -> np.ndarray:
        """One row of `answerability.FEATURES` per unit."""
        weights = self.focus_weights(self.term_weights(question), evidence)
        kind = answer_type(question)
        if kind is not None:
            # "How big", "how far ahead" ask for a figure; the passage that gives it need not say "big".
            asking = {t for match in kind.asks.finditer(question) for t in tokens(match.group(0))}
            weights = {t: w for t, w in weights.items() if t not in asking} or weights
        total = sum(weights.values()) or 1.0
        ranked = retrieval.pool or retrieval.chunks
        best_rrf = max((c.rrf for c in ranked), default=1.0) or 1.0
        unknown_terms = self.unknown_share(question)
        unknown_name = float(self.names_unknown_entity(question))
        similarities = [unit_similarity(ev, retrieval) for ev in evidence]
        best_similarity = max(similarities, default=0.0)
        rows = []
        for ev, similarity in zip(evidence, similarities, strict=True):
            title = ev.chunk.meta.title
            heading_tokens = token_set(f"{ev.headings} {title}")
            hit = sum(w for t, w in weights.items() if t in ev.token_set)
            hit_heading = sum(w for t, w in weights.items() if t in heading_tokens and t not in ev.token_set)
            rows.append(
                (
                    similarity,
                    best_similarity - similarity,
                    max(ev.chunk.dense, 0.0),
                    hit / total,
                    (hit + hit_heading) / total,
                    ev.chunk.rrf / best_rrf,
                    self.figure_fit(question, ev),
                    unknown_terms,
                    unknown_name,
                    max((w for t, w in weights.items() if t not in ev.token_set | heading_tokens), default=0.0) / total,
                    float(len(ev.text.strip()) < 25),
                )
            )
        base = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES) - 5)
        similarity_z = within_question_z(base[:, 0])
        return np.column_stack(
            [
                base,
                similarity_z,
                within_question_z(base[:, 3]),
                within_question_z(base[:, 4]),
                within_question_z(base[:, 2]),
                np.maximum(similarity_z, 0.0) ** 2,
            ]
        )

    def score(self, question: str, evidence: list[Evidence], retrieval: Retrieval) -> None:
        """Each unit's rank (the fitted ranker) and probability of answering the question (the fitted
        answerability model)."""
        features = self.features(question, evidence, retrieval)
        ranks, probabilities = self.model.ranks(features), self.model.probabilities(features)
        for ev, rank, probability in zip(evidence, ranks, probabilities, strict=True):
            ev.rank, ev.score = float(rank), float(probability)

    def figure_fit(self, question: str, ev: Evidence) -> float:
        """For a question whose wording asks for a kind of answer (a figure: a duration, a size, a percentage,
        a count of what is counted; or a date, a place, a name): +1 when the unit gives one, -1 when it does
        not; 0 for other questions."""
        kind = answer_type(question)
        if kind is not None:
            return 1.0 if kind.states(ev.text, question) else -1.0
        if not is_quantity_question(question):
            return 0.0
        if not numbers_in(ev.text) - numbers_in(question):
            return -1.0
        if re.search(r"\b(percent\w*|proportion|share)\b", question, re.I):
            return 1.0 if "%" in ev.text or "percent" in ev.text.lower() else -1.0
        counted = _counted_noun(question)
        if counted and not (counted in ev.token_set or counted in token_set(ev.context)):
            return 0.0
        return 1.0

    def coverage(self, question: str, chosen: list[Evidence], label: str = "") -> float:
        """Share (IDF-weighted) of the question's terms that the chosen evidence, its headings or the label
        the answer shows (a list's intro) mention. When the evidence gives a figure of the type the question
        asks for, the asking words ("how far ahead") count as answered."""
        weights = self.term_weights(question)
        if not weights:
            return 0.0
        covered: set[str] = set(tokens(label))
        for ev in chosen:
            title = ev.chunk.meta.title
            covered |= ev.token_set | token_set(f"{ev.headings} {title}")
        # A figure of the asked type answers the asking words half-way: "6–12 months" answers "how far
        # ahead", but the rest of the question must still be covered.
        kind = answer_type(question)
        if kind is not None and any(kind.states(ev.text, question) for ev in chosen):
            asking = {t for match in kind.asks.finditer(question) for t in tokens(match.group(0))} - covered
            weights = {t: w * ASKING_CREDIT if t in asking else w for t, w in weights.items()}
        return sum(w for t, w in weights.items() if t in covered) / sum(weights.values())

    # selection
    def candidates(self, retrieval: Retrieval) -> list[Evidence]:
        """The citable units of every pooled chunk, each once: with a vector per unit, ranking the wider pool
        costs a dot product per unit, and the unit that answers is often in a chunk ranked below the top k."""
        seen: set[tuple[str, int]] = set()
        out = []
        for chunk in retrieval.pool or retrieval.chunks:
            for ev in split_evidence(chunk):
                if (ev.source, ev.start) not in seen:
                    seen.add((ev.source, ev.start))
                    out.append(ev)
        return out

    def compose(self, question: str, retrieval: Retrieval) -> Composition:
        evidence = self.candidates(retrieval)
        if not evidence:
            return Composition(refused=True, reason="nothing retrieved", suggestions=self.suggest(retrieval))
        self.score(question, evidence, retrieval)
        evidence.sort(key=lambda e: e.rank, reverse=True)
        best = evidence[0].score
        if best < self.model.threshold:
            return Composition(
                refused=True,
                best_score=best,
                reason="no passage answers the question",
                suggestions=self.suggest(retrieval),
            )
        wants_list = is_list_question(question)
        result = Composition(refused=False, best_score=best)
        result.evidence = self.select(question, evidence)
        self.continue_lead(result, wants_list=wants_list)
        if wants_list and not result.list_label:
            items, label = self.select_list(question, evidence)
            # A list that leaves the question's key terms uncovered is the wrong list (the best units said
            # something else): keep the sentences that do cover them.
            floor = min(self.coverage(question, result.evidence), LIST_MIN_COVERAGE)
            if items and self.coverage(question, items, label) >= floor:
                result = Composition(refused=False, best_score=best, evidence=items, list_label=label)
            elif (
                not items
                and (section := self.select_section(question, evidence))
                and self.coverage(question, section) >= floor
            ):
                result = Composition(refused=False, best_score=best, evidence=section)
        # Sources may give different figures for the same thing: look whenever the question asks for one or
        # the answer leads with one ("What is the planning horizon?" names no unit but is answered by one).
        lead_states_figure = bool(numbers_in(result.evidence[0].text) - numbers_in(question))
        if not result.list_label and (self.asks_for_figure(question) or lead_states_figure):
            result.disagreement = self.find_disagreement(question, evidence, result.evidence)
        weights = self.term_weights(question)
        result.evidence = [self.quotable(ev, weights) for ev in result.evidence]
        return result

    def quotable(self, ev: Evidence, weights: dict[str, float]) -> Evidence:
        """The unit itself, or for one too long to quote, the window of it around the question's words.

        Done last, once the unit is chosen: ranking and redundancy judge the whole unit, while the answer
        shows and cites only what the window holds (verbatim, with offsets into the document).
        """
        limit = QUOTE_BUDGETS * self.max_chars
        if len(ev.text) <= limit:
            return ev
        # The densest run of terms must land in the part of the window the answer shows (about one budget).
        start, end = quote_window(ev.text, weights, limit, self.max_chars // 2)
        text = ev.text[start:end]
        return replace(ev, start=ev.start + start, end=ev.start + end, text=text, token_set=set(tokens(text)))

    @staticmethod
    def asks_for_figure(question: str) -> bool:
        kind = answer_type(question)
        return is_quantity_question(question) or (kind is not None and kind.numeric)

    def select(self, question: str, ranked: list[Evidence]) -> list[Evidence]:
        top = ranked[0].score
        chosen: list[Evidence] = []
        used = 0
        for ev in ranked:
            if len(chosen) >= self.max_sentences or ev.rank < ranked[0].rank - RANK_MARGIN:
                break
            if any(_redundant(ev, c) for c in chosen):
                continue
            if chosen and used + len(ev.text) > self.max_chars:
                continue
            chosen.append(ev)
            used += len(ev.text)
        if is_comparison_question(question):
            self._cover_both_sides(question, ranked, chosen, top)
        return chosen

    def continue_lead(self, result: Composition, wants_list: bool = False) -> None:
        """Articles often state a point and then give it: in the next sentence ("They must argue for ...")
        or in a list the sentence introduces ("They partner with: • CEO ... • CFO ..."). Follow the lead
        sentence into what comes right after it in its chunk. A list question takes the list that any
        chosen sentence introduces, as the list is the answer the question asks for."""
        introducers = result.evidence if wants_list else result.evidence[:1]
        for sentence in introducers:
            if self._answer_with_introduced_list(result, sentence):
                return
        lead = result.evidence[0]
        following = next(iter(_units_after(lead)), None)
        if lead.kind != "sentence" or following is None or following.kind == "intro":
            return
        elaborates = _ANAPHOR_START.match(following.text) or len(lead.text) <= 110
        used = sum(len(e.text) for e in result.evidence)
        already = any(e.source == following.source and e.start == following.start for e in result.evidence)
        if following.kind == "sentence" and elaborates and not already:
            if used + len(following.text) > self.max_chars and len(result.evidence) > 1:
                result.evidence.pop()
            result.evidence.insert(1, following)
            while len(result.evidence) > self.max_sentences:
                result.evidence.pop()

    def _answer_with_introduced_list(self, result: Composition, sentence: Evidence) -> bool:
        """When the sentence is followed by a list intro ("They partner with:") and its items, answer with
        the sentence and the items."""
        if sentence.kind != "sentence":
            return False
        following = _units_after(sentence)
        if not following or following[0].kind != "intro":
            return False
        items = [u for u in following[1:] if u.kind == "bullet"]
        leads = self.list_items(items, budget=self.max_chars - len(sentence.text))
        if len(leads) < 2:
            return False
        result.evidence = [sentence, *leads]
        result.list_label = following[0].text.rstrip(": ")
        result.list_start = 1
        return True

    def list_items(self, bullets: list[Evidence], budget: int) -> list[Evidence]:
        """Bullets shortened to their leads, in document order, within the character budget."""
        items: list[Evidence] = []
        used = 0
        for ev in sorted(bullets, key=lambda e: e.start)[:LIST_ITEMS_MAX]:
            offset, lead = list_lead(ev)
            if not lead or used + len(lead) > budget:
                continue
            start = ev.start + offset
            items.append(
                Evidence(
                    ev.chunk,
                    start,
                    start + len(lead),
                    lead,
                    ev.kind,
                    set(tokens(lead)),
                    ev.context,
                    ev.score,
                    lead_in=ev.lead_in,
                    vector=ev.vector,
                )
            )
            used += len(lead) + 2
        return items

    def _cover_both_sides(self, question: str, ranked: list[Evidence], chosen: list[Evidence], top: float) -> None:
        """A comparison needs evidence for each side: add the best unit for a side nobody covered yet."""
        for side in comparison_sides(question):
            if any(side & (c.token_set | set(tokens(c.context))) for c in chosen):
                continue
            for ev in ranked:
                if ev in chosen or ev.score < 0.5 * top or not side & ev.token_set:
                    continue
                if len(chosen) >= self.max_sentences:
                    chosen.pop()
                chosen.append(ev)
                break

    def select_list(self, question: str, ranked: list[Evidence]) -> tuple[list[Evidence], str]:
        """For a list question, the list that answers it: the one whose heading or intro best matches the
        question ("Key Responsibilities of a Director ..."), or else the one holding the best unit. Its
        items come in document order, as short leads."""
        lists: dict[tuple[str, str, str, str], list[Evidence]] = {}
        for ev in ranked:
            if ev.kind == "bullet":
                lists.setdefault((ev.source, ev.section, ev.context, ev.lead_in), []).append(ev)
        weights = self.term_weights(question)

        def heading_match(items: list[Evidence]) -> float:
            return self.heading_match(question, weights, items[0].headings)

        candidates = [items for items in lists.values() if len(items) >= 2]
        if not candidates:
            return [], ""
        best = max(
            candidates,
            key=lambda items: (heading_match(items) >= LIST_HEADING_MATCH, heading_match(items), items[0].rank),
        )
        if heading_match(best) < LIST_HEADING_MATCH and best[0] is not ranked[0]:
            return [], ""  # no list is clearly about the question, and the best unit is not a bullet
        items = self.list_items(best[:LIST_ITEMS_MAX], budget=self.max_chars)
        first = best[0]
        label = (first.context if first.context != first.section else first.section).rstrip(": ")
        if first.lead_in and first.lead_in != label:
            label = f"{label} — {first.lead_in}"  # two lists under one heading: say which one this is
        return (items, label) if len(items) >= 2 else ([], "")

    @staticmethod
    def heading_match(question: str, weights: dict[str, float], heading: str) -> float:
        """Share of the question's term weight a heading carries; halved when the heading names another
        subject ("Key Responsibilities of a Director of Product Management" for a question about a Head of
        Product: the run "Director of Product Management" shares "Product" and adds other words)."""
        heading_tokens = token_set(heading)
        match = sum(w for t, w in weights.items() if t in heading_tokens) / (sum(weights.values()) or 1.0)
        asked = token_set(subject_of(question))
        for run in named_runs(f"x {heading}"):
            named = token_set(run)
            if named & asked and named - asked:  # shares a word with the subject but names another one
                return match * 0.5
        return match

    def select_section(self, question: str, ranked: list[Evidence]) -> list[Evidence]:
        """A question a whole section answers ("What core competencies does a Director need?" over a
        section "Core Competencies" written as sentences): that section's sentences in document order,
        within the budget. Only when the section's heading carries most of the question's weight."""
        sections: dict[tuple[str, str], list[Evidence]] = {}
        for ev in ranked:
            if ev.kind == "sentence" and ev.section:
                sections.setdefault((ev.source, ev.section), []).append(ev)
        weights = self.term_weights(question)

        def heading_match(units: list[Evidence]) -> float:
            return self.heading_match(question, weights, units[0].section)

        candidates = [units for units in sections.values() if len(units) >= 2]
        if not candidates:
            return []
        best = max(candidates, key=lambda units: (heading_match(units), units[0].rank))
        if heading_match(best) < LIST_HEADING_MATCH:
            return []
        chosen, used = [], 0
        for ev in sorted(best, key=lambda e: e.start):
            if len(chosen) >= self.max_sentences or used + len(ev.text) > self.max_chars:
                break
            chosen.append(ev)
            used += len(ev.text) + 5
        return chosen if len(chosen) >= 2 else []

    def names_unknown_entity(self, question: str) -> bool:
        """A proper name the corpus never mentions (a city, a company, a product) means we cannot answer."""
        for position, word in enumerate(re.findall(r"[A-Za-z][\w'’-]*", question)):
            word = re.sub(r"['’]s$", "", word)
            if position == 0 or not word[0].isupper() or "'" in word or "’" in word:
                continue
            token = stem(normalize(word))
            if len(token) >= 3 and token in set(tokens(word)) and token not in self.bm25.document_frequency:
                return True
        return False

    def find_disagreement(self, question: str, ranked: list[Evidence], chosen: list[Evidence]) -> bool:
        """Different sources giving different figures of the same kind (both durations, both percentages)
        about the same thing: show both, so the reader sees the sources differ. "About the same thing" is
        judged by the similarity of the two passages' embeddings, already at hand from retrieval."""
        asked = numbers_in(question)
        lead = chosen[0]
        lead_numbers = numbers_in(lead.text) - asked
        if not lead_numbers or lead.chunk.vector.size == 0:
            return False
        best: tuple[float, Evidence] | None = None
        for ev in ranked:
            other = numbers_in(ev.text) - asked
            if ev.source == lead.source or not other or other & lead_numbers or ev.chunk.vector.size == 0:
                continue
            if not measures_in(ev.text) & measures_in(lead.text):
                continue
            similarity = float(lead.chunk.vector @ ev.chunk.vector)
            if similarity >= SAME_CLAIM_SIMILARITY and (best is None or similarity > best[0]):
                best = (similarity, ev)
        if best is None:
            return False
        counterpart = best[1]
        chosen[:] = [e for e in chosen if not (e.source == counterpart.source and e.start == counterpart.start)]
        chosen.insert(1, counterpart)
        del chosen[self.max_sentences :]
        return True

    def suggest(self, retrieval: Retrieval) -> list[str]:
        labels: list[str] = []
        for chunk in retrieval.chunks:
            label = chunk.meta.section or chunk.meta.title
            if label and label not in labels:
                labels.append(label)
        return labels[:3]


def quote_window(text: str, weights: dict[str, float], length: int, reach: int) -> tuple[int, int]:
    """(start, end) in `text` of a whitespace-trimmed span of at most `length` characters, cut at spaces
    where there are any, that opens on the run of words carrying the most question-term weight within `reach`
    characters (each term counted once; the earliest such run wins, the text's start when no term occurs).
    """
    if len(text) <= length:
        return 0, len(text)
    hits = [(m.start(), t) for m in _NON_SPACE.finditer(text) for t in set(tokens(m.group())) if t in weights]
    best_start, best_score = 0, 0.0
    counts: dict[str, int] = {}
    score = 0.0
    left = 0
    for position, term in hits:
        counts[term] = counts.get(term, 0) + 1
        score += weights[term] if counts[term] == 1 else 0.0
        while position - hits[left][0] >= reach:
            gone = hits[left][1]
            counts[gone] -= 1
            score -= weights[gone] if counts[gone] == 0 else 0.0
            left += 1
        if score > best_score + 1e-9:
            best_start, best_score = hits[left][0], score
    start = min(best_start, len(text) - length)
    if start < best_start and start > 0 and not text[start - 1].isspace():
        # Pulled back to fill the window near the text's end: open on a whole word rather than mid-word.
        space = _SPACE.search(text, start, best_start)
        start = space.start() if space else start
    end = min(start + length, len(text))
    if end < len(text) and not text[end].isspace():
        spaces = [m.start() for m in _SPACE.finditer(text, start + 1, end)]
        end = spaces[-1] if spaces else end  # a window inside one huge run of non-spaces is cut hard
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _units_after(ev: Evidence) -> list[Evidence]:
    """The units that follow this one in its chunk, in document order."""
    units = chunk_units(ev.chunk)
    position = next((i for i, u in enumerate(units) if u.start == ev.start), None)
    return [] if position is None else units[position + 1 :]


def _redundant(a: Evidence, b: Evidence) -> bool:
    if a.source == b.source and a.start < b.end and b.start < a.end:
        return True
    if not a.token_set or not b.token_set:
        return False
    return len(a.token_set & b.token_set) / len(a.token_set | b.token_set) > 0.6


# --- rendering --------------------------------------------------------------------------------------
def render_unit(ev: Evidence) -> str:
    """The unit as an answer sentence: list markers dropped, a table row read out with its column names.
    Headings stay out of the sentence: they are shown with the citation."""
    text = " ".join(_BULLET_MARK.sub("", ev.text).split()).replace(" -- ", " — ")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if ev.kind == "table_row" and ev.context and ev.context != ev.section:
        text = table_row_sentence(text, ev.context)
    if text and text[-1] not in ".!?)…":
        text += "."
    return text


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def table_row_sentence(row: str, header: str) -> str:
    """ "| Focus horizon | 6–12 months | 12–36 months |" under "| Aspect | Director | Head |" reads
    "Focus horizon — Director: 6–12 months; Head: 12–36 months". A table whose cells are separated by single
    spaces cannot be split reliably; its row is shown with the header's column names after it."""
    cells, names = _cells(row), _cells(header)
    if "|" in row and len(cells) == len(names) >= 2:
        pairs = "; ".join(f"{name}: {cell}" for name, cell in zip(names[1:], cells[1:], strict=True) if cell)
        return f"{cells[0]} — {pairs}" if cells[0] else pairs
    parts = header.split(" ", 1)
    return f"{row} (columns: {parts[1] if len(parts) == 2 else header})"


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return f"{cut or text[: limit - 1]}…"
