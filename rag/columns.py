"""Table rows: a claim must give each cell of the row to the column it stands in.

A comparison table ("Aspect | Director | Head" / "Horizon | 6–12 months | 12–36 months") states one fact per
column; "the Director plans 12–36 months ahead" uses every word of the row and still says the wrong thing. The
guard's other checks see only words, so this one reads the row as cells under the header's columns.

Markdown rows carry their cells ("| Meals | EUR 60 | EUR 80 |"). A table scraped from a web page reaches us
flattened ("Scope One product pillar or area Entire product org"): its value columns are then the names the
headings, the question or the claim give that the header holds in order ("Director …", "Head of …"), and its
cells start where a capitalised ordinary word or a figure follows the running text of the cell before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.claims import clauses, figure_supported, figures, name_word, names
from rag.text import STOPWORDS, stem, words


@dataclass(frozen=True)
class Column:
    name: str
    marks: frozenset[str]  # stems that name this column and no other ("domestic", "head")


@dataclass(frozen=True)
class Cell:
    text: str
    stems: frozenset[str]


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS and not w.isdigit())


def _pipe_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _columns(names_in_order: Sequence[str]) -> list[Column]:
    stems = [_stems(n) for n in names_in_order]
    return [
        Column(name, frozenset(own - frozenset().union(*(s for j, s in enumerate(stems) if j != i))))
        for i, (name, own) in enumerate(zip(names_in_order, stems, strict=True))
    ]


def flattened_columns(header: str, known_names: Iterable[str]) -> list[str]:
    """The value columns of a flattened header: names given elsewhere that it holds, in its order, past its
    first word (the first column labels the rows: "Aspect", "Criterion")."""
    lowered = header.lower()
    first_word_end = len(header.split()[0]) if header.split() else 0
    spans: list[tuple[int, int, str]] = []
    for name in sorted(set(known_names), key=len, reverse=True):
        at = lowered.find(name.lower())
        if at < first_word_end or len(name.split()) < 2 and not name.isupper():
            continue  # one ordinary capitalised word is no column name ("Product" inside both)
        if any(at < end and start < at + len(name) for start, end, _ in spans):
            continue  # inside a longer name already found
        spans.append((at, at + len(name), name))
    return [name for _, _, name in sorted(spans)]


_FIGURE_START = re.compile(r"^[$€£¥]?\d")


def _is_cell_start(token: str, previous: str) -> bool:
    from rag.spelling import english_vocabulary

    bare = token.strip("(),;:.\"'“”")
    if _FIGURE_START.match(bare):
        return not _FIGURE_START.match(previous.strip("(),;:.\"'“”"))  # "6–12 months 12–36 months"
    # A capitalised ordinary word ("Owns", "Entire"); not an acronym or its plural ("PMs", "OKRs").
    return (
        bool(bare)
        and bare[0].isupper()
        and bare[1:] == bare[1:].lower()
        and bare.lower().split("-")[0] in english_vocabulary()
    )


def flattened_cells(row: str, count: int) -> list[str] | None:
    """The last `count` cells of a flattened row, or None when it does not split into that many."""
    tokens = row.split()
    starts: list[int] = []
    depth = 0
    for i, token in enumerate(tokens):
        if i and depth == 0 and _is_cell_start(token, tokens[i - 1]):
            starts.append(i)
        depth = max(0, depth + token.count("(") - token.count(")"))
    starts = starts[-count:]
    if len(starts) == count - 1 and (not starts or starts[0] > 1):
        starts = [1, *starts]  # a one-word label, then a cell that opens with a name ("Team PMs and …")
    if len(starts) != count:
        return None
    bounds = [*starts, len(tokens)]
    return [" ".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def table_layout(row: str, header: str, known_names: Iterable[str]) -> tuple[list[Column], list[Cell]] | None:
    """The row's value columns and their cells, if the row can be read as cells under the header."""
    if "|" in row and "|" in header:
        heads, cells = _pipe_cells(header)[1:], _pipe_cells(row)[1:]
        if len(heads) < 2 or len(heads) != len(cells):
            return None
    else:
        heads = flattened_columns(header, known_names)
        split = flattened_cells(row, len(heads)) if len(heads) >= 2 else None
        if split is None:
            return None
        cells = split
    return _columns(heads), [Cell(text, _stems(text)) for text in cells]


@dataclass(frozen=True)
class _Mark:
    at: int  # character offset in the clause
    column: int


# Words before a column's name that make it no owner: "lost to the winner", "bigger than the capital", "Sydney,
# not the capital, …" (general English prepositions and negation).
_NOT_OWNER = re.compile(r"\b(?:to|than|from|by|with|against|over|not|unlike|except)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_TOKEN = re.compile(r"[\w'’]+")  # as rag.text.words splits them: "runner-up" is "runner", "up"


def _marks(clause: str, columns: Sequence[Column], cell_stems: frozenset[str]) -> list[_Mark]:
    """Where a clause names a column as whom it is about. A word that a cell also uses is what the row says
    ("Directors, GPMs" in the Head's cell), and a name after "to", "than", "not" is someone else's."""
    found = []
    for match in _TOKEN.finditer(clause):
        word = stem(match.group().lower().removesuffix("'s").removesuffix("’s"))
        if word in cell_stems or _NOT_OWNER.search(clause[: match.start()]):
            continue
        # The name's word, maybe with an ending added ("Directors", "internationally") or its plural's dropped
        # ("matron" for "Senior Matrons"), not cut short to another word of the same stem: "manages" is no mark of
        # "Head of Fleet Management".
        written = match.group().lower()
        found += [
            _Mark(match.start(), j)
            for j, column in enumerate(columns)
            if word in column.marks and any(written.startswith(name_word(w)) for w in _TOKEN.findall(column.name))
        ]
    return found


def _items(
    clause: str, cells: Sequence[Cell], ignore: frozenset[str], columns: Sequence[Column] = ()
) -> list[tuple[int, int]]:
    """(offset, cell) of each thing in the clause that only one cell of the row says: a figure or a word. A
    column's name says whom the clause is about, not what: its words are no cell's ("Head" in "the Head of
    Parks" where a cell says "head counts")."""
    lowered = clause.lower()
    named = [
        (m.start(), m.end())
        for column in columns
        for m in re.finditer(rf"\b{re.escape(column.name.lower())}\b", lowered)
    ]
    found = []
    cell_figures = [figures(cell.text, every_number=True) for cell in cells]
    for figure in figures(clause):
        owners = [i for i, stated in enumerate(cell_figures) if figure_supported(figure, stated)]
        if len(owners) == 1:
            found.append((max(0, clause.find(figure.text)), owners[0]))
    for match in _TOKEN.finditer(clause):
        word = stem(match.group().lower())
        if word in ignore or word in STOPWORDS or word.isdigit():
            continue
        owners = [i for i, cell in enumerate(cells) if word in cell.stems]
        if len(owners) == 1 and not any(start <= match.start() < end for start, end in named):
            found.append((match.start(), owners[0]))
    return found


def column_moved(
    claim: str, row: str, header: str, known_names: Iterable[str], question: str = ""
) -> tuple[str, str] | None:
    """(column, cell) when the claim gives a cell of the row to another column, e.g. "the Director owns
    company-wide themes" where the Head's column says so. Each thing a clause takes from one cell belongs to
    the column the clause names nearest to it; a clause naming none continues the last one named, or the
    question's single column."""
    known = [*known_names, *names(claim), *names(question)]
    layout = table_layout(row, header, known)
    if layout is None:
        return None
    columns, cells = layout
    cell_stems = frozenset().union(*(c.stems for c in cells))
    ignore = frozenset().union(*(c.marks for c in columns)) | (_stems(row) - cell_stems)
    asked = {m.column for m in _marks(question, columns, cell_stems)}
    owner = next(iter(asked)) if len(asked) == 1 else None
    tally: dict[tuple[int, int], int] = {}
    for clause in clauses(claim) or [claim]:
        marks = _marks(clause, columns, cell_stems)
        for at, cell in _items(clause, cells, ignore, columns):
            column = min(marks, key=lambda m: abs(m.at - at)).column if marks else owner
            if column is not None:
                tally[column, cell] = tally.get((column, cell), 0) + 1
        if marks:
            owner = marks[-1].column
    for column, cell in sorted(tally):
        if cell != column and not tally.get((column, column)):
            return columns[column].name, cells[cell].text
    return None
