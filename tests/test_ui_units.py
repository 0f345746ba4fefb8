"""Fast checks of the web layer's building blocks: escaping, path checks, origins, token, rate limit."""

from __future__ import annotations

import os
from html import unescape
from pathlib import Path

import pytest
from support import FakeClock

from rag.models import Answer, Citation
from ui.pages import as_offset, corpus_path
from ui.render import answer_html, answer_markdown, attribute, source_href, source_page
from ui.security import OriginError, OriginPolicy, RateLimiter, retry_after, token_matches

EVIL = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=1"> [link](javascript:alert(1))'


def cited_answer(quote: str = EVIL) -> Answer:
    return Answer(
        answer=f"{quote} [1].",
        refused=False,
        standalone_question="q",
        citations=[
            Citation(
                n=1,
                source="dir/a b.txt",
                title="<b>T</b>",
                section="S&S",
                quote=quote,
                start=3,
                end=9,
                score=0.5,
            )
        ],
    )


def test_answer_html_escapes_document_text_and_stays_one_html_block() -> None:
    html = answer_html(cited_answer())
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "onerror=&quot;window.__xss=1&quot;" in html
    # A newline (worse: a blank line) would hand the rest to Markdown, which would render [link](...).
    assert "\n" not in html
    assert '<details class="dc-sources">' in html  # collapsed: the answer stays short
    assert 'href="sources/dir/a%20b.txt?start=3&amp;end=9#hit"' in html
    # The inline [1] links to the same passage.
    link = '<a class="dc-ref" href="sources/dir/a%20b.txt?start=3&amp;end=9#hit" title="&lt;b&gt;T&lt;/b&gt;">[1]</a>'
    assert link in html


def test_inline_markers_link_only_cited_sources() -> None:
    # A [2] with no source stays text.
    answer = cited_answer("plain").model_copy(update={"answer": "One [1]. Two [2].\nThree [1]"})
    html = answer_html(answer)
    assert html.count('class="dc-ref"') == 2 and "Two [2]." in html and "<br>Three <a" in html


def test_copy_text_is_markdown_without_markup_and_rides_in_the_bubble() -> None:
    answer = cited_answer().model_copy(update={"notice": "LLM unavailable"})
    answer.citations[0].quote = "first line\n" + EVIL
    text = answer_markdown(answer)
    assert text == (
        f"{EVIL} [1].\n\nNote: LLM unavailable\n\nSources:\n"
        f"1. <b>T</b> › S&S (dir/a b.txt)\n   > first line\n   > {EVIL}"
    )
    html = answer_html(answer)
    # In the page it is an escaped attribute, its newlines as &#10; so the HTML stays one Markdown block.
    assert f'<input type="hidden" class="dc-copy-text" value="{attribute(text)}">' in html
    assert "\n" not in html and "&#10;1. &lt;b&gt;T&lt;/b&gt;" in html
    assert unescape(attribute(text)) == text


def test_copy_text_of_a_refusal() -> None:
    refused = Answer(answer="I couldn't find that.", refused=True, standalone_question="q")
    assert answer_markdown(refused) == "Not in the documents. I couldn't find that."


def test_answer_html_marks_refusals() -> None:
    refused = Answer(answer="I couldn't find the answer.", refused=True, standalone_question="q")
    html = answer_html(refused)
    assert "dc-refused" in html and "Not in the documents." in html and "dc-sources" not in html


def test_source_href_quotes_the_path_but_keeps_folders() -> None:
    c = Citation(n=1, source="sub dir/x#y.txt", title="", section="", quote="q", start=1, end=2, score=0)
    assert source_href(c) == "sources/sub%20dir/x%23y.txt?start=1&end=2#hit"


def test_source_page_highlights_exact_span_and_escapes() -> None:
    text = "before <script>alert(1)</script> PASSAGE after"
    start = text.index("PASSAGE")
    html = source_page("<i>title</i>", "a.txt", text, start, start + len("PASSAGE"), "../")
    assert '<mark id="hit">PASSAGE</mark>' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>title</i>" not in html
    assert '<script src="../_docchat/sources.js" defer></script>' in html


@pytest.mark.parametrize("start,end", [(None, None), (5, 2), (0, 10_000), (3, 3)])
def test_source_page_without_a_valid_span_shows_the_whole_document(
    start: int | None, end: int | None
) -> None:
    html = source_page("t", "a.txt", "some text here", start, end, "../")
    assert "<mark" not in html and "some text here" in html


def test_corpus_path_accepts_documents_and_rejects_everything_else(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("a")
    (corpus / "sub" / "b.txt").write_text("b")
    (corpus / ".env").write_text("SECRET=1")
    (tmp_path / "outside.txt").write_text("secret")
    os.symlink(tmp_path / "outside.txt", corpus / "link.txt")

    assert corpus_path(corpus, "a.txt") == (corpus / "a.txt").resolve()
    assert corpus_path(corpus, "sub/b.txt") == (corpus / "sub" / "b.txt").resolve()
    for bad in [
        "../outside.txt",
        "sub/../../outside.txt",
        "/etc/passwd",
        str(tmp_path / "outside.txt"),
        ".env",
        "sub",
        "",
        "a.txt\x00.png",
        "..\\outside.txt",
        "link.txt",
        "nope.txt",
    ]:
        assert corpus_path(corpus, bad) is None, bad


def test_origin_policy_splits_csp_and_cors() -> None:
    policy = OriginPolicy.parse(
        ["'self'", "https://intranet.example.com", "http://127.0.0.1:8080/", "https://*.corp.example"]
    )
    assert policy.frame_ancestors == (
        "'self' https://intranet.example.com http://127.0.0.1:8080 https://*.corp.example"
    )
    assert policy.cors_origins == ("https://intranet.example.com", "http://127.0.0.1:8080")
    assert policy.cors_origin_regex is not None
    import re

    assert re.match(policy.cors_origin_regex, "https://wiki.corp.example")
    assert not re.match(policy.cors_origin_regex, "https://corp.example.evil.com")


@pytest.mark.parametrize(
    "bad",
    [
        "intranet.example.com",
        "https://a.example/path",
        "https://a.example; script-src *",
        "javascript:alert(1)",
        "'unsafe-inline'",
        "https://a.example\nX: y",
    ],
)
def test_origin_policy_rejects_entries_that_could_break_the_header(bad: str) -> None:
    with pytest.raises(OriginError):
        OriginPolicy.parse(["'self'", bad])


def test_default_policy_is_self_only_and_no_cors() -> None:
    policy = OriginPolicy.parse(["'self'"])
    assert (
        policy.frame_ancestors == "'self'" and policy.cors_origins == () and policy.cors_origin_regex is None
    )


def test_token_matches() -> None:
    assert token_matches("Bearer s3cret", "s3cret")
    assert token_matches("bearer s3cret", "s3cret")
    for header in [None, "", "Bearer", "Bearer wrong", "Basic s3cret", "s3cret", "Bearer s3cret2"]:
        assert not token_matches(header, "s3cret"), header


def test_rate_limiter_counts_per_client_and_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.check("a") is None and limiter.check("a") is None
    clock.advance(15)
    assert limiter.check("a") == 45  # the oldest hit leaves the window in 45 s
    assert limiter.check("b") is None  # another client has its own budget
    clock.advance(44)
    assert limiter.check("a") == 1
    clock.advance(1)  # a whole minute after the first two hits: both have left the window
    assert limiter.check("a") is None
    assert RateLimiter(0).check("a") is None  # 0 = off


def test_retry_after_is_the_wait_rounded_up_to_whole_seconds() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock)
    assert limiter.check("a") is None
    assert retry_after(limiter.check("a")) == "60"  # a full window is 60 s, not 61
    clock.advance(0.5)
    assert retry_after(limiter.check("a")) == "60"  # 59.5 s: waiting 59 would be too soon
    clock.advance(59.25)
    assert retry_after(limiter.check("a")) == "1"  # 0.25 s
    assert retry_after(0.0) == "1"  # never 0, which would invite an immediate retry


@pytest.mark.parametrize(("value", "offset"), [("120", 120), (None, None), ("-1", None), ("²", None), ("١٢", None)])
def test_source_offsets_accept_only_plain_digits(value: str | None, offset: int | None) -> None:
    assert as_offset(value) == offset
