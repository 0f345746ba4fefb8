"""Structure detection for plain text: headings, paragraphs, bullets, tables, captions; boilerplate dropped.

Input is the "original text" of a document (scraped .txt, Markdown, or text extracted from HTML/PDF/DOCX).
Every block keeps exact offsets into that text, so chunks and citations can always be sliced back out of
the original. All rules are generic layout and wording heuristics; none knows anything about a particular
corpus. The lines it drops as boilerplate are judged by ingest/boilerplate.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.boilerplate import (
    BULLET,
    HRULE,
    INNER_SENTENCE_END,
    LETTER,
    NAV_EXACT,
    NAV_PREFIX,
    TERMINAL,
    boilerplate_sentence,
    is_boilerplate_line,
    strip_line_markup,
)
from ingest.markdown_syntax import Heading, MarkdownLines, scan
from rag.sentences import last_intro_sentence

BlockKind = Literal["heading", "paragraph", "bullet", "table_header", "table_row", "caption"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    start: int
    end: int
    text: str
    section: str
    context: str


# --------------------------------------------------------------------------------------------------
# Line model
# --------------------------------------------------------------------------------------------------

_CAPTION = re.compile(
    r"(?:(?:this|the (?:above|following|preceding)|the) table\b|table\s*\d+\s*[:.\-–]"
    r"|(?:source|sources|note)s?:)",
    re.IGNORECASE,
)
_ACCORDION_MARK = re.compile(r"(?<=[?!.\w)])\s*[+›»▾▸]$")
_WORD = re.compile(r"[^\W\d_][\w'’&/-]*")
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "of", "to", "for", "in", "on", "at", "by", "with", "vs"}
    | {"versus", "from", "into", "as", "is", "are", "per", "via"}
)
_MAX_HEADING_CHARS = 100
_MAX_HEADING_WORDS = 16
_MAX_TABLE_ROW_CHARS = 160


@dataclass
class _Line:
    start: int  # offsets of the stripped line
    end: int
    text: str
    indent: int
    index: int = 0  # line number in the text
    dropped: bool = False
    code: bool = False
    blank: bool = False
    # Markdown structure, as markdown-it reads it (see ingest/markdown_syntax.py)
    heading: Heading | None = None  # a heading whose text starts on this line
    underline: bool = False  # a setext heading's "===" / "---"
    table: int = -1  # the header line of the pipe table this line belongs to
    delimiter: bool = False  # a pipe table's "|---|---|" row

    @property
    def bullet(self) -> bool:
        return not self.code and bool(BULLET.match(self.text)) and not HRULE.fullmatch(self.text)

    @property
    def pipe(self) -> bool:
        # Besides Markdown tables, rows of cells joined by " | ": how the HTML and DOCX loaders render tables.
        return not self.code and (self.table >= 0 or self.text.startswith("|") or self.text.count(" | ") >= 1)


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        raw = text[pos:end]
        stripped_left = raw.lstrip()
        lead = len(raw) - len(stripped_left)
        body = stripped_left.rstrip()
        s = pos + lead
        lines.append(_Line(s, s + len(body), body, lead, len(lines), blank=not body))
        if nl == -1:
            break
        pos = nl + 1
    return lines


def _mark_front_matter(lines: list[_Line]) -> None:
    """YAML front matter ("---" ... "---" at the top of Markdown) is metadata, not prose."""
    if not lines or lines[0].text != "---":
        return
    for i in range(1, min(len(lines), 200)):
        if lines[i].text in ("---", "..."):
            for line in lines[: i + 1]:
                line.dropped = True
            return


def _mark_markdown(lines: list[_Line], md: MarkdownLines) -> None:
    for i in md.fences:
        lines[i].dropped = True  # fences themselves are markup
    for i in md.code:
        lines[i].code = True
    for i, heading in md.headings.items():
        lines[i].heading = heading
    for i in md.underlines:
        lines[i].underline = True
    for i, header in md.table_lines.items():
        lines[i].table = header
        lines[i].delimiter = md.tables[header].delimiter == i


def _is_markup_line(line: _Line) -> bool:
    """Markdown structure (rules, setext underlines, table delimiters) the parser interprets itself."""
    return line.underline or line.delimiter or bool(HRULE.fullmatch(line.text))


def _droppable(line: _Line) -> bool:
    return not _is_markup_line(line) and is_boilerplate_line(line.text)


def _mark_boilerplate(lines: list[_Line]) -> None:
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank or line.dropped or line.code or not _droppable(line):
            i += 1
            continue
        line.dropped = True
        i += 1
        # A dropped lead-in ("Download our guide:", "Contents") owns the short lines glued under it: the
        # promo title or the table-of-contents entries. So does a navigation line ("Back to Glossary",
        # "Home > Guides"): scrapers split the rest of its breadcrumb trail over the lines below it.
        label = strip_line_markup(line.text).rstrip()
        if label.endswith(":") or NAV_EXACT.fullmatch(label.rstrip(" :")) or NAV_PREFIX.match(label):
            while i < len(lines) and not lines[i].blank and not lines[i].code:
                nxt = lines[i].text
                if len(nxt) > _MAX_HEADING_CHARS or TERMINAL.search(nxt):
                    break
                lines[i].dropped = True
                i += 1


# --------------------------------------------------------------------------------------------------
# Classification helpers
# --------------------------------------------------------------------------------------------------


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _is_title_case(text: str) -> bool:
    words = [w for w in _words(text) if w.lower() not in _SMALL_WORDS]
    if not words:
        return False
    capped = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capped / len(words) >= 0.8


def _heading_shape(text: str) -> bool:
    """Short, capitalised, and not ending like a sentence or a lead-in."""
    s = _ACCORDION_MARK.sub("", text)
    if not s or len(s) > _MAX_HEADING_CHARS or len(s.split()) > _MAX_HEADING_WORDS:
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "\"“'‘("):
        return False
    if s.endswith((".", ":", ",", ";", "…")) or s.endswith(".)") or s.endswith('."'):
        return False
    if INNER_SENTENCE_END.search(s):
        return False  # two sentences on one line are prose, even without a final period
    return len(LETTER.findall(s)) >= 2


def _prose_like(line: _Line) -> bool:
    """A line that reads as running text, so a short line next to it stands out as a heading."""
    return len(line.text) >= 100 or (bool(TERMINAL.search(line.text)) and len(line.text.split()) >= 6)


def _table_row_shape(line: _Line) -> bool:
    t = line.text
    return (
        len(t) < _MAX_TABLE_ROW_CHARS
        and not line.bullet
        and not line.code
        and not TERMINAL.search(t)
        and not t.endswith((":", ",", ";"))
        and len(LETTER.findall(t)) >= 2
        and line.heading is None
    )


def _clean_heading_span(text: str, line: _Line, last: _Line | None = None) -> tuple[int, int]:
    """Heading span without Markdown hashes, bullet markers or accordion toggles ("What is X?+").

    `last` is the last line of a heading written over several lines (a setext heading's text).
    """
    start, end = line.start, (last or line).end
    heading = line.heading
    if heading is not None and not heading.setext:
        # markdown-it's text of an ATX heading is a verbatim slice of its line, without the hashes around it.
        offset = line.text.find(heading.text, len(line.text) - len(line.text.lstrip("#")))
        if offset >= 0:
            start = line.start + offset
            end = start + len(heading.text)
    elif line.bullet:
        m = BULLET.match(line.text)
        start += m.end() if m else 0
    acc = _ACCORDION_MARK.search(text[start:end])
    if acc:
        end = start + acc.start()
    return start, end


def _intro_text(text: str) -> str:
    """The lead-in of a list: the whole line when short, otherwise its last sentence."""
    if len(text) <= 200:
        return text
    return last_intro_sentence(text)


# --------------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------------


class _Builder:
    """Accumulates blocks in document order and tracks section / list-intro state."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[Block] = []
        self.context_starts: list[int] = []
        self.section = ""
        self.section_start = -1

    def add(self, kind: BlockKind, start: int, end: int, context: str = "", context_start: int = -1) -> None:
        body = self.text[start:end]
        if kind == "heading":
            self.section, self.section_start = body, start
        self.blocks.append(Block(kind, start, end, body, self.section, context))
        self.context_starts.append(context_start)

    def list_intro(self) -> tuple[str, int]:
        """Intro of a list that starts now: a preceding "...:" line, else the section heading."""
        if self.blocks:
            prev = self.blocks[-1]
            if prev.kind == "paragraph" and prev.text.endswith(":"):
                last_line = prev.text.rsplit("\n", 1)[-1].strip()
                intro = _intro_text(last_line)
                return intro, prev.end - len(intro)
            if prev.kind == "bullet":
                return prev.context, self.context_starts[-1]
        return self.section, self.section_start


def parse_blocks(text: str) -> list[Block]:
    return parse_blocks_with_context_starts(text)[0]


def parse_blocks_with_context_starts(text: str) -> tuple[list[Block], list[int]]:
    """parse_blocks plus, per block, the offset where its context text starts (-1 when it has none).

    The chunker needs the offset to tell whether a list intro / table header already lies inside a chunk.
    """
    lines = _split_lines(text)
    _mark_front_matter(lines)
    _mark_markdown(lines, scan(text, skip=frozenset(line.index for line in lines if line.dropped)))
    _mark_boilerplate(lines)
    builder = _Builder(text)
    for group in _groups(lines):
        _parse_group(group, builder)
    return builder.blocks, builder.context_starts


def _groups(lines: list[_Line]) -> list[list[_Line]]:
    """Maximal runs of kept, non-blank lines; blank and dropped lines both separate runs."""
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.blank or line.dropped:
            if current:
                groups.append(current)
                current = []
            continue
        if current and line.code != current[-1].code:
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    return groups


def _parse_group(group: list[_Line], b: _Builder) -> None:
    if group[0].code:
        b.add("paragraph", group[0].start, group[-1].end)
        return
    if _try_caption(group, b):
        return
    if _try_plain_table(group, b):
        return
    i = 0
    while i < len(group):
        line = group[i]
        heading_end = _markdown_heading_end(group, i)
        if heading_end > i:
            underlined = line.heading is not None and line.heading.setext
            b.add("heading", *_clean_heading_span(b.text, line, group[heading_end - 1 - underlined]))
            i = heading_end
        elif HRULE.fullmatch(line.text):
            i += 1
        elif line.pipe:
            i = _parse_pipe_table(group, i, b)
        elif line.bullet:
            i = _parse_bullets(group, i, b)
        elif _is_heading_in_group(group, i):
            b.add("heading", *_clean_heading_span(b.text, line))
            i += 1
        else:
            i = _parse_paragraph(group, i, b)


def _markdown_heading_end(group: list[_Line], i: int) -> int:
    """Index in the group after the Markdown heading starting at group[i] (its underline included), or i.

    A heading some of whose lines were dropped as boilerplate is left to the other rules.
    """
    heading = group[i].heading
    if heading is None:
        return i
    end = i + heading.last - heading.first + 1 + (1 if heading.setext else 0)
    if end > len(group) or group[end - 1].index != group[i].index + end - 1 - i:
        return i
    return end


def _try_caption(group: list[_Line], b: _Builder) -> bool:
    """A single line right after a table that describes it ("This table compares ...")."""
    prev = b.blocks[-1] if b.blocks else None
    if len(group) != 1 or prev is None or prev.kind not in ("table_row", "table_header"):
        return False
    line = group[0]
    if len(line.text) > 400 or not _CAPTION.match(line.text):
        return False
    b.add("caption", line.start, line.end)
    return True


def _try_plain_table(group: list[_Line], b: _Builder) -> bool:
    """Space-separated tables from scraped pages: >= 3 short label-like lines standing alone as a group.

    Wrapped prose is kept out by requiring the whole group to qualify (its last line would end with a
    period) and by rejecting groups whose lines mostly start in lower case.
    """
    rows = group
    caption: _Line | None = None
    if len(rows) >= 4 and _CAPTION.match(rows[-1].text):
        rows, caption = rows[:-1], rows[-1]
    if len(rows) < 3 or not all(_table_row_shape(line) for line in rows):
        return False
    if any(line.pipe for line in rows):
        return False  # pipe tables have their own parser
    lower_starts = sum(1 for line in rows[1:] if line.text[0].islower())
    if lower_starts * 2 > len(rows) - 1:
        return False
    header = rows[0]
    b.add("table_header", header.start, header.end)
    for line in rows[1:]:
        b.add("table_row", line.start, line.end, context=header.text, context_start=header.start)
    if caption is not None:
        b.add("caption", caption.start, caption.end)
    return True


def _parse_pipe_table(group: list[_Line], i: int, b: _Builder) -> int:
    """A Markdown table (its lines as markdown-it found them), else a run of " | "-joined rows."""
    header = group[i]
    j = i + 1
    if header.table == header.index:
        while j < len(group) and group[j].table == header.index:
            j += 1
    else:
        while j < len(group) and group[j].pipe:
            j += 1
        if j - i < 2:
            return _parse_paragraph(group, i, b)
    b.add("table_header", header.start, header.end)
    for line in group[i + 1 : j]:
        if not line.delimiter:
            b.add("table_row", line.start, line.end, context=header.text, context_start=header.start)
    return j


def _parse_bullets(group: list[_Line], i: int, b: _Builder) -> int:
    """A run of bullets; indented unmarked lines continue the bullet above them."""
    items: list[tuple[_Line, int]] = []  # (bullet line, end offset including continuation lines)
    j = i
    while j < len(group) and group[j].bullet:
        line, end = group[j], group[j].end
        j += 1
        while j < len(group) and not group[j].bullet and not group[j].pipe and group[j].indent > line.indent:
            end = group[j].end
            j += 1
        items.append((line, end))
    # Scrapers often flatten a sub-heading into the last item of the preceding list ("• Common Pitfalls"
    # followed by a blank line and new content). Title Case with no punctuation, unlike its siblings, gives
    # it away.
    heading_tail = None
    last_line, last_end = items[-1]
    if j == len(group) and last_end == last_line.end and _looks_like_flattened_heading(items):
        heading_tail = items.pop()[0]
    intro, intro_start = b.list_intro()
    for line, end in items:
        b.add("bullet", line.start, end, context=intro, context_start=intro_start)
    if heading_tail is not None:
        b.add("heading", *_clean_heading_span(b.text, heading_tail))
    return j


def _looks_like_flattened_heading(items: list[tuple[_Line, int]]) -> bool:
    last = strip_line_markup(items[-1][0].text)
    if not _heading_shape(last) or last.endswith("?") or not _is_title_case(last) or len(last.split()) < 2:
        return False
    siblings = [strip_line_markup(line.text) for line, _ in items[:-1]]
    title_siblings = sum(1 for s in siblings if _is_title_case(s) and not TERMINAL.search(s))
    return title_siblings * 2 <= len(siblings)


def _is_heading_in_group(group: list[_Line], i: int) -> bool:
    line = group[i]
    if not _heading_shape(line.text):
        return False
    if len(group) == 1:
        return True
    prev_ok = i == 0 or (_prose_like(group[i - 1]) and bool(TERMINAL.search(group[i - 1].text)))
    if not prev_ok:
        return False
    if i == len(group) - 1:
        return True
    nxt = group[i + 1]
    return nxt.bullet or nxt.pipe or (_prose_like(nxt) and not _heading_shape(nxt.text))


def _parse_paragraph(group: list[_Line], i: int, b: _Builder) -> int:
    """Consecutive prose lines; a line ending a sentence closes the paragraph unless the text is wrapped."""
    start = group[i].start
    end = group[i].end
    j = i + 1
    while j < len(group):
        prev, line = group[j - 1], group[j]
        if line.bullet or line.pipe or line.heading is not None or HRULE.fullmatch(line.text):
            break
        if TERMINAL.search(prev.text) or prev.text.endswith(":") or _is_heading_in_group(group, j):
            break
        end = line.end
        j += 1
    b.add("paragraph", start, end)
    return j


def clean_heading(text: str) -> str:
    """Heading text without trailing toggles, for display and section names (blocks hold no hashes)."""
    return _ACCORDION_MARK.sub("", text.strip()).strip()


__all__ = [
    "Block",
    "BlockKind",
    "boilerplate_sentence",  # re-exported: the chunker and tests import the rules from here
    "clean_heading",
    "is_boilerplate_line",
    "parse_blocks",
    "parse_blocks_with_context_starts",
]
