"""The model-free answerer: composes a short answer from the documents' own sentences, bullets and rows.

Grounded by construction: every sentence of the answer is a verbatim unit of a source, cited as [n].

How a unit is scored (0..1): 0.45 * dense similarity of its chunk to the question + 0.4 * lexical
coverage (IDF-weighted share of the question's terms it contains, subject words weighing less) + 0.15 *
the chunk's fused retrieval rank. Units are then picked greedily (near the best score, not redundant,
within the length budget); list questions answered by a list get the list's items; questions asking for a
duration or a size favour figures of that type; comparisons get evidence for both sides; different figures
from different sources are shown as a disagreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.condense import subject_of
from rag.retrieval import Bm25Index, Retrieval, ScoredChunk
from rag.text import normalize, stem, tokens, words

REFUSAL_TEXT = "I couldn't find the answer to that in the documents."
W_DENSE, W_LEXICAL, W_RANK = 0.45, 0.4, 0.15  # how a unit's score is made (see the module docstring)
SUBJECT_WEIGHT = 0.35  # weight of words naming the question's subject, relative to the rest
OOV_WEIGHT = 0.5  # weight of a word the corpus never uses, relative to the rarest word it does use
NEAR_BEST = 0.75  # a unit joins the answer when it scores at least this share of the best unit
LIST_ITEMS_MAX = 6
LIST_HEADING_MATCH = 0.5  # share of the question's term weight a list's heading must carry to be chosen
SAME_CLAIM_SIMILARITY = 0.72  # two passages this similar (cosine) are taken to speak of the same thing

_QUANTITY_QUESTION = re.compile(
    r"\b(how (many|much|long|far|often|old|big|large)|what (percentage|percent|share|proportion|number|"
    r"amount|size|salary|fee|cost|price)|(salary|salaries|pay|compensation|cost|costs|fee|price)\b)",
    re.IGNORECASE,
)
_COMPARISON_QUESTION = re.compile(
    r"\b(differen\w*|compar\w*|contrast\w*|versus|vs\.?|distinguish\w*|distinct)\b|\bbetween .+ and ",
    re.IGNORECASE,
)
_LIST_QUESTION = re.compile(
    r"^\s*(list|name|enumerate)\b|\b(what|which) (are|were)\b|\b(what|which) (kinds?|types?|sorts?|"
    r"areas?|ways?|steps?|roles?|skills?|responsibilit\w+|duties|activities|pitfalls?|mistakes?|"
    r"competenc\w+|partners?|teams?|examples?)\b|\bwhat does .+ (standardi[sz]e|include|cover)\b|"
    r"\b(what|which) (?!does\b|is\b|was\b|has\b|says\b|means\b)[a-z]+s\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "thousand": 1000, "dozen": 12,
}  # fmt: skip
_HORIZON_QUESTION = re.compile(r"\b(how far|horizon|ahead|timeframe|time frame|how long)\b", re.IGNORECASE)
_MEASURES = {
    "duration": re.compile(r"\b(days?|weeks?|months?|quarters?|years?|quarterly|annual)\b"),
    "percent": re.compile(r"%|\bpercent"),
    "headcount": re.compile(r"\b(employees|people|reports|pms|staff|headcount|teams?)\b"),
    "money": re.compile(r"[$€£]|\b(usd|eur|salary|revenue)\b"),
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_BULLET_MARK = re.compile(r"^\s*(?:[•\-*+·▪◦‣]|\d{1,3}[.)])\s+")
_LEAD_SEPARATOR = re.compile(r"\s+(?:--|—|–)\s+|:\s+|(?<=[a-z)])\.\s+")
_ANAPHOR_START = re.compile(r"^(they|these|those|this|it|its|their|he|she|such)\b", re.IGNORECASE)
_SIDE_SPLIT = re.compile(r"\s+(?:and|vs\.?|versus|or|compared (?:to|with))\s+", re.IGNORECASE)
_KINDS = {"s": "sentence", "b": "bullet", "r": "table_row", "t": "table_header", "c": "caption"}
_CITABLE = {"sentence", "bullet", "table_row"}


@dataclass(frozen=True)
class AnswerType:
    """What kind of figure a question asks for, when its wording says so but names no unit.

    "How far ahead does X plan?" asks for a duration, and its answer ("Focus Horizon 6–12 months") need
    not repeat "far" or "ahead"; "What size of company ..." asks for a headcount ("50 and 500 employees").
    """

    name: str
    asks: re.Pattern[str]  # the question wording that asks for it
    states: re.Pattern[str]  # what a passage stating such a figure says next to its number
    hints: str  # words such answers use: added to the keyword search and to a unit's score


ANSWER_TYPES = (
    AnswerType(
        "duration",
        re.compile(r"\b(how (far|long|soon)( ahead| out| in advance)?|horizon|timeframe|time frame)\b", re.IGNORECASE),
        _MEASURES["duration"],
        "months years quarters weeks horizon",
    ),
    AnswerType(
        "size",
        re.compile(r"\b(what size|how (big|large))\b", re.IGNORECASE),
        re.compile(r"\b(employees|people|staff|headcount|person)\b"),
        "employees people",
    ),
)
HINT_WEIGHT = 0.3  # score added to a unit that uses all of its answer type's hint words
UNTYPED_PENALTY = 0.8  # score factor of a unit that states no figure of the asked type
ASKING_CREDIT = 0.5  # how much an asking word ("far", "ahead") still weighs once a typed figure answers it


def answer_type(question: str) -> AnswerType | None:
    return next((t for t in ANSWER_TYPES if t.asks.search(question)), None)


def answer_hints(question: str) -> list[str]:
    """Extra keywords for the lexical search: the words answers of the question's type use."""
    kind = answer_type(question)
    return tokens(kind.hints) if kind else []


def states_figure(kind: AnswerType, text: str, question: str) -> bool:
    """Does the text give a new number (not one the question already has) of the asked type?"""
    return bool(numbers_in(text) - numbers_in(question)) and bool(kind.states.search(text.lower()))


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
    score: float = 0.0
    lexical: float = 0.0
    lead_in: str = ""  # for a bullet: the intro line of its list ("Head of Product:"), if any

    @property
    def headings(self) -> str:
        """What the unit sits under: its context, section and list intro."""
        return f"{self.context} {self.section} {self.lead_in}"

    @property
    def source(self) -> str:
        return self.chunk.source

    @property
    def section(self) -> str:
        return str(self.chunk.chunk.metadata.get("section", ""))


@dataclass
class Composition:
    refused: bool
    evidence: list[Evidence] = field(default_factory=list)
    list_label: str = ""
    list_start: int = 0  # evidence[list_start:] are list items shown after list_label (when it is set)
    disagreement: bool = False
    best_score: float = 0.0
    coverage: float = 0.0
    unknown_share: float = 0.0
    reason: str = ""
    suggestions: list[str] = field(default_factory=list)


# --- question shapes ------------------------------------------------------------------------------
def numbers_in(text: str) -> set[float]:
    found = {float(n.replace(",", "")) for n in _NUMBER.findall(text)}
    found.update(float(_NUMBER_WORDS[w]) for w in words(text) if w in _NUMBER_WORDS)
    return found


def measures_in(text: str) -> set[str]:
    """What kinds of quantity a text states: durations, percentages, headcounts, money."""
    lowered = text.lower()
    return {kind for kind, pattern in _MEASURES.items() if pattern.search(lowered)}


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
    context = str(chunk.chunk.metadata.get("context", ""))
    section = str(chunk.chunk.metadata.get("section", ""))
    out = []
    lead_in = ""
    for piece in str(chunk.chunk.metadata.get("units", "")).split(","):
        parts = piece.split("-")
        if len(parts) != 3:
            continue
        start, end, kind = int(parts[0]), int(parts[1]), _KINDS.get(parts[2], "sentence")
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
            )
        )
    return out


def split_evidence(chunk: ScoredChunk) -> list[Evidence]:
    """The chunk's citable units (sentences, bullets, table rows), with verbatim text and absolute offsets."""
    return [ev for ev in chunk_units(chunk) if ev.kind in _CITABLE]


def _table_header(chunk: ScoredChunk, before: int) -> str:
    """The header row of the table a row belongs to, when it sits in the same chunk."""
    header = ""
    for piece in str(chunk.chunk.metadata.get("units", "")).split(","):
        parts = piece.split("-")
        if len(parts) == 3 and parts[2] == "t" and int(parts[0]) < before:
            start, end = int(parts[0]) - chunk.span[0], int(parts[1]) - chunk.span[0]
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
        *,
        max_sentences: int = 4,
        max_chars: int = 500,
        min_evidence_score: float = 0.30,
        min_term_coverage: float = 0.35,
    ) -> None:
        self.bm25 = bm25
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.min_evidence_score = min_evidence_score
        self.min_term_coverage = min_term_coverage

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
        """Share of the question's content words that appear nowhere in the corpus."""
        terms = set(tokens(question))
        if not terms:
            return 1.0
        return sum(t not in self.bm25.document_frequency for t in terms) / len(terms)

    def score(self, question: str, evidence: list[Evidence], retrieval: Retrieval) -> None:
        weights = self.term_weights(question)
        total = sum(weights.values()) or 1.0
        best_rrf = max((c.rrf for c in retrieval.chunks), default=1.0) or 1.0
        wants_number = is_quantity_question(question)
        question_numbers = numbers_in(question)
        kind = answer_type(question)
        hints = set(answer_hints(question))
        for ev in evidence:
            context_tokens = set(tokens(ev.headings))
            hit = sum(w for t, w in weights.items() if t in ev.token_set)
            hit_context = sum(w for t, w in weights.items() if t in context_tokens and t not in ev.token_set)
            ev.lexical = (hit + 0.5 * hit_context) / total
            rank = ev.chunk.rrf / best_rrf
            ev.score = W_DENSE * max(ev.chunk.dense, 0.0) + W_LEXICAL * ev.lexical + W_RANK * rank
            if wants_number and not (numbers_in(ev.text) - question_numbers):
                ev.score *= 0.8
            if kind is not None:
                if not states_figure(kind, ev.text, question):
                    ev.score *= UNTYPED_PENALTY
                ev.score += HINT_WEIGHT * len(hints & (ev.token_set | context_tokens)) / len(hints)
            if len(ev.text) < 25:  # fragments make poor answers
                ev.score *= 0.8

    def coverage(self, question: str, chosen: list[Evidence], label: str = "") -> float:
        """Share (IDF-weighted) of the question's terms that the chosen evidence, its headings or the label
        the answer shows (a list's intro) mention. When the evidence gives a figure of the type the question
        asks for, the asking words ("how far ahead") count as answered."""
        weights = self.term_weights(question)
        if not weights:
            return 0.0
        covered: set[str] = set(tokens(label))
        for ev in chosen:
            title = str(ev.chunk.chunk.metadata.get("title", ""))
            covered |= ev.token_set | set(tokens(f"{ev.headings} {title}"))
        # A figure of the asked type answers the asking words half-way: "6–12 months" answers "how far
        # ahead", but the rest of the question must still be covered.
        kind = answer_type(question)
        if kind is not None and any(states_figure(kind, ev.text, question) for ev in chosen):
            asking = {t for match in kind.asks.finditer(question) for t in tokens(match.group(0))} - covered
            weights = {t: w * ASKING_CREDIT if t in asking else w for t, w in weights.items()}
        return sum(w for t, w in weights.items() if t in covered) / sum(weights.values())

    # selection
    def compose(self, question: str, retrieval: Retrieval) -> Composition:
        evidence = [ev for chunk in retrieval.chunks for ev in split_evidence(chunk)]
        if not evidence:
            return Composition(refused=True, reason="nothing retrieved", suggestions=self.suggest(retrieval))
        self.score(question, evidence, retrieval)
        evidence.sort(key=lambda e: e.score, reverse=True)
        wants_list = is_list_question(question)
        result = Composition(refused=False)
        result.evidence = self.select(question, evidence)
        self.continue_lead(result, wants_list=wants_list)
        if wants_list and not result.list_label:
            items, label = self.select_list(question, evidence)
            # A list that leaves the question's key terms uncovered is the wrong list (the best units said
            # something else): keep the sentences that do cover them.
            floor = min(self.coverage(question, result.evidence, result.list_label), self.min_term_coverage)
            if items and self.coverage(question, items, label) >= floor:
                result = Composition(refused=False, evidence=items, list_label=label)
        result.best_score = max(c.dense for c in retrieval.chunks)
        result.coverage = self.coverage(question, result.evidence, result.list_label)
        result.unknown_share = self.unknown_share(question)
        result.reason = self.refusal_reason(question, result)
        if result.reason:
            return Composition(
                refused=True,
                best_score=result.best_score,
                coverage=result.coverage,
                unknown_share=result.unknown_share,
                reason=result.reason,
                suggestions=self.suggest(retrieval),
            )
        if not result.list_label and self.asks_for_figure(question):
            pool = [ev for chunk in retrieval.pool[len(retrieval.chunks) :] for ev in split_evidence(chunk)]
            self.score(question, pool, retrieval)
            ranked = sorted(evidence + pool, key=lambda e: e.score, reverse=True)
            result.disagreement = self.find_disagreement(question, ranked, result.evidence)
        return result

    @staticmethod
    def asks_for_figure(question: str) -> bool:
        return is_quantity_question(question) or bool(_HORIZON_QUESTION.search(question))

    def refusal_reason(self, question: str, result: Composition) -> str:
        if result.best_score < self.min_evidence_score:
            return "weak evidence"
        if result.unknown_share > 0.5:
            return "the question is mostly about things the documents never mention"
        if result.coverage < self.min_term_coverage:
            return "the evidence does not cover the question's key terms"
        if is_quantity_question(question) and not self.gives_figure(question, result.evidence):
            return "the documents give no figure for this"
        if self.names_unknown_entity(question):
            return "the question names something the documents never mention"
        return ""

    def select(self, question: str, ranked: list[Evidence]) -> list[Evidence]:
        top = ranked[0].score
        chosen: list[Evidence] = []
        used = 0
        for ev in ranked:
            if len(chosen) >= self.max_sentences or ev.score < NEAR_BEST * top:
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
        total = sum(weights.values()) or 1.0

        def heading_match(items: list[Evidence]) -> float:
            heading = set(tokens(items[0].headings))
            return sum(w for t, w in weights.items() if t in heading) / total

        candidates = [items for items in lists.values() if len(items) >= 2]
        if not candidates:
            return [], ""
        best = max(
            candidates,
            key=lambda items: (heading_match(items) >= LIST_HEADING_MATCH, heading_match(items), items[0].score),
        )
        if heading_match(best) < LIST_HEADING_MATCH and best[0] is not ranked[0]:
            return [], ""  # no list is clearly about the question, and the best unit is not a bullet
        items = self.list_items(best[:LIST_ITEMS_MAX], budget=self.max_chars)
        first = best[0]
        label = (first.context if first.context != first.section else first.section).rstrip(": ")
        if first.lead_in and first.lead_in != label:
            label = f"{label} — {first.lead_in}"  # two lists under one heading: say which one this is
        return (items, label) if len(items) >= 2 else ([], "")

    def gives_figure(self, question: str, evidence: list[Evidence]) -> bool:
        """Does some unit state a figure for what is asked? "How many PMs" needs a number next to "PMs";
        "how much does a certification cost" needs one next to the question's most distinctive words."""
        kind = answer_type(question)
        if kind is not None and any(states_figure(kind, e.text, question) for e in evidence):
            return True
        asked = numbers_in(question)
        with_numbers = [e for e in evidence if numbers_in(e.text) - asked]
        if re.search(r"\b(percent\w*|proportion|share)\b", question, re.I):
            return any("%" in e.text or "percent" in e.text.lower() for e in with_numbers)
        counted = _counted_noun(question)
        if counted:
            return any(counted in e.token_set or counted in tokens(e.context) for e in with_numbers)
        weights = self.term_weights(question)
        distinctive = set(sorted(weights, key=weights.__getitem__, reverse=True)[:2])
        return any(distinctive & (e.token_set | set(tokens(f"{e.context} {e.section}"))) for e in with_numbers)

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
            label = str(chunk.chunk.metadata.get("section") or chunk.chunk.metadata.get("title") or "")
            if label and label not in labels:
                labels.append(label)
        return labels[:3]


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
    """The unit as an answer sentence: list markers dropped, rows labelled, anaphora given their subject."""
    text = " ".join(_BULLET_MARK.sub("", ev.text).split()).replace(" -- ", " — ")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if ev.kind == "table_row" and ev.context and ev.context != ev.section:
        text = f"{text} ({_columns(ev.context)})"
    elif _ANAPHOR_START.match(text) and (label := _subject_label(ev)):
        # "These directors are deeply involved in user testing" means little without its heading.
        text = f"{label} — {text}"
    if text and text[-1] not in ".!?)":
        text += "."
    return text


def _subject_label(ev: Evidence) -> str:
    """What "they"/"these" refers to: the section heading, or the document title when the heading is a
    bare label like "Definition"."""
    for label in (ev.section, str(ev.chunk.chunk.metadata.get("title", ""))):
        label = label.rstrip(":?+ ")
        if len(label.split()) >= 2 and subject_of(f"x {label}"):
            return label
    return ""


def _columns(header: str) -> str:
    parts = header.split(" ", 1)
    return f"columns: {parts[1] if len(parts) == 2 else header}"
