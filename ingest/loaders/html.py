"""HTML: the main text only (scripts, navigation, page headers and footers, hidden elements dropped), rendered
as plain text in the same shape as scraped text: headings on their own lines, "• " bullets, " | "-joined
table rows, blank-line separated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ingest.loaders.base import WS, LoadError, join_lines

if TYPE_CHECKING:
    from bs4 import Tag

SUFFIXES = (".html", ".htm")

_HTML_DROP = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "svg",
    "template",
    "iframe",
    "button",
    "select",
    "canvas",
    "dialog",
)
_HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HTML_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "table",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "hr",
        "br",
        "address",
        "details",
        "summary",
        "body",
        "html",
        "center",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "fieldset",
        "legend",
        "menu",
    }
    | _HTML_HEADINGS
)


def load(data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as exc:  # lxml raises assorted errors on pathological input
        raise LoadError(f"cannot parse HTML: {exc}") from exc
    title = _html_title(soup)
    for node in soup.find_all(string=lambda s: isinstance(s, Comment | Declaration | Doctype | ProcessingInstruction)):
        node.extract()
    for tag in soup.find_all(_HTML_DROP):
        # A <header> inside the article holds its title; only page-level headers are chrome.
        if tag.name == "header" and tag.find_parent(("article", "main")) is not None:
            continue
        tag.decompose()
    for tag in soup.find_all(attrs={"hidden": True}):
        tag.decompose()
    for tag in soup.find_all(attrs={"aria-hidden": "true"}):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ("navigation", "banner", "contentinfo", "search")}):
        tag.decompose()
    root = soup.find("main") or _single(soup.find_all("article")) or soup.body or soup
    lines: list[str] = []
    _HtmlRenderer(lines).render(root)
    return join_lines(lines), title


def _single(tags: list[Any]) -> Any:
    return tags[0] if len(tags) == 1 else None


def _html_title(soup: Any) -> str:
    for tag in (soup.title, soup.find("h1")):
        if tag is not None:
            text = _text_of(tag)
            if text:
                return text
    return ""


class _HtmlRenderer:
    """Walks the DOM emitting one line per heading, paragraph, list item and table row."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.inline: list[str] = []

    def paragraph_break(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def flush_inline(self) -> None:
        text = WS.sub(" ", "".join(self.inline)).strip()
        self.inline = []
        if text:
            self.paragraph_break()
            self.lines.append(text)
            self.lines.append("")

    def render(self, node: Tag) -> None:
        from bs4.element import NavigableString, Tag

        for child in node.children:
            if isinstance(child, NavigableString):
                self.inline.append(str(child))
            elif isinstance(child, Tag):
                self.render_tag(child)

    def render_tag(self, tag: Tag) -> None:
        name = tag.name
        if name not in _HTML_BLOCKS:
            self.inline.append(_raw_text(tag))
            return
        self.flush_inline()
        if name in _HTML_HEADINGS:
            self.emit_block(_text_of(tag))
        elif name in ("ul", "ol", "menu"):
            self.render_list(tag, depth=0)
        elif name == "table":
            self.render_table(tag)
        elif name == "pre":
            self.emit_block(tag.get_text().strip("\n"))
        elif name in ("br", "hr"):
            return
        elif name in ("p", "dt", "dd", "figcaption", "caption", "summary", "address", "legend"):
            if tag.find(_HTML_BLOCKS - {"br"}) is None:
                self.emit_block(_text_of(tag))
            else:
                self.render(tag)
                self.flush_inline()
        else:
            self.render(tag)
            self.flush_inline()

    def emit_block(self, text: str) -> None:
        if text.strip():
            self.paragraph_break()
            self.lines.append(text)
            self.lines.append("")

    def render_list(self, tag: Tag, depth: int) -> None:
        self.paragraph_break()
        self.render_items(tag, depth)
        self.lines.append("")

    def render_items(self, tag: Tag, depth: int) -> None:
        for item in tag.find_all("li", recursive=False):
            nested = [sub.extract() for sub in item.find_all(("ul", "ol"), recursive=False)]
            text = _text_of(item)
            if text:
                self.lines.append("  " * depth + "• " + text)
            for sub in nested:
                self.render_items(sub, depth + 1)

    def render_table(self, tag: Tag) -> None:
        self.paragraph_break()
        for row in tag.find_all("tr"):
            if row.find_parent("table") is not tag:
                continue  # nested tables render as part of their cell's text
            cells = [_text_of(cell) for cell in row.find_all(("td", "th"), recursive=False)]
            if any(cells):
                self.lines.append(" | ".join(cells))
        self.lines.append("")


def _text_of(tag: Tag) -> str:
    return WS.sub(" ", _raw_text(tag)).strip()


def _raw_text(tag: Tag) -> str:
    """Text of a subtree: inline markup joins without spaces ("<b>simple</b>." stays "simple."), line
    breaks and block boundaries become spaces."""
    from bs4.element import NavigableString, Tag

    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and (node.name == "br" or node.name in _HTML_BLOCKS):
            parts.append(" ")
    return "".join(parts)
