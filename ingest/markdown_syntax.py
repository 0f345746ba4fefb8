"""Markdown syntax of a text, located by line with markdown-it-py: headings, fenced code and pipe tables.

The structure parser reads Markdown in every text it gets (scraped .txt files are full of it), so this runs on
all of them. It only says which lines are what; the parser slices blocks out of the original text itself, so
offsets stay exact whatever markdown-it normalises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@dataclass(frozen=True)
class Heading:
    first: int  # first line of the heading's text
    last: int  # last line of its text; a setext heading's underline is the line after
    text: str  # the heading's text as written, markup removed (first line only for setext headings)
    setext: bool


@dataclass(frozen=True)
class Table:
    header: int
    delimiter: int
    rows: tuple[int, ...]


@dataclass
class MarkdownLines:
    """Line numbers (0-based, lines split on "\\n") of the Markdown structure found in a text."""

    headings: dict[int, Heading] = field(default_factory=dict)  # by first line
    underlines: set[int] = field(default_factory=set)  # setext underlines ("===", "---")
    fences: set[int] = field(default_factory=set)  # the ``` / ~~~ lines that open and close code
    code: set[int] = field(default_factory=set)  # lines inside fenced code
    tables: dict[int, Table] = field(default_factory=dict)  # by header line
    table_lines: dict[int, int] = field(default_factory=dict)  # any line of a table -> its header line


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Block structure is all that is read: inline parsing (emphasis, links) would only cost time.
    parser = MarkdownIt("commonmark").enable("table").disable("inline")
    # markdown-it compiles its rule chains on first use, and two threads doing that at once (a server's
    # re-index and a query reading a changed source) can see half-built chains and fail. One parse of
    # non-empty text compiles them here, before the parser is shared; after that it is only read.
    parser.parse("warm-up\n")
    return parser


def scan(text: str, skip: frozenset[int] = frozenset()) -> MarkdownLines:
    """Markdown structure of `text`; lines in `skip` (front matter) are read as blank."""
    lines = text.split("\n")
    # markdown-it also breaks lines at a lone "\r"; a space keeps its line numbers equal to ours.
    source = "\n".join("" if i in skip else line.replace("\r", " ") for i, line in enumerate(lines))
    found = MarkdownLines()
    tokens = _parser().parse(source)
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        first, end = token.map
        if token.type == "heading_open":
            _heading(found, lines, token.markup, first, end, tokens[index + 1].content)
        elif token.type == "fence":
            _fence(found, lines, token.markup, first, end)
        elif token.type == "table_open":
            _table(found, tokens, index)
    return found


def _heading(found: MarkdownLines, lines: list[str], markup: str, first: int, end: int, content: str) -> None:
    if not content:
        return  # "#" alone: an empty heading names no section
    if markup.startswith("#"):
        # Only a line that is itself the heading: "- # Title" stays a list item, "> # Title" a quote.
        if lines[first].lstrip().startswith("#"):
            found.headings[first] = Heading(first, first, content, setext=False)
        return
    found.headings[first] = Heading(first, end - 2, content.split("\n", 1)[0].strip(), setext=True)
    found.underlines.add(end - 1)


def _fence(found: MarkdownLines, lines: list[str], markup: str, first: int, end: int) -> None:
    found.fences.add(first)
    last = end - 1
    closing = lines[last].strip() if last > first else ""
    # An unclosed fence runs to the end of its container: its last line is code, not a fence.
    if closing and closing.startswith(markup) and closing == closing[0] * len(closing):
        found.fences.add(last)
        last -= 1
    found.code.update(range(first + 1, last + 1))


def _table(found: MarkdownLines, tokens: list[Token], index: int) -> None:
    header = tokens[index].map[0] if tokens[index].map else 0  # table_open always has a map
    rows: list[int] = []
    for token in tokens[index + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tr_open" and token.map is not None and token.map[0] != header:
            rows.append(token.map[0])
    table = Table(header, header + 1, tuple(rows))
    found.tables[header] = table
    for line in (header, header + 1, *rows):
        found.table_lines[line] = header
