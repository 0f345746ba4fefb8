"""Structure detection for plain text: headings, paragraphs, bullets, tables, captions; boilerplate dropped.

Input is the "original text" of a document (scraped .txt, Markdown, or text extracted from HTML/PDF/DOCX).
Every block keeps exact offsets into that text, so chunks and citations can always be sliced back out of
the original. All rules are generic layout and wording heuristics; none knows anything about a particular
corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

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
# Boilerplate rules (generic)
# --------------------------------------------------------------------------------------------------

# Whole-line navigation labels: a line that is exactly one of these carries no content.
_NAV_EXACT = re.compile(
    r"(?:contents|table of contents|toc|on this page|in this (?:article|post|guide|page|section)"
    r"|jump to(?: section)?|skip to (?:main )?content|skip navigation|(?:main )?menu|navigation|breadcrumbs?"
    r"|home|search|back|back to top|(?:previous|next|older|newer)(?: (?:post|article|page|chapter))?"
    r"|print(?: this (?:page|article))?|share|share this(?: (?:article|post|page|story))?|tweet|pin it"
    r"|advertisement|sponsored|loading|close|open menu|toggle navigation|about the author|comments?"
    r"|leave a (?:comment|reply)|related|see also|read next|up next|keep reading|continue reading"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|what to read next)",
    re.IGNORECASE,
)
_NAV_PREFIX = re.compile(r"back to\b|home\s*[>/»›|]|you are here\b", re.IGNORECASE)
_BREADCRUMB = re.compile(r"(?:[^>»›\n]{1,40}\s[>»›]\s){2,}[^>»›\n]{0,80}")
# "Recommended resources:", "Related articles", "More posts" — labels of link lists, not content.
_LINK_LIST_LABEL = re.compile(
    r"(?:recommended|related|popular|trending|featured|further|more|similar|suggested|latest|top)"
    r"(?: \w+)? (?:resources|reading|readings|articles|posts|stories|links|terms|guides|content|videos"
    r"|courses|blogs?|topics|tools|templates|pages|questions|news)",
    re.IGNORECASE,
)
# Button-like calls to action; only trusted on very short lines ("Sign up", "Read more").
_BUTTON_CTA = re.compile(
    r"(?:sign (?:up|in)|log ?in|log ?out|register|subscribe|get started|learn more|read more|find out more"
    r"|see (?:more|all)|view (?:all|more)|show (?:more|all)|load more|contact us|follow us|share on"
    r"|buy now|shop now|order now|try (?:it )?now|click here|tap here|watch now|listen now)\b",
    re.IGNORECASE,
)
# Calls to action that are unambiguous at the start of a line or sentence.
_CTA_START = re.compile(
    r"(?:download (?:our|your|my|the free|a free|free|now|today|here|it now)\b"
    r"|join (?:us\b|our\b|over\b|more than\b|\d|thousands\b|millions\b|hundreds\b"
    r"|the (?:community|newsletter|waitlist|mailing list|conversation)\b)"
    r"|browse (?:our|the full|the complete|all)\b|explore (?:more|our|all|the full)\b"
    r"|get (?:instant|free|unlimited|early|full|immediate) access\b|get (?:your|the|our) free\b"
    r"|subscribe (?:to|for|now|today)\b|sign up (?:for|to|now|today|free)\b|register (?:now|today|here)\b"
    r"|request (?:a |your )?(?:free )?(?:demo|quote|trial)\b|(?:book|schedule) (?:a |your )?(?:free )?"
    r"(?:demo|call|consultation)\b|start (?:your |a )?free\b|try \w+ (?:for )?free\b"
    r"|(?:don'?t|never) miss\b|stay (?:up to date|updated|in the loop|tuned)\b|learn more (?:at|on|here)\b"
    r"|read more (?:at|on|here)\b|follow us\b|share this (?:article|post|page|story)\b)",
    re.IGNORECASE,
)
# Calls to action / site chrome recognisable anywhere in a line or sentence.
_CTA_ANYWHERE = re.compile(
    r"\b(?:subscribe|sign up) (?:to|for) (?:our|the|my) (?:free )?(?:newsletter|mailing list|blog|channel"
    r"|podcast|updates)\b"
    r"|\b(?:delivered|straight|right|directly) (?:to|into) your inbox\b"
    r"|\bno spam\b|\bunsubscribe (?:at )?any ?time\b"
    r"|\b(?:this|our) (?:web)?site uses cookies\b|\baccept (?:all )?cookies\b"
    r"|\ball rights reserved\b"
    r"|\bclick here\b"
    r"|\bget (?:instant|immediate|free|unlimited|lifetime) access\b",
    re.IGNORECASE,
)
# "Free ... ebook", "Free template" — lead-magnet promos (short lines only).
_PROMO = re.compile(
    r"(?:free|get (?:the|your|our) free|grab (?:the |your |our )?(?:free )?)\b.{0,60}?\b"
    r"(?:e-?books?|guides?|templates?|trials?|courses?|webinars?|white ?papers?|checklists?|toolkits?"
    r"|playbooks?|downloads?|reports?|demos?|consultations?|worksheets?|cheat ?sheets?)\b",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_BYLINE = re.compile(
    r"(?:written|posted|published|reviewed|edited) by\b.{0,60}"
    r"|(?:published|updated|last updated|posted)(?: on)?:?\s.{0,40}"
    r"|\d+\s*min(?:ute)?s?\.? read",
    re.IGNORECASE,
)
# Words an English sentence cannot end on: a line ending in one was cut off mid-sentence.
_DANGLING_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "plus", "be", "than", "of"}
    | {"your", "our", "their", "its", "whose", "my"}
)
_WORD = re.compile(r"[^\W\d_][\w'’&/-]*")
_LETTER = re.compile(r"[^\W\d_]")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _is_truncated(line: str) -> bool:
    """A teaser cut off mid-sentence: ends on a word that cannot end an English sentence."""
    if _TERMINAL.search(line) or line.endswith((":", ",", ";")):
        return False
    words = line.split()
    return len(words) >= 8 and len(line) <= 160 and words[-1] in _DANGLING_WORDS



def boilerplate_sentence(sentence: str) -> bool:
    """Sentence-level rules for CTA / cut-off sentences embedded in real paragraphs.

    Stricter than the line rules: a sentence inside a paragraph is usually content, so only wording that
    is unambiguous marketing or chrome counts.
    """
    s = sentence.strip().lstrip("•·*-– ").strip()
    if not s:
        return True
    return bool(_CTA_START.match(s) or _CTA_ANYWHERE.search(s) or _is_truncated(s))


def is_boilerplate_line(line: str) -> bool:
    """Line-level rules: navigation, calls to action, promos, crumbs, bylines, cut-off teasers, orphans."""
    s = _strip_line_markup(line)
    if not s:
        return False  # blank lines are layout, not boilerplate
    if len(_LETTER.findall(s)) < 2:
        return True  # "•", "—", "3/12", "★★★★★": orphan symbols and counters
    label = s.rstrip(" :.!?»›→>").strip()
    n_words = len(s.split())
    if _NAV_EXACT.fullmatch(label) or _LINK_LIST_LABEL.fullmatch(label):
        return True
    if n_words <= 8 and _NAV_PREFIX.match(s):
        return True
    if len(s) <= 200 and _BREADCRUMB.fullmatch(s):
        return True
    if n_words <= 6 and _BUTTON_CTA.match(s):
        return True
    # Calls to action only condemn a whole line when it is a single short sentence; a paragraph that
    # merely contains one is cleaned sentence by sentence by the chunker.
    single = n_words <= 30 and not _INNER_SENTENCE_END.search(s)
    if single and (_CTA_START.match(s) or _CTA_ANYWHERE.search(s)):
        return True
    if n_words <= 12 and (_PROMO.match(s) or _BYLINE.fullmatch(s)):
        return True
    if n_words <= 40 and _COPYRIGHT.search(s) and re.search(r"\b(?:19|20)\d\d\b|rights", s, re.IGNORECASE):
        return True
    return _is_truncated(s)


# --------------------------------------------------------------------------------------------------
# Line model
# --------------------------------------------------------------------------------------------------

_BULLET = re.compile(r"(?:[•·▪◦‣●○■□➢►✓✔–—*+-]|\d{1,3}[.)])\s+(?=\S)")
_MD_HEADING = re.compile(r"(#{1,6})\s+(?=\S)")
_MD_HEADING_CLOSE = re.compile(r"\s+#+$")
_SETEXT = re.compile(r"(?:=+|-+)")
_HRULE = re.compile(r"(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}")
_FENCE = re.compile(r"(?:```|~~~)")
_PIPE_SEPARATOR = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")
_CAPTION = re.compile(
    r"(?:(?:this|the (?:above|following|preceding)|the) table\b|table\s*\d+\s*[:.\-–]"
    r"|(?:source|sources|note)s?:)",
    re.IGNORECASE,
)
_ACCORDION_MARK = re.compile(r"(?<=[?!.\w)])\s*[+›»▾▸]$")
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "of", "to", "for", "in", "on", "at", "by", "with", "vs"}
    | {"versus", "from", "into", "as", "is", "are", "per", "via"}
)
# Only ever searched for (never sliced): three letters find what "three or more" would, and a long run of
# letters costs linear time instead of quadratic backtracking ("{3,}" took seconds on a 20k-letter line).
_INNER_SENTENCE_END = re.compile(r"[a-z]{3}[.!]\s+[A-Z]")
_MAX_HEADING_CHARS = 100
_MAX_HEADING_WORDS = 16
_MAX_TABLE_ROW_CHARS = 160


@dataclass
class _Line:
    start: int  # offsets of the stripped line
    end: int
    text: str
    indent: int
    dropped: bool = False
    code: bool = False
    blank: bool = False

    @property
    def bullet(self) -> bool:
        return not self.code and bool(_BULLET.match(self.text)) and not _HRULE.fullmatch(self.text)

    @property
    def pipe(self) -> bool:
        return not self.code and (self.text.startswith("|") or self.text.count(" | ") >= 1)


def _strip_line_markup(line: str) -> str:
    s = line.strip()
    m = _MD_HEADING.match(s) or _BULLET.match(s)
    if m and not _HRULE.fullmatch(s):
        s = s[m.end() :]
    return s.strip()


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
        lines.append(_Line(s, s + len(body), body, lead, blank=not body))
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


def _mark_code(lines: list[_Line]) -> None:
    inside = False
    for line in lines:
        if _FENCE.match(line.text):
            line.dropped = True  # fences themselves are markup
            inside = not inside
            continue
        if inside:
            line.code = True


def _is_markup_line(text: str) -> bool:
    """Markdown structure (rules, setext underlines, table separators) the parser interprets itself."""
    return bool(_HRULE.fullmatch(text) or _SETEXT.fullmatch(text) or _PIPE_SEPARATOR.fullmatch(text))


def _droppable(text: str) -> bool:
    return not _is_markup_line(text) and is_boilerplate_line(text)


def _mark_boilerplate(lines: list[_Line]) -> None:
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank or line.dropped or line.code or not _droppable(line.text):
            i += 1
            continue
        line.dropped = True
        i += 1
        # A dropped lead-in ("Download our guide:", "Contents") owns the short lines glued under it: the
        # promo title or the table-of-contents entries. So does a navigation line ("Back to Glossary",
        # "Home > Guides"): scrapers split the rest of its breadcrumb trail over the lines below it.
        label = _strip_line_markup(line.text).rstrip()
        if label.endswith(":") or _NAV_EXACT.fullmatch(label.rstrip(" :")) or _NAV_PREFIX.match(label):
            while i < len(lines) and not lines[i].blank and not lines[i].code:
                nxt = lines[i].text
                if len(nxt) > _MAX_HEADING_CHARS or _TERMINAL.search(nxt):
                    break
                lines[i].dropped = True
                i += 1


# --------------------------------------------------------------------------------------------------
# Classification helpers
# --------------------------------------------------------------------------------------------------


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
    if _INNER_SENTENCE_END.search(s):
        return False  # two sentences on one line are prose, even without a final period
    return len(_LETTER.findall(s)) >= 2


def _prose_like(line: _Line) -> bool:
    """A line that reads as running text, so a short line next to it stands out as a heading."""
    return len(line.text) >= 100 or (bool(_TERMINAL.search(line.text)) and len(line.text.split()) >= 6)


def _table_row_shape(line: _Line) -> bool:
    t = line.text
    return (
        len(t) < _MAX_TABLE_ROW_CHARS
        and not line.bullet
        and not line.code
        and not _TERMINAL.search(t)
        and not t.endswith((":", ",", ";"))
        and len(_LETTER.findall(t)) >= 2
        and not _MD_HEADING.match(t)
    )


def _clean_heading_span(line: _Line) -> tuple[int, int]:
    """Heading span without Markdown hashes, bullet markers or accordion toggles ("What is X?+")."""
    start, end = line.start, line.end
    text = line.text
    m = _MD_HEADING.match(text) or (_BULLET.match(text) if line.bullet else None)
    if m:
        start += m.end()
    body = text[start - line.start :]
    close = _MD_HEADING_CLOSE.search(body)
    if close and _MD_HEADING.match(text):
        end -= len(body) - close.start()
        body = body[: close.start()]
    acc = _ACCORDION_MARK.search(body)
    if acc:
        end -= len(body) - acc.start()
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
    _mark_code(lines)
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
        if _MD_HEADING.match(line.text):
            b.add("heading", *_clean_heading_span(line))
            i += 1
        elif _is_setext_heading(group, i):
            b.add("heading", *_clean_heading_span(line))
            i += 2
        elif _HRULE.fullmatch(line.text):
            i += 1
        elif line.pipe:
            i = _parse_pipe_table(group, i, b)
        elif line.bullet:
            i = _parse_bullets(group, i, b)
        elif _is_heading_in_group(group, i):
            b.add("heading", *_clean_heading_span(line))
            i += 1
        else:
            i = _parse_paragraph(group, i, b)


def _is_setext_heading(group: list[_Line], i: int) -> bool:
    line = group[i]
    return (
        i + 1 < len(group) and bool(_SETEXT.fullmatch(group[i + 1].text)) and not (line.bullet or line.pipe)
    )


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
    j = i
    while j < len(group) and group[j].pipe:
        j += 1
    run = group[i:j]
    has_separator = len(run) >= 2 and _PIPE_SEPARATOR.fullmatch(run[1].text) is not None
    if len(run) < 2 or not (has_separator or all(line.text.count("|") >= 1 for line in run)):
        return _parse_paragraph(group, i, b)
    header = run[0]
    b.add("table_header", header.start, header.end)
    for line in run[1:]:
        if _PIPE_SEPARATOR.fullmatch(line.text):
            continue
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
        b.add("heading", *_clean_heading_span(heading_tail))
    return j


def _looks_like_flattened_heading(items: list[tuple[_Line, int]]) -> bool:
    last = _strip_line_markup(items[-1][0].text)
    if not _heading_shape(last) or last.endswith("?") or not _is_title_case(last) or len(last.split()) < 2:
        return False
    siblings = [_strip_line_markup(line.text) for line, _ in items[:-1]]
    title_siblings = sum(1 for s in siblings if _is_title_case(s) and not _TERMINAL.search(s))
    return title_siblings * 2 <= len(siblings)


def _is_heading_in_group(group: list[_Line], i: int) -> bool:
    line = group[i]
    if not _heading_shape(line.text):
        return False
    if len(group) == 1:
        return True
    prev_ok = i == 0 or (_prose_like(group[i - 1]) and bool(_TERMINAL.search(group[i - 1].text)))
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
        if line.bullet or line.pipe or _MD_HEADING.match(line.text) or _HRULE.fullmatch(line.text):
            break
        if _TERMINAL.search(prev.text) or prev.text.endswith(":") or _is_heading_in_group(group, j):
            break
        end = line.end
        j += 1
    b.add("paragraph", start, end)
    return j


def clean_heading(text: str) -> str:
    """Heading text without Markdown hashes or trailing toggles, for display and section names."""
    s = text.strip()
    m = _MD_HEADING.match(s)
    if m:
        s = _MD_HEADING_CLOSE.sub("", s[m.end() :])
    return _ACCORDION_MARK.sub("", s).strip()
