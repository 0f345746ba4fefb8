"""What kind of answer a question's wording asks for, and whether a passage gives one.

"How heavy is a manul?" asks for a weight, and its answer ("Adults weigh between 2.5 and 4.5 kg") need not
repeat "heavy"; "When did the fire start?" asks for a date; "Who wrote it?" for a name. Classic question
answering calls this the expected answer type. Every pattern here is general English: question words and
the units and shapes that answers of each type use, never the vocabulary of one corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rag.text import MONTH_NAMES, tokens, words

# A number: thousands groups ("1,284"), an optional decimal part ("2.5"); a version or date ("3.11.7",
# "26.11.2026") reads as several numbers.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "thousand": 1000, "million": 1e6, "dozen": 12,
}  # fmt: skip
# Units English text writes next to a figure of each kind.
_UNITS = {
    "duration": r"\b(seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|decades?|centuries|"
    r"quarterly|annual(ly)?)\b",
    "length": r"\b(mm|cm|m|km|metres?|meters?|kilomet(re|er)s?|feet|foot|ft|inch(es)?|miles?|mi|yards?|"
    r"square|sq|hectares?|acres?|km²|m²)\b",
    "weight": r"\b(mg|g|kg|grams?|kilo(gram)?s?|tonnes?|tons?|pounds?|lbs?|ounces?|oz)\b",
    "money": r"[$€£¥]|\b(usd|eur|gbp|dollars?|euros?|pounds?|cents?)\b",
    "percent": r"%|\bper ?cent\b",
    "speed": r"\b(km/h|kph|mph|knots?|per (hour|second)|m/s)\b",
    "temperature": r"°|\bdegrees?\b",
    "headcount": r"\b(employees|people|persons?|reports|staff|headcount|members|workers|inhabitants|residents)\b",
    "age": r"\b(years? old|aged?|age of)\b",
}  # fmt: skip
_UNIT_PATTERNS = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _UNITS.items()}
_MONTHS = rf"({MONTH_NAMES})"
_DATE = re.compile(rf"\b(1\d{{3}}|20\d{{2}})s?\b|\b{_MONTHS}\b|\b\d{{1,2}}(st|nd|rd|th)? century\b|\b(BC|AD|BCE|CE)\b")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*|[A-Z]{2,})\b")
_PLACE = re.compile(r"\b(in|at|on|near|from|into|across|along|outside|inside)\s+(the\s+)?([A-Z][\w'-]+)")


@lru_cache(maxsize=65536)
def numbers_in(text: str) -> frozenset[float]:
    """The numbers a text states, in digits or words (cached: units recur across questions)."""
    found = {float(n.replace(",", "")) for n in _NUMBER.findall(text)}
    found.update(float(_NUMBER_WORDS[w]) for w in words(text) if w in _NUMBER_WORDS)
    return frozenset(found)


_ANY_NUMBER = re.compile(_NUMBER.pattern + r"|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
FIGURE_REACH = 30  # characters after a number (6 before it, for "EUR 25") in which its unit must stand


def _figure(*units: str) -> Callable[[str, str], bool]:
    """A new number (one the question does not already have) with a unit of one of these kinds next to it:
    "3–5 year vision" states a duration, not the size its sentence's "headcount" might suggest."""

    def states(text: str, question: str) -> bool:
        asked = numbers_in(question)
        for match in _ANY_NUMBER.finditer(text):
            if numbers_in(match.group(0)) <= asked:
                continue
            window = text[max(0, match.start() - 6) : match.end() + FIGURE_REACH]
            if any(_UNIT_PATTERNS[u].search(window) for u in units):
                return True
        return False

    return states


_COUNTED_UNIT = re.compile(r"\bhow many (seconds|minutes|hours|days|weeks|months|years)\b", re.IGNORECASE)


def _states_duration(text: str, question: str) -> bool:
    """A duration; in the unit the question counts, when it names one ("how many hours" wants hours)."""
    if not _figure("duration")(text, question):
        return False
    counted = _COUNTED_UNIT.search(question)
    return counted is None or re.search(rf"\b{counted.group(1)[:-1]}s?\b", text, re.IGNORECASE) is not None


# The attribute a length question asks about, and the words a passage stating it uses ("depth" is not told
# by a passage giving the river's length).
_ATTRIBUTES = (
    (re.compile(r"\b(deep|depth)\b", re.I), re.compile(r"\b(deep|depth)", re.I)),
    (
        re.compile(r"\b(tall|high|height|elevation|altitude)\b", re.I),
        re.compile(r"\b(tall|high|height|elevation|altitude|above sea)", re.I),
    ),
    (re.compile(r"\b(wide|width|breadth)\b", re.I), re.compile(r"\b(wide|width|broad|breadth|across)", re.I)),
    (re.compile(r"\b(area|big is the area)\b", re.I), re.compile(r"\b(area|square|hectares?|acres?)|km²|m²", re.I)),
)  # fmt: skip


def _states_length(text: str, question: str) -> bool:
    if not _figure("length", "duration")(text, question):
        return False
    for asked, stated in _ATTRIBUTES:
        if asked.search(question):
            return bool(stated.search(text))
    return True


def _names_absent_from(text: str, pattern: re.Pattern[str], question: str, group: int = 0) -> bool:
    asked = set(tokens(question))
    return any(set(tokens(m.group(group))) - asked for m in pattern.finditer(text))


def _states_date(text: str, question: str) -> bool:
    return _names_absent_from(text, _DATE, question)


def _states_name(text: str, question: str) -> bool:
    return _names_absent_from(text, _NAME, question)


def _states_place(text: str, question: str) -> bool:
    return _names_absent_from(text, _PLACE, question, group=3)


@dataclass(frozen=True)
class AnswerType:
    name: str
    asks: re.Pattern[str]  # the question wording that asks for it
    states: Callable[[str, str], bool]  # (passage, question) -> does the passage give such an answer?
    hints: str = ""  # words such answers use: added to the keyword search
    numeric: bool = True  # a figure: sources giving different ones disagree


def _asks(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# First match wins: the more specific wordings come first ("how long does it take" before "how long is").
ANSWER_TYPES = (
    AnswerType("percent", _asks(r"\b(what|which) (percentage|percent|share|proportion)\b|\bhow many percent\b|"
               r"\bwhat % "), _figure("percent"), "percent"),
    AnswerType("money", _asks(r"\bhow much (money|\w+ (cost|pay|paid|earn|charge|spend|worth))\b|"
               r"\bhow much (does|do|did|is|are|was|will|would)\b.*\b(cost|pay|paid|earn|charge|spend|worth|"
               r"budget|allowance|limit|reimburs\w*)\b|\bwhat (is|was|are) the (price|cost|fee|salary|budget|"
               r"allowance|limit)\b|\b(size|amount) (of|is|are|was) (the |a |an |their |its )?(\w+ ){0,2}"
               r"(budget|salary|fund|revenue|spend|pay|fee)"), _figure("money")),
    AnswerType("weight", _asks(r"\bhow (heavy|light)\b|\bweigh(s|ed|t)?\b"), _figure("weight"), "kg weigh"),
    AnswerType("speed", _asks(r"\bhow fast\b|\b(speed|velocity)\b"), _figure("speed")),
    AnswerType("temperature", _asks(r"\bhow (hot|cold|warm)\b|\btemperature\b"), _figure("temperature")),
    AnswerType("age", _asks(r"\bhow old\b|\bat what age\b"), _figure("age", "duration")),
    AnswerType("duration", _asks(r"\bhow (long|soon) (does|do|did|will|would|can|should|to|until|before|after)\b|"
               r"\bhow (far|long|soon) (ahead|out|in advance)\b|\btime ?frame\b|\bhow many (years|months|weeks|"
               r"days|hours|minutes)\b|\bhow often\b"), _states_duration, "months years weeks days"),
    AnswerType("length", _asks(r"\bhow (tall|high|deep|wide|far|long|big is the area)\b|\b(height|length|depth|"
               r"width|distance|area|elevation)\b"), _states_length, "metres kilometres km long"),
    AnswerType("size", _asks(r"\b(what size|how (big|large))\b"), _figure("headcount", "length"), "employees people"),
    AnswerType("date", _asks(r"^\s*(and\s+)?when\b|\bwhat (year|date|day|month|century|decade)\b|"
               r"\bin (which|what) (year|century|decade|month)\b|\bsince when\b"), _states_date, "", False),
    AnswerType("place", _asks(r"^\s*(and\s+)?where\b|\bin (which|what) (country|city|town|region|state|place|"
               r"building|room|floor)\b|\bwhat (country|city|town|region|place)\b"), _states_place, "", False),
    AnswerType("person", _asks(r"^\s*(and\s+)?(who|whom|whose)\b|\b(which|what) (person|people|author|writer|"
               r"company|organi[sz]ation|king|queen|ruler|president|scientist)\b"), _states_name, "", False),
)  # fmt: skip


@lru_cache(maxsize=4096)
def answer_type(question: str) -> AnswerType | None:
    return next((t for t in ANSWER_TYPES if t.asks.search(question)), None)


def answer_hints(question: str) -> list[str]:
    """Extra keywords for the lexical search: the words answers of the question's type use."""
    kind = answer_type(question)
    return tokens(kind.hints) if kind and kind.hints else []


def measures_in(text: str) -> set[str]:
    """What kinds of quantity a text states (durations, percentages, headcounts, money, lengths, ...)."""
    return {name for name, pattern in _UNIT_PATTERNS.items() if pattern.search(text)}
