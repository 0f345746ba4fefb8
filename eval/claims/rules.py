"""General rewrite rules that turn a source unit into a claim: meaning-preserving ones (label "correct") and
ones that change exactly one thing (label "wrong").

Every rule is plain English grammar; none knows the corpora's words. The word lists below are general
English (auxiliaries, discourse markers, number words, units of measure, plain-word synonyms), each with a
comment saying why it is there. A rule returns None when it does not apply safely: skipping a unit costs
nothing, a mislabelled claim poisons the benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.text import STOPWORDS, normalize, tokens

# --- shapes -----------------------------------------------------------------------------------------
BULLET_MARK = re.compile(r"^\s*(?:[•\-*+·▪◦‣]|\d{1,3}[.)])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def body(text: str) -> str:
    """The unit's text without a bullet mark and surrounding whitespace, on one line."""
    return " ".join(BULLET_MARK.sub("", text).split())


def is_claim_like(text: str, kind: str) -> bool:
    """A declarative sentence (or a sentence-shaped bullet) that can stand alone as a claim."""
    text = body(text)
    if kind not in ("sentence", "bullet"):
        return False  # table rows are flattened cells, not sentences
    n_words = len(text.split())
    if not 6 <= n_words <= 55 or not text.endswith("."):
        return False
    if not (text[0].isupper() or text[0].isdigit()) or text.count('"') % 2 or text.count("(") != text.count(")"):
        return False
    if not re.search(r"[A-Za-z0-9)\"”’%]{2}\.$", text):
        return False  # ends in a stray mark or a cut-off token ("the extension .")
    return "?" not in text and ":" not in text[:-1].replace("://", "") or bool(re.search(r"\d:\d", text))


def strip_period(text: str) -> str:
    return text.rstrip().rstrip(".").rstrip()


def lower_first(text: str) -> str:
    """Lower-cases the first word when it is a function word (sentence-initial capital), else keeps it: a
    name ("Mount ...", "Vanadium") keeps its capital."""
    match = _WORD.match(text)
    first = match.group(0) if match else ""
    if first.lower() in STOPWORDS | DISCOURSE_START and (first == "A" or not first.isupper()):
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", normalize(text)))


# --- correct: light paraphrase ----------------------------------------------------------------------
# Discourse markers that only link a sentence to its neighbour: dropping one leaves the claim's content
# unchanged. Hedges ("Typically", "Generally", "Often") are deliberately absent: dropping them strengthens
# the claim.
DISCOURSE_MARKERS = (
    "However",
    "Moreover",
    "Furthermore",
    "Additionally",
    "In addition",
    "Also",
    "Indeed",
    "In fact",
    "Importantly",
    "Besides",
    "Similarly",
    "Likewise",
)
DISCOURSE_START = {m.lower() for m in DISCOURSE_MARKERS}

# English contractions and their expansions (both directions preserve meaning).
CONTRACTIONS = {
    "do not": "don't",
    "does not": "doesn't",
    "did not": "didn't",
    "is not": "isn't",
    "are not": "aren't",
    "was not": "wasn't",
    "were not": "weren't",
    "cannot": "can't",
    "will not": "won't",
    "would not": "wouldn't",
    "should not": "shouldn't",
    "has not": "hasn't",
    "have not": "haven't",
    "it is": "it's",
    "they are": "they're",
}
# Plain-English synonyms for formal or wordy phrases; each pair means the same in any context.
SYNONYMS = {
    "in order to": "to",
    "approximately": "about",
    "prior to": "before",
    "a variety of": "various",
    "numerous": "many",
    "utilize": "use",
    "utilizes": "uses",
    "utilise": "use",
    "utilises": "uses",
    "commence": "begin",
    "as well as": "and",
    "in charge of": "responsible for",
    "is able to": "can",
    "are able to": "can",
    "e.g.": "for example",
    "&": "and",
}
# Number words up to twelve: writing one as digits (or back) changes nothing. "one" is left out: it is
# also a pronoun ("one of the", "no one").
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
DIGIT_WORDS = {v: k for k, v in NUMBER_WORDS.items()}
# Wider table for the figure rule, which needs a different number word for any small count.
ALL_NUMBER_WORDS = {**NUMBER_WORDS, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}


def _sub_word(pattern: str, repl: str, text: str, count: int = 0) -> tuple[str, int]:
    """Whole-word, case-keeping replacement of `pattern` (a literal phrase)."""
    rx = re.compile(rf"(?<![\w-]){re.escape(pattern)}(?![\w-])", re.IGNORECASE)

    def keep_case(m: re.Match[str]) -> str:
        return upper_first(repl) if m.group(0)[0].isupper() else repl

    return rx.subn(keep_case, text, count=count)


def paraphrase(text: str) -> tuple[str, list[str]] | None:
    """The unit with every safe light rewrite applied; None when none applies (a verbatim copy would test
    nothing). Returns the claim and the names of the rewrites used."""
    claim, used = body(text), []
    for marker in DISCOURSE_MARKERS:
        if claim.startswith(marker + ", "):
            claim = upper_first(claim[len(marker) + 2 :])
            used.append("drop-marker")
            break
    for long, short in CONTRACTIONS.items():
        if re.search(rf"\b{re.escape(short)}\b", claim, re.IGNORECASE):
            claim, n = _sub_word(short, long, claim)
        else:
            claim, n = _sub_word(long, short, claim)
        if n:
            used.append("contraction")
    for phrase, plain in SYNONYMS.items():
        claim, n = _sub_word(phrase, plain, claim)
        if n:
            used.append("synonym")

    # number words <-> digits, only for a count of something ("two teams", "3 days")
    def word_to_digit(m: re.Match[str]) -> str:
        return str(NUMBER_WORDS[m.group(1).lower()]) + m.group(2)

    claim, n = re.subn(
        r"(?<![\w-])(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)( [a-z])",
        word_to_digit,
        claim,
    )
    if n:
        used.append("number-as-digits")
    else:

        def digit_to_word(m: re.Match[str]) -> str:
            return DIGIT_WORDS[int(m.group(1))] + m.group(2)

        claim, n = re.subn(r"(?<![\w.,:/–-])([2-9]|1[0-2])( [a-z])(?![\w]*[%])", digit_to_word, claim)
        if n:
            used.append("number-as-words")
    claim, n = re.subn(r"(\d)\s?%", r"\1 percent", claim)
    if n:
        used.append("percent")
    if not used or normalize(claim) == normalize(body(text)):
        return None
    return claim, used


# --- correct: merge and summary ---------------------------------------------------------------------
def merge(first: str, second: str) -> str | None:
    """Two neighbouring sentences as one, joined with "; " (the second's sentence capital lowered when it
    is a function word)."""
    a, b = body(first), body(second)
    if len(a) + len(b) > 420:
        return None
    return f"{strip_period(a)}; {lower_first(b)}"


# Trailing elaborations whose removal leaves the main clause's claim intact: an example list, a
# non-restrictive relative clause, a participle clause of consequence, a dash aside.
_TRAILING = [
    re.compile(r",\s+(?:such as|including|like|e\.g\.|for example|for instance|especially|particularly)\s+[^;]+$"),
    re.compile(r",\s+(?:which|where|who)\s+[^;]+$"),
    re.compile(r",\s+(?:ensuring|allowing|making|enabling|helping|leading|resulting|creating|providing)\s+[^;]+$"),
    re.compile(r"\s+[—–]\s+[^;]+$"),
]
PARENTHETICAL = re.compile(r"\s*\([^()]{1,120}\)")


def summary(text: str) -> str | None:
    """The unit's main clause: a trailing example list, relative or participle clause, dash aside, or any
    parenthetical removed. None when nothing substantial goes or too little is left."""
    full = strip_period(body(text))
    short = PARENTHETICAL.sub("", full)
    for rx in _TRAILING:
        cut = rx.search(short)
        if cut and re.search(r",\s+or\b|\bor\s+an?\b", cut.group(0)):
            return None  # the cut would drop an alternative ("A, where ..., or B"): "A" alone says less
        short = rx.sub("", short)
    if short.count('"') % 2 or short.count("“") != short.count("”"):
        return None
    short = short.strip(" ,;")
    if re.search(r"\b(not only|but also|between|both|either|neither|from)\s*\S*$", short):
        return None  # the cut left a construction waiting for its second half
    kept, gone = tokens(short), set(tokens(full)) - set(tokens(short))
    if len(short.split()) < 6 or len(gone) < 2 or len(short) > 0.8 * len(full) or len(kept) < 3:
        return None
    return short + "."


# --- wrong: a figure changed ------------------------------------------------------------------------
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
# a range "3–10", "3-10", "3 to 10", "between 3 and 10"
_RANGE = re.compile(
    rf"(?<![\w.,:/])(?P<a>{_NUMBER})(?P<sep>\s*[–—-]\s*|\s+to\s+|\s+and\s+)(?P<b>{_NUMBER})(?![\w.,:/]\d)(?!\w)"
)
_SINGLE = re.compile(rf"(?<![\w.,:/–-])(?P<n>{_NUMBER})(?![\w:/–-]|[.,]\d)")
_WORD_NUMBER = re.compile(
    r"(?<![\w-])(?P<w>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty)"
    r"(?P<rest>(?:\s+(?:to|or)\s+(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty))?)(?![\w-])",
    re.IGNORECASE,
)


def _parse(number: str) -> float:
    return float(number.replace(",", ""))


def _format_like(value: float, like: str) -> str:
    if "." in like:
        decimals = len(like.split(".")[1])
        return f"{value:.{decimals}f}"
    as_int = int(round(value))
    return f"{as_int:,}" if "," in like else str(as_int)


def _is_year(number: str) -> bool:
    return bool(re.fullmatch(r"1[5-9]\d\d|20\d\d", number))


def changed_number(number: str, pick: int) -> str:
    """A clearly different figure of the same form: a year moves by 7-19 years, a count grows ~1.5-3x."""
    value = _parse(number)
    if _is_year(number):
        return str(int(value) + (7 + pick % 13) * (1 if pick % 2 else -1))
    factor = (1.5, 2.0, 2.5, 3.0)[pick % 4]
    new = value * factor
    if "." not in number:
        new = round(new)
        if new == value:
            new = value + 2 + pick % 3
    return _format_like(new, number)


def change_figure(text: str, pick: int) -> tuple[str, str, str] | None:
    """(claim, old, new): one figure of the unit changed (a range moves as a whole). None when the unit has
    no figure, or the new one would occur in the unit already."""
    claim = body(text)
    present = words_of(claim)
    for match in _RANGE.finditer(claim):
        a, b = match.group("a"), match.group("b")
        if _is_year(a) != _is_year(b) or _parse(a) >= _parse(b):
            continue
        new_a, new_b = changed_number(a, pick), changed_number(b, pick + 1)
        if _parse(new_a) >= _parse(new_b):
            new_b = _format_like(_parse(new_a) * 2, b)
        new = f"{new_a}{match.group('sep')}{new_b}"
        if not words_of(new) & present:
            return claim[: match.start()] + new + claim[match.end() :], match.group(0), new
    for match in _SINGLE.finditer(claim):
        old = match.group("n")
        if _parse(old) == 0 or (len(old) == 1 and claim[match.end() : match.end() + 2] in (". ",)):
            continue
        new = changed_number(old, pick)
        if new not in present and new.replace(",", "") not in present:
            return claim[: match.start()] + new + claim[match.end() :], old, new
    for match in _WORD_NUMBER.finditer(claim):
        old = match.group("w")
        value = ALL_NUMBER_WORDS[old.lower()]
        choices = [w for w, v in ALL_NUMBER_WORDS.items() if v != value and v <= 12 and w not in present]
        if value > 12:
            choices = [w for w, v in ALL_NUMBER_WORDS.items() if v > 12 and v != value and w not in present]
        if not choices:
            continue
        new = choices[pick % len(choices)]
        new = upper_first(new) if old[0].isupper() else new
        # "five to eight" -> one number: the range is replaced as a whole
        return claim[: match.start()] + new + claim[match.end() :], match.group(0), new
    return None


# --- wrong: a unit of measure changed ---------------------------------------------------------------
# Units of measure (general English), each with a different unit of the same dimension to swap in.
UNIT_SWAPS = {
    "second": "minute",
    "minute": "hour",
    "hour": "day",
    "day": "week",
    "week": "month",
    "month": "year",
    "year": "month",
    "decade": "century",
    "quarter": "year",
    "century": "decade",
    "metre": "kilometre",
    "meter": "kilometer",
    "kilometre": "metre",
    "kilometer": "meter",
    "centimetre": "metre",
    "millimetre": "centimetre",
    "mile": "kilometre",
    "kg": "g",
    "gram": "kilogram",
    "kilogram": "gram",
    "tonne": "kilogram",
    "km": "m",
    "cm": "mm",
    "litre": "millilitre",
}
_NUM_WORDS_RX = "|".join(ALL_NUMBER_WORDS)
_UNIT_RX = re.compile(
    rf"(?P<num>(?:{_NUMBER}|{_NUM_WORDS_RX})(?:\s*(?:[–—-]|to|and)\s*(?:{_NUMBER}|{_NUM_WORDS_RX}))?)"
    rf"(?P<gap>\s+(?:[a-z]+\s+)?)(?P<unit>{'|'.join(sorted(UNIT_SWAPS, key=len, reverse=True))})(?P<pl>s?)\b",
    re.IGNORECASE,
)
# adjectives that may stand between a number and its unit ("10 working days", "two calendar weeks")
_UNIT_ADJECTIVES = {"working", "business", "calendar", "full", "square", "cubic", "consecutive", "more", "additional"}


def change_unit(text: str) -> tuple[str, str, str] | None:
    """(claim, old, new): the unit after a figure swapped for another of the same dimension."""
    claim = body(text)
    for match in _UNIT_RX.finditer(claim):
        gap_word = match.group("gap").strip()
        if gap_word and gap_word.lower() not in _UNIT_ADJECTIVES:
            continue
        old_unit = match.group("unit")
        new_unit = UNIT_SWAPS[old_unit.lower()]
        if gap_word.lower() in ("working", "business") and new_unit not in ("day", "week", "month"):
            new_unit = "week"
        plural = match.group("pl")
        if old_unit.lower() == "percent":
            new_word = "times"
            plural = ""
            if gap_word:
                continue
        else:
            new_word = new_unit + (plural if new_unit not in ("century",) else "")
            if new_unit == "century" and plural:
                new_word = "centuries"
        if new_word.lower() in words_of(claim):
            continue
        old = match.group(0)
        new = match.group("num") + match.group("gap") + new_word
        return claim[: match.start()] + new + claim[match.end() :], old, new
    return None


# --- wrong: negation --------------------------------------------------------------------------------
# Auxiliaries after which "not" negates the clause. Possibility modals ("may", "might", "could") are left
# out: "X may do Y" and "X may not do Y" can both be true.
AUXILIARIES = ("is", "are", "was", "were", "can", "will", "would", "should", "must", "has been", "have been")
# Words that start a subordinate clause: an auxiliary after one of them may not be the main clause's.
SUBORDINATORS = {
    "which",
    "that",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "while",
    "if",
    "because",
    "although",
    "though",
    "unless",
    "whether",
    "as",
    "since",
    "once",
}
_NEGATIVE = re.compile(r"\b(not|never|no|cannot|nor|neither|without)\b|n't\b", re.IGNORECASE)
# "not" would read as part of a fixed phrase here, not as a negation of the claim
_FIXED_NOT = re.compile(r"\b(not only|not just|whether or not|if not|not necessarily)\b", re.IGNORECASE)


def negate(text: str) -> tuple[str, str] | None:
    """(claim, how): "not" inserted after the main clause's auxiliary, or the unit's one negation removed
    ("cannot" -> "can", "is not" -> "is", "never X" -> "X")."""
    claim = body(text)
    if _FIXED_NOT.search(claim):
        return None
    negatives = _NEGATIVE.findall(claim)
    if negatives:
        if len(negatives) != 1:
            return None
        for pattern, repl in (
            (r"\bcannot\b", "can"),
            (r"\bcan't\b", "can"),
            (r"\b(is|are|was|were|do|does|did|has|have|had|should|must|will|would)n't\b", r"\1"),
            (r"\b(is|are|was|were|can|will|would|should|must|do|does|did|has|have|had) not\b", r"\1"),
            (r"\bnever\s+", ""),
        ):
            new, n = re.subn(pattern, repl, claim, count=1, flags=re.IGNORECASE)
            if n:  # "does not apply" -> "does apply": emphatic, but grammatical and the opposite claim
                return upper_first(new), "removed"
        return None
    words = claim.split()
    if words[0].lower().strip(",") in SUBORDINATORS | {"unlike", "after", "before", "until"}:
        return None  # the sentence opens with a subordinate clause: its first auxiliary is not the main one
    for i, word in enumerate(words):
        bare = word.lower().strip(",;")
        if bare in SUBORDINATORS and i > 0:
            return None  # an auxiliary past this point may belong to a subordinate clause
        if bare in AUXILIARIES and word == word.lower() and i > 0 and not word.endswith(","):
            following = words[i + 1].lower() if i + 1 < len(words) else ""
            if following in ("not", "also", "often", "only", "just", "even") or not following:
                return None
            if bare == "can":
                words[i] = word.replace("can", "cannot")
            else:
                words.insert(i + 1, "not")
            return " ".join(words), "inserted"
        if " ".join((bare, words[i + 1].lower() if i + 1 < len(words) else "")) in AUXILIARIES and i > 0:
            words.insert(i + 1, "not")
            return " ".join(words), "inserted"
    return None


# --- wrong: appended comparison, appended clause ----------------------------------------------------
COMPARISON_TEMPLATES = (
    "{claim}, more so than {other}.",
    "{claim}, twice as much as {other}.",
    "{claim}, unlike {other}.",
    "{claim}, more than anyone else, including {other}.",
)


def add_comparison(text: str, other: str, pick: int) -> str:
    """The unit with an invented comparison or superlative involving `other`, a name the quote never
    mentions."""
    return COMPARISON_TEMPLATES[pick % len(COMPARISON_TEMPLATES)].format(claim=strip_period(body(text)), other=other)


_CLAUSE_OK_START = re.compile(r"^(the|a|an|most|many|some|each|every|all)\b", re.IGNORECASE)


def append_clause(text: str, clause_unit: str) -> str | None:
    """The unit with another unit's sentence attached as ", and ..." (a fact the quote does not state).
    The clause must open with its own noun phrase (not a pronoun that would point back into the unit)."""
    clause = strip_period(body(clause_unit))
    if not _CLAUSE_OK_START.match(clause) or ";" in clause or len(clause.split()) > 25:
        return None
    return f"{strip_period(body(text))}, and {lower_first(clause)}."


# --- entities ---------------------------------------------------------------------------------------
# Connectors that may sit inside a name ("Head of Product", "Bay of Biscay").
_CONNECTORS = ("of", "of the", "for", "and the")
_CAP = r"(?:[A-Z][\w'’\-/&.]*\w|[A-Z])"
ENTITY_RUN = re.compile(rf"(?<![\w'’-]){_CAP}(?:\s+(?:(?:of|for|of the)\s+)?{_CAP})*")


def entity_runs(text: str) -> Iterable[tuple[int, int, str]]:
    """Capitalised runs ("Head of Product", "CEO", "Mount Tarvo"), with offsets; a sentence-initial
    article or function word is not part of a run."""
    for m in ENTITY_RUN.finditer(text):
        start, run = m.start(), m.group(0)
        run_words = run.split()
        while run_words and run_words[0].lower() in STOPWORDS | DISCOURSE_START:
            start = text.index(run_words[1], start) if len(run_words) > 1 else m.end()
            run_words = run_words[1:]
        while run_words and run_words[-1].lower() in ("of", "for", "the"):
            run_words = run_words[:-1]
        if run_words:
            run = " ".join(run_words)
            if run.endswith(("'s", "’s")):
                run = run[:-2]
            yield start, start + len(run), run


def initials(name: str, with_connectors: bool) -> str:
    parts = [
        w for w in name.replace("-", " ").split() if with_connectors or w.lower() not in ("of", "for", "the", "and")
    ]
    return "".join(w[0] for w in parts).upper()


def plural(name: str) -> str:
    """English plural of a name's head word ("Head of Product" -> "Heads of Product", "CEO" -> "CEOs")."""
    parts = name.split(" ")
    head = parts.index("of") - 1 if "of" in parts else len(parts) - 1
    word = parts[head]
    if word.isupper():
        parts[head] = word + "s"
    elif re.search(r"[^aeiou]y$", word):
        parts[head] = word[:-1] + "ies"
    elif re.search(r"(s|sh|ch|x|z)$", word):
        parts[head] = word + "es"
    else:
        parts[head] = word + "s"
    return " ".join(parts)


def same_entity(a: str, b: str) -> bool:
    """Whether two names may denote the same thing: one's words contain the other's (stemmed), or one is
    the other's initials ("Chief Product Officer" / "CPO"), or one is the other's plural."""
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb or ta <= tb or tb <= ta:
        return True
    na, nb = normalize(a), normalize(b)
    for x, y in ((a, b), (b, a)):
        if y.replace(".", "").isupper() and y.replace(".", "") in (initials(x, True), initials(x, False)):
            return True
    return na in (normalize(plural(b)),) or nb in (normalize(plural(a)),)


def mentions(text: str, name: str) -> bool:
    """Whether `text` names `name` (or its plural), as whole words, case-insensitively."""
    text = normalize(text)
    return any(re.search(rf"(?<![\w-]){re.escape(normalize(form))}(?![\w-])", text) for form in (name, plural(name)))
