"""The grounding guard's content checks (rag/claims.py), one kind at a time, on general English."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.claims import QuoteContext, check_claim, claim_names, content_words, figures
from rag.support import SupportScorer

QUOTE = QuoteContext(
    text="Most engineers reach the staff level after five to eight years, and they report to the CTO.",
    headings="Staff Engineer. Career path",
    title="Engineering ladder",
)


def kinds(claim: str, quote: QuoteContext = QUOTE, question: str = "") -> list[str]:
    return [p.kind for p in check_claim(claim, quote, question)]


@pytest.mark.parametrize(
    "claim",
    [
        "Engineers usually reach the staff level after 5-8 years.",
        "Reaching staff level takes most engineers five to eight years.",
        "A Staff Engineer reports to the CTO.",
        "It takes up to eight years to reach the staff level.",
        "Most engineers reach staff level after five to eight years and report to the CTO.",
    ],
)
def test_faithful_restatements_pass(claim: str) -> None:
    assert kinds(claim) == []


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("Engineers reach the staff level after two years.", "figure"),
        ("Engineers reach the staff level after 3-10 years.", "figure"),
        ("Engineers reach the staff level after five to eight months.", "unit"),
        ("Staff engineers report to the CFO.", "name"),
        ("Most engineers never reach the staff level.", "negation"),
        ("Staff engineers are paid twice as much as senior engineers.", "comparison"),
        ("Staff engineers are the most senior people in the company.", "comparison"),
        ("They report to the CTO, and they approve every hiring budget in the company.", "clause"),
    ],
)
def test_each_kind_of_wrong_claim_is_caught(claim: str, kind: str) -> None:
    assert kind in kinds(claim)


def test_a_name_the_question_supplies_is_allowed_but_not_as_the_subject_of_someone_elses_fact() -> None:
    quote = QuoteContext("They report directly to the CEO.", headings="Chief Operating Officer")
    question = "Who do the Chief Operating Officer and the Chief Financial Officer report to?"
    assert kinds("The Chief Operating Officer reports directly to the CEO.", quote, question) == []
    assert "subject" in kinds("The Chief Financial Officer reports directly to the CEO.", quote, question)


def test_a_heading_that_names_no_one_leaves_the_subject_to_the_title() -> None:
    quote = QuoteContext(
        "They report directly to the CEO.", headings="Definition", title="What is a Chief Operating Officer?"
    )
    assert kinds("A Chief Operating Officer reports directly to the CEO.", quote) == []


def test_a_negation_elsewhere_in_the_quote_does_not_count() -> None:
    quote = QuoteContext("They do not write code; they set the technical direction for the team.")
    assert kinds("They set the technical direction for the team.", quote) == []
    assert "negation" in kinds("They write code.", quote)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five to eight years", [(5, 8, "year")]),
        ("between $120k and $150,000", [(120_000, 150_000, "dollar")]),
        ("25 percent of teams", [(25, 25, "%")]),
        ("one to two quarters ahead", [(1, 2, "quarter")]),
        ("revenue of 2 million dollars", [(2_000_000, 2_000_000, "dollar")]),
        ("one of the best", []),
    ],
)
def test_figures_in_digits_and_words(text: str, expected: list[tuple[float, float, str]]) -> None:
    assert [(f.low, f.high, f.unit) for f in figures(text)] == expected


def test_every_word_the_number_parser_reads_sends_a_text_to_it() -> None:
    """`in_digits` hands a text to the parser only when it holds a word from its list: a number word missing
    from that list would go unread. Run the parser over the whole English vocabulary to find them all."""
    from text_to_num import alpha2digit

    from rag.claims import _may_hold_number
    from rag.spelling import english_vocabulary

    contexts = ("{}", "the {} items", "a {}", "in {} years", "{} and a half", "{} point")
    unread = [
        word
        for word in english_vocabulary()
        if not _may_hold_number(word)
        and any(alpha2digit(c.format(word), "en", threshold=t) != c.format(word) for c in contexts for t in (0, 3))
    ]
    assert unread == []


@pytest.mark.parametrize(
    "text",
    ["within a week", "It doubled.", "over half of them", "a dozen eggs", "the 19th century", "Twenty-five people"],
)
def test_a_text_whose_numbers_the_rules_read_is_not_skipped(text: str) -> None:
    from rag.claims import _may_hold_number, _read_numbers

    assert _read_numbers(text, every_number=False) != text
    assert _may_hold_number(text)


def test_names_skip_a_capital_that_only_starts_the_sentence() -> None:
    assert claim_names("They report to the CEO of Acme Corp.") == ("CEO of Acme Corp",)
    assert claim_names("Directors of Engineering report to the VP.") == ("Directors of Engineering", "VP")
    assert claim_names("Most teams grow.") == ()


@pytest.mark.parametrize("quote", ["", "   ", "\n"])
def test_an_empty_quote_supports_nothing_and_raises_nothing(quote: str) -> None:
    assert "figure" in kinds("The fee is $5.", QuoteContext(quote))


def test_long_runs_of_capitalised_words_are_handled_without_recursion() -> None:
    assert isinstance(kinds(" ".join(["Big"] * 2000) + ".", QuoteContext("x")), list)


def test_a_claim_may_spell_out_an_acronym_the_quote_uses() -> None:
    quote = QuoteContext(
        "While a clerk files single cases, the HOR reviews a whole docket.", headings="Head of Records"
    )
    claim = "A clerk files single cases, whereas the Head of Records reviews an entire docket."
    assert "name" not in kinds(claim, quote)
    assert "name" in kinds("A clerk files single cases, whereas the auditor reviews an entire docket.", quote)


def test_a_topic_heading_leaves_the_subject_to_the_title_but_a_rival_subject_is_still_caught() -> None:
    topic = QuoteContext(
        "A large part of their week goes to coaching new hires.",
        headings="Growing the Support Team",
        title="What Does a Support Director Do?",
    )
    assert kinds("Support Directors spend a large part of their week coaching new hires.", topic) == []
    rivals = QuoteContext(
        "Directors approve refunds up to 500 dollars.",
        headings="Money Matters",
        title="Support Director versus Head of Support",
    )
    assert kinds("Support Directors approve refunds up to 500 dollars.", rivals) == []
    assert "subject" in kinds("Heads of Support approve refunds up to 500 dollars.", rivals)


def test_a_table_rows_first_cell_is_not_its_subject() -> None:
    row = QuoteContext(
        "Budget Team funds (under 2 million) Company funds", headings="Area Team Lead Division Head", table_row=True
    )
    assert kinds("A Team Lead's budget covers team funds under 2 million.", row) == []
    # read as a sentence, the row would be about its first cell
    assert "subject" in kinds("A Team Lead's budget covers team funds under 2 million.", replace(row, table_row=False))


def test_a_figure_counting_the_same_thing_as_another_number_in_the_quote_is_caught() -> None:
    quote = QuoteContext("The lute has 13 strings and covers two octaves. Most players use 3 picks.")
    assert "figure" in kinds("The lute has 13 strings and covers three octaves.", quote)
    assert kinds("The lute has 13 strings and covers 2 octaves.", quote) == []


# Third tuning round (fresh hand-written dev claims, eval/claims/extra2-dev.jsonl): general English only.
@pytest.mark.parametrize(
    ("claim", "quote", "kinds_expected"),
    [
        # fractions are figures: "half" is not "a third", "a quarter of an hour" is 15 minutes
        ("It covers roughly half of the land.", "It covers roughly a third of the land.", ["figure"]),
        ("It covers a third of the land.", "It covers about 33.3% of the land.", []),
        (
            "Unclaimed bookings are released within a quarter of an hour.",
            "Unclaimed bookings are released within 15 minutes.",
            [],
        ),
        ("It was rebuilt in the second half of the century.", "It was rebuilt in the second half of the century.", []),
        # "within a year" counts one year: "within a quarter" changes the unit
        ("Three members were promoted within a quarter.", "Three members were promoted within a year.", ["unit"]),
        ("Three members were promoted within twelve months.", "Three members were promoted within a year.", []),
        # a comparative whose complement stands between it and "than"
        (
            "Korfball is closer to netball than to basketball.",
            "Korfball is similar in some ways to netball and basketball.",
            ["comparison"],
        ),
    ],
)
def test_fractions_single_units_and_split_comparatives(claim: str, quote: str, kinds_expected: list[str]) -> None:
    assert kinds(claim, QuoteContext(text=quote)) == kinds_expected


def test_an_opening_adverbial_phrase_is_not_the_subject() -> None:
    quote = QuoteContext(
        text="Outside Europe it has grown in Taiwan and in China.", headings="Popularity", title="Korfball"
    )
    assert kinds("Beyond Europe, the sport has grown in China and in Taiwan.", quote) == []


def test_a_name_dropped_from_a_compound_is_left_out_not_swapped() -> None:
    quote = QuoteContext(text="The Selva delta is home to more than 240 species of birds.", title="Selva River")
    assert kinds("The delta is home to more than 240 bird species.", quote) == []


def test_a_name_swapped_for_one_from_the_next_sentence_is_caught() -> None:
    quote = QuoteContext(
        text="The role is distinct from Director of Sales (who manages one region).\n"
        "A VP of Sales oversees every region."
    )
    assert "name" in kinds("The role is distinct from VP of Sales, who manages one region.", quote)


def test_list_items_are_separate_statements_with_their_own_subjects() -> None:
    quote = QuoteContext(
        text="• A Director may lead the move to self-serve onboarding.\n"
        "• A Head of Sales may decide to enter a new market and reorganize teams.",
        headings="Example initiatives",
        title="Director versus Head of Sales",
    )
    assert "subject" in kinds("A Director may decide to enter a new market and reorganize teams.", quote)


# Fourth tuning round (fresh hand-written dev claims, eval/claims/extra3-dev.jsonl): general English only.
@pytest.mark.parametrize(
    ("claim", "quote", "kinds_expected"),
    [
        # two negations make a positive
        (
            "The climb has its dangers, since storms arrive quickly.",
            "The climb is not without its dangers, since storms arrive quickly.",
            [],
        ),
        ("The climb isn't without its dangers.", "The climb has its dangers.", []),
        # a "Yes," or "No —" answering the question is not part of the statement
        (
            "No — the permit can be renewed online or at any branch office.",
            "The permit can be renewed online or at any branch office.",
            [],
        ),
        ("No, the permit cannot be renewed online.", "The permit can be renewed online.", ["negation"]),
        # verbs that say the action does not happen
        (
            "Experienced climbers avoid carrying extra oxygen above 8,000 metres.",
            "Experienced climbers carry extra oxygen above 8,000 metres.",
            ["negation"],
        ),
        ("Hikers should not take the north trail in winter.", "Hikers should avoid the north trail in winter.", []),
        # "as long as 80 years" bounds a figure, like "up to"; the figure check still compares it
        (
            "In the wild, the tortoise can live as long as 80 years.",
            "In the wild, the tortoise can live up to 80 years.",
            [],
        ),
        (
            "In the wild, the tortoise can live as long as 90 years.",
            "In the wild, the tortoise can live up to 80 years.",
            ["figure"],
        ),
        # "doubled" makes the comparison "twice as" restates; "further" supports "more"
        ("Within a year, ticket sales were twice as high.", "Within a year, ticket sales doubled.", []),
        (
            "The council decides which parks deserve more funding.",
            "The council decides which parks warrant further funding.",
            [],
        ),
        # ... but only a quantity of the same thing: a "reduced" elsewhere does not license another "less"
        ("The new rota means less overtime for nurses.", "The new rota means reduced pay for nurses.", ["comparison"]),
        # "No-one" negates; it is not an answer word
        ("The committee approves the budget.", "No-one on the committee approves the budget.", ["negation"]),
        # avoiding and preventing say the same; "never fails to" is a positive
        ("Good planning prevents delays.", "Good planning helps teams avoid delays.", []),
        ("The clerk always files the report.", "The clerk never fails to file the report.", []),
        # "as well as" adds, it does not compare
        ("The office handles pricing as well as hiring.", "The office handles pricing and hiring.", []),
        # a comparative with a noun before "than" still compares
        (
            "The port keeps a busier schedule than any other port in the country.",
            "The port keeps a schedule that runs every day of the year.",
            ["comparison"],
        ),
    ],
)
def test_litotes_answer_words_negating_verbs_figure_bounds_and_comparatives(
    claim: str, quote: str, kinds_expected: list[str]
) -> None:
    assert kinds(claim, QuoteContext(text=quote)) == kinds_expected


def test_a_summary_that_drops_trailing_examples_has_not_swapped_a_name() -> None:
    quote = QuoteContext(
        text="The agency funds research centres that provide open data, such as the Halden Institute and the "
        "Rivera Lab."
    )
    assert kinds("The agency funds research centres that offer open data.", quote) == []
    # but words put where the name stood are a swap
    assert "name" in kinds(
        "The agency funds research centres that provide open data, such as the national library.", quote
    )


@pytest.mark.parametrize(
    ("claim", "quote"),
    [
        ("The finance team approves budgets.", "Budgets are approved by the CFO."),
        ("The deputy mayor signs the permits.", "The permits are signed by Mayor Alvarez."),
    ],
)
def test_a_name_swapped_in_a_passive_to_active_rewording_is_caught(claim: str, quote: str) -> None:
    assert "name" in kinds(claim, QuoteContext(text=quote))


@pytest.mark.parametrize(
    ("claim", "quote", "kinds_expected"),
    [
        # clock times compare as times of day, in either notation
        ("The desk is staffed from 9 am to 5:30 pm.", "The desk is staffed from 09:00 to 17:30.", []),
        ("The desk is staffed from 9 am to 6 pm.", "The desk is staffed from 09:00 to 17:30.", ["figure"]),
        ("The gates close at noon.", "The gates close at 12:00.", []),
        # a bare upper-case "PM" is not a time: "5 PMs" counts people
        ("The team added 5 PMs last year.", "The team added five PMs last year.", []),
        # opposite words negate: "permitted" contradicts "forbidden", even beside a negated clause
        (
            "Blocking is permitted, although pushing is forbidden.",
            "Pushing, holding or blocking an opponent is forbidden.",
            ["negation"],
        ),
        ("Blocking an opponent is not allowed.", "Blocking an opponent is forbidden.", []),
        ("Pets are not prohibited on Fridays.", "Pets are allowed on Fridays.", []),
        ("Pets are banned on Fridays.", "Pets are allowed on Fridays.", ["negation"]),
        ("The training is optional for new staff.", "The training is mandatory for new staff.", ["negation"]),
        ("The training is not optional for new staff.", "The training is mandatory for new staff.", []),
    ],
)
def test_clock_times_and_opposite_words(claim: str, quote: str, kinds_expected: list[str]) -> None:
    assert kinds(claim, QuoteContext(text=quote)) == kinds_expected


# Fifth tuning round (fresh LLM-style dev claims, eval/claims/extra4-dev.jsonl and extra5-dev.jsonl): general
# English only. Each wrong claim below was let through before this round, each faithful one was dropped.
@pytest.mark.parametrize(
    ("claim", "quote", "kinds_expected"),
    [
        # contrasts ("rather than", "instead of", ", not") restate a negation either way ...
        ("Rather than raw figures, the digest covers trends.", "The digest covers trends, not raw figures.", []),
        (
            "The lab does not use glass slides; it uses plastic ones.",
            "The lab uses plastic slides rather than glass.",
            [],
        ),
        # ... but may not swap what is affirmed and what is denied, or affirm the denied part
        (
            "The digest covers raw figures rather than trends.",
            "The digest covers trends, not raw figures.",
            ["negation"],
        ),
        (
            "The digest covers raw figures as well as trends.",
            "The digest covers trends, not raw figures.",
            ["negation"],
        ),
        # ceasing is not doing; "never stops" goes on; "not ... until" says it happened, late
        (
            "You are no longer paid by the hour; you are paid by the project.",
            "You stop being paid by the hour and start being paid by the project.",
            [],
        ),
        ("It works in a market that never stops changing.", "It works in an ever-changing market.", []),
        ("The forgery was not discovered until 1950.", "The forgery was only discovered in 1950.", []),
        # "few" denies what "many" affirms
        ("Few branches open on Sundays.", "Many branches open on Sundays.", ["negation"]),
        # opposite words without any negation
        ("Members are elected for a short term.", "Members are elected for a long term.", ["negation"]),
        ("Ticket sales rose in spring.", "Ticket sales fell in spring.", ["negation"]),
        # a list item under a negated intro is negated by it
        # (lead_in below; see the test after this one)
        # how often: "weekly" is not "monthly", "once a month" is "monthly"
        ("The board meets weekly.", "The board meets once a month.", ["unit"]),
        ("The board meets monthly.", "The board meets once a month.", []),
        ("The board reviews its annual targets.", "The board reviews its quarterly targets.", ["unit"]),
        # a multiple is a figure
        ("Within a year, sales had tripled.", "Within a year, sales doubled.", ["figure"]),
        ("Within a year, sales had doubled.", "Within a year, sales doubled.", []),
        # "as far as" and "no longer" compare nothing
        ("As far as planning goes, the team sets quarterly goals.", "The team sets quarterly goals.", []),
        # two things of different clauses that trade places
        (
            "The hull was first made of steel, but most builders now use oak or fibreglass.",
            "The hull was first made of oak, but most builders now use steel or fibreglass.",
            ["swap"],
        ),
        # items of one list may be reordered freely
        ("The course covers ethics, law and finance.", "The course covers finance, ethics and law.", []),
        # an item of a list swapped for one the quote lacks
        (
            "The unit handles payroll, pensions and recruitment.",
            "The unit handles payroll, pensions and benefits.",
            ["entity"],
        ),
        # a claim that says it leaves things out may drop items of the list
        (
            "Among other things, the council approves budgets.",
            "The council approves budgets, zoning plans, or the Harbour Fund grants.",
            [],
        ),
    ],
)
def test_contrasts_cessation_opposites_frequencies_multiples_swaps_and_lists(
    claim: str, quote: str, kinds_expected: list[str]
) -> None:
    assert kinds(claim, QuoteContext(text=quote)) == kinds_expected


def test_a_name_the_headings_give_may_be_left_to_a_pronoun_but_not_to_another_name() -> None:
    quote = QuoteContext(
        text="A Harbour Master is a senior post that sits between the port authority and the pilots.",
        headings="Definition of a Harbour Master",
    )
    assert "name" not in kinds("It is a senior post between the port authority and the pilots.", quote)
    assert "name" not in kinds("Harbour masters hold a senior post between the port authority and the pilots.", quote)
    # the headings do not license another name in its place
    assert kinds("The Dock Warden is a senior post between the port authority and the pilots.", quote)
    # nor a common noun without anything pointing back
    without_headings = replace(quote, headings="")
    assert "name" in kinds("The deputy is a senior post between the port authority and the pilots.", without_headings)


def test_an_acronym_subject_may_stand_for_a_name_of_the_headings() -> None:
    quote = QuoteContext(
        text="This person is accountable for the whole fleet.", headings="What does a Chief of Fleet Operations do?"
    )
    assert "subject" not in kinds("The CFO answers for the whole fleet.", quote)
    assert "subject" in kinds("The CEO answers for the whole fleet.", quote)


def test_a_list_item_under_a_negated_intro_is_negated() -> None:
    quote = QuoteContext(text="- parking fines", lead_in="The company does not reimburse:")
    assert "negation" not in kinds("The company won't pay back parking fines.", quote)
    assert "negation" in kinds("The company reimburses parking fines.", quote)


def test_figures_the_headings_give_are_supported() -> None:
    quote = QuoteContext(text="Checking the stock levels.", headings="Daily tasks for a shop assistant")
    assert not {"figure", "unit"} & set(kinds("Their daily work includes checking the stock levels.", quote))
    assert {"figure", "unit"} & set(kinds("Their weekly work includes checking the stock levels.", quote))


def test_over_half_is_a_share_and_the_two_most_is_a_superlative() -> None:
    assert "figure" in kinds(
        "The region produces over half of the crop.", QuoteContext("The region produces 85% of the crop.")
    )
    assert "comparison" in kinds(
        "These are the two most common breeds.", QuoteContext("Two breeds that often appear are shown here.")
    )


def test_a_later_clauses_subject_may_not_come_from_the_question() -> None:
    quote = QuoteContext("The Clerk of Works files and signs the forms.")
    question = "Who signs the forms, the Clerk of Works or the Chief Auditor?"
    assert "subject" in kinds(
        "The Clerk of Works files the forms, while the Chief Auditor signs them.", quote, question
    )
    assert kinds("The Clerk of Works files the forms and signs them.", quote, question) == []


def test_acronym_plurals_match_their_singular() -> None:
    quote = QuoteContext(text="The CFO approves every budget over the limit.")
    assert "name" not in kinds("CFOs approve every budget over the limit.", quote)


# Review of the fifth round: shapes the first versions of its rules got wrong, both ways.
@pytest.mark.parametrize(
    ("claim", "quote", "wrong"),
    [
        # a contrast restates only the negation of what it denies ...
        ("The bridge is not made of steel.", "The bridge is made of steel rather than iron.", True),
        ("Residents travel by bus, not by train.", "Residents travel by bus and by train.", True),
        # ... and "not" with a ceasing verb is still a negation
        ("The company did not cease trading in 2001.", "The company ceased trading in 2001.", True),
        # how often, with multiples
        ("The magazine is published twice a month.", "The magazine is published twice a week.", True),
        ("The fee is 50 euros per month.", "The fee is 50 euros a month.", False),
        ("The annual fee is 50 euros.", "The fee is 50 euros a year.", False),
        ("Bikes are part of daily life in the city.", "Bikes are part of everyday life in the city.", False),
        # a word with two opposites keeps both
        ("Most farms in the region are small.", "Most farms in the region are large.", True),
        ("The audit is internal.", "The audit is external.", True),
        # determiners are not superlatives or negations
        ("In the winter most shops close early.", "Most shops close early in winter.", False),
        ("The town has grown over the past few decades.", "The town has grown in recent decades.", False),
        ("The number of visitors doubled.", "The number of visitors saw a doubling.", False),
        (
            "The course covers algebra, geometry, statistics and more.",
            "The course covers algebra, geometry and statistics.",
            False,
        ),
        # "and more closely than" still compares
        ("Clerks work with the judges, and more closely than the ushers do.", "Clerks work with the judges.", True),
    ],
)
def test_review_of_the_fifth_round(claim: str, quote: str, wrong: bool) -> None:
    assert bool(kinds(claim, QuoteContext(text=quote))) == wrong


def test_the_pronoun_you_does_not_stand_for_a_name_of_the_headings() -> None:
    quote = QuoteContext("Travel must be approved by the Finance Office.", headings="Finance Office")
    assert "name" in kinds("Your manager must approve the trip.", quote)


def test_a_long_comma_list_is_checked_in_linear_time() -> None:
    # A nested pattern took seconds here; the split is linear (a smoke check, not a timing assert).
    claim = ", ".join(["apples"] * 3000) + " and pears."
    assert isinstance(kinds(claim, QuoteContext("We sell apples and pears.")), list)


def test_a_plain_word_standing_for_another_heading_name_is_a_moved_subject() -> None:
    quote = QuoteContext(
        "Chief Wardens own the whole patrol design.",
        headings="Team design",
        title="Director of Patrols versus Chief Warden",
    )
    assert "subject" in kinds("Directors own the whole patrol design.", quote)
    assert "subject" not in kinds("Chief Wardens own the entire patrol design.", quote)


def test_a_weekday_is_a_weekly_frequency() -> None:
    quote = QuoteContext("The guest password changes every Monday.")
    assert "unit" in kinds("The guest password changes once a month.", quote)
    assert "unit" not in kinds("The guest password changes weekly.", quote)


def test_a_figure_from_the_question_does_not_override_the_quotes() -> None:
    quote = QuoteContext("The museum is open until 5 pm.")
    assert "figure" in kinds("The museum is open until 6 pm.", quote, "Is the museum open until 6 pm?")
    assert kinds("The museum is open until 5 pm.", quote, "Is the museum open until 6 pm?") == []
    # with no figure of its kind in the quote, the question's figure may be restated
    assert (
        kinds("Yes, the museum opens on 3 days a week.", QuoteContext("The museum opens on 3 days a week."), "") == []
    )


@pytest.mark.parametrize(
    ("claim", "quote", "wrong"),
    [
        # a comparative of the quote's own adjective compares; an "-er" noun does not
        ("The board holds broader powers.", "The board holds broad powers.", True),
        ("The manager decides the rota.", "They manage and decide the rota.", False),
        # ranking one item above the others is a superlative in other words
        ("It covers pricing, costs and above all safety.", "It covers pricing, costs and safety.", True),
        # "Not really:" answers the question; the statement after it is what is checked
        ("Not really: both posts are senior.", "Both posts are senior.", False),
        # an item of a list mostly new beside a shared head noun
        (
            "It serves firms such as banks, oil drilling platforms and cloud platforms.",
            "It serves firms such as banks, trading platforms and cloud platforms.",
            True,
        ),
    ],
)
def test_graded_forms_rankings_answer_words_and_mostly_new_list_items(claim: str, quote: str, wrong: bool) -> None:
    assert bool(kinds(claim, QuoteContext(text=quote))) == wrong


@pytest.mark.parametrize(
    ("claim", "quote", "question", "wrong"),
    [
        # review of the last rules: "-er" nouns and spelling variants are not comparatives
        ("The director is the final approver of the budget.", "The director must approve the budget.", "", False),
        (
            "About 40 per cent of staff work at the data center.",
            "About 40 per cent of staff work at the data centre.",
            "",
            False,
        ),
        # an answer may repeat the question's figure to correct it
        (
            "No, it is not open until 6 pm; it closes at 5 pm.",
            "The museum is open until 5 pm.",
            "Is it open until 6 pm?",
            False,
        ),
        # a bare "No:" still answers with a negation
        ("No: directors own the budget.", "Directors own the budget.", "Do directors own the budget?", True),
    ],
)
def test_review_of_the_last_rules(claim: str, quote: str, question: str, wrong: bool) -> None:
    assert bool(kinds(claim, QuoteContext(text=quote), question)) == wrong


def test_a_plain_word_the_quote_itself_uses_is_not_a_moved_subject() -> None:
    quote = QuoteContext(
        "The VP of Sales and other directors set the budget.",
        headings="Responsibilities",
        title="Director of Sales versus Head of Sales",
    )
    assert "subject" not in kinds("Directors set the budget.", quote)


def test_except_on_a_weekday_is_not_a_weekly_frequency() -> None:
    quote = QuoteContext("The café opens daily apart from Sundays.")
    assert "unit" not in kinds("The café is open every day except on Sundays.", quote)


@pytest.mark.parametrize(
    ("claim", "quote", "question", "wrong"),
    [
        # a claim may shorten words the quote spells out in lower case to their acronym
        ("Each lead coaches a team of PMs.", "Each lead coaches a team of project managers.", "", False),
        ("It covers analytics and BI.", "It covers analytics and business intelligence.", "", False),
        ("The CFO signs the budget.", "The chief executive officer signs the budget.", "", True),
        # an answer word before a dash is no part of a name
        ("Yes — Saint-Malo hosts it every July.", "Saint-Malo hosts the fair every July.", "", False),
        # a gerund phrase is the subject, not the name inside it
        ("Becoming CFO is one route.", "• CFO", "What are the common next steps?", False),
        # "ten or more days" bounds a figure: it is "at least 10 days", not a comparison
        (
            "Unless you choose ten or more working days ahead, you get the standard model.",
            "Choose at least 10 working days ahead, otherwise you get the standard model.",
            "",
            False,
        ),
        # rankings in other words
        ("Safety is valued above every other skill.", "Safety is highly valued.", "", True),
        ("Safety is the single most essential skill.", "Safety is an essential skill.", "", True),
        ("The earliest form was the lute.", "The oldest form was the lute.", "", False),
        # opposite grades
        ("Letting go is the easiest step.", "Letting go is the hardest step.", "", True),
    ],
)
def test_acronyms_answer_words_gerunds_bounds_and_rankings(claim: str, quote: str, question: str, wrong: bool) -> None:
    assert bool(kinds(claim, QuoteContext(text=quote), question)) == wrong


def test_a_list_item_is_compared_with_its_intro_line(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    quote = QuoteContext("- taxi rides for partners or family members", lead_in="The company does not reimburse:")
    claim = "The firm won't cover what partners or family members spend on taxi rides."
    assert check_claim(claim, quote, "Can I claim my family's taxi rides?", similar=similar) == []


@pytest.mark.parametrize(
    ("claim", "quote", "question", "wrong"),
    [
        # a claim may leave out the whole phrase a name sits in, with nothing in its place
        # a name shortened to the acronym it holds
        (
            "Since 2020 the IUCN has listed it as Least Concern.",
            "Since 2020 the species has been listed as Least Concern on the IUCN Red List.",
            "",
            False,
        ),
        # a list item under a negated intro: the claim's "without" is the approval's, not the verb's
        (
            "Yes, seat upgrades are reimbursed even if they were booked without approval.",
            "- seat upgrades booked without approval",
            "",
            True,
        ),
        # temperature scales are units
        ("Iron melts at 1,538 °F.", "Iron has a melting point of 1,538 °C.", "", True),
        ("Iron melts at 1,538 degrees Celsius.", "Iron has a melting point of 1,538 °C.", "", False),
    ],
)
def test_acronym_parts_scoped_negation_and_temperature_scales(
    claim: str, quote: str, question: str, wrong: bool
) -> None:
    lead_in = "The company does not reimburse:" if quote.startswith("- ") else ""
    assert bool(kinds(claim, QuoteContext(text=quote, lead_in=lead_in), question)) == wrong


def test_a_claim_may_leave_out_the_whole_phrase_a_name_sits_in() -> None:
    quote = QuoteContext(
        "The Arno is a river in central Tuscany, flowing 900 kilometres (560 mi) from its source in the Alps to the "
        "Tyrrhenian Sea.",
        headings="Arno",
    )
    claim = "It runs 900 km (about 560 miles) from its source in the Alps down to the Tyrrhenian Sea."
    assert "name" not in kinds(claim, quote, "how long is the arno?")
    assert "name" in kinds("It runs 900 km from the Alps, through central Umbria, to the Tyrrhenian Sea.", quote)


def test_the_two_sides_of_a_comparison_may_not_trade_places() -> None:
    quote = QuoteContext("On the suite, version 4 compiled code about 35 percent faster than version 3.")
    assert "comparison" in kinds("Version 3 compiled code about 35 percent faster than version 4.", quote)
    assert kinds("Version 4 compiled code roughly 35 percent faster than version 3.", quote) == []


def test_a_leading_pronoun_is_read_as_the_quotes_subject_when_weighing_a_rewording(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    quote = QuoteContext(
        "The Karsk Mountains are a mountain range in northern Marenland that extends about 640 kilometres from "
        "northwest to southeast along the country's border with Tolvania.",
        headings="Karsk Mountains",
    )
    claim = (
        "They lie in the north of Marenland, stretching roughly 640 km from northwest to southeast along the "
        "border with Tolvania."
    )
    assert check_claim(claim, quote, "where are the karsk mountains", similar=similar) == []


@pytest.mark.parametrize(
    ("claim", "quote", "wrong"),
    [
        # review: "or more" bounds only a figure right before it
        (
            "The new bridge is longer and less costly than the old one.",
            "The new bridge is longer and more costly.",
            True,
        ),
        ("Students aged 16 or older may apply.", "Students aged 16 or younger may apply.", True),
        # review: an acronym is spelled out by words with no punctuation or function word among them
        ("In 2019 the pesticide was banned by the EU.", "In 2019 the pesticide was banned, even under pressure.", True),
        # review: a name that only looks like a gerund is still a subject
        (
            "Stirling Castle was built in 1110.",
            "Edinburgh Castle was built in 1110, while Stirling Castle is older.",
            True,
        ),
        # review: a bare "degrees" names no scale, so it agrees with °C
        ("Water boils at 100 degrees at sea level.", "At sea level water boils at 100 °C.", False),
        # review: one-word names on either side of "than"
        ("Spain exports more wine than Italy.", "Italy exports more wine than Spain.", True),
    ],
)
def test_review_of_the_sixth_round(claim: str, quote: str, wrong: bool) -> None:
    assert bool(kinds(claim, QuoteContext(text=quote))) == wrong


@pytest.mark.parametrize(
    ("claim", "negated"),
    [
        ("Taxi rides for family members are not something the company will reimburse.", False),
        ("Taxi rides for family members cannot, under any policy, be reimbursed.", False),
        ("Yes, taxi rides for family members are reimbursed even if booked without approval.", True),
    ],
)
def test_a_negation_anywhere_before_the_intros_verb_is_the_verbs(claim: str, negated: bool) -> None:
    quote = QuoteContext("- taxi rides for partners or family members", lead_in="The company does not reimburse:")
    assert ("negation" in kinds(claim, quote)) == negated


@pytest.mark.parametrize(
    ("claim", "quote", "caught"),
    [
        # new words where the name stood: a stand-in
        ("Refunds need approval from your line manager first.", "Refunds need approval from the CFO first.", True),
        ("Then the duty officer reviews the docket.", "Then Judge Okafor reviews the docket.", True),
        # the words around the name reworded or left out: nothing stands where it stood
        (
            "At the mouth, the average flow is about 2,000 cubic metres per second.",
            "At its mouth the Orinoco has an average discharge of 2,000 cubic metres per second.",
            False,
        ),
        (
            "Typical triggers are a CEO spending over 40% of their time on decisions.",
            "The trigger is typically a CEO spending over 40% of their time on decisions that a senior PM should own.",
            False,
        ),
        (
            "It runs for 1,200 km to the sea.",
            "The Tamsa is a river in northern Velland, flowing 1,200 km to the sea.",
            False,
        ),
    ],
)
def test_a_dropped_name_is_swapped_only_when_new_words_stand_where_it_stood(
    claim: str, quote: str, caught: bool
) -> None:
    assert ("name" in kinds(claim, QuoteContext(quote))) is caught


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # "no longer just X" adds to X
        (
            "You are no longer just writing code; you lead a team.",
            "The job moves beyond writing code to leading a team.",
            "negation",
            False,
        ),
        # a denial of what the quote only allows under a condition is still a denial
        (
            "Extra costs are not refunded.",
            "Extra costs are only refunded if a manager approved them.",
            "negation",
            True,
        ),
        # "earlier" compares, even without "than"
        ("Shops open earlier on weekdays.", "Shops open at 9 on weekdays.", "comparison", True),
        # a name ending its clause replaced before the word it followed
        ("Refunds need the board's approval.", "Refunds need approval from the CFO.", "name", True),
        # a list that the sentence goes on after, led by "including"
        (
            "They work with teams, including legal, design, sales, and support, to ship products.",
            "They work with teams, including legal, finance, sales, and support, to ship products.",
            "entity",
            True,
        ),
        (
            "They decide how roadmapping, prioritization, and hiring work.",
            "They decide how roadmapping works, how priorities are set, and how hiring works.",
            "entity",
            False,
        ),
        (
            "It covers analytics, BI and machine learning.",
            "It covers analytics, business intelligence and machine learning.",
            "entity",
            False,
        ),
        # a clause that only lists names says nothing of its own about the first of them
        (
            "The Tamsa's two main tributaries are the Oder and the Lune.",
            "The Tamsa has two main tributaries: the Oder and the Lune.",
            "subject",
            False,
        ),
    ],
)
def test_restrictions_times_lists_and_listed_names(claim: str, quote: str, kind: str, caught: bool) -> None:
    assert (kind in kinds(claim, QuoteContext(quote))) is caught


@pytest.mark.parametrize(
    ("claim", "caught"),
    [
        ("In essence, the Warden designs the rota.", True),  # the Keeper's fact, with the Warden's name
        ("In essence, the Warden runs the rota, and the Keeper designs it.", False),
        ("The Keeper designs the rota.", False),
    ],
)
def test_a_name_of_one_joined_unit_standing_in_for_another_units_name_is_caught(claim: str, caught: bool) -> None:
    parts = ("In essence, the Warden runs the rota.", "The Keeper designs the rota.")
    quote = QuoteContext(" ".join(parts), headings="Staffing", parts=parts)
    assert ("subject" in kinds(claim, quote)) is caught


def test_units_told_apart_only_by_a_figure_in_words_are_not_guessed_between() -> None:
    parts = ("- Birch (1st floor): 6 people", "- Cedar (1st floor): 4 people")
    quote = QuoteContext("\n".join(parts), parts=parts)
    assert kinds("Both are on the 1st floor: Birch holds six people and Cedar four.", quote) == []


def test_a_statement_joining_words_of_both_units_is_a_merge_not_a_borrowed_name() -> None:
    parts = (
        "The chief set three goals: growth, retention and mobile UX.",
        "Then she hired two new Directors and closed a Series C.",
    )
    quote = QuoteContext(" ".join(parts), parts=parts)
    claim = (
        "The chief set three goals — growth, retention and mobile UX — then hired two new Directors and closed a "
        "Series C."
    )
    assert "subject" not in kinds(claim, quote)


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # "fifty and five hundred" is two numbers, not 5500
        ("It is most common between fifty and five hundred employees.", "It is common at 50 to 500 employees.",
         "figure", False),
        ("It is most common between fifty and five hundred employees.", "It is common at 50 to 5,500 employees.",
         "figure", True),
        # a century is its hundred years
        ("It fell out of favour in the 1800s.", "It declined in the 19th century.", "figure", False),
        ("It fell out of favour in the 1700s.", "It declined in the 19th century.", "figure", True),
        # what a figure is counted per
        ("Meals are capped at EUR 60 per meal.", "Meals, per day: EUR 60", "unit", True),
        ("Meals are capped at EUR 60 per day.", "Meals, per day: EUR 60", "unit", False),
        ("Rooms cost EUR 90 per night.", "Rooms cost EUR 90 for each night.", "unit", False),
        ("About 5 per cent of it is lost.", "About 5 percent of it is lost per day.", "unit", False),
        # a bound on a figure does not let the claim compare two things
        ("The three produce more than 85 percent, with Norland producing more than the other two combined.",
         "The three produce more than 85 percent of world output.", "comparison", True),
        ("Over thirty summits rise above 3,000 m.", "More than 30 summits rise above 3,000 metres.",
         "comparison", False),
        # parallel phrases may not trade what is said of them
        ("They mediate between a finance team demanding a feature and a legal team prioritizing audits.",
         "They mediate between a legal team demanding a feature and a finance team prioritizing audits.",
         "swap", True),
        ("They mediate between a legal team that demands a feature and a finance team prioritizing audits.",
         "They mediate between a legal team demanding a feature and a finance team prioritizing audits.",
         "swap", False),
    ],
)  # fmt: skip
def test_number_words_centuries_rates_bounds_and_parallel_phrases(
    claim: str, quote: str, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, QuoteContext(quote))) is caught


def test_a_later_clause_may_not_give_the_quotes_fact_to_another_name_of_the_headings() -> None:
    quote = QuoteContext("The Head Keeper designs the rota.", headings="Chief Warden vs Head Keeper")
    assert "subject" in kinds("The Head Keeper runs the rota, whereas the Chief Warden designs it.", quote)
    assert "subject" not in kinds("The Head Keeper designs the rota, and the Head Keeper also owns it.", quote)
    # a quote that names no subject of its own leaves it to the headings
    they = QuoteContext("They design the rota.", headings="Chief Warden vs Head Keeper")
    assert "subject" not in kinds("They design the rota, and the Chief Warden owns it.", they)


def test_an_answer_word_may_be_qualified_and_a_unit_abbreviation_is_the_units_word() -> None:
    quote = QuoteContext("It is distinct from the VP role primarily in naming convention.")
    assert kinds("Largely, yes — it differs from the VP role primarily in naming convention.", quote) == []
    peak = QuoteContext("Its highest peak is Mount Tarvo, at 4,318 metres.")
    assert "clause" not in kinds("That's Mount Tarvo, at 4,318 m.", peak)


def test_a_mostly_new_stretch_between_commas_is_weighed_on_its_own(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    quote = QuoteContext(
        "They continually assess which products warrant further investment, which have reached maturity, and which "
        "should be retired."
    )
    added = (
        "They continually assess which products warrant further investment, which have reached maturity, and which "
        "should be retired, typically in a formal quarterly portfolio review."
    )
    assert "clause" in [p.kind for p in check_claim(added, quote, similar=similar)]
    reworded = "They keep judging which products deserve more investment, which are mature and which to retire."
    assert check_claim(reworded, quote, similar=similar) == []


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # a comparative repeated is the quote's comparison, not a new one
        ("The newer model is more accurate and more efficient.",
         "The newer model is more accurate and efficient.", "comparison", False),
        ("More than half of the staff work remotely.", "Over 50 percent of the staff work remotely.",
         "comparison", False),
        # a fraction before "of" and a figure is still a share, unless its parts make a whole
        ("One third of 120 staff work remotely.", "Two thirds of 120 staff work remotely.", "figure", True),
        # a total needs the count right before what the quote gives "each"
        ("The match lasts 105 minutes in all.", "A match has two halves of 35 minutes each and 3 substitutes.",
         "figure", True),
        # an answer word qualified by a word that turns it is no plain answer
        ("Rarely, yes - the Director approves new hires.", "The Director approves every new hire.",
         "negation", True),
        # rates named with a modifier or in Latin
        ("Staff get 25 days of leave per year.", "Staff get 25 days of leave per calendar year.", "unit", False),
        ("Staff earn 5 percent per year.", "Staff earn 5 percent per annum.", "unit", False),
        # "cannot … unless" is a condition too; a "without" elsewhere in the quote is not
        ("You can enter the lab without a badge.", "You cannot enter the lab unless you wear a badge.",
         "negation", True),
        ("Claims submitted without a receipt are rejected.",
         "Claims are not paid unless a receipt is attached; claims without a receipt are rejected.",
         "negation", False),
        # "Don't …" agrees only with the excess the quote names
        ("Don't hire slowly.", "Hiring too fast is a common mistake.", "negation", True),
        # a one-word activity is reworded freely; a thing is not
        ("The Director spends most time on planning, budgeting and recruiting.",
         "The Director spends most time on planning, budgeting and hiring.", "entity", False),
        # a one-word "-ing" item names a thing ("marketing"), so the list is checked item by item
        ("They work with teams, including engineering, marketing, sales, and finance, to ship.",
         "They work with teams, including engineering, marketing, sales, and support, to ship.", "entity", True),
        # a fronted "While …," clause is a clause of its own, so its subject may not trade places
        ("The Warden guards the gate, while the Keeper oversees the whole estate.",
         "While the Keeper guards the gate, the Warden oversees the whole estate.", "swap", True),
        # "not … unless" makes a condition: "without" drops it, "only" keeps it
        ("Amounts above the limit can be reimbursed without your manager's approval.",
         "Amounts above the limit are not reimbursed unless approved by your manager.", "negation", True),
        ("Amounts above the limit are only reimbursed with your manager's approval.",
         "Amounts above the limit are not reimbursed unless approved by your manager.", "negation", False),
        # "Don't …" warns against what the quote names as an excess
        ("Don't over-hire: start with one or two senior hires.",
         "Over-hiring too fast. Start with 1-2 senior hires.", "negation", False),
        ("Don't start with one or two senior hires.",
         "Over-hiring too fast. Start with 1-2 senior hires.", "negation", True),
        # a total of what the quote gives "each"
        ("Seventy minutes in all, as two 35-minute halves.", "A match has two halves of 35 minutes each.",
         "figure", False),
        ("Eighty minutes in all, as two 35-minute halves.", "A match has two halves of 35 minutes each.",
         "figure", True),
    ],
)  # fmt: skip
def test_comparisons_shares_things_in_lists_fronted_clauses_conditions_warnings_and_totals(
    claim: str, quote: str, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, QuoteContext(quote))) is caught


def test_a_name_of_the_other_unit_in_a_merge_is_caught_whatever_its_stem() -> None:
    parts = (
        "Composers such as Anna Corrette and Paul Chedeville wrote suites for it.",
        "In 1737 Chedeville published a collection under the name of Antonio Vivaldi.",
    )
    quote = QuoteContext(" ".join(parts), parts=parts)
    claim = (
        "Anna Corrette and Paul Chedeville wrote suites for it, and in 1737 Corrette published a collection "
        "under the name of Antonio Vivaldi."
    )
    assert "subject" in kinds(claim, quote)


@pytest.mark.parametrize(
    ("claim", "quote", "question", "kind", "caught"),
    [
        # what a relative clause says of one name, said of another
        ("The club grew in Oslo, which hosted the 2009 final, and in Bergen.",
         "The club grew in Bergen, which hosted the 2009 final, and in Oslo.", "", "swap", True),
        ("Anna Berg composed the suite, and Tom Lind is another known player.",
         "Known players include Tom Lind, who composed the suite, and Anna Berg.", "", "swap", True),
        ("Tom Lind composed the suite; Anna Berg is another known player.",
         "Known players include Tom Lind, who composed the suite, and Anna Berg.", "", "swap", False),
        ("The 2009 final was hosted by Bergen, and the club also grew in Oslo.",
         "The club grew in Bergen, which hosted the 2009 final, and in Oslo.", "", "swap", False),
        # quoted terms trading clauses
        ('Small shops tend to say "clerk," while large stores prefer "associate."',
         'Small shops tend to say "associate," while large stores prefer "clerk."', "", "swap", True),
        ('Large stores prefer "clerk," while small shops tend to say "associate."',
         'Small shops tend to say "associate," while large stores prefer "clerk."', "", "swap", False),
        # a term of art for another before the same word; a spelling or a common word rewords
        ("The plant makes nitric acid for export.", "The plant makes sulfuric acid for export.", "", "swap", True),
        ("The plant makes sulphuric acid for export.", "The plant makes sulfuric acid for export.", "", "swap",
         False),
        ("Their combined area has shrunk.", "Their total area has shrunk.", "", "swap", False),
        # a second predicate joined by "and", all of it new
        ("The game, played by four per side, was introduced in 2012 and now has its own league.",
         "The game, played by four per side, was introduced in 2012.", "", "clause", True),
        # examples the quote does not name
        ("They brief stakeholders, including investors, every quarter.",
         "They brief stakeholders every quarter.", "", "clause", True),
        ("They brief stakeholders, including investors, every quarter.",
         "They brief stakeholders such as investors and partners every quarter.", "", "clause", False),
        # an obligation the quote does not state
        ("A degree in chemistry is required for the job.",
         "A degree in chemistry can strengthen an application for the job.", "", "negation", True),
        ("A degree in chemistry is required for the job.",
         "Applicants must hold a degree in chemistry for the job.", "", "negation", False),
        # a frequency where the quote gives none
        ("The team sends test emails once a week.", "Use the Report button for any suspicious email.",
         "how often are test emails sent?", "figure", True),
        # "Over six months," opening a sentence is when, not a bound
        ("Over six months, sign-ups went up by 22%.", "Within six months, sign-ups rose 22%.", "",
         "comparison", False),
        ("Sign-ups rose over 22% in six months.", "Within six months, sign-ups rose 22%.", "",
         "comparison", True),
        # "better" says no direction: it does not restate "higher"; "especially" ranks the same thing only
        ("Error rates are better than before.", "Error rates are higher than before.", "", "comparison", True),
        ("Small teams value cost above all.",
         "Small teams value speed and cost; speed matters especially in early stages.", "", "comparison", True),
        ("It was revived in the 1970s, above all in Spain.", "It was revived in the 1970s, especially in Spain.",
         "", "comparison", False),
        # "Not long:" answers a how-long question before the statement
        ("Not long: most people are set up within two days.", "Most people are set up within two days.",
         "how long does set-up take?", "negation", False),
        ("Not too fast: adding five hires at once causes confusion.",
         "Hiring too fast. Adding 5 hires at once causes confusion.", "", "negation", False),
        ("Not long — most people are set up within two days.", "Most people are set up within two days.",
         "how long does set-up take?", "negation", False),
        ("Not permitted: pets in the rooms.", "Pets are permitted in all rooms.", "", "negation", True),
        # found by an independent review: a bound opening a sentence, an instruction, a describing word, an
        # unpunctuated "such as", "seven days a week", two quoted terms equated, the same verb of another thing
        ("Over six months of training is required.", "Six months of training is required.", "", "comparison",
         True),
        ("Receipts are required with the claim form.", "Attach the receipts to the claim form.", "", "negation",
         False),
        ("The bread has a crispy crust.", "The bread has a crunchy crust.", "", "swap", False),
        ("Tools such as Figma help designers collaborate.",
         "Tools such as Figma make collaboration easier for designers.", "", "clause", False),
        ("The museum is open every day.", "The museum is open seven days a week.", "", "figure", False),
        ('What Britons call a "lift" is an "elevator" in the United States.',
         'In the United States people say "elevator," while in Britain people say "lift."', "", "swap", False),
        ("Tom Lind plays the cello, and Anna Berg also plays in the band.",
         "The band includes Tom Lind, who plays the cello, and Anna Berg.", "", "swap", False),
    ],
)  # fmt: skip
def test_relative_clauses_second_predicates_examples_obligations_frequencies_and_answer_phrases(
    claim: str, quote: str, question: str, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, QuoteContext(quote), question)) is caught


@pytest.mark.parametrize(
    ("claim", "quote", "caught"),
    [
        # a name of the headings given the fact the quote gives its own subject, after an opening phrase too
        ("In most towns, a Warden signs the permits.", QuoteContext(
            "In most towns, a Clerk signs the permits.", headings="Clerk versus Warden"), True),
        ("Put simply, the Warden is the one who signs the permits.", QuoteContext(
            "The Clerk signs the permits.", headings="Clerk versus Warden"), True),
        ("In most towns, a Clerk signs the permits.", QuoteContext(
            "In most towns, a Clerk signs the permits.", headings="Clerk versus Warden"), False),
        # a list item's opening name is not its subject
        ("A Warden can go on to become a CEO.", QuoteContext(
            "• CEO (Chief Executive Officer)", headings="Clerk versus Warden", lead_in="Warden"), False),
        # an acronym the quote spells out may be its subject
        ("The IKF sets the rules of the game.", QuoteContext(
            "The International Korfball Federation (IKF) sets the rules of the game."), False),
        # a capitalised adjective before a plural noun and its verb is no name
        ("Common causes are frost and drought.", QuoteContext("The causes are frost and drought."), False),
        # "rather than only X", like "not just X", adds to X
        ("They are judged on the whole team's output, rather than only on their own work.", QuoteContext(
            "They are judged on the whole team's output—not just on their own work."), False),
        # superlatives and comparatives of any adjective
        ("It was the steepest climb of the race.", QuoteContext("It was a steep climb in the race."), True),
        ("It needs a deeper knowledge of tides and currents than most sailing does.", QuoteContext(
            "It needs a knowledge of tides and currents."), True),
        ("The honest answer is that it rains.", QuoteContext("The answer is that it rains."), False),
        # "non-" turns a word into its opposite
        ("Members pay 10 euros a visit.", QuoteContext("Non-members pay 10 euros a visit."), True),
        ("Non-members pay 10 euros a visit.", QuoteContext("Non-members pay 10 euros a visit."), False),
        # a negation of two verbs covers both: affirming one contradicts it
        ("Visitors may smoke on the terrace but may not eat there.", QuoteContext(
            "Visitors may not smoke or eat on the terrace."), True),
        ("Visitors can neither smoke nor eat on the terrace.", QuoteContext(
            "Visitors may not smoke or eat on the terrace."), False),
        # how often, where the quote gives no period
        ("Staff meet in weekly reviews.", QuoteContext("Staff meet in reviews."), True),
        ("Staff handle daily tasks such as filing.", QuoteContext("Staff handle day-to-day tasks such as filing."),
         False),
        # of joined units, a comparison is backed only by the unit its statement restates
        ("The ferry, a later addition, is the most popular crossing among commuters.", QuoteContext(
            "The oldest crossing is a stone bridge. The ferry, a later addition, is common among commuters.",
            parts=("The oldest crossing is a stone bridge.", "The ferry, a later addition, is common among commuters.")
        ), True),
        # review of the round: a unit opening with a pronoun is about what the unit before names
        ("The council-run ferry across the river is the most popular crossing.", QuoteContext(
            "The ferry, run by the city council since 1990, takes commuters across the river. It is the most "
            "popular crossing.", parts=("The ferry, run by the city council since 1990, takes commuters across "
                                         "the river.", "It is the most popular crossing.")), False),
        # review: "rather than simply X" still denies X, so a swap across it is caught
        ("Copy the text rather than simply rewriting it.", QuoteContext(
            "Rewrite the text rather than simply copying it."), True),
        # review: a passive that names the quote's subject too has turned the sentence round
        ("The Warden is paid 30,000 pounds a year by the Council.", QuoteContext(
            "The Council pays the post-holder 30,000 pounds a year.", headings="Warden"), False),
        ("Traditionally, the Warden signs the permits.", QuoteContext(
            "The Clerk signs the permits.", headings="Clerk versus Warden"), True),
        # review: nouns and "additional" are no comparatives; a superlative's synonyms agree
        ("Later, researchers found that cats sleep more than dogs.", QuoteContext(
            "Afterwards, researchers found that cats sleep more than dogs."), False),
        ("Further tests showed that cats sleep more than dogs.", QuoteContext(
            "Additional tests showed that cats sleep more than dogs."), False),
        ("The latest version is free.", QuoteContext("The newest version is free."), False),
        # review: a frequency said in other words, and "annual" as part of a term
        ("The team meets daily.", QuoteContext("The team meets every morning."), False),
        ("Staff get 25 days of annual leave.", QuoteContext("Staff get 25 days of paid holiday."), False),
        ("Staff meet in quarterly reviews at headquarters.", QuoteContext("Staff meet in reviews at headquarters."),
         True),
        # review: a bare word negated in its clause agrees with "non-"
        ("The service runs from Leeds to York without a stop.", QuoteContext(
            "The non-stop service runs from Leeds to York."), False),
        # review: a negated pair is contradicted only by the verb affirmed, not by a noun of the same stem
        ("Forms are returned when they are not signed, and also when the date is missing.", QuoteContext(
            "A form that is not signed or dated is returned."), False),
    ],
)  # fmt: skip
def test_tenth_round_subjects_superlatives_prefixes_paired_negations_and_joined_comparisons(
    claim: str, quote: QuoteContext, caught: bool
) -> None:
    assert bool(kinds(claim, quote)) is caught


@pytest.mark.parametrize(
    ("claim", "quote", "kept"),
    [
        # a relative clause of new words says something of its own about the word before it
        ("It occurs in about 65 different minerals, including vanadinite, patronite and carnotite, which is also "
         "mined as a uranium ore, as well as in crude oil, coal and titanomagnetite ores.",
         "It is found in about 65 different minerals, including vanadinite, patronite and carnotite, as well as "
         "in crude oil, coal and titanomagnetite ores.", False),
        # unless it rewords the quote's own relative clause on that word
        ("The only other winner is Brill, which took the title in 1991.",
         "The only other winner is Brill, which won in 1991.", True),
    ],
)  # fmt: skip
def test_a_relative_clause_of_new_words_is_no_rewording(embedder, claim: str, quote: str, kept: bool) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    assert (check_claim(claim, QuoteContext(quote), similar=similar) == []) is kept


@pytest.mark.parametrize(
    ("claim", "quote", "caught"),
    [
        # a column's name is whom a clause is about: its words are no cell's ("head" in "head counts")
        ("For a Head of Parks, the main tasks are dock dues and boat moorings.", QuoteContext(
            "Main tasks Tree care, head counts Dock dues, boat moorings",
            headings="Aspect Head of Parks Head of Docks. Duties: Head of Parks vs Head of Docks",
            table_row=True, table_header="Aspect Head of Parks Head of Docks"), True),
        ("For a Head of Parks, the main tasks are tree care and head counts.", QuoteContext(
            "Main tasks Tree care, head counts Dock dues, boat moorings",
            headings="Aspect Head of Parks Head of Docks. Duties: Head of Parks vs Head of Docks",
            table_row=True, table_header="Aspect Head of Parks Head of Docks"), False),
        # an adverb opening the sentence is no name
        ("Roughly half the members live in Leeds.", QuoteContext("About half the members live in Leeds."), False),
        # a purpose opens no subject: the subject after it is checked
        ("To move up, a Head Warden must pass a written exam.", QuoteContext(
            "• Must pass a written exam", headings="Career paths. Park Clerk", lead_in="Park Clerk",
            title="Park Clerk vs Head Warden"), True),
        ("To move up, a Park Clerk must pass a written exam.", QuoteContext(
            "• Must pass a written exam", headings="Career paths. Park Clerk", lead_in="Park Clerk",
            title="Park Clerk vs Head Warden"), False),
        # "independently" is the opposite of "closely"
        ("They plan the routes largely independently of the drivers.", QuoteContext(
            "They work closely with the drivers to plan the routes."), True),
        # a dash parts two statements: the negation is the last one's
        ("When you're 'marked' — meaning an opponent is close and facing you — you can't make a throw.",
         QuoteContext('A player is not allowed to throw when they are "marked", which means an opponent is close '
                      "and facing them."), False),
        ("No; travel insurance isn't reimbursed.", QuoteContext(
            "- travel insurance", lead_in="The company does not reimburse:"), False),
        # "one" stands for the name; the name's open place ends at the quote's next word
        ("A good one pushes for staff to join the planning, and shields teams from sudden changes.", QuoteContext(
            "A good Head Warden fights for staff involvement in planning, and shields teams from sudden changes."),
         False),
        # a list's first item may end a longer piece
        ("They bring a strong legal background, often with experience in contract law, litigation or tax planning.",
         QuoteContext("Clerks have a strong legal background, often with experience in contract law, litigation, "
                      "or property law."), True),
        # two compounds of one head word are two kinds of it
        ("A seed-stage healthtech startup hired five nurses.", QuoteContext(
            "A seed-stage fintech startup hired five nurses."), True),
        # of joined units, the subject of one given to the other's statement
        ("Staff use the Guest network, whose password changes every week.", QuoteContext(
            "Staff connect to the Office network with their login. Visitors use the Guest network, whose password "
            "changes every week.", parts=("Staff connect to the Office network with their login.",
                                           "Visitors use the Guest network, whose password changes every week.")),
         True),
        ("Staff connect to the Office network with their login, while visitors use the Guest network.",
         QuoteContext("Staff connect to the Office network with their login. Visitors use the Guest network, whose "
                      "password changes every week.", parts=(
                          "Staff connect to the Office network with their login.",
                          "Visitors use the Guest network, whose password changes every week.")), False),
        # of joined units the claim restates one: the other lends it no words for a clause of its own
        ("Beach games, played on sand, were introduced in 2012 and now have their own world cup.", QuoteContext(
            "Outside Europe it has grown quickly in Spain and Peru, which hosted the World Games event in 2009. "
            "Beach games, played on sand, were introduced in 2012.", parts=(
                "Outside Europe it has grown quickly in Spain and Peru, which hosted the World Games event in 2009.",
                                          "Beach games, played on sand, were introduced in 2012.")), True),
        # "GPs and Senior GPs" are two names, each an acronym of the quote's
        ("It hires GPs and Senior GPs.", QuoteContext(
            "It hires General Practitioners and Senior General Practitioners."), False),
    ],
)  # fmt: skip
def test_eleventh_round_columns_openers_dashes_stand_ins_lists_compounds_and_joined_units(
    claim: str, quote: QuoteContext, caught: bool
) -> None:
    assert bool(kinds(claim, quote)) is caught


def test_the_open_place_of_a_left_out_name_ends_at_the_quotes_next_word() -> None:
    quote = QuoteContext(
        "At its mouth the Arno has an average discharge of 120 cubic metres per second, with floods that can exceed "
        "900 cubic metres per second."
    )
    answer = "On average 120 m³ per second at the mouth, while floods can top 900 m³ per second."
    assert "name" not in kinds(answer, quote)
    assert "name" in kinds("At the mouth the Po has an average discharge of 120 cubic metres per second.", quote)


@pytest.mark.parametrize(
    ("claim", "quote"),
    [
        # a predicate added to a statement that says all of the quote
        ("On the test suite, version 4 compiled code about 35 percent faster than version 3, mainly thanks to "
         "incremental builds and a new parallel linker.", "On the test suite, version 4 compiled code about 35 "
         "percent faster than version 3, mainly thanks to incremental builds."),
        ("Staff steer the plan, make sure it matches the firm's goals and market demands, and usually sit on the "
         "board.", "Staff are responsible for steering the plan and ensuring that it matches the firm's goals and "
         "market demands."),
    ],
)  # fmt: skip
def test_a_predicate_added_to_all_the_quote_says_is_dropped(embedder, claim: str, quote: str) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    assert check_claim(claim, QuoteContext(quote), similar=similar)


def test_bare_hours_match_the_quotes_clock_times() -> None:
    quote = QuoteContext("The desk is open Monday to Friday from 09:00 to 17:00.")
    assert "figure" not in kinds("The desk is open on weekdays between 9 and 5.", quote)
    assert "figure" in kinds("The desk is open on weekdays between 9 and 6.", quote)
    assert "figure" in kinds("The desk is open on weekdays from 8 to 5.", quote)


@pytest.mark.parametrize(
    ("claim", "quote", "question", "kind", "caught"),
    [
        # one claim statement restating a negated statement of the quote it did not align with best
        ("The top floor, home to the library, has a reading room where you can talk.",
         QuoteContext("The top floor has the library and a reading room where talking is not allowed."), "",
         "negation", True),
        # a number word before a qualified unit is a figure
        ("Book at least two working days ahead.", QuoteContext("Book at least 5 working days ahead."), "", "figure",
         True),
        # "outside" is the opposite of "within"
        ("It usually sits outside the upper ranks of the firm, typically in large companies.",
         QuoteContext("It often resides in the upper ranks of the firm, usually within large companies."), "",
         "negation", True),
        # "For a X, …" gives the fact to X: a name there must be the quote's or its headings'
        ("For a Head Warden, becoming Mayor is a common next step.", QuoteContext(
            "• Mayor", headings="Career paths. Park Clerk", lead_in="Park Clerk", title="Park Clerk vs Head Warden"),
         "what comes next for a head warden?", "subject", True),
        ("For a Park Clerk, becoming Mayor is a common next step.", QuoteContext(
            "• Mayor", headings="Career paths. Park Clerk", lead_in="Park Clerk", title="Park Clerk vs Head Warden"),
         "what comes next for a park clerk?", "subject", False),
        # the headings' name is whom the quote is about, not a stand-in for a name the question gives
        ("That's the Head Warden's call, along with budgets and staffing.", QuoteContext(
            "• Makes calls on budgets, staffing, or NHS contracts", headings="Duties. Head Warden",
            lead_in="Head Warden"), "who decides on NHS contracts?", "name", False),
        # a list item spelling out the quote's acronym is no new item
        ("They work with site managers, design leads and sales teams.",
         QuoteContext("They work with SMs, design leads, and sales teams."), "", "entity", False),
        # "A good deal:" answers how much before the statement
        ("A good deal: they manage large budgets.", QuoteContext("They manage large budgets."), "", "clause", False),
        # a bare "earlier" says when, it compares nothing
        ("Earlier samples had in fact been a nitride.",
         QuoteContext("Until then, samples described as the metal had in fact been a nitride."), "", "comparison",
         False),
    ],
)  # fmt: skip
def test_twelfth_round_negated_statements_qualified_units_opposites_beneficiaries_and_answer_openers(
    claim: str, quote: QuoteContext, question: str, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, quote, question)) is caught


def test_a_second_predicate_is_an_addition_where_the_claim_rewords_a_few_of_the_quotes_words() -> None:
    claim = (
        "Yes — beach games, with six players a side on sand, were introduced in 2012 and now have their own world cup."
    )
    problems = check_claim(
        claim, QuoteContext("Beach games, played with six players per team on sand, were introduced in 2012.")
    )
    assert any("world cup" in problem.detail for problem in problems)


@pytest.mark.parametrize(
    ("claim", "quote", "parts", "caught"),
    [
        # found by an independent review of the eleventh round
        ("The committee operates independently from management.",
         "The committee operates independently of management.", (), False),
        ("When you are marked you can shoot.", "When you are marked - within arm's reach - you cannot shoot.", (),
         True),
        ("All members but not guests may use the pool.", "All members — but not guests — may use the pool.", (),
         False),
        ("The shop opens at 5.", "The shop opens at 09:00 and closes at 17:00.", (), True),
        ("The shop is open between 5 and 9.", "The shop opens at 09:00 and closes at 17:00.", (), True),
        ("Students pay the fee online.", "Students must register by 1 May. Payment of the fee is made online.",
         ("Students must register by 1 May.", "Payment of the fee is made online."), False),
        ("The museum opens at 10 every day except Monday, and it offers guided tours in Spanish.",
         "The museum opens at 10 every day except Monday. Guided tours are offered in English, Spanish, French and "
         "German, and audio guides in twelve languages can be hired at the front desk for a small deposit.",
         ("The museum opens at 10 every day except Monday.", "Guided tours are offered in English, Spanish, French "
          "and German, and audio guides in twelve languages can be hired at the front desk for a small deposit."),
         False),
        ("Projects that the finance office funds need sign-off from the finance director.",
         "Projects that the finance office funds need sign-off from the CEO.", (), True),
        ("It offers countrywide coverage.", "It offers nationwide coverage.", (), False),
    ],
)  # fmt: skip
def test_review_of_the_eleventh_round(claim: str, quote: str, parts: tuple[str, ...], caught: bool) -> None:
    assert bool(kinds(claim, QuoteContext(quote, parts=parts))) is caught


TWO_POINTS = QuoteContext("Tin has a melting point of 232 °C and a boiling point of 2,602 °C.")


@pytest.mark.parametrize(
    ("claim", "quote", "question", "kind", "caught"),
    [
        # a figure said of what the quote gives another figure
        ("Tin melts at 2,602 °C and boils at 232 °C.", TWO_POINTS, "", "swap", True),
        ("Tin boils at 2,602 °C, and its melting point is 232 °C.", TWO_POINTS, "", "swap", False),
        ("Tin only turns to gas at 2,602 °C.", TWO_POINTS, "", "swap", False),
        # words further back may still be about the figure before (found on the dev files)
        ("The wall runs 118 km along the old border and is between 3 and 6 m wide.",
         QuoteContext("The wall is a fortification in the north that runs about 118 kilometres along the old "
                      "border. It is between 3 and 6 metres wide."), "", "swap", False),
        ("Two teachers joined the school in 1998, and within a year three classes had been added.",
         QuoteContext("In 1998 the school took on two teachers and a library. Three classes were added within a "
                      "year."), "", "swap", False),
        ("Its basin spans roughly 4,000 km², about a tenth of the region.",
         QuoteContext("Its basin covers about 4,000 square kilometres, roughly a tenth of the region."), "", "swap",
         False),
        # an area is not a length, nor another area
        ("Each herd ranges over 20 to 40 hectares.",
         QuoteContext("Each herd ranges over 20 to 40 square kilometres."), "", "unit", True),
        ("Each herd ranges over 20 to 40 km².",
         QuoteContext("Each herd ranges over 20 to 40 square kilometres."), "", "unit", False),
        ("Each herd ranges over 20 to 40 km.",
         QuoteContext("Each herd ranges over 20 to 40 square kilometres."), "", "unit", True),
        ("The spring gives 15 m³ a second.", QuoteContext("The spring gives 15 cubic metres a second."), "", "unit",
         False),
        # "than" must compare with something the quote names
        ("The coating makes glass harder and more scratch-resistant than ceramic coatings do.",
         QuoteContext("The coating makes glass harder and more resistant to scratches."), "", "comparison", True),
        ("The coating makes glass more resistant to scratches than it was before.",
         QuoteContext("The coating makes glass harder and more resistant to scratches."), "", "comparison", False),
        ("Hard wax is heavier than soft paraffin.",
         QuoteContext("Hard wax is heavier than plain paraffin."), "", "comparison", False),
        # "get the most out of" uses something fully; it ranks nothing
        ("Their aim is to get the most reach out of each campaign.",
         QuoteContext("They aim to maximise the reach of each campaign."), "", "comparison", False),
        ("Their aim is to reach the most readers of any campaign.",
         QuoteContext("They aim to maximise the reach of each campaign."), "", "comparison", True),
        # an answer word after a scope: the statement follows it
        ("In most towns, no — the two offices are merged and both handle permits.",
         QuoteContext("In most towns, the offices are merged -- both handle permits."), "is there any difference?",
         "negation", False),
        ("In most towns, no — the two offices are not merged.",
         QuoteContext("In most towns, the offices are merged -- both handle permits."), "is there any difference?",
         "negation", True),
    ],
)  # fmt: skip
def test_thirteenth_round_figures_of_other_things_area_units_comparison_standards_and_scoped_answers(
    claim: str, quote: QuoteContext, question: str, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, quote, question)) is caught


@pytest.mark.parametrize(
    ("claim", "quote", "caught"),
    [
        # found by an independent review of the thirteenth round: the subject opening a sentence stands
        # before its first figure, whichever figure the claim puts first
        ("The company has been around since 1985 and employs 300 people.",
         "The company employs 300 people and was founded in 1985.", False),
        ("The lake is 300 m deep at most and 80 km long.",
         "The lake is 80 km long and has a maximum depth of 300 m.", False),
        # "the most X of any" ranks; only "the most (X) out of" and "the most of" use something fully
        ("He made the most appearances of any player in club history.", "He made 500 appearances for the club.",
         True),
        # standards that name no thing: the past, the plan, and units the figure check compares
        ("The office now closes earlier than it used to.", "The office now closes earlier.", False),
        ("The office now closes earlier than originally planned.", "The office now closes earlier.", False),
        ("The office now closes earlier than in previous years.", "The office now closes earlier.", False),
        ("The bridge took no longer than a year to build.", "The bridge took at most twelve months to build.",
         False),
    ],
)  # fmt: skip
def test_review_of_the_thirteenth_round(claim: str, quote: str, caught: bool) -> None:
    assert bool(kinds(claim, QuoteContext(quote))) is caught


FAIRS = QuoteContext("Oslo hosts the spring fair every April, while Bergen holds the autumn market by the harbour.")
NOT_REFUNDED = QuoteContext(
    "- upgrades booked without approval\n- personal travel insurance",
    lead_in="The company does not reimburse:",
    parts=("- upgrades booked without approval", "- personal travel insurance"),
)


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # what one clause says of its name, said of another name of the quote
        ("Oslo holds the autumn market by the harbour.", FAIRS, "swap", True),
        ("Oslo, which also hosts the spring fair, holds the autumn market by the harbour.", FAIRS, "swap", True),
        ("Bergen holds the autumn market by the harbour.", FAIRS, "swap", False),
        ("Oslo hosts the spring fair in April, and Bergen holds the autumn market.", FAIRS, "swap", False),
        # a name inside the quote clause's longer name is that clause's own
        ("In 1901 Lund published a book of the songs.",
         QuoteContext("Composers such as Anna Berg and Tom Lund wrote songs for it. In 1901 Lund published a book "
                      "of the songs."), "swap", False),
        # of two list items under a denying intro, one with a "without" of its own, the other is still denied
        ("Personal travel insurance can be claimed back.", NOT_REFUNDED, "negation", True),
        ("Personal travel insurance is not reimbursed.", NOT_REFUNDED, "negation", False),
        # found by an independent review of this round: the owner is the clause's opening subject, not a
        # place or thing it also names, and "or" before a consequence is no negation of the instruction
        ("Mozart composed his most famous operas there.",
         QuoteContext("Mozart was born in Salzburg in 1756. He moved to Vienna in 1781 and composed his most "
                      "famous operas there."), "swap", False),
        ("Acme moved its headquarters to a larger office in 2010.",
         QuoteContext("Acme was founded by John Smith in 1990. The company moved its headquarters to a larger "
                      "office in Boston in 2010."), "swap", False),
        ("Rooms must be booked by Friday.",
         QuoteContext("Book your room by Friday, or you'll be given the default room."), "negation", False),
        ("You can collect the card in person or have it posted to you.",
         QuoteContext("You can collect the card in person, or we will post it to you."), "negation", False),
        # "most of all" / "above all" single one thing out: the quote must too
        ("It is popular in Europe, above all in France and Spain.",
         QuoteContext("It is popular in Europe, especially in France and Spain."), "comparison", False),
        ("It is popular in France, Spain and, most of all, Italy.",
         QuoteContext("It is popular in France, Spain and Italy."), "comparison", True),
        # "half that of" makes a multiple of what the quote only ranks
        ("Its density is 3.1 g/cm3, roughly half that of copper.",
         QuoteContext("Its density is 3.1 g/cm3, lower than that of copper."), "comparison", True),
        ("Its density is 3.1 g/cm3, roughly half that of copper.",
         QuoteContext("Its density is 3.1 g/cm3, about half that of copper."), "comparison", False),
        # a superlative of another measure than the quote's
        ("Its basin is the largest of any river in the province.",
         QuoteContext("It is the longest river of the province. Its basin covers 9,000 km²."), "comparison", True),
        ("It is the biggest lake in the province.",
         QuoteContext("It is the largest lake in the province."), "comparison", False),
        # an activity given as an example ("including repainting …") is a fact of its own
        ("The office looks after the building, including repainting the walls.",
         QuoteContext("The office looks after the building."), "clause", True),
        ("The office looks after the building, including repainting the walls.",
         QuoteContext("The office looks after the building, including repainting the walls and fixing the roof."),
         "clause", False),
        # a noun of the quote said as a verb, and "-ing" words that are no activity
        ("The caretaker has many duties, including maintaining the heating system.",
         QuoteContext("The caretaker's duties include the maintenance of the heating system."), "clause", False),
        ("The fee covers all costs, including everything from tuition to meals.",
         QuoteContext("The fee covers all costs: tuition, books and meals."), "clause", False),
    ],
)  # fmt: skip
def test_fourteenth_round_moved_predicates_denied_items_singled_out_and_activities(
    claim: str, quote: QuoteContext, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, quote)) is caught


BUDGET = QuoteContext(
    "The Treasurer owns the yearly budget. They decide how many Clerks are hired.",
    parts=("The Treasurer owns the yearly budget.", "They decide how many Clerks are hired."),
)
CLUBS = QuoteContext(
    "The sport is most popular in Norway, which has about 9,000 registered players in 80 clubs, and in Sweden."
)


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # what "which has …" says of one name, said of another name of the quote that the claim names alone
        ("Sweden has about 9,000 registered players in 80 clubs.", CLUBS, "swap", True),
        ("Norway has about 9,000 registered players in 80 clubs.", CLUBS, "swap", False),
        ("Sweden hosted the final.",
         QuoteContext("It was played in Norway, which hosted the final, and in Sweden."), "swap", True),
        ("Sweden is a popular destination for skiers.",
         QuoteContext("The tour visits Norway, which is a popular destination for skiers, and Sweden."), "swap",
         True),
        # a copula takes almost anything: one shared word after it ties nothing to the other name
        ("Sweden is popular with walkers.",
         QuoteContext("The tour visits Norway, which is a popular destination for skiers, and Sweden."), "swap",
         False),
        ("Sweden has a long coastline.",
         QuoteContext("The tour visits Norway, which has many fjords, and Sweden."), "swap", False),
        # parallel relative clauses each have their owner; "X lies in Y and is …" is X's
        ("Bergen has a population of about 290,000.",
         QuoteContext("The largest cities are Oslo, which has a population of about 700,000, and Bergen, which "
                      "has a population of about 290,000."), "swap", False),
        ("Bergen lies in Norway and is its second largest city.",
         QuoteContext("The festival is held in Bergen, which is the second largest city in Norway."), "swap", False),
        # of joined units, the claim's subject is a title the other unit only mentions
        ("Clerks own the yearly budget.", BUDGET, "subject", True),
        ("The Treasurer owns the yearly budget and decides how many Clerks are hired.", BUDGET, "subject", False),
        # a plain word there is what the unit refers back to
        ("Laptops can be borrowed for two weeks.",
         QuoteContext("The library lends laptops to members. Each device can be borrowed for two weeks.",
                      parts=("The library lends laptops to members.", "Each device can be borrowed for two weeks.")),
         "subject", False),
        # a gerund phrase opening the sentence is its subject, not the title inside it
        ("Reaching Senior Engineer level usually takes five years of experience.",
         QuoteContext("Engineers usually reach the Senior Engineer level after five years of experience."),
         "subject", False),
        # a name that opens with an "-ing" word is still a name
        ("Engineering Managers own the hiring plan.",
         QuoteContext("Product Managers own the hiring plan.", headings="Product Managers. Engineering Managers"),
         "subject", True),
        ("Senior Engineers usually take five years to reach the level.",
         QuoteContext("Staff Engineers usually reach that level after five years of experience.",
                      headings="Staff Engineer. Senior Engineer"), "subject", True),
    ],
)  # fmt: skip
def test_fifteenth_round_relative_clauses_and_gerund_subjects(
    claim: str, quote: QuoteContext, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, quote)) is caught


@pytest.mark.parametrize(
    ("claim", "quote", "caught"),
    [
        # an aside set off by dashes or brackets, none of whose words the quote has, adds a thing of its own
        ("The desk serves staff in finance, sales and support — and often visitors — every weekday.",
         QuoteContext("The desk serves staff in finance, sales and support every weekday."), True),
        ("The desk serves staff in finance, sales and support (and visitors) every weekday.",
         QuoteContext("The desk serves staff in finance, sales and support every weekday."), True),
        # an aside in the quote's words, a figure's conversion, or an alternative it offers are no additions
        ("The desk serves staff — finance, sales and support — every weekday.",
         QuoteContext("The desk serves staff in finance, sales and support every weekday."), False),
        ("The trail runs 12 km (7.5 miles) along the coast.",
         QuoteContext("The trail runs 12 km along the coast."), False),
        ("Most hires have five years of engineering (or comparable) experience.",
         QuoteContext("Most hires have five years of engineering experience."), False),
    ],
)  # fmt: skip
def test_sixteenth_round_an_aside_of_new_words_adds_a_fact(claim: str, quote: QuoteContext, caught: bool) -> None:
    assert ("clause" in kinds(claim, quote)) is caught


def test_sixteenth_round_a_stretch_added_to_the_quote_is_not_forgiven_as_a_rewording(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    quote = QuoteContext("Annual production was about 40,000 tonnes in 2021.")
    # New words spread out ("by-product" shares a stem with "production") read as a rewording of the whole, and
    # the whole stays close to the quote it repeats; the added stretch alone does not.
    added = (
        "Annual production was about 40,000 tonnes in 2021, most of it recovered as a by-product of copper smelting."
    )
    assert "clause" in [p.kind for p in check_claim(added, quote, similar=similar)]
    assert check_claim("Output came to roughly 40,000 tonnes a year in 2021.", quote, similar=similar) == []


def test_sixteenth_round_the_quotes_subject_alone_does_not_make_a_clause_close(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    first = "The Harbour Master is responsible for the safety of every vessel in the port."
    second = "They coordinate pilots, tugs and berth assignments for incoming ships."
    quote = QuoteContext(f"{first} {second}", parts=(first, second))
    added = (
        "They coordinate pilots, tugs and berth assignments for incoming ships, and they usually hold a seat on the "
        "town council."
    )
    assert "clause" in [p.kind for p in check_claim(added, quote, similar=similar)]
    reworded = "They coordinate pilots, tugs and berths for arriving ships, and they keep all vessels in port safe."
    assert check_claim(reworded, quote, similar=similar) == []


@pytest.mark.parametrize(
    ("claim", "quote", "caught"),
    [
        # the opposite word of the quote clause the claim restates
        ("The two offices work in largely the same way.", "The two offices work in very different ways.", True),
        ("The screws at the top of the frame are tight.", "The screws at the top of the frame are loose.", True),
        ("The otter is a social animal.", "The otter is a solitary animal.", True),
        ("Since then the herd has begun to recover.", "Since then the herd has declined.", True),
        ("Bus services are rare on Sundays.", "Bus services are common on Sundays.", True),
        # the same thing said the other way round, or both words in the quote
        ("The two offices work in different ways.", "The two offices do not work in the same way.", False),
        ("Both offices open at the same hour.", "Both offices open at the same hour, though their staff differ.",
         False),
        ("Exports rose while imports fell.", "Imports fell while exports rose.", False),
    ],
)  # fmt: skip
def test_sixteenth_round_opposite_words_of_general_english(claim: str, quote: str, caught: bool) -> None:
    assert ("negation" in kinds(claim, QuoteContext(quote))) is caught


def test_sixteenth_round_a_quote_that_shares_only_names_with_the_claim_supports_nothing(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    question = "Who chairs the regatta committee?"
    port = QuoteContext("In short, the Harbour Master runs the port.")
    # every word but the name comes from the question
    assert "clause" in kinds("The Harbour Master chairs the regatta committee.", port, question)
    assert kinds("The Harbour Master runs the port.", port, question) == []
    # a quote of names alone has nothing else to share
    assert kinds("One next step is Chief Engineer.", QuoteContext("• Chief Engineer")) == []
    # the question's words for the quote's: close in meaning, so a rewording
    trips = QuoteContext("The Bursar signs off on all business trips.")
    assert check_claim("The Bursar approves travel.", trips, "who approves travel?", similar=similar) == []
    assert "clause" in kinds("The Bursar approves travel.", trips, "who approves travel?")  # no second opinion


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # asides that gloss, abbreviate or remark add nothing; an adding one does, with dashes unspaced or brackets
        ("The United Nations (UN) was founded in 1945.", "The United Nations was founded in 1945.", "clause", False),
        ("Receipts — crucially — must be originals.", "Receipts must be originals.", "clause", False),
        ("Staff accrue annual leave (holiday) at two days a month.", "Staff accrue annual leave at two days a month.",
         "clause", False),
        ("The castle—and its gardens—overlooks the river.", "The castle overlooks the river.", "clause", True),
        ("The gym is free for employees [and contractors].", "The gym is free for employees.", "clause", True),
        # converses restate each other with the roles swapped; words with another sense are no opposites
        ("Members can borrow up to ten books.", "The library lends members up to ten books.", "negation", False),
        ("Cairo lies downstream of Aswan.", "Aswan lies upstream of Cairo.", "negation", False),
        ("The engineer fixed the wobbly shelf.", "The engineer tightened the loose shelf.", "negation", False),
        # "not" one word of a pair says the other only where the pair has no third option
        ("Staff may not work from home in winter.", "Staff may work from home in summer.", "negation", True),
        ("The seller does not pay the fee.", "The buyer pays the fee.", "negation", True),
    ],
)  # fmt: skip
def test_sixteenth_round_review_asides_converses_and_complements(
    claim: str, quote: str, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, QuoteContext(quote))) is caught


@pytest.mark.parametrize(
    ("claim", "quote"),
    [
        # a condition reworded after a comma: the claim is about as close to the quote without it
        ("Employees may work remotely two days a week, provided their line manager signs off in writing.",
         "Employees may work remotely up to two days a week with the written approval of their manager."),
        ("Children under 12 travel free, provided a fare-paying grown-up accompanies them.",
         "Children under 12 travel free when accompanied by a paying adult."),
        # no word shared, but close in meaning once the quote's subject is read into "They"
        ("They must be approved by a line manager beforehand.",
         "Overtime hours require prior sign-off from your supervisor."),
    ],
)  # fmt: skip
def test_sixteenth_round_review_faithful_rewordings_stay(claim: str, quote: str, embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    assert check_claim(claim, QuoteContext(quote), similar=similar) == []


FLOORS = "The upper floors house offices and meeting rooms, while the ground floor holds shops and a cafe."


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # one clause's subject given what the other clause says of its own subject
        ("The ground floor houses offices and meeting rooms.", FLOORS, "swap", True),
        ("The upper floors hold shops and a cafe.", FLOORS, "swap", True),
        ("The ground floor holds shops and a cafe.", FLOORS, "swap", False),
        ("Unlike the ground floor, the upper floors house offices and meeting rooms.", FLOORS, "swap", False),
        # a pronoun clause says its fact of the name before it, and a joined clause may keep both subjects
        ("Mozart composed his most famous operas there.",
         "Mozart was born in Salzburg in 1756. He moved to Vienna in 1781 and composed his most famous operas there.",
         "swap", False),
        ("The hall has 300 seats, whose upholstery was replaced in 2019.",
         "The hall has 300 seats, but their upholstery was replaced in 2019.", "swap", False),
        # a hyphenated compound with another first word
        ("Entry-level nurses run the night shift.", "Mid-level nurses run the night shift.", "entity", True),
        ("The plan sets short-term goals for the team.", "The plan sets long-term goals for the team.", "entity", True),
        ("It is a one-player game.", "It is a single-player game.", "entity", False),  # a figure, checked as one
        ("Mid-level nurses run the night shift.", "Mid-level nurses run the night shift.", "entity", False),
        # a superlative without "the"
        ("The bridge is most crowded at weekends.", "The bridge is crowded at weekends and on holidays.",
         "comparison", True),
        ("Sturgeon matter to the fishery, but salmon matter most of all.", "Sturgeon and salmon sustain the fishery.",
         "comparison", True),
        ("The sport is most popular in Flanders.", "The sport is most popular in Flanders.", "comparison", False),
        ("This is most likely a clerical error.", "This is a clerical error.", "comparison", False),  # a hedge
        # a condition the quote sets, waived
        ("Late claims are still paid, even without a manager's sign-off.",
         "Late claims are not paid unless a manager signs them off.", "negation", True),
        ("Late claims are paid regardless of who signs them off.",
         "Late claims are paid only if a manager signs them off.", "negation", True),
        ("Late claims are paid only with a manager's sign-off.",
         "Late claims are not paid unless a manager signs them off.", "negation", False),
    ],
)  # fmt: skip
def test_seventeenth_round_moved_openers_compounds_superlatives_and_waived_conditions(
    claim: str, quote: str, kind: str, caught: bool
) -> None:
    assert (kind in kinds(claim, QuoteContext(quote))) is caught


def test_seventeenth_round_an_acronym_may_keep_the_initial_of_a_joining_word() -> None:
    quote = QuoteContext("The Head of Customer Success signs every renewal.")
    assert kinds("The HOCS signs every renewal.", quote) == []
    assert "name" in kinds("The HOCT signs every renewal.", quote)


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # found by an independent review of this round: parallel one-word subjects are caught; a semicolon may
        # only go on to the next thing, and a word of the claim's own may name the other subject anew
        ("Cats need daily walks.", "Dogs need daily walks, whereas cats are happy indoors.", "swap", True),
        ("The company moved to Boston in 2005.",
         "The company was founded in 1990; the head office moved to Boston in 2005.", "swap", False),
        ("The firm moved its headquarters to Boston in 2005.",
         "The firm was founded in 1990, but the head office moved to Boston in 2005.", "swap", False),
        # a compound whose first part the quote has, or one of three parts, is the quote's own wording
        ("The role is full-time.", "The role is full time; part-time options exist.", "entity", False),
        ("Meetings are face-to-face.", "Meetings are held face to face, with day-to-day updates by email.",
         "entity", False),
        ("The office is dog-friendly.", "Dogs are welcome in the office, which is also wheelchair-friendly.",
         "entity", False),
        # a waiver the quote makes itself, a condition about something else, and "as long as" that compares
        ("Pools stay open even when it rains.", "Pools stay open even when it rains, unless there is lightning.",
         "negation", False),
        ("Cats are welcome regardless of breed.", "Dogs must be leashed unless on a farm. Cats are welcome.",
         "negation", False),
        ("The bridge stays open even when it snows.",
         "The bridge is twice as long as the tunnel and stays open even when it snows.", "negation", False),
        # "most" that quantifies, intensifies or orders the speaker's points; a superlative the quote states
        ("Salaries are most of the budget.", "Salaries make up most of the budget.", "comparison", False),
        ("Staff are most welcome to bring guests.", "Staff are welcome to bring guests.", "comparison", False),
        ("Visitors should be most careful near the cliff edge.",
         "Visitors should take particular care near the cliff edge.", "comparison", False),
        ("Most of all, the policy aims to keep staff safe.", "Above all, the policy aims to keep staff safe.",
         "comparison", False),
        ("The species is most active at dawn.", "The species feeds mostly at dawn, when it is most active.",
         "comparison", False),
        ("The scheme helps first-time buyers most.", "The scheme helps first-time buyers.", "comparison", True),
    ],
)  # fmt: skip
def test_seventeenth_round_review_fixes(claim: str, quote: str, kind: str, caught: bool) -> None:
    assert (kind in kinds(claim, QuoteContext(quote))) is caught


def test_seventeenth_round_review_an_acronym_does_not_run_across_a_sentence_end() -> None:
    quote = QuoteContext("It reports to the Marketing Team. The Board meets monthly.")
    assert "name" in kinds("The MTB meets monthly.", quote)
    assert kinds("The MT meets monthly.", QuoteContext("The Marketing Team meets monthly.")) == []


def test_seventeenth_round_a_condition_stays_with_its_alternative_and_a_headings_compound_counts() -> None:
    delivery = QuoteContext("Parcels are left at the front desk, or sent to your home address if you work remotely.")
    assert "swap" in kinds("Parcels are sent to your home address, or left at the front desk if you work remotely.",
                           delivery)  # fmt: skip
    assert kinds("Parcels go to the front desk, or to your home address if you work remotely.", delivery) == []
    # the quote's heading says whose duty the item is
    duty = QuoteContext("• Running the weekly safety audit", headings="Entry-level nurses > Daily duties")
    assert "entity" in kinds("Mid-level nurses run the weekly safety audit.", duty)
    assert "entity" not in kinds("Entry-level nurses run the weekly safety audit.", duty)


@pytest.mark.parametrize(
    ("claim", "quote", "kind", "caught"),
    [
        # a name swapped in a clause the claim restates besides the one it follows most
        ("The firm backed three bets: cloud storage, enterprise expansion and mobile apps.",
         "The firm backed three bets: cloud storage, SMB expansion, and mobile apps.", "name", True),
        ("The firm backed three bets: cloud storage, SMB expansion and mobile apps.",
         "The firm backed three bets: cloud storage, SMB expansion, and mobile apps.", "name", False),
        ("The firm backed three bets, one of them cloud storage.",
         "The firm backed three bets: cloud storage, SMB expansion, and mobile apps.", "name", False),
        # a second clause's name reworded two words from its neighbours, or spelled out
        ("The clinic is funded by the city council each year and run by volunteers.",
         "The clinic is funded by the Kestrel Trust each year, and run by volunteers.", "name", True),
        ("The clinic is run by volunteers and funded by the city council each year.",
         "The clinic is run by volunteers, and funded by the Kestrel Trust each year.", "name", True),
        ("The clinic is run by volunteers and has five general practitioners on call.",
         "The clinic is run by volunteers, and has five GPs on call.", "name", False),
    ],
)  # fmt: skip
def test_eighteenth_round_names_swapped_in_restated_clauses(claim: str, quote: str, kind: str, caught: bool) -> None:
    assert (kind in kinds(claim, QuoteContext(quote))) is caught


def test_eighteenth_round_a_list_item_left_out_is_no_stand_in() -> None:
    """The claim names whom "They" refers to (the heading) and restates only the list's first item: the name in
    the item it leaves out was not replaced by the heading's."""
    quote = QuoteContext(
        "They decide whether teams use kanban or scrum, whether GPs own budgets or just plans, and whether "
        "reviews are held monthly.",
        headings="The Registrar",
    )
    assert kinds("Whether teams use kanban or scrum is one of the things the Registrar decides.", quote) == []
    assert "name" in kinds("The Registrar decides whether auditors own budgets or just plans.", quote)


def test_eighteenth_round_a_no_that_names_its_scope_answers_the_question() -> None:
    """ "Not on Sundays: …" answers "Is it open all day on Sundays?"; the statement after it is what is checked,
    a time's colon ("16:00") being no break."""
    desk = QuoteContext("On Sundays, the front desk closes at noon.")
    assert kinds("Not on Sundays: the front desk closes at noon then.", desk) == []
    assert kinds("Not on Sundays — that day the front desk closes at noon.", desk) == []
    assert "negation" in kinds("Not on Sundays: the front desk does not close at noon then.", desk)
    rooms = QuoteContext("Between 10:00 and 16:00, small rooms can be booked for 2 hours at most.")
    assert kinds("Not between 10:00 and 16:00: in that window, small rooms can be booked for 2 hours at most.",
                 rooms) == []  # fmt: skip
    assert "negation" in kinds("Not permitted: small rooms can be booked for 2 hours at most.", rooms)


def test_eighteenth_round_review_fixes() -> None:
    """From the round's review: a reworded neighbour still leaves a stand-in outside a list, and an everyday
    acronym's plural may be reworded ("televisions" for "TVs")."""
    parking = QuoteContext("Parking for visitors, operated by NCP, costs £3 an hour.", headings="Westfield Council")
    assert "name" in kinds("Visitor parking is run by Westfield Council.", parking)
    assert kinds("Each room has two televisions.", QuoteContext("Each room has two TVs.")) == []
    # a heading's plain word does not stand in for the quote's name
    clinic = QuoteContext("Each clinic employs 3-10 GPs and sometimes nurses.", headings="Team Leadership")
    assert "name" in kinds("Each clinic employs 3-10 teams and sometimes nurses.", clinic)
    assert kinds("Each clinic employs 3-10 general practitioners and sometimes nurses.", clinic) == []
    assert kinds("Bring valid identification to the desk.", QuoteContext("Bring valid IDs to the desk.")) == []


def test_nineteenth_round_a_stretch_set_off_by_commas_is_an_addition(embedder) -> None:  # noqa: ANN001
    """A stretch of new words between two commas adds a fact of its own: the whole claim stays close to the
    quote it repeats, the stretch alone does not."""
    similar = SupportScorer(embedder).similarities
    bridge = QuoteContext("The bridge was opened in 1932 to carry freight across the valley.")
    added = "The bridge was opened in 1932, paid for by a private railway company, to carry freight across the valley."
    assert "clause" in [p.kind for p in check_claim(added, bridge, similar=similar)]
    reworded = "The bridge opened, in 1932, to move goods across the valley."
    assert check_claim(reworded, bridge, similar=similar) == []


def test_nineteenth_round_irregular_opposites_and_or_for_otherwise() -> None:
    lake = QuoteContext("The lake has shrunk by a third since 1950.")
    assert "negation" in kinds("The lake has grown by a third since 1950.", lake)
    shrank = QuoteContext("The lake shrank by a third after 1950.")
    assert "negation" in kinds("The lake grew by a third after 1950.", shrank)
    assert kinds("Since 1950 the lake has shrunk by a third.", lake) == []
    # "or you'll …" says "otherwise"; "and you'll …" does not
    form = QuoteContext("Return the form by Monday, otherwise you will lose your place.")
    assert kinds("Return the form by Monday or you'll lose your place.", form) == []
    assert kinds("Return the form by Monday, or else you will lose your place.", form) == []
    assert "negation" in kinds("Return the form by Monday and you'll lose your place.", form)
    assert kinds("Unless you return the form by Monday, you will lose your place.", form) == []
    # the statement before "otherwise" is not negated by it; the consequence is
    assert kinds("The form must be returned by Monday.", form) == []
    assert "negation" in kinds("Return the form by Monday, and then you will lose your place.", form)
    assert kinds("If you don't return the form by Monday, you will lose your place.", form) == []


def test_nineteenth_round_one_unit_before_or_after_is_a_figure() -> None:
    """ "the day before your start date" is one day before it, not ten."""
    laptop = QuoteContext("Order your laptop at least 10 working days before your start date.")
    assert "figure" in kinds("Order your laptop the day before your start date.", laptop)
    cake = QuoteContext("The cake is baked a day before the party.")
    assert kinds("The cake is baked the day before the party.", cake) == []


def test_nineteenth_round_an_acronym_spelled_out_with_a_joining_word() -> None:
    """ "a MOD's budget" shortens "the ministry of defence" the question names, possessive and all."""
    budget = QuoteContext("A large share of their budget goes to equipment and training.")
    question = "what does the ministry of defence spend on?"
    assert kinds("A large share of the MOD's budget goes to equipment and training.", budget, question) == []
    assert "name" in kinds("A large share of the MOJ's budget goes to equipment and training.", budget, question)


def test_nineteenth_round_a_clause_restating_its_subjects_statement_and_anothers() -> None:
    """ "The Orla has … — of which the Vell is the longest" restates the Orla's sentence and the Vell's; a fact
    of the Tove given to the Vell is still moved."""
    first = "The Orla has three main tributaries: the Vell, the Sarn and the Tove."
    second = "The Vell, at 210 km, is the longest of them, while the Tove contributes the largest volume of water."
    rivers = QuoteContext(f"{first} {second}", parts=(first, second))
    assert kinds("The Orla has three main tributaries — the Vell, the Sarn and the Tove — of which the Vell is the "
                 "longest at 210 km, while the Tove brings the most water.", rivers) == []  # fmt: skip
    assert "subject" in kinds(
        "The Vell is the longest tributary at 210 kilometres and also contributes the largest volume of water.", rivers
    )


def test_nineteenth_round_advice_not_to_do_the_excess_the_quote_warns_of() -> None:
    stock = QuoteContext(
        "• Over-ordering stock. Buying 500 units before demand is clear ties up cash. Start with 50 units and "
        "reorder weekly."
    )
    assert kinds("The advice is not to over-order: start with 50 units.", stock) == []
    assert "negation" in kinds("Over-ordering stock does not tie up cash.", stock)


def test_nineteenth_round_words_written_as_code_and_what_a_thing_is_called_are_names() -> None:
    """A file extension, a file name or an address, and the lower-case word after "called", must be the quote's
    as written; "named after" and "known as a …" describe rather than name."""
    files = QuoteContext("Source files use the extension .ql and settings live in build.toml.")
    assert "name" in kinds("Source files use the .qll extension.", files)
    assert "name" in kinds("Settings live in build.yaml.", files)
    assert kinds("Source files end in .ql, and settings are kept in build.toml.", files) == []
    lute = QuoteContext("Smaller versions, often called the symphonia, had appeared by the 13th century.")
    assert "name" in kinds("Smaller versions, often called the organistrum, had appeared by the 13th century.", lute)
    assert kinds("By the 13th century smaller versions, often called the symphonia, had appeared.", lute) == []
    # of joined units, the one restated calls it another name than the claim does
    first = "Its earliest known form was the organistrum, which needed two players."
    joined = QuoteContext(f"{first} {lute.text}", parts=(first, lute.text))
    assert "name" in kinds("Smaller versions, often called the organistrum, had appeared by the 13th century.", joined)
    assert kinds("Its earliest known form, called the organistrum, needed two players.", joined) == []
    town = QuoteContext("The town was founded in 1120 by salt merchants and grew around its market.")
    assert kinds("The town, known as a market town, was founded in 1120 by salt merchants.", town) == []


@pytest.mark.parametrize(
    ("claim", "swapped"),
    [
        ("Its solutions are violet in the +2 state and blue in the +5 state.", True),
        ("Its solutions go from yellow at +2 to violet at +5.", True),
        ("Its solutions are violet at +2, green at +3, blue at +4 and yellow at +5.", False),
        ("In the +2 to +5 states its solutions are violet, green, blue and yellow.", False),
        ("It shows states from +2 to +5, and its solutions range from violet at +2 to yellow at +5.", False),
    ],
)
def test_nineteenth_round_a_respectively_list_pairs_item_by_item(claim: str, swapped: bool) -> None:
    quote = QuoteContext(
        "The element shows oxidation states from +2 to +5, and its solutions in these states are violet, green, "
        "blue and yellow respectively."
    )
    assert ("swap" in kinds(claim, quote)) is swapped


def test_nineteenth_round_respectively_pairs_names_too() -> None:
    gates = QuoteContext("The north and south gates open at 6:00 and 8:00 respectively.")
    assert "swap" in kinds("The north gate opens at 8:00 and the south gate at 6:00.", gates)
    assert kinds("The north gate opens at 6:00 and the south gate at 8:00.", gates) == []


def test_nineteenth_round_review_fixes(embedder) -> None:  # noqa: ANN001
    """From the round's review: each new rule kept to what it is for."""
    similar = SupportScorer(embedder).similarities
    # "a year later" may restate two dates or "the following year"; a span the quote states is compared
    assert kinds("He won the title in 1998 and retired a year later.",
                 QuoteContext("He won the title in 1998 and retired the following year.")) == []  # fmt: skip
    assert "figure" in kinds("Reminders go out a week before the deadline.",
                             QuoteContext("Reminders go out 48 hours before the deadline."))  # fmt: skip
    # a plain "or" offers a choice; a claim may restate "otherwise" as a condition in its own words
    online = QuoteContext("You can either apply online or visit the office in person.")
    assert kinds("You can apply online, or you will need to visit the office in person.", online) == []
    fee = QuoteContext("Payments must be made by the 5th of each month, otherwise a late fee of £25 is charged.")
    assert kinds("Payments not made by the 5th of each month incur a £25 late fee.", fee) == []
    assert "negation" in kinds("Payments made by the 5th of each month incur a £25 late fee.", fee)
    town = QuoteContext("The otherwise quiet town hosts a large jazz festival each July.")
    assert kinds("The quiet town hosts a large jazz festival each July.", town) == []
    # a stretch that says where the quote is from adds no fact
    leave = QuoteContext("Employees may carry over up to five unused vacation days into the next calendar year.")
    cited = (
        "Employees may, as outlined in the leave policy, carry over up to five unused vacation days into the next year."
    )
    assert check_claim(cited, leave, similar=similar) == []
    # "called back" is no name; "Dr.Smith" is a space left out, not a file name
    squad = QuoteContext("The striker was recalled to the squad after his injury.")
    assert kinds("The striker was called back into the squad after his injury.", squad) == []
    assert kinds("Dr.Smith leads the clinic.", QuoteContext("Dr. Smith leads the clinic.")) == []
    # advice "not to" do an excess needs a quote that opens with it, as a list of mistakes does, and nothing else
    # denied
    bolts = QuoteContext("A common mistake: over-tightening the bolts, which can strip the threads.")
    assert kinds("It is important not to over-tighten the bolts, as this can strip the threads.", bolts) == []
    assert "negation" in kinds("It is important not to over-tighten the bolts, as this can never strip the threads.",
                               bolts)  # fmt: skip
    ferns = QuoteContext("For ferns, it is hard to water too often: they like constantly moist soil.")
    assert "negation" in kinds("For ferns, the advice is not to water too often.", ferns)
    # a "respectively" item with a currency sign, and one inside another ("vice-captain")
    prizes = QuoteContext("The first and second prizes are £500 and £200 respectively.")
    assert "swap" in kinds("The first prize is £200 and the second £500.", prizes)
    crew = QuoteContext("The captain and vice-captain are Ana and Bo respectively.")
    assert "swap" in kinds("The captain is Bo and the vice-captain Ana.", crew)
    assert kinds("The captain is Ana and the vice-captain Bo.", crew) == []


def test_twentieth_round_what_a_who_clause_says_it_says_of_the_name_before_it() -> None:
    finance = QuoteContext(
        "The Head of Finance may approve transfers of funds between departments.",
        headings="Chief of Staff and Head of Finance",
    )
    moved = "That task falls to the Chief of Staff, who may approve transfers of funds between departments."
    assert "subject" in kinds(moved, finance)
    assert kinds("That task falls to the Head of Finance, who may approve transfers of funds between departments.",
                 finance) == []  # fmt: skip
    # of two units joined, the name of the other unit standing in for this one's
    joined = QuoteContext(
        "• The Head of Finance may approve transfers of funds between departments. • The Chief of Staff may call an "
        "extra board meeting.",
        parts=(
            "• The Head of Finance may approve transfers of funds between departments.",
            "• The Chief of Staff may call an extra board meeting.",
        ),
    )
    assert "subject" in kinds(moved, joined)


def test_twentieth_round_a_name_written_with_a_slash_opens_the_claim() -> None:
    """ "Heads of UX/Brand Design" is the claim's subject, as "Heads of UX Brand Design" would be."""
    growth = QuoteContext("They review pricing every quarter.", headings="Heads of Growth Marketing")
    assert "subject" in kinds("Heads of UX/Brand Design review pricing every quarter.", growth,
                              question="do UX design heads review pricing?")  # fmt: skip
    assert kinds("Heads of Growth Marketing review pricing every quarter.", growth) == []


def test_twentieth_round_a_figure_taken_from_the_question_keeps_what_it_counts() -> None:
    """ "seats 14" answers "for 14 people": it counts people, and the quote's room seats 8."""
    oak = QuoteContext("- Oak (2nd floor): 8 people", lead_in="Meeting rooms")
    assert "figure" in kinds("The Oak room on the 2nd floor seats 14.", oak, question="which room seats 14 people?")
    assert "figure" not in kinds("The Oak room on the 2nd floor seats 8.", oak, question="which room seats 14 people?")
    # the question's figure put to another use beside the quote's answer
    assert "figure" in kinds(
        "The Oak room on the 14th floor seats 8 people.", oak, question="which room seats 14 people?"
    )


def test_twentieth_round_a_comparative_before_a_figure_bounds_it() -> None:
    peaks = QuoteContext("More than 20 peaks rise above 2,000 metres.")
    assert kinds("Over 20 peaks are higher than 2,000 metres.", peaks) == []
    assert "comparison" in kinds("Over 20 peaks are higher than the peaks of the coastal range.", peaks)


def test_twentieth_round_a_statement_affirming_the_verb_the_quote_denies() -> None:
    late = QuoteContext("Late submissions are not accepted unless the tutor agrees in advance.")
    affirmed = "Late submissions are still accepted, and you don't need the tutor's agreement in advance."
    assert "negation" in kinds(affirmed, late)
    assert kinds("Late submissions are accepted only if the tutor agrees in advance.", late) == []
    # only where another statement denies the quote's condition, and the affirming one does not restate it
    assert "negation" in kinds("Overtime is paid after the fact, and there is no need to approve it beforehand.",
                               QuoteContext("Overtime is not paid unless it is approved beforehand."))  # fmt: skip
    refunds = QuoteContext("Refunds are not given after 30 days.")
    assert "negation" not in kinds("Refunds are given within 30 days of purchase, but not after that.", refunds)
    phones = QuoteContext("Phones must not be used in the exam hall except in an emergency.")
    assert "negation" not in kinds("Phones may be used in the exam hall in an emergency, but not otherwise.", phones)


def test_twentieth_round_a_comparative_opening_a_sentence_is_no_name() -> None:
    assert "Earlier" not in claim_names(
        "The first maps were drawn in 1820. Earlier surveys showed the coast as one line."
    )
    assert "Copper" in claim_names("The town grew rich. Copper mines opened in 1850.")
    # nor is it any other word: its opposite is still caught
    wells = QuoteContext("Deeper wells reach the aquifer below the clay layer.")
    assert "negation" in kinds("Shallower wells reach the aquifer below the clay layer.", wells)
    assert kinds("Wells that are deeper reach the aquifer below the clay layer.", wells) == []


def test_twentieth_round_a_second_complement_joined_by_and_is_an_addition(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    mentor = QuoteContext("For new staff, the mentor is the first point of contact for questions.")
    added = "For new staff, the mentor is the first point of contact for questions and usually the one who signs leave."
    assert "clause" in [p.kind for p in check_claim(added, mentor, similar=similar)]
    assert check_claim("For new staff the mentor is the first contact for questions.", mentor, similar=similar) == []
    also = (
        "For new staff, the mentor is the first point of contact for questions and also the one who approves holidays."
    )
    assert "clause" in [p.kind for p in check_claim(also, mentor, similar=similar)]


def test_twentieth_round_a_clause_rewording_the_end_of_a_long_quote(embedder) -> None:  # noqa: ANN001
    """A clause is compared with the stretch of a one-clause quote it rewords, not only with the whole."""
    similar = SupportScorer(embedder).similarities
    coordinator = QuoteContext(
        "The coordinator is instrumental in drafting the festival programme, booking the venues and ensuring that it "
        "stays within the overall budget."
    )
    reworded = (
        "The coordinator plays a key part in drafting the festival programme and booking venues, and makes sure it "
        "keeps inside the overall budget."
    )
    assert check_claim(reworded, coordinator, similar=similar) == []
    added = (
        "The coordinator plays a key part in drafting the festival programme and booking venues, and also hires the "
        "stage crews and security staff."
    )
    assert "clause" in [p.kind for p in check_claim(added, coordinator, similar=similar)]


def test_twentieth_round_a_person_called_by_the_surname() -> None:
    opera = QuoteContext("In 1737 the printer issued the score under the name of Antonio Vivaldi.")
    assert kinds("In 1737 the printer issued the score as the work of Vivaldi.", opera) == []
    assert "name" in kinds("In 1737 the printer issued the score as the work of Albinoni.", opera)
    finance = QuoteContext("Refunds are approved by the Head of Finance.")
    assert "name" in kinds("Refunds are approved by the Finance team.", finance)


@pytest.mark.parametrize(
    ("quote", "claim", "kept"),
    [
        ("The tower is over 300 metres tall.", "The tower is taller than 300 metres.", True),
        ("The bridge is more than 2 km long.", "The bridge is longer than 2 km.", True),
        ("Some of the trees are more than 1,000 years old.", "Some of the trees are older than 1,000 years.", True),
        ("The tower is over 300 metres tall.", "The tower is shorter than 300 metres.", False),
        ("Some of the trees are more than 1,000 years old.", "Some of the trees are younger than 1,000 years.", False),
        ("The tower is over 300 metres tall.", "The tower is over 300 metres tall, taller than the cathedral.", False),
        # another measure, another figure, or the other way round
        ("The tower is more than 300 metres tall.", "The tower is wider than 300 metres.", False),
        (
            "The castle is over 800 years old and has walls 4 metres thick.",
            "The walls are thicker than 4 metres.",
            False,
        ),
        ("Concerts are held in a hall less than 50 metres long.", "The concert hall is longer than 50 metres.", False),
    ],
)
def test_twentieth_round_a_comparative_bounding_a_figure_keeps_its_direction(
    quote: str, claim: str, kept: bool
) -> None:
    """ "taller than 300 metres" is "over 300 metres tall": the same figure, bound the same way, of the same measure."""
    assert (kinds(claim, QuoteContext(quote)) == []) is kept


def test_twentieth_round_the_exception_affirmed_and_the_rest_denied() -> None:
    """ "not allowed except on the terrace" is "allowed on the terrace, but not elsewhere"."""
    dogs = QuoteContext("Dogs are not allowed in the café except on the outdoor terrace.")
    assert kinds("Dogs are allowed on the café's outdoor terrace, but not elsewhere in the café.", dogs) == []
    assert "negation" in kinds("Dogs are allowed in the café, but not on the outdoor terrace.", dogs)
    assert "negation" in kinds("Dogs are allowed on the outdoor terrace and in the café, but not in the kitchen.", dogs)
    grass = QuoteContext("Parking is not allowed on the grass except during the summer fair.")
    assert kinds("Parking on the grass is allowed during the summer fair, but not at other times.", grass) == []
    # two negations cancel: "not without its challenges" excepts nothing
    hard = QuoteContext("The job is not without its challenges, as it involves long hours.")
    assert "negation" in kinds("The job has few real challenges, even though it involves long hours.", hard)


def test_twenty_first_round_a_place_the_clause_ends_on_may_be_left_out() -> None:
    """ "created by X" for "designed by X at the Y Institute" leaves the place out; nothing stands in for it."""
    language = QuoteContext("Quill is a programming language designed by Ingrid Halvorsen at the Nordvik Institute.")
    assert kinds("Quill is a programming language created by Ingrid Halvorsen.", language) == []
    assert "name" in kinds("Quill is a programming language designed by Ingrid Halvorsen at Oslo University.", language)
    # a claim going on past that word puts someone in the place's stead
    assert "name" in kinds(
        "The store manager reviews complaints.", QuoteContext("Complaints are reviewed at Head Office.")
    )


def test_twenty_first_round_a_pronoun_contraction_is_a_function_word() -> None:
    """ "you're" says no more than "you are": it is no new content word of a claim."""
    shooting = QuoteContext("A player is not allowed to shoot when they are defended by an opponent.")
    assert kinds("You're not allowed to shoot while you're defended by an opponent.", shooting) == []
    assert "you're" not in content_words("You're not allowed to shoot.")


def test_twenty_second_round_a_denial_added_beside_the_quotes_own_negation() -> None:
    """ "nobody" in both, "not" in the claim only: the claim denies what the quote affirms."""
    parcels = QuoteContext("Parcels that nobody collects within 7 days are returned to the sender.")
    assert "negation" in kinds("Parcels that nobody collects within 7 days are not returned to the sender.", parcels)
    assert kinds("Parcels nobody collects within 7 days go back to the sender.", parcels) == []
    # a denial the quote also makes is no added one
    denied = QuoteContext("Parcels that nobody collects are never returned.")
    assert kinds("Parcels nobody collects are never returned.", denied) == []


def test_twenty_second_round_a_name_only_the_question_gives_does_not_stand_in_for_the_quotes() -> None:
    """Asked about one room, the claim gives it the size the quote gives another: the question's name may not
    take the quote's name's place."""
    room = QuoteContext("- Zuidas (2nd floor): 8 people", headings="Meeting rooms", title="Office facilities")
    claim = "Vondelpark, on the 2nd floor, seats 8 people."
    assert "name" in kinds(claim, room, "how many people fit in Vondelpark?")
    assert kinds("Zuidas, on the 2nd floor, seats 8 people.", room, "how many people fit in Zuidas?") == []


def test_twenty_second_round_a_rare_word_before_a_comma_opens_the_claim_as_a_name() -> None:
    """ "Vondelpark, on the 2nd floor, …" names a room, though a comma follows it ("Generally, …" names
    nothing): of two joined list items, the one the claim restates must be that room's."""
    rooms = ["- Vondelpark (2nd floor): 4 people", "- Zuidas (2nd floor): 8 people"]
    joined = QuoteContext("\n".join(rooms), parts=tuple(rooms))
    assert claim_names("Vondelpark, on the 2nd floor, seats 8 people.") == ("Vondelpark",)
    assert claim_names("Generally, rooms seat 8 people.") == ()
    assert "subject" in kinds("Vondelpark, on the 2nd floor, seats 8 people.", joined)
    assert kinds("Zuidas, on the 2nd floor, seats 8 people.", QuoteContext(rooms[1])) == []


def test_twenty_second_round_an_acronyms_plural_is_no_common_word() -> None:
    """ "PCs" is the plural of the quote's "PC", not the word "pcs"."""
    desk = QuoteContext("Every PC on the service desk is replaced after four years.")
    assert kinds("The service desk replaces its PCs after four years.", desk) == []


def test_twenty_second_round_how_much_of_it_answers_before_the_statement() -> None:
    """ "Yes, that's a big part of it: …" says how much of the question's account holds; the statement
    follows it."""
    warden = QuoteContext("The Warden plays a crucial role in linking the council and the residents.")
    claim = "the Warden acts as the link between the council and the residents."
    assert kinds(f"Yes, that's a big part of it: {claim}", warden) == []
    assert kinds(f"That's the gist of it — {claim}", warden) == []
    # said as a sentence of its own, it is a statement, and the quote does not make it
    assert "clause" in kinds(f"Yes, that's a big part of it. {claim}", warden)


def test_twenty_second_round_another_way_of_doing_it_joined_by_or_is_an_addition() -> None:
    """ "… or with the touch panel by each door" adds a way the quote does not give."""
    booking = QuoteContext("Rooms are booked through the staff portal.", headings="Meeting rooms")
    assert "clause" in kinds("Rooms are booked through the staff portal or at the reception desk.", booking)
    assert kinds("Rooms are booked through the staff portal.", booking) == []


def test_twenty_second_round_the_other_unit_lends_even_its_function_words() -> None:
    """Of two joined units the claim restates the first; a tail taking "own" from the second ("crews own the
    rota") is a fact of its own, though "own" is a function word there."""
    first = "The Port Captain sets the working culture for how the harbour crews operate at the port."
    second = "They decide whether crews own the rota or just their shifts."
    joined = QuoteContext(f"{first} {second}", parts=(first, second))
    claim = f"{first[:-1]}, and usually owns the harbour budget as well."
    assert "clause" in kinds(claim, joined)
    assert kinds(first, joined) == []


def test_twenty_second_round_a_list_under_a_name_is_that_ones() -> None:
    """Items under the intro line "Port Captain" are the Port Captain's: a claim giving one to the Harbour
    Master, whom the title also names, moves it. An intro like "Core Duties" names no one."""
    item = "• Harbour Board membership"
    title = "Harbour Master vs Port Captain: Daily Work Compared"
    listed = QuoteContext(item, headings="Career Paths. Port Captain", title=title, lead_in="Port Captain")
    assert "subject" in kinds("Harbour Board membership is one of the career paths for a Harbour Master.", listed)
    assert kinds("Harbour Board membership is one of the career paths for a Port Captain.", listed) == []
    duties = QuoteContext(item, headings="Core Duties", title=title, lead_in="Core Duties")
    assert kinds("Harbour Board membership is one of a Harbour Master's core duties.", duties) == []


def test_twenty_second_round_a_name_one_word_off_a_headings_name_is_another_one() -> None:
    """ "Directors of Retail Port Operations" pieced together from the heading's "Director of Cargo Port
    Operations" and a "retail" of the quote names another post."""
    ports = QuoteContext(
        "Their expertise is essential in ports that handle cargo for retail chains and enterprise shippers.",
        headings="Director of Cargo Port Operations",
    )
    said = "are essential in ports that handle cargo for retail chains and enterprise shippers."
    assert "name" in kinds(f"Directors of Retail Port Operations {said}", ports)
    assert kinds(f"Directors of Cargo Port Operations {said}", ports) == []


def test_twenty_second_round_review_fixes() -> None:
    """What the round's independent review found: an added denial counts only on the quote's own verb; a
    compound or an interjection before a comma names nothing; the answer opener takes a curly apostrophe and a
    dash; a list's owner is only moved to a name the title sets beside it, and not by a surname the item gives."""
    pool = QuoteContext("Children under 12 without an adult are refused entry to the pool.")
    assert kinds("Children under 12 without an adult are not let into the pool.", pool) == []
    assert "negation" in kinds("Children under 12 without an adult are not refused entry to the pool.", pool)
    ferry = QuoteContext("Before the war the town had two ferries.")
    assert claim_names("Pre-war, the town had two ferries.") == ()
    assert claim_names("Oh, and the town had two ferries.") == ()
    assert kinds("Pre-war, the town had two ferries.", ferry) == []
    warden = QuoteContext("The Warden plays a crucial role in linking the council and the residents.")
    claim = "the Warden acts as the link between the council and the residents."
    assert kinds(f"Yes, that\u2019s a big part of it: {claim}", warden) == []
    assert kinds(f"Yes \u2014 that's a big part of it: {claim}", warden) == []
    item = "• Worked closely with Babbage from 1833"
    pair = "Ada Lovelace and Charles Babbage"
    lovelace = QuoteContext(item, headings=f"{pair}. Collaboration. Ada Lovelace", title=pair, lead_in="Ada Lovelace")
    assert kinds("Lovelace worked closely with Charles Babbage from 1833.", lovelace) == []
    algorithm = replace(lovelace, text="• Wrote the first published algorithm")
    assert "subject" in kinds("Charles Babbage wrote the first published algorithm.", algorithm)
    assert kinds("Ada Lovelace wrote the first published algorithm.", algorithm) == []
    walks = QuoteContext(
        "• Catbells, a three-hour ridge walk", headings="Lake District. Keswick", title="Walks", lead_in="Keswick"
    )
    assert kinds("Catbells is a three-hour ridge walk in the Lake District.", walks) == []


def test_twenty_second_round_a_denial_with_until_or_too_says_it_plainly() -> None:
    """ "nobody uncovered it until 1900" is "only uncovered in 1900"; "nowhere near big enough" and "not big
    enough" are "far too small"; "not too small" is "big enough"."""
    hoax = QuoteContext("The forgery was only uncovered in the 20th century.")
    assert kinds("The forgery was a fake nobody uncovered until the 20th century.", hoax) == []
    engines = QuoteContext("The two fire engines proved far too small for a fire of this size.")
    assert kinds("The two fire engines were not big enough for a fire of this size.", engines) == []
    assert "negation" in kinds("The two fire engines were big enough for a fire of this size.", engines)
    assert "negation" in kinds("The two fire engines were not too big for a fire of this size.", engines)
    enough = QuoteContext("The two fire engines proved big enough for a fire of this size.")
    assert kinds("The two fire engines were not too small for a fire of this size.", enough) == []
    assert "negation" in kinds("The two fire engines were nowhere near big enough for a fire of this size.", enough)


def test_twenty_third_round_an_opposite_in_another_clause_the_claim_restates() -> None:
    """ "a social animal that is active at night" restates both "is solitary" and "active at night", though it
    lines up with one; parallel clauses ("rose in the south, fell in the north") are not both restated."""
    fox = QuoteContext("The swamp fox is solitary and mostly active at night.")
    assert "negation" in kinds("The swamp fox is a social animal that is mostly active at night.", fox)
    assert kinds("The swamp fox lives alone and is mostly active at night.", fox) == []
    output = QuoteContext("Steel output increased in the south, while steel output fell in the north.")
    assert kinds("Southern steel output rose.", output) == []
    budgets = QuoteContext("The wardens must plan repairs each year, often with constrained budgets.")
    assert "negation" in kinds("The wardens must plan repairs each year, often with generous budgets.", budgets)
    assert kinds("The wardens must plan repairs each year, often on tight budgets.", budgets) == []


def test_twenty_third_round_a_change_or_way_run_backwards() -> None:
    """ "from B to A" for "from A to B"; a quote that says both ways backs either."""
    move = QuoteContext("The warden may lead the move from paper forms to online booking.")
    assert "swap" in kinds("The warden may lead the move from online booking to paper forms.", move)
    assert kinds("The warden may lead the switch from paper forms to online booking.", move) == []
    ferry = QuoteContext("The ferry runs from Tarn to Holme in the morning and from Holme to Tarn at night.")
    assert kinds("The ferry runs from Holme to Tarn at night.", ferry) == []


def test_twenty_third_round_what_held_before_and_what_holds_now_trade_places() -> None:
    listed = "Since 2019 the bridge has been listed as Least Risk on the National Register"
    status = QuoteContext(f"{listed}; it was previously listed as Near Collapse.")
    swapped = "Since 2019 it has been listed as Near Collapse on the National Register; before that it was classed as"
    assert "swap" in kinds(f"{swapped} Least Risk.", status)
    assert kinds(f"{listed}; before that it was classed as Near Collapse.", status) == []


def test_twenty_third_round_percentage_points_are_no_percent() -> None:
    rates = QuoteContext("Within a year, sign-ups rose 12%, and complaints fell by 30%.")
    assert "unit" in kinds("Within a year, sign-ups went up by 12 percentage points and complaints fell 30%.", rates)
    assert kinds("Within a year, sign-ups went up by 12 percent and complaints fell 30%.", rates) == []


def test_twenty_third_round_an_open_compound_for_the_quotes_hyphenated_one() -> None:
    """ "at the entry level" for "Mid-level"; a verb before the shared word makes no compound."""
    mid = QuoteContext("Mid-level wardens take on wider duties, often running several districts.")
    assert "entity" in kinds(
        "Even at the entry level, wardens take on wider duties, often running several districts.", mid
    )
    assert kinds("At the mid level, wardens take on wider duties, often running several districts.", mid) == []
    rituals = QuoteContext("They aligned planning, restructured team rituals, and improved cross-team communication.")
    assert (
        kinds("They aligned planning, reworked team rituals and improved communication between teams.", rituals) == []
    )


def test_twenty_third_round_a_sentence_adverb_or_a_cleft_before_the_subject() -> None:
    """ "Typically a Harbour Master …" and "That was the Harbour Master, who …" are about the Harbour Master;
    "That's the Harbour Master's job: …" is about the job."""
    frame = "Harbour Master vs Port Captain"
    pilots = QuoteContext("Port Captains manage 3-10 pilots and sometimes tug crews.", headings=frame)
    assert "subject" in kinds("Typically a Harbour Master manages between 3 and 10 pilots.", pilots)
    assert kinds("Typically a Port Captain manages between 3 and 10 pilots.", pilots) == []
    scheme = QuoteContext("At a small harbour, a Port Captain set up a rota scheme and built a training plan.")
    scheme = replace(scheme, headings=frame)
    assert "subject" in kinds("That was the Harbour Master at a small harbour, who set up a rota scheme.", scheme)
    assert kinds("That was the Port Captain at a small harbour, who set up a rota scheme.", scheme) == []
    rota = QuoteContext("• Rota Plan -- the schedule a Harbour Master is responsible for drawing up")
    claim = "That's the Harbour Master's job: the rota plan is something they're responsible for drawing up."
    assert kinds(claim, rota) == []


def test_twenty_third_round_a_time_clause_after_a_comma_is_a_clause_of_its_own() -> None:
    harbour = QuoteContext("• A Warden may decide the harbour is opening a new berth and move crews to staff it.")
    said = "A Warden may decide the harbour is opening a new berth and move crews to staff it"
    assert "clause" in kinds(f"{said}, usually after getting approval from the council.", harbour)
    assert kinds(f"{said}.", harbour) == []


def test_twenty_third_round_both_is_a_claim_not_an_answer_word() -> None:
    """ "Both, really." says both hold, which the quote must back: it is kept as a claim (the review's probes
    had it for a quote naming one side only)."""
    from rag.claims import is_answer_word

    assert not is_answer_word("Both, really.")
    assert not is_answer_word("Both teams play.")


def test_twenty_third_round_a_verb_of_change_backs_a_comparison_on_what_it_changes() -> None:
    """ "maximize efficiency" is "the most efficiency"; "elevating accountability to a business-driven view"
    makes it "more business-driven"; a superlative on anything else still needs a quote that ranks."""
    design = QuoteContext("Rota design involves the ability to restructure crews to maximize efficiency and safety.")
    assert (
        kinds("Rota design means being able to restructure crews to get the most efficiency and safety.", design) == []
    )
    assert "comparison" in kinds("Rota design is the most important skill for restructuring crews.", design)
    budget = QuoteContext(
        "The role includes ownership of the budget, elevating accountability to a business-driven view."
    )
    assert (
        kinds("The role includes ownership of the budget, which makes accountability more business-driven.", budget)
        == []
    )


def test_twenty_third_round_rather_than_just_adds() -> None:
    judged = QuoteContext("Wardens are judged on safety and the upkeep of the whole harbour—not just on berth fees.")
    assert (
        kinds("Wardens are judged on safety and the upkeep of the whole harbour rather than just berth fees.", judged)
        == []
    )
    assert "negation" in kinds("Wardens are judged on berth fees rather than on safety.", judged)


# (quote, claim, a kind the round's first version wrongly found)
_TWENTY_THIRD_ROUND_KEEPS = [
    # words of two senses, converses and states set in other times are no opposites
    (
        "Young children under five travel free on city buses.",
        "Children under five years old ride city buses for free.",
        "negation",
    ),
    (
        "The defeat of the Spanish Armada in 1588 secured England's naval position.",
        "England's victory over the Spanish Armada in 1588 secured its position at sea.",
        "negation",
    ),
    (
        "Passengers must be at the gate 20 minutes before departure.",
        "Passengers need to arrive at the gate 20 minutes before the plane leaves.",
        "negation",
    ),
    (
        "Prices were volatile throughout 2022 but settled in 2023.",
        "Prices swung widely through 2022 before becoming stable in 2023.",
        "negation",
    ),
    # a way back, a distance and a range read from either end
    (
        "A bridge carries traffic from the mainland to the island and back.",
        "Traffic crosses the bridge from the island to the mainland and back.",
        "swap",
    ),
    ("It is 12 km from the station to the castle.", "The distance from the castle to the station is 12 km.", "swap"),
    (
        "Skill levels range from beginner to advanced, and classes are grouped by level.",
        "Classes are grouped by level, running from advanced down to beginner.",
        "swap",
    ),
    # a clause naming only its subject, or saying both times, tells neither; "is used to" is no "used to"
    (
        "Originally the festival lasted one day. It now runs for a week.",
        "The festival, which originally lasted a single day, now runs for a week.",
        "swap",
    ),
    (
        "The hall was previously a church. Since 1970 it has been a concert venue.",
        "The hall is now used to stage concerts. Until 1970 it was a church.",
        "swap",
    ),
    # an open compound on no step of a scale rewords the quote's
    (
        "High-end restaurants line the waterfront.",
        "Restaurants at the expensive end of the market line the waterfront.",
        "entity",
    ),
    # a hedge says nothing of its own
    (
        "Tarnby has won 11 of the 12 leagues held so far.",
        "Almost always Tarnby: it has won 11 of the 12 leagues so far.",
        "clause",
    ),
    # "progressively responsible" work grows more responsible
    (
        "Wardens usually need five to eight years of progressively responsible harbour work.",
        "Wardens usually need 5-8 years of progressively more responsible harbour work.",
        "comparison",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "kind"), _TWENTY_THIRD_ROUND_KEEPS)
def test_twenty_third_round_review_keeps(quote: str, claim: str, kind: str) -> None:
    assert kind not in kinds(claim, QuoteContext(quote))


def test_twenty_third_round_a_time_clause_is_its_own_only_where_the_quote_says_nothing_of_when(embedder) -> None:  # noqa: ANN001
    """Where the quote says when ("Once the paint has dried …"), a claim's time clause may restate it; split
    off, it weighed too little against the quote to be taken for a rewording."""
    similar = SupportScorer(embedder).similarities
    paint = QuoteContext("Once the paint has dried for 24 hours, apply a second coat.")
    claim = "Apply a second coat of paint, after letting the first one dry for a full day."
    assert check_claim(claim, paint, similar=similar) == []
    harbour = QuoteContext("• A Warden may decide the harbour is opening a new berth and move crews to staff it.")
    said = "A Warden may decide the harbour is opening a new berth and move crews to staff it"
    added = f"{said}, usually after getting approval from the council."
    assert "clause" in [p.kind for p in check_claim(added, harbour, similar=similar)]


_TWENTY_THIRD_ROUND_DROPS = [
    # a verb of change backs no ranking among others
    (
        "The hospital maximised bed capacity during the winter surge.",
        "The hospital had the most bed capacity in the region during the winter surge.",
        "comparison",
    ),
    (
        "The bakery minimised waste by donating unsold bread.",
        "The bakery produces the least waste in the city, donating unsold bread.",
        "comparison",
    ),
    # "A rather than just B" adds A, which the quote must say, and not deny
    (
        "The charity gives families food parcels.",
        "The charity gives families cash rather than just food parcels.",
        "clause",
    ),
    (
        "The scheme pays for the boiler but not for its installation.",
        "The scheme covers installation rather than just the boiler.",
        "negation",
    ),
    # a contrast denying what the quote affirms, one word reworded ("whole" for "entire")
    (
        "Wardens are judged on safety, upkeep and the state of the entire harbour—not just on berth fees.",
        "Wardens are judged mainly on berth fees rather than on safety or the state of the whole harbour.",
        "negation",
    ),
]


_TWENTY_THIRD_ROUND_SECOND_PASS_DROPS = [
    # a short clause restated but for its opposite word, whichever clause the claim lines up with
    (
        "Wolverines are solitary. They roam up to 15 km a day in search of carrion.",
        "Wolverines are gregarious animals that roam up to 15 km a day searching for carrion.",
        "negation",
    ),
    # "into", and "to B from A"
    (
        "The novel was translated from Polish into English by Anna Nowak in 2005.",
        "Anna Nowak translated the novel from English to Polish in 2005.",
        "swap",
    ),
    (
        "Energy flows from producers to consumers in a food chain.",
        "In a food chain, energy flows to producers from consumers.",
        "swap",
    ),
    # both times in one clause, a year, and a figure with "up from"
    (
        "The orchestra was formerly based at the Corn Exchange and now performs at the Albert Hall.",
        "The orchestra performs at the Corn Exchange today; it was previously based at the Albert Hall.",
        "swap",
    ),
    (
        "The reserve was a gravel quarry until 1985. It is now a wetland with 150 bird species.",
        "Before 1985 the site was a wetland with 150 bird species; it is now a gravel quarry.",
        "swap",
    ),
    (
        "Formerly the village school had 200 pupils; it now has 45.",
        "The village school now has 200 pupils, up from 45.",
        "swap",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "kind"), _TWENTY_THIRD_ROUND_DROPS + _TWENTY_THIRD_ROUND_SECOND_PASS_DROPS)
def test_twenty_third_round_review_drops(quote: str, claim: str, kind: str) -> None:
    assert kind in kinds(claim, QuoteContext(quote))


def test_twenty_third_round_a_non_word_is_no_opposite_of_its_own_word() -> None:
    league = QuoteContext("The league is amateur: players are unpaid and hold day jobs.")
    assert "negation" not in kinds("It's a non-professional league whose unpaid players hold day jobs.", league)
    assert "negation" in kinds("It's a professional league whose players hold day jobs.", league)


_TWENTY_THIRD_ROUND_BLIND_PROBE_KEEPS = [
    # a pronoun or an answer word before the word that followed a left-out name stands in for nothing
    (
        "The Lisse River freezes over for about three months each winter.",
        "Yes — it freezes for around three months every winter.",
        "Is the Lisse used in winter?",
    ),
    (
        "The snow vole of the Ardan Range is active all winter beneath the snowpack.",
        "No — it stays active all winter under the snow.",
        "Does the snow vole hibernate?",
    ),
    # a number word joined to its unit, "N or more", a condition "as long as", a unit's short form after "per"
    ("The Treaty of Velsk, signed in 1621, ended the eleven-year war.", "The 1621 treaty ended the 11-year war.", ""),
    ("Passwords must be at least 14 characters long.", "Passwords need 14 or more characters.", ""),
    (
        "Staff may work from home up to three days per week, subject to their manager's approval.",
        "Up to three days a week, as long as your manager approves.",
        "How many days can I work from home?",
    ),
    ("Mileage is reimbursed at 35 cents per kilometre.", "Mileage is paid at 35 cents per km.", ""),
    # a function word after a number counts nothing
    (
        "The stadium opened in 1931 with a capacity of 42,000, cut to 28,000 when seating was installed in 1994.",
        "It's 28,000 since seats were installed in 1994 — down from 42,000 when it opened in 1931.",
        "",
    ),
    # the claim turns the quote's passive round
    (
        "The Varna Bridge was completed in 1789 by the engineer Tomas Rell.",
        "Engineer Tomas Rell finished it in 1789.",
        "",
    ),
    (
        "The Tamsel is navigable by barges for its lower 90 kilometres.",
        "Barges can use the lower 90 km of the Tamsel.",
        "",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "question"), _TWENTY_THIRD_ROUND_BLIND_PROBE_KEEPS)
def test_twenty_third_round_blind_probe_keeps(quote: str, claim: str, question: str) -> None:
    assert kinds(claim, QuoteContext(quote), question) == []


def test_twenty_third_round_another_clauses_passive_agent_is_another_doer() -> None:
    works = QuoteContext(
        "The wall was rebuilt by the council in 1990, while the pier was rebuilt by the Harbour Trust in 2001."
    )
    assert "subject" in kinds("The Harbour Trust rebuilt the wall in 1990.", works)
    assert kinds("The council rebuilt the wall in 1990.", works) == []


def test_twenty_third_round_a_twenty_five_year_lease_is_no_five_year_one() -> None:
    assert [f.low for f in figures("a twenty-five-year lease", every_number=True)] == [25.0]
    assert [f.low for f in figures("a twenty-five-year lease")] == [25.0]


def test_twenty_third_round_how_often_words_cue_no_figure_and_two_adverbs_name_no_kinds() -> None:
    review = QuoteContext(
        "Unapproved software may be installed after a security review, which typically takes five working days."
    )
    assert kinds("It may be installed after a security review, which usually takes five working days.", review) == []


def test_twenty_third_round_mostly_not_answers_before_the_statement() -> None:
    crab = QuoteContext(
        "The Whitsand crab spends most of its life on land, returning to the sea only to release its eggs."
    )
    assert kinds("Mostly not — it lives on land and goes back to the sea only to release its eggs.", crab) == []


def test_twenty_third_round_a_preference_is_a_comparison_whose_sides_may_not_swap() -> None:
    sevens = QuoteContext("Because of the open space, the game favours speed and stamina over size.")
    assert kinds("Because of the open space, speed and stamina count for more than size.", sevens) == []
    assert "comparison" in kinds("Because of the open space, size counts for more than speed and stamina.", sevens)


# --- twenty-fourth round: a blind probe set's misses (general English, fresh examples) ---------------------

_TWENTY_FOURTH_ROUND_KEEPS = [
    # "N or older" bounds the figure "at least N years old" bounds; (a guard of the bound check below) "at least
    # 12 weeks before" an event is "no later than 12 weeks before" it
    ("Players must be at least 16 years old to enter the open draw.", "You have to be 16 or older.", ""),
    (
        "Book the venue at least 6 weeks before the event.",
        "Book it no later than 6 weeks ahead of the event.",
        "",
    ),
    # "may not exceed £150" is "up to £150"
    ("Taxi claims may not exceed £60 per journey.", "Up to £60 a journey.", "how much can i claim for a taxi"),
    # an acronym of words the quote writes out, the first capitalised only because it opens the sentence
    (
        "Single sign-on is enabled for every internal tool, and the Access Desk handles exceptions.",
        "The Access Desk handles exceptions; SSO is enabled for every internal tool.",
        "",
    ),
    (
        "The Quality Control Lead inspects each batch before shipping.",
        "The QC Lead inspects every batch before it ships.",
        "",
    ),
    # one kept neighbour the quote says twice places nothing ("card" after "your SIM" and in "'Order card'")
    (
        "To replace your SIM card, open the Phone Portal, choose 'Devices', and click 'Order card'; the new card is "
        "posted to you within three days.",
        "Go to the Phone Portal, pick 'Devices', then hit 'Order card' — the new card arrives by post within three "
        "days.",
        "",
    ),
    # one word said twice around another is no parallel ("a plucked string instrument with six strings")
    (
        "The kantel is a plucked string instrument with six strings tuned in fourths.",
        "It's plucked and has six strings tuned in fourths.",
        "",
    ),
    # what a figure measures, named after it ("at full pay for the birth parent")
    (
        "Family leave is 16 weeks at full pay for the birth parent and 4 weeks at full pay for the partner.",
        "Birth parents get sixteen weeks on full pay; partners get four weeks, also at full pay.",
        "",
    ),
    # the far end of a thing's own scale, and advice, rank nothing
    (
        "The Orrin Gorge, the longest canyon in the province, reaches a maximum depth of 240 metres.",
        "The Orrin Gorge reaches 240 metres at its deepest point.",
        "",
    ),
    (
        "If a delivery is late, contact the courier first; refunds are issued within 10 days.",
        "It's best to contact the courier first if a delivery is late; refunds come within 10 days.",
        "",
    ),
    # "every May" says when, and a pronoun subject refers to the name opening the quote
    (
        "The Hallam Regatta has been held every August since 1871 on the river at Croft.",
        "Every August, on the river at Croft — it has run since 1871.",
        "",
    ),
    (
        "The painter Ilse Varga completed her first mural in 1932 while studying at the Brandt Academy.",
        "She completed her first mural in 1932, while studying at the Brandt Academy.",
        "",
    ),
    # a name alone answers the question's "who" (a guard of the drop below, which the old code let through)
    (
        "The Librarian catalogues new books, while the Archivist digitises old maps.",
        "The Archivist.",
        "who digitises the old maps?",
    ),
    # the claim's subject, named in the clause it restates, does what another clause says it does
    (
        "The Siege of Harrow was fought in 1402 between the forces of Lord Edmund and the Baron of Kell. "
        "Although outnumbered, Edmund's men held the town.",
        "Lord Edmund held the town in the Siege of Harrow in 1402 against the Baron of Kell.",
        "",
    ),
    # a negated condition that restates a negated statement of the quote as well as a plain one
    (
        "All drivers must renew their permit by 1 June. Drivers who have not renewed it by then lose parking "
        "rights until they do.",
        "If you haven't renewed your permit by 1 June, you lose parking rights until you do.",
        "",
    ),
]


# (tuning files' misses) a softened answer before the statement; (a guard of the swap below) a change from a
# state, said with the state it went to
_TWENTY_FOURTH_ROUND_KEEPS += [
    (
        "Most new starters are fully set up within two working days.",
        "Usually not long: most new starters are fully set up within two working days.",
        "how long does setup take?",
    ),
    (
        "Since 2019 the route has been graded Moderate; it was previously graded Hard.",
        "It's graded Moderate — it was moved down from Hard in 2019.",
        "",
    ),
    # (a guard of the "only" drop) both things named
    ("The ferry runs hourly on weekdays and every two hours on Saturdays.", "Only on weekdays and Saturdays.", ""),
]


@pytest.mark.parametrize(("quote", "claim", "question"), _TWENTY_FOURTH_ROUND_KEEPS)
def test_twenty_fourth_round_keeps(quote: str, claim: str, question: str) -> None:
    assert kinds(claim, QuoteContext(quote), question) == []


_TWENTY_FOURTH_ROUND_DROPS = [
    # a bound turned the other way
    ("Applicants need at least 3 years of experience.", "Applicants need at most 3 years of experience.", "", "figure"),
    ("The course lasts up to 10 weeks.", "The course lasts at least 10 weeks.", "", "figure"),
    ("Taxi claims may not exceed £60 per journey.", "At least £60 a journey.", "", "figure"),
    # a unit the quote spells out changed
    (
        "The Ralle Plateau gets less than 80 millimetres of rain a year.",
        "Under 80 centimetres of rain a year.",
        "",
        "unit",
    ),
    # a two-letter acronym is not spelled by chance ("HR" is no "high risk")
    (
        "All overseas travel must be approved by a department head before booking. Trips to destinations on the "
        "high-risk list also require sign-off from the Safety Officer.",
        "Your department head has to approve it before you book, and for high-risk destinations you also need "
        "sign-off from the Head of HR.",
        "",
        "name",
    ),
    # a figure given to what the quote gives another figure, named after each
    (
        "Paid leave is 20 days for staff in their first five years and 25 days for staff with longer service.",
        "Staff with longer service get 20 days of paid leave.",
        "",
        "swap",
    ),
    ("Iron has a melting point of 1,538 °C and a boiling point of 2,862 °C.", "Iron boils at 1,538 °C.", "", "swap"),
    (
        "Parking costs £12 a day in the city centre and £5 elsewhere in the borough.",
        "It's £5 a day in the city centre.",
        "",
        "swap",
    ),
    # another doer than the one the clause restates, though both open clauses (the Baron: a guard of the keep
    # above, the old code dropped both)
    (
        "The Librarian catalogues new books, while the Archivist digitises old maps.",
        "The Librarian digitises old maps.",
        "",
        "subject",
    ),
    (
        "The Librarian catalogues new books, while the Archivist digitises old maps.",
        "The Librarian.",
        "who digitises the old maps?",
        "subject",
    ),
    (
        "The Siege of Harrow was fought in 1402 between the forces of Lord Edmund and the Baron of Kell. "
        "Although outnumbered, Edmund's men held the town.",
        "The Baron of Kell held the town in the Siege of Harrow in 1402 against Lord Edmund.",
        "",
        "subject",
    ),
    # "always" where the quote sets an exception
    (
        "Laptops must be locked away overnight, except in offices with badge-only access.",
        "Laptops always have to be locked away overnight.",
        "",
        "negation",
    ),
]


# (tuning files' misses) a verb the quote denies with another, affirmed between commas; a state said of the
# time before the change
_TWENTY_FOURTH_ROUND_DROPS += [
    (
        "Members may not kick or carry the ball; it must be thrown.",
        "Yes, members are allowed to carry the ball, they just can't kick it.",
        "",
        "negation",
    ),
    (
        "Since 2019 the route has been graded Moderate; it was previously graded Hard.",
        "It's graded Hard — it was moved up from Moderate in 2019.",
        "",
        "swap",
    ),
    # (blind probe set) "only" one of two things the quote names
    (
        "The ferry runs hourly on weekdays and every two hours on Saturdays.",
        "No — the ferry only runs on weekdays.",
        "does the ferry run on saturdays?",
        "negation",
    ),
    # (blind probe set) a later clause's subject that another clause of the quote says this of
    (
        "Varnia has two official languages, Varn and Ostic. Varn is spoken by about 60 percent of the population.",
        "Varnia's official languages are Varn and Ostic; Ostic is spoken by about 60 percent of the population.",
        "",
        "subject",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "question", "kind"), _TWENTY_FOURTH_ROUND_DROPS)
def test_twenty_fourth_round_drops(quote: str, claim: str, question: str, kind: str) -> None:
    assert kind in kinds(claim, QuoteContext(quote), question)


# --- twenty-fourth round: an independent review's probes against the round's first version -----------------

_TWENTY_FOURTH_ROUND_REVIEW_KEEPS = [
    # a bound falls on a figure with what it measures ("2 weeks" is not the quote's "at least 2 years")
    (
        "Repairs are covered for at least 2 years. You have 2 weeks from delivery to return an item.",
        "You can return an item up to 2 weeks after delivery.",
    ),
    # a denial turns a bound round
    ("Cabin bags must not be more than 7 kg.", "Cabin bags can weigh at most 7 kg."),
    # two letters spelled by two words that are no hyphened compound
    ("He hit 45 home runs in his last season.", "He hit 45 HRs in his last season."),
    # "always", with the claim's own exception, or where the exception is another clause's
    ("The train stops at Ely except on Sundays.", "The train always stops at Ely, but not on Sundays."),
    (
        "Dogs must be kept on a lead unless in the park, and owners must clean up after them.",
        "Owners always have to clean up after their dogs.",
    ),
    # the far end of one thing's scale
    ("The river is 3 km wide near its mouth.", "At its widest, near the mouth, the river is 3 km across."),
    # "always", bounded by the exception's own figure
    (
        "Every invoice is checked by two people, apart from those under £50.",
        "Invoices over £50 are always checked by two people.",
    ),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FOURTH_ROUND_REVIEW_KEEPS)
def test_twenty_fourth_round_review_keeps(quote: str, claim: str) -> None:
    assert kinds(claim, QuoteContext(quote)) == []


_TWENTY_FOURTH_ROUND_REVIEW_DROPS = [
    ("Cabin bags must not be more than 7 kg.", "Cabin bags must weigh at least 7 kg.", "figure"),
    # an acronym spelled out in lower case must be the one the restated clause names
    (
        "The chief operating officer approves new hires, and the chief financial officer approves budgets.",
        "The CFO approves new hires.",
        "subject",
    ),
    (
        "Project managers draft the plan and the technical review board approves it.",
        "The TRB drafts the plan and project managers approve it.",
        "subject",
    ),
    # a negation that denies a word of the plain statement is not the other statement's
    (
        "The shuttle bus runs on Saturdays. It does not run on Sundays or bank holidays.",
        "The shuttle bus doesn't run on Saturdays, Sundays or bank holidays.",
        "negation",
    ),
    (
        "Visitors may photograph the main hall. Flash photography is not allowed in the galleries.",
        "Visitors can't take photos in the main hall or use flash in the galleries.",
        "negation",
    ),
    # (earlier reviews' probes) a word said twice around another, both kept by the claim, still swaps
    (
        "The turbine converts wind energy into electrical energy stored in batteries.",
        "The turbine converts electrical energy into wind energy stored in batteries.",
        "swap",
    ),
    # escaping is avoiding only as a purpose ("to escape the heat"), not as getting away
    ("Most of the crew escaped the fire.", "Most of the crew failed to escape the fire.", "negation"),
    ("The ship cruises at 24 knots.", "The ship cruises at 24 mph.", "unit"),
]


@pytest.mark.parametrize(("quote", "claim", "kind"), _TWENTY_FOURTH_ROUND_REVIEW_DROPS)
def test_twenty_fourth_round_review_drops(quote: str, claim: str, kind: str) -> None:
    assert kind in kinds(claim, QuoteContext(quote))


def test_twenty_fourth_round_review_a_name_alone_answers_only_a_question_asking_for_the_doer() -> None:
    from rag.claims import answer_in_full

    assert answer_in_full("The Receptionist.", "who gives out visitor badges?") == (
        "The Receptionist gives out visitor badges."
    )
    assert answer_in_full("Accounts.", "who should I send billing tickets to?") == "Accounts."
    assert answer_in_full("Jupiter.", "which is the largest planet?") == "Jupiter."


# --- twenty-fourth round, last: the review's faithful probes dropped for a negation (tuned on) ------------

_TWENTY_FOURTH_ROUND_NEGATION_KEEPS = [
    # a denied bound before a figure is a bound, not a negation
    ("Each passenger may check in a maximum of 2 bags.", "You can't check in more than 2 bags."),
    ("Staff must not work more than 48 hours a week.", "Staff can work up to 48 hours a week."),
    # (a guard) an imperative's denial stays a negation, restated by another
    (
        "Don't spend more than £30 on a client lunch; the budget is £30 per head.",
        "The client-lunch budget is £30 per head, so don't go over that.",
    ),
    # escaping a harm is not suffering it
    (
        "The old town escaped serious damage in the 1906 earthquake.",
        "The old town wasn't seriously damaged in the 1906 earthquake.",
    ),
    # a negating prefix says what "not" says
    (
        "If you're unsure about a booking, ask the desk first.",
        "If you're not sure about a booking, ask the desk first.",
    ),
    ("Parking is unlimited for residents.", "For residents there is no limit on parking."),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FOURTH_ROUND_NEGATION_KEEPS)
def test_twenty_fourth_round_negation_keeps(quote: str, claim: str) -> None:
    assert kinds(claim, QuoteContext(quote)) == []


_TWENTY_FOURTH_ROUND_NEGATION_DROPS = [
    # (a guard of the first keep above: the bound turned round is still caught; "N or younger" is an age)
    ("Applicants cannot be less than 21 years old.", "Applicants must be 21 or younger.", "figure"),
    ("Each passenger may check in a maximum of 2 bags.", "You can check in more than 2 bags.", "figure"),
    (
        "The old town escaped serious damage in the 1906 earthquake.",
        "The old town was seriously damaged in the 1906 earthquake.",
        "negation",
    ),
    # the plain word for the quote's "un-" word
    (
        "If you're unsure about a booking, ask the desk first.",
        "If you're sure about a booking, ask the desk first.",
        "negation",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "kind"), _TWENTY_FOURTH_ROUND_NEGATION_DROPS)
def test_twenty_fourth_round_negation_drops(quote: str, claim: str, kind: str) -> None:
    assert kind in kinds(claim, QuoteContext(quote))


# --- twenty-fifth round: blind probe sets review25a/25b (tuned on after their untouched runs) ----------------

_TWENTY_FIFTH_ROUND_KEEPS = [
    # "cannot … until" says what "can't … until" says: late, not never
    (
        "Hiring managers must submit scorecards within 48 hours, and offers cannot be approved until all "
        "scorecards are in.",
        "The offer can't be approved until every scorecard is in.",
    ),
    # a month's short form in a date, and the adjective of the one place the quote names
    ("The portal opens from 1 to 30 November, and changes take effect on 1 January.", "Changes kick in on 1 Jan."),
    ("The glider is a marsupial of eastern Australia.", "It's an eastern Australian marsupial."),
    # an equal to a figure is a bound on it; a comparative bounds a figure the quote bounds with no measure word
    ("The ship can break level ice up to 1.8 metres thick.", "It can break level ice as thick as 1.8 metres."),
    (
        "Hearing protection must be worn in any area where noise exceeds 85 decibels.",
        "You need hearing protection in any area louder than 85 decibels.",
    ),
    # "N more" adds, as "N further" does
    (
        "Staff may take up to three days of paid leave, and line managers can approve up to two further days.",
        "Up to three paid days, and your manager can approve two more.",
    ),
    # an acronym of words the quote spells out says what they say
    (
        "The Facilities Coordinator reports to the Office Manager, while the Office Manager reports to the Chief "
        "Operating Officer.",
        "The Facilities Coordinator reports to the Office Manager, who in turn reports to the COO.",
    ),
    # (guards of the drops below: a span with no lead word reads as the same span)
    ("Lost laptops must be reported within one hour of discovery.", "Report it within an hour of discovery."),
    (
        "Cirrus clouds often appear a day or so ahead of a warm front.",
        "They often turn up about a day before a warm front.",
    ),
    # (a guard of the name check below) a name's words in another order
    (
        "The Engineering Manager for Payments leads six engineers.",
        "The Payments Engineering Manager leads six engineers.",
    ),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FIFTH_ROUND_KEEPS)
def test_twenty_fifth_round_keeps(quote: str, claim: str) -> None:
    assert kinds(claim, QuoteContext(quote)) == []


_TWENTY_FIFTH_ROUND_DROPS = [
    # the other side of a figure, and the side a contrast denies
    (
        "The glacier has retreated about 1.3 kilometres since 1931, most of it after 1980.",
        "About 1.3 km since 1931, most of it before 1980.",
        "negation",
    ),
    (
        "Records of customers with no activity during that period are anonymised rather than deleted.",
        "Records of customers with no activity in that time are deleted.",
        "negation",
    ),
    # an adverb of an opposite ("slowly" for "quickly"), which the stemmer keeps apart from its adjective
    (
        "Obsidian forms when lava cools too quickly for crystals to grow.",
        "Obsidian forms from lava that cooled too slowly to form crystals.",
        "negation",
    ),
    # one of a unit with no lead word, changed
    ("Lost laptops must be reported within one hour of discovery.", "Report it within a day of discovery.", "unit"),
    ("HR backups are retained for one year.", "A month, for legal reasons.", "unit"),
    # (a guard) an ordinal changed is a figure changed
    (
        "The portal opens for enrolment from 1 to 30 November.",
        "It's open from the 1st to the 31st of November.",
        "figure",
    ),
    # a number word joined to what it counts
    ("Work email needs a six-digit PIN.", "You need a four-digit PIN.", "figure"),
    # a figure given to the other subject, told apart by a word further back
    (
        "Primary caregivers receive 16 weeks of paid leave, and secondary caregivers receive 6 weeks.",
        "Secondary caregivers get 16 weeks.",
        "swap",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "kind"), _TWENTY_FIFTH_ROUND_DROPS)
def test_twenty_fifth_round_drops(quote: str, claim: str, kind: str) -> None:
    assert kind in kinds(claim, QuoteContext(quote))


def test_twenty_fifth_round_a_negated_clause_is_placed_by_meaning_among_clauses_its_words_fit_alike(
    embedder,  # noqa: ANN001
) -> None:
    similar = SupportScorer(embedder).similarities
    quote = QuoteContext(
        "The stag beetle larva feeds on rotting wood for up to six years, while the adult lives only a few weeks "
        "and often does not feed at all."
    )
    claim = "The adults only last a few weeks and often don't eat at all."
    assert check_claim(claim, quote) != []  # by words alone, "don't eat" lines up with the larva's clause
    assert check_claim(claim, quote, similar=similar) == []
    # only a clear winner by meaning moves it: "allowed to run with the ball" is no closer to "trying to block
    # the ball" than to "not allowed to shoot"
    rule = QuoteContext(
        'A player is not allowed to shoot when they are "defended", which means a defender is within arm\'s '
        "length, facing them and actively trying to block the ball."
    )
    wrong = "Players may not dribble, but they are allowed to run with the ball before passing it."
    assert "negation" in [p.kind for p in check_claim(wrong, rule, similar=similar)]


def test_twenty_fifth_round_name_forms() -> None:
    from rag.claims import content_words, names_the_same

    # an ordinal is a figure, which the figure check compares, not a new word
    assert content_words("from the 1st to the 30th of November") == ["november"]

    assert names_the_same("Canadian", "It is sold across Canada", "It's a Canadian brand")
    assert names_the_same("Japanese", "It is made in Japan", "A Japanese make")
    assert not names_the_same("Austrian", "It lives in eastern Australia", "An Austrian animal")
    # of two places the quote names, the adjective may give one's fact to the other
    assert not names_the_same(
        "Ethiopian", "Then Kenya won the men's race and Ethiopia the women's", "Ethiopian men won"
    )


_TWENTY_FIFTH_ROUND_NEGATION_KEEPS = [
    # an answer of how before the statement that says it
    (
        "Software subscriptions over $1,000 per year must be requested through the Procurement desk.",
        "Not directly — since it's over $1,000 a year, it has to go through the Procurement desk.",
    ),
    (
        "The common swift spends almost its entire life in the air. Young swifts may not land for two or three "
        "years after leaving the nest.",
        "Hardly ever: swifts live almost entirely in the air, and young ones may not land for years.",
    ),
    # a thing both sides deny, in whichever clause
    (
        "The serpent is a bass wind instrument made of wood covered in leather. Despite having no reed, it is "
        "played with a cup mouthpiece like a brass instrument.",
        "It's a bass wind instrument of leather-covered wood with no reed; you play it through a cup mouthpiece.",
    ),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FIFTH_ROUND_NEGATION_KEEPS)
def test_twenty_fifth_round_negation_keeps(quote: str, claim: str) -> None:
    assert kinds(claim, QuoteContext(quote)) == []


_TWENTY_FIFTH_ROUND_NEGATION_DROPS = [
    # (guards) an answer word alone before a comma stays with its statement; a thing only one side denies
    ("Zinc oxide dissolves in water.", "No, it doesn't dissolve in water.", "negation"),
    (
        "The serpent is played with a cup mouthpiece and has no reed.",
        "The serpent has a reed but no cup mouthpiece.",
        "negation",
    ),
    (
        "New laptops come with encryption enabled by default, and users may disable it.",
        "New laptops come with encryption switched on by default, you're not allowed to disable it.",
        "negation",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "kind"), _TWENTY_FIFTH_ROUND_NEGATION_DROPS)
def test_twenty_fifth_round_negation_drops(quote: str, claim: str, kind: str) -> None:
    assert kind in kinds(claim, QuoteContext(quote))


def test_twenty_fifth_round_a_comma_before_a_new_subject_starts_a_statement(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    quote = QuoteContext(
        "All new laptops are shipped with full-disk encryption enabled by default. Users must not disable "
        "encryption, and IT will audit compliance monthly."
    )
    claim = "No — new laptops come with full-disk encryption switched on by default, you're not allowed to disable it."
    assert check_claim(claim, quote, "can i turn off disk encryption?", similar=similar) == []


_TWENTY_FIFTH_ROUND_COMPARISON_KEEPS = [
    # (guards) a hedged ranking restated hedged; a comparative the quote uses; a bound and a cessation
    (
        "The hospital was among the first in Scotland to isolate scarlet fever patients.",
        "It was one of the first hospitals in Scotland to isolate scarlet fever patients.",
    ),
    (
        "The theatre is one of the oldest working opera houses in Italy.",
        "It's one of Italy's oldest working opera houses.",
    ),
    ("The bridge took at most twelve months to build.", "The bridge took no longer than a year to build."),
    ("Smaller teams ship faster.", "Smaller teams ship faster."),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FIFTH_ROUND_COMPARISON_KEEPS)
def test_twenty_fifth_round_comparison_keeps(quote: str, claim: str) -> None:
    assert kinds(claim, QuoteContext(quote)) == []


_TWENTY_FIFTH_ROUND_COMPARISON_DROPS = [
    # a ranking the quote hedges, given unhedged
    (
        "The hospital was among the first in Scotland to isolate scarlet fever patients.",
        "It was the first hospital in Scotland to isolate scarlet fever patients.",
    ),
    (
        "The theatre is one of the oldest working opera houses in Italy.",
        "It's the oldest opera house still working in Italy.",
    ),
    # "the first … to" where the quote ranks nothing in time
    (
        "The play premiered in Dublin in 1924 and was directed by its author, Nora Fenwick.",
        "Nora Fenwick directed it, the first woman to direct a premiere in Dublin.",
    ),
    # a comparative of the claim's own where the quote compares nothing
    (
        "The hurdy-gurdy sounds through a rosined wheel, turned by a crank, that rubs against the strings.",
        "A crank turns a rosined wheel that rubs against the strings, but louder.",
    ),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FIFTH_ROUND_COMPARISON_DROPS)
def test_twenty_fifth_round_comparison_drops(quote: str, claim: str) -> None:
    assert "comparison" in kinds(claim, QuoteContext(quote))


# --- twenty-fifth round: what the earlier reviews' probes found in the first version --------------------------

_TWENTY_FIFTH_ROUND_REVIEW_KEEPS = [
    # a condition and the statement after its comma stay one statement
    (
        "All staff must finish the security course by 30 June. Anyone who has not finished it by then will lose "
        "system access.",
        "If you haven't done the security course by 30 June, you'll lose system access.",
    ),
    # the words opening a sentence before its first figure speak of all its figures
    (
        "The share of renewables rose from 30% to 38%, an increase of eight percentage points.",
        "Renewables' share climbed eight percentage points, from 30% to 38%.",
    ),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FIFTH_ROUND_REVIEW_KEEPS)
def test_twenty_fifth_round_review_keeps(quote: str, claim: str) -> None:
    assert kinds(claim, QuoteContext(quote)) == []


_TWENTY_FIFTH_ROUND_REVIEW_DROPS = [
    # a length may be a height: a comparative of another measure does not restate its bound
    ("The lake lies more than 1,500 metres above sea level.", "The lake is deeper than 1,500 metres.", "comparison"),
    # a span given by its unit alone, in another unit
    (
        "The sand cat can go for weeks without drinking, getting moisture from its prey.",
        "The sand cat can go for months without drinking.",
        "unit",
    ),
    ("Ball lightning is a glowing sphere that lasts several seconds.", "It lasts several minutes.", "unit"),
]


@pytest.mark.parametrize(("quote", "claim", "kind"), _TWENTY_FIFTH_ROUND_REVIEW_DROPS)
def test_twenty_fifth_round_review_drops(quote: str, claim: str, kind: str) -> None:
    assert kind in kinds(claim, QuoteContext(quote))


def test_twenty_fifth_round_a_comparative_after_a_determiner_names_a_kind() -> None:
    from rag.claims import comparative_unstated

    quote = "The Director ensures that the product strategy aligns with overall business objectives."
    assert comparative_unstated("It lines up with the wider business objectives.", quote) is None
    assert comparative_unstated("It lines up with business objectives, but faster.", quote) == "faster"


# --- twenty-fifth round: the independent review of the first version (248 probes) -----------------------------

_TWENTY_FIFTH_ROUND_REVIEW_OF_RULES_KEEPS = [
    # a modal's denial before "until" is a condition, on both sides
    ("Annual leave cannot be taken until probation is complete.", "Annual leave isn't available during probation."),
    ("Refunds cannot be issued until the item has been returned.", "You won't get a refund until it's been returned."),
    # a ranking the quote makes itself, unhedged, beside a hedged one
    (
        "The cathedral is one of the oldest in England, and the oldest part of the building is the Norman crypt.",
        "The oldest part of the cathedral is the Norman crypt.",
    ),
    # a first step is no ranking in time; "before anyone else" says first
    (
        "If you suspect a phishing email, report it to IT Security using the Report button, then delete it.",
        "The first thing to do is report it to IT Security with the Report button, and then delete it.",
    ),
    (
        "Subscribers hear about product launches before anyone else.",
        "Subscribers are the first to hear about launches.",
    ),
    # the other side of a figure where the quote names it too, or a condition the claim sets
    (
        "Bookings made after 1 March are charged at the full rate; earlier bookings get a 15% discount.",
        "If you book before 1 March you get a 15% discount.",
    ),
    # a span in a smaller unit still holds
    (
        "The drought lasted for decades and emptied the villages.",
        "The drought went on for years and emptied the villages.",
    ),
    # "a day or two" is a span
    (
        "Postal ballots usually arrive a day or two before polling day.",
        "Postal ballots usually arrive a day or so before polling day.",
    ),
]


@pytest.mark.parametrize(("quote", "claim"), _TWENTY_FIFTH_ROUND_REVIEW_OF_RULES_KEEPS)
def test_twenty_fifth_round_review_of_rules_keeps(quote: str, claim: str) -> None:
    assert kinds(claim, QuoteContext(quote)) == []


_TWENTY_FIFTH_ROUND_REVIEW_OF_RULES_DROPS = [
    # an answer of how that the quote contradicts, or of how often where the quote says often
    (
        "Employees send flexible-working requests directly to HR using the online form.",
        "Not directly — your request goes to HR through the online form.",
        "Do I send my request straight to HR?",
    ),
    (
        "Visitors can walk around the site unaccompanied once they have signed in.",
        "Not alone — visitors can walk around the site once they have signed in.",
        "Can visitors walk around on their own?",
    ),
    (
        "In winter the ferry is cancelled on most days because of high winds.",
        "Hardly ever — it's cancelled in winter because of high winds.",
        "How often is the ferry cancelled?",
    ),
    # a modal's denial before "until" stays a denial
    ("Annual leave cannot be taken until probation is complete.", "Annual leave can be taken during probation.", ""),
    # a thing both deny, where the clause the claim restates affirms it
    (
        "Interns receive no bonus. Permanent staff receive a bonus based on company performance.",
        "Permanent staff receive no bonus, whatever the company's performance.",
        "",
    ),
    ("Members pay no entry fee. Non-members pay a £5 entry fee.", "Non-members pay no entry fee.", ""),
    # a month's short form in a date is read as the month
    ("Enrolment opens on 1 August and closes on 30 September.", "Enrolment opens on 1 Sept and closes on 30 Sept.", ""),
    ("The annual audit takes place in March, and the results are published in June.", "The audit is held in Jun.", ""),
    # of two places, the adjective of one may take the other's fact; a place only the question names is none
    (
        "Kenya won the men's marathon and Ethiopia won the women's.",
        "The men's marathon was won by Ethiopian runners.",
        "",
    ),
    (
        "The app is available in English, Spanish and Korean, and can be downloaded in any country.",
        "Yes, and it's available in Japanese too.",
        "Can I use the app in Japan?",
    ),
    # a comparison is no addition; "degrees" alone may be an angle
    (
        "Part-time staff receive another 2 days of leave at Christmas.",
        "Compared with full-timers, part-time staff get 2 more days of leave at Christmas.",
        "",
    ),
    (
        "The turbines are shut down when the blade pitch exceeds 15 degrees.",
        "The turbines are shut down when the blades get hotter than 15 degrees.",
        "",
    ),
]


@pytest.mark.parametrize(("quote", "claim", "question"), _TWENTY_FIFTH_ROUND_REVIEW_OF_RULES_DROPS)
def test_twenty_fifth_round_review_of_rules_drops(quote: str, claim: str, question: str) -> None:
    assert kinds(claim, QuoteContext(quote), question)


def test_twenty_fifth_round_review_a_tie_is_broken_by_meaning_without_the_negations(embedder) -> None:  # noqa: ANN001
    similar = SupportScorer(embedder).similarities
    quote = QuoteContext("Contractors may use the staff canteen. Contractors are not allowed in the gym.")
    claim = "Contractors aren't permitted to eat at the cafeteria."
    assert "negation" in [p.kind for p in check_claim(claim, quote, similar=similar)]
