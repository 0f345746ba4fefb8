"""Structure detection and boilerplate rules, on the real corpus and on small hand-made inputs."""

from __future__ import annotations

import pytest
from support import CORPUS, CORPUS_BOILERPLATE

from ingest.structure import Block, boilerplate_sentence, is_boilerplate_line, parse_blocks

LINE_BOILERPLATE = [*CORPUS_BOILERPLATE, "Contents"]


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_blocks() -> dict[str, tuple[str, list[Block]]]:
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.name] = (text, parse_blocks(text))
    return out


def of_kind(blocks: list[Block], kind: str) -> list[Block]:
    return [b for b in blocks if b.kind == kind]


# ------------------------------------------------------------------------------------------ corpus


def test_block_offsets_round_trip(corpus_blocks: dict[str, tuple[str, list[Block]]]) -> None:
    for text, blocks in corpus_blocks.values():
        assert blocks
        last_end = -1
        for block in blocks:
            assert text[block.start : block.end] == block.text
            assert block.text == block.text.strip() and block.text
            assert block.start >= last_end  # in document order, never overlapping
            last_end = block.end


def test_corpus_boilerplate_lines_produce_no_block(corpus_blocks: dict[str, tuple[str, list[Block]]]) -> None:
    for text, blocks in corpus_blocks.values():
        for junk in LINE_BOILERPLATE:
            assert all(block.text != junk for block in blocks), junk
            at = text.find(junk)
            if at >= 0:  # nothing covers the junk span
                assert not any(b.start < at + len(junk) and at < b.end for b in blocks), junk


def test_corpus_headings_become_sections(corpus_blocks: dict[str, tuple[str, list[Block]]]) -> None:
    text, blocks = corpus_blocks["director-vs-head-of-product.txt"]
    headings = [b.text for b in of_kind(blocks, "heading")]
    for expected in (
        "Director of Product Management vs Head of Product: Operational Leadership vs Strategic Ownership",
        "Role Overview: Director of Product Management vs Head of Product",
        "What Is a Director of Product Management?",
        "What Is a Head of Product?",
        "Decision-Making Authority",
        "Career Trajectory",
        "Example 1: Director Scaling a Product Domain",
        "Final Thoughts",
    ):
        assert expected in headings
    # Lead-in lines ending with ":" are list intros, not sections.
    assert "Core Responsibilities:" not in headings
    assert "Director of Product Management:" not in headings
    # A long line that lacks a final period is still a paragraph.
    long_line = next(b for b in blocks if b.text.startswith("As organizations scale"))
    assert long_line.kind == "paragraph"


def test_list_intro_is_bullet_context(corpus_blocks: dict[str, tuple[str, list[Block]]]) -> None:
    _, blocks = corpus_blocks["director-vs-head-of-product.txt"]
    intro = next(b for b in blocks if b.text == "Core Responsibilities:")
    assert intro.kind == "paragraph"
    manage = next(b for b in blocks if b.text.startswith("• Manage a team of Product Managers"))
    assert manage.kind == "bullet"
    assert manage.context == "Core Responsibilities:"
    assert manage.section == "What Is a Director of Product Management?"
    partner = next(b for b in blocks if b.text.startswith("• CEO: to align product vision"))
    assert partner.context == "Heads of Product work with the entire executive team. They partner with:"
    # A list right under a heading is introduced by the heading.
    _, guide = corpus_blocks["director-of-product-management-career-guide.txt"]
    first = next(b for b in guide if b.kind == "bullet")
    assert first.context == "Key Responsibilities of a Director of Product Management"


def test_space_separated_tables(corpus_blocks: dict[str, tuple[str, list[Block]]]) -> None:
    _, blocks = corpus_blocks["director-vs-head-of-product.txt"]
    headers = of_kind(blocks, "table_header")
    assert len(headers) == 5
    assert {h.text for h in headers} == {"Aspect Director of Product Management Head of Product"}
    rows = of_kind(blocks, "table_row")
    assert len(rows) == 20
    assert all(r.context == "Aspect Director of Product Management Head of Product" for r in rows)
    org = next(r for r in rows if r.text.startswith("Org Level"))
    assert org.section == "Role Overview: Director of Product Management vs Head of Product"
    captions = of_kind(blocks, "caption")
    assert len(captions) == 5
    assert all(c.text.startswith("This table compares") for c in captions)


def test_question_headings_and_accordion_marks(corpus_blocks: dict[str, tuple[str, list[Block]]]) -> None:
    text, blocks = corpus_blocks["head-of-product-glossary.txt"]
    headings = [b.text for b in of_kind(blocks, "heading")]
    assert headings[:2] == ["Head of Product", "Definition"]
    # "...?+" accordion toggles: the heading span stops before the "+".
    assert "What is the difference between Head of Product and VP of Product?" in headings
    assert "When should a startup hire a Head of Product?" in headings
    answer = next(b for b in blocks if b.text.startswith("Usually between 30-80 employees"))
    assert answer.section == "When should a startup hire a Head of Product?"


def test_headings_flattened_into_bullets_are_recovered(
    corpus_blocks: dict[str, tuple[str, list[Block]]],
) -> None:
    _, glossary = corpus_blocks["head-of-product-glossary.txt"]
    pitfalls = next(b for b in glossary if b.text == "Common Pitfalls")
    assert pitfalls.kind == "heading"
    over_hiring = next(b for b in glossary if b.text.startswith("• Over-hiring too fast"))
    assert over_hiring.section == "Common Pitfalls"
    _, guide = corpus_blocks["director-of-product-management-career-guide.txt"]
    headings = {b.text for b in of_kind(guide, "heading")}
    assert "Day to Day Activities for Director of Product Management at Different Levels" in headings
    assert "Types of Director of Product Managements" in headings
    # Ordinary last items of a list stay bullets.
    _, versus = corpus_blocks["director-vs-head-of-product.txt"]
    last = next(b for b in versus if b.text.startswith("• Provide mentorship and career development"))
    assert last.kind == "bullet"


def test_headings_without_blank_lines_in_run_on_text(
    corpus_blocks: dict[str, tuple[str, list[Block]]],
) -> None:
    _, blocks = corpus_blocks["director-of-product-and-head-of-product-roles.txt"]
    headings = [b.text for b in of_kind(blocks, "heading")]
    assert "How to become a head of product?" in headings
    assert "Roles & Responsibilities of Director of Product" in headings
    assert blocks[0].kind == "paragraph" and blocks[0].section == ""


# ------------------------------------------------------------------------------------------ generic rules


@pytest.mark.parametrize(
    "line",
    [
        "Sign up",
        "Read more »",
        "Back to top",
        "Back to all articles",
        "Table of Contents",
        "Home > Blog > Engineering",
        "Docs › Guides › Install",
        "Subscribe to our newsletter for weekly tips.",
        "Related articles:",
        "You may also like",
        "© 2024 Example Corp. All rights reserved.",
        "Download our free salary guide:",
        "Join 20,000 marketers who read our weekly digest.",
        "Get instant access to every template, plus",
        "Free onboarding checklist",
        "Browse our full library of tutorials.",
        "Share this article",
        "5 min read",
        "Written by Alex Smith",
        "★★★★★",
    ],
)
def test_generic_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Download the installer from the releases page and run it.",
        "Sign in to the admin console and open the billing settings.",
        "Join the tables on the customer id before aggregating.",
        "Pricing",
        "How to Choose a Database",
        "The Head of Product is a senior leader at most software companies.",
        "Team culture and morale",
        "Read the wiki before your first standup.",
        "JavaScript and TypeScript",
        "What to look for",
        "",
    ],
)
def test_content_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_sentence_rules() -> None:
    assert boilerplate_sentence("Join over 10,000 teams that use Acme to plan their work.")
    assert not boilerplate_sentence("Sam Lee is a Staff Writer at Example Media, covering careers.")
    assert boilerplate_sentence("Subscribe to our newsletter to get updates delivered to your inbox.")
    assert boilerplate_sentence("Click here to learn more.")
    assert not boilerplate_sentence("Join the two tables on the shared key.")
    assert not boilerplate_sentence("A product manager at a startup is often a generalist.")
    assert not boilerplate_sentence("Download the data before the meeting so you can review it.")


# ------------------------------------------------------------------------------------------ small inputs


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in parse_blocks(text)]


def test_markdown_structure() -> None:
    text = (
        "---\ntitle: Doc\nauthor: A\nversion: 2\n---\n"
        "# Getting Started ##\n\nInstall it first.\n\n"
        "## Steps\n\n1. Download the archive\n2. Unpack it\n   into a folder\n- Then run it\n\n"
        "| Flag | Meaning |\n|------|:-------:|\n| -v | verbose |\n| -q | quiet |\n\n"
        "```\n# not a heading\n- not a bullet\n```\n\n"
        "Setext Title\n============\n\nBody.\n"
    )
    blocks = parse_blocks(text)
    for b in blocks:
        assert text[b.start : b.end] == b.text
    assert kinds(text)[:2] == [("heading", "Getting Started"), ("paragraph", "Install it first.")]
    bullets = [b for b in blocks if b.kind == "bullet"]
    assert [b.text for b in bullets] == [
        "1. Download the archive",
        "2. Unpack it\n   into a folder",
        "- Then run it",
    ]
    assert all(b.context == "Steps" and b.section == "Steps" for b in bullets)
    header = next(b for b in blocks if b.kind == "table_header")
    assert header.text == "| Flag | Meaning |"
    rows = [b for b in blocks if b.kind == "table_row"]
    assert [r.text for r in rows] == ["| -v | verbose |", "| -q | quiet |"]  # separator row skipped
    assert all(r.context == "| Flag | Meaning |" for r in rows)
    code = next(b for b in blocks if "not a heading" in b.text)
    assert code.kind == "paragraph"
    assert ("heading", "Setext Title") in kinds(text)
    assert not any("title: Doc" in b.text for b in blocks)  # front matter is metadata


def test_plain_table_needs_three_label_lines_standing_alone() -> None:
    table = "Plan Seats Price\nStarter 5 Free\nTeam 50 Paid\n\nThe table above lists the plans.\n"
    assert kinds(table) == [
        ("table_header", "Plan Seats Price"),
        ("table_row", "Starter 5 Free"),
        ("table_row", "Team 50 Paid"),
        ("caption", "The table above lists the plans."),
    ]
    wrapped = (
        "Hard-wrapped prose keeps going past the end of the line\n"
        "and continues on the next one without any punctuation\n"
        "until at last the sentence reaches its very end.\n"
    )
    assert [k for k, _ in kinds(wrapped)] == ["paragraph"]


def test_heading_rules() -> None:
    run_on = "This line is long and lacks a final period but it reads as running text from start to end"
    text = (
        "Why Caching Matters\n\n"
        "Caching keeps hot data close to the CPU, which matters for every request we serve.\n\n"
        "What is a cache line?\n\n"
        "A cache line is the unit of transfer between memory and cache in most processors.\n\n"
        "Things to check:\n\n"
        f"{run_on}\n"
    )
    assert kinds(text) == [
        ("heading", "Why Caching Matters"),
        ("paragraph", "Caching keeps hot data close to the CPU, which matters for every request we serve."),
        ("heading", "What is a cache line?"),
        ("paragraph", "A cache line is the unit of transfer between memory and cache in most processors."),
        ("paragraph", "Things to check:"),
        ("paragraph", run_on),
    ]


def test_dropped_lead_in_takes_its_glued_title_with_it() -> None:
    text = (
        "Real paragraph about indexes.\n\nDownload our free guide:\nSeven Index Tricks\n\nMore real text.\n"
    )
    assert kinds(text) == [("paragraph", "Real paragraph about indexes."), ("paragraph", "More real text.")]


def test_a_breadcrumb_trail_split_over_lines_goes_with_its_navigation_line() -> None:
    # Scraped pages put "Back to <index>" and the rest of the trail on separate lines. Before, a rule keyed
    # to one scraped artefact of the shipped corpus (a crumb ending in a stray capital) caught the second one.
    text = (
        "Back to Recipes\nBaking & Desserts\n\nLemon Tart\n\n"
        "A lemon tart has a shortcrust base and a lemon curd filling.\n"
    )
    kept = [text[b.start : b.end] for b in parse_blocks(text)]
    assert not any("Baking" in k or "Back to" in k for k in kept)
    assert any("shortcrust" in k for k in kept)


# ------------------------------------------------------------------------------------------ Markdown (CommonMark)


def test_fenced_code_closes_only_on_its_own_fence() -> None:
    text = "~~~\n# not a heading\n```\nstill code\n~~~\n\nAfter the code.\n\n```\nunclosed\n# still code\n"
    blocks = parse_blocks(text)
    assert kinds(text) == [
        ("paragraph", "# not a heading\n```\nstill code"),
        ("paragraph", "After the code."),
        ("paragraph", "unclosed\n# still code"),
    ]
    assert all(text[b.start : b.end] == b.text for b in blocks)


def test_pipe_tables_as_markdown_reads_them() -> None:
    text = (
        "Intro to the table:\n| Role | Reports \\| to |\n|:-|--:|\n| Director | VP \\| CTO |\n| Head | CEO |\n\n"
        "| too | many | columns |\n|---|---|\n"
    )
    blocks = parse_blocks(text)
    assert kinds(text) == [
        ("paragraph", "Intro to the table:"),
        ("table_header", "| Role | Reports \\| to |"),  # short delimiter dashes still make a table
        ("table_row", "| Director | VP \\| CTO |"),  # escaped pipes stay verbatim: offsets index the file
        ("table_row", "| Head | CEO |"),
        ("paragraph", "| too | many | columns |"),  # a delimiter row that does not match is no table
    ]
    assert all(text[b.start : b.end] == b.text for b in blocks)
    assert [b.context for b in blocks if b.kind == "table_row"] == ["| Role | Reports \\| to |"] * 2


def test_headings_as_markdown_reads_them() -> None:
    text = (
        "Wrapped over\ntwo lines\n---\n\n"
        "Body text follows here.\n\n"
        "- # Heading inside a list item\n\n"
        "## Closing hashes ##\n\n"
        "#No space\n"
    )
    blocks = parse_blocks(text)
    assert kinds(text) == [
        ("heading", "Wrapped over\ntwo lines"),  # a setext heading's text is every line above the underline
        ("paragraph", "Body text follows here."),
        ("bullet", "- # Heading inside a list item"),
        ("heading", "Closing hashes"),
        ("paragraph", "#No space"),
    ]
    assert all(text[b.start : b.end] == b.text for b in blocks)


def test_the_shared_markdown_parser_is_compiled_before_any_thread_gets_it() -> None:
    # A server parses on two threads at once (a re-index and a query reading a changed source); markdown-it
    # builds its rule chains lazily and not thread-safely, so the shared parser must arrive with them built.
    from ingest import markdown_syntax

    markdown_syntax._parser.cache_clear()
    parser = markdown_syntax._parser()
    assert parser.core.ruler.__cache__ is not None
    assert parser.block.ruler.__cache__ is not None
    assert parser.block.ruler.getRules("paragraph"), "the terminator chains are built too"
