"""Table rows (rag/columns.py): a claim must give each cell to the column it stands in."""

from __future__ import annotations

import pytest

from rag.claims import QuoteContext, check_claim
from rag.columns import column_moved, flattened_cells, table_layout

# A comparison table scraped flat from a web page: no cell boundaries survive.
TITLE = "Harbour Master vs Port Captain: Daily Work Compared"
HEADER = "Aspect Harbour Master Port Captain"
HORIZON = "Planning Horizon 1–2 years 5–10 years"
SCOPE = "Scope One dock or quay Entire port and fleet"
TEAM = "Team Pilots and clerks (typically 4–9 staff) Masters, pilots, and dock leads"


def moved(claim: str, row: str, question: str = "") -> tuple[str, str] | None:
    return column_moved(claim, row, HEADER, ["Harbour Master", "Port Captain"], question)


def test_a_flattened_row_splits_into_its_value_cells() -> None:
    assert flattened_cells(HORIZON, 2) == ["1–2 years", "5–10 years"]
    assert flattened_cells(SCOPE, 2) == ["One dock or quay", "Entire port and fleet"]
    # a figure inside parentheses opens no cell; a cell may open with a name
    assert flattened_cells(TEAM, 2) == ["Pilots and clerks (typically 4–9 staff)", "Masters, pilots, and dock leads"]
    layout = table_layout(SCOPE, HEADER, ["Harbour Master", "Port Captain"])
    assert layout is not None and [c.name for c in layout[0]] == ["Harbour Master", "Port Captain"]


@pytest.mark.parametrize(
    ("claim", "row", "question"),
    [
        ("A Port Captain plans 5–10 years ahead.", HORIZON, ""),
        ("Harbour masters look 1–2 years ahead, while port captains look 5–10 years ahead.", HORIZON, ""),
        ("They cover one dock or quay.", SCOPE, "What does a harbour master cover?"),
        ("The Port Captain's team is made up of masters, pilots and dock leads.", TEAM, ""),
    ],
)
def test_cells_given_to_their_own_columns_pass(claim: str, row: str, question: str) -> None:
    assert moved(claim, row, question) is None


@pytest.mark.parametrize(
    ("claim", "row", "question"),
    [
        ("A Port Captain plans 1–2 years ahead.", HORIZON, ""),
        ("Harbour masters look 5–10 years ahead, while port captains look 1–2 years ahead.", HORIZON, ""),
        ("A Harbour Master covers the entire port and fleet.", SCOPE, ""),
        ("They cover the entire port and fleet.", SCOPE, "What does a harbour master cover?"),
        ("A Port Captain typically has 4–9 staff, pilots and clerks.", TEAM, ""),
    ],
)
def test_a_cell_given_to_the_other_column_is_caught(claim: str, row: str, question: str) -> None:
    assert moved(claim, row, question) is not None


def test_markdown_rows_keep_their_cells() -> None:
    header = "| Expense | Domestic | International | Remote sites |"
    row = "| Lodging, per night | USD 100 | USD 150 | USD 210 |"
    known: list[str] = []
    assert (
        column_moved("Lodging is capped at USD 150 a night abroad on international trips.", row, header, known) is None
    )
    assert column_moved("Domestic lodging is USD 100 and remote sites allow USD 210.", row, header, known) is None
    assert column_moved("Lodging is USD 150 a night for domestic trips.", row, header, known) is not None
    assert column_moved("USD 100 domestically and USD 210 internationally.", row, header, known) is not None


def test_the_claim_checks_read_table_rows_through_their_header() -> None:
    quote = QuoteContext(HORIZON, headings=f"{HEADER}. Overview", title=TITLE, table_row=True, table_header=HEADER)
    assert check_claim("A Harbour Master plans 1–2 years ahead.", quote) == []
    assert [p.kind for p in check_claim("A Harbour Master plans 5–10 years ahead.", quote)] == ["subject"]
    # without a header no cell can be told from another
    assert (
        check_claim("A Harbour Master plans 5–10 years ahead.", QuoteContext(HORIZON, title=TITLE, table_row=True))
        == []
    )


def test_a_table_whose_columns_cannot_be_told_apart_is_left_alone() -> None:
    # the header's column names are given nowhere else, so the flattened header cannot be split
    assert column_moved("A Harbour Master plans 5–10 years ahead.", HORIZON, HEADER, []) is None


def test_a_column_named_after_to_than_or_not_is_not_the_owner_and_hyphens_split_alike() -> None:
    header, row = "| Year | Winner | Runner-up |", "| 1998 | France | Brazil |"
    assert column_moved("Brazil lost the 1998 final to the eventual winner.", row, header, []) is None
    assert column_moved("In 1998 the runner-up was France.", row, header, []) is not None
    header, row = "| Country | Capital | Largest city |", "| Ardenia | Velm | Osk |"
    assert column_moved("Osk is bigger than the capital.", row, header, []) is None
    assert column_moved("The capital is Osk.", row, header, []) is not None


def test_twenty_second_round_a_verb_of_a_column_names_stem_names_no_column() -> None:
    """ "manages" shares a stem with "Fleet Management" but does not name that column: the cells it takes are
    still given to the column the claim names."""
    header, known = "Aspect Head of Fleet Management Port Captain", ["Head of Fleet Management", "Port Captain"]
    claim = "A Port Captain typically manages pilots and clerks, usually 4 to 9 staff."
    assert column_moved(claim, TEAM, header, known) == ("Port Captain", "Pilots and clerks (typically 4–9 staff)")
    # the name's own word, with an ending added, still names it
    assert column_moved("The Head of Fleet Management leads pilots and clerks.", TEAM, header, known) is None
    assert column_moved("Port Captains lead masters, pilots, and dock leads.", TEAM, header, known) is None


def test_twenty_second_round_a_singular_word_marks_a_plural_column() -> None:
    """ "A matron" names the "Senior Matrons" column, as "Matrons" would."""
    header, known = "Aspect Ward Sisters Senior Matrons", ["Ward Sisters", "Senior Matrons"]
    row = "Planning Horizon 1–2 years 5–10 years"
    assert column_moved("A matron plans 1–2 years ahead.", row, header, known) is not None
    assert column_moved("A matron plans 5–10 years ahead.", row, header, known) is None
