"""Does a quote say what a claim says? The content checks of the LLM grounding guard.

Similarity tells whether a sentence is *about* what its quote is about; these checks tell whether it *says* it:

- every figure of the claim (digits, number words, ranges, percentages, money) is in the quote with the same
  value, and with the same unit when both name one;
- every name, title or acronym of the claim is in the quote, its headings, or the question;
- the subject the claim gives a fact to is the quote's subject (named in the quote or the headings it sits
  under), not merely one the question mentions;
- negation agrees;
- a comparison or superlative needs a quote that makes it;
- each clause of a claim is backed by the quote: an appended clause with facts of its own is not.

Everything is general English and regular expressions over the two texts: a few milliseconds a claim whose
texts are all new, less where a quote was read before (each text is parsed once and kept).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from rapidfuzz.distance import OSA

from rag.sentences import claim_sentences
from rag.text import MONTH_NAMES, STOPWORDS, WEEKDAY_NAMES, normalize, stem
from rag.text import words as split_words

_T = TypeVar("_T", bound=Callable[..., object])
_TEXT_CACHES: list[Any] = []


def _text_cache(maxsize: int) -> Callable[[_T], _T]:
    """`lru_cache` for a pure function of texts. A quote is read by many checks, and by every sentence that
    cites it, so each text is parsed once; `clear_caches` forgets them all."""

    def wrap(function: _T) -> _T:
        cached = lru_cache(maxsize=maxsize)(function)
        _TEXT_CACHES.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def words(text: str) -> list[str]:
    return list(_words(text))


@_text_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(split_words(text))


def clear_caches() -> None:
    """Forget every text read so far, so a benchmark times an answer whose texts are all new to the checks."""
    for cached in _TEXT_CACHES:
        cached.cache_clear()


# --- figures ----------------------------------------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
# A figure: an optional currency sign, a number with an optional scale ("150k", "2 million"), an optional
# second bound ("5-8", "5 to 8", "between 5 and 8"), and what follows it (percent sign, or a unit word).
_SCALED = rf"(?:{_NUMBER})(?:(?:k|mn|bn|m)\b|\s(?:thousand|million|billion)\b)?"
_FIGURE = re.compile(
    rf"(?P<cur>[$€£¥])?\s?(?P<a>{_SCALED})(?P<plus>\+)?"
    rf"(?:\s*(?:-|–|—|to|or|and)\s*[$€£¥]?\s?(?P<b>{_SCALED}))?"
    r"(?P<pct>\s?%|\s?per ?cent\b)?(?P<deg>\s?°\s?[CFK]\b)?"
    r"(?:(?:\s+|-)(?P<unit>[a-z]+)(?:\s+(?P<unit2>[a-z]+))?)?",
    re.IGNORECASE,
)
_SCALED_PARTS = re.compile(rf"(?P<n>{_NUMBER})\s?(?P<scale>[a-z]+)?", re.IGNORECASE)


# Measurement units in general English, by canonical name: two figures with different units say different
# things ("5 months" is not "5 years"). Other nouns after a number ("8 engineers") are not compared: a
# paraphrase may call them something else.
_UNIT_WORDS = {
    "second": "second", "seconds": "second", "sec": "second", "secs": "second",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week",
    "month": "month", "months": "month", "quarter": "quarter", "quarters": "quarter",
    "year": "year", "years": "year", "yr": "year", "yrs": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century",
    "mm": "mm", "cm": "cm", "m": "metre", "metre": "metre", "metres": "metre", "meter": "metre",
    "meters": "metre", "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "mile": "mile", "miles": "mile", "foot": "foot", "feet": "foot", "ft": "foot", "inch": "inch",
    "inches": "inch", "mg": "mg", "g": "gram", "gram": "gram", "grams": "gram", "kg": "kg",
    "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg", "tonne": "tonne", "tonnes": "tonne",
    "ton": "tonne", "tons": "tonne", "pound": "pound", "pounds": "pound", "lb": "pound", "lbs": "pound",
    "dollar": "dollar", "dollars": "dollar", "usd": "dollar", "euro": "euro", "euros": "euro", "eur": "euro",
    "cent": "cent", "cents": "cent", "percent": "%", "degree": "degree", "degrees": "degree",
    "times": "times", "x": "times", "hectare": "hectare", "hectares": "hectare", "acre": "acre", "acres": "acre",
    "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre", "ml": "ml", "millilitre": "ml",
    "millilitres": "ml", "gallon": "gallon", "gallons": "gallon",
    "millimetre": "mm", "millimetres": "mm", "millimeter": "mm", "millimeters": "mm", "centimetre": "cm",
    "centimetres": "cm", "centimeter": "cm", "centimeters": "cm", "milligram": "mg", "milligrams": "mg",
    "yard": "yard", "yards": "yard", "ounce": "ounce", "ounces": "ounce", "oz": "ounce", "pint": "pint",
    "pints": "pint", "knot": "knot", "knots": "knot", "mph": "mph", "kph": "kph",
}  # fmt: skip
# "125 square kilometres" is an area, not a length.
_UNIT_POWERS = {"square": "square", "sq": "square", "cubic": "cubic"}
_POWER_SIGNS = {"²": "square", "³": "cubic"}
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
# Temperature scales: "1,910 °C" is not "1,910 °F" ("degrees" alone names no scale).
_DEGREES = {"C": "celsius", "F": "fahrenheit", "K": "kelvin"}
_SCALE_NAMES = {"celsius", "centigrade", "fahrenheit", "kelvin"}
# Number words text2num leaves alone on purpose ("one of them" is not a figure), taken as figures only where
# a figure stands: in a range ("one to two quarters") or before a unit ("two years").
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_WORD = "|".join(_WORD_NUMBERS)
_WORD_RANGE = re.compile(rf"\b({_WORD})\s*(-|–|to|or)\s*({_WORD})\b", re.IGNORECASE)
# (a qualifier of general English may stand between: "two working days", "one full year")
_UNIT_QUALIFIER = r"(?:working|business|calendar|full|whole|consecutive|clear|school|banking)\s+"
_WORD_BEFORE_UNIT = re.compile(  # (not the units of "twenty-five", which text2num reads whole)
    rf"(?<!-)\b({_WORD})\b(?=[\s-]+(?:{_UNIT_QUALIFIER})?(?:{'|'.join(_UNIT_WORDS)})\b)", re.IGNORECASE
)
_UNDER_HUNDRED = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_HYPHENED_NUMBER_WORD = re.compile(
    rf"\b((?:{_UNDER_HUNDRED})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)-(?=(?:{'|'.join(_UNIT_WORDS)})\b)",
    re.IGNORECASE,
)
# A number word joined to the noun it counts: "a six-digit PIN" is a 6-digit one, as "a 6-digit PIN" is ("one-off"
# and "one-way" say no count).
_HYPHENED_COUNT = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten)-(?!fold\b)(?=[a-z]{3,}\b)", re.IGNORECASE
)
_NUMBERS_JOINED = re.compile(rf"\b(?:{_UNDER_HUNDRED})\s+and\s+(?=(?:a|{_UNDER_HUNDRED})\b)", re.IGNORECASE)
_OF_FIGURE = re.compile(r"\s+of\s+\d")
_CENTURY = re.compile(r"\b([1-9]|[12]\d)(?:st|nd|rd|th)[\s-]+century\b", re.IGNORECASE)
_QUANTITY_PHRASES = re.compile(r"\b(a couple of|a dozen|half an?)\b", re.IGNORECASE)
_PHRASE_VALUES = {"a couple of": "2", "a dozen": "12", "half a": "0.5", "half an": "0.5"}
# Fractions of a whole, as percentages, so "roughly half of the land" is not "a third of the land" and "a
# quarter of the budget" is "25% of the budget". Only before "of"/a determiner: "half" elsewhere compares
# ("half as long") and "a quarter" alone may be three months.
_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                   "fifths": 5, "tenth": 10, "tenths": 10}  # fmt: skip
_FRACTION = re.compile(
    # "the second half of the century" is a period, not a share
    r"(?<!first )(?<!second )(?<!other )(?<!latter )(?<!later )(?<!early )(?<!last )"
    r"\b(?:(?P<num>a|an|one|two|three|four|nine|[1-9])[\s-]+)?(?P<den>half|halves|thirds?|quarters?|fifths?|tenths?)"
    r"(?=\s+(?:of|the|its|their|his|her|all)\b)"
    # "over half", "more than half": a share, whatever follows
    r"|(?<=over )(?P<den2>half)\b|(?<=than )(?P<den3>half)\b(?! as)",
    re.IGNORECASE,
)
_FRACTION_OF_UNIT = re.compile(
    r"\b(?:(?P<num>a|an|one|two|three|[1-9])[\s-]+)?(?P<den>thirds?|quarters?|fifths?|tenths?)\s+of\s+(?:a|an)\s+"
    r"(?P<unit>second|minute|hour|day|week|month|year|decade|century|metre|meter|kilometre|kilometer|mile)\b",
    re.IGNORECASE,
)
_NUMERATORS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "nine": 9}
# "within a year", "after a month": the article counts one of a unit, so "a quarter" there is not "a year"
# ("a single quarter", "a full year" too).
# Only after words that take a span, so "once a year" (a rate) is left alone.
_ONE_OF_UNITS = (
    "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century", "metre", "meter",
    "kilometre", "kilometer", "mile", "kilogram", "tonne",
)  # fmt: skip
_ONE_UNIT = re.compile(
    r"\b(?P<lead>within|in|after|for|about|around|over|under|than|nearly|almost|roughly|only|just|"
    rf"approximately)\s+(?:a|an|one)(?:\s+(?:single|full|whole|mere))?\s+(?P<unit>{'|'.join(_ONE_OF_UNITS)})\b(?!\s+of\b)",
    re.IGNORECASE,
)
# One of a unit where no lead word says so: "within a day of discovery", "a day or so ahead", and an answer that
# is the span alone ("A month, for legal reasons.").
_ONE_UNIT_UNLED = [
    re.compile(rf"\b(?P<lead>within)\s+(?:a|an|one)\s+(?P<unit>{'|'.join(_ONE_OF_UNITS)})\b(?=\s+of\b)", re.I),
    re.compile(rf"(?P<lead>)\b(?:a|an)\s+(?P<unit>{'|'.join(_ONE_OF_UNITS)})\b(?=\s+or\s+(?:so|two)\b)", re.I),
    re.compile(rf"(?P<lead>^\W*)(?:a|an)\s+(?P<unit>{'|'.join(_ONE_OF_UNITS)})\b(?=\s*(?:[,.;:!]|$))", re.I),
]
# One of a unit counted from a date: "the day before your start date", "a week after launch".
_ONE_UNIT_APART = re.compile(
    rf"\b(?:a|an|one|the)\s+(?P<unit>{'|'.join(_ONE_OF_UNITS)})\s+(?P<side>before|after|earlier|later)\b",
    re.IGNORECASE,
)
# ("the day before" as `in_digits` writes it, to tell it from a span the quote states)
_ONE_UNIT_APART_READ = re.compile(rf"1 (?:{'|'.join(_ONE_OF_UNITS)}) (?:before|after|earlier|later)", re.IGNORECASE)
# How often: "quarterly" is not "annual", "once a week" not "once a month". Compared only where the quote says
# how often too, since "daily life" or "an annual report" need not state a frequency.
_FREQUENCY_WORDS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter",
                    "annual": "year", "annually": "year", "yearly": "year"}  # fmt: skip
_PERIODS = "hour|day|week|month|quarter|year"
_FREQUENCY = re.compile(
    rf"\b(?P<word>{'|'.join(_FREQUENCY_WORDS)})\b|"
    r"\b(?P<lead>every|each|per|once|twice|times|euros?|dollars?|pounds?|\d+)\s+(?:an?\s+)?"
    rf"(?P<unit>{_PERIODS})\b|"
    # "every Monday", "on Mondays": once a week
    rf"\b(?:every\s+(?P<weekday>{WEEKDAY_NAMES})\b|"
    r"(?<!except )(?<!from )(?<!but )(?<!than )(?<!closed )on\s+"
    rf"(?P<weekdays>(?:{WEEKDAY_NAMES})s)\b)",
    re.IGNORECASE,
)


# Words of how often that only ever say it: "annual" also names terms ("annual leave", "annual salary").
_PERIODIC_ADVERBS = {"hourly", "daily", "weekly", "monthly", "quarterly", "yearly"}
# A source with one of these says how often in words the frequency parser does not read ("every morning").
_SOME_FREQUENCY = re.compile(r"\b(?:every|each|per|annum|once|twice)\b", re.IGNORECASE)


def frequency_word_added(claim: str, source: str) -> bool:
    """A word of how often ("weekly") in the claim where the source says nothing of how often and has no word
    of its period ("week", "everyday", "day-to-day"): "weekly reviews" for "reviews" adds a frequency."""
    if _SOME_FREQUENCY.search(source):
        return False
    said = set(words(source))
    return any(
        word in _PERIODIC_ADVERBS and not {_FREQUENCY_WORDS[word], f"every{_FREQUENCY_WORDS[word]}"} & said
        for word in words(claim)
    )


# A frequency said outright ("once a week", "every month", "twice a year"): a figure the quote must give.
_HOW_OFTEN = re.compile(rf"\b(?:once|twice|\w+ times|every|each)\s+(?:an?\s+)?(?:{_PERIODS})\b", re.IGNORECASE)


_PER_PERIOD = re.compile(rf"\b(?:a|an|per|each|every)\s+(?:{_PERIODS})\b", re.IGNORECASE)


def frequencies(text: str) -> set[str]:
    found = set()
    for m in _FREQUENCY.finditer(text):
        if m["word"]:
            found.add(_FREQUENCY_WORDS[m["word"].lower()])
        else:
            found.add(m["unit"].lower() if m["unit"] else "week")
    return found


# What a figure is counted per: "EUR 60 per meal" is not "EUR 60 per day". The quote may say it with "each",
# "every" or an article ("a night"); the claim's "per" must name one of the quote's.
_CLAIM_RATE = re.compile(r"\bper\s+(?!cent\b|se\b)(\w+)", re.IGNORECASE)  # "per cent" is a share
_QUOTE_RATE = re.compile(r"\b(?:per|each|every|a|an)\s+(\w+)(?:\s+(\w+))?", re.IGNORECASE)
_RATE_WORDS = {"annum": "year", "head": "person", "capita": "person", "diem": "day"}  # Latin and idiom


def rate_changed(claim: str, quote: str) -> str | None:
    if not _CLAIM_RATE.search(quote):
        return None

    def named(word: str) -> str:  # ("per km" is "per kilometre")
        return stem(_UNIT_WORDS.get(word.lower(), _RATE_WORDS.get(word.lower(), word.lower())))

    # "per calendar year": the word after a modifier counts too; "annually" says per year
    counted_per = {named(w) for m in _QUOTE_RATE.finditer(quote) for w in m.groups() if w} | {
        named(f) for f in frequencies(quote)
    }
    return next((m[0] for m in _CLAIM_RATE.finditer(claim) if named(m[1]) not in counted_per), None)


# A change by a multiple is a figure: "tripled" is not "doubled".
_MULTIPLES = {"twice": 2, "doubled": 2, "doubling": 2, "twofold": 2, "thrice": 3, "tripled": 3, "tripling": 3,
              "trebled": 3, "threefold": 3, "quadrupled": 4, "fourfold": 4, "halved": 0.5}  # fmt: skip
_MULTIPLE = re.compile(rf"\b({'|'.join(_MULTIPLES)})\b", re.IGNORECASE)
_DIGIT_SCALE = re.compile(r"(\d)\s+(thousand|million|billion)\b", re.IGNORECASE)
_SHORT_SCALE = {"thousand": "k", "million": "mn", "billion": "bn"}


@dataclass(frozen=True)
class Figure:
    low: float
    high: float
    unit: str  # canonical measurement unit, or "" when none is named
    text: str
    counted: str = ""  # without a unit: the stem of the word after the figure ("3 strings" -> "string")


# The number words text2num reads: every word of the 80,000-word English vocabulary (rag.spelling) that it
# changes, alone or in a phrase (tests/test_claims.py repeats the search), with "trillion" beside "billion".
_NUMBER_WORDS = frozenset(
    """zero zeros nought noughts one ones two twos three threes four fours five fives six seven sevens eight
    eights nine nines ten tens eleven elevens twelve twelves thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand
    thousands million millions billion billions trillion first firsts second third thirds fourth fourths
    fifth fifths sixth sixths seventh eighth eighths ninth tenth tenths eleventh twelfth thirteenth
    fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth
    sixtieth seventieth eightieth ninetieth hundredth hundredths thousandth thousandths millionth
    millionths billionth billionths""".split()  # noqa: SIM905 - a word list reads better as text
)
# Every word a reading of `in_digits` starts from: the parser's, and those of the rules above.
_NUMBER_TRIGGERS = _NUMBER_WORDS.union(
    _WORD_NUMBERS, _MULTIPLES, _FRACTION_WORDS, _ONE_OF_UNITS, ("couple", "dozen", "half", "halves")
)
_LETTER_RUN = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")


def _may_hold_number(text: str) -> bool:
    """Whether `in_digits` could change the text: a digit, or a word one of its readings starts from."""
    if _DIGIT.search(text):
        return True
    return not _NUMBER_TRIGGERS.isdisjoint(_LETTER_RUN.findall(text.lower()))


@_text_cache(maxsize=4096)
def in_digits(text: str, every_number: bool = False) -> str:
    """Number words written as digits ("five to eight years" -> "5 to 8 years"), so both sides compare.

    A claim's "one" or "two" counts as a figure only where a figure stands (before a unit, in a range); a
    quote's are all read (`every_number`), so "the 2 roles" finds "the two roles".
    """
    # Most clauses hold no number: they skip a dozen regular-expression passes and the parser.
    return _read_numbers(text, every_number) if _may_hold_number(text) else text


def _read_numbers(text: str, every_number: bool) -> str:
    from text_to_num import alpha2digit

    text = _DIGIT_SCALE.sub(lambda m: f"{m[1]}{_SHORT_SCALE[m[2].lower()]}", text)  # before text2num reads "million"
    text = _WORD_RANGE.sub(lambda m: f"{_WORD_NUMBERS[m[1].lower()]} {m[2]} {_WORD_NUMBERS[m[3].lower()]}", text)
    text = _HYPHENED_NUMBER_WORD.sub(r"\1 ", text)  # "the eleven-year war" is an 11-year war
    text = _HYPHENED_COUNT.sub(lambda m: f"{_WORD_NUMBERS[m[1].lower()]}-", text)
    text = _WORD_BEFORE_UNIT.sub(lambda m: str(_WORD_NUMBERS[m[1].lower()]), text)
    text = _QUANTITY_PHRASES.sub(lambda m: _PHRASE_VALUES[m[1].lower()], text)
    text = _FRACTION_OF_UNIT.sub(lambda m: f"{_share(m):g} {m['unit']}", text)  # "a quarter of an hour"
    # "two halves of 35 minutes" counts halves: a whole made of parts, before a figure, is no share
    text = _FRACTION.sub(
        lambda m: m[0] if _share(m) == 1 and _OF_FIGURE.match(m.string, m.end()) else f"{round(_share(m) * 100, 1):g}%",
        text,
    )
    text = _ONE_UNIT.sub(lambda m: f"{m['lead']} 1 {m['unit']}", text)
    for one_unit in _ONE_UNIT_UNLED:
        text = one_unit.sub(lambda m: f"{m['lead']}{' ' if m['lead'].strip() else ''}1 {m['unit']}", text)
    text = _ONE_UNIT_APART.sub(lambda m: f"1 {m['unit']} {m['side']}", text)
    text = _MULTIPLE.sub(lambda m: f"{_MULTIPLES[m[1].lower()]} times", text)
    try:
        # text2num reads "fifty and five hundred" as one number (5500); an "and" after a number under a hundred
        # joins two numbers, so each side is read on its own.
        pieces, at = [], 0
        for joined in _NUMBERS_JOINED.finditer(text):
            pieces.append(text[at : joined.end()])
            at = joined.end()
        pieces.append(text[at:])
        text = "".join(alpha2digit(piece, "en", threshold=0 if every_number else 3) for piece in pieces)
    except Exception:  # noqa: BLE001 - the parser's own failure must not fail an answer: compare as written
        return text
    # "the 19th century" is "the 1800s"
    return _CENTURY.sub(lambda m: f"{(int(m[1]) - 1) * 100}s", text)


def _share(match: re.Match[str]) -> float:
    groups = match.groupdict()
    if not groups.get("den"):  # "over half"
        return 0.5
    num = (match["num"] or "a").lower()
    return (int(num) if num.isdigit() else _NUMERATORS[num]) / _FRACTION_WORDS[match["den"].lower()]


def _value(scaled: str) -> float:
    parts = _SCALED_PARTS.match(scaled)
    assert parts is not None
    return float(parts["n"].replace(",", "")) * _SCALE.get((parts["scale"] or "").lower(), 1.0)


# Clock times, compared as minutes after midnight: "4 pm" is "16:00". A bare upper-case "PM" is also a
# common abbreviation (prime minister, project manager: "5 PMs", "1 PM per team"), so upper case counts only
# after "h:mm".
_CLOCK = re.compile(
    r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s?(?P<half>[ap])\.?m\b\.?"
    r"|\b(?P<hc>1[0-2]|0?[1-9]):(?P<mc>[0-5]\d)\s?(?P<halfc>[AP])\.?M\b\.?"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b"
    r"|\b(?P<word>noon|midday|midnight)\b",
)
_CLOCK_WORDS = {"noon": 12 * 60, "midday": 12 * 60, "midnight": 0}


def _minutes(match: re.Match[str]) -> float:
    if match["word"]:
        return _CLOCK_WORDS[match["word"]]
    if match["h24"]:
        return int(match["h24"]) * 60 + int(match["m24"])
    if match["h"]:
        hour, minute, half = match["h"], match["m"], match["half"]
    else:
        hour, minute, half = match["hc"], match["mc"], match["halfc"]
    return (int(hour) % 12 + (12 if half.lower() == "p" else 0)) * 60 + int(minute or 0)


def clock_times(text: str) -> tuple[list[Figure], str]:
    """The clock times in `text`, and the text with them blanked out so their digits are not read again."""
    found = [Figure(_minutes(m), _minutes(m), "clock", m.group(0).strip()) for m in _CLOCK.finditer(text)]
    return found, _CLOCK.sub(" ", text)


@_text_cache(maxsize=4096)
def figures(text: str, every_number: bool = False) -> tuple[Figure, ...]:
    found, rest = clock_times(in_digits(text, every_number))
    return (*found, *(_figure_of(match) for match in _FIGURE.finditer(rest)))


def _figure_of(match: re.Match[str]) -> Figure:
    low = _value(match["a"])
    high = _value(match["b"]) if match["b"] else low
    if match["pct"]:
        unit = "%"
    elif match["deg"]:
        unit = _DEGREES[match["deg"].strip(" °").upper()]
    elif match["cur"]:
        unit = _CURRENCY[match["cur"]]
    else:  # the unit may follow a qualifier: "10 working days", "125 square kilometres"
        first, second = (match["unit"] or "").lower(), (match["unit2"] or "").lower()
        unit = _UNIT_WORDS.get(first, "") or _UNIT_WORDS.get(second, "")
        if first in _UNIT_POWERS and second in _UNIT_WORDS:
            unit = f"{_UNIT_POWERS[first]} {unit}"
        if first == "percentage" and second in ("point", "points"):
            unit = "percentage point"  # a difference of two percentages, not a share: "rose 22%" is not this
        if unit == "degree" and second in _SCALE_NAMES:
            unit = _DEGREES[second[0].upper()]
        power = match.string[match.end() : match.end() + 1]
        if unit and not match["unit2"] and power in _POWER_SIGNS:  # "km²", "m³"
            unit = f"{_POWER_SIGNS[power]} {unit}"
    # ("42,000 when it opened": a function word after a number counts nothing)
    counted = "" if unit or not match["unit"] or match["unit"].lower() in STOPWORDS else stem(match["unit"].lower())
    return Figure(min(low, high), max(low, high), unit, match.group(0).strip(), counted)


FIGURE_CUE_WORDS = 2  # content words just before a figure that say what it measures ("melting point of")
# Where the words that say what a figure measures stop: the clause or the figure before it.
_CUE_BREAK = re.compile(r"[.;:,!?()\n\u2013\u2014]")
# Words that say how exact a figure is, not what it measures (general English).
_APPROXIMATORS = frozenset(
    stem(w)
    for w in ["roughly", "around", "approximately", "nearly", "almost", "exactly", "precisely",
              # and how often or how surely it holds: "usually takes five days" is "typically takes five days"
              "usually", "typically", "generally", "normally", "often", "commonly", "mostly"]
)  # fmt: skip


@dataclass(frozen=True)
class CuedFigure:
    figure: Figure
    cue: frozenset[str]  # the content stems between the clause's start (or the figure before) and the figure
    near: frozenset[str]  # the last FIGURE_CUE_WORDS of them
    after: frozenset[str] = frozenset()  # (past_joiners only) those after it, up to a break, joiner or figure


_JOINER_BETWEEN_FIGURES = re.compile(r"\b(?:and|or|but|while|whereas)\b", re.IGNORECASE)


@_text_cache(maxsize=4096)
def cued_figures(text: str, past_joiners: bool = False) -> tuple[CuedFigure, ...]:
    """Each figure with the words before it that say what it measures. `past_joiners`: only those after the
    last "and", "or" or "but" (in "16 weeks for the primary carer and 4 weeks", the words between the figures
    go with the first)."""
    if not _may_hold_number(text):
        return ()
    _, rest = clock_times(in_digits(text))
    placed: list[CuedFigure] = []
    after_last = 0
    matches = list(_FIGURE.finditer(rest))
    for at, match in enumerate(matches):
        clause = _CUE_BREAK.split(rest[after_last : match.start()])[-1]
        after: list[str] = []
        if past_joiners:
            clause = _JOINER_BETWEEN_FIGURES.split(clause)[-1] if after_last else clause
            # (past what the figure counts, "5 product squads", but not into function words its pattern may run
            # on to: "°C and a boiling point")
            figure_end = next(
                (match.start(g) for g in ("unit", "unit2") if match[g] and match[g].lower() in STOPWORDS),
                match.end(),
            )
            following = rest[figure_end : matches[at + 1].start() if at + 1 < len(matches) else len(rest)]
            after = _content_words(_JOINER_BETWEEN_FIGURES.split(_CUE_BREAK.split(following)[0])[0])
        cue = [stem(w) for w in _content_words(clause) if stem(w) not in _APPROXIMATORS]
        placed.append(
            CuedFigure(
                _figure_of(match),
                frozenset(cue),
                frozenset(cue[-FIGURE_CUE_WORDS:]),
                frozenset(stem(w) for w in after if stem(w) not in _APPROXIMATORS),
            )
        )
        after_last = match.end()
    return tuple(placed)


def _same_figure(a: Figure, b: Figure) -> bool:
    return _same(a.low, b.low) and _same(a.high, b.high)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


def figures_swapped(claim: str, quote: str) -> tuple[str, str] | None:
    """A figure the quote gives one thing, said of another thing it gives another figure: "melts at 3,407 °C"
    for "a melting point of 1,910 °C and a boiling point of 3,407 °C". Only where the quote says in its own
    words what each figure measures, and the words right before the claim's figure share none of its figure's
    words but some right before another figure (further back they may still speak of the figure before:
    "640 km along the border and between 60 and 110 km wide")."""
    claimed_figures = cued_figures(claim)
    stated = cued_figures(quote, past_joiners=True) if claimed_figures else ()
    if len({(c.figure.low, c.figure.high) for c in stated}) < 2:
        return None
    # What a sentence is about opens it, and stands before its first figure whichever figure it is said with
    # ("The lake is 80 km long and 300 m deep" / "The lake is 300 m deep and 80 km long").
    subjects = {stem(opening[0]) for sentence in _SENTENCE_END.split(quote) if (opening := _content_words(sentence))}
    placed_in_claim = cued_figures(claim, past_joiners=True)

    def said_after(figure: CuedFigure) -> frozenset[str]:
        return frozenset().union(*(c.after for c in placed_in_claim if _same_figure(c.figure, figure.figure)))

    # (only a figure with words of its own before it, up to the figure before it, is placed: "11 of the 12
    # tournaments" gives the 12 none)
    placed_in_quote = cued_figures(quote) if stated else ()
    # (words after a figure speak of it within its sentence: of joined units, another sentence's figure is
    # told apart by the words before it, as before)
    sentences_of: dict[tuple[float, float], set[int]] = {}
    for index, sentence in enumerate(_SENTENCE_END.split(quote)):
        for cued in cued_figures(sentence):
            sentences_of.setdefault((cued.figure.low, cued.figure.high), set()).add(index)

    first_in_sentence = {
        (opening[0].figure.low, opening[0].figure.high)
        for sentence in _SENTENCE_END.split(quote)
        if (opening := cued_figures(sentence))
    }

    def in_one_sentence(a: Figure, b: Figure) -> bool:
        return bool(sentences_of.get((a.low, a.high), set()) & sentences_of.get((b.low, b.high), set()))

    for claimed, placed in zip(claimed_figures, placed_in_claim, strict=True):
        own = [c.cue for c in placed_in_quote if _same_figure(c.figure, claimed.figure)]
        if not own or not all(own):
            continue
        # (and the words after the claim's last figure: "£110 a night in London")
        after = placed.after if placed is placed_in_claim[-1] else frozenset()
        # The quote may name what a figure measures after it ("16 weeks for the primary carer and 4 weeks for
        # the secondary carer"): the words the two figures do not share tell them apart.
        own_words = set().union(*(c.cue | c.after for c in stated if _same_figure(c.figure, claimed.figure)))
        for other in stated:
            if _same_figure(other.figure, claimed.figure):
                continue
            other_after = other.after if in_one_sentence(other.figure, claimed.figure) else frozenset()
            other_words = other.cue | other_after
            if claimed.cue & (own_words - other_words - subjects):
                break
            # (words the claim too says right after the other figure are that figure's: "a year of continuous
            # service to be eligible for the 18 weeks")
            theirs = (other.near | other_after) - own_words - subjects - said_after(other)
            # (or after its unit, the figure written as no number: "a year of continuous service")
            if other.figure.unit and stem(other.figure.unit) in claimed.cue - own_words:
                continue
            # (words after the figure may be another's, reordered: two of them, not one, say whose it is)
            if claimed.near & theirs or len(after & (theirs | other.cue - own_words)) >= 2:
                return claimed.figure.text, other.figure.text
            # (a word further back that only the other figure's words have, where the claim says none that only
            # its own figure's have: "Secondary caregivers get 16 weeks" for "Primary caregivers receive 16
            # weeks …, and secondary caregivers receive 6 weeks")
            # (only where the quote gives the figure words of its own too: a table row's cells have none)
            own_only = own_words - other_words - subjects
            # (nor by the words that open the sentence before its first figure, which speak of all its figures:
            # "The share of renewables rose from 30% to 38%, an increase of eight percentage points")
            if (other.figure.low, other.figure.high) in first_in_sentence:
                continue
            if (
                own_only
                and claimed.cue & (other.cue - own_words - subjects - said_after(other))
                and not claimed.cue & (own_words - other_words)
            ):
                return claimed.figure.text, other.figure.text
    return None


# Which way a figure is bounded: from below ("at least 17", "17 or older", "a minimum of 5") or from above
# ("up to 12 weeks", "no more than 12", "12 or fewer", "within 10 days"). General English.
_BOUND_FIGURE = r"[$€£]?(\d[\d,]*(?:\.\d+)?)"
_BOUNDS_BELOW = re.compile(
    r"\b(?:at least|no (?:less|fewer) than|not (?:less|fewer) than|(?:a )?minimum of|upwards of|in excess of|"
    rf"(?<!\bno )(?<!\bnot )(?:more|greater) than|(?<!\bnot )exceeding)\s+(?:about\s+|around\s+)?{_BOUND_FIGURE}"
    rf"|{_BOUND_FIGURE}(?:\s+[a-z]+)?\s+or\s+(?:more|over|above|older|longer|later|higher|greater|larger)\b",
    re.IGNORECASE,
)
_BOUNDS_ABOVE = re.compile(
    r"\b(?:at most|up to|no more than|not more than|(?:a )?maximum of|(?<!\bno )(?<!\bnot )(?:less|fewer) than|within|"
    rf"not exceeding|(?:not|cannot|can't|can’t)\s+exceed)\s+(?:about\s+|around\s+)?{_BOUND_FIGURE}"
    rf"|{_BOUND_FIGURE}(?:\s+[a-z]+)?\s+or\s+(?:less|fewer|under|below|younger|shorter|earlier|lower|smaller)\b",
    re.IGNORECASE,
)


# A span counted back from an event, whose bound reads either way round.
_BEFORE_AN_EVENT = re.compile(r"(?:\s+[a-z]+)?\s+(?:before|ahead|in advance|prior|earlier)\b", re.IGNORECASE)


# A denial just before a bound turns it round: "must not be more than 7 kg" is "at most 7 kg".
_DENIED_BOUND = re.compile(r"(?:\bnot|n't|\bnever|\bcannot)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


# A span of time given by its unit alone: "for weeks", "several minutes", "a few days".
_VAGUE_SPAN = re.compile(
    r"\b(?:for|several|a few|few|many|some|within|over|lasting|takes?|took)\s+"
    r"(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b",
    re.IGNORECASE,
)


def vague_span_changed(claim: str, quote: str) -> str | None:
    """A span the quote gives by its unit alone, given in another unit: "for months" for "for weeks", "several
    minutes" for "several seconds"."""
    stated = {m["unit"].lower() for m in _VAGUE_SPAN.finditer(quote)}
    if not stated:
        return None
    quote_words = set(words(quote))
    for match in _VAGUE_SPAN.finditer(claim):
        unit = match["unit"].lower()
        if unit in stated | quote_words:
            continue
        # A span in a smaller unit still holds ("took many years" for "took decades"), a larger one overstates;
        # for "within" the other way round.
        larger = _SPAN_UNITS.index(unit) > max(_SPAN_UNITS.index(u) for u in stated)
        smaller = _SPAN_UNITS.index(unit) < min(_SPAN_UNITS.index(u) for u in stated)
        if smaller if match.group(0).lower().startswith("within") else larger:
            return match.group(0)
    return None


_SPAN_UNITS = ("seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries")


def _bounded_figures(text: str) -> dict[tuple[str, str, str], set[str]]:
    """Each figure a bound falls on, by value and what it measures ("2 years" is not "2 weeks"), with the ways it
    is bounded ("below", "above")."""
    digits = in_digits(text)
    found: dict[tuple[str, str, str], set[str]] = {}
    for way, pattern in (("below", _BOUNDS_BELOW), ("above", _BOUNDS_ABOVE)):
        for match in pattern.finditer(digits):
            if _BEFORE_AN_EVENT.match(digits, match.end()):
                continue  # "at least 12 weeks before the date" is "no later than 12 weeks before": either way
            group = next(i for i, value in enumerate(match.groups(), start=1) if value)
            measured = next(iter(figures(digits[match.start(group) :])), None)
            if measured is None:
                continue
            # ("18 or younger" is an age, in years, as "at least 18 years old" is)
            unit = "year" if re.search(r"\b(?:older|younger)\b", match[0], re.I) else measured.unit
            key = (match[group].replace(",", ""), unit, measured.counted)
            denied = _DENIED_BOUND.search(digits[max(0, match.start() - 30) : match.start()])
            found.setdefault(key, set()).add(({"below": "above", "above": "below"}[way]) if denied else way)
    return found


def bound_flipped(claim: str, quote: str) -> str | None:
    """A figure the claim bounds the other way from the quote: "at most 5 years" for "at least 5 years",
    "at least 12 weeks" for "up to 12 weeks". Only where the quote bounds that figure one way alone."""
    claimed = _bounded_figures(claim)
    if not claimed:
        return None
    stated = _bounded_figures(quote)
    for figure, ways in claimed.items():
        if len(stated.get(figure, ())) == 1 and not ways & stated[figure]:
            return f"{'at least' if 'below' in ways else 'at most'} {figure[0]}"
    return None


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# Durations in days, so "half a year" is "six months" and "two weeks" is "14 days".
_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.44,
         "quarter": 91.31, "year": 365.25, "decade": 3652.5, "century": 36525}  # fmt: skip


def in_days(figure: Figure) -> Figure | None:
    factor = _DAYS.get(figure.unit)
    return None if factor is None else Figure(figure.low * factor, figure.high * factor, "day", figure.text)


def _close_enough(a: float, b: float) -> bool:
    return abs(a - b) <= 0.03 * max(abs(a), abs(b))


def figure_supported(claimed: Figure, stated: Iterable[Figure]) -> bool:
    """The claim's bounds are bounds the quote states ("up to 8 years" from "5-8 years"), in its unit."""
    stated = list(stated)
    claimed_days = in_days(claimed)
    if claimed_days is not None:
        for figure in stated:
            days = in_days(figure)
            if (
                days is not None
                and figure.unit != claimed.unit
                and all(
                    any(_close_enough(v, b) for b in (days.low, days.high))
                    for v in (claimed_days.low, claimed_days.high)
                )
            ):
                return True
    for figure in stated:
        bounds = (figure.low, figure.high)
        if not all(any(_same(v, b) for b in bounds) for v in (claimed.low, claimed.high)):
            continue
        if claimed.unit and figure.unit and claimed.unit != figure.unit:
            if not {claimed.unit, figure.unit} <= {"degree", *_SCALE_NAMES}:
                continue
            if "degree" not in (claimed.unit, figure.unit):
                continue  # "degrees" alone names no scale; °C and °F do
        return True
    return False


_EACH = re.compile(r"\b(?P<count>\d{1,2})\s+\w+\s+of\s+(?P<size>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>[a-z]+)\s+each\b", re.I)
MAX_COUNT = 12  # a count of things the quote gives a size "each" of ("two halves of 35 minutes each")


def total_of(claimed: Figure, stated: Sequence[Figure], quote: str) -> bool:
    """The claim adds up what the quote gives per item: "70 minutes in all" for "two halves of 35 minutes
    each"."""
    if claimed.low != claimed.high or not claimed.unit:
        return False
    for each in _EACH.finditer(in_digits(quote, every_number=True)):
        count, size = int(each["count"]), float(each["size"].replace(",", ""))
        unit = _UNIT_WORDS.get(each["unit"].lower(), "")
        if 1 < count <= MAX_COUNT and unit == claimed.unit and _same(count * size, claimed.low):
            return True
    return False


def on_the_clock(claimed: Figure, stated: Sequence[Figure]) -> bool:
    """A range of bare hours of a twelve-hour day, where the quote gives its two clock times in that order:
    "between 9 and 5" for "from 09:00 to 17:00" (a figure with a unit, or a count, is no time of day)."""
    said = [int(n) for n in re.findall(r"\d+", claimed.text)]
    times = [int(f.low) for f in stated if f.unit == "clock" and f.low == f.high and f.low % 60 == 0]
    if claimed.unit or claimed.counted or len(said) != 2 or not all(1 <= n <= 12 for n in said):
        return False
    return any(
        times[i] // 60 % 12 == said[0] % 12 and times[j] // 60 % 12 == said[1] % 12
        for i in range(len(times))
        for j in range(i + 1, len(times))
    )


def counted_otherwise(claimed: Figure, stated: Iterable[Figure]) -> bool:
    """The quote counts the same thing with another number ("two octaves" against a claimed "three
    octaves"), and the claim's number only matches something else the quote counts ("three strings")."""
    if claimed.unit or not claimed.counted:
        return False
    same_thing = [f for f in stated if f.counted == claimed.counted]
    return bool(same_thing) and not figure_supported(claimed, same_thing)


def without_units(stated: Iterable[Figure]) -> list[Figure]:
    return [Figure(f.low, f.high, "", f.text) for f in stated]


# --- names, titles, acronyms ------------------------------------------------------------------------------

# Words that join the parts of a name ("Head of Product", "Bank of England", "Procter & Gamble").
_JOINERS = {"of", "the", "and", "for", "&", "de", "la", "von", "van"}
# Adverbs of degree, frequency and stance that open a sentence capitalised ("Almost always the …", "Nearly
# all …"): general English words that are never a name's first word (the stopwords hold the commonest ones).
_OPENING_ADVERBS = frozenset((
    "almost", "always", "nearly", "roughly", "approximately", "mostly", "largely", "mainly", "chiefly",
    "primarily", "partly", "generally", "essentially", "basically", "simply", "really", "actually", "even",
    "still", "already", "once", "perhaps", "maybe", "probably", "possibly", "likely", "certainly", "definitely",
    "clearly", "obviously", "indeed", "instead", "hence", "thus", "therefore", "however", "moreover",
    "furthermore", "besides", "overall", "altogether", "together", "sometimes", "frequently", "occasionally",
    "rarely", "seldom",
))  # fmt: skip


@_text_cache(maxsize=4096)
def names(text: str) -> tuple[str, ...]:
    """Runs of capitalised words, joined by "of", "and", …, and all-caps words, in order."""
    found: list[str] = []
    run: list[str] = []
    for token in re.findall(r"[\w'’&.-]+|&|[,;:()\"“”–—]", text):
        bare = token.strip(".'’-")
        if token in ',;:()"“”–—':  # punctuation ends a name: "Essentially, Directors …", "Yes — Mr Smith"
            _close(run, found)
            run = []
            continue
        joins = run and bare.lower() in _JOINERS and (bare.lower() != "the" or run[-1].lower() in _JOINERS)
        if (bare and bare[0].isupper()) or joins:
            run.append(bare)
        else:
            _close(run, found)
            run = []
        if token.endswith(".") and not (len(bare) <= 3 and bare.isupper()):  # a full stop ends a name
            _close(run, found)
            run = []
    _close(run, found)
    return tuple(found)


def _close(run: list[str], found: list[str]) -> None:
    while run and run[-1].lower() in _JOINERS:
        run.pop()
    # "The Head of Sales" is the name "Head of Sales"; "Almost always Leeds United" names Leeds United
    # (an adverb alone: "Still Waters Ltd" keeps its first word)
    while run and (run[0].lower() in STOPWORDS or (len(run) == 1 and run[0].lower() in _OPENING_ADVERBS)):
        run.pop(0)
    if not run:
        return
    # "Junior Doctors and Senior Doctors", "GPs and Senior GPs": two names of one head word, not one name
    if "and" in run[1:-1]:
        cut = run.index("and", 1)
        if cut + 1 < len(run) and run[cut - 1] == run[-1]:
            _close(run[:cut], found)
            _close(run[cut + 1 :], found)
            return
    found.append(" ".join(run))


def _is_name(
    run: str, at_sentence_start: bool, followed_by_comma: bool = False, followed_by_verb: bool = False
) -> bool:
    parts = run.split()
    if len(parts) > 1:
        return True
    word = parts[0]
    if len(word) >= 2 and word.isupper() and any(c.isalpha() for c in word):
        return True
    if len(word) <= 1 or word.lower() in STOPWORDS:
        return False
    if at_sentence_start:
        # A capital that only starts the sentence names its subject when the word is not ordinary English
        # ("Korfball was …"), or when a verb follows it ("Copper has …"); not "Reaching the …", "Since 1900",
        # "Notify HR", "Generally, …".
        # (a word no dictionary holds names something even before a comma: "Vondel, on the 1st floor, seats …")
        # ("Pre-war, …" and "Oh, …" are no names: a compound of lower-case parts, an interjection)
        compound = "-" in word and all(part[:1].islower() for part in word.split("-")[1:])
        if word.lower().endswith("ly") or (followed_by_comma and (len(word) <= 2 or compound or _common(word))):
            return False
        if word.endswith(("'s", "’s")):  # "Pallas's cat …": a possessive capital names someone
            return True
        # ("Earlier samples had …", "Larger towns are …": a comparative before a plural noun, not a subject)
        return not _common(word) or (followed_by_verb and not _is_comparative(word))
    return True


def _is_comparative(word: str) -> bool:
    """An adjective's "-er" form: its "-est" form is an English word too ("earlier", "larger"; not "copper")."""
    from rag.spelling import english_vocabulary

    lower = word.lower()
    return lower.endswith("er") and f"{lower[:-2]}est" in english_vocabulary()


# Auxiliaries and the commonest verb endings: a capitalised common word followed by one is a subject. Not a
# plural noun that an auxiliary follows: "Common causes are …" opens with an adjective.
_AUXILIARIES = "is|are|was|were|has|have|had|can|could|will|would|may|might|must|should|does|do|did"
_VERB_NEXT = re.compile(rf"^\s+(?:(?:{_AUXILIARIES})\b|\w+(?:s|ed)\b(?!\s+(?:{_AUXILIARIES})\b))", re.IGNORECASE)


def _common(word: str) -> bool:
    from rag.spelling import english_vocabulary

    return word.lower().removesuffix("'s").removesuffix("’s") in english_vocabulary()


@_text_cache(maxsize=4096)
def claim_names(text: str) -> tuple[str, ...]:
    """Names in a claim, leaving out a lone capitalised word that only starts a sentence."""
    out = []
    for sentence in claim_sentences(text.strip()):
        first = True
        for run in names(sentence):
            at_start = first and sentence.lstrip("\"'“(").startswith(run)
            first = False
            head, _, rest = run.partition(" ")
            if at_start and rest and rest.split()[0].lower() not in _JOINERS and _common(head):
                # "Notify HR …": an ordinary word opening the sentence, then a name (what follows it is a
                # name whatever its words, since it no longer opens the sentence)
                run, at_start = rest, False
            after = sentence.lstrip("\"'“(")[len(run) :]
            followed_by_verb = bool(_VERB_NEXT.match(after))
            if _is_name(run, at_start, at_start and after[:1] == ",", followed_by_verb):
                out.append(run)
    return tuple(out)


@lru_cache(maxsize=65536)  # a vocabulary, like rag.text.stem's: kept across answers
def name_word(word: str) -> str:
    """A word of a name, compared without case, possessive or plural: "Directors" is "Director", but
    "Manager" is not "management" (stemming would make them one)."""
    if len(word) > 2 and word[-1] == "s" and word[:-1].isascii() and word[:-1].isalpha() and word[:-1].isupper():
        return word[:-1].lower()  # an acronym's plural: "CEOs", "MPs"
    word = word.lower().removesuffix("'s").removesuffix("’s")
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# Words as written (case kept, so an acronym's plural "MPs" is told from a word ending in "s").
_NAME_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


def name_stems(name: str) -> set[str]:
    return {name_word(w) for w in _NAME_TOKEN.findall(name) if w.lower() not in _JOINERS}


@_text_cache(maxsize=8192)
def name_pool(text: str) -> frozenset[str]:
    return frozenset(name_word(w) for w in _NAME_TOKEN.findall(text))


# Words written as code, addresses or file names (".qll", "config.yaml", "help_desk", "anna@corp.com") are
# names however they are cased: only the same spelling says the same thing. ("i.e." and "U.S." are no such
# words: a single letter stands before their dot; nor is "Dr.Smith", a space left out before a capital.)
_WRITTEN_TOKEN = re.compile(
    r"(?<![\w.])\.[A-Za-z]\w*|[\w.+-]*\w@\w[\w.-]*\w|\b[A-Za-z]\w+(?:\.[a-z]\w+)+\b|\b[A-Za-z]\w*_\w+\b"
)


def written_tokens(text: str) -> list[str]:
    return _WRITTEN_TOKEN.findall(text)


# What a thing is called: the word after "called the", "known as the", … or a quotation mark is its name even in
# lower case ("often called the symphonia"). Not a bare word, which may describe ("termed illegal", "called
# back", "known as early as"), nor "named after", which gives where a name comes from.
_CALLED = re.compile(
    r"\b(?:called|known as|named(?! after| for)|nicknamed|termed|dubbed)\s+(?:the\s+|[\"'\u201c\u2018])"
    r"([^\W\d_][\w-]*)",
    re.IGNORECASE,
)


def called_names(text: str) -> list[str]:
    return [name for name in _CALLED.findall(text) if name.lower() not in STOPWORDS]


def called_another(called: str, claim: str, parts: Sequence[str]) -> bool:
    """Of joined units, the one the claim's statement restates calls the thing by another name than the claim
    does ("often called the organistrum" for "often called the symphonia", the organistrum being the other
    unit's)."""
    statement = next((s for s in statements(claim) if called in s), claim)
    aligned = aligned_clause(statement, list(parts)) if len(parts) > 1 else ""
    return bool(called_names(aligned)) and called.lower() not in aligned.lower()


# Words for people in general: "People have lived here since …" restates "Settlements here date back to …";
# they name no one whom a fact could be moved to.
_GENERIC_PEOPLE = {"people", "someone", "somebody", "anyone", "anybody", "everyone", "everybody", "humans"}


# --- negation, comparison, clauses --------------------------------------------------------------------------

_NEGATION = re.compile(
    # "not just X", "no longer only X" add to X rather than deny it
    r"\b(not(?! only| just| merely| simply)|no(?! longer (?:only|just|merely|simply))|never|none|nobody|nothing|"
    r"nowhere|"
    # ("an otherwise quiet town" is quiet but for one thing: no "if not")
    r"neither|nor|without|cannot|hardly|rarely|seldom|(?<!the )(?<!an )(?<!a )otherwise|unless|"
    # "few" denies ("few shops open"), but not in "a few", "the past few years", "every few minutes"
    r"(?<!a )(?<!the )(?<!every )(?<!past )(?<!last )(?<!next )(?<!first )(?<!these )(?<!those )few|"
    # Ceasing is not doing: "you stop being measured by X" is "you are no longer measured by X".
    r"stops? \w+ing|stopped \w+ing|ceases? to|ceased to|"
    # Verbs that say the action does not happen: "avoid hiring" is "do not hire".
    r"avoids?|avoided|avoiding|refrains? from|refrained from|fails? to|failed to|refuses? to|refused to|"
    # Words that mean "not allowed", "cannot" or "not required": "blocking is forbidden" is "blocking is not
    # allowed", so a claim that it is "permitted" disagrees with it and one that it is "banned" does not.
    r"forbid|forbids|forbidden|forbade|prohibit|prohibits|prohibited|banned|disallow|disallows|disallowed|"
    r"illegal|unlawful|impossible|unable|optional|voluntary|unnecessary)\b|"
    r"n't\b(?! only| just| merely| simply)|"
    # Escaping a harm is not suffering it: "escaped serious damage" (not "escaped from the camp").
    r"\bescap(?:e|es|ed|ing)(?= (?:\w+ )?(?:damage|injury|injuries|harm|destruction|detection|notice|punishment|"
    r"capture|death)\b)",
    re.IGNORECASE,
)
# Words that keep something from happening without negating the sentence: "prevents delays" restates
# "avoids delays", though only the second reads as a negation above.
_AVOIDANCE = re.compile(
    r"\b(?:avoid\w*|prevent\w*|stops?|stopped|stopping|keeps? \w+ from|kept \w+ from|steers? clear|"
    r"stays? away|eliminat\w*|minimi[sz]\w*|refrain\w*|refus\w*|fail\w*|(?<!fail )(?<!fails )(?<!failed )to escape)\b",
    re.IGNORECASE,
)
# Two negations that make a positive: "not without its challenges" has challenges, "never fails to" does.
# So do a negation and a "not allowed" word: "not prohibited", "not optional" (at most one word between), and
# "never stops" (goes on).
_LITOTES = re.compile(
    r"(?:\bnot|n't|\bnever) (?:without|fail(?:s|ed|ing)? to|(?:\w+ )?(?:forbidden|prohibited|banned|disallowed|"
    r"illegal|unlawful|impossible|optional|voluntary|unnecessary)|stops? \w+ing|stopped \w+ing)\b|"
    # "was not uncovered until 1900" says it was uncovered, only late; so does "nobody uncovered it until 1900".
    # (a modal's denial is a condition, "can't be approved until all scorecards are in", and stays a negation)
    r"(?:(?<!\bcan )(?<!\bwill )(?<!\bmust )(?<!\bmay )(?<!\bshould )(?<!\bshall )\bnot|"
    r"(?<!\bca)(?<!\bwo)(?<!\bmust)(?<!\bshould)n't) (?:\w+ ){0,2}until\b|"
    r"\b(?:nobody|no one|never) (?:\w+ ){0,3}until\b",
    re.IGNORECASE,
)
# A bare "No," or "Yes —" answering the question opens a claim; the statement after it is what is checked
# ("No-one …" is a negation, not an answer word).
# How much of the question's account is right, before the statement that says it, after a "yes" or alone:
# "Yes, that's a big part of it: …", "That's the gist of it — …".
_HOW_MUCH_OF_IT = (
    r"(?:that|this|it)(?:['’]s| is) (?:(?:a|the) )?(?:(?:big|large|major|key|good|huge|fair|central) )?"
    r"(?:part|much|gist|core|heart|essence|crux) of it(?=\s*(?:[:\u2013\u2014]|-\s))"
)
# Answers that are neither a plain yes nor a plain no; "Not long:" / "Not too fast —" answer a "how long/fast"
# question before the statement that says how long: a word of degree or time only ("Not permitted:" negates).
_HEDGES = (
    r"not really|not quite|not exactly|yes and no|"
    r"(?:mostly|largely|generally|usually) not(?=\s*(?:[:\u2013\u2014]|-\s))|"  # "Mostly not — it lives on land"
    r"not (?:too |so |very )?"
    r"(?:long|much|many|far|often|fast|quickly|soon|yet|always|necessarily|usually|entirely)(?=\s*(?:[:\u2013\u2014]|-\s))|"
    # how much, answered before the statement that says it: "A good deal: …", "Quite a bit — …"
    r"(?:a (?:lot|good deal|great deal|little|bit)|quite a (?:lot|bit)|plenty|very much)(?=\s*(?:[:\u2013\u2014]|-\s))|"
    + _HOW_MUCH_OF_IT
)
# A word may qualify the answer first: "Largely, yes —", "In short, no:", "Usually not long: …".
_ANSWER_QUALIFIER = (  # words that soften an answer without turning it ("Rarely, yes" would)
    r"(?:largely|mostly|basically|essentially|generally|broadly|in short|in general|in practice|in principle|"
    r"well|so|simply put|usually|typically|normally)\s*,?\s+"
)
_HEDGED_ANSWER = re.compile(rf"^\W*(?:{_ANSWER_QUALIFIER})?(?:{_HEDGES})\s*[,:;!.\u2013\u2014-]+\s*", re.IGNORECASE)
_ANSWER_WORD = re.compile(
    rf"^\W*(?:{_ANSWER_QUALIFIER})?(?:(?:no|yes)\s*[,\u2013\u2014-]\s*(?={_HOW_MUCH_OF_IT}))?(?:no|yes|{_HEDGES})(?!-\w)\s*[,:;!.\u2013\u2014-]+\s*",
    re.IGNORECASE,
)


# The answer may follow a scope that stays part of the statement: "At most companies, no — the titles …".
# Only before a dash or colon: "In 1990, no one …" is a statement.
_SCOPED_ANSWER = re.compile(
    r"^(\W*(?:at|in|for|on|among|with)\s[^,;:.\u2013\u2014]{1,40}),\s*(?:no|yes)\s*(?:[:\u2013\u2014]|-\s)\s*",
    re.IGNORECASE,
)


# Or a "no" that names its scope: "Not between 10:00 and 16:00: bookings are capped at two hours" answers
# "Can I book all afternoon?" and states what holds in that window (a time's colon is no break).
_NEGATED_SCOPE = re.compile(
    r"^(\W*)not\s+((?:at|in|on|during|between|before|after|within|outside|until|over|under|from|for)\s"
    r"(?:\d[:.]\d|[^,;:.\u2013\u2014]){1,40}?)\s*(?:[:\u2013\u2014]|\s-\s)\s*",
    re.IGNORECASE,
)


def without_scoped_answer(text: str) -> str:
    """ "In most towns, no — the offices are merged" -> "In most towns, the offices are merged"; "Not on
    Sundays: the desk closes at noon" -> "on Sundays, the desk closes at noon"."""
    return _NEGATED_SCOPE.sub(r"\1\2, ", _SCOPED_ANSWER.sub(r"\1, ", text))


def without_answer_word(text: str) -> str:
    """The statement of a sentence that may first answer yes or no."""
    return without_scoped_answer(_ANSWER_WORD.sub("", text))


def is_answer_word(sentence: str) -> bool:
    """A sentence that only answers yes or no ("Yes.", "Not really."): nothing a quote could support."""
    return bool(_ANSWER_WORD.match(sentence)) and not _ANSWER_WORD.sub("", sentence).strip()


# Bounds, not negations or comparisons: "no later than 30 days" is "within 30 days".
# "Most engineers" counts, it does not compare; "the most senior" does.
_BOUND = re.compile(
    r"\b(?:(?:no|not) (?:be )?(?:later|earlier|sooner|more|less|fewer|longer|shorter) than|at (?:least|most)|"
    # "may not exceed £150" is "up to £150"; "can't check in more than 2 bags" is "a maximum of 2 bags"
    r"(?:(?:may|must|can|should|shall|will|does|do|did)\s+not|cannot|can't|can’t)\s+exceed|not exceeding|"
    # "ten or more days" is "at least ten days": a bound on the figure just before it, not a comparison
    r"(?:\d+|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|hundred|thousand))\s+(?:or|and)\s+(?:more|less|fewer|longer|shorter|older|younger|above|over|under|"
    r"below))\b|"
    # (a modal's denial: "Don't spend more than £40" stays a negation, restated by "don't go over that")
    r"(?:\bcan['’]t|\bcannot|\bcan not|\b(?:could|may|must|should|shall|will|would)(?:\s+not|n['’]t)|\bwon['’]t)\s+"
    r"(?:\w+\s+){0,3}?(?:more|less|fewer|longer|shorter) than(?=\s+(?:about\s+)?[$€£]?\d)",
    re.IGNORECASE,
)
# Where a superlative without "the" ranks: "is most crowded at weekends", "most popular in Flanders".
_RANKED_IN = "in|at|on|during|among|between|from|around|near|with"
# Comparatives and superlatives of general English, and the shapes that make a comparison.
_COMPARISON = re.compile(
    r"\b(more|less|fewer|the (?:single )?(?:(?:two|three|four|five|\d+) )?(?:most|least)|best|worst|better|worse|twice|"
    # Superlatives without "the": "is most critical in …", "when it is most active.", "salmon matter most of all.",
    # "the museum's most visited month", "helps first-time buyers most.", "most strongly"; not "most of the budget",
    # "are most welcome to …", "should be most careful", "Most of all, …", a hedge ("most likely", "most common")
    # or a speaker's ordering ("most importantly").
    rf"(?:(?<=\bis )|(?<=\bare )|(?<=\bwas )|(?<=\bwere ))most(?= \w+ (?:{_RANKED_IN}|of all)\b| \w+\s*(?:[.;,!?]|$))"
    r"(?! (?:common|likely)\b)|"
    r"most(?= (?:\w+ )?of all\s*(?:[.;!?]|$))|"
    r"(?:(?<=\bits )|(?<=\btheir )|(?<=['’]s ))most(?= \w)(?! (?:likely|common|commonly|often|usually|typically)\b)|"
    r"(?<=\w )most(?=\s*(?:[.;!?]|$))|"
    r"most(?= \w+ly\b)(?! (?:likely|commonly|often|usually|typically|frequently|recently|notably|importantly|"
    r"significantly|famously|probably|certainly|easily)\b)|"
    r"double|triple|half as|half (?:that|those) of|"
    r"\w+er (?:\w+ )?than|as \w+ as|times (?:more|less|as)|doubled|doubling|tripled|halved|quadrupled|"
    r"larger|largest|bigger|biggest|smaller|smallest|higher|highest|lower|lowest|greater|greatest|"
    r"faster|fastest|slower|slowest|longer|longest|shorter|shortest|earlier|earliest|older|oldest|"
    r"newer|newest|younger|youngest|stronger|strongest|weaker|weakest|richer|richest|cheaper|cheapest|"
    r"superior|inferior|exceed|exceeds|outnumber|outnumbers|surpass|surpasses)\b",
    re.IGNORECASE,
)
# Where a sentence joins a second statement to the first; a line break ends one (a list's items, a heading).
_CLAUSE_BREAK = re.compile(
    r"(?<=[.!?])\s+(?=[A-Z\"'“(])|\s*\n\s*|;|:\s|"
    r",\s*(?:and|but|while|whereas|which|who|so|although|though|yet|plus|when|where|if|because|since|unless)\b|"
    r"\s(?:but|while|whereas|although|though)\s|,\s*(?:and\s+)?(?:also|as well as|in addition)\b|"
    r",\s*(?:along with|together with|with|that is|meaning|i\.e\.)\b",
    re.IGNORECASE,
)
# A time clause after a comma, perhaps with an adverb: "…, usually after the board approves it". A clause of its
# own where the quote says nothing of when; where it does, the claim may be restating it ("…, after letting the
# first coat dry" for "Once the paint has dried, …").
_TIME_CLAUSE = re.compile(r",\s*(?:\w+ly\s+)?(?=(?:after|before|once|until)\s(?!\d))", re.IGNORECASE)
_SAYS_WHEN = re.compile(r"\b(?:after|before|once|until|when|whenever|while)\b", re.IGNORECASE)
CLAUSE_MIN_WORDS = 2  # content words a clause needs before it is checked on its own
CLAUSE_MIN_COVERAGE = 0.5  # share of a clause's content words the quote, its headings or the question hold
MAX_UNSUPPORTED_RUN = 3  # new content words in a row that make a statement of their own
MAX_NEW_SHARE = 0.3  # or this share of the claim's content words, when at least MAX_UNSUPPORTED_RUN of them
# Embedding cosine (MiniLM) from which a statement with new words is taken for a rewording of its quote.
REWORDING_SIMILARITY = 0.6
# Cosine that a clause opening with a pronoun must reach with its own words, before the quote's subject is read
# into it: under it, the subject alone made it look close.
OWN_WORDS_SIMILARITY = 0.2
# How much closer to its quote a claim gets without a stretch that adds to it (MiniLM cosine): a rewording of the
# quote's own condition moves it by a hundredth, an added fact by a tenth or more.
ADDED_STRETCH_DRIFT = 0.05


def content_stems(text: str) -> set[str]:
    return set(_content_stems(text))


def every_stem(text: str) -> set[str]:
    """The stems of all the words of `text`, function words too."""
    return content_stems(text) | {stem(w) for w in words(text)}


@_text_cache(maxsize=8192)
def _content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _content_words(text))


# A fronted contrast clause ends at its comma: "While a clerk files X, the warden signs Y" states two things.
_CONTRAST_OPENERS = "while|whereas|although|though"
_FRONTED_CONTRAST = re.compile(rf"^((?:{_CONTRAST_OPENERS})\b[^,;:]+),\s+(.+)$", re.IGNORECASE | re.DOTALL)


def sentence_clauses(text: str) -> list[str]:
    """Clauses split at conjunctions and punctuation only: a fronted "While …," stays with its sentence."""
    return list(_sentence_clauses(text))


@_text_cache(maxsize=8192)
def _sentence_clauses(text: str) -> tuple[str, ...]:
    return tuple(part.strip(" ,") for part in _CLAUSE_BREAK.split(text) if part and part.strip(" ,"))


def clauses(text: str) -> list[str]:
    return list(_clauses(text))


@_text_cache(maxsize=8192)
def _clauses(text: str) -> tuple[str, ...]:
    split: list[str] = []
    for part in _sentence_clauses(text):
        fronted = _FRONTED_CONTRAST.match(part)
        split += [fronted[1], fronted[2]] if fronted else [part]
    return tuple(split)


@_text_cache(maxsize=8192)
def is_negated(text: str) -> bool:
    return bool(negations(text))


@_text_cache(maxsize=8192)
def negations(text: str) -> tuple[str, ...]:
    """The negating words of `text`, lower-cased, in order ("nobody", "not", "n't", …)."""
    text = without_answer_word(normalize(text).replace("’", "'"))
    plain = _CONTRAST.sub(" ", _LITOTES.sub("with", _BOUND.sub("within", text)))
    return tuple(m.group(0).lower() for m in _NEGATION.finditer(plain))


# A contrast affirms one thing and denies another: "A rather than B", "instead of B, A", "A, not B", "not B but
# A". Either side may restate it in the other shape, or as a plain negation of B, so a contrast agrees with a
# negated and an unnegated statement alike; what it must not do is swap A and B (`contrast_swapped`).
# "not just X" and "rather than only X" (or "just", "merely") add to X instead of denying it ("rather than simply
# X" still denies X: "rewrite it rather than simply copy it").
_NOT_JUST = r"(?!\s+(?:only|just|merely|simply)\b)"
_ONLY = r"(?:only|solely|just|merely)"
_RATHER_NOT_ONLY = rf"(?!\s+{_ONLY}\b)"
_CONTRAST = re.compile(
    rf"(?:\brather than{_RATHER_NOT_ONLY}|\binstead of{_RATHER_NOT_ONLY}|,\s*(?:and\s+)?not{_NOT_JUST})"
    r"\s+(?P<denied>[^,;:.]*)",
    re.IGNORECASE,
)
_CONTRAST_LEAD = re.compile(
    rf"^\W*(?:rather than|instead of){_RATHER_NOT_ONLY}\s+(?P<denied>[^,;:]+),\s*(?P<affirmed>.+)$", re.IGNORECASE
)
_CONTRAST_TAIL = re.compile(
    rf"^(?P<affirmed>.+?)(?:\s+rather than{_RATHER_NOT_ONLY}|\s+instead of{_RATHER_NOT_ONLY}|,\s*(?:and\s+)?not"
    rf"{_NOT_JUST})\s+(?P<denied>[^,;:.]+)",
    re.IGNORECASE,
)


def _denied(text: str) -> set[str]:
    """The content words a text's contrasts deny ("iron" in "steel rather than iron")."""
    return content_stems(" ".join(m["denied"] for m in _CONTRAST.finditer(text)))


def contrast(text: str) -> tuple[set[str], set[str]] | None:
    """The content words a contrast affirms and those it denies, if the text makes one."""
    text = normalize(text)
    match = _CONTRAST_LEAD.match(text) or _CONTRAST_TAIL.match(text)
    if match is None:
        return None
    return content_stems(match["affirmed"]), content_stems(match["denied"])


def contrast_swapped(claim: str, quote: str) -> bool:
    """The claim denies what the quote's contrast affirms and affirms what it denies ("scope rather than
    stage" for "stage, not scope"), or affirms, unnegated, what the quote denies ("covers detail as well as
    outcomes" for "covers outcomes, not detail")."""
    claimed, stated = contrast(claim), contrast(quote)
    if stated is None:
        # The claim denies what the quote plainly affirms: "by bus, not by train" for "by bus and by train".
        # (a word of it may be reworded: "the whole function" for "the entire function")
        return (
            claimed is not None
            and bool(claimed[1])
            and len(claimed[1] - content_stems(quote)) <= len(claimed[1]) // 4
            and not is_negated(quote)
        )
    if claimed is None:
        denied = stated[1]
        return bool(denied) and denied <= content_stems(claim) and not is_negated(claim)
    (claim_yes, claim_no), (quote_yes, quote_no) = claimed, stated
    crossing = len(claim_no & quote_yes) + len(claim_yes & quote_no)
    return bool(claim_no & quote_yes) and crossing > len(claim_no & quote_no)


# Comparison words of one direction say the same thing: "exceed 3,000 m" is "rise above 3,000 m", "less dense"
# is "lower".
_COMPARISON_CLASSES = {
    "more": "more", "greater": "more", "higher": "more", "larger": "more", "bigger": "more", "exceed": "more",
    "exceeds": "more", "above": "more", "over": "more", "outnumber": "more", "outnumbers": "more",
    "surpass": "more", "surpasses": "more", "superior": "more", "longer": "more",
    "older": "more", "richer": "more", "stronger": "more", "faster": "more",
    "less": "less", "fewer": "less", "lower": "less", "smaller": "less", "below": "less", "under": "less",
    "inferior": "less", "shorter": "less", "younger": "less", "cheaper": "less",
    "weaker": "less", "slower": "less",
    "most": "most", "largest": "most", "biggest": "most", "highest": "most", "greatest": "most", "best": "most",
    "longest": "most", "oldest": "most", "earliest": "most", "strongest": "most", "fastest": "most", "richest": "most",
    "latest": "most", "newest": "most",
    "least": "least", "smallest": "least", "lowest": "least", "fewest": "least", "worst": "least",
    "shortest": "least", "youngest": "least", "weakest": "least", "slowest": "least", "cheapest": "least",
    "twice": "times", "double": "times", "triple": "times", "times": "times", "half": "times",
    "doubled": "times", "doubling": "times", "tripled": "times", "halved": "times", "quadrupled": "times",
}  # fmt: skip
# "Further investment" in the quote is "more investment" in the claim, "reduced costs" is "less cost": a
# quantity of the same thing, restated, not a comparison (only without a "than" in the claim).
_QUOTE_QUANTITY = re.compile(
    r"\b(further|additional|extra|increased|reduced|decreased|(?:grows?|grew|growing|rises?|rose|rising) in|"
    r"(?:falls?|fell|falling|declines?|declined|declining) in)\s+(\w+)",
    re.IGNORECASE,
)
_CLAIM_QUANTITY = re.compile(r"\b(more|less|fewer)\s+(\w+)", re.IGNORECASE)
_QUANTITY_DIRECTION = {"further": "more", "additional": "more", "extra": "more", "increased": "more",
                       "reduced": "less", "decreased": "less",
                       "more": "more", "less": "less", "fewer": "less"}  # fmt: skip


def _direction(cue: str) -> str:
    """ "more" or "less": what a quantity word says; "grows in X" is "more X", "declines in X" "less X"."""
    cue = cue.lower()
    if cue.endswith(" in"):
        return "more" if cue.startswith(("grow", "grew", "ris", "rose")) else "less"
    return _QUANTITY_DIRECTION[cue]


# Ranking one thing above the others is a superlative in other words: "and above all X" where the quote lists X.
_EMPHASIS = re.compile(
    r"\b(?:above all|most of all|most importantly|first and foremost|more than anything|chief among|"
    r"above (?:every|any|all) other|more than any other)\b",
    re.IGNORECASE,
)

# A quote that singles one out already ranks it: "especially in France" is "above all in France".
_SINGLED_OUT = re.compile(
    r"\b(?:especially|particularly|in particular|notably|chiefly|principally|most of all)\b",
    re.IGNORECASE,
)

# Adjectives whose "-ly"/"-ness" forms are rare, and "-er" words that are not comparatives of the quote's word.
_PLAIN_ADJECTIVES = {"big", "long", "old", "young", "fast", "few", "high", "low"}
_NOT_GRADED = {"later", "earlier", "latter", "former", "further", "farther", "other", "over", "under", "after", "ever",
               "never", "outer", "inner", "upper", "center", "modest", "earnest", "honest", "interest"}  # fmt: skip


def singles_out_the_same(ranked: str, quote: str) -> bool:
    """The quote singles out what the claim ranks first ("above all in France" / "especially in France")."""
    first = content_stems(" ".join(ranked.split()[:4]))
    return any(first & content_stems(" ".join(quote[m.end() :].split()[:6])) for m in _SINGLED_OUT.finditer(quote))


# Superlatives by what they measure: "the largest of any river" does not restate "the longest river". General
# English; left out: superlatives of any measure ("highest", "lowest", "greatest", "best", "worst").
_SUPERLATIVE_MEASURES = {
    word: measure
    for measure, listed in {
        "size": "largest biggest smallest",
        "length": "longest shortest",
        "height": "tallest",
        "age": "oldest youngest newest earliest latest",
        "speed": "fastest slowest quickest",
        "depth": "deepest shallowest",
        "width": "widest narrowest",
        "weight": "heaviest lightest",
        "wealth": "richest poorest",
        "price": "cheapest costliest",
    }.items()
    for word in listed.split()
}


def superlative_measure_changed(claim: str, quote: str) -> str | None:
    """A superlative of another measure than every one the quote uses: "the largest" for "the longest"."""
    stated = {_SUPERLATIVE_MEASURES[w] for w in words(quote.lower()) if w in _SUPERLATIVE_MEASURES}
    if not stated:
        return None  # a superlative of the quote's own is the comparison check's
    return next(
        (
            w
            for w in words(_NOT_COMPARING.sub(" ", claim.lower()))  # ("at its deepest point" ranks nothing)
            if w in _SUPERLATIVE_MEASURES and _SUPERLATIVE_MEASURES[w] not in stated
        ),
        None,
    )


_RANK = r"(?:first|last|\w{3,}est)"
# A ranking the quote hedges: "among the first in Scotland", "one of the oldest working opera houses".
_HEDGED_RANKING = re.compile(rf"\b(?:one of|among)\s+(?:the\s+)?(?:[\w'’-]+\s+)?(?P<rank>{_RANK})\b", re.IGNORECASE)


def ranking_unhedged(claim: str, quote: str) -> str | None:
    """The claim ranks first ("the first hospital in Scotland", "the oldest still working") what the quote
    ranks among others ("among the first", "one of the oldest")."""
    unhedged_in_quote = _HEDGED_RANKING.sub(" ", quote)
    for match in _HEDGED_RANKING.finditer(quote):
        rank = re.escape(match["rank"])
        # (the quote ranks something first itself: "its biggest tournament is held in June")
        if re.search(rf"\b(?:the|its|their)\s+(?:[\w'’-]+\s+)?{rank}\b", unhedged_in_quote, re.IGNORECASE):
            continue
        if _HEDGED_RANKING.search(claim) and re.search(rf"\b{rank}\b", claim, re.IGNORECASE):
            continue
        if re.search(rf"\b(?:the|its|their)\s+(?:[\w'’-]+\s+)?{rank}\b", claim, re.IGNORECASE):
            return f"the {match['rank']}"
    return None


# "the first woman to direct a premiere": a ranking in time the quote must make.
# (not a first step of a procedure: "the first thing to do", "the first person to contact")
_FIRST_TO = re.compile(
    r"\bthe first\s+(?!(?:thing|things|step|steps|person|people|place|point|port|stop|call|action|task|move|one)\b)"
    r"(?:[\w'’-]+\s+){0,3}?to\s+[a-z]",
    re.IGNORECASE,
)
_SAYS_FIRST = re.compile(
    r"\b(?:first|earliest|initial\w*|pioneer\w*|never before|before any(?:one| other|body)(?: else)?|"
    r"no (?:one|other))\b",
    re.IGNORECASE,
)


def first_to_unstated(claim: str, quote: str) -> str | None:
    return "the first … to" if _FIRST_TO.search(claim) and not _SAYS_FIRST.search(quote) else None


# Words in "-er" that are no comparison of the claim's own (time and place words, nouns, verbs).
_NOT_OWN_COMPARATIVES = {"sooner", "lower", "elder", "closer", "bitter", "proper", "tender", "sheer", "clever",
                         "eager", "sober", "slender", "meager", "meagre", "utter", "super", "minor",
                         "major"}  # fmt: skip


_NAMING_COMPARATIVE = re.compile(
    r"\b(?:the|a|an|its|their|his|her|our|your|this|these|those|many|some|any)\s+\w+er\b|\b\w+er-\w+",
    re.IGNORECASE,
)


def comparative_unstated(claim: str, quote: str) -> str | None:
    """A comparative of an adjective ("louder", "cheaper") where the quote compares nothing and never uses the
    adjective: a comparison of the claim's own ("much like a violin bow but louder")."""
    from rag.spelling import english_vocabulary

    # (a verb of change compares a thing with what it was: "improved roadmap clarity" makes it "clearer")
    if comparisons(quote) or any(verb.search(quote) for verb, _ in _CHANGE_VERBS):
        return None
    vocabulary = english_vocabulary()
    quote_words = set(words(quote))
    skipped = _NOT_GRADED | _NOT_COMPARATIVES | _NOT_FAR_COMPARATIVES | _NOT_OWN_COMPARATIVES
    # (a bound is no comparison, "no longer than a year", nor is ceasing, "no longer paid"; nor one after a
    # determiner, which names a kind more often than it compares: "the wider business objectives", "a larger
    # company", "higher-level goals")
    said = re.sub(r"\b(?:no|any) longer\b", " ", _BOUND.sub(" ", _NOT_COMPARING.sub(" ", claim)), flags=re.I)
    said = _NAMING_COMPARATIVE.sub(" ", said)
    for word in words(said):
        if (
            len(word) < 5
            or not word.endswith("er")
            or word in quote_words
            or word in skipped
            or word + "s" in vocabulary
        ):
            continue
        base = comparative_base(word)
        if (
            base
            and base not in quote_words
            and (base in _PLAIN_ADJECTIVES or base + "ly" in vocabulary or base + "ness" in vocabulary)
        ):
            return word
    return None


def graded_forms(claim: str, quote: str) -> str | None:
    """A comparative or superlative the claim makes of an adjective the quote uses plainly ("broader
    responsibility" for "broad responsibility"), or a ranking the quote does not make ("above all X")."""
    quote_words = set(words(quote))
    emphasis = _EMPHASIS.search(claim)
    if emphasis and not _EMPHASIS.search(quote) and not singles_out_the_same(claim[emphasis.end() :], quote):
        return emphasis.group(0)
    from rag.spelling import english_vocabulary

    vocabulary = english_vocabulary()
    # ("17 or older" bounds a figure, as "at least 17 years old" does: the figure check compares the two)
    for word in words(_BOUND.sub(" ", _NOT_COMPARING.sub(" ", claim))):  # (nor "at its widest")
        # "-er" nouns have plurals ("managers", "leaders", "interests"); comparatives do not ("broaders")
        if word in quote_words or not word.endswith(("er", "est")) or word + "s" in vocabulary:
            continue
        if restated_bound(claim, word, quote):
            continue  # "longer than 2 km" for "more than 2 km long"
        if word in _NOT_GRADED:
            continue
        cut = 2 if word.endswith("er") else 3
        stem_ = word[:-cut]
        bases = {stem_, stem_ + "e", stem_[:-1] if len(stem_) > 2 and stem_[-1] == stem_[-2] else stem_}
        if stem_.endswith("i"):
            bases.add(stem_[:-1] + "y")
        # the base must be an adjective: it has an adverb or a noun in "-ly"/"-ness" ("broadly", "broadness"),
        # which "approve", "cent" or "earn" do not
        adjectives = {
            b
            for b in bases & quote_words
            if b in _PLAIN_ADJECTIVES or b + "ly" in vocabulary or b + "ness" in vocabulary
        }
        if len(stem_) >= 3 and adjectives:
            return word
    return None


def without_restated_quantities(claim: str, quote: str) -> str:
    """The claim with "more investment" cut to "investment" where the quote says "further investment"."""
    if re.search(r"\bthan\b", claim, re.IGNORECASE):
        return claim
    quantities = {(_direction(m[1]), stem(m[2].lower())) for m in _QUOTE_QUANTITY.finditer(quote)}

    def cut(match: re.Match[str]) -> str:
        restated = (_direction(match[1]), stem(match[2].lower())) in quantities
        return match[2] if restated else match[0]

    return _CLAIM_QUANTITY.sub(cut, claim)


# Verbs that make a thing more, the most, less or the least of what it was (general English): "maximize
# efficiency" is "get the most efficiency", "elevating accountability to a business-driven view" makes it "more
# business-driven". Read in the quote only, where the claim sets no standard with "than".
_CHANGE_VERBS = (
    (re.compile(r"\b(?:maximi[sz]\w*|maximum|maximal)\b", re.IGNORECASE), "most"),
    (re.compile(r"\b(?:minimi[sz]\w*|minimum|minimal)\b", re.IGNORECASE), "least"),
    (
        re.compile(
            r"\b(?:increas|rais|elevat|boost|enhanc|improv|strengthen|deepen|widen|broaden|expand|heighten|intensif|"
            r"accelerat|amplif|progressiv)\w*",
            re.IGNORECASE,
        ),
        "more",
    ),
    (re.compile(r"\b(?:reduc|decreas|lessen|diminish|shrink|shrank|narrow|weaken|lower|cut)\w*", re.I), "less"),
)


CHANGED_WORDS = 3  # content words after a verb of change: what it changes ("maximize efficiency and alignment")
_COMPARED_WORD = re.compile(r"\b(more|most|less|least)\s+([\w-]+)", re.IGNORECASE)
_RANKED_AMONG = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:in|of|among|across|on) (?:the|any|all|its|their)\b", re.I)


def changes_restated(claim: str, quote: str) -> frozenset[str]:
    """The claim's comparisons that restate a verb of change of the quote, on a word that follows the verb
    there: "the most efficiency" for "maximize efficiency" (not "the most popular" anywhere near "maximize")."""
    if re.search(r"\bthan\b", claim, re.IGNORECASE):
        return frozenset()
    changed: set[tuple[str, str]] = set()
    for verb, cue in _CHANGE_VERBS:
        for match in verb.finditer(quote):
            after = content_words(quote[match.end() :])[:CHANGED_WORDS]
            changed.update((cue, stem(word)) for word in after)
    said = {
        (m[1].lower(), stem(words(m[2])[0]))
        for m in _COMPARED_WORD.finditer(claim)
        if words(m[2]) and not _RANKED_AMONG.match(claim, m.end())  # "the most beds in the region" ranks
    }
    return frozenset(cue for cue, word in said & changed)


# "As long as 12 years", "as many as 40 species": a bound on a figure (the figure check compares it), not a
# comparison between two things.
_FIGURE_BOUND = re.compile(
    r"\bas (?:long|many|much|high|far|few|little|old|large|low|deep|tall|early|late) as (?=(?:about |around )?"
    r"(?:[$€£]?\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|a hundred|a thousand|a dozen)\b)",
    re.IGNORECASE,
)
# "rather than", "other than" set things apart, "as well as" adds, "as soon as" times: they compare nothing.
_NOT_COMPARING = re.compile(
    r"\b(?:(?:rather|other) than|as well as|as soon as|as far as|so far|no longer|and (?:so )?more(?=\s*[.,;:!?]|$)|"
    r"as \w+ as possible|"
    # advice, not a ranking: "it's best to use the portal"; the far end of one thing's own scale, not a ranking
    # among things: "at its deepest point", "at their busiest"
    r"(?:it's|it is|it'd be|it would be|you'd|you had) (?:usually |generally |always )?best(?= to\b| if\b)|"
    r"at (?:its|their|his|her) \w+est\b(?: (?:point|part|stretch|level))?|"
    # a condition: "as long as your manager approves" ("as long as 12 years" is a bound, read before this)
    r"(?:as|so) long as|"
    # "get the most (impact) out of", "make the most of": use fully, no ranking
    # ("made the most appearances of any player" ranks)
    r"(?:get|gets|getting|got|make|makes|making|made) the most(?=\s+(?:out\s+)?of\b|(?:\s+\w+){1,3}\s+out\s+of\b))\b",
    re.IGNORECASE,
)


# A comparative with its complement between it and "than": "closer to netball than to basketball", "better
# at defence than".
_SPLIT_COMPARATIVE = re.compile(
    r"\b(?P<word>\w+er)\s+(?:to|with|at|in|on|for|about|from)\s+(?:\S+\s+){0,3}?than\b", re.IGNORECASE
)
# Words ending in "-er" that are not comparatives.
_NOT_COMPARATIVES = {"other", "rather", "whether", "either", "neither", "never", "ever", "under", "over", "after",
                     "number", "together", "however", "whatever", "whoever", "wherever", "whenever", "order",
                     "per"}  # fmt: skip

# A superlative of any adjective after a determiner: "the steepest drop", "its finest hour". A word ending in
# "-est" is one when its "-er" form is an English word too ("steeper"), except these, which are not.
_SUPERLATIVE = re.compile(r"\b(?:the|its|their|his|her|our|your|whose)\s+(?P<word>\w{3,}est)\b", re.IGNORECASE)
_NOT_SUPERLATIVES = {"conquest", "detest", "divest", "earnest", "honest", "infest", "priest", "tempest", "mayest"}


# A comparative of any adjective with its "than" further on: "a deeper knowledge of tides and currents than
# most sailing needs". A word ending in "-er" is one when its "-est" form is an English word too ("deepest").
_FAR_COMPARATIVE = re.compile(r"\b(?P<word>\w{3,}er)\b(?!,)(?=[^.;:?!]{0,100}?\bthan\b)", re.IGNORECASE)
# Words ending in "-er" whose "-est" partner exists but which, away from "than", are mostly nouns or verbs
# ("a stranger is more likely …", "fines deter drivers more than …") or mean "additional" ("further tests").
_NOT_FAR_COMPARATIVES = {"further", "farther", "stranger", "deter", "infer", "conquer", "temper", "earner",
                         "diver", "cleaner", "elder", "commoner", "flatter", "lighter", "later"}  # fmt: skip


# Adjectives naming the low end of their scale: a comparative of one bounds a figure from above ("shorter than
# 2 km" is "less than 2 km"); any other comparative bounds it from below ("taller than 300 metres").
_LOW_END = frozenset(
    ("short", "small", "low", "young", "light", "cold", "cool", "narrow", "shallow", "thin", "few", "little",
     "cheap", "slow", "near", "close", "early", "soon", "weak", "poor", "brief", "tiny", "scarce", "slim",
     "quiet", "dim", "gentle", "mild", "soft", "calm", "faint", "slight")
)  # fmt: skip
# A bound the quote sets on a figure in digits: "over 300 metres", "more than 2 km", "less than 50 metres".
_QUOTE_BOUND = re.compile(
    r"\b(?P<bound>more than|over|above|exceeds?|exceeding|at least|less than|fewer than|under|below|at most)\s+"
    r"(?P<figure>\d[\d,]*(?:\.\d+)?)",
    re.IGNORECASE,
)
_LOWER_BOUNDS = ("less", "fewer", "under", "below", "at most")


def bound_direction(comparative: str) -> str:
    """ "more" or "less": which way a comparative before a figure bounds it."""
    known = _COMPARISON_CLASSES.get(comparative.lower())
    if known in ("more", "less"):
        return known
    return "less" if comparative_base(comparative) in _LOW_END else "more"


# Adjectives of general English that name what a figure measures: a quote saying one of them ("over 300 metres
# long") is not restated by a comparative of another ("wider than 300 metres").
_MEASURE_WORDS = frozenset(
    ("long", "tall", "high", "wide", "broad", "deep", "thick", "heavy", "old", "large", "big", "loud", "fast",
     "hot", "warm", "far", "short", "small", "low", "young", "light", "cold", "narrow", "shallow", "thin", "slow",
     "near", "early", "late", "cheap", "expensive", "strong", "weak", "steep", "bright")
)  # fmt: skip
# What a unit measures, for the units that measure one thing only (general English).
_MEASURED_BY = {
    "decibel": {"loud", "quiet"}, "db": {"loud", "quiet"}, "celsiu": {"hot", "warm", "cold", "cool"},
    "fahrenheit": {"hot", "warm", "cold", "cool"}, "°c": {"hot", "warm", "cold", "cool"},
    "°f": {"hot", "warm", "cold", "cool"}, "kg": {"heavy", "light"},
    "kilogram": {"heavy", "light"}, "gram": {"heavy", "light"}, "tonn": {"heavy", "light"}, "ton": {"heavy", "light"},
    "mph": {"fast", "slow", "quick"}, "knot": {"fast", "slow", "quick"}, "km/h": {"fast", "slow", "quick"},
}  # fmt: skip


def measured_by_unit(base: str, quote: str) -> bool:
    """The unit after a figure the quote bounds measures what `base` grades ("loud" for "85 decibels"; "15
    degrees" may be an angle, "15 degrees Celsius" is heat)."""
    return any(
        base in _MEASURED_BY.get(stem(unit.lower()), set())
        for after in re.findall(r"\d[\d,.]*\s*((?:°[CF]|[A-Za-z/]+)(?:\s+[A-Za-z]+)?)", quote)
        for unit in after.split()
    )


# An equal to a figure, "as thick as 1.8 metres", is a bound on it: "up to 1.8 metres thick".
_EQUAL_TO_FIGURE = re.compile(
    r"\bas (?P<word>[a-z]+) as (?:about |around |roughly )?(?P<figure>\d[\d,]*(?:\.\d+)?)", re.IGNORECASE
)
_LOWER_BOUND_BEFORE = re.compile(r"(?:at least|more than|over|above|exceed\w*|upwards of|from)\s+$", re.IGNORECASE)


def equals_restated(claim: str, quote: str) -> set[str]:
    """The comparison cues of the claim's "as thick as 1.8 metres" that restate the quote's "up to 1.8 metres
    thick": the same figure and measure word, which the quote does not bound from below ("at least 1.8
    metres thick" is no "as thick as")."""
    claim, quote = in_digits(claim, every_number=True), in_digits(quote, every_number=True)
    restated = set()
    for match in _EQUAL_TO_FIGURE.finditer(claim):
        word = match["word"].lower()
        at = [m.start() for m in re.finditer(rf"(?<![\d.,]){re.escape(match['figure'])}(?![\d])", quote)]
        if word in words(quote) and at and not any(_LOWER_BOUND_BEFORE.search(quote[:i]) for i in at):
            restated.add(f"{_COMPARISON_CLASSES.get(word, stem(word))} {BOUND_ON_FIGURE}")
    return restated


# "two more days" adds to what was said, as the quote's "two further days" or "another two days" does.
_ADDED_FIGURE = re.compile(r"\b(?P<figure>\d[\d,]*(?:\.\d+)?) more\b(?!\s+\w*\s*than\b)", re.IGNORECASE)


_COMPARED_WITH = re.compile(r"\b(?:compared (?:with|to)|unlike|versus|vs\.?|than|relative to)\b", re.IGNORECASE)


def addition_restated(claim: str, quote: str) -> bool:
    """The claim's "N more" restates the quote's "N further/additional/extra/more" or "another N"."""
    if _COMPARED_WITH.search(claim):
        return False  # "Compared with full-timers, … 2 more days" compares
    claim, quote = in_digits(claim, every_number=True), in_digits(quote, every_number=True)
    return any(
        re.search(
            rf"(?:\b(?:another|an additional|a further|an extra)\s+{re.escape(m['figure'])}\b|"
            rf"(?<![\d.,]){re.escape(m['figure'])}\s+(?:further|additional|extra|more)\b)",
            quote,
            re.IGNORECASE,
        )
        for m in _ADDED_FIGURE.finditer(claim)
    )


def restated_bound(claim: str, comparative: str, quote: str) -> bool:
    """ "taller than 300 metres" restates "over 300 metres tall": the quote bounds the same figure the same way
    and names the same measure ("tall"); "wider than 300 metres" or "longer than 50 metres" for "less than 50
    metres long" do not."""
    base = comparative_base(comparative)
    said = re.search(
        rf"\b{re.escape(comparative)}\s+than\s+(?:about\s+|around\s+)?(?P<figure>\d[\d,]*(?:\.\d+)?)", claim, re.I
    )
    if base is None or said is None:
        return False
    # (a quote that bounds the figure with no measure word, "where noise exceeds 85 decibels", is restated by a
    # comparative of what its unit measures: "louder than 85 decibels"; a length may be a depth or a height)
    if base not in words(quote) and (set(words(quote)) & _MEASURE_WORDS or not measured_by_unit(base, quote)):
        return False
    direction = bound_direction(comparative)
    return any(
        bound["figure"] == said["figure"]
        and ("less" if bound["bound"].lower().startswith(_LOWER_BOUNDS) else "more") == direction
        for bound in _QUOTE_BOUND.finditer(quote)
    )


def _comparisons_of_any_adjective(text: str) -> set[str]:
    """Superlatives and comparatives of adjectives the comparison words above do not list."""
    from rag.spelling import english_vocabulary

    found = set()
    for match in _SUPERLATIVE.finditer(text):
        word = match["word"].lower()
        if word not in _NOT_SUPERLATIVES and f"{word[:-3]}er" in english_vocabulary():
            found.add(_COMPARISON_CLASSES.get(word, stem(word)))
    for match in _FAR_COMPARATIVE.finditer(text):
        word = match["word"].lower()
        if word not in _NOT_COMPARATIVES | _NOT_FAR_COMPARATIVES and _is_comparative(word):
            cue = _COMPARISON_CLASSES.get(word, stem(word))
            # "higher than 3,000 metres" bounds a figure, as "above 3,000 metres" does
            found.add(f"{cue} {BOUND_ON_FIGURE}" if _FIGURE_NEXT.match(text, match.end()) else cue)
    return found


# "more than 85 percent" bounds a figure (the figure check compares it); "more than the other two" compares
# two things. A bound does not let a claim compare things the quote does not.
BOUND_ON_FIGURE = "than a figure"
_FIGURE_NEXT = re.compile(
    rf"\s+(?:than\s+)?(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|some\s+)?"
    rf"(?:\d|[$€£¥]|(?:{_UNDER_HUNDRED}|a hundred|a thousand|a million|a billion|hundreds|thousands|a dozen|dozens|"
    r"half|a third|a quarter|twice)\b)",
    re.IGNORECASE,
)


# "Over six months, sign-ups rose": opening a sentence before a comma, "over" a stretch of time is when, not a
# bound on it ("Over six months of training is required" bounds it).
_OVER_A_PERIOD = re.compile(
    r"over\s+[\d.,]+\s+(?:second|minute|hour|day|week|month|year|decade|centur)\w*\s*,", re.IGNORECASE
)


# Where a noun phrase or a sentence starts: nothing, a break, or a determiner before the word.
_OPENS_PHRASE = re.compile(
    r"(?:^|[.;:,!?(\u2013\u2014-]|\b(?:the|an|its|their|his|her|our|your|this|these))\W*$", re.IGNORECASE
)


@_text_cache(maxsize=4096)
def comparisons(text: str) -> frozenset[str]:
    """The comparisons a text makes, by direction: "more" (exceeds, higher, …), "less", "most", "least",
    "times"; other comparatives ("\\w+er than") by their own word."""
    cues: set[str] = set()
    text = _NOT_COMPARING.sub(" ", _BOUND.sub("within", _FIGURE_BOUND.sub("up to ", text)))
    for match in _COMPARISON.finditer(text):
        parts = match.group(0).lower().split()
        if parts == ["earlier"] and _OPENS_PHRASE.search(text[: match.start()]):
            continue  # "Earlier samples were …", "an earlier draft": when, not a comparison ("open earlier")
        word = parts[1] if parts[0] in ("as", "times") and len(parts) > 1 else parts[0]
        if parts[0] == "the":
            word = parts[-1]  # "the most", "the two most"
        if parts[0] == "times":
            word = "times"
        if parts[-1] == "than" and len(parts) == 3 and parts[1] in _COMPARISON_CLASSES:
            word = parts[1]  # "a leader more than a manager": the comparison is "more"
        elif parts[-1] == "than" and word in _NOT_COMPARATIVES:  # "other people than", "never than"
            continue
        cue = _COMPARISON_CLASSES.get(word, stem(word))
        cues.add(f"{cue} {BOUND_ON_FIGURE}" if _FIGURE_NEXT.match(text, match.end()) else cue)
    for match in re.finditer(r"\b(above|over|below|under)\s+\d", in_digits(text).lower()):  # "over 30 summits"
        opens_sentence = not match.string[: match.start()].strip(" \"'(“")
        if not (opens_sentence and _OVER_A_PERIOD.match(match.string, match.start())):
            cues.add(f"{_COMPARISON_CLASSES[match[1]]} {BOUND_ON_FIGURE}")
    for match in _SPLIT_COMPARATIVE.finditer(text):
        word = match["word"].lower()
        if word not in _NOT_COMPARATIVES:
            cues.add(_COMPARISON_CLASSES.get(word, stem(word)))
    if _PREFERS_OVER.search(text):
        cues.add("more")  # "favours speed over size": speed counts for more than size
    return frozenset(cues | _comparisons_of_any_adjective(text))


# A preference of one thing over another compares them: "favours speed over size" (not "prefers to wait").
_PREFER = r"\b(?:favou?r(?:s|ed|ing)?|prefer(?:s|red|ring)?|prioriti[sz](?:e|es|ed|ing)|values?|valued)\b"
_PREFERS_OVER = re.compile(rf"{_PREFER}[^.;:]{{1,60}}?\b(?:over|above)\s+(?![\d$€£])", re.IGNORECASE)


_PHRASE_BREAK = re.compile(r"[,;:\u2013\u2014]|\s-\s")


def comparisons_stated_for(cue: str, claim: str, quote: QuoteContext) -> frozenset[str]:
    """The comparisons of the quote that may back the claim's `cue`. Of joined units, only those of the unit
    the claim's clause making it restates: "the earliest form was the organistrum" backs no "the most popular"
    in a statement of the next unit."""
    if len(quote.parts) < 2:
        return comparisons(quote.text)
    # The stretch between commas that makes the comparison says what it is about.
    making_it = [part for part in _PHRASE_BREAK.split(claim) if cue in comparisons(part)]
    if not making_it:  # the comparison spans stretches
        return comparisons(quote.text)
    # A unit opening with a pronoun ("It is the most popular crossing") is about what the unit before names.
    read_as = [
        f"{quote.parts[i - 1]} {unit}" if i and _PRONOUN_START.match(unit) else unit
        for i, unit in enumerate(quote.parts)
    ]
    stated: set[str] = set()
    for part in making_it:
        own = content_stems(part)
        overlaps = [len(own & content_stems(unit)) for unit in read_as]
        stated.update(*(comparisons(u) for u, n in zip(quote.parts, overlaps, strict=True) if n == max(overlaps)))
    return frozenset(stated)


# --- the checker ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteContext:
    """A quote with what frames it: the headings and list lead-in it sits under, and its document's title."""

    text: str
    headings: str = ""
    title: str = ""
    # The intro line of the quote's list ("The company does not reimburse:"): a negation there covers the item.
    lead_in: str = ""
    # A table row's first cell names an attribute ("Budget", "Team"), not who the row is about: its subjects
    # are the column headings.
    table_row: bool = False
    # The header line of the quote's table, when the quote is one of its rows: it says which cell is whose.
    table_header: str = ""
    # The units a quote of several joins (neighbouring sentences, or quotes of several citations), in order.
    parts: tuple[str, ...] = ()


# similar(text, others): the sentence-embedding cosine of the text with each of the others, in one model call.
Similarity = Callable[[str, Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Problem:
    kind: str  # "figure" | "unit" | "name" | "subject" | "negation" | "comparison" | "clause"
    detail: str


def check_claim(
    claim: str, quote: QuoteContext, question: str = "", similar: Similarity | None = None
) -> list[Problem]:
    """What the claim says that the quote does not; empty when the quote says it all."""
    return list(claim_problems(claim, quote, question, similar))


def says_it_all(claim: str, quote: QuoteContext, question: str = "", similar: Similarity | None = None) -> bool:
    """Whether the quote says all the claim says: the checks stop at the first problem (the embedding second
    opinion, last and dearest, runs only for a claim every other check let through)."""
    return next(claim_problems(claim, quote, question, similar), None) is None


_BULLET = re.compile(r"^\s*[-•*+·▪◦‣]\s+")


# A name alone answers a question asking who does something: "The Receptionist." (or "The Receptionist does
# that.") for "who gives out visitor badges?"
_NAME_ALONE = re.compile(
    r"(?:the\s+|an?\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+(?:of|for|and|the|[A-Z][\w'’-]*))*?"
    # (and a plain head word: "The Finance team")
    r"(?:\s+(?!(?:does|do|did|is|are|was|were|handles?)\b)[a-z]+)?)"
    r"(?:\s+(?:does|do|did|is|are|was|were|handles?)(?:\s+(?:that|this|it))?)?\s*[.!]?",
)
# The question asks for the doer: "who/which team" and the verb ("who gives out …", "which team can approve …");
# not "who does the CFO report to", where the doer is asked for as the object.
_ASKS_FOR_DOER = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:who|which\s+(?!(?:is|are|was|were|does|do|did)\b)\w+)(?P<is>'s|’s)?\s+"
    r"(?P<rest>(?!(?:does|do|did)\b)(?!(?:should|can|could|will|would|may|might|must|shall|is|are|was|were|has|"
    r"have|had)\s+(?:i|you|we|they|he|she|it|the|a|an|my|your|our|their|this|that)\b)"
    r"\w.*?)\W*$",
    re.IGNORECASE,
)


# A month's short form in a date ("1 Jan", "Sept. 30"), read as the month, so that the date checks compare it; a
# short form alone ("in Jun") stays a name to find in the quote.
_MONTH_SHORT = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_DATE_MONTH_SHORT = re.compile(rf"(?<=\d )(?P<a>{_MONTH_SHORT})\b|\b(?P<b>{_MONTH_SHORT})\.?(?= \d)")


def with_months_in_full(text: str) -> str:
    months = MONTH_NAMES.split("|")

    def full(match: re.Match[str]) -> str:
        short = (match["a"] or match["b"]).lower()
        return next(m for m in months if m.lower().startswith(short))

    return _DATE_MONTH_SHORT.sub(full, text)


def answer_in_full(claim: str, question: str) -> str:
    """A name given alone as the answer, put in the statement the question asks for ("The Receptionist gives out
    visitor badges"), so that the checks weigh what it says of the name; any other claim as it is."""
    statement = without_answer_word(claim).strip()
    alone = _NAME_ALONE.fullmatch(statement)
    asked = _ASKS_FOR_DOER.match(question)
    if alone is None or asked is None or len(alone["name"].split()) > 6:
        return claim
    rest = f"is {asked['rest']}" if asked["is"] else asked["rest"]  # "who's the …"
    return f"{statement[: alone.end('name')]} {rest}."


def claim_problems(
    claim: str, quote: QuoteContext, question: str = "", similar: Similarity | None = None
) -> Iterator[Problem]:
    """What the claim says that the quote does not, one problem at a time (the embedding second opinion last).

    `similar(a, others)` (sentence-embedding cosines) gives words a second chance: new words that only reword
    the quote ("live alone" for "solitary") leave their statement close in meaning to it, a statement of
    its own does not. It is called only when the word checks find new content.
    """
    # (an opening "Not directly —" or "Hardly ever:" that the quote does not contradict answers how, before the
    # statement; one it contradicts stays, for the negation check)
    claim = without_how_answer(with_months_in_full(answer_in_full(claim, question)), quote.text)
    # The quote's subject is named by the nearest heading that names one; a heading like "Definition" names
    # none, and then the document's title does.
    frame = quote.headings if heading_picks_subject(quote.headings, quote.title) else f"{quote.headings}. {quote.title}"
    stated = figures(quote.text, every_number=True)
    # The question and the headings may give a figure too ("Daily Responsibilities" for "their daily work").
    asked = figures(question, every_number=True) + figures(frame, every_number=True)
    claimed_figures = figures(claim)
    # an answer may repeat the question's figure to correct it ("not until 6 pm; it closes at 5 pm")
    negated_claim = is_negated(claim)
    for claimed in claimed_figures:
        # The question may supply a figure ("Is it open until 6 pm?"), unless the quote states another one of
        # the same kind: then the question's figure was a guess the quote answers.
        same_kind = [f for f in stated if f.unit == claimed.unit and f.counted == claimed.counted]
        corrects = negated_claim or any(figure_supported(f, same_kind) for f in claimed_figures)
        # A bare "seats 12" taken from the question's "for 12 people" counts people, as the question does: where
        # the quote states a figure of that kind ("6 people"), only a negation corrects it ("on the 14th floor
        # seats 8 people" does not).
        lent_kinds = {(a.unit, a.counted) for a in asked if figure_supported(claimed, [a])}
        answered = any((f.unit, f.counted) in lent_kinds - {(claimed.unit, claimed.counted)} for f in stated)
        if figure_supported(claimed, asked) and (not same_kind or corrects) and (not answered or negated_claim):
            continue
        if counted_otherwise(claimed, stated):
            yield Problem("figure", claimed.text)
            continue
        if figure_supported(claimed, stated) or total_of(claimed, stated, quote.text) or on_the_clock(claimed, stated):
            continue
        # "a year later", "the day before": the quote may say it with two dates or "the following year"; only
        # a span it states ("10 working days before") is one to compare with.
        if _ONE_UNIT_APART_READ.fullmatch(claimed.text) and not any(map(in_days, stated)):
            continue
        same_values = figure_supported(Figure(claimed.low, claimed.high, "", claimed.text), without_units(stated))
        yield Problem("unit" if same_values else "figure", claimed.text)

    flipped = bound_flipped(claim, quote.text)
    if flipped:
        yield Problem("figure", flipped)
    vague = vague_span_changed(claim, quote.text)
    if vague:
        yield Problem("unit", vague)

    stated_often = frequencies(f"{quote.text}. {frame}")
    if stated_often and frequencies(claim) - stated_often:
        yield Problem("unit", "how often")
    elif (
        not stated_often
        and not _PER_PERIOD.search(f"{quote.text}. {frame}")  # "seven days a week" says how often too
        and _HOW_OFTEN.search(claim)
        and not frequencies(claim) & frequencies(question)
    ):
        yield Problem("figure", "how often")  # "once a week" where the quote says nothing of it
    elif not stated_often and frequency_word_added(claim, f"{quote.text}. {frame}. {question}"):
        yield Problem("figure", "how often")  # "weekly reviews" where the quote has no period
    other_rate = rate_changed(claim, f"{quote.text}. {frame}")
    if other_rate:
        yield Problem("unit", other_rate)

    quote_stems = every_stem(quote.text)
    frame_stems = {stem(w) for w in words(frame)}
    question_stems = {stem(w) for w in words(question)}
    quote_names, frame_names, question_names = name_pool(quote.text), name_pool(frame), name_pool(question)
    # "degrees Celsius" names a scale, which the figure check compares
    # ("Seventy minutes …": a number word opening the sentence is a figure, not a name)
    claimed_names = tuple(
        n
        for n in claim_names(claim)
        if n.lower() not in _GENERIC_PEOPLE | _SCALE_NAMES and not in_digits(n, every_number=True).isdigit()
    )
    said_anywhere = f"{quote.text}. {frame}. {question}"
    names_said = names(said_anywhere)
    for name in claimed_names:
        if names_the_same(name, f"{quote.text}. {frame}", claim):
            continue
        # A common word that only opens the sentence ("Reaching …") is matched as a word, by its stem; an
        # acronym's plural is matched as a name ("PCs" for the quote's "PC", though "pcs" is a word too).
        needed, pool = (
            ({stem(w) for w in words(name)}, quote_stems | frame_stems | question_stems)
            if is_common_word(name) and not bare_acronym(name)
            else (name_stems(name), quote_names | frame_names | question_names)
        )
        acronym = bare_acronym(name)
        # ("DOPM" for "Director of Product Management": a capitalised name keeps its joining words' initials)
        if acronym and (spelled_out_in(acronym, said_anywhere) or acronym_in(acronym, said_anywhere)):
            continue
        if needed and not needed <= pool and not is_common_word(name):
            # "Senior GPs" for the quote's "Senior General Practitioners"
            needed = name_stems(acronyms_spelled_out(name, said_anywhere))
        if needed and not needed <= pool:
            yield Problem("name", name)
            continue
        sibling = sibling_name(name, names_said)
        if sibling:
            yield Problem("name", f"{name} for {sibling}")
    said_written = said_anywhere.lower()
    for token in written_tokens(claim):
        if token.lower() not in said_written:
            yield Problem("name", token)
    for called in called_names(claim):
        if stem(called.lower()) not in quote_stems | frame_stems | question_stems or called_another(
            called, claim, quote.parts
        ):
            yield Problem("name", called)
    if not quote.table_row:  # a flattened row's cells run together into false "names" ("KPIs Delivery")
        # A name only the question gives may not stand in for the quote's: asked about room A, the claim gives
        # it the size the quote gives room B.
        # (a capitalised word that is no common word, though it opens the sentence: "Vondel seats 6 people")
        asked_names = (
            {stem(w.lower()) for w in re.findall(r"\b[A-Z][\w'’-]*", claim) if not is_common_word(w)}
            - quote_stems
            - frame_stems
        )
        yield from substituted_names(
            claim,
            claimed_names,
            quote.text,
            # (a heading's plain word does not stand in for a name of the quote: "3–10 teams" for "3–10 GPs"
            # under "Team Leadership"; a heading's name does, by `known`)
            quote_stems | (question_stems - asked_names),
            frame_names | question_names,
            name_pool(quote.lead_in),
        )

    statement = without_answer_word(claim)  # "Yes — a Head of Product can …": the subject follows the answer
    subject = leading_subject(statement, claimed_names)
    # A common word as the subject ("Companies hire …") may come from the question; a name may not.
    if subject and is_common_word(subject):
        subject_needed, subject_pool = {stem(w) for w in words(subject)}, quote_stems | frame_stems | question_stems
    else:
        # ("QA Lead" for the quote's "Quality Assurance Lead")
        written_out = acronyms_spelled_out(subject or "", f"{quote.text}. {frame}")
        subject_needed, subject_pool = name_stems(written_out), quote_names | frame_names
    # An acronym of a name the quote or its headings give ("BOE" for "Bank of England").
    spelled = subject is not None and shortens_a_name(subject, f"{quote.text}. {frame}", statement)
    # A quote that names its own subject says nothing of another name its headings give: "the Clerk files the
    # forms, whereas the Warden signs them" is not in "The Clerk signs the forms".
    quote_subject = leading_subject(quote.text, claim_names(quote.text))
    own_subject = not quote.table_row and quote_subject is not None and used_as_name(quote_subject, quote.text)

    def names_another_heading_name(name: str) -> bool:
        stems = name_stems(name)
        return own_subject and stems <= frame_names and not stems <= quote_names | name_stems(quote_subject or "")

    # (a claim naming the quote's subject too may have turned the sentence round: "the Warden is paid by the
    # Council" for "the Council pays the Warden")
    names_quote_subject = quote_subject is not None and name_stems(quote_subject) <= name_pool(claim)

    if subject and subject_needed and not subject_needed <= subject_pool and not spelled:
        yield Problem("subject", subject)
    elif (
        # (a list item's opening name is an item, not its subject: "• CEO (Chief Executive Officer)")
        not quote.lead_in
        and subject
        and used_as_name(subject, statement)
        and not names_quote_subject
        and not spelled
        and names_another_heading_name(subject)
    ):
        yield Problem("subject", f"{subject} for the quote's {quote_subject}")
    elif not quote.table_row and subject_moved(
        # "Directors own …": a plain word that is the head word of a name the headings give stands for it,
        # unless the quote itself uses that word ("the VP and other directors set the budget")
        statement,
        subject or _plain_opener(statement, quote.text, frame),
        quote.text,
        names(frame),
    ):
        yield Problem("subject", subject or "")
    # "That falls to the Warden, who may sign the forms": what the relative clause says, it says of the name
    # before it, as a subject does.
    relatives = relative_statements(statement, claimed_names)
    if not quote.table_row:
        for doer, said in relatives:
            if not name_stems(doer) <= quote_names and subject_moved(f"{doer} {said}", doer, quote.text, names(frame)):
                yield Problem("subject", doer)
    # A list under an intro line that is only a name ("Warden:") is that one's: a claim giving an item to a name
    # the title or headings set beside it ("Warden vs Clerk": "… is a next step listed for the Clerk") without
    # naming the intro's moves it.
    owner = list_owner(quote.lead_in)
    siblings = list_siblings(owner, quote.headings.replace(quote.lead_in, " "), quote.title) if owner else set()
    if owner and siblings and not name_stems(owner) <= name_pool(claim):
        for name in claimed_names:
            stems = name_stems(name)
            # (not a name the item gives by its last word: "Charles Babbage" for the item's "Babbage")
            by_surname = name_word(name.split()[-1]) in quote_names
            if stems <= siblings and not stems <= quote_names | name_pool(owner) and not by_surname:
                yield Problem("subject", f"{name} for the list's {owner}")
                break
    # "For a Warden, the next step is …" gives the fact to the Warden as a subject does: a name there must be
    # the quote's or its headings', not only the question's.
    beneficiary = _FOR_WHOM.match(statement)
    if beneficiary and not quote.table_row:
        for_whom = names(beneficiary[1])
        if (
            len(for_whom) == 1
            and beneficiary[1].rstrip().endswith(for_whom[0])
            and not is_common_word(for_whom[0])
            and not name_stems(for_whom[0]) <= quote_names | frame_names
        ):
            yield Problem("subject", for_whom[0])
    # A later clause's subject must be the quote's too: "the Clerk of Works files the forms, while the Chief
    # Auditor signs them" may not take "Chief Auditor" from the question for a fact the quote gives the clerk.
    for part in clauses(claim)[1:]:
        opener = leading_subject(part, claim_names(part))
        if not opener or opener.lower() in _GENERIC_PEOPLE:
            continue
        written_out = name_stems(acronyms_spelled_out(opener, f"{quote.text}. {frame}"))
        unknown = (
            not is_common_word(opener)
            and not written_out <= quote_names | frame_names
            and not shortens_a_name(opener, f"{quote.text}. {frame}", part)
        )
        if unknown or names_another_heading_name(opener):
            yield Problem("subject", opener)
    # A statement of its own after a semicolon or a full stop may not give a fact of one name of the quote to
    # another: "…; Dalric is spoken by 70 percent" for "Fennish is spoken by about 70 percent".
    # (not of list items, each its own thing's: "Amstel seats twelve; IJ seats six")
    listed = quote.lead_in or any(_BULLET.match(p) for p in (*quote.parts, quote.text))
    for part in re.split(r";\s+|(?<=[.!?])\s+", statement)[1:]:
        opener = leading_subject(part, claim_names(part))
        if (
            opener
            and not quote.table_row
            and not listed
            and not re.match(rf"\W*(?:the\s+)?{re.escape(opener)}['’]", part)  # ("the Director's is …")
            and subject_moved(part, opener, quote.text, names(frame))
        ):
            yield Problem("subject", opener)

    # A list item under a negated intro ("does not reimburse:") is negated by it.
    lead_in_negated = bool(quote.lead_in) and is_negated(quote.lead_in)
    # Each item with no negation of its own is denied by the intro; of two items joined, one that has one
    # ("upgrades booked without approval") leaves the other denied all the same.
    # (the item without its bullet: "does not reimburse - travel insurance" would read as two statements)
    said_with_intro = quote.text
    if lead_in_negated:
        items = [_BULLET.sub("", item) for item in quote.parts or (quote.text,)]
        denied = [not is_negated(item) for item in items]
        intro = quote.lead_in.rstrip(": ")
        if all(denied):
            said_with_intro = f"{intro} {_BULLET.sub('', quote.text)}"
        elif any(denied):
            said_with_intro = ". ".join(
                f"{intro} {item}" if negated else item for item, negated in zip(items, denied, strict=True)
            )
    if lead_in_negated and affirms_denied_verb(claim, quote.lead_in):
        yield Problem("negation", "the claim affirms what the list's intro line denies")
    elif negation_disagrees(claim, said_with_intro, similar):
        yield Problem("negation", "the claim and the quote disagree on a negation")
    if makes_required(claim, f"{frame} {quote.lead_in} {quote.text}"):
        yield Problem("negation", "the claim makes required what the quote does not")
    if condition_waived(claim, quote.text):
        yield Problem("negation", "the claim waives a condition the quote sets")
    if exception_dropped(claim, quote.text):
        yield Problem("negation", "the claim leaves out the exception the quote sets")
    turned = un_word_turned(claim, quote.text)
    if turned:
        yield Problem("negation", f"'{turned}' turns the quote's word round")
    turned_round = side_turned(claim, quote.text)
    if turned_round:
        yield Problem("negation", turned_round)
    left_out = restricted_to_one(claim, quote.text)
    if left_out:
        yield Problem("negation", f"the claim says 'only' where the quote also names {left_out}")
    # (a heading's too: "• Conducting market research" under "Entry-level Directors" is not said of mid-level ones)
    compound = compound_swapped(claim, f"{quote.headings}. {quote.text}")
    if compound:
        yield Problem("entity", f"{compound[0]} for the quote's {compound[1]}")
    flipped = non_prefix_flipped(claim, quote.text)
    if flipped:
        yield Problem("negation", f"'non-{flipped}' and '{flipped}' are opposites")

    if quote.table_row and quote.table_header:
        from rag.columns import column_moved  # rag.columns reads rows with this module's parsers

        moved = column_moved(claim, quote.text, quote.table_header, names(frame), question)
        if moved:
            yield Problem("subject", f"{moved[1]!r} is not what the {moved[0]} column says")

    borrowed = name_from_another_part(statement, quote.parts) or subject_from_another_part(statement, quote.parts)
    for doer, said in relatives:
        borrowed = borrowed or name_from_another_part(f"{doer} {said}", quote.parts)
    if borrowed:
        yield Problem("subject", f"{borrowed[1]} stands where {borrowed[0]} is named")

    stand_in = new_list_item(claim, quote_stems | frame_stems, quote.text)
    if stand_in:
        yield Problem("entity", stand_in)
    beside = added_beside_just(claim, quote.text, quote_stems | frame_stems)
    if beside:
        yield Problem(*beside)
    if compared_sides_swapped(claim, quote.text):
        yield Problem("comparison", "the two sides of the comparison trade places")

    def elsewhere(part: str) -> frozenset[str]:
        return frozenset().union(*(content_stems(other) for other in quote.parts if other != part))

    # of joined units, each on its own too: a word the other unit also has is placed by neither
    swapped = (
        swapped_places(claim, quote.text)
        or next(filter(None, (swapped_places(claim, part, elsewhere(part)) for part in quote.parts)), None)
        or parallel_roles_swapped(claim, quote.text)
        or relative_clause_moved(claim, quote.text)
        or predicate_moved(claim, quote.text)
        or opener_moved(claim, quote.text)
        or condition_moved(claim, quote.text)
        or quoted_terms_swapped(claim, quote.text)
        or term_swapped(claim, quote.text)
        or figures_swapped(claim, quote.text)
        or respectively_swapped(claim, quote.text)
        or from_to_reversed(claim, quote.text)
        or then_and_now_swapped(claim, quote.text)
    )
    if swapped:
        yield Problem("swap", " <-> ".join(swapped))

    restated = without_restated_quantities(claim, quote.text)
    # "taller than 300 metres" for "over 300 metres tall"
    bounds_restated = {
        f"{_COMPARISON_CLASSES.get(word, stem(word))} {BOUND_ON_FIGURE}"
        for word in words(claim)
        if word.endswith("er") and restated_bound(claim, word, quote.text)
    }
    bounds_restated |= equals_restated(claim, quote.text)
    changes = changes_restated(claim, quote.text)
    if addition_restated(claim, quote.text):
        changes |= {"more"}
    for cue in comparisons(restated):
        quote_comparisons = (
            comparisons_stated_for(cue, restated, quote) | comparisons(frame) | bounds_restated | changes
        )
        if cue.endswith(BOUND_ON_FIGURE):
            if cue not in quote_comparisons and cue.split()[0] not in quote_comparisons:
                yield Problem("comparison", cue)  # the figure check compares the figure itself
        elif cue not in quote_comparisons:
            yield Problem("comparison", cue)
    graded = (
        graded_forms(claim, quote.text)
        or superlative_measure_changed(claim, quote.text)
        or ranking_unhedged(claim, quote.text)
        or first_to_unstated(claim, quote.text)
        or comparative_unstated(claim, quote.text)
    )
    if graded:
        yield Problem("comparison", graded)
    standard = unstated_standard(restated, quote.text, quote_stems | frame_stems | question_stems)
    if standard:
        yield Problem("comparison", standard)

    supported = quote_stems | frame_stems | question_stems
    supported |= spelled_out_acronyms(claim, said_anywhere)
    # Of joined units the claim restates one: the other lends the clause that ends the claim its names ("They
    # …" is that unit's subject), not words for a fact of its own ("…, and sits on the board" from "a post
    # that sits within …"). An opening remark may still take a word of it ("It comes down to scope: …").
    body = statement  # "Yes, …" answers the question; the rest is the statement
    parts = clauses(body)
    if not _SAYS_WHEN.search(quote.text):
        parts = [piece for part in parts for piece in _TIME_CLAUSE.split(part) if piece.strip(" ,.")]
    last = len(parts or [body]) - 1
    tail_supported = supported
    lone = lone_restated_part(claim, quote.parts)
    # (a phrase of the other unit, word for word, is a merge: "…, and it offers guided tours in Spanish")
    if lone is not None and not any(_pairs((parts or [body])[last]) & _pairs(p) for p in quote.parts if p != lone):
        written = set().union(*(name_stems(n) for n in claim_names(claim)))  # the names it writes as names
        # (every word: "crews own the rota" lends "own", a function word there, to "… and owns the budget")
        lent = set().union(
            *(
                every_stem(p) - every_stem(" ".join(n for n in claim_names(p) if name_stems(n) <= written))
                for p in quote.parts
            )
        )
        tail_supported = (supported - (lent - every_stem(lone))) | frame_stems | question_stems
    unsupported: list[str] = []  # statements that bring content of their own
    if len(parts) > 1:
        for at, part in enumerate(parts):
            needed = content_stems(part)
            backed = needed & (tail_supported if at == last else supported)
            if len(needed) >= CLAUSE_MIN_WORDS and len(backed) / len(needed) < CLAUSE_MIN_COVERAGE:
                unsupported.append(part)
    run = longest_unsupported_run(body, supported)
    new_words = [w for w in content_words(body) if stem(w) not in supported]
    share = len(new_words) / max(1, len(content_words(body)))
    reworded = False  # new words spread over the claim, none making a statement of their own
    if len(run) >= MAX_UNSUPPORTED_RUN:
        unsupported.append(next((s for s in statements(body) if run[0] in words(s)), body))
    elif len(new_words) >= MAX_UNSUPPORTED_RUN and share >= MAX_NEW_SHARE:
        # Reworded all over only if no statement of it is mostly new ("… and owns the sales targets").
        reworded = not unsupported and not any(
            len(needed - supported) >= MAX_UNSUPPORTED_RUN
            and len(needed & supported) / len(needed) < CLAUSE_MIN_COVERAGE
            for needed in map(content_stems, statements(body))
        )
        unsupported.append(next((s for s in statements(body) if new_words[0] in words(s)), body))
    # A mostly new stretch after a comma, ending a clause that otherwise repeats the quote, is an addition to
    # it, not a rewording: it is compared on its own ("…, which should be retired, typically in a formal
    # quarterly review").
    added = [
        piece
        for at, part in enumerate(parts or [body])
        for piece in added_stretches(
            part, body, quote.parts or [quote.text], tail_supported if at == last else supported
        )
    ]
    unsupported = [part for part in unsupported if not any(piece in part for piece in added)] + added
    if unsupported and similar is not None:
        # A clause rewords the quote, or the clause of the quote it restates (a fragment of a long quote
        # is never close to the whole of it).
        # A list item is read with its intro line ("does not reimburse: travel costs of partners").
        said = f"{quote.lead_in.rstrip(': ')}: {quote.text}" if quote.lead_in else quote.text
        # "They lie in …" is compared as "The Karsk Mountains lie in …": a pronoun costs an embedding dearly.
        subject_of_quote = leading_subject(quote.text, claim_names(quote.text))

        def closeness(part: str, *texts: str) -> float:
            named = with_subject(part, subject_of_quote, quote.text)
            if named == part:
                return max(similar(part, texts))
            # The quote's subject read into "They …" must not carry the clause on its own: a clause that shares
            # nothing with the quote but its subject ("They usually hold a seat on the board") is a new fact.
            named_score = max(similar(named, texts))
            if named_score < REWORDING_SIMILARITY:
                return named_score
            own_score = max(similar(part, texts))
            return named_score if own_score >= OWN_WORDS_SIMILARITY else own_score

        quote_parts = clauses(quote.text)
        unsupported = [
            part
            for part in unsupported
            if adds_to_a_name(part, body, quote.text, supported)
            or closeness(
                part, said, aligned_clause(part, quote_parts) or quote.text, *restated_stretch(part, quote.text)
            )
            < REWORDING_SIMILARITY
        ]
        # Words changed all over a claim reword it as a whole: the whole claim is what must stay close. A
        # stretch added to a clause that repeats the quote keeps the whole close however much it adds ("…in
        # 2022, most of it recovered as a by-product of steel slag"): it rewords the quote only if the claim
        # is about as close to the quote without it ("…, provided their manager signs off in writing" for
        # "with the written approval of their manager").
        whole = closeness(body, said) if reworded and unsupported else 0.0
        if whole >= REWORDING_SIMILARITY:
            unsupported = [
                part
                for part in unsupported
                if part in added and closeness(body.replace(part, " "), said) - whole > ADDED_STRETCH_DRIFT
            ]
    yield from (Problem("clause", part) for part in dict.fromkeys(unsupported))
    yield from (Problem("clause", example) for example in added_examples(body, supported))
    yield from (Problem("clause", aside) for aside in added_asides(body, supported))
    if restates_only_names(body, quote.text, (*claimed_names, subject or "")) and not (
        similar is not None
        and max(similar(with_subject(body, quote_subject, quote.text), [quote.text])) >= REWORDING_SIMILARITY
    ):
        yield Problem("clause", "the quote shares nothing with it but names")


_QUOTE_STRETCH_BREAK = re.compile(r"[,;:]\s*|\s+(?:and|but|while)\s+", re.IGNORECASE)


def restated_stretch(part: str, quote: str) -> list[str]:
    """The stretch of a one-clause quote that a claim clause rewords, when one shares more of its words than
    any other ("makes sure they line up with the wider objectives" rewords "ensuring that it aligns with
    overall objectives", the end of a long sentence the clause is never close to as a whole)."""
    stretches = [s for s in _QUOTE_STRETCH_BREAK.split(quote) if len(content_stems(s)) >= 2]
    if len(stretches) < 2:
        return []
    shared = [len(content_stems(s) & content_stems(part)) for s in stretches]
    best = max(shared)
    return [stretches[shared.index(best)]] if best >= 2 and shared.count(best) == 1 else []


def _pairs(text: str) -> set[tuple[str, str]]:
    """Neighbouring content words, by stem."""
    sequence = [stem(w) for w in content_words(text)]
    return set(zip(sequence, sequence[1:], strict=False))


LONE_PART_RESTATED = 0.5  # share of a unit's content words a claim keeps when it restates that unit
LONE_PART_TOUCHED = 0.3  # below this share, a claim restates nothing of the other unit


# "A rather than just B" says A as well as B: the word just before it names what it adds.
_RATHER_THAN_JUST = re.compile(rf"\b(?:rather than|instead of)\s+{_ONLY}\b", re.IGNORECASE)


def added_beside_just(claim: str, quote: str, supported: set[str]) -> tuple[str, str] | None:
    """What a claim adds with "A rather than just B" where the quote says only B: A new to the quote ("cash
    rather than just food parcels" for "food parcels"), or A the quote denies ("covers installation rather than
    just the boiler" for "pays for the boiler but not for its installation")."""
    for match in _RATHER_THAN_JUST.finditer(claim):
        before = content_words(claim[: match.start()])
        if not before or claim[: match.start()].rstrip().endswith(","):
            continue  # (after a comma it sets the whole clause against B: "…, rather than only on execution")
        added = stem(before[-1])
        if added not in supported:
            return "clause", before[-1]
        if any(added in content_stems(part) for part in statements(quote) if is_negated(part)):
            return "negation", before[-1]
    return None


def lone_restated_part(claim: str, parts: Sequence[str]) -> str | None:
    """Of joined units, the only one the claim restates, when it takes next to nothing from the others."""
    if len(parts) < 2:
        return None
    claimed = content_stems(claim)
    shares = [len(stated & claimed) / len(stated) if stated else 0.0 for stated in map(content_stems, parts)]
    restated = [p for p, share in zip(parts, shares, strict=True) if share >= LONE_PART_RESTATED]
    if len(restated) != 1 or any(LONE_PART_TOUCHED <= share < LONE_PART_RESTATED for share in shares):
        return None
    return restated[0]


def adds_to_a_name(part: str, claim: str, quote: str, supported: set[str]) -> bool:
    """A relative clause set off by a comma, with two or more words the quote lacks, states a fact of its own
    about the word before it ("the harbour, which also hosts a ferry museum"): however close in meaning,
    it is no rewording of the quote, unless the quote has a relative clause on that word too ("Belgium,
    which took the title" for "Belgium, which won") or a sentence of its own about it."""
    at = claim.find(part)
    relative = re.search(r"(\w+),\s*(?:which|who)\s*$", claim[:at] + " ", re.IGNORECASE) if at > 0 else None
    if relative is None or len(content_stems(part) - supported) < 2:
        return False
    # (a quote sentence that opens with the word says something of it too: "Belgium. Belgium took the title")
    word = re.escape(relative[1])
    return re.search(rf"\b{word},\s*(?:which|who)\b|(?:^|[.!?]\s+)(?:the\s+)?{word}\b", quote, re.IGNORECASE) is None


# Examples named after "including" / "such as" are facts of their own: "stakeholders, including investors".
_EXAMPLE_LEAD = r"\b(?:including|such as|for example|for instance|e\.g\.,?)\s+"
_EXAMPLES = re.compile(
    _EXAMPLE_LEAD +
    # up to three words, before the clause's own verb ("such as an MBA is required") and a comma or stop
    rf"((?:(?!(?:{_AUXILIARIES})\b)"
    r"(?:[^\s,.;:()\u2013\u2014]|\.(?=\w))+\s*){1,3})"  # a dot inside a token ("anna.jansen@…") stays
    # set off by punctuation: "…, including investors, …"; unpunctuated, the words after may be the verb's
    r"(?=[,;:.()\u2013\u2014]|$)",
    re.IGNORECASE,
)


# "…, including setting the prices": an activity given as an example, up to the end of its stretch.
_ACTIVITY_EXAMPLE = re.compile(
    _EXAMPLE_LEAD + r"(\w+ing\b[^,;:.()\u2013\u2014]{0,60})(?=[,;:.()\u2013\u2014]|$)",
    re.IGNORECASE,
)


# "-ing" words that are no activity ("including everything from …", "such as morning classes")
_NOT_GERUNDS = re.compile(r"^(?:\w*thing|morning|evening|ceiling|building|clothing|housing|ring|king|spring|string)$")
ACTIVITY_PREFIX = 4  # letters a word shares with one the quote has when it only changes its form ("storing"/"storage")


def added_examples(claim: str, supported: set[str]) -> list[str]:
    """The examples the claim names that neither the quote nor the question names (names are the name
    check's: they may come from the title)."""

    def unsupported(example: str) -> set[str]:
        return content_stems(re.sub(r"\b[A-Z]\w*", " ", example)) - supported

    out = [m[0] for m in _EXAMPLES.finditer(claim) if unsupported(m[1])]
    activities = [m for m in _ACTIVITY_EXAMPLE.finditer(claim) if not _NOT_GERUNDS.match(m[1].split()[0].lower())]
    if activities:
        # a noun of the quote said as a verb ("maintaining" for "the maintenance of") is no new activity
        prefixes = {w[:ACTIVITY_PREFIX] for w in supported if len(w) >= ACTIVITY_PREFIX}
        out += [m[0] for m in activities if any(w[:ACTIVITY_PREFIX] not in prefixes for w in unsupported(m[1]))]
    return list(dict.fromkeys(out))


def restates_only_names(claim: str, quote: str, names: Sequence[str]) -> bool:
    """The claim shares no word and no figure with its quote but its names: the quote is about them, not about
    what the claim says of them ("Directors own the org design" cited to "In essence, the Director leads
    teams", the rest from the question). A quote of names alone (a list of titles) has nothing else to share."""
    named = set().union(*(name_stems(n) | {stem(w) for w in words(n)} for n in (*names, *claim_names(quote))))
    # (one word of its own is a word changed, which the other checks weigh: "Pets are banned on Fridays")
    if not content_stems(quote) - named or len(content_stems(claim) - named) < 2:
        return False
    numbers = set(re.findall(r"\d+", in_digits(claim))) & set(re.findall(r"\d+", in_digits(quote)))
    return not numbers and not (content_stems(claim) & content_stems(quote)) - named


# An aside: words set off by a pair of dashes or by brackets inside a sentence.
_SET_OFF = re.compile(
    r"\s*[\u2013\u2014]\s*([^\u2013\u2014]+?)\s*[\u2013\u2014]\s*|\s-\s([^\u2013\u2014]+?)\s-\s|\(([^()]+)\)|\[([^\[\]]+)\]"
)
# An aside that adds to what the sentence names, rather than glossing it ("(holiday)", "(UN)", "— crucially —").
_ADDING = re.compile(r"^\W*(?:and|plus|as well as|along with|together with|including|also|even)\b", re.IGNORECASE)


def added_asides(claim: str, supported: set[str]) -> list[str]:
    """Asides that add to what the sentence names, with a word the quote, its headings and the question lack:
    "— and often legal —" or "(and partners)" is a thing of its own, however small. A gloss, an acronym or a
    remark set off the same way says nothing new; "(or comparable)" loosens rather than adds."""
    out = []
    for match in _SET_OFF.finditer(claim):
        aside = next(group for group in match.groups() if group)
        # (a figure's conversion, "(798 miles)", is the figure check's)
        if not _ADDING.match(aside) or figures(aside, every_number=True):
            continue
        if content_stems(aside) - supported:
            out.append(aside.strip())
    return out


# Where a clause takes on another piece: a comma, a dash, brackets, or "and a …" / "as well as a …" (an adverb
# may come between: "and usually the …", "and also the …").
_BEFORE_A_COMPLEMENT = r"\w+ly|also|later|then|now|still|often|even"
_STRETCH_BREAK = re.compile(
    r",\s*|\s+[\u2013\u2014-]\s+|\s*\(\s*|\s*\)\s*|"
    rf"\s+(?:and|as well as|plus)\s+(?=(?:(?:{_BEFORE_A_COMPLEMENT})\s+)?(?:a|an|the)\s)|"
    # another way of doing it: "booked through the calendar or with the panel by the door"
    r"\s+or\s+(?=(?:with|through|via|using|by|from|at|in|on)\s)",
    re.IGNORECASE,
)


_AND_COMPLEMENT = re.compile(r"\s(?:and|as well as|plus|or)\s+$", re.IGNORECASE)  # ("or": another way)
_PREDICATE_START = re.compile(
    r"^\W*(?:is|are|was|were|has|have|had|can|could|will|would|may|might|must|should|does|do|did)\b", re.IGNORECASE
)
_JOINED_PREDICATE = re.compile(
    r"\s+and\s+(?=(?:(?:now|also|still|since|later|today|even)\s+)?"
    r"(?:is|are|was|were|has|have|had|can|will|became|becomes|remains|remained)\b)",
    re.IGNORECASE,
)
QUOTE_RESTATED = 0.7  # share of the quote's content words a claim keeps when it restates the quote as written


def added_stretches(part: str, claim: str, quote_parts: Sequence[str], supported: set[str]) -> list[str]:
    """The clause's last stretch, when it brings new words to a clause that otherwise only repeats the quote,
    in a claim that keeps the quote's own words (a rewording drops some of them for its new ones)."""
    stretches = [s for s in _STRETCH_BREAK.split(part) if s.strip()]
    # "… was introduced in 2012 and now has its own championship": a second predicate joined by "and".
    joined = _JOINED_PREDICATE.split(stretches[-1], maxsplit=1) if stretches else []
    second_predicate = len(joined) == 2 and bool(joined[0].strip())
    if second_predicate:
        stretches[-1:] = joined
    if len(stretches) < 2:
        return []
    claimed = content_stems(claim)
    # of joined units, the one the claim restates
    if not any(
        stated and len(stated & claimed) / len(stated) >= QUOTE_RESTATED for stated in map(content_stems, quote_parts)
    ):
        return []
    # The last stretch, or one set off by commas inside the clause ("…in 2008, funded by a national grant, to
    # help …"); the first holds the clause's subject.
    for at in range(len(stretches) - 1, 0, -1):
        rest = set().union(*(content_stems(s) for i, s in enumerate(stretches) if i != at))
        # the rest of the clause repeats the quote, a word reworded at most ("seats 12 people")
        if len(rest - supported) > 1:
            continue
        last = at == len(stretches) - 1
        if _PREDICATE_START.match(stretches[at]) and not (last and second_predicate):
            continue  # "(…) is listed among …": the clause's own verb, not an addition to it
        if not last and not set_off_by_commas(stretches[at], part):
            continue
        if _ATTRIBUTION.match(stretches[at]):
            continue  # "…, as outlined in the leave policy, …" says where the quote is from, not a fact
        needed = {w for w in content_stems(stretches[at]) if not any(c.isdigit() for c in w)}  # figures: apart
        new = needed - supported
        if len(new) >= MAX_UNSUPPORTED_RUN and len(new) / len(needed) > 1 - CLAUSE_MIN_COVERAGE:
            return [stretches[at]]
        if last and second_predicate and new and new == needed:
            return [stretches[at]]  # a statement of its own, every word of it new
        # "… is their advocate and usually the one who signs off on pay": a second complement, all of it new
        if last and len(new) >= 2 and new == needed and _AND_COMPLEMENT.search(part[: part.rfind(stretches[at])]):
            return [stretches[at]]
    return []


_ATTRIBUTION = re.compile(
    r"^\W*(?:as\s+(?:\w+\s+)?(?:outlined|stated|described|noted|set out|mentioned|explained|specified|shown|"
    r"listed|given|defined|laid out|written)\b|per\b|according to\b|in line with\b|in keeping with\b|"
    r"in accordance with\b)",
    re.IGNORECASE,
)


def set_off_by_commas(stretch: str, text: str) -> bool:
    at = text.find(stretch)
    return at > 0 and text[:at].rstrip().endswith(",") and text[at + len(stretch) :].lstrip().startswith(",")


# A list of three or more short items: "data analytics, business intelligence and machine learning". Split at
# commas and a last "and"/"or" within one stretch of the sentence (no nested pattern: linear in its length).
_SERIES_STRETCH = re.compile(r"[;:.()]")
_SERIES_LAST = re.compile(r"^(?:and|or)\s+|\s+(?:and|or)\s+", re.IGNORECASE)
SERIES_ITEM_WORDS = 4  # longer "items" are clauses, not a list of things
# Words that open a clause, not a thing in a list ("…, and its name comes from …", "…, which ought to …").
_CLAUSE_OPENERS = {"which", "who", "whom", "whose", "that", "its", "it", "they", "their", "them", "he", "she", "his",
                   "her", "we", "you", "your", "our", "where", "when", "while", "this", "these", "those"}  # fmt: skip


def name_from_another_part(claim: str, parts: Sequence[str]) -> tuple[str, str] | None:
    """A statement that restates one unit of a quote joining several, with a name of another unit standing
    in for one of its own: "the Director designs teams" from "The Director leads teams. The Head of Product
    designs teams." Each unit alone would catch it; joined, both names are the quote's."""
    if len(parts) < 2:
        return None
    for statement in statements(claim):
        stated = list(claim_names(statement))
        if not stated:
            continue
        # a name's own words, in both spellings the word checks use ("Corrette": "corrette", "corrett")
        ignore = frozenset(w for n in stated for w in name_stems(n) | {stem(x) for x in words(n)})
        # what the statement says, without an opening phrase ("In essence, …") that any unit may share
        said = _OPENING_PHRASE.sub("", statement, count=1)
        wanted = (content_stems(said) | set(re.findall(r"\d+", in_digits(said)))) - ignore
        shared = [len((content_stems(p) | set(re.findall(r"\d+", in_digits(p)))) & wanted) for p in parts]
        best = max(shared)
        if not best or shared.count(best) > 1:
            continue  # no one unit it restates
        aligned = parts[shared.index(best)]
        others_words = set().union(*(content_stems(p) for p in parts if p != aligned))
        if (wanted & others_words) - content_stems(aligned):
            continue  # the statement joins words of both units: a merge, not one unit's fact
        own = name_pool(aligned)
        others = name_pool(" ".join(p for p in parts if p != aligned))
        strangers = [n for n in stated if not name_stems(n) <= own and name_stems(n) <= others]
        if not strangers:
            continue
        mentioned = name_pool(statement)
        lacking = [n for n in claim_names(aligned) if not name_stems(n) <= mentioned]
        if lacking:
            return lacking[0], strangers[0]
    return None


def _opening_word(text: str) -> str | None:
    """The stem of the word a statement opens with, past an opening phrase and a determiner ("Visitors use …",
    "The guests use …"), when it is a content word."""
    opening = re.match(r"[^\W\d_]+", _SUBJECT_LEAD.sub("", _OPENING_PHRASE.sub("", text.strip(), count=1), count=1))
    if opening is None or opening.group().lower() in STOPWORDS:
        return None
    return stem(opening.group().lower())


# Words that refer back to whoever a text is about ("The role combines …" after "Head of Sales is …").
_ROLE_WORDS = frozenset(stem(w) for w in ("role", "position", "post", "job", "person", "one", "title"))


def _titles_inside(text: str) -> set[str]:
    """Stems of the capitalised words of a text past its first word: titles and names it mentions."""
    tokens = re.findall(r"[^\W\d_]+", _BULLET.sub("", text))
    return {stem(t.lower()) for t in tokens[1:] if t[0].isupper() and t.lower() not in STOPWORDS}


def subject_from_another_part(claim: str, parts: Sequence[str]) -> tuple[str, str] | None:
    """Like `name_from_another_part`, for a plain word: a statement restating one unit of a joined quote opens
    with the word another unit opens with, in place of its own ("Employees use the guest network" from
    "Employees use the staff network. Visitors use the guest network")."""
    if len(parts) < 2:
        return None
    openers = [_opening_word(p) for p in parts]
    for at, statement in enumerate(statements(claim)):
        opener = _opening_word(statement)
        if opener is None or opener in _ROLE_WORDS:
            continue
        # The sentence's own subject may also be a title another unit only mentions ("Clerks own the budget"
        # from "The Treasurer owns the budget. They decide how many Clerks are hired"). A plain word there is
        # often what the unit refers back to ("The library lends laptops. Each device …": "Laptops can be
        # borrowed …"), and a later statement's first word is often no subject ("covers two octaves").
        mentioned = at == 0 and any(opener in _titles_inside(p) for p in parts)
        if opener not in openers and not mentioned:
            continue
        said = _OPENING_PHRASE.sub("", statement, count=1)
        wanted = content_stems(said) - {opener}
        shared = [len(content_stems(p) & wanted) for p in parts]
        best = max(shared)
        if best < 2 or shared.count(best) > 1:
            continue  # no one unit it restates
        index = shared.index(best)
        aligned, own = parts[index], openers[index]
        others_words = set().union(*(content_stems(p) for i, p in enumerate(parts) if i != index))
        if (wanted & others_words) - content_stems(aligned):
            continue  # the statement joins words of both units: a merge
        # (its own opener said in another form: "Students pay the fee" for "Payment of the fee is made")
        said_forms = content_stems(statement)
        if (
            own is None
            or own == opener
            or opener in content_stems(aligned)
            or any(len(w) >= 3 and (own.startswith(w) or w.startswith(own)) for w in said_forms)
        ):
            continue
        return own, opener
    return None


def new_list_item(claim: str, supported: set[str], quote: str = "") -> str | None:
    """An item of a list that the quote does not have, beside items it does: "data analytics, business
    intelligence and cybersecurity" for "… and machine learning" swaps one thing of the list for another."""
    for stretch in _SERIES_STRETCH.split(without_answer_word(claim)):
        pieces = [p.strip() for p in stretch.split(",")]
        # the list ends at its "and"/"or" item; the sentence may go on after it (", to ensure …")
        last = next((k for k in range(1, len(pieces)) if _SERIES_LAST.search(pieces[k])), None)
        if last is None:
            continue
        # The list runs back from its "and"/"or" item over short items; the longer piece before them holds its
        # first item at its end ("often with experience in software development, engineering or IT").
        first = last - 1
        while first > 0 and len(pieces[first].split()) <= SERIES_ITEM_WORDS:
            first -= 1
        pieces = pieces[first : last + 1]
        # "…, including engineering, marketing and sales": the list starts after its lead word
        lead = next((k for k, p in enumerate(pieces) if _EXAMPLES_LEAD.match(p)), None)
        if lead is not None:
            pieces = pieces[lead:]
            pieces[0] = _EXAMPLES_LEAD.sub("", pieces[0], count=1).strip()
        items = [i.strip() for i in pieces[:-1] + _SERIES_LAST.split(pieces[-1], maxsplit=1) if i.strip()]
        if len(items) < 3:
            continue
        items[0] = " ".join(items[0].split()[-3:])  # the words before the list are not part of its first item
        items[-1] = " ".join(items[-1].split()[:3])
        # Activities ("mentoring them", "putting in place …") are reworded freely; things are named.
        if any(
            len(i.split()) > SERIES_ITEM_WORDS
            or re.search(r"[\d@]", i)
            or i.split()[0].lower() in _CLAUSE_OPENERS
            # ("marketing" alone names a function; "mentoring them" is an activity)
            or (len(i.split()) > 1 and i.split()[0].lower().endswith("ing"))
            or _REFERRING.search(i)
            for i in items[1:]
        ):
            continue
        # "prioritization" names what "how priorities are set" does: a word is known by its longer stem too
        stems = [{_known_form(stem(w), supported) for w in content_words(i)} for i in items]
        if any(s and s <= supported for s in stems):
            # new, or mostly new beside a shared head noun ("machine learning platforms" for "cybersecurity
            # platforms")
            new = next(
                (
                    i
                    for i, s in zip(items, stems, strict=True)
                    # an acronym ("BI") may stand for words of the quote: it is not judged by its letters
                    if s
                    and not i.isupper()
                    and not spells_an_acronym(i, quote)  # "site managers" for the quote's "SMs"
                    and not (len(i.split()) == 1 and i.lower().endswith("ing"))  # an activity, reworded freely
                    and len(s - supported) * 2 > len(s)
                ),
                None,
            )
            if new is not None:
                return new
    return None


KNOWN_PREFIX = 6  # letters of a stem that another form of the word shares ("priorit-iz-ation", "priorit-ies")
KNOWN_SHARE = 0.8  # of the longer stem: "account" is not "accountabl", nor "product" "productiv"


def _known_form(word_stem: str, supported: set[str]) -> str:
    """The supported stem of another form of the word, if any; else the stem itself."""
    if word_stem in supported or len(word_stem) < KNOWN_PREFIX:
        return word_stem

    def same_word(other: str) -> bool:
        shorter, longer = sorted((word_stem, other), key=len)
        return len(shorter) >= KNOWN_PREFIX and longer.startswith(shorter) and len(shorter) >= KNOWN_SHARE * len(longer)

    return next((s for s in supported if same_word(s)), word_stem)


SWAP_WINDOW = 2  # content words either side that make up a word's place in its clause


@_text_cache(maxsize=4096)
def _places(text: str) -> tuple[dict[str, set[str]], dict[str, int]]:
    """Per content word (stem): the content words around it in its clause, and the clause it is in (cached:
    read, never changed)."""
    around: dict[str, set[str]] = {}
    clause_of: dict[str, int] = {}
    for index, part in enumerate(clauses(text) or [text]):
        sequence = [stem(w) for w in content_words(part)]
        for i, word in enumerate(sequence):
            near = sequence[max(0, i - SWAP_WINDOW) : i] + sequence[i + 1 : i + 1 + SWAP_WINDOW]
            around.setdefault(word, set()).update(near)
            clause_of[word] = -1 if clause_of.get(word, index) != index else index  # -1: in several clauses
    return around, clause_of


# "Taiwan, which hosted the 2009 event, and China": the relative clause belongs to the name just before it.
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who)\s+([a-z]+)\b")
# Words after "which" / "who" that tie no fact of their own to the name: linking verbs ("which is", "who has")
# and the adverbs before a verb ("who also …").
_LINKING_VERBS = {"is", "are", "was", "were", "be", "been", "has", "have", "had", "can", "could", "will", "would",
                  "may", "might", "must", "should", "does", "do", "did", "also", "often", "still"}  # fmt: skip
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|being|be)\s+$", re.IGNORECASE)
# "which is …" / "which has …" does tie a fact to the name when what follows is said again word for word
# ("Norway, which has about 9,000 registered players" -> "Sweden has about 9,000 registered players"): two
# words of it, not one, as "be" and "have" take almost anything, and said right after the name.
_BE_HAVE = {"is", "are", "was", "were", "has", "have", "had"}
BE_HAVE_WORDS_RESTATED = 2


def relative_clause_moved(claim: str, quote: str) -> tuple[str, str] | None:
    """What a relative clause says of one name, the claim says of another name of the quote, whether or not
    it names the first one too ("China, which hosted the event" or "China hosted the event" from "Taiwan,
    which hosted the event, and China"): (the quote's name, the claim's). The claim's verb must take the
    relative clause's object, so "Anna also plays in the band" is not "Tom, who plays the cello"."""
    quote_names = claim_names(quote)
    # a claim's name is the quote's name it is, or is part of ("Berg" for "Anna Berg")
    claimed = {n: q for n in claim_names(claim) for q in quote_names if n == q or re.search(rf"\b{re.escape(n)}\b", q)}
    if not claimed:
        return None
    relatives = [
        (m, next((n for n in quote_names if quote[: m.start()].endswith(n)), None))
        for m in _RELATIVE_CLAUSE.finditer(quote)
    ]
    for match, owner in relatives:
        verb = match[1]
        be_have = verb in _BE_HAVE
        if owner is None or (verb in _LINKING_VERBS and not be_have):
            continue
        # what the clause's verb takes
        taken = content_stems(" ".join(quote[match.end() :].split()[: 4 if be_have else 3]))
        needed = BE_HAVE_WORDS_RESTATED if be_have else 1
        # names with a relative clause of the same verb of their own ("Oslo, which has …, and Bergen, which
        # has …") are each that clause's owner
        owners = {o for m, o in relatives if m[1] == verb}
        verb_forms = re.escape(verb) if be_have else rf"{re.escape(stem(verb))}(?:s|es|ed|d|ing)?"
        for said in re.finditer(rf"\b{verb_forms}\b", claim, re.IGNORECASE):
            before, after = claim[: said.start()], claim[said.end() :]
            if _PASSIVE_BEFORE.search(before) or re.match(r"\s+by\b", after):
                continue  # "the event was hosted by Taiwan": the name comes after the verb
            if len(taken & content_stems(" ".join(after.split()[: 5 if be_have else 4]))) < needed:
                continue
            # the doer: the name before ", which" / ", who", else the last name of the verb's own clause (for
            # "be" and "have", the name right before it: "Bergen lies in Norway and is …" is Bergen's)
            relative = re.search(r",\s*(?:which|who)\s+(?:\w+ly\s+)?$", before)
            clause = before[: relative.start()] if relative else re.split(r"[,.;!?]\s", before)[-1]
            if be_have and not relative:
                right_before = [n for n in claimed if re.search(rf"\b{re.escape(n)}\s+(?:\w+ly\s+)?$", clause)]
                placed = [(0, claimed[n]) for n in right_before]
            else:
                placed = [(clause.rfind(n), q) for n, q in claimed.items() if n in clause]
            doer = max(placed)[1] if placed else None
            if doer is not None and doer not in owners:
                return owner, doer
    return None


# A non-restrictive aside ("The Aldra, which is the longest, …", "X, at 412 km, …") says something of the
# name before it; what the clause itself says is read without it.
_ASIDE = re.compile(r",\s+(?:which|who|whose|at|with|now|once|also)\b[^,;:.!?]*,")
MOVED_PREDICATE_WORDS = 3  # words a claim clause shares with one quote clause before it counts as restating it
MOVED_PREDICATE_SHARE = 0.6  # and that share of the quote clause's own words


def predicate_moved(claim: str, quote: str) -> tuple[str, str] | None:
    """What one clause of the quote says of its name, the claim says of another name of the quote: "The
    Aldra contributes the largest volume" from "The Aldra is the longest, while the Mavel contributes the
    largest volume". (the quote clause's name, the claim's). Both names are the quote's, so no name check
    sees it, and only one of them is in the claim, so neither does a swap of places."""
    quote_parts = [p for p in clauses(_ASIDE.sub(" ", quote)) if p.strip()]
    if len(quote_parts) < 2:
        return None
    named_in = [{frozenset(name_stems(n)) for n in claim_names(p)} for p in quote_parts]
    every_name = set().union(*named_in)

    def own_words(text: str, names_in: Iterable[frozenset[str]]) -> set[str]:
        name_words = {stem(w) for n in names_in for w in n}
        return {w for w in content_stems(text) - name_words if not any(c.isdigit() for c in w)}

    said = [own_words(p, n) for p, n in zip(quote_parts, named_in, strict=True)]
    for part in clauses(_ASIDE.sub(" ", claim)):
        claimed = {n for n in every_name if n <= name_stems(" ".join(claim_names(part)))}
        if len(claimed) != 1:
            continue
        words_of_part = own_words(part, claimed)
        shared = [len(words_of_part & s) for s in said]
        best = max(range(len(said)), key=shared.__getitem__)
        # the claim clause restates that quote clause and little else (not two clauses run together)
        if (
            shared[best] < MOVED_PREDICATE_WORDS
            or shared[best] < MOVED_PREDICATE_SHARE * max(len(said[best]), len(words_of_part))
            or shared.count(shared[best]) > 1
        ):
            continue
        (name,) = claimed
        # whom the quote clause says it of: the name it opens with ("He moved to Vienna" names no owner,
        # and Vienna is a place in it, not its subject)
        owner = leading_subject(quote_parts[best], claim_names(quote_parts[best]))
        if owner and not name <= set().union(*named_in[best]):
            return owner, " ".join(sorted(name))
    return None


OPENER_SUBJECT_WORDS = 2  # content words at a clause's start taken for its subject ("the outer foothills")
OPENER_PREDICATE_WORDS = 1  # words of the other clause's predicate the claim clause restates
OPENER_PREDICATE_SHARE = 0.5  # and that share of them
# Two clauses set against each other in one sentence: "X is granite, while Y is limestone" (a semicolon may
# only go on to the next thing: "was founded in 1990; the head office moved …").
_CONTRAST_JOIN = re.compile(r"\b(?:while|whereas|but|yet)\b")
_FRONTED_CONTRAST_WORD = re.compile(rf"^(?:{_CONTRAST_OPENERS})\b", re.IGNORECASE)
_ANY_CONTRAST = re.compile(rf"\b(?:{_CONTRAST_OPENERS}|but|yet)\b", re.IGNORECASE)


def _set_against(text: str, first: str, second: str) -> bool:
    """Clauses `first` and `second` of `text` contrast two things in one sentence."""
    (start, earlier), (end, _) = sorted(((text.find(first), first), (text.find(second), second)))
    if start < 0:
        return False
    between = text[start + len(earlier) : end]
    if re.search(r"[.!?]\s", between):
        return False
    return bool(_CONTRAST_JOIN.search(between) or _FRONTED_CONTRAST_WORD.match(earlier))


def opener_moved(claim: str, quote: str) -> tuple[str, str] | None:
    """A claim clause opens with the subject of one of two contrasted clauses of the quote and goes on with what
    the other says of its own subject: "The outer foothills consist mainly of granite" from "The central ridge
    consists mainly of granite, while the outer foothills are made of limestone". Returns (the subject the quote
    gives the fact, the claim's). All the words are the quote's, so neither a name check nor coverage sees it."""
    if not _ANY_CONTRAST.search(quote):
        return None
    quote = _ASIDE.sub(" ", quote)
    quote_parts = [p for p in clauses(quote) if p.strip()]
    if len(quote_parts) < 2:
        return None
    said = [[stem(w) for w in content_words(p)] for p in quote_parts]
    every_word = {w for s in said for w in s}
    # only a word one clause alone has tells which clause the claim takes it from
    only = [set(s) - {w for j, other in enumerate(said) if j != i for w in other} for i, s in enumerate(said)]
    for part in clauses(_ASIDE.sub(" ", without_answer_word(claim))):
        part_words = content_words(part)
        claimed = [stem(w) for w in part_words]
        # a word of its own may name the other subject anew ("its headquarters" for "the head office"); an
        # adverb ("mostly") only rewords
        if any(s not in every_word and not w.lower().endswith("ly") for w, s in zip(part_words, claimed, strict=True)):
            continue
        owners = [next((i for i, o in enumerate(only) if w in o), None) for w in claimed]
        if not owners or owners[0] is None:
            continue
        first = owners[0]
        opening = next((i for i, o in enumerate(owners) if o != first), len(owners))
        rest = {o for o in owners[opening:] if o is not None}
        if opening > OPENER_SUBJECT_WORDS or claimed[:opening] != said[first][:opening] or len(rest) != 1:
            continue
        named = {w for name in claim_names(part) if not is_common_word(name) for w in name_stems(name)}
        if {name_word(w) for w in part_words[:opening]} & named:
            continue  # a name's predicate moved is predicate_moved's to find
        (taken,) = rest
        # the clauses are parallel: the other subject is as long as this one ("dogs" / "cats")
        predicate = set(said[taken][opening:]) & only[taken]
        restated = predicate & set(claimed)
        if (
            # ("He moved to Vienna and composed …" says it of the name before it)
            not _PRONOUN_START.match(quote_parts[taken])
            and _set_against(quote, quote_parts[first], quote_parts[taken])
            # the other clause's subject is left out: the claim gives what it says to this one
            and not set(said[taken][:opening]) & only[taken] & set(claimed)
            and len(restated) >= OPENER_PREDICATE_WORDS
            and len(restated) >= OPENER_PREDICATE_SHARE * len(predicate)
        ):
            return " ".join(content_words(quote_parts[taken])[:opening]), " ".join(part_words[:opening])
    return None


# "A, or B if C": the condition belongs to the alternative just before it.
_OR = re.compile(r",?\s+or\s+", re.IGNORECASE)
_CONDITION_WORD = re.compile(r"\s(?:if|when|unless|where)\s", re.IGNORECASE)
_PHRASE_END = re.compile(r"[,;:.]")


@_text_cache(maxsize=8192)
def _alternative_if(text: str) -> tuple[str, str, str] | None:
    """(A, B, C) of the first "A, or B if C" in `text`."""
    for joined in _OR.finditer(text):
        first = _PHRASE_END.split(text[: joined.start()])[-1]
        rest = _PHRASE_END.split(text[joined.end() :])[0]
        condition = _CONDITION_WORD.search(rest)
        if first.strip() and condition and condition.start() > 0:
            return first, rest[: condition.start()], rest[condition.end() :]
    return None


def condition_moved(claim: str, quote: str) -> tuple[str, str] | None:
    """The claim ties the quote's condition to the other alternative: "shipped home, or sent to the office if you
    work remotely" for "delivered to the office, or shipped home if you work remotely". Returns (the
    alternative the quote ties it to, the claim's)."""
    said, claimed = _alternative_if(quote), _alternative_if(claim)
    if not said or not claimed or not content_stems(said[2]) & content_stems(claimed[2]):
        return None
    said_first, said_second = content_stems(said[0]), content_stems(said[1])
    claimed_first, claimed_second = content_stems(claimed[0]), content_stems(claimed[1])
    # each alternative of the claim restates the other one of the quote
    second_restates_first = len(claimed_second & said_first) > len(claimed_second & said_second)
    first_restates_second = len(claimed_first & said_second) > len(claimed_first & said_first)
    if second_restates_first and first_restates_second:
        return said[1].strip(), claimed[1].strip()
    return None


_QUOTED_TERM = re.compile(r"[\"“”]([^\"“”]{1,40}?)[,.;:]?[\"“”]")


def quoted_terms_swapped(claim: str, quote: str) -> tuple[str, str] | None:
    """Two terms the quote quotes trade clauses: 'small shops say "clerk," large stores "associate."' from
    'small shops say "associate," large stores "clerk."' (quoted terms are not names, so no name check sees it)."""
    terms = {m[1].strip(" ,.") for m in _QUOTED_TERM.finditer(quote)}
    if len(terms) < 2:
        return None
    quote_parts = clauses(quote)
    for part in clauses(claim):
        if len({m[1].strip(" ,.") for m in _QUOTED_TERM.finditer(part)} & terms) > 1:
            continue  # 'a "lift" is an "elevator"': both terms in one clause equate them
        for match in _QUOTED_TERM.finditer(part):
            term = match[1].strip(" ,.")
            if term not in terms:
                continue
            rest = part.replace(match[0], " ")
            aligned = aligned_clause(rest, quote_parts)
            there = {m[1].strip(" ,.") for m in _QUOTED_TERM.finditer(aligned)}
            if there and term not in there:
                return term, sorted(there)[0]
    return None


# Below this count in the English word list (Google Books), a word is a term of art ("sulfuric", "nitric"): one
# standing where the quote has another such term, before the same word, names another thing.
RARE_WORD_COUNT = 5_000_000


# Endings of words that classify a thing in the sciences ("nitric", "sulfuric", "sodium", "chloride"), unlike
# describing words ("crispy", "ample"), whose rare synonyms reword.
_CLASSIFYING_ENDINGS = ("ic", "ium", "ide", "ate", "ine", "ene", "ane", "ol", "ose")


def _rare_modifier(word: str) -> bool:
    """A rare classifying word: a modifier naming a kind of thing."""
    from rag.spelling import english_vocabulary

    return (
        word.isalpha()
        and len(word) > 3
        and word.endswith(_CLASSIFYING_ENDINGS)
        and english_vocabulary().get(word, 0) < RARE_WORD_COUNT
    )


def _adjacent_words(text: str) -> set[tuple[str, str]]:
    """Pairs of words with only a space between them ("sulfuric acid"; not "roue, became")."""
    return {(m[1], m[2]) for m in re.finditer(r"(?=\b([a-z]+) ([a-z]+)\b)", text.lower())}


def term_swapped(claim: str, quote: str) -> tuple[str, str] | None:
    """A rare word before a word of the quote, where the quote has another rare word before it and the claim
    never says that one ("nitric acid" for "sulfuric acid"); common words reword ("combined area")."""
    before = _adjacent_words(quote)
    said, stated = set(words(claim)), set(words(quote))
    for b, w in _adjacent_words(claim):
        if b in stated or w in STOPWORDS:
            continue
        for other, head in before:
            # two spellings of one word ("sulphuric", "sulfuric") or two forms of it are one term
            if head != w or other in said or stem(other) == stem(b):
                continue
            kinds = (_rare_modifier(b) and _rare_modifier(other)) or _kinds_of_one_thing(other, b)
            if kinds and OSA.distance(other, b) > 2 and other[:5] != b[:5]:
                return other, b
    return None


# Words that also make derived words of any stem ("nationwide", "childlike", "homeward"): no head noun.
_SUFFIX_WORDS = frozenset(
    ("wide", "like", "wise", "ward", "wards", "less", "ship", "hood", "proof", "free", "fold", "some", "able",
     "worthy", "ways", "side", "time", "tight")
)  # fmt: skip


def _kinds_of_one_thing(first: str, second: str) -> bool:
    """Two compounds of one head word with different first parts name two kinds of it: "fintech" and
    "healthtech", "software" and "hardware" (the shared word at least four letters long)."""
    from rag.spelling import english_vocabulary

    if not (first.isalpha() and second.isalpha()) or (first.endswith("ly") and second.endswith("ly")):
        return False  # (two adverbs name no kinds: "typically" and "usually" share "ally" by chance)
    shared = 0
    while shared < min(len(first), len(second)) and first[-1 - shared] == second[-1 - shared]:
        shared += 1
    head = first[len(first) - shared :]
    if head in _SUFFIX_WORDS:
        return False  # "nationwide" and "countrywide" are one kind
    return shared >= 4 and len(first) - shared >= 2 and len(second) - shared >= 2 and head in english_vocabulary()


def swapped_places(claim: str, quote: str, ignore: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """Two things of different clauses of the quote that trade places in the claim: "made of nylon, but
    players now use gut" for "made of gut, but players now use nylon". Both words are the quote's, so
    only where they stand gives the swap away; items of one list may be reordered freely."""
    claim_around, claim_clause = _places(claim)
    quote_around, quote_clause = _places(quote)
    shared = [w for w in claim_around if quote_clause.get(w, -1) >= 0 and claim_clause[w] >= 0 and w not in ignore]
    for i, x in enumerate(shared):
        for y in shared[i + 1 :]:
            # A swap keeps the two clauses apart; a claim merging two clauses brings their words together.
            if quote_clause[x] == quote_clause[y] or claim_clause[x] == claim_clause[y]:
                continue
            # Only words of one clause of the quote tell where a word stands.
            took_ys_place = {
                w for w in (claim_around[x] & quote_around[y]) - quote_around[x] - {x, y} if quote_clause[w] >= 0
            }
            took_xs_place = {
                w for w in (claim_around[y] & quote_around[x]) - quote_around[y] - {x, y} if quote_clause[w] >= 0
            }
            if took_ys_place and took_xs_place:
                return x, y
    return None


# "from A to B", A up to five words, B up to three that stop at a comma, a full stop or a joining word.
_FROM_TO = re.compile(
    r"(?=\bfrom ((?:[\w'-]+ ){1,5}?)(?:in)?to ((?:(?!(?:and|or|but|then|from|back)\b)[\w'-]+ ?){1,3}))", re.IGNORECASE
)
# and the other way round: "to B from A"
_TO_FROM = re.compile(
    r"(?=\b(?:in)?to ((?:[\w'-]+ ){1,3}?)from ((?:(?!(?:and|or|but|then|to)\b)[\w'-]+ ?){1,3}))", re.I
)


# Where "from A to B" and "from B to A" say the same: a way back, a distance, a range read from either end.
_EITHER_WAY = re.compile(
    r"\b(?:back|returns?|returned|returning|round trip|both ways|either way|distance|rang(?:e|es|ing)|"
    r"var(?:y|ies|ied|ying)|down to|up to)\b",
    re.IGNORECASE,
)


def _ends(text: str) -> list[tuple[set[str], set[str]]]:
    return [(content_stems(m[1]), content_stems(m[2])) for m in _FROM_TO.finditer(text)] + [
        (content_stems(m[2]), content_stems(m[1])) for m in _TO_FROM.finditer(text)
    ]


def from_to_reversed(claim: str, quote: str) -> tuple[str, str] | None:
    """A change or a way the claim runs backwards: "from self-serve to manual" for "from manual to self-serve",
    "flows from the lake to the sea" for "from the sea to the lake"."""
    if _EITHER_WAY.search(claim) or _EITHER_WAY.search(quote):
        return None
    stated = _ends(quote)
    for start, end in _ends(claim):
        if any(start & a and end & b for a, b in stated):
            continue  # the quote says this way too ("there and back")
        for stated_start, stated_end in stated:
            if (start & stated_end) - stated_start and (end & stated_start) - stated_end:
                return " ".join(sorted(start & stated_end)), " ".join(sorted(end & stated_start))
    return None


# Words that set a clause in an earlier time than the text's other clauses (general English; not "once" or
# "earlier", which also count and compare: "once a year", "earlier than planned").
_EARLIER = re.compile(
    r"\b(?:previously|formerly|originally|before that|before then|until then|at first|in the past|"
    r"(?<!is )(?<!are )(?<!was )(?<!were )(?<!be )(?<!been )used to|"  # not "is used to stage concerts"
    r"(?:until|before|up from|down from) (?:about |around )?\d+|"
    # a change from a state, not said with the state it went to: "was moved up from Least Concern in 2020"
    r"(?:moved|changed|upgraded|downgraded|reclassified|switched|promoted|demoted)\s+(?:up\s+|down\s+)?from"
    r"(?![^,;.]*\bto\b))\b",
    re.IGNORECASE,
)
# Where one clause says both times: "formerly based at X and now performs at Y".
_NOW_JOINED = re.compile(
    r"[,;]?\s+(?:and|but|while|whereas)\s+(?=(?:now|today|currently|nowadays)\b)|,\s+(?=up from\b|down from\b)", re.I
)
_LATER = re.compile(r"\b(?:now|today|currently|since|nowadays|these days)\b", re.IGNORECASE)


def _then_and_now(text: str) -> tuple[set[str], set[str]] | None:
    """The content stems a text says of an earlier time, and those it says of the later one; None unless it
    says both."""
    then: set[str] = set()
    now: set[str] = set()
    # (a dash sets off a clause too: "listed as Near Threatened — it was moved up from Least Concern")
    pieces = (piece for clause in clauses(text) for piece in _NOW_JOINED.split(clause))
    for part in (bit for piece in pieces for bit in re.split(r"\s[\u2013\u2014-]\s", piece)):
        # a clause that names only its subject ("The festival, which originally …"), or says both times, tells
        # neither
        said = content_stems(part) | set(re.findall(r"\d+", part))  # "now has 45" against "had 200"
        if (len(said) < 2 and not re.search(r"\d", part)) or (_EARLIER.search(part) and _LATER.search(part)):
            continue
        (then if _EARLIER.search(part) else now).update(said)
    return (then - now, now - then) if then and now else None


def then_and_now_swapped(claim: str, quote: str) -> tuple[str, str] | None:
    """What the quote says of an earlier time, the claim says of the later one, and the other way round:
    "listed as A since 2020; before that B" for "listed as B since 2020; previously A"."""
    said, stated = _then_and_now(claim), _then_and_now(quote)
    if said is None or stated is None:
        return None
    (said_then, said_now), (stated_then, stated_now) = said, stated
    earlier_now, later_then = stated_then & said_now, stated_now & said_then
    if earlier_now and later_then:
        return " ".join(sorted(earlier_now)), " ".join(sorted(later_then))
    return None


def _triples(text: str) -> set[tuple[str, str, str]]:
    triples = set()
    for part in clauses(text) or [text]:
        sequence = [stem(w) for w in content_words(part)]
        triples.update(zip(sequence, sequence[1:], sequence[2:], strict=False))
    return triples


def parallel_roles_swapped(claim: str, quote: str) -> tuple[str, str] | None:
    """Two things of parallel phrases that trade what is said of them: "a sales team demanding a feature and
    an engineering team prioritizing debt" restated as "an engineering team demanding a feature". Each is
    the quote's word before the same word ("team"), so only what follows them gives the swap away."""
    stated = _triples(quote)
    for x, shared, said in _triples(claim) - stated:
        own = {b for a, h, b in stated if a == x and h == shared and b != said}
        # (not one word said twice around another: "a bowed string instrument with four strings tuned …"
        # restated as "bowed, with four strings tuned …" skips "instrument", which is on both sides and which
        # the claim leaves out; "converts chemical energy into light energy stored" keeps both)
        other = {a for a, h, b in stated if h == shared and b == said and a != x}
        other -= own - {stem(w) for w in content_words(claim)}
        if own and other:
            return x, next(iter(sorted(other)))
    return None


# --- "respectively" ---------------------------------------------------------------------------------------

_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_NUMBER_RANGE = re.compile(r"(?:from\s+)?([+-]?\d+)\s*(?:to|[\u2013-])\s*([+-]?\d+)", re.IGNORECASE)
MAX_SERIES = 8  # longer "lists" before "respectively" are misreadings, not a pairing a reader follows


def series_ending(text: str) -> list[str]:
    """The items of the list "A, B and C" that ends `text`, the first as long as the others (it runs into the
    words before it), without their articles."""
    text = text.rstrip(" ,")
    head, joiner, last = text.rpartition(" and ")
    if not joiner:
        head, joiner, last = text.rpartition(" or ")
    if not joiner or len(last.split()) > 3:
        return []
    pieces = [p.strip() for p in head.rstrip(",").split(",")]
    middle: list[str] = []
    while len(pieces) > 1 and 0 < len(pieces[-1].split()) <= 3:
        middle.insert(0, pieces.pop())
    size = max(len(p.split()) for p in (*middle, last))
    items = [" ".join(pieces[-1].split()[-size:]), *middle, last.strip()]
    items = [_ARTICLE.sub("", item) for item in items]
    # ("The Giants and the …" read one word short is no list: "the" is no item)
    named = all(item and item.lower() not in STOPWORDS for item in items)
    return items if 2 <= len(items) <= MAX_SERIES and named else []


def _mention(item: str) -> re.Pattern[str]:
    """An item as a whole word: "+2" not in "+25", "captain" not in "vice-captain", "£200" with its sign."""
    return re.compile(rf"(?<![\w+\-]){re.escape(item)}(?![\w-])", re.IGNORECASE)


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def respective_lists(quote: str) -> tuple[list[str], list[str]] | None:
    """The two lists a "respectively" pairs item by item: "states +2 to +5 … are violet, green, blue and yellow
    respectively" pairs +2 with violet and +5 with yellow."""
    for sentence in _SENTENCE_END.split(quote):
        found = _RESPECTIVELY.search(sentence)
        if not found:
            continue
        before = sentence[: found.start()]
        paired = series_ending(before)
        if not paired:
            continue
        starts = [m.start() for m in _mention(paired[0]).finditer(before)]
        rest = before[: starts[-1]] if starts else ""
        for match in _NUMBER_RANGE.finditer(rest):
            low, high = int(match[1]), int(match[2])
            if high - low + 1 == len(paired):
                sign = "+" if match[1].startswith("+") else ""
                return [f"{sign}{n}" for n in range(low, high + 1)], paired
        for at in (m.start() for m in re.finditer(r"\s(?:and|or)\s", rest)):
            for size in (1, 2, 3):
                after = rest[at:].split()[1 : 1 + size]
                items = series_ending(rest[:at] + " and " + " ".join(after))
                if len(items) == len(paired):
                    return items, paired
    return None


def respectively_swapped(claim: str, quote: str) -> tuple[str, str] | None:
    """The claim pairs an item of one list with another item's partner: "violet at +5" where the quote's
    "respectively" gives +5 yellow. Read only where the claim's mentions alternate between the two lists
    (a claim with lists of its own restates the pairing some other way)."""
    if _RESPECTIVELY.search(claim) or not _RESPECTIVELY.search(quote):
        return None
    lists = respective_lists(quote)
    if lists is None:
        return None
    claim = _NUMBER_RANGE.sub(" ", claim)  # "states from +2 to +5" restates the range, and pairs nothing
    mentions: list[tuple[int, int, int, str]] = []  # (where, which list, index, item)
    for side, items in enumerate(lists):
        for index, item in enumerate(items):
            mentions += [(m.start(), side, index, item) for m in _mention(item).finditer(claim)]
    mentions.sort()
    sides = [side for _, side, _, _ in mentions]
    if len(mentions) < 2 or len(mentions) % 2 or any(a == b for a, b in zip(sides, sides[1:], strict=False)):
        return None
    for first, second in zip(mentions[::2], mentions[1::2], strict=True):
        if first[2] != second[2]:
            return first[3], second[3]
    return None


def _sides_of_than(text: str) -> tuple[set[str], set[str]] | None:
    """What stands before and after a comparison's "than": its figures (by value) and name words."""
    clause = next((c for c in clauses(text) if re.search(r"\bthan\b", c, re.IGNORECASE)), None)
    if clause is None:
        return None
    before, after = re.split(r"\bthan\b", clause, maxsplit=1, flags=re.IGNORECASE)

    def things(side: str) -> set[str]:
        values = {f"{f.low:g}-{f.high:g}" for f in figures(side, every_number=True)}
        return values | {w for n in names(side) for w in name_stems(n)}

    left, right = things(before), things(after)
    return left - right, right - left  # what both sides name tells nothing


# What "than" may compare with without naming anything the quote must hold: "faster than before", "more
# often than not", "better than nothing" (general English: time, expectation and quantity words).
_UNNAMED_STANDARD_WORDS = (
    "before ever usual expected planned needed necessary required anticipated previously now today average "
    "normal others anyone anything anybody nothing elsewhere later earlier most many some all any one ones that "
    "those this these it them they he she we you i used past first originally initially previous last then once"
)
# Units are compared by the figure check ("no longer than a year" for "at most twelve months").
_UNNAMED_STANDARDS = frozenset(stem(w) for w in [*_UNNAMED_STANDARD_WORDS.split(), *_UNIT_WORDS])
_THAN = re.compile(r"\bthan\s+([^,;:.!?()\u2013\u2014]{1,80})", re.IGNORECASE)
STANDARD_WORDS = 4  # words after "than" that name what is compared with


def unstated_standard(claim: str, quote: str, supported: set[str]) -> str | None:
    """A comparison with something neither the quote nor the question names: "stronger than chromium
    additives do" where the quote says only "stronger". Where the quote names what it compares with, the
    claim may word that otherwise, as long as some of it is there. A figure after "than" is the figure
    check's."""
    claim = _NOT_COMPARING.sub(" ", claim)
    quote_compares_with = bool(_THAN.search(_NOT_COMPARING.sub(" ", quote)))
    for match in _THAN.finditer(claim):
        standard = match[1].split()[:STANDARD_WORDS]
        if not standard or _DIGIT.search(in_digits(" ".join(standard[:2]))):
            continue
        named = content_stems(" ".join(standard)) - _UNNAMED_STANDARDS
        if named and (not named & supported if quote_compares_with else not named <= supported):
            return f"than {' '.join(standard)}"
    return None


def compared_sides_swapped(claim: str, quote: str) -> bool:
    """The two sides of a comparison trade places: "version 3 compiles faster than version 4" for "version 4
    compiles faster than version 3", "size counts for more than speed" for "favours speed over size"."""
    preferred, stated_preferred = _preferred_sides(claim), _preferred_sides(quote)
    if preferred and stated_preferred:
        (first, second), (stated_first, stated_second) = preferred, stated_preferred
        if (first & stated_second) - stated_first and (second & stated_first) - stated_second:
            return True
    claimed, stated = _sides_of_than(claim), _sides_of_than(quote)
    if claimed is None or stated is None:
        return False
    return bool(stated[0] & claimed[1]) and bool(stated[1] & claimed[0])


_PREFERRED = re.compile(
    rf"{_PREFER}\s+(?P<first>[^.;:,]{{1,60}}?)\s+(?:over|above|to)\s+(?P<second>[^.;:,]{{1,40}})", re.IGNORECASE
)
_MORE_THAN = re.compile(r"(?P<first>[^.;:,]{1,60}?)\bmore\s+than\s+(?P<second>[^.;:,]{1,40})", re.IGNORECASE)


def _preferred_sides(text: str) -> tuple[set[str], set[str]] | None:
    """What a preference puts first and what it puts second, by content stems: "favours speed over size",
    "speed counts for more than size"."""
    found = _PREFERRED.search(text) or _MORE_THAN.search(text)
    if found is None:
        return None
    return content_stems(found["first"]), content_stems(found["second"])


def substituted_names(
    claim: str,
    claimed_names: Iterable[str],
    quote: str,
    supported: set[str],
    known: set[str] = frozenset(),
    headed: set[str] = frozenset(),
) -> list[Problem]:
    """A name of the quote's clause left out while new words stand in the claim: "approval from your line
    manager" for "approval from the CFO" swaps who approves, though neither side names the other.

    A name the headings or the question already give (`known`, name words) may be left to them ("It is a
    senior post" under "Definition of a Harbour Master"), as long as no other name takes its place.
    """
    claimed_names = list(claimed_names)
    # the whole sentence a name sits in: "While a clerk files cases, the HOR reviews …" names the HOR
    parts = sentence_clauses(quote) or [quote]
    clause = aligned_clause(claim, parts)
    mentioned = set().union(
        *(name_stems(n) | name_stems(acronyms_spelled_out(n, clause)) for n in claimed_names)
    ) | name_pool(claim)
    acronyms = {a for a in map(bare_acronym, claimed_names) if a}
    # Both ways: the claim may spell out an acronym of the quote ("WHO" -> "World Health Organization")
    # or shorten a name of it.
    spelled_out = set().union(*(acronyms_of(n) for n in claimed_names if not n.isupper()))

    def unsaid(name: str, clause: str) -> bool:
        """The claim neither names, shortens, spells out nor plainly leaves out this name of the clause."""
        return (
            not is_common_word(name)
            and not name_stems(name) <= mentioned
            and not by_last_word(name, claimed_names)
            and not acronyms_of(name) & acronyms
            and not (name.isupper() and name in spelled_out)
            and not ((acronym := bare_acronym(name)) and spelled_out_in(acronym, claim))
            # ("MFA" for "Multi-factor authentication": the capital opening the sentence is no name of its own)
            and not any(name_stems(name) <= name_stems(spelled_out_run(a, clause) or "") for a in acronyms)
            and not left_out(name, clause, claim)
            and not dropped_example(name, clause, claim)
            and not phrase_dropped(name, clause, claim)
            and not {w for w in name.split() if bare_acronym(w)} & set(claim.split())
            and not (_LEAVES_OUT.search(claim) and in_a_list(name, clause))
        )

    missing = [name for name in claim_names(clause) if unsaid(name, clause)]
    if not missing:
        stand_in = name_replaced_in_restated_clause(claim, parts, clause, unsaid, supported, quote)
        return [Problem("name", stand_in)] if stand_in else []
    in_clause = name_pool(clause)
    stand_ins = [n for n in claimed_names if not is_common_word(n) and not name_stems(n) <= in_clause]
    if not stand_ins and all(refers_back(n, claim, known) for n in missing):
        return []
    for name in missing:
        stand_in = words_in_place_of(name, clause, claim, supported, quote)
        if stand_in:
            return [Problem("name", f"{name} -> {' '.join(stand_in)}")]
    # The stand-in may be a name the quote gives elsewhere: "distinct from the VP" where the clause says
    # "distinct from the Director" and the next sentence names the VP. The name a list's intro line gives
    # (`headed`, name words) is whom its items are about, not a stand-in: "That's the Warden's call" for
    # "• Makes calls on …" under "Warden:" (the subject checks weigh it).
    stand_ins = [n for n in stand_ins if not name_stems(n) <= headed]
    # A name whose words on both sides the claim leaves out went with its phrase ("whether PMs own metrics" in
    # a claim that restates only the list's first item): nothing stands in for it.
    replaced = [name for name in missing if keeps_a_neighbour(name, clause, claim)]
    # A claim opening with "She …" refers to the name that opens the quote's clause ("The composer Hedda
    # Lorenssen wrote …"): nothing stands in for that one.
    if _PRONOUN_SUBJECT.match(without_answer_word(claim)):
        replaced = [name for name in replaced if not opens_clause(name, clause)]
    if stand_ins and replaced:
        return [Problem("name", f"{replaced[0]} -> {stand_ins[0]}")]
    return []


# (not a cleft, which names someone: "It was Michel Corrette: …", "It's the Receptionist")
_PRONOUN_SUBJECT = re.compile(
    r"^\W*(?i:he|she|it|they)\b(?!(?:\s+(?i:is|was|are|were)|['’]s)\s+(?:(?i:not)\s+)?(?:(?i:the|a|an)\b|[A-Z]))"
)
OPENING_WORDS = 4  # words before a name that may still be the opening of its clause ("The composer …")


def opens_clause(name: str, clause: str) -> bool:
    """`name` is the first name of `clause`, within its first few words."""
    first = claim_names(clause)[:1]
    return list(first) == [name] and len(clause[: clause.find(name)].split()) <= OPENING_WORDS


def sibling_name(name: str, known: Sequence[str]) -> str | None:
    """A name of the quote or its headings that the claim's name differs from by one word, when no name there
    holds all its words: "Director of Enterprise Sales" pieced together from "Director of Retail Sales" and
    an "enterprise" said elsewhere names another post."""
    mine = name_stems(name)
    if len(mine) < 3 or any(mine <= name_stems(k) for k in known):
        return None
    return next((k for k in known if len(mine - name_stems(k)) == 1 and len(name_stems(k) - mine) == 1), None)


def by_last_word(name: str, claimed_names: Iterable[str]) -> bool:
    """The claim calls a name of capitalised words by its last one, as English calls a person by the surname
    ("Vivaldi" for "Antonio Vivaldi"); not a title ("Finance" for "Head of Finance")."""
    words_of_name = name.split()
    return len(words_of_name) > 1 and all(w[:1].isupper() for w in words_of_name) and words_of_name[-1] in claimed_names


NEIGHBOUR_WORDS = 2  # content words on each side of a name, within its stretch between commas


def keeps_a_neighbour(name: str, clause: str, claim: str) -> bool:
    """Whether `name` may have been replaced rather than left out with its list item: false only for an item of
    a list whose items repeat a word, when the claim keeps none of the other words next to the name (within
    its commas: across a comma is the list's next item)."""
    at = clause.find(name)
    if at < 0:
        return True  # not placed in the clause: nothing shows it was left out
    head, before = (", " + clause[:at]).rsplit(",", 1)
    after, tail = (clause[at + len(name) :] + ",").split(",", 1)
    near = {stem(w) for w in content_words(before)[-NEIGHBOUR_WORDS:] + content_words(after)[:NEIGHBOUR_WORDS]}
    # The repeated word ("whether …, whether …") frames the list and places no item. Outside such a list,
    # reworded neighbours still leave a stand-in ("run by Westfield Council" for "Parking, operated by NCP, …").
    framing = near & content_stems(f"{head} {tail}")
    placing = near - framing
    return not framing or not placing or bool(placing & content_stems(claim))


def name_replaced_in_restated_clause(
    claim: str,
    parts: Sequence[str],
    aligned: str,
    unsaid: Callable[[str, str], bool],
    supported: set[str],
    quote: str,
) -> str | None:
    """A claim that restates more than one clause of the quote may swap a name in another one than the clause
    it follows most: "three bets: embedded payments, enterprise expansion and …" for "three bets: embedded
    payments, SMB expansion, and …". A clause counts as restated when the claim keeps most of its words, and
    only a new word between both the name's neighbours stands in for it."""
    claimed = content_stems(claim)
    for clause in parts:
        if clause == aligned:
            continue
        stated = content_stems(clause)
        if len(stated & claimed) < CLAUSE_MIN_COVERAGE * len(stated):
            continue
        for name in claim_names(clause):
            if not unsaid(name, clause):
                continue
            stand_in = words_in_place_of(name, clause, claim, supported, quote)
            if stand_in and bounded_on_both_sides(name, clause, claim, stand_in):
                return f"{name} -> {' '.join(stand_in)}"
    return None


def bounded_on_both_sides(name: str, clause: str, claim: str, stand_in: list[str]) -> bool:
    """The claim keeps the content words on both sides of the name, with the stand-in between them (a word or
    two may come between: "funded by the city council each year" for "funded by the Kestrel Trust each year")."""
    before, after = words_next_to(name, clause)
    if not before or not after:
        return False
    gap = r"\W+(?:\w+\W+){0,2}?"
    pattern = rf"\b{re.escape(before[0])}{gap}{re.escape(' '.join(stand_in))}{gap}{re.escape(after[0])}\b"
    return re.search(pattern, claim, re.IGNORECASE) is not None


def words_next_to(name: str, clause: str) -> tuple[list[str], list[str]]:
    """The content word just before `name` in `clause` and the one just after it (none where it has none)."""
    at = clause.find(name)
    return content_words(clause[:at])[-1:], content_words(clause[at + len(name) :])[:1]


SLOT_WORDS = 3  # content words on the open side of a name's place, when only one neighbour of it is kept


def words_in_place_of(name: str, clause: str, claim: str, supported: set[str], quote: str = "") -> list[str]:
    """New words of the claim where the quote's clause has `name`: between the content words next to it
    ("approval from your line manager" for "approval from the CFO"). When the claim keeps neither neighbour,
    the phrase was reworded or left out, and nothing can be said to stand in for the name."""
    at = clause.find(name)
    if at < 0:
        return []
    before, after = ([stem(w) for w in side] for side in words_next_to(name, clause))
    claim = without_answer_word(claim)  # "Yes — it freezes …": the answer word stands in for nothing
    claimed = content_words(claim)
    stems = [stem(w) for w in claimed]
    left = next((i for i, s in enumerate(stems) if before and s == before[0]), None)
    right = next((i for i, s in enumerate(stems) if after and s == after[0] and (left is None or i > left)), None)
    if left is None and right is None:
        return []
    # One neighbour kept, which the quote says more than once, places nothing: "hit 'Reissue token'" keeps a
    # "token" of "click 'Reissue token'", not the one after "your VPN".
    kept_alone = before if right is None else after if left is None else []
    if kept_alone and sum(stem(w) == kept_alone[0] for w in content_words(quote or clause)) > 1:
        return []
    if left is not None and re.search(
        rf"\b{re.escape(claimed[left])}\W+(?:one|ones|they|it|he|she|who)\b", claim, re.IGNORECASE
    ):
        return []  # "a strong one pushes for …" for "a strong Head of Sales fights for …" refers to the name
    if left is None:
        start, end = max(0, (right or 0) - SLOT_WORDS), right
        # a pronoun or "the role" just before the word that followed the name points back to it: "it stays
        # active" for "the vole of the Ardan Range is active", "the role covers" for "the Coordinator schedules"
        said = claim[: _first_at(claim, claimed[right or 0])]
        if _REFERS_BACK.search(" ".join(said.split()[-3:])):
            return []
    else:
        start = left + 1
        end = right if right is not None else start + SLOT_WORDS
    slot = claimed[start:end]
    if left is not None and right is None:
        # Open on the right, the name's place ends at the first word the quote's clause has after the name: "at
        # the mouth, spring floods can top …" goes on with those words and puts none in the name's place.
        whole = quote if clause in quote else clause
        later = {stem(w) for w in content_words(whole[whole.find(clause) + at + len(name) :])}
        kept = next((i for i, w in enumerate(slot) if stem(w) in later), len(slot))
        slot = slot[:kept]
    # (not a place or time the clause ends on, where the claim stops at the word before it: "designed by X at
    # the Y Institute" restated as "created by X" leaves the place out; "reviewed at Head Office" as "the store
    # manager reviews complaints" puts someone in its place)
    where = re.search(r"\b(?:at|in|on|near|during|within|inside|outside)\s+(?:the\s+)?$", clause[:at], re.IGNORECASE)
    place_left_out = bool(where) and left is not None and not claimed[left + 1 :]
    by = re.search(r"\bby\s+(?:the\s+)?$", clause[:at], re.IGNORECASE)
    if left is not None and ((not after and not place_left_out) or by):
        # a name ending its clause, or a passive's agent, may be replaced before the word it followed: "the
        # board's approval" for "approval from the CFO", "the finance team approves" for "approved by the CFO"
        slot = claimed[max(0, left - SLOT_WORDS) : left] + slot
    return [w for w in slot if stem(w) not in supported]


def _first_at(text: str, word: str) -> int:
    """Where `word` first stands in `text` as a whole word (the text's length if nowhere)."""
    found = re.search(rf"\b{re.escape(word)}\b", text)
    return found.start() if found else len(text)


# Pronouns that stand for someone or something already named: "It is a senior post", "they report to …"
# ("you" is the reader, never a thing the quote names; "this" may open a new name: "this canal").
_REFERRING = re.compile(r"\b(?:it|its|they|their|them|he|his|she|her)\b", re.IGNORECASE)


_REFERS_BACK = re.compile(
    r"\b(?:it|they|them|he|him|she|this|these|those|such)\b|^\W*the (?:role|position|person|job)\b",
    re.IGNORECASE,
)


def refers_back_to_neighbour(text: str) -> bool:
    """The text leaves something to the sentence before it: a pronoun or "this"."""
    return bool(_REFERS_BACK.search(text))


def refers_back(name: str, claim: str, known: set[str]) -> bool:
    """The claim leaves `name` to the headings or the question that give it (`known`, name words) and
    points to it with a pronoun or its head word ("masters" for "Harbour Masters"). An
    acronym beside the name ("the IKF Korfball World Championship") need not be known as well."""
    spelled = [w for w in name.split() if not w.isupper()]
    if not spelled or not name_stems(" ".join(spelled)) <= known:
        return False
    head = head_word(name)
    return bool(_REFERRING.search(claim)) or (bool(head) and name_word(head) in name_pool(claim))


# A claim that says it leaves things out ("Among other things, …") may drop items of the quote's list.
_LEAVES_OUT = re.compile(r"\b(?:among other things|among others|and others|etc|and so on|and more)\b", re.IGNORECASE)


def in_a_list(name: str, clause: str) -> bool:
    return bool(re.search(rf"(?:,|\band|\bor)\s+(?:the\s+)?{re.escape(name)}", clause))


# What opens a list of examples: "such as ERP systems", "including the Rivera Lab".
_EXAMPLES_LEAD = re.compile(
    r"\b(?:such as|including|like|e\.g\.|for example|for instance|notably|among them)\b", re.IGNORECASE
)


def dropped_example(name: str, clause: str, claim: str) -> bool:
    """The name is one of the quote's examples ("solutions such as ERP systems") and the claim leaves the
    examples out altogether: a summary, not a swap. A claim that gives examples of its own still swaps."""
    at = clause.find(name)
    if at < 0 or _EXAMPLES_LEAD.search(claim):
        return False
    leads = list(_EXAMPLES_LEAD.finditer(clause[:at]))
    return bool(leads) and not re.search(r"[.;:]", clause[leads[-1].end() : at])


PHRASE_WINDOW = 2  # content words either side of a name that make up the phrase it sits in


def phrase_dropped(name: str, clause: str, claim: str) -> bool:
    """The claim leaves out the whole phrase the name sits in ("a river in central Marenland, flowing …"
    restated without where it flows): a shorter statement, with nothing standing in for the name."""
    at = clause.find(name)
    if at < 0:
        return False
    before = content_words(clause[:at])[-PHRASE_WINDOW:]
    after = content_words(clause[at + len(name) :])[:PHRASE_WINDOW]
    around = {stem(w) for w in before + after}
    return bool(around) and not around & {stem(w) for w in content_words(claim)}


def left_out(name: str, clause: str, claim: str) -> bool:
    """The claim drops the name and keeps the words around it ("the delta" for "the Selva delta"): nothing
    stands in for it."""
    at = clause.find(name)
    if at < 0:
        return False
    before = words(clause[:at])[-1:]
    after = words(clause[at + len(name) :])[:1]
    if not before or not after:
        return False
    claimed = words(claim)
    return any(claimed[i : i + 2] == before + after for i in range(len(claimed) - 1))


def initials(name: str) -> str:
    """ "International Korfball Federation" -> "IKF": the acronym that stands for a name."""
    return "".join(w[0] for w in name.split() if w.lower() not in _JOINERS).upper()


def acronyms_of(name: str) -> set[str]:
    """The acronyms a name may go by: with or without its joining words ("Bank of England" is "BE" or
    "BOE"), and the plain initials of a name written with a joining word."""
    return {initials(name), "".join(w[0] for w in name.split()).upper()}


_SENTENCE_END = re.compile(r"(?<=[a-z0-9])[.?!;:]\s+")


@_text_cache(maxsize=8192)
def acronym_in(acronym: str, text: str) -> bool:
    """Some run of capitalised words of `text` (joining words allowed) has `acronym` for initials."""
    # a run does not cross a sentence's end ("The Marketing Team. The Board meets" has no "MTB"); "U.S." is no end
    for sentence in _SENTENCE_END.split(text):
        tokens = sentence.replace("?", " ").replace(".", " ").split()
        for start, first in enumerate(tokens):
            if first[:1] != acronym[:1]:
                continue
            for end in range(start + 1, min(len(tokens), start + 2 * len(acronym)) + 1):
                last = tokens[end - 1]
                if not (last[:1].isupper() or last.lower() in _JOINERS):
                    break
                if acronym in acronyms_of(" ".join(tokens[start:end])):
                    return True
    return False


def shortens_a_name(acronym: str, text: str, statement: str = "") -> bool:
    """An acronym of a name of `text` ("BOE" for "Bank of England"), or of three or more words of it in any
    case ("MFA" for "Multi-factor authentication"; two letters match too many word pairs by chance). Words in
    lower case name no one on their own, so they must stand in the clause of `text` the claim's `statement`
    restates: "The CFO approves new hires" is not in "the chief operating officer approves new hires, and the
    chief financial officer approves budgets"."""
    if not acronym.isupper():
        return False
    if acronym_in(acronym, text):
        return True
    if len(acronym) < 3 or not spelled_out_in(acronym, text):
        return False
    if not statement:
        return True
    parts = statements(text) or [text]
    own = (statements(statement) or [statement])[0]  # the statement the acronym opens
    return spelled_out_in(acronym, aligned_clause(own, parts, ignore=frozenset(content_stems(acronym))))


def bare_acronym(name: str) -> str | None:
    """ "PMs" -> "PM", "CEO's" -> "CEO"; None for a name that is no acronym."""
    bare = re.fullmatch(r"([A-Z]{2,}?)(?:s|['’]s|s['’])?", name)
    return bare[1] if bare else None


def spelled_out_acronyms(claim: str, said: str) -> set[str]:
    """The claim's acronyms, as words, that stand for a name the quote spells out ("the COO" for "the Chief
    Operating Officer"): they say what it says. (Lower-case words make too many chance initials.)"""
    found = set()
    for token in re.findall(r"\b[A-Z]{2,5}s?\b", claim):
        run = spelled_out_run(bare_acronym(token) or token, said)
        if run and all(w[0].isupper() for w in run.split() if w.lower() not in _JOINERS):
            found.add(stem(token.lower()))
    return found


def spelled_out_in(acronym: str, text: str) -> bool:
    """Some run of words of `text`, in any case, has `acronym` for initials: a claim may shorten "business
    intelligence" to "BI" or "product managers" to "PMs"."""
    return spelled_out_run(acronym, text) is not None


def spelled_out_run(acronym: str, text: str) -> str | None:
    """The first run of words of `text` that `acronym` shortens (see `spelled_out_in`)."""
    # One stretch of words with no punctuation inside, and no function word ("even under" is no "EU").
    for stretch in re.split(r"[^\w\s'’-]+", text):
        found = list(re.finditer(r"[A-Za-z]+", stretch))
        tokens = [m.group() for m in found]
        # (a word hyphened to the one before it is part of a compound, whatever it is: "sign-on" in "SSO")
        hyphened = {i for i, m in enumerate(found) if stretch[m.start() - 1 : m.start()] == "-"}
        for start, first in enumerate(tokens):
            if first[0].upper() != acronym[0]:
                continue
            run = tokens[start : start + len(acronym)]
            ends = {run[0].lower()} | ({run[-1].lower()} if start + len(run) - 1 not in hyphened else set())
            # (a joining word inside keeps its initial: "directors of product management" is "DOPM")
            if (
                len(run) == len(acronym)
                and not ends & STOPWORDS
                and not any(w.lower() in STOPWORDS - _JOINERS for w in run[1:-1])
                and "".join(w[0] for w in run).upper() == acronym
                # (two letters are not the halves of one hyphened word: "high-risk" is no "HR")
                and not (len(run) == 2 and start + 1 in hyphened)
            ):
                return " ".join(run)
    return None


def spells_an_acronym(phrase: str, text: str) -> bool:
    """The last words of `phrase` have for initials an acronym `text` uses ("site managers", "SMs")."""
    acronyms = {a for a in map(bare_acronym, re.findall(r"[A-Za-z&]+", text)) if a}
    spelled = [w for w in re.findall(r"[A-Za-z]+", phrase) if w.lower() not in STOPWORDS]
    return any(initials(" ".join(spelled[-n:])) in acronyms for n in range(2, min(4, len(spelled)) + 1))


def acronyms_spelled_out(name: str, text: str) -> str:
    """The name with each acronym in it written out as `text` writes it: "Senior GPs" is "Senior General
    Practitioners" where the text says "general practitioners"."""
    spelled = []
    for word in name.split():
        acronym = bare_acronym(word)
        run = spelled_out_run(acronym, text) if acronym and len(name.split()) > 1 else None
        spelled.append(run if run is not None else word)
    return " ".join(spelled)


_UNIT_AFTER_FIGURE = re.compile(
    rf"(?<=\d)(\s?)({'|'.join(sorted(_UNIT_WORDS, key=len, reverse=True))})\b", re.IGNORECASE
)


def content_words(text: str) -> list[str]:
    return list(_content_words(text))


@_text_cache(maxsize=8192)
def _content_words(text: str) -> tuple[str, ...]:
    # A unit is compared with its figure; as a word it is its one name ("4,318 m" has the quote's "metres").
    # ("4m" may be four million).
    named = _UNIT_AFTER_FIGURE.sub(
        lambda m: m[0] if m[0].lower() == "m" else f" {_UNIT_WORDS[m[2].lower()]}", in_digits(text)
    )
    # (an ordinal is a figure too: "1st to 30th November" has the quote's "1 to 30 November")
    return tuple(
        w for w in words(named) if w not in STOPWORDS and w not in _HEDGE_WORDS and not _DIGITS_OR_ORDINAL.fullmatch(w)
    )


_DIGITS_OR_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)?")


# Words that hedge what follows without saying anything of their own ("almost always the Netherlands", "roughly
# half"): no content a quote must hold. (The figure check still weighs a hedge on a figure.)
_HEDGE_WORDS = frozenset(("almost", "nearly", "roughly", "approximately", "practically", "virtually"))


def longest_unsupported_run(claim: str, supported: set[str]) -> list[str]:
    """The longest stretch of content words the quote does not have (function words do not break it): a
    paraphrase swaps a word here and there, an added statement brings several new ones in a row."""
    best: list[str] = []
    run: list[str] = []
    for word in content_words(claim):
        if stem(word) in supported:
            run = []
        else:
            run.append(word)
            if len(run) > len(best):
                best = list(run)
    return best


def used_as_name(name: str, sentence: str) -> bool:
    """A capitalised common word is a name where it does not open the sentence ("a Warden led …")."""
    return not is_common_word(name) or not re.sub(r"^\W+", "", sentence).startswith(name)


# Endings that make an adjective or a people of a place's name: "Australia" -> "Australian", "Japan" ->
# "Japanese", "Egypt" -> "Egyptian", "Canada" -> "Canadian" (the name's last vowel giving way to the ending).
_OF_A_PLACE = ("n", "an", "ian", "ese", "ish", "i")


def names_the_same(name: str, said: str, claim: str) -> bool:
    """A claimed name that is the adjective of the one place the quote (or its headings) names and the claim
    does not: "Australian" for "Australia" ("Austrian" is no form of it). Of two places ("Kenya won the men's
    race and Ethiopia the women's"), the adjective may give one's fact to the other, so the checks weigh it."""
    if " " in name or not name[:1].isupper():
        return False
    # (a function word opening a sentence is no place: "Then Kenya won …"; any other capitalised word may be)
    places = {
        m[0]
        for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", said)
        if not (m[0].lower() in STOPWORDS and re.search(r"(?:^|[.!?]\s+)$", said[: m.start()]))
        and not re.search(rf"\b{m[0]}\b", claim)
    }
    if len(places) != 1:
        return False
    place = next(iter(places))
    roots = {place, place[:-1]} if place[-1] in "aeiouy" else {place}
    return any(name == root + ending for root in roots for ending in _OF_A_PLACE)


def is_common_word(name: str) -> bool:
    from rag.spelling import english_vocabulary

    word = name.lower().removesuffix("'s").removesuffix("’s")
    return " " not in name and not name.isupper() and word in english_vocabulary()


def names_a_subject(headings: str) -> bool:
    """Whether headings name what they are about ("Korfball", "Head of Product"), unlike "Definition" or
    "Overview", which are common English words."""
    from rag.spelling import english_vocabulary

    for heading in claim_sentences(headings):
        for run in names(heading):
            if len(run.split()) > 1 or run.isupper() or run.lower() not in english_vocabulary():
                return True
    return False


def heading_picks_subject(headings: str, title: str) -> bool:
    """Whether the quote's headings, rather than its document's title, say whom it is about.

    A heading that names one of the title's subjects picks it ("Y" under "X versus Y"). A heading that names
    nothing, or names only a topic the title does not ("Leading the Sales Team" under "What a Sales Director
    Does"), leaves the title's subject in force, as it is for the whole document."""
    if not names_a_subject(headings):
        return False
    if not title.strip():
        return True
    in_title = name_pool(title)
    return any(
        name_stems(name) and name_stems(name) <= in_title
        for heading in claim_sentences(headings)
        for name in names(heading)
    )


_SUBJECT_LEAD = re.compile(r"^\W*(?:(?:the|a|an|every|each|most|many|some|all|any)\s+)?", re.IGNORECASE)


# Prepositions of general English that open an adverbial phrase before the subject: "Outside Europe, the
# sport …" is about the sport, and "In 1991, Belgium won" about Belgium.
_OPENING_PHRASE = re.compile(
    r"^\W*(?:in|on|at|beyond|outside|inside|within|after|before|during|since|from|by|for|with|without|under|"
    r"over|across|among|between|through|throughout|despite|according to|unlike|like|besides|apart from|"
    r"except|until|around|near|in addition to|as of|as for|"
    # a purpose: "To move up, a clerk must …"
    r"to|in order to|"
    # a participle phrase: "Acting as a referee, the captain settles …"
    r"\w+ing)\b[^,;:]{1,60},\s*"
    # a sentence adverb or connective: "Put simply, the captain settles …", "Traditionally, …", "However, …"
    r"|^\W*(?:put simply|simply put|put another way|to sum up|overall|often|sometimes|above all|however|"
    r"therefore|thus|hence|instead|meanwhile|still|also|then|now|today|\w+ly)\s*,\s*"
    # or without a comma, before an article: "Typically a warden checks …"
    r"|^\W*(?:\w+ly|often|sometimes)\s+(?=(?:the|a|an)\s)"
    # a cleft sentence: "That was the warden, who …", "It's the warden who checks …" (not "That's the
    # warden's job": the job is the subject)
    r"|^\W*(?:that|it|this)(?:'s|\u2019s|\s+(?:is|was|would be|will be))\s+"
    r"(?=(?:the|a|an)\s[^,:;.'\u2019]*(?:[,:;.]|$))",
    re.IGNORECASE,
)


def _is_gerund(word: str) -> bool:
    """ "Becoming", "Running": a verb's "-ing" form ("Viking", "Beijing" are none)."""
    from rag.spelling import english_vocabulary

    base = word.lower().removesuffix("ing")
    vocabulary = english_vocabulary()
    return base != word.lower() and len(base) >= 2 and any(b in vocabulary for b in (base, base + "e", base[:-1]))


# "Every August, in Lisk" says when: a month or a day after "every" is no subject.
_EVERY_TIME = re.compile(rf"^\W*(?:every|each)\s+(?:{MONTH_NAMES}|{WEEKDAY_NAMES})\b", re.IGNORECASE)


def leading_subject(claim: str, claimed_names: Iterable[str]) -> str | None:
    """The name the claim opens with (its grammatical subject, in the usual English order), if any."""
    if _EVERY_TIME.match(claim):
        return None
    rest = _SUBJECT_LEAD.sub("", _OPENING_PHRASE.sub("", claim.strip(), count=1), count=1)
    for name in claimed_names:
        if rest.startswith(name) or _opens_with_name(rest, name):
            return name
    first = names(rest[:120])
    # "Becoming CFO is …", "Reaching Senior level takes …": a gerund phrase is the subject, not the name inside
    # it; a name that opens with an "-ing" word stays one ("Stirling Castle", "Engineering Managers own …",
    # "Reading Festival takes …": a plural head or a verb right after it).
    gerund_phrase = bool(first) and _is_gerund(first[0].split()[0])
    if gerund_phrase and not re.fullmatch(r"\w+ [A-Z]{2,}s?", first[0]):
        after = rest[len(first[0]) :] if rest.startswith(first[0]) else ""
        next_word = re.match(r"\s+([a-z]+)\b", after)
        gerund_phrase = (
            next_word is not None
            and not first[0].endswith("s")
            and not _VERB_NEXT.match(after)
            and next_word[1] not in STOPWORDS
        )
    if first and rest.startswith(first[0]) and len(first[0].split()) > 1 and not gerund_phrase:
        return first[0]
    return None


def _opens_with_name(text: str, name: str) -> bool:
    """`text` opens with `name` as written, whatever joins its words: `names` reads "UX/Product Design" as
    "UX Product Design"."""
    return bool(re.match(_name_pattern(name) + r"\b", text))


def _name_pattern(name: str) -> str:
    return r"[\W_]+".join(re.escape(w) for w in name.split())


def aligned_clause(part: str, quote_parts: list[str], ignore: frozenset[str] = frozenset()) -> str:
    """The quote clause a claim clause restates: the one sharing most of its content words and figures."""
    if not quote_parts:
        return ""
    wanted = _clause_words(part) - ignore
    return max(quote_parts, key=lambda q: len(_clause_words(q) & wanted))


def _clause_words(text: str) -> set[str]:
    """What lines a claim clause up with a quote clause: content stems and figures."""
    return content_stems(text) | set(re.findall(r"\d+", text))


# A thing denied with a determiner: "with no reed", "without a reed", "having no reed".
_DENIED_THING = re.compile(r"\b(?P<denial>no|without)\s+(?:a\s+|an\s+|any\s+)?(?P<thing>[a-z][\w-]+)", re.IGNORECASE)


# How or how often, answered before the statement that says it: "Not directly — it has to go through …",
# "Hardly ever: …".
_HOW_ANSWER = re.compile(
    r"^\W*(?:not (?P<how>directly|immediately|automatically|straight away|right away|on your own|by yourself|"
    r"alone)|(?P<rarely>hardly ever|almost never))\s*(?:[:\u2013\u2014]|-\s)\s*",
    re.IGNORECASE,
)
# A quote that says a thing happens often: "hardly ever" denies it.
_OFTEN = re.compile(r"\b(?:most|usually|often|frequently|always|regularly|every|generally|typically)\b", re.I)


_SETS_A_WAY = re.compile(r"\b(?:only|through|via|approv\w*|sign-off|signed off by|by (?:a|the|your) \w+)\b", re.I)


def without_how_answer(claim: str, quote: str) -> str:
    """The claim without an opening answer of how ("Not directly — …") where the quote does not say the very
    way it denies ("sends requests directly to HR"), or of how often ("Hardly ever: …") where the quote says
    nothing happens often: then the statement after it is what the claim says."""
    answer = _HOW_ANSWER.match(claim)
    if answer is None:
        return claim
    if answer["how"]:
        said_so = re.search(rf"\b{re.escape(answer['how'])}\b", quote, re.IGNORECASE)
        if said_so and not is_negated(quote[max(0, said_so.start() - 30) : said_so.start()]):
            return claim
        # (only a quote that sets a way or a condition says it is not done directly or on one's own: "must be
        # requested through the Procurement desk"; "can walk around unaccompanied" says the opposite)
        if not (_OBLIGES.search(quote) or _SETS_A_WAY.search(quote)):
            return claim
    elif _OFTEN.search(quote):
        return claim
    return claim[answer.end() :]


def denied_things(text: str) -> set[str]:
    return {stem(m["thing"].lower()) for m in _DENIED_THING.finditer(text)}


def denial_moved(claim: str, quote: str) -> bool:
    """A thing both deny that the claim denies in a statement restating another of the quote's statements than
    the one denying it there."""
    shared = denied_things(claim) & denied_things(quote)
    quote_statements = statements(quote)
    # (not where the clause it restates names the thing, affirming it: "Permanent staff receive no bonus" for
    # "Interns receive no bonus. Permanent staff receive a bonus")
    return any(
        denied_things(part) & shared - content_stems(aligned_clause(part, quote_statements))
        for part in statements(claim)
    )


def without_shared_denials(claim: str, quote: str) -> tuple[str, str]:
    """Claim and quote with the denials of a thing both make taken out ("no reed" on both sides, in whichever
    clause): such a denial says what the other side's says, wherever it stands ("a wind instrument of wood with
    no reed" for "made of wood. Despite having no reed, it is played …"), and clause by clause it would set
    them apart. A thing one side denies and the other does not stays denied."""

    shared = denied_things(claim) & denied_things(quote)
    if not shared:
        return claim, quote

    def affirmed(text: str) -> str:
        return _DENIED_THING.sub(lambda m: m["thing"] if stem(m["thing"].lower()) in shared else m.group(0), text)

    return affirmed(claim), affirmed(quote)


def closest_of_the_tied(part: str, quote_parts: list[str], similar: Similarity) -> str:
    """The quote clause a claim clause restates, by words, and by meaning among the clauses its words fit
    equally well: a synonym ("eat" for "feed") or a clause that leaves its subject to the one before ("isn't
    the chair") gives the words no clear winner, and the first clause would win by default."""
    wanted = _clause_words(part)
    shared = [len(_clause_words(q) & wanted) for q in quote_parts]
    tied = [q for q, n in zip(quote_parts, shared, strict=True) if n == max(shared)]
    if len(tied) < 2:
        return tied[0]
    closeness = similar(_NEGATION.sub(" ", part), [_NEGATION.sub(" ", q) for q in tied])
    best = max(range(len(tied)), key=lambda i: closeness[i])
    # (only a clear winner: "allowed to run with the ball" is about as close to "not allowed to shoot" as to
    # "trying to block the ball", and then the words' first choice stands)
    return tied[best] if closeness[best] - closeness[0] >= CLEARLY_CLOSER else tied[0]


# Embedding cosine by which one quote clause must beat another to be the one a claim clause restates.
CLEARLY_CLOSER = 0.1


_NEGATED_VERB = re.compile(r"(?:\bnot|n't|\bnever|\bno longer)\s+(?P<verb>[a-z]+)", re.IGNORECASE)
# A negation of the verb: before it in its clause; "without" qualifies a thing ("booked without approval").
_VERB_NEGATION = re.compile(r"\b(?:not|never|no|nor|cannot)\b|n't\b", re.IGNORECASE)


def affirms_denied_verb(claim: str, lead_in: str) -> bool:
    """The list's intro denies a verb ("The company does not reimburse:") that the claim says without a
    negation of its own before it in its clause ("upgrades are reimbursed even if booked without approval":
    the "without" is the approval's)."""
    match = _NEGATED_VERB.search(normalize(lead_in).replace("’", "'"))
    if match is None:
        return False
    verb = stem(match["verb"].lower())
    for part in clauses(without_answer_word(normalize(claim).replace("’", "'"))):
        for found in re.finditer(r"[a-z]+", part, re.IGNORECASE):
            if stem(found.group().lower()) == verb:
                before = part[: found.start()]
                return not (_VERB_NEGATION.search(before) or _AVOIDANCE.search(before))
    return False


_NON_WORD = re.compile(r"\bnon[- ](\w+)")
_NON_BEFORE = re.compile(r"(?:\bnon[- ]|\b(?:not|no|without|never)\s+(?:\w+\s+){0,2})$")


def non_prefix_flipped(claim: str, quote: str) -> str | None:
    """A word the quote says with "non-" and the claim without it, or the other way round: "the birthing parent"
    is not "the non-birthing parent"."""
    claim, quote = normalize(claim), normalize(quote)
    claim_non, quote_non = set(_NON_WORD.findall(claim)), set(_NON_WORD.findall(quote))

    def bare(word: str, text: str) -> bool:
        """Said without "non" and not negated ("without a stop" says "non-stop")."""
        return any(
            not _NON_BEFORE.search(text[: found.start()]) for found in re.finditer(rf"\b{re.escape(word)}\b", text)
        )

    for word in quote_non - claim_non:
        if bare(word, claim) and not bare(word, quote):
            return word
    for word in claim_non - quote_non:
        if bare(word, quote) and not bare(word, claim):
            return word
    return None


# Steps on a scale of general English, which tell one compound from its siblings ("entry level", "mid-level").
_SCALE_STEPS = frozenset(
    ("entry", "junior", "mid", "middle", "senior", "top", "bottom", "low", "high", "short", "long", "part", "full",
     "beginner", "intermediate", "advanced", "upper", "lower", "small", "large", "early", "late", "first", "second",
     "third", "single", "double")
)  # fmt: skip
# Determiners and prepositions: the word after them opens a noun phrase.
_BEFORE_NOUN = "the|a|an|at|of|for|in|on|to|from|by|with|their|its|his|her|our|your|this|that|every|each"
# A hyphenated compound, all its parts ("face-to-face" is one, not "face-to").
_COMPOUND = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")


def compound_swapped(claim: str, quote: str) -> tuple[str, str] | None:
    """A hyphenated compound of the claim that the quote has with another first part, the claim's first part
    being nowhere in the quote: "entry-level staff" for "mid-level staff", "short-term goals" for "long-term
    goals". Returns (the claim's compound, the quote's). Both words may be in the quote's headings, so only the
    compound tells them apart; a first part the quote has ("low-income" for "on low incomes") or a figure
    ("one-player") is left to the other checks."""
    quoted = {tuple(compound.lower().rsplit("-", 1)) for compound in _COMPOUND.findall(quote)}
    if not quoted:
        return None
    quote_stems = {stem(w) for w in words(quote)}
    for compound in _COMPOUND.findall(claim):
        head, tail = compound.lower().rsplit("-", 1)
        if (head, tail) in quoted or head in _NUMBER_WORDS or {stem(w) for w in head.split("-")} & quote_stems:
            continue
        # (sorted: the same compound named whatever the set's order)
        other = next((h for h, t in sorted(quoted) if t == tail and h not in _NUMBER_WORDS), None)
        if other:
            return compound.lower(), f"{other}-{tail}"
    # the claim may write its compound open: "at the entry level" for the quote's "mid-level"
    for head, tail in sorted(quoted):
        if head in _NUMBER_WORDS or "-" in head:
            continue
        # (after a determiner or preposition, where a compound noun stands: not "reworked team rituals")
        for found in re.finditer(rf"\b(?:{_BEFORE_NOUN}) (([a-z]+) {re.escape(tail)})\b", claim.lower()):
            first = found[2]
            # (only a step on a scale: "the expensive end" rewords "high-end", "the entry level" is no "mid-level")
            if first not in _SCALE_STEPS or stem(first) in quote_stems:
                continue
            return found[1], f"{head}-{tail}"
    return None


# A condition the quote sets ("not reimbursed unless approved") and a claim that waives it ("reimbursed even
# without approval"): the claim says the opposite whatever its negations count. ("as long as" also compares.)
_CONDITION = re.compile(r"\b(?:unless|only if|only when|provided that|providing that|so long as|on condition)\b", re.I)
_CONDITION_WAIVED = re.compile(r"\b(?:even if|even when|even without|regardless of|whether or not|no matter)\b", re.I)


# Words of general English that say something holds in every case, and words that set an exception to it.
_UNIVERSAL = re.compile(
    r"\b(?:always|in (?:all|every) cases?|every time|without exception|no matter what|regardless of)\b", re.I
)
_EXCEPTION = re.compile(
    r"\b(?:except|excepting|exceptions?|unless|other than|apart from|only if|only when|provided that|as long as|"
    r"so long as|but not)\b",
    re.I,
)


def exception_dropped(claim: str, quote: str) -> bool:
    """The claim says "always" where the quote sets an exception: "rail always has to be standard class" for
    "should be booked in standard class, except for journeys over three hours"."""
    if not _UNIVERSAL.search(claim) or _UNIVERSAL.search(quote) or _EXCEPTION.search(claim) or _CONDITION.search(claim):
        return False
    # (the statement the claim restates sets it: "Cats are welcome regardless of breed" for "Dogs must be leashed
    # unless on a farm. Cats are welcome." leaves out no exception)
    restated = aligned_clause(claim, statements(quote) or [quote])
    exception = _EXCEPTION.search(restated)
    # (a claim that bounds itself by the exception's own figure keeps it: "Invoices over £50 are always checked"
    # for "Every invoice is checked, apart from those under £50")
    excepted = figures(restated[exception.end() :]) if exception else ()
    return bool(exception) and not any(figure_supported(f, excepted) for f in figures(claim))


# "only on weekdays": a restriction to one thing, with the preposition that places it.
_ONLY_PLACED = re.compile(
    r"\bonly\s+(?:\w+\s+){0,2}?(?P<prep>on|in|at|for|during|from|by)\s+(?:the\s+|a\s+)?(?P<word>\w+)", re.I
)
# Words of general English that restrict as "only" does.
_RESTRICTS = re.compile(r"\b(?:only|just|solely|exclusively|alone|sole)\b", re.I)


def restricted_to_one(claim: str, quote: str) -> str | None:
    """The claim restricts to one thing ("only paid on weekdays") what the quote says of it and another joined by
    "and" or "or" ("paid … on weekdays and … on Sundays"), which the claim leaves out."""
    said = _ONLY_PLACED.search(claim)
    if said is None or _RESTRICTS.search(quote):
        return None
    prep, word = said["prep"], said["word"]
    listed = re.search(
        rf"\b{prep}\s+(?:the\s+|a\s+)?{re.escape(word)}\b[^.;:]{{0,40}}?\b(?:and|or)\s+"
        rf"(?:(?:\w+\s+){{0,4}}?{prep}\s+(?:the\s+|a\s+)?)?(?P<other>\w+)",
        quote,
        re.I,
    )
    if listed is None or stem(listed["other"].lower()) in every_stem(claim):
        return None
    return None if listed["other"].lower() in STOPWORDS else listed["other"]


def condition_waived(claim: str, quote: str) -> bool:
    """The claim waives, with words of the quote's condition, a condition the quote sets and does not waive
    itself: "paid even without a manager's sign-off" for "not paid unless a manager signs them off"."""
    waived = _CONDITION_WAIVED.search(claim)
    if not waived or _CONDITION.search(claim) or _CONDITION_WAIVED.search(quote):
        return False
    waived_words = content_stems(clauses(claim[waived.start() :])[0])
    return any(
        waived_words & content_stems(clauses(quote[condition.start() :])[0]) for condition in _CONDITION.finditer(quote)
    )


def negation_disagrees(claim: str, quote: str, similar: Similarity | None = None) -> bool:
    """A claim clause negated where the quote clause it restates is not, or the other way round (a quote may
    negate something else in another clause). Where the clause's words fit several quote clauses equally well
    ("often don't eat at all" shares no word with any of "the larva feeds on wood", "the adult lives a few
    weeks", "often does not feed at all"), `similar` picks the one it restates by meaning."""
    # "Not really: …", "In most towns, no — …" answer; the statement follows. A bare "No: …" still counts: it
    # denies what the question asks, which the statement may restate.
    claim = without_how_answer(without_scoped_answer(_HEDGED_ANSWER.sub("", normalize(claim))), quote)
    if contrast_swapped(claim, quote):
        return True
    if not clause_negation_disagrees(claim, quote, similar):
        return False
    # A thing both sides deny may stand in different clauses; read without those denials, the rest must agree.
    if not denial_moved(claim, quote):
        return True
    return clause_negation_disagrees(*without_shared_denials(claim, quote), similar)


def clause_negation_disagrees(claim: str, quote: str, similar: Similarity | None) -> bool:
    """`negation_disagrees`, clause by clause."""
    quote_statements = statements(quote)
    for part in statements(claim):
        drops_condition = _WITHOUT.search(part) and not _KEEPS_CONDITION.search(part)
        if drops_condition and _EXCEPT_IF.search(aligned_clause(part, quote_statements) or ""):
            return True
    # (the claim's dashes only: a quote's "members - but not guests - may swim" is one statement)
    quote_parts, claim_parts = conditional_statements(quote, claim)
    restated: dict[str, list[str]] = {}
    for part in claim_parts:
        aligned = aligned_clause(part, quote_parts)
        if similar is not None and is_negated(part) != is_negated(aligned):
            aligned = closest_of_the_tied(part, quote_parts, similar)
        # (also a clause it shares two words with that the aligned one lacks: "X is a social animal that is
        # active at dawn" restates both "X is solitary" and "active at dawn"; "Southern output rose" restates
        # one of "output increased in the south, while output fell in the north", whichever words it shares)
        own = content_stems(part) - content_stems(aligned)
        overlapping = [
            q
            for q in quote_parts
            if q == aligned
            or len(content_stems(q) & own) >= 2
            # ("Wolverines are solitary": all of it but one word)
            or (
                len(content_stems(q)) >= 2
                and len(content_stems(q) - content_stems(part)) <= 1
                and content_stems(q) & own
            )
        ]
        if any(antonym_swapped(part, q, quote) for q in overlapping):
            return True
        restated.setdefault(aligned, []).append(part)
    # A negated statement of the quote that a claim statement restates though it matched another one better
    # ("has an IT desk and a quiet zone where calls are not allowed": one claim statement says both).
    for quote_part in quote_parts:
        stated = content_stems(quote_part)
        if quote_part in restated or len(stated) < 2 or not is_negated(quote_part):
            continue
        covering = [p for p in claim_parts if len(stated & content_stems(p)) >= 0.6 * len(stated)]
        if covering:
            restated[quote_part] = covering
    # Per quote statement: negated there, and in some claim statement restating it ("Quill has no garbage
    # collector; instead, …" restates "Instead of a garbage collector, it uses …").
    return any(
        statement_negation_disagrees(q, kept)
        for q, parts in restated.items()
        if (kept := [p for p in parts if not denial_of_another_statement(p, q, quote_parts)])
    )


def denial_of_another_statement(claim_part: str, quote_part: str, quote_parts: Sequence[str]) -> bool:
    """A negated claim statement that restates a plain quote statement and, with words that one lacks, a negated
    one too: its negation is the other's ("if you haven't done the training by 31 March, your access is
    suspended" for "must complete it by 31 March. Those who have not completed it … will have access
    suspended")."""
    if not is_negated(claim_part) or is_negated(quote_part):
        return False
    negated_others = [other for other in quote_parts if other != quote_part and is_negated(other)]
    beyond = content_stems(claim_part) - content_stems(quote_part)
    if not any(content_stems(other) & beyond for other in negated_others):
        return False
    # A denial in a condition is the negated statement's ("if you haven't …"). Elsewhere, not one that denies
    # a word of the plain statement, or words only the plain statement has: "the bus doesn't run on Saturdays,
    # Sundays or bank holidays" for "The bus runs on Saturdays. It does not run on Sundays or bank holidays";
    # "Visitors can't take photos in the main hall or use flash in the galleries" for "Visitors may photograph
    # the main hall. Flash photography is not allowed in the galleries."
    if re.search(r"\b(?:if|unless|once)\b[^,;]*?(?:\bnot\b|n't\b|\bnever\b)", claim_part, re.I):
        return True
    if any(denies_a_quote_word(claim_part, quote_part, denial) for denial in set(negations(claim_part))):
        return False
    plain_only = content_stems(quote_part) - set().union(*(content_stems(other) for other in negated_others))
    denied = [m.end() for m in _NEGATION.finditer(normalize(claim_part).replace("’", "'"))]
    return not any(
        content_stems(re.split(r"\b(?:or|and|nor)\b|[,;]", normalize(claim_part)[at:])[0]) & plain_only for at in denied
    )


# Opposite words of general English for what may, must or can happen. A claim that calls "permitted" what its
# quote calls "forbidden" contradicts it even beside another, negated clause ("X is permitted, although Y is
# forbidden" against "X and Y are forbidden"), which the negation count alone lets through.
_OPPOSITES = [
    (
        re.compile(r"\b(?:allowed|permitted|permissible|legal|lawful|possible|able)\b", re.IGNORECASE),
        re.compile(
            r"\b(?:forbid\w*|forbade|prohibit\w*|banned|disallow\w*|illegal|unlawful|impossible|unable)\b",
            re.IGNORECASE,
        ),
    ),
    (
        re.compile(r"\b(?:required|mandatory|compulsory|obligatory)\b", re.IGNORECASE),
        re.compile(r"\b(?:optional|voluntary|unnecessary)\b", re.IGNORECASE),
    ),
]


def _polarity(text: str, yes: re.Pattern[str], no: re.Pattern[str]) -> int:
    """+1 where `text` says the "yes" word of a pair, -1 the "no" word, either flipped by a negation; 0 where
    it says neither or both."""
    said = (1 if yes.search(text) else 0) - (1 if no.search(text) else 0)
    return -said if said and is_negated(no.sub("", text)) else said


# Opposite words of general English (direction, size, time, position, outcome): a claim that says "short" where
# the quote it restates says "long" contradicts it without any negation. Compared by stem, both ways.
_ANTONYM_WORDS = [
    ("long", "short"), ("increase", "decrease"), ("rose", "fell"), ("grow", "shrink"), ("high", "low"),
    ("higher", "lower"), ("highest", "lowest"), ("earlier", "later"), ("earliest", "latest"),
    ("maximum", "minimum"), ("major", "minor"), ("internal", "external"), ("strength", "weakness"),
    ("success", "failure"), ("gain", "loss"), ("win", "lose"), ("won", "lost"), ("public", "private"),
    ("north", "south"), ("east", "west"), ("northern", "southern"), ("eastern", "western"), ("upper", "lower"),
    ("inner", "outer"), ("senior", "junior"), ("strong", "weak"), ("accept", "reject"), ("include", "exclude"),
    ("centralized", "decentralized"), ("centralised", "decentralised"), ("formal", "informal"),
    ("simple", "complex"), ("easy", "difficult"), ("wide", "narrow"), ("hot", "cold"), ("wet", "dry"),
    ("top", "bottom"), ("oldest", "newest"), ("large", "small"), ("largest", "smallest"), ("big", "small"),
    ("many", "few"), ("older", "younger"), ("hard", "easy"), ("harder", "easier"), ("hardest", "easiest"),
    ("inside", "outside"), ("within", "outside"), ("closely", "independently"), ("together", "separately"),
    ("jointly", "separately"), ("dependent", "independent"),
    ("same", "different"), ("similar", "different"), ("identical", "different"), ("alike", "different"),
    ("tight", "loose"), ("solitary", "social"), ("solitary", "gregarious"), ("rare", "common"), ("rarely", "often"),
    ("seldom", "often"), ("rarely", "usually"), ("shallow", "deep"), ("thick", "thin"), ("rich", "poor"),
    ("cheap", "expensive"), ("strict", "lenient"), ("generous", "tight"), ("generous", "limited"),
    ("scarce", "abundant"), ("scarce", "plentiful"), ("ancient", "modern"), ("quick", "slow"), ("loud", "quiet"),
    ("accurate", "inaccurate"), ("true", "false"), ("positive", "negative"), ("profit", "loss"),
    ("safe", "dangerous"), ("likely", "unlikely"), ("alive", "dead"), ("local", "global"), ("urban", "rural"),
    ("inland", "coastal"), ("vertical", "horizontal"), ("paid", "unpaid"), ("online", "offline"),
    ("manual", "automatic"), ("winter", "summer"), ("dawn", "dusk"), ("morning", "evening"), ("full", "partial"),
    ("strategic", "tactical"), ("gained", "lost"), ("declined", "recovered"),
    ("generous", "constrained"), ("flexible", "rigid"), ("manual", "automated"), ("permanent", "temporary"),
    ("male", "female"), ("youngest", "oldest"), ("dense", "sparse"), ("clean", "dirty"), ("wild", "captive"),
    ("nocturnal", "diurnal"), ("freshwater", "saltwater"), ("herbivorous", "carnivorous"),
    ("beginner", "expert"), ("novice", "expert"), ("amateur", "professional"), ("succeed", "fail"),
    ("successful", "unsuccessful"), ("popular", "unpopular"), ("approve", "reject"), ("support", "oppose"),
    ("encourage", "discourage"), ("strengthen", "weaken"), ("improve", "worsen"), ("expand", "shrink"),
    ("majority", "minority"), ("frequent", "rare"), ("frequently", "rarely"), ("praised", "criticised"),
    ("praised", "criticized"), ("liked", "disliked"), ("fashionable", "unfashionable"), ("benefit", "harm"),
    ("soft", "hard"), ("sweet", "bitter"), ("ascending", "descending"), ("secure", "insecure"),
    ("healthy", "unhealthy"), ("guilty", "innocent"), ("exclusive", "inclusive"),
    # irregular forms, which share no stem with the pair above them
    ("grew", "shrank"), ("grown", "shrunk"), ("grown", "shrunken"), ("risen", "fallen"),
]  # fmt: skip
# Left out on purpose: words that are also verbs or other words by the same stem ("last" as in "lasts 45
# minutes", "close", "open", "fast", "direct", "new", "late" as in "the late king", "fall" the season, "fixed"
# a leak, "old" as in "five years old", "light" as in "by first light"), converses, which restate each other
# with the roles swapped ("lends"/"borrows", "imports"/"exports", "upstream of"/"downstream of", "buyer"/
# "seller", "victory"/"defeat", "arrive"/"depart", "peace"/"war" ended), and states that change over time, which
# a claim often sets in another season or year than the quote's clause it lines up with ("empty in winter" beside
# "crowded in summer", "stable in 2023" beside "volatile in 2022", "warm days" beside "cold soup").
# Of these pairs, the ones where "not" one word says the other: "not the same" is "different", while "not in
# winter" is not "in summer".
_COMPLEMENTS = {
    frozenset(pair)
    for pair in (
        ("same", "different"), ("alike", "different"), ("true", "false"), ("accurate", "inaccurate"),
        ("likely", "unlikely"), ("alive", "dead"), ("paid", "unpaid"), ("dependent", "independent"),
        ("formal", "informal"), ("online", "offline"),
    )
}  # fmt: skip


# Adverbs in "-ly" whose sense is not their adjective's: "highly" is "very", "hardly" "barely", "shortly" "soon".
_ADVERBS_OF_THEIR_OWN = frozenset(
    ("highly", "lowly", "hardly", "shortly", "largely", "lately", "fairly", "nearly", "barely", "mostly", "fully",
     "dearly", "directly", "presently", "surely", "widely", "closely", "evenly", "badly")
)  # fmt: skip


@lru_cache(maxsize=1)
def _antonyms() -> dict[str, frozenset[str]]:
    """Each word's opposites, by stem, so "increases" finds "decreased"."""
    from rag.spelling import english_vocabulary

    vocabulary = english_vocabulary()
    table: dict[str, set[str]] = {}
    pairs = list(_ANTONYM_WORDS)
    # their adverbs too, which the stemmer may not bring back to the adjective ("slowly" is "slowli")
    pairs += [
        (f"{a}ly", f"{b}ly")
        for a, b in _ANTONYM_WORDS
        if f"{a}ly" in vocabulary and f"{b}ly" in vocabulary and not {f"{a}ly", f"{b}ly"} & _ADVERBS_OF_THEIR_OWN
    ]
    for a, b in pairs:
        table.setdefault(stem(a), set()).add(stem(b))
        table.setdefault(stem(b), set()).add(stem(a))
    return {word: frozenset(opposites) for word, opposites in table.items()}


def _graded_stems(text: str) -> set[str]:
    """Stems of a text's words, a comparative also by its adjective's ("shallower" is "shallow")."""
    return {stem(w) for w in words(text)} | {stem(base) for w in words(text) if (base := comparative_base(w))}


def comparative_base(word: str) -> str | None:
    """The adjective of a comparative: "deeper" -> "deep", "larger" -> "large", "earlier" -> "early", "bigger" ->
    "big"."""
    from rag.spelling import english_vocabulary

    if not _is_comparative(word):
        return None
    lower = word.lower()
    vocabulary = english_vocabulary()
    candidates = [c for c in (lower[:-1], lower[:-2], f"{lower[:-3]}y", lower[:-3]) if len(c) > 2 and c in vocabulary]
    # the commonest reading: "long" for "longer", not the rare "longe"
    return max(candidates, key=lambda c: vocabulary[c], default=None)


_BEFORE_OR_AFTER = re.compile(r"\b(?P<side>before|after)\s+(?P<when>\d[\d,]*)\b", re.IGNORECASE)


_OTHER_SIDE = re.compile(r"\b(?:earlier|later|before that|after that|before then|after then|otherwise)\b", re.I)
_CONDITION_OR_DENIAL = re.compile(
    r"\b(?:if|unless|needs? to|must|has to|have to|to be|not|never|cannot|no)\b|n't\b", re.IGNORECASE
)


def side_turned(claim: str, quote: str) -> str | None:
    """The claim says the other side of a figure ("before 1980" for the quote's "after 1980"), or affirms the
    side the quote's contrast denies ("records are deleted" for "anonymised rather than deleted") without the
    side it affirms."""
    claim_said, quote_said = in_digits(claim), in_digits(quote)
    stated = {(m["side"].lower(), m["when"]) for m in _BEFORE_OR_AFTER.finditer(quote_said)}
    # (the quote says what holds on the other side too, "those who joined later", "earlier bookings"; or the
    # claim sets a condition or denies, "needs to be in before 5 pm", which may be the other side's)
    if _OTHER_SIDE.search(quote) or _CONDITION_OR_DENIAL.search(claim):
        stated = set()
    for match in _BEFORE_OR_AFTER.finditer(claim_said):
        side, when = match["side"].lower(), match["when"]
        other = "after" if side == "before" else "before"
        if (other, when) in stated and (side, when) not in stated:
            return f"'{side} {when}' for the quote's '{other} {when}'"
    claim_stems = content_stems(claim)
    for statement in statements(quote):
        contrasted = _CONTRAST_TAIL.search(normalize(statement))
        if contrasted is None:
            continue
        affirmed = [w for w in words(contrasted["affirmed"]) if content_stems(w)][-1:]
        denied = content_stems(contrasted["denied"])
        if not affirmed or not denied or content_stems(affirmed[0]) & claim_stems:
            continue
        for part in statements(claim):
            if _CONTRAST.search(part):
                continue
            said = words(part)
            if not denied <= content_stems(part):
                continue  # ("both roles" does not affirm "not role scope")
            for i, word in enumerate(said):
                # (a denial of the word itself stands just before it: "are not deleted", "never deleted")
                if content_stems(word) & denied and not is_negated(" ".join(said[max(0, i - 3) : i])):
                    return f"the claim affirms what the quote's contrast denies ({contrasted['denied'].strip()})"
    return None


def antonym_swapped(claim_part: str, quote_part: str, quote: str) -> bool:
    """The claim says a word whose opposite the quote clause it restates says, and the quote never says the
    claim's word ("a short-term lease" for "a long-term lease")."""
    if is_negated(claim_part) != is_negated(quote_part):
        return False  # "not long" restates "short"; the negation check weighs the rest
    opposites = _antonyms()
    # ("non-professional" is the opposite of "professional": `non_prefix_flipped` weighs it)
    claim_part, quote_part = (
        re.sub(r"\bnon[- ]\w+", " ", text, flags=re.IGNORECASE) for text in (claim_part, quote_part)
    )
    claimed = _graded_stems(claim_part)
    stated = _graded_stems(quote_part)
    anywhere = _graded_stems(quote)
    return any(w not in anywhere and (opposites.get(w, frozenset()) & stated) - claimed for w in claimed)


def says_opposite(claim_part: str, quote_part: str) -> bool:
    """The claim says the opposite word of one its quote uses ("permitted" for "forbidden", "not required"
    for "mandatory"); "not prohibited" for "allowed" agrees."""
    for yes, no in _OPPOSITES:
        claimed, stated = _polarity(claim_part, yes, no), _polarity(quote_part, yes, no)
        if claimed and stated and claimed != stated:
            return True
    return False


_WARNING = re.compile(r"^\W*(?:don't|do not|never|avoid)\b", re.IGNORECASE)
# Advice "not to" do an excess: "The rule is not to over-hire".
_ADVISED_AGAINST = re.compile(r"\b(?:not|never) to (?=over-\w|\w+ (?:\w+ )?too\b)", re.IGNORECASE)


def warns_of(claim_part: str, quote_part: str) -> bool:
    """The claim warns against the excess the quote names as a mistake ("Don't over-hire" for "• Over-hiring
    too fast. …"). Advice "not to" do it counts only where the quote opens with the excess, as a list of
    mistakes does, and the claim denies nothing else ("not to over-tighten them, as this can never …")."""
    if _WARNING.match(claim_part):
        return bool(excess_terms(claim_part) & excess_terms(quote_part))
    advice = _ADVISED_AGAINST.search(claim_part)
    if advice is None or is_negated(f"{claim_part[: advice.start()]} to {claim_part[advice.end() :]}"):
        return False
    opening = " ".join(_BULLET.sub("", quote_part).split()[:4])
    return bool(excess_terms(claim_part) & excess_terms(opening))


_EXCESS = re.compile(
    r"\btoo (much|many|fast|quickly|early|soon|late|often|long|far|little|few|slowly|\w+ly)\b|\b(over-\w+)",
    re.IGNORECASE,
)


def excess_terms(text: str) -> set[str]:
    """The excesses a text names, by stem: "too fast" -> "fast", "over-hiring" -> "over-hir"."""
    return {stem(next(g for g in m.groups() if g).lower()) for m in _EXCESS.finditer(text)}


# "Not reimbursed unless approved" makes the approval a condition; "reimbursed without approval" drops it.
_EXCEPT_IF = re.compile(r"(?:\bnot\b|n't\b|\bnever\b|\bcannot\b|\bno\b)[^.;]*\bunless\b", re.IGNORECASE)
_WITHOUT = re.compile(r"\bwithout\b", re.IGNORECASE)
_KEEPS_CONDITION = re.compile(r"\b(?:not|never|cannot|only|unless)\b|n't\b", re.IGNORECASE)


# A claim that calls something required turns "can help" or "is common" into an obligation. Any word of need
# or limit in the quote ("must", "shall", "at least", "unless", an obligation of its own) leaves it to the
# other checks, and so does a quote that does not say it only may help (an instruction: "Attach the receipts").
_REQUIRED = re.compile(
    r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+)?(?:required|mandatory|compulsory|obligatory|a prerequisite)\b",
    re.IGNORECASE,
)
# What only may help or happen: the quote the rule is for ("can further enhance"), not an instruction.
_MAY_HELP = re.compile(
    r"\b(?:can|could|may|might|optional|recommended|helpful|helps?|enhances?|strengthens?|often|usually|"
    r"typically|sometimes|preferred|advantage\w*|a plus)\b",
    re.IGNORECASE,
)
_OBLIGES = re.compile(
    r"\b(?:requir\w*|mandatory|compulsory|obligatory|prerequisites?|necessary|necessity|must|needs?|needed|"
    r"have to|has to|had to|shall|cannot|can't|may not|unless|at least|essential|expected|obliged|mandated?)\b",
    re.IGNORECASE,
)


def makes_required(claim: str, quote: str) -> bool:
    required = any(_REQUIRED.search(s) and not is_negated(s) for s in statements(claim))
    return required and bool(_MAY_HELP.search(quote)) and not _OBLIGES.search(quote)


_CONDITION_OF_DENIAL = re.compile(r"\b(?:unless|except|without|other than|apart from)\b(?P<condition>[^.;]*)", re.I)
_NEGATED_PAIR = re.compile(r"\b(?:not|never|cannot|neither)\s+(\w+)\s+(?:or|nor)\s+(\w+)")


def statement_negation_disagrees(quote_part: str, claim_parts: list[str]) -> bool:
    if restates_exception(quote_part, claim_parts):
        return False
    if any(says_opposite(c, quote_part) for c in claim_parts):
        return True
    negated = [c for c in claim_parts if is_negated(c)]
    # "may run but may not dribble" for "may not run or dribble": the negation covers both verbs, and a
    # statement affirming one of them contradicts it, whatever another statement denies.
    denied_pair = _NEGATED_PAIR.search(normalize(quote_part))
    if denied_pair and is_negated(quote_part):
        # (the verb itself, after a modal or auxiliary: "when the date is missing" affirms no "dated")
        affirmed = re.compile(rf"\b(?:{_AUXILIARIES}|be|been|to)\s+(?:\w+\s+)?(?:{denied_pair[1]}|{denied_pair[2]})\b")
        # (also a stretch between commas: "players are allowed to dribble, they just can't run with it")
        stretches = [piece for c in claim_parts for piece in {c, *re.split(r",\s+", c)}]
        if any(not is_negated(c) and affirmed.search(normalize(c)) for c in stretches):
            return True
    # "are still reimbursed, and you don't need approval" for "are not reimbursed unless approved": a statement
    # affirming the very verb the quote denies, while another denies the quote's condition, waives it ("given
    # within 30 days, but not after that" and "used in an emergency, but not otherwise" restate the condition).
    condition = _CONDITION_OF_DENIAL.search(quote_part)
    if negated and condition and is_negated(quote_part):
        required = content_stems(condition["condition"])
        if any(content_stems(c) & required for c in negated) and any(
            not is_negated(c) and not content_stems(c) & required and affirms_denied_verb(c, quote_part)
            for c in claim_parts
        ):
            return True
    if is_negated(quote_part) == bool(negated):
        return any(denies_once_more(c, quote_part) for c in claim_parts)
    # "only reimbursed with approval" is "not reimbursed unless approved"
    if not negated and _EXCEPT_IF.search(quote_part) and any(re.search(r"\bonly\b", c, re.I) for c in claim_parts):
        return False
    # "Don't over-hire" warns against what the quote names as a mistake ("Over-hiring too fast").
    if negated and all(warns_of(c, quote_part) for c in negated):
        return False
    # A contrast restates a negation of what it denies: "blocks are not marked by braces" is "marked by
    # indentation rather than by braces"; "not made of steel" is not "steel rather than iron".
    if negated:
        denied = _denied(quote_part)
        if denied and any(denied <= content_stems(c) for c in negated):
            return False
    else:
        denied = set().union(*(_denied(c) for c in claim_parts))
        if denied and denied <= content_stems(quote_part):
            return False
    # "not the same" is "different": the opposite of a word the negated side denies restates the negation.
    negated_side, plain_side = (" ".join(negated), quote_part) if negated else (quote_part, " ".join(claim_parts))
    if opposite_restates_negation(plain_side, negated_side) or enough_restates_too(plain_side, negated_side):
        return False
    if prefix_restates_negation(plain_side, negated_side):
        return False
    # One side avoids, the other prevents (or steers clear, eliminates …): the same statement in other words.
    return not (_AVOIDANCE.search(quote_part) and any(_AVOIDANCE.search(c) for c in claim_parts))


# A plain denial of the verb: "rooms nobody checks in to are not released" denies what "bookings nobody checks
# in to are released" affirms, though both sides hold a negation ("nobody").
_VERB_DENIALS = frozenset({"not", "n't", "never", "cannot"})


def denies_once_more(claim_part: str, quote_part: str) -> bool:
    """The claim keeps every negating word of the quote and adds one plain denial of a verb: the quote's
    negation sits in a part the claim restates ("that nobody checks in to"), the added one turns the rest round."""
    claimed, quoted = Counter(negations(claim_part)), Counter(negations(quote_part))
    added = claimed - quoted
    if quoted - claimed or sum(added.values()) != 1 or not set(added) <= _VERB_DENIALS:
        return False
    # The denied word must be the quote's own ("are not returned" for "are returned"): "are not let in" for "are
    # refused entry" denies another word, the opposite of the quote's.
    return denies_a_quote_word(claim_part, quote_part, next(iter(added)))


_BEFORE_THE_DENIED = re.compile(rf"(?:{_AUXILIARIES}|be|been|being|ever|even|also|still|yet|always|often|\w+ly)")


# Prefixes of general English that negate the word they join: "unsure" is "not sure", "unable" "not able",
# "incomplete" "not complete", "disagree" "not agree".
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")


def prefix_restates_negation(plain: str, negated: str) -> bool:
    """The plain statement says with a negating prefix the word the negated one denies: "If you're unsure, ask"
    for "If you're not sure, ask"."""
    text = normalize(negated).replace("’", "'")
    # (by stems: "no limit" is "unlimited")
    prefixed = {
        stem(word[len(prefix) :]) for word in words(plain) for prefix in _NEGATING_PREFIXES if word.startswith(prefix)
    }
    for match in _NEGATION.finditer(text):
        denied = [w for w in words(text[match.end() :]) if not _BEFORE_THE_DENIED.fullmatch(w)]
        if denied and len(denied[0]) >= 4 and stem(denied[0]) in prefixed:
            return True
    return False


def un_word_turned(claim: str, quote: str) -> str | None:
    """A plain word for the quote's "un-" word, or the other way round, in a statement that denies neither
    ("The leave is paid" for "The leave is unpaid"). Only "un-", which negates the words it joins: "in-" and
    "dis-" also start words that are no negations ("inform", "invest", "discover")."""
    from rag.spelling import english_vocabulary

    vocabulary = english_vocabulary()
    stated = set(words(quote))
    for part in statements(claim):
        if is_negated(part):
            continue
        for word in words(part):
            plain, prefixed = (word[2:], word) if word.startswith("un") else (word, "un" + word)
            if len(plain) < 4 or plain not in vocabulary or prefixed not in vocabulary:
                continue
            if (word == plain and prefixed in stated and plain not in stated) or (
                word == prefixed and plain in stated and prefixed not in stated
            ):
                return word
    return None


def denies_a_quote_word(claim_part: str, quote_part: str, denial: str) -> bool:
    """The first word `denial` denies in the claim, past auxiliaries and adverbs, is a word of the quote."""
    text = normalize(claim_part).replace("’", "'")
    quoted = {stem(w) for w in words(quote_part)}
    for match in _NEGATION.finditer(text):
        if match.group(0).lower() != denial:
            continue
        denied = [w for w in words(text[match.end() :]) if not _BEFORE_THE_DENIED.fullmatch(w)]
        if denied and stem(denied[0]) in quoted:
            return True
    return False


@lru_cache(maxsize=1)
def _complement_stems() -> frozenset[frozenset[str]]:
    return frozenset(frozenset(stem(w) for w in pair) for pair in _COMPLEMENTS)


def restates_exception(quote_part: str, claim_parts: list[str]) -> bool:
    """The quote denies all but an exception ("Dogs are not allowed in the café except on the terrace"); the
    claim affirms only the exception, in the quote's words, and denies the rest ("Dogs are allowed on the café's
    terrace, but not elsewhere")."""
    condition = _CONDITION_OF_DENIAL.search(quote_part)
    before = quote_part[: condition.start()] if condition else ""
    # ("not without its challenges" denies nothing: the two negations cancel)
    if condition is None or not is_negated(before) or re.search(r"\bnot\s*$", before, re.IGNORECASE):
        return False
    exception, stated = content_stems(condition["condition"]), content_stems(quote_part)
    affirming = [c for c in claim_parts if not is_negated(c)]
    return (
        bool(exception)
        and len(affirming) < len(claim_parts)
        and bool(affirming)
        # (a letter alone is what a possessive leaves of a word: "café's")
        and all(
            content_stems(c) & exception and {w for w in content_stems(c) if len(w) > 1} <= stated for c in affirming
        )
    )


def opposite_restates_negation(plain: str, negated: str) -> bool:
    """The plain statement says, in place of a word the negated one denies, its complement ("different" for
    "not the same"), and otherwise the same words. A negating word ("few", "rarely") is not the denied word."""
    said, denied = {stem(w) for w in words(plain)}, {stem(w) for w in words(negated) if not is_negated(w)}
    rest = content_stems(plain) ^ content_stems(negated)
    return any(
        frozenset((w, other)) in _complement_stems() and not rest - {w, other}
        for w in said - denied
        for other in _antonyms().get(w, frozenset()) & denied
    )


_ENOUGH = re.compile(r"\b(\w+) enough\b", re.IGNORECASE)
_TOO = re.compile(r"\btoo (\w+)\b", re.IGNORECASE)


def enough_restates_too(plain: str, negated: str) -> bool:
    """ "Not big enough" is "too small", and "not too small" is "big enough": with "enough" and "too", a word
    denied says its opposite."""
    opposites = _antonyms()
    return any(
        stem(other.lower()) in opposites.get(stem(word.lower()), frozenset())
        for denied_words, said_words in ((_ENOUGH, _TOO), (_TOO, _ENOUGH))
        for word in denied_words.findall(negated)
        for other in said_words.findall(plain)
    )


def statements(text: str) -> list[str]:
    """Clauses, also split at a bare "and": "expire every 180 days and … cannot be reused" states two things,
    and only the second is negated."""
    return list(_statements(text))


def negation_statements(text: str) -> list[str]:
    """Statements, also split at a dash, for comparing negations: in "When you are marked - within arm's reach -
    you cannot shoot" only the last is negated. (A single word before a dash, "No - it closes at 5", stays with
    what follows it.)"""
    return list(_negation_statements(text))


# A comma before a new subject and its verb starts a statement of its own: "…on by default, you're not allowed
# to disable it".
_COMMA_SPLICE = re.compile(
    r",\s+(?=(?:you|they|we|he|she|it)(?:'re|'ll|'ve|'s|\s+(?:are|is|can|cannot|can't|must|mustn't|will|won't|may|"
    r"should|shouldn't|need|needn't|have|has|do|don't|does|doesn't))\b)",
    re.IGNORECASE,
)


def split_spliced(statement: str) -> list[str]:
    """A statement split where a comma starts another ("…by default, you're not allowed to disable it"); not
    after an answer word alone ("No, it's insoluble in water")."""
    pieces = _COMMA_SPLICE.split(statement)
    # (nor after a condition, which the statement after the comma depends on: "If you haven't done it by June,
    # you'll lose access")
    if len(pieces) > 1 and (len(words(pieces[0])) < 3 or _SUBORDINATE.match(pieces[0])):
        pieces = [f"{pieces[0]}, {pieces[1]}", *pieces[2:]]
    return pieces


_SUBORDINATE = re.compile(
    r"^\W*(?:if|when|whenever|unless|once|because|since|although|though|after|before|until|while|as soon as)\b",
    re.IGNORECASE,
)


@_text_cache(maxsize=8192)
def _negation_statements(text: str) -> tuple[str, ...]:
    pieces = []
    for statement in (piece for joined in _statements(text) for piece in split_spliced(joined)):
        dashed = _DASH.split(statement)
        pieces += [statement] if len(dashed) > 1 and len(dashed[0].split()) < 2 else [d for d in dashed if d.strip()]
    return tuple(pieces)


# "If not": what follows when a statement is not heeded ("Book by Friday, otherwise you will get …", "… or
# you'll get …", "Unless you book by Friday, you get …"). A plain "or" offers a choice ("apply online, or you
# will need to visit the office"), so "or you'll" counts only beside another "if not".
_IF_NOT = r"otherwise|or else|or (?=(?:you|they|he|she|it|we|I)(?:'ll| will)\b)"
_IF_NEGATED = re.compile(
    r"\bif\b([^,.;]*?)\s(?:don't|do not|doesn't|does not|haven't|have not|hasn't|has not|didn't|did not|fail to|"
    r"failed to)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(rf"\b(?:{_IF_NOT}|unless)", re.IGNORECASE)


def says_if_not(text: str) -> bool:
    return bool(_CONDITIONAL.search(text) or _IF_NEGATED.search(text))


def conditional_statements(quote: str, claim: str) -> tuple[list[str], list[str]]:
    """The quote's statements and the claim's, for comparing negations. Where both say "if not", in whichever
    words ("…, otherwise you will get …", "… or you'll get …", "If you don't …, you get …"), they say the same:
    the words go. Where one side alone does, its "otherwise" or "unless" is read as a negation, as it is."""
    quote, claim = (text.replace("\u2019", "'") for text in (quote, claim))
    if says_if_not(quote) and says_if_not(claim):
        quote, claim = (_IF_NEGATED.sub(r"if\1", _CONDITIONAL.sub(" ", text)) for text in (quote, claim))
        return statements(quote), negation_statements(claim)
    # A claim that says nothing of the consequence restates only what must be done: "The form is due by Monday"
    # for "Return the form by Monday, otherwise you will lose your place".
    claimed = content_stems(claim)
    quote_parts = []
    for part in statements(quote):
        done, consequence = split_consequence(part)
        quote_parts.append(done if consequence and not content_stems(consequence) & claimed else part)
    return quote_parts, negation_statements(claim)


# (a quote's "or you'll …" is no negation of its own, so only "otherwise" and "or else" are split off)
_CONSEQUENCE = re.compile(r",?\s+(?=otherwise\b|or else\b)", re.IGNORECASE)


def split_consequence(statement: str) -> tuple[str, str]:
    """ "Return it by Monday, otherwise you lose your place" -> ("Return it by Monday", "otherwise you …")."""
    found = _CONSEQUENCE.search(statement)
    if found is None or not statement[: found.start()].strip():
        return statement, ""
    return statement[: found.start()], statement[found.end() :]


@_text_cache(maxsize=8192)
def _statements(text: str) -> tuple[str, ...]:
    pieces = [piece for part in _clauses(text) or [text] for piece in _AND.split(part) if piece.strip()]
    return tuple(pieces) or (text,)


_AND = re.compile(r"(?<=[^\d\s])\s+and\s+|\s+and\s+(?=[^\d\s])")  # "between 9 and 5" is one range
# A dash set off by spaces joins two statements: "When you are marked — within arm's length — you cannot shoot".
# (`normalize` writes dashes as " - "; a range "5 - 8" is no break)
_DASH = re.compile(r"\s+(?:[\u2013\u2014]|--)\s+|(?<=[^\d\s])\s+-\s+(?=[^\d\s])")


_PRONOUN_START = re.compile(r"^\W*(it|its|they|their|he|his|she|her|this|these|those)\b", re.IGNORECASE)


_CLAIM_RELATIVE = re.compile(r",?\s+who\s+(?P<said>[^,;:.!?]+)")


def relative_statements(claim: str, claimed_names: Sequence[str]) -> list[tuple[str, str]]:
    """(name, what a "who" clause says of it) for each name a relative clause follows: "… falls to the Warden,
    who may sign the forms" says of the Warden "may sign the forms"."""
    out = []
    for match in _CLAIM_RELATIVE.finditer(claim):
        before = claim[: match.start()]
        doer = next((n for n in claimed_names if re.search(_name_pattern(n) + r"\W*$", before)), None)
        if doer is not None:
            out.append((doer, match["said"]))
    return out


def with_subject(text: str, subject: str | None, quote: str) -> str:
    """The text with a leading "It"/"They" read as the quote's opening `subject`, in the quote's words ("The
    Karsk Mountains"); a dummy "It is likely that …" is left alone."""
    at = quote.find(subject) if subject else -1
    if at < 0 or at > 4 or re.match(r"^\W*it(?:'s| is| was) \w+ (?:that|to)\b", text, re.IGNORECASE):
        return text
    spelled = quote[: at + len(subject or "")]
    return re.sub(r"^\W*(?:it|they|he|she)\b", lambda _: spelled, text, count=1, flags=re.IGNORECASE)


# The agent of a passive: "by the engineer Tomas Rell", "navigable by barges".
_AGENT = re.compile(r"\bby\s+((?:[\w'-]+\s+){0,3}[\w'-]+)", re.IGNORECASE)


def subject_moved(claim: str, subject: str | None, quote: str, frame_names: Sequence[str] = ()) -> bool:
    """The clause the claim restates is about someone else: it opens with another name ("X is common in the
    US" from "X is common in Europe, while Y is common in the US"), or with a pronoun for another name in the
    sentence before it ("Y was invented in 1902" from "X is a sport. It was invented in 1902"), or with the
    short form of a name of its headings ("Heads approve …" under "Head of Sales versus Director of Sales")."""
    if not subject:
        return False
    parts = clauses(quote) or [quote]
    mine = frozenset(name_stems(acronyms_spelled_out(subject, quote)))  # ("QA Lead": "Quality Assurance Lead")
    first = (clauses(claim) or [claim])[0]  # the clause the subject belongs to
    # (the subject's own words, as content stems, do not place the clause: its predicate does; of clauses the
    # predicate fits as well, the one naming the subject)
    subject_stems = frozenset(content_stems(subject))
    aligned = aligned_clause(first, parts, ignore=subject_stems)
    fit = len(content_stems(aligned) & (content_stems(first) - subject_stems))
    aligned = next(
        (
            part
            for part in parts
            if fit
            and mine <= name_pool(part)
            and len(content_stems(part) & (content_stems(first) - subject_stems)) == fit
        ),
        aligned,
    )
    if aligned not in parts:
        return False
    # the claim turned the quote's passive round: "Count Ulric built it" for "It was built by Count Ulric";
    # the agent of another clause's passive is another doer ("the Trust rebuilt the wall" for "the wall was
    # rebuilt by the council, while the pier was rebuilt by the Trust")
    if any(mine <= name_stems(agent[1]) for agent in _AGENT.finditer(aligned)):
        return False
    if _AGENT.search(aligned) and any(
        mine <= name_stems(agent[1]) for part in parts if part != aligned for agent in _AGENT.finditer(part)
    ):
        return True
    index = parts.index(aligned)
    own = _opening_name(parts[index], frame_names)
    while own is None and index > 0 and _PRONOUN_START.match(parts[index]):
        index -= 1
        own = _opening_name(parts[index], frame_names)
    if own is None:
        return False
    if (subject.isupper() and subject in acronyms_of(own)) or (own.isupper() and own in acronyms_of(subject)):
        return False  # "The IKF sets …" for "The International Korfball Federation (IKF) sets …"
    if subject.isupper() and name_stems(own) <= name_stems(spelled_out_run(subject, quote) or ""):
        return False  # "MFA is required" for "Multi-factor authentication is mandatory"
    theirs = frozenset(name_stems(own))
    if mine <= theirs or theirs <= mine:
        return False
    # (the clause it restates names the subject, though not first: "fought between Duke Conrad and …")
    if mine <= name_pool(aligned) and said_by_its_subject_elsewhere(first, subject, parts):
        return False
    # A clause that says two things, each of its own name, restates its subject's own statement as well as
    # the other's: "The Selva has three tributaries — the Aldra, … — of which the Aldra is the longest".
    return not (
        theirs <= name_pool(first)
        and any(restates_own_statement(first, part, mine, frame_names) for part in parts if part != aligned)
    )


def said_by_its_subject_elsewhere(clause: str, subject: str, parts: Sequence[str]) -> bool:
    """Another clause of the quote opens with the subject (by its last word, possessive or not) and has the verb
    the claim says of it: "Duke Conrad won the battle" from "The battle was fought between Duke Conrad and the
    Earl. Although outnumbered, Conrad's forces won"."""
    after = clause[clause.find(subject) + len(subject) :] if subject in clause else ""
    verb = next(iter(content_words(after)), None)
    if verb is None:
        return False
    last = name_word(subject.split()[-1])
    for part in parts:
        opening = [name_word(re.sub(r"['’]s$", "", w)) for w in words(part)[:OPENING_WORDS]]
        if last in opening and stem(verb) in content_stems(part):
            return True
    return False


def restates_own_statement(clause: str, part: str, subject: frozenset[str], frame_names: Sequence[str]) -> bool:
    """`part` opens with the clause's subject, and the clause keeps most of what `part` says of it."""
    opener = _opening_name(part, frame_names)
    if opener is None or frozenset(name_stems(opener)) != subject:
        return False
    stated = content_stems(part) - content_stems(opener)
    return bool(stated) and len(stated & content_stems(clause)) / len(stated) >= QUOTE_RESTATED


def list_siblings(owner: str, headings: str, title: str) -> set[str]:
    """Name words of what the title or headings set beside a list's owner ("Harbour Master vs Port Captain",
    "Ada Lovelace and Charles Babbage"): the names a claim could wrongly give the owner's items to."""
    mine = name_stems(owner)
    out: set[str] = set()
    for segment in re.split(r"[.:;|\u2013\u2014]\s+|:", f"{title}. {headings}"):
        pieces = re.split(r"\s+(?:and|vs\.?|versus|or|&)\s+|,\s*", segment.strip())
        if len(pieces) > 1 and any(name_stems(p) == mine for p in pieces):
            out |= set().union(*(name_stems(p) for p in pieces if name_stems(p) != mine))
    return out


def list_owner(lead_in: str) -> str | None:
    """The name a list's intro line consists of ("Port Captain:"), whose items are that one's; None for an
    intro that says more ("The company does not reimburse:")."""
    intro = lead_in.strip().rstrip(":").strip()
    found = names(intro)
    return intro if found == (intro,) and not is_common_word(intro) else None


_FOR_WHOM = re.compile(r"^\W*for (?:a |an |the )?([^,;:]{2,60}),\s", re.IGNORECASE)


def _plain_opener(claim: str, quote: str, frame: str) -> str | None:
    opening = re.match(r"\w+", _SUBJECT_LEAD.sub("", claim.strip(), count=1))
    if opening is None or name_word(opening.group()) in name_pool(quote):
        return None
    return _opening_name((clauses(claim) or [claim])[0], names(frame))


def _opening_name(clause: str, frame_names: Sequence[str] = ()) -> str | None:
    # "…: the Aldra, the Brisk and the Mavel" only lists names; it says nothing of its own about the first
    found = names(clause)
    listed = {w for n in found for w in name_stems(n)}
    if len(found) > 1 and {name_word(w) for w in content_words(clause)} <= listed:
        return None
    name = leading_subject(clause, claim_names(clause))
    if name is not None and not is_common_word(name):
        return name
    # A capitalised common word after "the" is a title used as a name: "… while the Receptionist greets …"
    title = re.match(r"\W*the\s+([A-Z][a-z]+)\b", clause)
    if title and is_common_word(title[1]) and title[1] in claim_names(clause):
        return title[1]
    # "Another path …", "Lost items are …": a common word opening a sentence names no one, unless it is the
    # head word of a name its headings give, in the plural or not ("Heads" for "Head of Sales").
    opening = re.match(r"\w+", _SUBJECT_LEAD.sub("", clause.strip(), count=1))
    if opening is None:
        return None
    opener = name_word(opening.group())
    return next((n for n in frame_names if len(n.split()) > 1 and head_word(n) == opener), None)


def head_word(name: str) -> str:
    """The word a name is a kind of: before "of" ("Head of Sales"), else its last ("Sales Director")."""
    parts = name.split()
    joined = next((i for i, w in enumerate(parts) if i > 0 and w.lower() in {"of", "for"}), len(parts))
    return name_word(parts[joined - 1])
