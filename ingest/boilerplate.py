"""Boilerplate rules: navigation, calls to action, promos, breadcrumbs, bylines, cut-off teasers.

All rules are generic layout and wording heuristics for English web pages; none knows anything about a
particular corpus. The structure parser drops the lines these rules flag; the chunker drops the sentences.
"""

from __future__ import annotations

import re

# Line markers (list bullets, Markdown heading hashes, rules): stripped before the rules read a line's words.
# The structure parser recognises list items and rules with the same patterns.
BULLET = re.compile(r"(?:[•·▪◦‣●○■□➢►✓✔–—*+-]|\d{1,3}[.)])\s+(?=\S)")
HRULE = re.compile(r"(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}")
_HEADING_MARK = re.compile(r"#{1,6}\s+(?=\S)")
# Only ever searched for (never sliced): three letters find what "three or more" would, and a long run of
# letters costs linear time instead of quadratic backtracking ("{3,}" took seconds on a 20k-letter line).
INNER_SENTENCE_END = re.compile(r"[a-z]{3}[.!]\s+[A-Z]")

# Whole-line navigation labels: a line that is exactly one of these carries no content.
NAV_EXACT = re.compile(
    r"(?:contents|table of contents|toc|on this page|in this (?:article|post|guide|page|section)"
    r"|jump to(?: section)?|skip to (?:main )?content|skip navigation|(?:main )?menu|navigation|breadcrumbs?"
    r"|home|search|back|back to top|(?:previous|next|older|newer)(?: (?:post|article|page|chapter))?"
    r"|print(?: this (?:page|article))?|share|share this(?: (?:article|post|page|story))?|tweet|pin it"
    r"|advertisement|sponsored|loading|close|open menu|toggle navigation|about the author|comments?"
    r"|leave a (?:comment|reply)|related|see also|read next|up next|keep reading|continue reading"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|what to read next)",
    re.IGNORECASE,
)
NAV_PREFIX = re.compile(r"back to\b|home\s*[>/»›|]|you are here\b", re.IGNORECASE)
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
LETTER = re.compile(r"[^\W\d_]")
TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


def _is_truncated(line: str) -> bool:
    """A teaser cut off mid-sentence: ends on a word that cannot end an English sentence."""
    if TERMINAL.search(line) or line.endswith((":", ",", ";")):
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
    s = strip_line_markup(line)
    if not s:
        return False  # blank lines are layout, not boilerplate
    if len(LETTER.findall(s)) < 2:
        return True  # "•", "—", "3/12", "★★★★★": orphan symbols and counters
    label = s.rstrip(" :.!?»›→>").strip()
    n_words = len(s.split())
    if NAV_EXACT.fullmatch(label) or _LINK_LIST_LABEL.fullmatch(label):
        return True
    if n_words <= 8 and NAV_PREFIX.match(s):
        return True
    if len(s) <= 200 and _BREADCRUMB.fullmatch(s):
        return True
    if n_words <= 6 and _BUTTON_CTA.match(s):
        return True
    # Calls to action only condemn a whole line when it is a single short sentence; a paragraph that
    # merely contains one is cleaned sentence by sentence by the chunker.
    single = n_words <= 30 and not INNER_SENTENCE_END.search(s)
    if single and (_CTA_START.match(s) or _CTA_ANYWHERE.search(s)):
        return True
    if n_words <= 12 and (_PROMO.match(s) or _BYLINE.fullmatch(s)):
        return True
    if n_words <= 40 and _COPYRIGHT.search(s) and re.search(r"\b(?:19|20)\d\d\b|rights", s, re.IGNORECASE):
        return True
    return _is_truncated(s)


def strip_line_markup(line: str) -> str:
    s = line.strip()
    m = _HEADING_MARK.match(s) or BULLET.match(s)
    if m and not HRULE.fullmatch(s):
        s = s[m.end() :]
    return s.strip()
